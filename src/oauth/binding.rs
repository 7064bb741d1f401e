//! What a session and a stored client secret belong to (docs/trust.md, "Sessions are
//! bound to what issued them"). A session records the settings that shaped it — the API
//! origin it is sent to, the token endpoint that issued it, the dialect, the client
//! authentication and the issuer — and is served only while the environment still says
//! the same. A stored client secret records the token-endpoint origin it was first sent
//! to and is sent nowhere else without asking. Both checks are string comparisons on the
//! record already loaded: a cached `token get` pays no network call and no second file.

use crate::config::Environment;
use crate::error::{AppError, Result};
use crate::store::{ClientCredentials, Session};

/// The settings a session was issued under, as one string kept in the session.
pub fn of(env: &Environment) -> String {
    let api = env
        .api_base_url()
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    let token = super::dialect::token_url(env)
        .map(|u| u.to_string())
        .unwrap_or_default();
    format!(
        "{api} {token} {} {} {}",
        env.dialect.name(),
        env.client_auth.name(),
        env.issuer.as_deref().unwrap_or("-")
    )
}

/// The origin of the environment's token endpoint: where client secrets go.
pub fn token_origin(env: &Environment) -> String {
    super::dialect::token_url(env)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default()
}

/// Whether `session` may be served (and renewed) for `env` as it is configured now. A
/// session stored before gtx recorded this has nothing to compare and is served.
pub fn serves(session: &Session, env: &Environment) -> bool {
    session.issued_for.as_deref().is_none_or(|b| b == of(env))
}

/// Why a session is not served: the error naming both settings and the sign-in to run.
pub fn moved(env: &Environment, key: &crate::store::ProfileKey, session: &Session) -> AppError {
    let was = session.issued_for.as_deref().unwrap_or_default();
    AppError::config(format!(
        "the session for {key} was issued under other settings of environment {} ({}); it is not sent where it was not issued for",
        env.name,
        crate::sanitize::terminal_cut(was, 200)
    ))
    .fix(crate::fix::Fix::SignInAgain(super::sign_in::hint_for(
        env,
        key,
        Some(session.grant),
    )))
}

/// Before a stored client secret is sent: only to the origin it was first used with.
/// Elsewhere, a person at a terminal is asked; without one, exit 3 naming the sign-in
/// that would store the credentials for the new origin.
pub fn check_client(
    env: &Environment,
    key: &crate::store::ProfileKey,
    client: &ClientCredentials,
) -> Result<()> {
    let now = token_origin(env);
    let Some(first) = client.origin.as_deref().filter(|o| *o != now) else {
        return Ok(());
    };
    use std::io::IsTerminal;
    let question = format!(
        "The stored client secret of {} was first used with {first}; environment {} now sends it to {now}. Send it there?",
        client.client_id, env.name
    );
    if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
        let yes = dialoguer::Confirm::new()
            .with_prompt(crate::sanitize::terminal_text(&question))
            .default(false)
            .interact()
            .unwrap_or(false);
        if yes {
            return Ok(());
        }
    }
    Err(AppError::config(format!(
        "not sending the stored client secret of {key} to {now}: it was first used with {first}"
    ))
    .fix(crate::fix::Fix::StoreCredentialsFor {
        origin: now.to_string(),
        login: super::sign_in::hint_for(env, key, None),
    }))
}
