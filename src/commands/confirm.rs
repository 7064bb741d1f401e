//! Asking before a destructive step that spans several profiles. Only a person at a
//! terminal is asked (stdin and stderr both terminals); scripts and CI are never blocked
//! by a question they cannot answer, and the answer defaults to no.

use crate::error::{AppError, Result};
use crate::store::ProfileKey;
use std::io::{BufRead, IsTerminal, Write};

/// Lists the profiles `logout --all` would remove and asks; true to go ahead.
pub fn remove_profiles(keys: &[ProfileKey], store: &str) -> Result<bool> {
    if keys.is_empty() || !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Ok(true);
    }
    let mut text = format!(
        "This signs out of {} profile(s) in the {store} store:\n",
        keys.len()
    );
    for key in keys {
        text.push_str(&format!("  {key}\n"));
    }
    text.push_str("Remove them? [y/N] ");
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
    drop(err);
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| AppError::usage(format!("cannot read the answer: {e}")))?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}
