//! The authorization code grant with PKCE (RFC 6749 §4.1, RFC 7636), as pure steps: the
//! browser URL and the verdict on a callback; the code exchange is a grant
//! (`grant::authorization_code`). The waiting and the browser live in `loopback` and
//! `commands::login`.

use super::client_auth::ClientRef;
use super::pkce::Pkce;
use crate::config::Environment;
use crate::error::Result;
use crate::secret::Secret;
use reqwest::Url;

/// What a login needs to know about the client it signs in for.
pub struct Client {
    pub id: String,
    /// Only for a confidential client; a public client sends none.
    pub secret: Option<Secret>,
}

impl<'a> From<&'a Client> for ClientRef<'a> {
    fn from(c: &'a Client) -> ClientRef<'a> {
        ClientRef {
            id: &c.id,
            secret: c.secret.as_ref(),
        }
    }
}

pub fn authorize_url(env: &Environment) -> Result<Option<Url>> {
    env.endpoint(
        env.authorize_url.as_deref().filter(|u| !u.is_empty()),
        "authorize_url",
    )
}

/// The URL the person opens: `response_type=code` with an S256 challenge and `state`.
pub fn browser_url(
    base: &Url,
    client_id: &str,
    redirect_uri: &str,
    scopes: &[String],
    state: &str,
    pkce: &Pkce,
) -> Url {
    let mut url = base.clone();
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("response_type", "code")
            .append_pair("client_id", client_id)
            .append_pair("redirect_uri", redirect_uri);
        if !scopes.is_empty() {
            q.append_pair("scope", &scopes.join(" "));
        }
        q.append_pair("state", state)
            .append_pair("code_challenge", &pkce.challenge)
            .append_pair("code_challenge_method", "S256");
    }
    url
}

/// What to do with one callback.
#[derive(Debug, PartialEq)]
pub enum Verdict {
    /// Not ours (wrong or missing state): answer with an error page and keep waiting.
    Foreign,
    /// Ours, and the provider sent a code.
    Code(String),
    /// Ours, and the login failed: exit 5 with this message.
    Failed(String),
}

/// Judges a callback. `state` must match exactly (compared in constant time); `iss`, when
/// present, must be the environment's issuer (RFC 9207 mix-up defence).
pub fn judge(get: &dyn Fn(&str) -> Option<String>, state: &str, issuer: Option<&str>) -> Verdict {
    match get("state") {
        Some(s) if constant_eq(s.as_bytes(), state.as_bytes()) => {}
        _ => return Verdict::Foreign,
    }
    if let Some(iss) = get("iss") {
        match issuer {
            Some(expected) if same_issuer(&iss, expected) => {}
            Some(expected) => {
                return Verdict::Failed(format!(
                    "the callback came from issuer {} but this environment's issuer is {}; refusing the code (possible mix-up attack)",
                    crate::sanitize::terminal_cut(&iss, 120),
                    crate::sanitize::terminal_cut(expected, 120)
                ));
            }
            None => {}
        }
    }
    if let Some(error) = get("error") {
        let description = get("error_description")
            .map(|d| format!(": {}", crate::sanitize::terminal_cut(&d, 300)))
            .unwrap_or_default();
        return Verdict::Failed(format!(
            "the sign-in was refused ({}){description}",
            crate::sanitize::terminal_cut(&error, 60)
        ));
    }
    match get("code").filter(|c| !c.is_empty()) {
        Some(code) => Verdict::Code(code),
        None => Verdict::Failed("the callback carried neither a code nor an error".into()),
    }
}

fn same_issuer(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn state_must_match_exactly() {
        let v = judge(&lookup(&[("code", "c"), ("state", "abd")]), "abc", None);
        assert_eq!(v, Verdict::Foreign);
        let v = judge(&lookup(&[("code", "c")]), "abc", None);
        assert_eq!(v, Verdict::Foreign);
        let v = judge(&lookup(&[("code", "c"), ("state", "abc")]), "abc", None);
        assert_eq!(v, Verdict::Code("c".into()));
    }

    #[test]
    fn issuer_mix_up_is_refused() {
        let cb = [
            ("code", "c"),
            ("state", "s"),
            ("iss", "https://evil.example"),
        ];
        let v = judge(&lookup(&cb), "s", Some("https://idp.example"));
        assert!(matches!(v, Verdict::Failed(m) if m.contains("mix-up")));
        let cb = [
            ("code", "c"),
            ("state", "s"),
            ("iss", "https://idp.example/"),
        ];
        let v = judge(&lookup(&cb), "s", Some("https://idp.example"));
        assert_eq!(v, Verdict::Code("c".into()));
    }

    #[test]
    fn provider_errors_are_escaped() {
        let cb = [
            ("error", "access_denied"),
            ("error_description", "no\x1b[31m way"),
            ("state", "s"),
        ];
        let Verdict::Failed(m) = judge(&lookup(&cb), "s", None) else {
            panic!("not a failure");
        };
        assert!(
            m.contains("access_denied") && m.contains("no\\u{1b}[31m way"),
            "{m}"
        );
        assert!(!m.contains('\x1b'));
    }
}
