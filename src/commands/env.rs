//! `gtx env list|show|add|set|remove|use`: edits the config file in place, keeping what
//! it does not understand.

use crate::cli::{EnvAddArgs, EnvCommand};
use crate::config::{self, Environment, FIELDS};
use crate::context::Context;
use crate::error::{AppError, Result};
use crate::output;
use toml_edit::{DocumentMut, Item, Table};

pub fn run(ctx: &Context, cmd: EnvCommand) -> Result<()> {
    match cmd {
        EnvCommand::List => list(ctx),
        EnvCommand::Show { name } => show(ctx, &name.unwrap_or_else(|| current_name(ctx))),
        EnvCommand::Add(args) => add(ctx, args),
        EnvCommand::Set { name, key, value } => set(ctx, &name, &key, &value),
        EnvCommand::Remove { name } => remove(ctx, &name),
        EnvCommand::Use { name } => use_env(ctx, &name),
    }
}

fn current_name(ctx: &Context) -> String {
    ctx.global
        .env
        .clone()
        .filter(|s| !s.is_empty())
        .or_else(|| ctx.config.default_env.clone())
        .unwrap_or_else(|| "sandbox".into())
}

fn list(ctx: &Context) -> Result<()> {
    let current = current_name(ctx);
    let envs = ctx.config.all();
    if ctx.json() {
        let arr: Vec<_> = envs
            .iter()
            .map(|e| {
                let mut v = e.to_json();
                v["current"] = (e.name == current).into();
                v
            })
            .collect();
        return output::json(&serde_json::Value::Array(arr));
    }
    let width = envs.iter().map(|e| e.name.len()).max().unwrap_or(0);
    let mut text = String::new();
    for e in &envs {
        let mark = if e.name == current { "*" } else { " " };
        let origin = if e.builtin { " (built-in)" } else { "" };
        text.push_str(&format!(
            "{mark} {:width$}  {:12}  {}{origin}\n",
            e.name,
            e.dialect.name(),
            e.api_base
        ));
    }
    output::data(&text)
}

fn show(ctx: &Context, name: &str) -> Result<()> {
    let env = ctx.config.get(name)?;
    if ctx.json() {
        return output::json(&env.to_json());
    }
    output::data(&describe(&env))
}

fn describe(env: &Environment) -> String {
    let mut text = format!(
        "name            {}{}\n",
        env.name,
        if env.builtin { " (built-in)" } else { "" }
    );
    for key in FIELDS {
        if let Some(v) = env.field(key) {
            text.push_str(&format!("{key:15} {v}\n"));
        }
    }
    text
}

fn env_table<'a>(doc: &'a mut DocumentMut, name: &str) -> Result<&'a mut Table> {
    let root = doc.as_table_mut();
    let envs = root
        .entry("environments")
        .or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        })
        .as_table_mut()
        .ok_or_else(|| AppError::config("config: `environments` is not a table"))?;
    envs.entry(name)
        .or_insert_with(|| Item::Table(Table::new()))
        .as_table_mut()
        .ok_or_else(|| AppError::config(format!("config: environments.{name} is not a table")))
}

fn add(ctx: &Context, args: EnvAddArgs) -> Result<()> {
    let name = args.name.clone();
    if !config::valid_name(&name) {
        return Err(AppError::usage(format!(
            "environment name {name:?} may use only letters, digits, '.', '_' and '-'"
        )));
    }
    let exists = ctx.config.environments.iter().any(|e| e.name == name)
        || config::BUILTIN_NAMES.contains(&name.as_str());
    if exists && !args.force {
        return Err(
            AppError::config(format!("environment {name:?} already exists")).hint(format!(
                "change it with `gtx env set {name} KEY VALUE`, or replace it with --force"
            )),
        );
    }
    let mut fields: Vec<(&str, String)> = Vec::new();
    if let Some(issuer) = &args.issuer {
        for (k, v) in crate::oauth::discovery::discover(ctx, issuer)? {
            fields.push((k, v));
        }
    }
    let given: [(&str, Option<String>); 13] = [
        ("api_base", args.api_base.clone()),
        ("dialect", args.dialect.map(|d| d.name().to_string())),
        ("token_url", args.token_url.clone()),
        ("authorize_url", args.authorize_url.clone()),
        ("validate_url", args.validate_url.clone()),
        ("introspect_url", args.introspect_url.clone()),
        ("revoke_url", args.revoke_url.clone()),
        ("client_id", args.client_id.clone()),
        ("scopes", args.scopes.clone()),
        ("redirect_port", args.redirect_port.map(|p| p.to_string())),
        ("token_prefix", args.token_prefix.clone()),
        (
            "client_auth",
            args.client_auth.map(|c| c.name().to_string()),
        ),
        ("issuer", args.issuer.clone()),
    ];
    for (k, v) in given {
        if let Some(v) = v {
            fields.retain(|(fk, _)| *fk != k);
            fields.push((k, v));
        }
    }
    if !fields.iter().any(|(k, _)| *k == "api_base") {
        return Err(AppError::usage(
            "--api-base is required (the issuer gave no base to use)",
        ));
    }
    // Validate everything before touching the file.
    let mut probe = ctx.config.get("sandbox").map(|mut e| {
        e.name = name.clone();
        e.builtin = false;
        e.token_url = None;
        e.authorize_url = None;
        e.scopes.clear();
        e
    })?;
    for (k, v) in &fields {
        config::apply_field(&mut probe, k, v)?;
    }
    let mut doc = ctx.config.document()?;
    let table = env_table(&mut doc, &name)?;
    if args.force {
        table.clear();
    }
    for key in FIELDS {
        if let Some((_, v)) = fields.iter().find(|(k, _)| k == key) {
            let v = if *key == "api_base" {
                v.trim_end_matches('/').to_string()
            } else {
                v.clone()
            };
            table.insert(key, config::toml_value(key, &v));
        }
    }
    ctx.config.save(&doc)?;
    if ctx.json() {
        return output::json(&probe.to_json());
    }
    output::success(&format!(
        "added environment {name} ({}, {}) to {}",
        probe.dialect.name(),
        probe.api_base,
        ctx.config.path.display()
    ));
    Ok(())
}

fn set(ctx: &Context, name: &str, key: &str, value: &str) -> Result<()> {
    let mut env = ctx.config.get(name)?;
    if !FIELDS.contains(&key) {
        let err = AppError::usage(format!(
            "unknown field {key:?}; fields: {}",
            FIELDS.join(", ")
        ));
        return Err(config::did_you_mean(err, key, FIELDS.iter().copied()));
    }
    if key == "api_base" && value.is_empty() {
        return Err(AppError::usage("api_base cannot be empty"));
    }
    config::apply_field(&mut env, key, value)?;
    let mut doc = ctx.config.document()?;
    let table = env_table(&mut doc, name)?;
    if value.is_empty() {
        table.remove(key);
    } else {
        table.insert(key, config::toml_value(key, value));
    }
    ctx.config.save(&doc)?;
    if ctx.json() {
        return output::json(&env.to_json());
    }
    if value.is_empty() {
        output::success(&format!("unset {name}.{key}"));
    } else {
        output::success(&format!(
            "set {name}.{key} = {}",
            env.field(key).unwrap_or_default()
        ));
    }
    Ok(())
}

fn remove(ctx: &Context, name: &str) -> Result<()> {
    let configured = ctx.config.environments.iter().any(|e| e.name == name);
    let builtin = config::BUILTIN_NAMES.contains(&name);
    if !configured {
        if builtin {
            return Err(AppError::config(format!(
                "{name} is built in and has no override to remove"
            )));
        }
        ctx.config.get(name)?;
    }
    let mut doc = ctx.config.document()?;
    if let Some(envs) = doc
        .get_mut("environments")
        .and_then(Item::as_table_like_mut)
    {
        envs.remove(name);
    }
    if ctx.config.default_env.as_deref() == Some(name) && !builtin {
        doc.as_table_mut().remove("default_env");
        output::warn(&format!(
            "{name} was the default environment; the default is sandbox again"
        ));
    }
    ctx.config.save(&doc)?;
    if ctx.json() {
        let removed = if builtin { "override" } else { "environment" };
        return output::json(&serde_json::json!({"name": name, "removed": removed}));
    }
    if builtin {
        output::success(&format!(
            "removed the override of {name}; the built-in settings apply"
        ));
    } else {
        output::success(&format!("removed environment {name}"));
        output::status(&format!(
            "credentials stored for {name} were not touched (`gtx logout --env {name}` before removing an environment signs it out)"
        ));
    }
    Ok(())
}

fn use_env(ctx: &Context, name: &str) -> Result<()> {
    ctx.config.get(name)?;
    let mut doc = ctx.config.document()?;
    doc.as_table_mut()
        .insert("default_env", toml_edit::value(name));
    ctx.config.save(&doc)?;
    if ctx.json() {
        return output::json(&serde_json::json!({"default_env": name}));
    }
    output::success(&format!("default environment is now {name}"));
    Ok(())
}
