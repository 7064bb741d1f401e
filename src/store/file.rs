//! `<data dir>/gtx/credentials.json`: mode 0600 in a 0700 directory, one JSON document
//! holding every profile's record, replaced atomically under an exclusive lock.

use super::StoreKind;
use super::{ProfileKey, Record, Store};
use crate::error::{AppError, Result};
use crate::fsutil::Reserved;
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::path::PathBuf;

pub struct FileStore {
    path: PathBuf,
    /// Disk space taken before a refresh, which the next write fills (see `reserve`).
    reserved: RefCell<Option<Reserved>>,
}

/// Room for the session a refresh brings on top of today's file: tokens are a few KiB.
const RESERVE_EXTRA: usize = 64 * 1024;

impl FileStore {
    pub fn open() -> Result<FileStore> {
        Ok(FileStore::at(
            crate::config::data_dir()?.join("credentials.json"),
        ))
    }

    pub fn at(path: PathBuf) -> FileStore {
        FileStore {
            path,
            reserved: RefCell::new(None),
        }
    }

    fn shown(&self) -> String {
        self.path.display().to_string()
    }

    /// The whole document, or an empty one when the file does not exist yet.
    fn read(&self) -> Result<Map<String, Value>> {
        // A FIFO there is named by `check_permissions`, never waited on (nor is every
        // command, the Try-It page's calls included).
        let mut file = match crate::fsutil::open_to_read(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Map::new()),
            Err(e) => {
                return Err(AppError::store(format!(
                    "cannot read {}: {e}",
                    self.shown()
                )));
            }
        };
        self.check_permissions(&file)?;
        let mut text = String::new();
        std::io::Read::read_to_string(&mut file, &mut text)
            .map_err(|e| AppError::store(format!("cannot read {}: {e}", self.shown())))?;
        let corrupt = |why: String| {
            AppError::store(format!("cannot parse {}: {why}", self.shown()))
                .hint("the file was left untouched; fix it, or move it aside and sign in again")
        };
        let doc: Value =
            serde_json::from_str(&text).map_err(|e| corrupt(super::describe_json_error(&e)))?;
        let Value::Object(mut doc) = doc else {
            return Err(corrupt("not a JSON object".into()));
        };
        match doc.get("version").and_then(Value::as_u64) {
            Some(1) => {}
            _ => return Err(corrupt("missing or unknown file version".into())),
        }
        match doc.remove("profiles") {
            Some(Value::Object(profiles)) => Ok(profiles),
            None => Ok(Map::new()),
            Some(_) => Err(corrupt("`profiles` is not an object".into())),
        }
    }

    #[cfg(unix)]
    fn check_permissions(&self, file: &std::fs::File) -> Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let meta = file
            .metadata()
            .map_err(|e| AppError::store(format!("cannot stat {}: {e}", self.shown())))?;
        if meta.is_dir() {
            return Err(AppError::store(format!(
                "{} is a directory, not a credentials file",
                self.shown()
            ))
            .hint("move it aside; gtx creates the file when you sign in"));
        }
        if !meta.is_file() {
            return Err(AppError::store(format!(
                "{} is a FIFO or a device, not a credentials file",
                self.shown()
            ))
            .hint("move it aside; gtx creates the file when you sign in"));
        }
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(AppError::store(format!(
                "{} is readable by other users (mode {mode:04o}); refusing to use it",
                self.shown()
            ))
            .hint(format!("chmod 600 {}", self.shown())));
        }
        Ok(())
    }

    #[cfg(not(unix))]
    fn check_permissions(&self, _file: &std::fs::File) -> Result<()> {
        Ok(())
    }

    fn write(&self, profiles: Map<String, Value>) -> Result<()> {
        let mut doc = Map::new();
        doc.insert("version".into(), Value::from(1));
        doc.insert("profiles".into(), Value::Object(profiles));
        let text = serde_json::to_string_pretty(&Value::Object(doc))
            .map_err(|e| AppError::bug(format!("cannot encode the credentials file: {e}")))?;
        #[cfg(unix)]
        if let Some(dir) = self.path.parent() {
            // gtx's own directory: tighten it even if something else created it first.
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
        }
        let reserved = self.reserved.borrow_mut().take();
        let written = match reserved {
            Some(r) => r.commit(text.as_bytes()),
            None => crate::fsutil::write_atomic(&self.path, text.as_bytes(), 0o600),
        };
        written.map_err(|e| AppError::store(format!("cannot write {}: {e}", self.shown())))
    }

    fn lock(&self) -> Result<std::fs::File> {
        let guard = super::lock::lock_path(&self.path.with_extension("json.lock"))?;
        // Under the lock no live gtx is between its temp write and its rename, so any
        // temp file of a dead process is a leftover holding secrets, or a whole save that
        // was killed before its rename: that one is finished, the rest removed.
        match crate::fsutil::settle_stale_temps(&self.path, whole_document) {
            Ok(s) if s.finished => crate::vlog!(
                1,
                "finished a save to {} that a stopped gtx had written but not renamed",
                self.shown()
            ),
            Ok(_) => {}
            Err(e) => crate::vlog!(1, "could not remove stale temp files: {e}"),
        }
        Ok(guard)
    }

    /// Read-modify-write under the store lock; a corrupt file aborts before any write.
    fn modify<T>(&self, f: impl FnOnce(&mut Map<String, Value>) -> T) -> Result<T> {
        let _guard = self.lock()?;
        let mut profiles = self.read()?;
        let out = f(&mut profiles);
        self.write(profiles)?;
        Ok(out)
    }
}

/// Whether `bytes` is a whole credentials file of the version this gtx writes.
fn whole_document(bytes: &[u8]) -> bool {
    serde_json::from_slice::<Value>(bytes).is_ok_and(|doc| {
        doc.get("version").and_then(Value::as_u64) == Some(1)
            && doc.get("profiles").is_some_and(Value::is_object)
    })
}

impl Store for FileStore {
    fn kind(&self) -> StoreKind {
        StoreKind::File
    }

    fn load(&self, key: &ProfileKey) -> Result<Option<Record>> {
        let mut profiles = self.read()?;
        match profiles.remove(&key.account()) {
            None => Ok(None),
            Some(v) => Record::from_value(v, &format!("for {key} in {}", self.shown())).map(Some),
        }
    }

    fn save(&self, key: &ProfileKey, record: &Record) -> Result<()> {
        let value = serde_json::to_value(record)
            .map_err(|e| AppError::bug(format!("cannot encode record: {e}")))?;
        self.modify(|p| {
            p.insert(key.account(), value);
        })
    }

    fn delete(&self, key: &ProfileKey) -> Result<bool> {
        if !self.path.exists() {
            self.sweep()?;
            return Ok(false);
        }
        self.modify(|p| p.remove(&key.account()).is_some())
    }

    fn reserve(&self) -> Result<()> {
        let now = std::fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0);
        let size = usize::try_from(now).unwrap_or(0) + RESERVE_EXTRA;
        let reserved = Reserved::new(&self.path, size, 0o600).map_err(|e| {
            AppError::store(format!(
                "cannot reserve {} KiB beside {} for the renewed session: {e}",
                size / 1024,
                self.shown()
            ))
            .hint("nothing was sent: free some disk space and try again")
        })?;
        *self.reserved.borrow_mut() = Some(reserved);
        Ok(())
    }

    fn sweep(&self) -> Result<()> {
        if self.path.parent().is_some_and(|d| d.exists()) {
            drop(self.lock()?);
        }
        Ok(())
    }

    fn list(&self) -> Result<Vec<(ProfileKey, Result<Record>)>> {
        let profiles = self.read()?;
        let mut out = Vec::new();
        for (account, value) in profiles {
            let Some(key) = ProfileKey::parse(&account) else {
                // Not a name gtx writes (edited by hand): listed as unreadable so that
                // `status` shows it and `logout --all` removes it.
                if let Some(key) = ProfileKey::foreign(&account) {
                    out.push((key.clone(), Err(super::foreign_name(&key))));
                }
                continue;
            };
            let record = Record::from_value(value, &format!("for {key} in {}", self.shown()));
            out.push((key, record));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{ClientCredentials, Record};

    fn store() -> (tempfile::TempDir, FileStore) {
        let dir = tempfile::tempdir().expect("dir");
        let s = FileStore::at(dir.path().join("gtx").join("credentials.json"));
        (dir, s)
    }

    fn record() -> Record {
        Record {
            client: Some(ClientCredentials {
                client_id: "app".into(),
                client_secret: crate::secret::Secret::new("secret-0123456789"),
                domain: None,
                origin: None,
                sign_in_only: false,
            }),
            ..Record::default()
        }
    }

    #[test]
    fn round_trip_list_and_delete() {
        let (_d, s) = store();
        let a = ProfileKey::new("sandbox", "a");
        let b = ProfileKey::new("sandbox", "b");
        assert_eq!(s.load(&a).expect("empty"), None);
        assert!(!s.delete(&a).expect("nothing"));
        s.save(&b, &record()).expect("save");
        s.save(&a, &record()).expect("save");
        assert_eq!(s.load(&a).expect("load"), Some(record()));
        let keys: Vec<_> = s
            .list()
            .expect("list")
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(keys, vec![a.clone(), b.clone()]);
        assert!(s.delete(&a).expect("delete"));
        assert!(!s.delete(&a).expect("gone"));
        assert_eq!(s.load(&b).expect("kept"), Some(record()));
    }

    #[cfg(unix)]
    #[test]
    fn only_a_missing_file_is_an_empty_store() {
        let (_d, s) = store();
        std::fs::create_dir_all(s.path.parent().expect("dir")).expect("mkdir");
        // A symlink to itself: ELOOP, which must not read as "nothing stored".
        std::os::unix::fs::symlink(&s.path, &s.path).expect("symlink");
        let e = s
            .load(&ProfileKey::new("sandbox", "a"))
            .expect_err("refused");
        assert_eq!(e.exit_code(), 7);
        assert!(s.save(&ProfileKey::new("sandbox", "a"), &record()).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn files_readable_by_others_and_corrupt_files_are_refused_and_kept() {
        use std::os::unix::fs::PermissionsExt;
        let (_d, s) = store();
        let key = ProfileKey::new("sandbox", "a");
        s.save(&key, &record()).expect("save");
        assert_eq!(
            std::fs::metadata(&s.path)
                .expect("meta")
                .permissions()
                .mode()
                & 0o777,
            0o600
        );
        std::fs::set_permissions(&s.path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        assert_eq!(s.load(&key).expect_err("too open").exit_code(), 7);
        std::fs::set_permissions(&s.path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        for bad in [
            "not json",
            "[1]",
            r#"{"version":2,"profiles":{}}"#,
            r#"{"profiles":{}}"#,
            r#"{"version":1,"profiles":[]}"#,
        ] {
            std::fs::write(&s.path, bad).expect("write");
            assert_eq!(s.load(&key).expect_err(bad).exit_code(), 7, "{bad}");
            assert!(s.save(&key, &record()).is_err(), "{bad}");
            assert_eq!(std::fs::read_to_string(&s.path).expect("read"), bad);
        }
        std::fs::write(&s.path, r#"{"version":1}"#).expect("write");
        assert_eq!(s.load(&key).expect("no profiles yet"), None);
        std::fs::write(
            &s.path,
            r#"{"version":1,"profiles":{"bad key":{},"sandbox/a":{"version":1}}}"#,
        )
        .expect("write");
        let listed = s.list().expect("list");
        assert_eq!(listed.len(), 1, "a key that is not ENV/NAME is skipped");
    }

    #[cfg(unix)]
    #[test]
    fn errors_name_the_file() {
        use std::os::unix::fs::PermissionsExt;
        let (_d, s) = store();
        let key = ProfileKey::new("sandbox", "a");
        s.save(&key, &record()).expect("save");
        let shown = s.path.display().to_string();
        std::fs::set_permissions(&s.path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let e = s.load(&key).expect_err("too open");
        assert!(e.message.contains(&shown), "{}", e.message);
        assert_eq!(e.hint_lines(), vec![format!("chmod 600 {shown}")]);
        std::fs::set_permissions(&s.path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        std::fs::write(&s.path, "[1]").expect("write");
        let e = s.load(&key).expect_err("corrupt");
        assert!(e.message.contains(&shown), "{}", e.message);
    }

    #[test]
    fn a_sweep_removes_a_dead_process_temp_file_even_without_a_store_file() {
        let (_d, s) = store();
        let dir = s.path.parent().expect("dir").to_path_buf();
        std::fs::create_dir_all(&dir).expect("mkdir");
        // No pid is this large: the writer is dead, its temp file a leftover.
        let stale = dir.join(".credentials.json.4294967295.x.tmp");
        std::fs::write(&stale, "secret").expect("write");
        s.sweep().expect("sweep");
        assert!(!stale.exists());
        std::fs::write(&stale, "secret").expect("write");
        assert!(!s.delete(&ProfileKey::new("sandbox", "a")).expect("nothing"));
        assert!(!stale.exists(), "logout sweeps too");
    }

    #[test]
    fn a_reservation_is_used_by_the_next_save() {
        let (_d, s) = store();
        let key = ProfileKey::new("sandbox", "a");
        s.save(&key, &record()).expect("save");
        s.reserve().expect("reserve");
        let dir = s.path.parent().expect("dir").to_path_buf();
        let temps = || {
            std::fs::read_dir(&dir)
                .expect("ls")
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
                .count()
        };
        assert_eq!(temps(), 1);
        let now = std::fs::metadata(&s.path).expect("meta").len();
        let reserved: u64 = std::fs::read_dir(&dir)
            .expect("ls")
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .map(|e| e.metadata().expect("meta").len())
            .sum();
        assert_eq!(
            reserved,
            now + 64 * 1024,
            "today's file and room for a session"
        );
        s.save(&key, &Record::default()).expect("save");
        assert_eq!(temps(), 0);
        assert_eq!(s.load(&key).expect("load"), Some(Record::default()));
    }

    #[test]
    fn only_a_whole_document_of_this_version_finishes_a_killed_save() {
        assert!(whole_document(br#"{"version":1,"profiles":{}}"#));
        for bad in [
            &br#"{"version":2,"profiles":{}}"#[..],
            br#"{"version":1}"#,
            br#"{"version":1,"profiles":[]}"#,
            br#"{"profiles":{}}"#,
            br#"{"version":1,"profiles":{"#,
        ] {
            assert!(!whole_document(bad), "{}", String::from_utf8_lossy(bad));
        }
    }
}
