//! Durable storage for [`MemoryRegistry`](super::MemoryRegistry): a JSON snapshot plus an
//! append-only journal.
//!
//! [`MemoryRegistry::open`](super::MemoryRegistry::open) keeps the registry's whole state (schemas
//! with their global ids and GUIDs, subjects with their versions and soft-deleted flags,
//! references, compatibility levels, modes and the id counter) in two files:
//!
//! - `FILE`: a snapshot, one JSON document, replaced atomically (written to `FILE.tmp`, fsynced,
//!   renamed over `FILE`, directory fsynced);
//! - `FILE.journal`: one JSON line per mutation since the snapshot, each numbered. A mutation is
//!   written and fsynced to the journal before the call that made it returns, so anything
//!   acknowledged survives a crash (concurrent writers share one fsync: group commit).
//!
//! Opening loads the snapshot, replays the journal entries numbered after it (a torn last line,
//! left by a crash in the middle of a write, is ignored; a damaged line before the last one is
//! an error, never silently dropped), then compacts: the state goes to a new snapshot and the
//! journal is emptied. Compaction also runs every [`PersistOptions::compact_every`] mutations
//! and on [`MemoryRegistry::compact`](super::MemoryRegistry::compact). The journal is locked
//! while a registry has the files open: a second process opening the same `FILE` gets
//! [`PersistError::Locked`].
//!
//! ```
//! use kafka_model::registry::{MemoryRegistry, Schema, SchemaRegistry};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = std::env::temp_dir().join(format!("kafka-model-persist-doc-{}", std::process::id()));
//! let file = dir.join("registry.json");
//! let id = {
//!     let registry = MemoryRegistry::open(&file)?;
//!     registry.register("pings-value", &Schema::avro(r#""string""#), false).await?.id
//! }; // dropped without a goodbye: as after a crash
//! let registry = MemoryRegistry::open(&file)?;
//! assert_eq!(registry.schema_by_id(id, None, None).await?.schema, r#""string""#);
//! # drop(registry);
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok(())
//! # }
//! ```

// Over 800 lines: about 500 lines of code; the rest are the tests of the snapshot and journal
// format, kept beside it.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use serde::{Deserialize, Serialize};

use super::{CompatibilityLevel, Mode, Schema};

/// The snapshot format this version writes (and the only one it reads).
const FORMAT: u32 = 1;

/// Opening or writing the registry's files failed.
///
/// ```
/// use kafka_model::registry::{MemoryRegistry, PersistError};
///
/// let dir = std::env::temp_dir().join(format!("kafka-model-persist-err-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let file = dir.join("registry.json");
/// std::fs::write(&file, "not json").unwrap();
/// assert!(matches!(MemoryRegistry::open(&file), Err(PersistError::Corrupt { .. })));
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PersistError {
    /// Reading, writing or syncing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// A file is not what this crate writes (or a journal line before the last is damaged).
    #[error("{}: {message}", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong, with the line for the journal.
        message: String,
    },
    /// Another registry (in this process or another) has the files open.
    #[error("{}: in use by another registry (the journal is locked)", path.display())]
    Locked {
        /// The journal.
        path: PathBuf,
    },
    /// An earlier write failed half-way and could not be undone: the registry refuses further
    /// writes rather than append after a damaged line.
    #[error("{}: an earlier write failed; reopen the registry", path.display())]
    Broken {
        /// The journal.
        path: PathBuf,
    },
}

/// Tuning of a persistent [`MemoryRegistry`](super::MemoryRegistry).
///
/// ```
/// use kafka_model::registry::{MemoryRegistry, PersistOptions};
///
/// let dir = std::env::temp_dir().join(format!("kafka-model-persist-opt-{}", std::process::id()));
/// let options = PersistOptions::default().compact_every(100);
/// let registry = MemoryRegistry::open_with(dir.join("registry.json"), options)?;
/// assert!(registry.data_path().is_some());
/// # drop(registry);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok::<(), kafka_model::registry::PersistError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersistOptions {
    compact_every: usize,
}

impl Default for PersistOptions {
    fn default() -> Self {
        PersistOptions {
            compact_every: 1000,
        }
    }
}

impl PersistOptions {
    /// Compacts the journal into the snapshot after this many mutations (default 1000; 0 means
    /// only on open and on [`MemoryRegistry::compact`](super::MemoryRegistry::compact)).
    pub fn compact_every(mut self, mutations: usize) -> Self {
        self.compact_every = mutations;
        self
    }
}

/// A schema first registered by a `Register` mutation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct NewSchema {
    pub(crate) schema: Schema,
    pub(crate) guid: String,
    /// The identity text (see `memory::canonical`), so loading needs no parsing.
    pub(crate) identity: String,
}

/// One mutation of the registry's state: what the journal records and replays.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Op {
    /// `subject` gets `version` → `id`; `new` when the id is new.
    Register {
        subject: String,
        version: i32,
        id: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        new: Option<NewSchema>,
    },
    /// Every version of `subject` is soft-deleted.
    SoftDeleteSubject { subject: String },
    /// `subject`, its level and its mode are removed.
    DeleteSubject { subject: String },
    /// One version is soft-deleted.
    SoftDeleteVersion { subject: String, version: i32 },
    /// One version is removed (and the subject with its last version).
    DeleteVersion { subject: String, version: i32 },
    /// A level is set, global (`None`) or of a subject.
    SetConfig {
        subject: Option<String>,
        level: CompatibilityLevel,
    },
    /// A subject's level is removed, or the global one reset.
    DeleteConfig { subject: Option<String> },
    /// A mode is set, global (`None`) or of a subject.
    SetMode { subject: Option<String>, mode: Mode },
    /// A subject's mode is removed, or the global one reset.
    DeleteMode { subject: Option<String> },
}

#[derive(Serialize)]
struct LineOut<'a> {
    seq: u64,
    op: &'a Op,
}

#[derive(Deserialize)]
struct LineIn {
    seq: u64,
    op: Op,
}

/// A stored schema in a snapshot.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SnapshotSchema {
    pub(crate) id: i64,
    pub(crate) guid: String,
    pub(crate) identity: String,
    pub(crate) schema: Schema,
}

/// A subject version in a snapshot.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub(crate) struct SnapshotVersion {
    pub(crate) version: i32,
    pub(crate) id: i64,
    #[serde(default)]
    pub(crate) deleted: bool,
}

/// The registry's whole state, as the snapshot file holds it (sorted: the same state always
/// writes the same bytes).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Snapshot {
    pub(crate) format: u32,
    /// The journal entry the snapshot includes everything up to.
    pub(crate) seq: u64,
    pub(crate) next_id: i64,
    pub(crate) global_level: CompatibilityLevel,
    pub(crate) global_mode: Mode,
    pub(crate) schemas: Vec<SnapshotSchema>,
    pub(crate) subjects: BTreeMap<String, Vec<SnapshotVersion>>,
    #[serde(default)]
    pub(crate) subject_levels: BTreeMap<String, CompatibilityLevel>,
    #[serde(default)]
    pub(crate) subject_modes: BTreeMap<String, Mode>,
}

impl Snapshot {
    pub(crate) fn format() -> u32 {
        FORMAT
    }
}

/// What [`Store::open`] read back.
pub(crate) struct Loaded {
    pub(crate) snapshot: Option<Snapshot>,
    /// Journal entries after the snapshot, in order.
    pub(crate) ops: Vec<Op>,
}

#[derive(Debug)]
struct Journal {
    /// The last sequence number written.
    seq: u64,
    /// The journal's length after the last complete line.
    len: u64,
    /// Mutations since the last compaction.
    since_compaction: usize,
    /// A failed write could not be undone.
    broken: bool,
}

/// The open files of a persistent registry.
#[derive(Debug)]
pub(crate) struct Store {
    snapshot_path: PathBuf,
    tmp_path: PathBuf,
    journal_path: PathBuf,
    /// Opened for appending, and locked.
    file: File,
    journal: Mutex<Journal>,
    /// The last sequence number known to be on disk.
    synced: Mutex<u64>,
    options: PersistOptions,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> PersistError + '_ {
    move |source| PersistError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Fsyncs the directory holding `path`, so a rename or a new file in it is durable.
fn sync_dir(path: &Path) -> Result<(), PersistError> {
    #[cfg(unix)]
    {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io(dir))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

impl Store {
    /// Opens (creating when missing) the snapshot `path` and its journal, locks the journal,
    /// and reads back what they hold.
    pub(crate) fn open(
        path: &Path,
        options: PersistOptions,
    ) -> Result<(Store, Loaded), PersistError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let journal_path = with_suffix(path, ".journal");
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&journal_path)
            .map_err(io(&journal_path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(PersistError::Locked { path: journal_path })
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(&journal_path)(e)),
        }

        let snapshot = match std::fs::read(path) {
            Ok(bytes) => {
                let snapshot: Snapshot =
                    serde_json::from_slice(&bytes).map_err(|e| PersistError::Corrupt {
                        path: path.to_path_buf(),
                        message: format!("not a registry snapshot: {e}"),
                    })?;
                if snapshot.format != FORMAT {
                    return Err(PersistError::Corrupt {
                        path: path.to_path_buf(),
                        message: format!(
                            "snapshot format {} (this version reads {FORMAT})",
                            snapshot.format
                        ),
                    });
                }
                Some(snapshot)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(io(path)(e)),
        };

        let mut text = Vec::new();
        file.read_to_end(&mut text).map_err(io(&journal_path))?;
        let after = snapshot.as_ref().map_or(0, |s| s.seq);
        let (ops, last_seq) = parse_journal(&journal_path, &text, after)?;

        let seq = last_seq.max(after);
        let store = Store {
            snapshot_path: path.to_path_buf(),
            tmp_path: with_suffix(path, ".tmp"),
            journal_path,
            file,
            journal: Mutex::new(Journal {
                seq,
                len: text.len() as u64,
                since_compaction: 0,
                broken: false,
            }),
            synced: Mutex::new(seq),
            options,
        };
        Ok((store, Loaded { snapshot, ops }))
    }

    /// The snapshot file.
    pub(crate) fn path(&self) -> &Path {
        &self.snapshot_path
    }

    /// Appends `op` to the journal (not yet synced) and answers its sequence number. Called
    /// with the registry's state locked, before the state changes: the journal's order is the
    /// order of the changes, and a failed write changes nothing.
    pub(crate) fn append(&self, op: &Op) -> Result<u64, PersistError> {
        let mut journal = lock(&self.journal);
        if journal.broken {
            return Err(PersistError::Broken {
                path: self.journal_path.clone(),
            });
        }
        let seq = journal.seq + 1;
        let mut line = serde_json::to_vec(&LineOut { seq, op }).map_err(|e| PersistError::Io {
            path: self.journal_path.clone(),
            source: std::io::Error::other(e),
        })?;
        line.push(b'\n');
        if let Err(e) = (&self.file).write_all(&line) {
            // Undo a partial line, so later lines do not follow a damaged one.
            if self.file.set_len(journal.len).is_err() {
                journal.broken = true;
            }
            return Err(io(&self.journal_path)(e));
        }
        journal.seq = seq;
        journal.len += line.len() as u64;
        journal.since_compaction += 1;
        Ok(seq)
    }

    /// The last sequence number written (synced or not).
    pub(crate) fn written(&self) -> u64 {
        lock(&self.journal).seq
    }

    /// Whether enough mutations were journaled since the last compaction.
    pub(crate) fn wants_compaction(&self) -> bool {
        let every = self.options.compact_every;
        every > 0 && lock(&self.journal).since_compaction >= every
    }

    /// Waits until journal entry `seq` is on disk: one fsync covers every line written before
    /// it, so concurrent writers mostly share one (group commit).
    pub(crate) fn sync(&self, seq: u64) -> Result<(), PersistError> {
        let written = lock(&self.journal).seq;
        let mut synced = lock(&self.synced);
        if *synced >= seq {
            return Ok(());
        }
        self.file.sync_data().map_err(io(&self.journal_path))?;
        *synced = (*synced).max(written);
        Ok(())
    }

    /// Writes `snapshot` (which must include every journaled mutation: call it with the state
    /// locked) atomically and empties the journal.
    pub(crate) fn compact(
        &self,
        snapshot: impl FnOnce(u64) -> Snapshot,
    ) -> Result<(), PersistError> {
        let mut journal = lock(&self.journal);
        if journal.broken {
            return Err(PersistError::Broken {
                path: self.journal_path.clone(),
            });
        }
        let seq = journal.seq;
        let snapshot = snapshot(seq);
        let bytes = serde_json::to_vec_pretty(&snapshot).map_err(|e| PersistError::Io {
            path: self.snapshot_path.clone(),
            source: std::io::Error::other(e),
        })?;
        {
            let mut tmp = File::create(&self.tmp_path).map_err(io(&self.tmp_path))?;
            tmp.write_all(&bytes).map_err(io(&self.tmp_path))?;
            tmp.write_all(b"\n").map_err(io(&self.tmp_path))?;
            tmp.sync_all().map_err(io(&self.tmp_path))?;
        }
        std::fs::rename(&self.tmp_path, &self.snapshot_path).map_err(io(&self.snapshot_path))?;
        sync_dir(&self.snapshot_path)?;
        // The snapshot holds everything up to `seq` now: the journal's lines are redundant (and
        // skipped by number should emptying it fail half-way).
        self.file.set_len(0).map_err(io(&self.journal_path))?;
        self.file.sync_all().map_err(io(&self.journal_path))?;
        journal.len = 0;
        journal.since_compaction = 0;
        drop(journal);
        let mut synced = lock(&self.synced);
        *synced = (*synced).max(seq);
        Ok(())
    }
}

/// The journal's entries numbered after `after`, and the last number seen.
fn parse_journal(path: &Path, text: &[u8], after: u64) -> Result<(Vec<Op>, u64), PersistError> {
    let lines: Vec<&[u8]> = text
        .split(|b| *b == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .collect();
    let mut ops = Vec::new();
    let mut last = 0u64;
    for (i, line) in lines.iter().enumerate() {
        let entry: LineIn = match serde_json::from_slice(line) {
            Ok(entry) => entry,
            Err(_) if i + 1 == lines.len() => {
                tracing::warn!(
                    path = %path.display(),
                    "ignoring a torn last journal line (a write cut short by a crash)"
                );
                break;
            }
            Err(e) => {
                return Err(PersistError::Corrupt {
                    path: path.to_path_buf(),
                    message: format!("journal entry {} of {} is damaged: {e}", i + 1, lines.len()),
                })
            }
        };
        if entry.seq <= last {
            return Err(PersistError::Corrupt {
                path: path.to_path_buf(),
                message: format!(
                    "journal entry {} is numbered {} after {last}",
                    i + 1,
                    entry.seq
                ),
            });
        }
        last = entry.seq;
        if entry.seq > after {
            ops.push(entry.op);
        }
    }
    Ok((ops, last))
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::registry::{MemoryRegistry, SchemaReference, SchemaRegistry, Version};

    /// A fresh directory under the system's temp dir, removed on drop.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            static N: AtomicUsize = AtomicUsize::new(0);
            let dir = std::env::temp_dir().join(format!(
                "kafka-model-persist-{name}-{}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            let _ = std::fs::remove_dir_all(&dir);
            Scratch(dir)
        }

        fn file(&self) -> PathBuf {
            self.0.join("registry.json")
        }

        fn journal(&self) -> PathBuf {
            self.0.join("registry.json.journal")
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn record(name: &str, fields: &[&str]) -> Schema {
        let fields: Vec<String> = fields
            .iter()
            .map(|f| format!(r#"{{"name":"{f}","type":"int","default":0}}"#))
            .collect();
        Schema::avro(format!(
            r#"{{"type":"record","name":"{name}","fields":[{}]}}"#,
            fields.join(",")
        ))
    }

    #[tokio::test]
    async fn every_kind_of_mutation_survives_reopen() {
        let dir = Scratch::new("reopen");
        let (a1, a2, common, order);
        {
            let r = MemoryRegistry::open(dir.file()).unwrap();
            a1 = r
                .register("a-value", &record("A", &["x"]), false)
                .await
                .unwrap();
            a2 = r
                .register("a-value", &record("A", &["x", "y"]), false)
                .await
                .unwrap();
            r.register("b-value", &record("B", &["x"]), false)
                .await
                .unwrap();
            r.register("c-value", &record("C", &["x"]), false)
                .await
                .unwrap();
            common = r
                .register("common", &record("Money", &["cents"]), false)
                .await
                .unwrap();
            let with_ref = Schema::avro(
                r#"{"type":"record","name":"Order","fields":[{"name":"total","type":"Money"}]}"#,
            )
            .with_reference(SchemaReference::new("Money", "common", 1));
            order = r.register("order-value", &with_ref, false).await.unwrap();
            r.set_config(None, CompatibilityLevel::Full).await.unwrap();
            r.set_config(Some("a-value"), CompatibilityLevel::None)
                .await
                .unwrap();
            r.set_config(Some("b-value"), CompatibilityLevel::Forward)
                .await
                .unwrap();
            r.delete_config(Some("b-value")).await.unwrap();
            r.set_mode(Some("c-value"), Mode::ReadOnly).await.unwrap();
            r.delete_version("a-value", Version::Number(1), false)
                .await
                .unwrap();
            r.delete_subject("b-value", false).await.unwrap();
            r.register("d-value", &record("D", &["x"]), false)
                .await
                .unwrap();
            r.delete_subject("d-value", false).await.unwrap();
            r.delete_subject("d-value", true).await.unwrap();
        }
        let r = MemoryRegistry::open(dir.file()).unwrap();
        assert_eq!(r.versions("a-value", false).await.unwrap(), vec![2]);
        assert_eq!(r.versions("a-value", true).await.unwrap(), vec![1, 2]);
        assert_eq!(r.latest("a-value").await.unwrap().id, a2.id);
        assert_eq!(
            r.version("a-value", Version::Number(1), true)
                .await
                .unwrap()
                .id,
            a1.id
        );
        assert!(r.versions("b-value", false).await.is_err());
        assert_eq!(r.subjects(true).await.unwrap().len(), 5);
        assert!(r.versions("d-value", true).await.is_err());
        assert_eq!(
            r.config(None, false).await.unwrap(),
            CompatibilityLevel::Full
        );
        assert_eq!(
            r.config(Some("a-value"), false).await.unwrap(),
            CompatibilityLevel::None
        );
        assert!(r.config(Some("b-value"), false).await.is_err());
        assert_eq!(
            r.mode(Some("c-value"), false).await.unwrap(),
            Mode::ReadOnly
        );
        // READONLY still refuses writes after the reload.
        assert!(r
            .register("c-value", &record("C", &["x", "z"]), false)
            .await
            .is_err());
        // References and their resolution came back.
        let stored = r.schema_by_id(order.id, None, None).await.unwrap();
        assert_eq!(
            stored.references,
            vec![SchemaReference::new("Money", "common", 1)]
        );
        assert_eq!(
            r.referenced_by("common", Version::Number(1)).await.unwrap(),
            vec![order.id]
        );
        assert_eq!(r.latest("common").await.unwrap().id, common.id);
        // The same content answers the same id and GUID (identity survived, no re-registration).
        let again = r
            .register("a-value", &record("A", &["x", "y"]), false)
            .await
            .unwrap();
        assert_eq!(again, a2);
        let by_guid = r
            .schema_by_guid(a2.guid.as_deref().unwrap(), None)
            .await
            .unwrap();
        assert_eq!(by_guid, record("A", &["x", "y"]));
    }

    #[tokio::test]
    async fn a_torn_last_journal_line_is_ignored() {
        let dir = Scratch::new("torn");
        let (first, second);
        {
            let r = MemoryRegistry::open(dir.file()).unwrap();
            first = r
                .register("t-value", &record("T", &["a"]), false)
                .await
                .unwrap();
            second = r
                .register("u-value", &record("U", &["a"]), false)
                .await
                .unwrap();
        }
        // A crash in the middle of the third entry's write.
        let mut journal = OpenOptions::new().append(true).open(dir.journal()).unwrap();
        journal
            .write_all(br#"{"seq":3,"op":{"register":{"subject":"v-value","vers"#)
            .unwrap();
        drop(journal);
        let r = MemoryRegistry::open(dir.file()).unwrap();
        assert_eq!(r.latest("t-value").await.unwrap().id, first.id);
        assert_eq!(r.latest("u-value").await.unwrap().id, second.id);
        assert!(r.latest("v-value").await.is_err());
        // The torn line is gone: later writes and reopens are clean.
        let third = r
            .register("v-value", &record("V", &["a"]), false)
            .await
            .unwrap();
        assert_eq!(third.id, second.id + 1);
        drop(r);
        let r = MemoryRegistry::open(dir.file()).unwrap();
        assert_eq!(r.latest("v-value").await.unwrap().id, third.id);
    }

    #[tokio::test]
    async fn a_damaged_line_before_the_last_is_an_error() {
        let dir = Scratch::new("damaged");
        drop(MemoryRegistry::open(dir.file()).unwrap());
        std::fs::write(
            dir.journal(),
            "{\"seq\":1,\"op\":{\"set_mode\":{\"subject\":null,\"mode\":\"READONLY\"}}}\ngarbage\n{\"seq\":3,\"op\":{\"delete_mode\":{\"subject\":null}}}\n",
        )
        .unwrap();
        let e = MemoryRegistry::open(dir.file()).unwrap_err();
        assert!(matches!(e, PersistError::Corrupt { .. }), "{e}");
    }

    #[tokio::test]
    async fn ids_keep_increasing_after_reload() {
        let dir = Scratch::new("ids");
        let options = PersistOptions::default().compact_every(2);
        let mut last = 0;
        for round in 0..4 {
            let r = MemoryRegistry::open_with(dir.file(), options).unwrap();
            for i in 0..3 {
                let subject = format!("s{round}-{i}");
                let reg = r
                    .register(&subject, &record(&format!("R{round}x{i}"), &["a"]), false)
                    .await
                    .unwrap();
                assert!(reg.id > last, "id {} after {last}", reg.id);
                last = reg.id;
            }
            // Permanently deleted subjects do not free their ids either.
            let doomed = format!("s{round}-0");
            r.delete_subject(&doomed, false).await.unwrap();
            r.delete_subject(&doomed, true).await.unwrap();
        }
        assert_eq!(last, 12);
    }

    #[tokio::test]
    async fn the_snapshot_and_the_journal_combine() {
        let dir = Scratch::new("compact");
        let options = PersistOptions::default().compact_every(3);
        {
            let r = MemoryRegistry::open_with(dir.file(), options).unwrap();
            for i in 0..7 {
                r.register(&format!("s{i}"), &record(&format!("R{i}"), &["a"]), false)
                    .await
                    .unwrap();
            }
            // Two compactions ran: 6 entries in the snapshot, 1 in the journal.
            let journal = std::fs::read_to_string(dir.journal()).unwrap();
            assert_eq!(journal.lines().count(), 1, "{journal}");
            let snapshot: Snapshot =
                serde_json::from_slice(&std::fs::read(dir.file()).unwrap()).unwrap();
            assert_eq!(snapshot.schemas.len(), 6);
        }
        let r = MemoryRegistry::open(dir.file()).unwrap();
        assert_eq!(r.subjects(false).await.unwrap().len(), 7);
        // Opening compacted everything into the snapshot.
        assert_eq!(std::fs::read(dir.journal()).unwrap().len(), 0);
        r.compact().unwrap();
    }

    #[tokio::test]
    async fn journal_entries_already_in_the_snapshot_are_skipped() {
        // A crash between the snapshot's rename and the journal's truncation.
        let dir = Scratch::new("skip");
        {
            let r =
                MemoryRegistry::open_with(dir.file(), PersistOptions::default().compact_every(0))
                    .unwrap();
            r.register("s", &record("R", &["a"]), false).await.unwrap();
            r.register("s", &record("R", &["a", "b"]), false)
                .await
                .unwrap();
        }
        let journal = std::fs::read(dir.journal()).unwrap();
        {
            let r = MemoryRegistry::open(dir.file()).unwrap();
            r.compact().unwrap();
        }
        std::fs::write(dir.journal(), journal).unwrap();
        let r = MemoryRegistry::open(dir.file()).unwrap();
        assert_eq!(r.versions("s", false).await.unwrap(), vec![1, 2]);
    }

    #[tokio::test]
    async fn a_second_registry_on_the_same_file_is_refused() {
        let dir = Scratch::new("lock");
        let _r = MemoryRegistry::open(dir.file()).unwrap();
        assert!(matches!(
            MemoryRegistry::open(dir.file()),
            Err(PersistError::Locked { .. })
        ));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_registrations_are_all_persisted() {
        let dir = Scratch::new("concurrent");
        let options = PersistOptions::default().compact_every(50);
        let mut expected = Vec::new();
        {
            let r = MemoryRegistry::open_with(dir.file(), options).unwrap();
            let mut tasks = Vec::new();
            for t in 0..16 {
                let r = r.clone();
                tasks.push(tokio::spawn(async move {
                    let mut out = Vec::new();
                    for i in 0..10 {
                        let subject = format!("t{t}-value");
                        // Each task also registers a schema shared by every task.
                        let shared_schema = record("Shared", &["a"]);
                        let shared = r.register(&subject, &shared_schema, false).await;
                        out.push((subject.clone(), shared.unwrap().id));
                        let own = record(&format!("R{t}x{i}"), &["a"]);
                        let own_subject = format!("{subject}-{i}");
                        let reg = r.register(&own_subject, &own, false).await;
                        out.push((own_subject, reg.unwrap().id));
                    }
                    out
                }));
            }
            for task in tasks {
                expected.extend(task.await.unwrap());
            }
        }
        let r = MemoryRegistry::open(dir.file()).unwrap();
        let mut ids: Vec<i64> = Vec::new();
        for (subject, id) in &expected {
            let schema = r.schema_by_id(*id, None, None).await.unwrap();
            let found = r.lookup(subject, &schema, false, false).await.unwrap();
            assert_eq!(found.id, *id, "{subject}");
            ids.push(*id);
        }
        ids.sort_unstable();
        ids.dedup();
        // 160 own schemas and one shared: 161 distinct ids, 1..=161.
        assert_eq!(ids, (1..=161).collect::<Vec<i64>>());
        assert_eq!(r.subjects(false).await.unwrap().len(), 16 + 160);
    }
}
