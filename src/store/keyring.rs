//! The OS keyring through the `keyring` crate: service `gtx`, account `ENV/CREDENTIAL`,
//! the record as JSON in the secret. The platform store is initialised lazily, so paths
//! that never touch the store never pay for a D-Bus connection.

use super::StoreKind;
use super::{ProfileKey, Record, Store, unavailable_hints};
use crate::error::{AppError, Result};
use std::collections::HashMap;

const SERVICE: &str = "gtx";

/// Lookups tried when items vanish between being found and being read.
const LOOKUPS: u64 = 8;

/// Whether an error reading an item a lookup just found may mean another process deleted
/// it meanwhile (Secret Service: "Object does not exist at path …"). A locked keyring or
/// denied access is not that, and is reported at once.
fn vanished(e: &keyring::Error) -> bool {
    !matches!(
        e,
        keyring::Error::NoStorageAccess(_)
            | keyring::Error::NoDefaultStore
            | keyring::Error::Ambiguous(_)
    )
}

/// Several items match one profile (a copy made by `secret-tool store` with another
/// attribute, a backup tool, another keyring UI): gtx cannot tell which is the record.
/// Named as such, with the way out; `logout` removes every match.
fn ambiguous(key: &ProfileKey, count: usize) -> AppError {
    AppError::store(format!(
        "the keyring holds {count} items for {key} (service gtx, account {}); gtx cannot tell which one is the record",
        key.account()
    ))
    .fix(crate::fix::StoreFix::RemoveAll {
        env: key.env.clone(),
        credential: key.credential.clone(),
    })
    .with_cause(crate::error::Cause::UnreadableRecord)
}

/// Waits a little longer each time before the next lookup; returns the next try's number.
fn again(tries: u64) -> u64 {
    std::thread::sleep(std::time::Duration::from_millis(10 * (tries + 1)));
    tries + 1
}

pub struct KeyringStore;

impl KeyringStore {
    pub fn open() -> Result<KeyringStore> {
        Ok(KeyringStore)
    }

    fn entry(&self, key: &ProfileKey) -> Result<keyring::Entry> {
        keyring::Entry::new(SERVICE, &key.account()).map_err(|e| map_err(e, "open"))
    }
}

/// What went wrong in plain words, and the platform's own text (D-Bus/zbus details, shown
/// only with -v: it is noise to most readers of the error).
fn cause(err: &keyring::Error) -> (&'static str, String) {
    match err {
        keyring::Error::NoDefaultStore => match keyring::Entry::store_status() {
            Err(inner) => ("no keyring service is reachable", inner.to_string()),
            Ok(()) => ("no keyring service is reachable", String::new()),
        },
        keyring::Error::NoStorageAccess(inner) => (
            "the keyring is locked or access was denied",
            inner.to_string(),
        ),
        keyring::Error::PlatformFailure(inner) => ("the keyring failed", inner.to_string()),
        other => ("the keyring failed", other.to_string()),
    }
}

fn map_err(err: keyring::Error, action: &str) -> AppError {
    let (plain, detail) = cause(&err);
    unavailable(format!("cannot {action} the OS keyring: {plain}"), &detail)
}

fn unavailable(message: String, detail: &str) -> AppError {
    let err = AppError::store(message);
    let err = match (detail.is_empty(), crate::output::verbosity()) {
        (true, _) => err,
        (false, 0) => err.hint("run with -v to see the keyring's own error"),
        (false, _) => err.hint(format!("keyring said: {detail}")),
    };
    unavailable_hints(err)
}

impl Store for KeyringStore {
    fn kind(&self) -> StoreKind {
        StoreKind::Keyring
    }

    fn load(&self, key: &ProfileKey) -> Result<Option<Record>> {
        match secret_of(key) {
            Ok(Some(text)) => {
                Record::from_json(&text, &format!("for {key} in the keyring")).map(Some)
            }
            Ok(None) => Ok(None),
            Err(keyring::Error::Ambiguous(items)) => Err(ambiguous(key, items.len())),
            Err(e) => Err(map_err(e, "read from")),
        }
    }

    fn save(&self, key: &ProfileKey, record: &Record) -> Result<()> {
        self.entry(key)?
            .set_password(&record.to_json())
            .map_err(|e| match e {
                keyring::Error::Ambiguous(items) => ambiguous(key, items.len()),
                e => map_err(e, "write to"),
            })
    }

    fn delete(&self, key: &ProfileKey) -> Result<bool> {
        match self.entry(key)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            // Every match goes: that is what logout is asked for.
            Err(keyring::Error::Ambiguous(items)) => {
                for item in items {
                    match item.delete_credential() {
                        // Gone already (another gtx removed it meanwhile).
                        Ok(()) | Err(keyring::Error::NoEntry) => {}
                        Err(e) if vanished(&e) => {}
                        Err(e) => return Err(map_err(e, "delete from")),
                    }
                }
                Ok(true)
            }
            Err(e) => Err(map_err(e, "delete from")),
        }
    }

    fn list(&self) -> Result<Vec<(ProfileKey, Result<Record>)>> {
        // Initialise the platform store, then search it by service.
        if let Err(e) = keyring::Entry::store_status() {
            return Err(unavailable(
                "cannot open the OS keyring: no keyring service is reachable".into(),
                &e.to_string(),
            ));
        }
        let spec = HashMap::from([("service", SERVICE)]);
        let mut passes = 1;
        let mut out = loop {
            let entries = keyring_core::Entry::search(&spec).map_err(|e| map_err(e, "search"))?;
            match read_all(entries) {
                Ok(out) => break out,
                // An item the search found but that cannot be read now was most likely
                // deleted by another gtx in between (Secret Service: "Object does not
                // exist"); a new search no longer finds it. A keyring that really fails
                // keeps failing, and that is reported (a locked one at once).
                Err(e) if vanished(&e) && passes < LOOKUPS => {
                    crate::vlog!(1, "no item of the keyring could be read; searching again");
                    passes = again(passes);
                }
                Err(e) => return Err(map_err(e, "read from")),
            }
        };
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out.dedup_by(|a, b| a.0 == b.0);
        Ok(out)
    }
}

/// The secret of `key`'s item, `None` when there is none. The item a lookup found may be
/// deleted by another gtx (a logout) before its secret is read; a new lookup then finds
/// nothing.
fn secret_of(key: &ProfileKey) -> std::result::Result<Option<String>, keyring::Error> {
    let mut tries = 1;
    loop {
        match keyring::Entry::new(SERVICE, &key.account()).and_then(|e| e.get_password()) {
            Ok(text) => return Ok(Some(text)),
            Err(keyring::Error::NoEntry) => return Ok(None),
            Err(e) if vanished(&e) && tries < LOOKUPS => tries = again(tries),
            Err(e) => return Err(e),
        }
    }
}

/// Every gtx item a search found, with its record (or why the record is unreadable); the
/// keyring's error when no item can be read at all.
fn read_all(
    entries: Vec<keyring_core::Entry>,
) -> std::result::Result<Vec<(ProfileKey, Result<Record>)>, keyring::Error> {
    let mut out = Vec::new();
    let mut unreadable = None;
    for entry in entries {
        // An item deleted since the search (other programs' items under the same service
        // too) has no attributes left: skipped, unless nothing at all can be read.
        let attrs = match entry.get_attributes() {
            Ok(attrs) => attrs,
            Err(e) if vanished(&e) => {
                unreadable = Some(e);
                continue;
            }
            Err(e) => return Err(e),
        };
        let Some(account) = attrs.get("username").or_else(|| attrs.get("user")) else {
            continue;
        };
        // A record under a name gtx never writes (edited by hand): listed as unreadable so
        // that `status` shows it and `logout --all` removes it.
        let Some(key) = ProfileKey::parse(account) else {
            if let Some(key) = ProfileKey::foreign(account) {
                out.push((key.clone(), Err(super::foreign_name(&key))));
            }
            continue;
        };
        let text = match entry.get_password() {
            Ok(text) => Some(text),
            Err(keyring::Error::NoEntry) => None,
            // Deleted, or deleted and signed in again, since the search: ask by name.
            Err(e) if vanished(&e) => secret_of(&key)?,
            Err(e) => return Err(e),
        };
        if let Some(text) = text {
            let record = Record::from_json(&text, &format!("for {key} in the keyring"));
            out.push((key, record));
        }
    }
    match unreadable {
        Some(e) if out.is_empty() => Err(e),
        _ => Ok(out),
    }
}
