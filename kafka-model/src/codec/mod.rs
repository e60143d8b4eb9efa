//! Codecs by name: what `dumps`/`loads` and the model's `serializer` attribute refer to.
//!
//! A codec name is a pipeline of stages separated by `|`: the first stage turns a value into
//! bytes (a *format*, see [`FORMATS`]: `json`, `json+faust`, ...), later stages transform bytes
//! ([`BUILTIN_STAGES`]: `gzip`, `zstd`, `binary` = base64, `raw` = identity; or your own,
//! [`register_codec`]), e.g. `"json|gzip"`, `"json|zstd|binary"`. Decoding runs the stages in
//! reverse, each bounded in output size ([`set_default_max_decompressed`],
//! [`Codec::with_max_decompressed`]). Names are checked by [`Codec::parse`] (unknown names are
//! [`CodecError::UnknownCodec`], listing the registered ones), and at compile time for the
//! `serializer` attribute by [`check_codec_name`], which knows only the built-in names: a model
//! whose default codec uses a registered stage calls `dumps_with`/`loads_with` instead.
//!
//! ```
//! use kafka_model::codec::Codec;
//! use kafka_model::Record;
//!
//! #[derive(Record, serde::Serialize, serde::Deserialize, Debug, PartialEq)]
//! struct Ping { seq: u32 }
//!
//! let codec = Codec::parse("json")?;
//! let bytes = codec.encode(&Ping { seq: 7 })?;
//! assert_eq!(bytes, br#"{"seq":7}"#);
//! assert_eq!(codec.decode::<Ping>(&bytes)?, Ping { seq: 7 });
//! assert!(Codec::parse("jsn").is_err());
//! # Ok::<(), kafka_model::CodecError>(())
//! ```

use crate::{CodecError, Record};

pub mod faust;
mod pipeline;
mod stage;

pub use pipeline::Stages;
#[cfg(feature = "gzip")]
pub use stage::Gzip;
#[cfg(feature = "zstd")]
pub use stage::Zstd;
pub use stage::{
    default_max_decompressed, lookup_codec, register_codec, registered_codecs,
    set_default_max_decompressed, Binary, ByteCodec, DecodeLimits, Raw, BUILTIN_STAGES,
    DEFAULT_MAX_DECOMPRESSED,
};

/// The value-to-bytes stage of a codec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// serde_json, exactly as the type's `Serialize`/`Deserialize` say.
    Json,
    /// JSON with Python Faust's `"__faust": {"ns": ...}` metadata and Faust's form of
    /// polymorphic fields ([`faust`]).
    JsonFaust,
    /// The Avro binary datum, as the type's Avro schema says ([`crate::avro`]).
    Avro,
    /// Avro single-object encoding: `C3 01`, 8-byte schema fingerprint, datum.
    AvroSingle,
    /// The Protobuf message, as the type's `.proto` says ([`crate::protobuf`]).
    Protobuf,
}

/// Names of the formats, in the order they are listed in errors.
pub const FORMATS: &[(&str, Format)] = &[
    ("json", Format::Json),
    ("json+faust", Format::JsonFaust),
    ("avro", Format::Avro),
    ("avro-single", Format::AvroSingle),
    ("protobuf", Format::Protobuf),
];

/// A parsed codec name: a format and its byte stages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Codec {
    format: Format,
    stages: Stages,
}

impl Codec {
    /// Parses a codec name such as `"json"` or `"json|gzip"`.
    pub fn parse(name: &str) -> Result<Codec, CodecError> {
        let (format, stages) = pipeline::parse_codec(name)?;
        Ok(Codec { format, stages })
    }

    /// The byte stages after the format.
    pub fn stages(&self) -> &Stages {
        &self.stages
    }

    /// Bounds each decoding stage's output (default: [`default_max_decompressed`]).
    pub fn with_max_decompressed(mut self, bytes: usize) -> Self {
        self.stages = self.stages.with_max_decompressed(bytes);
        self
    }

    /// Encodes a value: the format, then the byte stages.
    pub fn encode<T: Record>(&self, value: &T) -> Result<Vec<u8>, CodecError> {
        self.stages.encode(self.encode_format(value)?)
    }

    /// Decodes a value: the byte stages in reverse, then the format.
    pub fn decode<T: Record>(&self, bytes: &[u8]) -> Result<T, CodecError> {
        self.decode_format(&self.stages.decode(bytes)?)
    }

    /// The value-to-bytes stage.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Encodes a value with the format alone (no byte stages).
    pub fn encode_format<T: Record>(&self, value: &T) -> Result<Vec<u8>, CodecError> {
        crate::validate::before_encode(value)?;
        match self.format {
            Format::JsonFaust => faust::encode(value),
            Format::Avro => value.to_avro(),
            Format::AvroSingle => value.to_avro_single(),
            Format::Protobuf => value.to_protobuf(),
            Format::Json => serde_json::to_vec(value).map_err(|e| CodecError::json("encode", e)),
        }
    }

    /// Decodes a value with the format alone (no byte stages).
    pub fn decode_format<T: Record>(&self, bytes: &[u8]) -> Result<T, CodecError> {
        crate::validate::after_decode(match self.format {
            Format::JsonFaust => faust::decode(bytes),
            Format::Avro => T::from_avro(bytes),
            Format::AvroSingle => T::from_avro_single(bytes),
            Format::Protobuf => T::from_protobuf(bytes),
            Format::Json => crate::validate::decode_json(bytes),
        })
    }
}

/// Whether `name` is a pipeline of built-in names only (what [`check_codec_name`] accepts).
pub(crate) fn is_builtin_pipeline(name: &str) -> bool {
    pipeline::is_builtin_pipeline(name)
}

/// Compile-time check of a `serializer` attribute: the derive calls it in a `const`, so a
/// misspelt codec name is a compile error at the attribute. Accepts a pipeline of built-in names
/// only (a format from [`FORMATS`], then stages from [`BUILTIN_STAGES`]); codecs registered at
/// run time cannot be known here.
#[doc(hidden)]
pub const fn check_codec_name(name: &str) {
    if !pipeline::is_builtin_pipeline(name) {
        panic!("unknown codec in #[record(serializer = ...)]: expected a format (kafka_model::codec::FORMATS) then built-in stages (kafka_model::codec::BUILTIN_STAGES), e.g. \"json|gzip\"");
    }
}
