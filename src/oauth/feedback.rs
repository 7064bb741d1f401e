//! What a person sees while gtx talks to a token endpoint: a spinner on a terminal once the
//! call has lasted `progress::DELAY` ("minting a token at HOST…"), and, when it fails on
//! the network side, how many attempts were made and where to check the environment.

use crate::config::Environment;
use crate::error::{Cause, Kind, Result};
use crate::oauth::dialect::GrantRequest;
use crate::oauth::http::Http;
use crate::progress::Spinner;

/// Runs one token-endpoint exchange (`call` sends and parses) with feedback around it.
pub fn token_call<T>(
    http: &Http,
    env: &Environment,
    grant: &GrantRequest,
    host: &str,
    call: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let spinner = Spinner::start(format!("{} at {host}…", doing(grant)));
    let outcome = call();
    drop(spinner);
    outcome.map_err(|mut e| {
        // A refused certificate was tried once and says what to do itself.
        if e.kind == Kind::Network && !e.is(Cause::CertificateRefused) {
            let n = http.attempts().max(1);
            let plural = if n == 1 { "" } else { "s" };
            e.message = format!("{} ({n} attempt{plural})", e.message);
            e = e.fix(crate::fix::Fix::ShowEnv {
                env: env.name.clone(),
            });
        }
        e
    })
}

fn doing(grant: &GrantRequest) -> &'static str {
    match grant {
        GrantRequest::ClientCredentials { .. } => "minting a token",
        GrantRequest::Password { .. } => "signing in",
        GrantRequest::Refresh { .. } => "refreshing the token",
    }
}
