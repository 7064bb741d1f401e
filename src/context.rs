//! What every command resolves first: the config, the environment, the profile and the
//! store, from the global flags (README, "Concepts": selection order). Nothing here touches the network, and
//! the store is opened only when a command asks for it.

use crate::cli::{GlobalArgs, StoreKind};
use crate::config::{Config, Environment};
use crate::env_vars::EnvVars;
use crate::error::{AppError, Result};
use crate::output::Output;
use crate::store::{self, ProfileKey, Store};
use std::time::Duration;

pub struct Context {
    pub global: GlobalArgs,
    pub config: Config,
    /// Where everything the command says goes.
    pub out: Output,
    /// The environment variables gtx reads, as the process had them at start.
    pub vars: &'static EnvVars,
}

impl Context {
    pub fn new(global: GlobalArgs, out: &Output) -> Result<Context> {
        Ok(Context {
            config: Config::load()?,
            global,
            out: out.clone(),
            vars: crate::env_vars::process(),
        })
    }

    pub fn env(&self) -> Result<Environment> {
        self.config.select(self.global.env.as_deref())
    }

    pub fn credential(&self) -> Result<String> {
        let name = self
            .global
            .credential
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or("default");
        if !crate::config::valid_name(name) {
            return Err(AppError::usage(format!(
                "credential name {name:?} may use only letters, digits, '.', '_' and '-', at most 64 of them"
            )));
        }
        Ok(name.to_string())
    }

    pub fn profile(&self, env: &Environment) -> Result<ProfileKey> {
        Ok(ProfileKey::new(&env.name, &self.credential()?))
    }

    /// Whether a profile is inside an explicit selection (`--env`/`GTX_ENV`,
    /// `--credential`/`GTX_CREDENTIAL`): commands that span profiles (`status`,
    /// `logout --all`, `token clear --all`) narrow to it; with neither, every profile.
    pub fn selects(&self, key: &ProfileKey) -> bool {
        let given = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
        given(&self.global.env).is_none_or(|e| e == key.env)
            && given(&self.global.credential).is_none_or(|c| c == key.credential)
    }

    pub fn store_kind(&self) -> StoreKind {
        store::select(self.global.store, self.config.store.as_deref())
    }

    pub fn store(&self) -> Result<Box<dyn Store>> {
        let kind = self.store_kind();
        crate::vlog!(1, "store: {}", kind.name());
        store::open(kind)
    }

    pub fn timeout(&self) -> Duration {
        self.global
            .timeout
            .filter(|t| t.is_finite() && *t > 0.0)
            .map(Duration::from_secs_f64)
            .unwrap_or(Duration::from_secs(30))
    }

    pub fn json(&self) -> bool {
        self.global.json
    }
}
