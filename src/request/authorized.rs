//! One authenticated request as `gtx request` and `gtx try` both send it: the profile's
//! token (cached, refreshed or minted; never a login), the exchange on `api_base`'s origin
//! (`exchange`), and one renewal when the API answers 401 to a token gtx can renew.

use crate::config::Environment;
use crate::context::Context;
use crate::error::{AppError, Result};
use crate::oauth::http::{Body, Http, Request, RetryPolicy, Streaming};
use crate::oauth::pipeline::{self, Options, Outcome, Source};
use crate::openapi::Operation;
use crate::request::exchange;
use crate::request::target::Payload;
use crate::secret::Secret;
use crate::store::{Grant, ProfileKey, Session};
use crate::vlog;
use reqwest::{Method, StatusCode, Url};

/// The answer, and what the caller still has to know about the token.
pub struct Sent<'h> {
    pub resp: Streaming<'h>,
    /// A renewed token that could not be stored (reported after the answer).
    pub unsaved: Option<AppError>,
    /// Every token and refresh token this request used: what must never be echoed back.
    pub secrets: Vec<Secret>,
}

/// The token a request is sent with: valid for the next minute, since the request itself
/// is immediate.
pub fn token(ctx: &Context, env: &Environment, key: &ProfileKey) -> Result<Outcome> {
    pipeline::get_for(ctx, env, key, &Options::cached(60, None))
}

/// Where a request goes: the profile whose token it carries and the origin it may go to.
pub struct Destination<'a> {
    pub env: &'a Environment,
    pub key: &'a ProfileKey,
    pub base: &'a Url,
    /// Says a warning before the request goes.
    pub warn: &'a dyn crate::output::Warn,
}

/// The request as `gtx request` sends it: an Accept that prefers JSON and the body's
/// Content-Type, unless the caller's own headers (already checked by
/// `target::parse_header`) say otherwise.
pub fn build(
    method: Method,
    url: Url,
    headers: Vec<(String, String, bool)>,
    payload: Option<Payload>,
) -> Request {
    let has = |name: &str| headers.iter().any(|(n, _, _)| n.eq_ignore_ascii_case(name));
    let mut req = Request::new(method, url);
    req.verbose_headers = true;
    if !has("accept") {
        req.headers
            .push(("Accept".into(), "application/json, */*;q=0.5".into(), false));
    }
    if let Some(p) = payload {
        if !has("content-type") {
            req.headers
                .push(("Content-Type".into(), p.content_type.into(), false));
        }
        req.body = Body::Raw(p.bytes);
    }
    req.headers.extend(headers);
    req
}

/// Sends `req` (which carries no Authorization) on `to.base`'s origin: with the profile's
/// token, renewed once on a 401 it can renew; without one when the API's description says
/// the operation needs none (`security: []`).
pub fn send<'h>(
    ctx: &Context,
    to: &Destination<'_>,
    http: &'h Http,
    req: &Request,
    policy: RetryPolicy,
    operation: Option<&Operation>,
) -> Result<Sent<'h>> {
    let (env, key, base) = (to.env, to.key, to.base);
    if operation.is_some_and(Operation::anonymous) {
        vlog!(
            1,
            "the API's description says this operation needs no token: none sent"
        );
        return Ok(Sent {
            resp: exchange::send(http, req, base, None, policy)?,
            unsaved: None,
            secrets: Vec::new(),
        });
    }
    let outcome = token(ctx, env, key)?;
    let scopes = &outcome.session.scopes;
    if let Some(fix) =
        operation.and_then(|op| crate::request::operation::missing_scopes(op, scopes, env))
    {
        to.warn.fix(&fix);
    }
    let mut unsaved = outcome.unsaved;
    let mut secrets = used(&outcome.session);
    bind_key(http, &outcome.session)?;
    let auth = exchange::authorization(&outcome.session.token_type, &outcome.session.access_token)?;
    let mut resp = exchange::send(http, req, base, Some(&auth), policy)?;
    // A 401 says something about the token only where the token went: a server a redirect
    // led to never saw it.
    if resp.status == StatusCode::UNAUTHORIZED
        && resp.url.origin() == base.origin()
        && renewable(outcome.source, &outcome.session)
    {
        drop(resp);
        vlog!(1, "the API refused the token (401): renewing it once");
        let renewed = pipeline::renew_refused(ctx, env, key, outcome.session.access_token)?;
        unsaved = renewed.unsaved.or(unsaved);
        let session = renewed.session;
        secrets.extend(used(&session));
        bind_key(http, &session)?;
        let auth = exchange::authorization(&session.token_type, &session.access_token)?;
        resp = exchange::send(http, req, base, Some(&auth), policy)?;
    }
    Ok(Sent {
        resp,
        unsaved,
        secrets,
    })
}

/// A DPoP-bound session's requests are proved with its key (RFC 9449 section 7).
fn bind_key(http: &Http, session: &Session) -> Result<()> {
    if let Some(key) = crate::oauth::dpop::key_of(session)? {
        http.set_dpop_key(key);
    }
    Ok(())
}

fn used(session: &Session) -> Vec<Secret> {
    let mut out = vec![session.access_token.clone()];
    out.extend(session.refresh_token.clone());
    out
}

/// A 401 is worth one renewal when gtx can renew the token itself (a refresh token, or
/// client credentials); never for GTX_TOKEN, which gtx does not own.
fn renewable(source: Source, session: &Session) -> bool {
    source != Source::EnvToken
        && (session.refresh_token.is_some() || session.grant == Grant::ClientCredentials)
}
