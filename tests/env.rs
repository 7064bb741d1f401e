//! `gtx env …` and environment selection (README, "Concepts" and `gtx env`).

use crate::support::{Sandbox, json_ok, stderr_of, stdout_of};

#[test]
fn builtins_are_listed_and_sandbox_is_default() {
    let sb = Sandbox::new();
    let out = sb
        .gtx()
        .args(["env", "list", "--json"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let names: Vec<&str> = v
        .as_array()
        .expect("array")
        .iter()
        .map(|e| e["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(names, ["sandbox", "production"]);
    assert_eq!(v[0]["current"], true);
    assert_eq!(v[1]["api_base"], "https://api.giftronaut.com");
    assert_eq!(v[0]["token_url"], "/oauth2/token");
    assert_eq!(
        v[0]["scopes"],
        serde_json::json!(["orders.read", "orders.write"])
    );
}

#[test]
fn show_json_shape() {
    let sb = Sandbox::new();
    let out = sb
        .gtx()
        .args(["env", "show", "production", "--json"])
        .output()
        .expect("run");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let keys: Vec<&String> = v.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        [
            "name",
            "builtin",
            "api_base",
            "dialect",
            "token_url",
            "authorize_url",
            "device_url",
            "validate_url",
            "introspect_url",
            "revoke_url",
            "client_id",
            "scopes",
            "redirect_port",
            "token_prefix",
            "client_auth",
            "issuer",
            "client_assertion_aud",
            "client_assertion_alg",
            "client_key_id",
            "dpop",
            "ca_file",
            "openapi_url"
        ]
    );
    assert_eq!(v["dialect"], "oauth2");
}

#[test]
fn selection_precedence() {
    let sb = Sandbox::new();
    sb.write_config("default_env = \"shop\"\n[environments.shop]\napi_base = \"https://shop.example.com\"\n[environments.other]\napi_base = \"https://other.example.com\"\n");
    let current = |cmd: &mut assert_cmd::Command| {
        let out = cmd.args(["env", "list", "--json"]).output().expect("run");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        v.as_array()
            .expect("array")
            .iter()
            .find(|e| e["current"] == true)
            .map(|e| e["name"].as_str().unwrap_or("").to_string())
    };
    assert_eq!(current(&mut sb.gtx()).as_deref(), Some("shop"));
    assert_eq!(
        current(sb.gtx().env("GTX_ENV", "other")).as_deref(),
        Some("other")
    );
    assert_eq!(
        current(
            sb.gtx()
                .env("GTX_ENV", "other")
                .args(["--env", "production"])
        )
        .as_deref(),
        Some("production")
    );
    let fresh = Sandbox::new();
    assert_eq!(current(&mut fresh.gtx()).as_deref(), Some("sandbox"));
}

#[test]
fn unknown_environment_exits_3_listing_known_ones() {
    let sb = Sandbox::new();
    let out = sb
        .gtx()
        .args(["--env", "staging", "token", "get"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3));
    let err = stderr_of(&out);
    assert!(
        err.contains("unknown environment \"staging\"") && err.contains("sandbox, production"),
        "{err}"
    );
    sb.gtx().args(["env", "show", "nope"]).assert().code(3);
    // Issue 11: status respects the selection too.
    sb.gtx()
        .args(["status"])
        .env("GTX_ENV", "nope")
        .assert()
        .code(3);
}

#[test]
fn add_set_remove_round_trip() {
    let sb = Sandbox::new();
    sb.gtx()
        .args([
            "env",
            "add",
            "shop",
            "--api-base",
            "https://shop.example.com/",
            "--dialect",
            "oauth2-json",
            "--token-url",
            "/api/oauth/token",
            "--scopes",
            "write,read",
        ])
        .assert()
        .success();
    let show = |sb: &Sandbox| -> serde_json::Value {
        let out = sb
            .gtx()
            .args(["env", "show", "shop", "--json"])
            .output()
            .expect("run");
        assert!(out.status.success(), "{}", stderr_of(&out));
        serde_json::from_slice(&out.stdout).expect("json")
    };
    let v = show(&sb);
    assert_eq!(v["api_base"], "https://shop.example.com");
    assert_eq!(v["dialect"], "oauth2-json");
    assert_eq!(v["scopes"], serde_json::json!(["write", "read"]));
    sb.gtx()
        .args(["env", "set", "shop", "redirect_port", "8765"])
        .assert()
        .success();
    sb.gtx()
        .args(["env", "set", "shop", "client_auth", "basic"])
        .assert()
        .success();
    let v = show(&sb);
    assert_eq!(v["redirect_port"], 8765);
    assert_eq!(v["client_auth"], "basic");
    // Duplicate add is refused unless forced.
    sb.gtx()
        .args(["env", "add", "shop", "--api-base", "https://x.example.com"])
        .assert()
        .code(3);
    sb.gtx()
        .args([
            "env",
            "add",
            "shop",
            "--api-base",
            "https://x.example.com",
            "--force",
        ])
        .assert()
        .success();
    assert_eq!(show(&sb)["api_base"], "https://x.example.com");
    assert_eq!(show(&sb)["dialect"], "oauth2");
    sb.gtx().args(["env", "remove", "shop"]).assert().success();
    sb.gtx().args(["env", "show", "shop"]).assert().code(3);
    sb.gtx().args(["env", "remove", "shop"]).assert().code(3);
}

#[test]
fn device_url_through_add_set_show_and_the_file() {
    let sb = Sandbox::new();
    sb.gtx()
        .args([
            "env",
            "add",
            "dev",
            "--api-base",
            "https://id.example.com",
            "--device-url",
            "/oauth2/device",
        ])
        .assert()
        .success();
    assert!(sb.read_config().contains("device_url = \"/oauth2/device\""));
    let show = |sb: &Sandbox| json_ok(sb.gtx().args(["env", "show", "dev", "--json"]));
    assert_eq!(show(&sb)["device_url"], "/oauth2/device");
    sb.gtx()
        .args([
            "env",
            "set",
            "dev",
            "device_url",
            "https://id.example.com/dev",
        ])
        .assert()
        .success();
    assert_eq!(show(&sb)["device_url"], "https://id.example.com/dev");
    let text = stdout_of(&sb.gtx().args(["env", "show", "dev"]).output().expect("run"));
    assert!(
        text.contains("device_url      https://id.example.com/dev"),
        "{text}"
    );
    // Checked like every other endpoint.
    sb.gtx()
        .args([
            "env",
            "set",
            "dev",
            "device_url",
            "http://id.example.com/dev",
        ])
        .assert()
        .code(3);
    sb.gtx()
        .args(["env", "set", "dev", "device_url", ""])
        .assert()
        .success();
    assert_eq!(show(&sb)["device_url"], serde_json::Value::Null);
}

#[test]
fn builtin_override_and_restore() {
    let sb = Sandbox::new();
    sb.gtx()
        .args(["env", "set", "sandbox", "client_id", "my-app"])
        .assert()
        .success();
    let out = sb
        .gtx()
        .args(["env", "show", "sandbox", "--json"])
        .output()
        .expect("run");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["client_id"], "my-app");
    assert_eq!(v["api_base"], "https://sandbox.api.giftronaut.com");
    sb.gtx()
        .args(["env", "remove", "sandbox"])
        .assert()
        .success();
    let out = sb
        .gtx()
        .args(["env", "show", "sandbox", "--json"])
        .output()
        .expect("run");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["client_id"], serde_json::Value::Null);
    sb.gtx()
        .args(["env", "remove", "production"])
        .assert()
        .code(3);
}

#[test]
fn use_sets_default_env() {
    let sb = Sandbox::new();
    sb.gtx()
        .args(["env", "use", "production"])
        .assert()
        .success();
    assert!(sb.read_config().contains("default_env = \"production\""));
    let out = sb.gtx().args(["env", "list"]).output().expect("run");
    assert!(
        stdout_of(&out).contains("* production"),
        "{}",
        stdout_of(&out)
    );
    sb.gtx().args(["env", "use", "nope"]).assert().code(3);
}

#[test]
fn set_keeps_comments_and_unknown_keys() {
    let sb = Sandbox::new();
    let original = "# my gtx settings — keep this comment\nfuture_option = true\n\n[environments.shop]\n# the shop admin API\napi_base = \"https://shop.example.com\" # trailing note\nmystery = 42\n";
    sb.write_config(original);
    sb.gtx()
        .args(["env", "set", "shop", "client_id", "administration"])
        .assert()
        .success();
    let text = sb.read_config();
    for kept in [
        "# my gtx settings — keep this comment",
        "future_option = true",
        "# the shop admin API",
        "# trailing note",
        "mystery = 42",
    ] {
        assert!(text.contains(kept), "lost {kept:?}:\n{text}");
    }
    assert!(text.contains("client_id = \"administration\""), "{text}");
}

#[test]
fn insecure_urls_are_refused() {
    let sb = Sandbox::new();
    let out = sb
        .gtx()
        .args(["env", "add", "x", "--api-base", "http://api.example.com"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr_of(&out).contains("insecure URL"),
        "{}",
        stderr_of(&out)
    );
    sb.gtx()
        .args([
            "env",
            "add",
            "x",
            "--api-base",
            "https://api.example.com",
            "--token-url",
            "http://auth.example.com/token",
        ])
        .assert()
        .code(3);
    for ok in [
        "http://127.0.0.1:8080",
        "http://localhost:9",
        "http://[::1]:8080",
        "http://127.9.0.1",
    ] {
        sb.gtx()
            .args(["env", "add", "local", "--force", "--api-base", ok])
            .assert()
            .success();
    }
    sb.gtx()
        .args(["env", "set", "local", "api_base", "ftp://x"])
        .assert()
        .code(3);
    sb.gtx()
        .args(["env", "set", "local", "colour", "blue"])
        .assert()
        .code(2);
    sb.gtx()
        .args(["env", "add", "bad/name", "--api-base", "https://a.example"])
        .assert()
        .code(2);
}

#[test]
fn bad_config_names_file_and_line() {
    let sb = Sandbox::new();
    sb.write_config("[environments.shop]\napi_base = \"https://shop.example.com\"\nredirect_port = \"eighty\"\n");
    let out = sb.gtx().args(["env", "list"]).output().expect("run");
    assert_eq!(out.status.code(), Some(3));
    let err = stderr_of(&out);
    assert!(
        err.contains(&sb.config_path().display().to_string()) && err.contains("line 3"),
        "{err}"
    );

    sb.write_config("default_env = \"sandbox\"\n\n[environments.shop\napi_base = 1\n");
    let out = sb.gtx().args(["env", "list"]).output().expect("run");
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr_of(&out).contains("line 3"), "{}", stderr_of(&out));

    sb.write_config("[environments.shop]\ndialect = \"soap\"\napi_base = \"https://a.example\"\n");
    let out = sb.gtx().args(["token", "get"]).output().expect("run");
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr_of(&out).contains("line 2"), "{}", stderr_of(&out));
}

#[test]
fn config_write_is_atomic_and_leaves_no_temp_files() {
    let sb = Sandbox::new();
    for i in 0..5 {
        sb.gtx()
            .args([
                "env",
                "add",
                &format!("e{i}"),
                "--api-base",
                "https://a.example",
            ])
            .assert()
            .success();
    }
    let leftovers: Vec<_> = std::fs::read_dir(sb.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
    assert_eq!(sb.read_config().matches("[environments.").count(), 5);
}

#[test]
fn credentials_in_urls_are_refused() {
    let sb = Sandbox::new();
    let out = sb
        .gtx()
        .args([
            "env",
            "add",
            "x",
            "--api-base",
            "https://user:hunter2-secret@api.example.com",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr_of(&out).contains("credentials in URLs"),
        "{}",
        stderr_of(&out)
    );
}

#[cfg(unix)]
#[test]
fn symlinked_config_is_updated_in_place() {
    let sb = Sandbox::new();
    let real = sb.path().join("dotfiles-config.toml");
    std::fs::write(&real, "# from my dotfiles\n").expect("write");
    std::os::unix::fs::symlink(&real, sb.config_path()).expect("symlink");
    sb.gtx()
        .args(["env", "use", "production"])
        .assert()
        .success();
    assert!(
        std::fs::symlink_metadata(sb.config_path())
            .expect("meta")
            .file_type()
            .is_symlink()
    );
    let text = std::fs::read_to_string(&real).expect("read");
    assert!(
        text.contains("# from my dotfiles") && text.contains("default_env = \"production\""),
        "{text}"
    );
}

/// A config symlinked to a dotfiles file that does not exist yet (a fresh clone, a relative
/// link) is created where the link points: the link, which the person made, stays a link.
/// Where it points into a missing directory, the write fails (exit 3) and the link stays.
#[cfg(unix)]
#[test]
fn a_dangling_config_symlink_is_written_through_not_replaced() {
    let sb = Sandbox::new();
    let is_link = |p: &std::path::Path| {
        std::fs::symlink_metadata(p)
            .expect("meta")
            .file_type()
            .is_symlink()
    };
    std::fs::create_dir_all(sb.path().join("dotfiles")).expect("mkdir");
    std::os::unix::fs::symlink("dotfiles/gtx.toml", sb.config_path()).expect("symlink");
    sb.gtx()
        .args(["env", "use", "production"])
        .assert()
        .success();
    assert!(is_link(&sb.config_path()), "the symlink was replaced");
    let text = std::fs::read_to_string(sb.path().join("dotfiles/gtx.toml")).expect("target");
    assert!(text.contains("default_env = \"production\""), "{text}");
    std::fs::remove_file(sb.config_path()).expect("rm");
    std::os::unix::fs::symlink(sb.path().join("no-such-dir/gtx.toml"), sb.config_path())
        .expect("symlink");
    let out = sb
        .gtx()
        .args(["env", "use", "production"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    assert!(is_link(&sb.config_path()), "the symlink was replaced");
}

#[test]
fn parallel_env_add_keeps_every_environment() {
    let sb = Sandbox::new();
    let children: Vec<_> = (0..20)
        .map(|i| {
            sb.std_gtx()
                .args([
                    "env",
                    "add",
                    &format!("p{i}"),
                    "--api-base",
                    "https://a.example",
                ])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("wait");
        assert!(out.status.success(), "{}", stderr_of(&out));
    }
    let list = json_ok(sb.gtx().args(["env", "list", "--json"]));
    let custom = list
        .as_array()
        .expect("array")
        .iter()
        .filter(|e| e["builtin"] == false)
        .count();
    assert_eq!(custom, 20, "{}", sb.read_config());
}

#[cfg(unix)]
#[test]
fn config_directory_is_0700_whatever_the_umask() {
    let sb = Sandbox::new();
    for (umask, dir) in [("000", "open"), ("277", "strict")] {
        let config = sb.path().join(dir).join("gtx").join("config.toml");
        let out = sb
            .wrapper("sh")
            .args([
                "-c",
                &format!("umask {umask}; exec \"$0\" \"$@\""),
                crate::support::GTX,
                "env",
                "add",
                "x",
                "--api-base",
                "https://a.example",
            ])
            .env("GTX_CONFIG", &config)
            .output()
            .expect("run");
        assert!(out.status.success(), "umask {umask}: {}", stderr_of(&out));
        let parent = config.parent().expect("parent");
        assert_eq!(crate::support::mode(parent), 0o700, "umask {umask}");
    }
}

#[test]
fn url_parse_errors_never_echo_a_password() {
    let sb = Sandbox::new();
    let out = sb
        .gtx()
        .args([
            "env",
            "add",
            "x",
            "--api-base",
            "https://user:hunter2-secret@exa mple.com",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3));
    assert!(!stderr_of(&out).contains("hunter2"), "{}", stderr_of(&out));
}

#[test]
fn api_base_with_query_or_fragment_is_refused() {
    let sb = Sandbox::new();
    for bad in [
        "https://a.example/api?x=1",
        "https://a.example/api#top",
        "https://a.example/?",
    ] {
        sb.gtx()
            .args(["env", "add", "x", "--force", "--api-base", bad])
            .assert()
            .code(3);
    }
    sb.gtx()
        .args(["env", "add", "x", "--api-base", "https://a.example/api"])
        .assert()
        .success();
    sb.gtx()
        .args(["env", "set", "x", "api_base", "https://a.example/api#x"])
        .assert()
        .code(3);
}

#[test]
fn discovery_issuer_must_match_the_url_asked() {
    let emu = crate::support::Emulator::start(&[]);
    let sb = Sandbox::new();
    // The same server under another name: its document names 127.0.0.1, not localhost.
    let other = emu.base_url.replace("127.0.0.1", "localhost");
    let out = sb
        .gtx()
        .args(["env", "add", "disc", "--issuer", &other])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("issuer"), "{}", stderr_of(&out));
    assert!(sb.read_config().is_empty());
    sb.gtx()
        .args(["env", "add", "disc", "--issuer", &emu.base_url])
        .assert()
        .success();
}

/// An issuer URL with no discovery document (HTTP 404 at both well-known paths) is a wrong
/// `--issuer`, a configuration error (exit 3) like a token URL that is not found, not a
/// network or server failure (exit 6, kept for 5xx and unreachable servers).
#[test]
fn discovery_not_found_is_a_configuration_error() {
    let emu = crate::support::Emulator::start(&[]);
    let sb = Sandbox::new();
    let out = sb
        .gtx()
        .args([
            "env",
            "add",
            "disc",
            "--issuer",
            &format!("{}/nope", emu.base_url),
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("HTTP 404"), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("--issuer"), "{}", stderr_of(&out));
    assert!(sb.read_config().is_empty());
}

/// RFC 8414 section 3.1: for an issuer with a path, the metadata lives at the well-known
/// path inserted between host and path (`/.well-known/oauth-authorization-server/tenant`),
/// where a server that follows the RFC has it and nowhere else.
#[test]
fn discovery_finds_rfc_8414_metadata_for_an_issuer_with_a_path() {
    let canned = crate::support::canned::Canned::start();
    let issuer = format!("{}/tenant-1", canned.base_url);
    canned.json(
        "/.well-known/oauth-authorization-server/tenant-1",
        200,
        &format!(
            r#"{{"issuer":"{issuer}","token_endpoint":"{issuer}/token","revocation_endpoint":"{issuer}/revoke"}}"#
        ),
    );
    let sb = Sandbox::new();
    let out = sb
        .gtx()
        .args(["env", "add", "tenant", "--issuer", &issuer])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let v = json_ok(sb.gtx().args(["env", "show", "tenant", "--json"]));
    assert_eq!(v["token_url"], format!("{issuer}/token"));
    assert_eq!(v["revoke_url"], format!("{issuer}/revoke"));
    assert_eq!(v["issuer"], issuer);
}

/// `kill -9` between writing the config's temp file and renaming it leaves the temp file;
/// the next write removes it (only a dead process's, under the config lock).
#[test]
fn killed_config_write_leaves_no_temp_file_after_the_next_write() {
    let sb = Sandbox::new();
    let killed = crate::support::gtx_under_strace(
        &sb,
        "rename,renameat,renameat2",
        "signal=KILL",
        &["env", "add", "k1", "--api-base", "https://k1.example"],
    );
    let Some(killed) = killed else { return };
    assert!(!killed.status.success());
    let temps = || {
        std::fs::read_dir(sb.path())
            .expect("list")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect::<Vec<_>>()
    };
    assert_eq!(temps().len(), 1, "the kill left no temp file to clean");
    sb.gtx()
        .args(["env", "add", "k2", "--api-base", "https://k2.example"])
        .assert()
        .success();
    assert_eq!(temps(), Vec::<String>::new());
}

/// `GTX_CONFIG` pointing at something endless (a device, a runaway generator) is refused
/// after a bounded read instead of filling memory; `/dev/null` stays an empty config.
#[cfg(unix)]
#[test]
fn endless_config_file_is_refused_not_read_forever() {
    let sb = Sandbox::new();
    let out = sb
        .gtx()
        .args(["env", "list"])
        .env("GTX_CONFIG", "/dev/zero")
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("/dev/zero"), "{}", stderr_of(&out));
    sb.gtx()
        .args(["env", "list"])
        .env("GTX_CONFIG", "/dev/null")
        .assert()
        .success();
}

/// A name that cannot be an environment (a stray space or newline from a script, `../x`)
/// gets no "add it with: gtx env add …" hint: that command would only fail in turn.
#[test]
fn an_impossible_environment_name_is_not_suggested_for_env_add() {
    let sb = Sandbox::new();
    for name in ["sandbox ", "../x", "a\nb"] {
        let out = sb
            .gtx()
            .args(["token", "get"])
            .env("GTX_ENV", name)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(3), "{name:?}: {}", stderr_of(&out));
        assert!(
            !stderr_of(&out).contains("gtx env add"),
            "{name:?}: {}",
            stderr_of(&out)
        );
    }
    let out = sb
        .gtx()
        .args(["token", "get", "--env", "staging"])
        .output()
        .expect("run");
    assert!(
        stderr_of(&out).contains("gtx env add staging"),
        "{}",
        stderr_of(&out)
    );
}

/// A name of valid characters but too long is told so, not that its letters are wrong.
#[test]
fn a_too_long_name_is_told_the_limit() {
    let sb = Sandbox::new();
    let long = "a".repeat(65);
    for args in [
        vec![
            "env",
            "add",
            long.as_str(),
            "--api-base",
            "https://a.example",
        ],
        vec!["token", "get", "--credential", long.as_str()],
    ] {
        let out = sb.gtx().args(&args).output().expect("run");
        assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
        assert!(
            stderr_of(&out).contains("at most 64"),
            "{}",
            stderr_of(&out)
        );
    }
    sb.gtx()
        .args([
            "env",
            "add",
            &"a".repeat(64),
            "--api-base",
            "https://a.example",
        ])
        .assert()
        .success();
}

/// TOML allows the environments as inline tables (`environments = { x = { … } }`); gtx read
/// them but `env set`/`env add` failed with "`environments` is not a table" (exit 3).
#[test]
fn inline_tables_in_a_hand_edited_config_can_be_edited() {
    let sb = Sandbox::new();
    sb.write_config(
        "# mine\nenvironments = { x = { api_base = \"https://x.example\", scopes = [\"a\"] } }\n",
    );
    sb.gtx()
        .args(["env", "set", "x", "client_id", "app"])
        .assert()
        .success();
    sb.gtx()
        .args(["env", "add", "z", "--api-base", "https://z.example"])
        .assert()
        .success();
    let x = json_ok(sb.gtx().args(["env", "show", "x", "--json"]));
    assert_eq!(x["client_id"], "app", "{}", sb.read_config());
    assert_eq!(x["api_base"], "https://x.example");
    assert_eq!(x["scopes"], serde_json::json!(["a"]));
    let z = json_ok(sb.gtx().args(["env", "show", "z", "--json"]));
    assert_eq!(z["api_base"], "https://z.example");
    assert!(sb.read_config().contains("# mine"), "{}", sb.read_config());
}
