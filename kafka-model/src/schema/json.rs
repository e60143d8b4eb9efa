//! JSON Schema rendering (placeholder until the renderer lands).
use crate::model::Model;
use crate::SchemaError;

/// A rendered JSON Schema (draft-07).
#[derive(Debug)]
pub struct JsonSchema {
    value: serde_json::Value,
}

impl JsonSchema {
    /// The schema as a JSON value.
    pub fn value(&self) -> &serde_json::Value {
        &self.value
    }
}

/// Renders the JSON Schema of a model.
pub fn render(model: &'static Model) -> Result<JsonSchema, SchemaError> {
    Ok(JsonSchema { value: serde_json::json!({ "title": model.name }) })
}
