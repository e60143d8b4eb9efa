//! What a client checks in a schema a server answered before caching it: that it parses as its
//! type says. An answer that does not (a proxy's error page with status 200, a truncated or
//! corrupted schema) is an [`RegistryError::InvalidResponse`] and is not cached, so the next
//! call asks again instead of serving the bad text until restart.
//!
//! The check is what can be done without the schema's references: an Avro schema without
//! references is parsed fully (apache-avro), one with references and a JSON Schema must be
//! JSON, a Protobuf schema must parse as `.proto` text or a base64 descriptor (imports are not
//! resolved).

use super::{RegistryError, Schema, SchemaType};

/// Why `schema` does not parse, if it does not.
pub(crate) fn parse_problem(schema: &Schema) -> Option<String> {
    match schema.schema_type {
        SchemaType::Avro if schema.references.is_empty() => {
            apache_avro::Schema::parse_str(&schema.schema)
                .err()
                .map(|e| format!("the Avro schema does not parse: {e}"))
        }
        SchemaType::Avro | SchemaType::Json => {
            serde_json::from_str::<serde::de::IgnoredAny>(&schema.schema)
                .err()
                .map(|e| format!("the schema is not JSON: {e}"))
        }
        SchemaType::Protobuf => crate::serdes::proto_syntax(&schema.schema).err(),
    }
}

/// `schema`, or the error saying the answer to `request` held no usable schema.
pub(crate) fn checked(request: &str, schema: Schema) -> Result<Schema, RegistryError> {
    match parse_problem(&schema) {
        None => Ok(schema),
        Some(problem) => {
            tracing::warn!(request, %problem, "the registry answered a schema that does not parse");
            Err(RegistryError::InvalidResponse {
                request: request.to_string(),
                message: problem,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_that_parse_pass_and_others_do_not() {
        assert!(parse_problem(&Schema::avro(r#""string""#)).is_none());
        assert!(parse_problem(&Schema::avro("not a schema")).is_some());
        assert!(parse_problem(&Schema::avro(r#"{"type":"record","name":"X"}"#)).is_some());
        assert!(parse_problem(&Schema::json(r#"{"type":"object"}"#)).is_none());
        assert!(parse_problem(&Schema::json(r#"{"type":"#)).is_some());
        assert!(parse_problem(&Schema::protobuf(
            "syntax = \"proto3\"; import \"other.proto\"; message M { other.O o = 1; }"
        ))
        .is_none());
        assert!(parse_problem(&Schema::protobuf("syntax = \"proto3\"; message {")).is_some());
    }
}
