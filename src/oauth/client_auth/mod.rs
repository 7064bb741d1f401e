//! Client authentication with a JWT instead of a secret in the request (RFC 7523): the
//! assertion and the key that signs it; and DPoP proofs (RFC 9449), which bind tokens to a
//! key of the profile's. `dialect::client_auth` is the one place that applies
//! a method to a request.

pub mod dpop;
pub mod jwt_assertion;
pub mod key;
