//! Serializer and deserializer configuration (builders).

use crate::registry::subject::ReferenceSubjectStrategy;
use crate::registry::{SchemaType, SubjectNameStrategy, SubjectRole};
use crate::wire::{Field, IdKind, PrefixIds, WireFormat, WireReader};

/// Which schema format a serializer writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SerdeFormat {
    /// Avro binary, with the type's `.avsc`.
    Avro,
    /// Protobuf, with the type's `.proto` (message-index path `[0]`).
    Protobuf,
    /// JSON, with the type's JSON Schema.
    Json,
}

impl SerdeFormat {
    /// The registry schema type of the format.
    ///
    /// ```
    /// use kafka_model::serdes::SerdeFormat;
    /// use kafka_model::registry::SchemaType;
    /// assert_eq!(SerdeFormat::Protobuf.schema_type(), SchemaType::Protobuf);
    /// ```
    pub fn schema_type(self) -> SchemaType {
        match self {
            SerdeFormat::Avro => SchemaType::Avro,
            SerdeFormat::Protobuf => SchemaType::Protobuf,
            SerdeFormat::Json => SchemaType::Json,
        }
    }

    /// The format of a registry schema type.
    pub fn of(schema_type: SchemaType) -> SerdeFormat {
        match schema_type {
            SchemaType::Avro => SerdeFormat::Avro,
            SchemaType::Protobuf => SerdeFormat::Protobuf,
            SchemaType::Json => SerdeFormat::Json,
        }
    }
}

pub(crate) fn role(field: Field) -> SubjectRole {
    match field {
        Field::Key => SubjectRole::Key,
        Field::Value => SubjectRole::Value,
    }
}

/// How a [`Serializer`](super::Serializer) finds its schema id and frames its output.
///
/// Defaults follow Confluent's serializers: register on first use, subject `<topic>-value`,
/// the 5-byte Confluent prefix.
///
/// ```
/// use kafka_model::serdes::{SerializerConfig, SerdeFormat};
/// use kafka_model::registry::SubjectNameStrategy;
/// use kafka_model::wire::WireFormat;
///
/// let config = SerializerConfig::avro()
///     .auto_register(false)
///     .subject_name_strategy(SubjectNameStrategy::RecordName)
///     .wire_format(WireFormat::ConfluentGuidHeader)
///     .key();
/// assert_eq!(config.format, SerdeFormat::Avro);
/// assert!(!config.auto_register);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SerializerConfig {
    /// The schema format.
    pub format: SerdeFormat,
    /// Register the schema when the subject does not have it (default `true`). Registering is
    /// idempotent: an existing identical schema answers its id.
    pub auto_register: bool,
    /// Use the subject's latest version instead of the type's own schema (default `false`).
    pub use_latest_version: bool,
    /// Use this schema id and ask the registry nothing (default `None`).
    pub use_schema_id: Option<i64>,
    /// Ask the registry to normalize the schema (default `false`).
    pub normalize: bool,
    /// How subjects are named (default `<topic>-value`/`<topic>-key`).
    pub subject_name_strategy: SubjectNameStrategy,
    /// Subjects of Protobuf imports registered as references (default: the import path).
    pub reference_subject_strategy: ReferenceSubjectStrategy,
    /// Key or value (header names, subjects).
    pub field: Field,
    /// The framing (default Confluent's prefix).
    pub wire_format: WireFormat,
    /// Which Apicurio id the Apicurio wire formats carry (the registry's schema id either way).
    pub apicurio_id_kind: IdKind,
}

impl SerializerConfig {
    /// The defaults for a format.
    pub fn new(format: SerdeFormat) -> Self {
        SerializerConfig {
            format,
            auto_register: true,
            use_latest_version: false,
            use_schema_id: None,
            normalize: false,
            subject_name_strategy: SubjectNameStrategy::TopicName,
            reference_subject_strategy: ReferenceSubjectStrategy::Default,
            field: Field::Value,
            wire_format: WireFormat::Confluent,
            apicurio_id_kind: IdKind::ContentId,
        }
    }

    /// Avro defaults.
    pub fn avro() -> Self {
        Self::new(SerdeFormat::Avro)
    }

    /// Protobuf defaults.
    pub fn protobuf() -> Self {
        Self::new(SerdeFormat::Protobuf)
    }

    /// JSON Schema defaults.
    pub fn json() -> Self {
        Self::new(SerdeFormat::Json)
    }

    /// Sets [`auto_register`](Self::auto_register).
    pub fn auto_register(mut self, yes: bool) -> Self {
        self.auto_register = yes;
        self
    }

    /// Sets [`use_latest_version`](Self::use_latest_version).
    pub fn use_latest_version(mut self, yes: bool) -> Self {
        self.use_latest_version = yes;
        self
    }

    /// Sets [`use_schema_id`](Self::use_schema_id).
    pub fn use_schema_id(mut self, id: Option<i64>) -> Self {
        self.use_schema_id = id;
        self
    }

    /// Sets [`normalize`](Self::normalize).
    pub fn normalize(mut self, yes: bool) -> Self {
        self.normalize = yes;
        self
    }

    /// Sets the subject-name strategy.
    pub fn subject_name_strategy(mut self, strategy: SubjectNameStrategy) -> Self {
        self.subject_name_strategy = strategy;
        self
    }

    /// Sets the subject strategy of Protobuf references.
    pub fn reference_subject_strategy(mut self, strategy: ReferenceSubjectStrategy) -> Self {
        self.reference_subject_strategy = strategy;
        self
    }

    /// Serializes keys.
    pub fn key(mut self) -> Self {
        self.field = Field::Key;
        self
    }

    /// Serializes values (the default).
    pub fn value(mut self) -> Self {
        self.field = Field::Value;
        self
    }

    /// Sets key or value.
    pub fn field(mut self, field: Field) -> Self {
        self.field = field;
        self
    }

    /// Sets the wire format.
    pub fn wire_format(mut self, wire: WireFormat) -> Self {
        self.wire_format = wire;
        self
    }

    /// Sets the Apicurio id kind.
    pub fn apicurio_id_kind(mut self, kind: IdKind) -> Self {
        self.apicurio_id_kind = kind;
        self
    }
}

/// How a [`Deserializer`](super::Deserializer) reads frames.
///
/// The wire format is detected per record (headers first, then the prefix), so one
/// deserializer reads Confluent prefixes, GUID headers and Apicurio headers alike.
///
/// ```
/// use kafka_model::serdes::{DeserializerConfig, SerdeFormat};
/// let config = DeserializerConfig::protobuf().key();
/// assert_eq!(config.format, SerdeFormat::Protobuf);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DeserializerConfig {
    /// The schema format expected.
    pub format: SerdeFormat,
    /// Key or value (header names, subjects in messages).
    pub field: Field,
    /// How ids after a `0x00` magic byte are read (Confluent 4 bytes by default).
    pub prefix_ids: PrefixIds,
    /// Names the subject in error messages.
    pub subject_name_strategy: SubjectNameStrategy,
}

impl DeserializerConfig {
    /// The defaults for a format.
    pub fn new(format: SerdeFormat) -> Self {
        DeserializerConfig {
            format,
            field: Field::Value,
            prefix_ids: PrefixIds::Confluent,
            subject_name_strategy: SubjectNameStrategy::TopicName,
        }
    }

    /// Avro defaults.
    pub fn avro() -> Self {
        Self::new(SerdeFormat::Avro)
    }

    /// Protobuf defaults.
    pub fn protobuf() -> Self {
        Self::new(SerdeFormat::Protobuf)
    }

    /// JSON Schema defaults.
    pub fn json() -> Self {
        Self::new(SerdeFormat::Json)
    }

    /// Deserializes keys.
    pub fn key(mut self) -> Self {
        self.field = Field::Key;
        self
    }

    /// Sets key or value.
    pub fn field(mut self, field: Field) -> Self {
        self.field = field;
        self
    }

    /// Sets how prefix ids are read (Apicurio payload mode).
    pub fn prefix_ids(mut self, ids: PrefixIds) -> Self {
        self.prefix_ids = ids;
        self
    }

    /// Sets the subject-name strategy (used to name subjects in errors).
    pub fn subject_name_strategy(mut self, strategy: SubjectNameStrategy) -> Self {
        self.subject_name_strategy = strategy;
        self
    }

    pub(crate) fn reader(&self, indexes: bool) -> WireReader {
        WireReader::new(self.field)
            .message_indexes(indexes)
            .prefix_ids(self.prefix_ids)
    }
}
