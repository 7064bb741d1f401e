//! `token validate` and `logout` against introspection and revocation endpoints that
//! authenticate the caller (RFC 7662 section 2.1, RFC 7009 section 2.1).

use crate::support::emulated::{SECRET, login_cc, setup, token_get};
use crate::support::{Sandbox, stderr_of};

fn set_stored_secret(sb: &Sandbox, account: &str, secret: &str) {
    let path = sb.credentials_path();
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    v["profiles"][account]["client"]["client_secret"] = secret.into();
    std::fs::write(&path, serde_json::to_vec_pretty(&v).expect("encode")).expect("write");
}

#[test]
fn introspection_refusing_the_caller_is_not_an_invalid_token() {
    let (sb, _emu) = setup(&[]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    set_stored_secret(&sb, "emu/default", "wrong-secret-0123456789");
    let out = sb
        .gtx()
        .args(["token", "validate", "--env", "emu"])
        .output()
        .expect("run");
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("may not introspect"), "{err}");
    assert!(!err.contains("not valid"), "{err}");
    assert!(!err.contains("wrong-secret-0123456789"), "{err}");
}

#[test]
fn introspection_and_revocation_use_basic_when_configured() {
    let (sb, emu) = setup(&[]);
    sb.gtx()
        .args(["env", "set", "emu", "client_auth", "basic"])
        .assert()
        .success();
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    token_get(&sb, "emu");
    let out = sb
        .gtx()
        .args(["-vv", "token", "validate", "--env", "emu"])
        .output()
        .expect("run");
    let err = stderr_of(&out);
    assert!(out.status.success(), "{err}");
    let introspect = err.split("introspect").nth(1).unwrap_or_default();
    assert!(introspect.contains("authorization: Basic"), "{err}");
    assert!(!introspect.contains("client_secret="), "{err}");
    let out = sb
        .gtx()
        .args(["-vv", "logout", "--env", "emu"])
        .output()
        .expect("run");
    let err = stderr_of(&out);
    assert!(err.contains("authorization: Basic"), "{err}");
    assert!(!err.contains("client_secret="), "{err}");
    assert_eq!(emu.stats()["revoke_hits"], 1);
}

/// RFC 7662's `exp` says when the token expires: an answer of `active: true` with an `exp`
/// already past contradicts itself, and the token is not called valid on its word.
#[test]
fn introspection_active_with_a_past_exp_is_not_valid() {
    let canned = crate::support::canned::Canned::start();
    let sb = Sandbox::new();
    sb.gtx()
        .args(["env", "add", "intro", "--api-base", &canned.base_url])
        .args(["--introspect-url", "/introspect"])
        .assert()
        .success();
    let validate = |body: &str| {
        canned.json("/introspect", 200, body);
        sb.gtx()
            .args(["token", "validate", "-", "--env", "intro"])
            .write_stdin("opaque-token-0123456789\n")
            .output()
            .expect("run")
    };
    let out = validate(r#"{"active":true,"exp":1000000000}"#);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        stderr_of(&out)
    );
    assert_eq!(out.status.code(), Some(5), "{text}");
    assert!(text.contains("2001-09-09"), "says when it expired: {text}");
    let out = validate(r#"{"active":true,"exp":4102444800}"#);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let out = validate(r#"{"active":true}"#);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
}
