//! `gtx env add NAME --issuer URL`: endpoint URLs from the issuer's discovery document
//! (OpenID Connect, else RFC 8414).

use super::http::{Http, Request};
use crate::context::Context;
use crate::error::{AppError, Result};
use reqwest::Method;
use serde_json::Value;

pub fn discover(ctx: &Context, issuer: &str) -> Result<Vec<(&'static str, String)>> {
    let base = crate::config::check_url(issuer, true, "issuer")?;
    let trimmed = base.as_str().trim_end_matches('/').to_string();
    let http = Http::new(ctx.timeout())?;
    let mut last_status = None;
    for suffix in [
        "/.well-known/openid-configuration",
        "/.well-known/oauth-authorization-server",
    ] {
        let url = crate::config::check_url(&format!("{trimmed}{suffix}"), true, "issuer")?;
        let resp = http.send_with_retries(&Request::new(Method::GET, url))?;
        if !resp.status.is_success() {
            last_status = Some(resp.status.as_u16());
            continue;
        }
        let doc: Value = serde_json::from_slice(&resp.body).map_err(|_| {
            AppError::network(format!(
                "the discovery document at {trimmed}{suffix} is not JSON (HTTP {}): {}",
                resp.status.as_u16(),
                crate::secret::excerpt(&resp.body, &[], 120)
            ))
        })?;
        let get = |k: &str| doc.get(k).and_then(Value::as_str).map(str::to_string);
        let mut out = Vec::new();
        let origin = base.origin().ascii_serialization();
        out.push(("api_base", origin));
        for (field, key) in [
            ("token_url", "token_endpoint"),
            ("authorize_url", "authorization_endpoint"),
            ("introspect_url", "introspection_endpoint"),
            ("revoke_url", "revocation_endpoint"),
        ] {
            if let Some(v) = get(key) {
                crate::config::check_url(&v, true, key)?;
                out.push((field, v));
            }
        }
        if !out.iter().any(|(k, _)| *k == "token_url") {
            return Err(AppError::config(format!(
                "the discovery document of {trimmed} has no token_endpoint"
            )));
        }
        return Ok(out);
    }
    Err(AppError::network(format!(
        "no discovery document at {trimmed} (HTTP {})",
        last_status.map(|s| s.to_string()).unwrap_or_default()
    )))
}
