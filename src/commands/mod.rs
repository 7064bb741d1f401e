//! One module per command family; `dispatch` and `run` are the only places that match on
//! commands.

mod api;
mod browser;
mod config_cmd;
mod confirm;
mod env;
mod exec;
pub(crate) mod hints;
mod login;
mod logout;
mod request;
mod status;
mod stdin;
mod token;
mod try_page;
mod view;

use crate::cli::{Cli, Command};
use crate::context::Context;
use crate::error::{AppError, Result};
use crate::output::Output;

/// The hot path's entry (see `fastpath`): the same code `gtx token get` runs via clap.
pub fn token_get(
    global: crate::cli::GlobalArgs,
    out: &Output,
    args: &crate::cli::TokenGetArgs,
) -> Result<()> {
    token::get(&Context::new(global, out)?, args)
}

/// Runs the command; its outcome is gtx's exit status (0, or `exec`'s command's).
pub fn dispatch(cli: Cli, out: &Output) -> Result<u8> {
    match cli.command {
        Command::Completions { shell } => out
            .data(&String::from_utf8_lossy(&crate::docs::completion(shell)))
            .map(|()| 0),
        Command::GenerateDocs { out_dir } => {
            let written = crate::docs::write_all(&out_dir).map_err(|e| {
                AppError::bug(format!("cannot write docs to {}: {e}", out_dir.display()))
            })?;
            out.status(&format!(
                "wrote {} files under {}",
                written.len(),
                out_dir.display()
            ));
            Ok(0)
        }
        command => run(Context::new(cli.global, out)?, command),
    }
}

/// A command that acts on the config or a profile, in the context it resolved.
fn run(ctx: Context, command: Command) -> Result<u8> {
    if uses_selection(&command) {
        // An unknown environment or bad credential name fails here, before any
        // store is opened (a keyring prompt for a typo helps nobody).
        ctx.env()?;
        ctx.credential()?;
    }
    let done = match command {
        Command::Exec(args) => return exec::run(&ctx, &args),
        Command::Env(cmd) => env::run(&ctx, cmd),
        Command::Config(cmd) => config_cmd::run(&ctx, cmd),
        Command::Status => status::run(&ctx),
        Command::Logout(args) => logout::run(&ctx, &args),
        Command::Token(cmd) => token::run(&ctx, cmd),
        Command::Login(args) => login::run(&ctx, &args),
        Command::Request(args) => request::run(&ctx, &args),
        Command::Try(args) => try_page::run(ctx, &args),
        Command::Api(cmd) => api::run(&ctx, cmd),
        Command::Completions { .. } | Command::GenerateDocs { .. } => {
            Err(AppError::bug("command dispatched twice"))
        }
    };
    done.map(|()| 0)
}

/// Commands that act on the selected profile. `env add|set|remove|use` name their own
/// environment and `config` is how a bad `default_env` gets fixed, so they are exempt.
fn uses_selection(command: &Command) -> bool {
    use crate::cli::EnvCommand;
    match command {
        Command::Env(EnvCommand::Show { name }) => name.is_none(),
        Command::Env(EnvCommand::List) => true,
        Command::Env(_) | Command::Config(_) => false,
        Command::Completions { .. } | Command::GenerateDocs { .. } => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Capture, Output};
    use clap::Parser;

    /// Runs `gtx ARGS` in this process against an empty config in `dir`, and returns what
    /// it printed.
    fn gtx(dir: &std::path::Path, args: &[&str]) -> (Result<()>, Capture) {
        let cli = Cli::try_parse_from(std::iter::once("gtx").chain(args.iter().copied()))
            .expect("the arguments parse");
        let (out, seen) = Output::captured(0);
        let ctx = Context {
            global: cli.global,
            config: crate::config::Config::load_from(dir.join("config.toml"))
                .expect("no config file is an empty config"),
            out,
            // An empty environment: nothing the test process has set reaches the command.
            vars: Box::leak(Box::new(crate::env_vars::EnvVars::of(std::iter::empty::<(
                &str,
                &str,
            )>()))),
        };
        (run(ctx, cli.command).map(|_| ()), seen)
    }

    #[test]
    fn a_command_runs_in_process_with_its_output_captured() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (done, seen) = gtx(dir.path(), &["env", "list", "--json"]);
        done.expect("env list");
        let listed: serde_json::Value =
            serde_json::from_str(&seen.stdout()).expect("one JSON document on stdout");
        let current: Vec<&str> = listed
            .as_array()
            .expect("a list")
            .iter()
            .filter(|e| e["current"] == true)
            .filter_map(|e| e["name"].as_str())
            .collect();
        assert_eq!(current, ["sandbox"]);
        assert_eq!(seen.stderr(), "");

        let (done, seen) = gtx(dir.path(), &["--env", "nowhere", "status"]);
        let err = done.expect_err("an unknown environment");
        assert_eq!(err.exit_code(), 3, "{}", err.message);
        assert_eq!(seen.stdout(), "", "nothing printed before the error");
    }
}
