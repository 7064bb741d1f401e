//! Who may talk to the page's server (docs/try.md, "Safety"). A page on loopback is
//! reachable by every site the browser visits, so every request must prove that it comes
//! from the page gtx opened:
//!
//! - `Host` is exactly `127.0.0.1:PORT` (a rebound DNS name reaches the same socket with
//!   another Host);
//! - the one-time key in the opened URL is exchanged, once, for an `HttpOnly`,
//!   `SameSite=Strict` cookie that every later request must carry;
//! - `Origin`, when the browser sends one (always on a POST), is the page's own;
//! - the API takes JSON only: a cross-site form can post neither that type nor the cookie.

use crate::error::{AppError, Result};
use hyper::HeaderMap;
use hyper::header;
use std::sync::Mutex;

pub struct Gate {
    port: u16,
    host: String,
    origin: String,
    cookie_name: String,
    /// The one-time key of the opened URL; `None` once it was exchanged.
    key: Mutex<Option<String>>,
    session: String,
}

/// Why a request was turned away: the status and a sentence (never a secret).
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub message: &'static str,
}

const fn refusal(status: u16, message: &'static str) -> Refusal {
    Refusal { status, message }
}

impl Gate {
    pub fn new(port: u16) -> Result<Gate> {
        Ok(Gate {
            port,
            host: format!("127.0.0.1:{port}"),
            origin: format!("http://127.0.0.1:{port}"),
            // Cookies are shared by every port of a host: each page names its own.
            cookie_name: format!("gtx_try_{port}"),
            key: Mutex::new(Some(random_hex()?)),
            session: random_hex()?,
        })
    }

    pub fn opening_url(&self) -> String {
        let key = self.key.lock().unwrap_or_else(|p| p.into_inner());
        format!(
            "http://127.0.0.1:{}/?key={}",
            self.port,
            key.as_deref().unwrap_or("")
        )
    }

    /// DNS rebinding: the name in the address bar must be the loopback address itself.
    pub fn check_host(&self, headers: &HeaderMap, uri: &hyper::Uri) -> Result<(), Refusal> {
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
        let authority_ok = uri.authority().is_none_or(|a| a.as_str() == self.host);
        if host != Some(self.host.as_str()) || !authority_ok {
            return Err(refusal(
                421,
                "this page answers only at its own address (Host must be 127.0.0.1:PORT)",
            ));
        }
        Ok(())
    }

    /// Exchanges the one-time key for the session cookie: `Some(Set-Cookie value)` when
    /// `offered` is the key and it was not used before.
    pub fn exchange(&self, offered: &str) -> Option<String> {
        let mut key = self.key.lock().unwrap_or_else(|p| p.into_inner());
        let matches = key
            .as_deref()
            .is_some_and(|k| same(k.as_bytes(), offered.as_bytes()));
        if !matches {
            return None;
        }
        *key = None;
        Some(format!(
            "{}={}; Path=/; HttpOnly; SameSite=Strict",
            self.cookie_name, self.session
        ))
    }

    pub fn check_cookie(&self, headers: &HeaderMap) -> Result<(), Refusal> {
        let found = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().split_once('='))
            .any(|(name, value)| {
                name == self.cookie_name && same(value.as_bytes(), self.session.as_bytes())
            });
        match found {
            true => Ok(()),
            false => Err(refusal(
                403,
                "not the page gtx opened: open the URL `gtx try` printed (once, in one browser)",
            )),
        }
    }

    /// `Origin` must be the page's own; `required` for anything that changes state.
    pub fn check_origin(&self, headers: &HeaderMap, required: bool) -> Result<(), Refusal> {
        match headers.get(header::ORIGIN).map(|o| o.as_bytes()) {
            Some(o) if o == self.origin.as_bytes() => Ok(()),
            None if !required => Ok(()),
            _ => Err(refusal(403, "requests from other origins are refused")),
        }
    }

    /// JSON only: a form post from another site cannot send it without a preflight.
    pub fn check_json(&self, headers: &HeaderMap) -> Result<(), Refusal> {
        let media = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|m| m.trim().to_ascii_lowercase());
        match media.as_deref() {
            Some("application/json") => Ok(()),
            _ => Err(refusal(415, "the page's API takes application/json only")),
        }
    }
}

/// Compares in time independent of where the first difference is.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn random_hex() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| AppError::bug(format!("no randomness from the system: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).expect("value"));
        }
        h
    }

    fn key_of(gate: &Gate) -> String {
        gate.opening_url()
            .split_once("key=")
            .map(|(_, k)| k.to_string())
            .expect("key")
    }

    #[test]
    fn the_key_is_exchanged_once_for_a_strict_http_only_cookie() {
        let gate = Gate::new(4321).expect("gate");
        let key = key_of(&gate);
        assert_eq!(key.len(), 64);
        assert!(gate.exchange("wrong").is_none());
        let cookie = gate.exchange(&key).expect("first use");
        assert!(cookie.starts_with("gtx_try_4321="));
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
        assert!(gate.exchange(&key).is_none(), "a key works once");
        let value = cookie.split(';').next().expect("pair").to_string();
        assert!(gate.check_cookie(&headers(&[("cookie", &value)])).is_ok());
        assert!(
            gate.check_cookie(&headers(&[("cookie", "a=b; gtx_try_4321=0000")]))
                .is_err()
        );
        assert!(gate.check_cookie(&HeaderMap::new()).is_err());
    }

    #[test]
    fn host_origin_and_type() {
        let gate = Gate::new(4321).expect("gate");
        let uri = hyper::Uri::from_static("/api/state");
        assert!(
            gate.check_host(&headers(&[("host", "127.0.0.1:4321")]), &uri)
                .is_ok()
        );
        for bad in [
            "localhost:4321",
            "127.0.0.1:4322",
            "evil.example:4321",
            "127.0.0.1",
        ] {
            assert!(
                gate.check_host(&headers(&[("host", bad)]), &uri).is_err(),
                "{bad}"
            );
        }
        assert!(gate.check_host(&HeaderMap::new(), &uri).is_err());
        let own = headers(&[("origin", "http://127.0.0.1:4321")]);
        assert!(gate.check_origin(&own, true).is_ok());
        assert!(gate.check_origin(&HeaderMap::new(), true).is_err());
        assert!(gate.check_origin(&HeaderMap::new(), false).is_ok());
        for bad in ["http://localhost:4321", "null", "https://evil.example"] {
            assert!(
                gate.check_origin(&headers(&[("origin", bad)]), false)
                    .is_err()
            );
        }
        assert!(
            gate.check_json(&headers(&[(
                "content-type",
                "application/json; charset=utf-8"
            )]))
            .is_ok()
        );
        for bad in [
            "application/x-www-form-urlencoded",
            "text/plain",
            "multipart/form-data",
        ] {
            assert!(gate.check_json(&headers(&[("content-type", bad)])).is_err());
        }
    }
}
