//! `gtx api sync`: find the document (the environment's `openapi_url`, else a `Link:
//! rel="service-desc"` on `api_base`, else the usual paths), fetch it (revalidating with
//! `ETag`/`Last-Modified`), and write the index. The token goes with a fetch only to
//! `api_base`'s origin and only after the server asked for one (401).

use crate::config::Environment;
use crate::context::Context;
use crate::error::{AppError, Cause, Kind, Result};
use crate::oauth::http::{Http, Request, RetryPolicy, loggable_url};
use crate::oauth::pipeline::{self, Options};
use crate::openapi::index::{self, Meta};
use crate::openapi::load::{self, MAX_DOCUMENT, Source};
use crate::vlog;
use reqwest::{Method, StatusCode, Url, header};

/// Where admin and framework APIs usually keep their description, tried in order.
pub const WELL_KNOWN: [&str; 4] = [
    "/openapi.json",
    "/openapi.yaml",
    "/swagger.json",
    "/api/_info/openapi3.json",
];
const MAX_REDIRECTS: usize = 5;

pub struct Report {
    pub source: String,
    pub how: &'static str,
    pub unchanged: bool,
    pub meta: Meta,
    pub index: std::path::PathBuf,
}

struct Fetcher<'a> {
    ctx: &'a Context,
    env: &'a Environment,
    base: Url,
    http: Http,
    auth: Option<String>,
    /// A DPoP-bound token: each fetch with it carries a fresh proof (RFC 9449).
    dpop_token: Option<String>,
}

struct Got {
    status: StatusCode,
    url: Url,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

pub fn run(ctx: &Context, env: &Environment) -> Result<Report> {
    let base = env.api_base_url()?;
    let previous = index::Index::open(&env.name).ok().flatten().map(|i| i.meta);
    if let Some(value) = env.openapi_url.as_deref().filter(|v| !v.is_empty()) {
        match load::source_of(env, value)? {
            Source::File(path) => {
                let bytes = load::read_file(&path, MAX_DOCUMENT).map_err(AppError::config)?;
                let dir = path.parent().map(std::path::PathBuf::from);
                let meta = Meta {
                    source: path.display().to_string(),
                    ..Meta::default()
                };
                return finish(env, &base, bytes, dir, meta, Kind::Config, "openapi_url");
            }
            Source::Url(url) => {
                let mut f = Fetcher::new(ctx, env, base.clone())?;
                return f.sync_url(&url, previous.as_ref(), "openapi_url");
            }
        }
    }
    let mut f = Fetcher::new(ctx, env, base.clone())?;
    // A document found before is revalidated first: the search costs several requests.
    if let Some(prev) = previous.as_ref().filter(|m| m.api_base == env.api_base)
        && let Ok(url) = Url::parse(&prev.source)
        && url.origin() == base.origin()
    {
        match f.sync_url(&url, Some(prev), "found before") {
            Ok(r) => return Ok(r),
            Err(e) => vlog!(
                1,
                "the document found before is gone ({}): searching again",
                e.message
            ),
        }
    }
    let mut tried = Vec::new();
    if let Some(url) = f.service_desc()? {
        match f.sync_url(
            &url,
            previous.as_ref(),
            "Link rel=\"service-desc\" on api_base",
        ) {
            Ok(r) => return Ok(r),
            Err(e) if e.kind == Kind::Network && e.is(Cause::Absent) => {
                tried.push(loggable_url(&url));
            }
            Err(e) => return Err(e),
        }
    }
    for path in WELL_KNOWN {
        let url = crate::request::target::resolve(&base, path, &[])?;
        match f.sync_url(&url, previous.as_ref(), "a well-known path") {
            Ok(r) => return Ok(r),
            Err(e) if e.is(Cause::Absent) => tried.push(loggable_url(&url)),
            Err(e) => return Err(e),
        }
    }
    Err(AppError::config(format!(
        "no OpenAPI document found for environment {}: no Link rel=\"service-desc\" on {}, nothing at {}",
        env.name,
        loggable_url(&base),
        tried.join(", ")
    ))
    .fix(crate::fix::EnvFix::SetOpenapiUrl {
        env: env.name.clone(),
    }))
}

fn finish(
    env: &Environment,
    base: &Url,
    bytes: Vec<u8>,
    dir: Option<std::path::PathBuf>,
    mut meta: Meta,
    kind: Kind,
    how: &'static str,
) -> Result<Report> {
    let name = meta.source.clone();
    let root = load::parse(&bytes, &name).map_err(|e| AppError::new(kind, e))?;
    let size = bytes.len() as u64;
    drop(bytes);
    let normalized = crate::openapi::normalize::normalize(root, dir, size, base)
        .map_err(|e| AppError::new(kind, format!("{name}: {e}")))?;
    meta.synced_at = crate::time::now();
    meta.spec = normalized.meta.spec;
    meta.title = normalized.meta.title;
    meta.version = normalized.meta.version;
    meta.servers = normalized.meta.servers;
    meta.base_path = normalized.meta.base_path;
    meta.api_base = env.api_base.clone();
    let bytes = index::build(&mut meta, &normalized.operations)?;
    let index = index::write(&env.name, &bytes)?;
    Ok(Report {
        source: name,
        how,
        unchanged: false,
        meta,
        index,
    })
}

impl<'a> Fetcher<'a> {
    fn new(ctx: &'a Context, env: &'a Environment, base: Url) -> Result<Fetcher<'a>> {
        Ok(Fetcher {
            ctx,
            env,
            base,
            http: Http::for_env(env, ctx.timeout())?,
            auth: None,
            dpop_token: None,
        })
    }

    /// `Link: <…>; rel="service-desc"` on a GET of api_base (RFC 8631).
    fn service_desc(&mut self) -> Result<Option<Url>> {
        let base = self.base.clone();
        let got = match self.get(&base, None) {
            Ok(g) => g,
            Err(e) if e.kind == Kind::Network => {
                vlog!(
                    1,
                    "GET api_base failed ({}): trying the usual paths",
                    e.message
                );
                return Ok(None);
            }
            Err(e) => return Err(e),
        };
        Ok(link_service_desc(&got.headers, &got.url))
    }

    fn sync_url(
        &mut self,
        url: &Url,
        previous: Option<&Meta>,
        how: &'static str,
    ) -> Result<Report> {
        let same = previous.filter(|m| m.source == url.as_str());
        let got = self.get(url, same)?;
        let shown = loggable_url(&got.url);
        if got.status == StatusCode::NOT_MODIFIED
            && let Some(prev) = same
        {
            let mut meta = prev.clone();
            meta.synced_at = crate::time::now();
            let index = refresh_time(self.ctx, &self.env.name, &meta)?;
            return Ok(Report {
                source: shown,
                how,
                unchanged: true,
                meta,
                index,
            });
        }
        if matches!(got.status.as_u16(), 404 | 410) {
            return Err(
                AppError::network(format!("no document at {shown} ({})", got.status))
                    .with_cause(Cause::Absent),
            );
        }
        if !got.status.is_success() {
            let kind = if matches!(got.status.as_u16(), 401 | 403) {
                Kind::Rejected
            } else {
                Kind::Network
            };
            return Err(AppError::new(
                kind,
                format!("HTTP {} from GET {shown}", got.status),
            ));
        }
        let text = |h: header::HeaderName| {
            got.headers
                .get(h)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let meta = Meta {
            source: url.as_str().to_string(),
            etag: text(header::ETAG),
            last_modified: text(header::LAST_MODIFIED),
            ..Meta::default()
        };
        let mut report = finish(
            self.env,
            &self.base,
            got.body,
            None,
            meta,
            Kind::Network,
            how,
        )?;
        report.source = shown;
        Ok(report)
    }

    /// GET with redirects followed by hand; the token only on api_base's origin, and only
    /// once that origin answered 401.
    fn get(&mut self, url: &Url, conditional: Option<&Meta>) -> Result<Got> {
        let mut url = url.clone();
        let mut asked = false;
        for _ in 0..=MAX_REDIRECTS {
            let mut req = Request::new(Method::GET, url.clone());
            req.headers.push((
                "Accept".into(),
                "application/json, application/yaml;q=0.9, application/openapi+json, */*;q=0.5"
                    .into(),
                false,
            ));
            if let Some(m) = conditional {
                if let Some(etag) = &m.etag {
                    req.headers
                        .push(("If-None-Match".into(), etag.clone(), false));
                }
                if let Some(lm) = &m.last_modified {
                    req.headers
                        .push(("If-Modified-Since".into(), lm.clone(), false));
                }
            }
            let same = url.origin() == self.base.origin();
            if same && let Some(auth) = &self.auth {
                req.headers
                    .push(("Authorization".into(), auth.clone(), true));
                req.dpop = self.dpop_token.is_some();
                req.dpop_token = self.dpop_token.clone();
            }
            let resp = self.http.send(&req, RetryPolicy::NONE)?;
            let status = resp.status;
            if status == StatusCode::UNAUTHORIZED && same && self.auth.is_none() && !asked {
                drop(resp);
                asked = true;
                vlog!(
                    1,
                    "{} asks for a token: fetching with the environment's",
                    loggable_url(&url)
                );
                self.auth = Some(self.token()?);
                continue;
            }
            if matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308) {
                let next = resp
                    .headers
                    .get(header::LOCATION)
                    .and_then(|l| l.to_str().ok())
                    .and_then(|l| url.join(l).ok())
                    .filter(|u| matches!(u.scheme(), "http" | "https"));
                if let Some(next) = next {
                    crate::config::check_url(next.as_str(), true, "the document's redirect")?;
                    url = next;
                    continue;
                }
            }
            let headers = resp.headers.clone();
            let final_url = resp.url.clone();
            let collected = resp.collect(MAX_DOCUMENT as usize)?;
            if collected.truncated {
                return Err(AppError::network(load::too_large(
                    &loggable_url(&url),
                    MAX_DOCUMENT,
                )));
            }
            return Ok(Got {
                status,
                url: final_url,
                headers,
                body: collected.body,
            });
        }
        Err(AppError::network(format!(
            "more than {MAX_REDIRECTS} redirects from {}",
            loggable_url(&url)
        )))
    }

    fn token(&mut self) -> Result<String> {
        let key = self.ctx.profile(self.env)?;
        let outcome = pipeline::get_for(self.ctx, self.env, &key, &Options::cached(60, None))?;
        // A DPoP-bound token goes with a fresh proof of its key (RFC 9449 section 7).
        if let Some(k) = crate::oauth::dpop::key_of(&outcome.session)? {
            self.http.set_dpop_key(k);
            self.dpop_token = Some(outcome.session.access_token.expose().to_string());
        }
        crate::request::exchange::authorization(
            &outcome.session.token_type,
            &outcome.session.access_token,
        )
    }
}

/// The first `rel="service-desc"` target of the Link headers (RFC 8288, RFC 8631).
pub fn link_service_desc(headers: &reqwest::header::HeaderMap, base: &Url) -> Option<Url> {
    for value in headers.get_all(header::LINK) {
        let Ok(value) = value.to_str() else { continue };
        for link in split_links(value) {
            let Some((target, params)) = link
                .trim()
                .strip_prefix('<')
                .and_then(|l| l.split_once('>'))
            else {
                continue;
            };
            let is_desc = params.split(';').any(|p| {
                let p = p.trim();
                let Some((k, v)) = p.split_once('=') else {
                    return false;
                };
                k.trim().eq_ignore_ascii_case("rel")
                    && v.trim()
                        .trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("service-desc"))
            });
            if is_desc && let Ok(url) = base.join(target.trim()) {
                return Some(url);
            }
        }
    }
    None
}

/// Splits a Link header at the commas between links (not those inside `<…>` or quotes).
fn split_links(value: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut angle, mut quote, mut start) = (false, false, 0);
    for (i, c) in value.char_indices() {
        match c {
            '<' if !quote => angle = true,
            '>' if !quote => angle = false,
            '"' => quote = !quote,
            ',' if !angle && !quote => {
                out.push(&value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&value[start..]);
    out
}

/// A 304: the index is rewritten with the new sync time only.
fn refresh_time(ctx: &Context, env: &str, meta: &Meta) -> Result<std::path::PathBuf> {
    let path = index::path(env)?;
    let bytes = std::fs::read(&path).map_err(|e| {
        AppError::config(format!("cannot read the API index {}: {e}", path.display()))
    })?;
    let written = match refreshed(&bytes, meta) {
        Some(out) => index::write(env, &out)?,
        // Another sync wrote it since this one read it: that index is newer than this 304.
        None => path,
    };
    ctx.out
        .status("the document has not changed since the last sync");
    Ok(written)
}

/// The index `current` with its metadata line replaced by `meta`; `None` when `current`
/// is not the index `meta` came from.
fn refreshed(current: &[u8], meta: &Meta) -> Option<Vec<u8>> {
    let nl = current.iter().position(|b| *b == b'\n')?;
    let now: Meta = serde_json::from_slice(&current[..nl]).ok()?;
    let same = now.source == meta.source
        && now.etag == meta.etag
        && now.last_modified == meta.last_modified
        && now.count == meta.count
        && now.listing_len == meta.listing_len
        && now.api_base == meta.api_base;
    if !same {
        return None;
    }
    let rest = &current[nl + 1..];
    let mut out = serde_json::to_vec(meta).ok()?;
    out.push(b'\n');
    out.extend_from_slice(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_304_never_puts_old_metadata_on_an_index_another_sync_wrote() {
        let op = |id: &str| -> crate::openapi::Operation {
            serde_json::from_value(serde_json::json!({"id": id, "method": "GET", "path": "/a"}))
                .expect("operation")
        };
        let mut old = Meta {
            source: "https://api.example.com/openapi.json".into(),
            etag: Some("\"1\"".into()),
            ..Meta::default()
        };
        let old_index = index::build(&mut old, &[op("a")]).expect("build");
        let mut other = Meta {
            source: "https://api.example.com/other.json".into(),
            ..Meta::default()
        };
        let other_index =
            index::build(&mut other, &[op("a-much-longer-id"), op("b")]).expect("build");
        assert!(refreshed(&old_index, &old).is_some());
        // Between this sync's read of the index and its 304, another sync replaced it.
        assert!(refreshed(&other_index, &old).is_none());
    }

    #[test]
    fn service_desc_links_are_found() {
        let mut h = reqwest::header::HeaderMap::new();
        h.append(header::LINK, "<https://x.example/a, b>; rel=\"next\", </openapi.json>; rel=\"service-desc describedby\"".parse().expect("header"));
        let base = Url::parse("https://api.example.com/v1/").expect("url");
        assert_eq!(
            link_service_desc(&h, &base)
                .map(|u| u.to_string())
                .as_deref(),
            Some("https://api.example.com/openapi.json")
        );
    }
}
