//! Wire framing: Confluent schema-id prefix and headers, Apicurio headers and payload ids.
//!
//! The framing layer knows nothing about schemas or codecs: a serializer picks a
//! [`WireFormat`], writes the header with [`WireFormat::write_header`] into its output buffer
//! (and the record's [`Headers`]), then encodes the value into the same buffer. A consumer hands
//! each record to a [`WireReader`], which detects the format from the headers and the first byte
//! and returns a [`Frame`]: the schema id, the Protobuf message-index path and the payload as a
//! slice of the input (no copy). Layouts: `reference-specs.md` §1 and the table on
//! [`WireFormat`].
//!
//! Rules the codecs above this layer follow:
//! - **Tombstones**: a null value is never framed (`None` in, `None` out; see
//!   [`WireFormat::frame`]), and a null value parses to `Ok(None)`.
//! - **Top-level Avro `"bytes"`**: when the writer schema is the bare primitive `"bytes"`,
//!   Confluent's serializers (Java `KafkaAvroSerializer`, confluent-kafka) write the raw bytes
//!   after the 5-byte header *without* Avro's length prefix, and their deserializers read the
//!   rest of the frame as the value. So for such a schema the frame's [`Frame::payload`] *is*
//!   the value, and a writer appends the raw bytes after [`WireFormat::write_header`] (or passes
//!   them to [`WireFormat::frame`]) instead of Avro-encoding them. A `#[derive(Record)]` type is
//!   never a top-level `"bytes"` schema; this concerns code that frames byte values itself.
//!   (Vector `avro_confluent_toplevel_bytes`.)
//! - **Apicurio Protobuf** (type-ref prefix, count-prefixed indexes) is not Confluent-compatible
//!   and not handled here.
//!
//! ```
//! use kafka_model::wire::{Field, MessageIndexes, NoHeaders, SchemaId, WireFormat, WireReader};
//!
//! let mut buf = Vec::new();
//! let path = MessageIndexes::new(vec![0, 1])?;
//! WireFormat::Confluent.write_header(Field::Value, SchemaId::Id(7), Some(&path), &mut buf, &mut NoHeaders)?;
//! buf.extend_from_slice(&[0x08, 0x96, 0x01]); // the Protobuf message
//! assert_eq!(buf[..8], [0x00, 0, 0, 0, 7, 0x04, 0x00, 0x02]);
//!
//! let frame = WireReader::new(Field::Value).message_indexes(true).parse(Some(&buf), &NoHeaders)?;
//! let frame = frame.expect("not a tombstone");
//! assert_eq!(frame.id, Some(SchemaId::Id(7)));
//! assert_eq!(frame.indexes, Some(path));
//! assert_eq!(frame.payload, [0x08, 0x96, 0x01]);
//! # Ok::<(), kafka_model::wire::WireError>(())
//! ```

mod error;
mod format;
mod headers;
mod indexes;
mod varint;

pub use error::WireError;
pub use format::{
    ApicurioEncoding, Field, Frame, Guid, IdKind, IdWidth, PrefixIds, SchemaId, WireFormat,
    WireReader,
};
pub use headers::{Headers, HeadersMut, NoHeaders, OwnedHeaders};
pub use indexes::{MessageIndexes, MAX_MESSAGE_INDEXES};
