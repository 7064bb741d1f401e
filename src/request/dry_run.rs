//! `gtx request --dry-run`: the resolved request on stdout (the Try-It panel's "resolved
//! URL"), with the token and secret headers redacted; nothing is sent and no token is
//! fetched.

use crate::error::Result;
use crate::oauth::http::{Body, Request};
use crate::output::Output;

pub fn print(say: &Output, req: &Request, with_token: bool) -> Result<()> {
    let mut out = format!("{} {}\n", req.method, req.url);
    for (name, value, secret) in &req.headers {
        let shown = if *secret {
            crate::secret::redact(value)
        } else {
            value.clone()
        };
        out.push_str(&format!("{name}: {shown}\n"));
    }
    if with_token {
        out.push_str("Authorization: Bearer <the profile's token, redacted>\n");
    }
    if let Body::Raw(bytes) = &req.body {
        out.push('\n');
        match std::str::from_utf8(bytes) {
            Ok(text) => {
                out.push_str(text);
                if !text.ends_with('\n') {
                    out.push('\n');
                }
            }
            Err(_) => out.push_str(&format!("({} bytes of binary data)\n", bytes.len())),
        }
    }
    say.text(&out)
}
