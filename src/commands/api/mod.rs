//! `gtx api sync | list | show`: the environment's OpenAPI operations. Only `sync` touches
//! the network; `list` and `show` read the index it wrote.

mod sync;

use crate::cli::ApiCommand;
use crate::context::Context;
use crate::error::{AppError, Result};
use crate::openapi::index::Index;
use crate::openapi::{Operation, example};
use serde_json::{Value, json};
use std::fmt::Write as _;

pub fn run(ctx: &Context, cmd: ApiCommand) -> Result<()> {
    match cmd {
        ApiCommand::Sync => run_sync(ctx),
        ApiCommand::List { filter, tag } => list(ctx, filter.as_deref(), tag.as_deref()),
        ApiCommand::Show { operation } => show(ctx, &operation),
    }
}

fn run_sync(ctx: &Context) -> Result<()> {
    let env = ctx.env()?;
    let r = sync::run(ctx, &env)?;
    if ctx.json() {
        return ctx.out.json(&json!({
            "environment": env.name,
            "source": r.source,
            "found_by": r.how,
            "unchanged": r.unchanged,
            "spec": r.meta.spec,
            "title": r.meta.title,
            "version": r.meta.version,
            "operations": r.meta.count,
            "base_path": r.meta.base_path,
            "index": r.index.display().to_string(),
        }));
    }
    ctx.out.success(&format!(
        "{} operations of {} {} (OpenAPI {}) from {} ({}) indexed for {}",
        r.meta.count,
        if r.meta.title.is_empty() {
            "the API"
        } else {
            &r.meta.title
        },
        r.meta.version,
        r.meta.spec,
        r.source,
        r.how,
        env.name
    ));
    Ok(())
}

fn open(ctx: &Context) -> Result<(String, Index)> {
    let env = ctx.env()?;
    match Index::open(&env.name)? {
        Some(i) => {
            if let Some(fix) = i.stale(&env.name) {
                super::hints::warn(&ctx.out, &fix);
            }
            Ok((env.name, i))
        }
        None => Err(
            AppError::config(format!("environment {} has no API index yet", env.name))
                .hint(format!("run `gtx api sync --env {}`", env.name)),
        ),
    }
}

fn list(ctx: &Context, filter: Option<&str>, tag: Option<&str>) -> Result<()> {
    let (env, idx) = open(ctx)?;
    let needle = filter.map(str::to_lowercase);
    let shown: Vec<_> = idx
        .entries
        .iter()
        .filter(|e| tag.is_none_or(|t| e.tags.iter().any(|x| x.eq_ignore_ascii_case(t))))
        .filter(|e| {
            needle.as_deref().is_none_or(|n| {
                e.id.to_lowercase().contains(n)
                    || e.path.to_lowercase().contains(n)
                    || e.summary.to_lowercase().contains(n)
            })
        })
        .collect();
    if ctx.json() {
        let ops: Vec<Value> = shown
            .iter()
            .map(|e| json!({"id": e.id, "method": e.method, "path": e.path, "summary": e.summary, "tags": e.tags}))
            .collect();
        return ctx.out.json(&json!({
            "environment": env,
            "synced_at": crate::time::rfc3339(idx.meta.synced_at),
            "stale": idx.age() > crate::openapi::index::STALE_SECS,
            "operations": ops,
        }));
    }
    if shown.is_empty() {
        ctx.out.status("no operation matches");
        return Ok(());
    }
    let mw = shown.iter().map(|e| e.method.len()).max().unwrap_or(0);
    let pw = shown
        .iter()
        .map(|e| e.path.chars().count())
        .max()
        .unwrap_or(0)
        .min(60);
    let iw = shown
        .iter()
        .map(|e| e.id.chars().count())
        .max()
        .unwrap_or(0)
        .min(40);
    // Written in chunks through one small buffer: a listing of a large API (GitHub's has
    // 1,223 operations, 190 KB) never sits whole in memory, and each page touched costs a
    // fault on every run (docs/benchmarks.md).
    const CHUNK: usize = 32 * 1024;
    let mut out = String::with_capacity(CHUNK + 1024);
    for e in shown {
        let start = out.len();
        let _ = write!(
            out,
            "{:mw$}  {:pw$}  {:iw$}  {}",
            e.method, e.path, e.id, e.summary
        );
        let kept = out[start..].trim_end().len();
        out.truncate(start + kept);
        out.push('\n');
        if out.len() >= CHUNK {
            ctx.out.text(&out)?;
            out.clear();
        }
    }
    ctx.out.text(&out)
}

fn show(ctx: &Context, name: &str) -> Result<()> {
    let (env, mut idx) = open(ctx)?;
    let Some(entry) = idx.find(name).cloned() else {
        let ids = idx.entries.iter().map(|e| e.id.as_str());
        let mut err = AppError::usage(format!("no operation {name:?} in the API index of {env}"));
        if let Some(s) = crate::config::suggest(name, ids) {
            err = err.hint(format!("did you mean {s}?"));
        }
        return Err(err.hint("`gtx api list` shows them"));
    };
    let op = idx.detail(&entry)?;
    let full_path = format!("{}{}", idx.meta.base_path, op.path);
    if ctx.json() {
        return ctx.out.json(&to_json(&op, &full_path));
    }
    ctx.out.text(&describe(&op, &full_path))
}

fn schema_type(s: &Value) -> String {
    match s.get("type") {
        Some(Value::String(t)) => match (t.as_str(), s.get("format").and_then(Value::as_str)) {
            ("array", _) => format!(
                "array of {}",
                s.get("items")
                    .map(schema_type)
                    .unwrap_or_else(|| "any".into())
            ),
            (t, Some(f)) => format!("{t} ({f})"),
            (t, None) => t.to_string(),
        },
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("|"),
        _ if s.get("properties").is_some() => "object".into(),
        _ => "any".into(),
    }
}

fn to_json(op: &Operation, full_path: &str) -> Value {
    let params: Vec<Value> = op
        .parameters
        .iter()
        .map(|p| {
            json!({
                "name": p.name,
                "in": p.location,
                "required": p.required,
                "type": schema_type(&p.schema),
                "enum": p.schema.get("enum").cloned().unwrap_or(Value::Null),
                "default": p.schema.get("default").cloned().unwrap_or(Value::Null),
                "description": p.description,
            })
        })
        .collect();
    let body = op.body.as_ref().map(|b| {
        json!({
            "content_type": b.content_type,
            "required": b.required,
            "schema": b.schema,
            "example": example::of(&b.schema),
        })
    });
    json!({
        "id": op.id,
        "method": op.method,
        "path": op.path,
        "full_path": full_path,
        "summary": op.summary,
        "tags": op.tags,
        "deprecated": op.deprecated,
        "parameters": params,
        "body": body,
        "responses": op.responses,
        "security": op.security,
        "sent_with_token": !op.anonymous(),
    })
}

fn describe(op: &Operation, full_path: &str) -> String {
    let mut s = format!("{}  {} {full_path}\n", op.id, op.method);
    if !op.summary.is_empty() {
        s.push_str(&format!("  {}\n", op.summary));
    }
    if !op.tags.is_empty() {
        s.push_str(&format!("  tags: {}\n", op.tags.join(", ")));
    }
    if op.deprecated {
        s.push_str("  deprecated\n");
    }
    parameters_section(&mut s, op);
    body_section(&mut s, op);
    responses_section(&mut s, op);
    security_section(&mut s, op);
    s
}

fn parameters_section(s: &mut String, op: &Operation) {
    if !op.parameters.is_empty() {
        s.push_str("\nParameters:\n");
        for p in &op.parameters {
            let mut facts = vec![p.location.clone(), schema_type(&p.schema)];
            if p.required {
                facts.push("required".into());
            }
            if let Some(Value::Array(e)) = p.schema.get("enum") {
                let vals: Vec<String> = e
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| v.to_string())
                    })
                    .collect();
                facts.push(format!("one of {}", vals.join("|")));
            }
            if let Some(d) = p.schema.get("default") {
                facts.push(format!("default {d}"));
            }
            let desc = p.description.lines().next().unwrap_or("");
            s.push_str(format!("  {}  ({})  {desc}", p.name, facts.join(", ")).trim_end());
            s.push('\n');
        }
    }
}

fn body_section(s: &mut String, op: &Operation) {
    if let Some(b) = &op.body {
        s.push_str(&format!(
            "\nRequest body ({}{}):\n",
            b.content_type,
            if b.required { ", required" } else { "" }
        ));
        let schema = serde_json::to_string_pretty(&b.schema).unwrap_or_default();
        s.push_str("  schema:\n");
        for l in schema.lines() {
            s.push_str(&format!("    {l}\n"));
        }
        let ex = serde_json::to_string_pretty(&example::of(&b.schema)).unwrap_or_default();
        s.push_str("  example:\n");
        for l in ex.lines() {
            s.push_str(&format!("    {l}\n"));
        }
    }
}

fn responses_section(s: &mut String, op: &Operation) {
    if !op.responses.is_empty() {
        s.push_str("\nResponses:\n");
        for r in &op.responses {
            let what = [r.content_type.clone(), r.schema.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            s.push_str(
                format!(
                    "  {}  {what}  {}",
                    r.status,
                    r.description.lines().next().unwrap_or("")
                )
                .trim_end(),
            );
            s.push('\n');
        }
    }
}

fn security_section(s: &mut String, op: &Operation) {
    s.push_str("\nSecurity: ");
    match &op.security {
        None => s.push_str("not declared (gtx sends the environment's token)\n"),
        Some(alts) if alts.is_empty() => s.push_str("none (sent without a token)\n"),
        Some(alts) => {
            let shown: Vec<String> = alts
                .iter()
                .map(|a| {
                    if a.schemes.is_empty() {
                        return "anonymous".to_string();
                    }
                    a.schemes
                        .iter()
                        .map(|u| match u.scopes.is_empty() {
                            true => format!("{} ({})", u.name, u.kind),
                            false => format!("{} ({}: {})", u.name, u.kind, u.scopes.join(" ")),
                        })
                        .collect::<Vec<_>>()
                        .join(" and ")
                })
                .collect();
            s.push_str(&shown.join(" or "));
            s.push('\n');
        }
    }
}
