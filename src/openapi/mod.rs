//! The environment's OpenAPI document (3.0, 3.1 or Swagger 2.0, JSON or YAML): loaded,
//! normalised into one model of operations, and kept as an index in the cache directory
//! that `gtx api list|show`, `gtx request OPERATION` and completion read without parsing
//! the document again (docs/openapi.md).

pub mod check;
pub mod example;
pub mod index;
pub mod load;
pub mod normalize;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One operation, with every `$ref` its parameters and request body need inlined.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Operation {
    pub id: String,
    pub method: String,
    pub path: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    #[serde(default)]
    pub body: Option<RequestBody>,
    #[serde(default)]
    pub responses: Vec<ResponseSpec>,
    /// What the document requires; `None` when it says nothing (the token is sent),
    /// `Some([])` for `security: []` (sent without a token).
    #[serde(default)]
    pub security: Option<Vec<Requirement>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Parameter {
    pub name: String,
    /// `path`, `query`, `header` or `cookie`.
    #[serde(rename = "in")]
    pub location: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub schema: Value,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequestBody {
    #[serde(default)]
    pub required: bool,
    pub content_type: String,
    #[serde(default)]
    pub schema: Value,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResponseSpec {
    pub status: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub content_type: Option<String>,
    /// The schema's name when it is a `$ref` to a named schema, else its type.
    #[serde(default)]
    pub schema: Option<String>,
}

/// One alternative of a `security` list: every scheme in it applies at once.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Requirement {
    pub schemes: Vec<SchemeUse>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SchemeUse {
    pub name: String,
    /// `oauth2`, `openIdConnect`, `http`, `apiKey`, or `unknown` when the document does
    /// not define the scheme.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub scopes: Vec<String>,
}

impl Operation {
    /// Whether the operation is sent without a token (`security: []`).
    pub fn anonymous(&self) -> bool {
        self.security.as_ref().is_some_and(Vec::is_empty)
    }
}

/// The `{name}` segments of a path template, in order.
pub fn template_names(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push(&rest[start + 1..start + len]);
        rest = &rest[start + len + 1..];
    }
    out
}

/// `getOrder`, `get_order` and `Get Order` all become `get-order`; ids that are already
/// kebab case (`repos/get-content`) stay as they are.
pub fn kebab(id: &str) -> String {
    let mut out = String::with_capacity(id.len() + 4);
    let mut prev_lower = false;
    for c in id.chars() {
        if c == '_' || c == ' ' {
            if !out.ends_with('-') {
                out.push('-');
            }
            prev_lower = false;
        } else if c.is_uppercase() {
            if prev_lower && !out.ends_with('-') {
                out.push('-');
            }
            out.extend(c.to_lowercase());
            prev_lower = false;
        } else {
            out.push(c);
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kebab_case_of_ids() {
        assert_eq!(kebab("getOrder"), "get-order");
        assert_eq!(kebab("listOrdersV2"), "list-orders-v2");
        assert_eq!(kebab("create_order"), "create-order");
        assert_eq!(kebab("repos/get-content"), "repos/get-content");
        assert_eq!(kebab("HTMLPage"), "htmlpage");
    }

    #[test]
    fn template_names_in_order() {
        assert_eq!(
            template_names("/repos/{owner}/{repo}/issues/{n}"),
            ["owner", "repo", "n"]
        );
        assert!(template_names("/a/{broken").is_empty());
    }
}
