//! Avro schema rendering (placeholder until the renderer lands).
use crate::model::Model;
use crate::SchemaError;

/// A rendered Avro schema.
#[derive(Debug)]
pub struct AvroSchema {
    json: String,
}

impl AvroSchema {
    /// The schema as JSON text.
    pub fn json(&self) -> &str {
        &self.json
    }
}

/// Renders the Avro schema of a model.
pub fn render(model: &'static Model) -> Result<AvroSchema, SchemaError> {
    Ok(AvroSchema { json: format!("{{\"type\":\"record\",\"name\":\"{}\"}}", model.name) })
}
