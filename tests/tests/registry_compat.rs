//! The embedded server enforces compatibility levels with the default checker
//! ([`LocalChecker`](kafka_model::registry::LocalChecker), i.e. `kafka_model::compat`): BACKWARD
//! for Avro and Protobuf (`.proto` text) schemas, with the checker's reasons in the 409 answer
//! the real HTTP client receives, and in verbose compatibility tests.

use std::time::Duration;

use kafka_model::registry::server::{self, RegistryServer};
use kafka_model::registry::{
    CompatibilityLevel, ConfluentRegistry, MemoryRegistry, RegistryError, RetryPolicy, Schema,
    SchemaRegistry, Version,
};

async fn start() -> (RegistryServer, ConfluentRegistry) {
    let server = server::serve(MemoryRegistry::new()).await.expect("bind");
    let client = ConfluentRegistry::builder(server.url())
        .retry(RetryPolicy::none())
        .latest_ttl(Duration::ZERO)
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client");
    (server, client)
}

/// Registers `schema` and answers the 409's message.
async fn incompatible(client: &ConfluentRegistry, subject: &str, schema: &Schema) -> String {
    match client.register(subject, schema, false).await {
        Err(RegistryError::Incompatible { message }) => message,
        other => panic!("expected a 409 incompatible answer, got {other:?}"),
    }
}

const AVRO_V1: &str = r#"{"type":"record","name":"Order","namespace":"acme","fields":[{"name":"id","type":"string"},{"name":"qty","type":"int"}]}"#;
/// Adds a field without a default: new readers cannot read old data.
const AVRO_NEW_FIELD: &str = r#"{"type":"record","name":"Order","namespace":"acme","fields":[{"name":"id","type":"string"},{"name":"qty","type":"int"},{"name":"currency","type":"string"}]}"#;
/// Narrows int to string: not a promotion.
const AVRO_RETYPED: &str = r#"{"type":"record","name":"Order","namespace":"acme","fields":[{"name":"id","type":"string"},{"name":"qty","type":"string"}]}"#;
/// Adds a field with a default and widens int to long: backward compatible.
const AVRO_OK: &str = r#"{"type":"record","name":"Order","namespace":"acme","fields":[{"name":"id","type":"string"},{"name":"qty","type":"long"},{"name":"currency","type":"string","default":"EUR"}]}"#;

#[tokio::test]
async fn backward_is_enforced_for_avro_with_reasons_in_the_409() {
    let (server, client) = start().await;
    assert_eq!(
        client.config(None, false).await.expect("config"),
        CompatibilityLevel::Backward
    );
    client
        .register("orders-value", &Schema::avro(AVRO_V1), false)
        .await
        .expect("v1");

    let message = incompatible(&client, "orders-value", &Schema::avro(AVRO_NEW_FIELD)).await;
    assert!(message.contains("orders-value"), "{message}");
    assert!(
        message.contains("currency"),
        "the reason names the field: {message}"
    );

    let message = incompatible(&client, "orders-value", &Schema::avro(AVRO_RETYPED)).await;
    assert!(
        message.contains("TYPE_MISMATCH") && message.contains("/fields/1"),
        "the reason names the kind and the field: {message}"
    );

    // Verbose tests answer the same reasons.
    let verdict = client
        .test_compatibility(
            "orders-value",
            Some(Version::Latest),
            &Schema::avro(AVRO_NEW_FIELD),
            true,
        )
        .await
        .expect("test");
    assert!(!verdict.is_compatible);
    assert!(
        verdict.messages.iter().any(|m| m.contains("currency")),
        "{verdict:?}"
    );

    // A compatible evolution passes, and nothing was registered by the refusals.
    let v2 = client
        .register("orders-value", &Schema::avro(AVRO_OK), false)
        .await
        .expect("compatible v2");
    assert_eq!(v2.version, Some(2));
    assert_eq!(
        client
            .versions("orders-value", false)
            .await
            .expect("versions"),
        vec![1, 2]
    );

    // NONE lets anything through.
    client
        .set_config(Some("orders-value"), CompatibilityLevel::None)
        .await
        .expect("NONE");
    client
        .register("orders-value", &Schema::avro(AVRO_RETYPED), false)
        .await
        .expect("anything goes under NONE");
    server.shutdown().await;
}

#[tokio::test]
async fn forward_and_full_use_the_same_checker() {
    let (server, client) = start().await;
    client
        .set_config(Some("f-value"), CompatibilityLevel::Forward)
        .await
        .expect("FORWARD");
    client
        .register("f-value", &Schema::avro(AVRO_V1), false)
        .await
        .expect("v1");
    // Adding a field without a default is forward compatible (old readers skip it)…
    client
        .register("f-value", &Schema::avro(AVRO_NEW_FIELD), false)
        .await
        .expect("forward ok");
    // …but FULL refuses it against the previous version.
    client
        .set_config(Some("g-value"), CompatibilityLevel::Full)
        .await
        .expect("FULL");
    client
        .register("g-value", &Schema::avro(AVRO_V1), false)
        .await
        .expect("v1");
    let message = incompatible(&client, "g-value", &Schema::avro(AVRO_NEW_FIELD)).await;
    assert!(message.contains("currency"), "{message}");
    server.shutdown().await;
}

const PROTO_V1: &str = r#"syntax = "proto3";
package acme;
message Order {
  string id = 1;
  int32 qty = 2;
}
"#;
/// Changes a field's type (int32 → string): incompatible.
const PROTO_RETYPED: &str = r#"syntax = "proto3";
package acme;
message Order {
  string id = 1;
  string qty = 2;
}
"#;
/// Removes the message the schema is about: incompatible.
const PROTO_RENAMED: &str = r#"syntax = "proto3";
package acme;
message Purchase {
  string id = 1;
  int32 qty = 2;
}
"#;
/// Adds a field: compatible.
const PROTO_OK: &str = r#"syntax = "proto3";
package acme;
message Order {
  string id = 1;
  int32 qty = 2;
  string note = 3;
}
"#;

#[tokio::test]
async fn backward_is_enforced_for_protobuf_text_with_reasons_in_the_409() {
    let (server, client) = start().await;
    client
        .register("orders-value", &Schema::protobuf(PROTO_V1), false)
        .await
        .expect("v1");

    let message = incompatible(&client, "orders-value", &Schema::protobuf(PROTO_RETYPED)).await;
    assert!(
        message.contains("FIELD_SCALAR_KIND_CHANGED") && message.contains("Order/2"),
        "the reason names the kind and the field: {message}"
    );

    let message = incompatible(&client, "orders-value", &Schema::protobuf(PROTO_RENAMED)).await;
    assert!(
        message.contains("Order"),
        "the reason names the message: {message}"
    );

    let verdict = client
        .test_compatibility("orders-value", None, &Schema::protobuf(PROTO_RETYPED), true)
        .await
        .expect("test");
    assert!(
        !verdict.is_compatible && !verdict.messages.is_empty(),
        "{verdict:?}"
    );

    let v2 = client
        .register("orders-value", &Schema::protobuf(PROTO_OK), false)
        .await
        .expect("compatible v2");
    assert_eq!(v2.version, Some(2));

    // A schema of another type is refused under BACKWARD, with the reason.
    let message = incompatible(&client, "orders-value", &Schema::avro(AVRO_V1)).await;
    assert!(
        message.contains("AVRO") && message.contains("PROTOBUF"),
        "{message}"
    );
    server.shutdown().await;
}
