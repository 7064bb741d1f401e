//! `gtx request OPERATION`: an operation id (as written or in kebab case) in place of a
//! path, its path parameters from `-p NAME=VALUE` or positionally, and the checks against
//! the document for operations and for plain paths that match one. The document never
//! decides where a request goes: `api_base` does (docs/openapi.md).

use super::fields::split_pair;
use crate::cli::RequestArgs;
use crate::config::Environment;
use crate::error::{AppError, Result};
use crate::fix::{ApiFix, Ending, Fix};
use crate::openapi::check::{self, Given};
use crate::openapi::index::Index;
use crate::openapi::{Operation, template_names};
use crate::output::Warn;
use crate::vlog;
use reqwest::Method;

/// What the command line resolves to.
pub struct Plan {
    pub method: Method,
    pub path: String,
    /// The operation the request is (or whose path it matches), when the index has one.
    pub operation: Option<Operation>,
}

const METHODS: [&str; 9] = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT",
];

/// `warn` says a warning as soon as it applies (an unusable schema, a stale index, missing
/// scopes): before any error that follows it.
pub fn plan(
    warn: &dyn Warn,
    env: &Environment,
    args: &RequestArgs,
    body: Option<&[u8]>,
) -> Result<Plan> {
    let words = words(args);
    let Some(first) = words.first().copied() else {
        return Err(AppError::usage("a PATH or OPERATION is required")
            .ending(Ending::RequestUsage { operation: true }));
    };
    let looks_like_path = first.starts_with('/') || first.contains("://");
    let is_method = words.len() >= 2 && METHODS.contains(&first.to_ascii_uppercase().as_str());
    let mut index = Index::open(&env.name).unwrap_or_else(|e| {
        vlog!(1, "API index not used: {}", e.message);
        None
    });
    if !looks_like_path
        && !is_method
        && let Some(idx) = index.as_mut()
        && let Some(entry) = idx.find(first).cloned()
    {
        if let Some(fix) = idx.stale(&env.name) {
            warn.fix(&fix);
        }
        let op = idx.detail(&entry)?;
        let params = path_values(&op, &args.params, &words[1..])?;
        let path = format!("{}{}", idx.meta.base_path, fill(&op.path, &params)?);
        if !args.no_check {
            enforce(warn, &op, params, args, body)?;
        }
        return Ok(Plan {
            method: Method::from_bytes(op.method.as_bytes())
                .map_err(|_| AppError::bug("an indexed method is not one"))?,
            path,
            operation: Some(op),
        });
    }
    if !args.params.is_empty() {
        return Err(AppError::usage(format!(
            "-p fills an operation's path parameters, and {first:?} is not an operation in the environment's index"
        ))
        .fix(match index {
            Some(_) => ApiFix::ListOperations,
            None => ApiFix::IndexOperations {
                env: env.name.clone(),
            },
        }));
    }
    let max = if is_method { 2 } else { 1 };
    if words.len() > max {
        return Err(
            AppError::usage(format!("unexpected argument {:?}", words[max]))
                .ending(Ending::RequestUsage { operation: false }),
        );
    }
    let (method, path) = super::target::method_and_path(
        args.method.as_deref(),
        args.path.as_deref(),
        body.is_some(),
    )?;
    let mut operation = None;
    if let Some(idx) = index.as_mut()
        && let Some((entry, params)) = matching(idx, &method, &path)
    {
        let op = idx.detail(&entry)?;
        vlog!(1, "{method} {path} is operation {} of the API index", op.id);
        if !args.no_check {
            enforce(warn, &op, params, args, body)?;
        }
        operation = Some(op);
    }
    Ok(Plan {
        method,
        path,
        operation,
    })
}

/// The words before the options: METHOD PATH, PATH, or OPERATION and its path values.
fn words(args: &RequestArgs) -> Vec<&str> {
    let given = args.method.iter().chain(args.path.iter());
    given.chain(args.args.iter()).map(String::as_str).collect()
}

/// `-p NAME=VALUE` and positional values, in the order the path names its parameters.
fn path_values(
    op: &Operation,
    flags: &[String],
    positional: &[&str],
) -> Result<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::new();
    for f in flags {
        let (k, v) = split_pair(f, "-p")?;
        out.push((k.to_string(), v.to_string()));
    }
    let names = template_names(&op.path);
    let open: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| !out.iter().any(|(k, _)| k == n))
        .collect();
    if positional.len() > open.len() {
        return Err(AppError::usage(format!(
            "{} takes {} path parameter(s) ({}); {:?} is one too many",
            op.id,
            names.len(),
            names.join(", "),
            positional[open.len()]
        )));
    }
    for (name, value) in open.iter().zip(positional) {
        out.push((name.to_string(), value.to_string()));
    }
    Ok(out)
}

/// The path with its `{name}`s filled, each value escaped as one path segment.
fn fill(template: &str, values: &[(String, String)]) -> Result<String> {
    let mut path = template.to_string();
    for name in template_names(template) {
        if let Some((_, v)) = values.iter().find(|(k, _)| k == name) {
            if v == "." || v == ".." {
                return Err(AppError::usage(format!(
                    "path parameter {name} cannot be {v:?}"
                )));
            }
            let escaped: String = url::form_urlencoded::byte_serialize(v.as_bytes())
                .collect::<String>()
                .replace('+', "%20");
            path = path.replacen(&format!("{{{name}}}"), &escaped, 1);
        }
    }
    Ok(path)
}

fn enforce(
    warn: &dyn Warn,
    op: &Operation,
    path: Vec<(String, String)>,
    args: &RequestArgs,
    body: Option<&[u8]>,
) -> Result<()> {
    let mut query = Vec::new();
    for q in &args.query {
        let (k, v) = split_pair(q, "-q")?;
        query.push((k.to_string(), v.to_string()));
    }
    let mut headers = Vec::new();
    for h in &args.headers {
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let given = Given {
        path,
        query,
        headers,
        body,
    };
    let problems = check::problems(op, &given, warn);
    if problems.is_empty() {
        return Ok(());
    }
    let mut message = format!(
        "{} {} does not match the API's description ({} problem{}); nothing was sent:",
        op.method,
        op.path,
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in &problems {
        message.push_str("\n  ");
        message.push_str(p);
    }
    Err(AppError::usage(message).fix(ApiFix::ShowOperation {
        operation: op.id.clone(),
    }))
}

/// The operation whose method and path template match a plain path (query ignored),
/// preferring the template with the most literal segments.
fn matching(
    idx: &Index,
    method: &Method,
    path: &str,
) -> Option<(crate::openapi::index::Entry, Vec<(String, String)>)> {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let path = if path.contains("://") {
        url::Url::parse(path).ok()?.path().to_string()
    } else if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    let rest = path
        .strip_prefix(idx.meta.base_path.as_str())
        .unwrap_or(&path);
    type Found = (usize, crate::openapi::index::Entry, Vec<(String, String)>);
    let mut best: Option<Found> = None;
    for e in idx.entries.iter().filter(|e| e.method == method.as_str()) {
        if let Some(values) = match_template(&e.path, rest) {
            let literal = e.path.split('/').filter(|s| !s.contains('{')).count();
            if best.as_ref().is_none_or(|(n, _, _)| literal > *n) {
                best = Some((literal, e.clone(), values));
            }
        }
    }
    best.map(|(_, e, v)| (e, v))
}

/// The path parameters of `path` under `template`, `None` when it does not match.
pub fn match_template(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let t: Vec<&str> = template.trim_end_matches('/').split('/').collect();
    let p: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    if t.len() != p.len() {
        return None;
    }
    let mut out = Vec::new();
    for (ts, ps) in t.iter().zip(&p) {
        match (ts.find('{'), ts.find('}')) {
            (Some(open), Some(close)) if open < close => {
                let (prefix, suffix) = (&ts[..open], &ts[close + 1..]);
                let value = ps.strip_prefix(prefix)?.strip_suffix(suffix)?;
                if value.is_empty() {
                    return None;
                }
                let decoded = percent_decode(value);
                out.push((ts[open + 1..close].to_string(), decoded));
            }
            _ if ts == ps => {}
            _ => return None,
        }
    }
    Some(out)
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| s.to_string())
}

/// When the token lacks the OAuth scopes every alternative of the operation's security
/// needs: the warning that names the sign-in getting them. Unknown scopes say nothing.
pub fn missing_scopes(op: &Operation, have: &[String], env: &Environment) -> Option<Fix> {
    let alternatives = op.security.as_ref()?;
    if have.is_empty() || alternatives.is_empty() {
        return None;
    }
    let mut wanted: Option<Vec<String>> = None;
    for alt in alternatives {
        let needed: Vec<String> = alt
            .schemes
            .iter()
            .filter(|s| matches!(s.kind.as_str(), "oauth2" | "openIdConnect"))
            .flat_map(|s| s.scopes.iter().cloned())
            // A scope no sign-in can ask for (a space, a control character) is the
            // document's mistake: not named in a command to run.
            .filter(|s| crate::sanitize::scope_token_ok(s))
            .collect();
        let missing: Vec<String> = needed
            .iter()
            .filter(|s| !have.contains(s))
            .cloned()
            .collect();
        if missing.is_empty() {
            return None;
        }
        if wanted.is_none() {
            let mut all: Vec<String> = have.to_vec();
            all.extend(missing);
            wanted = Some(all);
        }
    }
    wanted.map(|all| {
        ApiFix::AskForScopes {
            operation: op.id.clone(),
            have: have.to_vec(),
            all,
            env: env.name.clone(),
        }
        .into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_scopes_no_sign_in_can_ask_for_are_not_named() {
        let op: Operation = serde_json::from_value(serde_json::json!({
            "id": "x", "method": "GET", "path": "/x",
            "security": [{"schemes": [{"name": "o", "type": "oauth2",
                "scopes": ["orders.read", "a b", "\u{1b}]8;;x\u{7}", "ok\"no"]}]}]
        }))
        .expect("operation");
        let env = Environment::blank("emu");
        let fix = missing_scopes(&op, &["orders.read".into()], &env);
        assert!(
            fix.is_none(),
            "only the valid scope is wanted, and the token has it"
        );
        let fix = missing_scopes(&op, &["other".into()], &env).expect("a fix");
        let Fix::Api(ApiFix::AskForScopes { all, .. }) = fix else {
            panic!("not AskForScopes")
        };
        assert_eq!(all, ["other", "orders.read"]);
    }

    #[test]
    fn templates_match_and_fill() {
        assert_eq!(
            match_template("/orders/{id}", "/orders/ord_1"),
            Some(vec![("id".into(), "ord_1".into())])
        );
        assert_eq!(match_template("/orders/{id}", "/orders"), None);
        assert_eq!(
            match_template("/files/{name}.json", "/files/a%20b.json"),
            Some(vec![("name".into(), "a b".into())])
        );
        assert_eq!(
            fill("/orders/{id}", &[("id".into(), "a/b c".into())]).expect("ok"),
            "/orders/a%2Fb%20c"
        );
        assert!(fill("/orders/{id}", &[("id".into(), "..".into())]).is_err());
    }
}
