//! Consumes the orders `kafka_producer` wrote, in a consumer group, through the registry-aware
//! deserializer.
//!
//! ```sh
//! cargo run -p kafka-model-examples --features kafka --example kafka_consumer -- \
//!     --brokers 127.0.0.1:9092 --registry http://127.0.0.1:8081 --count 100000
//! ```
//!
//! Options: `--topic orders`, `--group NAME` (default: a fresh group, reading from the start),
//! `--format avro|protobuf|json`, `--count N` (stop after N records; default: stop after 10 s
//! without a record). The wire format (Confluent prefix, GUID header, Apicurio headers) is
//! detected per record.

use std::error::Error;
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kafka_model::kafka::MessageView;
use kafka_model::registry::{ConfluentRegistry, SchemaRegistry};
use kafka_model::serdes::{Deserializer, DeserializerConfig, SerdeFormat};
use kafka_model::Record;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::ClientConfig;
use serde::{Deserialize, Serialize};

/// A customer order (the same type as in `kafka_producer`).
#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "com.acme.orders")]
struct Order {
    seq: i64,
    customer: String,
    amount_cents: i64,
    note: Option<String>,
}

/// Command-line options (`--name value` pairs).
struct Args {
    brokers: String,
    registry: String,
    topic: String,
    group: String,
    count: Option<usize>,
    format: SerdeFormat,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        brokers: "127.0.0.1:9092".into(),
        registry: "http://127.0.0.1:8081".into(),
        topic: "orders".into(),
        group: format!("kafka-model-example-{}", std::process::id()),
        count: None,
        format: SerdeFormat::Avro,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--brokers" => args.brokers = value()?,
            "--registry" => args.registry = value()?,
            "--topic" => args.topic = value()?,
            "--group" => args.group = value()?,
            "--count" => args.count = Some(value()?.parse().map_err(|e| format!("{e}"))?),
            "--format" => {
                args.format = match value()?.as_str() {
                    "avro" => SerdeFormat::Avro,
                    "protobuf" => SerdeFormat::Protobuf,
                    "json" => SerdeFormat::Json,
                    other => return Err(format!("unknown format {other}")),
                }
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(args)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let args = parse_args()
        .map_err(|e| format!("{e}\nsee the comment at the top of kafka_consumer.rs"))?;
    let registry: Arc<dyn SchemaRegistry> = Arc::new(ConfluentRegistry::new(&args.registry)?);
    let deserializer = Deserializer::<Order>::new(registry, DeserializerConfig::new(args.format));

    let consumer: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", &args.brokers)
        .set("group.id", &args.group)
        .set("auto.offset.reset", "earliest")
        .set("session.timeout.ms", "6000")
        .set("enable.partition.eof", "false")
        .create()?;
    consumer.subscribe(&[&args.topic])?;
    println!("consuming {} as group {}", args.topic, args.group);

    // The first wait covers the group join; after that, 10 s without a record ends the run.
    let started = Instant::now();
    let mut last_print = Instant::now();
    let mut received = 0usize;
    let mut amount = 0i64;
    let mut idle = Duration::from_secs(30);
    while args.count.is_none_or(|n| received < n) {
        let message = match tokio::time::timeout(idle, consumer.recv()).await {
            Ok(m) => m?,
            Err(_) => {
                println!("\nno record for {idle:?}; stopping");
                break;
            }
        };
        idle = Duration::from_secs(10);
        let view = MessageView::of(&message);
        let Some(order) = deserializer
            .deserialize_opt(view.topic, view.value, &view.headers)
            .await?
        else {
            continue; // a tombstone
        };
        if received < 3 {
            println!(
                "partition {} offset {}: {order:?}",
                view.partition, view.offset
            );
        }
        received += 1;
        amount += order.amount_cents;
        if last_print.elapsed() > Duration::from_millis(500) {
            progress(received, args.count, started);
            last_print = Instant::now();
        }
    }
    progress(received, args.count, started);
    println!("\n{received} orders, {amount} cents in total");
    Ok(())
}

fn progress(received: usize, total: Option<usize>, started: Instant) {
    let secs = started.elapsed().as_secs_f64().max(1e-3);
    let total = total.map_or(String::new(), |n| format!("/{n}"));
    print!(
        "\rreceived {received}{total} ({:.0} records/s)   ",
        received as f64 / secs
    );
    let _ = std::io::stdout().flush();
}
