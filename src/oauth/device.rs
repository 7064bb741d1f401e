//! The device authorization grant (RFC 8628) as two calls: start (POST `device_url`) and
//! one poll of the token endpoint. The pacing (interval, slow_down, deadline, Ctrl-C)
//! lives with the command that waits.

use super::authorize::{self, Client};
use super::dialect::{self, TokenResponse};
use super::http::{Body, Http, Request};
use crate::config::{Dialect, Environment};
use crate::error::{AppError, OAuthCode, Result};
use crate::secret::{Secret, excerpt};
use reqwest::{Method, Url};
use serde_json::Value;
use std::time::Duration;

pub const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// RFC 8628 §3.2: the interval when the server gives none.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
/// RFC 8628 §3.5: each `slow_down` adds this to the interval.
pub const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);
/// A server asking for longer than this between polls is not taken literally.
const MAX_INTERVAL: Duration = Duration::from_secs(60);

pub struct Authorization {
    pub device_code: Secret,
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: Option<String>,
    pub expires_in: Option<Duration>,
    pub interval: Duration,
}

pub enum Poll {
    Done(TokenResponse),
    Pending,
    SlowDown,
}

/// Its errors have the token endpoint's shape (RFC 8628 section 3.2), and point at `device_url`.
const DEVICE_ENDPOINT: dialect::Endpoint = dialect::Endpoint {
    name: "device endpoint",
    field: "device_url",
};

/// Asks the device endpoint for a device code and a user code.
pub fn start(
    http: &Http,
    env: &Environment,
    url: Url,
    client: &Client,
    scopes: &[String],
) -> Result<Authorization> {
    let mut req = Request::new(Method::POST, url);
    let mut form = Vec::new();
    if !scopes.is_empty() {
        form.push(("scope".to_string(), scopes.join(" ")));
    }
    req.body = Body::Form(form);
    req.headers
        .push(("accept".into(), "application/json".into(), false));
    authorize::client_auth(env, client, &mut req)?;
    let resp = http.send_with_retries(&req)?;
    if !resp.status.is_success() {
        // The same RFC 6749 §5.2 error shape as a token endpoint's.
        return Err(dialect::failure(
            Dialect::OAuth2,
            &resp,
            &req.secrets,
            &DEVICE_ENDPOINT,
        ));
    }
    let known: Vec<&str> = req.secrets.iter().map(String::as_str).collect();
    let bad = |why: &str| {
        AppError::network(format!(
            "unusable answer from the device endpoint: {why} (HTTP {}): {}",
            resp.status.as_u16(),
            excerpt(&resp.body, &known, 120)
        ))
    };
    let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(&resp.body) else {
        return Err(bad("not a JSON object"));
    };
    let text = |k: &str| obj.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    let secs = |k: &str| obj.get(k).and_then(Value::as_u64).map(Duration::from_secs);
    let device_code = text("device_code").ok_or_else(|| bad("no device_code"))?;
    let user_code = text("user_code").ok_or_else(|| bad("no user_code"))?;
    // `verification_url` is what some providers (Google) send.
    let verification_uri = text("verification_uri")
        .or_else(|| text("verification_url"))
        .ok_or_else(|| bad("no verification_uri"))?;
    Ok(Authorization {
        device_code: Secret::new(device_code),
        user_code: crate::sanitize::terminal_cut(user_code, 40),
        verification_uri: crate::sanitize::terminal_cut(verification_uri, 500),
        verification_uri_complete: text("verification_uri_complete")
            .map(|u| crate::sanitize::terminal_cut(u, 600)),
        expires_in: secs("expires_in"),
        interval: secs("interval")
            .filter(|i| !i.is_zero())
            .unwrap_or(DEFAULT_INTERVAL)
            .min(MAX_INTERVAL),
    })
}

/// One poll of the token endpoint. `authorization_pending` and `slow_down` are answers,
/// not failures; anything else refused (access_denied, expired_token) ends the login.
pub fn poll(http: &Http, env: &Environment, client: &Client, device_code: &Secret) -> Result<Poll> {
    let pairs = vec![
        ("grant_type".into(), GRANT_TYPE.into()),
        ("device_code".into(), device_code.expose().to_string()),
    ];
    let secrets = vec![device_code.expose().to_string()];
    match authorize::token_call(http, env, client, pairs, secrets) {
        Ok(resp) => Ok(Poll::Done(resp)),
        Err(e) => match e.oauth {
            Some(OAuthCode::AuthorizationPending) => Ok(Poll::Pending),
            Some(OAuthCode::SlowDown) => Ok(Poll::SlowDown),
            Some(OAuthCode::AccessDenied) => Err(AppError::rejected(
                "the sign-in was denied on the verification page",
            )),
            Some(OAuthCode::ExpiredToken) => Err(AppError::rejected(
                "the device code expired before the sign-in was approved",
            )
            .fix(crate::fix::Fix::StartDeviceAgain)),
            _ => Err(e),
        },
    }
}
