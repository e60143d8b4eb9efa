//! The Protobuf codec's error: what went wrong, in which field, at which byte.

use std::fmt;

use prost::encoding::WireType;

/// Encoding or decoding a Protobuf message failed.
///
/// Says what went wrong ([`ErrorKind`]), the path of fields from the top-level message down to
/// the one being read, and the byte offset in the input where decoding stopped.
///
/// ```
/// use kafka_model::Record;
///
/// #[derive(Record, serde::Serialize, serde::Deserialize, Debug, PartialEq)]
/// struct Ping { seq: u32, note: String }
///
/// // Field 2 (`note`) claims 5 bytes but only 1 follows.
/// let err = kafka_model::protobuf::decode::<Ping>(&[0x08, 0x01, 0x12, 0x05, b'a']).unwrap_err();
/// assert_eq!(err.path(), "note");
/// assert!(matches!(err.kind(), kafka_model::protobuf::ErrorKind::Truncated { .. }));
/// assert!(err.to_string().contains("`note`"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(Box<Inner>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    /// Field names, innermost first.
    path: Vec<&'static str>,
    message: Option<&'static str>,
    offset: Option<usize>,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The bytes are not well-formed Protobuf (bad varint, bad key, bad wire type, group
    /// mismatch), as reported by `prost`'s primitives.
    #[error("malformed protobuf: {0}")]
    Malformed(#[source] prost::DecodeError),
    /// A field arrived with another wire type than its declared type calls for.
    #[error("wire type {found:?} where the schema expects {expected:?}")]
    WireType {
        /// What the field's type calls for.
        expected: WireType,
        /// What the input holds.
        found: WireType,
    },
    /// A length prefix points past the end of the input (or of the enclosing message).
    #[error("a length of {needed} bytes exceeds the {remaining} bytes left")]
    Truncated {
        /// Bytes the length prefix claims.
        needed: u64,
        /// Bytes left in the input or the enclosing message.
        remaining: usize,
    },
    /// A field ran past the end of its enclosing message.
    #[error("a field runs past the end of its enclosing message")]
    Overrun,
    /// A `string` field is not UTF-8.
    #[error("string field is not valid UTF-8")]
    InvalidUtf8,
    /// An integer does not fit the Rust type (e.g. 300 for an `i8` or `u8` field).
    #[error("{value} does not fit in {ty}")]
    OutOfRange {
        /// The Rust type.
        ty: &'static str,
        /// The value read.
        value: i128,
    },
    /// An enum number that the Rust enum does not declare (also the zero `UNSPECIFIED` value),
    /// and the enum has no default symbol (`#[serde(other)]` / `#[record(default)]`) to map it to.
    #[error("enum `{enum_name}` has no value {number} and no default symbol to map it to")]
    UnknownEnumValue {
        /// The enum's schema name.
        enum_name: &'static str,
        /// The number read (0 when the field was absent).
        number: i32,
    },
    /// A message of an enum with data had no `oneof` member set.
    #[error("no member of oneof `{message}` is set")]
    MissingOneof {
        /// The enum's schema name.
        message: &'static str,
    },
    /// A value of a logical type does not parse (UUID text, decimal text, timestamp range,
    /// wrong length for `[u8; N]`).
    #[error("invalid {ty}: {reason}")]
    InvalidValue {
        /// The Rust type.
        ty: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// Messages nested deeper than [`RECURSION_LIMIT`](super::RECURSION_LIMIT).
    #[error("messages nested deeper than {0} levels")]
    RecursionLimit(u32),
    /// The type is a unit-only enum: its schema is a Protobuf `enum`, not a message, so it can
    /// only be a field of a message.
    #[error(
        "`{0}` is a Protobuf enum, not a message: it can only be encoded as a field of a record"
    )]
    NotAMessage(&'static str),
}

impl Error {
    /// A new error of `kind`, with no path and no offset yet.
    pub fn new(kind: ErrorKind) -> Self {
        Error(Box::new(Inner {
            kind,
            path: Vec::new(),
            message: None,
            offset: None,
        }))
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// The field path from the top-level message, dot-separated (`customer.email`); empty when
    /// the error is about the top-level message itself.
    pub fn path(&self) -> String {
        let mut out = String::new();
        for (i, p) in self.0.path.iter().rev().enumerate() {
            if i > 0 {
                out.push('.');
            }
            out.push_str(p);
        }
        out
    }

    /// The byte offset in the input where decoding stopped, when decoding.
    pub fn offset(&self) -> Option<usize> {
        self.0.offset
    }

    /// The top-level message's schema name, when known.
    pub fn message(&self) -> Option<&'static str> {
        self.0.message
    }

    /// Adds the enclosing field to the path (generated code calls it on the way out).
    #[doc(hidden)]
    #[cold]
    pub fn in_field(mut self, field: &'static str) -> Self {
        self.0.path.push(field);
        self
    }

    #[cold]
    pub(crate) fn at(mut self, message: &'static str, offset: Option<usize>) -> Self {
        self.0.message.get_or_insert(message);
        if self.0.offset.is_none() {
            self.0.offset = offset;
        }
        self
    }

    /// The error as a `prost::DecodeError` (for the `prost::Message` impls).
    #[doc(hidden)]
    // prost offers no other way to carry a message; `new` is hidden and deprecated but public.
    #[allow(deprecated)]
    pub fn into_prost(self) -> prost::DecodeError {
        match self.0.kind {
            ErrorKind::Malformed(e) if self.0.path.is_empty() => e,
            _ => prost::DecodeError::new(self.to_string()),
        }
    }
}

impl From<ErrorKind> for Error {
    #[cold]
    fn from(kind: ErrorKind) -> Self {
        Error::new(kind)
    }
}

impl From<prost::DecodeError> for Error {
    #[cold]
    fn from(e: prost::DecodeError) -> Self {
        Error::new(ErrorKind::Malformed(e))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("protobuf")?;
        if let Some(m) = self.0.message {
            write!(f, " `{m}`")?;
        }
        if let Some(o) = self.0.offset {
            write!(f, " at byte {o}")?;
        }
        if !self.0.path.is_empty() {
            write!(f, ", field `{}`", self.path())?;
        }
        write!(f, ": {}", self.0.kind)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0.kind)
    }
}
