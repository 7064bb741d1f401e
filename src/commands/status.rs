//! `gtx status`: every profile in the store, with what kind of credential and session it
//! holds. Never shows a secret.

use super::view::{dpop_jkt, session_json, session_state};
use crate::context::Context;
use crate::error::Result;
use crate::sanitize;
use crate::store::{ProfileKey, Record};
use crate::time;
use serde_json::{Value, json};

pub fn profile_json(key: &ProfileKey, r: &Record, now: i64) -> Value {
    json!({
        "env": key.env,
        "credential": key.credential,
        "client": r.client.as_ref().map(|c| json!({
            "kind": "client_credentials",
            "client_id": c.client_id,
            "domain": c.domain,
        })),
        "session": r.session.as_ref().map(|s| session_json(s, now)),
    })
}

pub fn run(ctx: &Context) -> Result<()> {
    let store = ctx.store()?;
    let mut profiles = store.list()?;
    profiles.retain(|(key, _)| ctx.selects(key));
    let now = time::now();
    let unreadable = profiles.iter().filter(|(_, r)| r.is_err()).count();
    // Shown, then reported: one bad record neither hides the others nor passes silently.
    let verdict = || crate::store::unreadable_summary(unreadable);
    if ctx.json() {
        let arr: Vec<Value> = profiles
            .iter()
            .map(|(k, r)| match r {
                Ok(r) => profile_json(k, r, now),
                Err(e) => json!({"env": k.env, "credential": k.credential, "error": super::hints::message(e)}),
            })
            .collect();
        ctx.out
            .json(&json!({ "store": store.kind().name(), "profiles": arr }))?;
        return verdict();
    }
    if profiles.is_empty() {
        let env = ctx.env()?;
        let login = crate::oauth::sign_in::login_hint(&env, &ctx.profile(&env)?, store.kind());
        let hint = super::hints::login(&login);
        let scope = match (&ctx.global.env, &ctx.global.credential) {
            (None, None) => String::new(),
            _ => " matching the selection".to_string(),
        };
        ctx.out.status(&format!(
            "No profiles{scope} in the {} store. Sign in with: {hint}",
            store.kind().name()
        ));
        return Ok(());
    }
    let mut text = format!("store: {}\n", store.kind().name());
    for (key, record) in &profiles {
        text.push_str(&format!("\n{key}\n"));
        match record {
            Ok(r) => text.push_str(&profile_text(r, now)),
            Err(e) => text.push_str(&format!("  unreadable   {}\n", super::hints::message(e))),
        }
    }
    ctx.out.text(&text)?;
    verdict()
}

/// One readable profile's lines: its credentials and its session, never a secret.
fn profile_text(record: &Record, now: i64) -> String {
    let mut text = String::new();
    match &record.client {
        Some(c) => {
            let domain = c
                .domain
                .as_ref()
                .map(|d| format!(" (domain {})", sanitize::terminal(d)))
                .unwrap_or_default();
            text.push_str(&format!(
                "  credentials  client {}{domain}\n",
                sanitize::terminal(&c.client_id)
            ));
        }
        None => text.push_str("  credentials  none\n"),
    }
    match &record.session {
        Some(s) => {
            let expiry = match s.expires_at {
                Some(e) => format!("{} ({})", time::rfc3339(e), time::relative(e, now)),
                None => "no expiry given".into(),
            };
            text.push_str(&format!(
                "  session      {} {} token via {}, {}\n",
                session_state(s, now),
                sanitize::terminal(&s.token_type),
                s.grant.name(),
                if s.refresh_token.is_some() {
                    "refreshable"
                } else {
                    "not refreshable"
                }
            ));
            text.push_str(&format!("  expires      {expiry}\n"));
            if let Some(jkt) = dpop_jkt(s) {
                text.push_str(&format!("  bound to     DPoP key {jkt}\n"));
            }
            if !s.scopes.is_empty() {
                let scopes = s.scopes.join(" ");
                text.push_str(&format!("  scopes       {}\n", sanitize::terminal(&scopes)));
            }
        }
        None => text.push_str("  session      none\n"),
    }
    text
}
