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

/// Client ids and secrets entering gtx (prompt, stdin, `GTX_CLIENT_*`): a newline or other
/// control character is a paste or quoting accident that would be sent (or stored) as
/// is, so it is a usage error. The message never quotes the value.
pub fn check_input(what: &str, value: &str) -> crate::error::Result<()> {
    match value.chars().position(char::is_control) {
        Some(at) => Err(crate::error::AppError::usage(format!(
            "the {what} holds a control character (newline, tab or escape) at position {}; remove it",
            at + 1
        ))),
        None => Ok(()),
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

/// What a person typed that may be a secret put in the wrong place: a few characters and
/// `…`, enough to recognise it, too few to use.
pub fn cut(value: &str) -> String {
    let head: String = value.chars().take(3).collect();
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
    "assertion",
    "clientassertion",
    "devicecode",
    "subjecttoken",
    "actortoken",
];

/// Whether a JSON, form or header key carries a secret: the one list, shared by error
/// excerpts and `-vv` request logs.
pub fn is_secret_key(key: &str) -> bool {
    let norm: String = key
        .chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_KEYS.contains(&norm.as_str())
}

/// A short, single-line, redacted excerpt of an untrusted body for error messages:
/// at most `max` characters, control characters flattened, known secrets and the values
/// of secret-carrying JSON or form keys replaced by their redacted form. Servers echo
/// secrets in many spellings (PHP's `\/`, `\uXXXX`, `&amp;`, `&#47;`, `%2F`), so the text is
/// decoded step by step and redacted after every step; the excerpt shows the decoded text.
pub fn excerpt(body: &[u8], known: &[&str], max: usize) -> String {
    let window = &body[..body.len().min(4096)];
    let known: Vec<&str> = known.iter().copied().filter(|s| s.len() >= 4).collect();
    let mut text = redact_text(&String::from_utf8_lossy(window), &known);
    for _ in 0..4 {
        let decoded = percent_decode(&html_unescape(&json_unescape(&text)));
        if decoded == text {
            break;
        }
        text = redact_text(&decoded, &known);
    }
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

/// One redaction pass: known secrets in every spelling, a prefix of one where a cut body
/// ends, then the values of secret keys.
fn redact_text(text: &str, known: &[&str]) -> String {
    let mut text = text.to_string();
    for secret in known {
        for variant in spellings(secret) {
            text = text.replace(&variant, &redact(secret));
        }
        text = redact_any_case(&text, secret);
        text = redact_split(&text, secret);
        text = redact_cut_prefix(&text, secret);
    }
    text = redact_base64(&text, known);
    redact_jws(&redact_form_values(&redact_json_values(&text)))
}

/// JWTs (RFC 7515 compact serialisation: base64url of `{"` is `eyJ`, then dot-separated
/// base64url parts), whatever key or none they stand under: an access or ID token, or a
/// client assertion gtx signed for a retry, which no list of the request's secrets holds.
fn redact_jws(text: &str) -> String {
    let part = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("eyJ") {
        let starts_run = !rest[..start].ends_with(part);
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(|c| !part(c)).unwrap_or(rest.len());
        let run = &rest[..end];
        match starts_run && run.contains('.') && run.len() >= 16 {
            true => out.push_str(&redact(run)),
            false => out.push_str(run),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A secret echoed in another letter case (a server that upper-cases what it quotes).
/// ASCII case folding keeps byte offsets, so the match in the folded text is the span to
/// replace in the original.
fn redact_any_case(text: &str, secret: &str) -> String {
    let folded = text.to_ascii_lowercase();
    let want = secret.to_ascii_lowercase();
    if want.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while let Some(found) = folded[at..].find(&want) {
        out.push_str(&text[at..at + found]);
        out.push_str(&redact(secret));
        at += found + want.len();
    }
    out.push_str(&text[at..]);
    out
}

/// A secret broken across lines (a server wrapping its page or a long header): its
/// characters in order with whitespace between them.
fn redact_split(text: &str, secret: &str) -> String {
    let want: Vec<char> = secret.chars().collect();
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        match split_match(&chars[i..], &want) {
            Some(len) => {
                out.push_str(&redact(secret));
                i += len;
            }
            None => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

/// How much of `text` spells `want` from its start, whitespace allowed between characters.
fn split_match(text: &[char], want: &[char]) -> Option<usize> {
    let mut k = 0;
    for (n, c) in want.iter().enumerate() {
        while n > 0 && text.get(k).is_some_and(|t| t.is_whitespace() && t != c) {
            k += 1;
        }
        if text.get(k) != Some(c) {
            return None;
        }
        k += 1;
    }
    Some(k)
}

/// Base64 runs (standard or URL-safe, padded or not) whose decoding holds a known secret:
/// an echoed `Authorization: Basic` header, or a secret the server encoded itself.
fn redact_base64(text: &str, known: &[&str]) -> String {
    let body = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '-' | '_');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(body) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(|c| !body(c)).unwrap_or(rest.len());
        let end = end + (rest[end..].len() - rest[end..].trim_start_matches('=').len());
        let run = &rest[..end];
        match run.len() >= 8 && decodes_to_secret(run, known) {
            true => out.push_str(&redact(run)),
            false => out.push_str(run),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn decodes_to_secret(run: &str, known: &[&str]) -> bool {
    use base64::Engine;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    let config = GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true);
    let trimmed = run.trim_end_matches('=');
    [base64::alphabet::STANDARD, base64::alphabet::URL_SAFE]
        .iter()
        .any(|alphabet| {
            GeneralPurpose::new(alphabet, config)
                .decode(trimmed)
                .is_ok_and(|bytes| {
                    let decoded = String::from_utf8_lossy(&bytes);
                    // A Basic header's `id:secret` is form-encoded first (RFC 6749 section
                    // 2.3.1): a secret with `~`, `+` or a space is there only so spelled.
                    let form = percent_decode(&decoded.replace('+', " "));
                    known
                        .iter()
                        .any(|s| decoded.contains(s) || form.contains(s))
                })
        })
}

/// A secret as servers echo it: raw, JSON (with PHP's `\/` and all-`\u` forms), HTML
/// (named and numeric references) and percent-encoded. Matching these on the raw text
/// catches one-layer spellings that decoding in a fixed order could garble (a secret with a
/// backslash, HTML-escaped); the decoding rounds in [`excerpt`] catch stacked ones.
fn spellings(secret: &str) -> Vec<String> {
    let json = serde_json::to_string(secret).unwrap_or_default();
    let json = json
        .trim_start_matches('"')
        .trim_end_matches('"')
        .to_string();
    let each = |f: &dyn Fn(char) -> String| secret.chars().map(f).collect::<String>();
    let utf16 = |upper: bool| {
        secret
            .encode_utf16()
            .map(|u| match upper {
                true => format!("\\u{u:04X}"),
                false => format!("\\u{u:04x}"),
            })
            .collect::<String>()
    };
    let html_named = |quot: &str, apos: &str| {
        secret
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', quot)
            .replace('\'', apos)
    };
    let percent = |upper: bool| {
        secret
            .bytes()
            .map(|b| match upper {
                true => format!("%{b:02X}"),
                false => format!("%{b:02x}"),
            })
            .collect::<String>()
    };
    let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let hex = |upper: bool| {
        secret
            .bytes()
            .map(|b| match upper {
                true => format!("{b:02X}"),
                false => format!("{b:02x}"),
            })
            .collect::<String>()
    };
    let mut out = vec![
        secret.to_string(),
        json.replace('/', "\\/"),
        json,
        utf16(false),
        utf16(true),
        // PHP's htmlspecialchars with its flag sets, and other escapers' choices.
        html_named("&quot;", "'"),
        html_named("&quot;", "&#039;"),
        html_named("&quot;", "&#39;"),
        html_named("&quot;", "&apos;"),
        html_named("\"", "'"),
        each(&|c| format!("&#{};", c as u32)),
        each(&|c| format!("&#x{:x};", c as u32)),
        each(&|c| format!("&#x{:X};", c as u32)),
        percent(true),
        percent(false),
        form.to_lowercase(),
        form,
        // A debugging endpoint's hex dump of what it received.
        hex(false),
        hex(true),
    ];
    out.sort();
    out.dedup();
    out
}

/// A body cut inside a secret ends with more of it than its redacted form shows.
fn redact_cut_prefix(text: &str, secret: &str) -> String {
    let shown = secret.chars().take(8).map(char::len_utf8).sum::<usize>();
    let longest = secret
        .char_indices()
        .map(|(i, _)| i)
        .chain([secret.len()])
        .filter(|&i| i > shown)
        .rev()
        .find(|&i| text.ends_with(&secret[..i]));
    match longest {
        Some(i) => format!("{}{}", &text[..text.len() - i], redact(secret)),
        None => text.to_string(),
    }
}

/// JSON string escapes anywhere in the text: `\/`, `\"`, `\\`, `\n`…, `\uXXXX` (with
/// surrogate pairs). Anything malformed is kept as is.
fn json_unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('\\') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        let (c, used) = json_escape_at(rest).unwrap_or(('\\', 1));
        out.push(c);
        rest = &rest[used..];
    }
    out.push_str(rest);
    out
}

/// The character a JSON escape at the start of `s` stands for, and its length.
fn json_escape_at(s: &str) -> Option<(char, usize)> {
    let simple = match s.as_bytes().get(1)? {
        b'/' => '/',
        b'"' => '"',
        b'\\' => '\\',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'u' => {
            let hi = u32::from_str_radix(s.get(2..6)?, 16).ok()?;
            if (0xd800..0xdc00).contains(&hi) {
                let lo = s.get(6..8).filter(|p| *p == "\\u").and(s.get(8..12))?;
                let lo = u32::from_str_radix(lo, 16).ok()?;
                let c = char::from_u32(0x10000 + ((hi - 0xd800) << 10) + (lo.checked_sub(0xdc00)?));
                return Some((c?, 12));
            }
            return Some((char::from_u32(hi)?, 6));
        }
        _ => return None,
    };
    Some((simple, 2))
}

/// HTML character references: the five named ones XML knows and numeric ones.
fn html_unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        let decoded = rest[1..]
            .find(';')
            .filter(|&end| end <= 10)
            .and_then(|end| html_entity(&rest[1..=end]).map(|c| (c, end + 2)));
        let (c, used) = decoded.unwrap_or(('&', 1));
        out.push(c);
        rest = &rest[used..];
    }
    out.push_str(rest);
    out
}

fn html_entity(name: &str) -> Option<char> {
    let code = match name.to_ascii_lowercase().as_str() {
        "amp" => return Some('&'),
        "lt" => return Some('<'),
        "gt" => return Some('>'),
        "quot" => return Some('"'),
        "apos" => return Some('\''),
        n => match n.strip_prefix("#x") {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => n.strip_prefix('#')?.parse().ok()?,
        },
    };
    char::from_u32(code)
}

/// `%XX` sequences (either case) to bytes; `+` is left alone (it is also a literal `+`).
pub fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
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

    const KNOWN: &str = "p@ss/w\"rd&<0123456789>";

    #[test]
    fn every_spelling_of_a_known_secret_is_redacted() {
        for body in [
            r#"echo p@ss\/w\"rd&<0123456789>"#,
            r#"echo \u0070\u0040ss\u002fw\u0022rd\u0026\u003c0123456789\u003e"#,
            "echo p@ss/w&quot;rd&amp;&lt;0123456789&gt;",
            "echo &#112;&#64;ss&#47;w&#34;rd&#38;&#60;0123456789&#62;",
            "echo &#x70;&#X40;ss&#x2F;w&#x22;rd&#x26;&#x3c;0123456789&#x3E;",
            "echo p%40ss%2Fw%22rd%26%3C0123456789%3E",
            "echo p%40ss%2fw%22rd%26%3c0123456789%3e",
            // Spellings stacked: percent-encoded HTML, JSON-escaped HTML.
            "echo p%40ss/w&amp;quot;rd&amp;amp;&amp;lt;0123456789&amp;gt;",
            r#"echo p@ss\/w&quot;rd\u0026amp;&lt;0123456789&gt;"#,
        ] {
            let e = excerpt(body.as_bytes(), &[KNOWN], 300);
            assert!(!e.contains("0123456789"), "{body} -> {e}");
            assert!(e.contains("p@ss/w\"r…"), "{body} -> {e}");
        }
    }

    #[test]
    fn known_secrets_need_the_list_not_a_key() {
        // Under no secret-looking key, only the request's list of secrets finds it.
        let body = br#"{"note":"you sent p@ss/w\"rd&<0123456789>"}"#;
        assert!(!excerpt(body, &[KNOWN], 300).contains("0123456789"));
        assert!(excerpt(body, &[], 300).contains("0123456789"));
    }

    #[test]
    fn truncated_bodies_are_still_redacted() {
        for body in [
            r#"{"access_token":"eyJhbGciOiJIUzI1NiJ9.payload-sig"#,
            r#"{"access_token": "eyJhbGciOiJIUzI1NiJ9.payload-sig\"#,
            r#"{"refresh_token" :"#,
            "access_token=eyJhbGciOiJIUzI1NiJ9.payload-sig",
        ] {
            let e = excerpt(body.as_bytes(), &[], 300);
            assert!(!e.contains("payload-sig"), "{body} -> {e}");
        }
        // Cut inside a known secret: no more of it than its redacted form.
        let cut = "error: you sent p@ss/w\"rd&<01234";
        let e = excerpt(cut.as_bytes(), &[KNOWN], 300);
        assert!(!e.contains("rd&<0"), "{e}");
        assert!(e.ends_with("p@ss/w\"r…"), "{e}");
        // Cut within the 8 characters the redacted form shows anyway: nothing to hide.
        let e = excerpt(b"you sent p@ss/w\"r", &[KNOWN], 300);
        assert_eq!(e, "you sent p@ss/w\"r");
        // A cut body (over the 4 KiB window) says so.
        let long = format!("{{\"a\":\"{}\"}}", "x".repeat(5000));
        assert!(excerpt(long.as_bytes(), &[], 10_000).ends_with('…'));
    }

    #[test]
    fn decoding_keeps_what_is_not_an_escape() {
        let e = excerpt(b"100% &unknown; &#xZZ; \\q \\u12 a%2", &[], 300);
        assert_eq!(e, "100% &unknown; &#xZZ; \\q \\u12 a%2");
        assert_eq!(json_unescape(r#"\ud83d\ude00 \n"#), "😀 \n");
        assert_eq!(
            json_unescape(r#"\" \\ \/ \r \t \b \f \n \x"#),
            "\" \\ / \r \t \u{8} \u{c} \n \\x"
        );
        assert_eq!(percent_decode("%+1%41"), "%+1A");
    }

    proptest::proptest! {
        /// Any secret, in any spelling a server may use, in a 5xx page, a JSON error or a
        /// cut body, never shows more than its redacted form.
        #[test]
        fn echoed_secrets_never_survive(
            head in "[A-Za-z0-9]{8}",
            middle in proptest::collection::vec(proptest::sample::select(vec!['/', '&', '<', '>', '"', '\u{27}', '+', '%', ' ', 'é', '\\', '#', ';']), 1..8),
            spelling in 0usize..7,
            context in 0usize..4,
        ) {
            let secret = format!("{head}{}Q7Zk", middle.iter().collect::<String>());
            let spelled = spell(&secret, spelling);
            let body = match context {
                0 => format!("<html><body>client_secret rejected: {spelled}</body></html>"),
                1 => format!(r#"{{"error":"server_error","error_description":"got {spelled}"}}"#),
                2 => format!(r#"{{"echo":"{spelled}"#),
                _ => format!("not json {spelled} trailing"),
            };
            let e = excerpt(body.as_bytes(), &[secret.as_str()], 400);
            proptest::prop_assert!(!e.contains("Q7Zk"), "{} -> {}", body, e);
            proptest::prop_assert!(!e.contains(&spell("Q7Zk", spelling)), "{} -> {}", body, e);
        }
    }

    #[test]
    fn a_hyphenated_form_key_is_one_key() {
        // `verifier` alone is no secret key: only the whole `code-verifier` is.
        let e = excerpt(b"sent code-verifier=abcdefghijklmnopqrstu&x=1", &[], 400);
        assert_eq!(e, "sent code-verifier=abcdefgh…&x=1");
    }

    #[test]
    fn a_quote_ends_a_form_value() {
        for q in ['\'', '"'] {
            let body = format!("body: {q}password=hunter2-long-value{q} end");
            let e = excerpt(body.as_bytes(), &[], 400);
            assert_eq!(e, format!("body: {q}password=hunter2-…{q} end"));
        }
    }

    #[test]
    fn a_secret_echoed_in_another_case_is_redacted() {
        let secret = "k3y-Secret-value-9z";
        for echoed in [
            "K3Y-SECRET-VALUE-9Z",
            "k3y-secret-value-9z",
            "K3y-SeCrEt-VaLuE-9Z",
        ] {
            let body = format!(
                r#"{{"error":"invalid_client","error_description":"no client with secret {echoed}!"}}"#
            );
            let e = excerpt(body.as_bytes(), &[secret], 400);
            assert!(!e.to_ascii_lowercase().contains("value-9z"), "{e}");
            assert!(e.contains("!"), "the rest of the text stays: {e}");
            assert!(
                e.contains("no client with secret "),
                "and what came before: {e}"
            );
        }
        let twice = redact_any_case("a K3Y-SECRET-VALUE-9Z b k3y-secret-value-9Z c", secret);
        let r = redact(secret);
        assert_eq!(twice, format!("a {r} b {r} c"));
    }

    fn spell(secret: &str, how: usize) -> String {
        match how {
            0 => secret.to_string(),
            1 => serde_json::to_string(secret)
                .unwrap_or_default()
                .trim_matches('"')
                .replace('/', "\\/"),
            2 => secret
                .encode_utf16()
                .map(|u| format!("\\u{u:04x}"))
                .collect(),
            3 => secret
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;"),
            4 => secret.chars().map(|c| format!("&#{};", c as u32)).collect(),
            5 => secret.bytes().map(|b| format!("%{b:02X}")).collect(),
            _ => url::form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
        }
    }

    #[test]
    fn redaction_shows_eight_characters_from_sixteen_on() {
        assert_eq!(redact("0123456789abcde"), "…");
        assert_eq!(redact("0123456789abcdef"), "01234567…");
        assert_eq!(redact("ü123456789abcdefg"), "ü1234567…");
        let s = Secret::new("0123456789abcdef");
        assert_eq!(s.to_string(), "01234567…");
        assert_eq!(s.redacted(), "01234567…");
        assert_eq!(s.expose(), "0123456789abcdef");
        assert!(!s.expose().is_empty());
        assert!(Secret::default().expose().is_empty());
    }

    #[test]
    fn header_safe_is_visible_ascii_only() {
        assert!(header_safe("abc~!"));
        for bad in ["", "a b", "a\tb", "a\u{7f}", "é", "a\nb"] {
            assert!(!header_safe(bad), "{bad:?}");
        }
    }

    #[test]
    fn secret_keys_match_in_any_spelling_and_only_those() {
        for k in [
            "access_token",
            "accessToken",
            "Access-Token",
            "CLIENT_SECRET",
            "code",
            "password",
        ] {
            assert!(is_secret_key(k), "{k}");
        }
        for k in [
            "token_type",
            "expires_in",
            "client_id",
            "scope",
            "error",
            "codes",
        ] {
            assert!(!is_secret_key(k), "{k}");
        }
    }

    #[test]
    fn check_input_refuses_control_characters_without_quoting_them() {
        assert!(check_input("client secret", "fine-secret").is_ok());
        let err = check_input("client secret", "abc\ndef-very-secret").expect_err("newline");
        assert_eq!(err.exit_code(), 2);
        assert!(err.message.contains("position 4"), "{}", err.message);
        assert!(!err.message.contains("very-secret"), "{}", err.message);
    }

    #[test]
    fn excerpt_length_and_ellipsis() {
        assert_eq!(excerpt(b"abcdef", &[], 6), "abcdef");
        assert_eq!(excerpt(b"abcdefg", &[], 6), "abcdef…");
        assert_eq!(excerpt(b"a \n\t b", &[], 60), "a b");
        // Known values shorter than 4 characters would clobber ordinary words.
        assert_eq!(excerpt(b"the cat", &["cat"], 60), "the cat");
    }

    #[test]
    fn form_values_of_secret_keys_only() {
        let e = excerpt(
            b"grant_type=refresh&refresh_token=rt-0123456789abcdefXYZ&scope=a b",
            &[],
            200,
        );
        assert_eq!(e, "grant_type=refresh&refresh_token=rt-01234…&scope=a b");
        let e = excerpt(b"password=hunter2-but-longer-0123", &[], 200);
        assert_eq!(e, "password=hunter2-…");
    }

    #[test]
    fn json_values_of_secret_keys_only() {
        let e = excerpt(
            b"{\"token_type\":\"Bearer\",\"access_token\" : \"at-0123456789abcdefXYZ\",\"n\":1}",
            &[],
            200,
        );
        assert_eq!(
            e,
            "{\"token_type\":\"Bearer\",\"access_token\" : \"at-01234…\",\"n\":1}"
        );
        // Cut bodies: the value is redacted and no closing quote is invented.
        for (body, shown) in [
            (
                "{\"access_token\":\"eyJhbGciOiJIUzI1NiJ9.payload",
                "{\"access_token\":\"eyJhbGci…",
            ),
            ("{\"access_token\":\"", "{\"access_token\":\"…"),
            ("{\"access_token\"  ", "{\"access_token\""),
            ("{\"access_token\"", "{\"access_token\""),
        ] {
            assert_eq!(excerpt(body.as_bytes(), &[], 200), shown, "{body}");
        }
        // A secret-looking string that is not a key (no colon) is left alone.
        let list = "[\"token\", \"value-0123456789abcdefXYZ\"]";
        assert_eq!(excerpt(list.as_bytes(), &[], 200), list);
        // A key without a string value is left alone.
        let e = excerpt(b"{\"token\": 12345678901234567890}", &[], 200);
        assert_eq!(e, "{\"token\": 12345678901234567890}");
    }

    #[test]
    fn a_secret_wrapped_across_lines_is_redacted_where_it_stands() {
        let known = "ab12cd34ef56gh78";
        assert_eq!(
            excerpt(b"you sent ab12cd34\n  ef56gh78 twice", &[known], 200),
            "you sent ab12cd34… twice"
        );
        assert_eq!(
            redact_split("a b12cd34ef5 6gh78 and ab12", known),
            "ab12cd34… and ab12"
        );
    }

    #[test]
    fn an_echoed_basic_header_is_redacted() {
        use base64::Engine;
        let known = "ab12cd34ef56gh78";
        for engine in [
            base64::engine::general_purpose::STANDARD,
            base64::engine::general_purpose::URL_SAFE_NO_PAD,
        ] {
            let run = engine.encode(format!("app:{known}"));
            let body = format!("you sent Basic {run} here");
            let e = excerpt(body.as_bytes(), &[known], 300);
            assert_eq!(e, format!("you sent Basic {} here", redact(&run)), "{body}");
        }
        // RFC 6749 section 2.3.1 form-encodes id and secret first: `~`, `+`, a space.
        let odd = "s3cr~t w/+plus=0123";
        let run =
            base64::engine::general_purpose::STANDARD.encode("my+app:s3cr%7Et+w%2F%2Bplus%3D0123");
        let e = excerpt(format!("you sent {run}").as_bytes(), &[odd], 300);
        assert_eq!(e, format!("you sent {}", redact(&run)));
        // A base64 run that decodes to something else stays.
        assert_eq!(
            excerpt(b"id YXBwOm90aGVy", &[known], 300),
            "id YXBwOm90aGVy"
        );
    }

    #[test]
    fn a_jwt_under_no_key_is_redacted() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXZhbHVl";
        let e = excerpt(format!("you sent {jwt}, retry").as_bytes(), &[], 300);
        assert_eq!(e, "you sent eyJhbGci…, retry");
        // Not a JWT: inside a longer run, or without a dot.
        for text in ["keyJabcdefghijklmnop.q", "eyJabcdefghijklmnopqrstu"] {
            assert_eq!(excerpt(text.as_bytes(), &[], 300), text);
        }
    }

    #[test]
    fn only_whitespace_may_split_a_secret_and_closing_quotes_stay() {
        let known = "ab12cd34ef56gh78";
        let text = "ab12cd34 XX ef56gh78";
        assert_eq!(redact_split(text, known), text);
        assert_eq!(
            excerpt(br#"{"access_token":"at-0123456789abcdefXYZ"}"#, &[], 200),
            r#"{"access_token":"at-01234…"}"#
        );
    }

    #[test]
    fn a_json_string_is_read_past_its_escapes() {
        let chars: Vec<char> = r#"x "a\"b\\" y"#.chars().collect();
        assert_eq!(read_string(&chars, 2), (10, "a\"b\\".to_string()));
        let cut: Vec<char> = r#""ab\"#.chars().collect();
        assert_eq!(read_string(&cut, 0), (4, "ab".to_string()));
    }
}
