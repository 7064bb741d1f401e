//! Fixtures for the interactive logins: `BROWSER` scripts that play the person (curl
//! following redirects, or forms filled in by curl), a running `gtx login` whose stderr is
//! read line by line, and the headless Chromium driver (tests/browser/).

use super::Sandbox;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Writes an executable shell script into the sandbox and returns its path.
pub fn script(sb: &Sandbox, name: &str, body: &str) -> PathBuf {
    let path = sb.path().join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write script");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    path
}

/// Where a BROWSER script records the URLs it was handed.
pub fn browser_log(sb: &Sandbox) -> PathBuf {
    sb.path().join("browser.log")
}

/// The page a BROWSER script ended on.
pub fn browser_page(sb: &Sandbox) -> PathBuf {
    sb.path().join("page.html")
}

/// A browser that follows every redirect (the emulator auto-approves), saving the last
/// page: what a person who is already signed in and has consented before sees.
pub fn follower(sb: &Sandbox) -> PathBuf {
    let log = browser_log(sb);
    let page = browser_page(sb);
    script(
        sb,
        "follow.sh",
        &format!(
            "printf '%s\\n' \"$1\" >> '{}'\nexec curl -sS -L -o '{}' \"$1\"",
            log.display(),
            page.display()
        ),
    )
}

/// A browser that signs in on the emulator's form (the form posts the request's own
/// parameters back) and then presses `decision` (allow or deny) on the consent page.
pub fn consenter(sb: &Sandbox, user: &str, password: &str, decision: &str) -> PathBuf {
    let log = browser_log(sb);
    let page = browser_page(sb);
    script(
        sb,
        "consent.sh",
        &format!(
            "printf '%s\\n' \"$1\" >> '{log}'\n\
             base=\"${{1%%\\?*}}\"; query=\"${{1#*\\?}}\"\n\
             ticket=$(curl -sS --data \"$query&username={user}&password={password}\" \"$base\" \
               | sed -n 's/.*name=\"ticket\" value=\"\\([^\"]*\\)\".*/\\1/p')\n\
             exec curl -sS -L -o '{page}' --data \"ticket=$ticket&decision={decision}\" \"$base\"",
            log = log.display(),
            page = page.display(),
        ),
    )
}

/// For the device flow without a sign-in form: open the verification URL that carries the
/// code, then press `decision` on the consent page.
pub fn device_decider(sb: &Sandbox, decision: &str) -> PathBuf {
    let log = browser_log(sb);
    let page = browser_page(sb);
    script(
        sb,
        "device.sh",
        &format!(
            "printf '%s\\n' \"$1\" >> '{log}'\n\
             base=\"${{1%%\\?*}}\"\n\
             ticket=$(curl -sS \"$1\" | sed -n 's/.*name=\"ticket\" value=\"\\([^\"]*\\)\".*/\\1/p')\n\
             exec curl -sS -o '{page}' --data \"ticket=$ticket&decision={decision}\" \"$base\"",
            log = log.display(),
            page = page.display(),
        ),
    )
}

/// A `gtx login` running in the background, its stderr read as it comes.
pub struct Running {
    pub child: Child,
    lines: mpsc::Receiver<String>,
    pub seen: Vec<String>,
}

impl Running {
    pub fn spawn(mut cmd: std::process::Command) -> Running {
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn gtx");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Running {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// The first stderr line (from now on) that satisfies `want`.
    pub fn wait_for(&mut self, want: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if want(&line) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "gtx never printed the expected line; saw:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// The sign-in URL gtx printed.
    pub fn url(&mut self) -> String {
        self.wait_for(|l| l.trim_start().starts_with("http"))
            .trim()
            .to_string()
    }

    /// Waits for the exit (at most `limit`) and returns the status and all of stderr.
    pub fn finish(mut self, limit: Duration) -> (ExitStatus, String) {
        let deadline = Instant::now() + limit;
        let status = loop {
            if let Some(s) = self.child.try_wait().expect("wait") {
                break s;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("gtx did not exit in time; saw:\n{}", self.seen.join("\n"));
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(2)) {
            self.seen.push(line);
        }
        (status, self.seen.join("\n"))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A query parameter of a URL.
pub fn query_param(url: &str, key: &str) -> Option<String> {
    let parsed = reqwest::Url::parse(url).ok()?;
    parsed
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

/// A GET with no redirect following: (status, Location, body).
pub fn get_raw(url: &str) -> (u16, Option<String>, String) {
    send_without_redirects(|client| client.get(url))
}

/// A form POST: (status, body).
pub fn post_form(url: &str, form: &[(&str, &str)]) -> (u16, String) {
    let (status, _, body) = send_without_redirects(|client| client.post(url).form(form));
    (status, body)
}

/// One request on a client that follows no redirect: (status, Location, body).
fn send_without_redirects(
    build: impl FnOnce(&reqwest::Client) -> reqwest::RequestBuilder,
) -> (u16, Option<String>, String) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    rt.block_on(async {
        let resp = build(&client).send().await.expect("request");
        let status = resp.status().as_u16();
        let location = resp
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        (status, location, resp.text().await.unwrap_or_default())
    })
}

/// Headless Chromium and the npm `playwright-core` driver, or why not. With CI=true a
/// missing piece is a failure; elsewhere the test is skipped and says why.
pub fn chromium() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let exe = std::env::var_os("GTX_TEST_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let driver = root.join("node_modules/playwright-core/package.json");
    let node = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let missing = if !exe.exists() {
        Some(format!(
            "no Chromium at {} (apt-get install chromium)",
            exe.display()
        ))
    } else if !driver.exists() || !node {
        Some("no node or node_modules/playwright-core (run `npm ci`)".to_string())
    } else {
        None
    };
    match missing {
        None => Some(exe),
        Some(why) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("CI=true but the real-browser test cannot run: {why}")
        }
        Some(why) => {
            eprintln!("skipping real-browser test: {why}");
            None
        }
    }
}

/// A BROWSER script that hands the URL to the Chromium driver (tests/browser/person.mjs),
/// which plays a person: `mode` is allow, deny or device-allow; the text of the page it
/// ends on goes to browser_page(sb).
pub fn chromium_person(
    sb: &Sandbox,
    exe: &Path,
    mode: &str,
    user: &str,
    password: &str,
) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let driver = root.join("tests/browser/person.mjs");
    let profile = sb.path().join("chromium-profile");
    let log = browser_log(sb);
    script(
        sb,
        "chromium.sh",
        &format!(
            "printf '%s\\n' \"$1\" >> '{log}'\n\
             cd '{root}' && exec node '{driver}' --chromium '{exe}' --profile '{profile}' \
             --mode {mode} --user '{user}' --password '{password}' --out '{page}' \"$1\" \
             > '{dir}/chromium.out' 2>&1",
            log = log.display(),
            root = root.display(),
            driver = driver.display(),
            exe = exe.display(),
            profile = profile.display(),
            page = browser_page(sb).display(),
            dir = sb.path().display(),
        ),
    )
}

/// The contents of a file another process is still writing (the Chromium driver writes
/// its page after gtx has already exited); empty after 20 s.
pub fn wait_for_file(path: &Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(text) = std::fs::read_to_string(path)
            && !text.is_empty()
        {
            return text;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    String::new()
}
