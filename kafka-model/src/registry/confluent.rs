//! The Confluent Schema Registry REST client.
//!
//! - Every subject name is percent-encoded as one path segment (`/` becomes `%2F`).
//! - Error answers become typed [`RegistryError`]s from their `error_code`, with the server's
//!   message; HTTP 409 is "incompatible" whatever its code (409 on servers up to 7.9, 40901
//!   later).
//! - Retries with jittered exponential backoff on connection errors, timeouts, 408, 429 and
//!   5xx ([`RetryPolicy`]); several base URLs with fail-over on the same errors; a per-attempt
//!   timeout (10 s) and a deadline for the whole call (30 s), as confluent-kafka-go's defaults
//!   add up to; answer bodies capped (8 MiB); basic or bearer auth ([`Auth`],
//!   never printed); TLS with rustls (custom CA, client certificate) under feature `rustls`.
//! - Caches: id → schema and GUID → schema forever, (subject, schema) → registration and
//!   lookup forever, (subject, version number) → schema until this client deletes from the
//!   subject, `latest` per subject with a TTL (default 60 s); bounded (default 1,000 entries
//!   each, least recently used evicted first); errors are never cached; concurrent misses for
//!   one key make one request.
//! - References: [`SchemaRegistry::register_with_references`] registers dependencies first;
//!   [`SchemaRegistry::schema_with_references`] resolves them recursively by id (the subject
//!   versions come from the cache after the first time).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::answer_check::checked;
use super::cache::FlightCache;
use super::transport::{
    parse_json, preview, segment, Answer, Auth, Body, RetryPolicy, Transport, TransportConfig,
};
use super::{
    CompatibilityLevel, CompatibilityResult, Mode, RegisteredSchema, Registration, RegistryError,
    Result, Schema, SchemaRegistry, SchemaType, SubjectVersion, Version,
};

const CONTENT_TYPE: &str = "application/vnd.schemaregistry.v1+json";
const ACCEPT: &str =
    "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json";

/// Builds a [`ConfluentRegistry`].
///
/// ```
/// use std::time::Duration;
/// use kafka_model::registry::{ConfluentRegistry, RetryPolicy};
///
/// let client = ConfluentRegistry::builder("http://registry-a:8081")
///     .url("http://registry-b:8081")
///     .basic_auth("svc", "s3cret")
///     .timeout(Duration::from_secs(5))
///     .retry(RetryPolicy { max_retries: 2, ..RetryPolicy::default() })
///     .latest_ttl(Duration::from_secs(30))
///     .build()?;
/// assert!(!format!("{client:?}").contains("s3cret"));
/// # Ok::<(), kafka_model::registry::RegistryError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ConfluentRegistryBuilder {
    config: TransportConfig,
    cache_capacity: usize,
    latest_ttl: Duration,
}

impl ConfluentRegistryBuilder {
    /// Adds a base URL (tried in order: a connection failure or a retriable
    /// status (408, 429, 5xx) moves on to the next). A comma-separated list is
    /// accepted; `user:password@` in a URL becomes basic auth.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.config.urls.push(url.into());
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

    /// Adds a header sent with every request (for example `target-sr-cluster`). Its value is
    /// never printed.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.config.headers.push((name.into(), value.into()));
        self
    }

    /// The retry policy (default: 3 retries, 1 s base, 20 s cap).
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

    /// Connect timeout (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = timeout;
        self
    }

    /// Trusts another CA (PEM). Needs feature `rustls`.
    pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.config.root_certificates_pem.push(pem.into());
        self
    }

    /// Presents a client certificate: PEM with the certificate chain and the private key.
    /// Needs feature `rustls`.
    pub fn identity_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.config.identity_pem = Some(pem.into());
        self
    }

    /// Capacity of each cache (default 1,000 entries).
    pub fn cache_capacity(mut self, capacity: usize) -> Self {
        self.cache_capacity = capacity;
        self
    }

    /// How long a `latest` answer is reused (default 60 s; zero disables that cache).
    pub fn latest_ttl(mut self, ttl: Duration) -> Self {
        self.latest_ttl = ttl;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<ConfluentRegistry> {
        let transport = Transport::new(self.config, ACCEPT, CONTENT_TYPE, map_error)?;
        let cap = self.cache_capacity;
        Ok(ConfluentRegistry {
            inner: Arc::new(Inner {
                transport,
                ids: FlightCache::new(cap, None),
                guids: FlightCache::new(cap, None),
                registrations: FlightCache::new(cap, None),
                lookups: FlightCache::new(cap, None),
                latest: FlightCache::new(cap, Some(self.latest_ttl)),
                versions: FlightCache::new(cap, None),
            }),
        })
    }
}

type IdKey = (i64, Option<String>, Option<String>);
type SchemaKey = (String, Schema, bool);
type LookupKey = (String, Schema, bool, bool);

struct Inner {
    transport: Transport,
    ids: FlightCache<IdKey, Schema>,
    guids: FlightCache<(String, Option<String>), Schema>,
    registrations: FlightCache<SchemaKey, Registration>,
    lookups: FlightCache<LookupKey, RegisteredSchema>,
    latest: FlightCache<String, RegisteredSchema>,
    /// Numbered live versions (what reference resolution fetches): immutable until deleted.
    versions: FlightCache<(String, i32), RegisteredSchema>,
}

/// A client of a Confluent Schema Registry (or any server speaking its REST API: Apicurio's
/// `ccompat`, Redpanda, Karapace, the embedded server). Cheap to clone: clones share the
/// connection pool and the caches.
///
/// ```no_run
/// use kafka_model::registry::{ConfluentRegistry, Schema, SchemaRegistry};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), kafka_model::registry::RegistryError> {
/// let registry = ConfluentRegistry::new("http://localhost:8081")?;
/// let reg = registry.register("orders-value", &Schema::avro(r#""string""#), false).await?;
/// let schema = registry.schema_by_id(reg.id, None, None).await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct ConfluentRegistry {
    inner: Arc<Inner>,
}

impl fmt::Debug for ConfluentRegistry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfluentRegistry")
            .field("transport", &self.inner.transport)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    error_code: Option<i32>,
    message: Option<String>,
}

fn map_error(status: u16, body: &[u8]) -> RegistryError {
    let error_code = serde_json::from_slice::<ErrorBody>(body)
        .ok()
        .and_then(|e| e.error_code);
    // A 404/405 with no Confluent code of its own: the endpoint itself is missing.
    if matches!(status, 404 | 405) && error_code.is_none_or(|c| c == i32::from(status)) {
        let text = preview(body);
        return RegistryError::NotSupportedByRegistry {
            request: String::new(),
            status,
            message: if text.trim().is_empty() {
                "no error body".to_owned()
            } else {
                text
            },
        };
    }
    match serde_json::from_slice::<ErrorBody>(body) {
        Ok(e) => RegistryError::from_api(
            status,
            e.error_code,
            e.message.unwrap_or_else(|| format!("HTTP {status}")),
        ),
        Err(_) => {
            let text = preview(body);
            let message = if text.trim().is_empty() {
                format!("HTTP {status} with no error body")
            } else {
                format!("HTTP {status}: {text}")
            };
            RegistryError::from_api(status, None, message)
        }
    }
}

#[derive(Deserialize)]
struct ConfigBody {
    #[serde(alias = "compatibility")]
    #[serde(rename = "compatibilityLevel")]
    level: CompatibilityLevel,
}

#[derive(Serialize)]
struct SetConfig {
    compatibility: CompatibilityLevel,
}

#[derive(Serialize, Deserialize)]
struct ModeBody {
    mode: Mode,
}

fn subj(subject: &str) -> String {
    match subject {
        "." => "%2E".into(),
        ".." => "%2E%2E".into(),
        s => segment(s),
    }
}

/// Builds `?a=b&c=d` from the parameters that are set.
fn query(params: &[(&str, Option<String>)]) -> String {
    let parts: Vec<String> = params
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={}", segment(v))))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

fn flag(b: bool) -> Option<String> {
    b.then(|| "true".to_string())
}

impl ConfluentRegistry {
    /// A client of one base URL with the default settings.
    pub fn new(url: impl Into<String>) -> Result<Self> {
        Self::builder(url).build()
    }

    /// A builder starting with one base URL.
    pub fn builder(url: impl Into<String>) -> ConfluentRegistryBuilder {
        ConfluentRegistryBuilder {
            config: TransportConfig {
                urls: vec![url.into()],
                ..TransportConfig::default()
            },
            cache_capacity: 1000,
            latest_ttl: Duration::from_secs(60),
        }
    }

    /// Forgets every cached answer.
    pub fn clear_caches(&self) {
        self.inner.ids.clear();
        self.inner.guids.clear();
        self.inner.registrations.clear();
        self.inner.lookups.clear();
        self.inner.latest.clear();
        self.inner.versions.clear();
    }

    async fn call(&self, method: Method, path: String, body: Body<'_>) -> Result<(String, Answer)> {
        let name = format!("{method} /{path}");
        let answer = self.inner.transport.send(method, &path, body).await?;
        Ok((name, answer))
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, path: String) -> Result<T> {
        let (name, answer) = self.call(Method::GET, path, Body::None).await?;
        parse_json(&name, &answer.body)
    }

    async fn send_json<T: serde::de::DeserializeOwned>(
        &self,
        method: Method,
        path: String,
        body: &impl Serialize,
    ) -> Result<T> {
        let bytes = serde_json::to_vec(body).map_err(|e| RegistryError::Config {
            message: format!("cannot encode the request body: {e}"),
        })?;
        let (name, answer) = self.call(method, path, Body::Json(bytes)).await?;
        parse_json(&name, &answer.body)
    }

    async fn fetch_version(
        &self,
        subject: &str,
        version: Version,
        deleted: bool,
    ) -> Result<RegisteredSchema> {
        let path = format!(
            "subjects/{}/versions/{version}{}",
            subj(subject),
            query(&[("deleted", flag(deleted))])
        );
        let mut found: RegisteredSchema = self.get(path.clone()).await?;
        found.schema = checked(&format!("GET /{path}"), found.schema)?;
        self.inner
            .ids
            .insert((found.id, None, None), found.schema.clone());
        Ok(found)
    }

    fn forget_subject(&self, subject: &str) {
        self.inner.latest.invalidate(|k| k == subject);
        self.inner.versions.invalidate(|k| k.0 == subject);
        self.inner.registrations.invalidate(|k| k.0 == subject);
        self.inner.lookups.invalidate(|k| k.0 == subject);
    }
}

#[async_trait]
impl SchemaRegistry for ConfluentRegistry {
    async fn schema_types(&self) -> Result<Vec<SchemaType>> {
        let names: Vec<String> = self.get("schemas/types".into()).await?;
        Ok(names.iter().filter_map(|n| n.parse().ok()).collect())
    }

    async fn subjects(&self, deleted: bool) -> Result<Vec<String>> {
        self.get(format!("subjects{}", query(&[("deleted", flag(deleted))])))
            .await
    }

    async fn versions(&self, subject: &str, deleted: bool) -> Result<Vec<i32>> {
        self.get(format!(
            "subjects/{}/versions{}",
            subj(subject),
            query(&[("deleted", flag(deleted))])
        ))
        .await
    }

    async fn version(
        &self,
        subject: &str,
        version: Version,
        deleted: bool,
    ) -> Result<RegisteredSchema> {
        if version == Version::Latest && !deleted {
            return self
                .inner
                .latest
                .get_or_fetch(subject.to_string(), || {
                    self.fetch_version(subject, version, deleted)
                })
                .await;
        }
        if let (Version::Number(n), false) = (version, deleted) {
            return self
                .inner
                .versions
                .get_or_fetch((subject.to_string(), n), || {
                    self.fetch_version(subject, version, deleted)
                })
                .await;
        }
        self.fetch_version(subject, version, deleted).await
    }

    async fn register(
        &self,
        subject: &str,
        schema: &Schema,
        normalize: bool,
    ) -> Result<Registration> {
        let key = (subject.to_string(), schema.clone(), normalize);
        self.inner
            .registrations
            .get_or_fetch(key, || async {
                let path = format!(
                    "subjects/{}/versions{}",
                    subj(subject),
                    query(&[("normalize", flag(normalize))])
                );
                let reg: Registration = self.send_json(Method::POST, path, schema).await?;
                tracing::debug!(subject, id = reg.id, "registered schema");
                self.inner.latest.invalidate(|k| k == subject);
                self.inner.ids.insert((reg.id, None, None), schema.clone());
                Ok(reg)
            })
            .await
    }

    async fn lookup(
        &self,
        subject: &str,
        schema: &Schema,
        normalize: bool,
        deleted: bool,
    ) -> Result<RegisteredSchema> {
        let key = (subject.to_string(), schema.clone(), normalize, deleted);
        self.inner
            .lookups
            .get_or_fetch(key, || async {
                let path = format!(
                    "subjects/{}{}",
                    subj(subject),
                    query(&[("normalize", flag(normalize)), ("deleted", flag(deleted))])
                );
                self.send_json(Method::POST, path, schema).await
            })
            .await
    }

    async fn schema_by_id(
        &self,
        id: i64,
        subject: Option<&str>,
        format: Option<&str>,
    ) -> Result<Schema> {
        if format.is_none() {
            // Ids are global: the schema learnt from any answer serves every subject.
            if let Some(found) = self.inner.ids.get(&(id, None, None)) {
                return Ok(found);
            }
        }
        let key = (id, subject.map(str::to_string), format.map(str::to_string));
        self.inner
            .ids
            .get_or_fetch(key, || async {
                let path = format!(
                    "schemas/ids/{id}{}",
                    query(&[
                        ("subject", subject.map(str::to_string)),
                        ("format", format.map(str::to_string)),
                    ])
                );
                let schema: Schema = self.get(path.clone()).await?;
                // A `format` other than the default may answer another rendering (for example
                // a serialized descriptor): only the schema as registered is checked.
                if format.is_some() {
                    return Ok(schema);
                }
                checked(&format!("GET /{path}"), schema)
            })
            .await
    }

    async fn schema_by_guid(&self, guid: &str, format: Option<&str>) -> Result<Schema> {
        let key = (guid.to_string(), format.map(str::to_string));
        self.inner
            .guids
            .get_or_fetch(key, || async {
                let path = format!(
                    "schemas/guids/{}{}",
                    segment(guid),
                    query(&[("format", format.map(str::to_string))])
                );
                let schema: Schema = self.get(path.clone()).await?;
                if format.is_some() {
                    return Ok(schema);
                }
                checked(&format!("GET /{path}"), schema)
            })
            .await
    }

    async fn id_versions(&self, id: i64) -> Result<Vec<SubjectVersion>> {
        self.get(format!("schemas/ids/{id}/versions")).await
    }

    async fn id_subjects(&self, id: i64, deleted: bool) -> Result<Vec<String>> {
        self.get(format!(
            "schemas/ids/{id}/subjects{}",
            query(&[("deleted", flag(deleted))])
        ))
        .await
    }

    async fn referenced_by(&self, subject: &str, version: Version) -> Result<Vec<i64>> {
        self.get(format!(
            "subjects/{}/versions/{version}/referencedby",
            subj(subject)
        ))
        .await
    }

    async fn delete_subject(&self, subject: &str, permanent: bool) -> Result<Vec<i32>> {
        let path = format!(
            "subjects/{}{}",
            subj(subject),
            query(&[("permanent", flag(permanent))])
        );
        let (name, answer) = self.call(Method::DELETE, path, Body::None).await?;
        self.forget_subject(subject);
        parse_json(&name, &answer.body)
    }

    async fn delete_version(
        &self,
        subject: &str,
        version: Version,
        permanent: bool,
    ) -> Result<i32> {
        let path = format!(
            "subjects/{}/versions/{version}{}",
            subj(subject),
            query(&[("permanent", flag(permanent))])
        );
        let (name, answer) = self.call(Method::DELETE, path, Body::None).await?;
        self.forget_subject(subject);
        parse_json(&name, &answer.body)
    }

    async fn test_compatibility(
        &self,
        subject: &str,
        version: Option<Version>,
        schema: &Schema,
        verbose: bool,
    ) -> Result<CompatibilityResult> {
        let target = match version {
            Some(v) => format!("/{v}"),
            None => String::new(),
        };
        let path = format!(
            "compatibility/subjects/{}/versions{target}{}",
            subj(subject),
            query(&[("verbose", flag(verbose))])
        );
        self.send_json(Method::POST, path, schema).await
    }

    async fn config(
        &self,
        subject: Option<&str>,
        default_to_global: bool,
    ) -> Result<CompatibilityLevel> {
        let path = match subject {
            Some(s) => format!(
                "config/{}{}",
                subj(s),
                query(&[("defaultToGlobal", flag(default_to_global))])
            ),
            None => "config".into(),
        };
        let body: ConfigBody = self.get(path).await?;
        Ok(body.level)
    }

    async fn set_config(
        &self,
        subject: Option<&str>,
        level: CompatibilityLevel,
    ) -> Result<CompatibilityLevel> {
        let path = match subject {
            Some(s) => format!("config/{}", subj(s)),
            None => "config".into(),
        };
        let body: ConfigBody = self
            .send_json(
                Method::PUT,
                path,
                &SetConfig {
                    compatibility: level,
                },
            )
            .await?;
        Ok(body.level)
    }

    async fn delete_config(&self, subject: Option<&str>) -> Result<CompatibilityLevel> {
        let path = match subject {
            Some(s) => format!("config/{}", subj(s)),
            None => "config".into(),
        };
        let (name, answer) = self.call(Method::DELETE, path, Body::None).await?;
        let body: ConfigBody = parse_json(&name, &answer.body)?;
        Ok(body.level)
    }

    async fn mode(&self, subject: Option<&str>, default_to_global: bool) -> Result<Mode> {
        let path = match subject {
            Some(s) => format!(
                "mode/{}{}",
                subj(s),
                query(&[("defaultToGlobal", flag(default_to_global))])
            ),
            None => "mode".into(),
        };
        let body: ModeBody = self.get(path).await?;
        Ok(body.mode)
    }

    async fn set_mode(&self, subject: Option<&str>, mode: Mode) -> Result<Mode> {
        let path = match subject {
            Some(s) => format!("mode/{}", subj(s)),
            None => "mode".into(),
        };
        let body: ModeBody = self
            .send_json(Method::PUT, path, &ModeBody { mode })
            .await?;
        Ok(body.mode)
    }

    async fn delete_mode(&self, subject: Option<&str>) -> Result<Mode> {
        let path = match subject {
            Some(s) => format!("mode/{}", subj(s)),
            None => "mode".into(),
        };
        let (name, answer) = self.call(Method::DELETE, path, Body::None).await?;
        let body: ModeBody = parse_json(&name, &answer.body)?;
        Ok(body.mode)
    }

    async fn contexts(&self) -> Result<Vec<String>> {
        self.get("contexts".into()).await
    }
}
