//! `gtx token get|generate|validate|show|clear`.

use super::view::{dpop_jkt, session_json, session_state};
use crate::cli::{TokenClearArgs, TokenCommand, TokenGetArgs, TokenValidateArgs};
use crate::config::split_scopes;
use crate::context::Context;
use crate::error::{AppError, Fix, Result};
use crate::oauth::pipeline::{self, Options, Outcome};
use crate::oauth::sign_in;
use crate::oauth::{http::Http, jwt, validate};
use crate::output::Output;
use crate::secret::Secret;
use crate::store::{Record, Session};
use crate::time;
use serde_json::json;

pub fn run(ctx: &Context, cmd: TokenCommand) -> Result<()> {
    match cmd {
        TokenCommand::Get(args) => get(ctx, &args),
        TokenCommand::Generate(args) => {
            let env = ctx.env()?;
            let key = ctx.profile(&env)?;
            let opts = Options {
                force: true,
                ..Options::cached(0, args.scope.as_deref().map(split_scopes))
            };
            let outcome = pipeline::get_for(ctx, &env, &key, &opts)?;
            print_token(ctx, &env.name, &key.credential, &outcome)?;
            outcome.unsaved.map_or(Ok(()), Err)
        }
        TokenCommand::Validate(args) => validate_cmd(ctx, &args),
        TokenCommand::Show => show(ctx),
        TokenCommand::Clear(args) => clear(ctx, &args),
    }
}

pub fn get(ctx: &Context, args: &TokenGetArgs) -> Result<()> {
    if args.header && ctx.json() {
        return Err(AppError::usage(
            "--header and --json cannot be used together",
        ));
    }
    let env = ctx.env()?;
    let key = ctx.profile(&env)?;
    let opts = Options::cached(
        i64::try_from(args.min_ttl).unwrap_or(i64::MAX),
        args.scope
            .as_deref()
            .map(split_scopes)
            .filter(|s| !s.is_empty()),
    );
    let outcome = pipeline::get_for(ctx, &env, &key, &opts)?;
    if args.header {
        header_lines(
            &ctx.out,
            &env,
            &key,
            &outcome.session,
            args.for_request.as_deref(),
        )?;
        return outcome.unsaved.map_or(Ok(()), Err);
    }
    print_token(ctx, &env.name, &key.credential, &outcome)?;
    // Printed first: a token that could not be stored is still good for this run.
    outcome.unsaved.map_or(Ok(()), Err)
}

fn print_token(ctx: &Context, env: &str, credential: &str, o: &Outcome) -> Result<()> {
    let s = &o.session;
    if ctx.json() {
        let now = time::now();
        return ctx.out.json(&json!({
            "access_token": s.access_token.expose(),
            "token_type": s.token_type,
            "expires_at": s.expires_at.map(time::rfc3339),
            "expires_in": s.expires_at.map(|e| e.saturating_sub(now)),
            "scopes": s.scopes,
            "env": env,
            "credential": credential,
            "source": o.source.name(),
            "store": o.cached.then(|| ctx.store_kind().name()),
        }));
    }
    ctx.out.data(&format!("{}\n", s.access_token.expose()))
}

/// `token get --header [--for METHOD URL]`: the Authorization line, and for a DPoP-bound
/// token the proof line for that one request (RFC 9449), so `curl -H @-` works. A DPoP token
/// is never printed as a bearer header, nor without the request it is for.
fn header_lines(
    out: &Output,
    env: &crate::config::Environment,
    key: &crate::store::ProfileKey,
    s: &Session,
    for_request: Option<&[String]>,
) -> Result<()> {
    use crate::oauth::dpop;
    let target = match for_request {
        Some([method, url]) => Some(for_target(env, method, url)?),
        _ => None,
    };
    let Some(dpop_key) = dpop::key_of(s)? else {
        let auth = crate::request::exchange::authorization(&s.token_type, &s.access_token)?;
        return out.data(&format!("Authorization: {auth}\n"));
    };
    let Some((method, url)) = target else {
        return Err(AppError::usage(format!(
            "the token of {key} is DPoP-bound: its headers are for one request, which --for names (gtx token get --header --for METHOD URL)"
        )));
    };
    let proof = dpop_key.proof(&method, &url, None, Some(s.access_token.expose()))?;
    out.data(&format!(
        "Authorization: {} {}\nDPoP: {proof}\n",
        dpop::SCHEME,
        s.access_token.expose()
    ))
}

/// `--for METHOD URL`: an HTTP method, and an absolute URL on api_base's origin (the token
/// goes nowhere else).
fn for_target(
    env: &crate::config::Environment,
    method: &str,
    url: &str,
) -> Result<(String, reqwest::Url)> {
    let method = method.to_ascii_uppercase();
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(AppError::usage(format!(
            "--for: {method:?} is not an HTTP method"
        )));
    }
    let base = env.api_base_url()?;
    let url = reqwest::Url::parse(url)
        .or_else(|_| base.join(url))
        .map_err(|e| AppError::usage(format!("--for: {url:?} is not a URL ({e})")))?;
    if url.origin() != base.origin() {
        return Err(AppError::config(format!(
            "--for: {} is not on {}'s origin ({}); its token goes nowhere else",
            crate::oauth::http::loggable_url(&url),
            env.name,
            base.origin().ascii_serialization()
        )));
    }
    Ok((method, url))
}

fn read_stdin_token(out: &Output) -> Result<Secret> {
    super::stdin::read_token(super::stdin::read_stdin_secret(out, "token")?)
}

fn validate_cmd(ctx: &Context, args: &TokenValidateArgs) -> Result<()> {
    let env = ctx.env()?;
    let key = ctx.profile(&env)?;
    let now = time::now();
    // A stored DPoP-bound token is checked with proofs by its own key.
    let mut bound = None;
    let (token, token_type, expires_at, client) = match args.token.as_deref() {
        Some("-") => {
            let t = read_stdin_token(&ctx.out)?;
            let exp = jwt::expiry(t.expose());
            (t, "Bearer".to_string(), exp, None)
        }
        Some(value) => {
            // The contract accepts TOKEN as an argument; say what that costs.
            ctx.out.warn(
                "a token given as an argument is visible in `ps` and shell history; prefer `… | gtx token validate -`",
            );
            let t = super::stdin::read_token(value.trim().to_string())?;
            let exp = jwt::expiry(t.expose());
            (t, "Bearer".to_string(), exp, None)
        }
        None => {
            if let Some(t) = pipeline::env_token(&env, &key.credential, ctx.vars)? {
                let exp = jwt::expiry(t.expose());
                (t, "Bearer".to_string(), exp, None)
            } else {
                let store = ctx.store()?;
                let record = store.load(&key)?.unwrap_or_default();
                let session = record.session.ok_or_else(|| {
                    AppError::not_signed_in(format!("no stored token for {key}"))
                        .fix(Fix::Login(sign_in::login_hint(&env, &key, store.kind())))
                })?;
                bound = crate::oauth::dpop::key_of(&session)?;
                (
                    session.access_token,
                    session.token_type,
                    session.expires_at,
                    record.client,
                )
            }
        }
    };
    let verdict = match validate::local(&env, &token, expires_at, now) {
        Some(v) => v,
        None => {
            let http = Http::for_env(&env, ctx.timeout())?;
            if let Some(k) = bound {
                http.set_dpop_key(k);
            }
            validate::remote(&http, &env, &token, &token_type, client.as_ref())?
        }
    };
    if ctx.json() {
        ctx.out.json(&json!({
            "valid": verdict.valid,
            "reason": verdict.reason,
            "checked_by": verdict.checked_by,
            "env": env.name,
            "expires_at": expires_at.map(time::rfc3339),
            "expires_in": expires_at.map(|e| e.saturating_sub(now)),
        }))?;
    }
    if verdict.valid {
        if !ctx.json() {
            ctx.out.success(&format!(
                "token is valid for {}: {}",
                env.name, verdict.reason
            ));
        }
        Ok(())
    } else {
        Err(AppError::rejected(format!(
            "token is not valid for {}: {}",
            env.name, verdict.reason
        )))
    }
}

fn show(ctx: &Context) -> Result<()> {
    let env = ctx.env()?;
    let key = ctx.profile(&env)?;
    let store = ctx.store()?;
    let record = store.load(&key)?.unwrap_or_default();
    let Some(session) = record.session else {
        return Err(
            AppError::not_signed_in(format!("no stored token for {key}"))
                .fix(Fix::Login(sign_in::login_hint(&env, &key, store.kind()))),
        );
    };
    let now = time::now();
    let jwt = jwt::decode(session.access_token.expose());
    if ctx.json() {
        let mut v = session_json(&session, now);
        v["env"] = env.name.clone().into();
        v["credential"] = key.credential.clone().into();
        v["store"] = store.kind().name().into();
        v["jwt"] = match &jwt {
            Some((h, c)) => json!({"header": h, "claims": c}),
            None => serde_json::Value::Null,
        };
        return ctx.out.json(&v);
    }
    ctx.out.text(&describe(
        &env.name,
        &key.credential,
        store.kind().name(),
        &session,
        jwt.as_ref(),
        now,
    ))
}

fn describe(
    env: &str,
    credential: &str,
    store: &str,
    s: &Session,
    jwt: Option<&(serde_json::Value, serde_json::Value)>,
    now: i64,
) -> String {
    let mut t = String::new();
    t.push_str(&format!("environment  {env}\n"));
    t.push_str(&format!("credential   {credential} ({store} store)\n"));
    t.push_str(&format!("state        {}\n", session_state(s, now)));
    t.push_str(&format!(
        "type         {}\n",
        crate::sanitize::terminal(&s.token_type)
    ));
    if let Some(jkt) = dpop_jkt(s) {
        t.push_str(&format!(
            "binding      DPoP-bound (RFC 9449) to key {jkt}: it works only with a proof that key signs\n"
        ));
    }
    t.push_str(&format!("grant        {}\n", s.grant.name()));
    if let Some(id) = &s.client_id {
        t.push_str(&format!("client       {}\n", crate::sanitize::terminal(id)));
    }
    t.push_str(&format!(
        "scopes       {}\n",
        if s.scopes.is_empty() {
            "(none given)".to_string()
        } else {
            crate::sanitize::terminal(&s.scopes.join(" ")).into_owned()
        }
    ));
    t.push_str(&format!(
        "obtained     {} ({})\n",
        time::rfc3339(s.obtained_at),
        time::relative(s.obtained_at, now)
    ));
    match s.expires_at {
        Some(e) => t.push_str(&format!(
            "expires      {} ({})\n",
            time::rfc3339(e),
            time::relative(e, now)
        )),
        None => t.push_str("expires      unknown (the server gave no lifetime)\n"),
    }
    t.push_str(&format!(
        "refreshable  {}\n",
        if s.refresh_token.is_some() {
            "yes"
        } else {
            "no"
        }
    ));
    match jwt {
        Some((header, claims)) => {
            t.push_str(&format!(
                "format       JWT ({})\n",
                header.get("alg").and_then(|a| a.as_str()).unwrap_or("?")
            ));
            if let Some(obj) = claims.as_object() {
                t.push_str("claims\n");
                for (k, v) in obj {
                    let shown = match (k.as_str(), v.as_i64()) {
                        ("exp" | "iat" | "nbf" | "auth_time", Some(n)) => {
                            format!("{n} ({})", time::rfc3339(n))
                        }
                        _ => v.to_string().trim_matches('"').to_string(),
                    };
                    t.push_str(&format!("  {k:11}{shown}\n"));
                }
            }
        }
        None => t.push_str("format       opaque\n"),
    }
    t
}

pub(super) fn clear(ctx: &Context, args: &TokenClearArgs) -> Result<()> {
    let store = ctx.store()?;
    let keys = if args.all {
        let all = store.list()?.into_iter().map(|(k, _)| k);
        all.filter(|k| ctx.selects(k)).collect()
    } else {
        let env = ctx.env()?;
        vec![ctx.profile(&env)?]
    };
    let mut cleared = Vec::new();
    let mut unreadable = 0;
    for key in keys {
        // Nothing cached: nothing to lock (a read leaves no lock file behind).
        if matches!(
            store.load(&key),
            Ok(None) | Ok(Some(Record { session: None, .. }))
        ) {
            continue;
        }
        // Under the profile lock, so a concurrent renewal is not half-undone.
        let taken = crate::store::update(store.as_ref(), &key, ctx.timeout(), &ctx.out, |record| {
            Ok(record.session.take().is_some())
        });
        match taken {
            Ok(true) => {}
            Ok(false) => continue,
            Err(e) if args.all && e.is(crate::error::Cause::UnreadableRecord) => {
                ctx.out.warn(&super::hints::message(&e));
                unreadable += 1;
                continue;
            }
            Err(e) => return Err(e),
        }
        ctx.out
            .success(&format!("cleared the cached token of {key}"));
        cleared.push(json!({"env": key.env, "credential": key.credential}));
    }
    if ctx.json() {
        ctx.out
            .json(&json!({"store": store.kind().name(), "cleared": cleared}))?;
    } else if cleared.is_empty() {
        ctx.out.status("no cached token to clear");
    }
    crate::store::unreadable_summary(unreadable)
}
