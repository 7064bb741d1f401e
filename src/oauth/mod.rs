//! Token work: grants (`grant`, the one way to the token endpoint), dialects (pure),
//! client authentication, DPoP proofs, HTTP with retries, the cache-refresh-mint pipeline,
//! validation, JWT inspection and issuer discovery. Each module uses only those below it
//! (docs/architecture.md, "Layers"; `scripts/module-cycles.py` checks it).

pub mod authorize;
pub mod binding;
pub mod client;
pub mod client_auth;
pub mod dialect;
pub mod discovery;
pub mod dpop;
pub mod grant;
pub mod http;
pub mod jwt;
pub mod key;
pub mod loopback;
pub mod pipeline;
pub mod pkce;
pub mod proxy;
pub mod revoke;
pub mod sign_in;
#[cfg(test)]
pub mod testing;
pub mod tls;
pub mod validate;
