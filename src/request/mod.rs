//! The pieces of `gtx request`: what to send (`target`, `fields`), how it travels
//! (`exchange`: the token, redirects), and where the answer goes (`render`, `download`).

pub mod authorized;
pub mod download;
pub mod dry_run;
pub mod exchange;
pub mod fields;
pub mod operation;
pub mod render;
mod source;
pub mod target;
