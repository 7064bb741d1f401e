//! The refresh token grant (RFC 6749 section 6): renews a person's session, made as the
//! client the session was issued to (`pipeline::refresh_client`).

use super::Grant;
use crate::config::{Dialect, Environment};
use crate::error::Result;
use crate::oauth::dialect::{Field, TokenResponse};
use crate::secret::Secret;

pub struct RefreshGrant<'a> {
    pub refresh_token: &'a Secret,
}

impl Grant for RefreshGrant<'_> {
    type Answer = TokenResponse;

    fn fields(&self, env: &Environment) -> Result<Vec<Field>> {
        match env.dialect {
            Dialect::OAuth2 | Dialect::OAuth2Json => Ok(vec![
                Field::plain("grant_type", "refresh_token"),
                Field::secret("refresh_token", self.refresh_token),
            ]),
            Dialect::HeaderToken => Err(super::header_token_mints_only()),
        }
    }

    fn doing(&self) -> Option<&'static str> {
        Some("refreshing the token")
    }
}
