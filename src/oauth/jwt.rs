//! Reads (never verifies) a JWT's header and claims for `token show` and expiry checks.

use base64::Engine;
use serde_json::Value;

pub fn decode(token: &str) -> Option<(Value, Value)> {
    let mut parts = token.split('.');
    let (h, c, _sig) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let part = |p: &str| -> Option<Value> {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(p.trim_end_matches('='))
            .ok()?;
        let v: Value = serde_json::from_slice(&bytes).ok()?;
        v.is_object().then_some(v)
    };
    Some((part(h)?, part(c)?))
}

/// The `exp` claim as a Unix time; `None` only when the token is no JWT or has no `exp`.
/// A hostile one must not make a token look fresh forever or break date arithmetic: an
/// `exp` that is no NumericDate (negative, a string, null) counts as long expired, a huge
/// one as the latest time gtx handles.
pub fn expiry(token: &str) -> Option<i64> {
    let exp = decode(token)?.1.get("exp")?.clone();
    Some(numeric_date(&exp).unwrap_or(0))
}

/// An RFC 7519 NumericDate as a Unix time, clamped to what gtx handles; `None` for anything
/// else (negative, a string, null). It may be fractional: 1600000000.5 is 1600000000.
pub fn numeric_date(v: &Value) -> Option<i64> {
    v.as_f64()
        .map(f64::floor)
        .filter(|e| *e >= 0.0)
        .map(|e| e.min(crate::time::MAX_UNIX as f64) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_claims() {
        // {"alg":"none"} . {"exp":1700000000,"sub":"x"} . sig
        let t = "eyJhbGciOiJub25lIn0.eyJleHAiOjE3MDAwMDAwMDAsInN1YiI6IngifQ.c2ln";
        assert_eq!(expiry(t), Some(1_700_000_000));
        assert!(decode("not.a.jwt").is_none());
        assert!(decode("opaque").is_none());
    }

    fn with_claims(claims: &str) -> String {
        let enc = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!("{}.{}.c2ln", enc(r#"{"alg":"none"}"#), enc(claims))
    }

    #[test]
    fn fractional_exp_is_a_numeric_date() {
        // RFC 7519 section 2: NumericDate may be non-integer.
        assert_eq!(
            expiry(&with_claims(r#"{"exp":1600000000.5}"#)),
            Some(1_600_000_000)
        );
        assert_eq!(
            expiry(&with_claims(r#"{"exp":1600000000.0}"#)),
            Some(1_600_000_000)
        );
        assert_eq!(expiry(&with_claims(r#"{"exp":-1.5}"#)), Some(0));
        assert_eq!(
            expiry(&with_claims(r#"{"exp":1e300}"#)),
            Some(crate::time::MAX_UNIX)
        );
        assert_eq!(expiry(&with_claims(r#"{"exp":"1600000000"}"#)), Some(0));
        assert_eq!(expiry(&with_claims(r#"{"exp":null}"#)), Some(0));
        assert_eq!(expiry(&with_claims(r#"{"sub":"x"}"#)), None);
    }
}
