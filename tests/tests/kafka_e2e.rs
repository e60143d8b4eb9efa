//! End to end through a real Kafka-protocol broker (Tansu) with rdkafka producers and consumer
//! groups, the serializers and the embedded HTTP registry (feature `kafka` of this crate).
//!
//! The broker binary comes from `KAFKA_MODEL_TANSU` (`export KAFKA_MODEL_TANSU=$(bash
//! .ci/broker.sh)`). Without it the tests print a note and pass, except under CI (env `CI` set),
//! where they fail. Each test starts its own broker on 127.0.0.1 with a free port, memory
//! storage, creates its topics explicitly, uses a fresh consumer group with
//! `session.timeout.ms=6000`, and counts messages (Tansu's memory storage reports a wrong high
//! watermark). Everything is bounded by time; on a failure the broker's log is printed.
//!
//! Size of the bulk runs: `KAFKA_MODEL_E2E_RECORDS` (default 10,000 per wire format and format).

// Over 800 lines: the broker, registry and consumer-group scaffolding is shared by every
// scenario here.
#![cfg(feature = "kafka")]

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use kafka_model::kafka::{MessageView, SerializedRecord};
use kafka_model::registry::{server, ConfluentRegistry, MemoryRegistry, SchemaRegistry};
use kafka_model::registry::{server::RegistryServer, SubjectNameStrategy};
use kafka_model::serdes::{
    Deserializer, DeserializerConfig, PolymorphicDeserializer, PolymorphicSerializer, SerdeFormat,
    Serializer, SerializerConfig,
};
use kafka_model::wire::WireFormat;
use kafka_model::Record;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{CommitMode, Consumer, StreamConsumer};
use rdkafka::producer::FutureProducer;
use rdkafka::{ClientConfig, Message, Offset};
use serde::{Deserialize, Serialize};

/// Bound on one whole test.
const TEST_TIMEOUT: Duration = Duration::from_secs(300);
/// Bound on waiting for the next message once a consumer is running.
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------------------------
// Models

/// The key of every order.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "com.acme.e2e")]
struct OrderKey {
    customer: String,
    id: i64,
}

/// An order line.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "com.acme.e2e")]
struct Item {
    sku: String,
    qty: i32,
}

/// Order status.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone, Copy)]
#[record(namespace = "com.acme.e2e")]
enum Status {
    New,
    Paid,
    Shipped,
}

/// The value of the bulk runs.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "com.acme.e2e")]
struct Order {
    seq: i64,
    customer: String,
    items: Vec<Item>,
    amount: f64,
    status: Status,
    note: Option<String>,
    attrs: BTreeMap<String, String>,
}

fn key_of(seq: usize) -> OrderKey {
    OrderKey {
        customer: format!("c-{}", seq % 97),
        id: seq as i64,
    }
}

fn order_of(seq: usize) -> Order {
    Order {
        seq: seq as i64,
        customer: format!("c-{}", seq % 97),
        items: (0..seq % 4)
            .map(|i| Item {
                sku: format!("sku-{seq}-{i}"),
                qty: i as i32 + 1,
            })
            .collect(),
        amount: seq as f64 / 4.0,
        status: [Status::New, Status::Paid, Status::Shipped][seq % 3],
        note: seq.is_multiple_of(5).then(|| format!("note ü {seq}")),
        attrs: (0..seq % 3)
            .map(|i| (format!("k{i}"), format!("v{seq}")))
            .collect(),
    }
}

/// Polymorphic topic: three record types.
mod events {
    use super::*;

    #[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
    #[record(namespace = "com.acme.e2e.events")]
    pub struct Created {
        pub id: String,
        pub seq: i64,
    }

    #[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
    #[record(namespace = "com.acme.e2e.events")]
    pub struct Paid {
        pub id: String,
        pub seq: i64,
        pub cents: i64,
    }

    #[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
    #[record(namespace = "com.acme.e2e.events")]
    pub struct Shipped {
        pub id: String,
        pub seq: i64,
        pub carrier: Option<String>,
    }

    #[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
    #[record(namespace = "com.acme.e2e.events")]
    pub enum Event {
        Created(Created),
        Paid(Paid),
        Shipped(Shipped),
    }

    kafka_model::polymorphic!(Event {
        Created(Created),
        Paid(Paid),
        Shipped(Shipped)
    });

    impl Event {
        pub fn of(seq: usize) -> Event {
            let id = format!("o-{}", seq / 3);
            let seq_i = seq as i64;
            match seq % 3 {
                0 => Event::Created(Created { id, seq: seq_i }),
                1 => Event::Paid(Paid {
                    id,
                    seq: seq_i,
                    cents: seq_i * 100,
                }),
                _ => Event::Shipped(Shipped {
                    id,
                    seq: seq_i,
                    carrier: seq.is_multiple_of(2).then(|| "ups".to_string()),
                }),
            }
        }

        pub fn seq(&self) -> i64 {
            match self {
                Event::Created(e) => e.seq,
                Event::Paid(e) => e.seq,
                Event::Shipped(e) => e.seq,
            }
        }
    }
}

/// Schema evolution: v2 adds an optional field.
mod v1 {
    use super::*;
    #[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
    #[record(name = "Shipment", namespace = "com.acme.e2e.evolve")]
    pub struct Shipment {
        pub seq: i64,
        pub id: String,
        pub qty: i32,
    }
}

mod v2 {
    use super::*;
    #[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
    #[record(name = "Shipment", namespace = "com.acme.e2e.evolve")]
    pub struct Shipment {
        pub seq: i64,
        pub id: String,
        pub qty: i32,
        #[serde(default)]
        pub note: Option<String>,
    }
}

// ---------------------------------------------------------------------------------------------
// The broker

/// The Tansu binary, or `None` (with a note) when it is not configured outside CI.
fn tansu_binary() -> Option<PathBuf> {
    let path = std::env::var_os("KAFKA_MODEL_TANSU").map(PathBuf::from);
    let usable = path.as_ref().filter(|p| p.is_file());
    match usable {
        Some(p) => Some(p.clone()),
        None if std::env::var_os("CI").is_some() => panic!(
            "CI is set but no Tansu broker binary was found (KAFKA_MODEL_TANSU = {path:?}); \
             install it with `export KAFKA_MODEL_TANSU=$(bash .ci/broker.sh)`"
        ),
        None => {
            eprintln!(
                "note: KAFKA_MODEL_TANSU is not set (or not a file): skipping the Kafka \
                 end-to-end test; run `export KAFKA_MODEL_TANSU=$(bash .ci/broker.sh)` to run it"
            );
            None
        }
    }
}

/// A running Tansu broker on 127.0.0.1; killed on drop, and its log printed if the test is
/// failing.
struct Broker {
    child: Child,
    bootstrap: String,
    log: PathBuf,
}

static BROKER_SEQ: AtomicU32 = AtomicU32::new(0);

impl Broker {
    fn start(bin: &PathBuf) -> Broker {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port on 127.0.0.1")
            .port();
        let url = format!("tcp://127.0.0.1:{port}");
        let log = std::env::temp_dir().join(format!(
            "kafka-model-tansu-{}-{}-{port}.log",
            std::process::id(),
            BROKER_SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        let out = std::fs::File::create(&log).expect("broker log file");
        let err = out.try_clone().expect("broker log file");
        let mut child = Command::new(bin)
            .args(["broker", "--listener-url", &url])
            .args(["--advertised-listener-url", &url])
            .args(["--storage-engine", "memory://tansu/"])
            .env(
                "RUST_LOG",
                std::env::var("KAFKA_MODEL_TANSU_LOG").unwrap_or("warn".into()),
            )
            .env_remove("SCHEMA_REGISTRY")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start the broker {}: {e}", bin.display()));
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "the broker exited at start ({status}); its log:\n{}",
                    read_log(&log)
                );
            }
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!(
                    "the broker did not listen on {url} within 15 s; its log:\n{}",
                    read_log(&log)
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Broker {
            child,
            bootstrap: format!("127.0.0.1:{port}"),
            log,
        }
    }
}

fn read_log(path: &PathBuf) -> String {
    let mut text = String::new();
    if let Ok(mut f) = std::fs::File::open(path) {
        let _ = f.read_to_string(&mut text);
    }
    // The tail is what matters.
    let start = text.len().saturating_sub(20_000);
    let start = (start..text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(text.len());
    text[start..].to_string()
}

impl Drop for Broker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!(
                "---- broker log ({}) ----\n{}\n---- end of broker log ----",
                self.log.display(),
                read_log(&self.log)
            );
        } else {
            let _ = std::fs::remove_file(&self.log);
        }
    }
}

/// A broker, the embedded HTTP registry and a registry client over HTTP.
struct Env {
    broker: Broker,
    registry_server: RegistryServer,
    registry: Arc<dyn SchemaRegistry>,
}

static GROUP_SEQ: AtomicU32 = AtomicU32::new(0);

impl Env {
    async fn start(bin: &PathBuf) -> Env {
        let broker = Broker::start(bin);
        let registry_server = server::serve(MemoryRegistry::new())
            .await
            .expect("the embedded registry binds 127.0.0.1");
        let registry: Arc<dyn SchemaRegistry> =
            Arc::new(ConfluentRegistry::new(registry_server.url()).expect("registry client"));
        Env {
            broker,
            registry_server,
            registry,
        }
    }

    fn config(&self) -> ClientConfig {
        let mut c = ClientConfig::new();
        c.set("bootstrap.servers", &self.broker.bootstrap);
        c.set("broker.address.family", "v4");
        c
    }

    async fn create_topic(&self, topic: &str, partitions: i32) {
        let admin: AdminClient<DefaultClientContext> =
            self.config().create().expect("admin client");
        let new = NewTopic::new(topic, partitions, TopicReplication::Fixed(1));
        let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(20)));
        let results = admin
            .create_topics([&new], &opts)
            .await
            .unwrap_or_else(|e| panic!("create topic {topic}: {e}"));
        for r in results {
            r.unwrap_or_else(|(t, code)| panic!("create topic {t}: {code}"));
        }
        // Wait until the metadata shows every partition.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let md = admin
                .inner()
                .fetch_metadata(Some(topic), Duration::from_secs(5));
            let ok = md.as_ref().is_ok_and(|md| {
                md.topics()
                    .iter()
                    .any(|t| t.name() == topic && t.partitions().len() == partitions as usize)
            });
            if ok {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "topic {topic} has no {partitions} partitions in the metadata after 20 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn producer(&self) -> FutureProducer {
        self.config()
            .set("message.timeout.ms", "60000")
            .set("linger.ms", "5")
            .set("enable.idempotence", "false")
            // One request in flight per partition: retries cannot reorder.
            .set("max.in.flight.requests.per.connection", "1")
            .create()
            .expect("producer")
    }

    /// A consumer in a fresh group (or in `group`), reading from the earliest offset.
    fn consumer(&self, group: Option<&str>, auto_commit: bool) -> (StreamConsumer, String) {
        let group = group.map(str::to_string).unwrap_or_else(|| {
            format!(
                "e2e-{}-{}",
                std::process::id(),
                GROUP_SEQ.fetch_add(1, Ordering::Relaxed)
            )
        });
        let consumer: StreamConsumer = self
            .config()
            .set("group.id", &group)
            .set("auto.offset.reset", "earliest")
            .set("session.timeout.ms", "6000")
            .set("heartbeat.interval.ms", "1000")
            .set(
                "enable.auto.commit",
                if auto_commit { "true" } else { "false" },
            )
            .set("enable.partition.eof", "false")
            .create()
            .expect("consumer");
        (consumer, group)
    }
}

/// Runs one test body with the broker binary, bounded by [`TEST_TIMEOUT`].
async fn with_env<F, Fut>(name: &str, body: F)
where
    F: FnOnce(Env) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let Some(bin) = tansu_binary() else { return };
    let started = Instant::now();
    let env = Env::start(&bin).await;
    let done = watchdog(name, env.broker.log.clone());
    let outcome = tokio::time::timeout(TEST_TIMEOUT, body(env)).await;
    done.store(true, Ordering::Relaxed);
    match outcome {
        Ok(()) => eprintln!("{name}: passed in {:.1?}", started.elapsed()),
        Err(_) => panic!("{name}: timed out after {TEST_TIMEOUT:?}"),
    }
}

/// Ends the whole test process, with the broker's log, if a test outlives [`TEST_TIMEOUT`] by a
/// minute: a blocking call inside rdkafka would keep the async timeout from firing.
fn watchdog(name: &str, log: PathBuf) -> Arc<AtomicBool> {
    let done = Arc::new(AtomicBool::new(false));
    let flag = done.clone();
    let name = name.to_string();
    std::thread::spawn(move || {
        let deadline = Instant::now() + TEST_TIMEOUT + Duration::from_secs(60);
        while Instant::now() < deadline {
            if flag.load(Ordering::Relaxed) {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        eprintln!(
            "{name}: hung past {TEST_TIMEOUT:?}; aborting. Broker log:\n{}",
            read_log(&log)
        );
        std::process::exit(101);
    });
    done
}

fn records() -> usize {
    std::env::var("KAFKA_MODEL_E2E_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

/// Sends every record (delivery awaited), answering where each landed.
async fn produce_all(
    producer: &FutureProducer,
    topic: &str,
    records: &[SerializedRecord],
) -> Vec<(i32, i64)> {
    let mut pending = Vec::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        let mut record = r.future_record(topic);
        loop {
            match producer.send_result(record) {
                Ok(f) => {
                    pending.push(f);
                    break;
                }
                Err((e, back)) => {
                    // Queue full: let deliveries drain, then retry.
                    assert!(
                        matches!(
                            e.rdkafka_error_code(),
                            Some(rdkafka::types::RDKafkaErrorCode::QueueFull)
                        ),
                        "producing record {i}: {e}"
                    );
                    record = back;
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
        }
    }
    let mut landed = Vec::with_capacity(records.len());
    for (i, f) in pending.into_iter().enumerate() {
        match f.await {
            Ok(Ok(d)) => landed.push((d.partition, d.offset)),
            Ok(Err((e, _))) => panic!("delivery of record {i} to {topic} failed: {e}"),
            Err(_) => panic!("delivery of record {i} to {topic} was canceled"),
        }
    }
    landed
}

/// Tracks what a consumer saw: every sequence number once, offsets and sequence numbers
/// increasing per partition.
struct Tally {
    seen: Vec<bool>,
    count: usize,
    last: HashMap<i32, (i64, usize)>,
}

impl Tally {
    fn new(n: usize) -> Tally {
        Tally {
            seen: vec![false; n],
            count: 0,
            last: HashMap::new(),
        }
    }

    fn add(&mut self, seq: usize, partition: i32, offset: i64) {
        assert!(seq < self.seen.len(), "unexpected sequence number {seq}");
        assert!(
            !self.seen[seq],
            "record {seq} received twice (partition {partition}, offset {offset})"
        );
        self.seen[seq] = true;
        self.count += 1;
        if let Some(&(o, s)) = self.last.get(&partition) {
            assert!(
                offset > o && seq > s,
                "order broken in partition {partition}: offset {offset} seq {seq} after offset {o} seq {s}"
            );
        }
        self.last.insert(partition, (offset, seq));
    }

    fn done(&self) -> bool {
        self.count == self.seen.len()
    }

    fn missing(&self) -> Vec<usize> {
        (0..self.seen.len())
            .filter(|&i| !self.seen[i])
            .take(10)
            .collect()
    }
}

/// Receives the next message or fails after [`IDLE_TIMEOUT`].
async fn next<'c>(
    consumer: &'c StreamConsumer,
    what: &str,
    tally: &Tally,
) -> rdkafka::message::BorrowedMessage<'c> {
    match tokio::time::timeout(IDLE_TIMEOUT, consumer.recv()).await {
        Ok(Ok(m)) => m,
        Ok(Err(e)) => panic!("{what}: consumer error: {e}"),
        Err(_) => panic!(
            "{what}: no message for {IDLE_TIMEOUT:?}; received {} of {}, missing e.g. {:?}",
            tally.count,
            tally.seen.len(),
            tally.missing()
        ),
    }
}

/// Closes a consumer (leaving its group) on a thread of its own, waiting at most 20 s.
/// rdkafka's drop polls until librdkafka reports the consumer closed, and with Tansu that
/// sometimes never happens for a consumer that committed manually: the test must not hang on it.
async fn close(consumer: StreamConsumer, what: &str) {
    consumer.unsubscribe();
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        drop(consumer);
        let _ = tx.send(());
    });
    if tokio::time::timeout(Duration::from_secs(20), rx)
        .await
        .is_err()
    {
        eprintln!("note: {what}: the consumer did not finish closing within 20 s; left behind");
    }
}

/// After the expected count, nothing more arrives (no duplicates past the end).
async fn assert_quiet(consumer: &StreamConsumer, what: &str) {
    if let Ok(Ok(m)) = tokio::time::timeout(Duration::from_secs(2), consumer.recv()).await {
        panic!(
            "{what}: an extra message after all were received: partition {} offset {}",
            m.partition(),
            m.offset()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 1. Bulk: every wire format × every format

fn header_value(seq: usize) -> Vec<u8> {
    (seq as u64).to_be_bytes().to_vec()
}

async fn bulk(env: Env, format: SerdeFormat, wire: WireFormat) {
    let n = records();
    let what = format!("{format:?}/{}", wire.name());
    let topic = format!("bulk-{format:?}-{}", wire.name()).to_lowercase();
    env.create_topic(&topic, 3).await;

    let values = Serializer::<Order>::new(
        env.registry.clone(),
        SerializerConfig::new(format).wire_format(wire),
    )
    .expect("value serializer");
    let keys = Serializer::<OrderKey>::new(
        env.registry.clone(),
        SerializerConfig::new(format).wire_format(wire).key(),
    )
    .expect("key serializer");

    let t = Instant::now();
    let mut sent = Vec::with_capacity(n);
    for seq in 0..n {
        let (key, key_headers) = keys.serialize(&topic, &key_of(seq)).await.expect("key");
        let (value, mut headers) = values
            .serialize(&topic, &order_of(seq))
            .await
            .expect("value");
        headers.extend(key_headers);
        headers.push(("seq".into(), header_value(seq)));
        headers.push(("trace".into(), format!("t-{seq}").into_bytes()));
        sent.push(SerializedRecord::new(Some(value), headers).with_key(Some(key)));
    }
    let serialize_time = t.elapsed();
    let producer = env.producer();
    let t = Instant::now();
    let landed = produce_all(&producer, &topic, &sent).await;
    let produce_time = t.elapsed();

    let value_de =
        Deserializer::<Order>::new(env.registry.clone(), DeserializerConfig::new(format));
    let key_de =
        Deserializer::<OrderKey>::new(env.registry.clone(), DeserializerConfig::new(format).key());
    let (consumer, _) = env.consumer(None, true);
    consumer.subscribe(&[&topic]).expect("subscribe");
    let t = Instant::now();
    let mut tally = Tally::new(n);
    while !tally.done() {
        let m = next(&consumer, &what, &tally).await;
        let view = MessageView::of(&m);
        let value = value_de
            .deserialize_opt(view.topic, view.value, &view.headers)
            .await
            .unwrap_or_else(|e| panic!("{what}: value at offset {}: {e}", view.offset))
            .expect("not a tombstone");
        let key = key_de
            .deserialize_opt(view.topic, view.key, &view.headers)
            .await
            .unwrap_or_else(|e| panic!("{what}: key at offset {}: {e}", view.offset))
            .expect("a key");
        let seq = usize::try_from(value.seq).expect("seq");
        tally.add(seq, view.partition, view.offset);
        assert_eq!(value, order_of(seq), "{what}: value {seq}");
        assert_eq!(key, key_of(seq), "{what}: key {seq}");
        let r = &sent[seq];
        assert_eq!(view.value, r.value.as_deref(), "{what}: value bytes {seq}");
        assert_eq!(view.key, r.key.as_deref(), "{what}: key bytes {seq}");
        assert_eq!(
            view.headers.to_owned_headers(),
            r.headers,
            "{what}: headers {seq}"
        );
        assert_eq!(
            (view.partition, view.offset),
            landed[seq],
            "{what}: record {seq} is not where its delivery report said"
        );
    }
    let consume_time = t.elapsed();
    assert_quiet(&consumer, &what).await;
    eprintln!(
        "{what}: {n} records: serialize {serialize_time:.1?}, produce {produce_time:.1?}, \
         consume+deserialize+compare {consume_time:.1?}"
    );
    close(consumer, &what).await;
    env.registry_server.shutdown().await;
}

macro_rules! bulk_tests {
    ($($name:ident: $format:expr, $wire:expr;)+) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            with_env(stringify!($name), |env| bulk(env, $format, $wire)).await;
        }
    )+};
}

bulk_tests! {
    bulk_avro_confluent: SerdeFormat::Avro, WireFormat::Confluent;
    bulk_avro_guid_headers: SerdeFormat::Avro, WireFormat::ConfluentGuidHeader;
    bulk_avro_apicurio_headers: SerdeFormat::Avro, WireFormat::apicurio_headers_avro();
    bulk_protobuf_confluent: SerdeFormat::Protobuf, WireFormat::Confluent;
    bulk_protobuf_guid_headers: SerdeFormat::Protobuf, WireFormat::ConfluentGuidHeader;
    bulk_protobuf_apicurio_headers: SerdeFormat::Protobuf, WireFormat::ApicurioHeaders { encoding: None };
    bulk_json_confluent: SerdeFormat::Json, WireFormat::Confluent;
    bulk_json_guid_headers: SerdeFormat::Json, WireFormat::ConfluentGuidHeader;
    bulk_json_apicurio_headers: SerdeFormat::Json, WireFormat::ApicurioHeaders { encoding: None };
}

// ---------------------------------------------------------------------------------------------
// 2. One topic, several record types and wire formats, read by the polymorphic deserializer

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn polymorphic_topic_mixes_types_and_wire_formats() {
    with_env("polymorphic", |env| async move {
        use events::Event;
        let n = 3_000.min(records().max(9));
        let topic = "events";
        env.create_topic(topic, 2).await;
        let wires = [
            WireFormat::Confluent,
            WireFormat::ConfluentGuidHeader,
            WireFormat::apicurio_headers_avro(),
        ];
        let sers: Vec<_> = wires
            .iter()
            .map(|w| {
                let config = SerializerConfig::avro()
                    .subject_name_strategy(SubjectNameStrategy::TopicRecordName)
                    .wire_format(*w);
                PolymorphicSerializer::<Event>::new(env.registry.clone(), config)
                    .expect("polymorphic serializer")
            })
            .collect();
        let mut sent = Vec::with_capacity(n);
        for seq in 0..n {
            // Every type meets every wire format: type = seq % 3, wire = (seq / 3) % 3.
            let ser = &sers[(seq / 3) % 3];
            let (value, headers) = ser
                .serialize(topic, &Event::of(seq))
                .await
                .expect("serialize");
            let key = format!("o-{}", seq / 3).into_bytes();
            sent.push(SerializedRecord::new(Some(value), headers).with_key(Some(key)));
        }
        let producer = env.producer();
        produce_all(&producer, topic, &sent).await;

        let de =
            PolymorphicDeserializer::<Event>::new(env.registry.clone(), DeserializerConfig::avro())
                .expect("polymorphic deserializer");
        let (consumer, _) = env.consumer(None, true);
        consumer.subscribe(&[topic]).expect("subscribe");
        let mut tally = Tally::new(n);
        let mut kinds = HashMap::new();
        while !tally.done() {
            let m = next(&consumer, "polymorphic", &tally).await;
            let view = MessageView::of(&m);
            let event = de
                .deserialize(view.topic, view.value.expect("a value"), &view.headers)
                .await
                .unwrap_or_else(|e| panic!("offset {}: {e}", view.offset));
            let seq = usize::try_from(event.seq()).expect("seq");
            tally.add(seq, view.partition, view.offset);
            assert_eq!(event, Event::of(seq));
            assert_eq!(view.headers.to_owned_headers(), sent[seq].headers);
            *kinds.entry((seq % 3, (seq / 3) % 3)).or_insert(0usize) += 1;
        }
        assert_quiet(&consumer, "polymorphic").await;
        assert_eq!(
            kinds.len(),
            9,
            "every type met every wire format: {kinds:?}"
        );
        let subjects = env.registry.subjects(false).await.expect("subjects");
        for name in ["Created", "Paid", "Shipped"] {
            let subject = format!("{topic}-com.acme.e2e.events.{name}");
            assert!(subjects.contains(&subject), "{subject} in {subjects:?}");
        }
        close(consumer, "polymorphic").await;
        env.registry_server.shutdown().await;
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// 3. A consumer stopped half-way resumes from its committed offset

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restarted_consumer_resumes_from_committed_offset() {
    with_env("resume", |env| async move {
        let n = 2_000;
        let half = n / 2;
        let topic = "resume";
        env.create_topic(topic, 3).await;
        let ser = Serializer::<Order>::new(env.registry.clone(), SerializerConfig::avro())
            .expect("serializer");
        let mut sent = Vec::with_capacity(n);
        for seq in 0..n {
            let r: SerializedRecord = ser
                .serialize(topic, &order_of(seq))
                .await
                .expect("serialize")
                .into();
            sent.push(r.with_key(Some(format!("k-{seq}").into_bytes())));
        }
        let producer = env.producer();
        let landed = produce_all(&producer, topic, &sent).await;
        let de = Deserializer::<Order>::new(env.registry.clone(), DeserializerConfig::avro());

        // First run: process half the records, committing each processed offset, then stop.
        let (first, group) = env.consumer(None, false);
        first.subscribe(&[topic]).expect("subscribe");
        let mut tally = Tally::new(n);
        let mut committed: HashMap<i32, i64> = HashMap::new();
        while tally.count < half {
            let m = next(&first, "resume (first run)", &tally).await;
            let view = MessageView::of(&m);
            let order = de
                .deserialize_opt(view.topic, view.value, &view.headers)
                .await
                .expect("deserialize")
                .expect("a value");
            let seq = usize::try_from(order.seq).expect("seq");
            assert_eq!(order, order_of(seq));
            tally.add(seq, view.partition, view.offset);
            first.commit_message(&m, CommitMode::Sync).expect("commit");
            committed.insert(view.partition, view.offset + 1);
        }
        // What the group committed is what we processed.
        let on_broker = first
            .committed(Duration::from_secs(10))
            .expect("committed offsets");
        for (p, next_offset) in &committed {
            let e = on_broker
                .find_partition(topic, *p)
                .unwrap_or_else(|| panic!("partition {p} has no committed offset"));
            assert_eq!(e.offset(), Offset::Offset(*next_offset), "partition {p}");
        }
        close(first, "resume (first run)").await; // leaves the group

        // Second run, same group: starts exactly at the committed offsets.
        let (second, _) = env.consumer(Some(&group), false);
        second.subscribe(&[topic]).expect("subscribe");
        let mut first_seen: HashMap<i32, i64> = HashMap::new();
        while !tally.done() {
            let m = next(&second, "resume (second run)", &tally).await;
            let view = MessageView::of(&m);
            let order = de
                .deserialize_opt(view.topic, view.value, &view.headers)
                .await
                .expect("deserialize")
                .expect("a value");
            let seq = usize::try_from(order.seq).expect("seq");
            assert_eq!(order, order_of(seq));
            assert_eq!((view.partition, view.offset), landed[seq]);
            // `add` fails on a record seen in the first run (a duplicate) ...
            tally.add(seq, view.partition, view.offset);
            first_seen.entry(view.partition).or_insert(view.offset);
        }
        // ... and here on a gap: each partition restarts right at its committed offset.
        for (p, offset) in &first_seen {
            let expected = committed.get(p).copied().unwrap_or(0);
            assert_eq!(
                *offset, expected,
                "partition {p} resumed at {offset}, committed {expected}"
            );
        }
        assert_quiet(&second, "resume").await;
        close(second, "resume (second run)").await;
        env.registry_server.shutdown().await;
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// 4. A producer writing v2 while a consumer reads with v1, and the reverse

async fn evolution(env: &Env, format: SerdeFormat) {
    let what = format!("evolution {format:?}");
    let n = 1_000;
    let topic = format!("evolve-{format:?}").to_lowercase();
    env.create_topic(&topic, 2).await;
    let s1 = Serializer::<v1::Shipment>::new(env.registry.clone(), SerializerConfig::new(format))
        .expect("v1 serializer");
    let s2 = Serializer::<v2::Shipment>::new(env.registry.clone(), SerializerConfig::new(format))
        .expect("v2 serializer");
    let d1 =
        Deserializer::<v1::Shipment>::new(env.registry.clone(), DeserializerConfig::new(format));
    let d2 =
        Deserializer::<v2::Shipment>::new(env.registry.clone(), DeserializerConfig::new(format));
    let v1_of = |seq: usize| v1::Shipment {
        seq: seq as i64,
        id: format!("s-{seq}"),
        qty: seq as i32 % 7,
    };
    let v2_of = |seq: usize| v2::Shipment {
        seq: seq as i64,
        id: format!("s-{seq}"),
        qty: seq as i32 % 7,
        note: Some(format!("fragile {seq}")),
    };

    // Both consumers run while the producer writes: first v1 records, then v2 ones.
    let (c1, _) = env.consumer(None, true);
    let (c2, _) = env.consumer(None, true);
    c1.subscribe(&[&topic]).expect("subscribe");
    c2.subscribe(&[&topic]).expect("subscribe");
    let producer = env.producer();
    let mut sent = Vec::with_capacity(n);
    for seq in 0..n {
        let r: SerializedRecord = if seq < n / 2 {
            s1.serialize(&topic, &v1_of(seq)).await
        } else {
            s2.serialize(&topic, &v2_of(seq)).await
        }
        .unwrap_or_else(|e| panic!("{what}: serialize {seq}: {e}"))
        .into();
        sent.push(r.with_key(Some(format!("k-{seq}").into_bytes())));
    }
    let read_v1 = async {
        let mut tally = Tally::new(n);
        while !tally.done() {
            let m = next(&c1, &what, &tally).await;
            let view = MessageView::of(&m);
            let got = d1
                .deserialize_opt(view.topic, view.value, &view.headers)
                .await
                .unwrap_or_else(|e| panic!("{what}: v1 reader: {e}"))
                .expect("a value");
            let seq = usize::try_from(got.seq).expect("seq");
            tally.add(seq, view.partition, view.offset);
            // v2 records lose the field v1 does not know.
            assert_eq!(got, v1_of(seq), "{what}: v1 reads record {seq}");
        }
        assert_quiet(&c1, &what).await;
    };
    let read_v2 = async {
        let mut tally = Tally::new(n);
        while !tally.done() {
            let m = next(&c2, &what, &tally).await;
            let view = MessageView::of(&m);
            let got = d2
                .deserialize_opt(view.topic, view.value, &view.headers)
                .await
                .unwrap_or_else(|e| panic!("{what}: v2 reader: {e}"))
                .expect("a value");
            let seq = usize::try_from(got.seq).expect("seq");
            tally.add(seq, view.partition, view.offset);
            // v1 records read with the new field's default.
            let expected = if seq < n / 2 {
                v2::Shipment {
                    note: None,
                    ..v2_of(seq)
                }
            } else {
                v2_of(seq)
            };
            assert_eq!(got, expected, "{what}: v2 reads record {seq}");
        }
        assert_quiet(&c2, &what).await;
    };
    let produce = async {
        produce_all(&producer, &topic, &sent).await;
    };
    tokio::join!(produce, read_v1, read_v2);
    close(c1, &what).await;
    close(c2, &what).await;
    let subject = format!("{topic}-value");
    let versions = env
        .registry
        .versions(&subject, false)
        .await
        .expect("versions");
    assert_eq!(
        versions,
        vec![1, 2],
        "{what}: v1 then v2 registered under {subject}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn producer_v2_consumer_v1_and_the_reverse() {
    with_env("evolution", |env| async move {
        evolution(&env, SerdeFormat::Avro).await;
        evolution(&env, SerdeFormat::Protobuf).await;
        env.registry_server.shutdown().await;
    })
    .await;
}
