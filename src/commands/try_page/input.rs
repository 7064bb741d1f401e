//! Reading what the page sent: its JSON calls carry named strings and `[name, value]` rows.

use crate::error::{AppError, Result};
use serde_json::Value;

/// The string `field`; a missing or non-string one is the page's mistake.
pub fn text(input: &Value, field: &str) -> Result<String> {
    input
        .get(field)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| AppError::usage(format!("the page sent no {field}")))
}

/// `[[name, value], …]`; rows with an empty name are the page's blank rows.
pub fn pairs(input: &Value, field: &str) -> Result<Vec<(String, String)>> {
    let Some(rows) = input.get(field) else {
        return Ok(Vec::new());
    };
    let rows = rows
        .as_array()
        .ok_or_else(|| AppError::usage(format!("the page sent {field} that is not a list")))?;
    let mut out = Vec::new();
    for row in rows {
        let pair = row.as_array().filter(|r| r.len() == 2);
        let (Some(k), Some(v)) = (
            pair.and_then(|p| p[0].as_str()),
            pair.and_then(|p| p[1].as_str()),
        ) else {
            return Err(AppError::usage(format!(
                "the page sent a {field} row that is not [name, value]"
            )));
        };
        if !k.trim().is_empty() {
            out.push((k.trim().to_string(), v.to_string()));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rows_and_fields() {
        let v = json!({"query": [["a", "1"], ["", "x"], [" b ", "2"]], "bad": [["a"]]});
        assert_eq!(
            pairs(&v, "query").expect("ok"),
            vec![("a".into(), "1".into()), ("b".into(), "2".into())]
        );
        assert!(pairs(&v, "bad").is_err());
        assert!(pairs(&v, "missing").expect("ok").is_empty());
        assert!(text(&v, "env").is_err());
    }
}
