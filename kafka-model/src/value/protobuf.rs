//! Protobuf binary ⇄ JSON by descriptors compiled at run time, with no Rust type: a `.proto`
//! file compiled with protox, the message decoded into a prost-reflect `DynamicMessage`, and
//! the value written in the interop vectors' convention (`interop/README.md`, "Value
//! convention"), which `kafka-model decode`/`encode` print and read:
//!
//! * every field by its `.proto` name; fields with presence (proto3 `optional`, messages) are
//!   `null` when absent; a oneof appears once, under its name, as `null` or `{member: value}`;
//! * 64-bit integers are JSON integers (not quoted); floats are numbers or `"NaN"`,
//!   `"Infinity"`, `"-Infinity"`; bytes are standard base64;
//! * an enum value is its name (a number the enum does not declare stays a number);
//! * map keys are strings, sorted; `google.protobuf.Timestamp` is an RFC 3339 UTC string.
//!
//! Decoding untrusted bytes is prost's: length prefixes are checked against the input before
//! anything is allocated, and messages and groups nest at most 100 deep (prost's recursion
//! limit), so the JSON built from them is bounded the same way.
//!
//! ```
//! use kafka_model::value::protobuf::{self, ProtoFile};
//!
//! let dir = std::env::temp_dir().join(format!("kafka-model-value-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let path = dir.join("ping.proto");
//! std::fs::write(&path, r#"syntax = "proto3"; package acme;
//!     message Ping { int64 seq = 1; optional string note = 2; repeated bytes blobs = 3; }"#)?;
//! let file = ProtoFile::compile(&path, &[])?;
//! let ping = file.first_message()?;
//! assert_eq!(ping.full_name(), "acme.Ping");
//! assert_eq!(protobuf::message_indexes(&ping), [0]);
//!
//! let value = serde_json::json!({"seq": 3, "note": null, "blobs": ["aGk="]});
//! let bytes = protobuf::encode(&ping, &value)?;
//! assert_eq!(bytes, [0x08, 3, 0x1a, 2, b'h', b'i']);
//! assert_eq!(protobuf::decode(&ping, &bytes)?, value);
//!
//! let err = protobuf::encode(&ping, &serde_json::json!({"seq": "x"})).unwrap_err();
//! assert_eq!(err.path(), "/seq");
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

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

use super::avro::{base64_of, f32_to_f64, float_json, float_of};
use super::InputError;
use crate::compat::protobuf::ProtoSource;

/// A value that does not fit the message, bytes that are not one, or a schema that cannot be
/// used; with where in the value (a `/field/0` path) it happened.
///
/// ```
/// # use kafka_model::value::protobuf::ProtoFile;
/// use kafka_model::value::protobuf::ProtobufValueErrorKind;
///
/// let err = ProtoFile::compile("/nonexistent/x.proto".as_ref(), &[]).unwrap_err();
/// assert!(matches!(err.kind(), ProtobufValueErrorKind::Compile { .. }));
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}{kind}", if path.is_empty() { String::new() } else { format!("at {path}: ") })]
pub struct ProtobufValueError {
    path: String,
    kind: ProtobufValueErrorKind,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ProtobufValueErrorKind {
    /// The `.proto` file (or one it imports) does not compile.
    #[error("{file}: {reason}")]
    Compile {
        /// The file given.
        file: String,
        /// protox's message.
        reason: String,
    },
    /// No message of that name, at those indexes, or none at all in the file.
    #[error("{0}")]
    NoMessage(String),
    /// The bytes are not a message of the type (prost's reason names the field and the
    /// problem: wire type, truncation, recursion limit).
    #[error("invalid {message} message: {reason}")]
    Decode {
        /// The message's full name.
        message: String,
        /// prost's reason.
        reason: String,
    },
    /// The JSON value does not have the shape the field asks for, or a string does not spell
    /// a timestamp or base64.
    #[error(transparent)]
    Input(#[from] InputError),
    /// An object key the message declares neither as a field nor as a oneof.
    #[error("{message} has no field `{field}`")]
    UnknownField {
        /// The message's full name.
        message: String,
        /// The key.
        field: String,
    },
    /// `{member: value}` naming no member of the oneof.
    #[error("oneof {oneof} has no member `{member}`")]
    UnknownMember {
        /// The oneof.
        oneof: String,
        /// The key given.
        member: String,
    },
    /// A map key that does not parse as the key type.
    #[error("invalid map key `{key}` for {kind}")]
    MapKey {
        /// The key.
        key: String,
        /// The key type (prost-reflect's `Kind`, as debug text).
        kind: String,
    },
    /// A string that names no value of the enum.
    #[error("`{value}` is not a value of {enum_name}")]
    UnknownEnumValue {
        /// The string.
        value: String,
        /// The enum's full name.
        enum_name: String,
    },
    /// prost-reflect refused the value for the field.
    #[error("{0}")]
    Set(String),
}

impl ProtobufValueError {
    fn new(kind: ProtobufValueErrorKind) -> Self {
        ProtobufValueError {
            path: String::new(),
            kind,
        }
    }

    /// Where in the value (`/field/0`, a map key as it is), empty at the top.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What went wrong.
    pub fn kind(&self) -> &ProtobufValueErrorKind {
        &self.kind
    }

    #[cold]
    fn within(mut self, segment: &str) -> Self {
        self.path = format!("/{segment}{}", self.path);
        self
    }
}

fn fail<T>(kind: ProtobufValueErrorKind) -> Result<T, ProtobufValueError> {
    Err(ProtobufValueError::new(kind))
}

fn mismatch<T>(expected: impl Into<String>, found: &Json) -> Result<T, ProtobufValueError> {
    Err(InputError::mismatch(expected, found).into())
}

fn no_message<T>(text: String) -> Result<T, ProtobufValueError> {
    fail(ProtobufValueErrorKind::NoMessage(text))
}

fn set_err(e: impl ToString) -> ProtobufValueError {
    ProtobufValueError::new(ProtobufValueErrorKind::Set(e.to_string()))
}

impl From<InputError> for ProtobufValueError {
    fn from(e: InputError) -> Self {
        ProtobufValueError::new(ProtobufValueErrorKind::Input(e))
    }
}

/// A compiled `.proto` file.
#[derive(Debug, Clone)]
pub struct ProtoFile {
    file: FileDescriptor,
}

impl ProtoFile {
    /// Compiles `path`, finding imports in `includes` and then in the file's own directory
    /// (the well-known `google/protobuf/*` files are built in).
    pub fn compile(path: &Path, includes: &[PathBuf]) -> Result<Self, ProtobufValueError> {
        let mut roots: Vec<PathBuf> = includes.to_vec();
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        roots.push(parent);
        let fail = |e: protox::Error| {
            ProtobufValueError::new(ProtobufValueErrorKind::Compile {
                file: path.display().to_string(),
                reason: e.to_string(),
            })
        };
        let mut compiler = protox::Compiler::new(&roots).map_err(fail)?;
        compiler.include_imports(true);
        compiler.open_file(path).map_err(fail)?;
        let Some(name) = compiler
            .files()
            .find(|f| !f.is_import())
            .map(|f| f.name().to_owned())
        else {
            return no_message(format!("{}: no file compiled", path.display()));
        };
        match compiler.descriptor_pool().get_file_by_name(&name) {
            Some(file) => Ok(ProtoFile { file }),
            None => no_message(format!("{name}: not in the descriptor pool")),
        }
    }

    /// Compiles a file already loaded with its imports (import name → text), as
    /// [`compat::protobuf`](crate::compat::protobuf) loads them.
    pub fn from_source(source: &ProtoSource) -> Result<Self, ProtobufValueError> {
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
        let fail = |e: protox::Error| {
            ProtobufValueError::new(ProtobufValueErrorKind::Compile {
                file: source.name.clone(),
                reason: e.to_string(),
            })
        };
        let mut compiler = protox::Compiler::with_file_resolver(resolver);
        compiler.include_imports(true);
        compiler.open_file(&source.name).map_err(fail)?;
        match compiler.descriptor_pool().get_file_by_name(&source.name) {
            Some(file) => Ok(ProtoFile { file }),
            None => no_message(format!("{}: not in the descriptor pool", source.name)),
        }
    }

    /// The message named `full_name` (`acme.orders.v1.Order`, a leading `.` allowed).
    pub fn message(&self, full_name: &str) -> Result<MessageDescriptor, ProtobufValueError> {
        let name = full_name.trim_start_matches('.');
        match self.file.parent_pool().get_message_by_name(name) {
            Some(m) => Ok(m),
            None => no_message(format!("no message `{name}` in {}", self.file.name())),
        }
    }

    /// The message at a Confluent message-index path (`[0]` = the file's first message,
    /// `[2, 1]` = the second message nested in the third).
    pub fn message_at(&self, path: &[u32]) -> Result<MessageDescriptor, ProtobufValueError> {
        let missing = || {
            ProtobufValueError::new(ProtobufValueErrorKind::NoMessage(format!(
                "message indexes {path:?} name no message"
            )))
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
    pub fn first_message(&self) -> Result<MessageDescriptor, ProtobufValueError> {
        match self.file.messages().next() {
            Some(m) => Ok(m),
            None => no_message(format!("{} declares no message", self.file.name())),
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
pub fn decode(desc: &MessageDescriptor, bytes: &[u8]) -> Result<Json, ProtobufValueError> {
    let msg = DynamicMessage::decode(desc.clone(), bytes).map_err(|e| {
        ProtobufValueError::new(ProtobufValueErrorKind::Decode {
            message: desc.full_name().to_owned(),
            reason: e.to_string(),
        })
    })?;
    Ok(message_json(&msg))
}

/// Encodes a JSON value as a message of type `desc`.
pub fn encode(desc: &MessageDescriptor, value: &Json) -> Result<Vec<u8>, ProtobufValueError> {
    Ok(message_from(desc, value)?.encode_to_vec())
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
        Value::F32(f) => float_json(f32_to_f64(*f)),
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
) -> Result<DynamicMessage, ProtobufValueError> {
    let mut msg = DynamicMessage::new(desc.clone());
    if desc.full_name() == TIMESTAMP {
        if let Json::String(s) = value {
            let t = DateTime::parse_from_rfc3339(s)
                .map_err(|e| InputError::invalid_text("RFC 3339 timestamp", s, e))?;
            msg.try_set_field_by_name("seconds", Value::I64(t.timestamp()))
                .map_err(set_err)?;
            let nanos = i32::try_from(t.timestamp_subsec_nanos()).unwrap_or(0);
            msg.try_set_field_by_name("nanos", Value::I32(nanos))
                .map_err(set_err)?;
            return Ok(msg);
        }
    }
    let Some(obj) = value.as_object() else {
        return mismatch(format!("an object ({})", desc.full_name()), value);
    };
    for (key, v) in obj {
        set_member(desc, &mut msg, key, v).map_err(|e| e.within(key))?;
    }
    Ok(msg)
}

/// Sets the field or oneof `key` of `msg` from `v` (`null`: left unset).
fn set_member(
    desc: &MessageDescriptor,
    msg: &mut DynamicMessage,
    key: &str,
    v: &Json,
) -> Result<(), ProtobufValueError> {
    if let Some(field) = desc.get_field_by_name(key) {
        if !v.is_null() {
            let value = field_from(&field, v)?;
            msg.try_set_field(&field, value).map_err(set_err)?;
        }
    } else if let Some(oneof) = desc.oneofs().find(|o| o.name() == key) {
        if !v.is_null() {
            let one = v.as_object().filter(|m| m.len() == 1);
            let Some((member, inner)) = one.and_then(|m| m.iter().next()) else {
                return mismatch("null or a one-key object {member: value}", v);
            };
            let Some(field) = oneof.fields().find(|f| f.name() == member) else {
                return fail(ProtobufValueErrorKind::UnknownMember {
                    oneof: key.to_owned(),
                    member: member.clone(),
                });
            };
            let value = field_from(&field, inner).map_err(|e| e.within(member))?;
            msg.try_set_field(&field, value).map_err(set_err)?;
        }
    } else {
        return fail(ProtobufValueErrorKind::UnknownField {
            message: desc.full_name().to_owned(),
            field: key.to_owned(),
        });
    }
    Ok(())
}

fn field_from(field: &FieldDescriptor, v: &Json) -> Result<Value, ProtobufValueError> {
    if field.is_map() {
        let Kind::Message(entry) = field.kind() else {
            return fail(ProtobufValueErrorKind::Set(
                "map field without an entry type".into(),
            ));
        };
        let (key_kind, value_kind) = (
            entry.map_entry_key_field().kind(),
            entry.map_entry_value_field().kind(),
        );
        let Some(obj) = v.as_object() else {
            return mismatch("an object (map)", v);
        };
        let mut out = HashMap::with_capacity(obj.len());
        for (k, x) in obj {
            let entry =
                map_key(&key_kind, k).and_then(|key| Ok((key, single_from(&value_kind, x)?)));
            let (key, value) = entry.map_err(|e| e.within(k))?;
            out.insert(key, value);
        }
        Ok(Value::Map(out))
    } else if field.is_list() {
        let Some(items) = v.as_array() else {
            return mismatch("an array", v);
        };
        let kind = field.kind();
        items
            .iter()
            .enumerate()
            .map(|(i, x)| single_from(&kind, x).map_err(|e| e.within(&i.to_string())))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::List)
    } else {
        single_from(&field.kind(), v)
    }
}

fn map_key(kind: &Kind, k: &str) -> Result<MapKey, ProtobufValueError> {
    let bad = || {
        ProtobufValueError::new(ProtobufValueErrorKind::MapKey {
            key: k.to_owned(),
            kind: format!("{kind:?}"),
        })
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

fn int_of<T: TryFrom<i128>>(v: &Json) -> Result<T, ProtobufValueError> {
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
        None => mismatch("an integer in range", v),
    }
}

fn single_from(kind: &Kind, v: &Json) -> Result<Value, ProtobufValueError> {
    let float = |v: &Json| float_of(v).map_err(ProtobufValueError::from);
    Ok(match kind {
        Kind::Double => Value::F64(float(v)?),
        // Narrowing to binary32 is the point of a `float` field.
        #[allow(clippy::cast_possible_truncation)]
        Kind::Float => Value::F32(float(v)? as f32),
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => Value::I32(int_of(v)?),
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => Value::I64(int_of(v)?),
        Kind::Uint32 | Kind::Fixed32 => Value::U32(int_of(v)?),
        Kind::Uint64 | Kind::Fixed64 => Value::U64(int_of(v)?),
        Kind::Bool => match v {
            Json::Bool(b) => Value::Bool(*b),
            _ => return mismatch("a boolean", v),
        },
        Kind::String => match v {
            Json::String(s) => Value::String(s.clone()),
            _ => return mismatch("a string", v),
        },
        Kind::Bytes => match v {
            Json::String(s) => Value::Bytes(base64_of(s)?.into()),
            _ => return mismatch("a base64 string", v),
        },
        Kind::Enum(e) => match v {
            Json::String(s) => match e.get_value_by_name(s) {
                Some(ev) => Value::EnumNumber(ev.number()),
                None => {
                    return fail(ProtobufValueErrorKind::UnknownEnumValue {
                        value: s.clone(),
                        enum_name: e.full_name().to_owned(),
                    })
                }
            },
            _ => Value::EnumNumber(int_of(v)?),
        },
        Kind::Message(m) => Value::Message(message_from(m, v)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> ProtoFile {
        let source = ProtoSource {
            name: "t.proto".into(),
            text: text.into(),
            dependencies: Vec::new(),
        };
        ProtoFile::from_source(&source).expect("compiles")
    }

    #[test]
    fn paths_name_the_field_and_the_element() {
        let f = file(
            r#"syntax = "proto3"; message M { repeated int32 xs = 1; map<string, M> kids = 2;
               oneof pick { string s = 3; int64 n = 4; } }"#,
        );
        let m = f.first_message().expect("message");
        let e = encode(&m, &serde_json::json!({"xs": [1, "x"]})).expect_err("bad element");
        assert_eq!(e.path(), "/xs/1");
        assert!(matches!(
            e.kind(),
            ProtobufValueErrorKind::Input(InputError::Mismatch { .. })
        ));
        let e = encode(&m, &serde_json::json!({"kids": {"a": {"zz": 1}}})).expect_err("no zz");
        assert_eq!(e.path(), "/kids/a/zz");
        let e = encode(&m, &serde_json::json!({"pick": {"q": 1}})).expect_err("no member q");
        assert_eq!(e.path(), "/pick");
        let v = serde_json::json!({"xs": [1, 2], "kids": {"a": {"xs": [], "kids": {}, "pick": null}},
            "pick": {"n": 7}});
        assert_eq!(
            decode(&m, &encode(&m, &v).expect("encode")).expect("decode"),
            v
        );
    }

    #[test]
    fn deep_and_truncated_messages_are_errors() {
        let f = file(r#"syntax = "proto3"; message N { N next = 1; }"#);
        let n = f.first_message().expect("message");
        // 200 levels of `next`, each a length-delimited field around the next.
        let mut b: Vec<u8> = Vec::new();
        for _ in 0..200 {
            let mut outer = vec![0x0a];
            prost::encoding::encode_varint(b.len() as u64, &mut outer);
            outer.extend_from_slice(&b);
            b = outer;
        }
        let e = decode(&n, &b).expect_err("deeper than prost's limit");
        assert!(
            matches!(e.kind(), ProtobufValueErrorKind::Decode { .. }),
            "{e}"
        );
        let e = decode(&n, &[0x0a, 0x05, 0x0a]).expect_err("truncated");
        assert!(e.to_string().starts_with("invalid N message"), "{e}");
    }
}
