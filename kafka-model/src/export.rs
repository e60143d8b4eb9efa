//! Schema export: write the `.avsc`, JSON Schema and `.proto` files of a crate's models into a
//! directory, deterministically, and gate `cargo test` on the committed copy (drift and
//! compatibility).
//!
//! # Which types
//!
//! Mark each message type with `#[record(export)]`: the derive registers it, with the name of
//! the crate that defines it. [`models_of!`] returns a crate's exported types — naming the
//! crate links it, so its registrations are always there — and every exporter method fails
//! with [`ExportError::NoModels`] when it has no type, so a gate can never pass while checking
//! nothing. [`Exporter::add`] adds a type explicitly.
//!
//! ```
//! use kafka_model::export::{models_of, Exporter};
//! use kafka_model::Record;
//! use serde::{Deserialize, Serialize};
//!
//! /// A customer order.
//! #[derive(Record, Serialize, Deserialize)]
//! #[record(namespace = "com.acme.orders", export)]
//! struct Order {
//!     id: String,
//!     lines: Vec<Line>,
//! }
//!
//! /// Not marked: exported inside `Order`'s files, which reach it.
//! #[derive(Record, Serialize, Deserialize)]
//! #[record(namespace = "com.acme.orders")]
//! struct Line { sku: String, qty: i32 }
//!
//! let dir = std::env::temp_dir().join("kafka-model-export-doc");
//! # let _ = std::fs::remove_dir_all(&dir);
//! let exporter = Exporter::new(&dir).add_entries(models_of!(crate));
//! let files = exporter.write()?;
//! let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
//! assert_eq!(names, [
//!     "com.acme.orders.Order.avsc",
//!     "com.acme.orders.Order.schema.json",
//!     "proto/com/acme/orders.proto",
//! ]);
//! // Writing again changes nothing, and the directory matches the code.
//! exporter.write()?;
//! assert!(exporter.check()?.is_empty());
//! // No type at all is an error, not an empty export.
//! assert!(Exporter::new(&dir).check().is_err());
//! # Ok::<(), kafka_model::export::ExportError>(())
//! ```
//!
//! # Layout
//!
//! * `<full name>.avsc`: the Avro schema of each exported type (nested named types are defined
//!   inline, once);
//! * `<full name>.schema.json`: its JSON Schema (draft-07);
//! * `proto/`: one proto root for all exported types, laid out as protoc expects: one file per
//!   package (`proto/com/acme/orders.proto` declares every type of `com.acme.orders` that an
//!   exported type reaches), importing the files of the other packages it uses, plus
//!   `proto/confluent/meta.proto` when a file imports it (`google/protobuf/*` files come with
//!   every Protobuf compiler and are not written). Compile it with one
//!   `protoc -I <dir>/proto <every file>`; register it with a registry file by file, each
//!   import as a reference named by its import path.
//!
//! Files are written in sorted order, with a final newline, and only when their content
//! changed, so a `build.rs` using `cargo:rerun-if-changed` does not loop; files of an earlier
//! export that the code no longer generates are removed.
//!
//! # Other link-time lists
//!
//! Every `#[derive(Record)]` type (marked or not) also submits itself for [`linked_models`]
//! (the generic deserializer finds writer types there); [`register!`] adds types to it.
//! That list holds what happens to be linked into the binary, so the export does not use it.

// Over 800 lines: one public API (layout, proto files by package, drift and compatibility gate);
// about a third is its documentation and doctests.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use crate::compat::protobuf::ProtoSource;
use crate::compat::{CompatReport, CompatibilityLevel, Format};
use crate::model::Model;
use crate::schema::{SchemaCache, Schemas};
use crate::{Record, SchemaError};

/// One exportable model: its description and schemas, without naming its Rust type.
///
/// Build one with [`ModelEntry::of`]; [`register!`] submits them for [`linked_models`].
// Plain function pointers to the type's own `Record` functions: nothing is instantiated per
// type but `type_name` (every derived type submits one entry; closures here cost each user's
// build ~4 % of the derive's compile time).
#[derive(Clone, Copy)]
pub struct ModelEntry {
    /// The Rust type's name (`my_crate::Order`), from `std::any::type_name`.
    pub type_name: fn() -> &'static str,
    /// The model description.
    pub model: fn() -> &'static Model,
    schema_cache: fn() -> &'static SchemaCache,
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
            schema_cache: T::schema_cache,
        }
    }

    /// The type's schemas, as [`Record::schemas`] gives them.
    ///
    /// ```
    /// # use kafka_model::Record;
    /// # #[derive(Record, serde::Serialize, serde::Deserialize)]
    /// # struct Order { id: String }
    /// let entry = kafka_model::export::ModelEntry::of::<Order>();
    /// assert_eq!(entry.schemas().avro()?.json(), Order::schemas().avro()?.json());
    /// # Ok::<(), kafka_model::SchemaError>(())
    /// ```
    pub fn schemas(&self) -> Schemas {
        Schemas::new((self.schema_cache)(), (self.model)())
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

/// The `inventory` crate, for [`register!`]'s and the derive's expansion; not public API.
#[doc(hidden)]
pub use inventory as __inventory;

/// Registers types for [`linked_models`] (not for the export: see [`models_of!`]).
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

/// A type marked `#[record(export)]`, with where it is defined. The derive submits one per
/// marked type; read them with [`models_of!`].
#[derive(Debug, Clone, Copy)]
pub struct ExportedModel {
    /// The module defining the type (`module_path!()`: `my_models::orders`).
    pub module_path: &'static str,
    /// The model.
    pub entry: ModelEntry,
}

impl ExportedModel {
    /// For the derive's expansion of `#[record(export)]`.
    #[doc(hidden)]
    pub const fn __of<T: Record>(module_path: &'static str) -> Self {
        ExportedModel {
            module_path,
            entry: ModelEntry::of::<T>(),
        }
    }

    /// The defining crate's name as Rust spells it (`my_models` for the package `my-models`).
    pub fn crate_name(&self) -> &'static str {
        crate_of(self.module_path)
    }
}

/// The crate of a `module_path!()`.
#[doc(hidden)]
pub fn crate_of(module_path: &str) -> &str {
    module_path.split("::").next().unwrap_or(module_path)
}

inventory::collect!(ExportedModel);

/// The types marked `#[record(export)]` in the crate named `crate_name` (as Rust spells it:
/// `my_models` for the package `my-models`), sorted by full name, each once. Empty when that
/// crate is not linked into the running binary: call it through [`models_of!`], which links it.
pub fn exported_models(crate_name: &str) -> Vec<ModelEntry> {
    let mut seen = BTreeMap::new();
    for exported in inventory::iter::<ExportedModel> {
        if exported.crate_name() == crate_name {
            let entry = exported.entry;
            seen.entry((entry.full_name(), (entry.type_name)()))
                .or_insert(entry);
        }
    }
    seen.into_values().collect()
}

/// The types a crate marks `#[record(export)]` (a `Vec<ModelEntry>` for
/// [`Exporter::add_entries`]).
///
/// * `models_of!(crate)`: the current crate's (in its own `#[cfg(test)]` tests, a `main.rs`, a
///   `build.rs` that `include!`s the models);
/// * `models_of!(my_models)`: the dependency `my_models`'s (in `tests/schemas.rs`, or a
///   `build.rs` with the models crate as a build-dependency). Naming the crate makes the
///   compiler link it, with every registration in it: the list cannot come out empty because
///   nothing referred to the crate.
///
/// ```
/// # use kafka_model::Record;
/// #[derive(Record, serde::Serialize, serde::Deserialize)]
/// #[record(namespace = "com.acme", export)]
/// struct Ping { seq: u32 }
///
/// let models = kafka_model::export::models_of!(crate);
/// assert_eq!(models.len(), 1);
/// assert_eq!(models[0].full_name(), "com.acme.Ping");
/// ```
#[macro_export]
macro_rules! __export_models_of {
    (crate) => {
        $crate::export::exported_models($crate::export::crate_of(::core::module_path!()))
    };
    ($krate:ident) => {{
        #[allow(unused_imports)]
        use $krate as _;
        $crate::export::exported_models(::core::stringify!($krate))
    }};
}

#[doc(inline)]
pub use crate::__export_models_of as models_of;

/// Which schema files to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ExportFormat {
    /// `<full name>.avsc`.
    Avro,
    /// `proto/...`.
    Protobuf,
    /// `<full name>.schema.json`.
    JsonSchema,
}

/// The proto root's directory inside the export directory.
const PROTO_DIR: &str = "proto";

/// Exporting schemas failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The exporter has no type: exporting or checking would pass while checking nothing.
    #[error(
        "no model to export into {}: mark the message types `#[record(export)]` and add them \
         with `.add_entries(kafka_model::export::models_of!(your_crate))` (or `.add::<T>()`)",
        dir.display()
    )]
    NoModels {
        /// The export directory.
        dir: PathBuf,
    },
    /// A model's schema could not be rendered.
    #[error("cannot render the {format:?} schema of `{type_name}`: {source}")]
    Schema {
        /// The Rust type (or `proto root` for the shared proto root).
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
        /// The model's full name, or the `.proto` file.
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
    /// An exported-looking file (`*.avsc`, `*.schema.json`, under `proto/` or an older
    /// export's `*.proto/`) that the code no longer generates.
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

/// The compatibility of one generated schema with its committed file
/// ([`Exporter::check_compatible`]).
#[derive(Debug, Clone)]
pub struct EntryReport {
    /// What was compared: the model's full name (Avro), or the package's file
    /// (Protobuf: `proto/com/acme/orders.proto`).
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
    /// An exporter writing into `dir` (created when missing), all three formats, no model yet.
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

    /// Adds models: typically `models_of!(my_models)` (see [`models_of!`]).
    #[must_use]
    pub fn add_entries(mut self, entries: impl IntoIterator<Item = ModelEntry>) -> Self {
        self.entries.extend(entries);
        self
    }

    /// Adds every model of [`linked_models`]: whatever happens to be linked into the binary.
    /// Prefer [`models_of!`], which cannot miss a crate's types.
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

    /// The models, each full name once, sorted by full name.
    ///
    /// # Errors
    ///
    /// [`ExportError::NoModels`] when there is none, [`ExportError::DuplicateName`] when two
    /// types share a full name.
    pub fn models(&self) -> Result<Vec<ModelEntry>, ExportError> {
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
        if by_name.is_empty() {
            return Err(ExportError::NoModels {
                dir: self.dir.clone(),
            });
        }
        Ok(by_name.into_values().collect())
    }

    /// Every file the exporter would write: path (relative to the directory) → content.
    ///
    /// # Errors
    ///
    /// As [`models`](Self::models), and [`ExportError::Schema`] when a schema cannot be
    /// rendered.
    pub fn files(&self) -> Result<BTreeMap<PathBuf, String>, ExportError> {
        let models = self.models()?;
        let mut files = BTreeMap::new();
        for entry in &models {
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
                let avro = entry.schemas().avro().map_err(err(ExportFormat::Avro))?;
                files.insert(
                    PathBuf::from(format!("{full_name}.avsc")),
                    with_newline(avro.json()),
                );
            }
            if self.formats.contains(&ExportFormat::JsonSchema) {
                let json = entry
                    .schemas()
                    .json()
                    .map_err(err(ExportFormat::JsonSchema))?;
                files.insert(
                    PathBuf::from(format!("{full_name}.schema.json")),
                    with_newline(json.text()),
                );
            }
        }
        if self.formats.contains(&ExportFormat::Protobuf) {
            let roots: Vec<&'static Model> = models.iter().map(|e| (e.model)()).collect();
            let root = crate::schema::proto::render_root(&roots).map_err(|source| {
                ExportError::Schema {
                    type_name: "proto root",
                    format: ExportFormat::Protobuf,
                    source,
                }
            })?;
            let dir = Path::new(PROTO_DIR);
            for file in root.files() {
                files.insert(dir.join(&file.name), with_newline(&file.text));
            }
            if root.imports_well_known().contains(&"confluent/meta.proto") {
                files.insert(
                    dir.join("confluent/meta.proto"),
                    with_newline(crate::schema::proto::CONFLUENT_META_PROTO),
                );
            }
        }
        Ok(files)
    }

    /// Writes the files (see [`files`](Self::files)) and returns their paths, relative to the
    /// directory, sorted. A file whose content is already right is left untouched; a stale
    /// file (see [`Drift::Stale`]) is removed.
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
        for rel in self.existing_entries()? {
            if files.contains_key(&rel) {
                continue;
            }
            let path = self.dir.join(&rel);
            std::fs::remove_file(&path).map_err(|source| ExportError::Io { path, source })?;
            // Drop the directories the removal emptied (`remove_dir` fails on the others).
            for parent in rel.ancestors().skip(1) {
                if parent.as_os_str().is_empty()
                    || std::fs::remove_dir(self.dir.join(parent)).is_err()
                {
                    break;
                }
            }
        }
        Ok(files.into_keys().collect())
    }

    /// Compares the directory with what the code generates (the drift check for CI): missing
    /// files, changed files, and stale files. Empty means up to date.
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
    /// When the files drifted, or cannot be rendered, read or written — and when there is no
    /// model ([`ExportError::NoModels`]), also in update mode.
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

    /// A test helper: panics, listing every incompatibility, when a generated schema is not
    /// compatible at `level` with its committed file (see
    /// [`check_compatible`](Self::check_compatible)).
    ///
    /// # Panics
    ///
    /// When a schema is incompatible, or the files cannot be rendered, read or parsed, or there
    /// is no model.
    pub fn assert_compatible(&self, level: CompatibilityLevel) {
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

    /// The whole gate for a test: [`assert_compatible`](Self::assert_compatible) at `level`
    /// first (so refreshing cannot hide a breaking change), then
    /// [`assert_up_to_date`](Self::assert_up_to_date) with `refresh`.
    ///
    /// # Panics
    ///
    /// As those two.
    pub fn assert_gate(&self, level: CompatibilityLevel, refresh: &str) {
        self.assert_compatible(level);
        self.assert_up_to_date(refresh);
    }

    /// Checks the generated schemas against the ones committed in the directory, at `level`,
    /// with the committed file as the previous version: the check to run in CI before
    /// [`write`](Self::write) refreshes the files. Each model's `.avsc` and `.schema.json` are
    /// compared with their committed copies (Avro resolution rules; Confluent's JSON Schema rules,
    /// where the content model matters), each package file of the proto root with its committed
    /// copy (imports from the same root); schemas with no committed file are skipped.
    ///
    /// # Errors
    ///
    /// As [`files`](Self::files); [`ExportError::Compat`] when a committed schema does not
    /// parse; [`ExportError::Io`] when it cannot be read.
    ///
    /// ```
    /// use kafka_model::compat::CompatibilityLevel;
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
    /// let reports = Exporter::new(&dir).add::<Order>().check_compatible(CompatibilityLevel::Backward)?;
    /// assert_eq!(reports.len(), 1);
    /// assert!(!reports[0].report.compatible);
    /// assert_eq!(reports[0].report.issues[0].path, "/fields/1/type");
    /// # Ok::<(), kafka_model::export::ExportError>(())
    /// ```
    pub fn check_compatible(
        &self,
        level: CompatibilityLevel,
    ) -> Result<Vec<EntryReport>, ExportError> {
        let generated = self.files()?;
        let mut reports = Vec::new();
        for entry in self.models()? {
            let full_name = entry.full_name();
            // Each top-level type's own files; the proto root is checked per package below.
            let own_files = [
                (
                    ExportFormat::Avro,
                    Format::Avro,
                    format!("{full_name}.avsc"),
                ),
                (
                    ExportFormat::JsonSchema,
                    Format::Json,
                    format!("{full_name}.schema.json"),
                ),
            ];
            for (export_format, format, file) in own_files {
                let file = PathBuf::from(file);
                let (Some(new), Some(old)) = (generated.get(&file), self.read_committed(&file)?)
                else {
                    continue;
                };
                let report =
                    crate::compat::check(format, level, new, &[&old]).map_err(|source| {
                        ExportError::Compat {
                            full_name: full_name.clone(),
                            source,
                        }
                    })?;
                reports.push(EntryReport {
                    full_name: full_name.clone(),
                    format: export_format,
                    report,
                });
            }
        }
        // Each package file of the proto root, with the rest of its root as imports.
        let proto_dir = Path::new(PROTO_DIR);
        let generated_protos = proto_files(&generated, proto_dir);
        if generated_protos.is_empty() {
            return Ok(reports);
        }
        let mut committed = BTreeMap::new();
        for rel in self.existing_entries()? {
            if rel.starts_with(proto_dir) {
                if let Some(text) = self.read_committed(&rel)? {
                    committed.insert(rel, text);
                }
            }
        }
        let committed_protos = proto_files(&committed, proto_dir);
        for (name, new_text) in &generated_protos {
            if name == "confluent/meta.proto" {
                continue;
            }
            let Some(old_text) = committed_protos.get(name) else {
                continue;
            };
            let source = |main: &str, files: &BTreeMap<String, &String>| {
                let mut src = ProtoSource::new(main.to_owned()).with_name(name.clone());
                for (dep, text) in files {
                    if dep != name && dep != "confluent/meta.proto" {
                        src = src.with_dependency(dep.clone(), (*text).clone());
                    }
                }
                src
            };
            let new = source(new_text, &generated_protos);
            let old = source(old_text, &committed_protos);
            let file = format!("{PROTO_DIR}/{name}");
            let report = crate::compat::protobuf::check(level, &new, &[old]).map_err(|source| {
                ExportError::Compat {
                    full_name: file.clone(),
                    source,
                }
            })?;
            reports.push(EntryReport {
                full_name: file,
                format: ExportFormat::Protobuf,
                report,
            });
        }
        Ok(reports)
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

    /// Files in the directory that look exported: `*.avsc` and `*.schema.json` at the top,
    /// every file under `proto/` and under an older export's `<full name>.proto/` directories.
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
        let top: Vec<_> = read.collect::<Result<Vec<_>, _>>().map_err(io(&self.dir))?;
        for entry in top {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if path.is_dir() && (name == PROTO_DIR || name.ends_with(".proto")) {
                let mut stack = vec![path];
                while let Some(d) = stack.pop() {
                    let items: Vec<_> = std::fs::read_dir(&d)
                        .map_err(io(&d))?
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(io(&d))?;
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

/// The `.proto` files under `dir` in `files`, by import path (`com/acme/orders.proto`).
fn proto_files<'a>(
    files: &'a BTreeMap<PathBuf, String>,
    dir: &Path,
) -> BTreeMap<String, &'a String> {
    files
        .iter()
        .filter_map(|(rel, text)| {
            let inner = rel.strip_prefix(dir).ok()?;
            let name = inner.to_string_lossy().replace('\\', "/");
            name.ends_with(".proto").then_some((name, text))
        })
        .collect()
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
