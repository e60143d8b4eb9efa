//! Schema-driven Protobuf ⇄ JSON, with no Rust type: a `.proto` file compiled with protox, the
//! message decoded into a prost-reflect `DynamicMessage`, and the value written in the interop
//! vectors' convention (`interop/README.md`, "Value convention"):
//!
//! * every field by its `.proto` name; fields with presence (proto3 `optional`, messages) are
//!   `null` when absent; a oneof appears once, under its name, as `null` or `{member: value}`;
//! * 64-bit integers are JSON integers (not quoted); floats are numbers or `"NaN"`,
//!   `"Infinity"`, `"-Infinity"`; bytes are standard base64;
//! * an enum value is its name (a number the enum does not declare stays a number);
//! * map keys are strings; `google.protobuf.Timestamp` is an RFC 3339 UTC string.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::DateTime;
use prost::Message as _;
use prost_reflect::{
    DynamicMessage, FieldDescriptor, FileDescriptor, Kind, MapKey, MessageDescriptor,
    ReflectMessage, Value,
};
use serde_json::{Map, Value as Json};

use crate::avro_json::{base64_of, float_json, float_of};

/// A value that does not fit the message, or a schema that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{}{reason}", if path.is_empty() { String::new() } else { format!("at {path}: ") })]
pub struct ProtoJsonError {
    /// Where in the value (`/field/0`), empty at the top.
    pub path: String,
    /// What is wrong.
    pub reason: String,
}

fn err<T>(path: &str, reason: impl Into<String>) -> Result<T, ProtoJsonError> {
    Err(ProtoJsonError {
        path: path.to_owned(),
        reason: reason.into(),
    })
}

/// A compiled `.proto` file.
#[derive(Debug, Clone)]
pub struct ProtoFile {
    file: FileDescriptor,
}

impl ProtoFile {
    /// Compiles `path`, finding imports in `includes` and then in the file's own directory
    /// (the well-known `google/protobuf/*` files are built in).
    pub fn compile(path: &Path, includes: &[PathBuf]) -> Result<Self, ProtoJsonError> {
        let mut roots: Vec<PathBuf> = includes.to_vec();
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        roots.push(parent);
        let fail = |e: protox::Error| ProtoJsonError {
            path: String::new(),
            reason: format!("{}: {e}", path.display()),
        };
        let mut compiler = protox::Compiler::new(&roots).map_err(fail)?;
        compiler.include_imports(true);
        compiler.open_file(path).map_err(fail)?;
        let Some(name) = compiler
            .files()
            .find(|f| !f.is_import())
            .map(|f| f.name().to_owned())
        else {
            return err("", format!("{}: no file compiled", path.display()));
        };
        let pool = compiler.descriptor_pool();
        match pool.get_file_by_name(&name) {
            Some(file) => Ok(ProtoFile { file }),
            None => err("", format!("{name}: not in the descriptor pool")),
        }
    }

    /// Compiles a file already loaded with its imports (by [`crate::proto_files::load`], which
    /// finds them under the file's parent directories when no `-I` is given).
    pub fn from_source(
        source: &kafka_model::compat::protobuf::ProtoSource,
    ) -> Result<Self, ProtoJsonError> {
        use protox::file::{ChainFileResolver, File, FileResolver, GoogleFileResolver};
        struct Loaded(HashMap<String, String>);
        impl FileResolver for Loaded {
            fn open_file(&self, name: &str) -> Result<File, protox::Error> {
                match self.0.get(name) {
                    Some(text) => File::from_source(name, text),
                    None => Err(protox::Error::file_not_found(name)),
                }
            }
        }
        let mut files: HashMap<String, String> = source.dependencies.iter().cloned().collect();
        files.insert(source.name.clone(), source.text.clone());
        let mut resolver = ChainFileResolver::new();
        resolver.add(Loaded(files));
        resolver.add(GoogleFileResolver::new());
        let fail = |e: protox::Error| ProtoJsonError {
            path: String::new(),
            reason: format!("{}: {e}", source.name),
        };
        let mut compiler = protox::Compiler::with_file_resolver(resolver);
        compiler.include_imports(true);
        compiler.open_file(&source.name).map_err(fail)?;
        match compiler.descriptor_pool().get_file_by_name(&source.name) {
            Some(file) => Ok(ProtoFile { file }),
            None => err("", format!("{}: not in the descriptor pool", source.name)),
        }
    }

    /// The message named `full_name` (`acme.orders.v1.Order`, a leading `.` allowed).
    pub fn message(&self, full_name: &str) -> Result<MessageDescriptor, ProtoJsonError> {
        let name = full_name.trim_start_matches('.');
        match self.file.parent_pool().get_message_by_name(name) {
            Some(m) => Ok(m),
            None => err("", format!("no message `{name}` in {}", self.file.name())),
        }
    }

    /// The message at a Confluent message-index path (`[0]` = the file's first message,
    /// `[2, 1]` = the second message nested in the third).
    pub fn message_at(&self, path: &[u32]) -> Result<MessageDescriptor, ProtoJsonError> {
        let missing = || ProtoJsonError {
            path: String::new(),
            reason: format!("message indexes {path:?} name no message"),
        };
        let (first, rest) = path.split_first().ok_or_else(missing)?;
        let mut m = self
            .file
            .messages()
            .nth(*first as usize)
            .ok_or_else(missing)?;
        for i in rest {
            let next = m.child_messages().nth(*i as usize);
            m = next.ok_or_else(missing)?;
        }
        Ok(m)
    }

    /// The file's first message.
    pub fn first_message(&self) -> Result<MessageDescriptor, ProtoJsonError> {
        match self.file.messages().next() {
            Some(m) => Ok(m),
            None => err("", format!("{} declares no message", self.file.name())),
        }
    }
}

/// The Confluent message-index path of a message (`[0]` for the file's first message).
pub fn message_indexes(m: &MessageDescriptor) -> Vec<u32> {
    let mut out = Vec::new();
    let mut cur = m.clone();
    loop {
        let siblings: Vec<MessageDescriptor> = match cur.parent_message() {
            Some(p) => p.child_messages().collect(),
            None => cur.parent_file().messages().collect(),
        };
        let i = siblings
            .iter()
            .position(|s| s.full_name() == cur.full_name())
            .unwrap_or(0);
        out.push(u32::try_from(i).unwrap_or(u32::MAX));
        match cur.parent_message() {
            Some(p) => cur = p,
            None => break,
        }
    }
    out.reverse();
    out
}

/// Decodes a message of type `desc` to JSON.
pub fn decode(desc: &MessageDescriptor, bytes: &[u8]) -> Result<Json, ProtoJsonError> {
    let msg = DynamicMessage::decode(desc.clone(), bytes).map_err(|e| ProtoJsonError {
        path: String::new(),
        reason: format!("invalid {} message: {e}", desc.full_name()),
    })?;
    Ok(message_json(&msg))
}

/// Encodes a JSON value as a message of type `desc`.
pub fn encode(desc: &MessageDescriptor, value: &Json) -> Result<Vec<u8>, ProtoJsonError> {
    Ok(message_from(desc, value, "")?.encode_to_vec())
}

const TIMESTAMP: &str = "google.protobuf.Timestamp";

fn message_json(msg: &DynamicMessage) -> Json {
    let desc = msg.descriptor();
    if desc.full_name() == TIMESTAMP {
        if let Some(ts) = timestamp_json(msg) {
            return ts;
        }
    }
    let mut out = Map::new();
    for oneof in desc.oneofs().filter(|o| !o.is_synthetic()) {
        let set = oneof.fields().find(|f| msg.has_field(f));
        let v = match set {
            Some(f) => {
                let mut m = Map::new();
                m.insert(f.name().to_owned(), field_json(&f, &msg.get_field(&f)));
                Json::Object(m)
            }
            None => Json::Null,
        };
        out.insert(oneof.name().to_owned(), v);
    }
    for field in desc.fields() {
        if field.containing_oneof().is_some_and(|o| !o.is_synthetic()) {
            continue;
        }
        let v = if field.supports_presence() && !msg.has_field(&field) {
            Json::Null
        } else {
            field_json(&field, &msg.get_field(&field))
        };
        out.insert(field.name().to_owned(), v);
    }
    Json::Object(out)
}

fn timestamp_json(msg: &DynamicMessage) -> Option<Json> {
    let secs = msg.get_field_by_name("seconds")?.as_i64()?;
    let nanos = msg.get_field_by_name("nanos")?.as_i32()?;
    let dt = DateTime::from_timestamp(secs, u32::try_from(nanos).ok()?)?;
    let frac = format!("{nanos:09}");
    let digits = if nanos == 0 {
        0
    } else if nanos % 1_000_000 == 0 {
        3
    } else if nanos % 1_000 == 0 {
        6
    } else {
        9
    };
    let frac = if digits == 0 {
        String::new()
    } else {
        format!(".{}", &frac[..digits])
    };
    Some(Json::String(format!(
        "{}{frac}Z",
        dt.format("%Y-%m-%dT%H:%M:%S")
    )))
}

fn field_json(field: &FieldDescriptor, value: &Value) -> Json {
    match value {
        Value::List(items) => Json::Array(
            items
                .iter()
                .map(|v| single_json(&field.kind(), v))
                .collect(),
        ),
        Value::Map(entries) => {
            let value_kind = match field.kind() {
                Kind::Message(entry) => entry.map_entry_value_field().kind(),
                other => other,
            };
            let mut sorted: Vec<(String, Json)> = entries
                .iter()
                .map(|(k, v)| (map_key_string(k), single_json(&value_kind, v)))
                .collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            Json::Object(sorted.into_iter().collect())
        }
        v => single_json(&field.kind(), v),
    }
}

fn map_key_string(k: &MapKey) -> String {
    match k {
        MapKey::Bool(b) => b.to_string(),
        MapKey::I32(n) => n.to_string(),
        MapKey::I64(n) => n.to_string(),
        MapKey::U32(n) => n.to_string(),
        MapKey::U64(n) => n.to_string(),
        MapKey::String(s) => s.clone(),
    }
}

fn single_json(kind: &Kind, value: &Value) -> Json {
    match value {
        Value::Bool(b) => Json::Bool(*b),
        Value::I32(n) => Json::from(*n),
        Value::I64(n) => Json::from(*n),
        Value::U32(n) => Json::from(*n),
        Value::U64(n) => Json::from(*n),
        Value::F32(f) => {
            let f = if f.is_finite() {
                format!("{f}").parse().unwrap_or(f64::from(*f))
            } else {
                f64::from(*f)
            };
            float_json(f)
        }
        Value::F64(f) => float_json(*f),
        Value::String(s) => Json::String(s.clone()),
        Value::Bytes(b) => Json::String(STANDARD.encode(b)),
        Value::EnumNumber(n) => match kind {
            Kind::Enum(e) => match e.get_value(*n) {
                Some(v) => Json::String(v.name().to_owned()),
                None => Json::from(*n),
            },
            _ => Json::from(*n),
        },
        Value::Message(m) => message_json(m),
        Value::List(items) => Json::Array(items.iter().map(|v| single_json(kind, v)).collect()),
        Value::Map(_) => Json::Null,
    }
}

fn message_from(
    desc: &MessageDescriptor,
    value: &Json,
    path: &str,
) -> Result<DynamicMessage, ProtoJsonError> {
    let mut msg = DynamicMessage::new(desc.clone());
    if desc.full_name() == TIMESTAMP {
        if let Json::String(s) = value {
            let t = DateTime::parse_from_rfc3339(s).map_err(|e| ProtoJsonError {
                path: path.to_owned(),
                reason: format!("invalid RFC 3339 timestamp `{s}`: {e}"),
            })?;
            set(&mut msg, "seconds", Value::I64(t.timestamp()), path)?;
            let nanos = i32::try_from(t.timestamp_subsec_nanos()).unwrap_or(0);
            set(&mut msg, "nanos", Value::I32(nanos), path)?;
            return Ok(msg);
        }
    }
    let Some(obj) = value.as_object() else {
        return err(
            path,
            format!("expected an object ({}), found {value}", desc.full_name()),
        );
    };
    for (key, v) in obj {
        let fpath = format!("{path}/{key}");
        if let Some(field) = desc.get_field_by_name(key) {
            if v.is_null() {
                continue;
            }
            let value = field_from(&field, v, &fpath)?;
            msg.try_set_field(&field, value)
                .map_err(|e| ProtoJsonError {
                    path: fpath.clone(),
                    reason: e.to_string(),
                })?;
        } else if let Some(oneof) = desc.oneofs().find(|o| o.name() == key) {
            if v.is_null() {
                continue;
            }
            let one = v.as_object().filter(|m| m.len() == 1);
            let Some((member, inner)) = one.and_then(|m| m.iter().next()) else {
                return err(&fpath, "expected null or a one-key object {member: value}");
            };
            let Some(field) = oneof.fields().find(|f| f.name() == member) else {
                return err(&fpath, format!("oneof {key} has no member `{member}`"));
            };
            let value = field_from(&field, inner, &format!("{fpath}/{member}"))?;
            msg.try_set_field(&field, value)
                .map_err(|e| ProtoJsonError {
                    path: fpath.clone(),
                    reason: e.to_string(),
                })?;
        } else {
            return err(&fpath, format!("{} has no field `{key}`", desc.full_name()));
        }
    }
    Ok(msg)
}

fn set(msg: &mut DynamicMessage, name: &str, v: Value, path: &str) -> Result<(), ProtoJsonError> {
    msg.try_set_field_by_name(name, v)
        .map_err(|e| ProtoJsonError {
            path: path.to_owned(),
            reason: e.to_string(),
        })
}

fn field_from(field: &FieldDescriptor, v: &Json, path: &str) -> Result<Value, ProtoJsonError> {
    if field.is_map() {
        let Kind::Message(entry) = field.kind() else {
            return err(path, "map field without an entry type");
        };
        let (key_kind, value_kind) = (
            entry.map_entry_key_field().kind(),
            entry.map_entry_value_field().kind(),
        );
        let Some(obj) = v.as_object() else {
            return err(path, format!("expected an object (map), found {v}"));
        };
        let mut out = HashMap::with_capacity(obj.len());
        for (k, x) in obj {
            let kpath = format!("{path}/{k}");
            out.insert(
                map_key(&key_kind, k, &kpath)?,
                single_from(&value_kind, x, &kpath)?,
            );
        }
        Ok(Value::Map(out))
    } else if field.is_list() {
        let Some(items) = v.as_array() else {
            return err(path, format!("expected an array, found {v}"));
        };
        let kind = field.kind();
        items
            .iter()
            .enumerate()
            .map(|(i, x)| single_from(&kind, x, &format!("{path}/{i}")))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::List)
    } else {
        single_from(&field.kind(), v, path)
    }
}

fn map_key(kind: &Kind, k: &str, path: &str) -> Result<MapKey, ProtoJsonError> {
    let bad = || ProtoJsonError {
        path: path.to_owned(),
        reason: format!("invalid map key `{k}` for {kind:?}"),
    };
    Ok(match kind {
        Kind::Bool => match k {
            "true" => MapKey::Bool(true),
            "false" => MapKey::Bool(false),
            _ => return Err(bad()),
        },
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => MapKey::I32(k.parse().map_err(|_| bad())?),
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => MapKey::I64(k.parse().map_err(|_| bad())?),
        Kind::Uint32 | Kind::Fixed32 => MapKey::U32(k.parse().map_err(|_| bad())?),
        Kind::Uint64 | Kind::Fixed64 => MapKey::U64(k.parse().map_err(|_| bad())?),
        Kind::String => MapKey::String(k.to_owned()),
        _ => return Err(bad()),
    })
}

fn int_of<T: TryFrom<i128>>(v: &Json, path: &str) -> Result<T, ProtoJsonError> {
    let n: Option<i128> = match v {
        Json::Number(n) => n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from)),
        Json::String(s) => s.parse().ok(),
        _ => None,
    };
    match n.and_then(|n| T::try_from(n).ok()) {
        Some(x) => Ok(x),
        None => err(path, format!("expected an integer in range, found {v}")),
    }
}

fn single_from(kind: &Kind, v: &Json, path: &str) -> Result<Value, ProtoJsonError> {
    let float = |v: &Json| {
        float_of(v, path).map_err(|e| ProtoJsonError {
            path: path.to_owned(),
            reason: e.reason,
        })
    };
    Ok(match kind {
        Kind::Double => Value::F64(float(v)?),
        // Narrowing to binary32 is the point of a `float` field.
        #[allow(clippy::cast_possible_truncation)]
        Kind::Float => Value::F32(float(v)? as f32),
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => Value::I32(int_of(v, path)?),
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => Value::I64(int_of(v, path)?),
        Kind::Uint32 | Kind::Fixed32 => Value::U32(int_of(v, path)?),
        Kind::Uint64 | Kind::Fixed64 => Value::U64(int_of(v, path)?),
        Kind::Bool => match v {
            Json::Bool(b) => Value::Bool(*b),
            _ => return err(path, format!("expected a boolean, found {v}")),
        },
        Kind::String => match v {
            Json::String(s) => Value::String(s.clone()),
            _ => return err(path, format!("expected a string, found {v}")),
        },
        Kind::Bytes => match v {
            Json::String(s) => {
                let b = base64_of(s, path).map_err(|e| ProtoJsonError {
                    path: path.to_owned(),
                    reason: e.reason,
                })?;
                Value::Bytes(b.into())
            }
            _ => return err(path, format!("expected a base64 string, found {v}")),
        },
        Kind::Enum(e) => match v {
            Json::String(s) => match e.get_value_by_name(s) {
                Some(ev) => Value::EnumNumber(ev.number()),
                None => return err(path, format!("`{s}` is not a value of {}", e.full_name())),
            },
            _ => Value::EnumNumber(int_of(v, path)?),
        },
        Kind::Message(m) => Value::Message(message_from(m, v, path)?),
    })
}
