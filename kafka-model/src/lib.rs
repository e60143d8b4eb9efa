//! # kafka-model
//!
//! Schema-governed Kafka messages from plain Rust types. `#[derive(Record)]` describes a type
//! once; its Avro schema, Protobuf schema and JSON Schema are rendered from that description,
//! and `dumps`/`loads` encode it with the model's codec.
//!
//! ```
//! use kafka_model::Record;
//! use serde::{Deserialize, Serialize};
//!
//! /// A customer order.
//! #[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
//! #[record(namespace = "com.acme.orders")]
//! struct Order {
//!     id: String,
//!     qty: i32,
//!     note: Option<String>,
//! }
//!
//! let order = Order { id: "o-1".into(), qty: 2, note: None };
//! let bytes = order.dumps()?;
//! assert_eq!(Order::loads(&bytes)?, order);
//! # Ok::<(), kafka_model::CodecError>(())
//! ```
//!
//! ## Maps
//!
//! Map keys are what Protobuf allows and Rust has: `String`, the integers and `bool`
//! ([`model::FieldKey`]). Avro and JSON write an integer or bool key as its decimal text, as
//! serde JSON does. `#[record(sint)]` / `#[record(fixed)]` on a map field choose the Protobuf
//! encoding of its integer key (and of an integer value). With the cargo feature **`indexmap`**,
//! `indexmap::IndexMap<K, V>` fields keep insertion order in Avro, Protobuf and JSON, so a
//! decoded map re-encodes byte-for-byte; `HashMap`s are written in key order, `BTreeMap`s are.
//!
//! ```
//! use std::collections::BTreeMap;
//! use kafka_model::Record;
//!
//! #[derive(Record, serde::Serialize, serde::Deserialize, Debug, PartialEq)]
//! struct Deltas {
//!     #[record(sint)]
//!     by_id: BTreeMap<i32, f64>,
//! }
//!
//! assert!(Deltas::schemas().proto()?.text().contains("map<sint32, double> by_id = 1;"));
//! let v = Deltas { by_id: BTreeMap::from([(-7, 0.5)]) };
//! assert_eq!(v.dumps()?, br#"{"by_id":{"-7":0.5}}"#);
//! assert_eq!(Deltas::from_protobuf(&v.to_protobuf()?)?, v);
//! # #[cfg(feature = "indexmap")]
//! # {
//! #[derive(Record, serde::Serialize, serde::Deserialize, Debug, PartialEq)]
//! struct Ordered {
//!     names: indexmap::IndexMap<String, u32>,
//! }
//! let v = Ordered { names: [("b".to_string(), 1), ("a".to_string(), 2)].into_iter().collect() };
//! assert_eq!(v.dumps()?, br#"{"names":{"b":1,"a":2}}"#);
//! let back = Ordered::from_avro(&v.to_avro()?)?;
//! assert_eq!(back.names.keys().collect::<Vec<_>>(), ["b", "a"]);
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

/// Calls `$m!` with the tuple sizes the derive's field runs use (1 to 12: `(A 0, B 1, ...)`),
/// for the run traits of `avro::fields` and `protobuf::fields`.
macro_rules! for_field_runs {
    ($m:ident) => {
        $m! {
            (A 0)
            (A 0, B 1)
            (A 0, B 1, C 2)
            (A 0, B 1, C 2, D 3)
            (A 0, B 1, C 2, D 3, E 4)
            (A 0, B 1, C 2, D 3, E 4, F 5)
            (A 0, B 1, C 2, D 3, E 4, F 5, G 6)
            (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7)
            (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8)
            (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9)
            (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10)
            (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11)
        }
    };
}

pub mod avro;
pub mod base64;
pub mod codec;
pub mod compat;
pub mod decimal128;
mod derive_support;
pub mod duration;
mod error;
pub mod export;
mod field_type;
pub mod generate;
mod json_value;
#[cfg(feature = "rdkafka")]
pub mod kafka;
#[cfg(any(feature = "chrono", feature = "time"))]
mod local_time;
mod map_order;
pub mod model;
mod null_type;
mod primitive;
pub mod protobuf;
pub mod registry;
pub mod schema;
pub mod serdes;
#[cfg(test)]
mod test_tools;
pub mod validate;
pub mod value;
pub mod wire;
pub mod zigzag;

pub use error::{CodecError, SchemaError};
pub use kafka_model_derive::Record;
pub use model::{FieldType, Model};

use schema::{SchemaCache, Schemas};

/// A schema-described message type. Derive it with `#[derive(Record)]`.
///
/// # Next to apache-avro and schemars
///
/// With the `avro-schema-component` feature the derive also implements
/// `apache_avro::AvroSchemaComponent` with the rendered schema, so apache-avro's blanket impl
/// makes the type an `apache_avro::AvroSchema` and its `Writer` writes container files of it;
/// then do not add `#[derive(apache_avro::AvroSchema)]` as well (the two impls would conflict,
/// E0119). Without the feature (the default) the derive writes no apache-avro impl, and
/// `apache_avro::Writer::new(Ping::schemas().avro()?.schema(), ..)` takes our schema
/// explicitly. `#[derive(schemars::JsonSchema)]` can sit beside
/// `#[derive(Record)]`: the schemas are reached through [`Record::schemas`], whose name no
/// schemars or apache-avro trait uses, and the rendered schema types are
/// [`schema::Avro`], [`schema::Proto`] and [`schema::Json`], which do not shadow those traits
/// when imported. `apache_avro::types::Record` (a struct) keeps its name; import it under
/// another (`use apache_avro::types::Record as AvroRecord;`) in a module that also derives.
///
/// ```
/// use kafka_model::Record;
///
/// #[derive(Record, serde::Serialize, serde::Deserialize)]
/// struct Ping { seq: u32 }
///
/// // apache-avro's trait, through the derive's `AvroSchemaComponent` impl.
/// #[cfg(feature = "avro-schema-component")]
/// assert_eq!(
///     &<Ping as apache_avro::AvroSchema>::get_schema(),
///     Ping::schemas().avro()?.schema()
/// );
/// # Ok::<(), kafka_model::SchemaError>(())
/// ```
pub trait Record:
    FieldType
    + avro::AvroCodec
    + protobuf::ProtoField
    + serde::Serialize
    + serde::de::DeserializeOwned
    + validate::Validate
    + Sized
    + 'static
{
    /// The type's description, from which every schema and codec is rendered.
    fn model() -> &'static Model;

    /// Checks every validator declared on the type's fields (`#[record(min = ..)]`, ...) and on
    /// the records inside it, returning every problem at once (see [`validate`]).
    fn validate(&self) -> Result<(), validate::ValidationErrors> {
        let mut errors = validate::ValidationErrors::new();
        validate::Validate::validate_at(self, &validate::FieldPath::root(), &mut errors);
        errors.into_result()
    }

    /// `#[record(validate)]`: every codec validates the value before encoding and after decoding.
    const VALIDATE_ON_CODEC: bool = false;

    /// Whether JSON decoding coerces loose values (`#[record(coerce)]` in the model).
    #[doc(hidden)]
    fn coerce_json() -> bool {
        derive_support::coerce_json_cached(Self::schema_cache().coerce_cell(), Self::model)
    }

    /// The type's schema cache (one `static` per type).
    #[doc(hidden)]
    fn schema_cache() -> &'static SchemaCache;

    /// The type's schemas — Avro, Protobuf (proto3) and JSON Schema (draft-07) — each rendered
    /// on first use and cached for the life of the process.
    ///
    /// One accessor rather than one method per kind: a `json_schema` method would be ambiguous
    /// (E0034) on a type that also derives `schemars::JsonSchema`.
    ///
    /// ```
    /// use kafka_model::Record;
    ///
    /// #[derive(Record, serde::Serialize, serde::Deserialize)]
    /// #[record(namespace = "com.acme")]
    /// struct Ping { seq: u32 }
    ///
    /// let schemas = Ping::schemas();
    /// assert!(schemas.avro()?.text().contains(r#""name": "Ping""#));
    /// assert!(schemas.proto()?.text().contains("uint32 seq = 1;"));
    /// assert!(schemas.json()?.text().contains(r#""seq""#));
    /// # Ok::<(), kafka_model::SchemaError>(())
    /// ```
    fn schemas() -> Schemas {
        Schemas::new(Self::schema_cache(), Self::model())
    }

    /// Encodes the value with the model's default codec (`serializer`, `"json"` unless set).
    ///
    /// The codec name is parsed once per type (not per call).
    fn dumps(&self) -> Result<Vec<u8>, CodecError> {
        let cache = Self::schema_cache();
        match cache.codec(Self::model()) {
            // Plain JSON: one allocation, sized by the largest output seen for this type.
            Some(codec) if codec.format() == codec::Format::Json && codec.stages().is_empty() => {
                validate::before_encode(self)?;
                let mut out = Vec::with_capacity(cache.json_len());
                serde_json::to_writer(&mut out, self).map_err(|e| CodecError::json("encode", e))?;
                cache.saw_json_len(out.len());
                Ok(out)
            }
            Some(codec) => codec.encode(self),
            None => self.dumps_with(Self::model().serializer),
        }
    }

    /// Encodes the value with the named codec.
    fn dumps_with(&self, codec: &str) -> Result<Vec<u8>, CodecError> {
        codec::Codec::parse(codec)?.encode(self)
    }

    /// Decodes a value written with the model's default codec.
    fn loads(bytes: &[u8]) -> Result<Self, CodecError> {
        match Self::schema_cache().codec(Self::model()) {
            Some(codec) => codec.decode(bytes),
            None => Self::loads_with(Self::model().serializer, bytes),
        }
    }

    /// Decodes a value written with the named codec.
    fn loads_with(codec: &str, bytes: &[u8]) -> Result<Self, CodecError> {
        codec::Codec::parse(codec)?.decode(bytes)
    }

    /// The Avro binary datum of the value (generated straight-line code; see [`avro`]). The
    /// buffer is allocated once, sized by [`avro::AvroCodec::avro_size_hint`].
    fn to_avro(&self) -> Result<Vec<u8>, CodecError> {
        let mut out = Vec::with_capacity(avro::size_hint(self));
        self.write_avro(&mut out)?;
        Ok(out)
    }

    /// Appends the Avro binary datum to `out`: with a reused buffer, encoding allocates nothing.
    fn write_avro(&self, out: &mut Vec<u8>) -> Result<(), CodecError> {
        Ok(avro::encode_into(self, out)?)
    }

    /// Decodes an Avro datum written with this type's own schema (all bytes must be used).
    fn from_avro(bytes: &[u8]) -> Result<Self, CodecError> {
        Ok(avro::decode(bytes)?)
    }

    /// Decodes an Avro datum written with `writer` (an older or newer version of the schema,
    /// e.g. fetched from a registry), following the Avro specification's schema resolution
    /// rules ([`avro::resolve`]). When the writer's fingerprint is ours this is
    /// [`from_avro`](Self::from_avro); otherwise the resolution plan is built once per writer
    /// schema and cached.
    fn from_avro_with_writer(
        writer: &apache_avro::Schema,
        bytes: &[u8],
    ) -> Result<Self, CodecError> {
        avro::decode_with_writer(writer, bytes)
    }

    /// Avro single-object encoding: `C3 01`, the schema's 8-byte little-endian CRC-64-AVRO
    /// fingerprint, then the datum.
    fn to_avro_single(&self) -> Result<Vec<u8>, CodecError> {
        let mut out = Vec::with_capacity(10 + avro::size_hint(self));
        avro::encode_single_into(self, &mut out)?;
        Ok(out)
    }

    /// Decodes Avro single-object encoding, checking that the fingerprint is this type's.
    fn from_avro_single(bytes: &[u8]) -> Result<Self, CodecError> {
        avro::decode_single(bytes)
    }

    /// The Protobuf message of the value, as the type's `.proto` ([`schemas`](Self::schemas))
    /// says (generated straight-line code; see [`protobuf`]). Fails only for unit-only enums,
    /// which are Protobuf enums rather than messages.
    ///
    /// ```
    /// use kafka_model::Record;
    ///
    /// #[derive(Record, serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    /// struct Ping { seq: u32, note: String }
    ///
    /// let ping = Ping { seq: 1, note: "hi".into() };
    /// let bytes = ping.to_protobuf()?;
    /// assert_eq!(bytes, [0x08, 0x01, 0x12, 0x02, b'h', b'i']);
    /// assert_eq!(Ping::from_protobuf(&bytes)?, ping);
    /// # Ok::<(), kafka_model::CodecError>(())
    /// ```
    fn to_protobuf(&self) -> Result<Vec<u8>, CodecError> {
        let mut out = Vec::new();
        self.write_protobuf(&mut out)?;
        Ok(out)
    }

    /// Appends the Protobuf message to `out` (grown once, to the exact size): with a reused
    /// buffer, encoding allocates nothing.
    fn write_protobuf(&self, out: &mut Vec<u8>) -> Result<(), CodecError> {
        Ok(protobuf::encode(self, out)?)
    }

    /// Decodes a Protobuf message (all of `bytes`); unknown fields are skipped.
    fn from_protobuf(bytes: &[u8]) -> Result<Self, CodecError> {
        Ok(protobuf::decode(bytes)?)
    }

    /// Appends the Avro value as the registry serializers frame it after their header: the
    /// datum ([`write_avro`](Self::write_avro)), except for a top-level `"bytes"` (`Vec<u8>`,
    /// `bytes::Bytes`), which Confluent's serializers write raw, without the length prefix.
    fn write_avro_framed(&self, out: &mut Vec<u8>) -> Result<(), CodecError> {
        self.write_avro(out)
    }

    /// Reads what [`write_avro_framed`](Self::write_avro_framed) writes.
    fn from_avro_framed(bytes: &[u8]) -> Result<Self, CodecError> {
        Self::from_avro(bytes)
    }
}

/// A record that borrows from the bytes it is decoded from: `#[derive(Record)]` on a struct with
/// one lifetime parameter whose string and bytes fields are `&'a str`, `&'a [u8]`,
/// `Cow<'a, str>` or `Cow<'a, [u8]>` (and any owned field type, nested borrowed records,
/// `Option`/`Vec` of those). Its schemas are the owned equivalent's (`&'a str` is a string,
/// `&'a [u8]` bytes), so it reads what the owned type writes; decoding copies no string or
/// bytes data, and a type whose only non-scalar fields are borrowed decodes without allocating.
///
/// It is a read view: it is not a [`Record`] (that needs `DeserializeOwned + 'static`), so it
/// has no encoders, `loads`, `validate` or registry serializer; encode with the owned type.
/// Decode it with [`from_avro`](Self::from_avro), [`from_protobuf`](Self::from_protobuf),
/// [`from_json`](Self::from_json) (serde's own borrowing: `&'a str` fields, and
/// `#[serde(borrow)]` on `Cow` fields) or the registry-aware
/// [`Deserializer::deserialize_borrowed`](serdes::Deserializer::deserialize_borrowed).
///
/// ```
/// use std::borrow::Cow;
/// use kafka_model::{Record, RecordRef};
///
/// #[derive(Record, serde::Serialize, serde::Deserialize)]
/// #[record(name = "Event")]
/// struct Event { id: String, tags: Vec<String>, payload: Vec<u8> }
///
/// #[derive(Record, serde::Deserialize, Debug, PartialEq)]
/// #[record(name = "Event")]
/// struct EventRef<'a> {
///     id: &'a str,
///     #[serde(borrow)]
///     tags: Vec<Cow<'a, str>>,
///     payload: &'a [u8],
/// }
///
/// let owned = Event { id: "e-1".into(), tags: vec!["a".into()], payload: vec![1, 2] };
/// let bytes = owned.to_avro()?;
/// let e = EventRef::from_avro(&bytes)?;
/// assert_eq!(e, EventRef { id: "e-1", tags: vec![Cow::Borrowed("a")], payload: &[1, 2] });
/// // Nothing copied: the string points into `bytes`.
/// assert!(bytes.as_ptr_range().contains(&e.id.as_ptr()));
/// let proto = owned.to_protobuf()?;
/// assert_eq!(EventRef::from_protobuf(&proto)?.tags, ["a"]);
/// // The same schema as the owned type.
/// assert_eq!(EventRef::schemas().avro()?.text(), Event::schemas().avro()?.text());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait RecordRef<'de>:
    FieldType + avro::AvroDecode<'de> + protobuf::ProtoDecode<'de> + serde::Deserialize<'de> + Sized
{
    /// The type's description, from which every schema is rendered.
    fn model() -> &'static Model;

    /// The type's schema cache (one `static` per type).
    #[doc(hidden)]
    fn schema_cache() -> &'static SchemaCache;

    /// The type's schemas, as [`Record::schemas`].
    fn schemas() -> Schemas {
        Schemas::new(Self::schema_cache(), Self::model())
    }

    /// Decodes an Avro datum written with this type's schema (all bytes must be used), borrowing
    /// strings and bytes from `bytes`.
    fn from_avro(bytes: &'de [u8]) -> Result<Self, CodecError> {
        Ok(avro::decode_borrowed(bytes)?)
    }

    /// Decodes a Protobuf message (all of `bytes`; unknown fields are skipped, repeated
    /// message fields merge), borrowing strings and bytes from `bytes`.
    fn from_protobuf(bytes: &'de [u8]) -> Result<Self, CodecError> {
        Ok(protobuf::decode_borrowed(bytes)?)
    }

    /// Decodes JSON with serde (`serde_json::from_slice`): `&'a str` fields borrow when the
    /// JSON string has no escapes, and fail on one (serde's rule); `Cow<'a, str>` fields with
    /// `#[serde(borrow)]` borrow when they can and own the unescaped text otherwise.
    fn from_json(bytes: &'de [u8]) -> Result<Self, CodecError> {
        serde_json::from_slice(bytes).map_err(|e| CodecError::json("decode", e))
    }
}

// The README's example is compiled and run as a doctest, so it stays true.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// What the derive's generated code needs; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::codec::check_codec_name;
    pub use crate::derive_support::check_variant_name;
    pub use crate::derive_support::{
        check_field, check_flatten, check_int_encoding, check_option_union, check_proto_optional,
        check_required_only, check_rest, check_union_branches, check_variant, top_level_name,
    };
    pub use crate::derive_support::{
        in_field, record_fields, variant_fields_of, InField, DEFAULT_FIELD_OPTIONS,
    };
    pub use crate::schema::SchemaCache;
    pub use crate::validate::{
        check_properties, check_validator, check_with, coerce_needed, validate_field,
        variant_fields, variant_validators,
    };
    pub use regex::Regex;
}

/// What the derive's generated code names, under one short path: each generated block
/// imports this module as `__k` (`use ::kafka_model::__d as __k;`), so a path is `__k::Ok`
/// rather than `::core::result::Result::Ok`. Paths are most of the tokens the derive writes;
/// each costs the proc macro a token to build and rustc one to parse and resolve (issue 19).
#[doc(hidden)]
pub mod __d {
    pub use crate::__private::*;
    pub use crate::avro::fields::{
        DecodeFields as AvroDecodeFields, EncodeFields as AvroEncodeFields,
    };
    pub use crate::avro::{
        AvroCodec, AvroDecode, DecodeError as AvroDecodeError, EncodeError as AvroEncodeError,
        EncodeErrorKind as AvroEncodeErrorKind, Reader as AvroReader,
    };
    pub use crate::field_type::LiteralFields;
    pub use crate::model::FieldOptions;
    pub use crate::model::IntEncoding::{self, Varint};
    pub use crate::protobuf::fields::{
        ClearFields as ProtoClearFields, DecodeRun as ProtoDecodeRun,
        EncodeFields as ProtoEncodeFields, MergeFields as ProtoMergeFields,
    };
    pub use crate::protobuf::support as ps;
    pub use crate::protobuf::support::prost::bytes;
    pub use crate::protobuf::{
        Error as ProtoError, ProtoDecode, ProtoField, ProtoMessage, WireType,
    };
    pub use crate::validate::{PlainLeaf, Validate};
    pub use crate::{__avro_schema_component, __prost_message, __proto_decode_owned};
    pub use crate::{
        avro, export, model, protobuf, validate, CodecError, FieldType, Record, RecordRef,
    };
    pub use ::core::default::Default;
    pub use ::core::option::Option::{self, None, Some};
    pub use ::core::result::Result::{self, Err, Ok};
    pub use ::std::boxed::Box;
    pub use ::std::vec::Vec;
}
