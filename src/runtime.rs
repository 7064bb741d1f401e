//! The process's one async runtime: a current-thread tokio runtime built the first time a
//! command needs the network or a wait, and shared by everything after (the HTTP client,
//! the waits for a person, the loopback and Try-It servers, whichever thread they run
//! on). A cached `gtx token get` never builds it.

use crate::error::{AppError, Kind, Result};
use std::sync::OnceLock;
use tokio::runtime::Runtime;

/// Descriptors the network side may hold at once: the runtime's poller and waker, tokio's
/// signal pipe, a connection, and the resolver's files and socket.
const FD_HEADROOM: usize = 12;

static SHARED: OnceLock<Runtime> = OnceLock::new();

/// The runtime, built on first use, once the process has the descriptors it will need
/// (checked on every call: a connection needs them as much as the runtime does).
pub fn shared() -> Result<&'static Runtime> {
    fd_headroom()?;
    if let Some(runtime) = SHARED.get() {
        return Ok(runtime);
    }
    let built = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            starved(&e)
                .unwrap_or_else(|| AppError::bug(format!("cannot start the async runtime: {e}")))
        })?;
    // Two threads may race here (unit tests); one runtime is kept, the other dropped.
    Ok(SHARED.get_or_init(|| built))
}

/// Checks that the process may open `FD_HEADROOM` more files: with fewer, tokio fails
/// deep inside (its signal set-up panics) instead of saying why.
fn fd_headroom() -> Result<()> {
    let mut held = Vec::with_capacity(FD_HEADROOM);
    for _ in 0..FD_HEADROOM {
        match std::fs::File::open(if cfg!(windows) { "NUL" } else { "/dev/null" }) {
            Ok(f) => held.push(f),
            Err(e) => return starved(&e).map_or(Ok(()), Err),
        }
    }
    Ok(())
}

/// An error for running out of file descriptors (EMFILE, ENFILE), else `None`.
pub fn starved(e: &std::io::Error) -> Option<AppError> {
    #[cfg(unix)]
    const LIMITS: [i32; 2] = [libc::EMFILE, libc::ENFILE];
    #[cfg(not(unix))]
    const LIMITS: [i32; 0] = [];
    let code = e.raw_os_error()?;
    LIMITS.contains(&code).then(|| {
        AppError::new(
            Kind::System,
            format!("too few file descriptors left for the network: {e}"),
        )
        .hint(format!(
            "raise the open-file limit (ulimit -n; gtx needs about {} free)",
            FD_HEADROOM + 4
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The HTTP client, the waits and the servers all get this one.
    #[test]
    fn the_runtime_is_built_once() {
        let first: *const Runtime = shared().expect("runtime");
        assert!(std::ptr::eq(first, shared().expect("runtime")));
    }

    #[cfg(unix)]
    #[test]
    fn only_running_out_of_descriptors_is_starvation() {
        for code in [libc::EMFILE, libc::ENFILE] {
            let e = starved(&std::io::Error::from_raw_os_error(code)).expect("starved");
            assert_eq!(e.kind, Kind::System);
            assert_eq!(e.exit_code(), 1);
            assert!(
                e.hints.iter().any(|h| h.contains("ulimit -n")),
                "{:?}",
                e.hints
            );
        }
        assert!(starved(&std::io::Error::from_raw_os_error(2)).is_none());
        assert!(starved(&std::io::Error::other("no code")).is_none());
        assert!(fd_headroom().is_ok());
    }
}
