//! The one seam to the token endpoint (RFC 6749 section 4; RFC 8628 section 3.1 for the
//! device endpoint, which authenticates the client the same way). Every grant is a value
//! of its own file here, and [`send`] turns it into a request in the environment's
//! dialect, authenticates the client (`client_auth`, and a DPoP proof where the
//! environment binds tokens), sends it with the token endpoint's retries, parses the
//! answer and shows progress while it lasts (`feedback`).
//!
//! A new grant is a file here implementing [`Grant`] and its `mod` line below;
//! docs/architecture.md says what else a grant that signs a person in touches.

pub mod authorization_code;
pub mod client_credentials;
pub mod device_authorization;
pub mod device_code;
mod feedback;
pub mod password;
pub mod refresh;

use super::dialect::{self, Endpoint, Field, TokenResponse};
use super::http::{Http, Request, Response};
use crate::config::Environment;
use crate::error::{AppError, Result};
use reqwest::Url;

pub use super::client_auth::ClientRef;

/// `scope` when scopes are asked for (RFC 6749 section 3.3); nothing otherwise.
fn scope(scopes: &[String]) -> Option<Field> {
    (!scopes.is_empty()).then(|| Field::plain("scope", scopes.join(" ")))
}

/// What an answer becomes: a token, or what the grant makes of one.
pub trait Answer: Sized {
    /// Reads a response (`secrets`: what the request carried, never quoted back).
    fn parse(env: &Environment, resp: &Response, secrets: &[String]) -> Result<Self>;
}

impl Answer for TokenResponse {
    fn parse(env: &Environment, resp: &Response, secrets: &[String]) -> Result<Self> {
        dialect::parse(env.dialect, resp, secrets)
    }
}

/// What a grant is: its parameters in each dialect, and what its answer becomes.
pub trait Grant {
    type Answer: Answer;

    /// The grant's own parameters in `env`'s dialect, `grant_type` first; an error where
    /// the dialect has no such grant.
    fn fields(&self, env: &Environment) -> Result<Vec<Field>>;

    /// What the spinner says while the request lasts ("minting a token"), or nothing
    /// where the caller already shows a wait of its own.
    fn doing(&self) -> Option<&'static str>;

    /// The endpoint it is sent to.
    fn endpoint(&self) -> &'static Endpoint {
        &dialect::TOKEN_ENDPOINT
    }

    /// The endpoint's URL in `env`.
    fn url(&self, env: &Environment) -> Result<Url> {
        dialect::token_url(env)
    }

    /// Whether the request carries a DPoP proof in an environment that binds tokens
    /// (RFC 9449 section 5: every token request, refresh included).
    fn proves_dpop(&self) -> bool {
        true
    }
}

/// Sends `grant`, made as `client`, and parses its answer.
pub fn send<G: Grant>(
    http: &Http,
    env: &Environment,
    client: ClientRef,
    grant: &G,
) -> Result<G::Answer> {
    send_salvaging(http, env, client, grant, |_, e| e)
}

/// [`send`], with `salvage` called on an answer that came back but could not be used: a
/// refresh keeps the new refresh token such an answer may carry.
pub fn send_salvaging<G: Grant>(
    http: &Http,
    env: &Environment,
    client: ClientRef,
    grant: &G,
    salvage: impl FnOnce(&Response, AppError) -> AppError,
) -> Result<G::Answer> {
    let req = request(env, client, grant)?;
    feedback::around(http, env, grant, &req.url, || {
        let resp = http.send_with_retries(&req)?;
        G::Answer::parse(env, &resp, &req.secrets).map_err(|e| salvage(&resp, e))
    })
}

/// The request `grant` makes in `env`: its fields in the dialect's shape, with the client
/// authenticated and every secret listed for redaction.
fn request<G: Grant>(env: &Environment, client: ClientRef, grant: &G) -> Result<Request> {
    let url = grant.url(env)?;
    let fields = grant.fields(env)?;
    let mut req = dialect::request(env, url, fields, client)?;
    req.dpop &= grant.proves_dpop();
    Ok(req)
}

/// The header-token dialect has one grant.
fn header_token_mints_only() -> AppError {
    AppError::usage("the header-token dialect only mints with client credentials")
        .ending(crate::fix::Ending::HeaderNeedsClientCredentials)
}

#[cfg(test)]
mod tests;
