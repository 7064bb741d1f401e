//! The device authorization request (RFC 8628 section 3.1): POST `device_url` for a device
//! code and a user code. Not a grant of tokens, but the same shape: the client
//! authenticates as at the token endpoint, and errors have the token endpoint's form.

use super::{Answer, Grant};
use crate::config::{Dialect, Environment};
use crate::error::{AppError, Result};
use crate::oauth::dialect::{self, Endpoint, Field};
use crate::oauth::http::Response;
use crate::secret::{Secret, excerpt};
use reqwest::Url;
use serde_json::Value;
use std::time::Duration;

/// RFC 8628 section 3.2: the interval when the server gives none.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
/// A server asking for longer than this between polls is not taken literally.
const MAX_INTERVAL: Duration = Duration::from_secs(60);

/// Its errors have the token endpoint's shape (RFC 8628 section 3.2), and point at `device_url`.
const DEVICE_ENDPOINT: Endpoint = Endpoint {
    name: "device endpoint",
    field: "device_url",
};

pub struct DeviceAuthorizationRequest<'a> {
    pub url: &'a Url,
    pub scopes: &'a [String],
}

pub struct Authorization {
    pub device_code: Secret,
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: Option<String>,
    pub expires_in: Option<Duration>,
    pub interval: Duration,
}

impl Grant for DeviceAuthorizationRequest<'_> {
    type Answer = Authorization;

    fn fields(&self, env: &Environment) -> Result<Vec<Field>> {
        dialect::require_oauth2(env, "device login")?;
        Ok(super::scope(self.scopes).into_iter().collect())
    }

    fn doing(&self) -> Option<&'static str> {
        Some("asking for a sign-in code")
    }

    fn endpoint(&self) -> &'static Endpoint {
        &DEVICE_ENDPOINT
    }

    fn url(&self, _: &Environment) -> Result<Url> {
        Ok(self.url.clone())
    }

    /// RFC 9449 proves possession at the token endpoint only.
    fn proves_dpop(&self) -> bool {
        false
    }
}

impl Answer for Authorization {
    fn parse(_: &Environment, resp: &Response, secrets: &[String]) -> Result<Authorization> {
        if !resp.status.is_success() {
            // The same RFC 6749 section 5.2 error shape as a token endpoint's.
            return Err(dialect::failure(
                Dialect::OAuth2,
                resp,
                secrets,
                &DEVICE_ENDPOINT,
            ));
        }
        authorization(resp, secrets)
    }
}

fn authorization(resp: &Response, secrets: &[String]) -> Result<Authorization> {
    let known: Vec<&str> = secrets.iter().map(String::as_str).collect();
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
