//! cached → refreshed → minted. Freshness is decided from the store before any network
//! work; renewal happens under a per-profile lock and re-reads the store first, so N
//! parallel processes make one token call and a rotated refresh token is never lost.

use super::dialect::{self, GrantRequest, TokenResponse};
use super::http::Http;
use crate::cli::StoreKind;
use crate::config::{Dialect, Environment};
use crate::context::Context;
use crate::error::{AppError, Kind, Result};
use crate::secret::Secret;
use crate::store::{ClientCredentials, Grant, ProfileKey, ProfileLock, Record, Session, Store};
use crate::{output, time, vlog};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Cache,
    Refreshed,
    Minted,
    EnvToken,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::Cache => "cache",
            Source::Refreshed => "refreshed",
            Source::Minted => "minted",
            Source::EnvToken => "GTX_TOKEN",
        }
    }
}

/// Client credentials from GTX_CLIENT_ID / GTX_CLIENT_SECRET, which win over stored ones.
pub fn env_client(env: &Environment) -> Result<Option<ClientCredentials>> {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    match (var("GTX_CLIENT_ID"), var("GTX_CLIENT_SECRET")) {
        (id, Some(secret)) => {
            let client_id = id.or_else(|| env.client_id.clone()).ok_or_else(|| {
                AppError::usage("GTX_CLIENT_SECRET is set but GTX_CLIENT_ID is not (and the environment has no client_id)")
            })?;
            Ok(Some(ClientCredentials {
                client_id,
                client_secret: Secret::new(secret),
                domain: None,
            }))
        }
        (Some(_), None) => Err(AppError::usage(
            "GTX_CLIENT_ID is set but GTX_CLIENT_SECRET is not",
        )),
        (None, None) => Ok(None),
    }
}

pub fn env_token() -> Result<Option<Secret>> {
    let Some(token) = std::env::var("GTX_TOKEN")
        .ok()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
    else {
        return Ok(None);
    };
    if !crate::secret::header_safe(&token) {
        return Err(AppError::usage(
            "GTX_TOKEN holds spaces, control or non-ASCII characters; it cannot be a token",
        ));
    }
    Ok(Some(Secret::new(token)))
}

/// A token is never used with (or sent to) an environment whose prefix it lacks.
pub fn check_prefix(env: &Environment, token: &Secret) -> Result<()> {
    if let Some(prefix) = env.token_prefix.as_deref().filter(|p| !p.is_empty())
        && !token.expose().starts_with(prefix)
    {
        return Err(AppError::rejected(format!(
            "the token ({}) does not carry the prefix {prefix:?} of environment {}; refusing to use it there",
            token.redacted(),
            env.name
        ))
        .hint("a sandbox token is never sent to production, nor the reverse; check --env"));
    }
    Ok(())
}

pub struct Options {
    pub min_ttl: i64,
    pub scopes: Option<Vec<String>>,
    /// `token generate`: skip the cache.
    pub force: bool,
}

pub struct Outcome {
    pub session: Session,
    pub source: Source,
    pub cached: bool,
}

fn covers(session: &Session, wanted: &Option<Vec<String>>) -> bool {
    match wanted {
        None => true,
        Some(w) => w.iter().all(|s| session.scopes.contains(s)),
    }
}

fn fresh(session: &Session, min_ttl: i64, now: i64) -> bool {
    session
        .expires_at
        .is_none_or(|exp| exp.saturating_sub(now) >= min_ttl)
}

/// The store, or `None` when the keyring is unusable but GTX_CLIENT_ID/SECRET let us mint
/// uncached (SPEC section 2's exception).
pub struct Opened {
    pub store: Option<Box<dyn Store>>,
    pub record: Record,
}

pub fn open_and_load(ctx: &Context, key: &ProfileKey, env_creds: bool) -> Result<Opened> {
    let store = ctx.store()?;
    match store.load(key) {
        Ok(record) => Ok(Opened {
            store: Some(store),
            record: record.unwrap_or_default(),
        }),
        Err(e) if env_creds && store.kind() == StoreKind::Keyring && e.kind == Kind::Store => {
            output::warn(&format!("{}; the token will not be cached", e.message));
            Ok(Opened {
                store: None,
                record: Record::default(),
            })
        }
        Err(e) => Err(e),
    }
}

pub fn get(ctx: &Context, env: &Environment, key: &ProfileKey, opts: &Options) -> Result<Outcome> {
    if !opts.force
        && let Some(token) = env_token()?
    {
        check_prefix(env, &token)?;
        vlog!(1, "using GTX_TOKEN ({})", token.redacted());
        return Ok(Outcome {
            session: Session {
                expires_at: super::jwt::expiry(token.expose()),
                access_token: token,
                token_type: "Bearer".into(),
                scopes: Vec::new(),
                refresh_token: None,
                grant: Grant::Token,
                obtained_at: time::now(),
                client_id: None,
            },
            source: Source::EnvToken,
            cached: false,
        });
    }
    let env_client = env_client(env)?;
    let opened = open_and_load(ctx, key, env_client.is_some())?;
    let now = time::now();
    let usable = |record: &Record| -> Option<Session> {
        let s = record.session.as_ref()?;
        // A token minted for another client than the one in use is not this profile's.
        let same_client = match (&env_client, &record.client, &s.client_id) {
            (Some(c), _, minted_by) => minted_by.as_deref() == Some(c.client_id.as_str()),
            (None, Some(stored), Some(minted_by)) => *minted_by == stored.client_id,
            (None, _, _) => true,
        };
        (same_client && fresh(s, opts.min_ttl, now) && covers(s, &opts.scopes)).then(|| s.clone())
    };
    if !opts.force
        && let Some(session) = usable(&opened.record)
    {
        vlog!(
            1,
            "cache hit for {key}: expires {}",
            session
                .expires_at
                .map(time::rfc3339)
                .unwrap_or("never".into())
        );
        check_prefix(env, &session.access_token)?;
        return Ok(Outcome {
            session,
            source: Source::Cache,
            cached: true,
        });
    }
    let Opened { store, record } = opened;
    let _lock = match &store {
        Some(s) if s.shared() => Some(ProfileLock::acquire(key)?),
        _ => None,
    };
    // Another process may have renewed while we waited for the lock.
    let mut record = match &store {
        Some(s) if s.shared() => s.load(key)?.unwrap_or_default(),
        _ => record,
    };
    if !opts.force
        && let Some(session) = usable(&record)
    {
        vlog!(1, "another process renewed the token for {key}");
        check_prefix(env, &session.access_token)?;
        return Ok(Outcome {
            session,
            source: Source::Cache,
            cached: true,
        });
    }
    let http = Http::new(ctx.timeout())?;
    let client = env_client.clone().or_else(|| record.client.clone());
    let scopes = opts.scopes.clone().unwrap_or_else(|| env.scopes.clone());
    let previous = record.session.clone();

    // A refresh token (from a browser or password sign-in) renews without the secret.
    // With client credentials at hand, a client-credentials session is simply re-minted.
    let refreshable = previous.as_ref().and_then(|s| {
        let rt = s.refresh_token.clone()?;
        (covers(s, &opts.scopes) && (s.grant != Grant::ClientCredentials || client.is_none()))
            .then(|| (s.clone(), rt))
    });
    let (response, grant, client_id, source) = if let Some((prev, rt)) = refreshable {
        let client_id = prev
            .client_id
            .clone()
            .or_else(|| client.as_ref().map(|c| c.client_id.clone()))
            .or_else(|| env.client_id.clone())
            .unwrap_or_else(|| "administration".into());
        let secret = client
            .as_ref()
            .filter(|c| c.client_id == client_id)
            .map(|c| &c.client_secret);
        let req = GrantRequest::Refresh {
            client_id: &client_id,
            client_secret: secret,
            refresh_token: &rt,
        };
        match call(&http, env, &req) {
            Ok(resp) => (resp, prev.grant, Some(client_id), Source::Refreshed),
            Err(e) if e.kind == Kind::Rejected => {
                // Only `invalid_grant` says the refresh token is dead: then forget the
                // session so the next run says "not signed in" instead of failing the same
                // way again. Any other refusal keeps it.
                let dead = e.code.as_deref() == Some("invalid_grant");
                if let (true, Some(s), Some(_)) = (dead, &store, &record.session) {
                    record.session = None;
                    let forgotten = if record.is_empty() {
                        s.delete(key).map(|_| ())
                    } else {
                        s.save(key, &record)
                    };
                    if let Err(err) = forgotten {
                        output::warn(&format!("could not drop the dead session: {}", err.message));
                    }
                }
                match &client {
                    Some(c) => {
                        vlog!(
                            1,
                            "refresh refused ({}); minting with client credentials",
                            e.message
                        );
                        let resp = mint(&http, env, c, &scopes)?;
                        (
                            resp,
                            Grant::ClientCredentials,
                            Some(c.client_id.clone()),
                            Source::Minted,
                        )
                    }
                    _ => {
                        return Err(e.hint(format!("sign in again: {}", login_hint(env, key))));
                    }
                }
            }
            Err(e) => return Err(e),
        }
    } else if let Some(c) = &client {
        let resp = mint(&http, env, c, &scopes)?;
        (
            resp,
            Grant::ClientCredentials,
            Some(c.client_id.clone()),
            Source::Minted,
        )
    } else {
        let why = match &previous {
            Some(s) if s.grant == Grant::Token => {
                format!("the stored token for {key} has expired and cannot be renewed")
            }
            Some(s) if opts.scopes.is_some() && fresh(s, opts.min_ttl, time::now()) => format!(
                "the token for {key} lacks the requested scopes and cannot be renewed without client credentials"
            ),
            Some(_) => format!("the session for {key} has expired and has no refresh token"),
            None => format!("not signed in to {key}"),
        };
        return Err(AppError::not_signed_in(why).hint(login_hint(env, key)));
    };
    let session = to_session(
        response,
        grant,
        client_id,
        &scopes,
        previous.as_ref(),
        source,
    );
    check_prefix(env, &session.access_token).map_err(|e| {
        AppError::rejected(format!(
            "the token endpoint issued a token for another environment: {}",
            e.message
        ))
    })?;
    if let Some(exp) = session.expires_at
        && exp - time::now() < opts.min_ttl
        && !opts.force
    {
        output::warn(&format!(
            "the server issued a token valid for {}s, less than --min-ttl {}s",
            exp - time::now(),
            opts.min_ttl
        ));
    }
    // GTX_CLIENT_ID/SECRET for another client than the stored one: print, don't cache,
    // so the profile's own client keeps its session.
    let foreign =
        matches!((&env_client, &record.client), (Some(e), Some(c)) if e.client_id != c.client_id);
    if foreign {
        vlog!(
            1,
            "GTX_CLIENT_ID differs from the client stored for {key}: not caching"
        );
    }
    if let Some(s) = store.as_ref().filter(|_| !foreign) {
        record.session = Some(session.clone());
        s.save(key, &record)?;
        vlog!(
            1,
            "stored the new token for {key} in the {} store",
            s.kind().name()
        );
    }
    Ok(Outcome {
        session,
        source,
        cached: store.is_some() && !foreign,
    })
}

pub fn login_hint(env: &Environment, key: &ProfileKey) -> String {
    let cred = if key.credential == "default" {
        String::new()
    } else {
        format!(" --credential {}", key.credential)
    };
    match env.dialect {
        Dialect::HeaderToken => format!(
            "gtx login --client-credentials --domain DOMAIN --env {}{cred}",
            env.name
        ),
        Dialect::OAuth2Json => format!(
            "gtx login --password --env {0}{cred} (or --client-credentials)",
            env.name
        ),
        Dialect::OAuth2 => format!("gtx login --client-credentials --env {}{cred}", env.name),
    }
}

pub fn call(http: &Http, env: &Environment, grant: &GrantRequest) -> Result<TokenResponse> {
    let req = dialect::build(env, grant)?;
    let host = req
        .url
        .host_str()
        .unwrap_or("the token endpoint")
        .to_string();
    super::feedback::token_call(http, env, grant, &host, || {
        dialect::parse(env.dialect, &http.send_with_retries(&req)?, &req.secrets)
    })
}

pub fn mint(
    http: &Http,
    env: &Environment,
    client: &ClientCredentials,
    scopes: &[String],
) -> Result<TokenResponse> {
    call(
        http,
        env,
        &GrantRequest::ClientCredentials {
            client_id: &client.client_id,
            client_secret: &client.client_secret,
            scopes,
        },
    )
}

/// A response becomes a session; a refresh that brings no new refresh token keeps the old.
pub fn to_session(
    resp: TokenResponse,
    grant: Grant,
    client_id: Option<String>,
    requested: &[String],
    previous: Option<&Session>,
    source: Source,
) -> Session {
    let now = time::now();
    let expires_at = resp
        .expires_in
        .map(|s| now + s)
        .or_else(|| super::jwt::expiry(resp.access_token.expose()));
    let refresh_token = resp.refresh_token.or_else(|| {
        (source == Source::Refreshed)
            .then(|| previous.and_then(|p| p.refresh_token.clone()))
            .flatten()
    });
    let scopes = resp.scopes.unwrap_or_else(|| {
        if source == Source::Refreshed {
            previous.map(|p| p.scopes.clone()).unwrap_or_default()
        } else {
            requested.to_vec()
        }
    });
    Session {
        access_token: resp.access_token,
        token_type: resp.token_type,
        expires_at,
        scopes,
        refresh_token,
        grant,
        obtained_at: now,
        client_id,
    }
}
