//! Small, pure encoding helpers: form-urlencoding, HTML escaping, HTTP Basic
//! and Bearer parsing, PKCE and constant-time comparison.

use std::collections::HashMap;

use axum::http::{HeaderMap, header};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Decodes `application/x-www-form-urlencoded` text (`+` is a space).
/// Malformed `%` escapes are kept literally; invalid UTF-8 is replaced.
pub fn form_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hi = b.get(i + 1).copied().and_then(hex_val);
                let lo = b.get(i + 2).copied().and_then(hex_val);
                if let (Some(hi), Some(lo)) = (hi, lo) {
                    out.push(hi * 16 + lo);
                    i += 3;
                } else {
                    out.push(b'%');
                    i += 1;
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Encodes one form value (`application/x-www-form-urlencoded`, space as `+`).
pub fn form_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if is_unreserved(b) {
            out.push(char::from(b));
        } else if b == b' ' {
            out.push('+');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Parses a form/query string. A parameter that appears twice is an error
/// (RFC 6749 3.1/3.2): `Err(name)`.
pub fn parse_form(s: &str) -> Result<HashMap<String, String>, String> {
    let mut map = HashMap::new();
    for pair in s.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let k = form_decode(k);
        if map.contains_key(&k) {
            return Err(k);
        }
        map.insert(k, form_decode(v));
    }
    Ok(map)
}

/// A parameter; an empty value counts as absent (RFC 6749 3.1).
pub fn param<'a>(map: &'a HashMap<String, String>, key: &str) -> Option<&'a str> {
    map.get(key).map(String::as_str).filter(|v| !v.is_empty())
}

/// Appends query parameters to a URI that may already carry a query.
pub fn append_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    let mut out = uri.to_owned();
    let mut sep = if uri.contains('?') {
        if uri.ends_with('?') || uri.ends_with('&') {
            ""
        } else {
            "&"
        }
    } else {
        "?"
    };
    for (k, v) in pairs {
        out.push_str(sep);
        out.push_str(&form_encode(k));
        out.push('=');
        out.push_str(&form_encode(v));
        sep = "&";
    }
    out
}

pub use crate::html::escape as html_escape;

/// Compares two strings without an early exit on the first difference.
pub fn ct_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The raw `Authorization` header, if it is valid visible ASCII.
pub fn authorization(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
}

/// True if the `Authorization` header uses the Basic scheme.
pub fn is_basic(value: &str) -> bool {
    value
        .trim_start()
        .get(..6)
        .is_some_and(|s| s.eq_ignore_ascii_case("basic "))
}

/// Decodes `Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 2.3.1).
pub fn parse_basic(value: &str) -> Option<(String, String)> {
    let (scheme, rest) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = STANDARD.decode(rest.trim()).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((form_decode(id), form_decode(secret)))
}

/// The token of an `Authorization: Bearer <token>` header.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let (scheme, token) = authorization(headers)?.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// BASE64URL-NOPAD(SHA256(verifier)).
pub fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// RFC 7636 4.1: 43..=128 unreserved characters.
pub fn valid_verifier(v: &str) -> bool {
    (43..=128).contains(&v.len()) && v.bytes().all(is_unreserved)
}

/// An S256 challenge is 43 base64url characters.
pub fn valid_challenge(c: &str) -> bool {
    c.len() == 43
        && c.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    valid_verifier(verifier) && ct_eq(&s256(verifier), challenge)
}

/// A redirect URI is acceptable if it is plain http on a loopback host with
/// an explicit port, without fragment or odd characters.
pub fn is_loopback_redirect(uri: &str) -> bool {
    if uri.bytes().any(|b| !b.is_ascii_graphic()) || uri.contains('#') {
        return false;
    }
    let Some(rest) = uri.strip_prefix("http://") else {
        return false;
    };
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let Some((host, port)) = rest[..end].rsplit_once(':') else {
        return false;
    };
    let host_ok = host == "127.0.0.1" || host.eq_ignore_ascii_case("localhost") || host == "[::1]";
    host_ok
        && !port.is_empty()
        && port.len() <= 5
        && port.bytes().all(|b| b.is_ascii_digit())
        && port.parse::<u16>().is_ok_and(|p| p > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_rfc7636_appendix_b() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert_eq!(s256(verifier), challenge);
        assert!(valid_challenge(challenge));
        assert!(pkce_matches(verifier, challenge));
        assert!(!pkce_matches(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXX",
            challenge
        ));
        assert!(!pkce_matches("short", challenge));
    }

    #[test]
    fn basic_auth_is_form_decoded() {
        let v = format!("Basic {}", STANDARD.encode("my%20client:s%3Acret+x"));
        assert_eq!(
            parse_basic(&v),
            Some(("my client".to_owned(), "s:cret x".to_owned()))
        );
        let v = format!("basic {}", STANDARD.encode("demo-client:demo-secret"));
        assert_eq!(
            parse_basic(&v),
            Some(("demo-client".to_owned(), "demo-secret".to_owned()))
        );
        assert_eq!(parse_basic("Basic !!!"), None);
        assert_eq!(
            parse_basic(&format!("Basic {}", STANDARD.encode("nocolon"))),
            None
        );
        assert_eq!(parse_basic("Bearer abc"), None);
        assert!(is_basic("Basic abc"));
        assert!(!is_basic("Bear"));
    }

    #[test]
    fn form_round_trip_and_duplicates() {
        let m = parse_form("a=1+2&b=%41%zz&c").unwrap();
        assert_eq!(m["a"], "1 2");
        assert_eq!(m["b"], "A%zz");
        assert_eq!(m["c"], "");
        assert_eq!(param(&m, "c"), None);
        assert_eq!(parse_form("a=1&a=2"), Err("a".to_owned()));
        assert_eq!(form_encode("a b&c=é"), "a+b%26c%3D%C3%A9");
        assert_eq!(
            append_query("http://127.0.0.1:1/cb?x=1", &[("code", "a b")]),
            "http://127.0.0.1:1/cb?x=1&code=a+b"
        );
        assert_eq!(
            append_query("http://h:1/cb", &[("s", "")]),
            "http://h:1/cb?s="
        );
    }

    #[test]
    fn loopback_redirects() {
        assert!(is_loopback_redirect("http://127.0.0.1:8080/callback"));
        assert!(is_loopback_redirect("http://localhost:53211/cb?x=1"));
        assert!(is_loopback_redirect("http://127.0.0.1:9"));
        assert!(!is_loopback_redirect("http://127.0.0.1/callback"));
        assert!(!is_loopback_redirect("https://127.0.0.1:80/cb"));
        assert!(!is_loopback_redirect("http://evil.com:80/cb"));
        assert!(!is_loopback_redirect("http://127.0.0.1:80@evil.com/cb"));
        assert!(!is_loopback_redirect("http://127.0.0.1:80/cb#frag"));
        assert!(!is_loopback_redirect("http://127.0.0.1:99999/cb"));
    }
}
