//! `-o FILE`: the body streams into a temporary file beside FILE, which replaces FILE only
//! once the whole body is in and synced; an interrupted or failed download leaves FILE as it
//! was. A device or FIFO (`/dev/null`) is written into instead. A progress bar shows on a
//! terminal for bodies over a megabyte (or of unknown size).

use super::render::write_err;
use crate::error::{AppError, Result};
use crate::oauth::http::Streaming;
use crate::output::Output;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::Write;
use std::path::Path;

const BAR_FROM: u64 = 1 << 20;

/// Checked before the request is sent (finding out after a POST went through would lose its
/// answer): FILE must not be a directory, and its directory must exist.
pub fn check_target(path: &Path) -> Result<()> {
    let slash = path.as_os_str().to_string_lossy().ends_with('/');
    if slash || std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
        return Err(AppError::usage(format!(
            "-o {}: is a directory; name a file",
            path.display()
        )));
    }
    let dir = crate::fsutil::parent_dir(path);
    if !std::fs::metadata(dir).is_ok_and(|m| m.is_dir()) {
        return Err(AppError::usage(format!(
            "-o {}: no directory {}",
            path.display(),
            dir.display()
        )));
    }
    Ok(())
}

/// The progress bar is drawn only where `out` animates.
pub fn to_file(resp: &mut Streaming<'_>, path: &Path, out: &Output) -> Result<u64> {
    let shown = path.display().to_string();
    // A device or FIFO (`-o /dev/null`) is written into: only a regular file is replaced.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|e| AppError::usage(format!("cannot open {shown}: {e}")))?;
        return copy(resp, &mut file, &shown, out);
    }
    if path.file_name().is_none() {
        return Err(AppError::usage(format!(
            "-o {}: not a file name",
            path.display()
        )));
    }
    // The temp file is removed if the download fails or is interrupted.
    let mut reserved = crate::fsutil::Reserved::streaming(path)
        .map_err(|e| AppError::usage(format!("cannot create {shown}: {e}")))?;
    // Drop (an error, Ctrl-C) removes the temp file; SIGTERM and SIGHUP would end gtx
    // without it. Kept past `finish`: a signal after the rename unlinks a name now gone.
    let _cleanup = crate::signals::UnlinkOnSignal::new(reserved.temp_path());
    let file = reserved.file().map_err(|e| write_err(&e, &shown))?;
    // The replacement keeps FILE's mode (a private file stays private), set before any
    // byte of the new body is in the temporary file.
    if let Ok(meta) = std::fs::metadata(path) {
        file.set_permissions(meta.permissions())
            .map_err(|e| write_err(&e, &shown))?;
    }
    let total = copy(resp, file, &shown, out)?;
    reserved.finish().map_err(|e| write_err(&e, &shown))?;
    Ok(total)
}

/// The body into `file`, with a progress bar on a terminal.
fn copy(
    resp: &mut Streaming<'_>,
    file: &mut std::fs::File,
    shown: &str,
    out: &Output,
) -> Result<u64> {
    let bar = progress(out, resp.headers.get(reqwest::header::CONTENT_LENGTH));
    let mut total = 0u64;
    while let Some(chunk) = resp.chunk()? {
        file.write_all(&chunk).map_err(|e| write_err(&e, shown))?;
        total += chunk.len() as u64;
        if let Some(b) = &bar {
            b.set_position(total);
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(total)
}

fn progress(out: &Output, length: Option<&reqwest::header::HeaderValue>) -> Option<ProgressBar> {
    if !out.animates() {
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
