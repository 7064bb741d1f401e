//! One module per command family; `dispatch` is the only place that matches on commands.

mod api;
mod config_cmd;
mod confirm;
mod env;
mod exec;
pub(crate) mod hints;
mod login;
mod logout;
mod request;
mod status;
mod token;
mod try_page;

use crate::cli::{Cli, Command};
use crate::context::Context;
use crate::error::{AppError, Result};

/// The hot path's entry (see `fastpath`): the same code `gtx token get` runs via clap.
pub fn token_get(global: crate::cli::GlobalArgs, args: &crate::cli::TokenGetArgs) -> Result<()> {
    token::get(&Context::new(global)?, args)
}

/// Runs the command; its outcome is gtx's exit status (0, or `exec`'s command's).
pub fn dispatch(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Completions { shell } => {
            crate::output::data(&String::from_utf8_lossy(&crate::docs::completion(shell)))
                .map(|()| 0)
        }
        Command::GenerateDocs { out_dir } => {
            let written = crate::docs::write_all(&out_dir).map_err(|e| {
                AppError::bug(format!("cannot write docs to {}: {e}", out_dir.display()))
            })?;
            crate::output::status(&format!(
                "wrote {} files under {}",
                written.len(),
                out_dir.display()
            ));
            Ok(0)
        }
        command => {
            let ctx = Context::new(cli.global)?;
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
    }
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
