//! `gtx logout [--all]`: revoke at `revoke_url` when one is configured (best effort), then
//! remove the record.

use crate::cli::LogoutArgs;
use crate::context::Context;
use crate::error::Result;
use crate::output;
use crate::store::{self, Grant, ProfileKey, Record, UNREADABLE_RECORD, signed_out};
use serde_json::json;

pub fn run(ctx: &Context, args: &LogoutArgs) -> Result<()> {
    let store = ctx.store()?;
    // Temp files a killed gtx left hold secrets too: signing out removes them.
    store.sweep()?;
    let keys: Vec<ProfileKey> = if args.all {
        let keys: Vec<ProfileKey> = store
            .list()?
            .into_iter()
            .map(|(k, _)| k)
            .filter(|k| ctx.selects(k))
            .collect();
        if !args.yes && !super::confirm::remove_profiles(&keys, store.kind().name())? {
            output::status("nothing removed");
            return Ok(());
        }
        keys
    } else {
        let env = ctx.env()?;
        vec![ctx.profile(&env)?]
    };
    let mut removed = 0;
    let mut report = Vec::new();
    for key in &keys {
        if matches!(store.load(key), Ok(None)) {
            continue;
        }
        // Under the profile lock: a renewal running right now must not write the record
        // back after it was removed.
        let locked = store::Locked::open(store.as_ref(), key, ctx.timeout())?;
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
            Err(e) if e.code.as_deref() == Some(UNREADABLE_RECORD) => {
                output::warn(&format!("{}; removing it without revoking", e.message));
                false
            }
            Err(e) => return Err(e),
        };
        if locked.delete()? {
            if let Some(grant) = last.filter(|_| named_by_gtx) {
                signed_out::remember(store.kind(), key, grant);
            }
            removed += 1;
            report.push(json!({"env": key.env, "credential": key.credential, "revoked": revoked}));
            output::success(&format!(
                "signed out of {key} ({} store)",
                store.kind().name()
            ));
        }
    }
    if ctx.json() {
        return output::json(&json!({"store": store.kind().name(), "removed": report}));
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

fn revoke(ctx: &Context, key: &ProfileKey, record: &Record) -> Result<bool> {
    match ctx.config.get(&key.env) {
        Ok(env) => crate::oauth::revoke::revoke(&env, key, record, ctx.timeout()),
        Err(_) => Ok(false),
    }
}
