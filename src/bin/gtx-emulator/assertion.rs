//! Client assertions (RFC 7523 section 2.2) as a strict server checks them: the type, the
//! signature (the registered public key of a `--key-client`, or HS256 over a `--client`'s
//! secret), `iss` = `sub` = the client, `aud` the issuer or the token endpoint, `exp` in
//! the future and near, and a `jti` never seen before.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ring::signature;
use serde_json::Value;
use sha2::Digest;
use std::collections::HashMap;

pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The longest `exp - now` accepted: an assertion is short-lived.
const MAX_LIFETIME: i64 = 600;

#[derive(Clone, Debug)]
pub enum PublicKey {
    Rsa { n: Vec<u8>, e: Vec<u8> },
    Ec { point: Vec<u8> },
    Ed { x: Vec<u8> },
}

#[derive(Clone, Debug)]
pub struct KeyClient {
    pub id: String,
    pub key: PublicKey,
}

/// `--key-client ID:FILE`, FILE a PEM public key (`openssl pkey -pubout`).
pub fn parse_key_client(s: &str) -> Result<KeyClient, String> {
    let (id, file) = s
        .split_once(':')
        .filter(|(id, f)| !id.is_empty() && !f.is_empty())
        .ok_or("expected ID:PUBLIC_KEY_PEM_FILE")?;
    let pem = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
    let b64: String = pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<Vec<_>>()
        .concat();
    let der = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|e| format!("{file}: not PEM: {e}"))?;
    Ok(KeyClient {
        id: id.to_owned(),
        key: spki(&der)
            .ok_or_else(|| format!("{file}: not an RSA, P-256 or Ed25519 public key"))?,
    })
}

/// One DER element: (tag, content, rest).
fn tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | *b as usize);
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

fn unsigned(int: &[u8]) -> Vec<u8> {
    int.iter().skip_while(|b| **b == 0).copied().collect()
}

/// SubjectPublicKeyInfo (RFC 5280) to the key ring verifies with.
fn spki(der: &[u8]) -> Option<PublicKey> {
    const RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    const EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
    const P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
    const ED25519: &[u8] = &[0x2b, 0x65, 0x70];
    let (_, body, _) = tlv(der).filter(|(t, _, _)| *t == 0x30)?;
    let (_, alg, rest) = tlv(body).filter(|(t, _, _)| *t == 0x30)?;
    let (_, bits, _) = tlv(rest).filter(|(t, _, _)| *t == 0x03)?;
    let key = bits.get(1..)?;
    let (_, oid, params) = tlv(alg).filter(|(t, _, _)| *t == 0x06)?;
    match oid {
        RSA => {
            let (_, seq, _) = tlv(key)?;
            let (_, n, rest) = tlv(seq)?;
            let (_, e, _) = tlv(rest)?;
            Some(PublicKey::Rsa {
                n: unsigned(n),
                e: unsigned(e),
            })
        }
        EC => {
            let (_, curve, _) = tlv(params)?;
            (curve == P256 && key.len() == 65).then(|| PublicKey::Ec {
                point: key.to_vec(),
            })
        }
        ED25519 => (key.len() == 32).then(|| PublicKey::Ed { x: key.to_vec() }),
        _ => None,
    }
}

impl PublicKey {
    /// RFC 7638 thumbprint, written out member by member.
    pub fn thumbprint(&self) -> String {
        let canonical = match self {
            PublicKey::Rsa { n, e } => format!(
                r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
                B64.encode(e),
                B64.encode(n)
            ),
            PublicKey::Ec { point } => format!(
                r#"{{"crv":"P-256","kty":"EC","x":"{}","y":"{}"}}"#,
                B64.encode(&point[1..33]),
                B64.encode(&point[33..65])
            ),
            PublicKey::Ed { x } => {
                format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#, B64.encode(x))
            }
        };
        B64.encode(sha2::Sha256::digest(canonical.as_bytes()))
    }

    /// Whether `sig` over `input` verifies under `alg` with this key.
    pub fn verify(&self, alg: &str, input: &[u8], sig: &[u8]) -> Result<(), String> {
        let ok = match (self, alg) {
            (PublicKey::Rsa { n, e }, "RS256" | "PS256") => {
                let params = match alg {
                    "PS256" => &signature::RSA_PSS_2048_8192_SHA256,
                    _ => &signature::RSA_PKCS1_2048_8192_SHA256,
                };
                signature::RsaPublicKeyComponents { n, e }
                    .verify(params, input, sig)
                    .is_ok()
            }
            (PublicKey::Ec { point }, "ES256") => {
                signature::UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, point)
                    .verify(input, sig)
                    .is_ok()
            }
            (PublicKey::Ed { x }, "EdDSA" | "Ed25519") => {
                signature::UnparsedPublicKey::new(&signature::ED25519, x)
                    .verify(input, sig)
                    .is_ok()
            }
            _ => return Err(format!("alg {alg} does not fit the registered key")),
        };
        ok.then_some(())
            .ok_or_else(|| "signature does not verify".to_owned())
    }
}

/// A JWS in compact form: header, claims, signing input and signature.
pub struct Jws {
    pub header: Value,
    pub claims: Value,
    pub input: String,
    pub sig: Vec<u8>,
}

pub fn split(jws: &str) -> Result<Jws, String> {
    let mut parts = jws.split('.');
    let (Some(h), Some(c), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("not a compact JWS".to_owned());
    };
    let json = |part: &str, what: &str| {
        B64.decode(part)
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
            .filter(Value::is_object)
            .ok_or_else(|| format!("the {what} is not base64url JSON"))
    };
    Ok(Jws {
        header: json(h, "header")?,
        claims: json(c, "claims")?,
        input: format!("{h}.{c}"),
        sig: B64
            .decode(s)
            .map_err(|_| "the signature is not base64url".to_owned())?,
    })
}

/// What the verifier needs from the emulator: the clients and where it is.
pub struct Registry<'a> {
    pub key_clients: &'a [KeyClient],
    pub secret_of: &'a dyn Fn(&str) -> Option<String>,
    pub audiences: [String; 2],
}

/// Checks an assertion; returns the client id it authenticates, or why not.
/// `seen` keeps used `jti`s with their `exp`.
pub fn verify(
    reg: &Registry<'_>,
    params: &HashMap<String, String>,
    seen: &mut HashMap<String, i64>,
    now: i64,
) -> Result<String, String> {
    if params.get("client_assertion_type").map(String::as_str) != Some(ASSERTION_TYPE) {
        return Err("client_assertion_type must be jwt-bearer".to_owned());
    }
    let jws = split(
        params
            .get("client_assertion")
            .ok_or("missing client_assertion")?,
    )?;
    let claim = |k: &str| jws.claims.get(k);
    let iss = claim("iss").and_then(Value::as_str).ok_or("no iss")?;
    if claim("sub").and_then(Value::as_str) != Some(iss) {
        return Err("sub must equal iss".to_owned());
    }
    if params.get("client_id").is_some_and(|id| id != iss) {
        return Err("client_id does not match the assertion's iss".to_owned());
    }
    let alg = jws
        .header
        .get("alg")
        .and_then(Value::as_str)
        .ok_or("no alg")?;
    match alg {
        "HS256" => {
            let secret = (reg.secret_of)(iss).ok_or("no client with a secret by that iss")?;
            let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret.as_bytes());
            ring::hmac::verify(&key, jws.input.as_bytes(), &jws.sig)
                .map_err(|_| "HS256 signature does not verify".to_owned())?;
        }
        "none" => return Err("alg none".to_owned()),
        _ => {
            let client = reg
                .key_clients
                .iter()
                .find(|c| c.id == iss)
                .ok_or("no client with a key by that iss")?;
            if let Some(kid) = jws.header.get("kid")
                && kid.as_str() != Some(client.key.thumbprint().as_str())
            {
                return Err("kid is not the registered key's RFC 7638 thumbprint".to_owned());
            }
            client.key.verify(alg, jws.input.as_bytes(), &jws.sig)?;
        }
    }
    let aud_ok = match claim("aud") {
        Some(Value::String(a)) => reg.audiences.contains(a),
        Some(Value::Array(list)) => list.iter().any(|a| {
            a.as_str()
                .is_some_and(|a| reg.audiences.iter().any(|x| x == a))
        }),
        _ => false,
    };
    if !aud_ok {
        return Err(format!(
            "aud must be the issuer or the token endpoint ({})",
            reg.audiences.join(" or ")
        ));
    }
    let exp = claim("exp").and_then(Value::as_i64).ok_or("no exp")?;
    if exp <= now {
        return Err("the assertion has expired".to_owned());
    }
    if exp > now + MAX_LIFETIME {
        return Err("exp is too far in the future for an assertion".to_owned());
    }
    let jti = claim("jti").and_then(Value::as_str).ok_or("no jti")?;
    seen.retain(|_, exp| *exp > now);
    if seen.insert(jti.to_owned(), exp).is_some() {
        return Err("jti already used (a replayed assertion)".to_owned());
    }
    Ok(iss.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "s3cret-s3cret";

    fn hs256(claims: &Value) -> String {
        let h = B64.encode(br#"{"alg":"HS256"}"#);
        let c = B64.encode(claims.to_string());
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, SECRET.as_bytes());
        let sig = ring::hmac::sign(&key, format!("{h}.{c}").as_bytes());
        format!("{h}.{c}.{}", B64.encode(sig.as_ref()))
    }

    fn check(assertion: &str, seen: &mut HashMap<String, i64>) -> Result<String, String> {
        let secret_of = |id: &str| (id == "app").then(|| SECRET.to_owned());
        let reg = Registry {
            key_clients: &[],
            secret_of: &secret_of,
            audiences: ["https://as".into(), "https://as/token".into()],
        };
        let params = HashMap::from([
            (
                "client_assertion_type".to_owned(),
                ASSERTION_TYPE.to_owned(),
            ),
            ("client_assertion".to_owned(), assertion.to_owned()),
        ]);
        verify(&reg, &params, seen, 1000)
    }

    #[test]
    fn each_rule_refuses() {
        let good =
            serde_json::json!({"iss":"app","sub":"app","aud":"https://as","exp":1100,"jti":"j1"});
        let mut seen = HashMap::new();
        assert_eq!(check(&hs256(&good), &mut seen), Ok("app".to_owned()));
        let replay = check(&hs256(&good), &mut seen).expect_err("replay");
        assert!(replay.contains("jti already used"), "{replay}");
        let with = |k: &str, v: Value| {
            let mut c = good.clone();
            c[k] = v;
            c["jti"] = format!("j-{k}").into();
            check(&hs256(&c), &mut HashMap::new()).expect_err(k)
        };
        assert!(with("aud", "https://other".into()).contains("aud"));
        assert!(with("exp", 999.into()).contains("expired"));
        assert!(with("exp", 100_000.into()).contains("too far"));
        assert!(with("sub", "other".into()).contains("sub"));
        let signed = hs256(&good);
        let (input, _) = signed.rsplit_once('.').expect("jws");
        let forged = format!("{input}.{}", B64.encode([0u8; 32]));
        let err = check(&forged, &mut HashMap::new()).expect_err("forged");
        assert!(err.contains("does not verify"), "{err}");
    }
}
