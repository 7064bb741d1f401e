//! The HTTP layer: calls on the process's one runtime (`crate::runtime`, built only when
//! a command needs the network), a client with redirects off, responses that stream
//! (callers pick a cap when they collect a body), one Ctrl-C wait for every await, and a
//! retry policy chosen by the caller: token endpoints retry connect errors, 5xx and 429;
//! `gtx request` retries only when asked and only for idempotent methods.

use super::dpop::DpopKey;
use crate::error::{AppError, Cause, Result};
use crate::vlog;
use reqwest::{Method, StatusCode, Url, Version, header::HeaderMap};
use std::sync::Once;
use std::time::{Duration, Instant};

/// A token response is small; anything past this is not one.
pub const MAX_BODY: usize = 1 << 20;
pub const MAX_ATTEMPTS: u32 = 3;
const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub enum Body {
    None,
    Form(Vec<(String, String)>),
    Json(serde_json::Value),
    /// Bytes sent as they are; the caller sets Content-Type.
    Raw(bytes::Bytes),
}

#[derive(Clone)]
pub struct Request {
    pub method: Method,
    pub url: Url,
    /// Header name, value, and whether the value is a secret (logged redacted).
    pub headers: Vec<(String, String, bool)>,
    pub body: Body,
    /// Values that must never appear in logs (secrets sent in the body).
    pub secrets: Vec<String>,
    /// Log the headers already at `-v` (`gtx request`), not only at `-vv`.
    pub verbose_headers: bool,
    /// Each attempt carries a DPoP proof (RFC 9449) signed with the client's DPoP key.
    pub dpop: bool,
    /// The access token sent with it, which the proof hashes (`ath`).
    pub dpop_token: Option<String>,
    /// Signs a new client assertion (RFC 7523) for each attempt after the first: a server
    /// that saw the first one (before a 5xx or a DPoP nonce challenge) refuses its `jti`.
    pub fresh_assertion: Option<std::rc::Rc<dyn Fn() -> Result<String>>>,
    /// Attempts made with this request so far.
    sends: std::cell::Cell<u32>,
}

impl Request {
    pub fn new(method: Method, url: Url) -> Self {
        Request {
            method,
            url,
            headers: Vec::new(),
            body: Body::None,
            secrets: Vec::new(),
            verbose_headers: false,
            dpop: false,
            dpop_token: None,
            fresh_assertion: None,
            sends: std::cell::Cell::new(0),
        }
    }

    /// The body of this attempt: after the first, with a newly signed client assertion.
    fn body_now(&self) -> Result<Body> {
        let sent_before = self.sends.replace(self.sends.get() + 1) > 0;
        let Some(fresh) = self.fresh_assertion.as_ref().filter(|_| sent_before) else {
            return Ok(self.body.clone());
        };
        let assertion = fresh()?;
        Ok(match &self.body {
            Body::Form(pairs) => Body::Form(
                pairs
                    .iter()
                    .map(|(k, v)| match k.as_str() {
                        "client_assertion" => (k.clone(), assertion.clone()),
                        _ => (k.clone(), v.clone()),
                    })
                    .collect(),
            ),
            Body::Json(v) => {
                let mut v = v.clone();
                if v.get("client_assertion").is_some() {
                    v["client_assertion"] = assertion.into();
                }
                Body::Json(v)
            }
            other => other.clone(),
        })
    }
}

/// When a failed attempt is sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all (1 = no retry).
    pub attempts: u32,
    /// 429 is retried only when the server says when (`Retry-After`).
    pub needs_retry_after: bool,
}

impl RetryPolicy {
    pub const NONE: RetryPolicy = RetryPolicy {
        attempts: 1,
        needs_retry_after: true,
    };
    /// Token endpoints (docs/security.md).
    pub const TOKEN: RetryPolicy = RetryPolicy {
        attempts: MAX_ATTEMPTS,
        needs_retry_after: false,
    };

    /// `gtx request --retry N`: N more attempts, for idempotent methods only (a POST that
    /// timed out or got a 502 may have been carried out).
    pub fn request(method: &Method, retries: u32) -> RetryPolicy {
        if retries == 0 || !idempotent(method) {
            return RetryPolicy::NONE;
        }
        RetryPolicy {
            attempts: retries.saturating_add(1),
            needs_retry_after: true,
        }
    }
}

/// RFC 9110 section 9.2.2.
pub fn idempotent(method: &Method) -> bool {
    matches!(
        method.as_str(),
        "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "TRACE"
    )
}

pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// The body was cut at the cap the caller chose.
    pub truncated: bool,
}

// Requests and responses carry secrets: their Debug shows only what is safe to log.
impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Request({} {})", self.method, loggable_url(&self.url))
    }
}

impl std::fmt::Debug for Response {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Response({}, {} bytes)", self.status, self.body.len())
    }
}

/// Scheme, host, port and path: never userinfo or a query string.
pub fn loggable_url(url: &Url) -> String {
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    format!(
        "{}://{}{port}{}",
        url.scheme(),
        url.host_str().unwrap_or(""),
        url.path()
    )
}

/// [`loggable_url`] with any of `secrets` (a token a server echoed into a redirect's path)
/// redacted.
pub fn scrubbed_url(url: &Url, secrets: &[String]) -> String {
    let mut shown = loggable_url(url);
    let secrets: Vec<&String> = secrets.iter().filter(|s| s.len() >= 8).collect();
    // A server may percent-encode the token it echoes into a path: such a URL is shown
    // decoded, with the token redacted there.
    let decoded = crate::secret::percent_decode(&shown);
    if secrets
        .iter()
        .any(|s| decoded.contains(s.as_str()) && !shown.contains(s.as_str()))
    {
        shown = decoded;
    }
    for secret in secrets {
        shown = shown.replace(secret.as_str(), &crate::secret::redact(secret));
    }
    shown
}

impl Response {
    pub fn content_type(&self) -> String {
        self.headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }
}

/// A response whose body has not been read yet: the caller streams it chunk by chunk or
/// collects it under a cap.
pub struct Streaming<'h> {
    http: &'h Http,
    inner: reqwest::Response,
    pub status: StatusCode,
    pub version: Version,
    pub headers: HeaderMap,
    /// Where this answer came from (after redirects, the last hop).
    pub url: Url,
    host: String,
}

impl Streaming<'_> {
    /// The next piece of the body, `None` at its end.
    pub fn chunk(&mut self) -> Result<Option<bytes::Bytes>> {
        let host = &self.host;
        let inner = &mut self.inner;
        self.http
            .wait(inner.chunk())?
            .map_err(|e| transport_error(e, host))
    }

    /// The whole body, cut at `cap` bytes.
    pub fn collect(mut self, cap: usize) -> Result<Response> {
        let mut body = Vec::new();
        let mut truncated = false;
        while let Some(chunk) = self.chunk()? {
            if body.len() + chunk.len() > cap {
                body.extend_from_slice(&chunk[..cap - body.len()]);
                truncated = true;
                break;
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response {
            status: self.status,
            headers: self.headers,
            body,
            truncated,
        })
    }
}

pub struct Http {
    runtime: &'static tokio::runtime::Runtime,
    /// Ctrl-C is caught during this client's waits (see `signals::Catching`).
    _ctrl_c: crate::signals::Catching,
    client: reqwest::Client,
    timeout: Duration,
    /// Attempts made by the last send, for errors that say how hard gtx tried.
    attempts: std::cell::Cell<u32>,
    /// The key DPoP proofs are signed with (one per profile; see `dpop`).
    dpop_key: std::cell::RefCell<Option<std::rc::Rc<DpopKey>>>,
    /// The latest `DPoP-Nonce` each origin sent, picked up from every response, or why
    /// gtx could not use it (see [`usable_nonce`]).
    nonces:
        std::cell::RefCell<std::collections::HashMap<String, std::result::Result<String, String>>>,
}

impl Http {
    /// The client for calls made for `env`: its `ca_file` is trusted besides the
    /// platform's roots (docs/deployments.md).
    pub fn for_env(env: &crate::config::Environment, timeout: Duration) -> Result<Http> {
        let http = Http::with_trust(timeout, &super::tls::Trust::for_env(env)?)?;
        // A new sign-in is bound to a new key; `set_dpop_key` puts a stored session's in.
        if env.dpop {
            http.set_dpop_key(DpopKey::generate()?);
        }
        Ok(http)
    }

    pub fn set_dpop_key(&self, key: DpopKey) {
        *self.dpop_key.borrow_mut() = Some(std::rc::Rc::new(key));
    }

    /// The stored form of the DPoP key proofs are signed with, if any.
    pub fn dpop_pem(&self) -> Option<crate::secret::Secret> {
        self.dpop_key.borrow().as_ref().map(|k| k.pem().clone())
    }

    /// A proof for one attempt of `req`, with the origin's latest nonce.
    pub fn dpop_proof(&self, req: &Request) -> Result<String> {
        let key = self
            .dpop_key
            .borrow()
            .clone()
            .ok_or_else(|| AppError::bug("a DPoP request without a DPoP key"))?;
        let nonce = self
            .nonces
            .borrow()
            .get(&origin_of(&req.url))
            .and_then(|n| n.as_ref().ok().cloned());
        key.proof(
            req.method.as_str(),
            &req.url,
            nonce.as_deref(),
            req.dpop_token.as_deref(),
        )
    }

    /// Whether a nonce challenge from `url`'s origin is worth answering: it sent a nonce
    /// gtx can use. One it cannot use ends the request with a clear error (exit 6)
    /// instead of a challenge answered without it.
    pub fn has_nonce(&self, url: &Url) -> Result<bool> {
        match self.nonces.borrow().get(&origin_of(url)) {
            None => Ok(false),
            Some(Ok(_)) => Ok(true),
            Some(Err(why)) => Err(AppError::network(format!(
                "{} asked for a DPoP nonce and sent one gtx cannot use ({why})",
                url.host_str().unwrap_or("the server")
            ))
            .hint("the server is at fault: a DPoP nonce is visible ASCII (RFC 9449 section 8.1), and gtx takes at most 1024 bytes of one")),
        }
    }

    /// `timeout` bounds connecting and each wait for data; token calls (`send_once`,
    /// `send_with_retries`) are also bounded by it as a whole, streamed bodies are not.
    pub fn with_trust(timeout: Duration, trust: &super::tls::Trust) -> Result<Http> {
        static PROVIDER: Once = Once::new();
        PROVIDER.call_once(|| {
            let _ = rustls::crypto::ring::default_provider().install_default();
        });
        let runtime = crate::runtime::shared()?;
        let builder = reqwest::Client::builder()
            .tls_backend_preconfigured(trust.client_config()?)
            .redirect(reqwest::redirect::Policy::none())
            .read_timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("gtx/", env!("CARGO_PKG_VERSION")));
        // gtx honours http_proxy/HTTPS_PROXY/ALL_PROXY, even for 127.0.0.1 (as curl does);
        // unit tests talk to their own servers there and must not meet a proxy that the
        // machine running them has configured.
        #[cfg(test)]
        let builder = builder.no_proxy();
        #[cfg(not(test))]
        let builder = match super::proxy::none_wanted() {
            true => builder.no_proxy(),
            false => builder,
        };
        let client = builder
            .build()
            .map_err(|e| AppError::bug(format!("cannot build the HTTP client: {e}")))?;
        Ok(Http {
            runtime,
            _ctrl_c: crate::signals::Catching::new(),
            client,
            timeout,
            attempts: std::cell::Cell::new(0),
            dpop_key: std::cell::RefCell::new(None),
            nonces: std::cell::RefCell::new(std::collections::HashMap::new()),
        })
    }

    /// How many attempts the last send made.
    pub fn attempts(&self) -> u32 {
        self.attempts.get()
    }

    /// The one place gtx waits on a future: Ctrl-C ends the wait with exit 130. Build
    /// timers and requests inside `fut` (an `async` block): they need the runtime.
    pub fn wait<F: std::future::Future>(&self, fut: F) -> Result<F::Output> {
        self.runtime.block_on(async {
            tokio::select! {
                r = fut => Ok(r),
                _ = crate::signals::ctrl_c() => Err(crate::signals::interrupted()),
            }
        })
    }

    /// Token-endpoint policy: retry connect errors, 5xx and 429 with jittered backoff
    /// (Retry-After honoured, capped), at most MAX_ATTEMPTS in all. Timeouts are not
    /// retried: a timed-out refresh may already have spent a single-use refresh token.
    pub fn send_with_retries(&self, req: &Request) -> Result<Response> {
        self.buffered(req, RetryPolicy::TOKEN)
    }

    fn buffered(&self, req: &Request, policy: RetryPolicy) -> Result<Response> {
        let mut resp = self
            .send_limited(req, policy, Some(self.timeout))?
            .collect(MAX_BODY)?;
        // RFC 9449 section 8: an authorization server that wants a nonce answers 400
        // use_dpop_nonce with one; the request goes again once, with a new proof.
        if req.dpop && asks_for_nonce(&resp) && self.has_nonce(&req.url)? {
            vlog!(1, "the server asks for a DPoP nonce: sending again with it");
            resp = self
                .send_limited(req, policy, Some(self.timeout))?
                .collect(MAX_BODY)?;
            if asks_for_nonce(&resp) {
                return Err(nonce_twice(&req.url));
            }
        }
        // Some servers (.NET) start JSON with a UTF-8 byte order mark, which RFC 8259
        // section 8.1 lets a parser ignore; serde_json would call the answer unparseable,
        // losing a rotated refresh token in it.
        if resp.body.starts_with(b"\xEF\xBB\xBF") {
            resp.body.drain(..3);
        }
        if crate::output::verbosity() >= 2 {
            let known: Vec<&str> = req.secrets.iter().map(String::as_str).collect();
            vlog!(
                2,
                "  body: {}",
                crate::secret::excerpt(&resp.body, &known, 300)
            );
        }
        Ok(resp)
    }

    /// Sends under `policy` and returns as soon as the headers are in: the body streams.
    pub fn send(&self, req: &Request, policy: RetryPolicy) -> Result<Streaming<'_>> {
        self.send_limited(req, policy, None)
    }

    fn send_limited(
        &self,
        req: &Request,
        policy: RetryPolicy,
        total: Option<Duration>,
    ) -> Result<Streaming<'_>> {
        let mut attempt = 1;
        loop {
            self.attempts.set(attempt);
            let outcome = self.attempt(req, total);
            let wait = match &outcome {
                Ok(r) => retry_wait(r.status, &r.headers, attempt, policy),
                Err(e) if e.is(Cause::Unsent) => Some(backoff(attempt)),
                Err(_) => None,
            };
            match wait {
                Some(wait) if attempt < policy.attempts => {
                    // The unread body of the failed attempt is dropped with it.
                    drop(outcome);
                    vlog!(
                        1,
                        "retrying in {} ms (attempt {} of {})",
                        wait.as_millis(),
                        attempt + 1,
                        policy.attempts
                    );
                    self.wait(async { tokio::time::sleep(wait).await })?;
                    attempt += 1;
                }
                _ => return outcome,
            }
        }
    }

    fn attempt(&self, req: &Request, total: Option<Duration>) -> Result<Streaming<'_>> {
        log_request(req);
        let started = Instant::now();
        let host = req.url.host_str().unwrap_or("the server").to_string();
        let mut builder = self.client.request(req.method.clone(), req.url.clone());
        if let Some(total) = total {
            builder = builder.timeout(total);
        }
        for (name, value, _) in &req.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if req.dpop {
            let proof = self.dpop_proof(req)?;
            vlog!(2, "  DPoP: {}", crate::secret::redact(&proof));
            builder = builder.header("DPoP", proof);
        }
        builder = match &req.body_now()? {
            Body::None => builder,
            Body::Form(pairs) => builder.form(pairs),
            Body::Json(v) => builder.json(v),
            Body::Raw(b) => builder.body(b.clone()),
        };
        let result = self
            .wait(async move { builder.send().await })
            .and_then(|r| r.map_err(|e| through_proxy(transport_error(e, &host), &req.url)));
        match result {
            Ok(inner) => {
                vlog!(
                    1,
                    "← {} from {host} in {} ms",
                    inner.status(),
                    started.elapsed().as_millis()
                );
                if let Some(nonce) = inner.headers().get("dpop-nonce") {
                    let nonce = usable_nonce(nonce.as_bytes());
                    if let Err(why) = &nonce {
                        vlog!(1, "DPoP-Nonce from {host} ignored: {why}");
                    }
                    self.nonces
                        .borrow_mut()
                        .insert(origin_of(inner.url()), nonce);
                }
                Ok(Streaming {
                    http: self,
                    status: inner.status(),
                    version: inner.version(),
                    headers: inner.headers().clone(),
                    url: inner.url().clone(),
                    inner,
                    host,
                })
            }
            Err(e) => {
                vlog!(1, "× {}", e.message);
                Err(e)
            }
        }
    }
}

/// The longest `DPoP-Nonce` gtx takes: it goes into every proof (and every request's
/// headers) after it; real nonces are tens of bytes.
const MAX_NONCE: usize = 1024;

/// A nonce is `1*NQCHAR` (RFC 9449 section 8.1: visible ASCII but `"` and `\`); anything
/// else, or more than [`MAX_NONCE`] bytes, is not sent back. The reason names no content.
fn usable_nonce(value: &[u8]) -> std::result::Result<String, String> {
    if value.len() > MAX_NONCE {
        return Err(format!("{} bytes, more than {MAX_NONCE}", value.len()));
    }
    match std::str::from_utf8(value) {
        Ok(v)
            if !v.is_empty()
                && v.bytes()
                    .all(|b| (0x21..=0x7e).contains(&b) && b != b'"' && b != b'\\') =>
        {
            Ok(v.to_string())
        }
        _ => Err("characters a nonce cannot hold".to_string()),
    }
}

fn origin_of(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// A token endpoint's `400 {"error": "use_dpop_nonce"}`.
fn asks_for_nonce(resp: &Response) -> bool {
    resp.status == StatusCode::BAD_REQUEST
        && serde_json::from_slice::<serde_json::Value>(&resp.body)
            .ok()
            .and_then(|v| v.get("error")?.as_str().map(|e| e == "use_dpop_nonce"))
            .unwrap_or(false)
}

/// A server that asks for a nonce again right after getting the one it gave: asking a
/// third time would not end differently.
pub fn nonce_twice(url: &Url) -> AppError {
    AppError::network(format!(
        "{} asked for a new DPoP nonce again after gtx sent the one it gave",
        url.host_str().unwrap_or("the server")
    ))
    .hint("the server rejects its own nonces; gtx retries a nonce challenge only once")
}

/// How long to wait before sending again after this answer, if it is worth another try.
fn retry_wait(
    status: StatusCode,
    headers: &HeaderMap,
    attempt: u32,
    policy: RetryPolicy,
) -> Option<Duration> {
    if status == StatusCode::TOO_MANY_REQUESTS {
        match retry_after(headers) {
            Some(wait) => Some(wait),
            None if policy.needs_retry_after => None,
            None => Some(backoff(attempt)),
        }
    } else if status.is_server_error() {
        // A 503's Retry-After says how long the service expects to be down (RFC 9110
        // section 10.2.3): asking sooner would spend the attempts while it still is.
        Some(retry_after(headers).unwrap_or_else(|| backoff(attempt)))
    } else {
        None
    }
}

fn log_request(req: &Request) {
    vlog!(
        1,
        "→ {} {}",
        req.method,
        scrubbed_url(&req.url, &req.secrets)
    );
    let header_level = if req.verbose_headers { 1 } else { 2 };
    if crate::output::verbosity() >= header_level {
        for (name, value, secret) in &req.headers {
            let shown = if *secret {
                crate::secret::redact(value)
            } else {
                value.clone()
            };
            vlog!(header_level, "  {name}: {shown}");
        }
    }
    if crate::output::verbosity() >= 2 {
        let secret_field = crate::secret::is_secret_key;
        match &req.body {
            Body::None => {}
            Body::Raw(b) => vlog!(2, "  body: {} bytes", b.len()),
            Body::Form(pairs) => {
                let shown: Vec<String> = pairs
                    .iter()
                    .map(|(k, v)| {
                        let v = if secret_field(k) {
                            crate::secret::redact(v)
                        } else {
                            v.clone()
                        };
                        format!("{k}={v}")
                    })
                    .collect();
                vlog!(2, "  form: {}", shown.join("&"));
            }
            Body::Json(v) => {
                let mut shown = v.clone();
                if let Some(obj) = shown.as_object_mut() {
                    for (k, val) in obj.iter_mut() {
                        if secret_field(k) {
                            *val = crate::secret::redact(val.as_str().unwrap_or("")).into();
                        }
                    }
                }
                vlog!(2, "  json: {shown}");
            }
        }
    }
}

/// A failed request that went through a proxy says so, with the proxy's address and the
/// variable that chose it: the proxy may be what failed, not the server.
fn through_proxy(mut err: AppError, url: &Url) -> AppError {
    let Some(via) = super::proxy::via(url) else {
        return err;
    };
    err.message = format!(
        "{} (through proxy {} from {})",
        err.message, via.address, via.variable
    );
    let host = url.host_str().unwrap_or("this host");
    err.hint(format!(
        "check the proxy in {}, or send {host} direct with NO_PROXY={host}",
        via.variable
    ))
}

fn transport_error(e: reqwest::Error, where_: &str) -> AppError {
    // A refused certificate is refused again on every try: a sentence, and no retry.
    if let Some(refusal) = super::tls::refusal_in(&e) {
        return super::tls::explain(&refusal, where_);
    }
    // reqwest's Display can include the URL; ours never carry secrets in URLs.
    let what = if e.is_timeout() {
        "timed out".to_string()
    } else if e.is_connect() {
        "could not connect".to_string()
    } else {
        "request failed".to_string()
    };
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(&e);
    let mut detail = String::new();
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    let detail = if detail.is_empty() {
        String::new()
    } else {
        format!(": {detail}")
    };
    let connect = e.is_connect();
    // Without its URL: the source is kept for a program, never shown, all the same.
    let err = AppError::network(format!("{what} to {where_}{detail}")).with_source(e.without_url());
    // Only a request that never left is safe to send again: a timed-out refresh may
    // already have spent a single-use refresh token at the server.
    if connect {
        err.with_cause(Cause::Unsent)
    } else {
        err
    }
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    let wait = if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        // delay-seconds may exceed 64 bits; any such wait is past the cap anyway.
        v.parse::<u64>()
            .map_or(MAX_RETRY_AFTER, Duration::from_secs)
    } else {
        let at = httpdate::parse_http_date(v).ok()?;
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or_default()
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

/// 200 ms, 400 ms, … with ±50 % jitter so parallel clients spread out.
fn backoff(attempt: u32) -> Duration {
    let base = 200u64 << (attempt - 1).min(5);
    let mut b = [0u8; 2];
    let _ = getrandom::fill(&mut b);
    let r = u16::from_le_bytes(b) as u64 % (base + 1);
    Duration::from_millis(base / 2 + r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_nqchar_up_to_1024_bytes() {
        assert!(usable_nonce("n".repeat(MAX_NONCE).as_bytes()).is_ok());
        assert!(usable_nonce(b"a!#[]~").is_ok());
        let why = usable_nonce("n".repeat(MAX_NONCE + 1).as_bytes()).expect_err("long");
        assert_eq!(why, "1025 bytes, more than 1024");
        for bad in [
            &b""[..],
            b"a\"b",
            b"a\\b",
            b"a b",
            b"a\x7f",
            "\u{e9}".as_bytes(),
        ] {
            assert!(usable_nonce(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn retry_after_is_capped() {
        let mut h = HeaderMap::new();
        h.insert(
            reqwest::header::RETRY_AFTER,
            "3600".parse().expect("valid header"),
        );
        assert_eq!(retry_after(&h), Some(MAX_RETRY_AFTER));
        h.insert(
            reqwest::header::RETRY_AFTER,
            "2".parse().expect("valid header"),
        );
        assert_eq!(retry_after(&h), Some(Duration::from_secs(2)));
        // Beyond 64 bits is still "a long time" (RFC 9110 delay-seconds is any digit run).
        h.insert(
            reqwest::header::RETRY_AFTER,
            "99999999999999999999999".parse().expect("valid header"),
        );
        assert_eq!(retry_after(&h), Some(MAX_RETRY_AFTER));
    }

    #[test]
    fn request_retries_only_idempotent_methods() {
        assert_eq!(RetryPolicy::request(&Method::GET, 0), RetryPolicy::NONE);
        assert_eq!(RetryPolicy::request(&Method::POST, 3), RetryPolicy::NONE);
        assert_eq!(RetryPolicy::request(&Method::PATCH, 3), RetryPolicy::NONE);
        for m in [Method::GET, Method::HEAD, Method::PUT, Method::DELETE] {
            assert_eq!(RetryPolicy::request(&m, 3).attempts, 4, "{m}");
        }
    }

    #[test]
    fn what_is_worth_another_try() {
        let none = HeaderMap::new();
        let mut later = HeaderMap::new();
        later.insert(
            reqwest::header::RETRY_AFTER,
            "1".parse().expect("valid header"),
        );
        let asked = RetryPolicy::request(&Method::GET, 2);
        let w = |s: u16, h: &HeaderMap, p| {
            retry_wait(StatusCode::from_u16(s).expect("status"), h, 1, p)
        };
        assert!(w(503, &none, asked).is_some());
        assert_eq!(w(503, &later, asked), Some(Duration::from_secs(1)));
        assert_eq!(
            w(503, &later, RetryPolicy::TOKEN),
            Some(Duration::from_secs(1))
        );
        assert_eq!(w(429, &later, asked), Some(Duration::from_secs(1)));
        assert_eq!(
            w(429, &none, asked),
            None,
            "request: 429 only with Retry-After"
        );
        assert!(w(429, &none, RetryPolicy::TOKEN).is_some());
        assert_eq!(w(404, &none, asked), None);
        assert_eq!(w(401, &none, RetryPolicy::TOKEN), None);
    }

    #[test]
    fn backoff_grows_with_jitter() {
        for _ in 0..50 {
            let d = backoff(2).as_millis();
            assert!((200..=600).contains(&d), "{d}");
        }
    }
}
