//! Interop of the registry-aware serdes with Python `confluent-kafka` (the interop venv, pinned
//! by `interop/requirements.txt`), through the embedded HTTP registry:
//!
//! - bytes our [`Serializer`] writes (Avro, Protobuf, JSON Schema; Confluent prefix) are read by
//!   Python's `AvroDeserializer` / `ProtobufDeserializer` / `JSONDeserializer` against the same
//!   server, and compared with the expected values in the script;
//! - bytes Python's `AvroSerializer` / `ProtobufSerializer` / `JSONSerializer` write (they
//!   auto-register our rendered schemas through the server: the `.avsc`, the JSON Schema, and
//!   protoc's descriptors of our `.proto` files, the imported file as a reference) are read by
//!   our [`Deserializer`] into the Rust types and compared with the values.
//!
//! The script is `tests/py/serdes_interop.py`. Skipped outside CI when the venv is missing;
//! required in CI.

mod common;

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use kafka_model::registry::{server, ConfluentRegistry, MemoryRegistry, SchemaRegistry};
use kafka_model::serdes::{
    Deserializer, DeserializerConfig, SerdeFormat, Serializer, SerializerConfig,
};
use kafka_model::wire::NoHeaders;
use kafka_model::Record;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// A customer, in another namespace than the order: a Protobuf import, hence a reference.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "com.acme.people")]
struct Customer {
    id: i64,
    email: String,
    vip: bool,
}

/// A line of an order (a record in a list).
#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "com.acme.shop")]
struct Item {
    sku: String,
    qty: i32,
    price_cents: i64,
}

/// An enum (Protobuf renders it with a `STATUS_UNSPECIFIED` zero).
#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone, Copy)]
#[record(namespace = "com.acme.shop")]
enum Status {
    Pending,
    Paid,
    OnHold,
}

/// The corpus-like order: nested record, list, map, optional, enum.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "com.acme.shop")]
struct Order {
    order_id: String,
    customer: Customer,
    items: Vec<Item>,
    attributes: BTreeMap<String, String>,
    weight_kg: f64,
    note: Option<String>,
    status: Status,
}

/// A flat reading: optional scalars, a list of scalars, a map of numbers, an enum list.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "com.acme.iot")]
struct Reading {
    sensor: String,
    seq: i64,
    temperature: Option<f64>,
    battery: Option<i32>,
    tags: Vec<String>,
    counters: BTreeMap<String, i64>,
    statuses: Vec<Status>,
}

fn orders() -> Vec<Order> {
    vec![
        Order {
            order_id: "o-1".into(),
            customer: Customer {
                id: 7,
                email: "ada@example.com".into(),
                vip: true,
            },
            items: (1..=3)
                .map(|i| Item {
                    sku: format!("SKU-{i:03}"),
                    qty: i,
                    price_cents: -250 + 1_000 * i64::from(i),
                })
                .collect(),
            attributes: BTreeMap::from([
                ("channel".into(), "web".into()),
                ("coupon".into(), "SPRING24".into()),
            ]),
            weight_kg: 2.5,
            note: Some("leave at the door — ✓".into()),
            status: Status::OnHold,
        },
        Order {
            order_id: String::new(),
            customer: Customer {
                id: i64::MIN,
                email: String::new(),
                vip: false,
            },
            items: Vec::new(),
            attributes: BTreeMap::new(),
            weight_kg: -0.125,
            note: None,
            status: Status::Pending,
        },
        Order {
            order_id: "o-3".into(),
            customer: Customer {
                id: i64::MAX,
                email: "b@example.com".into(),
                vip: false,
            },
            items: vec![Item {
                sku: "x".into(),
                qty: i32::MIN,
                price_cents: 0,
            }],
            attributes: BTreeMap::from([("".into(), "empty key".into())]),
            weight_kg: 1e100,
            note: Some(String::new()),
            status: Status::Paid,
        },
    ]
}

fn readings() -> Vec<Reading> {
    vec![
        Reading {
            sensor: "s-1".into(),
            seq: 1,
            temperature: Some(21.75),
            battery: Some(87),
            tags: vec!["roof".into(), "north".into()],
            counters: BTreeMap::from([("errors".into(), 0), ("ok".into(), 1 << 40)]),
            statuses: vec![Status::Paid, Status::OnHold],
        },
        Reading {
            sensor: "s-2".into(),
            seq: -9,
            temperature: None,
            battery: None,
            tags: Vec::new(),
            counters: BTreeMap::new(),
            statuses: Vec::new(),
        },
    ]
}

const FORMATS: [(SerdeFormat, &str); 3] = [
    (SerdeFormat::Avro, "avro"),
    (SerdeFormat::Protobuf, "protobuf"),
    (SerdeFormat::Json, "json"),
];

fn http(url: &str) -> Arc<dyn SchemaRegistry> {
    Arc::new(ConfluentRegistry::new(url).expect("registry client"))
}

/// The plan entry of one model: its schemas, values, and what our `Serializer` wrote for them.
async fn rust_writes<T: Record + Debug>(url: &str, name: &str, values: &[T]) -> Value {
    let mut topics = serde_json::Map::new();
    let mut payloads = serde_json::Map::new();
    for (format, key) in FORMATS {
        let topic = format!("rs-{name}-{key}");
        let ser =
            Serializer::<T>::new(http(url), SerializerConfig::new(format)).expect("serializer");
        let mut hexed = Vec::new();
        for v in values {
            let (payload, headers) = ser.serialize(&topic, v).await.expect("serialize");
            assert!(headers.is_empty(), "{headers:?}");
            assert_eq!(payload[0], 0, "Confluent magic byte");
            hexed.push(Value::String(hex(&payload)));
        }
        topics.insert(key.into(), Value::String(topic));
        payloads.insert(key.into(), Value::Array(hexed));
    }
    let proto = T::schemas().proto().expect("proto");
    let files: Vec<Value> = proto
        .files()
        .iter()
        .map(|f| json!({ "name": f.name, "text": f.text }))
        .collect();
    json!({
        "name": name,
        "avsc": T::schemas().avro().expect("avro").json(),
        "json_schema": T::schemas().json().expect("json").text(),
        "proto_files": files,
        "proto_message": proto.message_name(),
        "values": values.iter().map(|v| serde_json::to_value(v).expect("to json")).collect::<Vec<_>>(),
        "rust_topics": topics,
        "rust_payloads": payloads,
    })
}

/// Reads what Python wrote for one model with our `Deserializer`; answers the count checked.
async fn rust_reads<T: Record + Debug + PartialEq>(
    url: &str,
    name: &str,
    values: &[T],
    answer: &Value,
) -> usize {
    let mut checked = 0;
    for (format, key) in FORMATS {
        let topic = format!("py-{name}-{key}");
        let de = Deserializer::<T>::new(http(url), DeserializerConfig::new(format));
        let payloads = answer[name][key]
            .as_array()
            .unwrap_or_else(|| panic!("no {name}/{key} payloads in {answer}"));
        assert_eq!(payloads.len(), values.len(), "{name}/{key}");
        for (i, (p, want)) in payloads.iter().zip(values).enumerate() {
            let bytes = unhex(p.as_str().expect("hex string"));
            let got = de
                .deserialize(&topic, &bytes, &NoHeaders)
                .await
                .unwrap_or_else(|e| panic!("{name}/{key} #{i}: {e}"));
            assert_eq!(&got, want, "{name}/{key} #{i}");
            checked += 1;
        }
    }
    checked
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
    assert!(text.len().is_multiple_of(2), "odd hex length");
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

fn run_script(python: &Path, plan: &Path, answer: &Path) -> String {
    let script = common::tools::workspace_root().join("tests/py/serdes_interop.py");
    common::tools::run(Command::new(python).arg(script).arg(plan).arg(answer))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_confluent_serdes_read_ours_and_we_read_theirs() {
    let Some(python) = common::tools::interop_python() else {
        return;
    };
    let server = server::serve(MemoryRegistry::new()).await.expect("bind");
    let url = server.url().to_string();
    let (orders, readings) = (orders(), readings());
    let plan = json!({
        "url": url,
        "models": [
            rust_writes(&url, "order", &orders).await,
            rust_writes(&url, "reading", &readings).await,
        ],
    });
    let dir = common::tools::scratch("serdes_python");
    let (plan_path, answer_path) = (dir.join("plan.json"), dir.join("answer.json"));
    std::fs::write(&plan_path, plan.to_string()).expect("write plan");
    let out = tokio::task::spawn_blocking({
        let answer_path = answer_path.clone();
        move || run_script(&python, &plan_path, &answer_path)
    })
    .await
    .expect("python task");
    assert!(out.contains("serdes interop OK"), "{out}");
    println!("{out}");
    let python_checked: usize = out
        .lines()
        .find_map(|l| l.strip_prefix("checked="))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no checked= line in:\n{out}"));
    assert_eq!(python_checked, 3 * (orders.len() + readings.len()));

    let answer: Value =
        serde_json::from_str(&std::fs::read_to_string(&answer_path).expect("answer"))
            .expect("json");
    let checked = rust_reads(&url, "order", &orders, &answer).await
        + rust_reads(&url, "reading", &readings, &answer).await;
    assert_eq!(checked, 3 * (orders.len() + readings.len()));

    // Python registered protoc's descriptor of our file, the imported file as a reference.
    let registry = http(&url);
    let latest = registry
        .latest("py-order-protobuf-value")
        .await
        .expect("Python's protobuf subject");
    let refs: Vec<&str> = latest
        .schema
        .references
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(refs, ["com/acme/people.proto"]);
    server.shutdown().await;
}
