//! Bounded load test: 8 tasks share one serializer and one deserializer per format; exactly
//! one registry request per distinct schema, every result equal to its input.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use kafka_model::registry::{
    CompatibilityLevel, CompatibilityResult, MemoryRegistry, Mode, RegisteredSchema, Registration,
    Result, Schema, SchemaRegistry, SchemaType, SubjectVersion, Version,
};
use kafka_model::serdes::{
    Deserializer, DeserializerConfig, SerdeFormat, Serializer, SerializerConfig,
};
use kafka_model::Record;
use serde::{Deserialize, Serialize};

/// Counts every registry call by method name.
#[derive(Debug, Default)]
struct Counting {
    inner: MemoryRegistry,
    calls: Mutex<HashMap<&'static str, usize>>,
}

impl Counting {
    fn hit(&self, m: &'static str) {
        *self.calls.lock().unwrap().entry(m).or_default() += 1;
    }
    fn count(&self, m: &str) -> usize {
        self.calls.lock().unwrap().get(m).copied().unwrap_or(0)
    }
    fn total(&self) -> usize {
        self.calls.lock().unwrap().values().sum()
    }
}

#[async_trait]
impl SchemaRegistry for Counting {
    async fn schema_types(&self) -> Result<Vec<SchemaType>> {
        self.hit("schema_types");
        self.inner.schema_types().await
    }
    async fn subjects(&self, deleted: bool) -> Result<Vec<String>> {
        self.hit("subjects");
        self.inner.subjects(deleted).await
    }
    async fn versions(&self, subject: &str, deleted: bool) -> Result<Vec<i32>> {
        self.hit("versions");
        self.inner.versions(subject, deleted).await
    }
    async fn version(
        &self,
        subject: &str,
        version: Version,
        deleted: bool,
    ) -> Result<RegisteredSchema> {
        self.hit("version");
        self.inner.version(subject, version, deleted).await
    }
    async fn register(
        &self,
        subject: &str,
        schema: &Schema,
        normalize: bool,
    ) -> Result<Registration> {
        self.hit("register");
        self.inner.register(subject, schema, normalize).await
    }
    async fn lookup(
        &self,
        subject: &str,
        schema: &Schema,
        normalize: bool,
        deleted: bool,
    ) -> Result<RegisteredSchema> {
        self.hit("lookup");
        self.inner.lookup(subject, schema, normalize, deleted).await
    }
    async fn schema_by_id(
        &self,
        id: i64,
        subject: Option<&str>,
        format: Option<&str>,
    ) -> Result<Schema> {
        self.hit("schema_by_id");
        self.inner.schema_by_id(id, subject, format).await
    }
    async fn schema_by_guid(&self, guid: &str, format: Option<&str>) -> Result<Schema> {
        self.hit("schema_by_guid");
        self.inner.schema_by_guid(guid, format).await
    }
    async fn id_versions(&self, id: i64) -> Result<Vec<SubjectVersion>> {
        self.hit("id_versions");
        self.inner.id_versions(id).await
    }
    async fn id_subjects(&self, id: i64, deleted: bool) -> Result<Vec<String>> {
        self.hit("id_subjects");
        self.inner.id_subjects(id, deleted).await
    }
    async fn referenced_by(&self, subject: &str, version: Version) -> Result<Vec<i64>> {
        self.hit("referenced_by");
        self.inner.referenced_by(subject, version).await
    }
    async fn delete_subject(&self, subject: &str, permanent: bool) -> Result<Vec<i32>> {
        self.hit("delete_subject");
        self.inner.delete_subject(subject, permanent).await
    }
    async fn delete_version(
        &self,
        subject: &str,
        version: Version,
        permanent: bool,
    ) -> Result<i32> {
        self.hit("delete_version");
        self.inner.delete_version(subject, version, permanent).await
    }
    async fn test_compatibility(
        &self,
        subject: &str,
        version: Option<Version>,
        schema: &Schema,
        verbose: bool,
    ) -> Result<CompatibilityResult> {
        self.hit("test_compatibility");
        self.inner
            .test_compatibility(subject, version, schema, verbose)
            .await
    }
    async fn config(
        &self,
        subject: Option<&str>,
        default_to_global: bool,
    ) -> Result<CompatibilityLevel> {
        self.hit("config");
        self.inner.config(subject, default_to_global).await
    }
    async fn set_config(
        &self,
        subject: Option<&str>,
        level: CompatibilityLevel,
    ) -> Result<CompatibilityLevel> {
        self.hit("set_config");
        self.inner.set_config(subject, level).await
    }
    async fn delete_config(&self, subject: Option<&str>) -> Result<CompatibilityLevel> {
        self.hit("delete_config");
        self.inner.delete_config(subject).await
    }
    async fn mode(&self, subject: Option<&str>, default_to_global: bool) -> Result<Mode> {
        self.hit("mode");
        self.inner.mode(subject, default_to_global).await
    }
    async fn set_mode(&self, subject: Option<&str>, mode: Mode) -> Result<Mode> {
        self.hit("set_mode");
        self.inner.set_mode(subject, mode).await
    }
    async fn delete_mode(&self, subject: Option<&str>) -> Result<Mode> {
        self.hit("delete_mode");
        self.inner.delete_mode(subject).await
    }
    async fn contexts(&self) -> Result<Vec<String>> {
        self.hit("contexts");
        self.inner.contexts().await
    }
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "com.acme.load")]
struct Small {
    id: i64,
    name: String,
    score: f64,
    active: bool,
    count: i32,
    tag: Option<String>,
}

/// Calls per task (about 10 s for the three formats in a debug build).
const PER_TASK: i64 = 100_000;
const TASKS: i64 = 8;

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn eight_tasks_share_one_serializer_and_deserializer() {
    for format in [SerdeFormat::Avro, SerdeFormat::Protobuf, SerdeFormat::Json] {
        let registry = Arc::new(Counting::default());
        let ser = Arc::new(
            Serializer::<Small>::new(registry.clone(), SerializerConfig::new(format)).unwrap(),
        );
        let de = Arc::new(Deserializer::<Small>::new(
            registry.clone(),
            DeserializerConfig::new(format),
        ));
        let tasks: Vec<_> = (0..TASKS)
            .map(|t| {
                let (ser, de) = (ser.clone(), de.clone());
                tokio::spawn(async move {
                    for i in 0..PER_TASK {
                        let v = Small {
                            id: t * PER_TASK + i,
                            name: "ada lovelace".into(),
                            score: i as f64 / 4.0, // exact in binary: JSON text round-trips it
                            active: i % 2 == 0,
                            count: i as i32,
                            tag: Some("x".into()),
                        };
                        let (payload, headers) =
                            ser.serialize("load", &v).await.expect("serialize");
                        let back = de
                            .deserialize("load", &payload, &headers)
                            .await
                            .expect("deserialize");
                        assert_eq!(back, v);
                    }
                })
            })
            .collect();
        for t in tasks {
            t.await.expect("task");
        }
        // One schema: one registration and one fetch by id, whatever the concurrency.
        assert_eq!(registry.count("register"), 1, "{format:?}");
        assert_eq!(registry.count("schema_by_id"), 1, "{format:?}");
        assert_eq!(registry.total(), 2, "{format:?}");
    }
}
