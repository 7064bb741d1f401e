//! The client credentials grant (RFC 6749 section 4.4): a client mints a token for itself.
//! The only grant of the header-token dialect, where the client's headers are the request.

use super::{ClientRef, Field, Grant};
use crate::config::{Dialect, Environment};
use crate::error::Result;
use crate::oauth::dialect::{self, TokenResponse};
use crate::oauth::http::Response;
use crate::store::ClientCredentials;

pub struct ClientCredentialsGrant<'a> {
    pub client: &'a ClientCredentials,
    pub scopes: &'a [String],
}

impl Grant for ClientCredentialsGrant<'_> {
    type Answer = TokenResponse;

    fn client(&self) -> ClientRef<'_> {
        ClientRef {
            id: &self.client.client_id,
            secret: Some(&self.client.client_secret),
        }
    }

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

    fn parse(
        &self,
        env: &Environment,
        resp: &Response,
        secrets: &[String],
    ) -> Result<TokenResponse> {
        dialect::parse(env.dialect, resp, secrets)
    }
}
