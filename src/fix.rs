//! What a person could do about an error, as data. The core says which way out applies
//! (and for which environment or profile); the command edge, `commands/hints.rs`, writes
//! the sentence and the `gtx …` command a person reads (docs/architecture.md, "Errors").

/// A line under an error: text the core writes itself (no gtx command in it), or a way
/// out the edge words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    Text(String),
    Fix(Fix),
}

/// A `login` command that signs a profile in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    pub env: String,
    pub credential: String,
    /// The flags of this way to sign in ("--password", "" for the browser).
    pub flags: &'static str,
    /// The other usual ways, for a profile that never signed in.
    pub also: OtherLogins,
}

/// The dialect's other ways to sign in, named after its usual one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtherLogins {
    None,
    /// Another grant's flags.
    Flag(&'static str),
    /// Another grant's flags, or the browser.
    FlagOrBrowser(&'static str),
}

/// The ways out the core names; each the edge turns into one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fix {
    Login(Login),
    SignInAgain(Login),
    /// A token printed but not stored: it works `until`, then this sign-in.
    PrintedTokenWorks {
        until: String,
        login: Login,
    },
    /// A stored client secret is not sent to a new origin: sign in for it.
    StoreCredentialsFor {
        origin: String,
        login: Login,
    },
    /// `invalid_grant`: the grant or refresh token is dead.
    GrantNoLongerValid,
    StartDeviceAgain,
    Env(EnvFix),
    Client(ClientFix),
    Store(StoreFix),
    Api(ApiFix),
    Ending(Ending),
}

/// Ways out that change or inspect an environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvFix {
    /// Where the environment points and its token endpoint.
    ShowEnv {
        env: String,
        /// The endpoint's field (token_url…).
        field: &'static str,
    },
    /// One field of an environment to set to a known value.
    SetField {
        env: String,
        field: &'static str,
        value: &'static str,
    },
    /// An endpoint redirects to `to`: set `field` to it.
    RedirectedTo { to: String, field: &'static str },
    /// The fixed `redirect_port` of `env` is taken.
    FixedRedirectPort { port: u16, env: String },
    /// The environment asks for DPoP and the server ignores it.
    DpopUnsupported { env: String },
    /// Introspection was refused: validate_url is the other way.
    ValidateUrl { env: String },
    /// Nothing could tell whether a token is valid; `or_api_base`: a protected api_base
    /// would do too.
    ConfigureCheck { env: String, or_api_base: bool },
    /// A certificate not trusted: name its CA.
    TrustCa,
    /// An unknown environment with a valid name.
    AddEnv { name: String },
    /// No OpenAPI document found where gtx looks.
    SetOpenapiUrl { env: String },
}

impl From<EnvFix> for Fix {
    fn from(fix: EnvFix) -> Self {
        Fix::Env(fix)
    }
}

/// Ways out that give or check the client's own credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientFix {
    /// The client's own credentials were refused.
    CheckClientCredentials,
    /// client_secret_jwt without a stored secret.
    StoreClientSecret {
        env: String,
    },
    /// private_key_jwt without a stored key.
    StoreClientKey {
        env: String,
    },
    IntrospectionNeedsClient {
        env: String,
    },
    /// A person's client was refused as confidential: how to give its secret once.
    GiveClientSecret,
}

impl From<ClientFix> for Fix {
    fn from(fix: ClientFix) -> Self {
        Fix::Client(fix)
    }
}

/// Ways out of a damaged or unusable store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreFix {
    /// Several keyring items for one profile: logout removes them all.
    RemoveAll { env: String, credential: String },
    /// Stored records that cannot be read.
    RepairRecords,
    /// One stored record that cannot be read (left as it was).
    RepairRecord,
    /// A record under a name gtx does not give: `logout --all` removes it.
    LogoutAll,
    /// No keyring: the file store.
    UseFileStore,
}

impl From<StoreFix> for Fix {
    fn from(fix: StoreFix) -> Self {
        Fix::Store(fix)
    }
}

/// Ways out around the API's operations and requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiFix {
    /// A warning: the operation needs scopes the token lacks; `all` gets them.
    AskForScopes {
        operation: String,
        have: Vec<String>,
        all: Vec<String>,
        env: String,
    },
    /// The API index is damaged: sync rebuilds it.
    RebuildIndex,
    /// Not an operation of the index: the list of them.
    ListOperations,
    /// No API index for `env`: sync makes one.
    IndexOperations { env: String },
    /// A request the operation's description refuses: what it says.
    ShowOperation { operation: String },
    /// A warning: the API index of `env` is `age` old.
    StaleIndex { env: String, age: String },
    /// A body too large to hold: send it in parts or with a streaming tool.
    StreamUpload,
}

impl From<ApiFix> for Fix {
    fn from(fix: ApiFix) -> Self {
        Fix::Api(fix)
    }
}

/// Ways out that end a message rather than stand on their own line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// Ends a message: the synopsis of `gtx request` (`operation`: with OPERATION).
    RequestUsage { operation: bool },
    /// Ends a message: credentials belong to a sign-in, not to a URL.
    UseLogin,
    /// Ends a message: the header-token dialect mints only with client credentials.
    HeaderNeedsClientCredentials,
}

impl From<Ending> for Fix {
    fn from(fix: Ending) -> Self {
        Fix::Ending(fix)
    }
}
