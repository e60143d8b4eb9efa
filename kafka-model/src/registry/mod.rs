//! Schema registries: one async trait, the embedded in-memory registry, Confluent and Apicurio
//! clients, subject-name strategies and an embedded Confluent-compatible HTTP server.
//!
//! - [`SchemaRegistry`] is the one trait every registry implements (object-safe: use
//!   `Arc<dyn SchemaRegistry>`).
//! - [`MemoryRegistry`] is the embedded default: in-process, with a real Confluent server's
//!   semantics (global ids, versions per subject, soft then permanent deletes, real error codes,
//!   compatibility levels). [`MemoryRegistry::open`] keeps it in a file, crash-safe
//!   ([`persist`]: a snapshot plus a journal fsynced before each write is answered).
//! - `ConfluentRegistry` (feature `http`) speaks Confluent's REST API over reqwest, with
//!   retries, fail-over, auth and caches.
//! - `ApicurioRegistry` (feature `http`) speaks Apicurio Registry's v3 REST API.
//! - `server::serve` (feature `server`) serves a [`MemoryRegistry`] over Confluent's REST API.
//! - [`SubjectNameStrategy`] names subjects (`<topic>-value`, record name, …).
//! - [`references`]: schemas whose types come from other subjects ([`SchemaWithDeps`],
//!   registered dependencies first) and their recursive resolution by id ([`ResolvedSchema`]).
//!
//! ```
//! use kafka_model::registry::{MemoryRegistry, Schema, SchemaRegistry, Version};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), kafka_model::registry::RegistryError> {
//! let registry = MemoryRegistry::new();
//! let schema = Schema::avro(r#"{"type":"record","name":"Ping","fields":[{"name":"seq","type":"int"}]}"#);
//! let a = registry.register("pings-value", &schema, false).await?;
//! let b = registry.register("other-value", &schema, false).await?;
//! assert_eq!(a.id, b.id); // one id per schema content, as in Confluent
//! let latest = registry.version("pings-value", Version::Latest, false).await?;
//! assert_eq!((latest.id, latest.version), (a.id, 1));
//! # Ok(())
//! # }
//! ```

use std::fmt::Debug;

use async_trait::async_trait;

#[cfg(feature = "http")]
mod answer_check;
pub mod blocking;
pub mod checker;
mod error;
pub mod memory;
pub mod persist;
pub mod references;
pub mod subject;
mod types;

#[cfg(feature = "http")]
pub mod apicurio;
#[cfg(feature = "http")]
mod cache;
#[cfg(feature = "http")]
pub mod confluent;
#[cfg(feature = "http")]
mod transport;

#[cfg(feature = "server")]
pub mod server;

pub use crate::compat::CompatibilityLevel;
pub use checker::{CompatibilityChecker, LocalChecker, ResolutionChecker};
pub use error::RegistryError;
pub use memory::MemoryRegistry;
pub use persist::{PersistError, PersistOptions};
pub use references::{Dependency, ResolvedReference, ResolvedSchema, SchemaWithDeps};
pub use subject::{SubjectNameStrategy, SubjectRole};
pub use types::{
    CompatibilityResult, Mode, RegisteredSchema, Registration, Schema, SchemaReference, SchemaType,
    SubjectVersion, Version,
};

#[cfg(feature = "http")]
pub use apicurio::ApicurioRegistry;
#[cfg(feature = "http")]
pub use confluent::ConfluentRegistry;
#[cfg(feature = "http")]
pub use transport::{
    redact_url, Auth, RetryPolicy, DEFAULT_DEADLINE, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT,
};

/// The result of a registry operation.
pub type Result<T, E = RegistryError> = std::result::Result<T, E>;

/// A schema registry, in the terms of Confluent's REST API.
///
/// Object-safe (`Arc<dyn SchemaRegistry>`); every method is one REST call on the HTTP clients.
/// Implementations that cannot offer an operation answer [`RegistryError::Unsupported`].
#[async_trait]
pub trait SchemaRegistry: Send + Sync + Debug {
    /// The schema types the registry accepts (`GET /schemas/types`).
    async fn schema_types(&self) -> Result<Vec<SchemaType>>;

    /// Subjects (`GET /subjects`), including soft-deleted ones when `deleted`.
    async fn subjects(&self, deleted: bool) -> Result<Vec<String>>;

    /// Versions of a subject (`GET /subjects/{s}/versions`).
    async fn versions(&self, subject: &str, deleted: bool) -> Result<Vec<i32>>;

    /// One version of a subject (`GET /subjects/{s}/versions/{v}`).
    async fn version(
        &self,
        subject: &str,
        version: Version,
        deleted: bool,
    ) -> Result<RegisteredSchema>;

    /// The latest version of a subject (cached with a TTL by the HTTP clients).
    async fn latest(&self, subject: &str) -> Result<RegisteredSchema> {
        self.version(subject, Version::Latest, false).await
    }

    /// Registers a schema under a subject, or finds it when it is already there
    /// (`POST /subjects/{s}/versions`).
    async fn register(
        &self,
        subject: &str,
        schema: &Schema,
        normalize: bool,
    ) -> Result<Registration>;

    /// Registers a schema whose types come from other subjects: its dependencies first (each
    /// under its own subject, in dependency order, with references to the versions just
    /// registered), then the schema under `subject` with references to them. Which schema uses
    /// which is read from the schemas (Protobuf imports, Avro type names, JSON `$ref`s); see
    /// [`references`]. Registering the same graph again answers the same ids.
    ///
    /// ```
    /// use kafka_model::registry::{MemoryRegistry, Schema, SchemaRegistry, SchemaWithDeps};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), kafka_model::registry::RegistryError> {
    /// let r = MemoryRegistry::new();
    /// let common = Schema::protobuf("syntax = \"proto3\"; package acme; message Money { int64 cents = 1; }");
    /// let order = Schema::protobuf("syntax = \"proto3\"; package acme; import \"acme/common.proto\"; message Order { Money total = 1; }");
    /// let graph = SchemaWithDeps::new(order).with_dependency("acme/common.proto", "acme/common.proto", common);
    /// let reg = r.register_with_references("orders-value", &graph, false).await?;
    /// let stored = r.schema_by_id(reg.id, None, None).await?;
    /// assert_eq!(stored.references[0].subject, "acme/common.proto");
    /// assert_eq!(stored.references[0].version, 1);
    /// # Ok(())
    /// # }
    /// ```
    async fn register_with_references(
        &self,
        subject: &str,
        schema: &SchemaWithDeps,
        normalize: bool,
    ) -> Result<Registration> {
        references::register_with_references(self, subject, schema, normalize).await
    }

    /// Finds a schema under a subject without registering it (`POST /subjects/{s}`).
    async fn lookup(
        &self,
        subject: &str,
        schema: &Schema,
        normalize: bool,
        deleted: bool,
    ) -> Result<RegisteredSchema>;

    /// A schema by id (`GET /schemas/ids/{id}?subject=&format=`).
    async fn schema_by_id(
        &self,
        id: i64,
        subject: Option<&str>,
        format: Option<&str>,
    ) -> Result<Schema>;

    /// A schema by id with every schema its references reach, recursively (dependencies first,
    /// each once, at most [`references::MAX_REFERENCE_DEPTH`] levels deep, safe against
    /// cycles). The referenced schemas are fetched as subject versions
    /// (`GET /subjects/{s}/versions/{v}`), which the HTTP clients cache.
    async fn schema_with_references(
        &self,
        id: i64,
        subject: Option<&str>,
        format: Option<&str>,
    ) -> Result<ResolvedSchema> {
        references::schema_with_references(self, id, subject, format).await
    }

    /// A schema by GUID (`GET /schemas/guids/{guid}`), for the header wire format.
    async fn schema_by_guid(&self, guid: &str, format: Option<&str>) -> Result<Schema>;

    /// Subject-versions holding a schema id (`GET /schemas/ids/{id}/versions`).
    async fn id_versions(&self, id: i64) -> Result<Vec<SubjectVersion>>;

    /// Subjects holding a schema id (`GET /schemas/ids/{id}/subjects`).
    async fn id_subjects(&self, id: i64, deleted: bool) -> Result<Vec<String>>;

    /// Ids of schemas referencing a subject version
    /// (`GET /subjects/{s}/versions/{v}/referencedby`).
    async fn referenced_by(&self, subject: &str, version: Version) -> Result<Vec<i64>>;

    /// Deletes a subject (`DELETE /subjects/{s}[?permanent=true]`): soft first, then
    /// permanent. Answers the deleted versions.
    async fn delete_subject(&self, subject: &str, permanent: bool) -> Result<Vec<i32>>;

    /// Deletes a version (`DELETE /subjects/{s}/versions/{v}[?permanent=true]`).
    async fn delete_version(&self, subject: &str, version: Version, permanent: bool)
        -> Result<i32>;

    /// Tests a schema against one version (`Some`) or all versions (`None`) of a subject
    /// (`POST /compatibility/subjects/{s}/versions[/{v}]?verbose=`).
    async fn test_compatibility(
        &self,
        subject: &str,
        version: Option<Version>,
        schema: &Schema,
        verbose: bool,
    ) -> Result<CompatibilityResult>;

    /// The compatibility level, global (`None`) or of a subject (`GET /config[/{s}]`).
    async fn config(
        &self,
        subject: Option<&str>,
        default_to_global: bool,
    ) -> Result<CompatibilityLevel>;

    /// Sets the compatibility level (`PUT /config[/{s}]`).
    async fn set_config(
        &self,
        subject: Option<&str>,
        level: CompatibilityLevel,
    ) -> Result<CompatibilityLevel>;

    /// Removes a subject's level, or resets the global one (`DELETE /config[/{s}]`); answers the
    /// level that was set.
    async fn delete_config(&self, subject: Option<&str>) -> Result<CompatibilityLevel>;

    /// The mode, global (`None`) or of a subject (`GET /mode[/{s}]`).
    async fn mode(&self, subject: Option<&str>, default_to_global: bool) -> Result<Mode>;

    /// Sets the mode (`PUT /mode[/{s}]`).
    async fn set_mode(&self, subject: Option<&str>, mode: Mode) -> Result<Mode>;

    /// Removes a subject's mode, or resets the global one (`DELETE /mode[/{s}]`).
    async fn delete_mode(&self, subject: Option<&str>) -> Result<Mode>;

    /// Schema contexts (`GET /contexts`).
    async fn contexts(&self) -> Result<Vec<String>>;
}
