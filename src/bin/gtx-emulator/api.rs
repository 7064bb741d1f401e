//! The protected demo API plus `/` and the 404 fallback.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;
use serde_json::{Value, json};

use crate::codec;
use crate::reply;
use crate::state::{App, TokenError, now};

pub fn invalid_token(description: &str) -> Response {
    let mut r = reply::json(
        StatusCode::UNAUTHORIZED,
        &json!({"error": "invalid_token", "error_description": description}),
    );
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer error=\"invalid_token\""),
    );
    r
}

/// Counts the API hit and checks the bearer token (any dialect).
pub fn authorize(app: &App, headers: &HeaderMap) -> Result<(), Box<Response>> {
    let mut g = app.lock();
    g.stats.api_hits += 1;
    let Some(token) = codec::bearer(headers) else {
        return Err(Box::new(invalid_token("missing bearer token")));
    };
    match g.tokens.check(token, now()) {
        Ok(_) => Ok(()),
        Err(TokenError::Expired) => Err(Box::new(invalid_token("the access token has expired"))),
        Err(TokenError::Unknown) => Err(Box::new(invalid_token(
            "the access token is invalid or revoked",
        ))),
    }
}

/// `GET /api/v1/orders`
pub async fn list_orders(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if let Err(r) = authorize(&app, &headers) {
        return *r;
    }
    let orders = app.lock().orders.clone();
    reply::json(StatusCode::OK, &json!({"data": orders}))
}

/// `POST /api/v1/orders`
pub async fn create_order(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(r) = authorize(&app, &headers) {
        return *r;
    }
    let Ok(Value::Object(mut order)) = serde_json::from_slice::<Value>(&body) else {
        return reply::json(
            StatusCode::BAD_REQUEST,
            &json!({"error": "invalid_request", "error_description": "body must be a JSON object"}),
        );
    };
    let mut g = app.lock();
    let id = format!("ord_{}", g.next_order);
    g.next_order += 1;
    order.insert("id".to_owned(), Value::String(id));
    let order = Value::Object(order);
    g.orders.push(order.clone());
    drop(g);
    reply::json(StatusCode::CREATED, &order)
}

/// `GET /api/v1/orders/{id}`
pub async fn get_order(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = authorize(&app, &headers) {
        return *r;
    }
    let found = app
        .lock()
        .orders
        .iter()
        .find(|o| o.get("id").and_then(Value::as_str) == Some(id.as_str()))
        .cloned();
    match found {
        Some(order) => reply::json(StatusCode::OK, &order),
        None => reply::not_found(&format!("order '{id}' not found")),
    }
}

/// `GET /`, naming the API's description (RFC 8631).
pub async fn root() -> Response {
    let mut r = reply::json(
        StatusCode::OK,
        &json!({
            "name": "gtx-emulator",
            "version": env!("CARGO_PKG_VERSION"),
            "dialects": ["oauth2", "oauth2-json", "header-token"],
        }),
    );
    r.headers_mut()
        .insert(header::LINK, HeaderValue::from_static(crate::openapi::LINK));
    r
}

/// Anything unrouted.
pub async fn fallback(method: Method, uri: Uri) -> Response {
    reply::not_found(&format!("no route for {method} {}", uri.path()))
}
