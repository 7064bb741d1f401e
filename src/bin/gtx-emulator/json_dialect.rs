//! Dialect `oauth2-json`: an e-commerce admin style token endpoint that takes
//! a JSON body and answers errors as `{"errors":[...]}`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

use crate::codec::ct_eq;
use crate::faults;
use crate::oauth2::issue_refresh;
use crate::reply;
use crate::state::{AccessToken, App, Dialect, Inner, now, random_hex};

pub const ADMIN_CLIENT: &str = "administration";

fn error(status: StatusCode, code: &str, detail: &str) -> Response {
    let title = status.canonical_reason().unwrap_or("Error");
    reply::json_no_store(
        status,
        &json!({"errors": [{
            "code": code,
            "status": status.as_u16().to_string(),
            "title": title,
            "detail": detail,
        }]}),
    )
}

fn bad(code: &str, detail: &str) -> Response {
    error(StatusCode::BAD_REQUEST, code, detail)
}

fn unauthorized(detail: &str) -> Response {
    error(StatusCode::UNAUTHORIZED, "invalid_client", detail)
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
}

/// A non-empty string field (other JSON types count as absent).
fn field<'a>(body: &'a Value, key: &str) -> Option<&'a str> {
    body.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

fn issue_access(g: &mut Inner, client_id: &str, sub: &str, scope: &str) -> String {
    let iat = now();
    let token = random_hex::<32>();
    g.tokens.prune(iat);
    g.tokens.access.insert(
        token.clone(),
        AccessToken {
            dialect: Dialect::OAuth2Json,
            client_id: client_id.to_owned(),
            sub: sub.to_owned(),
            scope: scope.to_owned(),
            iat,
            exp: iat.saturating_add(g.settings.json_ttl),
        },
    );
    token
}

/// `POST /api/oauth/token`
pub async fn token(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    {
        let mut g = app.lock();
        g.stats.token_hits.oauth2_json += 1;
        if let Some(f) = faults::take_fault(&mut g.settings) {
            let s = g.settings.clone();
            drop(g);
            return faults::response(f, Dialect::OAuth2Json, &s);
        }
    }
    if !is_json(&headers) {
        return bad("invalid_request", "Content-Type must be application/json");
    }
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return bad("invalid_request", "request body is not valid JSON");
    };
    if !body.is_object() {
        return bad("invalid_request", "request body must be a JSON object");
    }
    match field(&body, "grant_type") {
        None => bad("invalid_request", "missing grant_type"),
        Some("client_credentials") => client_credentials(&app, &body),
        Some("password") => password(&app, &body),
        Some("refresh_token") => refresh(&app, &body),
        Some(_) => bad("unsupported_grant_type", "the grant type is not supported"),
    }
}

fn client_credentials(app: &App, body: &Value) -> Response {
    let (Some(id), Some(secret)) = (field(body, "client_id"), field(body, "client_secret")) else {
        return unauthorized("client_id and client_secret are required");
    };
    match app.cfg.confidential(id) {
        Some(c) if ct_eq(&c.secret, secret) => {}
        _ => return unauthorized("Client authentication failed"),
    }
    let scope = app.cfg.scopes.join(" ");
    let mut g = app.lock();
    let access = issue_access(&mut g, id, id, &scope);
    let ttl = g.settings.json_ttl;
    drop(g);
    reply::json_no_store(
        StatusCode::OK,
        &json!({"token_type": "Bearer", "expires_in": ttl, "access_token": access}),
    )
}

fn password(app: &App, body: &Value) -> Response {
    if field(body, "client_id") != Some(ADMIN_CLIENT) {
        return unauthorized("client_id must be 'administration' for the password grant");
    }
    let (Some(user), Some(pass)) = (field(body, "username"), field(body, "password")) else {
        return bad("invalid_request", "username and password are required");
    };
    if !app.cfg.user_ok(user, pass) {
        return bad("invalid_grant", "The user credentials were incorrect.");
    }
    let scope = field(body, "scopes").unwrap_or("write").to_owned();
    let mut g = app.lock();
    let access = issue_access(&mut g, ADMIN_CLIENT, user, &scope);
    let refresh = issue_refresh(&mut g, Dialect::OAuth2Json, ADMIN_CLIENT, user, &scope);
    let ttl = g.settings.json_ttl;
    drop(g);
    reply::json_no_store(
        StatusCode::OK,
        &json!({
            "token_type": "Bearer",
            "expires_in": ttl,
            "access_token": access,
            "refresh_token": refresh,
        }),
    )
}

fn refresh(app: &App, body: &Value) -> Response {
    if field(body, "client_id") != Some(ADMIN_CLIENT) {
        return unauthorized("client_id must be 'administration' for the refresh_token grant");
    }
    let Some(rt) = field(body, "refresh_token") else {
        return bad("invalid_request", "missing refresh_token");
    };
    let mut g = app.lock();
    let Some(stored) = g
        .tokens
        .refresh
        .get(rt)
        .filter(|r| r.dialect == Dialect::OAuth2Json)
        .cloned()
    else {
        return bad("invalid_grant", "The refresh token is invalid.");
    };
    let access = issue_access(&mut g, ADMIN_CLIENT, &stored.sub, &stored.scope);
    let mut out = json!({
        "token_type": "Bearer",
        "expires_in": g.settings.json_ttl,
        "access_token": access,
    });
    if g.settings.rotate_refresh {
        g.tokens.refresh.remove(rt);
        let new = issue_refresh(
            &mut g,
            Dialect::OAuth2Json,
            ADMIN_CLIENT,
            &stored.sub,
            &stored.scope,
        );
        out["refresh_token"] = Value::String(new);
    }
    drop(g);
    reply::json_no_store(StatusCode::OK, &out)
}
