//! Values without a Rust type: Avro and Protobuf payloads decoded and encoded by a schema
//! parsed at run time, in the JSON convention of the interop vectors and of `kafka-model
//! decode`/`encode` (`interop/README.md`, "Value convention").
//!
//! * [`avro`]: [`avro::Avro`] parses Avro schema JSON and turns a binary datum into JSON
//!   and back.
//! * [`protobuf`]: [`protobuf::ProtoFile`] compiles a `.proto` file (protox) and
//!   [`protobuf::decode`]/[`protobuf::encode`] turn a message of it into JSON and back.
//!
//! * [`generic`]: Avro data into apache-avro's generic `Value` (what
//!   [`GenericDeserializer`](crate::serdes::GenericDeserializer) hands out), with the same
//!   bounds.
//!
//! [`avro`] and [`protobuf`] need the `value` feature (on by default; it brings in `chrono` for
//! the date and time conventions); [`generic`] needs none. Decoding is bounded for untrusted bytes: nesting is limited, and lengths and
//! counts are checked against the input before anything is allocated. Errors are types that
//! say where in the value (a `/field/0` path) and, for Avro, at which byte.

#[cfg(feature = "value")]
pub mod avro;
pub mod generic;
#[cfg(feature = "value")]
pub mod protobuf;

/// A JSON value that does not have the shape the schema asks for, or a string that does not
/// spell what it should; shared by [`avro`] and [`protobuf`] errors.
#[cfg(feature = "value")]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// The JSON value has another type or shape.
    #[error("expected {expected}, found {found}")]
    Mismatch {
        /// What the schema takes here.
        expected: String,
        /// The JSON given.
        found: String,
    },
    /// A string that should spell a date, time, timestamp, decimal or base64 does not.
    #[error("invalid {what} `{text}`: {reason}")]
    InvalidText {
        /// What the string should spell.
        what: &'static str,
        /// The string.
        text: String,
        /// Why it does not.
        reason: String,
    },
}

#[cfg(feature = "value")]
impl InputError {
    fn mismatch(expected: impl Into<String>, found: &serde_json::Value) -> Self {
        InputError::Mismatch {
            expected: expected.into(),
            found: found.to_string(),
        }
    }

    fn invalid_text(what: &'static str, text: &str, reason: impl ToString) -> Self {
        InputError::InvalidText {
            what,
            text: text.to_owned(),
            reason: reason.to_string(),
        }
    }
}
