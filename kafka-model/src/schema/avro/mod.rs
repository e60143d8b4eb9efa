//! Avro schema rendering, Parsing Canonical Form and CRC-64-AVRO (Rabin) fingerprints.
//!
//! [`render`] turns a [`Model`] into Avro schema JSON following the crate's type mapping:
//! named types (records, enums, fixed) are defined in full at their first occurrence
//! (depth-first, fields in order) and referenced by full name afterwards; `Option<T>` is
//! `["null", T]` with `"default": null` (or `[T, "null"]` when the field's default is a value);
//! enums with data are unions. The text is then parsed with [`apache_avro::Schema::parse_str`],
//! so a schema that renders is one `apache_avro` accepts.
//!
//! [`canonical_form`] and [`rabin_fingerprint`] implement the specification's
//! "Parsing Canonical Form for Schemas" and "Schema Fingerprints" (CRC-64-AVRO) on any schema
//! JSON, e.g. one fetched from a registry.
//!
//! ```
//! use kafka_model::schema::avro::{canonical_form, rabin_fingerprint};
//!
//! let schema: serde_json::Value =
//!     serde_json::from_str(r#"{"type": "long", "logicalType": "timestamp-millis"}"#).unwrap();
//! assert_eq!(canonical_form(&schema), r#""long""#);
//! assert_eq!(rabin_fingerprint(br#""int""#), 8247732601305521295);
//! ```
//!
//! One portability note: a type *without* namespace that is referenced a second time from
//! inside a namespaced type is written `".Name"` (leading dot = null namespace). Apache Avro
//! (Java) and `apache_avro` (Rust) resolve that form; fastavro does not. Give such types a
//! namespace when Python consumers are involved.

mod canonical;
mod defaults;
mod fingerprint;
mod names;
mod render;
#[cfg(test)]
mod tests;
mod tree;

use std::collections::{HashMap, HashSet};

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

use crate::model::{
    Field, FieldOptions, IntKind, Literal, Model, OptionUnion, Payload, Shape, TimePrecision, Type,
    Variant,
};
use crate::SchemaError;

pub use canonical::canonical_form;
pub use fingerprint::rabin_fingerprint;
// `generate/` names Rust types with it, by this path.
pub(crate) use crate::schema::naming::pascal_case;

// Each concern's shared items are `pub(super)`; gathered here, siblings reach one another
// through their `use super::*`.
use defaults::*;
use names::*;
use render::*;
use tree::*;

const FORMAT: &str = "Avro";

/// A rendered Avro schema: its JSON text, the parsed [`apache_avro::Schema`], its Parsing
/// Canonical Form and CRC-64-AVRO fingerprint.
#[derive(Debug)]
pub struct Avro {
    json: String,
    schema: apache_avro::Schema,
    canonical: String,
    fingerprint: u64,
}

impl Avro {
    /// The schema as pretty-printed JSON (2-space indent), keys in a fixed order
    /// (`type`, `name`, `namespace`, `doc`, `aliases`, `fields` / `symbols` / `size`, ...).
    pub fn json(&self) -> &str {
        &self.json
    }

    /// The schema text to register: [`json`](Self::json). Every schema kind has `text()`
    /// ([`Proto::text`](crate::schema::Proto::text),
    /// [`Json::text`](crate::schema::Json::text)).
    ///
    /// ```
    /// use kafka_model::Record;
    ///
    /// #[derive(Record, serde::Serialize, serde::Deserialize)]
    /// struct Ping { seq: u32 }
    ///
    /// let avro = Ping::schemas().avro()?;
    /// assert_eq!(avro.text(), avro.json());
    /// assert!(Ping::schemas().proto()?.text().contains("message Ping"));
    /// assert!(Ping::schemas().json()?.text().contains("\"seq\""));
    /// # Ok::<(), kafka_model::SchemaError>(())
    /// ```
    pub fn text(&self) -> &str {
        &self.json
    }

    /// The schema as parsed by `apache_avro`.
    pub fn schema(&self) -> &apache_avro::Schema {
        &self.schema
    }

    /// The schema's Parsing Canonical Form, as defined by the Avro specification.
    pub fn canonical_form(&self) -> &str {
        &self.canonical
    }

    /// The CRC-64-AVRO (Rabin) fingerprint of [`canonical_form`](Self::canonical_form).
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// The fingerprint as 8 little-endian bytes, as Avro single-object encoding writes it
    /// after the `C3 01` marker.
    pub fn fingerprint_bytes(&self) -> [u8; 8] {
        self.fingerprint.to_le_bytes()
    }
}

/// Renders the Avro schema of a model.
///
/// A record or unit-only enum renders as that named type; an enum with data renders as a
/// union (JSON array). Errors: two types sharing a full name ([`SchemaError::NameCollision`]),
/// a type with no Avro form ([`SchemaError::Unrepresentable`]), a default that does not fit
/// ([`SchemaError::InvalidDefault`]), or a schema `apache_avro` refuses
/// ([`SchemaError::Rejected`]).
pub fn render(model: &'static Model) -> Result<Avro, SchemaError> {
    // Collisions between models are found up front, whatever the rendering order.
    crate::model::named_types(model)?;
    let mut renderer = Renderer {
        defined: HashMap::new(),
    };
    let root = match model.shape {
        Shape::Union(_) => J::Arr(renderer.union_branches(model, None)?),
        Shape::Primitive(t, _) => {
            let site = Site {
                record: model,
                field: model.name,
                ty: TyDisplay::Type(t),
            };
            renderer.ty(&t, &site, None, FieldOptions::default())?
        }
        Shape::Record(_) | Shape::Enum(_) | Shape::Fixed(_) | Shape::Duration => {
            let site = Site {
                record: model,
                field: model.name,
                ty: TyDisplay::Name(model.rust_name),
            };
            renderer.named_model(model, None, &site)?
        }
    };
    let rejected = |message: String| SchemaError::Rejected {
        format: FORMAT,
        record: model.rust_name,
        message,
    };
    let json = serde_json::to_string_pretty(&root).map_err(|e| rejected(e.to_string()))?;
    let schema = apache_avro::Schema::parse_str(&json).map_err(|e| rejected(e.to_string()))?;
    let value = serde_json::to_value(&root).map_err(|e| rejected(e.to_string()))?;
    let canonical = canonical_form(&value);
    let fingerprint = rabin_fingerprint(canonical.as_bytes());
    Ok(Avro {
        json,
        schema,
        canonical,
        fingerprint,
    })
}
