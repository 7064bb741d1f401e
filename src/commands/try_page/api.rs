//! What the page can ask gtx (docs/try.md): the profiles to choose from, a token's state
//! (never the token), a request sent as `gtx request` sends it, and forgetting. Each call
//! runs on a worker thread and answers JSON; an error is gtx's own message and exit code.

use super::input::text;
use super::scrub::Needles;
use crate::cli::GlobalArgs;
use crate::config::Config;
use crate::context::Context;
use crate::error::{AppError, Kind, Result};
use crate::oauth::http::{self, Http, RetryPolicy};
use crate::output::Output;
use crate::request::{authorized, target};
use crate::secret::Secret;
use crate::store::ProfileKey;
use crate::time;
use serde_json::{Value, json};
use std::sync::Mutex;
use std::time::Instant;

/// The most of a response body gtx keeps for the page.
const MAX_SHOWN: usize = 16 << 20;
/// The shortest stored secret looked for in every answer.
const MIN_STORED: usize = 8;
/// JSON larger than this is shown as it came instead of pretty-printed.
const PRETTY_CAP: usize = 2 << 20;

pub struct Answer {
    pub status: u16,
    pub body: Value,
}

impl Answer {
    fn ok(body: Value) -> Answer {
        Answer { status: 200, body }
    }

    pub fn bug(message: &str) -> Answer {
        Answer::error(&AppError::bug(message.to_string()))
    }

    fn error(e: &AppError) -> Answer {
        let status = match e.kind {
            Kind::Usage | Kind::Config => 400,
            Kind::NotSignedIn => 401,
            Kind::Rejected => 403,
            Kind::Network => 502,
            _ => 500,
        };
        Answer {
            status,
            body: json!({
                "error": crate::commands::hints::message(e),
                "hints": crate::commands::hints::lines(e),
                "exit_code": e.kind.exit_code(),
            }),
        }
    }
}

/// The page's own state: which profile it was authorised for (by Generate), and the last
/// binary body, for its download link.
pub struct Page {
    global: GlobalArgs,
    out: Output,
    env: String,
    credential: String,
    held: Mutex<Held>,
}

#[derive(Default)]
struct Held {
    authorised: Option<ProfileKey>,
    download: Option<(String, Vec<u8>)>,
    next_id: u64,
}

impl Page {
    pub fn new(global: GlobalArgs, out: Output, env: String, credential: String) -> Page {
        Page {
            global,
            out,
            env,
            credential,
            held: Mutex::new(Held::default()),
        }
    }

    fn held(&self) -> std::sync::MutexGuard<'_, Held> {
        self.held.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn call(&self, name: &str, input: &Value) -> Answer {
        let result = match name {
            "token" => self.generate(input),
            "send" => self.send(input),
            "forget" => {
                self.held().authorised = None;
                Ok(json!({ "forgotten": true }))
            }
            "clear-stored" => self.clear_stored(input),
            "operation" => text(input, "env").and_then(|env| {
                let env = Config::load()?.get(&env)?.name;
                super::operations::detail(&env, &text(input, "id")?)
            }),
            _ => {
                return Answer {
                    status: 404,
                    body: json!({ "error": "not found" }),
                };
            }
        };
        let mut answer = result.map_or_else(|e| Answer::error(&e), Answer::ok);
        if matches!(name, "token" | "send") {
            // Whatever server text an answer quotes (an error_description, a URL), no
            // secret the profile holds reaches the page, in any spelling.
            let needles = Needles::new(&self.stored_secrets(input));
            answer.body = needles.scrub_value(answer.body);
        }
        answer
    }

    /// The secrets the store holds for the profile `input` names, as they are after the
    /// call (a renewal may have rotated them): tokens, the client secret, the DPoP key.
    fn stored_secrets(&self, input: &Value) -> Vec<Secret> {
        let Ok((ctx, key)) = self.context(input) else {
            return Vec::new();
        };
        let Ok(Some(record)) = ctx.store().and_then(|store| store.load(&key)) else {
            return Vec::new();
        };
        let mut secrets = Vec::new();
        if let Some(client) = record.client {
            secrets.push(client.client_secret);
        }
        if let Some(session) = record.session {
            secrets.push(session.access_token);
            secrets.extend(session.refresh_token);
            secrets.extend(session.dpop_key);
        }
        // A very short secret would blank ordinary words out of every answer; the tokens
        // the request used are removed at any length (`send`).
        secrets.retain(|s| s.expose().len() >= MIN_STORED);
        secrets
    }

    /// Every environment and, for each, the credentials the store holds (and `default`),
    /// with the command line's selection.
    pub fn state(&self) -> Answer {
        let run = || -> Result<Value> {
            let ctx = Context::new(self.global.clone(), &self.out)?;
            let (profiles, store_error) = match ctx.store().and_then(|s| s.list()) {
                Ok(list) => (list.into_iter().map(|(k, _)| k).collect(), None),
                Err(e) => (Vec::new(), Some(crate::commands::hints::message(&e))),
            };
            let envs: Vec<Value> = ctx
                .config
                .all()
                .into_iter()
                .map(|env| {
                    let mut creds: Vec<String> = vec!["default".into()];
                    if env.name == self.env {
                        creds.push(self.credential.clone());
                    }
                    creds.extend(
                        profiles
                            .iter()
                            .filter(|k: &&ProfileKey| k.env == env.name)
                            .map(|k| k.credential.clone()),
                    );
                    creds.sort();
                    creds.dedup();
                    json!({
                        "name": env.name,
                        "api_base": env.api_base,
                        "dialect": env.dialect.name(),
                        "credentials": creds,
                    })
                })
                .collect();
            let authorised = self.held().authorised.clone();
            Ok(json!({
                "environments": envs,
                "selected": { "env": self.env, "credential": self.credential },
                "authorised": authorised.map(|k| json!({"env": k.env, "credential": k.credential})),
                "store": ctx.store_kind().name(),
                "store_error": store_error,
            }))
        };
        run().map_or_else(|e| Answer::error(&e), Answer::ok)
    }

    /// The context a call runs in: the command line's, with the page's profile.
    fn context(&self, input: &Value) -> Result<(Context, ProfileKey)> {
        let env = text(input, "env")?;
        let credential = text(input, "credential")?;
        let global = GlobalArgs {
            env: Some(env),
            credential: Some(credential),
            json: false,
            ..self.global.clone()
        };
        let ctx = Context {
            global,
            config: Config::load()?,
            out: self.out.clone(),
            vars: crate::env_vars::process(),
        };
        let env = ctx.env()?;
        let key = ctx.profile(&env)?;
        Ok((ctx, key))
    }

    /// Generate token: gtx's own pipeline (cached, refreshed or minted, under the
    /// profile lock); the page learns the token's state, never the token.
    fn generate(&self, input: &Value) -> Result<Value> {
        let (ctx, key) = self.context(input)?;
        let env = ctx.env()?;
        let started = Instant::now();
        let outcome = authorized::token(&ctx, &env, &key)?;
        let elapsed = started.elapsed();
        self.held().authorised = Some(key.clone());
        let s = &outcome.session;
        let now = time::now();
        Ok(json!({
            "env": key.env,
            "credential": key.credential,
            "grant": s.grant.name(),
            "token_type": s.token_type,
            "scopes": s.scopes,
            "expires_in": s.expires_at.map(|e| e.saturating_sub(now)),
            "source": outcome.source.name(),
            "time_ms": elapsed.as_secs_f64() * 1000.0,
            "unsaved": outcome.unsaved.map(|e| crate::commands::hints::message(&e)),
        }))
    }

    /// Send request: refused until Generate authorised this profile; then exactly what
    /// `gtx request` does (origin rules, header rules, redirects, one renewal on 401).
    fn send(&self, input: &Value) -> Result<Value> {
        let (ctx, key) = self.context(input)?;
        if self.held().authorised.as_ref() != Some(&key) {
            return Err(AppError::not_signed_in(format!(
                "the page holds no authorisation for {key}: press Generate token first"
            )));
        }
        let env = ctx.env()?;
        let body = input.get("body").and_then(Value::as_str).unwrap_or("");
        let args = super::operations::request_args(&env.name, input)?;
        // An operation, or a path (checked when it matches one): as `gtx request` plans it.
        let warn = crate::commands::hints::Warnings(&ctx.out);
        let plan = crate::request::operation::plan(
            &warn,
            &env,
            &args,
            (!body.is_empty()).then_some(body.as_bytes()),
        )?;
        let method = plan.method.clone();
        let mut headers = Vec::new();
        for h in &args.headers {
            let (name, value) = target::parse_header(h)?;
            let secret = target::secret_header(&name);
            headers.push((name, value, secret));
        }
        let payload = (!body.is_empty()).then(|| {
            let json = serde_json::from_str::<serde::de::IgnoredAny>(body).is_ok();
            target::Payload {
                bytes: bytes::Bytes::copy_from_slice(body.as_bytes()),
                content_type: match json {
                    true => "application/json",
                    false => "text/plain; charset=utf-8",
                },
            }
        });
        let base = env.api_base_url()?;
        let url = target::resolve(&base, &plan.path, &args.query)?;
        let req = authorized::build(method.clone(), url, headers, payload);
        let policy = RetryPolicy::request(&method, 0);
        let started = Instant::now();
        let http = Http::for_env(&env, ctx.timeout())?;
        let to = authorized::Destination {
            env: &env,
            key: &key,
            base: &base,
            warn: &warn,
        };
        let sent = authorized::send(&ctx, &to, &http, &req, policy, plan.operation.as_ref())?;
        let needles = Needles::new(&sent.secrets);
        let resp = sent.resp;
        let (status, version) = (resp.status, resp.version);
        let final_url = resp.url.clone();
        let collected = resp.collect(MAX_SHOWN)?;
        let elapsed = started.elapsed();
        let headers: Vec<Value> = collected
            .headers
            .iter()
            .map(|(n, v)| json!([n.as_str(), String::from_utf8_lossy(v.as_bytes())]))
            .collect();
        let body = needles.scrub_cut(&collected.body, collected.truncated);
        // Every string the page gets, the header names, the URL a redirect ended on and the
        // decoded, pretty-printed body included.
        Ok(needles.scrub_value(json!({
            "status": status.as_u16(),
            "reason": status.canonical_reason().unwrap_or(""),
            "version": format!("{version:?}"),
            "method": method.as_str(),
            "url": http::loggable_url(&req.url),
            "final_url": http::loggable_url(&final_url),
            "time_ms": elapsed.as_secs_f64() * 1000.0,
            "headers": headers,
            "body": self.shown(body, collected.truncated),
            "unsaved": sent.unsaved.map(|e| crate::commands::hints::message(&e)),
        })))
    }

    /// How the page shows a body: JSON pretty-printed, text as text, anything else as a
    /// size and a download.
    fn shown(&self, body: Vec<u8>, truncated: bool) -> Value {
        let size = body.len();
        if body.is_empty() {
            return json!({ "kind": "empty", "size": 0, "truncated": truncated });
        }
        let binary = body.iter().take(8192).any(|b| *b == 0) || std::str::from_utf8(&body).is_err();
        if binary {
            let mut held = self.held();
            held.next_id += 1;
            let id = held.next_id.to_string();
            held.download = Some((id.clone(), body));
            return json!({
                "kind": "binary",
                "size": size,
                "truncated": truncated,
                "download": format!("/api/download/{id}"),
            });
        }
        let text = String::from_utf8_lossy(&body).into_owned();
        if !truncated
            && size <= PRETTY_CAP
            && let Ok(v) = serde_json::from_str::<Value>(&text)
        {
            let pretty = serde_json::to_string_pretty(&v).unwrap_or(text);
            return json!({ "kind": "json", "size": size, "truncated": false, "text": pretty });
        }
        json!({ "kind": "text", "size": size, "truncated": truncated, "text": text })
    }

    /// The environment's endpoint list (or the hint to sync one).
    pub fn operations(&self, env: &str) -> Answer {
        let run = || -> Result<Value> {
            let env = Config::load()?.get(env)?.name;
            super::operations::list(&env)
        };
        run().map_or_else(|e| Answer::error(&e), Answer::ok)
    }

    pub fn download(&self, id: &str) -> Option<Vec<u8>> {
        let held = self.held();
        held.download
            .as_ref()
            .filter(|(have, _)| have == id)
            .map(|(_, bytes)| bytes.clone())
    }

    /// Clear's second, explicit step: the stored token goes too (as `gtx token clear`).
    fn clear_stored(&self, input: &Value) -> Result<Value> {
        let (ctx, key) = self.context(input)?;
        self.held().authorised = None;
        super::super::token::clear(&ctx, &crate::cli::TokenClearArgs { all: false })?;
        Ok(json!({ "cleared": { "env": key.env, "credential": key.credential } }))
    }
}
