//! `env add NAME --issuer URL`: endpoint URLs from the issuer's discovery document
//! (OpenID Connect, else RFC 8414).

use super::http::{Http, Request};
use crate::config::FIELDS;
use crate::context::Context;
use crate::error::{AppError, Result};
use reqwest::{Method, Url};
use serde_json::Value;

/// An endpoint URL longer than this in a discovery document is refused (and quoted cut):
/// real ones are far shorter, and the error would otherwise quote all of it.
const MAX_URL: usize = 8192;

/// `trust`: the `ca_file` of the environment being added, which may be what lets gtx reach
/// an internal issuer at all.
pub fn discover(
    ctx: &Context,
    issuer: &str,
    trust: &super::tls::Trust,
) -> Result<Vec<(&'static str, String)>> {
    let base = crate::config::check_url(issuer, true, "issuer")?;
    let trimmed = base.as_str().trim_end_matches('/').to_string();
    let http = Http::with_trust(ctx.timeout(), trust)?;
    let mut last_status = None;
    let mut server_failed = false;
    for where_ in well_known(&base, &trimmed) {
        let url = crate::config::check_url(&where_, true, "issuer")?;
        let resp = http.send_with_retries(&Request::new(Method::GET, url))?;
        if !resp.status.is_success() {
            last_status = Some(resp.status.as_u16());
            server_failed |= resp.status.is_server_error() || resp.status.as_u16() == 429;
            continue;
        }
        let doc: Value = serde_json::from_slice(&resp.body).map_err(|_| {
            AppError::network(format!(
                "the discovery document at {where_} is not JSON (HTTP {}): {}",
                resp.status.as_u16(),
                crate::secret::excerpt(&resp.body, &[], 120)
            ))
        })?;
        return endpoints(&doc, &base, &trimmed);
    }
    let message = format!(
        "no discovery document at {trimmed} (HTTP {})",
        last_status.map(|s| s.to_string()).unwrap_or_default()
    );
    // A server that answers, but has no document there (404, a redirect), says the issuer
    // URL is wrong: the configuration's fault, as a token URL not found is. 5xx and 429
    // are the server's.
    match last_status {
        Some(_) if !server_failed => Err(AppError::config(message).hint(
            "check the --issuer URL (the server's own name for itself), or set the URLs with --token-url etc.",
        )),
        _ => Err(AppError::network(message)),
    }
}

/// Where an issuer's metadata may be, in the order tried: OpenID Connect appends its
/// well-known path to the issuer; RFC 8414 section 3.1 inserts its own between the host and
/// the issuer's path; many servers also answer the RFC 8414 path appended.
fn well_known(base: &Url, trimmed: &str) -> Vec<String> {
    let origin = base.origin().ascii_serialization();
    let path = trimmed.strip_prefix(&origin).unwrap_or("");
    let mut out = vec![
        format!("{trimmed}/.well-known/openid-configuration"),
        format!("{origin}/.well-known/oauth-authorization-server{path}"),
    ];
    if !path.is_empty() {
        out.push(format!("{trimmed}/.well-known/oauth-authorization-server"));
    }
    out
}

/// The environment fields a discovery document fills, each checked like a configured URL.
fn endpoints(doc: &Value, base: &Url, trimmed: &str) -> Result<Vec<(&'static str, String)>> {
    check_issuer(doc, trimmed)?;
    let mut out = vec![("api_base", base.origin().ascii_serialization())];
    for f in FIELDS {
        let Some(key) = f.metadata else { continue };
        if let Some(v) = doc.get(key).and_then(Value::as_str) {
            if v.len() > MAX_URL {
                return Err(AppError::config(format!(
                    "the discovery document's {key} is {} bytes long, more than any endpoint URL needs: {}",
                    v.len(),
                    crate::sanitize::terminal_cut(v, 100)
                )));
            }
            crate::config::check_url(v, true, key)?;
            out.push((f.key, v.to_string()));
        }
    }
    if !out.iter().any(|(k, _)| *k == "token_url") {
        return Err(AppError::config(format!(
            "the discovery document of {trimmed} has no token_endpoint"
        )));
    }
    if let Some(method) = client_auth_from(doc) {
        out.push(("client_auth", method.to_string()));
    }
    // What `env add --dpop auto` turns into; dropped unless asked for.
    let dpop = doc
        .get("dpop_signing_alg_values_supported")
        .and_then(Value::as_array)
        .is_some_and(|algs| algs.iter().any(|a| a.as_str() == Some("ES256")));
    out.push(("dpop", dpop.to_string()));
    Ok(out)
}

/// The `client_auth` for the server's `token_endpoint_auth_methods_supported`: the
/// default (`body`) while the server takes it, else the first it takes of basic,
/// private_key_jwt and client_secret_jwt. `--client-auth` on `env add` wins over this.
fn client_auth_from(doc: &Value) -> Option<&'static str> {
    let listed: Vec<&str> = doc
        .get("token_endpoint_auth_methods_supported")?
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if listed.contains(&"client_secret_post") {
        return None;
    }
    [
        ("client_secret_basic", "basic"),
        ("private_key_jwt", "private_key_jwt"),
        ("client_secret_jwt", "client_secret_jwt"),
    ]
    .into_iter()
    .find(|(m, _)| listed.contains(m))
    .map(|(_, ours)| ours)
}

/// RFC 8414 section 3.3 (and OpenID Discovery 4.3): the document's `issuer` must be the
/// issuer asked for, or a server could hand out another issuer's endpoints. Only a
/// trailing slash and the URL's normal form (case of scheme and host) may differ.
fn check_issuer(doc: &Value, asked: &str) -> Result<()> {
    let stated = doc.get("issuer").and_then(Value::as_str);
    let normal = |s: &str| {
        Url::parse(s)
            .map(|u| u.as_str().trim_end_matches('/').to_string())
            .ok()
    };
    match stated {
        Some(s) if normal(s).as_deref() == Some(asked) => Ok(()),
        Some(s) => Err(AppError::config(format!(
            "the discovery document of {asked} names another issuer, {:?}; refusing its endpoints (RFC 8414 section 3.3)",
            crate::sanitize::terminal_cut(s, 200)
        ))
        .hint("give --issuer exactly as the server names itself, or set the URLs with --token-url etc.")),
        None => Err(AppError::config(format!(
            "the discovery document of {asked} has no issuer (RFC 8414 section 3.3)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_paths_for_issuers_with_and_without_a_path() {
        let at = |issuer: &str| {
            let base = Url::parse(issuer).expect("url");
            well_known(&base, base.as_str().trim_end_matches('/'))
        };
        assert_eq!(
            at("https://id.example.com/"),
            [
                "https://id.example.com/.well-known/openid-configuration",
                "https://id.example.com/.well-known/oauth-authorization-server",
            ]
        );
        assert_eq!(
            at("https://id.example.com:8443/t/1"),
            [
                "https://id.example.com:8443/t/1/.well-known/openid-configuration",
                "https://id.example.com:8443/.well-known/oauth-authorization-server/t/1",
                "https://id.example.com:8443/t/1/.well-known/oauth-authorization-server",
            ]
        );
    }

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
        assert_eq!(get("dpop"), Some("false"));
        assert_eq!(got.len(), 7);
    }

    #[test]
    fn the_client_auth_is_one_the_server_takes() {
        let pick = |methods: &[&str]| {
            client_auth_from(&serde_json::json!({"token_endpoint_auth_methods_supported": methods}))
        };
        assert_eq!(pick(&["client_secret_basic", "client_secret_post"]), None);
        assert_eq!(
            pick(&["private_key_jwt", "client_secret_basic"]),
            Some("basic")
        );
        assert_eq!(
            pick(&["private_key_jwt", "tls_client_auth"]),
            Some("private_key_jwt")
        );
        assert_eq!(pick(&["client_secret_jwt"]), Some("client_secret_jwt"));
        assert_eq!(client_auth_from(&serde_json::json!({})), None);
    }

    #[test]
    fn control_characters_in_discovered_urls_are_refused() {
        let base = Url::parse("https://id.example.com").expect("url");
        let doc = serde_json::json!({
            "issuer": "https://id.example.com/",
            "token_endpoint": "https://id.example.com/token",
            "revocation_endpoint": "https://id.example.com/\u{1b}]0;pwned\u{7}",
        });
        let err = endpoints(&doc, &base, "https://id.example.com").expect_err("refused");
        assert!(
            !err.message.chars().any(char::is_control),
            "{}",
            err.message
        );
    }
}
