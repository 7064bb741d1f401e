//! stdout carries data only; status, hints and verbose logs go to stderr. Colour (stderr
//! only) is decided once from `--no-color`, `NO_COLOR`, `TERM=dumb` and whether stderr is
//! a terminal.
//!
//! What a command says goes through an [`Output`] built once by the entry point and handed
//! to the command, so a test can run a command in-process and read what it printed
//! ([`Output::captured`]). The verbose diagnostics of `vlog!` come from layers that hold no
//! `Output` (the HTTP client, the stores, the config reader): like a logger's level, their
//! level is the one process-wide setting, installed from the `Output` by the entry point.

use crate::progress::Spinner;
use crate::sanitize::terminal_text;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU8, Ordering};
#[cfg(test)]
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// Where a layer below the commands says a warning as soon as it applies: its own words, or
/// a way out ([`Fix`](crate::fix::Fix)) that only the command edge words
/// (docs/architecture.md, "Errors"). `commands::hints::Warnings` is the one the commands pass.
pub trait Warn {
    fn text(&self, line: &str);
    fn fix(&self, fix: &crate::fix::Fix);
}

/// Where a command's output goes, how verbose it is and whether stderr is coloured.
#[derive(Clone)]
pub struct Output {
    verbosity: u8,
    colour: bool,
    sink: Sink,
}

#[derive(Clone)]
enum Sink {
    Std,
    #[cfg(test)]
    Captured(Arc<Mutex<Streams>>),
}

#[cfg(test)]
#[derive(Default)]
struct Streams {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// What a captured [`Output`] received.
#[cfg(test)]
pub struct Capture(Arc<Mutex<Streams>>);

#[cfg(test)]
impl Capture {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&lock(&self.0).stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&lock(&self.0).stderr).into_owned()
    }
}

#[cfg(test)]
fn lock(streams: &Mutex<Streams>) -> MutexGuard<'_, Streams> {
    streams
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

const RED_BOLD: &str = "1;31";
const YELLOW_BOLD: &str = "1;33";
const GREEN: &str = "32";
const CYAN: &str = "36";
const DIM: &str = "2";

impl Output {
    /// The process's own stdout and stderr.
    pub fn new(verbosity: u8, no_color: bool) -> Output {
        let allowed = !no_color && !crate::env_vars::process().colour_refused();
        Output {
            verbosity,
            // Only stderr is styled; stdout carries data and is never coloured.
            colour: allowed && std::io::stderr().is_terminal(),
            sink: Sink::Std,
        }
    }

    /// Output kept in memory, never coloured, for a test to read.
    #[cfg(test)]
    pub fn captured(verbosity: u8) -> (Output, Capture) {
        let streams = Arc::new(Mutex::new(Streams::default()));
        let out = Output {
            verbosity,
            colour: false,
            sink: Sink::Captured(streams.clone()),
        };
        (out, Capture(streams))
    }

    /// Makes this output's verbosity and colour those of `vlog!` (once, at start).
    pub fn install_diagnostics(&self) {
        DIAGNOSTICS.store(
            self.verbosity.min(0x7f) | if self.colour { 0x80 } else { 0 },
            Ordering::Relaxed,
        );
    }

    /// `text` in the SGR style `code` when colour is on.
    fn paint(&self, text: &str, code: &str) -> String {
        paint(self.colour, text, code)
    }

    fn stderr_line(&self, line: &str) {
        match &self.sink {
            // A stderr nobody reads any more is no reason to fail.
            Sink::Std => {
                let _ = writeln!(std::io::stderr(), "{line}");
            }
            #[cfg(test)]
            Sink::Captured(s) => {
                let mut s = lock(s);
                s.stderr.extend_from_slice(line.as_bytes());
                s.stderr.push(b'\n');
            }
        }
    }

    /// A status line for humans (stderr).
    pub fn status(&self, line: &str) {
        self.stderr_line(&terminal_text(line));
    }

    pub fn success(&self, line: &str) {
        let line = terminal_text(line);
        self.stderr_line(&format!("{} {line}", self.paint("✓", GREEN)));
    }

    pub fn warn(&self, line: &str) {
        let line = terminal_text(line);
        self.stderr_line(&format!("{} {line}", self.paint("warning:", YELLOW_BOLD)));
    }

    /// An error's one line and its hints, as the entry point reports a failed command.
    pub fn error(&self, message: &str, hints: &[String]) {
        // Messages may quote server text or config values: nothing in them may steer the
        // terminal.
        let message = terminal_text(message);
        self.stderr_line(&format!(
            "{} {message}",
            self.paint("gtx: error:", RED_BOLD)
        ));
        for hint in hints {
            self.stderr_line(&format!(
                "  {} {}",
                self.paint("hint:", CYAN),
                terminal_text(hint)
            ));
        }
    }

    /// A text report for people on stdout (`env show`, `token show`, `status`): it quotes
    /// server and config values, so control characters are escaped. Tokens and response
    /// bodies go through [`Output::data`] untouched.
    pub fn text(&self, report: &str) -> crate::error::Result<()> {
        self.data(&terminal_text(report))
    }

    /// Data on stdout. A closed pipe (`gtx … | head -c0`) is not an error worth reporting.
    pub fn data(&self, text: &str) -> crate::error::Result<()> {
        let written = match &self.sink {
            Sink::Std => {
                let mut out = std::io::stdout().lock();
                out.write_all(text.as_bytes()).and_then(|_| out.flush())
            }
            #[cfg(test)]
            Sink::Captured(s) => {
                lock(s).stdout.extend_from_slice(text.as_bytes());
                Ok(())
            }
        };
        match written {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Err(e) => Err(crate::error::AppError::new(
                crate::error::Kind::Output,
                format!("cannot write to stdout: {e}"),
            )),
        }
    }

    /// One JSON document on stdout, pretty-printed with a trailing newline.
    pub fn json(&self, value: &serde_json::Value) -> crate::error::Result<()> {
        let text = serde_json::to_string_pretty(value)
            .map(crate::sanitize::json_text)
            .map_err(|e| crate::error::AppError::bug(format!("cannot encode JSON: {e}")))?;
        self.data(&format!("{text}\n"))
    }

    /// A spinner beside `message` once a wait has lasted `progress::DELAY`.
    pub fn spinner(&self, message: impl Into<String>) -> Spinner {
        self.spinner_after(message, crate::progress::DELAY)
    }

    /// A spinner after `delay`; captured output never shows one.
    pub fn spinner_after(&self, message: impl Into<String>, delay: Duration) -> Spinner {
        match self.sink {
            Sink::Std => Spinner::start_after(message, delay),
            #[cfg(test)]
            Sink::Captured(_) => Spinner::inert(),
        }
    }

    /// Whether progress is drawn (spinners, a download's bar): only on a terminal's stderr,
    /// and not with GTX_NO_SPINNER.
    pub fn animates(&self) -> bool {
        match self.sink {
            Sink::Std => {
                std::io::stderr().is_terminal() && !crate::env_vars::process().no_spinner()
            }
            #[cfg(test)]
            Sink::Captured(_) => false,
        }
    }

    /// Says that a wait has begun: a spinner at a terminal, else one plain status line.
    pub fn waiting(&self, message: &str) -> Spinner {
        let spinner = self.spinner_after(message, Duration::ZERO);
        if !spinner.is_active() {
            self.status(message);
        }
        spinner
    }
}

fn paint(colour: bool, text: &str, code: &str) -> String {
    match colour {
        true => format!("\x1b[{code}m{text}\x1b[0m"),
        false => text.to_string(),
    }
}

/// `vlog!`'s level (low 7 bits) and colour (high bit), from [`Output::install_diagnostics`].
static DIAGNOSTICS: AtomicU8 = AtomicU8::new(0);

/// The level `vlog!` shows up to.
pub fn verbosity() -> u8 {
    DIAGNOSTICS.load(Ordering::Relaxed) & 0x7f
}

/// A verbose line on stderr, shown from `level` up. Callers pass only redacted values.
#[macro_export]
macro_rules! vlog {
    ($level:expr, $($arg:tt)*) => {
        if $crate::output::verbosity() >= $level {
            $crate::output::log_line(&format!($($arg)*));
        }
    };
}

pub fn log_line(line: &str) {
    let colour = DIAGNOSTICS.load(Ordering::Relaxed) & 0x80 != 0;
    let line = terminal_text(line);
    let _ = writeln!(std::io::stderr(), "{} {line}", paint(colour, "gtx:", DIM));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captured_output_keeps_stdout_and_stderr_apart() {
        let (out, seen) = Output::captured(1);
        out.data("token\n").expect("data");
        out.warn("careful\u{1b}[31m");
        out.success("done");
        assert_eq!(seen.stdout(), "token\n");
        assert_eq!(
            seen.stderr(),
            "warning: careful\\u{1b}[31m\n✓ done\n",
            "escaped and uncoloured"
        );
        assert!(!out.waiting("waiting…").is_active());
    }

    #[test]
    fn colour_is_the_sgr_colored_wrote() {
        assert_eq!(
            paint(true, "warning:", YELLOW_BOLD),
            "\x1b[1;33mwarning:\x1b[0m"
        );
        assert_eq!(paint(false, "warning:", YELLOW_BOLD), "warning:");
    }
}
