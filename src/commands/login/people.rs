//! What the two interactive sign-ins (browser and device) share: which client they sign
//! in for, how long they wait for a person, and how the resulting session is stored.

use crate::cli::LoginArgs;
use crate::config::Environment;
use crate::context::Context;
use crate::error::{AppError, Result};
use crate::oauth::authorize::Client;
use crate::oauth::dialect::TokenResponse;
use crate::oauth::http::Http;
use crate::store::{Grant, ProfileKey};
use std::time::Duration;

/// A person needs longer than a server: `--timeout` bounds the whole wait, default 5 min.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(300);

pub fn wait_limit(ctx: &Context) -> Duration {
    ctx.global
        .timeout
        .filter(|t| t.is_finite() && *t > 0.0)
        .map(Duration::from_secs_f64)
        .unwrap_or(DEFAULT_WAIT)
}

/// The app to sign in to and its secret (confidential clients only), by the one order
/// of `oauth::client`: `--client-id`, GTX_CLIENT_ID, the environment's `client_id`, the
/// stored client; the secret from `--client-secret-stdin`, GTX_CLIENT_SECRET or the
/// store. A public client sends none.
pub fn client(
    ctx: &Context,
    env: &Environment,
    key: &ProfileKey,
    args: &LoginArgs,
) -> Result<Client> {
    let stored = ctx.store()?.load(key)?.and_then(|r| r.client);
    let id = crate::oauth::client::id(args.client_id.as_deref(), env, stored.as_ref()).ok_or_else(
        || {
            AppError::usage(format!(
                "environment {} has no client_id to sign in with",
                env.name
            ))
            .hint(format!(
                "pass --client-id ID, or set it once: gtx env set {} client_id ID",
                env.name
            ))
        },
    )?;
    let stdin = crate::commands::stdin::client_secret(&ctx.out, args.client_secret_stdin)?;
    let secret = crate::oauth::client::secret(env, key, &id, stdin, stored.as_ref())?;
    Ok(Client {
        id,
        secret: secret.map(|(s, _)| s),
    })
}

/// An interactive sign-in under way: where, as which client, for which scopes.
pub struct SignIn<'a> {
    pub ctx: &'a Context,
    pub env: &'a Environment,
    pub key: &'a ProfileKey,
    pub client: Client,
    pub scopes: Vec<String>,
}

/// The client (`client`) and scopes (`--scope`, else the environment's) a sign-in asks for.
pub fn begin<'a>(
    ctx: &'a Context,
    env: &'a Environment,
    key: &'a ProfileKey,
    args: &LoginArgs,
) -> Result<SignIn<'a>> {
    Ok(SignIn {
        client: client(ctx, env, key, args)?,
        scopes: super::requested_scopes(args, env),
        ctx,
        env,
        key,
    })
}

impl SignIn<'_> {
    /// The token answer of `grant` becomes a session, stored like every other login's;
    /// `how` says how the person signed in.
    pub fn store(&self, http: &Http, resp: TokenResponse, grant: Grant, how: &str) -> Result<()> {
        let (env, client) = (self.env, &self.client);
        let session = super::session_of(
            &self.ctx.out,
            env,
            http,
            resp,
            grant,
            &client.id,
            &self.scopes,
        )?;
        // The secret it signed in with authenticates the refreshes and revocation that follow.
        let stored = self.ctx.store()?.load(self.key)?.and_then(|r| r.client);
        let kept = crate::oauth::client::kept_for_sign_in(
            env,
            &client.id,
            client.secret.clone(),
            stored.as_ref(),
        );
        let how = format!("{how} (client {})", client.id);
        super::store_session(self.ctx, self.key, kept, session, &how)
    }
}
