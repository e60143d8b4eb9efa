//! [`AvroDecode`]: the Avro decoder of types that may borrow from the input (`&'de str`,
//! `&'de [u8]`, `Cow<'de, str>`, records deriving [`RecordRef`](crate::RecordRef)).
//!
//! Why a second trait rather than a lifetime on [`AvroCodec`]: `AvroCodec::avro_decode` is
//! `fn(&mut Reader<'_>) -> Self`, which an owned type satisfies for every input; a type that
//! borrows needs the input's lifetime in the trait (serde's `Deserialize<'de>` for the same
//! reason). Adding it to `AvroCodec` would change every impl and every owned decode path;
//! this trait leaves them untouched: owned types implement it by delegating to `AvroCodec`
//! (the leaves below, and the derive for every owned record), so the owned path's code is the
//! same code and borrowed records may nest owned ones.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use super::error::{DecodeError, DecodeErrorKind};
use super::reader::Reader;
use super::AvroCodec;
use crate::model::{FieldKey, FieldOptions};

/// A type the Avro decoder can read out of a `&'de [u8]`, possibly borrowing from it.
///
/// Implemented for every owned field type (by delegation to [`AvroCodec`]), for `&'de str`,
/// `&'de [u8]`, `Cow<'de, str>` and `Cow<'de, [u8]>` (always `Cow::Borrowed`), for `Option`,
/// `Box`, `Vec` and maps (owned keys) of those, and by `#[derive(Record)]` for every record.
///
/// ```
/// use kafka_model::avro::{AvroDecode, Reader};
/// use kafka_model::model::FieldOptions;
///
/// let input = [0x04, b'h', b'i'];
/// let s = <&str as AvroDecode>::avro_decode_borrowed(&mut Reader::new(&input), &FieldOptions::default())?;
/// assert_eq!(s, "hi");
/// assert_eq!(s.as_ptr(), input[1..].as_ptr()); // no copy: it points into the input
/// # Ok::<(), kafka_model::avro::DecodeError>(())
/// ```
pub trait AvroDecode<'de>: Sized {
    /// Number of branches when the type is itself an Avro union (an enum with data), else 0.
    #[doc(hidden)]
    const BORROWED_UNION_BRANCHES: usize = 0;

    /// Reads a value.
    fn avro_decode_borrowed(r: &mut Reader<'de>, opts: &FieldOptions) -> Result<Self, DecodeError>;

    /// See [`AvroCodec::avro_decode_null_last`].
    #[doc(hidden)]
    #[inline]
    fn avro_decode_borrowed_null_last(
        r: &mut Reader<'de>,
        opts: &FieldOptions,
    ) -> Result<Self, DecodeError> {
        Self::avro_decode_borrowed(r, opts)
    }

    /// See [`AvroCodec::avro_decode_branch`].
    #[doc(hidden)]
    #[inline]
    fn avro_decode_borrowed_branch(
        branch: usize,
        r: &mut Reader<'de>,
        opts: &FieldOptions,
    ) -> Result<Self, DecodeError> {
        debug_assert_eq!(branch, 0);
        Self::avro_decode_borrowed(r, opts)
    }

    /// `Vec<Self>`: an array (bytes for `u8`).
    #[doc(hidden)]
    #[inline]
    fn avro_decode_borrowed_vec(
        r: &mut Reader<'de>,
        opts: &FieldOptions,
    ) -> Result<Vec<Self>, DecodeError> {
        let mut out = Vec::new();
        loop {
            let n = r.read_block_count("array items")?;
            if n == 0 {
                return Ok(out);
            }
            out.reserve(n.min(r.remaining()));
            for _ in 0..n {
                out.push(Self::avro_decode_borrowed(r, opts)?);
            }
        }
    }
}

/// `AvroDecode` of an owned type: its `AvroCodec` decoder, method for method (so `Vec<u8>`
/// stays `bytes` and a union's branches stay flattened into an `Option`).
#[doc(hidden)]
#[macro_export]
macro_rules! __avro_decode_owned {
    ($($t:ty),* $(,)?) => {$(
        impl<'de> $crate::avro::AvroDecode<'de> for $t {
            const BORROWED_UNION_BRANCHES: usize = <$t as $crate::avro::AvroCodec>::UNION_BRANCHES;
            #[inline]
            fn avro_decode_borrowed(r: &mut $crate::avro::Reader<'de>, opts: &$crate::model::FieldOptions) -> ::core::result::Result<Self, $crate::avro::DecodeError> {
                <$t as $crate::avro::AvroCodec>::avro_decode(r, opts)
            }
            #[inline]
            fn avro_decode_borrowed_null_last(r: &mut $crate::avro::Reader<'de>, opts: &$crate::model::FieldOptions) -> ::core::result::Result<Self, $crate::avro::DecodeError> {
                <$t as $crate::avro::AvroCodec>::avro_decode_null_last(r, opts)
            }
            #[inline]
            fn avro_decode_borrowed_branch(branch: usize, r: &mut $crate::avro::Reader<'de>, opts: &$crate::model::FieldOptions) -> ::core::result::Result<Self, $crate::avro::DecodeError> {
                <$t as $crate::avro::AvroCodec>::avro_decode_branch(branch, r, opts)
            }
            #[inline]
            fn avro_decode_borrowed_vec(r: &mut $crate::avro::Reader<'de>, opts: &$crate::model::FieldOptions) -> ::core::result::Result<::std::vec::Vec<Self>, $crate::avro::DecodeError> {
                <$t as $crate::avro::AvroCodec>::avro_decode_vec(r, opts)
            }
        }
    )*};
}

crate::__avro_decode_owned!(
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
crate::__avro_decode_owned!(bytes::Bytes);
#[cfg(feature = "uuid")]
crate::__avro_decode_owned!(uuid::Uuid);
#[cfg(feature = "chrono")]
crate::__avro_decode_owned!(
    chrono::DateTime<chrono::Utc>,
    chrono::NaiveDate,
    chrono::NaiveTime,
    chrono::NaiveDateTime
);
#[cfg(feature = "time")]
crate::__avro_decode_owned!(time::OffsetDateTime, time::Date, time::Time);
#[cfg(feature = "rust_decimal")]
crate::__avro_decode_owned!(rust_decimal::Decimal);

impl<'de, const N: usize> AvroDecode<'de> for [u8; N] {
    #[inline]
    fn avro_decode_borrowed(r: &mut Reader<'de>, opts: &FieldOptions) -> Result<Self, DecodeError> {
        <[u8; N] as AvroCodec>::avro_decode(r, opts)
    }
}

impl<'de, C: crate::validate::Choices> AvroDecode<'de> for crate::validate::Choice<C> {
    #[inline]
    fn avro_decode_borrowed(r: &mut Reader<'de>, opts: &FieldOptions) -> Result<Self, DecodeError> {
        <Self as AvroCodec>::avro_decode(r, opts)
    }
}

/// A string, borrowed from the input (UTF-8 checked).
impl<'de: 'a, 'a> AvroDecode<'de> for &'a str {
    #[inline]
    fn avro_decode_borrowed(r: &mut Reader<'de>, _: &FieldOptions) -> Result<Self, DecodeError> {
        r.read_str()
    }
}

/// Bytes, borrowed from the input.
impl<'de: 'a, 'a> AvroDecode<'de> for &'a [u8] {
    #[inline]
    fn avro_decode_borrowed(r: &mut Reader<'de>, _: &FieldOptions) -> Result<Self, DecodeError> {
        r.read_bytes()
    }
}

/// Always `Cow::Borrowed`: the Avro string is contiguous in the input.
impl<'de: 'a, 'a> AvroDecode<'de> for Cow<'a, str> {
    #[inline]
    fn avro_decode_borrowed(r: &mut Reader<'de>, _: &FieldOptions) -> Result<Self, DecodeError> {
        r.read_str().map(Cow::Borrowed)
    }
}

/// Always `Cow::Borrowed`.
impl<'de: 'a, 'a> AvroDecode<'de> for Cow<'a, [u8]> {
    #[inline]
    fn avro_decode_borrowed(r: &mut Reader<'de>, _: &FieldOptions) -> Result<Self, DecodeError> {
        r.read_bytes().map(Cow::Borrowed)
    }
}

impl<'de, T: AvroDecode<'de>> AvroDecode<'de> for Option<T> {
    #[inline]
    fn avro_decode_borrowed(r: &mut Reader<'de>, opts: &FieldOptions) -> Result<Self, DecodeError> {
        let branches = T::BORROWED_UNION_BRANCHES.max(1);
        match r.read_union_index(branches + 1)? {
            0 => Ok(None),
            i => T::avro_decode_borrowed_branch(i - 1, r, opts).map(Some),
        }
    }
    #[inline]
    fn avro_decode_borrowed_null_last(
        r: &mut Reader<'de>,
        opts: &FieldOptions,
    ) -> Result<Self, DecodeError> {
        let branches = T::BORROWED_UNION_BRANCHES.max(1);
        match r.read_union_index(branches + 1)? {
            i if i == branches => Ok(None),
            i => T::avro_decode_borrowed_branch(i, r, opts).map(Some),
        }
    }
}

impl<'de, T: AvroDecode<'de>> AvroDecode<'de> for Box<T> {
    const BORROWED_UNION_BRANCHES: usize = T::BORROWED_UNION_BRANCHES;
    #[inline]
    fn avro_decode_borrowed(r: &mut Reader<'de>, opts: &FieldOptions) -> Result<Self, DecodeError> {
        T::avro_decode_borrowed(r, opts).map(Box::new)
    }
    #[inline]
    fn avro_decode_borrowed_branch(
        branch: usize,
        r: &mut Reader<'de>,
        opts: &FieldOptions,
    ) -> Result<Self, DecodeError> {
        T::avro_decode_borrowed_branch(branch, r, opts).map(Box::new)
    }
}

impl<'de, T: AvroDecode<'de>> AvroDecode<'de> for Vec<T> {
    #[inline]
    fn avro_decode_borrowed(r: &mut Reader<'de>, opts: &FieldOptions) -> Result<Self, DecodeError> {
        T::avro_decode_borrowed_vec(r, opts)
    }
}

/// Decodes map entries, block by block (owned keys: a key is text turned into a `K`).
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
            let v = V::avro_decode_borrowed(r, opts)?;
            insert(k, v);
        }
    }
}

impl<'de, K: FieldKey + Ord, V: AvroDecode<'de>> AvroDecode<'de> for BTreeMap<K, V> {
    #[inline]
    fn avro_decode_borrowed(r: &mut Reader<'de>, opts: &FieldOptions) -> Result<Self, DecodeError> {
        let mut m = BTreeMap::new();
        decode_map(r, opts, |k, v| {
            m.insert(k, v);
        })?;
        Ok(m)
    }
}

impl<'de, K: FieldKey + Eq + std::hash::Hash, V: AvroDecode<'de>, S: BuildHasher + Default>
    AvroDecode<'de> for HashMap<K, V, S>
{
    #[inline]
    fn avro_decode_borrowed(r: &mut Reader<'de>, opts: &FieldOptions) -> Result<Self, DecodeError> {
        let mut m = HashMap::with_hasher(S::default());
        decode_map(r, opts, |k, v| {
            m.insert(k, v);
        })?;
        Ok(m)
    }
}

#[cfg(feature = "indexmap")]
impl<'de, K: FieldKey + Eq + std::hash::Hash, V: AvroDecode<'de>, S: BuildHasher + Default>
    AvroDecode<'de> for indexmap::IndexMap<K, V, S>
{
    #[inline]
    fn avro_decode_borrowed(r: &mut Reader<'de>, opts: &FieldOptions) -> Result<Self, DecodeError> {
        let mut m = indexmap::IndexMap::with_hasher(S::default());
        decode_map(r, opts, |k, v| {
            m.insert(k, v);
        })?;
        Ok(m)
    }
}

/// Decodes an Avro datum written with `T`'s own schema, borrowing strings and bytes from
/// `bytes`; the whole input must be consumed.
pub fn decode_borrowed<'de, T: AvroDecode<'de>>(bytes: &'de [u8]) -> Result<T, DecodeError> {
    let mut r = Reader::new(bytes);
    let v = T::avro_decode_borrowed(&mut r, &super::TOP)?;
    r.finish()?;
    Ok(v)
}
