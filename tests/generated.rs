//! completions/ and man/ are generated from the clap definition; this fails when the
//! checked-in copies are stale. Regenerate: `cargo run -- generate-docs --out-dir .`

use std::path::Path;

#[test]
fn completions_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for shell in gtx::docs::SHELLS {
        let path = root
            .join("completions")
            .join(gtx::docs::completion_file_name(shell));
        let on_disk = std::fs::read(&path).unwrap_or_default();
        assert!(
            on_disk == gtx::docs::completion(shell),
            "{} is stale; run `cargo run -- generate-docs --out-dir .`",
            path.display()
        );
    }
}

#[test]
fn man_pages_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pages = gtx::docs::man_pages().expect("render man pages");
    assert!(pages.len() > 10, "expected a page per subcommand");
    for (name, bytes) in &pages {
        let on_disk = std::fs::read(root.join("man").join(name)).unwrap_or_default();
        assert!(
            on_disk == *bytes,
            "man/{name} is stale; run `cargo run -- generate-docs --out-dir .`"
        );
    }
    let expected: std::collections::BTreeSet<String> =
        pages.iter().map(|(n, _)| n.clone()).collect();
    let present: std::collections::BTreeSet<String> = std::fs::read_dir(root.join("man"))
        .expect("man dir")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    assert_eq!(
        present, expected,
        "man/ holds pages for commands that no longer exist"
    );
}

#[test]
fn completions_command_prints_script() {
    let sb = crate::support::Sandbox::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = sb.gtx().args(["completions", shell]).output().expect("run");
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("gtx"));
    }
    sb.gtx().args(["completions", "tcsh"]).assert().code(2);
}
