//! `/oauth2/authorize` (RFC 6749 §4.1 with PKCE, RFC 7636; `iss` per RFC 9207).
//! Auto-approves by default; with `--login-form` a person signs in on a real form and then
//! allows or denies on a consent page. Only loopback redirect URIs are accepted, and only
//! S256 challenges.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;

use crate::codec::{self, param};
use crate::oauth2::{CODE_LIFETIME, is_form};
use crate::pages;
use crate::state::{App, AuthCode, Ticket, TicketFor, now};

const ACTION: &str = "/oauth2/authorize";

fn error_page(message: &str) -> Response {
    pages::page(
        StatusCode::BAD_REQUEST,
        "Authorization error",
        &format!(
            "{message}. The client is not redirected because its identity or redirect URI could not be verified."
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

/// Back to the client with `pairs`, plus `state` and the issuer (RFC 9207).
fn redirect_back<'a>(
    app: &'a App,
    uri: &str,
    state: Option<&'a str>,
    mut pairs: Vec<(&'a str, &'a str)>,
) -> Response {
    if let Some(s) = state {
        pairs.push(("state", s));
    }
    pairs.push(("iss", &app.cfg.base_url));
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

/// `POST /oauth2/authorize` (the sign-in and consent forms post here).
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
    let params = match codec::parse_form(text) {
        Ok(p) => p,
        Err(name) => return error_page(&format!("parameter '{name}' is included more than once")),
    };
    if let Some(ticket) = param(&params, "ticket") {
        return decide(&app, ticket, param(&params, "decision"));
    }
    authorize(&app, &params, true)
}

/// Allow or Deny on the consent page: the ticket (single use) carries who signed in and
/// the original request.
fn decide(app: &App, ticket: &str, decision: Option<&str>) -> Response {
    let taken = take_ticket(app, ticket);
    let Some(Ticket {
        sub,
        purpose: TicketFor::Authorize(params),
        ..
    }) = taken
    else {
        return error_page("this consent page has expired or was already used");
    };
    let (Some(redirect_uri), state) = (param(&params, "redirect_uri"), param(&params, "state"))
    else {
        return error_page("missing redirect_uri");
    };
    match decision {
        Some("allow") => issue_code(app, &params, sub),
        _ => redirect_back(
            app,
            redirect_uri,
            state,
            vec![
                ("error", "access_denied"),
                ("error_description", "The user denied access"),
            ],
        ),
    }
}

pub fn take_ticket(app: &App, ticket: &str) -> Option<Ticket> {
    let mut g = app.lock();
    let t = now();
    g.tickets
        .retain(|_, k| t.saturating_sub(k.created) <= CODE_LIFETIME);
    g.tickets.remove(ticket)
}

pub fn new_ticket(app: &App, sub: &str, purpose: TicketFor) -> String {
    let id = crate::state::random_hex::<16>();
    app.lock().tickets.insert(
        id.clone(),
        Ticket {
            sub: sub.to_owned(),
            purpose,
            created: now(),
        },
    );
    id
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
    let fail = |code: &str, desc: &str| {
        redirect_back(
            app,
            redirect_uri,
            state,
            vec![("error", code), ("error_description", desc)],
        )
    };
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
        return fail(
            "invalid_request",
            "code_challenge_method must be S256 (plain is refused)",
        );
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
    if !login_form {
        let sub = app.cfg.default_user();
        return issue_code(app, params, sub);
    }
    let carry = pages::oauth_carry(params);
    let user = params.get("username").map(String::as_str).unwrap_or("");
    if !posted {
        return pages::sign_in(ACTION, client_id, &carry, user, None);
    }
    let pass = params.get("password").map(String::as_str).unwrap_or("");
    if !app.cfg.user_ok(user, pass) {
        return pages::sign_in(
            ACTION,
            client_id,
            &carry,
            user,
            Some("Invalid username or password."),
        );
    }
    let request: HashMap<String, String> = carry
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let ticket = new_ticket(app, user, TicketFor::Authorize(request));
    pages::consent(ACTION, client_id, &scope, user, &ticket)
}

/// A single-use code bound to the client, the redirect URI and the PKCE challenge.
fn issue_code(app: &App, params: &HashMap<String, String>, sub: String) -> Response {
    let (Some(client_id), Some(redirect_uri), Some(challenge)) = (
        param(params, "client_id"),
        param(params, "redirect_uri"),
        param(params, "code_challenge"),
    ) else {
        return error_page("the authorization request is incomplete");
    };
    let scope = match app.cfg.check_scope(param(params, "scope")) {
        Ok(s) => s,
        Err(e) => return error_page(&e),
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
    redirect_back(
        app,
        redirect_uri,
        param(params, "state"),
        vec![("code", code.as_str())],
    )
}
