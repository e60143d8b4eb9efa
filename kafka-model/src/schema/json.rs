//! JSON Schema (draft-07) rendering.
//!
//! The schema describes exactly what `serde_json` writes for the type: the model's names are
//! serde's names, so the JSON produced by `dumps()` (with the `json` codec) validates against
//! it. Draft-07 is what Confluent's JSON Schema serializers and Schema Registry accept.
//!
//! | Model | JSON Schema |
//! | --- | --- |
//! | `bool` | `{"type": "boolean"}` |
//! | `i8` `i16` `i32` `u8` `u16` `u32` | `{"type": "integer", "minimum": MIN, "maximum": MAX}` |
//! | `i64` / `u64` | `{"type": "integer"}` / `{"type": "integer", "minimum": 0}` |
//! | `f32` / `f64` | `{"type": "number"}` |
//! | `String` | `{"type": "string"}` |
//! | `Vec<u8>`, `bytes::Bytes` | array of integers 0..=255 (serde's default), or `{"type": "string", "contentEncoding": "base64"}` with `#[serde(with = "kafka_model::base64")]` |
//! | `[u8; N]` | the same, with `minItems`/`maxItems` N (or the base64 string's exact length) |
//! | `Uuid` / `DateTime<Utc>` / `NaiveDate` | string with `format` `uuid` / `date-time` / `date` |
//! | `Decimal` | string matching `^-?[0-9]+(\.[0-9]+)?$` (rust_decimal's serde writes strings) |
//! | `Option<T>` | `{"oneOf": [{"type": "null"}, T]}` |
//! | `Vec<T>` / map | `{"type": "array", "items": T}` / `{"type": "object", "additionalProperties": T}` |
//! | record | `{"type": "object", "properties": ..., "required": ..., "additionalProperties": false}` (no `additionalProperties` with `#[record(open_content)]`) |
//! | unit-only enum | `{"type": "string", "enum": [...]}` |
//! | enum with data | `oneOf`, one branch per variant, following the serde tagging |
//!
//! The root type's schema sits at the top level (with `$schema`, `title` and `description`);
//! every other named type reached through a field is defined once under `definitions` by its
//! full name and referenced as `{"$ref": "#/definitions/<full name>"}`. A reference back to the
//! root type (recursion) is `{"$ref": "#"}`. Struct variants of an enum are written inline (serde
//! writes their fields inside the variant), so they never appear under `definitions`.
//!
//! A field is required unless it is an `Option` (but not one with `#[record(no_default)]`, or
//! `#[record(null_last)]` without a default), has a serde default or may be skipped when
//! serializing (`skip_serializing_if`). Field docs become `description`, data-governance tags
//! become `"confluent:tags"` (Confluent's keyword), and a serde default becomes `default`,
//! written the way serde would write the value. When a field's schema is a bare `$ref`, those
//! keywords are placed next to `{"allOf": [{"$ref": ...}]}`, because draft-07 ignores the
//! siblings of `$ref`.
//!
//! **Content model.** A record's object is *closed* (`"additionalProperties": false`) unless the
//! type says `#[record(open_content)]`. That is what Confluent's own JSON Schema serializer
//! generates from a class (its default `json.fail.unknown.properties=true` makes the generator
//! write `"additionalProperties": false` and the deserializer reject unknown properties), and
//! under Confluent's JSON Schema compatibility rules ([`crate::compat::json`]) it decides which
//! changes a registry accepts:
//!
//! | change of a type | closed (default) | open (`#[record(open_content)]`) |
//! | --- | --- | --- |
//! | add an optional field (`Option<T>`, or with a serde default) | BACKWARD | FORWARD |
//! | remove an optional field | FORWARD | BACKWARD |
//!
//! Neither model lets a field be both added and removed under FULL: pick the model after the
//! level of the subject (BACKWARD, the registry default, wants closed). An open object says
//! "any other property, of any type, may be here", so adding one narrows what the old schema
//! accepted; a closed one says "nothing else", so old data never holds the new field.
//! serde agrees with both: it never writes a property the schema does not list, and by default
//! it ignores unknown properties when reading, so it reads everything either model accepts.
//! `#[serde(deny_unknown_fields)]` (reject unknown properties) fits only the closed model, so
//! combining it with `open_content` is a compile error.
//!
//! Field validators (`#[record(min = .., max_len = .., choices = [..], pattern = "..")]`, see
//! [`crate::validate`]) become `minimum` / `maximum`, `minLength` / `maxLength` (strings),
//! `minItems` / `maxItems` (lists, bytes as arrays), `minProperties` / `maxProperties` (maps),
//! `enum` and `pattern`, on the value they apply to (list items and map values for value
//! rules, through `Option`); a bound never loosens the type's own range. Date, timestamp and
//! decimal bounds and the length of base64 bytes have no draft-07 keyword and are left out.
//!
//! Limits, each a choice made to describe serde's output exactly:
//! - A variant whose payload is a record with no fields is taken to be a unit variant (serde
//!   writes `"V"`); the model does not tell a unit variant from an empty struct variant `V {}`
//!   (which serde writes as `{"V": {}}`).
//! - Internally tagged enums (`#[serde(tag = "...")]`) can hold unit variants, struct variants
//!   and newtype variants of a record; any other newtype variant is
//!   [`SchemaError::Unrepresentable`], as serde cannot write it either.
//! - A newtype variant carries no field attributes, so its bytes are always serde's default
//!   array of numbers.
//! - Non-finite floats are written by serde_json as `null`, which the `number` schema rejects
//!   (and which serde cannot read back into a float anyway).
//! - `time::OffsetDateTime` and `time::Date` are written by the `time` crate's default serde
//!   impls as arrays, not strings; use `time::serde::rfc3339` (and `iso8601` for dates) so that
//!   the values match `date-time` / `date`. Likewise rust_decimal's `serde-float` feature would
//!   write decimals as numbers.
//!
//! Key order: [`JsonSchema::text`] is written from an ordered tree, so its keys come in a fixed,
//! readable order (`$schema`, `title`, `description`, `type`, `properties`, `required`, ...,
//! `definitions`), whatever the features of `serde_json`. [`JsonSchema::value`] is a
//! [`serde_json::Value`]: its objects iterate in `serde_json::Map` order, which is sorted by key
//! unless some crate in the build enables serde_json's `preserve_order` feature.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Number, Value};

use crate::model::{
    named_types, Constant, Field, FieldOptions, IntKind, Literal, MapKey, Model, OptionUnion,
    Payload, Shape, Symbol, Tagging, Type, Union, Validator, Variant,
};
use crate::SchemaError;

const FORMAT: &str = "JSON Schema";
const DRAFT_07: &str = "http://json-schema.org/draft-07/schema#";
const DECIMAL_PATTERN: &str = r"^-?[0-9]+(\.[0-9]+)?$";
/// Confluent's keyword for data-governance tags on a property.
const TAGS_KEYWORD: &str = "confluent:tags";

/// A rendered JSON Schema (draft-07).
#[derive(Debug)]
pub struct JsonSchema {
    value: Value,
    text: String,
}

impl JsonSchema {
    /// The schema as a JSON value (object keys in `serde_json::Map` order; see the module docs).
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The schema as pretty-printed JSON text, with a stable, readable key order.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// Renders the JSON Schema of a model.
///
/// # Errors
///
/// [`SchemaError::NameCollision`] when two reachable types share a full name,
/// [`SchemaError::Unrepresentable`] for an enum serde cannot tag internally, and
/// [`SchemaError::InvalidDefault`] for a default that does not fit its field's type.
pub fn render(model: &'static Model) -> Result<JsonSchema, SchemaError> {
    // Every named type, in depth-first order of first use; also the collision check.
    let all = named_types(model)?;
    let mut r = Renderer {
        root_name: model.full_name(),
        referenced: Vec::new(),
    };

    let body = r.model_body(model)?;

    // Render every type referenced through `$ref`; rendering one may reference more.
    let mut definitions: Vec<(usize, String, Obj)> = Vec::new();
    let mut next = 0;
    while let Some(&m) = r.referenced.get(next) {
        next += 1;
        let mut def = Obj::new();
        if let Some(doc) = m.doc {
            def.push("description", Node::str(doc));
        }
        def.extend(r.model_body(m)?);
        let full = m.full_name();
        let order = all
            .iter()
            .position(|a| a.full_name() == full)
            .unwrap_or(usize::MAX);
        definitions.push((order, full, def));
    }
    definitions.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));

    let mut root = Obj::new();
    root.push("$schema", Node::str(DRAFT_07));
    root.push("title", Node::str(model.name));
    if let Some(doc) = model.doc {
        root.push("description", Node::str(doc));
    }
    root.extend(body);
    if !definitions.is_empty() {
        let mut defs = Obj::new();
        for (_, name, def) in definitions {
            defs.push(&name, def.into_node());
        }
        root.push("definitions", defs.into_node());
    }

    let root = root.into_node();
    let text = serde_json::to_string_pretty(&root).map_err(|e| SchemaError::Rejected {
        format: FORMAT,
        record: model.rust_name,
        message: e.to_string(),
    })?;
    Ok(JsonSchema {
        value: root.to_value(),
        text,
    })
}

// ---------------------------------------------------------------------------------------------
// An ordered JSON tree, so the text has a fixed key order whatever serde_json's features.

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Leaf(Value),
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
}

impl Node {
    fn str(s: impl Into<String>) -> Node {
        Node::Leaf(Value::String(s.into()))
    }

    fn strs<'a>(items: impl IntoIterator<Item = &'a str>) -> Node {
        Node::Array(items.into_iter().map(Node::str).collect())
    }

    fn to_value(&self) -> Value {
        match self {
            Node::Leaf(v) => v.clone(),
            Node::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_value()))
                    .collect(),
            ),
            Node::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
        }
    }
}

impl From<bool> for Node {
    fn from(b: bool) -> Node {
        Node::Leaf(Value::Bool(b))
    }
}

impl From<i64> for Node {
    fn from(i: i64) -> Node {
        Node::Leaf(Value::from(i))
    }
}

impl From<Obj> for Node {
    fn from(o: Obj) -> Node {
        o.into_node()
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Leaf(v) => v.serialize(s),
            Node::Object(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            Node::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
        }
    }
}

/// An object under construction, keys in insertion order.
#[derive(Debug, Default)]
struct Obj(Vec<(String, Node)>);

impl Obj {
    fn new() -> Obj {
        Obj(Vec::new())
    }

    /// `{"type": ty}`.
    fn typed(ty: &str) -> Obj {
        Obj::new().with("type", Node::str(ty))
    }

    /// Adds a key, replacing an earlier value of the same key in place.
    fn push(&mut self, key: &str, value: impl Into<Node>) {
        let value = value.into();
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key.to_string(), value)),
        }
    }

    fn with(mut self, key: &str, value: impl Into<Node>) -> Obj {
        self.push(key, value);
        self
    }

    fn extend(&mut self, other: Obj) {
        for (k, v) in other.0 {
            self.push(&k, v);
        }
    }

    /// Whether the object is exactly `{"$ref": ...}`.
    fn is_bare_ref(&self) -> bool {
        matches!(self.0.as_slice(), [(k, _)] if k == "$ref")
    }

    fn into_node(self) -> Node {
        Node::Object(self.0)
    }
}

/// `{"const": value}`.
fn const_schema(value: &str) -> Obj {
    Obj::new().with("const", Node::str(value))
}

// ---------------------------------------------------------------------------------------------
// Schemas.

struct Renderer {
    /// The root's full name: references to it are `{"$ref": "#"}`.
    root_name: String,
    /// Named types referenced through `$ref` (never the root), each once.
    referenced: Vec<&'static Model>,
}

impl Renderer {
    /// `{"$ref": ...}` to a named type, remembering it for `definitions`.
    fn reference(&mut self, m: &'static Model) -> Obj {
        let full = m.full_name();
        if full == self.root_name {
            return Obj::new().with("$ref", Node::str("#"));
        }
        let target = format!("#/definitions/{}", pointer_token(&full));
        if !self.referenced.iter().any(|r| r.full_name() == full) {
            self.referenced.push(m);
        }
        Obj::new().with("$ref", Node::str(target))
    }

    /// The schema of a named type, without `description`.
    fn model_body(&mut self, m: &'static Model) -> Result<Obj, SchemaError> {
        match m.shape {
            Shape::Record(fields) => self.record_object(m, fields, None, false),
            Shape::Enum(symbols) => Ok(enum_schema(symbols)),
            Shape::Union(u) => self.union_schema(m, u),
            // Only reached for a fixed type as a root; fields render it inline.
            Shape::Fixed(n) => Ok(bytes_schema(Some(n), FieldOptions::default())),
            Shape::Duration => Ok(duration_schema()),
            Shape::Primitive(t) => Ok(self.type_schema(&t, FieldOptions::default())),
        }
    }

    /// `{"type": "object", "properties": ..., "required": ...}`, with an internal tag first
    /// when given as `(tag, variant name)`.
    fn record_object(
        &mut self,
        m: &'static Model,
        fields: &'static [Field],
        tag: Option<(&'static str, &'static str)>,
        closed: bool,
    ) -> Result<Obj, SchemaError> {
        let mut properties = Obj::new();
        let mut required: Vec<&str> = Vec::new();
        if let Some((tag, variant)) = tag {
            properties.push(tag, const_schema(variant));
            required.push(tag);
        }
        for f in fields {
            if let Some((tag, _)) = tag.filter(|(tag, _)| *tag == f.name) {
                return Err(SchemaError::Unrepresentable {
                    format: FORMAT,
                    record: m.rust_name,
                    field: f.name,
                    ty: f.ty.to_string(),
                    reason: format!(
                        "the field has the name of the enum's tag `{tag}`, so serde would write \
                         the key twice; rename the field or the tag"
                    ),
                });
            }
            properties.push(f.name, self.field_schema(m, f)?);
            if is_required(f) {
                required.push(f.name);
            }
        }
        let mut o = Obj::typed("object").with("properties", properties);
        if !required.is_empty() {
            o.push("required", Node::strs(required));
        }
        if closed || is_closed(m) {
            o.push("additionalProperties", false);
        }
        Ok(o)
    }

    /// A property: the type's schema plus `description`, `default` and `confluent:tags`.
    fn field_schema(&mut self, m: &'static Model, f: &'static Field) -> Result<Obj, SchemaError> {
        let mut ty = self.type_schema(&f.ty, f.options);
        constrain(&mut ty.0, &f.ty, f.options, f.validators, true);
        let default = match f.default {
            Some(default) => {
                let cx = DefaultCx {
                    record: m.rust_name,
                    field: f.name,
                };
                Some(literal_node(&default(), &f.ty, f.options, &cx)?)
            }
            None => None,
        };
        if f.doc.is_none() && default.is_none() && f.tags.is_empty() {
            return Ok(ty);
        }
        if ty.is_bare_ref() {
            // Draft-07 ignores every keyword beside `$ref`.
            ty = Obj::new().with("allOf", Node::Array(vec![ty.into_node()]));
        }
        let mut out = Obj::new();
        if let Some(doc) = f.doc {
            out.push("description", Node::str(doc));
        }
        out.extend(ty);
        if let Some(default) = default {
            out.push("default", default);
        }
        if !f.tags.is_empty() {
            out.push(TAGS_KEYWORD, Node::strs(f.tags.iter().copied()));
        }
        Ok(out)
    }

    /// The schema of a field type; `opts` apply to the innermost scalar.
    fn type_schema(&mut self, ty: &Type, opts: FieldOptions) -> Obj {
        match ty {
            Type::Bool => Obj::typed("boolean"),
            Type::Null => Obj::typed("null"),
            // serde's forms (chrono, time): no offset, so not JSON Schema's `time`/`date-time`.
            Type::Time => Obj::typed("string").with("pattern", Node::str(TIME_PATTERN)),
            Type::LocalTimestamp => {
                Obj::typed("string").with("pattern", Node::str(LOCAL_TIMESTAMP_PATTERN))
            }
            Type::Int(kind) => int_schema(*kind),
            Type::Float | Type::Double => Obj::typed("number"),
            Type::String => Obj::typed("string"),
            Type::Bytes => bytes_schema(None, opts),
            Type::Fixed(n) => bytes_schema(Some(*n), opts),
            Type::Duration => duration_schema(),
            Type::Uuid => Obj::typed("string").with("format", Node::str("uuid")),
            Type::Timestamp => Obj::typed("string").with("format", Node::str("date-time")),
            Type::Date => Obj::typed("string").with("format", Node::str("date")),
            Type::Decimal => Obj::typed("string").with("pattern", Node::str(DECIMAL_PATTERN)),
            Type::Option(inner) => {
                // serde writes `None` and `Some(None)` alike as `null`: one null branch.
                let mut inner: &Type = inner;
                while let Type::Option(t) = inner {
                    inner = t;
                }
                let branches = vec![
                    Obj::typed("null").into_node(),
                    self.type_schema(inner, opts).into_node(),
                ];
                Obj::new().with("oneOf", Node::Array(branches))
            }
            Type::List(items) => Obj::typed("array").with("items", self.type_schema(items, opts)),
            Type::Map(values) => {
                Obj::typed("object").with("additionalProperties", self.type_schema(values, opts))
            }
            // serde JSON writes an integer or bool key as a string: its decimal text.
            Type::KeyedMap { key, value } => Obj::typed("object")
                .with(
                    "propertyNames",
                    Obj::new().with("pattern", Node::str(key_pattern(*key))),
                )
                .with("additionalProperties", self.type_schema(value, opts)),
            Type::Named(f) => match f().shape {
                // A named fixed type has no name in JSON Schema: bytes of its size.
                Shape::Fixed(n) => bytes_schema(Some(n), opts),
                Shape::Duration => duration_schema(),
                _ => self.reference(f()),
            },
        }
    }

    /// `oneOf` with one branch per variant, following the serde tagging.
    fn union_schema(&mut self, m: &'static Model, u: &'static Union) -> Result<Obj, SchemaError> {
        if u.variants.is_empty() {
            // No value of an empty enum exists, so nothing validates.
            return Ok(Obj::new().with("not", Obj::new()));
        }
        let mut branches = Vec::with_capacity(u.variants.len());
        for v in u.variants {
            let branch = match u.tagging {
                Tagging::External => self.external_variant(v)?,
                Tagging::Internal { tag } => self.internal_variant(m, v, tag)?,
                Tagging::Adjacent { tag, content } => self.adjacent_variant(m, v, tag, content)?,
            };
            let mut b = Obj::new();
            if let Some(doc) = v.doc {
                b.push("description", Node::str(doc));
            }
            b.extend(branch);
            branches.push(b.into_node());
        }
        Ok(Obj::new().with("oneOf", Node::Array(branches)))
    }

    /// The schema of what a variant carries (external and adjacent tagging).
    fn payload_schema(&mut self, v: &'static Variant) -> Result<Obj, SchemaError> {
        match v.payload {
            Payload::Struct(pm) => self.model_body(pm),
            Payload::Newtype(t) => Ok(self.type_schema(&t, FieldOptions::default())),
        }
    }

    /// `"V"` for a unit variant, `{"V": payload}` otherwise.
    fn external_variant(&mut self, v: &'static Variant) -> Result<Obj, SchemaError> {
        if is_unit(&v.payload) {
            return Ok(const_schema(v.name));
        }
        let payload = self.payload_schema(v)?;
        Ok(Obj::typed("object")
            .with("properties", Obj::new().with(v.name, payload))
            .with("required", Node::strs([v.name]))
            .with("additionalProperties", false))
    }

    /// `{tag: "V", ...fields}`.
    fn internal_variant(
        &mut self,
        m: &'static Model,
        v: &'static Variant,
        tag: &'static str,
    ) -> Result<Obj, SchemaError> {
        match v.payload {
            Payload::Struct(pm) => match pm.shape {
                Shape::Record(fields) => {
                    self.record_object(pm, fields, Some((tag, v.name)), is_closed(m))
                }
                _ => Err(not_internally_taggable(m, v, pm.rust_name)),
            },
            Payload::Newtype(Type::Named(f)) => {
                let target = f();
                let Shape::Record(fields) = target.shape else {
                    return Err(not_internally_taggable(m, v, target.rust_name));
                };
                if let Some(clash) = fields.iter().find(|f| f.name == tag) {
                    return Err(SchemaError::Unrepresentable {
                        format: FORMAT,
                        record: m.rust_name,
                        field: v.name,
                        ty: target.rust_name.to_string(),
                        reason: format!(
                            "`{}` has a field `{}`, the name of the enum's tag, so serde would \
                             write the key twice; rename the field or the tag",
                            target.rust_name, clash.name
                        ),
                    });
                }
                if is_closed(target) {
                    // The referenced schema forbids the tag as an extra property: inline it.
                    return self.record_object(target, fields, Some((tag, v.name)), false);
                }
                let tag_only = Obj::typed("object")
                    .with("properties", Obj::new().with(tag, const_schema(v.name)))
                    .with("required", Node::strs([tag]));
                let parts = vec![self.reference(target).into_node(), tag_only.into_node()];
                Ok(Obj::new().with("allOf", Node::Array(parts)))
            }
            Payload::Newtype(t) => Err(not_internally_taggable(m, v, &t.to_string())),
        }
    }

    /// `{tag: "V", content: payload}` (no content for a unit variant).
    fn adjacent_variant(
        &mut self,
        m: &'static Model,
        v: &'static Variant,
        tag: &'static str,
        content: &'static str,
    ) -> Result<Obj, SchemaError> {
        let mut properties = Obj::new().with(tag, const_schema(v.name));
        let mut required = vec![tag];
        if !is_unit(&v.payload) {
            properties.push(content, self.payload_schema(v)?);
            required.push(content);
        }
        let mut o = Obj::typed("object")
            .with("properties", properties)
            .with("required", Node::strs(required));
        if is_closed(m) {
            o.push("additionalProperties", false);
        }
        Ok(o)
    }
}

/// Whether the type's objects are closed (`"additionalProperties": false`): unless it asks for
/// an open content model, and always when serde rejects unknown fields.
fn is_closed(m: &Model) -> bool {
    !m.open_content || m.deny_unknown_fields
}

fn not_internally_taggable(m: &'static Model, v: &'static Variant, ty: &str) -> SchemaError {
    SchemaError::Unrepresentable {
        format: FORMAT,
        record: m.rust_name,
        field: v.name,
        ty: ty.to_string(),
        reason: "serde cannot write an internally tagged (`#[serde(tag = \"...\")]`) newtype \
                 variant unless it holds a struct; use a struct variant, hold a record, or \
                 choose external or adjacent tagging"
            .to_string(),
    }
}

/// A variant whose payload is a record without fields is a unit variant (see the module docs).
fn is_unit(payload: &Payload) -> bool {
    matches!(payload, Payload::Struct(pm) if matches!(pm.shape, Shape::Record(fields) if fields.is_empty()))
}

/// An `Option` is optional only with its usual null default: `#[record(no_default)]` and a
/// `#[record(null_last)]` without a default say the field has no default, so a document must
/// hold it (`null` or a value), as in Avro.
fn is_required(f: &Field) -> bool {
    let null_default = f.ty.is_option() && f.option_union == OptionUnion::Auto;
    !(null_default || f.default.is_some() || f.json_optional)
}

fn int_schema(kind: IntKind) -> Obj {
    let o = Obj::typed("integer");
    match kind {
        IntKind::I64 => o,
        IntKind::U64 => o.with("minimum", 0i64),
        _ => {
            let (min, max) = kind.range();
            let mut o = o;
            // Every range left fits in an i64.
            if let (Ok(min), Ok(max)) = (i64::try_from(min), i64::try_from(max)) {
                o.push("minimum", min);
                o.push("maximum", max);
            }
            o
        }
    }
}

/// The keys serde JSON writes for a map key type: `true`/`false`, or an integer's decimal text
/// with no more digits than the type can have (the exact range is beyond a regex worth reading).
fn key_pattern(key: MapKey) -> String {
    match key {
        MapKey::Bool => "^(true|false)$".into(),
        MapKey::Int(kind) => {
            let (min, max) = kind.range();
            let digits = max.max(-min).to_string().len();
            let sign = if kind.is_signed() { "-?" } else { "" };
            format!("^{sign}(0|[1-9][0-9]{{0,{}}})$", digits - 1)
        }
    }
}

/// Adds a field's validators to its schema: length rules on the outermost value (looking
/// through `Option`), value rules on the innermost scalar (list items, map values). Bounds only
/// ever tighten what the type already says. Rules JSON Schema cannot say (date, timestamp and
/// decimal bounds, the length of base64 bytes) are left out.
fn constrain(
    entries: &mut Vec<(String, Node)>,
    ty: &Type,
    opts: FieldOptions,
    validators: &[Validator],
    outer: bool,
) {
    if validators.is_empty() {
        return;
    }
    let mut ty = ty;
    if let Type::Option(_) = ty {
        while let Type::Option(t) = ty {
            ty = t;
        }
        // `{"oneOf": [{"type": "null"}, T]}`: constrain T.
        if let Some(Node::Array(branches)) = get_mut(entries, "oneOf") {
            if let Some(Node::Object(branch)) = branches.get_mut(1) {
                constrain(branch, ty, opts, validators, outer);
            }
        }
        return;
    }
    if outer {
        let keys = match ty {
            Type::String => Some(("minLength", "maxLength")),
            Type::Bytes | Type::Fixed(_) if !opts.json_bytes_base64 => {
                Some(("minItems", "maxItems"))
            }
            Type::List(_) => Some(("minItems", "maxItems")),
            Type::Map(_) | Type::KeyedMap { .. } => Some(("minProperties", "maxProperties")),
            _ => None,
        };
        if let Some((min_key, max_key)) = keys {
            for v in validators {
                let as_i64 = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
                match *v {
                    Validator::MinLen(n) => tighten(entries, min_key, Value::from(as_i64(n)), true),
                    Validator::NonEmpty => tighten(entries, min_key, Value::from(1), true),
                    Validator::MaxLen(n) => {
                        tighten(entries, max_key, Value::from(as_i64(n)), false)
                    }
                    _ => {}
                }
            }
        }
    }
    match ty {
        Type::List(inner) | Type::Map(inner) | Type::KeyedMap { value: inner, .. } => {
            let key = if matches!(ty, Type::List(_)) {
                "items"
            } else {
                "additionalProperties"
            };
            if let Some(Node::Object(items)) = get_mut(entries, key) {
                constrain(items, inner, opts, validators, false);
            }
        }
        Type::Int(_) | Type::Float | Type::Double | Type::String => {
            for v in validators {
                match *v {
                    Validator::Min(c) => {
                        if let Some(n) = number(c) {
                            tighten(entries, "minimum", n, true);
                        }
                    }
                    Validator::Max(c) => {
                        if let Some(n) = number(c) {
                            tighten(entries, "maximum", n, false);
                        }
                    }
                    Validator::Choices(choices) => {
                        let items = choices
                            .iter()
                            .filter_map(|c| match *c {
                                Constant::Str(s) => Some(Node::str(s)),
                                other => number(other).map(Node::Leaf),
                            })
                            .collect();
                        set(entries, "enum", Node::Array(items));
                    }
                    Validator::Pattern(p) => set(entries, "pattern", Node::str(p.regex)),
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

fn number(c: Constant) -> Option<Value> {
    match c {
        Constant::Int(i) => int_value(i),
        Constant::Float(x) => Number::from_f64(x).map(Value::Number),
        Constant::Str(_) => None,
    }
}

fn get_mut<'a>(entries: &'a mut [(String, Node)], key: &str) -> Option<&'a mut Node> {
    entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn set(entries: &mut Vec<(String, Node)>, key: &str, value: Node) {
    match get_mut(entries, key) {
        Some(slot) => *slot = value,
        None => entries.push((key.to_string(), value)),
    }
}

/// Sets a numeric bound unless the one already there is tighter.
fn tighten(entries: &mut Vec<(String, Node)>, key: &str, value: Value, is_min: bool) {
    if let Some(Node::Leaf(old)) = get_mut(entries, key) {
        if let (Some(a), Some(b)) = (old.as_f64(), value.as_f64()) {
            let keep_old = if is_min { a >= b } else { a <= b };
            if keep_old {
                return;
            }
        }
    }
    set(entries, key, Node::Leaf(value));
}

fn bytes_schema(len: Option<usize>, opts: FieldOptions) -> Obj {
    let as_i64 = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    if opts.json_bytes_base64 {
        let mut o = Obj::typed("string").with("contentEncoding", Node::str("base64"));
        if let Some(n) = len {
            // Standard base64 with padding: 4 characters per started group of 3 bytes.
            let chars = as_i64(n.div_ceil(3).saturating_mul(4));
            o.push("minLength", chars);
            o.push("maxLength", chars);
        }
        return o;
    }
    let byte = Obj::typed("integer")
        .with("minimum", 0i64)
        .with("maximum", 255i64);
    let mut o = Obj::typed("array").with("items", byte);
    if let Some(n) = len {
        o.push("minItems", as_i64(n));
        o.push("maxItems", as_i64(n));
    }
    o
}

/// serde's form of an [`AvroDuration`](crate::duration::AvroDuration).
fn duration_schema() -> Obj {
    let word = || {
        Obj::typed("integer")
            .with("minimum", 0i64)
            .with("maximum", i64::from(u32::MAX))
    };
    let mut props = Obj::new();
    for name in ["months", "days", "millis"] {
        props.push(name, word());
    }
    Obj::typed("object")
        .with("properties", props)
        .with("required", Node::strs(["months", "days", "millis"]))
        .with("additionalProperties", false)
}

fn enum_schema(symbols: &'static [Symbol]) -> Obj {
    Obj::typed("string").with("enum", Node::strs(symbols.iter().map(|s| s.name)))
}

/// One reference token of a JSON pointer inside a URI fragment: `~` and `/` escaped
/// (RFC 6901), then every byte outside the URI's unreserved characters percent-encoded.
fn pointer_token(name: &str) -> String {
    let escaped = name.replace('~', "~0").replace('/', "~1");
    let mut out = String::with_capacity(escaped.len());
    for b in escaped.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Defaults: a Literal written the way serde writes the field's value.

/// Where a default comes from, for errors.
struct DefaultCx {
    record: &'static str,
    field: &'static str,
}

impl DefaultCx {
    fn err(&self, reason: impl Into<String>) -> SchemaError {
        SchemaError::InvalidDefault {
            record: self.record,
            field: self.field,
            reason: reason.into(),
        }
    }

    fn mismatch(&self, lit: &Literal, ty: &dyn std::fmt::Display) -> SchemaError {
        self.err(format!("{} does not fit `{ty}`", lit.kind()))
    }
}

fn literal_node(
    lit: &Literal,
    ty: &Type,
    opts: FieldOptions,
    cx: &DefaultCx,
) -> Result<Node, SchemaError> {
    let node = match (ty, lit) {
        (Type::Option(_) | Type::Null, Literal::Null) => Node::Leaf(Value::Null),
        (Type::Option(inner), lit) => return literal_node(lit, inner, opts, cx),
        (Type::Bool, Literal::Bool(b)) => Node::from(*b),
        (Type::Int(kind), Literal::Int(i)) => {
            let (min, max) = kind.range();
            if !(min..=max).contains(i) {
                return Err(cx.err(format!("{i} is out of the range of `{ty}`")));
            }
            Node::Leaf(int_value(*i).ok_or_else(|| cx.err(format!("{i} does not fit JSON")))?)
        }
        (Type::Float, Literal::Float(x)) => Node::Leaf(f32_value(*x)),
        (Type::Double, Literal::Float(x)) => Node::Leaf(f64_value(*x)),
        (Type::Float, Literal::Int(i)) => Node::Leaf(f32_value(*i as f64)),
        (Type::Double, Literal::Int(i)) => Node::Leaf(f64_value(*i as f64)),
        (Type::String, Literal::String(s)) => Node::str(s.as_str()),
        (Type::Bytes, Literal::Bytes(b)) => bytes_node(b, opts),
        (Type::Fixed(n), Literal::Bytes(b)) => {
            if b.len() != *n {
                return Err(cx.err(format!("{} bytes do not fit `{ty}`", b.len())));
            }
            bytes_node(b, opts)
        }
        (Type::Duration, Literal::Bytes(b)) => {
            let b: [u8; 12] = b
                .as_slice()
                .try_into()
                .map_err(|_| cx.err(format!("{} bytes for a duration of 12", b.len())))?;
            let d = crate::duration::AvroDuration::from_bytes(b);
            let mut o = Obj::new();
            o.push("months", i64::from(d.months));
            o.push("days", i64::from(d.days));
            o.push("millis", i64::from(d.millis));
            o.into()
        }
        (Type::Uuid, Literal::Uuid(s) | Literal::String(s)) => Node::str(s.as_str()),
        (Type::Timestamp, Literal::Timestamp { seconds, nanos }) => Node::str(
            format_timestamp(*seconds, *nanos)
                .ok_or_else(|| cx.err(format!("{seconds} s + {nanos} ns is not an instant")))?,
        ),
        (Type::Date, Literal::Date(days)) => Node::str(format_date(i64::from(*days))),
        (Type::Time, Literal::Time(n)) => Node::str(format_time(*n)),
        (Type::LocalTimestamp, Literal::Timestamp { seconds, nanos }) => Node::str(
            format_timestamp(*seconds, *nanos)
                .map(|t| t.trim_end_matches('Z').to_string())
                .ok_or_else(|| cx.err(format!("{seconds} s + {nanos} ns is not a date-time")))?,
        ),
        (Type::Decimal, Literal::Decimal { unscaled, scale }) => {
            Node::str(format_decimal(*unscaled, *scale))
        }
        (Type::List(items), Literal::List(values)) => Node::Array(
            values
                .iter()
                .map(|v| literal_node(v, items, opts, cx))
                .collect::<Result<_, _>>()?,
        ),
        (Type::Map(values) | Type::KeyedMap { value: values, .. }, Literal::Map(entries)) => {
            let mut o = Obj::new();
            for (k, v) in entries {
                o.push(k, literal_node(v, values, opts, cx)?);
            }
            o.into_node()
        }
        (Type::Named(f), lit) => match f().shape {
            Shape::Fixed(n) => return literal_node(lit, &Type::Fixed(n), opts, cx),
            Shape::Duration => return literal_node(lit, &Type::Duration, opts, cx),
            Shape::Primitive(t) => return literal_node(lit, &t, opts, cx),
            _ => return model_literal(f(), lit, cx),
        },
        _ => return Err(cx.mismatch(lit, ty)),
    };
    Ok(node)
}

/// A value of a named type.
fn model_literal(m: &'static Model, lit: &Literal, cx: &DefaultCx) -> Result<Node, SchemaError> {
    match (m.shape, lit) {
        (Shape::Record(fields), Literal::Record(values)) => {
            let mut o = Obj::new();
            for (name, v) in values {
                let f = fields
                    .iter()
                    .find(|f| f.name == *name)
                    .ok_or_else(|| cx.err(format!("`{}` has no field `{name}`", m.rust_name)))?;
                o.push(name, literal_node(v, &f.ty, f.options, cx)?);
            }
            Ok(o.into_node())
        }
        (Shape::Enum(symbols), Literal::Enum(i)) => symbols
            .get(*i)
            .map(|s| Node::str(s.name))
            .ok_or_else(|| cx.err(format!("`{}` has no symbol number {i}", m.rust_name))),
        (Shape::Union(u), Literal::Variant(i, payload)) => {
            let v = u
                .variants
                .get(*i)
                .ok_or_else(|| cx.err(format!("`{}` has no variant number {i}", m.rust_name)))?;
            variant_literal(u.tagging, v, payload, cx)
        }
        _ => Err(cx.mismatch(lit, &m.rust_name)),
    }
}

fn variant_literal(
    tagging: Tagging,
    v: &'static Variant,
    payload: &Literal,
    cx: &DefaultCx,
) -> Result<Node, SchemaError> {
    let payload = if is_unit(&v.payload) {
        None
    } else {
        Some(match v.payload {
            Payload::Struct(pm) => model_literal(pm, payload, cx)?,
            Payload::Newtype(t) => literal_node(payload, &t, FieldOptions::default(), cx)?,
        })
    };
    Ok(match (tagging, payload) {
        (Tagging::External, None) => Node::str(v.name),
        (Tagging::External, Some(p)) => Obj::new().with(v.name, p).into_node(),
        (Tagging::Internal { tag }, p) => {
            let mut o = Obj::new().with(tag, Node::str(v.name));
            match p {
                None => {}
                Some(Node::Object(entries)) => o.0.extend(entries),
                Some(_) => {
                    return Err(cx.err(format!(
                        "variant `{}` of an internally tagged enum must hold a record",
                        v.name
                    )))
                }
            }
            o.into_node()
        }
        (Tagging::Adjacent { tag, content }, p) => {
            let mut o = Obj::new().with(tag, Node::str(v.name));
            if let Some(p) = p {
                o.push(content, p);
            }
            o.into_node()
        }
    })
}

fn int_value(i: i128) -> Option<Value> {
    if let Ok(v) = i64::try_from(i) {
        Some(Value::from(v))
    } else {
        u64::try_from(i).ok().map(Value::from)
    }
}

/// As serde_json writes an `f64`: non-finite values become `null`.
fn f64_value(x: f64) -> Value {
    Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// As serde_json writes an `f32`: the shortest decimal that reads back as the same `f32`
/// (`0.1`, not `0.10000000149011612`).
fn f32_value(x: f64) -> Value {
    let x = x as f32;
    if !x.is_finite() {
        return Value::Null;
    }
    // Rust's `Display` for f32 is the shortest round-trip decimal, as is serde_json's ryu.
    f64_value(x.to_string().parse::<f64>().unwrap_or(f64::from(x)))
}

fn bytes_node(bytes: &[u8], opts: FieldOptions) -> Node {
    if opts.json_bytes_base64 {
        use ::base64::Engine as _;
        Node::str(::base64::engine::general_purpose::STANDARD.encode(bytes))
    } else {
        Node::Array(bytes.iter().map(|b| Node::from(i64::from(*b))).collect())
    }
}

/// Year, month (1-12) and day (1-31) of a day count since 1970-01-01 (proleptic Gregorian).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // Howard Hinnant's `civil_from_days`.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // Both are small and positive by construction.
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

/// `YYYY-MM-DD` as chrono writes a `NaiveDate` (a sign and 5+ digits outside 0000..=9999).
fn format_date(days: i64) -> String {
    let (year, month, day) = civil_from_days(days);
    format!("{}-{month:02}-{day:02}", format_year(year))
}

fn format_year(year: i64) -> String {
    if (0..=9999).contains(&year) {
        format!("{year:04}")
    } else {
        format!("{year:+05}")
    }
}

/// RFC 3339 in UTC as chrono's serde writes a `DateTime<Utc>`: `YYYY-MM-DDTHH:MM:SS[.f]Z`,
/// with 0, 3, 6 or 9 fraction digits (`SecondsFormat::AutoSi`); a leap second (nanos of
/// 1_000_000_000 or more) is written as second 60. `None` when nanos is 2 s or more.
/// A time of day as serde writes chrono's `NaiveTime`: `HH:MM:SS` and a fraction if any.
const TIME_PATTERN: &str = r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-6][0-9](\.[0-9]+)?$";
/// A local date-time as serde writes chrono's `NaiveDateTime`: no offset.
const LOCAL_TIMESTAMP_PATTERN: &str =
    r"^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?$";

/// `HH:MM:SS[.fraction]` of nanoseconds since midnight.
fn format_time(nanos: u64) -> String {
    let secs = nanos / 1_000_000_000;
    let nano = nanos % 1_000_000_000;
    let fraction = if nano == 0 {
        String::new()
    } else {
        format!(".{nano:09}").trim_end_matches('0').to_string()
    };
    format!(
        "{:02}:{:02}:{:02}{fraction}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

fn format_timestamp(seconds: i64, nanos: u32) -> Option<String> {
    if nanos >= 2_000_000_000 {
        return None;
    }
    let days = seconds.div_euclid(86_400);
    let secs_of_day = seconds.rem_euclid(86_400);
    let (hour, minute, mut second) = (secs_of_day / 3600, secs_of_day / 60 % 60, secs_of_day % 60);
    let mut nano = nanos;
    if nano >= 1_000_000_000 {
        second += 1;
        nano -= 1_000_000_000;
    }
    let fraction = if nano == 0 {
        String::new()
    } else if nano.is_multiple_of(1_000_000) {
        format!(".{:03}", nano / 1_000_000)
    } else if nano.is_multiple_of(1_000) {
        format!(".{:06}", nano / 1_000)
    } else {
        format!(".{nano:09}")
    };
    Some(format!(
        "{}T{hour:02}:{minute:02}:{second:02}{fraction}Z",
        format_date(days)
    ))
}

/// As rust_decimal's serde writes a `Decimal`: every digit of the scale kept (`12.50`).
fn format_decimal(unscaled: i128, scale: u32) -> String {
    let mut digits = unscaled.unsigned_abs().to_string();
    let scale = scale as usize;
    if digits.len() <= scale {
        digits = "0".repeat(scale + 1 - digits.len()) + &digits;
    }
    let sign = if unscaled < 0 { "-" } else { "" };
    let (int, frac) = digits.split_at(digits.len() - scale);
    if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::io::Write as _;
    use std::process::{Command, Stdio};

    use serde::Serialize;
    use serde_json::json;

    use super::*;
    use crate::model::{IntEncoding, TimePrecision};

    use crate::base64 as b64;

    // -----------------------------------------------------------------------------------------
    // Hand-written models (what the derive writes), next to the serde types they describe.

    const OPTS: FieldOptions = FieldOptions {
        int_encoding: IntEncoding::Varint,
        timestamp: TimePrecision::Micros,
        decimal: None,
        json_bytes_base64: false,
        proto_oneof: false,
    };
    const B64: FieldOptions = FieldOptions {
        json_bytes_base64: true,
        ..OPTS
    };

    const fn field(name: &'static str, ty: Type) -> Field {
        Field {
            ident: name,
            name,
            doc: None,
            aliases: &[],
            ty,
            options: OPTS,
            tag: 0,
            default: None,
            json_optional: false,
            option_union: crate::model::OptionUnion::Auto,
            tags: &[],
            validators: &[],
            coerce: false,
        }
    }

    const fn model(name: &'static str, shape: Shape) -> Model {
        Model {
            rust_name: name,
            name,
            namespace: None,
            doc: None,
            aliases: &[],
            serializer: "json",
            deny_unknown_fields: false,
            // The shapes below are checked on open objects; `closed_by_default` checks the
            // default.
            open_content: true,
            shape,
            parent: None,
        }
    }

    const fn symbol(name: &'static str) -> Symbol {
        Symbol {
            ident: name,
            name,
            doc: None,
            tag: 0,
            is_default: false,
        }
    }

    const fn variant(name: &'static str, payload: Payload) -> Variant {
        Variant {
            ident: name,
            name,
            doc: None,
            tag: 0,
            payload,
        }
    }

    const I32: Type = Type::Int(IntKind::I32);

    #[derive(Serialize)]
    struct Address {
        street: String,
        zip: Option<String>,
    }
    static ADDRESS: Model = Model {
        namespace: Some("com.acme"),
        doc: Some("A postal address."),
        ..model(
            "Address",
            Shape::Record(&[
                field("street", Type::String),
                field("zip", Type::Option(&Type::String)),
            ]),
        )
    };
    fn address() -> &'static Model {
        &ADDRESS
    }

    #[derive(Serialize)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    enum Status {
        New,
        Done,
    }
    static STATUS: Model = Model {
        namespace: Some("com.acme"),
        ..model("Status", Shape::Enum(&[symbol("NEW"), symbol("DONE")]))
    };
    fn status() -> &'static Model {
        &STATUS
    }

    /// The representative record of the golden test.
    #[derive(Serialize)]
    struct Order {
        id: String,
        qty: i32,
        note: Option<String>,
        address: Address,
        status: Status,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        lines: Vec<String>,
    }
    static ORDER: Model = Model {
        namespace: Some("com.acme"),
        doc: Some("A customer order."),
        deny_unknown_fields: true,
        ..model(
            "Order",
            Shape::Record(&[
                Field {
                    doc: Some("Order id."),
                    tags: &["PII"],
                    ..field("id", Type::String)
                },
                Field {
                    default: Some(|| Literal::Int(1)),
                    ..field("qty", I32)
                },
                field("note", Type::Option(&Type::String)),
                Field {
                    doc: Some("Where to ship."),
                    ..field("address", Type::Named(address))
                },
                Field {
                    default: Some(|| Literal::Enum(0)),
                    ..field("status", Type::Named(status))
                },
                Field {
                    json_optional: true,
                    option_union: crate::model::OptionUnion::Auto,
                    ..field("lines", Type::List(&Type::String))
                },
            ]),
        )
    };

    // Enums with data, one per serde tagging.
    static UNIT: Model = model("Unit", Shape::Record(&[]));
    static PAIR: Model = model(
        "Pair",
        Shape::Record(&[field("a", I32), field("b", Type::Option(&Type::String))]),
    );
    static PAIR_A: Model = model("Pair", Shape::Record(&[field("a", I32)]));

    #[derive(Serialize)]
    enum Ext {
        Unit,
        Num(i32),
        Addr(Address),
        Pair { a: i32, b: Option<String> },
    }
    static EXT_UNION: Union = Union {
        tagging: Tagging::External,
        variants: &[
            Variant {
                doc: Some("Nothing."),
                ..variant("Unit", Payload::Struct(&UNIT))
            },
            variant("Num", Payload::Newtype(I32)),
            variant("Addr", Payload::Newtype(Type::Named(address))),
            variant("Pair", Payload::Struct(&PAIR)),
        ],
    };
    static EXT: Model = model("Ext", Shape::Union(&EXT_UNION));

    #[derive(Serialize)]
    #[serde(tag = "type")]
    enum Int {
        Unit,
        Addr(Address),
        Pair { a: i32 },
    }
    static INT_UNION: Union = Union {
        tagging: Tagging::Internal { tag: "type" },
        variants: &[
            variant("Unit", Payload::Struct(&UNIT)),
            variant("Addr", Payload::Newtype(Type::Named(address))),
            variant("Pair", Payload::Struct(&PAIR_A)),
        ],
    };
    static INT: Model = model("Int", Shape::Union(&INT_UNION));

    #[derive(Serialize)]
    #[serde(tag = "t", content = "c")]
    enum Adj {
        Unit,
        Num(i32),
        Pair { a: i32 },
    }
    static ADJ_UNION: Union = Union {
        tagging: Tagging::Adjacent {
            tag: "t",
            content: "c",
        },
        variants: &[
            variant("Unit", Payload::Struct(&UNIT)),
            variant("Num", Payload::Newtype(I32)),
            variant("Pair", Payload::Struct(&PAIR_A)),
        ],
    };
    static ADJ: Model = model("Adj", Shape::Union(&ADJ_UNION));

    // Recursion through the root, and through a definition.
    #[derive(Serialize)]
    struct Node {
        value: i32,
        children: Vec<Node>,
        next: Option<Box<Node>>,
    }
    static NODE: Model = model(
        "Node",
        Shape::Record(&[
            field("value", I32),
            field("children", Type::List(&Type::Named(node))),
            field("next", Type::Option(&Type::Named(node))),
        ]),
    );
    fn node() -> &'static Model {
        &NODE
    }

    #[derive(Serialize)]
    struct Forest {
        trees: Vec<TreeNode>,
    }
    #[derive(Serialize)]
    struct TreeNode {
        label: String,
        kids: Vec<TreeNode>,
    }
    static TREE_NODE: Model = Model {
        namespace: Some("com.acme.tree"),
        ..model(
            "TreeNode",
            Shape::Record(&[
                field("label", Type::String),
                field("kids", Type::List(&Type::Named(tree_node))),
            ]),
        )
    };
    fn tree_node() -> &'static Model {
        &TREE_NODE
    }
    static FOREST: Model = model(
        "Forest",
        Shape::Record(&[field("trees", Type::List(&Type::Named(tree_node)))]),
    );

    fn render_ok(m: &'static Model) -> JsonSchema {
        let schema = render(m).unwrap_or_else(|e| panic!("rendering {}: {e}", m.rust_name));
        let reparsed: Value = serde_json::from_str(schema.text()).expect("the text is JSON");
        assert_eq!(&reparsed, schema.value(), "text and value agree");
        schema
    }

    fn to_json(v: &impl Serialize) -> Value {
        serde_json::to_value(v).expect("serde_json writes the test values")
    }

    /// A copy of an object with one key replaced (or removed, for `None`).
    fn with(v: &Value, key: &str, new: Option<Value>) -> Value {
        let mut v = v.clone();
        if let Some(o) = v.as_object_mut() {
            match new {
                Some(new) => {
                    o.insert(key.to_string(), new);
                }
                None => {
                    o.remove(key);
                }
            }
        }
        v
    }

    // -----------------------------------------------------------------------------------------
    // Validation with Python `jsonschema` (Draft7Validator), when the interop venv is there.

    const VALIDATE_PY: &str = r#"
import json, sys
import jsonschema
case = json.load(sys.stdin)
schema = case["schema"]
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
bad = []
for i, inst in enumerate(case["valid"]):
    errors = [e.message for e in validator.iter_errors(inst)]
    if errors:
        bad.append("valid[%d] rejected: %s: %s" % (i, errors, json.dumps(inst)))
for i, inst in enumerate(case["invalid"]):
    if validator.is_valid(inst):
        bad.append("invalid[%d] accepted: %s" % (i, json.dumps(inst)))
if bad:
    print("\n".join(bad))
    sys.exit(1)
"#;

    /// Checks the schema against the draft-07 meta-schema and the instances against the schema.
    fn check_with_python(schema: &JsonSchema, valid: &[Value], invalid: &[Value]) {
        let Some(python) = crate::test_tools::interop_python() else {
            return;
        };
        let case = json!({ "schema": schema.value(), "valid": valid, "invalid": invalid });
        let mut child = Command::new(&python)
            .args(["-c", VALIDATE_PY])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("running {}: {e}", python.display()));
        child
            .stdin
            .take()
            .expect("stdin is piped")
            .write_all(case.to_string().as_bytes())
            .expect("writing to python");
        let out = child.wait_with_output().expect("waiting for python");
        assert!(
            out.status.success(),
            "jsonschema rejected {}:\n{}{}\nschema:\n{}",
            schema.value()["title"],
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            schema.text()
        );
    }

    // -----------------------------------------------------------------------------------------
    // Records.

    const ORDER_GOLDEN: &str = r##"{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "Order",
  "description": "A customer order.",
  "type": "object",
  "properties": {
    "id": {
      "description": "Order id.",
      "type": "string",
      "confluent:tags": [
        "PII"
      ]
    },
    "qty": {
      "type": "integer",
      "minimum": -2147483648,
      "maximum": 2147483647,
      "default": 1
    },
    "note": {
      "oneOf": [
        {
          "type": "null"
        },
        {
          "type": "string"
        }
      ]
    },
    "address": {
      "description": "Where to ship.",
      "allOf": [
        {
          "$ref": "#/definitions/com.acme.Address"
        }
      ]
    },
    "status": {
      "allOf": [
        {
          "$ref": "#/definitions/com.acme.Status"
        }
      ],
      "default": "NEW"
    },
    "lines": {
      "type": "array",
      "items": {
        "type": "string"
      }
    }
  },
  "required": [
    "id",
    "address"
  ],
  "additionalProperties": false,
  "definitions": {
    "com.acme.Address": {
      "description": "A postal address.",
      "type": "object",
      "properties": {
        "street": {
          "type": "string"
        },
        "zip": {
          "oneOf": [
            {
              "type": "null"
            },
            {
              "type": "string"
            }
          ]
        }
      },
      "required": [
        "street"
      ]
    },
    "com.acme.Status": {
      "type": "string",
      "enum": [
        "NEW",
        "DONE"
      ]
    }
  }
}"##;

    #[test]
    fn golden_record() {
        let schema = render_ok(&ORDER);
        assert_eq!(schema.text(), ORDER_GOLDEN);
    }

    #[test]
    fn record_validates_serde_output() {
        let schema = render_ok(&ORDER);
        let order = Order {
            id: "o-1".into(),
            qty: 2,
            note: None,
            address: Address {
                street: "Main St".into(),
                zip: Some("12345".into()),
            },
            status: Status::Done,
            lines: vec![],
        };
        let plain = to_json(&order);
        let full = to_json(&Order {
            note: Some("x".into()),
            lines: vec!["a".into()],
            ..order
        });
        assert!(plain.get("lines").is_none(), "skipped when empty");
        check_with_python(
            &schema,
            &[plain.clone(), full.clone(), with(&plain, "qty", None)],
            &[
                with(&plain, "extra", Some(json!(1))),
                with(&plain, "id", None),
                with(&plain, "qty", Some(json!("2"))),
                with(&plain, "qty", Some(json!(2147483648i64))),
                with(&plain, "status", Some(json!("BOGUS"))),
                with(&plain, "address", Some(json!({ "zip": null }))),
                with(&full, "lines", Some(json!([1]))),
            ],
        );
    }

    #[test]
    fn required_and_annotations() {
        static M: Model = model(
            "M",
            Shape::Record(&[
                field("plain", Type::Bool),
                field("opt", Type::Option(&Type::Bool)),
                Field {
                    default: Some(|| Literal::Bool(true)),
                    ..field("dflt", Type::Bool)
                },
                Field {
                    json_optional: true,
                    option_union: crate::model::OptionUnion::Auto,
                    ..field("skip", Type::Bool)
                },
                Field {
                    tags: &["PII", "SENSITIVE"],
                    ..field("tagged", Type::String)
                },
            ]),
        );
        let v = render_ok(&M).value().clone();
        assert_eq!(v["required"], json!(["plain", "tagged"]));
        assert_eq!(
            v["properties"]["dflt"],
            json!({ "type": "boolean", "default": true })
        );
        assert_eq!(
            v["properties"]["tagged"]["confluent:tags"],
            json!(["PII", "SENSITIVE"])
        );
        assert!(v.get("additionalProperties").is_none());
        assert!(v.get("definitions").is_none());
        assert!(v.get("description").is_none());
        assert_eq!(v["title"], "M");
        assert_eq!(v["$schema"], DRAFT_07);
    }

    #[test]
    fn scalar_types() {
        let mut r = Renderer {
            root_name: String::new(),
            referenced: Vec::new(),
        };
        let mut ty = |t: &Type, o: FieldOptions| r.type_schema(t, o).into_node().to_value();
        let int = |min: i64, max: i64| json!({ "type": "integer", "minimum": min, "maximum": max });
        assert_eq!(ty(&Type::Int(IntKind::I8), OPTS), int(-128, 127));
        assert_eq!(ty(&Type::Int(IntKind::I16), OPTS), int(-32768, 32767));
        assert_eq!(ty(&Type::Int(IntKind::U8), OPTS), int(0, 255));
        assert_eq!(ty(&Type::Int(IntKind::U16), OPTS), int(0, 65535));
        assert_eq!(ty(&Type::Int(IntKind::U32), OPTS), int(0, 4294967295));
        assert_eq!(
            ty(&Type::Int(IntKind::I64), OPTS),
            json!({ "type": "integer" })
        );
        assert_eq!(
            ty(&Type::Int(IntKind::U64), OPTS),
            json!({ "type": "integer", "minimum": 0 })
        );
        assert_eq!(ty(&Type::Float, OPTS), json!({ "type": "number" }));
        assert_eq!(ty(&Type::Double, OPTS), json!({ "type": "number" }));
        assert_eq!(ty(&Type::Bool, OPTS), json!({ "type": "boolean" }));
        assert_eq!(ty(&Type::String, OPTS), json!({ "type": "string" }));
        let byte = json!({ "type": "integer", "minimum": 0, "maximum": 255 });
        assert_eq!(
            ty(&Type::Bytes, OPTS),
            json!({ "type": "array", "items": byte })
        );
        assert_eq!(
            ty(&Type::Fixed(16), OPTS),
            json!({ "type": "array", "items": byte, "minItems": 16, "maxItems": 16 })
        );
        assert_eq!(
            ty(&Type::Bytes, B64),
            json!({ "type": "string", "contentEncoding": "base64" })
        );
        assert_eq!(
            ty(&Type::Fixed(16), B64),
            json!({ "type": "string", "contentEncoding": "base64", "minLength": 24, "maxLength": 24 })
        );
        assert_eq!(
            ty(&Type::Uuid, OPTS),
            json!({ "type": "string", "format": "uuid" })
        );
        assert_eq!(
            ty(&Type::Timestamp, OPTS),
            json!({ "type": "string", "format": "date-time" })
        );
        assert_eq!(
            ty(&Type::Date, OPTS),
            json!({ "type": "string", "format": "date" })
        );
        assert_eq!(
            ty(&Type::Decimal, OPTS),
            json!({ "type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$" })
        );
        assert_eq!(
            ty(&Type::Option(&Type::Option(&Type::Bool)), OPTS),
            json!({ "oneOf": [{ "type": "null" }, { "type": "boolean" }] })
        );
        assert_eq!(
            ty(&Type::List(&Type::Bytes), B64),
            json!({ "type": "array", "items": { "type": "string", "contentEncoding": "base64" } })
        );
        assert_eq!(
            ty(&Type::Map(&Type::Double), OPTS),
            json!({ "type": "object", "additionalProperties": { "type": "number" } })
        );
    }

    #[cfg(all(
        feature = "chrono",
        feature = "uuid",
        feature = "rust_decimal",
        feature = "bytes"
    ))]
    #[test]
    fn every_type_validates_serde_output() {
        use chrono::{DateTime, NaiveDate, Utc};
        use rust_decimal::Decimal;

        #[derive(Serialize)]
        struct Everything {
            flag: bool,
            i8: i8,
            i16: i16,
            i32: i32,
            i64: i64,
            u8: u8,
            u16: u16,
            u32: u32,
            u64: u64,
            f32: f32,
            f64: f64,
            text: String,
            raw: Vec<u8>,
            bytes: bytes::Bytes,
            fixed: [u8; 4],
            #[serde(with = "b64")]
            raw64: Vec<u8>,
            #[serde(with = "b64")]
            fixed64: [u8; 5],
            id: uuid::Uuid,
            at: DateTime<Utc>,
            day: NaiveDate,
            price: Decimal,
            maybe: Option<Option<i32>>,
            list: Vec<Vec<i64>>,
            map: HashMap<String, Option<Address>>,
            address: Address,
            status: Option<Status>,
        }
        static EVERYTHING: Model = model(
            "Everything",
            Shape::Record(&[
                field("flag", Type::Bool),
                field("i8", Type::Int(IntKind::I8)),
                field("i16", Type::Int(IntKind::I16)),
                field("i32", Type::Int(IntKind::I32)),
                field("i64", Type::Int(IntKind::I64)),
                field("u8", Type::Int(IntKind::U8)),
                field("u16", Type::Int(IntKind::U16)),
                field("u32", Type::Int(IntKind::U32)),
                field("u64", Type::Int(IntKind::U64)),
                field("f32", Type::Float),
                field("f64", Type::Double),
                field("text", Type::String),
                field("raw", Type::Bytes),
                field("bytes", Type::Bytes),
                field("fixed", Type::Fixed(4)),
                Field {
                    options: B64,
                    ..field("raw64", Type::Bytes)
                },
                Field {
                    options: B64,
                    ..field("fixed64", Type::Fixed(5))
                },
                field("id", Type::Uuid),
                field("at", Type::Timestamp),
                field("day", Type::Date),
                field("price", Type::Decimal),
                field("maybe", Type::Option(&Type::Option(&I32))),
                field("list", Type::List(&Type::List(&Type::Int(IntKind::I64)))),
                field("map", Type::Map(&Type::Option(&Type::Named(address)))),
                field("address", Type::Named(address)),
                field("status", Type::Option(&Type::Named(status))),
            ]),
        );
        let schema = render_ok(&EVERYTHING);

        let at = DateTime::from_timestamp(1_700_000_000, 123_456_000).expect("valid instant");
        let high = Everything {
            flag: true,
            i8: i8::MAX,
            i16: i16::MAX,
            i32: i32::MAX,
            i64: i64::MAX,
            u8: u8::MAX,
            u16: u16::MAX,
            u32: u32::MAX,
            u64: u64::MAX,
            f32: f32::MAX,
            f64: f64::MIN_POSITIVE,
            text: "🚀 ünïcode".into(),
            raw: vec![0, 1, 255],
            bytes: bytes::Bytes::from_static(b"hello"),
            fixed: [1, 2, 3, 255],
            raw64: b"any bytes".to_vec(),
            fixed64: [0xff; 5],
            id: uuid::Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef),
            at,
            day: NaiveDate::from_ymd_opt(2024, 2, 29).expect("valid date"),
            price: Decimal::new(-1250, 2),
            maybe: Some(Some(7)),
            list: vec![vec![], vec![i64::MIN]],
            map: HashMap::from([
                ("a".to_string(), None),
                (
                    "b".to_string(),
                    Some(Address {
                        street: "s".into(),
                        zip: None,
                    }),
                ),
            ]),
            address: Address {
                street: "Main".into(),
                zip: Some("1".into()),
            },
            status: Some(Status::New),
        };
        let low = Everything {
            flag: false,
            i8: i8::MIN,
            i16: i16::MIN,
            i32: i32::MIN,
            i64: i64::MIN,
            u8: 0,
            u16: 0,
            u32: 0,
            u64: 0,
            f32: -0.1,
            f64: -1e300,
            text: String::new(),
            raw: vec![],
            bytes: bytes::Bytes::new(),
            fixed: [0; 4],
            raw64: vec![],
            fixed64: [0; 5],
            id: uuid::Uuid::nil(),
            at: DateTime::from_timestamp(-1, 0).expect("valid instant"),
            day: NaiveDate::from_ymd_opt(1, 1, 1).expect("valid date"),
            price: Decimal::ZERO,
            maybe: None,
            list: vec![],
            map: HashMap::new(),
            address: Address {
                street: String::new(),
                zip: None,
            },
            status: None,
        };
        let h = to_json(&high);
        assert_eq!(h["raw64"], "YW55IGJ5dGVz");
        assert_eq!(h["price"], "-12.50");
        let l = to_json(&low);
        check_with_python(
            &schema,
            &[
                h.clone(),
                l.clone(),
                to_json(&Everything {
                    maybe: Some(None),
                    ..low
                }),
            ],
            &[
                with(&h, "i8", Some(json!(128))),
                with(&l, "i8", Some(json!(-129))),
                with(&h, "u16", Some(json!(65536))),
                with(&h, "u32", Some(json!(4294967296u64))),
                with(&l, "u64", Some(json!(-1))),
                with(&h, "f64", Some(json!("1.0"))),
                with(&h, "raw", Some(json!([256]))),
                with(&h, "raw", Some(json!("aGk="))),
                with(&h, "fixed", Some(json!([1, 2, 3]))),
                with(&h, "raw64", Some(json!([1, 2]))),
                with(&h, "fixed64", Some(json!("aGk="))),
                // Not `"at": "yesterday"`: jsonschema checks `date-time` only with the optional
                // rfc3339-validator package, which the pinned interop venv does not have.
                with(&h, "day", Some(json!("2024-02-30T00:00:00Z"))),
                with(&h, "price", Some(json!(12.5))),
                with(&h, "price", Some(json!("1e5"))),
                with(&h, "list", Some(json!([[1.5]]))),
                with(&h, "map", Some(json!({ "a": 1 }))),
                with(&h, "status", Some(json!("new"))),
                with(&h, "flag", None),
            ],
        );
    }

    // -----------------------------------------------------------------------------------------
    // Named types, references and recursion.

    #[test]
    fn recursion_through_the_root() {
        let schema = render_ok(&NODE);
        let v = schema.value();
        assert_eq!(v["properties"]["children"]["items"], json!({ "$ref": "#" }));
        assert_eq!(v["properties"]["next"]["oneOf"][1], json!({ "$ref": "#" }));
        assert!(v.get("definitions").is_none());
        let leaf = |value| Node {
            value,
            children: vec![],
            next: None,
        };
        let tree = Node {
            value: 1,
            children: vec![leaf(2), leaf(3)],
            next: Some(Box::new(leaf(4))),
        };
        let t = to_json(&tree);
        check_with_python(
            &schema,
            &[t.clone(), to_json(&leaf(0))],
            &[
                with(
                    &t,
                    "children",
                    Some(json!([{ "value": "x", "children": [], "next": null }])),
                ),
                with(&t, "next", Some(json!({ "value": 1 }))),
            ],
        );
    }

    #[test]
    fn recursion_through_a_definition() {
        let schema = render_ok(&FOREST);
        let v = schema.value();
        let reference = json!({ "$ref": "#/definitions/com.acme.tree.TreeNode" });
        assert_eq!(v["properties"]["trees"]["items"], reference);
        assert_eq!(
            v["definitions"]["com.acme.tree.TreeNode"]["properties"]["kids"]["items"],
            reference
        );
        let leaf = |label: &str| TreeNode {
            label: label.into(),
            kids: vec![],
        };
        let forest = Forest {
            trees: vec![TreeNode {
                label: "root".into(),
                kids: vec![leaf("a"), leaf("b")],
            }],
        };
        check_with_python(
            &schema,
            &[to_json(&forest), json!({ "trees": [] })],
            &[json!({ "trees": [{ "label": "a", "kids": [{ "label": 1, "kids": [] }] }] })],
        );
    }

    #[test]
    fn definitions_in_first_use_order_and_once() {
        static TWICE: Model = model(
            "Twice",
            Shape::Record(&[
                field("s", Type::Named(status)),
                field("a", Type::Named(address)),
                field("more", Type::List(&Type::Named(address))),
            ]),
        );
        let schema = render_ok(&TWICE);
        let text = schema.text();
        let s = text.find("\"com.acme.Status\": {").expect("Status defined");
        let a = text
            .find("\"com.acme.Address\": {")
            .expect("Address defined");
        assert!(s < a, "depth-first order of first use");
        assert_eq!(
            schema.value()["definitions"].as_object().map(|d| d.len()),
            Some(2)
        );
    }

    #[test]
    fn name_collision_is_an_error() {
        static OTHER_ADDRESS: Model = Model {
            rust_name: "OtherAddress",
            ..model("Address", Shape::Record(&[]))
        };
        static NS_ADDRESS: Model = Model {
            namespace: Some("com.acme"),
            ..OTHER_ADDRESS
        };
        fn ns_address() -> &'static Model {
            &NS_ADDRESS
        }
        static CLASH: Model = model(
            "Clash",
            Shape::Record(&[
                field("a", Type::Named(address)),
                field("b", Type::Named(ns_address)),
            ]),
        );
        assert!(matches!(
            render(&CLASH),
            Err(SchemaError::NameCollision {
                first: "Address",
                second: "OtherAddress",
                ..
            })
        ));
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(pointer_token("com.acme.Order_1-x"), "com.acme.Order_1-x");
        assert_eq!(pointer_token("a/b~c d"), "a~1b~0c%20d");
        assert_eq!(pointer_token("é"), "%C3%A9");
    }

    #[test]
    fn enum_root_with_doc() {
        static DOC_STATUS: Model = Model {
            doc: Some("Where it is."),
            ..STATUS
        };
        let v = render_ok(&DOC_STATUS).value().clone();
        assert_eq!(
            v,
            json!({
                "$schema": DRAFT_07,
                "title": "Status",
                "description": "Where it is.",
                "type": "string",
                "enum": ["NEW", "DONE"],
            })
        );
    }

    // -----------------------------------------------------------------------------------------
    // Enums with data.

    #[test]
    fn external_tagging() {
        let schema = render_ok(&EXT);
        let v = schema.value();
        assert_eq!(
            v["oneOf"][0],
            json!({ "description": "Nothing.", "const": "Unit" })
        );
        assert_eq!(
            v["oneOf"][1],
            json!({
                "type": "object",
                "properties": { "Num": { "type": "integer", "minimum": -2147483648i64, "maximum": 2147483647 } },
                "required": ["Num"],
                "additionalProperties": false,
            })
        );
        assert_eq!(
            v["oneOf"][2]["properties"]["Addr"],
            json!({ "$ref": "#/definitions/com.acme.Address" })
        );
        assert_eq!(
            v["oneOf"][3]["properties"]["Pair"]["required"],
            json!(["a"])
        );
        let pair = to_json(&Ext::Pair { a: 1, b: None });
        check_with_python(
            &schema,
            &[
                to_json(&Ext::Unit),
                to_json(&Ext::Num(-5)),
                to_json(&Ext::Addr(Address {
                    street: "s".into(),
                    zip: None,
                })),
                pair.clone(),
                to_json(&Ext::Pair {
                    a: 1,
                    b: Some("x".into()),
                }),
            ],
            &[
                json!("Nope"),
                json!({ "Unit": null }),
                json!({ "Num": "1" }),
                json!({ "Num": 1, "Pair": { "a": 1 } }),
                json!({ "Pair": { "b": "x" } }),
                json!({}),
            ],
        );
    }

    #[test]
    fn internal_tagging() {
        let schema = render_ok(&INT);
        let v = schema.value();
        assert_eq!(
            v["oneOf"][0],
            json!({ "type": "object", "properties": { "type": { "const": "Unit" } }, "required": ["type"] })
        );
        assert_eq!(
            v["oneOf"][1],
            json!({ "allOf": [
                { "$ref": "#/definitions/com.acme.Address" },
                { "type": "object", "properties": { "type": { "const": "Addr" } }, "required": ["type"] },
            ] })
        );
        assert_eq!(v["oneOf"][2]["required"], json!(["type", "a"]));
        check_with_python(
            &schema,
            &[
                to_json(&Int::Unit),
                to_json(&Int::Addr(Address {
                    street: "s".into(),
                    zip: Some("z".into()),
                })),
                to_json(&Int::Pair { a: 3 }),
            ],
            &[
                json!({ "type": "Other" }),
                json!({ "a": 1 }),
                json!({ "type": "Pair" }),
                json!({ "type": "Addr", "zip": null }),
                json!("Unit"),
            ],
        );
    }

    #[test]
    fn closed_by_default_open_on_request() {
        static CLOSED: Model = Model {
            open_content: false,
            ..model("Closed", Shape::Record(&[field("x", Type::Bool)]))
        };
        let closed = render_ok(&CLOSED);
        assert_eq!(closed.value()["additionalProperties"], json!(false));
        check_with_python(
            &closed,
            &[json!({ "x": true })],
            &[json!({ "x": true, "y": 1 })],
        );
        static OPEN: Model = model("Open", Shape::Record(&[field("x", Type::Bool)]));
        let open = render_ok(&OPEN);
        assert!(open.value().get("additionalProperties").is_none());
        check_with_python(&open, &[json!({ "x": true, "y": 1 })], &[json!({ "y": 1 })]);
        // serde's `deny_unknown_fields` always closes the object.
        static STRICT_OPEN: Model = Model {
            deny_unknown_fields: true,
            ..model("StrictOpen", Shape::Record(&[field("x", Type::Bool)]))
        };
        assert_eq!(
            render_ok(&STRICT_OPEN).value()["additionalProperties"],
            json!(false)
        );
    }

    #[test]
    fn internal_tagging_inlines_records_that_deny_unknown_fields() {
        static STRICT: Model = Model {
            deny_unknown_fields: true,
            ..model("Strict", Shape::Record(&[field("x", Type::Bool)]))
        };
        fn strict() -> &'static Model {
            &STRICT
        }
        static U: Union = Union {
            tagging: Tagging::Internal { tag: "kind" },
            variants: &[variant("S", Payload::Newtype(Type::Named(strict)))],
        };
        static M: Model = model("M", Shape::Union(&U));
        let schema = render_ok(&M);
        assert_eq!(
            schema.value()["oneOf"][0],
            json!({
                "type": "object",
                "properties": { "kind": { "const": "S" }, "x": { "type": "boolean" } },
                "required": ["kind", "x"],
                "additionalProperties": false,
            })
        );
        check_with_python(
            &schema,
            &[json!({ "kind": "S", "x": true })],
            &[json!({ "kind": "S", "x": true, "y": 1 })],
        );
    }

    #[test]
    fn internal_tagging_of_a_non_record_newtype_is_unrepresentable() {
        static U: Union = Union {
            tagging: Tagging::Internal { tag: "type" },
            variants: &[variant("Num", Payload::Newtype(I32))],
        };
        static M: Model = model("M", Shape::Union(&U));
        let err = render(&M).expect_err("serde cannot tag an i32 internally");
        assert!(
            matches!(&err, SchemaError::Unrepresentable { format: "JSON Schema", record: "M", field: "Num", ty, .. } if ty == "i32"),
            "{err:?}"
        );

        static E: Union = Union {
            tagging: Tagging::Internal { tag: "type" },
            variants: &[variant("S", Payload::Newtype(Type::Named(status)))],
        };
        static N: Model = model("N", Shape::Union(&E));
        assert!(matches!(
            render(&N),
            Err(SchemaError::Unrepresentable { field: "S", .. })
        ));

        static CLASHING: Model = model("Clashing", Shape::Record(&[field("type", Type::Bool)]));
        static C: Union = Union {
            tagging: Tagging::Internal { tag: "type" },
            variants: &[variant("C", Payload::Struct(&CLASHING))],
        };
        static O: Model = model("O", Shape::Union(&C));
        assert!(matches!(
            render(&O),
            Err(SchemaError::Unrepresentable { field: "type", .. })
        ));
    }

    #[test]
    fn adjacent_tagging() {
        let schema = render_ok(&ADJ);
        let v = schema.value();
        assert_eq!(
            v["oneOf"][0],
            json!({ "type": "object", "properties": { "t": { "const": "Unit" } }, "required": ["t"] })
        );
        assert_eq!(v["oneOf"][1]["required"], json!(["t", "c"]));
        assert_eq!(v["oneOf"][2]["properties"]["c"]["required"], json!(["a"]));
        check_with_python(
            &schema,
            &[
                to_json(&Adj::Unit),
                to_json(&Adj::Num(1)),
                to_json(&Adj::Pair { a: 2 }),
            ],
            &[
                json!({ "t": "Num" }),
                json!({ "t": "Num", "c": "x" }),
                json!({ "t": "Pair", "c": {} }),
                json!({ "t": "Other", "c": 1 }),
            ],
        );
    }

    #[test]
    fn empty_union_accepts_nothing() {
        static U: Union = Union {
            tagging: Tagging::External,
            variants: &[],
        };
        static M: Model = model("Never", Shape::Union(&U));
        let schema = render_ok(&M);
        assert_eq!(schema.value()["not"], json!({}));
        check_with_python(&schema, &[], &[json!("x"), json!({})]);
    }

    // -----------------------------------------------------------------------------------------
    // Defaults.

    fn default_of(
        ty: Type,
        options: FieldOptions,
        lit: fn() -> Literal,
    ) -> Result<Value, SchemaError> {
        let f: &'static Field = Box::leak(Box::new(Field {
            default: Some(lit),
            options,
            ..field("f", ty)
        }));
        let fields: &'static [Field] = std::slice::from_ref(f);
        let m: &'static Model = Box::leak(Box::new(model("D", Shape::Record(fields))));
        render(m).map(|s| s.value()["properties"]["f"]["default"].clone())
    }

    #[test]
    fn defaults_as_serde_writes_them() {
        let d = |ty, lit| default_of(ty, OPTS, lit).expect("the default fits");
        assert_eq!(
            d(Type::Int(IntKind::U64), || Literal::Int(u64::MAX.into())),
            json!(u64::MAX)
        );
        assert_eq!(
            d(Type::Int(IntKind::I64), || Literal::Int(i64::MIN.into())),
            json!(i64::MIN)
        );
        assert_eq!(d(Type::Double, || Literal::Float(0.1)), json!(0.1));
        assert_eq!(
            d(Type::Float, || Literal::Float(f64::from(0.1f32))),
            json!(0.1)
        );
        assert_eq!(d(Type::Double, || Literal::Float(f64::NAN)), Value::Null);
        assert_eq!(
            d(Type::Bytes, || Literal::Bytes(b"hi".to_vec())),
            json!([104, 105])
        );
        assert_eq!(
            default_of(Type::Fixed(2), B64, || Literal::Bytes(b"hi".to_vec())).expect("fits"),
            json!("aGk=")
        );
        assert_eq!(
            d(Type::Option(&Type::Uuid), || Literal::Uuid(
                "67e55044-10b1-426f-9247-bb680e5fe0c8".into()
            )),
            json!("67e55044-10b1-426f-9247-bb680e5fe0c8")
        );
        assert_eq!(d(Type::Option(&Type::Uuid), || Literal::Null), Value::Null);
        assert_eq!(
            d(Type::Timestamp, || Literal::Timestamp {
                seconds: 1_700_000_000,
                nanos: 5_000_000
            }),
            json!("2023-11-14T22:13:20.005Z")
        );
        assert_eq!(d(Type::Date, || Literal::Date(19_782)), json!("2024-02-29"));
        assert_eq!(
            d(Type::Decimal, || Literal::Decimal {
                unscaled: 1250,
                scale: 2
            }),
            json!("12.50")
        );
        assert_eq!(
            d(Type::Map(&Type::List(&Type::String)), || Literal::Map(
                vec![("k".into(), Literal::List(vec![Literal::String("v".into())]))]
            )),
            json!({ "k": ["v"] })
        );
        assert_eq!(
            d(Type::Named(address), || Literal::Record(vec![
                ("street", Literal::String("Main".into())),
                ("zip", Literal::Null),
            ])),
            json!({ "street": "Main", "zip": null })
        );
        assert_eq!(d(Type::Named(status), || Literal::Enum(1)), json!("DONE"));

        fn ext() -> &'static Model {
            &EXT
        }
        fn int() -> &'static Model {
            &INT
        }
        fn adj() -> &'static Model {
            &ADJ
        }
        assert_eq!(
            d(Type::Named(ext), || Literal::Variant(
                0,
                Box::new(Literal::Record(vec![]))
            )),
            json!("Unit")
        );
        assert_eq!(
            d(Type::Named(ext), || Literal::Variant(
                1,
                Box::new(Literal::Int(5))
            )),
            json!({ "Num": 5 })
        );
        assert_eq!(
            d(Type::Named(ext), || Literal::Variant(
                3,
                Box::new(Literal::Record(vec![
                    ("a", Literal::Int(1)),
                    ("b", Literal::Null),
                ]))
            )),
            json!({ "Pair": { "a": 1, "b": null } })
        );
        assert_eq!(
            d(Type::Named(int), || Literal::Variant(
                0,
                Box::new(Literal::Null)
            )),
            json!({ "type": "Unit" })
        );
        assert_eq!(
            d(Type::Named(int), || {
                Literal::Variant(2, Box::new(Literal::Record(vec![("a", Literal::Int(1))])))
            }),
            json!({ "type": "Pair", "a": 1 })
        );
        assert_eq!(
            d(Type::Named(adj), || Literal::Variant(
                0,
                Box::new(Literal::Null)
            )),
            json!({ "t": "Unit" })
        );
        assert_eq!(
            d(Type::Named(adj), || Literal::Variant(
                1,
                Box::new(Literal::Int(2))
            )),
            json!({ "t": "Num", "c": 2 })
        );
    }

    #[test]
    fn defaults_that_do_not_fit_are_errors() {
        let bad = |ty, lit| match default_of(ty, OPTS, lit) {
            Err(SchemaError::InvalidDefault {
                record: "D",
                field: "f",
                reason,
            }) => reason,
            other => panic!("expected InvalidDefault, got {other:?}"),
        };
        assert!(bad(Type::Int(IntKind::U8), || Literal::Int(256)).contains("out of the range"));
        assert!(bad(Type::Int(IntKind::U64), || Literal::Int(-1)).contains("out of the range"));
        assert!(bad(Type::String, || Literal::Int(1)).contains("does not fit `String`"));
        assert!(bad(Type::Fixed(4), || Literal::Bytes(vec![1])).contains("1 bytes"));
        assert!(bad(Type::Named(status), || Literal::Enum(9)).contains("no symbol number 9"));
        assert!(bad(Type::Named(address), || Literal::Record(vec![(
            "nope",
            Literal::Null
        )]))
        .contains("no field `nope`"));
        assert!(bad(Type::Timestamp, || Literal::Timestamp {
            seconds: 0,
            nanos: 2_000_000_000
        })
        .contains("not an instant"));
    }

    #[test]
    fn formatting_helpers() {
        assert_eq!(
            format_timestamp(0, 0).as_deref(),
            Some("1970-01-01T00:00:00Z")
        );
        assert_eq!(
            format_timestamp(-1, 999_999_999).as_deref(),
            Some("1969-12-31T23:59:59.999999999Z")
        );
        assert_eq!(
            format_timestamp(86_399, 1_500_000_000).as_deref(),
            Some("1970-01-01T23:59:60.500Z")
        );
        assert_eq!(
            format_timestamp(1, 120_000).as_deref(),
            Some("1970-01-01T00:00:01.000120Z")
        );
        assert_eq!(format_date(-719_162), "0001-01-01");
        assert_eq!(format_date(2_932_897), "+10000-01-01");
        assert_eq!(format_date(-719_529), "-0001-12-31");
        assert_eq!(format_decimal(0, 0), "0");
        assert_eq!(format_decimal(0, 2), "0.00");
        assert_eq!(format_decimal(-5, 2), "-0.05");
        assert_eq!(format_decimal(123_456, 3), "123.456");
        assert_eq!(
            format_decimal(i128::MIN, 0),
            "-170141183460469231731687303715884105728"
        );
    }

    #[cfg(feature = "chrono")]
    #[test]
    fn timestamps_and_dates_match_chrono() {
        use chrono::{DateTime, NaiveDate};
        let cases: [(i64, u32); 9] = [
            (0, 0),
            (1_700_000_000, 1_000_000),
            (1_700_000_000, 1_000),
            (1_700_000_000, 1),
            (-62_135_596_800, 0),
            (-86_401, 999_000_000),
            (253_402_300_799, 999_999_999),
            (253_402_300_800, 0),
            (-62_167_219_201, 0),
        ];
        for (seconds, nanos) in cases {
            let dt = DateTime::from_timestamp(seconds, nanos).expect("valid instant");
            let lit = <DateTime<chrono::Utc> as crate::FieldType>::to_literal(&dt);
            let Literal::Timestamp { seconds, nanos } = lit else {
                panic!("{lit:?}")
            };
            assert_eq!(
                format_timestamp(seconds, nanos).map(Value::from),
                Some(to_json(&dt)),
                "{dt:?}"
            );
            let day = dt.date_naive();
            let Literal::Date(days) = <NaiveDate as crate::FieldType>::to_literal(&day) else {
                panic!("not a date")
            };
            assert_eq!(Value::from(format_date(i64::from(days))), to_json(&day));
        }
    }

    #[cfg(feature = "rust_decimal")]
    #[test]
    fn decimals_match_rust_decimal() {
        use rust_decimal::Decimal;
        for (unscaled, scale) in [
            (0, 0),
            (0, 5),
            (1250, 2),
            (-1250, 2),
            (-5, 3),
            (7, 0),
            (i64::MAX.into(), 28),
        ] {
            let d = Decimal::from_i128_with_scale(unscaled, scale);
            let Literal::Decimal { unscaled, scale } =
                <Decimal as crate::FieldType>::to_literal(&d)
            else {
                panic!("not a decimal")
            };
            assert_eq!(
                Value::from(format_decimal(unscaled, scale)),
                to_json(&d),
                "{d:?}"
            );
        }
    }

    #[test]
    fn base64_fields_round_trip() {
        #[derive(Serialize, serde::Deserialize, Debug, PartialEq)]
        struct Blob {
            #[serde(with = "b64")]
            data: Vec<u8>,
            #[serde(with = "b64")]
            digest: [u8; 3],
        }
        let blob = Blob {
            data: vec![0, 255, 7, 8],
            digest: *b"abc",
        };
        let json = to_json(&blob);
        assert_eq!(json, json!({ "data": "AP8HCA==", "digest": "YWJj" }));
        assert_eq!(
            serde_json::from_value::<Blob>(json).expect("reads back"),
            blob
        );
        let wrong_len = json!({ "data": "", "digest": "YWI=" });
        assert!(serde_json::from_value::<Blob>(wrong_len).is_err());
        let not_base64 = json!({ "data": "***", "digest": "YWJj" });
        assert!(serde_json::from_value::<Blob>(not_base64).is_err());
    }

    #[test]
    fn f32_defaults_match_serde_json() {
        for x in [
            0.1f32,
            -1.5,
            1e20,
            f32::MAX,
            f32::MIN_POSITIVE,
            3.4028235e38,
            16_777_217.0,
        ] {
            let text = serde_json::to_string(&x).expect("finite");
            assert_eq!(f32_value(f64::from(x)).to_string(), text, "{x}");
        }
    }
}
