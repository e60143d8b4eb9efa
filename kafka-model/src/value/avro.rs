//! Avro binary ⇄ JSON by a schema parsed at run time, with no Rust type: the value convention
//! of the interop vectors (`interop/README.md`, "Value convention"), which `kafka-model
//! decode`/`encode` print and read.
//!
//! * a two-branch union with `"null"` is `null` or the bare value; every other union is `null`
//!   or `{branch: value}`, the branch named by its type (`"int"`, `"array"`, `"map"`, or the full
//!   name of a named type; a logical type by its underlying type);
//! * bytes and fixed are standard base64; floats are numbers or `"NaN"`, `"Infinity"`,
//!   `"-Infinity"`;
//! * logical types: `date` `"YYYY-MM-DD"`, `time-millis` `"HH:MM:SS.fff"`, `time-micros`
//!   `"HH:MM:SS.ffffff"`, `timestamp-*` RFC 3339 UTC with 3, 6 or 9 fraction digits,
//!   `local-timestamp-*` the same without `Z`, `uuid` the string, `decimal` a plain decimal
//!   string with `scale` fraction digits.
//!
//! Decoding reads through [`avro::Reader`](crate::avro::Reader), so untrusted bytes get the
//! typed codec's bounds: records nest at most [`RECURSION_LIMIT`](crate::avro::RECURSION_LIMIT)
//! deep, a length or block count is checked against the remaining input before anything is
//! allocated, and errors name the byte offset and what was expected and found.
//!
//! ```
//! use kafka_model::value::avro::AvroValueSchema;
//!
//! let schema = AvroValueSchema::parse(
//!     r#"{"type": "record", "name": "Ping", "namespace": "acme", "fields": [
//!         {"name": "seq", "type": "long"},
//!         {"name": "note", "type": ["null", "string"]},
//!         {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}}]}"#,
//! )?;
//! assert_eq!(schema.full_name(), Some("acme.Ping"));
//! let value = serde_json::json!({"seq": 3, "note": "hi", "at": "2024-05-01T12:00:00.250Z"});
//! let bytes = schema.encode(&value)?;
//! assert_eq!(schema.decode(&bytes)?, value);
//!
//! // Errors say where, in the value and in the bytes.
//! let err = schema.decode(&bytes[..2]).unwrap_err();
//! assert_eq!(err.path(), "/note");
//! assert_eq!(err.offset(), Some(2));
//! # Ok::<(), kafka_model::value::avro::AvroValueError>(())
//! ```

// Over 800 lines: decoding and encoding every Avro type by the value convention are mirror images,
// kept together so they stay in step; ~120 lines are tests.

use std::collections::HashMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike};
use serde_json::{Map, Value as Json};

use super::generic::each_item;
use super::InputError;
use crate::avro::encode::{write_index, write_len, write_long};
use crate::avro::{DecodeError, DecodeErrorKind, Reader};

/// A value that does not fit the schema, bytes that are not a datum of it, or a schema this
/// module cannot use; with where in the value (a `/field/0` path) it happened.
///
/// ```
/// use kafka_model::value::avro::{AvroValueSchema, AvroValueErrorKind};
/// use kafka_model::value::InputError;
///
/// let schema = AvroValueSchema::parse(r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#)?;
/// let err = schema.encode(&serde_json::json!({"a": "x"})).unwrap_err();
/// assert_eq!(err.path(), "/a");
/// assert!(matches!(err.kind(), AvroValueErrorKind::Input(InputError::Mismatch { .. })));
/// assert_eq!(err.to_string(), r#"at /a: expected an integer, found "x""#);
/// # Ok::<(), kafka_model::value::avro::AvroValueError>(())
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}{kind}", at(path))]
pub struct AvroValueError {
    path: String,
    kind: AvroValueErrorKind,
}

fn at(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("at {path}: ")
    }
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum AvroValueErrorKind {
    /// The schema text is not JSON.
    #[error("invalid Avro schema JSON: {0}")]
    SchemaJson(String),
    /// The schema is JSON but not an Avro schema this module can use (the path is in the schema).
    #[error("{0}")]
    Schema(String),
    /// The writer schema cannot be resolved against the reader schema, or a value of it has no
    /// reader counterpart ([`AvroValueSchema::decode_from`]).
    #[error("cannot resolve: {0}")]
    Resolve(String),
    /// The bytes are not a datum of the schema: the offset, what was expected and what found.
    #[error("{summary}{0}", summary = decode_summary(.0))]
    Decode(DecodeError),
    /// The JSON value does not have the shape the schema asks for, or a string does not spell
    /// the logical type's value.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A string finer than the logical type's unit (`…T00:00:00.0001Z` for millis).
    #[error("`{text}` is finer than {unit}")]
    Precision {
        /// The string.
        text: String,
        /// The unit.
        unit: &'static str,
    },
    /// A number or decimal outside the Avro type's range.
    #[error("{value} does not fit {target}")]
    OutOfRange {
        /// The value, as given.
        value: String,
        /// The Avro type (`an int`, `fixed(4)`, `a timestamp`).
        target: String,
    },
    /// A fixed value of the wrong length.
    #[error("fixed({size}) given {given} bytes")]
    FixedSize {
        /// The schema's size.
        size: usize,
        /// The bytes given.
        given: usize,
    },
    /// An object key the record does not declare.
    #[error("record {record} has no field `{field}`")]
    UnknownField {
        /// The record's full name.
        record: String,
        /// The key.
        field: String,
    },
    /// A field of the record the object lacks.
    #[error("missing field")]
    MissingField,
    /// A `{branch: value}` naming no branch of the union.
    #[error("the union has no branch `{0}`")]
    UnknownBranch(String),
    /// `null` for a union without a `null` branch.
    #[error("null given to a union without a null branch")]
    NoNullBranch,
    /// A string that is not a symbol of the enum.
    #[error("`{symbol}` is not a symbol of {enum_name}")]
    UnknownSymbol {
        /// The string.
        symbol: String,
        /// The enum's full name.
        enum_name: String,
    },
}

/// A word in front of the decode errors people meet most, so that the message says what
/// happened before it says where.
fn decode_summary(e: &DecodeError) -> &'static str {
    match e.kind() {
        DecodeErrorKind::UnexpectedEnd { .. } => "truncated datum: ",
        DecodeErrorKind::TrailingBytes { .. } => "trailing bytes after the datum: ",
        _ => "",
    }
}

impl AvroValueError {
    fn new(kind: AvroValueErrorKind) -> Self {
        AvroValueError {
            path: String::new(),
            kind,
        }
    }

    /// Where in the value (`/field/0`, a map key as it is), empty at the top; for
    /// [`AvroValueErrorKind::Schema`], where in the schema.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What went wrong.
    pub fn kind(&self) -> &AvroValueErrorKind {
        &self.kind
    }

    /// The byte offset in the datum, for errors of decoding.
    pub fn offset(&self) -> Option<usize> {
        match &self.kind {
            AvroValueErrorKind::Decode(e) => Some(e.offset()),
            _ => None,
        }
    }

    /// Adds an enclosing path segment, on the way out (paths cost nothing until an error).
    #[cold]
    fn within(mut self, segment: &str) -> Self {
        self.path = format!("/{segment}{}", self.path);
        self
    }

    #[cold]
    fn within_index(self, i: usize) -> Self {
        self.within(&i.to_string())
    }
}

impl From<DecodeError> for AvroValueError {
    fn from(e: DecodeError) -> Self {
        AvroValueError::new(AvroValueErrorKind::Decode(e))
    }
}

impl From<InputError> for AvroValueError {
    fn from(e: InputError) -> Self {
        AvroValueError::new(AvroValueErrorKind::Input(e))
    }
}

fn fail<T>(kind: AvroValueErrorKind) -> Result<T, AvroValueError> {
    Err(AvroValueError::new(kind))
}

fn schema_err<T>(path: &str, reason: impl Into<String>) -> Result<T, AvroValueError> {
    Err(AvroValueError {
        path: path.to_owned(),
        kind: AvroValueErrorKind::Schema(reason.into()),
    })
}

fn mismatch<T>(expected: impl Into<String>, found: &Json) -> Result<T, AvroValueError> {
    fail(InputError::mismatch(expected, found).into())
}

fn invalid_text(what: &'static str, text: &str, reason: impl ToString) -> AvroValueError {
    AvroValueError::new(InputError::invalid_text(what, text, reason).into())
}

/// A decode error at `offset`: bytes that read fine but name no value of the logical type.
fn bad_data(offset: usize, expected: &'static str, found: impl ToString) -> AvroValueError {
    DecodeError::new(
        offset,
        DecodeErrorKind::InvalidValue {
            expected,
            found: found.to_string(),
        },
    )
    .into()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Logical {
    None,
    Date,
    TimeMillis,
    TimeMicros,
    TsMillis,
    TsMicros,
    TsNanos,
    LocalTsMillis,
    LocalTsMicros,
    LocalTsNanos,
    Decimal { scale: u32 },
}

#[derive(Debug, Clone)]
enum Node {
    Null,
    Boolean,
    Int(Logical),
    Long(Logical),
    Float,
    Double,
    Bytes(Logical),
    String,
    Record {
        name: String,
        fields: Vec<(String, usize)>,
    },
    Enum {
        name: String,
        symbols: Vec<String>,
    },
    Fixed {
        name: String,
        size: usize,
        logical: Logical,
    },
    Array(usize),
    Map(usize),
    Union(Vec<usize>),
    /// A reference to a named type: (full name as resolved in its namespace, name as written).
    Ref(String, String),
    /// A resolved reference.
    Alias(usize),
}

/// A parsed Avro schema, ready to decode and encode JSON values.
#[derive(Debug, Clone)]
pub struct AvroValueSchema {
    nodes: Vec<Node>,
    root: usize,
    /// The text parsed, for schema resolution (apache-avro's parse of it).
    text: String,
}

fn full_name(name: &str, namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) if !ns.is_empty() && !name.contains('.') => format!("{ns}.{name}"),
        _ => name.to_owned(),
    }
}

fn namespace_of(full: &str) -> Option<String> {
    full.rfind('.').map(|i| full[..i].to_owned())
}

struct Parser {
    nodes: Vec<Node>,
    names: HashMap<String, usize>,
}

impl Parser {
    fn push(&mut self, node: Node) -> usize {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    fn primitive(name: &str, logical: Logical) -> Option<Node> {
        Some(match name {
            "null" => Node::Null,
            "boolean" => Node::Boolean,
            "int" => Node::Int(logical),
            "long" => Node::Long(logical),
            "float" => Node::Float,
            "double" => Node::Double,
            "bytes" => Node::Bytes(logical),
            "string" => Node::String,
            _ => return None,
        })
    }

    fn logical(obj: &Map<String, Json>, base: &str) -> Logical {
        let Some(name) = obj.get("logicalType").and_then(Json::as_str) else {
            return Logical::None;
        };
        match (name, base) {
            ("date", "int") => Logical::Date,
            ("time-millis", "int") => Logical::TimeMillis,
            ("time-micros", "long") => Logical::TimeMicros,
            ("timestamp-millis", "long") => Logical::TsMillis,
            ("timestamp-micros", "long") => Logical::TsMicros,
            ("timestamp-nanos", "long") => Logical::TsNanos,
            ("local-timestamp-millis", "long") => Logical::LocalTsMillis,
            ("local-timestamp-micros", "long") => Logical::LocalTsMicros,
            ("local-timestamp-nanos", "long") => Logical::LocalTsNanos,
            ("decimal", "bytes" | "fixed") => {
                let scale = obj.get("scale").and_then(Json::as_u64).unwrap_or(0);
                match u32::try_from(scale) {
                    Ok(scale) => Logical::Decimal { scale },
                    Err(_) => Logical::None,
                }
            }
            _ => Logical::None,
        }
    }

    fn name_of(
        &self,
        obj: &Map<String, Json>,
        ns: Option<&str>,
        path: &str,
    ) -> Result<String, AvroValueError> {
        let Some(name) = obj.get("name").and_then(Json::as_str) else {
            return schema_err(path, "a named type needs a `name`");
        };
        let own_ns = obj.get("namespace").and_then(Json::as_str).or(ns);
        Ok(full_name(name, own_ns))
    }

    fn parse(&mut self, s: &Json, ns: Option<&str>, path: &str) -> Result<usize, AvroValueError> {
        match s {
            Json::String(name) => match Self::primitive(name, Logical::None) {
                Some(node) => Ok(self.push(node)),
                None => Ok(self.push(Node::Ref(full_name(name, ns), name.clone()))),
            },
            Json::Array(branches) => {
                let mut ids = Vec::with_capacity(branches.len());
                for (i, b) in branches.iter().enumerate() {
                    ids.push(self.parse(b, ns, &format!("{path}/{i}"))?);
                }
                Ok(self.push(Node::Union(ids)))
            }
            Json::Object(obj) => {
                let Some(ty) = obj.get("type") else {
                    return schema_err(path, "a schema object needs a `type`");
                };
                let Json::String(ty_name) = ty else {
                    return self.parse(ty, ns, &format!("{path}/type"));
                };
                if let Some(node) = Self::primitive(ty_name, Self::logical(obj, ty_name)) {
                    return Ok(self.push(node));
                }
                match ty_name.as_str() {
                    "record" | "error" => self.record(obj, ns, path),
                    "enum" => {
                        let name = self.name_of(obj, ns, path)?;
                        let symbols = obj
                            .get("symbols")
                            .and_then(Json::as_array)
                            .map(|a| {
                                a.iter()
                                    .filter_map(|s| s.as_str().map(str::to_owned))
                                    .collect()
                            })
                            .unwrap_or_default();
                        let id = self.push(Node::Enum {
                            name: name.clone(),
                            symbols,
                        });
                        self.names.insert(name, id);
                        Ok(id)
                    }
                    "fixed" => {
                        let name = self.name_of(obj, ns, path)?;
                        let Some(size) = obj.get("size").and_then(Json::as_u64) else {
                            return schema_err(path, "a fixed type needs a `size`");
                        };
                        let Ok(size) = usize::try_from(size) else {
                            return schema_err(path, "fixed size too large");
                        };
                        let id = self.push(Node::Fixed {
                            name: name.clone(),
                            size,
                            logical: Self::logical(obj, "fixed"),
                        });
                        self.names.insert(name, id);
                        Ok(id)
                    }
                    "array" => {
                        let Some(items) = obj.get("items") else {
                            return schema_err(path, "an array needs `items`");
                        };
                        let item = self.parse(items, ns, &format!("{path}/items"))?;
                        Ok(self.push(Node::Array(item)))
                    }
                    "map" => {
                        let Some(values) = obj.get("values") else {
                            return schema_err(path, "a map needs `values`");
                        };
                        let value = self.parse(values, ns, &format!("{path}/values"))?;
                        Ok(self.push(Node::Map(value)))
                    }
                    other => Ok(self.push(Node::Ref(full_name(other, ns), other.to_owned()))),
                }
            }
            _ => schema_err(path, "not an Avro schema"),
        }
    }

    fn record(
        &mut self,
        obj: &Map<String, Json>,
        ns: Option<&str>,
        path: &str,
    ) -> Result<usize, AvroValueError> {
        let name = self.name_of(obj, ns, path)?;
        let id = self.push(Node::Record {
            name: name.clone(),
            fields: Vec::new(),
        });
        self.names.insert(name.clone(), id);
        let inner_ns = namespace_of(&name);
        let Some(fields) = obj.get("fields").and_then(Json::as_array) else {
            return schema_err(path, "a record needs `fields`");
        };
        let mut parsed = Vec::with_capacity(fields.len());
        for (i, f) in fields.iter().enumerate() {
            let fpath = format!("{path}/fields/{i}");
            let Some(fname) = f.get("name").and_then(Json::as_str) else {
                return schema_err(&fpath, "a field needs a `name`");
            };
            let Some(fty) = f.get("type") else {
                return schema_err(&fpath, "a field needs a `type`");
            };
            let fid = self.parse(fty, inner_ns.as_deref(), &fpath)?;
            parsed.push((fname.to_owned(), fid));
        }
        self.nodes[id] = Node::Record {
            name,
            fields: parsed,
        };
        Ok(id)
    }
}

impl AvroValueSchema {
    /// Parses Avro schema JSON text. Named types are resolved within the text (a reference to
    /// a type the text does not define is an error).
    ///
    /// ```
    /// use kafka_model::value::avro::AvroValueSchema;
    ///
    /// assert!(AvroValueSchema::parse(r#""bytes""#)?.is_plain_bytes());
    /// let err = AvroValueSchema::parse(r#"{"type":"array","items":"Missing"}"#).unwrap_err();
    /// assert_eq!(err.to_string(), "unknown type `Missing`");
    /// # Ok::<(), kafka_model::value::avro::AvroValueError>(())
    /// ```
    pub fn parse(text: &str) -> Result<Self, AvroValueError> {
        let json: Json = serde_json::from_str(text)
            .map_err(|e| AvroValueError::new(AvroValueErrorKind::SchemaJson(e.to_string())))?;
        let mut p = Parser {
            nodes: Vec::new(),
            names: HashMap::new(),
        };
        let root = p.parse(&json, None, "")?;
        for i in 0..p.nodes.len() {
            if let Node::Ref(full, written) = &p.nodes[i] {
                let target = p.names.get(full).or_else(|| p.names.get(written));
                match target {
                    Some(&t) => p.nodes[i] = Node::Alias(t),
                    None => return schema_err("", format!("unknown type `{written}`")),
                }
            }
        }
        Ok(AvroValueSchema {
            nodes: p.nodes,
            root,
            text: text.to_owned(),
        })
    }

    fn node(&self, mut i: usize) -> &Node {
        // Aliases point at named types, never at other aliases; the bound is a guard only.
        for _ in 0..=self.nodes.len() {
            match &self.nodes[i] {
                Node::Alias(t) => i = *t,
                other => return other,
            }
        }
        &Node::Null
    }

    /// The full name of the top-level named type (`None` for primitives, arrays, unions...).
    pub fn full_name(&self) -> Option<&str> {
        match self.node(self.root) {
            Node::Record { name, .. } | Node::Enum { name, .. } | Node::Fixed { name, .. } => {
                Some(name)
            }
            _ => None,
        }
    }

    /// Whether the schema is the bare primitive `"bytes"` (written raw after a Confluent
    /// header, with no length prefix).
    pub fn is_plain_bytes(&self) -> bool {
        matches!(self.node(self.root), Node::Bytes(Logical::None))
    }

    /// Decodes one Avro binary datum (all of `bytes`) to JSON.
    pub fn decode(&self, bytes: &[u8]) -> Result<Json, AvroValueError> {
        let mut r = Reader::new(bytes);
        let value = self.read(self.root, &mut r)?;
        r.finish()?;
        Ok(value)
    }

    /// Decodes a datum written with `writer` as a value of this (reader) schema: Avro schema
    /// resolution ([`avro::resolve`](crate::avro::resolve): fields added with defaults, dropped,
    /// promoted, reordered), then [`decode`](Self::decode).
    ///
    /// ```
    /// use kafka_model::value::avro::AvroValueSchema;
    ///
    /// let v1 = AvroValueSchema::parse(r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#)?;
    /// let v2 = AvroValueSchema::parse(r#"{"type":"record","name":"R","fields":[
    ///     {"name":"a","type":"long"},{"name":"b","type":"string","default":"x"}]}"#)?;
    /// let old = v1.encode(&serde_json::json!({"a": 7}))?;
    /// assert_eq!(v2.decode_from(&v1, &old)?, serde_json::json!({"a": 7, "b": "x"}));
    /// # Ok::<(), kafka_model::value::avro::AvroValueError>(())
    /// ```
    pub fn decode_from(
        &self,
        writer: &AvroValueSchema,
        bytes: &[u8],
    ) -> Result<Json, AvroValueError> {
        let parse = |s: &AvroValueSchema| {
            apache_avro::Schema::parse_str(&s.text)
                .map_err(|e| AvroValueError::new(AvroValueErrorKind::Resolve(e.to_string())))
        };
        let resolver = crate::avro::resolve::Resolver::new(&parse(writer)?, &parse(self)?)
            .map_err(|e| AvroValueError::new(AvroValueErrorKind::Resolve(e.to_string())))?;
        let body = resolver.transcode(bytes).map_err(|e| match e {
            crate::avro::resolve::TranscodeError::Decode(d) => d.into(),
            other => AvroValueError::new(AvroValueErrorKind::Resolve(other.to_string())),
        })?;
        self.decode(&body)
    }

    /// Encodes a JSON value as an Avro binary datum.
    pub fn encode(&self, value: &Json) -> Result<Vec<u8>, AvroValueError> {
        let mut out = Vec::new();
        self.write(self.root, value, &mut out)?;
        Ok(out)
    }

    fn branch_name(&self, i: usize) -> String {
        match self.node(i) {
            Node::Null => "null".into(),
            Node::Boolean => "boolean".into(),
            Node::Int(_) => "int".into(),
            Node::Long(_) => "long".into(),
            Node::Float => "float".into(),
            Node::Double => "double".into(),
            Node::Bytes(_) => "bytes".into(),
            Node::String => "string".into(),
            Node::Array(_) => "array".into(),
            Node::Map(_) => "map".into(),
            Node::Union(_) => "union".into(),
            Node::Record { name, .. } | Node::Enum { name, .. } | Node::Fixed { name, .. } => {
                name.clone()
            }
            Node::Ref(_, n) => n.clone(),
            Node::Alias(_) => String::new(),
        }
    }

    /// For a union: the index of its non-null branch when it is `[null, T]` or `[T, null]`.
    fn nullable_branch(&self, branches: &[usize]) -> Option<(usize, usize)> {
        if branches.len() != 2 {
            return None;
        }
        let is_null = |b: usize| matches!(self.node(b), Node::Null);
        match (is_null(branches[0]), is_null(branches[1])) {
            (true, false) => Some((0, 1)),
            (false, true) => Some((1, 0)),
            _ => None,
        }
    }

    fn read(&self, i: usize, r: &mut Reader<'_>) -> Result<Json, AvroValueError> {
        let start = r.offset();
        Ok(match self.node(i) {
            Node::Null => Json::Null,
            Node::Boolean => Json::Bool(r.read_bool()?),
            Node::Int(logical) => {
                let v = r.read_int()?;
                match logical {
                    Logical::Date => Json::String(format_date(v, start)?),
                    Logical::TimeMillis => Json::String(format_time(i64::from(v) * 1000, 3)),
                    _ => Json::from(v),
                }
            }
            Node::Long(logical) => {
                let v = r.read_long()?;
                let ts = |unit, digits, utc| format_ts(v, unit, digits, utc, start);
                match logical {
                    Logical::TimeMicros => Json::String(format_time(v, 6)),
                    Logical::TsMillis => Json::String(ts(1_000_000, 3, true)?),
                    Logical::TsMicros => Json::String(ts(1_000, 6, true)?),
                    Logical::TsNanos => Json::String(ts(1, 9, true)?),
                    Logical::LocalTsMillis => Json::String(ts(1_000_000, 3, false)?),
                    Logical::LocalTsMicros => Json::String(ts(1_000, 6, false)?),
                    Logical::LocalTsNanos => Json::String(ts(1, 9, false)?),
                    _ => Json::from(v),
                }
            }
            Node::Float => float_json(f32_to_f64(r.read_float()?)),
            Node::Double => float_json(r.read_double()?),
            Node::Bytes(logical) => bytes_json(r.read_bytes()?, *logical, start)?,
            Node::String => Json::String(r.read_str()?.to_owned()),
            Node::Fixed { size, logical, .. } => bytes_json(r.read_fixed(*size)?, *logical, start)?,
            Node::Enum { symbols, .. } => {
                Json::String(symbols[r.read_enum_index(symbols.len())?].clone())
            }
            Node::Array(item) => {
                let mut out = Vec::new();
                each_item::<AvroValueError>(r, "array items", |r| {
                    let v = self.read(*item, r).map_err(|e| e.within_index(out.len()))?;
                    out.push(v);
                    Ok(())
                })?;
                Json::Array(out)
            }
            Node::Map(value) => {
                let mut out = Map::new();
                each_item::<AvroValueError>(r, "map entries", |r| {
                    let key = r.read_str()?;
                    let v = self.read(*value, r).map_err(|e| e.within(key))?;
                    out.insert(key.to_owned(), v);
                    Ok(())
                })?;
                Json::Object(out)
            }
            Node::Record { fields, .. } => {
                r.enter()?;
                let mut out = Map::new();
                for (name, f) in fields {
                    let v = self.read(*f, r).map_err(|e| e.within(name))?;
                    out.insert(name.clone(), v);
                }
                r.leave();
                Json::Object(out)
            }
            Node::Union(branches) => {
                let b = branches[r.read_union_index(branches.len())?];
                let v = self.read(b, r)?;
                if matches!(self.node(b), Node::Null) || self.nullable_branch(branches).is_some() {
                    v
                } else {
                    let mut m = Map::new();
                    m.insert(self.branch_name(b), v);
                    Json::Object(m)
                }
            }
            Node::Ref(_, n) => return schema_err("", format!("unresolved type `{n}`")),
            Node::Alias(_) => return schema_err("", "unresolved alias"),
        })
    }

    fn write(&self, i: usize, v: &Json, out: &mut Vec<u8>) -> Result<(), AvroValueError> {
        match self.node(i) {
            Node::Null => {
                if !v.is_null() {
                    return mismatch("null", v);
                }
            }
            Node::Boolean => match v {
                Json::Bool(b) => out.push(u8::from(*b)),
                _ => return mismatch("a boolean", v),
            },
            Node::Int(logical) => {
                let n: i64 = match (logical, v) {
                    (Logical::Date, Json::String(s)) => parse_date(s)?,
                    (Logical::TimeMillis, Json::String(s)) => {
                        let micros = parse_time(s)?;
                        if micros % 1000 != 0 {
                            return fail(AvroValueErrorKind::Precision {
                                text: s.clone(),
                                unit: "a millisecond",
                            });
                        }
                        micros / 1000
                    }
                    _ => match v.as_i64() {
                        Some(n) => n,
                        None => return mismatch("an integer", v),
                    },
                };
                if i32::try_from(n).is_err() {
                    return fail(AvroValueErrorKind::OutOfRange {
                        value: n.to_string(),
                        target: "an int".into(),
                    });
                }
                write_long(out, n);
            }
            Node::Long(logical) => {
                let n = match (logical, v) {
                    (Logical::TimeMicros, Json::String(s)) => parse_time(s)?,
                    (Logical::TsMillis, Json::String(s)) => parse_ts(s, 1_000_000, true)?,
                    (Logical::TsMicros, Json::String(s)) => parse_ts(s, 1_000, true)?,
                    (Logical::TsNanos, Json::String(s)) => parse_ts(s, 1, true)?,
                    (Logical::LocalTsMillis, Json::String(s)) => parse_ts(s, 1_000_000, false)?,
                    (Logical::LocalTsMicros, Json::String(s)) => parse_ts(s, 1_000, false)?,
                    (Logical::LocalTsNanos, Json::String(s)) => parse_ts(s, 1, false)?,
                    _ => match v.as_i64() {
                        Some(n) => n,
                        None => return mismatch("an integer", v),
                    },
                };
                write_long(out, n);
            }
            Node::Float => {
                // Narrowing to binary32 is the point of a `float` field.
                #[allow(clippy::cast_possible_truncation)]
                let f = float_of(v).map_err(AvroValueError::from)? as f32;
                out.extend_from_slice(&f.to_le_bytes());
            }
            Node::Double => {
                let f = float_of(v).map_err(AvroValueError::from)?;
                out.extend_from_slice(&f.to_le_bytes());
            }
            Node::Bytes(logical) => {
                let b = match (logical, v) {
                    (Logical::Decimal { scale }, Json::String(s)) => {
                        minimal_twos_complement(parse_decimal(s, *scale)?)
                    }
                    (_, Json::String(s)) => base64_of(s).map_err(AvroValueError::from)?,
                    _ => return mismatch("a base64 string", v),
                };
                write_len(out, b.len());
                out.extend_from_slice(&b);
            }
            Node::String => match v {
                Json::String(s) => {
                    write_len(out, s.len());
                    out.extend_from_slice(s.as_bytes());
                }
                _ => return mismatch("a string", v),
            },
            Node::Fixed { size, logical, .. } => {
                let b = match (logical, v) {
                    (Logical::Decimal { scale }, Json::String(s)) => {
                        fixed_decimal(parse_decimal(s, *scale)?, *size, s)?
                    }
                    (_, Json::String(s)) => base64_of(s).map_err(AvroValueError::from)?,
                    _ => return mismatch("a base64 string", v),
                };
                if b.len() != *size {
                    return fail(AvroValueErrorKind::FixedSize {
                        size: *size,
                        given: b.len(),
                    });
                }
                out.extend_from_slice(&b);
            }
            Node::Enum { symbols, name } => {
                let Some(s) = v.as_str() else {
                    return mismatch("an enum symbol", v);
                };
                let Some(k) = symbols.iter().position(|x| x == s) else {
                    return fail(AvroValueErrorKind::UnknownSymbol {
                        symbol: s.to_owned(),
                        enum_name: name.clone(),
                    });
                };
                write_index(out, k);
            }
            Node::Array(item) => {
                let Some(items) = v.as_array() else {
                    return mismatch("an array", v);
                };
                if !items.is_empty() {
                    write_len(out, items.len());
                    for (k, x) in items.iter().enumerate() {
                        self.write(*item, x, out).map_err(|e| e.within_index(k))?;
                    }
                }
                out.push(0);
            }
            Node::Map(value) => {
                let Some(entries) = v.as_object() else {
                    return mismatch("an object", v);
                };
                if !entries.is_empty() {
                    write_len(out, entries.len());
                    for (k, x) in entries {
                        write_len(out, k.len());
                        out.extend_from_slice(k.as_bytes());
                        self.write(*value, x, out).map_err(|e| e.within(k))?;
                    }
                }
                out.push(0);
            }
            Node::Record { fields, name } => {
                let Some(obj) = v.as_object() else {
                    return mismatch(format!("an object (record {name})"), v);
                };
                if let Some(key) = obj.keys().find(|k| !fields.iter().any(|(f, _)| f == *k)) {
                    return fail(AvroValueErrorKind::UnknownField {
                        record: name.clone(),
                        field: key.clone(),
                    });
                }
                for (f, id) in fields {
                    let Some(x) = obj.get(f) else {
                        return fail(AvroValueErrorKind::MissingField).map_err(|e| e.within(f));
                    };
                    self.write(*id, x, out).map_err(|e| e.within(f))?;
                }
            }
            Node::Union(branches) => {
                let (k, inner) = if v.is_null() {
                    match branches
                        .iter()
                        .position(|&b| matches!(self.node(b), Node::Null))
                    {
                        Some(k) => (k, v),
                        None => return fail(AvroValueErrorKind::NoNullBranch),
                    }
                } else if let Some((_, other)) = self.nullable_branch(branches) {
                    (other, v)
                } else {
                    let one = v.as_object().filter(|m| m.len() == 1);
                    let Some((name, inner)) = one.and_then(|m| m.iter().next()) else {
                        return mismatch("null or a one-key object {branch: value}", v);
                    };
                    match branches.iter().position(|&b| self.branch_name(b) == *name) {
                        Some(k) => (k, inner),
                        None => return fail(AvroValueErrorKind::UnknownBranch(name.clone())),
                    }
                };
                write_index(out, k);
                self.write(branches[k], inner, out)?;
            }
            Node::Ref(_, n) => return schema_err("", format!("unresolved type `{n}`")),
            Node::Alias(_) => return schema_err("", "unresolved alias"),
        }
        Ok(())
    }
}

fn bytes_json(b: &[u8], logical: Logical, offset: usize) -> Result<Json, AvroValueError> {
    Ok(Json::String(match logical {
        Logical::Decimal { scale } => format_decimal(b, scale, offset)?,
        _ => STANDARD.encode(b),
    }))
}

/// The shortest decimal form of a binary32 value, as a double (`0.1f32` → `0.1`).
pub(crate) fn f32_to_f64(f: f32) -> f64 {
    if f.is_finite() {
        format!("{f}").parse().unwrap_or(f64::from(f))
    } else {
        f64::from(f)
    }
}

/// A float as the convention writes it: a number, or `"NaN"`, `"Infinity"`, `"-Infinity"`.
pub(crate) fn float_json(f: f64) -> Json {
    if f.is_nan() {
        Json::String("NaN".into())
    } else if f.is_infinite() {
        Json::String(if f > 0.0 { "Infinity" } else { "-Infinity" }.into())
    } else {
        serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number)
    }
}

/// Reads a float in the convention's form.
pub(crate) fn float_of(v: &Json) -> Result<f64, InputError> {
    match v {
        Json::Number(n) => n.as_f64().ok_or_else(|| InputError::mismatch("a float", v)),
        Json::String(s) if s == "NaN" => Ok(f64::NAN),
        Json::String(s) if s == "Infinity" => Ok(f64::INFINITY),
        Json::String(s) if s == "-Infinity" => Ok(f64::NEG_INFINITY),
        _ => Err(InputError::mismatch(
            r#"a number, "NaN", "Infinity" or "-Infinity""#,
            v,
        )),
    }
}

/// Standard base64 (with padding) to bytes.
pub(crate) fn base64_of(s: &str) -> Result<Vec<u8>, InputError> {
    STANDARD
        .decode(s)
        .map_err(|e| InputError::invalid_text("base64", s, e))
}

const EPOCH_DAYS_FROM_CE: i32 = 719_163;

fn format_date(days: i32, offset: usize) -> Result<String, AvroValueError> {
    match days
        .checked_add(EPOCH_DAYS_FROM_CE)
        .and_then(NaiveDate::from_num_days_from_ce_opt)
    {
        Some(d) => Ok(d.format("%Y-%m-%d").to_string()),
        None => Err(bad_data(offset, "a date in years -262143..=262142", days)),
    }
}

fn parse_date(s: &str) -> Result<i64, AvroValueError> {
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) => Ok(i64::from(d.num_days_from_ce() - EPOCH_DAYS_FROM_CE)),
        Err(e) => Err(invalid_text("date", s, e)),
    }
}

/// `HH:MM:SS.fff` (digits = 3) or `HH:MM:SS.ffffff` (6) from microseconds after midnight.
fn format_time(micros: i64, digits: usize) -> String {
    let (h, rest) = (micros / 3_600_000_000, micros % 3_600_000_000);
    let (m, rest) = (rest / 60_000_000, rest % 60_000_000);
    let (s, frac) = (rest / 1_000_000, rest % 1_000_000);
    let frac = if digits == 3 {
        format!("{:03}", frac / 1000)
    } else {
        format!("{frac:06}")
    };
    format!("{h:02}:{m:02}:{s:02}.{frac}")
}

fn parse_time(s: &str) -> Result<i64, AvroValueError> {
    match chrono::NaiveTime::parse_from_str(s, "%H:%M:%S%.f") {
        Ok(t) => {
            let nanos = i64::from(t.nanosecond());
            if nanos % 1000 != 0 {
                return fail(AvroValueErrorKind::Precision {
                    text: s.to_owned(),
                    unit: "a microsecond",
                });
            }
            Ok(i64::from(t.num_seconds_from_midnight()) * 1_000_000 + nanos / 1000)
        }
        Err(e) => Err(invalid_text("time", s, e)),
    }
}

/// A timestamp of `v` units of `unit_nanos` nanoseconds, in RFC 3339 with `digits` fraction
/// digits (UTC `Z` when `utc`).
fn format_ts(
    v: i64,
    unit_nanos: i64,
    digits: usize,
    utc: bool,
    offset: usize,
) -> Result<String, AvroValueError> {
    let per_sec = 1_000_000_000 / unit_nanos;
    let secs = v.div_euclid(per_sec);
    let sub = v.rem_euclid(per_sec) * unit_nanos;
    let Some(dt) = u32::try_from(sub)
        .ok()
        .and_then(|n| DateTime::from_timestamp(secs, n))
    else {
        return Err(bad_data(offset, "a timestamp in years -262143..=262142", v));
    };
    let frac = format!("{sub:09}");
    Ok(format!(
        "{}.{}{}",
        dt.format("%Y-%m-%dT%H:%M:%S"),
        &frac[..digits],
        if utc { "Z" } else { "" }
    ))
}

/// Parses an RFC 3339 timestamp (or, when not `utc`, a local date-time) to units of
/// `unit_nanos` nanoseconds since the epoch, refusing to lose precision.
fn parse_ts(s: &str, unit_nanos: i64, utc: bool) -> Result<i64, AvroValueError> {
    let (secs, nanos) = if utc {
        match DateTime::parse_from_rfc3339(s) {
            Ok(t) => (t.timestamp(), i64::from(t.timestamp_subsec_nanos())),
            Err(e) => return Err(invalid_text("RFC 3339 timestamp", s, e)),
        }
    } else {
        match NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
            Ok(t) => {
                let t = t.and_utc();
                (t.timestamp(), i64::from(t.timestamp_subsec_nanos()))
            }
            Err(e) => return Err(invalid_text("local timestamp", s, e)),
        }
    };
    if nanos % unit_nanos != 0 {
        return fail(AvroValueErrorKind::Precision {
            text: s.to_owned(),
            unit: "the field's unit",
        });
    }
    secs.checked_mul(1_000_000_000 / unit_nanos)
        .and_then(|v| v.checked_add(nanos / unit_nanos))
        .ok_or_else(|| {
            AvroValueError::new(AvroValueErrorKind::OutOfRange {
                value: s.to_owned(),
                target: "a long".into(),
            })
        })
}

/// A big-endian two's-complement unscaled value as a decimal string with `scale` digits.
fn format_decimal(bytes: &[u8], scale: u32, offset: usize) -> Result<String, AvroValueError> {
    if bytes.len() > 16 {
        return Err(bad_data(
            offset,
            "a decimal of at most 16 bytes",
            format!("{} bytes", bytes.len()),
        ));
    }
    let fill = if bytes.first().is_some_and(|b| b & 0x80 != 0) {
        0xff
    } else {
        0
    };
    let mut full = [fill; 16];
    full[16 - bytes.len()..].copy_from_slice(bytes);
    let n = i128::from_be_bytes(full);
    let digits = n.unsigned_abs().to_string();
    // A scale past what an i128 can have digits for is as wide as 39 zeros: bound the padding.
    let scale = (scale as usize).min(64);
    let digits = if digits.len() <= scale {
        format!("{}{digits}", "0".repeat(scale + 1 - digits.len()))
    } else {
        digits
    };
    let (int, frac) = digits.split_at(digits.len() - scale);
    let sign = if n < 0 { "-" } else { "" };
    Ok(if scale == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    })
}

/// A plain decimal string to its unscaled value at `scale`.
fn parse_decimal(s: &str, scale: u32) -> Result<i128, AvroValueError> {
    let bad = |why: &str| Err(invalid_text("decimal", s, why));
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return bad("expected digits");
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return bad("expected digits after the point");
    }
    let scale = scale as usize;
    if frac.len() > scale {
        return bad(&format!("more than {scale} fraction digits"));
    }
    // More digits than an i128 holds is "too large" below; this keeps the padding bounded.
    if int.len() + scale > 64 {
        return bad("too large");
    }
    let text = format!("{int}{frac}{}", "0".repeat(scale - frac.len()));
    match text.parse::<i128>() {
        Ok(n) => Ok(if neg { -n } else { n }),
        Err(_) => bad("too large"),
    }
}

/// An unscaled decimal as exactly `size` big-endian two's-complement bytes.
fn fixed_decimal(n: i128, size: usize, text: &str) -> Result<Vec<u8>, AvroValueError> {
    let full = n.to_be_bytes();
    let fill = if n < 0 { 0xff } else { 0 };
    if size >= full.len() {
        let mut b = vec![fill; size - full.len()];
        b.extend_from_slice(&full);
        return Ok(b);
    }
    let cut = full.len() - size;
    let fits = full[..cut].iter().all(|&x| x == fill) && (full[cut] & 0x80 == 0) == (n >= 0);
    if !fits {
        return fail(AvroValueErrorKind::OutOfRange {
            value: text.to_owned(),
            target: format!("fixed({size})"),
        });
    }
    Ok(full[cut..].to_vec())
}

fn minimal_twos_complement(n: i128) -> Vec<u8> {
    let full = n.to_be_bytes();
    let mut start = 0;
    while start < 15 {
        let (b, next) = (full[start], full[start + 1]);
        if (b == 0 && next & 0x80 == 0) || (b == 0xff && next & 0x80 != 0) {
            start += 1;
        } else {
            break;
        }
    }
    full[start..].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_round_trip() {
        for (s, scale) in [("-0.01", 2), ("3915.27", 2), ("0.00", 2), ("12", 0)] {
            let n = parse_decimal(s, scale).expect("parse");
            let b = minimal_twos_complement(n);
            assert_eq!(format_decimal(&b, scale, 0).expect("format"), s);
        }
        assert_eq!(minimal_twos_complement(0), [0]);
        assert_eq!(minimal_twos_complement(-1), [0xff]);
        assert_eq!(minimal_twos_complement(128), [0, 128]);
        assert!(parse_decimal("1", u32::MAX).is_err());
        assert_eq!(
            format_decimal(&[1], u32::MAX, 0).expect("bounded").len(),
            66
        );
    }

    #[test]
    fn unions_follow_the_convention() {
        let s = AvroValueSchema::parse(
            r#"{"type":"record","name":"R","namespace":"a","fields":[
                {"name":"n","type":["null","int"]},
                {"name":"m","type":["int","long","R2"]}],
                "x":{"type":"record","name":"R2","fields":[]}}"#,
        );
        assert!(s.is_err(), "R2 is not defined");
        let s = AvroValueSchema::parse(
            r#"{"type":"record","name":"R","namespace":"a","fields":[
                {"name":"n","type":["null","int"]},
                {"name":"m","type":["int","long",{"type":"record","name":"R2","fields":[]}]},
                {"name":"o","type":["null","R2"]}]}"#,
        )
        .expect("schema");
        let v = serde_json::json!({"n": 5, "m": {"a.R2": {}}, "o": null});
        let bytes = s.encode(&v).expect("encode");
        assert_eq!(bytes, [2, 10, 4, 0]);
        assert_eq!(s.decode(&bytes).expect("decode"), v);
        let e = s
            .encode(&serde_json::json!({"n": 5, "m": {"a.R3": {}}, "o": null}))
            .expect_err("no such branch");
        assert_eq!(e.path(), "/m");
        assert_eq!(e.kind(), &AvroValueErrorKind::UnknownBranch("a.R3".into()));
    }

    #[test]
    fn decode_errors_name_path_offset_and_what_was_found() {
        let s = AvroValueSchema::parse(
            r#"{"type":"record","name":"R","fields":[
                {"name":"xs","type":{"type":"array","items":"boolean"}},
                {"name":"d","type":{"type":"int","logicalType":"date"}}]}"#,
        )
        .expect("schema");
        let e = s.decode(&[4, 1, 7, 0, 0]).expect_err("bad boolean");
        assert_eq!((e.path(), e.offset()), ("/xs/1", Some(2)));
        assert!(e.to_string().contains("found 7"), "{e}");
        let e = s.decode(&[0]).expect_err("truncated");
        assert_eq!((e.path(), e.offset()), ("/d", Some(1)));
        assert!(e.to_string().starts_with("at /d: truncated datum: "), "{e}");
        let e = s.decode(&[0, 0, 9]).expect_err("trailing");
        assert_eq!((e.path(), e.offset()), ("", Some(2)));
        assert!(e.to_string().starts_with("trailing bytes"), "{e}");
        // 2^31 - 1 days is past chrono's calendar: an error at the field's offset.
        let mut b = vec![0];
        crate::avro::encode::write_int(&mut b, i32::MAX);
        let e = s.decode(&b).expect_err("date out of range");
        assert_eq!((e.path(), e.offset()), ("/d", Some(1)));
    }

    #[test]
    fn hostile_block_counts_fail_before_allocating() {
        let s = AvroValueSchema::parse(r#"{"type":"array","items":"null"}"#).expect("schema");
        // A block of i64::MAX/2 nulls in 10 bytes: refused, not looped over.
        let mut b = Vec::new();
        write_long(&mut b, i64::MAX);
        let e = s.decode(&b).expect_err("implausible");
        assert_eq!(e.offset(), Some(0));
        let s = AvroValueSchema::parse(r#"{"type":"array","items":"string"}"#).expect("schema");
        let e = s
            .decode(&[2, 0xfe, 0xff, 0xff, 0xff, 0x0f])
            .expect_err("long string");
        assert_eq!((e.path(), e.offset()), ("/0", Some(1)));
    }

    #[test]
    fn deep_recursion_is_an_error_not_a_stack_overflow() {
        let s = AvroValueSchema::parse(
            r#"{"type":"record","name":"Node","fields":[
                {"name":"children","type":{"type":"array","items":"Node"}}]}"#,
        )
        .expect("schema");
        // `levels` records, each the single child of the one before.
        let nested = |levels: usize| {
            let mut b = vec![2u8; levels - 1];
            b.extend(std::iter::repeat_n(0u8, levels));
            b
        };
        let limit = crate::avro::RECURSION_LIMIT as usize;
        assert!(s.decode(&nested(limit)).is_ok());
        let e = s.decode(&nested(limit + 1)).expect_err("too deep");
        assert!(
            matches!(e.kind(), AvroValueErrorKind::Decode(d)
                if matches!(d.kind(), DecodeErrorKind::RecursionLimit { .. })),
            "{e}"
        );
        // A million levels on a 2 MiB stack (a tokio worker's): an error, not an abort.
        let deep = nested(1_000_000);
        let outcome = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || s.decode(&deep).is_err())
            .expect("thread")
            .join()
            .expect("no overflow");
        assert!(outcome);
    }
}
