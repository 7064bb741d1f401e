//! The page itself, built into the binary: nothing is fetched from anywhere else, so the
//! page works offline and its Content-Security-Policy can allow only its own origin.

pub const INDEX_HTML: &str = include_str!("../../../assets/try/index.html");
pub const APP_JS: &str = include_str!("../../../assets/try/app.js");
pub const APP_CSS: &str = include_str!("../../../assets/try/app.css");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_loads_nothing_from_elsewhere() {
        for (name, text) in [
            ("index.html", INDEX_HTML),
            ("app.js", APP_JS),
            ("app.css", APP_CSS),
        ] {
            for foreign in ["http://", "https://", "//cdn", "@import", "url("] {
                assert!(!text.contains(foreign), "{name} refers to {foreign}");
            }
        }
        assert!(!INDEX_HTML.contains("<script>"), "no inline script");
        assert!(!INDEX_HTML.contains("style="), "no inline style");
        assert!(
            !APP_JS.contains("innerHTML"),
            "answers are text, never HTML"
        );
        assert!(!APP_JS.contains("eval("));
    }
}
