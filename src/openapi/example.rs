//! An example value made from a schema, for `gtx api show`: the schema's own example or
//! default when it has one, else a value of the right shape.

use serde_json::{Map, Value, json};

const MAX_DEPTH: usize = 8;

pub fn of(schema: &Value) -> Value {
    make(schema, 0)
}

fn make(schema: &Value, depth: usize) -> Value {
    let Value::Object(s) = schema else {
        return Value::Null;
    };
    if let Some(v) = s
        .get("example")
        .or_else(|| s.get("default"))
        .or_else(|| s.get("const"))
    {
        return v.clone();
    }
    if let Some(Value::Array(e)) = s.get("examples")
        && let Some(first) = e.first()
    {
        return first.clone();
    }
    if let Some(Value::Array(e)) = s.get("enum")
        && let Some(first) = e.first()
    {
        return first.clone();
    }
    if depth >= MAX_DEPTH {
        return Value::Null;
    }
    for key in ["allOf"] {
        if let Some(Value::Array(parts)) = s.get(key) {
            let mut merged = Map::new();
            for p in parts {
                if let Value::Object(m) = make(p, depth + 1) {
                    merged.extend(m);
                }
            }
            return Value::Object(merged);
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(parts)) = s.get(key)
            && let Some(first) = parts.first()
        {
            return make(first, depth + 1);
        }
    }
    match type_of(s) {
        "object" => {
            let mut out = Map::new();
            if let Some(Value::Object(props)) = s.get("properties") {
                for (k, v) in props {
                    if v.get("readOnly").and_then(Value::as_bool) == Some(true) {
                        continue;
                    }
                    out.insert(k.clone(), make(v, depth + 1));
                }
            }
            Value::Object(out)
        }
        "array" => match s.get("items") {
            Some(items) => json!([make(items, depth + 1)]),
            None => json!([]),
        },
        "string" => Value::String(string_of(s.get("format").and_then(Value::as_str)).into()),
        "integer" => s.get("minimum").cloned().unwrap_or(json!(0)),
        "number" => s.get("minimum").cloned().unwrap_or(json!(0)),
        "boolean" => json!(false),
        _ => Value::Null,
    }
}

/// The schema's type; of a list of types, the first that is not `null`.
fn type_of(s: &Map<String, Value>) -> &str {
    match s.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null"),
        _ if s.contains_key("properties") => "object",
        _ => "",
    }
}

/// A string of the given `format`.
fn string_of(format: Option<&str>) -> &'static str {
    match format {
        Some("date-time") => "2026-01-01T00:00:00Z",
        Some("date") => "2026-01-01",
        Some("email") => "user@example.com",
        Some("uri") | Some("url") => "https://example.com",
        Some("uuid") => "00000000-0000-0000-0000-000000000000",
        _ => "string",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_follow_the_schema() {
        let schema = json!({"type": "object", "properties": {
            "currency": {"type": "string", "enum": ["USD", "EUR"]},
            "amount": {"type": "number", "minimum": 1},
            "id": {"type": "string", "readOnly": true},
            "items": {"type": "array", "items": {"type": "object", "properties": {"sku": {"type": "string", "example": "A1"}}}}}});
        assert_eq!(
            of(&schema),
            json!({"currency": "USD", "amount": 1, "items": [{"sku": "A1"}]})
        );
    }
}
