//! gtx-emulator: a local stand-in for the Giftronaut API token endpoints.
//!
//! It speaks three token dialects at once (`oauth2`, `oauth2-json`,
//! `header-token`), protects a tiny orders API with the tokens it issues,
//! and can be told to misbehave through flags or `/_emulator/*` endpoints.
//! All state lives in memory; it binds 127.0.0.1 only.

mod api;
mod assertion;
mod authorize;
mod codec;
mod control;
mod device;
mod dpop;
mod faults;
mod header;
#[path = "../../html.rs"]
mod html;
mod json_dialect;
mod oauth2;
mod openapi;
mod pages;
mod probe;
mod reply;
mod state;
mod tls;

use std::io::Write;
use std::net::Ipv4Addr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{any, get, post};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use clap::Parser;

use crate::state::{App, Client, Config, Domain, Settings, User};

/// Local HTTP server that emulates the Giftronaut API token endpoints
/// (oauth2, oauth2-json, header-token) and a protected demo API.
///
/// Device login: POST /oauth2/device, verification page /oauth2/device/verify.
/// Control endpoints: GET /_emulator/stats, GET|POST /_emulator/faults,
/// POST /_emulator/reset, POST /_emulator/expire, GET /_emulator/requests.
///
/// Client-test routes: /api/v1/bytes/{n}?kind=text|binary|invalid-utf8,
/// /api/v1/redirect?to=URL, /api/v1/echo, /api/v1/status/{code},
/// /api/v1/flaky?fail=N, /api/v1/needs-new-token.
#[derive(Parser, Debug)]
#[command(name = "gtx-emulator", version)]
struct Cli {
    /// Port on 127.0.0.1 to listen on (0 picks a free port).
    #[arg(long, default_value_t = 0)]
    port: u16,

    /// Print one JSON line with base_url, port and env_add on startup.
    #[arg(long)]
    json: bool,

    /// Do not log requests on stderr.
    #[arg(long, short)]
    quiet: bool,

    /// Confidential client for the oauth2 and oauth2-json dialects (repeatable).
    #[arg(long = "client", value_name = "ID:SECRET", default_value = "demo-client:demo-secret", value_parser = parse_client)]
    clients: Vec<Client>,

    /// Confidential client registered for the password grant only on /oauth2/token: it
    /// must authenticate for the password and refresh grants (repeatable).
    #[arg(long = "password-client", value_name = "ID:SECRET", value_parser = parse_password_client)]
    password_clients: Vec<Client>,

    /// Public client (PKCE, no secret) for the authorization code flow (repeatable).
    #[arg(long = "public-client", value_name = "ID", default_value = "demo-public", value_parser = parse_public)]
    public_clients: Vec<String>,

    /// User for the oauth2-json password grant and the login form (repeatable).
    #[arg(long = "user", value_name = "NAME:PASSWORD", default_value = "demo:demo-password", value_parser = parse_user)]
    users: Vec<User>,

    /// Header-token account; clients send base64(DOMAIN) as client-id (repeatable).
    #[arg(long = "domain", value_name = "DOMAIN:SECRET[:PREFIX]", default_value = "shop.example.com:demo-header-secret:sandbox_", value_parser = parse_domain)]
    domains: Vec<Domain>,

    /// Allowed scopes, space-separated.
    #[arg(
        long,
        value_name = "SCOPES",
        default_value = "orders.read orders.write"
    )]
    scopes: String,

    /// Lifetime of oauth2 access tokens, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 3600)]
    ttl: u64,

    /// Lifetime of oauth2-json access tokens, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 600)]
    json_ttl: u64,

    /// Lifetime of header-token tokens, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 3600)]
    header_ttl: u64,

    /// Refresh tokens are single-use; each refresh returns a new one.
    #[arg(long)]
    rotate_refresh: bool,

    /// /oauth2/authorize and the device verification page ask for a sign-in (users from
    /// --user) and then Allow/Deny, instead of auto-approving.
    #[arg(long)]
    login_form: bool,

    /// Seconds between device-flow polls (the `interval` the device endpoint sends).
    #[arg(long, value_name = "SECS", default_value_t = 5)]
    device_interval: u64,

    /// Lifetime of an authorization code, in seconds (then the exchange gets invalid_grant).
    #[arg(long, value_name = "SECS", default_value_t = 600)]
    code_ttl: u64,

    /// Lifetime of a device code, in seconds (then polls get expired_token).
    #[arg(long, value_name = "SECS", default_value_t = 600)]
    device_ttl: u64,

    /// /oauth2/authorize always redirects with error=access_denied.
    #[arg(long)]
    deny: bool,

    /// Sleep this long before answering any non-control request.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    delay_ms: u64,

    /// Fail the next N token requests with --fail-status.
    #[arg(long, value_name = "N", default_value_t = 0)]
    fail_next: u64,

    /// HTTP status used by --fail-next.
    #[arg(long, value_name = "CODE", default_value_t = 500, value_parser = clap::value_parser!(u16).range(200..=599))]
    fail_status: u16,

    /// Answer the next N token requests with 429 and Retry-After.
    #[arg(long, value_name = "N", default_value_t = 0)]
    rate_limit_next: u64,

    /// Retry-After value (seconds) sent with 429 answers.
    #[arg(long, value_name = "SECS", default_value_t = 1)]
    retry_after: u64,

    /// Answer the next N token requests with a 200 HTML page.
    #[arg(long, value_name = "N", default_value_t = 0)]
    html_next: u64,

    /// Answer the next N token requests with a success body lacking the token.
    #[arg(long, value_name = "N", default_value_t = 0)]
    missing_token_next: u64,

    /// Answer the next N token requests with a 5 MiB JSON body.
    #[arg(long, value_name = "N", default_value_t = 0)]
    huge_next: u64,

    /// Answer the next N token requests with invalid UTF-8.
    #[arg(long = "bad-utf8-next", value_name = "N", default_value_t = 0)]
    bad_utf8_next: u64,

    /// Answer the next N token requests with JSON of the wrong types.
    #[arg(long, value_name = "N", default_value_t = 0)]
    wrong_types_next: u64,

    /// Answer the next N token requests with --body as is.
    #[arg(long, value_name = "N", default_value_t = 0)]
    body_next: u64,

    /// The body --body-next sends (served as application/json).
    #[arg(long, value_name = "TEXT", default_value = "")]
    body: String,

    /// The HTTP status --body-next answers with.
    #[arg(long, value_name = "CODE", default_value_t = 200)]
    body_status: u16,

    /// A client that authenticates with private_key_jwt (RFC 7523), its public key in a
    /// PEM file (repeatable). `--client` clients may also use client_secret_jwt.
    #[arg(long = "key-client", value_name = "ID:PUBLIC_KEY_PEM", value_parser = assertion::parse_key_client)]
    key_clients: Vec<assertion::KeyClient>,

    /// token_endpoint_auth_methods_supported in the metadata (space-separated).
    #[arg(
        long,
        value_name = "METHODS",
        default_value = "client_secret_post client_secret_basic private_key_jwt client_secret_jwt none"
    )]
    auth_methods: String,

    /// DPoP nonces (RFC 9449 section 8-9): off, required (one server nonce), or always
    /// (a broken server that never accepts one).
    #[arg(long, value_name = "MODE", value_enum, default_value = "off")]
    dpop_nonce: dpop::NonceMode,

    /// Serve https with this PEM certificate chain (with --tls-key).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<std::path::PathBuf>,

    /// The PEM private key of --tls-cert.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<std::path::PathBuf>,
}

fn parse_client(s: &str) -> Result<Client, String> {
    match s.split_once(':') {
        Some((id, secret)) if !id.is_empty() && !secret.is_empty() => Ok(Client {
            id: id.to_owned(),
            secret: secret.to_owned(),
            password_only: false,
        }),
        _ => Err("expected ID:SECRET with both parts non-empty".to_owned()),
    }
}

fn parse_password_client(s: &str) -> Result<Client, String> {
    parse_client(s).map(|c| Client {
        password_only: true,
        ..c
    })
}

fn parse_public(s: &str) -> Result<String, String> {
    if s.is_empty() {
        Err("client id must not be empty".to_owned())
    } else {
        Ok(s.to_owned())
    }
}

fn parse_user(s: &str) -> Result<User, String> {
    match s.split_once(':') {
        Some((name, password)) if !name.is_empty() && !password.is_empty() => Ok(User {
            name: name.to_owned(),
            password: password.to_owned(),
        }),
        _ => Err("expected NAME:PASSWORD with both parts non-empty".to_owned()),
    }
}

fn parse_domain(s: &str) -> Result<Domain, String> {
    let mut parts = s.splitn(3, ':');
    let domain = parts.next().unwrap_or_default();
    let secret = parts.next().unwrap_or_default();
    let prefix = parts.next().unwrap_or("sandbox_");
    if domain.is_empty() || secret.is_empty() {
        return Err("expected DOMAIN:SECRET[:PREFIX] with DOMAIN and SECRET non-empty".to_owned());
    }
    Ok(Domain {
        domain: domain.to_owned(),
        secret: secret.to_owned(),
        prefix: prefix.to_owned(),
    })
}

impl Cli {
    fn settings(&self) -> Settings {
        Settings {
            delay_ms: self.delay_ms,
            fail_next: self.fail_next,
            fail_status: self.fail_status,
            rate_limit_next: self.rate_limit_next,
            retry_after: self.retry_after,
            html_next: self.html_next,
            missing_token_next: self.missing_token_next,
            huge_next: self.huge_next,
            bad_utf8_next: self.bad_utf8_next,
            wrong_types_next: self.wrong_types_next,
            body_next: self.body_next,
            body: self.body.clone(),
            body_status: self.body_status,
            rotate_refresh: self.rotate_refresh,
            ttl: self.ttl,
            json_ttl: self.json_ttl,
            header_ttl: self.header_ttl,
            login_form: self.login_form,
            deny: self.deny,
            device_interval: self.device_interval,
            device_ttl: self.device_ttl,
            device_expires_in: 0,
            slow_down_next: 0,
            code_ttl: self.code_ttl,
        }
    }

    fn check(&self) -> Result<(), String> {
        for p in &self.public_clients {
            if self.clients.iter().any(|c| &c.id == p) {
                return Err(format!(
                    "client '{p}' is given both as --client and --public-client"
                ));
            }
        }
        Ok(())
    }
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(api::root))
        .route("/openapi.json", get(openapi::document))
        .route("/admin/api/_info/openapi3.json", get(openapi::protected))
        .route(
            "/.well-known/oauth-authorization-server",
            get(oauth2::metadata),
        )
        .route("/.well-known/openid-configuration", get(oauth2::metadata))
        .route(
            "/oauth2/authorize",
            get(authorize::authorize_get).post(authorize::authorize_post),
        )
        .route("/oauth2/device", post(device::authorize))
        .route(
            "/oauth2/device/verify",
            get(device::verify_get).post(device::verify_post),
        )
        .route("/oauth2/token", post(oauth2::token))
        .route("/oauth2/introspect", post(oauth2::introspect))
        .route("/oauth2/revoke", post(oauth2::revoke))
        .route("/api/oauth/token", post(json_dialect::token))
        .route("/api/v1/auth/token", get(header::token))
        .route("/api/v1/auth/validate", get(header::validate))
        .route(
            "/api/v1/orders",
            get(api::list_orders).post(api::create_order),
        )
        .route("/api/v1/orders/{id}", get(api::get_order))
        .route("/api/v1/bytes/{n}", get(probe::bytes))
        .route("/api/v1/redirect", any(probe::redirect))
        .route("/api/v1/echo", any(probe::echo))
        .route("/api/v1/status/{code}", any(probe::status))
        .route("/api/v1/flaky", any(probe::flaky))
        .route("/api/v1/needs-new-token", get(probe::needs_new_token))
        .route("/_emulator/requests", get(probe::requests))
        .route("/_emulator/stats", get(control::stats))
        .route(
            "/_emulator/faults",
            get(control::get_faults).post(control::set_faults),
        )
        .route("/_emulator/reset", post(control::reset))
        .route("/_emulator/expire", post(control::expire))
        .fallback(api::fallback)
        .layer(middleware::from_fn_with_state(app.clone(), dpop::guard))
        .layer(middleware::from_fn_with_state(app.clone(), track))
        .with_state(app)
}

/// Counts, records (for `/_emulator/requests`) and delays non-control requests; logs
/// every request (method,
/// path, status; never the query or headers, which may carry secrets).
async fn track(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let control = path == "/_emulator" || path.starts_with("/_emulator/");
    if !control {
        probe::record(&app, &method, req.uri(), req.headers());
        let delay = {
            let mut g = app.lock();
            g.stats.requests += 1;
            g.settings.delay_ms
        };
        if delay > 0 {
            tokio::time::sleep(Duration::from_millis(delay)).await;
        }
    }
    let resp = next.run(req).await;
    if !app.cfg.quiet {
        let _ = writeln!(
            std::io::stderr(),
            "{method} {path} {}",
            resp.status().as_u16()
        );
    }
    resp
}

/// `gtx env add` commands that point gtx at this emulator, one per dialect.
fn env_add_lines(cfg: &Config) -> Vec<String> {
    let b = &cfg.base_url;
    let scopes = cfg.scopes.join(" ");
    let prefix = cfg
        .domains
        .first()
        .map(|d| d.prefix.as_str())
        .unwrap_or("sandbox_");
    vec![
        format!(
            "gtx env add emu --api-base {b} --token-url /oauth2/token --authorize-url /oauth2/authorize \
             --device-url /oauth2/device --introspect-url /oauth2/introspect --revoke-url /oauth2/revoke --scopes \"{scopes}\""
        ),
        format!(
            "gtx env add emu-json --api-base {b} --dialect oauth2-json --token-url /api/oauth/token"
        ),
        format!(
            "gtx env add emu-header --api-base {b} --dialect header-token --token-url /api/v1/auth/token \
             --validate-url /api/v1/auth/validate --token-prefix {prefix}"
        ),
    ]
}

fn print_banner(cfg: &Config, port: u16, json: bool) {
    let env_add = env_add_lines(cfg);
    let mut out = std::io::stdout().lock();
    if json {
        #[derive(serde::Serialize)]
        struct Banner<'a> {
            base_url: &'a str,
            port: u16,
            env_add: &'a [String],
        }
        let banner = Banner {
            base_url: &cfg.base_url,
            port,
            env_add: &env_add,
        };
        if let Ok(line) = serde_json::to_string(&banner) {
            let _ = writeln!(out, "{line}");
        }
    } else {
        let _ = writeln!(out, "gtx-emulator listening on {}", cfg.base_url);
        for l in &env_add {
            let _ = writeln!(out, "  {l}");
        }
        let _ = writeln!(out, "demo credentials:");
        for c in &cfg.clients {
            let _ = writeln!(
                out,
                "  client (oauth2, oauth2-json): {} / {}",
                c.id, c.secret
            );
        }
        for p in &cfg.public_clients {
            let _ = writeln!(out, "  public client (PKCE): {p}");
        }
        for u in &cfg.users {
            let _ = writeln!(
                out,
                "  user (login form; oauth2-json password grant with client_id {}): {} / {}",
                json_dialect::ADMIN_CLIENT,
                u.name,
                u.password
            );
        }
        for d in &cfg.domains {
            let _ = writeln!(
                out,
                "  header-token: domain {} (client-id {}) secret {} prefix {}",
                d.domain,
                STANDARD.encode(&d.domain),
                d.secret,
                d.prefix
            );
        }
        let _ = writeln!(out, "  scopes: {}", cfg.scopes.join(" "));
    }
    let _ = out.flush();
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = cli.check() {
        let _ = writeln!(std::io::stderr(), "gtx-emulator: {e}");
        return ExitCode::from(2);
    }
    let listener = match tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, cli.port)).await {
        Ok(l) => l,
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "gtx-emulator: cannot listen on 127.0.0.1:{}: {e}",
                cli.port
            );
            return ExitCode::FAILURE;
        }
    };
    let port = match listener.local_addr() {
        Ok(a) => a.port(),
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "gtx-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    let acceptor = match (&cli.tls_cert, &cli.tls_key) {
        (Some(cert), Some(key)) => match tls::acceptor(cert, key) {
            Ok(a) => Some(a),
            Err(e) => {
                let _ = writeln!(std::io::stderr(), "gtx-emulator: {e}");
                return ExitCode::from(2);
            }
        },
        _ => None,
    };
    let scheme = if acceptor.is_some() { "https" } else { "http" };
    let cfg = Config {
        base_url: format!("{scheme}://127.0.0.1:{port}"),
        clients: cli
            .clients
            .iter()
            .chain(&cli.password_clients)
            .cloned()
            .collect(),
        key_clients: cli.key_clients.clone(),
        auth_methods: cli
            .auth_methods
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        dpop_nonce: cli.dpop_nonce,
        public_clients: cli.public_clients.clone(),
        users: cli.users.clone(),
        domains: cli.domains.clone(),
        scopes: cli.scopes.split_whitespace().map(str::to_owned).collect(),
        quiet: cli.quiet,
        initial: cli.settings(),
    };
    print_banner(&cfg, port, cli.json);
    let app = Arc::new(App::new(cfg));
    let served = match acceptor {
        Some(acceptor) => {
            let listener = tls::TlsListener {
                tcp: listener,
                acceptor,
            };
            axum::serve(listener, router(app))
                .with_graceful_shutdown(shutdown_signal())
                .await
        }
        None => {
            axum::serve(listener, router(app))
                .with_graceful_shutdown(shutdown_signal())
                .await
        }
    };
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "gtx-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_parsers() {
        let d = parse_domain("shop.example.com:s3cr:et:live_").unwrap();
        assert_eq!((d.secret.as_str(), d.prefix.as_str()), ("s3cr", "et:live_"));
        let d = parse_domain("shop.example.com:sec").unwrap();
        assert_eq!(d.prefix, "sandbox_");
        assert!(parse_domain("shop.example.com").is_err());
        let c = parse_client("id:se:cret").unwrap();
        assert_eq!((c.id.as_str(), c.secret.as_str()), ("id", "se:cret"));
        assert!(parse_client(":x").is_err());
        assert!(parse_user("demo").is_err());
    }

    #[test]
    fn cli_defaults() {
        let cli = Cli::try_parse_from(["gtx-emulator"]).unwrap();
        assert_eq!(cli.clients.len(), 1);
        assert_eq!(cli.clients[0].id, "demo-client");
        assert_eq!(cli.public_clients, vec!["demo-public".to_owned()]);
        assert_eq!(cli.domains[0].prefix, "sandbox_");
        assert_eq!(cli.settings(), Settings::default());
        let cli = Cli::try_parse_from([
            "gtx-emulator",
            "--client",
            "a:b",
            "--client",
            "c:d",
            "--domain",
            "x.com:s1",
            "--domain",
            "x.com:s2:live_",
        ])
        .unwrap();
        assert_eq!(cli.clients.len(), 2);
        assert_eq!(cli.domains.len(), 2);
        assert!(Cli::try_parse_from(["gtx-emulator", "--fail-status", "99"]).is_err());
    }
}
