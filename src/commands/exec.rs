//! `gtx exec -- CMD ARGS…`: runs CMD with a token valid for at least `--min-ttl` in its
//! environment (never in its arguments, which `ps` shows), passes stdio through, forwards
//! SIGINT and SIGTERM, and exits as CMD did.

use crate::cli::ExecArgs;
use crate::context::Context;
use crate::error::{AppError, Result};
use crate::oauth::pipeline::{self, Options};
use crate::vlog;
use std::io::Write;

pub fn run(ctx: &Context, args: &ExecArgs) -> Result<()> {
    let Some((program, rest)) = args.command.split_first() else {
        return Err(AppError::usage(
            "a command is required: gtx exec -- CMD ARGS…",
        ));
    };
    // Before any network wait (whose Ctrl-C handling resets SIGINT) looks at them.
    let ignored = signals::ignored_now();
    let env = ctx.env()?;
    let key = ctx.profile(&env)?;
    let opts = Options::cached(i64::try_from(args.min_ttl).unwrap_or(i64::MAX), None);
    let outcome = pipeline::get_for(ctx, &env, &key, &opts)?;
    if let Some(lost) = &outcome.unsaved {
        // The token works for this run; the command's exit code stays the command's own.
        ctx.out.warn(&lost.message);
        for hint in &lost.hints {
            ctx.out.warn(hint);
        }
    }
    let session = outcome.session;
    // The child could use a DPoP-bound token only with the key, which never leaves the
    // store (handing it out would undo the binding).
    if crate::oauth::client_auth::dpop::is_dpop(&session.token_type) {
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
        .env(crate::oauth::pipeline::TOKEN_ENV_VAR, &env.name);
    vlog!(
        1,
        "running {} with GTX_TOKEN={}",
        program.to_string_lossy(),
        session.access_token.redacted()
    );
    signals::forward_from_now(ignored);
    let shown = program.to_string_lossy();
    let mut child = match cmd.spawn() {
        Ok(child) => child,
        Err(e) => {
            // The shell's codes: 127 not found, 126 found but not runnable.
            let code = if e.kind() == std::io::ErrorKind::NotFound {
                127
            } else {
                126
            };
            // Not `eprintln!`: it would panic on a stderr nobody reads, losing the code.
            let mut stderr = std::io::stderr();
            let _ = writeln!(stderr, "gtx: error: cannot run {shown}: {e}");
            if let Some(hint) = too_big_hint(&e, session.access_token.expose().len()) {
                let _ = writeln!(stderr, "  hint: {hint}");
            }
            std::process::exit(code);
        }
    };
    signals::set_child(child.id());
    let status = child
        .wait()
        .map_err(|e| AppError::bug(format!("cannot wait for {shown}: {e}")))?;
    std::process::exit(exit_code(&status));
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
fn exit_code(status: &std::process::ExitStatus) -> i32 {
    if let Some(code) = status.code() {
        return code;
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return 128 + sig;
        }
    }
    1
}

#[cfg(unix)]
mod signals {
    use std::sync::atomic::{AtomicI32, Ordering};

    static CHILD: AtomicI32 = AtomicI32::new(0);
    /// A signal that arrived between spawning the child and learning its pid.
    static PENDING: AtomicI32 = AtomicI32::new(0);

    extern "C" fn forward(sig: libc::c_int, info: *mut libc::siginfo_t, _: *mut libc::c_void) {
        // A terminal's Ctrl-C (sent by the kernel, si_code > 0) reaches the child directly,
        // being in the same process group: forward only what `kill` sent to gtx alone.
        // SAFETY: the kernel passes a valid siginfo_t with SA_SIGINFO.
        let from_kernel = !info.is_null() && unsafe { (*info).si_code } > 0;
        if from_kernel {
            return;
        }
        let pid = CHILD.load(Ordering::SeqCst);
        if pid > 0 {
            // SAFETY: kill(2) is async-signal-safe.
            unsafe {
                libc::kill(pid, sig);
            }
        } else {
            PENDING.store(sig, Ordering::SeqCst);
        }
    }

    const FORWARDED: [libc::c_int; 2] = [libc::SIGINT, libc::SIGTERM];

    /// Which of SIGINT and SIGTERM the caller ignores (a background job of a script,
    /// `trap '' TERM`): those stay ignored, for gtx and the child alike.
    pub fn ignored_now() -> [bool; 2] {
        FORWARDED.map(|sig| {
            // SAFETY: reads the current disposition only (a null new action).
            unsafe {
                let mut old: libc::sigaction = std::mem::zeroed();
                libc::sigaction(sig, std::ptr::null(), &mut old) == 0
                    && old.sa_sigaction == libc::SIG_IGN
            }
        })
    }

    /// From here on SIGINT and SIGTERM no longer end gtx: they go to the child, and gtx
    /// ends when it does. The child starts with default handlers, or ignores what the
    /// caller ignored.
    pub fn forward_from_now(ignored: [bool; 2]) {
        for (sig, ignored) in FORWARDED.into_iter().zip(ignored) {
            if ignored {
                // SAFETY: setting a disposition to SIG_IGN has no preconditions.
                unsafe {
                    libc::signal(sig, libc::SIG_IGN);
                }
                continue;
            }
            // SAFETY: installs a handler that only reads an atomic and calls kill(2).
            unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = forward as *const () as libc::sighandler_t;
                action.sa_flags = libc::SA_RESTART | libc::SA_SIGINFO;
                libc::sigemptyset(&mut action.sa_mask);
                libc::sigaction(sig, &action, std::ptr::null_mut());
            }
        }
    }

    pub fn set_child(pid: u32) {
        let pid = i32::try_from(pid).unwrap_or(0);
        CHILD.store(pid, Ordering::SeqCst);
        let sig = PENDING.swap(0, Ordering::SeqCst);
        if sig != 0 && pid > 0 {
            // SAFETY: signalling our own child.
            unsafe {
                libc::kill(pid, sig);
            }
        }
    }
}

#[cfg(not(unix))]
mod signals {
    pub fn ignored_now() -> [bool; 2] {
        [false; 2]
    }
    pub fn forward_from_now(_ignored: [bool; 2]) {}
    pub fn set_child(_pid: u32) {}
}
