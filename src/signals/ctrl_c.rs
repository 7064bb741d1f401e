//! Ctrl-C while gtx waits: caught from the moment a wait is announced (a Ctrl-C right
//! after a sign-in URL is printed still exits 130) until the wait is over, when SIGINT
//! does again what it did when gtx started (end gtx, or nothing for a caller that
//! ignores it). tokio installs its handler once per process and never again, so between
//! waits it is set aside and a later wait puts it back.

use super::interrupted;
use crate::error::{AppError, Result};
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// A wait for a person (a browser callback, a device approval) on the shared runtime,
/// with Ctrl-C caught for as long as it lives.
pub struct Waiter {
    runtime: &'static tokio::runtime::Runtime,
    #[cfg(unix)]
    signal: Option<tokio::signal::unix::Signal>,
}

impl Waiter {
    pub fn new() -> Result<Waiter> {
        let runtime = crate::runtime::shared()?;
        #[cfg(unix)]
        let signal = match sigint_ignored_by_caller() {
            true => None,
            false => {
                catch_sigint();
                let _guard = runtime.enter();
                let kind = tokio::signal::unix::SignalKind::interrupt();
                Some(tokio::signal::unix::signal(kind).map_err(|e| {
                    crate::runtime::starved(&e)
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

/// How many [`Catching`] values are alive: the last one to go restores Ctrl-C's default.
static LIVE: AtomicUsize = AtomicUsize::new(0);

/// Held by the HTTP client: waiting on the network, Ctrl-C is caught to exit 130
/// cleanly ([`ctrl_c`]); tokio's handler would stay installed for the rest of the
/// process, so once the last client is gone the default is restored, and a later wait (a
/// lock, a keyring prompt) is interruptible again.
pub struct Catching(());

impl Catching {
    pub fn new() -> Catching {
        // Before any wait installs tokio's handler, which would hide the caller's choice.
        sigint_ignored_by_caller();
        LIVE.fetch_add(1, Ordering::SeqCst);
        Catching(())
    }
}

impl Drop for Catching {
    fn drop(&mut self) {
        if LIVE.fetch_sub(1, Ordering::SeqCst) == 1 {
            restore_sigint();
        }
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

fn sigint_ignored_by_caller() -> bool {
    #[cfg(unix)]
    return super::ignored_by_caller(libc::SIGINT);
    #[cfg(not(unix))]
    false
}

/// tokio's handler, set aside by `restore_sigint`.
#[cfg(unix)]
static PARKED: std::sync::Mutex<Option<libc::sigaction>> = std::sync::Mutex::new(None);

/// After a wait: SIGINT does what it did when gtx started.
fn restore_sigint() {
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
