//! Which client id and which client secret a call uses: one order, written once here and
//! used by every flow (sign-in by client credentials, password, browser and device; the
//! refresh and revocation that follow; minting by `token get` with GTX_CLIENT_*).
//! docs/trust.md has the table; keep the two in step.
//!
//! Client id, first that is set:
//!   1. `--client-id` (or `--domain`'s base64) on the `login` command
//!   2. GTX_CLIENT_ID
//!   3. the environment's `client_id`
//!   4. the client stored for the profile (where the dialect signs people in as that
//!      client: not oauth2-json's password grant, whose client is `administration`)
//!   5. the dialect's password-grant client (`gtx`, `administration`), for that grant only
//!
//! Renewing or revoking a session uses the client the session was issued to, whatever the
//! order says now: a refresh token is bound to its client.
//!
//! Client secret, for the client id chosen above, first that is set:
//!   1. `--client-secret-stdin`
//!   2. GTX_CLIENT_SECRET, when GTX_CLIENT_ID is unset or names the same client
//!   3. the secret stored for the profile, when stored for the same client
//!   4. a hidden prompt on a terminal (`--client-credentials` always; a person's sign-in
//!      by password when the server answers `invalid_client`)
//!
//! Otherwise none: a public client.

use crate::config::Environment;
use crate::env_vars::{EnvVars, GTX_CLIENT_ID, GTX_CLIENT_SECRET};
use crate::error::{AppError, OAuthCode, Result};
use crate::secret::Secret;
use crate::store::ClientCredentials;

fn var(k: &str) -> Option<String> {
    crate::env_vars::process().given(k).map(str::to_string)
}

/// Steps 1–4 of the client-id order (step 5 is the caller's, for the password grant).
pub fn id(
    flag: Option<&str>,
    env: &Environment,
    stored: Option<&ClientCredentials>,
) -> Option<String> {
    flag.map(str::to_string)
        .or_else(|| var(GTX_CLIENT_ID))
        .or_else(|| env.client_id.clone())
        .or_else(|| stored.map(|c| c.client_id.clone()))
}

/// Where a secret came from: one given now is stored with the session; one from the
/// store is already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretFrom {
    Stdin,
    EnvVar,
    Store,
}

/// Steps 1–3 of the secret order for `id` (the prompt is the caller's: only it knows
/// whether it may ask). A stored secret is checked against the origin it was first used
/// with (`binding::check_client`) before it is handed out.
pub fn secret(
    env: &Environment,
    key: &crate::store::ProfileKey,
    id: &str,
    stdin: Option<Secret>,
    stored: Option<&ClientCredentials>,
) -> Result<Option<(Secret, SecretFrom)>> {
    if let Some(s) = stdin {
        return Ok(Some((s, SecretFrom::Stdin)));
    }
    let env_id_matches = var(GTX_CLIENT_ID).is_none_or(|env_id| env_id == id);
    if let Some(s) = var(GTX_CLIENT_SECRET).filter(|_| env_id_matches) {
        crate::secret::check_input("GTX_CLIENT_SECRET", &s)?;
        return Ok(Some((Secret::new(s), SecretFrom::EnvVar)));
    }
    match stored.filter(|c| c.client_id == id) {
        Some(c) => {
            super::binding::check_client(env, key, c)?;
            Ok(Some((c.client_secret.clone(), SecretFrom::Store)))
        }
        None => Ok(None),
    }
}

/// GTX_CLIENT_ID / GTX_CLIENT_SECRET as a client that mints (`token get`, `generate`):
/// the id by steps 2–3, the secret by step 2. They win over the stored client.
pub fn from_env_vars(env: &Environment, vars: &EnvVars) -> Result<Option<ClientCredentials>> {
    let var = |k| vars.given(k).map(str::to_string);
    match (var(GTX_CLIENT_ID), var(GTX_CLIENT_SECRET)) {
        (id, Some(secret)) => {
            let client_id = id.or_else(|| env.client_id.clone()).ok_or_else(|| {
                AppError::usage("GTX_CLIENT_SECRET is set but GTX_CLIENT_ID is not (and the environment has no client_id)")
            })?;
            crate::secret::check_input("GTX_CLIENT_ID", &client_id)?;
            // A CI job may hold the client's private key there (private_key_jwt).
            if super::key::is_pem_key(&secret) {
                super::key::PrivateKey::from_pem(&secret).map_err(|e| {
                    let message = format!("GTX_CLIENT_SECRET: {}", e.message);
                    AppError::wrapping(crate::error::Kind::Usage, message, e)
                })?;
            } else {
                crate::secret::check_input("GTX_CLIENT_SECRET", &secret)?;
            }
            Ok(Some(ClientCredentials {
                client_id,
                client_secret: Secret::new(secret),
                domain: None,
                origin: None,
                sign_in_only: false,
            }))
        }
        (Some(_), None) => Err(AppError::usage(
            "GTX_CLIENT_ID is set but GTX_CLIENT_SECRET is not",
        )),
        (None, None) => Ok(None),
    }
}

/// What a person's sign-in keeps of its client: the secret it was given (so refreshes
/// and revocation authenticate the client), for the origin it was sent to. A client
/// already stored for the same id keeps what it may do (mint, if it was stored by
/// `--client-credentials`).
pub fn kept_for_sign_in(
    env: &Environment,
    id: &str,
    secret: Option<Secret>,
    stored: Option<&ClientCredentials>,
) -> Option<ClientCredentials> {
    let secret = secret?;
    let same = stored.filter(|c| c.client_id == id);
    Some(ClientCredentials {
        client_id: id.to_string(),
        client_secret: secret,
        domain: same.and_then(|c| c.domain.clone()),
        origin: Some(super::binding::token_origin(env)),
        sign_in_only: same.is_none_or(|c| c.sign_in_only),
    })
}

/// A refused client on a person's sign-in or refresh names the way to give the secret,
/// not `--client-credentials` (the client may not be allowed that grant).
pub fn person_refusal(mut e: AppError) -> AppError {
    if e.oauth == Some(OAuthCode::InvalidClient) {
        e.hints.retain(|h| {
            *h != crate::fix::Hint::Fix(crate::fix::ClientFix::CheckClientCredentials.into())
        });
        e = e.fix(crate::fix::ClientFix::GiveClientSecret);
    }
    e
}
