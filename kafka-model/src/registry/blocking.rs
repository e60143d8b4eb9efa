//! A blocking facade over any [`SchemaRegistry`], for code without an async runtime.
//!
//! It owns a small current-thread tokio runtime and blocks on the async call. Do not use it from
//! inside an async runtime (tokio panics on nested `block_on`): call the async trait there.

use std::sync::Arc;

use super::{
    CompatibilityLevel, CompatibilityResult, RegisteredSchema, Registration, RegistryError, Result,
    Schema, SchemaRegistry, Version,
};

/// Blocking calls to a registry.
///
/// ```
/// use kafka_model::registry::{blocking::BlockingRegistry, MemoryRegistry, Schema};
///
/// let registry = BlockingRegistry::new(MemoryRegistry::new())?;
/// let reg = registry.register("t-value", &Schema::avro(r#""string""#))?;
/// assert_eq!(registry.schema_by_id(reg.id)?.schema, r#""string""#);
/// assert_eq!(registry.latest("t-value")?.id, reg.id);
/// # Ok::<(), kafka_model::registry::RegistryError>(())
/// ```
#[derive(Debug)]
pub struct BlockingRegistry {
    inner: Arc<dyn SchemaRegistry>,
    runtime: tokio::runtime::Runtime,
}

impl BlockingRegistry {
    /// Wraps a registry.
    pub fn new(registry: impl SchemaRegistry + 'static) -> Result<Self> {
        Self::from_arc(Arc::new(registry))
    }

    /// Wraps a shared registry.
    pub fn from_arc(inner: Arc<dyn SchemaRegistry>) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| RegistryError::Config {
                message: format!("cannot start a runtime for the blocking registry: {e}"),
            })?;
        Ok(BlockingRegistry { inner, runtime })
    }

    /// The async registry behind the facade.
    pub fn inner(&self) -> &Arc<dyn SchemaRegistry> {
        &self.inner
    }

    /// See [`SchemaRegistry::register`] (`normalize = false`).
    pub fn register(&self, subject: &str, schema: &Schema) -> Result<Registration> {
        self.runtime
            .block_on(self.inner.register(subject, schema, false))
    }

    /// See [`SchemaRegistry::lookup`].
    pub fn lookup(&self, subject: &str, schema: &Schema) -> Result<RegisteredSchema> {
        self.runtime
            .block_on(self.inner.lookup(subject, schema, false, false))
    }

    /// See [`SchemaRegistry::schema_by_id`].
    pub fn schema_by_id(&self, id: i64) -> Result<Schema> {
        self.runtime
            .block_on(self.inner.schema_by_id(id, None, None))
    }

    /// See [`SchemaRegistry::schema_by_guid`].
    pub fn schema_by_guid(&self, guid: &str) -> Result<Schema> {
        self.runtime.block_on(self.inner.schema_by_guid(guid, None))
    }

    /// See [`SchemaRegistry::latest`].
    pub fn latest(&self, subject: &str) -> Result<RegisteredSchema> {
        self.runtime.block_on(self.inner.latest(subject))
    }

    /// See [`SchemaRegistry::version`].
    pub fn version(&self, subject: &str, version: Version) -> Result<RegisteredSchema> {
        self.runtime
            .block_on(self.inner.version(subject, version, false))
    }

    /// See [`SchemaRegistry::subjects`].
    pub fn subjects(&self, deleted: bool) -> Result<Vec<String>> {
        self.runtime.block_on(self.inner.subjects(deleted))
    }

    /// See [`SchemaRegistry::versions`].
    pub fn versions(&self, subject: &str) -> Result<Vec<i32>> {
        self.runtime.block_on(self.inner.versions(subject, false))
    }

    /// See [`SchemaRegistry::delete_subject`].
    pub fn delete_subject(&self, subject: &str, permanent: bool) -> Result<Vec<i32>> {
        self.runtime
            .block_on(self.inner.delete_subject(subject, permanent))
    }

    /// See [`SchemaRegistry::test_compatibility`] (against all versions, verbose).
    pub fn test_compatibility(
        &self,
        subject: &str,
        schema: &Schema,
    ) -> Result<CompatibilityResult> {
        self.runtime
            .block_on(self.inner.test_compatibility(subject, None, schema, true))
    }

    /// See [`SchemaRegistry::set_config`].
    pub fn set_config(
        &self,
        subject: Option<&str>,
        level: CompatibilityLevel,
    ) -> Result<CompatibilityLevel> {
        self.runtime.block_on(self.inner.set_config(subject, level))
    }
}
