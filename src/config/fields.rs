//! The one table of environment fields. The config reader, `env add` (its flags are built
//! from this table), `env set`, `env show`, the JSON shape and the TOML writer all read it,
//! so a new field is one struct member in `Environment` and one row here.

use super::{ClientAuth, Dialect, Environment, check_url, split_scopes};
use crate::error::{AppError, Result};
use clap::ValueEnum;
use toml_edit::Item;

/// How a field's text form is checked, and how it is written in JSON and TOML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text (a JSON/TOML string).
    Text,
    /// An absolute URL, or a path relative to `api_base`.
    Url,
    /// A space- or comma-separated list (a JSON/TOML array of strings).
    List,
    /// A TCP port (a JSON/TOML integer).
    Port,
    /// One of a `clap::ValueEnum`'s names.
    Choice,
    /// `true` or `false` (a JSON/TOML boolean).
    Bool,
    /// A local file: relative paths in the config file are against its directory, given to
    /// `env add`/`env set` against the current directory (and written absolute).
    File,
}

pub struct Field {
    pub key: &'static str,
    pub kind: Kind,
    /// `env add --FLAG` help, and its value name.
    pub help: &'static str,
    pub value_name: &'static str,
    /// The key of an RFC 8414 / OpenID discovery document that fills this field.
    pub metadata: Option<&'static str>,
    /// The text form, `None` when unset.
    pub get: fn(&Environment) -> Option<String>,
    /// Stores an already validated text form; empty means unset.
    pub set: fn(&mut Environment, &str) -> Result<()>,
}

impl Field {
    pub fn flag(&self) -> String {
        self.key.replace('_', "-")
    }

    pub fn json(&self, env: &Environment) -> serde_json::Value {
        let Some(text) = (self.get)(env) else {
            return match self.kind {
                Kind::List => serde_json::Value::Array(Vec::new()),
                Kind::Bool => serde_json::Value::Bool(false),
                _ => serde_json::Value::Null,
            };
        };
        match self.kind {
            Kind::List => split_scopes(&text).into(),
            Kind::Port => text
                .parse::<u16>()
                .map(serde_json::Value::from)
                .unwrap_or_else(|_| text.into()),
            Kind::Bool => (text == "true").into(),
            _ => text.into(),
        }
    }

    /// The value to write into the TOML document.
    pub fn toml(&self, value: &str) -> Item {
        match self.kind {
            Kind::List => {
                let mut arr = toml_edit::Array::new();
                for s in split_scopes(value) {
                    arr.push(s);
                }
                toml_edit::value(arr)
            }
            Kind::Port => match value.parse::<i64>() {
                Ok(n) => toml_edit::value(n),
                Err(_) => toml_edit::value(value),
            },
            Kind::Bool => toml_edit::value(value == "true"),
            _ => toml_edit::value(value),
        }
    }

    /// Validates and stores a text form (config file, `env add`, `env set` alike).
    pub fn apply(&self, env: &mut Environment, value: &str) -> Result<()> {
        if self.kind == Kind::Url && !value.is_empty() {
            if value.starts_with('/') {
                // A path relative to api_base: checked for what check_url would refuse.
                check_url(&format!("https://relative.invalid{value}"), true, self.key)?;
            } else {
                check_url(value, true, self.key)?;
            }
        }
        (self.set)(env, value)
    }
}

fn opt(v: &str) -> Option<String> {
    (!v.is_empty()).then(|| v.to_string())
}

fn choice<T: ValueEnum>(key: &str, value: &str) -> Result<T> {
    T::from_str(value, false).map_err(|_| {
        let names: Vec<String> = T::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value())
            .map(|p| p.get_name().to_string())
            .collect();
        AppError::config(format!(
            "{key} must be one of {}, not {value:?}",
            names.join(", ")
        ))
    })
}

/// The possible values of a `Kind::Choice` field, for clap.
pub fn choices(key: &str) -> Vec<clap::builder::PossibleValue> {
    fn of<T: ValueEnum>() -> Vec<clap::builder::PossibleValue> {
        T::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value())
            .collect()
    }
    match key {
        "dialect" => of::<Dialect>(),
        "client_auth" => of::<ClientAuth>(),
        _ => Vec::new(),
    }
}

macro_rules! url_field {
    ($key:ident, $metadata:expr, $help:expr) => {
        Field {
            key: stringify!($key),
            kind: Kind::Url,
            help: $help,
            value_name: "URL",
            metadata: $metadata,
            get: |e| e.$key.clone(),
            set: |e, v| {
                e.$key = opt(v);
                Ok(())
            },
        }
    };
}

/// Every field a user may set, in display (and TOML writing) order.
pub const FIELDS: &[Field] = &[
    Field {
        key: "api_base",
        kind: Kind::Url,
        help: "Origin (and optional base path) of the API",
        value_name: "URL",
        metadata: None,
        get: |e| Some(e.api_base.clone()),
        set: |e, v| {
            if v.is_empty() || v.starts_with('/') {
                return Err(AppError::config("api_base must be an absolute URL"));
            }
            super::check_api_base(v)?;
            e.api_base = v.trim_end_matches('/').to_string();
            Ok(())
        },
    },
    Field {
        key: "dialect",
        kind: Kind::Choice,
        help: "Token-endpoint dialect",
        value_name: "DIALECT",
        metadata: None,
        get: |e| Some(e.dialect.name().to_string()),
        set: |e, v| {
            e.dialect = choice("dialect", v)?;
            Ok(())
        },
    },
    url_field!(
        token_url,
        Some("token_endpoint"),
        "Token endpoint (absolute, or relative to --api-base)"
    ),
    url_field!(
        authorize_url,
        Some("authorization_endpoint"),
        "Authorization endpoint for browser login"
    ),
    url_field!(
        device_url,
        Some("device_authorization_endpoint"),
        "RFC 8628 device authorization endpoint for device login"
    ),
    url_field!(validate_url, None, "header-token validation endpoint"),
    url_field!(
        introspect_url,
        Some("introspection_endpoint"),
        "RFC 7662 introspection endpoint"
    ),
    url_field!(
        revoke_url,
        Some("revocation_endpoint"),
        "RFC 7009 revocation endpoint"
    ),
    Field {
        key: "client_id",
        kind: Kind::Text,
        help: "Public client id (header-token: base64 of the domain)",
        value_name: "ID",
        metadata: None,
        get: |e| e.client_id.clone(),
        set: |e, v| {
            e.client_id = opt(v);
            Ok(())
        },
    },
    Field {
        key: "scopes",
        kind: Kind::List,
        help: "Default scopes (space- or comma-separated)",
        value_name: "SCOPES",
        metadata: None,
        get: |e| (!e.scopes.is_empty()).then(|| e.scopes.join(" ")),
        set: |e, v| {
            e.scopes = crate::sanitize::scopes(split_scopes(v)).map_err(AppError::config)?;
            Ok(())
        },
    },
    Field {
        key: "redirect_port",
        kind: Kind::Port,
        help: "Fixed loopback port for browser login",
        value_name: "PORT",
        metadata: None,
        get: |e| e.redirect_port.map(|p| p.to_string()),
        set: |e, v| {
            e.redirect_port = match v {
                "" => None,
                _ => Some(v.parse::<u16>().ok().filter(|p| *p != 0).ok_or_else(|| {
                    AppError::config(format!(
                        "redirect_port must be a port number 1-65535, not {v:?}"
                    ))
                })?),
            };
            Ok(())
        },
    },
    Field {
        key: "token_prefix",
        kind: Kind::Text,
        help: "Prefix every token of this environment must carry (e.g. sandbox_, live_)",
        value_name: "PREFIX",
        metadata: None,
        get: |e| e.token_prefix.clone(),
        set: |e, v| {
            e.token_prefix = opt(v);
            Ok(())
        },
    },
    Field {
        key: "client_auth",
        kind: Kind::Choice,
        help: "How the client authenticates: body, basic (its secret), private_key_jwt, client_secret_jwt (a signed JWT)",
        value_name: "CLIENT_AUTH",
        metadata: None,
        get: |e| Some(e.client_auth.name().to_string()),
        set: |e, v| {
            e.client_auth = choice("client_auth", v)?;
            Ok(())
        },
    },
    Field {
        key: "issuer",
        kind: Kind::Url,
        help: "OAuth/OpenID issuer: fill the endpoint URLs from its discovery document",
        value_name: "URL",
        metadata: None,
        get: |e| e.issuer.clone(),
        set: |e, v| {
            e.issuer = opt(v);
            Ok(())
        },
    },
    Field {
        key: "client_assertion_aud",
        kind: Kind::Text,
        help: "aud of client assertions: issuer, token_url, or a value sent as is (default: the issuer if set, else token_url)",
        value_name: "AUD",
        metadata: None,
        get: |e| e.client_assertion_aud.clone(),
        set: |e, v| {
            e.client_assertion_aud = opt(v);
            Ok(())
        },
    },
    Field {
        key: "client_assertion_alg",
        kind: Kind::Text,
        help: "JWS alg of private_key_jwt assertions when not the key's own: RS256 or PS256 for RSA keys",
        value_name: "ALG",
        metadata: None,
        get: |e| e.client_assertion_alg.clone(),
        set: |e, v| {
            if !v.is_empty() && crate::jws::Alg::parse(v).is_none() {
                return Err(AppError::config(format!(
                    "client_assertion_alg must be RS256, PS256, ES256 or EdDSA, not {v:?}"
                )));
            }
            e.client_assertion_alg = opt(v);
            Ok(())
        },
    },
    Field {
        key: "client_key_id",
        kind: Kind::Text,
        help: "kid of private_key_jwt assertions (default: the key's RFC 7638 thumbprint)",
        value_name: "KID",
        metadata: None,
        get: |e| e.client_key_id.clone(),
        set: |e, v| {
            e.client_key_id = opt(v);
            Ok(())
        },
    },
    Field {
        key: "dpop",
        kind: Kind::Bool,
        help: "true: tokens are DPoP-bound (RFC 9449), a proof on every token call and request (env add --issuer: auto follows the server)",
        value_name: "BOOL",
        metadata: None,
        get: |e| e.dpop.then(|| "true".to_string()),
        set: |e, v| {
            e.dpop = match v {
                "true" => true,
                "false" | "" => false,
                _ => {
                    return Err(AppError::config(format!(
                        "dpop must be true or false, not {v:?}"
                    )));
                }
            };
            Ok(())
        },
    },
    Field {
        key: "ca_file",
        kind: Kind::File,
        help: "PEM certificates to trust for this environment besides the system's (an internal CA, or the server's own certificate)",
        value_name: "FILE",
        metadata: None,
        get: |e| e.ca_file.clone(),
        set: |e, v| {
            e.ca_file = opt(v);
            Ok(())
        },
    },
    Field {
        key: "openapi_url",
        kind: Kind::Text,
        help: "The API's OpenAPI/Swagger document: URL, path relative to --api-base, or local file",
        value_name: "URL|PATH",
        metadata: None,
        get: |e| e.openapi_url.clone(),
        set: |e, v| {
            // A URL is checked as every other; anything else names a local file.
            if v.starts_with("http://") || v.starts_with("https://") {
                check_url(v, true, "openapi_url")?;
            } else if v.starts_with('/') {
                check_url(&format!("https://relative.invalid{v}"), true, "openapi_url")?;
            }
            e.openapi_url = opt(v);
            Ok(())
        },
    },
];

pub fn field(key: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.key == key)
}

pub fn keys() -> impl Iterator<Item = &'static str> {
    FIELDS.iter().map(|f| f.key)
}

/// `env add`'s field flags, built from the table.
#[derive(Debug, Clone, Default)]
pub struct FieldArgs {
    /// (key, text form) of every flag given, in table order.
    pub values: Vec<(&'static str, String)>,
}

impl clap::FromArgMatches for FieldArgs {
    fn from_arg_matches(m: &clap::ArgMatches) -> std::result::Result<Self, clap::Error> {
        let mut values = Vec::new();
        for f in FIELDS {
            let v = match f.kind {
                Kind::Port => m.get_one::<u16>(f.key).map(u16::to_string),
                _ => m.get_one::<String>(f.key).cloned(),
            };
            if let Some(v) = v {
                values.push((f.key, v));
            }
        }
        Ok(FieldArgs { values })
    }

    fn update_from_arg_matches(
        &mut self,
        m: &clap::ArgMatches,
    ) -> std::result::Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl clap::Args for FieldArgs {
    fn augment_args(mut cmd: clap::Command) -> clap::Command {
        for f in FIELDS {
            let mut arg = clap::Arg::new(f.key)
                .long(f.flag())
                .help(f.help)
                .value_name(f.value_name);
            arg = match f.kind {
                Kind::Port => arg.value_parser(clap::value_parser!(u16)),
                Kind::Choice => {
                    arg.value_parser(clap::builder::PossibleValuesParser::new(choices(f.key)))
                }
                _ => arg,
            };
            if f.key == "api_base" {
                arg = arg.required_unless_present("issuer");
            }
            cmd = cmd.arg(arg);
        }
        cmd
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}
