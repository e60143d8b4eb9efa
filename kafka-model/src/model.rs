//! The model: one static description of a `#[derive(Record)]` type.
//!
//! The derive writes one `static` [`Model`] per type; every schema (Avro, Protobuf, JSON Schema)
//! and every codec is rendered from it, so the formats cannot disagree about names, field
//! numbers, defaults or docs. Field types come from the [`FieldType`] trait rather than from the
//! type's spelling, so type aliases, `Box<T>` and nested records all resolve the same way.
//!
//! ```
//! use kafka_model::model::{Shape, Type};
//! use kafka_model::Record;
//!
//! #[derive(Record, serde::Serialize, serde::Deserialize)]
//! #[record(namespace = "com.acme")]
//! struct Ping {
//!     /// When it was sent.
//!     seq: u32,
//!     note: Option<String>,
//! }
//!
//! let model = Ping::model();
//! assert_eq!(model.full_name(), "com.acme.Ping");
//! let Shape::Record(fields) = model.shape else { unreachable!() };
//! assert_eq!(fields[0].name, "seq");
//! assert_eq!(fields[0].doc, Some("When it was sent."));
//! assert!(matches!(fields[1].ty, Type::Option(Type::String)));
//! ```

// Over 800 lines: one vocabulary (Model, Field, Type, Literal, options) that the derive's output
// and every renderer and codec read; the derive names it as one module.

use std::fmt;

/// A named type: a record (struct), an enum of symbols, or a union (enum with data).
#[derive(Debug)]
pub struct Model {
    /// The Rust identifier of the type (`Order`).
    pub rust_name: &'static str,
    /// The schema name (Avro record name, Protobuf message name); the Rust name unless renamed.
    pub name: &'static str,
    /// Avro namespace and Protobuf package.
    pub namespace: Option<&'static str>,
    /// Documentation (`///` comments unless `#[record(doc = "...")]`).
    pub doc: Option<&'static str>,
    /// Former full or short names (Avro aliases).
    pub aliases: &'static [&'static str],
    /// The model's default codec name for `dumps`/`loads` (`"json"` unless the model says otherwise).
    pub serializer: &'static str,
    /// JSON (serde) rejects unknown fields: `#[serde(deny_unknown_fields)]`.
    pub deny_unknown_fields: bool,
    /// `#[record(open_content)]`: the JSON Schema leaves the object open (no
    /// `"additionalProperties": false`). Closed is the default; see [`crate::schema::json`].
    pub open_content: bool,
    /// `#[record(json_id = "...")]`: the JSON Schema's `$id` when this type is the root (a
    /// definition never carries one: it would change the base its `$ref`s resolve against).
    pub json_id: Option<&'static str>,
    /// `#[record(min_properties = N)]` on a struct: serde's JSON object holds at least N
    /// properties (JSON Schema `minProperties`; `validate()` counts the fields serde writes, a
    /// flattened map's entries each). Avro and Protobuf have no such rule. `None` elsewhere.
    pub min_properties: Option<usize>,
    /// `#[record(max_properties = N)]` on a struct: at most N properties (`maxProperties`).
    pub max_properties: Option<usize>,
    /// serde writes the record as a JSON array of its fields in order (a tuple struct,
    /// `struct Point(f64, f64)`, whose fields are named `_0`, `_1`, ...): the JSON Schema is an
    /// `items` list. Avro and Protobuf write it as the record it is.
    pub tuple: bool,
    /// `#[record(absent)]` fields of a [tuple](Model::tuple) record: positions after its fields
    /// that no array ever holds (JSON Schema `false` items, after the fields' items). A shorter
    /// `items` list allows the same arrays, but Confluent's schema diff tells the two apart
    /// (`ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL`), so a schema with such items
    /// round-trips only if the model keeps them. They have no name, type or value: they are
    /// not in [`Shape::Record`]'s fields, so Avro, Protobuf and every codec never see them.
    /// 0 elsewhere.
    pub json_absent_items: usize,
    /// What kind of named type this is.
    pub shape: Shape,
    /// `#[record(parent = Outer)]`: Protobuf declares this message (or enum) inside `Outer`'s,
    /// so its Protobuf full name is `<Outer's Protobuf full name>.<name>` (see
    /// [`Model::proto_full_name`]). Avro and JSON Schema have no nested declarations: there the
    /// name stays [`Model::full_name`].
    pub parent: Option<fn() -> &'static Model>,
}

/// The kind of a [`Model`].
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// A struct with named fields.
    Record(&'static [Field]),
    /// An enum whose variants carry no data: Avro enum, Protobuf enum, JSON string.
    Enum(&'static [Symbol]),
    /// An enum whose variants carry data: Avro union of records, Protobuf oneof, tagged JSON object.
    Union(&'static Union),
    /// A named fixed-size byte string (`#[record(fixed)]` on a newtype over `[u8; N]`): an Avro
    /// `fixed` of this size, defined once and then referenced by its full name; Protobuf
    /// `bytes` and JSON bytes (as `[u8; N]`) like an unnamed `[u8; N]`.
    Fixed(usize),
    /// A named Avro `fixed` of 12 bytes with the `duration` logical type (`#[record(fixed)]` on
    /// a newtype over [`AvroDuration`](crate::duration::AvroDuration)); Protobuf and JSON as an
    /// unnamed `AvroDuration` ([`Type::Duration`]).
    Duration,
    /// A top-level primitive value (`String`, `i64`, `Vec<u8>`, `()`, ...: see
    /// [`Record`](crate::Record)'s implementations), or a derived newtype over a list or map
    /// (`struct Tags(Vec<String>)`): its schema is the type itself (Avro `"string"`,
    /// `{"type": "array", ...}`); the model's name is the Avro type name. Never a field's type.
    ///
    /// The validators are a derived newtype's (`struct Code(#[record(max_len = 8)] String)`,
    /// applied as a field's are): `validate()` checks them and the JSON Schema constrains its
    /// root with them (Avro and Protobuf schemas have no such keywords). Empty otherwise.
    Primitive(Type, &'static [Validator]),
}

/// One field of a record.
#[derive(Debug)]
pub struct Field {
    /// The Rust identifier.
    pub ident: &'static str,
    /// The name in every schema and in JSON (after `rename` / `rename_all`).
    pub name: &'static str,
    /// Documentation.
    pub doc: Option<&'static str>,
    /// Former names (Avro aliases; serde `alias`).
    pub aliases: &'static [&'static str],
    /// The field's type.
    pub ty: Type,
    /// Per-field representation choices (integer encoding, timestamp precision, decimal scale).
    pub options: FieldOptions,
    /// Protobuf field number.
    pub tag: u32,
    /// The value serde fills in when the field is missing, if any (`#[serde(default)]`).
    pub default: Option<fn() -> Literal>,
    /// JSON may omit the field (`skip_serializing_if`), so JSON Schema must not require it.
    pub json_optional: bool,
    /// An `Option` field serde leaves out when `None` (`skip_serializing_if =
    /// "Option::is_none"`): JSON never holds `null` for it, so JSON Schema gives the inner type
    /// (not required, as [`json_optional`](Self::json_optional) says). Avro and Protobuf are
    /// unchanged.
    pub json_skips_none: bool,
    /// `#[serde(flatten)]` on a map with string keys: JSON holds its entries beside the other
    /// properties (serde collects the unknown ones into it), so JSON Schema gives the map's
    /// value schema as the object's `additionalProperties` and no property of its own. Avro and
    /// Protobuf, whose records have a fixed field list, write the field as the map it is.
    pub json_flatten: bool,
    /// `#[record(rest)]` on the last field (a list) of a [tuple](Model::tuple) record: JSON
    /// holds its items after the other fields' values, in the same array (JSON Schema
    /// `additionalItems`; nothing when the items are any JSON value). Avro and Protobuf write
    /// the list as a field like the others.
    pub json_rest: bool,
    /// `#[record(required_only)]` on a `serde_json::Value` field of an open struct: JSON Schema
    /// names the property in `required` only, with no schema of its own in `properties` (it must
    /// be present, with any value, as the object's extra properties may). Avro and Protobuf are
    /// unchanged.
    pub json_required_only: bool,
    /// `#[record(json_all_of = [["enum"], ["type"], ["maxLength"]])]`: JSON Schema writes the
    /// property's keywords as an `allOf` of these groups, in this order (the keywords no group
    /// names stay beside it), as a hand-written schema that combines them may; the values it
    /// allows are the same. Empty: the keywords as one schema. Avro and Protobuf are unchanged.
    pub json_all_of: &'static [&'static [&'static str]],
    /// How Avro writes an `Option` field's union and default (`#[record(null_last)]`,
    /// `#[record(no_default)]`).
    pub option_union: OptionUnion,
    /// Data-governance tags (`"confluent:tags"`), e.g. `PII`.
    pub tags: &'static [&'static str],
    /// Validators declared on the field (`#[record(min = 1, max_len = 8, ...)]`), in the order
    /// written; JSON Schema renders them as keywords (see [`Validator`]).
    pub validators: &'static [Validator],
    /// JSON input for this field is coerced from loose forms (`#[record(coerce)]`, see
    /// [`crate::validate`]).
    pub coerce: bool,
}

impl Field {
    /// A field with no attributes: `ident` named `name` (as serde writes it), of type `ty`,
    /// Protobuf number `tag`, every other member at its default. The derive writes an
    /// attribute-free field as this call and any other as a literal that updates it.
    ///
    /// ```
    /// use kafka_model::model::{Field, Type};
    ///
    /// let f = Field::plain("seq", "seq", Type::String, 2);
    /// assert_eq!((f.name, f.tag, f.doc, f.default.is_none()), ("seq", 2, None, true));
    /// ```
    pub const fn plain(ident: &'static str, name: &'static str, ty: Type, tag: u32) -> Field {
        Field {
            ident,
            name,
            doc: None,
            aliases: &[],
            ty,
            options: crate::derive_support::DEFAULT_FIELD_OPTIONS,
            tag,
            default: None,
            json_optional: false,
            json_skips_none: false,
            json_flatten: false,
            json_rest: false,
            json_required_only: false,
            json_all_of: &[],
            option_union: OptionUnion::Auto,
            tags: &[],
            validators: &[],
            coerce: false,
        }
    }
}

/// How Avro writes an `Option<T>` field: where `null` goes in the union, and the default.
///
/// Avro reads a union's default as its first branch, so a null default needs `["null", T]` and
/// a value default needs `[T, "null"]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OptionUnion {
    /// `["null", T]` with `"default": null`, or `[T, "null"]` when the field's default
    /// (`#[serde(default = "...")]`) is a value: the default.
    #[default]
    Auto,
    /// `["null", T]` without a default (`#[record(no_default)]`): a reader with this schema
    /// needs the writer's schema to have the field.
    NullFirstNoDefault,
    /// `[T, "null"]` (`#[record(null_last)]`), with the field's default (a value of `T`) if it
    /// has one and no default otherwise.
    NullLast,
}

/// A declarative field validator (`#[record(...)]` on a field), checked by the generated
/// `validate()` and rendered into JSON Schema.
///
/// Length rules (`MinLen`, `MaxLen`, `NonEmpty`) apply to the field's value (a string, bytes, a
/// list or a map), looking through `Option`; value rules (`Min`, `Max`, `Choices`, `Pattern`)
/// apply to the innermost scalar, so `#[record(min = 1)]` on `Vec<i32>` checks every element.
/// `MultipleOf` is a value rule too.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Validator {
    /// `min = N`: the value is at least N (numbers; dates and timestamps as ISO-8601 strings).
    Min(Constant),
    /// `max = N`: the value is at most N.
    Max(Constant),
    /// `min_len = N`: at least N characters (strings), bytes or entries.
    MinLen(usize),
    /// `max_len = N`: at most N characters (strings), bytes or entries.
    MaxLen(usize),
    /// `non_empty`: not an empty string, bytes, list or map, and not `None`.
    NonEmpty,
    /// `choices = [...]`: one of the listed strings or numbers.
    Choices(&'static [Constant]),
    /// `pattern = "regex"`: the string matches the regex (Rust `regex` syntax, unanchored).
    Pattern(Pattern),
    /// `multiple_of = N`: the number divided by N (positive) is a whole number (JSON Schema's
    /// `multipleOf`).
    MultipleOf(Constant),
    /// `unique`: no two items of the list are equal (JSON Schema's `uniqueItems`).
    Unique,
}

/// A literal of a validator: a limit or a choice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Constant {
    /// An integer literal.
    Int(i128),
    /// A float literal.
    Float(f64),
    /// A string literal (a choice, or a date/timestamp limit in ISO-8601).
    Str(&'static str),
}

/// A `pattern` validator: the regex text and its matcher (compiled once, on first use).
#[derive(Debug, Clone, Copy)]
pub struct Pattern {
    /// The regex as written in the attribute.
    pub regex: &'static str,
    /// Whether a string matches; `None` if the regex does not compile (the derive rejects such
    /// patterns at compile time, so this happens only for hand-written models).
    pub is_match: fn(&str) -> Option<bool>,
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.regex == other.regex
    }
}

/// Representation choices made by field attributes; they apply to the innermost scalar
/// (so `#[record(sint)]` on `Option<Vec<i32>>` makes the elements `sint32`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FieldOptions {
    /// Protobuf integer encoding.
    pub int_encoding: IntEncoding,
    /// Avro timestamp precision.
    pub timestamp: TimePrecision,
    /// Decimal precision and scale.
    pub decimal: Option<DecimalSpec>,
    /// JSON writes bytes as a base64 string (`#[serde(with = "kafka_model::base64")]`)
    /// rather than serde's default array of numbers.
    pub json_bytes_base64: bool,
    /// `#[record(oneof)]`: the field holds an enum with data (or an `Option` of one) whose
    /// variants Protobuf declares as a `oneof` of the enclosing message, named after the field
    /// and numbered by the variants' `tag`s (no nested message). Avro and JSON are unchanged.
    pub proto_oneof: bool,
    /// `#[record(optional)]` on an `Option` of a message: Protobuf writes the field
    /// `optional M m = N;` (explicit presence, a synthetic oneof in the descriptor) rather than
    /// the plain `M m = N;`. The bytes are the same; only the declaration differs. (An `Option`
    /// of a scalar or enum is `optional` anyway.)
    pub proto_optional: bool,
}

/// Protobuf integer encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IntEncoding {
    /// `int32` / `int64` / `uint32` / `uint64`.
    #[default]
    Varint,
    /// `sint32` / `sint64`: zigzag, cheaper for negative numbers.
    Zigzag,
    /// `sfixed32` / `sfixed64` / `fixed32` / `fixed64`.
    Fixed,
}

/// Avro timestamp precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimePrecision {
    /// `timestamp-millis`.
    Millis,
    /// `timestamp-micros` (the default: no loss for chrono/time values down to the microsecond).
    #[default]
    Micros,
}

/// Decimal precision (total digits) and scale (digits after the point), and whether Avro puts
/// the decimal on a `fixed` (`#[record(decimal(precision = P, scale = S, fixed = N))]`).
///
/// ```
/// use kafka_model::Record;
/// use rust_decimal::Decimal;
///
/// #[derive(Record, serde::Serialize, serde::Deserialize, Debug, PartialEq)]
/// #[record(namespace = "shop")]
/// struct Price {
///     #[record(decimal(precision = 9, scale = 2, fixed = 4))]
///     amount: Decimal,
/// }
///
/// let schema: serde_json::Value = serde_json::from_str(Price::schemas().avro()?.json())?;
/// assert_eq!(
///     schema["fields"][0]["type"],
///     serde_json::json!({"type": "fixed", "name": "Amount", "namespace": "shop", "size": 4,
///                        "logicalType": "decimal", "precision": 9, "scale": 2})
/// );
/// let p = Price { amount: Decimal::new(-100, 2) }; // -1.00: unscaled -100, sign-extended
/// assert_eq!(p.to_avro()?, [0xff, 0xff, 0xff, 0x9c]);
/// assert_eq!(Price::from_avro(&p.to_avro()?)?, p);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecimalSpec {
    /// Total number of significant digits.
    pub precision: u32,
    /// Digits after the decimal point.
    pub scale: u32,
    /// `decimal(.., fixed = N)`: Avro writes the decimal as a `fixed` of N bytes (named after
    /// the field, like `[u8; N]`), two's complement sign-extended to N; `None`: as `bytes`.
    pub fixed: Option<usize>,
}

/// One symbol of a unit-only enum.
#[derive(Debug)]
pub struct Symbol {
    /// The Rust variant identifier.
    pub ident: &'static str,
    /// The symbol (serde name).
    pub name: &'static str,
    /// Documentation.
    pub doc: Option<&'static str>,
    /// Protobuf enum number: 1-based declaration order by default, or `#[record(tag = N)]`
    /// (negative numbers allowed). Without a symbol numbered 0, the Protobuf enum gets a zero
    /// value `<ENUM>_UNSPECIFIED` of its own.
    pub tag: i32,
    /// Avro enum default: readers map unknown symbols to it (`#[serde(other)]` or `#[record(default)]`).
    pub is_default: bool,
    /// How Protobuf names the value.
    pub proto_name: ProtoValueName,
}

/// The Protobuf name of an enum value ([`Symbol::proto_name`]).
///
/// Protobuf enum values share the scope of the enum's package (or parent message), so the
/// convention, and the default, is to prefix them with the enum's name; schemas written by hand
/// often do without.
///
/// ```
/// use kafka_model::model::{ProtoValueName, Shape};
/// use kafka_model::Record;
///
/// #[derive(Record, serde::Serialize, serde::Deserialize)]
/// #[record(namespace = "acme", no_prefix)]
/// enum Status {
///     #[record(tag = 0)]
///     Active,
///     #[record(proto_name = "closed_for_good")]
///     Closed,
/// }
///
/// let Shape::Enum(symbols) = Status::model().shape else { unreachable!() };
/// assert_eq!(symbols[0].proto_name, ProtoValueName::Unprefixed);
/// assert_eq!(symbols[1].proto_name, ProtoValueName::Exact("closed_for_good"));
/// let proto = Status::schemas().proto()?.main().text.clone();
/// assert!(proto.contains("enum Status {\n  ACTIVE = 0;\n  closed_for_good = 1;\n}"));
/// # Ok::<(), kafka_model::SchemaError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProtoValueName {
    /// `<ENUM>_<SYMBOL>`, both in `SCREAMING_SNAKE_CASE` (`Status::Active` → `STATUS_ACTIVE`).
    #[default]
    Prefixed,
    /// `<SYMBOL>` in `SCREAMING_SNAKE_CASE` (`ACTIVE`): `#[record(no_prefix)]` on the enum.
    Unprefixed,
    /// Exactly this name: `#[record(proto_name = "...")]` on the variant.
    Exact(&'static str),
}

/// How JSON (serde) tags an enum with data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tagging {
    /// `{"Variant": {...}}` (serde's default).
    External,
    /// `{"type": "Variant", ...fields}`: `#[serde(tag = "type")]`.
    Internal {
        /// The tag field's name.
        tag: &'static str,
    },
    /// `{"t": "Variant", "c": {...}}`: `#[serde(tag = "t", content = "c")]`.
    Adjacent {
        /// The tag field's name.
        tag: &'static str,
        /// The content field's name.
        content: &'static str,
    },
    /// The payload alone, `{...fields}`, `42` or `null` for a unit variant:
    /// `#[serde(untagged)]`. serde reads the first variant the JSON fits, so JSON Schema is the
    /// `anyOf` of the variants' schemas; Avro (union branch index) and Protobuf (oneof field
    /// number) still say which variant it is.
    Untagged,
}

/// An enum with data.
#[derive(Debug)]
pub struct Union {
    /// JSON representation.
    pub tagging: Tagging,
    /// The variants, in declaration order (Avro union branch order).
    pub variants: &'static [Variant],
}

/// One variant of an enum with data.
#[derive(Debug)]
pub struct Variant {
    /// The Rust variant identifier.
    pub ident: &'static str,
    /// The serde name (JSON tag; Protobuf oneof member name in snake case).
    pub name: &'static str,
    /// Documentation.
    pub doc: Option<&'static str>,
    /// Protobuf oneof field number.
    pub tag: u32,
    /// Protobuf encoding of a newtype variant's integer (`#[record(sint)]` / `#[record(fixed)]`
    /// on the variant: a `sint64` or `fixed32` oneof member).
    pub int_encoding: IntEncoding,
    /// `#[record(title = "...")]` on the variant: the JSON Schema `title` of its branch (an
    /// annotation; Avro and Protobuf have no place for it).
    pub title: Option<&'static str>,
    /// Validators on a newtype variant's value (`Code(#[record(max_len = 8)] String)`): the
    /// branch's JSON Schema keywords, checked by `validate()` when the value is this variant.
    /// Empty for other variants.
    pub validators: &'static [Validator],
    /// What the variant carries.
    pub payload: Payload,
}

/// What a data-enum variant carries.
#[derive(Debug, Clone, Copy)]
pub enum Payload {
    /// `Variant(T)`: the branch is `T` itself.
    Newtype(Type),
    /// `Variant { .. }` or a unit `Variant`: a record of its own, named after the variant.
    Struct(&'static Model),
}

/// The type of a field, as the schemas see it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Type {
    /// `bool`.
    Bool,
    /// An integer of a given Rust width.
    Int(IntKind),
    /// `f32`.
    Float,
    /// `f64`.
    Double,
    /// `String`.
    String,
    /// `Vec<u8>`, `bytes::Bytes`.
    Bytes,
    /// `[u8; N]`.
    Fixed(usize),
    /// `uuid::Uuid`.
    Uuid,
    /// `chrono::DateTime<Utc>`, `time::OffsetDateTime`.
    Timestamp,
    /// `chrono::NaiveDate`, `time::Date`.
    Date,
    /// `rust_decimal::Decimal` (needs `#[record(decimal(precision = P, scale = S))]`).
    Decimal,
    /// `Option<T>`.
    Option(&'static Type),
    /// `Vec<T>`.
    List(&'static Type),
    /// `HashMap<String, T>` / `BTreeMap<String, T>` (and `indexmap::IndexMap`).
    Map(&'static Type),
    /// A nested `#[derive(Record)]` type. A function, so recursive types (`Box<Self>`) work.
    Named(fn() -> &'static Model),
    /// `()`: the Avro `null` type (zero bytes), JSON `null`, Protobuf `google.protobuf.Empty`.
    Null,
    /// `chrono::NaiveTime`, `time::Time`: Avro `time-micros` (`time-millis` with
    /// `timestamp = "millis"`).
    Time,
    /// `chrono::NaiveDateTime`: Avro `local-timestamp-micros` (or `-millis`).
    LocalTimestamp,
    /// [`AvroDuration`](crate::duration::AvroDuration): Avro `duration` on a `fixed` of 12
    /// (named after the field, like `[u8; N]`), Protobuf `bytes`, JSON an object.
    Duration,
    /// A map with integer or `bool` keys (`HashMap<i32, T>`, `BTreeMap<bool, T>`): Protobuf
    /// `map<int32, T>`; Avro and JSON have string keys only, so there the key is its decimal text
    /// (`"-7"`, `"true"`), as serde JSON writes it. String-keyed maps are [`Type::Map`].
    KeyedMap {
        /// The key type.
        key: MapKey,
        /// The value type.
        value: &'static Type,
    },
    /// `serde_json::Value`: any JSON value. JSON Schema `{}`, Protobuf
    /// `google.protobuf.Value`; Avro has no form for it (a `SchemaError` naming the field).
    Any,
}

/// The key of a [`Type::KeyedMap`]: a map key other than a string.
///
/// The key's Protobuf encoding follows the field's `#[record(sint)]` / `#[record(fixed)]`, which
/// apply to every integer of the field, key and value alike (`map<sint32, double>` is
/// `#[record(sint)] HashMap<i32, f64>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapKey {
    /// `bool` keys: Protobuf `map<bool, T>`, text `"true"` / `"false"`.
    Bool,
    /// Integer keys: Protobuf `map<int32, T>` (or `sint32`, `fixed32`, ... by the field's
    /// encoding), text in decimal.
    Int(IntKind),
}

/// Rust integer widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntKind {
    /// `i8`
    I8,
    /// `i16`
    I16,
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `u8`
    U8,
    /// `u16`
    U16,
    /// `u32`
    U32,
    /// `u64`: Avro `long`, range-checked when encoding (values above `i64::MAX` are an error).
    U64,
}

impl IntKind {
    /// Whether the Rust type is signed.
    pub const fn is_signed(self) -> bool {
        matches!(
            self,
            IntKind::I8 | IntKind::I16 | IntKind::I32 | IntKind::I64
        )
    }

    /// Whether Avro needs a `long` (64-bit) rather than an `int` for it.
    pub const fn is_avro_long(self) -> bool {
        matches!(self, IntKind::I64 | IntKind::U32 | IntKind::U64)
    }

    /// Smallest and largest value of the Rust type.
    pub const fn range(self) -> (i128, i128) {
        match self {
            IntKind::I8 => (i8::MIN as i128, i8::MAX as i128),
            IntKind::I16 => (i16::MIN as i128, i16::MAX as i128),
            IntKind::I32 => (i32::MIN as i128, i32::MAX as i128),
            IntKind::I64 => (i64::MIN as i128, i64::MAX as i128),
            IntKind::U8 => (0, u8::MAX as i128),
            IntKind::U16 => (0, u16::MAX as i128),
            IntKind::U32 => (0, u32::MAX as i128),
            IntKind::U64 => (0, u64::MAX as i128),
        }
    }
}

/// A value in format-neutral form: what a default is before a schema renders it
/// (an Avro default, a JSON Schema `default`).
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `None`.
    Null,
    /// A boolean.
    Bool(bool),
    /// Any integer.
    Int(i128),
    /// Any float.
    Float(f64),
    /// A string.
    String(String),
    /// Bytes (also fixed).
    Bytes(Vec<u8>),
    /// A UUID, lowercase hyphenated.
    Uuid(String),
    /// An instant: seconds and nanoseconds since the Unix epoch (UTC).
    Timestamp {
        /// Whole seconds (may be negative).
        seconds: i64,
        /// Nanoseconds within the second.
        nanos: u32,
    },
    /// Days since 1970-01-01.
    Date(i32),
    /// `unscaled * 10^-scale`.
    Decimal {
        /// The unscaled integer.
        unscaled: i128,
        /// Digits after the point.
        scale: u32,
    },
    /// A list.
    List(Vec<Literal>),
    /// A map with string keys, in the value's iteration order.
    Map(Vec<(String, Literal)>),
    /// A record: field names and values, in field order.
    Record(Vec<(&'static str, Literal)>),
    /// A symbol of a unit-only enum, by index into [`Shape::Enum`].
    Enum(usize),
    /// A variant of an enum with data, by index into [`Union::variants`].
    Variant(usize, Box<Literal>),
    /// A time of day: nanoseconds since midnight.
    Time(u64),
}

/// A Rust type that can be a field of a `#[derive(Record)]` type.
///
/// Implemented for the types of the mapping table (see the crate docs) and by the derive for
/// every record and enum. Implement it for your own type only through `#[derive(Record)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a field of a `#[derive(Record)]` type",
    label = "no schema mapping for this type",
    note = "supported: () (Avro null), bool, integers, f32/f64, String, Vec<u8>, [u8; N], Option, Vec, HashMap/BTreeMap with String, integer or bool keys, Box, kafka_model::duration::AvroDuration, \
            kafka_model::decimal128::Decimal128, serde_json::Value (any JSON value; no Avro form), uuid::Uuid, chrono::DateTime<Utc>, chrono::NaiveDate, chrono::NaiveTime, chrono::NaiveDateTime, \
            rust_decimal::Decimal, bytes::Bytes (behind cargo features), and types with #[derive(Record)]"
)]
pub trait FieldType {
    /// The schema type.
    const TYPE: Type;
    /// The schema type of `Vec<Self>` (bytes for `u8`, a list otherwise).
    #[doc(hidden)]
    const VEC_TYPE: Type = Type::List(&Self::TYPE);
    /// The full name (`namespace.Name`) of a record, unit-only enum or named fixed type (the
    /// derive sets it), for compile-time checks of name collisions; `None` for other types.
    #[doc(hidden)]
    const FULL_NAME: Option<&'static str> = None;
    /// The value in format-neutral form (for schema defaults).
    fn to_literal(&self) -> Literal;
    /// `Vec<Self>` in format-neutral form (bytes for `u8`).
    #[doc(hidden)]
    fn vec_to_literal(items: &[Self]) -> Literal
    where
        Self: Sized,
    {
        Literal::List(items.iter().map(FieldType::to_literal).collect())
    }
}

/// A Rust type that can key a map field (`HashMap<K, V>`, `BTreeMap<K, V>`): `String`, the
/// integers and `bool` (the key types Protobuf allows that Rust has), and `#[derive(Record)]`
/// newtypes over them as spelled (`struct OrderNo(u64);`, which then need `Ord`, and `Hash`
/// for a `HashMap`: maps are written in key order).
///
/// Avro and JSON maps have string keys: there a key is its [`key_text`](Self::key_text), which is
/// what serde JSON writes for it (`"42"`, `"true"`).
///
/// ```
/// use kafka_model::model::FieldKey;
///
/// assert_eq!((-7i32).key_text(), "-7");
/// assert_eq!(i32::from_key_text("-7"), Some(-7));
/// assert_eq!(u8::from_key_text("300"), None);
/// assert_eq!(i32::from_key_text("007"), None);
/// assert_eq!(bool::from_key_text("true"), Some(true));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a map key of a `#[derive(Record)]` field",
    label = "not a map key",
    note = "map keys are String, an integer (i8..i64, u8..u64) or bool: the key types Protobuf allows"
)]
pub trait FieldKey: FieldType + Sized {
    /// The key type, `None` for string keys ([`Type::Map`]).
    const KEY: Option<MapKey>;
    /// What a key text must look like, for decode errors.
    #[doc(hidden)]
    const EXPECTED: &'static str;
    /// The key as an Avro or JSON map key.
    fn key_text(&self) -> std::borrow::Cow<'_, str>;
    /// At least the length of [`key_text`](Self::key_text), without making it (Avro size hints).
    #[doc(hidden)]
    fn key_text_len_hint(&self) -> usize {
        20
    }
    /// A key back from its text; `None` unless the text is exactly what
    /// [`key_text`](Self::key_text) writes for some key of this type (for integers: in range,
    /// no `+`, no leading zeros, no `-0`).
    fn from_key_text(text: &str) -> Option<Self>;
}

impl Literal {
    /// What kind of value this is, for error messages ("an integer", "a record").
    pub fn kind(&self) -> &'static str {
        match self {
            Literal::Null => "null",
            Literal::Bool(_) => "a boolean",
            Literal::Int(_) => "an integer",
            Literal::Float(_) => "a float",
            Literal::String(_) => "a string",
            Literal::Bytes(_) => "bytes",
            Literal::Uuid(_) => "a UUID",
            Literal::Timestamp { .. } => "a timestamp",
            Literal::Date(_) => "a date",
            Literal::Decimal { .. } => "a decimal",
            Literal::List(_) => "a list",
            Literal::Map(_) => "a map",
            Literal::Record(_) => "a record",
            Literal::Enum(_) => "an enum symbol",
            Literal::Variant(..) => "an enum variant",
            Literal::Time(_) => "a time of day",
        }
    }
}

impl Model {
    /// `namespace.name`, or `name` without a namespace.
    pub fn full_name(&self) -> String {
        match self.namespace {
            Some(ns) if !ns.is_empty() => format!("{ns}.{}", self.name),
            _ => self.name.to_string(),
        }
    }

    /// The Protobuf full name: [`full_name`](Self::full_name) for a top-level declaration,
    /// `<parent's Protobuf full name>.<name>` for a type declared inside another
    /// (`#[record(parent = ..)]`, e.g. `acme.v1.Outer.Middle.Inner`). A chain of parents that
    /// comes back to a type stops there (the renderer reports such cycles).
    pub fn proto_full_name(&self) -> String {
        let mut names = vec![self.name];
        let mut top: &Model = self;
        while let Some(parent) = top.parent {
            let p = parent();
            if names.len() > 64 || std::ptr::eq(p, self) {
                break;
            }
            names.push(p.name);
            top = p;
        }
        names.reverse();
        match top.namespace {
            Some(ns) if !ns.is_empty() => format!("{ns}.{}", names.join(".")),
            _ => names.join("."),
        }
    }

    /// The record's fields, or an empty slice for enums.
    pub fn fields(&self) -> &'static [Field] {
        match self.shape {
            Shape::Record(fields) => fields,
            _ => &[],
        }
    }
}

impl Type {
    /// The nested model, for [`Type::Named`].
    pub fn named(&self) -> Option<&'static Model> {
        match self {
            Type::Named(f) => Some(f()),
            _ => None,
        }
    }

    /// Whether the type is `Option<_>`.
    pub const fn is_option(&self) -> bool {
        matches!(self, Type::Option(_))
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Bool => f.write_str("bool"),
            Type::Int(k) => write!(f, "{}", format!("{k:?}").to_lowercase()),
            Type::Float => f.write_str("f32"),
            Type::Double => f.write_str("f64"),
            Type::String => f.write_str("String"),
            Type::Bytes => f.write_str("Vec<u8>"),
            Type::Fixed(n) => write!(f, "[u8; {n}]"),
            Type::Uuid => f.write_str("Uuid"),
            Type::Timestamp => f.write_str("DateTime"),
            Type::Date => f.write_str("NaiveDate"),
            Type::Decimal => f.write_str("Decimal"),
            Type::Option(t) => write!(f, "Option<{t}>"),
            Type::List(t) => write!(f, "Vec<{t}>"),
            Type::Map(t) => write!(f, "HashMap<String, {t}>"),
            Type::KeyedMap { key, value } => match key {
                MapKey::Bool => write!(f, "HashMap<bool, {value}>"),
                MapKey::Int(k) => write!(f, "HashMap<{}, {value}>", Type::Int(*k)),
            },
            Type::Named(m) => f.write_str(m().rust_name),
            Type::Null => f.write_str("()"),
            Type::Time => f.write_str("NaiveTime"),
            Type::LocalTimestamp => f.write_str("NaiveDateTime"),
            Type::Duration => f.write_str("AvroDuration"),
            Type::Any => f.write_str("serde_json::Value"),
        }
    }
}

/// Every named type reachable from `root` (itself first), each once, in depth-first order of
/// first use. Two different types with one full name are an error, never a silent merge.
pub fn named_types(root: &'static Model) -> Result<Vec<&'static Model>, crate::SchemaError> {
    let mut out: Vec<&'static Model> = Vec::new();
    visit_model(root, &mut out)?;
    Ok(out)
}

fn visit_model(m: &'static Model, out: &mut Vec<&'static Model>) -> Result<(), crate::SchemaError> {
    if !crate::schema::naming::add_named(out, m)? {
        return Ok(());
    }
    match m.shape {
        Shape::Record(fields) => {
            for f in fields {
                visit_type(&f.ty, out)?;
            }
        }
        Shape::Enum(_) | Shape::Fixed(_) | Shape::Duration => {}
        Shape::Primitive(t, _) => visit_type(&t, out)?,
        Shape::Union(u) => {
            for v in u.variants {
                match v.payload {
                    Payload::Newtype(t) => visit_type(&t, out)?,
                    Payload::Struct(sm) => visit_model(sm, out)?,
                }
            }
        }
    }
    Ok(())
}

fn visit_type(t: &Type, out: &mut Vec<&'static Model>) -> Result<(), crate::SchemaError> {
    match t {
        Type::Option(t) | Type::List(t) | Type::Map(t) => visit_type(t, out),
        Type::KeyedMap { value, .. } => visit_type(value, out),
        Type::Named(f) => visit_model(f(), out),
        _ => Ok(()),
    }
}
