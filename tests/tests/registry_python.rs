//! Python `confluent-kafka`'s `SchemaRegistryClient` (the interop venv, pinned by
//! `../shared/interop/requirements.txt`) registers and fetches Avro and Protobuf schemas through
//! the embedded server. Skipped outside CI when the venv is missing; required in CI.

mod common;

use std::process::Command;

use kafka_model::registry::{server, MemoryRegistry};

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
