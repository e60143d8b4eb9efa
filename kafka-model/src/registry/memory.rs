//! The embedded, in-process registry with a Confluent server's semantics.
//!
//! What it does as Confluent does (unlike Python's `mock://` client):
//! - one **global id per schema content**: the same schema under two subjects has one id, and
//!   registering it again answers the existing id and version;
//! - versions per subject, starting at 1; `latest` is the newest live version;
//! - **soft delete, then permanent delete** of versions and subjects, with the real error
//!   codes (40401 subject, 40402 version, 40403 schema, 40404–40407 delete order, 42206 still
//!   referenced);
//! - schemas are parsed before they are stored (invalid ones answer 42201): Avro with
//!   apache-avro (references resolved from their subjects), JSON Schema against its draft's
//!   meta-schema, Protobuf as
//!   `.proto` text (parsed with protox, imports not resolved) or as base64 of a serialized
//!   `FileDescriptorProto` (what Python's client registers);
//! - compatibility levels, global and per subject (default `BACKWARD`), checked by a pluggable
//!   [`CompatibilityChecker`] (default [`LocalChecker`]: this crate's checker, [`crate::compat`]);
//! - modes (`READONLY` refuses writes with 42205).
//!
//! Schema identity: Avro and JSON schemas are compared after re-serialising their JSON
//! compactly (whitespace does not make a new id); Protobuf text is compared as given (trimmed).
//! The `normalize` flag is accepted and has no further effect; `format` is ignored.
//!
//! [`MemoryRegistry::new`] keeps everything in memory; [`MemoryRegistry::open`] also keeps it in
//! a file, crash-safe (every mutation is journaled and fsynced before it is answered; see
//! [`super::persist`]).

// Over 800 lines: the registry's semantics (ids, versions, references, modes, levels, deletes) are
// one state machine under one lock.

use std::collections::hash_map::RandomState;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;

use super::checker::{CompatibilityChecker, LocalChecker};
use super::persist::{
    NewSchema, Op, PersistError, PersistOptions, Snapshot, SnapshotSchema, SnapshotVersion, Store,
};
use super::{
    CompatibilityLevel, CompatibilityResult, Mode, RegisteredSchema, Registration, RegistryError,
    Result, Schema, SchemaReference, SchemaRegistry, SchemaType, SubjectVersion, Version,
};

type ContentKey = (SchemaType, String, Vec<SchemaReference>);

#[derive(Debug)]
struct Stored {
    schema: Schema,
    guid: String,
    /// The identity text (the content key's text).
    identity: String,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    id: i64,
    deleted: bool,
}

#[derive(Debug)]
struct State {
    next_id: i64,
    schemas: HashMap<i64, Stored>,
    by_content: HashMap<ContentKey, i64>,
    by_guid: HashMap<String, i64>,
    subjects: BTreeMap<String, BTreeMap<i32, Entry>>,
    global_level: CompatibilityLevel,
    subject_levels: HashMap<String, CompatibilityLevel>,
    global_mode: Mode,
    subject_modes: HashMap<String, Mode>,
}

impl Default for State {
    fn default() -> Self {
        State {
            next_id: 1,
            schemas: HashMap::new(),
            by_content: HashMap::new(),
            by_guid: HashMap::new(),
            subjects: BTreeMap::new(),
            global_level: CompatibilityLevel::Backward,
            subject_levels: HashMap::new(),
            global_mode: Mode::ReadWrite,
            subject_modes: HashMap::new(),
        }
    }
}

/// The embedded registry. Cheap to clone: clones share one store.
///
/// ```
/// use kafka_model::registry::{MemoryRegistry, RegistryError, Schema, SchemaRegistry, Version};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), RegistryError> {
/// let r = MemoryRegistry::new();
/// let v1 = Schema::avro(r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#);
/// r.register("t-value", &v1, false).await?;
/// // BACKWARD (the default) refuses a new field without a default:
/// let v2 = Schema::avro(r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}"#);
/// assert!(matches!(r.register("t-value", &v2, false).await, Err(RegistryError::Incompatible { .. })));
/// // Deleting needs a soft delete first:
/// assert!(matches!(r.delete_subject("t-value", true).await, Err(RegistryError::SubjectNotSoftDeleted { .. })));
/// assert_eq!(r.delete_subject("t-value", false).await?, vec![1]);
/// assert!(matches!(r.version("t-value", Version::Latest, false).await, Err(RegistryError::SubjectNotFound { .. })));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct MemoryRegistry {
    state: Arc<Mutex<State>>,
    checker: Arc<dyn CompatibilityChecker>,
    /// The files of a persistent registry ([`MemoryRegistry::open`]).
    store: Option<Arc<Store>>,
}

impl Default for MemoryRegistry {
    fn default() -> Self {
        MemoryRegistry::new()
    }
}

impl MemoryRegistry {
    /// An empty registry with the default checker ([`LocalChecker`]).
    pub fn new() -> Self {
        MemoryRegistry {
            state: Arc::new(Mutex::new(State::default())),
            checker: Arc::new(LocalChecker),
            store: None,
        }
    }

    /// A registry kept in the file `path` (created when missing, with its directory), loaded
    /// from it when it exists: the snapshot `path` plus the journal `path.journal` (see
    /// [`super::persist`]). Every mutation is on disk before it is answered.
    ///
    /// ```
    /// use kafka_model::registry::{MemoryRegistry, Schema, SchemaRegistry};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let dir = std::env::temp_dir().join(format!("kafka-model-open-doc-{}", std::process::id()));
    /// let file = dir.join("registry.json");
    /// let registry = MemoryRegistry::open(&file)?;
    /// let reg = registry.register("t-value", &Schema::avro(r#""long""#), false).await?;
    /// drop(registry);
    /// let again = MemoryRegistry::open(&file)?;
    /// assert_eq!(again.latest("t-value").await?.id, reg.id);
    /// # drop(again);
    /// # std::fs::remove_dir_all(&dir)?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<Self, PersistError> {
        Self::open_with(path, PersistOptions::default())
    }

    /// [`MemoryRegistry::open`] with options (how often the journal is compacted).
    pub fn open_with(
        path: impl AsRef<Path>,
        options: PersistOptions,
    ) -> Result<Self, PersistError> {
        let path = path.as_ref();
        let (store, loaded) = Store::open(path, options)?;
        let mut state = match loaded.snapshot {
            Some(snapshot) => State::from_snapshot(snapshot),
            None => State::default(),
        };
        let replayed = loaded.ops.len();
        for op in loaded.ops {
            state.apply(op);
        }
        // Start from a fresh snapshot and an empty journal (which also drops a torn last line).
        store.compact(|seq| state.to_snapshot(seq))?;
        tracing::debug!(path = %path.display(), replayed, "opened persistent registry");
        Ok(MemoryRegistry {
            state: Arc::new(Mutex::new(state)),
            checker: Arc::new(LocalChecker),
            store: Some(Arc::new(store)),
        })
    }

    /// The snapshot file of a persistent registry (`None` in memory only).
    ///
    /// ```
    /// use kafka_model::registry::MemoryRegistry;
    /// assert!(MemoryRegistry::new().data_path().is_none());
    /// ```
    pub fn data_path(&self) -> Option<&Path> {
        self.store.as_deref().map(Store::path)
    }

    /// Writes the whole state to the snapshot now and empties the journal (nothing to do in
    /// memory only). Not needed for durability, which every mutation has already; it makes the
    /// next open faster, and is what a clean shutdown does.
    ///
    /// ```
    /// use kafka_model::registry::MemoryRegistry;
    /// MemoryRegistry::new().compact()?;
    /// # Ok::<(), kafka_model::registry::PersistError>(())
    /// ```
    pub fn compact(&self) -> Result<(), PersistError> {
        match &self.store {
            Some(store) => {
                let st = self.lock();
                store.compact(|seq| st.to_snapshot(seq))
            }
            None => Ok(()),
        }
    }

    /// Journals `op` (persistent registries), then applies it. Called with the state locked;
    /// answers the journal entry to [`MemoryRegistry::sync`] once the lock is released.
    fn commit(&self, st: &mut State, op: Op) -> Result<Option<u64>> {
        let Some(store) = &self.store else {
            st.apply(op);
            return Ok(None);
        };
        let seq = store.append(&op).map_err(persist_failed)?;
        st.apply(op);
        if store.wants_compaction() {
            if let Err(e) = store.compact(|seq| st.to_snapshot(seq)) {
                // The journal still holds everything: keep going, try again next time.
                tracing::warn!(error = %e, "registry journal compaction failed");
            }
        }
        Ok(Some(seq))
    }

    /// Waits until everything journaled so far is on disk.
    fn sync_written(&self) -> Result<()> {
        match &self.store {
            Some(store) => store.sync(store.written()).map_err(persist_failed),
            None => Ok(()),
        }
    }

    /// Waits until the journal entry of a mutation is on disk.
    fn sync(&self, seq: Option<u64>) -> Result<()> {
        match (&self.store, seq) {
            (Some(store), Some(seq)) => store.sync(seq).map_err(persist_failed),
            _ => Ok(()),
        }
    }

    /// Replaces the compatibility checker (for example with the one of [`crate::compat`]).
    pub fn with_checker(mut self, checker: impl CompatibilityChecker + 'static) -> Self {
        self.checker = Arc::new(checker);
        self
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the maps half-updated in a way that
        // matters more than losing the registry; keep serving.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A journal write failed: Confluent's 50001, "error in the backend data store".
fn persist_failed(e: PersistError) -> RegistryError {
    tracing::error!(error = %e, "registry persistence failed");
    RegistryError::Api {
        status: 500,
        error_code: 50001,
        message: format!("Error in the backend data store: {e}"),
    }
}

fn subject_not_found(subject: &str) -> RegistryError {
    RegistryError::SubjectNotFound {
        message: format!("Subject '{subject}' not found."),
    }
}

fn version_not_found(subject: &str, version: impl std::fmt::Display) -> RegistryError {
    RegistryError::VersionNotFound {
        message: format!("Version {version} not found for subject '{subject}'."),
    }
}

fn schema_not_found(what: impl std::fmt::Display) -> RegistryError {
    RegistryError::SchemaNotFound {
        message: format!("Schema {what} not found"),
    }
}

fn new_guid() -> String {
    let a = RandomState::new().hash_one(0u8);
    let b = RandomState::new().hash_one(1u8);
    let bytes: [u8; 16] = {
        let mut out = [0u8; 16];
        out[..8].copy_from_slice(&a.to_be_bytes());
        out[8..].copy_from_slice(&b.to_be_bytes());
        out[6] = (out[6] & 0x0f) | 0x40;
        out[8] = (out[8] & 0x3f) | 0x80;
        out
    };
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Parses a schema (with the texts of its resolved references) and answers its identity text.
fn canonical(schema: &Schema, resolved: &[String]) -> Result<String> {
    let invalid = |message: String| RegistryError::InvalidSchema {
        message: format!("Invalid schema: {message}"),
    };
    match schema.schema_type {
        SchemaType::Avro => {
            apache_avro::Schema::parse_str_with_list(&schema.schema, resolved.iter())
                .map_err(|e| invalid(e.to_string()))?;
            let json: serde_json::Value =
                serde_json::from_str(&schema.schema).map_err(|e| invalid(e.to_string()))?;
            Ok(json.to_string())
        }
        SchemaType::Json => {
            // Against its draft's meta-schema, as Confluent does (`{"type": 12}` is 42201);
            // without references its `$ref`s must also resolve inside it.
            let checked = if resolved.is_empty() {
                crate::compat::json::validate_schema(&schema.schema)
            } else {
                crate::compat::json::validate_meta_schema(&schema.schema).map(|_| ())
            };
            checked.map_err(|e| invalid(e.to_string()))?;
            let json: serde_json::Value =
                serde_json::from_str(&schema.schema).map_err(|e| invalid(e.to_string()))?;
            Ok(json.to_string())
        }
        SchemaType::Protobuf => {
            let text = schema.schema.trim();
            match protox::file::File::from_source("schema.proto", text) {
                Ok(_) => Ok(text.to_string()),
                Err(parse_error) => {
                    use base64::Engine as _;
                    let decoded = base64::engine::general_purpose::STANDARD
                        .decode(text)
                        .ok()
                        .and_then(|bytes| {
                            protox::file::File::decode_file_descriptor_proto(bytes.as_slice()).ok()
                        });
                    match decoded {
                        Some(_) => Ok(text.to_string()),
                        None => Err(invalid(parse_error.to_string())),
                    }
                }
            }
        }
    }
}

impl State {
    /// Applies one mutation (live, and when replaying the journal).
    fn apply(&mut self, op: Op) {
        match op {
            Op::Register {
                subject,
                version,
                id,
                new,
            } => {
                if let Some(new) = new {
                    self.next_id = self.next_id.max(id.saturating_add(1));
                    self.by_guid.insert(new.guid.clone(), id);
                    self.by_content.insert(
                        (
                            new.schema.schema_type,
                            new.identity.clone(),
                            new.schema.references.clone(),
                        ),
                        id,
                    );
                    self.schemas.insert(
                        id,
                        Stored {
                            schema: new.schema,
                            guid: new.guid,
                            identity: new.identity,
                        },
                    );
                }
                self.subjects
                    .entry(subject)
                    .or_default()
                    .insert(version, Entry { id, deleted: false });
            }
            Op::SoftDeleteSubject { subject } => {
                if let Some(vs) = self.subjects.get_mut(&subject) {
                    vs.values_mut().for_each(|e| e.deleted = true);
                }
            }
            Op::DeleteSubject { subject } => {
                self.subjects.remove(&subject);
                self.subject_levels.remove(&subject);
                self.subject_modes.remove(&subject);
            }
            Op::SoftDeleteVersion { subject, version } => {
                if let Some(e) = self
                    .subjects
                    .get_mut(&subject)
                    .and_then(|vs| vs.get_mut(&version))
                {
                    e.deleted = true;
                }
            }
            Op::DeleteVersion { subject, version } => {
                if let Some(vs) = self.subjects.get_mut(&subject) {
                    vs.remove(&version);
                    if vs.is_empty() {
                        self.subjects.remove(&subject);
                    }
                }
            }
            Op::SetConfig { subject, level } => match subject {
                None => self.global_level = level,
                Some(s) => {
                    self.subject_levels.insert(s, level);
                }
            },
            Op::DeleteConfig { subject } => match subject {
                None => self.global_level = CompatibilityLevel::Backward,
                Some(s) => {
                    self.subject_levels.remove(&s);
                }
            },
            Op::SetMode { subject, mode } => match subject {
                None => self.global_mode = mode,
                Some(s) => {
                    self.subject_modes.insert(s, mode);
                }
            },
            Op::DeleteMode { subject } => match subject {
                None => self.global_mode = Mode::ReadWrite,
                Some(s) => {
                    self.subject_modes.remove(&s);
                }
            },
        }
    }

    /// The whole state, sorted, as of journal entry `seq`.
    fn to_snapshot(&self, seq: u64) -> Snapshot {
        let mut schemas: Vec<SnapshotSchema> = self
            .schemas
            .iter()
            .map(|(id, s)| SnapshotSchema {
                id: *id,
                guid: s.guid.clone(),
                identity: s.identity.clone(),
                schema: s.schema.clone(),
            })
            .collect();
        schemas.sort_by_key(|s| s.id);
        Snapshot {
            format: Snapshot::format(),
            seq,
            next_id: self.next_id,
            global_level: self.global_level,
            global_mode: self.global_mode,
            schemas,
            subjects: self
                .subjects
                .iter()
                .map(|(s, vs)| {
                    let versions = vs
                        .iter()
                        .map(|(v, e)| SnapshotVersion {
                            version: *v,
                            id: e.id,
                            deleted: e.deleted,
                        })
                        .collect();
                    (s.clone(), versions)
                })
                .collect(),
            subject_levels: self
                .subject_levels
                .iter()
                .map(|(s, l)| (s.clone(), *l))
                .collect(),
            subject_modes: self
                .subject_modes
                .iter()
                .map(|(s, m)| (s.clone(), *m))
                .collect(),
        }
    }

    fn from_snapshot(snapshot: Snapshot) -> State {
        let mut state = State {
            next_id: snapshot.next_id.max(1),
            global_level: snapshot.global_level,
            global_mode: snapshot.global_mode,
            subject_levels: snapshot.subject_levels.into_iter().collect(),
            subject_modes: snapshot.subject_modes.into_iter().collect(),
            ..State::default()
        };
        for s in snapshot.schemas {
            state.next_id = state.next_id.max(s.id.saturating_add(1));
            state.by_guid.insert(s.guid.clone(), s.id);
            state.by_content.insert(
                (
                    s.schema.schema_type,
                    s.identity.clone(),
                    s.schema.references.clone(),
                ),
                s.id,
            );
            state.schemas.insert(
                s.id,
                Stored {
                    schema: s.schema,
                    guid: s.guid,
                    identity: s.identity,
                },
            );
        }
        for (subject, versions) in snapshot.subjects {
            let versions: BTreeMap<i32, Entry> = versions
                .into_iter()
                .map(|v| {
                    (
                        v.version,
                        Entry {
                            id: v.id,
                            deleted: v.deleted,
                        },
                    )
                })
                .collect();
            if !versions.is_empty() {
                state.subjects.insert(subject, versions);
            }
        }
        state
    }

    fn live_versions(&self, subject: &str) -> Vec<(i32, i64)> {
        self.subjects
            .get(subject)
            .map(|vs| {
                vs.iter()
                    .filter(|(_, e)| !e.deleted)
                    .map(|(v, e)| (*v, e.id))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn level(&self, subject: &str) -> CompatibilityLevel {
        self.subject_levels
            .get(subject)
            .copied()
            .unwrap_or(self.global_level)
    }

    fn mode(&self, subject: &str) -> Mode {
        self.subject_modes
            .get(subject)
            .copied()
            .unwrap_or(self.global_mode)
    }

    /// The texts of every schema `references` points to, transitively, dependencies first.
    fn resolve_references(&self, references: &[SchemaReference]) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let mut seen = Vec::new();
        self.resolve_into(references, &mut out, &mut seen, 0)?;
        Ok(out)
    }

    fn resolve_into(
        &self,
        references: &[SchemaReference],
        out: &mut Vec<String>,
        seen: &mut Vec<i64>,
        depth: usize,
    ) -> Result<()> {
        if depth > 64 {
            return Err(RegistryError::InvalidSchema {
                message: "Invalid schema: references nest deeper than 64 levels".into(),
            });
        }
        for r in references {
            let id = self
                .subjects
                .get(&r.subject)
                .and_then(|vs| vs.get(&r.version))
                .map(|e| e.id)
                .ok_or_else(|| RegistryError::InvalidSchema {
                    message: format!(
                        "Invalid schema: reference `{}` to subject '{}' version {} not found",
                        r.name, r.subject, r.version
                    ),
                })?;
            if seen.contains(&id) {
                continue;
            }
            seen.push(id);
            if let Some(stored) = self.schemas.get(&id) {
                self.resolve_into(&stored.schema.references, out, seen, depth + 1)?;
                out.push(stored.schema.schema.clone());
            }
        }
        Ok(())
    }

    fn content_key(&self, schema: &Schema) -> Result<(ContentKey, Vec<String>)> {
        let resolved = self.resolve_references(&schema.references)?;
        let text = canonical(schema, &resolved)?;
        Ok((
            (schema.schema_type, text, schema.references.clone()),
            resolved,
        ))
    }

    fn registered(&self, subject: &str, version: i32, id: i64) -> Result<RegisteredSchema> {
        let stored = self.schemas.get(&id).ok_or_else(|| schema_not_found(id))?;
        Ok(RegisteredSchema {
            subject: subject.to_string(),
            id,
            version,
            guid: Some(stored.guid.clone()),
            schema: stored.schema.clone(),
        })
    }

    fn resolve_version(
        &self,
        subject: &str,
        version: Version,
        deleted: bool,
    ) -> Result<(i32, Entry)> {
        let versions = self
            .subjects
            .get(subject)
            .filter(|vs| deleted || vs.values().any(|e| !e.deleted))
            .ok_or_else(|| subject_not_found(subject))?;
        match version {
            Version::Latest => versions
                .iter()
                .rev()
                .find(|(_, e)| deleted || !e.deleted)
                .map(|(v, e)| (*v, *e))
                .ok_or_else(|| subject_not_found(subject)),
            Version::Number(n) => versions
                .get(&n)
                .filter(|e| deleted || !e.deleted)
                .map(|e| (n, *e))
                .ok_or_else(|| version_not_found(subject, n)),
        }
    }

    /// Ids of live schemas that reference `subject` version `version`.
    fn referencing_ids(&self, subject: &str, version: i32) -> Vec<i64> {
        let mut ids: Vec<i64> = self
            .subjects
            .values()
            .flat_map(|vs| vs.values())
            .filter(|e| !e.deleted)
            .map(|e| e.id)
            .filter(|id| {
                self.schemas.get(id).is_some_and(|s| {
                    s.schema
                        .references
                        .iter()
                        .any(|r| r.subject == subject && r.version == version)
                })
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    fn id_in_use(&self, id: i64) -> bool {
        self.subjects
            .values()
            .any(|vs| vs.values().any(|e| e.id == id))
    }

    fn check(
        &self,
        checker: &dyn CompatibilityChecker,
        level: CompatibilityLevel,
        schema: &Schema,
        mut previous_ids: Vec<i64>,
        resolved: &[String],
    ) -> Vec<String> {
        if !level.is_transitive() && previous_ids.len() > 1 {
            previous_ids = previous_ids.split_off(previous_ids.len() - 1);
        }
        let previous: Vec<&Schema> = previous_ids
            .iter()
            .filter_map(|id| self.schemas.get(id).map(|s| &s.schema))
            .collect();
        if previous.is_empty() || level == CompatibilityLevel::None {
            return Vec::new();
        }
        let mut resolved = resolved.to_vec();
        for p in &previous {
            if let Ok(more) = self.resolve_references(&p.references) {
                resolved.extend(more);
            }
        }
        resolved.sort();
        resolved.dedup();
        checker.check(level, schema, &previous, &resolved)
    }
}

#[async_trait]
impl SchemaRegistry for MemoryRegistry {
    async fn schema_types(&self) -> Result<Vec<SchemaType>> {
        Ok(SchemaType::ALL.to_vec())
    }

    async fn subjects(&self, deleted: bool) -> Result<Vec<String>> {
        let st = self.lock();
        Ok(st
            .subjects
            .iter()
            .filter(|(_, vs)| deleted || vs.values().any(|e| !e.deleted))
            .map(|(s, _)| s.clone())
            .collect())
    }

    async fn versions(&self, subject: &str, deleted: bool) -> Result<Vec<i32>> {
        let st = self.lock();
        let versions: Vec<i32> = st
            .subjects
            .get(subject)
            .map(|vs| {
                vs.iter()
                    .filter(|(_, e)| deleted || !e.deleted)
                    .map(|(v, _)| *v)
                    .collect()
            })
            .unwrap_or_default();
        if versions.is_empty() {
            return Err(subject_not_found(subject));
        }
        Ok(versions)
    }

    async fn version(
        &self,
        subject: &str,
        version: Version,
        deleted: bool,
    ) -> Result<RegisteredSchema> {
        let st = self.lock();
        let (v, e) = st.resolve_version(subject, version, deleted)?;
        st.registered(subject, v, e.id)
    }

    async fn register(
        &self,
        subject: &str,
        schema: &Schema,
        _normalize: bool,
    ) -> Result<Registration> {
        let mut st = self.lock();
        let mode = st.mode(subject);
        if matches!(mode, Mode::ReadOnly | Mode::ReadOnlyOverride) {
            return Err(RegistryError::OperationNotPermitted {
                message: format!("Subject {subject} is in read-only mode"),
            });
        }
        let (key, resolved) = st.content_key(schema)?;
        let existing_id = st.by_content.get(&key).copied();
        let live = st.live_versions(subject);
        if let Some(id) = existing_id {
            if let Some((v, _)) = live.iter().find(|(_, i)| *i == id) {
                let guid = st.schemas.get(&id).map(|s| s.guid.clone());
                let version = *v;
                drop(st);
                // Another call may have made it and not be on disk yet: answer once it is.
                self.sync_written()?;
                return Ok(Registration {
                    id,
                    version: Some(version),
                    guid,
                });
            }
        }
        let level = st.level(subject);
        let previous_ids: Vec<i64> = live.iter().map(|(_, id)| *id).collect();
        let messages = st.check(&*self.checker, level, schema, previous_ids, &resolved);
        if !messages.is_empty() {
            return Err(RegistryError::Incompatible {
                message: format!(
                    "Schema being registered is incompatible with an earlier schema for subject \"{subject}\", details: [{}]",
                    messages.join(", ")
                ),
            });
        }
        let (id, new) = match existing_id {
            Some(id) => (id, None),
            None => {
                let (_, identity, _) = key;
                let new = NewSchema {
                    schema: schema.clone(),
                    guid: new_guid(),
                    identity,
                };
                (st.next_id, Some(new))
            }
        };
        let version = st
            .subjects
            .get(subject)
            .and_then(|vs| vs.keys().next_back())
            .map_or(1, |v| v + 1);
        let op = Op::Register {
            subject: subject.to_string(),
            version,
            id,
            new,
        };
        let seq = self.commit(&mut st, op)?;
        let guid = st.schemas.get(&id).map(|s| s.guid.clone());
        drop(st);
        self.sync(seq)?;
        tracing::debug!(subject, id, version, "registered schema");
        Ok(Registration {
            id,
            version: Some(version),
            guid,
        })
    }

    async fn lookup(
        &self,
        subject: &str,
        schema: &Schema,
        _normalize: bool,
        deleted: bool,
    ) -> Result<RegisteredSchema> {
        let st = self.lock();
        let versions = st
            .subjects
            .get(subject)
            .filter(|vs| deleted || vs.values().any(|e| !e.deleted))
            .ok_or_else(|| subject_not_found(subject))?;
        let (key, _) = st.content_key(schema)?;
        let not_found = || RegistryError::SchemaNotFound {
            message: "Schema not found".into(),
        };
        let id = *st.by_content.get(&key).ok_or_else(not_found)?;
        let (version, _) = versions
            .iter()
            .find(|(_, e)| e.id == id && (deleted || !e.deleted))
            .ok_or_else(not_found)?;
        st.registered(subject, *version, id)
    }

    async fn schema_by_id(
        &self,
        id: i64,
        _subject: Option<&str>,
        _format: Option<&str>,
    ) -> Result<Schema> {
        let st = self.lock();
        match st.schemas.get(&id) {
            Some(s) if st.id_in_use(id) => Ok(s.schema.clone()),
            _ => Err(schema_not_found(id)),
        }
    }

    async fn schema_by_guid(&self, guid: &str, format: Option<&str>) -> Result<Schema> {
        let id = self
            .lock()
            .by_guid
            .get(guid)
            .copied()
            .ok_or_else(|| schema_not_found(guid))?;
        self.schema_by_id(id, None, format).await
    }

    async fn id_versions(&self, id: i64) -> Result<Vec<SubjectVersion>> {
        let st = self.lock();
        if !st.id_in_use(id) {
            return Err(schema_not_found(id));
        }
        Ok(st
            .subjects
            .iter()
            .flat_map(|(s, vs)| {
                vs.iter()
                    .filter(|(_, e)| e.id == id && !e.deleted)
                    .map(|(v, _)| SubjectVersion {
                        subject: s.clone(),
                        version: *v,
                    })
            })
            .collect())
    }

    async fn id_subjects(&self, id: i64, deleted: bool) -> Result<Vec<String>> {
        let st = self.lock();
        if !st.id_in_use(id) {
            return Err(schema_not_found(id));
        }
        Ok(st
            .subjects
            .iter()
            .filter(|(_, vs)| vs.values().any(|e| e.id == id && (deleted || !e.deleted)))
            .map(|(s, _)| s.clone())
            .collect())
    }

    async fn referenced_by(&self, subject: &str, version: Version) -> Result<Vec<i64>> {
        let st = self.lock();
        let (v, _) = st.resolve_version(subject, version, false)?;
        Ok(st.referencing_ids(subject, v))
    }

    async fn delete_subject(&self, subject: &str, permanent: bool) -> Result<Vec<i32>> {
        let mut st = self.lock();
        let versions = st
            .subjects
            .get(subject)
            .ok_or_else(|| subject_not_found(subject))?;
        let live: Vec<i32> = versions
            .iter()
            .filter(|(_, e)| !e.deleted)
            .map(|(v, _)| *v)
            .collect();
        let all: Vec<i32> = versions.keys().copied().collect();
        if permanent {
            if !live.is_empty() {
                return Err(RegistryError::SubjectNotSoftDeleted {
                    message: format!(
                        "Subject '{subject}' was not deleted first before being permanently deleted"
                    ),
                });
            }
            let op = Op::DeleteSubject {
                subject: subject.to_string(),
            };
            let seq = self.commit(&mut st, op)?;
            drop(st);
            self.sync(seq)?;
            return Ok(all);
        }
        if live.is_empty() {
            return Err(RegistryError::SubjectSoftDeleted {
                message: format!("Subject '{subject}' was soft deleted. Set permanent=true to delete permanently"),
            });
        }
        for v in &live {
            let refs = st.referencing_ids(subject, *v);
            if !refs.is_empty() {
                return Err(RegistryError::ReferenceExists {
                    message: format!(
                        "One or more references exist to the schema {{subject={subject}, version={v}}} (ids {refs:?})"
                    ),
                });
            }
        }
        let op = Op::SoftDeleteSubject {
            subject: subject.to_string(),
        };
        let seq = self.commit(&mut st, op)?;
        drop(st);
        self.sync(seq)?;
        Ok(live)
    }

    async fn delete_version(
        &self,
        subject: &str,
        version: Version,
        permanent: bool,
    ) -> Result<i32> {
        let mut st = self.lock();
        if !permanent {
            // Confluent answers 40406 (not 40402) for a version that is already soft-deleted.
            if let Version::Number(n) = version {
                if let Ok((_, e)) = st.resolve_version(subject, version, true) {
                    if e.deleted {
                        return Err(RegistryError::VersionSoftDeleted {
                            message: format!("Subject '{subject}' Version {n} was soft deleted."),
                        });
                    }
                }
            }
        }
        let (v, entry) = st.resolve_version(subject, version, permanent)?;
        if permanent {
            if !entry.deleted {
                return Err(RegistryError::VersionNotSoftDeleted {
                    message: format!(
                        "Subject '{subject}' Version {v} was not deleted first before being permanently deleted"
                    ),
                });
            }
            let op = Op::DeleteVersion {
                subject: subject.to_string(),
                version: v,
            };
            let seq = self.commit(&mut st, op)?;
            drop(st);
            self.sync(seq)?;
            return Ok(v);
        }
        let refs = st.referencing_ids(subject, v);
        if !refs.is_empty() {
            return Err(RegistryError::ReferenceExists {
                message: format!(
                    "One or more references exist to the schema {{subject={subject}, version={v}}} (ids {refs:?})"
                ),
            });
        }
        let op = Op::SoftDeleteVersion {
            subject: subject.to_string(),
            version: v,
        };
        let seq = self.commit(&mut st, op)?;
        drop(st);
        self.sync(seq)?;
        Ok(v)
    }

    async fn test_compatibility(
        &self,
        subject: &str,
        version: Option<Version>,
        schema: &Schema,
        verbose: bool,
    ) -> Result<CompatibilityResult> {
        let st = self.lock();
        let (_, resolved) = st.content_key(schema)?;
        let level = st.level(subject);
        let (level, previous) = match version {
            Some(version) => {
                // As Confluent: `latest` of a subject with no live version is nothing to
                // check against (compatible); a numbered version that is not there is 40402,
                // whether or not the subject exists.
                let found = match st.resolve_version(subject, version, false) {
                    Ok((_, e)) => Some(e.id),
                    Err(_) if matches!(version, Version::Latest) => None,
                    Err(_) => return Err(version_not_found(subject, version)),
                };
                // Against one version: the direction of the level, without transitivity.
                let level = match level {
                    CompatibilityLevel::BackwardTransitive => CompatibilityLevel::Backward,
                    CompatibilityLevel::ForwardTransitive => CompatibilityLevel::Forward,
                    CompatibilityLevel::FullTransitive => CompatibilityLevel::Full,
                    other => other,
                };
                (level, found.into_iter().collect())
            }
            None => (
                level,
                st.live_versions(subject)
                    .iter()
                    .map(|(_, id)| *id)
                    .collect(),
            ),
        };
        let messages = st.check(&*self.checker, level, schema, previous, &resolved);
        Ok(CompatibilityResult {
            is_compatible: messages.is_empty(),
            messages: if verbose { messages } else { Vec::new() },
        })
    }

    async fn config(
        &self,
        subject: Option<&str>,
        default_to_global: bool,
    ) -> Result<CompatibilityLevel> {
        let st = self.lock();
        match subject {
            None => Ok(st.global_level),
            Some(s) => match st.subject_levels.get(s) {
                Some(l) => Ok(*l),
                None if default_to_global => Ok(st.global_level),
                None => Err(RegistryError::SubjectConfigNotFound {
                    message: format!(
                        "Subject '{s}' does not have subject-level compatibility configured"
                    ),
                }),
            },
        }
    }

    async fn set_config(
        &self,
        subject: Option<&str>,
        level: CompatibilityLevel,
    ) -> Result<CompatibilityLevel> {
        let op = Op::SetConfig {
            subject: subject.map(str::to_string),
            level,
        };
        let seq = self.commit(&mut self.lock(), op)?;
        self.sync(seq)?;
        Ok(level)
    }

    async fn delete_config(&self, subject: Option<&str>) -> Result<CompatibilityLevel> {
        let seq;
        let previous;
        {
            let mut st = self.lock();
            previous = match subject {
                None => st.global_level,
                Some(s) => st.subject_levels.get(s).copied().ok_or_else(|| {
                    RegistryError::SubjectConfigNotFound {
                        message: format!(
                            "Subject '{s}' does not have subject-level compatibility configured"
                        ),
                    }
                })?,
            };
            let op = Op::DeleteConfig {
                subject: subject.map(str::to_string),
            };
            seq = self.commit(&mut st, op)?;
        }
        self.sync(seq)?;
        Ok(previous)
    }

    async fn mode(&self, subject: Option<&str>, default_to_global: bool) -> Result<Mode> {
        let st = self.lock();
        match subject {
            None => Ok(st.global_mode),
            Some(s) => match st.subject_modes.get(s) {
                Some(m) => Ok(*m),
                None if default_to_global => Ok(st.global_mode),
                None => Err(RegistryError::SubjectModeNotFound {
                    message: format!("Subject '{s}' does not have subject-level mode configured"),
                }),
            },
        }
    }

    async fn set_mode(&self, subject: Option<&str>, mode: Mode) -> Result<Mode> {
        let op = Op::SetMode {
            subject: subject.map(str::to_string),
            mode,
        };
        let seq = self.commit(&mut self.lock(), op)?;
        self.sync(seq)?;
        Ok(mode)
    }

    async fn delete_mode(&self, subject: Option<&str>) -> Result<Mode> {
        let seq;
        let previous;
        {
            let mut st = self.lock();
            previous = match subject {
                None => st.global_mode,
                Some(s) => st.subject_modes.get(s).copied().ok_or_else(|| {
                    RegistryError::SubjectModeNotFound {
                        message: format!(
                            "Subject '{s}' does not have subject-level mode configured"
                        ),
                    }
                })?,
            };
            let op = Op::DeleteMode {
                subject: subject.map(str::to_string),
            };
            seq = self.commit(&mut st, op)?;
        }
        self.sync(seq)?;
        Ok(previous)
    }

    async fn contexts(&self) -> Result<Vec<String>> {
        Ok(vec![".".to_string()])
    }
}
