//! `ApicurioRegistry` against a small local stub of the Apicurio Registry v3 endpoints it uses.
//!
//! The stub follows the facts in `reference-specs.md` §1.4 (Apicurio `openapi.json` v3): create
//! with `ifExists=FIND_OR_CREATE_VERSION` answering `{artifact, version: VersionMetaData}`;
//! `VersionMetaData` carries `globalId` (per version) and `contentId` (per content); latest is the
//! version expression `branch=latest`; content by `/ids/globalIds/{id}` and
//! `/ids/contentIds/{id}`; references by `/ids/…/{id}/references`; find by content with
//! `POST /search/versions`; errors as `ProblemDetails`. It sets no `X-Registry-*` id headers, so
//! the client must read ids from the JSON.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use kafka_model::registry::apicurio::{ApicurioIdKind, ApicurioRegistry};
use kafka_model::registry::{
    RegistryError, RetryPolicy, Schema, SchemaReference, SchemaRegistry, SchemaType, Version,
};
use serde_json::{json, Value};

#[derive(Clone)]
struct Row {
    group: String,
    artifact: String,
    version: u32,
    global_id: i64,
    content_id: i64,
    content: String,
    artifact_type: String,
    references: Value,
}

impl Row {
    fn meta(&self) -> Value {
        json!({
            "groupId": self.group, "artifactId": self.artifact, "version": self.version.to_string(),
            "globalId": self.global_id, "contentId": self.content_id, "artifactType": self.artifact_type,
            "owner": "", "createdOn": "2025-01-01T00:00:00Z", "state": "ENABLED"
        })
    }
}

#[derive(Default)]
struct Store {
    rows: Vec<Row>,
    contents: Vec<String>,
    requests: Vec<String>,
}

type Db = Arc<Mutex<Store>>;

fn problem(status: StatusCode, name: &str, detail: &str) -> Response {
    (
        status,
        Json(json!({"status": status.as_u16(), "title": detail, "detail": detail, "name": name})),
    )
        .into_response()
}

fn add_row(
    store: &mut Store,
    group: &str,
    artifact: &str,
    body: &Value,
    artifact_type: &str,
) -> Row {
    let content = body["content"]["content"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let content_id = match store.contents.iter().position(|c| *c == content) {
        Some(i) => i as i64 + 1,
        None => {
            store.contents.push(content.clone());
            store.contents.len() as i64
        }
    };
    let version = store
        .rows
        .iter()
        .filter(|r| r.group == group && r.artifact == artifact)
        .count() as u32
        + 1;
    let row = Row {
        group: group.into(),
        artifact: artifact.into(),
        version,
        global_id: 100 + store.rows.len() as i64,
        content_id,
        content,
        artifact_type: artifact_type.into(),
        references: body["content"]["references"].clone(),
    };
    store.rows.push(row.clone());
    row
}

async fn create_artifact(
    State(db): State<Db>,
    Path(group): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    Json(body): Json<Value>,
) -> Response {
    let mut store = db.lock().unwrap();
    store.requests.push(format!("create {group}"));
    assert_eq!(
        q.get("ifExists").map(String::as_str),
        Some("FIND_OR_CREATE_VERSION")
    );
    let artifact = body["artifactId"].as_str().unwrap_or("").to_string();
    let ty = body["artifactType"].as_str().unwrap_or("AVRO").to_string();
    let first = &body["firstVersion"];
    let expected_ct = if ty == "PROTOBUF" {
        "application/x-protobuf"
    } else {
        "application/json"
    };
    assert_eq!(first["content"]["contentType"], expected_ct);
    let content = first["content"]["content"].as_str().unwrap_or("");
    if content.contains("BREAKS") {
        return problem(
            StatusCode::CONFLICT,
            "RuleViolationException",
            "COMPATIBILITY rule violated",
        );
    }
    let existing = store
        .rows
        .iter()
        .find(|r| r.group == group && r.artifact == artifact && r.content == content)
        .cloned();
    let row = match existing {
        Some(row) => row,
        None => add_row(&mut store, &group, &artifact, first, &ty),
    };
    Json(json!({"artifact": {"groupId": group, "artifactId": artifact}, "version": row.meta()}))
        .into_response()
}

async fn create_version(
    State(db): State<Db>,
    Path((group, artifact)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    let mut store = db.lock().unwrap();
    let Some(ty) = store
        .rows
        .iter()
        .find(|r| r.group == group && r.artifact == artifact)
        .map(|r| r.artifact_type.clone())
    else {
        return problem(
            StatusCode::NOT_FOUND,
            "ArtifactNotFoundException",
            "No artifact with ID",
        );
    };
    let row = add_row(&mut store, &group, &artifact, &body, &ty);
    Json(row.meta()).into_response()
}

#[allow(clippy::result_large_err)]
fn find_version(store: &Store, group: &str, artifact: &str, expr: &str) -> Result<Row, Response> {
    let rows: Vec<&Row> = store
        .rows
        .iter()
        .filter(|r| r.group == group && r.artifact == artifact)
        .collect();
    if rows.is_empty() {
        return Err(problem(
            StatusCode::NOT_FOUND,
            "ArtifactNotFoundException",
            "No artifact",
        ));
    }
    let found = if expr == "branch=latest" {
        rows.last().copied()
    } else {
        rows.iter().copied().find(|r| r.version.to_string() == expr)
    };
    found.cloned().ok_or_else(|| {
        problem(
            StatusCode::NOT_FOUND,
            "VersionNotFoundException",
            "No version",
        )
    })
}

async fn version_meta(
    State(db): State<Db>,
    Path((group, artifact, expr)): Path<(String, String, String)>,
) -> Response {
    let store = db.lock().unwrap();
    match find_version(&store, &group, &artifact, &expr) {
        Ok(row) => Json(row.meta()).into_response(),
        Err(e) => e,
    }
}

async fn version_content(
    State(db): State<Db>,
    Path((group, artifact, expr)): Path<(String, String, String)>,
) -> Response {
    let store = db.lock().unwrap();
    match find_version(&store, &group, &artifact, &expr) {
        Ok(row) => row.content.into_response(),
        Err(e) => e,
    }
}

async fn by_id(State(db): State<Db>, Path((kind, id)): Path<(String, i64)>) -> Response {
    let store = db.lock().unwrap();
    let row = store.rows.iter().find(|r| match kind.as_str() {
        "globalIds" => r.global_id == id,
        _ => r.content_id == id,
    });
    match row {
        Some(r) => r.content.clone().into_response(),
        None => problem(
            StatusCode::NOT_FOUND,
            "ContentNotFoundException",
            "No content with id",
        ),
    }
}

async fn references(State(db): State<Db>, Path((kind, id)): Path<(String, i64)>) -> Response {
    let store = db.lock().unwrap();
    let row = store.rows.iter().find(|r| match kind.as_str() {
        "globalIds" => r.global_id == id,
        _ => r.content_id == id,
    });
    match row {
        Some(r) if r.references.is_array() => Json(r.references.clone()).into_response(),
        Some(_) => Json(json!([])).into_response(),
        None => problem(
            StatusCode::NOT_FOUND,
            "ContentNotFoundException",
            "No content with id",
        ),
    }
}

async fn search(
    State(db): State<Db>,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let store = db.lock().unwrap();
    let content = String::from_utf8_lossy(&body).to_string();
    let versions: Vec<Value> = store
        .rows
        .iter()
        .filter(|r| Some(&r.group) == q.get("groupId") && Some(&r.artifact) == q.get("artifactId"))
        .filter(|r| r.content == content)
        .map(Row::meta)
        .collect();
    Json(json!({"count": versions.len(), "versions": versions})).into_response()
}

async fn list_artifacts(State(db): State<Db>, Path(group): Path<String>) -> Response {
    let store = db.lock().unwrap();
    let mut ids: Vec<&str> = store
        .rows
        .iter()
        .filter(|r| r.group == group)
        .map(|r| r.artifact.as_str())
        .collect();
    let mut seen = Vec::new();
    ids.retain(|a| {
        let fresh = !seen.contains(a);
        seen.push(*a);
        fresh
    });
    let artifacts: Vec<Value> = ids
        .iter()
        .map(|a| json!({"artifactId": a, "groupId": group}))
        .collect();
    Json(json!({"count": artifacts.len(), "artifacts": artifacts})).into_response()
}

async fn list_versions(
    State(db): State<Db>,
    Path((group, artifact)): Path<(String, String)>,
) -> Response {
    let store = db.lock().unwrap();
    let versions: Vec<Value> = store
        .rows
        .iter()
        .filter(|r| r.group == group && r.artifact == artifact)
        .map(Row::meta)
        .collect();
    Json(json!({"count": versions.len(), "versions": versions})).into_response()
}

async fn stub() -> (String, Db, tokio::task::JoinHandle<()>) {
    let db: Db = Arc::default();
    let v3 = Router::new()
        .route(
            "/groups/{g}/artifacts",
            post(create_artifact).get(list_artifacts),
        )
        .route(
            "/groups/{g}/artifacts/{a}/versions",
            post(create_version).get(list_versions),
        )
        .route("/groups/{g}/artifacts/{a}/versions/{v}", get(version_meta))
        .route(
            "/groups/{g}/artifacts/{a}/versions/{v}/content",
            get(version_content),
        )
        .route("/ids/{kind}/{id}", get(by_id))
        .route("/ids/{kind}/{id}/references", get(references))
        .route("/search/versions", post(search))
        .with_state(db.clone());
    let app = Router::new().nest("/apis/registry/v3", v3);
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let url = format!("http://{}/apis/registry/v3", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, db, task)
}

const AVRO: &str = r#"{"type":"record","name":"Pay","fields":[{"name":"amount","type":"long"}]}"#;

#[tokio::test]
async fn register_find_and_fetch_by_both_ids() {
    let (url, db, task) = stub().await;
    let client = ApicurioRegistry::builder(&url)
        .group("payments")
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let schema = Schema::avro(AVRO);

    let reg = client.register("pay-value", &schema, false).await.unwrap();
    assert_eq!(reg.id, 1, "contentId by default");
    assert_eq!(reg.version, Some(1));
    // Cached: a second register makes no request.
    client.register("pay-value", &schema, false).await.unwrap();
    assert_eq!(db.lock().unwrap().requests.len(), 1);

    // The same content under another artifact: same contentId, new globalId.
    let meta = client
        .create_or_find_version("pay-audit", &schema)
        .await
        .unwrap();
    assert_eq!((meta.content_id, meta.global_id), (1, 101));

    // Look up by content, fetch by contentId and by globalId.
    let found = client
        .lookup("pay-value", &schema, false, false)
        .await
        .unwrap();
    assert_eq!((found.id, found.version), (1, 1));
    assert_eq!(client.schema_by_content_id(1).await.unwrap().schema, AVRO);
    let by_global = client.schema_by_global_id(100).await.unwrap();
    assert_eq!(by_global.schema, AVRO);
    assert_eq!(by_global.schema_type, SchemaType::Avro);

    // Latest via `branch=latest`, ids from the metadata JSON.
    let v2 = Schema::avro(
        r#"{"type":"record","name":"Pay","fields":[{"name":"amount","type":"long"},{"name":"cur","type":"string","default":"EUR"}]}"#,
    );
    let added = client.create_version("pay-value", &v2).await.unwrap();
    assert_eq!(added.version, "2");
    let latest = client.latest("pay-value").await.unwrap();
    assert_eq!(latest.version, 2);
    assert_eq!(latest.id, added.content_id);
    assert_eq!(latest.schema.schema, v2.schema);
    let meta = client.version_metadata("pay-value", "1").await.unwrap();
    assert_eq!(meta.global_id, 100);
    assert_eq!(
        client
            .version_content("pay-value", "branch=latest")
            .await
            .unwrap(),
        v2.schema
    );

    assert_eq!(
        client.subjects(false).await.unwrap(),
        vec!["pay-value", "pay-audit"]
    );
    assert_eq!(
        client.versions("pay-value", false).await.unwrap(),
        vec![1, 2]
    );
    task.abort();
}

#[tokio::test]
async fn global_id_mode_and_references() {
    let (url, _db, task) = stub().await;
    let client = ApicurioRegistry::builder(&url)
        .id_kind(ApicurioIdKind::GlobalId)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let money = Schema::avro(
        r#"{"type":"record","name":"Money","namespace":"acme","fields":[{"name":"units","type":"long"}]}"#,
    );
    let m = client.register("acme.Money", &money, false).await.unwrap();
    assert_eq!(m.id, 100, "globalId");
    let pay = Schema::avro(r#"{"type":"record","name":"Pay","namespace":"acme","fields":[{"name":"m","type":"acme.Money"}]}"#)
        .with_reference(SchemaReference::new("acme.Money", "acme.Money", 1));
    let p = client.register("pay-value", &pay, false).await.unwrap();
    let back = client.schema_by_id(p.id, None, None).await.unwrap();
    assert_eq!(back.references, pay.references);
    let refs = client.references_by_global_id(p.id).await.unwrap();
    assert_eq!(refs.len(), 1);
    assert_eq!(refs[0].artifact_id, "acme.Money");
    assert_eq!(refs[0].group_id.as_deref(), Some("default"));
    task.abort();
}

#[tokio::test]
async fn apicurio_errors_are_typed() {
    let (url, _db, task) = stub().await;
    let client = ApicurioRegistry::builder(&url)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let e = client.latest("missing").await.unwrap_err();
    assert!(matches!(e, RegistryError::SubjectNotFound { .. }), "{e:?}");
    client
        .register("a", &Schema::avro(AVRO), false)
        .await
        .unwrap();
    let e = client
        .version("a", Version::Number(7), false)
        .await
        .unwrap_err();
    assert!(matches!(e, RegistryError::VersionNotFound { .. }), "{e:?}");
    let e = client.schema_by_id(999, None, None).await.unwrap_err();
    assert!(matches!(e, RegistryError::SchemaNotFound { .. }), "{e:?}");
    let e = client
        .register(
            "a",
            &Schema::avro(r#"{"type":"string","doc":"BREAKS"}"#),
            false,
        )
        .await
        .unwrap_err();
    assert!(matches!(e, RegistryError::Incompatible { .. }), "{e:?}");
    let e = client
        .lookup("a", &Schema::avro(r#""int""#), false, false)
        .await
        .unwrap_err();
    assert!(matches!(e, RegistryError::SchemaNotFound { .. }), "{e:?}");
    let e = client.contexts().await.unwrap_err();
    assert!(matches!(e, RegistryError::Unsupported { .. }), "{e:?}");
    task.abort();
}
