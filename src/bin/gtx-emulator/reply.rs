//! Response helpers shared by the handlers.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// A JSON response.
pub fn json(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// A JSON response from any serializable value, keeping struct field order.
pub fn json_of<T: serde::Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_string(body) {
        Ok(text) => (status, [(header::CONTENT_TYPE, "application/json")], text).into_response(),
        Err(_) => json(
            StatusCode::INTERNAL_SERVER_ERROR,
            &serde_json::json!({"error": "server_error"}),
        ),
    }
}

/// A JSON response that must not be cached (token endpoint answers).
pub fn json_no_store(status: StatusCode, body: &Value) -> Response {
    let mut r = json(status, body);
    no_store(&mut r);
    r
}

pub fn no_store(r: &mut Response) {
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}

/// An RFC 6749 5.2 error.
pub fn oauth_error(status: StatusCode, code: &str, description: &str) -> Response {
    json_no_store(
        status,
        &serde_json::json!({"error": code, "error_description": description}),
    )
}

pub fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// A 404 in the emulator's JSON shape.
pub fn not_found(description: &str) -> Response {
    json(
        StatusCode::NOT_FOUND,
        &serde_json::json!({"error": "not_found", "error_description": description}),
    )
}
