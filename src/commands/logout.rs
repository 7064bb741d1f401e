//! `gtx logout [--all]`: revoke at `revoke_url` when one is configured (best effort), then
//! remove the record.

use crate::cli::LogoutArgs;
use crate::context::Context;
use crate::error::Result;
use crate::oauth::http::{Body, Http, Request};
use crate::output;
use crate::store::{ProfileKey, Record};
use reqwest::Method;

pub fn run(ctx: &Context, args: &LogoutArgs) -> Result<()> {
    let store = ctx.store()?;
    let targets: Vec<(ProfileKey, Option<Record>)> = if args.all {
        store
            .list()?
            .into_iter()
            .map(|(k, r)| (k, Some(r)))
            .collect()
    } else {
        let env = ctx.env()?;
        let key = ctx.profile(&env)?;
        let record = store.load(&key)?;
        vec![(key, record)]
    };
    let mut removed = 0;
    for (key, record) in &targets {
        if let Some(record) = record {
            revoke(ctx, key, record);
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
        } else if let Some((key, _)) = targets.first() {
            output::status(&format!("not signed in to {key}; nothing to remove"));
        }
    }
    Ok(())
}

/// Revocation failure never keeps the local record: the user asked to be signed out.
fn revoke(ctx: &Context, key: &ProfileKey, record: &Record) {
    let Some(session) = &record.session else {
        return;
    };
    let Ok(env) = ctx.config.get(&key.env) else {
        return;
    };
    let url = match env.endpoint(env.revoke_url.as_deref(), "revoke_url") {
        Ok(Some(url)) => url,
        Ok(None) => return,
        Err(e) => {
            output::warn(&format!("not revoking: {}", e.message));
            return;
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
    let outcome = Http::new(ctx.timeout()).and_then(|h| h.send_with_retries(&req));
    match outcome {
        Ok(r) if r.status.is_success() => output::status(&format!("revoked the {hint} of {key}")),
        Ok(r) => output::warn(&format!(
            "revocation answered HTTP {}; removing the local record anyway",
            r.status.as_u16()
        )),
        Err(e) => output::warn(&format!(
            "could not revoke ({}); removing the local record anyway",
            e.message
        )),
    }
}
