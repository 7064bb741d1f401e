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

/// The environment a completion is for: `--env` on the line being completed, else
/// GTX_ENV, else the config's default.
fn completing_env() -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    let mut flag = None;
    for (i, a) in args.iter().enumerate() {
        if a == "--env" {
            flag = args.get(i + 1).cloned();
        } else if let Some(v) = a.strip_prefix("--env=") {
            flag = Some(v.to_string());
        }
    }
    let config = crate::config::Config::load().ok()?;
    config
        .select(flag.as_deref().filter(|f| !f.is_empty()))
        .ok()
        .map(|e| e.name)
}

fn completing_index() -> Option<crate::openapi::index::Index> {
    crate::openapi::index::Index::open(&completing_env()?)
        .ok()
        .flatten()
}

/// Operation ids of the environment's API index (`gtx api sync`), each with its method,
/// path and summary; none without an index.
pub fn operations() -> Vec<CompletionCandidate> {
    let Some(idx) = completing_index() else {
        return Vec::new();
    };
    idx.entries
        .into_iter()
        .map(|e| {
            let help = format!("{} {} {}", e.method, e.path, e.summary);
            CompletionCandidate::new(e.id).help(Some(help.trim_end().to_string().into()))
        })
        .collect()
}

/// `NAME=` for each path parameter of the operation on the line being completed.
pub fn param_names() -> Vec<CompletionCandidate> {
    let Some(mut idx) = completing_index() else {
        return Vec::new();
    };
    let args: Vec<String> = std::env::args().collect();
    let Some(start) = args.iter().position(|a| a == "request") else {
        return Vec::new();
    };
    const VALUED: [&str; 14] = [
        "-H",
        "--header",
        "-d",
        "--data",
        "-f",
        "--raw-field",
        "-F",
        "--field",
        "-q",
        "--query",
        "-o",
        "--output",
        "-p",
        "--param",
    ];
    let mut i = start + 1;
    let mut word = None;
    while i < args.len() {
        let a = &args[i];
        if VALUED.contains(&a.as_str()) || a == "--env" || a == "--credential" || a == "--retry" {
            i += 2;
            continue;
        }
        if !a.starts_with('-') && !a.is_empty() {
            word = Some(a.clone());
            break;
        }
        i += 1;
    }
    let Some(entry) = word.and_then(|w| idx.find(&w).cloned()) else {
        return Vec::new();
    };
    let Ok(op) = idx.detail(&entry) else {
        return Vec::new();
    };
    op.parameters
        .iter()
        .filter(|p| p.location == "path")
        .flat_map(|p| {
            let mut out = vec![
                CompletionCandidate::new(format!("{}=", p.name)).help(Some(
                    p.description
                        .lines()
                        .next()
                        .unwrap_or("")
                        .to_string()
                        .into(),
                )),
            ];
            if let Some(serde_json::Value::Array(values)) = p.schema.get("enum") {
                for v in values.iter().filter_map(serde_json::Value::as_str) {
                    out.push(CompletionCandidate::new(format!("{}={v}", p.name)));
                }
            }
            out
        })
        .collect()
}
