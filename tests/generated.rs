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

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn page(name: &str) -> String {
    let pages = gtx::docs::man_pages().expect("render man pages");
    let (_, bytes) = pages
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no man page {name}"));
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn main_man_page_has_exit_status_and_environment() {
    let text = page("gtx.1");
    assert!(text.contains(".SH \"EXIT STATUS\""), "no EXIT STATUS");
    for code in ["0", "2", "3", "4", "5", "6", "7", "8", "130"] {
        assert!(text.contains(&format!("\\fB{code}\\fR")), "exit {code}");
    }
    assert!(text.contains(".SH \"ENVIRONMENT\""), "no ENVIRONMENT");
    for var in ["NO_COLOR", "BROWSER"] {
        assert!(text.contains(&format!("\\fB{var}\\fR")), "{var}");
    }
    // No reference to a page that is not shipped.
    for (name, bytes) in gtx::docs::man_pages().expect("pages") {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("gtx\\-help(1)"),
            "{name} refers to gtx-help(1)"
        );
    }
}

/// Every GTX_* variable the program reads is in gtx.1 and in README's table.
#[test]
fn every_gtx_variable_is_documented() {
    let mut used = std::collections::BTreeSet::new();
    let mut stack = vec![root().join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src").flatten() {
            let path = entry.path();
            if path.ends_with("gtx-emulator") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("read source");
                for piece in text.split('"').skip(1).step_by(2) {
                    if piece.starts_with("GTX_")
                        && piece.len() > 4
                        && piece.chars().all(|c| c.is_ascii_uppercase() || c == '_')
                    {
                        used.insert(piece.to_string());
                    }
                }
            }
        }
    }
    assert!(used.contains("GTX_ENV"), "{used:?}");
    let man = page("gtx.1");
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let documented: Vec<&str> = gtx::docs::ENVIRONMENT.iter().map(|(k, _)| *k).collect();
    for var in &used {
        assert!(
            documented.contains(&var.as_str()),
            "{var} is read but not in docs::ENVIRONMENT"
        );
        assert!(
            man.contains(&format!("\\fB{var}\\fR")),
            "{var} not in gtx.1"
        );
        let in_table = readme
            .lines()
            .any(|l| l.starts_with("| `") && l.contains(&format!("`{var}`")));
        assert!(in_table, "{var} not in README's table");
    }
}

#[test]
fn subcommand_pages_show_global_options_and_unwrapped_examples() {
    let text = page("gtx-token-get.1");
    assert!(text.contains(".SH \"GLOBAL OPTIONS\""), "{text}");
    assert!(text.contains("\\fB\\-\\-env\\fR"), "{text}");
    let examples = text
        .split(".SH EXAMPLES\n")
        .nth(1)
        .expect("an EXAMPLES section");
    assert!(
        examples.starts_with(".nf\n"),
        "examples must be in no-fill mode"
    );
    assert!(
        examples.contains("curl \\-H \"$(gtx token get \\-\\-header \\-\\-env production)\""),
        "{examples}"
    );
}

/// README's completion and man install lines, run as written in an empty HOME.
#[cfg(unix)]
#[test]
fn readme_install_lines_work_in_a_fresh_home() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let block = readme
        .split("<!-- install-lines -->")
        .nth(1)
        .and_then(|rest| rest.split("<!-- /install-lines -->").next())
        .expect("README marks its install lines");
    let script = block
        .lines()
        .filter(|l| !l.starts_with("```"))
        .collect::<Vec<_>>()
        .join("\n");
    let home = tempfile::tempdir().expect("home");
    let bin_dir = Path::new(crate::support::GTX).parent().expect("bin dir");
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let check = "set -e\n".to_string()
        + &script
        + "\nsource ~/.local/share/bash-completion/completions/gtx\ncomplete -p gtx\n\
           test -s ~/.config/fish/completions/gtx.fish\ntest -s ~/.zfunc/_gtx\n\
           test -f ~/.local/share/man/man1/gtx-token-get.1\n\
           case \":$MANPATH:\" in *\":$HOME/.local/share/man:\"*) ;; *) exit 9;; esac\n\
           if command -v man >/dev/null; then man -w gtx; fi\n";
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(&check)
        .current_dir(root())
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", path)
        .output()
        .expect("run bash");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("complete") && stdout.contains("gtx"),
        "{stdout}"
    );
    if stdout.contains(".1") {
        let found = home.path().join(".local/share/man/man1/gtx.1");
        assert!(stdout.contains(&found.display().to_string()), "{stdout}");
    }
}

/// The man page's NAME line and Cargo's description claim only commands that exist.
#[test]
fn name_line_and_description_claim_only_what_exists() {
    use clap::CommandFactory;
    let cmd = gtx::cli::Cli::command();
    let about = cmd.get_about().map(|a| a.to_string()).unwrap_or_default();
    let description = env!("CARGO_PKG_DESCRIPTION");
    let has = |name: &str| cmd.get_subcommands().any(|s| s.get_name() == name);
    let browser = cmd
        .find_subcommand("login")
        .is_some_and(|l| l.get_arguments().any(|a| a.get_id() == "no_browser"));
    for text in [about.as_str(), description] {
        if text.contains("request") {
            assert!(
                has("request"),
                "{text:?} claims requests, but there is no `gtx request`"
            );
        }
        if text.contains("browser") {
            assert!(
                browser,
                "{text:?} claims browser login, but login has no browser mode"
            );
        }
    }
}
