//! Dialect `oauth2` (RFC 6749 / 7636 / 7009 / 7662 / 8414): form-encoded
//! token endpoint, authorization endpoint with PKCE, introspection,
//! revocation and discovery metadata.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

use crate::codec::{self, param};
use crate::faults;
use crate::reply;
use crate::state::{AccessToken, App, AuthCode, Dialect, Inner, RefreshToken, now};

/// An error answer, boxed to keep `Result`s small.
type Reject = Box<Response>;

const CODE_LIFETIME: u64 = 600;
pub const AUDIENCE: &str = "giftronaut-api";

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| {
            m.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

/// Parses a form body; errors are ready-made `invalid_request` answers.
fn form_body(headers: &HeaderMap, body: &[u8]) -> Result<HashMap<String, String>, Reject> {
    if !is_form(headers) {
        return Err(Box::new(bad_request(
            "invalid_request",
            "Content-Type must be application/x-www-form-urlencoded",
        )));
    }
    let text = std::str::from_utf8(body).map_err(|_| {
        Box::new(bad_request(
            "invalid_request",
            "request body is not valid UTF-8",
        ))
    })?;
    codec::parse_form(text).map_err(|name| {
        Box::new(bad_request(
            "invalid_request",
            &format!("parameter '{name}' is included more than once"),
        ))
    })
}

fn bad_request(code: &str, description: &str) -> Response {
    reply::oauth_error(StatusCode::BAD_REQUEST, code, description)
}

fn invalid_client(description: &str, basic: bool) -> Response {
    let mut r = reply::oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", description);
    if basic {
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"gtx-emulator\""),
        );
    }
    r
}

/// An authenticated (or, for public clients, identified) client.
#[derive(Debug, PartialEq, Eq)]
enum ClientAuth {
    Confidential(String),
    Public(String),
}

impl ClientAuth {
    fn id(&self) -> &str {
        match self {
            ClientAuth::Confidential(id) | ClientAuth::Public(id) => id,
        }
    }
}

/// Client authentication by HTTP Basic or by body parameters.
fn authenticate(
    app: &App,
    headers: &HeaderMap,
    params: &HashMap<String, String>,
) -> Result<ClientAuth, Reject> {
    let basic_header = codec::authorization(headers).filter(|v| codec::is_basic(v));
    let basic = basic_header.is_some();
    let (id, secret) = match basic_header {
        Some(v) => {
            let Some((id, secret)) = codec::parse_basic(v) else {
                return Err(Box::new(invalid_client(
                    "malformed Basic authorization header",
                    true,
                )));
            };
            if params.contains_key("client_secret") {
                return Err(Box::new(bad_request(
                    "invalid_request",
                    "more than one client authentication method used",
                )));
            }
            if param(params, "client_id").is_some_and(|b| b != id) {
                return Err(Box::new(invalid_client(
                    "client_id does not match the Basic credentials",
                    true,
                )));
            }
            (id, Some(secret))
        }
        None => match param(params, "client_id") {
            Some(id) => (
                id.to_owned(),
                param(params, "client_secret").map(str::to_owned),
            ),
            None => {
                return Err(Box::new(invalid_client(
                    "client authentication required",
                    false,
                )));
            }
        },
    };
    if let Some(client) = app.cfg.confidential(&id) {
        return match secret {
            Some(s) if codec::ct_eq(&client.secret, &s) => Ok(ClientAuth::Confidential(id)),
            Some(_) => Err(Box::new(invalid_client(
                "client authentication failed",
                basic,
            ))),
            None => Err(Box::new(invalid_client(
                "client_secret is required for this client",
                basic,
            ))),
        };
    }
    if app.cfg.is_public(&id) {
        return match secret.filter(|s| !s.is_empty()) {
            None => Ok(ClientAuth::Public(id)),
            Some(_) => Err(Box::new(invalid_client(
                "public clients must not send a client secret",
                basic,
            ))),
        };
    }
    Err(Box::new(invalid_client(
        "client authentication failed",
        basic,
    )))
}

/// Issues an oauth2 JWT access token and records it.
fn issue_access(app: &App, g: &mut Inner, client_id: &str, sub: &str, scope: &str) -> String {
    let iat = now();
    let exp = iat.saturating_add(g.settings.ttl);
    let claims = json!({
        "iss": app.cfg.base_url,
        "sub": sub,
        "aud": AUDIENCE,
        "client_id": client_id,
        "scope": scope,
        "iat": iat,
        "exp": exp,
        "jti": crate::state::random_hex::<16>(),
    });
    let token = app.sign_jwt(&claims);
    g.tokens.prune(iat);
    g.tokens.access.insert(
        token.clone(),
        AccessToken {
            dialect: Dialect::OAuth2,
            client_id: client_id.to_owned(),
            sub: sub.to_owned(),
            scope: scope.to_owned(),
            iat,
            exp,
        },
    );
    token
}

pub fn issue_refresh(
    g: &mut Inner,
    dialect: Dialect,
    client_id: &str,
    sub: &str,
    scope: &str,
) -> String {
    let token = format!("rt_{}", crate::state::random_hex::<32>());
    g.tokens.refresh.insert(
        token.clone(),
        RefreshToken {
            dialect,
            client_id: client_id.to_owned(),
            sub: sub.to_owned(),
            scope: scope.to_owned(),
            iat: now(),
        },
    );
    token
}

/// `POST /oauth2/token`
pub async fn token(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    {
        let mut g = app.lock();
        g.stats.token_hits.oauth2 += 1;
        if let Some(f) = faults::take_fault(&mut g.settings) {
            let s = g.settings.clone();
            drop(g);
            return faults::response(f, Dialect::OAuth2, &s);
        }
    }
    let params = match form_body(&headers, &body) {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let grant = match param(&params, "grant_type") {
        None => return bad_request("invalid_request", "missing grant_type"),
        Some(g @ ("client_credentials" | "authorization_code" | "refresh_token")) => g,
        Some("password") => {
            return bad_request(
                "unsupported_grant_type",
                "the password grant is not supported on this endpoint",
            );
        }
        Some(_) => {
            return bad_request("unsupported_grant_type", "grant_type is not supported");
        }
    };
    let client = match authenticate(&app, &headers, &params) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    match grant {
        "client_credentials" => client_credentials(&app, &client, &params),
        "authorization_code" => authorization_code(&app, &client, &params),
        _ => refresh(&app, &client, &params),
    }
}

fn client_credentials(
    app: &App,
    client: &ClientAuth,
    params: &HashMap<String, String>,
) -> Response {
    let ClientAuth::Confidential(id) = client else {
        return bad_request(
            "unauthorized_client",
            "public clients may not use the client_credentials grant",
        );
    };
    let scope = match app.cfg.check_scope(param(params, "scope")) {
        Ok(s) => s,
        Err(e) => return bad_request("invalid_scope", &e),
    };
    let mut g = app.lock();
    let access = issue_access(app, &mut g, id, id, &scope);
    let ttl = g.settings.ttl;
    drop(g);
    reply::json_no_store(
        StatusCode::OK,
        &json!({"access_token": access, "token_type": "Bearer", "expires_in": ttl, "scope": scope}),
    )
}

fn authorization_code(
    app: &App,
    client: &ClientAuth,
    params: &HashMap<String, String>,
) -> Response {
    let (Some(code), Some(redirect_uri), Some(verifier)) = (
        param(params, "code"),
        param(params, "redirect_uri"),
        param(params, "code_verifier"),
    ) else {
        return bad_request(
            "invalid_request",
            "code, redirect_uri and code_verifier are required",
        );
    };
    let mut g = app.lock();
    // A code is consumed by its first use, successful or not.
    let Some(stored) = g.codes.remove(code) else {
        return bad_request(
            "invalid_grant",
            "authorization code is invalid or was already used",
        );
    };
    if now().saturating_sub(stored.created) > CODE_LIFETIME {
        return bad_request("invalid_grant", "authorization code has expired");
    }
    if stored.client_id != client.id() {
        return bad_request(
            "invalid_grant",
            "authorization code was issued to another client",
        );
    }
    if stored.redirect_uri != redirect_uri {
        return bad_request(
            "invalid_grant",
            "redirect_uri does not match the authorization request",
        );
    }
    if !codec::valid_verifier(verifier) {
        return bad_request(
            "invalid_grant",
            "code_verifier must be 43-128 unreserved characters",
        );
    }
    if !codec::pkce_matches(verifier, &stored.challenge) {
        return bad_request(
            "invalid_grant",
            "PKCE verification failed: code_verifier does not match code_challenge",
        );
    }
    let access = issue_access(app, &mut g, client.id(), &stored.sub, &stored.scope);
    let refresh = issue_refresh(
        &mut g,
        Dialect::OAuth2,
        client.id(),
        &stored.sub,
        &stored.scope,
    );
    let ttl = g.settings.ttl;
    drop(g);
    reply::json_no_store(
        StatusCode::OK,
        &json!({
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": ttl,
            "refresh_token": refresh,
            "scope": stored.scope,
        }),
    )
}

fn refresh(app: &App, client: &ClientAuth, params: &HashMap<String, String>) -> Response {
    let Some(rt) = param(params, "refresh_token") else {
        return bad_request("invalid_request", "missing refresh_token");
    };
    let mut g = app.lock();
    let Some(stored) = g
        .tokens
        .refresh
        .get(rt)
        .filter(|r| r.dialect == Dialect::OAuth2 && r.client_id == client.id())
        .cloned()
    else {
        return bad_request(
            "invalid_grant",
            "refresh token is invalid, expired, revoked or was issued to another client",
        );
    };
    let scope = match param(params, "scope") {
        None => stored.scope.clone(),
        Some(req) => {
            let granted: Vec<&str> = stored.scope.split(' ').collect();
            if req
                .split(' ')
                .filter(|s| !s.is_empty())
                .any(|s| !granted.contains(&s))
            {
                return bad_request(
                    "invalid_scope",
                    "requested scope exceeds the originally granted scope",
                );
            }
            req.split(' ')
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    let access = issue_access(app, &mut g, client.id(), &stored.sub, &scope);
    let mut body = json!({
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": g.settings.ttl,
        "scope": scope,
    });
    if g.settings.rotate_refresh {
        g.tokens.refresh.remove(rt);
        let new = issue_refresh(
            &mut g,
            Dialect::OAuth2,
            client.id(),
            &stored.sub,
            &stored.scope,
        );
        body["refresh_token"] = Value::String(new);
    }
    drop(g);
    reply::json_no_store(StatusCode::OK, &body)
}

// ---------------------------------------------------------------------------
// Authorization endpoint

const OAUTH_FIELDS: [&str; 7] = [
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
];

fn error_page(message: &str) -> Response {
    reply::html(
        StatusCode::BAD_REQUEST,
        format!(
            "<!doctype html><html><head><title>Authorization error</title></head>\
             <body><h1>Authorization error</h1><p>{}</p>\
             <p>The client is not redirected because its identity or redirect URI \
             could not be verified.</p></body></html>",
            codec::html_escape(message)
        ),
    )
}

fn login_page(params: &HashMap<String, String>, error: Option<&str>) -> Response {
    let mut hidden = String::new();
    for f in OAUTH_FIELDS {
        if let Some(v) = params.get(f) {
            hidden.push_str(&format!(
                "<input type=\"hidden\" name=\"{f}\" value=\"{}\">\n",
                codec::html_escape(v)
            ));
        }
    }
    let client = params.get("client_id").map(String::as_str).unwrap_or("");
    let error = error
        .map(|e| {
            format!(
                "<p class=\"error\" role=\"alert\">{}</p>\n",
                codec::html_escape(e)
            )
        })
        .unwrap_or_default();
    let user = params.get("username").map(String::as_str).unwrap_or("");
    reply::html(
        StatusCode::OK,
        format!(
            "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Sign in - gtx-emulator</title></head>\n\
             <body><h1>Sign in</h1>\n<p>Application <b>{}</b> wants to access your account.</p>\n{error}\
             <form method=\"post\" action=\"/oauth2/authorize\">\n{hidden}\
             <label>Username <input name=\"username\" autocomplete=\"username\" value=\"{}\"></label>\n\
             <label>Password <input type=\"password\" name=\"password\" autocomplete=\"current-password\"></label>\n\
             <button type=\"submit\">Sign in</button>\n</form></body></html>\n",
            codec::html_escape(client),
            codec::html_escape(user),
        ),
    )
}

fn redirect(location: &str) -> Response {
    let Ok(v) = HeaderValue::from_str(location) else {
        return error_page("redirect URI cannot be used in a Location header");
    };
    let mut r = Response::new(axum::body::Body::empty());
    *r.status_mut() = StatusCode::FOUND;
    r.headers_mut().insert(header::LOCATION, v);
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn redirect_error(uri: &str, state: Option<&str>, code: &str, description: &str) -> Response {
    let mut pairs = vec![("error", code), ("error_description", description)];
    if let Some(s) = state {
        pairs.push(("state", s));
    }
    redirect(&codec::append_query(uri, &pairs))
}

/// `GET /oauth2/authorize`
pub async fn authorize_get(State(app): State<Arc<App>>, RawQuery(q): RawQuery) -> Response {
    app.lock().stats.authorize_hits += 1;
    match codec::parse_form(q.as_deref().unwrap_or("")) {
        Ok(params) => authorize(&app, &params, false),
        Err(name) => error_page(&format!("parameter '{name}' is included more than once")),
    }
}

/// `POST /oauth2/authorize` (the login form posts here).
pub async fn authorize_post(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    app.lock().stats.authorize_hits += 1;
    if !is_form(&headers) {
        return error_page("the form must be posted as application/x-www-form-urlencoded");
    }
    let Ok(text) = std::str::from_utf8(&body) else {
        return error_page("the form is not valid UTF-8");
    };
    match codec::parse_form(text) {
        Ok(params) => authorize(&app, &params, true),
        Err(name) => error_page(&format!("parameter '{name}' is included more than once")),
    }
}

fn authorize(app: &App, params: &HashMap<String, String>, posted: bool) -> Response {
    let Some(client_id) = param(params, "client_id") else {
        return error_page("missing client_id");
    };
    if app.cfg.confidential(client_id).is_none() && !app.cfg.is_public(client_id) {
        return error_page("unknown client_id");
    }
    let Some(redirect_uri) = param(params, "redirect_uri") else {
        return error_page("missing redirect_uri");
    };
    if !codec::is_loopback_redirect(redirect_uri) {
        return error_page(
            "redirect_uri must be http://127.0.0.1:PORT/... or http://localhost:PORT/...",
        );
    }
    let state = param(params, "state");
    let fail = |code: &str, desc: &str| redirect_error(redirect_uri, state, code, desc);
    match param(params, "response_type") {
        None => return fail("invalid_request", "missing response_type"),
        Some("code") => {}
        Some(_) => {
            return fail(
                "unsupported_response_type",
                "only response_type=code is supported",
            );
        }
    }
    let Some(challenge) = param(params, "code_challenge") else {
        return fail("invalid_request", "code_challenge is required (PKCE)");
    };
    if param(params, "code_challenge_method") != Some("S256") {
        return fail("invalid_request", "code_challenge_method must be S256");
    }
    if !codec::valid_challenge(challenge) {
        return fail(
            "invalid_request",
            "code_challenge must be 43 base64url characters",
        );
    }
    let scope = match app.cfg.check_scope(param(params, "scope")) {
        Ok(s) => s,
        Err(e) => return fail("invalid_scope", &e),
    };
    let (deny, login_form) = {
        let g = app.lock();
        (g.settings.deny, g.settings.login_form)
    };
    if deny {
        return fail("access_denied", "The user denied access");
    }
    let sub = if login_form {
        if !posted {
            return login_page(params, None);
        }
        let user = params.get("username").map(String::as_str).unwrap_or("");
        let pass = params.get("password").map(String::as_str).unwrap_or("");
        if !app.cfg.user_ok(user, pass) {
            return login_page(params, Some("Invalid username or password."));
        }
        user.to_owned()
    } else {
        app.cfg
            .users
            .first()
            .map(|u| u.name.clone())
            .unwrap_or_else(|| "demo".to_owned())
    };
    let code = crate::state::random_hex::<24>();
    let created = now();
    {
        let mut g = app.lock();
        g.codes
            .retain(|_, c| created.saturating_sub(c.created) <= CODE_LIFETIME);
        g.codes.insert(
            code.clone(),
            AuthCode {
                client_id: client_id.to_owned(),
                redirect_uri: redirect_uri.to_owned(),
                challenge: challenge.to_owned(),
                scope,
                sub,
                created,
            },
        );
    }
    let mut pairs = vec![("code", code.as_str())];
    if let Some(s) = state {
        pairs.push(("state", s));
    }
    redirect(&codec::append_query(redirect_uri, &pairs))
}

// ---------------------------------------------------------------------------
// Introspection, revocation, metadata

/// Client authentication is optional here, but if credentials are sent they
/// must be right.
fn optional_client(
    app: &App,
    headers: &HeaderMap,
    params: &HashMap<String, String>,
) -> Option<Reject> {
    let sent = codec::authorization(headers).is_some_and(codec::is_basic)
        || param(params, "client_id").is_some();
    if sent {
        authenticate(app, headers, params).err()
    } else {
        None
    }
}

/// The shared front of RFC 7662 and RFC 7009 requests: a form body, optional client
/// authentication, and the `token` parameter.
fn token_request(
    app: &Arc<App>,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<String, Box<Response>> {
    let params = form_body(headers, body)?;
    if let Some(r) = optional_client(app, headers, &params) {
        return Err(r);
    }
    param(&params, "token")
        .map(str::to_string)
        .ok_or_else(|| Box::new(bad_request("invalid_request", "missing token")))
}

/// `POST /oauth2/introspect`
pub async fn introspect(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    app.lock().stats.introspect_hits += 1;
    let token = match token_request(&app, &headers, &body) {
        Ok(t) => t,
        Err(r) => return *r,
    };
    let token = token.as_str();
    let g = app.lock();
    let body = if let Ok(t) = g.tokens.check(token, now()) {
        json!({
            "active": true,
            "scope": t.scope,
            "client_id": t.client_id,
            "token_type": "Bearer",
            "exp": t.exp,
            "iat": t.iat,
            "sub": t.sub,
        })
    } else if let Some(r) = g.tokens.refresh.get(token) {
        json!({
            "active": true,
            "scope": r.scope,
            "client_id": r.client_id,
            "token_type": "refresh_token",
            "iat": r.iat,
            "sub": r.sub,
        })
    } else {
        json!({"active": false})
    };
    drop(g);
    reply::json_no_store(StatusCode::OK, &body)
}

/// `POST /oauth2/revoke`
pub async fn revoke(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    app.lock().stats.revoke_hits += 1;
    let token = match token_request(&app, &headers, &body) {
        Ok(t) => t,
        Err(r) => return *r,
    };
    let token = token.as_str();
    app.lock().tokens.revoke(token);
    let mut r = Response::new(axum::body::Body::empty());
    reply::no_store(&mut r);
    r
}

/// `GET /.well-known/oauth-authorization-server` and `/.well-known/openid-configuration`
pub async fn metadata(State(app): State<Arc<App>>) -> Response {
    let b = &app.cfg.base_url;
    reply::json(
        StatusCode::OK,
        &json!({
            "issuer": b,
            "authorization_endpoint": format!("{b}/oauth2/authorize"),
            "token_endpoint": format!("{b}/oauth2/token"),
            "introspection_endpoint": format!("{b}/oauth2/introspect"),
            "revocation_endpoint": format!("{b}/oauth2/revoke"),
            "scopes_supported": app.cfg.scopes,
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "client_credentials", "refresh_token"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic", "none"],
        }),
    )
}
