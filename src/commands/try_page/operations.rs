//! The page's endpoint list: the environment's OpenAPI index as `gtx api sync` wrote it
//! (src/openapi), read, never fetched: the page shows a hint to sync where there is none.

use crate::error::Result;
use crate::openapi::{Parameter, example, index::Index};
use serde_json::{Value, json};

/// Every operation of `env`'s index, or the hint to make one.
pub fn list(env: &str) -> Result<Value> {
    let Some(index) = Index::open(env)? else {
        return Ok(json!({
            "operations": [],
            "hint": format!("No API index for {env}: run `gtx api sync --env {env}` to list its endpoints here. The path field works without one."),
        }));
    };
    let ops: Vec<Value> = index
        .entries
        .iter()
        .map(|e| {
            json!({
                "id": e.id,
                "method": e.method,
                "path": e.path,
                "tags": e.tags,
                "summary": e.summary,
            })
        })
        .collect();
    let age = index.age();
    let hint = (age > 86_400).then(|| {
        format!(
            "The API index is {} old: `gtx api sync --env {env}` refreshes it.",
            crate::openapi::index::human_age(age)
        )
    });
    Ok(json!({ "operations": ops, "hint": hint, "base_path": index.meta.base_path }))
}

/// One operation as the page's form needs it: its parameters (required ones marked,
/// enums as choices) and an example body.
pub fn detail(env: &str, id: &str) -> Result<Value> {
    let not_found = || {
        crate::error::AppError::usage(format!("{id:?} is not an operation in {env}'s API index"))
            .hint(format!("`gtx api sync --env {env}` refreshes the index"))
    };
    let mut index = Index::open(env)?.ok_or_else(not_found)?;
    let entry = index.find(id).cloned().ok_or_else(not_found)?;
    let op = index.detail(&entry)?;
    let params: Vec<Value> = op.parameters.iter().map(form_field).collect();
    let body = op.body.as_ref().map(|b| {
        let ex = example::of(&b.schema);
        let text = match (&ex, b.content_type.contains("json")) {
            (Value::Null, _) => String::new(),
            (Value::String(s), false) => s.clone(),
            (v, _) => serde_json::to_string_pretty(v).unwrap_or_default(),
        };
        json!({ "content_type": b.content_type, "required": b.required, "example": text })
    });
    Ok(json!({
        "id": op.id,
        "method": op.method,
        "path": format!("{}{}", index.meta.base_path, op.path),
        "summary": op.summary,
        "deprecated": op.deprecated,
        "parameters": params,
        "body": body,
    }))
}

/// A parameter as a field of the page's form: path parameters are always required, and
/// the choices and default are text, as the form's inputs hold them.
fn form_field(p: &Parameter) -> Value {
    let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_string);
    let choices = p.schema.get("enum").and_then(Value::as_array);
    json!({
        "name": p.name,
        "in": p.location,
        "required": p.required || p.location == "path",
        "description": p.description,
        "enum": choices.map(|e| e.iter().map(text).collect::<Vec<_>>()),
        "default": p.schema.get("default").map(text),
    })
}

/// What the page's Send means, as `gtx request` arguments: the operation's id and its
/// parameters by where the document puts them, or the method and free path; then the
/// page's own query and header rows.
pub fn request_args(env: &str, input: &Value) -> Result<crate::cli::RequestArgs> {
    use super::input::{pairs, text};
    let mut args = crate::cli::RequestArgs {
        method: None,
        path: None,
        args: Vec::new(),
        params: Vec::new(),
        dry_run: false,
        no_check: false,
        headers: Vec::new(),
        data: None,
        raw_fields: Vec::new(),
        fields: Vec::new(),
        query: Vec::new(),
        include: false,
        output: None,
        retry: 0,
    };
    match input.get("operation").and_then(Value::as_str) {
        Some(id) => {
            let detail = detail(env, id)?;
            let given = input.get("params").and_then(Value::as_object);
            for p in detail["parameters"].as_array().into_iter().flatten() {
                let (Some(name), Some(place)) = (p["name"].as_str(), p["in"].as_str()) else {
                    continue;
                };
                let Some(value) = given.and_then(|g| g.get(name)).and_then(Value::as_str) else {
                    continue;
                };
                match place {
                    "path" => args.params.push(format!("{name}={value}")),
                    "query" => args.query.push(format!("{name}={value}")),
                    "header" => args.headers.push(format!("{name}: {value}")),
                    _ => {}
                }
            }
            args.method = Some(id.to_string());
        }
        None => {
            args.method = Some(text(input, "method")?.to_ascii_uppercase());
            args.path = Some(text(input, "path")?);
        }
    }
    for (k, v) in pairs(input, "query")? {
        args.query.push(format!("{k}={v}"));
    }
    for (k, v) in pairs(input, "headers")? {
        args.headers.push(format!("{k}: {v}"));
    }
    Ok(args)
}
