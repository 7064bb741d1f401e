//! `gtx request` against the emulator: methods, every flag, exit codes, the 401 renewal,
//! where the token may go, byte-exact and streamed bodies. Every run is `-vv` and checked
//! for tokens on stderr (`SignedIn::run`).

use crate::support::signed_in::{SignedIn, api_calls, fetch_raw, recorded};
use crate::support::{Emulator, Sandbox, stderr_of, stdout_of};
use serde_json::Value;

fn json_out(out: &std::process::Output) -> Value {
    assert!(out.status.success(), "{}", stderr_of(out));
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

#[test]
fn get_is_the_default_method_and_prints_the_body() {
    let s = SignedIn::new();
    let out = s.request(&["/api/v1/orders"]);
    let v = json_out(&out);
    assert_eq!(v["data"][0]["id"], "ord_1001");
    let seen = recorded(&s.emu, "/api/v1/orders");
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0]["method"], "GET");
    assert_eq!(
        seen[0]["headers"]["authorization"],
        format!("Bearer {}", s.token)
    );
}

#[test]
fn explicit_methods_and_head() {
    let s = SignedIn::new();
    for method in ["DELETE", "put", "PATCH", "OPTIONS"] {
        let v = json_out(&s.request(&[method, "/api/v1/echo"]));
        assert_eq!(v["method"], method.to_ascii_uppercase());
    }
    let out = s.request(&["HEAD", "/api/v1/orders"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(out.stdout.is_empty());
    assert_eq!(recorded(&s.emu, "/api/v1/orders")[0]["method"], "HEAD");
    let out = s.request(&["GET POST", "/api/v1/echo"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_body_makes_it_a_post() {
    let s = SignedIn::new();
    let v = json_out(&s.request(&["/api/v1/echo", "-d", r#"{"a":1}"#]));
    assert_eq!(v["method"], "POST");
    assert_eq!(v["json"], serde_json::json!({"a": 1}));
    assert_eq!(v["headers"]["content-type"], "application/json");
    let v = json_out(&s.request(&["/api/v1/echo", "-f", "a=1"]));
    assert_eq!(v["method"], "POST");
}

#[test]
fn header_flag() {
    let s = SignedIn::new();
    let v = json_out(&s.request(&[
        "/api/v1/echo",
        "-H",
        "X-Request-Id: abc-123",
        "-H",
        "Accept: text/csv",
    ]));
    assert_eq!(v["headers"]["x-request-id"], "abc-123");
    assert_eq!(v["headers"]["accept"], "text/csv");
    let out = s.request(&["/api/v1/echo", "-H", "Authorization: Basic eDp5"]);
    assert_eq!(out.status.code(), Some(2));
    let out = s.request(&["/api/v1/echo", "-H", "no colon here"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn data_flag_inline_file_and_stdin() {
    let s = SignedIn::new();
    let v = json_out(&s.request(&["PUT", "/api/v1/echo", "-d", "plain text"]));
    assert_eq!(v["method"], "PUT");
    assert_eq!(v["body"], "plain text");
    assert_eq!(v["headers"]["content-type"], "application/octet-stream");

    let file = s.sb.path().join("order.json");
    std::fs::write(&file, r#"{"sku":"A1","qty":2}"#).expect("write");
    let at = format!("@{}", file.display());
    let v = json_out(&s.request(&["/api/v1/echo", "-d", &at]));
    assert_eq!(v["json"]["sku"], "A1");

    let mut cmd = s.cmd(&[
        "request",
        "/api/v1/echo",
        "-d",
        "@-",
        "-H",
        "Content-Type: text/csv",
    ]);
    cmd.write_stdin("a,b\n1,2\n");
    let v = json_out(&s.run(cmd));
    assert_eq!(v["body"], "a,b\n1,2\n");
    assert_eq!(v["headers"]["content-type"], "text/csv");

    let out = s.request(&["/api/v1/echo", "-d", "@/nonexistent/body.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(recorded(&s.emu, "/api/v1/echo").len() == 3);
}

/// Bodies are held in memory (a retry sends them again), so their size is capped: a huge
/// file, `@/dev/zero` or an endless stdin is a usage error, not a process that eats the
/// machine's memory; nothing is sent.
#[test]
fn a_body_larger_than_the_cap_is_refused_before_sending() {
    let s = SignedIn::new();
    let huge = s.sb.path().join("huge.bin");
    let file = std::fs::File::create(&huge).expect("create");
    file.set_len(101 * 1024 * 1024).expect("sparse file");
    let at = format!("@{}", huge.display());
    for source in [at.as_str(), "@/dev/zero"] {
        let out = s.request(&["POST", "/api/v1/echo", "-d", source]);
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(2), "{source}: {err}");
        assert!(err.contains("larger than 100 MiB"), "{source}: {err}");
    }
    let at_json = format!("meta=@{}", huge.display());
    let out = s.request(&["POST", "/api/v1/echo", "-F", &at_json]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("larger than 100 MiB"));
    assert!(recorded(&s.emu, "/api/v1/echo").is_empty());
}

/// The cap is on what one request holds, not per file: ten `-F k=@FILE` fields of 60 MiB
/// each must not add up to 600 MiB in memory.
#[test]
fn fields_read_from_files_share_one_cap() {
    let s = SignedIn::new();
    let big = s.sb.path().join("big.json");
    let mut text = vec![b'a'; 60 * 1024 * 1024];
    text[0] = b'"';
    *text.last_mut().expect("not empty") = b'"';
    std::fs::write(&big, &text).expect("write");
    drop(text);
    let one = format!("a=@{}", big.display());
    let two = format!("b=@{}", big.display());
    let out = s.request(&["POST", "/api/v1/echo", "-F", &one, "-F", &two]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("more than 100 MiB"), "{err}");
    assert!(recorded(&s.emu, "/api/v1/echo").is_empty());
}

#[test]
fn field_flags_build_typed_nested_json() {
    let s = SignedIn::new();
    let extra = s.sb.path().join("meta.json");
    std::fs::write(&extra, r#"{"source":"cli","tags":["x"]}"#).expect("write");
    let at = format!("meta=@{}", extra.display());
    let v = json_out(&s.request(&[
        "POST",
        "/api/v1/echo",
        "-f",
        "currency=USD",
        "-f",
        "note=42",
        "-F",
        "amount=25.5",
        "-F",
        "gift=true",
        "-F",
        "coupon=null",
        "-F",
        "items[0].sku=A1",
        "-F",
        "items[0].qty=2",
        "-f",
        "items[1][sku]=B2",
        "-f",
        "tags[]=a",
        "-f",
        "tags[]=b",
        "-F",
        &at,
    ]));
    assert_eq!(
        v["json"],
        serde_json::json!({
            "currency": "USD",
            "note": "42",
            "items": [{"sku": "A1", "qty": 2}, {"sku": "B2"}],
            "tags": ["a", "b"],
            "amount": 25.5,
            "gift": true,
            "coupon": null,
            "meta": {"source": "cli", "tags": ["x"]},
        })
    );
    assert_eq!(v["headers"]["content-type"], "application/json");
    let out = s.request(&["POST", "/api/v1/echo", "-f", "a=1", "-F", "a[0]=2"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    let out = s.request(&["POST", "/api/v1/echo", "-f", "a=1", "-d", "x"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn query_flag() {
    let s = SignedIn::new();
    let v = json_out(&s.request(&["/api/v1/echo?x=1", "-q", "status=pending", "-q", "q=a b&c"]));
    assert_eq!(v["query"], "x=1&status=pending&q=a+b%26c");
}

#[test]
fn include_flag_prints_status_and_headers_first() {
    let s = SignedIn::new();
    let out = s.request(&["-i", "/api/v1/orders"]);
    assert!(out.status.success());
    let text = stdout_of(&out);
    let (head, body) = text.split_once("\n\n").expect("blank line after headers");
    assert!(head.starts_with("HTTP/1.1 200 OK\n"), "{head}");
    assert!(head.contains("\ncontent-type: application/json"), "{head}");
    let v: Value = serde_json::from_str(body).expect("body after headers");
    assert_eq!(v["data"][1]["id"], "ord_1002");
    let out = s.request(&["--include", "/api/v1/orders/nope"]);
    assert_eq!(out.status.code(), Some(8));
    assert!(stdout_of(&out).starts_with("HTTP/1.1 404 Not Found\n"));
}

#[test]
fn output_flag_writes_the_file_atomically() {
    let s = SignedIn::new();
    let dir = s.sb.path().join("dl");
    std::fs::create_dir(&dir).expect("mkdir");
    let file = dir.join("body.bin");
    let out = s.request(&[
        "/api/v1/bytes/300000?kind=binary",
        "-o",
        file.to_str().expect("utf8"),
    ]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(out.stdout.is_empty());
    let expected = fetch_raw(&s.url("/api/v1/bytes/300000?kind=binary"), &s.token);
    assert!(std::fs::read(&file).expect("written") == expected);
    let names: Vec<_> = std::fs::read_dir(&dir).expect("dir").collect();
    assert_eq!(names.len(), 1, "no temp file left behind");

    // An error body goes to stdout and leaves the file as it was.
    let out = s.request(&["/api/v1/orders/nope", "-o", file.to_str().expect("utf8")]);
    assert_eq!(out.status.code(), Some(8));
    assert!(stdout_of(&out).contains("not_found"));
    assert!(std::fs::read(&file).expect("kept") == expected);

    let out = s.request(&["/api/v1/orders", "-o", "/nonexistent-dir/x.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
}

#[test]
fn retry_flag_retries_idempotent_methods_only() {
    let s = SignedIn::new();
    let v = json_out(&s.request(&["--retry", "2", "/api/v1/flaky?fail=2&status=503"]));
    assert_eq!(v["hit"], 3);

    let s = SignedIn::new();
    let out = s.request(&["/api/v1/flaky?fail=1&status=503"]);
    assert_eq!(out.status.code(), Some(8), "no retry without --retry");
    assert_eq!(recorded(&s.emu, "/api/v1/flaky").len(), 1);

    let s = SignedIn::new();
    let out = s.request(&[
        "POST",
        "/api/v1/flaky?fail=1&status=503",
        "--retry",
        "3",
        "-f",
        "a=b",
    ]);
    assert_eq!(out.status.code(), Some(8));
    assert!(
        stderr_of(&out).contains("--retry ignored"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(recorded(&s.emu, "/api/v1/flaky").len(), 1);

    let s = SignedIn::new();
    let v = json_out(&s.request(&[
        "--retry",
        "1",
        "/api/v1/flaky?fail=1&status=429&retry_after=0",
    ]));
    assert_eq!(v["hit"], 2, "429 with Retry-After is retried");
    let s = SignedIn::new();
    let out = s.request(&["--retry", "1", "/api/v1/flaky?fail=1&status=429"]);
    assert_eq!(out.status.code(), Some(8), "429 without Retry-After is not");
    assert_eq!(recorded(&s.emu, "/api/v1/flaky").len(), 1);
}

#[test]
fn retry_flag_retries_connect_errors() {
    let s = SignedIn::new();
    // A port nobody listens on, on the same host; the token endpoint stays the emulator's.
    // A session is bound to the api_base it was issued for (docs/trust.md): sign in anew.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let token_url = format!("{}/oauth2/token", s.emu.base_url);
    for (key, value) in [
        ("token_url", token_url.as_str()),
        ("api_base", &format!("http://127.0.0.1:{port}")),
    ] {
        s.sb.gtx()
            .args(["env", "set", "emu", key, value])
            .assert()
            .success();
    }
    s.sb.gtx()
        .args(["token", "generate", "--env", "emu"])
        .assert()
        .success();
    let out = s.request(&["--retry", "2", "/api/v1/orders"]);
    assert_eq!(out.status.code(), Some(6), "{}", stderr_of(&out));
    assert_eq!(stderr_of(&out).matches("retrying in").count(), 2);
}

#[test]
fn verbose_shows_request_line_and_headers_redacted() {
    let s = SignedIn::new();
    let mut cmd = s.sb.gtx();
    cmd.args(["request", "-v", "/api/v1/orders", "-H", "X-Trace: t1"]);
    let out = s.run(cmd);
    let err = stderr_of(&out);
    assert!(err.contains("→ GET http://127.0.0.1:"), "{err}");
    assert!(err.contains("X-Trace: t1"), "{err}");
    assert!(err.contains("Authorization: Bearer e…"), "{err}");
    assert!(err.contains("← 200 OK"), "{err}");
}

#[test]
fn error_statuses_exit_8_with_the_body_on_stdout() {
    let s = SignedIn::new();
    for (path, status) in [
        ("/api/v1/orders/nope", "404"),
        ("/api/v1/status/500", "500"),
    ] {
        let out = s.request(&[path]);
        assert_eq!(out.status.code(), Some(8), "{path}");
        let v: Value = serde_json::from_slice(&out.stdout).expect("error body on stdout");
        assert!(v["error"].is_string(), "{v}");
        let err = stderr_of(&out);
        let summary: Vec<&str> = err.lines().filter(|l| l.contains("error:")).collect();
        assert_eq!(summary.len(), 1, "{err}");
        assert!(summary[0].contains(&format!("HTTP {status}")), "{err}");
    }
}

#[test]
fn a_401_renews_once_and_retries_once() {
    let s = SignedIn::new();
    let before = s.emu.token_hits("oauth2");
    let out = s.request(&["/api/v1/needs-new-token"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(
        s.emu.token_hits("oauth2") - before,
        1,
        "exactly one renewal"
    );
    let calls = recorded(&s.emu, "/api/v1/needs-new-token");
    assert_eq!(calls.len(), 2, "two API calls");
    assert_ne!(
        calls[0]["headers"]["authorization"],
        calls[1]["headers"]["authorization"]
    );
    let now =
        s.sb.gtx()
            .args(["token", "get"])
            .output()
            .expect("token get");
    assert_ne!(
        stdout_of(&now).trim(),
        s.token,
        "the renewed token is cached"
    );

    // The server expired every token it issued: the cached one is renewed once.
    let s2 = SignedIn::new();
    let before = s2.emu.token_hits("oauth2");
    s2.emu.expire_all();
    let out = s2.request(&["/api/v1/orders"]);
    assert!(
        out.status.success(),
        "renewed after the server expired it: {}",
        stderr_of(&out)
    );
    assert_eq!(s2.emu.token_hits("oauth2") - before, 1);
}

#[test]
fn a_401_refreshes_a_password_session_once() {
    let s = SignedIn::new();
    s.sb.gtx()
        .args([
            "login",
            "--password",
            "--username",
            "demo",
            "--password-stdin",
            "--env",
            "emu-json",
        ])
        .write_stdin("demo-password")
        .assert()
        .success();
    let before = s.emu.token_hits("oauth2-json");
    let out = s.request(&["--env", "emu-json", "/api/v1/needs-new-token"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(s.emu.token_hits("oauth2-json") - before, 1, "one refresh");
    assert_eq!(recorded(&s.emu, "/api/v1/needs-new-token").len(), 2);
}

#[test]
fn a_pasted_token_with_401_exits_8_without_renewal() {
    let s = SignedIn::new();
    s.sb.gtx()
        .args(["login", "--with-token", "--env", "emu-json"])
        .write_stdin(s.token.as_str())
        .assert()
        .success();
    let before = s.emu.token_hits("oauth2-json") + s.emu.token_hits("oauth2");
    let out = s.request(&["--env", "emu-json", "/api/v1/needs-new-token"]);
    assert_eq!(out.status.code(), Some(8), "{}", stderr_of(&out));
    assert_eq!(
        s.emu.token_hits("oauth2-json") + s.emu.token_hits("oauth2"),
        before
    );
    assert_eq!(recorded(&s.emu, "/api/v1/needs-new-token").len(), 1);
}

#[test]
fn gtx_token_with_401_exits_8_without_renewal() {
    let s = SignedIn::new();
    let before = s.emu.token_hits("oauth2");
    let mut cmd = s.cmd(&["request", "/api/v1/needs-new-token"]);
    cmd.env("GTX_TOKEN", &s.token);
    let out = s.run(cmd);
    assert_eq!(out.status.code(), Some(8), "{}", stderr_of(&out));
    assert!(stdout_of(&out).contains("invalid_token"));
    assert_eq!(s.emu.token_hits("oauth2"), before, "no renewal");
    assert_eq!(recorded(&s.emu, "/api/v1/needs-new-token").len(), 1);
}

#[test]
fn a_foreign_absolute_url_is_refused_before_any_request() {
    let s = SignedIn::new();
    let other = Emulator::start(&[]);
    let foreign = format!("{}/api/v1/echo", other.base_url);
    for url in [foreign.as_str(), "https://example.com/api/v1/orders"] {
        let out = s.request(&[url]);
        assert_eq!(out.status.code(), Some(3), "{url}: {}", stderr_of(&out));
        assert!(stderr_of(&out).contains("refusing"), "{}", stderr_of(&out));
    }
    assert!(
        api_calls(&other).is_empty(),
        "nothing reached the other origin"
    );
    assert!(api_calls(&s.emu).is_empty());
    let same = s.url("/api/v1/echo");
    assert!(s.request(&[&same]).status.success(), "same origin is fine");
}

#[test]
fn redirects_to_another_origin_drop_authorization() {
    let s = SignedIn::new();
    let other = Emulator::start(&[]);
    let to = format!("{}/api/v1/echo", other.base_url);
    for status in ["302", "307"] {
        let path = format!("/api/v1/redirect?status={status}&to={to}");
        let v = json_out(&s.request(&[&path]));
        assert!(v["headers"].get("authorization").is_none(), "{v}");
    }
    let arrived = recorded(&other, "/api/v1/echo");
    assert_eq!(arrived.len(), 2);
    for r in &arrived {
        assert!(r["headers"].get("authorization").is_none(), "{r}");
    }
    // Same origin: the token goes along.
    let path = format!("/api/v1/redirect?to={}", s.url("/api/v1/echo"));
    let v = json_out(&s.request(&[&path]));
    assert_eq!(v["headers"]["authorization"], format!("Bearer {}", s.token));
}

#[test]
fn piped_output_is_byte_identical() {
    let s = SignedIn::new();
    for kind in ["text", "binary", "invalid-utf8"] {
        let path = format!("/api/v1/bytes/200003?kind={kind}");
        let out = s.request(&[&path]);
        assert!(out.status.success(), "{}", stderr_of(&out));
        let expected = fetch_raw(&s.url(&path), &s.token);
        assert_eq!(expected.len(), 200_003);
        assert!(out.stdout == expected, "{kind}: bytes differ");
    }
    let expected = fetch_raw(&s.url("/api/v1/orders"), &s.token);
    assert_eq!(
        s.request(&["/api/v1/orders"]).stdout,
        expected,
        "JSON as sent, not pretty"
    );
}

/// Peak RSS of a 50 MB body piped through `gtx request`: streamed, never held whole.
#[cfg(target_os = "linux")]
#[test]
// The child is reaped by waitpid while the reader thread holds its stdout.
#[allow(clippy::zombie_processes)]
fn a_50_mb_body_is_streamed() {
    use std::io::Read;
    let s = SignedIn::new();
    let size: usize = 50 << 20;
    let path = format!("/api/v1/bytes/{size}?kind=binary");
    let mut cmd = s.sb.std_gtx();
    cmd.args(["request", &path])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("spawn gtx");
    let mut stdout = child.stdout.take().expect("stdout");
    let pid = child.id() as libc::pid_t;
    // ru_maxrss from wait4 would also count the test binary's own pages (the child
    // shares them until exec), so the peak is read from /proc while gtx streams: VmHWM
    // belongs to the executed program's address space only.
    let reader = std::thread::spawn(move || {
        let mut buf = vec![0u8; 1 << 16];
        let (mut n, mut sum, mut peak_kb, mut next_sample) = (0usize, 0u64, 0u64, 1usize);
        loop {
            let k = stdout.read(&mut buf).expect("read");
            if k == 0 {
                break (n, sum, peak_kb);
            }
            sum = buf[..k]
                .iter()
                .fold(sum, |a, b| a.wrapping_mul(31).wrapping_add(*b as u64));
            n += k;
            if n >= next_sample {
                peak_kb = peak_kb.max(vm_hwm_kb(pid).unwrap_or(0));
                next_sample = n + (4 << 20);
            }
        }
    });
    let mut status = 0;
    // SAFETY: waitpid on our own child with a valid status pointer.
    let waited = unsafe { libc::waitpid(pid, &mut status, 0) };
    assert_eq!(waited, pid);
    let (n, sum, peak_kb) = reader.join().expect("reader");
    let mut err = String::new();
    let _ = child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err);
    s.assert_no_token(&err);
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{err}"
    );
    assert_eq!(n, size);
    let expected = (0..size).fold(0u64, |a, i| {
        a.wrapping_mul(31)
            .wrapping_add((i.wrapping_mul(31) % 256) as u64)
    });
    assert_eq!(sum, expected, "bytes differ");
    assert!(peak_kb > 0, "no memory sample was taken");
    assert!(
        peak_kb < 40 * 1024,
        "peak RSS {peak_kb} kB: the body was held in memory"
    );
}

#[test]
fn an_http_api_base_off_loopback_is_refused() {
    let sb = Sandbox::new();
    sb.write_config("[environments.plain]\napi_base = \"http://api.example.com\"\n");
    let out = sb
        .gtx()
        .args(["-vv", "request", "--env", "plain", "/api/v1/orders"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("insecure"), "{}", stderr_of(&out));
}

#[test]
fn the_token_prefix_rule_holds_before_any_byte_is_sent() {
    let s = SignedIn::new();
    s.sb.gtx()
        .args(["env", "set", "emu", "token_prefix", "live_"])
        .assert()
        .success();
    let out = s.request(&["/api/v1/orders"]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr_of(&out));
    let mut cmd = s.cmd(&["request", "/api/v1/orders"]);
    cmd.env("GTX_TOKEN", "sandbox_0123456789abcdef0123456789");
    let out = s.run(cmd);
    assert_eq!(out.status.code(), Some(5), "{}", stderr_of(&out));
    assert!(api_calls(&s.emu).is_empty(), "nothing was sent");
}

#[test]
fn without_a_session_it_exits_4_and_starts_no_login() {
    let sb = Sandbox::new();
    let emu = Emulator::start(&[]);
    sb.add_emulator_envs(&emu);
    let out = sb
        .gtx()
        .args(["-vv", "request", "--env", "emu", "/api/v1/orders"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(4), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("gtx login"));
    assert!(api_calls(&emu).is_empty());
}

/// Runs `gtx ARGS` under a pseudo-terminal (`script`), colour allowed; returns what the
/// terminal showed.
fn on_terminal(s: &SignedIn, args: &str) -> Option<String> {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipping terminal test: `script` (util-linux) is missing");
        return None;
    }
    let mut cmd = s.sb.std_gtx();
    cmd.env_remove("NO_COLOR")
        .env("TERM", "xterm")
        .env("GTX_NO_SPINNER", "1")
        .args(["-q", "-e", "-c"])
        .arg(format!("{} {args}", crate::support::GTX))
        .arg("/dev/null");
    let mut script = std::process::Command::new("script");
    script.args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => script.env(k, v),
            None => script.env_remove(k),
        };
    }
    let out = script.output().expect("script");
    assert!(out.status.success(), "{}", stdout_of(&out));
    Some(stdout_of(&out))
}

#[test]
fn on_a_terminal_json_is_pretty_and_coloured_and_binary_is_a_notice() {
    let s = SignedIn::new();
    let Some(shown) = on_terminal(&s, "request /api/v1/orders") else {
        return;
    };
    assert!(shown.contains("\x1b[1;34m\"data\"\x1b[0m: ["), "{shown:?}");
    assert!(
        shown.contains("\n    {\r\n") || shown.contains("\n    {\n"),
        "{shown:?}"
    );
    let Some(shown) = on_terminal(&s, "request '/api/v1/bytes/5000?kind=binary'") else {
        return;
    };
    assert!(shown.contains("binary body of 5000 bytes"), "{shown:?}");
    assert!(!shown.contains('\0'));
}

/// Ctrl-C while waiting for the server: exit 130, and `-o` leaves neither FILE nor a
/// temporary file behind.
#[cfg(unix)]
#[test]
fn ctrl_c_while_waiting_exits_130_and_leaves_no_file() {
    let s = SignedIn::new();
    s.emu.faults(serde_json::json!({"delay_ms": 5000}));
    let dir = s.sb.path().join("dl");
    std::fs::create_dir(&dir).expect("mkdir");
    let file = dir.join("orders.json");
    let child =
        s.sb.std_gtx()
            .args(["-vv", "request", "/api/v1/orders", "-o"])
            .arg(&file)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
    // Wait until the request is on its way.
    let started = std::time::Instant::now();
    while recorded(&s.emu, "/api/v1/orders").is_empty() {
        assert!(
            started.elapsed().as_secs() < 10,
            "the request never arrived"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let out = child.wait_with_output().expect("wait");
    s.assert_no_token(&stderr_of(&out));
    assert_eq!(out.status.code(), Some(130), "{}", stderr_of(&out));
    assert!(
        started.elapsed().as_secs() < 4,
        "it did not wait for the server"
    );
    assert_eq!(std::fs::read_dir(&dir).expect("dir").count(), 0);
}

#[test]
fn a_deeply_nested_field_key_is_refused_not_a_stack_overflow() {
    let s = SignedIn::new();
    for key in [
        "a".to_string() + &"[0]".repeat(40_000),
        "a".to_string() + &".a".repeat(60_000),
    ] {
        let field = format!("{key}=1");
        let out = s.request(&["POST", "/api/v1/echo", "-F", &field]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
        assert!(stderr_of(&out).contains("deep"), "{}", stderr_of(&out));
    }
    assert!(api_calls(&s.emu).is_empty(), "nothing was sent");
}

#[test]
fn a_401_from_another_origin_renews_nothing() {
    let s = SignedIn::new();
    let other = Emulator::start(&[]);
    let before = s.emu.token_hits("oauth2");
    let path = format!(
        "/api/v1/redirect?status=307&to={}/api/v1/status/401",
        other.base_url
    );
    let out = s.request(&[&path]);
    assert_eq!(out.status.code(), Some(8), "{}", stderr_of(&out));
    assert_eq!(
        s.emu.token_hits("oauth2"),
        before,
        "that server never saw the token: no renewal"
    );
    assert_eq!(recorded(&other, "/api/v1/status/401").len(), 1, "no replay");
}

#[test]
fn a_token_a_server_puts_in_a_redirect_path_is_not_logged() {
    let s = SignedIn::new();
    let other = Emulator::start(&[]);
    for to in [
        format!("/api/v1/echo/{}", s.token),
        format!("{}/api/v1/echo/{}", other.base_url, s.token),
    ] {
        // `SignedIn::request` runs with -vv and fails on any token on stderr.
        let out = s.request(&[&format!("/api/v1/redirect?to={to}")]);
        assert_eq!(out.status.code(), Some(8), "{}", stderr_of(&out));
        assert!(
            stderr_of(&out).contains("/api/v1/echo/eyJ"),
            "{}",
            stderr_of(&out)
        );
    }
}

/// Replacing FILE keeps its permissions: a private file does not become world-readable.
#[cfg(unix)]
#[test]
fn output_flag_keeps_the_replaced_files_mode_and_refuses_a_directory_up_front() {
    use std::os::unix::fs::PermissionsExt;
    let s = SignedIn::new();
    let file = s.sb.path().join("private.json");
    std::fs::write(&file, "old").expect("write");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let out = s.request(&["/api/v1/orders", "-o", file.to_str().expect("utf8")]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let mode = std::fs::metadata(&file).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "mode {mode:o}");
    assert!(
        std::fs::read_to_string(&file)
            .expect("read")
            .contains("ord_1001")
    );

    let before = api_calls(&s.emu).len();
    let dir = s.sb.path().join("a-dir");
    std::fs::create_dir(&dir).expect("mkdir");
    for target in [dir.clone(), dir.join("")] {
        let out = s.request(&["/api/v1/orders", "-o", target.to_str().expect("utf8")]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
        assert!(stderr_of(&out).contains("directory"), "{}", stderr_of(&out));
    }
    let missing = s.sb.path().join("no-such-dir").join("x.json");
    let missing = missing.to_str().expect("utf8");
    let out = s.request(&["POST", "/api/v1/echo", "-d", "x", "-o", missing]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert_eq!(
        api_calls(&s.emu).len(),
        before,
        "refused before any request"
    );
}

#[test]
fn a_cross_origin_307_or_308_does_not_carry_the_body_or_cookies_there() {
    let s = SignedIn::new();
    let other = Emulator::start(&[]);
    let to = format!("{}/api/v1/echo", other.base_url);
    for status in ["307", "308"] {
        let path = format!("/api/v1/redirect?status={status}&to={to}");
        let out = s.request(&["POST", &path, "-f", "pin=1234"]);
        assert_eq!(out.status.code(), Some(3), "{status}: {}", stderr_of(&out));
        assert!(
            stderr_of(&out).contains("another origin"),
            "{}",
            stderr_of(&out)
        );
    }
    assert!(
        recorded(&other, "/api/v1/echo").is_empty(),
        "the body stayed home"
    );

    // Without a body the hop is made, but the user's cookies stay on api_base's origin.
    let path = format!("/api/v1/redirect?status=307&to={to}");
    let v = json_out(&s.request(&[
        &path,
        "-H",
        "Cookie: sid=s3cr3t",
        "-H",
        "X-Api-Key: k3y-0123456789abcdef",
        "-H",
        "X-Trace: t1",
    ]));
    assert!(v["headers"].get("cookie").is_none(), "{v}");
    assert!(v["headers"].get("x-api-key").is_none(), "{v}");
    assert_eq!(v["headers"]["x-trace"], "t1");
}

#[test]
fn redirects_keep_head_and_drop_userinfo_from_location() {
    let s = SignedIn::new();
    let out = s.request(&["HEAD", "/api/v1/redirect?status=303&to=/api/v1/echo"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(out.stdout.is_empty());
    assert_eq!(recorded(&s.emu, "/api/v1/echo")[0]["method"], "HEAD");

    let to = s.url("/api/v1/echo").replace("http://", "http://user:pw@");
    let v = json_out(&s.request(&[&format!("/api/v1/redirect?to={to}")]));
    assert_eq!(v["headers"]["authorization"], format!("Bearer {}", s.token));
    let seen = recorded(&s.emu, "/api/v1/echo");
    assert_eq!(
        seen[1]["headers"]["authorization"],
        format!("Bearer {}", s.token),
        "one Authorization header, gtx's own"
    );
}

#[test]
fn include_flag_on_a_terminal_escapes_control_characters_in_headers() {
    let s = SignedIn::new();
    // U+009B is CSI for terminals that honour C1 controls: `ESC [ 31m` in one character.
    let path = "/api/v1/status/200?header=X-Evil:a%C2%9B31mred%C2%9D0;pwned";
    let piped = s.request(&["-i", path]);
    assert!(piped.status.success(), "{}", stderr_of(&piped));
    assert!(
        stdout_of(&piped).contains("x-evil: a\u{9b}31mred\u{9d}0;pwned"),
        "piped, -i passes the bytes through: {}",
        stdout_of(&piped)
    );
    let Some(shown) = on_terminal(&s, &format!("request -i '{path}'")) else {
        return;
    };
    assert!(shown.contains("x-evil: a"), "{shown:?}");
    assert!(
        !shown.contains('\u{9b}') && !shown.contains('\u{9d}'),
        "{shown:?}"
    );
    assert!(shown.contains("\\u{9b}31mred"), "{shown:?}");
}

/// Pretty-printed JSON on a terminal: serde_json escapes C0 controls in strings, but
/// C1 controls (U+009B is CSI), DEL and bidirectional overrides came through raw. JSON lets
/// any character be written `\\uXXXX`, so they are shown escaped; piped, bytes pass as sent.
#[test]
fn pretty_json_on_a_terminal_escapes_c1_del_and_bidi_in_strings() {
    let s = SignedIn::new();
    let body = r#"{"k\u202e":"a\u009b31mred\u007f\u2066x\u2069\u202egnp.exe"}"#;
    let Some(shown) = on_terminal(&s, &format!("request /api/v1/echo -d '{body}'")) else {
        return;
    };
    for c in ['\u{9b}', '\u{7f}', '\u{202e}', '\u{2066}', '\u{2069}'] {
        assert!(!shown.contains(c), "raw {c:?} on the terminal: {shown:?}");
    }
    assert!(shown.contains("a\\u009b31mred\\u007f"), "{shown:?}");
    let piped = s.request(&["/api/v1/echo", "-d", body]);
    assert!(piped.status.success(), "{}", stderr_of(&piped));
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&piped)).expect("json");
    assert_eq!(
        v["json"]["k\u{202e}"],
        "a\u{9b}31mred\u{7f}\u{2066}x\u{2069}\u{202e}gnp.exe"
    );
}

/// `-o /dev/null` and `-o FIFO` write into what is there: only a regular file is replaced
/// (as root, renaming over /dev/null would put a plain file in its place).
#[cfg(unix)]
#[test]
fn output_flag_writes_into_devices_and_fifos_instead_of_replacing_them() {
    use std::os::unix::fs::FileTypeExt;
    let s = SignedIn::new();
    let link = s.sb.path().join("null");
    std::os::unix::fs::symlink("/dev/null", &link).expect("symlink");
    let out = s.request(&["/api/v1/orders", "-o", link.to_str().expect("utf8")]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let meta = std::fs::symlink_metadata(&link).expect("stat");
    assert!(
        meta.file_type().is_symlink(),
        "the link to /dev/null was replaced"
    );

    let fifo = s.sb.path().join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).expect("read fifo"))
    };
    let out = s.request(&["/api/v1/orders", "-o", fifo.to_str().expect("utf8")]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let meta = std::fs::symlink_metadata(&fifo).expect("stat");
    assert!(
        meta.file_type().is_fifo(),
        "the FIFO was replaced by a file"
    );
    let got = reader.join().expect("reader");
    assert!(String::from_utf8_lossy(&got).contains("ord_1001"));
}

#[test]
fn sparse_field_indexes_are_bounded_in_total_not_only_one_by_one() {
    let s = SignedIn::new();
    // Each field alone is within the index limit; together they would pad millions of
    // nulls (3000 such fields took 2 GB).
    let fields: Vec<String> = (0..30).map(|i| format!("a[{i}][10000]=1")).collect();
    let mut args = vec!["POST", "/api/v1/echo"];
    for f in &fields {
        args.extend(["-F", f.as_str()]);
    }
    let out = s.request(&args);
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(api_calls(&s.emu).is_empty(), "nothing was sent");
    // Dense arrays cost nothing.
    let fields: Vec<String> = (0..300).map(|i| format!("a[{i}]={i}")).collect();
    let mut args = vec!["POST", "/api/v1/echo"];
    for f in &fields {
        args.extend(["-F", f.as_str()]);
    }
    let v = json_out(&s.request(&args));
    assert_eq!(v["json"]["a"][299], 299);
}

#[test]
fn verbose_redacts_credentials_the_user_passed_in_headers() {
    let s = SignedIn::new();
    let secrets = [
        ("Cookie", "sid=s3cr3t-cookie-value-0123456789"),
        ("X-Api-Key", "k3y-0123456789abcdef0123456789"),
        ("X-Auth-Token", "t0k-0123456789abcdef0123456789"),
        ("Proxy-Authorization", "Basic dXNlcjpwYXNzd29yZC0wMTIzNDU2"),
    ];
    let headers: Vec<String> = secrets.iter().map(|(n, v)| format!("{n}: {v}")).collect();
    let mut args = vec!["/api/v1/echo", "-H", "X-Trace: t1"];
    for h in &headers {
        args.extend(["-H", h.as_str()]);
    }
    let out = s.request(&args);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(err.contains("X-Trace: t1"), "{err}");
    for (name, value) in secrets {
        assert!(err.contains(&format!("{name}: ")), "{err}");
        assert!(!err.contains(value), "{name} shown in the log:\n{err}");
    }
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["headers"]["x-api-key"], secrets[1].1, "sent as given");
}

#[test]
fn headers_that_decide_routing_or_framing_are_refused() {
    let s = SignedIn::new();
    for h in [
        "Host: evil.example",
        "content-length: 100",
        "Transfer-Encoding: chunked",
        "Connection: close",
    ] {
        let out = s.request(&["--timeout", "3", "/api/v1/echo", "-d", "abc", "-H", h]);
        assert_eq!(out.status.code(), Some(2), "{h}: {}", stderr_of(&out));
    }
    assert!(api_calls(&s.emu).is_empty(), "nothing was sent");
}

#[test]
fn typed_fields_send_big_numbers_exactly_as_typed() {
    let s = SignedIn::new();
    let v = json_out(&s.request(&[
        "POST",
        "/api/v1/echo",
        "-F",
        "card=12345678901234567890123",
        "-F",
        "ids=[98765432109876543210987]",
        "-F",
        "rate=0.1000000000000000055511151231257827",
    ]));
    let body = v["body"].as_str().expect("body");
    for digits in [
        "12345678901234567890123",
        "98765432109876543210987",
        "0.1000000000000000055511151231257827",
    ] {
        assert!(body.contains(digits), "{digits} changed on the way: {body}");
    }
}

/// The high-water mark of a live process's resident memory, in kB.
fn vm_hwm_kb(pid: libc::pid_t) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Many `gtx request` at once on a token the server expired: each gets a 401, and the
/// profile lock lets exactly one of them renew; the others take the token it stored.
#[test]
fn parallel_requests_on_a_refused_token_renew_it_once() {
    let s = SignedIn::new();
    s.emu.expire_all();
    let before = s.emu.token_hits("oauth2");
    let children: Vec<_> = (0..30)
        .map(|_| {
            s.sb.std_gtx()
                .args(["-vv", "request", "/api/v1/orders"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("wait");
        s.assert_no_token(&stderr_of(&out));
        assert!(out.status.success(), "{}", stderr_of(&out));
    }
    assert_eq!(
        s.emu.token_hits("oauth2") - before,
        1,
        "exactly one renewal"
    );
}

/// A body that cannot be written (a full disk behind `>`) is the same failure of the
/// surroundings as `token get > /dev/full`: exit 1 with the OS's reason, not a usage error.
#[test]
fn unwritable_stdout_is_a_clear_write_error() {
    let s = SignedIn::new();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let out =
        s.sb.std_gtx()
            .args(["request", "/api/v1/orders"])
            .stdout(full)
            .output()
            .expect("run");
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot write to stdout"), "{err}");
    assert!(!err.contains("bug"), "{err}");
}

/// `timeout`, a cancelled CI job or a closed terminal (SIGTERM, SIGHUP) in the middle of an
/// `-o FILE` download: gtx dies of that signal, as asked, and leaves neither FILE nor the
/// temporary file the body was streaming into (which nothing would ever clean up).
#[cfg(unix)]
#[test]
fn sigterm_or_sighup_during_a_download_leaves_no_temporary_file() {
    use std::os::unix::process::ExitStatusExt;
    let canned = crate::support::canned::Canned::start();
    canned.endless("/api/v1/export");
    let sb = Sandbox::new();
    sb.write_config(&format!(
        "default_env = \"stream\"\n[environments.stream]\napi_base = \"{}\"\n",
        canned.base_url
    ));
    let dir = sb.path().join("dl");
    std::fs::create_dir(&dir).expect("mkdir");
    for sig in [libc::SIGTERM, libc::SIGHUP] {
        let child = sb
            .std_gtx()
            .env("GTX_TOKEN", "tok-0123456789abcdef0123")
            .args(["request", "/api/v1/export", "-o"])
            .arg(dir.join("export.bin"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        // Wait until the body is streaming into the temporary file.
        let started = std::time::Instant::now();
        let streaming = || {
            std::fs::read_dir(&dir)
                .expect("dir")
                .flatten()
                .any(|e| e.metadata().is_ok_and(|m| m.len() > 0))
        };
        while !streaming() {
            assert!(started.elapsed().as_secs() < 10, "the download never began");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        // SAFETY: signalling our own child.
        unsafe { libc::kill(child.id() as libc::pid_t, sig) };
        let out = child.wait_with_output().expect("wait");
        assert_eq!(out.status.signal(), Some(sig), "{}", stderr_of(&out));
        let left: Vec<_> = std::fs::read_dir(&dir)
            .expect("dir")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert!(left.is_empty(), "signal {sig} left {left:?}");
    }
    // Under `nohup` (SIGHUP ignored by the caller) the download goes on after a SIGHUP.
    let mut cmd = sb.std_gtx();
    // SAFETY: signal(2) is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        use std::os::unix::process::CommandExt;
        cmd.pre_exec(|| {
            libc::signal(libc::SIGHUP, libc::SIG_IGN);
            Ok(())
        });
    }
    let mut child = cmd
        .env("GTX_TOKEN", "tok-0123456789abcdef0123")
        .args(["request", "/api/v1/export", "-o"])
        .arg(dir.join("export.bin"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let size = || -> u64 {
        std::fs::read_dir(&dir)
            .expect("dir")
            .flatten()
            .filter_map(|e| e.metadata().ok())
            .map(|m| m.len())
            .sum()
    };
    let started = std::time::Instant::now();
    while size() == 0 {
        assert!(started.elapsed().as_secs() < 10, "the download never began");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGHUP) };
    std::thread::sleep(std::time::Duration::from_millis(300));
    let before = size();
    std::thread::sleep(std::time::Duration::from_millis(200));
    let alive = child.try_wait().expect("try_wait").is_none();
    let grew = size() > before;
    let _ = child.kill();
    let _ = child.wait();
    assert!(alive && grew, "an ignored SIGHUP ended the download");
}

/// A 503 with `Retry-After` (RFC 9110 section 10.2.3: how long the service expects to be
/// unavailable) is waited out before `--retry` asks again, as a 429's is; the backoff alone
/// (a few hundred ms) would spend the retries while the server said it was still down.
#[test]
fn retry_after_on_a_503_is_waited_out() {
    let s = SignedIn::new();
    let started = std::time::Instant::now();
    let v = json_out(&s.request(&[
        "--retry",
        "1",
        "/api/v1/flaky?fail=1&status=503&retry_after=2",
    ]));
    assert_eq!(v["hit"], 2);
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(1900),
        "retried after {:?}",
        started.elapsed()
    );
}

/// `-o -` is stdout, as in curl and wget, not a file named `-` in the current directory.
#[test]
fn output_dash_is_stdout() {
    let s = SignedIn::new();
    let dir = s.sb.path().join("cwd");
    std::fs::create_dir(&dir).expect("mkdir");
    let mut cmd = s.cmd(&["request", "/api/v1/orders", "-o", "-"]);
    cmd.current_dir(&dir);
    let v = json_out(&s.run(cmd));
    assert_eq!(v["data"][0]["id"], "ord_1001");
    assert_eq!(
        std::fs::read_dir(&dir).expect("dir").count(),
        0,
        "a file named - was written"
    );
}

/// A conditional request answered 304 Not Modified ("keep what you have") leaves `-o FILE`
/// as it was instead of replacing the copy with an empty body; so does any answer that is
/// not a 2xx (a 300 list of choices is not the resource either).
#[test]
fn output_flag_keeps_the_file_on_304_not_modified() {
    let s = SignedIn::new();
    let file = s.sb.path().join("orders.json");
    std::fs::write(&file, "cached copy").expect("write");
    for code in ["304", "300"] {
        let out = s.request(&[
            &format!("/api/v1/status/{code}"),
            "-H",
            "If-None-Match: \"v1\"",
            "-o",
            file.to_str().expect("utf8"),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
        assert_eq!(
            std::fs::read_to_string(&file).expect("kept"),
            "cached copy",
            "HTTP {code} replaced the file"
        );
    }
}
