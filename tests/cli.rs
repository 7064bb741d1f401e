//! The one integration-test binary: every command family runs through the built `gtx`.

mod support;

mod env;
mod generated;
mod help;
mod keyring;
mod status;
mod store;
