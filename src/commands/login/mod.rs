//! `gtx login`: in the browser (default), `--device`, `--client-credentials`,
//! `--password`, `--with-token`. Secrets come from a hidden prompt, stdin or
//! GTX_CLIENT_SECRET — never from an argument.

mod browser;
mod choose;
mod device;
pub(super) mod people;

use crate::cli::LoginArgs;
use crate::config::{ClientAuth, Environment, split_scopes};
use crate::context::Context;
use crate::error::{AppError, Result};
use crate::oauth::dialect::TokenResponse;
use crate::oauth::dpop;
use crate::oauth::grant::{
    self, ClientRef, client_credentials::ClientCredentialsGrant, password::PasswordGrant,
};
use crate::oauth::http::Http;
use crate::oauth::pipeline::{self, Source};
use crate::output::Output;
use crate::secret::Secret;
use crate::store::{ClientCredentials, Grant, ProfileKey, Session};
use crate::time;
use base64::Engine;
use std::io::IsTerminal;

pub fn run(ctx: &Context, args: &LoginArgs) -> Result<()> {
    let env = ctx.env()?;
    let key = ctx.profile(&env)?;
    if args.client_secret_stdin && args.password_stdin {
        return Err(AppError::usage("stdin can carry only one secret"));
    }
    if args.client_credentials {
        return client_credentials(ctx, &env, &key, args);
    }
    // A person's sign-in refused for its client: name how to give the secret, not
    // `--client-credentials` (the client may not be allowed that grant).
    person(ctx, &env, &key, args).map_err(crate::oauth::client::person_refusal)
}

fn person(ctx: &Context, env: &Environment, key: &ProfileKey, args: &LoginArgs) -> Result<()> {
    if args.password {
        password(ctx, env, key, args)
    } else if args.with_token {
        with_token(ctx, env, key, args)
    } else if args.device {
        device::run(ctx, env, key, args)
    } else if crate::oauth::authorize::authorize_url(env)?.is_some() {
        browser::run(ctx, env, key, args)
    } else {
        match choose::ask(env)? {
            choose::Way::ClientCredentials => client_credentials(ctx, env, key, args),
            choose::Way::Password => password(ctx, env, key, args),
            choose::Way::Token => with_token(ctx, env, key, args),
            choose::Way::Device => device::run(ctx, env, key, args),
        }
    }
}

/// `--scope`, else the environment's default scopes.
fn requested_scopes(args: &LoginArgs, env: &Environment) -> Vec<String> {
    args.scope
        .as_deref()
        .map(split_scopes)
        .unwrap_or_else(|| env.scopes.clone())
}

/// Prompts need a terminal on both ends; scripts and CI get a usage error naming the
/// non-interactive way instead of a hang.
fn require_terminal(label: &str, alternative: &str) -> Result<()> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(AppError::usage(format!(
            "no terminal to ask for the {label}; {alternative}"
        )));
    }
    Ok(())
}

/// header-token: the client id is the base64 of the account's domain.
fn domain_client(domain: &str) -> Result<(String, Option<String>)> {
    let domain = domain.trim();
    if domain.is_empty() || domain.contains(char::is_whitespace) {
        return Err(AppError::usage(format!("{domain:?} is not a domain name")));
    }
    let id = base64::engine::general_purpose::STANDARD.encode(domain.as_bytes());
    Ok((id, Some(domain.to_string())))
}

fn prompt_secret(label: &str, alternative: &str) -> Result<Secret> {
    require_terminal(label, alternative)?;
    dialoguer::Password::new()
        .with_prompt(label)
        .interact()
        .map(Secret::new)
        .map_err(|e| AppError::usage(format!("cannot read the {label}: {e}")))
}

fn prompt_text(label: &str, alternative: &str) -> Result<String> {
    require_terminal(label, alternative)?;
    dialoguer::Input::<String>::new()
        .with_prompt(label)
        .interact_text()
        .map_err(|e| AppError::usage(format!("cannot read the {label}: {e}")))
}

fn client_credentials(
    ctx: &Context,
    env: &Environment,
    key: &ProfileKey,
    args: &LoginArgs,
) -> Result<()> {
    let (client_id, domain) = client_id_to_store(env, args)?;
    let uses_key = env.client_auth == ClientAuth::PrivateKeyJwt;
    let secret = secret_to_store(ctx, env, key, &client_id, args, uses_key)?;
    crate::secret::check_input("client id", &client_id)?;
    if !uses_key {
        crate::secret::check_input("client secret", secret.expose())?;
    }
    let client = ClientCredentials {
        client_id,
        client_secret: secret,
        domain,
        origin: Some(crate::oauth::binding::token_origin(env)),
        sign_in_only: false,
    };
    let scopes = requested_scopes(args, env);
    let http = Http::for_env(env, ctx.timeout())?;
    let mint = ClientCredentialsGrant { scopes: &scopes };
    let response = grant::send(&http, env, (&client).into(), &mint)?;
    let session = session_of(
        &ctx.out,
        env,
        &http,
        response,
        Grant::ClientCredentials,
        &client.client_id,
        &scopes,
    )?;
    let shown = client
        .domain
        .clone()
        .unwrap_or_else(|| client.client_id.clone());
    store_session(
        ctx,
        key,
        Some(client),
        session,
        &format!("as client {shown}"),
    )
}

/// The client id `--client-credentials` stores: the one order of `oauth::client`, without
/// the stored client (this stores one), else a prompt.
fn client_id_to_store(env: &Environment, args: &LoginArgs) -> Result<(String, Option<String>)> {
    Ok(if let Some(domain) = &args.domain {
        domain_client(domain)?
    } else if let Some(id) = crate::oauth::client::id(args.client_id.as_deref(), env, None) {
        (id, None)
    } else if crate::oauth::dialect::facts(env.dialect).client_id_is_domain {
        domain_client(&prompt_text("Account domain", "pass --domain")?)?
    } else {
        (
            prompt_text("Client id", "pass --client-id or set GTX_CLIENT_ID")?,
            None,
        )
    })
}

/// The secret (or, for `private_key_jwt`, the PEM key) `--client-credentials` stores.
fn secret_to_store(
    ctx: &Context,
    env: &Environment,
    key: &ProfileKey,
    client_id: &str,
    args: &LoginArgs,
    uses_key: bool,
) -> Result<Secret> {
    if args.client_key_stdin && !uses_key {
        return Err(AppError::config(format!(
            "environment {} does not authenticate clients with a key (client_auth = {})",
            env.name,
            env.client_auth.name()
        ))
        .hint(format!(
            "if its server expects private_key_jwt: gtx env set {} client_auth private_key_jwt",
            env.name
        )));
    }
    Ok(if args.client_key_stdin {
        let pem = super::stdin::read_stdin_secret(&ctx.out, "client key")?;
        key_secret(&ctx.out, env, pem)?
    } else if uses_key {
        if args.client_secret_stdin {
            return Err(AppError::usage(format!(
                "environment {} authenticates clients with a private key, not a secret: use --client-key-stdin < key.pem",
                env.name
            )));
        }
        match crate::env_vars::process().given(crate::env_vars::GTX_CLIENT_SECRET) {
            Some(pem) => key_secret(&ctx.out, env, pem.to_string())?,
            None => {
                return Err(AppError::usage(format!(
                    "environment {} authenticates clients with a private key: give it with --client-key-stdin < key.pem",
                    env.name
                )));
            }
        }
    } else {
        // The one order of `oauth::client` for the secret.
        let stdin = crate::commands::stdin::client_secret(&ctx.out, args.client_secret_stdin)?;
        match crate::oauth::client::secret(env, key, client_id, stdin, None)? {
            Some((s, _)) => s,
            None => prompt_secret(
                "Client secret",
                "use --client-secret-stdin or GTX_CLIENT_SECRET",
            )?,
        }
    })
}

/// A PEM private key checked before anything is sent or stored: it parses, and it can sign
/// the environment's `client_assertion_alg`. Says which key it is (the kid servers see).
fn key_secret(out: &Output, env: &Environment, pem: String) -> Result<Secret> {
    use crate::oauth::{client_auth::jwt_assertion, key::PrivateKey};
    let key = PrivateKey::from_pem(&pem)?;
    let alg = jwt_assertion::alg_for(env, &key)?;
    let kid = env
        .client_key_id
        .clone()
        .unwrap_or_else(|| key.thumbprint());
    out.status(&format!(
        "client key: {}, signing {}, kid {kid}; its public JWK (what the server registers): {}",
        key.kind(),
        alg.name(),
        key.public_jwk()
    ));
    Ok(Secret::new(pem))
}

fn password(ctx: &Context, env: &Environment, key: &ProfileKey, args: &LoginArgs) -> Result<()> {
    crate::oauth::grant::password::offered(env)?;
    let (username, password) = person_credentials(ctx, args)?;
    // The one order of `oauth::client`; the stored client signs people in only where
    // the dialect says so (oauth2-json's password client is `administration`).
    let facts = crate::oauth::dialect::facts(env.dialect);
    let stored = match facts.password_as_stored_client {
        true => ctx.store()?.load(key)?.and_then(|r| r.client),
        false => None,
    };
    let client_id = crate::oauth::client::id(args.client_id.as_deref(), env, stored.as_ref())
        .unwrap_or_else(|| facts.password_client_id.into());
    crate::secret::check_input("client id", &client_id)?;
    crate::secret::check_input("password", password.expose())?;
    let stdin = crate::commands::stdin::client_secret(&ctx.out, args.client_secret_stdin)?;
    let mut client_secret =
        crate::oauth::client::secret(env, key, &client_id, stdin, stored.as_ref())?.map(|(s, _)| s);
    let scopes = requested_scopes(args, env);
    let http = Http::for_env(env, ctx.timeout())?;
    let ask = |secret: Option<&Secret>| {
        let made_as = ClientRef {
            id: &client_id,
            secret,
        };
        let sign_in = PasswordGrant {
            username: &username,
            password: &password,
            scopes: &scopes,
        };
        grant::send(&http, env, made_as, &sign_in)
    };
    let response = match ask(client_secret.as_ref()) {
        // A confidential client: on a terminal, ask for its secret once and try again.
        Err(e)
            if e.oauth == Some(crate::error::OAuthCode::InvalidClient)
                && client_secret.is_none()
                && require_terminal("client secret", "").is_ok() =>
        {
            let secret = ask_client_secret(ctx, &client_id)?;
            let response = ask(Some(&secret))?;
            client_secret = Some(secret);
            response
        }
        other => other?,
    };
    drop(password);
    let session = session_of(
        &ctx.out,
        env,
        &http,
        response,
        Grant::Password,
        &client_id,
        &scopes,
    )?;
    // The secret it signed in with authenticates the refreshes and revocation that follow.
    let kept =
        crate::oauth::client::kept_for_sign_in(env, &client_id, client_secret, stored.as_ref());
    store_session(ctx, key, kept, session, &format!("as user {username}"))
}

/// The username (`--username` or asked) and password (`--password-stdin` or asked).
fn person_credentials(ctx: &Context, args: &LoginArgs) -> Result<(String, Secret)> {
    let username = match &args.username {
        Some(u) => u.clone(),
        None => prompt_text("Username", "pass --username")?,
    };
    let password = if args.password_stdin {
        Secret::new(super::stdin::read_stdin_secret(&ctx.out, "password")?)
    } else {
        prompt_secret("Password", "use --password-stdin")?
    };
    Ok((username, password))
}

/// A confidential client's secret, asked at the terminal once the server wanted one.
fn ask_client_secret(ctx: &Context, client_id: &str) -> Result<Secret> {
    ctx.out.status(&format!(
        "the server wants client {client_id} to authenticate"
    ));
    let secret = prompt_secret(
        "Client secret",
        "use --client-secret-stdin or GTX_CLIENT_SECRET",
    )?;
    crate::secret::check_input("client secret", secret.expose())?;
    Ok(secret)
}

fn with_token(ctx: &Context, env: &Environment, key: &ProfileKey, args: &LoginArgs) -> Result<()> {
    let token = super::stdin::read_token(super::stdin::read_stdin_secret(&ctx.out, "token")?)?;
    pipeline::check_prefix(env, &token)?;
    let now = time::now();
    let expires_at = crate::oauth::jwt::expiry(token.expose());
    if let Some(exp) = expires_at
        && exp <= now
    {
        return Err(AppError::rejected(format!(
            "that token expired {} ({})",
            time::relative(exp, now),
            time::rfc3339(exp)
        )));
    }
    if args.no_verify {
        crate::vlog!(1, "--no-verify: storing the token unchecked");
    } else {
        verify_token(ctx, env, key, &token)?;
    }
    // The claim is only informative; a scope RFC 6749 would not allow must not make the
    // stored session one that `token get` refuses to serve (`Session::well_formed`).
    let scopes: Vec<String> = crate::oauth::jwt::decode(token.expose())
        .and_then(|(_, c)| c.get("scope").and_then(|s| s.as_str()).map(split_scopes))
        .unwrap_or_default()
        .into_iter()
        .filter(|s| crate::sanitize::scope_token_ok(s))
        .collect();
    let session = Session {
        access_token: token,
        token_type: "Bearer".into(),
        expires_at,
        scopes,
        refresh_token: None,
        grant: Grant::Token,
        obtained_at: now,
        client_id: None,
        issued_for: Some(crate::oauth::binding::of(env)),
        dpop_key: None,
    };
    store_session(ctx, key, None, session, "with a pasted token")
}

/// As `gh auth login --with-token` does: ask the server when the environment has a way
/// (validate_url, introspect_url); otherwise a token shaped like a JWT must decode (its
/// expiry was checked already). An opaque token with nothing to ask is stored as is.
fn verify_token(ctx: &Context, env: &Environment, key: &ProfileKey, token: &Secret) -> Result<()> {
    let skip = "store it unchecked with --no-verify";
    if env.validate_url.is_some() || env.introspect_url.is_some() {
        let client = match pipeline::env_client(env, ctx.vars)? {
            Some(c) => Some(c),
            None => ctx.store()?.load(key)?.and_then(|r| r.client),
        };
        let http = Http::for_env(env, ctx.timeout())?;
        let verdict = crate::oauth::validate::remote(&http, env, token, "Bearer", client.as_ref())?;
        if !verdict.valid {
            return Err(AppError::rejected(format!(
                "the server does not accept that token: {}",
                verdict.reason
            ))
            .hint(skip));
        }
        crate::vlog!(1, "token checked: {}", verdict.reason);
        return Ok(());
    }
    let jwt_shaped = token.expose().matches('.').count() == 2;
    if jwt_shaped && crate::oauth::jwt::decode(token.expose()).is_none() {
        return Err(AppError::rejected(format!(
            "that token ({}) is shaped like a JWT but does not decode as one",
            token.redacted()
        ))
        .hint(skip));
    }
    if !jwt_shaped {
        ctx.out.status(&format!(
            "environment {} has no validate_url or introspect_url to check an opaque token with; storing it as given",
            env.name
        ));
    }
    Ok(())
}

/// The token answer of a sign-in becomes a session: bound to the DPoP key the request
/// proved, and refused when it is not for this environment.
fn session_of(
    out: &Output,
    env: &Environment,
    http: &Http,
    response: TokenResponse,
    grant: Grant,
    client_id: &str,
    scopes: &[String],
) -> Result<Session> {
    let mut session = pipeline::to_session(
        env,
        response,
        grant,
        Some(client_id.to_string()),
        scopes,
        None,
        Source::Minted,
    );
    dpop::bind(env, &mut session, http.dpop_pem().as_ref())?;
    pipeline::check_prefix(env, &session.access_token)?;
    if grant != Grant::ClientCredentials && session.refresh_token.is_none() {
        out.warn("the server issued no refresh token: sign in again when the token expires");
    }
    Ok(session)
}

/// Saves under the profile lock; client credentials already stored are kept unless new
/// ones were given.
fn store_session(
    ctx: &Context,
    key: &ProfileKey,
    client: Option<ClientCredentials>,
    session: Session,
    how: &str,
) -> Result<()> {
    let store = ctx.store()?;
    let now = time::now();
    let expiry = session
        .expires_at
        .map(|e| format!("expires {}", time::relative(e, now)))
        .unwrap_or_else(|| "no expiry given".into());
    let summary = crate::commands::view::session_json(&session, now);
    pipeline::save_session(
        store.as_ref(),
        key,
        client,
        session,
        ctx.timeout(),
        &ctx.out,
    )?;
    if ctx.json() {
        ctx.out.json(&serde_json::json!({
            "env": key.env,
            "credential": key.credential,
            "store": store.kind().name(),
            "session": summary,
        }))?;
    }
    ctx.out.success(&format!(
        "signed in to {key} {how} ({} store; token {expiry})",
        store.kind().name()
    ));
    if store.kind() == crate::cli::StoreKind::Memory {
        ctx.out
            .warn("the memory store keeps nothing after this command exits");
    }
    Ok(())
}
