//! `gtx status`, `gtx token clear`, `gtx logout` (local removal).

use crate::store::login_with_token;
use crate::support::{Sandbox, stderr_of, stdout_of};

const JWT_EXP_2100: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTEiLCJzY29wZSI6Im9yZGVycy5yZWFkIiwiZXhwIjo0MTAyNDQ0ODAwfQ.c2lnbmF0dXJlLWJ5dGVz";

#[test]
fn status_lists_every_profile_without_secrets() {
    let sb = Sandbox::new();
    sb.gtx().args(["status"]).assert().success();
    login_with_token(&sb, "sandbox", "default", JWT_EXP_2100);
    login_with_token(
        &sb,
        "production",
        "reporting",
        "opaque-prod-token-0123456789",
    );
    let out = sb.gtx().args(["status", "--json"]).output().expect("run");
    assert!(out.status.success());
    let text = stdout_of(&out);
    assert!(
        !text.contains(JWT_EXP_2100) && !text.contains("opaque-prod-token"),
        "{text}"
    );
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(v["store"], "file");
    let profiles = v["profiles"].as_array().expect("profiles");
    assert_eq!(profiles.len(), 2);
    assert_eq!(profiles[0]["env"], "production");
    assert_eq!(profiles[0]["credential"], "reporting");
    assert_eq!(profiles[1]["env"], "sandbox");
    let s = &profiles[1]["session"];
    assert_eq!(s["grant"], "token");
    assert_eq!(s["state"], "valid");
    assert_eq!(s["expires_at"], "2100-01-01T00:00:00Z");
    assert_eq!(s["scopes"], serde_json::json!(["orders.read"]));
    assert_eq!(s["refreshable"], false);
    let keys: Vec<&String> = profiles[1].as_object().expect("obj").keys().collect();
    assert_eq!(keys, ["env", "credential", "client", "session"]);
    let human = stdout_of(&sb.gtx().args(["status"]).output().expect("run"));
    assert!(
        human.contains("sandbox/default") && human.contains("production/reporting"),
        "{human}"
    );
}

#[test]
fn token_clear_keeps_other_profiles() {
    let sb = Sandbox::new();
    login_with_token(&sb, "sandbox", "default", JWT_EXP_2100);
    login_with_token(&sb, "production", "default", "opaque-prod-token-0123456789");
    sb.gtx().args(["token", "clear"]).assert().success();
    sb.gtx().args(["token", "show"]).assert().code(4);
    sb.gtx()
        .args(["token", "show", "--env", "production"])
        .assert()
        .success();
    sb.gtx()
        .args(["token", "clear", "--all"])
        .assert()
        .success();
    sb.gtx()
        .args(["token", "show", "--env", "production"])
        .assert()
        .code(4);
    let out = sb.gtx().args(["token", "clear"]).output().expect("run");
    assert!(out.status.success());
    assert!(
        stderr_of(&out).contains("no cached token"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn logout_removes_records() {
    let sb = Sandbox::new();
    login_with_token(&sb, "sandbox", "default", JWT_EXP_2100);
    login_with_token(&sb, "sandbox", "other", JWT_EXP_2100);
    login_with_token(&sb, "production", "default", "opaque-prod-token-0123456789");
    sb.gtx().args(["logout"]).assert().success();
    sb.gtx().args(["token", "show"]).assert().code(4);
    sb.gtx()
        .args(["token", "show", "--credential", "other"])
        .assert()
        .success();
    sb.gtx().args(["logout", "--all"]).assert().success();
    let out = sb.gtx().args(["status", "--json"]).output().expect("run");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["profiles"].as_array().map(Vec::len), Some(0));
    let out = sb.gtx().args(["logout"]).output().expect("run");
    assert!(out.status.success());
    assert!(
        stderr_of(&out).contains("not signed in"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn token_get_without_session_exits_4_with_login_hint() {
    let sb = Sandbox::new();
    let out = sb
        .gtx()
        .args(["token", "get", "--env", "production"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(4));
    assert!(stdout_of(&out).is_empty());
    assert!(
        stderr_of(&out).contains("gtx login --client-credentials --env production"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn pasted_token_is_served_from_cache() {
    let sb = Sandbox::new();
    login_with_token(&sb, "sandbox", "default", JWT_EXP_2100);
    let out = sb.gtx().args(["token", "get"]).output().expect("run");
    assert!(out.status.success());
    assert_eq!(stdout_of(&out), format!("{JWT_EXP_2100}\n"));
    let out = sb
        .gtx()
        .args(["token", "get", "--header"])
        .output()
        .expect("run");
    assert_eq!(
        stdout_of(&out),
        format!("Authorization: Bearer {JWT_EXP_2100}\n")
    );
}

#[test]
fn bad_credential_name_is_a_usage_error() {
    let sb = Sandbox::new();
    sb.gtx()
        .args(["token", "get", "--credential", "a/b"])
        .assert()
        .code(2);
}
