//! A private key that signs JWS (RFC 7515) compact serializations with ring: RSA (RS256,
//! PS256), EC P-256 (ES256) or Ed25519 (EdDSA), read from PEM (PKCS#8, PKCS#1, SEC1), and
//! named by its RFC 7638 JWK thumbprint. Client assertions (`client_auth::jwt_assertion`)
//! and DPoP proofs (`dpop`) both sign with it.

use crate::error::{AppError, Result};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, Ed25519KeyPair, KeyPair, RsaKeyPair};
use rustls::pki_types::PrivateKeyDer;
use rustls::pki_types::pem::PemObject;
use serde_json::{Value, json};
use sha2::Digest;

pub use crate::jws::Alg;

enum Pair {
    Rsa(RsaKeyPair),
    Ec(EcdsaKeyPair),
    Ed(Ed25519KeyPair),
}

pub struct PrivateKey {
    pair: Pair,
    /// The public JWK: only the members RFC 7638 hashes (so also what a server registers).
    public: Value,
}

// Never the key material.
impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PrivateKey({})", self.kind())
    }
}

const SUPPORTED: &str = "gtx signs with RSA (2048 to 4096 bits; RS256, PS256), EC P-256 (ES256) or Ed25519 (EdDSA) keys";

fn bad(why: impl Into<String>) -> AppError {
    AppError::usage(why.into())
}

/// Whether `text` looks like a PEM private key: how the store tells a key from a secret.
pub fn is_pem_key(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with("-----BEGIN ") && t.contains("PRIVATE KEY-----")
}

impl PrivateKey {
    /// Parses a PEM private key; every refusal says what was wrong and nothing is kept.
    pub fn from_pem(pem: &str) -> Result<PrivateKey> {
        if pem.contains("ENCRYPTED") {
            return Err(bad(
                "the key is encrypted with a passphrase, and gtx does not decrypt keys; give it \
                 decrypted (openssl pkey -in key.pem) on stdin: the store keeps it as a secret",
            ));
        }
        let der = PrivateKeyDer::from_pem_slice(pem.as_bytes()).map_err(|_| {
            let what = if pem.contains("PUBLIC KEY") || pem.contains("CERTIFICATE") {
                "that is a public key or a certificate; the client's private key is needed"
            } else {
                "not a PEM private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)"
            };
            bad(what)
        })?;
        let rng = SystemRandom::new();
        let pair = match &der {
            PrivateKeyDer::Pkcs1(k) => RsaKeyPair::from_der(k.secret_pkcs1_der())
                .map(Pair::Rsa)
                .map_err(|e| rsa_refused(&e))?,
            PrivateKeyDer::Sec1(k) => {
                let pkcs8 = sec1_to_pkcs8(k.secret_sec1_der());
                EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &pkcs8, &rng)
                    .map(Pair::Ec)
                    .map_err(|_| bad(format!("the EC key is not on P-256: {SUPPORTED}")))?
            }
            PrivateKeyDer::Pkcs8(k) => from_pkcs8(k.secret_pkcs8_der(), &rng)?,
            _ => return Err(bad(format!("an unknown kind of private key: {SUPPORTED}"))),
        };
        let public = match &pair {
            Pair::Rsa(k) => {
                let c: signature::RsaPublicKeyComponents<Vec<u8>> = k.public().into();
                json!({"e": B64.encode(&c.e), "kty": "RSA", "n": B64.encode(&c.n)})
            }
            Pair::Ec(k) => {
                // Uncompressed point: 0x04 || x || y.
                let point = k.public_key().as_ref();
                json!({"crv": "P-256", "kty": "EC", "x": B64.encode(&point[1..33]), "y": B64.encode(&point[33..65])})
            }
            Pair::Ed(k) => {
                json!({"crv": "Ed25519", "kty": "OKP", "x": B64.encode(k.public_key().as_ref())})
            }
        };
        Ok(PrivateKey { pair, public })
    }

    /// A fresh P-256 key and its PKCS#8 PEM (what the store keeps).
    pub fn generate_p256() -> Result<(PrivateKey, String)> {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .map_err(|_| AppError::bug("cannot make a P-256 key"))?;
        let b64 = base64::engine::general_purpose::STANDARD.encode(pkcs8.as_ref());
        let mut pem = String::from("-----BEGIN PRIVATE KEY-----\n");
        for line in b64.as_bytes().chunks(64) {
            pem.push_str(&String::from_utf8_lossy(line));
            pem.push('\n');
        }
        pem.push_str("-----END PRIVATE KEY-----\n");
        Ok((PrivateKey::from_pem(&pem)?, pem))
    }

    pub fn kind(&self) -> &'static str {
        match self.pair {
            Pair::Rsa(_) => "RSA",
            Pair::Ec(_) => "EC P-256",
            Pair::Ed(_) => "Ed25519",
        }
    }

    /// The algorithm a key signs with unless told otherwise (RSA: RS256).
    pub fn default_alg(&self) -> Alg {
        match self.pair {
            Pair::Rsa(_) => Alg::RS256,
            Pair::Ec(_) => Alg::ES256,
            Pair::Ed(_) => Alg::EdDSA,
        }
    }

    /// Whether this key can sign with `alg` (an RSA key both RS256 and PS256).
    pub fn fits(&self, alg: Alg) -> bool {
        matches!(
            (&self.pair, alg),
            (Pair::Rsa(_), Alg::RS256 | Alg::PS256)
                | (Pair::Ec(_), Alg::ES256)
                | (Pair::Ed(_), Alg::EdDSA)
        )
    }

    /// The public key as a JWK (the members RFC 7638 hashes).
    pub fn public_jwk(&self) -> &Value {
        &self.public
    }

    /// RFC 7638: base64url(SHA-256(the required members, sorted, no whitespace)).
    pub fn thumbprint(&self) -> String {
        // serde_json keeps insertion order here (preserve_order), and the members were
        // inserted sorted.
        let canonical = self.public.to_string();
        B64.encode(sha2::Sha256::digest(canonical.as_bytes()))
    }

    /// `header.claims.signature`, signed with `alg` (which the caller checked with `fits`).
    pub fn sign(&self, alg: Alg, header: &Value, claims: &Value) -> Result<String> {
        let input = format!(
            "{}.{}",
            B64.encode(header.to_string()),
            B64.encode(claims.to_string())
        );
        let rng = SystemRandom::new();
        let failed = |_| AppError::bug(format!("{} signing failed", alg.name()));
        let sig = match (&self.pair, alg) {
            (Pair::Rsa(k), Alg::RS256 | Alg::PS256) => {
                let padding: &dyn signature::RsaEncoding = match alg {
                    Alg::PS256 => &signature::RSA_PSS_SHA256,
                    _ => &signature::RSA_PKCS1_SHA256,
                };
                let mut sig = vec![0; k.public().modulus_len()];
                k.sign(padding, &rng, input.as_bytes(), &mut sig)
                    .map_err(failed)?;
                sig
            }
            (Pair::Ec(k), Alg::ES256) => k
                .sign(&rng, input.as_bytes())
                .map_err(failed)?
                .as_ref()
                .to_vec(),
            (Pair::Ed(k), Alg::EdDSA) => k.sign(input.as_bytes()).as_ref().to_vec(),
            _ => {
                return Err(AppError::bug(format!(
                    "a {} key cannot sign {}",
                    self.kind(),
                    alg.name()
                )));
            }
        };
        Ok(format!("{input}.{}", B64.encode(sig)))
    }
}

fn from_pkcs8(der: &[u8], rng: &SystemRandom) -> Result<Pair> {
    if let Ok(k) = Ed25519KeyPair::from_pkcs8_maybe_unchecked(der) {
        return Ok(Pair::Ed(k));
    }
    if let Ok(k) = EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, der, rng) {
        return Ok(Pair::Ec(k));
    }
    match RsaKeyPair::from_pkcs8(der) {
        Ok(k) => Ok(Pair::Rsa(k)),
        Err(e) if e.to_string() == "WrongAlgorithm" => {
            let curve =
                if EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P384_SHA384_FIXED_SIGNING, der, rng)
                    .is_ok()
                {
                    "an EC P-384 key (ES384) is not supported: "
                } else {
                    "an unsupported kind of key: "
                };
            Err(bad(format!("{curve}{SUPPORTED}")))
        }
        Err(e) => Err(rsa_refused(&e)),
    }
}

/// ring's reason as a sentence: an RSA key's size is the one a person can act on.
fn rsa_refused(e: &ring::error::KeyRejected) -> AppError {
    let why = match e.to_string().as_str() {
        "TooLarge" => "the RSA key is larger than 4096 bits".to_string(),
        "TooSmall" => "the RSA key is smaller than 2048 bits".to_string(),
        other => format!("the key is not usable ({other})"),
    };
    bad(format!("{why}: {SUPPORTED}"))
}

/// RFC 5915's ECPrivateKey (`BEGIN EC PRIVATE KEY`) wrapped as the PKCS#8 ring reads, for
/// P-256 (ring checks the curve named inside against this one).
fn sec1_to_pkcs8(sec1: &[u8]) -> Vec<u8> {
    const ALG: &[u8] = &[
        0x30, 0x13, // SEQUENCE
        0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, // id-ecPublicKey
        0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, // prime256v1
    ];
    let mut body = vec![0x02, 0x01, 0x00];
    body.extend_from_slice(ALG);
    body.extend(der_tlv(0x04, sec1));
    der_tlv(0x30, &body)
}

fn der_tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let path = format!("{}/tests/fixtures/keys/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(path).expect("fixture")
    }

    #[test]
    fn rsa_keys_outside_2048_to_4096_bits_are_refused_with_the_range() {
        for (name, says) in [
            ("rsa-8192.pem", "larger than 4096 bits"),
            ("rsa-1024.pem", "smaller than 2048 bits"),
        ] {
            let err = PrivateKey::from_pem(&fixture(name)).expect_err(name);
            assert_eq!(err.kind, crate::error::Kind::Usage, "{name}");
            assert!(err.message.contains(says), "{name}: {}", err.message);
            assert!(!err.message.contains("Too"), "{name}: {}", err.message);
            assert!(err.message.contains("2048 to 4096 bits"), "{}", err.message);
        }
    }

    fn verify(key: &PrivateKey, alg: Alg, jws: &str) {
        let (input, sig) = jws.rsplit_once('.').expect("jws");
        let sig = B64.decode(sig).expect("b64");
        let jwk = key.public_jwk();
        let d = |k: &str| B64.decode(jwk[k].as_str().expect("member")).expect("b64");
        let ok = match alg {
            Alg::RS256 | Alg::PS256 => {
                let params = match alg {
                    Alg::PS256 => &signature::RSA_PSS_2048_8192_SHA256,
                    _ => &signature::RSA_PKCS1_2048_8192_SHA256,
                };
                signature::RsaPublicKeyComponents {
                    n: d("n"),
                    e: d("e"),
                }
                .verify(params, input.as_bytes(), &sig)
                .is_ok()
            }
            Alg::ES256 => {
                let mut point = vec![4];
                point.extend(d("x"));
                point.extend(d("y"));
                signature::UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, point)
                    .verify(input.as_bytes(), &sig)
                    .is_ok()
            }
            Alg::EdDSA => signature::UnparsedPublicKey::new(&signature::ED25519, d("x"))
                .verify(input.as_bytes(), &sig)
                .is_ok(),
        };
        assert!(ok, "{} signature does not verify", alg.name());
    }

    #[test]
    fn every_supported_key_form_signs_what_its_public_jwk_verifies() {
        for (file, algs) in [
            ("rsa.pem", &[Alg::RS256, Alg::PS256][..]),
            ("rsa-pkcs1.pem", &[Alg::RS256][..]),
            ("ec.pem", &[Alg::ES256][..]),
            ("ec-sec1.pem", &[Alg::ES256][..]),
            ("ed25519.pem", &[Alg::EdDSA][..]),
        ] {
            let key = PrivateKey::from_pem(&fixture(file)).expect(file);
            assert_eq!(key.default_alg(), algs[0], "{file}");
            for alg in algs {
                let jws = key
                    .sign(*alg, &json!({"alg": alg.name()}), &json!({"a": 1}))
                    .expect("sign");
                verify(&key, *alg, &jws);
            }
        }
        // PKCS#1 and PKCS#8 forms of one key are one key.
        let a = PrivateKey::from_pem(&fixture("rsa.pem")).expect("rsa");
        let b = PrivateKey::from_pem(&fixture("rsa-pkcs1.pem")).expect("rsa");
        assert_eq!(a.thumbprint(), b.thumbprint());
        let a = PrivateKey::from_pem(&fixture("ec.pem")).expect("ec");
        let b = PrivateKey::from_pem(&fixture("ec-sec1.pem")).expect("ec");
        assert_eq!(a.thumbprint(), b.thumbprint());
    }

    #[test]
    fn the_thumbprint_is_rfc_7638s() {
        // RFC 7638 section 3.1's example key and thumbprint.
        let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
        let key = PrivateKey {
            pair: Pair::Ed(Ed25519KeyPair::from_seed_unchecked(&[7; 32]).expect("seed")),
            public: json!({"e": "AQAB", "kty": "RSA", "n": n}),
        };
        assert_eq!(
            key.thumbprint(),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn bad_keys_say_what_is_wrong() {
        let msg = |pem: &str| PrivateKey::from_pem(pem).expect_err("refused").message;
        assert!(msg(&fixture("ec-encrypted.pem")).contains("encrypted"));
        assert!(msg(&fixture("ec-p384.pem")).contains("P-384"));
        assert!(msg(&fixture("ec.pub.pem")).contains("public key"));
        assert!(msg("just a secret").contains("not a PEM private key"));
        assert!(is_pem_key(&fixture("ec.pem")));
        assert!(!is_pem_key("s3cr3t"));
    }
}
