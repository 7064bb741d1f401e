//! The whole command line as clap types. No I/O here: `gtx`, the docs generator and the
//! tests all build from `Cli::command()`. The candidates the shell asks for while
//! completing (`complete`) belong to the command line too.

pub(crate) mod complete;

use clap::{ArgAction, Args, Parser, Subcommand};
use clap_complete::engine::ArgValueCandidates;

#[derive(Debug, Parser)]
#[command(
    name = "gtx",
    version,
    about = "Tokens, sign-in and authenticated requests for the Giftronaut API",
    long_about = "gtx gets, caches, refreshes, validates and clears access tokens for the Giftronaut \
API and for APIs that authenticate the same ways. Credentials live per environment in the OS \
keyring (or a 0600 file, or memory for CI).",
    after_long_help = "Examples:\n  gtx login --client-credentials --env sandbox\n  curl -H \"Authorization: Bearer $(gtx token get)\" \"$API/api/v1/orders\"\n  GTX_CLIENT_ID=app GTX_CLIENT_SECRET=… gtx token generate --env production --store memory",
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Environment to use (built in: sandbox, production)
    #[arg(
        long,
        global = true,
        env = crate::env_vars::GTX_ENV,
        value_name = "NAME",
        hide_env_values = true,
        add = ArgValueCandidates::new(complete::env_names)
    )]
    pub env: Option<String>,
    /// Credential name within the environment (one per app) [default: default]
    #[arg(
        long,
        global = true,
        env = crate::env_vars::GTX_CREDENTIAL,
        value_name = "NAME",
        hide_env_values = true,
        add = ArgValueCandidates::new(complete::credential_names)
    )]
    pub credential: Option<String>,
    /// Where credentials and tokens are kept [default: keyring]
    #[arg(
        long,
        global = true,
        env = crate::env_vars::GTX_STORE,
        value_enum,
        hide_env_values = true
    )]
    pub store: Option<StoreKind>,
    /// Print data as one JSON document on stdout
    #[arg(long, global = true)]
    pub json: bool,
    /// More detail on stderr (repeat for HTTP exchanges); secrets are always redacted
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub verbose: u8,
    /// Never colour output (also: NO_COLOR)
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Network timeout in seconds for each HTTP call [default: 30]; for `login` in the
    /// browser or with --device, the whole wait for the person [default: 300]
    #[arg(long, global = true, value_name = "SECS", value_parser = parse_timeout)]
    pub timeout: Option<f64>,
}

/// Seconds, more than 0 and at most a day.
pub fn parse_timeout(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(t) if t.is_finite() && t > 0.0 && t <= 86_400.0 => Ok(t),
        _ => Err(format!(
            "{value:?} is not a number of seconds between 0 and 86400"
        )),
    }
}

/// Scopes as RFC 6749 section 3.3 allows them: a session stored with another would never be
/// served from the cache, so it is refused here rather than sent.
pub fn parse_scopes(value: &str) -> Result<String, String> {
    crate::sanitize::scopes(crate::config::split_scopes(value)).map(|_| value.to_string())
}

pub use crate::store::StoreKind;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Sign in: in the browser (default), with a device code, or store an app's client credentials, a password-grant session, or a token
    #[command(
        after_long_help = "Examples:\n  gtx login --env sandbox\n  gtx login --no-browser --env sandbox\n  gtx login --device --env sandbox\n  gtx login --client-credentials --env sandbox\n  printf '%s' \"$SECRET\" | gtx login --client-credentials --client-id my-app --client-secret-stdin\n  gtx login --client-credentials --domain shop.example.com --env partner-sandbox\n  gtx login --password --username admin --env shop\n  pbpaste | gtx login --with-token --env sandbox"
    )]
    Login(LoginArgs),
    /// Remove the profile's stored record (client credentials and session)
    #[command(
        after_long_help = "Examples:\n  gtx logout --env sandbox\n  gtx logout --env production --credential reporting\n  gtx logout --all --env sandbox --yes"
    )]
    Logout(LogoutArgs),
    /// Get, mint, validate, inspect and clear access tokens
    #[command(subcommand)]
    Token(TokenCommand),
    /// Send an authenticated request to the environment's API and print the response body
    #[command(
        override_usage = "gtx request [OPTIONS] [METHOD] <PATH>\n       gtx request [OPTIONS] <OPERATION> [PARAM]...",
        long_about = "Send an authenticated request to the environment's API and print the response body.\n\n\
The body streams to stdout: on a terminal JSON is pretty-printed and coloured, piped it passes \
through byte for byte. An HTTP status >= 400 still prints the body and exits 8. On a 401 a token \
gtx can renew (refresh token or client credentials) is renewed once and the request sent again.",
        after_long_help = "Examples:\n  gtx request /api/v1/orders\n  gtx request GET /api/v1/orders -q status=pending -q limit=10\n  \
gtx request POST /api/v1/orders -f currency=USD -F amount=25 -F 'items[0].sku=A1'\n  \
gtx request PUT /api/v1/orders/ord_1001 -d @order.json -H 'If-Match: \"v3\"'\n  \
gtx request /api/v1/reports/2026.csv -o report.csv --retry 3\n  gtx request -i HEAD /api/v1/orders\n  \
gtx request getOrder ord_1001            # an operation of `gtx api list`\n  \
gtx request create-order -f currency=USD -F amount=25 --dry-run"
    )]
    Request(RequestArgs),
    /// Run a command with a valid token in its environment (GTX_TOKEN, GTX_API_BASE, …)
    #[command(
        override_usage = "gtx exec [OPTIONS] -- <CMD> [ARGS]...",
        long_about = "Run a command with a valid token in its environment.\n\n\
The command gets GTX_TOKEN, GTX_TOKEN_TYPE, GTX_API_BASE and GTX_ENV (never the token as an \
argument); gtx forwards SIGINT, SIGTERM, SIGHUP and SIGQUIT to it and exits with its exit code (128+N when signal N \
ended it; 127 when it is not found).",
        after_long_help = "Examples:\n  gtx exec -- sh -c 'curl -sS -H \"Authorization: Bearer $GTX_TOKEN\" \"$GTX_API_BASE/api/v1/orders\"'\n  \
gtx exec --min-ttl 3600 -- ./nightly-export.py\n  gtx exec --env production -- env | grep ^GTX_API_BASE"
    )]
    Exec(ExecArgs),
    /// Serve the Try-It page on 127.0.0.1: pick a profile, generate a token, send requests, read answers
    #[command(
        long_about = "Serve the Try-It page on 127.0.0.1 and open it in the browser.\n\n\
The page picks an environment and credential, generates a token through gtx's own pipeline \
(cached, refreshed or minted), sends requests to the environment's API as `gtx request` does and \
shows the answers. The token never reaches the page: gtx holds it and sends the requests. The URL \
gtx prints carries a one-time key; open it once, in one browser. Ctrl-C stops the page.",
        after_long_help = "Examples:\n  gtx try --env sandbox\n  gtx try --env production --credential reporting\n  gtx try --no-browser --port 8766"
    )]
    Try(TryArgs),
    /// The API's operations from its OpenAPI document: sync the index, list, show one
    #[command(subcommand)]
    Api(ApiCommand),
    /// Show stored profiles (all, or those of --env/--credential): credentials, session, expiry
    #[command(
        after_long_help = "Examples:\n  gtx status\n  gtx status --json | jq '.profiles[] | select(.session.state == \"expired\")'\n  gtx status --env production --credential reporting\n  gtx status --store file"
    )]
    Status,
    /// Manage environments (where an API is and how it authenticates)
    #[command(subcommand)]
    Env(EnvCommand),
    /// Read and change gtx's own settings (store, default_env) in the config file
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print a shell completion script (it completes real environment and credential names)
    #[command(
        after_long_help = "Examples:\n  mkdir -p ~/.local/share/bash-completion/completions ~/.config/fish/completions ~/.zfunc\n  gtx completions bash > ~/.local/share/bash-completion/completions/gtx\n  gtx completions fish > ~/.config/fish/completions/gtx.fish\n  gtx completions zsh > ~/.zfunc/_gtx   # with fpath=(~/.zfunc $fpath) before compinit"
    )]
    Completions {
        /// Shell to generate for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write completions/ and man/ from this binary's command definition (for packagers)
    #[command(hide = true)]
    GenerateDocs {
        /// Directory that receives completions/ and man/
        #[arg(long, default_value = ".")]
        out_dir: std::path::PathBuf,
    },
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("mode").args(["device", "client_credentials", "password", "with_token"]))]
pub struct LoginArgs {
    /// Device login (RFC 8628): show a code to enter on another device's browser
    #[arg(long)]
    pub device: bool,
    /// Only print the sign-in URL; do not open a browser
    #[arg(long, conflicts_with_all = ["client_credentials", "password", "with_token"])]
    pub no_browser: bool,
    /// Store an app's client id and secret, then mint one token to prove them
    #[arg(long)]
    pub client_credentials: bool,
    /// Password grant (oauth2-json): keeps the refresh token, never the password
    #[arg(long)]
    pub password: bool,
    /// Read an access token from stdin, check it, and store it
    #[arg(long)]
    pub with_token: bool,
    /// With --with-token: store the token without checking it with the server
    #[arg(long, requires = "with_token")]
    pub no_verify: bool,
    /// Client id (default: GTX_CLIENT_ID, the environment's client_id, else prompted;
    /// with --password: the client the password grant is sent for; in the browser and
    /// with --device: the app to sign in to)
    #[arg(long, value_name = "ID", conflicts_with_all = ["domain", "with_token"])]
    pub client_id: Option<String>,
    /// header-token: the account's domain; gtx sends its base64 as the client id
    // clap takes a `requires` as met by any member of the `mode` group: the conflicts say it.
    #[arg(long, value_name = "DOMAIN", requires = "client_credentials",
          conflicts_with_all = ["device", "password", "with_token", "no_browser"])]
    pub domain: Option<String>,
    /// Read the client secret from stdin instead of a prompt (a confidential client:
    /// with --client-credentials, or to sign a person in in the browser or with --device)
    #[arg(long, conflicts_with = "with_token")]
    pub client_secret_stdin: bool,
    /// Read the client's private key (PEM) from stdin instead of a secret, for
    /// client_auth = private_key_jwt
    #[arg(long, requires = "client_credentials",
          conflicts_with_all = ["client_secret_stdin", "domain", "device", "password", "with_token", "no_browser"])]
    pub client_key_stdin: bool,
    /// Username for --password (prompted if absent)
    #[arg(long, value_name = "USER", requires = "password")]
    pub username: Option<String>,
    /// Read the password from stdin instead of a prompt
    #[arg(long, requires = "password")]
    pub password_stdin: bool,
    /// Scopes to request (space- or comma-separated; default: the environment's)
    #[arg(long, value_name = "SCOPES", conflicts_with = "with_token", value_parser = parse_scopes)]
    pub scope: Option<String>,
}

#[derive(Debug, Args)]
pub struct RequestArgs {
    /// HTTP method (default: GET, or POST when a body is given), or the path when alone
    #[arg(value_name = "METHOD", add = ArgValueCandidates::new(complete::request_targets))]
    pub method: Option<String>,
    /// Path relative to the environment's api_base (an absolute URL only on its origin)
    #[arg(value_name = "PATH", add = ArgValueCandidates::new(complete::paths))]
    pub path: Option<String>,
    /// After an OPERATION: its path parameters in path order
    #[arg(value_name = "PARAM", hide = true)]
    pub args: Vec<String>,
    /// Path parameter of an OPERATION (repeatable)
    #[arg(short = 'p', long = "param", value_name = "NAME=VALUE", add = ArgValueCandidates::new(complete::param_names))]
    pub params: Vec<String>,
    /// Print the resolved request (method, URL, headers with the token redacted, body); send nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Send even when the request does not match the API's OpenAPI description
    #[arg(long)]
    pub no_check: bool,
    /// Request header 'Name: value' (repeatable)
    #[arg(short = 'H', long = "header", value_name = "K: V")]
    pub headers: Vec<String>,
    /// Request body: DATA as is, @FILE, or @- for stdin
    #[arg(short = 'd', long = "data", value_name = "DATA|@FILE|@-", conflicts_with_all = ["raw_fields", "fields"])]
    pub data: Option<String>,
    /// JSON body field with a string value (repeatable); nested keys: a.b, items[0].sku, tags[]
    #[arg(short = 'f', long = "raw-field", value_name = "K=V", add = ArgValueCandidates::new(complete::field_names))]
    pub raw_fields: Vec<String>,
    /// JSON body field with a typed value: number, true/false, null, JSON, or @FILE.json
    #[arg(short = 'F', long = "field", value_name = "K=V", add = ArgValueCandidates::new(complete::field_names))]
    pub fields: Vec<String>,
    /// Query parameter (repeatable)
    #[arg(short = 'q', long = "query", value_name = "K=V", add = ArgValueCandidates::new(complete::query_names))]
    pub query: Vec<String>,
    /// Print the status line and response headers before the body
    #[arg(short = 'i', long = "include")]
    pub include: bool,
    /// Write the body to FILE (atomically) instead of stdout; - means stdout
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// Retry connect errors, 5xx and 429 with Retry-After up to N times (idempotent methods only)
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub retry: u32,
}

#[derive(Debug, Subcommand)]
pub enum ApiCommand {
    /// Fetch the environment's OpenAPI document (openapi_url, else found from api_base) and index it
    #[command(
        after_long_help = "Examples:\n  gtx api sync --env sandbox\n  gtx env set shop openapi_url ./openapi.yaml && gtx api sync --env shop\n  gtx api sync --json"
    )]
    Sync,
    /// List the indexed operations: method, path, operation id, summary
    #[command(
        after_long_help = "Examples:\n  gtx api list\n  gtx api list order\n  gtx api list --tag orders --json | jq -r '.operations[].id'"
    )]
    List {
        /// Only operations whose id, path or summary contains FILTER (any case)
        #[arg(value_name = "FILTER")]
        filter: Option<String>,
        /// Only operations with this tag
        #[arg(long, value_name = "TAG")]
        tag: Option<String>,
    },
    /// Describe one operation: parameters, request body schema and example, responses, security
    #[command(
        after_long_help = "Examples:\n  gtx api show getOrder\n  gtx api show create-order --json | jq .body.example"
    )]
    Show {
        /// Operation id, as written or in kebab case
        #[arg(value_name = "OPERATION", add = ArgValueCandidates::new(complete::operations))]
        operation: String,
    },
}

#[derive(Debug, Args)]
pub struct ExecArgs {
    /// Minimum remaining lifetime of the token in seconds
    #[arg(long, value_name = "SECS", default_value_t = 300)]
    pub min_ttl: u64,
    /// The command and its arguments (after --)
    #[arg(value_name = "CMD", required = true, num_args = 1.., trailing_var_arg = true, allow_hyphen_values = true)]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub struct TryArgs {
    /// Port to listen on at 127.0.0.1 [default: any free port]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub port: Option<u16>,
    /// Only print the page's URL; do not open a browser
    #[arg(long)]
    pub no_browser: bool,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// Remove every profile in the store (only the --env/--credential given, if any)
    #[arg(long)]
    pub all: bool,
    /// Do not ask before removing several profiles (asked only on a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Print a token valid for at least --min-ttl seconds: cached, else refreshed, else minted
    #[command(
        after_long_help = "Examples:\n  curl -H \"Authorization: Bearer $(gtx token get --env sandbox)\" \"$API/api/v1/orders\"\n  curl -H \"$(gtx token get --header --env production)\" \"$API/api/v1/orders\"\n  gtx token get --min-ttl 900 --scope orders.read --json"
    )]
    Get(TokenGetArgs),
    /// Mint a new token now (ignoring the cache), store it and print it
    #[command(
        after_long_help = "Examples:\n  gtx token generate --env sandbox\n  GTX_CLIENT_ID=app GTX_CLIENT_SECRET=… gtx token generate --env production --store memory\n  gtx token generate --scope orders.read --json"
    )]
    Generate(TokenGenerateArgs),
    /// Check a token: expiry, environment prefix, then the server; exit 0 valid, 5 not
    #[command(
        after_long_help = "Examples:\n  gtx token validate --env sandbox\n  echo \"$TOKEN\" | gtx token validate - --env production\n  gtx token validate --json"
    )]
    Validate(TokenValidateArgs),
    /// Describe the stored token (type, scopes, expiry, JWT claims), never the token itself
    #[command(
        after_long_help = "Examples:\n  gtx token show\n  gtx token show --env production --json\n  gtx token show --credential reporting"
    )]
    Show,
    /// Drop cached tokens (refresh tokens too), keep client credentials
    #[command(
        after_long_help = "Examples:\n  gtx token clear --env sandbox\n  gtx token clear --all\n  gtx token clear --credential reporting"
    )]
    Clear(TokenClearArgs),
}

/// `token get --min-ttl` when the flag is absent (the fast path reads it too).
pub const TOKEN_GET_MIN_TTL: u64 = 60;

/// The global options that fall back to an environment variable when absent, by clap id:
/// clap reads them as declared above, the fast path from the snapshot (a test checks the
/// two lists are one).
pub const ENV_FALLBACKS: [(&str, &str); 3] = [
    ("env", crate::env_vars::GTX_ENV),
    ("credential", crate::env_vars::GTX_CREDENTIAL),
    ("store", crate::env_vars::GTX_STORE),
];

#[derive(Debug, Args)]
pub struct TokenGetArgs {
    /// Minimum remaining lifetime in seconds; a token closer to expiry is renewed
    #[arg(long, value_name = "SECS", default_value_t = TOKEN_GET_MIN_TTL)]
    pub min_ttl: u64,
    /// Scopes the token must carry (space- or comma-separated)
    #[arg(long, value_name = "SCOPES", value_parser = parse_scopes)]
    pub scope: Option<String>,
    /// Print `Authorization: <type> <token>` instead of the bare token
    #[arg(long)]
    pub header: bool,
    /// With --header, for a DPoP-bound token: the one request the headers are for (adds a
    /// `DPoP:` proof line; URL on the environment's api_base origin)
    #[arg(long = "for", num_args = 2, value_names = ["METHOD", "URL"], requires = "header")]
    pub for_request: Option<Vec<String>>,
}

#[derive(Debug, Args)]
pub struct TokenGenerateArgs {
    /// Scopes to request (space- or comma-separated; default: the environment's)
    #[arg(long, value_name = "SCOPES", value_parser = parse_scopes)]
    pub scope: Option<String>,
}

#[derive(Debug, Args)]
pub struct TokenValidateArgs {
    /// Token to check, or `-` to read it from stdin (default: the stored one); prefer `-`:
    /// arguments are visible in `ps` and shell history
    #[arg(value_name = "TOKEN|-")]
    pub token: Option<String>,
}

#[derive(Debug, Args)]
pub struct TokenClearArgs {
    /// Clear cached tokens of every profile in the store
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Subcommand)]
pub enum EnvCommand {
    /// List environments (built-in and configured)
    #[command(
        after_long_help = "Examples:\n  gtx env list\n  gtx env list --json | jq -r '.[].name'"
    )]
    List,
    /// Show one environment's settings (default: the selected environment)
    #[command(
        after_long_help = "Examples:\n  gtx env show\n  gtx env show sandbox\n  gtx env show shop --json"
    )]
    Show {
        /// Environment name [default: the selected one: --env, GTX_ENV, default_env, sandbox]
        #[arg(add = ArgValueCandidates::new(complete::env_names))]
        name: Option<String>,
    },
    /// Add an environment to the config file
    #[command(
        after_long_help = "Examples:\n  gtx env add staging --api-base https://staging.api.giftronaut.com --client-id my-app\n  gtx env add shop --api-base https://shop.example.com --dialect oauth2-json --token-url /api/oauth/token\n  gtx env add partner-sandbox --api-base https://sandbox.partner.example --dialect header-token --token-url /api/v1/auth/token --validate-url /api/v1/auth/validate --token-prefix sandbox_"
    )]
    Add(EnvAddArgs),
    /// Set one field of an environment (built-ins get an override in the config file)
    #[command(
        after_long_help = "Examples:\n  gtx env set sandbox client_id my-app\n  gtx env set staging scopes \"orders.read orders.write\"\n  gtx env set staging redirect_port 8765"
    )]
    Set {
        /// Environment name
        #[arg(add = ArgValueCandidates::new(complete::env_names))]
        name: String,
        /// Field to set
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(crate::config::field_keys()))]
        key: String,
        /// New value (scopes: space- or comma-separated)
        value: String,
    },
    /// Remove an environment (for a built-in: drop its override)
    #[command(
        after_long_help = "Examples:\n  gtx env remove staging\n  gtx env remove sandbox   # back to the built-in settings"
    )]
    Remove {
        /// Environment name
        #[arg(add = ArgValueCandidates::new(complete::env_names))]
        name: String,
    },
    /// Make an environment the default (config `default_env`)
    #[command(after_long_help = "Examples:\n  gtx env use production\n  gtx env use sandbox")]
    Use {
        /// Environment name
        #[arg(add = ArgValueCandidates::new(complete::env_names))]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print a setting's value (the default when the file does not set it)
    #[command(after_long_help = "Examples:\n  gtx config get store\n  gtx config get default_env")]
    Get {
        /// Setting: store, default_env
        #[arg(add = ArgValueCandidates::new(complete::setting_names))]
        key: String,
    },
    /// Write a setting into the config file, keeping its comments (empty value unsets it)
    #[command(
        after_long_help = "Examples:\n  gtx config set store file        # no keyring here (SSH, container, WSL)\n  gtx config set default_env production\n  gtx config set store \"\"          # back to the default (keyring)"
    )]
    Set {
        /// Setting: store, default_env
        #[arg(add = ArgValueCandidates::new(complete::setting_names))]
        key: String,
        /// New value (store: keyring, file or memory; default_env: an environment name)
        value: String,
    },
    /// List every setting with its value and where it comes from
    #[command(after_long_help = "Examples:\n  gtx config list\n  gtx config list --json")]
    List,
    /// Print the config file's path ($GTX_CONFIG, else the platform's config directory)
    #[command(
        after_long_help = "Examples:\n  gtx config path\n  \"$EDITOR\" \"$(gtx config path)\""
    )]
    Path,
}

#[derive(Debug, Args)]
pub struct EnvAddArgs {
    /// Environment name (letters, digits, `.`, `_`, `-`)
    pub name: String,
    /// Field flags (--api-base, --token-url, …), built from the environment field table
    #[command(flatten)]
    pub fields: crate::config::FieldArgs,
    /// Replace an existing environment of that name
    #[arg(long)]
    pub force: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
