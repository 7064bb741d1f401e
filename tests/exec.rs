//! `gtx exec -- CMD …`: the child's environment, stdio, exit codes, signals, and the
//! token's minimum lifetime. Every run is `-vv` and checked for tokens on stderr.

use crate::support::signed_in::SignedIn;
use crate::support::{Emulator, Sandbox, stderr_of, stdout_of};
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

#[test]
fn the_child_gets_token_type_api_base_and_env() {
    let s = SignedIn::new();
    let out = s.run(s.cmd(&[
        "exec",
        "--",
        "sh",
        "-c",
        r#"printf '%s\n' "$GTX_TOKEN" "$GTX_TOKEN_TYPE" "$GTX_API_BASE" "$GTX_ENV""#,
    ]));
    assert!(out.status.success(), "{}", stderr_of(&out));
    let lines: Vec<String> = stdout_of(&out).lines().map(str::to_string).collect();
    assert_eq!(
        lines,
        [
            s.token.clone(),
            "Bearer".into(),
            s.emu.base_url.clone(),
            "emu".into()
        ]
    );
}

#[test]
fn stdio_passes_through() {
    let s = SignedIn::new();
    let mut cmd = s.cmd(&["exec", "--", "sh", "-c", "cat; echo to-stderr >&2"]);
    cmd.write_stdin("line one\nline two\n");
    let out = s.run(cmd);
    assert!(out.status.success());
    assert_eq!(stdout_of(&out), "line one\nline two\n");
    assert!(stderr_of(&out).contains("to-stderr"));
}

#[test]
fn exit_codes_are_the_childs() {
    let s = SignedIn::new();
    for (script, code) in [
        ("exit 0", 0),
        ("exit 7", 7),
        ("exit 255", 255),
        ("kill -TERM $$", 143),
        ("kill -KILL $$", 137),
    ] {
        let out = s.run(s.cmd(&["exec", "--", "sh", "-c", script]));
        assert_eq!(
            out.status.code(),
            Some(code),
            "{script}: {}",
            stderr_of(&out)
        );
    }
}

#[test]
fn a_missing_command_exits_127() {
    let s = SignedIn::new();
    let out = s.run(s.cmd(&["exec", "--", "gtx-no-such-command-anywhere", "--flag"]));
    assert_eq!(out.status.code(), Some(127));
    assert!(
        stderr_of(&out).contains("gtx-no-such-command-anywhere"),
        "{}",
        stderr_of(&out)
    );
    let dir = s.sb.path().to_str().expect("utf8").to_string();
    let out = s.run(s.cmd(&["exec", "--", &dir]));
    assert_eq!(out.status.code(), Some(126), "found but not runnable");
}

/// A command that cannot run is an error like any other, reported by gtx's one error
/// printer: a name that would steer the terminal (here: retitle it) reaches it escaped.
#[test]
fn a_command_that_cannot_run_is_reported_escaped() {
    let s = SignedIn::new();
    let out = s.run(s.cmd(&["exec", "--", "gtx-no-such-\u{1b}]0;owned\u{7}-command"]));
    assert_eq!(out.status.code(), Some(127));
    let err = stderr_of(&out);
    assert!(err.contains("gtx: error: cannot run gtx-no-such-"), "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
}

/// One environment variable holds at most 128 KiB on Linux: a larger token cannot reach the
/// command as GTX_TOKEN, and the error says that is why, not only "Argument list too long".
#[cfg(target_os = "linux")]
#[test]
fn a_token_too_large_for_the_environment_is_named_as_the_cause() {
    let canned = crate::support::canned::Canned::start();
    let huge = format!("big-{}", "t".repeat(140 * 1024));
    canned.json(
        "/oauth2/token",
        200,
        &format!(r#"{{"access_token":"{huge}","token_type":"Bearer","expires_in":3600}}"#),
    );
    let sb = Sandbox::new();
    sb.gtx()
        .args(["env", "add", "big", "--api-base", &canned.base_url])
        .assert()
        .success();
    let out = sb
        .gtx()
        .env("GTX_CLIENT_ID", "app")
        .env("GTX_CLIENT_SECRET", "app-secret-0123456789")
        .args(["exec", "--env", "big", "--", "true"])
        .output()
        .expect("run");
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(126), "{err}");
    assert!(err.contains("Argument list too long"), "{err}");
    assert!(err.contains("128 KiB"), "{err}");
    assert!(!err.contains("tttttttt"), "no token on stderr: {err}");
}

/// Starts `gtx exec` on a child that traps `sig`, waits for it to be ready, sends `sig` to
/// gtx only, and returns gtx's exit code and output.
#[cfg(unix)]
fn forward(s: &SignedIn, sig: libc::c_int, name: &str) -> (Option<i32>, String) {
    let script = format!(
        "trap 'echo got-{name}; exit 42' {name}; echo ready $$; while :; do sleep 0.05; done"
    );
    let mut child =
        s.sb.std_gtx()
            .args(["-vv", "exec", "--", "sh", "-c", &script])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    out.read_line(&mut line).expect("ready line");
    let shell: libc::pid_t = line
        .strip_prefix("ready ")
        .and_then(|pid| pid.trim().parse().ok())
        .unwrap_or_else(|| panic!("ready line: {line:?}"));
    // SAFETY: sending a signal to our own child process.
    unsafe { libc::kill(child.id() as libc::pid_t, sig) };
    let started = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().expect("wait") {
            break st;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "gtx did not end"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    // A command that outlived gtx would hold stdout open (and run on): end it.
    // SAFETY: the shell is a grandchild of this test, by pid.
    unsafe { libc::kill(shell, libc::SIGKILL) };
    let mut rest = String::new();
    let _ = std::io::Read::read_to_string(&mut out, &mut rest);
    let mut err = String::new();
    let _ = std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut err);
    s.assert_no_token(&err);
    (status.code(), rest)
}

#[cfg(unix)]
#[test]
fn sigint_and_sigterm_are_forwarded() {
    let s = SignedIn::new();
    for (sig, name) in [(libc::SIGTERM, "TERM"), (libc::SIGINT, "INT")] {
        let (code, out) = forward(&s, sig, name);
        assert_eq!(code, Some(42), "{name}: gtx exits with the child's code");
        assert!(out.contains(&format!("got-{name}")), "{name}: {out}");
    }
}

/// A supervisor's `kill -HUP` or `kill -QUIT` to gtx alone reaches the command too: gtx
/// must not end and leave it running, orphaned, behind an exit code it did not choose.
#[cfg(unix)]
#[test]
fn sighup_and_sigquit_are_forwarded() {
    let s = SignedIn::new();
    for (sig, name) in [(libc::SIGHUP, "HUP"), (libc::SIGQUIT, "QUIT")] {
        let (code, out) = forward(&s, sig, name);
        assert_eq!(code, Some(42), "{name}: gtx exits with the child's code");
        assert!(out.contains(&format!("got-{name}")), "{name}: {out}");
    }
}

#[test]
fn min_ttl_renews_a_token_that_would_expire_too_soon() {
    let s = SignedIn::new();
    let before = s.emu.token_hits("oauth2");
    let out = s.run(s.cmd(&["exec", "--", "true"]));
    assert!(out.status.success());
    assert_eq!(
        s.emu.token_hits("oauth2"),
        before,
        "cached token lasts 1 h > 300 s"
    );
    let out = s.run(s.cmd(&[
        "exec",
        "--min-ttl",
        "7200",
        "--",
        "sh",
        "-c",
        "echo \"$GTX_TOKEN\"",
    ]));
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(
        s.emu.token_hits("oauth2"),
        before + 1,
        "renewed for --min-ttl"
    );
    assert_ne!(stdout_of(&out).trim(), s.token);
}

#[test]
fn gtx_token_is_passed_as_is() {
    let s = SignedIn::new();
    let mut cmd = s.cmd(&["exec", "--", "sh", "-c", "echo \"$GTX_TOKEN\""]);
    cmd.env("GTX_TOKEN", "sandbox_0123456789abcdef0123456789");
    let out = cmd.output().expect("run");
    assert!(out.status.success());
    assert_eq!(stdout_of(&out).trim(), "sandbox_0123456789abcdef0123456789");
    assert!(!stderr_of(&out).contains("0123456789abcdef"));
}

#[test]
fn without_a_session_it_exits_4_and_runs_nothing() {
    let sb = Sandbox::new();
    let emu = Emulator::start(&[]);
    sb.add_emulator_envs(&emu);
    let marker = sb.path().join("ran");
    let out = sb
        .gtx()
        .args(["-vv", "exec", "--env", "emu", "--", "touch"])
        .arg(&marker)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(4), "{}", stderr_of(&out));
    assert!(!marker.exists());
    let out = sb
        .gtx()
        .args(["exec", "--env", "emu"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "a command is required");
}

/// A shell that runs `gtx exec` in the background, or `trap '' TERM`, ignores SIGINT and
/// SIGTERM on purpose: the command must inherit that, as it would without gtx between.
#[cfg(target_os = "linux")]
#[test]
fn signals_ignored_by_the_caller_stay_ignored_for_the_command() {
    let s = SignedIn::new();
    // Cached, and renewed first (the network wait's Ctrl-C handling touches SIGINT).
    for ttl in ["60", "86400"] {
        ignored_for_the_command(&s, ttl);
    }
}

#[cfg(target_os = "linux")]
fn ignored_for_the_command(s: &SignedIn, min_ttl: &str) {
    use std::os::unix::process::CommandExt;
    let mut cmd = s.sb.std_gtx();
    cmd.args(["-vv", "exec", "--min-ttl", min_ttl, "--"]).args([
        "grep",
        "SigIgn",
        "/proc/self/status",
    ]);
    // SAFETY: signal(2) is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_IGN);
            libc::signal(libc::SIGTERM, libc::SIG_IGN);
            Ok(())
        });
    }
    let out = cmd.output().expect("run");
    s.assert_no_token(&stderr_of(&out));
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = stdout_of(&out);
    let mask = text
        .split_whitespace()
        .nth(1)
        .and_then(|h| u64::from_str_radix(h, 16).ok())
        .expect("SigIgn mask");
    for (sig, name) in [(libc::SIGINT, "INT"), (libc::SIGTERM, "TERM")] {
        assert!(
            mask & (1 << (sig - 1)) != 0,
            "SIG{name} not ignored (min-ttl {min_ttl}): {text}"
        );
    }
}

/// A command that cannot be run is reported, and the shell's code kept, even when nobody
/// reads stderr any more.
#[cfg(unix)]
#[test]
fn a_missing_command_exits_127_with_stderr_a_closed_pipe() {
    use std::os::unix::process::ExitStatusExt;
    let s = SignedIn::new();
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let out =
        s.sb.std_gtx()
            .args(["exec", "--", "/nonexistent/gtx-test-command"])
            .stderr(writer)
            .output()
            .expect("run");
    assert_eq!(out.status.signal(), None, "killed by a signal");
    assert_eq!(out.status.code(), Some(127));
}

/// gtx ignores SIGXFSZ for itself (a write past `ulimit -f` is an error it reports), but the
/// command starts with the caller's disposition: a limit meant to stop it still does.
#[cfg(target_os = "linux")]
#[test]
fn the_command_keeps_the_default_file_size_signal() {
    let s = SignedIn::new();
    let out = s.run(s.cmd(&["exec", "--", "grep", "SigIgn", "/proc/self/status"]));
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = stdout_of(&out);
    let mask = text
        .split_whitespace()
        .nth(1)
        .and_then(|h| u64::from_str_radix(h, 16).ok())
        .expect("SigIgn mask");
    assert_eq!(
        mask & (1 << (libc::SIGXFSZ - 1)),
        0,
        "SIGXFSZ ignored: {text}"
    );
}

/// `gtx exec` hands its command a token that is not renewed while it runs: a nested gtx
/// still uses it once it has expired (it is the command's, used as is), but says so on
/// stderr, naming the way out, instead of printing a dead token in silence.
#[test]
fn a_nested_gtx_says_when_the_exec_token_has_expired() {
    use base64::Engine;
    let s = SignedIn::new();
    let b64 = |v: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
    let expired = format!(
        "{}.{}.c2ln",
        b64(r#"{"alg":"HS256","typ":"JWT"}"#),
        b64(r#"{"exp":1000000,"sub":"x"}"#)
    );
    let mut cmd = s.cmd(&["token", "get"]);
    cmd.env("GTX_TOKEN", &expired).env("GTX_TOKEN_ENV", "emu");
    let out = s.run(cmd);
    let err = stderr_of(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(stdout_of(&out).trim(), expired);
    assert!(err.contains("GTX_TOKEN expired"), "{err}");
    assert!(err.contains("--min-ttl"), "{err}");
}
