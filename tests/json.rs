//! Every `--json` output is one JSON document whose shape (keys, in order, and value
//! types) is part of the interface: one snapshot holds them all, and README lists them.
//! Regenerate after a deliberate change: `SNAPSHOTS=overwrite cargo test --test cli json`.

use crate::support::{Emulator, Sandbox, stderr_of};
use serde_json::{Map, Value};
use snapbox::{Data, assert_data_eq};

/// Keys and value types, not values: times, tokens and ports differ per run.
fn shape(v: &Value) -> Value {
    match v {
        Value::Null => "null".into(),
        Value::Bool(_) => "bool".into(),
        Value::Number(_) => "number".into(),
        Value::String(_) => "string".into(),
        Value::Array(a) => Value::Array(a.first().map(shape).into_iter().collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), shape(v)))
                .collect::<Map<String, Value>>(),
        ),
    }
}

struct Shapes {
    sb: Sandbox,
    text: String,
}

impl Shapes {
    fn run(&mut self, args: &[&str], stdin: &str) {
        let out = self
            .sb
            .gtx()
            .args(args)
            .arg("--json")
            .write_stdin(stdin)
            .output()
            .expect("run gtx");
        assert!(out.status.success(), "{args:?}: {}", stderr_of(&out));
        let v: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: stdout is not one JSON document: {e}"));
        let pretty = serde_json::to_string_pretty(&shape(&v)).expect("encode");
        self.text
            .push_str(&format!("$ gtx {} --json\n{pretty}\n\n", args.join(" ")));
    }
}

#[test]
fn every_json_shape_matches_the_snapshot() {
    let emu = Emulator::start(&[]);
    let mut s = Shapes {
        sb: Sandbox::new(),
        text: String::new(),
    };
    s.sb.add_emulator_envs(&emu);
    let secret = "demo-secret\n";
    s.run(
        &[
            "login",
            "--client-credentials",
            "--client-id",
            "demo-client",
            "--client-secret-stdin",
            "--env",
            "emu",
        ],
        secret,
    );
    s.run(&["token", "get", "--env", "emu"], "");
    s.run(&["api", "sync", "--env", "emu"], "");
    s.run(&["api", "list", "--env", "emu"], "");
    s.run(&["api", "show", "getOrder", "--env", "emu"], "");
    s.run(&["api", "show", "createOrder", "--env", "emu"], "");
    s.run(&["token", "generate", "--env", "emu"], "");
    s.run(&["token", "validate", "--env", "emu"], "");
    s.run(&["token", "show", "--env", "emu"], "");
    s.run(&["status"], "");
    s.run(&["token", "clear", "--env", "emu"], "");
    s.run(&["logout", "--env", "emu"], "");
    s.run(&["env", "list"], "");
    s.run(&["env", "show", "sandbox"], "");
    s.run(
        &[
            "env",
            "add",
            "shop",
            "--api-base",
            "https://shop.example.com",
        ],
        "",
    );
    s.run(&["env", "set", "shop", "client_id", "my-app"], "");
    s.run(&["env", "use", "shop"], "");
    s.run(&["env", "remove", "shop"], "");
    s.run(&["config", "get", "store"], "");
    s.run(&["config", "set", "store", "file"], "");
    s.run(&["config", "list"], "");
    s.run(&["config", "path"], "");
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/json-shapes.txt");
    assert_data_eq!(s.text, Data::read_from(&path, None).raw());
}

#[test]
fn readme_lists_every_json_command() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .expect("README");
    let snapshot = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/json-shapes.txt"),
    )
    .expect("snapshot");
    for line in snapshot.lines().filter(|l| l.starts_with("$ gtx ")) {
        let words: Vec<&str> = line.split_whitespace().collect();
        // The command words only: `gtx status`, `gtx token get`, `gtx env show`, …
        let n = match words[2] {
            "token" | "env" | "config" | "api" => 4,
            _ => 3,
        };
        let command = words[1..n].join(" ");
        assert!(
            readme.contains(&format!("`{command} --json`")),
            "README's JSON section lacks `{command} --json`"
        );
    }
}
