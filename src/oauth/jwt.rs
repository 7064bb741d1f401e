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

/// The `exp` claim, if it is a plausible time (a hostile one must not make a token look
/// fresh forever or break date arithmetic).
pub fn expiry(token: &str) -> Option<i64> {
    let exp = decode(token)?.1.get("exp")?.as_i64()?;
    (0..=crate::time::MAX_UNIX).contains(&exp).then_some(exp)
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
}
