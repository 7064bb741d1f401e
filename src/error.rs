//! One error type for the whole program, and the one table that maps it to exit codes
//! (README, "Output and exit codes"). Every module converts its failures into an `AppError` with a kind,
//! so the exit code is decided here and nowhere else.

use std::fmt;

pub use crate::fix::{Fix, Hint};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A bug in gtx.
    Bug,
    Usage,
    Config,
    NotSignedIn,
    Rejected,
    Network,
    Store,
    HttpStatus,
    Interrupted,
    /// gtx's own output could not be written (a full disk behind `>`, a closed terminal):
    /// a failure of the surroundings, not a bug.
    Output,
    /// The machine refused gtx a resource it needs (file descriptors): its limits, not a bug.
    System,
    /// `gtx exec`'s command does not exist (127, as a shell says it).
    CommandNotFound,
    /// `gtx exec`'s command exists but cannot be run (126, as a shell says it).
    CommandNotRunnable,
}

impl Kind {
    pub fn exit_code(self) -> u8 {
        match self {
            Kind::Bug => 1,
            Kind::Usage => 2,
            Kind::Config => 3,
            Kind::NotSignedIn => 4,
            Kind::Rejected => 5,
            Kind::Network => 6,
            Kind::Store => 7,
            Kind::HttpStatus => 8,
            Kind::Interrupted => 130,
            Kind::Output => 1,
            Kind::System => 1,
            Kind::CommandNotFound => 127,
            Kind::CommandNotRunnable => 126,
        }
    }
}

/// An error a user reads: one line of message plus optional hints. The message must
/// already be redacted; constructors never see raw secrets. What callers branch on is
/// typed ([`Cause`], [`OAuthCode`]); the error it wraps, if any, is its `source()`.
#[derive(Debug)]
pub struct AppError {
    pub kind: Kind,
    pub message: String,
    /// The way out that ends the message, worded at the command edge.
    pub tail: Option<Box<Fix>>,
    pub hints: Vec<Hint>,
    /// Why it failed, where a caller decides something on it.
    pub cause: Option<Cause>,
    /// The RFC 6749 section 5.2 (or RFC 8628) error code of a server's refusal.
    pub oauth: Option<OAuthCode>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

/// The causes callers branch on; any other failure has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// The request never left (no connection): safe to send again.
    Unsent,
    /// The server's certificate was refused: the same on every try, and it says what to do.
    CertificateRefused,
    /// Nothing at that URL (404, 410): another place may be tried.
    Absent,
    /// A stored record exists but cannot be read: logout may remove it, `--all` skips it.
    UnreadableRecord,
}

/// The one table of OAuth error codes (RFC 6749 section 5.2, RFC 8628 section 3.5): the
/// variant and the name on the wire, read both ways.
macro_rules! oauth_codes {
    ($($variant:ident = $name:literal,)*) => {
        /// OAuth error codes gtx branches on; any other code is kept as the server sent it.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum OAuthCode {
            $($variant,)*
            Other(String),
        }

        impl OAuthCode {
            pub fn parse(code: &str) -> OAuthCode {
                match code {
                    $($name => OAuthCode::$variant,)*
                    other => OAuthCode::Other(other.to_string()),
                }
            }

            /// The code as the server spells it.
            pub fn name(&self) -> &str {
                match self {
                    $(OAuthCode::$variant => $name,)*
                    OAuthCode::Other(code) => code,
                }
            }
        }
    };
}

oauth_codes! {
    InvalidRequest = "invalid_request",
    InvalidClient = "invalid_client",
    InvalidGrant = "invalid_grant",
    UnauthorizedClient = "unauthorized_client",
    UnsupportedGrantType = "unsupported_grant_type",
    InvalidScope = "invalid_scope",
    AccessDenied = "access_denied",
    ServerError = "server_error",
    TemporarilyUnavailable = "temporarily_unavailable",
    AuthorizationPending = "authorization_pending",
    SlowDown = "slow_down",
    ExpiredToken = "expired_token",
}

impl OAuthCode {
    /// The server says it is in trouble: a failure (exit 6), not a refusal.
    pub fn is_server_trouble(&self) -> bool {
        matches!(
            self,
            OAuthCode::ServerError | OAuthCode::TemporarilyUnavailable
        )
    }

    /// The client's own credentials were refused.
    pub fn is_client_refusal(&self) -> bool {
        matches!(
            self,
            OAuthCode::InvalidClient | OAuthCode::UnauthorizedClient
        )
    }
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

impl AppError {
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        AppError {
            kind,
            message: message.into(),
            tail: None,
            hints: Vec::new(),
            cause: None,
            oauth: None,
            source: None,
        }
    }
    /// A new error about `inner` (its message usually quotes `inner`'s): `inner` stays
    /// reachable as the source, its hints and cause do not carry over.
    pub fn wrapping(kind: Kind, message: impl Into<String>, inner: AppError) -> Self {
        Self::new(kind, message).with_source(inner)
    }
    pub fn with_cause(mut self, cause: Cause) -> Self {
        self.cause = Some(cause);
        self
    }
    pub fn is(&self, cause: Cause) -> bool {
        self.cause == Some(cause)
    }
    /// The error this one reports (not shown to a person: its text may be less careful
    /// about what it quotes than the message).
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }
    pub fn with_oauth(mut self, code: OAuthCode) -> Self {
        self.oauth = Some(code);
        self
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(Hint::Text(hint.into()));
        self
    }
    /// A hint the command edge words (one that names a gtx command).
    pub fn fix(mut self, fix: impl Into<Fix>) -> Self {
        self.hints.push(Hint::Fix(fix.into()));
        self
    }
    /// The way out that ends the message.
    pub fn ending(mut self, fix: impl Into<Fix>) -> Self {
        self.tail = Some(Box::new(fix.into()));
        self
    }
    /// The hints as a person reads them.
    #[cfg(test)]
    pub fn hint_lines(&self) -> Vec<String> {
        crate::commands::hints::lines(self)
    }
    /// Whether a hint is this fix.
    #[cfg(test)]
    pub fn has(&self, fix: &Fix) -> bool {
        self.hints
            .iter()
            .any(|h| matches!(h, Hint::Fix(f) if f == fix))
    }
    pub fn bug(message: impl Into<String>) -> Self {
        Self::new(Kind::Bug, message)
    }
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Kind::Usage, message)
    }
    pub fn config(message: impl Into<String>) -> Self {
        Self::new(Kind::Config, message)
    }
    pub fn not_signed_in(message: impl Into<String>) -> Self {
        Self::new(Kind::NotSignedIn, message)
    }
    pub fn rejected(message: impl Into<String>) -> Self {
        Self::new(Kind::Rejected, message)
    }
    pub fn network(message: impl Into<String>) -> Self {
        Self::new(Kind::Network, message)
    }
    pub fn store(message: impl Into<String>) -> Self {
        Self::new(Kind::Store, message)
    }
    pub fn exit_code(&self) -> u8 {
        self.kind.exit_code()
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AppError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_oauth_code_reads_back_as_its_name() {
        for name in [
            "invalid_request",
            "invalid_client",
            "invalid_grant",
            "unauthorized_client",
            "unsupported_grant_type",
            "invalid_scope",
            "access_denied",
            "server_error",
            "temporarily_unavailable",
            "authorization_pending",
            "slow_down",
            "expired_token",
            "use_dpop_nonce",
        ] {
            assert_eq!(OAuthCode::parse(name).name(), name);
        }
        assert_eq!(OAuthCode::parse("slow_down"), OAuthCode::SlowDown);
    }

    #[test]
    fn a_wrapping_error_keeps_the_inner_one_as_its_source() {
        use std::error::Error;
        let inner = AppError::store("bad key").with_cause(Cause::UnreadableRecord);
        let outer = AppError::wrapping(Kind::Usage, "GTX_CLIENT_SECRET: bad key", inner);
        assert_eq!((outer.kind, outer.cause), (Kind::Usage, None));
        assert_eq!(
            outer.source().map(|s| s.to_string()).as_deref(),
            Some("bad key")
        );
    }
}
