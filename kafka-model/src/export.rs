//! Schema export at build time: write each model's `.avsc`, `.proto` and JSON Schema files
//! into a directory, deterministically, and check committed files for drift.
//!
//! Call it from a downstream crate's `build.rs` (with the models crate as a build-dependency)
//! or from a test:
//!
//! ```
//! use kafka_model::export::Exporter;
//! use kafka_model::Record;
//! use serde::{Deserialize, Serialize};
//!
//! /// A customer order.
//! #[derive(Record, Serialize, Deserialize)]
//! #[record(namespace = "com.acme.orders")]
//! struct Order {
//!     id: String,
//!     qty: i32,
//! }
//!
//! let dir = std::env::temp_dir().join("kafka-model-export-doc");
//! # let _ = std::fs::remove_dir_all(&dir);
//! let files = Exporter::new(&dir).add::<Order>().write()?;
//! let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
//! assert_eq!(names, [
//!     "com.acme.orders.Order.avsc",
//!     "com.acme.orders.Order.proto/com/acme/orders.proto",
//!     "com.acme.orders.Order.schema.json",
//! ]);
//! // Writing again changes nothing, and the directory matches the code.
//! Exporter::new(&dir).add::<Order>().write()?;
//! assert!(Exporter::new(&dir).add::<Order>().check()?.is_empty());
//! # Ok::<(), kafka_model::export::ExportError>(())
//! ```
//!
//! # Layout
//!
//! One entry per top-level type, named by the type's schema full name:
//!
//! * `<full name>.avsc`: the Avro schema (nested named types are defined inline, once);
//! * `<full name>.schema.json`: the JSON Schema (draft-07);
//! * `<full name>.proto/`: an include root holding every `.proto` file of the type under its
//!   import path (`com/acme/orders.proto`, `com/acme/common.proto`), plus
//!   `confluent/meta.proto` when a file imports it; compile with
//!   `protoc -I <dir>/<full name>.proto com/acme/orders.proto`. (`google/protobuf/*` files
//!   come with every Protobuf compiler and are not written.)
//!
//! Files are written in sorted order, with a final newline, and only when their content
//! changed, so a `build.rs` using `cargo:rerun-if-changed` does not loop.
//!
//! # Every model linked into the binary
//!
//! Every `#[derive(Record)]` type submits itself at link time, so [`linked_models`] lists
//! them and [`Exporter::add_linked`] exports them with no hand-kept list. [`register!`] adds
//! types explicitly (a type listed twice appears once):
//!
//! ```
//! use kafka_model::Record;
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Record, Serialize, Deserialize)]
//! #[record(namespace = "com.acme.billing")]
//! struct Invoice { id: String }
//!
//! kafka_model::export::register!(Invoice);
//!
//! let names: Vec<String> = kafka_model::export::linked_models()
//!     .iter()
//!     .map(|entry| entry.full_name())
//!     .collect();
//! assert!(names.contains(&"com.acme.billing.Invoice".to_owned()));
//! ```
//!
//! Link-time registration (the `inventory` crate) can lose entries in some link setups
//! (static libraries whose objects the linker drops, some WebAssembly targets): a crate that
//! must never miss a type lists them explicitly with [`Exporter::add`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use crate::compat::protobuf::ProtoSource;
use crate::compat::{CompatReport, Level};
use crate::model::Model;
use crate::schema::{AvroSchema, JsonSchema, ProtoSchema};
use crate::{Record, SchemaError};

/// One exportable model: its description and schema renderers, without naming its Rust type.
///
/// Build one with [`ModelEntry::of`]; [`register!`] submits them for [`linked_models`].
#[derive(Clone, Copy)]
pub struct ModelEntry {
    /// The Rust type's name (`my_crate::Order`), from `std::any::type_name`.
    pub type_name: fn() -> &'static str,
    /// The model description.
    pub model: fn() -> &'static Model,
    /// The Avro schema.
    pub avro: fn() -> Result<&'static AvroSchema, SchemaError>,
    /// The Protobuf schema.
    pub proto: fn() -> Result<&'static ProtoSchema, SchemaError>,
    /// The JSON Schema.
    pub json: fn() -> Result<&'static JsonSchema, SchemaError>,
}

impl ModelEntry {
    /// The entry of a [`Record`] type (a `const fn`, usable in statics and `inventory`).
    ///
    /// ```
    /// # use kafka_model::Record;
    /// # #[derive(Record, serde::Serialize, serde::Deserialize)]
    /// # struct Order { id: String }
    /// let entry = kafka_model::export::ModelEntry::of::<Order>();
    /// assert_eq!(entry.full_name(), "Order");
    /// ```
    pub const fn of<T: Record>() -> Self {
        ModelEntry {
            type_name: std::any::type_name::<T>,
            model: T::model,
            avro: T::avro_schema,
            proto: T::proto_schema,
            json: T::json_schema,
        }
    }

    /// The schema full name (`com.acme.orders.Order`).
    pub fn full_name(&self) -> String {
        (self.model)().full_name()
    }
}

impl fmt::Debug for ModelEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ModelEntry")
            .field("type_name", &(self.type_name)())
            .field("full_name", &self.full_name())
            .finish()
    }
}

inventory::collect!(ModelEntry);

/// The `inventory` crate, for [`register!`]'s expansion; not part of the public API.
#[doc(hidden)]
pub use inventory as __inventory;

/// Registers types for [`linked_models`] and [`Exporter::add_linked`].
///
/// Use it at module level, once per type: `kafka_model::export::register!(Order, Payment);`.
/// Registering a type twice lists it once.
#[macro_export]
macro_rules! __export_register {
    ($($ty:ty),+ $(,)?) => {
        $(
            $crate::export::__inventory::submit! {
                $crate::export::ModelEntry::of::<$ty>()
            }
        )+
    };
}

#[doc(inline)]
pub use crate::__export_register as register;

/// Every model linked into the binary (each `#[derive(Record)]` type, plus [`register!`]),
/// sorted by full name, each type once.
pub fn linked_models() -> Vec<ModelEntry> {
    let mut seen = BTreeMap::new();
    for entry in inventory::iter::<ModelEntry> {
        seen.entry(((entry.model)().full_name(), (entry.type_name)()))
            .or_insert(*entry);
    }
    seen.into_values().collect()
}

/// Which schema files to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ExportFormat {
    /// `<full name>.avsc`.
    Avro,
    /// `<full name>.proto/...`.
    Protobuf,
    /// `<full name>.schema.json`.
    JsonSchema,
}

/// Exporting schemas failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// A model's schema could not be rendered.
    #[error("cannot render the {format:?} schema of `{type_name}`: {source}")]
    Schema {
        /// The Rust type.
        type_name: &'static str,
        /// Which schema.
        format: ExportFormat,
        /// Why.
        #[source]
        source: SchemaError,
    },
    /// Two different Rust types have one schema full name.
    #[error("`{first}` and `{second}` are both named `{full_name}`: their files would overwrite each other")]
    DuplicateName {
        /// The shared full name.
        full_name: String,
        /// One type.
        first: &'static str,
        /// The other.
        second: &'static str,
    },
    /// A committed schema could not be compared with the generated one.
    #[error("cannot check `{full_name}` against its committed schema: {source}")]
    Compat {
        /// The model's full name.
        full_name: String,
        /// Why.
        #[source]
        source: crate::compat::CompatError,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// A difference between the committed schema files and those the code generates.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Drift {
    /// A file the code generates is not in the directory.
    Missing(PathBuf),
    /// A file's content differs; `expected` is what the code generates.
    Changed {
        /// Path relative to the directory.
        path: PathBuf,
        /// The generated content.
        expected: String,
        /// The committed content.
        found: String,
    },
    /// A file in an exported entry (`*.avsc`, `*.schema.json`, under `*.proto/`) that the code
    /// no longer generates.
    Stale(PathBuf),
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Drift::Missing(p) => write!(f, "missing: {}", p.display()),
            Drift::Changed { path, .. } => write!(f, "changed: {}", path.display()),
            Drift::Stale(p) => write!(f, "no longer generated: {}", p.display()),
        }
    }
}

/// The compatibility of one model's generated schema with its committed file
/// ([`Exporter::check_compatible`]).
#[derive(Debug, Clone)]
pub struct EntryReport {
    /// The model's full name.
    pub full_name: String,
    /// Which schema was compared.
    pub format: ExportFormat,
    /// The outcome (the committed file is previous schema #1).
    pub report: CompatReport,
}

/// Writes the schema files of a set of models into a directory. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct Exporter {
    dir: PathBuf,
    entries: Vec<ModelEntry>,
    formats: BTreeSet<ExportFormat>,
}

impl Exporter {
    /// An exporter writing into `dir` (created when missing), all three formats.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Exporter {
            dir: dir.into(),
            entries: Vec::new(),
            formats: [
                ExportFormat::Avro,
                ExportFormat::Protobuf,
                ExportFormat::JsonSchema,
            ]
            .into_iter()
            .collect(),
        }
    }

    /// Adds a model type.
    #[must_use]
    pub fn add<T: Record>(self) -> Self {
        self.add_entry(ModelEntry::of::<T>())
    }

    /// Adds a model by its [`ModelEntry`].
    #[must_use]
    pub fn add_entry(mut self, entry: ModelEntry) -> Self {
        self.entries.push(entry);
        self
    }

    /// Adds every model of [`linked_models`].
    #[must_use]
    pub fn add_linked(mut self) -> Self {
        self.entries.extend(linked_models());
        self
    }

    /// Writes only these formats.
    ///
    /// ```
    /// use kafka_model::export::{ExportFormat, Exporter};
    /// # use kafka_model::Record;
    /// # #[derive(Record, serde::Serialize, serde::Deserialize)]
    /// # struct Order { id: String }
    /// let files = Exporter::new(std::env::temp_dir().join("kafka-model-export-avro-only"))
    ///     .formats(&[ExportFormat::Avro])
    ///     .add::<Order>()
    ///     .files()?;
    /// assert_eq!(files.keys().map(|p| p.display().to_string()).collect::<Vec<_>>(), ["Order.avsc"]);
    /// # Ok::<(), kafka_model::export::ExportError>(())
    /// ```
    #[must_use]
    pub fn formats(mut self, formats: &[ExportFormat]) -> Self {
        self.formats = formats.iter().copied().collect();
        self
    }

    /// The directory written to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Every file the exporter would write: path (relative to the directory) → content.
    ///
    /// # Errors
    ///
    /// [`ExportError::Schema`] when a schema cannot be rendered,
    /// [`ExportError::DuplicateName`] when two types share a full name.
    pub fn files(&self) -> Result<BTreeMap<PathBuf, String>, ExportError> {
        let mut files = BTreeMap::new();
        for entry in self.unique_entries()? {
            let full_name = entry.full_name();
            let type_name = (entry.type_name)();
            let err = |format| {
                move |source| ExportError::Schema {
                    type_name,
                    format,
                    source,
                }
            };
            if self.formats.contains(&ExportFormat::Avro) {
                let avro = (entry.avro)().map_err(err(ExportFormat::Avro))?;
                files.insert(
                    PathBuf::from(format!("{full_name}.avsc")),
                    with_newline(avro.json()),
                );
            }
            if self.formats.contains(&ExportFormat::Protobuf) {
                let proto = (entry.proto)().map_err(err(ExportFormat::Protobuf))?;
                let root = PathBuf::from(format!("{full_name}.proto"));
                for file in proto.files() {
                    files.insert(root.join(&file.name), with_newline(&file.text));
                }
                if proto.imports_well_known().contains(&"confluent/meta.proto") {
                    files.insert(
                        root.join("confluent/meta.proto"),
                        with_newline(crate::schema::proto::CONFLUENT_META_PROTO),
                    );
                }
            }
            if self.formats.contains(&ExportFormat::JsonSchema) {
                let json = (entry.json)().map_err(err(ExportFormat::JsonSchema))?;
                files.insert(
                    PathBuf::from(format!("{full_name}.schema.json")),
                    with_newline(json.text()),
                );
            }
        }
        Ok(files)
    }

    /// Writes the files (see [`files`](Self::files)) and returns their paths, relative to the
    /// directory, sorted. A file whose content is already right is left untouched.
    ///
    /// # Errors
    ///
    /// As [`files`](Self::files), and [`ExportError::Io`] when a file cannot be written.
    pub fn write(&self) -> Result<Vec<PathBuf>, ExportError> {
        let files = self.files()?;
        for (rel, content) in &files {
            let path = self.dir.join(rel);
            if std::fs::read(&path).is_ok_and(|old| old == content.as_bytes()) {
                continue;
            }
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|source| ExportError::Io {
                    path: parent.to_path_buf(),
                    source,
                })?;
            }
            std::fs::write(&path, content).map_err(|source| ExportError::Io {
                path: path.clone(),
                source,
            })?;
        }
        Ok(files.into_keys().collect())
    }

    /// Compares the directory with what the code generates (the drift check for CI): missing
    /// files, changed files, and stale files inside exported entries. Empty means up to date.
    ///
    /// # Errors
    ///
    /// As [`files`](Self::files), and [`ExportError::Io`] when the directory cannot be read.
    pub fn check(&self) -> Result<Vec<Drift>, ExportError> {
        let files = self.files()?;
        let mut drift = Vec::new();
        for (rel, expected) in &files {
            match std::fs::read(self.dir.join(rel)) {
                Ok(found) if found == expected.as_bytes() => {}
                Ok(found) => drift.push(Drift::Changed {
                    path: rel.clone(),
                    expected: expected.clone(),
                    found: String::from_utf8_lossy(&found).into_owned(),
                }),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    drift.push(Drift::Missing(rel.clone()))
                }
                Err(source) => {
                    return Err(ExportError::Io {
                        path: self.dir.join(rel),
                        source,
                    })
                }
            }
        }
        for rel in self.existing_entries()? {
            if !files.contains_key(&rel) {
                drift.push(Drift::Stale(rel));
            }
        }
        Ok(drift)
    }

    /// The drift check as a report for humans: `Ok(None)` when the directory matches the code,
    /// else every missing, changed and stale file, a line diff of each changed file
    /// (`-` committed, `+` generated), and `refresh` — the command that rewrites the files.
    ///
    /// # Errors
    ///
    /// As [`check`](Self::check).
    ///
    /// ```
    /// use kafka_model::export::Exporter;
    /// # use kafka_model::Record;
    /// # #[derive(Record, serde::Serialize, serde::Deserialize)]
    /// # struct Order { id: String }
    /// let dir = std::env::temp_dir().join("kafka-model-drift-report-doc");
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// let report = Exporter::new(&dir).add::<Order>().drift_report("cargo test")?;
    /// let report = report.expect("nothing committed yet");
    /// assert!(report.contains("missing: Order.avsc"));
    /// assert!(report.ends_with("refresh them with: cargo test\n"));
    /// # Ok::<(), kafka_model::export::ExportError>(())
    /// ```
    pub fn drift_report(&self, refresh: &str) -> Result<Option<String>, ExportError> {
        let drift = self.check()?;
        if drift.is_empty() {
            return Ok(None);
        }
        let mut out = format!(
            "the schema files in {} differ from the code ({} file(s)):\n",
            self.dir.display(),
            drift.len()
        );
        for d in &drift {
            out.push_str(&format!("{d}\n"));
            if let Drift::Changed {
                path,
                expected,
                found,
            } = d
            {
                out.push_str(&format!(
                    "--- {} (committed)\n+++ {} (generated)\n",
                    path.display(),
                    path.display()
                ));
                out.push_str(&line_diff(found, expected));
            }
        }
        out.push_str(&format!("refresh them with: {refresh}\n"));
        Ok(Some(out))
    }

    /// A test helper: panics with [`drift_report`](Self::drift_report) when the committed
    /// files differ from the code. With the environment variable `KAFKA_MODEL_UPDATE_SCHEMAS`
    /// set (to anything but `0`), it rewrites the files instead ([`write`](Self::write)) and
    /// passes, so `refresh` is typically `KAFKA_MODEL_UPDATE_SCHEMAS=1 cargo test -p my-models`.
    ///
    /// # Panics
    ///
    /// When the files drifted, or cannot be rendered, read or written.
    pub fn assert_up_to_date(&self, refresh: &str) {
        let update = std::env::var("KAFKA_MODEL_UPDATE_SCHEMAS").is_ok_and(|v| v != "0");
        if update {
            if let Err(e) = self.write() {
                panic!("cannot refresh the schema files: {e}");
            }
            return;
        }
        match self.drift_report(refresh) {
            Ok(None) => {}
            Ok(Some(report)) => panic!("{report}"),
            Err(e) => panic!("cannot check the schema files: {e}"),
        }
    }

    /// A test helper: panics, listing every incompatibility, when a model's generated schema is
    /// not compatible at `level` with its committed file (see
    /// [`check_compatible`](Self::check_compatible)).
    ///
    /// # Panics
    ///
    /// When a schema is incompatible, or the files cannot be rendered, read or parsed.
    pub fn assert_compatible(&self, level: Level) {
        let reports = match self.check_compatible(level) {
            Ok(r) => r,
            Err(e) => panic!("cannot check compatibility: {e}"),
        };
        let broken: Vec<String> = reports
            .iter()
            .filter(|r| !r.report.compatible)
            .map(|r| format!("{} ({:?}): {}", r.full_name, r.format, r.report))
            .collect();
        assert!(
            broken.is_empty(),
            "schema changes break {} compatibility with the committed files:\n{}",
            level.as_str(),
            broken.join("\n")
        );
    }

    /// Checks each model's generated schemas against the ones committed in the directory, at
    /// `level`, with the committed file as the previous version: the check to run in CI before
    /// [`write`](Self::write) refreshes the files. Models with no committed file are skipped.
    ///
    /// # Errors
    ///
    /// As [`files`](Self::files); [`ExportError::Compat`] when a committed schema does not
    /// parse; [`ExportError::Io`] when it cannot be read.
    ///
    /// ```
    /// use kafka_model::compat::Level;
    /// use kafka_model::export::Exporter;
    /// # use kafka_model::Record;
    /// # #[derive(Record, serde::Serialize, serde::Deserialize)]
    /// # #[record(namespace = "com.acme")]
    /// # struct Order { id: String, qty: i32 }
    /// let dir = std::env::temp_dir().join("kafka-model-export-compat-doc");
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// // The committed version had `qty` as a string.
    /// std::fs::create_dir_all(&dir).unwrap();
    /// std::fs::write(dir.join("com.acme.Order.avsc"), r#"{"type":"record","name":"Order",
    ///     "namespace":"com.acme","fields":[{"name":"id","type":"string"},
    ///     {"name":"qty","type":"string"}]}"#).unwrap();
    /// let reports = Exporter::new(&dir).add::<Order>().check_compatible(Level::Backward)?;
    /// assert_eq!(reports.len(), 1);
    /// assert!(!reports[0].report.compatible);
    /// assert_eq!(reports[0].report.issues[0].path, "/fields/1/type");
    /// # Ok::<(), kafka_model::export::ExportError>(())
    /// ```
    pub fn check_compatible(&self, level: Level) -> Result<Vec<EntryReport>, ExportError> {
        let generated = self.files()?;
        let mut reports = Vec::new();
        for entry in self.unique_entries()? {
            let full_name = entry.full_name();
            let compat_err = |source| ExportError::Compat {
                full_name: full_name.clone(),
                source,
            };
            let avsc = PathBuf::from(format!("{full_name}.avsc"));
            if let (Some(new), Some(old)) = (generated.get(&avsc), self.read_committed(&avsc)?) {
                let report = crate::compat::avro::check(level, new, &[&old]).map_err(compat_err)?;
                reports.push(EntryReport {
                    full_name: full_name.clone(),
                    format: ExportFormat::Avro,
                    report,
                });
            }
            if !self.formats.contains(&ExportFormat::Protobuf) {
                continue;
            }
            let proto = (entry.proto)().map_err(|source| ExportError::Schema {
                type_name: (entry.type_name)(),
                format: ExportFormat::Protobuf,
                source,
            })?;
            let root = PathBuf::from(format!("{full_name}.proto"));
            let main = &proto.main().name;
            let Some(old_main) = self.read_committed(&root.join(main))? else {
                continue;
            };
            let mut new = ProtoSource::new(proto.main().text.clone()).with_name(main.clone());
            for file in proto.files().iter().skip(1) {
                new = new.with_dependency(file.name.clone(), file.text.clone());
            }
            let mut old = ProtoSource::new(old_main).with_name(main.clone());
            for rel in self.existing_entries()? {
                if let Ok(inner) = rel.strip_prefix(&root) {
                    let name = inner.to_string_lossy().replace('\\', "/");
                    if name != *main && name.ends_with(".proto") {
                        if let Some(text) = self.read_committed(&rel)? {
                            old = old.with_dependency(name, text);
                        }
                    }
                }
            }
            let report = crate::compat::protobuf::check(level, &new, &[old]).map_err(compat_err)?;
            reports.push(EntryReport {
                full_name,
                format: ExportFormat::Protobuf,
                report,
            });
        }
        Ok(reports)
    }

    /// The entries, each full name once (an error when two types share one).
    fn unique_entries(&self) -> Result<Vec<ModelEntry>, ExportError> {
        let mut by_name: BTreeMap<String, ModelEntry> = BTreeMap::new();
        for entry in &self.entries {
            let full_name = entry.full_name();
            if let Some(seen) = by_name.get(&full_name) {
                let (first, second) = ((seen.type_name)(), (entry.type_name)());
                if first != second {
                    return Err(ExportError::DuplicateName {
                        full_name,
                        first,
                        second,
                    });
                }
                continue;
            }
            by_name.insert(full_name, *entry);
        }
        Ok(by_name.into_values().collect())
    }

    /// A committed file's text, `None` when absent.
    fn read_committed(&self, rel: &Path) -> Result<Option<String>, ExportError> {
        let path = self.dir.join(rel);
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(ExportError::Io { path, source }),
        }
    }

    /// Files in the directory that look exported: `*.avsc`, `*.schema.json`, and everything
    /// under a `*.proto/` directory at the top.
    fn existing_entries(&self) -> Result<Vec<PathBuf>, ExportError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| ExportError::Io { path, source }
        };
        let mut found = Vec::new();
        let read = match std::fs::read_dir(&self.dir) {
            Ok(r) => r,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(found),
            Err(e) => return Err(io(&self.dir)(e)),
        };
        let mut top: Vec<_> = read.collect::<Result<Vec<_>, _>>().map_err(io(&self.dir))?;
        top.sort_by_key(|e| e.file_name());
        for entry in top {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if path.is_dir() && name.ends_with(".proto") {
                let mut stack = vec![path];
                while let Some(d) = stack.pop() {
                    let mut items: Vec<_> = std::fs::read_dir(&d)
                        .map_err(io(&d))?
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(io(&d))?;
                    items.sort_by_key(|e| e.file_name());
                    for item in items {
                        let p = item.path();
                        if p.is_dir() {
                            stack.push(p);
                        } else if let Ok(rel) = p.strip_prefix(&self.dir) {
                            found.push(rel.to_path_buf());
                        }
                    }
                }
            } else if path.is_file() && (name.ends_with(".avsc") || name.ends_with(".schema.json"))
            {
                found.push(PathBuf::from(name));
            }
        }
        found.sort();
        Ok(found)
    }
}

/// A line diff of `old` → `new`: changed lines (`-` / `+`) with two lines of context (` `),
/// `...` between distant changes. Longest common subsequence for files up to a few thousand
/// lines; longer ones show everything from the first differing line.
fn line_diff(old: &str, new: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    let mut ops: Vec<(char, &str)> = Vec::new();
    if a.len().saturating_mul(b.len()) <= 4_000_000 {
        // lcs[i][j]: the LCS length of a[i..] and b[j..].
        let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
        for i in (0..a.len()).rev() {
            for j in (0..b.len()).rev() {
                lcs[i][j] = if a[i] == b[j] {
                    lcs[i + 1][j + 1] + 1
                } else {
                    lcs[i + 1][j].max(lcs[i][j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            if i < a.len() && j < b.len() && a[i] == b[j] {
                ops.push((' ', a[i]));
                i += 1;
                j += 1;
            } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
                ops.push(('-', a[i]));
                i += 1;
            } else {
                ops.push(('+', b[j]));
                j += 1;
            }
        }
    } else {
        let same = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
        ops.extend(a[same..].iter().map(|l| ('-', *l)));
        ops.extend(b[same..].iter().map(|l| ('+', *l)));
    }
    let changed: Vec<usize> = (0..ops.len()).filter(|&k| ops[k].0 != ' ').collect();
    let near = |k: usize| changed.iter().any(|&c| c.abs_diff(k) <= 2);
    let mut out = String::new();
    let mut skipped = false;
    for (k, (tag, line)) in ops.iter().enumerate() {
        if near(k) {
            if skipped && !out.is_empty() {
                out.push_str("...\n");
            }
            skipped = false;
            out.push_str(&format!("{tag}{line}\n"));
        } else {
            skipped = true;
        }
    }
    out
}

fn with_newline(text: &str) -> String {
    let mut s = text.to_owned();
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::line_diff;

    #[test]
    fn line_diff_shows_changes_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nC\nd\ne\nf\ng\nh\ni\n";
        assert_eq!(
            line_diff(old, new),
            " a\n b\n-c\n+C\n d\n e\n...\n g\n h\n+i\n"
        );
        assert_eq!(line_diff("x\n", "x\n"), "");
    }
}
