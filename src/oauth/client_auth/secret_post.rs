//! `client_auth = body` (RFC 6749 section 2.3.1, `client_secret_post`): the client id, and
//! the secret when there is one, as body fields.

use super::{ClientRef, Fields, TokenUrl};
use crate::config::Environment;
use crate::error::Result;
use crate::oauth::http::Request;

pub fn apply(_: &Environment, _: &mut Request, client: ClientRef, _: TokenUrl) -> Result<Fields> {
    Ok(fields(client))
}

/// The id, and the secret when there is one (`secret_basic` sends a public client's id so).
pub fn fields(client: ClientRef) -> Fields {
    let mut fields = vec![("client_id", client.id.to_string())];
    if let Some(secret) = client.secret {
        fields.push(("client_secret", secret.expose().to_string()));
    }
    fields
}
