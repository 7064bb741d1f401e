//! clap's usage errors quote what was typed ("unexpected argument 'sk_live_…'"), and what
//! was typed may be a secret pasted in the wrong place: such errors reach CI logs. Every
//! value from the command line (or from the variables clap reads for the global options)
//! that the error quotes is cut to a few characters, except the words gtx itself defines
//! (commands, flags, the values a flag accepts).

use clap::error::{ContextKind, ContextValue};
use std::ffi::OsString;

/// The error as clap would print it (coloured as clap would colour it), with
/// possibly-secret values cut.
pub fn scrubbed(e: &clap::Error, argv: &[OsString]) -> String {
    use std::io::IsTerminal;
    let color = std::io::stderr().is_terminal()
        && !argv.iter().any(|a| a == "--no-color")
        && !crate::env_vars::process().colour_refused();
    let rendered = e.render();
    let mut text = match color {
        true => rendered.ansi().to_string(),
        false => rendered.to_string(),
    };
    let known = known_words(e);
    // Each word typed, and whether it may be a flag: what follows `=` is a value, even
    // when it starts with `-` (a secret in base64url may).
    let mut candidates: Vec<(String, bool)> = Vec::new();
    for arg in argv.iter().skip(1) {
        let arg = arg.to_string_lossy();
        candidates.push((arg.to_string(), true));
        if let Some((_, value)) = arg.split_once('=') {
            candidates.push((value.to_string(), false));
        }
    }
    // The options clap falls back to the environment for are typed too (a CI job's
    // settings), and clap quotes a bad one as it quotes an argument.
    let vars = crate::env_vars::process();
    for name in [
        crate::env_vars::GTX_ENV,
        crate::env_vars::GTX_CREDENTIAL,
        crate::env_vars::GTX_STORE,
    ] {
        if let Some(value) = vars.get(name) {
            candidates.push((value.to_string_lossy().into_owned(), false));
        }
    }
    // Longest first, so a value is cut whole before any part of it is.
    candidates.sort_by_key(|(c, _)| std::cmp::Reverse(c.len()));
    for (c, may_be_flag) in candidates {
        if c.chars().count() < 6 || (may_be_flag && is_flag(&c)) || known.contains(&c) {
            continue;
        }
        text = text.replace(&c, &crate::secret::cut(&c));
    }
    text
}

fn is_flag(arg: &str) -> bool {
    arg.starts_with('-')
        && !arg.contains('=')
        && arg
            .trim_start_matches('-')
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Words gtx defines, which quote nothing of the user's: subcommand names and the values
/// a flag offers.
fn known_words(e: &clap::Error) -> Vec<String> {
    use clap::CommandFactory;
    let mut words = Vec::new();
    fn walk(cmd: &clap::Command, words: &mut Vec<String>) {
        for sub in cmd.get_subcommands() {
            words.push(sub.get_name().to_string());
            walk(sub, words);
        }
    }
    walk(&crate::cli::Cli::command(), &mut words);
    for kind in [ContextKind::ValidValue, ContextKind::ValidSubcommand] {
        match e.get(kind) {
            Some(ContextValue::Strings(v)) => words.extend(v.iter().cloned()),
            Some(ContextValue::String(v)) => words.push(v.clone()),
            _ => {}
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_values_but_not_flags() {
        assert_eq!(crate::secret::cut("sk_live_0123"), "sk_…");
        assert!(is_flag("--password"));
        assert!(!is_flag("--password=x"));
    }
}
