//! Strings that come from outside (servers, config files, pasted tokens) checked where they
//! enter, and escaped where they leave for a terminal. A `token_type` ends up in an HTTP
//! header and in `curl -H "$(gtx token get --header)"`; a scope or URL ends up on a screen
//! that would obey an ESC or OSC sequence.

use std::borrow::Cow;
use std::fmt::Write;

/// Escapes every control character (C0, DEL, C1) and bidirectional control, newlines
/// included, so one value stays one line and cannot move the cursor, retitle the window,
/// forge a hyperlink or reorder the text around it.
pub fn terminal(value: &str) -> Cow<'_, str> {
    escape(value, false)
}

/// The same for a whole block of text that gtx laid out itself: its line breaks stay.
pub fn terminal_text(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

/// Text from a server shown in a terminal: escaped as [`terminal`] does, and cut to `max`
/// characters (with `…`), so a hostile answer cannot fill the screen with one value.
pub fn terminal_cut(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max).collect();
    if s.chars().nth(max).is_some() {
        out.push('…');
    }
    terminal(&out).into_owned()
}

/// Characters a terminal acts on instead of showing: controls (C0, DEL, C1) and the
/// Unicode bidirectional controls, which are no `char::is_control` but reorder what follows
/// them on screen ("Trojan Source": `\u{202e}gnp.exe` shows as `exe.png`).
pub fn steers_terminal(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// A byte scan (which the compiler vectorises) that rules out every character
/// [`steers_terminal`] names: each is a C0 control or DEL, or starts with the UTF-8 lead
/// byte 0xC2 (C1 controls), 0xD8 (U+061C) or 0xE2 (U+200E… and U+2066…). Listings of
/// thousands of lines (`gtx api list`, and its `--json`) are escaped on every run.
fn may_steer_terminal(bytes: &[u8], keep_newlines: bool) -> bool {
    bytes.iter().any(|&b| {
        (b < 0x20 && !(keep_newlines && b == b'\n')) || matches!(b, 0x7f | 0xc2 | 0xd8 | 0xe2)
    })
}

fn escape(value: &str, keep_newlines: bool) -> Cow<'_, str> {
    let unsafe_char = |c: char| steers_terminal(c) && !(keep_newlines && c == '\n');
    if !may_steer_terminal(value.as_bytes(), keep_newlines) || !value.chars().any(unsafe_char) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            c if !unsafe_char(c) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    Cow::Owned(out)
}

/// JSON text that serde_json wrote (C0 controls inside strings already escaped), made safe
/// for a terminal: DEL, C1 controls (U+009B is CSI) and bidirectional controls can only be
/// inside strings, and become `\uXXXX` escapes there (all in the Basic Multilingual Plane),
/// so the document decodes to the same value. Line breaks of the layout stay.
pub fn json_text(json: String) -> String {
    let raw = |c: char| c != '\n' && steers_terminal(c);
    if !may_steer_terminal(json.as_bytes(), true) || !json.chars().any(raw) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if raw(c) {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// RFC 7230 section 3.2.6 `tchar`: what a header token (and so an auth scheme) may hold.
fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// A server's `token_type`, checked as an RFC 7230 token (it becomes the scheme of an
/// `Authorization` header); `Bearer` in any case is stored as `Bearer` (RFC 6750).
pub fn token_type(value: &str) -> Result<String, String> {
    if value.is_empty() || !value.chars().all(is_tchar) {
        return Err(format!(
            "`token_type` {:?} is not a valid HTTP auth scheme",
            terminal_cut(value, 100)
        ));
    }
    understood_token_type(value).map(str::to_string).ok_or_else(|| {
        format!(
            "the token type {:?} is not one gtx understands (Bearer, and DPoP where dpop = true); refusing to use the token (RFC 6749 section 7.1)",
            terminal_cut(value, 100)
        )
    })
}

/// The token type (and `Authorization` scheme) of a DPoP-bound token (RFC 9449).
pub const DPOP_SCHEME: &str = "DPoP";

/// The one place that says which token types gtx can use, in their canonical spelling
/// (matched case-insensitively, as RFC 6749 section 5.1 asks). A DPoP token is used only
/// in an environment with `dpop = true` (`dpop::bind` refuses it elsewhere).
pub fn understood_token_type(value: &str) -> Option<&'static str> {
    ["Bearer", DPOP_SCHEME]
        .into_iter()
        .find(|known| value.eq_ignore_ascii_case(known))
}

/// RFC 6749 section 3.3: `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`.
pub fn scope_token_ok(token: &str) -> bool {
    !token.is_empty()
        && token
            .bytes()
            .all(|b| b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b))
}

/// Scopes from a server (or the user): every token valid, else an error naming the first
/// bad one (escaped).
pub fn scopes(tokens: Vec<String>) -> Result<Vec<String>, String> {
    match tokens.iter().find(|t| !scope_token_ok(t)) {
        Some(bad) => Err(format!(
            "scope {:?} holds characters RFC 6749 does not allow in a scope",
            terminal_cut(bad, 100)
        )),
        None => Ok(tokens),
    }
}

/// URLs (configured or discovered) never carry control characters.
pub fn has_control(value: &str) -> bool {
    value.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_scan_misses_no_character_that_steers_a_terminal() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let mut buf = [0; 4];
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            if steers_terminal(c) {
                assert!(may_steer_terminal(bytes, false), "{:x}", c as u32);
                assert!(
                    c == '\n' || may_steer_terminal(bytes, true),
                    "{:x}",
                    c as u32
                );
            }
        }
        assert!(!may_steer_terminal("plain ünïcode, ok\n".as_bytes(), true));
    }

    #[test]
    fn terminal_escapes_esc_osc_c1_and_newlines() {
        let hostile = "a\u{1b}]0;pwned\u{7}b\u{9b}31m\r\nc\u{7f}";
        let shown = terminal(hostile);
        assert!(!shown.chars().any(char::is_control), "{shown}");
        assert_eq!(shown, "a\\u{1b}]0;pwned\\u{7}b\\u{9b}31m\\r\\nc\\u{7f}");
        assert_eq!(terminal_text("x\ny\u{1b}"), "x\ny\\u{1b}");
        assert!(matches!(terminal("plain ünïcode"), Cow::Borrowed(_)));
        assert_eq!(
            terminal("a\u{202e}gnp.exe \u{2066}\u{2069}\u{200f}\u{61c}"),
            "a\\u{202e}gnp.exe \\u{2066}\\u{2069}\\u{200f}\\u{61c}"
        );
        assert!(matches!(terminal("עברית العربية"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_text_escapes_what_steers_a_terminal_and_decodes_the_same() {
        let v = serde_json::json!({"k\u{202e}": ["a\u{9b}\u{7f}\u{1b}\u{2066}é\n"]});
        let text = json_text(serde_json::to_string_pretty(&v).expect("json"));
        assert!(
            !text.chars().any(|c| c != '\n' && steers_terminal(c)),
            "{text:?}"
        );
        assert!(text.contains(r#""a\u009b\u007f\u001b\u2066é\n""#), "{text}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).expect("json"),
            v
        );
        assert_eq!(json_text("{\n  \"a\": 1\n}".into()), "{\n  \"a\": 1\n}");
    }

    #[test]
    fn token_type_is_a_header_token_and_bearer_is_canonical() {
        assert_eq!(token_type("bearer").as_deref(), Ok("Bearer"));
        assert_eq!(token_type("BEARER").as_deref(), Ok("Bearer"));
        assert_eq!(token_type("dpop").as_deref(), Ok("DPoP"));
        for unknown in ["mac", "N_A", "Basic"] {
            let err = token_type(unknown).expect_err(unknown);
            assert!(err.contains(unknown), "{err}");
        }
        for bad in [
            "Bearer\r\nX-Injected: yes\r\nX-Pad:",
            "Bearer x",
            "",
            "Bear\u{1b}[31mer",
            "Bearér",
        ] {
            let err = token_type(bad).expect_err(bad);
            assert!(!err.chars().any(char::is_control), "{err}");
        }
    }

    #[test]
    fn scope_tokens_follow_rfc_6749() {
        assert!(scope_token_ok("orders.read"));
        assert!(scope_token_ok("https://api.example/x!#[]~"));
        for bad in [
            "",
            "a b",
            "a\"b",
            "a\\b",
            "a\u{1b}]0;x\u{7}",
            "é",
            "a\u{7f}",
        ] {
            assert!(!scope_token_ok(bad), "{bad:?}");
        }
        assert!(scopes(vec!["a".into(), "b\u{1b}".into()]).is_err());
        assert_eq!(scopes(vec!["a".into()]), Ok(vec!["a".to_string()]));
    }
}
