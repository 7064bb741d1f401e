//! Which proxy the HTTP client sends a URL through, named in errors: when the proxy is
//! what fails, "could not connect to the server" would send the person to check the
//! wrong thing. reqwest reads the environment with hyper-util's `Matcher` (curl's rules:
//! HTTP(S)_PROXY, ALL_PROXY, NO_PROXY; none in a CGI request), and so does this, so the
//! two cannot disagree. Only consulted once a request has failed.

use crate::env_vars;
use hyper_util::client::proxy::matcher::Matcher;
use url::Url;

/// A proxy a request went through: where it is (never its credentials) and the variable
/// that set it.
#[derive(Debug, PartialEq, Eq)]
pub struct Via {
    pub address: String,
    pub variable: &'static str,
}

/// The proxy the client uses for `url`, if any, read from the process environment.
pub fn via(url: &Url) -> Option<Via> {
    let vars = crate::env_vars::process();
    via_with(url, |name| vars.text(name).map(str::to_string))
}

fn via_with(url: &Url, var: impl Fn(&str) -> Option<String>) -> Option<Via> {
    // The first of each pair that is set wins, even when empty, as in hyper-util.
    let first = |names: [&'static str; 2]| {
        names
            .into_iter()
            .find_map(|n| var(n).map(|v| (n, v)))
            .unwrap_or(("", String::new()))
    };
    if var(env_vars::REQUEST_METHOD).is_some() {
        return None;
    }
    let (own_name, own) = match url.scheme() {
        "http" => first(env_vars::HTTP_PROXY),
        "https" => first(env_vars::HTTPS_PROXY),
        _ => return None,
    };
    let (all_name, all) = first(env_vars::ALL_PROXY);
    let (_, no) = first(env_vars::NO_PROXY);
    if star(&no) {
        return None;
    }
    let matcher = |own: &str| {
        let b = Matcher::builder().all(all.as_str()).no(no.as_str());
        match url.scheme() {
            "http" => b.http(own),
            _ => b.https(own),
        }
        .build()
    };
    let uri: hyper::Uri = url.as_str().parse().ok()?;
    let intercept = matcher(&own).intercept(&uri)?;
    // The scheme's own variable, unless hyper-util ignored it and ALL_PROXY stood in.
    let variable = if own_unusable(&own) {
        all_name
    } else {
        own_name
    };
    let proxy = intercept.uri();
    let port = proxy.port_u16().unwrap_or(match proxy.scheme_str() {
        Some("https") => 443,
        Some(s) if s.starts_with("socks") => 1080,
        _ => 80,
    });
    let host = proxy.host()?;
    Some(Via {
        address: format!("{host}:{port}"),
        variable,
    })
}

/// Whether NO_PROXY/no_proxy says `*`: no proxy for any host. hyper-util applies `*` to
/// names only, so `NO_PROXY=*` still proxied `http://127.0.0.1:…`; curl (whose rules
/// these are) bypasses the proxy for every host, and so does gtx.
// Unit tests build their clients without a proxy, so there nothing asks.
#[cfg_attr(test, allow(dead_code))]
pub fn none_wanted() -> bool {
    let vars = crate::env_vars::process();
    let [upper, lower] = env_vars::NO_PROXY;
    vars.text(upper)
        .or_else(|| vars.text(lower))
        .is_some_and(star)
}

fn star(no: &str) -> bool {
    no.split(',').any(|part| part.trim() == "*")
}

/// Whether hyper-util would ignore this value of HTTP(S)_PROXY (unset, empty, unparseable).
fn own_unusable(own: &str) -> bool {
    Matcher::builder()
        .http(own)
        .build()
        .intercept(&hyper::Uri::from_static("http://example.invalid/"))
        .is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn via_env(url: &str, vars: &[(&str, &str)]) -> Option<Via> {
        let url = Url::parse(url).expect("url");
        via_with(&url, |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    }

    fn at(address: &str, variable: &'static str) -> Option<Via> {
        Some(Via {
            address: address.into(),
            variable,
        })
    }

    #[test]
    fn the_scheme_decides_the_variable_and_all_proxy_stands_in() {
        let vars = [
            ("http_proxy", "http://p1:3128"),
            ("ALL_PROXY", "socks5://p2"),
        ];
        assert_eq!(
            via_env("http://api.test/x", &vars),
            at("p1:3128", "http_proxy")
        );
        assert_eq!(
            via_env("https://api.test/x", &vars),
            at("p2:1080", "ALL_PROXY")
        );
        assert_eq!(via_env("https://api.test/", &[]), None);
        // Upper case first, as curl and hyper-util read them.
        let both = [
            ("HTTPS_PROXY", "https://up"),
            ("https_proxy", "http://low:1"),
        ];
        assert_eq!(
            via_env("https://api.test/", &both),
            at("up:443", "HTTPS_PROXY")
        );
        let unusable = [("https_proxy", "ftp://nope"), ("all_proxy", "http://p3")];
        assert_eq!(
            via_env("https://api.test/", &unusable),
            at("p3:80", "all_proxy")
        );
    }

    #[test]
    fn credentials_are_never_part_of_the_address() {
        let vars = [("https_proxy", "http://user:s3cret@proxy.corp:8080")];
        assert_eq!(
            via_env("https://api.test/", &vars),
            at("proxy.corp:8080", "https_proxy")
        );
    }

    #[test]
    fn no_proxy_and_cgi_mean_direct() {
        let proxy = ("http_proxy", "http://p1:3128");
        for no in ["api.test", ".test", "*", "10.0.0.0/8,api.test"] {
            assert_eq!(
                via_env("http://api.test/", &[proxy, ("NO_PROXY", no)]),
                None,
                "{no}"
            );
        }
        for no in ["10.0.0.0/8", "*", "example.com, *"] {
            assert_eq!(
                via_env("http://10.1.2.3/", &[proxy, ("no_proxy", no)]),
                None,
                "{no}"
            );
        }
        assert_eq!(
            via_env("http://other.example/", &[proxy, ("NO_PROXY", "api.test")]),
            at("p1:3128", "http_proxy")
        );
        assert_eq!(
            via_env("http://api.test/", &[proxy, ("REQUEST_METHOD", "GET")]),
            None
        );
    }
}
