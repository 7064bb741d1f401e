//! The HTTP side of token work: a current-thread runtime built only when a command needs
//! the network, a client with redirects off, bounded body reads, and the retry policy for
//! token endpoints (connect errors, 5xx, 429 with Retry-After; at most 3 attempts).

use crate::error::{AppError, Result};
use crate::vlog;
use reqwest::{Method, StatusCode, Url, header::HeaderMap};
use std::sync::Once;
use std::time::Duration;

/// A token response is small; anything past this is not one.
pub const MAX_BODY: usize = 1 << 20;
pub const MAX_ATTEMPTS: u32 = 3;
const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub enum Body {
    None,
    Form(Vec<(String, String)>),
    Json(serde_json::Value),
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
}

impl Request {
    pub fn new(method: Method, url: Url) -> Self {
        Request {
            method,
            url,
            headers: Vec::new(),
            body: Body::None,
            secrets: Vec::new(),
        }
    }
}

pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// The body was cut at MAX_BODY.
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

impl Response {
    pub fn content_type(&self) -> String {
        self.headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }
}

pub struct Http {
    runtime: tokio::runtime::Runtime,
    client: reqwest::Client,
}

/// Waiting on the network, Ctrl-C is caught to exit 130 cleanly; tokio's handler would
/// stay installed for the rest of the process, so the default is restored afterwards and
/// a later wait (a lock, a keyring prompt) is interruptible again.
impl Drop for Http {
    fn drop(&mut self) {
        #[cfg(unix)]
        // SAFETY: resetting a signal disposition to its default has no preconditions.
        unsafe {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
        }
    }
}

impl Http {
    pub fn new(timeout: Duration) -> Result<Http> {
        static PROVIDER: Once = Once::new();
        PROVIDER.call_once(|| {
            let _ = rustls::crypto::ring::default_provider().install_default();
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| AppError::bug(format!("cannot start the async runtime: {e}")))?;
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("gtx/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| AppError::bug(format!("cannot build the HTTP client: {e}")))?;
        Ok(Http { runtime, client })
    }

    /// One attempt; network-level failures become exit 6.
    pub fn send_once(&self, req: &Request) -> Result<Response> {
        log_request(req);
        let started = std::time::Instant::now();
        let result = self.runtime.block_on(async {
            tokio::select! {
                r = self.send_inner(req) => r,
                _ = tokio::signal::ctrl_c() => Err(interrupted()),
            }
        });
        match &result {
            Ok(resp) => {
                vlog!(
                    1,
                    "← {} from {} in {} ms",
                    resp.status,
                    req.url.host_str().unwrap_or(""),
                    started.elapsed().as_millis()
                );
                if crate::output::verbosity() >= 2 {
                    let known: Vec<&str> = req.secrets.iter().map(String::as_str).collect();
                    vlog!(
                        2,
                        "  body: {}",
                        crate::secret::excerpt(&resp.body, &known, 300)
                    );
                }
            }
            Err(e) => vlog!(1, "× {}", e.message),
        }
        result
    }

    async fn send_inner(&self, req: &Request) -> Result<Response> {
        let mut builder = self.client.request(req.method.clone(), req.url.clone());
        for (name, value, _) in &req.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        builder = match &req.body {
            Body::None => builder,
            Body::Form(pairs) => builder.form(pairs),
            Body::Json(v) => builder.json(v),
        };
        let where_ = req.url.host_str().unwrap_or("the server").to_string();
        let mut resp = builder
            .send()
            .await
            .map_err(|e| transport_error(&e, &where_))?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let mut body = Vec::new();
        let mut truncated = false;
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > MAX_BODY {
                        body.extend_from_slice(&chunk[..MAX_BODY - body.len()]);
                        truncated = true;
                        break;
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(transport_error(&e, &where_)),
            }
        }
        Ok(Response {
            status,
            headers,
            body,
            truncated,
        })
    }

    /// Token-endpoint policy: retry connect errors, 5xx and 429 with jittered
    /// backoff (Retry-After honoured, capped), at most MAX_ATTEMPTS in all. Timeouts are
    /// not retried: a timed-out refresh may already have spent a single-use refresh token.
    pub fn send_with_retries(&self, req: &Request) -> Result<Response> {
        let mut attempt = 1;
        loop {
            let outcome = self.send_once(req);
            let retry_after = match &outcome {
                Ok(r) if r.status == StatusCode::TOO_MANY_REQUESTS => {
                    Some(retry_after(&r.headers).unwrap_or_else(|| backoff(attempt)))
                }
                Ok(r) if r.status.is_server_error() => Some(backoff(attempt)),
                Ok(_) => None,
                Err(e) if e.code.as_deref() == Some("connect") => Some(backoff(attempt)),
                Err(_) => None,
            };
            match retry_after {
                Some(wait) if attempt < MAX_ATTEMPTS => {
                    vlog!(
                        1,
                        "retrying in {} ms (attempt {} of {MAX_ATTEMPTS})",
                        wait.as_millis(),
                        attempt + 1
                    );
                    self.runtime.block_on(async {
                        tokio::select! {
                            _ = tokio::time::sleep(wait) => Ok(()),
                            _ = tokio::signal::ctrl_c() => Err(interrupted()),
                        }
                    })?;
                    attempt += 1;
                }
                _ => return outcome,
            }
        }
    }
}

/// Ctrl-C while waiting on the network: exit 130, nothing half-written (the lock file is
/// released by the OS, and the store is written only after a complete answer).
fn interrupted() -> AppError {
    AppError::new(crate::error::Kind::Interrupted, "interrupted")
}

fn log_request(req: &Request) {
    vlog!(1, "→ {} {}", req.method, loggable_url(&req.url));
    if crate::output::verbosity() >= 2 {
        for (name, value, secret) in &req.headers {
            let shown = if *secret {
                crate::secret::redact(value)
            } else {
                value.clone()
            };
            vlog!(2, "  {name}: {shown}");
        }
        let secret_field = crate::secret::is_secret_key;
        match &req.body {
            Body::None => {}
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

fn transport_error(e: &reqwest::Error, where_: &str) -> AppError {
    // reqwest's Display can include the URL; ours never carry secrets in URLs.
    let what = if e.is_timeout() {
        "timed out".to_string()
    } else if e.is_connect() {
        "could not connect".to_string()
    } else {
        "request failed".to_string()
    };
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(e);
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
    let err = AppError::network(format!("{what} to {where_}{detail}"));
    // Only a request that never left is safe to send again: a timed-out refresh may
    // already have spent a single-use refresh token at the server.
    if e.is_connect() {
        err.with_code("connect")
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
    let wait = if let Ok(secs) = v.parse::<u64>() {
        Duration::from_secs(secs)
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
    }

    #[test]
    fn backoff_grows_with_jitter() {
        for _ in 0..50 {
            let d = backoff(2).as_millis();
            assert!((200..=600).contains(&d), "{d}");
        }
    }
}
