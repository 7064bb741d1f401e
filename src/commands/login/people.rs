//! What the two interactive sign-ins (browser and device) share: which client they sign
//! in for, how long they wait for a person, whether a browser can be opened here, and how
//! the resulting session is stored.

use crate::cli::LoginArgs;
use crate::config::Environment;
use crate::context::Context;
use crate::error::{AppError, Result};
use crate::oauth::authorize::Client;
use crate::oauth::dialect::TokenResponse;
use crate::oauth::http::Http;
use crate::oauth::pipeline::{self, Source};
use crate::output::Output;
use crate::secret::Secret;
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
    let stdin = match args.client_secret_stdin {
        true => Some(Secret::new(super::read_stdin_secret(
            &ctx.out,
            "client secret",
        )?)),
        false => None,
    };
    let secret = crate::oauth::client::secret(env, key, &id, stdin, stored.as_ref())?;
    Ok(Client {
        id,
        secret: secret.map(|(s, _)| s),
    })
}

/// Linux and the BSDs need an X11 or Wayland display for a graphical browser; SSH
/// sessions and containers have neither.
pub fn has_display() -> bool {
    if cfg!(any(target_os = "macos", target_os = "windows")) {
        return true;
    }
    let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    set("DISPLAY") || set("WAYLAND_DISPLAY")
}

/// Whether to hand the URL to a browser: never with `--no-browser`; with BROWSER set
/// always (it may be a text browser, or a script); otherwise only with a display.
pub fn can_open(no_browser: bool) -> bool {
    let browser_set = std::env::var_os("BROWSER").is_some_and(|v| !v.is_empty());
    !no_browser && (browser_set || has_display())
}

/// Opens the URL on a thread of its own: a text browser named by BROWSER runs until it
/// exits, and the callback it follows must find gtx already waiting.
pub fn open_browser(out: &Output, url: &str) {
    let url = url.to_string();
    let out = out.clone();
    let _ = std::thread::Builder::new()
        .name("gtx-browser".into())
        .spawn(move || {
            if let Err(e) = webbrowser::open(&url) {
                out.warn(&format!(
                    "could not open a browser ({e}); open the URL above yourself"
                ));
            }
        });
}

/// An interactive sign-in to one profile: the client it signs in as and the scopes it asks
/// for.
pub struct SignIn<'a> {
    env: &'a Environment,
    key: &'a ProfileKey,
    pub client: Client,
    pub scopes: Vec<String>,
}

impl<'a> SignIn<'a> {
    pub fn new(
        ctx: &Context,
        env: &'a Environment,
        key: &'a ProfileKey,
        args: &LoginArgs,
    ) -> Result<SignIn<'a>> {
        Ok(SignIn {
            client: client(ctx, env, key, args)?,
            scopes: super::requested_scopes(args, env),
            env,
            key,
        })
    }

    /// The token answer becomes a session, stored like every other login's; `how` says
    /// how the person signed in ("in the browser").
    pub fn store(
        &self,
        ctx: &Context,
        resp: TokenResponse,
        http: &Http,
        grant: Grant,
        how: &str,
    ) -> Result<()> {
        let how = format!("{how} (client {})", self.client.id);
        store(
            ctx,
            self.env,
            self.key,
            resp,
            http.dpop_pem(),
            (grant, &self.client, &self.scopes),
            &how,
        )
    }
}

fn store(
    ctx: &Context,
    env: &Environment,
    key: &ProfileKey,
    resp: TokenResponse,
    dpop_key: Option<crate::secret::Secret>,
    grant: (Grant, &Client, &[String]),
    how: &str,
) -> Result<()> {
    let (grant, client, scopes) = grant;
    let mut session = pipeline::to_session(
        env,
        resp,
        grant,
        Some(client.id.clone()),
        scopes,
        None,
        Source::Minted,
    );
    crate::oauth::client_auth::dpop::bind(env, &mut session, dpop_key.as_ref())?;
    pipeline::check_prefix(env, &session.access_token)?;
    if session.refresh_token.is_none() {
        ctx.out
            .warn("the server issued no refresh token: sign in again when the token expires");
    }
    // The secret it signed in with authenticates the refreshes and revocation that follow.
    let stored = ctx.store()?.load(key)?.and_then(|r| r.client);
    let kept = crate::oauth::client::kept_for_sign_in(
        env,
        &client.id,
        client.secret.clone(),
        stored.as_ref(),
    );
    super::store_session(ctx, key, kept, session, how)
}
