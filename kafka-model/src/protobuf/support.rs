//! Small functions the generated code and the runtime impls call; not part of the public API.

use prost::bytes::{Buf, BufMut};
use prost::encoding::{
    decode_varint, encode_key, encode_varint, encoded_len_varint, key_len, DecodeContext,
};

use super::{Error, ErrorKind, IntEncoding, ProtoField, ProtoMessage, WireType, RECURSION_LIMIT};

pub use prost;

/// Reads a field key.
#[inline(always)]
pub fn decode_key(buf: &mut impl Buf) -> Result<(u32, WireType), Error> {
    prost::encoding::decode_key(buf).map_err(Error::from)
}

/// Skips a field whose tag is unknown.
#[inline]
pub fn skip_field(wire_type: WireType, tag: u32, buf: &mut impl Buf) -> Result<(), Error> {
    prost::encoding::skip_field(wire_type, tag, buf, DecodeContext::default()).map_err(Error::from)
}

/// Fails unless `found` is `expected`.
#[inline(always)]
pub fn check_wire_type(expected: WireType, found: WireType) -> Result<(), Error> {
    if expected == found {
        Ok(())
    } else {
        Err(wire_type_error(expected, found))
    }
}

#[cold]
fn wire_type_error(expected: WireType, found: WireType) -> Error {
    Error::new(ErrorKind::WireType { expected, found })
}

/// Reads a varint.
#[inline(always)]
pub fn read_varint(buf: &mut impl Buf) -> Result<u64, Error> {
    decode_varint(buf).map_err(Error::from)
}

/// Reads a length prefix and checks it against what is left.
#[inline(always)]
pub fn read_len(buf: &mut impl Buf) -> Result<usize, Error> {
    let len = read_varint(buf)?;
    let remaining = buf.remaining();
    if len > remaining as u64 {
        return Err(truncated(len, remaining));
    }
    Ok(len as usize)
}

#[cold]
fn truncated(needed: u64, remaining: usize) -> Error {
    Error::new(ErrorKind::Truncated { needed, remaining })
}

/// Reads a length prefix and returns the `remaining()` value at which the delimited data ends.
#[inline(always)]
pub fn enter_len(buf: &mut impl Buf) -> Result<usize, Error> {
    let len = read_len(buf)?;
    Ok(buf.remaining() - len)
}

/// Fails when reading went past `end` (a field ran over its enclosing message).
#[inline(always)]
pub fn check_end(buf: &impl Buf, end: usize) -> Result<(), Error> {
    if buf.remaining() < end {
        return Err(Error::new(ErrorKind::Overrun));
    }
    Ok(())
}

/// Copies `len` bytes (already checked against `remaining()`) into `out`, replacing its content.
#[inline]
pub fn read_bytes_into(buf: &mut impl Buf, len: usize, out: &mut Vec<u8>) {
    out.clear();
    out.reserve(len);
    let mut left = len;
    while left > 0 {
        let chunk = buf.chunk();
        let n = chunk.len().min(left);
        if n == 0 {
            break;
        }
        out.extend_from_slice(&chunk[..n]);
        buf.advance(n);
        left -= n;
    }
}

/// Reads a length-delimited value into a new vector.
#[inline]
pub fn read_bytes(wire_type: WireType, buf: &mut impl Buf) -> Result<Vec<u8>, Error> {
    check_wire_type(WireType::LengthDelimited, wire_type)?;
    let len = read_len(buf)?;
    let mut out = Vec::new();
    read_bytes_into(buf, len, &mut out);
    Ok(out)
}

/// Writes a length-delimited value.
#[inline]
pub fn put_bytes(bytes: &[u8], buf: &mut impl BufMut) {
    encode_varint(bytes.len() as u64, buf);
    buf.put_slice(bytes);
}

/// The length of [`put_bytes`]'s output.
#[inline]
pub fn bytes_len(len: usize) -> usize {
    encoded_len_varint(len as u64) + len
}

/// Checks the nesting depth before entering a message.
#[inline(always)]
pub fn enter_message(depth: u32) -> Result<u32, Error> {
    if depth >= RECURSION_LIMIT {
        return Err(Error::new(ErrorKind::RecursionLimit(RECURSION_LIMIT)));
    }
    Ok(depth + 1)
}

/// Merges a field into a decoding slot: the first occurrence decodes, later ones merge.
#[inline(always)]
pub fn merge_slot<T: ProtoField>(
    slot: &mut Option<T>,
    wire_type: WireType,
    enc: IntEncoding,
    buf: &mut impl Buf,
    depth: u32,
) -> Result<(), Error> {
    match slot {
        Some(v) => v.merge_value(wire_type, enc, buf, depth),
        None => {
            *slot = Some(T::decode_value(wire_type, enc, buf, depth)?);
            Ok(())
        }
    }
}

/// The value of a decoding slot: what was read, or the field's absent value.
#[inline(always)]
pub fn finish_slot<T: ProtoField>(slot: Option<T>) -> Result<T, Error> {
    match slot {
        Some(v) => Ok(v),
        None => T::absent(),
    }
}

/// [`merge_slot`] for the field `name` of a generated decoder, whose errors then carry the
/// name: one generic call per field instead of two (issue 19, derive cost).
#[inline(always)]
pub fn merge_field_slot<T: ProtoField>(
    slot: &mut Option<T>,
    wire_type: WireType,
    enc: IntEncoding,
    buf: &mut impl Buf,
    depth: u32,
    name: &'static str,
) -> Result<(), Error> {
    crate::derive_support::in_field(merge_slot(slot, wire_type, enc, buf, depth), name)
}

/// [`ProtoField::merge_value`] into the field `name` of a message (`ProtoMessage::merge_field`),
/// errors carrying the name: one generic call per field instead of two.
#[inline(always)]
pub fn merge_field_value<T: ProtoField>(
    value: &mut T,
    wire_type: WireType,
    enc: IntEncoding,
    buf: &mut impl Buf,
    depth: u32,
    name: &'static str,
) -> Result<(), Error> {
    crate::derive_support::in_field(value.merge_value(wire_type, enc, buf, depth), name)
}

// ---- messages -------------------------------------------------------------------------------

/// Names a type the derive found boxed in a field (`Box<T>`): a compile error at the field
/// unless `T` is a message (a record or an enum with data), the only boxes Protobuf has.
#[inline]
pub fn boxed_message<T: ProtoMessage>() {}

/// A message as a length-delimited value.
#[inline]
pub fn message_encode_value<M: ProtoMessage>(m: &M, buf: &mut impl BufMut) {
    encode_varint(m.raw_len() as u64, buf);
    m.encode_raw(buf);
}

/// The length of [`message_encode_value`]'s output.
#[inline]
pub fn message_value_len<M: ProtoMessage>(m: &M) -> usize {
    let len = m.raw_len();
    encoded_len_varint(len as u64) + len
}

/// Reads a length-delimited message into a new value.
#[inline]
pub fn message_decode_value<M: ProtoMessage>(
    wire_type: WireType,
    buf: &mut impl Buf,
    depth: u32,
) -> Result<M, Error> {
    check_wire_type(WireType::LengthDelimited, wire_type)?;
    let depth = enter_message(depth)?;
    let end = enter_len(buf)?;
    M::decode_fields(buf, end, depth)
}

/// Merges a length-delimited message into `m`.
#[inline]
pub fn message_merge_value<M: ProtoMessage>(
    m: &mut M,
    wire_type: WireType,
    buf: &mut impl Buf,
    depth: u32,
) -> Result<(), Error> {
    check_wire_type(WireType::LengthDelimited, wire_type)?;
    let depth = enter_message(depth)?;
    let end = enter_len(buf)?;
    while buf.remaining() > end {
        let (tag, wire_type) = decode_key(buf)?;
        if !m.merge_field(tag, wire_type, buf, depth)? {
            skip_field(wire_type, tag, buf)?;
        }
    }
    check_end(buf, end)
}

/// A message absent from the wire: every field at its absent value.
#[inline]
pub fn message_absent<M: ProtoMessage>() -> Result<M, Error> {
    M::decode_fields(&mut &[][..], 0, 0)
}

/// Encodes a top-level message into `out`, growing it once.
#[inline]
pub fn encode_top<M: ProtoMessage>(m: &M, out: &mut Vec<u8>) -> Result<(), Error> {
    out.reserve(m.raw_len());
    m.encode_raw(out);
    Ok(())
}

/// Decodes a top-level message from the whole of `bytes`.
#[inline]
pub fn decode_top<M: ProtoMessage>(bytes: &[u8]) -> Result<M, Error> {
    let mut buf = bytes;
    M::decode_fields(&mut buf, 0, 0).map_err(|e| e.at(M::NAME, Some(bytes.len() - buf.len())))
}

/// `prost::Message::merge_field` for a generated message.
#[inline]
pub fn prost_merge_field<M: ProtoMessage>(
    m: &mut M,
    tag: u32,
    wire_type: WireType,
    buf: &mut impl Buf,
    ctx: DecodeContext,
) -> Result<(), prost::DecodeError> {
    match m.merge_field(tag, wire_type, buf, 0) {
        Ok(true) => Ok(()),
        Ok(false) => prost::encoding::skip_field(wire_type, tag, buf, ctx),
        Err(e) => Err(e.at(M::NAME, None).into_prost()),
    }
}

/// `prost::Message` for a derived message type, with the `prost-message` feature (the derive
/// calls this for every record and enum with data; without the feature it expands to
/// nothing). Opt-in because only code handing our types to prost-based APIs needs it, and it
/// is one more impl per type for every user (issue 19, derive cost). Bounded with a
/// higher-ranked `Debug + Send + Sync` bound, which the compiler checks only where the impl is
/// used, so a type without `Debug` still compiles.
#[cfg(feature = "prost-message")]
#[doc(hidden)]
#[macro_export]
macro_rules! __prost_message {
    ($t:ident) => {
        impl $crate::protobuf::support::prost::Message for $t
        where
            for<'__kafka_model> $t:
                ::core::fmt::Debug + ::core::marker::Send + ::core::marker::Sync,
        {
            fn encode_raw(&self, buf: &mut impl $crate::protobuf::support::prost::bytes::BufMut) {
                $crate::protobuf::ProtoMessage::encode_raw(self, buf)
            }
            fn merge_field(
                &mut self,
                tag: u32,
                wire_type: $crate::protobuf::WireType,
                buf: &mut impl $crate::protobuf::support::prost::bytes::Buf,
                ctx: $crate::protobuf::support::prost::encoding::DecodeContext,
            ) -> ::core::result::Result<(), $crate::protobuf::support::prost::DecodeError> {
                $crate::protobuf::support::prost_merge_field(self, tag, wire_type, buf, ctx)
            }
            #[inline]
            fn encoded_len(&self) -> usize {
                $crate::protobuf::ProtoMessage::raw_len(self)
            }
            #[inline]
            fn clear(&mut self) {
                $crate::protobuf::ProtoMessage::clear_fields(self)
            }
        }
    };
}

/// Without the `prost-message` feature: no `prost::Message` impl.
#[cfg(not(feature = "prost-message"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __prost_message {
    ($t:ident) => {};
}

// ---- oneof members and enums ------------------------------------------------------------------

/// Writes a message-valued oneof member or struct variant: key, length, fields.
#[inline]
pub fn encode_nested_key(tag: u32, len: usize, buf: &mut impl BufMut) {
    encode_key(tag, WireType::LengthDelimited, buf);
    encode_varint(len as u64, buf);
}

/// The length of a nested message of `len` bytes as field `tag`.
#[inline]
pub fn nested_len(tag: u32, len: usize) -> usize {
    key_len(tag) + encoded_len_varint(len as u64) + len
}

/// Reads an enum number (an `int32` varint).
#[inline]
pub fn read_enum_number(wire_type: WireType, buf: &mut impl Buf) -> Result<i32, Error> {
    check_wire_type(WireType::Varint, wire_type)?;
    Ok(read_varint(buf)? as i32)
}

/// Writes an enum number (an `int32` varint: negative numbers sign-extended).
#[inline]
pub fn put_enum_number(number: i32, buf: &mut impl BufMut) {
    encode_varint(number as i64 as u64, buf);
}

/// The length of [`put_enum_number`]'s output.
#[inline]
pub fn enum_number_len(number: i32) -> usize {
    encoded_len_varint(number as i64 as u64)
}

/// The error for an enum number without a symbol.
#[cold]
pub fn unknown_enum(enum_name: &'static str, number: i32) -> Error {
    Error::new(ErrorKind::UnknownEnumValue { enum_name, number })
}

/// The error for a oneof message with no member set.
#[cold]
pub fn missing_oneof(message: &'static str) -> Error {
    Error::new(ErrorKind::MissingOneof { message })
}

// ---- repeated fields ----------------------------------------------------------------------------

/// `Vec<T>` as field `tag`: packed for packable scalars, one field per element otherwise.
#[inline]
pub fn vec_encode_field<T: ProtoField>(
    items: &[T],
    tag: u32,
    enc: IntEncoding,
    buf: &mut impl BufMut,
) {
    if items.is_empty() {
        return;
    }
    if T::PACKED {
        encode_key(tag, WireType::LengthDelimited, buf);
        let len: usize = items.iter().map(|v| v.value_len(enc)).sum();
        encode_varint(len as u64, buf);
        for v in items {
            v.encode_value(enc, buf);
        }
    } else {
        for v in items {
            v.nested_encode(tag, enc, buf);
        }
    }
}

/// The length of [`vec_encode_field`]'s output.
#[inline]
pub fn vec_encoded_len_field<T: ProtoField>(items: &[T], tag: u32, enc: IntEncoding) -> usize {
    if items.is_empty() {
        return 0;
    }
    if T::PACKED {
        let len: usize = items.iter().map(|v| v.value_len(enc)).sum();
        key_len(tag) + encoded_len_varint(len as u64) + len
    } else {
        items.iter().map(|v| v.nested_len(tag, enc)).sum()
    }
}

/// Merges one occurrence of a repeated field: a packed run or one element.
#[inline]
pub fn vec_merge<T: ProtoField>(
    items: &mut Vec<T>,
    wire_type: WireType,
    enc: IntEncoding,
    buf: &mut impl Buf,
    depth: u32,
) -> Result<(), Error> {
    if T::PACKED && wire_type == WireType::LengthDelimited {
        let end = enter_len(buf)?;
        let inner = T::wire_type(enc);
        while buf.remaining() > end {
            items.push(T::decode_value(inner, enc, buf, depth)?);
        }
        check_end(buf, end)
    } else {
        items.push(T::nested_decode(wire_type, enc, buf, depth)?);
        Ok(())
    }
}

// ---- wrapper messages (nested collections) ------------------------------------------------------

/// Writes the key of a wrapper message as field `tag` and the length of its `body_len` bytes.
#[inline]
pub fn wrapper_start(tag: u32, body_len: usize, buf: &mut impl BufMut) {
    encode_key(tag, WireType::LengthDelimited, buf);
    encode_varint(body_len as u64, buf);
}

/// The length of a wrapper message of `body_len` bytes as field `tag`.
#[inline]
pub fn wrapper_len(tag: u32, body_len: usize) -> usize {
    key_len(tag) + encoded_len_varint(body_len as u64) + body_len
}

/// Reads one wrapper message: `field` merges each occurrence of its field 1, other fields are
/// skipped. The wrapper counts as a message level against [`RECURSION_LIMIT`].
#[inline]
pub fn merge_wrapper<B: Buf>(
    wire_type: WireType,
    buf: &mut B,
    depth: u32,
    mut field: impl FnMut(WireType, &mut B, u32) -> Result<(), Error>,
) -> Result<(), Error> {
    check_wire_type(WireType::LengthDelimited, wire_type)?;
    let depth = enter_message(depth)?;
    let end = enter_len(buf)?;
    while buf.remaining() > end {
        let (tag, wire_type) = decode_key(buf)?;
        if tag == 1 {
            field(wire_type, buf, depth)?;
        } else {
            skip_field(wire_type, tag, buf)?;
        }
    }
    check_end(buf, end)
}

/// `Vec<T>` as one value: `message <T>List { repeated T value = 1; }` as field `tag`.
#[inline]
pub fn list_wrapper_encode<T: ProtoField>(
    items: &[T],
    tag: u32,
    enc: IntEncoding,
    buf: &mut impl BufMut,
) {
    wrapper_start(tag, T::vec_encoded_len_field(items, 1, enc), buf);
    T::vec_encode_field(items, 1, enc, buf);
}

/// The length of [`list_wrapper_encode`]'s output.
#[inline]
pub fn list_wrapper_len<T: ProtoField>(items: &[T], tag: u32, enc: IntEncoding) -> usize {
    wrapper_len(tag, T::vec_encoded_len_field(items, 1, enc))
}

/// Reads a list wrapper message, appending its elements to `items`.
#[inline]
pub fn list_wrapper_merge<T: ProtoField>(
    items: &mut Vec<T>,
    wire_type: WireType,
    enc: IntEncoding,
    buf: &mut impl Buf,
    depth: u32,
) -> Result<(), Error> {
    merge_wrapper(wire_type, buf, depth, |wire_type, buf, depth| {
        T::vec_merge(items, wire_type, enc, buf, depth)
    })
}

// ---- oneof fields (`#[record(oneof)]`) ------------------------------------------------------------

/// An enum with data that can be a `oneof` of another message (`#[record(oneof)]`): the derive
/// implements it for every enum with data. Its [`ProtoMessage`] form is exactly the members,
/// so a oneof field writes [`ProtoMessage::encode_raw`] straight into the enclosing message.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a `#[record(oneof)]` field",
    label = "not an enum with data",
    note = "a oneof field holds a `#[derive(Record)]` enum whose variants carry data, or an `Option` of one"
)]
pub trait ProtoOneof: ProtoMessage {
    /// Decodes the member numbered `tag` as a fresh value; `Ok(None)` (nothing read) when no
    /// variant has that number.
    fn decode_member(
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<Option<Self>, Error>;
}

/// A `#[record(oneof)]` field: an enum with data (a member is always set) or an `Option` of one.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a `#[record(oneof)]` field",
    label = "not an enum with data, nor an `Option` of one",
    note = "a oneof field holds a `#[derive(Record)]` enum whose variants carry data, or an `Option` of one"
)]
pub trait OneofField: Sized {
    /// Encoded length of the set member (key included).
    fn oneof_len(&self) -> usize;
    /// Writes the set member (key included), even at its default value, as oneofs do.
    fn oneof_encode(&self, buf: &mut impl BufMut);
    /// Merges field `tag` if it is a member (the last member read wins, as in protobuf);
    /// `Ok(false)` and nothing read otherwise.
    fn oneof_merge(
        &mut self,
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<bool, Error>;
    /// [`oneof_merge`](Self::oneof_merge) into a decoder slot.
    fn oneof_merge_slot(
        slot: &mut Option<Self>,
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<bool, Error>;
    /// The decoded value: no member read is `None` for an `Option`, an error otherwise.
    fn oneof_finish(slot: Option<Self>) -> Result<Self, Error>;
    /// Back to "no member" (`None`), or the current member's default.
    fn oneof_clear(&mut self);
}

impl<T: ProtoOneof> OneofField for T {
    #[inline]
    fn oneof_len(&self) -> usize {
        self.raw_len()
    }
    #[inline]
    fn oneof_encode(&self, buf: &mut impl BufMut) {
        self.encode_raw(buf)
    }
    fn oneof_merge(
        &mut self,
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<bool, Error> {
        self.merge_field(tag, wire_type, buf, depth)
    }
    fn oneof_merge_slot(
        slot: &mut Option<Self>,
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<bool, Error> {
        match slot {
            Some(v) => v.merge_field(tag, wire_type, buf, depth),
            None => match T::decode_member(tag, wire_type, buf, depth)? {
                Some(v) => {
                    *slot = Some(v);
                    Ok(true)
                }
                None => Ok(false),
            },
        }
    }
    fn oneof_finish(slot: Option<Self>) -> Result<Self, Error> {
        slot.ok_or_else(|| missing_oneof(T::NAME))
    }
    fn oneof_clear(&mut self) {
        self.clear_fields()
    }
}

impl<T: ProtoOneof> OneofField for Option<T> {
    #[inline]
    fn oneof_len(&self) -> usize {
        self.as_ref().map_or(0, ProtoMessage::raw_len)
    }
    #[inline]
    fn oneof_encode(&self, buf: &mut impl BufMut) {
        if let Some(v) = self {
            v.encode_raw(buf)
        }
    }
    fn oneof_merge(
        &mut self,
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<bool, Error> {
        T::oneof_merge_slot(self, tag, wire_type, buf, depth)
    }
    fn oneof_merge_slot(
        slot: &mut Option<Self>,
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<bool, Error> {
        let inner = slot.get_or_insert(None);
        let known = T::oneof_merge_slot(inner, tag, wire_type, buf, depth)?;
        Ok(known)
    }
    fn oneof_finish(slot: Option<Self>) -> Result<Self, Error> {
        Ok(slot.flatten())
    }
    fn oneof_clear(&mut self) {
        *self = None;
    }
}
