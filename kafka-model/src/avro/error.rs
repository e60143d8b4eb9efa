//! Errors of the Avro binary codec: decoding untrusted bytes, encoding values the Avro types
//! cannot hold, and resolving a writer schema against ours.

use std::fmt;

/// A field path, innermost last (`order.items.sku`), built on the way out of an error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldPath(Vec<&'static str>);

impl FieldPath {
    /// The path's segments, outermost first.
    pub fn segments(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.iter().rev().copied()
    }

    /// Whether the error happened outside any field (at the top level).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn push_outer(&mut self, name: &'static str) {
        self.0.push(name);
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.segments().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            f.write_str(s)?;
        }
        Ok(())
    }
}

fn in_field(path: &FieldPath) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!(" (field `{path}`)")
    }
}

/// Decoding Avro binary data failed: where (byte offset and field), what was expected and what
/// was found.
///
/// ```
/// use kafka_model::avro::{DecodeErrorKind, Reader};
///
/// let mut r = Reader::new(&[0x80]); // a varint that never ends
/// let err = r.read_long().unwrap_err();
/// assert_eq!(err.offset(), 0);
/// assert!(matches!(err.kind(), DecodeErrorKind::UnexpectedEnd { .. }));
/// ```
#[derive(Clone, PartialEq, thiserror::Error)]
#[error("Avro decode failed at byte {}{}: {}", self.0.offset, in_field(&self.0.path), self.0.kind)]
// Boxed: decoders return `Result<T, DecodeError>` on every value they read, and a one-pointer
// error keeps those results in registers.
pub struct DecodeError(Box<DecodeErrorInner>);

#[derive(Clone, PartialEq)]
struct DecodeErrorInner {
    offset: usize,
    kind: DecodeErrorKind,
    path: FieldPath,
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("offset", &self.0.offset)
            .field("kind", &self.0.kind)
            .field("path", &self.0.path)
            .finish()
    }
}

/// What went wrong while decoding.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The input ended early.
    #[error("expected {needed} more byte(s) for {expected}, found {remaining}")]
    UnexpectedEnd {
        /// What was being read.
        expected: &'static str,
        /// Bytes needed.
        needed: usize,
        /// Bytes left.
        remaining: usize,
    },
    /// A varint longer than 64 bits.
    #[error("expected a varint of at most 10 bytes (64 bits), found a longer one")]
    VarintOverflow,
    /// An integer outside the range of the Avro or Rust type.
    #[error("expected {expected}, found {found}")]
    OutOfRange {
        /// The type and its range.
        expected: &'static str,
        /// The value read.
        found: i128,
    },
    /// A negative length or block byte size.
    #[error("expected a length >= 0 for {expected}, found {found}")]
    NegativeLength {
        /// What was being read.
        expected: &'static str,
        /// The value read.
        found: i64,
    },
    /// A length or item count larger than the remaining input can hold (checked before any
    /// allocation).
    #[error("expected at most {remaining} for {expected} (what the remaining input can hold), found {found}")]
    LengthTooLarge {
        /// What was being read.
        expected: &'static str,
        /// The length read.
        found: u64,
        /// The limit.
        remaining: usize,
    },
    /// A boolean byte other than 0 or 1.
    #[error("expected a boolean byte 0 or 1, found {0}")]
    InvalidBool(u8),
    /// A string that is not UTF-8.
    #[error("expected UTF-8 string data, found invalid UTF-8 at byte {valid_up_to} of the string")]
    InvalidUtf8 {
        /// Length of the valid prefix.
        valid_up_to: usize,
    },
    /// A union branch index out of range.
    #[error("expected a union branch index in 0..{branches}, found {found}")]
    UnionIndex {
        /// Number of branches.
        branches: usize,
        /// The index read.
        found: i64,
    },
    /// An enum symbol index out of range.
    #[error("expected an enum symbol index in 0..{symbols}, found {found}")]
    EnumIndex {
        /// Number of symbols.
        symbols: usize,
        /// The index read.
        found: i64,
    },
    /// A value that does not fit its Rust type (a date out of range, a bad UUID text, a decimal
    /// too wide).
    #[error("expected {expected}, found {found}")]
    InvalidValue {
        /// What a valid value looks like.
        expected: &'static str,
        /// What was read.
        found: String,
    },
    /// Records (or unions of the derive) nest deeper than [`RECURSION_LIMIT`](super::RECURSION_LIMIT):
    /// recursive types end here instead of exhausting the stack.
    #[error("expected records nested at most {limit} deep, found deeper nesting")]
    RecursionLimit {
        /// The limit.
        limit: u32,
    },
    /// Bytes left after the value.
    #[error("expected the end of the input after the value, found {remaining} more byte(s)")]
    TrailingBytes {
        /// Bytes left over.
        remaining: usize,
    },
    /// Single-object encoding: the input does not start with `C3 01`.
    #[error("expected the single-object marker C3 01, found {found:02X?}")]
    BadMarker {
        /// The first bytes.
        found: Vec<u8>,
    },
    /// Single-object encoding: the schema fingerprint is not ours.
    #[error("expected schema fingerprint {expected:02x?}, found {found:02x?} (data written with another schema: decode it with the writer's schema)")]
    FingerprintMismatch {
        /// Our fingerprint.
        expected: [u8; 8],
        /// The one in the data.
        found: [u8; 8],
    },
    /// A type with no Avro form (`serde_json::Value`: any JSON value); its model's
    /// `schemas().avro()` is a `SchemaError` too, so no Avro data is ever written for it.
    #[error("{rust_type} has no Avro form")]
    NoAvroForm {
        /// The Rust type.
        rust_type: &'static str,
    },
}

impl DecodeError {
    /// A new error at `offset`.
    #[cold]
    pub fn new(offset: usize, kind: DecodeErrorKind) -> Self {
        DecodeError(Box::new(DecodeErrorInner {
            offset,
            kind,
            path: FieldPath::default(),
        }))
    }

    /// Byte offset in the input where the problem was found.
    pub fn offset(&self) -> usize {
        self.0.offset
    }

    /// What went wrong.
    pub fn kind(&self) -> &DecodeErrorKind {
        &self.0.kind
    }

    /// The field being decoded (outermost first), if any.
    pub fn path(&self) -> &FieldPath {
        &self.0.path
    }

    /// Adds the enclosing field's name (called by generated code on the error path only).
    #[doc(hidden)]
    #[cold]
    pub fn in_field(mut self, name: &'static str) -> Self {
        self.0.path.push_outer(name);
        self
    }
}

/// A value cannot be written with its Avro type.
///
/// ```
/// use kafka_model::avro::{AvroCodec, EncodeErrorKind};
/// use kafka_model::model::FieldOptions;
///
/// let mut out = Vec::new();
/// let err = u64::MAX.avro_encode(&FieldOptions::default(), &mut out).unwrap_err();
/// assert!(matches!(err.kind(), EncodeErrorKind::OutOfRange { .. }));
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("Avro encode failed{}: {kind}", in_field(path))]
pub struct EncodeError {
    kind: EncodeErrorKind,
    path: FieldPath,
}

/// Why a value cannot be written.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeErrorKind {
    /// An integer (or timestamp) outside the Avro type's range.
    #[error("{value} does not fit Avro {avro_type}")]
    OutOfRange {
        /// The Avro type.
        avro_type: &'static str,
        /// The value.
        value: i128,
    },
    /// A decimal with more fraction digits than the schema's scale, or too many digits.
    #[error("decimal {value} cannot be written at scale {scale} without losing digits")]
    DecimalScale {
        /// The value, as text.
        value: String,
        /// The schema's scale.
        scale: u32,
    },
    /// A decimal field without `decimal(precision, scale)` (the derive normally prevents it).
    #[error("a decimal needs #[record(decimal(precision = P, scale = S))]")]
    DecimalWithoutScale,
    /// A collection longer than an Avro long can count.
    #[error("a collection of {0} items is too long")]
    TooLong(usize),
    /// The unknown number an open enum kept from Protobuf (`#[record(unknown)]`): Avro enums
    /// have symbols only.
    #[error("enum `{enum_name}` holds the unknown number {number}, which has no Avro symbol")]
    UnknownEnumNumber {
        /// The enum's schema name.
        enum_name: &'static str,
        /// The number.
        number: i32,
    },
    /// A type with no Avro form (`serde_json::Value`: any JSON value); its model's
    /// `schemas().avro()` is a `SchemaError` too.
    #[error("{rust_type} has no Avro form; use the JSON or Protobuf codec")]
    NoAvroForm {
        /// The Rust type.
        rust_type: &'static str,
    },
}

impl EncodeError {
    /// A new error.
    pub fn new(kind: EncodeErrorKind) -> Self {
        EncodeError {
            kind,
            path: FieldPath::default(),
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> &EncodeErrorKind {
        &self.kind
    }

    /// The field being encoded (outermost first), if any.
    pub fn path(&self) -> &FieldPath {
        &self.path
    }

    /// Adds the enclosing field's name (called by generated code on the error path only).
    #[doc(hidden)]
    #[cold]
    pub fn in_field(mut self, name: &'static str) -> Self {
        self.path.push_outer(name);
        self
    }
}

/// A writer schema cannot be resolved against ours (the Avro specification's "Schema
/// Resolution"): names the field and the rule that failed.
///
/// ```
/// use kafka_model::avro::ResolveError;
/// let e = ResolveError::new("order.qty", "numeric promotion", "writer `string` cannot be read as reader `int`");
/// assert_eq!(e.field(), "order.qty");
/// assert!(e.to_string().contains("numeric promotion"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Avro schema resolution failed at `{field}` ({rule}): {message}")]
pub struct ResolveError {
    field: String,
    rule: &'static str,
    message: String,
}

impl ResolveError {
    /// A new error: the field path (`""` for the top level), the specification rule, details.
    pub fn new(field: impl Into<String>, rule: &'static str, message: impl Into<String>) -> Self {
        ResolveError {
            field: field.into(),
            rule,
            message: message.into(),
        }
    }

    /// The field path (`a.b.c`; empty at the top level).
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The resolution rule that failed (e.g. `"field without default"`, `"enum symbol"`).
    pub fn rule(&self) -> &'static str {
        self.rule
    }

    /// Details.
    pub fn message(&self) -> &str {
        &self.message
    }
}
