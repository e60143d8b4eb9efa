//! Error types. Each area has its own enum so callers can match on what went wrong.

/// A model cannot be rendered as a schema (found on first use of the schema).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SchemaError {
    /// Two different Rust types claim one schema full name.
    #[error("two types are named `{full_name}`: `{first}` and `{second}`; give one of them another `name` or `namespace`")]
    NameCollision {
        /// The shared full name.
        full_name: String,
        /// The Rust type seen first.
        first: &'static str,
        /// The Rust type seen second.
        second: &'static str,
    },
    /// A field's type has no representation in one schema format.
    #[error("{format}: field `{field}` of `{record}` ({ty}) cannot be expressed: {reason}")]
    Unrepresentable {
        /// `"Avro"`, `"Protobuf"` or `"JSON Schema"`.
        format: &'static str,
        /// The Rust type holding the field.
        record: &'static str,
        /// The field (or variant) name.
        field: &'static str,
        /// The field's type.
        ty: String,
        /// Why, and what to do instead.
        reason: String,
    },
    /// A default value does not fit the field's schema type.
    #[error("default of field `{field}` of `{record}` does not fit its type: {reason}")]
    InvalidDefault {
        /// The Rust type holding the field.
        record: &'static str,
        /// The field name.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The rendered schema was rejected by a schema parser (a bug in rendering: please report).
    #[error("the rendered {format} schema of `{record}` does not parse: {message}")]
    Rejected {
        /// `"Avro"`, `"Protobuf"` or `"JSON Schema"`.
        format: &'static str,
        /// The Rust type.
        record: &'static str,
        /// The parser's message.
        message: String,
    },
}

/// Encoding or decoding a value failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CodecError {
    /// The codec name is not registered.
    #[error("unknown codec `{name}`; registered codecs: {}", known.join(", "))]
    UnknownCodec {
        /// The name asked for.
        name: String,
        /// Every registered name.
        known: Vec<String>,
    },
    /// A built-in stage whose cargo feature this build of kafka-model leaves out.
    #[error("codec stage `{name}` needs kafka-model's cargo feature `{feature}`")]
    StageNotEnabled {
        /// The stage asked for (`gzip`, `zstd`).
        name: String,
        /// The feature that brings it.
        feature: &'static str,
    },
    /// JSON could not be written or read.
    #[error("JSON {op} failed at line {line}, column {column}: {source}")]
    Json {
        /// `"encode"` or `"decode"`.
        op: &'static str,
        /// 1-based line (0 when not from input).
        line: usize,
        /// 1-based column (0 when not from input).
        column: usize,
        /// The serde_json error.
        #[source]
        source: serde_json::Error,
    },
    /// A codec pipeline is malformed (e.g. starts with a byte stage), or a codec name cannot be
    /// registered.
    #[error("invalid codec `{name}`: {reason}")]
    InvalidPipeline {
        /// The pipeline or codec name.
        name: String,
        /// What is wrong.
        reason: String,
    },
    /// A byte stage (`gzip`, `zstd`, `binary`, a user codec) failed.
    #[error("codec stage `{stage}` failed to {op}: {message}")]
    Stage {
        /// The stage name.
        stage: String,
        /// `"encode"` or `"decode"`.
        op: &'static str,
        /// The underlying error.
        message: String,
    },
    /// A decoding stage would output more than the configured bound (a decompression bomb).
    #[error("codec stage `{stage}` output exceeds the limit of {limit} bytes")]
    TooLarge {
        /// The stage name.
        stage: String,
        /// The bound in bytes.
        limit: usize,
    },
    /// The value broke its validators (`#[record(validate)]`): every problem, with its path.
    #[error("validation failed:\n{0}")]
    Validation(crate::validate::ValidationErrors),
    /// `#[record(coerce)]` could not convert a loosely typed JSON value.
    #[error(transparent)]
    Coerce(#[from] crate::validate::CoerceError),
    /// A value cannot be written as Avro (e.g. a `u64` above `i64::MAX`).
    #[error(transparent)]
    AvroEncode(#[from] crate::avro::EncodeError),
    /// Avro bytes are malformed or do not fit the type.
    #[error(transparent)]
    AvroDecode(#[from] crate::avro::DecodeError),
    /// Protobuf bytes are malformed or do not fit the type (or the type is not a message).
    #[error(transparent)]
    Protobuf(#[from] crate::protobuf::Error),
    /// A writer schema cannot be resolved against the type's schema.
    #[error(transparent)]
    AvroResolve(#[from] crate::avro::ResolveError),
    /// The type's Avro schema could not be rendered.
    #[error(transparent)]
    AvroSchema(SchemaError),
}

impl From<crate::validate::ValidationErrors> for CodecError {
    fn from(errors: crate::validate::ValidationErrors) -> Self {
        CodecError::Validation(errors)
    }
}

impl CodecError {
    pub(crate) fn json(op: &'static str, source: serde_json::Error) -> Self {
        CodecError::Json {
            op,
            line: source.line(),
            column: source.column(),
            source,
        }
    }
}
