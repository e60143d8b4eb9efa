//! [`ProtoField`] for `Option`, `Vec`, `Box` and the maps.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, Hash};

use prost::bytes::{Buf, BufMut};
use prost::encoding::{encode_key, encode_varint, encoded_len_varint, key_len};

use super::support::{
    check_end, check_wire_type, decode_key, enter_len, enter_message, finish_slot, merge_slot,
    merge_wrapper, skip_field, wrapper_len, wrapper_start,
};
use super::{Error, IntEncoding, ProtoField, ProtoMessage, WireType};
use crate::model::FieldKey;

/// `Option<T>`: proto3 `optional` for scalars and enums, message presence for messages. `Some`
/// is always written, even at the default.
impl<T: ProtoField> ProtoField for Option<T> {
    #[inline]
    fn wire_type(enc: IntEncoding) -> WireType {
        T::wire_type(enc)
    }
    #[inline]
    fn is_default(&self) -> bool {
        self.is_none()
    }
    #[inline]
    fn encode_value(&self, enc: IntEncoding, buf: &mut impl BufMut) {
        if let Some(v) = self {
            v.encode_value(enc, buf);
        }
    }
    #[inline]
    fn value_len(&self, enc: IntEncoding) -> usize {
        self.as_ref().map_or(0, |v| v.value_len(enc))
    }
    #[inline]
    fn encode_field(&self, tag: u32, enc: IntEncoding, buf: &mut impl BufMut) {
        if let Some(v) = self {
            v.nested_encode(tag, enc, buf);
        }
    }
    #[inline]
    fn encoded_len_field(&self, tag: u32, enc: IntEncoding) -> usize {
        self.as_ref().map_or(0, |v| v.nested_len(tag, enc))
    }
    #[inline]
    fn encode_present(&self, tag: u32, enc: IntEncoding, buf: &mut impl BufMut) {
        self.encode_field(tag, enc, buf);
    }
    #[inline]
    fn encoded_len_present(&self, tag: u32, enc: IntEncoding) -> usize {
        self.encoded_len_field(tag, enc)
    }
    #[inline]
    fn decode_value(
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<Self, Error> {
        T::nested_decode(wire_type, enc, buf, depth).map(Some)
    }
    #[inline]
    fn merge_value(
        &mut self,
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<(), Error> {
        nested_merge_slot(self, wire_type, enc, buf, depth)
    }
    fn absent() -> Result<Self, Error> {
        Ok(None)
    }
    fn clear(&mut self) {
        *self = None;
    }

    // As an element or a map value: `message <T>Value { optional T value = 1; }`, empty for
    // `None`.
    #[inline]
    fn nested_encode(&self, tag: u32, enc: IntEncoding, buf: &mut impl BufMut) {
        wrapper_start(tag, self.encoded_len_field(1, enc), buf);
        self.encode_field(1, enc, buf);
    }
    #[inline]
    fn nested_len(&self, tag: u32, enc: IntEncoding) -> usize {
        wrapper_len(tag, self.encoded_len_field(1, enc))
    }
    #[inline]
    fn nested_decode(
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<Self, Error> {
        let mut value = None;
        value.nested_merge(wire_type, enc, buf, depth)?;
        Ok(value)
    }
    #[inline]
    fn nested_merge(
        &mut self,
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<(), Error> {
        merge_wrapper(wire_type, buf, depth, |wire_type, buf, depth| {
            nested_merge_slot(self, wire_type, enc, buf, depth)
        })
    }
}

/// Merges one occurrence of a value in nested position (see [`ProtoField::nested_encode`])
/// into a slot: the first decodes, later ones merge.
#[inline]
fn nested_merge_slot<T: ProtoField>(
    slot: &mut Option<T>,
    wire_type: WireType,
    enc: IntEncoding,
    buf: &mut impl Buf,
    depth: u32,
) -> Result<(), Error> {
    match slot {
        Some(v) => v.nested_merge(wire_type, enc, buf, depth),
        None => {
            *slot = Some(T::nested_decode(wire_type, enc, buf, depth)?);
            Ok(())
        }
    }
}

/// `Vec<T>`: a repeated field (packed for numbers, `bool` and enums), or `bytes` for `Vec<u8>`.
impl<T: ProtoField> ProtoField for Vec<T> {
    #[inline]
    fn wire_type(_: IntEncoding) -> WireType {
        WireType::LengthDelimited
    }
    #[inline]
    fn is_default(&self) -> bool {
        self.is_empty()
    }
    /// The single-value form: `bytes` for `Vec<u8>`, the list wrapper message otherwise (as
    /// [`nested_encode`](ProtoField::nested_encode), without the key).
    #[inline]
    fn encode_value(&self, enc: IntEncoding, buf: &mut impl BufMut) {
        let mut tmp = Vec::new();
        T::vec_nested_encode(self, 1, enc, &mut tmp);
        // Drop the key written for field 1 (one byte): what is left is the value.
        buf.put_slice(tmp.get(1..).unwrap_or_default());
    }
    #[inline]
    fn value_len(&self, enc: IntEncoding) -> usize {
        T::vec_nested_len(self, 1, enc).saturating_sub(1)
    }
    #[inline]
    fn encode_field(&self, tag: u32, enc: IntEncoding, buf: &mut impl BufMut) {
        T::vec_encode_field(self, tag, enc, buf)
    }
    #[inline]
    fn encoded_len_field(&self, tag: u32, enc: IntEncoding) -> usize {
        T::vec_encoded_len_field(self, tag, enc)
    }
    #[inline]
    fn encode_present(&self, tag: u32, enc: IntEncoding, buf: &mut impl BufMut) {
        T::vec_encode_present(self, tag, enc, buf)
    }
    #[inline]
    fn encoded_len_present(&self, tag: u32, enc: IntEncoding) -> usize {
        T::vec_encoded_len_present(self, tag, enc)
    }
    #[inline]
    fn decode_value(
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<Self, Error> {
        let mut items = Vec::new();
        T::vec_merge(&mut items, wire_type, enc, buf, depth)?;
        Ok(items)
    }
    #[inline]
    fn merge_value(
        &mut self,
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<(), Error> {
        T::vec_merge(self, wire_type, enc, buf, depth)
    }
    fn absent() -> Result<Self, Error> {
        Ok(Vec::new())
    }
    fn clear(&mut self) {
        Vec::clear(self);
    }
    #[inline]
    fn nested_encode(&self, tag: u32, enc: IntEncoding, buf: &mut impl BufMut) {
        T::vec_nested_encode(self, tag, enc, buf)
    }
    #[inline]
    fn nested_len(&self, tag: u32, enc: IntEncoding) -> usize {
        T::vec_nested_len(self, tag, enc)
    }
    #[inline]
    fn nested_decode(
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<Self, Error> {
        let mut items = Vec::new();
        T::vec_nested_merge(&mut items, wire_type, enc, buf, depth)?;
        Ok(items)
    }
    #[inline]
    fn nested_merge(
        &mut self,
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<(), Error> {
        T::vec_nested_merge(self, wire_type, enc, buf, depth)
    }
}

/// `Box<T>` of a message is the message (recursive types); it is a `ProtoField` through the
/// blanket impl for messages. A box of a scalar or unit enum has no Protobuf form: the one
/// blanket impl (instead of nine methods expanded per derived type) rules out a generic
/// `Box<T: ProtoField>`, which it would overlap (issue 19, derive cost).
impl<T: ProtoMessage> ProtoMessage for Box<T> {
    const NAME: &'static str = T::NAME;

    #[inline]
    fn raw_len(&self) -> usize {
        (**self).raw_len()
    }
    #[inline]
    fn encode_raw(&self, buf: &mut impl BufMut) {
        (**self).encode_raw(buf)
    }
    #[inline]
    fn merge_field(
        &mut self,
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<bool, Error> {
        (**self).merge_field(tag, wire_type, buf, depth)
    }
    #[inline]
    fn decode_fields(buf: &mut impl Buf, end: usize, depth: u32) -> Result<Self, Error> {
        T::decode_fields(buf, end, depth).map(Box::new)
    }
    #[inline]
    fn clear_fields(&mut self) {
        (**self).clear_fields()
    }
}

/// One map entry: key (field 1) and value (field 2), both always written. The field's integer
/// encoding (`sint`, `fixed`) applies to an integer key and an integer value alike; a list, map
/// or `Option` value is its wrapper message.
#[inline]
fn entry_len<K: ProtoField, V: ProtoField>(key: &K, value: &V, enc: IntEncoding) -> usize {
    key.encoded_len_present(1, enc) + value.nested_len(2, enc)
}

#[inline]
fn encode_entries<'a, K: ProtoField + 'a, V: ProtoField + 'a>(
    entries: impl Iterator<Item = (&'a K, &'a V)>,
    tag: u32,
    enc: IntEncoding,
    buf: &mut impl BufMut,
) {
    for (k, v) in entries {
        encode_key(tag, WireType::LengthDelimited, buf);
        encode_varint(entry_len(k, v, enc) as u64, buf);
        k.encode_present(1, enc, buf);
        v.nested_encode(2, enc, buf);
    }
}

#[inline]
fn entries_len<'a, K: ProtoField + 'a, V: ProtoField + 'a>(
    entries: impl Iterator<Item = (&'a K, &'a V)>,
    tag: u32,
    enc: IntEncoding,
) -> usize {
    entries
        .map(|(k, v)| {
            let len = entry_len(k, v, enc);
            key_len(tag) + encoded_len_varint(len as u64) + len
        })
        .sum()
}

/// Reads one map entry; a missing key or value is its default, as in every runtime.
fn decode_entry<K: ProtoField, V: ProtoField>(
    wire_type: WireType,
    enc: IntEncoding,
    buf: &mut impl Buf,
    depth: u32,
) -> Result<(K, V), Error> {
    check_wire_type(WireType::LengthDelimited, wire_type)?;
    let depth = enter_message(depth)?;
    let end = enter_len(buf)?;
    let mut key: Option<K> = None;
    let mut value: Option<V> = None;
    while buf.remaining() > end {
        let (tag, wire_type) = decode_key(buf)?;
        match tag {
            1 => merge_slot(&mut key, wire_type, enc, buf, depth)?,
            2 => nested_merge_slot(&mut value, wire_type, enc, buf, depth)?,
            _ => skip_field(wire_type, tag, buf)?,
        }
    }
    check_end(buf, end)?;
    Ok((finish_slot(key)?, finish_slot(value)?))
}

macro_rules! map_field {
    (impl [$($g:tt)*] for $ty:ty, |$m:ident| $entries:expr) => {
        /// A `map<K, V>`: repeated entry messages, written in the order of `$entries`.
        impl<$($g)*> ProtoField for $ty {
            #[inline]
            fn wire_type(_: IntEncoding) -> WireType {
                WireType::LengthDelimited
            }
            #[inline]
            fn is_default(&self) -> bool {
                self.is_empty()
            }
            /// The single-value form: the map wrapper message (as `nested_encode`, without
            /// the key).
            fn encode_value(&self, enc: IntEncoding, buf: &mut impl BufMut) {
                let $m = self;
                encode_varint(entries_len(self.iter(), 1, enc) as u64, buf);
                encode_entries($entries, 1, enc, buf)
            }
            fn value_len(&self, enc: IntEncoding) -> usize {
                wrapper_len(1, entries_len(self.iter(), 1, enc)) - key_len(1)
            }
            #[inline]
            fn encode_field(&self, tag: u32, enc: IntEncoding, buf: &mut impl BufMut) {
                let $m = self;
                encode_entries($entries, tag, enc, buf)
            }
            #[inline]
            fn encoded_len_field(&self, tag: u32, enc: IntEncoding) -> usize {
                entries_len(self.iter(), tag, enc)
            }
            #[inline]
            fn encode_present(&self, tag: u32, enc: IntEncoding, buf: &mut impl BufMut) {
                self.encode_field(tag, enc, buf)
            }
            #[inline]
            fn encoded_len_present(&self, tag: u32, enc: IntEncoding) -> usize {
                self.encoded_len_field(tag, enc)
            }
            fn decode_value(
                wire_type: WireType,
                enc: IntEncoding,
                buf: &mut impl Buf,
                depth: u32,
            ) -> Result<Self, Error> {
                let mut map = Self::default();
                map.merge_value(wire_type, enc, buf, depth)?;
                Ok(map)
            }
            fn merge_value(
                &mut self,
                wire_type: WireType,
                enc: IntEncoding,
                buf: &mut impl Buf,
                depth: u32,
            ) -> Result<(), Error> {
                let (k, v) = decode_entry(wire_type, enc, buf, depth)?;
                // A repeated key replaces the earlier value (the last one wins, as in every
                // runtime); `IndexMap` keeps the key's first position.
                self.insert(k, v);
                Ok(())
            }
            fn absent() -> Result<Self, Error> {
                Ok(Self::default())
            }
            fn clear(&mut self) {
                // The inherent `clear`.
                self.clear();
            }
            // As one value: `message <V>Map { map<K, V> value = 1; }`.
            #[inline]
            fn nested_encode(&self, tag: u32, enc: IntEncoding, buf: &mut impl BufMut) {
                let $m = self;
                wrapper_start(tag, entries_len(self.iter(), 1, enc), buf);
                encode_entries($entries, 1, enc, buf)
            }
            #[inline]
            fn nested_len(&self, tag: u32, enc: IntEncoding) -> usize {
                wrapper_len(tag, entries_len(self.iter(), 1, enc))
            }
            fn nested_decode(
                wire_type: WireType,
                enc: IntEncoding,
                buf: &mut impl Buf,
                depth: u32,
            ) -> Result<Self, Error> {
                let mut map = Self::default();
                map.nested_merge(wire_type, enc, buf, depth)?;
                Ok(map)
            }
            fn nested_merge(
                &mut self,
                wire_type: WireType,
                enc: IntEncoding,
                buf: &mut impl Buf,
                depth: u32,
            ) -> Result<(), Error> {
                merge_wrapper(wire_type, buf, depth, |wire_type, buf, depth| {
                    let (k, v) = decode_entry(wire_type, enc, buf, depth)?;
                    self.insert(k, v);
                    Ok(())
                })
            }
        }
    };
}
// A `HashMap` iterates in no fixed order: its entries are written in key order (upb's and
// protobuf-java's deterministic order), so equal maps always give equal bytes.
map_field!(impl [K: FieldKey + ProtoField + Ord + Hash, V: ProtoField, S: BuildHasher + Default] for HashMap<K, V, S>, |m| crate::map_order::sorted(m));
map_field!(impl [K: FieldKey + ProtoField + Ord, V: ProtoField] for BTreeMap<K, V>, |m| m.iter());
#[cfg(feature = "indexmap")]
map_field!(impl [K: FieldKey + ProtoField + Eq + Hash, V: ProtoField, S: BuildHasher + Default] for indexmap::IndexMap<K, V, S>, |m| m.iter());
