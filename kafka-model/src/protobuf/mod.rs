//! Protobuf binary encoding: the codec `#[derive(Record)]` generates, wire-compatible with the
//! `.proto` that [`schema::proto`](crate::schema::proto) renders for the same model.
//!
//! The generated code is straight-line: one call per field into the small functions of
//! [`ProtoField`], which sit on `prost::encoding`'s primitives (varints, keys, skipping), the
//! way `prost-derive`'s output does. No intermediate value, no reflection.
//!
//! What the bytes mean is exactly what the rendered `.proto` says:
//!
//! - field numbers are [`Field::tag`](crate::model::Field::tag);
//! - plain scalars (numbers, `bool`, `String`, `Vec<u8>`, `NaiveDate` as `int32` days) are
//!   skipped at their proto3 default (floats by bit pattern, so `-0.0` is written, as the C++,
//!   Java and Python runtimes do); `Option<scalar>` is proto3 `optional`: `Some(0)` is written;
//! - `Vec<T>` of numbers, `bool` and enums is packed; of strings, bytes and messages repeated;
//! - maps are repeated entry messages (key = 1, value = 2) and both key and value are always
//!   written, as the reference runtimes do (prost omits a default key or value);
//! - a list, map or `Option` that has to be one value (a list element, a map value, the value
//!   of an `Option`) is a **wrapper message** with one field `value = 1` (`Int64List`,
//!   `StringMap`, `Int64Value`; see the README's type table), written like any message: always
//!   as an element or map value, only for `Some` as an `Option` field. `Vec<u8>` is `bytes`
//!   there too;
//! - nested records, `Box<T>`, `DateTime` (`google.protobuf.Timestamp`) and enums with data are
//!   messages, written even when empty unless they are `None`;
//! - unit-only enums are proto enums numbered by [`Symbol::tag`](crate::model::Symbol::tag);
//! - enums with data are a message with one `oneof` whose member numbers are
//!   [`Variant::tag`](crate::model::Variant::tag);
//! - `Uuid` and `Decimal` are strings, `[u8; N]` and `bytes::Bytes` are bytes.
//!
//! Decoding skips unknown fields (forward compatibility), accepts packed and unpacked repeated
//! scalars, and merges repeated occurrences of a message field like every protobuf runtime.
//! It never panics and never allocates more than the input justifies: a length prefix larger than
//! what is left is an error before anything is allocated, and nesting is limited to
//! [`RECURSION_LIMIT`] levels.
//!
//! **Enum numbers the Rust enum does not declare** (proto3 enums are open, so a newer writer may
//! send them), and the zero `UNSPECIFIED` value, decode to the enum's default symbol
//! (`#[serde(other)]` or `#[record(default)]`) when it has one, and are an
//! [`ErrorKind::UnknownEnumValue`] error otherwise. Re-encoding then writes the default symbol's
//! number.
//!
//! **`prost::Message`**: with the `prost-message` feature the derive also implements
//! `prost::Message` for records and enums with data, so they work with tonic and every
//! prost-based API (off by default: one more impl per type in every build, which only code
//! handing our types to prost needs). `prost::Message` requires `Debug + Send + Sync`; the impl
//! is bounded on them (through a higher-ranked bound, so a type without `Debug` still compiles
//! and just has no usable `prost::Message` impl).
//!
//! ```
//! use kafka_model::Record;
//!
//! #[derive(Record, serde::Serialize, serde::Deserialize, Debug, PartialEq)]
//! struct Ping { seq: u32, note: Option<String> }
//!
//! let ping = Ping { seq: 150, note: Some(String::new()) };
//! let bytes = kafka_model::protobuf::to_vec(&ping)?;
//! // field 1 varint 150; field 2 present (proto3 optional) and empty
//! assert_eq!(bytes, [0x08, 0x96, 0x01, 0x12, 0x00]);
//! assert_eq!(kafka_model::protobuf::decode::<Ping>(&bytes)?, ping);
//! // prost's API works too, with the `prost-message` feature
//! #[cfg(feature = "prost-message")]
//! assert_eq!(prost::Message::encode_to_vec(&ping), bytes);
//!
//! // A list of lists: one `Int64List` wrapper message (field 1 = the packed list) per row.
//! #[derive(Record, serde::Serialize, serde::Deserialize, Debug, PartialEq)]
//! struct Grid { rows: Vec<Vec<i64>>, maybe: Option<Vec<i64>> }
//!
//! let grid = Grid { rows: vec![vec![1], vec![]], maybe: Some(vec![]) };
//! let bytes = kafka_model::protobuf::to_vec(&grid)?;
//! // rows: [1] then [] (an empty wrapper); maybe: Some(empty), present and empty
//! assert_eq!(bytes, [0x0a, 0x03, 0x0a, 0x01, 0x01, 0x0a, 0x00, 0x12, 0x00]);
//! assert_eq!(kafka_model::protobuf::decode::<Grid>(&bytes)?, grid);
//! # Ok::<(), kafka_model::protobuf::Error>(())
//! ```

#[doc(hidden)]
pub mod borrow;
mod container;
mod error;
#[doc(hidden)]
pub mod fields;
mod logical;
mod scalar;
#[doc(hidden)]
pub mod support;

use prost::bytes::{Buf, BufMut};
use prost::encoding::{encode_key, key_len};

pub use crate::model::IntEncoding;
#[doc(hidden)]
pub use borrow::ProtoOwned;
pub use borrow::{decode_borrowed, ProtoDecode};
pub use error::{Error, ErrorKind};
pub use prost::encoding::WireType;

/// How deep messages may nest when decoding (the same limit as prost's).
pub const RECURSION_LIMIT: u32 = 100;

/// Encodes a record or an enum with data as a Protobuf message, appending to `out`.
///
/// The buffer is grown once to the exact size; reuse it across calls to avoid allocations.
/// Fails only for unit-only enums, which are Protobuf enums rather than messages.
///
/// ```
/// use kafka_model::Record;
///
/// #[derive(Record, serde::Serialize, serde::Deserialize)]
/// struct Ping { seq: u32 }
///
/// let mut buf = Vec::new();
/// kafka_model::protobuf::encode(&Ping { seq: 1 }, &mut buf)?;
/// assert_eq!(buf, [0x08, 0x01]);
/// # Ok::<(), kafka_model::protobuf::Error>(())
/// ```
pub fn encode<T: ProtoField>(value: &T, out: &mut Vec<u8>) -> Result<(), Error> {
    value.encode_message(out)
}

/// Encodes a record or an enum with data as a Protobuf message into a new vector.
///
/// ```
/// use kafka_model::Record;
///
/// #[derive(Record, serde::Serialize, serde::Deserialize)]
/// struct Ping { seq: u32 }
///
/// assert_eq!(kafka_model::protobuf::to_vec(&Ping { seq: 0 })?, b"");
/// # Ok::<(), kafka_model::protobuf::Error>(())
/// ```
pub fn to_vec<T: ProtoField>(value: &T) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    value.encode_message(&mut out)?;
    Ok(out)
}

/// Decodes a Protobuf message (the whole of `bytes`) into a record or an enum with data.
///
/// ```
/// use kafka_model::Record;
///
/// #[derive(Record, serde::Serialize, serde::Deserialize, Debug, PartialEq)]
/// struct Ping { seq: u32 }
///
/// // field 1 = 1, then an unknown field 9 (skipped)
/// let ping: Ping = kafka_model::protobuf::decode(&[0x08, 0x01, 0x48, 0x07])?;
/// assert_eq!(ping, Ping { seq: 1 });
/// # Ok::<(), kafka_model::protobuf::Error>(())
/// ```
pub fn decode<T: ProtoField>(bytes: &[u8]) -> Result<T, Error> {
    T::decode_message(bytes)
}

/// A type that can be a field of a Protobuf message: implemented for every
/// [`FieldType`](crate::FieldType) (the runtime's types here, records and enums by the derive).
///
/// `enc` is the field's integer encoding ([`IntEncoding`], from `#[record(sint)]` /
/// `#[record(fixed)]`); it applies to the innermost scalar, and other types ignore it.
/// `depth` is the message nesting depth, checked against [`RECURSION_LIMIT`].
///
/// ```
/// use kafka_model::protobuf::{IntEncoding, ProtoField};
///
/// let mut buf = Vec::new();
/// (-1i32).encode_field(3, IntEncoding::Zigzag, &mut buf); // sint32
/// 0i32.encode_field(4, IntEncoding::Varint, &mut buf); // default: skipped
/// Some(0i32).encode_field(5, IntEncoding::Varint, &mut buf); // optional: written
/// assert_eq!(buf, [0x18, 0x01, 0x28, 0x00]);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a field of a `#[derive(Record)]` type (no Protobuf encoding)",
    label = "no Protobuf encoding for this type",
    note = "see the FieldType error for this field: the supported types are listed there"
)]
pub trait ProtoField: Sized {
    /// The wire type of one value.
    fn wire_type(enc: IntEncoding) -> WireType;

    /// Whether `Vec<Self>` is a packed repeated field.
    #[doc(hidden)]
    const PACKED: bool = false;

    /// Whether the value is the proto3 default that a field with implicit presence omits.
    /// Always `false` for types with presence (messages, `Option`).
    fn is_default(&self) -> bool {
        false
    }

    /// Writes the value without a key: the varint, the fixed-width bytes, or the length prefix
    /// and the contents.
    fn encode_value(&self, enc: IntEncoding, buf: &mut impl BufMut);

    /// The length of [`encode_value`](Self::encode_value)'s output.
    fn value_len(&self, enc: IntEncoding) -> usize;

    /// Reads one value whose key said `wire_type`.
    fn decode_value(
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<Self, Error>;

    /// Merges a further occurrence of the field: the last value wins for scalars, repeated
    /// fields append, messages merge field by field.
    fn merge_value(
        &mut self,
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<(), Error> {
        *self = Self::decode_value(wire_type, enc, buf, depth)?;
        Ok(())
    }

    /// The value of a field that is not on the wire (the proto3 default).
    fn absent() -> Result<Self, Error>;

    /// Resets the value to its default (`prost::Message::clear`). An enum without a default
    /// symbol is reset to its first symbol; an enum with data keeps its variant.
    fn clear(&mut self);

    /// Writes the field `tag` with implicit presence: nothing at the default.
    #[inline]
    fn encode_field(&self, tag: u32, enc: IntEncoding, buf: &mut impl BufMut) {
        if !self.is_default() {
            self.encode_present(tag, enc, buf);
        }
    }

    /// The length of [`encode_field`](Self::encode_field)'s output.
    #[inline]
    fn encoded_len_field(&self, tag: u32, enc: IntEncoding) -> usize {
        if self.is_default() {
            0
        } else {
            self.encoded_len_present(tag, enc)
        }
    }

    /// Writes the field `tag` even at its default (proto3 `optional`, oneof members, map
    /// entries, repeated elements).
    #[inline]
    fn encode_present(&self, tag: u32, enc: IntEncoding, buf: &mut impl BufMut) {
        encode_key(tag, Self::wire_type(enc), buf);
        self.encode_value(enc, buf);
    }

    /// The length of [`encode_present`](Self::encode_present)'s output.
    #[inline]
    fn encoded_len_present(&self, tag: u32, enc: IntEncoding) -> usize {
        key_len(tag) + self.value_len(enc)
    }

    /// `Vec<Self>` as field `tag` (packed, repeated, or bytes for `u8`).
    #[doc(hidden)]
    #[inline]
    fn vec_encode_field(items: &[Self], tag: u32, enc: IntEncoding, buf: &mut impl BufMut) {
        support::vec_encode_field(items, tag, enc, buf)
    }

    /// The length of [`vec_encode_field`](Self::vec_encode_field)'s output.
    #[doc(hidden)]
    #[inline]
    fn vec_encoded_len_field(items: &[Self], tag: u32, enc: IntEncoding) -> usize {
        support::vec_encoded_len_field(items, tag, enc)
    }

    /// `Vec<Self>` written even when empty (only `Vec<u8>`, as bytes, has presence).
    #[doc(hidden)]
    #[inline]
    fn vec_encode_present(items: &[Self], tag: u32, enc: IntEncoding, buf: &mut impl BufMut) {
        Self::vec_encode_field(items, tag, enc, buf)
    }

    /// The length of [`vec_encode_present`](Self::vec_encode_present)'s output.
    #[doc(hidden)]
    #[inline]
    fn vec_encoded_len_present(items: &[Self], tag: u32, enc: IntEncoding) -> usize {
        Self::vec_encoded_len_field(items, tag, enc)
    }

    /// Merges one occurrence of a `Vec<Self>` field.
    #[doc(hidden)]
    #[inline]
    fn vec_merge(
        items: &mut Vec<Self>,
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<(), Error> {
        support::vec_merge(items, wire_type, enc, buf, depth)
    }

    /// Writes the value as field `tag` where it is one value of something else: an element of
    /// a repeated field, a map value, or the `Some` of an `Option`. Lists, maps and `Option`s
    /// have no single-value form in protobuf, so there they are a *wrapper message* (see the
    /// [module docs](self)); everything else is [`encode_present`](Self::encode_present).
    #[doc(hidden)]
    #[inline]
    fn nested_encode(&self, tag: u32, enc: IntEncoding, buf: &mut impl BufMut) {
        self.encode_present(tag, enc, buf)
    }

    /// The length of [`nested_encode`](Self::nested_encode)'s output.
    #[doc(hidden)]
    #[inline]
    fn nested_len(&self, tag: u32, enc: IntEncoding) -> usize {
        self.encoded_len_present(tag, enc)
    }

    /// Reads one value written by [`nested_encode`](Self::nested_encode).
    #[doc(hidden)]
    #[inline]
    fn nested_decode(
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<Self, Error> {
        Self::decode_value(wire_type, enc, buf, depth)
    }

    /// Merges a further occurrence of a value written by [`nested_encode`](Self::nested_encode)
    /// (a wrapper message merges like any message: its lists append).
    #[doc(hidden)]
    #[inline]
    fn nested_merge(
        &mut self,
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<(), Error> {
        self.merge_value(wire_type, enc, buf, depth)
    }

    /// `Vec<Self>` as one value ([`nested_encode`](Self::nested_encode)): a list wrapper
    /// message, or `bytes` for `u8`.
    #[doc(hidden)]
    #[inline]
    fn vec_nested_encode(items: &[Self], tag: u32, enc: IntEncoding, buf: &mut impl BufMut) {
        support::list_wrapper_encode(items, tag, enc, buf)
    }

    /// The length of [`vec_nested_encode`](Self::vec_nested_encode)'s output.
    #[doc(hidden)]
    #[inline]
    fn vec_nested_len(items: &[Self], tag: u32, enc: IntEncoding) -> usize {
        support::list_wrapper_len(items, tag, enc)
    }

    /// Merges one value written by [`vec_nested_encode`](Self::vec_nested_encode) into `items`.
    #[doc(hidden)]
    #[inline]
    fn vec_nested_merge(
        items: &mut Vec<Self>,
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<(), Error> {
        support::list_wrapper_merge(items, wire_type, enc, buf, depth)
    }

    /// Encodes `self` as a top-level message (records and enums with data).
    #[doc(hidden)]
    fn encode_message(&self, out: &mut Vec<u8>) -> Result<(), Error> {
        let _ = out;
        Err(Error::new(ErrorKind::NotAMessage(std::any::type_name::<
            Self,
        >())))
    }

    /// Decodes a top-level message (records and enums with data).
    #[doc(hidden)]
    fn decode_message(bytes: &[u8]) -> Result<Self, Error> {
        let _ = bytes;
        Err(Error::new(ErrorKind::NotAMessage(std::any::type_name::<
            Self,
        >())))
    }
}

/// The fields of a message: implemented by the derive for records and enums with data, and
/// used through [`ProtoField`] and `prost::Message`.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` is no Protobuf message, so a `Box` of it has no Protobuf form",
    label = "not a record or enum with data",
    note = "a `Box` in a `#[derive(Record)]` type is for recursion: box a record or an enum with data"
)]
pub trait ProtoMessage: Sized {
    /// The schema name, for errors.
    const NAME: &'static str;

    /// The encoded length of the fields (without a length prefix).
    fn raw_len(&self) -> usize;

    /// Writes the fields.
    fn encode_raw(&self, buf: &mut impl BufMut);

    /// Merges the field `tag` into `self`; `Ok(false)` when the tag is unknown (not consumed).
    fn merge_field(
        &mut self,
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<bool, Error>;

    /// Reads fields until `buf.remaining() == end` into a new value.
    fn decode_fields(buf: &mut impl Buf, end: usize, depth: u32) -> Result<Self, Error>;

    /// Resets every field.
    fn clear_fields(&mut self);
}

/// A message is a length-delimited field value: one impl for every derived record and enum
/// with data (and `Box`es of them), rather than nine delegating methods expanded per type
/// (issue 19, derive cost).
impl<M: ProtoMessage> ProtoField for M {
    #[inline]
    fn wire_type(_: IntEncoding) -> WireType {
        WireType::LengthDelimited
    }
    #[inline]
    fn encode_value(&self, _: IntEncoding, buf: &mut impl BufMut) {
        support::message_encode_value(self, buf)
    }
    #[inline]
    fn value_len(&self, _: IntEncoding) -> usize {
        support::message_value_len(self)
    }
    #[inline]
    fn decode_value(
        wire_type: WireType,
        _: IntEncoding,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<Self, Error> {
        support::message_decode_value(wire_type, buf, depth)
    }
    #[inline]
    fn merge_value(
        &mut self,
        wire_type: WireType,
        _: IntEncoding,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<(), Error> {
        support::message_merge_value(self, wire_type, buf, depth)
    }
    #[inline]
    fn absent() -> Result<Self, Error> {
        support::message_absent()
    }
    #[inline]
    fn clear(&mut self) {
        self.clear_fields()
    }
    #[inline]
    fn encode_message(&self, out: &mut Vec<u8>) -> Result<(), Error> {
        support::encode_top(self, out)
    }
    #[inline]
    fn decode_message(bytes: &[u8]) -> Result<Self, Error> {
        support::decode_top(bytes)
    }
}
