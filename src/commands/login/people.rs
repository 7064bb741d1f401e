//! What the two interactive sign-ins (browser and device) share: which client they sign
//! in for, how long they wait for a person, whether a browser can be opened here, and how
//! the resulting session is stored.

use crate::cli::LoginArgs;
use crate::config::Environment;
use crate::context::Context;
use crate::error::{AppError, Result};
use crate::oauth::authorize::Client;
use crate::oauth::dialect::TokenResponse;
use crate::oauth::pipeline::{self, Source};
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

/// The app to sign in to: `--client-id`, GTX_CLIENT_ID, the environment's `client_id`,
/// else the client stored for the profile. Its secret (confidential clients only) comes
/// from GTX_CLIENT_SECRET or the store; a public client sends none.
pub fn client(
    ctx: &Context,
    env: &Environment,
    key: &ProfileKey,
    args: &LoginArgs,
) -> Result<Client> {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let stored = ctx.store()?.load(key)?.and_then(|r| r.client);
    let id = args
        .client_id
        .clone()
        .or_else(|| var("GTX_CLIENT_ID"))
        .or_else(|| env.client_id.clone())
        .or_else(|| stored.as_ref().map(|c| c.client_id.clone()))
        .ok_or_else(|| {
            AppError::usage(format!(
                "environment {} has no client_id to sign in with",
                env.name
            ))
            .hint(format!(
                "pass --client-id ID, or set it once: gtx env set {} client_id ID",
                env.name
            ))
        })?;
    // GTX_CLIENT_SECRET belongs to GTX_CLIENT_ID's client; a public client sends none.
    let env_secret =
        var("GTX_CLIENT_SECRET").filter(|_| var("GTX_CLIENT_ID").is_none_or(|env_id| env_id == id));
    let secret = match (env_secret, stored) {
        (Some(s), _) => Some(Secret::new(s)),
        (None, Some(c)) if c.client_id == id => Some(c.client_secret),
        _ => None,
    };
    Ok(Client { id, secret })
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
pub fn open_browser(url: &str) {
    let url = url.to_string();
    let _ = std::thread::Builder::new()
        .name("gtx-browser".into())
        .spawn(move || {
            if let Err(e) = webbrowser::open(&url) {
                crate::output::warn(&format!(
                    "could not open a browser ({e}); open the URL above yourself"
                ));
            }
        });
}

/// A token answer of an interactive sign-in becomes a session, stored like every other
/// login's.
pub fn store(
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
        crate::output::warn(
            "the server issued no refresh token: sign in again when the token expires",
        );
    }
    super::store_session(ctx, key, None, session, how)
}
