//! What a profile last signed in with, kept after `gtx logout` removed its record, so the
//! next "not signed in" hint names that way (`--password`) rather than every way the
//! dialect has. One small file per profile beside the locks; it holds only the grant's
//! name, nothing secret, and no command depends on it being there.

use super::{Grant, ProfileKey, StoreKind};
use std::path::PathBuf;

fn path(key: &ProfileKey) -> Option<PathBuf> {
    // `+` cannot appear in env or credential names, so names never collide (as for locks).
    let dir = crate::config::data_dir().ok()?.join("signed-out");
    Some(dir.join(format!("{}+{}", key.env, key.credential)))
}

/// Notes that `key` was signed out of a session obtained with `grant`. Best effort: a hint
/// is not worth failing a logout for. The memory store leaves no trace, this included.
pub fn remember(store: StoreKind, key: &ProfileKey, grant: Grant) {
    if store == StoreKind::Memory {
        return;
    }
    let Some(path) = path(key) else { return };
    let dir = crate::fsutil::parent_dir(&path);
    if crate::fsutil::create_private_dir(dir).is_ok() {
        let _ = crate::fsutil::write_atomic(&path, grant.name().as_bytes(), 0o600);
    }
}

/// The grant `key` last signed in with before a logout, if one was noted.
pub fn recall(store: StoreKind, key: &ProfileKey) -> Option<Grant> {
    if store == StoreKind::Memory {
        return None;
    }
    // Whatever sits there is read as a hint only: a regular file, and nothing longer than
    // a grant's name (`ln -s /dev/zero`).
    let file = crate::fsutil::open_to_read(&path(key)?).ok()?;
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::Read::take(file, 64), &mut text).ok()?;
    serde_json::from_value(serde_json::Value::String(text.trim().to_string())).ok()
}
