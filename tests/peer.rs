//! Against authorization servers nobody here wrote: npm `oauth2-mock-server` and
//! `oidc-provider` (installed by `npm ci`; `.ci/run` does that). Skipped with a reason when
//! node or the package is missing, except in CI.

use crate::support::{Sandbox, json_ok, stderr_of, stdout_of};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

struct Peer {
    child: Child,
    issuer: String,
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Option<Peer> {
    start_peer("oauth2-mock-server")
}

/// Runs tests/peers/PACKAGE.mjs, which prints `{"issuer": …}` once it listens.
fn start_peer(package: &str) -> Option<Peer> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let installed = root
        .join(format!("node_modules/{package}/package.json"))
        .exists();
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed || !node {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("CI=true but {package} is not installed (run `npm ci`)");
        }
        eprintln!("skipping third-party server test: run `npm ci` (needs node >= 20.19)");
        return None;
    }
    let mut node = Command::new("node");
    crate::support::without_callers_settings(&mut node);
    let mut child = node
        .arg(root.join(format!("tests/peers/{package}.mjs")))
        .current_dir(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("start {package}: {e}"));
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("banner");
    let v: serde_json::Value = serde_json::from_str(&line).expect("JSON banner");
    Some(Peer {
        issuer: v["issuer"].as_str().expect("issuer").to_string(),
        child,
    })
}

#[test]
fn third_party_server_discovery_mint_validate_revoke() {
    let Some(peer) = start() else { return };
    let sb = Sandbox::new();
    let out = sb
        .gtx()
        .args(["env", "add", "mock", "--issuer", &peer.issuer])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let out = sb
        .gtx()
        .args(["env", "show", "mock", "--json"])
        .output()
        .expect("run");
    let env: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(env["token_url"], format!("{}/token", peer.issuer));
    assert_eq!(env["introspect_url"], format!("{}/introspect", peer.issuer));

    let out = sb
        .gtx()
        .args([
            "login",
            "--client-credentials",
            "--client-id",
            "third-party-app",
            "--client-secret-stdin",
            "--env",
            "mock",
            "--scope",
            "orders.read",
        ])
        .write_stdin("third-party-secret-0123")
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let token = stdout_of(
        &sb.gtx()
            .args(["token", "get", "--env", "mock"])
            .output()
            .expect("run"),
    );
    assert_eq!(token.trim().matches('.').count(), 2, "a JWT: {token}");
    let out = sb
        .gtx()
        .args(["token", "show", "--env", "mock", "--json"])
        .output()
        .expect("run");
    let show: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(show["jwt"]["header"]["alg"], "RS256");
    assert_eq!(show["jwt"]["claims"]["iss"], peer.issuer.as_str());
    assert!(!stdout_of(&out).contains(token.trim()));
    let v = json_ok(
        sb.gtx()
            .args(["token", "validate", "--env", "mock", "--json"]),
    );
    assert_eq!(v["checked_by"], "introspect_url");

    let out = sb
        .gtx()
        .args([
            "login",
            "--password",
            "--username",
            "alice",
            "--password-stdin",
            "--env",
            "mock",
            "--credential",
            "alice",
        ])
        .write_stdin("alice-password-0123")
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let v = json_ok(sb.gtx().args([
        "token",
        "generate",
        "--env",
        "mock",
        "--credential",
        "alice",
        "--json",
    ]));
    assert_eq!(
        v["source"], "refreshed",
        "a password session renews through its refresh token"
    );

    let out = sb
        .gtx()
        .args(["-v", "logout", "--all"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("revoked"), "{}", stderr_of(&out));
}

#[test]
fn third_party_server_pkce_login_and_refresh() {
    let Some(peer) = start() else { return };
    let sb = Sandbox::new();
    let out = sb
        .gtx()
        .args(["env", "add", "mock", "--issuer", &peer.issuer])
        .args(["--client-id", "third-party-public-app"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let mut cmd = sb.std_gtx();
    cmd.args(["login", "--env", "mock", "--scope", "orders.read"])
        .env("BROWSER", crate::support::browser::follower(&sb));
    let out = cmd.output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = crate::support::browser::wait_for_file(&crate::support::browser::browser_page(&sb));
    assert!(page.contains("Signed in"), "{page}");
    let status = json_ok(sb.gtx().args(["status", "--json"]));
    assert!(
        status.to_string().contains("authorization_code"),
        "{status}"
    );
    let v = json_ok(
        sb.gtx()
            .args(["token", "generate", "--env", "mock", "--json"]),
    );
    assert_eq!(
        v["source"], "refreshed",
        "the browser session renews by refresh"
    );
    let token = stdout_of(
        &sb.gtx()
            .args(["token", "get", "--env", "mock"])
            .output()
            .expect("run"),
    );
    assert_eq!(token.trim().matches('.').count(), 2, "a JWT: {token}");
}

/// oidc-provider verifies client assertions as a certified server does: signature against
/// the registered JWKS (kid = jose's RFC 7638 thumbprint), aud, exp, iss, single-use jti.
#[test]
fn certified_server_takes_private_key_jwt_and_client_secret_jwt() {
    let Some(peer) = start_peer("oidc-provider") else {
        return;
    };
    let keys = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keys");
    for (client, key) in [
        ("key-ec", Some("ec-sec1.pem")),
        ("key-rsa", Some("rsa.pem")),
        ("key-ed25519", Some("ed25519.pem")),
        ("secret-jwt", None),
    ] {
        let sb = Sandbox::new();
        let method = match key {
            Some(_) => "private_key_jwt",
            None => "client_secret_jwt",
        };
        let out = sb
            .gtx()
            .args(["env", "add", "peer", "--issuer", &peer.issuer])
            .args(["--client-auth", method])
            .output()
            .expect("run");
        assert!(out.status.success(), "{}", stderr_of(&out));
        let mut login = sb.gtx();
        login.args([
            "login",
            "--env",
            "peer",
            "--client-credentials",
            "--client-id",
            client,
        ]);
        let out = match key {
            Some(file) => login
                .arg("--client-key-stdin")
                .write_stdin(std::fs::read_to_string(keys.join(file)).expect("key")),
            None => login
                .arg("--client-secret-stdin")
                .write_stdin("peer-client-secret-for-hs256-0123456789abcdef"),
        }
        .output()
        .expect("run");
        assert!(out.status.success(), "{client}: {}", stderr_of(&out));
        // A second assertion (a new jti: the server refuses a replay), then introspection
        // and revocation, which authenticate the same way.
        let out = sb
            .gtx()
            .args(["token", "generate", "--env", "peer"])
            .output()
            .expect("run");
        assert!(out.status.success(), "{client}: {}", stderr_of(&out));
        let v = json_ok(
            sb.gtx()
                .args(["token", "validate", "--env", "peer", "--json"]),
        );
        assert_eq!(v["checked_by"], "introspect_url", "{client}");
        assert_eq!(v["valid"], true, "{client}: {v}");
        let out = sb
            .gtx()
            .args(["logout", "--env", "peer"])
            .output()
            .expect("run");
        assert!(
            stderr_of(&out).contains("revoked"),
            "{client}: {}",
            stderr_of(&out)
        );
    }
}

/// oidc-provider with DPoP and nonces required: gtx answers the nonce challenge once, gets a
/// DPoP-bound token, and a resource checking proofs with npm `jose` takes gtx's requests
/// (htu without the query, ath, the token's key) and `token get --header --for`'s lines.
#[test]
fn certified_server_binds_tokens_to_gtxs_dpop_key() {
    let Some(peer) = start_peer("oidc-provider") else {
        return;
    };
    let keys = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keys");
    let sb = Sandbox::new();
    let out = sb
        .gtx()
        .args(["env", "add", "peer", "--issuer", &peer.issuer])
        .args(["--client-auth", "private_key_jwt", "--dpop", "auto"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let out = sb
        .gtx()
        .args(["-v", "login", "--env", "peer", "--client-credentials"])
        .args(["--client-id", "key-ec", "--client-key-stdin"])
        .write_stdin(std::fs::read_to_string(keys.join("ec.pem")).expect("key"))
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("DPoP nonce"),
        "{}",
        stderr_of(&out)
    );
    let show = json_ok(sb.gtx().args(["token", "show", "--env", "peer", "--json"]));
    assert_eq!(show["token_type"], "DPoP");
    let out = sb
        .gtx()
        .args(["request", "--env", "peer", "/resource?page=2"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(stdout_of(&out).contains("key-ec"), "{}", stdout_of(&out));
    let url = format!("{}/resource", peer.issuer);
    let out = sb
        .gtx()
        .args([
            "token", "get", "--env", "peer", "--header", "--for", "GET", &url,
        ])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let file = sb.path().join("headers");
    std::fs::write(&file, stdout_of(&out)).expect("write");
    if let Ok(curl) = Command::new("curl")
        .args(["-s", "--noproxy", "*", "-H"])
        .arg(format!("@{}", file.display()))
        .arg(&url)
        .output()
    {
        assert!(
            stdout_of(&curl).contains("\"ok\":true"),
            "{}",
            stdout_of(&curl)
        );
    }
}
