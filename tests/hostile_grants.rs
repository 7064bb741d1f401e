//! Token endpoints that quote the request back (issue 19's seam, attacked as a hostile
//! server would): every grant and every client authentication method, with the server
//! echoing the Authorization header, the form body or one field in its error, its
//! redirect or its page. Neither the error nor the `-vv` log may show a secret in any
//! form that gives it back (docs/security.md, "Redaction").

use crate::support::canned::Canned;
use crate::support::{Sandbox, stderr_of};
use base64::Engine;

const CLIENT: &str = "echo app";
/// Characters that RFC 6749 section 2.3.1 form-encodes before base64 (Azure secrets hold `~`).
const SECRET: &str = "s3cr~t w/+plus=0123456789-QzX";

/// An environment `echo` whose token endpoint is `canned`'s `/token` (its device endpoint
/// `/device`, its authorization endpoint `/authorize`), with `client_auth`.
fn env_at(sb: &Sandbox, canned: &Canned, client_auth: &str) {
    sb.gtx()
        .args(["env", "add", "echo", "--api-base", &canned.base_url])
        .args(["--token-url", "/token", "--device-url", "/device"])
        .args(["--authorize-url", "/authorize"])
        .assert()
        .success();
    sb.gtx()
        .args(["env", "set", "echo", "client_auth", client_auth])
        .assert()
        .success();
}

/// `token generate -vv` as `CLIENT` holding `secret` (a secret, or a PEM key).
fn generate(sb: &Sandbox, secret: &str) -> std::process::Output {
    sb.gtx()
        .args(["-vv", "token", "generate", "--env", "echo"])
        .env("GTX_CLIENT_ID", CLIENT)
        .env("GTX_CLIENT_SECRET", secret)
        .output()
        .expect("run")
}

/// Nothing of `value` past the eight characters its redacted form shows.
fn hidden(text: &str, value: &str, what: &str) {
    let tail: String = value.chars().skip(8).collect();
    assert!(!text.contains(&tail), "{what} shown: {text}");
}

/// Every JWT in `text` is cut after eight characters, as `redact` leaves it.
fn jwts_redacted(text: &str) {
    for (at, _) in text.match_indices("eyJ") {
        let run: String = text[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .collect();
        assert!(run.len() <= 8, "a JWT shown ({run}): {text}");
    }
}

fn form(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// `client_secret_basic` form-encodes id and secret before base64: a server quoting only
/// the credentials (not the `Basic` scheme before them) gave back a secret holding `~`,
/// a space or `+` in a form anyone can decode.
#[test]
fn echoed_basic_credentials_are_redacted_when_the_secret_needs_form_encoding() {
    let canned = Canned::start();
    let sb = Sandbox::new();
    env_at(&sb, &canned, "basic");
    let credentials = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        form(CLIENT),
        form(SECRET)
    ));
    for body in [
        r#"{"error":"invalid_client","error_description":"unknown credentials {credentials}"}"#,
        "<html>unknown credentials {credentials}</html>",
    ] {
        canned.quoting("/token", 401, "", body);
        let out = generate(&sb, SECRET);
        assert_eq!(out.status.code(), Some(5), "{body}: {}", stderr_of(&out));
        let err = stderr_of(&out);
        hidden(&err, &credentials, "the Basic credentials");
        hidden(&err, SECRET, "the secret");
    }
}

/// A client assertion is a bearer credential for its lifetime. gtx signs a new one for each
/// retry; the server's last answer quotes the last one, which the first request never held.
#[test]
fn an_assertion_signed_for_a_retry_is_redacted_like_the_first() {
    let key = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keys/ec.pem"),
    )
    .expect("fixture");
    for (client_auth, secret) in [("client_secret_jwt", SECRET), ("private_key_jwt", &key)] {
        let canned = Canned::start();
        let sb = Sandbox::new();
        env_at(&sb, &canned, client_auth);
        canned.quoting(
            "/token",
            503,
            "",
            "overloaded; you sent {field:client_assertion} and may try again",
        );
        let out = generate(&sb, secret);
        assert_eq!(out.status.code(), Some(6), "{}", stderr_of(&out));
        let err = stderr_of(&out);
        assert!(err.contains("attempt 3 of 3"), "{err}");
        jwts_redacted(&err);
    }
}

/// gtx never follows a token endpoint's redirect, and says where it points; a Location
/// that quotes the request (a login page's `?next=`) carried every secret of the body.
#[test]
fn a_redirect_quoting_the_request_shows_no_secret() {
    let canned = Canned::start();
    let sb = Sandbox::new();
    env_at(&sb, &canned, "body");
    let me = canned.base_url.clone();
    canned.quoting(
        "/token",
        302,
        &format!("Location: {me}/login?{{body}}\r\n"),
        "",
    );
    let out = generate(&sb, SECRET);
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains("/login?"),
        "where it points is still said: {err}"
    );
    hidden(&err, SECRET, "the secret");
    hidden(&err, &form(SECRET), "the form-encoded secret");
}

const PASSWORD: &str = "pa ss+w/rd~0123456789-PW";
const REFRESH: &str = "rt~refresh+token/0123456789-RT";
const DEVICE_CODE: &str = "dc~device+code/0123456789-DC";
const CODE: &str = "ac~auth+code/0123456789-AC";

/// A token answer whose session lasts a second (so the next `token get` refreshes it).
fn tokens() -> String {
    serde_json::json!({"access_token": "at-0123456789abcdef", "token_type": "Bearer",
        "expires_in": 1, "refresh_token": REFRESH})
    .to_string()
}

/// `value` or any spelling that gives it back in `text`: raw, form- or JSON-encoded, or
/// inside a base64 run (a Basic header's `id:secret`), past what `redact` shows.
fn hidden_everywhere(text: &str, value: &str) {
    let tail: String = value.chars().skip(8).collect();
    let json = serde_json::to_string(&tail).expect("json");
    for spelled in [
        tail.clone(),
        form(&tail),
        json.trim_matches('"').to_string(),
    ] {
        assert!(
            !text.contains(&spelled),
            "{value} shown as {spelled}: {text}"
        );
    }
    let b64 = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '-' | '_' | '=');
    for run in text.split(|c| !b64(c)).filter(|r| r.len() >= 12) {
        let trimmed = run.trim_end_matches('=');
        for engine in [
            base64::engine::general_purpose::STANDARD_NO_PAD,
            base64::engine::general_purpose::URL_SAFE_NO_PAD,
        ] {
            let Ok(bytes) = engine.decode(trimmed) else {
                continue;
            };
            let decoded = String::from_utf8_lossy(&bytes).replace('+', " ");
            let decoded = url::form_urlencoded::parse(format!("x={decoded}").as_bytes())
                .map(|(_, v)| v.into_owned())
                .collect::<String>();
            assert!(!decoded.contains(&tail), "{value} in base64 {run}: {text}");
        }
    }
}

/// What a server quoting the request says, for a grant whose secret fields are `fields`:
/// the Authorization header and the whole body, each field alone, the Basic credentials in
/// a page, and a redirect to a page quoting the body.
fn echoes(me: &str, fields: &[&str]) -> Vec<(u16, String, String)> {
    let json = |d: &str| format!(r#"{{"error":"invalid_grant","error_description":"{d}"}}"#);
    let mut all = vec![
        (400, String::new(), json("{authorization} {body_json}")),
        (
            401,
            String::new(),
            "<html>you sent {credentials}</html>".to_string(),
        ),
        (
            302,
            format!("Location: {me}/login?{{body}}\r\n"),
            String::new(),
        ),
        (400, String::new(), json("unknown {header:client-secret}")),
        (400, String::new(), json("unknown {header:dpop}")),
    ];
    for f in fields.iter().chain(&["client_secret", "client_assertion"]) {
        all.push((400, String::new(), json(&format!("unknown {{field:{f}}}"))));
        all.push((
            403,
            String::new(),
            format!("<p>{f} {{field:{f}}} refused</p>"),
        ));
    }
    all
}

/// Runs `attempt` against each echo of `path` and checks that no secret comes back (and
/// that it failed: exit 3, 5 or 6).
fn sweep(
    canned: &Canned,
    path: &str,
    fields: &[&str],
    secrets: &[&str],
    attempt: impl FnMut() -> std::process::Output,
) {
    sweep_exiting(canned, path, fields, secrets, &[3, 5, 6], attempt)
}

/// [`sweep`] for a command that exits with one of `codes`.
fn sweep_exiting(
    canned: &Canned,
    path: &str,
    fields: &[&str],
    secrets: &[&str],
    codes: &[i32],
    mut attempt: impl FnMut() -> std::process::Output,
) {
    for (status, headers, body) in echoes(&canned.base_url, fields) {
        canned.quoting(path, status, &headers, &body);
        let out = attempt();
        let err = stderr_of(&out);
        assert!(
            out.status.code().is_some_and(|c| codes.contains(&c)),
            "{path} {status} {body}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
        for secret in secrets {
            hidden_everywhere(&err, secret);
        }
        jwts_redacted(&err);
        unknown_redacted(&err);
    }
}

/// What follows each `unknown ` (the echo of one field) is redacted: this finds the
/// secrets a test cannot know (the PKCE verifier, a client assertion).
fn unknown_redacted(text: &str) {
    for (at, _) in text.match_indices("unknown ") {
        let word: String = text[at + 8..]
            .chars()
            .take_while(|c| !matches!(c, '"' | ')' | '<' | '\n'))
            .collect();
        assert!(
            word.is_empty() || (word.ends_with('…') && word.chars().count() <= 9),
            "an echoed field shown ({word}): {text}"
        );
    }
}

/// The client as each `client_auth` holds it: a secret, or (private_key_jwt) a PEM key.
fn clients() -> Vec<(&'static str, String)> {
    let key = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keys/rsa.pem"),
    )
    .expect("fixture");
    vec![
        ("body", SECRET.to_string()),
        ("basic", SECRET.to_string()),
        ("client_secret_jwt", SECRET.to_string()),
        ("private_key_jwt", key),
    ]
}

/// Stores the client (`login --client-credentials`): people sign in as it from then on.
fn store_client(sb: &Sandbox, canned: &Canned, client_auth: &str, secret: &str) {
    let flag = match client_auth {
        "private_key_jwt" => "--client-key-stdin",
        _ => "--client-secret-stdin",
    };
    canned.json("/token", 200, &tokens());
    sb.gtx()
        .args(["login", "--env", "echo", "--client-credentials"])
        .args(["--client-id", CLIENT, flag])
        .write_stdin(secret.to_string())
        .assert()
        .success();
}

/// Client credentials, password and refresh grants, each client authentication method,
/// against a server that quotes what it was sent.
#[test]
fn no_grant_gets_a_secret_quoted_back() {
    for (client_auth, secret) in clients() {
        let canned = Canned::start();
        let sb = Sandbox::new();
        env_at(&sb, &canned, client_auth);
        sweep(&canned, "/token", &[], &[SECRET], || generate(&sb, &secret));
        // Store the client, then sign a person in with the password grant as that client.
        store_client(&sb, &canned, client_auth, &secret);
        let password = || {
            sb.gtx()
                .args(["-vv", "login", "--env", "echo", "--password"])
                .args(["--username", "u", "--password-stdin"])
                .write_stdin(PASSWORD)
                .output()
                .expect("run")
        };
        let all = [SECRET, PASSWORD, REFRESH];
        sweep(&canned, "/token", &["password"], &all, password);
        // Each refresh starts from a fresh session that needs one.
        for (status, headers, body) in echoes(&canned.base_url, &["refresh_token"]) {
            canned.json("/token", 200, &tokens());
            let out = password();
            assert!(out.status.success(), "{client_auth}: {}", stderr_of(&out));
            canned.quoting("/token", status, &headers, &body);
            let out = sb
                .gtx()
                .args(["-vv", "token", "get", "--env", "echo"])
                .output()
                .expect("run");
            let err = stderr_of(&out);
            assert!(err.contains("refresh"), "{client_auth} {body}: {err}");
            assert!(
                matches!(out.status.code(), Some(3 | 5 | 6)),
                "{body}: {err}"
            );
            for s in all {
                hidden_everywhere(&err, s);
            }
            jwts_redacted(&err);
        }
    }
}

/// The device authorization request and each poll, each client authentication method.
#[test]
fn the_device_flow_gets_no_secret_quoted_back() {
    for (client_auth, secret) in clients() {
        let canned = Canned::start();
        let sb = Sandbox::new();
        env_at(&sb, &canned, client_auth);
        store_client(&sb, &canned, client_auth, &secret);
        let login = || {
            sb.gtx()
                .args(["-vv", "login", "--env", "echo", "--device", "--no-browser"])
                .args(["--client-id", CLIENT])
                .output()
                .expect("run")
        };
        sweep(&canned, "/device", &[], &[SECRET], login);
        let authorization = serde_json::json!({"device_code": DEVICE_CODE,
            "user_code": "WDJB-MJHT", "verification_uri": "https://example.com/device",
            "interval": 1, "expires_in": 60});
        canned.json("/device", 200, &authorization.to_string());
        sweep(
            &canned,
            "/token",
            &["device_code"],
            &[SECRET, DEVICE_CODE],
            login,
        );
    }
}

/// The authorization code exchange (the code, the PKCE verifier), each client
/// authentication method; the authorization endpoint sends the browser straight back.
#[test]
fn the_code_exchange_gets_no_secret_quoted_back() {
    for (client_auth, secret) in clients() {
        let canned = Canned::start();
        let sb = Sandbox::new();
        env_at(&sb, &canned, client_auth);
        store_client(&sb, &canned, client_auth, &secret);
        canned.quoting(
            "/authorize",
            302,
            &format!(
                "Location: {{query:redirect_uri}}?code={}&state={{query:state}}\r\n",
                form(CODE)
            ),
            "",
        );
        let browser = crate::support::browser::follower(&sb);
        let login = || {
            sb.gtx()
                .args(["-vv", "login", "--env", "echo"])
                .args(["--client-id", CLIENT])
                .env("BROWSER", &browser)
                .output()
                .expect("run")
        };
        let fields = ["code", "code_verifier"];
        sweep(&canned, "/token", &fields, &[SECRET, CODE], login);
    }
}

/// Answers no grant can use, each with a status that says success: nesting past any
/// parser's depth, numbers past f64, lifetimes negative or absurd, a duplicate key whose
/// last value is no token, a lone surrogate, a body past the cap, header and terminal
/// injection in `token_type` and `scope`.
fn unusable_answers() -> Vec<String> {
    let t = r#""access_token":"at-0123456789abcdef","token_type":"Bearer""#;
    vec![
        "[".repeat(100_000),
        format!(r#"{{{t},"expires_in":1e400}}"#),
        format!(r#"{{{t},"expires_in":-5}}"#),
        format!(r#"{{{t},"expires_in":1e20}}"#),
        format!(r#"{{{t},"access_token":{{"nested":true}}}}"#),
        r#"{"access_token":"\udc00at-0123456789abcdef"}"#.to_string(),
        format!("{}{{{t}}}", " ".repeat(1 << 21)),
        r#"{"access_token":"at-0123456789abcdef","token_type":"Bearer\u001b]8;;https://evil.example\u0007"}"#.to_string(),
        format!(r#"{{{t},"scope":"read \u009b31m \u202egnp.exe \u001b[2J"}}"#),
    ]
}

/// A refusal whose every string steers a terminal: CSI, an OSC 8 hyperlink, BEL, CR, NUL,
/// a C1 CSI and a right-to-left override.
const STEERING_REFUSAL: &str = r#"{"error":"invalid_grant\u001b[2J","error_description":"\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007 \u009b31m \u202egnp.exe \r\u0000 \u0007","error_uri":"https://e.example/\u001b[31m"}"#;

/// Nothing that steers a terminal reached stderr raw, and the text stayed short.
fn tame(text: &str) {
    for c in ['\u{1b}', '\u{7}', '\r', '\0', '\u{9b}', '\u{202e}'] {
        assert!(!text.contains(c), "{c:?} reached the terminal: {text:?}");
    }
    assert!(text.len() < 6_000, "{} bytes on stderr", text.len());
    assert!(!text.contains("panicked"), "{text}");
}

/// Runs `attempt` with `path` answering each unusable answer (exit 6), a body that never
/// ends (exit 6) and a refusal full of terminal escapes (exit 5). `prepare` runs before
/// each (while `path` still answers as before), and `after` checks what is left with
/// what it returned.
fn every_bad_answer<T>(
    canned: &Canned,
    path: &str,
    mut prepare: impl FnMut() -> T,
    mut attempt: impl FnMut() -> std::process::Output,
    mut after: impl FnMut(&str, T),
) {
    let mut cases: Vec<(u16, Option<String>, i32)> = unusable_answers()
        .into_iter()
        .map(|b| (200, Some(b), 6))
        .collect();
    cases.push((200, None, 6));
    cases.push((400, Some(STEERING_REFUSAL.to_string()), 5));
    for (status, body, code) in cases {
        let before = prepare();
        match &body {
            Some(body) => canned.json(path, status, body),
            None => canned.endless(path),
        }
        let out = attempt();
        let err = stderr_of(&out);
        let shown: String = body
            .as_deref()
            .unwrap_or("endless")
            .chars()
            .take(80)
            .collect();
        assert_eq!(out.status.code(), Some(code), "{path} {shown}: {err}");
        tame(&err);
        after(&shown, before);
    }
}

/// Client credentials and password grants, the device endpoint and the device poll, on
/// unusable answers.
#[test]
fn unusable_answers_to_a_sign_in_fail_cleanly() {
    let canned = Canned::start();
    let sb = Sandbox::new();
    env_at(&sb, &canned, "body");
    let none = |_: &str, _: ()| {};
    every_bad_answer(&canned, "/token", || (), || generate(&sb, SECRET), none);
    store_client(&sb, &canned, "body", SECRET);
    // What a failed sign-in leaves: the profile as it was (client and session).
    let stored = || sb.read_credentials();
    let unchanged = |shown: &str, before: Vec<u8>| {
        assert!(stored() == before, "{shown}: the stored profile changed");
    };
    let password = || {
        sb.gtx()
            .args(["-vv", "login", "--env", "echo", "--password"])
            .args(["--username", "u", "--password-stdin"])
            .write_stdin(PASSWORD)
            .output()
            .expect("run")
    };
    every_bad_answer(&canned, "/token", stored, password, unchanged);
    let device = || {
        sb.gtx()
            .args(["-vv", "login", "--env", "echo", "--device", "--no-browser"])
            .output()
            .expect("run")
    };
    every_bad_answer(&canned, "/device", stored, device, unchanged);
    let authorization = serde_json::json!({"device_code": DEVICE_CODE,
        "user_code": "WDJB-MJHT", "verification_uri": "https://example.com/device",
        "interval": 1, "expires_in": 60});
    canned.json("/device", 200, &authorization.to_string());
    every_bad_answer(&canned, "/token", stored, device, unchanged);
}

/// A refresh whose answer is unusable leaves the stored refresh token and client secret
/// as they were: the next `token get` can still renew.
#[test]
fn an_unusable_refresh_answer_loses_no_credential() {
    let canned = Canned::start();
    let sb = Sandbox::new();
    env_at(&sb, &canned, "basic");
    store_client(&sb, &canned, "basic", SECRET);
    let profile = |sb: &Sandbox| -> serde_json::Value {
        let v: serde_json::Value = serde_json::from_slice(&sb.read_credentials()).expect("json");
        v["profiles"]["echo/default"].clone()
    };
    let sign_in = || {
        canned.json("/token", 200, &tokens());
        sb.gtx()
            .args(["login", "--env", "echo", "--password"])
            .args(["--username", "u", "--password-stdin"])
            .write_stdin(PASSWORD)
            .assert()
            .success();
        profile(&sb)
    };
    let refresh = || {
        sb.gtx()
            .args(["-vv", "token", "get", "--env", "echo"])
            .output()
            .expect("run")
    };
    every_bad_answer(&canned, "/token", sign_in, refresh, |shown, before| {
        let now = profile(&sb);
        assert_eq!(now["session"]["refresh_token"], REFRESH, "{shown}: {now}");
        assert_eq!(
            now["client"], before["client"],
            "{shown}: the client changed"
        );
        if !shown.contains("invalid_grant") {
            assert_eq!(now, before, "{shown}: the profile changed");
        }
    });
}

/// The device endpoint's strings are shown to the person: a user code and verification
/// URIs that steer the terminal are shown escaped, and a verification URI that is no
/// https page is never handed to the browser.
#[test]
fn a_hostile_device_authorization_is_shown_escaped_and_not_opened() {
    let canned = Canned::start();
    let sb = Sandbox::new();
    env_at(&sb, &canned, "body");
    store_client(&sb, &canned, "body", SECRET);
    let authorization = serde_json::json!({"device_code": DEVICE_CODE,
        "user_code": "WDJB\u{1b}[2J\u{202e}MJHT\r\u{9b}1m\u{7}",
        "verification_uri": "https://example.com/\u{1b}]8;;https://evil.example\u{7}device",
        "verification_uri_complete": "javascript:alert(1)//\u{1b}[31m",
        "interval": 1, "expires_in": 60});
    canned.json("/device", 200, &authorization.to_string());
    canned.json("/token", 400, r#"{"error":"access_denied"}"#);
    let browser = crate::support::browser::follower(&sb);
    let out = sb
        .gtx()
        .args(["-vv", "login", "--env", "echo", "--device"])
        .env("BROWSER", &browser)
        .output()
        .expect("run");
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(5), "{err}");
    tame(&err);
    assert!(err.contains("WDJB"), "the code is still shown: {err}");
    let opened = std::fs::read_to_string(crate::support::browser::browser_log(&sb));
    assert!(opened.is_err(), "the browser was handed {opened:?}");
}

/// A `token_type` of header-token characters only, but no type gtx knows, and very long:
/// the error names it cut, as it does every server string.
#[test]
fn a_very_long_unknown_token_type_is_cut_in_the_error() {
    let canned = Canned::start();
    let sb = Sandbox::new();
    env_at(&sb, &canned, "body");
    let long = format!("Mac{}", "A".repeat(300_000));
    let body = serde_json::json!({"access_token": "at-0123456789abcdef", "token_type": long});
    canned.json("/token", 200, &body.to_string());
    let out = generate(&sb, SECRET);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(6), "{}", &err[..err.len().min(300)]);
    assert!(err.len() < 4_000, "{} bytes: {}…", err.len(), &err[..300]);
}

/// The other dialects: the e-commerce JSON body (client credentials and password) and
/// the header dialect's `client-secret` header.
#[test]
fn the_json_and_header_dialects_get_no_secret_quoted_back() {
    for dialect in ["oauth2-json", "header-token"] {
        let canned = Canned::start();
        let sb = Sandbox::new();
        sb.gtx()
            .args(["env", "add", "echo", "--api-base", &canned.base_url])
            .args(["--dialect", dialect, "--token-url", "/token"])
            .assert()
            .success();
        sweep(&canned, "/token", &[], &[SECRET], || generate(&sb, SECRET));
        if dialect == "oauth2-json" {
            let password = || {
                sb.gtx()
                    .args(["-vv", "login", "--env", "echo", "--password"])
                    .args(["--username", "u", "--password-stdin"])
                    .write_stdin(PASSWORD)
                    .output()
                    .expect("run")
            };
            sweep(&canned, "/token", &["password"], &[PASSWORD], password);
        }
    }
}

/// A DPoP environment (the proof is a JWT in a header), and the introspection and
/// revocation endpoints, which authenticate the client as the token endpoint does.
#[test]
fn dpop_introspection_and_revocation_get_no_secret_quoted_back() {
    for (client_auth, secret) in clients() {
        let canned = Canned::start();
        let sb = Sandbox::new();
        env_at(&sb, &canned, client_auth);
        sb.gtx()
            .args(["env", "set", "echo", "introspect_url", "/introspect"])
            .assert()
            .success();
        sb.gtx()
            .args(["env", "set", "echo", "revoke_url", "/revoke"])
            .assert()
            .success();
        store_client(&sb, &canned, client_auth, &secret);
        let token = "at-0123456789abcdef";
        let validate = || {
            sb.gtx()
                .args(["-vv", "token", "validate", "--env", "echo"])
                .output()
                .expect("run")
        };
        sweep(
            &canned,
            "/introspect",
            &["token"],
            &[SECRET, token],
            validate,
        );
        let logout = || {
            let out = sb
                .gtx()
                .args(["-vv", "logout", "--env", "echo"])
                .output()
                .expect("run");
            assert!(stderr_of(&out).contains("/revoke"), "{}", stderr_of(&out));
            // Logging out succeeds whatever the revocation endpoint says; sign in again.
            store_client(&sb, &canned, client_auth, &secret);
            out
        };
        sweep_exiting(&canned, "/revoke", &["token"], &[SECRET], &[0], logout);
        sb.gtx()
            .args(["env", "set", "echo", "dpop", "true"])
            .assert()
            .success();
        sweep(&canned, "/token", &[], &[SECRET], || generate(&sb, &secret));
    }
}

/// Errors name the answer's content type: a server's header like any other of its
/// strings, which may quote the request and may be 60 KB long.
#[test]
fn the_content_type_of_an_answer_is_redacted_and_cut() {
    let canned = Canned::start();
    let sb = Sandbox::new();
    env_at(&sb, &canned, "body");
    let long = "x".repeat(60_000);
    for header in [
        "Content-Type: text/{body}\r\n".to_string(),
        "Content-Type: text/{field:client_secret}\r\n".to_string(),
        format!("Content-Type: text/{long}\r\n"),
    ] {
        canned.quoting("/token", 400, &header, "<html>no</html>");
        let out = generate(&sb, SECRET);
        let err = stderr_of(&out);
        assert_eq!(
            out.status.code(),
            Some(6),
            "{header}: {}",
            &err[..err.len().min(400)]
        );
        hidden_everywhere(&err, SECRET);
        assert!(err.len() < 4_000, "{} bytes: {}…", err.len(), &err[..400]);
    }
}

/// A successful refresh whose answer brings no usable new refresh token (none, null,
/// empty, not a string) keeps the one it was made with (RFC 6749 section 6: the server
/// may issue a new one), so the session stays renewable.
#[test]
fn a_refresh_answer_without_a_new_refresh_token_keeps_the_old_one() {
    let canned = Canned::start();
    let sb = Sandbox::new();
    env_at(&sb, &canned, "body");
    store_client(&sb, &canned, "body", SECRET);
    for extra in [
        "",
        r#","refresh_token":null"#,
        r#","refresh_token":"""#,
        r#","refresh_token":42"#,
    ] {
        canned.json("/token", 200, &tokens());
        sb.gtx()
            .args(["login", "--env", "echo", "--password"])
            .args(["--username", "u", "--password-stdin"])
            .write_stdin(PASSWORD)
            .assert()
            .success();
        let body = format!(
            r#"{{"access_token":"at-renewed-0123456789","token_type":"Bearer","expires_in":1{extra}}}"#
        );
        canned.json("/token", 200, &body);
        let out = sb
            .gtx()
            .args(["token", "get", "--env", "echo"])
            .output()
            .expect("run");
        assert!(out.status.success(), "{body}: {}", stderr_of(&out));
        let v: serde_json::Value = serde_json::from_slice(&sb.read_credentials()).expect("json");
        let session = &v["profiles"]["echo/default"]["session"];
        assert_eq!(session["refresh_token"], REFRESH, "{body}: {session}");
    }
}

/// A device poll refused with `invalid_grant` means the device code is no longer good:
/// the way out is a new device login, not "the refresh token is no longer valid" (there is
/// none in a device login).
#[test]
fn a_device_poll_refused_as_invalid_grant_says_to_start_again() {
    let canned = Canned::start();
    let sb = Sandbox::new();
    env_at(&sb, &canned, "body");
    store_client(&sb, &canned, "body", SECRET);
    let authorization = serde_json::json!({"device_code": DEVICE_CODE, "user_code": "WDJB-MJHT",
        "verification_uri": "https://example.com/device", "interval": 1, "expires_in": 60});
    canned.json("/device", 200, &authorization.to_string());
    canned.json("/token", 400, r#"{"error":"invalid_grant"}"#);
    let out = sb
        .gtx()
        .args(["login", "--env", "echo", "--device", "--no-browser"])
        .output()
        .expect("run");
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(err.contains("gtx login --device"), "{err}");
    assert!(!err.contains("refresh token"), "{err}");
}
