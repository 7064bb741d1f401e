//! Atomic file writes: temp file in the same directory, fsync, rename, fsync the directory;
//! and opening a file to read without ever waiting on what sits at its path.

use std::fs::{self, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};

/// `path` opened for reading without blocking: a FIFO put where a file belongs would
/// otherwise hold the open (and the command, and any lock it holds) until something writes
/// to it. What a file that is not a regular one means is the caller's to say.
pub fn open_to_read(path: &Path) -> io::Result<fs::File> {
    let mut opts = OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    opts.custom_flags(libc::O_NONBLOCK);
    opts.open(path)
}

/// Creates `dir` and any missing parents as 0700. The mode given to mkdir is filtered by
/// the umask (077 gives 0700, 277 an unwritable 0500), so the directories this call
/// created get their mode set explicitly; existing ones are left as their owner set them.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let missing: Vec<&Path> = dir.ancestors().take_while(|d| !d.exists()).collect();
    #[cfg_attr(not(unix), allow(unused_mut))]
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    builder.mode(0o700);
    // Top-down, one at a time: each must be writable before its child is made in it.
    for d in missing.iter().rev() {
        match builder.create(d) {
            Ok(()) => {
                #[cfg(unix)]
                fs::set_permissions(d, fs::Permissions::from_mode(0o700))?;
            }
            // Another process made it first: it set the mode.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && d.is_dir() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

pub fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    Reserved::new(path, 0, mode)?.commit(bytes)
}

/// A temp file beside `path`, already holding `size` bytes on disk (written and fsynced),
/// so that a later `commit` rewrites blocks it owns instead of asking for new ones: the
/// save that follows a refresh-token rotation cannot fail for lack of space.
pub struct Reserved {
    target: std::path::PathBuf,
    tmp: std::path::PathBuf,
    file: Option<fs::File>,
}

impl Reserved {
    pub fn new(path: &Path, size: usize, mode: u32) -> io::Result<Reserved> {
        let mut reserved = Reserved::open(path, Some(mode))?;
        if size > 0 {
            let f = reserved.file()?;
            f.write_all(&vec![0u8; size])?;
            f.sync_all()?;
        }
        Ok(reserved)
    }

    /// An empty temp file beside `path` with the mode new files get (the umask applies),
    /// for callers that stream their bytes in through `file` and then `finish`.
    pub fn streaming(path: &Path) -> io::Result<Reserved> {
        Reserved::open(path, None)
    }

    fn open(path: &Path, mode: Option<u32>) -> io::Result<Reserved> {
        let dir = parent_dir(path);
        if !dir.exists() {
            if mode.is_some_and(|m| m & 0o077 == 0) {
                create_private_dir(dir)?;
            } else {
                fs::create_dir_all(dir)?;
            }
        }
        let tmp = dir.join(temp_name(path, std::process::id()));
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        if let Some(mode) = mode {
            opts.mode(mode);
        }
        let mut reserved = Reserved {
            target: path.to_path_buf(),
            tmp,
            file: None,
        };
        let f = opts.open(&reserved.tmp)?;
        // The umask may have narrowed the mode given to open: set it exactly.
        #[cfg(unix)]
        if let Some(mode) = mode {
            f.set_permissions(fs::Permissions::from_mode(mode))?;
        }
        reserved.file = Some(f);
        Ok(reserved)
    }

    /// Where the temp file is (until `finish` renames it).
    pub fn temp_path(&self) -> &Path {
        &self.tmp
    }

    /// The temp file, open for writing.
    pub fn file(&mut self) -> io::Result<&mut fs::File> {
        self.file
            .as_mut()
            .ok_or_else(|| io::Error::other("reservation already used"))
    }

    /// Rewrites the reserved file in place with `bytes`, then `finish`es.
    pub fn commit(mut self, bytes: &[u8]) -> io::Result<()> {
        let f = self.file()?;
        f.seek(SeekFrom::Start(0))?;
        f.write_all(bytes)?;
        f.set_len(bytes.len() as u64)?;
        self.finish()
    }

    /// Fsyncs what the temp file holds and renames it over the target. On failure the
    /// temp file is removed (it may hold secrets).
    pub fn finish(mut self) -> io::Result<()> {
        let Some(f) = self.file.take() else {
            return Err(io::Error::other("reservation already used"));
        };
        f.sync_all()?;
        drop(f);
        fs::rename(&self.tmp, &self.target)?;
        #[cfg(unix)]
        if let Ok(d) = fs::File::open(parent_dir(&self.target)) {
            let _ = d.sync_all();
        }
        self.tmp = std::path::PathBuf::new();
        Ok(())
    }
}

impl Drop for Reserved {
    fn drop(&mut self) {
        if !self.tmp.as_os_str().is_empty() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// The directory holding `path` (`.` for a bare file name).
pub fn parent_dir(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// `.NAME.PID.RANDOM.tmp`: the pid lets a later process tell a dead writer's leftovers.
fn temp_name(path: &Path, pid: u32) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let mut suffix = [0u8; 6];
    let _ = getrandom::fill(&mut suffix);
    let hex: String = suffix.iter().map(|b| format!("{b:02x}")).collect();
    format!(".{name}.{pid}.{hex}.tmp")
}

/// Removes temp files beside `path` left by processes that died between writing and
/// renaming (kill -9, power loss): they may hold secrets. Callers hold the lock that
/// serialises writers of `path`, so a live writer's file is never touched (its pid lives).
pub fn remove_stale_temps(path: &Path) -> io::Result<usize> {
    settle_stale_temps(path, |_| false).map(|s| s.removed)
}

/// What [`settle_stale_temps`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Settled {
    pub removed: usize,
    /// A save killed between its fsync and its rename was finished.
    pub finished: bool,
}

/// The largest temp file read to see whether it is a whole save.
const MAX_SETTLED: u64 = 16 * 1024 * 1024;

/// As [`remove_stale_temps`], but a dead writer's temp file that `whole` accepts and that
/// was written after `path` last changed is a save killed between its fsync and its
/// rename: after a refresh-token rotation it may hold the only live refresh token, so the
/// newest such file is renamed into place, finishing that save.
pub fn settle_stale_temps(path: &Path, whole: impl Fn(&[u8]) -> bool) -> io::Result<Settled> {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Ok(Settled::default());
    };
    let prefix = format!(".{name}.");
    let entries = match fs::read_dir(parent_dir(path)) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Settled::default()),
        Err(e) => return Err(e),
    };
    let mut stale = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file
            .strip_prefix(&prefix)
            .and_then(|r| r.strip_suffix(".tmp"))
        else {
            continue;
        };
        let pid = rest.split('.').next().and_then(|p| p.parse::<u32>().ok());
        if pid.is_none_or(|p| !alive(p)) {
            stale.push(entry.path());
        }
    }
    let changed = fs::metadata(path).and_then(|m| m.modified()).ok();
    let newest = stale
        .iter()
        .filter_map(|tmp| {
            let mut file = open_save(tmp)?;
            let written = file.metadata().and_then(|m| m.modified()).ok()?;
            if changed.is_some_and(|c| written <= c) {
                return None;
            }
            let bytes = read_capped(&mut file)?;
            // A save killed before `commit` cut it to length still ends in the zeros its
            // reservation wrote; no whole document ends in a NUL byte.
            let len = bytes.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
            whole(&bytes[..len]).then_some((written, len as u64, tmp))
        })
        .max()
        .map(|(_, len, tmp)| (tmp.clone(), len));
    let mut settled = Settled::default();
    if let Some((tmp, len)) = &newest
        && cut_to(tmp, *len).is_ok()
        && fs::rename(tmp, path).is_ok()
    {
        settled.finished = true;
    }
    let newest = newest.map(|(tmp, _)| tmp);
    for tmp in stale.iter().filter(|t| Some(*t) != newest.as_ref()) {
        if fs::remove_file(tmp).is_ok() {
            settled.removed += 1;
        }
    }
    Ok(settled)
}

/// `tmp` opened for reading if it can be a save of ours: a regular file (not a link to a
/// file elsewhere, not a FIFO, whose open would block with the lock held) that only its
/// owner may read, as every save is written; anything else is a leftover.
fn open_save(tmp: &Path) -> Option<fs::File> {
    let mut opts = OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    opts.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    let file = opts.open(tmp).ok()?;
    let meta = file.metadata().ok()?;
    #[cfg(unix)]
    if meta.permissions().mode() & 0o077 != 0 {
        return None;
    }
    meta.is_file().then_some(file)
}

/// Cuts a save found with padding after its document down to the document.
fn cut_to(tmp: &Path, len: u64) -> io::Result<()> {
    let mut opts = OpenOptions::new();
    opts.write(true);
    #[cfg(unix)]
    opts.custom_flags(libc::O_NOFOLLOW);
    let file = opts.open(tmp)?;
    if file.metadata()?.len() != len {
        file.set_len(len)?;
        file.sync_all()?;
    }
    Ok(())
}

fn read_capped(file: &mut fs::File) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    file.take(MAX_SETTLED + 1).read_to_end(&mut buf).ok()?;
    (buf.len() as u64 <= MAX_SETTLED).then_some(buf)
}

#[cfg(unix)]
fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(not(unix))]
fn alive(pid: u32) -> bool {
    pid == std::process::id()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_space_is_rewritten_in_place() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("creds.json");
        let r = Reserved::new(&path, 4096, 0o600).expect("reserve");
        let tmp = r.tmp.clone();
        assert_eq!(fs::metadata(&tmp).expect("tmp").len(), 4096);
        r.commit(b"{}").expect("commit");
        assert_eq!(fs::read(&path).expect("read"), b"{}");
        assert!(!tmp.exists());
    }

    #[test]
    fn a_dropped_reservation_leaves_no_temp_file() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("creds.json");
        drop(Reserved::new(&path, 10, 0o600).expect("reserve"));
        assert_eq!(fs::read_dir(dir.path()).expect("ls").count(), 0);
    }

    #[test]
    fn stale_temps_of_dead_processes_are_removed() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("creds.json");
        // pid_max on Linux is at most 2^22: this pid cannot be alive.
        let dead = dir.path().join(".creds.json.99999999.abcdef.tmp");
        let mine = dir
            .path()
            .join(format!(".creds.json.{}.abcdef.tmp", std::process::id()));
        let other = dir.path().join(".other.json.99999999.abcdef.tmp");
        for p in [&dead, &mine, &other] {
            fs::write(p, "secret").expect("write");
        }
        assert_eq!(remove_stale_temps(&path).expect("sweep"), 1);
        assert!(!dead.exists() && mine.exists() && other.exists());
    }

    #[test]
    fn the_newest_whole_save_newer_than_the_target_is_finished() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("creds.json");
        fs::write(&path, "old").expect("write");
        let at =
            |secs: u64| std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(secs);
        let stamp = |p: &Path, secs: u64| {
            fs::File::options()
                .write(true)
                .open(p)
                .expect("open")
                .set_modified(at(secs))
                .expect("mtime");
        };
        stamp(&path, 2_000);
        let temp = |n: u32, body: &str, secs: u64| {
            let p = dir.path().join(format!(".creds.json.99999999.{n}.tmp"));
            private_write(&p, body);
            stamp(&p, secs);
            p
        };
        temp(1, "whole-older", 1_000);
        temp(2, "whole-newer", 3_000);
        temp(3, "whole-newest", 4_000);
        temp(4, "part", 5_000);
        let whole = |b: &[u8]| b.starts_with(b"whole");
        let settled = settle_stale_temps(&path, whole).expect("settle");
        assert_eq!(
            settled,
            Settled {
                removed: 3,
                finished: true
            }
        );
        assert_eq!(fs::read(&path).expect("read"), b"whole-newest");
        assert_eq!(fs::read_dir(dir.path()).expect("ls").count(), 1);
    }

    /// As gtx writes its saves: 0600 whatever the umask.
    fn private_write(path: &Path, body: &str) {
        fs::write(path, body).expect("write");
        #[cfg(unix)]
        fs::set_permissions(path, fs::Permissions::from_mode(0o600)).expect("chmod");
    }

    /// A dead writer's "temp file" that is no save of gtx's (readable by others, a link to
    /// a file elsewhere) is never moved into place: it is removed as a leftover, and the
    /// target, its permissions and the link's target stay as they were.
    #[cfg(unix)]
    #[test]
    fn only_a_private_regular_file_is_finished() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("creds.json");
        private_write(&path, "old");
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000);
        fs::File::options()
            .write(true)
            .open(&path)
            .expect("open")
            .set_modified(old)
            .expect("mtime");
        let shared = dir.path().join(".creds.json.99999999.1.tmp");
        fs::write(&shared, "whole-shared").expect("write");
        fs::set_permissions(&shared, fs::Permissions::from_mode(0o644)).expect("chmod");
        let elsewhere = dir.path().join("elsewhere.json");
        private_write(&elsewhere, "whole-elsewhere");
        let link = dir.path().join(".creds.json.99999999.2.tmp");
        std::os::unix::fs::symlink(&elsewhere, &link).expect("symlink");
        let settled = settle_stale_temps(&path, |b| b.starts_with(b"whole")).expect("settle");
        assert_eq!(
            settled,
            Settled {
                removed: 2,
                finished: false
            }
        );
        assert_eq!(fs::read(&path).expect("read"), b"old");
        assert!(fs::symlink_metadata(&path).expect("meta").is_file());
        assert_eq!(
            fs::metadata(&path).expect("meta").permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(fs::read(&elsewhere).expect("kept"), b"whole-elsewhere");
    }

    /// A FIFO named like a temp file would block the open (with the store lock held, every
    /// other gtx would wait too): it is passed over and removed.
    #[cfg(unix)]
    #[test]
    fn a_fifo_named_like_a_temp_does_not_block() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("creds.json");
        let fifo = dir.path().join(".creds.json.99999999.3.tmp");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).expect("path");
        // SAFETY: a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(settle_stale_temps(&path, |_| true).map_err(|e| e.to_string()));
        });
        let settled = rx
            .recv_timeout(std::time::Duration::from_secs(5))
            .expect("the sweep blocked on the FIFO");
        assert_eq!(
            settled,
            Ok(Settled {
                removed: 1,
                finished: false
            })
        );
        assert!(!fifo.exists());
    }
}
