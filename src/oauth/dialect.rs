//! The three token-endpoint dialects as pure functions: shape a grant's request (its
//! [`Field`]s, with the client authenticated by `client_auth`), and parse an untrusted
//! answer into a token or a precise error. Commands never branch on the dialect: they send
//! a grant (`oauth::grant`) and ask [`facts`] what differs ([`require_oauth2`] where only
//! `oauth2` has the endpoint). Below `grant`, above `client_auth` and `http`.

use super::client_auth::{self, ClientRef};
use super::http::{Body, Request, Response};
use crate::config::{Dialect, Environment};
use crate::error::{AppError, OAuthCode, Result};
use crate::fix::{ClientFix, EnvFix, Fix, OtherLogins};
use crate::secret::{Secret, excerpt};
use reqwest::{Method, Url};
use serde_json::{Value, json};

/// What a token endpoint gave us, before it becomes a stored session.
#[derive(Debug, Clone)]
pub struct TokenResponse {
    pub access_token: Secret,
    pub token_type: String,
    pub expires_in: Option<i64>,
    pub scopes: Option<Vec<String>>,
    pub refresh_token: Option<Secret>,
}

/// One parameter of a grant's request; a secret one is never logged.
pub struct Field {
    pub name: &'static str,
    pub value: String,
    pub secret: bool,
}

impl Field {
    pub fn plain(name: &'static str, value: impl Into<String>) -> Field {
        Field {
            name,
            value: value.into(),
            secret: false,
        }
    }

    pub fn secret(name: &'static str, value: &Secret) -> Field {
        Field {
            name,
            value: value.expose().to_string(),
            secret: true,
        }
    }
}

/// What differs between dialects, in one place: the pipeline and commands ask here
/// instead of matching on the dialect themselves.
#[derive(Debug, PartialEq, Eq)]
pub struct Facts {
    /// The token path under `api_base` when no `token_url` is configured.
    pub default_token_path: &'static str,
    /// Whether `login --password` (the resource-owner password grant) is offered.
    pub password_grant: bool,
    /// Whether the client id is derived from an account domain (base64), prompted as such.
    pub client_id_is_domain: bool,
    /// The client a password sign-in uses when neither flag nor config names one.
    pub password_client_id: &'static str,
    /// Whether a password sign-in is made as the profile's stored (confidential) client,
    /// when there is one, rather than as `password_client_id`.
    pub password_as_stored_client: bool,
    /// The `login` flags for storing client credentials.
    pub client_credentials_login: &'static str,
    /// The flags of the usual first sign-in, and the other ways, for hints.
    pub first_login: &'static str,
    pub other_logins: OtherLogins,
}

const OAUTH2: Facts = Facts {
    default_token_path: "/oauth2/token",
    password_grant: true,
    client_id_is_domain: false,
    password_client_id: "gtx",
    password_as_stored_client: true,
    client_credentials_login: "--client-credentials",
    first_login: "--client-credentials",
    other_logins: OtherLogins::FlagOrBrowser("--password"),
};

const OAUTH2_JSON: Facts = Facts {
    default_token_path: "/api/oauth/token",
    password_grant: true,
    client_id_is_domain: false,
    password_client_id: "administration",
    password_as_stored_client: false,
    client_credentials_login: "--client-credentials",
    first_login: "--password",
    other_logins: OtherLogins::Flag("--client-credentials"),
};

const HEADER_TOKEN: Facts = Facts {
    default_token_path: "/api/v1/auth/token",
    password_grant: false,
    client_id_is_domain: true,
    password_client_id: "",
    password_as_stored_client: false,
    client_credentials_login: "--client-credentials --domain DOMAIN",
    first_login: "--client-credentials --domain DOMAIN",
    other_logins: OtherLogins::None,
};

pub fn facts(dialect: Dialect) -> &'static Facts {
    match dialect {
        Dialect::OAuth2 => &OAUTH2,
        Dialect::OAuth2Json => &OAUTH2_JSON,
        Dialect::HeaderToken => &HEADER_TOKEN,
    }
}

/// The configured token URL, else the dialect's usual path under `api_base`.
pub fn token_url(env: &Environment) -> Result<Url> {
    let default = facts(env.dialect).default_token_path;
    let configured = env.token_url.as_deref().filter(|u| !u.is_empty());
    env.endpoint(Some(configured.unwrap_or(default)), "token_url")?
        .ok_or_else(|| AppError::bug("token_url resolved to nothing"))
}

/// Only the `oauth2` dialect has an authorization endpoint.
pub fn require_oauth2(env: &Environment, what: &str) -> Result<()> {
    if env.dialect != Dialect::OAuth2 {
        return Err(AppError::usage(format!(
            "environment {} uses the {} dialect, which has no {what}",
            env.name,
            env.dialect.name()
        )));
    }
    Ok(())
}

/// A grant's fields as the dialect sends them to `url`, with the client authenticated
/// (`client_auth`) and every secret listed for redaction; `oauth::grant::send` is the one
/// caller for the token endpoint.
pub fn request(
    env: &Environment,
    url: Url,
    fields: Vec<Field>,
    client: ClientRef,
) -> Result<Request> {
    let secrets = fields.iter().filter(|f| f.secret).map(|f| f.value.clone());
    let secrets: Vec<String> = secrets.collect();
    let mut req = match env.dialect {
        Dialect::OAuth2 => form(env, url, fields, client)?,
        Dialect::OAuth2Json => json(env, url, fields, client)?,
        Dialect::HeaderToken => header(url, client)?,
    };
    // RFC 9449: a proof with every token call of a DPoP environment, refresh included.
    req.dpop = env.dpop && env.dialect != Dialect::HeaderToken;
    req.secrets.extend(secrets);
    req.headers
        .push(("accept".into(), "application/json".into(), false));
    Ok(req)
}

fn form(env: &Environment, url: Url, fields: Vec<Field>, client: ClientRef) -> Result<Request> {
    let mut req = Request::new(Method::POST, url);
    let mut form: Vec<(String, String)> = fields
        .into_iter()
        .map(|f| (f.name.to_string(), f.value))
        .collect();
    let auth = client_auth::apply(env, &mut req, client, token_url)?;
    form.extend(auth.into_iter().map(|(k, v)| (k.to_string(), v)));
    req.body = Body::Form(form);
    Ok(req)
}

fn json(env: &Environment, url: Url, fields: Vec<Field>, client: ClientRef) -> Result<Request> {
    let mut req = Request::new(Method::POST, url);
    let mut body = json!({});
    for f in fields {
        body[f.name] = f.value.into();
    }
    // The client id always travels in the body here (README, "Dialects"; RFC 6749 section
    // 2.3.1); a secret follows the environment's client_auth.
    body["client_id"] = client.id.into();
    for (k, v) in client_auth::apply(env, &mut req, client, token_url)? {
        body[k] = v.into();
    }
    req.body = Body::Json(body);
    Ok(req)
}

/// The header dialect's one grant: a GET carrying the client's id and secret as headers.
fn header(url: Url, client: ClientRef) -> Result<Request> {
    let secret = client
        .secret
        .ok_or_else(|| AppError::bug("a header-token request without a client secret"))?;
    let mut req = Request::new(Method::GET, url);
    req.headers
        .push(("client-id".into(), client.id.to_string(), false));
    req.headers
        .push(("client-secret".into(), secret.expose().to_string(), true));
    req.secrets.push(secret.expose().to_string());
    Ok(req)
}

/// An endpoint whose answers carry RFC 6749 section 5.2 errors, as its errors name it: the
/// setting they point at is the one to fix.
pub struct Endpoint {
    pub name: &'static str,
    pub field: &'static str,
}

pub const TOKEN_ENDPOINT: Endpoint = Endpoint {
    name: "token endpoint",
    field: "token_url",
};

/// `why`, the status and content type, and a redacted excerpt of the body.
fn describe<'a>(resp: &'a Response, known: &'a [&'a str]) -> impl Fn(&str) -> String + 'a {
    move |why: &str| {
        let ctype = resp.content_type();
        // The server's header, so redacted and cut like its body.
        let ct = match ctype.split(';').next().unwrap_or("") {
            "" => String::new(),
            ct => format!(", {}", excerpt(ct.as_bytes(), known, 60)),
        };
        format!(
            "{why} (HTTP {}{ct}): {}",
            resp.status.as_u16(),
            excerpt(&resp.body, known, 120)
        )
    }
}

fn too_large(resp: &Response, at: &Endpoint) -> AppError {
    AppError::network(format!(
        "{} answered with a body over {} KiB (HTTP {}); not a token response",
        at.name,
        super::http::MAX_BODY / 1024,
        resp.status.as_u16()
    ))
}

/// The error an answer of `at` that is no success means (exit 5 refused, 6 failed, 3 the
/// URL is wrong): for endpoints other than the token endpoint that speak its error shape.
pub fn failure(dialect: Dialect, resp: &Response, secrets: &[String], at: &Endpoint) -> AppError {
    if resp.truncated {
        return too_large(resp, at);
    }
    let known: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let value: Option<Value> = serde_json::from_slice(&resp.body).ok();
    error_from(
        dialect,
        resp,
        value.as_ref(),
        &known,
        &describe(resp, &known),
        at,
    )
}

/// Turns an answer into a token or an error with the right exit code: 5 when the server
/// refused, 6 for failures and unusable answers, 3 when the URL is plainly wrong.
pub fn parse(dialect: Dialect, resp: &Response, secrets: &[String]) -> Result<TokenResponse> {
    let known: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let show = describe(resp, &known);
    if resp.truncated {
        return Err(too_large(resp, &TOKEN_ENDPOINT));
    }
    let value: Option<Value> = serde_json::from_slice(&resp.body).ok();
    let error_in_body = value.as_ref().is_some_and(|v| {
        v.get("error").is_some_and(Value::is_string) && v.get("access_token").is_none()
    });
    if !resp.status.is_success() || error_in_body {
        let at = &TOKEN_ENDPOINT;
        return Err(error_from(dialect, resp, value.as_ref(), &known, &show, at));
    }
    let Some(Value::Object(obj)) = value else {
        return Err(AppError::network(show(
            "unparseable answer from the token endpoint",
        )));
    };
    let (success_obj, token_key, expiry_key) = match dialect {
        Dialect::HeaderToken => (header_envelope(obj, &known, &show)?, "token", "expire_in"),
        _ => (obj, "access_token", "expires_in"),
    };
    let access_token = access_token(success_obj.get(token_key), token_key, &show)?;
    let token_type = match success_obj.get("token_type") {
        Some(Value::String(s)) if !s.is_empty() => {
            crate::sanitize::token_type(s).map_err(|e| AppError::network(show(&e)))?
        }
        None | Some(Value::Null) => "Bearer".to_string(),
        Some(_) => return Err(AppError::network(show("`token_type` is not a string"))),
    };
    let expires_in = match success_obj.get(expiry_key) {
        None | Some(Value::Null) => None,
        Some(v) => Some(seconds(v).ok_or_else(|| {
            AppError::network(show(&format!("`{expiry_key}` is not a number of seconds")))
        })?),
    };
    let scopes = match success_obj
        .get("scope")
        .or_else(|| success_obj.get("scopes"))
    {
        Some(Value::String(s)) => Some(crate::config::split_scopes(s)),
        Some(Value::Array(a)) => Some(
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
        ),
        _ => None,
    };
    let scopes = scopes
        .map(crate::sanitize::scopes)
        .transpose()
        .map_err(|e| AppError::network(show(&e)))?;
    let refresh_token = match success_obj.get("refresh_token") {
        Some(Value::String(s)) if !s.is_empty() => Some(Secret::new(s.clone())),
        _ => None,
    };
    Ok(TokenResponse {
        access_token,
        token_type,
        expires_in,
        scopes,
        refresh_token,
    })
}

/// The token of a successful answer: a non-empty string that can be sent in a header.
fn access_token(value: Option<&Value>, key: &str, show: &dyn Fn(&str) -> String) -> Result<Secret> {
    let why = match value {
        Some(Value::String(s)) if crate::secret::header_safe(s.trim()) => {
            return Ok(Secret::new(s.trim()));
        }
        Some(Value::String(s)) if !s.trim().is_empty() => {
            format!("`{key}` holds characters that cannot be sent in a header")
        }
        Some(_) => format!("`{key}` is not a non-empty string"),
        None => format!("no `{key}` in the token answer"),
    };
    Err(AppError::network(show(&why)))
}

/// The new refresh token of a successful answer that [`parse`] could not use (no access
/// token, a hostile token type, a bad lifetime): the server may have spent the old one
/// already, so the caller keeps this one.
pub fn stray_refresh_token(resp: &Response) -> Option<Secret> {
    if !resp.status.is_success() || resp.truncated {
        return None;
    }
    let value: Value = serde_json::from_slice(&resp.body).ok()?;
    match value.get("refresh_token")? {
        Value::String(s) if crate::secret::header_safe(s) && s.len() <= 16 * 1024 => {
            Some(Secret::new(s.clone()))
        }
        _ => None,
    }
}

/// The header dialect wraps its token: `{"success": true, "data": {…}}`.
fn header_envelope(
    obj: serde_json::Map<String, Value>,
    known: &[&str],
    show: &dyn Fn(&str) -> String,
) -> Result<serde_json::Map<String, Value>> {
    match obj.get("success") {
        Some(Value::Bool(true)) => {}
        Some(Value::Bool(false)) => {
            return Err(AppError::rejected(format!(
                "the token endpoint refused: {}",
                message_of(&obj, known).unwrap_or_else(|| show("no reason given"))
            )));
        }
        _ => {
            return Err(AppError::network(show(
                "token answer without `success: true`",
            )));
        }
    }
    match obj.get("data") {
        Some(Value::Object(data)) => Ok(data.clone()),
        _ => Err(AppError::network(show(
            "token answer without a `data` object",
        ))),
    }
}

/// `3600`, `3600.0` or `"3600"`; negative or absurd values are refused.
fn seconds(v: &Value) -> Option<i64> {
    let n = match v {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    (n.is_finite() && (0.0..=10.0 * 365.0 * 86400.0).contains(&n)).then_some(n as i64)
}

fn message_of(obj: &serde_json::Map<String, Value>, known: &[&str]) -> Option<String> {
    obj.get("message")
        .and_then(Value::as_str)
        .map(|m| crate::secret::excerpt(m.as_bytes(), known, 160))
}

/// The code and description of an error body: RFC 6749 section 5.2, the e-commerce
/// `errors` array, or the header dialect's `message` envelope.
fn error_parts(dialect: Dialect, value: Option<&Value>) -> (Option<String>, Option<String>) {
    let Some(obj) = value.and_then(Value::as_object) else {
        return (None, None);
    };
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    if let Some(e) = obj.get("error").and_then(Value::as_str) {
        return (Some(e.to_string()), text(obj.get("error_description")));
    }
    if let Some(first) = obj
        .get("errors")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
    {
        let detail = first.get("detail").or_else(|| first.get("title"));
        return (text(first.get("code")), text(detail));
    }
    if dialect == Dialect::HeaderToken || obj.contains_key("message") {
        return (None, text(obj.get("message")));
    }
    (None, None)
}

fn error_from(
    dialect: Dialect,
    resp: &Response,
    value: Option<&Value>,
    known: &[&str],
    show: &dyn Fn(&str) -> String,
    at: &Endpoint,
) -> AppError {
    let status = resp.status.as_u16();
    let name = at.name;
    let (code, description) = error_parts(dialect, value);
    let code = code.map(|c| crate::error::OAuthCode::parse(&c));
    let clean = |s: &str| crate::secret::excerpt(s.as_bytes(), known, 160);
    let reason = match (&code, &description) {
        (Some(c), Some(d)) => format!("{} ({})", clean(c.name()), clean(d)),
        (Some(c), None) => clean(c.name()),
        (None, Some(d)) => clean(d),
        (None, None) => String::new(),
    };
    if status == 429 || status >= 500 {
        return AppError::network(show(&format!("the {name} failed after retries")));
    }
    if (300..400).contains(&status) {
        return redirected(resp, known, show, at);
    }
    if status == 404 || status == 405 {
        return AppError::config(show(&format!(
            "the {name} was not found; check {} and dialect",
            at.field
        )));
    }
    // A section 5.2 code saying the server itself is in trouble is not a refusal.
    if code.as_ref().is_some_and(OAuthCode::is_server_trouble) {
        return AppError::network(format!("the {name} failed (HTTP {status}): {reason}"));
    }
    // A 200 carrying an error code is a refusal all the same (some servers do that).
    let refusing_status = (400..500).contains(&status) || (status == 200 && code.is_some());
    let refused = refusing_status && (!reason.is_empty() || matches!(status, 401 | 403));
    if !refused {
        return AppError::network(show(&format!("unexpected answer from the {name}")));
    }
    let reason = if reason.is_empty() {
        show("no reason given")
    } else {
        reason
    };
    let err = AppError::rejected(format!(
        "the {name} refused the request (HTTP {status}): {reason}"
    ));
    let err = match &code {
        Some(c) if c.is_client_refusal() => err.fix(ClientFix::CheckClientCredentials),
        Some(OAuthCode::InvalidGrant) => err.fix(Fix::GrantNoLongerValid),
        _ => err,
    };
    match code {
        Some(c) => err.with_oauth(c),
        None => err,
    }
}

/// gtx never follows a redirect with credentials; say where it pointed, since a trailing
/// `/` (answered with 301 to the URL without it) is the usual cause.
/// The Location is the server's text like its body: one quoting the request (a login
/// page's `?next=`) holds its secrets, redacted here.
fn redirected(
    resp: &Response,
    known: &[&str],
    show: &dyn Fn(&str) -> String,
    at: &Endpoint,
) -> AppError {
    let location = resp
        .headers
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(|to| excerpt(to.as_bytes(), known, 500));
    let err = AppError::config(show(&format!(
        "the {} redirects, and gtx does not follow redirects with credentials",
        at.name
    )));
    let field = at.field;
    match location {
        Some(to) => err.fix(EnvFix::RedirectedTo { to, field }),
        None => err.hint(format!(
            "set {field} to the final URL (a trailing / is a common cause)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use reqwest::StatusCode;

    fn resp(status: u16, ctype: &str, body: &[u8]) -> Response {
        let mut headers = reqwest::header::HeaderMap::new();
        if let Ok(v) = ctype.parse() {
            headers.insert(reqwest::header::CONTENT_TYPE, v);
        }
        Response {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
            headers,
            body: body.to_vec(),
            truncated: false,
        }
    }

    #[test]
    fn stray_refresh_tokens_come_only_from_whole_successful_answers() {
        let json = "application/json";
        let stray = |r: &Response| stray_refresh_token(r).map(|s| s.expose().to_string());
        let body = br#"{"refresh_token":"rt-new"}"#;
        assert_eq!(stray(&resp(200, json, body)), Some("rt-new".into()));
        assert_eq!(stray(&resp(400, json, body)), None);
        let mut cut = resp(200, json, body);
        cut.truncated = true;
        assert_eq!(stray(&cut), None);
        assert_eq!(stray(&resp(200, json, br#"{"refresh_token":"a b"}"#)), None);
        let sized = |n: usize| format!(r#"{{"refresh_token":"{}"}}"#, "r".repeat(n));
        assert!(stray(&resp(200, json, sized(16 * 1024).as_bytes())).is_some());
        assert_eq!(
            stray(&resp(200, json, sized(16 * 1024 + 1).as_bytes())),
            None
        );
    }

    #[test]
    fn oauth2_success_with_string_expiry() {
        let r = resp(
            200,
            "application/json",
            br#"{"access_token":"abc","token_type":"bearer","expires_in":"3600","scope":"a b"}"#,
        );
        let t = parse(Dialect::OAuth2, &r, &[]).expect("parses");
        assert_eq!(t.expires_in, Some(3600));
        assert_eq!(t.token_type, "Bearer");
        assert_eq!(t.scopes, Some(vec!["a".into(), "b".into()]));
    }

    #[test]
    fn header_success_and_failure() {
        let ok = resp(200, "application/json", br#"{"success":true,"data":{"token_type":"Bearer","token":"sandbox_x","expire_in":"3600"},"message":"ok"}"#);
        assert_eq!(
            parse(Dialect::HeaderToken, &ok, &[])
                .expect("ok")
                .access_token
                .expose(),
            "sandbox_x"
        );
        let bad = resp(
            200,
            "application/json",
            br#"{"success":false,"data":null,"message":"Invalid client"}"#,
        );
        assert_eq!(
            parse(Dialect::HeaderToken, &bad, &[])
                .expect_err("refused")
                .exit_code(),
            5
        );
    }

    #[test]
    fn error_bodies_map_to_exit_codes() {
        let r = resp(
            401,
            "application/json",
            br#"{"error":"invalid_client","error_description":"bad secret"}"#,
        );
        let e = parse(Dialect::OAuth2, &r, &[]).expect_err("refused");
        assert_eq!(e.exit_code(), 5);
        assert!(e.message.contains("invalid_client"), "{}", e.message);
        let r = resp(
            401,
            "application/json",
            br#"{"errors":[{"code":"invalid_client","status":"401","detail":"nope"}]}"#,
        );
        assert_eq!(
            parse(Dialect::OAuth2Json, &r, &[])
                .expect_err("refused")
                .exit_code(),
            5
        );
        let r = resp(200, "text/html", b"<html><body>login</body></html>");
        assert_eq!(
            parse(Dialect::OAuth2, &r, &[])
                .expect_err("html")
                .exit_code(),
            6
        );
        let r = resp(503, "text/plain", b"down");
        assert_eq!(
            parse(Dialect::OAuth2, &r, &[])
                .expect_err("5xx")
                .exit_code(),
            6
        );
    }

    #[test]
    fn errors_never_quote_secrets() {
        let r = resp(400, "application/json", br#"{"error":"invalid_grant","error_description":"refresh token rt-SECRET-0123456789abcdef unknown"}"#);
        let e = parse(Dialect::OAuth2, &r, &["rt-SECRET-0123456789abcdef".into()])
            .expect_err("refused");
        assert!(!e.message.contains("0123456789abcdef"), "{}", e.message);
    }

    #[test]
    fn status_classes() {
        let body = br#"{"error":"server_error","error_description":"down"}"#;
        assert_eq!(
            parse(Dialect::OAuth2, &resp(400, "application/json", body), &[])
                .expect_err("e")
                .exit_code(),
            6
        );
        let body = br#"{"error":"invalid_scope"}"#;
        let e = parse(Dialect::OAuth2, &resp(422, "application/json", body), &[]).expect_err("e");
        assert_eq!((e.exit_code(), e.oauth), (5, Some(OAuthCode::InvalidScope)));
        assert_eq!(
            parse(Dialect::OAuth2, &resp(302, "text/html", b""), &[])
                .expect_err("e")
                .exit_code(),
            3
        );
        assert_eq!(
            parse(Dialect::OAuth2, &resp(400, "text/html", b"<html>"), &[])
                .expect_err("e")
                .exit_code(),
            6
        );
        assert_eq!(
            parse(Dialect::OAuth2, &resp(401, "text/html", b"<html>"), &[])
                .expect_err("e")
                .exit_code(),
            5
        );
    }

    #[test]
    fn header_refusal_never_quotes_the_secret() {
        let body = br#"{"success":false,"message":"bad client-secret hdr-SECRET-0123456789"}"#;
        for status in [200, 401] {
            let e = parse(
                Dialect::HeaderToken,
                &resp(status, "application/json", body),
                &["hdr-SECRET-0123456789".into()],
            )
            .expect_err("refused");
            assert_eq!(e.exit_code(), 5);
            assert!(!e.message.contains("0123456789"), "{}", e.message);
        }
    }

    #[test]
    fn tokens_with_spaces_are_refused() {
        let body = br#"{"access_token":"two words","token_type":"Bearer"}"#;
        assert_eq!(
            parse(Dialect::OAuth2, &resp(200, "application/json", body), &[])
                .expect_err("e")
                .exit_code(),
            6
        );
    }

    #[test]
    fn success_fields_are_checked_one_by_one() {
        let parse_body = |body: &str| {
            parse(
                Dialect::OAuth2,
                &resp(200, "application/json", body.as_bytes()),
                &[],
            )
        };
        let e = parse_body(r#"{"access_token":""}"#).expect_err("empty");
        assert!(
            e.message.contains("not a non-empty string"),
            "{}",
            e.message
        );
        let e = parse_body(r#"{"access_token":"two words"}"#).expect_err("spaces");
        assert!(
            e.message.contains("cannot be sent in a header"),
            "{}",
            e.message
        );
        let e = parse_body(r#"{"access_token":"t","token_type":""}"#).expect_err("empty type");
        assert_eq!(e.exit_code(), 6);
        let t = parse_body(r#"{"access_token":"t","scope":["a","b"],"refresh_token":"r"}"#)
            .expect("parses");
        assert_eq!(t.scopes, Some(vec!["a".into(), "b".into()]));
        assert_eq!(t.refresh_token.as_ref().map(Secret::expose), Some("r"));
        let t = parse_body(r#"{"access_token":"t","refresh_token":""}"#).expect("parses");
        assert!(t.refresh_token.is_none());
        assert_eq!(t.token_type, "Bearer");
    }

    #[test]
    fn plain_message_bodies_are_the_reason() {
        let body = br#"{"message":"client is disabled"}"#;
        let e = parse(Dialect::OAuth2, &resp(400, "application/json", body), &[]).expect_err("e");
        assert_eq!(e.exit_code(), 5, "{}", e.message);
        assert!(e.message.contains("client is disabled"), "{}", e.message);
        let body = br#"{"success":false,"message":"Invalid client id"}"#;
        let e = parse(
            Dialect::HeaderToken,
            &resp(200, "application/json", body),
            &[],
        )
        .expect_err("refused");
        assert!(
            e.message.ends_with("refused: Invalid client id"),
            "{}",
            e.message
        );
    }

    #[test]
    fn refusals_hint_by_their_code() {
        let hints = |body: &[u8]| {
            parse(Dialect::OAuth2, &resp(400, "application/json", body), &[])
                .expect_err("refused")
                .hint_lines()
                .join(" | ")
        };
        assert!(hints(br#"{"error":"invalid_client"}"#).contains("client id and secret"));
        assert!(hints(br#"{"error":"unauthorized_client"}"#).contains("client id and secret"));
        assert!(hints(br#"{"error":"invalid_grant"}"#).contains("sign in again"));
        assert_eq!(hints(br#"{"error":"invalid_scope"}"#), "");
    }

    #[test]
    fn a_200_carrying_an_oauth_error_is_a_refusal() {
        let body = br#"{"error":"invalid_client","error_description":"unknown client"}"#;
        let e = parse(Dialect::OAuth2, &resp(200, "application/json", body), &[]).expect_err("e");
        assert_eq!(e.exit_code(), 5, "{}", e.message);
        assert_eq!(e.oauth, Some(OAuthCode::InvalidClient));
        // Only a 200 is read that way: another 2xx with an error is no answer gtx knows.
        let e = parse(Dialect::OAuth2, &resp(202, "application/json", body), &[]).expect_err("e");
        assert_eq!(e.exit_code(), 6, "{}", e.message);
        assert!(e.message.contains("unexpected answer"), "{}", e.message);
    }

    #[test]
    fn a_redirecting_token_endpoint_says_where_it_points() {
        let mut r = resp(301, "text/html", b"");
        r.headers.insert(
            reqwest::header::LOCATION,
            "https://id.example.com/oauth2/token"
                .parse()
                .expect("header"),
        );
        let e = parse(Dialect::OAuth2, &r, &[]).expect_err("e");
        assert_eq!(e.exit_code(), 3);
        assert!(e.message.contains("redirects"), "{}", e.message);
        assert!(
            e.hint_lines()
                .iter()
                .any(|h| h.contains("https://id.example.com/oauth2/token")),
            "{:?}",
            e.hints
        );
    }

    #[test]
    fn expires_in_bounds() {
        let ok = |v: &str| {
            let body = format!(r#"{{"access_token":"t","expires_in":{v}}}"#);
            parse(
                Dialect::OAuth2,
                &resp(200, "application/json", body.as_bytes()),
                &[],
            )
            .map(|t| t.expires_in)
            .map_err(|e| e.exit_code())
        };
        assert_eq!(ok("0"), Ok(Some(0)));
        assert_eq!(ok("3600.9"), Ok(Some(3600)));
        assert_eq!(ok("315360000"), Ok(Some(315_360_000)));
        assert_eq!(ok("315360001"), Err(6));
        assert_eq!(ok("-1"), Err(6));
        assert_eq!(ok("null"), Ok(None));
        assert_eq!(ok(r#""soon""#), Err(6));
    }

    #[test]
    fn statuses_win_over_oauth_bodies() {
        let body = br#"{"error":"invalid_client","error_description":"x"}"#;
        let code = |status| {
            parse(
                Dialect::OAuth2,
                &resp(status, "application/json", body),
                &[],
            )
            .expect_err("e")
            .exit_code()
        };
        assert_eq!(code(429), 6, "rate limited is a failure");
        assert_eq!(code(404), 3, "not found is configuration");
        assert_eq!(code(405), 3);
        assert_eq!(code(500), 6);
        assert_eq!(code(400), 5);
        assert_eq!(code(403), 5);
    }

    #[test]
    fn configured_token_url_wins_over_the_dialect_default() {
        let env = crate::oauth::testing::env(&[
            ("api_base", "https://shop.example.com/base"),
            ("token_url", "https://id.example.com/token"),
        ]);
        assert_eq!(
            token_url(&env).expect("url").as_str(),
            "https://id.example.com/token"
        );
        for (dialect, path) in [
            ("oauth2", "/oauth2/token"),
            ("oauth2-json", "/api/oauth/token"),
            ("header-token", "/api/v1/auth/token"),
        ] {
            let env = crate::oauth::testing::env(&[
                ("api_base", "https://shop.example.com"),
                ("dialect", dialect),
                ("token_url", ""),
            ]);
            assert_eq!(token_url(&env).expect("url").path(), path, "{dialect}");
        }
    }

    proptest! {
        #[test]
        fn parsers_never_panic_on_bytes(status in 100u16..600, body in proptest::collection::vec(any::<u8>(), 0..512)) {
            for d in [Dialect::OAuth2, Dialect::OAuth2Json, Dialect::HeaderToken] {
                let _ = parse(d, &resp(status, "application/json", &body), &[]);
            }
        }

        #[test]
        fn parsers_never_panic_on_json_shapes(
            status in prop::sample::select(vec![200u16, 400, 401, 403, 429, 500]),
            token in prop::option::of(prop_oneof![any::<String>().prop_map(Value::from), any::<i64>().prop_map(Value::from), Just(Value::Null), Just(json!([1]))]),
            expiry in prop::option::of(prop_oneof![any::<String>().prop_map(Value::from), any::<f64>().prop_map(Value::from), any::<i64>().prop_map(Value::from)]),
            success in prop::option::of(any::<bool>()),
        ) {
            let mut obj = serde_json::Map::new();
            if let Some(t) = &token { obj.insert("access_token".into(), t.clone()); }
            if let Some(e) = &expiry { obj.insert("expires_in".into(), e.clone()); }
            let mut data = obj.clone();
            if let Some(t) = token { data.insert("token".into(), t); }
            if let Some(e) = expiry { data.insert("expire_in".into(), e); }
            obj.insert("data".into(), Value::Object(data));
            if let Some(s) = success { obj.insert("success".into(), Value::Bool(s)); }
            let body = serde_json::to_vec(&Value::Object(obj)).unwrap_or_default();
            for d in [Dialect::OAuth2, Dialect::OAuth2Json, Dialect::HeaderToken] {
                if let Ok(t) = parse(d, &resp(status, "application/json", &body), &[]) {
                    prop_assert!(!t.access_token.expose().is_empty());
                }
            }
        }
    }
}
