//! The requests grants make, per dialect and client authentication.

use super::client_credentials::ClientCredentialsGrant;
use super::password::PasswordGrant;
use super::refresh::RefreshGrant;
use super::*;
use crate::oauth::http::Body;
use crate::secret::Secret;
use crate::store::ClientCredentials;
use base64::Engine;

fn form_of(req: &Request) -> Vec<(String, String)> {
    match &req.body {
        Body::Form(f) => f.clone(),
        other => panic!("not a form: {other:?}"),
    }
}

fn has(form: &[(String, String)], k: &str, v: &str) -> bool {
    form.iter().any(|(a, b)| a == k && b == v)
}

fn auth_header(req: &Request) -> Option<&str> {
    req.headers
        .iter()
        .find(|(k, _, _)| k == "authorization")
        .map(|(_, v, _)| v.as_str())
}

fn app_client() -> ClientCredentials {
    ClientCredentials {
        client_id: "app".into(),
        client_secret: Secret::new("client-secret-0123"),
        domain: None,
        origin: None,
        sign_in_only: false,
    }
}

fn oauth2() -> Environment {
    crate::oauth::testing::env(&[("api_base", "https://id.example.com")])
}

/// A password sign-in as `client_id`, with `secret` when given.
fn password_request(env: &Environment, client_id: &str, secret: Option<&str>) -> Request {
    let secret = secret.map(Secret::new);
    let password = Secret::new("pw-0123456789");
    let client = ClientRef {
        id: client_id,
        secret: secret.as_ref(),
    };
    let grant = PasswordGrant {
        username: "u",
        password: &password,
        scopes: &[],
    };
    request(env, client, &grant).expect("builds")
}

#[test]
fn confidential_password_and_refresh_authenticate_in_the_body() {
    let env = oauth2();
    let secret = Secret::new("client-secret-0123");
    let rt = Secret::new("rt-0123456789");
    let confidential = ClientRef {
        id: "app",
        secret: Some(&secret),
    };
    let refresh = RefreshGrant { refresh_token: &rt };
    let requests = [
        (
            password_request(&env, "app", Some(secret.expose())),
            "pw-0123456789",
        ),
        (
            request(&env, confidential, &refresh).expect("builds"),
            "rt-0123456789",
        ),
    ];
    for (req, own) in &requests {
        let form = form_of(req);
        assert!(has(&form, "client_id", "app"), "{form:?}");
        assert!(has(&form, "client_secret", secret.expose()), "{form:?}");
        assert!(req.secrets.iter().any(|s| s == secret.expose()));
        assert!(req.secrets.iter().any(|s| s == own), "{own} is redacted");
        assert!(auth_header(req).is_none());
    }
    let public = ClientRef {
        id: "app",
        secret: None,
    };
    let form = form_of(&request(&env, public, &refresh).expect("builds"));
    assert!(!form.iter().any(|(k, _)| k == "client_secret"), "{form:?}");
    assert!(has(&form, "client_id", "app"));
}

#[test]
fn scope_is_sent_only_when_asked_for() {
    let env = oauth2();
    let client = app_client();
    let password = Secret::new("pw-0123456789");
    let two = ["a".to_string(), "b".to_string()];
    for scopes in [&[][..], &two[..]] {
        let cc = ClientCredentialsGrant { scopes };
        let pw = PasswordGrant {
            username: "u",
            password: &password,
            scopes,
        };
        let public = ClientRef {
            id: "app",
            secret: None,
        };
        for req in [
            request(&env, (&client).into(), &cc),
            request(&env, public, &pw),
        ] {
            let form = form_of(&req.expect("builds"));
            let scope: Vec<_> = form.iter().filter(|(k, _)| k == "scope").collect();
            match scopes.is_empty() {
                true => assert!(scope.is_empty(), "{form:?}"),
                false => assert_eq!(scope, [&("scope".to_string(), "a b".to_string())]),
            }
        }
    }
}

#[test]
fn basic_client_auth_moves_the_secret_to_the_header() {
    let env = crate::oauth::testing::env(&[
        ("api_base", "https://id.example.com"),
        ("client_auth", "basic"),
    ]);
    let req = password_request(&env, "my app", Some("se:cr et"));
    let form = form_of(&req);
    assert!(
        !form.iter().any(|(k, _)| k.starts_with("client_")),
        "{form:?}"
    );
    // base64("my+app:se%3Acr+et")
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("my+app:se%3Acr+et")
    );
    assert_eq!(auth_header(&req), Some(expected.as_str()));
    assert!(req.secrets.contains(&expected));
}

#[test]
fn json_password_carries_the_client_secret_when_there_is_one() {
    let env = crate::oauth::testing::env(&[
        ("api_base", "https://shop.example.com"),
        ("dialect", "oauth2-json"),
        ("token_url", ""),
    ]);
    let req = password_request(&env, "administration", Some("client-secret-0123"));
    let Body::Json(v) = &req.body else {
        panic!("not JSON")
    };
    assert_eq!(v["client_secret"], "client-secret-0123");
    assert_eq!(v["client_id"], "administration");
    assert_eq!(v["scopes"], "write");
    assert_eq!(req.url.path(), "/api/oauth/token");
}

#[test]
fn the_header_dialect_mints_only_and_sends_the_client_as_headers() {
    let env = crate::oauth::testing::env(&[
        ("api_base", "https://api.example.com"),
        ("dialect", "header-token"),
        ("token_url", ""),
    ]);
    let client = app_client();
    let refresh = RefreshGrant {
        refresh_token: &Secret::new("rt-0123456789"),
    };
    let Err(e) = request(&env, (&client).into(), &refresh) else {
        panic!("the header dialect has no refresh");
    };
    assert_eq!(e.exit_code(), 2, "{}", e.message);
    let mint = ClientCredentialsGrant { scopes: &[] };
    let req = request(&env, (&client).into(), &mint).expect("builds");
    assert_eq!(req.method, reqwest::Method::GET);
    assert!(!req.dpop);
    assert!(req.secrets.iter().any(|s| s == "client-secret-0123"));
    let sent = |(k, v, secret): &(String, String, bool)| {
        k == "client-secret" && *secret && v == "client-secret-0123"
    };
    assert!(req.headers.iter().any(sent));
}
