//! How a session is described to a person, shared by the commands that show one (`status`,
//! `token show`, `login --json`), so the same session reads the same everywhere.

use crate::store::Session;
use crate::time;
use serde_json::{Value, json};

/// `valid`, `expiring` (under a minute left) or `expired`.
pub fn session_state(s: &Session, now: i64) -> &'static str {
    match s.expires_at {
        None => "valid",
        Some(exp) if exp <= now => "expired",
        Some(exp) if exp.saturating_sub(now) < 60 => "expiring",
        Some(_) => "valid",
    }
}

pub fn session_json(s: &Session, now: i64) -> Value {
    json!({
        "token_type": s.token_type,
        "grant": s.grant.name(),
        "state": session_state(s, now),
        "scopes": s.scopes,
        "obtained_at": time::rfc3339(s.obtained_at),
        "expires_at": s.expires_at.map(time::rfc3339),
        "expires_in": s.expires_at.map(|e| e.saturating_sub(now)),
        "refreshable": s.refresh_token.is_some(),
        "client_id": s.client_id,
        "dpop_jkt": dpop_jkt(s),
    })
}

/// The RFC 7638 thumbprint of the key a DPoP-bound session is bound to (what the server
/// holds as `cnf.jkt`); `None` for a bearer token or a key that does not parse.
pub fn dpop_jkt(s: &Session) -> Option<String> {
    crate::oauth::dpop::key_of(s)
        .ok()
        .flatten()
        .map(|k| k.thumbprint())
}
