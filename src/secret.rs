//! Secrets (tokens, client secrets, refresh tokens) travel in a newtype whose `Debug` and
//! `Display` never show the value, and every diagnostic that quotes server output goes
//! through [`excerpt`], which removes anything token-shaped.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    /// The raw value. Call sites are the few places a secret legitimately leaves the
    /// process: an HTTP request, the store, and `token get`'s stdout.
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn redacted(&self) -> String {
        redact(&self.0)
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.redacted())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// First 8 characters and an ellipsis. Short values would be mostly revealed by that,
/// so anything under 16 characters shows only the ellipsis.
pub fn redact(value: &str) -> String {
    if value.chars().count() < 16 {
        return "…".to_string();
    }
    let head: String = value.chars().take(8).collect();
    format!("{head}…")
}

const SECRET_KEYS: &[&str] = &[
    "access_token",
    "refresh_token",
    "id_token",
    "token",
    "client_secret",
    "password",
    "code",
    "code_verifier",
];

/// A short, single-line, redacted excerpt of an untrusted body for error messages:
/// at most `max` characters, control characters flattened, known secrets and the values
/// of token-carrying JSON keys replaced by their redacted form.
pub fn excerpt(body: &[u8], known: &[&str], max: usize) -> String {
    let window = &body[..body.len().min(4096)];
    let mut text = String::from_utf8_lossy(window).into_owned();
    for secret in known.iter().filter(|s| s.len() >= 4) {
        text = text.replace(secret, &redact(secret));
    }
    text = redact_json_values(&text);
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let squeezed = flat.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = squeezed.chars().take(max).collect();
    if squeezed.chars().count() > max || body.len() > window.len() {
        out.push('…');
    }
    out
}

/// Replaces the string values of token-carrying keys (`"access_token":"…"`) in JSON-ish
/// text, without requiring the text to parse: error bodies are often truncated.
fn redact_json_values(text: &str) -> String {
    let mut out = text.to_string();
    for key in SECRET_KEYS {
        let needle = format!("\"{key}\"");
        let mut search_from = 0;
        while let Some(pos) = out[search_from..].find(&needle) {
            let after_key = search_from + pos + needle.len();
            let rest = &out[after_key..];
            let trimmed = rest.trim_start_matches([' ', ':', '\t']);
            let skipped = rest.len() - trimmed.len();
            if !rest[..skipped].contains(':') || !trimmed.starts_with('"') {
                search_from = after_key;
                continue;
            }
            let value_start = after_key + skipped + 1;
            let value_end = out[value_start..]
                .find('"')
                .map(|e| value_start + e)
                .unwrap_or(out.len());
            let replacement = redact(&out[value_start..value_end]);
            out.replace_range(value_start..value_end, &replacement);
            search_from = value_start + replacement.len();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_value() {
        let s = Secret::new("sandbox_0123456789abcdef0123");
        assert_eq!(format!("{s:?}"), "Secret(sandbox_…)");
        assert!(!format!("{s}").contains("0123456789"));
    }

    #[test]
    fn short_values_are_fully_hidden() {
        assert_eq!(redact("hunter2"), "…");
    }

    #[test]
    fn excerpt_redacts_token_values_and_known_secrets() {
        let body = br#"{"access_token": "eyJhbGciOiJIUzI1NiJ9.payload.sig", "note":"my-client-secret-value"}"#;
        let e = excerpt(body, &["my-client-secret-value"], 200);
        assert!(!e.contains("payload.sig"), "{e}");
        assert!(!e.contains("my-client-secret-value"), "{e}");
        assert!(e.contains("eyJhbGci…"), "{e}");
    }

    #[test]
    fn excerpt_is_one_short_line() {
        let body = "<html>\n<body>\n".repeat(500);
        let e = excerpt(body.as_bytes(), &[], 80);
        assert!(!e.contains('\n'));
        assert!(e.chars().count() <= 81);
    }
}
