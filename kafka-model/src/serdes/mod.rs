//! Registry-aware serializers and deserializers: what producers and consumers call.
//!
//! - [`Serializer<T>`]: registers (or finds) `T`'s Avro, Protobuf or JSON Schema under the
//!   topic's subject on first use, then frames and encodes values with no registry request and
//!   no mutex. [`SerializerConfig`] holds Confluent's options: `auto_register`,
//!   `use_latest_version`, `use_schema_id`, `normalize`, the subject-name strategy, key or
//!   value, and the [`WireFormat`](crate::wire::WireFormat).
//! - [`Deserializer<T>`]: reads the schema id from the headers or the payload, fetches the
//!   writer schema once per id, and decodes into `T` — straight through the generated decoder
//!   when the writer schema is `T`'s own, through Avro schema resolution when it is another
//!   version, by message-index path for Protobuf.
//! - [`GenericDeserializer`]: no Rust type; answers `apache_avro::types::Value`,
//!   `serde_json::Value` or `prost_reflect::DynamicMessage` built from the writer schema, and
//!   the linked model of that name if there is one.
//! - [`PolymorphicDeserializer<E>`] / [`PolymorphicSerializer<E>`]: several record types on one
//!   topic (RecordName / TopicRecordName strategies), dispatched on the writer's full name into
//!   an enum whose variants are the records ([`Polymorphic`], [`polymorphic!`](crate::polymorphic)).
//!
//! # Handing records to a Kafka client
//!
//! `serialize` answers the payload and the headers as plain types (`Vec<u8>` and
//! `Vec<(String, Vec<u8>)>`), so any client takes them. With `rdkafka`:
//!
//! ```ignore
//! use rdkafka::message::{Header, OwnedHeaders as KafkaHeaders};
//! use rdkafka::producer::FutureRecord;
//!
//! let (payload, headers) = serializer.serialize("orders", &order).await?;
//! let mut kafka_headers = KafkaHeaders::new();
//! for (key, value) in &headers {
//!     kafka_headers = kafka_headers.insert(Header { key, value: Some(value) });
//! }
//! let record = FutureRecord::to("orders").key(&key).payload(&payload).headers(kafka_headers);
//! producer.send(record, timeout).await?;
//!
//! // Consumer side: collect the headers into (name, bytes) pairs, then deserialize.
//! let headers: Vec<(String, Vec<u8>)> = message.headers().map(|h| {
//!     h.iter().filter_map(|h| Some((h.key.to_string(), h.value?.to_vec()))).collect()
//! }).unwrap_or_default();
//! let order: Option<Order> = deserializer.deserialize_opt(message.topic(), message.payload(), &headers).await?;
//! ```
//!
//! A tombstone (no payload) is `serialize_opt(topic, None) == Ok(None)` and
//! `deserialize_opt(topic, None, ..) == Ok(None)`: never framed.
//!
//! The example below does the same with the plain types only:
//!
//! ```
//! use std::sync::Arc;
//! use kafka_model::registry::MemoryRegistry;
//! use kafka_model::serdes::{Deserializer, DeserializerConfig, Serializer, SerializerConfig};
//! use kafka_model::wire::WireFormat;
//! use kafka_model::Record;
//!
//! #[derive(Record, serde::Serialize, serde::Deserialize, Debug, PartialEq)]
//! #[record(namespace = "com.acme")]
//! struct Order { id: String, qty: i32 }
//!
//! /// What a Kafka client sends: topic, optional payload, headers.
//! struct Outgoing<'a> { topic: &'a str, payload: Option<Vec<u8>>, headers: Vec<(String, Vec<u8>)> }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let registry = Arc::new(MemoryRegistry::new());
//! let config = SerializerConfig::protobuf().wire_format(WireFormat::ConfluentGuidHeader);
//! let ser = Serializer::<Order>::new(registry.clone(), config)?;
//! let order = Order { id: "o-1".into(), qty: 2 };
//! let (payload, headers) = ser.serialize("orders", &order).await?;
//! let record = Outgoing { topic: "orders", payload: Some(payload), headers };
//! assert_eq!(record.headers[0].0, "__value_schema_id"); // the id travels in a header
//!
//! let de = Deserializer::<Order>::new(registry, DeserializerConfig::protobuf());
//! let back = de.deserialize_opt(record.topic, record.payload.as_deref(), &record.headers).await?;
//! assert_eq!(back, Some(order));
//! # Ok(())
//! # }
//! ```

mod cache;
mod config;
mod deserializer;
mod error;
mod generic;
mod polymorphic;
mod serializer;
mod writer;

#[cfg(feature = "http")]
pub(crate) use writer::proto_syntax;

pub use config::{DeserializerConfig, SerdeFormat, SerializerConfig};
pub use deserializer::Deserializer;
pub use error::{MalformedCause, SerdeError, SerdeErrorKind};
pub use generic::{model_by_name, GenericDeserializer, GenericRecord, GenericValue};
pub use polymorphic::{Polymorphic, PolymorphicDeserializer, PolymorphicSerializer, VariantCodec};
pub use serializer::Serializer;
pub use writer::file_descriptor_proto;
