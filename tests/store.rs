//! The file and memory stores, through the binary (README, "Concepts": stores).

use crate::support::{Sandbox, mode, stderr_of, stdout_of};
use std::io::Write;
use std::process::Stdio;

const TOKEN: &str = "opaque-token-0123456789abcdef";

pub use crate::support::emulated::login_with_token;

#[test]
fn file_store_is_private() {
    let sb = Sandbox::new();
    login_with_token(&sb, "sandbox", "default", TOKEN);
    assert_eq!(mode(&sb.credentials_path()), 0o600);
    assert_eq!(mode(&sb.data_dir()), 0o700);
    let text = std::fs::read_to_string(sb.credentials_path()).expect("read");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(v["version"], 1);
    assert_eq!(v["profiles"]["sandbox/default"]["version"], 1);
    assert_eq!(
        v["profiles"]["sandbox/default"]["session"]["access_token"],
        TOKEN
    );
    assert_eq!(
        v["profiles"]["sandbox/default"]["session"]["grant"],
        "token"
    );
}

#[test]
fn corrupt_file_exits_7_and_is_left_untouched() {
    let sb = Sandbox::new();
    login_with_token(&sb, "sandbox", "default", TOKEN);
    let path = sb.credentials_path();
    let corrupt = b"{\"version\":1,\"profiles\":{\"sandbox/default\": {oops";
    std::fs::write(&path, corrupt).expect("write");
    for args in [
        &["token", "get"][..],
        &["status"][..],
        &["token", "clear"][..],
        &["logout"][..],
        &["token", "show"][..],
    ] {
        let out = sb.gtx().args(args).output().expect("run");
        assert_eq!(out.status.code(), Some(7), "{args:?}: {}", stderr_of(&out));
        assert!(
            stderr_of(&out).contains("credentials.json"),
            "{}",
            stderr_of(&out)
        );
    }
    sb.gtx()
        .args(["login", "--with-token"])
        .write_stdin(TOKEN)
        .assert()
        .code(7);
    assert_eq!(std::fs::read(&path).expect("read"), corrupt);
}

#[test]
fn record_of_unknown_version_is_refused() {
    let sb = Sandbox::new();
    login_with_token(&sb, "sandbox", "default", TOKEN);
    let path = sb.credentials_path();
    let text = std::fs::read_to_string(&path).expect("read");
    let mut v: serde_json::Value = serde_json::from_str(&text).expect("json");
    v["profiles"]["sandbox/default"]["version"] = 2.into();
    let bytes = serde_json::to_vec(&v).expect("encode");
    std::fs::write(&path, &bytes).expect("write");
    let out = sb.gtx().args(["token", "get"]).output().expect("run");
    assert_eq!(out.status.code(), Some(7));
    assert!(stderr_of(&out).contains("version 2"), "{}", stderr_of(&out));
    assert_eq!(std::fs::read(&path).expect("read"), bytes);
}

#[cfg(unix)]
#[test]
fn world_readable_file_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    login_with_token(&sb, "sandbox", "default", TOKEN);
    std::fs::set_permissions(
        sb.credentials_path(),
        std::fs::Permissions::from_mode(0o644),
    )
    .expect("chmod");
    let out = sb.gtx().args(["token", "get"]).output().expect("run");
    assert_eq!(out.status.code(), Some(7));
    assert!(stderr_of(&out).contains("chmod 600"), "{}", stderr_of(&out));
}

#[test]
fn parallel_writers_lose_no_record() {
    let sb = Sandbox::new();
    let children: Vec<_> = (0..8)
        .map(|i| {
            let mut child = sb
                .std_gtx()
                .args(["login", "--with-token", "--credential", &format!("app{i}")])
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn");
            let mut stdin = child.stdin.take().expect("stdin");
            stdin
                .write_all(format!("token-for-app{i}-0123456789").as_bytes())
                .expect("write");
            drop(stdin);
            child
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("wait");
        assert!(out.status.success(), "{}", stderr_of(&out));
    }
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sb.credentials_path()).expect("read"))
            .expect("json");
    let profiles = v["profiles"].as_object().expect("profiles");
    assert_eq!(profiles.len(), 8, "{profiles:?}");
    for i in 0..8 {
        assert_eq!(
            profiles[&format!("sandbox/app{i}")]["session"]["access_token"],
            format!("token-for-app{i}-0123456789")
        );
    }
}

#[test]
fn memory_store_writes_nothing() {
    let sb = Sandbox::new();
    sb.gtx()
        .env("GTX_STORE", "memory")
        .args(["login", "--with-token"])
        .write_stdin(TOKEN)
        .assert()
        .success();
    sb.gtx()
        .env("GTX_STORE", "memory")
        .args(["token", "show"])
        .assert()
        .code(4);
    assert!(
        !sb.path().join("data").exists(),
        "memory store created files"
    );
}

#[test]
fn store_choice_from_config() {
    let sb = Sandbox::new();
    sb.write_config("store = \"memory\"\n");
    sb.gtx_default_store()
        .args(["login", "--with-token"])
        .write_stdin(TOKEN)
        .assert()
        .success();
    assert!(!sb.credentials_path().exists());
    sb.write_config("store = \"file\"\n");
    sb.gtx_default_store()
        .args(["login", "--with-token"])
        .write_stdin(TOKEN)
        .assert()
        .success();
    assert!(sb.credentials_path().exists());
    sb.write_config("store = \"cloud\"\n");
    sb.gtx_default_store().args(["status"]).assert().code(3);
}

/// An empty GTX_STORE counts as unset, as empty GTX_ENV and GTX_CREDENTIAL do
/// (`GTX_STORE= gtx …` is how a shell clears it for one command): the config decides.
#[test]
fn empty_gtx_store_is_unset() {
    let sb = Sandbox::new();
    sb.write_config("store = \"file\"\n");
    sb.gtx()
        .env("GTX_STORE", "")
        .args(["login", "--with-token"])
        .write_stdin(TOKEN)
        .assert()
        .success();
    assert!(sb.credentials_path().exists());
    let out = sb
        .gtx()
        .env("GTX_STORE", "")
        .args(["token", "get"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(stdout_of(&out).trim(), TOKEN);
}

#[test]
fn keyring_unavailable_exits_7_naming_both_ways_out() {
    let sb = Sandbox::new();
    let out = sb
        .gtx_default_store()
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("XDG_RUNTIME_DIR", sb.path().join("no-runtime"))
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}/no-bus", sb.path().display()),
        )
        .args(["status"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(7), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains("GTX_STORE=file") && err.contains("GTX_STORE=memory"),
        "{err}"
    );
    assert!(err.contains("keyring"), "{err}");
}

#[test]
fn token_argument_is_accepted_with_a_warning() {
    let sb = Sandbox::new();
    sb.gtx()
        .args([
            "env",
            "add",
            "live",
            "--api-base",
            "http://127.0.0.1:9",
            "--token-prefix",
            "live_",
        ])
        .assert()
        .success();
    let token = "sandbox_0123456789abcdef0123";
    let out = sb
        .gtx()
        .args(["token", "validate", token, "--env", "live"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(5), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(err.contains("visible in `ps`"), "{err}");
    assert!(!err.contains(token), "{err}");
}

#[cfg(unix)]
#[test]
fn existing_data_dir_is_tightened_to_0700() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.data_dir()).expect("mkdir");
    std::fs::set_permissions(sb.data_dir(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    login_with_token(&sb, "sandbox", "default", TOKEN);
    assert_eq!(mode(&sb.data_dir()), 0o700);
    assert_eq!(mode(&sb.credentials_path()), 0o600);
}

#[test]
fn one_unreadable_record_does_not_block_the_others() {
    let sb = Sandbox::new();
    login_with_token(&sb, "sandbox", "good", TOKEN);
    login_with_token(&sb, "sandbox", "bad", TOKEN);
    let path = sb.credentials_path();
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    v["profiles"]["sandbox/bad"]["version"] = 9.into();
    std::fs::write(&path, serde_json::to_vec(&v).expect("encode")).expect("write");
    let out = sb.gtx().args(["status", "--json"]).output().expect("run");
    assert_eq!(out.status.code(), Some(7));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["profiles"][0]["credential"], "bad");
    assert!(
        v["profiles"][0]["error"]
            .as_str()
            .unwrap_or("")
            .contains("version 9")
    );
    assert_eq!(v["profiles"][1]["session"]["grant"], "token");
    sb.gtx()
        .args(["token", "get", "--credential", "good"])
        .assert()
        .success();
    sb.gtx()
        .args(["token", "get", "--credential", "bad"])
        .assert()
        .code(7);
    let out = sb
        .gtx()
        .args(["logout", "--credential", "bad"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    sb.gtx().args(["status"]).assert().success();
}

#[test]
fn tokens_must_be_header_safe() {
    let sb = Sandbox::new();
    sb.gtx()
        .args(["login", "--with-token"])
        .write_stdin("two words-0123456789")
        .assert()
        .code(2);
    sb.gtx()
        .args(["login", "--with-token"])
        .write_stdin("tok\u{7}en-0123456789")
        .assert()
        .code(2);
    sb.gtx()
        .args(["token", "get"])
        .env("GTX_TOKEN", "bad token")
        .assert()
        .code(2);
    sb.gtx()
        .args(["login", "--with-token"])
        .write_stdin("Bearer abc.def-0123456789\n")
        .assert()
        .success();
    let out = sb.gtx().args(["token", "get"]).output().expect("run");
    assert_eq!(crate::support::stdout_of(&out), "abc.def-0123456789\n");
}

#[test]
fn hostile_jwt_expiry_does_not_crash() {
    use base64::Engine;
    let enc = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let sb = Sandbox::new();
    for exp in ["99999999999999", "-9223372036854775808", "1e400"] {
        let jwt = format!(
            "{}.{}.c2ln",
            enc(r#"{"alg":"none"}"#),
            enc(&format!(r#"{{"exp":{exp}}}"#))
        );
        let out = sb
            .gtx()
            .args(["login", "--with-token"])
            .write_stdin(jwt.clone())
            .output()
            .expect("run");
        assert!(
            matches!(out.status.code(), Some(0) | Some(5)),
            "{exp}: {}",
            stderr_of(&out)
        );
        for args in [
            &["token", "show"][..],
            &["status"][..],
            &["token", "get", "--json"][..],
        ] {
            let out = sb.gtx().args(args).output().expect("run");
            assert!(
                matches!(out.status.code(), Some(0) | Some(4)),
                "{exp} {args:?}: {}",
                stderr_of(&out)
            );
        }
        let out = sb
            .gtx()
            .args([
                "token",
                "validate",
                "-",
                "--env",
                "production",
                "--timeout",
                "0.5",
            ])
            .write_stdin(jwt)
            .output()
            .expect("run");
        assert_ne!(out.status.code(), Some(1), "{exp}: {}", stderr_of(&out));
    }
}

#[test]
fn absurd_timeouts_are_usage_errors() {
    let sb = Sandbox::new();
    for t in ["1e20", "-1", "0", "NaN", "soon"] {
        sb.gtx()
            .args(["token", "get", "--timeout", t])
            .assert()
            .code(2);
        sb.gtx().args(["status", "--timeout", t]).assert().code(2);
    }
}

/// A credentials path that is a directory (a careless `mkdir -p`) is named as one, not
/// met with a `chmod 600` hint that cannot help.
#[test]
fn credentials_path_that_is_a_directory_is_named_as_one() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.credentials_path()).expect("mkdir");
    let out = sb
        .gtx()
        .args(["token", "get", "--env", "sandbox"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(7), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(err.contains("is a directory"), "{err}");
    assert!(!err.contains("chmod"), "{err}");
}

/// A credentials path that is a FIFO: opening it for reading would wait for a writer
/// forever; gtx names it instead (exit 7) without waiting.
#[cfg(unix)]
#[test]
fn credentials_path_that_is_a_fifo_is_named_not_waited_on() {
    let sb = Sandbox::new();
    let path = sb.credentials_path();
    std::fs::create_dir_all(path.parent().expect("parent")).expect("data dir");
    let c = std::ffi::CString::new(path.to_string_lossy().as_bytes()).expect("path");
    // SAFETY: mkfifo(3) on a NUL-terminated path this test owns.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
    let out = sb
        .gtx()
        .args(["token", "get", "--env", "sandbox"])
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .expect("run");
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(7), "{err}");
    assert!(err.contains("is a FIFO or a device"), "{err}");
}
