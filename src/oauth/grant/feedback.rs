//! What a person sees while a grant is sent (`grant::send_salvaging` is the one caller,
//! which is why this is part of `grant`): a spinner on a terminal once the call has lasted
//! `progress::DELAY` ("minting a token at HOST…"), and, when it fails on the network side,
//! how many attempts were made and where to check the environment.

use super::Grant;
use crate::config::Environment;
use crate::error::{Cause, Kind, Result};
use crate::fix::EnvFix;
use crate::oauth::http::Http;
use crate::progress::Spinner;
use reqwest::Url;

/// Runs one exchange of `grant` with `url` (`call` sends and parses) with feedback around it.
pub fn around<G: Grant, T>(
    http: &Http,
    env: &Environment,
    grant: &G,
    url: &Url,
    call: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let at = grant.endpoint();
    let spinner = grant.doing().map(|doing| {
        let host = url
            .host_str()
            .map_or_else(|| format!("the {}", at.name), str::to_string);
        Spinner::start(format!("{doing} at {host}…"))
    });
    let outcome = call();
    drop(spinner);
    outcome.map_err(|mut e| {
        // A refused certificate was tried once and says what to do itself.
        if e.kind == Kind::Network && !e.is(Cause::CertificateRefused) {
            let n = http.attempts().max(1);
            let plural = if n == 1 { "" } else { "s" };
            e.message = format!("{} ({n} attempt{plural})", e.message);
            e = e.fix(EnvFix::ShowEnv {
                env: env.name.clone(),
                field: at.field,
            });
        }
        e
    })
}
