//! Typed requests and answers of the registry API, in Confluent's JSON shapes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::RegistryError;

/// The kind of a schema: Confluent's `schemaType` (absent means Avro).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum SchemaType {
    /// Apache Avro (the default).
    #[default]
    Avro,
    /// Protocol Buffers (`.proto` text, or base64 of a `FileDescriptorProto`).
    Protobuf,
    /// JSON Schema.
    Json,
}

impl SchemaType {
    /// The name on the wire: `"AVRO"`, `"PROTOBUF"` or `"JSON"`.
    ///
    /// ```
    /// use kafka_model::registry::SchemaType;
    /// assert_eq!(SchemaType::Protobuf.as_str(), "PROTOBUF");
    /// assert_eq!("json".parse::<SchemaType>().unwrap(), SchemaType::Json);
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            SchemaType::Avro => "AVRO",
            SchemaType::Protobuf => "PROTOBUF",
            SchemaType::Json => "JSON",
        }
    }

    /// Every schema type, in Confluent's order.
    pub const ALL: [SchemaType; 3] = [SchemaType::Avro, SchemaType::Json, SchemaType::Protobuf];
}

impl fmt::Display for SchemaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SchemaType {
    type Err = RegistryError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_uppercase().as_str() {
            "AVRO" => Ok(SchemaType::Avro),
            "PROTOBUF" => Ok(SchemaType::Protobuf),
            "JSON" => Ok(SchemaType::Json),
            _ => Err(RegistryError::InvalidSchema {
                message: format!("unknown schema type `{s}`"),
            }),
        }
    }
}

fn is_avro(t: &SchemaType) -> bool {
    *t == SchemaType::Avro
}

/// A reference from a schema to a schema registered under another subject.
///
/// `name` is the full record name for Avro, the import path (`"other.proto"`) for Protobuf and
/// the `$ref` URL for JSON Schema.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SchemaReference {
    /// How the referencing schema names it.
    pub name: String,
    /// The subject the referenced schema is registered under.
    pub subject: String,
    /// The version of that subject.
    pub version: i32,
}

impl SchemaReference {
    /// A reference to `subject` version `version`, named `name` in the referencing schema.
    pub fn new(name: impl Into<String>, subject: impl Into<String>, version: i32) -> Self {
        SchemaReference {
            name: name.into(),
            subject: subject.into(),
            version,
        }
    }
}

/// A schema: its type, its text and its references.
///
/// Serialises as Confluent's request body (`{"schema": …, "schemaType": …, "references": …}`,
/// `schemaType` omitted for Avro, `references` omitted when empty).
///
/// ```
/// use kafka_model::registry::{Schema, SchemaType};
///
/// let s = Schema::avro(r#"{"type":"string"}"#);
/// assert_eq!(serde_json::to_string(&s).unwrap(), r#"{"schema":"{\"type\":\"string\"}"}"#);
/// let p = Schema::new(SchemaType::Protobuf, "syntax = \"proto3\"; message M {}");
/// assert!(serde_json::to_string(&p).unwrap().contains(r#""schemaType":"PROTOBUF""#));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Schema {
    /// The schema text.
    pub schema: String,
    /// Its type (`AVRO` when absent).
    #[serde(rename = "schemaType", default, skip_serializing_if = "is_avro")]
    pub schema_type: SchemaType,
    /// Schemas it references, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<SchemaReference>,
}

impl Schema {
    /// A schema of the given type without references.
    pub fn new(schema_type: SchemaType, schema: impl Into<String>) -> Self {
        Schema {
            schema: schema.into(),
            schema_type,
            references: Vec::new(),
        }
    }

    /// An Avro schema.
    pub fn avro(schema: impl Into<String>) -> Self {
        Schema::new(SchemaType::Avro, schema)
    }

    /// A Protobuf schema (`.proto` text).
    pub fn protobuf(schema: impl Into<String>) -> Self {
        Schema::new(SchemaType::Protobuf, schema)
    }

    /// A JSON Schema.
    pub fn json(schema: impl Into<String>) -> Self {
        Schema::new(SchemaType::Json, schema)
    }

    /// Adds a reference.
    pub fn with_reference(mut self, reference: SchemaReference) -> Self {
        self.references.push(reference);
        self
    }
}

/// What registering a schema answered: its id and, on servers that say so, its version and GUID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    /// The schema id (global: the same schema under two subjects has one id).
    pub id: i64,
    /// The version under the subject (newer Confluent servers and the embedded registry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i32>,
    /// The schema's GUID (Confluent 8.0+ and the embedded registry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
}

/// A schema registered under a subject at a version (Confluent's `Schema` answer of
/// `GET /subjects/{s}/versions/{v}` and `POST /subjects/{s}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredSchema {
    /// The subject.
    pub subject: String,
    /// The schema id.
    pub id: i64,
    /// The version under the subject.
    pub version: i32,
    /// The schema's GUID, when the server has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
    /// The schema.
    #[serde(flatten)]
    pub schema: Schema,
}

/// Which version of a subject: a number or the latest.
///
/// ```
/// use kafka_model::registry::Version;
/// assert_eq!(Version::Latest.to_string(), "latest");
/// assert_eq!(Version::from(3).to_string(), "3");
/// assert_eq!("latest".parse::<Version>().unwrap(), Version::Latest);
/// assert_eq!("-1".parse::<Version>().unwrap(), Version::Latest);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    /// The newest live version.
    Latest,
    /// A version number (1-based).
    Number(i32),
}

impl From<i32> for Version {
    fn from(v: i32) -> Self {
        Version::Number(v)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Version::Latest => f.write_str("latest"),
            Version::Number(n) => write!(f, "{n}"),
        }
    }
}

impl FromStr for Version {
    type Err = RegistryError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("latest") {
            return Ok(Version::Latest);
        }
        match s.parse::<i32>() {
            Ok(-1) => Ok(Version::Latest),
            Ok(n) if n > 0 => Ok(Version::Number(n)),
            _ => Err(RegistryError::InvalidVersion {
                message: format!(
                    "The specified version '{s}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\""
                ),
            }),
        }
    }
}

/// A subject and one of its versions (answer of `GET /schemas/ids/{id}/versions`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SubjectVersion {
    /// The subject.
    pub subject: String,
    /// The version.
    pub version: i32,
}

macro_rules! wire_enum {
    ($(#[$m:meta])* $name:ident, $err:ident, $what:literal { $($(#[$vm:meta])* $variant:ident = $text:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $text)] $variant,)*
        }

        impl $name {
            /// The name on the wire.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = RegistryError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.to_ascii_uppercase().as_str() {
                    $($text => Ok($name::$variant),)*
                    _ => Err(RegistryError::$err { message: format!(concat!("Invalid ", $what, " {}"), s) }),
                }
            }
        }
    };
}

wire_enum! {
    /// A registry mode (Confluent's `Mode`).
    Mode, InvalidMode, "mode" {
        /// Reads and writes.
        ReadWrite = "READWRITE",
        /// Reads only.
        ReadOnly = "READONLY",
        /// Reads only, overriding subject modes (deprecated).
        ReadOnlyOverride = "READONLY_OVERRIDE",
        /// Registration with given ids and versions (migrations).
        Import = "IMPORT",
        /// Forwarding to another registry.
        Forward = "FORWARD",
    }
}

/// The answer of a compatibility test.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CompatibilityResult {
    /// Whether the schema is compatible.
    pub is_compatible: bool,
    /// Why not (when asked for with `verbose`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<String>,
}
