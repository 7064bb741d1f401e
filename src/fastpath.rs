//! The hot path. `gtx token get` runs in every script and CI step, and building clap's
//! whole command tree costs more than the rest of a cached `token get` together. For
//! argument lists made only of the flags that command takes, in their plain forms, this
//! parses them directly; anything else (help, errors, unusual spellings) returns `None`
//! and goes through clap. A test checks both parsers agree on every form accepted here.

use crate::cli::{GlobalArgs, StoreKind, TokenGetArgs};
use std::ffi::OsString;

pub fn token_get(argv: &[OsString]) -> Option<(GlobalArgs, TokenGetArgs)> {
    let args: Vec<&str> = argv
        .iter()
        .skip(1)
        .map(|a| a.to_str())
        .collect::<Option<_>>()?;
    let (cmd, rest) = args.split_at_checked(2)?;
    if cmd != ["token", "get"] {
        return None;
    }
    let mut global = GlobalArgs {
        env: None,
        credential: None,
        store: None,
        json: false,
        verbose: 0,
        no_color: false,
        timeout: None,
    };
    let mut get = TokenGetArgs {
        min_ttl: 60,
        scope: None,
        header: false,
        for_request: None,
    };
    let mut min_ttl_seen = false;
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v)),
            _ => (*arg, None),
        };
        let mut value = || -> Option<String> {
            let v = match inline {
                Some(v) => v,
                None => it.next().copied().filter(|v| !v.starts_with('-'))?,
            };
            Some(v.to_string())
        };
        match flag {
            "--env" if global.env.is_none() => global.env = Some(value()?),
            "--credential" if global.credential.is_none() => global.credential = Some(value()?),
            "--store" if global.store.is_none() => {
                global.store = Some(StoreKind::parse(&value()?)?)
            }
            "--timeout" if global.timeout.is_none() => {
                global.timeout = Some(crate::cli::parse_timeout(&value()?).ok()?)
            }
            "--min-ttl" if !min_ttl_seen => {
                get.min_ttl = value()?.parse().ok()?;
                min_ttl_seen = true;
            }
            "--scope" if get.scope.is_none() => {
                get.scope = Some(crate::cli::parse_scopes(&value()?).ok()?)
            }
            "--json" if inline.is_none() && !global.json => global.json = true,
            "--header" if inline.is_none() && !get.header => get.header = true,
            "--no-color" if inline.is_none() && !global.no_color => global.no_color = true,
            "-v" | "--verbose" if inline.is_none() => {
                global.verbose = global.verbose.saturating_add(1)
            }
            "-vv" => global.verbose = global.verbose.saturating_add(2),
            _ => return None,
        }
    }
    // Environment fallbacks, exactly as the clap definition declares them; a value that
    // is not UTF-8 or not a valid store goes to clap for its error.
    let var = |k: &str| -> Result<Option<String>, ()> {
        match std::env::var_os(k) {
            None => Ok(None),
            Some(v) => v.into_string().map(Some).map_err(|_| ()),
        }
    };
    if global.env.is_none() {
        global.env = var("GTX_ENV").ok()?.filter(|v| !v.is_empty());
    }
    if global.credential.is_none() {
        global.credential = var("GTX_CREDENTIAL").ok()?.filter(|v| !v.is_empty());
    }
    if global.store.is_none()
        && let Some(v) = var("GTX_STORE").ok()?
    {
        global.store = Some(StoreKind::parse(&v)?);
    }
    Some((global, get))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command, TokenCommand};
    use clap::Parser;

    fn via_clap(args: &[&str]) -> Option<(GlobalArgs, TokenGetArgs)> {
        let cli = Cli::try_parse_from(args).ok()?;
        match cli.command {
            Command::Token(TokenCommand::Get(get)) => Some((cli.global, get)),
            _ => None,
        }
    }

    fn same(args: &[&str]) {
        let argv: Vec<OsString> = args.iter().map(OsString::from).collect();
        let fast = token_get(&argv);
        let slow = via_clap(args);
        match (fast, slow) {
            (Some((fg, fa)), Some((sg, sa))) => {
                assert_eq!(format!("{fg:?}"), format!("{sg:?}"), "{args:?}");
                assert_eq!(format!("{fa:?}"), format!("{sa:?}"), "{args:?}");
            }
            (None, Some(_)) if args.get(1..3) == Some(&["token", "get"][..]) => {
                panic!("fast path declined a form clap accepts: {args:?}")
            }
            (None, _) => {} // clap decides
            (Some(f), None) => panic!("fast path accepted what clap rejects: {args:?} -> {f:?}"),
        }
    }

    // Environment variables are process-global: these cases run without GTX_* set, which
    // the test runner guarantees for `cargo test` via scripts/test.sh and CI.
    #[test]
    fn agrees_with_clap() {
        if std::env::vars().any(|(k, _)| k.starts_with("GTX_")) {
            return;
        }
        for args in [
            &["gtx", "token", "get"][..],
            &["gtx", "token", "get", "--env", "production"],
            &[
                "gtx",
                "token",
                "get",
                "--env=production",
                "--credential",
                "ci",
            ],
            &["gtx", "token", "get", "--store", "file", "--json"],
            &[
                "gtx",
                "token",
                "get",
                "--store=memory",
                "--header",
                "--min-ttl",
                "900",
            ],
            &[
                "gtx",
                "token",
                "get",
                "--scope",
                "orders.read",
                "-v",
                "--verbose",
            ],
            &[
                "gtx",
                "token",
                "get",
                "-vv",
                "--no-color",
                "--timeout",
                "2.5",
            ],
            &["gtx", "token", "get", "--min-ttl=0", "--scope=a b"],
            &["gtx", "token", "get", "--store", "cloud"],
            &["gtx", "token", "get", "--scope", "x\"y"],
            &["gtx", "token", "get", "--min-ttl", "-1"],
            &["gtx", "token", "get", "--env"],
            &["gtx", "token", "get", "--json", "--json"],
            &["gtx", "token", "get", "--min-ttl", "1", "--min-ttl", "2"],
            &["gtx", "token", "get", "--timeout", "1e20"],
            &["gtx", "token", "get", "--timeout", "-1"],
            &["gtx", "token", "get", "--help"],
            &["gtx", "token", "get", "extra"],
            &["gtx", "token", "generate"],
            &["gtx", "--env", "x", "token", "get"],
        ] {
            same(args);
        }
    }

    #[test]
    fn declines_what_it_does_not_know() {
        let argv = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
        assert!(token_get(&argv(&["gtx", "token", "get", "--help"])).is_none());
        assert!(token_get(&argv(&["gtx", "token", "get", "--store", "cloud"])).is_none());
        assert!(token_get(&argv(&["gtx", "token", "get", "-e", "x"])).is_none());
        assert!(token_get(&argv(&["gtx", "token", "get", "--scope", "café"])).is_none());
        assert!(token_get(&argv(&["gtx", "token"])).is_none());
        if std::env::var_os("GTX_STORE").is_none() {
            assert!(token_get(&argv(&["gtx", "token", "get"])).is_some());
            assert!(
                token_get(&argv(&[
                    "gtx",
                    "token",
                    "get",
                    "--env",
                    "production",
                    "--json",
                    "-v"
                ]))
                .is_some()
            );
        }
    }
}
