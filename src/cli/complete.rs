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
    clap_complete::CompleteEnv::with_factory(<super::Cli as clap::CommandFactory>::command)
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
    let flag = crate::env_vars::process()
        .text(crate::env_vars::GTX_STORE)
        .and_then(crate::store::StoreKind::parse);
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

/// A candidate from the API's document: left out when its value holds a character that
/// would steer the terminal (the shell writes it onto the command line, where an escape
/// could hide what it inserts); its description escaped.
fn offered(value: String, help: Option<String>) -> Option<CompletionCandidate> {
    if value.chars().any(crate::sanitize::steers_terminal) {
        return None;
    }
    let help = help.map(|h| crate::sanitize::terminal(&h).into_owned().into());
    Some(CompletionCandidate::new(value).help(help))
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
        .filter_map(|e| {
            let help = format!("{} {} {}", e.method, e.path, e.summary);
            offered(e.id, Some(help.trim_end().to_string()))
        })
        .collect()
}

/// After `gtx request`: operation ids, then the document's paths (the base path put
/// before them), each path once.
pub fn request_targets() -> Vec<CompletionCandidate> {
    let mut out = operations();
    out.extend(paths());
    out
}

/// The document's paths, for `gtx request METHOD <TAB>`.
pub fn paths() -> Vec<CompletionCandidate> {
    let Some(idx) = completing_index() else {
        return Vec::new();
    };
    let mut seen = std::collections::BTreeMap::<String, Vec<String>>::new();
    for e in &idx.entries {
        seen.entry(format!("{}{}", idx.meta.base_path, e.path))
            .or_default()
            .push(e.method.clone());
    }
    seen.into_iter()
        .filter_map(|(path, methods)| offered(path, Some(methods.join(" "))))
        .collect()
}

/// `NAME=` for each path parameter of the operation on the line being completed (and
/// `NAME=VALUE` for each value of an enum).
pub fn param_names() -> Vec<CompletionCandidate> {
    operation_candidates(Place::Path)
}

/// `-q`: the operation's query parameters.
pub fn query_names() -> Vec<CompletionCandidate> {
    operation_candidates(Place::Query)
}

/// `-f`/`-F`: the top-level properties of the operation's JSON body.
pub fn field_names() -> Vec<CompletionCandidate> {
    operation_candidates(Place::Body)
}

#[derive(Clone, Copy, PartialEq)]
enum Place {
    Path,
    Query,
    Body,
}

/// The operation named on the line being completed (`gtx request OPERATION …`).
fn completing_operation() -> Option<crate::openapi::Operation> {
    let mut idx = completing_index()?;
    let args: Vec<String> = std::env::args().collect();
    let start = args.iter().position(|a| a == "request")?;
    const VALUED: [&str; 17] = [
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
        "--env",
        "--credential",
        "--retry",
    ];
    let mut i = start + 1;
    while i < args.len() {
        let a = &args[i];
        if VALUED.contains(&a.as_str()) {
            i += 2;
            continue;
        }
        if !a.starts_with('-') && !a.is_empty() {
            let entry = idx.find(a).cloned()?;
            return idx.detail(&entry).ok();
        }
        i += 1;
    }
    None
}

fn operation_candidates(place: Place) -> Vec<CompletionCandidate> {
    use serde_json::Value;
    let Some(op) = completing_operation() else {
        return Vec::new();
    };
    let mut named: Vec<(String, String, Value)> = Vec::new();
    match place {
        Place::Path | Place::Query => {
            let want = if place == Place::Path {
                "path"
            } else {
                "query"
            };
            for p in op.parameters.iter().filter(|p| p.location == want) {
                let help = p.description.lines().next().unwrap_or("").to_string();
                named.push((p.name.clone(), help, p.schema.clone()));
            }
        }
        Place::Body => {
            if let Some(Value::Object(props)) =
                op.body.as_ref().and_then(|b| b.schema.get("properties"))
            {
                for (k, v) in props {
                    let help = v
                        .get("description")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .lines()
                        .next()
                        .unwrap_or("")
                        .to_string();
                    named.push((k.clone(), help, v.clone()));
                }
            }
        }
    }
    let mut out = Vec::new();
    for (name, help, schema) in named {
        out.extend(offered(format!("{name}="), Some(help)));
        if let Some(Value::Array(values)) = schema.get("enum") {
            for v in values {
                let text = v
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string());
                out.extend(offered(format!("{name}={text}"), None));
            }
        }
    }
    out
}
