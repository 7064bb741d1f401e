//! gtx: tokens, sign-in and authenticated requests for the Giftronaut API.

pub mod cli;
mod commands;
mod config;
mod context;
pub mod docs;
mod env_vars;
mod error;
mod fastpath;
mod fix;
mod fsutil;
mod html;
mod jws;
mod listen;
mod oauth;
mod openapi;
mod output;
mod progress;
mod request;
mod runtime;
mod sanitize;
mod secret;
mod signals;
mod store;
mod time;
mod usage_error;

use std::io::Write;

const REPORT_URL: &str = "https://github.com/giftronaut/gtx/issues";

/// Parses the command line, runs the command and maps the outcome to an exit code.
pub fn run() -> std::process::ExitCode {
    std::process::ExitCode::from(run_code())
}

/// [`run`], returning the exit status as a number (for an entry point that is not Rust's).
pub fn run_code() -> u8 {
    signals::at_start();
    no_core_dumps();
    // Before any thread starts: the one read of the environment.
    let vars = env_vars::process();
    // A panic message could quote data that holds a secret: print only where it happened.
    // Written, not `eprintln!`ed: stderr may be a pipe nobody reads, and a failed
    // `eprintln!` panics (inside this hook: an abort).
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let _ = writeln!(
            std::io::stderr(),
            "gtx: internal error{place} (details withheld: they may contain secrets)\n\
             gtx: this is a bug; please report it at {REPORT_URL} with the command you ran"
        );
    }));
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some((global, args)) = fastpath::token_get(&argv, vars) {
        let out = output::Output::new(global.verbose, global.no_color);
        out.install_diagnostics();
        return finish(
            &out,
            std::panic::catch_unwind(|| commands::token_get(global, &out, &args).map(|()| 0)),
        );
    }
    // After the fast path, so a cached `token get` never pays for completion support.
    cli::complete::handle_request();
    let cli = match parse(&argv) {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e, &argv),
    };
    let out = output::Output::new(cli.global.verbose, cli.global.no_color);
    out.install_diagnostics();
    finish(
        &out,
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            commands::dispatch(cli, &out)
        })),
    )
}

/// Help and version are data on stdout: one that cannot be written fails as any other
/// output does (a closed pipe is no error, as for [`output::Output::data`]).
fn clap_exit(e: &clap::Error, argv: &[std::ffi::OsString]) -> u8 {
    use clap::error::ErrorKind;
    if !matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        // A usage error quotes what was typed, and what was typed may be a secret.
        let text = usage_error::scrubbed(e, argv);
        let _ = std::io::stderr().write_all(text.as_bytes());
        return 2;
    }
    let printed = e.print();
    match printed {
        Err(io) if io.kind() != std::io::ErrorKind::BrokenPipe => {
            let err =
                error::AppError::new(error::Kind::Output, format!("cannot write to stdout: {io}"));
            report(
                &output::Output::new(0, argv.iter().any(|a| a == "--no-color")),
                &err,
            );
            err.exit_code()
        }
        _ => 0,
    }
}

/// clap's own errors and help obey `--no-color` too (clap already honours `NO_COLOR`).
fn parse(argv: &[std::ffi::OsString]) -> Result<cli::Cli, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    let mut cmd = cli::Cli::command();
    if argv.iter().any(|a| a == "--no-color") {
        cmd = cmd.color(clap::ColorChoice::Never);
    }
    let matches = cmd.try_get_matches_from_mut(argv)?;
    cli::Cli::from_arg_matches(&matches).map_err(|e| e.format(&mut cmd))
}

/// A core dump of gtx would hold client secrets and tokens in the clear (an aborted login
/// once left one with the secret five times over).
fn no_core_dumps() {
    #[cfg(unix)]
    {
        let none = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: setrlimit reads the struct we pass and touches no other memory.
        let _ = unsafe { libc::setrlimit(libc::RLIMIT_CORE, &none) };
    }
}

/// The exit status: the command's own (0, or `exec`'s child's), or its error's.
fn finish(out: &output::Output, outcome: std::thread::Result<error::Result<u8>>) -> u8 {
    match outcome {
        Ok(Ok(code)) => code,
        Ok(Err(err)) => {
            report(out, &err);
            err.exit_code()
        }
        Err(_) => 1,
    }
}

/// The error on stderr; a stderr nobody reads any more does not change the exit code.
fn report(out: &output::Output, err: &error::AppError) {
    if err.kind == error::Kind::Interrupted {
        out.status("gtx: interrupted");
        return;
    }
    // Messages may quote server text or config values: nothing in them may steer the terminal.
    out.error(&commands::hints::message(err), &commands::hints::lines(err));
    if err.kind == error::Kind::Bug {
        out.status(&format!(
            "  this is a bug in gtx; please report it at {REPORT_URL} with the output of -vv"
        ));
    }
}

#[cfg(test)]
mod tests {
    /// The unwinder is linked statically (build.rs): a panic must still unwind to the
    /// catch in `run`, and exit 1 rather than abort.
    #[test]
    fn a_panic_is_caught_and_exits_1() {
        let outcome = std::panic::catch_unwind(|| -> super::error::Result<u8> { panic!("boom") });
        let (out, _) = super::output::Output::captured(0);
        assert_eq!(super::finish(&out, outcome), 1);
    }
}
