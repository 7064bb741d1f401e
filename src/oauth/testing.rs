//! Fixtures for unit tests of the token core: environments built the way the config
//! builds them, without a config file.

use crate::config::{Config, Environment, fields};

/// The built-in `sandbox` environment with `fields` applied as `env set` would.
pub fn env(fields: &[(&str, &str)]) -> Environment {
    let config = Config {
        path: std::path::PathBuf::new(),
        text: None,
        default_env: None,
        store: None,
        environments: Vec::new(),
    };
    let mut env = config.get("sandbox").expect("built-in sandbox");
    for (k, v) in fields {
        fields::field(k)
            .expect("known field")
            .apply(&mut env, v)
            .expect("valid field");
    }
    env
}
