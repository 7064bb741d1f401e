//! `gtx login --client-credentials | --password | --with-token` and `gtx env add --issuer`,
//! against the emulator: how credentials enter, and what a refusal leaves behind.

use crate::support::stderr_of;
use crate::token::{CLIENT, SECRET, login_cc, login_password_with, setup};
use std::io::Write;
use std::process::Stdio;

#[test]
fn wrong_secret_exits_5_and_stores_nothing() {
    let (sb, emu) = setup(&[]);
    for env in ["emu", "emu-json", "emu-header"] {
        let out = login_cc(&sb, env, "wrong-secret-0123456789");
        assert_eq!(out.status.code(), Some(5), "{env}: {}", stderr_of(&out));
        assert!(!stderr_of(&out).contains("wrong-secret-0123456789"));
    }
    assert_eq!(emu.token_hits("oauth2"), 1, "a refusal is not retried");
    assert!(!sb.credentials_path().exists());
    let out = sb
        .gtx()
        .args(["token", "generate", "--env", "emu"])
        .env("GTX_CLIENT_ID", CLIENT)
        .env("GTX_CLIENT_SECRET", "wrong-secret-0123456789")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(5));
    assert!(
        stderr_of(&out).contains("invalid_client"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn basic_client_auth_works() {
    let (sb, emu) = setup(&[]);
    sb.gtx()
        .args(["env", "set", "emu", "client_auth", "basic"])
        .assert()
        .success();
    let out = login_cc(&sb, "emu", SECRET);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(emu.token_hits("oauth2"), 1);
}

#[test]
fn secrets_need_a_terminal_or_stdin() {
    let (sb, _emu) = setup(&[]);
    let out = sb
        .std_gtx()
        .args([
            "login",
            "--client-credentials",
            "--client-id",
            CLIENT,
            "--env",
            "emu",
        ])
        .stdin(Stdio::null())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("--client-secret-stdin"),
        "{}",
        stderr_of(&out)
    );
    let mut child = sb
        .std_gtx()
        .args(["login", "--with-token"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"   \n")
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn wrong_password_exits_5() {
    let (sb, emu) = setup(&[]);
    let out = login_password_with(&sb, "emu-json", "not-the-password-0123");
    assert_eq!(out.status.code(), Some(5), "{}", stderr_of(&out));
    assert!(!stderr_of(&out).contains("not-the-password-0123"));
    assert_eq!(emu.token_hits("oauth2-json"), 1);
    assert!(!sb.credentials_path().exists());
}

#[test]
fn issuer_discovery_fills_endpoints() {
    let (sb, emu) = setup(&[]);
    sb.gtx()
        .args(["env", "add", "disc", "--issuer", &emu.base_url])
        .assert()
        .success();
    let out = sb
        .gtx()
        .args(["env", "show", "disc", "--json"])
        .output()
        .expect("run");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["token_url"], format!("{}/oauth2/token", emu.base_url));
    assert_eq!(v["revoke_url"], format!("{}/oauth2/revoke", emu.base_url));
    assert_eq!(v["api_base"], emu.base_url);
}

fn paste(
    sb: &crate::support::Sandbox,
    env: &str,
    token: &str,
    extra: &[&str],
) -> std::process::Output {
    sb.gtx()
        .args(["login", "--with-token", "--env", env])
        .args(extra)
        .write_stdin(format!("{token}\n"))
        .output()
        .expect("run")
}

#[test]
fn with_token_asks_the_server_before_storing() {
    let (sb, _emu) = crate::login_browser::setup(&[]);
    let out = paste(&sb, "emu", "made-up-token-0123456789", &[]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("--no-verify"),
        "{}",
        stderr_of(&out)
    );
    assert!(!stderr_of(&out).contains("made-up-token-0123456789"));
    assert!(!sb.credentials_path().exists(), "nothing stored");
    let out = paste(&sb, "emu-header", "sandbox_made-up-0123456789", &[]);
    assert_eq!(
        out.status.code(),
        Some(5),
        "validate_url: {}",
        stderr_of(&out)
    );
    assert!(!sb.credentials_path().exists(), "nothing stored");

    let minted = sb
        .gtx()
        .args(["token", "generate", "--env", "emu", "--store", "memory"])
        .env("GTX_CLIENT_ID", "demo-client")
        .env("GTX_CLIENT_SECRET", "demo-secret")
        .output()
        .expect("run");
    assert!(minted.status.success(), "{}", stderr_of(&minted));
    let real = String::from_utf8_lossy(&minted.stdout).trim().to_string();
    let out = paste(&sb, "emu", &real, &[]);
    assert!(out.status.success(), "{}", stderr_of(&out));

    let out = paste(&sb, "emu", "made-up-token-0123456789", &["--no-verify"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let get = sb
        .gtx()
        .args(["token", "get", "--env", "emu"])
        .output()
        .expect("run");
    assert_eq!(
        String::from_utf8_lossy(&get.stdout).trim(),
        "made-up-token-0123456789"
    );
}

#[test]
fn with_token_refuses_a_malformed_jwt_without_a_server_check() {
    let (sb, _emu) = crate::login_browser::setup(&[]);
    let out = paste(&sb, "emu-json", "eyJhbGciOi.not-base64!.x", &[]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr_of(&out));
    assert!(!sb.credentials_path().exists(), "nothing stored");
    let out = paste(&sb, "emu-json", "opaque-portal-token-0123", &[]);
    assert!(
        out.status.success(),
        "an opaque token cannot be checked here: {}",
        stderr_of(&out)
    );
    assert!(stderr_of(&out).contains("no validate_url or introspect_url"));
}

/// Each network wait catches Ctrl-C while it lasts and gives SIGINT back after: the second
/// revocation of `logout --all` must catch it again (exit 130), not die by the signal.
#[cfg(unix)]
#[test]
fn ctrl_c_during_a_later_revocation_exits_130_and_keeps_what_was_not_removed() {
    use std::os::unix::process::ExitStatusExt;
    use std::time::{Duration, Instant};
    let (sb, emu) = setup(&[]);
    for cred in ["default", "second"] {
        let out = sb
            .gtx()
            .args(["login", "--client-credentials", "--client-secret-stdin"])
            .args(["--env", "emu", "--client-id", CLIENT, "--credential", cred])
            .write_stdin(format!("{SECRET}\n"))
            .output()
            .expect("run");
        assert!(out.status.success(), "{}", stderr_of(&out));
    }
    emu.faults(serde_json::json!({"delay_ms": 3000}));
    let before = emu.requests();
    let child = sb
        .std_gtx()
        .args(["logout", "--all", "--yes", "--env", "emu"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(20);
    while emu.requests() < before + 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    // SAFETY: signalling a child we spawned.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let out = child.wait_with_output().expect("wait");
    let err = stderr_of(&out);
    assert_eq!(out.status.signal(), None, "killed by the signal: {err}");
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(
        err.contains("revoked"),
        "the first revocation finished: {err}"
    );
    let left = String::from_utf8_lossy(
        &sb.gtx()
            .args(["status", "--env", "emu"])
            .output()
            .expect("run")
            .stdout,
    )
    .into_owned();
    assert!(
        left.contains("emu/"),
        "the profile being revoked is kept: {left}"
    );
}
