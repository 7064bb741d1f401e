//! `gtx try`: the Try-It page on 127.0.0.1. A real headless Chromium drives the whole flow
//! against the emulator (tests/browser/try.mjs); plain HTTP clients play the other sites
//! a browser visits and are refused; the page's recorded traffic never holds a token.

use crate::support::browser::{Running, chromium};
use crate::support::signed_in::SignedIn;
use crate::support::{stderr_of, stdout_of};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A running `gtx try --no-browser` for the signed-in profile, and its address.
struct Served {
    running: Running,
    url: String,
    origin: String,
}

fn serve(s: &SignedIn, extra: &[&str]) -> Served {
    serve_in(&s.sb, extra)
}

fn serve_in(sb: &crate::support::Sandbox, extra: &[&str]) -> Served {
    let mut cmd = sb.std_gtx();
    cmd.args(["try", "--no-browser"]).args(extra);
    let mut running = Running::spawn(cmd);
    let url = running.url();
    let origin = url.split("/?").next().expect("origin").to_string();
    Served {
        running,
        url,
        origin,
    }
}

/// One request with full control of its headers: (status, Set-Cookie, body).
fn raw(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> (u16, Option<String>, String) {
    let (status, h, body) = raw_headers(method, url, headers, body);
    let cookie = h
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (status, cookie, body)
}

fn raw_headers(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, String) {
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
        let mut req = client.request(method.parse().expect("method"), url);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.body(b.to_string());
        }
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        (status, headers, resp.text().await.unwrap_or_default())
    })
}

/// Opens the one-time URL as the browser would and returns the cookie it was given.
fn open(served: &Served) -> String {
    let (status, cookie, _) = raw("GET", &served.url, &[], None);
    assert_eq!(status, 303);
    let cookie = cookie.expect("Set-Cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    cookie.split(';').next().expect("pair").to_string()
}

/// A POST to the page's API as the page itself makes it.
fn call(served: &Served, cookie: &str, path: &str, body: &Value) -> (u16, Value) {
    let (status, _, text) = raw(
        "POST",
        &format!("{}{path}", served.origin),
        &[
            ("cookie", cookie),
            ("origin", &served.origin),
            ("content-type", "application/json"),
        ],
        Some(&body.to_string()),
    );
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn profile() -> Value {
    json!({"env": "emu", "credential": "default"})
}

fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("try-page");
    std::fs::create_dir_all(&dir).expect("artifacts dir");
    dir
}

#[test]
fn a_real_browser_generates_sends_reads_and_clears_and_never_sees_the_token() {
    let Some(exe) = chromium() else { return };
    let s = SignedIn::new();
    with_index(&s);
    let served = serve(&s, &[]);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = s.sb.path();
    let (out, traffic) = (dir.join("seen.json"), dir.join("traffic.json"));
    let shot = artifacts().join("try-page.png");
    let driver = std::process::Command::new("node")
        .current_dir(root)
        .arg(root.join("tests/browser/try.mjs"))
        .args(["--chromium", &exe.to_string_lossy()])
        .args(["--profile", &dir.join("chromium-profile").to_string_lossy()])
        .args(["--env", "emu", "--credential", "default"])
        .args(["--out", &out.to_string_lossy()])
        .args(["--traffic", &traffic.to_string_lossy()])
        .args(["--screenshot", &shot.to_string_lossy()])
        .args(["--op", "one order", "--param", "id=ord_1001"])
        .arg(&served.url)
        .output()
        .expect("run node");
    let seen: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap_or_default())
        .unwrap_or(Value::Null);
    assert!(driver.status.success(), "{seen:#}\n{}", stderr_of(&driver));
    // The key left the address bar at once.
    assert_eq!(seen["address"], format!("{}/", served.origin));
    assert!(
        seen["environments"]
            .as_array()
            .is_some_and(|e| e.contains(&json!("emu")))
    );
    let refused = seen["before_generate"].as_str().unwrap_or("");
    assert!(refused.contains("Generate token first"), "{seen:#}");
    let state = seen["token_state"].as_str().unwrap_or("");
    assert!(
        state.contains("grant client_credentials")
            && state.contains("orders.read orders.write")
            && state.contains("expires in"),
        "{state}"
    );
    assert_eq!(seen["echo_status"], "200 OK");
    assert!(
        seen["echo_body"]
            .as_str()
            .unwrap_or("")
            .contains("Bearer [token removed by gtx]"),
        "{seen:#}"
    );
    // Found by search, its path parameter filled in the form.
    assert_eq!(seen["op_title"], "getOrder", "{seen:#}");
    assert!(
        seen["op_groups"]
            .as_array()
            .is_some_and(|g| g.contains(&json!("orders")) && g.contains(&json!("diagnostics"))),
        "{seen:#}"
    );
    assert!(
        seen["resolved"]
            .as_str()
            .unwrap_or("")
            .ends_with("/api/v1/orders/ord_1001"),
        "{seen:#}"
    );
    assert_eq!(seen["status"], "200 OK");
    assert!(
        seen["body"]
            .as_str()
            .unwrap_or("")
            .contains("\"id\": \"ord_1001\""),
        "{seen:#}"
    );
    assert!(
        seen["after_clear_state"]
            .as_str()
            .unwrap_or("")
            .starts_with("Cleared")
    );
    assert_eq!(seen["clear_offer_visible"], true);
    assert!(
        seen["after_clear"]
            .as_str()
            .unwrap_or("")
            .contains("Generate token first"),
        "{seen:#}"
    );
    assert!(shot.exists(), "a screenshot at {}", shot.display());
    eprintln!("screenshot of the page: {}", shot.display());

    // Everything the page sent and received, over the whole flow: no token, no secret.
    let recorded = std::fs::read_to_string(&traffic).expect("traffic");
    assert!(recorded.contains("/api/send") && recorded.contains("/api/token"));
    assert!(!recorded.contains(&s.token), "the token reached the page");
    // Every secret the store holds (tokens, client secret, DPoP key); not what it records
    // in the clear, such as the origin a session was issued for, which the page may show.
    let stored: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(s.sb.credentials_path()).expect("store"))
            .expect("store JSON");
    let secrets = stored_secrets(&stored);
    assert!(
        !secrets.is_empty(),
        "no secret found in the store: {stored}"
    );
    for secret in secrets {
        assert!(
            !recorded.contains(&secret),
            "a stored secret reached the page"
        );
    }
    assert!(!recorded.contains(crate::support::signed_in::SECRET));
    // The API did get the token, from gtx.
    let calls = crate::support::signed_in::recorded(&s.emu, "/api/v1/orders/ord_1001");
    assert_eq!(
        calls[0]["headers"]["authorization"],
        format!("Bearer {}", s.token)
    );
    drop(served);
}

#[test]
fn every_request_that_is_not_the_pages_own_is_refused() {
    let s = SignedIn::new();
    let served = serve(&s, &[]);
    let state = format!("{}/api/state", served.origin);
    // No cookie yet: the page and its API are closed.
    assert_eq!(raw("GET", &format!("{}/", served.origin), &[], None).0, 403);
    assert_eq!(raw("GET", &state, &[], None).0, 403);
    // A wrong key opens nothing and does not use the right one up.
    let wrong = format!("{}/?key=00", served.origin);
    assert_eq!(raw("GET", &wrong, &[], None).0, 403);
    let cookie = open(&served);
    // The key works once.
    assert_eq!(raw("GET", &served.url, &[], None).0, 403);
    assert_eq!(raw("GET", &state, &[("cookie", &cookie)], None).0, 200);
    let host = served.origin.trim_start_matches("http://");
    let port = host.rsplit(':').next().expect("port");
    // DNS rebinding: another name for the same socket.
    for foreign in [
        format!("evil.example:{port}"),
        format!("localhost:{port}"),
        "127.0.0.1".into(),
    ] {
        let (status, _, _) = raw(
            "GET",
            &state,
            &[("cookie", &cookie), ("host", &foreign)],
            None,
        );
        assert_eq!(status, 421, "Host {foreign}");
    }
    // Another site's script.
    let post = |headers: &[(&str, &str)], body: &str| {
        raw(
            "POST",
            &format!("{}/api/token", served.origin),
            headers,
            Some(body),
        )
        .0
    };
    let body = profile().to_string();
    let json_type = ("content-type", "application/json");
    assert_eq!(
        post(
            &[
                ("cookie", &cookie),
                ("origin", "https://evil.example"),
                json_type
            ],
            &body
        ),
        403
    );
    assert_eq!(
        post(&[("cookie", &cookie), json_type], &body),
        403,
        "no Origin"
    );
    assert_eq!(
        raw(
            "GET",
            &state,
            &[("cookie", &cookie), ("origin", "https://evil.example")],
            None
        )
        .0,
        403
    );
    // A form post (what a cross-site form can send) and a text/plain one.
    for kind in [
        "application/x-www-form-urlencoded",
        "text/plain",
        "multipart/form-data; boundary=x",
    ] {
        let status = post(
            &[
                ("cookie", &cookie),
                ("origin", &served.origin),
                ("content-type", kind),
            ],
            "env=emu&credential=default",
        );
        assert_eq!(status, 415, "{kind}");
    }
    // Without the cookie, even with the right Origin and type.
    assert_eq!(post(&[("origin", &served.origin), json_type], &body), 403);
    assert_eq!(
        post(
            &[
                ("cookie", "gtx_try_1=00"),
                ("origin", &served.origin),
                json_type
            ],
            &body
        ),
        403
    );
    // None of that minted or sent anything.
    assert!(crate::support::signed_in::api_calls(&s.emu).is_empty());

    // The page's own calls work; a target on another origin is refused as `gtx request`
    // refuses it (exit 3), and nothing is sent there or anywhere.
    let (status, v) = call(&served, &cookie, "/api/token", &profile());
    assert_eq!(status, 200, "{v}");
    for target in [
        "https://evil.example/api/v1/orders",
        "http://127.0.0.1:1/api/v1/orders",
    ] {
        let mut req = profile();
        req["method"] = "GET".into();
        req["path"] = target.into();
        let (status, v) = call(&served, &cookie, "/api/send", &req);
        assert_eq!(status, 400, "{v}");
        assert_eq!(v["exit_code"], 3, "{v}");
        assert!(
            v["error"]
                .as_str()
                .unwrap_or("")
                .contains("refusing to send the token"),
            "{v}"
        );
    }
    // Authorization is gtx's own, as with `gtx request -H`.
    let mut req = profile();
    req["method"] = "GET".into();
    req["path"] = "/api/v1/echo".into();
    req["headers"] = json!([["Authorization", "Bearer mine"]]);
    let (status, v) = call(&served, &cookie, "/api/send", &req);
    assert_eq!((status, v["exit_code"].clone()), (400, json!(2)), "{v}");
    assert!(crate::support::signed_in::api_calls(&s.emu).is_empty());
    // The page may load only its own embedded assets; data is never a document.
    let (status, h, html) = raw_headers(
        "GET",
        &format!("{}/", served.origin),
        &[("cookie", &cookie)],
        None,
    );
    assert_eq!(status, 200);
    let csp = h["content-security-policy"].to_str().expect("csp");
    assert!(
        csp.starts_with("default-src 'none'; script-src 'self'; style-src 'self'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe") && !csp.contains("http"), "{csp}");
    assert!(
        html.contains("src=\"/app.js\"") && !html.contains("http://") && !html.contains("https://")
    );
    let (_, h, _) = raw_headers("GET", &state, &[("cookie", &cookie)], None);
    assert!(
        h["content-security-policy"]
            .to_str()
            .expect("csp")
            .contains("sandbox")
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    drop(served);
}

#[test]
fn answers_are_shown_as_text_redirects_follow_request_and_binary_is_a_download() {
    let s = SignedIn::new();
    let served = serve(&s, &[]);
    let cookie = open(&served);
    let send = |method: &str, path: &str, body: &str| {
        let mut req = profile();
        req["method"] = method.into();
        req["path"] = path.into();
        req["body"] = body.into();
        call(&served, &cookie, "/api/send", &req)
    };
    let (status, v) = send("GET", "/api/v1/orders", "");
    assert_eq!(status, 401, "Send before Generate: {v}");
    assert!(
        v["error"]
            .as_str()
            .unwrap_or("")
            .contains("Generate token first")
    );
    let (status, token) = call(&served, &cookie, "/api/token", &profile());
    assert_eq!(status, 200, "{token}");
    assert_eq!(token["grant"], "client_credentials");
    assert_eq!(token["source"], "cache");
    assert!(
        token["expires_in"].as_i64().is_some_and(|e| e > 3000),
        "{token}"
    );
    assert!(!token.to_string().contains(&s.token));

    // JSON: pretty-printed for the page.
    let (_, v) = send("POST", "/api/v1/echo", r#"{"a":[1,2]}"#);
    assert_eq!(v["status"], 200, "{v}");
    assert_eq!(v["body"]["kind"], "json");
    let text = v["body"]["text"].as_str().unwrap_or("");
    assert!(text.contains("\n  \"method\": \"POST\""), "{text}");
    assert!(text.contains("[token removed by gtx]") && !text.contains(&s.token));
    // HTML stays text: the page puts it in as text, and gtx marks it so.
    let (_, v) = send("GET", "/api/v1/bytes/64?kind=text", "");
    assert_eq!(v["body"]["kind"], "text", "{v}");
    // Binary: a size and a download link that serves it as an attachment.
    let (_, v) = send("GET", "/api/v1/bytes/300?kind=binary", "");
    assert_eq!(v["body"]["kind"], "binary", "{v}");
    assert_eq!(v["body"]["size"], 300);
    assert!(v["body"].get("text").is_none());
    let link = format!(
        "{}{}",
        served.origin,
        v["body"]["download"].as_str().expect("link")
    );
    let (status, _, _) = raw("GET", &link, &[("cookie", &cookie)], None);
    assert_eq!(status, 200);
    assert_eq!(
        raw("GET", &link, &[], None).0,
        403,
        "the download needs the cookie too"
    );
    // Redirects as `gtx request` follows them: on the origin, with the token.
    let (_, v) = send("GET", "/api/v1/redirect?to=/api/v1/orders", "");
    assert_eq!(v["status"], 200, "{v}");
    assert!(
        v["final_url"]
            .as_str()
            .unwrap_or("")
            .ends_with("/api/v1/orders"),
        "{v}"
    );
    // An error status is an answer, shown with its body.
    let (status, v) = send("GET", "/api/v1/status/404", "");
    assert_eq!((status, v["status"].clone()), (200, json!(404)), "{v}");

    // Clear: the page forgets; the stored token stays until asked.
    let (status, _) = call(&served, &cookie, "/api/forget", &json!({}));
    assert_eq!(status, 200);
    assert_eq!(send("GET", "/api/v1/orders", "").0, 401);
    let before = std::fs::read_to_string(s.sb.credentials_path()).expect("store");
    assert!(before.contains("access_token"));
    let (status, v) = call(&served, &cookie, "/api/clear-stored", &profile());
    assert_eq!(status, 200, "{v}");
    let after = std::fs::read_to_string(s.sb.credentials_path()).expect("store");
    assert!(
        !after.contains("access_token") && after.contains("client_secret"),
        "{after}"
    );
    // Ctrl-C still ends it after requests (their network client hands SIGINT back).
    let (code, stderr) = stop(served);
    assert_eq!(code, Some(130), "{stderr}");
    s.assert_no_token(&stderr);
}

/// Ctrl-C: exit 130; returns the status and stderr.
fn stop(served: Served) -> (Option<i32>, String) {
    // SAFETY: kill(2) on the child gtx this test started.
    unsafe { libc::kill(served.running.child.id() as libc::pid_t, libc::SIGINT) };
    let (status, stderr) = served.running.finish(Duration::from_secs(10));
    (status.code(), stderr)
}

#[test]
fn a_fixed_port_serves_there_and_ctrl_c_frees_it() {
    let s = SignedIn::new();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let served = serve(&s, &["--port", &port.to_string()]);
    assert!(
        served
            .url
            .starts_with(&format!("http://127.0.0.1:{port}/?key=")),
        "{}",
        served.url
    );
    // Taken: exit 3 with the port named.
    let out =
        s.sb.gtx()
            .args(["try", "--no-browser", "--port", &port.to_string()])
            .output()
            .expect("run");
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains(&format!("127.0.0.1:{port}")));
    assert!(stdout_of(&out).is_empty());
    let (code, _) = stop(served);
    assert_eq!(code, Some(130));
    assert!(
        std::net::TcpListener::bind(("127.0.0.1", port)).is_ok(),
        "port freed"
    );
}

#[test]
fn an_unknown_environment_fails_before_serving() {
    let s = SignedIn::new();
    let out =
        s.sb.gtx()
            .args(["try", "--no-browser", "--env", "nope"])
            .output()
            .expect("run");
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
}

/// The emulator's orders API described in OpenAPI 3.0, indexed with `gtx api sync`.
fn with_index(s: &SignedIn) {
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "Emulator", "version": "1"},
        "paths": {
            "/api/v1/orders": {
                "get": {
                    "operationId": "listOrders", "tags": ["orders"], "summary": "List orders",
                    "parameters": [{"name": "status", "in": "query",
                        "schema": {"type": "string", "enum": ["pending", "fulfilled"]}}],
                    "responses": {"200": {"description": "the orders"}}
                },
                "post": {
                    "operationId": "createOrder", "tags": ["orders"], "summary": "Create an order",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {
                        "type": "object", "required": ["currency", "amount"],
                        "properties": {
                            "currency": {"type": "string", "example": "USD"},
                            "amount": {"type": "number", "example": 25}
                        }
                    }}}},
                    "responses": {"201": {"description": "created"}}
                }
            },
            "/api/v1/orders/{id}": {
                "get": {
                    "operationId": "getOrder", "tags": ["orders"], "summary": "Get one order",
                    "parameters": [{"name": "id", "in": "path", "required": true,
                        "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "the order"}}
                }
            },
            "/api/v1/echo": {
                "get": {
                    "operationId": "echo", "tags": ["diagnostics"], "summary": "Echo the request",
                    "responses": {"200": {"description": "the request"}}
                }
            }
        }
    });
    let file = s.sb.path().join("openapi.json");
    std::fs::write(&file, doc.to_string()).expect("write document");
    s.sb.gtx()
        .args(["env", "set", "emu", "openapi_url", &file.to_string_lossy()])
        .assert()
        .success();
    let out =
        s.sb.gtx()
            .args(["api", "sync", "--env", "emu"])
            .output()
            .expect("sync");
    assert!(out.status.success(), "{}", stderr_of(&out));
}

#[test]
fn the_endpoint_list_comes_from_the_index_with_its_form_example_and_checks() {
    let s = SignedIn::new();
    let served = serve(&s, &[]);
    let cookie = open(&served);
    let ops = format!("{}/api/operations?env=emu", served.origin);
    // No index yet: the hint to make one.
    let (status, _, text) = raw("GET", &ops, &[("cookie", &cookie)], None);
    assert_eq!(status, 200, "{text}");
    let v: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(v["operations"], json!([]));
    assert!(
        v["hint"]
            .as_str()
            .unwrap_or("")
            .contains("gtx api sync --env emu"),
        "{v}"
    );

    with_index(&s);
    let (_, _, text) = raw("GET", &ops, &[("cookie", &cookie)], None);
    let v: Value = serde_json::from_str(&text).expect("json");
    let ids: Vec<&str> = v["operations"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|o| o["id"].as_str())
        .collect();
    assert_eq!(ids.len(), 4, "{v}");
    assert!(ids.contains(&"getOrder") && ids.contains(&"echo"));
    let get = v["operations"]
        .as_array()
        .expect("list")
        .iter()
        .find(|o| o["id"] == "getOrder")
        .expect("getOrder")
        .clone();
    assert_eq!(get["tags"], json!(["orders"]));

    let (status, list) = call(
        &served,
        &cookie,
        "/api/operation",
        &json!({"env": "emu", "id": "listOrders"}),
    );
    assert_eq!(status, 200, "{list}");
    assert_eq!(
        list["parameters"][0]["enum"],
        json!(["pending", "fulfilled"])
    );
    assert_eq!(list["parameters"][0]["required"], false);
    let (_, create) = call(
        &served,
        &cookie,
        "/api/operation",
        &json!({"env": "emu", "id": "createOrder"}),
    );
    let example = create["body"]["example"].as_str().expect("example");
    let example: Value = serde_json::from_str(example).expect("example is JSON");
    assert_eq!(example, json!({"currency": "USD", "amount": 25}));
    let (_, one) = call(
        &served,
        &cookie,
        "/api/operation",
        &json!({"env": "emu", "id": "getOrder"}),
    );
    assert_eq!(one["parameters"][0]["required"], true);
    assert_eq!(one["path"], "/api/v1/orders/{id}");

    // Send an operation: its parameters fill the path, and the document's checks run first.
    assert_eq!(call(&served, &cookie, "/api/token", &profile()).0, 200);
    let mut req = profile();
    req["method"] = "GET".into();
    req["path"] = "/api/v1/orders/{id}".into();
    req["operation"] = "getOrder".into();
    req["params"] = json!({"id": "ord_1001"});
    let (status, v) = call(&served, &cookie, "/api/send", &req);
    assert_eq!((status, v["status"].clone()), (200, json!(200)), "{v}");
    assert!(
        v["url"]
            .as_str()
            .unwrap_or("")
            .ends_with("/api/v1/orders/ord_1001"),
        "{v}"
    );
    // A required parameter left out, an enum broken, a body missing a required field:
    // refused with the checks listed, nothing sent.
    let before = crate::support::signed_in::api_calls(&s.emu).len();
    req["params"] = json!({});
    let (status, v) = call(&served, &cookie, "/api/send", &req);
    assert_eq!(status, 400, "{v}");
    assert!(
        v["error"].as_str().unwrap_or("").contains("required"),
        "{v}"
    );
    let mut bad = profile();
    bad["method"] = "POST".into();
    bad["path"] = "/api/v1/orders".into();
    bad["operation"] = "createOrder".into();
    bad["body"] = r#"{"currency":"USD"}"#.into();
    let (status, v) = call(&served, &cookie, "/api/send", &bad);
    assert_eq!(status, 400, "{v}");
    assert!(v["error"].as_str().unwrap_or("").contains("amount"), "{v}");
    let mut wrong = profile();
    wrong["method"] = "GET".into();
    wrong["path"] = "/api/v1/orders".into();
    wrong["operation"] = "listOrders".into();
    wrong["params"] = json!({"status": "lost"});
    let (status, v) = call(&served, &cookie, "/api/send", &wrong);
    assert_eq!(status, 400, "{v}");
    assert_eq!(
        crate::support::signed_in::api_calls(&s.emu).len(),
        before,
        "nothing sent"
    );
    drop(served);
}

/// The values of the store's secret-bearing fields, wherever they sit in the document.
fn stored_secrets(v: &serde_json::Value) -> Vec<String> {
    const SECRET_FIELDS: [&str; 4] = ["access_token", "refresh_token", "client_secret", "dpop_key"];
    let mut out = Vec::new();
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                match v.as_str() {
                    Some(s) if SECRET_FIELDS.contains(&k.as_str()) && !s.is_empty() => {
                        out.push(s.to_string())
                    }
                    _ => out.extend(stored_secrets(v)),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| out.extend(stored_secrets(i))),
        _ => {}
    }
    out
}

#[test]
fn a_client_that_never_finishes_its_headers_is_dropped() {
    use std::io::{Read, Write};
    let s = SignedIn::new();
    let served = serve(&s, &[]);
    let addr = served.origin.trim_start_matches("http://").to_string();
    // Slowloris: a request line and one header, then silence.
    let mut slow = std::net::TcpStream::connect(&addr).expect("connect");
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .expect("write");
    slow.set_read_timeout(Some(Duration::from_secs(25)))
        .expect("timeout");
    let started = std::time::Instant::now();
    let mut buf = [0u8; 512];
    let read = slow.read(&mut buf);
    let waited = started.elapsed();
    assert!(
        read.is_ok() && waited < Duration::from_secs(20),
        "the connection was still held after {waited:?}: {read:?}"
    );
    // The page still answers others.
    let (status, _, _) = raw("GET", &served.url, &[], None);
    assert_eq!(status, 303, "the page answers after the slow client");
    stop(served);
}

/// The header timeout does not cover the body: a page call whose body trickles in (or
/// never reaches its Content-Length) must not hold the connection either (docs/try.md).
#[test]
fn a_client_that_trickles_its_body_is_dropped() {
    let s = SignedIn::new();
    let served = serve(&s, &[]);
    let cookie = open(&served);
    let host = served.origin.trim_start_matches("http://").to_string();
    let give_up = Duration::from_secs(30);
    // Past the gate (cookie, Origin, JSON): the server reads the body.
    let head = format!(
        "POST /api/token HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\nOrigin: {}\r\nContent-Type: application/json",
        served.origin
    );
    let dropped = crate::support::trickle::body(&host, &head, give_up);
    assert!(
        dropped.closed && dropped.after < Duration::from_secs(20),
        "the connection was still held after {:?}: {}",
        dropped.after,
        dropped.answer
    );
    assert!(
        dropped.answer.starts_with("HTTP/1.1 408"),
        "{}",
        dropped.answer
    );
    // Refused at the gate: the body is never waited for.
    let head =
        format!("POST /api/token HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json");
    let dropped = crate::support::trickle::body(&host, &head, give_up);
    assert!(
        dropped.closed && dropped.after < Duration::from_secs(5),
        "a refused call held the connection for {:?}: {}",
        dropped.after,
        dropped.answer
    );
    assert!(
        dropped.answer.starts_with("HTTP/1.1 403"),
        "{}",
        dropped.answer
    );
    let (status, _) = call(&served, &cookie, "/api/forget", &json!({}));
    assert_eq!(status, 200, "the page answers after the slow client");
    stop(served);
}

/// Whether `text` holds `token` in any form a hostile API might have echoed it in:
/// as is, percent-encoded, hex, or inside any run of base64 (either alphabet).
fn holds_token(text: &str, token: &str) -> bool {
    use base64::Engine;
    let hex: String = token.bytes().map(|b| format!("{b:02x}")).collect();
    let decoded = percent_decode(text);
    if text.contains(token) || decoded.contains(token) || text.to_lowercase().contains(&hex) {
        return true;
    }
    let digits = |c: char| c.is_ascii_alphanumeric() || "+/-_".contains(c);
    let joined = text
        .replace("\r", "")
        .replace("\n", "")
        .replace(['\r', '\n'], "");
    joined.split(|c: char| !digits(c)).any(|run| {
        let run = run.replace('-', "+").replace('_', "/");
        (0..4).any(|skip| {
            let part = run.get(skip..).unwrap_or("");
            let part = &part[..part.len() / 4 * 4];
            base64::engine::general_purpose::STANDARD
                .decode(part)
                .is_ok_and(|b| String::from_utf8_lossy(&b).contains(token))
        })
    })
}

fn percent_decode(text: &str) -> String {
    url::form_urlencoded::parse(
        format!("x={}", text.replace('&', "%26").replace('+', "%2B")).as_bytes(),
    )
    .map(|(_, v)| v.into_owned())
    .collect()
}

/// A hostile API echoes the request's Authorization back encoded (base64, percent, `\u`
/// escapes, hex), as a header name, and into the path of a same-origin redirect: no form
/// of the token reaches the page (docs/try.md).
#[test]
fn no_encoding_of_an_echoed_token_reaches_the_page() {
    const TOKEN: &str = "at-echoed.0123456789_abcdefghij";
    let canned = crate::support::canned::Canned::start();
    canned.json(
        "/token",
        200,
        &format!(r#"{{"access_token":"{TOKEN}","token_type":"Bearer","expires_in":3600}}"#),
    );
    canned.echo("/api/echo");
    canned.echo(&format!("/landing/{TOKEN}"));
    canned.redirect("/api/hop", 302, &format!("/landing/{TOKEN}"));
    let sb = crate::support::Sandbox::new();
    let out = sb
        .gtx()
        .args(["env", "add", "corp", "--api-base", &canned.base_url])
        .args(["--token-url", "/token"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let out = sb
        .gtx()
        .args(["login", "--env", "corp", "--client-credentials"])
        .args(["--client-id", "hostile-client", "--client-secret-stdin"])
        .write_stdin("hostile-secret\n")
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let served = serve_in(&sb, &["--env", "corp"]);
    let cookie = open(&served);
    let who = json!({"env": "corp", "credential": "default"});
    let (status, v) = call(&served, &cookie, "/api/token", &who);
    assert_eq!(status, 200, "{v}");
    // The echo itself shows every form.
    let (_, body) = crate::support::canned::echoed(&format!("Bearer {TOKEN}"));
    assert!(
        holds_token(&body, TOKEN),
        "the checker finds the echoed forms"
    );
    for path in ["/api/echo", "/api/hop"] {
        let mut req = who.clone();
        req["method"] = "GET".into();
        req["path"] = path.into();
        let (status, v) = call(&served, &cookie, "/api/send", &req);
        assert_eq!((status, v["status"].clone()), (200, json!(200)), "{v}");
        let shown = v.to_string();
        assert!(shown.contains("[token removed by gtx]"), "{shown}");
        assert!(
            !holds_token(&shown, TOKEN),
            "{path}: the token reached the page: {shown}"
        );
        for s in [
            v["body"]["text"].as_str().unwrap_or(""),
            v["final_url"].as_str().unwrap_or(""),
        ] {
            assert!(!holds_token(s, TOKEN), "{path}: {s}");
        }
    }
    stop(served);
}

/// Server text the page shows in an error (a token endpoint's `error_description`, the URL a
/// refused redirect named) may echo a secret gtx sent, encoded: no form of the client secret
/// or the token reaches the page, and no control character either.
#[test]
fn errors_from_hostile_servers_hold_no_secret_in_any_form() {
    use base64::Engine;
    const TOKEN: &str = "at-echoed.0123456789_abcdefghij";
    const CLIENT: &str = "hostile-client";
    const SECRET: &str = "hostile-secret-0123456789";
    let canned = crate::support::canned::Canned::start();
    canned.json(
        "/token",
        200,
        &format!(r#"{{"access_token":"{TOKEN}","token_type":"Bearer","expires_in":3600}}"#),
    );
    let pct: String = TOKEN.bytes().map(|b| format!("%{b:02X}")).collect();
    let other = canned.base_url.replace("127.0.0.1", "localhost");
    canned.redirect("/api/moved", 307, &format!("{other}/landing/{pct}"));
    let sb = crate::support::Sandbox::new();
    let out = sb
        .gtx()
        .args(["env", "add", "corp", "--api-base", &canned.base_url])
        .args(["--token-url", "/token"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let out = sb
        .gtx()
        .args(["login", "--env", "corp", "--client-credentials"])
        .args(["--client-id", CLIENT, "--client-secret-stdin"])
        .write_stdin(format!("{SECRET}\n"))
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let served = serve_in(&sb, &["--env", "corp"]);
    let cookie = open(&served);
    let who = json!({"env": "corp", "credential": "default"});
    // A 307 of a POST to another origin is refused, naming where it pointed.
    let mut req = who.clone();
    req["method"] = "POST".into();
    req["path"] = "/api/moved".into();
    req["body"] = "{}".into();
    let (status, v) = call(&served, &cookie, "/api/token", &who);
    assert_eq!(status, 200, "{v}");
    let (_, sent) = call(&served, &cookie, "/api/send", &req);
    assert_eq!(sent["exit_code"], 3, "{sent}");
    // The next Generate mints (the session is gone, the client stays), and is refused.
    let out = sb
        .gtx()
        .args(["token", "clear", "--env", "corp"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT}:{SECRET}"));
    let spct: String = SECRET.bytes().map(|b| format!("%{b:02x}")).collect();
    let shex: String = SECRET.bytes().map(|b| format!("{b:02x}")).collect();
    canned.json(
        "/token",
        400,
        &format!(
            r#"{{"error":"invalid_client","error_description":"Basic {basic} \u001b[31m or {spct} or {shex}"}}"#
        ),
    );
    let (status, v) = call(&served, &cookie, "/api/token", &who);
    assert_eq!(status, 403, "{v}");
    for (what, shown) in [("generate", v.to_string()), ("send", sent.to_string())] {
        assert!(
            !holds_token(&shown, SECRET),
            "{what}: the client secret reached the page: {shown}"
        );
        assert!(
            !holds_token(&shown, TOKEN),
            "{what}: the token reached the page: {shown}"
        );
        assert!(!shown.contains("\\u001b"), "{what}: {shown}");
    }
    stop(served);
}

/// The file store's path is a FIFO or a directory: the page still serves, and says what is
/// wrong (exit 7, a store failure) instead of hanging on the FIFO or failing obscurely.
#[cfg(unix)]
#[test]
fn a_store_path_that_is_a_fifo_or_a_directory_is_a_clear_error() {
    let canned = crate::support::canned::Canned::start();
    for kind in ["fifo", "directory"] {
        let sb = crate::support::Sandbox::new();
        let out = sb
            .gtx()
            .args(["env", "add", "corp", "--api-base", &canned.base_url])
            .args(["--token-url", "/token"])
            .output()
            .expect("run");
        assert!(out.status.success(), "{}", stderr_of(&out));
        let path = sb.credentials_path();
        std::fs::create_dir_all(path.parent().expect("parent")).expect("data dir");
        if kind == "fifo" {
            let c = std::ffi::CString::new(path.to_string_lossy().as_bytes()).expect("path");
            // SAFETY: mkfifo(3) on a NUL-terminated path this test owns.
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
        } else {
            std::fs::create_dir(&path).expect("mkdir");
        }
        let served = serve_in(&sb, &["--env", "corp"]);
        let cookie = open(&served);
        let (tx, rx) = std::sync::mpsc::channel();
        let state = format!("{}/api/state", served.origin);
        let (origin, c) = (served.origin.clone(), cookie.clone());
        std::thread::spawn(move || {
            let state = raw("GET", &state, &[("cookie", &c)], None);
            let who = json!({"env": "corp", "credential": "default"}).to_string();
            let token = raw(
                "POST",
                &format!("{origin}/api/token"),
                &[
                    ("cookie", &c),
                    ("origin", &origin),
                    ("content-type", "application/json"),
                ],
                Some(&who),
            );
            let _ = tx.send((state, token));
        });
        let ((status, _, body), (t_status, _, t_body)) = rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("{kind}: the page hung on the store"));
        assert_eq!(status, 200, "{kind}: {body}");
        let state: Value = serde_json::from_str(&body).expect("JSON");
        assert!(state["store_error"].is_string(), "{kind}: {state}");
        let token: Value = serde_json::from_str(&t_body).expect("JSON");
        assert_eq!(token["exit_code"], 7, "{kind}: {t_status} {token}");
        stop(served);
    }
}

/// `GTX_CONFIG` naming a FIFO or a directory: `gtx try` fails at once with exit 3, naming
/// it, before it serves anything.
#[cfg(unix)]
#[test]
fn a_config_path_that_is_a_fifo_or_a_directory_fails_before_serving() {
    let sb = crate::support::Sandbox::new();
    let fifo = sb.path().join("config.fifo");
    let c = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).expect("path");
    // SAFETY: mkfifo(3) on a NUL-terminated path this test owns.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
    let dir = sb.path().join("config.dir");
    std::fs::create_dir(&dir).expect("mkdir");
    for path in [fifo, dir] {
        let out = sb
            .gtx()
            .env("GTX_CONFIG", &path)
            .args(["try", "--no-browser"])
            .timeout(Duration::from_secs(20))
            .output()
            .expect("run");
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(3), "{}: {err}", path.display());
        assert!(err.contains("not a regular file"), "{err}");
        assert!(stdout_of(&out).is_empty(), "nothing served");
    }
}

/// A connection kept alive after its answer and then left idle is closed by the header
/// timeout too: idle connections cannot pile up until the page runs out of descriptors.
#[test]
fn an_idle_kept_alive_connection_is_closed() {
    use std::io::{Read, Write};
    let s = SignedIn::new();
    let served = serve(&s, &[]);
    let host = served.origin.trim_start_matches("http://").to_string();
    let mut conn = std::net::TcpStream::connect(&host).expect("connect");
    conn.write_all(format!("GET /favicon.ico HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes())
        .expect("write");
    conn.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let mut buf = [0u8; 4096];
    let n = conn.read(&mut buf).expect("the answer");
    assert!(
        buf[..n].starts_with(b"HTTP/1.1 403"),
        "{:?}",
        String::from_utf8_lossy(&buf[..n])
    );
    let started = std::time::Instant::now();
    let rest = conn.read(&mut buf);
    assert!(
        matches!(rest, Ok(0)) && started.elapsed() < Duration::from_secs(20),
        "the idle connection was still open after {:?}: {rest:?}",
        started.elapsed()
    );
    stop(served);
}
