//! `token validate`: expiry, the environment's prefix, then the server — `validate_url`
//! (header dialect), `introspect_url` (RFC 7662), or a GET of `api_base` with the token.

use super::dialect::token_url;
use super::http::{Body, Http, Request};
use crate::config::Environment;
use crate::error::{AppError, Result};
use crate::fix::{ClientFix, EnvFix};
use crate::secret::Secret;
use crate::store::ClientCredentials;
use reqwest::Method;
use serde_json::Value;

#[derive(Debug)]
pub struct Verdict {
    pub valid: bool,
    pub reason: String,
    /// Which check decided: expiry, prefix, validate_url, introspect_url, api_base.
    pub checked_by: &'static str,
}

pub fn local(
    env: &Environment,
    token: &Secret,
    expires_at: Option<i64>,
    now: i64,
) -> Option<Verdict> {
    if let Some(exp) = expires_at
        && exp <= now
    {
        return Some(Verdict {
            valid: false,
            reason: expired(exp, now),
            checked_by: "expiry",
        });
    }
    if let Err(e) = super::pipeline::check_prefix(env, token) {
        return Some(Verdict {
            valid: false,
            reason: e.message,
            checked_by: "prefix",
        });
    }
    None
}

/// RFC 7662 section 2.1: the introspection endpoint authorizes the *caller*. A 401/403
/// there says this client may not introspect, nothing about the token: a configuration
/// matter (exit 3), never "invalid" (exit 5).
fn caller_refused(env: &Environment, status: u16, client: Option<&ClientCredentials>) -> AppError {
    let who = match client {
        Some(c) => format!("client {}", c.client_id),
        None => "an anonymous caller".to_string(),
    };
    let err = AppError::config(format!(
        "introspect_url of {} refused {who} (HTTP {status}): the caller may not introspect, which says nothing about the token",
        env.name
    ));
    match client {
        Some(_) => err
            .hint("introspection authenticates with the profile's client credentials; check them, or ask for a client allowed to introspect")
            .fix(EnvFix::ValidateUrl { env: env.name.clone() }),
        None => err.fix(ClientFix::IntrospectionNeedsClient { env: env.name.clone() }),
    }
}

pub fn remote(
    http: &Http,
    env: &Environment,
    token: &Secret,
    token_type: &str,
    client: Option<&ClientCredentials>,
) -> Result<Verdict> {
    let bearer = format!("{token_type} {}", token.expose());
    if let Some(url) = env.endpoint(env.validate_url.as_deref(), "validate_url")? {
        return by_validate_url(http, url, token, bearer);
    }
    if let Some(url) = env.endpoint(env.introspect_url.as_deref(), "introspect_url")? {
        return by_introspection(http, env, url, token, client);
    }
    by_api_base(http, env, token, bearer)
}

/// The token's Authorization header, and for a DPoP-bound one a proof (RFC 9449 section 7).
fn with_token(req: &mut Request, token: &Secret, authorization: String) {
    let dpop = authorization
        .split_once(' ')
        .is_some_and(|(scheme, _)| super::dpop::is_dpop(scheme));
    req.headers
        .push(("authorization".into(), authorization, true));
    req.dpop = dpop;
    req.dpop_token = dpop.then(|| token.expose().to_string());
}

fn by_validate_url(
    http: &Http,
    url: reqwest::Url,
    token: &Secret,
    bearer: String,
) -> Result<Verdict> {
    let secrets = vec![token.expose().to_string()];
    let mut req = Request::new(Method::GET, url);
    with_token(&mut req, token, bearer);
    req.headers
        .push(("accept".into(), "application/json".into(), false));
    req.secrets = secrets.clone();
    let resp = http.send_with_retries(&req)?;
    let status = resp.status.as_u16();
    let text = String::from_utf8_lossy(&resp.body);
    if resp.status.is_success() {
        let explicit_false = serde_json::from_slice::<Value>(&resp.body)
            .ok()
            .and_then(|v| v.get("success").and_then(Value::as_bool))
            == Some(false);
        if !explicit_false {
            return Ok(Verdict {
                valid: true,
                reason: format!("accepted by validate_url (HTTP {status})"),
                checked_by: "validate_url",
            });
        }
    }
    if matches!(status, 401 | 403)
        || text.contains("Authorization Required")
        || resp.status.is_success()
    {
        return Ok(Verdict {
            valid: false,
            reason: format!(
                "rejected by validate_url (HTTP {status}): {}",
                crate::secret::excerpt(&resp.body, &[token.expose()], 100)
            ),
            checked_by: "validate_url",
        });
    }
    Err(AppError::network(format!(
        "validate_url answered HTTP {status}: {}",
        crate::secret::excerpt(&resp.body, &[token.expose()], 100)
    )))
}

fn by_introspection(
    http: &Http,
    env: &Environment,
    url: reqwest::Url,
    token: &Secret,
    client: Option<&ClientCredentials>,
) -> Result<Verdict> {
    let secrets = vec![token.expose().to_string()];
    let mut req = Request::new(Method::POST, url);
    let mut form = vec![("token".to_string(), token.expose().to_string())];
    if let Some(c) = client {
        let auth = super::client_auth::apply(env, &mut req, c.into(), token_url)?;
        form.extend(auth.into_iter().map(|(k, v)| (k.to_string(), v)));
    }
    req.body = Body::Form(form);
    req.headers
        .push(("accept".into(), "application/json".into(), false));
    req.secrets.extend(secrets);
    let known: Vec<&str> = req.secrets.iter().map(String::as_str).collect();
    let resp = http.send_with_retries(&req)?;
    let status = resp.status.as_u16();
    let parsed: Option<Value> = serde_json::from_slice(&resp.body).ok();
    match (
        resp.status.is_success(),
        parsed
            .as_ref()
            .and_then(|v| v.get("active"))
            .and_then(Value::as_bool),
    ) {
        (true, Some(true)) => Ok(active_verdict(parsed.as_ref(), crate::time::now())),
        (true, Some(false)) => Ok(Verdict {
            valid: false,
            reason: "introspection says not active".into(),
            checked_by: "introspect_url",
        }),
        (_, _) if matches!(status, 401 | 403) => Err(caller_refused(env, status, client)),
        _ => Err(AppError::network(format!(
            "unusable answer from introspect_url (HTTP {status}): {}",
            crate::secret::excerpt(&resp.body, &known, 100)
        ))),
    }
}

fn expired(exp: i64, now: i64) -> String {
    format!(
        "expired {} ({})",
        crate::time::relative(exp, now),
        crate::time::rfc3339(exp)
    )
}

/// `active: true`, unless the answer's own `exp` (RFC 7662 section 2.2) is already past.
fn active_verdict(answer: Option<&Value>, now: i64) -> Verdict {
    // As for a JWT (README): an `exp` that is present but no NumericDate (negative, a
    // string, null) counts as long expired, never as "no expiry".
    let exp = answer
        .and_then(|v| v.get("exp"))
        .map(|e| super::jwt::numeric_date(e).unwrap_or(0));
    match exp {
        Some(exp) if exp <= now => Verdict {
            valid: false,
            reason: format!(
                "introspection says active, but its exp is past: {}",
                expired(exp, now)
            ),
            checked_by: "introspect_url",
        },
        _ => Verdict {
            valid: true,
            reason: "introspection says active".into(),
            checked_by: "introspect_url",
        },
    }
}

fn by_api_base(http: &Http, env: &Environment, token: &Secret, bearer: String) -> Result<Verdict> {
    let secrets = vec![token.expose().to_string()];
    let url = env.api_base_url()?;
    let mut req = Request::new(Method::GET, url);
    with_token(&mut req, token, bearer);
    req.secrets = secrets;
    let resp = http.send_with_retries(&req)?;
    let status = resp.status.as_u16();
    if matches!(status, 401 | 403) {
        Ok(Verdict {
            valid: false,
            reason: format!("api_base answered HTTP {status}"),
            checked_by: "api_base",
        })
    } else if resp.status.is_success() {
        // A page that answers 2xx without any token says nothing about this one.
        let anonymous = http.send_with_retries(&Request::new(Method::GET, env.api_base_url()?))?;
        if anonymous.status.is_success() {
            return Err(AppError::config(format!(
                "cannot tell: api_base of {} answers HTTP {} with or without a token",
                env.name,
                anonymous.status.as_u16()
            ))
            .fix(EnvFix::ConfigureCheck {
                env: env.name.clone(),
                or_api_base: true,
            }));
        }
        Ok(Verdict {
            valid: true,
            reason: format!("api_base accepted it (HTTP {status})"),
            checked_by: "api_base",
        })
    } else {
        // 404, 429, 5xx…: the server said nothing about the token.
        Err(AppError::network(format!(
            "cannot tell: api_base answered HTTP {status} to the token"
        ))
        .fix(EnvFix::ConfigureCheck {
            env: env.name.clone(),
            or_api_base: false,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_active_answer_is_believed_until_its_own_exp() {
        let now = 1_700_000_000;
        let valid = |v: Value| active_verdict(Some(&v), now).valid;
        assert!(valid(json!({"active": true})));
        assert!(valid(json!({"active": true, "exp": now + 1})));
        // No NumericDate: long expired, as for a JWT (issue 18, defect 7).
        assert!(!valid(json!({"active": true, "exp": "soon"})));
        assert!(!valid(json!({"active": true, "exp": now})));
        assert!(!valid(json!({"active": true, "exp": 1000.5})));
        assert!(active_verdict(None, now).valid);
    }
}

#[cfg(test)]
mod exp_tests {
    use super::*;

    #[test]
    fn an_introspection_exp_that_is_no_numeric_date_is_expired() {
        for exp in [
            serde_json::json!(-1),
            serde_json::json!("1900000000"),
            serde_json::Value::Null,
            serde_json::json!(1),
        ] {
            let answer = serde_json::json!({"active": true, "exp": exp});
            let v = active_verdict(Some(&answer), 1_700_000_000);
            assert!(!v.valid, "exp {exp} counted as valid");
        }
        let answer = serde_json::json!({"active": true});
        assert!(active_verdict(Some(&answer), 1_700_000_000).valid);
    }
}
