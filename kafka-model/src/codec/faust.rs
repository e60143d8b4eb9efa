//! Faust interoperability for JSON: the `json+faust` format.
//!
//! Python Faust's `Record.dumps()` adds `"__faust": {"ns": "<namespace.Name>"}` to every record
//! object (nested ones too) unless `include_metadata=False`, and a Faust model with
//! `polymorphic_fields=True` uses that `ns` to pick the class of a field typed as a base record.
//! The `json+faust` format:
//! - on **encode**, writes that blob into the value's object and into every nested record object,
//!   with `ns` = the record's full schema name ([`Model::full_name`](crate::Model::full_name)),
//!   and writes the **same bytes as Faust** (faust-streaming's json codec, which is Python's
//!   `json.dumps(..., separators=(",", ":"))` unless `orjson` is installed): fields in
//!   declaration order (serde's order, which is the Python class's when the classes agree),
//!   `"__faust"` last in each record object, no spaces, non-ASCII escaped as `\u00e9` (lower-case
//!   hex; characters beyond the BMP as a surrogate pair, `\ud83d\ude00`), floats as Python's
//!   `repr` (`1e+16`, `1.5e-07`, `1000000000000000.0`, `-0.0`; an `f32` by its own shortest
//!   digits), and non-finite floats as `NaN`, `Infinity`, `-Infinity` (Python's default
//!   `allow_nan`; plain `json` writes `null`). Maps keep their iteration order, as a Python dict
//!   keeps insertion order. Values are what serde makes of them: a field serde skips
//!   (`skip_serializing_if`) is missing where Faust would write it, and types whose serde form
//!   differs from Faust's (e.g. `bytes`, which Faust cannot write) differ there. [`dumps`] writes
//!   Faust's `include_metadata=False` form;
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
//! assert_eq!(bytes, br#"{"sku":"a","__faust":{"ns":"shop.Item"}}"#);
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
//! // We write the same bytes back.
//! assert_eq!(p.dumps_with("json+faust")?, faust);
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

mod write;

pub(super) fn encode<T: Record>(value: &T) -> Result<Vec<u8>, CodecError> {
    dumps(value, true)
}

/// Writes `value` as Faust's `Record.dumps()` with its json codec does, with the `"__faust"`
/// metadata (`include_metadata = true`, what the `json+faust` codec writes) or without
/// (`include_metadata = false`; polymorphic fields are then written bare all the same).
/// Byte stages, validation and framing are the codec's business, not this function's.
///
/// ```
/// use kafka_model::{codec::faust, Record};
///
/// #[derive(Record, serde::Serialize, serde::Deserialize)]
/// #[record(namespace = "shop")]
/// struct Item { sku: String, price: f64 }
///
/// let item = Item { sku: "café ☕".into(), price: 1e16 };
/// assert_eq!(
///     faust::dumps(&item, false)?,
///     br#"{"sku":"caf\u00e9 \u2615","price":1e+16}"#
/// );
/// assert_eq!(
///     faust::dumps(&item, true)?,
///     br#"{"sku":"caf\u00e9 \u2615","price":1e+16,"__faust":{"ns":"shop.Item"}}"#
/// );
/// # Ok::<(), kafka_model::CodecError>(())
/// ```
pub fn dumps<T: Record>(value: &T, include_metadata: bool) -> Result<Vec<u8>, CodecError> {
    let mut out = Vec::with_capacity(128);
    write::write(T::model(), value, include_metadata, &mut out)
        .map_err(|e| CodecError::json("encode", e))?;
    Ok(out)
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
        // Nothing in the JSON names the variant.
        Tagging::Untagged => None,
    }?;
    union.variants.iter().find(|var| var.name == name)
}

/// The variant's payload inside serde's form of `v`.
fn payload_mut<'v>(union: &Union, variant: &Variant, v: &'v mut Value) -> Option<&'v mut Value> {
    match union.tagging {
        Tagging::External => v.get_mut(variant.name),
        Tagging::Internal { .. } | Tagging::Untagged => Some(v),
        Tagging::Adjacent { content, .. } => v.get_mut(content),
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
        Shape::Enum(_) | Shape::Fixed(_) | Shape::Duration | Shape::Primitive(..) => {}
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
        // serde reads the bare record itself: nothing to restore.
        Tagging::Untagged => false,
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
        // (Returned above.)
        Tagging::Untagged => {}
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
