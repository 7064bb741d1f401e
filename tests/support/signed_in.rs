//! A profile signed in with client credentials against its own emulator, for the commands
//! that use a token (`request`, `exec`). Every run goes through `-vv` and is checked to
//! leave no token on stderr.

use super::{Emulator, Sandbox, stderr_of};
use assert_cmd::Command;
use std::process::Output;

pub const CLIENT: &str = "api-client";
pub const SECRET: &str = "api-client-secret-0123456789";

pub struct SignedIn {
    pub sb: Sandbox,
    pub emu: Emulator,
    /// The cached access token right after sign-in.
    pub token: String,
}

impl SignedIn {
    /// Environment `emu` (the default) on a fresh emulator, signed in with a client.
    pub fn new() -> SignedIn {
        SignedIn::with_emulator(&[])
    }

    pub fn with_emulator(extra: &[&str]) -> SignedIn {
        let client = format!("{CLIENT}:{SECRET}");
        let mut args = vec!["--client", client.as_str()];
        args.extend_from_slice(extra);
        let emu = Emulator::start(&args);
        let sb = Sandbox::new();
        sb.add_emulator_envs(&emu);
        sb.gtx().args(["env", "use", "emu"]).assert().success();
        sb.gtx()
            .args(["login", "--client-credentials", "--client-id", CLIENT])
            .arg("--client-secret-stdin")
            .write_stdin(SECRET)
            .assert()
            .success();
        let out = sb.gtx().args(["token", "get"]).output().expect("token get");
        assert!(out.status.success(), "{}", stderr_of(&out));
        let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
        assert!(token.len() > 20, "a real token: {token}");
        SignedIn { sb, emu, token }
    }

    /// `gtx -vv ARGS…` in the sandbox.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = self.sb.gtx();
        c.arg("-vv").args(args);
        c
    }

    /// Runs `cmd` and checks that no token reached stderr: neither the one cached at
    /// sign-in nor any other the emulator issued since.
    pub fn run(&self, mut cmd: Command) -> Output {
        let out = cmd.output().expect("run gtx");
        self.assert_no_token(&stderr_of(&out));
        out
    }

    pub fn assert_no_token(&self, stderr: &str) {
        assert!(!stderr.contains(&self.token), "token on stderr:\n{stderr}");
        let current = std::fs::read_to_string(self.sb.credentials_path()).unwrap_or_default();
        for word in current.split('"').filter(|w| w.len() > 40) {
            assert!(!stderr.contains(word), "a secret on stderr:\n{stderr}");
        }
        assert!(
            !stderr.contains(SECRET),
            "client secret on stderr:\n{stderr}"
        );
    }

    /// `gtx -vv request ARGS…`, checked for tokens on stderr.
    pub fn request(&self, args: &[&str]) -> Output {
        let mut cmd = self.cmd(&["request"]);
        cmd.args(args);
        self.run(cmd)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.emu.base_url)
    }
}

/// What the emulator recorded (`/_emulator/requests`), oldest first, for one path.
pub fn recorded(emu: &Emulator, path: &str) -> Vec<serde_json::Value> {
    let v = super::http("GET", &format!("{}/_emulator/requests", emu.base_url), None);
    v["requests"]
        .as_array()
        .expect("requests")
        .iter()
        .filter(|r| r["path"] == path)
        .cloned()
        .collect()
}

/// Every API request (under `/api/v1/`) the emulator recorded; sign-in calls aside.
pub fn api_calls(emu: &Emulator) -> Vec<serde_json::Value> {
    let v = super::http("GET", &format!("{}/_emulator/requests", emu.base_url), None);
    v["requests"]
        .as_array()
        .expect("requests")
        .iter()
        .filter(|r| {
            r["path"]
                .as_str()
                .is_some_and(|p| p.starts_with("/api/v1/"))
        })
        .cloned()
        .collect()
}

/// The body a plain client gets for `url` with `token`: what gtx must pass through.
pub fn fetch_raw(url: &str, token: &str) -> Vec<u8> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let resp = super::direct_client()
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .expect("direct request");
        assert!(resp.status().is_success(), "{}", resp.status());
        resp.bytes().await.expect("body").to_vec()
    })
}
