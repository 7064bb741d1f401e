//! The one way a command changes a stored record: take the profile's lock, finish or
//! remove what a killed gtx left behind, read the record again, change it, write it back.
//! Whatever another process wrote before the lock was taken is in the record read here,
//! so a concurrent renewal or sign-in is never overwritten with an older copy.

use super::{ProfileKey, ProfileLock, Record, Store};
use crate::error::Result;
use crate::output::Output;
use std::time::Duration;

/// A profile held under its lock (for a store other processes share) with stale temp
/// files swept. Dropping it releases the lock.
pub struct Locked<'s> {
    store: &'s dyn Store,
    key: ProfileKey,
    _lock: Option<ProfileLock>,
}

impl<'s> Locked<'s> {
    /// Waits at most `timeout` for the lock. A record under a name gtx never writes has
    /// no lock (nothing renews it), and its name must not become a lock file's name.
    /// A wait for another gtx is announced on `out`.
    pub fn open(
        store: &'s dyn Store,
        key: &ProfileKey,
        timeout: Duration,
        out: &Output,
    ) -> Result<Self> {
        let named_by_gtx = ProfileKey::parse(&key.account()).is_some();
        let lock = match store.shared() && named_by_gtx {
            true => Some(ProfileLock::acquire(key, timeout, out)?),
            false => None,
        };
        store.sweep()?;
        Ok(Locked {
            store,
            key: key.clone(),
            _lock: lock,
        })
    }

    /// The record as it is now, read under the lock.
    pub fn load(&self) -> Result<Option<Record>> {
        self.store.load(&self.key)
    }

    /// Writes `record`; an empty one is removed rather than stored.
    pub fn write(&self, record: &Record) -> Result<()> {
        write(self.store, &self.key, record)
    }

    /// Removes the record; says whether there was one.
    pub fn delete(&self) -> Result<bool> {
        self.store.delete(&self.key)
    }
}

/// Lock, reload, `change`, write: the record (empty when none is stored) is written back
/// only if `change` changed it, and removed when it left it empty.
pub fn update<T>(
    store: &dyn Store,
    key: &ProfileKey,
    timeout: Duration,
    out: &Output,
    change: impl FnOnce(&mut Record) -> Result<T>,
) -> Result<T> {
    let locked = Locked::open(store, key, timeout, out)?;
    let before = locked.load()?;
    let mut record = before.clone().unwrap_or_default();
    let out = change(&mut record)?;
    let changed = match &before {
        Some(b) => *b != record,
        None => !record.is_empty(),
    };
    if changed {
        locked.write(&record)?;
    }
    Ok(out)
}

/// Stores `record` for `key`, or removes the entry when the record holds nothing.
pub fn write(store: &dyn Store, key: &ProfileKey, record: &Record) -> Result<()> {
    if record.is_empty() {
        store.delete(key).map(|_| ())
    } else {
        store.save(key, record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;
    use crate::store::memory::MemoryStore;
    use crate::store::{ClientCredentials, Store};

    fn quiet() -> Output {
        Output::captured(0).0
    }

    fn key() -> ProfileKey {
        ProfileKey::new("sandbox", "default")
    }

    fn client(id: &str) -> ClientCredentials {
        ClientCredentials {
            client_id: id.into(),
            client_secret: Secret::new("s3cret-value-long-enough"),
            domain: None,
            origin: None,
            sign_in_only: false,
        }
    }

    #[test]
    fn a_change_is_written_and_nothing_else_is() {
        let store = MemoryStore::default();
        let t = Duration::from_secs(1);
        update(&store, &key(), t, &quiet(), |_| Ok(())).expect("no change");
        assert_eq!(store.load(&key()).expect("load"), None, "nothing created");
        update(&store, &key(), t, &quiet(), |r| {
            r.client = Some(client("app"));
            Ok(())
        })
        .expect("changed");
        let stored = store.load(&key()).expect("load").expect("stored");
        assert_eq!(stored.client.map(|c| c.client_id).as_deref(), Some("app"));
    }

    #[test]
    fn a_record_left_empty_is_removed() {
        let store = MemoryStore::default();
        let t = Duration::from_secs(1);
        let record = Record {
            client: Some(client("app")),
            ..Record::default()
        };
        store.save(&key(), &record).expect("save");
        update(&store, &key(), t, &quiet(), |r| {
            r.client = None;
            Ok(())
        })
        .expect("changed");
        assert_eq!(store.load(&key()).expect("load"), None);
    }

    #[test]
    fn a_failed_change_writes_nothing() {
        let store = MemoryStore::default();
        let t = Duration::from_secs(1);
        let out: Result<()> = update(&store, &key(), t, &quiet(), |r| {
            r.client = Some(client("app"));
            Err(crate::error::AppError::bug("no"))
        });
        assert!(out.is_err());
        assert_eq!(store.load(&key()).expect("load"), None);
    }
}
