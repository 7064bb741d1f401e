//! `gtx config get|set|list|path`, and the way out on a machine without a keyring.

use crate::support::{Sandbox, json_ok, stderr_of, stdout_of};

fn no_keyring(sb: &Sandbox, cmd: &mut assert_cmd::Command) {
    cmd.env("XDG_RUNTIME_DIR", sb.path().join("no-runtime"))
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}/no-bus", sb.path().display()),
        );
}

#[test]
fn no_keyring_error_names_config_set_store_file_and_hides_dbus_text() {
    let sb = Sandbox::new();
    let mut cmd = sb.gtx_default_store();
    no_keyring(&sb, &mut cmd);
    let out = cmd.args(["status"]).output().expect("run");
    assert_eq!(out.status.code(), Some(7));
    let err = stderr_of(&out);
    assert!(err.contains("gtx config set store file"), "{err}");
    assert!(
        err.contains("GTX_STORE=file") && err.contains("GTX_STORE=memory"),
        "{err}"
    );
    assert!(!err.contains("zbus") && !err.contains("os error"), "{err}");
    assert!(err.contains("-v"), "{err}");
    let mut cmd = sb.gtx_default_store();
    no_keyring(&sb, &mut cmd);
    let err = stderr_of(&cmd.args(["-v", "status"]).output().expect("run"));
    assert!(
        err.contains("keyring said:") && err.contains("zbus"),
        "{err}"
    );
}

#[test]
fn config_set_store_file_is_the_lasting_way_out() {
    let sb = Sandbox::new();
    sb.write_config("# my settings\ndefault_env = \"sandbox\" # keep\n");
    sb.gtx()
        .args(["config", "set", "store", "file"])
        .assert()
        .success();
    let text = sb.read_config();
    assert!(text.contains("store = \"file\""), "{text}");
    assert!(
        text.contains("# my settings") && text.contains("# keep"),
        "{text}"
    );
    // Without GTX_STORE and with no keyring, stateful commands now work.
    let mut cmd = sb.gtx_default_store();
    no_keyring(&sb, &mut cmd);
    let out = cmd.args(["status", "--json"]).output().expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["store"], "file");
}

#[test]
fn config_get_list_path_and_unset() {
    let sb = Sandbox::new();
    let out = sb
        .gtx()
        .args(["config", "get", "store"])
        .output()
        .expect("run");
    assert_eq!(stdout_of(&out), "keyring\n");
    let v = json_ok(sb.gtx().args(["config", "get", "default_env", "--json"]));
    assert_eq!(
        v,
        serde_json::json!({"key": "default_env", "value": "sandbox", "source": "default"})
    );
    sb.gtx()
        .args(["config", "set", "default_env", "production"])
        .assert()
        .success();
    let v = json_ok(sb.gtx().args(["config", "list", "--json"]));
    assert_eq!(v["settings"][1]["value"], "production");
    assert_eq!(v["settings"][1]["source"], "config");
    assert_eq!(v["path"], sb.config_path().display().to_string());
    let out = sb.gtx().args(["config", "path"]).output().expect("run");
    assert_eq!(stdout_of(&out), format!("{}\n", sb.config_path().display()));
    let v = json_ok(
        sb.gtx()
            .args(["config", "set", "default_env", "", "--json"]),
    );
    assert_eq!(v["value"], serde_json::Value::Null);
    assert!(!sb.read_config().contains("default_env"));
}

#[test]
fn config_refuses_bad_keys_and_values_with_suggestions() {
    let sb = Sandbox::new();
    let out = sb
        .gtx()
        .args(["config", "set", "stor", "file"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("did you mean \"store\""),
        "{}",
        stderr_of(&out)
    );
    let out = sb
        .gtx()
        .args(["config", "set", "store", "fil"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("did you mean \"file\""),
        "{}",
        stderr_of(&out)
    );
    let out = sb
        .gtx()
        .args(["config", "set", "default_env", "prodution"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr_of(&out).contains("did you mean \"production\""),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(sb.read_config(), "");
}

/// `config set default_env X` checked that X exists on the config it read at start, not
/// under the config lock: with an `env remove X` in parallel it wrote a `default_env`
/// naming a removed environment, and every later command exited 3. Checked under the
/// lock now (as `env use` does), one of the two wins and the config stays usable.
#[test]
fn config_set_default_env_racing_env_remove_leaves_a_usable_config() {
    let sb = Sandbox::new();
    for round in 0..3 {
        for i in 0..8 {
            sb.gtx()
                .args([
                    "env",
                    "add",
                    &format!("x{i}"),
                    "--api-base",
                    "https://x.example",
                ])
                .assert()
                .success();
        }
        let mut children = Vec::new();
        for i in 0..8 {
            let name = format!("x{i}");
            for args in [
                vec!["env".to_string(), "remove".into(), name.clone()],
                vec![
                    "config".to_string(),
                    "set".into(),
                    "default_env".into(),
                    name,
                ],
            ] {
                let mut cmd = sb.std_gtx();
                cmd.args(&args)
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null());
                children.push(cmd.spawn().expect("spawn"));
            }
        }
        for mut c in children {
            c.wait().expect("wait");
        }
        let out = sb.gtx().args(["env", "list"]).output().expect("run");
        assert!(
            out.status.success(),
            "round {round}: {}\n{}",
            stderr_of(&out),
            sb.read_config()
        );
    }
}
