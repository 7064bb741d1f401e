//! Routes for testing an HTTP client against the emulator: bodies of any size and kind,
//! redirects, an echo, failures on demand, a token that is refused until it changes, and a
//! record of the headers every request arrived with (`GET /_emulator/requests`).

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Value, json};

use crate::api::authorize;
use crate::codec;
use crate::reply;
use crate::state::App;

/// How many requests `/_emulator/requests` remembers (the latest ones).
const KEEP: usize = 200;

#[derive(Default)]
pub struct Probe {
    pub requests: Vec<Recorded>,
    /// The first token `/api/v1/needs-new-token` saw; it is refused from then on.
    pub refused_token: Option<String>,
    /// Hits of `/api/v1/flaky` since the last reset.
    pub flaky_hits: u64,
}

#[derive(Clone, Serialize)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// Header names (lower case) and values as they arrived; repeated names joined by ", ".
    pub headers: HashMap<String, String>,
}

/// Called for every request but control ones.
pub fn record(app: &App, method: &Method, uri: &Uri, headers: &HeaderMap) {
    let mut map: HashMap<String, String> = HashMap::new();
    for (name, value) in headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        map.entry(name.as_str().to_owned())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(&value);
            })
            .or_insert(value);
    }
    let mut g = app.lock();
    let list = &mut g.probe.requests;
    if list.len() >= KEEP {
        list.remove(0);
    }
    list.push(Recorded {
        method: method.to_string(),
        path: uri.path().to_owned(),
        query: uri.query().map(str::to_owned),
        headers: map,
    });
}

/// `GET /_emulator/requests`: what arrived, oldest first.
pub async fn requests(State(app): State<Arc<App>>) -> Response {
    let list = app.lock().probe.requests.clone();
    reply::json_of(StatusCode::OK, &json!({ "requests": list }))
}

/// `GET|HEAD /api/v1/bytes/{n}?kind=text|binary|invalid-utf8`: exactly N bytes (bearer
/// token required). `binary` holds NUL and every other byte value; `invalid-utf8` is text
/// with stray 0xFF/0xFE bytes but still claims `charset=utf-8`.
pub async fn bytes(
    State(app): State<Arc<App>>,
    Path(n): Path<usize>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = authorize(&app, &headers) {
        return *r;
    }
    const MAX: usize = 256 << 20;
    if n > MAX {
        return reply::json(
            StatusCode::BAD_REQUEST,
            &json!({"error": "invalid_request", "error_description": "at most 256 MiB"}),
        );
    }
    let kind = q.get("kind").map(String::as_str).unwrap_or("text");
    let (body, content_type) = match kind {
        "binary" => (
            (0..n).map(|i| (i.wrapping_mul(31) % 256) as u8).collect(),
            "application/octet-stream",
        ),
        "invalid-utf8" => (
            text_bytes(n, |i, b| if i % 97 == 13 { 0xFF } else { b }),
            "text/plain; charset=utf-8",
        ),
        "text" => (text_bytes(n, |_, b| b), "text/plain; charset=utf-8"),
        other => {
            return reply::json(
                StatusCode::BAD_REQUEST,
                &json!({"error": "invalid_request", "error_description": format!("unknown kind {other:?}")}),
            );
        }
    };
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, content_type)],
        Body::from(body),
    )
        .into_response()
}

/// Lines of printable text, each byte passed through `map` (its index, the byte).
fn text_bytes(n: usize, map: impl Fn(usize, u8) -> u8) -> Vec<u8> {
    const LINE: &[u8] = b"the quick brown fox jumps over the lazy dog 0123456789\n";
    (0..n).map(|i| map(i, LINE[i % LINE.len()])).collect()
}

/// `ANY /api/v1/redirect?to=URL[&status=302]`: a redirect to any URL (no token needed).
pub async fn redirect(Query(q): Query<HashMap<String, String>>) -> Response {
    let status = q
        .get("status")
        .and_then(|s| s.parse::<u16>().ok())
        .and_then(|s| StatusCode::from_u16(s).ok())
        .filter(StatusCode::is_redirection)
        .unwrap_or(StatusCode::FOUND);
    let Some(to) = q.get("to").and_then(|t| HeaderValue::from_str(t).ok()) else {
        return reply::json(
            StatusCode::BAD_REQUEST,
            &json!({"error": "invalid_request", "error_description": "to=URL is required"}),
        );
    };
    let mut r = status.into_response();
    r.headers_mut().insert(header::LOCATION, to);
    r
}

/// `ANY /api/v1/echo`: the request as JSON (method, path, query, headers, body; `json`
/// when the body parses). No token needed: it shows whatever arrived.
pub async fn echo(method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let mut hs = serde_json::Map::new();
    for (name, value) in &headers {
        hs.insert(
            name.as_str().to_owned(),
            Value::String(String::from_utf8_lossy(value.as_bytes()).into_owned()),
        );
    }
    reply::json(
        StatusCode::OK,
        &json!({
            "method": method.as_str(),
            "path": uri.path(),
            "query": uri.query(),
            "headers": hs,
            "body": String::from_utf8_lossy(&body),
            "json": serde_json::from_slice::<Value>(&body).ok(),
        }),
    )
}

/// `ANY /api/v1/status/{code}[?retry_after=S]`: answers with that status and a JSON body.
pub async fn status(Path(code): Path<u16>, Query(q): Query<HashMap<String, String>>) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST);
    let mut r = reply::json(
        status,
        &json!({"error": "status", "status": status.as_u16(), "error_description": format!("answered {status} on request")}),
    );
    if let Some(v) = q
        .get("retry_after")
        .and_then(|v| HeaderValue::from_str(v).ok())
    {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

/// `ANY /api/v1/flaky?fail=N[&status=503][&retry_after=S]`: the first N hits since the
/// last reset fail with `status`, later ones answer 200.
pub async fn flaky(
    State(app): State<Arc<App>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let fail: u64 = q.get("fail").and_then(|v| v.parse().ok()).unwrap_or(1);
    let hit = {
        let mut g = app.lock();
        g.probe.flaky_hits += 1;
        g.probe.flaky_hits
    };
    if hit <= fail {
        let code = q.get("status").and_then(|v| v.parse().ok()).unwrap_or(503);
        return status(Path(code), Query(q)).await;
    }
    reply::json(StatusCode::OK, &json!({"ok": true, "hit": hit}))
}

/// `GET /api/v1/needs-new-token`: the first token it sees is refused (401) for good; any
/// other valid token is accepted. A client that renews on 401 gets through on its retry.
pub async fn needs_new_token(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if let Err(r) = authorize(&app, &headers) {
        return *r;
    }
    let token = codec::bearer(&headers).unwrap_or_default().to_owned();
    let mut g = app.lock();
    let refused = g.probe.refused_token.get_or_insert_with(|| token.clone());
    if *refused == token {
        drop(g);
        return crate::api::invalid_token("this token was replaced; renew it");
    }
    reply::json(StatusCode::OK, &json!({"ok": true}))
}

/// Forgets requests, the refused token and the flaky counter (`POST /_emulator/reset`).
pub fn reset(app: &App) {
    app.lock().probe = Probe::default();
}
