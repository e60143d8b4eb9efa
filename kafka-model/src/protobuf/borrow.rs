//! [`ProtoDecode`]: the Protobuf decoder of types that may borrow from the input (`&'de str`,
//! `&'de [u8]`, `Cow<'de, str>`, records deriving [`RecordRef`](crate::RecordRef)).
//!
//! Still a second trait beside [`ProtoField`]'s own decoder: [`ProtoField`] decodes from any
//! `impl Buf`, which says nothing about how long the bytes live. Here the buffer is always a
//! `&'de [u8]` cursor, so a string is a sub-slice of it. Owned types delegate to their
//! `ProtoField` decoders (with `B = &'de [u8]`), so the wire semantics (packed and unpacked
//! lists, wrapper messages, merging repeated message fields, absent values) are theirs; the
//! containers here repeat those rules over `ProtoDecode` items. Avro has one decoder per type
//! ([`avro::AvroDecode`](crate::avro::AvroDecode), which owned decoding uses too); moving
//! `ProtoField`'s decode half into this trait the same way is the pending step (NOTES.md,
//! "Derive cost", session 9).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use super::support::{
    check_end, check_wire_type, decode_key, enter_len, enter_message, merge_wrapper, read_len,
    skip_field,
};
use super::{Error, ErrorKind, IntEncoding, ProtoField, ProtoMessage, WireType};

/// A type the Protobuf decoder can read out of a `&'de [u8]`, possibly borrowing from it.
/// Implemented for every owned field type (by delegation to [`ProtoField`]), for `&'de str`,
/// `&'de [u8]`, `Cow<'de, str>` and `Cow<'de, [u8]>` (always `Cow::Borrowed`), for `Option`,
/// `Vec` and maps (owned keys) of those, and by `#[derive(Record)]` for every record (a view's
/// `Box` field holds an owned type).
///
/// ```
/// use kafka_model::protobuf::{IntEncoding, ProtoDecode, WireType};
///
/// let input = [0x02, b'h', b'i'];
/// let mut buf = &input[..];
/// let s = <&str as ProtoDecode>::proto_decode(WireType::LengthDelimited, IntEncoding::Varint, &mut buf, 0)?;
/// assert_eq!(s, "hi");
/// assert_eq!(s.as_ptr(), input[1..].as_ptr()); // no copy: it points into the input
/// # Ok::<(), kafka_model::protobuf::Error>(())
/// ```
pub trait ProtoDecode<'de>: Sized {
    /// Whether a `Vec<Self>` may be packed (numbers, `bool`, enums).
    #[doc(hidden)]
    const PROTO_PACKED: bool = false;

    /// Reads one occurrence of a field of this type.
    fn proto_decode(
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut &'de [u8],
        depth: u32,
    ) -> Result<Self, Error>;

    /// Merges a further occurrence of the field (messages merge, scalars: the last wins).
    #[doc(hidden)]
    #[inline]
    fn proto_merge(
        &mut self,
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut &'de [u8],
        depth: u32,
    ) -> Result<(), Error> {
        *self = Self::proto_decode(wire_type, enc, buf, depth)?;
        Ok(())
    }

    /// The value of a field absent from the wire.
    #[doc(hidden)]
    fn proto_absent() -> Result<Self, Error>;

    /// One value as an element, map value or `Option`'s value ([`ProtoField::nested_decode`]).
    #[doc(hidden)]
    #[inline]
    fn proto_nested_decode(
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut &'de [u8],
        depth: u32,
    ) -> Result<Self, Error> {
        Self::proto_decode(wire_type, enc, buf, depth)
    }

    /// See [`ProtoField::nested_merge`].
    #[doc(hidden)]
    #[inline]
    fn proto_nested_merge(
        &mut self,
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut &'de [u8],
        depth: u32,
    ) -> Result<(), Error> {
        self.proto_merge(wire_type, enc, buf, depth)
    }

    /// Merges one occurrence of a `Vec<Self>` field (packed or not) into `items`.
    #[doc(hidden)]
    #[inline]
    fn proto_vec_merge(
        items: &mut Vec<Self>,
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut &'de [u8],
        depth: u32,
    ) -> Result<(), Error> {
        items.push(Self::proto_decode(wire_type, enc, buf, depth)?);
        Ok(())
    }

    /// Reads a message's fields until `buf.len() == end` (records).
    #[doc(hidden)]
    fn proto_decode_fields(buf: &mut &'de [u8], end: usize, depth: u32) -> Result<Self, Error> {
        let _ = (buf, end, depth);
        Err(Error::new(ErrorKind::NotAMessage(std::any::type_name::<
            Self,
        >())))
    }

    /// Decodes a top-level message (records); other types are not messages.
    #[doc(hidden)]
    fn proto_decode_message(bytes: &'de [u8]) -> Result<Self, Error> {
        let _ = bytes;
        Err(Error::new(ErrorKind::NotAMessage(std::any::type_name::<
            Self,
        >())))
    }
}

/// An owned field type whose [`ProtoDecode`] is its [`ProtoField`] decoder, method for method
/// (with `B = &'de [u8]`): every leaf type, every `#[derive(Record)]` type that borrows
/// nothing, and `Box` of any [`ProtoField`] type.
///
/// A marker with one blanket impl rather than eight delegating methods per type: each
/// derived type pays one empty impl instead of a second decoder impl (issue 19, derive cost).
/// The price is coherence: `Box` is a fundamental type, so a generic `ProtoDecode for Box<T>`
/// would overlap this blanket impl; a view's `Box` field holds an owned type.
#[doc(hidden)]
pub trait ProtoOwned: ProtoField {}

impl<'de, T: ProtoOwned> ProtoDecode<'de> for T {
    const PROTO_PACKED: bool = <T as ProtoField>::PACKED;
    #[inline]
    fn proto_decode(
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut &'de [u8],
        depth: u32,
    ) -> Result<Self, Error> {
        <T as ProtoField>::decode_value(wire_type, enc, buf, depth)
    }
    #[inline]
    fn proto_merge(
        &mut self,
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut &'de [u8],
        depth: u32,
    ) -> Result<(), Error> {
        <T as ProtoField>::merge_value(self, wire_type, enc, buf, depth)
    }
    #[inline]
    fn proto_absent() -> Result<Self, Error> {
        <T as ProtoField>::absent()
    }
    #[inline]
    fn proto_nested_decode(
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut &'de [u8],
        depth: u32,
    ) -> Result<Self, Error> {
        <T as ProtoField>::nested_decode(wire_type, enc, buf, depth)
    }
    #[inline]
    fn proto_nested_merge(
        &mut self,
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut &'de [u8],
        depth: u32,
    ) -> Result<(), Error> {
        <T as ProtoField>::nested_merge(self, wire_type, enc, buf, depth)
    }
    #[inline]
    fn proto_vec_merge(
        items: &mut Vec<Self>,
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut &'de [u8],
        depth: u32,
    ) -> Result<(), Error> {
        <T as ProtoField>::vec_merge(items, wire_type, enc, buf, depth)
    }
    #[inline]
    fn proto_decode_message(bytes: &'de [u8]) -> Result<Self, Error> {
        <T as ProtoField>::decode_message(bytes)
    }
}

/// Marks owned types as [`ProtoOwned`] (the derive writes it for every owned type).
#[doc(hidden)]
#[macro_export]
macro_rules! __proto_decode_owned {
    ($($t:ty),* $(,)?) => {$(
        impl $crate::protobuf::ProtoOwned for $t {}
    )*};
}

impl<T: ProtoMessage> ProtoOwned for Box<T> {}

crate::__proto_decode_owned!(
    bool,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    f32,
    f64,
    String,
    (),
    crate::duration::AvroDuration,
    crate::decimal128::Decimal128,
    serde_json::Value
);
#[cfg(feature = "bytes")]
crate::__proto_decode_owned!(bytes::Bytes);
#[cfg(feature = "uuid")]
crate::__proto_decode_owned!(uuid::Uuid);
#[cfg(feature = "chrono")]
crate::__proto_decode_owned!(
    chrono::DateTime<chrono::Utc>,
    chrono::NaiveDate,
    chrono::NaiveTime,
    chrono::NaiveDateTime
);
#[cfg(feature = "time")]
crate::__proto_decode_owned!(time::OffsetDateTime, time::Date, time::Time);
#[cfg(feature = "rust_decimal")]
crate::__proto_decode_owned!(rust_decimal::Decimal);

impl<const N: usize> ProtoOwned for [u8; N] {}

impl<C: crate::validate::Choices> ProtoOwned for crate::validate::Choice<C> {}

/// A length-delimited value, as a sub-slice of the input (bounds checked).
#[inline(always)]
fn take<'de>(wire_type: WireType, buf: &mut &'de [u8]) -> Result<&'de [u8], Error> {
    check_wire_type(WireType::LengthDelimited, wire_type)?;
    let len = read_len(buf)?;
    let (value, rest) = buf.split_at(len);
    *buf = rest;
    Ok(value)
}

#[inline(always)]
fn take_str<'de>(wire_type: WireType, buf: &mut &'de [u8]) -> Result<&'de str, Error> {
    crate::avro::utf8(take(wire_type, buf)?).map_err(|_| Error::new(ErrorKind::InvalidUtf8))
}

/// A string, borrowed from the input (UTF-8 checked).
impl<'de: 'a, 'a> ProtoDecode<'de> for &'a str {
    #[inline]
    fn proto_decode(
        wire_type: WireType,
        _: IntEncoding,
        buf: &mut &'de [u8],
        _: u32,
    ) -> Result<Self, Error> {
        take_str(wire_type, buf)
    }
    fn proto_absent() -> Result<Self, Error> {
        Ok("")
    }
}

/// Bytes, borrowed from the input.
impl<'de: 'a, 'a> ProtoDecode<'de> for &'a [u8] {
    #[inline]
    fn proto_decode(
        wire_type: WireType,
        _: IntEncoding,
        buf: &mut &'de [u8],
        _: u32,
    ) -> Result<Self, Error> {
        take(wire_type, buf)
    }
    fn proto_absent() -> Result<Self, Error> {
        Ok(&[])
    }
}

/// Always `Cow::Borrowed`.
impl<'de: 'a, 'a> ProtoDecode<'de> for Cow<'a, str> {
    #[inline]
    fn proto_decode(
        wire_type: WireType,
        _: IntEncoding,
        buf: &mut &'de [u8],
        _: u32,
    ) -> Result<Self, Error> {
        take_str(wire_type, buf).map(Cow::Borrowed)
    }
    fn proto_absent() -> Result<Self, Error> {
        Ok(Cow::Borrowed(""))
    }
}

/// Always `Cow::Borrowed`.
impl<'de: 'a, 'a> ProtoDecode<'de> for Cow<'a, [u8]> {
    #[inline]
    fn proto_decode(
        wire_type: WireType,
        _: IntEncoding,
        buf: &mut &'de [u8],
        _: u32,
    ) -> Result<Self, Error> {
        take(wire_type, buf).map(Cow::Borrowed)
    }
    fn proto_absent() -> Result<Self, Error> {
        Ok(Cow::Borrowed(&[]))
    }
}

/// A slot of the value inside a wrapper or an `Option`: the first occurrence decodes, later
/// ones merge (as `ProtoField`'s `nested_merge_slot`).
#[inline]
fn nested_merge_slot<'de, T: ProtoDecode<'de>>(
    slot: &mut Option<T>,
    wire_type: WireType,
    enc: IntEncoding,
    buf: &mut &'de [u8],
    depth: u32,
) -> Result<(), Error> {
    match slot {
        Some(v) => v.proto_nested_merge(wire_type, enc, buf, depth),
        None => {
            *slot = Some(T::proto_nested_decode(wire_type, enc, buf, depth)?);
            Ok(())
        }
    }
}

/// As `ProtoField for Option<T>`: the field is `T`'s nested form; as one value, a wrapper
/// message `{ optional T value = 1; }`.
impl<'de, T: ProtoDecode<'de>> ProtoDecode<'de> for Option<T> {
    #[inline]
    fn proto_decode(
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut &'de [u8],
        depth: u32,
    ) -> Result<Self, Error> {
        T::proto_nested_decode(wire_type, enc, buf, depth).map(Some)
    }
    #[inline]
    fn proto_merge(
        &mut self,
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut &'de [u8],
        depth: u32,
    ) -> Result<(), Error> {
        nested_merge_slot(self, wire_type, enc, buf, depth)
    }
    fn proto_absent() -> Result<Self, Error> {
        Ok(None)
    }
    #[inline]
    fn proto_nested_decode(
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut &'de [u8],
        depth: u32,
    ) -> Result<Self, Error> {
        let mut value = None;
        value.proto_nested_merge(wire_type, enc, buf, depth)?;
        Ok(value)
    }
    #[inline]
    fn proto_nested_merge(
        &mut self,
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut &'de [u8],
        depth: u32,
    ) -> Result<(), Error> {
        merge_wrapper(wire_type, buf, depth, |wire_type, buf, depth| {
            nested_merge_slot(self, wire_type, enc, buf, depth)
        })
    }
}

/// `repeated T` (packed when `T` may be and the occurrence is length-delimited); as one value,
/// a list wrapper message `{ repeated T value = 1; }`.
impl<'de, T: ProtoDecode<'de>> ProtoDecode<'de> for Vec<T> {
    #[inline]
    fn proto_decode(
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut &'de [u8],
        depth: u32,
    ) -> Result<Self, Error> {
        let mut items = Vec::new();
        T::proto_vec_merge(&mut items, wire_type, enc, buf, depth)?;
        Ok(items)
    }
    #[inline]
    fn proto_merge(
        &mut self,
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut &'de [u8],
        depth: u32,
    ) -> Result<(), Error> {
        T::proto_vec_merge(self, wire_type, enc, buf, depth)
    }
    fn proto_absent() -> Result<Self, Error> {
        Ok(Vec::new())
    }
    #[inline]
    fn proto_nested_decode(
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut &'de [u8],
        depth: u32,
    ) -> Result<Self, Error> {
        let mut items = Vec::new();
        items.proto_nested_merge(wire_type, enc, buf, depth)?;
        Ok(items)
    }
    #[inline]
    fn proto_nested_merge(
        &mut self,
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut &'de [u8],
        depth: u32,
    ) -> Result<(), Error> {
        merge_wrapper(wire_type, buf, depth, |wire_type, buf, depth| {
            T::proto_vec_merge(self, wire_type, enc, buf, depth)
        })
    }
}

/// One map entry message: key = 1 (owned), value = 2 (nested form); absent ones are their
/// absent values.
#[inline]
fn decode_entry<'de, K: ProtoField, V: ProtoDecode<'de>>(
    wire_type: WireType,
    enc: IntEncoding,
    buf: &mut &'de [u8],
    depth: u32,
) -> Result<(K, V), Error> {
    check_wire_type(WireType::LengthDelimited, wire_type)?;
    let depth = enter_message(depth)?;
    let end = enter_len(buf)?;
    let mut key: Option<K> = None;
    let mut value: Option<V> = None;
    while buf.len() > end {
        let (tag, wire_type) = decode_key(buf)?;
        match tag {
            1 => super::support::merge_slot(&mut key, wire_type, enc, buf, depth)?,
            2 => nested_merge_slot(&mut value, wire_type, enc, buf, depth)?,
            _ => skip_field(wire_type, tag, buf)?,
        }
    }
    check_end(buf, end)?;
    let key = match key {
        Some(k) => k,
        None => K::absent()?,
    };
    let value = match value {
        Some(v) => v,
        None => V::proto_absent()?,
    };
    Ok((key, value))
}

macro_rules! map_decode {
    (impl [$($g:tt)*] for $ty:ty, $new:expr) => {
        /// `map<K, V>`: each occurrence is one entry (owned keys, values that may borrow); as
        /// one value, a map wrapper message `{ map<K, V> value = 1; }`.
        impl<'de, $($g)*> ProtoDecode<'de> for $ty {
            #[inline]
            fn proto_decode(
                wire_type: WireType,
                enc: IntEncoding,
                buf: &mut &'de [u8],
                depth: u32,
            ) -> Result<Self, Error> {
                let mut m = $new;
                m.proto_merge(wire_type, enc, buf, depth)?;
                Ok(m)
            }
            #[inline]
            fn proto_merge(
                &mut self,
                wire_type: WireType,
                enc: IntEncoding,
                buf: &mut &'de [u8],
                depth: u32,
            ) -> Result<(), Error> {
                let (k, v) = decode_entry(wire_type, enc, buf, depth)?;
                self.insert(k, v);
                Ok(())
            }
            fn proto_absent() -> Result<Self, Error> {
                Ok($new)
            }
            #[inline]
            fn proto_nested_decode(
                wire_type: WireType,
                enc: IntEncoding,
                buf: &mut &'de [u8],
                depth: u32,
            ) -> Result<Self, Error> {
                let mut m = $new;
                m.proto_nested_merge(wire_type, enc, buf, depth)?;
                Ok(m)
            }
            #[inline]
            fn proto_nested_merge(
                &mut self,
                wire_type: WireType,
                enc: IntEncoding,
                buf: &mut &'de [u8],
                depth: u32,
            ) -> Result<(), Error> {
                merge_wrapper(wire_type, buf, depth, |wire_type, buf, depth| {
                    self.proto_merge(wire_type, enc, buf, depth)
                })
            }
        }
    };
}

map_decode!(impl [K: ProtoField + Ord, V: ProtoDecode<'de>] for BTreeMap<K, V>, BTreeMap::new());
map_decode!(impl [K: ProtoField + Eq + std::hash::Hash, V: ProtoDecode<'de>, S: BuildHasher + Default] for HashMap<K, V, S>, HashMap::with_hasher(S::default()));
#[cfg(feature = "indexmap")]
map_decode!(impl [K: ProtoField + Eq + std::hash::Hash, V: ProtoDecode<'de>, S: BuildHasher + Default] for indexmap::IndexMap<K, V, S>, indexmap::IndexMap::with_hasher(S::default()));

/// Decodes a Protobuf message (all of `bytes`), borrowing strings and bytes from it.
pub fn decode_borrowed<'de, T: ProtoDecode<'de>>(bytes: &'de [u8]) -> Result<T, Error> {
    T::proto_decode_message(bytes)
}

/// What the derive's borrowed records call; not part of the public API.
#[doc(hidden)]
pub mod __private {
    use super::*;

    /// A field slot: the first occurrence decodes, later ones merge.
    #[inline(always)]
    pub fn merge_slot<'de, T: ProtoDecode<'de>>(
        slot: &mut Option<T>,
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut &'de [u8],
        depth: u32,
    ) -> Result<(), Error> {
        match slot {
            Some(v) => v.proto_merge(wire_type, enc, buf, depth),
            None => {
                *slot = Some(T::proto_decode(wire_type, enc, buf, depth)?);
                Ok(())
            }
        }
    }

    /// The slot's value, or the field's absent value.
    #[inline(always)]
    pub fn finish_slot<'de, T: ProtoDecode<'de>>(slot: Option<T>) -> Result<T, Error> {
        match slot {
            Some(v) => Ok(v),
            None => T::proto_absent(),
        }
    }

    /// A message as a length-delimited value: checks the wire type and depth, and gives the
    /// remaining length at which the message ends.
    #[inline(always)]
    pub fn enter(wire_type: WireType, buf: &mut &[u8], depth: u32) -> Result<(usize, u32), Error> {
        check_wire_type(WireType::LengthDelimited, wire_type)?;
        let depth = enter_message(depth)?;
        Ok((enter_len(buf)?, depth))
    }

    /// A top-level message: its fields, to the end of `bytes`; errors name the message and
    /// the offset.
    #[inline]
    pub fn decode_top<'de, T: ProtoDecode<'de>>(
        name: &'static str,
        bytes: &'de [u8],
    ) -> Result<T, Error> {
        let mut buf = bytes;
        T::proto_decode_fields(&mut buf, 0, 0)
            .map_err(|e| e.at(name, Some(bytes.len() - buf.len())))
    }

    pub use super::super::support::{check_end, decode_key, skip_field};
}
