//! `gtx api sync|list|show` and `gtx request OPERATION`: the emulator's own OpenAPI 3.1
//! document (found by its `Link: rel="service-desc"`), local fixtures in the three formats
//! (tests/fixtures/openapi), and the bad documents that must fail with the place, exit 3
//! (a local file) or 6 (a fetched one), and leave the last good index alone.

use crate::support::signed_in::{SignedIn, api_calls, recorded};
use crate::support::{Sandbox, stderr_of, stdout_of};
use serde_json::Value;
use std::path::PathBuf;

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/openapi")
        .join(name)
        .display()
        .to_string()
}

fn json_of(out: &std::process::Output) -> Value {
    assert!(out.status.success(), "{}", stderr_of(out));
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

/// A sandbox with environment `local` (nothing listens there) reading `file`.
fn local(file: &str) -> Sandbox {
    let sb = Sandbox::new();
    sb.gtx()
        .args([
            "env",
            "add",
            "local",
            "--api-base",
            "https://api.example.com",
        ])
        .args(["--openapi-url", &format!("file://{}", fixture(file))])
        .assert()
        .success();
    sb.gtx().args(["env", "use", "local"]).assert().success();
    sb
}

fn sync(sb: &Sandbox) -> Value {
    json_of(
        &sb.gtx()
            .args(["api", "sync", "--json"])
            .output()
            .expect("run"),
    )
}

fn synced(s: &SignedIn) {
    let out = s.run(s.cmd(&["api", "sync"]));
    assert!(out.status.success(), "{}", stderr_of(&out));
}

#[test]
fn sync_finds_the_emulators_document_by_its_link_and_revalidates() {
    let s = SignedIn::new();
    let first = json_of(&s.run(s.cmd(&["api", "sync", "--json"])));
    assert_eq!(first["spec"], "3.1.0");
    assert!(
        first["found_by"]
            .as_str()
            .unwrap_or("")
            .contains("service-desc"),
        "{first}"
    );
    assert!(first["operations"].as_u64().unwrap_or(0) >= 25, "{first}");
    assert_eq!(first["unchanged"], false);
    let again = json_of(&s.run(s.cmd(&["api", "sync", "--json"])));
    assert_eq!(again["unchanged"], true, "{again}");
    let fetches = recorded(&s.emu, "/openapi.json");
    assert_eq!(fetches.len(), 2);
    assert!(
        fetches[1]["headers"]["if-none-match"].is_string(),
        "{}",
        fetches[1]
    );
    // The document was public: the token never went with it.
    for f in &fetches {
        assert!(f["headers"]["authorization"].is_null(), "{f}");
    }
    // Every route the emulator has is in its document.
    let list = json_of(
        &s.sb
            .gtx()
            .args(["api", "list", "--json"])
            .output()
            .expect("run"),
    );
    let paths: Vec<&str> = list["operations"]
        .as_array()
        .expect("operations")
        .iter()
        .filter_map(|o| o["path"].as_str())
        .collect();
    for p in [
        "/oauth2/token",
        "/api/oauth/token",
        "/api/v1/auth/token",
        "/api/v1/orders/{id}",
        "/api/v1/echo",
        "/_emulator/stats",
        "/openapi.json",
    ] {
        assert!(paths.contains(&p), "{p} missing from {paths:?}");
    }
}

#[test]
fn without_a_link_the_usual_paths_are_tried_and_the_token_goes_only_when_asked() {
    let s = SignedIn::new();
    // api_base with a base path the emulator has no Link on: the usual paths under it.
    s.sb.gtx()
        .args([
            "env",
            "set",
            "emu",
            "api_base",
            &format!("{}/admin", s.emu.base_url),
        ])
        .assert()
        .success();
    // The token endpoint stays the emulator's; a session is bound to the api_base it was
    // issued for (docs/trust.md), so the profile mints anew under the new settings.
    let token_url = format!("{}/oauth2/token", s.emu.base_url);
    s.sb.gtx()
        .args(["env", "set", "emu", "token_url", &token_url])
        .assert()
        .success();
    s.sb.gtx()
        .args(["token", "generate", "--env", "emu"])
        .assert()
        .success();
    let r = json_of(&s.run(s.cmd(&["api", "sync", "--json"])));
    assert_eq!(r["found_by"], "a well-known path", "{r}");
    assert!(
        r["source"]
            .as_str()
            .unwrap_or("")
            .ends_with("/admin/api/_info/openapi3.json"),
        "{r}"
    );
    let tried = recorded(&s.emu, "/admin/openapi.json");
    assert!(
        tried[0]["headers"]["authorization"].is_null(),
        "no token before a 401: {}",
        tried[0]
    );
    let got = recorded(&s.emu, "/admin/api/_info/openapi3.json");
    assert_eq!(got.len(), 2, "once without, once with the token");
    assert!(got[0]["headers"]["authorization"].is_null());
    assert!(got[1]["headers"]["authorization"].is_string());
    // Nothing anywhere: exit 3, naming what was tried and how to set it.
    s.sb.gtx()
        .args([
            "env",
            "set",
            "emu",
            "api_base",
            &format!("{}/nothing", s.emu.base_url),
        ])
        .assert()
        .success();
    let out = s.run(s.cmd(&["api", "sync"]));
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains("/nothing/swagger.json") && err.contains("openapi_url"),
        "{err}"
    );
}

#[test]
fn list_filters_and_show_describes() {
    let s = SignedIn::new();
    synced(&s);
    let out =
        s.sb.gtx()
            .args(["api", "list", "order"])
            .output()
            .expect("run");
    let text = stdout_of(&out);
    assert!(
        text.contains("GET   /api/v1/orders/{id}  getOrder") || text.contains("getOrder"),
        "{text}"
    );
    assert!(!text.contains("/oauth2/token"), "{text}");
    let tagged = json_of(
        &s.sb
            .gtx()
            .args(["api", "list", "--tag", "probes", "--json"])
            .output()
            .expect("run"),
    );
    assert!(
        tagged["operations"]
            .as_array()
            .expect("ops")
            .iter()
            .all(|o| o["tags"][0] == "probes")
    );
    let show = json_of(
        &s.sb
            .gtx()
            .args(["api", "show", "create-order", "--json"])
            .output()
            .expect("run"),
    );
    assert_eq!(show["id"], "createOrder");
    assert_eq!(show["body"]["content_type"], "application/json");
    assert_eq!(show["body"]["example"]["currency"], "USD");
    assert_eq!(
        show["security"][0]["schemes"][0]["scopes"][0],
        "orders.write"
    );
    let text = stdout_of(
        &s.sb
            .gtx()
            .args(["api", "show", "getOrder"])
            .output()
            .expect("run"),
    );
    assert!(text.contains("id  (path, string, required)"), "{text}");
    let out =
        s.sb.gtx()
            .args(["api", "show", "getOrdr"])
            .output()
            .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("did you mean getOrder"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn without_an_index_list_says_how_to_make_one() {
    let sb = local("store-3.1.json");
    let out = sb.gtx().args(["api", "list"]).output().expect("run");
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr_of(&out).contains("gtx api sync"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn request_by_operation_id_with_positional_and_named_parameters() {
    let s = SignedIn::new();
    synced(&s);
    let v = json_of(&s.request(&["getOrder", "ord_1001"]));
    assert_eq!(v["id"], "ord_1001");
    let v = json_of(&s.request(&["get-order", "-p", "id=ord_1002"]));
    assert_eq!(v["id"], "ord_1002");
    let out = s.request(&["getOrder", "ord_1001", "extra"]);
    assert_eq!(out.status.code(), Some(2));
    let v = json_of(&s.request(&["create-order", "-f", "currency=EUR", "-F", "amount=12.5"]));
    assert_eq!(v["currency"], "EUR");
    assert_eq!(recorded(&s.emu, "/api/v1/orders")[0]["method"], "POST");
}

#[test]
fn checks_list_every_problem_with_its_path_and_send_nothing() {
    let s = SignedIn::new();
    synced(&s);
    let out = s.request(&[
        "createOrder",
        "-f",
        "currency=XXX",
        "-F",
        "amount=-1",
        "-F",
        "items[0].quantity=0",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    for at in [
        "$.body.currency",
        "$.body.amount",
        "$.body.items[0].quantity",
        "$.body.items[0]",
    ] {
        assert!(err.contains(at), "{at} missing:\n{err}");
    }
    let out = s.request(&["getOrder", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("$.path.id"), "{}", stderr_of(&out));
    let out = s.request(&["createOrder"]);
    assert!(
        stderr_of(&out).contains("$.body: required"),
        "{}",
        stderr_of(&out)
    );
    assert!(api_calls(&s.emu).is_empty(), "nothing was sent");
    // --no-check sends it anyway.
    let out = s.request(&[
        "createOrder",
        "-f",
        "currency=XXX",
        "-F",
        "amount=-1",
        "--no-check",
    ]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(recorded(&s.emu, "/api/v1/orders").len(), 1);
}

#[test]
fn plain_paths_that_match_an_operation_are_checked_too() {
    let s = SignedIn::new();
    synced(&s);
    let out = s.request(&["/api/v1/orders", "-q", "limit=abc", "-q", "status=lost"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(
        err.contains("$.query.limit") && err.contains("$.query.status"),
        "{err}"
    );
    assert!(api_calls(&s.emu).is_empty());
    let v = json_of(&s.request(&["/api/v1/orders/ord_1003"]));
    assert_eq!(v["id"], "ord_1003");
    let out = s.request(&["/api/v1/orders", "-q", "limit=abc", "--no-check"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
}

#[test]
fn dry_run_prints_the_resolved_request_and_sends_nothing() {
    let s = SignedIn::new();
    synced(&s);
    let out = s.request(&[
        "create-order",
        "-f",
        "currency=USD",
        "-F",
        "amount=25",
        "--dry-run",
    ]);
    let text = stdout_of(&out);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        text.starts_with(&format!("POST {}/api/v1/orders\n", s.emu.base_url)),
        "{text}"
    );
    assert!(text.contains("Content-Type: application/json"), "{text}");
    assert!(text.contains("Authorization: Bearer <"), "{text}");
    assert!(text.contains(r#"{"currency":"USD","amount":25}"#), "{text}");
    assert!(!text.contains(&s.token), "token in the dry run");
    let text = stdout_of(&s.request(&[
        "--dry-run",
        "-H",
        "X-Api-Key: supersecretvalue123",
        "/api/v1/orders",
    ]));
    assert!(!text.contains("supersecretvalue123"), "{text}");
    assert!(api_calls(&s.emu).is_empty(), "nothing was sent");
}

#[test]
fn security_none_goes_without_a_token_and_missing_scopes_are_named() {
    let s = SignedIn::new();
    synced(&s);
    let out = s.request(&["echo", "-d", "{}"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(recorded(&s.emu, "/api/v1/echo")[0]["headers"]["authorization"].is_null());
    let out = s.run(s.cmd(&["token", "generate", "--scope", "orders.read"]));
    assert!(out.status.success(), "{}", stderr_of(&out));
    let out = s.request(&["createOrder", "-f", "currency=USD", "-F", "amount=1"]);
    let err = stderr_of(&out);
    assert!(
        err.contains("gtx login --scope 'orders.read orders.write' --env emu"),
        "{err}"
    );
}

#[test]
fn servers_on_another_origin_are_never_used() {
    let s = SignedIn::new();
    s.sb.gtx()
        .args([
            "env",
            "set",
            "emu",
            "openapi_url",
            &fixture("store-3.1.json"),
        ])
        .assert()
        .success();
    synced(&s);
    let out = s.request(&["sendNote", "-f", "text=hi"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let seen = recorded(&s.emu, "/api/v1/echo");
    assert_eq!(seen.len(), 1, "sent to api_base, without the server's /v9");
    assert!(seen[0]["headers"]["authorization"].is_string());
    let out = s.request(&["sendNote", "-f", "text=too long", "-f", "when=someday"]);
    let err = stderr_of(&out);
    assert!(
        err.contains("$.body.text") && err.contains("$.body.when"),
        "{err}"
    );
}

#[test]
fn openapi_3_0_yaml_with_a_ref_to_a_file_beside_it() {
    let sb = local("petstore-3.0.yaml");
    let r = sync(&sb);
    assert_eq!(r["spec"], "3.0.3");
    assert_eq!(r["operations"], 3);
    // The server is on another origin: its /v3 is not put before the paths.
    assert_eq!(r["base_path"], "");
    let show = json_of(
        &sb.gtx()
            .args(["api", "show", "update-pet", "--json"])
            .output()
            .expect("run"),
    );
    assert_eq!(show["parameters"][0]["name"], "petId");
    assert_eq!(
        show["body"]["schema"]["properties"]["kind"]["enum"][1],
        "dog"
    );
    assert_eq!(
        show["body"]["schema"]["properties"]["age"]["type"][1],
        "null"
    );
    let health = json_of(
        &sb.gtx()
            .args(["api", "show", "get-health", "--json"])
            .output()
            .expect("run"),
    );
    assert_eq!(health["sent_with_token"], false);
    let out = sb
        .gtx()
        .args([
            "request",
            "update_pet",
            "0",
            "-F",
            "age=0",
            "-f",
            "kind=bird",
            "--dry-run",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    for at in ["$.path.petId", "$.body.age", "$.body.kind", "$.body: "] {
        assert!(err.contains(at), "{at} missing:\n{err}");
    }
    let out = sb
        .gtx()
        .args([
            "request",
            "updatePet",
            "7",
            "-f",
            "name=Rex",
            "-F",
            "age=null",
            "--dry-run",
        ])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        stdout_of(&out).starts_with("PUT https://api.example.com/pets/7\n"),
        "{}",
        stdout_of(&out)
    );
}

#[test]
fn swagger_2_0_with_its_base_path_body_and_form_parameters() {
    let sb = local("shop-swagger2.json");
    let r = sync(&sb);
    assert_eq!(r["spec"], "2.0");
    assert_eq!(r["base_path"], "/v2");
    let list = json_of(
        &sb.gtx()
            .args(["api", "show", "listItems", "--json"])
            .output()
            .expect("run"),
    );
    assert_eq!(list["parameters"][0]["enum"][1], "desc");
    assert_eq!(list["parameters"][0]["default"], "asc");
    let photo = json_of(
        &sb.gtx()
            .args(["api", "show", "uploadPhoto", "--json"])
            .output()
            .expect("run"),
    );
    assert_eq!(photo["body"]["content_type"], "multipart/form-data");
    let out = sb
        .gtx()
        .args([
            "request",
            "listItems",
            "-q",
            "sort=up",
            "-q",
            "limit=99",
            "--dry-run",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(
        err.contains("$.query.sort") && err.contains("$.query.limit"),
        "{err}"
    );
    let out = sb
        .gtx()
        .args([
            "request",
            "add-item",
            "-f",
            "sku=A1",
            "-F",
            "price=null",
            "--dry-run",
        ])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        stdout_of(&out).starts_with("POST https://api.example.com/v2/items\n"),
        "{}",
        stdout_of(&out)
    );
    // A plain path under the base path is matched and checked.
    let out = sb
        .gtx()
        .args(["request", "/v2/items", "-q", "sort=up", "--dry-run"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
}

#[test]
fn bad_documents_fail_with_the_place_and_keep_the_last_good_index() {
    let sb = local("store-3.1.json");
    sync(&sb);
    let big = tempfile::tempdir().expect("dir");
    let huge = big.path().join("huge.json");
    std::fs::File::create(&huge)
        .and_then(|f| f.set_len(100 << 20))
        .expect("sparse file");
    let cases: [(String, &str); 6] = [
        (
            fixture("invalid.json"),
            "not valid JSON: EOF while parsing a value at line 1 column 37",
        ),
        (fixture("invalid.yaml"), "not valid YAML at line"),
        (
            fixture("loop.json"),
            "$ref loop at #/paths/~1a/post/requestBody",
        ),
        (
            fixture("missing-ref.yaml"),
            "\"#/components/parameters/Nope\" not found (referenced at #/paths/~1a/get/parameters/0)",
        ),
        (
            fixture("not-openapi.json"),
            "no `openapi` or `swagger` field",
        ),
        (huge.display().to_string(), "larger than 64 MiB"),
    ];
    for (file, why) in &cases {
        sb.gtx()
            .args([
                "env",
                "set",
                "local",
                "openapi_url",
                &format!("file://{file}"),
            ])
            .assert()
            .success();
        let out = sb.gtx().args(["api", "sync"]).output().expect("run");
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(3), "{file}: {err}");
        assert!(err.contains(why), "{file}: wanted {why:?} in:\n{err}");
        assert!(!err.contains("internal error"), "{err}");
        let list = stdout_of(&sb.gtx().args(["api", "list"]).output().expect("run"));
        assert!(
            list.contains("sendNote"),
            "the last good index serves: {list}"
        );
    }
}

#[test]
fn a_fetched_document_that_is_not_openapi_exits_6() {
    let s = SignedIn::new();
    s.sb.gtx()
        .args(["env", "set", "emu", "openapi_url", "/api/v1/echo"])
        .assert()
        .success();
    let out = s.run(s.cmd(&["api", "sync"]));
    assert_eq!(out.status.code(), Some(6), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("no `openapi` or `swagger` field"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn completion_offers_operations_and_their_parameters() {
    let s = SignedIn::new();
    let complete = |words: &[&str]| {
        let out =
            s.sb.gtx()
                .env("COMPLETE", "fish")
                .arg("--")
                .args(words)
                .output()
                .expect("run");
        assert!(out.status.success(), "{}", stderr_of(&out));
        stdout_of(&out)
    };
    assert!(
        !complete(&["gtx", "request", "get"]).contains("getOrder"),
        "no index: as before"
    );
    synced(&s);
    let ops = complete(&["gtx", "request", "get"]);
    assert!(
        ops.contains("getOrder\tGET /api/v1/orders/{id} Get one order"),
        "{ops}"
    );
    let paths = complete(&["gtx", "request", "/api/v1/ord"]);
    assert!(paths.contains("/api/v1/orders/{id}\tGET"), "{paths}");
    let after_method = complete(&["gtx", "request", "POST", "/api/v1/o"]);
    assert!(
        after_method.contains("/api/v1/orders\tGET POST"),
        "{after_method}"
    );
    let params = complete(&["gtx", "request", "getBytes", "-p", ""]);
    assert!(params.contains("n="), "{params}");
    let query = complete(&["gtx", "request", "listOrders", "-q", ""]);
    assert!(
        query.contains("limit=") && query.contains("status=pending"),
        "{query}"
    );
    let fields = complete(&["gtx", "request", "create-order", "-f", ""]);
    assert!(
        fields.contains("currency=EUR") && fields.contains("amount="),
        "{fields}"
    );
    let shown = complete(&["gtx", "api", "show", "create"]);
    assert!(shown.contains("createOrder"), "{shown}");
}

#[test]
fn a_stale_index_still_serves_and_says_how_old_it_is() {
    let sb = local("store-3.1.json");
    sync(&sb);
    let index = sb.path().join(".cache/gtx/openapi/local.index");
    let text = std::fs::read(&index).expect("index");
    let nl = text.iter().position(|b| *b == b'\n').expect("meta line");
    let mut meta: Value = serde_json::from_slice(&text[..nl]).expect("meta");
    meta["synced_at"] = (meta["synced_at"].as_i64().expect("time") - 3 * 86400).into();
    let mut out = serde_json::to_vec(&meta).expect("encode");
    out.extend_from_slice(&text[nl..]);
    std::fs::write(&index, out).expect("write");
    let out = sb.gtx().args(["api", "list"]).output().expect("run");
    assert!(out.status.success());
    assert!(stdout_of(&out).contains("sendNote"));
    assert!(
        stderr_of(&out).contains("is 3 days old"),
        "{}",
        stderr_of(&out)
    );
}
