//! Avro binary encoding: generated straight-line codecs, schema resolution, single-object encoding.
//!
//! `#[derive(Record)]` implements [`AvroCodec`] (the encoder) and [`AvroDecode`] (the decoder,
//! one per type, used by owned records and borrowed views alike) for the type: fields are
//! written and read in order, with no intermediate `apache_avro::types::Value`, by the small
//! primitives in [`encode`] and [`Reader`]. The bytes are exactly what the type's rendered Avro
//! schema ([`Record::avro_schema`]) says, so any Avro implementation reads them.
//!
//! ```
//! use kafka_model::Record;
//!
//! #[derive(Record, serde::Serialize, serde::Deserialize, Debug, PartialEq)]
//! #[record(namespace = "com.acme")]
//! struct Ping {
//!     seq: i64,
//!     note: Option<String>,
//! }
//!
//! let ping = Ping { seq: 3, note: Some("hi".into()) };
//! let bytes = ping.to_avro()?;
//! assert_eq!(bytes, [0x06, 0x02, 0x04, b'h', b'i']);
//! assert_eq!(Ping::from_avro(&bytes)?, ping);
//!
//! // Reusing a buffer: no allocation once it is large enough.
//! let mut buf = Vec::with_capacity(64);
//! ping.write_avro(&mut buf)?;
//! assert_eq!(buf, bytes);
//! # Ok::<(), kafka_model::CodecError>(())
//! ```
//!
//! Data written with another version of the schema is read with
//! [`Record::from_avro_with_writer`], which follows the specification's resolution rules
//! (see [`resolve`]). Single-object encoding (`C3 01`, fingerprint, datum) is
//! [`Record::to_avro_single`] / [`Record::from_avro_single`].

mod borrow;
pub mod encode;
mod error;
#[doc(hidden)]
pub mod fields;
mod impls;
pub(crate) use impls::{read_decimal, twos_complement_to_i128};
mod reader;
pub mod resolve;

pub use borrow::{decode_borrowed, AvroDecode};
pub use error::{
    DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind, FieldPath, ResolveError,
};
pub(crate) use reader::utf8;
pub use reader::{Reader, MAX_ZERO_WIDTH_ITEMS, RECURSION_LIMIT};

use crate::model::FieldOptions;
use crate::{CodecError, Record};

/// The two bytes that start an Avro single-object encoded message.
pub const SINGLE_OBJECT_MARKER: [u8; 2] = [0xC3, 0x01];

/// A type with an Avro binary encoding: its encoder, and (the supertrait) its decoder
/// [`AvroDecode`] for input of any lifetime, as serde's `DeserializeOwned`. Implemented for
/// every field type of the mapping table and by `#[derive(Record)]`.
///
/// `opts` carries the field's representation choices (timestamp precision, decimal scale) down
/// to the leaf value; records ignore it (their fields have their own).
///
/// ```
/// use kafka_model::avro::{AvroCodec, AvroDecode, Reader};
/// use kafka_model::model::FieldOptions;
///
/// let opts = FieldOptions::default();
/// let mut out = Vec::new();
/// vec![1i32, -1].avro_encode(&opts, &mut out)?;
/// assert_eq!(out, [0x04, 0x02, 0x01, 0x00]);
/// let back = Vec::<i32>::avro_decode(&mut Reader::new(&out), &opts)?;
/// assert_eq!(back, [1, -1]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a field of a `#[derive(Record)]` type (no Avro encoding)",
    label = "no Avro encoding for this type",
    note = "see the crate's type mapping; nested types need #[derive(Record)]"
)]
pub trait AvroCodec: for<'de> AvroDecode<'de> {
    /// Appends the value's Avro binary encoding to `out`.
    fn avro_encode(&self, opts: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError>;

    /// At least the number of bytes [`avro_encode`](Self::avro_encode) writes for this value
    /// (a cheap upper bound, not the exact size), so that encoders with a fresh buffer
    /// (`to_avro`, `Serializer::serialize`) allocate once. The default, 0, means "unknown":
    /// the buffer then grows as it is written, which is always correct, only slower. The
    /// derive implements it for every record, enum and union; implement it for your own
    /// `AvroCodec` types if they are written often into fresh buffers.
    #[inline]
    fn avro_size_hint(&self, opts: &FieldOptions) -> usize {
        let _ = opts;
        0
    }

    /// `Option` fields whose default is a value are `[T, "null"]`: null is the last branch.
    #[doc(hidden)]
    #[inline]
    fn avro_encode_null_last(
        &self,
        opts: &FieldOptions,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        self.avro_encode(opts, out)
    }

    /// Writes the value as a branch of an enclosing union whose own branches start at `base`
    /// (an `Option` of a union is flattened into one union).
    #[doc(hidden)]
    #[inline]
    fn avro_encode_branch(
        &self,
        base: usize,
        opts: &FieldOptions,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        encode::write_index(out, base);
        self.avro_encode(opts, out)
    }

    /// [`avro_size_hint`](Self::avro_size_hint) of `Vec<Self>`: the items and two block
    /// counts (bytes for `u8`).
    #[doc(hidden)]
    #[inline]
    fn avro_size_hint_slice(items: &[Self], opts: &FieldOptions) -> usize {
        items
            .iter()
            .fold(2 * MAX_LONG, |n, item| n + item.avro_size_hint(opts))
    }

    /// `Vec<Self>`: an array (bytes for `u8`).
    #[doc(hidden)]
    #[inline]
    fn avro_encode_slice(
        items: &[Self],
        opts: &FieldOptions,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        encode::write_block_start(out, items.len())?;
        for item in items {
            item.avro_encode(opts, out)?;
        }
        encode::write_block_end(out);
        Ok(())
    }
}

/// The most bytes an Avro `long` takes (zig-zag varint of 64 bits); an `int` takes 5.
#[doc(hidden)]
pub const MAX_LONG: usize = 10;

/// Field options of a top-level value (records ignore them).
pub(crate) const TOP: FieldOptions = FieldOptions {
    int_encoding: crate::model::IntEncoding::Varint,
    timestamp: crate::model::TimePrecision::Micros,
    decimal: None,
    json_bytes_base64: false,
    proto_oneof: false,
    proto_optional: false,
};

/// Appends the Avro datum of `value` to `out`.
pub fn encode_into<T: Record>(value: &T, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    value.avro_encode(&TOP, out)
}

/// An upper bound of the Avro datum's size ([`AvroCodec::avro_size_hint`]; 0 when unknown).
#[inline]
pub fn size_hint<T: Record>(value: &T) -> usize {
    value.avro_size_hint(&TOP)
}

/// Decodes an Avro datum written with `T`'s own schema; the whole input must be consumed.
pub fn decode<T: Record>(bytes: &[u8]) -> Result<T, DecodeError> {
    let mut r = Reader::new(bytes);
    let v = T::avro_decode(&mut r, &TOP)?;
    r.finish()?;
    Ok(v)
}

/// Appends `C3 01`, `T`'s schema fingerprint (8 bytes, little-endian) and the datum to `out`.
pub fn encode_single_into<T: Record>(value: &T, out: &mut Vec<u8>) -> Result<(), CodecError> {
    let fp = T::schemas()
        .avro()
        .map_err(CodecError::AvroSchema)?
        .fingerprint_bytes();
    out.extend_from_slice(&SINGLE_OBJECT_MARKER);
    out.extend_from_slice(&fp);
    encode_into(value, out)?;
    Ok(())
}

/// Splits a single-object message into its fingerprint and datum.
pub fn split_single(bytes: &[u8]) -> Result<([u8; 8], &[u8]), DecodeError> {
    let mut r = Reader::new(bytes);
    let marker: [u8; 2] = r
        .take_array("the single-object marker C3 01")
        .map_err(|_| {
            DecodeError::new(
                0,
                DecodeErrorKind::BadMarker {
                    found: bytes.iter().take(2).copied().collect(),
                },
            )
        })?;
    if marker != SINGLE_OBJECT_MARKER {
        return Err(DecodeError::new(
            0,
            DecodeErrorKind::BadMarker {
                found: marker.to_vec(),
            },
        ));
    }
    let fp: [u8; 8] = r.take_array("the 8-byte schema fingerprint")?;
    Ok((fp, &bytes[10..]))
}

/// Decodes a single-object message written with `T`'s schema (the fingerprint must be ours).
pub fn decode_single<T: Record>(bytes: &[u8]) -> Result<T, CodecError> {
    let ours = T::schemas()
        .avro()
        .map_err(CodecError::AvroSchema)?
        .fingerprint_bytes();
    let (fp, datum) = split_single(bytes)?;
    if fp != ours {
        return Err(DecodeError::new(
            2,
            DecodeErrorKind::FingerprintMismatch {
                expected: ours,
                found: fp,
            },
        )
        .into());
    }
    let mut r = Reader::new(datum);
    let v = T::avro_decode(&mut r, &TOP).map_err(|e| shift(e, 10))?;
    r.finish().map_err(|e| shift(e, 10))?;
    Ok(v)
}

/// Decodes a datum written with `writer`, resolving it against `T`'s schema (see [`resolve`]).
/// Equal fingerprints take the direct path; other writers are resolved with a plan built once
/// per (writer, reader) pair and cached.
pub fn decode_with_writer<T: Record>(
    writer: &apache_avro::Schema,
    bytes: &[u8],
) -> Result<T, CodecError> {
    let ours = T::schemas().avro().map_err(CodecError::AvroSchema)?;
    let writer_fp = resolve::fingerprint(writer)?;
    if writer_fp == ours.fingerprint() {
        return Ok(decode(bytes)?);
    }
    let plan = resolve::cached(
        writer,
        writer_fp,
        ours.schema(),
        std::any::TypeId::of::<T>(),
    )?;
    let data = plan.transcode(bytes).map_err(|e| match e {
        resolve::TranscodeError::Decode(e) => CodecError::AvroDecode(e),
        resolve::TranscodeError::Resolve(e) => CodecError::AvroResolve(e),
    })?;
    Ok(decode(&data)?)
}

fn shift(e: DecodeError, by: usize) -> DecodeError {
    let mut out = DecodeError::new(e.offset() + by, e.kind().clone());
    let segs: Vec<_> = e.path().segments().collect();
    for s in segs.into_iter().rev() {
        out = out.in_field(s);
    }
    out
}

/// `apache_avro::AvroSchemaComponent` for a derived type, with the `avro-schema-component`
/// feature (the derive calls this for every owned type; without the feature it expands to
/// nothing). Opt-in: it is one more impl per type, and it makes `#[derive(AvroSchema)]` on the
/// same type a conflict (E0119).
#[cfg(feature = "avro-schema-component")]
#[doc(hidden)]
#[macro_export]
macro_rules! __avro_schema_component {
    ($t:ident) => {
        impl $crate::avro::__private::apache_avro::AvroSchemaComponent for $t {
            #[inline]
            fn get_schema_in_ctxt(
                named: &mut ::std::collections::HashSet<
                    $crate::avro::__private::apache_avro::schema::Name,
                >,
                _: $crate::avro::__private::apache_avro::schema::NamespaceRef,
            ) -> $crate::avro::__private::apache_avro::Schema {
                $crate::avro::__private::schema_component::<$t>(named)
            }
        }
    };
}

/// Without the `avro-schema-component` feature: no `AvroSchemaComponent` impl.
#[cfg(not(feature = "avro-schema-component"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __avro_schema_component {
    ($t:ident) => {};
}

/// What generated code uses; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use super::encode::write_index;
    pub use apache_avro;

    /// `apache_avro::AvroSchemaComponent` for a derived type: our rendered schema, or a
    /// reference to it when the enclosing schema already defines it.
    pub fn schema_component<T: crate::Record>(
        named: &mut std::collections::HashSet<apache_avro::schema::Name>,
    ) -> apache_avro::Schema {
        // The schema comes from the type's definition, not from input: a render error is a
        // programming error that every schema test of the type also reports.
        let schema = match T::schemas().avro() {
            Ok(s) => s.schema().clone(),
            Err(e) => panic!(
                "the Avro schema of `{}` does not render: {e}",
                T::model().rust_name
            ),
        };
        if let crate::model::Shape::Union(_) = T::model().shape {
            return schema;
        }
        match apache_avro::schema::Name::new(T::model().full_name()) {
            Ok(name) if named.contains(&name) => apache_avro::Schema::Ref { name },
            Ok(name) => {
                named.insert(name);
                schema
            }
            Err(_) => schema,
        }
    }
    /// Options of a newtype variant's value.
    pub const DEFAULT_OPTIONS: crate::model::FieldOptions = super::TOP;
    /// A union branch index out of range (unreachable after `read_union_index`).
    #[cold]
    pub fn bad_branch(r: &super::Reader<'_>, branches: usize, found: usize) -> super::DecodeError {
        r.error(super::DecodeErrorKind::UnionIndex {
            branches,
            found: found as i64,
        })
    }
    /// Whether an `Option` field with this default is written `[T, "null"]`.
    pub fn null_last(default: crate::model::Literal) -> bool {
        !matches!(default, crate::model::Literal::Null)
    }
}
