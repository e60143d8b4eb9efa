//! The typed error of the serializers and deserializers.

use crate::registry::RegistryError;
use crate::wire::WireError;
use crate::{CodecError, SchemaError};

/// Serializing or deserializing a record failed. One pointer wide (the details are boxed), so
/// every `Result<_, SerdeError>` of the hot path stays small; [`kind`](Self::kind) answers what
/// went wrong ([`SerdeErrorKind`]), and every kind names the topic and, where one is known, the
/// schema id and the subject ([`topic`](Self::topic), [`id`](Self::id),
/// [`subject`](Self::subject)).
///
/// ```
/// use kafka_model::serdes::{SerdeError, SerdeErrorKind};
///
/// let e = SerdeError::from(SerdeErrorKind::UnknownId { topic: "orders".into(), id: "7".into(), subject: None, source: None });
/// assert_eq!(e.to_string(), "topic `orders`: unknown schema id 7");
/// assert!(matches!(e.kind(), SerdeErrorKind::UnknownId { id, .. } if id == "7"));
/// assert_eq!((e.topic(), e.id(), e.subject()), (Some("orders"), Some("7"), None));
/// assert!(!e.is_retriable());
/// assert_eq!(std::mem::size_of::<SerdeError>(), std::mem::size_of::<usize>());
/// ```
pub struct SerdeError {
    kind: Box<SerdeErrorKind>,
}

/// What went wrong in a [`SerdeError`]. Every variant names the topic, and where one is known,
/// the schema id and the subject.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SerdeErrorKind {
    /// A registry request failed (other than "not found", which has its own variants).
    #[error("topic `{topic}`, subject `{subject}`: registry request failed: {source}")]
    Registry {
        /// The topic.
        topic: String,
        /// The subject (or the id asked for, when fetching by id).
        subject: String,
        /// The registry's error.
        #[source]
        source: RegistryError,
    },
    /// `auto_register` is off and the subject holds no such schema.
    #[error("topic `{topic}`: subject `{subject}` has no registered schema for `{record}` and auto_register is off; register it first")]
    NotRegistered {
        /// The topic.
        topic: String,
        /// The subject looked in.
        subject: String,
        /// The record's full name.
        record: String,
        /// The registry's answer.
        #[source]
        source: RegistryError,
    },
    /// No schema has the id the frame carries.
    #[error("topic `{topic}`: unknown schema id {id}")]
    UnknownId {
        /// The topic.
        topic: String,
        /// The id (`7`, `guid …`, `globalId 5`, `fingerprint …`).
        id: String,
        /// The subject, when known.
        subject: Option<String>,
        /// The registry's answer.
        #[source]
        source: Option<RegistryError>,
    },
    /// The writer schema describes another record than the one asked for.
    #[error(
        "topic `{topic}`, schema id {id}: the writer record is `{writer}`, expected `{expected}`"
    )]
    WrongRecord {
        /// The topic.
        topic: String,
        /// The writer schema id.
        id: String,
        /// The subject, when known.
        subject: Option<String>,
        /// The writer's record full name.
        writer: String,
        /// What the reader expects (a full name, or a list for polymorphic readers).
        expected: String,
    },
    /// The writer schema cannot be read as the reader's type (Avro schema resolution failed).
    #[error("topic `{topic}`, schema id {id}: writer schema `{writer}` is incompatible with `{reader}`: {reason}")]
    Incompatible {
        /// The topic.
        topic: String,
        /// The writer schema id.
        id: String,
        /// The subject, when known.
        subject: Option<String>,
        /// The writer's record full name.
        writer: String,
        /// The reader's record full name.
        reader: String,
        /// Why.
        reason: String,
    },
    /// The writer schema fetched from the registry does not parse, or is of another format.
    #[error("topic `{topic}`, schema id {id}: unusable writer schema: {reason}")]
    InvalidSchema {
        /// The topic.
        topic: String,
        /// The writer schema id.
        id: String,
        /// What is wrong.
        reason: String,
    },
    /// The framing or the payload is malformed.
    #[error("topic `{topic}`{}: malformed payload: {source}", id.as_ref().map(|i| format!(", schema id {i}")).unwrap_or_default())]
    Malformed {
        /// The topic.
        topic: String,
        /// The writer schema id, when the frame was read.
        id: Option<String>,
        /// The subject, when known.
        subject: Option<String>,
        /// The wire or codec error.
        #[source]
        source: MalformedCause,
    },
    /// The value broke its validators (`#[record(validate)]`).
    #[error("topic `{topic}`: validation failed:\n{source}")]
    Validation {
        /// The topic.
        topic: String,
        /// Every problem.
        #[source]
        source: crate::validate::ValidationErrors,
    },
    /// The value could not be encoded.
    #[error("topic `{topic}`, subject `{subject}`: encoding failed: {source}")]
    Encode {
        /// The topic.
        topic: String,
        /// The subject.
        subject: String,
        /// The codec's error.
        #[source]
        source: CodecError,
    },
    /// The type's own schema could not be rendered.
    #[error("the schema of `{record}` cannot be rendered: {source}")]
    Schema {
        /// The Rust type.
        record: &'static str,
        /// Why.
        #[source]
        source: SchemaError,
    },
    /// The configuration cannot work (e.g. a GUID wire format with a registry that has no GUIDs).
    #[error("serde configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
}

/// What made a payload malformed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MalformedCause {
    /// The framing (magic byte, id, message indexes, headers).
    #[error(transparent)]
    Wire(#[from] WireError),
    /// The encoded value.
    #[error(transparent)]
    Codec(#[from] CodecError),
    /// The Protobuf message of a generic read.
    #[error("{0}")]
    Other(String),
}

impl SerdeError {
    /// A copy for the callers that waited on the operation that failed with `self` (see
    /// `cache::OnceMap`): exact for the errors fetching and planning produce (registry,
    /// unknown id, wrong record, incompatible, invalid schema, configuration); others become a
    /// configuration error carrying their message.
    pub(crate) fn shared(&self) -> SerdeError {
        use SerdeErrorKind as K;
        match self.kind() {
            K::Registry {
                topic,
                subject,
                source,
            } => K::Registry {
                topic: topic.clone(),
                subject: subject.clone(),
                source: source.clone(),
            },
            K::NotRegistered {
                topic,
                subject,
                record,
                source,
            } => K::NotRegistered {
                topic: topic.clone(),
                subject: subject.clone(),
                record: record.clone(),
                source: source.clone(),
            },
            K::UnknownId {
                topic,
                id,
                subject,
                source,
            } => K::UnknownId {
                topic: topic.clone(),
                id: id.clone(),
                subject: subject.clone(),
                source: source.clone(),
            },
            K::WrongRecord {
                topic,
                id,
                subject,
                writer,
                expected,
            } => K::WrongRecord {
                topic: topic.clone(),
                id: id.clone(),
                subject: subject.clone(),
                writer: writer.clone(),
                expected: expected.clone(),
            },
            K::Incompatible {
                topic,
                id,
                subject,
                writer,
                reader,
                reason,
            } => K::Incompatible {
                topic: topic.clone(),
                id: id.clone(),
                subject: subject.clone(),
                writer: writer.clone(),
                reader: reader.clone(),
                reason: reason.clone(),
            },
            K::InvalidSchema { topic, id, reason } => K::InvalidSchema {
                topic: topic.clone(),
                id: id.clone(),
                reason: reason.clone(),
            },
            other => K::Config {
                message: other.to_string(),
            },
        }
        .into()
    }

    /// What went wrong.
    #[inline]
    pub fn kind(&self) -> &SerdeErrorKind {
        &self.kind
    }

    /// What went wrong, by value.
    pub fn into_kind(self) -> SerdeErrorKind {
        *self.kind
    }

    /// The topic, for every kind but [`Schema`](SerdeErrorKind::Schema) and
    /// [`Config`](SerdeErrorKind::Config).
    pub fn topic(&self) -> Option<&str> {
        use SerdeErrorKind as K;
        match &*self.kind {
            K::Registry { topic, .. }
            | K::NotRegistered { topic, .. }
            | K::UnknownId { topic, .. }
            | K::WrongRecord { topic, .. }
            | K::Incompatible { topic, .. }
            | K::InvalidSchema { topic, .. }
            | K::Malformed { topic, .. }
            | K::Validation { topic, .. }
            | K::Encode { topic, .. } => Some(topic),
            K::Schema { .. } | K::Config { .. } => None,
        }
    }

    /// The subject, when known.
    pub fn subject(&self) -> Option<&str> {
        use SerdeErrorKind as K;
        match &*self.kind {
            K::Registry { subject, .. }
            | K::NotRegistered { subject, .. }
            | K::Encode { subject, .. } => Some(subject),
            K::UnknownId { subject, .. }
            | K::WrongRecord { subject, .. }
            | K::Incompatible { subject, .. }
            | K::Malformed { subject, .. } => subject.as_deref(),
            _ => None,
        }
    }

    /// The schema id (`7`, `guid …`, `globalId 5`, `fingerprint …`), when known.
    pub fn id(&self) -> Option<&str> {
        use SerdeErrorKind as K;
        match &*self.kind {
            K::UnknownId { id, .. }
            | K::WrongRecord { id, .. }
            | K::Incompatible { id, .. }
            | K::InvalidSchema { id, .. } => Some(id),
            K::Malformed { id, .. } => id.as_deref(),
            _ => None,
        }
    }

    /// Whether trying again later may succeed (a registry transport error or 5xx).
    pub fn is_retriable(&self) -> bool {
        match &*self.kind {
            SerdeErrorKind::Registry { source, .. } => source.is_retriable(),
            SerdeErrorKind::UnknownId {
                source: Some(source),
                ..
            } => source.is_retriable(),
            _ => false,
        }
    }
}

impl From<SerdeErrorKind> for SerdeError {
    // Errors are the cold path: keep the boxing out of the callers' hot code.
    #[cold]
    #[inline(never)]
    fn from(kind: SerdeErrorKind) -> Self {
        SerdeError {
            kind: Box::new(kind),
        }
    }
}

impl std::fmt::Debug for SerdeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.kind, f)
    }
}

impl std::fmt::Display for SerdeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&*self.kind, f)
    }
}

impl std::error::Error for SerdeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&*self.kind)
    }
}
