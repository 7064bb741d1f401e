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

/// An environment `echo` whose token endpoint is `canned`'s `/token`, with `client_auth`.
fn env_at(sb: &Sandbox, canned: &Canned, client_auth: &str) {
    sb.gtx()
        .args(["env", "add", "echo", "--api-base", &canned.base_url])
        .args(["--token-url", "/token"])
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
        canned.echo("/token", 401, "", body);
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
        canned.echo(
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
    canned.echo(
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
