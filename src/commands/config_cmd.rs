//! `gtx config get|set|list|path`: gtx's own top-level settings (`store`, `default_env`) in
//! the same config file `gtx env` edits, so `gtx config set store file` is the one lasting
//! way out on a machine without a keyring. Writes keep comments and unknown keys.

use crate::cli::ConfigCommand;
use crate::config::{self, SETTINGS};
use crate::context::Context;
use crate::error::{AppError, Result};
use serde_json::{Value, json};

pub fn run(ctx: &Context, cmd: ConfigCommand) -> Result<()> {
    match cmd {
        ConfigCommand::Get { key } => get(ctx, &key),
        ConfigCommand::Set { key, value } => set(ctx, &key, &value),
        ConfigCommand::List => list(ctx),
        ConfigCommand::Path => path(ctx),
    }
}

/// The setting's default, or a usage error that suggests the closest known key.
fn default_of(key: &str) -> Result<&'static str> {
    match SETTINGS.iter().find(|(k, _, _)| *k == key) {
        Some((_, default, _)) => Ok(default),
        None => {
            let names: Vec<&str> = SETTINGS.iter().map(|(k, _, _)| *k).collect();
            let err = AppError::usage(format!(
                "unknown setting {key:?}; settings: {}",
                names.join(", ")
            ))
            .hint("environment fields are set with: gtx env set NAME KEY VALUE");
            Err(config::did_you_mean(err, key, names))
        }
    }
}

/// (value, source): what the file says, else the default.
fn effective(ctx: &Context, key: &str) -> Result<(String, &'static str)> {
    let default = default_of(key)?;
    Ok(match ctx.config.setting(key) {
        Some(v) => (v, "config"),
        None => (default.to_string(), "default"),
    })
}

fn get(ctx: &Context, key: &str) -> Result<()> {
    let (value, source) = effective(ctx, key)?;
    if ctx.json() {
        return ctx
            .out
            .json(&json!({"key": key, "value": value, "source": source}));
    }
    // A hand-edited file may hold anything; a valid value has nothing to escape.
    ctx.out
        .data(&format!("{}\n", crate::sanitize::terminal(&value)))
}

fn set(ctx: &Context, key: &str, value: &str) -> Result<()> {
    default_of(key)?;
    match key {
        "store" if !value.is_empty() && crate::store::StoreKind::parse(value).is_none() => {
            let err = AppError::usage(format!(
                "store must be keyring, file or memory, not {value:?}"
            ));
            return Err(config::did_you_mean(
                err,
                value,
                ["keyring", "file", "memory"],
            ));
        }
        _ => {}
    }
    ctx.config.edit(|current, doc| {
        // Checked on the file as it is under the lock: an `env remove` in parallel must not
        // leave `default_env` naming an environment that is gone.
        if key == "default_env" && !value.is_empty() {
            current.get(value)?;
        }
        if value.is_empty() {
            doc.as_table_mut().remove(key);
        } else {
            doc.as_table_mut().insert(key, toml_edit::value(value));
        }
        Ok(())
    })?;
    let path = ctx.config.path.display().to_string();
    if ctx.json() {
        let shown = (!value.is_empty()).then_some(value);
        return ctx
            .out
            .json(&json!({"key": key, "value": shown, "path": path}));
    }
    if value.is_empty() {
        ctx.out.success(&format!("unset {key} in {path}"));
    } else {
        ctx.out.success(&format!("set {key} = {value} in {path}"));
    }
    if key == "store" && value == "file" {
        ctx.out.status(
            "credentials now go to a 0600 file in your data directory (GTX_STORE and --store still win)",
        );
    }
    Ok(())
}

fn list(ctx: &Context) -> Result<()> {
    let mut rows = Vec::new();
    for (key, _, about) in SETTINGS {
        let (value, source) = effective(ctx, key)?;
        rows.push((*key, value, source, *about));
    }
    if ctx.json() {
        let settings: Vec<Value> = rows
            .iter()
            .map(|(k, v, s, _)| json!({"key": k, "value": v, "source": s}))
            .collect();
        let path = ctx.config.path.display().to_string();
        return ctx.out.json(&json!({"path": path, "settings": settings}));
    }
    let mut text = String::new();
    for (key, value, source, about) in rows {
        let note = if source == "default" {
            " (default)"
        } else {
            ""
        };
        let value = crate::sanitize::terminal(&value);
        text.push_str(&format!("{key:12} {value}{note}    # {about}\n"));
    }
    ctx.out.data(&text)
}

fn path(ctx: &Context) -> Result<()> {
    let path = ctx.config.path.display().to_string();
    if ctx.json() {
        return ctx
            .out
            .json(&json!({"path": path, "exists": ctx.config.path.exists()}));
    }
    ctx.out.data(&format!("{path}\n"))
}
