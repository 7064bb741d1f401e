//! In-memory state: configuration, settings (faults), counters and the
//! token/code tables, plus randomness, clock and HS256 JWT helpers.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    OAuth2,
    OAuth2Json,
    HeaderToken,
}

#[derive(Clone, Debug)]
pub struct Client {
    pub id: String,
    pub secret: String,
    /// Registered for the password grant only (one grant per application, as
    /// django-oauth-toolkit): it must authenticate for the password and refresh grants
    /// and may use no other.
    pub password_only: bool,
}

#[derive(Clone, Debug)]
pub struct User {
    pub name: String,
    pub password: String,
}

#[derive(Clone, Debug)]
pub struct Domain {
    pub domain: String,
    pub secret: String,
    pub prefix: String,
}

/// Fixed at startup.
pub struct Config {
    pub base_url: String,
    pub clients: Vec<Client>,
    /// Clients that authenticate with private_key_jwt (`--key-client`).
    pub key_clients: Vec<crate::assertion::KeyClient>,
    /// What the metadata lists as `token_endpoint_auth_methods_supported`.
    pub auth_methods: Vec<String>,
    /// Whether (and how) DPoP proofs must carry the server's nonce.
    pub dpop_nonce: crate::dpop::NonceMode,
    pub public_clients: Vec<String>,
    pub users: Vec<User>,
    pub domains: Vec<Domain>,
    pub scopes: Vec<String>,
    pub quiet: bool,
    /// Settings given on the command line; `reset` goes back to these with
    /// the fault counters and the delay cleared.
    pub initial: Settings,
}

impl Config {
    pub fn confidential(&self, id: &str) -> Option<&Client> {
        self.clients.iter().find(|c| c.id == id)
    }

    pub fn is_public(&self, id: &str) -> bool {
        self.public_clients.iter().any(|c| c == id)
    }

    /// Who signs in when no login form is shown: the first configured user.
    pub fn default_user(&self) -> String {
        self.users
            .first()
            .map(|u| u.name.clone())
            .unwrap_or_else(|| "demo".to_owned())
    }

    pub fn user_ok(&self, name: &str, password: &str) -> bool {
        self.users
            .iter()
            .any(|u| u.name == name && crate::codec::ct_eq(&u.password, password))
    }

    /// `Ok(scope string)` if every requested scope is allowed; absent or
    /// empty means all allowed scopes.
    pub fn check_scope(&self, requested: Option<&str>) -> Result<String, String> {
        match requested.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(self.scopes.join(" ")),
            Some(req) => {
                let mut out: Vec<&str> = Vec::new();
                for s in req.split(' ').filter(|s| !s.is_empty()) {
                    if !self.scopes.iter().any(|a| a == s) {
                        return Err(format!("scope '{s}' is not allowed"));
                    }
                    if !out.contains(&s) {
                        out.push(s);
                    }
                }
                Ok(out.join(" "))
            }
        }
    }
}

/// Mutable settings: faults plus behaviour switches. Serialized as the
/// answer of `POST /_emulator/faults`.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Settings {
    pub delay_ms: u64,
    pub fail_next: u64,
    pub fail_status: u16,
    pub rate_limit_next: u64,
    pub retry_after: u64,
    pub html_next: u64,
    pub missing_token_next: u64,
    pub huge_next: u64,
    pub bad_utf8_next: u64,
    pub wrong_types_next: u64,
    /// Answer the next `body_next` token requests with `body` as is (a hostile server).
    pub body_next: u64,
    pub body: String,
    pub body_status: u16,
    pub rotate_refresh: bool,
    pub ttl: u64,
    pub json_ttl: u64,
    pub header_ttl: u64,
    pub login_form: bool,
    pub deny: bool,
    /// Seconds between device-flow polls the emulator asks for.
    pub device_interval: u64,
    /// Lifetime of a device code, in seconds.
    pub device_ttl: u64,
    /// The `expires_in` the device endpoint reports when not 0 (else `device_ttl`): a server
    /// whose codes outlive what it says, so polls stay `authorization_pending` past it.
    pub device_expires_in: u64,
    /// Answer the next N device-code polls with `slow_down`.
    pub slow_down_next: u64,
    /// Lifetime of an authorization code, in seconds.
    pub code_ttl: u64,
}

impl Default for Settings {
    /// The command-line defaults.
    fn default() -> Settings {
        Settings {
            delay_ms: 0,
            fail_next: 0,
            fail_status: 500,
            rate_limit_next: 0,
            retry_after: 1,
            html_next: 0,
            missing_token_next: 0,
            huge_next: 0,
            bad_utf8_next: 0,
            wrong_types_next: 0,
            body_next: 0,
            body: String::new(),
            body_status: 200,
            rotate_refresh: false,
            ttl: 3600,
            json_ttl: 600,
            header_ttl: 3600,
            login_form: false,
            deny: false,
            device_interval: 5,
            device_ttl: 600,
            device_expires_in: 0,
            slow_down_next: 0,
            code_ttl: 600,
        }
    }
}

impl Settings {
    /// The same settings with no pending faults and no delay.
    pub fn cleared(&self) -> Settings {
        Settings {
            delay_ms: 0,
            fail_next: 0,
            rate_limit_next: 0,
            html_next: 0,
            missing_token_next: 0,
            huge_next: 0,
            bad_utf8_next: 0,
            wrong_types_next: 0,
            slow_down_next: 0,
            body_next: 0,
            ..self.clone()
        }
    }

    pub fn apply(&mut self, p: SettingsPatch) -> Result<(), String> {
        for s in [p.fail_status, p.body_status].into_iter().flatten() {
            if !(200..=599).contains(&s) {
                return Err(format!(
                    "fail_status and body_status must be 200..=599, got {s}"
                ));
            }
        }
        macro_rules! merge {
            ($($f:ident),*) => { $( if let Some(v) = p.$f { self.$f = v; } )* };
        }
        merge!(
            delay_ms,
            fail_next,
            fail_status,
            rate_limit_next,
            retry_after,
            html_next,
            missing_token_next,
            huge_next,
            bad_utf8_next,
            wrong_types_next,
            body_next,
            body,
            body_status,
            rotate_refresh,
            ttl,
            json_ttl,
            header_ttl,
            login_form,
            deny,
            device_interval,
            device_ttl,
            device_expires_in,
            slow_down_next,
            code_ttl
        );
        Ok(())
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsPatch {
    pub delay_ms: Option<u64>,
    pub fail_next: Option<u64>,
    pub fail_status: Option<u16>,
    pub rate_limit_next: Option<u64>,
    pub retry_after: Option<u64>,
    pub html_next: Option<u64>,
    pub missing_token_next: Option<u64>,
    pub huge_next: Option<u64>,
    pub bad_utf8_next: Option<u64>,
    pub wrong_types_next: Option<u64>,
    pub body_next: Option<u64>,
    pub body: Option<String>,
    pub body_status: Option<u16>,
    pub rotate_refresh: Option<bool>,
    pub ttl: Option<u64>,
    pub json_ttl: Option<u64>,
    pub header_ttl: Option<u64>,
    pub login_form: Option<bool>,
    pub deny: Option<bool>,
    pub device_interval: Option<u64>,
    pub device_ttl: Option<u64>,
    pub device_expires_in: Option<u64>,
    pub slow_down_next: Option<u64>,
    pub code_ttl: Option<u64>,
}

#[derive(Debug, Default, Serialize)]
pub struct TokenHits {
    #[serde(rename = "oauth2")]
    pub oauth2: u64,
    #[serde(rename = "oauth2-json")]
    pub oauth2_json: u64,
    #[serde(rename = "header-token")]
    pub header_token: u64,
}

#[derive(Debug, Default, Serialize)]
pub struct Stats {
    pub token_hits: TokenHits,
    pub authorize_hits: u64,
    pub device_hits: u64,
    pub device_polls: u64,
    pub validate_hits: u64,
    pub introspect_hits: u64,
    pub revoke_hits: u64,
    /// Client assertions (RFC 7523) verified.
    pub assertions: u64,
    /// DPoP proofs (RFC 9449) verified, and nonce challenges sent.
    pub dpop_proofs: u64,
    pub dpop_nonce_challenges: u64,
    pub api_hits: u64,
    pub requests: u64,
}

#[derive(Clone, Debug)]
pub struct AccessToken {
    pub dialect: Dialect,
    pub client_id: String,
    pub sub: String,
    pub scope: String,
    pub iat: u64,
    pub exp: u64,
}

#[derive(Clone, Debug)]
pub struct RefreshToken {
    pub dialect: Dialect,
    pub client_id: String,
    pub sub: String,
    pub scope: String,
    pub iat: u64,
}

#[derive(Clone, Debug)]
pub struct AuthCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub challenge: String,
    pub scope: String,
    pub sub: String,
    pub created: u64,
}

/// Proof that a person signed in on a form, good for one Allow/Deny decision.
#[derive(Clone, Debug)]
pub struct Ticket {
    pub sub: String,
    pub purpose: TicketFor,
    pub created: u64,
}

#[derive(Clone, Debug)]
pub enum TicketFor {
    /// The authorization request's parameters, replayed on Allow.
    Authorize(HashMap<String, String>),
    /// A device grant's user code.
    Device(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeviceStatus {
    Pending,
    Approved(String),
    Denied,
}

/// One device authorization (RFC 8628), keyed by its device code.
#[derive(Clone, Debug)]
pub struct DeviceGrant {
    pub client_id: String,
    pub scope: String,
    pub user_code: String,
    pub created: u64,
    pub expires_in: u64,
    pub interval: u64,
    pub last_poll: Option<std::time::Instant>,
    pub status: DeviceStatus,
}

#[derive(Debug, PartialEq, Eq)]
pub enum TokenError {
    Unknown,
    Expired,
}

#[derive(Debug, Default)]
pub struct TokenTable {
    pub access: HashMap<String, AccessToken>,
    pub refresh: HashMap<String, RefreshToken>,
}

impl TokenTable {
    /// An access token that is known and not expired at `now`.
    pub fn check(&self, token: &str, now: u64) -> Result<&AccessToken, TokenError> {
        let t = self.access.get(token).ok_or(TokenError::Unknown)?;
        if now >= t.exp {
            Err(TokenError::Expired)
        } else {
            Ok(t)
        }
    }

    /// Marks every access token expired; returns how many were live.
    pub fn expire_all(&mut self, now: u64) -> usize {
        let mut n = 0;
        for t in self.access.values_mut() {
            if t.exp > now {
                n += 1;
            }
            t.exp = t.exp.min(now.saturating_sub(1));
        }
        n
    }

    /// Removes an access or refresh token; true if something was removed.
    pub fn revoke(&mut self, token: &str) -> bool {
        let a = self.access.remove(token).is_some();
        let r = self.refresh.remove(token).is_some();
        a || r
    }

    /// Forgets access tokens that expired more than a day ago.
    pub fn prune(&mut self, now: u64) {
        self.access
            .retain(|_, t| t.exp.saturating_add(86_400) > now);
    }
}

pub struct Inner {
    pub stats: Stats,
    pub settings: Settings,
    pub tokens: TokenTable,
    pub codes: HashMap<String, AuthCode>,
    pub tickets: HashMap<String, Ticket>,
    pub devices: HashMap<String, DeviceGrant>,
    pub orders: Vec<serde_json::Value>,
    pub next_order: u64,
    pub probe: crate::probe::Probe,
    /// `jti`s of client assertions already used, with their `exp`.
    pub assertion_jtis: HashMap<String, i64>,
    pub dpop: crate::dpop::DpopState,
}

pub struct App {
    pub cfg: Config,
    key: [u8; 32],
    inner: Mutex<Inner>,
}

impl App {
    pub fn new(cfg: Config) -> App {
        let settings = cfg.initial.clone();
        let orders = vec![
            serde_json::json!({"id":"ord_1001","status":"fulfilled","amount":"25.00","currency":"USD"}),
            serde_json::json!({"id":"ord_1002","status":"pending","amount":"50.00","currency":"USD"}),
            serde_json::json!({"id":"ord_1003","status":"cancelled","amount":"10.00","currency":"EUR"}),
        ];
        App {
            cfg,
            key: random_bytes(),
            inner: Mutex::new(Inner {
                stats: Stats::default(),
                settings,
                tokens: TokenTable::default(),
                codes: HashMap::new(),
                tickets: HashMap::new(),
                devices: HashMap::new(),
                orders,
                next_order: 1004,
                probe: crate::probe::Probe::default(),
                assertion_jtis: HashMap::new(),
                dpop: crate::dpop::DpopState::default(),
            }),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// An HS256 JWT over `claims`, signed with the per-process key.
    pub fn sign_jwt(&self, claims: &serde_json::Value) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let body = URL_SAFE_NO_PAD.encode(claims.to_string());
        let input = format!("{header}.{body}");
        let sig = URL_SAFE_NO_PAD.encode(hmac_sha256(&self.key, input.as_bytes()));
        format!("{input}.{sig}")
    }
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

static FALLBACK_COUNTER: AtomicU64 = AtomicU64::new(0);

/// OS randomness; if that ever fails, a hash of time and a counter.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    if getrandom::fill(&mut buf).is_err() {
        for (i, chunk) in buf.chunks_mut(32).enumerate() {
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default();
            let n = FALLBACK_COUNTER.fetch_add(1, Ordering::Relaxed);
            let h = Sha256::new()
                .chain_update(nanos.to_le_bytes())
                .chain_update(n.to_le_bytes())
                .chain_update(i.to_le_bytes())
                .finalize();
            chunk.copy_from_slice(&h[..chunk.len()]);
        }
    }
    buf
}

pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `2 * N` random hex characters.
pub fn random_hex<const N: usize>() -> String {
    to_hex(&random_bytes::<N>())
}

/// HMAC-SHA256 (RFC 2104).
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let ipad: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
    let opad: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
    let inner = Sha256::new()
        .chain_update(&ipad)
        .chain_update(msg)
        .finalize();
    Sha256::new()
        .chain_update(&opad)
        .chain_update(inner)
        .finalize()
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(exp: u64) -> AccessToken {
        AccessToken {
            dialect: Dialect::OAuth2,
            client_id: "c".into(),
            sub: "c".into(),
            scope: String::new(),
            iat: 0,
            exp,
        }
    }

    #[test]
    fn token_table_expiry() {
        let mut t = TokenTable::default();
        t.access.insert("a".into(), tok(1000));
        t.access.insert("b".into(), tok(5000));
        assert!(t.check("a", 999).is_ok());
        assert_eq!(t.check("a", 1000).err(), Some(TokenError::Expired));
        assert_eq!(t.check("zz", 0).err(), Some(TokenError::Unknown));
        assert_eq!(t.expire_all(2000), 1);
        assert_eq!(t.check("b", 2000).err(), Some(TokenError::Expired));
        assert!(t.revoke("b"));
        assert!(!t.revoke("b"));
        t.prune(1000 + 86_401);
        assert!(t.access.is_empty());
    }

    #[test]
    fn hmac_rfc4231_case2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            to_hex(&mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let long_key = [0xaau8; 131];
        let mac = hmac_sha256(
            &long_key,
            b"Test Using Larger Than Block-Size Key - Hash Key First",
        );
        assert_eq!(
            to_hex(&mac),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn settings_patch_merges() {
        let mut s = Settings {
            delay_ms: 5,
            fail_next: 1,
            ..Settings::default()
        };
        let p: SettingsPatch =
            serde_json::from_str(r#"{"fail_next":3,"rotate_refresh":true}"#).unwrap();
        s.apply(p).unwrap();
        assert_eq!((s.fail_next, s.rotate_refresh, s.delay_ms), (3, true, 5));
        let bad: SettingsPatch = serde_json::from_str(r#"{"fail_status":42}"#).unwrap();
        assert!(s.apply(bad).is_err());
        assert!(serde_json::from_str::<SettingsPatch>(r#"{"nope":1}"#).is_err());
        assert_eq!(s.cleared().fail_next, 0);
    }
}
