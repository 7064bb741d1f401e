//! Handing a URL to the person's browser (the sign-in page, the Try-It page): only where
//! one can run, and never in a way that holds gtx up.

use crate::output::Output;

/// Linux and the BSDs need an X11 or Wayland display for a graphical browser; SSH
/// sessions and containers have neither.
pub fn has_display() -> bool {
    if cfg!(any(target_os = "macos", target_os = "windows")) {
        return true;
    }
    let vars = crate::env_vars::process();
    vars.is_given(crate::env_vars::DISPLAY) || vars.is_given(crate::env_vars::WAYLAND_DISPLAY)
}

/// Whether to hand the URL to a browser: never with `--no-browser`; with BROWSER set
/// always (it may be a text browser, or a script); otherwise only with a display.
pub fn can_open(no_browser: bool) -> bool {
    let browser_set = crate::env_vars::process().is_given(crate::env_vars::BROWSER);
    !no_browser && (browser_set || has_display())
}

/// Opens the URL on a thread of its own: a text browser named by BROWSER runs until it
/// exits, and the callback it follows must find gtx already waiting.
pub fn open_browser(out: &Output, url: &str) {
    let url = url.to_string();
    let out = out.clone();
    let _ = std::thread::Builder::new()
        .name("gtx-browser".into())
        .spawn(move || {
            if let Err(e) = webbrowser::open(&url) {
                out.warn(&format!(
                    "could not open a browser ({e}); open the URL above yourself"
                ));
            }
        });
}
