//! An embedded HTTP server speaking Confluent's Schema Registry REST API from a
//! [`MemoryRegistry`] (feature `server`).
//!
//! Start it in one line on `127.0.0.1` with a free port; point any Confluent client at
//! [`RegistryServer::url`]: the Rust [`ConfluentRegistry`](super::ConfluentRegistry), Python's
//! `confluent_kafka.schema_registry.SchemaRegistryClient`, Java's `CachedSchemaRegistryClient`.
//!
//! ```
//! use kafka_model::registry::{server, ConfluentRegistry, MemoryRegistry, Schema, SchemaRegistry};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let server = server::serve(MemoryRegistry::new()).await?;
//! let client = ConfluentRegistry::new(server.url())?;
//! let reg = client.register("pings-value", &Schema::avro(r#""string""#), false).await?;
//! assert_eq!(client.schema_by_id(reg.id, None, None).await?.schema, r#""string""#);
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! Serve a [`MemoryRegistry::open`] registry to keep the data across restarts: each write is
//! on disk before its HTTP answer, and [`RegistryServer::shutdown`] lets the requests in flight
//! finish (the `kafka-model serve-registry` command is this, with Ctrl-C handling).
//!
//! Served: `GET /schemas/types`, `GET /schemas/ids/{id}[/schema|/versions|/subjects]`,
//! `GET /schemas/guids/{guid}`, `GET /subjects`, `POST|DELETE /subjects/{s}`,
//! `GET|POST /subjects/{s}/versions`, `GET|DELETE /subjects/{s}/versions/{v}`,
//! `GET /subjects/{s}/versions/{v}/schema`, `GET /subjects/{s}/versions/{v}/referencedby`,
//! `POST /compatibility/subjects/{s}/versions[/{v}]`, `GET|PUT|DELETE /config[/{s}]`,
//! `GET|PUT|DELETE /mode[/{s}]`, `GET /contexts`. `format=serialized` answers a Protobuf schema
//! as base64 of its compiled `FileDescriptorProto` (what Python's Protobuf serde asks for),
//! whether it was registered as `.proto` text or as a descriptor. Errors are Confluent's
//! `{"error_code": …, "message": …}` bodies (incompatible: HTTP 409 with code 40901).

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::{
    references, MemoryRegistry, RegistryError, Schema, SchemaRegistry, SchemaType, Version,
};

const CONTENT_TYPE: &str = "application/vnd.schemaregistry.v1+json";

/// A running embedded server. Dropping it stops the server too.
#[derive(Debug)]
pub struct RegistryServer {
    url: String,
    addr: SocketAddr,
    registry: MemoryRegistry,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl RegistryServer {
    /// The base URL, e.g. `http://127.0.0.1:40123`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The registry being served (shared with the server).
    pub fn registry(&self) -> &MemoryRegistry {
        &self.registry
    }

    /// Stops the server and waits for it to finish: it stops accepting connections and lets
    /// the requests in flight complete.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RegistryServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Serves `registry` on `127.0.0.1` with a free port, in a task of the current tokio runtime.
pub async fn serve(registry: MemoryRegistry) -> std::io::Result<RegistryServer> {
    serve_on(SocketAddr::from(([127, 0, 0, 1], 0)), registry).await
}

/// Serves `registry` on `addr`, in a task of the current tokio runtime.
pub async fn serve_on(
    addr: SocketAddr,
    registry: MemoryRegistry,
) -> std::io::Result<RegistryServer> {
    serve_router(addr, router(registry.clone()), registry).await
}

/// Serves a router (for example [`router`] wrapped in your own layers) on `addr`.
pub async fn serve_router(
    addr: SocketAddr,
    app: Router,
    registry: MemoryRegistry,
) -> std::io::Result<RegistryServer> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let result = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
        if let Err(e) = result {
            tracing::warn!(error = %e, "embedded registry server stopped with an error");
        }
    });
    tracing::info!(%addr, "embedded schema registry listening");
    Ok(RegistryServer {
        url: format!("http://{addr}"),
        addr,
        registry,
        shutdown: Some(tx),
        task: Some(task),
    })
}

/// The Confluent REST API over `registry`, as an axum [`Router`].
pub fn router(registry: MemoryRegistry) -> Router {
    Router::new()
        .route("/", get(|| async { Json(json!({})) }))
        .route("/schemas/types", get(schema_types))
        .route("/schemas/ids/{id}", get(schema_by_id))
        .route("/schemas/ids/{id}/schema", get(raw_schema_by_id))
        .route("/schemas/ids/{id}/versions", get(id_versions))
        .route("/schemas/ids/{id}/subjects", get(id_subjects))
        .route("/schemas/guids/{guid}", get(schema_by_guid))
        .route("/subjects", get(subjects))
        .route("/subjects/{subject}", post(lookup).delete(delete_subject))
        .route("/subjects/{subject}/versions", get(versions).post(register))
        .route(
            "/subjects/{subject}/versions/{version}",
            get(version).delete(delete_version),
        )
        .route(
            "/subjects/{subject}/versions/{version}/schema",
            get(raw_version),
        )
        .route(
            "/subjects/{subject}/versions/{version}/referencedby",
            get(referenced_by),
        )
        .route(
            "/compatibility/subjects/{subject}/versions",
            post(compat_all),
        )
        .route(
            "/compatibility/subjects/{subject}/versions/{version}",
            post(compat_one),
        )
        .route(
            "/config",
            get(get_global_config)
                .put(set_global_config)
                .delete(delete_global_config),
        )
        .route(
            "/config/{subject}",
            get(get_config).put(set_config).delete(delete_config),
        )
        .route(
            "/mode",
            get(get_global_mode)
                .put(set_global_mode)
                .delete(delete_global_mode),
        )
        .route(
            "/mode/{subject}",
            get(get_mode).put(set_mode).delete(delete_mode),
        )
        .route("/contexts", get(contexts))
        .with_state(registry)
}

/// An error answer in Confluent's shape.
struct ApiError(RegistryError);

impl From<RegistryError> for ApiError {
    fn from(e: RegistryError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let code = self.0.error_code().unwrap_or(50001);
        let body = json!({ "error_code": code, "message": self.0.message() });
        (
            status,
            [(header::CONTENT_TYPE, CONTENT_TYPE)],
            body.to_string(),
        )
            .into_response()
    }
}

type Answer = Result<Response, ApiError>;
type Params = Query<HashMap<String, String>>;
type Reg = State<MemoryRegistry>;

fn ok(value: impl serde::Serialize) -> Answer {
    let body = serde_json::to_string(&value).map_err(|e| {
        ApiError(RegistryError::Config {
            message: format!("cannot encode the answer: {e}"),
        })
    })?;
    Ok(([(header::CONTENT_TYPE, CONTENT_TYPE)], body).into_response())
}

fn flag(q: &HashMap<String, String>, name: &str) -> bool {
    q.get(name).is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

fn opt<'a>(q: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    q.get(name).map(String::as_str)
}

fn parse_id(id: &str) -> Result<i64, ApiError> {
    id.parse().map_err(|_| {
        ApiError(RegistryError::SchemaNotFound {
            message: format!("Schema {id} not found"),
        })
    })
}

fn parse_version(v: &str) -> Result<Version, ApiError> {
    Ok(v.parse::<Version>()?)
}

fn parse_schema(body: &Bytes) -> Result<Schema, ApiError> {
    let schema: Schema = serde_json::from_slice(body).map_err(|e| {
        ApiError(RegistryError::InvalidSchema {
            message: format!("Invalid schema request body: {e}"),
        })
    })?;
    if schema.schema.trim().is_empty() {
        return Err(ApiError(RegistryError::InvalidSchema {
            message: "Empty schema".into(),
        }));
    }
    Ok(schema)
}

async fn schema_types(State(r): Reg) -> Answer {
    let types = r.schema_types().await?;
    ok(types.iter().map(|t| t.as_str()).collect::<Vec<_>>())
}

/// Applies `format`: `serialized` turns a Protobuf schema's `.proto` text into base64 of its
/// `FileDescriptorProto` (compiled with its references), as Confluent does for Python's serde.
/// Other formats (`default`, `ignore_extensions`, …) answer the schema as registered.
async fn formatted(
    r: &MemoryRegistry,
    mut schema: Schema,
    format: Option<&str>,
) -> Result<Schema, ApiError> {
    if format == Some("serialized") && schema.schema_type == SchemaType::Protobuf {
        let resolved = references::resolve(r, schema.clone(), "the schema").await?;
        schema.schema = resolved.serialized_protobuf()?;
    }
    Ok(schema)
}

async fn schema_by_id(State(r): Reg, Path(id): Path<String>, Query(q): Params) -> Answer {
    let id = parse_id(&id)?;
    let format = opt(&q, "format");
    let schema = r.schema_by_id(id, opt(&q, "subject"), format).await?;
    ok(formatted(&r, schema, format).await?)
}

async fn raw_schema_by_id(State(r): Reg, Path(id): Path<String>) -> Answer {
    let schema = r.schema_by_id(parse_id(&id)?, None, None).await?;
    Ok(schema.schema.into_response())
}

async fn id_versions(State(r): Reg, Path(id): Path<String>) -> Answer {
    ok(r.id_versions(parse_id(&id)?).await?)
}

async fn id_subjects(State(r): Reg, Path(id): Path<String>, Query(q): Params) -> Answer {
    ok(r.id_subjects(parse_id(&id)?, flag(&q, "deleted")).await?)
}

async fn schema_by_guid(State(r): Reg, Path(guid): Path<String>, Query(q): Params) -> Answer {
    let format = opt(&q, "format");
    let schema = r.schema_by_guid(&guid, format).await?;
    ok(formatted(&r, schema, format).await?)
}

async fn subjects(State(r): Reg, Query(q): Params) -> Answer {
    let mut subjects = r.subjects(flag(&q, "deleted")).await?;
    if let Some(prefix) = opt(&q, "subjectPrefix") {
        subjects.retain(|s| s.starts_with(prefix));
    }
    ok(subjects)
}

async fn lookup(
    State(r): Reg,
    Path(subject): Path<String>,
    Query(q): Params,
    body: Bytes,
) -> Answer {
    let schema = parse_schema(&body)?;
    ok(r.lookup(
        &subject,
        &schema,
        flag(&q, "normalize"),
        flag(&q, "deleted"),
    )
    .await?)
}

async fn delete_subject(State(r): Reg, Path(subject): Path<String>, Query(q): Params) -> Answer {
    ok(r.delete_subject(&subject, flag(&q, "permanent")).await?)
}

async fn versions(State(r): Reg, Path(subject): Path<String>, Query(q): Params) -> Answer {
    ok(r.versions(&subject, flag(&q, "deleted")).await?)
}

async fn register(
    State(r): Reg,
    Path(subject): Path<String>,
    Query(q): Params,
    body: Bytes,
) -> Answer {
    let schema = parse_schema(&body)?;
    let reg = r.register(&subject, &schema, flag(&q, "normalize")).await?;
    let mut answer = serde_json::to_value(&reg).unwrap_or_else(|_| json!({ "id": reg.id }));
    if let Some(map) = answer.as_object_mut() {
        map.insert("subject".into(), json!(subject));
    }
    ok(answer)
}

#[derive(Deserialize)]
struct SubjectVersion {
    subject: String,
    version: String,
}

async fn version(State(r): Reg, Path(p): Path<SubjectVersion>, Query(q): Params) -> Answer {
    let v = parse_version(&p.version)?;
    let mut found = r.version(&p.subject, v, flag(&q, "deleted")).await?;
    found.schema = formatted(&r, found.schema, opt(&q, "format")).await?;
    ok(found)
}

async fn raw_version(State(r): Reg, Path(p): Path<SubjectVersion>, Query(q): Params) -> Answer {
    let v = parse_version(&p.version)?;
    let found = r.version(&p.subject, v, flag(&q, "deleted")).await?;
    Ok(found.schema.schema.into_response())
}

async fn delete_version(State(r): Reg, Path(p): Path<SubjectVersion>, Query(q): Params) -> Answer {
    let v = parse_version(&p.version)?;
    ok(r.delete_version(&p.subject, v, flag(&q, "permanent"))
        .await?)
}

async fn referenced_by(State(r): Reg, Path(p): Path<SubjectVersion>) -> Answer {
    let v = parse_version(&p.version)?;
    ok(r.referenced_by(&p.subject, v).await?)
}

async fn compat_all(
    State(r): Reg,
    Path(subject): Path<String>,
    Query(q): Params,
    body: Bytes,
) -> Answer {
    let schema = parse_schema(&body)?;
    ok(
        r.test_compatibility(&subject, None, &schema, flag(&q, "verbose"))
            .await?,
    )
}

async fn compat_one(
    State(r): Reg,
    Path(p): Path<SubjectVersion>,
    Query(q): Params,
    body: Bytes,
) -> Answer {
    let schema = parse_schema(&body)?;
    let v = parse_version(&p.version)?;
    ok(
        r.test_compatibility(&p.subject, Some(v), &schema, flag(&q, "verbose"))
            .await?,
    )
}

fn body_field(body: &Bytes, field: &str) -> Option<String> {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()?
        .get(field)?
        .as_str()
        .map(str::to_string)
}

async fn get_config_of(
    r: &MemoryRegistry,
    subject: Option<&str>,
    q: &HashMap<String, String>,
) -> Answer {
    let level = r.config(subject, flag(q, "defaultToGlobal")).await?;
    ok(json!({ "compatibilityLevel": level }))
}

async fn set_config_of(r: &MemoryRegistry, subject: Option<&str>, body: &Bytes) -> Answer {
    let text = body_field(body, "compatibility").unwrap_or_default();
    let level = text
        .parse()
        .map_err(|_| RegistryError::InvalidCompatibilityLevel {
            message: format!("Invalid compatibility level {text}"),
        })?;
    let level = r.set_config(subject, level).await?;
    ok(json!({ "compatibility": level }))
}

async fn delete_config_of(r: &MemoryRegistry, subject: Option<&str>) -> Answer {
    let level = r.delete_config(subject).await?;
    ok(json!({ "compatibilityLevel": level }))
}

async fn get_global_config(State(r): Reg, Query(q): Params) -> Answer {
    get_config_of(&r, None, &q).await
}
async fn set_global_config(State(r): Reg, body: Bytes) -> Answer {
    set_config_of(&r, None, &body).await
}
async fn delete_global_config(State(r): Reg) -> Answer {
    delete_config_of(&r, None).await
}
async fn get_config(State(r): Reg, Path(s): Path<String>, Query(q): Params) -> Answer {
    get_config_of(&r, Some(&s), &q).await
}
async fn set_config(State(r): Reg, Path(s): Path<String>, body: Bytes) -> Answer {
    set_config_of(&r, Some(&s), &body).await
}
async fn delete_config(State(r): Reg, Path(s): Path<String>) -> Answer {
    delete_config_of(&r, Some(&s)).await
}

async fn get_mode_of(
    r: &MemoryRegistry,
    subject: Option<&str>,
    q: &HashMap<String, String>,
) -> Answer {
    let mode = r.mode(subject, flag(q, "defaultToGlobal")).await?;
    ok(json!({ "mode": mode }))
}

async fn set_mode_of(r: &MemoryRegistry, subject: Option<&str>, body: &Bytes) -> Answer {
    let text = body_field(body, "mode").unwrap_or_default();
    let mode = text.parse()?;
    ok(json!({ "mode": r.set_mode(subject, mode).await? }))
}

async fn delete_mode_of(r: &MemoryRegistry, subject: Option<&str>) -> Answer {
    ok(json!({ "mode": r.delete_mode(subject).await? }))
}

async fn get_global_mode(State(r): Reg, Query(q): Params) -> Answer {
    get_mode_of(&r, None, &q).await
}
async fn set_global_mode(State(r): Reg, body: Bytes) -> Answer {
    set_mode_of(&r, None, &body).await
}
async fn delete_global_mode(State(r): Reg) -> Answer {
    delete_mode_of(&r, None).await
}
async fn get_mode(State(r): Reg, Path(s): Path<String>, Query(q): Params) -> Answer {
    get_mode_of(&r, Some(&s), &q).await
}
async fn set_mode(State(r): Reg, Path(s): Path<String>, body: Bytes) -> Answer {
    set_mode_of(&r, Some(&s), &body).await
}
async fn delete_mode(State(r): Reg, Path(s): Path<String>) -> Answer {
    delete_mode_of(&r, Some(&s)).await
}

async fn contexts(State(r): Reg) -> Answer {
    ok(r.contexts().await?)
}
