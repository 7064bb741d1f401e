//! Waiting for a person, interruptibly: a runtime with Ctrl-C caught from the moment the
//! wait is announced (a Ctrl-C right after the URL is printed still exits 130), until the
//! wait is over, when the caller's disposition comes back. A caller that started gtx with
//! SIGINT ignored (`nohup`, a background job of a script, `trap '' INT`) asked for no
//! interruption: then Ctrl-C is not caught at all and stays ignored.

use crate::error::{AppError, Kind, Result};
use std::future::Future;
use std::time::Instant;

pub struct Waiter {
    runtime: tokio::runtime::Runtime,
    #[cfg(unix)]
    signal: Option<tokio::signal::unix::Signal>,
}

fn interrupted() -> AppError {
    AppError::new(Kind::Interrupted, "interrupted")
}

impl Waiter {
    pub fn new() -> Result<Waiter> {
        let runtime = super::http::runtime()?;
        #[cfg(unix)]
        let signal = match sigint_ignored_by_caller() {
            true => None,
            false => {
                catch_sigint();
                let _guard = runtime.enter();
                let kind = tokio::signal::unix::SignalKind::interrupt();
                Some(tokio::signal::unix::signal(kind).map_err(|e| {
                    super::http::starved(&e)
                        .unwrap_or_else(|| AppError::bug(format!("cannot catch Ctrl-C: {e}")))
                })?)
            }
        };
        Ok(Waiter {
            runtime,
            #[cfg(unix)]
            signal,
        })
    }

    /// Runs `work` until it ends, `deadline` passes (`late` is the error) or Ctrl-C (130).
    pub fn until<T>(
        &mut self,
        work: impl Future<Output = Result<T>>,
        deadline: Instant,
        late: impl FnOnce() -> AppError,
    ) -> Result<T> {
        #[cfg(unix)]
        let signal = &mut self.signal;
        self.runtime.block_on(async {
            #[cfg(unix)]
            let ctrl_c = async {
                match signal {
                    Some(signal) => signal.recv().await,
                    None => std::future::pending().await,
                }
            };
            #[cfg(not(unix))]
            let ctrl_c = ctrl_c();
            tokio::select! {
                r = work => r,
                _ = tokio::time::sleep_until(deadline.into()) => Err(late()),
                _ = ctrl_c => Err(interrupted()),
            }
        })
    }
}

impl Drop for Waiter {
    fn drop(&mut self) {
        restore_sigint();
    }
}

/// Ctrl-C, unless the caller started gtx with SIGINT ignored (then never).
pub async fn ctrl_c() {
    if sigint_ignored_by_caller() {
        std::future::pending::<()>().await;
    }
    catch_sigint();
    let _ = tokio::signal::ctrl_c().await;
}

/// Whether SIGINT was ignored when gtx first looked, which is before any wait installed a
/// handler (`Http::with_trust` and `Waiter::new` ask first).
pub fn sigint_ignored_by_caller() -> bool {
    static IGNORED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *IGNORED.get_or_init(|| {
        #[cfg(unix)]
        // SAFETY: reads the current disposition only (a null new action).
        unsafe {
            let mut old: libc::sigaction = std::mem::zeroed();
            libc::sigaction(libc::SIGINT, std::ptr::null(), &mut old) == 0
                && old.sa_sigaction == libc::SIG_IGN
        }
        #[cfg(not(unix))]
        false
    })
}

/// tokio's handler, set aside by `restore_sigint`. tokio installs it once per process and
/// never again, so a later wait puts it back itself (`catch_sigint`).
#[cfg(unix)]
static PARKED: std::sync::Mutex<Option<libc::sigaction>> = std::sync::Mutex::new(None);

/// tokio's Ctrl-C handler would outlive the wait: after it, SIGINT does what it did when
/// gtx started (end gtx, or nothing for a caller that ignores it).
pub fn restore_sigint() {
    #[cfg(unix)]
    // SAFETY: swaps SIGINT's disposition for SIG_DFL or SIG_IGN and reads the old one into
    // a zeroed struct of the right type.
    unsafe {
        let mut was: libc::sigaction = std::mem::zeroed();
        was.sa_sigaction = match sigint_ignored_by_caller() {
            true => libc::SIG_IGN,
            false => libc::SIG_DFL,
        };
        let mut old: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(libc::SIGINT, &was, &mut old) == 0
            && old.sa_sigaction != libc::SIG_DFL
            && old.sa_sigaction != libc::SIG_IGN
        {
            let mut parked = PARKED.lock().unwrap_or_else(|p| p.into_inner());
            *parked = Some(old);
        }
    }
}

/// Before a wait: puts back the handler an earlier wait set aside (a no-op the first time,
/// when tokio installs its own; never for a caller that ignores SIGINT).
pub fn catch_sigint() {
    #[cfg(unix)]
    {
        if sigint_ignored_by_caller() {
            return;
        }
        let parked = PARKED.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(handler) = parked {
            // SAFETY: reinstalls the exact action tokio's signal registry installed.
            unsafe {
                libc::sigaction(libc::SIGINT, &handler, std::ptr::null_mut());
            }
        }
    }
}
