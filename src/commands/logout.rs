//! `gtx logout [--all]`: revoke at `revoke_url` when one is configured (best effort), then
//! remove the record.

use crate::cli::LogoutArgs;
use crate::context::Context;
use crate::error::{Kind, Result};
use crate::oauth::http::{Body, Http, Request};
use crate::output;
use crate::store::{ProfileKey, ProfileLock, Record, UNREADABLE_RECORD};
use reqwest::Method;

pub fn run(ctx: &Context, args: &LogoutArgs) -> Result<()> {
    let store = ctx.store()?;
    // Temp files a killed gtx left hold secrets too: signing out removes them.
    store.sweep()?;
    let keys: Vec<ProfileKey> = if args.all {
        store.list()?.into_iter().map(|(k, _)| k).collect()
    } else {
        let env = ctx.env()?;
        vec![ctx.profile(&env)?]
    };
    let mut removed = 0;
    for key in &keys {
        // Under the profile lock: a renewal running right now must not write the record
        // back after it was removed.
        let _lock = match store.shared() {
            true => Some(ProfileLock::acquire(key, ctx.timeout())?),
            false => None,
        };
        match store.load(key) {
            Ok(Some(record)) => revoke(ctx, key, &record)?,
            Ok(None) => {}
            // An unreadable record is what logout is for: remove it, without revoking.
            Err(e) if e.code.as_deref() == Some(UNREADABLE_RECORD) => {
                output::warn(&format!("{}; removing it without revoking", e.message));
            }
            Err(e) => return Err(e),
        }
        if store.delete(key)? {
            removed += 1;
            output::success(&format!(
                "signed out of {key} ({} store)",
                store.kind().name()
            ));
        }
    }
    if removed == 0 {
        if args.all {
            output::status(&format!(
                "nothing stored in the {} store",
                store.kind().name()
            ));
        } else if let Some(key) = keys.first() {
            output::status(&format!("not signed in to {key}; nothing to remove"));
        }
    }
    Ok(())
}

/// Revocation failure never keeps the local record: the user asked to be signed out.
fn revoke(ctx: &Context, key: &ProfileKey, record: &Record) -> Result<()> {
    let Some(session) = &record.session else {
        return Ok(());
    };
    let Ok(env) = ctx.config.get(&key.env) else {
        return Ok(());
    };
    let url = match env.endpoint(env.revoke_url.as_deref(), "revoke_url") {
        Ok(Some(url)) => url,
        Ok(None) => return Ok(()),
        Err(e) => {
            output::warn(&format!("not revoking: {}", e.message));
            return Ok(());
        }
    };
    let (token, hint) = match &session.refresh_token {
        Some(rt) => (rt.clone(), "refresh_token"),
        None => (session.access_token.clone(), "access_token"),
    };
    let mut req = Request::new(Method::POST, url);
    let mut form = vec![
        ("token".to_string(), token.expose().to_string()),
        ("token_type_hint".to_string(), hint.to_string()),
    ];
    req.secrets.push(token.expose().to_string());
    if let Some(c) = &record.client {
        form.push(("client_id".into(), c.client_id.clone()));
        form.push(("client_secret".into(), c.client_secret.expose().to_string()));
        req.secrets.push(c.client_secret.expose().to_string());
    } else if let Some(id) = &session.client_id {
        form.push(("client_id".into(), id.clone()));
    }
    req.body = Body::Form(form);
    match Http::new(ctx.timeout()).and_then(|h| h.send_with_retries(&req)) {
        Ok(r) if r.status.is_success() => output::status(&format!("revoked the {hint} of {key}")),
        Ok(r) => output::warn(&format!(
            "revocation answered HTTP {}; removing the local record anyway",
            r.status.as_u16()
        )),
        // Ctrl-C means stop, not "skip this revocation".
        Err(e) if e.kind == Kind::Interrupted => return Err(e),
        Err(e) => output::warn(&format!(
            "could not revoke ({}); removing the local record anyway",
            e.message
        )),
    }
    Ok(())
}
