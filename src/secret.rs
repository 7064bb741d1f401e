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

/// Whether a token can travel in an `Authorization` header as is: visible ASCII only.
pub fn header_safe(token: &str) -> bool {
    !token.is_empty() && token.bytes().all(|b| (0x21..=0x7e).contains(&b))
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

/// Keys whose values are secrets, compared case-insensitively without `_` and `-`, so
/// `access_token`, `accessToken` and `Access-Token` all match.
const SECRET_KEYS: &[&str] = &[
    "accesstoken",
    "refreshtoken",
    "idtoken",
    "token",
    "jwt",
    "clientsecret",
    "secret",
    "password",
    "code",
    "codeverifier",
    "devicecode",
    "assertion",
];

fn is_secret_key(key: &str) -> bool {
    let norm: String = key
        .chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_KEYS.contains(&norm.as_str())
}

/// A short, single-line, redacted excerpt of an untrusted body for error messages:
/// at most `max` characters, control characters flattened, known secrets (raw, form- and
/// JSON-encoded) and the values of secret-carrying JSON or form keys replaced by their
/// redacted form.
pub fn excerpt(body: &[u8], known: &[&str], max: usize) -> String {
    let window = &body[..body.len().min(4096)];
    let mut text = String::from_utf8_lossy(window).into_owned();
    for secret in known.iter().filter(|s| s.len() >= 4) {
        let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        let json = serde_json::to_string(secret).unwrap_or_default();
        let json = json.trim_matches('"').to_string();
        for variant in [secret.to_string(), form, json] {
            if variant.len() >= 4 {
                text = text.replace(&variant, &redact(secret));
            }
        }
    }
    text = redact_json_values(&text);
    text = redact_form_values(&text);
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

/// Replaces the string values of secret keys (`"access_token": "…"`) in JSON-ish text,
/// without requiring it to parse (error bodies are often truncated). Escaped quotes inside
/// values and whitespace or newlines around the colon are handled.
fn redact_json_values(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '"' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // A quoted string: read it (honouring escapes) and copy it.
        let (end, content) = read_string(&chars, i);
        out.extend(&chars[i..end]);
        i = end;
        if !is_secret_key(&content) {
            continue;
        }
        // Key? Skip whitespace, a colon, whitespace, then expect a string value.
        let mut j = i;
        while j < chars.len() && chars[j].is_whitespace() {
            j += 1;
        }
        if j >= chars.len() || chars[j] != ':' {
            continue;
        }
        j += 1;
        while j < chars.len() && chars[j].is_whitespace() {
            j += 1;
        }
        if j >= chars.len() || chars[j] != '"' {
            continue;
        }
        let (value_end, value) = read_string(&chars, j);
        out.extend(&chars[i..j]);
        out.push('"');
        out.push_str(&redact(&value));
        if value_end > j + 1 && chars.get(value_end - 1) == Some(&'"') {
            out.push('"');
        }
        i = value_end;
    }
    out
}

/// From the opening quote at `start`: the index after the closing quote (or the end of
/// the text) and the unescaped-enough content.
fn read_string(chars: &[char], start: usize) -> (usize, String) {
    let mut content = String::new();
    let mut k = start + 1;
    while k < chars.len() {
        match chars[k] {
            '\\' => {
                if let Some(c) = chars.get(k + 1) {
                    content.push(*c);
                }
                k += 2;
            }
            '"' => return (k + 1, content),
            c => {
                content.push(c);
                k += 1;
            }
        }
    }
    (chars.len(), content)
}

/// `access_token=…&…` (a form-encoded answer or an echoed request body).
fn redact_form_values(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(eq) = rest.find('=') {
        let key_start = rest[..eq]
            .char_indices()
            .rev()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
            .map(|(p, c)| p + c.len_utf8())
            .unwrap_or(0);
        let key = &rest[key_start..eq];
        out.push_str(&rest[..=eq]);
        rest = &rest[eq + 1..];
        if !key.is_empty() && is_secret_key(key) {
            let end = rest
                .find(|c: char| c == '&' || c == '"' || c == '\'' || c.is_whitespace())
                .unwrap_or(rest.len());
            out.push_str(&redact(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
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
    fn excerpt_redacts_every_spelling() {
        let cases: [&[u8]; 6] = [
            br#"{"accessToken":"SUPERSECRET-0123456789abcdef"}"#,
            b"access_token=SUPERSECRET-0123456789abcdef&token_type=bearer",
            br#"{"refresh_token":"ab\"SUPERSECRET-0123456789abcdef"}"#,
            b"{\"refresh_token\":\n  \"SUPERSECRET-0123456789abcdef\"}",
            b"bad request: client_secret=p%40ss%2Bw%2Frd-0123456789abc",
            br#"{"Client-Secret": "SUPERSECRET-0123456789abcdef"}"#,
        ];
        for body in cases {
            let e = excerpt(body, &["p@ss+w/rd-0123456789abc"], 300);
            assert!(!e.contains("SUPERSECRET-0123456789abcdef"), "{e}");
            assert!(!e.contains("0123456789abc"), "{e}");
        }
    }

    #[test]
    fn excerpt_survives_multibyte_text() {
        let body = "«token»=ü€😀 \"code\": \"ü€😀ü€😀ü€😀ü€😀ü€😀\"".as_bytes();
        let e = excerpt(body, &["€😀ü€"], 10);
        assert!(e.chars().count() <= 11);
    }

    proptest::proptest! {
        #[test]
        fn excerpt_never_panics(body in ".{0,300}", key in ".{0,20}", max in 0usize..200) {
            let e = excerpt(body.as_bytes(), &[key.as_str()], max);
            proptest::prop_assert!(e.chars().count() <= max + 1);
        }
    }

    #[test]
    fn excerpt_is_one_short_line() {
        let body = "<html>\n<body>\n".repeat(500);
        let e = excerpt(body.as_bytes(), &[], 80);
        assert!(!e.contains('\n'));
        assert!(e.chars().count() <= 81);
    }
}
