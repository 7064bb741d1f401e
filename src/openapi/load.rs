//! Where a document comes from (`openapi_url`: absolute, relative to `api_base`, or a local
//! file) and how its bytes become a JSON value: JSON or YAML, under a size cap, with the
//! line and column of what does not parse.

use crate::config::Environment;
use crate::error::{AppError, Result};
use std::io::Read;
use std::path::{Path, PathBuf};
use url::Url;

/// The most gtx reads of one document and of the files its `$ref`s name, together. GitHub's
/// description, among the largest public ones, is 13 MB.
pub const MAX_DOCUMENT: u64 = 64 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Url(Url),
    File(PathBuf),
}

/// `openapi_url` as the environment gives it: `https://…` (or `http://` on a loopback
/// host), `/path` relative to `api_base` (unless a file of that absolute path exists), or
/// a local file (`file:///abs`, `~/…`, an existing absolute path, or a path relative to
/// the current directory).
pub fn source_of(env: &Environment, value: &str) -> Result<Source> {
    if value.starts_with('/') && Path::new(value).is_file() {
        return Ok(Source::File(PathBuf::from(value)));
    }
    if value.starts_with("http://") || value.starts_with("https://") || value.starts_with('/') {
        return env
            .endpoint(Some(value), "openapi_url")?
            .map(Source::Url)
            .ok_or_else(|| AppError::config("openapi_url is empty"));
    }
    let path = if let Some(rest) = value.strip_prefix("file://") {
        Url::parse(&format!("file://{rest}"))
            .ok()
            .and_then(|u| u.to_file_path().ok())
            .ok_or_else(|| AppError::config(format!("openapi_url {value:?} is not a file URL")))?
    } else if let Some(rest) = value.strip_prefix("~/") {
        dirs::home_dir()
            .ok_or_else(|| AppError::config("cannot expand ~ in openapi_url: HOME is not set"))?
            .join(rest)
    } else if value.contains("://") {
        return Err(AppError::config(format!(
            "openapi_url {value:?}: only https (http on loopback hosts) and local files are read"
        )));
    } else {
        std::env::current_dir()
            .map_err(|e| AppError::config(format!("cannot read the current directory: {e}")))?
            .join(value)
    };
    Ok(Source::File(path))
}

/// A local file's bytes, refused past `cap`.
pub fn read_file(path: &Path, cap: u64) -> std::result::Result<Vec<u8>, String> {
    // Read only if a regular file: a terminal or a device named as a document would wait
    // forever or never end.
    let file = crate::fsutil::open_to_read(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    match file.metadata() {
        Ok(m) if m.is_file() => {}
        Ok(_) => {
            return Err(format!(
                "cannot read {}: not a regular file",
                path.display()
            ));
        }
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    }
    let mut bytes = Vec::new();
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.len() as u64 > cap {
        return Err(too_large(&path.display().to_string(), cap));
    }
    Ok(bytes)
}

pub fn too_large(what: &str, cap: u64) -> String {
    format!(
        "{what} is larger than {} MiB, more than an API description gtx reads",
        cap >> 20
    )
}

/// Brackets a YAML document may leave open at once. The YAML parser takes time growing
/// with the square of the nesting (minutes for 30,000 `[`), and no API description nests
/// past a few dozen; the parser itself then refuses anything past 128.
const MAX_NESTING: usize = 1000;

/// The deepest count of unclosed `[` and `{` (quoted text included: an over-count only
/// matters past [`MAX_NESTING`]).
fn flow_depth(bytes: &[u8]) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for b in bytes {
        match b {
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// JSON when it starts like JSON (faster, and its errors are precise), else YAML.
pub fn parse(bytes: &[u8], name: &str) -> std::result::Result<serde_json::Value, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if matches!(first, Some(b'{') | Some(b'[')) {
        return serde_json::from_slice(bytes).map_err(|e| format!("{name} is not valid JSON: {e}"));
    }
    if flow_depth(bytes) > MAX_NESTING {
        return Err(format!(
            "{name} is not valid YAML: nested more than {MAX_NESTING} levels deep"
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "{name} is neither JSON nor YAML: not UTF-8 (at byte {})",
            e.valid_up_to()
        )
    })?;
    serde_yaml_ng::from_str::<serde_json::Value>(text).map_err(|e| {
        let place = e
            .location()
            .map(|l| format!(" at line {} column {}", l.line(), l.column()))
            .unwrap_or_default();
        let why = e.to_string();
        let why = why.split(" at line ").next().unwrap_or(&why).to_string();
        format!("{name} is not valid YAML{place}: {why}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_yaml_parse_and_report_the_place() {
        assert!(parse(br#"{"openapi":"3.1.0"}"#, "d").is_ok());
        let v = parse(b"openapi: 3.0.3\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n", "d")
            .expect("yaml");
        assert!(v.pointer("/paths/~1a/get/responses/200").is_some(), "{v}");
        let e = parse(b"{\"openapi\": ", "doc.json").expect_err("bad json");
        assert!(
            e.contains("doc.json is not valid JSON") && e.contains("line 1"),
            "{e}"
        );
        let e = parse(b"openapi: [1, 2\n", "doc.yaml").expect_err("bad yaml");
        assert!(e.contains("not valid YAML at line"), "{e}");
    }
}
