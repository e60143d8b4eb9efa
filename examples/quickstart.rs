//! Quickstart: describe messages once with `#[derive(Record)]`, print their schemas, and
//! round-trip values with `dumps` / `loads`.
//!
//! Then it starts the embedded schema registry (HTTP, on a free local port) and sends an order
//! through a registry-aware serializer and deserializer, in Avro and in Protobuf.
//!
//! Run with `cargo run --example quickstart`.

use std::collections::HashMap;

use chrono::{DateTime, TimeZone, Utc};
use kafka_model::Record;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A customer order.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "com.acme.orders")]
struct Order {
    /// The order's id.
    order_id: uuid::Uuid,
    /// Contact address: tagged as personal data for data-governance tools.
    #[record(tags = ["PII"])]
    email: String,
    items: Vec<Item>,
    attributes: HashMap<String, String>,
    #[record(decimal(precision = 12, scale = 2))]
    total: Decimal,
    created_at: DateTime<Utc>,
    /// Free text; absent when the customer wrote nothing.
    note: Option<String>,
    status: Status,
}

/// One line of an order.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "com.acme.orders")]
struct Item {
    sku: String,
    qty: i32,
    price_cents: i64,
}

/// Where an order is.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "com.acme.orders")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum Status {
    Pending,
    Paid,
    Shipped,
}

/// Card details.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "com.acme.payments")]
struct Card {
    last4: String,
    amount_cents: i64,
}

/// What happened to a payment: an enum with data is an Avro union, a Protobuf oneof, and
/// serde's tagged JSON.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "com.acme.payments")]
enum PaymentEvent {
    Authorized(Card),
    Captured { amount_cents: i64 },
    Refunded,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("== Order.avsc\n{}\n", Order::schemas().avro()?.json());
    println!("== Order.proto ({})", Order::schemas().proto()?.main().name);
    for file in Order::schemas().proto()?.files() {
        println!("-- {}\n{}", file.name, file.text);
    }
    println!(
        "== PaymentEvent.avsc\n{}\n",
        PaymentEvent::schemas().avro()?.json()
    );
    println!(
        "== PaymentEvent.proto\n{}",
        PaymentEvent::schemas().proto()?.main().text
    );
    println!(
        "== Order JSON Schema\n{}\n",
        Order::schemas().json()?.text()
    );

    let order = Order {
        order_id: uuid::Uuid::from_u128(0x5b1c3e2a_9f1d_4a3b_8c2d_0e6f7a8b9c0d),
        email: "ada@example.com".into(),
        items: vec![
            Item {
                sku: "BOOK-1".into(),
                qty: 1,
                price_cents: 1999,
            },
            Item {
                sku: "PEN-7".into(),
                qty: 3,
                price_cents: 150,
            },
        ],
        attributes: HashMap::from([("channel".to_string(), "web".to_string())]),
        total: Decimal::new(2449, 2),
        created_at: Utc
            .with_ymd_and_hms(2026, 11, 24, 9, 30, 0)
            .single()
            .ok_or("bad date")?,
        note: None,
        status: Status::Paid,
    };
    let bytes = order.dumps()?;
    println!(
        "== order.dumps() ({} bytes)\n{}\n",
        bytes.len(),
        String::from_utf8_lossy(&bytes)
    );
    let back = Order::loads(&bytes)?;
    assert_eq!(back, order);
    println!("Order::loads(dumps) == order ✓");

    let event = PaymentEvent::Authorized(Card {
        last4: "4242".into(),
        amount_cents: 2449,
    });
    let bytes = event.dumps_with("json")?;
    println!(
        "== event.dumps_with(\"json\")\n{}",
        String::from_utf8_lossy(&bytes)
    );
    assert_eq!(PaymentEvent::loads_with("json", &bytes)?, event);
    println!("PaymentEvent round trip ✓");

    // A codec name that is not registered is a typed error that lists the registered ones.
    if let Err(e) = order.dumps_with("yaml") {
        println!("dumps_with(\"yaml\") -> {e}");
    }

    // The embedded schema registry over HTTP, and Confluent-framed messages through it.
    use kafka_model::registry::{server, ConfluentRegistry, MemoryRegistry};
    use kafka_model::serdes::{Deserializer, DeserializerConfig, Serializer, SerializerConfig};
    use std::sync::Arc;

    let registry = server::serve(MemoryRegistry::new()).await?;
    let client = Arc::new(ConfluentRegistry::new(registry.url())?);
    println!("\n== embedded schema registry at {}", registry.url());
    for (name, ser, de) in [
        ("avro", SerializerConfig::avro(), DeserializerConfig::avro()),
        (
            "protobuf",
            SerializerConfig::protobuf(),
            DeserializerConfig::protobuf(),
        ),
    ] {
        let topic = format!("orders-{name}");
        let serializer = Serializer::<Order>::new(client.clone(), ser)?;
        let (payload, headers) = serializer.serialize(&topic, &order).await?;
        let deserializer = Deserializer::<Order>::new(client.clone(), de);
        assert_eq!(
            deserializer.deserialize(&topic, &payload, &headers).await?,
            order
        );
        let (subject, id) = serializer.register(&topic).await?;
        println!(
            "{name}: subject {subject}, schema id {id}, {} bytes, round trip ✓",
            payload.len()
        );
    }
    registry.shutdown().await;
    Ok(())
}
