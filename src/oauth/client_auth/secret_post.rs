//! `client_auth = body` (RFC 6749 section 2.3.1, `client_secret_post`): the client id, and
//! the secret when there is one, as body fields.

use super::Fields;
use crate::config::Environment;
use crate::error::Result;
use crate::oauth::http::Request;
use crate::secret::Secret;

pub fn apply(
    _env: &Environment,
    _req: &mut Request,
    client_id: &str,
    secret: Option<&Secret>,
) -> Result<Fields> {
    let mut fields = vec![("client_id", client_id.to_string())];
    if let Some(secret) = secret {
        fields.push(("client_secret", secret.expose().to_string()));
    }
    Ok(fields)
}
