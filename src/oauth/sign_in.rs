//! How a profile signs in (again): the `login` command a "not signed in", "expired" or
//! "issued under other settings" error points at, as a `fix::Login` the command edge words
//! (`commands::hints`). The way the profile last signed in comes first (kept in its session,
//! or in the note its last logout left, `store::signed_out`), else the dialect's usual ways
//! (`dialect::Facts`).

use super::dialect;
use crate::config::Environment;
use crate::fix::{Login, OtherLogins};
use crate::store::{Grant, ProfileKey, StoreKind, signed_out};

/// How to sign in to `key`, for a profile with no session: the way it signed in before its
/// last logout, else the dialect's usual ways.
pub fn login_hint(env: &Environment, key: &ProfileKey, store: StoreKind) -> Login {
    hint_for(env, key, signed_out::recall(store, key))
}

/// How to sign in again: the way the profile last signed in, else the dialect's usual ways.
pub fn hint_for(env: &Environment, key: &ProfileKey, last: Option<Grant>) -> Login {
    let facts = dialect::facts(env.dialect);
    let how = match last {
        Some(Grant::ClientCredentials) => facts.client_credentials_login,
        Some(Grant::Password) => "--password",
        Some(Grant::AuthorizationCode) => "",
        Some(Grant::DeviceCode) => "--device",
        Some(Grant::Token) => "--with-token",
        None => facts.first_login,
    };
    let also = match last {
        None => facts.other_logins,
        Some(_) => OtherLogins::None,
    };
    Login {
        env: env.name.clone(),
        credential: key.credential.clone(),
        flags: how,
        also,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_follow_the_last_grant() {
        let env = crate::oauth::testing::env(&[("token_url", "/oauth2/token")]);
        let key = ProfileKey::new("sandbox", "ci");
        let login = |last| hint_for(&env, &key, last);
        assert_eq!(
            (
                login(Some(Grant::Password)).flags,
                login(Some(Grant::Password)).also
            ),
            ("--password", OtherLogins::None)
        );
        assert_eq!(login(Some(Grant::AuthorizationCode)).flags, "");
        assert_eq!(
            (login(None).flags, login(None).also),
            (
                "--client-credentials",
                OtherLogins::FlagOrBrowser("--password")
            )
        );
    }
}
