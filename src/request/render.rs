//! Where a response body goes. Piped, the bytes pass through exactly as they arrived, chunk
//! by chunk (a 50 MB body never sits in memory). On a terminal, JSON is pretty-printed and
//! coloured, other text is shown as is, and binary data is replaced by a one-line notice.

use crate::error::{AppError, Kind, Result};
use crate::oauth::http::Streaming;
use crate::output::Output;
use std::io::Write;

/// JSON larger than this is shown as it came instead of pretty-printed.
const PRETTY_CAP: usize = 16 << 20;

/// How to show a body on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Byte for byte.
    Raw,
    /// For a person at a terminal; `color` when colour is allowed.
    Terminal { color: bool },
}

/// The status line and headers, as `-i` prints them: byte for byte when piped; on a
/// terminal, control characters a server put in a value (C1 ones such as U+009B, CSI,
/// pass HTTP's rules as UTF-8) are shown escaped, never acted on.
pub fn head(resp: &Streaming<'_>, terminal: bool) -> Vec<u8> {
    let mut out = format!("{:?} {}\n", resp.version, resp.status).into_bytes();
    for (name, value) in &resp.headers {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        if terminal {
            out.extend_from_slice(shown_on_terminal(value.as_bytes()).as_bytes());
        } else {
            out.extend_from_slice(value.as_bytes());
        }
        out.push(b'\n');
    }
    out.push(b'\n');
    out
}

/// A header value for a terminal: the one escaper (`sanitize::terminal`), except that a tab,
/// which header values may hold, stays a tab.
fn shown_on_terminal(value: &[u8]) -> String {
    String::from_utf8_lossy(value)
        .split('\t')
        .map(crate::sanitize::terminal)
        .collect::<Vec<_>>()
        .join("\t")
}

pub fn write_err(e: &std::io::Error, what: &str) -> AppError {
    AppError::new(Kind::Output, format!("cannot write to {what}: {e}"))
}

/// Writes to `out`; a reader that went away (`| head`) ends the body quietly.
fn put(out: &mut impl Write, bytes: &[u8]) -> Result<bool> {
    match out.write_all(bytes) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(write_err(&e, "stdout")),
    }
}

/// Streams the body to `out` in `mode`.
/// A binary body is not shown at a terminal; `say` says so.
pub fn body(
    resp: &mut Streaming<'_>,
    out: &mut impl Write,
    mode: Mode,
    say: &Output,
) -> Result<()> {
    let color = match mode {
        Mode::Raw => return raw(resp, out, Vec::new()),
        Mode::Terminal { color } => color,
    };
    let Some(first) = resp.chunk()? else {
        return Ok(());
    };
    if first.iter().take(8192).any(|b| *b == 0) {
        let mut total = first.len() as u64;
        while let Some(c) = resp.chunk()? {
            total += c.len() as u64;
        }
        say.status(&format!(
            "[binary body of {total} bytes not shown on a terminal; use -o FILE or a pipe]"
        ));
        return Ok(());
    }
    if !is_json(resp) {
        return raw(resp, out, first.to_vec());
    }
    let mut buf = first.to_vec();
    while buf.len() <= PRETTY_CAP {
        match resp.chunk()? {
            Some(c) => buf.extend_from_slice(&c),
            None => break,
        }
    }
    if buf.len() > PRETTY_CAP {
        return raw(resp, out, buf);
    }
    match serde_json::from_slice::<serde_json::Value>(&buf) {
        Ok(v) => {
            let mut text = String::with_capacity(buf.len() * 2);
            pretty(&v, 0, color, &mut text);
            text.push('\n');
            put(out, text.as_bytes()).map(|_| ())
        }
        Err(_) => raw(resp, out, buf),
    }
}

fn is_json(resp: &Streaming<'_>) -> bool {
    resp.headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            let essence = ct
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            essence == "application/json" || essence.ends_with("+json")
        })
}

/// `already` first, then the rest of the body, as is.
fn raw(resp: &mut Streaming<'_>, out: &mut impl Write, already: Vec<u8>) -> Result<()> {
    if !already.is_empty() && !put(out, &already)? {
        return Ok(());
    }
    while let Some(chunk) = resp.chunk()? {
        if !put(out, &chunk)? {
            return Ok(());
        }
    }
    match out.flush() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(write_err(&e, "stdout")),
        _ => Ok(()),
    }
}

fn paint(text: &str, code: &str, color: bool, out: &mut String) {
    if color {
        out.push_str("\x1b[");
        out.push_str(code);
        out.push('m');
        out.push_str(text);
        out.push_str("\x1b[0m");
    } else {
        out.push_str(text);
    }
}

/// Two-space indentation like `jq`; strings re-encoded by serde_json and
/// `sanitize::json_text`, so control characters a server sent arrive escaped, never raw on
/// the terminal.
fn pretty(v: &serde_json::Value, depth: usize, color: bool, out: &mut String) {
    use serde_json::Value;
    let pad = |d: usize, out: &mut String| out.extend(std::iter::repeat_n("  ", d));
    let encode = |s: &str| crate::sanitize::json_text(serde_json::to_string(s).unwrap_or_default());
    match v {
        Value::Null => paint("null", "2", color, out),
        Value::Bool(b) => paint(&b.to_string(), "33", color, out),
        Value::Number(n) => paint(&n.to_string(), "36", color, out),
        Value::String(s) => paint(&encode(s), "32", color, out),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Array(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                pad(depth + 1, out);
                pretty(item, depth + 1, color, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            pad(depth, out);
            out.push(']');
        }
        Value::Object(map) => {
            out.push_str("{\n");
            for (i, (k, item)) in map.iter().enumerate() {
                pad(depth + 1, out);
                paint(&encode(k), "1;34", color, out);
                out.push_str(": ");
                pretty(item, depth + 1, color, out);
                out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
            }
            pad(depth, out);
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pretty_matches_serde_without_colour() {
        let v = json!({"data":[{"id":"a\u{1b}]0;x","n":1.5,"ok":true,"none":null}],"e":{},"l":[]});
        let mut s = String::new();
        pretty(&v, 0, false, &mut s);
        assert_eq!(s, serde_json::to_string_pretty(&v).expect("json"));
        assert!(!s.contains('\u{1b}'));
    }

    #[test]
    fn strings_escape_c1_del_and_bidi_and_keep_their_meaning() {
        let v = json!({"k\u{202e}": "a\u{9b}31m\u{7f}\u{2066}\u{1b}é"});
        let mut s = String::new();
        pretty(&v, 0, false, &mut s);
        let raw = |c: char| c != '\n' && crate::sanitize::steers_terminal(c);
        assert!(!s.chars().any(raw), "{s:?}");
        assert!(s.contains(r#""a\u009b31m\u007f\u2066\u001bé""#), "{s:?}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&s).expect("json"),
            v
        );
    }

    #[test]
    fn colour_wraps_tokens() {
        let mut s = String::new();
        pretty(&json!({"k": "v"}), 0, true, &mut s);
        assert!(s.contains("\x1b[1;34m\"k\"\x1b[0m"), "{s:?}");
        assert!(s.contains("\x1b[32m\"v\"\x1b[0m"), "{s:?}");
    }
}
