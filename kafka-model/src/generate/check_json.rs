//! The generator's promise for JSON Schema, checked where the generated code is compiled: a
//! type's rendered JSON Schema and the schema it was generated from differ in nothing that
//! Confluent's schema diff sees, in either direction.

use serde_json::Value as Json;

use super::SchemaMismatch;
use crate::compat::json::{diff_values, one_of_distinct_types_as_any_of, Policy};
use crate::Record;

/// Compares `T`'s rendered JSON Schema with `input` (a JSON Schema document) by Confluent's
/// schema diff ([`crate::compat::json::diff`]) both ways: from the input to the rendered
/// schema and back, each must list no difference (so titles, descriptions, defaults, bounds,
/// `required` and the content model count; `$ref`s are followed, so inline and referenced
/// objects compare equal). Before comparing, both go through
/// [`one_of_distinct_types_as_any_of`] (the derive writes `Option<T>` as a `oneOf`, a schema
/// often as a `type` list), and when the input has no root `title` the rendered one (the
/// derive always writes the type's name) is left out: a Rust type needs a name, the schema
/// did not give one, and a title constrains nothing.
///
/// ```
/// use kafka_model::Record;
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Record, Serialize, Deserialize)]
/// struct Ping {
///     seq: i64,
///     note: Option<String>,
/// }
///
/// let same = r#"{"type": "object", "additionalProperties": false,
///     "properties": {"seq": {"type": "integer"}, "note": {"type": ["string", "null"]}},
///     "required": ["seq"]}"#;
/// kafka_model::generate::check_json::<Ping>(same).unwrap();
/// let other = same.replace("integer", "string");
/// let err = kafka_model::generate::check_json::<Ping>(&other).unwrap_err();
/// assert!(err.to_string().contains("#/properties/seq"), "{err}");
/// ```
pub fn check_json<T: Record>(input: &str) -> Result<(), SchemaMismatch> {
    let type_name = std::any::type_name::<T>().to_string();
    let unusable = |message: String| SchemaMismatch::Unusable {
        type_name: type_name.clone(),
        message,
    };
    let schema = T::schemas()
        .json()
        .map_err(|e| unusable(format!("renders no JSON Schema: {e}")))?;
    let mut ours = schema.value().clone();
    let mut theirs: Json =
        serde_json::from_str(input).map_err(|e| unusable(format!("input is not JSON: {e}")))?;
    if theirs.get("title").is_none() {
        if let Some(o) = ours.as_object_mut() {
            o.remove("title");
        }
    }
    one_of_distinct_types_as_any_of(&mut ours);
    one_of_distinct_types_as_any_of(&mut theirs);
    for (from, to, direction) in [
        (&theirs, &ours, "input → rendered"),
        (&ours, &theirs, "rendered → input"),
    ] {
        let changes = diff_values(from, to, Policy::Strict)
            .map_err(|e| unusable(format!("not comparable: {e}")))?;
        if let Some(first) = changes.first() {
            let all: Vec<String> = changes.iter().map(ToString::to_string).collect();
            return Err(SchemaMismatch::Differs {
                type_name,
                at: format!("{} ({direction}: {})", first.path, all.join(", ")),
                ours: ours.to_string(),
                input: theirs.to_string(),
            });
        }
    }
    Ok(())
}
