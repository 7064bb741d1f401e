//! Shell completion: the registration scripts `gtx completions SHELL` prints, and the
//! dynamic candidates (real environment and credential names) the shell asks for by
//! running `COMPLETE=SHELL gtx -- …`. Only the completion path loads anything here; the
//! `token get` fast path runs before the completion check and never reaches it.

use clap_complete::engine::CompletionCandidate;
use clap_complete::env::Shells;

/// The environment variable the registration scripts set when they call gtx back.
pub const VAR: &str = "COMPLETE";

/// Answers a completion request and exits, if this run is one (`COMPLETE` is set).
pub fn handle_request() {
    clap_complete::CompleteEnv::with_factory(<crate::cli::Cli as clap::CommandFactory>::command)
        .var(VAR)
        .complete();
}

/// The script a shell sources to complete `gtx` (it calls gtx back for candidates).
pub fn registration(shell: clap_complete::Shell) -> Vec<u8> {
    let name = match shell {
        clap_complete::Shell::Bash => "bash",
        clap_complete::Shell::Zsh => "zsh",
        clap_complete::Shell::Fish => "fish",
        clap_complete::Shell::Elvish => "elvish",
        _ => "powershell",
    };
    let mut out = Vec::new();
    if let Some(completer) = Shells::builtins().completer(name) {
        // Writing into a Vec cannot fail.
        let _ = completer.write_registration(VAR, "gtx", "gtx", "gtx", &mut out);
    }
    out
}

/// Environment names, each with its API base as the description.
pub fn env_names() -> Vec<CompletionCandidate> {
    let Ok(config) = crate::config::Config::load() else {
        return Vec::new();
    };
    config
        .all()
        .into_iter()
        .map(|e| CompletionCandidate::new(e.name).help(Some(e.api_base.into())))
        .collect()
}

/// Credential names found in the selected store (GTX_STORE, else config `store`).
pub fn credential_names() -> Vec<CompletionCandidate> {
    let Ok(config) = crate::config::Config::load() else {
        return Vec::new();
    };
    let flag = std::env::var("GTX_STORE")
        .ok()
        .and_then(|s| crate::store::StoreKind::parse(&s));
    let kind = crate::store::select(flag, config.store.as_deref());
    let Ok(profiles) = crate::store::open(kind).and_then(|s| s.list()) else {
        return Vec::new();
    };
    let mut names: Vec<String> = profiles.into_iter().map(|(k, _)| k.credential).collect();
    names.sort();
    names.dedup();
    names.into_iter().map(CompletionCandidate::new).collect()
}

/// The settings `gtx config get|set` know.
pub fn setting_names() -> Vec<CompletionCandidate> {
    crate::config::SETTINGS
        .iter()
        .map(|(key, _, about)| CompletionCandidate::new(*key).help(Some((*about).into())))
        .collect()
}
