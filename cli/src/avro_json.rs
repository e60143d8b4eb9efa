//! Schema-driven Avro binary ⇄ JSON, with no Rust type: the value convention of the interop
//! vectors (`interop/README.md`, "Value convention").
//!
//! * a two-branch union with `"null"` is `null` or the bare value; every other union is `null`
//!   or `{branch: value}`, the branch named by its type (`"int"`, `"array"`, `"map"`, or the full
//!   name of a named type; a logical type by its underlying type);
//! * bytes and fixed are standard base64; floats are numbers or `"NaN"`, `"Infinity"`,
//!   `"-Infinity"`;
//! * logical types: `date` `"YYYY-MM-DD"`, `time-millis` `"HH:MM:SS.fff"`, `time-micros`
//!   `"HH:MM:SS.ffffff"`, `timestamp-*` RFC 3339 UTC with 3, 6 or 9 fraction digits, `uuid` the
//!   string, `decimal` a plain decimal string with `scale` fraction digits.

use std::collections::HashMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike};
use serde_json::{Map, Number, Value as Json};

/// A value that does not fit the schema, or a schema this module cannot use.
#[derive(Debug, thiserror::Error)]
#[error("{}{reason}", if path.is_empty() { String::new() } else { format!("at {path}: ") })]
pub struct AvroJsonError {
    /// Where in the value (`/field/0`), empty at the top.
    pub path: String,
    /// What is wrong.
    pub reason: String,
}

fn err<T>(path: &str, reason: impl Into<String>) -> Result<T, AvroJsonError> {
    Err(AvroJsonError {
        path: path.to_owned(),
        reason: reason.into(),
    })
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
pub struct AvroSchema {
    nodes: Vec<Node>,
    root: usize,
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
    ) -> Result<String, AvroJsonError> {
        let Some(name) = obj.get("name").and_then(Json::as_str) else {
            return err(path, "a named type needs a `name`");
        };
        let own_ns = obj.get("namespace").and_then(Json::as_str).or(ns);
        Ok(full_name(name, own_ns))
    }

    fn parse(&mut self, s: &Json, ns: Option<&str>, path: &str) -> Result<usize, AvroJsonError> {
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
                    return err(path, "a schema object needs a `type`");
                };
                let Json::String(ty_name) = ty else {
                    return self.parse(ty, ns, &format!("{path}/type"));
                };
                if let Some(node) = Self::primitive(ty_name, Self::logical(obj, ty_name)) {
                    return Ok(self.push(node));
                }
                match ty_name.as_str() {
                    "record" | "error" => {
                        let name = self.name_of(obj, ns, path)?;
                        let id = self.push(Node::Record {
                            name: name.clone(),
                            fields: Vec::new(),
                        });
                        self.names.insert(name.clone(), id);
                        let inner_ns = namespace_of(&name);
                        let Some(fields) = obj.get("fields").and_then(Json::as_array) else {
                            return err(path, "a record needs `fields`");
                        };
                        let mut parsed = Vec::with_capacity(fields.len());
                        for (i, f) in fields.iter().enumerate() {
                            let fpath = format!("{path}/fields/{i}");
                            let Some(fname) = f.get("name").and_then(Json::as_str) else {
                                return err(&fpath, "a field needs a `name`");
                            };
                            let Some(fty) = f.get("type") else {
                                return err(&fpath, "a field needs a `type`");
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
                            return err(path, "a fixed type needs a `size`");
                        };
                        let size = usize::try_from(size).map_err(|_| AvroJsonError {
                            path: path.to_owned(),
                            reason: "fixed size too large".into(),
                        })?;
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
                            return err(path, "an array needs `items`");
                        };
                        let item = self.parse(items, ns, &format!("{path}/items"))?;
                        Ok(self.push(Node::Array(item)))
                    }
                    "map" => {
                        let Some(values) = obj.get("values") else {
                            return err(path, "a map needs `values`");
                        };
                        let value = self.parse(values, ns, &format!("{path}/values"))?;
                        Ok(self.push(Node::Map(value)))
                    }
                    other => Ok(self.push(Node::Ref(full_name(other, ns), other.to_owned()))),
                }
            }
            _ => err(path, "not an Avro schema"),
        }
    }
}

impl AvroSchema {
    /// Parses Avro schema JSON text.
    pub fn parse(text: &str) -> Result<Self, AvroJsonError> {
        let json: Json = serde_json::from_str(text).map_err(|e| AvroJsonError {
            path: String::new(),
            reason: format!("invalid Avro schema JSON: {e}"),
        })?;
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
                    None => return err("", format!("unknown type `{written}`")),
                }
            }
        }
        Ok(AvroSchema {
            nodes: p.nodes,
            root,
        })
    }

    fn node(&self, mut i: usize) -> &Node {
        loop {
            match &self.nodes[i] {
                Node::Alias(t) => i = *t,
                other => return other,
            }
        }
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
    pub fn decode(&self, bytes: &[u8]) -> Result<Json, AvroJsonError> {
        let mut r = Cursor {
            buf: bytes,
            pos: 0,
            depth: 0,
        };
        let value = self.read(self.root, &mut r, "")?;
        if r.pos != bytes.len() {
            return err(
                "",
                format!(
                    "{} trailing byte(s) after the datum (offset {})",
                    bytes.len() - r.pos,
                    r.pos
                ),
            );
        }
        Ok(value)
    }

    /// Encodes a JSON value as an Avro binary datum.
    pub fn encode(&self, value: &Json) -> Result<Vec<u8>, AvroJsonError> {
        let mut out = Vec::new();
        self.write(self.root, value, &mut out, "")?;
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

    fn read(&self, i: usize, r: &mut Cursor<'_>, path: &str) -> Result<Json, AvroJsonError> {
        Ok(match self.node(i) {
            Node::Null => Json::Null,
            Node::Boolean => match r.byte(path)? {
                0 => Json::Bool(false),
                1 => Json::Bool(true),
                b => return err(path, format!("invalid boolean byte {b:#04x}")),
            },
            Node::Int(logical) => {
                let v = r.long(path)?;
                let v = i32::try_from(v).map_err(|_| AvroJsonError {
                    path: path.to_owned(),
                    reason: format!("{v} does not fit an int"),
                })?;
                match logical {
                    Logical::Date => Json::String(format_date(v, path)?),
                    Logical::TimeMillis => Json::String(format_time(i64::from(v) * 1000, 3)),
                    _ => Json::from(v),
                }
            }
            Node::Long(logical) => {
                let v = r.long(path)?;
                match logical {
                    Logical::TimeMicros => Json::String(format_time(v, 6)),
                    Logical::TsMillis => Json::String(format_ts(v, 1_000_000, 3, true, path)?),
                    Logical::TsMicros => Json::String(format_ts(v, 1_000, 6, true, path)?),
                    Logical::TsNanos => Json::String(format_ts(v, 1, 9, true, path)?),
                    Logical::LocalTsMillis => {
                        Json::String(format_ts(v, 1_000_000, 3, false, path)?)
                    }
                    Logical::LocalTsMicros => Json::String(format_ts(v, 1_000, 6, false, path)?),
                    Logical::LocalTsNanos => Json::String(format_ts(v, 1, 9, false, path)?),
                    _ => Json::from(v),
                }
            }
            Node::Float => {
                let b = r.take(4, path)?;
                let f = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                float_json(f32_to_f64(f))
            }
            Node::Double => {
                let b = r.take(8, path)?;
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                float_json(f64::from_le_bytes(a))
            }
            Node::Bytes(logical) => {
                let n = r.len(path)?;
                let b = r.take(n, path)?;
                match logical {
                    Logical::Decimal { scale } => Json::String(format_decimal(b, *scale, path)?),
                    _ => Json::String(STANDARD.encode(b)),
                }
            }
            Node::String => {
                let n = r.len(path)?;
                let b = r.take(n, path)?;
                match std::str::from_utf8(b) {
                    Ok(s) => Json::String(s.to_owned()),
                    Err(e) => return err(path, format!("invalid UTF-8 in a string: {e}")),
                }
            }
            Node::Fixed { size, logical, .. } => {
                let b = r.take(*size, path)?;
                match logical {
                    Logical::Decimal { scale } => Json::String(format_decimal(b, *scale, path)?),
                    _ => Json::String(STANDARD.encode(b)),
                }
            }
            Node::Enum { symbols, .. } => {
                let k = r.long(path)?;
                match usize::try_from(k).ok().and_then(|k| symbols.get(k)) {
                    Some(s) => Json::String(s.clone()),
                    None => return err(path, format!("enum index {k} out of range")),
                }
            }
            Node::Array(item) => {
                let mut out = Vec::new();
                while let Some(n) = r.block(path)? {
                    for _ in 0..n {
                        let p = format!("{path}/{}", out.len());
                        out.push(self.read(*item, r, &p)?);
                    }
                }
                Json::Array(out)
            }
            Node::Map(value) => {
                let mut out = Map::new();
                while let Some(n) = r.block(path)? {
                    for _ in 0..n {
                        let len = r.len(path)?;
                        let key = std::str::from_utf8(r.take(len, path)?)
                            .map_err(|e| AvroJsonError {
                                path: path.to_owned(),
                                reason: format!("invalid UTF-8 in a map key: {e}"),
                            })?
                            .to_owned();
                        let p = format!("{path}/{key}");
                        let v = self.read(*value, r, &p)?;
                        out.insert(key, v);
                    }
                }
                Json::Object(out)
            }
            Node::Record { fields, .. } => {
                let limit = kafka_model::avro::RECURSION_LIMIT;
                if r.depth >= limit {
                    return err(
                        path,
                        format!(
                            "records nested deeper than {limit} levels (offset {})",
                            r.pos
                        ),
                    );
                }
                r.depth += 1;
                let mut out = Map::new();
                for (name, f) in fields {
                    let v = self.read(*f, r, &format!("{path}/{name}"))?;
                    out.insert(name.clone(), v);
                }
                r.depth -= 1;
                Json::Object(out)
            }
            Node::Union(branches) => {
                let k = r.long(path)?;
                let Some(&b) = usize::try_from(k).ok().and_then(|k| branches.get(k)) else {
                    return err(path, format!("union branch {k} out of range"));
                };
                let v = self.read(b, r, path)?;
                if matches!(self.node(b), Node::Null) || self.nullable_branch(branches).is_some() {
                    v
                } else {
                    let mut m = Map::new();
                    m.insert(self.branch_name(b), v);
                    Json::Object(m)
                }
            }
            Node::Ref(_, n) => return err(path, format!("unresolved type `{n}`")),
            Node::Alias(_) => return err(path, "unresolved alias"),
        })
    }

    fn write(
        &self,
        i: usize,
        v: &Json,
        out: &mut Vec<u8>,
        path: &str,
    ) -> Result<(), AvroJsonError> {
        let want = |what: &str| err(path, format!("expected {what}, found {v}"));
        match self.node(i) {
            Node::Null => {
                if !v.is_null() {
                    return want("null");
                }
            }
            Node::Boolean => match v {
                Json::Bool(b) => out.push(u8::from(*b)),
                _ => return want("a boolean"),
            },
            Node::Int(logical) => {
                let n: i64 = match (logical, v) {
                    (Logical::Date, Json::String(s)) => parse_date(s, path)?,
                    (Logical::TimeMillis, Json::String(s)) => {
                        let micros = parse_time(s, path)?;
                        if micros % 1000 != 0 {
                            return err(path, "time-millis cannot hold microseconds");
                        }
                        micros / 1000
                    }
                    _ => match v.as_i64() {
                        Some(n) => n,
                        None => return want("an integer"),
                    },
                };
                if i32::try_from(n).is_err() {
                    return err(path, format!("{n} does not fit an int"));
                }
                write_long(n, out);
            }
            Node::Long(logical) => {
                let n = match (logical, v) {
                    (Logical::TimeMicros, Json::String(s)) => parse_time(s, path)?,
                    (Logical::TsMillis, Json::String(s)) => parse_ts(s, 1_000_000, true, path)?,
                    (Logical::TsMicros, Json::String(s)) => parse_ts(s, 1_000, true, path)?,
                    (Logical::TsNanos, Json::String(s)) => parse_ts(s, 1, true, path)?,
                    (Logical::LocalTsMillis, Json::String(s)) => {
                        parse_ts(s, 1_000_000, false, path)?
                    }
                    (Logical::LocalTsMicros, Json::String(s)) => parse_ts(s, 1_000, false, path)?,
                    (Logical::LocalTsNanos, Json::String(s)) => parse_ts(s, 1, false, path)?,
                    _ => match v.as_i64() {
                        Some(n) => n,
                        None => return want("an integer"),
                    },
                };
                write_long(n, out);
            }
            Node::Float => {
                // Narrowing to binary32 is the point of a `float` field.
                #[allow(clippy::cast_possible_truncation)]
                let f = float_of(v, path)? as f32;
                out.extend_from_slice(&f.to_le_bytes());
            }
            Node::Double => out.extend_from_slice(&float_of(v, path)?.to_le_bytes()),
            Node::Bytes(logical) => {
                let b = match (logical, v) {
                    (Logical::Decimal { scale }, Json::String(s)) => {
                        minimal_twos_complement(parse_decimal(s, *scale, path)?)
                    }
                    (_, Json::String(s)) => base64_of(s, path)?,
                    _ => return want("a base64 string"),
                };
                write_long(len_i64(b.len()), out);
                out.extend_from_slice(&b);
            }
            Node::String => match v {
                Json::String(s) => {
                    write_long(len_i64(s.len()), out);
                    out.extend_from_slice(s.as_bytes());
                }
                _ => return want("a string"),
            },
            Node::Fixed { size, logical, .. } => {
                let b = match (logical, v) {
                    (Logical::Decimal { scale }, Json::String(s)) => {
                        let n = parse_decimal(s, *scale, path)?;
                        let full = n.to_be_bytes();
                        let fill = if n < 0 { 0xff } else { 0 };
                        if *size >= full.len() {
                            let mut b = vec![fill; *size - full.len()];
                            b.extend_from_slice(&full);
                            b
                        } else {
                            let cut = full.len() - *size;
                            let ok = full[..cut].iter().all(|&x| x == fill)
                                && (full[cut] & 0x80 == 0) == (n >= 0);
                            if !ok {
                                return err(path, format!("{s} does not fit fixed({size})"));
                            }
                            full[cut..].to_vec()
                        }
                    }
                    (_, Json::String(s)) => base64_of(s, path)?,
                    _ => return want("a base64 string"),
                };
                if b.len() != *size {
                    return err(path, format!("fixed({size}) given {} bytes", b.len()));
                }
                out.extend_from_slice(&b);
            }
            Node::Enum { symbols, name } => {
                let Some(s) = v.as_str() else {
                    return want("an enum symbol");
                };
                let Some(k) = symbols.iter().position(|x| x == s) else {
                    return err(path, format!("`{s}` is not a symbol of {name}"));
                };
                write_long(len_i64(k), out);
            }
            Node::Array(item) => {
                let Some(items) = v.as_array() else {
                    return want("an array");
                };
                if !items.is_empty() {
                    write_long(len_i64(items.len()), out);
                    for (k, x) in items.iter().enumerate() {
                        self.write(*item, x, out, &format!("{path}/{k}"))?;
                    }
                }
                out.push(0);
            }
            Node::Map(value) => {
                let Some(entries) = v.as_object() else {
                    return want("an object");
                };
                if !entries.is_empty() {
                    write_long(len_i64(entries.len()), out);
                    for (k, x) in entries {
                        write_long(len_i64(k.len()), out);
                        out.extend_from_slice(k.as_bytes());
                        self.write(*value, x, out, &format!("{path}/{k}"))?;
                    }
                }
                out.push(0);
            }
            Node::Record { fields, name } => {
                let Some(obj) = v.as_object() else {
                    return want(&format!("an object (record {name})"));
                };
                for key in obj.keys() {
                    if !fields.iter().any(|(f, _)| f == key) {
                        return err(path, format!("record {name} has no field `{key}`"));
                    }
                }
                for (f, id) in fields {
                    let fpath = format!("{path}/{f}");
                    let Some(x) = obj.get(f) else {
                        return err(&fpath, "missing field");
                    };
                    self.write(*id, x, out, &fpath)?;
                }
            }
            Node::Union(branches) => {
                let (k, inner) = if v.is_null() {
                    match branches
                        .iter()
                        .position(|&b| matches!(self.node(b), Node::Null))
                    {
                        Some(k) => (k, v),
                        None => return err(path, "null given to a union without a null branch"),
                    }
                } else if let Some((_, other)) = self.nullable_branch(branches) {
                    (other, v)
                } else {
                    let one = v.as_object().filter(|m| m.len() == 1);
                    let Some((name, inner)) = one.and_then(|m| m.iter().next()) else {
                        return want("null or a one-key object {branch: value}");
                    };
                    match branches.iter().position(|&b| self.branch_name(b) == *name) {
                        Some(k) => (k, inner),
                        None => return err(path, format!("the union has no branch `{name}`")),
                    }
                };
                write_long(len_i64(k), out);
                self.write(branches[k], inner, out, path)?;
            }
            Node::Ref(_, n) => return err(path, format!("unresolved type `{n}`")),
            Node::Alias(_) => return err(path, "unresolved alias"),
        }
        Ok(())
    }
}

fn len_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
    /// Records entered and not yet left (bounded like the library's decoders).
    depth: u32,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize, path: &str) -> Result<&'a [u8], AvroJsonError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len());
        match end {
            Some(end) => {
                let out = &self.buf[self.pos..end];
                self.pos = end;
                Ok(out)
            }
            None => err(
                path,
                format!(
                    "truncated: needed {n} byte(s) at offset {}, {} left",
                    self.pos,
                    self.buf.len() - self.pos
                ),
            ),
        }
    }

    fn byte(&mut self, path: &str) -> Result<u8, AvroJsonError> {
        Ok(self.take(1, path)?[0])
    }

    fn long(&mut self, path: &str) -> Result<i64, AvroJsonError> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte(path)?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                // Zigzag: the bit pattern is reinterpreted on purpose.
                #[allow(clippy::cast_possible_wrap)]
                return Ok(kafka_model::zigzag::decode64(v));
            }
        }
        err(path, "varint longer than 10 bytes")
    }

    fn len(&mut self, path: &str) -> Result<usize, AvroJsonError> {
        let n = self.long(path)?;
        match usize::try_from(n) {
            Ok(n) if n <= self.buf.len() - self.pos => Ok(n),
            _ => err(path, format!("invalid length {n}")),
        }
    }

    /// The item count of the next block, `None` at the end marker.
    fn block(&mut self, path: &str) -> Result<Option<u64>, AvroJsonError> {
        let n = self.long(path)?;
        if n == 0 {
            return Ok(None);
        }
        if n < 0 {
            let _size = self.long(path)?;
        }
        let n = n.unsigned_abs();
        if n > (self.buf.len() - self.pos + 1) as u64 * 1024 {
            return err(path, format!("implausible block count {n}"));
        }
        Ok(Some(n))
    }
}

fn write_long(n: i64, out: &mut Vec<u8>) {
    // Zigzag: the bit pattern is reinterpreted on purpose.
    #[allow(clippy::cast_sign_loss)]
    let mut z = kafka_model::zigzag::encode64(n);
    loop {
        let b = (z & 0x7f) as u8;
        z >>= 7;
        if z == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// The shortest decimal form of a binary32 value, as a double (`0.1f32` → `0.1`).
fn f32_to_f64(f: f32) -> f64 {
    if f.is_finite() {
        format!("{f}").parse().unwrap_or(f64::from(f))
    } else {
        f64::from(f)
    }
}

/// A float as the convention writes it: a number, or `"NaN"`, `"Infinity"`, `"-Infinity"`.
pub fn float_json(f: f64) -> Json {
    if f.is_nan() {
        Json::String("NaN".into())
    } else if f.is_infinite() {
        Json::String(if f > 0.0 { "Infinity" } else { "-Infinity" }.into())
    } else {
        Number::from_f64(f).map_or(Json::Null, Json::Number)
    }
}

/// Reads a float in the convention's form.
pub fn float_of(v: &Json, path: &str) -> Result<f64, AvroJsonError> {
    match v {
        Json::Number(n) => match n.as_f64() {
            Some(f) => Ok(f),
            None => err(path, format!("{n} is not a float")),
        },
        Json::String(s) if s == "NaN" => Ok(f64::NAN),
        Json::String(s) if s == "Infinity" => Ok(f64::INFINITY),
        Json::String(s) if s == "-Infinity" => Ok(f64::NEG_INFINITY),
        _ => err(
            path,
            format!("expected a number, \"NaN\", \"Infinity\" or \"-Infinity\", found {v}"),
        ),
    }
}

/// Standard base64 (with padding) to bytes.
pub fn base64_of(s: &str, path: &str) -> Result<Vec<u8>, AvroJsonError> {
    STANDARD.decode(s).map_err(|e| AvroJsonError {
        path: path.to_owned(),
        reason: format!("invalid base64: {e}"),
    })
}

const EPOCH_DAYS_FROM_CE: i32 = 719_163;

fn format_date(days: i32, path: &str) -> Result<String, AvroJsonError> {
    match days
        .checked_add(EPOCH_DAYS_FROM_CE)
        .and_then(NaiveDate::from_num_days_from_ce_opt)
    {
        Some(d) => Ok(d.format("%Y-%m-%d").to_string()),
        None => err(path, format!("date {days} out of range")),
    }
}

fn parse_date(s: &str, path: &str) -> Result<i64, AvroJsonError> {
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) => Ok(i64::from(d.num_days_from_ce() - EPOCH_DAYS_FROM_CE)),
        Err(e) => err(path, format!("invalid date `{s}`: {e}")),
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

fn parse_time(s: &str, path: &str) -> Result<i64, AvroJsonError> {
    match chrono::NaiveTime::parse_from_str(s, "%H:%M:%S%.f") {
        Ok(t) => {
            let nanos = i64::from(t.nanosecond());
            if nanos % 1000 != 0 {
                return err(path, format!("`{s}` is finer than a microsecond"));
            }
            Ok(i64::from(t.num_seconds_from_midnight()) * 1_000_000 + nanos / 1000)
        }
        Err(e) => err(path, format!("invalid time `{s}`: {e}")),
    }
}

/// A timestamp of `v` units of `unit_nanos` nanoseconds, in RFC 3339 with `digits` fraction
/// digits (UTC `Z` when `utc`).
fn format_ts(
    v: i64,
    unit_nanos: i64,
    digits: usize,
    utc: bool,
    path: &str,
) -> Result<String, AvroJsonError> {
    let per_sec = 1_000_000_000 / unit_nanos;
    let secs = v.div_euclid(per_sec);
    let sub = v.rem_euclid(per_sec) * unit_nanos;
    let Some(dt) = u32::try_from(sub)
        .ok()
        .and_then(|n| DateTime::from_timestamp(secs, n))
    else {
        return err(path, format!("timestamp {v} out of range"));
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
fn parse_ts(s: &str, unit_nanos: i64, utc: bool, path: &str) -> Result<i64, AvroJsonError> {
    let (secs, nanos) = if utc {
        match DateTime::parse_from_rfc3339(s) {
            Ok(t) => (t.timestamp(), i64::from(t.timestamp_subsec_nanos())),
            Err(e) => return err(path, format!("invalid RFC 3339 timestamp `{s}`: {e}")),
        }
    } else {
        match NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
            Ok(t) => {
                let t = t.and_utc();
                (t.timestamp(), i64::from(t.timestamp_subsec_nanos()))
            }
            Err(e) => return err(path, format!("invalid local timestamp `{s}`: {e}")),
        }
    };
    if nanos % unit_nanos != 0 {
        return err(path, format!("`{s}` is finer than the field's unit"));
    }
    secs.checked_mul(1_000_000_000 / unit_nanos)
        .and_then(|v| v.checked_add(nanos / unit_nanos))
        .map_or_else(|| err(path, format!("`{s}` out of range")), Ok)
}

/// A big-endian two's-complement unscaled value as a decimal string with `scale` digits.
fn format_decimal(bytes: &[u8], scale: u32, path: &str) -> Result<String, AvroJsonError> {
    if bytes.len() > 16 {
        return err(path, "decimals wider than 16 bytes are not supported");
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
    let scale = scale as usize;
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
fn parse_decimal(s: &str, scale: u32, path: &str) -> Result<i128, AvroJsonError> {
    let bad = |why: &str| err(path, format!("invalid decimal `{s}`: {why}"));
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
    let text = format!("{int}{frac}{}", "0".repeat(scale - frac.len()));
    match text.parse::<i128>() {
        Ok(n) => Ok(if neg { -n } else { n }),
        Err(_) => bad("too large"),
    }
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
            let n = parse_decimal(s, scale, "").expect("parse");
            let b = minimal_twos_complement(n);
            assert_eq!(format_decimal(&b, scale, "").expect("format"), s);
        }
        assert_eq!(minimal_twos_complement(0), [0]);
        assert_eq!(minimal_twos_complement(-1), [0xff]);
        assert_eq!(minimal_twos_complement(128), [0, 128]);
    }

    #[test]
    fn unions_follow_the_convention() {
        let s = AvroSchema::parse(
            r#"{"type":"record","name":"R","namespace":"a","fields":[
                {"name":"n","type":["null","int"]},
                {"name":"m","type":["int","long","R2"]}],
                "x":{"type":"record","name":"R2","fields":[]}}"#,
        );
        assert!(s.is_err(), "R2 is not defined");
        let s = AvroSchema::parse(
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
    }

    #[test]
    fn deep_recursion_is_an_error_not_a_stack_overflow() {
        let s = AvroSchema::parse(
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
        let limit = kafka_model::avro::RECURSION_LIMIT as usize;
        assert!(s.decode(&nested(limit)).is_ok());
        let e = s.decode(&nested(limit + 1)).expect_err("too deep");
        assert!(e.to_string().contains("nested deeper than"), "{e}");
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
