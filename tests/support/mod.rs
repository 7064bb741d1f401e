//! Test harness: every test gets its own HOME/XDG dirs and config, the file store by
//! default, no colour, and none of the caller's GTX_* variables.

pub mod browser;
pub mod canned;

pub mod emulated;
#[cfg(unix)]
pub mod pty;
pub mod signed_in;
pub mod trickle;

use assert_cmd::Command;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

pub const GTX: &str = env!("CARGO_BIN_EXE_gtx");
pub const EMULATOR: &str = env!("CARGO_BIN_EXE_gtx-emulator");

/// Starts `cmd` with SIGINT, SIGQUIT, SIGHUP and SIGTERM at their defaults, as a
/// terminal's foreground job gets them. A harness started as a background job of a script
/// (`scripts/test.sh &`) ignores SIGINT and SIGQUIT, one started under `nohup` (or by a
/// runner that ignores hang-ups) ignores SIGHUP; the ignoring is inherited, and gtx rightly
/// keeps ignoring a signal its caller ignored: the signal tests would then test the caller,
/// not gtx (the SIGHUP download test waited forever). Tests of the ignored case ignore it
/// again in their own `pre_exec`, which runs after this one.
fn foreground(cmd: &mut std::process::Command) {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: signal(2) is async-signal-safe; nothing else runs between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                libc::signal(libc::SIGINT, libc::SIG_DFL);
                libc::signal(libc::SIGQUIT, libc::SIG_DFL);
                libc::signal(libc::SIGHUP, libc::SIG_DFL);
                libc::signal(libc::SIGTERM, libc::SIG_DFL);
                Ok(())
            });
        }
    }
    #[cfg(not(unix))]
    let _ = cmd;
}

/// Whether the tests' own environment variable `name` must not reach the processes they
/// start: the caller's GTX_* settings and BROWSER, and every proxy setting. All servers
/// the tests run are on 127.0.0.1, and gtx (reqwest), curl and node send even loopback
/// requests through `http_proxy`/`HTTPS_PROXY`/`ALL_PROXY` unless NO_PROXY names the
/// address, so a machine with a proxy configured (CI runners often have one) would test
/// its proxy instead of gtx.
pub fn inherited_but_not_passed_on(name: &str) -> bool {
    name.starts_with("GTX_") || name == "BROWSER" || name.to_ascii_lowercase().ends_with("_proxy")
}

/// Removes from `cmd` what `inherited_but_not_passed_on` names.
pub fn without_callers_settings(cmd: &mut std::process::Command) {
    for (k, _) in std::env::vars_os() {
        if inherited_but_not_passed_on(&k.to_string_lossy()) {
            cmd.env_remove(&k);
        }
    }
}

/// An HTTP client for the tests' own requests to servers on 127.0.0.1: never through a
/// proxy the machine has configured.
pub fn direct_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("HTTP client")
}

pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn config_path(&self) -> PathBuf {
        self.path().join("config.toml")
    }

    pub fn data_dir(&self) -> PathBuf {
        self.path().join("data").join("gtx")
    }

    pub fn credentials_path(&self) -> PathBuf {
        self.data_dir().join("credentials.json")
    }

    /// `gtx` with an isolated environment and the file store.
    pub fn gtx(&self) -> Command {
        Command::from_std(self.std_gtx())
    }

    /// `gtx` with an isolated environment and no store chosen (the keyring default).
    pub fn gtx_default_store(&self) -> Command {
        let mut cmd = self.std_gtx();
        cmd.env_remove("GTX_STORE");
        Command::from_std(cmd)
    }

    /// The same as a plain `std::process::Command`, for spawning processes in parallel.
    pub fn std_gtx(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(GTX);
        without_callers_settings(&mut cmd);
        cmd.env("HOME", self.path())
            .env("XDG_CONFIG_HOME", self.path().join("config"))
            .env("XDG_DATA_HOME", self.path().join("data"))
            .env("GTX_CONFIG", self.config_path())
            .env("GTX_STORE", "file")
            .env("NO_COLOR", "1")
            .env("TERM", "dumb");
        foreground(&mut cmd);
        cmd
    }

    /// `program` (a wrapper such as bash, strace or script) with the environment `std_gtx`
    /// gives gtx, for it to pass on to the gtx it starts.
    pub fn wrapper(&self, program: &str) -> std::process::Command {
        let mut cmd = std::process::Command::new(program);
        for (k, v) in self.std_gtx().get_envs() {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        foreground(&mut cmd);
        cmd
    }

    /// `bash -c SCRIPT` with gtx's environment and `$0` the gtx binary.
    pub fn bash_gtx(&self, script: &str) -> std::process::Command {
        let mut cmd = self.wrapper("bash");
        cmd.arg("-c").arg(script).arg(GTX);
        cmd
    }

    pub fn write_config(&self, text: &str) {
        std::fs::write(self.config_path(), text).expect("write config");
    }

    /// The file store's raw bytes (empty when absent).
    pub fn read_credentials(&self) -> Vec<u8> {
        std::fs::read(self.credentials_path()).unwrap_or_default()
    }

    pub fn read_config(&self) -> String {
        std::fs::read_to_string(self.config_path()).unwrap_or_default()
    }

    /// Adds the emulator's three environments (emu, emu-json, emu-header).
    pub fn add_emulator_envs(&self, emu: &Emulator) {
        for line in &emu.env_add {
            let args = shell_words(line);
            assert_eq!(args[0], "gtx", "{line}");
            self.gtx().args(&args[1..]).assert().success();
        }
    }
}

/// Splits the emulator's printed `gtx env add` lines (simple quoting only).
fn shell_words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => quote = Some(c),
            (None, ' ') => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

pub struct Emulator {
    pub child: Child,
    pub base_url: String,
    pub env_add: Vec<String>,
}

impl Emulator {
    pub fn start(args: &[&str]) -> Emulator {
        let mut cmd = std::process::Command::new(EMULATOR);
        without_callers_settings(&mut cmd);
        let mut child = cmd
            .args(["--port", "0", "--json", "--quiet"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start gtx-emulator");
        let stdout = child.stdout.take().expect("emulator stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("emulator banner");
        let v: serde_json::Value = serde_json::from_str(&line).expect("emulator JSON banner");
        Emulator {
            base_url: v["base_url"].as_str().expect("base_url").to_string(),
            env_add: v["env_add"]
                .as_array()
                .expect("env_add")
                .iter()
                .filter_map(|l| l.as_str().map(str::to_string))
                .collect(),
            child,
        }
    }

    pub fn stats(&self) -> serde_json::Value {
        http("GET", &format!("{}/_emulator/stats", self.base_url), None)
    }

    pub fn token_hits(&self, dialect: &str) -> u64 {
        self.stats()["token_hits"][dialect]
            .as_u64()
            .expect("token hits")
    }

    pub fn requests(&self) -> u64 {
        self.stats()["requests"].as_u64().expect("requests")
    }

    pub fn faults(&self, body: serde_json::Value) {
        http(
            "POST",
            &format!("{}/_emulator/faults", self.base_url),
            Some(body),
        );
    }

    pub fn expire_all(&self) {
        http("POST", &format!("{}/_emulator/expire", self.base_url), None);
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A tiny client for the emulator's control endpoints.
pub fn http(method: &str, url: &str, body: Option<serde_json::Value>) -> serde_json::Value {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let client = direct_client();
        let mut req = client.request(method.parse().expect("method"), url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("control request");
        resp.json::<serde_json::Value>().await.unwrap_or_default()
    })
}

pub fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[cfg(unix)]
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

/// Runs a gtx command that must succeed and print one JSON document; returns it.
pub fn json_ok(cmd: &mut Command) -> serde_json::Value {
    let out = cmd.output().expect("run gtx");
    assert!(out.status.success(), "{}", stderr_of(&out));
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON document")
}

/// `gtx ARGS` with `syscalls` failing as `fault` says (strace's inject syntax).
pub fn gtx_under_strace(
    sb: &Sandbox,
    syscalls: &str,
    fault: &str,
    args: &[&str],
) -> Option<std::process::Output> {
    let found = std::process::Command::new("strace")
        .arg("-V")
        .output()
        .is_ok();
    if !found {
        assert!(std::env::var_os("CI").is_none(), "strace is missing in CI");
        eprintln!("strace not installed: skipping");
        return None;
    }
    let mut cmd = sb.wrapper("strace");
    cmd.args(["-f", "-qq", "-o", "/dev/null"])
        .arg(format!("--trace={syscalls}"))
        .arg(format!("--inject={syscalls}:{fault}"))
        .arg(GTX)
        .args(args);
    Some(cmd.output().expect("run strace"))
}
