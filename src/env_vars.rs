//! Every environment variable gtx reads, named once, and the one snapshot of them the
//! process takes at start (docs/architecture.md, "The process read once"). Nothing else
//! in gtx reads the environment: code reaches a variable through [`EnvVars`], either the
//! snapshot a caller passes down or [`process`], and a test builds its own snapshot
//! instead of changing the process's (which other test threads read at the same time).
//!
//! Crates read a few on their own, which are listed here for completeness: clap the
//! fallbacks of the global options (`GTX_ENV`, `GTX_CREDENTIAL`, `GTX_STORE`), reqwest
//! the proxy variables, rustls-native-certs `SSL_CERT_FILE`/`SSL_CERT_DIR`, `dirs` HOME
//! and the XDG directories, webbrowser `BROWSER`.

use std::ffi::{OsStr, OsString};
use std::sync::OnceLock;

/// `--env` when the flag is absent.
pub const GTX_ENV: &str = "GTX_ENV";
/// `--credential` when the flag is absent.
pub const GTX_CREDENTIAL: &str = "GTX_CREDENTIAL";
/// `--store` when the flag is absent; empty is no choice.
pub const GTX_STORE: &str = "GTX_STORE";
/// The config file's path.
pub const GTX_CONFIG: &str = "GTX_CONFIG";
/// A token to use as is (what `gtx exec` hands its command).
pub const GTX_TOKEN: &str = "GTX_TOKEN";
/// Which environment GTX_TOKEN is for (set by `gtx exec`).
pub const GTX_TOKEN_ENV: &str = "GTX_TOKEN_ENV";
/// Which credential of that environment GTX_TOKEN is for (set by `gtx exec`).
pub const GTX_TOKEN_CREDENTIAL: &str = "GTX_TOKEN_CREDENTIAL";
/// A client id that wins over the configured and stored ones.
pub const GTX_CLIENT_ID: &str = "GTX_CLIENT_ID";
/// A client secret (or private key) that wins over the stored one.
pub const GTX_CLIENT_SECRET: &str = "GTX_CLIENT_SECRET";
/// Set: no spinner or progress bar, even at a terminal.
pub const GTX_NO_SPINNER: &str = "GTX_NO_SPINNER";
/// https://no-color.org: set and non-empty, no colour.
pub const NO_COLOR: &str = "NO_COLOR";
/// `dumb`: a terminal that understands no escape sequences.
pub const TERM: &str = "TERM";
/// The browser to open sign-in pages with (read by webbrowser; gtx only checks it is set).
pub const BROWSER: &str = "BROWSER";
/// A graphical session, in which a browser can open.
pub const DISPLAY: &str = "DISPLAY";
/// Likewise, for Wayland.
pub const WAYLAND_DISPLAY: &str = "WAYLAND_DISPLAY";
/// The proxy variables, in hyper-util's (curl's) rules; `REQUEST_METHOD` marks a CGI
/// request, in which none of them is trusted.
pub const HTTP_PROXY: [&str; 2] = ["HTTP_PROXY", "http_proxy"];
pub const HTTPS_PROXY: [&str; 2] = ["HTTPS_PROXY", "https_proxy"];
pub const ALL_PROXY: [&str; 2] = ["ALL_PROXY", "all_proxy"];
pub const NO_PROXY: [&str; 2] = ["NO_PROXY", "no_proxy"];
pub const REQUEST_METHOD: &str = "REQUEST_METHOD";

/// Every variable a snapshot holds.
const READ: [&str; 24] = [
    GTX_ENV,
    GTX_CREDENTIAL,
    GTX_STORE,
    GTX_CONFIG,
    GTX_TOKEN,
    GTX_TOKEN_ENV,
    GTX_TOKEN_CREDENTIAL,
    GTX_CLIENT_ID,
    GTX_CLIENT_SECRET,
    GTX_NO_SPINNER,
    NO_COLOR,
    TERM,
    BROWSER,
    DISPLAY,
    WAYLAND_DISPLAY,
    HTTP_PROXY[0],
    HTTP_PROXY[1],
    HTTPS_PROXY[0],
    HTTPS_PROXY[1],
    ALL_PROXY[0],
    ALL_PROXY[1],
    NO_PROXY[0],
    NO_PROXY[1],
    REQUEST_METHOD,
];

/// Whether a variable that is set goes into a snapshot: all do but an empty `GTX_STORE`,
/// which is no choice (README, "Environment variables").
fn kept((name, value): &(&'static str, OsString)) -> bool {
    !(*name == GTX_STORE && value.is_empty())
}

/// The variables of [`READ`] that are set, with their values.
#[derive(Debug, Clone, Default)]
pub struct EnvVars {
    set: Vec<(&'static str, OsString)>,
}

impl EnvVars {
    /// Reads each variable gtx knows once ([`kept`]: [`process`] takes an empty
    /// `GTX_STORE` out of the process too, for clap).
    fn read() -> EnvVars {
        let set = READ
            .iter()
            .filter_map(|&name| std::env::var_os(name).map(|v| (name, v)))
            .filter(kept)
            .collect();
        EnvVars { set }
    }

    /// A snapshot holding exactly `pairs`, under the same rules as [`process`]: what a
    /// test passes instead of changing the process's environment.
    #[cfg(test)]
    pub fn of<K: AsRef<str>, V: Into<OsString>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> EnvVars {
        let set = pairs
            .into_iter()
            .filter_map(|(k, v)| {
                let name = READ.iter().find(|n| **n == k.as_ref())?;
                Some((*name, v.into()))
            })
            .filter(kept)
            .collect();
        EnvVars { set }
    }

    /// The value as the process had it, if set.
    pub fn get(&self, name: &str) -> Option<&OsStr> {
        debug_assert!(READ.contains(&name), "{name} is not declared in env_vars");
        self.set
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_os_str())
    }

    /// The value, if set and UTF-8 (as `std::env::var` would give it).
    pub fn text(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(OsStr::to_str)
    }

    /// The value if set, UTF-8 and not empty: for gtx's own variables an empty one is an
    /// unset one (`GTX_TOKEN= gtx …` uses the store).
    pub fn given(&self, name: &str) -> Option<&str> {
        self.text(name).filter(|v| !v.is_empty())
    }

    /// Whether the variable is set to something, UTF-8 or not.
    pub fn is_given(&self, name: &str) -> bool {
        self.get(name).is_some_and(|v| !v.is_empty())
    }

    /// Whether the person asked for no colour (`NO_COLOR`), or the terminal shows none
    /// (`TERM=dumb`).
    pub fn colour_refused(&self) -> bool {
        self.is_given(NO_COLOR) || self.get(TERM).is_some_and(|t| t == "dumb")
    }

    /// Whether spinners and progress bars are off (GTX_NO_SPINNER set, even empty).
    pub fn no_spinner(&self) -> bool {
        self.get(GTX_NO_SPINNER).is_some()
    }
}

static PROCESS: OnceLock<EnvVars> = OnceLock::new();

/// The snapshot of this process, taken on the first call, which the entry point makes
/// before anything else runs (and before any thread starts).
pub fn process() -> &'static EnvVars {
    PROCESS.get_or_init(|| {
        let vars = EnvVars::read();
        if std::env::var_os(GTX_STORE).is_some_and(|v| v.is_empty()) {
            // clap reads the fallbacks of the global options from the process, and would
            // call an empty GTX_STORE an invalid store; `GTX_STORE= gtx …` clears the
            // choice for one command, as an empty GTX_ENV or GTX_CREDENTIAL does.
            // SAFETY: the entry point takes the snapshot first, before any other thread
            // exists; in tests the variable is never set empty (no test sets any).
            unsafe { std::env::remove_var(GTX_STORE) };
        }
        vars
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_is_unset_for_given_and_for_the_store() {
        let vars = EnvVars::of([(GTX_TOKEN, ""), (GTX_STORE, ""), (GTX_ENV, "x")]);
        assert_eq!(vars.text(GTX_TOKEN), Some(""));
        assert_eq!(vars.given(GTX_TOKEN), None);
        assert_eq!(vars.get(GTX_STORE), None);
        assert_eq!(vars.given(GTX_ENV), Some("x"));
    }

    #[test]
    fn only_declared_variables_are_held() {
        let vars = EnvVars::of([("PATH", "/bin"), (TERM, "dumb")]);
        assert_eq!(vars.set.len(), 1);
    }
}
