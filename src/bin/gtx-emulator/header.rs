//! Dialect `header-token`: credentials in `client-id` / `client-secret`
//! request headers, answers wrapped in `{"success","data","message"}`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;

use crate::codec::{self, ct_eq};
use crate::faults;
use crate::reply;
use crate::state::{AccessToken, App, Dialect, now, random_hex};

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn failure(message: &str) -> Response {
    reply::json_no_store(
        StatusCode::UNAUTHORIZED,
        &json!({"success": false, "data": null, "message": message}),
    )
}

/// `GET /api/v1/auth/token`
pub async fn token(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    {
        let mut g = app.lock();
        g.stats.token_hits.header_token += 1;
        if let Some(f) = faults::take_fault(&mut g.settings) {
            let s = g.settings.clone();
            drop(g);
            return faults::response(f, Dialect::HeaderToken, &s);
        }
    }
    let domain = header_str(&headers, "client-id")
        .and_then(|id| STANDARD.decode(id).ok())
        .and_then(|raw| String::from_utf8(raw).ok());
    let secret = header_str(&headers, "client-secret");
    let (Some(domain), Some(secret)) = (domain, secret) else {
        return failure("Invalid client credentials");
    };
    let Some(account) = app
        .cfg
        .domains
        .iter()
        .find(|d| d.domain == domain && ct_eq(&d.secret, secret))
    else {
        return failure("Invalid client credentials");
    };
    let token = format!("{}{}", account.prefix, random_hex::<24>());
    let iat = now();
    let mut g = app.lock();
    let ttl = g.settings.header_ttl;
    g.tokens.prune(iat);
    g.tokens.access.insert(
        token.clone(),
        AccessToken {
            dialect: Dialect::HeaderToken,
            client_id: domain.clone(),
            sub: domain,
            scope: String::new(),
            iat,
            exp: iat.saturating_add(ttl),
        },
    );
    drop(g);
    reply::json_no_store(
        StatusCode::OK,
        &json!({
            "success": true,
            "data": {"token_type": "Bearer", "token": token, "expire_in": ttl.to_string()},
            "message": "Token generated",
        }),
    )
}

/// `GET /api/v1/auth/validate`
pub async fn validate(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let mut g = app.lock();
    g.stats.validate_hits += 1;
    let now = now();
    let remaining = codec::bearer(&headers)
        .and_then(|t| g.tokens.check(t, now).ok())
        .filter(|t| t.dialect == Dialect::HeaderToken)
        .map(|t| t.exp.saturating_sub(now));
    drop(g);
    match remaining {
        Some(secs) => reply::json_no_store(
            StatusCode::OK,
            &json!({
                "success": true,
                "data": {"valid": true, "expire_in": secs.to_string()},
                "message": "Token is valid",
            }),
        ),
        None => failure("Authorization Required"),
    }
}
