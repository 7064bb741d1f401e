//! `gtx login --device`: show a code, let the person approve it in any browser, and poll
//! the token endpoint at the pace the server asks for (RFC 8628).

use super::people;
use crate::cli::LoginArgs;
use crate::config::Environment;
use crate::context::Context;
use crate::error::{AppError, Result};
use crate::oauth::authorize::Client;
use crate::oauth::dialect::{self, TokenResponse};
use crate::oauth::grant;
use crate::oauth::grant::device_authorization::{Authorization, DeviceAuthorizationRequest};
use crate::oauth::grant::device_code::{self, DeviceCodeGrant, Poll};
use crate::oauth::http::Http;
use crate::output::Output;
use crate::signals::Waiter;
use crate::store::{Grant, ProfileKey};
use crate::vlog;
use reqwest::Url;
use std::time::{Duration, Instant};

pub fn device_url(env: &Environment) -> Result<Option<Url>> {
    env.endpoint(env.device_url.as_deref(), "device_url")
}

pub fn run(ctx: &Context, env: &Environment, key: &ProfileKey, args: &LoginArgs) -> Result<()> {
    dialect::require_oauth2(env, "device login")?;
    let url = device_url(env)?.ok_or_else(|| {
        AppError::config(format!("environment {} has no device_url", env.name)).hint(format!(
            "set it with `gtx env set {0} device_url URL`, or use `gtx login --env {0}` in a browser",
            env.name
        ))
    })?;
    let sign_in = people::begin(ctx, env, key, args)?;
    let mut waiter = Waiter::new()?;
    let http = Http::for_env(env, ctx.timeout())?;
    let start = DeviceAuthorizationRequest {
        url: &url,
        scopes: &sign_in.scopes,
    };
    let auth = grant::send(&http, env, (&sign_in.client).into(), &start)?;
    present(&ctx.out, &auth, args.no_browser, env);
    let deadline = Deadline {
        wait: Instant::now() + people::wait_limit(ctx),
        // RFC 8628 §3.2: past `expires_in` the code is dead, whatever the server keeps saying.
        // A lifetime beyond what the clock can hold ends nothing before `--timeout` does.
        code: auth
            .expires_in
            .and_then(|d| Some((Instant::now().checked_add(d)?, d))),
        env: &env.name,
    };
    let resp = {
        let _spinner = ctx.out.spinner("waiting for you to approve the sign-in…");
        wait(&mut waiter, &http, env, &sign_in.client, &auth, &deadline)?
    };
    sign_in.store(&http, resp, Grant::DeviceCode, "with a device code")
}

fn present(out: &Output, auth: &Authorization, no_browser: bool, env: &Environment) {
    out.status(&format!(
        "to sign in to {}, open {} and enter the code:\n\n    {}\n",
        env.name, auth.verification_uri, auth.user_code
    ));
    if let Some(complete) = &auth.verification_uri_complete {
        out.status(&format!(
            "or open this URL, which carries the code:\n  {complete}"
        ));
    }
    let target = auth
        .verification_uri_complete
        .as_deref()
        .unwrap_or(&auth.verification_uri);
    let openable =
        Url::parse(target).is_ok_and(|u| u.scheme() == "https" || crate::config::is_loopback(&u));
    if openable && crate::commands::browser::can_open(no_browser) {
        crate::commands::browser::open_browser(out, target);
    }
}

/// Polls until the server answers with a token or a final error, and not once more
/// after that: some servers revoke the whole grant when a spent device code comes back.
fn wait(
    waiter: &mut Waiter,
    http: &Http,
    env: &Environment,
    client: &Client,
    auth: &Authorization,
    deadline: &Deadline,
) -> Result<TokenResponse> {
    let mut interval = auth.interval;
    loop {
        pause(waiter, interval, deadline)?;
        let poll = DeviceCodeGrant {
            device_code: &auth.device_code,
        };
        match grant::send(http, env, client.into(), &poll)? {
            Poll::Done(resp) => return Ok(resp),
            Poll::Pending => vlog!(2, "authorization pending"),
            Poll::SlowDown => {
                interval += device_code::SLOW_DOWN_STEP;
                vlog!(
                    1,
                    "the server asked to slow down; polling every {}s",
                    interval.as_secs()
                );
            }
        }
    }
}

/// The end of the wait: `--timeout`, or the device code's own lifetime if that is sooner.
struct Deadline<'a> {
    wait: Instant,
    code: Option<(Instant, Duration)>,
    env: &'a str,
}

/// Sleeps `interval`, or fails at the deadline (exit 6; exit 5 once the device code has
/// expired, as when the server says `expired_token`) or on Ctrl-C (130).
fn pause(waiter: &mut Waiter, interval: Duration, deadline: &Deadline) -> Result<()> {
    let expiry = deadline.code.filter(|(at, _)| *at < deadline.wait);
    waiter.until(
        async {
            tokio::time::sleep(interval).await;
            Ok(())
        },
        expiry.map_or(deadline.wait, |(at, _)| at),
        || match expiry {
            Some((_, lifetime)) => AppError::rejected(format!(
                "the device code expired ({}s, as the server said) before the sign-in was approved",
                lifetime.as_secs()
            ))
            .hint(format!(
                "start again: gtx login --device --env {}",
                deadline.env
            )),
            None => AppError::network("timed out waiting for the sign-in to be approved")
                .hint("start again, or give more time with --timeout SECS"),
        },
    )
}
