//! `client_auth = basic` (RFC 6749 section 2.3.1, `client_secret_basic`): the id and
//! secret in an HTTP Basic header. A public client has no secret and sends its id in the
//! body instead.

use super::{ClientRef, Fields, TokenUrl};
use crate::config::Environment;
use crate::error::Result;
use crate::oauth::http::Request;
use base64::Engine;

pub fn apply(_: &Environment, req: &mut Request, client: ClientRef, _: TokenUrl) -> Result<Fields> {
    let Some(secret) = client.secret else {
        return Ok(super::secret_post::fields(client));
    };
    // RFC 6749 2.3.1: both parts are form-urlencoded before base64.
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let raw = format!("{}:{}", enc(client.id), enc(secret.expose()));
    let value = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    );
    req.secrets.push(value.clone());
    req.headers.push(("authorization".into(), value, true));
    Ok(Vec::new())
}
