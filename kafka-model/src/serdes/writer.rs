//! Writer schemas: fetched from the registry by the id a frame carries, with their
//! references, parsed once and shared.

use std::collections::HashMap;
use std::sync::Arc;

use prost_reflect::{DescriptorPool, MessageDescriptor};

use super::cache::OnceMap;
use super::error::{SerdeError, SerdeErrorKind};
use super::SerdeFormat;
use crate::registry::{Schema, SchemaReference, SchemaRegistry, SchemaType, Version};
use crate::wire::{MessageIndexes, SchemaId};

/// How deep references may nest.
const MAX_REFERENCE_DEPTH: usize = 32;

/// The id as error messages print it.
pub(crate) fn id_text(id: SchemaId) -> String {
    match id {
        SchemaId::Id(n) => n.to_string(),
        SchemaId::Guid(g) => format!("guid {g}"),
        SchemaId::GlobalId(n) => format!("globalId {n}"),
        SchemaId::ContentId(n) => format!("contentId {n}"),
        SchemaId::Fingerprint(fp) => format!("fingerprint {fp:016x}"),
    }
}

/// A parsed writer schema.
#[derive(Debug)]
pub(crate) enum Parsed {
    Avro {
        schema: apache_avro::Schema,
        /// Named types of references, dependencies first.
        schemata: Vec<apache_avro::Schema>,
        fingerprint: u64,
    },
    Protobuf {
        pool: DescriptorPool,
        file: String,
    },
    Json {
        value: serde_json::Value,
    },
}

/// A writer schema and where it came from.
#[derive(Debug)]
pub(crate) struct Writer {
    #[allow(dead_code)]
    pub(crate) id: SchemaId,
    pub(crate) schema: Schema,
    pub(crate) parsed: Parsed,
}

impl Writer {
    pub(crate) fn format(&self) -> SerdeFormat {
        SerdeFormat::of(self.schema.schema_type)
    }

    /// The full name of the record the writer wrote: the Avro root's name, the Protobuf message
    /// at `path` (`[0]` when absent), the JSON Schema's `title`.
    pub(crate) fn record_name(&self, path: Option<&MessageIndexes>) -> Option<String> {
        match &self.parsed {
            Parsed::Avro { schema, .. } => avro_name(schema),
            Parsed::Protobuf { .. } => self
                .message(path.map(|p| p.as_slice()).unwrap_or(&[0]))
                .map(|m| m.full_name().to_string()),
            Parsed::Json { value } => value
                .get("title")
                .and_then(|t| t.as_str())
                .map(str::to_string),
        }
    }

    /// The Protobuf message at a message-index path.
    pub(crate) fn message(&self, path: &[u32]) -> Option<MessageDescriptor> {
        let Parsed::Protobuf { pool, file } = &self.parsed else {
            return None;
        };
        let file = pool.get_file_by_name(file)?;
        let (first, rest) = path.split_first()?;
        let mut msg = file.messages().nth(*first as usize)?;
        for i in rest {
            let next = msg.child_messages().nth(*i as usize)?;
            msg = next;
        }
        Some(msg)
    }

    /// The message-index path of a message of the main file, by full name.
    pub(crate) fn path_of(&self, full_name: &str) -> Option<MessageIndexes> {
        let Parsed::Protobuf { pool, file } = &self.parsed else {
            return None;
        };
        let file = pool.get_file_by_name(file)?;
        fn find(m: MessageDescriptor, name: &str, path: &mut Vec<u32>) -> bool {
            if m.full_name() == name {
                return true;
            }
            for (i, c) in m.child_messages().enumerate() {
                path.push(i as u32);
                if find(c, name, path) {
                    return true;
                }
                path.pop();
            }
            false
        }
        for (i, m) in file.messages().enumerate() {
            let mut path = vec![i as u32];
            if find(m, full_name, &mut path) {
                return MessageIndexes::new(path).ok();
            }
        }
        None
    }
}

/// The full name of an Avro schema's root named type.
pub(crate) fn avro_name(schema: &apache_avro::Schema) -> Option<String> {
    use apache_avro::Schema as S;
    match schema {
        S::Record(r) => Some(r.name.fullname(None)),
        S::Enum(e) => Some(e.name.fullname(None)),
        S::Fixed(f) => Some(f.name.fullname(None)),
        _ => None,
    }
}

/// Writer schemas by id, fetched once each (shared by the deserializers of one registry).
pub(crate) struct WriterCache {
    registry: Arc<dyn SchemaRegistry>,
    by_id: OnceMap<SchemaId, Arc<Writer>>,
}

impl WriterCache {
    pub(crate) fn new(registry: Arc<dyn SchemaRegistry>) -> Self {
        WriterCache {
            registry,
            by_id: OnceMap::new(),
        }
    }

    /// The writer schema of `id`, from the registry on first use.
    pub(crate) async fn get(&self, topic: &str, id: SchemaId) -> Result<Arc<Writer>, SerdeError> {
        if let Some(w) = self.by_id.get(&id) {
            return Ok(Arc::clone(w));
        }
        self.by_id
            .get_or_try_init(id, || async {
                tracing::debug!(topic, id = %id_text(id), "fetching writer schema");
                let schema = self.fetch(topic, id).await?;
                let parsed = self.parse(topic, id, &schema).await?;
                Ok(Arc::new(Writer { id, schema, parsed }))
            })
            .await
            .map(Arc::clone)
    }

    async fn fetch(&self, topic: &str, id: SchemaId) -> Result<Schema, SerdeError> {
        let unknown = |source| SerdeErrorKind::UnknownId {
            topic: topic.to_string(),
            id: id_text(id),
            subject: None,
            source,
        };
        let answer = match id {
            SchemaId::Id(n) => self.registry.schema_by_id(i64::from(n), None, None).await,
            SchemaId::GlobalId(n) | SchemaId::ContentId(n) => {
                self.registry.schema_by_id(n, None, None).await
            }
            SchemaId::Guid(g) => self.registry.schema_by_guid(&g.to_string(), None).await,
            _ => return Err(unknown(None).into()),
        };
        answer.map_err(|e| {
            if e.is_not_found() {
                unknown(Some(e)).into()
            } else {
                SerdeErrorKind::Registry {
                    topic: topic.to_string(),
                    subject: format!("(schema id {})", id_text(id)),
                    source: e,
                }
                .into()
            }
        })
    }

    /// Every schema `references` points to, transitively, dependencies first, with the name the
    /// referencing schema uses.
    pub(crate) async fn references(
        &self,
        topic: &str,
        id: SchemaId,
        references: &[SchemaReference],
    ) -> Result<Vec<(String, Schema)>, SerdeError> {
        let mut out: Vec<(String, Schema)> = Vec::new();
        // An explicit stack (async recursion needs boxing): (reference, depth, expanded).
        let mut stack: Vec<(SchemaReference, usize, Option<Schema>)> = references
            .iter()
            .rev()
            .map(|r| (r.clone(), 0, None))
            .collect();
        while let Some((r, depth, fetched)) = stack.pop() {
            if out.iter().any(|(n, _)| *n == r.name) {
                continue;
            }
            if let Some(schema) = fetched {
                out.push((r.name.clone(), schema));
                continue;
            }
            if depth > MAX_REFERENCE_DEPTH {
                return Err(SerdeErrorKind::InvalidSchema {
                    topic: topic.to_string(),
                    id: id_text(id),
                    reason: format!("references nest deeper than {MAX_REFERENCE_DEPTH} levels"),
                }
                .into());
            }
            let got = self
                .registry
                .version(&r.subject, Version::Number(r.version), false)
                .await
                .map_err(|source| SerdeErrorKind::Registry {
                    topic: topic.to_string(),
                    subject: r.subject.clone(),
                    source,
                })?;
            let schema = got.schema;
            let nested = schema.references.clone();
            stack.push((r, depth, Some(schema)));
            for n in nested.into_iter().rev() {
                stack.push((n, depth + 1, None));
            }
        }
        Ok(out)
    }

    async fn parse(
        &self,
        topic: &str,
        id: SchemaId,
        schema: &Schema,
    ) -> Result<Parsed, SerdeError> {
        let refs = self.references(topic, id, &schema.references).await?;
        parse_schema(schema, &refs).map_err(|reason| {
            SerdeErrorKind::InvalidSchema {
                topic: topic.to_string(),
                id: id_text(id),
                reason,
            }
            .into()
        })
    }
}

/// Parses a registry schema with its (resolved) references.
pub(crate) fn parse_schema(schema: &Schema, refs: &[(String, Schema)]) -> Result<Parsed, String> {
    match schema.schema_type {
        SchemaType::Avro => {
            let (parsed, schemata) = apache_avro::Schema::parse_str_with_list(
                &schema.schema,
                refs.iter().map(|(_, s)| s.schema.as_str()),
            )
            .map_err(|e| format!("Avro schema does not parse: {e}"))?;
            let fingerprint =
                crate::avro::resolve::fingerprint(&parsed).map_err(|e| e.to_string())?;
            Ok(Parsed::Avro {
                schema: parsed,
                schemata,
                fingerprint,
            })
        }
        SchemaType::Json => serde_json::from_str(&schema.schema)
            .map(|value| Parsed::Json { value })
            .map_err(|e| format!("JSON Schema does not parse: {e}")),
        SchemaType::Protobuf => {
            let (pool, file) = proto_pool(&schema.schema, refs)?;
            Ok(Parsed::Protobuf { pool, file })
        }
    }
}

/// Whether a `.proto` schema (text or base64 descriptor) parses, imports unresolved.
#[cfg_attr(not(feature = "http"), allow(dead_code))]
pub(crate) fn proto_syntax(text: &str) -> Result<(), String> {
    proto_file("schema.proto", text).map(|_| ())
}

/// A `.proto` file as text, or as base64 of a serialized `FileDescriptorProto` (what
/// Confluent's Python and Go Protobuf serializers register).
fn proto_file(name: &str, text: &str) -> Result<protox::file::File, String> {
    match protox::file::File::from_source(name, text.trim()) {
        Ok(f) => Ok(f),
        Err(parse_error) => {
            use base64::Engine as _;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .map_err(|_| format!("`{name}` does not parse as .proto: {parse_error}"))?;
            let mut fdp =
                <prost_types::FileDescriptorProto as prost::Message>::decode(bytes.as_slice())
                    .map_err(|e| {
                        format!("`{name}` is neither .proto text nor a descriptor: {e}")
                    })?;
            fdp.name = Some(name.to_string());
            Ok(protox::file::File::from_file_descriptor_proto(fdp))
        }
    }
}

struct MapResolver {
    files: HashMap<String, protox::file::File>,
    google: protox::file::GoogleFileResolver,
}

impl protox::file::FileResolver for MapResolver {
    fn open_file(&self, name: &str) -> Result<protox::file::File, protox::Error> {
        if let Some(f) = self.files.get(name) {
            return Ok(f.clone());
        }
        if name == "confluent/meta.proto" {
            return protox::file::File::from_source(
                name,
                crate::schema::proto::CONFLUENT_META_PROTO,
            );
        }
        self.google.open_file(name)
    }
}

/// Compiles a `.proto` (text or descriptor) and its references into a descriptor pool; answers
/// the pool and the main file's name.
pub(crate) fn proto_pool(
    text: &str,
    refs: &[(String, Schema)],
) -> Result<(DescriptorPool, String), String> {
    let mut files = HashMap::new();
    for (name, s) in refs {
        files.insert(name.clone(), proto_file(name, &s.schema)?);
    }
    let mut main = "__writer__.proto".to_string();
    while files.contains_key(&main) {
        main.insert(0, '_');
    }
    files.insert(main.clone(), proto_file(&main, text)?);
    let mut compiler = protox::Compiler::with_file_resolver(MapResolver {
        files,
        google: protox::file::GoogleFileResolver::new(),
    });
    compiler.include_imports(true);
    compiler
        .open_file(&main)
        .map_err(|e| format!("the .proto does not compile: {e}"))?;
    Ok((compiler.descriptor_pool(), main))
}

/// The serialized `FileDescriptorProto` of a registered `.proto` schema (text or descriptor),
/// with its references resolved through `registry`: what Confluent's `format=serialized`
/// answers, and what Python's `ProtobufDeserializer` asks for.
///
/// ```
/// use kafka_model::registry::{MemoryRegistry, Schema};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let registry = std::sync::Arc::new(MemoryRegistry::new());
/// let schema = Schema::protobuf("syntax = \"proto3\"; package p; message M { int32 a = 1; }");
/// let bytes = kafka_model::serdes::file_descriptor_proto(registry, &schema).await?;
/// assert!(!bytes.is_empty());
/// # Ok(())
/// # }
/// ```
pub async fn file_descriptor_proto(
    registry: Arc<dyn SchemaRegistry>,
    schema: &Schema,
) -> Result<Vec<u8>, SerdeError> {
    let cache = WriterCache::new(registry);
    let id = SchemaId::Id(0);
    let refs = cache.references("", id, &schema.references).await?;
    let invalid = |reason| SerdeErrorKind::InvalidSchema {
        topic: String::new(),
        id: "(given)".into(),
        reason,
    };
    let (pool, main) = proto_pool(&schema.schema, &refs).map_err(invalid)?;
    let file = pool
        .get_file_by_name(&main)
        .ok_or_else(|| invalid("the main file is missing".into()))?;
    let mut fdp = file.file_descriptor_proto().clone();
    fdp.name = None;
    Ok(prost::Message::encode_to_vec(&fdp))
}
