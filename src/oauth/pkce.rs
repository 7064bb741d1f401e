//! PKCE (RFC 7636, S256 only) and the `state` value of an authorization request: both
//! from the OS's randomness, never from anything guessable.

use crate::error::{AppError, Result};
use crate::secret::Secret;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

pub struct Pkce {
    /// 43 base64url characters from 32 random bytes; sent only to the token endpoint.
    pub verifier: Secret,
    /// BASE64URL(SHA256(verifier)); sent in the browser URL.
    pub challenge: String,
}

fn random_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| AppError::bug(format!("the OS gave no randomness: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

pub fn challenge_of(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

impl Pkce {
    pub fn new() -> Result<Pkce> {
        let verifier = random_token()?;
        Ok(Pkce {
            challenge: challenge_of(&verifier),
            verifier: Secret::new(verifier),
        })
    }
}

/// An unguessable `state` that ties the callback to this login.
pub fn new_state() -> Result<String> {
    random_token()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b() {
        assert_eq!(
            challenge_of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifier_is_43_unreserved_chars_and_fresh() {
        let a = Pkce::new().expect("pkce");
        let b = Pkce::new().expect("pkce");
        assert_eq!(a.verifier.expose().len(), 43);
        assert!(
            a.verifier
                .expose()
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
        assert_ne!(a.verifier.expose(), b.verifier.expose());
        assert_ne!(new_state().expect("state"), new_state().expect("state"));
    }
}
