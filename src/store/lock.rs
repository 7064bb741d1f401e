//! Advisory file locks (std's `File::lock`, flock on Unix, LockFileEx on Windows): one per
//! profile around minting/refreshing, one for the file store's read-modify-write. The OS
//! releases them when the process dies, so a killed gtx never leaves a stale lock.

use crate::error::{AppError, Result};
use crate::store::ProfileKey;
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

pub struct ProfileLock {
    _file: File,
}

impl ProfileLock {
    /// Blocks until this process holds the profile's lock.
    pub fn acquire(key: &ProfileKey) -> Result<ProfileLock> {
        let dir = crate::config::data_dir()?.join("locks");
        // `+` cannot appear in env or credential names, so names never collide.
        let path = dir.join(format!("{}+{}.lock", key.env, key.credential));
        Ok(ProfileLock {
            _file: lock_path(&path)?,
        })
    }
}

pub fn lock_path(path: &Path) -> Result<File> {
    let fail = |what: &str, e: std::io::Error, p: &PathBuf| {
        AppError::store(format!("cannot {what} lock file {}: {e}", p.display()))
    };
    let path = path.to_path_buf();
    if let Some(dir) = path.parent() {
        crate::fsutil::create_private_dir(dir)
            .map_err(|e| fail("create the directory of", e, &path))?;
    }
    let mut opts = OpenOptions::new();
    opts.create(true).truncate(false).read(true).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let file = opts.open(&path).map_err(|e| fail("open", e, &path))?;
    file.lock().map_err(|e| fail("take", e, &path))?;
    Ok(file)
}
