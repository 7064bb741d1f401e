//! The page's HTTP server: hyper on a tokio listener, as the login callback is served
//! (src/oauth/loopback.rs). Every request passes the gate first; the API's work (store,
//! token pipeline, the request itself) is blocking and runs on a thread of its own, so
//! the page stays responsive while a request waits on the network.

use super::api::{self, Page};
use super::assets;
use super::gate::{Gate, Refusal};
use crate::error::{AppError, Result};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

/// The most the page may post in one call (a request body typed or pasted into it).
const MAX_POST: usize = 16 << 20;
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);
/// A browser sends its headers at once; a client that trickles them (slowloris) would
/// otherwise hold a connection, and a descriptor, for as long as the page runs.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// The page posts its JSON at once too; a body that trickles in (or never reaches its
/// Content-Length) is answered 408 and its connection closed (docs/try.md).
const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// Only gtx's own embedded assets, from its own origin; no framing, no form targets.
const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/// Data (JSON, downloads) is never a document that could run anything.
const DATA_CSP: &str = "default-src 'none'; sandbox; frame-ancestors 'none'";

struct Shared {
    gate: Gate,
    page: Arc<Page>,
}

/// Serves until Ctrl-C (exit 130); the port is free when this returns.
pub fn serve(socket: TcpListener, gate: Gate, page: Page) -> Result<()> {
    socket
        .set_nonblocking(true)
        .map_err(|e| AppError::bug(format!("cannot set up the listener: {e}")))?;
    let runtime = crate::runtime::shared()?;
    let shared = Arc::new(Shared {
        gate,
        page: Arc::new(page),
    });
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(socket)
            .map_err(|e| AppError::bug(format!("cannot set up the listener: {e}")))?;
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        let stop = crate::signals::ctrl_c();
        tokio::pin!(stop);
        loop {
            tokio::select! {
                _ = &mut stop => break,
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else {
                        tokio::time::sleep(ACCEPT_BACKOFF).await;
                        continue;
                    };
                    let shared = shared.clone();
                    let service = hyper::service::service_fn(move |req| {
                        let shared = shared.clone();
                        async move { Ok::<_, Infallible>(handle(req, &shared).await) }
                    });
                    let conn = hyper::server::conn::http1::Builder::new()
                        .timer(hyper_util::rt::TokioTimer::new())
                        .header_read_timeout(HEADER_TIMEOUT)
                        .serve_connection(TokioIo::new(stream), service);
                    tokio::spawn(graceful.watch(conn));
                }
            }
        }
        drop(listener);
        let _ = tokio::time::timeout(Duration::from_secs(2), graceful.shutdown()).await;
        Err(crate::signals::interrupted())
    })
}

async fn handle(req: Request<Incoming>, shared: &Shared) -> Response<Full<Bytes>> {
    match route(req, shared).await {
        Ok(resp) => resp,
        Err(refused) => {
            let mut resp = refusal(&refused);
            // A body left unread (too large, too slow): the connection cannot carry
            // another request.
            if matches!(refused.status, 408 | 413) {
                resp.headers_mut()
                    .insert(header::CONNECTION, HeaderValue::from_static("close"));
            }
            resp
        }
    }
}

async fn route(req: Request<Incoming>, shared: &Shared) -> Result<Response<Full<Bytes>>, Refusal> {
    let gate = &shared.gate;
    gate.check_host(req.headers(), req.uri())?;
    let path = req.uri().path().to_string();
    let method = req.method().clone();
    if method == Method::GET
        && path == "/"
        && let Some(key) = query_value(req.uri(), "key")
    {
        gate.check_origin(req.headers(), false)?;
        let Some(cookie) = gate.exchange(&key) else {
            return Err(Refusal {
                status: 403,
                message: "this link was already used, or is not this page's: the page is open in the browser that used it; restart `gtx try` for a new link",
            });
        };
        // The key leaves the address bar (and the history) at once.
        let mut resp = empty(StatusCode::SEE_OTHER);
        let h = resp.headers_mut();
        h.insert(header::LOCATION, HeaderValue::from_static("/"));
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            h.insert(header::SET_COOKIE, v);
        }
        return Ok(resp);
    }
    gate.check_cookie(req.headers())?;
    match (method, path.as_str()) {
        (Method::GET, "/") => Ok(asset(assets::INDEX_HTML, "text/html; charset=utf-8")),
        (Method::GET, "/app.js") => Ok(asset(assets::APP_JS, "text/javascript; charset=utf-8")),
        // Browsers ask for it on their own; there is none.
        (Method::GET, "/favicon.ico") => Ok(empty(StatusCode::NO_CONTENT)),
        (Method::GET, "/app.css") => Ok(asset(assets::APP_CSS, "text/css; charset=utf-8")),
        (Method::GET, "/api/state") => {
            gate.check_origin(req.headers(), false)?;
            Ok(blocking(shared, |page| page.state()).await)
        }
        (Method::GET, "/api/operations") => {
            gate.check_origin(req.headers(), false)?;
            let env = query_value(req.uri(), "env").unwrap_or_default();
            Ok(blocking(shared, move |page| page.operations(&env)).await)
        }
        (Method::GET, p) if p.starts_with("/api/download/") => {
            gate.check_origin(req.headers(), false)?;
            let id = p.trim_start_matches("/api/download/").to_string();
            Ok(download(&shared.page, &id))
        }
        (Method::POST, p) if p.starts_with("/api/") => {
            gate.check_origin(req.headers(), true)?;
            gate.check_json(req.headers())?;
            let input = read_call(req.into_body()).await?;
            let call = p.trim_start_matches("/api/").to_string();
            Ok(blocking(shared, move |page| page.call(&call, &input)).await)
        }
        (Method::GET | Method::POST, _) => Err(Refusal {
            status: 404,
            message: "not found",
        }),
        _ => Err(Refusal {
            status: 405,
            message: "method not allowed",
        }),
    }
}

/// A page call's JSON body: whole within [`BODY_TIMEOUT`] of its headers and at most
/// [`MAX_POST`] bytes, so a trickled or endless body holds no connection (docs/try.md).
async fn read_call(body: Incoming) -> Result<serde_json::Value, Refusal> {
    let collected = tokio::time::timeout(BODY_TIMEOUT, Limited::new(body, MAX_POST).collect())
        .await
        .map_err(|_| Refusal {
            status: 408,
            message: "the page's call did not arrive within 10 seconds",
        })?;
    let body = collected
        .map_err(|_| Refusal {
            status: 413,
            message: "the page sent more than gtx takes in one call (16 MiB)",
        })?
        .to_bytes();
    serde_json::from_slice(&body).map_err(|_| Refusal {
        status: 400,
        message: "the page sent a body that is not JSON",
    })
}

/// Runs blocking page work on a thread of its own and answers with its JSON.
async fn blocking(
    shared: &Shared,
    work: impl FnOnce(&Page) -> api::Answer + Send + 'static,
) -> Response<Full<Bytes>> {
    let page = shared.page.clone();
    let (tx, rx) = tokio::sync::oneshot::channel();
    let spawned = std::thread::Builder::new()
        .name("gtx-try".into())
        .spawn(move || {
            let answer = work(&page);
            // The network client's Drop hands Ctrl-C back to its default; the server
            // still wants it.
            crate::signals::catch_sigint();
            let _ = tx.send(answer);
        });
    let answer = match spawned {
        Ok(_) => rx
            .await
            .unwrap_or_else(|_| api::Answer::bug("the page's worker stopped")),
        Err(e) => api::Answer::bug(&format!("cannot start a worker: {e}")),
    };
    json(answer.status, &answer.body)
}

fn query_value(uri: &hyper::Uri, key: &str) -> Option<String> {
    url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

fn download(page: &Page, id: &str) -> Response<Full<Bytes>> {
    let Some(bytes) = page.download(id) else {
        return refusal(&Refusal {
            status: 404,
            message: "that response body is no longer held; send the request again",
        });
    };
    let mut resp = Response::new(Full::new(Bytes::from(bytes)));
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"response.bin\""),
    );
    secure(h, DATA_CSP);
    resp
}

fn asset(body: &'static str, content_type: &'static str) -> Response<Full<Bytes>> {
    let mut resp = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    secure(h, PAGE_CSP);
    resp
}

fn json(status: u16, body: &serde_json::Value) -> Response<Full<Bytes>> {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let mut resp = Response::new(Full::new(Bytes::from(bytes)));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    secure(h, DATA_CSP);
    resp
}

fn refusal(r: &Refusal) -> Response<Full<Bytes>> {
    json(r.status, &serde_json::json!({ "error": r.message }))
}

fn empty(status: StatusCode) -> Response<Full<Bytes>> {
    let mut resp = Response::new(Full::new(Bytes::new()));
    *resp.status_mut() = status;
    secure(resp.headers_mut(), DATA_CSP);
    resp
}

/// What every answer carries: its CSP, no caching, no sniffing, no framing, no referrer.
fn secure(h: &mut hyper::HeaderMap, csp: &'static str) {
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
}
