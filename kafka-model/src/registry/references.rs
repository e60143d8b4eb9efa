//! Schema references: registering a schema whose types come from other subjects (Avro named
//! types, Protobuf imports, JSON Schema `$ref`s), dependencies first, and fetching a schema by id
//! with every schema it references, recursively.
//!
//! - [`SchemaWithDeps`] is what you register: a root schema and the [`Dependency`]s it (or
//!   another dependency) uses, each with the name the referencing schema knows it by and the
//!   subject it lives under. [`SchemaRegistry::register_with_references`] works out which schema
//!   uses which (Protobuf `import`s, Avro type names, JSON `$ref`s; explicit
//!   [`Schema::references`] are kept as given), registers the dependencies in dependency order,
//!   each with references to the versions just registered, then the root.
//! - [`ResolvedSchema`] is what [`SchemaRegistry::schema_with_references`] answers: the schema
//!   of an id and every schema its references reach, dependencies first, deduplicated, with a
//!   bounded depth ([`MAX_REFERENCE_DEPTH`]) and safe against cycles.
//!
//! ```
//! use kafka_model::registry::{MemoryRegistry, Schema, SchemaRegistry, SchemaWithDeps};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), kafka_model::registry::RegistryError> {
//! let registry = MemoryRegistry::new();
//! let money = Schema::avro(r#"{"type":"record","name":"Money","namespace":"acme","fields":[{"name":"cents","type":"long"}]}"#);
//! let order = Schema::avro(r#"{"type":"record","name":"Order","namespace":"acme","fields":[{"name":"total","type":"Money"}]}"#);
//! let graph = SchemaWithDeps::new(order).with_dependency("acme.Money", "acme.Money", money);
//! let reg = registry.register_with_references("orders-value", &graph, false).await?;
//!
//! let resolved = registry.schema_with_references(reg.id, None, None).await?;
//! assert_eq!(resolved.schema.references[0].name, "acme.Money");
//! assert_eq!(resolved.references.len(), 1);
//! let parsed = resolved.avro()?; // the root, with `acme.Money` resolved
//! assert_eq!(parsed.name().map(|n| n.fullname(None)), Some("acme.Order".to_string()));
//! # Ok(())
//! # }
//! ```

use std::collections::{BTreeSet, HashMap, HashSet};

use super::subject::ReferenceSubjectStrategy;
use super::{RegistryError, Result, Schema, SchemaReference, SchemaRegistry, SchemaType, Version};

/// How deep references may nest when they are resolved (a schema referencing a schema that
/// references … counts one level per step).
pub const MAX_REFERENCE_DEPTH: usize = 32;

/// Most distinct schemas one resolution may fetch (a guard against runaway reference graphs).
pub const MAX_REFERENCED_SCHEMAS: usize = 1024;

/// A schema that another schema references, registered under its own subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// How referencing schemas name it: the full record name for Avro (`acme.Money`), the import
    /// path for Protobuf (`acme/common.proto`), the `$ref` URL for JSON Schema.
    pub name: String,
    /// The subject it is registered under.
    pub subject: String,
    /// The schema. Its own references to other dependencies are found like the root's.
    pub schema: Schema,
}

/// A schema and the schemas its types come from, ready for
/// [`SchemaRegistry::register_with_references`].
///
/// ```
/// use kafka_model::registry::{Schema, SchemaWithDeps};
///
/// let common = Schema::protobuf("syntax = \"proto3\"; package acme; message Money { int64 cents = 1; }");
/// let orders = Schema::protobuf(
///     "syntax = \"proto3\"; package acme.orders; import \"acme/common.proto\"; message Order { acme.Money total = 1; }",
/// );
/// let graph = SchemaWithDeps::new(orders).with_dependency("acme/common.proto", "acme/common.proto", common);
/// assert_eq!(graph.dependencies.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaWithDeps {
    /// The schema to register under the caller's subject.
    pub schema: Schema,
    /// The schemas it (or another dependency) references, in any order.
    pub dependencies: Vec<Dependency>,
}

impl SchemaWithDeps {
    /// A schema without dependencies yet.
    pub fn new(schema: Schema) -> Self {
        SchemaWithDeps {
            schema,
            dependencies: Vec::new(),
        }
    }

    /// Adds a dependency named `name` (Avro full name, Protobuf import path, JSON `$ref`),
    /// registered under `subject`.
    pub fn with_dependency(
        mut self,
        name: impl Into<String>,
        subject: impl Into<String>,
        schema: Schema,
    ) -> Self {
        self.dependencies.push(Dependency {
            name: name.into(),
            subject: subject.into(),
            schema,
        });
        self
    }

    /// A Protobuf schema rendered by this crate (`T::schemas().proto()?`): the main file is the
    /// root, every other file a dependency named by its import path, under the subject
    /// `strategy` gives it (Confluent's default: the import path itself).
    ///
    /// ```
    /// use kafka_model::Record;
    /// use kafka_model::registry::{subject::ReferenceSubjectStrategy, SchemaWithDeps};
    ///
    /// #[derive(Record, serde::Serialize, serde::Deserialize)]
    /// #[record(namespace = "com.acme.common")]
    /// struct Money { cents: i64 }
    ///
    /// #[derive(Record, serde::Serialize, serde::Deserialize)]
    /// #[record(namespace = "com.acme.orders")]
    /// struct Order { total: Money }
    ///
    /// let graph = SchemaWithDeps::protobuf(Order::schemas().proto()?, ReferenceSubjectStrategy::Qualified);
    /// assert_eq!(graph.dependencies[0].name, "com/acme/common.proto");
    /// assert_eq!(graph.dependencies[0].subject, "com.acme.common");
    /// # Ok::<(), kafka_model::SchemaError>(())
    /// ```
    pub fn protobuf(
        schema: &crate::schema::proto::Proto,
        strategy: ReferenceSubjectStrategy,
    ) -> Self {
        let mut files = schema.files().iter();
        let root = match files.next() {
            Some(main) => Schema::protobuf(main.text.clone()),
            None => Schema::protobuf(String::new()),
        };
        let mut graph = SchemaWithDeps::new(root);
        for file in files {
            let first_type = first_proto_type(&file.text).unwrap_or_default();
            graph = graph.with_dependency(
                file.name.clone(),
                strategy.subject(&file.name, &first_type),
                Schema::protobuf(file.text.clone()),
            );
        }
        graph
    }
}

/// The full name of the first message or enum of a `.proto` text, when it parses.
fn first_proto_type(text: &str) -> Option<String> {
    let file = protox::file::File::from_source("schema.proto", text).ok()?;
    let fd = file.file_descriptor_proto();
    let name = fd
        .message_type
        .first()
        .and_then(|m| m.name.clone())
        .or_else(|| fd.enum_type.first().and_then(|e| e.name.clone()))?;
    Some(match fd.package.as_deref() {
        Some(p) if !p.is_empty() => format!("{p}.{name}"),
        _ => name,
    })
}

/// One schema reached through references, with the reference that reached it first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedReference {
    /// The reference (name, subject, version).
    pub reference: SchemaReference,
    /// The schema id of that subject version.
    pub id: i64,
    /// The referenced schema (with its own references).
    pub schema: Schema,
}

/// A schema with every schema its references reach: the answer of
/// [`SchemaRegistry::schema_with_references`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedSchema {
    /// The schema itself.
    pub schema: Schema,
    /// Every referenced schema, transitively, each once, dependencies before the schemas that
    /// use them.
    pub references: Vec<ResolvedReference>,
}

impl ResolvedSchema {
    /// The referenced schema that referencing schemas call `name`.
    pub fn reference(&self, name: &str) -> Option<&ResolvedReference> {
        self.references.iter().find(|r| r.reference.name == name)
    }

    /// Parses an Avro schema with its referenced named types.
    pub fn avro(&self) -> Result<apache_avro::Schema> {
        if self.schema.schema_type != SchemaType::Avro {
            return Err(RegistryError::InvalidSchema {
                message: format!("a {} schema is not Avro", self.schema.schema_type),
            });
        }
        let deps: Vec<&str> = self
            .references
            .iter()
            .map(|r| r.schema.schema.as_str())
            .collect();
        apache_avro::Schema::parse_str_with_list(&self.schema.schema, deps)
            .map(|(schema, _)| schema)
            .map_err(|e| RegistryError::InvalidSchema {
                message: format!("Invalid schema: {e}"),
            })
    }

    /// A Protobuf schema (`.proto` text) with its imports, as the compatibility checker of
    /// [`crate::compat::protobuf`] takes it.
    pub fn proto_source(&self) -> crate::compat::protobuf::ProtoSource {
        let mut source = crate::compat::protobuf::ProtoSource::new(self.schema.schema.clone());
        for r in &self.references {
            source = source.with_dependency(r.reference.name.clone(), r.schema.schema.clone());
        }
        source
    }
}

/// The file name a root `.proto` text is compiled as (unless a reference takes it).
const ROOT_PROTO: &str = "schema.proto";

/// Serves the files of a resolved Protobuf schema to protox: the root, its references (text or
/// base64 descriptors, named by their import paths) and `confluent/meta.proto`.
struct ReferenceFiles {
    root_name: String,
    resolved: ResolvedSchema,
}

impl protox::file::FileResolver for ReferenceFiles {
    fn open_file(&self, name: &str) -> std::result::Result<protox::file::File, protox::Error> {
        if name == self.root_name {
            return protox::file::File::from_source(name, &self.resolved.schema.schema);
        }
        if let Some(r) = self.resolved.reference(name) {
            let text = &r.schema.schema;
            if let Some(mut fd) = decode_descriptor(text) {
                fd.name = Some(name.to_string());
                return Ok(protox::file::File::from_file_descriptor_proto(fd));
            }
            return protox::file::File::from_source(name, text);
        }
        if name == "confluent/meta.proto" {
            return protox::file::File::from_source(
                name,
                crate::schema::proto::CONFLUENT_META_PROTO,
            );
        }
        Err(protox::Error::file_not_found(name))
    }
}

/// A base64 serialized `FileDescriptorProto` (what Python's client registers), when `text` is
/// one rather than `.proto` text.
fn decode_descriptor(text: &str) -> Option<prost_types::FileDescriptorProto> {
    use base64::Engine as _;
    use prost::Message as _;
    let text = text.trim();
    if text.contains(';') || text.contains('{') {
        return None;
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text)
        .ok()?;
    prost_types::FileDescriptorProto::decode(bytes.as_slice()).ok()
}

/// The first field-1 (length-delimited) entry of a serialized message: the first file of a
/// serialized `FileDescriptorSet`.
fn first_file(mut set: &[u8]) -> Option<&[u8]> {
    use prost::encoding::{decode_varint, WireType};
    while !set.is_empty() {
        let key = decode_varint(&mut set).ok()?;
        let (field, wire) = (key >> 3, key & 7);
        let len = match wire {
            w if w == WireType::LengthDelimited as u64 => {
                usize::try_from(decode_varint(&mut set).ok()?).ok()?
            }
            w if w == WireType::Varint as u64 => {
                decode_varint(&mut set).ok()?;
                0
            }
            w if w == WireType::SixtyFourBit as u64 => 8,
            w if w == WireType::ThirtyTwoBit as u64 => 4,
            _ => return None,
        };
        if set.len() < len {
            return None;
        }
        let (value, rest) = set.split_at(len);
        if field == 1 && wire == WireType::LengthDelimited as u64 {
            return Some(value);
        }
        set = rest;
    }
    None
}

impl ResolvedSchema {
    /// The schema as Confluent's `format=serialized` gives a Protobuf schema: base64 of the
    /// serialized `FileDescriptorProto`, compiled from the `.proto` text with its references
    /// (what Python's Protobuf serde reads). A schema registered that way already is answered
    /// as it is; other types are an error.
    ///
    /// ```
    /// use kafka_model::registry::{ResolvedSchema, Schema};
    ///
    /// let resolved = ResolvedSchema {
    ///     schema: Schema::protobuf("syntax = \"proto3\"; package acme; message Ping { int64 seq = 1; }"),
    ///     references: Vec::new(),
    /// };
    /// let b64 = resolved.serialized_protobuf()?;
    /// assert!(!b64.contains("message"));
    /// # Ok::<(), kafka_model::registry::RegistryError>(())
    /// ```
    pub fn serialized_protobuf(&self) -> Result<String> {
        use base64::Engine as _;
        if self.schema.schema_type != SchemaType::Protobuf {
            return Err(invalid(format!(
                "a {} schema has no serialized Protobuf form",
                self.schema.schema_type
            )));
        }
        if decode_descriptor(&self.schema.schema).is_some() {
            return Ok(self.schema.schema.trim().to_string());
        }
        let root_name = if self.reference(ROOT_PROTO).is_some() {
            "kafka-model-root.proto".to_string()
        } else {
            ROOT_PROTO.to_string()
        };
        let mut chain = protox::file::ChainFileResolver::new();
        chain.add(ReferenceFiles {
            root_name: root_name.clone(),
            resolved: self.clone(),
        });
        chain.add(protox::file::GoogleFileResolver::new());
        let mut compiler = protox::Compiler::with_file_resolver(chain);
        compiler.include_imports(false);
        compiler
            .open_file(&root_name)
            .map_err(|e| invalid(format!("Invalid schema: {e}")))?;
        // Encoded by protox itself, which keeps custom options (`confluent.field_meta`, …).
        let set = compiler.encode_file_descriptor_set();
        let file = first_file(&set)
            .ok_or_else(|| invalid("Invalid schema: no file descriptor compiled".into()))?;
        Ok(base64::engine::general_purpose::STANDARD.encode(file))
    }
}

fn invalid(message: String) -> RegistryError {
    RegistryError::InvalidSchema { message }
}

/// The names among `candidates` that `schema` uses directly.
pub(crate) fn used_names<'a>(schema: &Schema, candidates: &[&'a str]) -> Vec<&'a str> {
    let mut used = HashSet::new();
    match schema.schema_type {
        SchemaType::Protobuf => {
            for import in proto_imports(&schema.schema) {
                used.insert(import);
            }
        }
        SchemaType::Avro => {
            if let Ok(json) = serde_json::from_str::<serde_json::Value>(&schema.schema) {
                avro_names(&json, "", &mut used);
            }
        }
        SchemaType::Json => {
            if let Ok(json) = serde_json::from_str::<serde_json::Value>(&schema.schema) {
                json_refs(&json, &mut used);
            }
        }
    }
    candidates
        .iter()
        .copied()
        .filter(|c| used.contains(*c))
        .collect()
}

/// The import paths of a `.proto` text, or of base64 of a serialized `FileDescriptorProto`.
fn proto_imports(text: &str) -> Vec<String> {
    if let Ok(file) = protox::file::File::from_source("schema.proto", text) {
        return file.file_descriptor_proto().dependency.clone();
    }
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()
        .and_then(|bytes| protox::file::File::decode_file_descriptor_proto(bytes.as_slice()).ok())
        .map(|file| file.file_descriptor_proto().dependency.clone())
        .unwrap_or_default()
}

const AVRO_PRIMITIVES: [&str; 8] = [
    "null", "boolean", "int", "long", "float", "double", "bytes", "string",
];

/// Collects the full names an Avro schema refers to (declared or used), resolving short names
/// against the enclosing namespace.
fn avro_names(json: &serde_json::Value, namespace: &str, out: &mut HashSet<String>) {
    use serde_json::Value;
    let full = |name: &str, ns: &str| {
        if name.contains('.') || ns.is_empty() {
            name.to_string()
        } else {
            format!("{ns}.{name}")
        }
    };
    match json {
        Value::String(name) if !AVRO_PRIMITIVES.contains(&name.as_str()) => {
            out.insert(full(name, namespace));
            out.insert(name.clone());
        }
        Value::Array(branches) => branches.iter().for_each(|b| avro_names(b, namespace, out)),
        Value::Object(map) => {
            let kind = map.get("type");
            match kind.and_then(Value::as_str) {
                Some("record" | "error" | "enum" | "fixed") => {
                    let name = map.get("name").and_then(Value::as_str).unwrap_or_default();
                    let ns = match name.rsplit_once('.') {
                        Some((ns, _)) => ns.to_string(),
                        None => map
                            .get("namespace")
                            .and_then(Value::as_str)
                            .unwrap_or(namespace)
                            .to_string(),
                    };
                    if let Some(fields) = map.get("fields").and_then(Value::as_array) {
                        for field in fields {
                            if let Some(t) = field.get("type") {
                                avro_names(t, &ns, out);
                            }
                        }
                    }
                }
                Some("array") => {
                    if let Some(items) = map.get("items") {
                        avro_names(items, namespace, out);
                    }
                }
                Some("map") => {
                    if let Some(values) = map.get("values") {
                        avro_names(values, namespace, out);
                    }
                }
                _ => {
                    if let Some(t) = kind {
                        avro_names(t, namespace, out);
                    }
                }
            }
        }
        _ => {}
    }
}

/// Collects the `$ref` values of a JSON Schema (also without their `#fragment`).
fn json_refs(json: &serde_json::Value, out: &mut HashSet<String>) {
    use serde_json::Value;
    match json {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => {
                        out.insert(r.clone());
                        if let Some((base, _)) = r.split_once('#') {
                            out.insert(base.to_string());
                        }
                    }
                    _ => json_refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| json_refs(v, out)),
        _ => {}
    }
}

/// How to register a [`SchemaWithDeps`]; indexes point into its `dependencies`.
struct Plan {
    /// Registration order: each dependency after the ones it uses.
    order: Vec<usize>,
    /// The dependencies each dependency uses directly.
    uses: Vec<Vec<usize>>,
    /// The dependencies the root uses directly.
    root_uses: Vec<usize>,
}

/// Works out the [`Plan`]; refuses duplicate names and cycles.
fn plan(graph: &SchemaWithDeps) -> Result<Plan> {
    let deps = &graph.dependencies;
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, d) in deps.iter().enumerate() {
        if let Some(&j) = index.get(d.name.as_str()) {
            if deps[j] != *d {
                return Err(invalid(format!(
                    "Invalid schema: two different dependencies are named `{}`",
                    d.name
                )));
            }
        }
        index.entry(d.name.as_str()).or_insert(i);
    }
    let names: Vec<&str> = index.keys().copied().collect();
    let uses_of = |schema: &Schema| -> Vec<usize> {
        let explicit: HashSet<&str> = schema.references.iter().map(|r| r.name.as_str()).collect();
        let mut used: Vec<usize> = used_names(schema, &names)
            .into_iter()
            .filter(|n| !explicit.contains(n))
            .filter_map(|n| index.get(n).copied())
            .collect();
        used.sort_unstable();
        used
    };
    let uses: Vec<Vec<usize>> = deps.iter().map(|d| uses_of(&d.schema)).collect();
    let root_uses = uses_of(&graph.schema);

    // Depth-first post-order from the root; dependencies nobody uses are registered too (the
    // caller listed them), after the reachable ones.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    let mut marks = vec![Mark::New; deps.len()];
    let mut order = Vec::new();
    let starts: Vec<usize> = root_uses.iter().copied().chain(0..deps.len()).collect();
    for start in starts {
        if marks[start] != Mark::New {
            continue;
        }
        // (node, next child position)
        let mut stack = vec![(start, 0usize)];
        marks[start] = Mark::Active;
        while let Some((node, child)) = stack.last().copied() {
            if let Some(&next) = uses[node].get(child) {
                if let Some(top) = stack.last_mut() {
                    top.1 += 1;
                }
                match marks[next] {
                    Mark::New => {
                        marks[next] = Mark::Active;
                        stack.push((next, 0));
                    }
                    Mark::Active => {
                        return Err(invalid(format!(
                            "Invalid schema: dependencies `{}` and `{}` reference each other",
                            deps[node].name, deps[next].name
                        )))
                    }
                    Mark::Done => {}
                }
            } else {
                marks[node] = Mark::Done;
                order.push(node);
                stack.pop();
            }
        }
    }
    Ok(Plan {
        order,
        uses,
        root_uses,
    })
}

/// See [`SchemaRegistry::register_with_references`].
pub(crate) async fn register_with_references<R: SchemaRegistry + ?Sized>(
    registry: &R,
    subject: &str,
    graph: &SchemaWithDeps,
    normalize: bool,
) -> Result<super::Registration> {
    let Plan {
        order,
        uses,
        root_uses,
    } = plan(graph)?;
    let deps = &graph.dependencies;
    let mut registered: HashMap<usize, SchemaReference> = HashMap::new();
    let with_refs =
        |schema: &Schema, used: &[usize], registered: &HashMap<usize, SchemaReference>| {
            let mut schema = schema.clone();
            for i in used {
                if let Some(r) = registered.get(i) {
                    if !schema.references.contains(r) {
                        schema.references.push(r.clone());
                    }
                }
            }
            schema
        };
    for i in order {
        let dep = &deps[i];
        let schema = with_refs(&dep.schema, &uses[i], &registered);
        let reg = registry.register(&dep.subject, &schema, normalize).await?;
        let version = match reg.version {
            Some(v) => v,
            // Older servers answer only the id: ask for the version.
            None => {
                registry
                    .lookup(&dep.subject, &schema, normalize, false)
                    .await?
                    .version
            }
        };
        tracing::debug!(name = %dep.name, subject = %dep.subject, id = reg.id, version, "registered a referenced schema");
        registered.insert(
            i,
            SchemaReference::new(dep.name.clone(), dep.subject.clone(), version),
        );
    }
    let root = with_refs(&graph.schema, &root_uses, &registered);
    registry.register(subject, &root, normalize).await
}

/// See [`SchemaRegistry::schema_with_references`].
pub(crate) async fn schema_with_references<R: SchemaRegistry + ?Sized>(
    registry: &R,
    id: i64,
    subject: Option<&str>,
    format: Option<&str>,
) -> Result<ResolvedSchema> {
    let schema = registry.schema_by_id(id, subject, format).await?;
    resolve(registry, schema, &format!("schema {id}")).await
}

/// Resolves the references of a schema (see [`schema_with_references`]); `what` names it in
/// errors.
pub(crate) async fn resolve<R: SchemaRegistry + ?Sized>(
    registry: &R,
    schema: Schema,
    what: &str,
) -> Result<ResolvedSchema> {
    type Key = (String, i32);
    // Fetch every reachable subject version, breadth first, each once.
    let mut fetched: HashMap<Key, (SchemaReference, i64, Schema)> = HashMap::new();
    let mut frontier: Vec<SchemaReference> = schema.references.clone();
    let mut depth = 0usize;
    while !frontier.is_empty() {
        depth += 1;
        if depth > MAX_REFERENCE_DEPTH {
            return Err(invalid(format!(
                "Invalid schema: references of {what} nest deeper than {MAX_REFERENCE_DEPTH} levels"
            )));
        }
        let mut next = Vec::new();
        for r in frontier {
            let key = (r.subject.clone(), r.version);
            if fetched.contains_key(&key) {
                continue;
            }
            if fetched.len() >= MAX_REFERENCED_SCHEMAS {
                return Err(invalid(format!(
                    "Invalid schema: {what} references more than {MAX_REFERENCED_SCHEMAS} schemas"
                )));
            }
            let found = registry
                .version(&r.subject, Version::Number(r.version), false)
                .await?;
            next.extend(found.schema.references.iter().cloned());
            fetched.insert(key, (r, found.id, found.schema));
        }
        frontier = next;
    }
    // Order them dependencies first (post-order from the root's references), cycle-safe.
    let mut out = Vec::with_capacity(fetched.len());
    let mut done: BTreeSet<Key> = BTreeSet::new();
    let mut stack: Vec<(Key, bool)> = schema
        .references
        .iter()
        .rev()
        .map(|r| ((r.subject.clone(), r.version), false))
        .collect();
    while let Some((key, expanded)) = stack.pop() {
        if done.contains(&key) {
            continue;
        }
        let Some((_, _, s)) = fetched.get(&key) else {
            continue;
        };
        if expanded {
            done.insert(key.clone());
            if let Some((r, id, s)) = fetched.get(&key) {
                out.push(ResolvedReference {
                    reference: r.clone(),
                    id: *id,
                    schema: s.clone(),
                });
            }
            continue;
        }
        let children: Vec<(Key, bool)> = s
            .references
            .iter()
            .rev()
            .map(|r| ((r.subject.clone(), r.version), false))
            .filter(|(k, _)| !done.contains(k) && *k != key)
            .collect();
        stack.push((key, true));
        // A cycle would push the same keys forever: an expanded key is never expanded again.
        for child in children {
            if !stack.iter().any(|(k, e)| *e && *k == child.0) {
                stack.push(child);
            }
        }
    }
    Ok(ResolvedSchema {
        schema,
        references: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn avro_names_resolve_namespaces() {
        let json: serde_json::Value = serde_json::from_str(
            r#"{"type":"record","name":"Order","namespace":"acme","fields":[
                {"name":"a","type":"Money"},
                {"name":"b","type":["null","other.Thing"]},
                {"name":"c","type":{"type":"array","items":"Line"}},
                {"name":"d","type":{"type":"map","values":{"type":"string"}}}]}"#,
        )
        .unwrap_or_default();
        let mut out = HashSet::new();
        avro_names(&json, "", &mut out);
        for name in ["acme.Money", "other.Thing", "acme.Line"] {
            assert!(out.contains(name), "{name} in {out:?}");
        }
        assert!(!out.contains("string"));
    }

    #[test]
    fn plan_orders_dependencies_and_rejects_cycles() {
        let a = Schema::protobuf("syntax = \"proto3\"; import \"b.proto\"; message A { B b = 1; }");
        let b = Schema::protobuf("syntax = \"proto3\"; import \"c.proto\"; message B { C c = 1; }");
        let c = Schema::protobuf("syntax = \"proto3\"; message C {}");
        let graph = SchemaWithDeps::new(a.clone())
            .with_dependency("b.proto", "b", b.clone())
            .with_dependency("c.proto", "c", c);
        let planned = plan(&graph).expect("plan");
        assert_eq!(planned.order, vec![1, 0]);
        assert_eq!(planned.root_uses, vec![0]);

        let cyclic_c =
            Schema::protobuf("syntax = \"proto3\"; import \"b.proto\"; message C { B b = 1; }");
        let graph = SchemaWithDeps::new(a)
            .with_dependency("b.proto", "b", b)
            .with_dependency("c.proto", "c", cyclic_c);
        assert!(matches!(
            plan(&graph),
            Err(RegistryError::InvalidSchema { .. })
        ));
    }
}
