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

/// The completion script for `shell`: a registration that asks gtx itself for candidates,
/// so real environment and credential names complete (see `crate::complete`).
pub fn completion(shell: Shell) -> Vec<u8> {
    crate::cli::complete::registration(shell)
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

/// Every environment variable gtx reads, for `gtx.1`'s ENVIRONMENT section (a test checks
/// that every `GTX_*` name in the sources is here, and README lists the same).
pub const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "GTX_ENV",
        "Environment to use, like --env; empty counts as unset.",
    ),
    (
        "GTX_CREDENTIAL",
        "Credential name within the environment, like --credential (default: default); empty counts as unset.",
    ),
    (
        "GTX_STORE",
        "keyring, file or memory, like --store; wins over the config file's store; empty counts as unset.",
    ),
    (
        "GTX_CONFIG",
        "Path of the config file (default: <config dir>/gtx/config.toml).",
    ),
    (
        "GTX_CLIENT_ID",
        "Client id for minting; wins over the stored one and works with every store.",
    ),
    (
        "GTX_CLIENT_SECRET",
        "Client secret: for minting with GTX_CLIENT_ID (never stored), or a confidential client's secret for a person's sign-in (stored with the session).",
    ),
    (
        "GTX_TOKEN",
        "A token used as is by token get and token validate; never stored.",
    ),
    (
        "GTX_API_BASE",
        "Set by gtx exec for the command it runs (with GTX_TOKEN, GTX_TOKEN_TYPE and GTX_ENV).",
    ),
    (
        "GTX_TOKEN_CREDENTIAL",
        "Set by gtx exec: the credential its GTX_TOKEN is for; gtx ignores that token for any other credential.",
    ),
    (
        "GTX_TOKEN_ENV",
        "Set by gtx exec: the environment its GTX_TOKEN is for; gtx ignores that token for any other environment.",
    ),
    (
        "GTX_TOKEN_TYPE",
        "Set by gtx exec for the command it runs: the token's type (Bearer).",
    ),
    (
        "GTX_NO_SPINNER",
        "When set, no spinner is drawn even on a terminal.",
    ),
    (
        "NO_COLOR",
        "When set and not empty, no colour (also --no-color, TERM=dumb, or output not a terminal).",
    ),
    (
        "BROWSER",
        "Command that opens the sign-in page in a browser (colon-separated list; %s is the URL).",
    ),
    (
        "HTTPS_PROXY, HTTP_PROXY, ALL_PROXY",
        "Proxy for https, http or every request (lower-case names too), loopback included, as curl reads them; a failure names the proxy.",
    ),
    (
        "NO_PROXY",
        "Comma-separated hosts, domains (.corp) and networks (10.0.0.0/8) reached directly; * means every host.",
    ),
    (
        "SSL_CERT_FILE, SSL_CERT_DIR",
        "On Linux, a PEM bundle or a directory of certificates trusted instead of the system's (as for curl and OpenSSL); an environment's ca_file adds to them.",
    ),
];

/// README's exit-code table, for `gtx.1`'s EXIT STATUS section.
pub const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "Success (token validate: the token is valid)."),
    (
        "1",
        "Unexpected error: a bug in gtx (it says so), or the machine failed it: stdout cannot be written, too few file descriptors.",
    ),
    ("2", "Usage error."),
    (
        "3",
        "Configuration error: unknown environment, bad config, foreign host, insecure URL.",
    ),
    (
        "4",
        "Not signed in: no session or credentials for the profile.",
    ),
    (
        "5",
        "Rejected: the server refused the credentials or token, or token validate found it invalid.",
    ),
    (
        "6",
        "Network or server failure after retries (connect, timeout, 5xx, unparseable answer).",
    ),
    (
        "7",
        "Store failure: keyring unavailable or locked, unreadable record, file permissions.",
    ),
    ("8", "gtx request got an HTTP status of 400 or more."),
    ("130", "Interrupted."),
];

/// Every man page: `gtx.1` and one per (sub)command, e.g. `gtx-token-get.1`.
pub fn man_pages() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut pages = Vec::new();
    // Built, so global options appear on every subcommand's page; no `help` subcommand,
    // which has no page of its own.
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
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
    let examples = cmd.get_after_long_help().map(|h| h.to_string());
    let mut buf = Vec::new();
    clap_mangen::Man::new(
        cmd.clone()
            .after_long_help(clap::builder::Resettable::<clap::builder::StyledStr>::Reset),
    )
    .render(&mut buf)?;
    let mut extra = String::new();
    if name == "gtx" {
        extra.push_str(&definition_section("EXIT STATUS", EXIT_STATUS));
        extra.push_str(&definition_section("ENVIRONMENT", ENVIRONMENT));
    }
    if let Some(text) = examples {
        extra.push_str(&examples_section(&text));
    }
    pages.push((format!("{name}.1"), insert_before_version(buf, &extra)));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect(sub, &format!("{name}-{}", sub.get_name()), pages)?;
    }
    Ok(())
}

/// Sections go before VERSION (the last one clap_mangen writes), else at the end.
fn insert_before_version(page: Vec<u8>, extra: &str) -> Vec<u8> {
    let page = String::from_utf8_lossy(&page).into_owned();
    match page.find("\n.SH VERSION") {
        Some(at) => format!("{}\n{}{}", &page[..at], extra.trim_end(), &page[at..]).into_bytes(),
        None => format!("{page}{extra}").into_bytes(),
    }
}

/// Text as roff: backslashes, hyphens and apostrophes escaped, no line starting a request.
fn roff_escape(text: &str) -> String {
    let body = text
        .replace('\\', "\\e")
        .replace('-', "\\-")
        .replace('\'', "\\*(Aq");
    if body.starts_with('.') || body.starts_with('\'') {
        format!("\\&{body}")
    } else {
        body
    }
}

fn definition_section(title: &str, items: &[(&str, &str)]) -> String {
    let mut out = format!(".SH \"{title}\"\n");
    for (term, text) in items {
        out.push_str(&format!(
            ".TP\n\\fB{}\\fR\n{}\n",
            roff_escape(term),
            roff_escape(text)
        ));
    }
    out
}

/// Examples in no-fill mode: never justified or wrapped in the middle of a command.
fn examples_section(after_long_help: &str) -> String {
    let mut out = String::from(".SH EXAMPLES\n.nf\n");
    for line in after_long_help
        .lines()
        .skip_while(|l| l.trim_end() == "Examples:")
    {
        out.push_str(&roff_escape(line.trim_start()));
        out.push('\n');
    }
    out.push_str(".fi\n");
    out
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
