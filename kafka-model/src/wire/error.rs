//! The typed error of every frame parser and writer in [`crate::wire`].

use super::SchemaId;

/// Reading or writing a frame failed. Parsers never panic: every malformed input is one of these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WireError {
    /// The first byte is not a magic byte this reader accepts.
    #[error("wrong magic byte 0x{found:02x} in {place}; expected {expected}")]
    WrongMagic {
        /// The byte found.
        found: u8,
        /// Where it was found (`"value"` or a header name).
        place: String,
        /// What was expected, e.g. `"0x00 (Confluent) or 0x01 (Confluent GUID)"`.
        expected: &'static str,
    },
    /// The frame ends before a part of its header.
    #[error("truncated {what}: need {needed} bytes, found {found}")]
    Truncated {
        /// The part being read (`"Confluent header"`, `"message-index path"`, ...).
        what: &'static str,
        /// Bytes needed, counted from the start of the value or header value (for the
        /// message-index path: from its first byte).
        needed: usize,
        /// Bytes available.
        found: usize,
    },
    /// A message-index count above the cap or above what the remaining bytes can hold.
    #[error("message-index count {count} exceeds the limit of {max}")]
    TooManyMessageIndexes {
        /// The count read.
        count: u64,
        /// The limit that applied (the configured cap or the bytes remaining).
        max: usize,
    },
    /// A negative message-index count or index.
    #[error("negative {what} {value} in the message-index path")]
    NegativeMessageIndex {
        /// `"count"` or `"index"`.
        what: &'static str,
        /// The value read.
        value: i32,
    },
    /// A varint longer than 5 bytes or overflowing 32 bits.
    #[error("malformed varint at byte {offset} of the message-index path")]
    BadVarint {
        /// Offset of the varint's first byte within the path.
        offset: usize,
    },
    /// An empty message-index path, or an index above `i32::MAX`, was given to a writer.
    #[error("invalid message-index path: {reason}")]
    InvalidMessageIndexes {
        /// What is wrong.
        reason: &'static str,
    },
    /// A header whose value has the wrong length.
    #[error("header `{name}` is {found} bytes long; expected {expected}")]
    HeaderLength {
        /// The header name.
        name: String,
        /// The expected length.
        expected: usize,
        /// The length found.
        found: usize,
    },
    /// A header whose value is not one of the accepted values.
    #[error("header `{name}` has an unexpected value: {reason}")]
    HeaderValue {
        /// The header name.
        name: String,
        /// What is wrong.
        reason: String,
    },
    /// The schema id given to a writer is not the kind the wire format carries.
    #[error("wire format {wire} cannot carry schema id {id:?}")]
    IdMismatch {
        /// The wire format.
        wire: &'static str,
        /// The id given.
        id: SchemaId,
    },
    /// The id does not fit the wire format's id width.
    #[error("schema id {id} does not fit in {width} bytes")]
    IdOutOfRange {
        /// The id.
        id: i64,
        /// The width in bytes.
        width: usize,
    },
    /// A message-index path was given to a wire format that cannot carry one.
    #[error("wire format {wire} does not carry Protobuf message indexes")]
    IndexesNotSupported {
        /// The wire format.
        wire: &'static str,
    },
    /// The wire format writes Kafka headers but the writer was given no header collection.
    #[error("wire format {wire} writes headers, but no header collection was given")]
    HeadersUnavailable {
        /// The wire format.
        wire: &'static str,
    },
}
