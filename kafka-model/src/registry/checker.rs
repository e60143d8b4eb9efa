//! The compatibility hook of the embedded registry.
//!
//! [`MemoryRegistry`](super::MemoryRegistry) asks a [`CompatibilityChecker`] whether a new
//! schema may join a subject. The registry picks the earlier schemas to compare with (the latest
//! live version, or all live versions for `*_TRANSITIVE` levels) and the checker decides.
//!
//! The default, [`LocalChecker`], is this crate's own checker ([`crate::compat`]), which agrees
//! with Confluent's and Apache Avro's published verdicts: Avro by the spec's resolution rules,
//! Protobuf by Confluent's diff rules. [`ResolutionChecker`] uses apache-avro's
//! `SchemaCompatibility::can_read` instead (it disagrees with the reference verdicts on some
//! cases); LocalChecker falls back to it only for Avro schemas with references, which the
//! local checker does not resolve. JSON Schema is checked by Confluent's JSON Schema rules
//! ([`crate::compat::json`]), except schemas with references (their `$ref`s name other
//! subjects' documents), which pass with a `tracing` debug line.

use std::fmt::Debug;

use apache_avro::schema_compatibility::SchemaCompatibility;

use super::{CompatibilityLevel, Schema, SchemaType};

/// Decides whether a schema is compatible with earlier schemas of a subject.
///
/// ```
/// use kafka_model::registry::{CompatibilityChecker, CompatibilityLevel, ResolutionChecker, Schema};
///
/// let v1 = Schema::avro(r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#);
/// // Adding a field without a default breaks BACKWARD (new readers cannot fill it in).
/// let v2 = Schema::avro(r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}"#);
/// let checker = ResolutionChecker;
/// assert!(!checker.check(CompatibilityLevel::Backward, &v2, &[&v1], &[]).is_empty());
/// assert!(checker.check(CompatibilityLevel::Forward, &v2, &[&v1], &[]).is_empty());
/// assert!(checker.check(CompatibilityLevel::None, &v2, &[&v1], &[]).is_empty());
/// ```
pub trait CompatibilityChecker: Send + Sync + Debug {
    /// Checks `new` against `previous` (oldest first; already narrowed to the latest version for
    /// non-transitive levels) under `level`. `resolved` holds the texts of the schemas that
    /// `new`'s references point to, so named types can be resolved. Answers the reasons it is
    /// incompatible: empty means compatible.
    fn check(
        &self,
        level: CompatibilityLevel,
        new: &Schema,
        previous: &[&Schema],
        resolved: &[String],
    ) -> Vec<String>;
}

/// The default checker: [`crate::compat`] for Avro, Protobuf (text) and JSON schemas.
///
/// ```
/// use kafka_model::registry::{CompatibilityChecker, CompatibilityLevel, LocalChecker, Schema};
///
/// let v1 = Schema::avro(r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#);
/// let v2 = Schema::avro(r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}"#);
/// let reasons = LocalChecker.check(CompatibilityLevel::Backward, &v2, &[&v1], &[]);
/// assert!(reasons.iter().any(|r| r.contains("b")), "{reasons:?}");
/// assert!(LocalChecker.check(CompatibilityLevel::Forward, &v2, &[&v1], &[]).is_empty());
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct LocalChecker;

impl CompatibilityChecker for LocalChecker {
    fn check(
        &self,
        level: CompatibilityLevel,
        new: &Schema,
        previous: &[&Schema],
        resolved: &[String],
    ) -> Vec<String> {
        if level == CompatibilityLevel::None || previous.is_empty() {
            return Vec::new();
        }
        let format = match new.schema_type {
            SchemaType::Avro if resolved.is_empty() => crate::compat::Format::Avro,
            SchemaType::Avro => return ResolutionChecker.check(level, new, previous, resolved),
            SchemaType::Protobuf => crate::compat::Format::Protobuf,
            SchemaType::Json if resolved.is_empty() => crate::compat::Format::Json,
            _ => {
                tracing::debug!(schema_type = %new.schema_type, "no local compatibility check for this schema type; accepting");
                return Vec::new();
            }
        };
        if let Some(old) = previous.iter().find(|p| p.schema_type != new.schema_type) {
            return vec![format!(
                "schema type {} differs from the earlier {}",
                new.schema_type, old.schema_type
            )];
        }
        let texts: Vec<&str> = previous.iter().map(|p| p.schema.as_str()).collect();
        match crate::compat::check(format, level, &new.schema, &texts) {
            Ok(report) => report.issues.iter().map(ToString::to_string).collect(),
            // Protobuf registered as a base64 descriptor (what Python's client sends) is not
            // .proto text: the registry already validated it, so it is accepted unchecked.
            Err(e) if format == crate::compat::Format::Protobuf => {
                tracing::debug!(error = %e, "protobuf schema is not .proto text; accepting without a compatibility check");
                Vec::new()
            }
            Err(e) => vec![format!("schema does not parse: {e}")],
        }
    }
}

/// apache-avro's resolution check for every level; other types pass unchecked.
#[derive(Debug, Clone, Copy, Default)]
pub struct ResolutionChecker;

impl CompatibilityChecker for ResolutionChecker {
    fn check(
        &self,
        level: CompatibilityLevel,
        new: &Schema,
        previous: &[&Schema],
        resolved: &[String],
    ) -> Vec<String> {
        if level == CompatibilityLevel::None || previous.is_empty() {
            return Vec::new();
        }
        let mut messages = Vec::new();
        if new.schema_type != SchemaType::Avro {
            tracing::debug!(
                schema_type = %new.schema_type,
                "no local compatibility check for this schema type; accepting"
            );
            return messages;
        }
        let parse = |text: &str| {
            apache_avro::Schema::parse_str_with_list(text, resolved.iter()).map(|(s, _)| s)
        };
        let new_parsed = match parse(&new.schema) {
            Ok(s) => s,
            Err(e) => return vec![format!("the new schema does not parse: {e}")],
        };
        for (i, old) in previous.iter().enumerate() {
            if old.schema_type != new.schema_type {
                messages.push(format!(
                    "schema type {} differs from the earlier {}",
                    new.schema_type, old.schema_type
                ));
                continue;
            }
            let old_parsed = match parse(&old.schema) {
                Ok(s) => s,
                Err(e) => {
                    messages.push(format!("earlier schema #{i} does not parse: {e}"));
                    continue;
                }
            };
            if level.is_backward() {
                if let Err(e) = SchemaCompatibility::can_read(&old_parsed, &new_parsed) {
                    messages.push(format!(
                        "BACKWARD: the new schema cannot read data written with an earlier one: {e}"
                    ));
                }
            }
            if level.is_forward() {
                if let Err(e) = SchemaCompatibility::can_read(&new_parsed, &old_parsed) {
                    messages.push(format!(
                        "FORWARD: an earlier schema cannot read data written with the new one: {e}"
                    ));
                }
            }
        }
        messages
    }
}
