//! `-f k=v` and `-F k=v` build one JSON object. Keys nest the way xh's do: `a.b`,
//! `a[b]`, `items[0].sku`, and `tags[]` to append; `\` escapes `.`, `[`, `]` and `\`.

use crate::error::{AppError, Result};
use serde_json::{Map, Value};

/// Array indexes beyond this are refused: `-F 'a[99999999]=1'` must not allocate gigabytes.
const MAX_INDEX: usize = 10_000;
/// Keys nest at most this deep: building, encoding and dropping the object recurse once
/// per level, and `-F "a$(printf '[0]%.0s' {1..40000})=1"` must not overflow the stack.
const MAX_DEPTH: usize = 100;

#[derive(Debug, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
    Append,
}

/// A typed (`-F`) value: `@FILE` is read as JSON; anything that parses as JSON (numbers,
/// `true`, `false`, `null`, arrays, objects, quoted strings) is that; the rest is a string.
pub fn typed_value(raw: &str, budget: &mut super::source::Budget) -> Result<Value> {
    if let Some(path) = raw.strip_prefix('@') {
        let text = super::source::read_source(path, budget)?;
        return serde_json::from_slice(&text)
            .map_err(|e| AppError::usage(format!("{path} is not valid JSON: {e}")));
    }
    Ok(serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_string())))
}

/// The JSON object the fields describe, in the order given (`-f` then `-F` as typed).
pub fn build(fields: &[(String, Value)]) -> Result<Value> {
    let mut root = Value::Object(Map::new());
    // Nulls that sparse indexes may pad in all: thousands of `a[N][10000]` fields, each
    // within MAX_INDEX, would otherwise fill gigabytes.
    let mut padding = MAX_INDEX;
    for (key, value) in fields {
        let steps = parse_key(key)?;
        set(&mut root, &steps, value.clone(), &mut padding)
            .map_err(|why| AppError::usage(format!("field {key:?}: {why}")))?;
    }
    Ok(root)
}

/// Splits `k=v` at the first `=`.
pub fn split_pair<'a>(pair: &'a str, flag: &str) -> Result<(&'a str, &'a str)> {
    match pair.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k, v)),
        _ => Err(AppError::usage(format!(
            "{flag} expects KEY=VALUE, got {pair:?}"
        ))),
    }
}

fn parse_key(key: &str) -> Result<Vec<Step>> {
    let shown: String = key.chars().take(60).collect();
    let cut = if shown.len() < key.len() { "…" } else { "" };
    let bad = |why: &str| AppError::usage(format!("field key {shown:?}{cut}: {why}"));
    let mut steps = Vec::new();
    let mut chars = key.chars().peekable();
    let mut name = String::new();
    let mut in_bracket = false;
    let mut pending_name = true;
    while let Some(c) = chars.next() {
        match c {
            '\\' => name.push(chars.next().ok_or_else(|| bad("ends with '\\'"))?),
            '[' if !in_bracket => {
                if pending_name && (!name.is_empty() || steps.is_empty()) {
                    steps.push(Step::Key(std::mem::take(&mut name)));
                }
                in_bracket = true;
            }
            ']' if in_bracket => {
                let inside = std::mem::take(&mut name);
                steps.push(if inside.is_empty() {
                    Step::Append
                } else if let Ok(i) = inside.parse::<usize>() {
                    if i > MAX_INDEX {
                        return Err(bad(&format!("index {i} is above {MAX_INDEX}")));
                    }
                    Step::Index(i)
                } else {
                    Step::Key(inside)
                });
                in_bracket = false;
                pending_name = false;
            }
            '.' if !in_bracket => {
                if pending_name {
                    steps.push(Step::Key(std::mem::take(&mut name)));
                }
                pending_name = true;
            }
            c => {
                if !in_bracket && !pending_name {
                    return Err(bad("expected '.' or '[' after ']'"));
                }
                name.push(c);
            }
        }
    }
    if in_bracket {
        return Err(bad("unclosed '['"));
    }
    if pending_name {
        steps.push(Step::Key(name));
    }
    if steps.len() > MAX_DEPTH {
        return Err(bad(&format!(
            "nests too deep (more than {MAX_DEPTH} levels)"
        )));
    }
    match steps.first() {
        Some(Step::Key(k)) if !k.is_empty() => Ok(steps),
        _ => Err(bad("must start with a name")),
    }
}

fn set(
    node: &mut Value,
    steps: &[Step],
    value: Value,
    padding: &mut usize,
) -> std::result::Result<(), String> {
    let Some((step, rest)) = steps.split_first() else {
        *node = value;
        return Ok(());
    };
    let child = match step {
        Step::Key(k) => {
            if node.is_null() {
                *node = Value::Object(Map::new());
            }
            let Value::Object(map) = node else {
                return Err(format!("cannot set key {k:?} inside a non-object"));
            };
            map.entry(k.clone()).or_insert(Value::Null)
        }
        Step::Index(_) | Step::Append => {
            if node.is_null() {
                *node = Value::Array(Vec::new());
            }
            let Value::Array(list) = node else {
                return Err("cannot index into a non-array".to_string());
            };
            let i = match step {
                Step::Index(i) => *i,
                _ => list.len(),
            };
            if list.len() <= i {
                *padding = padding.checked_sub(i - list.len()).ok_or(format!(
                    "sparse indexes pad more than {MAX_INDEX} nulls in all"
                ))?;
                list.resize(i + 1, Value::Null);
            }
            &mut list[i]
        }
    };
    set(child, rest, value, padding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::source::Budget;
    use serde_json::json;

    fn b(pairs: &[(&str, Value)]) -> Value {
        let owned: Vec<(String, Value)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        build(&owned).expect("valid fields")
    }

    #[test]
    fn nests_like_xh() {
        let v = b(&[
            ("name", json!("gift")),
            ("items[0].sku", json!("A1")),
            ("items[0].qty", json!(2)),
            ("items[1][sku]", json!("B2")),
            ("tags[]", json!("x")),
            ("tags[]", json!("y")),
            ("meta.owner.id", json!(7)),
        ]);
        assert_eq!(
            v,
            json!({"name":"gift","items":[{"sku":"A1","qty":2},{"sku":"B2"}],"tags":["x","y"],"meta":{"owner":{"id":7}}})
        );
    }

    #[test]
    fn escapes_and_errors() {
        assert_eq!(b(&[("a\\.b", json!(1))]), json!({"a.b": 1}));
        let fields = |k: &str| build(&[(k.to_string(), json!(1))]);
        assert!(fields("[0]").is_err());
        assert!(fields("a[0").is_err());
        assert!(fields("a[99999999]").is_err());
        assert!(fields("a]b").is_ok());
        assert!(build(&[("a".into(), json!(1)), ("a[0]".into(), json!(2))]).is_err());
        assert!(build(&[("a[0]".into(), json!(1)), ("a.b".into(), json!(2))]).is_err());
    }

    #[test]
    fn typed_values() {
        let typed = |raw: &str| typed_value(raw, &mut Budget::default());
        assert_eq!(typed("12").unwrap(), json!(12));
        assert_eq!(typed("1.5").unwrap(), json!(1.5));
        assert_eq!(typed("true").unwrap(), json!(true));
        assert_eq!(typed("null").unwrap(), json!(null));
        assert_eq!(typed("[1,2]").unwrap(), json!([1, 2]));
        assert_eq!(typed("hello").unwrap(), json!("hello"));
        assert!(typed("@/nonexistent/file.json").is_err());
    }
}
