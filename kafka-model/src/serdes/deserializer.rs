//! `Deserializer<T>`: reads the schema id from the frame, fetches the writer schema once, and
//! decodes into `T` (directly when the writer schema is ours, through Avro schema resolution
//! otherwise).

use std::marker::PhantomData;
use std::sync::Arc;

use super::cache::OnceMap;
use super::error::{MalformedCause, SerdeError, SerdeErrorKind};
use super::writer::{avro_name, id_text, Parsed, Writer, WriterCache};
use super::{DeserializerConfig, SerdeFormat};
use crate::avro::resolve::Resolver;
use crate::registry::SchemaRegistry;
use crate::wire::{Headers, MessageIndexes, SchemaId};
use crate::{CodecError, Record};

/// How one writer schema is read as one type.
#[derive(Debug)]
pub(crate) enum Plan {
    /// The writer schema is the type's own: the generated decoder reads it directly.
    AvroOwn,
    /// Another version: resolve, then decode.
    AvroResolve(Arc<Resolver>),
    /// The type's message sits at this path of the writer file.
    Protobuf(MessageIndexes),
    /// JSON.
    Json,
}

/// Why a writer schema cannot be read as the type (deterministic: cached with the plan).
#[derive(Debug, Clone)]
pub(crate) enum PlanError {
    WrongRecord {
        writer: String,
        expected: String,
    },
    Incompatible {
        writer: String,
        reader: String,
        reason: String,
    },
    Format {
        writer: SerdeFormat,
        expected: SerdeFormat,
    },
    Schema(String),
}

impl PlanError {
    pub(crate) fn into_error(
        self,
        topic: &str,
        id: SchemaId,
        subject: Option<String>,
    ) -> SerdeError {
        match self {
            PlanError::WrongRecord { writer, expected } => SerdeErrorKind::WrongRecord {
                topic: topic.to_string(),
                id: id_text(id),
                subject,
                writer,
                expected,
            },
            PlanError::Incompatible {
                writer,
                reader,
                reason,
            } => SerdeErrorKind::Incompatible {
                topic: topic.to_string(),
                id: id_text(id),
                subject,
                writer,
                reader,
                reason,
            },
            PlanError::Format { writer, expected } => SerdeErrorKind::InvalidSchema {
                topic: topic.to_string(),
                id: id_text(id),
                reason: format!(
                    "the writer schema is {writer:?}, this deserializer reads {expected:?}"
                ),
            },
            PlanError::Schema(reason) => SerdeErrorKind::InvalidSchema {
                topic: topic.to_string(),
                id: id_text(id),
                reason,
            },
        }
        .into()
    }
}

/// Builds the plan that reads `writer` as `T`.
pub(crate) fn build_plan<T: Record>(
    writer: &Writer,
    format: SerdeFormat,
) -> Result<Plan, PlanError> {
    let wformat = writer.format();
    if wformat != format {
        return Err(PlanError::Format {
            writer: wformat,
            expected: format,
        });
    }
    let model = T::model();
    let ours = model.full_name();
    match &writer.parsed {
        Parsed::Avro {
            schema,
            schemata,
            fingerprint,
        } => {
            let own = T::schemas()
                .avro()
                .map_err(|e| PlanError::Schema(e.to_string()))?;
            if *fingerprint == own.fingerprint() {
                return Ok(Plan::AvroOwn);
            }
            let wname = avro_name(schema).unwrap_or_else(|| "(unnamed)".into());
            let short = wname.rsplit('.').next().unwrap_or(&wname);
            let alias_hit = model.aliases.iter().any(|a| *a == wname || *a == short);
            if wname != ours && !alias_hit {
                return Err(PlanError::WrongRecord {
                    writer: wname,
                    expected: ours,
                });
            }
            let resolver =
                Resolver::with_schemata(schema, schemata, own.schema()).map_err(|e| {
                    PlanError::Incompatible {
                        writer: wname.clone(),
                        reader: ours.clone(),
                        reason: e.to_string(),
                    }
                })?;
            Ok(Plan::AvroResolve(Arc::new(resolver)))
        }
        Parsed::Protobuf { .. } => {
            let name = T::schemas()
                .proto()
                .map_err(|e| PlanError::Schema(e.to_string()))?
                .message_name();
            match writer.path_of(name) {
                Some(path) => Ok(Plan::Protobuf(path)),
                None => Err(PlanError::WrongRecord {
                    writer: writer
                        .record_name(None)
                        .unwrap_or_else(|| "(no message)".into()),
                    expected: name.to_string(),
                }),
            }
        }
        Parsed::Json { .. } => {
            if let Some(title) = writer.record_name(None) {
                if title != model.name && title != ours {
                    return Err(PlanError::WrongRecord {
                        writer: title,
                        expected: ours,
                    });
                }
            }
            Ok(Plan::Json)
        }
    }
}

/// Decodes a frame's payload with a plan.
#[inline]
pub(crate) fn decode_plan<T: Record>(plan: &Plan, payload: &[u8]) -> Result<T, CodecError> {
    crate::validate::after_decode(match plan {
        Plan::AvroOwn => T::from_avro_framed(payload),
        Plan::AvroResolve(r) => match r.transcode(payload) {
            Ok(data) => crate::avro::decode::<T>(&data).map_err(CodecError::from),
            Err(crate::avro::resolve::TranscodeError::Decode(e)) => Err(e.into()),
            Err(crate::avro::resolve::TranscodeError::Resolve(e)) => Err(e.into()),
        },
        Plan::Protobuf(_) => T::from_protobuf(payload),
        Plan::Json => crate::validate::decode_json(payload),
    })
}

/// A cached plan for one writer id.
#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) writer: Arc<Writer>,
    pub(crate) plan: Result<Plan, PlanError>,
}

/// A registry-aware deserializer for one record type.
///
/// Reads the schema id from the headers or the payload (auto-detected: Confluent prefix and
/// GUID header, Apicurio headers and prefix), fetches the writer schema once per id, and
/// decodes into `T`: straight through the generated decoder when the writer schema is the
/// type's own, through Avro schema resolution when it is another version (aliases, defaults,
/// promotions), by message-index path for Protobuf. Cached reads take no mutex. Share it in an
/// `Arc`.
///
/// ```
/// use std::sync::Arc;
/// use kafka_model::registry::MemoryRegistry;
/// use kafka_model::serdes::{Deserializer, DeserializerConfig, SerdeErrorKind};
/// use kafka_model::wire::NoHeaders;
/// use kafka_model::Record;
///
/// #[derive(Record, serde::Serialize, serde::Deserialize, Debug, PartialEq)]
/// struct Ping { seq: u32 }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let de = Deserializer::<Ping>::new(Arc::new(MemoryRegistry::new()), DeserializerConfig::avro());
/// let err = de.deserialize("pings", &[0, 0, 0, 0, 42, 14], &NoHeaders).await.unwrap_err();
/// assert!(matches!(err.kind(), SerdeErrorKind::UnknownId { .. }));
/// assert_eq!(err.to_string(), "topic `pings`: unknown schema id 42");
/// # }
/// ```
pub struct Deserializer<T> {
    writers: Arc<WriterCache>,
    config: DeserializerConfig,
    plans: OnceMap<SchemaId, Entry>,
    _type: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for Deserializer<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deserializer")
            .field("type", &std::any::type_name::<T>())
            .field("config", &self.config)
            .finish()
    }
}

impl<T: Record> Deserializer<T> {
    /// A deserializer over `registry`.
    pub fn new(registry: Arc<dyn SchemaRegistry>, config: DeserializerConfig) -> Self {
        Deserializer {
            writers: Arc::new(WriterCache::new(registry)),
            config,
            plans: OnceMap::new(),
            _type: PhantomData,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &DeserializerConfig {
        &self.config
    }

    fn subject(&self, topic: &str) -> String {
        self.config.subject_name_strategy.subject(
            topic,
            super::config::role(self.config.field),
            &T::model().full_name(),
        )
    }

    /// Deserializes one record's value (or key) with its headers.
    pub async fn deserialize<H: Headers + ?Sized>(
        &self,
        topic: &str,
        payload: &[u8],
        headers: &H,
    ) -> Result<T, SerdeError> {
        // Cached writer schema: decode without awaiting. Otherwise the registry path, boxed so
        // that this future stays small (cheap to move).
        // The common case first: a Confluent-prefixed Avro frame written with the type's own
        // schema, nothing to validate: the generated decoder, the id kept in a register and
        // the error built out of line.
        if !T::VALIDATE_ON_CODEC && self.config.format == SerdeFormat::Avro {
            if let Some((id, body)) = self.confluent_prefix(payload, headers, false) {
                if let Some(Entry {
                    plan: Ok(Plan::AvroOwn),
                    ..
                }) = self.plans.get(&SchemaId::Id(id))
                {
                    // The type's own framing (a top-level `bytes` is raw), as `decode_plan` reads.
                    return T::from_avro_framed(body)
                        .map_err(|e| self.decode_error(topic, SchemaId::Id(id), e));
                }
            }
        }
        // The same for Protobuf: a plain prefix (message index `[0]`) and a writer whose first
        // message is the type's. (A separate branch: folding both into one costs the Avro path
        // ~30 instructions.)
        if !T::VALIDATE_ON_CODEC && self.config.format == SerdeFormat::Protobuf {
            if let Some((id, body)) = self.confluent_prefix(payload, headers, true) {
                if let Some(Entry {
                    plan: Ok(Plan::Protobuf(path)),
                    ..
                }) = self.plans.get(&SchemaId::Id(id))
                {
                    if path.is_first() {
                        return T::from_protobuf(body)
                            .map_err(|e| self.decode_error(topic, SchemaId::Id(id), e));
                    }
                }
            }
        }
        // Decoded in tail position: the value is written once, into the future's output. An
        // `if let`, not a `match` around the `.await`: the scrutinee would live across the
        // await point and make the future (moved on every call) larger.
        if let Some((id, entry, indexes, body)) = self.cached(payload, headers) {
            return self.decode(topic, id, entry, indexes.as_ref(), body);
        }
        Box::pin(self.deserialize_slow(topic, payload, headers)).await
    }

    /// The cached path: the schema id, its cached plan, the message-index path and the
    /// payload, or `None` when the frame's writer schema is not cached yet (or the frame does
    /// not parse: the slow path answers the error).
    #[inline]
    #[allow(clippy::type_complexity)]
    fn cached<'a, H: Headers + ?Sized>(
        &self,
        payload: &'a [u8],
        headers: &H,
    ) -> Option<(SchemaId, &Entry, Option<MessageIndexes>, &'a [u8])> {
        let protobuf = self.config.format == SerdeFormat::Protobuf;
        if let Some((id, body)) = self.confluent_prefix(payload, headers, protobuf) {
            let id = SchemaId::Id(id);
            let entry = self.plans.get(&id)?;
            // A plain prefix carries the message index `[0]`; any other plan path takes the
            // general path (which words the error).
            if let Ok(Plan::Protobuf(path)) = &entry.plan {
                if !path.is_first() {
                    return None;
                }
            }
            return Some((id, entry, None, body));
        }
        let reader = self.config.reader(protobuf);
        let frame = reader.parse(Some(payload), headers).ok()??;
        let id = frame.id?;
        let entry = self.plans.get(&id)?;
        Some((id, entry, frame.indexes, frame.payload))
    }

    /// The common frame read without building a [`Frame`](crate::wire::Frame): a Confluent
    /// prefix (magic 0, 4-byte id; for Protobuf followed by the one-byte message index `[0]`)
    /// with no id header. Answers what `WireReader::parse` would for such a frame; `None` for
    /// anything else (then the general reader runs).
    #[inline]
    fn confluent_prefix<'a, H: Headers + ?Sized>(
        &self,
        payload: &'a [u8],
        headers: &H,
        protobuf: bool,
    ) -> Option<(u32, &'a [u8])> {
        if self.config.prefix_ids != crate::wire::PrefixIds::Confluent {
            return None;
        }
        let [0, a, b, c, d, rest @ ..] = payload else {
            return None;
        };
        let rest = if protobuf {
            match rest {
                [0, body @ ..] => body,
                _ => return None,
            }
        } else {
            rest
        };
        // An id header wins over the prefix (`WireReader::parse` reads headers first).
        let field = self.config.field;
        if headers.last_value(field.confluent_header()).is_some()
            || headers
                .last_value(field.apicurio_id_header(crate::wire::IdKind::GlobalId))
                .is_some()
            || headers
                .last_value(field.apicurio_id_header(crate::wire::IdKind::ContentId))
                .is_some()
        {
            return None;
        }
        Some((u32::from_be_bytes([*a, *b, *c, *d]), rest))
    }

    async fn deserialize_slow<H: Headers + ?Sized>(
        &self,
        topic: &str,
        payload: &[u8],
        headers: &H,
    ) -> Result<T, SerdeError> {
        let (id, entry, indexes, body) = self.frame(topic, payload, headers).await?;
        self.decode(topic, id, entry, indexes.as_ref(), body)
    }

    /// The general path to a frame's plan: parses the frame with the configured reader and
    /// fetches (or builds) the writer schema's entry. Shared by [`deserialize`](Self::deserialize)
    /// and [`deserialize_borrowed`](Self::deserialize_borrowed), so both word a malformed frame
    /// and a missing id alike.
    #[allow(clippy::type_complexity)]
    async fn frame<'a, H: Headers + ?Sized>(
        &self,
        topic: &str,
        payload: &'a [u8],
        headers: &H,
    ) -> Result<(SchemaId, &Entry, Option<MessageIndexes>, &'a [u8]), SerdeError> {
        let reader = self
            .config
            .reader(self.config.format == SerdeFormat::Protobuf);
        let frame = match reader.parse(Some(payload), headers) {
            Ok(Some(f)) => f,
            Ok(None) => unreachable_tombstone(topic)?,
            Err(e) => {
                return Err(SerdeErrorKind::Malformed {
                    topic: topic.to_string(),
                    id: None,
                    subject: Some(self.subject(topic)),
                    source: MalformedCause::Wire(e),
                }
                .into())
            }
        };
        let Some(id) = frame.id else {
            return Err(SerdeErrorKind::Malformed {
                topic: topic.to_string(),
                id: None,
                subject: Some(self.subject(topic)),
                source: MalformedCause::Other("the record carries no schema id".into()),
            }
            .into());
        };
        let entry = self.entry(topic, id).await?;
        Ok((id, entry, frame.indexes, frame.payload))
    }

    /// Deserializes one record's value (or key) into a borrowed view `V` of `T`
    /// ([`RecordRef`](crate::RecordRef), e.g. `struct OrderRef<'a>` beside `struct Order`):
    /// strings and bytes point into `payload`, nothing is copied. The frame, schema id and
    /// registry lookup are [`deserialize`](Self::deserialize)'s (the plan is cached per id and
    /// shared with it).
    ///
    /// Borrowing needs the payload's bytes to be the value's own: an Avro frame written with
    /// `T`'s own schema, a Protobuf frame of `T`'s message, or JSON. A writer schema that needs
    /// Avro resolution (another version) is an [`InvalidSchema`](SerdeErrorKind::InvalidSchema)
    /// error: use `deserialize` for it. `V`'s schema must be `T`'s (checked: the same Avro
    /// fingerprint, the same Protobuf message name). Validation (`#[record(validate)]`) does
    /// not run: a borrowed view has no validators.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use kafka_model::registry::MemoryRegistry;
    /// use kafka_model::serdes::{Deserializer, DeserializerConfig, Serializer, SerializerConfig};
    /// use kafka_model::Record;
    ///
    /// #[derive(Record, serde::Serialize, serde::Deserialize)]
    /// #[record(name = "Ping")]
    /// struct Ping { seq: u32, note: String }
    ///
    /// #[derive(Record, serde::Deserialize, Debug, PartialEq)]
    /// #[record(name = "Ping")]
    /// struct PingRef<'a> { seq: u32, note: &'a str }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let registry = Arc::new(MemoryRegistry::new());
    /// let ser = Serializer::<Ping>::new(registry.clone(), SerializerConfig::avro())?;
    /// let de = Deserializer::<Ping>::new(registry, DeserializerConfig::avro());
    /// let (bytes, headers) = ser.serialize("pings", &Ping { seq: 7, note: "hi".into() }).await?;
    /// let ping: PingRef<'_> = de.deserialize_borrowed("pings", &bytes, &headers).await?;
    /// assert_eq!(ping, PingRef { seq: 7, note: "hi" });
    /// assert!(bytes.as_ptr_range().contains(&ping.note.as_ptr()));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn deserialize_borrowed<'p, V: crate::RecordRef<'p>, H: Headers + ?Sized>(
        &self,
        topic: &str,
        payload: &'p [u8],
        headers: &H,
    ) -> Result<V, SerdeError> {
        let (id, entry, indexes, body) = match self.cached(payload, headers) {
            Some(hit) => hit,
            None => self.frame(topic, payload, headers).await?,
        };
        let unusable = |reason: String| -> SerdeError {
            SerdeErrorKind::InvalidSchema {
                topic: topic.to_string(),
                id: id_text(id),
                reason,
            }
            .into()
        };
        match &entry.plan {
            Err(e) => Err(e.clone().into_error(topic, id, Some(self.subject(topic)))),
            Ok(Plan::AvroOwn) => {
                // Checked per call: both schemas are cached, so this is two loads and a
                // compare; remembering it per (T, V) would need a type-keyed map, which costs
                // more than the check.
                let (ours, view) = (T::schemas().avro(), V::schemas().avro());
                match (ours, view) {
                    (Ok(o), Ok(v)) if o.fingerprint() == v.fingerprint() => {}
                    _ => {
                        return Err(unusable(format!(
                            "the borrowed view `{}` does not have the Avro schema of `{}`",
                            V::model().rust_name,
                            T::model().rust_name
                        )))
                    }
                }
                V::from_avro(body).map_err(|e| self.decode_error(topic, id, e))
            }
            Ok(Plan::Json) => V::from_json(body).map_err(|e| self.decode_error(topic, id, e)),
            Ok(Plan::AvroResolve(_)) => Err(unusable(
                "the writer schema is another version of the record: Avro resolution rewrites \
                 the bytes, so a borrowed view cannot point into them; use `deserialize`"
                    .into(),
            )),
            Ok(Plan::Protobuf(path)) => {
                let matches = match &indexes {
                    Some(p) => p == path,
                    None => path.is_first(),
                };
                // (Cached `&'static` schemas: no allocation per message.)
                let ours = T::schemas().proto().map(|p| p.message_name());
                let view = V::schemas().proto().map(|p| p.message_name());
                match (ours, view) {
                    (Ok(o), Ok(v)) if matches && o == v => {}
                    (Ok(_), Ok(_)) if !matches => {
                        // The frame names another message: `deserialize` words that error.
                        return Err(unusable(
                            "the frame's message index is not the record's message".into(),
                        ));
                    }
                    _ => {
                        return Err(unusable(format!(
                            "the borrowed view `{}` does not have the Protobuf message of `{}`",
                            V::model().rust_name,
                            T::model().rust_name
                        )))
                    }
                }
                V::from_protobuf(body).map_err(|e| self.decode_error(topic, id, e))
            }
        }
    }

    /// Deserializes an optional payload: `None` (a tombstone) is `Ok(None)`.
    pub async fn deserialize_opt<H: Headers + ?Sized>(
        &self,
        topic: &str,
        payload: Option<&[u8]>,
        headers: &H,
    ) -> Result<Option<T>, SerdeError> {
        match payload {
            None => Ok(None),
            Some(p) => self.deserialize(topic, p, headers).await.map(Some),
        }
    }

    async fn entry(&self, topic: &str, id: SchemaId) -> Result<&Entry, SerdeError> {
        if let Some(e) = self.plans.get(&id) {
            return Ok(e);
        }
        // Boxed: fetching and parsing the writer schema is a large state machine, and an inline
        // one would be moved (memcpy) with every cached call's future.
        Box::pin(self.plans.get_or_try_init(id, || async {
            let writer = match (id, self.config.format) {
                (SchemaId::Fingerprint(fp), SerdeFormat::Avro) => {
                    own_avro_writer::<T>(topic, id, fp)?
                }
                _ => self.writers.get(topic, id).await?,
            };
            let plan = build_plan::<T>(&writer, self.config.format);
            Ok(Entry { writer, plan })
        }))
        .await
    }

    #[inline]
    fn decode(
        &self,
        topic: &str,
        id: SchemaId,
        entry: &Entry,
        got: Option<&MessageIndexes>,
        payload: &[u8],
    ) -> Result<T, SerdeError> {
        let plan = match &entry.plan {
            Ok(p) => p,
            Err(e) => return Err(e.clone().into_error(topic, id, Some(self.subject(topic)))),
        };
        if let Plan::Protobuf(path) = plan {
            let matches = match got {
                Some(p) => p == path,
                None => path.is_first(),
            };
            if !matches {
                return Err(SerdeErrorKind::WrongRecord {
                    topic: topic.to_string(),
                    id: id_text(id),
                    subject: Some(self.subject(topic)),
                    writer: entry.writer.record_name(got).unwrap_or_else(|| {
                        format!("(no message at {:?})", got.map(|p| p.as_slice()))
                    }),
                    expected: T::model().full_name(),
                }
                .into());
            }
        }
        decode_plan::<T>(plan, payload).map_err(|e| self.decode_error(topic, id, e))
    }

    #[cold]
    #[inline(never)]
    fn decode_error(&self, topic: &str, id: SchemaId, e: CodecError) -> SerdeError {
        match e {
            CodecError::Validation(source) => SerdeErrorKind::Validation {
                topic: topic.to_string(),
                source,
            },
            e => SerdeErrorKind::Malformed {
                topic: topic.to_string(),
                id: Some(id_text(id)),
                subject: Some(self.subject(topic)),
                source: MalformedCause::Codec(e),
            },
        }
        .into()
    }
}

fn unreachable_tombstone<X>(topic: &str) -> Result<X, SerdeError> {
    Err(SerdeErrorKind::Malformed {
        topic: topic.to_string(),
        id: None,
        subject: None,
        source: MalformedCause::Other("a tombstone has no value".into()),
    }
    .into())
}

/// Avro single-object frames carry a fingerprint, not a registry id: only the type's own
/// schema can be read without a registry.
pub(crate) fn own_avro_writer<T: Record>(
    topic: &str,
    id: SchemaId,
    fp: u64,
) -> Result<Arc<Writer>, SerdeError> {
    let own = T::schemas()
        .avro()
        .map_err(|source| SerdeErrorKind::Schema {
            record: T::model().rust_name,
            source,
        })?;
    if own.fingerprint() != fp {
        return Err(SerdeErrorKind::UnknownId {
            topic: topic.to_string(),
            id: id_text(id),
            subject: None,
            source: None,
        }
        .into());
    }
    Ok(Arc::new(Writer {
        id,
        schema: crate::registry::Schema::avro(own.json()),
        parsed: Parsed::Avro {
            schema: own.schema().clone(),
            schemata: Vec::new(),
            fingerprint: fp,
        },
    }))
}
