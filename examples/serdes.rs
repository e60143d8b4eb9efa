//! Producer/consumer walk-through of the registry-aware serializers, on the embedded HTTP
//! schema registry (started here on a free local port: nothing to start by hand).
//!
//! 1. register a schema and serialize an order in every wire format;
//! 2. evolve the schema (v2 adds an optional field) and read old bytes with the new type and
//!    new bytes with the old type;
//! 3. read a topic holding several record types with the enum deserializer.
//!
//! Run with `cargo run --example serdes`.

use std::sync::Arc;

use kafka_model::registry::{server, ConfluentRegistry, MemoryRegistry, SubjectNameStrategy};
use kafka_model::serdes::{
    Deserializer, DeserializerConfig, PolymorphicDeserializer, PolymorphicSerializer, SerdeFormat,
    Serializer, SerializerConfig,
};
use kafka_model::wire::{IdKind, IdWidth, PrefixIds, WireFormat};
use kafka_model::Record;
use serde::{Deserialize, Serialize};

mod v1 {
    use super::*;
    /// An order, version 1.
    #[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
    #[record(name = "Order", namespace = "com.acme.shop")]
    pub struct Order {
        pub id: String,
        pub qty: i32,
    }
}

mod v2 {
    use super::*;
    /// An order, version 2: a new optional field (compatible both ways).
    #[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
    #[record(name = "Order", namespace = "com.acme.shop")]
    pub struct Order {
        pub id: String,
        pub qty: i32,
        pub note: Option<String>,
    }
}

/// An order was created.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "com.acme.shop")]
struct OrderCreated {
    id: String,
    total_cents: i64,
}

/// An order was paid.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "com.acme.shop")]
struct OrderPaid {
    id: String,
    method: String,
}

/// Everything on the `order-events` topic.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "com.acme.shop")]
enum OrderEvent {
    Created(OrderCreated),
    Paid(OrderPaid),
}

kafka_model::polymorphic!(OrderEvent {
    Created(OrderCreated),
    Paid(OrderPaid)
});

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .take(24)
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = server::serve(MemoryRegistry::new()).await?;
    let registry = Arc::new(ConfluentRegistry::new(server.url())?);
    println!("embedded schema registry at {}", server.url());

    // 1. Register and serialize in every wire format.
    let order = v1::Order {
        id: "o-1".into(),
        qty: 2,
    };
    let wires = [
        (WireFormat::Confluent, PrefixIds::Confluent),
        (WireFormat::ConfluentGuidHeader, PrefixIds::Confluent),
        (
            WireFormat::ApicurioHeaders { encoding: None },
            PrefixIds::Confluent,
        ),
        (
            WireFormat::ApicurioPayload {
                width: IdWidth::Four,
            },
            PrefixIds::Apicurio4(IdKind::ContentId),
        ),
        (WireFormat::AvroSingleObject, PrefixIds::Confluent),
    ];
    for format in [SerdeFormat::Avro, SerdeFormat::Protobuf, SerdeFormat::Json] {
        let topic = format!("orders-{format:?}").to_lowercase();
        for (wire, prefix_ids) in wires {
            if wire == WireFormat::AvroSingleObject && format != SerdeFormat::Avro {
                continue;
            }
            let ser = Serializer::<v1::Order>::new(
                registry.clone(),
                SerializerConfig::new(format).wire_format(wire),
            )?;
            let (payload, headers) = ser.serialize(&topic, &order).await?;
            let de = Deserializer::<v1::Order>::new(
                registry.clone(),
                DeserializerConfig::new(format).prefix_ids(prefix_ids),
            );
            assert_eq!(de.deserialize(&topic, &payload, &headers).await?, order);
            let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
            println!(
                "{format:?} / {}: [{}] headers {names:?} ✓",
                wire.name(),
                hex(&payload)
            );
        }
    }

    // 2. Evolve: v2 registers as version 2 of the same subject (BACKWARD compatible).
    let topic = "orders-avro";
    let old = Serializer::<v1::Order>::new(registry.clone(), SerializerConfig::avro())?;
    let new = Serializer::<v2::Order>::new(registry.clone(), SerializerConfig::avro())?;
    let (old_bytes, old_headers) = old.serialize(topic, &order).await?;
    let order2 = v2::Order {
        id: "o-2".into(),
        qty: 1,
        note: Some("gift wrap".into()),
    };
    let (new_bytes, new_headers) = new.serialize(topic, &order2).await?;
    println!(
        "\nv1 schema id {}, v2 schema id {}",
        old.register(topic).await?.1,
        new.register(topic).await?.1
    );
    let read_new = Deserializer::<v2::Order>::new(registry.clone(), DeserializerConfig::avro());
    let read_old = Deserializer::<v1::Order>::new(registry.clone(), DeserializerConfig::avro());
    let a = read_new
        .deserialize(topic, &old_bytes, &old_headers)
        .await?;
    println!("old bytes read as v2: {a:?}");
    assert_eq!(a.note, None);
    let b = read_old
        .deserialize(topic, &new_bytes, &new_headers)
        .await?;
    println!("new bytes read as v1: {b:?}");
    assert_eq!(
        b,
        v1::Order {
            id: "o-2".into(),
            qty: 1
        }
    );

    // 3. A topic with several record types: each under its own subject, read into one enum.
    let config =
        SerializerConfig::avro().subject_name_strategy(SubjectNameStrategy::TopicRecordName);
    let producer = PolymorphicSerializer::<OrderEvent>::new(registry.clone(), config)?;
    let consumer =
        PolymorphicDeserializer::<OrderEvent>::new(registry.clone(), DeserializerConfig::avro())?;
    let events = [
        OrderEvent::Created(OrderCreated {
            id: "o-3".into(),
            total_cents: 1999,
        }),
        OrderEvent::Paid(OrderPaid {
            id: "o-3".into(),
            method: "card".into(),
        }),
    ];
    let mut topic_log = Vec::new();
    for e in &events {
        topic_log.push(producer.serialize("order-events", e).await?);
    }
    for (payload, headers) in &topic_log {
        let e = consumer
            .deserialize("order-events", payload, headers)
            .await?;
        println!("order-events: {e:?}");
    }
    server.shutdown().await;
    Ok(())
}
