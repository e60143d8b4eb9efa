//! [`AvroCodec`] (encoder) and [`AvroDecode`] (decoder) for the standard types and the optional
//! crates of the mapping table: one decoder per type, for owned decoding and for borrowed views
//! alike.

// Over 800 lines: one encoder/decoder pair per type of the mapping table (~40 types); split by
// family, one table would be spread over files.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use super::encode::*;
use super::error::{DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind};
use super::reader::Reader;
use super::{AvroCodec, AvroDecode, MAX_LONG};
#[cfg(any(feature = "chrono", feature = "time"))]
use crate::model::TimePrecision;
use crate::model::{FieldKey, FieldOptions};

impl AvroCodec for bool {
    #[inline]
    fn avro_size_hint(&self, _: &FieldOptions) -> usize {
        1
    }
    #[inline]
    fn avro_encode(&self, _: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        write_bool(out, *self);
        Ok(())
    }
}

impl<'de> AvroDecode<'de> for bool {
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, _: &FieldOptions) -> Result<Self, DecodeError> {
        r.read_bool()
    }
}

macro_rules! narrow_int {
    ($($t:ty => $expected:literal),*) => {$(
        impl AvroCodec for $t {
            #[inline]
            fn avro_size_hint(&self, _: &FieldOptions) -> usize {
                5
            }
            #[inline]
            fn avro_encode(&self, _: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
                write_long(out, i64::from(*self));
                Ok(())
            }
        }

        impl<'de> AvroDecode<'de> for $t {
            #[inline]
            fn avro_decode(r: &mut Reader<'de>, _: &FieldOptions) -> Result<Self, DecodeError> {
                let start = r.offset();
                let v = r.read_int()?;
                <$t>::try_from(v).map_err(|_| {
                    r.error_at(start, DecodeErrorKind::OutOfRange { expected: $expected, found: i128::from(v) })
                })
            }
        }
    )*};
}
narrow_int!(i8 => "an i8 (-128..=127)", i16 => "an i16 (-32768..=32767)", u16 => "a u16 (0..=65535)");

impl AvroCodec for i32 {
    #[inline]
    fn avro_size_hint(&self, _: &FieldOptions) -> usize {
        5
    }
    #[inline]
    fn avro_encode(&self, _: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        write_int(out, *self);
        Ok(())
    }
}

impl<'de> AvroDecode<'de> for i32 {
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, _: &FieldOptions) -> Result<Self, DecodeError> {
        r.read_int()
    }
}

impl AvroCodec for i64 {
    #[inline]
    fn avro_size_hint(&self, _: &FieldOptions) -> usize {
        MAX_LONG
    }
    #[inline]
    fn avro_encode(&self, _: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        write_long(out, *self);
        Ok(())
    }
}

impl<'de> AvroDecode<'de> for i64 {
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, _: &FieldOptions) -> Result<Self, DecodeError> {
        r.read_long()
    }
}

impl AvroCodec for u32 {
    #[inline]
    fn avro_size_hint(&self, _: &FieldOptions) -> usize {
        5
    }
    #[inline]
    fn avro_encode(&self, _: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        write_long(out, i64::from(*self));
        Ok(())
    }
}

impl<'de> AvroDecode<'de> for u32 {
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, _: &FieldOptions) -> Result<Self, DecodeError> {
        let start = r.offset();
        let v = r.read_long()?;
        u32::try_from(v).map_err(|_| {
            r.error_at(
                start,
                DecodeErrorKind::OutOfRange {
                    expected: "a u32 (0..=4294967295)",
                    found: i128::from(v),
                },
            )
        })
    }
}

impl AvroCodec for u64 {
    #[inline]
    fn avro_size_hint(&self, _: &FieldOptions) -> usize {
        MAX_LONG
    }
    #[inline]
    fn avro_encode(&self, _: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        match i64::try_from(*self) {
            Ok(v) => {
                write_long(out, v);
                Ok(())
            }
            Err(_) => Err(EncodeError::new(EncodeErrorKind::OutOfRange {
                avro_type: "long (u64 values above i64::MAX cannot be written)",
                value: i128::from(*self),
            })),
        }
    }
}

impl<'de> AvroDecode<'de> for u64 {
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, _: &FieldOptions) -> Result<Self, DecodeError> {
        let start = r.offset();
        let v = r.read_long()?;
        u64::try_from(v).map_err(|_| {
            r.error_at(
                start,
                DecodeErrorKind::OutOfRange {
                    expected: "a u64 (0..=i64::MAX in Avro)",
                    found: i128::from(v),
                },
            )
        })
    }
}

// `u8` alone is an Avro int; `Vec<u8>` is Avro bytes.
impl AvroCodec for u8 {
    #[inline]
    fn avro_size_hint(&self, _: &FieldOptions) -> usize {
        2
    }
    #[inline]
    fn avro_encode(&self, _: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        write_long(out, i64::from(*self));
        Ok(())
    }
    #[inline]
    fn avro_size_hint_slice(items: &[Self], _: &FieldOptions) -> usize {
        MAX_LONG + items.len()
    }
    #[inline]
    fn avro_encode_slice(
        items: &[Self],
        _: &FieldOptions,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        write_bytes(out, items);
        Ok(())
    }
}

impl<'de> AvroDecode<'de> for u8 {
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, _: &FieldOptions) -> Result<Self, DecodeError> {
        let start = r.offset();
        let v = r.read_int()?;
        u8::try_from(v).map_err(|_| {
            r.error_at(
                start,
                DecodeErrorKind::OutOfRange {
                    expected: "a u8 (0..=255)",
                    found: i128::from(v),
                },
            )
        })
    }
    #[inline]
    fn avro_decode_vec(r: &mut Reader<'de>, _: &FieldOptions) -> Result<Vec<Self>, DecodeError> {
        Ok(r.read_bytes()?.to_vec())
    }
}

impl AvroCodec for f32 {
    #[inline]
    fn avro_size_hint(&self, _: &FieldOptions) -> usize {
        4
    }
    #[inline]
    fn avro_encode(&self, _: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        write_float(out, *self);
        Ok(())
    }
}

impl<'de> AvroDecode<'de> for f32 {
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, _: &FieldOptions) -> Result<Self, DecodeError> {
        r.read_float()
    }
}

impl AvroCodec for f64 {
    #[inline]
    fn avro_size_hint(&self, _: &FieldOptions) -> usize {
        8
    }
    #[inline]
    fn avro_encode(&self, _: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        write_double(out, *self);
        Ok(())
    }
}

impl<'de> AvroDecode<'de> for f64 {
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, _: &FieldOptions) -> Result<Self, DecodeError> {
        r.read_double()
    }
}

impl AvroCodec for String {
    #[inline]
    fn avro_size_hint(&self, _: &FieldOptions) -> usize {
        MAX_LONG + self.len()
    }
    #[inline]
    fn avro_encode(&self, _: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        write_str(out, self);
        Ok(())
    }
}

impl<'de> AvroDecode<'de> for String {
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, _: &FieldOptions) -> Result<Self, DecodeError> {
        Ok(r.read_str()?.to_owned())
    }
}

impl<const N: usize> AvroCodec for [u8; N] {
    #[inline]
    fn avro_size_hint(&self, _: &FieldOptions) -> usize {
        N
    }
    #[inline]
    fn avro_encode(&self, _: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        write_fixed(out, self);
        Ok(())
    }
}

impl<'de, const N: usize> AvroDecode<'de> for [u8; N] {
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, _: &FieldOptions) -> Result<Self, DecodeError> {
        let mut out = [0u8; N];
        out.copy_from_slice(r.read_fixed(N)?);
        Ok(out)
    }
}

impl<T: AvroCodec> AvroCodec for Option<T> {
    #[inline]
    fn avro_size_hint(&self, opts: &FieldOptions) -> usize {
        match self {
            None => 1,
            Some(v) => 5 + v.avro_size_hint(opts),
        }
    }
    #[inline]
    fn avro_encode(&self, opts: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        match self {
            None => {
                out.push(0);
                Ok(())
            }
            Some(v) => v.avro_encode_branch(1, opts, out),
        }
    }
    #[inline]
    fn avro_encode_null_last(
        &self,
        opts: &FieldOptions,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        match self {
            None => {
                write_index(out, T::UNION_BRANCHES.max(1));
                Ok(())
            }
            Some(v) => v.avro_encode_branch(0, opts, out),
        }
    }
}

impl<'de, T: AvroDecode<'de>> AvroDecode<'de> for Option<T> {
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, opts: &FieldOptions) -> Result<Self, DecodeError> {
        let branches = T::UNION_BRANCHES.max(1);
        match r.read_union_index(branches + 1)? {
            0 => Ok(None),
            i => T::avro_decode_branch(i - 1, r, opts).map(Some),
        }
    }
    #[inline]
    fn avro_decode_null_last(
        r: &mut Reader<'de>,
        opts: &FieldOptions,
    ) -> Result<Self, DecodeError> {
        let branches = T::UNION_BRANCHES.max(1);
        match r.read_union_index(branches + 1)? {
            i if i == branches => Ok(None),
            i => T::avro_decode_branch(i, r, opts).map(Some),
        }
    }
}

impl<T: AvroCodec> AvroCodec for Box<T> {
    #[inline]
    fn avro_size_hint(&self, opts: &FieldOptions) -> usize {
        (**self).avro_size_hint(opts)
    }
    #[inline]
    fn avro_encode(&self, opts: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        (**self).avro_encode(opts, out)
    }
    #[inline]
    fn avro_encode_branch(
        &self,
        base: usize,
        opts: &FieldOptions,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        (**self).avro_encode_branch(base, opts, out)
    }
}

impl<'de, T: AvroDecode<'de>> AvroDecode<'de> for Box<T> {
    const UNION_BRANCHES: usize = T::UNION_BRANCHES;
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, opts: &FieldOptions) -> Result<Self, DecodeError> {
        T::avro_decode(r, opts).map(Box::new)
    }
    #[inline]
    fn avro_decode_branch(
        branch: usize,
        r: &mut Reader<'de>,
        opts: &FieldOptions,
    ) -> Result<Self, DecodeError> {
        T::avro_decode_branch(branch, r, opts).map(Box::new)
    }
}

impl<T: AvroCodec> AvroCodec for Vec<T> {
    #[inline]
    fn avro_size_hint(&self, opts: &FieldOptions) -> usize {
        T::avro_size_hint_slice(self, opts)
    }
    #[inline]
    fn avro_encode(&self, opts: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        T::avro_encode_slice(self, opts, out)
    }
}

impl<'de, T: AvroDecode<'de>> AvroDecode<'de> for Vec<T> {
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, opts: &FieldOptions) -> Result<Self, DecodeError> {
        T::avro_decode_vec(r, opts)
    }
}

/// [`AvroCodec::avro_size_hint`] of a map: the entries and two block counts.
#[inline]
fn map_size_hint<'a, K: FieldKey + 'a, V: AvroCodec + 'a>(
    entries: impl Iterator<Item = (&'a K, &'a V)>,
    opts: &FieldOptions,
) -> usize {
    entries.fold(2 * MAX_LONG, |n, (k, v)| {
        n + MAX_LONG + k.key_text_len_hint() + v.avro_size_hint(opts)
    })
}

/// Encodes map entries as one block. Avro map keys are strings: an integer or bool key is
/// written as its text ([`FieldKey::key_text`]), as serde JSON writes it.
#[inline]
fn encode_map<'a, K: FieldKey + 'a, V: AvroCodec + 'a>(
    len: usize,
    entries: impl Iterator<Item = (&'a K, &'a V)>,
    opts: &FieldOptions,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    write_block_start(out, len)?;
    for (k, v) in entries {
        write_str(out, &k.key_text());
        v.avro_encode(opts, out)
            .map_err(|e| e.in_field("<map value>"))?;
    }
    write_block_end(out);
    Ok(())
}

/// Decodes map entries, block by block; a key that is not the text of a `K` is an error.
#[inline]
fn decode_map<'de, K: FieldKey, V: AvroDecode<'de>>(
    r: &mut Reader<'de>,
    opts: &FieldOptions,
    mut insert: impl FnMut(K, V),
) -> Result<(), DecodeError> {
    loop {
        let n = r.read_block_count("map entries")?;
        if n == 0 {
            return Ok(());
        }
        for _ in 0..n {
            let at = r.offset();
            let text = r.read_str()?;
            let k = K::from_key_text(text).ok_or_else(|| {
                DecodeError::new(
                    at,
                    DecodeErrorKind::InvalidValue {
                        expected: K::EXPECTED,
                        found: format!("{text:?}"),
                    },
                )
            })?;
            let v = V::avro_decode(r, opts)?;
            insert(k, v);
        }
    }
}

// A `HashMap` iterates in no fixed order: its entries are written in key order, so equal maps
// always give equal bytes.
impl<K: FieldKey + Ord + std::hash::Hash, V: AvroCodec, S: BuildHasher + Default> AvroCodec
    for HashMap<K, V, S>
{
    #[inline]
    fn avro_size_hint(&self, opts: &FieldOptions) -> usize {
        map_size_hint(self.iter(), opts)
    }
    #[inline]
    fn avro_encode(&self, opts: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        encode_map(self.len(), crate::map_order::sorted(self), opts, out)
    }
}

impl<'de, K: FieldKey + Eq + std::hash::Hash, V: AvroDecode<'de>, S: BuildHasher + Default>
    AvroDecode<'de> for HashMap<K, V, S>
{
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, opts: &FieldOptions) -> Result<Self, DecodeError> {
        let mut m = HashMap::with_hasher(S::default());
        decode_map(r, opts, |k, v| {
            m.insert(k, v);
        })?;
        Ok(m)
    }
}

impl<K: FieldKey + Ord, V: AvroCodec> AvroCodec for BTreeMap<K, V> {
    #[inline]
    fn avro_size_hint(&self, opts: &FieldOptions) -> usize {
        map_size_hint(self.iter(), opts)
    }
    #[inline]
    fn avro_encode(&self, opts: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        encode_map(self.len(), self.iter(), opts, out)
    }
}

impl<'de, K: FieldKey + Ord, V: AvroDecode<'de>> AvroDecode<'de> for BTreeMap<K, V> {
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, opts: &FieldOptions) -> Result<Self, DecodeError> {
        let mut m = BTreeMap::new();
        decode_map(r, opts, |k, v| {
            m.insert(k, v);
        })?;
        Ok(m)
    }
}

/// Insertion order, both ways: a decoded map re-encodes to the same bytes.
#[cfg(feature = "indexmap")]
impl<K: FieldKey + Eq + std::hash::Hash, V: AvroCodec, S: BuildHasher + Default> AvroCodec
    for indexmap::IndexMap<K, V, S>
{
    #[inline]
    fn avro_size_hint(&self, opts: &FieldOptions) -> usize {
        map_size_hint(self.iter(), opts)
    }
    #[inline]
    fn avro_encode(&self, opts: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        encode_map(self.len(), self.iter(), opts, out)
    }
}

#[cfg(feature = "indexmap")]
impl<'de, K: FieldKey + Eq + std::hash::Hash, V: AvroDecode<'de>, S: BuildHasher + Default>
    AvroDecode<'de> for indexmap::IndexMap<K, V, S>
{
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, opts: &FieldOptions) -> Result<Self, DecodeError> {
        let mut m = indexmap::IndexMap::with_hasher(S::default());
        decode_map(r, opts, |k, v| {
            m.insert(k, v);
        })?;
        Ok(m)
    }
}

#[cfg(feature = "bytes")]
impl AvroCodec for bytes::Bytes {
    #[inline]
    fn avro_size_hint(&self, _: &FieldOptions) -> usize {
        MAX_LONG + self.len()
    }
    #[inline]
    fn avro_encode(&self, _: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        write_bytes(out, self);
        Ok(())
    }
}

#[cfg(feature = "bytes")]
impl<'de> AvroDecode<'de> for bytes::Bytes {
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, _: &FieldOptions) -> Result<Self, DecodeError> {
        Ok(bytes::Bytes::copy_from_slice(r.read_bytes()?))
    }
}

#[cfg(feature = "uuid")]
impl AvroCodec for uuid::Uuid {
    #[inline]
    fn avro_size_hint(&self, _: &FieldOptions) -> usize {
        37
    }
    #[inline]
    fn avro_encode(&self, _: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let mut buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
        let s = self.hyphenated().encode_lower(&mut buf);
        write_str(out, s);
        Ok(())
    }
}

#[cfg(feature = "uuid")]
impl<'de> AvroDecode<'de> for uuid::Uuid {
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, _: &FieldOptions) -> Result<Self, DecodeError> {
        let start = r.offset();
        let s = r.read_str()?;
        uuid::Uuid::try_parse(s).map_err(|_| {
            r.error_at(
                start,
                DecodeErrorKind::InvalidValue {
                    expected: "a UUID string (8-4-4-4-12 hex digits)",
                    found: format!("{s:?}"),
                },
            )
        })
    }
}

#[cfg(any(feature = "chrono", feature = "time"))]
fn timestamp_from_nanos(nanos: i128, opts: &FieldOptions) -> Result<i64, EncodeError> {
    let (unit, avro_type) = match opts.timestamp {
        TimePrecision::Millis => (1_000_000i128, "long timestamp-millis"),
        TimePrecision::Micros => (1_000i128, "long timestamp-micros"),
    };
    let v = nanos.div_euclid(unit);
    i64::try_from(v).map_err(|_| {
        EncodeError::new(EncodeErrorKind::OutOfRange {
            avro_type,
            value: v,
        })
    })
}

#[cfg(any(feature = "chrono", feature = "time"))]
fn timestamp_to_nanos(v: i64, opts: &FieldOptions) -> i128 {
    match opts.timestamp {
        TimePrecision::Millis => i128::from(v) * 1_000_000,
        TimePrecision::Micros => i128::from(v) * 1_000,
    }
}

#[cfg(any(feature = "chrono", feature = "time"))]
fn bad_timestamp(r: &Reader<'_>, start: usize, v: i64) -> DecodeError {
    r.error_at(
        start,
        DecodeErrorKind::InvalidValue {
            expected: "a timestamp within the Rust type's range",
            found: v.to_string(),
        },
    )
}

#[cfg(any(feature = "chrono", feature = "time"))]
fn bad_date(r: &Reader<'_>, start: usize, v: i32) -> DecodeError {
    r.error_at(
        start,
        DecodeErrorKind::InvalidValue {
            expected: "a date within the Rust type's range (days since 1970-01-01)",
            found: v.to_string(),
        },
    )
}

#[cfg(feature = "chrono")]
impl AvroCodec for chrono::DateTime<chrono::Utc> {
    #[inline]
    fn avro_size_hint(&self, _: &FieldOptions) -> usize {
        MAX_LONG
    }
    #[inline]
    fn avro_encode(&self, opts: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let nanos = i128::from(self.timestamp()) * 1_000_000_000
            + i128::from(self.timestamp_subsec_nanos());
        write_long(out, timestamp_from_nanos(nanos, opts)?);
        Ok(())
    }
}

#[cfg(feature = "chrono")]
impl<'de> AvroDecode<'de> for chrono::DateTime<chrono::Utc> {
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, opts: &FieldOptions) -> Result<Self, DecodeError> {
        let start = r.offset();
        let v = r.read_long()?;
        let nanos = timestamp_to_nanos(v, opts);
        let secs = i64::try_from(nanos.div_euclid(1_000_000_000)).ok();
        let sub = nanos.rem_euclid(1_000_000_000) as u32;
        secs.and_then(|s| chrono::DateTime::from_timestamp(s, sub))
            .ok_or_else(|| bad_timestamp(r, start, v))
    }
}

/// Days from 0001-01-01 (day 1 in chrono's count) to 1970-01-01.
#[cfg(feature = "chrono")]
const CE_TO_UNIX_DAYS: i32 = 719_163;

#[cfg(feature = "chrono")]
impl AvroCodec for chrono::NaiveDate {
    #[inline]
    fn avro_size_hint(&self, _: &FieldOptions) -> usize {
        5
    }
    #[inline]
    fn avro_encode(&self, _: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        use chrono::Datelike;
        write_int(out, self.num_days_from_ce() - CE_TO_UNIX_DAYS);
        Ok(())
    }
}

#[cfg(feature = "chrono")]
impl<'de> AvroDecode<'de> for chrono::NaiveDate {
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, _: &FieldOptions) -> Result<Self, DecodeError> {
        let start = r.offset();
        let v = r.read_int()?;
        v.checked_add(CE_TO_UNIX_DAYS)
            .and_then(chrono::NaiveDate::from_num_days_from_ce_opt)
            .ok_or_else(|| bad_date(r, start, v))
    }
}

#[cfg(feature = "time")]
impl AvroCodec for time::OffsetDateTime {
    #[inline]
    fn avro_size_hint(&self, _: &FieldOptions) -> usize {
        MAX_LONG
    }
    #[inline]
    fn avro_encode(&self, opts: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        write_long(
            out,
            timestamp_from_nanos(self.unix_timestamp_nanos(), opts)?,
        );
        Ok(())
    }
}

#[cfg(feature = "time")]
impl<'de> AvroDecode<'de> for time::OffsetDateTime {
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, opts: &FieldOptions) -> Result<Self, DecodeError> {
        let start = r.offset();
        let v = r.read_long()?;
        time::OffsetDateTime::from_unix_timestamp_nanos(timestamp_to_nanos(v, opts))
            .map_err(|_| bad_timestamp(r, start, v))
    }
}

/// The Julian day number of 1970-01-01.
#[cfg(feature = "time")]
const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;

#[cfg(feature = "time")]
impl AvroCodec for time::Date {
    #[inline]
    fn avro_size_hint(&self, _: &FieldOptions) -> usize {
        5
    }
    #[inline]
    fn avro_encode(&self, _: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        write_int(out, self.to_julian_day() - UNIX_EPOCH_JULIAN_DAY);
        Ok(())
    }
}

#[cfg(feature = "time")]
impl<'de> AvroDecode<'de> for time::Date {
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, _: &FieldOptions) -> Result<Self, DecodeError> {
        let start = r.offset();
        let v = r.read_int()?;
        v.checked_add(UNIX_EPOCH_JULIAN_DAY)
            .and_then(|d| time::Date::from_julian_day(d).ok())
            .ok_or_else(|| bad_date(r, start, v))
    }
}

#[cfg(feature = "rust_decimal")]
impl AvroCodec for rust_decimal::Decimal {
    #[inline]
    fn avro_size_hint(&self, _: &FieldOptions) -> usize {
        MAX_LONG + 16
    }
    #[inline]
    fn avro_encode(&self, opts: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let spec = opts
            .decimal
            .ok_or_else(|| EncodeError::new(EncodeErrorKind::DecimalWithoutScale))?;
        let lossy = || {
            EncodeError::new(EncodeErrorKind::DecimalScale {
                value: self.to_string(),
                scale: spec.scale,
            })
        };
        let (m, s) = (self.mantissa(), self.scale());
        let unscaled = if s <= spec.scale {
            10i128
                .checked_pow(spec.scale - s)
                .and_then(|f| m.checked_mul(f))
                .ok_or_else(lossy)?
        } else {
            let f = 10i128.checked_pow(s - spec.scale).ok_or_else(lossy)?;
            if m % f != 0 {
                return Err(lossy());
            }
            m / f
        };
        if let Some(limit) = 10u128.checked_pow(spec.precision) {
            if unscaled.unsigned_abs() >= limit {
                return Err(lossy());
            }
        }
        if !crate::avro::encode::write_decimal(out, unscaled, spec.fixed) {
            return Err(lossy());
        }
        Ok(())
    }
}

#[cfg(feature = "rust_decimal")]
impl<'de> AvroDecode<'de> for rust_decimal::Decimal {
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, opts: &FieldOptions) -> Result<Self, DecodeError> {
        let start = r.offset();
        let bytes = read_decimal(r, opts)?;
        let scale = opts.decimal.map_or(0, |d| d.scale);
        let bad = |found: String| {
            r.error_at(
                start,
                DecodeErrorKind::InvalidValue {
                    expected: "a decimal of at most 96 bits and scale 28 (rust_decimal)",
                    found,
                },
            )
        };
        let unscaled = twos_complement_to_i128(bytes)
            .ok_or_else(|| bad(format!("{} bytes of two's complement", bytes.len())))?;
        rust_decimal::Decimal::try_from_i128_with_scale(unscaled, scale)
            .map_err(|_| bad(format!("{unscaled}e-{scale}")))
    }
}

/// The two's complement bytes of a decimal: Avro `bytes`, or the field's `fixed` size.
pub(crate) fn read_decimal<'a>(
    r: &mut Reader<'a>,
    opts: &FieldOptions,
) -> Result<&'a [u8], DecodeError> {
    match opts.decimal.and_then(|d| d.fixed) {
        Some(n) => r.read_fixed(n),
        None => r.read_bytes(),
    }
}

/// Big-endian two's complement to `i128` (`None` when empty or wider than 128 bits).
pub(crate) fn twos_complement_to_i128(bytes: &[u8]) -> Option<i128> {
    let first = *bytes.first()?;
    let fill = if first & 0x80 != 0 { 0xff } else { 0x00 };
    // Redundant sign bytes beyond 16 are accepted.
    let mut b = bytes;
    while b.len() > 16 {
        if b[0] != fill {
            return None;
        }
        b = &b[1..];
    }
    if bytes.len() > 16 && (b[0] ^ fill) & 0x80 != 0 {
        return None;
    }
    let mut buf = [fill; 16];
    buf[16 - b.len()..].copy_from_slice(b);
    Some(i128::from_be_bytes(buf))
}
