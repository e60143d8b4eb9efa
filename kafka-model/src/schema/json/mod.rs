//! JSON Schema (draft-07) rendering.
//!
//! The schema describes exactly what `serde_json` writes for the type: the model's names are
//! serde's names, so the JSON produced by `dumps()` (with the `json` codec) validates against
//! it. Draft-07 is what Confluent's JSON Schema serializers and Schema Registry accept.
//!
//! | Model | JSON Schema |
//! | --- | --- |
//! | `bool` | `{"type": "boolean"}` |
//! | `i8` `i16` `i32` `u8` `u16` `u32` | `{"type": "integer", "minimum": MIN, "maximum": MAX}` |
//! | `i64` / `u64` | `{"type": "integer"}` / `{"type": "integer", "minimum": 0}` |
//! | `f32` / `f64` | `{"type": "number"}` |
//! | `String` | `{"type": "string"}` |
//! | `Vec<u8>`, `bytes::Bytes` | array of integers 0..=255 (serde's default), or `{"type": "string", "contentEncoding": "base64"}` with `#[serde(with = "kafka_model::base64")]` |
//! | `[u8; N]` | the same, with `minItems`/`maxItems` N (or the base64 string's exact length) |
//! | `Uuid` / `DateTime<Utc>` / `NaiveDate` | string with `format` `uuid` / `date-time` / `date` |
//! | `Decimal` | string matching `^-?[0-9]+(\.[0-9]+)?$` (rust_decimal's serde writes strings) |
//! | `Option<T>` | `{"oneOf": [{"type": "null"}, T]}` |
//! | `Vec<T>` / map | `{"type": "array", "items": T}` / `{"type": "object", "additionalProperties": T}` |
//! | record | `{"type": "object", "properties": ..., "required": ..., "additionalProperties": false}` (no `additionalProperties` with `#[record(open_content)]`) |
//! | tuple struct | `{"type": "array", "items": [...], "additionalItems": false, "minItems": k}` (k: 1 + the last field without a serde default; a last `#[record(rest)] Vec<T>` field makes `additionalItems` T's schema, none for `serde_json::Value`) |
//! | unit-only enum | `{"type": "string", "enum": [...]}` |
//! | enum with data | `oneOf`, one branch per variant, following the serde tagging |
//!
//! The root type's schema sits at the top level (with `$schema`, `title` and `description`);
//! every other named type reached through a field is defined once under `definitions` by its
//! full name and referenced as `{"$ref": "#/definitions/<full name>"}`. A reference back to the
//! root type (recursion) is `{"$ref": "#"}`. Struct variants of an enum are written inline (serde
//! writes their fields inside the variant), so they never appear under `definitions`.
//!
//! A field is required unless it is an `Option` (but not one with `#[record(no_default)]`, or
//! `#[record(null_last)]` without a default), has a serde default or may be skipped when
//! serializing (`skip_serializing_if`). An `Option` skipped when `None`
//! (`skip_serializing_if = "Option::is_none"`) is its inner type, not nullable: serde never
//! writes `null` for it. Field docs become `description`, data-governance tags
//! become `"confluent:tags"` (Confluent's keyword), and a serde default becomes `default`,
//! written the way serde would write the value. When a field's schema is a bare `$ref`, those
//! keywords are placed next to `{"allOf": [{"$ref": ...}]}`, because draft-07 ignores the
//! siblings of `$ref`.
//!
//! **Content model.** A record's object is *closed* (`"additionalProperties": false`) unless the
//! type says `#[record(open_content)]`. That is what Confluent's own JSON Schema serializer
//! generates from a class (its default `json.fail.unknown.properties=true` makes the generator
//! write `"additionalProperties": false` and the deserializer reject unknown properties), and
//! under Confluent's JSON Schema compatibility rules ([`crate::compat::json`]) it decides which
//! changes a registry accepts:
//!
//! | change of a type | closed (default) | open (`#[record(open_content)]`) |
//! | --- | --- | --- |
//! | add an optional field (`Option<T>`, or with a serde default) | BACKWARD | FORWARD |
//! | remove an optional field | FORWARD | BACKWARD |
//!
//! Neither model lets a field be both added and removed under FULL: pick the model after the
//! level of the subject (BACKWARD, the registry default, wants closed). An open object says
//! "any other property, of any type, may be here", so adding one narrows what the old schema
//! accepted; a closed one says "nothing else", so old data never holds the new field.
//! serde agrees with both: it never writes a property the schema does not list, and by default
//! it ignores unknown properties when reading, so it reads everything either model accepts.
//! `#[serde(deny_unknown_fields)]` (reject unknown properties) fits only the closed model, so
//! combining it with `open_content` is a compile error.
//!
//! Field validators (`#[record(min = .., max_len = .., choices = [..], pattern = "..")]`, see
//! [`crate::validate`]) become `minimum` / `maximum`, `minLength` / `maxLength` (strings),
//! `minItems` / `maxItems` (lists, bytes as arrays), `minProperties` / `maxProperties` (maps),
//! `enum`, `pattern` and `multipleOf`, on the value they apply to (list items and map values for value
//! rules, through `Option`); a bound never loosens the type's own range. Date, timestamp and
//! decimal bounds and the length of base64 bytes have no draft-07 keyword and are left out.
//! The validators of a top-level newtype (`struct Code(#[record(max_len = 8)] String);`,
//! [`Shape::Primitive`]) constrain the root the same way.
//!
//! Limits, each a choice made to describe serde's output exactly:
//! - A variant whose payload is a record with no fields is taken to be a unit variant (serde
//!   writes `"V"`); the model does not tell a unit variant from an empty struct variant `V {}`
//!   (which serde writes as `{"V": {}}`).
//! - Internally tagged enums (`#[serde(tag = "...")]`) can hold unit variants, struct variants
//!   and newtype variants of a record; any other newtype variant is
//!   [`SchemaError::Unrepresentable`], as serde cannot write it either.
//! - A newtype variant carries no field attributes, so its bytes are always serde's default
//!   array of numbers.
//! - Non-finite floats are written by serde_json as `null`, which the `number` schema rejects
//!   (and which serde cannot read back into a float anyway).
//! - `time::OffsetDateTime` and `time::Date` are written by the `time` crate's default serde
//!   impls as arrays, not strings; use `time::serde::rfc3339` (and `iso8601` for dates) so that
//!   the values match `date-time` / `date`. Likewise rust_decimal's `serde-float` feature would
//!   write decimals as numbers.
//!
//! Key order: [`Json::text`] is written from an ordered tree, so its keys come in a fixed,
//! readable order (`$schema`, `title`, `description`, `type`, `properties`, `required`, ...,
//! `definitions`), whatever the features of `serde_json`. [`Json::value`] is a
//! [`serde_json::Value`]: its objects iterate in `serde_json::Map` order, which is sorted by key
//! unless some crate in the build enables serde_json's `preserve_order` feature.

mod constraints;
mod defaults;
mod format;
mod refs;
mod render;
#[cfg(test)]
mod tests;
mod tree;

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Number, Value};

use crate::model::{
    named_types, Constant, Field, FieldOptions, IntKind, Literal, MapKey, Model, OptionUnion,
    Payload, Shape, Symbol, Tagging, Type, Union, Validator, Variant,
};
use crate::SchemaError;

// Each concern's shared items are `pub(super)`; gathered here, siblings reach one another
// through their `use super::*`.
use constraints::*;
use defaults::*;
use format::*;
use render::*;
use tree::*;

const FORMAT: &str = "JSON Schema";
const DRAFT_07: &str = "http://json-schema.org/draft-07/schema#";
const DECIMAL_PATTERN: &str = r"^-?[0-9]+(\.[0-9]+)?$";
/// Confluent's keyword for data-governance tags on a property.
const TAGS_KEYWORD: &str = "confluent:tags";

/// A rendered JSON Schema (draft-07).
#[derive(Debug)]
pub struct Json {
    value: Value,
    text: String,
}

impl Json {
    /// The schema as a JSON value (object keys in `serde_json::Map` order; see the module docs).
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The schema as pretty-printed JSON text, with a stable, readable key order.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// Renders the JSON Schema of a model.
///
/// # Errors
///
/// [`SchemaError::NameCollision`] when two reachable types share a full name,
/// [`SchemaError::Unrepresentable`] for an enum serde cannot tag internally, and
/// [`SchemaError::InvalidDefault`] for a default that does not fit its field's type.
pub fn render(model: &'static Model) -> Result<Json, SchemaError> {
    // Every named type, in depth-first order of first use; also the collision check.
    let all = named_types(model)?;
    let mut r = Renderer {
        root_name: model.full_name(),
        referenced: Vec::new(),
    };

    let body = r.model_body(model)?;

    // Render every type referenced through `$ref`; rendering one may reference more.
    let mut definitions: Vec<(usize, String, Obj)> = Vec::new();
    let mut next = 0;
    while let Some(&m) = r.referenced.get(next) {
        next += 1;
        let mut def = Obj::new();
        if let Some(doc) = m.doc {
            def.push("description", Node::str(doc));
        }
        def.extend(r.model_body(m)?);
        let full = m.full_name();
        let order = all
            .iter()
            .position(|a| a.full_name() == full)
            .unwrap_or(usize::MAX);
        definitions.push((order, full, def));
    }
    definitions.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));

    let mut root = Obj::new();
    root.push("$schema", Node::str(DRAFT_07));
    if let Some(id) = model.json_id {
        root.push("$id", Node::str(id));
    }
    root.push("title", Node::str(model.name));
    if let Some(doc) = model.doc {
        root.push("description", Node::str(doc));
    }
    root.extend(body);
    if !definitions.is_empty() {
        let mut defs = Obj::new();
        for (_, name, def) in definitions {
            defs.push(&name, def.into_node());
        }
        root.push("definitions", defs.into_node());
    }

    let root = root.into_node();
    let text = serde_json::to_string_pretty(&root).map_err(|e| SchemaError::Rejected {
        format: FORMAT,
        record: model.rust_name,
        message: e.to_string(),
    })?;
    Ok(Json {
        value: root.to_value(),
        text,
    })
}
