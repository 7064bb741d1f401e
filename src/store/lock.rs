//! Advisory file locks (std's `File::lock`, flock on Unix, LockFileEx on Windows): one per
//! profile around minting/refreshing, one for the file store's read-modify-write. The OS
//! releases them when the process dies, so a killed gtx never leaves a stale lock.

use crate::error::{AppError, Result};
use crate::output::Output;
use crate::store::ProfileKey;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A wait shorter than this says nothing.
const QUIET: Duration = Duration::from_secs(1);
const POLL: Duration = Duration::from_millis(25);

pub struct ProfileLock {
    _file: File,
}

impl ProfileLock {
    /// Waits at most `timeout` for the profile's lock; after a second it says that it waits
    /// for another gtx (a spinner on a terminal, one plain line otherwise).
    pub fn acquire(key: &ProfileKey, timeout: Duration, out: &Output) -> Result<ProfileLock> {
        let path = Self::path(key)?;
        let file = open(&path)?;
        let started = Instant::now();
        let mut spinner: Option<crate::progress::Spinner> = None;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(ProfileLock { _file: file }),
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(e)) => return Err(fail("take", e, &path)),
            }
            let waited = started.elapsed();
            if waited >= timeout {
                return Err(AppError::store(format!(
                    "timed out after {}s waiting for another gtx to renew {key} (lock {})",
                    timeout.as_secs_f64().round(),
                    path.display()
                ))
                .hint("try again, or raise --timeout if renewals are slow"));
            }
            if spinner.is_none() && waited >= QUIET {
                spinner = Some(out.waiting(&format!("waiting for another gtx to renew {key}…")));
            }
            std::thread::sleep(POLL.min(timeout.saturating_sub(waited)));
        }
    }

    /// `+` cannot appear in env or credential names, so names never collide.
    pub fn path(key: &ProfileKey) -> Result<PathBuf> {
        Ok(crate::config::data_dir()?
            .join("locks")
            .join(format!("{}+{}.lock", key.env, key.credential)))
    }
}

fn fail(what: &str, e: std::io::Error, p: &Path) -> AppError {
    AppError::store(format!("cannot {what} lock file {}: {e}", p.display()))
}

fn open(path: &Path) -> Result<File> {
    if let Some(dir) = path.parent() {
        crate::fsutil::create_private_dir(dir)
            .map_err(|e| fail("create the directory of", e, path))?;
    }
    let mut opts = OpenOptions::new();
    opts.create(true).truncate(false).read(true).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(path).map_err(|e| fail("open", e, path))
}

/// Blocks until this process holds the lock at `path` (the file store's own lock, held
/// only for a read-modify-write of a local file).
pub fn lock_path(path: &Path) -> Result<File> {
    let file = open(path)?;
    file.lock().map_err(|e| fail("take", e, path))?;
    Ok(file)
}
