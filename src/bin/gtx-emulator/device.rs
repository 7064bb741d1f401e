//! The device authorization grant (RFC 8628): `POST /oauth2/device` hands out a device
//! code and a user code; the verification page takes the code, signs the person in (with
//! `--login-form`) and asks Allow/Deny; the token endpoint answers polls with
//! `authorization_pending`, `slow_down` (polled faster than the interval), `access_denied`,
//! `expired_token`, or the tokens, once.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;

use crate::authorize::{new_ticket, take_ticket};
use crate::codec::{self, param};
use crate::oauth2::{ClientAuth, authenticate, bad_request, form_body, person_tokens};
use crate::pages;
use crate::reply;
use crate::state::{App, DeviceGrant, DeviceStatus, Ticket, TicketFor, now};

pub const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:device_code";
const VERIFY: &str = "/oauth2/device/verify";
/// Consonants only: no vowels, so no words; no look-alikes (RFC 8628 §6.1).
const USER_CODE_CHARS: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";

fn user_code() -> String {
    let bytes = crate::state::random_bytes::<8>();
    let chars: String = bytes
        .iter()
        .map(|b| USER_CODE_CHARS[*b as usize % USER_CODE_CHARS.len()] as char)
        .collect();
    format!("{}-{}", &chars[..4], &chars[4..])
}

fn normalise(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// `POST /oauth2/device`
pub async fn authorize(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    app.lock().stats.device_hits += 1;
    let params = match form_body(&headers, &body) {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let client = match authenticate(&app, &headers, &params) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let scope = match app.cfg.check_scope(param(&params, "scope")) {
        Ok(s) => s,
        Err(e) => return bad_request("invalid_scope", &e),
    };
    let device_code = format!("dc_{}", crate::state::random_hex::<24>());
    let user_code = user_code();
    let mut g = app.lock();
    let (expires_in, interval) = (g.settings.device_ttl, g.settings.device_interval);
    let reported = match g.settings.device_expires_in {
        0 => expires_in,
        said => said,
    };
    let t = now();
    g.devices
        .retain(|_, d| t.saturating_sub(d.created) <= d.expires_in + 60);
    g.devices.insert(
        device_code.clone(),
        DeviceGrant {
            client_id: client.id().to_owned(),
            scope,
            user_code: user_code.clone(),
            created: t,
            expires_in,
            interval,
            last_poll: None,
            status: DeviceStatus::Pending,
        },
    );
    drop(g);
    let verify = format!("{}{VERIFY}", app.cfg.base_url);
    reply::json_no_store(
        StatusCode::OK,
        &json!({
            "device_code": device_code,
            "user_code": user_code,
            "verification_uri": verify,
            "verification_uri_complete": codec::append_query(&verify, &[("user_code", &user_code)]),
            "expires_in": reported,
            "interval": interval,
        }),
    )
}

/// The pending grant a typed user code names, if it is still valid.
fn pending(app: &App, typed: &str) -> Option<(String, DeviceGrant)> {
    let wanted = normalise(typed);
    let g = app.lock();
    let t = now();
    g.devices
        .iter()
        .find(|(_, d)| normalise(&d.user_code) == wanted && !wanted.is_empty())
        .filter(|(_, d)| {
            d.status == DeviceStatus::Pending && t.saturating_sub(d.created) < d.expires_in
        })
        .map(|(k, d)| (k.clone(), d.clone()))
}

/// `GET /oauth2/device/verify[?user_code=…]`
pub async fn verify_get(State(app): State<Arc<App>>, RawQuery(q): RawQuery) -> Response {
    let params = codec::parse_form(q.as_deref().unwrap_or("")).unwrap_or_default();
    let Some(typed) = param(&params, "user_code") else {
        return pages::enter_code(VERIFY, None);
    };
    let Some((_, grant)) = pending(&app, typed) else {
        return pages::enter_code(VERIFY, Some("That code is not valid or has expired."));
    };
    if app.lock().settings.login_form {
        return pages::sign_in(
            VERIFY,
            &grant.client_id,
            &[("user_code", &grant.user_code)],
            "",
            None,
        );
    }
    let sub = app.cfg.default_user();
    consent(&app, &grant, &sub)
}

fn consent(app: &App, grant: &DeviceGrant, sub: &str) -> Response {
    let ticket = new_ticket(app, sub, TicketFor::Device(grant.user_code.clone()));
    pages::consent(VERIFY, &grant.client_id, &grant.scope, sub, &ticket)
}

/// `POST /oauth2/device/verify`: the sign-in form, then Allow/Deny.
pub async fn verify_post(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let params: HashMap<String, String> = match form_body(&headers, &body) {
        Ok(p) => p,
        Err(_) => {
            return pages::page(
                StatusCode::BAD_REQUEST,
                "Error",
                "The form could not be read.",
            );
        }
    };
    if let Some(ticket) = param(&params, "ticket") {
        return decide(&app, take_ticket(&app, ticket), param(&params, "decision"));
    }
    let typed = param(&params, "user_code").unwrap_or("");
    let Some((_, grant)) = pending(&app, typed) else {
        return pages::enter_code(VERIFY, Some("That code is not valid or has expired."));
    };
    let user = param(&params, "username").unwrap_or("");
    let pass = param(&params, "password").unwrap_or("");
    if !app.cfg.user_ok(user, pass) {
        return pages::sign_in(
            VERIFY,
            &grant.client_id,
            &[("user_code", &grant.user_code)],
            user,
            Some("Invalid username or password."),
        );
    }
    consent(&app, &grant, user)
}

fn decide(app: &App, ticket: Option<Ticket>, decision: Option<&str>) -> Response {
    let Some(Ticket {
        sub,
        purpose: TicketFor::Device(code),
        ..
    }) = ticket
    else {
        return pages::page(
            StatusCode::BAD_REQUEST,
            "Error",
            "This page has expired or was already used.",
        );
    };
    let Some((device_code, _)) = pending(app, &code) else {
        return pages::enter_code(VERIFY, Some("That code is not valid or has expired."));
    };
    let allow = decision == Some("allow");
    if let Some(d) = app.lock().devices.get_mut(&device_code) {
        d.status = if allow {
            DeviceStatus::Approved(sub)
        } else {
            DeviceStatus::Denied
        };
    }
    if allow {
        pages::page(
            StatusCode::OK,
            "Device connected",
            "You have allowed access. Return to your device; you can close this tab.",
        )
    } else {
        pages::page(
            StatusCode::OK,
            "Access denied",
            "You have denied access. The device will not be signed in.",
        )
    }
}

/// The token endpoint's `device_code` grant: one poll.
pub fn token(app: &App, client: &ClientAuth, params: &HashMap<String, String>) -> Response {
    let Some(device_code) = param(params, "device_code") else {
        return bad_request("invalid_request", "missing device_code");
    };
    let mut g = app.lock();
    g.stats.device_polls += 1;
    let t = now();
    let slow_fault = g.settings.slow_down_next > 0;
    if slow_fault {
        g.settings.slow_down_next -= 1;
    }
    let Some(d) = g.devices.get_mut(device_code) else {
        return bad_request(
            "invalid_grant",
            "device_code is invalid or was already used",
        );
    };
    if d.client_id != client.id() {
        return bad_request("invalid_grant", "device_code was issued to another client");
    }
    if t.saturating_sub(d.created) >= d.expires_in {
        g.devices.remove(device_code);
        return bad_request("expired_token", "the device code has expired");
    }
    let too_fast = d
        .last_poll
        .is_some_and(|p| p.elapsed() < Duration::from_secs(d.interval));
    d.last_poll = Some(Instant::now());
    if slow_fault || too_fast {
        d.interval += 5;
        return bad_request(
            "slow_down",
            "polling too fast; wait longer between requests",
        );
    }
    match d.status.clone() {
        DeviceStatus::Pending => {
            bad_request("authorization_pending", "the user has not decided yet")
        }
        DeviceStatus::Denied => {
            g.devices.remove(device_code);
            bad_request("access_denied", "the user denied access")
        }
        DeviceStatus::Approved(sub) => {
            let Some(d) = g.devices.remove(device_code) else {
                return bad_request("invalid_grant", "device_code is invalid");
            };
            person_tokens(app, g, &d.client_id, &sub, &d.scope)
        }
    }
}
