//! Thin helpers between the serializers and [rdkafka](https://docs.rs/rdkafka) (feature
//! `rdkafka`).
//!
//! The serializers produce bytes and [`OwnedHeaders`](crate::wire::OwnedHeaders); the
//! deserializers read a payload slice and anything implementing [`wire::Headers`]. This module
//! connects both ends to rdkafka without copying more than rdkafka itself needs:
//!
//! - **Producing**: [`future_record`] (or [`SerializedRecord::future_record`]) builds an
//!   rdkafka [`FutureRecord`] that *borrows* the key and value bytes; only the headers are
//!   copied, because librdkafka keeps its own header list ([`rdkafka_headers`]).
//! - **Consuming**: [`wire::Headers`] is implemented for rdkafka's [`BorrowedHeaders`] and
//!   [`RdOwnedHeaders`], and [`MessageView::of`] takes any received [`Message`]
//!   ([`BorrowedMessage`](rdkafka::message::BorrowedMessage) or
//!   [`OwnedMessage`](rdkafka::message::OwnedMessage)) apart into key and value slices plus a
//!   [`KafkaHeaders`] view that reads the message's headers in place.
//!
//! Building librdkafka is the application's choice, made by the features it enables on its own
//! `rdkafka` dependency (Cargo unifies them). This repository's tests and examples use rdkafka
//! 0.39 with **no build feature**: the bundled librdkafka 2.12.1 is compiled with its own
//! `configure` script (needs a C compiler and `make`; about 2 minutes on 2 cores).
//! `cmake-build` fails there without libcurl headers (librdkafka issue #5135), and
//! `dynamic-linking` needs a system librdkafka of at least 2.12.1 (Debian 12 ships 2.0.2).
//!
//! ```
//! use kafka_model::kafka::{future_record, KafkaHeaders, MessageView};
//! use kafka_model::wire::{Field, Headers, NoHeaders, SchemaId, WireFormat, WireReader};
//! use rdkafka::message::{OwnedMessage, Timestamp};
//!
//! // A value framed with Confluent GUID headers: the schema id travels in a header.
//! let mut headers = kafka_model::wire::OwnedHeaders::new();
//! let guid = "0194f3a2-7c1e-7d6b-9a2b-3c4d5e6f7081".parse()?;
//! let value = WireFormat::ConfluentGuidHeader
//!     .frame(Field::Value, SchemaId::Guid(guid), None, Some(b"payload"), &mut headers)?;
//! let record = future_record("orders", Some(b"k-1"), value.as_deref(), &headers);
//! assert_eq!(record.payload, Some(&b"payload"[..]));
//!
//! // What a consumer receives, read back without copying.
//! let received = OwnedMessage::new(
//!     value, Some(b"k-1".to_vec()), "orders".into(), Timestamp::NotAvailable, 0, 7,
//!     Some(kafka_model::kafka::rdkafka_headers(&headers)),
//! );
//! let view = MessageView::of(&received);
//! assert_eq!((view.partition, view.offset, view.key), (0, 7, Some(&b"k-1"[..])));
//! let frame = WireReader::new(Field::Value).parse(view.value, &view.headers)?.expect("not a tombstone");
//! assert_eq!(frame.id, Some(SchemaId::Guid(guid)));
//! assert_eq!(frame.payload, b"payload");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use rdkafka::message::{BorrowedHeaders, Header, Headers as RdHeaders, Message};
use rdkafka::producer::FutureRecord;

pub use rdkafka::message::OwnedHeaders as RdOwnedHeaders;

use crate::wire;

/// Copies our headers into rdkafka's header list (librdkafka keeps its own copy of each
/// header; this is the one copy the producer path makes). Order and repeated names are kept.
///
/// ```
/// use rdkafka::message::Headers as _;
/// let ours = vec![("a".to_string(), vec![1u8]), ("a".to_string(), vec![2u8])];
/// let theirs = kafka_model::kafka::rdkafka_headers(&ours);
/// assert_eq!(theirs.count(), 2);
/// ```
pub fn rdkafka_headers(headers: &[(String, Vec<u8>)]) -> RdOwnedHeaders {
    headers.iter().fold(
        RdOwnedHeaders::new_with_capacity(headers.len()),
        |acc, (name, value)| {
            acc.insert(Header {
                key: name,
                value: Some(value.as_slice()),
            })
        },
    )
}

/// An rdkafka [`FutureRecord`] for `topic` that borrows `key` and `value` (a `None` value is a
/// tombstone) and carries a copy of `headers`. Set a partition or timestamp on the result with
/// rdkafka's own builder methods.
///
/// ```
/// let headers = vec![("__value_schema_id".to_string(), vec![0u8, 0, 0, 0, 1])];
/// let record = kafka_model::kafka::future_record("t", None, Some(b"v"), &headers)
///     .partition(2);
/// assert_eq!((record.topic, record.key, record.partition), ("t", None, Some(2)));
/// ```
pub fn future_record<'a>(
    topic: &'a str,
    key: Option<&'a [u8]>,
    value: Option<&'a [u8]>,
    headers: &[(String, Vec<u8>)],
) -> FutureRecord<'a, [u8], [u8]> {
    let mut record = FutureRecord::to(topic);
    record.key = key;
    record.payload = value;
    if !headers.is_empty() {
        record = record.headers(rdkafka_headers(headers));
    }
    record
}

/// A serialized Kafka record, as the serializers leave it: key and value bytes (each `None`
/// when absent / a tombstone) and the headers the wire framing wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SerializedRecord {
    /// The serialized key, if any.
    pub key: Option<Vec<u8>>,
    /// The serialized value; `None` is a tombstone.
    pub value: Option<Vec<u8>>,
    /// Record headers (schema ids for the header wire formats, plus the application's own).
    pub headers: wire::OwnedHeaders,
}

impl SerializedRecord {
    /// A record with this value and headers and no key.
    pub fn new(value: Option<Vec<u8>>, headers: wire::OwnedHeaders) -> Self {
        SerializedRecord {
            key: None,
            value,
            headers,
        }
    }

    /// The same record with a key.
    pub fn with_key(mut self, key: Option<Vec<u8>>) -> Self {
        self.key = key;
        self
    }

    /// An rdkafka [`FutureRecord`] borrowing this record's bytes (see [`future_record`]).
    pub fn future_record<'a>(&'a self, topic: &'a str) -> FutureRecord<'a, [u8], [u8]> {
        future_record(
            topic,
            self.key.as_deref(),
            self.value.as_deref(),
            &self.headers,
        )
    }
}

impl From<(Vec<u8>, wire::OwnedHeaders)> for SerializedRecord {
    /// What [`Serializer::serialize`](crate::serdes::Serializer::serialize) answers: the value
    /// and its headers, no key.
    fn from((value, headers): (Vec<u8>, wire::OwnedHeaders)) -> Self {
        SerializedRecord::new(Some(value), headers)
    }
}

/// The value of the last non-null header named `name` among rdkafka headers.
fn last_value<'h, H: RdHeaders + ?Sized>(headers: &'h H, name: &str) -> Option<&'h [u8]> {
    (0..headers.count())
        .rev()
        .filter_map(|i| headers.try_get(i))
        .find(|h| h.key == name && h.value.is_some())
        .and_then(|h| h.value)
}

impl wire::Headers for BorrowedHeaders {
    /// Reads librdkafka's header list in place. Null-valued headers are skipped.
    fn last_value(&self, name: &str) -> Option<&[u8]> {
        last_value(self, name)
    }
}

impl wire::Headers for RdOwnedHeaders {
    /// Reads librdkafka's header list in place. Null-valued headers are skipped.
    fn last_value(&self, name: &str) -> Option<&[u8]> {
        last_value(self, name)
    }
}

/// The headers of a received message as a [`wire::Headers`] view: no copy; a message without
/// headers reads as empty.
pub struct KafkaHeaders<'a, H: RdHeaders + ?Sized = BorrowedHeaders>(Option<&'a H>);

impl<H: RdHeaders + ?Sized> Clone for KafkaHeaders<'_, H> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<H: RdHeaders + ?Sized> Copy for KafkaHeaders<'_, H> {}

impl<'a, H: RdHeaders + ?Sized> KafkaHeaders<'a, H> {
    /// A view of `headers` (`None`: the message has none).
    pub fn new(headers: Option<&'a H>) -> Self {
        KafkaHeaders(headers)
    }

    /// How many headers the message has (null-valued ones included).
    pub fn len(&self) -> usize {
        self.0.map_or(0, |h| h.count())
    }

    /// Whether the message has no headers.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Copies the headers into our owned form (null-valued headers are skipped), e.g. to
    /// compare them or keep them past the message's lifetime.
    pub fn to_owned_headers(&self) -> wire::OwnedHeaders {
        let Some(h) = self.0 else {
            return Vec::new();
        };
        (0..h.count())
            .filter_map(|i| h.try_get(i))
            .filter_map(|h| h.value.map(|v| (h.key.to_string(), v.to_vec())))
            .collect()
    }
}

impl<H: RdHeaders + ?Sized> wire::Headers for KafkaHeaders<'_, H> {
    fn last_value(&self, name: &str) -> Option<&[u8]> {
        self.0.and_then(|h| last_value(h, name))
    }
}

impl<H: RdHeaders + ?Sized> std::fmt::Debug for KafkaHeaders<'_, H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut list = f.debug_list();
        if let Some(h) = self.0 {
            for i in 0..h.count() {
                if let Some(header) = h.try_get(i) {
                    list.entry(&(header.key, header.value));
                }
            }
        }
        list.finish()
    }
}

/// A received message taken apart for the deserializers: key and value as slices of the
/// message (no copy) and its headers as a [`wire::Headers`] view.
#[derive(Debug)]
pub struct MessageView<'a, H: RdHeaders + ?Sized = BorrowedHeaders> {
    /// The topic the message came from.
    pub topic: &'a str,
    /// Its partition.
    pub partition: i32,
    /// Its offset in the partition.
    pub offset: i64,
    /// The key bytes, if any.
    pub key: Option<&'a [u8]>,
    /// The value bytes; `None` is a tombstone.
    pub value: Option<&'a [u8]>,
    /// The headers, read in place.
    pub headers: KafkaHeaders<'a, H>,
}

impl<H: RdHeaders + ?Sized> Clone for MessageView<'_, H> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<H: RdHeaders + ?Sized> Copy for MessageView<'_, H> {}

impl<'a, H: RdHeaders + ?Sized> MessageView<'a, H> {
    /// Views a [`BorrowedMessage`](rdkafka::message::BorrowedMessage) or an
    /// [`OwnedMessage`](rdkafka::message::OwnedMessage) (anything implementing [`Message`]).
    pub fn of<M: Message<Headers = H>>(message: &'a M) -> Self {
        tracing::trace!(
            topic = message.topic(),
            partition = message.partition(),
            offset = message.offset(),
            "viewing a received message"
        );
        MessageView {
            topic: message.topic(),
            partition: message.partition(),
            offset: message.offset(),
            key: message.key(),
            value: message.payload(),
            headers: KafkaHeaders::new(message.headers()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Headers as _;
    use rdkafka::message::{OwnedMessage, Timestamp};

    #[test]
    fn headers_round_trip_and_last_value_wins() {
        let ours = vec![
            ("a".to_string(), vec![1u8]),
            ("b".to_string(), vec![]),
            ("a".to_string(), vec![2u8]),
        ];
        let theirs = rdkafka_headers(&ours);
        assert_eq!(theirs.last_value("a"), Some(&[2u8][..]));
        assert_eq!(theirs.last_value("b"), Some(&[][..]));
        assert_eq!(theirs.last_value("c"), None);
        let view = KafkaHeaders::new(Some(theirs.as_borrowed()));
        assert_eq!(view.to_owned_headers(), ours);
        assert_eq!(view.len(), 3);
    }

    #[test]
    fn null_headers_are_skipped() {
        let theirs = RdOwnedHeaders::new()
            .insert(Header {
                key: "a",
                value: Some(&b"x"[..]),
            })
            .insert::<[u8]>(Header {
                key: "a",
                value: None,
            });
        assert_eq!(theirs.last_value("a"), Some(&b"x"[..]));
        let view = KafkaHeaders::new(Some(&theirs));
        assert_eq!(
            view.to_owned_headers(),
            vec![("a".to_string(), b"x".to_vec())]
        );
    }

    #[test]
    fn message_without_headers_reads_empty() {
        let m = OwnedMessage::new(None, None, "t".into(), Timestamp::NotAvailable, 3, 9, None);
        let view = MessageView::of(&m);
        assert!(view.headers.is_empty());
        assert_eq!(view.headers.last_value("x"), None);
        assert_eq!((view.value, view.key, view.partition), (None, None, 3));
    }

    #[test]
    fn serialized_record_borrows() {
        let r = SerializedRecord::new(Some(b"v".to_vec()), vec![]).with_key(Some(b"k".to_vec()));
        let fr = r.future_record("t");
        assert_eq!(
            fr.payload.map(<[u8]>::as_ptr),
            r.value.as_deref().map(<[u8]>::as_ptr)
        );
        assert!(fr.headers.is_none());
    }
}
