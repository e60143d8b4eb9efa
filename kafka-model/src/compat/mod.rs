//! Local schema-compatibility checks (Confluent's levels) for Avro, Protobuf and JSON Schema.
//!
//! A team finds a breaking schema change in `cargo test` or CI, before a registry or a consumer
//! sees it. [`check`] takes the schema about to be registered and the subject's earlier schemas
//! (oldest first) and returns a [`CompatReport`] listing **every** incompatibility, each with a
//! path into the schema and a reason, rather than a bare boolean.
//!
//! * Avro ([`avro`]): the Avro specification's schema-resolution rules, written here (not
//!   apache-avro's checker, which disagrees with Apache Avro Java on some pairs). The reasons are
//!   Apache Avro Java's incompatibility types (`NAME_MISMATCH`, `TYPE_MISMATCH`, ...), the paths
//!   its locations (`/fields/2/type`).
//! * Protobuf ([`protobuf`]): Confluent's protobuf-provider schema diff: every difference
//!   between the two `.proto` files is listed (`FIELD_REMOVED #/Order/3`), and the ones outside
//!   Confluent's compatible set make the change incompatible.
//! * JSON Schema ([`json`]): Confluent's json-schema-provider schema diff (content models,
//!   type widening, bounds, combined schemas), reported the same way
//!   (`OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/note`).
//!
//! CompatibilityLevel semantics are Confluent's: a non-transitive level checks only the **latest** previous
//! schema (the last element of `previous`), a `*_TRANSITIVE` level checks every one, and
//! [`CompatibilityLevel::None`] checks nothing.
//!
//! ```
//! use kafka_model::compat::{self, Format, CompatibilityLevel};
//!
//! let v1 = r#"{"type":"record","name":"Order","fields":[{"name":"id","type":"string"}]}"#;
//! let v2 = r#"{"type":"record","name":"Order","fields":[
//!     {"name":"id","type":"string"},
//!     {"name":"qty","type":"int"}]}"#;
//!
//! let report = compat::check(Format::Avro, CompatibilityLevel::Backward, v2, &[v1])?;
//! assert!(!report.compatible);
//! assert_eq!(report.issues[0].path, "/fields/1");
//! assert_eq!(report.issues[0].kind.to_string(), "READER_FIELD_MISSING_DEFAULT_VALUE");
//!
//! // Forward compatible: old readers skip the new field.
//! assert!(compat::check(Format::Avro, CompatibilityLevel::Forward, v2, &[v1])?.compatible);
//! # Ok::<(), kafka_model::compat::CompatError>(())
//! ```

pub mod avro;
mod java_order;
pub mod json;
mod level;
pub mod protobuf;

pub use level::CompatibilityLevel;

use std::fmt;
use std::str::FromStr;

/// Schema language of the schemas being compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// Avro schema JSON (`.avsc`).
    Avro,
    /// Protobuf source (`.proto`).
    Protobuf,
    /// JSON Schema (draft 4 to 2020-12).
    Json,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Avro => "avro",
            Format::Protobuf => "protobuf",
            Format::Json => "json",
        })
    }
}

impl FromStr for Format {
    type Err = CompatError;

    /// Parses `avro`, `protobuf` or `json` (also `proto`, `jsonschema`, `json-schema`, any
    /// case).
    ///
    /// ```
    /// use kafka_model::compat::Format;
    /// assert_eq!("protobuf".parse::<Format>()?, Format::Protobuf);
    /// assert_eq!("AVRO".parse::<Format>()?, Format::Avro);
    /// assert_eq!("JSON".parse::<Format>()?, Format::Json);
    /// assert!("xml".parse::<Format>().is_err());
    /// # Ok::<(), kafka_model::compat::CompatError>(())
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "avro" => Ok(Format::Avro),
            "protobuf" | "proto" => Ok(Format::Protobuf),
            "json" | "jsonschema" | "json-schema" | "json_schema" => Ok(Format::Json),
            _ => Err(CompatError::UnknownFormat(s.to_owned())),
        }
    }
}

/// Which way data flows in a failed check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// The new schema (reader) cannot read data written with a previous schema.
    Backward,
    /// A previous schema (reader) cannot read data written with the new schema.
    Forward,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::Backward => "backward",
            Direction::Forward => "forward",
        })
    }
}

/// Why a schema cannot read another one's data.
///
/// The Avro kinds are Apache Avro Java's `SchemaIncompatibilityType`s; the Protobuf kinds are
/// Confluent's `Difference.Type`s that are not in its compatible set. [`Display`](fmt::Display)
/// prints the upper-case name (`MISSING_UNION_BRANCH`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IncompatibilityKind {
    /// Avro: named types (record, enum, fixed) with different unqualified names, and no alias.
    NameMismatch,
    /// Avro: fixed types of different sizes.
    FixedSizeMismatch,
    /// Avro: the writer's enum has symbols the reader lacks, and the reader has no default.
    MissingEnumSymbols,
    /// Avro: a reader field has no writer field and no default.
    ReaderFieldMissingDefaultValue,
    /// Avro: the reader's type cannot read the writer's type (no promotion applies).
    TypeMismatch,
    /// Avro: a writer type (or union branch) that no branch of the reader's union reads.
    MissingUnionBranch,
    /// Protobuf: a breaking difference (see [`protobuf::ChangeType`]).
    Protobuf(protobuf::ChangeType),
    /// JSON Schema: a breaking difference (see [`json::ChangeType`]).
    Json(json::ChangeType),
}

impl IncompatibilityKind {
    /// The upper-case name (`TYPE_MISMATCH`, `FIELD_KIND_CHANGED`).
    pub fn as_str(self) -> &'static str {
        match self {
            IncompatibilityKind::NameMismatch => "NAME_MISMATCH",
            IncompatibilityKind::FixedSizeMismatch => "FIXED_SIZE_MISMATCH",
            IncompatibilityKind::MissingEnumSymbols => "MISSING_ENUM_SYMBOLS",
            IncompatibilityKind::ReaderFieldMissingDefaultValue => {
                "READER_FIELD_MISSING_DEFAULT_VALUE"
            }
            IncompatibilityKind::TypeMismatch => "TYPE_MISMATCH",
            IncompatibilityKind::MissingUnionBranch => "MISSING_UNION_BRANCH",
            IncompatibilityKind::Protobuf(t) => t.as_str(),
            IncompatibilityKind::Json(t) => t.as_str(),
        }
    }
}

impl fmt::Display for IncompatibilityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One reason a schema change breaks compatibility.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incompatibility {
    /// Where: an Avro location (`/fields/2/type`, `/` for the root) or a Protobuf path
    /// (`#/Order/3`, `#/` for the file).
    pub path: String,
    /// The reason.
    pub kind: IncompatibilityKind,
    /// A human-readable detail (`reader type: INT not compatible with writer type: LONG`).
    pub message: String,
    /// Which previous schema it was found against: an index into `previous` (oldest first).
    pub previous: usize,
    /// Whether the new schema failed to read old data, or an old schema to read new data.
    pub direction: Direction,
}

impl fmt::Display for Incompatibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at {} ({} against previous schema #{}): {}",
            self.kind,
            self.path,
            self.direction,
            self.previous + 1,
            self.message
        )
    }
}

/// The outcome of a compatibility check.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CompatReport {
    /// `true` when no incompatibility was found (`issues` is empty).
    pub compatible: bool,
    /// Every incompatibility found, in a stable order: per checked previous schema (oldest
    /// first), backward before forward, then in schema order.
    pub issues: Vec<Incompatibility>,
}

impl CompatReport {
    /// A report holding `issues` (compatible when empty).
    pub fn from_issues(issues: Vec<Incompatibility>) -> Self {
        CompatReport {
            compatible: issues.is_empty(),
            issues,
        }
    }
}

impl fmt::Display for CompatReport {
    /// `compatible`, or `incompatible` followed by one indented line per issue.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.compatible {
            return f.write_str("compatible");
        }
        write!(f, "incompatible ({} issue(s))", self.issues.len())?;
        for issue in &self.issues {
            write!(f, "\n  {issue}")?;
        }
        Ok(())
    }
}

/// Which schema of a check an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchemaRole {
    /// A schema parsed on its own.
    Schema,
    /// The new schema.
    New,
    /// The previous schema at this index (oldest first, from 0).
    Previous(usize),
}

impl fmt::Display for SchemaRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchemaRole::Schema => f.write_str("schema"),
            SchemaRole::New => f.write_str("new schema"),
            SchemaRole::Previous(i) => write!(f, "previous schema #{}", i + 1),
        }
    }
}

/// A compatibility check could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CompatError {
    /// An Avro schema does not parse.
    #[error("{role}: invalid Avro schema: {reason}")]
    InvalidAvro {
        /// Which schema.
        role: SchemaRole,
        /// What is wrong.
        reason: String,
    },
    /// A `.proto` file does not compile.
    #[error("{role}: invalid Protobuf schema: {reason}")]
    InvalidProtobuf {
        /// Which schema.
        role: SchemaRole,
        /// The compiler's message.
        reason: String,
    },
    /// A JSON Schema is not JSON, not a schema, or has a `$ref` that does not resolve.
    #[error("{role}: invalid JSON Schema: {reason}")]
    InvalidJsonSchema {
        /// Which schema.
        role: SchemaRole,
        /// What is wrong.
        reason: String,
    },
    /// Not a known format name.
    #[error("unknown schema format `{0}` (expected avro, protobuf or json)")]
    UnknownFormat(String),
    /// Not a known compatibility level.
    #[error("unknown compatibility level `{0}` (expected NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL or FULL_TRANSITIVE)")]
    UnknownLevel(String),
}

impl CompatError {
    /// The same error about another schema.
    pub(crate) fn with_role(self, role: SchemaRole) -> Self {
        match self {
            CompatError::InvalidAvro { reason, .. } => CompatError::InvalidAvro { role, reason },
            CompatError::InvalidProtobuf { reason, .. } => {
                CompatError::InvalidProtobuf { role, reason }
            }
            CompatError::InvalidJsonSchema { reason, .. } => {
                CompatError::InvalidJsonSchema { role, reason }
            }
            other => other,
        }
    }
}

/// Checks `new` against the subject's `previous` schemas (oldest first) at `level`.
///
/// Schemas are given as text: Avro JSON, self-contained `.proto` source (well-known
/// `google/protobuf/*` imports and `confluent/meta.proto` are available; for other imports use
/// [`protobuf::check`] with [`protobuf::ProtoSource`]) or a JSON Schema document (`$ref`s
/// within the document only).
///
/// # Errors
///
/// [`CompatError::InvalidAvro`] / [`CompatError::InvalidProtobuf`] /
/// [`CompatError::InvalidJsonSchema`] when a schema does not parse
/// (only the schemas the level checks are parsed, plus the new one).
///
/// ```
/// use kafka_model::compat::{check, Format, CompatibilityLevel};
///
/// let v1 = "syntax = \"proto3\";\nmessage Order { string id = 1; int32 qty = 2; }";
/// let v2 = "syntax = \"proto3\";\nmessage Order { string id = 1; string qty = 2; }";
/// let report = check(Format::Protobuf, CompatibilityLevel::Backward, v2, &[v1])?;
/// assert!(!report.compatible);
/// assert_eq!(report.issues[0].to_string(),
///     "FIELD_SCALAR_KIND_CHANGED at #/Order/2 (backward against previous schema #1): \
///      field 2 changed scalar kind: int32 -> string");
/// # Ok::<(), kafka_model::compat::CompatError>(())
/// ```
pub fn check(
    format: Format,
    level: CompatibilityLevel,
    new: &str,
    previous: &[&str],
) -> Result<CompatReport, CompatError> {
    match format {
        Format::Avro => avro::check(level, new, previous),
        Format::Protobuf => {
            let new = protobuf::ProtoSource::new(new);
            let previous: Vec<protobuf::ProtoSource> = previous
                .iter()
                .map(|p| protobuf::ProtoSource::new(*p))
                .collect();
            protobuf::check(level, &new, &previous)
        }
        Format::Json => json::check(level, new, previous),
    }
}
