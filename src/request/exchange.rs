//! One authenticated exchange: the token goes in `Authorization` only while the request is
//! on `api_base`'s origin; redirects are followed by hand so that a hop to another origin
//! travels without it.

use crate::error::{AppError, Result};
use crate::oauth::dpop;
use crate::oauth::http::{Body, Http, Request, RetryPolicy, Streaming, loggable_url, scrubbed_url};
use crate::secret::Secret;
use crate::vlog;
use reqwest::{Method, StatusCode, Url, header};

const MAX_REDIRECTS: usize = 10;

/// `Bearer` whatever the case the server used; a type gtx does not understand is never
/// sent (RFC 6749 section 7.1).
pub fn authorization(token_type: &str, token: &Secret) -> Result<String> {
    let kind = match token_type {
        "" => "Bearer",
        t => crate::sanitize::understood_token_type(t).ok_or_else(|| {
            AppError::rejected(crate::sanitize::token_type(t).err().unwrap_or_default())
        })?,
    };
    if !crate::secret::header_safe(kind) || !crate::secret::header_safe(token.expose()) {
        return Err(AppError::rejected(
            "the stored token cannot travel in an HTTP header (control or non-ASCII characters)",
        ));
    }
    Ok(format!("{kind} {}", token.expose()))
}

/// Sends `req` (which carries no Authorization) with `auth` on the origin of `origin`,
/// following up to MAX_REDIRECTS redirects. `None`: an operation the API's description
/// marks `security: []` goes without a token.
pub fn send<'h>(
    http: &'h Http,
    req: &Request,
    origin: &Url,
    auth: Option<&str>,
    policy: RetryPolicy,
) -> Result<Streaming<'h>> {
    let mut hop = req.clone();
    // A server may echo the token into a Location path: logs redact it there too.
    let token = auth.map(|auth| auth.split_once(' ').map_or(auth, |(_, t)| t));
    if let Some(token) = token {
        hop.secrets.push(token.to_string());
    }
    let dpop = auth.is_some_and(|auth| {
        auth.split_once(' ')
            .is_some_and(|(scheme, _)| dpop::is_dpop(scheme))
    });
    for _ in 0..=MAX_REDIRECTS {
        let mut sent = hop.clone();
        if hop.url.origin() == origin.origin() {
            if let Some(auth) = auth {
                sent.headers
                    .push(("Authorization".into(), auth.to_string(), true));
            }
            // RFC 9449 section 7: a fresh proof for every request, each hop included.
            sent.dpop = dpop;
            sent.dpop_token = token.filter(|_| dpop).map(str::to_string);
        } else {
            // Credentials given with -H (cookies, API keys) were meant for api_base too.
            sent.headers
                .retain(|(n, _, _)| !crate::request::target::secret_header(n));
        }
        let mut resp = http.send(&sent, policy)?;
        // A resource server that wants a nonce answers 401 with one (RFC 9449 section 9):
        // the request goes again once with a new proof.
        if sent.dpop && asks_for_nonce(&resp) && http.has_nonce(&sent.url)? {
            drop(resp);
            vlog!(1, "the API asks for a DPoP nonce: sending again with it");
            resp = http.send(&sent, policy)?;
            if asks_for_nonce(&resp) {
                return Err(crate::oauth::http::nonce_twice(&sent.url));
            }
        }
        let Some(next) = redirect_target(&resp, &hop)? else {
            return Ok(resp);
        };
        if next.origin() != origin.origin() {
            vlog!(
                1,
                "redirected to another origin ({}): Authorization not sent there",
                scrubbed_url(&next, &hop.secrets)
            );
        }
        // 303, and 301/302 after anything but GET/HEAD, turn into a GET without a body.
        let to_get = resp.status == StatusCode::SEE_OTHER
            || (matches!(resp.status.as_u16(), 301 | 302)
                && !matches!(hop.method, Method::GET | Method::HEAD));
        if to_get && hop.method != Method::HEAD {
            hop.method = Method::GET;
            hop.body = Body::None;
            hop.headers
                .retain(|(n, _, _)| !n.eq_ignore_ascii_case("content-type"));
        }
        // A 307/308 would re-send the body, written for the API, to whoever the server
        // names: the hop is refused (exit 3, as a foreign absolute URL is).
        if next.origin() != origin.origin() && !matches!(hop.body, Body::None) {
            return Err(AppError::config(format!(
                "refusing to send the request body to another origin ({}): {} redirected there with {}",
                scrubbed_url(&next, &hop.secrets),
                scrubbed_url(&hop.url, &hop.secrets),
                resp.status
            )));
        }
        hop.url = next;
    }
    Err(AppError::network(format!(
        "more than {MAX_REDIRECTS} redirects from {}",
        loggable_url(&req.url)
    )))
}

/// `401` with `WWW-Authenticate: DPoP error="use_dpop_nonce"`.
fn asks_for_nonce(resp: &Streaming<'_>) -> bool {
    resp.status == StatusCode::UNAUTHORIZED
        && resp
            .headers
            .get_all(header::WWW_AUTHENTICATE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| {
                v.split_once(' ')
                    .is_some_and(|(s, rest)| dpop::is_dpop(s) && rest.contains("use_dpop_nonce"))
            })
}

fn redirect_target(resp: &Streaming<'_>, hop: &Request) -> Result<Option<Url>> {
    let from = &hop.url;
    if !matches!(resp.status.as_u16(), 301 | 302 | 303 | 307 | 308) {
        return Ok(None);
    }
    let Some(location) = resp.headers.get(header::LOCATION) else {
        return Ok(None);
    };
    let next = location
        .to_str()
        .ok()
        .and_then(|l| from.join(l).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .map(|mut u| {
            // Credentials a server put in Location would ride along as a second
            // Authorization header beside gtx's own.
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u
        })
        .ok_or_else(|| {
            AppError::network(format!(
                "{} answered {} with an unusable Location header",
                scrubbed_url(from, &hop.secrets),
                resp.status
            ))
        })?;
    Ok(Some(next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_is_canonical_and_header_safe() {
        let t = Secret::new("tok-0123456789abcdef");
        assert_eq!(
            authorization("bearer", &t).expect("ok"),
            "Bearer tok-0123456789abcdef"
        );
        assert_eq!(
            authorization("", &t).expect("ok"),
            "Bearer tok-0123456789abcdef"
        );
        // A type gtx does not understand is never sent (RFC 6749 section 7.1).
        assert!(authorization("MAC", &t).is_err());
        assert!(authorization("Bearer\r\nX-Injected: yes", &t).is_err());
        assert!(authorization("Bearer", &Secret::new("a b")).is_err());
    }
}
