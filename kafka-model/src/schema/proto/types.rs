//! Field types: scalars, enums, messages, and the wrapper messages nested collections need.

use super::*;

/// The type a field holds once `Option`, `Vec` and maps are peeled off.
pub(super) enum Elem {
    /// A proto scalar, with a note for the field's trailing comment.
    Scalar(&'static str, Option<String>),
    /// `google.protobuf.Timestamp`.
    Timestamp,
    /// A message or enum of the project.
    Named(&'static Model),
    /// `google.protobuf.Empty` (for `()`, the Avro `null` type).
    Empty,
    /// `google.protobuf.Value` (for `serde_json::Value`: any JSON value).
    Value,
    /// A wrapper message declared in the enclosing message (a list, map or `Option` where
    /// protobuf needs one value), with the innermost element's note.
    Wrapper(String, Option<String>),
}

impl Elem {
    pub(super) fn is_message(&self) -> bool {
        match self {
            Elem::Scalar(..) => false,
            Elem::Timestamp | Elem::Empty | Elem::Value | Elem::Wrapper(..) => true,
            Elem::Named(m) => !matches!(m.shape, Shape::Enum(_)),
        }
    }

    pub(super) fn note(&self) -> Option<&str> {
        match self {
            Elem::Scalar(_, note) | Elem::Wrapper(_, note) => note.as_deref(),
            _ => None,
        }
    }

    /// The part of a wrapper's name this element gives: `Int64`, `Timestamp`, `Line`,
    /// `Int64List`.
    pub(super) fn wrapper_stem(&self) -> String {
        match self {
            Elem::Scalar(name, _) => protoc_pascal_case(name),
            Elem::Timestamp => "Timestamp".into(),
            Elem::Empty => "Empty".into(),
            Elem::Value => "Value".into(),
            Elem::Named(m) => m.name.to_string(),
            Elem::Wrapper(name, _) => name.clone(),
        }
    }

    /// What the element is, to tell two wrappers of one name apart.
    pub(super) fn identity(&self) -> String {
        match self {
            Elem::Scalar(name, _) => (*name).to_string(),
            Elem::Timestamp => "google.protobuf.Timestamp".into(),
            Elem::Empty => "google.protobuf.Empty".into(),
            Elem::Value => "google.protobuf.Value".into(),
            Elem::Named(m) => m.proto_full_name(),
            Elem::Wrapper(name, _) => name.clone(),
        }
    }
}

/// A wrapper message to declare in a message: `message <name> { <label> <elem> value = 1; }`.
pub(super) struct Wrapper {
    pub(super) name: String,
    pub(super) label: Label,
    pub(super) elem: Elem,
}

/// How a field repeats.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Label {
    Single,
    Optional,
    Repeated,
    /// A map, with its key type (`string`, `int32`, `bool`, ...).
    Map(&'static str),
}

/// Label and element type of a field type; the wrapper messages it needs are appended to
/// `wrappers` (inner ones first).
pub(super) fn field_type(
    t: &Type,
    options: &FieldOptions,
    wrappers: &mut Vec<Wrapper>,
) -> Result<(Label, Elem), String> {
    match t {
        Type::Option(inner) => match inner {
            Type::Option(_) => Err("protobuf has no nested presence (Option<Option<T>>); use one Option, or wrap the inner value in a record".into()),
            _ => {
                let e = value_elem(inner, options, wrappers)?;
                // Messages have presence anyway: `optional` only when asked for
                // (`#[record(optional)]`), as a declaration copied from a schema may have it.
                let label = if e.is_message() && !options.proto_optional {
                    Label::Single
                } else {
                    Label::Optional
                };
                Ok((label, e))
            }
        },
        Type::List(inner) => Ok((Label::Repeated, value_elem(inner, options, wrappers)?)),
        Type::Map(_) | Type::KeyedMap { .. } => {
            let (key, inner) = map_parts(t, options)?;
            Ok((Label::Map(key), value_elem(inner, options, wrappers)?))
        }
        _ => Ok((Label::Single, elem(t, options)?)),
    }
}

/// The element type of a value inside a list, a map or an `Option`: a list, map or `Option`
/// there is a wrapper message (`Int64List`, `StringMap`, `LineValue`) holding it as field
/// `value = 1`, named from the shape so that equal shapes share one declaration.
pub(super) fn value_elem(
    t: &Type,
    options: &FieldOptions,
    wrappers: &mut Vec<Wrapper>,
) -> Result<Elem, String> {
    let (label, inner, suffix) = match t {
        Type::Option(Type::Option(_)) => {
            return Err(
                "protobuf has no nested presence (Option<Option<T>>); use one Option".into(),
            )
        }
        Type::Option(inner) => (Label::Optional, *inner, "Value"),
        Type::List(inner) => (Label::Repeated, *inner, "List"),
        Type::Map(_) | Type::KeyedMap { .. } => {
            let (key, inner) = map_parts(t, options)?;
            (Label::Map(key), inner, "Map")
        }
        _ => return elem(t, options),
    };
    let e = value_elem(inner, options, wrappers)?;
    let label = if label == Label::Optional && e.is_message() {
        Label::Single
    } else {
        label
    };
    // A map with other than string keys names its key type first: `Int32StringMap`.
    let key_stem = match label {
        Label::Map(key) if key != "string" => protoc_pascal_case(key),
        _ => String::new(),
    };
    let name = format!("{key_stem}{}{suffix}", e.wrapper_stem());
    let note = e.note().map(str::to_string);
    if let Some(w) = wrappers.iter().find(|w| w.name == name) {
        if w.label != label || w.elem.identity() != e.identity() {
            return Err(format!(
                "two different wrapper messages would be named `{name}` (one for `{}`, one for `{}`); rename one of the types",
                w.elem.identity(),
                e.identity()
            ));
        }
    } else {
        wrappers.push(Wrapper {
            name: name.clone(),
            label,
            elem: e,
        });
    }
    Ok(Elem::Wrapper(name, note))
}

/// The proto key type and the value type of a map type.
pub(super) fn map_parts(
    t: &Type,
    options: &FieldOptions,
) -> Result<(&'static str, &'static Type), String> {
    match *t {
        Type::KeyedMap {
            key: MapKey::Bool,
            value,
        } => Ok(("bool", value)),
        Type::KeyedMap {
            key: MapKey::Int(kind),
            value,
        } => Ok((int_type(kind, options.int_encoding)?, value)),
        Type::Map(value) => Ok(("string", value)),
        _ => Err("not a map".into()),
    }
}

/// The element type of a non-wrapper type.
pub(super) fn elem(t: &Type, options: &FieldOptions) -> Result<Elem, String> {
    let scalar = |name: &'static str| Ok(Elem::Scalar(name, None));
    match t {
        Type::Bool => scalar("bool"),
        Type::Int(kind) => Ok(Elem::Scalar(int_type(*kind, options.int_encoding)?, None)),
        Type::Float => scalar("float"),
        Type::Double => scalar("double"),
        Type::String => scalar("string"),
        Type::Bytes => scalar("bytes"),
        Type::Fixed(n) => Ok(Elem::Scalar("bytes", Some(format!("exactly {n} bytes")))),
        Type::Duration => Ok(Elem::Scalar(
            "bytes",
            Some("Avro duration: months, days, millis as little-endian uint32".into()),
        )),
        Type::Uuid => Ok(Elem::Scalar("string", Some("UUID".into()))),
        Type::Timestamp => Ok(Elem::Timestamp),
        Type::Null => Ok(Elem::Empty),
        Type::Any => Ok(Elem::Value),
        Type::Time => Ok(Elem::Scalar("int64", Some("microseconds since midnight".into()))),
        Type::LocalTimestamp => Ok(Elem::Scalar(
            "int64",
            Some("microseconds since 1970-01-01T00:00, local time".into()),
        )),
        Type::Date => Ok(Elem::Scalar("int32", Some("days since 1970-01-01".into()))),
        Type::Decimal => Ok(Elem::Scalar(
            "string",
            Some(match options.decimal {
                Some(d) => format!("decimal({}, {}) as a string", d.precision, d.scale),
                None => "decimal as a string".into(),
            }),
        )),
        Type::Named(f) => match f().shape {
            Shape::Fixed(n) => Ok(Elem::Scalar("bytes", Some(format!("exactly {n} bytes")))),
            Shape::Duration => elem(&Type::Duration, options),
            _ => Ok(Elem::Named(f())),
        },
        Type::Option(_) | Type::List(_) | Type::Map(_) | Type::KeyedMap { .. } => {
            Err("protobuf cannot hold an optional, repeated or map type here; wrap the value in a record".into())
        }
    }
}

/// The proto integer type of a Rust integer under an encoding.
pub(super) fn int_type(kind: IntKind, encoding: IntEncoding) -> Result<&'static str, String> {
    use IntEncoding::{Fixed, Varint, Zigzag};
    use IntKind::{I16, I32, I64, I8, U16, U32, U64, U8};
    Ok(match (kind, encoding) {
        (I8 | I16 | I32, Varint) => "int32",
        (I8 | I16 | I32, Zigzag) => "sint32",
        (I8 | I16 | I32, Fixed) => "sfixed32",
        (I64, Varint) => "int64",
        (I64, Zigzag) => "sint64",
        (I64, Fixed) => "sfixed64",
        (U8 | U16 | U32, Varint) => "uint32",
        (U8 | U16 | U32, Fixed) => "fixed32",
        (U64, Varint) => "uint64",
        (U64, Fixed) => "fixed64",
        (U8 | U16 | U32 | U64, Zigzag) => {
            return Err("zigzag (sint) encoding is for signed integers and protobuf has no unsigned zigzag type; \
                        use the default varint encoding or fixed"
                .into())
        }
    })
}
