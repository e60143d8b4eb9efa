//! A JSON Schema document read into the schema model Confluent's diff works on.
//!
//! Confluent compares schemas after its loader (everit-json-schema) has turned each JSON
//! object into one typed schema: a keyword set of one type becomes that type's schema, `type`
//! arrays become `anyOf`, and an object holding keywords of several kinds (`type` and `enum`,
//! `properties` and `allOf`, ...) becomes a synthetic `allOf` of one schema per kind. The
//! differences Confluent reports follow that shape, so the same shape is built here.

use std::collections::HashMap;

use serde_json::{Map, Value};

/// Index of a node in an [`Arena`]. Two occurrences of the same JSON in different places are
/// different nodes; every `$ref` to one place resolves to the same node.
pub(super) type NodeId = usize;

/// Which specification the document follows (from its root `$schema`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Draft {
    Draft4,
    Draft6,
    Draft7,
    Draft2019,
    Draft2020,
}

impl Draft {
    fn from_root(root: &Value) -> Draft {
        let Some(uri) = root.get("$schema").and_then(Value::as_str) else {
            return Draft::Draft7;
        };
        if uri.contains("draft-04") {
            Draft::Draft4
        } else if uri.contains("draft-06") {
            Draft::Draft6
        } else if uri.contains("2019-09") {
            Draft::Draft2019
        } else if uri.contains("2020-12") {
            Draft::Draft2020
        } else {
            Draft::Draft7
        }
    }
}

/// The keyword of a combined schema (named as the keywords are).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::enum_variant_names)]
pub(super) enum Criterion {
    AllOf,
    AnyOf,
    OneOf,
}

impl Criterion {
    pub(super) fn keyword(self) -> &'static str {
        match self {
            Criterion::AllOf => "allOf",
            Criterion::AnyOf => "anyOf",
            Criterion::OneOf => "oneOf",
        }
    }
}

#[derive(Debug, Default)]
pub(super) struct ObjectNode {
    /// `properties`, in document order.
    pub properties: Vec<(String, NodeId)>,
    pub required: Vec<String>,
    pub property_dependencies: Vec<(String, Vec<String>)>,
    pub schema_dependencies: Vec<(String, NodeId)>,
    pub pattern_properties: Vec<(regex::Regex, NodeId)>,
    /// `additionalProperties: false`.
    pub additional_forbidden: bool,
    /// `additionalProperties` given as a schema (an object, even `{}`).
    pub additional_schema: Option<NodeId>,
    pub unevaluated: Option<NodeId>,
    pub max_properties: Option<u64>,
    pub min_properties: Option<u64>,
}

impl ObjectNode {
    pub(super) fn property(&self, name: &str) -> Option<NodeId> {
        self.properties
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, id)| *id)
    }
}

#[derive(Debug, Default)]
pub(super) struct ArrayNode {
    /// `items` given as one schema.
    pub all_items: Option<NodeId>,
    /// A tuple: `items` as a list (up to draft 2019-09) or `prefixItems` (2020-12).
    pub item_list: Vec<NodeId>,
    /// `additionalItems: false` (or `items: false` after `prefixItems`).
    pub additional_forbidden: bool,
    pub additional_schema: Option<NodeId>,
    pub unevaluated: Option<NodeId>,
    pub max_items: Option<u64>,
    pub min_items: Option<u64>,
    pub unique_items: bool,
    pub max_contains: Option<u64>,
    pub min_contains: Option<u64>,
}

#[derive(Debug)]
pub(super) enum Kind {
    /// `true`.
    True,
    /// `{}` or an object without validation keywords.
    Empty,
    /// `false`.
    False,
    Null,
    Boolean,
    String {
        max_length: Option<u64>,
        min_length: Option<u64>,
        pattern: Option<String>,
    },
    Number {
        maximum: Option<f64>,
        minimum: Option<f64>,
        exclusive_maximum: Option<f64>,
        exclusive_minimum: Option<f64>,
        multiple_of: Option<serde_json::Number>,
        integer: bool,
    },
    Const(Value),
    Enum(Vec<Value>),
    Combined {
        criterion: Criterion,
        subschemas: Vec<NodeId>,
    },
    Not(NodeId),
    Object(Box<ObjectNode>),
    Array(Box<ArrayNode>),
    /// `$ref`, resolved once the document is read.
    Ref(Option<NodeId>),
    /// `if` / `then` / `else` (compared only by its annotations).
    Conditional,
}

impl Kind {
    /// Confluent compares the classes of two schemas; this is that class.
    pub(super) fn class(&self) -> u8 {
        match self {
            Kind::True => 0,
            Kind::Empty => 1,
            Kind::False => 2,
            Kind::Null => 3,
            Kind::Boolean => 4,
            Kind::String { .. } => 5,
            Kind::Number { .. } => 6,
            Kind::Const(_) => 7,
            Kind::Enum(_) => 8,
            Kind::Combined { .. } => 9,
            Kind::Not(_) => 10,
            Kind::Object(_) => 11,
            Kind::Array(_) => 12,
            Kind::Ref(_) => 13,
            Kind::Conditional => 14,
        }
    }
}

#[derive(Debug)]
pub(super) struct Node {
    pub kind: Kind,
    /// The JSON this node was read from (combined branches are de-duplicated by it).
    pub raw: Value,
    pub id: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub default: Option<Value>,
    /// Kafka Connect's `connect.type` annotation.
    pub connect_type: Option<String>,
}

impl Node {
    /// `true` or `{}`: Confluent's `EmptySchema` (of which `true` is a subclass).
    pub(super) fn is_empty_schema(&self) -> bool {
        matches!(self.kind, Kind::True | Kind::Empty)
    }
}

/// Why a schema could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LoadError(pub String);

/// Every node of the documents read so far.
#[derive(Debug, Default)]
pub(super) struct Arena {
    pub nodes: Vec<Node>,
}

const ARRAY_KEYWORDS: &[&str] = &[
    "items",
    "additionalItems",
    "minItems",
    "maxItems",
    "uniqueItems",
    "contains",
    "prefixItems",
    "unevaluatedItems",
    "minContains",
    "maxContains",
];
const OBJECT_KEYWORDS: &[&str] = &[
    "properties",
    "required",
    "minProperties",
    "maxProperties",
    "dependencies",
    "patternProperties",
    "additionalProperties",
    "propertyNames",
    "dependentRequired",
    "dependentSchemas",
    "unevaluatedProperties",
];
const NUMBER_KEYWORDS: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
];
const STRING_KEYWORDS: &[&str] = &["minLength", "maxLength", "pattern", "format"];

/// Reads one document into the arena.
struct Loader<'a> {
    arena: &'a mut Arena,
    draft: Draft,
    /// Nodes already read for a JSON pointer (`$ref` targets are shared).
    by_pointer: HashMap<String, NodeId>,
    /// `$ref` nodes waiting for their target: (node, pointer).
    pending: Vec<(NodeId, String)>,
}

impl Arena {
    /// Reads a whole document; returns its root node.
    pub(super) fn load(&mut self, root: &Value) -> Result<NodeId, LoadError> {
        let mut loader = Loader {
            draft: Draft::from_root(root),
            arena: self,
            by_pointer: HashMap::new(),
            pending: Vec::new(),
        };
        let id = loader.load(root, "")?;
        while let Some((node, pointer)) = loader.pending.pop() {
            let target = match loader.by_pointer.get(&pointer) {
                Some(t) => *t,
                None => {
                    let value = resolve_pointer(root, &pointer)
                        .ok_or_else(|| LoadError(format!("unresolved $ref `#{pointer}`")))?;
                    loader.load(value, &pointer)?
                }
            };
            loader.arena.nodes[node].kind = Kind::Ref(Some(target));
        }
        Ok(id)
    }

    /// Follows `$ref`s to the schema they name.
    pub(super) fn normalize(&self, mut id: NodeId) -> NodeId {
        for _ in 0..self.nodes.len() {
            match self.nodes[id].kind {
                Kind::Ref(Some(target)) => id = target,
                _ => break,
            }
        }
        id
    }

    fn push(&mut self, kind: Kind, raw: Value) -> NodeId {
        self.nodes.push(Node {
            kind,
            raw,
            id: None,
            title: None,
            description: None,
            default: None,
            connect_type: None,
        });
        self.nodes.len() - 1
    }
}

/// `#/a/b` → the value at `/a/b` (JSON pointer and percent escapes undone by `Value::pointer`
/// and here).
fn resolve_pointer<'v>(root: &'v Value, pointer: &str) -> Option<&'v Value> {
    let bytes = pointer.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                decoded.push(b);
                i += 3;
                continue;
            }
        }
        decoded.push(bytes[i]);
        i += 1;
    }
    root.pointer(&String::from_utf8_lossy(&decoded))
}

fn get_u64(o: &Map<String, Value>, key: &str) -> Result<Option<u64>, LoadError> {
    match o.get(key) {
        None => Ok(None),
        Some(v) => v
            .as_u64()
            .or_else(|| {
                v.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                    .map(|f| f as u64)
            })
            .map(Some)
            .ok_or_else(|| LoadError(format!("`{key}` must be a non-negative integer"))),
    }
}

fn get_f64(o: &Map<String, Value>, key: &str) -> Result<Option<f64>, LoadError> {
    match o.get(key) {
        None => Ok(None),
        Some(v) => v
            .as_f64()
            .map(Some)
            .ok_or_else(|| LoadError(format!("`{key}` must be a number"))),
    }
}

fn child_pointer(base: &str, segments: &[&str]) -> String {
    let mut p = base.to_owned();
    for s in segments {
        p.push('/');
        p.push_str(&s.replace('~', "~0").replace('/', "~1"));
    }
    p
}

impl Loader<'_> {
    fn load(&mut self, value: &Value, pointer: &str) -> Result<NodeId, LoadError> {
        if let Some(id) = self.by_pointer.get(pointer) {
            return Ok(*id);
        }
        let id = match value {
            Value::Bool(true) => self.arena.push(Kind::True, value.clone()),
            Value::Bool(false) => self.arena.push(Kind::False, value.clone()),
            Value::Object(o) => self.load_object(o, value, pointer)?,
            other => {
                return Err(LoadError(format!(
                    "a schema must be an object or a boolean, found `{other}` at `#{pointer}`"
                )))
            }
        };
        self.by_pointer.insert(pointer.to_owned(), id);
        Ok(id)
    }

    fn sub(
        &mut self,
        o: &Map<String, Value>,
        base: &str,
        key: &str,
    ) -> Result<Option<NodeId>, LoadError> {
        match o.get(key) {
            None => Ok(None),
            Some(v) => self.load(v, &child_pointer(base, &[key])).map(Some),
        }
    }

    fn load_object(
        &mut self,
        o: &Map<String, Value>,
        raw: &Value,
        pointer: &str,
    ) -> Result<NodeId, LoadError> {
        let mut parts: Vec<NodeId> = Vec::new();
        if let Some(reference) = o.get("$ref") {
            let reference = reference
                .as_str()
                .ok_or_else(|| LoadError("`$ref` must be a string".to_owned()))?;
            let Some(target) = reference.strip_prefix('#') else {
                return Err(LoadError(format!(
                    "`$ref` `{reference}` points outside the schema (only local `#/...` references are supported)"
                )));
            };
            if !(target.is_empty() || target.starts_with('/')) {
                return Err(LoadError(format!(
                    "`$ref` `{reference}`: anchors are not supported, use a JSON pointer"
                )));
            }
            let id = self.arena.push(Kind::Ref(None), raw.clone());
            self.pending.push((id, target.to_owned()));
            // Up to draft 7 the keywords beside `$ref` are ignored.
            self.common(id, o);
            return Ok(id);
        }
        if let Some(values) = o.get("enum") {
            let values = values
                .as_array()
                .ok_or_else(|| LoadError("`enum` must be an array".to_owned()))?;
            parts.push(
                self.arena
                    .push(Kind::Enum(values.clone()), project(o, &["enum"], None)),
            );
        }
        for criterion in [Criterion::AllOf, Criterion::AnyOf, Criterion::OneOf] {
            if let Some(list) = o.get(criterion.keyword()) {
                let list = list.as_array().ok_or_else(|| {
                    LoadError(format!("`{}` must be an array", criterion.keyword()))
                })?;
                let mut subschemas = Vec::with_capacity(list.len());
                for (i, v) in list.iter().enumerate() {
                    let p = child_pointer(pointer, &[criterion.keyword(), &i.to_string()]);
                    subschemas.push(self.load(v, &p)?);
                }
                parts.push(self.arena.push(
                    Kind::Combined {
                        criterion,
                        subschemas,
                    },
                    project(o, &[criterion.keyword()], None),
                ));
            }
        }
        if let Some(id) = self.sub(o, pointer, "not")? {
            parts.push(self.arena.push(Kind::Not(id), project(o, &["not"], None)));
        }
        if let Some(v) = o.get("const") {
            parts.push(
                self.arena
                    .push(Kind::Const(v.clone()), project(o, &["const"], None)),
            );
        }
        let mut consumed: Vec<&str> = Vec::new();
        match o.get("type") {
            None => {}
            Some(Value::String(t)) => {
                parts.push(self.typed(t, o, pointer, true)?);
                consumed.extend(keywords_of(t));
            }
            Some(Value::Array(types)) => {
                let mut subschemas = Vec::with_capacity(types.len());
                for t in types {
                    let t = t
                        .as_str()
                        .ok_or_else(|| LoadError("`type` entries must be strings".to_owned()))?;
                    subschemas.push(self.typed(t, o, pointer, true)?);
                    consumed.extend(keywords_of(t));
                }
                parts.push(self.arena.push(
                    Kind::Combined {
                        criterion: Criterion::AnyOf,
                        subschemas,
                    },
                    raw.clone(),
                ));
            }
            Some(_) => return Err(LoadError("`type` must be a string or an array".to_owned())),
        }
        // Keywords of a type not named by `type` still apply, as that type's schema.
        let has = |set: &[&str]| {
            set.iter()
                .any(|k| o.contains_key(*k) && !consumed.contains(k))
        };
        if has(ARRAY_KEYWORDS) {
            parts.push(self.typed("array", o, pointer, false)?);
        }
        if has(OBJECT_KEYWORDS) {
            parts.push(self.typed("object", o, pointer, false)?);
        }
        if has(NUMBER_KEYWORDS) {
            parts.push(self.typed("number", o, pointer, false)?);
        }
        if has(STRING_KEYWORDS) {
            parts.push(self.typed("string", o, pointer, false)?);
        }
        if self.draft >= Draft::Draft7 && ["if", "then", "else"].iter().any(|k| o.contains_key(*k))
        {
            parts.push(self.arena.push(Kind::Conditional, raw.clone()));
        }
        let id = match parts.len() {
            0 => self.arena.push(Kind::Empty, raw.clone()),
            1 => {
                self.arena.nodes[parts[0]].raw = raw.clone();
                parts[0]
            }
            _ => self.arena.push(
                Kind::Combined {
                    criterion: Criterion::AllOf,
                    subschemas: parts,
                },
                raw.clone(),
            ),
        };
        self.common(id, o);
        Ok(id)
    }

    /// The annotations every schema carries.
    fn common(&mut self, id: NodeId, o: &Map<String, Value>) {
        let id_key = if self.draft == Draft::Draft4 {
            "id"
        } else {
            "$id"
        };
        let text = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_owned);
        let node = &mut self.arena.nodes[id];
        node.id = text(id_key);
        node.title = text("title");
        node.description = text("description");
        node.default = o.get("default").cloned();
        node.connect_type = text("connect.type");
    }

    fn typed(
        &mut self,
        t: &str,
        o: &Map<String, Value>,
        pointer: &str,
        explicit: bool,
    ) -> Result<NodeId, LoadError> {
        let kind = match t {
            "null" => Kind::Null,
            "boolean" => Kind::Boolean,
            "string" => Kind::String {
                max_length: get_u64(o, "maxLength")?,
                min_length: get_u64(o, "minLength")?,
                pattern: match o.get("pattern") {
                    None => None,
                    Some(Value::String(p)) => Some(p.clone()),
                    Some(_) => return Err(LoadError("`pattern` must be a string".to_owned())),
                },
            },
            "number" | "integer" => {
                let (mut exclusive_maximum, mut exclusive_minimum) = (None, None);
                if self.draft != Draft::Draft4 {
                    exclusive_maximum = get_f64(o, "exclusiveMaximum")?;
                    exclusive_minimum = get_f64(o, "exclusiveMinimum")?;
                }
                Kind::Number {
                    maximum: get_f64(o, "maximum")?,
                    minimum: get_f64(o, "minimum")?,
                    exclusive_maximum,
                    exclusive_minimum,
                    multiple_of: match o.get("multipleOf") {
                        None => None,
                        Some(Value::Number(n)) => Some(n.clone()),
                        Some(_) => {
                            return Err(LoadError("`multipleOf` must be a number".to_owned()))
                        }
                    },
                    integer: t == "integer",
                }
            }
            "object" => Kind::Object(Box::new(self.object(o, pointer)?)),
            "array" => Kind::Array(Box::new(self.array(o, pointer)?)),
            other => return Err(LoadError(format!("unknown type `{other}`"))),
        };
        // What this part alone would print as (branches are de-duplicated by it).
        let raw = project(o, keywords_of(t), explicit.then_some(t));
        Ok(self.arena.push(kind, raw))
    }

    fn object(&mut self, o: &Map<String, Value>, pointer: &str) -> Result<ObjectNode, LoadError> {
        let mut node = ObjectNode::default();
        if let Some(props) = o.get("properties") {
            let props = props
                .as_object()
                .ok_or_else(|| LoadError("`properties` must be an object".to_owned()))?;
            for (name, v) in props {
                let id = self.load(v, &child_pointer(pointer, &["properties", name]))?;
                node.properties.push((name.clone(), id));
            }
        }
        if let Some(required) = o.get("required") {
            let required = required
                .as_array()
                .ok_or_else(|| LoadError("`required` must be an array".to_owned()))?;
            for r in required {
                let r = r
                    .as_str()
                    .ok_or_else(|| LoadError("`required` entries must be strings".to_owned()))?;
                node.required.push(r.to_owned());
            }
        }
        for key in ["dependencies", "dependentRequired", "dependentSchemas"] {
            let Some(deps) = o.get(key) else { continue };
            let deps = deps
                .as_object()
                .ok_or_else(|| LoadError(format!("`{key}` must be an object")))?;
            for (name, v) in deps {
                match v {
                    Value::Array(list) => node.property_dependencies.push((
                        name.clone(),
                        list.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect(),
                    )),
                    _ => {
                        let id = self.load(v, &child_pointer(pointer, &[key, name]))?;
                        node.schema_dependencies.push((name.clone(), id));
                    }
                }
            }
        }
        if let Some(patterns) = o.get("patternProperties") {
            let patterns = patterns
                .as_object()
                .ok_or_else(|| LoadError("`patternProperties` must be an object".to_owned()))?;
            for (pattern, v) in patterns {
                let re = regex::Regex::new(pattern)
                    .map_err(|e| LoadError(format!("bad pattern `{pattern}`: {e}")))?;
                let id = self.load(v, &child_pointer(pointer, &["patternProperties", pattern]))?;
                node.pattern_properties.push((re, id));
            }
        }
        match o.get("additionalProperties") {
            None | Some(Value::Bool(true)) => {}
            Some(Value::Bool(false)) => node.additional_forbidden = true,
            Some(_) => node.additional_schema = self.sub(o, pointer, "additionalProperties")?,
        }
        node.unevaluated = self.sub(o, pointer, "unevaluatedProperties")?;
        node.max_properties = get_u64(o, "maxProperties")?;
        node.min_properties = get_u64(o, "minProperties")?;
        Ok(node)
    }

    fn array(&mut self, o: &Map<String, Value>, pointer: &str) -> Result<ArrayNode, LoadError> {
        let mut node = ArrayNode::default();
        let tuple_key = if o.contains_key("prefixItems") {
            Some("prefixItems")
        } else if o.get("items").is_some_and(Value::is_array) {
            Some("items")
        } else {
            None
        };
        // After a tuple, 2020-12 spells `additionalItems` as `items`.
        let additional_key = if tuple_key == Some("prefixItems") {
            "items"
        } else {
            "additionalItems"
        };
        if let Some(key) = tuple_key {
            let list = o
                .get(key)
                .and_then(Value::as_array)
                .ok_or_else(|| LoadError(format!("`{key}` must be an array")))?;
            for (i, v) in list.iter().enumerate() {
                node.item_list
                    .push(self.load(v, &child_pointer(pointer, &[key, &i.to_string()]))?);
            }
        } else if self.draft >= Draft::Draft2019 && o.get("items").is_some_and(Value::is_boolean) {
            // Confluent reads 2019-09/2020-12 through a translator: `items: false` closes the
            // array, `items: true` says nothing.
            node.additional_forbidden = o.get("items") == Some(&Value::Bool(false));
        } else {
            node.all_items = self.sub(o, pointer, "items")?;
        }
        match o.get(additional_key) {
            None | Some(Value::Bool(true)) => {}
            Some(Value::Bool(false)) => node.additional_forbidden = true,
            Some(_) => node.additional_schema = self.sub(o, pointer, additional_key)?,
        }
        node.unevaluated = self.sub(o, pointer, "unevaluatedItems")?;
        node.max_items = get_u64(o, "maxItems")?;
        node.min_items = get_u64(o, "minItems")?;
        node.unique_items = o.get("uniqueItems") == Some(&Value::Bool(true));
        node.max_contains = get_u64(o, "maxContains")?;
        node.min_contains = get_u64(o, "minContains")?;
        Ok(node)
    }
}

/// The keywords `keys` of `o` (and `type`, when given) as a schema of their own.
fn project(o: &Map<String, Value>, keys: &[&str], t: Option<&str>) -> Value {
    let mut out = Map::new();
    if let Some(t) = t {
        out.insert("type".to_owned(), Value::String(t.to_owned()));
    }
    for k in keys {
        if let Some(v) = o.get(*k) {
            out.insert((*k).to_owned(), v.clone());
        }
    }
    Value::Object(out)
}

fn keywords_of(t: &str) -> &'static [&'static str] {
    match t {
        "array" => ARRAY_KEYWORDS,
        "object" => OBJECT_KEYWORDS,
        "number" | "integer" => NUMBER_KEYWORDS,
        "string" => STRING_KEYWORDS,
        _ => &[],
    }
}
