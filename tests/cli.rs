//! The one integration-test binary: every command family runs through the built `gtx`.

mod support;

mod api;
mod api_hostile;
mod client_keys;
mod config;
mod dpop;
mod env;
mod exec;
mod first_hour;
mod generated;
mod help;
mod hostile_grants;
mod json;
mod keyring;
mod login;
mod login_browser;
mod login_device;
mod peer;
mod request;

mod status;
mod store;
mod store_faults;
mod tls;
mod token;
mod token_clients;
mod token_lock;
mod token_validate;
mod trust;
mod try_page;
mod untrusted;
