//! What a person gives gtx on stdin: a secret (`--client-secret-stdin`, `--password-stdin`,
//! `--client-key-stdin`) or a token (`login --with-token`, `token validate`), never on the
//! command line where other users could read it.

use crate::error::{AppError, Result};
use crate::output::Output;
use crate::secret::Secret;
use std::io::{IsTerminal, Read};

/// Reads one secret from stdin: at most 64 KiB, surrounding whitespace trimmed.
pub fn read_stdin_secret(out: &Output, what: &str) -> Result<String> {
    if std::io::stdin().is_terminal() {
        out.status(&format!("reading the {what} from stdin; end with Ctrl-D"));
    }
    let mut buf = Vec::new();
    std::io::stdin()
        .take(64 * 1024 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| AppError::usage(format!("cannot read the {what} from stdin: {e}")))?;
    if buf.len() > 64 * 1024 {
        return Err(AppError::usage(format!(
            "the {what} on stdin is larger than 64 KiB"
        )));
    }
    let text = String::from_utf8(buf)
        .map_err(|_| AppError::usage(format!("the {what} on stdin is not UTF-8")))?;
    let text = text.trim().to_string();
    if text.is_empty() {
        return Err(AppError::usage(format!("no {what} on stdin")));
    }
    Ok(text)
}

/// A pasted token: an optional `Bearer ` in front is dropped, and it must be sendable in
/// an HTTP header (no spaces, control or non-ASCII characters).
pub fn read_token(text: String) -> Result<Secret> {
    let text = text.trim();
    let bare = text
        .strip_prefix("Bearer ")
        .or_else(|| text.strip_prefix("bearer "))
        .unwrap_or(text)
        .trim();
    if !crate::secret::header_safe(bare) {
        return Err(AppError::usage(
            "that is not a token: it holds spaces, control or non-ASCII characters",
        ));
    }
    Ok(Secret::new(bare))
}

/// `--client-secret-stdin`: the client secret, read when the flag asks for it.
pub fn client_secret(out: &Output, asked: bool) -> Result<Option<Secret>> {
    match asked {
        true => Ok(Some(Secret::new(read_stdin_secret(out, "client secret")?))),
        false => Ok(None),
    }
}
