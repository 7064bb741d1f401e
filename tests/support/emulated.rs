//! Fixtures shared by the token-core test files: the emulator with known clients, users
//! and domains, four environments on it, and the usual sign-ins.

use super::{Emulator, Sandbox, stderr_of, stdout_of};

pub const CLIENT: &str = "demo-client";
pub const SECRET: &str = "demo-secret-0123456789";
pub const HEADER_SECRET: &str = "demo-header-secret-0123";
pub const LIVE_SECRET: &str = "live-header-secret-0123";
pub const USER: &str = "demo";
pub const PASSWORD: &str = "demo-password-0123";

pub fn emulator(extra: &[&str]) -> Emulator {
    let client = format!("{CLIENT}:{SECRET}");
    let user = format!("{USER}:{PASSWORD}");
    let sandbox = format!("shop.example.com:{HEADER_SECRET}:sandbox_");
    let live = format!("shop.example.com:{LIVE_SECRET}:live_");
    let mut args = vec![
        "--client", &client, "--user", &user, "--domain", &sandbox, "--domain", &live,
    ];
    args.extend_from_slice(extra);
    Emulator::start(&args)
}

/// Four environments on one emulator: oauth2, oauth2-json, and header-token twice
/// (sandbox_ and live_ prefixes).
pub fn setup(extra: &[&str]) -> (Sandbox, Emulator) {
    let sb = Sandbox::new();
    let emu = emulator(extra);
    let base = emu.base_url.clone();
    let add = |args: &[&str]| {
        let out = sb
            .gtx()
            .args(["env", "add"])
            .args(args)
            .output()
            .expect("run");
        assert!(out.status.success(), "{}", stderr_of(&out));
    };
    add(&[
        "emu",
        "--api-base",
        &base,
        "--token-url",
        "/oauth2/token",
        "--authorize-url",
        "/oauth2/authorize",
        "--introspect-url",
        "/oauth2/introspect",
        "--revoke-url",
        "/oauth2/revoke",
        "--scopes",
        "orders.read orders.write",
    ]);
    add(&[
        "emu-json",
        "--api-base",
        &base,
        "--dialect",
        "oauth2-json",
        "--token-url",
        "/api/oauth/token",
    ]);
    add(&[
        "emu-header",
        "--api-base",
        &base,
        "--dialect",
        "header-token",
        "--token-url",
        "/api/v1/auth/token",
        "--validate-url",
        "/api/v1/auth/validate",
        "--token-prefix",
        "sandbox_",
    ]);
    add(&[
        "emu-live",
        "--api-base",
        &base,
        "--dialect",
        "header-token",
        "--token-url",
        "/api/v1/auth/token",
        "--validate-url",
        "/api/v1/auth/validate",
        "--token-prefix",
        "live_",
    ]);
    (sb, emu)
}

pub fn login_cc(sb: &Sandbox, env: &str, secret: &str) -> std::process::Output {
    let mut cmd = sb.gtx();
    cmd.args([
        "login",
        "--client-credentials",
        "--client-secret-stdin",
        "--env",
        env,
    ]);
    if env.starts_with("emu-header") || env == "emu-live" {
        cmd.args(["--domain", "shop.example.com"]);
    } else {
        cmd.args(["--client-id", CLIENT]);
    }
    cmd.write_stdin(format!("{secret}\n"))
        .output()
        .expect("run")
}

pub fn login_password_with(sb: &Sandbox, env: &str, password: &str) -> std::process::Output {
    sb.gtx()
        .args([
            "login",
            "--password",
            "--username",
            USER,
            "--password-stdin",
            "--env",
            env,
        ])
        .write_stdin(password.to_string())
        .output()
        .expect("run")
}

pub fn login_password(sb: &Sandbox, env: &str) {
    let out = login_password_with(sb, env, PASSWORD);
    assert!(out.status.success(), "{}", stderr_of(&out));
}

pub fn token_get(sb: &Sandbox, env: &str) -> String {
    let out = sb
        .gtx()
        .args(["token", "get", "--env", env])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let s = stdout_of(&out);
    assert!(s.ends_with('\n') && s.lines().count() == 1, "{s:?}");
    s.trim_end().to_string()
}

/// Moves a stored session's expiry into the past, as if time had passed.
pub fn age_session(sb: &Sandbox, account: &str) {
    let path = sb.credentials_path();
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    v["profiles"][account]["session"]["expires_at"] = serde_json::json!(1_000_000);
    std::fs::write(&path, serde_json::to_vec_pretty(&v).expect("encode")).expect("write");
}

pub fn login_with_token(sb: &Sandbox, env: &str, credential: &str, token: &str) {
    sb.gtx()
        .args([
            "login",
            "--with-token",
            "--env",
            env,
            "--credential",
            credential,
        ])
        .write_stdin(format!("{token}\n"))
        .assert()
        .success();
}
