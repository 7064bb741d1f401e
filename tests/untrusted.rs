//! Hostile input at every boundary (issue 10, defects 2 and 3): a token endpoint injecting
//! headers or terminal escapes, config values with control characters, and servers echoing
//! secrets in other spellings.

use crate::support::{Emulator, Sandbox, json_ok, stderr_of, stdout_of};

const CLIENT: &str = "hostile-client";
const SECRET: &str = "p@ss/w\"rd&<0123456789>";

/// An emulator with one client and a sandbox signed in to it (`emu`, oauth2).
fn signed_in() -> (Sandbox, Emulator) {
    let emu = Emulator::start(&["--client", &format!("{CLIENT}:{SECRET}")]);
    let sb = Sandbox::new();
    sb.add_emulator_envs(&emu);
    let out = sb
        .gtx()
        .args([
            "login",
            "--client-credentials",
            "--client-secret-stdin",
            "--client-id",
            CLIENT,
            "--env",
            "emu",
        ])
        .write_stdin(SECRET)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    (sb, emu)
}

fn hostile_answer(emu: &Emulator, status: u16, body: &str) {
    emu.faults(serde_json::json!({"body_next": 1, "body_status": status, "body": body}));
}

/// `token generate` against the emulator's `emu`, whose next answer a test has set.
fn generate(sb: &Sandbox) -> std::process::Output {
    sb.gtx()
        .args(["token", "generate", "--env", "emu"])
        .output()
        .expect("run")
}

fn no_raw_controls(text: &str) {
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\r'),
        "raw control characters reached the terminal: {text:?}"
    );
}

#[test]
fn header_injection_in_token_type_is_refused_and_nothing_stored() {
    let (sb, emu) = signed_in();
    let before = sb.read_credentials();
    hostile_answer(
        &emu,
        200,
        r#"{"access_token":"injected-0123456789abcdef","token_type":"Bearer\r\nX-Injected: yes\r\nX-Pad:","expires_in":3600}"#,
    );
    let out = generate(&sb);
    assert_eq!(out.status.code(), Some(6), "{}", stderr_of(&out));
    no_raw_controls(&stderr_of(&out));
    assert_eq!(
        sb.read_credentials(),
        before,
        "the hostile answer was stored"
    );
    let header = stdout_of(
        &sb.gtx()
            .args(["token", "get", "--header", "--env", "emu"])
            .output()
            .expect("run"),
    );
    assert!(header.starts_with("Authorization: Bearer "), "{header}");
    assert_eq!(header.lines().count(), 1, "{header}");
}

#[test]
fn token_type_bearer_is_stored_canonically() {
    let (sb, emu) = signed_in();
    hostile_answer(
        &emu,
        200,
        r#"{"access_token":"lower-0123456789abcdef","token_type":"bEaReR","expires_in":3600}"#,
    );
    let v = json_ok(
        sb.gtx()
            .args(["token", "generate", "--env", "emu", "--json"]),
    );
    assert_eq!(v["token_type"], "Bearer");
}

#[test]
fn terminal_escapes_in_scope_are_refused() {
    let (sb, emu) = signed_in();
    hostile_answer(
        &emu,
        200,
        "{\"access_token\":\"esc-0123456789abcdef\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"scope\":\"orders.read \\u001b]0;pwned\\u0007\"}",
    );
    let out = generate(&sb);
    assert_eq!(out.status.code(), Some(6), "{}", stderr_of(&out));
    no_raw_controls(&stderr_of(&out));
    for args in [&["token", "show", "--env", "emu"][..], &["status"][..]] {
        let out = sb.gtx().args(args).output().expect("run");
        no_raw_controls(&stdout_of(&out));
    }
}

#[test]
fn server_error_text_never_prints_raw_escapes() {
    let (sb, emu) = signed_in();
    hostile_answer(
        &emu,
        400,
        "{\"error\":\"invalid_client\",\"error_description\":\"\\u001b]8;;https://evil.example\\u0007click\\u001b]8;;\\u0007\\r\\ngtx: all good\"}",
    );
    let out = generate(&sb);
    assert_eq!(out.status.code(), Some(5), "{}", stderr_of(&out));
    no_raw_controls(&stderr_of(&out));
}

#[test]
fn token_show_escapes_jwt_claims_and_alg() {
    let sb = Sandbox::new();
    use base64::Engine as _;
    let b64 = |v: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
    let header = b64("{\"alg\":\"HS256\\u001b[2J\",\"typ\":\"JWT\"}");
    let claims = b64("{\"sub\\u001b]0;pwned\\u0007\":\"x\",\"exp\":4102444800}");
    let jwt = format!("{header}.{claims}.c2lnbmF0dXJlLTAxMjM0NTY3ODk");
    sb.gtx()
        .args(["login", "--with-token"])
        .write_stdin(jwt)
        .assert()
        .success();
    let out = sb.gtx().args(["token", "show"]).output().expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    no_raw_controls(&stdout_of(&out));
    assert!(stdout_of(&out).contains("\\u{1b}"), "{}", stdout_of(&out));
}

#[test]
fn control_characters_in_config_values_never_print_raw() {
    let sb = Sandbox::new();
    sb.write_config(
        "[environments.x]\napi_base = \"https://a.example\"\nclient_id = \"id\\u001b]0;pwned\\u0007\\nstate ok\"\n",
    );
    let out = sb.gtx().args(["env", "show", "x"]).output().expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    no_raw_controls(&stdout_of(&out));
    assert_eq!(stdout_of(&out).lines().count(), 5, "{}", stdout_of(&out));
    for url in [
        "https://a.example/\u{1b}]0;x\u{7}",
        "https://a.example/a\nb",
    ] {
        let out = sb
            .gtx()
            .args(["env", "set", "x", "token_url", url])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(3), "{url:?}: {}", stderr_of(&out));
        no_raw_controls(&stderr_of(&out));
    }
}

/// The client secret as servers echo it: raw, PHP's JSON (`\/`), `\uXXXX`, HTML entities
/// (named and numeric) and percent-encoding.
fn spellings() -> Vec<String> {
    use base64::Engine;
    let json_slash = SECRET
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('/', "\\/");
    let json_u: String = SECRET
        .chars()
        .map(|c| format!("\\u{:04x}", c as u32))
        .collect();
    let html = SECRET
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let html_numeric: String = SECRET.chars().map(|c| format!("&#{};", c as u32)).collect();
    let html_hex: String = SECRET
        .chars()
        .map(|c| format!("&#x{:X};", c as u32))
        .collect();
    let percent: String = SECRET.bytes().map(|b| format!("%{b:02X}")).collect();
    let percent_lower: String = url::form_urlencoded::byte_serialize(SECRET.as_bytes())
        .collect::<String>()
        .to_lowercase();
    vec![
        SECRET.to_string(),
        json_slash,
        json_u,
        html,
        html_numeric,
        html_hex,
        percent,
        percent_lower,
        // Hex and base64 (as in the Basic header gtx sent): a server may echo those too.
        SECRET.bytes().map(|b| format!("{b:02x}")).collect(),
        SECRET.bytes().map(|b| format!("{b:02X}")).collect(),
        base64::engine::general_purpose::STANDARD.encode(SECRET),
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT}:{SECRET}")),
    ]
}

fn assert_no_secret(text: &str, spelled: &str) {
    assert!(!text.contains("0123456789"), "secret shown: {text}");
    assert!(
        !text.contains(&spelled[8..]),
        "secret shown as {spelled}: {text}"
    );
}

#[test]
fn echoed_secret_is_redacted_in_every_spelling() {
    let (sb, emu) = signed_in();
    for spelled in spellings() {
        let bodies = [
            (
                500,
                format!(
                    r#"{{"error":"server_error","error_description":"bad {spelled}"}}<p>sec={spelled}</p>"#
                ),
            ),
            (200, format!("<html>welcome {spelled}</html>")),
            (200, format!(r#"{{"echo":"{spelled}","access_token":"#)),
        ];
        for (status, body) in bodies {
            emu.faults(serde_json::json!({"body_next": 3, "body_status": status, "body": body}));
            let out = sb
                .gtx()
                .args(["token", "generate", "--env", "emu", "-vv"])
                .output()
                .expect("run");
            assert_eq!(out.status.code(), Some(6), "{body}: {}", stderr_of(&out));
            assert_no_secret(&stderr_of(&out), &spelled);
        }
    }
}

#[cfg(target_os = "linux")]
#[test]
fn core_dumps_are_off_for_gtx() {
    let sb = Sandbox::new();
    // A gtx blocked reading a secret from stdin, started with core dumps allowed.
    let mut child = sb
        .wrapper("sh")
        .args(["-c", "ulimit -c unlimited 2>/dev/null; exec \"$0\" \"$@\""])
        .arg(crate::support::GTX)
        .args([
            "login",
            "--client-credentials",
            "--client-secret-stdin",
            "--client-id",
            "x",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let limits_path = format!("/proc/{}/limits", child.id());
    let mut core = String::new();
    for _ in 0..50 {
        std::thread::sleep(std::time::Duration::from_millis(20));
        let limits = std::fs::read_to_string(&limits_path).unwrap_or_default();
        core = limits
            .lines()
            .find(|l| l.starts_with("Max core file size"))
            .unwrap_or_default()
            .to_string();
        if core.split_whitespace().nth(4) == Some("0") {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(core.split_whitespace().nth(4), Some("0"), "{core}");
}

#[test]
fn control_characters_in_secrets_and_client_ids_exit_2() {
    let sb = Sandbox::new();
    let login = |id: &str, secret: &str| {
        sb.gtx()
            .args([
                "login",
                "--client-credentials",
                "--client-secret-stdin",
                "--client-id",
                id,
            ])
            .write_stdin(secret.to_string())
            .output()
            .expect("run")
    };
    for (id, secret) in [
        ("ok-client", "first-line\nsecond-line"),
        ("ok-client", "with\u{1b}[31mescape"),
        ("bad\nclient", "fine-secret-0123"),
    ] {
        let out = login(id, secret);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{id:?} {secret:?}: {}",
            stderr_of(&out)
        );
        assert!(
            !stderr_of(&out).contains("second-line"),
            "{}",
            stderr_of(&out)
        );
    }
    // A trailing newline from `echo` is not part of the secret.
    for (id, secret) in [("a\rb", "fine-secret-0123"), ("ok", "tab\tin-secret")] {
        let out = sb
            .gtx()
            .args(["token", "generate", "--store", "memory"])
            .env("GTX_CLIENT_ID", id)
            .env("GTX_CLIENT_SECRET", secret)
            .output()
            .expect("run");
        assert_eq!(
            out.status.code(),
            Some(2),
            "{id:?} {secret:?}: {}",
            stderr_of(&out)
        );
    }
}

/// Spellings the decoders cannot undo: base64 (alone, and as the `id:secret` of a Basic
/// header) and the secret broken across lines by a server wrapping its error page.
#[test]
fn echoed_secret_in_base64_or_split_across_lines_is_redacted() {
    use base64::Engine;
    let (sb, emu) = signed_in();
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let b64url = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let spelled = [
        b64(SECRET),
        b64url(SECRET),
        format!("Basic {}", b64(&format!("{CLIENT}:{SECRET}"))),
        format!("{}\r\n{}", &SECRET[..10], &SECRET[10..]),
        format!("{}\n  {}\n{}", &SECRET[..5], &SECRET[5..15], &SECRET[15..]),
    ];
    for spelled in spelled {
        let body = format!("<pre>you sent {spelled} which is wrong</pre>");
        emu.faults(serde_json::json!({"body_next": 3, "body_status": 500, "body": body}));
        let out = sb
            .gtx()
            .args(["token", "generate", "--env", "emu", "-vv"])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(6), "{body}: {}", stderr_of(&out));
        let err = stderr_of(&out);
        assert!(!err.contains("456789>"), "secret shown: {err}");
        assert!(!err.contains(&spelled[12..]), "{spelled:?} shown: {err}");
    }
}

/// A session stored before token_type and scopes were checked (or by a hand-edited
/// file) still holds what a hostile server sent: it is never put in a header or printed
/// raw, and the next `token get` replaces it with a fresh token.
#[test]
fn hostile_session_already_in_the_store_is_renewed_not_served() {
    let (sb, emu) = signed_in();
    let path = sb.credentials_path();
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
    let session = &mut doc["profiles"]["emu/default"]["session"];
    session["token_type"] = "Bearer\r\nX-Injected: yes".into();
    session["scopes"] = serde_json::json!(["orders.read\u{1b}]0;pwned\u{7}"]);
    std::fs::write(&path, serde_json::to_vec(&doc).expect("json")).expect("write");
    for args in [&["status"][..], &["token", "show", "--env", "emu"]] {
        let out = sb.gtx().args(args).output().expect("run");
        let text = stdout_of(&out) + &stderr_of(&out);
        no_raw_controls(&text);
        assert!(
            !text.lines().any(|l| l.starts_with("X-Injected")),
            "{args:?} printed a forged line: {text}"
        );
    }
    let hits = emu.token_hits("oauth2");
    let out = sb
        .gtx()
        .args(["token", "get", "--header", "--env", "emu"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let header = stdout_of(&out);
    assert!(header.starts_with("Authorization: Bearer "), "{header:?}");
    assert_eq!(header.lines().count(), 1, "{header:?}");
    assert_eq!(
        emu.token_hits("oauth2"),
        hits + 1,
        "the stored session was served"
    );
}

/// A refresh answer gtx cannot use (no access token, a hostile token type, a bad lifetime)
/// that still carries a new refresh token: the server may have spent the old one, so the
/// new one is kept (RFC 6749 section 6) while the command fails.
#[test]
fn unusable_refresh_answer_keeps_the_rotated_refresh_token() {
    use crate::support::emulated::{age_session, login_password, setup};
    let (sb, emu) = setup(&["--rotate-refresh"]);
    login_password(&sb, "emu-json");
    let bodies = [
        r#"{"token_type":"Bearer","expires_in":600,"refresh_token":"rotated-one-0123456789"}"#,
        r#"{"access_token":"a-0123456789","token_type":"Bearer\r\nX: y","refresh_token":"rotated-two-0123456789"}"#,
        r#"{"access_token":"a-0123456789","expires_in":"soon","refresh_token":"rotated-three-0123456789"}"#,
    ];
    for body in bodies {
        age_session(&sb, "emu-json/default");
        emu.faults(serde_json::json!({"body_next": 1, "body_status": 200, "body": body}));
        let out = sb
            .gtx()
            .args(["token", "get", "--env", "emu-json"])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(6), "{body}: {}", stderr_of(&out));
        let stored: serde_json::Value =
            serde_json::from_slice(&sb.read_credentials()).expect("json");
        let rt = &stored["profiles"]["emu-json/default"]["session"]["refresh_token"];
        let sent: serde_json::Value = serde_json::from_str(body).expect("json");
        assert_eq!(
            rt, &sent["refresh_token"],
            "{body}: the rotated token was lost"
        );
        assert!(
            !stderr_of(&out).contains("0123456789"),
            "{}",
            stderr_of(&out)
        );
    }
}

/// Bidirectional overrides (U+202E, U+2066…) and C1 controls are not `char::is_control`
/// everywhere, yet they reorder or steer what a terminal shows ("Trojan Source"): a server's
/// error text, a config value and a pasted token's claims must show them escaped.
fn no_bidi_or_c1(text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|c| {
            matches!(*c, '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
                || matches!(*c, '\u{200e}' | '\u{200f}' | '\u{61c}')
        })
        .collect();
    assert!(bad.is_empty(), "raw {bad:?} reached the terminal: {text:?}");
}

#[test]
fn bidi_overrides_from_servers_and_config_are_escaped() {
    let (sb, emu) = signed_in();
    hostile_answer(
        &emu,
        400,
        "{\"error\":\"invalid_client\\u202e\",\"error_description\":\"secret \\u2066ok\\u2069 \\u202egnp.exe\"}",
    );
    let out = generate(&sb);
    assert_eq!(out.status.code(), Some(5), "{}", stderr_of(&out));
    no_bidi_or_c1(&stderr_of(&out));
    assert!(stderr_of(&out).contains("\\u{202e}"), "{}", stderr_of(&out));

    sb.write_config(&format!(
        "{}\n[environments.b]\napi_base = \"https://a.example\"\ntoken_url = \"/tok\\u202eexe.txt\"\nclient_id = \"id\\u200f\\u061c\"\n",
        sb.read_config()
    ));
    for args in [&["env", "show", "b"][..], &["env", "list"][..]] {
        let out = sb.gtx().args(args).output().expect("run");
        assert!(out.status.success(), "{args:?}: {}", stderr_of(&out));
        no_bidi_or_c1(&stdout_of(&out));
    }
}

/// A hand-edited `default_env` is shown by `config get`/`config list` (the way to repair
/// it): escaped, as `env show` shows config values.
#[test]
fn config_get_and_list_escape_a_hand_edited_value() {
    let sb = Sandbox::new();
    sb.write_config("default_env = \"x\\u001b]0;pwned\\u0007\\u202e\"\n");
    for args in [
        &["config", "get", "default_env"][..],
        &["config", "list"][..],
    ] {
        let out = sb.gtx().args(args).output().expect("run");
        assert!(out.status.success(), "{args:?}: {}", stderr_of(&out));
        no_raw_controls(&stdout_of(&out));
        no_bidi_or_c1(&stdout_of(&out));
        assert!(
            stdout_of(&out).contains("x\\u{1b}]0;pwned"),
            "{}",
            stdout_of(&out)
        );
    }
    let v = json_ok(sb.gtx().args(["config", "get", "default_env", "--json"]));
    assert_eq!(v["value"], "x\u{1b}]0;pwned\u{7}\u{202e}");
}

/// A pasted JWT whose `scope` claim holds characters RFC 6749 does not allow in a scope
/// (here an escape sequence) used to be stored as the session's scopes; every later
/// `token get` then refused the session ("less than --min-ttl left") although `login`
/// had said it was signed in.
#[test]
fn pasted_jwt_with_a_hostile_scope_claim_is_still_served() {
    let sb = Sandbox::new();
    use base64::Engine as _;
    let b64 = |v: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
    let header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    let claims =
        b64("{\"scope\":\"orders.read \\u001b]0;pwned\\u0007 caf\\u00e9\",\"exp\":4102444800}");
    let jwt = format!("{header}.{claims}.c2lnbmF0dXJlLTAxMjM0NTY3ODk");
    sb.gtx()
        .args(["login", "--with-token", "--no-verify"])
        .write_stdin(jwt.clone())
        .assert()
        .success();
    let out = sb.gtx().args(["token", "get"]).output().expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(stdout_of(&out).trim_end(), jwt);
    let v = json_ok(sb.gtx().args(["token", "show", "--json"]));
    assert_eq!(v["scopes"], serde_json::json!(["orders.read"]), "{v}");
}

/// `--json` on a terminal: serde_json escapes C0 controls only, so a JWT claim (or any
/// server string) holding C1 controls, DEL or bidirectional overrides came out raw. They
/// are written `\uXXXX`, which decodes to the same document.
#[test]
fn json_output_escapes_c1_del_and_bidi() {
    let sb = Sandbox::new();
    use base64::Engine as _;
    let b64 = |v: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
    let header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    let claims = b64("{\"sub\":\"a\\u009b2J\\u007f\\u202egnp.exe\",\"exp\":4102444800}");
    let jwt = format!("{header}.{claims}.c2lnbmF0dXJlLTAxMjM0NTY3ODk");
    sb.gtx()
        .args(["login", "--with-token", "--no-verify"])
        .write_stdin(jwt)
        .assert()
        .success();
    let out = sb
        .gtx()
        .args(["token", "show", "--json"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = stdout_of(&out);
    assert!(!text.contains('\u{7f}'), "{text:?}");
    no_bidi_or_c1(&text);
    assert!(text.contains(r"a\u009b2J\u007f\u202egnp.exe"), "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(
        v["jwt"]["claims"]["sub"], "a\u{9b}2J\u{7f}\u{202e}gnp.exe",
        "{v}"
    );
}

/// Very long server strings quoted in an error are cut: a discovery document's `issuer` or
/// endpoint, a `token_type`, a scope (each 300 000 characters here) used to be printed in
/// full, one 300 KB line on the terminal.
#[test]
fn very_long_server_strings_in_errors_are_cut() {
    let long = "A".repeat(300_000);
    let short_enough = |out: &std::process::Output| {
        let err = stderr_of(out);
        assert!(err.len() < 2_000, "{} bytes: {}…", err.len(), &err[..300]);
        assert!(err.contains('…'), "{err}");
    };
    let canned = crate::support::canned::Canned::start();
    let me = canned.base_url.clone();
    for doc in [
        serde_json::json!({"issuer": format!("{me}/{long}")}),
        serde_json::json!({"issuer": me, "token_endpoint": format!("http://evil.example/{long}")}),
    ] {
        canned.json("/.well-known/openid-configuration", 200, &doc.to_string());
        let sb = Sandbox::new();
        let out = sb
            .gtx()
            .args(["env", "add", "disc", "--issuer", &me])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(3), "{}", &stderr_of(&out)[..300]);
        short_enough(&out);
    }
    canned.redirect("/token", 301, &format!("{me}/{}", "B".repeat(60_000)));
    let sb = Sandbox::new();
    sb.gtx()
        .args([
            "env",
            "add",
            "redir",
            "--api-base",
            &me,
            "--token-url",
            "/token",
        ])
        .assert()
        .success();
    let out = sb
        .gtx()
        .args(["token", "generate", "--env", "redir"])
        .env("GTX_CLIENT_ID", "app")
        .env("GTX_CLIENT_SECRET", "secret-0123456789abcdef")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3), "{}", &stderr_of(&out)[..300]);
    short_enough(&out);
    let (sb, emu) = signed_in();
    for body in [
        format!(
            r#"{{"access_token":"long-0123456789abcdef","token_type":"Bearer {long}","expires_in":3600}}"#
        ),
        format!(
            r#"{{"access_token":"long-0123456789abcdef","token_type":"Bearer","expires_in":3600,"scope":"a\"{long}"}}"#
        ),
    ] {
        hostile_answer(&emu, 200, &body);
        let out = generate(&sb);
        assert_eq!(out.status.code(), Some(6), "{}", &stderr_of(&out)[..300]);
        short_enough(&out);
    }
}

/// Scopes gtx asks for (`--scope`, the environment's `scopes`) are RFC 6749 scope tokens.
/// One that is not (`x"y`, `café`) was sent, and when the server's answer named no scope the
/// session was stored with it; such a session is never served, so every later `token get`
/// minted again. Now refused where it enters: exit 2 for a flag, exit 3 in the config.
#[test]
fn scopes_outside_rfc_6749_are_refused_where_they_enter() {
    let (sb, emu) = signed_in();
    for args in [
        &["token", "get", "--env", "emu", "--scope", "x\"y"][..],
        &[
            "token",
            "generate",
            "--env",
            "emu",
            "--scope",
            "orders.read café",
        ][..],
        &[
            "login",
            "--client-credentials",
            "--env",
            "emu",
            "--scope",
            "a\\b",
        ][..],
    ] {
        let hits = emu.token_hits("oauth2");
        let out = sb.gtx().args(args).output().expect("run");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr_of(&out));
        assert_eq!(
            emu.token_hits("oauth2"),
            hits,
            "{args:?} called the token endpoint"
        );
    }
    let out = sb
        .gtx()
        .args(["env", "set", "emu", "scopes", "orders.read café"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    sb.write_config(&format!(
        "{}\n[environments.bad]\napi_base = \"https://a.example\"\nscopes = [\"a\\\"b\"]\n",
        sb.read_config()
    ));
    let out = sb.gtx().args(["env", "list"]).output().expect("run");
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    no_raw_controls(&stderr_of(&out));
}

/// A UTF-8 byte order mark before a token answer (some .NET/IIS servers send one; RFC 8259
/// section 8.1 lets parsers ignore it): the answer is used, not called unparseable, and a
/// rotated refresh token in it is kept (the server has already spent the old one).
#[test]
fn a_byte_order_mark_before_a_token_answer_is_ignored() {
    use crate::support::emulated::{age_session, login_password, setup};
    let (sb, emu) = setup(&["--rotate-refresh"]);
    login_password(&sb, "emu-json");
    age_session(&sb, "emu-json/default");
    let body = "\u{feff}{\"access_token\":\"bom-access-0123456789\",\"token_type\":\"Bearer\",\"expires_in\":600,\"refresh_token\":\"bom-rotated-0123456789\"}";
    emu.faults(serde_json::json!({"body_next": 1, "body_status": 200, "body": body}));
    let out = sb
        .gtx()
        .args(["token", "get", "--env", "emu-json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(stdout_of(&out), "bom-access-0123456789\n");
    let stored: serde_json::Value = serde_json::from_slice(&sb.read_credentials()).expect("json");
    assert_eq!(
        stored["profiles"]["emu-json/default"]["session"]["refresh_token"],
        "bom-rotated-0123456789"
    );
}

/// An API that redirects a request with a body to another origin, with the token it was
/// sent percent-encoded into the Location path: the refusal names the URL with the token
/// redacted, in any spelling.
#[test]
fn a_refused_redirect_naming_the_percent_encoded_token_shows_it_redacted() {
    const TOKEN: &str = "at-echoed.0123456789_abcdefghij";
    let canned = crate::support::canned::Canned::start();
    canned.json(
        "/token",
        200,
        &format!(r#"{{"access_token":"{TOKEN}","token_type":"Bearer","expires_in":3600}}"#),
    );
    let pct: String = TOKEN.bytes().map(|b| format!("%{b:02X}")).collect();
    let other = canned.base_url.replace("127.0.0.1", "localhost");
    canned.redirect("/api/moved", 307, &format!("{other}/landing/{pct}"));
    let sb = Sandbox::new();
    sb.gtx()
        .args(["env", "add", "corp", "--api-base", &canned.base_url])
        .args(["--token-url", "/token"])
        .assert()
        .success();
    sb.gtx()
        .args(["login", "--env", "corp", "--client-credentials"])
        .args(["--client-id", CLIENT, "--client-secret-stdin"])
        .write_stdin(format!("{SECRET}\n"))
        .assert()
        .success();
    let out = sb
        .gtx()
        .args(["request", "--env", "corp", "POST", "/api/moved", "-d", "{}"])
        .output()
        .expect("run");
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("another origin"), "{err}");
    assert!(
        !err.contains(&pct) && !err.contains(&pct.to_lowercase()),
        "{err}"
    );
    assert!(!err.contains("0123456789_abcdefghij"), "{err}");
}
