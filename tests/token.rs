//! Tokens against the real emulator: every dialect and grant, caching, renewal, the
//! prefix rule, the cross-process race, fault modes and redaction (issue: tokens).

use crate::support::{Sandbox, json_ok, stderr_of, stdout_of};
use std::process::Stdio;
use std::time::Instant;

// The fixtures moved to tests/support/emulated.rs; re-exported for files that still
// import them from here.
pub use crate::support::emulated::{
    CLIENT, HEADER_SECRET, LIVE_SECRET, PASSWORD, SECRET, age_session, login_cc, login_password,
    login_password_with, setup, token_get,
};

fn stored(sb: &Sandbox, account: &str) -> serde_json::Value {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sb.credentials_path()).expect("read"))
            .expect("json");
    v["profiles"][account].clone()
}

#[test]
fn oauth2_client_credentials_login_get_and_cache() {
    let (sb, emu) = setup(&[]);
    let out = login_cc(&sb, "emu", SECRET);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(stdout_of(&out).is_empty());
    assert_eq!(emu.token_hits("oauth2"), 1);
    let t1 = token_get(&sb, "emu");
    let t2 = token_get(&sb, "emu");
    assert_eq!(t1, t2);
    assert_eq!(
        t1.matches('.').count(),
        2,
        "oauth2 emulator tokens are JWTs"
    );
    assert_eq!(emu.token_hits("oauth2"), 1, "cached token get made a call");
    // The token works against the protected API.
    let r = &stored(&sb, "emu/default");
    assert_eq!(r["client"]["client_id"], CLIENT);
    assert_eq!(r["session"]["grant"], "client_credentials");
    assert_eq!(
        r["session"]["scopes"],
        serde_json::json!(["orders.read", "orders.write"])
    );
}

#[test]
fn oauth2_json_client_credentials_and_password_refresh() {
    let (sb, emu) = setup(&[]);
    let out = login_cc(&sb, "emu-json", SECRET);
    assert!(out.status.success(), "{}", stderr_of(&out));
    token_get(&sb, "emu-json");
    assert_eq!(emu.token_hits("oauth2-json"), 1);

    sb.gtx()
        .args(["logout", "--env", "emu-json"])
        .assert()
        .success();
    login_password(&sb, "emu-json");
    let r = stored(&sb, "emu-json/default");
    assert_eq!(r["session"]["grant"], "password");
    assert!(r["session"]["refresh_token"].is_string());
    assert!(r.get("client").is_none(), "the password must not be stored");
    let raw = std::fs::read_to_string(sb.credentials_path()).expect("read");
    assert!(!raw.contains(PASSWORD));
    let first = token_get(&sb, "emu-json");
    let hits = emu.token_hits("oauth2-json");
    age_session(&sb, "emu-json/default");
    let renewed = token_get(&sb, "emu-json");
    assert_ne!(first, renewed);
    assert_eq!(emu.token_hits("oauth2-json"), hits + 1);
    // No rotation: the server sent no new refresh token, so the old one is kept.
    assert_eq!(
        stored(&sb, "emu-json/default")["session"]["refresh_token"],
        r["session"]["refresh_token"]
    );
    assert_eq!(
        stored(&sb, "emu-json/default")["session"]["grant"],
        "password"
    );
}

#[test]
fn header_token_dialect_with_domain_and_validation() {
    let (sb, emu) = setup(&[]);
    let out = login_cc(&sb, "emu-header", HEADER_SECRET);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let token = token_get(&sb, "emu-header");
    assert!(token.starts_with("sandbox_"), "{token}");
    let r = stored(&sb, "emu-header/default");
    assert_eq!(r["client"]["client_id"], "c2hvcC5leGFtcGxlLmNvbQ==");
    assert_eq!(r["client"]["domain"], "shop.example.com");
    let exp = r["session"]["expires_at"]
        .as_i64()
        .expect("expiry from string expire_in");
    assert!(exp > 1_700_000_000);
    sb.gtx()
        .args(["token", "validate", "--env", "emu-header"])
        .assert()
        .success();
    assert_eq!(emu.stats()["validate_hits"], 1);
    emu.expire_all();
    let out = sb
        .gtx()
        .args(["token", "validate", "--env", "emu-header", "--json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(5));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["valid"], false);
    assert_eq!(v["checked_by"], "validate_url");
    // Live credentials on the live environment get live_ tokens.
    let out = login_cc(&sb, "emu-live", LIVE_SECRET);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(token_get(&sb, "emu-live").starts_with("live_"));
}

#[test]
fn sandbox_token_is_never_sent_to_production() {
    let (sb, emu) = setup(&[]);
    let before = emu.requests();
    let sandbox_token = "sandbox_0123456789abcdef0123456789";
    let out = sb
        .gtx()
        .args(["token", "validate", "-", "--env", "emu-live"])
        .write_stdin(sandbox_token)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(5), "{}", stderr_of(&out));
    assert!(!stderr_of(&out).contains(sandbox_token));
    sb.gtx()
        .args(["login", "--with-token", "--env", "emu-live"])
        .write_stdin(sandbox_token)
        .assert()
        .code(5);
    sb.gtx()
        .args(["token", "get", "--env", "emu-live"])
        .env("GTX_TOKEN", sandbox_token)
        .assert()
        .code(5);
    sb.gtx()
        .args(["token", "validate", "--env", "emu-live"])
        .env("GTX_TOKEN", sandbox_token)
        .assert()
        .code(5);
    // Sandbox credentials presented to the live environment yield a sandbox_ token: refused.
    let out = login_cc(&sb, "emu-live", HEADER_SECRET);
    assert_eq!(out.status.code(), Some(5), "{}", stderr_of(&out));
    assert!(
        !sb.credentials_path().exists()
            || !std::fs::read_to_string(sb.credentials_path())
                .unwrap_or_default()
                .contains("sandbox_")
    );
    assert_eq!(emu.stats()["validate_hits"], 0);
    assert_eq!(
        emu.requests(),
        before + 1,
        "only the minting call reached the server"
    );
}

#[test]
fn min_ttl_and_scope_force_renewal() {
    let (sb, emu) = setup(&["--ttl", "600"]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    token_get(&sb, "emu");
    assert_eq!(emu.token_hits("oauth2"), 1);
    let out = sb
        .gtx()
        .args(["token", "get", "--env", "emu", "--min-ttl", "900"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(
        emu.token_hits("oauth2"),
        2,
        "--min-ttl above the lifetime renews"
    );
    let out = sb
        .gtx()
        .args([
            "token",
            "get",
            "--env",
            "emu",
            "--min-ttl",
            "300",
            "--scope",
            "orders.read",
        ])
        .output()
        .expect("run");
    assert!(out.status.success());
    assert_eq!(
        emu.token_hits("oauth2"),
        2,
        "a token carrying the scope is reused"
    );
    let out = sb
        .gtx()
        .args(["token", "get", "--env", "emu", "--scope", "orders.admin"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(5),
        "unknown scope is refused: {}",
        stderr_of(&out)
    );
}

#[test]
fn expired_client_credentials_token_is_reminted() {
    let (sb, emu) = setup(&[]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    let first = token_get(&sb, "emu");
    age_session(&sb, "emu/default");
    let second = token_get(&sb, "emu");
    assert_ne!(first, second);
    assert_eq!(emu.token_hits("oauth2"), 2);
}

#[test]
fn token_generate_always_mints_and_json_shape() {
    let (sb, emu) = setup(&[]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    let v = json_ok(
        sb.gtx()
            .args(["token", "generate", "--env", "emu", "--json"]),
    );
    let keys: Vec<&String> = v.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        [
            "access_token",
            "token_type",
            "expires_at",
            "expires_in",
            "scopes",
            "env",
            "credential",
            "source",
            "store"
        ]
    );
    assert_eq!(v["source"], "minted");
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(emu.token_hits("oauth2"), 2);
    let out = sb
        .gtx()
        .args(["token", "get", "--env", "emu", "--json"])
        .output()
        .expect("run");
    let g: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(g["source"], "cache");
    assert_eq!(g["access_token"], v["access_token"]);
}

#[test]
fn ci_minting_from_environment_with_memory_store() {
    let (sb, emu) = setup(&[]);
    for _ in 0..2 {
        let out = sb
            .gtx()
            .env("GTX_STORE", "memory")
            .env("GTX_CLIENT_ID", CLIENT)
            .env("GTX_CLIENT_SECRET", SECRET)
            .args(["token", "get", "--env", "emu"])
            .output()
            .expect("run");
        assert!(out.status.success(), "{}", stderr_of(&out));
        assert_eq!(stdout_of(&out).lines().count(), 1);
    }
    assert_eq!(
        emu.token_hits("oauth2"),
        2,
        "memory store: nothing cached across runs"
    );
    assert!(
        !sb.path().join("data").exists(),
        "GTX_STORE=memory wrote to disk"
    );
}

#[test]
fn env_credentials_work_without_a_keyring() {
    let (sb, emu) = setup(&[]);
    let out = sb
        .gtx_default_store()
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}/no-bus", sb.path().display()),
        )
        .env("XDG_RUNTIME_DIR", sb.path().join("no-runtime"))
        .env("GTX_CLIENT_ID", CLIENT)
        .env("GTX_CLIENT_SECRET", SECRET)
        .args(["token", "get", "--env", "emu"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("not be cached"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(emu.token_hits("oauth2"), 1);
}

#[test]
fn env_token_is_used_as_is_and_never_stored() {
    let sb = Sandbox::new();
    let out = sb
        .gtx()
        .env("GTX_TOKEN", "ci-token-0123456789abcdef")
        .args(["token", "get"])
        .output()
        .expect("run");
    assert!(out.status.success());
    assert_eq!(stdout_of(&out), "ci-token-0123456789abcdef\n");
    assert!(!sb.credentials_path().exists());
}

fn race(sb: &Sandbox, env: &str, n: usize) -> Vec<String> {
    let children: Vec<_> = (0..n)
        .map(|_| {
            sb.std_gtx()
                .args(["token", "get", "--env", env])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    children
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().expect("wait");
            assert!(out.status.success(), "{}", stderr_of(&out));
            stdout_of(&out).trim_end().to_string()
        })
        .collect()
}

#[test]
fn twenty_parallel_gets_make_one_call() {
    let (sb, emu) = setup(&["--delay-ms", "100"]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    age_session(&sb, "emu/default");
    let before = emu.token_hits("oauth2");
    let tokens = race(&sb, "emu", 20);
    assert_eq!(
        emu.token_hits("oauth2"),
        before + 1,
        "exactly one token call for 20 processes"
    );
    assert!(tokens.iter().all(|t| t == &tokens[0] && !t.is_empty()));
    let stored_token = stored(&sb, "emu/default")["session"]["access_token"].clone();
    assert_eq!(stored_token, tokens[0].as_str());
}

#[test]
fn rotating_refresh_token_survives_the_race() {
    let (sb, emu) = setup(&["--rotate-refresh", "--delay-ms", "100"]);
    login_password(&sb, "emu-json");
    for round in 0..2 {
        age_session(&sb, "emu-json/default");
        let before = emu.token_hits("oauth2-json");
        let tokens = race(&sb, "emu-json", 20);
        assert_eq!(emu.token_hits("oauth2-json"), before + 1, "round {round}");
        assert!(tokens.iter().all(|t| t == &tokens[0]));
    }
    // The rotated refresh token in the store is the live one.
    age_session(&sb, "emu-json/default");
    token_get(&sb, "emu-json");
}

#[test]
fn dead_refresh_token_exits_4_and_asks_to_sign_in() {
    let (sb, _emu) = setup(&["--rotate-refresh"]);
    login_password(&sb, "emu-json");
    let path = sb.credentials_path();
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    v["profiles"]["emu-json/default"]["session"]["refresh_token"] =
        "not-a-refresh-token-0123".into();
    v["profiles"]["emu-json/default"]["session"]["expires_at"] = 1_000_000.into();
    std::fs::write(&path, serde_json::to_vec(&v).expect("encode")).expect("write");
    let out = sb
        .gtx()
        .args(["token", "get", "--env", "emu-json"])
        .output()
        .expect("run");
    // A refresh token the server calls invalid_grant leaves the profile signed out.
    assert_eq!(out.status.code(), Some(4), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("gtx login"), "{}", stderr_of(&out));
    sb.gtx()
        .args(["token", "get", "--env", "emu-json"])
        .assert()
        .code(4);
}

fn generate(sb: &Sandbox, env: &str, extra: &[&str]) -> std::process::Output {
    sb.gtx()
        .env("GTX_CLIENT_ID", CLIENT)
        .env("GTX_CLIENT_SECRET", SECRET)
        .args(["token", "generate", "--env", env])
        .args(extra)
        .output()
        .expect("run")
}

#[test]
fn server_errors_are_retried_then_exit_6() {
    let (sb, emu) = setup(&[]);
    emu.faults(serde_json::json!({"fail_next": 2}));
    let out = generate(&sb, "emu", &[]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(emu.token_hits("oauth2"), 3);
    emu.faults(serde_json::json!({"fail_next": 5, "fail_status": 503}));
    let out = generate(&sb, "emu", &[]);
    assert_eq!(out.status.code(), Some(6), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("HTTP 503"), "{}", stderr_of(&out));
    assert_eq!(emu.token_hits("oauth2"), 6, "at most 3 attempts");
}

/// A refresh goes through the same seam as a mint: a failure on the server's side says
/// how many attempts were made and where to look, as a failed mint does.
#[test]
fn a_refresh_failing_on_the_server_side_counts_attempts_and_says_where_to_look() {
    let (sb, emu) = setup(&[]);
    login_password(&sb, "emu-json");
    age_session(&sb, "emu-json/default");
    emu.faults(serde_json::json!({"fail_next": 5, "fail_status": 503}));
    let out = sb
        .gtx()
        .args(["token", "get", "--env", "emu-json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(6), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains("(3 attempts)") && err.contains("gtx env show emu-json"),
        "{err}"
    );
}

#[test]
fn rate_limit_honours_retry_after() {
    let (sb, emu) = setup(&[]);
    emu.faults(serde_json::json!({"rate_limit_next": 1, "retry_after": 1}));
    let started = Instant::now();
    let out = generate(&sb, "emu", &[]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        started.elapsed().as_millis() >= 1000,
        "Retry-After was not honoured"
    );
    assert_eq!(emu.token_hits("oauth2"), 2);
    emu.faults(serde_json::json!({"rate_limit_next": 3, "retry_after": 0}));
    assert_eq!(generate(&sb, "emu", &[]).status.code(), Some(6));
}

#[test]
fn bad_answers_give_one_line_errors_with_exit_6() {
    let (sb, emu) = setup(&[]);
    for (fault, needle) in [
        ("html_next", "text/html"),
        ("missing_token_next", "access_token"),
        ("huge_next", "KiB"),
        ("bad_utf8_next", "HTTP 200"),
        ("wrong_types_next", "access_token"),
    ] {
        emu.faults(serde_json::json!({ fault: 1 }));
        let out = generate(&sb, "emu", &[]);
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(6), "{fault}: {err}");
        assert!(err.contains(needle), "{fault}: {err}");
        assert!(
            err.lines().filter(|l| l.starts_with("gtx: error:")).count() == 1,
            "{fault}: {err}"
        );
        assert!(err.len() < 600, "{fault}: message too long: {err}");
        assert!(!err.contains("panicked"), "{fault}: {err}");
    }
    for (env, fault) in [
        ("emu-header", "wrong_types_next"),
        ("emu-json", "html_next"),
        ("emu-header", "missing_token_next"),
    ] {
        emu.faults(serde_json::json!({ fault: 1 }));
        let mut cmd = sb.gtx();
        if env == "emu-header" {
            cmd.env("GTX_CLIENT_ID", "c2hvcC5leGFtcGxlLmNvbQ==")
                .env("GTX_CLIENT_SECRET", HEADER_SECRET);
        } else {
            cmd.env("GTX_CLIENT_ID", CLIENT)
                .env("GTX_CLIENT_SECRET", SECRET);
        }
        let out = cmd
            .args(["token", "generate", "--env", env])
            .output()
            .expect("run");
        assert_eq!(
            out.status.code(),
            Some(6),
            "{env} {fault}: {}",
            stderr_of(&out)
        );
    }
}

#[test]
fn slow_server_times_out_with_exit_6() {
    let (sb, emu) = setup(&[]);
    emu.faults(serde_json::json!({"delay_ms": 3000}));
    let before = emu.requests();
    let out = generate(&sb, "emu", &["--timeout", "0.3"]);
    assert_eq!(out.status.code(), Some(6), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("timed out"), "{}", stderr_of(&out));
    // `requests` counts on arrival, before the emulated delay.
    assert_eq!(
        emu.requests(),
        before + 1,
        "a request that may have reached the server is not replayed"
    );
}

#[test]
fn connection_refused_exits_6() {
    let sb = Sandbox::new();
    sb.gtx()
        .args(["env", "add", "dead", "--api-base", "http://127.0.0.1:9"])
        .assert()
        .success();
    let out = generate(&sb, "dead", &[]);
    assert_eq!(out.status.code(), Some(6), "{}", stderr_of(&out));
}

/// A proxy the user configured carries gtx's traffic, loopback included (as curl's does):
/// when that proxy is what fails, the error says so instead of blaming the server, and
/// never shows the proxy's password. NO_PROXY exempts hosts as reqwest and curl read it.
#[test]
fn an_unreachable_proxy_is_named_not_blamed_on_the_server() {
    let (sb, emu) = setup(&[]);
    let with_proxy = |extra: &[(&str, &str)]| {
        let mut cmd = sb.gtx();
        cmd.env("GTX_CLIENT_ID", CLIENT)
            .env("GTX_CLIENT_SECRET", SECRET)
            .env("http_proxy", "http://proxyuser:hunter2proxy@127.0.0.1:9")
            .args(["token", "generate", "--env", "emu"]);
        for (k, v) in extra {
            cmd.env(k, v);
        }
        cmd.output().expect("run")
    };
    let out = with_proxy(&[]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(6), "{err}");
    assert!(err.contains("proxy 127.0.0.1:9"), "{err}");
    assert!(err.contains("http_proxy"), "{err}");
    assert!(!err.contains("hunter2proxy"), "{err}");
    assert_eq!(emu.token_hits("oauth2"), 0);
    for exempt in ["127.0.0.1", "*", "localhost,127.0.0.0/8"] {
        let out = with_proxy(&[("NO_PROXY", exempt)]);
        assert!(
            out.status.success(),
            "NO_PROXY={exempt}: {}",
            stderr_of(&out)
        );
        assert!(!stderr_of(&out).contains("proxy"), "{}", stderr_of(&out));
    }
}

#[test]
fn verbose_output_never_contains_secrets_or_tokens() {
    let (sb, _emu) = setup(&[]);
    let out = sb
        .gtx()
        .args([
            "-vv",
            "login",
            "--client-credentials",
            "--client-id",
            CLIENT,
            "--client-secret-stdin",
            "--env",
            "emu",
        ])
        .write_stdin(SECRET)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let token_now = stored(&sb, "emu/default")["session"]["access_token"]
        .as_str()
        .expect("token")
        .to_string();
    let mut logs = stderr_of(&out);
    for args in [
        &["-vv", "token", "generate", "--env", "emu"][..],
        &["-vv", "token", "get", "--env", "emu"][..],
        &["-vv", "token", "validate", "--env", "emu"][..],
        &["-vv", "token", "show", "--env", "emu"][..],
        &["-vv", "status"][..],
    ] {
        let out = sb.gtx().args(args).output().expect("run");
        assert!(out.status.success(), "{args:?}: {}", stderr_of(&out));
        logs.push_str(&stderr_of(&out));
    }
    login_password(&sb, "emu-json");
    let out = sb
        .gtx()
        .args(["-vv", "token", "generate", "--env", "emu-json"])
        .output()
        .expect("run");
    logs.push_str(&stderr_of(&out));
    let token_later = stored(&sb, "emu/default")["session"]["access_token"]
        .as_str()
        .expect("token")
        .to_string();
    let refresh = stored(&sb, "emu-json/default")["session"]["refresh_token"]
        .as_str()
        .expect("rt")
        .to_string();
    assert!(logs.contains("→ POST"), "verbose log missing: {logs}");
    for secret in [
        SECRET,
        PASSWORD,
        token_now.as_str(),
        token_later.as_str(),
        refresh.as_str(),
    ] {
        assert!(!logs.contains(secret), "secret leaked into -vv output");
        assert!(
            !logs.contains(&secret[secret.len() / 2..]),
            "secret tail leaked into -vv output"
        );
    }
}

#[test]
fn token_show_describes_without_the_token() {
    let (sb, _emu) = setup(&[]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    let token = token_get(&sb, "emu");
    let out = sb
        .gtx()
        .args(["token", "show", "--env", "emu", "--json"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let text = stdout_of(&out);
    assert!(!text.contains(&token));
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(v["jwt"]["claims"]["client_id"], CLIENT);
    assert_eq!(v["grant"], "client_credentials");
    assert_eq!(v["state"], "valid");
    let human = stdout_of(
        &sb.gtx()
            .args(["token", "show", "--env", "emu"])
            .output()
            .expect("run"),
    );
    assert!(
        human.contains("JWT") && human.contains("expires") && !human.contains(&token),
        "{human}"
    );
}

#[test]
fn introspection_validates_and_logout_revokes() {
    let (sb, emu) = setup(&[]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    let v = json_ok(
        sb.gtx()
            .args(["token", "validate", "--env", "emu", "--json"]),
    );
    assert_eq!(v["checked_by"], "introspect_url");
    assert_eq!(emu.stats()["introspect_hits"], 1);
    let token = token_get(&sb, "emu");
    sb.gtx().args(["logout", "--env", "emu"]).assert().success();
    assert_eq!(emu.stats()["revoke_hits"], 1);
    let out = sb
        .gtx()
        .args(["token", "validate", "-", "--env", "emu"])
        .write_stdin(token)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(5),
        "revoked token must be invalid: {}",
        stderr_of(&out)
    );
}

#[test]
fn validate_via_api_base_when_no_endpoint_is_configured() {
    let (sb, _emu) = setup(&[]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    sb.gtx()
        .args(["env", "set", "emu", "introspect_url", ""])
        .assert()
        .success();
    sb.gtx()
        .args([
            "env",
            "set",
            "emu",
            "api_base",
            &format!("{}/api/v1/orders", _emu.base_url),
        ])
        .assert()
        .success();
    let v = json_ok(
        sb.gtx()
            .args(["token", "validate", "--env", "emu", "--json"]),
    );
    assert_eq!(v["checked_by"], "api_base");
}

#[test]
fn every_dialect_and_grant_caches_renews_and_honours_min_ttl() {
    let (sb, emu) = setup(&[]);
    // (environment, how to sign in, emulator counter, lifetime the emulator gives)
    let cases: [(&str, &str, &str, i64); 4] = [
        ("emu", "client_credentials", "oauth2", 3600),
        ("emu-json", "client_credentials", "oauth2-json", 600),
        ("emu-json", "password", "oauth2-json", 600),
        ("emu-header", "client_credentials", "header-token", 3600),
    ];
    for (env, grant, dialect, ttl) in cases {
        sb.gtx().args(["logout", "--env", env]).assert().success();
        if grant == "password" {
            login_password(&sb, env);
        } else {
            let out = login_cc(
                &sb,
                env,
                if env == "emu-header" {
                    HEADER_SECRET
                } else {
                    SECRET
                },
            );
            assert!(out.status.success(), "{env}: {}", stderr_of(&out));
        }
        let account = format!("{env}/default");
        let hits = emu.token_hits(dialect);
        // Caching: no call.
        let first = token_get(&sb, env);
        assert_eq!(
            emu.token_hits(dialect),
            hits,
            "{env} {grant}: cached get made a call"
        );
        // --min-ttl above the remaining lifetime renews.
        let ttl_arg = (ttl + 60).to_string();
        let out = sb
            .gtx()
            .args(["token", "get", "--env", env, "--min-ttl", &ttl_arg])
            .output()
            .expect("run");
        assert!(out.status.success(), "{env} {grant}: {}", stderr_of(&out));
        assert!(
            stderr_of(&out).contains("less than --min-ttl"),
            "{env}: {}",
            stderr_of(&out)
        );
        assert_eq!(
            emu.token_hits(dialect),
            hits + 1,
            "{env} {grant}: --min-ttl did not renew"
        );
        let second = stdout_of(&out).trim().to_string();
        assert_ne!(first, second);
        // Expiry renews (refresh for password, re-mint otherwise), once.
        age_session(&sb, &account);
        let third = token_get(&sb, env);
        assert_ne!(second, third);
        assert_eq!(
            emu.token_hits(dialect),
            hits + 2,
            "{env} {grant}: expiry did not renew once"
        );
        assert_eq!(token_get(&sb, env), third);
        assert_eq!(stored(&sb, &account)["session"]["grant"], grant);
    }
}

#[test]
fn very_short_lifetimes_are_renewed_and_reported() {
    let (sb, emu) = setup(&["--ttl", "5"]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    let out = sb
        .gtx()
        .args(["token", "get", "--env", "emu"])
        .output()
        .expect("run");
    assert!(out.status.success());
    assert!(stderr_of(&out).contains("valid for"), "{}", stderr_of(&out));
    assert_eq!(
        emu.token_hits("oauth2"),
        2,
        "a 5 s token does not satisfy the default --min-ttl 60"
    );
    let out = sb
        .gtx()
        .args(["token", "get", "--env", "emu", "--min-ttl", "1"])
        .output()
        .expect("run");
    assert!(out.status.success());
    assert_eq!(
        emu.token_hits("oauth2"),
        2,
        "--min-ttl 1 accepts the cached 5 s token"
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_while_waiting_exits_130_and_stores_nothing() {
    let (sb, emu) = setup(&["--delay-ms", "20000"]);
    let child = sb
        .std_gtx()
        .env("GTX_CLIENT_ID", CLIENT)
        .env("GTX_CLIENT_SECRET", SECRET)
        .args(["token", "generate", "--env", "emu"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    while emu.requests() == 0 && started.elapsed().as_secs() < 10 {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(100));
    // SAFETY: sending SIGINT to our own child process.
    let killed = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    assert_eq!(killed, 0);
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(130), "{}", stderr_of(&out));
    assert!(started.elapsed().as_secs() < 10);
    assert!(stdout_of(&out).is_empty());
    assert!(
        !std::fs::read_to_string(sb.credentials_path())
            .unwrap_or_default()
            .contains("access_token")
    );
}

#[test]
fn logout_waits_for_a_running_renewal_and_wins() {
    let (sb, emu) = setup(&[]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    emu.faults(serde_json::json!({"delay_ms": 1500}));
    let before = emu.requests();
    let renewal = sb
        .std_gtx()
        .args(["token", "generate", "--env", "emu"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    while emu.requests() == before && started.elapsed().as_secs() < 10 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    sb.gtx().args(["logout", "--env", "emu"]).assert().success();
    let _ = renewal.wait_with_output();
    emu.faults(serde_json::json!({"delay_ms": 0}));
    sb.gtx()
        .args(["token", "show", "--env", "emu"])
        .assert()
        .code(4);
    let raw = std::fs::read_to_string(sb.credentials_path()).unwrap_or_default();
    assert!(
        !raw.contains(SECRET),
        "the client secret came back after logout"
    );
}

#[test]
fn transient_refusal_keeps_the_session() {
    let (sb, emu) = setup(&[]);
    login_password(&sb, "emu-json");
    age_session(&sb, "emu-json/default");
    emu.faults(serde_json::json!({"fail_next": 1, "fail_status": 400}));
    let out = sb
        .gtx()
        .args(["token", "get", "--env", "emu-json"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(6),
        "server_error is a failure, not a refusal: {}",
        stderr_of(&out)
    );
    assert!(stored(&sb, "emu-json/default")["session"]["refresh_token"].is_string());
    token_get(&sb, "emu-json");
}

#[test]
fn env_credentials_of_another_client_do_not_replace_the_profile_session() {
    let client2 = format!("{CLIENT}:{SECRET}");
    let (sb, emu) = setup(&[
        "--client",
        &client2,
        "--client",
        "other-client:other-secret-0123",
    ]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    let mine = token_get(&sb, "emu");
    let v = json_ok(
        sb.gtx()
            .env("GTX_CLIENT_ID", "other-client")
            .env("GTX_CLIENT_SECRET", "other-secret-0123")
            .args(["token", "get", "--env", "emu", "--json"]),
    );
    assert_ne!(v["access_token"], mine.as_str());
    assert_eq!(v["store"], serde_json::Value::Null);
    let hits = emu.token_hits("oauth2");
    assert_eq!(
        token_get(&sb, "emu"),
        mine,
        "the profile's own token is still served"
    );
    assert_eq!(emu.token_hits("oauth2"), hits);
    assert_eq!(stored(&sb, "emu/default")["session"]["client_id"], CLIENT);
}

#[test]
fn unprotected_api_base_cannot_validate() {
    let (sb, _emu) = setup(&[]);
    let out = sb
        .gtx()
        .args(["token", "validate", "-", "--env", "emu-json"])
        .write_stdin("garbage-token-0123456789")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("with or without a token"),
        "{}",
        stderr_of(&out)
    );
}

/// A JWT whose `exp` is present but no NumericDate (negative, a string, null, an object)
/// cannot say when it expires: it is never served as a token that lasts forever.
#[test]
fn jwt_with_unreadable_exp_is_never_served_forever() {
    use base64::Engine;
    let enc = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let sb = Sandbox::new();
    for exp in ["-1", "-1.5", r#""9999999999""#, "null", "{}", "true"] {
        let token = format!(
            "{}.{}.c2ln",
            enc(r#"{"alg":"none"}"#),
            enc(&format!(r#"{{"exp":{exp},"sub":"x"}}"#))
        );
        sb.gtx()
            .args(["login", "--with-token", "--env", "sandbox"])
            .write_stdin(format!("{token}\n"))
            .output()
            .expect("run");
        let out = sb
            .gtx()
            .args(["token", "get", "--env", "sandbox"])
            .output()
            .expect("run");
        assert!(
            !stdout_of(&out).contains(&token),
            "exp {exp}: served as if it never expired"
        );
        assert_ne!(out.status.code(), Some(0), "exp {exp}");
    }
}

/// A server that grants fewer scopes than `--scope` asks for makes every such call mint
/// again (the cache never covers them): say so, so a loop hammering the endpoint is
/// explained.
#[test]
fn narrower_grant_than_asked_is_announced() {
    let (sb, emu) = setup(&[]);
    let out = login_cc(&sb, "emu", SECRET);
    assert!(out.status.success(), "{}", stderr_of(&out));
    emu.faults(serde_json::json!({
        "body_next": 1,
        "body_status": 200,
        "body": r#"{"access_token":"narrow-0123456789","token_type":"Bearer","expires_in":600,"scope":"orders.read"}"#
    }));
    let out = sb
        .gtx()
        .args([
            "token",
            "generate",
            "--env",
            "emu",
            "--scope",
            "orders.read orders.write",
        ])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains("orders.write") && err.contains("granted"),
        "no word about the missing scope: {err}"
    );
}

/// The files a cached `token get` opens, as strace saw them (None where strace is missing).
#[cfg(target_os = "linux")]
fn files_opened_by_cached_get(sb: &Sandbox) -> Option<Vec<String>> {
    if std::process::Command::new("strace")
        .arg("-V")
        .output()
        .is_err()
    {
        assert!(std::env::var_os("CI").is_none(), "strace is missing in CI");
        eprintln!("strace not installed: skipping");
        return None;
    }
    let log = sb.path().join("strace.log");
    let mut cmd = sb.wrapper("strace");
    cmd.args([
        "-f",
        "-qq",
        "--trace=open,openat,openat2,execve,socket,connect",
    ])
    .arg("-o")
    .arg(&log)
    .arg(crate::support::GTX)
    .args(["token", "get", "--env", "emu"]);
    let out = cmd.output().expect("run strace");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = std::fs::read_to_string(&log).expect("strace log");
    Some(text.lines().map(str::to_string).collect())
}

/// The hot path of every script: a cached `token get` reads the config and the store and
/// nothing else: no network, no child process, no libm or libgcc_s, no /proc/self/maps
/// (std's start-up reads it; gtx skips that start-up, see src/main.rs and build.rs).
#[cfg(target_os = "linux")]
#[test]
fn cached_get_opens_only_the_config_and_the_store() {
    let (sb, _emu) = setup(&[]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    token_get(&sb, "emu");
    let Some(lines) = files_opened_by_cached_get(&sb) else {
        return;
    };
    let calls = lines.join("\n");
    assert_eq!(
        lines.iter().filter(|l| l.contains("execve(")).count(),
        1,
        "{calls}"
    );
    for banned in [
        "socket(",
        "connect(",
        "/proc/self/maps",
        "libm.so",
        "libgcc_s.so",
    ] {
        assert!(!calls.contains(banned), "{banned} in:\n{calls}");
    }
    let opened: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("open") && !l.contains("ENOENT") && !l.contains(".so"))
        .collect();
    let config = sb.config_path().display().to_string();
    let store = sb.credentials_path().display().to_string();
    for line in &opened {
        assert!(
            line.contains(&config) || line.contains(&store) || line.contains("ld.so.cache"),
            "unexpected open: {line}\nall calls:\n{calls}"
        );
    }
}

/// The loader relocates a position-independent executable on every start, writing each page
/// that holds a pointer: with gtx's dependencies that was most of the page faults a cached
/// `token get` takes. gtx is linked at a fixed address instead (build.rs, docs/security.md);
/// `GTX_BUILD_PIE=1` keeps PIE, and this test follows build.rs's decision.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn the_executable_is_linked_at_a_fixed_address_unless_asked_for_pie() {
    let elf = std::fs::read(crate::support::GTX).expect("the gtx executable");
    // e_type, little-endian: 2 = ET_EXEC (fixed address), 3 = ET_DYN (PIE).
    let e_type = u16::from_le_bytes([elf[16], elf[17]]);
    let fixed = env!("GTX_EXECUTABLE_FIXED_ADDRESS") == "1";
    assert_eq!(
        e_type,
        if fixed { 2 } else { 3 },
        "ELF type of {}",
        crate::support::GTX
    );
}

/// gtx starts without std's entry point on Linux, so it ignores SIGPIPE itself: a reader
/// that went away is not a signal that kills gtx.
#[cfg(unix)]
#[test]
fn a_closed_pipe_on_stdout_is_not_a_crash() {
    use std::os::unix::process::ExitStatusExt;
    let (sb, _emu) = setup(&[]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let out = sb
        .std_gtx()
        .args(["token", "get", "--env", "emu"])
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("run");
    assert_eq!(out.status.signal(), None, "killed by a signal");
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
}

/// A low open-file limit (a runaway shell, a tight container) leaves the network side too
/// few descriptors: that is the machine's limit, said plainly, never a panic or "a bug".
#[cfg(unix)]
#[test]
fn too_few_file_descriptors_is_said_plainly() {
    let (sb, emu) = setup(&[]);
    let (mut starved, mut served) = (0u32, 0u64);
    // How many descriptors a process inherits differs between machines (a harness or a
    // shell may leak some; cargo-mutants does): at the lowest limits the loader itself may
    // fail before any gtx code runs, and near the top gtx may have just enough. Every
    // limit gtx runs at ends in one of two ways, and they never interleave.
    for limit in 4..=24 {
        let mut cmd = sb.bash_gtx(&format!(
            "ulimit -n {limit} && exec \"$0\" token generate --env emu"
        ));
        cmd.env("GTX_CLIENT_ID", CLIENT)
            .env("GTX_CLIENT_SECRET", SECRET)
            .env("GTX_STORE", "memory");
        let out = cmd.output().expect("run");
        let err = stderr_of(&out);
        if out.status.code() == Some(127) && err.contains("error while loading shared libraries") {
            assert_eq!(
                (starved, served),
                (0, 0),
                "limit {limit}: the loader failed above a limit gtx ran at"
            );
            continue;
        }
        assert!(!err.contains("bug"), "limit {limit}: {err}");
        if out.status.code() == Some(0) {
            served += 1;
            continue;
        }
        assert_eq!(
            served, 0,
            "limit {limit} starved above a limit that was served: {err}"
        );
        starved += 1;
        assert_eq!(out.status.code(), Some(1), "limit {limit}: {err}");
        assert!(err.contains("file descriptors"), "limit {limit}: {err}");
        assert!(err.contains("ulimit -n"), "limit {limit}: {err}");
    }
    assert!(
        starved >= 3,
        "gtx said it was starved at {starved} of the limits"
    );
    assert!(served >= 1, "gtx never had enough descriptors up to 24");
    assert_eq!(emu.token_hits("oauth2"), served);
}

/// With descriptor 2 closed, the next file gtx opens would become its stderr, and `-vv`
/// would log into the lock file or the store: every file gtx keeps must hold only its own
/// content.
#[cfg(unix)]
#[test]
fn a_closed_stderr_never_writes_into_gtx_files() {
    let (sb, emu) = setup(&[]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    age_session(&sb, "emu/default");
    let before = emu.token_hits("oauth2");
    let out = sb
        .bash_gtx("exec \"$0\" -vv token get --env emu 2>&-")
        .output()
        .expect("run");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        emu.token_hits("oauth2"),
        before + 1,
        "the session was renewed"
    );
    let text = std::fs::read_to_string(sb.credentials_path()).expect("read");
    let stored: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("store corrupted ({e}): {text}"));
    assert_eq!(stored["version"], 1, "{text}");
    for dir in [sb.data_dir(), sb.data_dir().join("locks")] {
        for entry in std::fs::read_dir(&dir).expect("list") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "lock") {
                let held = std::fs::read(&path).expect("read lock");
                assert!(
                    held.is_empty(),
                    "{} holds {:?}",
                    path.display(),
                    String::from_utf8_lossy(&held)
                );
            }
        }
    }
}

/// After `logout`, `token get`, `token show` and `status` name the way the profile signed
/// in (here a pasted token), not the dialect's first way (`--client-credentials`).
#[test]
fn after_logout_the_hint_names_the_way_the_profile_signed_in() {
    let (sb, _emu) = setup(&[]);
    let pasted = token_get_fresh_pasted(&sb);
    crate::support::emulated::login_with_token(&sb, "emu", "default", &pasted);
    sb.gtx().args(["logout", "--env", "emu"]).assert().success();
    for args in [&["token", "get"][..], &["token", "show"], &["status"]] {
        let out = sb
            .gtx()
            .args(args)
            .args(["--env", "emu"])
            .output()
            .expect("run");
        let err = stderr_of(&out);
        assert!(
            err.contains("gtx login --with-token --env emu"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("--client-credentials"), "{args:?}: {err}");
    }
    // A later sign-in another way is what the next hint names.
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    sb.gtx().args(["logout", "--env", "emu"]).assert().success();
    let out = sb
        .gtx()
        .args(["token", "get", "--env", "emu"])
        .output()
        .expect("run");
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(
        err.contains("hint: gtx login --client-credentials --env emu\n"),
        "{err}"
    );
}

/// A token the emulator issued, minted from another sandbox (so nothing is stored here).
fn token_get_fresh_pasted(sb: &Sandbox) -> String {
    let out = sb
        .gtx()
        .args(["token", "generate", "--env", "emu", "--store", "memory"])
        .env("GTX_CLIENT_ID", CLIENT)
        .env("GTX_CLIENT_SECRET", SECRET)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    stdout_of(&out).trim().to_string()
}

/// The memory store keeps nothing on disk, not even the note of how a profile signed in.
#[test]
fn memory_store_logout_leaves_no_files() {
    let (sb, _emu) = setup(&[]);
    let out = sb
        .gtx()
        .args(["logout", "--env", "emu", "--store", "memory"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!sb.data_dir().join("signed-out").exists());
}

/// A caller that ignores SIGINT (`nohup`, a background job of a script) asked for no
/// interruption: Ctrl-C during the token call neither ends gtx nor is caught by it.
#[cfg(unix)]
#[test]
fn ctrl_c_ignored_by_the_caller_stays_ignored() {
    let (sb, emu) = setup(&["--delay-ms", "1500"]);
    let child = sb
        .bash_gtx("trap '' INT; exec \"$0\" token generate --env emu --store memory")
        .env("GTX_CLIENT_ID", CLIENT)
        .env("GTX_CLIENT_SECRET", SECRET)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    while emu.requests() == 0 && started.elapsed().as_secs() < 10 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(100));
    // SAFETY: sending SIGINT to our own child process.
    let sent = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    assert_eq!(sent, 0);
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(stdout_of(&out).starts_with("eyJ"), "{}", stdout_of(&out));
}

/// An error reported into a pipe nobody reads any more (`gtx … 2>&1 | head -c0`) must still
/// exit with the error's code: writing the message failing is no reason to abort.
#[cfg(unix)]
#[test]
fn a_closed_pipe_on_stderr_keeps_the_exit_code() {
    use std::os::unix::process::ExitStatusExt;
    let sb = Sandbox::new();
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let out = sb
        .std_gtx()
        .args(["token", "get", "--env", "nowhere"])
        .stdin(Stdio::null())
        .stderr(writer)
        .output()
        .expect("run");
    assert_eq!(out.status.signal(), None, "killed by a signal");
    assert_eq!(out.status.code(), Some(3));
}

/// The note of how a profile signed in is only a hint: a FIFO in its place must not block
/// `token get`; the hint falls back to the dialect's ways and the exit code stays 4.
#[cfg(unix)]
#[test]
fn a_fifo_as_the_signed_out_note_does_not_block() {
    let (sb, _emu) = setup(&[]);
    let dir = sb.data_dir().join("signed-out");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let note = dir.join("emu+default");
    let fifo = std::process::Command::new("mkfifo")
        .arg(&note)
        .status()
        .expect("mkfifo");
    assert!(fifo.success());
    let run = |what: &str| {
        let out = sb
            .gtx()
            .args(["token", "get", "--env", "emu"])
            .timeout(std::time::Duration::from_secs(10))
            .output()
            .expect("run");
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(4), "{what}: {err}");
        assert!(err.contains("hint: gtx login"), "{what}: {err}");
    };
    run("a FIFO");
}
