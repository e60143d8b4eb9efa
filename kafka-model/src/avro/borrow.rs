//! [`AvroDecode`]: the one Avro decoder of every type, carrying the input's lifetime `'de` so
//! that a type may borrow from it (`&'de str`, `&'de [u8]`, `Cow<'de, str>`, records deriving
//! [`RecordRef`](crate::RecordRef)).
//!
//! serde's `Deserialize<'de>` idea: an owned type implements `AvroDecode<'de>` for every `'de`
//! (the encoder trait [`AvroCodec`] requires `for<'de> AvroDecode<'de>`, as serde's
//! `DeserializeOwned`), a borrowing type only for the lifetimes it can borrow. Owned decoding
//! (`Record::from_avro`, schema resolution, the registry serdes) and borrowed views call the
//! same impls: the leaves and containers are in `impls.rs`, the borrowing leaves here, and
//! `#[derive(Record)]` emits one decoder per type (owned or view).

use std::borrow::Cow;

use super::error::DecodeError;
use super::reader::Reader;
#[cfg(doc)]
use super::AvroCodec;
use crate::model::FieldOptions;

/// A type the Avro decoder can read out of a `&'de [u8]`, possibly borrowing from it.
///
/// Implemented for every field type of the mapping table, for `&'de str`, `&'de [u8]`,
/// `Cow<'de, str>` and `Cow<'de, [u8]>` (always `Cow::Borrowed`), for `Option`, `Box`, `Vec`
/// and maps (owned keys) of those, and by `#[derive(Record)]` for every record, enum and
/// newtype (and every borrowed view). `opts` carries the field's representation choices
/// (timestamp precision, decimal scale) down to the leaf value; records ignore it.
///
/// ```
/// use kafka_model::avro::{AvroDecode, Reader};
/// use kafka_model::model::FieldOptions;
///
/// let input = [0x04, b'h', b'i'];
/// let s = <&str as AvroDecode>::avro_decode(&mut Reader::new(&input), &FieldOptions::default())?;
/// assert_eq!(s, "hi");
/// assert_eq!(s.as_ptr(), input[1..].as_ptr()); // no copy: it points into the input
/// // The same trait decodes owned values.
/// let n = Vec::<i32>::avro_decode(&mut Reader::new(&[0x04, 0x02, 0x01, 0x00]), &FieldOptions::default())?;
/// assert_eq!(n, [1, -1]);
/// # Ok::<(), kafka_model::avro::DecodeError>(())
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a field of a `#[derive(Record)]` type (no Avro decoding)",
    label = "no Avro decoding for this type",
    note = "see the FieldType error for this field: the supported types are listed there"
)]
pub trait AvroDecode<'de>: Sized {
    /// Number of branches when the type is itself an Avro union (an enum with data), else 0.
    #[doc(hidden)]
    const UNION_BRANCHES: usize = 0;

    /// Reads a value.
    fn avro_decode(r: &mut Reader<'de>, opts: &FieldOptions) -> Result<Self, DecodeError>;

    /// `Option` fields whose default is a value are `[T, "null"]`: null is the last branch
    /// (the decoder of [`AvroCodec::avro_encode_null_last`]).
    #[doc(hidden)]
    #[inline]
    fn avro_decode_null_last(
        r: &mut Reader<'de>,
        opts: &FieldOptions,
    ) -> Result<Self, DecodeError> {
        Self::avro_decode(r, opts)
    }

    /// Reads the value's branch `branch` (relative to its own first branch): an `Option` of a
    /// union is flattened into one union.
    #[doc(hidden)]
    #[inline]
    fn avro_decode_branch(
        branch: usize,
        r: &mut Reader<'de>,
        opts: &FieldOptions,
    ) -> Result<Self, DecodeError> {
        debug_assert_eq!(branch, 0);
        Self::avro_decode(r, opts)
    }

    /// `Vec<Self>`: an array (bytes for `u8`).
    #[doc(hidden)]
    #[inline]
    fn avro_decode_vec(r: &mut Reader<'de>, opts: &FieldOptions) -> Result<Vec<Self>, DecodeError> {
        let mut out = Vec::new();
        loop {
            let n = r.read_block_count("array items")?;
            if n == 0 {
                return Ok(out);
            }
            // Bounded by the input: a hostile count cannot reserve more than one item a byte.
            out.reserve(n.min(r.remaining()));
            for _ in 0..n {
                out.push(Self::avro_decode(r, opts)?);
            }
        }
    }
}

/// A string, borrowed from the input (UTF-8 checked).
impl<'de: 'a, 'a> AvroDecode<'de> for &'a str {
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, _: &FieldOptions) -> Result<Self, DecodeError> {
        r.read_str()
    }
}

/// Bytes, borrowed from the input.
impl<'de: 'a, 'a> AvroDecode<'de> for &'a [u8] {
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, _: &FieldOptions) -> Result<Self, DecodeError> {
        r.read_bytes()
    }
}

/// Always `Cow::Borrowed`: the Avro string is contiguous in the input.
impl<'de: 'a, 'a> AvroDecode<'de> for Cow<'a, str> {
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, _: &FieldOptions) -> Result<Self, DecodeError> {
        r.read_str().map(Cow::Borrowed)
    }
}

/// Always `Cow::Borrowed`.
impl<'de: 'a, 'a> AvroDecode<'de> for Cow<'a, [u8]> {
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, _: &FieldOptions) -> Result<Self, DecodeError> {
        r.read_bytes().map(Cow::Borrowed)
    }
}

/// Decodes an Avro datum written with `T`'s own schema, borrowing strings and bytes from
/// `bytes`; the whole input must be consumed.
pub fn decode_borrowed<'de, T: AvroDecode<'de>>(bytes: &'de [u8]) -> Result<T, DecodeError> {
    let mut r = Reader::new(bytes);
    let v = T::avro_decode(&mut r, &super::TOP)?;
    r.finish()?;
    Ok(v)
}
