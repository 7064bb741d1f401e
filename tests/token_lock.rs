//! The per-profile lock: a bounded, announced wait for another gtx, and no lock file
//! left by a command that only reads (issue 10; issue 11 item 9).

use crate::support::emulated::{SECRET, age_session, login_cc, setup};
use crate::support::{Sandbox, stderr_of};
use std::time::{Duration, Instant};

fn lock_file(sb: &Sandbox, account: &str) -> std::path::PathBuf {
    sb.data_dir()
        .join("locks")
        .join(format!("{}.lock", account.replace('/', "+")))
}

#[test]
fn waiting_for_another_gtx_is_announced_and_bounded_by_timeout() {
    let (sb, _emu) = setup(&[]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    age_session(&sb, "emu/default");
    let path = lock_file(&sb, "emu/default");
    std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
    let held = std::fs::File::create(&path).expect("lock file");
    held.lock().expect("hold the profile lock");
    let started = Instant::now();
    let out = sb
        .gtx()
        .args(["token", "get", "--env", "emu", "--timeout", "2"])
        .output()
        .expect("run");
    let took = started.elapsed();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(7), "{err}");
    assert!(
        err.contains("waiting for another gtx to renew emu/default"),
        "{err}"
    );
    assert!(err.contains("timed out"), "{err}");
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(10),
        "{took:?}"
    );
    drop(held);
}

#[test]
fn commands_that_only_read_leave_no_lock_file() {
    let sb = Sandbox::new();
    for args in [
        &["token", "get", "--env", "production"][..],
        &["token", "clear", "--env", "production"],
        &["logout", "--env", "production"],
        &["token", "show", "--env", "production"],
        &["status"],
    ] {
        let _ = sb.gtx().args(args).output().expect("run");
        assert!(
            !lock_file(&sb, "production/default").exists(),
            "{args:?} left a lock file"
        );
    }
}
