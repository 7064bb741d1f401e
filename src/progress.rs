//! Feedback while waiting: one spinner on stderr, shown only when stderr is a terminal and
//! only once a wait has lasted `DELAY`, so quick calls and scripts never see anything.
//! Every wait in gtx (a network call, another process's lock, a browser sign-in, a device
//! poll) uses this one type, so they all look and behave the same.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

/// Waits shorter than this show nothing.
pub const DELAY: Duration = Duration::from_millis(300);
const TICK: Duration = Duration::from_millis(100);

/// The spinner's thread is told only to stop; its message is fixed when it starts.
struct Stop;

/// A spinner that appears after `DELAY` and disappears (line cleared) when dropped.
/// Off a terminal it is inert: no thread, no output.
pub struct Spinner {
    worker: Option<(Sender<Stop>, JoinHandle<()>)>,
}

impl Spinner {
    /// `message` is shown beside the spinner ("minting a token at HOST…"); callers pass only
    /// text that is safe to show (no secrets; server strings escaped).
    pub fn start(message: impl Into<String>) -> Spinner {
        Spinner::start_after(message, DELAY)
    }

    pub fn start_after(message: impl Into<String>, delay: Duration) -> Spinner {
        Spinner::start_on(std::io::stderr().is_terminal(), message, delay)
    }

    /// `start_after` for a stderr that is (`terminal`) or is not a terminal.
    fn start_on(terminal: bool, message: impl Into<String>, delay: Duration) -> Spinner {
        if !terminal || crate::env_vars::process().no_spinner() {
            return Spinner::inert();
        }
        let (tx, rx) = mpsc::channel();
        let message = message.into();
        let handle = std::thread::spawn(move || run(rx, message, delay));
        Spinner {
            worker: Some((tx, handle)),
        }
    }

    /// A spinner that never shows (output that is not a terminal's).
    pub fn inert() -> Spinner {
        Spinner { worker: None }
    }

    pub fn is_active(&self) -> bool {
        self.worker.is_some()
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some((tx, handle)) = self.worker.take() {
            let _ = tx.send(Stop);
            let _ = handle.join();
        }
    }
}

fn run(rx: mpsc::Receiver<Stop>, message: String, delay: Duration) {
    // A stop before the delay ends it without drawing anything.
    match rx.recv_timeout(delay) {
        Ok(Stop) | Err(RecvTimeoutError::Disconnected) => return,
        Err(RecvTimeoutError::Timeout) => {}
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner:.cyan} {msg}") {
        bar.set_style(style);
    }
    bar.set_message(message);
    bar.enable_steady_tick(TICK);
    let _ = rx.recv();
    bar.finish_and_clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_a_terminal_it_is_inert() {
        // Not the test's own stderr: `cargo test` captures only what the print macros
        // write, so run from a terminal, fd 2 is that terminal.
        let s = Spinner::start_on(false, "waiting", DELAY);
        assert!(!s.is_active());
    }
}
