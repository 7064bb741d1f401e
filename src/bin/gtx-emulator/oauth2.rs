//! Dialect `oauth2` (RFC 6749 / 7636 / 7009 / 7662 / 8414): form-encoded
//! token endpoint, authorization endpoint with PKCE, introspection,
//! revocation and discovery metadata.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

use crate::codec::{self, param};
use crate::faults;
use crate::reply;
use crate::state::{AccessToken, App, Dialect, Inner, RefreshToken, now};

/// An error answer, boxed to keep `Result`s small.
pub type Reject = Box<Response>;

pub const CODE_LIFETIME: u64 = 600;
pub const AUDIENCE: &str = "giftronaut-api";

pub fn is_form(headers: &HeaderMap) -> bool {
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
pub fn form_body(headers: &HeaderMap, body: &[u8]) -> Result<HashMap<String, String>, Reject> {
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

pub fn bad_request(code: &str, description: &str) -> Response {
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
pub enum ClientAuth {
    Confidential(String),
    Public(String),
}

impl ClientAuth {
    pub fn id(&self) -> &str {
        match self {
            ClientAuth::Confidential(id) | ClientAuth::Public(id) => id,
        }
    }
}

/// Client authentication by HTTP Basic or by body parameters.
pub fn authenticate(
    app: &App,
    headers: &HeaderMap,
    params: &HashMap<String, String>,
) -> Result<ClientAuth, Reject> {
    let basic_header = codec::authorization(headers).filter(|v| codec::is_basic(v));
    let basic = basic_header.is_some();
    if params.contains_key("client_assertion") || params.contains_key("client_assertion_type") {
        if basic || params.contains_key("client_secret") {
            return Err(Box::new(bad_request(
                "invalid_request",
                "more than one client authentication method used",
            )));
        }
        return by_assertion(app, params);
    }
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

/// RFC 7523 client authentication (`--key-client` keys, or HS256 over a `--client` secret).
fn by_assertion(app: &App, params: &HashMap<String, String>) -> Result<ClientAuth, Reject> {
    let b = &app.cfg.base_url;
    let secret_of = |id: &str| app.cfg.confidential(id).map(|c| c.secret.clone());
    let reg = crate::assertion::Registry {
        key_clients: &app.cfg.key_clients,
        secret_of: &secret_of,
        audiences: [b.clone(), format!("{b}/oauth2/token")],
    };
    let mut g = app.lock();
    let outcome = crate::assertion::verify(&reg, params, &mut g.assertion_jtis, now() as i64);
    match outcome {
        Ok(id) => {
            g.stats.assertions += 1;
            Ok(ClientAuth::Confidential(id))
        }
        Err(why) => Err(Box::new(invalid_client(&why, false))),
    }
}

/// Issues an oauth2 JWT access token and records it.
pub fn issue_access(app: &App, g: &mut Inner, client_id: &str, sub: &str, scope: &str) -> String {
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
        Some(g @ ("client_credentials" | "authorization_code" | "refresh_token" | "password")) => g,
        Some(crate::device::GRANT_TYPE) => crate::device::GRANT_TYPE,
        Some(_) => {
            return bad_request("unsupported_grant_type", "grant_type is not supported");
        }
    };
    // DPoP before client authentication: a nonce challenge spends no assertion.
    let jkt = match headers.contains_key("dpop") {
        true => {
            let htu = format!("{}/oauth2/token", app.cfg.base_url);
            match crate::dpop::verify(&app, &headers, "POST", &htu, None) {
                Ok(jkt) => Some(jkt),
                Err(why) => return crate::dpop::token_refusal(&app, why),
            }
        }
        false => None,
    };
    if grant == "refresh_token"
        && let Some(rt) = param(&params, "refresh_token")
    {
        let bound = app.lock().dpop.bound.get(rt).cloned();
        if bound.is_some() && bound != jkt {
            return bad_request(
                "invalid_grant",
                "the refresh token is DPoP-bound: a proof by its key is required",
            );
        }
    }
    let client = match authenticate(&app, &headers, &params) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let password_only = app
        .cfg
        .confidential(client.id())
        .is_some_and(|c| c.password_only);
    if password_only != (grant == "password") && grant != "refresh_token" {
        return match password_only {
            true => bad_request(
                "unauthorized_client",
                "this client is registered for the password grant only",
            ),
            false => bad_request(
                "unsupported_grant_type",
                "the password grant is not supported on this endpoint",
            ),
        };
    }
    let r = match grant {
        "password" => password(&app, &client, &params),
        "client_credentials" => client_credentials(&app, &client, &params),
        "authorization_code" => authorization_code(&app, &client, &params),
        crate::device::GRANT_TYPE => crate::device::token(&app, &client, &params),
        _ => refresh(&app, &client, &params),
    };
    crate::dpop::bind(&app, r, jkt).await
}

/// The password grant, for a password-only confidential client (authenticated above).
fn password(app: &App, client: &ClientAuth, params: &HashMap<String, String>) -> Response {
    let (Some(user), Some(pass)) = (param(params, "username"), param(params, "password")) else {
        return bad_request("invalid_request", "username and password are required");
    };
    if !app.cfg.user_ok(user, pass) {
        return bad_request("invalid_grant", "the user credentials were incorrect");
    }
    let scope = app.cfg.scopes.join(" ");
    person_tokens(app, app.lock(), client.id(), user, &scope)
}

/// A person's token answer: an access token and a refresh token for `sub`.
pub fn person_tokens(
    app: &App,
    mut g: std::sync::MutexGuard<'_, Inner>,
    client_id: &str,
    sub: &str,
    scope: &str,
) -> Response {
    let access = issue_access(app, &mut g, client_id, sub, scope);
    let refresh = issue_refresh(&mut g, Dialect::OAuth2, client_id, sub, scope);
    let ttl = g.settings.ttl;
    drop(g);
    reply::json_no_store(
        StatusCode::OK,
        &json!({
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": ttl,
            "refresh_token": refresh,
            "scope": scope,
        }),
    )
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
    if now().saturating_sub(stored.created) > g.settings.code_ttl {
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
    person_tokens(app, g, client.id(), &stored.sub, &stored.scope)
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
// Introspection, revocation, metadata

/// Client authentication is optional here, but if credentials are sent they
/// must be right.
fn optional_client(
    app: &App,
    headers: &HeaderMap,
    params: &HashMap<String, String>,
) -> Option<Reject> {
    let sent = codec::authorization(headers).is_some_and(codec::is_basic)
        || param(params, "client_id").is_some()
        || param(params, "client_assertion").is_some();
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
            "device_authorization_endpoint": format!("{b}/oauth2/device"),
            "scopes_supported": app.cfg.scopes,
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "client_credentials", "refresh_token", crate::device::GRANT_TYPE],
            "authorization_response_iss_parameter_supported": true,
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": app.cfg.auth_methods,
            "token_endpoint_auth_signing_alg_values_supported": ["RS256", "PS256", "ES256", "EdDSA", "HS256"],
            "dpop_signing_alg_values_supported": ["ES256"],
        }),
    )
}
