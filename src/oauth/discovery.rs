//! `gtx env add NAME --issuer URL`: endpoint URLs from the issuer's discovery document
//! (OpenID Connect, else RFC 8414).

use super::http::{Http, Request};
use crate::config::FIELDS;
use crate::context::Context;
use crate::error::{AppError, Result};
use reqwest::{Method, Url};
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
        return endpoints(&doc, &base, &trimmed);
    }
    Err(AppError::network(format!(
        "no discovery document at {trimmed} (HTTP {})",
        last_status.map(|s| s.to_string()).unwrap_or_default()
    )))
}

/// The environment fields a discovery document fills, each checked like a configured URL.
fn endpoints(doc: &Value, base: &Url, trimmed: &str) -> Result<Vec<(&'static str, String)>> {
    let mut out = vec![("api_base", base.origin().ascii_serialization())];
    for f in FIELDS {
        let Some(key) = f.metadata else { continue };
        if let Some(v) = doc.get(key).and_then(Value::as_str) {
            crate::config::check_url(v, true, key)?;
            out.push((f.key, v.to_string()));
        }
    }
    if !out.iter().any(|(k, _)| *k == "token_url") {
        return Err(AppError::config(format!(
            "the discovery document of {trimmed} has no token_endpoint"
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_advertised_endpoint_fills_its_field() {
        let base = Url::parse("https://id.example.com").expect("url");
        let doc = serde_json::json!({
            "issuer": "https://id.example.com",
            "token_endpoint": "https://id.example.com/token",
            "authorization_endpoint": "https://id.example.com/authorize",
            "device_authorization_endpoint": "https://id.example.com/device",
            "introspection_endpoint": "https://id.example.com/introspect",
            "revocation_endpoint": "https://id.example.com/revoke",
        });
        let got = endpoints(&doc, &base, "https://id.example.com").expect("endpoints");
        let get = |k: &str| got.iter().find(|(f, _)| *f == k).map(|(_, v)| v.as_str());
        assert_eq!(get("api_base"), Some("https://id.example.com"));
        assert_eq!(get("token_url"), Some("https://id.example.com/token"));
        assert_eq!(get("device_url"), Some("https://id.example.com/device"));
        assert_eq!(get("revoke_url"), Some("https://id.example.com/revoke"));
        assert_eq!(got.len(), 6);
    }
}
