//! `gtx login` in the browser: authorization code + PKCE through a loopback callback.

use super::people;
use crate::cli::LoginArgs;
use crate::config::Environment;
use crate::context::Context;
use crate::error::{AppError, Result};
use crate::oauth::authorize::{self, Verdict};
use crate::oauth::grant::{self, authorization_code::AuthorizationCodeGrant};
use crate::oauth::http::Http;
use crate::oauth::loopback::{Callback, Listener, Page};
use crate::oauth::pkce::{self, Pkce};
use crate::output::Output;
use crate::store::{Grant, ProfileKey};
use crate::vlog;
use std::time::Instant;

pub fn run(ctx: &Context, env: &Environment, key: &ProfileKey, args: &LoginArgs) -> Result<()> {
    crate::oauth::dialect::require_oauth2(env, "browser sign-in")?;
    let base = authorize::authorize_url(env)?.ok_or_else(|| {
        AppError::config(format!("environment {} has no authorize_url", env.name))
    })?;
    let sign_in = people::begin(ctx, env, key, args)?;
    let client = &sign_in.client;
    let pkce = Pkce::new()?;
    let state = pkce::new_state()?;
    let mut listener = Listener::bind(env.redirect_port, &env.name)?;
    let redirect_uri = listener.redirect_uri();
    let url = authorize::browser_url(
        &base,
        &client.id,
        &redirect_uri,
        &sign_in.scopes,
        &state,
        &pkce,
    );
    present(
        &ctx.out,
        url.as_str(),
        args.no_browser,
        env,
        listener.port(),
    );

    let deadline = Instant::now() + people::wait_limit(ctx);
    let (code, callback) = {
        let _spinner = ctx.out.spinner_after(
            "waiting for you to sign in in the browser…",
            std::time::Duration::ZERO,
        );
        wait_for_code(&mut listener, deadline, &state, env)?
    };
    vlog!(1, "callback accepted; exchanging the code");
    let http = Http::for_env(env, ctx.timeout())?;
    let exchange = AuthorizationCodeGrant {
        code: &code,
        redirect_uri: &redirect_uri,
        pkce: &pkce,
    };
    let outcome = grant::send(&http, env, client.into(), &exchange)
        .and_then(|resp| sign_in.store(&http, resp, Grant::AuthorizationCode, "in the browser"));
    match &outcome {
        Ok(()) => callback.answer(Page::success(format!("gtx is signed in to {key}."))),
        Err(e) => callback.answer(Page::failure(
            "Sign-in failed",
            crate::commands::hints::message(e),
        )),
    }
    listener.close();
    outcome
}

/// Waits for the one callback that carries our `state`. Others get an error page and the
/// wait goes on: a page in some other tab must not be able to end (or hijack) the login.
fn wait_for_code(
    listener: &mut Listener,
    deadline: Instant,
    state: &str,
    env: &Environment,
) -> Result<(String, Callback)> {
    loop {
        let callback = listener.next(deadline, "the sign-in in the browser")?;
        let get = |k: &str| callback.get(k).map(str::to_string);
        match authorize::judge(&get, state, env.issuer.as_deref()) {
            Verdict::Foreign => {
                vlog!(
                    1,
                    "ignored a callback that does not carry this login's state"
                );
                callback.answer(Page::failure(
                    "Not this sign-in",
                    "This callback does not belong to the sign-in gtx is waiting for; gtx keeps waiting.",
                ));
            }
            Verdict::Failed(message) => {
                callback.answer(Page::failure("Sign-in failed", message.clone()));
                return Err(AppError::rejected(message));
            }
            Verdict::Code(code) => return Ok((code, callback)),
        }
    }
}

/// The URL always goes to stderr; a browser opens it when one can run here.
fn present(out: &Output, url: &str, no_browser: bool, env: &Environment, port: u16) {
    if crate::commands::browser::can_open(no_browser) {
        out.status(&format!(
            "opening your browser to sign in to {}; if it does not open, visit:\n  {url}",
            env.name
        ));
        crate::commands::browser::open_browser(out, url);
        return;
    }
    out.status(&format!(
        "to sign in to {}, open this URL in a browser:\n  {url}",
        env.name
    ));
    if !no_browser || !crate::commands::browser::has_display() {
        let device = if env_has_device(env) {
            format!(
                "\nOr sign in with a code instead: gtx login --device --env {}",
                env.name
            )
        } else {
            String::new()
        };
        out.status(&format!(
            "No browser here? On a machine that has one, forward the callback port to this one first:\n  ssh -L {port}:127.0.0.1:{port} THIS-HOST\nthen open the URL there.{device}"
        ));
    }
}

fn env_has_device(env: &Environment) -> bool {
    super::device::device_url(env).ok().flatten().is_some()
}
