//! Where a request goes and what it carries: the URL (relative to `api_base`, or absolute
//! on its origin only), `-q` parameters, `-H` headers and the body (`-d` or fields).

use super::fields;
use super::source::{Budget, read_source};
use crate::error::{AppError, Result};
use reqwest::{Method, Url};

/// `[METHOD] PATH`: one word alone is the path.
pub fn method_and_path(
    first: Option<&str>,
    second: Option<&str>,
    has_body: bool,
) -> Result<(Method, String)> {
    let (method, path) = match (first, second) {
        (Some(m), Some(p)) => (Some(m), p),
        (Some(p), None) => (None, p),
        _ => {
            return Err(AppError::usage("a PATH is required")
                .ending(crate::fix::Ending::RequestUsage { operation: false }));
        }
    };
    let method = match method {
        Some(m) => {
            let upper = m.to_ascii_uppercase();
            Method::from_bytes(upper.as_bytes())
                .map_err(|_| AppError::usage(format!("{m:?} is not an HTTP method")))?
        }
        None if has_body => Method::POST,
        None => Method::GET,
    };
    Ok((method, path.to_string()))
}

/// The token goes only to `api_base`'s origin: a relative path is appended to it (base
/// path kept), an absolute URL must share its scheme, host and port.
pub fn resolve(base: &Url, path: &str, query: &[String]) -> Result<Url> {
    let absolute = (!path.starts_with('/'))
        .then(|| Url::parse(path).ok())
        .flatten();
    let mut url = if let Some(url) = absolute {
        if url.origin() != base.origin() {
            return Err(AppError::config(format!(
                "refusing to send the token to {}: not the environment's origin {}",
                crate::oauth::http::loggable_url(&url),
                base.origin().ascii_serialization()
            ))
            .hint("gtx request sends the token only to api_base; use a path like /api/v1/orders"));
        }
        url
    } else {
        stays_under_base(path)?;
        let slash = if path.starts_with('/') { "" } else { "/" };
        let joined = format!("{}{slash}{path}", base.as_str().trim_end_matches('/'));
        Url::parse(&joined)
            .map_err(|e| AppError::usage(format!("{path:?} is not a valid path ({e})")))?
    };
    if url.origin() != base.origin() {
        return Err(AppError::usage(format!("{path:?} leaves api_base")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(AppError::usage("credentials in the URL are not accepted"));
    }
    for pair in query {
        let (k, v) = fields::split_pair(pair, "-q")?;
        url.query_pairs_mut().append_pair(k, v);
    }
    if url.as_str().len() > MAX_URL {
        return Err(AppError::usage(format!(
            "URL too long: {} bytes, at most {MAX_URL} can be sent (nothing was sent)",
            url.as_str().len()
        ))
        .hint("send large parameters in the body (-d, -f) instead of the path or query"));
    }
    Ok(url)
}

/// The longest URL the HTTP stack can send (the `http` crate's URI limit).
const MAX_URL: usize = u16::MAX as usize - 1;

/// A relative PATH must not climb above `api_base`'s base path (the token is for that
/// tenant) in any spelling a server might decode: `..`, `%2e%2e`, `..\`, `..%2f`, nor
/// hold control characters (which URL parsing would silently drop).
fn stays_under_base(path: &str) -> Result<()> {
    if path.chars().any(char::is_control) {
        return Err(AppError::usage(
            "PATH holds a control character (tab, newline, …); nothing was sent",
        ));
    }
    let route = path.split(['?', '#']).next().unwrap_or_default();
    let mut decoded = route.to_string();
    // Decoded until stable (a few rounds): servers and proxies differ in how often they do.
    for _ in 0..3 {
        let next = percent_decoded(&decoded);
        if next == decoded {
            break;
        }
        decoded = next;
    }
    let mut depth = 0usize;
    for segment in decoded.split(['/', '\\']) {
        match segment {
            "" | "." => {}
            ".." => {
                depth = depth.checked_sub(1).ok_or_else(|| {
                    AppError::usage(format!(
                        "{:?} climbs above api_base's path; nothing was sent",
                        crate::sanitize::terminal_cut(path, 80)
                    ))
                    .hint("request paths are relative to api_base (base path included)")
                })?
            }
            _ => depth += 1,
        }
    }
    Ok(())
}

fn percent_decoded(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `-H 'Name: value'`, validated as HTTP allows; Authorization is gtx's own.
pub fn parse_header(raw: &str) -> Result<(String, String)> {
    let (name, value) = raw.split_once(':').ok_or_else(|| {
        // The value may be a credential (`X-Api-Key=…`, `Cookie session=…`): only the
        // first characters are quoted.
        AppError::usage(format!(
            "-H expects 'Name: value', got {:?}",
            crate::secret::cut(raw)
        ))
    })?;
    let name = name.trim();
    let value = value.trim();
    if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err()
        || reqwest::header::HeaderValue::from_str(value).is_err()
    {
        return Err(AppError::usage(format!("-H {name:?}: not a valid header")));
    }
    // Host would route the token to another site behind a shared front end; the framing
    // headers, if they disagree with the body, hang the request until the timeout.
    const MANAGED: &[&str] = &["host", "content-length", "transfer-encoding", "connection"];
    if MANAGED.iter().any(|m| name.eq_ignore_ascii_case(m)) {
        return Err(AppError::usage(format!(
            "-H {name}: gtx sets this header from the URL and the body"
        )));
    }
    if name.eq_ignore_ascii_case("authorization") {
        return Err(AppError::usage(
            "gtx request sets Authorization from the profile's token; for other credentials use curl",
        ));
    }
    Ok((name.to_string(), value.to_string()))
}

/// Whether a `-H` header carries a credential, so that `-v` shows it redacted (docs/security.md):
/// cookies, proxy credentials, API keys and anything named like a token or secret.
pub fn secret_header(name: &str) -> bool {
    let norm: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    [
        "cookie",
        "auth",
        "token",
        "secret",
        "apikey",
        "password",
        "session",
        "signature",
        "credential",
    ]
    .iter()
    .any(|w| norm.contains(w))
}

/// The body and the Content-Type it implies (a `-H Content-Type` wins).
pub struct Payload {
    pub bytes: bytes::Bytes,
    pub content_type: &'static str,
}

/// `-d DATA|@FILE|@-`, or the JSON object `-f`/`-F` build; `None` without either.
pub fn payload(data: Option<&str>, raw: &[String], typed: &[String]) -> Result<Option<Payload>> {
    if let Some(data) = data {
        let bytes = match data.strip_prefix('@') {
            Some(source) => read_source(source, &mut Budget::default())?,
            None => data.as_bytes().to_vec(),
        };
        let json = serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).is_ok();
        return Ok(Some(Payload {
            bytes: bytes.into(),
            content_type: if json {
                "application/json"
            } else {
                "application/octet-stream"
            },
        }));
    }
    if raw.is_empty() && typed.is_empty() {
        return Ok(None);
    }
    let mut pairs = Vec::new();
    let mut budget = Budget::default();
    for f in raw {
        let (k, v) = fields::split_pair(f, "-f")?;
        pairs.push((k.to_string(), serde_json::Value::String(v.to_string())));
    }
    for f in typed {
        let (k, v) = fields::split_pair(f, "-F")?;
        pairs.push((k.to_string(), fields::typed_value(v, &mut budget)?));
    }
    let body = serde_json::to_vec(&fields::build(&pairs)?)
        .map_err(|e| AppError::bug(format!("cannot encode JSON: {e}")))?;
    Ok(Some(Payload {
        bytes: body.into(),
        content_type: "application/json",
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://api.example.com/v2/").expect("url")
    }

    #[test]
    fn paths_keep_the_base_path() {
        let u = resolve(&base(), "/orders", &[]).expect("ok");
        assert_eq!(u.as_str(), "https://api.example.com/v2/orders");
        let u = resolve(&base(), "orders?x=1", &["a=b c".into()]).expect("ok");
        assert_eq!(u.as_str(), "https://api.example.com/v2/orders?x=1&a=b+c");
    }

    #[test]
    fn foreign_origins_are_refused() {
        for url in [
            "https://evil.example.com/v2/orders",
            "http://api.example.com/v2/orders",
            "https://api.example.com:8443/v2/orders",
        ] {
            let e = resolve(&base(), url, &[]).expect_err(url);
            assert_eq!(e.exit_code(), 3, "{url}");
        }
        assert!(resolve(&base(), "https://api.example.com/other", &[]).is_ok());
        assert!(
            resolve(&base(), "//evil.example.com/x", &[])
                .is_ok_and(|u| u.host_str() == Some("api.example.com"))
        );
    }

    #[test]
    fn method_defaults() {
        let m = |a, b, body| method_and_path(a, b, body).expect("ok").0;
        assert_eq!(m(Some("/x"), None, false), Method::GET);
        assert_eq!(m(Some("/x"), None, true), Method::POST);
        assert_eq!(m(Some("head"), Some("/x"), false), Method::HEAD);
        assert!(method_and_path(Some("BAD METHOD"), Some("/x"), false).is_err());
    }

    #[test]
    fn headers() {
        assert_eq!(
            parse_header("Accept:  text/csv ").expect("ok"),
            ("Accept".into(), "text/csv".into())
        );
        assert!(parse_header("no colon").is_err());
        assert!(parse_header("authorization: Basic x").is_err());
        assert!(parse_header("X-A: a\r\nX-B: b").is_err());
        for name in ["Cookie", "X-Api-Key", "x-auth-token", "Proxy-Authorization"] {
            assert!(secret_header(name), "{name}");
        }
        for name in ["Accept", "X-Trace", "Content-Type", "Idempotency-Key"] {
            assert!(!secret_header(name), "{name}");
        }
    }
}
