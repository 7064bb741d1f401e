//! Completion scripts and man pages, generated from the one clap definition. The checked-in
//! copies under completions/ and man/ are compared against this output by a test.

use crate::cli::Cli;
use clap::CommandFactory;
use clap_complete::Shell;
use std::path::Path;

pub const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::Elvish,
    Shell::PowerShell,
];

pub fn completion(shell: Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "gtx", &mut out);
    out
}

pub fn completion_file_name(shell: Shell) -> &'static str {
    match shell {
        Shell::Bash => "gtx.bash",
        Shell::Zsh => "_gtx",
        Shell::Fish => "gtx.fish",
        Shell::Elvish => "gtx.elv",
        Shell::PowerShell => "_gtx.ps1",
        _ => "gtx.unknown",
    }
}

/// Every man page: `gtx.1` and one per (sub)command, e.g. `gtx-token-get.1`.
pub fn man_pages() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut pages = Vec::new();
    let cmd = Cli::command();
    collect(&cmd, "gtx", &mut pages)?;
    Ok(pages)
}

fn collect(
    cmd: &clap::Command,
    name: &str,
    pages: &mut Vec<(String, Vec<u8>)>,
) -> std::io::Result<()> {
    let cmd = cmd
        .clone()
        .name(name.to_string())
        .bin_name(name.replace('-', " "));
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut buf)?;
    pages.push((format!("{name}.1"), buf));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect(sub, &format!("{name}-{}", sub.get_name()), pages)?;
    }
    Ok(())
}

pub fn write_all(out_dir: &Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut written = Vec::new();
    let comp_dir = out_dir.join("completions");
    std::fs::create_dir_all(&comp_dir)?;
    for shell in SHELLS {
        let path = comp_dir.join(completion_file_name(shell));
        std::fs::write(&path, completion(shell))?;
        written.push(path);
    }
    let man_dir = out_dir.join("man");
    std::fs::create_dir_all(&man_dir)?;
    for (name, bytes) in man_pages()? {
        let path = man_dir.join(name);
        std::fs::write(&path, bytes)?;
        written.push(path);
    }
    Ok(written)
}
