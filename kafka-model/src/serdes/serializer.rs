//! `Serializer<T>`: registers (or finds) the type's schema once per subject, then frames and
//! encodes values with no registry request and no mutex.

use std::collections::HashSet;
use std::marker::PhantomData;
use std::sync::Arc;

use super::cache::OnceMap;
use super::config::role;
use super::error::{SerdeError, SerdeErrorKind};
use super::{SerdeFormat, SerializerConfig};
use crate::registry::{RegistryError, Schema, SchemaReference, SchemaRegistry};
use crate::schema::Proto;
use crate::wire::{Guid, HeadersMut, IdKind, MessageIndexes, OwnedHeaders, SchemaId, WireFormat};
use crate::Record;

/// What a serializer learnt about one topic: the subject, the schema id and the framing.
#[derive(Debug)]
pub(crate) struct Framing {
    pub(crate) subject: String,
    pub(crate) id: i64,
    /// The bytes written before every payload.
    pub(crate) prefix: Vec<u8>,
    /// The headers written with every payload.
    pub(crate) headers: OwnedHeaders,
}

/// The registry schema of `T` in `format`, registering the Protobuf imports of other packages
/// first (as references).
pub(crate) struct SchemaSource {
    pub(crate) full_name: String,
    pub(crate) avro: Option<(&'static str, u64)>,
    pub(crate) proto: Option<&'static Proto>,
    pub(crate) json: Option<&'static str>,
}

impl SchemaSource {
    pub(crate) fn of<T: Record>(format: SerdeFormat) -> Result<Self, SerdeError> {
        let record = T::model().rust_name;
        let err = |source| SerdeErrorKind::Schema { record, source };
        let mut s = SchemaSource {
            full_name: T::model().full_name(),
            avro: None,
            proto: None,
            json: None,
        };
        match format {
            SerdeFormat::Avro => {
                let a = T::schemas().avro().map_err(err)?;
                s.avro = Some((a.json(), a.fingerprint()));
            }
            SerdeFormat::Protobuf => {
                let p = T::schemas().proto().map_err(err)?;
                if !matches!(
                    T::model().shape,
                    crate::model::Shape::Record(_) | crate::model::Shape::Union(_)
                ) {
                    return Err(SerdeErrorKind::Config {
                        message: format!("`{record}` is a Protobuf enum, not a message: it cannot be a top-level Protobuf value"),
                    }.into());
                }
                // A message declared inside another (`#[record(parent = ..)]`) has the
                // nested name (RecordNameStrategy subjects use it, as Confluent's do).
                s.full_name = p.message_name().to_string();
                s.proto = Some(p);
            }
            SerdeFormat::Json => s.json = Some(T::schemas().json().map_err(err)?.text()),
        }
        Ok(s)
    }
}

/// The shared engine of [`Serializer`] and the polymorphic serializer.
pub(crate) struct Engine {
    pub(crate) registry: Arc<dyn SchemaRegistry>,
    pub(crate) config: SerializerConfig,
    pub(crate) source: SchemaSource,
    pub(crate) topics: OnceMap<Box<str>, Framing>,
}

impl Engine {
    pub(crate) fn new(
        registry: Arc<dyn SchemaRegistry>,
        config: SerializerConfig,
        source: SchemaSource,
    ) -> Result<Self, SerdeError> {
        if config.wire_format == WireFormat::AvroSingleObject && config.format != SerdeFormat::Avro
        {
            return Err(SerdeErrorKind::Config {
                message: "the Avro single-object wire format carries Avro only".into(),
            }
            .into());
        }
        Ok(Engine {
            registry,
            config,
            source,
            topics: OnceMap::new(),
        })
    }

    /// The framing for `topic`, from the registry on first use.
    #[inline]
    pub(crate) async fn framing(&self, topic: &str) -> Result<&Framing, SerdeError> {
        if let Some(f) = self.topics.get(topic) {
            return Ok(f);
        }
        // Boxed: the registry round trip is a large state machine, and an inline one would be
        // moved (memcpy) with every cached call's future.
        Box::pin(
            self.topics
                .get_or_try_init(topic.into(), || self.resolve(topic)),
        )
        .await
    }

    fn registry_error(&self, topic: &str, subject: &str, source: RegistryError) -> SerdeError {
        SerdeErrorKind::Registry {
            topic: topic.to_string(),
            subject: subject.to_string(),
            source,
        }
        .into()
    }

    async fn resolve(&self, topic: &str) -> Result<Framing, SerdeError> {
        let c = &self.config;
        let subject = c
            .subject_name_strategy
            .subject(topic, role(c.field), &self.source.full_name);
        let (id, guid) = if let Some(id) = c.use_schema_id {
            (id, None)
        } else if c.use_latest_version {
            let latest = self.registry.latest(&subject).await.map_err(|e| {
                if e.is_not_found() {
                    SerdeErrorKind::NotRegistered {
                        topic: topic.to_string(),
                        subject: subject.clone(),
                        record: self.source.full_name.clone(),
                        source: e,
                    }
                    .into()
                } else {
                    self.registry_error(topic, &subject, e)
                }
            })?;
            (latest.id, latest.guid)
        } else {
            let schema = self.schema(topic).await?;
            self.register(topic, &subject, &schema).await?
        };
        tracing::debug!(topic, subject, id, "schema id resolved");
        let wire_id = match c.wire_format {
            WireFormat::Raw | WireFormat::Confluent => {
                SchemaId::Id(u32::try_from(id).map_err(|_| SerdeErrorKind::Config {
                    message: format!("schema id {id} does not fit the Confluent 4-byte id"),
                })?)
            }
            WireFormat::ConfluentGuidHeader | WireFormat::ConfluentGuidPrefix => {
                let Some(text) = guid else {
                    return Err(SerdeErrorKind::Config {
                        message: format!(
                            "wire format {} needs the schema's GUID, which the registry did not answer for subject `{subject}`",
                            c.wire_format.name()
                        ),
                    }.into());
                };
                SchemaId::Guid(text.parse::<Guid>().map_err(|e| SerdeErrorKind::Config {
                    message: format!("the registry answered a bad GUID: {e}"),
                })?)
            }
            WireFormat::AvroSingleObject => {
                SchemaId::Fingerprint(self.source.avro.map(|(_, fp)| fp).unwrap_or_default())
            }
            _ => match c.apicurio_id_kind {
                IdKind::GlobalId => SchemaId::GlobalId(id),
                IdKind::ContentId => SchemaId::ContentId(id),
            },
        };
        let indexes = (c.format == SerdeFormat::Protobuf
            && c.wire_format.carries_message_indexes())
        .then(|| {
            // Where the message is declared in the schema registered for it.
            self.source
                .proto
                .and_then(|p| MessageIndexes::new(p.message_indexes()).ok())
                .unwrap_or_else(MessageIndexes::first)
        });
        let mut prefix = Vec::new();
        let mut headers = OwnedHeaders::new();
        c.wire_format
            .write_header(
                c.field,
                wire_id,
                indexes.as_ref(),
                &mut prefix,
                &mut headers,
            )
            .map_err(|e| SerdeErrorKind::Config {
                message: format!("cannot frame with {}: {e}", c.wire_format.name()),
            })?;
        Ok(Framing {
            subject,
            id,
            prefix,
            headers,
        })
    }

    /// Registers (auto_register) or looks up a schema; answers its id and GUID.
    async fn register(
        &self,
        topic: &str,
        subject: &str,
        schema: &Schema,
    ) -> Result<(i64, Option<String>), SerdeError> {
        let c = &self.config;
        if c.auto_register {
            let r = self
                .registry
                .register(subject, schema, c.normalize)
                .await
                .map_err(|e| self.registry_error(topic, subject, e))?;
            Ok((r.id, r.guid))
        } else {
            let r = self
                .registry
                .lookup(subject, schema, c.normalize, false)
                .await
                .map_err(|e| {
                    if e.is_not_found() {
                        SerdeErrorKind::NotRegistered {
                            topic: topic.to_string(),
                            subject: subject.to_string(),
                            record: self.source.full_name.clone(),
                            source: e,
                        }
                        .into()
                    } else {
                        self.registry_error(topic, subject, e)
                    }
                })?;
            Ok((r.id, r.guid))
        }
    }

    /// The registry schema; for Protobuf, registers the imported files of other packages first.
    async fn schema(&self, topic: &str) -> Result<Schema, SerdeError> {
        if let Some((json, _)) = self.source.avro {
            return Ok(Schema::avro(json));
        }
        if let Some(json) = self.source.json {
            return Ok(Schema::json(json));
        }
        let Some(proto) = self.source.proto else {
            return Err(SerdeErrorKind::Config {
                message: "no schema for the format".into(),
            }
            .into());
        };
        let files = proto.files();
        let names: HashSet<&str> = files.iter().map(|f| f.name.as_str()).collect();
        let mut done: Vec<(String, SchemaReference)> = Vec::new();
        // Register dependencies first: files are visited depth-first, imports before importers.
        let mut order: Vec<usize> = Vec::new();
        fn visit(
            i: usize,
            files: &[crate::schema::ProtoFile],
            names: &HashSet<&str>,
            seen: &mut Vec<usize>,
            order: &mut Vec<usize>,
        ) {
            if seen.contains(&i) {
                return;
            }
            seen.push(i);
            for imp in imports(&files[i].text) {
                if names.contains(imp) {
                    if let Some(j) = files.iter().position(|f| f.name == imp) {
                        visit(j, files, names, seen, order);
                    }
                }
            }
            order.push(i);
        }
        visit(0, files, &names, &mut Vec::new(), &mut order);
        let mut main = None;
        for i in order {
            let file = &files[i];
            let mut schema = Schema::protobuf(file.text.clone());
            for imp in imports(&file.text) {
                if let Some((_, r)) = done.iter().find(|(n, _)| n == imp) {
                    schema = schema.with_reference(r.clone());
                }
            }
            if i == 0 {
                main = Some(schema);
                continue;
            }
            let subject = self
                .config
                .reference_subject_strategy
                .subject(&file.name, "");
            let version = self.register_reference(topic, &subject, &schema).await?;
            done.push((
                file.name.clone(),
                SchemaReference::new(file.name.clone(), subject, version),
            ));
        }
        main.ok_or_else(|| {
            SerdeErrorKind::Config {
                message: "the main .proto file is missing".into(),
            }
            .into()
        })
    }

    async fn register_reference(
        &self,
        topic: &str,
        subject: &str,
        schema: &Schema,
    ) -> Result<i32, SerdeError> {
        let c = &self.config;
        if c.auto_register {
            let r = self
                .registry
                .register(subject, schema, c.normalize)
                .await
                .map_err(|e| self.registry_error(topic, subject, e))?;
            if let Some(v) = r.version {
                return Ok(v);
            }
        }
        match self
            .registry
            .lookup(subject, schema, c.normalize, false)
            .await
        {
            Ok(r) => Ok(r.version),
            Err(e) if e.is_not_found() => Err(SerdeErrorKind::NotRegistered {
                topic: topic.to_string(),
                subject: subject.to_string(),
                record: subject.to_string(),
                source: e,
            }
            .into()),
            Err(e) => Err(self.registry_error(topic, subject, e)),
        }
    }
}

/// The `import "…";` paths of a `.proto` text.
fn imports(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter_map(|l| {
        let l = l.trim();
        let rest = l.strip_prefix("import")?.trim_start();
        let rest = rest
            .strip_prefix("public")
            .or_else(|| rest.strip_prefix("weak"))
            .unwrap_or(rest)
            .trim_start();
        let rest = rest.strip_prefix('"')?;
        rest.split('"').next()
    })
}

/// Encodes `value` in `format` after `out`'s current content (a top-level Avro `"bytes"` raw,
/// as Confluent's serializers write it: [`Record::write_avro_framed`]).
pub(crate) fn encode_into<T: Record>(
    format: SerdeFormat,
    value: &T,
    out: &mut Vec<u8>,
) -> Result<(), crate::CodecError> {
    match format {
        SerdeFormat::Avro => value.write_avro_framed(out),
        SerdeFormat::Protobuf => value.write_protobuf(out),
        SerdeFormat::Json => {
            serde_json::to_writer(out, value).map_err(|e| crate::CodecError::Json {
                op: "encode",
                line: 0,
                column: 0,
                source: e,
            })
        }
    }
}

#[cold]
#[inline(never)]
fn encode_error(topic: &str, framing: &Framing, source: crate::CodecError) -> SerdeError {
    SerdeErrorKind::Encode {
        topic: topic.to_string(),
        subject: framing.subject.clone(),
        source,
    }
    .into()
}

/// A registry-aware serializer for one record type.
///
/// Created from a registry and a [`SerializerConfig`]. The first [`serialize`](Self::serialize)
/// for a topic registers the type's schema under the topic's subject (or looks it up, or uses
/// the latest version or a fixed id, as configured) and caches the id with the framing bytes;
/// later calls for that topic ask the registry nothing and take no mutex. Cheap to share:
/// wrap it in an `Arc` (it is `Send + Sync`).
///
/// ```
/// use std::sync::Arc;
/// use kafka_model::registry::MemoryRegistry;
/// use kafka_model::serdes::{Deserializer, DeserializerConfig, Serializer, SerializerConfig};
/// use kafka_model::wire::NoHeaders;
/// use kafka_model::Record;
///
/// #[derive(Record, serde::Serialize, serde::Deserialize, Debug, PartialEq)]
/// #[record(namespace = "com.acme")]
/// struct Ping { seq: u32 }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let registry = Arc::new(MemoryRegistry::new());
/// let ser = Serializer::<Ping>::new(registry.clone(), SerializerConfig::avro())?;
/// let (payload, headers) = ser.serialize("pings", &Ping { seq: 7 }).await?;
/// assert_eq!(payload[0], 0x00); // Confluent framing: magic byte, 4-byte id, Avro datum
/// assert!(headers.is_empty());
///
/// let de = Deserializer::<Ping>::new(registry, DeserializerConfig::avro());
/// assert_eq!(de.deserialize("pings", &payload, &headers).await?, Ping { seq: 7 });
/// # Ok(())
/// # }
/// ```
pub struct Serializer<T> {
    engine: Engine,
    _type: PhantomData<fn(&T)>,
}

impl<T> std::fmt::Debug for Serializer<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Serializer")
            .field("record", &self.engine.source.full_name)
            .field("config", &self.engine.config)
            .finish()
    }
}

impl<T: Record> Serializer<T> {
    /// A serializer over `registry`. Fails when the type's schema cannot be rendered in the
    /// configured format, or the configuration cannot work.
    pub fn new(
        registry: Arc<dyn SchemaRegistry>,
        config: SerializerConfig,
    ) -> Result<Self, SerdeError> {
        let source = SchemaSource::of::<T>(config.format)?;
        Ok(Serializer {
            engine: Engine::new(registry, config, source)?,
            _type: PhantomData,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &SerializerConfig {
        &self.engine.config
    }

    /// Registers (or finds) the schema for `topic` now and answers the subject and schema id;
    /// idempotent, and the result is what later calls use.
    pub async fn register(&self, topic: &str) -> Result<(String, i64), SerdeError> {
        let f = self.engine.framing(topic).await?;
        Ok((f.subject.clone(), f.id))
    }

    /// Serializes one value for `topic`: the payload and the headers to send with it.
    pub async fn serialize(
        &self,
        topic: &str,
        value: &T,
    ) -> Result<(Vec<u8>, OwnedHeaders), SerdeError> {
        // The registry path is boxed so that this future stays small (cheap to move).
        let framing = match self.engine.topics.get(topic) {
            Some(f) => f,
            None => Box::pin(self.engine.framing(topic)).await?,
        };
        // Sized once: the Avro size bound; Protobuf's encoder reserves its exact size itself.
        let body = match self.engine.config.format {
            SerdeFormat::Avro => crate::avro::size_hint(value),
            SerdeFormat::Protobuf => 64,
            SerdeFormat::Json => 128,
        };
        let mut out = Vec::with_capacity(framing.prefix.len() + body);
        self.write(topic, framing, value, &mut out)?;
        Ok((out, framing.headers.clone()))
    }

    /// Serializes an optional value: `None` is a tombstone (no payload, no headers).
    pub async fn serialize_opt(
        &self,
        topic: &str,
        value: Option<&T>,
    ) -> Result<Option<(Vec<u8>, OwnedHeaders)>, SerdeError> {
        match value {
            None => Ok(None),
            Some(v) => self.serialize(topic, v).await.map(Some),
        }
    }

    /// Serializes into a reused buffer (appended to) and a header collection (set): with a
    /// reused buffer, the Confluent formats allocate nothing once the schema is cached.
    pub async fn serialize_into<H: HeadersMut + ?Sized>(
        &self,
        topic: &str,
        value: &T,
        out: &mut Vec<u8>,
        headers: &mut H,
    ) -> Result<(), SerdeError> {
        // The registry path is boxed so that this future stays small (cheap to move).
        let framing = match self.engine.topics.get(topic) {
            Some(f) => f,
            None => Box::pin(self.engine.framing(topic)).await?,
        };
        self.write(topic, framing, value, out)?;
        for (name, v) in &framing.headers {
            headers
                .set(name, v.clone())
                .map_err(|e| SerdeErrorKind::Config {
                    message: format!("cannot set header `{name}`: {e}"),
                })?;
        }
        Ok(())
    }

    #[inline]
    fn write(
        &self,
        topic: &str,
        framing: &Framing,
        value: &T,
        out: &mut Vec<u8>,
    ) -> Result<(), SerdeError> {
        if T::VALIDATE_ON_CODEC {
            value
                .validate()
                .map_err(|source| SerdeErrorKind::Validation {
                    topic: topic.to_string(),
                    source,
                })?;
        }
        out.extend_from_slice(&framing.prefix);
        encode_into(self.engine.config.format, value, out)
            .map_err(|source| encode_error(topic, framing, source))
    }
}
