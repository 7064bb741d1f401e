//! `gtx login` in the browser (authorization code + PKCE on a loopback callback) against
//! the emulator: a BROWSER script or a real headless Chromium plays the person.

use crate::support::browser::{
    Running, browser_log, browser_page, chromium, chromium_person, consenter, follower, get_raw,
    post_form, query_param, wait_for_file,
};
use crate::support::{Emulator, Sandbox, json_ok, stderr_of, stdout_of};
use std::time::{Duration, Instant};

pub const PUBLIC: &str = "demo-public";
pub const USER: &str = "demo";
pub const PASSWORD: &str = "demo-password";

/// An emulator and a sandbox with its `emu` environment set to the public client.
pub fn setup(extra: &[&str]) -> (Sandbox, Emulator) {
    let emu = Emulator::start(extra);
    let sb = Sandbox::new();
    sb.add_emulator_envs(&emu);
    sb.gtx()
        .args(["env", "set", "emu", "client_id", PUBLIC])
        .assert()
        .success();
    (sb, emu)
}

fn login(sb: &Sandbox, browser: &std::path::Path) -> std::process::Command {
    let mut cmd = sb.std_gtx();
    cmd.args(["login", "--env", "emu"]).env("BROWSER", browser);
    cmd
}

fn stored(sb: &Sandbox) -> serde_json::Value {
    let text = std::fs::read_to_string(sb.credentials_path()).expect("credentials file");
    serde_json::from_str(&text).expect("credentials JSON")
}

/// The stored session of emu/default, whatever the file's outer shape.
fn session_field(sb: &Sandbox, field: &str) -> String {
    fn find(v: &serde_json::Value, field: &str) -> Option<String> {
        match v {
            serde_json::Value::Object(m) => m
                .get(field)
                .and_then(|x| x.as_str().map(str::to_string))
                .or_else(|| m.values().find_map(|x| find(x, field))),
            serde_json::Value::Array(a) => a.iter().find_map(|x| find(x, field)),
            _ => None,
        }
    }
    find(&stored(sb), field).unwrap_or_else(|| panic!("no {field} stored"))
}

fn assert_signed_in(sb: &Sandbox, grant: &str) {
    let out = sb
        .gtx()
        .args(["token", "get", "--env", "emu"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(stdout_of(&out).trim().matches('.').count(), 2, "a JWT");
    let status = json_ok(sb.gtx().args(["status", "--json"]));
    assert!(
        status.to_string().contains(grant),
        "status names the grant {grant}: {status}"
    );
}

#[test]
fn a_browser_script_completes_the_login() {
    let (sb, emu) = setup(&[]);
    let out = login(&sb, &follower(&sb)).output().expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains("/oauth2/authorize?"),
        "the URL is printed: {err}"
    );
    let page = wait_for_file(&browser_page(&sb));
    assert!(page.contains("Signed in"), "{page}");
    assert!(
        !page.contains("src=") && !page.contains("href="),
        "no external assets"
    );
    let url = std::fs::read_to_string(browser_log(&sb)).expect("browser log");
    assert_eq!(
        query_param(&url, "code_challenge_method").as_deref(),
        Some("S256")
    );
    assert_eq!(query_param(&url, "client_id").as_deref(), Some(PUBLIC));
    let redirect = query_param(&url, "redirect_uri").expect("redirect_uri");
    assert!(redirect.starts_with("http://127.0.0.1:") && redirect.ends_with("/callback"));
    assert_signed_in(&sb, "authorization_code");
    assert_eq!(emu.token_hits("oauth2"), 1);
}

#[test]
fn a_confidential_client_sends_its_stored_secret() {
    let (sb, emu) = setup(&[]);
    sb.gtx()
        .args(["env", "set", "emu", "client_id", "demo-client"])
        .assert()
        .success();
    // Public-client login fails at the exchange: the emulator wants demo-client's secret.
    let out = login(&sb, &follower(&sb)).output().expect("run");
    assert_eq!(out.status.code(), Some(5), "{}", stderr_of(&out));
    let out = sb
        .gtx()
        .args([
            "login",
            "--client-credentials",
            "--client-id",
            "demo-client",
        ])
        .args(["--client-secret-stdin", "--env", "emu"])
        .write_stdin("demo-secret")
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let out = login(&sb, &follower(&sb)).output().expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_signed_in(&sb, "authorization_code");
    assert!(emu.token_hits("oauth2") >= 3);
}

#[test]
fn a_wrong_state_does_not_end_the_wait() {
    let (sb, _emu) = setup(&[]);
    let mut cmd = sb.std_gtx();
    cmd.args(["login", "--no-browser", "--env", "emu"]);
    let mut running = Running::spawn(cmd);
    let url = running.url();
    let redirect = query_param(&url, "redirect_uri").expect("redirect_uri");
    let (status, _, body) = get_raw(&format!("{redirect}?code=forged&state=not-yours"));
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("does not belong"), "{body}");
    let (status, _, _) = get_raw(&format!(
        "{}/favicon.ico",
        redirect.trim_end_matches("/callback")
    ));
    assert_eq!(status, 404);
    let (status, _, _) = get_raw(&format!("{redirect}?error=access_denied"));
    assert_eq!(status, 400, "no state: not ours either");
    // Now the person really signs in.
    let (status, location, _) = get_raw(&url);
    assert_eq!(status, 302);
    let (status, _, body) = get_raw(&location.expect("redirect to the callback"));
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Signed in"));
    let (status, err) = running.finish(Duration::from_secs(20));
    assert!(status.success(), "{err}");
    assert!(err.contains("signed in to emu/default"), "{err}");
}

#[test]
fn access_denied_exits_5_with_the_description() {
    let (sb, _emu) = setup(&["--deny"]);
    let out = login(&sb, &follower(&sb)).output().expect("run");
    assert_eq!(out.status.code(), Some(5), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains("access_denied") && err.contains("The user denied access"),
        "{err}"
    );
    let page = wait_for_file(&browser_page(&sb));
    assert!(page.contains("Sign-in failed"), "{page}");
    assert!(!sb.credentials_path().exists(), "nothing stored");
}

#[test]
fn deny_on_the_consent_page_exits_5() {
    let (sb, _emu) = setup(&["--login-form"]);
    let out = login(&sb, &consenter(&sb, USER, PASSWORD, "deny"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(5), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("access_denied"));
    // And Allow on the same form signs in.
    let out = login(&sb, &consenter(&sb, USER, PASSWORD, "allow"))
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_signed_in(&sb, "authorization_code");
}

#[test]
fn a_foreign_issuer_in_the_callback_exits_5() {
    let (sb, emu) = setup(&[]);
    sb.gtx()
        .args(["env", "set", "emu", "issuer", "https://idp.example"])
        .assert()
        .success();
    let out = login(&sb, &follower(&sb)).output().expect("run");
    assert_eq!(out.status.code(), Some(5), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("mix-up"), "{}", stderr_of(&out));
    assert_eq!(emu.token_hits("oauth2"), 0, "the code is never exchanged");
    sb.gtx()
        .args(["env", "set", "emu", "issuer", &emu.base_url])
        .assert()
        .success();
    let out = login(&sb, &follower(&sb)).output().expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
}

#[test]
fn the_wait_times_out() {
    let (sb, _emu) = setup(&[]);
    let started = Instant::now();
    let out = sb
        .gtx()
        .args(["login", "--no-browser", "--timeout", "1", "--env", "emu"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(6), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("timed out waiting"),
        "{}",
        stderr_of(&out)
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn a_fixed_port_that_is_taken_exits_3() {
    let (sb, _emu) = setup(&[]);
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    sb.gtx()
        .args(["env", "set", "emu", "redirect_port", &port])
        .assert()
        .success();
    let out = sb
        .gtx()
        .args(["login", "--no-browser", "--env", "emu"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains(&format!("127.0.0.1:{port}")) && err.contains("redirect_port"),
        "{err}"
    );
    drop(taken);
    // Free again: the fixed port is the one in the redirect URI.
    let mut cmd = sb.std_gtx();
    cmd.args(["login", "--env", "emu"])
        .env("BROWSER", follower(&sb));
    let out = cmd.output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let url = std::fs::read_to_string(browser_log(&sb)).expect("log");
    assert_eq!(
        query_param(&url, "redirect_uri"),
        Some(format!("http://127.0.0.1:{port}/callback"))
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_exits_130_and_frees_the_port() {
    let (sb, _emu) = setup(&[]);
    let mut cmd = sb.std_gtx();
    cmd.args(["login", "--no-browser", "--env", "emu"]);
    let mut running = Running::spawn(cmd);
    let url = running.url();
    let redirect = query_param(&url, "redirect_uri").expect("redirect_uri");
    let port: u16 = redirect
        .trim_start_matches("http://127.0.0.1:")
        .trim_end_matches("/callback")
        .parse()
        .expect("port");
    // SAFETY: signalling a child we spawned.
    unsafe {
        libc::kill(running.child.id() as i32, libc::SIGINT);
    }
    let (status, err) = running.finish(Duration::from_secs(10));
    assert_eq!(status.code(), Some(130), "{err}");
    std::net::TcpListener::bind(("127.0.0.1", port)).expect("the port is free again");
}

/// The browser wait and the code exchange each catch Ctrl-C: one ending must not leave the
/// next to the default action (killed by the signal, not exit 130).
#[cfg(unix)]
#[test]
fn ctrl_c_during_the_code_exchange_after_the_browser_wait_exits_130() {
    use std::os::unix::process::ExitStatusExt;
    let (sb, emu) = setup(&[]);
    let mut cmd = sb.std_gtx();
    cmd.args(["login", "--no-browser", "--env", "emu", "--timeout", "30"]);
    let mut running = Running::spawn(cmd);
    let url = running.url();
    let (_, location, _) = get_raw(&url);
    let callback = location.expect("callback");
    emu.faults(serde_json::json!({"delay_ms": 5000}));
    let browser = std::thread::spawn(move || get_raw(&callback));
    // The callback is in; gtx is now waiting on the (delayed) token endpoint.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while emu.requests() < 2 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    // SAFETY: signalling a child we spawned.
    unsafe {
        libc::kill(running.child.id() as i32, libc::SIGINT);
    }
    let (status, err) = running.finish(Duration::from_secs(10));
    assert_eq!(status.signal(), None, "killed by the signal: {err}");
    assert_eq!(status.code(), Some(130), "{err}");
    let _ = browser.join();
    assert!(!sb.credentials_path().exists(), "nothing stored");
}

#[test]
fn a_replayed_code_is_rejected() {
    let (sb, emu) = setup(&[]);
    let mut cmd = sb.std_gtx();
    cmd.args(["login", "--no-browser", "--env", "emu"]);
    let mut running = Running::spawn(cmd);
    let url = running.url();
    let (_, location, _) = get_raw(&url);
    let callback = location.expect("callback");
    let (status, _, _) = get_raw(&callback);
    assert_eq!(status, 200);
    let (status, err) = running.finish(Duration::from_secs(20));
    assert!(status.success(), "{err}");
    let code = query_param(&callback, "code").expect("code");
    let redirect = query_param(&url, "redirect_uri").expect("redirect_uri");
    let (status, body) = post_form(
        &format!("{}/oauth2/token", emu.base_url),
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", &redirect),
            ("client_id", PUBLIC),
            ("code_verifier", &"a".repeat(43)),
        ],
    );
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("invalid_grant") && body.contains("already used"),
        "{body}"
    );
}

#[test]
fn the_emulator_refuses_plain_pkce_and_foreign_redirects() {
    let emu = Emulator::start(&[]);
    let base = format!(
        "{}/oauth2/authorize?response_type=code&client_id={PUBLIC}&state=s&code_challenge={}",
        emu.base_url,
        "a".repeat(43)
    );
    let (status, location, _) = get_raw(&format!(
        "{base}&code_challenge_method=plain&redirect_uri=http://127.0.0.1:9/callback"
    ));
    assert_eq!(status, 302);
    assert!(
        location
            .expect("location")
            .contains("error=invalid_request")
    );
    let (status, _, body) = get_raw(&format!(
        "{base}&code_challenge_method=S256&redirect_uri=https://evil.example/callback"
    ));
    assert_eq!(status, 400, "no redirect to a foreign host: {body}");
}

#[test]
fn very_verbose_output_shows_no_code_verifier_or_token() {
    let (sb, _emu) = setup(&[]);
    let mut cmd = login(&sb, &follower(&sb));
    cmd.arg("-vv");
    let out = cmd.output().expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    let access = session_field(&sb, "access_token");
    let refresh = session_field(&sb, "refresh_token");
    assert!(!err.contains(&access) && !err.contains(&refresh), "{err}");
    assert!(err.contains("code_verifier="), "the form is logged: {err}");
    for key in ["code=", "code_verifier="] {
        for (i, _) in err.match_indices(key) {
            let value: String = err[i + key.len()..]
                .chars()
                .take_while(|c| *c != '&' && !c.is_whitespace())
                .collect();
            assert!(
                value.ends_with('…') && value.chars().count() <= 9,
                "{key} shown unredacted: {value}"
            );
        }
    }
}

#[test]
fn token_get_never_opens_a_browser() {
    let (sb, emu) = setup(&[]);
    let out = login(&sb, &follower(&sb)).output().expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    std::fs::remove_file(browser_log(&sb)).expect("reset the browser log");
    let refresh = session_field(&sb, "refresh_token");
    let (status, _) = post_form(
        &format!("{}/oauth2/revoke", emu.base_url),
        &[("token", &refresh)],
    );
    assert_eq!(status, 200);
    let mut cmd = sb.std_gtx();
    cmd.args(["token", "get", "--min-ttl", "7200", "--env", "emu"])
        .env("BROWSER", follower(&sb));
    let out = cmd.output().expect("run");
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        err.contains("gtx login --env emu"),
        "names the login to run: {err}"
    );
    std::thread::sleep(Duration::from_millis(300));
    assert!(!browser_log(&sb).exists(), "no browser was started");
    let mut cmd = sb.std_gtx();
    cmd.args(["status", "--env", "emu"])
        .env("BROWSER", follower(&sb));
    let out = cmd.output().expect("run");
    assert!(
        !browser_log(&sb).exists(),
        "status starts no browser either: {out:?}"
    );
}

#[test]
fn without_a_display_it_says_how_to_sign_in_remotely() {
    let (sb, _emu) = setup(&[]);
    let mut cmd = sb.std_gtx();
    cmd.args(["login", "--timeout", "1", "--env", "emu"])
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY");
    let out = cmd.output().expect("run");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.contains("ssh -L"), "{err}");
    assert!(err.contains("/oauth2/authorize?"), "{err}");
    assert!(
        err.contains("gtx login --device --env emu"),
        "names --device: {err}"
    );
}

#[test]
fn without_an_authorize_url_and_no_terminal_it_names_the_flags() {
    let (sb, _emu) = setup(&[]);
    let out = sb
        .gtx()
        .args(["login", "--env", "emu-header"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains("--client-credentials") && err.contains("--with-token"),
        "{err}"
    );
}

#[test]
fn real_chromium_signs_in_on_the_form_and_allows() {
    let Some(exe) = chromium() else { return };
    let (sb, _emu) = setup(&["--login-form"]);
    let person = chromium_person(&sb, &exe, "allow", USER, PASSWORD);
    let out = login(&sb, &person).output().expect("run");
    let page = wait_for_file(&browser_page(&sb));
    assert!(
        out.status.success(),
        "{}\npage: {page}\ndriver: {}",
        stderr_of(&out),
        std::fs::read_to_string(sb.path().join("chromium.out")).unwrap_or_default()
    );
    assert!(
        page.contains("/callback?"),
        "ended on gtx's callback: {page}"
    );
    assert!(
        page.contains("Signed in") && page.contains("close this tab"),
        "{page}"
    );
    assert_signed_in(&sb, "authorization_code");
}

/// Runs `gtx ARGS` on a pseudo-terminal (util-linux `script`), typing `keys` after a moment.
fn on_a_terminal(sb: &Sandbox, args: &str, keys: &'static [u8]) -> (Option<i32>, String) {
    use std::io::Write;
    let gtx = sb.std_gtx();
    let mut cmd = std::process::Command::new("script");
    cmd.args([
        "-qec",
        &format!("{} {args}", crate::support::GTX),
        "/dev/null",
    ]);
    cmd.env_clear();
    for (k, v) in gtx.get_envs() {
        if let Some(v) = v {
            cmd.env(k, v);
        }
    }
    cmd.env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TERM", "xterm");
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("script (util-linux) runs gtx on a pseudo-terminal");
    let mut stdin = child.stdin.take().expect("stdin");
    std::thread::sleep(Duration::from_millis(700));
    stdin.write_all(keys).expect("type");
    let out = child.wait_with_output().expect("wait");
    drop(stdin);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[cfg(unix)]
#[test]
fn without_an_authorize_url_a_terminal_asks_which_way() {
    let (sb, _emu) = setup(&["--device-interval", "1"]);
    sb.gtx()
        .args(["env", "set", "emu", "authorize_url", ""])
        .assert()
        .success();
    let (code, screen) = on_a_terminal(&sb, "login --env emu --timeout 2", b"\r");
    assert!(
        screen.contains("How do you want to sign in to emu?"),
        "{screen}"
    );
    assert!(screen.contains("--client-credentials") && screen.contains("--with-token"));
    assert!(
        screen.contains("enter the code"),
        "Enter picked the device login: {screen}"
    );
    assert_eq!(code, Some(6), "then the wait timed out: {screen}");
}

#[test]
fn scope_picks_other_scopes_than_the_environments() {
    let (sb, _emu) = setup(&[]);
    let mut cmd = login(&sb, &follower(&sb));
    cmd.args(["--scope", "orders.read"]);
    let out = cmd.output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let url = std::fs::read_to_string(browser_log(&sb)).expect("log");
    assert_eq!(query_param(&url, "scope").as_deref(), Some("orders.read"));
    let show = json_ok(sb.gtx().args(["token", "show", "--env", "emu", "--json"]));
    assert_eq!(show["scopes"], serde_json::json!(["orders.read"]), "{show}");
}

#[test]
fn an_expired_code_fails_the_login_and_the_tab_says_so() {
    let (sb, _emu) = setup(&["--code-ttl", "0"]);
    let mut cmd = sb.std_gtx();
    cmd.args(["login", "--no-browser", "--env", "emu"]);
    let mut running = Running::spawn(cmd);
    let url = running.url();
    let (_, location, _) = get_raw(&url);
    // Codes live 0 s here: by the time the person's browser reaches gtx, it is stale.
    std::thread::sleep(Duration::from_millis(1200));
    let (status, _, body) = get_raw(&location.expect("callback"));
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("Sign-in failed") && body.contains("expired"),
        "{body}"
    );
    let (status, err) = running.finish(Duration::from_secs(20));
    assert_eq!(status.code(), Some(5), "{err}");
    assert!(err.contains("invalid_grant"), "{err}");
    assert!(!sb.credentials_path().exists(), "nothing stored");
}

/// The issue's case on an `oauth2` environment: after signing out of a browser session,
/// the hint is `gtx login`, not the dialect's first way, `--client-credentials`.
#[test]
fn after_logout_the_hint_names_the_browser() {
    let (sb, _emu) = setup(&[]);
    let out = login(&sb, &follower(&sb)).output().expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    sb.gtx().args(["logout", "--env", "emu"]).assert().success();
    let out = sb
        .gtx()
        .args(["token", "get", "--env", "emu"])
        .output()
        .expect("run");
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains("hint: gtx login --env emu\n"), "{err}");
}

/// CPU time (user + system, in clock ticks) `pid` has used so far.
#[cfg(target_os = "linux")]
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("stat");
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')').expect("comm") + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    fields[11].parse::<u64>().expect("utime") + fields[12].parse::<u64>().expect("stime")
}

/// More connections to the callback port than gtx may hold descriptors for (another
/// program, or a page probing local ports): gtx waits for descriptors to come back instead
/// of spinning on `accept` at full CPU, and the sign-in completes once they do.
#[cfg(target_os = "linux")]
#[test]
fn a_flood_of_connections_to_the_callback_port_does_not_spin() {
    use std::io::Write;
    use std::os::unix::process::CommandExt;
    let (sb, _emu) = setup(&[]);
    let mut cmd = sb.std_gtx();
    cmd.args(["login", "--no-browser", "--env", "emu"]);
    // SAFETY: setrlimit(2) is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: 64,
                rlim_max: 64,
            };
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
            Ok(())
        });
    }
    let mut running = Running::spawn(cmd);
    let url = running.url();
    let redirect = query_param(&url, "redirect_uri").expect("redirect_uri");
    let addr = redirect
        .trim_start_matches("http://")
        .trim_end_matches("/callback")
        .to_string();
    let flood: Vec<std::net::TcpStream> = (0..100)
        .map(|_| {
            let mut c = std::net::TcpStream::connect(&addr).expect("connect");
            let _ = c.write_all(b"GET /callback?x HTTP/1.1\r\n");
            c
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let pid = running.child.id();
    let before = cpu_ticks(pid);
    std::thread::sleep(Duration::from_secs(2));
    let used = cpu_ticks(pid) - before;
    assert!(
        used < 30,
        "gtx used {used} ticks of CPU in 2 s while it could not accept"
    );
    drop(flood);
    let (status, location, _) = get_raw(&url);
    assert_eq!(status, 302);
    let (status, _, body) = get_raw(&location.expect("redirect to the callback"));
    assert_eq!(status, 200, "{body}");
    let (status, err) = running.finish(Duration::from_secs(20));
    assert!(status.success(), "{err}");
}

/// The callback listener answers from the request line alone: a body that trickles in (or
/// never reaches its Content-Length) neither holds the connection nor the sign-in.
#[test]
fn a_callback_whose_body_trickles_is_answered_and_dropped() {
    let (sb, _emu) = setup(&[]);
    let mut cmd = sb.std_gtx();
    cmd.args(["login", "--no-browser", "--env", "emu"]);
    let mut running = Running::spawn(cmd);
    let url = running.url();
    let redirect = query_param(&url, "redirect_uri").expect("redirect_uri");
    let host = redirect
        .trim_start_matches("http://")
        .trim_end_matches("/callback")
        .to_string();
    for target in ["/callback?code=forged&state=not-yours", "/elsewhere"] {
        let head = format!("POST {target} HTTP/1.1\r\nHost: {host}");
        let dropped = crate::support::trickle::body(&host, &head, Duration::from_secs(30));
        assert!(
            dropped.closed && dropped.after < Duration::from_secs(5),
            "{target}: the connection was held for {:?}: {}",
            dropped.after,
            dropped.answer
        );
        assert!(
            dropped.answer.starts_with("HTTP/1.1 4"),
            "{}",
            dropped.answer
        );
    }
    let (status, location, _) = get_raw(&url);
    assert_eq!(status, 302);
    let (status, _, body) = get_raw(&location.expect("redirect to the callback"));
    assert_eq!(status, 200, "{body}");
    let (status, err) = running.finish(Duration::from_secs(20));
    assert!(status.success(), "{err}");
}
