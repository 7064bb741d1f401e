//! Token work: dialects (pure), HTTP with retries, the cache-refresh-mint pipeline,
//! validation, JWT inspection and issuer discovery.

pub mod dialect;
pub mod discovery;
pub mod feedback;
pub mod http;
pub mod jwt;
pub mod pipeline;
pub mod revoke;
#[cfg(test)]
pub mod testing;
pub mod validate;
