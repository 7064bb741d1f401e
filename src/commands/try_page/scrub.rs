//! Every token gtx used for a request, removed from what the page is shown of the answer
//! (docs/try.md): an API that echoes its request's headers must not hand the token to the
//! browser, whether it echoes it as sent, percent-encoded, JSON-escaped (`\u0074`, `\/`),
//! in base64 (standard or URL-safe, at any offset of a longer encoded text such as
//! `Bearer TOKEN`, wrapped in lines or not) or in hex.

use crate::secret::Secret;
use base64::Engine;

/// What stands where the API echoed a token back.
pub const SCRUBBED: &str = "[token removed by gtx]";

/// Encoded forms shorter than this could match ordinary text; the token as sent is
/// removed at any length.
const MIN_ENCODED: usize = 12;

/// How one form of a token is compared with the answer's bytes.
#[derive(Clone, Copy, PartialEq)]
enum Form {
    /// Byte for byte (each byte may still come percent- or JSON-escaped).
    Exact,
    /// Base64: `+`/`-` and `/`/`_` are the same digit, line breaks are skipped.
    Base64,
    /// Hex digits, either case.
    Hex,
}

/// The forms of every secret to look for, and the bytes any of them can start with (the
/// only places a match is tried: one pass over a 16 MiB body stays cheap).
pub struct Needles {
    forms: Vec<(Vec<u8>, Form)>,
    starts: [bool; 256],
}

impl Needles {
    pub fn new(secrets: &[Secret]) -> Needles {
        let mut all = Vec::new();
        for s in secrets {
            let token = s.expose().as_bytes();
            if token.is_empty() {
                continue;
            }
            all.push((token.to_vec(), Form::Exact));
            if token.len() * 2 >= MIN_ENCODED {
                all.push((hex(token).into_bytes(), Form::Hex));
            }
            for core in base64_cores(token) {
                if core.len() >= MIN_ENCODED {
                    all.push((core.into_bytes(), Form::Base64));
                }
            }
        }
        let mut starts = [false; 256];
        starts[usize::from(b'%')] = true;
        starts[usize::from(b'\\')] = true;
        for (needle, form) in &all {
            for b in 0..=255u8 {
                if same(b, needle[0], *form) {
                    starts[usize::from(b)] = true;
                }
            }
        }
        Needles { forms: all, starts }
    }

    /// `bytes` with every form of every token replaced by [`SCRUBBED`].
    pub fn scrub(&self, bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        'bytes: while i < bytes.len() {
            if self.starts[usize::from(bytes[i])] {
                for (needle, form) in &self.forms {
                    if let Some(end) = matches_at(bytes, i, needle, *form) {
                        out.extend_from_slice(SCRUBBED.as_bytes());
                        i = end;
                        continue 'bytes;
                    }
                }
            }
            out.push(bytes[i]);
            i += 1;
        }
        out
    }

    pub fn scrub_str(&self, text: &str) -> String {
        String::from_utf8_lossy(&self.scrub(text.as_bytes())).into_owned()
    }

    /// As [`Needles::scrub`]; a body cut at the size cap may end inside a token, so a
    /// trailing piece that begins the token as sent goes too.
    pub fn scrub_cut(&self, bytes: &[u8], truncated: bool) -> Vec<u8> {
        let mut out = self.scrub(bytes);
        if truncated {
            for (needle, _) in self.forms.iter().filter(|(_, f)| *f == Form::Exact) {
                let cut = (1..needle.len())
                    .rev()
                    .find(|&k| out.ends_with(&needle[..k]))
                    .unwrap_or(0);
                out.truncate(out.len() - cut);
            }
        }
        out
    }

    /// Every string in `value` (keys included) scrubbed: the last pass over what the
    /// page gets, after JSON bodies were decoded and pretty-printed.
    pub fn scrub_value(&self, value: serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match value {
            Value::String(s) => Value::String(self.scrub_str(&s)),
            Value::Array(items) => {
                Value::Array(items.into_iter().map(|v| self.scrub_value(v)).collect())
            }
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .map(|(k, v)| (self.scrub_str(&k), self.scrub_value(v)))
                    .collect(),
            ),
            other => other,
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The part of the token's base64 that is the same wherever it starts in a longer
/// encoded text: for each of the three offsets modulo 3, the digits that hold only the
/// token's bits.
fn base64_cores(token: &[u8]) -> Vec<String> {
    (0..3)
        .map(|k| {
            let mut padded = vec![0u8; k];
            padded.extend_from_slice(token);
            let encoded = base64::engine::general_purpose::STANDARD_NO_PAD.encode(&padded);
            let skip = (8 * k).div_ceil(6);
            let whole = 8 * padded.len() / 6;
            encoded.get(skip..whole).unwrap_or("").to_string()
        })
        .collect()
}

/// Where the needle ends if it starts at `i`, each of its bytes as itself or escaped.
fn matches_at(hay: &[u8], mut i: usize, needle: &[u8], form: Form) -> Option<usize> {
    for (n, &want) in needle.iter().enumerate() {
        if form == Form::Base64 && n > 0 {
            while let Some(skip) = line_break(&hay[i..]) {
                i += skip;
            }
        }
        i += one_byte(&hay[i..], want, form)?;
    }
    Some(i)
}

/// How many bytes of `hay` stand for `want`: the byte itself, `%XX`, `\u00XX`, or `\`
/// before it (JSON's `\/`).
fn one_byte(hay: &[u8], want: u8, form: Form) -> Option<usize> {
    let &first = hay.first()?;
    if same(first, want, form) {
        return Some(1);
    }
    match first {
        b'%' => {
            let b = hex_byte(hay.get(1..3)?)?;
            same(b, want, form).then_some(3)
        }
        b'\\' => {
            let next = *hay.get(1)?;
            if next == b'u' || next == b'U' {
                let digits = hay.get(2..6)?;
                (digits[..2] == *b"00" && same(hex_byte(&digits[2..])?, want, form)).then_some(6)
            } else {
                (same(next, want, form) && next.is_ascii_punctuation()).then_some(2)
            }
        }
        _ => None,
    }
}

fn same(have: u8, want: u8, form: Form) -> bool {
    match form {
        Form::Exact => have == want,
        Form::Hex => have.eq_ignore_ascii_case(&want),
        Form::Base64 => {
            have == want
                || matches!(
                    (have, want),
                    (b'-', b'+') | (b'+', b'-') | (b'_', b'/') | (b'/', b'_')
                )
        }
    }
}

/// A line break inside base64 (MIME wraps it): CR, LF, or their JSON escapes.
fn line_break(hay: &[u8]) -> Option<usize> {
    match hay {
        [b'\r' | b'\n', ..] => Some(1),
        [b'\\', b'r' | b'n', ..] => Some(2),
        _ => None,
    }
}

fn hex_byte(two: &[u8]) -> Option<u8> {
    let digit = |c: u8| (c as char).to_digit(16);
    Some((digit(*two.first()?)? * 16 + digit(*two.get(1)?)?) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "tok-abc.DEF_ghi/0123456789+xyz";

    fn scrubbed(text: &str) -> String {
        Needles::new(&[Secret::new(TOKEN)]).scrub_str(text)
    }

    #[test]
    fn echoed_tokens_are_removed() {
        let secrets = [Secret::new("tok-abc"), Secret::new("ref-xyz")];
        let out = Needles::new(&secrets)
            .scrub_str("{\"authorization\":\"Bearer tok-abc\",\"r\":\"ref-xyztok-abc\"}");
        assert!(
            !out.contains("tok-abc") && !out.contains("ref-xyz"),
            "{out}"
        );
        assert_eq!(out.matches(SCRUBBED).count(), 3);
        assert_eq!(Needles::new(&secrets).scrub(b""), b"");
    }

    #[test]
    fn encoded_tokens_are_removed() {
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let b64url = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let every_byte: String = TOKEN.bytes().map(|b| format!("%{b:02X}")).collect();
        let json_u: String = TOKEN.bytes().map(|b| format!("\\u{b:04x}")).collect();
        let wrapped: String = b64(&format!("Bearer {TOKEN}"))
            .as_bytes()
            .chunks(10)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("\r\n");
        for form in [
            TOKEN.to_string(),
            b64(TOKEN),
            b64(&format!("Bearer {TOKEN}")),
            b64(&format!("Authorization: Bearer {TOKEN}")),
            b64url(&format!("xx{TOKEN}")),
            wrapped,
            every_byte.to_lowercase(),
            url::form_urlencoded::byte_serialize(TOKEN.as_bytes()).collect(),
            json_u,
            TOKEN.replace('/', "\\/"),
            hex(TOKEN.as_bytes()).to_uppercase(),
        ] {
            let out = scrubbed(&format!("before {form} after"));
            assert!(
                out.contains(SCRUBBED) && !out.contains(&form),
                "{form} → {out}"
            );
            assert!(!out.contains("0123456789"), "{form} → {out}");
        }
        assert_eq!(scrubbed("nothing here"), "nothing here");
    }

    #[test]
    fn a_token_cut_by_the_size_cap_leaves_no_prefix() {
        let needles = Needles::new(&[Secret::new("tok-abcdefgh")]);
        let out = String::from_utf8(needles.scrub_cut(b"Bearer tok-abcd", true)).expect("utf8");
        assert!(!out.contains("tok-ab"), "{out}");
        assert_eq!(needles.scrub_cut(b"x tok", false), b"x tok");
    }
}
