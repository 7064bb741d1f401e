//! `gtx api` and `gtx request OPERATION` against hostile documents and a damaged index:
//! amplifying or endlessly nested documents, `$ref`s reaching out of the document's folder,
//! and index files whose lengths lie or that are not files at all. Each must end in a clear
//! error (or a usable index) within seconds, never a crash, a hang, or memory exhaustion.

use crate::support::{Sandbox, stderr_of, stdout_of};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const QUICK: Duration = Duration::from_secs(30);

/// A sandbox whose environment `local` reads `doc` (written under the sandbox).
fn with_document(name: &str, doc: &[u8]) -> (Sandbox, PathBuf) {
    let sb = Sandbox::new();
    let dir = sb.path().join("spec");
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join(name);
    std::fs::write(&file, doc).expect("write");
    sb.gtx()
        .args([
            "env",
            "add",
            "local",
            "--api-base",
            "https://api.example.com",
        ])
        .args(["--openapi-url", &format!("file://{}", file.display())])
        .assert()
        .success();
    sb.gtx().args(["env", "use", "local"]).assert().success();
    (sb, file)
}

fn index_of(sb: &Sandbox) -> PathBuf {
    sb.path().join(".cache/gtx/openapi/local.index")
}

fn sync(sb: &Sandbox) -> std::process::Output {
    let started = Instant::now();
    let out = sb
        .gtx()
        .args(["api", "sync"])
        .timeout(QUICK)
        .output()
        .expect("run");
    assert!(
        started.elapsed() < QUICK,
        "api sync hung: {}",
        stderr_of(&out)
    );
    out
}

fn no_crash(out: &std::process::Output) {
    let err = stderr_of(out);
    assert!(
        !err.contains("internal error")
            && !err.contains("panicked")
            && !err.contains("memory allocation"),
        "{err}"
    );
    assert!(out.status.code().is_some(), "killed by a signal: {err}");
}

fn doc_with(paths: serde_json::Value, schemas: serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "openapi": "3.1.0",
        "info": {"title": "hostile", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }))
    .expect("json")
}

fn post_with_body(id: &str, schema: &str) -> serde_json::Value {
    serde_json::json!({"post": {"operationId": id, "responses": {},
        "requestBody": {"content": {"application/json": {"schema": {"$ref": schema}}}}}})
}

#[test]
fn a_damaged_index_is_refused_with_the_fix_never_a_crash() {
    let (sb, _) = with_document(
        "a.json",
        &doc_with(
            serde_json::json!({"/a": post_with_body("make", "#/components/schemas/A")}),
            serde_json::json!({"A": {"type": "object"}}),
        ),
    );
    assert!(sync(&sb).status.success());
    let index = index_of(&sb);
    let good = std::fs::read(&index).expect("index");
    let nl = good.iter().position(|b| *b == b'\n').expect("meta line");
    let meta: serde_json::Value = serde_json::from_slice(&good[..nl]).expect("meta");
    let listing_len = meta["listing_len"].as_u64().expect("listing_len") as usize;
    let listing = std::str::from_utf8(&good[nl + 1..nl + 1 + listing_len]).expect("utf-8");
    let with_meta = |key: &str, value: u64| {
        let mut m = meta.clone();
        m[key] = value.into();
        let mut out = serde_json::to_vec(&m).expect("json");
        out.extend_from_slice(&good[nl..]);
        out
    };
    let long_detail = {
        let line = listing.lines().next().expect("a line");
        let cut = line.rsplit_once('\t').expect("fields").0;
        let forged = format!("{cut}\t99999999999999\n");
        let mut m = meta.clone();
        m["listing_len"] = (forged.len() as u64).into();
        let mut out = serde_json::to_vec(&m).expect("json");
        out.push(b'\n');
        out.extend_from_slice(forged.as_bytes());
        out.extend_from_slice(&good[nl + 1 + listing_len..]);
        out
    };
    let cases: [(&str, Vec<u8>); 4] = [
        ("listing_len", with_meta("listing_len", 1 << 60)),
        ("count", with_meta("count", 1 << 60)),
        ("a detail's length", long_detail),
        ("truncated", good[..good.len() - 20].to_vec()),
    ];
    for (what, bytes) in cases {
        std::fs::write(&index, &bytes).expect("write");
        for args in [
            &["api", "list"][..],
            &["api", "show", "make"],
            &["request", "make", "--dry-run", "--no-check"],
        ] {
            let out = sb.gtx().args(args).timeout(QUICK).output().expect("run");
            no_crash(&out);
            let err = stderr_of(&out);
            if what == "count" {
                // The listing itself is whole: it still serves.
                assert!(out.status.success(), "{what} {args:?}: {err}");
                continue;
            }
            if args[0] == "request" && out.status.success() {
                continue; // an unusable index is passed over for a plain request
            }
            assert_eq!(out.status.code(), Some(3), "{what} {args:?}: {err}");
            assert!(
                err.contains("damaged") && err.contains("api sync"),
                "{what}: {err}"
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_folder_at_the_index_path_never_blocks() {
    let (sb, _) = with_document(
        "a.json",
        &doc_with(
            serde_json::json!({"/a": post_with_body("make", "#/components/schemas/A")}),
            serde_json::json!({"A": {"type": "object"}}),
        ),
    );
    assert!(sync(&sb).status.success());
    let index = index_of(&sb);
    std::fs::remove_file(&index).expect("rm");
    let made = std::process::Command::new("mkfifo")
        .arg(&index)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let out = sb
        .gtx()
        .args(["api", "list"])
        .timeout(Duration::from_secs(10))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("not a regular file"),
        "{}",
        stderr_of(&out)
    );
    let out = sb
        .gtx()
        .args(["request", "make", "--dry-run", "--no-check"])
        .timeout(Duration::from_secs(10))
        .output()
        .expect("run");
    no_crash(&out);
    // Sync replaces what is there with a good index.
    assert!(sync(&sb).status.success(), "sync over a FIFO");
    assert!(index.is_file());
    let out = sb.gtx().args(["api", "list"]).output().expect("run");
    assert!(stdout_of(&out).contains("make"), "{}", stderr_of(&out));
}

/// The tail of every hostile document: it synced (or failed with a reason) in time, and what
/// it left can be read back by `api show` and used by `request --dry-run`.
fn synced_and_usable(sb: &Sandbox, id: &str) {
    let out = sync(sb);
    no_crash(&out);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let size = std::fs::metadata(index_of(sb)).expect("index").len();
    assert!(size < 64 << 20, "the index grew to {size} bytes");
    let out = sb
        .gtx()
        .args(["api", "show", id, "--json"])
        .timeout(QUICK)
        .output()
        .expect("run");
    no_crash(&out);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let out = sb
        .gtx()
        .args(["request", id, "-d", "{}", "--dry-run"])
        .timeout(QUICK)
        .output()
        .expect("run");
    no_crash(&out);
}

#[test]
fn refs_that_multiply_a_large_schema_stay_within_bounds() {
    // One schema holding a 1 MB example, named 2,000 times by one body, and a 30,000-property
    // schema shared by 3,000 operations: inlined whole they would need gigabytes.
    let big = serde_json::json!({"type": "object", "example": vec!["x".repeat(100); 10_000]});
    let props: serde_json::Map<String, serde_json::Value> = (0..2_000)
        .map(|i| {
            (
                format!("p{i}"),
                serde_json::json!({"$ref": "#/components/schemas/Big"}),
            )
        })
        .collect();
    let wide: serde_json::Map<String, serde_json::Value> = (0..30_000)
        .map(|i| (format!("k{i}"), serde_json::json!({"type": "string"})))
        .collect();
    let mut paths = serde_json::Map::new();
    paths.insert(
        "/amp".into(),
        serde_json::json!({"post": {"operationId": "amp", "responses": {},
            "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": props}}}}}}),
    );
    for i in 0..3_000 {
        paths.insert(
            format!("/w{i}"),
            post_with_body(&format!("wide{i}"), "#/components/schemas/Wide"),
        );
    }
    let (sb, _) = with_document(
        "amp.json",
        &doc_with(
            paths.into(),
            serde_json::json!({"Big": big, "Wide": {"type": "object", "properties": wide}}),
        ),
    );
    synced_and_usable(&sb, "amp");
}

#[test]
fn schemas_nested_thousands_deep_never_overflow_the_stack() {
    let n = 3_000;
    let mut schemas = serde_json::Map::new();
    for i in 0..n {
        schemas.insert(
            format!("S{i}"),
            serde_json::json!({"type": "object", "properties": {"n": {"$ref": format!("#/components/schemas/S{}", i + 1)}}}),
        );
    }
    schemas.insert(format!("S{n}"), serde_json::json!({"type": "string"}));
    let (sb, _) = with_document(
        "deep.json",
        &doc_with(
            serde_json::json!({"/deep": post_with_body("deep", "#/components/schemas/S0")}),
            schemas.into(),
        ),
    );
    synced_and_usable(&sb, "deep");
}

#[test]
fn a_long_chain_of_refs_is_refused_quickly() {
    let n = 100_000;
    let mut schemas = serde_json::Map::new();
    for i in 0..n {
        schemas.insert(
            format!("R{i}"),
            serde_json::json!({"$ref": format!("#/components/schemas/R{}", i + 1)}),
        );
    }
    schemas.insert(format!("R{n}"), serde_json::json!({"type": "string"}));
    let (sb, _) = with_document(
        "chain.json",
        &doc_with(
            serde_json::json!({"/c": post_with_body("chain", "#/components/schemas/R0")}),
            schemas.into(),
        ),
    );
    let out = sync(&sb);
    no_crash(&out);
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("$ref chain"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn yaml_nested_past_any_api_is_refused_quickly() {
    let depth = 30_000;
    let doc = format!(
        "openapi: 3.1.0\npaths: {{}}\nx-deep: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let (sb, _) = with_document("nest.yaml", doc.as_bytes());
    let out = sync(&sb);
    no_crash(&out);
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("nested"), "{}", stderr_of(&out));
}

#[test]
fn refs_never_read_files_outside_the_documents_folder() {
    let (sb, spec) = with_document("placeholder.json", b"{}");
    let outside = sb.path().join("secret.yaml");
    std::fs::write(&outside, "Secret: {type: string, example: hunter2}\n").expect("write");
    std::fs::create_dir_all(spec.parent().expect("dir").join("sub")).expect("dir");
    for reference in [
        "../secret.yaml#/Secret".to_string(),
        format!("{}#/Secret", outside.display()),
        "sub/../../secret.yaml#/Secret".to_string(),
        "/etc/passwd".to_string(),
        "file:///etc/passwd".to_string(),
        "http://169.254.169.254/latest/meta-data#/x".to_string(),
        "/dev/zero".to_string(),
    ] {
        let doc = doc_with(
            serde_json::json!({"/a": post_with_body("leak", &reference)}),
            serde_json::json!({}),
        );
        std::fs::write(&spec, &doc).expect("write");
        let out = sync(&sb);
        no_crash(&out);
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(3), "{reference}: {err}");
        assert!(
            err.contains("outside the document's folder")
                || err.contains("does not fetch other documents"),
            "{reference}: {err}"
        );
        assert!(!err.contains("hunter2"), "{err}");
    }
    // Files in the document's folder and below are still read.
    std::fs::create_dir_all(spec.parent().expect("dir").join("schemas")).expect("dir");
    std::fs::write(
        spec.parent().expect("dir").join("schemas/ok.yaml"),
        "Ok: {type: object, required: [n]}\n",
    )
    .expect("write");
    let doc = doc_with(
        serde_json::json!({"/a": post_with_body("fine", "schemas/ok.yaml#/Ok")}),
        serde_json::json!({}),
    );
    std::fs::write(&spec, &doc).expect("write");
    let out = sync(&sb);
    assert!(out.status.success(), "{}", stderr_of(&out));
}

fn steers(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A document whose strings try to steer the terminal or the shell.
fn steering_document() -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "openapi": "3.1.0",
        "info": {"title": "t\u{1b}]8;;https://evil.example\u{7}x", "version": "1"},
        "paths": {
            "/ok/{id}": {"get": {"operationId": "fine", "summary": "sum\u{1b}[2Jmary\u{202e}",
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string", "enum": ["a", "b\u{1b}[1A", "c\u{8}\u{8}"]}},
                    {"name": "q\u{1b}[31m", "in": "query", "schema": {"type": "string"}}
                ],
                "responses": {}}},
            "/x\u{1b}[2K/{id}": {"get": {"operationId": "evil\u{1b}[8m;rm -rf ~", "responses": {}}},
            "/y": {"get": {"operationId": "bidi\u{202e}txt.exe", "responses": {}}}
        }
    }))
    .expect("json")
}

#[test]
fn completion_never_offers_what_would_steer_the_terminal() {
    let (sb, _) = with_document("steer.json", &steering_document());
    assert!(sync(&sb).status.success());
    let complete = |words: &[&str]| {
        let out = sb
            .gtx()
            .env("COMPLETE", "fish")
            .arg("--")
            .args(words)
            .output()
            .expect("run");
        assert!(out.status.success(), "{}", stderr_of(&out));
        stdout_of(&out)
    };
    for words in [
        &["gtx", "request", ""][..],
        &["gtx", "request", "GET", "/"],
        &["gtx", "api", "show", ""],
        &["gtx", "request", "fine", "-p", ""],
        &["gtx", "request", "fine", "-q", ""],
    ] {
        let got = complete(words);
        assert!(
            !got.chars().any(|c| c != '\n' && c != '\t' && steers(c)),
            "{words:?}: {got:?}"
        );
    }
    let ops = complete(&["gtx", "request", ""]);
    assert!(ops.contains("fine\t"), "{ops:?}");
    let params = complete(&["gtx", "request", "fine", "-p", ""]);
    assert!(params.contains("id=a"), "{params:?}");
}

#[test]
fn path_values_stay_inside_their_segment() {
    let doc = serde_json::json!({
        "openapi": "3.1.0",
        "paths": {
            "/orders/{id}": {"get": {"operationId": "getOrder", "responses": {}}},
            "/../../admin/{id}": {"get": {"operationId": "climb", "responses": {}}},
            "/a/%2e%2e/%2E%2E/b": {"get": {"operationId": "climbEncoded", "responses": {}}}
        }
    });
    let sb = Sandbox::new();
    let dir = sb.path().join("spec");
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("p.json");
    std::fs::write(&file, serde_json::to_vec(&doc).expect("json")).expect("write");
    sb.gtx()
        .args([
            "env",
            "add",
            "local",
            "--api-base",
            "https://api.example.com/tenants/a",
        ])
        .args(["--openapi-url", &format!("file://{}", file.display())])
        .assert()
        .success();
    sb.gtx().args(["env", "use", "local"]).assert().success();
    assert!(sync(&sb).status.success());
    let dry = |args: &[&str]| {
        sb.gtx()
            .args(["request"])
            .args(args)
            .args(["--dry-run", "--no-check"])
            .output()
            .expect("run")
    };
    for (value, sent) in [
        ("a/b", "/tenants/a/orders/a%2Fb"),
        ("?x=1#f", "/tenants/a/orders/%3Fx%3D1%23f"),
        ("%2F..", "/tenants/a/orders/%252F.."),
        ("{id}", "/tenants/a/orders/%7Bid%7D"),
        // Inside the segment: a server decoding once sees the value as given.
        ("%2e%2e", "/tenants/a/orders/%252e%252e"),
        ("a\nb\u{1b}[2J", "/tenants/a/orders/a%0Ab%1B%5B2J"),
    ] {
        let out = dry(&["getOrder", value]);
        let text = stdout_of(&out);
        assert!(out.status.success(), "{value}: {}", stderr_of(&out));
        assert!(
            text.contains(&format!("https://api.example.com{sent}")),
            "{value}: {text}"
        );
    }
    // Values that are, or decode to, a climb above api_base's path.
    for value in ["..", ".", "%2e%2e%2f%2e%2e%2f%2e%2e", "../../.."] {
        let out = dry(&["getOrder", value]);
        assert_eq!(out.status.code(), Some(2), "{value:?}: {}", stdout_of(&out));
    }
    for id in ["climb", "climbEncoded"] {
        let out = dry(&[id, "x"]);
        assert_eq!(out.status.code(), Some(2), "{id}: {}", stdout_of(&out));
        assert!(!stdout_of(&out).contains("admin"), "{}", stdout_of(&out));
    }
}

#[test]
fn odd_documents_fail_with_a_reason_or_index_whole() {
    let laughs = {
        let mut y = String::from(
            "openapi: 3.1.0\npaths: {}\nx-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
        );
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            let refs = vec![format!("*{prev}"); 10].join(", ");
            y.push_str(&format!("x-{name}: &{name} [{refs}]\n"));
        }
        y.into_bytes()
    };
    let mut bad_utf8 = br#"{"openapi": "3.1.0", "info": {"title": "x"#.to_vec();
    bad_utf8.extend_from_slice(b"\xff\xfe\"}, \"paths\": {}}");
    for (name, doc, why) in [
        ("laughs.yaml", laughs, "repetition limit exceeded"),
        ("bad.json", bad_utf8, "not valid JSON"),
        (
            "page.html",
            b"<!doctype html><html><body>Sign in</body></html>".to_vec(),
            "not an OpenAPI document",
        ),
    ] {
        let (sb, _) = with_document(name, &doc);
        let out = sync(&sb);
        no_crash(&out);
        assert_eq!(out.status.code(), Some(3), "{name}: {}", stderr_of(&out));
        assert!(stderr_of(&out).contains(why), "{name}: {}", stderr_of(&out));
    }
    // 50,000 operations, three of them sharing one id: every one listed, each id unique.
    let mut paths = serde_json::Map::new();
    for i in 0..50_000 {
        let id = if i < 3 {
            "same".to_string()
        } else {
            format!("op{i}")
        };
        paths.insert(
            format!("/p{i}"),
            serde_json::json!({"get": {"operationId": id, "responses": {}}}),
        );
    }
    let (sb, _) = with_document("many.json", &doc_with(paths.into(), serde_json::json!({})));
    assert!(sync(&sb).status.success());
    let out = sb
        .gtx()
        .args(["api", "list", "--json"])
        .output()
        .expect("run");
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let ops = list["operations"].as_array().expect("operations");
    assert_eq!(ops.len(), 50_000);
    let ids: std::collections::HashSet<&str> =
        ops.iter().filter_map(|o| o["id"].as_str()).collect();
    assert_eq!(ids.len(), 50_000);
    assert!(
        ids.contains("same-2") && ids.contains("same-3"),
        "suffixed duplicates"
    );
}

#[test]
fn readers_during_concurrent_syncs_see_a_whole_index() {
    let mut paths = serde_json::Map::new();
    for i in 0..2_000 {
        paths.insert(
            format!("/p{i}"),
            post_with_body(&format!("op{i}"), "#/components/schemas/A"),
        );
    }
    let (sb, _) = with_document(
        "c.json",
        &doc_with(
            paths.into(),
            serde_json::json!({"A": {"type": "object", "properties": {"a": {"type": "string"}}}}),
        ),
    );
    assert!(sync(&sb).status.success());
    let syncs: Vec<_> = (0..2)
        .map(|_| {
            let mut cmd = sb.std_gtx();
            cmd.args(["api", "sync"]);
            cmd.stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for _ in 0..5 {
        let out = sb
            .gtx()
            .args(["api", "show", "op1999", "--json"])
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "a reader during a sync: {}",
            stderr_of(&out)
        );
    }
    for s in syncs {
        let out = s.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = sb.gtx().args(["api", "list"]).output().expect("run");
    assert_eq!(stdout_of(&out).lines().count(), 2_000);
}

#[test]
fn list_and_show_escape_the_documents_strings_in_text_and_json() {
    let (sb, _) = with_document("steer.json", &steering_document());
    let out = sync(&sb);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let raw = |out: &std::process::Output| {
        let text = format!("{}{}", stdout_of(out), stderr_of(out));
        assert!(!text.chars().any(|c| c != '\n' && steers(c)), "{text:?}");
    };
    raw(&out);
    for args in [
        &["api", "list"][..],
        &["api", "show", "fine"],
        &["api", "show", "evil\u{1b}[8m;rm -rf ~"],
        &["api", "show", "nope\u{1b}[2J"],
    ] {
        raw(&sb.gtx().args(args).output().expect("run"));
    }
    let out = sb
        .gtx()
        .args(["api", "list", "--json"])
        .output()
        .expect("run");
    raw(&out);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let ids: Vec<&str> = list["operations"]
        .as_array()
        .expect("operations")
        .iter()
        .filter_map(|o| o["id"].as_str())
        .collect();
    assert!(
        ids.contains(&"evil\u{1b}[8m;rm -rf ~"),
        "the JSON keeps the id: {ids:?}"
    );
    let out = sb
        .gtx()
        .args(["api", "show", "fine", "--json"])
        .output()
        .expect("run");
    raw(&out);
    let op: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(op["summary"], "sum\u{1b}[2Jmary\u{202e}");
}
