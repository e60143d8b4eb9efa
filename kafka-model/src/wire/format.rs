//! The wire-format choice, schema ids, frame writing and format-detecting parsing.

use std::fmt;
use std::str::FromStr;

use super::headers::{Headers, HeadersMut};
use super::indexes::{MessageIndexes, MAX_MESSAGE_INDEXES};
use super::WireError;

/// Which part of the Kafka record a frame belongs to: it selects header names
/// (`__key_schema_id` / `__value_schema_id`, `apicurio.key.*` / `apicurio.value.*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Field {
    /// The record key.
    Key,
    /// The record value.
    #[default]
    Value,
}

impl Field {
    /// `"key"` or `"value"`.
    ///
    /// ```
    /// assert_eq!(kafka_model::wire::Field::Key.as_str(), "key");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Field::Key => "key",
            Field::Value => "value",
        }
    }

    /// The Confluent schema-id header: `__key_schema_id` or `__value_schema_id`.
    ///
    /// ```
    /// assert_eq!(kafka_model::wire::Field::Value.confluent_header(), "__value_schema_id");
    /// ```
    pub const fn confluent_header(self) -> &'static str {
        match self {
            Field::Key => "__key_schema_id",
            Field::Value => "__value_schema_id",
        }
    }

    /// The Apicurio id header: `apicurio.{key|value}.{globalId|contentId}`.
    ///
    /// ```
    /// use kafka_model::wire::{Field, IdKind};
    /// assert_eq!(Field::Key.apicurio_id_header(IdKind::GlobalId), "apicurio.key.globalId");
    /// ```
    pub const fn apicurio_id_header(self, kind: IdKind) -> &'static str {
        match (self, kind) {
            (Field::Key, IdKind::GlobalId) => "apicurio.key.globalId",
            (Field::Key, IdKind::ContentId) => "apicurio.key.contentId",
            (Field::Value, IdKind::GlobalId) => "apicurio.value.globalId",
            (Field::Value, IdKind::ContentId) => "apicurio.value.contentId",
        }
    }

    /// The Apicurio Avro encoding header: `apicurio.{key|value}.encoding`.
    ///
    /// ```
    /// assert_eq!(kafka_model::wire::Field::Value.apicurio_encoding_header(), "apicurio.value.encoding");
    /// ```
    pub const fn apicurio_encoding_header(self) -> &'static str {
        match self {
            Field::Key => "apicurio.key.encoding",
            Field::Value => "apicurio.value.encoding",
        }
    }
}

/// A 16-byte schema GUID (Confluent 8.0+), stored as UUID big-endian bytes.
///
/// ```
/// use kafka_model::wire::Guid;
/// let g: Guid = "0194f3a2-7c1e-7d6b-9a2b-3c4d5e6f7081".parse()?;
/// assert_eq!(g.0[..2], [0x01, 0x94]);
/// assert_eq!(g.to_string(), "0194f3a2-7c1e-7d6b-9a2b-3c4d5e6f7081");
/// # Ok::<(), kafka_model::wire::WireError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Guid(pub [u8; 16]);

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                f.write_str("-")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl FromStr for Guid {
    type Err = WireError;
    fn from_str(s: &str) -> Result<Self, WireError> {
        let bad = || WireError::HeaderValue {
            name: "guid".into(),
            reason: format!("`{s}` is not a hyphenated GUID"),
        };
        let hex: Vec<u8> = s.bytes().filter(|&b| b != b'-').collect();
        if hex.len() != 32 || s.len() != 36 {
            return Err(bad());
        }
        let mut out = [0u8; 16];
        for (i, pair) in hex.chunks(2).enumerate() {
            let text = std::str::from_utf8(pair).map_err(|_| bad())?;
            out[i] = u8::from_str_radix(text, 16).map_err(|_| bad())?;
        }
        Ok(Guid(out))
    }
}

#[cfg(feature = "uuid")]
impl From<uuid::Uuid> for Guid {
    fn from(u: uuid::Uuid) -> Self {
        Guid(*u.as_bytes())
    }
}

#[cfg(feature = "uuid")]
impl From<Guid> for uuid::Uuid {
    fn from(g: Guid) -> Self {
        uuid::Uuid::from_bytes(g.0)
    }
}

/// Which Apicurio id a number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdKind {
    /// Unique per artifact version (Apicurio 2.x default).
    GlobalId,
    /// Unique per schema content (Apicurio 3.x default).
    ContentId,
}

/// The id of the writer schema, as a frame carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SchemaId {
    /// A Confluent schema id (4 bytes on the wire, unsigned).
    Id(u32),
    /// A Confluent schema GUID.
    Guid(Guid),
    /// An Apicurio globalId.
    GlobalId(i64),
    /// An Apicurio contentId.
    ContentId(i64),
    /// The CRC-64-AVRO fingerprint of an Avro schema (single-object encoding).
    Fingerprint(u64),
}

impl SchemaId {
    fn apicurio(self) -> Option<(IdKind, i64)> {
        match self {
            SchemaId::GlobalId(id) => Some((IdKind::GlobalId, id)),
            SchemaId::ContentId(id) => Some((IdKind::ContentId, id)),
            _ => None,
        }
    }

    fn of_kind(kind: IdKind, id: i64) -> SchemaId {
        match kind {
            IdKind::GlobalId => SchemaId::GlobalId(id),
            IdKind::ContentId => SchemaId::ContentId(id),
        }
    }
}

/// Width of the id in Apicurio's payload mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdWidth {
    /// 4-byte big-endian id (Apicurio 3.x `Default4ByteIdHandler`).
    Four,
    /// 8-byte big-endian id (Apicurio 2.x default, 3.x `Legacy8ByteIdHandler`).
    Eight,
}

/// The `apicurio.{key|value}.encoding` header value Apicurio's Java Avro serde writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApicurioEncoding {
    /// `BINARY`: Avro binary (the default).
    Binary,
    /// `JSON`: Avro JSON encoding.
    Json,
}

impl ApicurioEncoding {
    /// The header value: `"BINARY"` or `"JSON"`.
    ///
    /// ```
    /// assert_eq!(kafka_model::wire::ApicurioEncoding::Binary.as_str(), "BINARY");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            ApicurioEncoding::Binary => "BINARY",
            ApicurioEncoding::Json => "JSON",
        }
    }
}

/// How a serializer frames its output, and what a parser found. One value per topic/side.
///
/// | variant | value bytes | headers |
/// |---|---|---|
/// | `Raw` | payload | — |
/// | `Confluent` | `00` + 4-byte BE id (+ message indexes) + payload | — |
/// | `ConfluentGuidHeader` | payload | `__{key\|value}_schema_id` = `01` + GUID (+ indexes) |
/// | `ConfluentGuidPrefix` | `01` + GUID (+ indexes) + payload | — |
/// | `ApicurioHeaders` | payload | `apicurio.{key\|value}.{globalId\|contentId}` = 8-byte BE signed (+ `.encoding`) |
/// | `ApicurioPayload` | `00` + 4- or 8-byte BE id + payload | — |
/// | `AvroSingleObject` | `C3 01` + 8-byte LE fingerprint + payload | — |
///
/// A tombstone (null value) is never framed: a serializer given `None` writes `None`.
///
/// ```
/// use kafka_model::wire::{Field, MessageIndexes, OwnedHeaders, SchemaId, WireFormat};
///
/// let mut buf = Vec::new();
/// let mut headers = OwnedHeaders::new();
/// let path = MessageIndexes::new(vec![1])?;
/// WireFormat::Confluent.write_header(Field::Value, SchemaId::Id(42), Some(&path), &mut buf, &mut headers)?;
/// buf.extend_from_slice(b"\x08\x01"); // the caller encodes the message into the same buffer
/// assert_eq!(buf, [0x00, 0, 0, 0, 42, 0x02, 0x02, 0x08, 0x01]);
/// assert!(headers.is_empty());
/// # Ok::<(), kafka_model::wire::WireError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum WireFormat {
    /// No framing: the bare payload; the schema is known out of band.
    Raw,
    /// Confluent prefix: magic `0x00` + 4-byte big-endian schema id (+ Protobuf indexes).
    #[default]
    Confluent,
    /// Confluent schema id in a header: `0x01` + 16-byte GUID (+ Protobuf indexes); bare payload.
    ConfluentGuidHeader,
    /// Confluent GUID prefix: `0x01` + GUID (+ indexes) before the payload (legal to read; no
    /// Confluent serializer writes it).
    ConfluentGuidPrefix,
    /// Apicurio KAFKA_HEADERS: the id in an 8-byte header; bare payload.
    ApicurioHeaders {
        /// Also write `apicurio.{key|value}.encoding` (Apicurio's Java Avro serde writes
        /// `BINARY`; the Python apicurio-serdes writes none). On read: what the header held.
        encoding: Option<ApicurioEncoding>,
    },
    /// Apicurio payload mode: magic `0x00` + the id in 4 (3.x default) or 8 (legacy) bytes.
    ApicurioPayload {
        /// The id width.
        width: IdWidth,
    },
    /// Avro single-object encoding: `C3 01` + 8-byte little-endian CRC-64-AVRO fingerprint.
    AvroSingleObject,
}

impl WireFormat {
    /// A short name for messages.
    pub const fn name(&self) -> &'static str {
        match self {
            WireFormat::Raw => "raw",
            WireFormat::Confluent => "confluent",
            WireFormat::ConfluentGuidHeader => "confluent-guid-header",
            WireFormat::ConfluentGuidPrefix => "confluent-guid-prefix",
            WireFormat::ApicurioHeaders { .. } => "apicurio-headers",
            WireFormat::ApicurioPayload { .. } => "apicurio-payload",
            WireFormat::AvroSingleObject => "avro-single-object",
        }
    }

    /// Apicurio headers as Apicurio's Java Avro serializer writes them (with `encoding = BINARY`).
    pub const fn apicurio_headers_avro() -> WireFormat {
        WireFormat::ApicurioHeaders {
            encoding: Some(ApicurioEncoding::Binary),
        }
    }

    /// Whether this format carries a Protobuf message-index path (Confluent prefix and GUID).
    ///
    /// ```
    /// use kafka_model::wire::WireFormat;
    /// assert!(WireFormat::Confluent.carries_message_indexes());
    /// assert!(!WireFormat::Raw.carries_message_indexes());
    /// ```
    pub const fn carries_message_indexes(&self) -> bool {
        matches!(
            self,
            WireFormat::Confluent
                | WireFormat::ConfluentGuidHeader
                | WireFormat::ConfluentGuidPrefix
        )
    }

    /// Writes the framing for one non-null value: the prefix into `buf` (which the caller then
    /// extends with the encoded payload) and/or the id headers into `headers`.
    ///
    /// `indexes` is the Protobuf message-index path (`None` for Avro and JSON); giving one to a
    /// format that cannot carry it is an error. `id` must be the kind the format carries
    /// ([`SchemaId::Id`] for Confluent, [`SchemaId::Guid`] for the GUID modes, globalId or
    /// contentId for Apicurio, a fingerprint for single-object); `Raw` ignores it.
    ///
    /// ```
    /// use kafka_model::wire::{Field, OwnedHeaders, SchemaId, WireFormat};
    /// let mut buf = Vec::new();
    /// let mut headers = OwnedHeaders::new();
    /// WireFormat::apicurio_headers_avro()
    ///     .write_header(Field::Value, SchemaId::GlobalId(7), None, &mut buf, &mut headers)?;
    /// assert!(buf.is_empty());
    /// assert_eq!(headers[0], ("apicurio.value.globalId".to_string(), vec![0, 0, 0, 0, 0, 0, 0, 7]));
    /// assert_eq!(headers[1], ("apicurio.value.encoding".to_string(), b"BINARY".to_vec()));
    /// # Ok::<(), kafka_model::wire::WireError>(())
    /// ```
    pub fn write_header<H: HeadersMut + ?Sized>(
        &self,
        field: Field,
        id: SchemaId,
        indexes: Option<&MessageIndexes>,
        buf: &mut Vec<u8>,
        headers: &mut H,
    ) -> Result<(), WireError> {
        let wire = self.name();
        if indexes.is_some() && !self.carries_message_indexes() {
            return Err(WireError::IndexesNotSupported { wire });
        }
        let mismatch = || WireError::IdMismatch { wire, id };
        match *self {
            WireFormat::Raw => {}
            WireFormat::Confluent => {
                let SchemaId::Id(n) = id else {
                    return Err(mismatch());
                };
                buf.push(0x00);
                buf.extend_from_slice(&n.to_be_bytes());
                if let Some(path) = indexes {
                    path.write(buf);
                }
            }
            WireFormat::ConfluentGuidHeader => {
                let SchemaId::Guid(g) = id else {
                    return Err(mismatch());
                };
                let mut value = Vec::with_capacity(18);
                value.push(0x01);
                value.extend_from_slice(&g.0);
                if let Some(path) = indexes {
                    path.write(&mut value);
                }
                headers
                    .set(field.confluent_header(), value)
                    .map_err(|_| WireError::HeadersUnavailable { wire })?;
            }
            WireFormat::ConfluentGuidPrefix => {
                let SchemaId::Guid(g) = id else {
                    return Err(mismatch());
                };
                buf.push(0x01);
                buf.extend_from_slice(&g.0);
                if let Some(path) = indexes {
                    path.write(buf);
                }
            }
            WireFormat::ApicurioHeaders { encoding } => {
                let (kind, n) = id.apicurio().ok_or_else(mismatch)?;
                headers
                    .set(field.apicurio_id_header(kind), n.to_be_bytes().to_vec())
                    .map_err(|_| WireError::HeadersUnavailable { wire })?;
                if let Some(enc) = encoding {
                    headers
                        .set(
                            field.apicurio_encoding_header(),
                            enc.as_str().as_bytes().to_vec(),
                        )
                        .map_err(|_| WireError::HeadersUnavailable { wire })?;
                }
            }
            WireFormat::ApicurioPayload { width } => {
                let (_, n) = id.apicurio().ok_or_else(mismatch)?;
                buf.push(0x00);
                match width {
                    IdWidth::Four => {
                        let n4 = u32::try_from(n)
                            .map_err(|_| WireError::IdOutOfRange { id: n, width: 4 })?;
                        buf.extend_from_slice(&n4.to_be_bytes());
                    }
                    IdWidth::Eight => buf.extend_from_slice(&n.to_be_bytes()),
                }
            }
            WireFormat::AvroSingleObject => {
                let SchemaId::Fingerprint(fp) = id else {
                    return Err(mismatch());
                };
                buf.extend_from_slice(&[0xC3, 0x01]);
                buf.extend_from_slice(&fp.to_le_bytes());
            }
        }
        Ok(())
    }

    /// Frames a whole value: `None` (a tombstone) stays `None`, with no header and no headers.
    ///
    /// ```
    /// use kafka_model::wire::{Field, NoHeaders, SchemaId, WireFormat};
    /// let w = WireFormat::Confluent;
    /// assert_eq!(w.frame(Field::Value, SchemaId::Id(1), None, None, &mut NoHeaders)?, None);
    /// assert_eq!(
    ///     w.frame(Field::Value, SchemaId::Id(1), None, Some(b"x"), &mut NoHeaders)?,
    ///     Some(vec![0, 0, 0, 0, 1, b'x'])
    /// );
    /// # Ok::<(), kafka_model::wire::WireError>(())
    /// ```
    pub fn frame<H: HeadersMut + ?Sized>(
        &self,
        field: Field,
        id: SchemaId,
        indexes: Option<&MessageIndexes>,
        payload: Option<&[u8]>,
        headers: &mut H,
    ) -> Result<Option<Vec<u8>>, WireError> {
        let Some(payload) = payload else {
            return Ok(None);
        };
        let mut buf = Vec::with_capacity(payload.len() + 32);
        self.write_header(field, id, indexes, &mut buf, headers)?;
        buf.extend_from_slice(payload);
        Ok(Some(buf))
    }
}

/// A parsed frame: where the schema is, and the payload as a slice of the input (no copy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame<'a> {
    /// The wire format found.
    pub wire: WireFormat,
    /// The schema id (`None` for [`WireFormat::Raw`]).
    pub id: Option<SchemaId>,
    /// The Protobuf message-index path, when the reader was asked for one and the format has it.
    pub indexes: Option<MessageIndexes>,
    /// The encoded value.
    pub payload: &'a [u8],
}

impl Frame<'_> {
    /// Writes this frame's framing again (for re-framing a parsed message byte-identically).
    ///
    /// ```
    /// use kafka_model::wire::{Field, NoHeaders, OwnedHeaders, WireReader};
    /// let bytes = [0, 0, 0, 3, 0xa7, 0x06, 0x04, 0x02, 0x00, 0x09];
    /// let frame = WireReader::new(Field::Value).message_indexes(true)
    ///     .parse(Some(&bytes), &NoHeaders)?.expect("not a tombstone");
    /// let mut buf = Vec::new();
    /// frame.write_header(Field::Value, &mut buf, &mut OwnedHeaders::new())?;
    /// buf.extend_from_slice(frame.payload);
    /// assert_eq!(buf, bytes);
    /// # Ok::<(), kafka_model::wire::WireError>(())
    /// ```
    pub fn write_header<H: HeadersMut + ?Sized>(
        &self,
        field: Field,
        buf: &mut Vec<u8>,
        headers: &mut H,
    ) -> Result<(), WireError> {
        let id = self.id.unwrap_or(SchemaId::Id(0));
        self.wire
            .write_header(field, id, self.indexes.as_ref(), buf, headers)
    }
}

/// How a reader interprets a value starting with magic byte `0x00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PrefixIds {
    /// Confluent: a 4-byte unsigned schema id ([`SchemaId::Id`]).
    #[default]
    Confluent,
    /// Apicurio payload mode with a 4-byte id of this kind (3.x default: contentId).
    Apicurio4(IdKind),
    /// Apicurio payload mode with an 8-byte id of this kind (legacy default: globalId).
    Apicurio8(IdKind),
    /// Either Apicurio width, as Apicurio's `OptimisticFallbackIdHandler` decides: read 4 bytes;
    /// if they are all zero and at least 4 more bytes follow, read the 8 bytes as one id.
    /// 4-byte ids are of kind `four`, 8-byte ids of kind `eight`.
    ApicurioEither {
        /// Kind of a 4-byte id (3.x: contentId).
        four: IdKind,
        /// Kind of an 8-byte id (2.x: globalId).
        eight: IdKind,
    },
}

/// Parses incoming messages, detecting their wire format from the headers and the first byte.
///
/// Order (Confluent's "dual" deserializer, then Apicurio's reader):
/// 1. a null value is a tombstone: `Ok(None)`;
/// 2. a `__{key|value}_schema_id` header (the last one): magic `0x01` + GUID, or `0x00` + 4-byte
///    id (+ indexes); the whole value is the payload;
/// 3. an `apicurio.{key|value}.globalId` (else `.contentId`) header: 8-byte big-endian id; the
///    whole value is the payload; `.encoding` is read when present;
/// 4. the value's first byte: `0x00` → prefix id as [`PrefixIds`] says; `0x01` → GUID prefix;
///    `C3 01` → Avro single-object; anything else is [`WireError::WrongMagic`] unless
///    [`accept_unframed`](Self::accept_unframed) is set, which makes it a [`WireFormat::Raw`]
///    frame (raw data that happens to start with `00`, `01` or `C3 01` is still read as framed).
///
/// Protobuf message indexes are read after Confluent ids only when
/// [`message_indexes`](Self::message_indexes) is set: the bytes alone cannot tell Protobuf
/// from Avro.
///
/// ```
/// use kafka_model::wire::{Field, OwnedHeaders, SchemaId, WireFormat, WireReader};
///
/// let reader = WireReader::new(Field::Value).accept_unframed(true);
/// let confluent = [0u8, 0, 0, 0, 42, 0x02];
/// let f = reader.parse(Some(&confluent), &OwnedHeaders::new())?.expect("frame");
/// assert_eq!((f.wire, f.id, f.payload), (WireFormat::Confluent, Some(SchemaId::Id(42)), &[0x02][..]));
///
/// let headers = vec![("apicurio.value.contentId".to_string(), 9i64.to_be_bytes().to_vec())];
/// let f = reader.parse(Some(b"\x02"), &headers)?.expect("frame");
/// assert_eq!(f.id, Some(SchemaId::ContentId(9)));
///
/// let f = reader.parse(Some(br#"{"a":1}"#), &OwnedHeaders::new())?.expect("frame");
/// assert_eq!(f.wire, WireFormat::Raw);
/// assert_eq!(reader.parse(None, &OwnedHeaders::new())?, None); // tombstone
/// # Ok::<(), kafka_model::wire::WireError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WireReader {
    field: Field,
    message_indexes: bool,
    prefix_ids: PrefixIds,
    use_headers: bool,
    accept_unframed: bool,
    max_indexes: usize,
}

impl WireReader {
    /// A reader for the key or the value: Confluent prefix ids, headers consulted, no message
    /// indexes, unframed values rejected.
    pub const fn new(field: Field) -> Self {
        WireReader {
            field,
            message_indexes: false,
            prefix_ids: PrefixIds::Confluent,
            use_headers: true,
            accept_unframed: false,
            max_indexes: MAX_MESSAGE_INDEXES,
        }
    }

    /// Read a Protobuf message-index path after Confluent ids (prefix and GUID).
    pub const fn message_indexes(mut self, yes: bool) -> Self {
        self.message_indexes = yes;
        self
    }

    /// How to read ids after magic byte `0x00`.
    pub const fn prefix_ids(mut self, ids: PrefixIds) -> Self {
        self.prefix_ids = ids;
        self
    }

    /// Whether to look at headers at all (default: yes).
    pub const fn use_headers(mut self, yes: bool) -> Self {
        self.use_headers = yes;
        self
    }

    /// Treat a value with no known magic byte as [`WireFormat::Raw`] instead of an error.
    pub const fn accept_unframed(mut self, yes: bool) -> Self {
        self.accept_unframed = yes;
        self
    }

    /// Cap on the message-index count (default [`MAX_MESSAGE_INDEXES`]).
    pub const fn max_message_indexes(mut self, max: usize) -> Self {
        self.max_indexes = max;
        self
    }

    /// Parses one record's value (or key) and headers. `Ok(None)` is a tombstone.
    pub fn parse<'a, H: Headers + ?Sized>(
        &self,
        value: Option<&'a [u8]>,
        headers: &H,
    ) -> Result<Option<Frame<'a>>, WireError> {
        let Some(value) = value else {
            return Ok(None);
        };
        if self.use_headers {
            if let Some(frame) = self.parse_headers(value, headers)? {
                return Ok(Some(frame));
            }
        }
        self.parse_value(value).map(Some)
    }

    fn parse_headers<'a, H: Headers + ?Sized>(
        &self,
        value: &'a [u8],
        headers: &H,
    ) -> Result<Option<Frame<'a>>, WireError> {
        let name = self.field.confluent_header();
        if let Some(h) = headers.last_value(name) {
            let (wire, id, indexes, used) = self.confluent_id(h, name)?;
            if used != h.len() {
                return Err(WireError::HeaderLength {
                    name: name.to_string(),
                    expected: used,
                    found: h.len(),
                });
            }
            let wire = match wire {
                WireFormat::ConfluentGuidPrefix => WireFormat::ConfluentGuidHeader,
                other => other,
            };
            return Ok(Some(Frame {
                wire,
                id: Some(id),
                indexes,
                payload: value,
            }));
        }
        for kind in [IdKind::GlobalId, IdKind::ContentId] {
            let name = self.field.apicurio_id_header(kind);
            let Some(h) = headers.last_value(name) else {
                continue;
            };
            let bytes: [u8; 8] = h.try_into().map_err(|_| WireError::HeaderLength {
                name: name.to_string(),
                expected: 8,
                found: h.len(),
            })?;
            let enc_name = self.field.apicurio_encoding_header();
            let encoding = match headers.last_value(enc_name) {
                None => None,
                Some(b"BINARY") => Some(ApicurioEncoding::Binary),
                Some(b"JSON") => Some(ApicurioEncoding::Json),
                Some(other) => {
                    return Err(WireError::HeaderValue {
                        name: enc_name.to_string(),
                        reason: format!(
                            "expected BINARY or JSON, found {:?}",
                            String::from_utf8_lossy(other)
                        ),
                    })
                }
            };
            return Ok(Some(Frame {
                wire: WireFormat::ApicurioHeaders { encoding },
                id: Some(SchemaId::of_kind(kind, i64::from_be_bytes(bytes))),
                indexes: None,
                payload: value,
            }));
        }
        Ok(None)
    }

    /// Reads a Confluent id (magic 0 or 1) from the start of `bytes`.
    fn confluent_id(
        &self,
        bytes: &[u8],
        place: &str,
    ) -> Result<(WireFormat, SchemaId, Option<MessageIndexes>, usize), WireError> {
        let (wire, id, mut used) = match bytes.first() {
            None => {
                return Err(WireError::Truncated {
                    what: "Confluent header",
                    needed: 1,
                    found: 0,
                })
            }
            Some(0x00) => {
                let id = take::<4>(bytes, 1, "Confluent header")?;
                (
                    WireFormat::Confluent,
                    SchemaId::Id(u32::from_be_bytes(id)),
                    5,
                )
            }
            Some(0x01) => {
                let g = take::<16>(bytes, 1, "Confluent GUID header")?;
                (WireFormat::ConfluentGuidPrefix, SchemaId::Guid(Guid(g)), 17)
            }
            Some(&found) => {
                return Err(WireError::WrongMagic {
                    found,
                    place: place.to_string(),
                    expected: "0x00 (schema id) or 0x01 (schema GUID)",
                })
            }
        };
        let indexes = if self.message_indexes {
            let rest = bytes.get(used..).unwrap_or_default();
            let (path, n) = MessageIndexes::read_capped(rest, self.max_indexes)?;
            used += n;
            Some(path)
        } else {
            None
        };
        Ok((wire, id, indexes, used))
    }

    fn parse_value<'a>(&self, value: &'a [u8]) -> Result<Frame<'a>, WireError> {
        let raw = Frame {
            wire: WireFormat::Raw,
            id: None,
            indexes: None,
            payload: value,
        };
        match value.first() {
            None if self.accept_unframed => Ok(raw),
            None => Err(WireError::Truncated {
                what: "framed value",
                needed: 1,
                found: 0,
            }),
            Some(0x00) if self.prefix_ids != PrefixIds::Confluent => self.apicurio_prefix(value),
            Some(0x00 | 0x01) => {
                let (wire, id, indexes, used) = self.confluent_id(value, "value")?;
                Ok(Frame {
                    wire,
                    id: Some(id),
                    indexes,
                    payload: value.get(used..).unwrap_or_default(),
                })
            }
            Some(0xC3) if value.get(1) == Some(&0x01) => {
                let fp = take::<8>(value, 2, "Avro single-object header")?;
                Ok(Frame {
                    wire: WireFormat::AvroSingleObject,
                    id: Some(SchemaId::Fingerprint(u64::from_le_bytes(fp))),
                    indexes: None,
                    payload: value.get(10..).unwrap_or_default(),
                })
            }
            Some(_) if self.accept_unframed => Ok(raw),
            Some(&found) => Err(WireError::WrongMagic {
                found,
                place: "value".to_string(),
                expected: "0x00 (schema id), 0x01 (schema GUID) or C3 01 (Avro single-object)",
            }),
        }
    }

    fn apicurio_prefix<'a>(&self, value: &'a [u8]) -> Result<Frame<'a>, WireError> {
        const WHAT: &str = "Apicurio header";
        let four = |kind| -> Result<Frame<'a>, WireError> {
            let id = u32::from_be_bytes(take::<4>(value, 1, WHAT)?);
            Ok(Frame {
                wire: WireFormat::ApicurioPayload {
                    width: IdWidth::Four,
                },
                id: Some(SchemaId::of_kind(kind, i64::from(id))),
                indexes: None,
                payload: value.get(5..).unwrap_or_default(),
            })
        };
        let eight = |kind| -> Result<Frame<'a>, WireError> {
            let id = i64::from_be_bytes(take::<8>(value, 1, WHAT)?);
            Ok(Frame {
                wire: WireFormat::ApicurioPayload {
                    width: IdWidth::Eight,
                },
                id: Some(SchemaId::of_kind(kind, id)),
                indexes: None,
                payload: value.get(9..).unwrap_or_default(),
            })
        };
        match self.prefix_ids {
            PrefixIds::Apicurio8(kind) => eight(kind),
            PrefixIds::ApicurioEither {
                four: k4,
                eight: k8,
            } => {
                let first = take::<4>(value, 1, WHAT)?;
                if first == [0; 4] && value.len() >= 9 {
                    eight(k8)
                } else {
                    four(k4)
                }
            }
            PrefixIds::Apicurio4(kind) => four(kind),
            // Not reached: Confluent prefixes are read by `confluent_id`.
            PrefixIds::Confluent => four(IdKind::ContentId),
        }
    }
}

/// `N` bytes at `at`, or a truncation error naming how many bytes the header needs.
fn take<const N: usize>(bytes: &[u8], at: usize, what: &'static str) -> Result<[u8; N], WireError> {
    bytes
        .get(at..at + N)
        .and_then(|s| s.try_into().ok())
        .ok_or(WireError::Truncated {
            what,
            needed: at + N,
            found: bytes.len(),
        })
}
