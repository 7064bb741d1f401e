//! One error type for the whole program, and the one table that maps it to exit codes
//! (README, "Output and exit codes"). Every module converts its failures into an `AppError` with a kind,
//! so the exit code is decided here and nowhere else.

use std::fmt;

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
/// already be redacted; constructors never see raw secrets.
#[derive(Debug)]
pub struct AppError {
    pub kind: Kind,
    pub message: String,
    pub hints: Vec<String>,
    /// A machine-readable reason where callers branch on it: `connect` for a failure
    /// before the request was sent, `unreadable_record` for a record logout may remove.
    pub code: Option<String>,
    /// The RFC 6749 section 5.2 (or RFC 8628) error code of a server's refusal.
    pub oauth: Option<OAuthCode>,
}

/// OAuth error codes gtx branches on; any other code is kept as the server sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OAuthCode {
    InvalidRequest,
    InvalidClient,
    InvalidGrant,
    UnauthorizedClient,
    UnsupportedGrantType,
    InvalidScope,
    AccessDenied,
    ServerError,
    TemporarilyUnavailable,
    AuthorizationPending,
    SlowDown,
    ExpiredToken,
    Other(String),
}

impl OAuthCode {
    pub fn parse(code: &str) -> OAuthCode {
        match code {
            "invalid_request" => OAuthCode::InvalidRequest,
            "invalid_client" => OAuthCode::InvalidClient,
            "invalid_grant" => OAuthCode::InvalidGrant,
            "unauthorized_client" => OAuthCode::UnauthorizedClient,
            "unsupported_grant_type" => OAuthCode::UnsupportedGrantType,
            "invalid_scope" => OAuthCode::InvalidScope,
            "access_denied" => OAuthCode::AccessDenied,
            "server_error" => OAuthCode::ServerError,
            "temporarily_unavailable" => OAuthCode::TemporarilyUnavailable,
            "authorization_pending" => OAuthCode::AuthorizationPending,
            "slow_down" => OAuthCode::SlowDown,
            "expired_token" => OAuthCode::ExpiredToken,
            other => OAuthCode::Other(other.to_string()),
        }
    }

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
            hints: Vec::new(),
            code: None,
            oauth: None,
        }
    }
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }
    pub fn with_oauth(mut self, code: OAuthCode) -> Self {
        self.oauth = Some(code);
        self
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
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

impl std::error::Error for AppError {}
