//! What the document says a request must be, checked before it is sent: required
//! parameters, their types, enums and formats, and a JSON body against the operation's
//! schema (JSON Schema 2020-12). Every problem is listed with its JSON path.

use super::Operation;
use crate::output::Warn;
use serde_json::Value;

/// What the command line gives for one request.
#[derive(Debug, Default)]
pub struct Given<'a> {
    pub path: Vec<(String, String)>,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Option<&'a [u8]>,
}

/// A schema the checks cannot use is said on `say` and skipped.
pub fn problems(op: &Operation, given: &Given<'_>, say: &dyn Warn) -> Vec<String> {
    let mut out = Vec::new();
    for p in &op.parameters {
        let values: Vec<&str> = match p.location.as_str() {
            "path" => pick(&given.path, &p.name, false),
            "query" => pick(&given.query, &p.name, false),
            "header" => pick(&given.headers, &p.name, true),
            _ => continue,
        };
        let at = format!("$.{}{}", p.location, member(&p.name));
        if values.is_empty() {
            if p.required {
                out.push(format!("{at}: required, not given"));
            }
            continue;
        }
        let instance = if is_type(&p.schema, "array") {
            let items = p.schema.get("items").cloned().unwrap_or(Value::Null);
            let parts: Vec<&str> = if values.len() == 1 {
                values[0].split(',').collect()
            } else {
                values.clone()
            };
            Value::Array(parts.iter().map(|v| coerce(v, &items)).collect())
        } else {
            coerce(values[values.len() - 1], &p.schema)
        };
        validate(&p.schema, &instance, &at, &mut out, say);
    }
    for (name, _) in &given.path {
        if !op
            .parameters
            .iter()
            .any(|p| p.location == "path" && &p.name == name)
        {
            out.push(format!(
                "$.path{}: {} has no path parameter {name:?}",
                member(name),
                op.id
            ));
        }
    }
    match (&op.body, given.body) {
        (Some(b), None) if b.required => {
            out.push(format!("$.body: required ({}), not given", b.content_type));
        }
        (Some(b), Some(bytes)) if b.content_type.contains("json") => {
            match serde_json::from_slice::<Value>(bytes) {
                Ok(v) => validate(&b.schema, &v, "$.body", &mut out, say),
                Err(e) => out.push(format!("$.body: not JSON ({e})")),
            }
        }
        _ => {}
    }
    out
}

fn pick<'a>(list: &'a [(String, String)], name: &str, any_case: bool) -> Vec<&'a str> {
    list.iter()
        .filter(|(k, _)| {
            if any_case {
                k.eq_ignore_ascii_case(name)
            } else {
                k == name
            }
        })
        .map(|(_, v)| v.as_str())
        .collect()
}

fn is_type(schema: &Value, ty: &str) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == ty,
        Some(Value::Array(ts)) => ts.iter().any(|t| t.as_str() == Some(ty)),
        _ => false,
    }
}

/// A command-line string as the JSON value the schema expects, where it reads as one; a
/// string that does not stays a string (and fails the check with its own words).
fn coerce(text: &str, schema: &Value) -> Value {
    if (is_type(schema, "integer") || is_type(schema, "number"))
        && let Ok(v) = serde_json::from_str::<Value>(text)
        && v.is_number()
    {
        return v;
    }
    if is_type(schema, "boolean") {
        match text {
            "true" => return Value::Bool(true),
            "false" => return Value::Bool(false),
            _ => {}
        }
    }
    Value::String(text.to_string())
}

/// `.name`, or `["odd name"]` when it is not an identifier.
fn member(name: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !name.starts_with(|c: char| c.is_ascii_digit())
    {
        format!(".{name}")
    } else {
        format!("[{}]", serde_json::to_string(name).unwrap_or_default())
    }
}

/// A JSON pointer (`/items/0/sku`) as a JSON path after `prefix` (`$.body.items[0].sku`).
fn json_path(prefix: &str, pointer: &str) -> String {
    let mut out = prefix.to_string();
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        if !seg.is_empty() && seg.chars().all(|c| c.is_ascii_digit()) {
            out.push_str(&format!("[{seg}]"));
        } else {
            out.push_str(&member(&seg));
        }
    }
    out
}

fn validate(schema: &Value, instance: &Value, at: &str, out: &mut Vec<String>, say: &dyn Warn) {
    if !schema.is_object() && !schema.is_boolean() {
        return;
    }
    let validator = match jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(schema)
    {
        Ok(v) => v,
        Err(e) => {
            say.text(&format!(
                "{at} not checked: the document's schema for it is not usable ({e})"
            ));
            return;
        }
    };
    for e in validator.iter_errors(instance) {
        let mut why = e.to_string();
        if why.chars().count() > 200 {
            why = why.chars().take(200).collect::<String>() + "…";
        }
        out.push(format!(
            "{}: {why}",
            json_path(at, e.instance_path().as_str())
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The checks' warnings, unread.
    struct Unread;
    impl Warn for Unread {
        fn text(&self, _: &str) {}
        fn fix(&self, _: &crate::fix::Fix) {}
    }

    fn op() -> Operation {
        serde_json::from_value(json!({
            "id": "createOrder", "method": "POST", "path": "/orders/{shop}",
            "parameters": [
                {"name": "shop", "in": "path", "required": true, "schema": {"type": "integer"}},
                {"name": "mode", "in": "query", "schema": {"type": "string", "enum": ["fast", "slow"]}}],
            "body": {"required": true, "content_type": "application/json", "schema": {
                "type": "object", "required": ["currency"],
                "properties": {"currency": {"type": "string", "enum": ["USD"]},
                    "items": {"type": "array", "items": {"type": "object", "properties": {"qty": {"type": "integer", "minimum": 1}}}}}}}
        }))
        .expect("op")
    }

    #[test]
    fn every_problem_has_its_json_path() {
        let body = br#"{"currency":"XXX","items":[{"qty":0}]}"#;
        let given = Given {
            path: vec![("shop".into(), "abc".into()), ("nope".into(), "1".into())],
            query: vec![("mode".into(), "medium".into())],
            body: Some(body),
            ..Given::default()
        };
        let p = problems(&op(), &given, &Unread);
        let joined = p.join("\n");
        for at in [
            "$.path.shop:",
            "$.query.mode:",
            "$.path.nope:",
            "$.body.currency:",
            "$.body.items[0].qty:",
        ] {
            assert!(joined.contains(at), "{at} missing in:\n{joined}");
        }
        let ok = Given {
            path: vec![("shop".into(), "7".into())],
            body: Some(br#"{"currency":"USD"}"#),
            ..Given::default()
        };
        assert!(
            problems(&op(), &ok, &Unread).is_empty(),
            "{:?}",
            problems(&op(), &ok, &Unread)
        );
        let missing = problems(&op(), &Given::default(), &Unread).join("\n");
        assert!(
            missing.contains("$.path.shop: required") && missing.contains("$.body: required"),
            "{missing}"
        );
    }
}
