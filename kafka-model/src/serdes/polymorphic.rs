//! Several record types on one topic: an enum whose variants are records, dispatched on the
//! writer schema's full name.

use std::sync::Arc;

use super::cache::OnceMap;
use super::deserializer::{build_plan, decode_plan, Plan, PlanError};
use super::error::{MalformedCause, SerdeError, SerdeErrorKind};
use super::serializer::{encode_into, Engine, SchemaSource};
use super::writer::{id_text, Writer, WriterCache};
use super::{DeserializerConfig, SerdeFormat, SerializerConfig};
use crate::model::{Payload, Shape, Type};
use crate::registry::SchemaRegistry;
use crate::wire::{Headers, OwnedHeaders, SchemaId};
use crate::{CodecError, Record};

type DecodeFn<E> = Arc<dyn Fn(&Plan, &[u8]) -> Result<E, CodecError> + Send + Sync>;
type EncodeFn<E> =
    Arc<dyn Fn(&E, SerdeFormat, &mut Vec<u8>) -> Option<Result<(), CodecError>> + Send + Sync>;
type ValidateFn<E> = Arc<dyn Fn(&E) -> Result<(), crate::validate::ValidationErrors> + Send + Sync>;

/// How one variant of a polymorphic enum is read and written: the record type it wraps.
pub struct VariantCodec<E> {
    full_name: String,
    short_name: &'static str,
    aliases: &'static [&'static str],
    plan: fn(&Writer, SerdeFormat) -> Result<Plan, PlanError>,
    source: fn(SerdeFormat) -> Result<SchemaSource, SerdeError>,
    decode: DecodeFn<E>,
    encode: EncodeFn<E>,
    validate: ValidateFn<E>,
}

impl<E> std::fmt::Debug for VariantCodec<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VariantCodec")
            .field("full_name", &self.full_name)
            .finish()
    }
}

impl<E: 'static> VariantCodec<E> {
    /// The variant holding a `T`: `wrap` builds it, `unwrap` reads it back.
    pub fn of<T: Record>(wrap: fn(T) -> E, unwrap: fn(&E) -> Option<&T>) -> Self {
        VariantCodec {
            full_name: T::model().full_name(),
            short_name: T::model().name,
            aliases: T::model().aliases,
            plan: build_plan::<T>,
            source: SchemaSource::of::<T>,
            decode: Arc::new(move |plan, bytes| decode_plan::<T>(plan, bytes).map(wrap)),
            encode: Arc::new(move |e, format, out| unwrap(e).map(|v| encode_into(format, v, out))),
            validate: Arc::new(move |e| match unwrap(e) {
                Some(v) if T::VALIDATE_ON_CODEC => v.validate(),
                _ => Ok(()),
            }),
        }
    }

    /// The record's full name.
    pub fn full_name(&self) -> &str {
        &self.full_name
    }

    fn answers_to(&self, writer_name: &str) -> bool {
        let short = writer_name.rsplit('.').next().unwrap_or(writer_name);
        writer_name == self.full_name
            || writer_name == self.short_name
            || self
                .aliases
                .iter()
                .any(|a| *a == writer_name || *a == short)
    }
}

/// An enum whose variants each wrap one record type (a polymorphic topic). Implement it with
/// [`polymorphic!`](crate::polymorphic).
pub trait Polymorphic: Record {
    /// One codec per variant.
    fn variants() -> Vec<VariantCodec<Self>>;
}

/// Implements [`Polymorphic`](crate::serdes::Polymorphic) for an enum of newtype record
/// variants: `polymorphic!(Event { Created(OrderCreated), Paid(OrderPaid) });`.
///
/// ```
/// use kafka_model::Record;
/// # use serde::{Deserialize, Serialize};
/// #[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
/// #[record(namespace = "com.acme")]
/// struct Created { id: String }
/// #[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
/// #[record(namespace = "com.acme")]
/// struct Paid { id: String, cents: i64 }
/// #[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
/// #[record(namespace = "com.acme")]
/// enum Event { Created(Created), Paid(Paid) }
///
/// kafka_model::polymorphic!(Event { Created(Created), Paid(Paid) });
/// use kafka_model::serdes::Polymorphic;
/// assert_eq!(Event::variants()[1].full_name(), "com.acme.Paid");
/// ```
#[macro_export]
macro_rules! polymorphic {
    ($enum:ident { $($variant:ident($inner:ty)),+ $(,)? }) => {
        impl $crate::serdes::Polymorphic for $enum {
            fn variants() -> ::std::vec::Vec<$crate::serdes::VariantCodec<Self>> {
                ::std::vec![$(
                    $crate::serdes::VariantCodec::of::<$inner>($enum::$variant, |e| {
                        #[allow(unreachable_patterns)]
                        match e {
                            $enum::$variant(v) => ::std::option::Option::Some(v),
                            _ => ::std::option::Option::None,
                        }
                    })
                ),+]
            }
        }
    };
}

/// Checks the enum's model against its codecs: every newtype record variant has one.
fn check_variants<E: Polymorphic>(codecs: &[VariantCodec<E>]) -> Result<(), SerdeError> {
    let Shape::Union(u) = E::model().shape else {
        return Err(SerdeErrorKind::Config {
            message: format!("`{}` is not an enum with data", E::model().rust_name),
        }
        .into());
    };
    for v in u.variants {
        let Payload::Newtype(Type::Named(m)) = v.payload else {
            return Err(SerdeErrorKind::Config {
                message: format!(
                    "variant `{}` of `{}` does not wrap a record type",
                    v.ident,
                    E::model().rust_name
                ),
            }
            .into());
        };
        let name = m().full_name();
        if !codecs.iter().any(|c| c.full_name == name) {
            return Err(SerdeErrorKind::Config {
                message: format!("variant `{}` (`{name}`) has no codec", v.ident),
            }
            .into());
        }
    }
    Ok(())
}

type PolyEntry = (Arc<Writer>, Result<(usize, Plan), PlanError>);

/// Reads a topic holding several record types into an enum, dispatching on the writer
/// schema's record name (Avro record, Protobuf message, JSON Schema title).
///
/// ```
/// use std::sync::Arc;
/// use kafka_model::registry::{MemoryRegistry, SubjectNameStrategy};
/// use kafka_model::serdes::{DeserializerConfig, PolymorphicDeserializer, PolymorphicSerializer, SerializerConfig};
/// use kafka_model::Record;
/// # use serde::{Deserialize, Serialize};
/// #[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
/// #[record(namespace = "com.acme")]
/// struct Created { id: String }
/// #[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
/// #[record(namespace = "com.acme")]
/// struct Paid { id: String, cents: i64 }
/// #[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
/// #[record(namespace = "com.acme")]
/// enum Event { Created(Created), Paid(Paid) }
/// kafka_model::polymorphic!(Event { Created(Created), Paid(Paid) });
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let registry = Arc::new(MemoryRegistry::new());
/// let config = SerializerConfig::avro().subject_name_strategy(SubjectNameStrategy::TopicRecordName);
/// let ser = PolymorphicSerializer::<Event>::new(registry.clone(), config)?;
/// let de = PolymorphicDeserializer::<Event>::new(registry, DeserializerConfig::avro())?;
/// for event in [Event::Created(Created { id: "a".into() }), Event::Paid(Paid { id: "a".into(), cents: 5 })] {
///     let (payload, headers) = ser.serialize("events", &event).await?;
///     assert_eq!(de.deserialize("events", &payload, &headers).await?, event);
/// }
/// # Ok(())
/// # }
/// ```
pub struct PolymorphicDeserializer<E> {
    writers: WriterCache,
    config: DeserializerConfig,
    codecs: Vec<VariantCodec<E>>,
    plans: OnceMap<SchemaId, PolyEntry>,
}

impl<E> std::fmt::Debug for PolymorphicDeserializer<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolymorphicDeserializer")
            .field("variants", &self.codecs)
            .finish()
    }
}

impl<E: Polymorphic> PolymorphicDeserializer<E> {
    /// A deserializer over `registry`; fails when a variant of `E` has no codec.
    pub fn new(
        registry: Arc<dyn SchemaRegistry>,
        config: DeserializerConfig,
    ) -> Result<Self, SerdeError> {
        let codecs = E::variants();
        check_variants::<E>(&codecs)?;
        Ok(PolymorphicDeserializer {
            writers: WriterCache::new(registry),
            config,
            codecs,
            plans: OnceMap::new(),
        })
    }

    /// Deserializes one record into the variant its writer schema names.
    pub async fn deserialize<H: Headers + ?Sized>(
        &self,
        topic: &str,
        payload: &[u8],
        headers: &H,
    ) -> Result<E, SerdeError> {
        let malformed = |id: Option<SchemaId>, source: MalformedCause| SerdeErrorKind::Malformed {
            topic: topic.to_string(),
            id: id.map(id_text),
            subject: None,
            source,
        };
        let frame = self
            .config
            .reader(self.config.format == SerdeFormat::Protobuf)
            .parse(Some(payload), headers)
            .map_err(|e| malformed(None, e.into()))?
            .ok_or_else(|| {
                malformed(
                    None,
                    MalformedCause::Other("a tombstone has no value".into()),
                )
            })?;
        let id = frame.id.ok_or_else(|| {
            malformed(
                None,
                MalformedCause::Other("the record carries no schema id".into()),
            )
        })?;
        let entry = match self.plans.get(&id) {
            Some(e) => e,
            None => {
                let indexes = frame.indexes.clone();
                self.plans
                    .get_or_try_init(id, || async {
                        let writer = self.writers.get(topic, id).await?;
                        let plan = self.plan(&writer, indexes.as_ref());
                        Ok::<_, SerdeError>((writer, plan))
                    })
                    .await?
            }
        };
        let (i, plan) = match &entry.1 {
            Ok((i, plan)) => (*i, plan),
            Err(e) => return Err(e.clone().into_error(topic, id, None)),
        };
        (self.codecs[i].decode)(plan, frame.payload).map_err(|e| {
            match e {
                CodecError::Validation(source) => SerdeErrorKind::Validation {
                    topic: topic.to_string(),
                    source,
                },
                e => malformed(Some(id), MalformedCause::Codec(e)),
            }
            .into()
        })
    }

    fn plan(
        &self,
        writer: &Writer,
        indexes: Option<&crate::wire::MessageIndexes>,
    ) -> Result<(usize, Plan), PlanError> {
        let name = writer.record_name(indexes).unwrap_or_default();
        let Some(i) = self.codecs.iter().position(|c| c.answers_to(&name)) else {
            return Err(PlanError::WrongRecord {
                writer: name,
                expected: format!(
                    "one of {}",
                    self.codecs
                        .iter()
                        .map(|c| c.full_name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        };
        (self.codecs[i].plan)(writer, self.config.format).map(|p| (i, p))
    }
}

/// Writes each variant of a polymorphic enum under its own record's subject (use the
/// RecordName or TopicRecordName strategy). See [`PolymorphicDeserializer`].
pub struct PolymorphicSerializer<E> {
    codecs: Vec<VariantCodec<E>>,
    engines: Vec<Engine>,
}

impl<E> std::fmt::Debug for PolymorphicSerializer<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolymorphicSerializer")
            .field("variants", &self.codecs)
            .finish()
    }
}

impl<E: Polymorphic> PolymorphicSerializer<E> {
    /// A serializer over `registry`.
    pub fn new(
        registry: Arc<dyn SchemaRegistry>,
        config: SerializerConfig,
    ) -> Result<Self, SerdeError> {
        let codecs = E::variants();
        check_variants::<E>(&codecs)?;
        let engines = codecs
            .iter()
            .map(|c| {
                Engine::new(
                    Arc::clone(&registry),
                    config.clone(),
                    (c.source)(config.format)?,
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(PolymorphicSerializer { codecs, engines })
    }

    /// Serializes one value under its variant's subject.
    pub async fn serialize(
        &self,
        topic: &str,
        value: &E,
    ) -> Result<(Vec<u8>, OwnedHeaders), SerdeError> {
        for (codec, engine) in self.codecs.iter().zip(&self.engines) {
            let format = engine.config.format;
            let mut probe = Vec::new();
            // The closure answers None for other variants without encoding anything.
            let Some(res) = (codec.encode)(value, format, &mut probe) else {
                continue;
            };
            (codec.validate)(value).map_err(|source| SerdeErrorKind::Validation {
                topic: topic.to_string(),
                source,
            })?;
            let framing = engine.framing(topic).await?;
            let encode_err = |source| SerdeErrorKind::Encode {
                topic: topic.to_string(),
                subject: framing.subject.clone(),
                source,
            };
            res.map_err(encode_err)?;
            let mut out = Vec::with_capacity(framing.prefix.len() + probe.len());
            out.extend_from_slice(&framing.prefix);
            out.extend_from_slice(&probe);
            return Ok((out, framing.headers.clone()));
        }
        Err(SerdeErrorKind::Config {
            message: format!("no codec for this variant of `{}`", E::model().rust_name),
        }
        .into())
    }
}
