//! `gtx login --device` (RFC 8628) against the emulator's device endpoint and its
//! verification page, played by a BROWSER script or a real headless Chromium.

use crate::login_browser::{PASSWORD, USER, setup};
use crate::support::browser::{
    Running, browser_log, browser_page, chromium, chromium_person, device_decider, wait_for_file,
};
use crate::support::{Sandbox, json_ok, stderr_of};
use std::time::{Duration, Instant};

fn device_login(sb: &Sandbox, browser: Option<&std::path::Path>) -> std::process::Command {
    let mut cmd = sb.std_gtx();
    cmd.args(["login", "--device", "--env", "emu"]);
    match browser {
        Some(b) => cmd.env("BROWSER", b),
        None => cmd.arg("--no-browser"),
    };
    cmd
}

/// A device login without a browser, after pointing `device_url` at `url`.
fn device_login_at(sb: &Sandbox, url: &str) -> std::process::Output {
    sb.gtx()
        .args(["env", "set", "emu", "device_url", url])
        .assert()
        .success();
    device_login(sb, None).output().expect("run")
}

fn polls(emu: &crate::support::Emulator) -> u64 {
    emu.stats()["device_polls"].as_u64().expect("device_polls")
}

#[test]
fn a_script_approves_and_gtx_stops_polling_at_once() {
    let (sb, emu) = setup(&["--device-interval", "1"]);
    let out = device_login(&sb, Some(&device_decider(&sb, "allow")))
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains("/oauth2/device/verify") && err.contains("enter the code"),
        "{err}"
    );
    let page = wait_for_file(&browser_page(&sb));
    assert!(page.contains("Device connected"), "{page}");
    let token = sb
        .gtx()
        .args(["token", "get", "--env", "emu"])
        .output()
        .expect("run");
    assert!(token.status.success(), "{}", stderr_of(&token));
    let status = json_ok(sb.gtx().args(["status", "--json"]));
    assert!(status.to_string().contains("device_code"), "{status}");
    let after = polls(&emu);
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(polls(&emu), after, "no poll after success");
    assert!(after >= 1);
}

#[test]
fn slow_down_adds_five_seconds() {
    let (sb, emu) = setup(&["--device-interval", "1"]);
    emu.faults(serde_json::json!({"slow_down_next": 1}));
    let started = Instant::now();
    let out = device_login(&sb, Some(&device_decider(&sb, "allow")))
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let took = started.elapsed();
    assert_eq!(polls(&emu), 2, "slow_down, then the token");
    assert!(
        took >= Duration::from_secs(7),
        "1 s, then 1 + 5 s: {took:?}"
    );
}

#[test]
fn an_expired_device_code_exits_5_and_polling_stops() {
    let (sb, emu) = setup(&["--device-interval", "1", "--device-ttl", "2"]);
    let out = device_login(&sb, None).output().expect("run");
    assert_eq!(out.status.code(), Some(5), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("expired"), "{}", stderr_of(&out));
    let after = polls(&emu);
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(polls(&emu), after, "no poll after a final error");
    assert!(!sb.credentials_path().exists());
}

/// A server whose codes outlive the `expires_in` it reported keeps saying
/// `authorization_pending`: gtx stops at that lifetime (exit 5, as for `expired_token`), not
/// at `--timeout`.
#[test]
fn the_device_code_lifetime_the_server_gave_ends_the_wait() {
    let (sb, emu) = setup(&["--device-interval", "1"]);
    emu.faults(serde_json::json!({"device_expires_in": 2}));
    let started = Instant::now();
    let out = device_login(&sb, None)
        .args(["--timeout", "30"])
        .output()
        .expect("run");
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(err.contains("the device code expired (2s"), "{err}");
    assert!(err.contains("gtx login --device --env emu"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(10), "{err}");
    assert!(!sb.credentials_path().exists());
}

/// A hostile or careless `expires_in` (the largest number JSON can carry as an integer) is
/// no lifetime to add to the clock: the wait ends at `--timeout` (exit 6), never a panic.
#[test]
fn a_device_code_lifetime_past_the_clock_s_end_falls_back_to_the_timeout() {
    let (sb, emu) = setup(&["--device-interval", "1"]);
    emu.faults(serde_json::json!({"device_expires_in": u64::MAX}));
    let out = device_login(&sb, None)
        .args(["--timeout", "2"])
        .output()
        .expect("run");
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(6), "{err}");
    assert!(err.contains("timed out waiting for the sign-in"), "{err}");
    assert!(!sb.credentials_path().exists());
}

#[test]
fn deny_on_the_verification_page_exits_5() {
    let (sb, _emu) = setup(&["--device-interval", "1"]);
    let out = device_login(&sb, Some(&device_decider(&sb, "deny")))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(5), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("denied"), "{}", stderr_of(&out));
    assert!(!sb.credentials_path().exists());
}

#[test]
fn device_login_obeys_timeout_and_ctrl_c() {
    let (sb, _emu) = setup(&["--device-interval", "1"]);
    let mut cmd = device_login(&sb, None);
    cmd.args(["--timeout", "2"]);
    let out = cmd.output().expect("run");
    assert_eq!(
        out.status.code(),
        Some(6),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let running_cmd = device_login(&sb, None);
    let mut running = Running::spawn(running_cmd);
    running.wait_for(|l| l.contains("enter the code"));
    #[cfg(unix)]
    // SAFETY: signalling a child we spawned.
    unsafe {
        libc::kill(running.child.id() as i32, libc::SIGINT);
    }
    let (status, err) = running.finish(Duration::from_secs(10));
    assert_eq!(status.code(), Some(130), "{err}");
}

/// The wait for the person and the polls share the process's one async runtime. A tokio
/// runtime holds two event pollers (epoll descriptors): the login held four, two runtimes.
#[cfg(target_os = "linux")]
#[test]
fn the_device_wait_and_its_polls_share_one_runtime() {
    let (sb, _emu) = setup(&["--device-interval", "1"]);
    let mut running = Running::spawn(device_login(&sb, None));
    running.wait_for(|l| l.contains("enter the code"));
    let fds = std::fs::read_dir(format!("/proc/{}/fd", running.child.id())).expect("fds");
    let pollers = fds
        .filter_map(|fd| std::fs::read_link(fd.ok()?.path()).ok())
        .filter(|target| target.to_string_lossy() == "anon_inode:[eventpoll]")
        .count();
    // SAFETY: signalling a child we spawned.
    unsafe {
        libc::kill(running.child.id() as i32, libc::SIGINT);
    }
    let (status, err) = running.finish(Duration::from_secs(10));
    assert!(
        pollers <= 2,
        "{pollers} event pollers: more than one runtime\n{err}"
    );
    assert_eq!(status.code(), Some(130), "{err}");
}

#[test]
fn without_a_device_url_it_says_how_to_set_one() {
    let (sb, _emu) = setup(&[]);
    sb.gtx()
        .args(["env", "set", "emu", "device_url", ""])
        .assert()
        .success();
    let out = device_login(&sb, None).output().expect("run");
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("device_url"));
    assert!(!browser_log(&sb).exists());
}

#[test]
fn real_chromium_enters_the_code_signs_in_and_allows() {
    let Some(exe) = chromium() else { return };
    let (sb, _emu) = setup(&["--login-form", "--device-interval", "1"]);
    let person = chromium_person(&sb, &exe, "device-allow", USER, PASSWORD);
    let out = device_login(&sb, Some(&person)).output().expect("run");
    let page = wait_for_file(&browser_page(&sb));
    assert!(
        out.status.success(),
        "{}\npage: {page}\ndriver: {}",
        stderr_of(&out),
        std::fs::read_to_string(sb.path().join("chromium.out")).unwrap_or_default()
    );
    assert!(page.contains("Device connected"), "{page}");
    let token = sb
        .gtx()
        .args(["token", "get", "--env", "emu"])
        .output()
        .expect("run");
    assert!(token.status.success(), "{}", stderr_of(&token));
}

#[test]
fn very_verbose_device_login_shows_no_device_code_or_token() {
    let (sb, _emu) = setup(&["--device-interval", "1"]);
    let mut cmd = device_login(&sb, Some(&device_decider(&sb, "allow")));
    cmd.arg("-vv");
    let out = cmd.output().expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(err.contains("device_code"), "the exchange is logged: {err}");
    // Device codes are dc_ + 48 hex digits; a redacted one keeps 8 characters.
    for (i, _) in err.match_indices("dc_") {
        let run = err[i + 3..]
            .chars()
            .take_while(char::is_ascii_hexdigit)
            .count();
        assert!(run <= 5, "a device code shown in full: {err}");
    }
    let stored = std::fs::read_to_string(sb.credentials_path()).expect("store");
    let v: serde_json::Value = serde_json::from_str(&stored).expect("json");
    let session = &v["profiles"]["emu/default"]["session"];
    for field in ["access_token", "refresh_token"] {
        let secret = session[field].as_str().expect(field);
        assert!(!err.contains(secret), "{field} shown: {err}");
    }
}

#[test]
fn the_emulator_says_slow_down_to_a_client_that_polls_too_fast() {
    let emu = crate::support::Emulator::start(&["--device-interval", "5"]);
    let (status, body) = crate::support::browser::post_form(
        &format!("{}/oauth2/device", emu.base_url),
        &[("client_id", crate::login_browser::PUBLIC)],
    );
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(v["interval"], 5);
    let code = v["device_code"].as_str().expect("device_code");
    let poll = || {
        crate::support::browser::post_form(
            &format!("{}/oauth2/token", emu.base_url),
            &[
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                ("device_code", code),
                ("client_id", crate::login_browser::PUBLIC),
            ],
        )
    };
    assert!(poll().1.contains("authorization_pending"));
    assert!(poll().1.contains("slow_down"), "polled again at once");
}

#[test]
fn env_add_issuer_finds_the_device_endpoint() {
    let emu = crate::support::Emulator::start(&["--device-interval", "1"]);
    let sb = Sandbox::new();
    let out = sb
        .gtx()
        .args(["env", "add", "disc", "--issuer", &emu.base_url])
        .args(["--client-id", crate::login_browser::PUBLIC])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let env = json_ok(sb.gtx().args(["env", "show", "disc", "--json"]));
    assert_eq!(env["device_url"], format!("{}/oauth2/device", emu.base_url));
    let mut cmd = sb.std_gtx();
    cmd.args(["login", "--device", "--env", "disc"])
        .env("BROWSER", device_decider(&sb, "allow"));
    let out = cmd.output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The same environment signs in in the browser too: the callback's `iss` is the issuer.
    assert_eq!(env["issuer"], emu.base_url.as_str());
    let mut cmd = sb.std_gtx();
    cmd.args(["login", "--env", "disc"])
        .env("BROWSER", crate::support::browser::follower(&sb));
    let out = cmd.output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A device endpoint that is not there (404) or refuses the client is reported as the
/// device endpoint, pointing at `device_url`: it used to say "the token endpoint was not
/// found; check token_url", sending the user to fix the wrong setting.
#[test]
fn a_failing_device_endpoint_is_named_as_such() {
    let (sb, _emu) = setup(&[]);
    let out = device_login_at(&sb, "/oauth2/no-such-device-endpoint");
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains("device endpoint") && err.contains("device_url"),
        "{err}"
    );
    assert!(
        !err.contains("token endpoint") && !err.contains("token_url"),
        "{err}"
    );
}

/// The device wait builds its runtime before the network's: too few descriptors there is
/// the machine's limit too, said the same way, never "a bug".
#[cfg(unix)]
#[test]
fn too_few_file_descriptors_is_said_plainly_before_the_device_wait() {
    let (sb, emu) = setup(&[]);
    let mut reached = 0;
    // Up to 13, at most 10 descriptors are free once 0-2 are open, under the 12 gtx asks
    // for, however few the process inherits (a CI runner leaks none, a dev shell a few).
    for limit in 4..=13 {
        let out = sb
            .bash_gtx(&format!(
                "ulimit -n {limit} && exec \"$0\" login --device --no-browser --env emu"
            ))
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run");
        let err = stderr_of(&out);
        if out.status.code() == Some(127) && err.contains("error while loading shared libraries") {
            continue;
        }
        reached += 1;
        assert_eq!(out.status.code(), Some(1), "limit {limit}: {err}");
        assert!(err.contains("file descriptors"), "limit {limit}: {err}");
        assert!(!err.contains("bug"), "limit {limit}: {err}");
    }
    assert!(reached >= 3, "gtx itself ran at {reached} of the limits");
    assert_eq!(emu.requests(), 0);
}

/// Device polls go through the one token-endpoint seam: a poll failing on the server's
/// side says how many attempts were made and where to look, as a failed mint does.
#[test]
fn a_failing_poll_counts_attempts_and_says_where_to_look() {
    let (sb, emu) = setup(&["--device-interval", "1"]);
    emu.faults(serde_json::json!({"fail_next": 5, "fail_status": 503}));
    let out = device_login(&sb, None).output().expect("run");
    assert_eq!(out.status.code(), Some(6), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains("(3 attempts)") && err.contains("its token_url: gtx env show emu"),
        "{err}"
    );
}

/// The device authorization request names the setting it was sent by: device_url.
#[test]
fn an_unreachable_device_endpoint_names_device_url() {
    let (sb, _emu) = setup(&[]);
    let out = device_login_at(&sb, "http://127.0.0.1:9/device");
    assert_eq!(out.status.code(), Some(6), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains("(3 attempts)") && err.contains("its device_url: gtx env show emu"),
        "{err}"
    );
}
