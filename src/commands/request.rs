//! `gtx request [METHOD] PATH`: an authenticated call to the environment's API. The token
//! comes from the pipeline (cache, refresh or mint; never a login), goes only to
//! `api_base`'s origin, and is renewed once when the server answers 401.

use crate::cli::RequestArgs;
use crate::context::Context;
use crate::error::{AppError, Kind, Result};
use crate::oauth::http::{self, Http, Request, RetryPolicy, Streaming};
use crate::request::{authorized, download, render, target};
use crate::vlog;
use std::io::IsTerminal;

pub fn run(ctx: &Context, args: &RequestArgs) -> Result<()> {
    // The body is the server's, in whatever format it chose: it cannot be promised to be
    // one JSON document, so --json is refused rather than broken (README).
    if ctx.json() {
        return Err(AppError::usage(
            "gtx request prints the response body as the server sent it; --json does not apply",
        )
        .hint("drop --json (pipe a JSON body to jq; -i adds the status line and headers)"));
    }
    let payload = target::payload(args.data.as_deref(), &args.raw_fields, &args.fields)?;
    let env = ctx.env()?;
    // An operation id, or a path (checked when it matches an operation of the index).
    let body = payload.as_ref().map(|p| &p.bytes[..]);
    let warn = super::hints::Warnings(&ctx.out);
    let plan = crate::request::operation::plan(&warn, &env, args, body)?;
    let (method, path) = (plan.method.clone(), plan.path.clone());
    let mut req_headers = Vec::new();
    for h in &args.headers {
        let (name, value) = target::parse_header(h)?;
        let secret = target::secret_header(&name);
        req_headers.push((name, value, secret));
    }
    let base = env.api_base_url()?;
    let url = target::resolve(&base, &path, &args.query)?;
    if let Some(file) = output_file(args).filter(|_| !args.dry_run) {
        download::check_target(file)?;
    }
    if args.retry > 0 && !http::idempotent(&method) {
        ctx.out.warn(&format!(
            "--retry ignored: {method} is not idempotent, and a retried one may be carried out twice"
        ));
    }
    let policy = RetryPolicy::request(&method, args.retry);

    let req = authorized::build(method.clone(), url, req_headers, payload);
    let anonymous = plan.operation.as_ref().is_some_and(|op| op.anonymous());
    if args.dry_run {
        return crate::request::dry_run::print(&ctx.out, &req, !anonymous);
    }
    let http = Http::for_env(&env, ctx.timeout())?;
    let key = ctx.profile(&env)?;
    let to = authorized::Destination {
        env: &env,
        key: &key,
        base: &base,
        warn: &warn,
    };
    let sent = authorized::send(ctx, &to, &http, &req, policy, plan.operation.as_ref())?;
    let mut resp = sent.resp;
    let unsaved = sent.unsaved;
    deliver(ctx, args, &mut resp)?;
    if let Some(lost) = unsaved.as_ref().filter(|_| resp.status.as_u16() >= 400) {
        ctx.out.warn(&super::hints::message(lost));
    }
    status_result(&resp, &method, &req)?;
    // The request went through, but a renewed token could not be stored: say what was lost.
    unsaved.map_or(Ok(()), Err)
}

fn status_result(resp: &Streaming<'_>, method: &reqwest::Method, req: &Request) -> Result<()> {
    if resp.status.as_u16() >= 400 {
        return Err(AppError::new(
            Kind::HttpStatus,
            format!(
                "HTTP {} from {} {}",
                resp.status,
                method,
                http::loggable_url(&req.url)
            ),
        ));
    }
    Ok(())
}

/// `-i`, then the body: to `-o FILE` (a 2xx only: any other body goes to stdout and
/// leaves FILE alone), or stdout.
fn deliver(ctx: &Context, args: &RequestArgs, resp: &mut Streaming<'_>) -> Result<()> {
    let stdout = std::io::stdout();
    let terminal = stdout.is_terminal();
    let mut out = stdout.lock();
    if args.include {
        use std::io::Write;
        out.write_all(&render::head(resp, terminal))
            .and_then(|_| out.flush())
            .or_else(|e| match e.kind() {
                std::io::ErrorKind::BrokenPipe => Ok(()),
                _ => Err(render::write_err(&e, "stdout")),
            })?;
    }
    // Only a 2xx is the resource: a 304 means "keep what you have", an error page or a 300
    // list of choices must not replace a good download.
    if let Some(path) = output_file(args).filter(|_| resp.status.is_success()) {
        let n = download::to_file(resp, path, &ctx.out)?;
        vlog!(1, "wrote {n} bytes to {}", path.display());
        return Ok(());
    }
    let mode = if terminal {
        render::Mode::Terminal {
            color: colour_allowed(ctx),
        }
    } else {
        render::Mode::Raw
    };
    render::body(resp, &mut out, mode, &ctx.out)
}

/// `-o FILE`; `-o -` is stdout, as in curl and wget (`./-` names a file called `-`).
fn output_file(args: &RequestArgs) -> Option<&std::path::Path> {
    args.output.as_deref().filter(|p| p.as_os_str() != "-")
}

fn colour_allowed(ctx: &Context) -> bool {
    !ctx.global.no_color && !ctx.vars.colour_refused()
}
