//! Client authentication with a JWT (RFC 7523; README, "Clients that authenticate with a
//! key"): `private_key_jwt` with RSA, EC and Ed25519 keys given once on stdin, and
//! `client_secret_jwt`, against the emulator, which verifies signature, `aud`, `exp` and a
//! single-use `jti` on the token, introspection and revocation endpoints.

use crate::support::emulated::{CLIENT, SECRET, emulator};
use crate::support::{Emulator, Sandbox, stderr_of, stdout_of};
use std::path::PathBuf;

const KEY_CLIENT: &str = "key-app";

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/keys")
        .join(name)
}

fn read(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).expect("fixture")
}

/// The emulator with `key-app` registered by the public half of `public`.
fn serve(public: &str, extra: &[&str]) -> Emulator {
    let spec = format!("{KEY_CLIENT}:{}", fixture(public).display());
    let mut args = vec!["--key-client", spec.as_str()];
    args.extend_from_slice(extra);
    emulator(&args)
}

fn add_env(sb: &Sandbox, emu: &Emulator, extra: &[&str]) {
    let out = sb
        .gtx()
        .args(["env", "add", "corp", "--api-base", &emu.base_url])
        .args([
            "--token-url",
            "/oauth2/token",
            "--introspect-url",
            "/oauth2/introspect",
        ])
        .args(["--revoke-url", "/oauth2/revoke"])
        .args(extra)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
}

fn login_key(sb: &Sandbox, pem: &str) -> std::process::Output {
    sb.gtx()
        .args(["-vv", "login", "--env", "corp", "--client-credentials"])
        .args(["--client-id", KEY_CLIENT, "--client-key-stdin"])
        .write_stdin(pem.to_string())
        .output()
        .expect("run")
}

fn generate(sb: &Sandbox) -> std::process::Output {
    sb.gtx()
        .args(["token", "generate", "--env", "corp"])
        .output()
        .expect("run")
}

fn assertions(emu: &Emulator) -> u64 {
    emu.stats()["assertions"].as_u64().expect("assertions")
}

#[test]
fn each_kind_of_key_signs_assertions_the_server_verifies() {
    for (private, public, alg) in [
        ("ec.pem", "ec.pub.pem", None),
        ("ec-sec1.pem", "ec.pub.pem", None),
        ("ed25519.pem", "ed25519.pub.pem", None),
        ("rsa.pem", "rsa.pub.pem", None),
        ("rsa-pkcs1.pem", "rsa.pub.pem", Some("PS256")),
    ] {
        let sb = Sandbox::new();
        let emu = serve(public, &[]);
        let mut extra = vec!["--client-auth", "private_key_jwt"];
        if let Some(alg) = alg {
            extra.extend(["--client-assertion-alg", alg]);
        }
        add_env(&sb, &emu, &extra);
        let pem = read(private);
        let out = login_key(&sb, &pem);
        let err = stderr_of(&out);
        assert!(out.status.success(), "{private}: {err}");
        assert!(err.contains("kid "), "{private}: says which key: {err}");
        // The key is a secret: never in a log, even at -vv.
        let body = pem.lines().nth(1).expect("PEM body line");
        assert!(!err.contains(body), "{private}: key material logged: {err}");
        // Each assertion is new (the emulator refuses a jti it has seen).
        for _ in 0..2 {
            let out = generate(&sb);
            assert!(out.status.success(), "{private}: {}", stderr_of(&out));
        }
        assert_eq!(assertions(&emu), 3, "{private}");
    }
}

#[test]
fn introspection_and_revocation_authenticate_with_the_assertion_too() {
    let sb = Sandbox::new();
    let emu = serve("ec.pub.pem", &[]);
    add_env(&sb, &emu, &["--client-auth", "private_key_jwt"]);
    let out = login_key(&sb, &read("ec.pem"));
    assert!(out.status.success(), "{}", stderr_of(&out));
    let out = sb
        .gtx()
        .args(["token", "validate", "--env", "corp"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(assertions(&emu), 2, "token + introspection");
    let out = sb
        .gtx()
        .args(["logout", "--env", "corp"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("revoked"), "{}", stderr_of(&out));
    assert_eq!(assertions(&emu), 3, "+ revocation");
}

#[test]
fn a_client_secret_jwt_is_signed_with_the_secret() {
    let sb = Sandbox::new();
    let emu = emulator(&[]);
    add_env(&sb, &emu, &["--client-auth", "client_secret_jwt"]);
    let out = sb
        .gtx()
        .args(["login", "--env", "corp", "--client-credentials"])
        .args(["--client-id", CLIENT, "--client-secret-stdin"])
        .write_stdin(format!("{SECRET}\n"))
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(assertions(&emu), 1);
}

#[test]
fn the_audience_follows_the_environment() {
    // Unset: the token endpoint here (no issuer), which the emulator takes; set to something
    // the server does not take, the server says so.
    let sb = Sandbox::new();
    let emu = serve("ec.pub.pem", &[]);
    add_env(&sb, &emu, &["--client-auth", "private_key_jwt"]);
    let out = login_key(&sb, &read("ec.pem"));
    assert!(out.status.success(), "{}", stderr_of(&out));
    let out = sb
        .gtx()
        .args([
            "env",
            "set",
            "corp",
            "client_assertion_aud",
            "https://elsewhere.example",
        ])
        .output()
        .expect("run");
    assert!(out.status.success());
    let out = generate(&sb);
    assert_eq!(out.status.code(), Some(5), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("aud"), "{}", stderr_of(&out));
    let out = sb
        .gtx()
        .args(["env", "set", "corp", "client_assertion_aud", "issuer"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let out = sb
        .gtx()
        .args(["env", "set", "corp", "issuer", &emu.base_url])
        .output()
        .expect("run");
    assert!(out.status.success());
    let out = generate(&sb);
    assert!(out.status.success(), "{}", stderr_of(&out));
}

#[test]
fn bad_keys_are_refused_with_a_reason_and_nothing_is_stored() {
    let sb = Sandbox::new();
    let emu = serve("ec.pub.pem", &[]);
    add_env(&sb, &emu, &["--client-auth", "private_key_jwt"]);
    for (pem, says) in [
        ("not a key at all".to_string(), "not a PEM private key"),
        (read("ec-encrypted.pem"), "encrypted"),
        (read("ec-p384.pem"), "P-384"),
        (read("ec.pub.pem"), "public key"),
    ] {
        let out = login_key(&sb, &pem);
        assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
        assert!(
            stderr_of(&out).contains(says),
            "{says}: {}",
            stderr_of(&out)
        );
        assert!(
            !sb.credentials_path().exists(),
            "{says}: something was stored"
        );
    }
    assert_eq!(emu.stats()["token_hits"]["oauth2"], 0, "nothing was sent");
    // A key for a different client than the server registered: refused by the server.
    let out = login_key(&sb, &read("ed25519.pem"));
    assert_eq!(out.status.code(), Some(5), "{}", stderr_of(&out));
    assert!(!sb.credentials_path().exists());
}

#[test]
fn a_stored_key_is_never_sent_as_a_secret() {
    let sb = Sandbox::new();
    let emu = serve("ec.pub.pem", &[]);
    add_env(&sb, &emu, &["--client-auth", "private_key_jwt"]);
    let out = login_key(&sb, &read("ec.pem"));
    assert!(out.status.success(), "{}", stderr_of(&out));
    let before = emu.stats()["token_hits"]["oauth2"].clone();
    let out = sb
        .gtx()
        .args(["env", "set", "corp", "client_auth", "body"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let out = generate(&sb);
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("private_key_jwt"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(
        emu.stats()["token_hits"]["oauth2"],
        before,
        "nothing was sent"
    );
    // And a key for an environment that does not use one is refused up front.
    let out = login_key(&sb, &read("ec.pem"));
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
}

#[test]
fn ci_can_hand_the_key_in_gtx_client_secret() {
    let sb = Sandbox::new();
    let emu = serve("ec.pub.pem", &[]);
    add_env(&sb, &emu, &["--client-auth", "private_key_jwt"]);
    let out = sb
        .gtx()
        .args(["token", "generate", "--env", "corp", "--store", "memory"])
        .env("GTX_CLIENT_ID", KEY_CLIENT)
        .env("GTX_CLIENT_SECRET", read("ec.pem"))
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!stdout_of(&out).trim().is_empty());
}

#[test]
fn env_add_issuer_picks_a_method_the_server_takes() {
    let sb = Sandbox::new();
    let emu = serve("ec.pub.pem", &["--auth-methods", "private_key_jwt"]);
    let out = sb
        .gtx()
        .args(["env", "add", "corp", "--issuer", &emu.base_url, "--json"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["client_auth"], "private_key_jwt");
    // The issuer is known, so it is the audience; the emulator takes it.
    let out = login_key(&sb, &read("ec.pem"));
    assert!(out.status.success(), "{}", stderr_of(&out));
}

/// `--client-key-stdin` and `--domain` store an app's credentials: with another way to sign
/// in they are a usage error (exit 2, nothing read or stored), not a key silently ignored.
/// clap takes a `requires` as met by any member of the same group, so the flags say
/// whom they conflict with too.
#[test]
fn client_key_and_domain_need_client_credentials_whatever_else_is_given() {
    let sb = Sandbox::new();
    for way in ["--device", "--password", "--with-token", "--no-browser"] {
        for flag in [
            &["--client-key-stdin"][..],
            &["--domain", "acme.example"][..],
        ] {
            let out = sb
                .gtx()
                .args(["login", way])
                .args(flag)
                .write_stdin("-----BEGIN PRIVATE KEY-----\n")
                .output()
                .expect("run");
            let err = stderr_of(&out);
            assert_eq!(out.status.code(), Some(2), "{way} {flag:?}: {err}");
            assert!(err.contains("cannot be used with"), "{way} {flag:?}: {err}");
        }
    }
}
