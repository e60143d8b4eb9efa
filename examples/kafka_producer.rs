//! Produces orders to a Kafka broker through the registry-aware serializer and rdkafka.
//!
//! ```sh
//! cargo run -p kafka-model-examples --features kafka --example kafka_producer -- \
//!     --brokers 127.0.0.1:9092 --registry-port 8081 --count 100000
//! ```
//!
//! Without `--registry URL` it serves the embedded registry (in memory) on
//! `127.0.0.1:--registry-port` and keeps serving it after producing, so that
//! `kafka_consumer --registry http://127.0.0.1:8081` can fetch the schemas; press Enter to stop.
//! Options: `--topic orders`, `--partitions 3`, `--format avro|protobuf|json`,
//! `--wire confluent|guid-header|apicurio-headers`.

use std::collections::VecDeque;
use std::error::Error;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kafka_model::kafka::SerializedRecord;
use kafka_model::registry::{server, ConfluentRegistry, MemoryRegistry, SchemaRegistry};
use kafka_model::serdes::{SerdeFormat, Serializer, SerializerConfig};
use kafka_model::wire::WireFormat;
use kafka_model::Record;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::producer::FutureProducer;
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::ClientConfig;
use serde::{Deserialize, Serialize};

/// A customer order (the same type as in `kafka_consumer`).
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
    registry: Option<String>,
    registry_port: u16,
    topic: String,
    partitions: i32,
    count: usize,
    format: SerdeFormat,
    wire: WireFormat,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        brokers: "127.0.0.1:9092".into(),
        registry: None,
        registry_port: 8081,
        topic: "orders".into(),
        partitions: 3,
        count: 10_000,
        format: SerdeFormat::Avro,
        wire: WireFormat::Confluent,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--brokers" => args.brokers = value()?,
            "--registry" => args.registry = Some(value()?),
            "--registry-port" => {
                args.registry_port = value()?.parse().map_err(|e| format!("{e}"))?
            }
            "--topic" => args.topic = value()?,
            "--partitions" => args.partitions = value()?.parse().map_err(|e| format!("{e}"))?,
            "--count" => args.count = value()?.parse().map_err(|e| format!("{e}"))?,
            "--format" => args.format = parse_format(&value()?)?,
            "--wire" => {
                args.wire = match value()?.as_str() {
                    "confluent" => WireFormat::Confluent,
                    "guid-header" => WireFormat::ConfluentGuidHeader,
                    "apicurio-headers" => WireFormat::ApicurioHeaders { encoding: None },
                    other => return Err(format!("unknown wire format {other}")),
                }
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(args)
}

fn parse_format(s: &str) -> Result<SerdeFormat, String> {
    match s {
        "avro" => Ok(SerdeFormat::Avro),
        "protobuf" => Ok(SerdeFormat::Protobuf),
        "json" => Ok(SerdeFormat::Json),
        other => Err(format!("unknown format {other}")),
    }
}

fn order(seq: usize) -> Order {
    Order {
        seq: seq as i64,
        customer: format!("customer-{}", seq % 1000),
        amount_cents: (seq as i64 * 37) % 100_000,
        note: seq.is_multiple_of(10).then(|| "gift wrap".to_string()),
    }
}

/// Creates the topic explicitly (brokers that auto-create on first produce may lose records).
async fn create_topic(
    config: &ClientConfig,
    topic: &str,
    partitions: i32,
) -> Result<(), Box<dyn Error>> {
    let admin: AdminClient<DefaultClientContext> = config.create()?;
    let new = NewTopic::new(topic, partitions, TopicReplication::Fixed(1));
    let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(20)));
    for result in admin.create_topics([&new], &opts).await? {
        match result {
            Ok(_) => println!("created topic {topic} ({partitions} partitions)"),
            Err((_, RDKafkaErrorCode::TopicAlreadyExists)) => println!("topic {topic} exists"),
            Err((t, code)) => return Err(format!("cannot create topic {t}: {code}").into()),
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let args = parse_args()
        .map_err(|e| format!("{e}\nsee the comment at the top of kafka_producer.rs"))?;

    // The registry: a given URL, or the embedded one served over HTTP.
    let (registry_url, embedded) = match &args.registry {
        Some(url) => (url.clone(), None),
        None => {
            let addr = SocketAddr::from(([127, 0, 0, 1], args.registry_port));
            let server = server::serve_on(addr, MemoryRegistry::new()).await?;
            println!("embedded registry at {}", server.url());
            (server.url().to_string(), Some(server))
        }
    };
    let registry: Arc<dyn SchemaRegistry> = Arc::new(ConfluentRegistry::new(&registry_url)?);

    let mut config = ClientConfig::new();
    config.set("bootstrap.servers", &args.brokers);
    create_topic(&config, &args.topic, args.partitions).await?;
    let producer: FutureProducer = config
        .clone()
        .set("linger.ms", "5")
        .set("message.timeout.ms", "60000")
        .create()?;

    let serializer = Serializer::<Order>::new(
        registry,
        SerializerConfig::new(args.format).wire_format(args.wire),
    )?;
    let (subject, id) = serializer.register(&args.topic).await?;
    println!(
        "producing {} {:?} records to {} ({} framing, subject {subject}, schema id {id})",
        args.count,
        args.format,
        args.topic,
        args.wire.name()
    );

    // Keep up to 10,000 deliveries in flight; a progress line twice a second.
    let started = Instant::now();
    let mut last_print = Instant::now();
    let mut in_flight = VecDeque::new();
    let mut delivered = 0usize;
    for seq in 0..args.count {
        let value = order(seq);
        let record: SerializedRecord = serializer.serialize(&args.topic, &value).await?.into();
        let record = record.with_key(Some(value.customer.into_bytes()));
        in_flight.push_back(
            producer
                .send_result(record.future_record(&args.topic))
                .map_err(|(e, _)| e)?,
        );
        while in_flight.len() >= 10_000 {
            if let Some(f) = in_flight.pop_front() {
                f.await?.map_err(|(e, _)| e)?;
                delivered += 1;
            }
        }
        if last_print.elapsed() > Duration::from_millis(500) {
            progress(seq + 1, delivered, args.count, started);
            last_print = Instant::now();
        }
    }
    while let Some(f) = in_flight.pop_front() {
        f.await?.map_err(|(e, _)| e)?;
        delivered += 1;
    }
    progress(args.count, delivered, args.count, started);
    println!();

    if let Some(server) = embedded {
        println!(
            "run: cargo run -p kafka-model-examples --features kafka --example kafka_consumer -- \
             --brokers {} --registry {} --topic {} --count {} --format {}",
            args.brokers,
            server.url(),
            args.topic,
            args.count,
            format!("{:?}", args.format).to_lowercase()
        );
        println!("serving the registry until Enter (or Ctrl-C)");
        tokio::task::spawn_blocking(|| {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)
        })
        .await??;
        server.shutdown().await;
    }
    Ok(())
}

fn progress(sent: usize, delivered: usize, total: usize, started: Instant) {
    let secs = started.elapsed().as_secs_f64().max(1e-3);
    print!(
        "\rsent {sent}/{total}, delivered {delivered} ({:.0} records/s)   ",
        delivered as f64 / secs
    );
    let _ = std::io::stdout().flush();
}
