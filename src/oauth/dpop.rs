//! DPoP (RFC 9449): a key pair per profile (ES256), kept in the store with the session it
//! binds, and a proof JWT per request: `htm`, `htu` (no query, no fragment), `iat`, a fresh
//! `jti`, the server's latest `nonce` for that origin, and `ath` when an access token goes
//! with it. The HTTP layer adds the proof to each attempt (src/oauth/http.rs); this file
//! makes it and decides which sessions may be used. A proof binds a token to a key and does
//! not say which client asks (that is `client_auth`).

use super::key::{Alg, PrivateKey};
use crate::config::Environment;
use crate::error::{AppError, Result};
use crate::secret::Secret;
use crate::store::Session;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use reqwest::Url;
use serde_json::json;
use sha2::Digest;

/// The auth scheme and `token_type` of a DPoP-bound token.
pub const SCHEME: &str = crate::sanitize::DPOP_SCHEME;

pub struct DpopKey {
    key: PrivateKey,
    pem: Secret,
}

impl std::fmt::Debug for DpopKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DpopKey({})", self.thumbprint())
    }
}

impl DpopKey {
    pub fn generate() -> Result<DpopKey> {
        let (key, pem) = PrivateKey::generate_p256()?;
        Ok(DpopKey {
            key,
            pem: Secret::new(pem),
        })
    }

    /// The key a stored session is bound to.
    pub fn from_stored(pem: &Secret) -> Result<DpopKey> {
        let key = PrivateKey::from_pem(pem.expose()).map_err(|e| {
            let message = format!("the stored DPoP key does not parse: {}", e.message);
            AppError::wrapping(crate::error::Kind::Store, message, e)
        })?;
        if key.default_alg() != Alg::ES256 {
            return Err(AppError::store("the stored DPoP key is not a P-256 key"));
        }
        Ok(DpopKey {
            key,
            pem: pem.clone(),
        })
    }

    pub fn pem(&self) -> &Secret {
        &self.pem
    }

    /// RFC 7638: what the server binds the token to (`cnf.jkt`).
    pub fn thumbprint(&self) -> String {
        self.key.thumbprint()
    }

    /// A proof for one request. `access_token`: the token sent with it (`ath`).
    pub fn proof(
        &self,
        method: &str,
        url: &Url,
        nonce: Option<&str>,
        access_token: Option<&str>,
    ) -> Result<String> {
        let header = json!({"typ": "dpop+jwt", "alg": "ES256", "jwk": self.key.public_jwk()});
        let mut jti = [0u8; 16];
        let _ = getrandom::fill(&mut jti);
        let mut claims = json!({
            "jti": B64.encode(jti),
            "htm": method,
            "htu": htu(url),
            "iat": crate::time::now(),
        });
        if let Some(nonce) = nonce {
            claims["nonce"] = nonce.into();
        }
        if let Some(token) = access_token {
            claims["ath"] = ath(token).into();
        }
        self.key.sign(Alg::ES256, &header, &claims)
    }
}

/// RFC 9449 section 4.2: the request URI without query and fragment. Userinfo is no part
/// of an HTTP request target, and a password must not travel inside a signed proof.
pub fn htu(url: &Url) -> String {
    let mut u = url.clone();
    // Fails only for URLs that cannot have userinfo, which then have none.
    let _ = u.set_username("");
    let _ = u.set_password(None);
    u.set_query(None);
    u.set_fragment(None);
    u.to_string()
}

/// base64url(SHA-256(access token)).
pub fn ath(token: &str) -> String {
    B64.encode(sha2::Sha256::digest(token.as_bytes()))
}

pub fn is_dpop(token_type: &str) -> bool {
    token_type.eq_ignore_ascii_case(SCHEME)
}

/// Binds a session just issued to `key` (the key its proofs were signed with): a DPoP
/// environment must get a DPoP token (a server that issues a Bearer one ignored the proof),
/// and a DPoP token without a key could never be used.
pub fn bind(env: &Environment, session: &mut Session, key: Option<&Secret>) -> Result<()> {
    match (key, is_dpop(&session.token_type)) {
        (Some(pem), true) => {
            session.token_type = SCHEME.to_string();
            session.dpop_key = Some(pem.clone());
            Ok(())
        }
        (Some(_), false) => Err(AppError::config(format!(
            "environment {} asks for DPoP-bound tokens, and the server issued a {} token",
            env.name, session.token_type
        ))
        .fix(crate::fix::EnvFix::DpopUnsupported {
            env: env.name.clone(),
        })),
        (None, true) => Err(AppError::config(format!(
            "the server issued a DPoP-bound token for environment {}, which does not use DPoP",
            env.name
        ))
        .fix(crate::fix::EnvFix::SetField {
            env: env.name.clone(),
            field: "dpop",
            value: "true",
        })),
        (None, false) => Ok(()),
    }
}

/// The key a stored session is bound to; `None` for a bearer session.
pub fn key_of(session: &Session) -> Result<Option<DpopKey>> {
    match (is_dpop(&session.token_type), &session.dpop_key) {
        (false, _) => Ok(None),
        (true, Some(pem)) => DpopKey::from_stored(pem).map(Some),
        (true, None) => Err(AppError::store(
            "the stored session is DPoP-bound, and its key is missing",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn htu_never_carries_userinfo() {
        let url = Url::parse("https://me:hunter2@api.example/v1/x?q=1").expect("url");
        assert_eq!(htu(&url), "https://api.example/v1/x");
    }

    #[test]
    fn a_proof_names_the_request_without_its_query() {
        let key = DpopKey::generate().expect("key");
        let url = Url::parse("https://api.example/v1/orders?page=2#top").expect("url");
        let proof = key
            .proof("GET", &url, Some("n-1"), Some("tok"))
            .expect("proof");
        let part = |i: usize| -> serde_json::Value {
            let p = proof.split('.').nth(i).expect("part");
            serde_json::from_slice(&B64.decode(p).expect("b64")).expect("json")
        };
        let (header, claims) = (part(0), part(1));
        assert_eq!(header["typ"], "dpop+jwt");
        assert_eq!(header["jwk"]["kty"], "EC");
        assert!(header["jwk"].get("d").is_none(), "no private part");
        assert_eq!(claims["htu"], "https://api.example/v1/orders");
        assert_eq!(claims["htm"], "GET");
        assert_eq!(claims["nonce"], "n-1");
        assert_eq!(claims["ath"], ath("tok"));
        let again = key.proof("GET", &url, None, None).expect("proof");
        assert_ne!(proof, again);
        // The stored form comes back as the same key.
        let back = DpopKey::from_stored(key.pem()).expect("stored");
        assert_eq!(back.thumbprint(), key.thumbprint());
    }
}
