//! OpenAPI 3.0, 3.1 and Swagger 2.0 into one list of operations. `$ref`s inside the
//! document, and to files beside a local one, are followed for what checking a request
//! needs (parameters, request bodies); a chain of `$ref`s that comes back to itself is an
//! error, a recursive schema is cut where it recurses, and one schema expands to at most
//! [`NODE_BUDGET`] nodes.

use super::load;
use super::{Operation, Parameter, RequestBody, Requirement, ResponseSpec, SchemeUse};
use serde_json::{Map, Value, json};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::rc::Rc;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
/// Nodes one inlined schema may grow to; a schema past it is not checked at all.
const NODE_BUDGET: usize = 100_000;
/// Nodes all inlined schemas of a document may grow to together: `$ref`s can name one
/// large schema from thousands of places, and inlined whole they would need gigabytes.
/// Long strings count as several nodes (see [`cost`]).
const TOTAL_BUDGET: usize = 1_000_000;
/// How deep an inlined schema may nest (JSON levels): deeper parts accept anything. It
/// keeps recursion off the end of the stack, and the index readable (its reader allows
/// 128 levels, and an operation wraps its schemas in a few).
const MAX_DEPTH: usize = 96;
/// `$ref`s that name `$ref`s, followed in a row; longer chains are refused.
const MAX_CHAIN: usize = 32;

#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// `3.1.0`, `3.0.3`, `2.0`.
    pub spec: String,
    pub title: String,
    pub version: String,
    /// The document's server URLs (variables at their defaults).
    pub servers: Vec<String>,
    /// The path the document puts before its paths: a relative `servers` entry, or one
    /// on api_base's origin (Swagger 2.0: `basePath`); see docs/openapi.md.
    pub base_path: String,
}

pub struct Normalized {
    pub meta: Meta,
    pub operations: Vec<Operation>,
}

type DocId = Option<Rc<PathBuf>>;

struct Resolver {
    main: Rc<Value>,
    /// The local document's directory: `$ref`s to other files are read from there.
    dir: Option<PathBuf>,
    /// `dir` as the file system names it: `$ref`d files must lie in it or below.
    root: Option<PathBuf>,
    files: HashMap<PathBuf, Rc<Value>>,
    read: u64,
    legacy: bool,
    /// What is left of [`TOTAL_BUDGET`].
    total: usize,
}

/// `root` is the parsed document; `dir` is set for a local file (its directory), and
/// `size` is what was read of it.
pub fn normalize(
    root: Value,
    dir: Option<PathBuf>,
    size: u64,
    api_base: &url::Url,
) -> Result<Normalized, String> {
    let spec = spec_version(&root)?;
    let swagger = spec.starts_with('2');
    let mut r = Resolver {
        main: Rc::new(root),
        root: dir
            .as_ref()
            .map(|d| d.canonicalize().unwrap_or_else(|_| d.clone())),
        dir,
        files: HashMap::new(),
        read: size,
        legacy: !spec.starts_with("3.1"),
        total: TOTAL_BUDGET,
    };
    let root = r.main.clone();
    let meta = meta(&root, spec, swagger, api_base);
    let mut operations = Vec::new();
    let mut ids: HashSet<String> = HashSet::new();
    let empty = Map::new();
    let paths = match root.get("paths") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(m)) => m,
        Some(_) => return Err("#/paths is not an object".into()),
    };
    for (path, item) in paths {
        if !path.starts_with('/') {
            continue; // extensions (`x-…`) sit beside the paths
        }
        let at = format!("#/paths/{}", escape(path));
        let (item_doc, item) = r.deref(&None, item, &at)?;
        let Value::Object(item) = item else {
            return Err(format!("{at} is not an object"));
        };
        let shared = item.get("parameters").cloned().unwrap_or(Value::Null);
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let op_at = format!("{at}/{method}");
            let Value::Object(op) = op else {
                return Err(format!("{op_at} is not an object"));
            };
            let mut built =
                r.operation(&root, &item_doc, path, method, op, &shared, &op_at, swagger)?;
            let mut id = built.id.clone();
            let mut n = 2;
            while !ids.insert(id.clone()) {
                id = format!("{}-{n}", built.id);
                n += 1;
            }
            built.id = id;
            operations.push(built);
        }
    }
    Ok(Normalized { meta, operations })
}

fn spec_version(root: &Value) -> Result<String, String> {
    let Value::Object(m) = root else {
        return Err("not an OpenAPI document: the top level is not an object".into());
    };
    if let Some(v) = m.get("openapi") {
        let v = v
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| v.to_string());
        if v.starts_with("3.0") || v.starts_with("3.1") {
            return Ok(v);
        }
        return Err(format!(
            "OpenAPI version {v:?} is not one gtx reads (3.0, 3.1, Swagger 2.0)"
        ));
    }
    if let Some(v) = m.get("swagger") {
        let v = v
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| v.to_string());
        if v.starts_with("2.") {
            return Ok(v);
        }
        return Err(format!("Swagger version {v:?} is not one gtx reads (2.0)"));
    }
    Err("not an OpenAPI document: it has no `openapi` or `swagger` field at #/".into())
}

fn meta(root: &Value, spec: String, swagger: bool, api_base: &url::Url) -> Meta {
    let text = |p: &str| {
        root.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let mut servers = Vec::new();
    let mut base_path = String::new();
    if swagger {
        let host = text("/host");
        let bp = text("/basePath");
        let same = host.is_empty() || Some(host.as_str()) == api_base_host(api_base).as_deref();
        if !host.is_empty() {
            servers.push(format!("https://{host}{bp}"));
        } else if !bp.is_empty() {
            servers.push(bp.clone());
        }
        if same {
            base_path = bp;
        }
    } else if let Some(Value::Array(list)) = root.get("servers") {
        for s in list {
            let Some(url) = s.get("url").and_then(Value::as_str) else {
                continue;
            };
            let mut url = url.to_string();
            if let Some(Value::Object(vars)) = s.get("variables") {
                for (k, v) in vars {
                    if let Some(d) = v.get("default").and_then(Value::as_str) {
                        url = url.replace(&format!("{{{k}}}"), d);
                    }
                }
            }
            servers.push(url);
        }
        if let Some(first) = servers.first() {
            base_path = server_base_path(first, api_base);
        }
    }
    let base_path = base_path.trim_end_matches('/').to_string();
    Meta {
        spec,
        title: text("/info/title"),
        version: text("/info/version"),
        servers,
        base_path: if base_path.starts_with('/') || base_path.is_empty() {
            base_path
        } else {
            format!("/{base_path}")
        },
    }
}

fn api_base_host(u: &url::Url) -> Option<String> {
    let host = u.host_str()?;
    Some(match u.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    })
}

/// A relative server URL is a base path; an absolute one counts only on api_base's origin
/// (then less api_base's own path); one on another origin is never used.
fn server_base_path(server: &str, api_base: &url::Url) -> String {
    if server.starts_with('/') {
        return server.to_string();
    }
    let Ok(u) = url::Url::parse(server) else {
        return String::new();
    };
    if u.origin() != api_base.origin() {
        return String::new();
    }
    let own = api_base.path().trim_end_matches('/');
    let path = u.path();
    path.strip_prefix(own).unwrap_or(path).to_string()
}

/// JSON Pointer escaping of one segment.
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What one value costs of the node budget, itself only: one node, and one more for
/// every 32 bytes of a string.
fn cost(v: &Value) -> usize {
    match v {
        Value::String(s) => 1 + s.len() / 32,
        _ => 1,
    }
}

fn charge(budget: &mut usize, cost: usize) -> bool {
    match budget.checked_sub(cost) {
        Some(left) => {
            *budget = left;
            true
        }
        None => {
            *budget = 0;
            false
        }
    }
}

/// Whether `v`, copied whole at `level`, stays under [`MAX_DEPTH`] and within the budget
/// (charged for it either way: a literal too large to keep ends the schema's budget).
fn fits(v: &Value, level: usize, budget: &mut usize) -> bool {
    if level >= MAX_DEPTH || !charge(budget, cost(v)) {
        return false;
    }
    match v {
        Value::Array(items) => items.iter().all(|i| fits(i, level + 1, budget)),
        Value::Object(m) => m
            .iter()
            .all(|(k, i)| charge(budget, k.len() / 32) && fits(i, level + 1, budget)),
        _ => true,
    }
}

fn doc_name(doc: &DocId) -> String {
    doc.as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default()
}

impl Resolver {
    fn doc(&self, id: &DocId) -> Rc<Value> {
        match id {
            None => self.main.clone(),
            Some(p) => self
                .files
                .get(p.as_ref())
                .cloned()
                .unwrap_or_else(|| self.main.clone()),
        }
    }

    /// The document and JSON pointer a `$ref` names, reading another file when it names one.
    fn locate(
        &mut self,
        from: &DocId,
        reference: &str,
        at: &str,
    ) -> Result<(DocId, String), String> {
        let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let pointer = percent_decode(fragment);
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(format!("$ref {reference:?} at {at}: not a JSON pointer"));
        }
        if file.is_empty() {
            return Ok((from.clone(), pointer));
        }
        if file.contains("://") {
            return Err(format!(
                "$ref {reference:?} at {at}: gtx does not fetch other documents; only files beside a local document are read"
            ));
        }
        let Some(dir) = self.dir.clone() else {
            return Err(format!(
                "$ref {reference:?} at {at}: a fetched document cannot name local files"
            ));
        };
        let base = match from {
            Some(p) => p.parent().map(PathBuf::from).unwrap_or(dir),
            None => dir,
        };
        let path = base.join(file);
        let path = path.canonicalize().map_err(|e| {
            format!(
                "$ref {reference:?} at {at}: cannot read {}: {e}",
                path.display()
            )
        })?;
        // A document from a repository must not make gtx read the user's other files
        // (`../../.ssh/…`, `/etc/passwd`, `/dev/stdin`): only its own folder and below.
        if let Some(root) = &self.root
            && !path.starts_with(root)
        {
            return Err(format!(
                "$ref {reference:?} at {at}: {} is outside the document's folder {}; gtx reads only files in it or below",
                path.display(),
                root.display()
            ));
        }
        if !self.files.contains_key(&path) {
            let bytes = load::read_file(&path, load::MAX_DOCUMENT.saturating_sub(self.read))
                .map_err(|e| format!("$ref {reference:?} at {at}: {e}"))?;
            self.read += bytes.len() as u64;
            let value = load::parse(&bytes, &path.display().to_string())?;
            self.files.insert(path.clone(), Rc::new(value));
        }
        Ok((Some(Rc::new(path)), pointer))
    }

    /// `v` with its chain of `$ref`s followed to a value that is not one.
    fn deref(&mut self, from: &DocId, v: &Value, at: &str) -> Result<(DocId, Value), String> {
        let mut doc = from.clone();
        let mut current = v.clone();
        let mut seen: Vec<String> = Vec::new();
        while let Some(reference) = current
            .get("$ref")
            .and_then(Value::as_str)
            .map(str::to_string)
        {
            let (next_doc, pointer) = self.locate(&doc, &reference, at)?;
            let key = format!("{}#{pointer}", doc_name(&next_doc));
            if seen.contains(&key) {
                seen.push(key);
                return Err(format!("$ref loop at {at}: {}", seen.join(" → ")));
            }
            if seen.len() == MAX_CHAIN {
                return Err(format!(
                    "$ref chain longer than {MAX_CHAIN} at {at}: {} → …",
                    seen[..3].join(" → ")
                ));
            }
            seen.push(key);
            let target = self
                .doc(&next_doc)
                .pointer(&pointer)
                .cloned()
                .ok_or_else(|| {
                    format!("$ref target {reference:?} not found (referenced at {at})")
                })?;
            doc = next_doc;
            current = target;
        }
        Ok((doc, current))
    }

    /// A schema with its `$ref`s inlined; OpenAPI 3.0/Swagger 2.0 keywords become their
    /// JSON Schema 2020-12 forms.
    fn schema(&mut self, doc: &DocId, v: &Value, at: &str) -> Result<Value, String> {
        let start = NODE_BUDGET.min(self.total);
        let mut budget = start;
        let mut stack = Vec::new();
        let out = self.inline(doc, v, at, 0, &mut stack, &mut budget);
        self.total -= start - budget;
        out
    }

    fn inline(
        &mut self,
        doc: &DocId,
        v: &Value,
        at: &str,
        level: usize,
        stack: &mut Vec<String>,
        budget: &mut usize,
    ) -> Result<Value, String> {
        if level >= MAX_DEPTH || !charge(budget, cost(v)) {
            return Ok(json!({}));
        }
        match v {
            Value::Object(m) => {
                if let Some(reference) = m.get("$ref").and_then(Value::as_str) {
                    let (tdoc, pointer) = self.locate(doc, reference, at)?;
                    let key = format!("{}#{pointer}", doc_name(&tdoc));
                    if stack.contains(&key) {
                        let name = pointer.rsplit('/').next().unwrap_or("");
                        return Ok(json!({"description": format!("(recursive: {name})")}));
                    }
                    // A chain of bare $refs that loops is an error, not a recursion.
                    let (tdoc, target) = self.deref(doc, v, at)?;
                    stack.push(key);
                    let out = self.inline(&tdoc, &target, at, level, stack, budget);
                    stack.pop();
                    return out;
                }
                let mut out = Map::new();
                for (k, val) in m {
                    let literal = matches!(
                        k.as_str(),
                        "example"
                            | "examples"
                            | "default"
                            | "enum"
                            | "const"
                            | "description"
                            | "title"
                            | "discriminator"
                            | "xml"
                            | "externalDocs"
                    ) || k.starts_with("x-");
                    if !charge(budget, k.len() / 32) {
                        break;
                    }
                    if literal {
                        // Copied as it is, if it fits what is left, else left out.
                        if fits(val, level + 1, budget) {
                            out.insert(k.clone(), val.clone());
                        }
                    } else {
                        out.insert(
                            k.clone(),
                            self.inline(doc, val, at, level + 1, stack, budget)?,
                        );
                    }
                }
                if *budget == 0 {
                    // Cut somewhere inside: what is left of it could refuse what the whole
                    // allows (`additionalProperties: false` without its `properties`).
                    return Ok(json!({}));
                }
                if self.legacy {
                    modernise(&mut out);
                }
                Ok(Value::Object(out))
            }
            Value::Array(items) => {
                let out = items
                    .iter()
                    .map(|i| self.inline(doc, i, at, level + 1, stack, budget))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(if *budget == 0 {
                    json!({})
                } else {
                    Value::Array(out)
                })
            }
            other => Ok(other.clone()),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        root: &Value,
        doc: &DocId,
        path: &str,
        method: &str,
        op: &Map<String, Value>,
        shared: &Value,
        at: &str,
        swagger: bool,
    ) -> Result<Operation, String> {
        let text = |k: &str| op.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let id = match op.get("operationId").and_then(Value::as_str) {
            Some(id) if !id.trim().is_empty() => id.trim().to_string(),
            _ => synthesized_id(method, path),
        };
        let mut summary = text("summary");
        if summary.is_empty() {
            summary = text("description").lines().next().unwrap_or("").to_string();
        }
        let tags = match op.get("tags") {
            Some(Value::Array(t)) => t
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        };
        let params = self.parameters(doc, op, shared, at, swagger)?;
        let consumes = op.get("consumes").or_else(|| root.get("consumes"));
        let (parameters, mut body) = split_swagger_body(params, consumes);
        if let Some(rb) = self.request_body(doc, op, at)? {
            body = Some(rb);
        }
        let security = match op.get("security").or_else(|| root.get("security")) {
            Some(Value::Array(list)) => Some(
                list.iter()
                    .map(|req| requirement(root, req, swagger))
                    .collect(),
            ),
            _ => None,
        };
        Ok(Operation {
            id,
            method: method.to_ascii_uppercase(),
            path: path.to_string(),
            summary: summary.trim().to_string(),
            tags,
            deprecated: op
                .get("deprecated")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            parameters,
            body,
            responses: self.responses(doc, op, at)?,
            security,
        })
    }

    /// The path item's parameters, then the operation's, which override the path's of the
    /// same name and place.
    fn parameters(
        &mut self,
        doc: &DocId,
        op: &Map<String, Value>,
        shared: &Value,
        at: &str,
        swagger: bool,
    ) -> Result<Vec<Parameter>, String> {
        let mut params: Vec<Parameter> = Vec::new();
        for (list, list_at) in [
            (
                shared,
                format!(
                    "{}/parameters",
                    at.rsplit_once('/').map_or(at, |(item, _)| item)
                ),
            ),
            (
                op.get("parameters").unwrap_or(&Value::Null),
                format!("{at}/parameters"),
            ),
        ] {
            let Value::Array(list) = list else { continue };
            for (i, p) in list.iter().enumerate() {
                let param = self.parameter(doc, p, &format!("{list_at}/{i}"), swagger)?;
                params.retain(|q| !(q.name == param.name && q.location == param.location));
                params.push(param);
            }
        }
        Ok(params)
    }

    fn parameter(
        &mut self,
        doc: &DocId,
        p: &Value,
        p_at: &str,
        swagger: bool,
    ) -> Result<Parameter, String> {
        let (pdoc, p) = self.deref(doc, p, p_at)?;
        let field = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let (name, location) = (field("name"), field("in"));
        if name.is_empty() || location.is_empty() {
            return Err(format!("{p_at}: a parameter needs `name` and `in`"));
        }
        let schema_src = if swagger && location != "body" {
            legacy_param_schema(&p)
        } else if let Some(s) = p.get("schema") {
            s.clone()
        } else if let Some(Value::Object(content)) = p.get("content") {
            content
                .values()
                .next()
                .and_then(|m| m.get("schema"))
                .cloned()
                .unwrap_or(json!({}))
        } else {
            json!({})
        };
        Ok(Parameter {
            required: location == "path"
                || p.get("required").and_then(Value::as_bool).unwrap_or(false),
            description: field("description"),
            schema: self.schema(&pdoc, &schema_src, p_at)?,
            name,
            location,
        })
    }

    /// OpenAPI 3's `requestBody`: the JSON media type when there is one, else the first.
    fn request_body(
        &mut self,
        doc: &DocId,
        op: &Map<String, Value>,
        at: &str,
    ) -> Result<Option<RequestBody>, String> {
        let Some(rb) = op.get("requestBody") else {
            return Ok(None);
        };
        let rb_at = format!("{at}/requestBody");
        let (rdoc, rb) = self.deref(doc, rb, &rb_at)?;
        let Some(Value::Object(content)) = rb.get("content") else {
            return Ok(None);
        };
        let chosen = content
            .keys()
            .find(|k| k.as_str() == "application/json")
            .or_else(|| content.keys().find(|k| k.contains("json")))
            .or_else(|| content.keys().next())
            .cloned();
        let Some(ct) = chosen else { return Ok(None) };
        let src = content
            .get(&ct)
            .and_then(|m| m.get("schema"))
            .cloned()
            .unwrap_or(json!({}));
        Ok(Some(RequestBody {
            required: rb.get("required").and_then(Value::as_bool).unwrap_or(false),
            schema: self.schema(&rdoc, &src, &rb_at)?,
            content_type: ct,
        }))
    }

    fn responses(
        &mut self,
        doc: &DocId,
        op: &Map<String, Value>,
        at: &str,
    ) -> Result<Vec<ResponseSpec>, String> {
        let mut responses = Vec::new();
        let Some(Value::Object(rs)) = op.get("responses") else {
            return Ok(responses);
        };
        for (status, resp) in rs {
            if status.starts_with("x-") {
                continue;
            }
            let r_at = format!("{at}/responses/{status}");
            let (_, resp) = self.deref(doc, resp, &r_at)?;
            let (content_type, schema) = match resp.get("content") {
                Some(Value::Object(c)) => match c.iter().next() {
                    Some((ct, m)) => (Some(ct.clone()), m.get("schema").map(schema_label)),
                    None => (None, None),
                },
                _ => (None, resp.get("schema").map(schema_label)),
            };
            responses.push(ResponseSpec {
                status: status.clone(),
                description: resp
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                content_type,
                schema,
            });
        }
        Ok(responses)
    }
}

/// Swagger 2.0 carries the body as an `in: body` parameter, or as `formData` parameters
/// that together make a form: both become the operation's request body.
fn split_swagger_body(
    params: Vec<Parameter>,
    consumes: Option<&Value>,
) -> (Vec<Parameter>, Option<RequestBody>) {
    let mut body = None;
    let mut form = Vec::new();
    let mut parameters = Vec::new();
    for p in params {
        match p.location.as_str() {
            "body" => {
                body = Some(RequestBody {
                    required: p.required,
                    content_type: preferred(consumes, "application/json"),
                    schema: p.schema,
                })
            }
            "formData" => form.push(p),
            _ => parameters.push(p),
        }
    }
    if !form.is_empty() && body.is_none() {
        let mut props = Map::new();
        let mut required = Vec::new();
        for p in &form {
            props.insert(p.name.clone(), p.schema.clone());
            if p.required {
                required.push(Value::String(p.name.clone()));
            }
        }
        body = Some(RequestBody {
            required: !required.is_empty(),
            content_type: preferred(consumes, "application/x-www-form-urlencoded"),
            schema: json!({"type": "object", "properties": props, "required": required}),
        });
    }
    (parameters, body)
}

/// `get /api/v1/orders/{id}` → `get-api-v1-orders-id`, for operations without an id.
fn synthesized_id(method: &str, path: &str) -> String {
    let mut id = method.to_string();
    for part in path.split(|c: char| !c.is_ascii_alphanumeric()) {
        if !part.is_empty() {
            id.push('-');
            id.push_str(&part.to_ascii_lowercase());
        }
    }
    id
}

fn preferred(consumes: Option<&Value>, fallback: &str) -> String {
    let list: Vec<&str> = match consumes {
        Some(Value::Array(l)) => l.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    list.iter()
        .find(|c| c.contains("json"))
        .or_else(|| list.first())
        .map(|s| s.to_string())
        .unwrap_or_else(|| fallback.to_string())
}

fn schema_label(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_string();
    }
    match schema.get("type") {
        Some(Value::String(t)) if t == "array" => match schema.get("items") {
            Some(items) => format!("array of {}", schema_label(items)),
            None => "array".into(),
        },
        Some(Value::String(t)) => t.clone(),
        _ => "object".into(),
    }
}

fn requirement(root: &Value, req: &Value, swagger: bool) -> Requirement {
    let defs = if swagger {
        root.get("securityDefinitions")
    } else {
        root.pointer("/components/securitySchemes")
    };
    let mut schemes = Vec::new();
    if let Value::Object(m) = req {
        for (name, scopes) in m {
            let kind = defs
                .and_then(|d| d.get(name))
                .and_then(|d| d.get("type"))
                .and_then(Value::as_str)
                .map(|t| if t == "basic" { "http" } else { t })
                .unwrap_or("unknown")
                .to_string();
            let scopes = match scopes {
                Value::Array(s) => s
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
                _ => Vec::new(),
            };
            schemes.push(SchemeUse {
                name: name.clone(),
                kind,
                scopes,
            });
        }
    }
    Requirement { schemes }
}

/// Swagger 2.0 puts a non-body parameter's schema keywords on the parameter itself.
fn legacy_param_schema(p: &Value) -> Value {
    let mut s = Map::new();
    if let Value::Object(m) = p {
        for (k, v) in m {
            if matches!(
                k.as_str(),
                "type"
                    | "format"
                    | "items"
                    | "enum"
                    | "default"
                    | "minimum"
                    | "maximum"
                    | "exclusiveMinimum"
                    | "exclusiveMaximum"
                    | "minLength"
                    | "maxLength"
                    | "pattern"
                    | "minItems"
                    | "maxItems"
                    | "uniqueItems"
                    | "multipleOf"
            ) {
                s.insert(k.clone(), v.clone());
            }
        }
    }
    if s.get("type").and_then(Value::as_str) == Some("file") {
        s.insert("type".into(), "string".into());
        s.insert("format".into(), "binary".into());
    }
    Value::Object(s)
}

/// OpenAPI 3.0 (and Swagger 2.0) schema keywords in their JSON Schema 2020-12 forms:
/// `nullable`, boolean `exclusiveMinimum`/`exclusiveMaximum`, `type: file`.
fn modernise(m: &mut Map<String, Value>) {
    let nullable = m.remove("nullable").or_else(|| m.remove("x-nullable"));
    if nullable.as_ref().and_then(Value::as_bool) == Some(true) {
        if let Some(Value::String(t)) = m.get("type").cloned() {
            m.insert("type".into(), json!([t, "null"]));
        }
        if let Some(Value::Array(e)) = m.get_mut("enum")
            && !e.contains(&Value::Null)
        {
            e.push(Value::Null);
        }
    }
    for (flag, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Bool(b)) = m.get(flag).cloned() {
            m.remove(flag);
            if b && let Some(limit) = m.remove(bound) {
                m.insert(flag.into(), limit);
            }
        }
    }
    if m.get("type").and_then(Value::as_str) == Some("file") {
        m.insert("type".into(), "string".into());
        m.insert("format".into(), "binary".into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> url::Url {
        url::Url::parse("https://api.example.com").expect("url")
    }

    #[test]
    fn a_ref_loop_is_an_error_but_a_recursive_schema_is_not() {
        let doc = json!({"openapi": "3.1.0", "paths": {"/a": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Node"}}}},
            "responses": {}}}},
            "components": {"schemas": {"Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}}}}});
        let n = normalize(doc, None, 0, &base()).expect("recursive is fine");
        assert_eq!(n.operations[0].id, "post-a");
        let doc = json!({"openapi": "3.1.0", "paths": {"/a": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}},
            "responses": {}}}},
            "components": {"schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}}}});
        let e = normalize(doc, None, 0, &base()).err().expect("loop");
        assert!(e.contains("$ref loop"), "{e}");
    }

    #[test]
    fn a_schema_cut_by_the_budget_never_refuses_what_the_document_allows() {
        // `allOf` (sorted before `properties`) spends the whole budget: what is left of the
        // schema must not keep `additionalProperties: false` with no properties.
        let wide: Map<String, Value> = (0..NODE_BUDGET)
            .map(|i| (format!("k{i}"), json!({"type": "string"})))
            .collect();
        let doc = json!({"openapi": "3.1.0", "paths": {"/a": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {
                "additionalProperties": false,
                "allOf": [{"type": "object", "properties": wide}],
                "properties": {"a": {"type": "string"}}}}}},
            "responses": {}}}}});
        let n = normalize(doc, None, 0, &base()).expect("normalized");
        let schema = &n.operations[0].body.as_ref().expect("body").schema;
        let valid = jsonschema::validator_for(schema)
            .map(|v| v.is_valid(&json!({"a": "x"})))
            .unwrap_or(true);
        assert!(valid, "a body the document allows is refused");
    }

    #[test]
    fn nullable_and_exclusive_bounds_are_modernised() {
        let mut m =
            json!({"type": "integer", "nullable": true, "minimum": 1, "exclusiveMinimum": true})
                .as_object()
                .cloned()
                .expect("object");
        modernise(&mut m);
        assert_eq!(
            Value::Object(m),
            json!({"type": ["integer", "null"], "exclusiveMinimum": 1})
        );
    }

    #[test]
    fn servers_on_another_origin_give_no_base_path() {
        assert_eq!(server_base_path("/v2", &base()), "/v2");
        assert_eq!(
            server_base_path("https://api.example.com/v2", &base()),
            "/v2"
        );
        assert_eq!(server_base_path("https://evil.example.com/v2", &base()), "");
    }
}
