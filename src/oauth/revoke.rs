//! RFC 7009 token revocation at `revoke_url`, best effort: a failure never keeps a record
//! the user asked to remove. The client authenticates the environment's `client_auth` way.

use super::http::{Body, Http, Request};
use crate::config::Environment;
use crate::error::{Kind, Result};
use crate::output;
use crate::store::{ProfileKey, Record};
use reqwest::Method;
use std::time::Duration;

/// Revokes the refresh token (which ends the whole grant), else the access token, and says
/// whether the server confirmed it. Only Ctrl-C is an error: anything else is a warning.
pub fn revoke(
    env: &Environment,
    key: &ProfileKey,
    record: &Record,
    timeout: Duration,
) -> Result<bool> {
    let Some(session) = &record.session else {
        return Ok(false);
    };
    let url = match env.endpoint(env.revoke_url.as_deref(), "revoke_url") {
        Ok(Some(url)) => url,
        Ok(None) => return Ok(false),
        Err(e) => {
            output::warn(&format!("not revoking: {}", e.message));
            return Ok(false);
        }
    };
    let (token, hint) = match &session.refresh_token {
        Some(rt) => (rt.clone(), "refresh_token"),
        None => (session.access_token.clone(), "access_token"),
    };
    let mut req = Request::new(Method::POST, url);
    let mut form = vec![
        ("token".to_string(), token.expose().to_string()),
        ("token_type_hint".to_string(), hint.to_string()),
    ];
    req.secrets.push(token.expose().to_string());
    // A stored secret goes only to the origin it was first used with (docs/trust.md).
    let now = super::binding::token_origin(env);
    if let Some(first) = record.client.as_ref().and_then(|c| c.origin.as_deref())
        && first != now
    {
        output::warn(&format!(
            "not revoking: the stored client secret was first used with {first}, and environment {} now points at {now}",
            env.name
        ));
        return Ok(false);
    }
    let auth = match (&record.client, &session.client_id) {
        (Some(c), _) => super::client_auth::apply(env, &mut req, c.into()),
        (None, Some(id)) => {
            let public = super::client_auth::ClientRef { id, secret: None };
            super::client_auth::apply(env, &mut req, public)
        }
        (None, None) => Ok(Vec::new()),
    };
    let auth = match auth {
        Ok(auth) => auth,
        Err(e) => {
            output::warn(&format!(
                "could not revoke ({}); removing the local record anyway",
                e.message
            ));
            return Ok(false);
        }
    };
    form.extend(auth.into_iter().map(|(k, v)| (k.to_string(), v)));
    req.body = Body::Form(form);
    match Http::for_env(env, timeout).and_then(|h| h.send_with_retries(&req)) {
        Ok(r) if r.status.is_success() => {
            output::status(&format!("revoked the {hint} of {key}"));
            return Ok(true);
        }
        Ok(r) => output::warn(&format!(
            "revocation answered HTTP {}; removing the local record anyway",
            r.status.as_u16()
        )),
        // Ctrl-C means stop, not "skip this revocation".
        Err(e) if e.kind == Kind::Interrupted => return Err(e),
        Err(e) => output::warn(&format!(
            "could not revoke ({}); removing the local record anyway",
            e.message
        )),
    }
    Ok(false)
}
