//! `gtx login` for an environment without an authorization endpoint: on a terminal ask
//! which way to sign in; a script gets a usage error naming the flags instead of a hang.

use super::device::device_url;
use crate::config::Environment;
use crate::error::{AppError, Result};
use std::io::IsTerminal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    ClientCredentials,
    Password,
    Token,
    Device,
}

impl Way {
    fn label(self) -> &'static str {
        match self {
            Way::ClientCredentials => "an app's client id and secret (--client-credentials)",
            Way::Password => "a username and password (--password)",
            Way::Token => "paste a token (--with-token)",
            Way::Device => "a code to approve in a browser elsewhere (--device)",
        }
    }
}

/// The ways this environment offers, most likely first.
pub fn ways(env: &Environment) -> Vec<Way> {
    let mut out = Vec::new();
    if device_url(env).ok().flatten().is_some() {
        out.push(Way::Device);
    }
    out.push(Way::ClientCredentials);
    if crate::oauth::grant::password::offered(env).is_ok() {
        out.push(Way::Password);
    }
    out.push(Way::Token);
    out
}

pub fn ask(env: &Environment) -> Result<Way> {
    let ways = ways(env);
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        let flags: Vec<&str> = ways
            .iter()
            .map(|w| match w {
                Way::ClientCredentials => "--client-credentials",
                Way::Password => "--password",
                Way::Token => "--with-token",
                Way::Device => "--device",
            })
            .collect();
        return Err(AppError::usage(format!(
            "environment {} has no authorize_url for a browser sign-in, and there is no terminal to ask how to sign in",
            env.name
        ))
        .hint(format!("choose one: gtx login {} --env {}", flags.join(" | "), env.name)));
    }
    let labels: Vec<&str> = ways.iter().map(|w| w.label()).collect();
    let picked = dialoguer::Select::new()
        .with_prompt(format!("How do you want to sign in to {}?", env.name))
        .items(&labels)
        .default(0)
        .interact()
        .map_err(|e| AppError::usage(format!("cannot ask how to sign in: {e}")))?;
    ways.get(picked)
        .copied()
        .ok_or_else(|| AppError::bug("the sign-in menu returned an unknown choice"))
}
