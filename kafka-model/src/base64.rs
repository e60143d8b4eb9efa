//! Bytes as standard base64 strings in JSON: a serde `with` module.
//!
//! serde writes `Vec<u8>`, `[u8; N]` and `bytes::Bytes` as an array of numbers by default
//! (`[104, 105]`). With `#[serde(with = "kafka_model::base64")]` a field is written as one
//! base64 string instead (standard alphabet, with `=` padding: `"aGk="`), which is shorter and
//! what most non-Rust consumers expect. The JSON Schema of such a field is
//! `{"type": "string", "contentEncoding": "base64"}`.
//!
//! ```
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize, Debug, PartialEq)]
//! struct Blob {
//!     #[serde(with = "kafka_model::base64")]
//!     data: Vec<u8>,
//!     #[serde(with = "kafka_model::base64")]
//!     digest: [u8; 4],
//! }
//!
//! let blob = Blob { data: b"hi".to_vec(), digest: [0xde, 0xad, 0xbe, 0xef] };
//! let json = serde_json::to_string(&blob)?;
//! assert_eq!(json, r#"{"data":"aGk=","digest":"3q2+7w=="}"#);
//! assert_eq!(serde_json::from_str::<Blob>(&json)?, blob);
//!
//! // A string that is not base64, or that decodes to the wrong length, is an error.
//! assert!(serde_json::from_str::<Blob>(r#"{"data":"a!","digest":"3q2+7w=="}"#).is_err());
//! assert!(serde_json::from_str::<Blob>(r#"{"data":"","digest":"aGk="}"#).is_err());
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::fmt;
use std::marker::PhantomData;

use ::base64::engine::general_purpose::STANDARD;
use ::base64::Engine as _;
use serde::de::{self, Deserializer, Visitor};
use serde::Serializer;

/// Writes the bytes as one standard base64 string (with padding).
pub fn serialize<S, T>(bytes: &T, s: S) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    T: AsRef<[u8]> + ?Sized,
{
    s.serialize_str(&STANDARD.encode(bytes.as_ref()))
}

/// Reads one standard base64 string (with padding) and converts the bytes to `T`
/// (`Vec<u8>`, `[u8; N]` of exactly the decoded length, `bytes::Bytes`, ...).
pub fn deserialize<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<Vec<u8>>,
{
    d.deserialize_str(Base64Visitor(PhantomData))
}

struct Base64Visitor<T>(PhantomData<T>);

impl<T: TryFrom<Vec<u8>>> Visitor<'_> for Base64Visitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a standard base64 string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        let bytes = STANDARD
            .decode(v)
            .map_err(|e| E::custom(format_args!("invalid base64: {e}")))?;
        let len = bytes.len();
        T::try_from(bytes).map_err(|_| E::invalid_length(len, &"as many bytes as the field holds"))
    }
}
