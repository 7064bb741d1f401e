//! A canned HTTP server for answers the emulator cannot give (a hostile discovery document,
//! say): each path gets one fixed answer, set after start (so it may name the server's own
//! URL); anything else is a 404. One thread per connection, `Connection: close`, 127.0.0.1.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// (path, status, extra header lines, body).
type Routes = Arc<Mutex<Vec<(String, u16, String, String)>>>;

/// The body of a route that never ends: chunks keep coming until the client goes away.
const ENDLESS: &str = "\0endless";
/// The body of a route that echoes the request's `Authorization` back, encoded.
const ECHO: &str = "\0echo";

/// Marks a route whose headers and body quote the request (see [`Canned::quoting`]).
const QUOTE: &str = "\0quote";

pub struct Canned {
    pub base_url: String,
    routes: Routes,
}

impl Canned {
    pub fn start() -> Canned {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base_url = format!("http://{}", listener.local_addr().expect("addr"));
        let routes: Routes = Arc::default();
        let shared = routes.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let routes = shared.clone();
                std::thread::spawn(move || answer(stream, &routes));
            }
        });
        Canned { base_url, routes }
    }

    /// Answers requests of `path` (any method, query ignored) with `status` and a JSON `body`.
    pub fn json(&self, path: &str, status: u16, body: &str) {
        self.route(path, status, String::new(), body);
    }

    /// Answers `path` with a redirect to `location`.
    pub fn redirect(&self, path: &str, status: u16, location: &str) {
        self.route(path, status, format!("Location: {location}\r\n"), "");
    }

    /// Answers `path` with `status`, the extra header lines `headers` (each ending in CRLF,
    /// as hostile as a test wants them) and a JSON `body`.
    pub fn with_headers(&self, path: &str, status: u16, headers: &str, body: &str) {
        self.route(path, status, headers.to_string(), body);
    }

    /// Answers `path` with a 200 whose chunked body never ends (a 4 KiB chunk every 5 ms
    /// until the client goes away).
    pub fn endless(&self, path: &str) {
        self.route(path, 200, String::new(), ENDLESS);
    }

    /// Answers `path` with the request's `Authorization` header echoed back in every
    /// encoding a hostile API might use, in header values, a header name and a JSON body
    /// (see [`echoed`]).
    pub fn echo(&self, path: &str) {
        self.route(path, 200, String::new(), ECHO);
    }

    /// Answers `path` with `status`, `headers` (lines ending in `\r\n`) and `body` that quote
    /// the request, as servers echoing what they were sent do: `{body}` is the request body
    /// as received, `{body_json}` the same escaped for a JSON string, `{authorization}` the
    /// Authorization header, `{credentials}` what follows its scheme, `{field:NAME}` the
    /// decoded value of form or JSON field NAME, `{query:NAME}` that of query parameter NAME,
    /// `{header:NAME}` that of request header NAME.
    pub fn quoting(&self, path: &str, status: u16, headers: &str, body: &str) {
        self.route(path, status, format!("{QUOTE}{headers}"), body);
    }

    fn route(&self, path: &str, status: u16, headers: String, body: &str) {
        let mut routes = self.routes.lock().expect("routes");
        routes.retain(|(p, ..)| p != path);
        routes.push((path.to_string(), status, headers, body.to_string()));
    }
}

fn answer(mut stream: std::net::TcpStream, routes: &Routes) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 65536 {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head);
    // Read the body too: closing with unread bytes would reset the connection under the
    // client before it reads the answer.
    let length = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<u64>().ok())
        .unwrap_or(0);
    let mut sent = Vec::new();
    let _ = (&mut stream).take(length).read_to_end(&mut sent);
    let target = head.split(' ').nth(1).unwrap_or("/");
    let path = target.split('?').next().unwrap_or("/");
    let (status, headers, body) = routes
        .lock()
        .expect("routes")
        .iter()
        .find(|(p, ..)| p == path)
        .map(|(_, s, h, b)| (*s, h.clone(), b.clone()))
        .unwrap_or((404, String::new(), r#"{"error":"not_found"}"#.to_string()));
    let (headers, body) = match headers.strip_prefix(QUOTE) {
        Some(headers) => (quote(headers, &head, &sent), quote(&body, &head, &sent)),
        None => (headers, body),
    };
    if body == ECHO {
        let auth = head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("authorization"))
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default();
        let (headers, body) = echoed(&auth);
        let reply = format!(
            "HTTP/1.1 200 Canned\r\n{headers}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = stream.write_all(reply.as_bytes());
        return;
    }
    if body == ENDLESS {
        let head = "HTTP/1.1 200 Canned\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
        let chunk = format!("1000\r\n{}\r\n", "x".repeat(4096));
        if stream.write_all(head.as_bytes()).is_err() {
            return;
        }
        while stream.write_all(chunk.as_bytes()).is_ok() {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        return;
    }
    let reply = format!(
        "HTTP/1.1 {status} Canned\r\n{headers}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(reply.as_bytes());
}

/// `auth` (`Bearer TOKEN`) and its token as a hostile API might echo them: header values in
/// base64 and percent-encoding, the token as a header name, and a JSON body with base64
/// (standard, URL-safe, wrapped), percent-encoding, `\u` escapes and hex.
pub fn echoed(auth: &str) -> (String, String) {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let token = auth.split_once(' ').map_or(auth, |(_, t)| t);
    let percent: String = auth.bytes().map(|b| format!("%{b:02X}")).collect();
    let headers = format!(
        "X-Echo-Base64: {}\r\nX-Echo-Percent: {percent}\r\nX-{token}: name\r\n",
        b64(auth)
    );
    let wrapped = b64(&format!("Authorization: {auth}"))
        .as_bytes()
        .chunks(16)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("\\r\\n");
    let body = format!(
        "{{\"base64\":\"{}\",\"base64url\":\"{}\",\"wrapped\":\"{wrapped}\",\"percent\":\"{}\",\"escaped\":\"{}\",\"hex\":\"{}\"}}",
        b64(&format!("x{auth}")),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("xy{token}")),
        percent.to_lowercase(),
        auth.bytes()
            .map(|b| format!("\\u{b:04x}"))
            .collect::<String>(),
        token
            .bytes()
            .map(|b| format!("{b:02x}"))
            .collect::<String>(),
    );
    (headers, body)
}

/// `template` with the request (`head`, `sent`) quoted where [`Canned::quoting`] says.
fn quote(template: &str, head: &str, sent: &[u8]) -> String {
    let body = String::from_utf8_lossy(sent).into_owned();
    let authorization = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("authorization"))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    let credentials = authorization
        .split_once(' ')
        .map(|(_, c)| c.to_string())
        .unwrap_or_default();
    let json = serde_json::to_string(&body).unwrap_or_default();
    let mut out = template
        .replace("{body_json}", json.trim_matches('"'))
        .replace("{body}", &body)
        .replace("{authorization}", &authorization)
        .replace("{credentials}", &credentials);
    let query = head
        .split(' ')
        .nth(1)
        .and_then(|t| t.split_once('?'))
        .map_or("", |(_, q)| q);
    let form = |text: &str, name: &str| {
        url::form_urlencoded::parse(text.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    let header = |name: &str| {
        head.lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_string())
    };
    let kinds = ["{field:", "{query:", "{header:"];
    while let Some((start, kind)) = kinds.iter().find_map(|k| Some((out.find(k)?, *k))) {
        let Some(len) = out[start..].find('}') else {
            break;
        };
        let name = &out[start + kind.len()..start + len];
        let value = match kind {
            "{query:" => form(query, name),
            "{header:" => header(name),
            _ => serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v.get(name)?.as_str().map(str::to_string))
                .or_else(|| form(&body, name)),
        };
        out.replace_range(start..=start + len, &value.unwrap_or_default());
    }
    out
}
