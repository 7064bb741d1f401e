//! The first hour of a new user (issue 11): selection respected everywhere, questions and
//! spinners only on a terminal, network errors that say what was tried, suggestions for
//! typos, `env show` of the selected environment, and colourless clap errors on request.

use crate::support::{Emulator, Sandbox, json_ok, stderr_of, stdout_of};

const TOKEN: &str = "opaque-token-0123456789abcdef";

fn with_token(sb: &Sandbox, env: &str, credential: &str) {
    sb.gtx()
        .args([
            "login",
            "--with-token",
            "--env",
            env,
            "--credential",
            credential,
        ])
        .write_stdin(format!("{TOKEN}\n"))
        .assert()
        .success();
}

fn profiles(sb: &Sandbox, extra: &[&str]) -> Vec<String> {
    let v = json_ok(sb.gtx().args(["status", "--json"]).args(extra));
    v["profiles"]
        .as_array()
        .expect("profiles")
        .iter()
        .map(|p| format!("{}/{}", p["env"].as_str().expect("env"), p["credential"]))
        .map(|s| s.replace('"', ""))
        .collect()
}

/// A store that cannot be opened: any command reaching it would exit 7.
fn keyring_unreachable(sb: &Sandbox) -> assert_cmd::Command {
    let mut cmd = sb.gtx_default_store();
    cmd.env("XDG_RUNTIME_DIR", sb.path().join("no-runtime"))
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}/no-bus", sb.path().display()),
        );
    cmd
}

#[test]
fn unknown_environment_exits_3_before_any_store_is_opened() {
    let sb = Sandbox::new();
    let commands: &[&[&str]] = &[
        &["status"],
        &["logout"],
        &["logout", "--all"],
        &["token", "get"],
        &["token", "generate"],
        &["token", "show"],
        &["token", "clear"],
        &["token", "clear", "--all"],
        &["token", "validate"],
        &["login", "--with-token"],
        &["env", "show"],
        &["env", "list"],
    ];
    for args in commands {
        let out = keyring_unreachable(&sb)
            .args(["--env", "nope"])
            .args(*args)
            .write_stdin("")
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(3), "{args:?}: {}", stderr_of(&out));
        assert!(stderr_of(&out).contains("unknown environment"), "{args:?}");
        let out = keyring_unreachable(&sb)
            .env("GTX_ENV", "nope")
            .args(*args)
            .write_stdin("")
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(3), "GTX_ENV {args:?}");
    }
}

#[test]
fn status_honours_env_and_credential() {
    let sb = Sandbox::new();
    with_token(&sb, "sandbox", "default");
    with_token(&sb, "sandbox", "reporting");
    with_token(&sb, "production", "default");
    assert_eq!(profiles(&sb, &[]).len(), 3);
    assert_eq!(
        profiles(&sb, &["--env", "production"]),
        ["production/default"]
    );
    assert_eq!(
        profiles(&sb, &["--credential", "reporting"]),
        ["sandbox/reporting"]
    );
    let v = json_ok(
        sb.gtx()
            .env("GTX_ENV", "sandbox")
            .args(["status", "--json"]),
    );
    assert_eq!(v["profiles"].as_array().map(Vec::len), Some(2));
    let human = stdout_of(
        &sb.gtx()
            .args(["status", "--env", "production"])
            .output()
            .expect("run"),
    );
    assert!(
        human.contains("production/default") && !human.contains("sandbox/"),
        "{human}"
    );
}

#[test]
fn empty_status_hint_names_the_selected_environment() {
    let sb = Sandbox::new();
    sb.write_config(
        "default_env = \"shop\"\n[environments.shop]\napi_base = \"https://shop.example.com\"\ndialect = \"oauth2-json\"\n",
    );
    let out = sb.gtx().args(["status"]).output().expect("run");
    assert!(out.status.success());
    let err = stderr_of(&out);
    assert!(err.contains("--env shop"), "{err}");
    assert!(!err.contains("sandbox"), "{err}");
    let err = stderr_of(
        &sb.gtx()
            .args(["status", "--env", "production"])
            .output()
            .expect("run"),
    );
    assert!(
        err.contains("gtx login --client-credentials --env production"),
        "{err}"
    );
}

#[test]
fn logout_all_with_env_signs_out_that_environment_only() {
    let sb = Sandbox::new();
    with_token(&sb, "sandbox", "default");
    with_token(&sb, "sandbox", "reporting");
    with_token(&sb, "production", "default");
    let v = json_ok(
        sb.gtx()
            .args(["logout", "--all", "--env", "sandbox", "--json"]),
    );
    assert_eq!(v["store"], "file");
    let removed: Vec<String> = v["removed"]
        .as_array()
        .expect("removed")
        .iter()
        .map(|r| format!("{}/{}", r["env"], r["credential"]).replace('"', ""))
        .collect();
    assert_eq!(removed, ["sandbox/default", "sandbox/reporting"]);
    assert_eq!(v["removed"][0]["revoked"], false);
    assert_eq!(profiles(&sb, &[]), ["production/default"]);
}

#[cfg(unix)]
mod terminal {
    use super::*;
    use crate::support::pty;

    fn logout_all(sb: &Sandbox, extra: &[&str], typed: &[u8]) -> pty::PtyOutput {
        let mut cmd = sb.std_gtx();
        cmd.args(["logout", "--all"]).args(extra);
        pty::run(cmd, typed)
    }

    #[test]
    fn logout_all_asks_on_a_terminal_and_defaults_to_no() {
        let sb = Sandbox::new();
        with_token(&sb, "sandbox", "default");
        with_token(&sb, "production", "default");
        let out = logout_all(&sb, &[], b"\n");
        assert_eq!(out.code, Some(0), "{}", out.terminal);
        assert!(
            out.terminal.contains("sandbox/default")
                && out.terminal.contains("production/default")
                && out.terminal.contains("[y/N]"),
            "{}",
            out.terminal
        );
        assert!(out.terminal.contains("nothing removed"), "{}", out.terminal);
        assert_eq!(profiles(&sb, &[]).len(), 2);
        let out = logout_all(&sb, &[], b"n\n");
        assert_eq!(out.code, Some(0));
        assert_eq!(profiles(&sb, &[]).len(), 2);
        let out = logout_all(&sb, &["--env", "production"], b"y\n");
        assert!(
            out.terminal.contains("production/default") && !out.terminal.contains("sandbox/"),
            "{}",
            out.terminal
        );
        assert_eq!(profiles(&sb, &[]), ["sandbox/default"]);
    }

    #[test]
    fn logout_all_yes_does_not_ask() {
        let sb = Sandbox::new();
        with_token(&sb, "sandbox", "default");
        let out = logout_all(&sb, &["--yes"], b"");
        assert_eq!(out.code, Some(0), "{}", out.terminal);
        assert!(!out.terminal.contains("[y/N]"), "{}", out.terminal);
        assert!(profiles(&sb, &[]).is_empty());
    }

    fn slow_generate(sb: &Sandbox, emu: &Emulator) -> std::process::Command {
        sb.add_emulator_envs(emu);
        let mut cmd = sb.std_gtx();
        cmd.env("GTX_CLIENT_ID", "demo-client")
            .env("GTX_CLIENT_SECRET", "demo-secret")
            .env("TERM", "xterm")
            .args(["token", "generate", "--env", "emu", "--store", "memory"]);
        cmd
    }

    #[test]
    fn spinner_shows_on_a_terminal_for_a_slow_token_call() {
        let sb = Sandbox::new();
        let emu = Emulator::start(&["--delay-ms", "1500"]);
        let out = pty::run(slow_generate(&sb, &emu), b"");
        assert_eq!(out.code, Some(0), "{}", out.terminal);
        assert!(
            out.terminal.contains("minting a token at 127.0.0.1"),
            "{:?}",
            out.terminal
        );
        assert!(!out.stdout.contains("minting"), "stdout carries data only");
    }

    #[test]
    fn no_spinner_off_a_terminal_or_for_a_quick_call() {
        let sb = Sandbox::new();
        let emu = Emulator::start(&["--delay-ms", "1500"]);
        let out = slow_generate(&sb, &emu).output().expect("run");
        assert!(out.status.success(), "{}", stderr_of(&out));
        let err = stderr_of(&out);
        assert!(!err.contains("minting") && !err.contains('\r'), "{err:?}");
        // On a terminal, a call quicker than the delay draws nothing either.
        let quick = Emulator::start(&[]);
        let sb = Sandbox::new();
        let out = pty::run(slow_generate(&sb, &quick), b"");
        assert_eq!(out.code, Some(0), "{}", out.terminal);
        assert!(!out.terminal.contains("minting"), "{:?}", out.terminal);
    }

    #[test]
    fn no_color_reaches_clap_errors() {
        let sb = Sandbox::new();
        let run = |extra: &[&str]| {
            let mut cmd = sb.std_gtx();
            cmd.env_remove("NO_COLOR")
                .env("TERM", "xterm")
                .args(extra)
                .args(["token", "frobnicate"]);
            pty::run(cmd, b"")
        };
        let coloured = run(&[]);
        assert_eq!(coloured.code, Some(2));
        assert!(
            coloured.terminal.contains("\x1b["),
            "{:?}",
            coloured.terminal
        );
        let plain = run(&["--no-color"]);
        assert_eq!(plain.code, Some(2));
        assert!(plain.terminal.contains("error"), "{:?}", plain.terminal);
        assert!(!plain.terminal.contains("\x1b["), "{:?}", plain.terminal);
    }
}

#[test]
fn network_errors_say_how_many_attempts_and_where_to_look() {
    let sb = Sandbox::new();
    // Port 9 (discard) on loopback: nothing listens, every connect is refused.
    sb.gtx()
        .args(["env", "add", "down", "--api-base", "http://127.0.0.1:9"])
        .assert()
        .success();
    let out = sb
        .gtx()
        .env("GTX_CLIENT_ID", "app")
        .env("GTX_CLIENT_SECRET", "secret-0123456789")
        .args(["token", "generate", "--env", "down"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(6), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(err.contains("(3 attempts)"), "{err}");
    assert!(err.contains("gtx env show down"), "{err}");
}

#[test]
fn server_failures_count_attempts_too() {
    let sb = Sandbox::new();
    let emu = Emulator::start(&["--fail-next", "5"]);
    sb.add_emulator_envs(&emu);
    let out = sb
        .gtx()
        .env("GTX_CLIENT_ID", "demo-client")
        .env("GTX_CLIENT_SECRET", "demo-secret")
        .args(["token", "generate", "--env", "emu"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(6), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains("(3 attempts)") && err.contains("gtx env show emu"),
        "{err}"
    );
}

#[test]
fn typos_get_did_you_mean() {
    let sb = Sandbox::new();
    let out = sb
        .gtx()
        .args(["token", "get", "--env", "sandbx"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr_of(&out).contains("did you mean \"sandbox\"?"),
        "{}",
        stderr_of(&out)
    );
    let out = sb
        .gtx()
        .args(["env", "set", "sandbox", "client-id", "app"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    // Suggested by gtx, or by clap where the field is a value clap checks itself.
    let err = stderr_of(&out);
    assert!(
        err.contains("did you mean \"client_id\"?")
            || err.contains("a similar value exists: 'client_id'"),
        "{err}"
    );
    // Nothing close: no suggestion.
    let out = sb
        .gtx()
        .args(["--env", "zzzz", "status"])
        .output()
        .expect("run");
    assert!(!stderr_of(&out).contains("did you mean"));
}

#[test]
fn env_show_without_a_name_shows_the_selected_environment() {
    let sb = Sandbox::new();
    let v = json_ok(sb.gtx().args(["env", "show", "--json"]));
    assert_eq!(v["name"], "sandbox");
    let v = json_ok(
        sb.gtx()
            .env("GTX_ENV", "production")
            .args(["env", "show", "--json"]),
    );
    assert_eq!(v["name"], "production");
    sb.gtx()
        .args(["env", "use", "production"])
        .assert()
        .success();
    let out = sb.gtx().args(["env", "show"]).output().expect("run");
    assert!(stdout_of(&out).starts_with("name            production"));
}

#[test]
fn completion_lists_real_environment_and_credential_names() {
    let sb = Sandbox::new();
    sb.gtx()
        .args([
            "env",
            "add",
            "shop",
            "--api-base",
            "https://shop.example.com",
        ])
        .assert()
        .success();
    with_token(&sb, "shop", "reporting");
    let complete = |words: &[&str]| {
        let out = sb
            .gtx()
            .env("COMPLETE", "fish")
            .arg("--")
            .args(words)
            .output()
            .expect("run");
        assert!(out.status.success(), "{}", stderr_of(&out));
        stdout_of(&out)
    };
    let envs = complete(&["gtx", "token", "get", "--env", ""]);
    assert!(
        envs.contains("sandbox") && envs.contains("production") && envs.contains("shop"),
        "{envs}"
    );
    let shown = complete(&["gtx", "env", "show", "sh"]);
    assert!(shown.starts_with("shop"), "{shown}");
    let removed = complete(&["gtx", "env", "remove", "sh"]);
    assert!(removed.starts_with("shop"), "{removed}");
    let creds = complete(&["gtx", "status", "--credential", ""]);
    assert!(creds.contains("reporting"), "{creds}");
    let keys = complete(&["gtx", "config", "set", "st"]);
    assert!(keys.starts_with("store"), "{keys}");
}

#[cfg(unix)]
#[test]
fn test_sh_says_which_groups_it_will_skip_and_why() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    // A PATH with only what the plan itself needs: no dbus, no keyring daemon, no node.
    let bin = tempfile::tempdir().expect("temp dir");
    let dirname = ["/usr/bin/dirname", "/bin/dirname"]
        .iter()
        .map(std::path::Path::new)
        .find(|p| p.exists())
        .expect("dirname is installed");
    std::os::unix::fs::symlink(dirname, bin.path().join("dirname")).expect("symlink");
    let plan = |ci: &str| {
        let out = std::process::Command::new("/bin/bash")
            .arg(root.join("scripts/test.sh"))
            .arg("--plan")
            .env_clear()
            .env("PATH", bin.path())
            .env("CI", ci)
            .output()
            .expect("run test.sh --plan");
        assert!(out.status.success());
        stderr_of(&out)
    };
    let text = plan("");
    assert!(
        text.contains("keyring tests (tests/keyring.rs) will be skipped: dbus-run-session"),
        "{text}"
    );
    assert!(
        text.contains(
            "third-party server test (tests/peer.rs) will be skipped: node is not installed"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "store fault-injection tests (tests/store_faults.rs) will be skipped: strace"
        ),
        "{text}"
    );
    assert!(plan("true").contains("will FAIL (CI=true"));
}

/// The quick start runs end to end, and its banner shows the command lines it runs.
#[cfg(unix)]
#[test]
fn quickstart_prints_exactly_what_it_runs() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin = std::path::Path::new(crate::support::GTX)
        .parent()
        .expect("bin dir");
    let mut bash = std::process::Command::new("bash");
    crate::support::without_callers_settings(&mut bash);
    let out = bash
        .arg(root.join("scripts/quickstart.sh"))
        .env("GTX_QUICKSTART_BIN", bin)
        .env("HOME", tempfile::tempdir().expect("home").path())
        .output()
        .expect("run quickstart");
    let err = stderr_of(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("quickstart: all steps succeeded"), "{err}");
    assert!(
        err.contains("$ echo demo-secret | gtx login --client-credentials --client-id demo-client --client-secret-stdin --env emu"),
        "{err}"
    );
    assert!(
        err.contains("$ gtx env add emu --api-base http://127.0.0.1:"),
        "{err}"
    );
}

#[test]
fn logout_json_says_what_was_revoked() {
    let sb = Sandbox::new();
    let emu = Emulator::start(&["--rotate-refresh"]);
    sb.add_emulator_envs(&emu);
    sb.gtx()
        .args([
            "login",
            "--password",
            "--username",
            "demo",
            "--password-stdin",
            "--env",
            "emu-json",
        ])
        .write_stdin("demo-password\n")
        .assert()
        .success();
    with_token(&sb, "sandbox", "default");
    // emu-json has no revoke_url: removed, not revoked. Then emu with one.
    let v = json_ok(sb.gtx().args(["logout", "--env", "emu-json", "--json"]));
    assert_eq!(v["removed"][0]["env"], "emu-json");
    assert_eq!(v["removed"][0]["revoked"], false);
    sb.gtx()
        .args([
            "login",
            "--client-credentials",
            "--client-id",
            "demo-client",
            "--client-secret-stdin",
            "--env",
            "emu",
        ])
        .write_stdin("demo-secret\n")
        .assert()
        .success();
    let v = json_ok(sb.gtx().args(["logout", "--env", "emu", "--json"]));
    assert_eq!(v["removed"][0]["revoked"], true, "{v}");
    let v = json_ok(sb.gtx().args(["logout", "--env", "emu", "--json"]));
    assert_eq!(v["removed"], serde_json::json!([]));
}
