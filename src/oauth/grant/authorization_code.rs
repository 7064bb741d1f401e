//! The authorization code grant with PKCE (RFC 6749 section 4.1.3, RFC 7636 section 4.5):
//! trades the code of a browser sign-in for tokens. The browser URL and the callback's
//! verdict are `oauth::authorize`'s.

use super::Grant;
use crate::config::Environment;
use crate::error::Result;
use crate::oauth::dialect::{self, Field, TokenResponse};
use crate::oauth::pkce::Pkce;

pub struct AuthorizationCodeGrant<'a> {
    pub code: &'a str,
    pub redirect_uri: &'a str,
    pub pkce: &'a Pkce,
}

impl Grant for AuthorizationCodeGrant<'_> {
    type Answer = TokenResponse;

    fn fields(&self, env: &Environment) -> Result<Vec<Field>> {
        dialect::require_oauth2(env, "browser sign-in")?;
        let code = Field {
            secret: true,
            ..Field::plain("code", self.code)
        };
        Ok(vec![
            Field::plain("grant_type", "authorization_code"),
            code,
            Field::plain("redirect_uri", self.redirect_uri),
            Field::secret("code_verifier", &self.pkce.verifier),
        ])
    }

    fn doing(&self) -> Option<&'static str> {
        Some("signing in")
    }
}
