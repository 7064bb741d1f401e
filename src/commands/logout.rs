//! `gtx logout [--all]`: revoke at `revoke_url` when one is configured (best effort), then
//! remove the record.

use crate::cli::LogoutArgs;
use crate::context::Context;
use crate::error::Result;
use crate::store::{self, Grant, ProfileKey, Record, signed_out};
use serde_json::json;

pub fn run(ctx: &Context, args: &LogoutArgs) -> Result<()> {
    let store = ctx.store()?;
    // Temp files a killed gtx left hold secrets too: signing out removes them.
    store.sweep()?;
    let Some(keys) = profiles(ctx, store.as_ref(), args)? else {
        ctx.out.status("nothing removed");
        return Ok(());
    };
    let mut report = Vec::new();
    for key in &keys {
        if let Some(revoked) = remove(ctx, store.as_ref(), key)? {
            report.push(json!({"env": key.env, "credential": key.credential, "revoked": revoked}));
            ctx.out.success(&format!(
                "signed out of {key} ({} store)",
                store.kind().name()
            ));
        }
    }
    if ctx.json() {
        return ctx
            .out
            .json(&json!({"store": store.kind().name(), "removed": report}));
    }
    if report.is_empty() {
        if args.all {
            ctx.out.status(&format!(
                "nothing stored in the {} store",
                store.kind().name()
            ));
        } else if let Some(key) = keys.first() {
            ctx.out
                .status(&format!("not signed in to {key}; nothing to remove"));
        }
    }
    Ok(())
}

/// The profiles to sign out of: the selected one, or with `--all` every listed one the
/// selection covers, once the person confirmed (`None`: they declined).
fn profiles(
    ctx: &Context,
    store: &dyn store::Store,
    args: &LogoutArgs,
) -> Result<Option<Vec<ProfileKey>>> {
    if !args.all {
        let env = ctx.env()?;
        return Ok(Some(vec![ctx.profile(&env)?]));
    }
    let keys: Vec<ProfileKey> = store
        .list()?
        .into_iter()
        .map(|(k, _)| k)
        .filter(|k| ctx.selects(k))
        .collect();
    if !args.yes && !super::confirm::remove_profiles(&keys, store.kind().name())? {
        return Ok(None);
    }
    Ok(Some(keys))
}

/// Revokes (best effort) and removes one profile's record; whether the server confirmed
/// the revocation, or `None` when there was nothing to remove.
fn remove(ctx: &Context, store: &dyn store::Store, key: &ProfileKey) -> Result<Option<bool>> {
    if matches!(store.load(key), Ok(None)) {
        return Ok(None);
    }
    // Under the profile lock: a renewal running right now must not write the record
    // back after it was removed.
    let locked = store::Locked::open(store, key, ctx.timeout(), &ctx.out)?;
    let named_by_gtx = ProfileKey::parse(&key.account()).is_some();
    let mut last = None;
    let revoked = match locked.load() {
        Ok(Some(record)) => {
            last = record
                .session
                .as_ref()
                .map(|s| s.grant)
                .or(record.client.as_ref().map(|_| Grant::ClientCredentials));
            revoke(ctx, key, &record)?
        }
        Ok(None) => false,
        // An unreadable record is what logout is for: remove it, without revoking.
        Err(e) if e.is(crate::error::Cause::UnreadableRecord) => {
            ctx.out.warn(&format!(
                "{}; removing it without revoking",
                super::hints::message(&e)
            ));
            false
        }
        Err(e) => return Err(e),
    };
    if !locked.delete()? {
        return Ok(None);
    }
    if let Some(grant) = last.filter(|_| named_by_gtx) {
        signed_out::remember(store.kind(), key, grant);
    }
    Ok(Some(revoked))
}

/// Revokes at the environment's `revoke_url` and says how it went; whether the server
/// confirmed it.
fn revoke(ctx: &Context, key: &ProfileKey, record: &Record) -> Result<bool> {
    use crate::oauth::revoke::Revocation;
    let Ok(env) = ctx.config.get(&key.env) else {
        return Ok(false);
    };
    let anyway = "removing the local record anyway";
    match crate::oauth::revoke::revoke(&env, record, ctx.timeout())? {
        Revocation::NotAsked => {}
        Revocation::Revoked { which } => {
            ctx.out.status(&format!("revoked the {which} of {key}"));
            return Ok(true);
        }
        Revocation::BadUrl(why) => ctx.out.warn(&format!("not revoking: {why}")),
        Revocation::Moved { first, now } => ctx.out.warn(&format!(
            "not revoking: the stored client secret was first used with {first}, and environment {} now points at {now}",
            env.name
        )),
        Revocation::Failed(why) => ctx.out.warn(&format!("could not revoke ({why}); {anyway}")),
        Revocation::Refused(status) => {
            ctx.out.warn(&format!("revocation answered HTTP {status}; {anyway}"))
        }
    }
    Ok(false)
}
