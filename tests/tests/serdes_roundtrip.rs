//! Serializer / Deserializer round trips for every format × wire format through the embedded
//! HTTP registry, the generic and polymorphic readers, errors, and tombstones.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use kafka_model::registry::{
    server, ConfluentRegistry, MemoryRegistry, SchemaRegistry, SubjectNameStrategy,
};
use kafka_model::serdes::{
    Deserializer, DeserializerConfig, GenericDeserializer, GenericValue, PolymorphicDeserializer,
    PolymorphicSerializer, SerdeErrorKind, SerdeFormat, Serializer, SerializerConfig,
};
use kafka_model::wire::{IdKind, IdWidth, NoHeaders, PrefixIds, WireFormat};
use kafka_model::Record;
use serde::{Deserialize, Serialize};

/// A customer, in another package than the order (a Protobuf reference).
#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "com.acme.customers")]
struct Customer {
    id: i64,
    email: String,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "com.acme.serdes")]
struct Item {
    sku: String,
    qty: i32,
    price_cents: i64,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "com.acme.serdes")]
enum Status {
    Pending,
    Paid,
    Shipped,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "com.acme.serdes")]
struct Order {
    order_id: String,
    customer: Customer,
    items: Vec<Item>,
    attributes: BTreeMap<String, String>,
    created_at: DateTime<Utc>,
    note: Option<String>,
    status: Status,
}

fn order(n: i64) -> Order {
    Order {
        order_id: format!("5b1c3e2a-9f1d-4a3b-8c2d-{n:012}"),
        customer: Customer {
            id: n,
            email: "ada@example.com".into(),
        },
        items: (0..3)
            .map(|i| Item {
                sku: format!("SKU-{i}"),
                qty: i + 1,
                price_cents: 100 * i64::from(i),
            })
            .collect(),
        attributes: BTreeMap::from([("channel".into(), "web".into())]),
        created_at: Utc
            .timestamp_opt(1_764_000_000 + n, 0)
            .single()
            .expect("valid timestamp"),
        note: (n % 2 == 0).then(|| "gift".to_string()),
        status: Status::Paid,
    }
}

fn wire_formats(format: SerdeFormat) -> Vec<(WireFormat, PrefixIds)> {
    let mut v = vec![
        (WireFormat::Confluent, PrefixIds::Confluent),
        (WireFormat::ConfluentGuidHeader, PrefixIds::Confluent),
        (WireFormat::ConfluentGuidPrefix, PrefixIds::Confluent),
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
        (
            WireFormat::ApicurioPayload {
                width: IdWidth::Eight,
            },
            PrefixIds::Apicurio8(IdKind::ContentId),
        ),
    ];
    if format == SerdeFormat::Avro {
        v.push((WireFormat::apicurio_headers_avro(), PrefixIds::Confluent));
        v.push((WireFormat::AvroSingleObject, PrefixIds::Confluent));
    }
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_format_and_wire_format_round_trips_through_the_http_registry() {
    let server = server::serve(MemoryRegistry::new()).await.expect("bind");
    let client: Arc<dyn SchemaRegistry> =
        Arc::new(ConfluentRegistry::new(server.url()).expect("client"));
    let mut combos = 0;
    for format in [SerdeFormat::Avro, SerdeFormat::Protobuf, SerdeFormat::Json] {
        for (wire, prefix_ids) in wire_formats(format) {
            let ser = Serializer::<Order>::new(
                client.clone(),
                SerializerConfig::new(format).wire_format(wire),
            )
            .expect("serializer");
            let de = Deserializer::<Order>::new(
                client.clone(),
                DeserializerConfig::new(format).prefix_ids(prefix_ids),
            );
            let topic = format!("orders-{format:?}");
            for n in 0..3 {
                let value = order(n);
                let (payload, headers) = ser
                    .serialize(&topic, &value)
                    .await
                    .unwrap_or_else(|e| panic!("{format:?} {wire:?}: {e}"));
                let back = de
                    .deserialize(&topic, &payload, &headers)
                    .await
                    .unwrap_or_else(|e| panic!("{format:?} {wire:?}: {e}"));
                assert_eq!(back, value, "{format:?} {wire:?}");
            }
            combos += 1;
        }
    }
    assert_eq!(combos, 8 + 6 + 6);
    // The Protobuf import of another package was registered first, under its file name.
    let subjects = client.subjects(false).await.expect("subjects");
    assert!(
        subjects.contains(&"com/acme/customers.proto".to_string()),
        "{subjects:?}"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn confluent_framing_is_byte_exact() {
    let registry = Arc::new(MemoryRegistry::new());
    let ser = Serializer::<Item>::new(registry.clone(), SerializerConfig::protobuf()).unwrap();
    let item = Item {
        sku: "A".into(),
        qty: 1,
        price_cents: 2,
    };
    let (subject, id) = ser.register("items").await.unwrap();
    assert_eq!(subject, "items-value");
    let (payload, headers) = ser.serialize("items", &item).await.unwrap();
    let mut expected = vec![0x00];
    expected.extend_from_slice(&(id as u32).to_be_bytes());
    expected.push(0x00); // message-index path [0]
    expected.extend_from_slice(&item.to_protobuf().unwrap());
    assert_eq!(payload, expected);
    assert!(headers.is_empty());

    let ser = Serializer::<Item>::new(registry, SerializerConfig::avro().key()).unwrap();
    let (subject, id) = ser.register("items").await.unwrap();
    assert_eq!(subject, "items-key");
    let (payload, _) = ser.serialize("items", &item).await.unwrap();
    assert_eq!(payload[..5], [0, 0, 0, 0, id as u8]);
    assert_eq!(payload[5..], item.to_avro().unwrap()[..]);
}

#[tokio::test]
async fn registration_is_idempotent_and_auto_register_off_names_the_subject() {
    let registry = Arc::new(MemoryRegistry::new());
    let a = Serializer::<Item>::new(registry.clone(), SerializerConfig::avro()).unwrap();
    let b = Serializer::<Item>::new(registry.clone(), SerializerConfig::avro()).unwrap();
    assert_eq!(
        a.register("t").await.unwrap(),
        b.register("t").await.unwrap()
    );
    assert_eq!(registry.versions("t-value", false).await.unwrap(), vec![1]);

    let off = Serializer::<Item>::new(
        registry.clone(),
        SerializerConfig::avro().auto_register(false),
    )
    .unwrap();
    let err = off
        .serialize(
            "other",
            &Item {
                sku: "x".into(),
                qty: 1,
                price_cents: 1,
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), SerdeErrorKind::NotRegistered { subject, .. } if subject == "other-value")
    );
    assert!(err.to_string().contains("`other-value`"), "{err}");
    // Registered subject: auto_register off finds it.
    assert_eq!(off.register("t").await.unwrap().0, "t-value");

    // use_latest_version and use_schema_id.
    let latest = Serializer::<Item>::new(
        registry.clone(),
        SerializerConfig::avro()
            .auto_register(false)
            .use_latest_version(true),
    )
    .unwrap();
    assert_eq!(
        latest.register("t").await.unwrap(),
        a.register("t").await.unwrap()
    );
    let fixed = Serializer::<Item>::new(
        registry.clone(),
        SerializerConfig::avro().use_schema_id(Some(77)),
    )
    .unwrap();
    assert_eq!(fixed.register("z").await.unwrap().1, 77);
}

#[tokio::test]
async fn tombstones_and_typed_errors() {
    let registry = Arc::new(MemoryRegistry::new());
    let ser = Serializer::<Item>::new(registry.clone(), SerializerConfig::avro()).unwrap();
    assert!(ser.serialize_opt("t", None).await.unwrap().is_none());
    let de = Deserializer::<Item>::new(registry.clone(), DeserializerConfig::avro());
    assert!(de
        .deserialize_opt("t", None, &NoHeaders)
        .await
        .unwrap()
        .is_none());

    // Unknown id.
    let err = de
        .deserialize("t", &[0, 0, 0, 1, 0, 2], &NoHeaders)
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), SerdeErrorKind::UnknownId { .. }),
        "{err}"
    );
    // Wrong magic byte.
    let err = de
        .deserialize("t", &[7, 1, 2], &NoHeaders)
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), SerdeErrorKind::Malformed { .. }),
        "{err}"
    );
    // Writer record of another name.
    let cust = Serializer::<Customer>::new(registry.clone(), SerializerConfig::avro()).unwrap();
    let (payload, h) = cust
        .serialize(
            "t",
            &Customer {
                id: 1,
                email: "e".into(),
            },
        )
        .await
        .unwrap();
    let err = de.deserialize("t", &payload, &h).await.unwrap_err();
    match err.kind() {
        SerdeErrorKind::WrongRecord {
            topic,
            writer,
            expected,
            subject,
            ..
        } => {
            assert_eq!(topic, "t");
            assert_eq!(writer, "com.acme.customers.Customer");
            assert_eq!(expected, "com.acme.serdes.Item");
            assert_eq!(subject.as_deref(), Some("t-value"));
        }
        other => panic!("{other}"),
    }
    // Truncated payload.
    let ok = ser
        .serialize(
            "t2",
            &Item {
                sku: "abc".into(),
                qty: 1,
                price_cents: 1,
            },
        )
        .await
        .unwrap()
        .0;
    let err = de
        .deserialize("t2", &ok[..ok.len() - 2], &NoHeaders)
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), SerdeErrorKind::Malformed { id: Some(_), .. }),
        "{err}"
    );
    // Protobuf deserializer given an Avro writer.
    let pde = Deserializer::<Item>::new(registry, DeserializerConfig::protobuf());
    let err = pde.deserialize("t2", &ok, &NoHeaders).await.unwrap_err();
    assert!(
        matches!(
            err.kind(),
            SerdeErrorKind::InvalidSchema { .. } | SerdeErrorKind::Malformed { .. }
        ),
        "{err}"
    );
}

#[tokio::test]
async fn generic_deserializer_reads_every_format() {
    let registry = Arc::new(MemoryRegistry::new());
    let generic = GenericDeserializer::new(registry.clone());
    let value = order(4);
    for format in [SerdeFormat::Avro, SerdeFormat::Protobuf, SerdeFormat::Json] {
        let ser =
            Serializer::<Order>::new(registry.clone(), SerializerConfig::new(format)).unwrap();
        let topic = format!("g-{format:?}");
        let (payload, headers) = ser.serialize(&topic, &value).await.unwrap();
        let rec = generic
            .deserialize(&topic, &payload, &headers)
            .await
            .unwrap();
        if format == SerdeFormat::Json {
            // A JSON Schema names its record by `title`: the short name.
            assert_eq!(rec.full_name.as_deref(), Some("Order"));
        } else {
            assert_eq!(
                rec.full_name.as_deref(),
                Some("com.acme.serdes.Order"),
                "{format:?}"
            );
            assert!(rec.model.is_some(), "linked model found by name");
        }
        match rec.value {
            GenericValue::Avro(apache_avro::types::Value::Record(fields)) => {
                assert_eq!(
                    fields[0].1,
                    apache_avro::types::Value::String(value.order_id.clone())
                );
            }
            GenericValue::Json(j) => assert_eq!(j["order_id"], value.order_id.as_str()),
            GenericValue::Protobuf(m) => {
                let id = m.get_field_by_name("order_id").expect("field");
                assert_eq!(id.as_str(), Some(value.order_id.as_str()));
            }
            other => panic!("{other:?}"),
        }
    }
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "com.acme.events")]
struct OrderCreated {
    order_id: String,
    total_cents: i64,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "com.acme.events")]
struct OrderPaid {
    order_id: String,
    method: String,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "com.acme.events")]
enum Event {
    Created(OrderCreated),
    Paid(OrderPaid),
}

kafka_model::polymorphic!(Event {
    Created(OrderCreated),
    Paid(OrderPaid)
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn polymorphic_topic_dispatches_on_the_writer_name() {
    let server = server::serve(MemoryRegistry::new()).await.expect("bind");
    let client: Arc<dyn SchemaRegistry> =
        Arc::new(ConfluentRegistry::new(server.url()).expect("client"));
    let events = vec![
        Event::Created(OrderCreated {
            order_id: "o-1".into(),
            total_cents: 100,
        }),
        Event::Paid(OrderPaid {
            order_id: "o-1".into(),
            method: "card".into(),
        }),
    ];
    for format in [SerdeFormat::Avro, SerdeFormat::Protobuf, SerdeFormat::Json] {
        // Record-name subjects are shared by topics: one format per registry here.
        let client: Arc<dyn SchemaRegistry> = if format == SerdeFormat::Avro {
            client.clone()
        } else {
            Arc::new(MemoryRegistry::new())
        };
        for strategy in [
            SubjectNameStrategy::RecordName,
            SubjectNameStrategy::TopicRecordName,
        ] {
            let ser = PolymorphicSerializer::<Event>::new(
                client.clone(),
                SerializerConfig::new(format).subject_name_strategy(strategy.clone()),
            )
            .unwrap();
            let de = PolymorphicDeserializer::<Event>::new(
                client.clone(),
                DeserializerConfig::new(format),
            )
            .unwrap();
            let topic = format!("mixed-{format:?}");
            for e in &events {
                let (payload, headers) = ser.serialize(&topic, e).await.unwrap();
                assert_eq!(
                    &de.deserialize(&topic, &payload, &headers).await.unwrap(),
                    e
                );
            }
        }
    }
    let subjects = client.subjects(false).await.unwrap();
    for s in [
        "com.acme.events.OrderCreated",
        "com.acme.events.OrderPaid",
        "mixed-Avro-com.acme.events.OrderCreated",
        "mixed-Avro-com.acme.events.OrderPaid",
    ] {
        assert!(subjects.contains(&s.to_string()), "{s} in {subjects:?}");
    }
    // A record of no variant is a typed error listing the variants.
    let ser = Serializer::<Item>::new(client.clone(), SerializerConfig::avro()).unwrap();
    let (payload, h) = ser
        .serialize(
            "mixed",
            &Item {
                sku: "s".into(),
                qty: 1,
                price_cents: 1,
            },
        )
        .await
        .unwrap();
    let de = PolymorphicDeserializer::<Event>::new(client, DeserializerConfig::avro()).unwrap();
    let err = de.deserialize("mixed", &payload, &h).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("one of com.acme.events.OrderCreated"),
        "{err}"
    );
    server.shutdown().await;
}
