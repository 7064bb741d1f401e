//! The hot path. `gtx token get` runs in every script and CI step, and building clap's
//! whole command tree costs more than the rest of a cached `token get` together. For
//! argument lists made only of the flags that command takes, in their plain forms, this
//! parses them directly; anything else (help, errors, unusual spellings) returns `None`
//! and goes through clap. Defaults and environment fallbacks come from the tables clap's
//! definition reads too (`cli::TOKEN_GET_MIN_TTL`, `cli::ENV_FALLBACKS`), and a test
//! checks both parsers agree on every form of every argument, under several environments.

use crate::cli::{GlobalArgs, StoreKind, TokenGetArgs};
use crate::env_vars::EnvVars;
use std::ffi::OsString;

/// The arguments of `token get` (clap ids) this parser knows.
#[cfg(test)]
const KNOWN: [&str; 10] = [
    "env",
    "credential",
    "store",
    "json",
    "verbose",
    "no_color",
    "timeout",
    "min_ttl",
    "scope",
    "header",
];

/// The arguments of `token get` it leaves to clap: where they appear, it returns `None`.
#[cfg(test)]
const LEFT_TO_CLAP: [&str; 3] = ["for_request", "help", "version"];

pub fn token_get(argv: &[OsString], vars: &EnvVars) -> Option<(GlobalArgs, TokenGetArgs)> {
    let args: Vec<&str> = argv
        .iter()
        .skip(1)
        .map(|a| a.to_str())
        .collect::<Option<_>>()?;
    let (cmd, rest) = args.split_at_checked(2)?;
    if cmd != ["token", "get"] {
        return None;
    }
    let mut parsed = Parsed::new();
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        parsed.take(arg, &mut it)?;
    }
    parsed.env_fallbacks(vars)?;
    Some((parsed.global, parsed.get))
}

/// The arguments read so far, starting from clap's defaults.
struct Parsed {
    global: GlobalArgs,
    get: TokenGetArgs,
    min_ttl_seen: bool,
}

impl Parsed {
    fn new() -> Parsed {
        Parsed {
            global: GlobalArgs {
                env: None,
                credential: None,
                store: None,
                json: false,
                verbose: 0,
                no_color: false,
                timeout: None,
            },
            get: TokenGetArgs {
                min_ttl: crate::cli::TOKEN_GET_MIN_TTL,
                scope: None,
                header: false,
                for_request: None,
            },
            min_ttl_seen: false,
        }
    }

    /// One argument (and its value, taken from `rest` when not inline); `None` for
    /// anything clap should see: an unknown or repeated flag, a missing or bad value.
    fn take<'a>(&mut self, arg: &str, rest: &mut impl Iterator<Item = &'a &'a str>) -> Option<()> {
        let (global, get) = (&mut self.global, &mut self.get);
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v)),
            _ => (arg, None),
        };
        let mut value = || -> Option<String> {
            let v = match inline {
                Some(v) => v,
                None => rest.next().copied().filter(|v| !v.starts_with('-'))?,
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
            "--min-ttl" if !self.min_ttl_seen => {
                get.min_ttl = value()?.parse().ok()?;
                self.min_ttl_seen = true;
            }
            "--scope" if get.scope.is_none() => {
                get.scope = Some(crate::cli::parse_scopes(&value()?).ok()?)
            }
            "--json" if inline.is_none() && !global.json => global.json = true,
            "--header" if inline.is_none() && !get.header => get.header = true,
            "--no-color" if inline.is_none() && !global.no_color => global.no_color = true,
            "--verbose" if inline.is_none() => global.verbose = global.verbose.saturating_add(1),
            // -v, -vv, -vvv…
            _ if flag.len() > 1
                && flag.bytes().skip(1).all(|b| b == b'v')
                && flag.starts_with('-') =>
            {
                let n = u8::try_from(flag.len() - 1).unwrap_or(u8::MAX);
                global.verbose = global.verbose.saturating_add(n)
            }
            _ => return None,
        }
        Some(())
    }

    /// What clap does with an absent option that has a variable: the variable's value,
    /// parsed as the flag's would be; a value that is not UTF-8 or not valid goes to clap
    /// for its error.
    fn env_fallbacks(&mut self, vars: &EnvVars) -> Option<()> {
        let global = &mut self.global;
        for (id, var) in crate::cli::ENV_FALLBACKS {
            let Some(value) = vars.get(var) else {
                continue;
            };
            match id {
                "env" if global.env.is_none() => global.env = Some(value.to_str()?.to_string()),
                "credential" if global.credential.is_none() => {
                    global.credential = Some(value.to_str()?.to_string())
                }
                "store" if global.store.is_none() => {
                    global.store = Some(StoreKind::parse(value.to_str()?)?)
                }
                "env" | "credential" | "store" => {}
                _ => return None,
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command, TokenCommand};
    use clap::{CommandFactory, FromArgMatches};

    /// clap's definition without its environment fallbacks, which would read the
    /// process (where the test runner's own GTX_* variables could steer them).
    fn clap_without_env() -> clap::Command {
        let mut cmd = Cli::command();
        for (id, _) in crate::cli::ENV_FALLBACKS {
            cmd = cmd.mut_arg(id, |a| a.env(None::<&str>));
        }
        cmd
    }

    /// What clap makes of `args` in an environment of `vars`: an option absent from the
    /// command line takes its variable's value as if given last (clap's reading of it).
    fn via_clap(
        cmd: &clap::Command,
        vars: &EnvVars,
        args: &[&str],
    ) -> Option<(GlobalArgs, TokenGetArgs)> {
        let mut argv: Vec<OsString> = args.iter().map(OsString::from).collect();
        let matches = cmd.clone().try_get_matches_from(&argv).ok()?;
        let given = |id: &str| {
            let sub = matches
                .subcommand_matches("token")?
                .subcommand_matches("get")?;
            Some(sub.value_source(id)? == clap::parser::ValueSource::CommandLine)
        };
        for (id, var) in crate::cli::ENV_FALLBACKS {
            if let Some(value) = vars.get(var)
                && given(id) != Some(true)
            {
                let mut flag = OsString::from(format!("--{id}="));
                flag.push(value);
                argv.push(flag);
            }
        }
        let matches = cmd.clone().try_get_matches_from(&argv).ok()?;
        let cli = Cli::from_arg_matches(&matches).ok()?;
        match cli.command {
            Command::Token(TokenCommand::Get(get)) => Some((cli.global, get)),
            _ => None,
        }
    }

    fn same(cmd: &clap::Command, vars: &EnvVars, args: &[&str]) {
        let argv: Vec<OsString> = args.iter().map(OsString::from).collect();
        let fast = token_get(&argv, vars);
        let slow = via_clap(cmd, vars, args);
        match (fast, slow) {
            (Some((fg, fa)), Some((sg, sa))) => {
                assert_eq!(format!("{fg:?}"), format!("{sg:?}"), "{args:?} {vars:?}");
                assert_eq!(format!("{fa:?}"), format!("{sa:?}"), "{args:?} {vars:?}");
            }
            (None, Some(_)) if args.get(1..3) == Some(&["token", "get"][..]) => {
                panic!("fast path declined a form clap accepts: {args:?} {vars:?}")
            }
            (None, _) => {} // clap decides
            (Some(f), None) => {
                panic!("fast path accepted what clap rejects: {args:?} {vars:?} -> {f:?}")
            }
        }
    }

    /// `token get` as clap builds it, global options included.
    fn token_get_command() -> clap::Command {
        let mut root = Cli::command();
        root.build();
        root.find_subcommand("token")
            .and_then(|t| t.find_subcommand("get"))
            .cloned()
            .expect("token get")
    }

    const VALUES: [&str; 9] = [
        "production",
        "",
        "0",
        "900",
        "-1",
        "2.5",
        "1e20",
        "a b",
        "x\"y",
    ];

    /// Every spelling of `arg` worth trying: each value in each form, missing, repeated.
    fn forms(arg: &clap::Arg) -> Vec<Vec<String>> {
        let long = format!("--{}", arg.get_long().expect("long"));
        let short = arg.get_short().map(|c| format!("-{c}"));
        let mut out = vec![];
        if arg.get_action().takes_values() {
            let mut values: Vec<String> = VALUES.iter().map(|v| v.to_string()).collect();
            values.extend(
                arg.get_possible_values()
                    .iter()
                    .map(|p| p.get_name().to_string()),
            );
            values.push("cloud".into());
            for v in &values {
                out.push(vec![long.clone(), v.clone()]);
                out.push(vec![format!("{long}={v}")]);
                if let Some(s) = &short {
                    out.push(vec![s.clone(), v.clone()]);
                }
            }
            out.push(vec![long.clone()]);
            out.push(vec![long.clone(), "1".into(), long.clone(), "2".into()]);
        } else {
            out.push(vec![long.clone()]);
            out.push(vec![long.clone(), long.clone()]);
            out.push(vec![format!("{long}=x")]);
            if let Some(s) = &short {
                out.push(vec![s.clone()]);
                out.push(vec![format!("{s}{}", &s[1..])]);
                out.push(vec![format!("{s}{0}{0}", &s[1..])]);
            }
        }
        out
    }

    fn snapshots() -> Vec<EnvVars> {
        use std::os::unix::ffi::OsStringExt;
        let not_utf8 = || OsString::from_vec(vec![0xff, b'x']);
        vec![
            EnvVars::default(),
            EnvVars::of([("GTX_ENV", "production")]),
            EnvVars::of([("GTX_ENV", "")]),
            EnvVars::of([("GTX_ENV", not_utf8())]),
            EnvVars::of([("GTX_CREDENTIAL", "ci")]),
            EnvVars::of([("GTX_CREDENTIAL", "")]),
            EnvVars::of([("GTX_STORE", "file")]),
            EnvVars::of([("GTX_STORE", "")]),
            EnvVars::of([("GTX_STORE", "cloud")]),
            EnvVars::of([("GTX_STORE", not_utf8())]),
            EnvVars::of([
                ("GTX_ENV", "staging"),
                ("GTX_CREDENTIAL", "ci"),
                ("GTX_STORE", "memory"),
            ]),
        ]
    }

    fn run(cmd: &clap::Command, vars: &EnvVars, parts: &[&Vec<String>]) {
        let mut args = vec!["gtx", "token", "get"];
        args.extend(parts.iter().flat_map(|p| p.iter().map(String::as_str)));
        same(cmd, vars, &args);
    }

    /// Every argument clap's `token get` takes is either parsed here or left to clap: a
    /// new one cannot slip past the fast path unnoticed.
    #[test]
    fn knows_or_leaves_every_argument() {
        let mut ids: Vec<String> = token_get_command()
            .get_arguments()
            .map(|a| a.get_id().to_string())
            .collect();
        ids.sort();
        let mut ours: Vec<String> = KNOWN
            .iter()
            .chain(&LEFT_TO_CLAP)
            .map(|s| s.to_string())
            .collect();
        ours.sort();
        assert_eq!(ids, ours);
        let mut env: Vec<(String, String)> = Cli::command()
            .get_arguments()
            .filter_map(|a| Some((a.get_id().to_string(), a.get_env()?.to_str()?.to_string())))
            .collect();
        env.sort();
        let mut table: Vec<(String, String)> = crate::cli::ENV_FALLBACKS
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        table.sort();
        assert_eq!(env, table, "cli::ENV_FALLBACKS is what clap declares");
    }

    #[test]
    fn agrees_with_clap_on_every_form_under_every_environment() {
        let get = token_get_command();
        let args: Vec<&clap::Arg> = get
            .get_arguments()
            .filter(|a| KNOWN.contains(&a.get_id().as_str()))
            .collect();
        let all: Vec<Vec<Vec<String>>> = args.iter().map(|a| forms(a)).collect();
        for vars in snapshots() {
            let cmd = clap_without_env();
            run(&cmd, &vars, &[]);
            for form in all.iter().flatten() {
                run(&cmd, &vars, &[form]);
            }
        }
        // Pairs: the first three spellings of each argument with those of every other.
        let cmd = clap_without_env();
        let vars = EnvVars::default();
        for (i, a) in all.iter().enumerate() {
            for (j, b) in all.iter().enumerate() {
                if i == j {
                    continue;
                }
                for fa in a.iter().take(3) {
                    for fb in b.iter().take(3) {
                        run(&cmd, &vars, &[fa, fb]);
                    }
                }
            }
        }
        for other in [
            &["gtx", "token", "generate"][..],
            &["gtx", "--env", "x", "token", "get"],
            &["gtx", "token", "get", "extra"],
        ] {
            same(&cmd, &vars, other);
        }
    }

    #[test]
    fn declines_what_it_leaves_to_clap() {
        let argv = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
        let none = EnvVars::default();
        for args in [
            &["gtx", "token", "get", "--help"][..],
            &[
                "gtx",
                "token",
                "get",
                "--header",
                "--for",
                "GET",
                "https://x/",
            ],
            &["gtx", "token", "get", "--store", "cloud"],
            &["gtx", "token", "get", "-e", "x"],
            &["gtx", "token", "get", "--scope", "café"],
            &["gtx", "token"],
        ] {
            assert!(token_get(&argv(args), &none).is_none(), "{args:?}");
        }
        assert!(token_get(&argv(&["gtx", "token", "get"]), &none).is_some());
        let bad_store = EnvVars::of([("GTX_STORE", "cloud")]);
        assert!(token_get(&argv(&["gtx", "token", "get"]), &bad_store).is_none());
    }
}
