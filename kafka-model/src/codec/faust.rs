//! Faust interoperability for JSON: the `json+faust` format.
//!
//! Python Faust's `Record.dumps()` adds `"__faust": {"ns": "<namespace.Name>"}` to every record
//! object (nested ones too) unless `include_metadata=False`, and a Faust model with
//! `polymorphic_fields=True` uses that `ns` to pick the class of a field typed as a base record.
//! The `json+faust` format:
//! - on **encode**, writes that blob into the value's object and into every nested record object,
//!   with `ns` = the record's full schema name ([`Model::full_name`](crate::Model::full_name));
//!   keys come out sorted (the value goes through `serde_json::Value`), which Faust ignores;
//! - writes a **polymorphic field** — a value of an enum with data whose variant is a newtype of
//!   a record, `Card(CardPayment)` — the way Faust does: the bare record object with its own
//!   `ns`, without serde's enum tagging. This applies when the record's full name identifies the
//!   variant (no other newtype variant of the enum carries a record of the same full name);
//!   struct and unit variants, newtypes of non-records and ambiguous variants keep serde's
//!   tagging (external, internal or adjacent, as the enum says);
//! - on **decode**, wherever the model expects an enum with data and finds an object carrying
//!   `__faust.ns` but not serde's tagging (external: the object is not the variant wrapper;
//!   internal: the tag field is missing; adjacent: the tag field is missing), picks the newtype
//!   variant whose record's full name — or one of its aliases — equals `ns` and restores serde's
//!   tagging; an object already in serde's form is read as it is, and a `ns` naming no (or more
//!   than one) variant is left to serde, which then reports the value as invalid. Then every
//!   `"__faust"` key is removed before deserializing, so types with `#[serde(deny_unknown_fields)]`
//!   read Faust's output too. (Plain `json` ignores the blob for types without
//!   `deny_unknown_fields`, but does not read the polymorphic form.)
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
//!
//! A polymorphic field, as Faust writes it and as we read and write it:
//!
//! ```
//! use kafka_model::Record;
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
//! #[record(namespace = "pay")]
//! struct Card { last4: String }
//!
//! #[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
//! #[record(namespace = "pay")]
//! struct Iban { iban: String }
//!
//! #[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
//! #[record(namespace = "pay")]
//! enum Method { ByCard(Card), ByIban(Iban) }
//!
//! #[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
//! #[record(namespace = "pay")]
//! struct Payment { method: Method }
//!
//! // What a Faust `Payment` with `polymorphic_fields=True` and an `Iban` in `method` dumps:
//! let faust = br#"{"method":{"iban":"DE89","__faust":{"ns":"pay.Iban"}},"__faust":{"ns":"pay.Payment"}}"#;
//! let p = Payment::loads_with("json+faust", faust)?;
//! assert_eq!(p, Payment { method: Method::ByIban(Iban { iban: "DE89".into() }) });
//! // We write the same form back (keys sorted).
//! assert_eq!(
//!     p.dumps_with("json+faust")?,
//!     br#"{"__faust":{"ns":"pay.Payment"},"method":{"__faust":{"ns":"pay.Iban"},"iban":"DE89"}}"#
//! );
//! // serde's externally tagged form is read too.
//! let tagged = br#"{"method":{"ByCard":{"last4":"4242"}}}"#;
//! assert_eq!(
//!     Payment::loads_with("json+faust", tagged)?.method,
//!     Method::ByCard(Card { last4: "4242".into() })
//! );
//! # Ok::<(), kafka_model::CodecError>(())
//! ```

use serde_json::{Map, Value};

use crate::model::{Model, Payload, Shape, Tagging, Type, Union, Variant};
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
    resolve(T::model(), &mut v);
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

/// The record a newtype variant carries, if it carries a record.
fn newtype_record(variant: &Variant) -> Option<&'static Model> {
    match variant.payload {
        Payload::Newtype(Type::Named(f)) => {
            let m = f();
            matches!(m.shape, Shape::Record(_)).then_some(m)
        }
        _ => None,
    }
}

/// Whether a record's `ns` names it: its full name or one of its aliases.
fn names(model: &Model, ns: &str) -> bool {
    model.full_name() == ns || model.aliases.contains(&ns)
}

/// The one newtype-of-record variant whose record `ns` names, if exactly one.
fn variant_for_ns(union: &'static Union, ns: &str) -> Option<&'static Variant> {
    let mut found = union
        .variants
        .iter()
        .filter(|v| newtype_record(v).is_some_and(|m| names(m, ns)));
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// Whether a variant's values are written in Faust's polymorphic form: a newtype of a record
/// whose full name no other newtype variant of the enum carries.
fn polymorphic(union: &'static Union, variant: &Variant) -> bool {
    newtype_record(variant).is_some_and(|m| {
        variant_for_ns(union, &m.full_name()).is_some_and(|v| v.name == variant.name)
    })
}

/// The variant named by serde's tagging of `v`, if `v` is in serde's form.
fn tagged_variant(union: &'static Union, v: &Value) -> Option<&'static Variant> {
    let Value::Object(map) = v else {
        return None;
    };
    let name = match union.tagging {
        Tagging::External if map.len() == 1 => map.keys().next().map(String::as_str),
        Tagging::External => None,
        Tagging::Internal { tag } | Tagging::Adjacent { tag, .. } => {
            map.get(tag).and_then(Value::as_str)
        }
    }?;
    union.variants.iter().find(|var| var.name == name)
}

/// The variant's payload inside serde's form of `v`.
fn payload_mut<'v>(union: &Union, variant: &Variant, v: &'v mut Value) -> Option<&'v mut Value> {
    match union.tagging {
        Tagging::External => v.get_mut(variant.name),
        Tagging::Internal { .. } => Some(v),
        Tagging::Adjacent { content, .. } => v.get_mut(content),
    }
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
        Shape::Enum(_) | Shape::Fixed(_) | Shape::Primitive(_) => {}
        Shape::Union(union) => {
            let Some(variant) = tagged_variant(union, v) else {
                return;
            };
            if let Some(inner) = payload_mut(union, variant, v) {
                match variant.payload {
                    Payload::Newtype(ty) => annotate_type(&ty, inner),
                    Payload::Struct(m) => annotate(m, inner),
                }
            }
            if polymorphic(union, variant) {
                untag(union, variant, v);
            }
        }
    }
}

/// Replaces serde's form of a newtype-of-record variant by the bare record object.
fn untag(union: &Union, variant: &Variant, v: &mut Value) {
    let Value::Object(map) = v else {
        return;
    };
    match union.tagging {
        Tagging::External => {
            if let Some(inner) = map.remove(variant.name) {
                *v = inner;
            }
        }
        Tagging::Internal { tag } => {
            map.remove(tag);
        }
        Tagging::Adjacent { content, .. } => {
            if let Some(inner) = map.remove(content) {
                *v = inner;
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
        Type::Map(t) | Type::KeyedMap { value: t, .. } => {
            if let Value::Object(map) = v {
                map.values_mut().for_each(|item| annotate_type(t, item));
            }
        }
        Type::Named(f) => annotate(f(), v),
        _ => {}
    }
}

/// Restores serde's tagging wherever an enum with data holds Faust's polymorphic form, at any
/// depth the model reaches.
fn resolve(model: &'static Model, v: &mut Value) {
    match model.shape {
        Shape::Record(fields) => {
            if let Value::Object(map) = v {
                for f in fields {
                    let key = std::iter::once(f.name)
                        .chain(f.aliases.iter().copied())
                        .find(|k| map.contains_key(*k));
                    if let Some(fv) = key.and_then(|k| map.get_mut(k)) {
                        resolve_type(&f.ty, fv);
                    }
                }
            }
        }
        Shape::Enum(_) | Shape::Fixed(_) | Shape::Primitive(_) => {}
        Shape::Union(union) => {
            retag(union, v);
            let Some(variant) = tagged_variant(union, v) else {
                return;
            };
            if let Some(inner) = payload_mut(union, variant, v) {
                match variant.payload {
                    Payload::Newtype(ty) => resolve_type(&ty, inner),
                    Payload::Struct(m) => resolve(m, inner),
                }
            }
        }
    }
}

/// Turns a bare record object carrying `__faust.ns` into serde's form of the variant it names.
fn retag(union: &'static Union, v: &mut Value) {
    let Value::Object(map) = v else {
        return;
    };
    let untagged = match union.tagging {
        // serde's wrapper `{"Variant": ...}` never carries `__faust` itself.
        Tagging::External => true,
        Tagging::Internal { tag } | Tagging::Adjacent { tag, .. } => !map.contains_key(tag),
    };
    if !untagged {
        return;
    }
    let Some(ns) = map
        .get(FAUST_KEY)
        .and_then(|meta| meta.get("ns"))
        .and_then(Value::as_str)
    else {
        return;
    };
    let Some(variant) = variant_for_ns(union, ns) else {
        return;
    };
    let name = Value::String(variant.name.to_string());
    match union.tagging {
        Tagging::External => {
            let inner = std::mem::take(v);
            let mut wrapper = Map::new();
            wrapper.insert(variant.name.to_string(), inner);
            *v = Value::Object(wrapper);
        }
        Tagging::Internal { tag } => {
            map.insert(tag.to_string(), name);
        }
        Tagging::Adjacent { tag, content } => {
            let inner = std::mem::take(v);
            let mut wrapper = Map::new();
            wrapper.insert(tag.to_string(), name);
            wrapper.insert(content.to_string(), inner);
            *v = Value::Object(wrapper);
        }
    }
}

fn resolve_type(ty: &Type, v: &mut Value) {
    match ty {
        Type::Option(t) => resolve_type(t, v),
        Type::List(t) => {
            if let Value::Array(items) = v {
                items.iter_mut().for_each(|item| resolve_type(t, item));
            }
        }
        Type::Map(t) | Type::KeyedMap { value: t, .. } => {
            if let Value::Object(map) = v {
                map.values_mut().for_each(|item| resolve_type(t, item));
            }
        }
        Type::Named(f) => resolve(f(), v),
        _ => {}
    }
}
