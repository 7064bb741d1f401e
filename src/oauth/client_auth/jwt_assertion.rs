//! Client assertions (RFC 7523 section 2.2, OpenID Connect Core section 9): a short-lived
//! JWT, `iss` = `sub` = the client id, signed with the client's private key
//! (`private_key_jwt`) or with HMAC over its secret (`client_secret_jwt`), sent in place of
//! the secret at every endpoint that authenticates the client.

use super::TokenUrl;
use crate::config::{ClientAuth, Environment};
use crate::error::{AppError, Result};
use crate::oauth::key::{Alg, PrivateKey, is_pem_key};
use crate::secret::Secret;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde_json::json;

pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// Long enough for a slow network and a clock a little off, short enough that a captured
/// assertion is soon worthless (it is single-use at servers that keep `jti`s anyway).
const LIFETIME: i64 = 120;

/// `private_key_jwt` and `client_secret_jwt` on a request: the assertion's body fields,
/// and a way to sign a new one for each retry (a server that saw the first refuses its
/// `jti`). The assertion is a bearer credential for its short life: logged redacted.
pub fn apply(
    env: &Environment,
    req: &mut crate::oauth::http::Request,
    client: super::ClientRef,
    token_url: TokenUrl,
) -> Result<super::Fields> {
    let fields = fields(env, token_url, client.id, client.secret)?;
    let (env, id, secret) = (env.clone(), client.id.to_string(), client.secret.cloned());
    req.fresh_assertion = Some(std::rc::Rc::new(move || {
        assertion(&env, token_url, &id, secret.as_ref())
    }));
    req.secrets
        .extend(fields.iter().map(|(_, v)| v.clone()).skip(2));
    Ok(fields)
}

/// The body fields that authenticate `client_id` with an assertion.
fn fields(
    env: &Environment,
    token_url: TokenUrl,
    client_id: &str,
    secret: Option<&Secret>,
) -> Result<Vec<(&'static str, String)>> {
    let assertion = assertion(env, token_url, client_id, secret)?;
    Ok(vec![
        ("client_id", client_id.to_string()),
        ("client_assertion_type", ASSERTION_TYPE.to_string()),
        ("client_assertion", assertion),
    ])
}

/// One signed assertion (a new `jti` every time).
fn assertion(
    env: &Environment,
    token_url: TokenUrl,
    client_id: &str,
    secret: Option<&Secret>,
) -> Result<String> {
    let now = crate::time::now();
    let claims = json!({
        "iss": client_id,
        "sub": client_id,
        "aud": audience(env, token_url)?,
        "jti": jti(),
        "iat": now,
        "exp": now + LIFETIME,
    });
    match env.client_auth {
        ClientAuth::PrivateKeyJwt => {
            let Some(pem) = secret.filter(|s| is_pem_key(s.expose())) else {
                return Err(no_key(env));
            };
            let key = PrivateKey::from_pem(pem.expose()).map_err(|e| {
                AppError::store(format!(
                    "the stored client key does not parse: {}",
                    e.message
                ))
            })?;
            let alg = alg_for(env, &key)?;
            let kid = env
                .client_key_id
                .clone()
                .unwrap_or_else(|| key.thumbprint());
            key.sign(
                alg,
                &json!({"alg": alg.name(), "typ": "JWT", "kid": kid}),
                &claims,
            )
        }
        ClientAuth::ClientSecretJwt => {
            let Some(secret) = secret.filter(|s| !is_pem_key(s.expose())) else {
                return Err(AppError::not_signed_in(format!(
                    "environment {} authenticates clients with client_secret_jwt, and the profile holds no client secret",
                    env.name
                ))
                .fix(crate::fix::ClientFix::StoreClientSecret {
                    env: env.name.clone(),
                }));
            };
            Ok(hs256(secret.expose(), &claims))
        }
        _ => Err(AppError::bug(
            "a client assertion for a secret-sending client_auth",
        )),
    }
}

fn no_key(env: &Environment) -> AppError {
    AppError::not_signed_in(format!(
        "environment {} authenticates clients with private_key_jwt, and the profile holds no private key",
        env.name
    ))
    .fix(crate::fix::ClientFix::StoreClientKey {
        env: env.name.clone(),
    })
}

/// The configured `client_assertion_alg`, else the key's own (RSA: RS256).
pub fn alg_for(env: &Environment, key: &PrivateKey) -> Result<Alg> {
    let alg = match env.client_assertion_alg.as_deref() {
        None => key.default_alg(),
        Some(name) => Alg::parse(name).ok_or_else(|| {
            AppError::config(format!(
                "client_assertion_alg {name:?} is not one of RS256, PS256, ES256, EdDSA"
            ))
        })?,
    };
    if !key.fits(alg) {
        return Err(AppError::config(format!(
            "environment {}'s client_assertion_alg is {}, which a {} key cannot sign",
            env.name,
            alg.name(),
            key.kind()
        )));
    }
    Ok(alg)
}

/// `client_assertion_aud`: `issuer`, `token_url`, or a value sent as is; unset, the issuer
/// when the environment knows it (draft-ietf-oauth-rfc7523bis), else the token endpoint.
pub fn audience(env: &Environment, token_url: TokenUrl) -> Result<String> {
    let token_url = || token_url(env).map(|u| u.to_string());
    match env.client_assertion_aud.as_deref() {
        Some("issuer") => env.issuer.clone().ok_or_else(|| {
            AppError::config(format!(
                "environment {}'s client_assertion_aud is issuer, and it has no issuer",
                env.name
            ))
        }),
        Some("token_url") => token_url(),
        Some(other) => Ok(other.to_string()),
        None => match &env.issuer {
            Some(issuer) => Ok(issuer.clone()),
            None => token_url(),
        },
    }
}

fn jti() -> String {
    let mut b = [0u8; 16];
    // A failing OS random source leaves zeros; the time keeps the value unique enough to
    // not be refused as a replay, and the signature does not depend on it.
    let _ = getrandom::fill(&mut b);
    B64.encode(b)
}

fn hs256(secret: &str, claims: &serde_json::Value) -> String {
    let header = json!({"alg": "HS256", "typ": "JWT"});
    let input = format!(
        "{}.{}",
        B64.encode(header.to_string()),
        B64.encode(claims.to_string())
    );
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret.as_bytes());
    let tag = ring::hmac::sign(&key, input.as_bytes());
    format!("{input}.{}", B64.encode(tag.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::dialect::token_url;

    /// The assertion fields for client `app` holding `secret` (a secret or a PEM key).
    fn fields_for(e: &Environment, secret: &str) -> Result<Vec<(&'static str, String)>> {
        fields(e, token_url, "app", Some(&Secret::new(secret)))
    }

    fn env(fields: &[(&str, &str)]) -> Environment {
        let mut env = Environment::blank("corp");
        for (k, v) in [("api_base", "https://as.example")]
            .iter()
            .chain(fields.iter())
        {
            crate::config::field(k)
                .expect("field")
                .apply(&mut env, v)
                .expect("valid");
        }
        env
    }

    fn claims(jwt: &str) -> serde_json::Value {
        let part = jwt.split('.').nth(1).expect("claims");
        serde_json::from_slice(&B64.decode(part).expect("b64")).expect("json")
    }

    #[test]
    fn the_audience_is_the_issuer_when_known_else_the_token_endpoint_unless_configured() {
        let e = env(&[("token_url", "/oauth2/token")]);
        assert_eq!(
            audience(&e, token_url).expect("aud"),
            "https://as.example/oauth2/token"
        );
        let e = env(&[("token_url", "/t"), ("issuer", "https://as.example/realm")]);
        assert_eq!(
            audience(&e, token_url).expect("aud"),
            "https://as.example/realm"
        );
        let e = env(&[
            ("token_url", "/t"),
            ("issuer", "https://as.example/realm"),
            ("client_assertion_aud", "token_url"),
        ]);
        assert_eq!(
            audience(&e, token_url).expect("aud"),
            "https://as.example/t"
        );
        let e = env(&[("client_assertion_aud", "issuer")]);
        assert!(audience(&e, token_url).is_err());
    }

    #[test]
    fn a_secret_jwt_is_hs256_over_the_secret_with_the_rfc_7523_claims() {
        let e = env(&[("client_auth", "client_secret_jwt")]);
        let f = fields_for(&e, "s3cret-s3cret-s3cret").expect("fields");
        assert_eq!(f[1], ("client_assertion_type", ASSERTION_TYPE.to_string()));
        let jwt = &f[2].1;
        let c = claims(jwt);
        assert_eq!(
            (c["iss"].as_str(), c["sub"].as_str()),
            (Some("app"), Some("app"))
        );
        let (iat, exp) = (
            c["iat"].as_i64().expect("iat"),
            c["exp"].as_i64().expect("exp"),
        );
        assert_eq!(exp - iat, LIFETIME);
        let (input, sig) = jwt.rsplit_once('.').expect("jws");
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"s3cret-s3cret-s3cret");
        ring::hmac::verify(&key, input.as_bytes(), &B64.decode(sig).expect("b64"))
            .expect("HS256 verifies");
        // Every assertion is new.
        let again = fields_for(&e, "s3cret-s3cret-s3cret").expect("f");
        assert_ne!(claims(&again[2].1)["jti"], c["jti"]);
    }

    #[test]
    fn a_key_jwt_without_a_key_is_not_signed_in() {
        let e = env(&[("client_auth", "private_key_jwt")]);
        let err = fields_for(&e, "just-a-secret-value").expect_err("no key");
        assert_eq!(err.exit_code(), 4);
        assert!(
            err.hint_lines()
                .iter()
                .any(|h| h.contains("--client-key-stdin"))
        );
    }
}
