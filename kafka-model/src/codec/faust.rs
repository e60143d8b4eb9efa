//! Faust interoperability for JSON: the `json+faust` format.
//!
//! Python Faust's `Record.dumps()` adds `"__faust": {"ns": "<namespace.Name>"}` to every record
//! object (nested ones too) unless `include_metadata=False`. The `json+faust` format:
//! - on encode, writes that blob into the value's object and into every nested record object,
//!   with `ns` = the record's full schema name ([`Model::full_name`](crate::Model::full_name));
//!   keys come out sorted (the value goes through `serde_json::Value`), which Faust ignores;
//! - on decode, removes every `"__faust"` key before deserializing, so types with
//!   `#[serde(deny_unknown_fields)]` read Faust's output too. (Plain `json` already ignores the
//!   blob for types without `deny_unknown_fields`.) The `ns` is not used to choose a type.
//!
//! ```
//! use kafka_model::Record;
//!
//! #[derive(Record, serde::Serialize, serde::Deserialize, Debug, PartialEq)]
//! #[record(namespace = "shop")]
//! #[serde(deny_unknown_fields)]
//! struct Item { sku: String }
//!
//! let bytes = Item { sku: "a".into() }.dumps_with("json+faust")?;
//! assert_eq!(bytes, br#"{"__faust":{"ns":"shop.Item"},"sku":"a"}"#);
//! assert_eq!(Item::loads_with("json+faust", &bytes)?, Item { sku: "a".into() });
//! assert!(Item::loads_with("json", &bytes).is_err()); // deny_unknown_fields
//! # Ok::<(), kafka_model::CodecError>(())
//! ```

use serde_json::{Map, Value};

use crate::model::{Model, Payload, Shape, Tagging, Type};
use crate::{CodecError, Record};

/// The metadata key Faust writes.
pub const FAUST_KEY: &str = "__faust";

pub(super) fn encode<T: Record>(value: &T) -> Result<Vec<u8>, CodecError> {
    let mut v = serde_json::to_value(value).map_err(|e| CodecError::json("encode", e))?;
    annotate(T::model(), &mut v);
    serde_json::to_vec(&v).map_err(|e| CodecError::json("encode", e))
}

pub(super) fn decode<T: Record>(bytes: &[u8]) -> Result<T, CodecError> {
    let mut v: Value = serde_json::from_slice(bytes).map_err(|e| CodecError::json("decode", e))?;
    strip(&mut v);
    serde_json::from_value(v).map_err(|e| CodecError::json("decode", e))
}

/// Removes every `"__faust"` key, at any depth.
fn strip(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.remove(FAUST_KEY);
            map.values_mut().for_each(strip);
        }
        Value::Array(items) => items.iter_mut().for_each(strip),
        _ => {}
    }
}

fn metadata(model: &Model) -> Value {
    let mut ns = Map::new();
    ns.insert("ns".into(), Value::String(model.full_name()));
    Value::Object(ns)
}

fn annotate(model: &'static Model, v: &mut Value) {
    match model.shape {
        Shape::Record(fields) => {
            if let Value::Object(map) = v {
                for f in fields {
                    if let Some(fv) = map.get_mut(f.name) {
                        annotate_type(&f.ty, fv);
                    }
                }
                map.insert(FAUST_KEY.into(), metadata(model));
            }
        }
        Shape::Enum(_) => {}
        Shape::Union(union) => {
            let Value::Object(map) = &*v else {
                return;
            };
            let name = match union.tagging {
                Tagging::External if map.len() == 1 => map.keys().next().cloned(),
                Tagging::External => None,
                Tagging::Internal { tag } | Tagging::Adjacent { tag, .. } => {
                    map.get(tag).and_then(Value::as_str).map(str::to_string)
                }
            };
            let Some(variant) = name.and_then(|n| union.variants.iter().find(|var| var.name == n))
            else {
                return;
            };
            let inner = match union.tagging {
                Tagging::External => v.get_mut(variant.name),
                Tagging::Internal { .. } => Some(v),
                Tagging::Adjacent { content, .. } => v.get_mut(content),
            };
            if let Some(inner) = inner {
                match variant.payload {
                    Payload::Newtype(ty) => annotate_type(&ty, inner),
                    Payload::Struct(m) => annotate(m, inner),
                }
            }
        }
    }
}

fn annotate_type(ty: &Type, v: &mut Value) {
    match ty {
        Type::Option(t) => annotate_type(t, v),
        Type::List(t) => {
            if let Value::Array(items) = v {
                items.iter_mut().for_each(|item| annotate_type(t, item));
            }
        }
        Type::Map(t) => {
            if let Value::Object(map) = v {
                map.values_mut().for_each(|item| annotate_type(t, item));
            }
        }
        Type::Named(f) => annotate(f(), v),
        _ => {}
    }
}
