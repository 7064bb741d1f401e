//! Emulated misbehaviour of the token endpoints.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::reply;
use crate::state::{Dialect, Settings};

const HUGE_LEN: usize = 5 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    Fail(u16),
    RateLimit(u64),
    Html,
    MissingToken,
    Huge,
    BadUtf8,
    WrongTypes,
    Body(u16),
}

fn take(counter: &mut u64) -> bool {
    if *counter > 0 {
        *counter -= 1;
        true
    } else {
        false
    }
}

/// Consumes one pending fault, the first in check order, if any.
pub fn take_fault(s: &mut Settings) -> Option<Fault> {
    if take(&mut s.fail_next) {
        Some(Fault::Fail(s.fail_status))
    } else if take(&mut s.rate_limit_next) {
        Some(Fault::RateLimit(s.retry_after))
    } else if take(&mut s.html_next) {
        Some(Fault::Html)
    } else if take(&mut s.missing_token_next) {
        Some(Fault::MissingToken)
    } else if take(&mut s.huge_next) {
        Some(Fault::Huge)
    } else if take(&mut s.bad_utf8_next) {
        Some(Fault::BadUtf8)
    } else if take(&mut s.wrong_types_next) {
        Some(Fault::WrongTypes)
    } else if take(&mut s.body_next) {
        Some(Fault::Body(s.body_status))
    } else {
        None
    }
}

fn raw_json(body: Vec<u8>) -> Response {
    raw_json_status(StatusCode::OK, body)
}

fn raw_json_status(status: StatusCode, body: Vec<u8>) -> Response {
    let mut r = (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    reply::no_store(&mut r);
    r
}

/// A success-shaped body whose token value is `token` (raw bytes, already
/// quoted as needed).
fn with_token(dialect: Dialect, s: &Settings, token: &[u8]) -> Vec<u8> {
    let (head, tail) = match dialect {
        Dialect::OAuth2 => (
            r#"{"access_token":"#.to_owned(),
            format!(r#","token_type":"Bearer","expires_in":{}}}"#, s.ttl),
        ),
        Dialect::OAuth2Json => (
            format!(
                r#"{{"token_type":"Bearer","expires_in":{},"access_token":"#,
                s.json_ttl
            ),
            "}".to_owned(),
        ),
        Dialect::HeaderToken => (
            r#"{"success":true,"data":{"token_type":"Bearer","token":"#.to_owned(),
            format!(
                r#","expire_in":"{}"}},"message":"Token generated"}}"#,
                s.header_ttl
            ),
        ),
    };
    let mut out = Vec::with_capacity(head.len() + token.len() + tail.len());
    out.extend_from_slice(head.as_bytes());
    out.extend_from_slice(token);
    out.extend_from_slice(tail.as_bytes());
    out
}

pub fn response(fault: Fault, dialect: Dialect, s: &Settings) -> Response {
    match fault {
        Fault::Fail(status) => reply::oauth_error(
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            "server_error",
            "emulated failure",
        ),
        Fault::RateLimit(secs) => {
            let mut r = reply::oauth_error(
                StatusCode::TOO_MANY_REQUESTS,
                "temporarily_unavailable",
                &format!("rate limit exceeded; retry after {secs} seconds"),
            );
            if let Ok(v) = secs.to_string().parse() {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            r
        }
        Fault::Html => reply::html(
            StatusCode::OK,
            "<html><body><h1>Gateway sign-in</h1><p>Please sign in to continue.</p>\
             <form method=\"post\"><input name=\"user\"><input type=\"password\" name=\"pass\">\
             </form></body></html>"
                .to_owned(),
        ),
        Fault::MissingToken => {
            let body = match dialect {
                Dialect::OAuth2 => json!({"token_type":"Bearer","expires_in":s.ttl}),
                Dialect::OAuth2Json => json!({"token_type":"Bearer","expires_in":s.json_ttl}),
                Dialect::HeaderToken => json!({
                    "success": true,
                    "data": {"token_type":"Bearer","expire_in": s.header_ttl.to_string()},
                    "message": "Token generated"
                }),
            };
            reply::json_no_store(StatusCode::OK, &body)
        }
        Fault::Huge => {
            let mut token = vec![b'a'; HUGE_LEN + 2];
            token[0] = b'"';
            token[HUGE_LEN + 1] = b'"';
            raw_json(with_token(dialect, s, &token))
        }
        Fault::BadUtf8 => raw_json(with_token(dialect, s, b"\"\xff\xfe\xc3\x28\"")),
        Fault::WrongTypes => {
            let body = match dialect {
                Dialect::OAuth2 | Dialect::OAuth2Json => {
                    json!({"access_token":123,"token_type":["x"],"expires_in":"soon"})
                }
                Dialect::HeaderToken => json!({
                    "success": "yes",
                    "data": {"token_type": ["x"], "token": 123, "expire_in": 3600},
                    "message": 7
                }),
            };
            reply::json_no_store(StatusCode::OK, &body)
        }
        Fault::Body(status) => raw_json_status(
            StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
            s.body.clone().into_bytes(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_taken_in_order() {
        let mut s = Settings {
            fail_next: 1,
            fail_status: 503,
            rate_limit_next: 1,
            retry_after: 7,
            wrong_types_next: 1,
            ..Settings::default()
        };
        assert_eq!(take_fault(&mut s), Some(Fault::Fail(503)));
        assert_eq!(take_fault(&mut s), Some(Fault::RateLimit(7)));
        assert_eq!(take_fault(&mut s), Some(Fault::WrongTypes));
        assert_eq!(take_fault(&mut s), None);
    }

    #[test]
    fn huge_body_is_valid_json_of_5_mib() {
        let s = Settings::default();
        let mut token = vec![b'a'; 10];
        token[0] = b'"';
        token[9] = b'"';
        for d in [Dialect::OAuth2, Dialect::OAuth2Json, Dialect::HeaderToken] {
            let body = with_token(d, &s, &token);
            assert!(serde_json::from_slice::<serde_json::Value>(&body).is_ok());
            let bad = with_token(d, &s, b"\"\xff\xfe\"");
            assert!(std::str::from_utf8(&bad).is_err());
        }
    }
}
