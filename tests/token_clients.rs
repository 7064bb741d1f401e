//! Whose token `token get` serves: GTX_CLIENT_* name one client and get only that
//! client's token, never a stored session of another client or grant (issue 10, defects 1
//! and 5).

use crate::support::emulated::{CLIENT, SECRET, login_cc, login_password, setup, token_get};
use crate::support::{Sandbox, json_ok, stderr_of};

fn stored_session(sb: &Sandbox, account: &str) -> serde_json::Value {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sb.credentials_path()).expect("read"))
            .expect("json");
    v["profiles"][account]["session"].clone()
}

fn env_client_get(sb: &Sandbox, env: &str, extra: &[&str]) -> serde_json::Value {
    json_ok(
        sb.gtx()
            .env("GTX_CLIENT_ID", CLIENT)
            .env("GTX_CLIENT_SECRET", SECRET)
            .args(["token", "get", "--json", "--env", env])
            .args(extra),
    )
}

#[test]
fn env_client_never_takes_over_a_password_session() {
    let (sb, _emu) = setup(&[]);
    login_password(&sb, "emu-json");
    let person = token_get(&sb, "emu-json");
    let before = stored_session(&sb, "emu-json/default");
    for extra in [&[][..], &["--scope", "orders.read"][..]] {
        let v = env_client_get(&sb, "emu-json", extra);
        assert_ne!(
            v["access_token"],
            person.as_str(),
            "{extra:?}: the person's token"
        );
        assert_eq!(v["source"], "minted", "{extra:?}");
        assert_eq!(v["store"], serde_json::Value::Null, "{extra:?}");
        assert_eq!(
            stored_session(&sb, "emu-json/default"),
            before,
            "{extra:?}: the stored session changed"
        );
    }
    assert_eq!(token_get(&sb, "emu-json"), person);
}

#[test]
fn env_client_never_takes_over_a_pasted_token() {
    let (sb, _emu) = setup(&[]);
    let pasted = "pasted-token-0123456789abcdef";
    let out = sb
        .gtx()
        .args(["login", "--with-token", "--no-verify", "--env", "emu"])
        .write_stdin(format!("{pasted}\n"))
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let v = env_client_get(&sb, "emu", &["--scope", "orders.read"]);
    assert_ne!(v["access_token"], pasted);
    assert_eq!(v["store"], serde_json::Value::Null);
    assert_eq!(stored_session(&sb, "emu/default")["access_token"], pasted);
    assert_eq!(stored_session(&sb, "emu/default")["grant"], "token");
}

/// `-v` says why a token was handed out without being kept, and only then.
#[test]
fn verbose_says_when_and_why_a_token_is_not_cached() {
    let (sb, _emu) = setup(&[]);
    let verbose_get = |sb: &Sandbox| {
        let out = sb
            .gtx()
            .env("GTX_CLIENT_ID", CLIENT)
            .env("GTX_CLIENT_SECRET", SECRET)
            .args(["-v", "token", "get", "--env", "emu"])
            .output()
            .expect("run");
        assert!(out.status.success(), "{}", stderr_of(&out));
        stderr_of(&out)
    };
    let kept = verbose_get(&sb);
    assert!(kept.contains("stored the new token"), "{kept}");
    assert!(!kept.contains("not caching"), "{kept}");
    let out = sb
        .gtx()
        .args(["login", "--with-token", "--no-verify", "--env", "emu"])
        .args(["--credential", "pasted"])
        .write_stdin("pasted-token-0123456789abcdef\n")
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let other = sb
        .gtx()
        .env("GTX_CLIENT_ID", CLIENT)
        .env("GTX_CLIENT_SECRET", SECRET)
        .args([
            "-v",
            "token",
            "get",
            "--env",
            "emu",
            "--credential",
            "pasted",
        ])
        .args(["--scope", "orders.read"])
        .output()
        .expect("run");
    let err = stderr_of(&other);
    assert!(other.status.success(), "{err}");
    assert!(
        err.contains("another client than the session stored"),
        "{err}"
    );
    assert!(err.contains("not caching"), "{err}");
}

#[test]
fn env_client_reuses_its_own_cached_token() {
    let (sb, emu) = setup(&[]);
    let first = env_client_get(&sb, "emu", &[]);
    assert_eq!(first["store"], "file");
    let hits = emu.token_hits("oauth2");
    let again = env_client_get(&sb, "emu", &[]);
    assert_eq!(again["access_token"], first["access_token"]);
    assert_eq!(again["source"], "cache");
    assert_eq!(emu.token_hits("oauth2"), hits);
}

#[test]
fn stored_client_and_password_session_use_the_cache() {
    let (sb, emu) = setup(&[]);
    assert!(login_cc(&sb, "emu-json", SECRET).status.success());
    login_password(&sb, "emu-json");
    let hits = emu.token_hits("oauth2-json");
    let first = token_get(&sb, "emu-json");
    assert_eq!(token_get(&sb, "emu-json"), first);
    assert_eq!(
        emu.token_hits("oauth2-json"),
        hits,
        "a fresh password session was renewed"
    );
}

fn jwt_expiring_in(secs: i64) -> String {
    use base64::Engine;
    let enc = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    format!(
        "{}.{}.c2ln",
        enc(r#"{"alg":"none"}"#),
        enc(&format!(r#"{{"exp":{}}}"#, now + secs))
    )
}

#[test]
fn pasted_token_short_of_min_ttl_says_so_and_hints_the_same_way_in() {
    let (sb, _emu) = setup(&[]);
    let out = sb
        .gtx()
        .args(["login", "--with-token", "--no-verify", "--env", "emu"])
        .write_stdin(format!("{}\n", jwt_expiring_in(30)))
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let out = sb
        .gtx()
        .args(["token", "get", "--env", "emu"])
        .output()
        .expect("run");
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains("less than --min-ttl 60s"), "{err}");
    assert!(!err.contains("has expired"), "{err}");
    assert!(err.contains("gtx login --with-token --env emu"), "{err}");
}

#[test]
fn unwritable_stdout_is_a_clear_write_error() {
    let (sb, _emu) = setup(&[]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let out = sb
        .std_gtx()
        .args(["token", "get", "--env", "emu"])
        .stdout(full)
        .output()
        .expect("run");
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot write to stdout"), "{err}");
    assert!(!err.contains("bug"), "{err}");
}

#[test]
fn a_refused_refresh_mints_with_the_stored_client() {
    let (sb, emu) = setup(&[]);
    assert!(login_cc(&sb, "emu-json", SECRET).status.success());
    login_password(&sb, "emu-json");
    let path = sb.credentials_path();
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    v["profiles"]["emu-json/default"]["session"]["refresh_token"] = "dead-refresh-0123".into();
    v["profiles"]["emu-json/default"]["session"]["expires_at"] = 1_000_000.into();
    std::fs::write(&path, serde_json::to_vec(&v).expect("encode")).expect("write");
    let hits = emu.token_hits("oauth2-json");
    let out = json_ok(
        sb.gtx()
            .args(["token", "get", "--json", "--env", "emu-json"]),
    );
    assert_eq!(out["source"], "minted");
    assert_eq!(
        emu.token_hits("oauth2-json"),
        hits + 2,
        "one refresh, one mint"
    );
    let s = stored_session(&sb, "emu-json/default");
    assert_eq!(s["grant"], "client_credentials");
    assert_eq!(s["client_id"], CLIENT);
}
