//! The Avro `Deserializer` reads a payload whose writer schema references a named type
//! registered under another subject: the writer's named types come from the referenced schemas
//! when the payload is resolved into the reader type (it failed with "referenced but not
//! defined" before `Resolver::with_schemata`).

use std::sync::Arc;

use kafka_model::registry::{MemoryRegistry, Schema, SchemaRegistry, SchemaWithDeps};
use kafka_model::serdes::{Deserializer, DeserializerConfig, Serializer, SerializerConfig};
use kafka_model::Record;
use serde::{Deserialize, Serialize};

const MONEY: &str = r#"{"type":"record","name":"Money","namespace":"acme","fields":[{"name":"cents","type":"long"},{"name":"currency","type":"string","default":"EUR"}]}"#;
const ORDER: &str = r#"{"type":"record","name":"Order","namespace":"acme","fields":[{"name":"id","type":"string"},{"name":"total","type":"acme.Money"}]}"#;

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme")]
struct Money {
    cents: i64,
    currency: String,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme")]
struct Order {
    id: String,
    total: Money,
}

#[tokio::test]
async fn a_writer_schema_with_references_resolves_into_the_reader() {
    let registry: Arc<dyn SchemaRegistry> = Arc::new(MemoryRegistry::new());
    let graph = SchemaWithDeps::new(Schema::avro(ORDER)).with_dependency(
        "acme.Money",
        "acme-money",
        Schema::avro(MONEY),
    );
    registry
        .register_with_references("orders-value", &graph, false)
        .await
        .expect("register");
    let producer = Serializer::<Order>::new(
        registry.clone(),
        SerializerConfig::avro()
            .auto_register(false)
            .use_latest_version(true),
    )
    .expect("serializer");
    let order = Order {
        id: "o-1".into(),
        total: Money {
            cents: 1999,
            currency: "USD".into(),
        },
    };
    let (payload, headers) = producer
        .serialize("orders", &order)
        .await
        .expect("serialize");
    let consumer = Deserializer::<Order>::new(registry, DeserializerConfig::avro());
    let read = consumer
        .deserialize("orders", &payload, &headers)
        .await
        .expect("a writer schema with a reference");
    assert_eq!(read, order);
}
