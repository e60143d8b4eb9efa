//! JSON Schema as a first-class registry format: derived JSON Schemas evolve on the embedded
//! registry as on Confluent's (an added optional field registers at BACKWARD, a breaking change
//! is refused with 409, an invalid schema with 42201), the same answers come through the
//! Confluent-API client against the embedded server, and the server's error codes follow
//! Confluent's for the cases where they used to differ.

use std::net::SocketAddr;

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::any;
use axum::Router;
use kafka_model::registry::server;
use kafka_model::registry::{
    CompatibilityLevel, ConfluentRegistry, MemoryRegistry, RegistryError, Schema, SchemaRegistry,
    Version,
};
use kafka_model::Record;
use serde::{Deserialize, Serialize};

mod v1 {
    use super::*;
    /// The first version of the model.
    #[derive(Record, Serialize, Deserialize)]
    #[record(namespace = "acme")]
    pub struct Order {
        pub id: String,
        pub qty: i32,
    }
}

mod v2 {
    use super::*;
    /// v1 plus an optional field.
    #[derive(Record, Serialize, Deserialize)]
    #[record(namespace = "acme")]
    pub struct Order {
        pub id: String,
        pub qty: i32,
        pub note: Option<String>,
    }
}

mod v3 {
    use super::*;
    /// v2 with `qty` changed from integer to string: breaks BACKWARD.
    #[derive(Record, Serialize, Deserialize)]
    #[record(namespace = "acme")]
    pub struct Order {
        pub id: String,
        pub qty: String,
        pub note: Option<String>,
    }
}

mod open_v1 {
    use super::*;
    /// An open content model.
    #[derive(Record, Serialize, Deserialize)]
    #[record(namespace = "acme", open_content)]
    pub struct Order {
        pub id: String,
    }
}

mod open_v2 {
    use super::*;
    /// The open model plus an optional field.
    #[derive(Record, Serialize, Deserialize)]
    #[record(namespace = "acme", open_content)]
    pub struct Order {
        pub id: String,
        pub note: Option<String>,
    }
}

fn json_of<T: Record>() -> Schema {
    Schema::json(T::schemas().json().expect("renders").text())
}

/// v1 → v2 registers, v3 is refused as incompatible, `{"type": 12}` as invalid: the same on
/// any registry implementation.
async fn evolve(registry: &dyn SchemaRegistry, subject: &str) {
    let first = registry
        .register(subject, &json_of::<v1::Order>(), false)
        .await
        .expect("v1 registers");
    let second = registry
        .register(subject, &json_of::<v2::Order>(), false)
        .await
        .expect("v2 (an added optional field) registers at BACKWARD");
    assert_ne!(first.id, second.id);
    assert_eq!(second.version, Some(2));

    let e = registry
        .register(subject, &json_of::<v3::Order>(), false)
        .await
        .expect_err("v3 changes a type");
    assert!(matches!(e, RegistryError::Incompatible { .. }), "{e:?}");
    assert_eq!(e.http_status(), 409);

    let e = registry
        .register(subject, &Schema::json(r#"{"type": 12}"#), false)
        .await
        .expect_err("not a JSON Schema");
    assert!(matches!(e, RegistryError::InvalidSchema { .. }), "{e:?}");
    assert_eq!(e.error_code(), Some(42201));

    // Removing the field again is a FORWARD change for a closed model, not a BACKWARD one.
    let e = registry
        .register(subject, &json_of::<v1::Order>(), false)
        .await
        .map(|r| r.version)
        .expect("an earlier schema is found, not re-checked");
    assert_eq!(e, Some(1));
    let versions = registry.versions(subject, false).await.expect("versions");
    assert_eq!(versions, vec![1, 2]);

    // The open content model is the mirror image: adding is FORWARD, not BACKWARD.
    let open = format!("{subject}-open");
    registry
        .register(&open, &json_of::<open_v1::Order>(), false)
        .await
        .expect("open v1");
    let e = registry
        .register(&open, &json_of::<open_v2::Order>(), false)
        .await
        .expect_err("adding to an open model narrows it");
    assert!(matches!(e, RegistryError::Incompatible { .. }), "{e:?}");
    registry
        .set_config(Some(&open), CompatibilityLevel::Forward)
        .await
        .expect("level");
    registry
        .register(&open, &json_of::<open_v2::Order>(), false)
        .await
        .expect("open v2 at FORWARD");
}

#[tokio::test]
async fn derived_json_schemas_evolve_on_the_embedded_registry() {
    let registry = MemoryRegistry::new();
    evolve(&registry, "orders-value").await;
}

#[tokio::test]
async fn the_confluent_client_gets_the_same_answers_from_the_embedded_server() {
    let server = server::serve(MemoryRegistry::new()).await.expect("bind");
    let client = ConfluentRegistry::new(server.url()).expect("client");
    evolve(&client, "orders-value").await;
    // The compatibility endpoint says the same as registering did.
    let r = client
        .test_compatibility("orders-value", None, &json_of::<v3::Order>(), true)
        .await
        .expect("check");
    assert!(!r.is_compatible);
    assert!(
        r.messages
            .iter()
            .any(|m| m.contains("TYPE_CHANGED at #/properties/qty")),
        "{:?}",
        r.messages
    );
    server.shutdown().await;
}

#[tokio::test]
async fn error_codes_follow_confluent() {
    let server = server::serve(MemoryRegistry::new()).await.expect("bind");
    let c = ConfluentRegistry::new(server.url()).expect("client");
    let schema = json_of::<v1::Order>();
    c.register("s-value", &schema, false)
        .await
        .expect("register");
    c.register("s-value", &json_of::<v2::Order>(), false)
        .await
        .expect("register v2");

    // Soft-deleting a soft-deleted version: 40406, as Confluent (was 40402).
    c.delete_version("s-value", Version::Number(1), false)
        .await
        .expect("soft delete");
    let e = c
        .delete_version("s-value", Version::Number(1), false)
        .await
        .expect_err("already soft-deleted");
    assert!(
        matches!(e, RegistryError::VersionSoftDeleted { .. }),
        "{e:?}"
    );
    assert_eq!(e.error_code(), Some(40406));

    // Compatibility with an unknown subject: nothing to be incompatible with for `latest`
    // (and for all versions); a numbered version that is not there is 40402, not 40401.
    let r = c
        .test_compatibility("nobody-value", Some(Version::Latest), &schema, true)
        .await
        .expect("latest of an unknown subject");
    assert!(r.is_compatible);
    let r = c
        .test_compatibility("nobody-value", None, &schema, true)
        .await
        .expect("all versions of an unknown subject");
    assert!(r.is_compatible);
    let e = c
        .test_compatibility("nobody-value", Some(Version::Number(1)), &schema, true)
        .await
        .expect_err("version 1 of an unknown subject");
    assert!(matches!(e, RegistryError::VersionNotFound { .. }), "{e:?}");
    assert_eq!(e.error_code(), Some(40402));
    server.shutdown().await;
}

#[tokio::test]
async fn a_missing_endpoint_is_not_supported_rather_than_api_404() {
    // A server with no routes: 404 with an empty body, 405 with a bare status code.
    let app = Router::new().route(
        "/config",
        any(|| async {
            (
                StatusCode::METHOD_NOT_ALLOWED,
                [("content-type", "application/json")],
                r#"{"error_code":405,"message":"HTTP 405 Method Not Allowed"}"#,
            )
                .into_response()
        }),
    );
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let c = ConfluentRegistry::new(&url).expect("client");
    let e = c
        .test_compatibility("s-value", None, &json_of::<v1::Order>(), false)
        .await
        .expect_err("no such endpoint");
    match &e {
        RegistryError::NotSupportedByRegistry {
            request, status, ..
        } => {
            assert_eq!(*status, 404);
            assert!(
                request.contains("/compatibility/subjects/s-value/versions"),
                "{request}"
            );
        }
        other => panic!("expected NotSupportedByRegistry, got {other:?}"),
    }
    assert!(
        e.to_string().starts_with("not supported by this registry"),
        "{e}"
    );
    assert!(!e.is_not_found(), "not a missing subject or version");
    assert_eq!(e.error_code(), None);
    let e = c.config(None, false).await.expect_err("405");
    assert!(
        matches!(e, RegistryError::NotSupportedByRegistry { status: 405, .. }),
        "{e:?}"
    );
    // A real Confluent 404 keeps its meaning.
    let server = server::serve(MemoryRegistry::new()).await.expect("bind");
    let real = ConfluentRegistry::new(server.url()).expect("client");
    let e = real.versions("nope", false).await.expect_err("40401");
    assert!(matches!(e, RegistryError::SubjectNotFound { .. }), "{e:?}");
    server.shutdown().await;
    task.abort();
}
