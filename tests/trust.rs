//! Trust boundaries (docs/trust.md): a token or a client secret goes only where it was
//! issued for, a usage error quotes no secret, and a confidential client signs a person in
//! by every grant and authenticates the refreshes that follow.

use crate::support::emulated::{CLIENT, PASSWORD, SECRET, USER, age_session, login_cc, setup};
use crate::support::{Emulator, Sandbox, stderr_of, stdout_of};

const PW_CLIENT: &str = "pw-app";
const PW_SECRET: &str = "pw-app-secret-0123456789";

fn run(sb: &Sandbox, args: &[&str]) -> std::process::Output {
    sb.gtx().args(args).output().expect("run")
}

fn code(out: &std::process::Output) -> Option<i32> {
    out.status.code()
}

// ---------------------------------------------------------------------------------------
// Defect 1: a session is bound to what issued it

#[test]
fn a_session_is_not_sent_to_a_host_the_environment_moved_to() {
    let (sb, _emu) = setup(&[]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    let other = Emulator::start(&["--client", &format!("{CLIENT}:{SECRET}")]);
    let before = other.requests();
    let set = run(&sb, &["env", "set", "emu", "api_base", &other.base_url]);
    assert!(set.status.success(), "{}", stderr_of(&set));
    assert!(
        stderr_of(&set).contains("sign in again"),
        "env set did not say so: {}",
        stderr_of(&set)
    );
    let out = run(&sb, &["request", "--env", "emu", "/api/v1/orders"]);
    let err = stderr_of(&out);
    assert_eq!(code(&out), Some(3), "{err}");
    assert!(err.contains("gtx login"), "{err}");
    assert_eq!(
        other.requests(),
        before,
        "something was sent to the new host"
    );
    let out = run(&sb, &["token", "get", "--env", "emu"]);
    assert_eq!(code(&out), Some(3), "{}", stderr_of(&out));
    assert!(stdout_of(&out).is_empty());
}

#[test]
fn a_changed_dialect_or_client_auth_does_not_serve_the_cached_session() {
    let (sb, _emu) = setup(&[]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    assert!(run(&sb, &["token", "get", "--env", "emu"]).status.success());
    let set = run(&sb, &["env", "set", "emu", "client_auth", "basic"]);
    assert!(set.status.success(), "{}", stderr_of(&set));
    // Same origin: the stored client may mint again there, but the old session is not
    // served as if it had been issued under the new settings.
    let out = run(&sb, &["-v", "token", "get", "--env", "emu"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        !stderr_of(&out).contains("cache hit"),
        "{}",
        stderr_of(&out)
    );
}

// ---------------------------------------------------------------------------------------
// Defect 2: a nested exec's GTX_TOKEN is for the environment it was exported for

#[test]
fn a_nested_exec_token_is_not_used_for_another_environment() {
    let (sb, _emu) = setup(&[]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    let gtx = env!("CARGO_BIN_EXE_gtx");
    let out = run(
        &sb,
        &[
            "exec",
            "--env",
            "emu",
            "--",
            "sh",
            "-c",
            &format!("'{gtx}' token get --env emu-json; echo \"rc=$?\"; echo \"tok=$GTX_TOKEN\""),
        ],
    );
    let text = stdout_of(&out);
    let token = text
        .lines()
        .find_map(|l| l.strip_prefix("tok="))
        .unwrap_or_default()
        .to_string();
    assert!(!token.is_empty(), "{text}");
    let printed: Vec<&str> = text.lines().filter(|l| *l == token).collect();
    assert!(
        printed.is_empty(),
        "emu's token was used for emu-json: {text}"
    );
    assert!(text.contains("rc=4"), "{text} {}", stderr_of(&out));
}

/// The same rule for credentials: `gtx exec` with one credential (say an admin client)
/// hands its command that credential's token, which a nested `gtx … --credential other`
/// must not print as other's. Without `--credential`, the nested gtx still uses it.
#[test]
fn a_nested_exec_token_is_not_used_for_another_credential() {
    let (sb, _emu) = setup(&[]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    let gtx = env!("CARGO_BIN_EXE_gtx");
    let out = run(
        &sb,
        &[
            "exec",
            "--env",
            "emu",
            "--",
            "sh",
            "-c",
            &format!(
                "'{gtx}' token get --credential readonly; echo \"rc=$?\"; \
                 echo \"inner=$('{gtx}' token get)\"; echo \"tok=$GTX_TOKEN\""
            ),
        ],
    );
    let text = stdout_of(&out);
    let token = text
        .lines()
        .find_map(|l| l.strip_prefix("tok="))
        .unwrap_or_default()
        .to_string();
    assert!(!token.is_empty(), "{text}");
    assert!(
        !text.lines().any(|l| l == token),
        "default's token was printed as readonly's: {text}"
    );
    assert!(text.contains("rc=4"), "{text} {}", stderr_of(&out));
    assert!(
        text.contains(&format!("inner={token}")),
        "{text} {}",
        stderr_of(&out)
    );
}

// ---------------------------------------------------------------------------------------
// Defect 3: usage errors quote no secret

#[test]
fn usage_errors_do_not_quote_possible_secrets() {
    let sb = Sandbox::new();
    let secret = "sk-live-0123456789abcdefSECRET";
    for args in [
        vec!["login", "--with-token", secret],
        vec!["login", &format!("--password={secret}")],
        vec!["token", "get", secret],
        vec!["request", "-H", &format!("X-Api-Key={secret}"), "/x"],
        vec!["request", "-H", &format!("Cookie session={secret}"), "/x"],
        // A secret that starts with `-` (base64url's alphabet has it) is no flag.
        vec!["login", &format!("--client-secret-stdin=-{secret}")],
    ] {
        let out = run(&sb, &args);
        let err = stderr_of(&out);
        assert_eq!(code(&out), Some(2), "{args:?}: {err}");
        assert!(!err.contains(secret), "{args:?} printed the secret: {err}");
        assert!(
            !err.contains("SECRET"),
            "{args:?} printed the secret's tail: {err}"
        );
    }
}

/// The options clap reads from the environment (`GTX_STORE`, `GTX_ENV`, `GTX_CREDENTIAL`)
/// are typed too, in a CI job's settings: a secret exported under the wrong name is cut
/// from the usage error as one on the command line is.
#[test]
fn usage_errors_do_not_quote_secrets_from_environment_variables() {
    let sb = Sandbox::new();
    let secret = "sk-live-0123456789abcdefSECRET";
    for var in ["GTX_STORE", "GTX_ENV", "GTX_CREDENTIAL"] {
        let mut cmd = sb.gtx();
        cmd.env(var, secret).args(["token", "get", "--bogus-flag"]);
        if var == "GTX_STORE" {
            cmd.args(["--env", "sandbox"]);
        }
        let out = cmd.output().expect("run");
        let err = stderr_of(&out);
        assert_eq!(code(&out), Some(2), "{var}: {err}");
        assert!(!err.contains("SECRET"), "{var} printed the secret: {err}");
    }
    let out = sb
        .gtx()
        .env("GTX_STORE", secret)
        .args(["token", "get"])
        .output()
        .expect("run");
    let err = stderr_of(&out);
    assert_eq!(code(&out), Some(2), "{err}");
    assert!(err.contains("--store"), "names the option: {err}");
    assert!(
        !err.contains("SECRET"),
        "GTX_STORE printed the secret: {err}"
    );
}

// ---------------------------------------------------------------------------------------
// Defect 4: request paths stay under api_base's base path

#[test]
fn request_paths_never_climb_above_the_base_path() {
    let (sb, emu) = setup(&[]);
    let base = format!("{}/tenants/a", emu.base_url);
    let token_url = format!("{}/oauth2/token", emu.base_url);
    let add = run(
        &sb,
        &[
            "env",
            "add",
            "tenant",
            "--api-base",
            &base,
            "--token-url",
            &token_url,
        ],
    );
    assert!(add.status.success(), "{}", stderr_of(&add));
    assert!(login_cc(&sb, "tenant", SECRET).status.success());
    let before = emu.requests();
    for path in [
        "../b/orders",
        "%2e%2e/b/orders",
        "%2E%2e/b/orders",
        "..\\b\\orders",
        "/x/../../b/orders",
        "..%2fb/orders",
        "orders\tx",
        "orders\nx",
    ] {
        let out = run(&sb, &["request", "--env", "tenant", path]);
        assert_eq!(code(&out), Some(2), "{path:?}: {}", stderr_of(&out));
    }
    assert_eq!(emu.requests(), before, "a request was sent");
}

// ---------------------------------------------------------------------------------------
// Defect 5: config writes replace only a regular file

#[test]
fn config_writes_keep_mode_and_refuse_what_is_not_a_regular_file() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    sb.write_config("[env.a]\napi_base = \"https://a.example\"\n");
    let path = sb.config_path();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let out = run(&sb, &["env", "add", "b", "--api-base", "https://b.example"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(crate::support::mode(&path) & 0o777, 0o600, "mode changed");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).expect("chmod");
    let out = run(&sb, &["env", "add", "c", "--api-base", "https://c.example"]);
    assert_eq!(code(&out), Some(3), "{}", stderr_of(&out));
    assert_eq!(crate::support::mode(&path) & 0o777, 0o400, "mode changed");
    // GTX_CONFIG=/dev/null: an empty config to read; writes are refused, and /dev/null
    // stays what it is with no lock file beside it.
    let out = sb
        .gtx()
        .env("GTX_CONFIG", "/dev/null")
        .args(["env", "list"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    if nix_is_root() {
        let out = sb
            .gtx()
            .env("GTX_CONFIG", "/dev/null")
            .args(["env", "add", "z", "--api-base", "https://z.example"])
            .output()
            .expect("run");
        assert_eq!(code(&out), Some(3), "{}", stderr_of(&out));
        use std::os::unix::fs::FileTypeExt;
        let meta = std::fs::metadata("/dev/null").expect("stat");
        assert!(meta.file_type().is_char_device(), "/dev/null was replaced");
        assert!(!std::path::Path::new("/dev/null.lock").exists());
    }
    // A FIFO never blocks a command.
    let fifo = sb.path().join("fifo.toml");
    let c = std::ffi::CString::new(fifo.to_str().expect("utf8")).expect("cstr");
    // SAFETY: a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let mut cmd = sb.std_gtx();
    cmd.env("GTX_CONFIG", &fifo).args(["env", "list"]);
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let start = std::time::Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if start.elapsed() > std::time::Duration::from_secs(10) {
            let _ = child.kill();
            panic!("gtx blocked on a FIFO config");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("output");
    assert_eq!(code(&out), Some(3), "{}", stderr_of(&out));
    let out = sb
        .gtx()
        .env("GTX_CONFIG", &fifo)
        .args(["env", "add", "d", "--api-base", "https://d.example"])
        .timeout(std::time::Duration::from_secs(10))
        .output()
        .expect("run");
    assert_eq!(code(&out), Some(3), "{}", stderr_of(&out));
    let meta = std::fs::symlink_metadata(&fifo).expect("stat");
    use std::os::unix::fs::FileTypeExt;
    assert!(meta.file_type().is_fifo(), "the FIFO was replaced");
}

fn nix_is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

// ---------------------------------------------------------------------------------------
// Defect 6: token types gtx does not understand are refused

#[test]
fn token_types_other_than_bearer_are_refused() {
    let (sb, emu) = setup(&[]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    let before = sb.read_credentials();
    for kind in ["DPoP", "mac", "N_A", "Basic"] {
        emu.faults(serde_json::json!({
            "body_next": 1,
            "body_status": 200,
            "body": format!(r#"{{"access_token":"odd-0123456789abcdef","token_type":"{kind}","expires_in":3600}}"#),
        }));
        let out = run(&sb, &["token", "generate", "--env", "emu"]);
        let err = stderr_of(&out);
        // DPoP is understood since DPoP support landed, but not in an environment
        // without `dpop = true` (exit 3 there); the others are unknown types (exit 6).
        let want = if kind == "DPoP" { 3 } else { 6 };
        assert_eq!(code(&out), Some(want), "{kind}: {err}");
        assert!(err.contains(kind), "{kind}: {err}");
        assert!(stdout_of(&out).is_empty(), "{kind}");
        assert_eq!(sb.read_credentials(), before, "{kind} was stored");
    }
}

// ---------------------------------------------------------------------------------------
// Defect 10: a URL too long is a usage error

#[test]
fn a_url_over_64_kib_is_a_usage_error() {
    let (sb, emu) = setup(&[]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    let before = emu.requests();
    let path = format!("/api/v1/orders?q={}", "a".repeat(70_000));
    let out = run(&sb, &["request", "--env", "emu", &path]);
    let err = stderr_of(&out);
    assert_eq!(code(&out), Some(2), "{err}");
    assert!(err.contains("URL too long"), "{err}");
    assert_eq!(emu.requests(), before);
}

// ---------------------------------------------------------------------------------------
// Defect 11: request --json

#[test]
fn request_refuses_json_rather_than_print_what_is_not_json() {
    let (sb, emu) = setup(&[]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    let before = emu.requests();
    let out = run(
        &sb,
        &["request", "--json", "-i", "--env", "emu", "/api/v1/orders"],
    );
    assert_eq!(code(&out), Some(2), "{}", stderr_of(&out));
    assert!(stdout_of(&out).is_empty());
    assert_eq!(emu.requests(), before);
}

// ---------------------------------------------------------------------------------------
// Defect 12: the busy-port hint names the environment

#[test]
fn the_busy_redirect_port_hint_names_the_environment() {
    let (sb, _emu) = setup(&[]);
    let busy = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = busy.local_addr().expect("addr").port().to_string();
    assert!(
        run(&sb, &["env", "set", "emu", "client_id", "demo-public"])
            .status
            .success()
    );
    assert!(
        run(&sb, &["env", "set", "emu", "redirect_port", &port])
            .status
            .success()
    );
    let out = run(&sb, &["login", "--no-browser", "--env", "emu"]);
    let err = stderr_of(&out);
    assert_eq!(code(&out), Some(3), "{err}");
    assert!(err.contains("gtx env set emu redirect_port ''"), "{err}");
}

// ---------------------------------------------------------------------------------------
// Confidential clients on every grant

fn confidential() -> (Sandbox, Emulator) {
    let pw = format!("{PW_CLIENT}:{PW_SECRET}");
    let (sb, emu) = setup(&["--password-client", &pw]);
    let set = run(&sb, &["env", "set", "emu", "client_id", PW_CLIENT]);
    assert!(set.status.success(), "{}", stderr_of(&set));
    (sb, emu)
}

fn password_login(sb: &Sandbox, secret: Option<&str>) -> std::process::Output {
    let mut cmd = sb.gtx();
    cmd.args([
        "login",
        "--password",
        "--username",
        USER,
        "--password-stdin",
        "--env",
        "emu",
    ]);
    if let Some(s) = secret {
        cmd.env("GTX_CLIENT_SECRET", s);
    }
    cmd.write_stdin(PASSWORD).output().expect("run")
}

#[test]
fn a_confidential_client_signs_in_by_password_and_refreshes_with_its_secret() {
    let (sb, emu) = confidential();
    let out = password_login(&sb, None);
    let err = stderr_of(&out);
    assert_eq!(code(&out), Some(5), "{err}");
    assert!(err.contains("GTX_CLIENT_SECRET"), "{err}");
    assert!(!err.contains("--client-credentials"), "{err}");

    let out = password_login(&sb, Some(PW_SECRET));
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!String::from_utf8_lossy(&sb.read_credentials()).contains(PASSWORD));
    age_session(&sb, "emu/default");
    let hits = emu.token_hits("oauth2");
    let out = run(&sb, &["-v", "token", "get", "--env", "emu"]);
    let err = stderr_of(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(emu.token_hits("oauth2"), hits + 1, "{err}");
    // The refresh was made (not a client-credentials mint, which this client may not use).
    let show = run(&sb, &["token", "show", "--env", "emu", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&show)).expect("json");
    assert_eq!(v["grant"], "password", "{v}");
    let out = run(&sb, &["-vv", "logout", "--env", "emu"]);
    let err = stderr_of(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains(PW_SECRET), "{err}");
    assert_eq!(emu.stats()["revoke_hits"], 1, "{err}");
}

/// Defect 1, at a terminal: a person is asked before the stored client secret goes to the
/// token endpoint's new origin; no (the default) sends nothing, yes mints there.
#[cfg(unix)]
#[test]
fn a_person_is_asked_before_the_client_secret_goes_to_a_new_origin() {
    use crate::support::pty;
    let (sb, _emu) = setup(&[]);
    assert!(login_cc(&sb, "emu", SECRET).status.success());
    let other = Emulator::start(&["--client", &format!("{CLIENT}:{SECRET}")]);
    assert!(
        run(&sb, &["env", "set", "emu", "api_base", &other.base_url])
            .status
            .success()
    );
    let before = other.requests();
    let ask = |typed: &[u8]| {
        let mut cmd = sb.std_gtx();
        cmd.args(["token", "get", "--env", "emu"]);
        pty::run(cmd, typed)
    };
    let out = ask(b"\n");
    assert!(out.terminal.contains("Send it there?"), "{}", out.terminal);
    assert_eq!(out.code, Some(3), "{}", out.terminal);
    assert!(out.stdout.is_empty());
    assert_eq!(
        other.requests(),
        before,
        "the secret went to the new origin"
    );
    let out = ask(b"y\n");
    assert_eq!(out.code, Some(0), "{}", out.terminal);
    assert!(!out.stdout.trim().is_empty(), "no token printed");
    assert!(
        other.requests() > before,
        "nothing was minted at the new origin"
    );
}
