//! Waiting for a person, interruptibly: a runtime with Ctrl-C caught from the moment the
//! wait is announced (a Ctrl-C right after the URL is printed still exits 130), until the
//! wait is over, when the default disposition comes back.

use crate::error::{AppError, Kind, Result};
use std::future::Future;
use std::time::Instant;

pub struct Waiter {
    runtime: tokio::runtime::Runtime,
    #[cfg(unix)]
    signal: tokio::signal::unix::Signal,
}

fn interrupted() -> AppError {
    AppError::new(Kind::Interrupted, "interrupted")
}

impl Waiter {
    pub fn new() -> Result<Waiter> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| AppError::bug(format!("cannot start the async runtime: {e}")))?;
        #[cfg(unix)]
        let signal = {
            let _guard = runtime.enter();
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
                .map_err(|e| AppError::bug(format!("cannot catch Ctrl-C: {e}")))?
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
                signal.recv().await;
            };
            #[cfg(not(unix))]
            let ctrl_c = async {
                let _ = tokio::signal::ctrl_c().await;
            };
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

/// tokio's Ctrl-C handler would outlive the wait; later waits must be interruptible.
pub fn restore_sigint() {
    #[cfg(unix)]
    // SAFETY: resetting a signal disposition to its default has no preconditions.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_DFL);
    }
}
