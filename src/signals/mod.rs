//! Every signal disposition gtx looks at or changes, in one place (docs/architecture.md,
//! "Signals"):
//! - SIGPIPE is ignored from the start: a closed pipe is a write error gtx reports;
//! - SIGXFSZ likewise: a write past the file-size limit (`ulimit -f`) fails with EFBIG,
//!   which gtx reports with its exit code instead of dying halfway through a save;
//! - Ctrl-C (SIGINT) is caught only while gtx waits on the network or for a person, and
//!   ends that wait with exit 130 ([`ctrl_c`], [`Waiter`], [`Catching`]);
//! - SIGTERM and SIGHUP first unlink a download's temporary file ([`UnlinkOnSignal`]);
//! - under `gtx exec`, SIGINT, SIGTERM, SIGHUP and SIGQUIT go to the child ([`Forwarding`]).
//!
//! A signal the caller started gtx with ignored (`nohup`, a background job of a script,
//! `trap '' INT`) asked for no interruption: none of the above catches it, and it stays
//! ignored for a child too.

mod child;
mod cleanup;
mod ctrl_c;

pub use child::Forwarding;
pub use cleanup::UnlinkOnSignal;
pub use ctrl_c::{Catching, Waiter, catch_sigint, ctrl_c};

use crate::error::{AppError, Kind};

/// What the entry point does first. std's own entry point does this too, which the gtx
/// executable skips on Linux with glibc (see main.rs).
pub fn at_start() {
    #[cfg(unix)]
    // SAFETY: installing SIG_IGN runs no code of ours in signal context.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
        let before = libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        XFSZ_IGNORED_BY_CALLER.store(before == libc::SIG_IGN, std::sync::atomic::Ordering::SeqCst);
    }
}

/// Whether SIGXFSZ was ignored before [`at_start`] ignored it, for `exec`'s command.
#[cfg(unix)]
static XFSZ_IGNORED_BY_CALLER: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Gives SIGXFSZ back the disposition the caller started gtx with: a command `exec` runs
/// inherits an ignored signal, and would otherwise outlive a file-size limit its caller
/// set to stop it.
#[cfg(unix)]
fn restore_file_size_signal() {
    if !XFSZ_IGNORED_BY_CALLER.load(std::sync::atomic::Ordering::SeqCst) {
        // SAFETY: setting a disposition to SIG_DFL has no preconditions.
        unsafe {
            libc::signal(libc::SIGXFSZ, libc::SIG_DFL);
        }
    }
}

/// The error a wait ended by Ctrl-C gives: exit 130, nothing half-written (a lock file
/// is released by the OS, and the store is written only after a complete answer).
pub fn interrupted() -> AppError {
    AppError::new(Kind::Interrupted, "interrupted")
}

/// The signals whose disposition at start gtx remembers.
#[cfg(unix)]
const WATCHED: [libc::c_int; 4] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];

/// Whether the caller started gtx with `sig` (SIGINT, SIGTERM, SIGHUP or SIGQUIT) ignored. Read
/// once, the first time anything asks, which is before gtx installs a handler for any of
/// them (the HTTP client, a wait, a download and `exec` all ask first).
#[cfg(unix)]
pub fn ignored_by_caller(sig: libc::c_int) -> bool {
    static IGNORED: std::sync::OnceLock<[bool; 4]> = std::sync::OnceLock::new();
    let ignored = IGNORED.get_or_init(|| {
        WATCHED.map(|sig| {
            // SAFETY: reads the current disposition only (a null new action).
            unsafe {
                let mut old: libc::sigaction = std::mem::zeroed();
                libc::sigaction(sig, std::ptr::null(), &mut old) == 0
                    && old.sa_sigaction == libc::SIG_IGN
            }
        })
    });
    WATCHED
        .iter()
        .position(|s| *s == sig)
        .is_some_and(|i| ignored[i])
}
