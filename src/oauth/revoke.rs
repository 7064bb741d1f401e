//! RFC 7009 token revocation at `revoke_url`, best effort: a failure never keeps a record
//! the user asked to remove. The client authenticates the environment's `client_auth` way.

use super::dialect::token_url;
use super::http::{Body, Http, Request};
use crate::config::Environment;
use crate::error::{Kind, Result};
use crate::store::Record;
use reqwest::Method;
use std::time::Duration;

/// What became of a revocation. Only Ctrl-C is an error: the rest is for the command to
/// say, and none of it keeps a record the user asked to remove.
pub enum Revocation {
    /// No session, or no `revoke_url`: nothing was asked.
    NotAsked,
    /// The server confirmed it; `which` is the token sent (`refresh_token` or `access_token`).
    Revoked { which: &'static str },
    /// Not sent: the `revoke_url` is unusable (the message says why).
    BadUrl(String),
    /// Not sent: the stored client secret was first used with `first`, and the
    /// environment now points at `now` (docs/trust.md).
    Moved { first: String, now: String },
    /// Not sent, or sent and failed (the message says why).
    Failed(String),
    /// The server answered with this status.
    Refused(u16),
}

/// Revokes the refresh token (which ends the whole grant), else the access token.
pub fn revoke(env: &Environment, record: &Record, timeout: Duration) -> Result<Revocation> {
    let Some(session) = &record.session else {
        return Ok(Revocation::NotAsked);
    };
    let url = match env.endpoint(env.revoke_url.as_deref(), "revoke_url") {
        Ok(Some(url)) => url,
        Ok(None) => return Ok(Revocation::NotAsked),
        Err(e) => return Ok(Revocation::BadUrl(e.message)),
    };
    let (token, which) = match &session.refresh_token {
        Some(rt) => (rt.clone(), "refresh_token"),
        None => (session.access_token.clone(), "access_token"),
    };
    let mut req = Request::new(Method::POST, url);
    let mut form = vec![
        ("token".to_string(), token.expose().to_string()),
        ("token_type_hint".to_string(), which.to_string()),
    ];
    req.secrets.push(token.expose().to_string());
    // A stored secret goes only to the origin it was first used with (docs/trust.md).
    let now = super::binding::token_origin(env);
    if let Some(first) = record.client.as_ref().and_then(|c| c.origin.as_deref())
        && first != now
    {
        return Ok(Revocation::Moved {
            first: first.to_string(),
            now,
        });
    }
    let auth = match (&record.client, &session.client_id) {
        (Some(c), _) => super::client_auth::apply(env, &mut req, c.into(), token_url),
        (None, Some(id)) => {
            let public = super::client_auth::ClientRef { id, secret: None };
            super::client_auth::apply(env, &mut req, public, token_url)
        }
        (None, None) => Ok(Vec::new()),
    };
    let auth = match auth {
        Ok(auth) => auth,
        Err(e) => return Ok(Revocation::Failed(e.message)),
    };
    form.extend(auth.into_iter().map(|(k, v)| (k.to_string(), v)));
    req.body = Body::Form(form);
    match Http::for_env(env, timeout).and_then(|h| h.send_with_retries(&req)) {
        Ok(r) if r.status.is_success() => Ok(Revocation::Revoked { which }),
        Ok(r) => Ok(Revocation::Refused(r.status.as_u16())),
        // Ctrl-C means stop, not "skip this revocation".
        Err(e) if e.kind == Kind::Interrupted => Err(e),
        Err(e) => Ok(Revocation::Failed(e.message)),
    }
}
