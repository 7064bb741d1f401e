//! The JWS algorithm names (RFC 7518) gtx signs with: the config checks a configured
//! `client_assertion_alg` against them, and the signing keys (`oauth::key`)
//! sign with them.

/// A JWS `alg` gtx signs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alg {
    RS256,
    PS256,
    ES256,
    EdDSA,
}

impl Alg {
    pub fn name(self) -> &'static str {
        match self {
            Alg::RS256 => "RS256",
            Alg::PS256 => "PS256",
            Alg::ES256 => "ES256",
            Alg::EdDSA => "EdDSA",
        }
    }

    pub fn parse(s: &str) -> Option<Alg> {
        [Alg::RS256, Alg::PS256, Alg::ES256, Alg::EdDSA]
            .into_iter()
            .find(|a| a.name() == s)
    }
}
