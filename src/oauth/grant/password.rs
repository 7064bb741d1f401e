//! The resource owner password credentials grant (RFC 6749 section 4.3): `login
//! --password`, where the dialect offers it (`dialect::Facts::password_grant`).

use super::Grant;
use crate::config::{Dialect, Environment};
use crate::error::{AppError, Result};
use crate::oauth::dialect::{self, Field, TokenResponse};
use crate::secret::Secret;

/// Whether `env`'s dialect has the password grant: the usage error saying so otherwise.
pub fn offered(env: &Environment) -> Result<()> {
    if dialect::facts(env.dialect).password_grant {
        return Ok(());
    }
    Err(AppError::usage(format!(
        "environment {} uses the {} dialect, which has no password grant",
        env.name,
        env.dialect.name()
    )))
}

pub struct PasswordGrant<'a> {
    pub username: &'a str,
    pub password: &'a Secret,
    pub scopes: &'a [String],
}

impl Grant for PasswordGrant<'_> {
    type Answer = TokenResponse;

    fn fields(&self, env: &Environment) -> Result<Vec<Field>> {
        let grant_type = Field::plain("grant_type", "password");
        let username = Field::plain("username", self.username);
        let password = Field::secret("password", self.password);
        Ok(match env.dialect {
            Dialect::OAuth2 => [Some(grant_type), Some(username), Some(password)]
                .into_iter()
                .chain([super::scope(self.scopes)])
                .flatten()
                .collect(),
            // The e-commerce dialect names the field `scopes` and wants one.
            Dialect::OAuth2Json => {
                let scopes = match self.scopes.is_empty() {
                    true => "write".to_string(),
                    false => self.scopes.join(" "),
                };
                vec![
                    grant_type,
                    Field::plain("scopes", scopes),
                    username,
                    password,
                ]
            }
            Dialect::HeaderToken => return Err(super::header_token_mints_only()),
        })
    }

    fn doing(&self) -> Option<&'static str> {
        Some("signing in")
    }
}
