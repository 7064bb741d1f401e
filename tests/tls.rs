//! TLS trust (README, "Trusting an internal CA"; docs/deployments.md): the emulator serves
//! https with certificates made here, and gtx trusts the platform's roots plus the
//! environment's `ca_file`, explains each refusal in a sentence (exit 6), and never retries
//! one.

use crate::support::emulated::{CLIENT, SECRET, emulator};
use crate::support::{Emulator, Sandbox, stderr_of, stdout_of};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use std::path::{Path, PathBuf};

/// A certificate and its key, written as PEM files under `dir`.
struct Made {
    cert: PathBuf,
    key: PathBuf,
}

fn write(dir: &Path, name: &str, cert: &rcgen::Certificate, key: &KeyPair) -> Made {
    let made = Made {
        cert: dir.join(format!("{name}.pem")),
        key: dir.join(format!("{name}-key.pem")),
    };
    std::fs::write(&made.cert, cert.pem()).expect("write cert");
    std::fs::write(&made.key, key.serialize_pem()).expect("write key");
    made
}

fn params(names: &[&str]) -> CertificateParams {
    let mut p = CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        .expect("params");
    p.distinguished_name.push(DnType::CommonName, names[0]);
    p
}

/// What `openssl req -x509 -newkey … -subj /CN=127.0.0.1` makes with OpenSSL's defaults:
/// self-signed, and CA:TRUE.
fn openssl_style(dir: &Path) -> Made {
    let key = KeyPair::generate().expect("key");
    let mut p = params(&["127.0.0.1"]);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let cert = p.self_signed(&key).expect("self-signed");
    write(dir, "self", &cert, &key)
}

/// An internal CA and a leaf it signs for `names`, valid from 2020 until January of `until`.
fn ca_and_leaf(dir: &Path, names: &[&str], until: i32) -> (Made, Made) {
    let ca_key = KeyPair::generate().expect("key");
    let mut ca = params(&["Example Internal CA"]);
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_cert = ca.self_signed(&ca_key).expect("ca");
    let ca_made = write(dir, "ca", &ca_cert, &ca_key);
    let issuer = Issuer::new(ca, ca_key);
    let key = KeyPair::generate().expect("key");
    let mut leaf = params(names);
    leaf.not_before = rcgen::date_time_ymd(2020, 1, 1);
    leaf.not_after = rcgen::date_time_ymd(until, 1, 1);
    let cert = leaf.signed_by(&key, &issuer).expect("leaf");
    (ca_made, write(dir, "leaf", &cert, &key))
}

fn serve(made: &Made) -> Emulator {
    let cert = made.cert.to_string_lossy().into_owned();
    let key = made.key.to_string_lossy().into_owned();
    emulator(&["--tls-cert", &cert, "--tls-key", &key])
}

fn add_env(sb: &Sandbox, emu: &Emulator, extra: &[&str]) {
    assert!(emu.base_url.starts_with("https://"), "{}", emu.base_url);
    let out = sb
        .gtx()
        .args(["env", "add", "corp", "--api-base", &emu.base_url])
        .args(["--token-url", "/oauth2/token"])
        .args(extra)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
}

/// `token generate` with the client in the environment (CI style), verbose.
fn generate(sb: &Sandbox, vars: &[(&str, &Path)]) -> std::process::Output {
    let mut cmd = sb.gtx();
    cmd.env_remove("SSL_CERT_FILE").env_remove("SSL_CERT_DIR");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd.args(["-v", "token", "generate", "--env", "corp"])
        .env("GTX_CLIENT_ID", CLIENT)
        .env("GTX_CLIENT_SECRET", SECRET)
        .output()
        .expect("run")
}

fn refused(out: &std::process::Output, sentence: &str) -> String {
    let err = stderr_of(out);
    assert_eq!(out.status.code(), Some(6), "{err}");
    assert!(err.contains(sentence), "{err}");
    assert!(
        !err.contains("retrying"),
        "a certificate refusal was retried: {err}"
    );
    assert!(!err.contains("attempt"), "{err}");
    assert!(
        !err.contains("check where"),
        "a hint that does not help: {err}"
    );
    assert!(!err.contains("OtherError"), "Rust debug text: {err}");
    err
}

#[test]
fn a_self_signed_certificate_is_refused_in_a_sentence_and_not_retried() {
    let sb = Sandbox::new();
    let made = openssl_style(sb.path());
    let emu = serve(&made);
    add_env(&sb, &emu, &[]);
    let err = refused(
        &generate(&sb, &[]),
        "the certificate of 127.0.0.1 is self-signed, and not trusted",
    );
    assert!(
        err.contains("ca_file") && err.contains("SSL_CERT_FILE"),
        "hint names both ways to trust it: {err}"
    );
}

#[test]
fn a_certificate_listed_in_ca_file_is_trusted_whatever_its_ca_flag() {
    // As `curl --cacert self.pem`: the openssl-req kind (CA:TRUE) served as the server's own.
    let sb = Sandbox::new();
    let made = openssl_style(sb.path());
    let emu = serve(&made);
    // A relative ca_file in the config file is the config file's neighbour.
    std::fs::copy(&made.cert, sb.path().join("corp-ca.pem")).expect("copy");
    add_env(&sb, &emu, &[]);
    let config = sb.read_config() + "ca_file = \"corp-ca.pem\"\n";
    sb.write_config(&config);
    let out = generate(&sb, &[]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!stdout_of(&out).trim().is_empty());
}

#[test]
fn a_ca_in_ca_file_is_trusted_for_the_leaves_it_signs() {
    let sb = Sandbox::new();
    let (ca, leaf) = ca_and_leaf(sb.path(), &["127.0.0.1"], 2100);
    let emu = serve(&leaf);
    add_env(&sb, &emu, &[]);
    refused(
        &generate(&sb, &[]),
        "the certificate of 127.0.0.1 is not trusted: it is signed by an authority that is neither the system's nor in ca_file",
    );
    // SSL_CERT_FILE replaces the system's roots (rustls-native-certs), as for curl.
    let out = generate(&sb, &[("SSL_CERT_FILE", &ca.cert)]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    // Given to env set as a relative path: against the current directory, written absolute.
    let out = sb
        .gtx()
        .current_dir(sb.path())
        .args(["env", "set", "corp", "ca_file", "ca.pem"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let written = sb.read_config();
    assert!(
        written.contains(&format!("ca_file = \"{}\"", ca.cert.display())),
        "{written}"
    );
    let out = generate(&sb, &[]);
    assert!(out.status.success(), "{}", stderr_of(&out));
}

#[test]
fn an_expired_certificate_says_when_it_expired() {
    let sb = Sandbox::new();
    let (ca, leaf) = ca_and_leaf(sb.path(), &["127.0.0.1"], 2021);
    let emu = serve(&leaf);
    add_env(&sb, &emu, &["--ca-file", &ca.cert.to_string_lossy()]);
    refused(
        &generate(&sb, &[]),
        "the certificate of 127.0.0.1 expired on 2021-01-01T00:00:00Z",
    );
}

#[test]
fn a_certificate_for_another_name_says_which() {
    let sb = Sandbox::new();
    let (ca, leaf) = ca_and_leaf(sb.path(), &["api.example.com"], 2100);
    let emu = serve(&leaf);
    add_env(&sb, &emu, &["--ca-file", &ca.cert.to_string_lossy()]);
    refused(
        &generate(&sb, &[]),
        "the certificate of 127.0.0.1 is issued for api.example.com, not 127.0.0.1",
    );
}

#[test]
fn a_ca_file_that_holds_no_certificate_is_a_configuration_error() {
    let sb = Sandbox::new();
    let bad = sb.path().join("bad.pem");
    std::fs::write(
        &bad,
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    )
    .expect("write");
    sb.write_config(&format!(
        "[environments.corp]\napi_base = \"https://127.0.0.1:9\"\ntoken_url = \"/oauth2/token\"\nca_file = \"{}\"\n",
        bad.display()
    ));
    let out = generate(&sb, &[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("holds no certificate"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn every_call_for_the_environment_trusts_its_ca_file() {
    // Discovery (with the ca_file given on the same command), the token endpoint,
    // introspection and `request`.
    let sb = Sandbox::new();
    let (_ca, leaf) = ca_and_leaf(sb.path(), &["127.0.0.1"], 2100);
    let emu = serve(&leaf);
    let out = sb
        .gtx()
        .current_dir(sb.path())
        .args([
            "env",
            "add",
            "corp",
            "--issuer",
            &emu.base_url,
            "--ca-file",
            "ca.pem",
        ])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let out = sb
        .gtx()
        .args(["login", "--client-credentials", "--client-secret-stdin"])
        .args(["--env", "corp", "--client-id", CLIENT])
        .write_stdin(format!("{SECRET}\n"))
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let out = sb
        .gtx()
        .args(["token", "validate", "--env", "corp"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let out = sb
        .gtx()
        .args(["request", "--env", "corp", "/api/v1/orders"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
}
