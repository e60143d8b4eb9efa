//! Reading records without a Rust type: values built from the writer schema.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use super::error::{MalformedCause, SerdeError, SerdeErrorKind};
use super::writer::{id_text, Parsed, WriterCache};
use super::SerdeFormat;
use crate::export::ModelEntry;
use crate::registry::SchemaRegistry;
use crate::wire::{Field, Headers, PrefixIds, SchemaId, WireReader};

/// A value decoded from its writer schema.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum GenericValue {
    /// An Avro value.
    Avro(apache_avro::types::Value),
    /// A JSON value.
    Json(serde_json::Value),
    /// A Protobuf message.
    Protobuf(prost_reflect::DynamicMessage),
}

/// One record read without a Rust type.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct GenericRecord {
    /// The writer schema id.
    pub id: SchemaId,
    /// The writer's record full name (Avro name, Protobuf message, JSON Schema title).
    pub full_name: Option<String>,
    /// The value.
    pub value: GenericValue,
    /// The model linked into this binary under that full name
    /// ([`linked_models`](crate::export::linked_models)), if any.
    pub model: Option<ModelEntry>,
}

/// The linked model with a full name (`#[derive(Record)]` types and `export::register!`).
///
/// ```
/// use kafka_model::Record;
/// #[derive(Record, serde::Serialize, serde::Deserialize)]
/// #[record(namespace = "com.acme.lookup")]
/// struct Found { a: i32 }
///
/// let entry = kafka_model::serdes::model_by_name("com.acme.lookup.Found").expect("linked");
/// assert_eq!(entry.full_name(), "com.acme.lookup.Found");
/// assert!(kafka_model::serdes::model_by_name("com.acme.lookup.Missing").is_none());
/// ```
pub fn model_by_name(full_name: &str) -> Option<ModelEntry> {
    static BY_NAME: OnceLock<HashMap<String, ModelEntry>> = OnceLock::new();
    BY_NAME
        .get_or_init(|| {
            crate::export::linked_models()
                .into_iter()
                .map(|e| (e.full_name(), e))
                .collect()
        })
        .get(full_name)
        .copied()
}

/// A deserializer that needs no Rust type: it decodes with the writer schema alone.
///
/// ```
/// use std::sync::Arc;
/// use kafka_model::registry::MemoryRegistry;
/// use kafka_model::serdes::{GenericDeserializer, GenericValue, Serializer, SerializerConfig};
/// use kafka_model::Record;
///
/// #[derive(Record, serde::Serialize, serde::Deserialize)]
/// #[record(namespace = "com.acme")]
/// struct Ping { seq: u32 }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let registry = Arc::new(MemoryRegistry::new());
/// let ser = Serializer::<Ping>::new(registry.clone(), SerializerConfig::avro())?;
/// let (payload, headers) = ser.serialize("pings", &Ping { seq: 3 }).await?;
/// let record = GenericDeserializer::new(registry).deserialize("pings", &payload, &headers).await?;
/// assert_eq!(record.full_name.as_deref(), Some("com.acme.Ping"));
/// let GenericValue::Avro(apache_avro::types::Value::Record(fields)) = record.value else { panic!() };
/// assert_eq!(fields[0], ("seq".to_string(), apache_avro::types::Value::Long(3)));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct GenericDeserializer {
    writers: Arc<WriterCache>,
    field: Field,
    prefix_ids: PrefixIds,
}

impl std::fmt::Debug for GenericDeserializer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GenericDeserializer")
            .field("field", &self.field)
            .finish()
    }
}

impl GenericDeserializer {
    /// A deserializer of values over `registry`.
    pub fn new(registry: Arc<dyn SchemaRegistry>) -> Self {
        GenericDeserializer {
            writers: Arc::new(WriterCache::new(registry)),
            field: Field::Value,
            prefix_ids: PrefixIds::Confluent,
        }
    }

    /// Reads keys instead of values.
    pub fn key(mut self) -> Self {
        self.field = Field::Key;
        self
    }

    /// Sets how prefix ids are read (Apicurio payload mode).
    pub fn prefix_ids(mut self, ids: PrefixIds) -> Self {
        self.prefix_ids = ids;
        self
    }

    /// Decodes one record with its writer schema.
    pub async fn deserialize<H: Headers + ?Sized>(
        &self,
        topic: &str,
        payload: &[u8],
        headers: &H,
    ) -> Result<GenericRecord, SerdeError> {
        let malformed = |id: Option<SchemaId>, source: MalformedCause| SerdeErrorKind::Malformed {
            topic: topic.to_string(),
            id: id.map(id_text),
            subject: None,
            source,
        };
        let reader = WireReader::new(self.field).prefix_ids(self.prefix_ids);
        let frame = reader
            .parse(Some(payload), headers)
            .map_err(|e| malformed(None, e.into()))?
            .ok_or_else(|| {
                malformed(
                    None,
                    MalformedCause::Other("a tombstone has no value".into()),
                )
            })?;
        let id = frame.id.ok_or_else(|| {
            malformed(
                None,
                MalformedCause::Other("the record carries no schema id".into()),
            )
        })?;
        let writer = self.writers.get(topic, id).await?;
        let (indexes, body) = if writer.format() == SerdeFormat::Protobuf {
            let f = reader
                .message_indexes(true)
                .parse(Some(payload), headers)
                .map_err(|e| malformed(Some(id), e.into()))?
                .ok_or_else(|| malformed(Some(id), MalformedCause::Other("tombstone".into())))?;
            (f.indexes, f.payload)
        } else {
            (None, frame.payload)
        };
        let full_name = writer.record_name(indexes.as_ref());
        let value = match &writer.parsed {
            Parsed::Avro {
                schema, schemata, ..
            } => GenericValue::Avro(
                // Bounded (depth, lengths), unlike apache-avro's recursive decoder.
                crate::value::generic::decode_avro(schema, schemata, body)
                    .map_err(|e| malformed(Some(id), crate::CodecError::AvroDecode(e).into()))?,
            ),
            Parsed::Json { .. } => GenericValue::Json(
                serde_json::from_slice(body)
                    .map_err(|e| malformed(Some(id), MalformedCause::Other(e.to_string())))?,
            ),
            Parsed::Protobuf { .. } => {
                let path = indexes.as_ref().map(|p| p.as_slice()).unwrap_or(&[0]);
                let desc = writer
                    .message(path)
                    .ok_or_else(|| SerdeErrorKind::WrongRecord {
                        topic: topic.to_string(),
                        id: id_text(id),
                        subject: None,
                        writer: format!("(no message at {path:?})"),
                        expected: "a message of the writer schema".into(),
                    })?;
                GenericValue::Protobuf(
                    prost_reflect::DynamicMessage::decode(desc, body)
                        .map_err(|e| malformed(Some(id), MalformedCause::Other(e.to_string())))?,
                )
            }
        };
        let model = full_name.as_deref().and_then(model_by_name);
        Ok(GenericRecord {
            id,
            full_name,
            value,
            model,
        })
    }
}
