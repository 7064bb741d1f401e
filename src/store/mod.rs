//! Credential stores behind one interface. A *profile* is ENV/CREDENTIAL; each has one
//! versioned record holding optional client credentials and an optional session.

mod file;
mod keyring;
mod lock;
pub mod memory;
pub mod signed_out;
mod update;

use lock::ProfileLock;
pub use update::{Locked, update, write};

use crate::error::{AppError, Result};
use crate::fix::StoreFix;
use crate::secret::Secret;
use serde::{Deserialize, Serialize};
use std::fmt;

pub const RECORD_VERSION: u32 = 1;

/// Where records live; parsed once, from `--store`/`GTX_STORE` (clap) or the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StoreKind {
    /// The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)
    Keyring,
    /// A 0600 JSON file in the user's data directory
    File,
    /// Nothing persists (CI)
    Memory,
}

impl StoreKind {
    pub fn name(self) -> &'static str {
        match self {
            StoreKind::Keyring => "keyring",
            StoreKind::File => "file",
            StoreKind::Memory => "memory",
        }
    }

    pub fn parse(name: &str) -> Option<StoreKind> {
        match name {
            "keyring" => Some(StoreKind::Keyring),
            "file" => Some(StoreKind::File),
            "memory" => Some(StoreKind::Memory),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProfileKey {
    pub env: String,
    pub credential: String,
}

impl ProfileKey {
    pub fn new(env: &str, credential: &str) -> Self {
        ProfileKey {
            env: env.to_string(),
            credential: credential.to_string(),
        }
    }
    /// `ENV/CREDENTIAL`: the keyring account and the file store's map key.
    pub fn account(&self) -> String {
        format!("{}/{}", self.env, self.credential)
    }
    /// A stored name gtx would not write (`"Emu Prod/default"`), kept as it is so that the
    /// record can be listed and removed under that exact name.
    pub fn foreign(account: &str) -> Option<Self> {
        let (env, cred) = account.split_once('/')?;
        Some(ProfileKey::new(env, cred))
    }

    pub fn parse(account: &str) -> Option<Self> {
        let (env, cred) = account.split_once('/')?;
        (crate::config::valid_name(env) && crate::config::valid_name(cred))
            .then(|| ProfileKey::new(env, cred))
    }
}

impl fmt::Display for ProfileKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.env, self.credential)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientCredentials {
    pub client_id: String,
    pub client_secret: Secret,
    /// header-token: the domain whose base64 is the client id, kept for display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// The token-endpoint origin the secret was first sent to; it goes nowhere else
    /// unasked (docs/trust.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Kept to authenticate a person's sign-in, refreshes and revocation (a confidential
    /// client of the password, browser or device grant), never to mint client-credentials
    /// tokens, which such a client may not be allowed to.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sign_in_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grant {
    ClientCredentials,
    AuthorizationCode,
    /// `login --device` (RFC 8628).
    DeviceCode,
    Password,
    /// Pasted with `login --with-token`.
    Token,
}

impl Grant {
    pub fn name(self) -> &'static str {
        match self {
            Grant::ClientCredentials => "client_credentials",
            Grant::AuthorizationCode => "authorization_code",
            Grant::DeviceCode => "device_code",
            Grant::Password => "password",
            Grant::Token => "token",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub access_token: Secret,
    pub token_type: String,
    /// Unix seconds; `None` when the server gave no lifetime.
    #[serde(default)]
    pub expires_at: Option<i64>,
    #[serde(default)]
    pub scopes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret>,
    pub grant: Grant,
    pub obtained_at: i64,
    /// The client that minted it; refresh and cache checks use it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The environment's settings it was issued under (`oauth::binding`); it is served
    /// only while they hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_for: Option<String>,
    /// The private key (PKCS#8 PEM) a DPoP-bound token is bound to (RFC 9449).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpop_key: Option<Secret>,
}

impl Session {
    /// What the checks at the boundary would have let in: a record written before they
    /// existed, or edited by hand, may hold a hostile server's `token_type` or scopes, and
    /// such a session is renewed rather than put in a header or served.
    pub fn well_formed(&self) -> bool {
        crate::sanitize::token_type(&self.token_type).is_ok()
            && crate::secret::header_safe(self.access_token.expose())
            && self
                .scopes
                .iter()
                .all(|s| crate::sanitize::scope_token_ok(s))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<ClientCredentials>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Session>,
}

impl Default for Record {
    fn default() -> Self {
        Record {
            version: RECORD_VERSION,
            client: None,
            session: None,
        }
    }
}

impl Record {
    pub fn is_empty(&self) -> bool {
        self.client.is_none() && self.session.is_none()
    }

    /// Parses a stored record; a record from a newer gtx or of another shape is a store
    /// error (exit 7), never silently replaced.
    pub fn from_json(text: &str, whence: &str) -> Result<Record> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| unreadable(whence, &describe_json_error(&e)))?;
        Record::from_value(value, whence)
    }

    pub fn from_value(value: serde_json::Value, whence: &str) -> Result<Record> {
        match value.get("version").and_then(|v| v.as_u64()) {
            Some(v) if v == RECORD_VERSION as u64 => {}
            Some(v) => {
                return Err(unreadable(
                    whence,
                    &format!(
                        "record version {v} is not one this gtx understands (a newer gtx wrote it?)"
                    ),
                ));
            }
            None => return Err(unreadable(whence, "no record version")),
        }
        serde_json::from_value(value).map_err(|e| unreadable(whence, &describe_json_error(&e)))
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// serde's messages can quote the offending value, which may be a secret: keep only the
/// kind of problem and where it is.
pub(crate) fn describe_json_error(e: &serde_json::Error) -> String {
    let what = match e.classify() {
        serde_json::error::Category::Io => "read error",
        serde_json::error::Category::Syntax => "invalid JSON",
        serde_json::error::Category::Data => "a field is missing or has the wrong type",
        serde_json::error::Category::Eof => "truncated JSON",
    };
    if e.line() > 0 {
        format!("{what} at line {} column {}", e.line(), e.column())
    } else {
        what.to_string()
    }
}

/// After a command went through every profile it could: fail (exit 7) if some records
/// could not be read.
pub fn unreadable_summary(count: usize) -> Result<()> {
    match count {
        0 => Ok(()),
        n => Err(
            AppError::store(format!("{n} stored record(s) could not be read"))
                .fix(StoreFix::RepairRecords),
        ),
    }
}

/// A record stored under a name that is not ENV/CREDENTIAL.
pub(crate) fn foreign_name(key: &ProfileKey) -> AppError {
    AppError::store(format!(
        "the record {:?} is not named ENV/CREDENTIAL as gtx names them (edited by hand?)",
        crate::sanitize::terminal_cut(&key.account(), 100)
    ))
    .fix(StoreFix::LogoutAll)
    .with_cause(crate::error::Cause::UnreadableRecord)
}

fn unreadable(whence: &str, why: &str) -> AppError {
    AppError::store(format!("cannot read the stored record {whence}: {why}"))
        .fix(StoreFix::RepairRecord)
        .with_cause(crate::error::Cause::UnreadableRecord)
}

/// What every store does. Loads never take locks (writes are atomic); a `save` or
/// `delete` of the file store is a read-modify-write under that file's own lock, so
/// concurrent writers of different profiles never lose each other's records.
pub trait Store {
    fn kind(&self) -> StoreKind;
    fn load(&self, key: &ProfileKey) -> Result<Option<Record>>;
    fn save(&self, key: &ProfileKey, record: &Record) -> Result<()>;
    /// Returns whether something was removed.
    fn delete(&self, key: &ProfileKey) -> Result<bool>;
    /// Every profile; a record that cannot be read is listed with its error, so one bad
    /// record does not hide (or block removing) the others.
    fn list(&self) -> Result<Vec<(ProfileKey, Result<Record>)>>;
    /// Before a refresh that may rotate the refresh token: take now whatever the next
    /// `save` needs (disk space), so that saving the answer cannot fail for lack of it.
    fn reserve(&self) -> Result<()> {
        Ok(())
    }
    /// Removes leftovers of killed processes (temp files holding secrets).
    fn sweep(&self) -> Result<()> {
        Ok(())
    }
    /// Whether minting must take a cross-process lock (not for a store nobody shares).
    fn shared(&self) -> bool {
        true
    }
}

pub fn open(kind: StoreKind) -> Result<Box<dyn Store>> {
    Ok(match kind {
        StoreKind::Keyring => Box::new(keyring::KeyringStore::open()?),
        StoreKind::File => Box::new(file::FileStore::open()?),
        StoreKind::Memory => Box::new(memory::MemoryStore::default()),
    })
}

/// Picks the store: `--store`/`GTX_STORE` (clap merged both), then config `store`, then
/// the keyring.
pub fn select(flag: Option<StoreKind>, config_store: Option<&str>) -> StoreKind {
    flag.or_else(|| config_store.and_then(StoreKind::parse))
        .unwrap_or(StoreKind::Keyring)
}

pub fn unavailable_hints(err: AppError) -> AppError {
    err.fix(StoreFix::UseFileStore)
        .hint("or for one run: GTX_STORE=file (a 0600 file in your data directory)")
        .hint("or keep nothing: GTX_STORE=memory (tokens are minted per run)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_round_trips() {
        let r = Record {
            version: 1,
            client: Some(ClientCredentials {
                client_id: "app".into(),
                client_secret: Secret::new("s3cret-value-long-enough"),
                domain: None,
                origin: None,
                sign_in_only: false,
            }),
            session: None,
        };
        let back = Record::from_json(&r.to_json(), "test").expect("parses");
        assert_eq!(back, r);
    }

    #[test]
    fn newer_record_is_refused() {
        let e = Record::from_json(r#"{"version":9}"#, "x").expect_err("refused");
        assert_eq!(e.exit_code(), 7);
    }

    #[test]
    fn store_kinds_parse_by_their_names() {
        for kind in [StoreKind::Keyring, StoreKind::File, StoreKind::Memory] {
            assert_eq!(StoreKind::parse(kind.name()), Some(kind));
        }
        assert_eq!(StoreKind::parse("cloud"), None);
        assert_eq!(select(None, Some("file")), StoreKind::File);
        assert_eq!(select(None, Some("bogus")), StoreKind::Keyring);
        assert_eq!(
            select(Some(StoreKind::Memory), Some("file")),
            StoreKind::Memory
        );
    }

    #[test]
    fn account_parses_back() {
        let k = ProfileKey::new("sandbox", "default");
        assert_eq!(ProfileKey::parse(&k.account()), Some(k));
        assert_eq!(ProfileKey::parse("no-slash"), None);
    }
}
