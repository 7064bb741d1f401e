//! The sentences under an error, and every `gtx …` command the core suggests: the core
//! says which [`Fix`] applies, this module words it (docs/architecture.md, "Errors").

use crate::error::AppError;
use crate::fix::{ApiFix, ClientFix, Ending, EnvFix, Fix, Hint, Login, OtherLogins, StoreFix};

/// The error's message as a person reads it, with the way out that ends it.
pub fn message(e: &AppError) -> String {
    match &e.tail {
        Some(tail) => format!("{}{}", e.message, tail_text(tail)),
        None => e.message.clone(),
    }
}

/// The error's hints, in order, as a person reads them.
pub fn lines(e: &AppError) -> Vec<String> {
    e.hints.iter().map(line).collect()
}

pub fn line(hint: &Hint) -> String {
    match hint {
        Hint::Text(text) => text.clone(),
        Hint::Fix(fix) => sentence(fix),
    }
}

/// A warning the core names as a fix, on stderr.
pub fn warn(out: &crate::output::Output, fix: &Fix) {
    out.warn(&sentence(fix));
}

/// The core's warnings on a command's stderr, ways out worded here.
pub struct Warnings<'a>(pub &'a crate::output::Output);

impl crate::output::Warn for Warnings<'_> {
    fn text(&self, line: &str) {
        self.0.warn(line);
    }
    fn fix(&self, fix: &Fix) {
        warn(self.0, fix);
    }
}

/// The command that signs a profile in.
pub fn login(l: &Login) -> String {
    let how = match l.flags {
        "" => String::new(),
        flags => format!(" {flags}"),
    };
    let cred = match l.credential.as_str() {
        "default" => String::new(),
        c => format!(" --credential {c}"),
    };
    let also = match l.also {
        OtherLogins::None => String::new(),
        OtherLogins::Flag(f) => format!(" (or {f})"),
        OtherLogins::FlagOrBrowser(f) => {
            format!(" (or {f}, or gtx login to sign in in a browser)")
        }
    };
    format!("gtx login{how} --env {}{cred}{also}", l.env)
}

fn sentence(fix: &Fix) -> String {
    match fix {
        Fix::Login(l) => login(l),
        Fix::SignInAgain(l) => format!("sign in again: {}", login(l)),
        Fix::PrintedTokenWorks { until, login: l } => {
            format!(
                "the token printed works {until}; then sign in again: {}",
                login(l)
            )
        }
        Fix::StoreCredentialsFor { origin, login: l } => format!(
            "if {origin} is right, store the credentials for it again: {}",
            login(l)
        ),
        Fix::GrantNoLongerValid => {
            "the grant or refresh token is no longer valid; sign in again with gtx login".into()
        }
        Fix::StartDeviceAgain => "start again: gtx login --device".into(),
        Fix::Env(fix) => env(fix),
        Fix::Client(fix) => client(fix),
        Fix::Store(fix) => store(fix),
        Fix::Api(fix) => api(fix),
        Fix::Ending(fix) => ending(fix).into(),
    }
}

fn env(fix: &EnvFix) -> String {
    match fix {
        EnvFix::ShowEnv { env, field } => {
            format!("check where {env} points and its {field}: gtx env show {env}")
        }
        EnvFix::SetField { env, field, value } => format!("gtx env set {env} {field} {value}"),
        EnvFix::RedirectedTo { to, field } => {
            format!("it redirects to {to}; set {field} to that URL (gtx env set ENV {field} URL)")
        }
        EnvFix::FixedRedirectPort { port, env } => format!(
            "redirect_port {port} is fixed for this environment; stop what uses the port (e.g. another `gtx login`), or clear it with `gtx env set {env} redirect_port ''` if the app allows any port"
        ),
        EnvFix::DpopUnsupported { env } => {
            format!("if the server does not support DPoP: gtx env set {env} dpop false")
        }
        EnvFix::ValidateUrl { env } => {
            format!("or check the token another way: gtx env set {env} validate_url URL")
        }
        EnvFix::ConfigureCheck { env, or_api_base } => {
            let also = match or_api_base {
                true => ", or point api_base at a protected path",
                false => "",
            };
            format!(
                "configure a check: gtx env set {env} introspect_url URL (or validate_url){also}"
            )
        }
        EnvFix::TrustCa => {
            "to trust it, name its CA certificate (or the server's certificate itself) in \
             the environment's ca_file (gtx env set ENV ca_file FILE.pem), or for every program in \
             SSL_CERT_FILE=FILE.pem"
                .into()
        }
        EnvFix::AddEnv { name } => format!("add it with: gtx env add {name} --api-base https://…"),
        EnvFix::SetOpenapiUrl { env } => {
            format!("set it: gtx env set {env} openapi_url URL|/path|./file.yaml")
        }
    }
}

fn client(fix: &ClientFix) -> String {
    match fix {
        ClientFix::CheckClientCredentials => {
            "check the client id and secret (gtx login --client-credentials)".into()
        }
        ClientFix::StoreClientSecret { env } => format!(
            "store one with: gtx login --env {env} --client-credentials --client-secret-stdin"
        ),
        ClientFix::StoreClientKey { env } => format!(
            "store the client's key with: gtx login --env {env} --client-credentials --client-id ID --client-key-stdin < key.pem"
        ),
        ClientFix::IntrospectionNeedsClient { env } => format!(
            "introspection needs client credentials (RFC 7662 section 2.1): gtx login --client-credentials --env {env}"
        ),
        ClientFix::GiveClientSecret => "the client is confidential: give its secret once with GTX_CLIENT_SECRET=… or --client-secret-stdin (with --password on a terminal gtx asks for it); it is stored with the session for refreshes".into(),
    }
}

fn store(fix: &StoreFix) -> String {
    match fix {
        StoreFix::RemoveAll { env, credential } => format!(
            "remove them all with gtx logout --env {env} --credential {credential}, then sign in again"
        ),
        StoreFix::RepairRecords => {
            "fix them, or remove them with gtx logout --env ENV --credential NAME".into()
        }
        StoreFix::RepairRecord => {
            "it was left untouched; fix it, or remove it with gtx logout and sign in again".into()
        }
        StoreFix::LogoutAll => "gtx logout --all removes it (with its secrets)".into(),
        StoreFix::UseFileStore => "no keyring here (SSH, container, WSL)? use the file store from now on: gtx config set store file".into(),
    }
}

fn api(fix: &ApiFix) -> String {
    match fix {
        ApiFix::RebuildIndex => "run `gtx api sync` to rebuild it".into(),
        ApiFix::ListOperations => "see `gtx api list` for the operation ids".into(),
        ApiFix::IndexOperations { env } => {
            format!("`gtx api sync --env {env}` indexes the API's operations")
        }
        ApiFix::ShowOperation { operation } => {
            format!("`gtx api show {operation}` describes it; --no-check sends it anyway")
        }
        ApiFix::StaleIndex { env, age } => {
            format!("the API index of {env} is {age} old; `gtx api sync --env {env}` refreshes it")
        }
        ApiFix::AskForScopes {
            operation,
            have,
            all,
            env,
        } => format!(
            "{operation} needs scopes the token lacks (it has: {}); to get them: gtx login --scope '{}' --env {env}",
            have.join(" "),
            // RFC 6749 allows `'` in a scope: closed, escaped and reopened, the pasted
            // command still passes the scopes as one word.
            all.join(" ").replace('\'', r"'\''")
        ),
        ApiFix::StreamUpload => "send it in parts, or upload it with a streaming tool (curl -T FILE -H \"Authorization: $(gtx token get --header)\" …)".into(),
    }
}

/// The words of a fix that ends a message; standing on its own line it reads the same.
fn ending(fix: &Ending) -> &'static str {
    match fix {
        Ending::UseLogin => "; use gtx login",
        Ending::RequestUsage { operation: true } => ": gtx request [METHOD] PATH | OPERATION",
        Ending::RequestUsage { operation: false } => ": gtx request [METHOD] PATH",
        Ending::HeaderNeedsClientCredentials => " (gtx login --client-credentials --domain …)",
    }
}

/// A fix that ends a message rather than standing on its own line.
fn tail_text(fix: &Fix) -> String {
    match fix {
        Fix::Ending(fix) => ending(fix).into(),
        other => format!("; {}", sentence(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::sign_in::hint_for;
    use crate::store::{Grant, ProfileKey};

    #[test]
    fn the_login_to_run_follows_the_last_grant() {
        let env = crate::oauth::testing::env(&[]);
        let ci = ProfileKey::new("sandbox", "ci");
        let default = ProfileKey::new("sandbox", "default");
        assert_eq!(
            login(&hint_for(&env, &ci, Some(Grant::Password))),
            "gtx login --password --env sandbox --credential ci"
        );
        assert_eq!(
            login(&hint_for(&env, &default, Some(Grant::AuthorizationCode))),
            "gtx login --env sandbox"
        );
        assert_eq!(
            login(&hint_for(&env, &ci, None)),
            "gtx login --client-credentials --env sandbox --credential ci (or --password, or gtx login to sign in in a browser)"
        );
    }

    #[test]
    fn a_fix_that_ends_a_message_ends_it() {
        let e = AppError::config("api_base: credentials in URLs are not accepted")
            .ending(Ending::UseLogin)
            .fix(EnvFix::ShowEnv {
                env: "prod".into(),
                field: "token_url",
            })
            .hint("plain");
        assert_eq!(
            message(&e),
            "api_base: credentials in URLs are not accepted; use gtx login"
        );
        assert_eq!(
            lines(&e),
            [
                "check where prod points and its token_url: gtx env show prod",
                "plain"
            ]
        );
    }

    #[test]
    fn a_scope_with_a_quote_stays_inside_the_quoted_command() {
        let fix: Fix = ApiFix::AskForScopes {
            operation: "x".into(),
            have: vec!["read".into()],
            all: vec!["read".into(), "a'$(id)'".into()],
            env: "prod".into(),
        }
        .into();
        assert!(
            sentence(&fix).ends_with(r"gtx login --scope 'read a'\''$(id)'\''' --env prod"),
            "{}",
            sentence(&fix)
        );
    }

    #[test]
    fn missing_scopes_name_the_sign_in_that_gets_them() {
        let fix: Fix = ApiFix::AskForScopes {
            operation: "listOrders".into(),
            have: vec!["read".into()],
            all: vec!["read".into(), "orders".into()],
            env: "prod".into(),
        }
        .into();
        assert_eq!(
            sentence(&fix),
            "listOrders needs scopes the token lacks (it has: read); to get them: gtx login --scope 'read orders' --env prod"
        );
    }
}
