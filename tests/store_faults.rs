//! The store when the machine misbehaves: a write that fails after a refresh token was
//! rotated (defect 4, injected with strace), and temp files left by a killed gtx
//! (defect 6).

use crate::support::emulated::{SECRET, age_session, login_cc, login_password, setup, token_get};
use crate::support::{Sandbox, gtx_under_strace, stderr_of, stdout_of};

/// `gtx ARGS` under strace, every rename failing with ENOSPC; `None` without strace
/// (CI installs it: .ci/run).
fn gtx_with_failing_rename(sb: &Sandbox, args: &[&str]) -> Option<std::process::Output> {
    gtx_under_strace(sb, "rename,renameat,renameat2", "error=ENOSPC", args)
}

fn temp_files(sb: &Sandbox) -> Vec<String> {
    std::fs::read_dir(sb.data_dir())
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".tmp"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn failed_write_after_rotation_prints_the_token_and_says_what_was_lost() {
    let (sb, _emu) = setup(&["--rotate-refresh"]);
    login_password(&sb, "emu-json");
    age_session(&sb, "emu-json/default");
    let Some(out) = gtx_with_failing_rename(&sb, &["token", "get", "--env", "emu-json"]) else {
        return;
    };
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(7), "{err}");
    let token = stdout_of(&out);
    assert_eq!(
        token.lines().count(),
        1,
        "the renewed token is printed: {token:?}"
    );
    assert!(err.contains("refresh token"), "{err}");
    assert!(err.contains("gtx login --password --env emu-json"), "{err}");
    assert!(temp_files(&sb).is_empty(), "{:?}", temp_files(&sb));
}

#[test]
fn no_room_to_save_a_rotation_stops_before_the_refresh_is_sent() {
    let (sb, emu) = setup(&["--rotate-refresh"]);
    login_password(&sb, "emu-json");
    age_session(&sb, "emu-json/default");
    let hits = emu.token_hits("oauth2-json");
    // The reservation is the first fsync of a refresh: make it find the disk full.
    let Some(out) = gtx_under_strace(
        &sb,
        "fsync",
        "error=ENOSPC:when=1",
        &["token", "get", "--env", "emu-json"],
    ) else {
        return;
    };
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(7), "{err}");
    assert!(err.contains("cannot reserve"), "{err}");
    assert!(err.contains("nothing was sent"), "{err}");
    assert_eq!(
        emu.token_hits("oauth2-json"),
        hits,
        "the refresh token was spent"
    );
    assert!(temp_files(&sb).is_empty(), "{:?}", temp_files(&sb));
    token_get(&sb, "emu-json");
}

#[test]
fn failed_write_of_a_minted_token_still_prints_it() {
    let (sb, _emu) = setup(&[]);
    let out = login_cc(&sb, "emu", SECRET);
    assert!(out.status.success(), "{}", stderr_of(&out));
    age_session(&sb, "emu/default");
    let Some(out) = gtx_with_failing_rename(&sb, &["token", "get", "--env", "emu"]) else {
        return;
    };
    assert_eq!(out.status.code(), Some(7), "{}", stderr_of(&out));
    assert_eq!(stdout_of(&out).lines().count(), 1);
    assert!(
        stderr_of(&out).contains("not cached"),
        "{}",
        stderr_of(&out)
    );
}

/// What `kill -9` between the temp write and the rename leaves behind.
fn plant_leftover(sb: &Sandbox) -> std::path::PathBuf {
    // Above any Linux pid_max (2^22): a process that cannot be alive.
    let path = sb.data_dir().join(".credentials.json.99999999.0a1b2c.tmp");
    std::fs::write(&path, r#"{"client_secret":"leaked-0123456789"}"#).expect("plant");
    path
}

#[test]
fn stale_temp_files_are_removed_by_the_next_write() {
    let (sb, _emu) = setup(&[]);
    login_password(&sb, "emu-json");
    let leftover = plant_leftover(&sb);
    age_session(&sb, "emu-json/default");
    token_get(&sb, "emu-json");
    assert!(
        !leftover.exists(),
        "a dead process's temp file survived a write"
    );
}

#[test]
fn logout_removes_stale_temp_files() {
    let (sb, _emu) = setup(&[]);
    login_password(&sb, "emu-json");
    sb.gtx().args(["logout", "--all"]).assert().success();
    let leftover = plant_leftover(&sb);
    sb.gtx().args(["logout", "--all"]).assert().success();
    assert!(
        !leftover.exists(),
        "logout --all left a temp file with secrets"
    );
}

/// kill -9 (or a power cut) after the renewed session was written and fsynced to the temp
/// file but before the rename: the server has spent the old refresh token, the new one is
/// only in that temp file. The next gtx finishes the interrupted save instead of deleting it,
/// and the session lives on without a token call.
#[test]
fn a_save_killed_before_its_rename_is_finished_by_the_next_run() {
    let (sb, emu) = setup(&["--rotate-refresh"]);
    login_password(&sb, "emu-json");
    age_session(&sb, "emu-json/default");
    let Some(out) = gtx_under_strace(
        &sb,
        "rename,renameat,renameat2",
        "signal=KILL",
        &["token", "get", "--env", "emu-json"],
    ) else {
        return;
    };
    assert!(!out.status.success(), "{}", stderr_of(&out));
    assert_eq!(temp_files(&sb).len(), 1, "the killed save's temp file");
    let hits = emu.token_hits("oauth2-json");
    let token = token_get(&sb, "emu-json");
    assert_eq!(token.lines().count(), 1);
    assert_eq!(
        emu.token_hits("oauth2-json"),
        hits,
        "served from the finished save"
    );
    assert!(temp_files(&sb).is_empty(), "{:?}", temp_files(&sb));
    // The rotated refresh token it holds works.
    age_session(&sb, "emu-json/default");
    token_get(&sb, "emu-json");
    assert_eq!(emu.token_hits("oauth2-json"), hits + 1);
}

/// kill -9 after the renewed session was written over the reservation's zeros but before
/// they were cut off: the temp file is the whole document and then zero padding. That is
/// the rotated refresh token's only copy too: the next gtx finishes the save.
#[test]
fn a_save_killed_before_its_padding_was_cut_off_is_finished_by_the_next_run() {
    let (sb, emu) = setup(&["--rotate-refresh"]);
    login_password(&sb, "emu-json");
    age_session(&sb, "emu-json/default");
    let Some(out) = gtx_under_strace(
        &sb,
        "ftruncate",
        "signal=KILL",
        &["token", "get", "--env", "emu-json"],
    ) else {
        return;
    };
    assert!(!out.status.success(), "{}", stderr_of(&out));
    assert_eq!(temp_files(&sb).len(), 1, "the killed save's temp file");
    let hits = emu.token_hits("oauth2-json");
    token_get(&sb, "emu-json");
    assert_eq!(
        emu.token_hits("oauth2-json"),
        hits,
        "served from the finished save"
    );
    assert!(temp_files(&sb).is_empty(), "{:?}", temp_files(&sb));
    age_session(&sb, "emu-json/default");
    token_get(&sb, "emu-json");
    assert_eq!(emu.token_hits("oauth2-json"), hits + 1);
}

/// A temp file that is older than the store, or not a whole credentials document, is a
/// leftover, not a save to finish: it is removed and the store stays as it was.
#[test]
fn stale_temps_that_are_not_newer_whole_saves_are_removed() {
    let (sb, _emu) = setup(&[]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    let before = std::fs::read(sb.credentials_path()).expect("read");
    let dir = sb.data_dir();
    let partial = dir.join(".credentials.json.999999999.1.tmp");
    std::fs::write(&partial, &before[..before.len() / 2]).expect("write");
    let older = dir.join(".credentials.json.999999999.2.tmp");
    std::fs::write(&older, br#"{"version": 1, "profiles": {}}"#).expect("write");
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&older)
        .expect("open")
        .set_modified(old)
        .expect("set mtime");
    // A renewal takes the store lock, under which stale temps are settled.
    age_session(&sb, "emu/default");
    token_get(&sb, "emu");
    assert!(temp_files(&sb).is_empty(), "{:?}", temp_files(&sb));
    let now: serde_json::Value =
        serde_json::from_slice(&std::fs::read(sb.credentials_path()).expect("read")).expect("json");
    assert_eq!(
        now["profiles"]["emu/default"]["client"]["client_id"],
        crate::support::emulated::CLIENT,
        "the older temp file was not taken for the store"
    );
}

/// The store after many writers: valid JSON, private, holding every profile written, and no
/// temp file left over.
fn assert_store_whole(sb: &Sandbox, profiles: &[&str]) {
    let path = sb.credentials_path();
    let text = std::fs::read_to_string(&path).expect("read the store");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("the store is JSON");
    for p in profiles {
        assert!(
            doc["profiles"][*p]["client"]["client_id"].is_string(),
            "{p} kept its client: {doc}"
        );
    }
    #[cfg(unix)]
    assert_eq!(crate::support::mode(&path), 0o600);
    assert!(temp_files(sb).is_empty(), "{:?}", temp_files(sb));
}

/// 50 `gtx token generate` at once on one file store (two profiles, so that saves merge):
/// every one succeeds and the store is whole after them.
#[test]
fn fifty_concurrent_generates_leave_one_valid_private_store() {
    let (sb, _emu) = setup(&[]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    assert!(login_cc(&sb, "emu-json", SECRET).status.success());
    let children: Vec<_> = (0..50)
        .map(|i| {
            let env = if i % 2 == 0 { "emu" } else { "emu-json" };
            sb.std_gtx()
                .args(["token", "generate", "--env", env, "--timeout", "120"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn gtx")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("wait");
        assert!(out.status.success(), "{}", stderr_of(&out));
        assert_eq!(stdout_of(&out).lines().count(), 1, "one token");
    }
    assert_store_whole(&sb, &["emu/default", "emu-json/default"]);
}

/// `kill -9` of gtx at points spread over a mint and its save, again and again: the store
/// is valid JSON and private after each, and the next write leaves no temp file.
#[cfg(unix)]
#[test]
fn kill_9_during_generates_never_breaks_the_store() {
    let (sb, _emu) = setup(&[]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    for round in 0..12u64 {
        let mut child = sb
            .std_gtx()
            .args(["token", "generate", "--env", "emu"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn gtx");
        std::thread::sleep(std::time::Duration::from_millis(round * 4));
        // SAFETY: kill(2) on the child this test started.
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGKILL) };
        let _ = child.wait();
        let text = std::fs::read_to_string(sb.credentials_path()).expect("read the store");
        let doc: serde_json::Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("round {round}: the store is not JSON ({e})"));
        assert!(doc["profiles"]["emu/default"].is_object(), "round {round}");
        assert_eq!(crate::support::mode(&sb.credentials_path()), 0o600);
    }
    let out = sb
        .gtx()
        .args(["token", "generate", "--env", "emu"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_store_whole(&sb, &["emu/default"]);
}

/// The same, at exact points: gtx killed (SIGKILL, by strace) at its 1st, 2nd, 3rd
/// truncation, fsync and rename of a `token generate` (strace counts each call apart), so
/// every step of the save is interrupted once whatever the machine's speed. The store is
/// whole after each, and the next write finishes or removes what the killed one left.
#[test]
fn kill_9_at_each_step_of_a_save_never_breaks_the_store() {
    let (sb, _emu) = setup(&[]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    let mut killed = 0;
    for steps in ["ftruncate", "fsync,fdatasync", "rename,renameat,renameat2"] {
        for when in 1..=3 {
            let Some(out) = gtx_under_strace(
                &sb,
                steps,
                &format!("signal=KILL:when={when}"),
                &["token", "generate", "--env", "emu"],
            ) else {
                return;
            };
            if !out.status.success() {
                killed += 1;
            }
            let text = std::fs::read_to_string(sb.credentials_path()).expect("read the store");
            let doc: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| {
                panic!("killed at {steps} #{when}: the store is not JSON ({e})")
            });
            assert!(
                doc["profiles"]["emu/default"].is_object(),
                "{steps} #{when}"
            );
            #[cfg(unix)]
            assert_eq!(crate::support::mode(&sb.credentials_path()), 0o600);
        }
    }
    // A save cuts, fsyncs and renames at least once each.
    assert!(killed >= 3, "only {killed} runs were killed");
    let out = sb
        .gtx()
        .args(["token", "generate", "--env", "emu"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_store_whole(&sb, &["emu/default"]);
}

/// `gtx ARGS` with files limited to `bytes` (`ulimit -f`, as a quota or a full disk would
/// stop a write).
#[cfg(unix)]
fn gtx_with_file_size_limit(sb: &Sandbox, bytes: u64, args: &[&str]) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    let mut cmd = sb.std_gtx();
    cmd.args(args);
    // SAFETY: setrlimit(2) is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            match libc::setrlimit(libc::RLIMIT_FSIZE, &limit) {
                0 => Ok(()),
                _ => Err(std::io::Error::last_os_error()),
            }
        });
    }
    cmd.output().expect("run")
}

/// A write past the file-size limit is an error gtx reports with its exit code, not a
/// SIGXFSZ that kills it silently (exit 153) halfway through a save; the old file stays.
#[cfg(unix)]
#[test]
fn a_file_size_limit_is_a_write_error_and_the_old_file_stays() {
    use std::os::unix::process::ExitStatusExt;
    let (sb, _emu) = setup(&[]);
    let out = login_cc(&sb, "emu", SECRET);
    assert!(out.status.success(), "{}", stderr_of(&out));
    age_session(&sb, "emu/default");
    let store = std::fs::read(sb.credentials_path()).expect("store");
    let out = gtx_with_file_size_limit(&sb, 64, &["token", "get", "--env", "emu"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.signal(), None, "killed: {err}");
    assert_eq!(out.status.code(), Some(7), "{err}");
    assert_eq!(
        stdout_of(&out).lines().count(),
        1,
        "the token is still printed"
    );
    assert!(err.contains("File too large"), "{err}");
    assert_eq!(std::fs::read(sb.credentials_path()).expect("store"), store);

    let config = std::fs::read(sb.config_path()).expect("config");
    let out = gtx_with_file_size_limit(
        &sb,
        64,
        &["env", "add", "more", "--api-base", "https://more.example"],
    );
    let err = stderr_of(&out);
    assert_eq!(out.status.signal(), None, "killed: {err}");
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("cannot write config file"), "{err}");
    assert!(err.contains("File too large"), "{err}");
    assert_eq!(std::fs::read(sb.config_path()).expect("config"), config);
    // The next write, with room, works.
    sb.gtx()
        .args(["env", "add", "more", "--api-base", "https://more.example"])
        .assert()
        .success();
}
