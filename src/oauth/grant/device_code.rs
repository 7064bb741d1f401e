//! The device authorization grant's token request (RFC 8628 section 3.4): one poll with
//! the device code. `authorization_pending` and `slow_down` are answers, not failures;
//! the pacing lives with the command that waits.

use super::{Answer, Grant};
use crate::config::Environment;
use crate::error::{AppError, Hint, OAuthCode, Result};
use crate::oauth::dialect::{self, Field, TokenResponse};
use crate::oauth::http::Response;
use crate::secret::Secret;

pub const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// RFC 8628 section 3.5: each `slow_down` adds this to the interval.
pub const SLOW_DOWN_STEP: std::time::Duration = std::time::Duration::from_secs(5);

pub struct DeviceCodeGrant<'a> {
    pub device_code: &'a Secret,
}

/// What one poll says.
pub enum Poll {
    Done(TokenResponse),
    Pending,
    SlowDown,
}

impl Grant for DeviceCodeGrant<'_> {
    type Answer = Poll;

    fn fields(&self, env: &Environment) -> Result<Vec<Field>> {
        dialect::require_oauth2(env, "device login")?;
        Ok(vec![
            Field::plain("grant_type", GRANT_TYPE),
            Field::secret("device_code", self.device_code),
        ])
    }

    /// The command shows its own wait ("waiting for you to approve the sign-in").
    fn doing(&self) -> Option<&'static str> {
        None
    }
}

impl Answer for Poll {
    /// `authorization_pending` and `slow_down` are answers, not failures; anything else
    /// refused (access_denied, expired_token) ends the login.
    fn parse(env: &Environment, resp: &Response, secrets: &[String]) -> Result<Poll> {
        let e = match dialect::parse(env.dialect, resp, secrets) {
            Ok(token) => return Ok(Poll::Done(token)),
            Err(e) => e,
        };
        match e.oauth {
            Some(OAuthCode::AuthorizationPending) => Ok(Poll::Pending),
            Some(OAuthCode::SlowDown) => Ok(Poll::SlowDown),
            Some(OAuthCode::AccessDenied) => Err(AppError::rejected(
                "the sign-in was denied on the verification page",
            )),
            Some(OAuthCode::ExpiredToken) => Err(AppError::rejected(
                "the device code expired before the sign-in was approved",
            )
            .fix(crate::fix::Fix::StartDeviceAgain)),
            // The device code is what the server no longer takes: there is no stored grant
            // or refresh token to speak of, only a new device login.
            Some(OAuthCode::InvalidGrant) => {
                let mut e = e;
                e.hints
                    .retain(|h| *h != Hint::Fix(crate::fix::Fix::GrantNoLongerValid));
                Err(e.fix(crate::fix::Fix::StartDeviceAgain))
            }
            _ => Err(e),
        }
    }
}
