//! Python `confluent-kafka` (the interop venv, pinned by `interop/requirements.txt`)
//! against the embedded server: its `SchemaRegistryClient` registers and fetches Avro and
//! Protobuf schemas, and its Avro and Protobuf serializers auto-register (Protobuf: the imported
//! file first, as a base64 descriptor under its own subject, then the root with a reference)
//! and their deserializers read back; a Protobuf schema the Rust client registered as `.proto`
//! text with a reference is served to Python with `format=serialized`. Skipped outside CI when
//! the venv is missing; required in CI.

mod common;

use std::process::Command;

use kafka_model::registry::subject::ReferenceSubjectStrategy;
use kafka_model::registry::{
    server, ConfluentRegistry, MemoryRegistry, SchemaRegistry, SchemaType, SchemaWithDeps,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_confluent_client_talks_to_the_embedded_server() {
    let Some(python) = common::tools::interop_python() else {
        return;
    };
    let server = server::serve(MemoryRegistry::new()).await.expect("bind");
    let script = common::tools::workspace_root().join("tests/py/registry_client.py");
    let url = server.url().to_string();
    let out = tokio::task::spawn_blocking(move || {
        common::tools::run(Command::new(python).arg(script).arg(url))
    })
    .await
    .expect("python task");
    assert!(out.contains("registry interop OK"), "{out}");
    server.shutdown().await;
}

#[derive(kafka_model::Record, serde::Serialize, serde::Deserialize)]
#[record(namespace = "com.acme.common")]
struct Customer {
    id: i64,
    email: String,
}

#[derive(kafka_model::Record, serde::Serialize, serde::Deserialize)]
#[record(namespace = "com.acme.orders")]
struct Order {
    order_id: String,
    customer: Customer,
    total_cents: i64,
}

/// The `key=value` line the script printed for `key`.
fn printed(out: &str, key: &str) -> i64 {
    out.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}=")))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {key}= line in:\n{out}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_serializers_auto_register_and_read_back() {
    use kafka_model::Record as _;
    let Some(python) = common::tools::interop_python() else {
        return;
    };
    let server = server::serve(MemoryRegistry::new()).await.expect("bind");
    let client = ConfluentRegistry::new(server.url()).expect("client");
    // The Rust side registers the same Order as .proto text, its import under its own subject.
    let graph = SchemaWithDeps::protobuf(
        Order::schemas().proto().expect("proto"),
        ReferenceSubjectStrategy::Default,
    );
    client
        .register_with_references("rust-orders-value", &graph, false)
        .await
        .expect("rust registration");

    let script = common::tools::workspace_root().join("tests/py/registry_serdes.py");
    let url = server.url().to_string();
    let out = tokio::task::spawn_blocking(move || {
        common::tools::run(Command::new(python).arg(script).arg(url))
    })
    .await
    .expect("python task");
    assert!(out.contains("registry serdes OK"), "{out}");

    // What Python registered, seen from Rust.
    let avro_id = printed(&out, "avro_id");
    let avro = client
        .schema_by_id(avro_id, None, None)
        .await
        .expect("avro");
    assert_eq!(avro.schema_type, SchemaType::Avro);
    assert!(avro.schema.contains("Payment"));

    let proto_id = printed(&out, "proto_id");
    let resolved = client
        .schema_with_references(proto_id, None, None)
        .await
        .expect("resolve Python's protobuf schema");
    assert_eq!(resolved.schema.schema_type, SchemaType::Protobuf);
    assert_eq!(resolved.references.len(), 1);
    assert_eq!(
        resolved.references[0].reference.name,
        "com/acme/common.proto"
    );
    // Registered as base64 descriptors: answered as they are.
    assert_eq!(
        resolved.serialized_protobuf().expect("serialized"),
        resolved.schema.schema
    );
    assert!(printed(&out, "rust_text_id") > 0);
    server.shutdown().await;
}
