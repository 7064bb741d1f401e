//! How a request proves which client sends it, one file per method (RFC 6749 section
//! 2.3.1, RFC 7523 section 2.2): `secret_post` (the id and secret as body fields),
//! `secret_basic` (HTTP Basic), `jwt_assertion` (`private_key_jwt`, `client_secret_jwt`).
//! [`apply`] is the one place a method is chosen: the token endpoint (every grant, see
//! `oauth::grant`), the device, introspection and revocation endpoints all call it. A new
//! method is a file here, a `ClientAuth` value in `config.rs` and its arm in `method`.
//! DPoP proofs (`oauth::dpop`) bind tokens to a key; they do not say who the client is.

pub mod jwt_assertion;
mod secret_basic;
mod secret_post;

use super::http::Request;
use crate::config::{ClientAuth, Environment};
use crate::error::{AppError, Result};
use crate::secret::Secret;
use crate::store::ClientCredentials;
use reqwest::Url;

/// The body fields a method adds to a request, by name.
pub type Fields = Vec<(&'static str, String)>;

/// The client that makes a request, and its secret (or private key) when it has one: a
/// public client sends only its id.
#[derive(Clone, Copy)]
pub struct ClientRef<'a> {
    pub id: &'a str,
    pub secret: Option<&'a Secret>,
}

impl<'a> From<&'a ClientCredentials> for ClientRef<'a> {
    fn from(c: &'a ClientCredentials) -> ClientRef<'a> {
        ClientRef {
            id: &c.client_id,
            secret: Some(&c.client_secret),
        }
    }
}

/// Where the environment's token endpoint is (`oauth::dialect::token_url`), passed in by
/// the caller: a client assertion is addressed to it (RFC 7523 section 3) whichever
/// endpoint it is sent to, and only the methods that sign one ask.
pub type TokenUrl = fn(&Environment) -> Result<Url>;

/// Applies one method to `req`: adds its header and the secrets to redact there, and
/// returns the fields to add to the body.
type Method = fn(&Environment, &mut Request, ClientRef, TokenUrl) -> Result<Fields>;

fn method(auth: ClientAuth) -> Method {
    match auth {
        ClientAuth::Body => secret_post::apply,
        ClientAuth::Basic => secret_basic::apply,
        ClientAuth::PrivateKeyJwt | ClientAuth::ClientSecretJwt => jwt_assertion::apply,
    }
}

/// Authenticates `client` on `req` the way the environment's `client_auth` says; a
/// public client sends only its id.
pub fn apply(
    env: &Environment,
    req: &mut Request,
    client: ClientRef,
    token_url: TokenUrl,
) -> Result<Fields> {
    let secret = client.secret;
    if let Some(secret) = secret {
        req.secrets.push(secret.expose().to_string());
    }
    // A stored private key is never sent as if it were a secret.
    let holds_key = secret.is_some_and(|s| super::key::is_pem_key(s.expose()));
    if holds_key && env.client_auth != ClientAuth::PrivateKeyJwt {
        return Err(AppError::config(format!(
            "the profile's client credential is a private key, and environment {} sends client secrets (client_auth = {})",
            env.name,
            env.client_auth.name()
        ))
        .fix(crate::fix::EnvFix::SetField {
            env: env.name.clone(),
            field: "client_auth",
            value: "private_key_jwt",
        }));
    }
    method(env.client_auth)(env, req, client, token_url)
}
