//! `gtx exec -- CMD ARGS…`: runs CMD with a token valid for at least `--min-ttl` in its
//! environment (never in its arguments, which `ps` shows), passes stdio through, forwards
//! SIGINT, SIGTERM, SIGHUP and SIGQUIT (`signals::Forwarding`), and exits as CMD did: its
//! status is this command's outcome, which the entry point turns into gtx's exit code.

use crate::cli::ExecArgs;
use crate::context::Context;
use crate::error::{AppError, Kind, Result};
use crate::oauth::pipeline::{self, Options};
use crate::vlog;

/// The exit status gtx ends with: the command's.
pub fn run(ctx: &Context, args: &ExecArgs) -> Result<u8> {
    let Some((program, rest)) = args.command.split_first() else {
        return Err(AppError::usage(
            "a command is required: gtx exec -- CMD ARGS…",
        ));
    };
    let forwarding = crate::signals::Forwarding::prepare();
    let env = ctx.env()?;
    let key = ctx.profile(&env)?;
    let opts = Options::cached(i64::try_from(args.min_ttl).unwrap_or(i64::MAX), None);
    let outcome = pipeline::get_for(ctx, &env, &key, &opts)?;
    if let Some(lost) = &outcome.unsaved {
        // The token works for this run; the command's exit code stays the command's own.
        ctx.out.warn(&super::hints::message(lost));
        for hint in super::hints::lines(lost) {
            ctx.out.warn(&hint);
        }
    }
    let session = outcome.session;
    // The child could use a DPoP-bound token only with the key, which never leaves the
    // store (handing it out would undo the binding).
    if crate::oauth::dpop::is_dpop(&session.token_type) {
        return Err(AppError::config(format!(
            "the token of {key} is DPoP-bound, and gtx exec does not hand it to a command: \
             it works only with a proof signed by a key that stays in gtx's store"
        ))
        .hint(format!(
            "send requests through gtx (gtx request --env {0} …), or get both headers for one \
             request: gtx token get --env {0} --header --for METHOD URL",
            env.name
        )));
    }
    let token_type = if session.token_type.eq_ignore_ascii_case("bearer") {
        "Bearer"
    } else {
        session.token_type.as_str()
    };
    let mut cmd = std::process::Command::new(program);
    cmd.args(rest)
        .env("GTX_TOKEN", session.access_token.expose())
        .env("GTX_TOKEN_TYPE", token_type)
        .env("GTX_API_BASE", &env.api_base)
        .env("GTX_ENV", &env.name)
        .env(crate::oauth::pipeline::TOKEN_ENV_VAR, &env.name)
        // A nested gtx selects this credential by default, and no other gets its token.
        .env(crate::env_vars::GTX_CREDENTIAL, &key.credential)
        .env(crate::env_vars::GTX_TOKEN_CREDENTIAL, &key.credential);
    vlog!(
        1,
        "running {} with GTX_TOKEN={}",
        program.to_string_lossy(),
        session.access_token.redacted()
    );
    forwarding.start();
    let shown = program.to_string_lossy();
    let mut child = cmd.spawn().map_err(|e| {
        // The shell's codes: 127 not found, 126 found but not runnable.
        let kind = match e.kind() {
            std::io::ErrorKind::NotFound => Kind::CommandNotFound,
            _ => Kind::CommandNotRunnable,
        };
        let err = AppError::new(kind, format!("cannot run {shown}: {e}"));
        match too_big_hint(&e, session.access_token.expose().len()) {
            Some(hint) => err.hint(hint),
            None => err,
        }
    })?;
    forwarding.child(child.id());
    let status = child
        .wait()
        .map_err(|e| AppError::bug(format!("cannot wait for {shown}: {e}")))?;
    Ok(exit_code(&status))
}

/// Linux's limit on one `NAME=value` string of a new program's environment (MAX_ARG_STRLEN).
const MAX_ENV_STRING: usize = 128 * 1024;

/// Why exec failed with E2BIG when the token alone is over the limit: a server-issued token
/// can be that large, and "Argument list too long" would point at the arguments.
fn too_big_hint(e: &std::io::Error, token_len: usize) -> Option<String> {
    (e.raw_os_error() == Some(libc::E2BIG) && "GTX_TOKEN=".len() + token_len >= MAX_ENV_STRING).then(|| {
        format!(
            "the token is {token_len} bytes, and one environment variable holds at most 128 KiB on Linux; pass it through a pipe instead, e.g. gtx token get --header | curl -H @- URL"
        )
    })
}

/// The child's code, or 128+N when signal N ended it (as shells report it).
fn exit_code(status: &std::process::ExitStatus) -> u8 {
    // An exit status is 8 bits wide on Unix, as `exit` truncated it before.
    let wide = |code: i32| (code & 0xff) as u8;
    if let Some(code) = status.code() {
        return wide(code);
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return wide(128 + sig);
        }
    }
    1
}
