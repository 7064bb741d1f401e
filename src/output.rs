//! stdout carries data only; status, hints and verbose logs go to stderr. Colour is
//! decided once, for stderr and stdout separately, from `--no-color`, `NO_COLOR`,
//! `TERM=dumb` and whether the stream is a terminal.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

static VERBOSITY: AtomicU8 = AtomicU8::new(0);
static STDOUT_COLOR: AtomicBool = AtomicBool::new(false);

pub fn init(verbose: u8, no_color: bool) {
    VERBOSITY.store(verbose, Ordering::Relaxed);
    let allowed = !no_color
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var("TERM").map_or(true, |t| t != "dumb");
    // `colored` styles what we print on stderr; stdout colour is only used for JSON.
    colored::control::set_override(allowed && std::io::stderr().is_terminal());
    STDOUT_COLOR.store(
        allowed && std::io::stdout().is_terminal(),
        Ordering::Relaxed,
    );
}

pub fn verbosity() -> u8 {
    VERBOSITY.load(Ordering::Relaxed)
}

pub fn stdout_color() -> bool {
    STDOUT_COLOR.load(Ordering::Relaxed)
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
    use colored::Colorize;
    let _ = writeln!(std::io::stderr(), "{} {line}", "gtx:".dimmed());
}

/// A status line for humans (stderr).
pub fn status(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

pub fn success(line: &str) {
    use colored::Colorize;
    let _ = writeln!(std::io::stderr(), "{} {line}", "✓".green());
}

pub fn warn(line: &str) {
    use colored::Colorize;
    let _ = writeln!(std::io::stderr(), "{} {line}", "warning:".yellow().bold());
}

/// Data on stdout. A closed pipe (`gtx … | head -c0`) is not an error worth reporting.
pub fn data(text: &str) -> crate::error::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(crate::error::AppError::new(
            crate::error::Kind::Output,
            format!("cannot write to stdout: {e}"),
        )),
    }
}

/// One JSON document on stdout, pretty-printed with a trailing newline.
pub fn json(value: &serde_json::Value) -> crate::error::Result<()> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| crate::error::AppError::bug(format!("cannot encode JSON: {e}")))?;
    data(&format!("{text}\n"))
}
