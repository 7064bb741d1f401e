//! `gtx try`: the Try-It page, served on 127.0.0.1 (docs/try.md). The page talks only to
//! gtx; gtx holds the token and sends the requests, so no answer to the page carries a
//! token, a refresh token or a client secret.

mod api;
mod assets;
mod gate;
mod input;
mod operations;
mod scrub;
mod server;

use crate::cli::TryArgs;
use crate::context::Context;
use crate::error::{AppError, Result};

pub fn run(ctx: Context, args: &TryArgs) -> Result<()> {
    let env = ctx.env()?;
    let credential = ctx.credential()?;
    let (socket, port) = crate::listen::loopback(args.port, |p, e| {
        AppError::config(format!("cannot listen on 127.0.0.1:{p}: {e}"))
            .hint("choose another --port, or leave it out for any free port")
    })?;
    let gate = gate::Gate::new(port)?;
    let url = gate.opening_url();
    if super::browser::can_open(args.no_browser) {
        ctx.out.status(&format!(
            "opening the Try-It page for {}/{credential}; if it does not open, visit:\n  {url}",
            env.name
        ));
        super::browser::open_browser(&ctx.out, &url);
    } else {
        ctx.out.status(&format!(
            "the Try-It page for {}/{credential} is at (open it once, in one browser):\n  {url}",
            env.name
        ));
    }
    ctx.out.status("Ctrl-C stops it.");
    let page = api::Page::new(ctx.global, ctx.out, env.name, credential);
    server::serve(socket, gate, page)
}
