//! `-o FILE`: the body streams into a temporary file beside FILE, which replaces FILE only
//! once the whole body is in and synced; an interrupted or failed download leaves FILE as it
//! was. A progress bar shows on a terminal for bodies over a megabyte (or of unknown size).

use super::render::write_err;
use crate::error::{AppError, Result};
use crate::oauth::http::Streaming;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

const BAR_FROM: u64 = 1 << 20;

/// Removes the temporary file unless the download completed.
struct Partial(Option<PathBuf>);

impl Drop for Partial {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

pub fn to_file(resp: &mut Streaming<'_>, path: &Path) -> Result<u64> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| AppError::usage(format!("-o {}: not a file name", path.display())))?
        .to_string_lossy();
    let mut suffix = [0u8; 4];
    let _ = getrandom::fill(&mut suffix);
    let tmp = dir.join(format!(
        ".{name}.{}.{:08x}.part",
        std::process::id(),
        u32::from_le_bytes(suffix)
    ));
    let shown = path.display().to_string();
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .map_err(|e| AppError::usage(format!("cannot create {shown}: {e}")))?;
    let mut partial = Partial(Some(tmp.clone()));
    let bar = progress(resp.headers.get(reqwest::header::CONTENT_LENGTH));
    let mut total = 0u64;
    while let Some(chunk) = resp.chunk()? {
        file.write_all(&chunk).map_err(|e| write_err(&e, &shown))?;
        total += chunk.len() as u64;
        if let Some(b) = &bar {
            b.set_position(total);
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    file.sync_all().map_err(|e| write_err(&e, &shown))?;
    drop(file);
    std::fs::rename(&tmp, path).map_err(|e| write_err(&e, &shown))?;
    partial.0 = None;
    Ok(total)
}

fn progress(length: Option<&reqwest::header::HeaderValue>) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() || std::env::var_os("GTX_NO_SPINNER").is_some() {
        return None;
    }
    let length = length
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let (bar, template) = match length {
        Some(n) if n < BAR_FROM => return None,
        Some(n) => (
            ProgressBar::new(n),
            "{bar:30.cyan} {bytes}/{total_bytes} {binary_bytes_per_sec} {eta}",
        ),
        None => (
            ProgressBar::new_spinner(),
            "{spinner:.cyan} {bytes} {binary_bytes_per_sec}",
        ),
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    Some(bar)
}
