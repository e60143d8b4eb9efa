//! The Apicurio Registry v3 REST client (base `/apis/registry/v3`).
//!
//! Facts relied on (Apicurio's `openapi.json` v3 and its Java `RegistryClientFacadeImpl`):
//! - create an artifact and its first version, or find the identical version:
//!   `POST /groups/{g}/artifacts?ifExists=FIND_OR_CREATE_VERSION` with
//!   `CreateArtifact {artifactId, artifactType, firstVersion: {content: {content, contentType,
//!   references}}}`, answering `CreateArtifactResponse {artifact, version: VersionMetaData}`;
//! - add a version: `POST /groups/{g}/artifacts/{a}/versions` with `CreateVersion`, answering
//!   `VersionMetaData`;
//! - version metadata: `GET /groups/{g}/artifacts/{a}/versions/{expr}`, where the latest
//!   version is the expression `branch=latest`; ids (`globalId`, `contentId`, both int64) are
//!   read from this JSON, as Apicurio's own resolver does, never from response headers;
//! - version content: `GET …/versions/{expr}/content`;
//! - find by content: `POST /search/versions?groupId=&artifactId=&canonical=` with the schema
//!   text as body, answering `VersionSearchResults {count, versions: [SearchedVersion]}`;
//! - content by id: `GET /ids/globalIds/{id}`, `GET /ids/contentIds/{id}`; references:
//!   `GET /ids/{globalIds|contentIds}/{id}/references` (`[{groupId, artifactId, version,
//!   name}]`);
//! - content types: Avro and JSON Schema `application/json`, Protobuf
//!   `application/x-protobuf`; errors are `ProblemDetails {title, status, detail, name}`.
//!
//! As a [`SchemaRegistry`], a subject is an artifact id in the client's group, a version number
//! is the version string (numeric by default in Apicurio), and the schema id is the contentId
//! (Apicurio 3.x serdes' default) or the globalId ([`ApicurioIdKind`]). Operations without an
//! Apicurio equivalent answer [`RegistryError::Unsupported`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::answer_check::checked;
use super::cache::FlightCache;
use super::transport::{
    parse_json, preview, segment, Auth, Body, RetryPolicy, Transport, TransportConfig,
};
use super::{
    CompatibilityLevel, CompatibilityResult, Mode, RegisteredSchema, Registration, RegistryError,
    Result, Schema, SchemaReference, SchemaRegistry, SchemaType, SubjectVersion, Version,
};

/// Which Apicurio id a [`SchemaRegistry`] call answers as the schema id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ApicurioIdKind {
    /// Unique per content (Apicurio 3.x serdes' default; like Confluent's ids).
    #[default]
    ContentId,
    /// Unique per artifact version (Apicurio 2.x serdes' default).
    GlobalId,
}

/// Version metadata (`VersionMetaData` / `SearchedVersion`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactVersion {
    /// The group (`None` is the `default` group).
    #[serde(default)]
    pub group_id: Option<String>,
    /// The artifact id.
    #[serde(default)]
    pub artifact_id: String,
    /// The version string.
    pub version: String,
    /// Unique per artifact version.
    pub global_id: i64,
    /// Unique per content.
    pub content_id: i64,
    /// `AVRO`, `PROTOBUF`, `JSON`, …
    #[serde(default)]
    pub artifact_type: Option<String>,
}

impl ArtifactVersion {
    /// The id of the given kind.
    pub fn id(&self, kind: ApicurioIdKind) -> i64 {
        match kind {
            ApicurioIdKind::ContentId => self.content_id,
            ApicurioIdKind::GlobalId => self.global_id,
        }
    }
}

/// A reference to another artifact version (`ArtifactReference`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactReference {
    /// The group.
    #[serde(default)]
    pub group_id: Option<String>,
    /// The artifact.
    pub artifact_id: String,
    /// The version.
    #[serde(default)]
    pub version: Option<String>,
    /// The name the referencing schema uses.
    pub name: String,
}

/// Builds an [`ApicurioRegistry`].
///
/// ```
/// use kafka_model::registry::apicurio::{ApicurioIdKind, ApicurioRegistry};
///
/// let client = ApicurioRegistry::builder("http://apicurio:8080/apis/registry/v3")
///     .group("payments")
///     .id_kind(ApicurioIdKind::GlobalId)
///     .bearer_auth("t0ken")
///     .build()?;
/// assert!(!format!("{client:?}").contains("t0ken"));
/// # Ok::<(), kafka_model::registry::RegistryError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ApicurioRegistryBuilder {
    config: TransportConfig,
    group: String,
    id_kind: ApicurioIdKind,
    cache_capacity: usize,
}

impl ApicurioRegistryBuilder {
    /// Adds a base URL (ending in `/apis/registry/v3`), tried in order: a connection failure or
    /// a retriable status (408, 429, 5xx) moves on to the next.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.config.urls.push(url.into());
        self
    }

    /// The group artifacts live in (default `default`).
    pub fn group(mut self, group: impl Into<String>) -> Self {
        self.group = group.into();
        self
    }

    /// Which id the [`SchemaRegistry`] methods answer (default contentId).
    pub fn id_kind(mut self, kind: ApicurioIdKind) -> Self {
        self.id_kind = kind;
        self
    }

    /// Sets the credentials.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.config.auth = auth;
        self
    }

    /// HTTP basic auth.
    pub fn basic_auth(self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.auth(Auth::basic(username, password))
    }

    /// Bearer-token auth.
    pub fn bearer_auth(self, token: impl Into<String>) -> Self {
        self.auth(Auth::bearer(token))
    }

    /// The retry policy.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.config.retry = retry;
        self
    }

    /// Timeout of one request attempt (default 10 s, as confluent-kafka-go).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout = timeout;
        self
    }

    /// Bound on a whole call: every attempt, fail-over and backoff wait (default
    /// [`DEFAULT_DEADLINE`](crate::registry::DEFAULT_DEADLINE), 30 s). Past it the call fails
    /// with a timeout [`RegistryError::Transport`]. `Duration::MAX` removes the bound.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.config.deadline = deadline;
        self
    }

    /// Largest answer body read, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`](crate::registry::DEFAULT_MAX_RESPONSE_BYTES), 8 MiB).
    /// A larger answer fails with [`RegistryError::ResponseTooLarge`] without being read.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.config.max_response_bytes = limit;
        self
    }

    /// Trusts another CA (PEM). Needs feature `rustls`.
    pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.config.root_certificates_pem.push(pem.into());
        self
    }

    /// Capacity of each cache (default 1,000 entries).
    pub fn cache_capacity(mut self, capacity: usize) -> Self {
        self.cache_capacity = capacity;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<ApicurioRegistry> {
        let transport = Transport::new(
            self.config,
            "application/json",
            "application/json",
            map_error,
        )?;
        Ok(ApicurioRegistry {
            inner: Arc::new(Inner {
                transport,
                group: self.group,
                id_kind: self.id_kind,
                contents: FlightCache::new(self.cache_capacity, None),
                registrations: FlightCache::new(self.cache_capacity, None),
            }),
        })
    }
}

struct Inner {
    transport: Transport,
    group: String,
    id_kind: ApicurioIdKind,
    contents: FlightCache<(bool, i64), Schema>,
    registrations: FlightCache<(String, Schema), ArtifactVersion>,
}

/// A client of Apicurio Registry's v3 REST API. Cheap to clone.
#[derive(Clone)]
pub struct ApicurioRegistry {
    inner: Arc<Inner>,
}

impl fmt::Debug for ApicurioRegistry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApicurioRegistry")
            .field("transport", &self.inner.transport)
            .field("group", &self.inner.group)
            .field("id_kind", &self.inner.id_kind)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct ProblemDetails {
    title: Option<String>,
    detail: Option<String>,
    name: Option<String>,
}

fn map_error(status: u16, body: &[u8]) -> RegistryError {
    let (name, message) = match serde_json::from_slice::<ProblemDetails>(body) {
        Ok(p) => {
            let message = match (p.title, p.detail) {
                (Some(t), Some(d)) if t != d => format!("{t}: {d}"),
                (Some(t), _) => t,
                (None, Some(d)) => d,
                (None, None) => format!("HTTP {status}"),
            };
            (p.name.unwrap_or_default(), message)
        }
        Err(_) => (String::new(), format!("HTTP {status}: {}", preview(body))),
    };
    let text = format!("{name} {message}");
    match status {
        404 if text.contains("VersionNotFound") => RegistryError::VersionNotFound { message },
        404 if text.contains("ArtifactNotFound") || text.contains("GroupNotFound") => {
            RegistryError::SubjectNotFound { message }
        }
        404 => RegistryError::SchemaNotFound { message },
        400 | 409 if text.contains("RuleViolation") => {
            if text.to_ascii_uppercase().contains("COMPATIB") {
                RegistryError::Incompatible { message }
            } else {
                RegistryError::InvalidSchema { message }
            }
        }
        422 => RegistryError::InvalidSchema { message },
        _ => RegistryError::from_api(status, None, message),
    }
}

fn content_type(t: SchemaType) -> &'static str {
    match t {
        SchemaType::Avro | SchemaType::Json => "application/json",
        SchemaType::Protobuf => "application/x-protobuf",
    }
}

fn version_number(v: &str) -> i32 {
    v.parse().unwrap_or(0)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VersionContent<'a> {
    content: &'a str,
    content_type: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    references: Vec<ArtifactReference>,
}

#[derive(Serialize)]
struct CreateVersion<'a> {
    content: VersionContent<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateArtifact<'a> {
    artifact_id: &'a str,
    artifact_type: &'static str,
    first_version: CreateVersion<'a>,
}

#[derive(Deserialize)]
struct CreateArtifactResponse {
    version: ArtifactVersion,
}

#[derive(Deserialize)]
struct VersionSearchResults {
    #[serde(default)]
    versions: Vec<ArtifactVersion>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactSearchResults {
    #[serde(default)]
    artifacts: Vec<SearchedArtifact>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SearchedArtifact {
    artifact_id: String,
}

impl ApicurioRegistry {
    /// A client of one base URL (ending in `/apis/registry/v3`) with the default settings.
    pub fn new(url: impl Into<String>) -> Result<Self> {
        Self::builder(url).build()
    }

    /// A builder starting with one base URL.
    pub fn builder(url: impl Into<String>) -> ApicurioRegistryBuilder {
        ApicurioRegistryBuilder {
            config: TransportConfig {
                urls: vec![url.into()],
                ..TransportConfig::default()
            },
            group: "default".into(),
            id_kind: ApicurioIdKind::default(),
            cache_capacity: 1000,
        }
    }

    fn group(&self) -> String {
        segment(&self.inner.group)
    }

    fn references(&self, schema: &Schema) -> Vec<ArtifactReference> {
        schema
            .references
            .iter()
            .map(|r| ArtifactReference {
                group_id: Some(self.inner.group.clone()),
                artifact_id: r.subject.clone(),
                version: Some(r.version.to_string()),
                name: r.name.clone(),
            })
            .collect()
    }

    async fn json<T: serde::de::DeserializeOwned>(
        &self,
        method: Method,
        path: String,
        body: Body<'_>,
    ) -> Result<T> {
        let name = format!("{method} /{path}");
        let answer = self.inner.transport.send(method, &path, body).await?;
        parse_json(&name, &answer.body)
    }

    async fn text(&self, path: String) -> Result<String> {
        let answer = self
            .inner
            .transport
            .send(Method::GET, &path, Body::None)
            .await?;
        String::from_utf8(answer.body).map_err(|e| RegistryError::InvalidResponse {
            request: format!("GET /{path}"),
            message: format!("content is not UTF-8: {e}"),
        })
    }

    /// Creates the artifact with this content as its first version, or, when the artifact
    /// exists, finds the identical version or adds a new one
    /// (`POST /groups/{g}/artifacts?ifExists=FIND_OR_CREATE_VERSION`). Cached per
    /// (artifact, schema); concurrent calls share one request.
    pub async fn create_or_find_version(
        &self,
        artifact_id: &str,
        schema: &Schema,
    ) -> Result<ArtifactVersion> {
        let key = (artifact_id.to_string(), schema.clone());
        self.inner
            .registrations
            .get_or_fetch(key, || async {
                let body = CreateArtifact {
                    artifact_id,
                    artifact_type: schema.schema_type.as_str(),
                    first_version: CreateVersion {
                        content: VersionContent {
                            content: &schema.schema,
                            content_type: content_type(schema.schema_type),
                            references: self.references(schema),
                        },
                    },
                };
                let bytes = serde_json::to_vec(&body).map_err(|e| RegistryError::Config {
                    message: format!("cannot encode the request: {e}"),
                })?;
                let path = format!(
                    "groups/{}/artifacts?ifExists=FIND_OR_CREATE_VERSION",
                    self.group()
                );
                let answer: CreateArtifactResponse =
                    self.json(Method::POST, path, Body::Json(bytes)).await?;
                Ok(answer.version)
            })
            .await
    }

    /// Adds a version to an existing artifact (`POST /groups/{g}/artifacts/{a}/versions`).
    pub async fn create_version(
        &self,
        artifact_id: &str,
        schema: &Schema,
    ) -> Result<ArtifactVersion> {
        let body = CreateVersion {
            content: VersionContent {
                content: &schema.schema,
                content_type: content_type(schema.schema_type),
                references: self.references(schema),
            },
        };
        let bytes = serde_json::to_vec(&body).map_err(|e| RegistryError::Config {
            message: format!("cannot encode the request: {e}"),
        })?;
        let path = format!(
            "groups/{}/artifacts/{}/versions",
            self.group(),
            segment(artifact_id)
        );
        self.json(Method::POST, path, Body::Json(bytes)).await
    }

    /// Metadata of a version; `expression` is a version string or `branch=latest`
    /// (`GET /groups/{g}/artifacts/{a}/versions/{expression}`).
    pub async fn version_metadata(
        &self,
        artifact_id: &str,
        expression: &str,
    ) -> Result<ArtifactVersion> {
        let path = format!(
            "groups/{}/artifacts/{}/versions/{}",
            self.group(),
            segment(artifact_id),
            segment(expression)
        );
        self.json(Method::GET, path, Body::None).await
    }

    /// The content of a version (`GET …/versions/{expression}/content`).
    pub async fn version_content(&self, artifact_id: &str, expression: &str) -> Result<String> {
        self.text(format!(
            "groups/{}/artifacts/{}/versions/{}/content",
            self.group(),
            segment(artifact_id),
            segment(expression)
        ))
        .await
    }

    /// Finds the versions of an artifact with this content (`POST /search/versions`).
    pub async fn find_by_content(
        &self,
        artifact_id: &str,
        schema: &Schema,
    ) -> Result<Vec<ArtifactVersion>> {
        let path = format!(
            "search/versions?groupId={}&artifactId={}",
            self.group(),
            segment(artifact_id)
        );
        let body = Body::Raw {
            content_type: content_type(schema.schema_type),
            bytes: schema.schema.clone().into_bytes(),
        };
        let found: VersionSearchResults = self.json(Method::POST, path, body).await?;
        Ok(found.versions)
    }

    /// References of the content with this globalId (`GET /ids/globalIds/{id}/references`).
    pub async fn references_by_global_id(&self, global_id: i64) -> Result<Vec<ArtifactReference>> {
        self.json(
            Method::GET,
            format!("ids/globalIds/{global_id}/references"),
            Body::None,
        )
        .await
    }

    /// References of the content with this contentId (`GET /ids/contentIds/{id}/references`).
    pub async fn references_by_content_id(
        &self,
        content_id: i64,
    ) -> Result<Vec<ArtifactReference>> {
        self.json(
            Method::GET,
            format!("ids/contentIds/{content_id}/references"),
            Body::None,
        )
        .await
    }

    /// The schema with this globalId, with its references (cached forever).
    pub async fn schema_by_global_id(&self, global_id: i64) -> Result<Schema> {
        self.schema_by(true, global_id).await
    }

    /// The schema with this contentId, with its references (cached forever).
    pub async fn schema_by_content_id(&self, content_id: i64) -> Result<Schema> {
        self.schema_by(false, content_id).await
    }

    async fn schema_by(&self, global: bool, id: i64) -> Result<Schema> {
        self.inner
            .contents
            .get_or_fetch((global, id), || async {
                let kind = if global { "globalIds" } else { "contentIds" };
                let text = self.text(format!("ids/{kind}/{id}")).await?;
                let refs = if global {
                    self.references_by_global_id(id).await?
                } else {
                    self.references_by_content_id(id).await?
                };
                let schema = Schema {
                    schema_type: guess_type(&text),
                    schema: text,
                    references: refs
                        .into_iter()
                        .map(|r| SchemaReference {
                            name: r.name,
                            subject: r.artifact_id,
                            version: r.version.as_deref().map_or(0, version_number),
                        })
                        .collect(),
                };
                checked(&format!("GET /ids/{kind}/{id}"), schema)
            })
            .await
    }

    fn unsupported<T>(&self, operation: &'static str) -> Result<T> {
        Err(RegistryError::Unsupported {
            registry: "ApicurioRegistry",
            operation,
        })
    }
}

/// The content endpoints answer raw text; JSON is taken as Avro unless it declares a JSON
/// Schema `$schema`, anything else as Protobuf.
fn guess_type(text: &str) -> SchemaType {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) if v.get("$schema").is_some() => SchemaType::Json,
        Ok(_) => SchemaType::Avro,
        Err(_) => SchemaType::Protobuf,
    }
}

#[async_trait]
impl SchemaRegistry for ApicurioRegistry {
    async fn schema_types(&self) -> Result<Vec<SchemaType>> {
        Ok(SchemaType::ALL.to_vec())
    }

    async fn subjects(&self, _deleted: bool) -> Result<Vec<String>> {
        let found: ArtifactSearchResults = self
            .json(
                Method::GET,
                format!("groups/{}/artifacts?limit=1000", self.group()),
                Body::None,
            )
            .await?;
        Ok(found.artifacts.into_iter().map(|a| a.artifact_id).collect())
    }

    async fn versions(&self, subject: &str, _deleted: bool) -> Result<Vec<i32>> {
        let found: VersionSearchResults = self
            .json(
                Method::GET,
                format!(
                    "groups/{}/artifacts/{}/versions?limit=1000",
                    self.group(),
                    segment(subject)
                ),
                Body::None,
            )
            .await?;
        Ok(found
            .versions
            .iter()
            .map(|v| version_number(&v.version))
            .collect())
    }

    async fn version(
        &self,
        subject: &str,
        version: Version,
        _deleted: bool,
    ) -> Result<RegisteredSchema> {
        let expression = match version {
            Version::Latest => "branch=latest".to_string(),
            Version::Number(n) => n.to_string(),
        };
        let meta = self.version_metadata(subject, &expression).await?;
        let schema = self.schema_by_global_id(meta.global_id).await?;
        Ok(RegisteredSchema {
            subject: subject.to_string(),
            id: meta.id(self.inner.id_kind),
            version: version_number(&meta.version),
            guid: None,
            schema,
        })
    }

    async fn register(
        &self,
        subject: &str,
        schema: &Schema,
        _normalize: bool,
    ) -> Result<Registration> {
        let meta = self.create_or_find_version(subject, schema).await?;
        Ok(Registration {
            id: meta.id(self.inner.id_kind),
            version: Some(version_number(&meta.version)),
            guid: None,
        })
    }

    async fn lookup(
        &self,
        subject: &str,
        schema: &Schema,
        _normalize: bool,
        _deleted: bool,
    ) -> Result<RegisteredSchema> {
        let found = self.find_by_content(subject, schema).await?;
        let meta = found
            .into_iter()
            .max_by_key(|v| v.global_id)
            .ok_or_else(|| RegistryError::SchemaNotFound {
                message: format!("no version of artifact '{subject}' has this content"),
            })?;
        Ok(RegisteredSchema {
            subject: subject.to_string(),
            id: meta.id(self.inner.id_kind),
            version: version_number(&meta.version),
            guid: None,
            schema: schema.clone(),
        })
    }

    async fn schema_by_id(
        &self,
        id: i64,
        _subject: Option<&str>,
        _format: Option<&str>,
    ) -> Result<Schema> {
        match self.inner.id_kind {
            ApicurioIdKind::ContentId => self.schema_by_content_id(id).await,
            ApicurioIdKind::GlobalId => self.schema_by_global_id(id).await,
        }
    }

    async fn schema_by_guid(&self, _guid: &str, _format: Option<&str>) -> Result<Schema> {
        self.unsupported("schema_by_guid")
    }

    async fn id_versions(&self, _id: i64) -> Result<Vec<SubjectVersion>> {
        self.unsupported("id_versions")
    }

    async fn id_subjects(&self, _id: i64, _deleted: bool) -> Result<Vec<String>> {
        self.unsupported("id_subjects")
    }

    async fn referenced_by(&self, _subject: &str, _version: Version) -> Result<Vec<i64>> {
        self.unsupported("referenced_by")
    }

    async fn delete_subject(&self, _subject: &str, _permanent: bool) -> Result<Vec<i32>> {
        self.unsupported("delete_subject")
    }

    async fn delete_version(
        &self,
        _subject: &str,
        _version: Version,
        _permanent: bool,
    ) -> Result<i32> {
        self.unsupported("delete_version")
    }

    async fn test_compatibility(
        &self,
        _subject: &str,
        _version: Option<Version>,
        _schema: &Schema,
        _verbose: bool,
    ) -> Result<CompatibilityResult> {
        self.unsupported("test_compatibility")
    }

    async fn config(
        &self,
        _subject: Option<&str>,
        _default_to_global: bool,
    ) -> Result<CompatibilityLevel> {
        self.unsupported("config")
    }

    async fn set_config(
        &self,
        _subject: Option<&str>,
        _level: CompatibilityLevel,
    ) -> Result<CompatibilityLevel> {
        self.unsupported("set_config")
    }

    async fn delete_config(&self, _subject: Option<&str>) -> Result<CompatibilityLevel> {
        self.unsupported("delete_config")
    }

    async fn mode(&self, _subject: Option<&str>, _default_to_global: bool) -> Result<Mode> {
        self.unsupported("mode")
    }

    async fn set_mode(&self, _subject: Option<&str>, _mode: Mode) -> Result<Mode> {
        self.unsupported("set_mode")
    }

    async fn delete_mode(&self, _subject: Option<&str>) -> Result<Mode> {
        self.unsupported("delete_mode")
    }

    async fn contexts(&self) -> Result<Vec<String>> {
        self.unsupported("contexts")
    }
}
