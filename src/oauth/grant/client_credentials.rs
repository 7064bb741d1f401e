//! The client credentials grant (RFC 6749 section 4.4): a client mints a token for itself.
//! The only grant of the header-token dialect, where the client's headers are the request.

use super::Grant;
use crate::config::{Dialect, Environment};
use crate::error::Result;
use crate::oauth::dialect::{Field, TokenResponse};

pub struct ClientCredentialsGrant<'a> {
    pub scopes: &'a [String],
}

impl Grant for ClientCredentialsGrant<'_> {
    type Answer = TokenResponse;

    fn fields(&self, env: &Environment) -> Result<Vec<Field>> {
        let grant_type = Field::plain("grant_type", "client_credentials");
        Ok(match env.dialect {
            Dialect::OAuth2 => [Some(grant_type), super::scope(self.scopes)]
                .into_iter()
                .flatten()
                .collect(),
            Dialect::OAuth2Json => vec![grant_type],
            Dialect::HeaderToken => Vec::new(),
        })
    }

    fn doing(&self) -> Option<&'static str> {
        Some("minting a token")
    }
}
