//! cached → refreshed → minted. Freshness is decided from the store before any network
//! work; renewal happens under a per-profile lock and re-reads the store first, so N
//! parallel processes make one token call and a rotated refresh token is never lost.
//!
//! The steps of `get`: resolve whose token is asked for (`Client`), check the cache, take
//! the lock and re-read, renew (refresh or mint), save. Entry points for commands:
//! `get_for` (token get/generate, exec), `renew_refused` (request's one retry after a 401),
//! `save_session` (a new session from a sign-in). `get` itself takes an opened store and a
//! lazily built `Http`, not the CLI context, so tests drive it with the memory store.

use super::dialect::{self, TokenResponse};
use super::dpop::{self, DpopKey};
use super::grant::{
    self, ClientRef, client_credentials::ClientCredentialsGrant, refresh::RefreshGrant,
};
use super::http::Http;
use super::sign_in::hint_for;
use crate::config::Environment;
use crate::context::Context;
use crate::env_vars::EnvVars;
use crate::error::{AppError, Kind, OAuthCode, Result};
use crate::fix::Fix;
use crate::output::Output;
use crate::secret::Secret;
use crate::store::{
    self, ClientCredentials, Grant, ProfileKey, Record, Session, Store, StoreKind, signed_out,
};
use crate::{time, vlog};

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

/// Client credentials from GTX_CLIENT_ID / GTX_CLIENT_SECRET, which win over stored ones
/// (the order is `super::client`'s).
pub fn env_client(env: &Environment, vars: &EnvVars) -> Result<Option<ClientCredentials>> {
    super::client::from_env_vars(env, vars)
}

/// Says which environment the GTX_TOKEN that `gtx exec` hands its command is for.
pub const TOKEN_ENV_VAR: &str = crate::env_vars::GTX_TOKEN_ENV;

/// GTX_TOKEN, when it is for `env` and `credential`: a token that `gtx exec` exported for
/// another environment or credential (GTX_TOKEN_ENV, GTX_TOKEN_CREDENTIAL name them) is
/// ignored, so a nested `gtx … --env other` or `--credential other` uses that profile and
/// never hands one identity's token out as another's. A GTX_TOKEN set by hand, without
/// them, is for whichever profile is selected.
pub fn env_token(env: &Environment, credential: &str, vars: &EnvVars) -> Result<Option<Secret>> {
    for (var, what, selected) in [
        (TOKEN_ENV_VAR, "environment", env.name.as_str()),
        (
            crate::env_vars::GTX_TOKEN_CREDENTIAL,
            "credential",
            credential,
        ),
    ] {
        if let Some(exported) = vars.get(var).filter(|v| !v.is_empty())
            && exported != selected
        {
            vlog!(
                1,
                "ignoring GTX_TOKEN: it was exported for {what} {}, not {selected}",
                crate::sanitize::terminal_cut(&exported.to_string_lossy(), 64),
            );
            return Ok(None);
        }
    }
    let Some(token) = vars
        .text(crate::env_vars::GTX_TOKEN)
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
    /// `request`'s retry after a 401: the token the API refused. Renew even if it looks
    /// fresh, unless another process already stored a different one.
    pub refused: Option<Secret>,
}

impl Options {
    pub fn cached(min_ttl: i64, scopes: Option<Vec<String>>) -> Options {
        Options {
            min_ttl,
            scopes,
            force: false,
            refused: None,
        }
    }
}

pub struct Outcome {
    pub session: Session,
    pub source: Source,
    pub cached: bool,
    /// The token is good but could not be stored (exit 7 after printing it): says what
    /// was lost and how to sign in again.
    pub unsaved: Option<AppError>,
    /// What the user should know about a token just issued (printed by `get_for`).
    pub warnings: Vec<String>,
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

/// Whose token is asked for. GTX_CLIENT_ID/SECRET name one client: a token for it is that
/// client's only, never served from, nor saved over, a session of another client or grant
/// (a person's password session, a pasted token). Otherwise the profile's own record
/// decides.
#[derive(Clone)]
pub enum Client {
    Env(ClientCredentials),
    Profile(Option<ClientCredentials>),
}

impl Client {
    pub fn resolve(env_client: Option<ClientCredentials>, record: &Record) -> Client {
        match env_client {
            Some(c) => Client::Env(c),
            None => Client::Profile(record.client.clone()),
        }
    }

    /// The credentials that can mint a new token (not a client kept only to
    /// authenticate a person's sign-in).
    pub fn minting(&self) -> Option<&ClientCredentials> {
        self.stored().filter(|c| !c.sign_in_only)
    }

    /// The credentials at hand, whatever they may be used for.
    pub fn stored(&self) -> Option<&ClientCredentials> {
        match self {
            Client::Env(c) => Some(c),
            Client::Profile(c) => c.as_ref(),
        }
    }

    /// Whether `session` is this client's to serve and renew. A profile's person session
    /// (password, browser, pasted) stays its own whatever client it was issued to; a
    /// client-credentials session is stale once the stored client changed.
    pub fn owns(&self, s: &Session) -> bool {
        let minted_by = |c: &ClientCredentials| s.client_id.as_deref() == Some(&c.client_id);
        match self {
            Client::Env(c) => s.grant == Grant::ClientCredentials && minted_by(c),
            Client::Profile(Some(c)) if s.grant == Grant::ClientCredentials => {
                s.client_id.is_none() || minted_by(c)
            }
            Client::Profile(_) => true,
        }
    }

    /// Whether a token for this client may be stored in `record`.
    pub fn may_save(&self, record: &Record) -> bool {
        match self {
            Client::Profile(_) => true,
            Client::Env(c) => {
                record
                    .client
                    .as_ref()
                    .is_none_or(|stored| stored.client_id == c.client_id)
                    && record.session.as_ref().is_none_or(|s| self.owns(s))
            }
        }
    }
}

/// The store, or `None` when the keyring is unusable but GTX_CLIENT_ID/SECRET let us mint
/// uncached (README, "Environment variables": GTX_CLIENT_ID/SECRET work where no keyring exists).
pub struct Opened {
    pub store: Option<Box<dyn Store>>,
    pub record: Record,
}

pub fn open_and_load(ctx: &Context, key: &ProfileKey, env_creds: bool) -> Result<Opened> {
    load_or_uncached(ctx.store()?, key, env_creds, &ctx.out)
}

/// Only an unusable keyring gives way, and only to GTX_CLIENT_*: a broken file store, or
/// a keyring with nothing to mint with, is an error the user must see.
fn load_or_uncached(
    store: Box<dyn Store>,
    key: &ProfileKey,
    env_creds: bool,
    out: &Output,
) -> Result<Opened> {
    match store.load(key) {
        Ok(record) => Ok(Opened {
            store: Some(store),
            record: record.unwrap_or_default(),
        }),
        Err(e) if env_creds && store.kind() == StoreKind::Keyring && e.kind == Kind::Store => {
            out.warn(&format!("{}; the token will not be cached", e.message));
            Ok(Opened {
                store: None,
                record: Record::default(),
            })
        }
        Err(e) => Err(e),
    }
}

/// The HTTP client, built only when a renewal needs the network: a cached `token get`
/// starts no runtime.
pub struct LazyHttp {
    timeout: std::time::Duration,
    /// The environment's `ca_file`, read only when the network is needed.
    ca_file: Option<String>,
    /// The environment's tokens are DPoP-bound.
    dpop: bool,
    dpop_key: std::cell::RefCell<Option<Secret>>,
    cell: std::cell::OnceCell<Http>,
    /// Where a renewal says what the person should know (a wait for another gtx, a
    /// session that could not be dropped).
    out: Output,
}

impl LazyHttp {
    pub fn new(timeout: std::time::Duration, out: &Output) -> LazyHttp {
        LazyHttp {
            out: out.clone(),
            timeout,
            ca_file: None,
            dpop: false,
            dpop_key: std::cell::RefCell::new(None),
            cell: std::cell::OnceCell::new(),
        }
    }

    pub fn for_env(env: &Environment, timeout: std::time::Duration, out: &Output) -> LazyHttp {
        LazyHttp {
            ca_file: env.ca_file.clone(),
            dpop: env.dpop,
            ..LazyHttp::new(timeout, out)
        }
    }

    /// The DPoP key of the stored session, which its refresh must prove again; without
    /// one a new key is made when the network is first needed.
    pub fn keep_dpop_key(&self, session: Option<&Session>) {
        *self.dpop_key.borrow_mut() = session.and_then(|s| s.dpop_key.clone());
    }
    pub fn get(&self) -> Result<&Http> {
        if let Some(h) = self.cell.get() {
            return Ok(h);
        }
        let trust = match &self.ca_file {
            Some(path) => super::tls::Trust::from_file(std::path::Path::new(path))?,
            None => super::tls::Trust::default(),
        };
        let http = Http::with_trust(self.timeout, &trust)?;
        if self.dpop {
            let key = match self.dpop_key.borrow().as_ref() {
                Some(pem) => DpopKey::from_stored(pem)?,
                None => DpopKey::generate()?,
            };
            http.set_dpop_key(key);
        }
        Ok(self.cell.get_or_init(|| http))
    }
}

/// The command-side entry: GTX_TOKEN, else open the store and run the pipeline.
pub fn get_for(
    ctx: &Context,
    env: &Environment,
    key: &ProfileKey,
    opts: &Options,
) -> Result<Outcome> {
    if !opts.force
        && let Some(token) = env_token(env, &key.credential, ctx.vars)?
    {
        let outcome = from_env_token(env, token)?;
        // A command that outlives the token `exec` handed it (README: not renewed while it
        // runs) would otherwise get a dead token in silence.
        if let Some(at) = outcome
            .session
            .expires_at
            .filter(|at| *at <= crate::time::now())
        {
            ctx.out.warn(&format!(
                "GTX_TOKEN expired at {}; it is used as is, never renewed (an exec's \
                 --min-ttl sets how long the token it hands its command lasts)",
                crate::time::rfc3339(at)
            ));
        }
        return Ok(outcome);
    }
    let env_client = env_client(env, ctx.vars)?;
    let opened = open_and_load(ctx, key, env_client.is_some())?;
    let http = LazyHttp::for_env(env, ctx.timeout(), &ctx.out);
    let outcome = get(opened, &http, env, key, env_client, opts)?;
    for w in &outcome.warnings {
        ctx.out.warn(w);
    }
    Ok(outcome)
}

fn from_env_token(env: &Environment, token: Secret) -> Result<Outcome> {
    check_prefix(env, &token)?;
    vlog!(1, "using GTX_TOKEN ({})", token.redacted());
    Ok(Outcome {
        session: Session {
            expires_at: super::jwt::expiry(token.expose()),
            access_token: token,
            token_type: "Bearer".into(),
            scopes: Vec::new(),
            refresh_token: None,
            grant: Grant::Token,
            obtained_at: time::now(),
            client_id: None,
            issued_for: None,
            dpop_key: None,
        },
        source: Source::EnvToken,
        cached: false,
        unsaved: None,
        warnings: Vec::new(),
    })
}

/// A token for the profile: cached, else (under the profile lock, after re-reading the
/// store) refreshed or minted, then saved when it is the profile's to keep.
pub fn get(
    opened: Opened,
    http: &LazyHttp,
    env: &Environment,
    key: &ProfileKey,
    env_client: Option<ClientCredentials>,
    opts: &Options,
) -> Result<Outcome> {
    let Opened { store, mut record } = opened;
    // A session issued under other settings of the environment is neither served nor
    // renewed here (docs/trust.md).
    let moved = unbound(&mut record, env);
    let client = Client::resolve(env_client, &record);
    if opts.refused.is_none()
        && let Some(session) = cached(&record, &client, opts)
    {
        return served(env, key, session, "cache hit");
    }
    // Nothing could renew: say so without taking (and creating) the profile's lock.
    let owned = record.session.as_ref().filter(|s| client.owns(s));
    if client.minting().is_none() && refreshable(owned, &client, opts).is_none() {
        return Err(match &moved {
            Some(s) => super::binding::moved(env, key, s),
            None => not_signed_in(env, key, owned, store.as_deref(), opts),
        });
    }
    // Another process may have renewed while we waited for the lock, or been killed
    // between writing its save and renaming it (the lock's sweep finishes that save first).
    let locked = match &store {
        Some(s) if s.shared() => Some(store::Locked::open(
            s.as_ref(),
            key,
            http.timeout,
            &http.out,
        )?),
        _ => None,
    };
    let mut record = match &locked {
        Some(l) => {
            let mut fresh = l.load()?.unwrap_or_default();
            unbound(&mut fresh, env);
            fresh
        }
        None => record,
    };
    // The stored client may have changed meanwhile too (a concurrent login).
    let client = match client {
        Client::Env(c) => Client::Env(c),
        Client::Profile(_) => Client::resolve(None, &record),
    };
    let replaced = |s: &Session| opts.refused.as_ref().is_none_or(|r| s.access_token != *r);
    if let Some(session) = cached(&record, &client, opts).filter(replaced) {
        return served(env, key, session, "another process renewed the token");
    }
    let store = store.as_deref();
    http.keep_dpop_key(record.session.as_ref().filter(|s| client.owns(s)));
    let renewed = renew(http, env, key, &client, store, &mut record, opts)?;
    save(store, env, key, &client, record, renewed, opts)
}

/// Takes out of `record` (in memory only) a session issued under other settings of
/// `env`, and returns it. A renewal then saves its new session over it; nothing else
/// touches the store.
fn unbound(record: &mut Record, env: &Environment) -> Option<Session> {
    match &record.session {
        Some(s) if !super::binding::serves(s, env) => {
            vlog!(
                1,
                "the stored session was issued under other settings of environment {}; not using it",
                env.name
            );
            record.session.take()
        }
        _ => None,
    }
}

/// The session in `record` if it can be served as it is.
fn cached(record: &Record, client: &Client, opts: &Options) -> Option<Session> {
    let s = record.session.as_ref()?;
    (!opts.force
        && client.owns(s)
        && s.well_formed()
        && fresh(s, opts.min_ttl, time::now())
        && covers(s, &opts.scopes))
    .then(|| s.clone())
}

fn served(env: &Environment, key: &ProfileKey, session: Session, why: &str) -> Result<Outcome> {
    let expiry = session.expires_at.map(time::rfc3339);
    vlog!(
        1,
        "{why} for {key}: expires {}",
        expiry.unwrap_or("never".into())
    );
    check_prefix(env, &session.access_token)?;
    Ok(Outcome {
        session,
        source: Source::Cache,
        cached: true,
        unsaved: None,
        warnings: Vec::new(),
    })
}

/// A renewal's result before it becomes a session.
pub struct Renewed {
    pub response: TokenResponse,
    /// The DPoP key the request proved, which the new token is bound to.
    pub dpop_key: Option<Secret>,
    pub grant: Grant,
    pub client_id: Option<String>,
    pub source: Source,
    pub previous: Option<Session>,
    pub scopes: Vec<String>,
}

fn renew(
    http: &LazyHttp,
    env: &Environment,
    key: &ProfileKey,
    client: &Client,
    store: Option<&dyn Store>,
    record: &mut Record,
    opts: &Options,
) -> Result<Renewed> {
    let scopes = opts.scopes.clone().unwrap_or_else(|| env.scopes.clone());
    let previous = record.session.clone().filter(|s| client.owns(s));
    let renewal = Renewal {
        http,
        env,
        key,
        client,
        previous: previous.as_ref(),
        scopes: &scopes,
    };
    let Some((prev, rt)) = refreshable(previous.as_ref(), client, opts) else {
        return match client.minting() {
            Some(c) => renewal.mint(c),
            None => Err(not_signed_in(env, key, previous.as_ref(), store, opts)),
        };
    };
    let (client_id, secret) = refresh_client(&prev, client, env);
    if let (Some(_), Some(c)) = (secret, client.stored()) {
        super::binding::check_client(env, key, c)?;
    }
    let made_as = ClientRef {
        id: &client_id,
        secret,
    };
    let grant = RefreshGrant { refresh_token: &rt };
    // The server may spend the old refresh token: make sure its successor can be saved.
    if let Some(s) = store {
        s.reserve()?;
    }
    let http = http.get()?;
    match refresh_call(http, env, made_as, &grant, store, key, record) {
        Ok(response) => Ok(Renewed {
            response,
            dpop_key: http.dpop_pem(),
            grant: prev.grant,
            client_id: Some(client_id),
            source: Source::Refreshed,
            previous: Some(prev),
            scopes,
        }),
        Err(e) if e.kind == Kind::Rejected => renewal.refused(e, prev.grant, store, record),
        Err(e) => Err(e),
    }
}

/// What a renewal works with, for its two ways: minting and, when a refresh is refused,
/// minting instead or saying how to sign in again.
struct Renewal<'a> {
    http: &'a LazyHttp,
    env: &'a Environment,
    key: &'a ProfileKey,
    client: &'a Client,
    previous: Option<&'a Session>,
    scopes: &'a [String],
}

impl Renewal<'_> {
    fn mint(&self, c: &ClientCredentials) -> Result<Renewed> {
        if matches!(self.client, Client::Profile(_)) {
            super::binding::check_client(self.env, self.key, c)?;
        }
        let http = self.http.get()?;
        let grant = ClientCredentialsGrant {
            scopes: self.scopes,
        };
        Ok(Renewed {
            response: grant::send(http, self.env, c.into(), &grant)?,
            dpop_key: http.dpop_pem(),
            grant: Grant::ClientCredentials,
            client_id: Some(c.client_id.clone()),
            source: Source::Minted,
            previous: self.previous.cloned(),
            scopes: self.scopes.to_vec(),
        })
    }

    /// A refresh the server refused (`last`: the grant the session came from).
    fn refused(
        &self,
        e: AppError,
        last: Grant,
        store: Option<&dyn Store>,
        record: &mut Record,
    ) -> Result<Renewed> {
        let (env, key) = (self.env, self.key);
        let e = super::client::person_refusal(e);
        // Only `invalid_grant` says the refresh token is dead: then forget the session
        // so the next run says "not signed in" instead of failing the same way again.
        let dead = e.oauth == Some(OAuthCode::InvalidGrant);
        if dead {
            forget_session(store, key, record, &self.http.out);
        }
        if let Some(c) = self.client.minting() {
            vlog!(
                1,
                "refresh refused ({}); minting with client credentials",
                e.message
            );
            return self.mint(c);
        }
        let again = Fix::SignInAgain(hint_for(env, key, Some(last)));
        // A dead refresh token leaves the profile signed out: exit 4 naming the login to
        // run; nothing here ever starts a login itself.
        Err(match dead {
            true => {
                let message = format!(
                    "the session for {key} can no longer be renewed: {}",
                    e.message
                );
                AppError::wrapping(Kind::NotSignedIn, message, e).fix(again)
            }
            false => e.fix(again),
        })
    }
}

/// A refresh token (from a browser or password sign-in) renews without the secret; with
/// client credentials at hand, a client-credentials session is simply re-minted.
fn refreshable(
    previous: Option<&Session>,
    client: &Client,
    opts: &Options,
) -> Option<(Session, Secret)> {
    let s = previous?;
    let rt = s.refresh_token.clone()?;
    let remint = s.grant == Grant::ClientCredentials && client.minting().is_some();
    (covers(s, &opts.scopes) && !remint).then(|| (s.clone(), rt))
}

/// The client a refresh is made as, and its secret when the profile holds that client's:
/// a confidential client authenticates every request it makes.
pub fn refresh_client<'a>(
    prev: &Session,
    client: &'a Client,
    env: &Environment,
) -> (String, Option<&'a Secret>) {
    let stored = client.stored();
    // The session's own client first (a refresh token is bound to it), then the one
    // order of `super::client` without the command line.
    let client_id = prev
        .client_id
        .clone()
        .or_else(|| super::client::id(None, env, stored))
        .unwrap_or_else(|| dialect::facts(env.dialect).password_client_id.to_string());
    let secret = stored
        .filter(|c| c.client_id == client_id)
        .map(|c| &c.client_secret);
    (client_id, secret)
}

fn forget_session(store: Option<&dyn Store>, key: &ProfileKey, record: &mut Record, out: &Output) {
    let (Some(s), Some(_)) = (store, record.session.take()) else {
        return;
    };
    if let Err(err) = store::write(s, key, record) {
        out.warn(&format!("could not drop the dead session: {}", err.message));
    }
}

/// What the user should hear about a token just issued: scopes asked for but not granted
/// (the cache never covers them, so every such call mints again: say so rather than hammer
/// the endpoint silently), and a lifetime shorter than --min-ttl.
fn issue_warnings(session: &Session, opts: &Options) -> Vec<String> {
    let mut warnings = Vec::new();
    let missing: Vec<&str> = match &opts.scopes {
        Some(wanted) => wanted
            .iter()
            .filter(|w| !session.scopes.contains(w))
            .map(String::as_str)
            .collect(),
        None => Vec::new(),
    };
    if !missing.is_empty() {
        warnings.push(format!(
            "the server granted {}, not {}; every --scope call asking for it mints a new token",
            match session.scopes.is_empty() {
                true => "no scopes".to_string(),
                false => crate::sanitize::terminal(&session.scopes.join(" ")).into_owned(),
            },
            missing.join(" ")
        ));
    }
    if let Some(exp) = session.expires_at
        && !opts.force
    {
        let valid = exp.saturating_sub(session.obtained_at);
        if valid < opts.min_ttl {
            warnings.push(format!(
                "the server issued a token valid for {valid}s, less than --min-ttl {}s",
                opts.min_ttl
            ));
        }
    }
    warnings
}

fn not_signed_in(
    env: &Environment,
    key: &ProfileKey,
    previous: Option<&Session>,
    store: Option<&dyn Store>,
    opts: &Options,
) -> AppError {
    let why = match previous {
        Some(s) if s.grant == Grant::Token && fresh(s, 1, time::now()) => format!(
            "the stored token for {key} has less than --min-ttl {}s left and cannot be renewed",
            opts.min_ttl
        ),
        Some(s) if s.grant == Grant::Token => {
            format!("the stored token for {key} has expired and cannot be renewed")
        }
        Some(s) if opts.scopes.is_some() && fresh(s, opts.min_ttl, time::now()) => format!(
            "the token for {key} lacks the requested scopes and cannot be renewed without client credentials"
        ),
        Some(_) => format!("the session for {key} has expired and has no refresh token"),
        None => format!("not signed in to {key}"),
    };
    let last = match previous {
        Some(s) => Some(s.grant),
        None => store.and_then(|st| signed_out::recall(st.kind(), key)),
    };
    AppError::not_signed_in(why).fix(Fix::Login(hint_for(env, key, last)))
}

fn save(
    store: Option<&dyn Store>,
    env: &Environment,
    key: &ProfileKey,
    client: &Client,
    mut record: Record,
    renewed: Renewed,
    opts: &Options,
) -> Result<Outcome> {
    let Renewed {
        response,
        dpop_key,
        grant,
        client_id,
        source,
        previous,
        scopes,
    } = renewed;
    let rotated = response.refresh_token.is_some();
    let mut session = to_session(
        env,
        response,
        grant,
        client_id,
        &scopes,
        previous.as_ref(),
        source,
    );
    dpop::bind(env, &mut session, dpop_key.as_ref())?;
    check_issued(env, &session)?;
    let warnings = issue_warnings(&session, opts);
    let keep = client.may_save(&record);
    if !keep {
        vlog!(
            1,
            "GTX_CLIENT_ID names another client than the session stored for {key}: not caching"
        );
    }
    let Some(s) = store.filter(|_| keep) else {
        return Ok(Outcome {
            session,
            source,
            cached: false,
            unsaved: None,
            warnings,
        });
    };
    let rotated = source == Source::Refreshed && rotated;
    let grant = session.grant;
    record.session = Some(session.clone());
    // The stored secret was just used with this origin (first use, or one a person
    // agreed to): from now on it goes only there.
    if matches!(client, Client::Profile(_))
        && let Some(c) = record.client.as_mut()
    {
        c.origin = Some(super::binding::token_origin(env));
    }
    let unsaved = match store::write(s, key, &record) {
        Ok(()) => {
            vlog!(
                1,
                "stored the new token for {key} in the {} store",
                s.kind().name()
            );
            None
        }
        Err(e) => Some(lost(env, key, &session, grant, rotated, e)),
    };
    Ok(Outcome {
        cached: unsaved.is_none(),
        session,
        source,
        unsaved,
        warnings,
    })
}

/// Says exactly what a failed save cost: with a rotated refresh token the session itself.
fn lost(
    env: &Environment,
    key: &ProfileKey,
    session: &Session,
    grant: Grant,
    rotated: bool,
    e: AppError,
) -> AppError {
    let until = session
        .expires_at
        .map(|t| format!("until {}", time::rfc3339(t)))
        .unwrap_or_else(|| "for as long as the server allows".into());
    if rotated {
        let message = format!(
            "{}; the server rotated the refresh token of {key}, so the stored one is spent and the new one is lost with this process",
            e.message
        );
        AppError::wrapping(Kind::Store, message, e).fix(Fix::PrintedTokenWorks {
            until,
            login: hint_for(env, key, Some(grant)),
        })
    } else {
        let message = format!(
            "{}; the new token for {key} was printed but not cached (the stored record is unchanged)",
            e.message
        );
        AppError::wrapping(Kind::Store, message, e)
            .hint("free disk space or fix the store, then run the command again")
    }
}

/// A new session from a sign-in, saved under the profile lock; client credentials already
/// stored are kept unless new ones are given.
pub fn save_session(
    store: &dyn Store,
    key: &ProfileKey,
    client: Option<ClientCredentials>,
    session: Session,
    lock_timeout: std::time::Duration,
    out: &Output,
) -> Result<()> {
    store::update(store, key, lock_timeout, out, |record| {
        if client.is_some() {
            record.client = client;
        }
        record.session = Some(session);
        Ok(())
    })
}

/// `request`'s retry after the API answered 401 to `refused`: renew once under the
/// profile lock even if the cached token looks fresh, unless another process already
/// stored a different one (then that one is used).
pub fn renew_refused(
    ctx: &Context,
    env: &Environment,
    key: &ProfileKey,
    refused: Secret,
) -> Result<Outcome> {
    let opts = Options {
        refused: Some(refused),
        ..Options::cached(0, None)
    };
    get_for(ctx, env, key, &opts)
}

/// A freshly issued token must belong to the environment it was asked for.
fn check_issued(env: &Environment, session: &Session) -> Result<()> {
    check_prefix(env, &session.access_token).map_err(|e| {
        let message = format!(
            "the token endpoint issued a token for another environment: {}",
            e.message
        );
        AppError::wrapping(Kind::Rejected, message, e)
    })
}

/// A refresh call; when the answer is unusable but names a new refresh token, that token
/// replaces the stored one before the error goes up (the old one may be spent).
fn refresh_call(
    http: &Http,
    env: &Environment,
    client: ClientRef,
    grant: &RefreshGrant,
    store: Option<&dyn Store>,
    key: &ProfileKey,
    record: &mut Record,
) -> Result<TokenResponse> {
    grant::send_salvaging(http, env, client, grant, |resp, err| {
        let (Some(store), Some(rt), Some(session)) = (
            store,
            dialect::stray_refresh_token(resp),
            record.session.as_mut(),
        ) else {
            return err;
        };
        if session.refresh_token.as_ref() == Some(&rt) {
            return err;
        }
        session.refresh_token = Some(rt);
        match store::write(store, key, record) {
            Ok(()) => err.hint("the answer's new refresh token was kept; try again"),
            Err(e) => err.hint(format!(
                "the answer's new refresh token could not be saved ({}); sign in again if the next try fails",
                e.message
            )),
        }
    })
}

/// A response becomes a session; a refresh that brings no new refresh token keeps the old.
pub fn to_session(
    env: &Environment,
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
        issued_for: Some(super::binding::of(env)),
        dpop_key: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::{Hint, Login, OtherLogins};
    use crate::store::memory::MemoryStore;

    fn creds(id: &str) -> ClientCredentials {
        ClientCredentials {
            client_id: id.into(),
            client_secret: Secret::new(format!("{id}-secret-0123")),
            domain: None,
            origin: None,
            sign_in_only: false,
        }
    }

    fn session(grant: Grant, client_id: Option<&str>, ttl: i64) -> Session {
        Session {
            access_token: Secret::new(format!("tok-{}-{ttl}", grant.name())),
            token_type: "Bearer".into(),
            expires_at: Some(time::now() + ttl),
            scopes: vec!["a".into()],
            refresh_token: Some(Secret::new("rt-0123456789")),
            grant,
            obtained_at: time::now(),
            client_id: client_id.map(str::to_string),
            issued_for: None,
            dpop_key: None,
        }
    }

    /// A profile whose person's session expired and holds a refresh token.
    fn expired_person(client: Option<&str>) -> Record {
        record(
            client,
            Some(session(Grant::Password, Some("administration"), -10)),
        )
    }

    /// The hint after a person's refresh was refused.
    fn again() -> Fix {
        Fix::SignInAgain(Login {
            env: "sandbox".into(),
            credential: "default".into(),
            flags: "--password",
            also: OtherLogins::None,
        })
    }

    /// Whether a hint of `e`, as a person reads it, names `part`.
    fn hinted(e: &AppError, part: &str) -> bool {
        e.hint_lines().iter().any(|h| h.contains(part))
    }

    fn record(client: Option<&str>, s: Option<Session>) -> Record {
        Record {
            client: client.map(creds),
            session: s,
            ..Record::default()
        }
    }

    /// An environment whose token endpoint refuses connections: any renewal fails with
    /// exit 6, so a test tells "served from the store" from "tried the network".
    fn offline_env() -> Environment {
        crate::oauth::testing::env(&[
            ("api_base", "http://127.0.0.1:9"),
            ("token_url", "/oauth2/token"),
        ])
    }

    fn run(rec: Record, env_client: Option<&str>, opts: &Options) -> Result<Outcome> {
        let store = MemoryStore::default();
        let key = ProfileKey::new("sandbox", "default");
        store.save(&key, &rec)?;
        let opened = Opened {
            store: Some(Box::new(store)),
            record: rec,
        };
        let http = LazyHttp::new(
            std::time::Duration::from_millis(200),
            &Output::captured(0).0,
        );
        get(
            opened,
            &http,
            &offline_env(),
            &key,
            env_client.map(creds),
            opts,
        )
    }

    #[test]
    fn env_client_owns_only_its_own_client_credentials_sessions() {
        let env = Client::Env(creds("ci"));
        assert!(env.owns(&session(Grant::ClientCredentials, Some("ci"), 600)));
        assert!(!env.owns(&session(Grant::ClientCredentials, Some("app"), 600)));
        assert!(!env.owns(&session(Grant::Password, Some("ci"), 600)));
        assert!(!env.owns(&session(Grant::Token, None, 600)));
        assert!(env.may_save(&record(None, None)));
        assert!(env.may_save(&record(Some("ci"), None)));
        assert!(!env.may_save(&record(Some("app"), None)));
        assert!(!env.may_save(&record(
            None,
            Some(session(Grant::Password, Some("administration"), 600))
        )));
        assert!(env.may_save(&record(
            None,
            Some(session(Grant::ClientCredentials, Some("ci"), 0))
        )));
    }

    #[test]
    fn a_profile_owns_its_person_sessions_whatever_their_client() {
        let profile = Client::Profile(Some(creds("app")));
        assert!(profile.owns(&session(Grant::Password, Some("administration"), 600)));
        assert!(profile.owns(&session(Grant::ClientCredentials, Some("app"), 600)));
        assert!(profile.owns(&session(Grant::ClientCredentials, None, 600)));
        assert!(!profile.owns(&session(Grant::ClientCredentials, Some("old-app"), 600)));
        assert!(Client::Profile(None).owns(&session(Grant::ClientCredentials, Some("x"), 1)));
        assert!(profile.may_save(&record(Some("other"), None)));
    }

    #[test]
    fn fresh_sessions_are_served_from_the_store_without_the_network() {
        let rec = record(
            Some("app"),
            Some(session(Grant::Password, Some("administration"), 600)),
        );
        let out = run(rec, None, &Options::cached(60, None)).expect("cached");
        assert_eq!(out.source, Source::Cache);
        assert!(out.cached && out.unsaved.is_none());
        assert_eq!(out.session.grant, Grant::Password);
    }

    #[test]
    fn min_ttl_scopes_force_and_a_refused_token_each_renew() {
        let rec = || {
            record(
                Some("app"),
                Some(session(Grant::ClientCredentials, Some("app"), 600)),
            )
        };
        let renews = |opts: Options| {
            let e = run(rec(), None, &opts).err().expect("tried the network");
            assert_eq!(e.exit_code(), 6, "{}", e.message);
        };
        assert!(run(rec(), None, &Options::cached(599, None)).is_ok());
        renews(Options::cached(601, None));
        renews(Options::cached(0, Some(vec!["b".into()])));
        renews(Options {
            force: true,
            ..Options::cached(0, None)
        });
        renews(Options {
            refused: Some(Secret::new("tok-client_credentials-600")),
            ..Options::cached(0, None)
        });
        // Another process already replaced the refused token: use the stored one.
        let out = run(
            rec(),
            None,
            &Options {
                refused: Some(Secret::new("some-older-token")),
                ..Options::cached(0, None)
            },
        )
        .expect("the replacement is served");
        assert_eq!(out.source, Source::Cache);
    }

    #[test]
    fn nothing_to_renew_with_is_not_signed_in_with_the_grant_hint() {
        let mut s = session(Grant::Password, Some("administration"), -10);
        s.refresh_token = None;
        let e = run(record(None, Some(s)), None, &Options::cached(60, None))
            .err()
            .expect("e");
        assert_eq!(e.exit_code(), 4);
        assert!(
            e.hints
                .iter()
                .any(|h| matches!(h, Hint::Fix(Fix::Login(l)) if l.flags == "--password")),
            "{:?}",
            e.hints
        );
        let e = run(Record::default(), None, &Options::cached(60, None))
            .err()
            .expect("e");
        assert_eq!(e.exit_code(), 4);
        assert!(e.message.contains("not signed in"), "{}", e.message);
    }

    #[test]
    fn env_client_never_refreshes_a_person_session() {
        // The person's session is fresh: the env client must still mint (here: fail on
        // the network) rather than be handed the person's token.
        let rec = record(
            None,
            Some(session(Grant::Password, Some("administration"), 600)),
        );
        let e = run(rec, Some("ci"), &Options::cached(60, None))
            .err()
            .expect("minted");
        assert_eq!(e.exit_code(), 6);
    }

    #[test]
    fn refresh_is_made_as_the_session_client_with_its_secret_only_when_stored() {
        let env = offline_env();
        let prev = session(Grant::Password, Some("app"), 0);
        let stored = Client::Profile(Some(creds("app")));
        let (id, secret) = refresh_client(&prev, &stored, &env);
        assert_eq!(id, "app");
        assert_eq!(secret.map(Secret::expose), Some("app-secret-0123"));
        let other = Client::Profile(Some(creds("other")));
        let (id, secret) = refresh_client(&prev, &other, &env);
        assert_eq!((id.as_str(), secret), ("app", None));
        let mut anonymous = prev.clone();
        anonymous.client_id = None;
        let (id, secret) = refresh_client(&anonymous, &Client::Profile(None), &env);
        assert_eq!((id.as_str(), secret), ("gtx", None));
    }

    #[test]
    fn client_credentials_sessions_are_reminted_not_refreshed() {
        let s = session(Grant::ClientCredentials, Some("app"), 0);
        let opts = Options::cached(60, None);
        assert!(refreshable(Some(&s), &Client::Profile(Some(creds("app"))), &opts).is_none());
        assert!(refreshable(Some(&s), &Client::Profile(None), &opts).is_some());
        let p = session(Grant::Password, Some("administration"), 0);
        assert!(refreshable(Some(&p), &Client::Profile(Some(creds("app"))), &opts).is_some());
        let wider = Options::cached(60, Some(vec!["b".into()]));
        assert!(refreshable(Some(&p), &Client::Profile(None), &wider).is_none());
    }

    #[test]
    fn refresh_keeps_the_old_refresh_token_and_scopes_when_none_come_back() {
        let prev = session(Grant::Password, Some("administration"), 0);
        let resp = TokenResponse {
            access_token: Secret::new("new-token"),
            token_type: "Bearer".into(),
            expires_in: Some(600),
            scopes: None,
            refresh_token: None,
        };
        let s = to_session(
            &offline_env(),
            resp.clone(),
            Grant::Password,
            None,
            &[],
            Some(&prev),
            Source::Refreshed,
        );
        assert_eq!(s.refresh_token, prev.refresh_token);
        assert_eq!(s.scopes, prev.scopes);
        let minted = to_session(
            &offline_env(),
            resp,
            Grant::ClientCredentials,
            None,
            &["x".into()],
            Some(&prev),
            Source::Minted,
        );
        assert_eq!(minted.refresh_token, None);
        assert_eq!(minted.scopes, vec!["x".to_string()]);
        assert!(minted.expires_at.is_some_and(|e| e >= time::now() + 599));
    }

    /// A token endpoint on 127.0.0.1 answering each request, in turn, with the next of
    /// `replies` (status, JSON body); `seen` keeps each request (head and body) it got.
    struct Endpoint {
        env: Environment,
        seen: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    }

    fn endpoint(replies: &[(u16, &str)]) -> Endpoint {
        use std::io::{BufRead, Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = seen.clone();
        let replies: Vec<(u16, String)> =
            replies.iter().map(|(c, b)| (*c, b.to_string())).collect();
        std::thread::spawn(move || {
            for (status, body) in replies {
                let Ok((conn, _)) = listener.accept() else {
                    return;
                };
                let mut reader = std::io::BufReader::new(conn);
                let mut request = String::new();
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                    request.push_str(&line);
                }
                let mut bytes = vec![0; length];
                let _ = reader.read_exact(&mut bytes);
                request.push_str(&String::from_utf8_lossy(&bytes));
                log.lock().expect("log").push(request);
                let answer = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = reader.get_mut().write_all(answer.as_bytes());
            }
        });
        let base = format!("http://127.0.0.1:{port}");
        Endpoint {
            env: crate::oauth::testing::env(&[("api_base", &base), ("token_url", "/oauth2/token")]),
            seen,
        }
    }

    impl Endpoint {
        fn requests(&self) -> Vec<String> {
            self.seen.lock().expect("seen").clone()
        }
    }

    /// A store the test keeps a handle on after `get` consumed its box; saves can be made
    /// to fail, and reservations are counted.
    #[derive(Clone, Default)]
    struct Probe {
        records: std::rc::Rc<MemoryStore>,
        fail_saves: std::rc::Rc<std::cell::Cell<bool>>,
        reserved: std::rc::Rc<std::cell::Cell<u32>>,
    }

    impl Store for Probe {
        fn kind(&self) -> StoreKind {
            StoreKind::Memory
        }
        fn load(&self, key: &ProfileKey) -> Result<Option<Record>> {
            self.records.load(key)
        }
        fn save(&self, key: &ProfileKey, record: &Record) -> Result<()> {
            if self.fail_saves.get() {
                return Err(AppError::store("disk full"));
            }
            self.records.save(key, record)
        }
        fn delete(&self, key: &ProfileKey) -> Result<bool> {
            self.records.delete(key)
        }
        fn list(&self) -> Result<Vec<(ProfileKey, Result<Record>)>> {
            self.records.list()
        }
        fn reserve(&self) -> Result<()> {
            self.reserved.set(self.reserved.get() + 1);
            Ok(())
        }
        fn shared(&self) -> bool {
            false
        }
    }

    fn key() -> ProfileKey {
        ProfileKey::new("sandbox", "default")
    }

    fn run_at(
        at: &Endpoint,
        store: &Probe,
        env_client: Option<&str>,
        opts: &Options,
    ) -> Result<Outcome> {
        let record = store.load(&key())?.unwrap_or_default();
        let opened = Opened {
            store: Some(Box::new(store.clone())),
            record,
        };
        let http = LazyHttp::new(std::time::Duration::from_secs(5), &Output::captured(0).0);
        get(opened, &http, &at.env, &key(), env_client.map(creds), opts)
    }

    fn probe(rec: Record) -> Probe {
        let p = Probe::default();
        p.save(&key(), &rec).expect("save");
        p
    }

    fn stored(p: &Probe) -> Record {
        p.load(&key()).expect("load").unwrap_or_default()
    }

    const ISSUED: &str = r#"{"access_token":"new-access","token_type":"bearer","expires_in":3600,"refresh_token":"rt-rotated","scope":"a"}"#;

    #[test]
    fn a_refresh_is_reserved_then_saved_with_the_rotated_refresh_token() {
        let at = endpoint(&[(200, ISSUED)]);
        let p = probe(record(
            Some("app"),
            Some(session(Grant::Password, Some("app"), -10)),
        ));
        let out = run_at(&at, &p, None, &Options::cached(60, None)).expect("refreshed");
        assert_eq!(out.source, Source::Refreshed);
        assert_eq!(out.source.name(), "refreshed");
        assert!(out.cached && out.unsaved.is_none());
        assert_eq!(p.reserved.get(), 1, "space reserved before the call");
        let body = &at.requests()[0];
        assert!(body.contains("grant_type=refresh_token"), "{body}");
        assert!(body.contains("rt-0123456789"), "{body}");
        assert!(
            body.contains("app-secret-0123"),
            "the stored client's secret: {body}"
        );
        let s = stored(&p).session.expect("session");
        assert_eq!(s.access_token.expose(), "new-access");
        assert_eq!(
            s.refresh_token.as_ref().map(Secret::expose),
            Some("rt-rotated")
        );
        assert_eq!(
            (s.grant, s.client_id.as_deref()),
            (Grant::Password, Some("app"))
        );
        assert_eq!(s.token_type, "Bearer");
        let left = s.expires_at.expect("exp") - time::now();
        assert!((3590..=3600).contains(&left), "{left}");
        assert_eq!(stored(&p).client.map(|c| c.client_id), Some("app".into()));
    }

    #[test]
    fn minting_saves_a_client_credentials_session_for_the_client() {
        let at = endpoint(&[(
            200,
            r#"{"access_token":"minted","token_type":"Bearer","expires_in":600}"#,
        )]);
        let p = probe(record(Some("app"), None));
        let out =
            run_at(&at, &p, None, &Options::cached(60, Some(vec!["b".into()]))).expect("minted");
        assert_eq!(out.source, Source::Minted);
        assert!(out.cached);
        assert_eq!(p.reserved.get(), 0, "a mint spends nothing");
        let body = &at.requests()[0];
        assert!(body.contains("grant_type=client_credentials"), "{body}");
        let s = stored(&p).session.expect("session");
        assert_eq!(s.access_token.expose(), "minted");
        assert_eq!(
            (s.grant, s.client_id.as_deref()),
            (Grant::ClientCredentials, Some("app"))
        );
        assert_eq!(s.scopes, vec!["b".to_string()], "the scopes asked for");
        // And the next call is served from the store.
        let again =
            run_at(&at, &p, None, &Options::cached(60, Some(vec!["b".into()]))).expect("cached");
        assert_eq!(again.source, Source::Cache);
        assert_eq!(at.requests().len(), 1);
    }

    #[test]
    fn an_env_client_token_is_not_saved_over_a_person_session() {
        let at = endpoint(&[(
            200,
            r#"{"access_token":"ci-token","token_type":"Bearer","expires_in":600}"#,
        )]);
        let person = session(Grant::Password, Some("administration"), 600);
        let p = probe(record(None, Some(person.clone())));
        let out = run_at(&at, &p, Some("ci"), &Options::cached(60, None)).expect("minted");
        assert_eq!(out.session.access_token.expose(), "ci-token");
        assert_eq!(out.session.client_id.as_deref(), Some("ci"));
        assert!(!out.cached);
        assert_eq!(
            stored(&p).session,
            Some(person),
            "the person's session is untouched"
        );
        assert!(at.requests()[0].contains("ci-secret-0123"));
    }

    #[test]
    fn a_dead_refresh_token_mints_with_client_credentials_and_drops_the_session() {
        let at = endpoint(&[
            (400, r#"{"error":"invalid_grant"}"#),
            (
                200,
                r#"{"access_token":"minted","token_type":"Bearer","expires_in":600}"#,
            ),
        ]);
        let p = probe(record(
            Some("app"),
            Some(session(Grant::Password, Some("app"), -10)),
        ));
        let out = run_at(&at, &p, None, &Options::cached(60, None)).expect("minted");
        assert_eq!(out.source, Source::Minted);
        assert_eq!(at.requests().len(), 2);
        let s = stored(&p).session.expect("the minted session");
        assert_eq!(s.grant, Grant::ClientCredentials);
    }

    #[test]
    fn a_dead_refresh_token_without_client_credentials_signs_out() {
        let at = endpoint(&[(
            400,
            r#"{"error":"invalid_grant","error_description":"spent"}"#,
        )]);
        let p = probe(expired_person(None));
        let e = run_at(&at, &p, None, &Options::cached(60, None))
            .err()
            .expect("signed out");
        assert_eq!(e.exit_code(), 4, "{}", e.message);
        assert!(
            e.message.contains("can no longer be renewed"),
            "{}",
            e.message
        );
        assert!(e.has(&again()), "{:?}", e.hints);
        assert_eq!(
            p.load(&key()).expect("load"),
            None,
            "the dead session is forgotten"
        );
    }

    #[test]
    fn a_forgotten_session_keeps_the_stored_client() {
        let p = probe(expired_person(Some("app")));
        let mut rec = stored(&p);
        forget_session(Some(&p), &key(), &mut rec, &Output::captured(0).0);
        assert_eq!(rec.session, None);
        assert_eq!(
            stored(&p),
            record(Some("app"), None),
            "only the session goes"
        );
    }

    #[test]
    fn another_refusal_keeps_the_session_and_names_the_login() {
        let at = endpoint(&[(401, r#"{"error":"invalid_client"}"#)]);
        let rec = expired_person(None);
        let p = probe(rec.clone());
        let e = run_at(&at, &p, None, &Options::cached(60, None))
            .err()
            .expect("refused");
        assert_eq!(e.exit_code(), 5, "{}", e.message);
        assert!(e.has(&again()), "{:?}", e.hints);
        assert_eq!(stored(&p), rec, "not invalid_grant: the session stays");
    }

    #[test]
    fn a_failed_save_after_a_rotation_says_the_session_is_lost() {
        let at = endpoint(&[
            (200, ISSUED),
            (200, r#"{"access_token":"minted","token_type":"Bearer"}"#),
        ]);
        let p = probe(expired_person(None));
        p.fail_saves.set(true);
        let out = run_at(&at, &p, None, &Options::cached(60, None)).expect("the token is good");
        assert_eq!(out.session.access_token.expose(), "new-access");
        assert!(!out.cached);
        let e = out.unsaved.expect("unsaved");
        assert_eq!(e.exit_code(), 7);
        assert!(
            e.message.contains("rotated the refresh token"),
            "{}",
            e.message
        );
        assert!(
            e.hint_lines()[0].starts_with("the token printed works until "),
            "{:?}",
            e.hints
        );
        // A mint rotates nothing: the stored record is merely unchanged.
        mint_unsaved(&at);
    }

    #[test]
    fn a_refused_refresh_that_names_a_new_refresh_token_keeps_it() {
        let at = endpoint(&[
            (200, r#"{"token_type":"Bearer","refresh_token":"rt-stray"}"#),
            (
                200,
                r#"{"token_type":"Bearer","refresh_token":"rt-0123456789"}"#,
            ),
        ]);
        let p = probe(expired_person(None));
        let e = run_at(&at, &p, None, &Options::cached(60, None))
            .err()
            .expect("unusable");
        assert!(hinted(&e, "was kept"), "{:?}", e.hints);
        let s = stored(&p).session.expect("kept");
        assert_eq!(
            s.refresh_token.as_ref().map(Secret::expose),
            Some("rt-stray")
        );
        // The same refresh token coming back is no news.
        let p = probe(expired_person(None));
        let e = run_at(&at, &p, None, &Options::cached(60, None))
            .err()
            .expect("unusable");
        assert!(!hinted(&e, "was kept"), "{:?}", e.hints);
    }

    #[test]
    fn a_token_for_another_environment_is_refused() {
        let mut at = endpoint(&[(200, r#"{"access_token":"prod_abc","token_type":"Bearer"}"#)]);
        at.env.token_prefix = Some("sbx_".into());
        let p = probe(record(Some("app"), None));
        let e = run_at(&at, &p, None, &Options::cached(60, None))
            .err()
            .expect("refused");
        assert_eq!(e.exit_code(), 5);
        assert!(e.message.contains("another environment"), "{}", e.message);
        assert!(stored(&p).session.is_none());
    }

    #[test]
    fn not_signed_in_says_why_the_session_cannot_serve() {
        let env = offline_env();
        let why = |s: Option<Session>, scopes: Option<Vec<String>>| {
            not_signed_in(&env, &key(), s.as_ref(), None, &Options::cached(60, scopes)).message
        };
        let scoped = || Some(vec!["b".to_string()]);
        assert_eq!(
            why(Some(session(Grant::Token, None, 30)), None),
            "the stored token for sandbox/default has less than --min-ttl 60s left and cannot be renewed"
        );
        assert_eq!(
            why(Some(session(Grant::Token, None, -10)), None),
            "the stored token for sandbox/default has expired and cannot be renewed"
        );
        let lacks = "the token for sandbox/default lacks the requested scopes and cannot be renewed without client credentials";
        assert_eq!(
            why(Some(session(Grant::Password, None, 600)), scoped()),
            lacks
        );
        let expired = "the session for sandbox/default has expired and has no refresh token";
        assert_eq!(
            why(Some(session(Grant::Password, None, 600)), None),
            expired
        );
        assert_eq!(
            why(Some(session(Grant::Password, None, -10)), scoped()),
            expired
        );
        assert_eq!(why(None, None), "not signed in to sandbox/default");
        let e = not_signed_in(&env, &key(), None, None, &Options::cached(60, None));
        assert_eq!(e.exit_code(), 4);
        let login = crate::oauth::sign_in::login_hint(&env, &key(), StoreKind::Memory);
        assert_eq!(login.flags, "--client-credentials");
        assert_eq!(e.hints, vec![Hint::Fix(Fix::Login(login))]);
    }

    #[test]
    fn a_new_session_is_saved_beside_the_stored_client() {
        let p = probe(record(Some("app"), None));
        let s = session(Grant::Password, Some("administration"), 600);
        let timeout = std::time::Duration::from_secs(1);
        save_session(&p, &key(), None, s.clone(), timeout, &Output::captured(0).0).expect("saved");
        assert_eq!(stored(&p), record(Some("app"), Some(s.clone())));
        save_session(
            &p,
            &key(),
            Some(creds("new")),
            s.clone(),
            timeout,
            &Output::captured(0).0,
        )
        .expect("saved");
        assert_eq!(stored(&p), record(Some("new"), Some(s)));
    }

    /// A mint for the stored client whose save fails says the token was printed, not cached.
    fn mint_unsaved(at: &Endpoint) {
        let p = probe(record(Some("app"), None));
        p.fail_saves.set(true);
        let out = run_at(at, &p, None, &Options::cached(60, None)).expect("minted");
        assert!(!out.cached);
        let e = out.unsaved.expect("unsaved");
        assert!(
            e.message.contains("printed but not cached"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_mint_bringing_a_refresh_token_loses_no_session_when_unsaved() {
        let at = endpoint(&[(
            200,
            r#"{"access_token":"minted","token_type":"Bearer","refresh_token":"rt-x"}"#,
        )]);
        mint_unsaved(&at);
    }

    /// A snapshot holding the variables of `vars` that are set (the process's own
    /// environment is never changed: other tests read it at the same time).
    fn snapshot(vars: &[(&str, Option<&str>)]) -> EnvVars {
        EnvVars::of(vars.iter().filter_map(|(k, v)| Some((*k, (*v)?))))
    }

    #[test]
    fn environment_client_credentials_need_both_halves() {
        let env = offline_env();
        let got = |id: Option<&str>, secret: Option<&str>| {
            env_client(
                &env,
                &snapshot(&[("GTX_CLIENT_ID", id), ("GTX_CLIENT_SECRET", secret)]),
            )
        };
        let c = got(Some("ci"), Some("ci-secret"))
            .expect("ok")
            .expect("some");
        assert_eq!(
            (c.client_id.as_str(), c.client_secret.expose()),
            ("ci", "ci-secret")
        );
        assert!(got(None, None).expect("ok").is_none());
        assert!(
            got(Some(""), Some("")).expect("ok").is_none(),
            "empty is unset"
        );
        assert_eq!(got(Some("ci"), None).expect_err("half").exit_code(), 2);
        assert_eq!(got(None, Some("s")).expect_err("no id").exit_code(), 2);
        assert_eq!(
            got(Some("c\ni"), Some("s"))
                .expect_err("newline")
                .exit_code(),
            2
        );
    }

    #[test]
    fn gtx_token_is_trimmed_and_must_fit_a_header() {
        let env = offline_env();
        let got = |v: Option<&str>| env_token(&env, "default", &snapshot(&[("GTX_TOKEN", v)]));
        assert_eq!(
            got(Some(" tok-123 \n"))
                .expect("ok")
                .as_ref()
                .map(Secret::expose),
            Some("tok-123")
        );
        assert!(got(None).expect("ok").is_none());
        assert!(got(Some("  ")).expect("ok").is_none());
        assert_eq!(got(Some("a b")).expect_err("space").exit_code(), 2);
    }

    #[test]
    fn an_unreachable_token_endpoint_is_not_a_reason_to_sign_in_again() {
        let rec = expired_person(None);
        let e = run(rec, None, &Options::cached(60, None))
            .err()
            .expect("offline");
        assert_eq!(e.exit_code(), 6, "{}", e.message);
        assert!(!hinted(&e, "sign in again"), "{:?}", e.hints);
    }

    #[test]
    fn a_store_no_other_process_shares_is_not_read_again() {
        // What the command loaded (expired) wins over the store's copy (fresh): only a
        // shared store can have changed under us.
        let p = probe(record(
            Some("app"),
            Some(session(Grant::ClientCredentials, Some("app"), 600)),
        ));
        let opened = Opened {
            store: Some(Box::new(p.clone())),
            record: record(
                Some("app"),
                Some(session(Grant::ClientCredentials, Some("app"), -10)),
            ),
        };
        let http = LazyHttp::new(
            std::time::Duration::from_millis(200),
            &Output::captured(0).0,
        );
        let e = get(
            opened,
            &http,
            &offline_env(),
            &key(),
            None,
            &Options::cached(60, None),
        )
        .err()
        .expect("tried the network");
        assert_eq!(e.exit_code(), 6, "{}", e.message);
    }

    /// A store whose every load fails with an error of `err`'s kind.
    struct Broken {
        kind: StoreKind,
        err: fn() -> AppError,
    }

    impl Store for Broken {
        fn kind(&self) -> StoreKind {
            self.kind
        }
        fn load(&self, _: &ProfileKey) -> Result<Option<Record>> {
            Err((self.err)())
        }
        fn save(&self, _: &ProfileKey, _: &Record) -> Result<()> {
            Err((self.err)())
        }
        fn delete(&self, _: &ProfileKey) -> Result<bool> {
            Err((self.err)())
        }
        fn list(&self) -> Result<Vec<(ProfileKey, Result<Record>)>> {
            Err((self.err)())
        }
    }

    #[test]
    fn only_an_unusable_keyring_gives_way_and_only_to_env_credentials() {
        let locked = || AppError::store("the keyring is locked");
        let other = || AppError::usage("not a store failure");
        let open = |kind, err, env_creds| {
            load_or_uncached(
                Box::new(Broken { kind, err }),
                &key(),
                env_creds,
                &Output::captured(0).0,
            )
        };
        let uncached = open(StoreKind::Keyring, locked, true).expect("mints uncached");
        assert!(uncached.store.is_none());
        assert!(uncached.record.session.is_none() && uncached.record.client.is_none());
        let refused = [
            (StoreKind::Keyring, locked as fn() -> AppError, false),
            (StoreKind::File, locked, true),
            (StoreKind::Memory, locked, true),
            (StoreKind::Keyring, other, true),
        ];
        for (kind, err, env_creds) in refused {
            let e = open(kind, err, env_creds).err().expect("the error goes up");
            assert_eq!(e.message, err().message, "{kind:?} env_creds={env_creds}");
        }
        let fine = load_or_uncached(
            Box::new(probe(record(Some("app"), None))),
            &key(),
            true,
            &Output::captured(0).0,
        )
        .expect("loads");
        assert!(fine.store.is_some());
        assert_eq!(
            fine.record.client.map(|c| c.client_id).as_deref(),
            Some("app")
        );
    }

    fn issued(ttl: Option<i64>, scopes: &[&str]) -> Session {
        let mut s = session(Grant::ClientCredentials, Some("app"), 0);
        s.expires_at = ttl.map(|t| s.obtained_at + t);
        s.scopes = scopes.iter().map(|x| x.to_string()).collect();
        s
    }

    #[test]
    fn a_token_shorter_than_min_ttl_is_warned_about_unless_forced() {
        let opts = |min_ttl, force| Options {
            force,
            ..Options::cached(min_ttl, None)
        };
        let w = issue_warnings(&issued(Some(30), &["a"]), &opts(60, false));
        assert_eq!(
            w,
            ["the server issued a token valid for 30s, less than --min-ttl 60s"]
        );
        for (ttl, min_ttl, force) in [
            (Some(60), 60, false),
            (Some(100), 60, false),
            (Some(30), 60, true),
            (None, 60, false),
        ] {
            let w = issue_warnings(&issued(ttl, &["a"]), &opts(min_ttl, force));
            assert!(w.is_empty(), "{ttl:?} {min_ttl} {force}: {w:?}");
        }
    }

    #[test]
    fn scopes_asked_for_but_not_granted_are_named() {
        let asked = |scopes: &[&str]| {
            Options::cached(0, Some(scopes.iter().map(|x| x.to_string()).collect()))
        };
        let w = issue_warnings(&issued(Some(600), &["a"]), &asked(&["a", "b", "c"]));
        assert_eq!(
            w,
            ["the server granted a, not b c; every --scope call asking for it mints a new token"]
        );
        let w = issue_warnings(&issued(Some(600), &[]), &asked(&["b"]));
        assert_eq!(
            w,
            [
                "the server granted no scopes, not b; every --scope call asking for it mints a new token"
            ]
        );
        assert!(issue_warnings(&issued(Some(600), &["a", "b"]), &asked(&["b", "a"])).is_empty());
        assert!(issue_warnings(&issued(Some(600), &[]), &Options::cached(0, None)).is_empty());
    }

    #[test]
    fn a_renewal_carries_its_warnings_to_the_caller() {
        let at = endpoint(&[(
            200,
            r#"{"access_token":"new-access","token_type":"bearer","expires_in":20,"scope":"a"}"#,
        )]);
        let p = probe(record(Some("app"), None));
        let out = run_at(
            &at,
            &p,
            None,
            &Options::cached(0, Some(vec!["a".into(), "z".into()])),
        )
        .expect("minted");
        assert_eq!(out.source, Source::Minted);
        assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
        assert!(out.warnings[0].contains("not z"), "{:?}", out.warnings);
    }
}
