//! DPoP (RFC 9449; README, "DPoP-bound tokens"): against the emulator, which binds tokens
//! to the proof's key and takes a bound token only with a valid proof for that request
//! (signature, htm, htu without query, iat window, unused jti, ath, the bound key, nonces).

use crate::login_browser::setup;
use crate::support::browser::device_decider;
use crate::support::emulated::{CLIENT, SECRET, emulator};
use crate::support::{Emulator, Sandbox, json_ok, stderr_of, stdout_of};

fn stat(emu: &Emulator, k: &str) -> u64 {
    emu.stats()[k].as_u64().expect(k)
}

/// Environment `corp` (oauth2, dpop = true) on `emu`, signed in with client credentials.
fn signed_in(extra: &[&str]) -> (Sandbox, Emulator) {
    let sb = Sandbox::new();
    let emu = emulator(extra);
    let out = sb
        .gtx()
        .args(["env", "add", "corp", "--api-base", &emu.base_url])
        .args(["--token-url", "/oauth2/token", "--dpop", "true"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let out = login(&sb);
    assert!(out.status.success(), "{}", stderr_of(&out));
    (sb, emu)
}

fn login(sb: &Sandbox) -> std::process::Output {
    sb.gtx()
        .args(["login", "--env", "corp", "--client-credentials"])
        .args(["--client-id", CLIENT, "--client-secret-stdin"])
        .write_stdin(format!("{SECRET}\n"))
        .output()
        .expect("run")
}

fn request(sb: &Sandbox, path: &str) -> std::process::Output {
    sb.gtx()
        .args(["-vv", "request", "--env", "corp", path])
        .output()
        .expect("run")
}

#[test]
fn tokens_are_bound_to_the_profiles_key_and_every_request_carries_a_proof() {
    let (sb, emu) = signed_in(&[]);
    let show = json_ok(sb.gtx().args(["token", "show", "--env", "corp", "--json"]));
    assert_eq!(show["token_type"], "DPoP");
    let jkt = show["dpop_jkt"].as_str().expect("thumbprint").to_string();
    assert_eq!(jkt.len(), 43, "{jkt}");
    let text = stdout_of(&sb.gtx().args(["status"]).output().expect("run"));
    assert!(text.contains(&format!("DPoP key {jkt}")), "{text}");
    assert_eq!(stat(&emu, "dpop_proofs"), 1, "the token request's");
    // htu leaves the query out (the emulator compares it with the path alone), and a
    // same-origin redirect hop gets a proof of its own (a reused jti would be refused).
    let out = request(&sb, "/api/v1/orders?page=1#top");
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("Authorization: DPoP "),
        "{}",
        stderr_of(&out)
    );
    let out = request(&sb, "/api/v1/redirect?to=/api/v1/orders");
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(stat(&emu, "dpop_proofs"), 4);
    // A new token (token generate) stays bound to the same key.
    let out = sb
        .gtx()
        .args(["token", "generate", "--env", "corp"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let again = json_ok(sb.gtx().args(["token", "show", "--env", "corp", "--json"]));
    assert_eq!(again["dpop_jkt"], jkt.as_str());
    // The binding is real: the same token as a bearer token is refused.
    let token = stdout_of(
        &sb.gtx()
            .args(["token", "get", "--env", "corp"])
            .output()
            .expect("run"),
    );
    let code = curl(&[
        "-H",
        &format!("Authorization: Bearer {}", token.trim()),
        &format!("{}/api/v1/orders", emu.base_url),
    ]);
    assert_eq!(code.as_deref(), Some("401"));
}

/// curl's HTTP status for `args`, `None` where curl is missing.
fn curl(args: &[&str]) -> Option<String> {
    let out = std::process::Command::new("curl")
        .args([
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "--noproxy",
            "*",
        ])
        .args(args)
        .output()
        .ok()?;
    Some(stdout_of(&out))
}

#[test]
fn header_for_one_request_prints_both_lines_for_curl() {
    let (sb, emu) = signed_in(&[]);
    let out = sb
        .gtx()
        .args(["token", "get", "--env", "corp", "--header"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(2),
        "never a bearer header: {}",
        stderr_of(&out)
    );
    assert!(
        stderr_of(&out).contains("--for METHOD URL"),
        "{}",
        stderr_of(&out)
    );
    assert!(stdout_of(&out).is_empty());
    let url = format!("{}/api/v1/orders?x=1", emu.base_url);
    let out = sb
        .gtx()
        .args([
            "token", "get", "--env", "corp", "--header", "--for", "get", &url,
        ])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let lines = stdout_of(&out);
    let lines: Vec<&str> = lines.lines().collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("Authorization: DPoP "), "{lines:?}");
    assert!(lines[1].starts_with("DPoP: "), "{lines:?}");
    let file = sb.path().join("headers");
    std::fs::write(&file, lines.join("\n")).expect("write");
    let at = format!("@{}", file.display());
    if let Some(code) = curl(&["-H", &at, &url]) {
        assert_eq!(code, "200", "curl -H @file");
        // One proof, one request: the same lines again are a replay.
        assert_eq!(curl(&["-H", &at, &url]).as_deref(), Some("401"));
    }
    let out = sb
        .gtx()
        .args(["token", "get", "--env", "corp", "--header"])
        .args(["--for", "GET", "https://elsewhere.example/api"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
}

#[test]
fn exec_refuses_a_bound_token_and_says_what_works() {
    let (sb, _emu) = signed_in(&[]);
    let out = sb
        .gtx()
        .args(["exec", "--env", "corp", "--", "true"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains("DPoP-bound") && err.contains("gtx request"),
        "{err}"
    );
}

#[test]
fn a_nonce_challenge_is_answered_once_at_the_token_endpoint_and_the_api() {
    let (sb, emu) = signed_in(&["--dpop-nonce", "required"]);
    assert_eq!(stat(&emu, "dpop_nonce_challenges"), 1);
    let out = request(&sb, "/api/v1/orders");
    assert!(out.status.success(), "{}", stderr_of(&out));
    // A new process knows no nonce yet: one challenge, then the nonce is kept.
    assert_eq!(stat(&emu, "dpop_nonce_challenges"), 2);
    let out = request(&sb, "/api/v1/redirect?to=/api/v1/orders");
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(
        stat(&emu, "dpop_nonce_challenges"),
        3,
        "the second hop reused the nonce"
    );
}

#[test]
fn a_server_that_asks_for_a_nonce_twice_is_not_asked_a_third_time() {
    let sb = Sandbox::new();
    let emu = emulator(&["--dpop-nonce", "always"]);
    let out = sb
        .gtx()
        .args(["env", "add", "corp", "--api-base", &emu.base_url])
        .args(["--token-url", "/oauth2/token", "--dpop", "true"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let out = login(&sb);
    assert_eq!(out.status.code(), Some(6), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("DPoP nonce again"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(stat(&emu, "dpop_nonce_challenges"), 2);
    assert!(!sb.credentials_path().exists(), "nothing stored");
}

#[test]
fn a_refresh_proves_the_same_key() {
    // A device login gives a refresh token; the refresh carries a proof by the session's
    // key (the emulator refuses a bound refresh token without one).
    let (sb, emu) = setup(&["--device-interval", "1"]);
    sb.gtx()
        .args(["env", "set", "emu", "dpop", "true"])
        .assert()
        .success();
    let mut cmd = sb.std_gtx();
    cmd.args(["login", "--device", "--env", "emu"])
        .env("BROWSER", device_decider(&sb, "allow"));
    let out = cmd.output().expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let before = json_ok(sb.gtx().args(["token", "show", "--env", "emu", "--json"]));
    assert_eq!(before["token_type"], "DPoP");
    let v = json_ok(
        sb.gtx()
            .args(["token", "generate", "--env", "emu", "--json"]),
    );
    assert_eq!(v["source"], "refreshed");
    assert_eq!(v["token_type"], "DPoP");
    let after = json_ok(sb.gtx().args(["token", "show", "--env", "emu", "--json"]));
    assert_eq!(after["dpop_jkt"], before["dpop_jkt"]);
    assert!(stat(&emu, "dpop_proofs") >= 2);
}

#[test]
fn env_add_dpop_auto_follows_the_server() {
    let sb = Sandbox::new();
    let emu = emulator(&[]);
    let v = json_ok(sb.gtx().args([
        "env",
        "add",
        "corp",
        "--issuer",
        &emu.base_url,
        "--dpop",
        "auto",
        "--json",
    ]));
    assert_eq!(v["dpop"], true);
    let v = json_ok(
        sb.gtx()
            .args(["env", "add", "plain", "--issuer", &emu.base_url, "--json"]),
    );
    assert_eq!(v["dpop"], false, "not without being asked");
    let out = sb
        .gtx()
        .args([
            "env",
            "add",
            "x",
            "--api-base",
            &emu.base_url,
            "--dpop",
            "auto",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
}

/// The `DPoP-Nonce` values a hostile server may send (10 MB, over what a nonce needs,
/// control characters, not ASCII) and what gtx says when it was asked to use one: past
/// what the HTTP client reads of a head, or with bytes HTTP forbids in a header, the whole
/// answer is refused; otherwise gtx names the nonce it cannot use.
fn hostile_nonces() -> Vec<(&'static str, String, &'static str)> {
    vec![
        ("10 MB", "n".repeat(10 << 20), "head is too large"),
        (
            "64 KiB",
            "n".repeat(64 << 10),
            "gtx cannot use (65536 bytes",
        ),
        (
            "control characters",
            "nonce\x01\x1b[31mred".to_string(),
            "invalid HTTP header",
        ),
        (
            "not ASCII",
            "nonce-\u{e9}\u{202e}".to_string(),
            "gtx cannot use",
        ),
        ("a quote", "non\"ce".to_string(), "gtx cannot use"),
    ]
}

/// `corp` (oauth2, dpop = true) whose token endpoint is the canned server's `/token`.
fn canned_corp(canned: &crate::support::canned::Canned) -> Sandbox {
    let sb = Sandbox::new();
    let out = sb
        .gtx()
        .args(["env", "add", "corp", "--api-base", &canned.base_url])
        .args(["--token-url", "/token", "--dpop", "true"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    sb
}

fn assert_clean_failure(what: &str, out: &std::process::Output, nonce: &str) {
    let err = stderr_of(out);
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert!(err.len() < 4096, "{what}: {} bytes of stderr", err.len());
    assert!(
        !err.contains(&nonce[..nonce.len().min(64)]) || nonce.len() < 16,
        "{what}: {err}"
    );
    assert!(
        !err.contains('\x1b') && !err.contains('\x01'),
        "{what}: {err:?}"
    );
}

/// A token endpoint that asks for a nonce and gives one gtx cannot use: a clear error
/// (exit 6, a server failure) that says so, never a panic or the nonce in the terminal;
/// nothing is stored.
#[test]
fn a_hostile_nonce_from_the_token_endpoint_is_a_clear_error() {
    let canned = crate::support::canned::Canned::start();
    let sb = canned_corp(&canned);
    for (what, nonce, said) in hostile_nonces() {
        canned.with_headers(
            "/token",
            400,
            &format!("DPoP-Nonce: {nonce}\r\n"),
            r#"{"error":"use_dpop_nonce","error_description":"a nonce is required"}"#,
        );
        let out = login(&sb);
        assert_eq!(out.status.code(), Some(6), "{what}: {}", stderr_of(&out));
        assert_clean_failure(what, &out, &nonce);
        assert!(
            stderr_of(&out).contains(said),
            "{what}: {}",
            stderr_of(&out)
        );
        let stored = std::fs::read_to_string(sb.credentials_path()).unwrap_or_default();
        assert!(
            !stored.contains("nnnnnnnn") && !stored.contains("nonce"),
            "{what}: {stored}"
        );
    }
}

/// A token endpoint that grants the token and sends a hostile nonce with it: the token is
/// kept, the nonce is neither stored nor the cause of a failure.
#[test]
fn a_hostile_nonce_with_a_granted_token_is_ignored() {
    let canned = crate::support::canned::Canned::start();
    let sb = canned_corp(&canned);
    for (what, nonce, _) in hostile_nonces() {
        canned.with_headers(
            "/token",
            200,
            &format!("DPoP-Nonce: {nonce}\r\n"),
            r#"{"access_token":"at-granted-0123456789","token_type":"DPoP","expires_in":3600}"#,
        );
        let out = login(&sb);
        let err = stderr_of(&out);
        assert!(!err.contains("panicked"), "{what}: {err}");
        assert!(err.len() < 4096, "{what}: {} bytes of stderr", err.len());
        let stored = std::fs::read_to_string(sb.credentials_path()).unwrap_or_default();
        assert!(
            !stored.contains("nnnnnnnn") && !stored.contains("nonce"),
            "{what}: {stored}"
        );
        if out.status.success() {
            assert!(stored.contains("at-granted-0123456789"), "{what}: {stored}");
        } else {
            // An answer too large to read is a server failure.
            assert_eq!(out.status.code(), Some(6), "{what}: {err}");
        }
    }
}

/// A resource server that answers 401 use_dpop_nonce with a nonce gtx cannot use: a clear
/// error, not a second request with it and not a panic.
#[test]
fn a_hostile_nonce_from_the_api_is_a_clear_error() {
    let canned = crate::support::canned::Canned::start();
    let sb = canned_corp(&canned);
    canned.json(
        "/token",
        200,
        r#"{"access_token":"at-granted-0123456789","token_type":"DPoP","expires_in":3600}"#,
    );
    let out = login(&sb);
    assert!(out.status.success(), "{}", stderr_of(&out));
    for (what, nonce, said) in hostile_nonces() {
        canned.with_headers(
            "/api/v1/orders",
            401,
            &format!("WWW-Authenticate: DPoP error=\"use_dpop_nonce\"\r\nDPoP-Nonce: {nonce}\r\n"),
            r#"{"error":"use_dpop_nonce"}"#,
        );
        let out = sb
            .gtx()
            .args(["request", "--env", "corp", "/api/v1/orders"])
            .output()
            .expect("run");
        assert_clean_failure(what, &out, &nonce);
        assert_eq!(out.status.code(), Some(6), "{what}: {}", stderr_of(&out));
        assert!(
            stderr_of(&out).contains(said),
            "{what}: {}",
            stderr_of(&out)
        );
    }
}
