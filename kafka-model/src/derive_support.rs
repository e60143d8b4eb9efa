//! Compile-time checks the derive runs in `const` items, so that a field type no format can
//! express is a compile error pointing at the field (not a failure on first use).

use crate::model::{FieldOptions, IntEncoding, MapKey, Type};

/// Panics (at compile time) when the field's type or attributes cannot be expressed.
pub const fn check_field(ty: &Type, opts: &FieldOptions, timestamp_set: bool) {
    check_nesting(ty);
    check_int_encoding(ty, opts.int_encoding);
    let leaf = leaf(ty);
    if timestamp_set && !matches!(leaf, Type::Timestamp | Type::Time | Type::LocalTimestamp) {
        panic!("`timestamp = ...` applies to timestamp and time fields only (chrono::DateTime<Utc>, time::OffsetDateTime, chrono::NaiveDateTime, chrono::NaiveTime, time::Time)");
    }
    match (leaf, opts.decimal) {
        (Type::Decimal, None) => {
            panic!("a Decimal field needs #[record(decimal(precision = P, scale = S))]: Avro's decimal type fixes both")
        }
        (Type::Decimal, Some(_)) | (_, None) => {}
        (_, Some(_)) => panic!("`decimal(...)` applies to rust_decimal::Decimal fields only"),
    }
}

/// Panics when `sint` / `fixed` is on a field (or newtype variant) without an integer to
/// encode, or `sint` on an unsigned one.
pub const fn check_int_encoding(ty: &Type, enc: IntEncoding) {
    // On a map, the encoding applies to an integer key and an integer value alike.
    let key = match map_key(ty) {
        Some(MapKey::Int(k)) => Some(k),
        _ => None,
    };
    let value = match leaf(ty) {
        Type::Int(k) => Some(*k),
        _ => None,
    };
    match enc {
        IntEncoding::Varint => {}
        IntEncoding::Zigzag => {
            if key.is_none() && value.is_none() {
                panic!(
                    "`sint` applies to integer fields (and maps with integer keys or values) only"
                )
            }
            if matches!(key, Some(k) if !k.is_signed())
                || matches!(value, Some(k) if !k.is_signed())
            {
                panic!("`sint` applies to signed integers (i32, i64); unsigned integers have no zigzag encoding: remove it or use `fixed`")
            }
        }
        IntEncoding::Fixed => {
            if key.is_none() && value.is_none() {
                panic!(
                    "`fixed` applies to integer fields (and maps with integer keys or values) only"
                )
            }
        }
    }
}

/// Panics when `#[record(optional)]` is on a field that is not an `Option`.
pub const fn check_proto_optional(ty: &Type) {
    if !matches!(ty, Type::Option(_)) {
        panic!("`optional` declares an Option<T> field `optional` in Protobuf (explicit presence); this field is not an Option")
    }
}

/// Panics when `#[record(rest)]` is on a field that is not a list.
pub const fn check_rest(ty: &Type) {
    if !matches!(ty, Type::List(_)) {
        panic!("`rest` holds the items of the tuple's array after the other fields: the field is a list (Vec<T>)")
    }
}

/// Panics when `null_last` / `no_default` is on a field that is not an `Option`.
pub const fn check_option_union(ty: &Type) {
    if !matches!(ty, Type::Option(_)) {
        panic!("`null_last` and `no_default` choose how Avro writes an Option<T> field's union; this field is not an Option")
    }
}

/// Panics when `#[serde(flatten)]` is on a field that is not a map with string keys (JSON's
/// extra properties are string-keyed; the derive has checked the spelling already).
pub const fn check_flatten(ty: &Type) {
    if !matches!(ty, Type::Map(_)) {
        panic!("#[serde(flatten)] applies to a map with string keys (`BTreeMap<String, T>`, `HashMap<String, T>`, `IndexMap<String, T>`): its entries are the object's extra properties")
    }
}

/// Panics when `#[record(required_only)]` is on a field that is not a `serde_json::Value`: a
/// property without a schema of its own holds any JSON value, so only that type says the same.
pub const fn check_required_only(ty: &Type) {
    if !matches!(ty, Type::Any) {
        panic!("#[record(required_only)] applies to a `serde_json::Value` field: the property has no schema of its own (any JSON value), which only that type says")
    }
}

/// Panics when the named type a newtype variant holds (`held`, its full name) has the full
/// name of the record a struct or unit variant of the same enum becomes (`variant_record`):
/// the Avro union would define two types with one name.
pub const fn check_variant_name(held: Option<&str>, variant_record: &str) {
    if let Some(h) = held {
        let (a, b) = (h.as_bytes(), variant_record.as_bytes());
        if a.len() == b.len() {
            let mut i = 0;
            while i < a.len() && a[i] == b[i] {
                i += 1;
            }
            if i == a.len() {
                panic!("this variant's type has the full name of the record another variant of this enum becomes (struct and unit variants are records named after the variant, in the enum's namespace): rename the variant (#[serde(rename = \"...\")]) or the type (#[record(name = \"...\")])");
            }
        }
    }
}

/// Panics when a data-enum variant's payload cannot be a union branch / Protobuf oneof member.
/// A list or map is fine (an Avro `array`/`map` branch; a wrapper message in the oneof); an
/// `Option` is not (Avro unions cannot nest, and its `None` would be a second null).
pub const fn check_variant(ty: &Type) {
    match ty {
        Type::Option(_) => {
            panic!("a union branch / oneof member cannot be an Option: add a unit variant for the null case, or wrap the value in a record")
        }
        Type::Decimal => panic!("a Decimal variant needs a precision and scale: wrap it in a record with #[record(decimal(...))]"),
        _ => {}
    }
}

/// Panics when two newtype variants of one enum hold lists, or both hold maps (`earlier` is the
/// earlier variant's type): an Avro union holds at most one `array` and one `map` branch.
pub const fn check_union_branches(earlier: &Type, this: &Type) {
    match (earlier, this) {
        (Type::List(_), Type::List(_)) => panic!("an Avro union holds one array branch at most, and an earlier variant of this enum holds a list already: wrap one of them in a struct variant"),
        (Type::Map(_) | Type::KeyedMap { .. }, Type::Map(_) | Type::KeyedMap { .. }) => panic!("an Avro union holds one map branch at most, and an earlier variant of this enum holds a map already: wrap one of them in a struct variant"),
        _ => {}
    }
}

/// The model name of a top-level value (a primitive's `Record`, a newtype over a list, a map
/// or a primitive): its Avro type name (`"string"`, `"long"`, `"array"`, `"map"`; `"any"` for any
/// JSON value, which has no Avro type).
pub const fn top_level_name(ty: &Type) -> &'static str {
    match ty {
        Type::List(_) => "array",
        Type::Map(_) | Type::KeyedMap { .. } => "map",
        Type::Bytes => "bytes",
        Type::Null => "null",
        Type::String => "string",
        Type::Bool => "boolean",
        Type::Float => "float",
        Type::Double => "double",
        Type::Int(k) if k.is_avro_long() => "long",
        Type::Int(_) => "int",
        Type::Any => "any",
        _ => panic!("a top-level Record is a primitive, any JSON value, a list or a map"),
    }
}

/// Nested lists, maps and `Option`s are expressible everywhere (Protobuf through wrapper
/// messages); only an `Option` directly inside an `Option` is not.
const fn check_nesting(ty: &Type) {
    match ty {
        Type::Option(inner) => match inner {
            Type::Option(_) => panic!("Option<Option<T>> cannot be expressed in Avro or Protobuf (a union cannot hold a union): use Option<T>"),
            Type::Null => panic!("Option<()> cannot be expressed in Avro (a union cannot hold \"null\" twice): use ()"),
            _ => check_nesting(inner),
        },
        Type::List(inner) | Type::Map(inner) | Type::KeyedMap { value: inner, .. } => {
            check_nesting(inner)
        }
        _ => {}
    }
}

const fn leaf(ty: &Type) -> &Type {
    match ty {
        Type::Option(inner) | Type::List(inner) | Type::Map(inner) => leaf(inner),
        Type::KeyedMap { value, .. } => leaf(value),
        other => other,
    }
}

/// The key of a map with integer or bool keys, looking through `Option` and `Vec`: `sint` and
/// `fixed` apply to it as they do to an integer value.
const fn map_key(ty: &Type) -> Option<MapKey> {
    match ty {
        Type::Option(inner) | Type::List(inner) | Type::Map(inner) => map_key(inner),
        Type::KeyedMap { key, .. } => Some(*key),
        _ => None,
    }
}

// ---- shared helpers for the generated codecs --------------------------------------------------

/// The fields' models of the record (or borrowed view) `T`, which the generated codecs read
/// each field's name, number and options from: constant data, folded away once inlined.
#[inline(always)]
pub fn record_fields<T: crate::FieldType + ?Sized>() -> &'static [crate::model::Field] {
    match T::TYPE {
        Type::Named(model) => model().fields(),
        _ => &[],
    }
}

/// [`record_fields`] of the struct variant `index` of the enum (or borrowed view) `T`.
#[inline(always)]
pub fn variant_fields_of<T: crate::FieldType + ?Sized>(
    index: usize,
) -> &'static [crate::model::Field] {
    match T::TYPE {
        Type::Named(model) => crate::validate::variant_fields(model(), index),
        _ => &[],
    }
}

/// An error that records the field it happened in, on the way out of a generated codec.
pub trait InField {
    /// Adds `name` to the error's field path.
    fn in_field(self, name: &'static str) -> Self;
}

impl InField for crate::avro::EncodeError {
    #[inline]
    fn in_field(self, name: &'static str) -> Self {
        crate::avro::EncodeError::in_field(self, name)
    }
}

impl InField for crate::avro::DecodeError {
    #[inline]
    fn in_field(self, name: &'static str) -> Self {
        crate::avro::DecodeError::in_field(self, name)
    }
}

impl InField for crate::protobuf::Error {
    #[inline]
    fn in_field(self, name: &'static str) -> Self {
        crate::protobuf::Error::in_field(self, name)
    }
}

/// `result.map_err(|e| e.in_field(name))` without a closure: the generated code calls this
/// once per field, and a closure per field is a separate body to type-check, borrow-check and
/// (in debug builds) compile, per field and codec, where this generic function is one
/// instance per result type. Inlined, it compiles to the same code as the closure.
#[inline(always)]
pub fn in_field<T, E: InField>(result: Result<T, E>, name: &'static str) -> Result<T, E> {
    match result {
        Ok(v) => Ok(v),
        Err(e) => Err(e.in_field(name)),
    }
}

/// The options of a field without attributes (every format's default encoding): the derive
/// names this constant instead of writing out the same struct literal for each field.
pub const DEFAULT_FIELD_OPTIONS: FieldOptions = FieldOptions {
    int_encoding: IntEncoding::Varint,
    timestamp: crate::model::TimePrecision::Micros,
    decimal: None,
    json_bytes_base64: false,
    proto_oneof: false,
    proto_optional: false,
};

/// `Record::coerce_json` of a derived type: whether its model asks for JSON coercion, computed
/// once into the type's `cell`. Here rather than in the generated code so that the `OnceLock`
/// machinery is compiled once for the runtime, not once per derived type.
#[inline]
pub fn coerce_json_cached(
    cell: &'static std::sync::OnceLock<bool>,
    model: fn() -> &'static crate::model::Model,
) -> bool {
    match cell.get() {
        Some(needed) => *needed,
        None => coerce_json_init(cell, model),
    }
}

#[cold]
fn coerce_json_init(
    cell: &'static std::sync::OnceLock<bool>,
    model: fn() -> &'static crate::model::Model,
) -> bool {
    *cell.get_or_init(|| crate::validate::coerce_needed(model()))
}
