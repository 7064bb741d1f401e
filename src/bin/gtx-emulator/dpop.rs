//! DPoP (RFC 9449) as a strict server checks it. At the token endpoint a valid proof binds
//! the issued tokens to its key (`token_type: DPoP`); on the API a bound token is taken
//! only as `Authorization: DPoP` with a proof for that request (`htm`, `htu` without query,
//! `iat` within a minute, a `jti` never seen, `ath` of the token, the key it is bound to).
//! `--dpop-nonce required` demands the server's nonce (400 `use_dpop_nonce` at the token
//! endpoint, 401 with `WWW-Authenticate: DPoP error="use_dpop_nonce"` on the API);
//! `--dpop-nonce always` is a broken server that never accepts one.

use crate::assertion::{PublicKey, split};
use crate::state::App;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde_json::{Value, json};
use sha2::Digest;
use std::collections::HashMap;
use std::sync::Arc;

/// How far `iat` may be from the server's clock.
const IAT_WINDOW: i64 = 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum NonceMode {
    Off,
    Required,
    Always,
}

#[derive(Default)]
pub struct DpopState {
    /// Token (access or refresh) → the thumbprint of the key it is bound to.
    pub bound: HashMap<String, String>,
    /// Used proof `jti`s and when they may be forgotten.
    jtis: HashMap<String, i64>,
    nonce: String,
}

pub enum Refusal {
    /// The nonce is missing or stale: the caller answers with a challenge.
    Nonce,
    Invalid(String),
}

fn now() -> i64 {
    crate::state::now() as i64
}

/// The nonce to send back (and to expect next), if nonces are on.
pub fn current_nonce(app: &App) -> Option<String> {
    let mut g = app.lock();
    match app.cfg.dpop_nonce {
        NonceMode::Off => None,
        NonceMode::Required => {
            if g.dpop.nonce.is_empty() {
                g.dpop.nonce = crate::state::random_hex::<16>();
            }
            Some(g.dpop.nonce.clone())
        }
        // A new one every time, none of which is ever accepted.
        NonceMode::Always => Some(crate::state::random_hex::<16>()),
    }
}

/// Checks the proof in `headers` for `method` `htu`; returns the key's thumbprint.
pub fn verify(
    app: &App,
    headers: &HeaderMap,
    method: &str,
    htu: &str,
    access_token: Option<&str>,
) -> Result<String, Refusal> {
    let bad = |why: &str| Refusal::Invalid(why.to_owned());
    let mut proofs = headers.get_all("dpop").iter();
    let (Some(proof), None) = (proofs.next(), proofs.next()) else {
        return Err(bad("exactly one DPoP header is required"));
    };
    let proof = proof
        .to_str()
        .map_err(|_| bad("the DPoP header is not text"))?;
    let jws = split(proof).map_err(Refusal::Invalid)?;
    let h = &jws.header;
    if h.get("typ").and_then(Value::as_str) != Some("dpop+jwt") {
        return Err(bad("typ must be dpop+jwt"));
    }
    if h.get("alg").and_then(Value::as_str) != Some("ES256") {
        return Err(bad("alg must be ES256"));
    }
    let jwk = h.get("jwk").ok_or_else(|| bad("no jwk in the header"))?;
    if jwk.get("d").is_some() {
        return Err(bad("the jwk holds a private key"));
    }
    let coord = |k: &str| {
        jwk.get(k)
            .and_then(Value::as_str)
            .and_then(|v| B64.decode(v).ok())
            .filter(|v| v.len() == 32)
    };
    let (Some(x), Some(y)) = (coord("x"), coord("y")) else {
        return Err(bad("the jwk is not a P-256 public key"));
    };
    if jwk.get("kty").and_then(Value::as_str) != Some("EC")
        || jwk.get("crv").and_then(Value::as_str) != Some("P-256")
    {
        return Err(bad("the jwk is not a P-256 public key"));
    }
    let mut point = vec![4];
    point.extend(x);
    point.extend(y);
    let key = PublicKey::Ec { point };
    key.verify("ES256", jws.input.as_bytes(), &jws.sig)
        .map_err(Refusal::Invalid)?;
    let c = &jws.claims;
    if c.get("htm").and_then(Value::as_str) != Some(method) {
        return Err(bad("htm is not the request's method"));
    }
    if c.get("htu").and_then(Value::as_str) != Some(htu) {
        return Err(Refusal::Invalid(format!(
            "htu is not the request's URI without query and fragment ({htu})"
        )));
    }
    let iat = c
        .get("iat")
        .and_then(Value::as_i64)
        .ok_or_else(|| bad("no iat"))?;
    let now = now();
    if (iat - now).abs() > IAT_WINDOW {
        return Err(bad("iat is not within a minute of now"));
    }
    match access_token {
        Some(token) => {
            let want = B64.encode(sha2::Sha256::digest(token.as_bytes()));
            if c.get("ath").and_then(Value::as_str) != Some(want.as_str()) {
                return Err(bad("ath is not the hash of the access token"));
            }
        }
        None if c.get("ath").is_some() => return Err(bad("ath without an access token")),
        None => {}
    }
    match app.cfg.dpop_nonce {
        NonceMode::Off => {}
        NonceMode::Always => return Err(Refusal::Nonce),
        NonceMode::Required => {
            let expected = app.lock().dpop.nonce.clone();
            if expected.is_empty() || c.get("nonce").and_then(Value::as_str) != Some(&expected) {
                return Err(Refusal::Nonce);
            }
        }
    }
    let jti = c
        .get("jti")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("no jti"))?;
    let mut g = app.lock();
    g.dpop.jtis.retain(|_, until| *until > now);
    if g.dpop
        .jtis
        .insert(jti.to_owned(), now + 2 * IAT_WINDOW)
        .is_some()
    {
        return Err(bad("jti already used (a replayed proof)"));
    }
    g.stats.dpop_proofs += 1;
    Ok(key.thumbprint())
}

fn with_nonce(app: &App, mut r: Response) -> Response {
    if let Some(n) = current_nonce(app).and_then(|n| HeaderValue::from_str(&n).ok()) {
        r.headers_mut().insert("dpop-nonce", n);
    }
    r
}

/// The token endpoint's answer to a refused proof.
pub fn token_refusal(app: &App, why: Refusal) -> Response {
    let r = match why {
        Refusal::Nonce => {
            app.lock().stats.dpop_nonce_challenges += 1;
            crate::reply::oauth_error(
                StatusCode::BAD_REQUEST,
                "use_dpop_nonce",
                "a DPoP nonce is required",
            )
        }
        Refusal::Invalid(why) => {
            crate::reply::oauth_error(StatusCode::BAD_REQUEST, "invalid_dpop_proof", &why)
        }
    };
    with_nonce(app, r)
}

/// A successful token answer bound to `jkt`: `token_type: DPoP`, and the tokens in it
/// remembered as bound.
pub async fn bind(app: &App, r: Response, jkt: Option<String>) -> Response {
    let Some(jkt) = jkt.filter(|_| r.status() == StatusCode::OK) else {
        return with_nonce(app, r);
    };
    let (parts, body) = r.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1 << 20).await else {
        return with_nonce(app, Response::from_parts(parts, axum::body::Body::empty()));
    };
    let Ok(mut v) = serde_json::from_slice::<Value>(&bytes) else {
        return with_nonce(app, Response::from_parts(parts, bytes.into()));
    };
    {
        let mut g = app.lock();
        for k in ["access_token", "refresh_token"] {
            if let Some(t) = v.get(k).and_then(Value::as_str) {
                g.dpop.bound.insert(t.to_owned(), jkt.clone());
            }
        }
    }
    v["token_type"] = "DPoP".into();
    let mut r = crate::reply::json_no_store(StatusCode::OK, &v);
    for (k, val) in parts.headers.iter() {
        if k != header::CONTENT_LENGTH {
            r.headers_mut().entry(k).or_insert(val.clone());
        }
    }
    with_nonce(app, r)
}

fn api_refusal(app: &App, error: &str, description: &str) -> Response {
    let challenge =
        format!("DPoP error=\"{error}\", error_description=\"{description}\", algs=\"ES256\"");
    let mut r = crate::reply::json(
        StatusCode::UNAUTHORIZED,
        &json!({"error": error, "error_description": description}),
    );
    if let Ok(v) = HeaderValue::from_str(&challenge) {
        r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    with_nonce(app, r)
}

/// The API side: a bound token only with its proof; a checked DPoP request goes on as a
/// bearer one, so the handlers behind stay as they are.
pub async fn guard(State(app): State<Arc<App>>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    if !path.starts_with("/api/v1/") || path.starts_with("/api/v1/auth/") {
        return next.run(req).await;
    }
    let auth = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let Some((scheme, token)) = auth.as_deref().and_then(|a| a.split_once(' ')) else {
        return next.run(req).await;
    };
    let bound = app.lock().dpop.bound.get(token).cloned();
    if scheme.eq_ignore_ascii_case("bearer") {
        if bound.is_some() {
            return api_refusal(
                &app,
                "invalid_token",
                "a DPoP-bound token sent as a bearer token",
            );
        }
        return next.run(req).await;
    }
    if !scheme.eq_ignore_ascii_case("dpop") {
        return next.run(req).await;
    }
    let Some(jkt) = bound else {
        return api_refusal(&app, "invalid_token", "not a DPoP-bound token");
    };
    let htu = format!("{}{path}", app.cfg.base_url);
    let method = req.method().as_str().to_owned();
    match verify(&app, req.headers(), &method, &htu, Some(token)) {
        Ok(k) if k == jkt => {}
        Ok(_) => return api_refusal(&app, "invalid_token", "the proof's key is not the token's"),
        Err(Refusal::Nonce) => {
            app.lock().stats.dpop_nonce_challenges += 1;
            return api_refusal(&app, "use_dpop_nonce", "a DPoP nonce is required");
        }
        Err(Refusal::Invalid(why)) => return api_refusal(&app, "invalid_dpop_proof", &why),
    }
    let bearer = format!("Bearer {token}");
    if let Ok(v) = HeaderValue::from_str(&bearer) {
        req.headers_mut().insert(header::AUTHORIZATION, v);
    }
    with_nonce(&app, next.run(req).await)
}
