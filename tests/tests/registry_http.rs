//! The real `ConfluentRegistry` client against the embedded HTTP server (every endpoint, every
//! error code), and against scripted local servers for faults: retries, Retry-After, timeouts,
//! 401, malformed bodies, fail-over, single-flight caching. All traffic stays on 127.0.0.1 and
//! every loop is bounded.

// Over 800 lines: one client against one server, endpoint by endpoint and fault by fault; the
// scripted servers are shared by every test here.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use kafka_model::registry::server::{self, RegistryServer};
use kafka_model::registry::{
    CompatibilityLevel, ConfluentRegistry, MemoryRegistry, Mode, RegistryError, RetryPolicy,
    Schema, SchemaReference, SchemaRegistry, SchemaType, SubjectVersion, Version,
};

const V1: &str = r#"{"type":"record","name":"Order","namespace":"acme","fields":[{"name":"id","type":"string"}]}"#;
const V2_COMPATIBLE: &str = r#"{"type":"record","name":"Order","namespace":"acme","fields":[{"name":"id","type":"string"},{"name":"qty","type":"int","default":0}]}"#;
const V2_BREAKING: &str = r#"{"type":"record","name":"Order","namespace":"acme","fields":[{"name":"id","type":"string"},{"name":"qty","type":"int"}]}"#;

fn fast_retry(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(40),
    }
}

async fn start() -> (RegistryServer, ConfluentRegistry) {
    let server = server::serve(MemoryRegistry::new()).await.expect("bind");
    let client = ConfluentRegistry::builder(server.url())
        .retry(fast_retry(1))
        .latest_ttl(Duration::ZERO)
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client");
    (server, client)
}

#[tokio::test]
async fn round_trip_every_endpoint() {
    let (server, c) = start().await;
    let v1 = Schema::avro(V1);

    // schema types, contexts, empty subjects
    assert_eq!(
        c.schema_types().await.unwrap(),
        vec![SchemaType::Avro, SchemaType::Json, SchemaType::Protobuf]
    );
    assert_eq!(c.contexts().await.unwrap(), vec!["."]);
    assert!(c.subjects(false).await.unwrap().is_empty());

    // register: same content under two subjects gets one id; re-register is idempotent
    let a = c.register("orders-value", &v1, false).await.unwrap();
    assert_eq!(a.version, Some(1));
    assert!(a.guid.is_some());
    let b = c.register("audit/orders-value", &v1, true).await.unwrap();
    assert_eq!(a.id, b.id);
    c.clear_caches();
    assert_eq!(
        c.register("orders-value", &v1, false).await.unwrap().id,
        a.id
    );

    // subjects (a subject with '/' is percent-encoded and round-trips)
    assert_eq!(
        c.subjects(false).await.unwrap(),
        vec!["audit/orders-value".to_string(), "orders-value".to_string()]
    );

    // lookup under subject
    let found = c.lookup("orders-value", &v1, false, false).await.unwrap();
    assert_eq!((found.id, found.version), (a.id, 1));
    assert_eq!(found.schema.schema, V1);

    // by id (with subject and format parameters), raw subjects/versions of an id, by guid
    c.clear_caches();
    assert_eq!(
        c.schema_by_id(a.id, Some("orders-value"), None)
            .await
            .unwrap()
            .schema,
        V1
    );
    assert_eq!(
        c.schema_by_id(a.id, None, Some("default"))
            .await
            .unwrap()
            .schema,
        V1
    );
    let mut versions = c.id_versions(a.id).await.unwrap();
    versions.sort_by(|x, y| x.subject.cmp(&y.subject));
    assert_eq!(
        versions,
        vec![
            SubjectVersion {
                subject: "audit/orders-value".into(),
                version: 1
            },
            SubjectVersion {
                subject: "orders-value".into(),
                version: 1
            },
        ]
    );
    assert_eq!(c.id_subjects(a.id, false).await.unwrap().len(), 2);
    let guid = a.guid.clone().unwrap();
    assert_eq!(c.schema_by_guid(&guid, None).await.unwrap().schema, V1);

    // compatibility test: one version and all, verbose
    let ok = c
        .test_compatibility(
            "orders-value",
            Some(Version::Latest),
            &Schema::avro(V2_COMPATIBLE),
            true,
        )
        .await
        .unwrap();
    assert!(ok.is_compatible, "{ok:?}");
    let bad = c
        .test_compatibility("orders-value", None, &Schema::avro(V2_BREAKING), true)
        .await
        .unwrap();
    assert!(!bad.is_compatible);
    assert!(!bad.messages.is_empty());
    let quiet = c
        .test_compatibility(
            "orders-value",
            Some(Version::Number(1)),
            &Schema::avro(V2_BREAKING),
            false,
        )
        .await
        .unwrap();
    assert!(!quiet.is_compatible && quiet.messages.is_empty());

    // versions list/get/latest
    let v2 = c
        .register("orders-value", &Schema::avro(V2_COMPATIBLE), false)
        .await
        .unwrap();
    assert_eq!(v2.version, Some(2));
    assert_ne!(v2.id, a.id);
    assert_eq!(c.versions("orders-value", false).await.unwrap(), vec![1, 2]);
    assert_eq!(
        c.version("orders-value", Version::Number(1), false)
            .await
            .unwrap()
            .id,
        a.id
    );
    let latest = c.latest("orders-value").await.unwrap();
    assert_eq!((latest.version, latest.id), (2, v2.id));

    // references and referencedby
    let parent = Schema::avro(
        r#"{"type":"record","name":"Envelope","namespace":"acme","fields":[{"name":"order","type":"acme.Order"}]}"#,
    )
    .with_reference(SchemaReference::new("acme.Order", "orders-value", 1));
    let p = c.register("envelopes-value", &parent, false).await.unwrap();
    let fetched = c.schema_by_id(p.id, None, None).await.unwrap();
    assert_eq!(fetched.references, parent.references);
    assert_eq!(
        c.referenced_by("orders-value", Version::Number(1))
            .await
            .unwrap(),
        vec![p.id]
    );

    // config: global and per subject, get/set/delete
    assert_eq!(
        c.config(None, false).await.unwrap(),
        CompatibilityLevel::Backward
    );
    assert_eq!(
        c.set_config(Some("orders-value"), CompatibilityLevel::FullTransitive)
            .await
            .unwrap(),
        CompatibilityLevel::FullTransitive
    );
    assert_eq!(
        c.config(Some("orders-value"), false).await.unwrap(),
        CompatibilityLevel::FullTransitive
    );
    assert_eq!(
        c.delete_config(Some("orders-value")).await.unwrap(),
        CompatibilityLevel::FullTransitive
    );
    assert!(matches!(
        c.config(Some("orders-value"), false).await,
        Err(RegistryError::SubjectConfigNotFound { .. })
    ));
    assert_eq!(
        c.config(Some("orders-value"), true).await.unwrap(),
        CompatibilityLevel::Backward
    );
    c.set_config(None, CompatibilityLevel::None).await.unwrap();
    assert_eq!(
        c.delete_config(None).await.unwrap(),
        CompatibilityLevel::None
    );

    // mode: global and per subject
    assert_eq!(c.mode(None, false).await.unwrap(), Mode::ReadWrite);
    assert_eq!(
        c.set_mode(Some("frozen-value"), Mode::ReadOnly)
            .await
            .unwrap(),
        Mode::ReadOnly
    );
    assert_eq!(
        c.mode(Some("frozen-value"), false).await.unwrap(),
        Mode::ReadOnly
    );
    let refused = c.register("frozen-value", &v1, false).await;
    assert!(
        matches!(refused, Err(RegistryError::OperationNotPermitted { .. })),
        "{refused:?}"
    );
    assert_eq!(
        c.delete_mode(Some("frozen-value")).await.unwrap(),
        Mode::ReadOnly
    );
    assert!(matches!(
        c.mode(Some("frozen-value"), false).await,
        Err(RegistryError::SubjectModeNotFound { .. })
    ));

    // delete version: soft then permanent
    assert!(matches!(
        c.delete_version("orders-value", Version::Number(1), false)
            .await,
        Err(RegistryError::ReferenceExists { .. })
    ));
    assert!(matches!(
        c.delete_version("orders-value", Version::Number(2), true)
            .await,
        Err(RegistryError::VersionNotSoftDeleted { .. })
    ));
    assert_eq!(
        c.delete_version("orders-value", Version::Number(2), false)
            .await
            .unwrap(),
        2
    );
    assert_eq!(c.versions("orders-value", false).await.unwrap(), vec![1]);
    assert_eq!(c.versions("orders-value", true).await.unwrap(), vec![1, 2]);
    assert!(c
        .version("orders-value", Version::Number(2), true)
        .await
        .is_ok());
    assert_eq!(
        c.delete_version("orders-value", Version::Number(2), true)
            .await
            .unwrap(),
        2
    );
    assert!(matches!(
        c.version("orders-value", Version::Number(2), true).await,
        Err(RegistryError::VersionNotFound { .. })
    ));

    // delete subject: soft then permanent
    assert!(matches!(
        c.delete_subject("audit/orders-value", true).await,
        Err(RegistryError::SubjectNotSoftDeleted { .. })
    ));
    assert_eq!(
        c.delete_subject("audit/orders-value", false).await.unwrap(),
        vec![1]
    );
    assert!(matches!(
        c.delete_subject("audit/orders-value", false).await,
        Err(RegistryError::SubjectSoftDeleted { .. })
    ));
    assert!(!c
        .subjects(false)
        .await
        .unwrap()
        .contains(&"audit/orders-value".to_string()));
    assert!(c
        .subjects(true)
        .await
        .unwrap()
        .contains(&"audit/orders-value".to_string()));
    assert!(c
        .lookup("audit/orders-value", &v1, false, true)
        .await
        .is_ok());
    assert_eq!(
        c.delete_subject("audit/orders-value", true).await.unwrap(),
        vec![1]
    );
    assert!(!c
        .subjects(true)
        .await
        .unwrap()
        .contains(&"audit/orders-value".to_string()));

    server.shutdown().await;
}

#[tokio::test]
async fn protobuf_and_json_schemas_round_trip() {
    let (server, c) = start().await;
    let proto =
        Schema::protobuf("syntax = \"proto3\";\npackage acme;\nmessage Ping { int64 seq = 1; }\n");
    let reg = c.register("pings-value", &proto, false).await.unwrap();
    let back = c.schema_by_id(reg.id, None, None).await.unwrap();
    assert_eq!(back.schema_type, SchemaType::Protobuf);
    let json = Schema::json(r#"{"type":"object","properties":{"a":{"type":"integer"}}}"#);
    let reg = c.register("json-value", &json, false).await.unwrap();
    c.clear_caches();
    assert_eq!(
        c.schema_by_id(reg.id, None, None)
            .await
            .unwrap()
            .schema_type,
        SchemaType::Json
    );
    server.shutdown().await;
}

#[tokio::test]
async fn error_codes_are_typed_with_the_server_message() {
    let (server, c) = start().await;
    let v1 = Schema::avro(V1);

    let e = c.versions("nope", false).await.unwrap_err();
    assert!(matches!(e, RegistryError::SubjectNotFound { .. }), "{e:?}");
    assert_eq!(e.error_code(), Some(40401));
    assert!(e.to_string().contains("nope"), "{e}");
    assert!(!e.is_retriable());

    c.register("orders-value", &v1, false).await.unwrap();
    let e = c
        .version("orders-value", Version::Number(9), false)
        .await
        .unwrap_err();
    assert!(matches!(e, RegistryError::VersionNotFound { .. }), "{e:?}");
    assert_eq!(e.error_code(), Some(40402));

    let e = c.schema_by_id(4242, None, None).await.unwrap_err();
    assert!(matches!(e, RegistryError::SchemaNotFound { .. }), "{e:?}");
    assert_eq!(e.error_code(), Some(40403));

    let e = c
        .lookup("orders-value", &Schema::avro(V2_COMPATIBLE), false, false)
        .await
        .unwrap_err();
    assert_eq!(e.error_code(), Some(40403), "{e:?}");

    let e = c
        .register("orders-value", &Schema::avro(V2_BREAKING), false)
        .await
        .unwrap_err();
    assert!(matches!(e, RegistryError::Incompatible { .. }), "{e:?}");
    assert!(e.to_string().contains("incompatible"), "{e}");

    let e = c
        .register("orders-value", &Schema::avro(r#"{"type":"recrod"}"#), false)
        .await
        .unwrap_err();
    assert!(matches!(e, RegistryError::InvalidSchema { .. }), "{e:?}");
    assert_eq!(e.error_code(), Some(42201));

    let e = c
        .register(
            "x-value",
            &Schema::avro(V1).with_reference(SchemaReference::new("a.B", "missing", 1)),
            false,
        )
        .await
        .unwrap_err();
    assert_eq!(e.error_code(), Some(42201), "{e:?}");

    // the errors were not cached: a fix on the server side is seen at once
    let e = c
        .register("orders-value", &Schema::avro(V2_BREAKING), false)
        .await
        .unwrap_err();
    assert!(matches!(e, RegistryError::Incompatible { .. }));
    c.set_config(Some("orders-value"), CompatibilityLevel::None)
        .await
        .unwrap();
    assert!(c
        .register("orders-value", &Schema::avro(V2_BREAKING), false)
        .await
        .is_ok());

    server.shutdown().await;
}

// ---------------------------------------------------------------------------------------------
// Scripted local servers.

async fn spawn(app: Router) -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, task)
}

fn json_response(status: StatusCode, body: &str) -> Response {
    (
        status,
        [("content-type", "application/vnd.schemaregistry.v1+json")],
        body.to_string(),
    )
        .into_response()
}

#[tokio::test]
async fn fails_twice_with_503_then_succeeds() {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let app = Router::new().route(
        "/schemas/ids/{id}",
        get(move || {
            let h = h.clone();
            async move {
                if h.fetch_add(1, Ordering::SeqCst) < 2 {
                    json_response(
                        StatusCode::SERVICE_UNAVAILABLE,
                        r#"{"error_code":50301,"message":"busy"}"#,
                    )
                } else {
                    json_response(StatusCode::OK, r#"{"schema":"\"string\""}"#)
                }
            }
        }),
    );
    let (url, task) = spawn(app).await;
    let c = ConfluentRegistry::builder(url)
        .retry(fast_retry(3))
        .build()
        .unwrap();
    let s = c.schema_by_id(1, None, None).await.unwrap();
    assert_eq!(s.schema, "\"string\"");
    assert_eq!(hits.load(Ordering::SeqCst), 3);
    // cached forever: no fourth request
    c.schema_by_id(1, None, None).await.unwrap();
    assert_eq!(hits.load(Ordering::SeqCst), 3);
    task.abort();
}

#[tokio::test]
async fn retries_500_and_gives_up_after_the_bound() {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let app = Router::new().fallback(any(move || {
        let h = h.clone();
        async move {
            h.fetch_add(1, Ordering::SeqCst);
            json_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                r#"{"error_code":50001,"message":"store error"}"#,
            )
        }
    }));
    let (url, task) = spawn(app).await;
    let c = ConfluentRegistry::builder(url)
        .retry(fast_retry(2))
        .build()
        .unwrap();
    let e = c.subjects(false).await.unwrap_err();
    assert!(e.is_retriable(), "{e:?}");
    assert_eq!(e.error_code(), Some(50001));
    assert!(e.to_string().contains("store error"));
    assert_eq!(hits.load(Ordering::SeqCst), 3, "1 try + 2 retries");
    // never cached: the next call asks again
    let _ = c.subjects(false).await;
    assert_eq!(hits.load(Ordering::SeqCst), 6);
    task.abort();
}

#[tokio::test]
async fn honours_retry_after_on_429() {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let app = Router::new().route(
        "/subjects",
        get(move || {
            let h = h.clone();
            async move {
                if h.fetch_add(1, Ordering::SeqCst) == 0 {
                    (
                        StatusCode::TOO_MANY_REQUESTS,
                        [("retry-after", "1")],
                        "slow down",
                    )
                        .into_response()
                } else {
                    json_response(StatusCode::OK, r#"["a"]"#)
                }
            }
        }),
    );
    let (url, task) = spawn(app).await;
    let c = ConfluentRegistry::builder(url)
        .retry(RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_secs(5),
        })
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    assert_eq!(c.subjects(false).await.unwrap(), vec!["a"]);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    task.abort();
}

#[tokio::test]
async fn a_hung_connection_times_out() {
    let app = Router::new().fallback(any(|| async {
        tokio::time::sleep(Duration::from_secs(30)).await;
        "never"
    }));
    let (url, task) = spawn(app).await;
    let c = ConfluentRegistry::builder(url)
        .timeout(Duration::from_millis(200))
        .retry(fast_retry(1))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let e = c.subjects(false).await.unwrap_err();
    assert!(
        matches!(e, RegistryError::Transport { timeout: true, .. }),
        "{e:?}"
    );
    assert!(e.is_retriable());
    assert!(started.elapsed() < Duration::from_secs(5));
    task.abort();
}

#[tokio::test]
async fn unauthorized_is_not_retried_and_says_so() {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let app = Router::new().fallback(any(move || {
        let h = h.clone();
        async move {
            h.fetch_add(1, Ordering::SeqCst);
            json_response(
                StatusCode::UNAUTHORIZED,
                r#"{"error_code":401,"message":"Unauthorized"}"#,
            )
        }
    }));
    let (url, task) = spawn(app).await;
    let c = ConfluentRegistry::builder(url)
        .basic_auth("svc", "wrong-password")
        .retry(fast_retry(3))
        .build()
        .unwrap();
    let e = c.subjects(false).await.unwrap_err();
    assert!(
        matches!(e, RegistryError::Unauthorized { status: 401, .. }),
        "{e:?}"
    );
    assert!(!e.is_retriable());
    assert!(!e.to_string().contains("wrong-password"));
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    task.abort();
}

#[tokio::test]
async fn malformed_json_is_a_clear_error() {
    let app = Router::new()
        .route(
            "/schemas/ids/{id}",
            get(|| async { json_response(StatusCode::OK, "{\"schema\": ") }),
        )
        .route(
            "/subjects",
            get(|| async { json_response(StatusCode::NOT_FOUND, "<html>oops</html>") }),
        );
    let (url, task) = spawn(app).await;
    let c = ConfluentRegistry::builder(url)
        .retry(fast_retry(0))
        .build()
        .unwrap();
    let e = c.schema_by_id(7, None, None).await.unwrap_err();
    assert!(matches!(e, RegistryError::InvalidResponse { .. }), "{e:?}");
    let text = e.to_string();
    assert!(
        text.contains("/schemas/ids/7") && text.contains("EOF"),
        "{text}"
    );
    let e = c.subjects(false).await.unwrap_err();
    assert!(e.to_string().contains("oops"), "{e}");
    task.abort();
}

#[tokio::test]
async fn fails_over_when_the_first_url_is_dead() {
    // A port that was bound and released: connection refused.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let server = server::serve(MemoryRegistry::new()).await.unwrap();
    let c = ConfluentRegistry::builder(format!("{dead},{}", server.url()))
        .retry(fast_retry(0))
        .build()
        .unwrap();
    let reg = c
        .register("t-value", &Schema::avro(r#""long""#), false)
        .await
        .unwrap();
    assert_eq!(reg.version, Some(1));
    assert_eq!(c.subjects(false).await.unwrap(), vec!["t-value"]);
    server.shutdown().await;
}

#[tokio::test]
async fn auth_headers_are_sent_and_secrets_never_printed() {
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let s = seen.clone();
    let app = Router::new().route(
        "/subjects",
        get(move |req: Request| {
            let s = s.clone();
            async move {
                if let Some(v) = req.headers().get("authorization") {
                    s.lock().unwrap().push(v.to_str().unwrap_or("").to_string());
                }
                json_response(StatusCode::OK, "[]")
            }
        }),
    );
    let (url, task) = spawn(app).await;
    let basic = ConfluentRegistry::builder(&url)
        .basic_auth("svc", "pa55-secret")
        .header("target-sr-cluster", "lsrc-header-secret")
        .build()
        .unwrap();
    basic.subjects(false).await.unwrap();
    let bearer = ConfluentRegistry::builder(&url)
        .bearer_auth("tok-secret-42")
        .build()
        .unwrap();
    bearer.subjects(false).await.unwrap();
    let in_url = ConfluentRegistry::new(url.replace("http://", "http://user:url-secret@")).unwrap();
    in_url.subjects(false).await.unwrap();

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3);
    assert!(seen[0].starts_with("Basic "));
    assert_eq!(seen[1], "Bearer tok-secret-42");
    assert!(seen[2].starts_with("Basic "));

    for (client, secret) in [
        (&basic, "pa55-secret"),
        (&basic, "lsrc-header-secret"),
        (&bearer, "tok-secret-42"),
        (&in_url, "url-secret"),
    ] {
        let debug = format!("{client:?}");
        assert!(!debug.contains(secret), "{debug}");
        let pretty = format!("{client:#?}");
        assert!(!pretty.contains(secret), "{pretty}");
    }
    task.abort();
}

/// Counts requests by "METHOD path" in front of the embedded server.
async fn counting_server() -> (RegistryServer, Arc<Mutex<Vec<String>>>) {
    let log = Arc::new(Mutex::new(Vec::new()));
    let l = log.clone();
    let registry = MemoryRegistry::new();
    let app = server::router(registry.clone()).layer(middleware::from_fn(
        move |req: Request, next: Next| {
            let l = l.clone();
            async move {
                l.lock()
                    .unwrap()
                    .push(format!("{} {}", req.method(), req.uri().path()));
                // Widen the window in which concurrent misses overlap.
                tokio::time::sleep(Duration::from_millis(50)).await;
                next.run(req).await
            }
        },
    ));
    let server = server::serve_router(SocketAddr::from(([127, 0, 0, 1], 0)), app, registry)
        .await
        .unwrap();
    (server, log)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_misses_make_one_request_per_schema() {
    let (server, log) = counting_server().await;
    server
        .registry()
        .set_config(None, CompatibilityLevel::None)
        .await
        .unwrap();
    let c = ConfluentRegistry::new(server.url()).unwrap();
    let schemas = [Schema::avro(V1), Schema::avro(r#""string""#)];
    let mut tasks = Vec::new();
    for i in 0..100 {
        let c = c.clone();
        let schema = schemas[i % 2].clone();
        tasks.push(tokio::spawn(async move {
            let reg = c.register("orders-value", &schema, false).await?;
            let found = c.lookup("orders-value", &schema, false, false).await?;
            assert_eq!(found.id, reg.id);
            let by_id = c.schema_by_id(reg.id, None, None).await?;
            Ok::<_, RegistryError>((reg.id, by_id))
        }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        ids.push(t.await.unwrap().unwrap().0);
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 2);
    let log = log.lock().unwrap().clone();
    let registrations = log
        .iter()
        .filter(|l| *l == "POST /subjects/orders-value/versions")
        .count();
    let lookups = log
        .iter()
        .filter(|l| *l == "POST /subjects/orders-value")
        .count();
    let by_id = log
        .iter()
        .filter(|l| l.starts_with("GET /schemas/ids/"))
        .count();
    assert_eq!(registrations, 2, "{log:?}");
    assert_eq!(lookups, 2, "{log:?}");
    assert_eq!(by_id, 0, "ids learnt from registration are cached: {log:?}");
    server.shutdown().await;
}

#[tokio::test]
async fn latest_is_cached_with_a_ttl() {
    let (server, log) = counting_server().await;
    let c = ConfluentRegistry::builder(server.url())
        .latest_ttl(Duration::from_millis(300))
        .build()
        .unwrap();
    server
        .registry()
        .register("t-value", &Schema::avro(r#""int""#), false)
        .await
        .unwrap();
    assert_eq!(c.latest("t-value").await.unwrap().version, 1);
    server
        .registry()
        .set_config(Some("t-value"), CompatibilityLevel::None)
        .await
        .unwrap();
    server
        .registry()
        .register("t-value", &Schema::avro(r#""long""#), false)
        .await
        .unwrap();
    assert_eq!(
        c.latest("t-value").await.unwrap().version,
        1,
        "still cached"
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(c.latest("t-value").await.unwrap().version, 2, "expired");
    let gets = log
        .lock()
        .unwrap()
        .iter()
        .filter(|l| *l == "GET /subjects/t-value/versions/latest")
        .count();
    assert_eq!(gets, 2);
    server.shutdown().await;
}

#[test]
fn blocking_facade_against_the_server() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(server::serve(MemoryRegistry::new())).unwrap();
    let client = ConfluentRegistry::new(server.url()).unwrap();
    let blocking = kafka_model::registry::blocking::BlockingRegistry::new(client).unwrap();
    let reg = blocking
        .register("b-value", &Schema::avro(r#""bytes""#))
        .unwrap();
    assert_eq!(blocking.schema_by_id(reg.id).unwrap().schema, r#""bytes""#);
    assert_eq!(blocking.versions("b-value").unwrap(), vec![1]);
    rt.block_on(server.shutdown());
}
