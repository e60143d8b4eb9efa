//! Consume a topic you don't own: the shop team produces `OrderPlaced` to `orders`, with a
//! `Customer` that the CRM team registers under its own subject (a schema reference). You have
//! neither team's Rust code, only their registry.
//!
//! 1. the other teams register their schemas and produce a message (on the embedded registry,
//!    started here on a free local port: nothing to start by hand);
//! 2. your model is generated from the registry: `consume_foreign/generated.rs` is what
//!    `kafka-model generate --registry URL --subject orders-value` writes, and this example
//!    checks it is still exactly that (rerun with `KAFKA_MODEL_REGENERATE=1` to rewrite it),
//!    and that each generated type renders its subject's schema;
//! 3. the `Deserializer` reads their payload into the generated type.
//!
//! Run with `cargo run -p kafka-model-examples --example consume_foreign`.

use std::sync::Arc;

use kafka_model::generate::{registry_inputs, Generator};
use kafka_model::registry::{
    server, ConfluentRegistry, MemoryRegistry, Schema, SchemaRegistry, SchemaWithDeps, Version,
};
use kafka_model::serdes::{Deserializer, DeserializerConfig, Serializer, SerializerConfig};

/// Your model, generated from the registry (see the file's first line).
mod generated {
    include!("consume_foreign/generated.rs");
}

/// The other teams' schemas, as they registered them.
const CUSTOMER_AVSC: &str = include_str!("consume_foreign/crm-customer.avsc");
const ORDER_AVSC: &str = include_str!("consume_foreign/orders-value.avsc");

/// The shop team's own code (you do not have it): their producer's types.
mod shop_team {
    use kafka_model::Record;
    use serde::{Deserialize, Serialize};

    #[derive(Record, Serialize, Deserialize)]
    #[record(namespace = "com.acme.crm")]
    #[serde(rename_all = "UPPERCASE")]
    pub enum Tier {
        #[record(default)]
        Free,
        Pro,
    }

    #[derive(Record, Serialize, Deserialize)]
    #[record(namespace = "com.acme.crm")]
    pub struct Customer {
        pub id: i64,
        pub email: String,
        pub tier: Tier,
    }

    #[derive(Record, Serialize, Deserialize)]
    #[record(namespace = "com.acme.shop")]
    pub struct Line {
        pub sku: String,
        pub qty: i32,
    }

    #[derive(Record, Serialize, Deserialize)]
    #[record(namespace = "com.acme.shop")]
    #[serde(rename_all = "camelCase")]
    pub struct OrderPlaced {
        pub order_id: String,
        pub customer: Customer,
        pub total_cents: i64,
        #[record(timestamp = "millis")]
        pub placed_at: chrono::DateTime<chrono::Utc>,
        pub lines: Vec<Line>,
        pub note: Option<String>,
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = server::serve(MemoryRegistry::new()).await?;
    let registry = Arc::new(ConfluentRegistry::new(server.url())?);
    println!("embedded schema registry at {}", server.url());

    // 1. The other teams: Customer under `crm-customer`, OrderPlaced under `orders-value`
    //    referencing it; the shop's producer writes with the registered (latest) version.
    let graph = SchemaWithDeps::new(Schema::avro(ORDER_AVSC)).with_dependency(
        "com.acme.crm.Customer",
        "crm-customer",
        Schema::avro(CUSTOMER_AVSC),
    );
    registry
        .register_with_references("orders-value", &graph, false)
        .await?;
    let producer = Serializer::<shop_team::OrderPlaced>::new(
        registry.clone(),
        SerializerConfig::avro()
            .auto_register(false)
            .use_latest_version(true),
    )?;
    let placed_at = chrono::DateTime::from_timestamp_millis(1_764_720_000_123).ok_or("time")?;
    let (payload, headers) = producer
        .serialize(
            "orders",
            &shop_team::OrderPlaced {
                order_id: "o-17".into(),
                customer: shop_team::Customer {
                    id: 42,
                    email: "ada@example.com".into(),
                    tier: shop_team::Tier::Pro,
                },
                total_cents: 1999,
                placed_at,
                lines: vec![shop_team::Line {
                    sku: "sku-1".into(),
                    qty: 2,
                }],
                note: None,
            },
        )
        .await?;
    println!("the shop team produced {} bytes to `orders`", payload.len());

    // 2. Generate from the registry: the subject and every schema its references reach.
    let fetched = registry_inputs(registry.as_ref(), "orders-value", Version::Latest).await?;
    let names: Vec<&str> = fetched.inputs.iter().map(|(n, _)| n.as_str()).collect();
    println!(
        "orders-value version {} (id {}) with its references: {names:?}",
        fetched.version, fetched.id
    );
    let source = Generator::new().generate(&fetched.as_inputs())?.source;
    let committed = include_str!("consume_foreign/generated.rs");
    if source != committed {
        if std::env::var_os("KAFKA_MODEL_REGENERATE").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/consume_foreign/generated.rs");
            std::fs::write(path, &source)?;
            println!("rewrote {path}; build and run again");
            return Ok(());
        }
        return Err("consume_foreign/generated.rs is not what the generator writes from the registry: rerun with KAFKA_MODEL_REGENERATE=1".into());
    }
    generated::check_avro_schemas()?;
    println!("generated model is current and renders the registered schemas ✓");

    // 3. Read their message with the generated type.
    let consumer = Deserializer::<generated::com::acme::shop::OrderPlaced>::new(
        registry.clone(),
        DeserializerConfig::avro(),
    );
    let order = consumer.deserialize("orders", &payload, &headers).await?;
    println!("consumed: {order:?}");
    assert_eq!(order.customer.tier, generated::com::acme::crm::Tier::PRO);
    assert_eq!(order.lines[0].qty, 2);
    assert_eq!(order.placed_at, placed_at);

    server.shutdown().await;
    Ok(())
}
