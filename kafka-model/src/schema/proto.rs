//! Protobuf schema rendering (placeholder until the renderer lands).
use crate::model::Model;
use crate::SchemaError;

/// One `.proto` file.
#[derive(Debug, Clone)]
pub struct ProtoFile {
    /// Path used in `import` statements.
    pub name: String,
    /// The file's text.
    pub text: String,
}

/// A rendered Protobuf schema: the type's file first, then the files it imports.
#[derive(Debug)]
pub struct ProtoSchema {
    files: Vec<ProtoFile>,
}

impl ProtoSchema {
    /// The file declaring the type.
    pub fn main(&self) -> &ProtoFile {
        &self.files[0]
    }
}

/// Renders the Protobuf schema of a model.
pub fn render(model: &'static Model) -> Result<ProtoSchema, SchemaError> {
    Ok(ProtoSchema { files: vec![ProtoFile { name: format!("{}.proto", model.name), text: String::new() }] })
}
