//! `gtx env list|show|add|set|remove|use`: edits the config file in place, keeping what
//! it does not understand.

use crate::cli::{EnvAddArgs, EnvCommand};
use crate::config::{self, Environment, FIELDS};
use crate::context::Context;
use crate::error::{AppError, Result};
use crate::sanitize;
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
        return ctx.out.json(&serde_json::Value::Array(arr));
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
            sanitize::terminal(&e.api_base)
        ));
    }
    ctx.out.text(&text)
}

fn show(ctx: &Context, name: &str) -> Result<()> {
    let env = ctx.config.get(name)?;
    if ctx.json() {
        return ctx.out.json(&env.to_json());
    }
    ctx.out.text(&describe(&env))
}

fn describe(env: &Environment) -> String {
    let mut text = format!(
        "name            {}{}\n",
        env.name,
        if env.builtin { " (built-in)" } else { "" }
    );
    for f in FIELDS {
        if let Some(v) = (f.get)(env) {
            // One value, one line: a newline in a value must not forge another.
            text.push_str(&format!("{:15} {}\n", f.key, sanitize::terminal(&v)));
        }
    }
    text
}

fn env_table<'a>(doc: &'a mut DocumentMut, name: &str) -> Result<&'a mut Table> {
    let root = doc.as_table_mut();
    let comment = leading_comment(root, "environments");
    let envs = standard_table(
        root.entry("environments").or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        }),
        comment,
    )
    .ok_or_else(|| AppError::config("config: `environments` is not a table"))?;
    let comment = leading_comment(envs, name);
    standard_table(
        envs.entry(name)
            .or_insert_with(|| Item::Table(Table::new())),
        comment,
    )
    .ok_or_else(|| AppError::config(format!("config: environments.{name} is not a table")))
}

/// What is written above `key = { … }` in `table` (comments, blank lines), taken from the
/// key when its inline table is about to become a `[table]`, whose header then carries it.
fn leading_comment(table: &mut Table, key: &str) -> Option<toml_edit::RawString> {
    if !table.get(key).is_some_and(Item::is_inline_table) {
        return None;
    }
    let mut k = table.key_mut(key)?;
    let comment = k.leaf_decor().prefix().cloned();
    k.leaf_decor_mut().clear();
    comment
}

/// The item as a `[table]`: an inline table a person wrote (`x = { api_base = … }`), which
/// the reader accepts, becomes the equivalent standard table so keys can be added to it;
/// what was written above it stays above its header.
fn standard_table(item: &mut Item, comment: Option<toml_edit::RawString>) -> Option<&mut Table> {
    if item.is_inline_table() {
        *item = match std::mem::take(item).into_table() {
            Ok(mut t) => {
                match comment {
                    Some(c) => t.decor_mut().set_prefix(c),
                    None => t.set_implicit(true),
                }
                Item::Table(t)
            }
            Err(unchanged) => unchanged,
        };
    }
    item.as_table_mut()
}

fn add(ctx: &Context, args: EnvAddArgs) -> Result<()> {
    let name = args.name.clone();
    if !config::valid_name(&name) {
        return Err(AppError::usage(format!(
            "environment name {name:?} may use only letters, digits, '.', '_' and '-', at most 64 of them"
        )));
    }
    refuse_existing(&ctx.config, &name, args.force)?;
    let mut fields: Vec<(&str, String)> = Vec::new();
    let issuer = args.fields.values.iter().find(|(k, _)| *k == "issuer");
    if let Some((_, issuer)) = issuer {
        let trust = match args.fields.values.iter().find(|(k, _)| *k == "ca_file") {
            Some((_, f)) => {
                let path = from_here(field_of("ca_file")?, f)?;
                crate::oauth::tls::Trust::from_file(std::path::Path::new(&path))?
            }
            None => crate::oauth::tls::Trust::default(),
        };
        fields = crate::oauth::discovery::discover(ctx, issuer, &trust)?;
    }
    // DPoP only when asked: `--dpop auto` takes what the server advertises.
    let discovered_dpop = fields
        .iter()
        .find(|(k, _)| *k == "dpop")
        .map(|(_, v)| v.clone());
    fields.retain(|(k, _)| *k != "dpop");
    for (k, v) in &args.fields.values {
        fields.retain(|(fk, _)| fk != k);
        let v = match (*k, v.as_str(), &discovered_dpop) {
            ("dpop", "auto", Some(found)) => found.clone(),
            ("dpop", "auto", None) => {
                return Err(AppError::usage(
                    "--dpop auto reads the server's discovery document: give --issuer too",
                ));
            }
            _ => from_here(field_of(k)?, v)?,
        };
        fields.push((k, v));
    }
    if !fields.iter().any(|(k, _)| *k == "api_base") {
        return Err(AppError::usage(
            "--api-base is required (the issuer gave no base to use)",
        ));
    }
    // Validate everything before touching the file.
    let mut probe = Environment::blank(&name);
    for (k, v) in &fields {
        field_of(k)?.apply(&mut probe, v)?;
    }
    ctx.config.edit(|current, doc| {
        // Again under the lock: another gtx may have added it since.
        refuse_existing(current, &name, args.force)?;
        let table = env_table(doc, &name)?;
        if args.force {
            table.clear();
        }
        for f in FIELDS {
            if let Some((_, v)) = fields.iter().find(|(k, _)| *k == f.key) {
                // Written as understood (e.g. api_base without its trailing slash).
                let v = (f.get)(&probe).unwrap_or_else(|| v.clone());
                table.insert(f.key, f.toml(&v));
            }
        }
        Ok(())
    })?;
    if ctx.json() {
        return ctx.out.json(&probe.to_json());
    }
    ctx.out.success(&format!(
        "added environment {name} ({}, {}) to {}",
        probe.dialect.name(),
        probe.api_base,
        ctx.config.path.display()
    ));
    Ok(())
}

fn refuse_existing(config: &config::Config, name: &str, force: bool) -> Result<()> {
    let exists =
        config.environments.iter().any(|e| e.name == name) || config::BUILTIN_NAMES.contains(&name);
    if exists && !force {
        return Err(
            AppError::config(format!("environment {name:?} already exists")).hint(format!(
                "change it with `gtx env set {name} KEY VALUE`, or replace it with --force"
            )),
        );
    }
    Ok(())
}

fn set(ctx: &Context, name: &str, key: &str, value: &str) -> Result<()> {
    let field = field_of(key)?;
    let value = &from_here(field, value)?;
    if key == "api_base" && value.is_empty() {
        return Err(AppError::usage("api_base cannot be empty"));
    }
    let mut before = None;
    let env = ctx.config.edit(|current, doc| {
        let mut env = current.get(name)?;
        before = Some(crate::oauth::binding::of(&env));
        field.apply(&mut env, value)?;
        let table = env_table(doc, name)?;
        if value.is_empty() {
            table.remove(key);
        } else {
            table.insert(key, field.toml(value));
        }
        Ok(env)
    })?;
    if before.is_some_and(|b| b != crate::oauth::binding::of(&env)) {
        ctx.out.warn(&format!(
            "sessions of {name} were issued under its old settings and are not used with the new ones: sign in again (gtx login --env {name}); a stored client secret is not sent to a new token endpoint without asking"
        ));
    }
    if ctx.json() {
        return ctx.out.json(&env.to_json());
    }
    if value.is_empty() {
        ctx.out.success(&format!("unset {name}.{key}"));
    } else {
        ctx.out.success(&format!(
            "set {name}.{key} = {}",
            (field.get)(&env).unwrap_or_default()
        ));
    }
    Ok(())
}

/// A file named on the command line is where the user stands, not beside the config file:
/// written absolute, so the config means the same file from any directory.
fn from_here(field: &config::Field, value: &str) -> Result<String> {
    if field.kind != config::Kind::File || value.is_empty() {
        return Ok(value.to_string());
    }
    let here = std::env::current_dir().map_err(|e| {
        AppError::config(format!(
            "{}: cannot resolve {value:?} against the current directory: {e}",
            field.key
        ))
    })?;
    Ok(config::against(&here, value))
}

fn field_of(key: &str) -> Result<&'static config::Field> {
    config::field(key).ok_or_else(|| {
        let keys: Vec<&str> = config::field_keys().collect();
        let err = AppError::usage(format!(
            "unknown field {key:?}; fields: {}",
            keys.join(", ")
        ));
        config::did_you_mean(err, key, keys)
    })
}

fn remove(ctx: &Context, name: &str) -> Result<()> {
    let builtin = config::BUILTIN_NAMES.contains(&name);
    let was_default = ctx.config.edit(|current, doc| {
        if !current.environments.iter().any(|e| e.name == name) {
            if builtin {
                return Err(AppError::config(format!(
                    "{name} is built in and has no override to remove"
                )));
            }
            current.get(name)?;
        }
        if let Some(envs) = doc
            .get_mut("environments")
            .and_then(Item::as_table_like_mut)
        {
            envs.remove(name);
        }
        let was_default = current.default_env.as_deref() == Some(name) && !builtin;
        if was_default {
            doc.as_table_mut().remove("default_env");
        }
        Ok(was_default)
    })?;
    if was_default {
        ctx.out.warn(&format!(
            "{name} was the default environment; the default is sandbox again"
        ));
    }
    if ctx.json() {
        let removed = if builtin { "override" } else { "environment" };
        return ctx
            .out
            .json(&serde_json::json!({"name": name, "removed": removed}));
    }
    if builtin {
        ctx.out.success(&format!(
            "removed the override of {name}; the built-in settings apply"
        ));
    } else {
        ctx.out.success(&format!("removed environment {name}"));
        ctx.out.status(&format!(
            "credentials stored for {name} were not touched (`gtx logout --env {name}` before removing an environment signs it out)"
        ));
    }
    Ok(())
}

fn use_env(ctx: &Context, name: &str) -> Result<()> {
    ctx.config.edit(|current, doc| {
        current.get(name)?;
        doc.as_table_mut()
            .insert("default_env", toml_edit::value(name));
        Ok(())
    })?;
    if ctx.json() {
        return ctx.out.json(&serde_json::json!({"default_env": name}));
    }
    ctx.out
        .success(&format!("default environment is now {name}"));
    Ok(())
}
