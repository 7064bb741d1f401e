//! The loopback listener of a browser login (RFC 8252): 127.0.0.1 only, on the
//! environment's `redirect_port` or a free one. It serves on its own thread so that the
//! waiting thread can give up on a timeout or Ctrl-C at any moment; each request to
//! `/callback` is handed to the waiting thread, which decides the page it gets. Any other
//! path is a 404 and never reaches the waiting thread.

use crate::error::{AppError, Result};
use crate::signals::Waiter;
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::net::TcpListener;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};

pub const CALLBACK_PATH: &str = "/callback";
/// How long the final page may take to reach the browser before gtx exits anyway.
const FLUSH_GRACE: Duration = Duration::from_secs(2);
/// The pause after a failed `accept` (EMFILE) before the next try.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);
/// A browser sends its headers at once; a local client trickling them (slowloris) must
/// not hold a connection for the whole login.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// The page a callback gets: what the person reads in the browser tab.
pub struct Page {
    pub ok: bool,
    pub title: String,
    pub message: String,
}

impl Page {
    pub fn success(message: impl Into<String>) -> Page {
        Page {
            ok: true,
            title: "Signed in".into(),
            message: message.into(),
        }
    }
    pub fn failure(title: impl Into<String>, message: impl Into<String>) -> Page {
        Page {
            ok: false,
            title: title.into(),
            message: message.into(),
        }
    }
}

/// One request to `/callback`: its query parameters and the way to answer it.
pub struct Callback {
    pub params: Vec<(String, String)>,
    reply: oneshot::Sender<Page>,
}

impl Callback {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
    pub fn answer(self, page: Page) {
        let _ = self.reply.send(page);
    }
}

pub struct Listener {
    port: u16,
    waiter: Waiter,
    callbacks: mpsc::Receiver<Callback>,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
}

impl Listener {
    /// Binds 127.0.0.1:`port` (0: any free port). A fixed port that is taken is a
    /// configuration problem (exit 3): the app registered that exact redirect URI.
    pub fn bind(port: Option<u16>, env_name: &str) -> Result<Listener> {
        let (socket, port) = crate::listen::loopback(port, |p, e| {
            AppError::config(format!(
                "cannot listen on 127.0.0.1:{p} for the sign-in callback: {e}"
            ))
            .fix(crate::fix::EnvFix::FixedRedirectPort {
                port: p,
                env: env_name.to_string(),
            })
        })?;
        socket
            .set_nonblocking(true)
            .map_err(|e| AppError::bug(format!("cannot set up the listener: {e}")))?;
        let waiter = Waiter::new()?;
        let runtime = crate::runtime::shared()?;
        let (tx, callbacks) = mpsc::channel(8);
        let (stop, stopped) = oneshot::channel();
        let server = std::thread::Builder::new()
            .name("gtx-callback".into())
            .spawn(move || serve(runtime, socket, tx, stopped))
            .map_err(|e| AppError::bug(format!("cannot start the callback listener: {e}")))?;
        Ok(Listener {
            port,
            waiter,
            callbacks,
            shutdown: Some(stop),
            server: Some(server),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}{CALLBACK_PATH}", self.port)
    }

    /// The next callback, or an error when `deadline` passes (exit 6) or Ctrl-C comes
    /// (130).
    pub fn next(&mut self, deadline: Instant, what: &str) -> Result<Callback> {
        let callbacks = &mut self.callbacks;
        self.waiter.until(
            async {
                callbacks
                    .recv()
                    .await
                    .ok_or_else(|| AppError::bug("the callback listener stopped"))
            },
            deadline,
            || {
                AppError::network(format!("timed out waiting for {what}"))
                    .hint("start again, or give more time with --timeout SECS")
            },
        )
    }

    /// Stops listening; a page already handed over gets a moment to reach the browser.
    pub fn close(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        // Callbacks that came in after the accepted one get "sign-in over" at once
        // instead of holding the shutdown up.
        self.callbacks.close();
        while let Ok(late) = self.callbacks.try_recv() {
            drop(late);
        }
        if let Some(stop) = self.shutdown.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.join();
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop();
    }
}

fn serve(
    runtime: &tokio::runtime::Runtime,
    socket: TcpListener,
    tx: mpsc::Sender<Callback>,
    mut stopped: oneshot::Receiver<()>,
) {
    // The process's runtime, driven by this thread and the waiting one together.
    runtime.block_on(async move {
        let Ok(listener) = tokio::net::TcpListener::from_std(socket) else {
            return;
        };
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        loop {
            tokio::select! {
                _ = &mut stopped => break,
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else {
                        // Out of descriptors (a flood of connections): the connection
                        // stays queued and `accept` would fail again at once; wait for
                        // descriptors to come back instead of spinning.
                        tokio::time::sleep(ACCEPT_BACKOFF).await;
                        continue;
                    };
                    let tx = tx.clone();
                    let service = hyper::service::service_fn(move |req| handle(req, tx.clone()));
                    let conn = hyper::server::conn::http1::Builder::new()
                        .keep_alive(false)
                        .timer(hyper_util::rt::TokioTimer::new())
                        .header_read_timeout(HEADER_TIMEOUT)
                        .serve_connection(TokioIo::new(stream), service);
                    tokio::spawn(graceful.watch(conn));
                }
            }
        }
        drop(listener);
        // Idle connections (a browser's speculative ones) close at once; a request in
        // flight gets its answer written first.
        let _ = tokio::time::timeout(FLUSH_GRACE, graceful.shutdown()).await;
    });
}

async fn handle(
    req: Request<Incoming>,
    tx: mpsc::Sender<Callback>,
) -> std::result::Result<Response<Full<Bytes>>, Infallible> {
    if req.uri().path() != CALLBACK_PATH {
        return Ok(html(
            StatusCode::NOT_FOUND,
            &Page::failure("Not found", "gtx is waiting for its sign-in callback only."),
        ));
    }
    let params = url::form_urlencoded::parse(req.uri().query().unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let (reply, answer) = oneshot::channel();
    if tx.send(Callback { params, reply }).await.is_err() {
        return Ok(html(
            StatusCode::GONE,
            &Page::failure("Sign-in over", "gtx is no longer waiting for this sign-in."),
        ));
    }
    let page = answer.await.unwrap_or_else(|_| {
        Page::failure("Sign-in over", "gtx is no longer waiting for this sign-in.")
    });
    let status = if page.ok {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok(html(status, &page))
}

fn html(status: StatusCode, page: &Page) -> Response<Full<Bytes>> {
    let body = render(page);
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() = status;
    let h = resp.headers_mut();
    h.insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        hyper::header::CACHE_CONTROL,
        hyper::header::HeaderValue::from_static("no-store"),
    );
    // The page loads nothing from anywhere; say so to the browser as well.
    h.insert(
        hyper::header::CONTENT_SECURITY_POLICY,
        hyper::header::HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
    );
    h.insert(
        hyper::header::REFERRER_POLICY,
        hyper::header::HeaderValue::from_static("no-referrer"),
    );
    resp
}

/// A small self-contained page: no scripts, no external assets.
fn render(page: &Page) -> String {
    let (mark, colour) = if page.ok {
        ("&#10003;", "#1a7f37")
    } else {
        ("&#10007;", "#cf222e")
    };
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>gtx: {title}</title><style>\
         body{{font-family:system-ui,sans-serif;background:#f6f8fa;color:#1f2328;display:flex;\
         justify-content:center;margin:0;padding:4rem 1rem}}\
         main{{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:2rem 2.5rem;max-width:32rem}}\
         h1{{font-size:1.4rem;margin:0 0 .75rem}} .mark{{color:{colour};margin-right:.4rem}}\
         p{{line-height:1.5;margin:.5rem 0}}</style></head>\n\
         <body><main><h1><span class=\"mark\">{mark}</span>{title}</h1>\n<p id=\"message\">{message}</p>\n\
         <p>You can close this tab and return to the terminal.</p></main></body></html>\n",
        title = crate::html::escape(&page.title),
        message = crate::html::escape(&page.message),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_escape_provider_text() {
        let html = render(&Page::failure("Sign-in failed", "<script>x</script> & co"));
        assert!(html.contains("&lt;script&gt;x&lt;/script&gt; &amp; co"));
        assert!(!html.contains("<script>"));
        assert!(!html.contains("http"), "no external assets");
    }
}
