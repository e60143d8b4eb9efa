//! Field validation and coercion.
//!
//! # Validators
//!
//! Declared on fields with `#[record(...)]` and checked by the generated
//! [`Record::validate`](crate::Record::validate), which returns **every** problem at once,
//! each with its path (`items[2].qty`, `attributes["color"]`), the rule, the limit and the
//! offending value:
//!
//! | attribute | applies to | checks |
//! | --- | --- | --- |
//! | `min = N`, `max = N` | integers, floats, `Decimal` (N may be a string: `"9.99"`), dates and timestamps (N an ISO-8601 string) | inclusive bounds |
//! | `min_len = N`, `max_len = N` | `String` (characters), bytes, `Vec`, maps | length |
//! | `non_empty` | the same, and `Option` (`None` is empty) | not empty |
//! | `choices = [..]` | strings (string literals), integers (integer literals), floats | one of the list |
//! | `pattern = "regex"` | strings | the regex matches (unanchored; write `^...$` for the whole string) |
//! | `multiple_of = N` | integers (N an integer), floats; N > 0 | the value divided by N is a whole number (JSON Schema's `multipleOf`) |
//! | `unique` | `Vec` (also inside `Option`) | no two items are equal, compared by content (JSON Schema's `uniqueItems`) |
//! | `with = path::to::fn` | any field | `fn(&T) -> Result<(), E>` where `E: Into<`[`Invalid`]`>` (e.g. `String`) |
//! | `sensitive` | any field | errors withhold the value (`got <redacted>`) |
//!
//! Length rules apply to the field's value (looking through `Option`); value rules (`min`,
//! `max`, `choices`, `pattern`, `multiple_of`) apply to the innermost scalar, so `#[record(min = 1)]` on a
//! `Vec<i32>` checks each element and reports `qtys[3]`. Nested records (also inside `Option`,
//! `Vec`, `Box` and map values) are validated with their own rules. Misuse (`min` on a
//! `String`, `pattern` on an integer, a regex that does not compile, `choices` of the wrong
//! literal type) is a compile error at the attribute.
//!
//! ```
//! use std::collections::BTreeMap;
//! use kafka_model::Record;
//!
//! #[derive(Record, serde::Serialize, serde::Deserialize)]
//! struct Item {
//!     #[record(min = 1)]
//!     qty: i32,
//! }
//!
//! #[derive(Record, serde::Serialize, serde::Deserialize)]
//! struct Order {
//!     #[record(non_empty, max_len = 36)]
//!     id: String,
//!     items: Vec<Item>,
//!     #[record(choices = ["red", "blue"])]
//!     attributes: BTreeMap<String, String>,
//!     #[record(pattern = r"^\d{16}$", sensitive)]
//!     card: String,
//! }
//!
//! let order = Order {
//!     id: String::new(),
//!     items: vec![Item { qty: 1 }, Item { qty: 0 }],
//!     attributes: BTreeMap::from([("color".to_string(), "green".to_string())]),
//!     card: "4111-1111".into(),
//! };
//! let errors = order.validate().unwrap_err();
//! let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
//! assert_eq!(lines, [
//!     r#"id: must not be empty, got "" [non_empty]"#,
//!     "items[1].qty: must be at least 1, got 0 [min]",
//!     r#"attributes["color"]: must be one of ["red", "blue"], got "green" [choices]"#,
//!     r"card: must match the pattern ^\d{16}$, got <redacted> [pattern]",
//! ]);
//! ```
//!
//! # Validation modes
//!
//! Off by default: call `validate()` when you want it. With `#[record(validate)]` on the type,
//! every codec validates before encoding (`dumps`) and after decoding (`loads`), and fails with
//! [`CodecError::Validation`](crate::CodecError::Validation).
//!
//! # Reusable field types
//!
//! A type with its own rule implements [`Validate::check`] (Faust's custom `FieldDescriptor`);
//! [`Choice`] is one, ready-made: a string restricted to the values a [`Choices`] type lists,
//! usable as a field type (`Choice<Currency>`) or on a plain `String` field with
//! `#[record(with = Currency::check)]`.
//!
//! # Coercion
//!
//! `#[record(coerce)]` on a type (every field) or on a field makes JSON decoding accept the loose
//! forms that other producers write, converting them before serde reads the value (strict by
//! default):
//!
//! | field type | also accepted |
//! | --- | --- |
//! | integers | strings (`"42"`), integral floats (`42.0`); range-checked for the Rust type |
//! | `f32` / `f64` | strings (`"30.0"`) |
//! | `bool` | `"true"` / `"false"` (any case), `0` / `1` |
//! | `String` | numbers and booleans |
//! | timestamps | epoch milliseconds (number or string); ISO-8601 with a space, without seconds or offset (UTC) |
//! | dates | an ISO-8601 date-time (its date part, UTC) |
//! | `Decimal` | numbers (written as the decimal string) |
//!
//! Coercion looks through `Option`, `Vec` and map values, and descends into nested records
//! (which coerce by their own attributes). Input that cannot be converted fails with
//! [`CodecError::Coerce`](crate::CodecError::Coerce) naming the path; it never panics.
//! Timestamps are normalised to RFC 3339, which chrono's serde reads (use
//! `time::serde::rfc3339` for `time::OffsetDateTime`). Enums with data are not walked.
//!
//! ```
//! use kafka_model::Record;
//!
//! #[derive(Record, serde::Serialize, serde::Deserialize, Debug, PartialEq)]
//! #[record(coerce)]
//! struct Reading {
//!     celsius: f64,
//!     count: i32,
//!     ok: bool,
//! }
//!
//! let r = Reading::loads(br#"{"celsius": "30.5", "count": "42", "ok": "true"}"#)?;
//! assert_eq!(r, Reading { celsius: 30.5, count: 42, ok: true });
//! let err = Reading::loads(br#"{"celsius": 1, "count": "9999999999", "ok": true}"#).unwrap_err();
//! assert!(err.to_string().contains("count"));
//! # Ok::<(), kafka_model::CodecError>(())
//! ```
//!
//! # Schemas
//!
//! JSON Schema renders the validators as `minimum` / `maximum` (numbers), `minLength` /
//! `maxLength` (strings), `minItems` / `maxItems` (lists, bytes as arrays), `minProperties` /
//! `maxProperties` (maps), `enum`, `pattern` and `multipleOf`; date, timestamp and decimal bounds, custom
//! checks and the length of base64-encoded bytes are not expressible and are left out. Avro
//! and Protobuf schemas do not carry validators (no standard keyword; custom properties would
//! change the schema fingerprint and the registry's idea of compatibility).

mod coerce;
mod error;
mod path;
mod rules;
mod time;

use crate::model::FieldKey;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::BuildHasher;
use std::marker::PhantomData;

pub use coerce::CoerceError;
pub use error::{Invalid, Rule, ValidationError, ValidationErrors};
pub use path::{FieldPath, Segment};

#[doc(hidden)]
pub use coerce::{coerce_needed, decode_json};
#[doc(hidden)]
pub use rules::{
    check_properties, check_validator, check_with, validate_field, variant_fields,
    variant_validators,
};

/// `#[record(validate)]`: validates before a codec encodes.
#[doc(hidden)]
pub fn before_encode<T: crate::Record>(value: &T) -> Result<(), crate::CodecError> {
    if T::VALIDATE_ON_CODEC {
        value.validate()?;
    }
    Ok(())
}

/// `#[record(validate)]`: validates what a codec decoded.
#[doc(hidden)]
pub fn after_decode<T: crate::Record>(
    decoded: Result<T, crate::CodecError>,
) -> Result<T, crate::CodecError> {
    let value = decoded?;
    if T::VALIDATE_ON_CODEC {
        value.validate()?;
    }
    Ok(value)
}

/// Field types whose [`Validate`] checks nothing: the standard scalars, and `Option`, `Vec`,
/// `Box` and maps of them. The derive leaves out the validation call of a field spelled as one
/// of these (without rules of its own) and bounds its `Validate` impl on `T: PlainLeaf` for
/// each such field type, so a type of the user's own that shadows a standard name
/// (`struct String`) is a compile error, not a check silently skipped. Sealed.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` is named like a standard type but is not one",
    label = "a field type spelled as a standard scalar (or `Option`/`Vec`/`Box`/map of them)",
    note = "#[derive(Record)] skips validating fields of the standard scalar types by their name; \
            import a type of your own under another name (`use my::String as Code;`)"
)]
pub trait PlainLeaf: plain_leaf::Sealed {}

mod plain_leaf {
    pub trait Sealed {}
}

macro_rules! plain_leaf {
    ($([$($g:tt)*] $t:ty),* $(,)?) => {$(
        impl<$($g)*> plain_leaf::Sealed for $t {}
        impl<$($g)*> PlainLeaf for $t {}
    )*};
}

plain_leaf!(
    [] bool, [] i8, [] i16, [] i32, [] i64, [] u8, [] u16, [] u32, [] u64, [] f32, [] f64,
    [] String,
    [T: PlainLeaf] Option<T>,
    [T: PlainLeaf] Vec<T>,
    [T: PlainLeaf] Box<T>,
    [K: PlainLeaf, V: PlainLeaf] BTreeMap<K, V>,
    [K: PlainLeaf, V: PlainLeaf, S] HashMap<K, V, S>,
);

/// A matcher that never answers (the compile-time checks use it in place of a regex).
#[doc(hidden)]
pub fn no_match(_: &str) -> Option<bool> {
    None
}

/// A value that can be validated: every field type of a `#[derive(Record)]` type.
///
/// The derive implements it for records and enums (checking the fields' validators); the
/// standard field types implement it with no rule of their own. A **reusable field type** with
/// its own rule (Faust's custom `FieldDescriptor`) implements [`check`](Validate::check); the
/// derive reports the problem at the field's path, also inside `Option`, `Vec` and maps.
/// [`Choice`] is such a type, ready-made. A field type of your own also implements
/// [`FieldType`](crate::FieldType) and the codec traits
/// ([`AvroCodec`](crate::avro::AvroCodec), [`ProtoField`](crate::protobuf::ProtoField)), as
/// `Choice` does; a rule on a plain type is simpler as `#[record(with = path::to::fn)]`.
///
/// ```
/// use kafka_model::validate::{FieldPath, Invalid, Validate, ValidationErrors};
///
/// /// An ISO 4217 currency code.
/// struct Currency(String);
///
/// impl Validate for Currency {
///     fn check(&self) -> Result<(), Invalid> {
///         let ok = self.0.len() == 3 && self.0.bytes().all(|b| b.is_ascii_uppercase());
///         if ok { Ok(()) } else { Err("must be three capital letters".into()) }
///     }
/// }
///
/// let mut errors = ValidationErrors::new();
/// let prices = vec![Currency("USD".into()), Currency("eur".into())];
/// prices.validate_at(&FieldPath::root().field("currencies"), &mut errors);
/// assert_eq!(errors.to_string(), "currencies[1]: must be three capital letters [custom]");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be validated",
    label = "`{Self}` does not implement `kafka_model::validate::Validate`",
    note = "every field type of a #[derive(Record)] type needs it: the derive implements it for records and enums; \
            for your own field type write `impl kafka_model::validate::Validate for {Self} {{}}` (or implement `check`)"
)]
pub trait Validate {
    /// The value's own rule; the default accepts every value.
    fn check(&self) -> Result<(), Invalid> {
        Ok(())
    }

    /// Validates the value and everything inside it, adding every problem to `errors` at its
    /// path. The default reports [`check`](Validate::check).
    fn validate_at(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
        if let Err(e) = self.check() {
            errors.push(ValidationError::new(path, e, self.scalar().render()));
        }
    }

    /// The value as a scalar, for the declarative rules.
    #[doc(hidden)]
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Other
    }

    /// What kind of value this is, for the declarative rules.
    #[doc(hidden)]
    fn kind(&self) -> Kind {
        Kind::Leaf
    }

    /// Characters, bytes or entries, for the length rules.
    #[doc(hidden)]
    fn length(&self) -> Option<usize> {
        None
    }

    /// The values inside (`Option`, lists, maps), each with its path step (`None`: the same path).
    #[doc(hidden)]
    fn for_each_child(&self, _f: &mut dyn FnMut(Option<Segment<'_>>, &dyn Validate)) {}

    /// How a `Vec<Self>` looks to the rules (bytes for `u8`).
    #[doc(hidden)]
    fn slice_scalar(_items: &[Self]) -> Scalar<'_>
    where
        Self: Sized,
    {
        Scalar::Other
    }

    /// Whether values of this type may hold something to validate (false for plain scalars,
    /// so a `Vec<u8>` is not walked byte by byte).
    #[doc(hidden)]
    fn nested() -> bool
    where
        Self: Sized,
    {
        true
    }
}

/// A value seen by the declarative rules.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Scalar<'a> {
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(&'a str),
    Bytes(&'a [u8]),
    #[cfg(feature = "rust_decimal")]
    Decimal(rust_decimal::Decimal),
    /// Days since 1970-01-01.
    Date(i64),
    /// Nanoseconds since the Unix epoch.
    Timestamp(i128),
    Other,
}

/// The kind of a value seen by the declarative rules.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Leaf,
    Optional,
    Collection,
}

const MAX_SHOWN: usize = 64;

impl Scalar<'_> {
    /// The value as text for an error message, shortened when long.
    #[doc(hidden)]
    pub fn render(&self) -> Option<String> {
        Some(match *self {
            Scalar::Bool(b) => b.to_string(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(x) => x.to_string(),
            Scalar::Str(s) => {
                if s.chars().count() > MAX_SHOWN {
                    let short: String = s.chars().take(MAX_SHOWN).collect();
                    format!("{short:?}...")
                } else {
                    format!("{s:?}")
                }
            }
            Scalar::Bytes(b) => format!("{} bytes", b.len()),
            #[cfg(feature = "rust_decimal")]
            Scalar::Decimal(d) => d.to_string(),
            Scalar::Date(d) => time::format_date(d),
            Scalar::Timestamp(t) => time::format_timestamp(t),
            Scalar::Other => return None,
        })
    }
}

macro_rules! scalar_impls {
    ($($t:ty => |$v:ident| $e:expr;)*) => {$(
        impl Validate for $t {
            fn scalar(&self) -> Scalar<'_> {
                let $v = self;
                $e
            }
            fn nested() -> bool {
                false
            }
        }
    )*};
}

scalar_impls! {
    bool => |v| Scalar::Bool(*v);
    i8 => |v| Scalar::Int(i128::from(*v));
    i16 => |v| Scalar::Int(i128::from(*v));
    i32 => |v| Scalar::Int(i128::from(*v));
    i64 => |v| Scalar::Int(i128::from(*v));
    u16 => |v| Scalar::Int(i128::from(*v));
    u32 => |v| Scalar::Int(i128::from(*v));
    u64 => |v| Scalar::Int(i128::from(*v));
    f32 => |v| Scalar::Float(f64::from(*v));
    f64 => |v| Scalar::Float(*v);
}

impl Validate for u8 {
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Int(i128::from(*self))
    }
    fn slice_scalar(items: &[Self]) -> Scalar<'_> {
        Scalar::Bytes(items)
    }
    fn nested() -> bool {
        false
    }
}

impl Validate for String {
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Str(self)
    }
    fn length(&self) -> Option<usize> {
        Some(self.chars().count())
    }
    fn nested() -> bool {
        false
    }
}

impl<const N: usize> Validate for [u8; N] {
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Bytes(self)
    }
    fn length(&self) -> Option<usize> {
        Some(N)
    }
    fn nested() -> bool {
        false
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_at(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
        if let Some(v) = self {
            v.validate_at(path, errors);
        }
    }
    fn kind(&self) -> Kind {
        Kind::Optional
    }
    fn for_each_child(&self, f: &mut dyn FnMut(Option<Segment<'_>>, &dyn Validate)) {
        if let Some(v) = self {
            f(None, v);
        }
    }
    fn nested() -> bool {
        T::nested()
    }
}

impl<T: Validate> Validate for Box<T> {
    fn check(&self) -> Result<(), Invalid> {
        (**self).check()
    }
    fn validate_at(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
        (**self).validate_at(path, errors);
    }
    fn scalar(&self) -> Scalar<'_> {
        (**self).scalar()
    }
    fn kind(&self) -> Kind {
        (**self).kind()
    }
    fn length(&self) -> Option<usize> {
        (**self).length()
    }
    fn for_each_child(&self, f: &mut dyn FnMut(Option<Segment<'_>>, &dyn Validate)) {
        (**self).for_each_child(f);
    }
    fn nested() -> bool {
        T::nested()
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_at(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
        if T::nested() {
            for (i, v) in self.iter().enumerate() {
                v.validate_at(&path.index(i), errors);
            }
        }
    }
    fn scalar(&self) -> Scalar<'_> {
        T::slice_scalar(self)
    }
    fn kind(&self) -> Kind {
        Kind::Collection
    }
    fn length(&self) -> Option<usize> {
        Some(self.len())
    }
    fn for_each_child(&self, f: &mut dyn FnMut(Option<Segment<'_>>, &dyn Validate)) {
        for (i, v) in self.iter().enumerate() {
            f(Some(Segment::Index(i)), v);
        }
    }
    fn nested() -> bool {
        T::nested()
    }
}

/// A map's entries in key order (errors come out in the same order on every run), or in
/// insertion order for an `IndexMap`.
macro_rules! validate_map {
    (impl [$($g:tt)*] for $ty:ty, |$m:ident| $entries:expr) => {
        impl<$($g)*> Validate for $ty {
            fn validate_at(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
                if T::nested() {
                    let $m = self;
                    for (k, v) in $entries {
                        v.validate_at(&path.key(&k.key_text()), errors);
                    }
                }
            }
            fn kind(&self) -> Kind {
                Kind::Collection
            }
            fn length(&self) -> Option<usize> {
                Some(self.len())
            }
            fn for_each_child(&self, f: &mut dyn FnMut(Option<Segment<'_>>, &dyn Validate)) {
                let $m = self;
                for (k, v) in $entries {
                    f(Some(Segment::Key(&k.key_text())), v);
                }
            }
            fn nested() -> bool {
                T::nested()
            }
        }
    };
}
validate_map!(impl [K: FieldKey + Ord, T: Validate, S: BuildHasher] for HashMap<K, T, S>, |m| {
    let mut entries: Vec<_> = m.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
});
validate_map!(impl [K: FieldKey, T: Validate] for BTreeMap<K, T>, |m| m.iter());
#[cfg(feature = "indexmap")]
validate_map!(impl [K: FieldKey, T: Validate, S: BuildHasher] for indexmap::IndexMap<K, T, S>, |m| m.iter());

#[cfg(feature = "bytes")]
impl Validate for bytes::Bytes {
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Bytes(self)
    }
    fn length(&self) -> Option<usize> {
        Some(self.len())
    }
    fn nested() -> bool {
        false
    }
}

#[cfg(feature = "uuid")]
impl Validate for uuid::Uuid {
    fn nested() -> bool {
        false
    }
}

#[cfg(feature = "chrono")]
impl Validate for chrono::DateTime<chrono::Utc> {
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Timestamp(
            i128::from(self.timestamp()) * 1_000_000_000
                + i128::from(self.timestamp_subsec_nanos()),
        )
    }
    fn nested() -> bool {
        false
    }
}

#[cfg(feature = "chrono")]
impl Validate for chrono::NaiveDate {
    fn scalar(&self) -> Scalar<'_> {
        use chrono::Datelike;
        Scalar::Date(time::days_from_civil(
            i64::from(self.year()),
            self.month(),
            self.day(),
        ))
    }
    fn nested() -> bool {
        false
    }
}

#[cfg(feature = "time")]
impl Validate for ::time::OffsetDateTime {
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Timestamp(self.unix_timestamp_nanos())
    }
    fn nested() -> bool {
        false
    }
}

#[cfg(feature = "time")]
impl Validate for ::time::Date {
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Date(time::days_from_civil(
            i64::from(self.year()),
            u32::from(u8::from(self.month())),
            u32::from(self.day()),
        ))
    }
    fn nested() -> bool {
        false
    }
}

#[cfg(feature = "rust_decimal")]
impl Validate for rust_decimal::Decimal {
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Decimal(*self)
    }
    fn nested() -> bool {
        false
    }
}

/// A closed list of strings, declared once and reused: the values a [`Choice`] field accepts.
///
/// Use it as a field type (`Choice<Currency>`) or on a `String` field with
/// `#[record(with = Currency::check)]` (bring the trait into scope).
///
/// ```
/// use kafka_model::validate::{Choice, Choices};
/// use kafka_model::Record;
///
/// struct Currency;
/// impl Choices for Currency {
///     const CHOICES: &'static [&'static str] = &["EUR", "USD"];
/// }
///
/// #[derive(Record, serde::Serialize, serde::Deserialize)]
/// struct Price {
///     currency: Choice<Currency>,
///     #[record(with = Currency::check)]
///     previous: String,
/// }
///
/// let p: Price = serde_json::from_str(r#"{"currency": "GBP", "previous": "JPY"}"#).unwrap();
/// let errors = p.validate().unwrap_err();
/// assert_eq!(errors.to_string(), "currency: must be one of [\"EUR\", \"USD\"], got \"GBP\" [choices]\n\
///                                 previous: must be one of [\"EUR\", \"USD\"], got \"JPY\" [choices]");
/// ```
pub trait Choices: 'static {
    /// The accepted values.
    const CHOICES: &'static [&'static str];

    /// Whether `value` is one of the choices.
    fn check(value: &str) -> Result<(), Invalid> {
        if Self::CHOICES.contains(&value) {
            Ok(())
        } else {
            let list = format!("{:?}", Self::CHOICES);
            Err(Invalid::new(Rule::Choices, format!("must be one of {list}")).with_limit(list))
        }
    }
}

/// A string field restricted to the values of `C` (a reusable field type; see [`Choices`]).
///
/// It reads and writes as a plain JSON string (any string is read; `validate()` reports values
/// outside the list), and its schema type is `string`.
pub struct Choice<C: Choices> {
    value: String,
    _choices: PhantomData<fn() -> C>,
}

impl<C: Choices> Choice<C> {
    /// Wraps a value, unchecked (`validate()` checks it).
    pub fn new(value: impl Into<String>) -> Self {
        Choice {
            value: value.into(),
            _choices: PhantomData,
        }
    }

    /// A checked value.
    pub fn try_new(value: impl Into<String>) -> Result<Self, Invalid> {
        let c = Self::new(value);
        C::check(&c.value)?;
        Ok(c)
    }

    /// The value.
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

impl<C: Choices> std::ops::Deref for Choice<C> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.value
    }
}

impl<C: Choices> Clone for Choice<C> {
    fn clone(&self) -> Self {
        Self::new(self.value.clone())
    }
}

impl<C: Choices> PartialEq for Choice<C> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<C: Choices> Eq for Choice<C> {}

impl<C: Choices> fmt::Debug for Choice<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.value, f)
    }
}

impl<C: Choices> fmt::Display for Choice<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl<C: Choices> serde::Serialize for Choice<C> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.value)
    }
}

impl<'de, C: Choices> serde::Deserialize<'de> for Choice<C> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Self::new)
    }
}

#[diagnostic::do_not_recommend]
impl<C: Choices> crate::FieldType for Choice<C> {
    const TYPE: crate::model::Type = crate::model::Type::String;
    fn to_literal(&self) -> crate::model::Literal {
        crate::model::Literal::String(self.value.clone())
    }
}

impl<C: Choices> Validate for Choice<C> {
    fn check(&self) -> Result<(), Invalid> {
        C::check(&self.value)
    }
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Str(&self.value)
    }
    fn length(&self) -> Option<usize> {
        Some(self.value.chars().count())
    }
}

impl<C: Choices> crate::avro::AvroCodec for Choice<C> {
    fn avro_encode(
        &self,
        opts: &crate::model::FieldOptions,
        out: &mut Vec<u8>,
    ) -> Result<(), crate::avro::EncodeError> {
        self.value.avro_encode(opts, out)
    }
}

impl<'de, C: Choices> crate::avro::AvroDecode<'de> for Choice<C> {
    fn avro_decode(
        r: &mut crate::avro::Reader<'de>,
        opts: &crate::model::FieldOptions,
    ) -> Result<Self, crate::avro::DecodeError> {
        String::avro_decode(r, opts).map(Self::new)
    }
}

impl<C: Choices> crate::protobuf::ProtoField for Choice<C> {
    fn wire_type(enc: crate::protobuf::IntEncoding) -> crate::protobuf::WireType {
        String::wire_type(enc)
    }
    fn is_default(&self) -> bool {
        self.value.is_default()
    }
    fn encode_value(&self, enc: crate::protobuf::IntEncoding, buf: &mut impl prost::bytes::BufMut) {
        self.value.encode_value(enc, buf);
    }
    fn value_len(&self, enc: crate::protobuf::IntEncoding) -> usize {
        self.value.value_len(enc)
    }
    fn decode_value(
        wire_type: crate::protobuf::WireType,
        enc: crate::protobuf::IntEncoding,
        buf: &mut impl prost::bytes::Buf,
        depth: u32,
    ) -> Result<Self, crate::protobuf::Error> {
        String::decode_value(wire_type, enc, buf, depth).map(Self::new)
    }
    fn absent() -> Result<Self, crate::protobuf::Error> {
        Ok(Self::new(String::new()))
    }
    fn clear(&mut self) {
        self.value.clear();
    }
}
