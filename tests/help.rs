//! Help output is part of the interface: snapshots make every change deliberate.
//! Regenerate with `SNAPSHOTS=overwrite cargo test --test cli help`.

use crate::support::Sandbox;
use snapbox::{Data, assert_data_eq};

fn help(args: &[&str], snapshot: &str) {
    let sb = Sandbox::new();
    let out = sb
        .gtx()
        .args(args)
        .env("COLUMNS", "100")
        .output()
        .expect("run gtx");
    assert!(out.status.success(), "{args:?} exit {:?}", out.status);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(snapshot);
    assert_data_eq!(
        String::from_utf8_lossy(&out.stdout).into_owned(),
        Data::read_from(&path, None).raw()
    );
}

#[test]
fn top_level_help() {
    help(&["--help"], "help.txt");
}

#[test]
fn subcommand_helps() {
    for (args, file) in [
        (&["login", "--help"][..], "help-login.txt"),
        (&["logout", "--help"][..], "help-logout.txt"),
        (&["token", "--help"][..], "help-token.txt"),
        (&["token", "get", "--help"][..], "help-token-get.txt"),
        (
            &["token", "generate", "--help"][..],
            "help-token-generate.txt",
        ),
        (
            &["token", "validate", "--help"][..],
            "help-token-validate.txt",
        ),
        (&["token", "show", "--help"][..], "help-token-show.txt"),
        (&["token", "clear", "--help"][..], "help-token-clear.txt"),
        (&["status", "--help"][..], "help-status.txt"),
        (&["request", "--help"][..], "help-request.txt"),
        (&["exec", "--help"][..], "help-exec.txt"),
        (&["api", "--help"][..], "help-api.txt"),
        (&["api", "sync", "--help"][..], "help-api-sync.txt"),
        (&["api", "list", "--help"][..], "help-api-list.txt"),
        (&["api", "show", "--help"][..], "help-api-show.txt"),
        (&["try", "--help"][..], "help-try.txt"),
        (&["env", "--help"][..], "help-env.txt"),
        (&["env", "add", "--help"][..], "help-env-add.txt"),
        (&["env", "set", "--help"][..], "help-env-set.txt"),
        (&["env", "show", "--help"][..], "help-env-show.txt"),
        (&["config", "--help"][..], "help-config.txt"),
        (&["config", "set", "--help"][..], "help-config-set.txt"),
        (&["completions", "--help"][..], "help-completions.txt"),
    ] {
        help(args, file);
    }
}

#[test]
fn every_long_help_ends_with_examples() {
    use clap::CommandFactory;
    fn walk(cmd: &clap::Command, path: String) {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            let name = format!("{path} {}", sub.get_name());
            if sub.has_subcommands() {
                walk(sub, name);
            } else {
                let after = sub
                    .get_after_long_help()
                    .map(|s| s.to_string())
                    .unwrap_or_default();
                assert!(after.starts_with("Examples:"), "{name} has no examples");
                assert!(
                    after.lines().count() >= 3,
                    "{name} needs at least two examples"
                );
            }
        }
    }
    walk(&gtx::cli::Cli::command(), "gtx".into());
}

#[test]
fn usage_errors_exit_2() {
    let sb = Sandbox::new();
    sb.gtx().args(["token", "frobnicate"]).assert().code(2);
    sb.gtx().args(["login"]).assert().code(2);
    sb.gtx()
        .args(["--store", "cloud", "status"])
        .assert()
        .code(2);
    sb.gtx()
        .args(["status"])
        .env("GTX_STORE", "cloud")
        .assert()
        .code(2);
}

#[test]
fn version_prints() {
    let sb = Sandbox::new();
    sb.gtx()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicates_like("gtx "));
}

fn predicates_like(prefix: &'static str) -> impl predicates::Predicate<str> {
    predicates::str::starts_with(prefix)
}

/// Help and version are data on stdout: when they cannot be written (a full disk), gtx says
/// so and fails, as any other command's output does, instead of exiting 0 with nothing.
#[cfg(target_os = "linux")]
#[test]
fn help_and_version_that_cannot_be_written_fail() {
    let sb = Sandbox::new();
    for args in [&["--help"][..], &["-V"], &["help", "token"]] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("open /dev/full");
        let out = sb.std_gtx().args(args).stdout(full).output().expect("run");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("cannot write to stdout"), "{args:?}: {err}");
    }
}
