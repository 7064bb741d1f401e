//! Environments: the built-ins, the config file (read with spans so errors name the line,
//! written with `toml_edit` so users' comments and unknown keys survive), and selection.

use crate::error::{AppError, Result};
use clap::ValueEnum;
use reqwest::Url;
use std::path::{Path, PathBuf};
use toml_edit::{DocumentMut, Item, Value};

pub mod fields;
pub use fields::{FIELDS, Field, FieldArgs, Kind};
pub use fields::{field, keys as field_keys};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Dialect {
    /// RFC 6749 form posts (Giftronaut)
    #[value(name = "oauth2")]
    OAuth2,
    /// JSON-body token endpoint of admin APIs (`/api/oauth/token`)
    #[value(name = "oauth2-json")]
    OAuth2Json,
    /// Token by `client-id`/`client-secret` headers
    #[value(name = "header-token")]
    HeaderToken,
}

impl Dialect {
    pub fn name(self) -> &'static str {
        match self {
            Dialect::OAuth2 => "oauth2",
            Dialect::OAuth2Json => "oauth2-json",
            Dialect::HeaderToken => "header-token",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClientAuth {
    /// client_id and client_secret in the form body
    Body,
    /// HTTP Basic authentication
    Basic,
    /// A JWT signed with the client's private key (RFC 7523)
    #[value(name = "private_key_jwt")]
    PrivateKeyJwt,
    /// A JWT signed HS256 with the client secret (RFC 7523)
    #[value(name = "client_secret_jwt")]
    ClientSecretJwt,
}

impl ClientAuth {
    pub fn name(self) -> &'static str {
        match self {
            ClientAuth::Body => "body",
            ClientAuth::Basic => "basic",
            ClientAuth::PrivateKeyJwt => "private_key_jwt",
            ClientAuth::ClientSecretJwt => "client_secret_jwt",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Environment {
    pub name: String,
    pub builtin: bool,
    pub api_base: String,
    pub dialect: Dialect,
    pub token_url: Option<String>,
    pub authorize_url: Option<String>,
    pub device_url: Option<String>,
    pub validate_url: Option<String>,
    pub introspect_url: Option<String>,
    pub revoke_url: Option<String>,
    pub client_id: Option<String>,
    pub scopes: Vec<String>,
    pub redirect_port: Option<u16>,
    pub token_prefix: Option<String>,
    pub client_auth: ClientAuth,
    pub issuer: Option<String>,
    /// PEM certificates trusted in addition to the platform's roots (src/oauth/tls.rs); an
    /// absolute path once the config file is read (relative ones are against its directory).
    pub ca_file: Option<String>,
    /// The `aud` of client assertions: `issuer`, `token_url`, or a value sent as is.
    pub client_assertion_aud: Option<String>,
    /// The JWS `alg` of private_key_jwt assertions when not the key's own (RSA: PS256).
    pub client_assertion_alg: Option<String>,
    /// The `kid` of private_key_jwt assertions; unset, the key's RFC 7638 thumbprint.
    pub client_key_id: Option<String>,
    /// Tokens are DPoP-bound (RFC 9449; src/oauth/dpop.rs).
    pub dpop: bool,
    pub openapi_url: Option<String>,
}

impl Environment {
    /// An environment with only a name: every field unset or at its default.
    pub fn blank(name: &str) -> Environment {
        Environment {
            name: name.to_string(),
            builtin: false,
            api_base: String::new(),
            dialect: Dialect::OAuth2,
            token_url: None,
            authorize_url: None,
            device_url: None,
            validate_url: None,
            introspect_url: None,
            revoke_url: None,
            client_id: None,
            scopes: Vec::new(),
            redirect_port: None,
            token_prefix: None,
            client_auth: ClientAuth::Body,
            issuer: None,
            ca_file: None,
            client_assertion_aud: None,
            client_assertion_alg: None,
            client_key_id: None,
            dpop: false,
            openapi_url: None,
        }
    }
}

pub const BUILTIN_NAMES: [&str; 2] = ["sandbox", "production"];

fn builtin(name: &str) -> Option<Environment> {
    let api_base = match name {
        "production" => "https://api.giftronaut.com",
        "sandbox" => "https://sandbox.api.giftronaut.com",
        _ => return None,
    };
    Some(Environment {
        builtin: true,
        api_base: api_base.to_string(),
        token_url: Some("/oauth2/token".into()),
        authorize_url: Some("/oauth2/authorize".into()),
        scopes: vec!["orders.read".into(), "orders.write".into()],
        ..Environment::blank(name)
    })
}

pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

pub fn config_path() -> Result<PathBuf> {
    if let Some(p) = crate::env_vars::process()
        .get(crate::env_vars::GTX_CONFIG)
        .filter(|p| !p.is_empty())
    {
        return Ok(PathBuf::from(p));
    }
    dirs::config_dir()
        .map(|d| d.join("gtx").join("config.toml"))
        .ok_or_else(|| {
            AppError::config("cannot find a config directory (is HOME set?)")
                .hint("set GTX_CONFIG to the config file's path")
        })
}

/// The parsed config file: the raw text (for editing) plus what gtx understood of it.
#[derive(Debug)]
pub struct Config {
    pub path: PathBuf,
    pub text: Option<String>,
    pub default_env: Option<String>,
    pub store: Option<String>,
    /// Environments from the file, merged over the built-ins of the same name.
    pub environments: Vec<Environment>,
}

impl Config {
    pub fn load() -> Result<Config> {
        Config::load_from(config_path()?)
    }

    /// The config file at `path`; a missing file is an empty config (the built-ins).
    pub fn load_from(path: PathBuf) -> Result<Config> {
        let text = match read_bounded(&path) {
            Ok(t) => Some(t),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(AppError::config(format!(
                    "cannot read config file {}: {e}",
                    path.display()
                )));
            }
        };
        let mut config = Config {
            path,
            text: None,
            default_env: None,
            store: None,
            environments: Vec::new(),
        };
        if let Some(text) = text {
            config.parse(&text)?;
            config.text = Some(text);
        }
        Ok(config)
    }

    fn parse(&mut self, text: &str) -> Result<()> {
        let doc = toml_edit::Document::parse(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| line_of(text, s.start))
                .map(|l| format!("line {l}: "))
                .unwrap_or_default();
            AppError::config(format!(
                "bad config file {}: {line}{}",
                self.path.display(),
                e.message()
            ))
        })?;
        let root = doc.as_table();
        let err = |item: &Item, what: String| {
            let line = item
                .span()
                .map(|s| format!("line {}: ", line_of(text, s.start)))
                .unwrap_or_default();
            AppError::config(format!(
                "bad config file {}: {line}{what}",
                self.path.display()
            ))
        };
        if let Some(item) = root.get("default_env") {
            self.default_env = Some(
                item.as_str()
                    .ok_or_else(|| err(item, "default_env must be a string".into()))?
                    .to_string(),
            );
        }
        if let Some(item) = root.get("store") {
            let s = item
                .as_str()
                .ok_or_else(|| err(item, "store must be a string".into()))?;
            if !matches!(s, "keyring" | "file" | "memory") {
                return Err(err(
                    item,
                    format!("store must be keyring, file or memory, not {s:?}"),
                ));
            }
            self.store = Some(s.to_string());
        }
        let Some(envs) = root.get("environments") else {
            return Ok(());
        };
        let envs = envs
            .as_table_like()
            .ok_or_else(|| err(envs, "environments must be a table".into()))?;
        for (name, item) in envs.iter() {
            let env = self.environment(name, item, &err)?;
            self.environments.push(env);
        }
        Ok(())
    }

    /// `[environments.NAME]`: a built-in's settings overridden, or a new environment.
    fn environment(
        &self,
        name: &str,
        item: &Item,
        err: &dyn Fn(&Item, String) -> AppError,
    ) -> Result<Environment> {
        if !valid_name(name) {
            return Err(err(
                item,
                format!(
                    "environment name {name:?} may use only letters, digits, '.', '_' and '-', at most 64 of them"
                ),
            ));
        }
        let table = item
            .as_table_like()
            .ok_or_else(|| err(item, format!("environments.{name} must be a table")))?;
        let mut env = builtin(name).unwrap_or_else(|| Environment::blank(name));
        for (key, value) in table.iter() {
            let Some(field) = fields::field(key) else {
                crate::vlog!(1, "config: ignoring unknown key environments.{name}.{key}");
                continue;
            };
            let text_value = field_text(field.kind, value)
                .map_err(|why| err(value, format!("environments.{name}.{key} {why}")))?;
            field.apply(&mut env, &text_value).map_err(|e| {
                // The way out that ends the field's message ends this one too.
                let mut wrapped = err(value, format!("environments.{name}.{key}: {}", e.message));
                wrapped.tail = e.tail.clone();
                wrapped.with_source(e)
            })?;
        }
        if env.api_base.is_empty() {
            return Err(err(item, format!("environments.{name} needs api_base")));
        }
        // A relative ca_file is the config file's neighbour, wherever gtx runs from.
        if let Some(dir) = self.path.parent() {
            env.ca_file = env.ca_file.take().map(|f| against(dir, &f));
        }
        Ok(env)
    }

    /// Every environment: built-ins (possibly overridden) first, then the rest by name.
    pub fn all(&self) -> Vec<Environment> {
        let mut out: Vec<Environment> = BUILTIN_NAMES
            .iter()
            .map(|n| {
                self.environments
                    .iter()
                    .find(|e| e.name == *n)
                    .cloned()
                    .or_else(|| builtin(n))
                    .expect("built-in names have built-in environments")
            })
            .collect();
        let mut custom: Vec<Environment> = self
            .environments
            .iter()
            .filter(|e| !e.builtin)
            .cloned()
            .collect();
        custom.sort_by(|a, b| a.name.cmp(&b.name));
        out.extend(custom);
        out
    }

    pub fn get(&self, name: &str) -> Result<Environment> {
        // Configured environments (including overrides of built-ins) win.
        self.environments
            .iter()
            .find(|e| e.name == name)
            .cloned()
            .or_else(|| builtin(name))
            .ok_or_else(|| {
                let known: Vec<String> = self.all().into_iter().map(|e| e.name).collect();
                let err = AppError::config(format!(
                    "unknown environment {name:?}; known: {}",
                    known.join(", ")
                ));
                let err = did_you_mean(err, name, known.iter().map(String::as_str));
                match valid_name(name) {
                    true => err.fix(crate::fix::EnvFix::AddEnv {
                        name: name.to_string(),
                    }),
                    // `env add` would refuse it: a stray space or newline from a script.
                    false => err,
                }
            })
    }

    /// `--env`/`GTX_ENV` (already merged by clap), then `default_env`, then `sandbox`.
    pub fn select(&self, flag: Option<&str>) -> Result<Environment> {
        let name = flag
            .filter(|s| !s.is_empty())
            .or(self.default_env.as_deref())
            .unwrap_or("sandbox");
        self.get(name)
    }

    /// A read-modify-write of the config file under an exclusive lock beside it, so
    /// parallel `env add`s all land. `change` sees the file as it is now (not as this
    /// process first read it); an error from it leaves the file untouched.
    pub fn edit<T>(
        &self,
        change: impl FnOnce(&Config, &mut DocumentMut) -> Result<T>,
    ) -> Result<T> {
        // Before the lock: nothing (not even a `.lock` file) is created beside a config
        // gtx will not write.
        writable(&self.path)?;
        let _lock = self.lock()?;
        let current = Config::load_from(self.path.clone())?;
        let mut doc = current.document()?;
        let out = change(&current, &mut doc)?;
        current.save(&doc)?;
        Ok(out)
    }

    fn lock(&self) -> Result<std::fs::File> {
        let fail = |what: &str, e: std::io::Error| {
            AppError::config(format!(
                "cannot {what} the config lock beside {}: {e}",
                self.path.display()
            ))
        };
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(".lock");
        let path = self.path.with_file_name(name);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::fsutil::create_private_dir(dir)
                .map_err(|e| fail("create the directory of", e))?;
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| fail("open", e))?;
        file.lock().map_err(|e| fail("take", e))?;
        Ok(file)
    }

    fn document(&self) -> Result<DocumentMut> {
        self.text
            .as_deref()
            .unwrap_or("")
            .parse::<DocumentMut>()
            .map_err(|e| AppError::config(format!("bad config file {}: {e}", self.path.display())))
    }

    fn save(&self, doc: &DocumentMut) -> Result<()> {
        let target = write_target(&self.path)?;
        let kept = writable(&target)?;
        let failed = |e: std::io::Error| {
            AppError::config(format!(
                "cannot write config file {}: {e}",
                self.path.display()
            ))
        };
        let mode = kept.as_ref().map_or(0o644, |m| m.mode);
        let mut reserved = crate::fsutil::Reserved::new(&target, 0, mode).map_err(failed)?;
        // The replacement keeps the owner and group of the file it replaces (a config a
        // group shares, edited by root, stays theirs).
        #[cfg(unix)]
        if let Some(m) = &kept
            && let Err(e) = std::os::unix::fs::fchown(
                reserved.file().map_err(failed)?,
                Some(m.uid),
                Some(m.gid),
            )
        {
            crate::vlog!(1, "could not keep the config file's owner: {e}");
        }
        reserved
            .commit(doc.to_string().as_bytes())
            .map_err(failed)?;
        // Under the config lock: a temp file whose writer died (kill -9) is litter.
        if let Err(e) = crate::fsutil::remove_stale_temps(&target) {
            crate::vlog!(1, "could not remove stale temp files: {e}");
        }
        Ok(())
    }
}

/// Where a config write goes: a symlinked config (a dotfiles repository) is updated where
/// it points, never replaced by a file, also when what it points to does not exist yet;
/// a link into a directory that does not exist is refused (exit 3) rather than making one.
fn write_target(path: &Path) -> Result<PathBuf> {
    let is_link = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link(path) {
        return Ok(path.to_path_buf());
    }
    if let Ok(real) = std::fs::canonicalize(path) {
        return Ok(real);
    }
    let dangling = |why: String| {
        AppError::config(format!(
            "config file {} is a symbolic link {why}; gtx does not write to it",
            path.display()
        ))
        .hint("create what it points to, or point GTX_CONFIG at a file")
    };
    let mut at = path.to_path_buf();
    // Linux's own limit on links followed in one lookup.
    for _ in 0..40 {
        if !is_link(&at) {
            let dir = at.parent().filter(|d| !d.as_os_str().is_empty());
            if dir.is_some_and(|d| !d.is_dir()) {
                return Err(dangling(format!(
                    "to {}, in a directory that does not exist",
                    at.display()
                )));
            }
            return Ok(at);
        }
        let next =
            std::fs::read_link(&at).map_err(|e| dangling(format!("gtx cannot follow: {e}")))?;
        at = match at.parent() {
            Some(dir) if next.is_relative() => dir.join(next),
            _ => next,
        };
    }
    Err(dangling("in a loop".into()))
}

/// No config is this big; a larger (or endless: `/dev/zero`, a runaway pipe) one is refused
/// before it fills memory.
const MAX_CONFIG_BYTES: u64 = 8 * 1024 * 1024;

/// What a config write keeps of the file it replaces.
struct Kept {
    mode: u32,
    uid: u32,
    gid: u32,
}

/// gtx writes a config only over a regular file it may write (or creates one): never over
/// a device (`GTX_CONFIG=/dev/null` is an empty, read-only config), a FIFO or a
/// directory, and never over a read-only file (exit 3 for each).
#[cfg(unix)]
fn writable(path: &Path) -> Result<Option<Kept>> {
    use std::os::unix::fs::MetadataExt;
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(AppError::config(format!(
                "cannot read config file {}: {e}",
                path.display()
            )));
        }
    };
    if !meta.is_file() {
        return Err(AppError::config(format!(
            "config file {} is not a regular file; gtx does not write to it",
            path.display()
        ))
        .hint("to save settings, point GTX_CONFIG at a file (or unset it)"));
    }
    let mode = meta.mode() & 0o7777;
    let c_path = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).ok();
    // SAFETY: a NUL-terminated path; access only inspects the file system.
    let denied = c_path.is_none_or(|p| unsafe { libc::access(p.as_ptr(), libc::W_OK) } != 0);
    // Root may write anything: a file nobody may write is read-only all the same.
    if denied || meta.permissions().readonly() {
        return Err(AppError::config(format!(
            "config file {} is read-only; gtx leaves it as it is",
            path.display()
        ))
        .hint("make it writable (chmod u+w) to change settings with gtx"));
    }
    Ok(Some(Kept {
        mode,
        uid: meta.uid(),
        gid: meta.gid(),
    }))
}

#[cfg(not(unix))]
fn writable(path: &Path) -> Result<Option<Kept>> {
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() || m.permissions().readonly() => Err(AppError::config(format!(
            "config file {} is not a writable regular file; gtx does not write to it",
            path.display()
        ))),
        Ok(_) => Ok(Some(Kept {
            mode: 0o644,
            uid: 0,
            gid: 0,
        })),
        Err(_) => Ok(None),
    }
}

fn read_bounded(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    // Only a regular file is read; `/dev/null` reads as an empty config.
    let file = crate::fsutil::open_to_read(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        if path == Path::new("/dev/null") {
            return Ok(String::new());
        }
        return Err(std::io::Error::other(
            "not a regular file (a FIFO, device or directory)",
        ));
    }
    let mut text = String::new();
    file.take(MAX_CONFIG_BYTES + 1).read_to_string(&mut text)?;
    if text.len() as u64 > MAX_CONFIG_BYTES {
        return Err(std::io::Error::other(format!(
            "larger than {} MiB; not a gtx config file",
            MAX_CONFIG_BYTES / 1024 / 1024
        )));
    }
    Ok(text)
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// `path` as is when absolute, else joined to `dir`.
pub fn against(dir: &Path, path: &str) -> String {
    match Path::new(path).is_absolute() {
        true => path.to_string(),
        false => dir.join(path).to_string_lossy().into_owned(),
    }
}

/// A field's TOML value as the text `env set` takes: lists joined by spaces.
fn field_text(kind: Kind, value: &Item) -> std::result::Result<String, &'static str> {
    match (kind, value.as_value()) {
        (Kind::List, Some(Value::Array(arr))) => {
            let items: Option<Vec<&str>> = arr.iter().map(|v| v.as_str()).collect();
            items
                .map(|items| items.join(" "))
                .ok_or("must be a list of strings")
        }
        (Kind::Port, Some(Value::Integer(i))) => Ok(i.value().to_string()),
        (Kind::Bool, Some(Value::Boolean(b))) => Ok(b.value().to_string()),
        (_, Some(Value::String(s))) => Ok(s.value().to_string()),
        _ => Err("has the wrong type"),
    }
}

pub fn split_scopes(s: &str) -> Vec<String> {
    s.split([' ', ','])
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// `api_base` is an origin and optional path that request paths are appended to: a query
/// or fragment would end up in the middle of every request URL.
pub fn check_api_base(value: &str) -> Result<()> {
    check_url(value, true, "api_base")?;
    if value.contains(['?', '#']) {
        return Err(AppError::config(format!(
            "api_base: {value:?} has a query or fragment; give only the origin and an optional path"
        )));
    }
    Ok(())
}

/// A URL as it may be quoted in an error: a password in its userinfo becomes `…`. Works
/// on text the URL parser refused, so it only looks for `scheme://user:password@`.
fn without_password(value: &str) -> String {
    let Some(start) = value.find("://").map(|i| i + 3) else {
        return value.to_string();
    };
    let authority_end = value[start..]
        .find(['/', '?', '#'])
        .map_or(value.len(), |i| start + i);
    let Some(at) = value[start..authority_end].rfind('@').map(|i| start + i) else {
        return value.to_string();
    };
    match value[start..at].find(':') {
        Some(colon) => format!("{}:…{}", &value[..start + colon], &value[at..]),
        None => value.to_string(),
    }
}

/// Token, authorize and API URLs must be https, except on loopback hosts.
pub fn check_url(value: &str, absolute: bool, what: &str) -> Result<Url> {
    // The URL parser would silently drop tabs and newlines and encode the rest; the raw
    // text is what is stored and shown, so refuse it instead.
    if crate::sanitize::has_control(value) {
        return Err(AppError::config(format!(
            "{what}: {:?} contains control characters",
            crate::sanitize::terminal(value)
        )));
    }
    let url = Url::parse(value).map_err(|e| {
        AppError::config(format!(
            "{what}: {:?} is not a valid URL ({e})",
            without_password(value)
        ))
    })?;
    if absolute && url.host().is_none() {
        return Err(AppError::config(format!("{what}: {value:?} has no host")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(AppError::config(format!(
            "{what}: credentials in URLs are not accepted (they would end up in the config file and logs)"
        ))
        .ending(crate::fix::Ending::UseLogin));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(AppError::config(format!(
            "{what}: insecure URL {value:?}: http is allowed only for loopback hosts; use https"
        ))),
        other => Err(AppError::config(format!(
            "{what}: unsupported scheme {other:?} in {value:?}"
        ))),
    }
}

pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

impl Environment {
    /// Resolves an endpoint: absolute as is, relative appended to `api_base`.
    pub fn endpoint(&self, value: Option<&str>, what: &str) -> Result<Option<Url>> {
        let Some(value) = value.filter(|v| !v.is_empty()) else {
            return Ok(None);
        };
        let full = if value.starts_with('/') {
            format!("{}{}", self.api_base.trim_end_matches('/'), value)
        } else {
            value.to_string()
        };
        check_url(&full, true, &format!("environment {}: {what}", self.name)).map(Some)
    }

    pub fn api_base_url(&self) -> Result<Url> {
        check_url(
            &self.api_base,
            true,
            &format!("environment {}: api_base", self.name),
        )
    }

    pub fn to_json(&self) -> serde_json::Value {
        let mut map = serde_json::Map::new();
        map.insert("name".into(), self.name.clone().into());
        map.insert("builtin".into(), self.builtin.into());
        for f in FIELDS {
            map.insert(f.key.into(), f.json(self));
        }
        serde_json::Value::Object(map)
    }
}

pub fn data_dir() -> Result<PathBuf> {
    dirs::data_dir()
        .map(|d| d.join("gtx"))
        .ok_or_else(|| AppError::store("cannot find a data directory (is HOME set?)"))
}

// ---- Top-level settings for `gtx config get|set|list|path`, and name suggestions ----
// Kept apart from the environment table so the two evolve without touching each other.

/// Top-level keys `gtx config` reads and writes, with their defaults and allowed values.
pub const SETTINGS: &[(&str, &str, &str)] = &[
    (
        "store",
        "keyring",
        "where credentials are kept: keyring, file or memory",
    ),
    (
        "default_env",
        "sandbox",
        "environment used when neither --env nor GTX_ENV is given",
    ),
];

impl Config {
    /// The value written in the file for a top-level setting, if any.
    pub fn setting(&self, key: &str) -> Option<String> {
        match key {
            "store" => self.store.clone(),
            "default_env" => self.default_env.clone(),
            _ => None,
        }
    }
}

/// The closest of `candidates` to a mistyped `name`, if one is close enough to be the
/// likely intent ("Did you mean …?").
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_string())
}

/// A hint line for a mistyped name, or nothing when no candidate is close.
pub fn did_you_mean<'a>(
    err: AppError,
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> AppError {
    match suggest(name, candidates) {
        Some(s) => err.hint(format!("did you mean {s:?}?")),
        None => err,
    }
}

#[cfg(test)]
mod suggest_tests {
    #[test]
    fn close_names_are_suggested() {
        assert_eq!(
            super::suggest("sandbx", ["sandbox", "production"]),
            Some("sandbox".into())
        );
        assert_eq!(
            super::suggest("stor", ["store", "default_env"]),
            Some("store".into())
        );
        assert_eq!(super::suggest("zzz", ["sandbox", "production"]), None);
    }
}
