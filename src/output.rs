//! stdout carries data only; status, hints and verbose logs go to stderr. Colour (stderr
//! only) is decided once from `--no-color`, `NO_COLOR`, `TERM=dumb` and whether stderr is
//! a terminal.

use crate::sanitize::terminal_text;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU8, Ordering};

static VERBOSITY: AtomicU8 = AtomicU8::new(0);

pub fn init(verbose: u8, no_color: bool) {
    VERBOSITY.store(verbose, Ordering::Relaxed);
    let allowed = !no_color && !crate::env_vars::process().colour_refused();
    // `colored` styles what we print on stderr; stdout carries data and is never coloured.
    colored::control::set_override(allowed && std::io::stderr().is_terminal());
}

pub fn verbosity() -> u8 {
    VERBOSITY.load(Ordering::Relaxed)
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
    let line = terminal_text(line);
    let _ = writeln!(std::io::stderr(), "{} {line}", "gtx:".dimmed());
}

/// A status line for humans (stderr).
pub fn status(line: &str) {
    let _ = writeln!(std::io::stderr(), "{}", terminal_text(line));
}

pub fn success(line: &str) {
    use colored::Colorize;
    let line = terminal_text(line);
    let _ = writeln!(std::io::stderr(), "{} {line}", "✓".green());
}

pub fn warn(line: &str) {
    use colored::Colorize;
    let line = terminal_text(line);
    let _ = writeln!(std::io::stderr(), "{} {line}", "warning:".yellow().bold());
}

/// A text report for people on stdout (`env show`, `token show`, `status`): it quotes
/// server and config values, so control characters are escaped. Tokens and response
/// bodies go through [`data`] untouched.
pub fn text(report: &str) -> crate::error::Result<()> {
    data(&terminal_text(report))
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
        .map(crate::sanitize::json_text)
        .map_err(|e| crate::error::AppError::bug(format!("cannot encode JSON: {e}")))?;
    data(&format!("{text}\n"))
}
