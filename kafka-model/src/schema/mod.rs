//! Schemas rendered from a [`Model`]: Avro, Protobuf (proto3) and JSON Schema.
//!
//! Each is rendered once per type, on first use, and cached for the life of the process.

pub mod avro;
pub mod json;
pub mod proto;

use std::sync::OnceLock;

use crate::model::Model;
use crate::SchemaError;

pub use avro::AvroSchema;
pub use json::JsonSchema;
pub use proto::{ProtoFile, ProtoSchema};

/// Per-type cache of rendered schemas; the derive gives each type one `static` of these.
#[doc(hidden)]
pub struct SchemaCache {
    avro: OnceLock<Result<AvroSchema, SchemaError>>,
    proto: OnceLock<Result<ProtoSchema, SchemaError>>,
    json: OnceLock<Result<JsonSchema, SchemaError>>,
}

impl SchemaCache {
    /// An empty cache.
    pub const fn new() -> Self {
        SchemaCache {
            avro: OnceLock::new(),
            proto: OnceLock::new(),
            json: OnceLock::new(),
        }
    }

    /// The Avro schema, rendered on first use.
    pub fn avro(&'static self, model: &'static Model) -> Result<&'static AvroSchema, SchemaError> {
        self.avro
            .get_or_init(|| avro::render(model))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The Protobuf schema, rendered on first use.
    pub fn proto(
        &'static self,
        model: &'static Model,
    ) -> Result<&'static ProtoSchema, SchemaError> {
        self.proto
            .get_or_init(|| proto::render(model))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The JSON Schema, rendered on first use.
    pub fn json(&'static self, model: &'static Model) -> Result<&'static JsonSchema, SchemaError> {
        self.json
            .get_or_init(|| json::render(model))
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl Default for SchemaCache {
    fn default() -> Self {
        Self::new()
    }
}
