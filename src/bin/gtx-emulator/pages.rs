//! The emulator's HTML: a sign-in form, a consent page with Allow and Deny, the device
//! code entry page and plain message pages. No scripts and no external assets, so a
//! headless browser (or curl) can walk through them.

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::Response;

use crate::codec::html_escape;
use crate::reply;

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}\
label{display:block;margin:.5rem 0}input{display:block;width:100%;padding:.3rem}\
button{margin:.75rem .5rem 0 0;padding:.4rem 1rem}.error{color:#b00}";

fn layout(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{} - gtx-emulator</title>\
         <style>{STYLE}</style></head>\n<body><h1>{}</h1>\n{body}</body></html>\n",
        html_escape(title),
        html_escape(title)
    )
}

pub fn page(status: StatusCode, title: &str, message: &str) -> Response {
    reply::html(
        status,
        layout(
            title,
            &format!("<p id=\"message\">{}</p>\n", html_escape(message)),
        ),
    )
}

fn hidden(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">\n",
                html_escape(k),
                html_escape(v)
            )
        })
        .collect()
}

fn error_line(error: Option<&str>) -> String {
    error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>\n", html_escape(e)))
        .unwrap_or_default()
}

/// Username and password; `carry` are the fields the form posts back unchanged.
pub fn sign_in(
    action: &str,
    client: &str,
    carry: &[(&str, &str)],
    user: &str,
    error: Option<&str>,
) -> Response {
    reply::html(
        StatusCode::OK,
        layout(
            "Sign in",
            &format!(
                "<p>Application <b>{}</b> wants to access your account.</p>\n{}\
                 <form method=\"post\" action=\"{}\">\n{}\
                 <label>Username <input name=\"username\" autocomplete=\"username\" value=\"{}\"></label>\n\
                 <label>Password <input type=\"password\" name=\"password\" autocomplete=\"current-password\"></label>\n\
                 <button type=\"submit\">Sign in</button>\n</form>\n",
                html_escape(client),
                error_line(error),
                html_escape(action),
                hidden(carry),
                html_escape(user),
            ),
        ),
    )
}

/// Allow or Deny; the form carries a single-use ticket that proves the sign-in.
pub fn consent(action: &str, client: &str, scope: &str, user: &str, ticket: &str) -> Response {
    let scopes: String = scope
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(|s| format!("<li>{}</li>", html_escape(s)))
        .collect();
    reply::html(
        StatusCode::OK,
        layout(
            "Allow access?",
            &format!(
                "<p>Signed in as <b>{}</b>. Application <b>{}</b> asks for:</p>\n<ul>{scopes}</ul>\n\
                 <form method=\"post\" action=\"{}\">\n{}\
                 <button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>\
                 <button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\n</form>\n",
                html_escape(user),
                html_escape(client),
                html_escape(action),
                hidden(&[("ticket", ticket)]),
            ),
        ),
    )
}

/// The device flow's first page: type the code shown on the device.
pub fn enter_code(action: &str, error: Option<&str>) -> Response {
    reply::html(
        StatusCode::OK,
        layout(
            "Connect a device",
            &format!(
                "<p>Enter the code shown on your device.</p>\n{}\
                 <form method=\"get\" action=\"{}\">\n\
                 <label>Code <input name=\"user_code\" autocomplete=\"off\" autocapitalize=\"characters\"></label>\n\
                 <button type=\"submit\">Continue</button>\n</form>\n",
                error_line(error),
                html_escape(action),
            ),
        ),
    )
}

/// The OAuth fields of an authorization request, to carry through the forms.
pub const OAUTH_FIELDS: [&str; 7] = [
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
];

pub fn oauth_carry(params: &HashMap<String, String>) -> Vec<(&'static str, &str)> {
    OAUTH_FIELDS
        .iter()
        .filter_map(|f| params.get(*f).map(|v| (*f, v.as_str())))
        .collect()
}
