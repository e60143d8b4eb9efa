//! Codecs by name: what `dumps`/`loads` and the model's `serializer` attribute refer to.
//!
//! A codec name is a pipeline of stages separated by `|`: the first stage turns a value into
//! bytes (a *format*, e.g. `json`), later stages would transform bytes (compression, base64).
//! Only the `json` format exists so far; the names are checked in one place
//! ([`Codec::parse`], and [`check_codec_name`] at compile time for the `serializer` attribute).
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

/// The value-to-bytes stage of a codec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// serde_json, exactly as the type's `Serialize`/`Deserialize` say.
    Json,
}

/// Names of the formats, in the order they are listed in errors.
pub const FORMATS: &[(&str, Format)] = &[("json", Format::Json)];

/// A parsed codec name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Codec {
    format: Format,
}

impl Codec {
    /// Parses a codec name such as `"json"`.
    pub fn parse(name: &str) -> Result<Codec, CodecError> {
        let stage = name.trim();
        match FORMATS.iter().find(|(n, _)| *n == stage) {
            Some((_, format)) => Ok(Codec { format: *format }),
            None => Err(CodecError::UnknownCodec {
                name: name.to_string(),
                known: FORMATS.iter().map(|(n, _)| n.to_string()).collect(),
            }),
        }
    }

    /// The value-to-bytes stage.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Encodes a value.
    pub fn encode<T: Record>(&self, value: &T) -> Result<Vec<u8>, CodecError> {
        match self.format {
            Format::Json => serde_json::to_vec(value).map_err(|e| CodecError::json("encode", e)),
        }
    }

    /// Decodes a value.
    pub fn decode<T: Record>(&self, bytes: &[u8]) -> Result<T, CodecError> {
        match self.format {
            Format::Json => {
                serde_json::from_slice(bytes).map_err(|e| CodecError::json("decode", e))
            }
        }
    }
}

/// Compile-time check of a `serializer` attribute: the derive calls it in a `const`, so a
/// misspelt codec name is a compile error at the attribute.
#[doc(hidden)]
pub const fn check_codec_name(name: &str) {
    let mut i = 0;
    while i < FORMATS.len() {
        if const_str_eq(FORMATS[i].0, name) {
            return;
        }
        i += 1;
    }
    panic!("unknown codec in #[record(serializer = ...)]; registered codecs: see kafka_model::codec::FORMATS");
}

const fn const_str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}
