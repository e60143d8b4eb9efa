//! # kafka-model
//!
//! Schema-governed Kafka messages from plain Rust types. `#[derive(Record)]` describes a type
//! once; its Avro schema, Protobuf schema and JSON Schema are rendered from that description,
//! and `dumps`/`loads` encode it with the model's codec.
//!
//! ```
//! use kafka_model::Record;
//! use serde::{Deserialize, Serialize};
//!
//! /// A customer order.
//! #[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
//! #[record(namespace = "com.acme.orders")]
//! struct Order {
//!     id: String,
//!     qty: i32,
//!     note: Option<String>,
//! }
//!
//! let order = Order { id: "o-1".into(), qty: 2, note: None };
//! let bytes = order.dumps()?;
//! assert_eq!(Order::loads(&bytes)?, order);
//! # Ok::<(), kafka_model::CodecError>(())
//! ```
#![warn(missing_docs)]

pub mod avro;
pub mod base64;
pub mod codec;
pub mod compat;
mod derive_support;
mod error;
mod field_type;
pub mod model;
pub mod protobuf;
pub mod registry;
pub mod schema;
pub mod validate;
pub mod wire;

pub use error::{CodecError, SchemaError};
pub use kafka_model_derive::Record;
pub use model::{FieldType, Model};

use schema::{AvroSchema, JsonSchema, ProtoSchema, SchemaCache};

/// A schema-described message type. Derive it with `#[derive(Record)]`.
pub trait Record:
    FieldType + serde::Serialize + serde::de::DeserializeOwned + Sized + 'static
{
    /// The type's description, from which every schema and codec is rendered.
    fn model() -> &'static Model;

    /// The type's schema cache (one `static` per type).
    #[doc(hidden)]
    fn schema_cache() -> &'static SchemaCache;

    /// The Avro schema, rendered on first use.
    fn avro_schema() -> Result<&'static AvroSchema, SchemaError> {
        Self::schema_cache().avro(Self::model())
    }

    /// The Protobuf (proto3) schema, rendered on first use.
    fn proto_schema() -> Result<&'static ProtoSchema, SchemaError> {
        Self::schema_cache().proto(Self::model())
    }

    /// The JSON Schema (draft-07), rendered on first use.
    fn json_schema() -> Result<&'static JsonSchema, SchemaError> {
        Self::schema_cache().json(Self::model())
    }

    /// Encodes the value with the model's default codec (`serializer`, `"json"` unless set).
    fn dumps(&self) -> Result<Vec<u8>, CodecError> {
        self.dumps_with(Self::model().serializer)
    }

    /// Encodes the value with the named codec.
    fn dumps_with(&self, codec: &str) -> Result<Vec<u8>, CodecError> {
        codec::Codec::parse(codec)?.encode(self)
    }

    /// Decodes a value written with the model's default codec.
    fn loads(bytes: &[u8]) -> Result<Self, CodecError> {
        Self::loads_with(Self::model().serializer, bytes)
    }

    /// Decodes a value written with the named codec.
    fn loads_with(codec: &str, bytes: &[u8]) -> Result<Self, CodecError> {
        codec::Codec::parse(codec)?.decode(bytes)
    }
}

// The README's example is compiled and run as a doctest, so it stays true.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// What the derive's generated code needs; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::codec::check_codec_name;
    pub use crate::derive_support::{check_field, check_variant};
    pub use crate::schema::SchemaCache;
}
