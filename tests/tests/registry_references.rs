//! Schema references through the real HTTP client and the embedded server: an Avro record whose
//! named type lives in another subject, a Protobuf file importing another file registered under
//! its own subject (from derived types), dependency-first registration, recursive resolution by
//! id, and resolution against scripted servers with a cycle and with unbounded nesting.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::Path;
use axum::routing::get;
use axum::Router;
use kafka_model::registry::references::MAX_REFERENCE_DEPTH;
use kafka_model::registry::server::{self, RegistryServer};
use kafka_model::registry::subject::ReferenceSubjectStrategy;
use kafka_model::registry::{
    ConfluentRegistry, MemoryRegistry, RegistryError, RetryPolicy, Schema, SchemaReference,
    SchemaRegistry, SchemaWithDeps, Version,
};
use kafka_model::Record;

const CUSTOMER: &str = r#"{"type":"record","name":"Customer","namespace":"com.acme.common","fields":[{"name":"id","type":"long"},{"name":"email","type":"string"}]}"#;
const ADDRESS: &str = r#"{"type":"record","name":"Address","namespace":"com.acme.common","fields":[{"name":"city","type":"string"}]}"#;
const CUSTOMER_WITH_ADDRESS: &str = r#"{"type":"record","name":"Customer","namespace":"com.acme.common","fields":[{"name":"id","type":"long"},{"name":"home","type":"Address"}]}"#;
const ORDER: &str = r#"{"type":"record","name":"Order","namespace":"com.acme.orders","fields":[{"name":"id","type":"string"},{"name":"customer","type":"com.acme.common.Customer"}]}"#;

async fn start() -> (RegistryServer, ConfluentRegistry) {
    let server = server::serve(MemoryRegistry::new()).await.expect("bind");
    let client = ConfluentRegistry::builder(server.url())
        .retry(RetryPolicy::none())
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client");
    (server, client)
}

#[tokio::test]
async fn avro_named_type_from_another_subject_round_trips_over_http() {
    let (server, client) = start().await;
    let graph = SchemaWithDeps::new(Schema::avro(ORDER)).with_dependency(
        "com.acme.common.Customer",
        "com.acme.common.Customer",
        Schema::avro(CUSTOMER),
    );
    let reg = client
        .register_with_references("orders-value", &graph, false)
        .await
        .expect("register with references");

    // The dependency went first, under its own subject.
    let dep = client
        .version("com.acme.common.Customer", Version::Latest, false)
        .await
        .expect("dependency registered");
    assert_eq!(dep.version, 1);
    assert!(dep.schema.references.is_empty());

    // The root carries the reference, as stored by the server.
    let stored = client
        .schema_by_id(reg.id, None, None)
        .await
        .expect("by id");
    assert_eq!(
        stored.references,
        vec![SchemaReference::new(
            "com.acme.common.Customer",
            "com.acme.common.Customer",
            1
        )]
    );

    // Resolution by id over HTTP answers the referenced schema too, and it parses.
    let fresh = ConfluentRegistry::new(server.url()).expect("client");
    let resolved = fresh
        .schema_with_references(reg.id, None, None)
        .await
        .expect("resolve");
    assert_eq!(resolved.references.len(), 1);
    let customer = resolved
        .reference("com.acme.common.Customer")
        .expect("named reference");
    assert_eq!(customer.id, dep.id);
    assert_eq!(customer.schema.schema, CUSTOMER);
    let parsed = resolved.avro().expect("Avro with the named type resolved");
    let apache_avro::Schema::Record(record) = parsed else {
        panic!("a record: {parsed:?}");
    };
    assert_eq!(record.name.fullname(None), "com.acme.orders.Order");
    // Without the reference, the root alone does not parse.
    assert!(apache_avro::Schema::parse_str(ORDER).is_err());

    // Registering the same graph again answers the same ids and versions.
    let again = client
        .register_with_references("orders-value", &graph, false)
        .await
        .expect("again");
    assert_eq!((again.id, again.version), (reg.id, reg.version));
    assert_eq!(
        client
            .versions("com.acme.common.Customer", false)
            .await
            .expect("versions"),
        vec![1]
    );

    // The server knows who references what, and protects the dependency.
    assert_eq!(
        client
            .referenced_by("com.acme.common.Customer", Version::Number(1))
            .await
            .expect("referencedby"),
        vec![reg.id]
    );
    let err = client
        .delete_subject("com.acme.common.Customer", false)
        .await
        .expect_err("still referenced");
    assert!(
        matches!(err, RegistryError::ReferenceExists { .. }),
        "{err:?}"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn transitive_avro_references_register_and_resolve_dependencies_first() {
    let (server, client) = start().await;
    // Listed out of order on purpose: Address must still be registered before Customer.
    let graph = SchemaWithDeps::new(Schema::avro(ORDER))
        .with_dependency(
            "com.acme.common.Customer",
            "customer",
            Schema::avro(CUSTOMER_WITH_ADDRESS),
        )
        .with_dependency("com.acme.common.Address", "address", Schema::avro(ADDRESS));
    let reg = client
        .register_with_references("orders-value", &graph, false)
        .await
        .expect("register");
    let customer = client
        .version("customer", Version::Number(1), false)
        .await
        .expect("customer");
    assert_eq!(
        customer.schema.references,
        vec![SchemaReference::new(
            "com.acme.common.Address",
            "address",
            1
        )]
    );
    let root = client.schema_by_id(reg.id, None, None).await.expect("root");
    assert_eq!(root.references.len(), 1, "only the direct reference");

    let resolved = client
        .schema_with_references(reg.id, None, None)
        .await
        .expect("resolve");
    let names: Vec<&str> = resolved
        .references
        .iter()
        .map(|r| r.reference.name.as_str())
        .collect();
    assert_eq!(
        names,
        ["com.acme.common.Address", "com.acme.common.Customer"],
        "dependencies first"
    );
    resolved.avro().expect("parses with both named types");

    // The in-process registry resolves the same way.
    let local = server
        .registry()
        .schema_with_references(reg.id, None, None)
        .await
        .expect("memory resolve");
    assert_eq!(local, resolved);
    server.shutdown().await;
}

#[derive(Record, serde::Serialize, serde::Deserialize)]
#[record(namespace = "com.acme.common")]
struct Customer {
    id: i64,
    email: String,
}

#[derive(Record, serde::Serialize, serde::Deserialize)]
#[record(namespace = "com.acme.orders")]
struct Order {
    order_id: String,
    customer: Customer,
    total_cents: i64,
}

#[tokio::test]
async fn protobuf_import_registered_under_its_own_subject() {
    let (server, client) = start().await;
    let proto = Order::schemas().proto().expect("proto schema");
    assert_eq!(proto.files().len(), 2, "{:?}", proto.files());
    let graph = SchemaWithDeps::protobuf(proto, ReferenceSubjectStrategy::Default);
    assert_eq!(graph.dependencies[0].name, "com/acme/common.proto");
    let reg = client
        .register_with_references("orders-value", &graph, false)
        .await
        .expect("register");

    let stored = client
        .schema_by_id(reg.id, None, None)
        .await
        .expect("by id");
    assert_eq!(
        stored.references,
        vec![SchemaReference::new(
            "com/acme/common.proto",
            "com/acme/common.proto",
            1
        )]
    );
    assert!(stored.schema.contains("import \"com/acme/common.proto\""));
    let common = client
        .version("com/acme/common.proto", Version::Latest, false)
        .await
        .expect("common file");
    assert!(common.schema.schema.contains("message Customer"));

    let resolved = client
        .schema_with_references(reg.id, None, None)
        .await
        .expect("resolve");
    assert_eq!(resolved.references.len(), 1);
    // The fetched files compile together (the import resolves to the fetched dependency).
    let source = resolved.proto_source();
    kafka_model::compat::protobuf::diff(&source, &source).expect("compiles with its import");

    // The qualified strategy names the subject after the package path.
    let qualified = SchemaWithDeps::protobuf(proto, ReferenceSubjectStrategy::Qualified);
    let reg2 = client
        .register_with_references("orders2-value", &qualified, false)
        .await
        .expect("register qualified");
    let stored2 = client
        .schema_by_id(reg2.id, None, None)
        .await
        .expect("by id");
    assert_eq!(stored2.references[0].subject, "com.acme.common");
    assert_ne!(reg2.id, reg.id, "other references, other schema");
    server.shutdown().await;
}

#[tokio::test]
async fn cyclic_dependencies_are_refused_before_any_request() {
    let (server, client) = start().await;
    let a = Schema::protobuf("syntax = \"proto3\"; import \"b.proto\"; message A { B b = 1; }");
    let b = Schema::protobuf("syntax = \"proto3\"; import \"c.proto\"; message B { C c = 1; }");
    let c = Schema::protobuf("syntax = \"proto3\"; import \"b.proto\"; message C { B b = 1; }");
    let graph = SchemaWithDeps::new(a)
        .with_dependency("b.proto", "b", b)
        .with_dependency("c.proto", "c", c);
    let err = client
        .register_with_references("a-value", &graph, false)
        .await
        .expect_err("cycle");
    assert!(
        matches!(err, RegistryError::InvalidSchema { .. }),
        "{err:?}"
    );
    assert!(client.subjects(true).await.expect("subjects").is_empty());
    server.shutdown().await;
}

// ---------------------------------------------------------------------------------------------
// Scripted servers: answers no real registry would give.

async fn spawn(app: Router) -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, task)
}

fn avro_with_ref(name: &str, subject: &str) -> String {
    serde_json::json!({
        "schema": format!(r#"{{"type":"record","name":"{name}","fields":[]}}"#),
        "references": [{"name": subject, "subject": subject, "version": 1}],
    })
    .to_string()
}

#[tokio::test]
async fn resolution_survives_a_reference_cycle() {
    // id 1 → a/1 → b/1 → a/1 → …
    let app = Router::new()
        .route(
            "/schemas/ids/1",
            get(|| async { avro_with_ref("Root", "a") }),
        )
        .route(
            "/subjects/{s}/versions/{v}",
            get(|Path((s, _v)): Path<(String, String)>| async move {
                let next = if s == "a" { "b" } else { "a" };
                let mut body: serde_json::Value =
                    serde_json::from_str(&avro_with_ref(&s.to_uppercase(), next))
                        .unwrap_or_default();
                body["subject"] = serde_json::json!(s);
                body["version"] = serde_json::json!(1);
                body["id"] = serde_json::json!(if s == "a" { 2 } else { 3 });
                body.to_string()
            }),
        );
    let (url, task) = spawn(app).await;
    let client = ConfluentRegistry::builder(url)
        .retry(RetryPolicy::none())
        .build()
        .expect("client");
    let resolved = tokio::time::timeout(
        Duration::from_secs(10),
        client.schema_with_references(1, None, None),
    )
    .await
    .expect("terminates")
    .expect("resolves");
    let subjects: Vec<&str> = resolved
        .references
        .iter()
        .map(|r| r.reference.subject.as_str())
        .collect();
    assert_eq!(subjects.len(), 2, "each subject version once: {subjects:?}");
    assert!(subjects.contains(&"a") && subjects.contains(&"b"));
    task.abort();
}

#[tokio::test]
async fn resolution_depth_is_bounded() {
    // id 1 → s1/1 → s2/1 → s3/1 → … without end.
    let app = Router::new()
        .route(
            "/schemas/ids/1",
            get(|| async { avro_with_ref("Root", "s1") }),
        )
        .route(
            "/subjects/{s}/versions/{v}",
            get(|Path((s, _v)): Path<(String, String)>| async move {
                let n: u64 = s.trim_start_matches('s').parse().unwrap_or(0);
                let next = format!("s{}", n + 1);
                let mut body: serde_json::Value =
                    serde_json::from_str(&avro_with_ref(&format!("T{n}"), &next))
                        .unwrap_or_default();
                body["subject"] = serde_json::json!(s);
                body["version"] = serde_json::json!(1);
                body["id"] = serde_json::json!(n + 1);
                body.to_string()
            }),
        );
    let (url, task) = spawn(app).await;
    let client = ConfluentRegistry::builder(url)
        .retry(RetryPolicy::none())
        .build()
        .expect("client");
    let err = client
        .schema_with_references(1, None, None)
        .await
        .expect_err("too deep");
    assert!(
        matches!(&err, RegistryError::InvalidSchema { message } if message.contains(&MAX_REFERENCE_DEPTH.to_string())),
        "{err:?}"
    );
    task.abort();
}
