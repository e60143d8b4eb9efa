//! Serdes overhead benchmarks: what the registry-aware [`Serializer`] and [`Deserializer`] cost
//! on top of the bare codec once the schema is cached, for the two payloads of GUIDE §6
//! (`Small`, `Order`), in Avro and Protobuf with Confluent's prefix framing.
//!
//! Each group pairs an operation with its bare equivalent:
//! - `avro_serialize`: `bare` is the 5-byte prefix plus `write_avro` into a reused buffer,
//!   `serdes` is `Serializer::serialize_into` into a reused buffer; `bare_alloc` allocates the
//!   output once, at its exact size (`Vec::with_capacity`), like `serdes_alloc`, which is `Serializer::serialize` (it
//!   answers an owned payload and the headers).
//! - `avro_deserialize`: `bare` checks the magic byte, reads the 4-byte id and runs `from_avro`
//!   on the rest; `serdes` is `Deserializer::deserialize`.
//! - `proto_serialize` / `proto_deserialize`: the same with the 6-byte prefix (id and message
//!   index `[0]`) and `write_protobuf` / `from_protobuf`.
//!
//! The registry is an in-process `MemoryRegistry`; it is asked once, before anything is
//! measured (the setup also asserts that both sides of every pair produce the same bytes or
//! value). The cached path never waits, so the futures are polled once with a no-op waker: the
//! numbers carry no executor.
//!
//! Timed comparison: `cargo bench -p kafka-model --bench serdes`. Instruction counts per
//! operation: `kafka-model/benches/instructions.sh serdes` (cachegrind; this binary runs one
//! operation `n` times with `KAFKA_MODEL_ICOUNT=<op>:<n>`, `KAFKA_MODEL_ICOUNT=list` prints
//! them).

use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use criterion::{criterion_group, Criterion, Throughput};
use kafka_model::registry::MemoryRegistry;
use kafka_model::serdes::{Deserializer, DeserializerConfig, Serializer, SerializerConfig};
use kafka_model::wire::NoHeaders;
use kafka_model::Record;

// ---------------------------------------------------------------------------------------------
// Payloads (GUIDE §6): benches/common/mod.rs, shared with benches/codecs.rs.
// ---------------------------------------------------------------------------------------------

mod common;

use common::{order, small, Order, Small};

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

const TOPIC: &str = "bench";

/// Polls a future that must be ready at once (the cached path never waits).
#[inline]
fn ready<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the cached serdes path waited"),
    }
}

/// One payload, with its serializers and deserializers warmed up (schemas cached).
struct Fixture<T> {
    value: T,
    avro_ser: Serializer<T>,
    avro_de: Deserializer<T>,
    avro_prefix: Vec<u8>,
    avro_frame: Vec<u8>,
    proto_ser: Serializer<T>,
    proto_de: Deserializer<T>,
    proto_prefix: Vec<u8>,
    proto_frame: Vec<u8>,
}

impl<T: Record + Clone + PartialEq + std::fmt::Debug> Fixture<T> {
    fn new(value: T, rt: &tokio::runtime::Runtime) -> Self {
        // One registry per format: both use the subject `bench-value`.
        let avro_registry = Arc::new(MemoryRegistry::new());
        let proto_registry = Arc::new(MemoryRegistry::new());
        let avro_ser =
            Serializer::<T>::new(avro_registry.clone(), SerializerConfig::avro()).unwrap();
        let proto_ser =
            Serializer::<T>::new(proto_registry.clone(), SerializerConfig::protobuf()).unwrap();
        let avro_de = Deserializer::<T>::new(avro_registry, DeserializerConfig::avro());
        let proto_de = Deserializer::<T>::new(proto_registry, DeserializerConfig::protobuf());
        let (avro_frame, proto_frame) = rt.block_on(async {
            let avro = avro_ser.serialize(TOPIC, &value).await.unwrap().0;
            let proto = proto_ser.serialize(TOPIC, &value).await.unwrap().0;
            let back = avro_de.deserialize(TOPIC, &avro, &NoHeaders).await.unwrap();
            assert_eq!(back, value);
            let back = proto_de
                .deserialize(TOPIC, &proto, &NoHeaders)
                .await
                .unwrap();
            assert_eq!(back, value);
            (avro, proto)
        });
        let mut avro = Vec::new();
        value.write_avro(&mut avro).unwrap();
        let avro_prefix = avro_frame[..5].to_vec();
        assert_eq!(&avro_frame[5..], &avro[..]);
        let mut proto = Vec::new();
        value.write_protobuf(&mut proto).unwrap();
        let proto_prefix = proto_frame[..6].to_vec();
        assert_eq!(proto_prefix[5], 0, "message index [0]");
        assert_eq!(&proto_frame[6..], &proto[..]);
        Fixture {
            value,
            avro_ser,
            avro_de,
            avro_prefix,
            avro_frame,
            proto_ser,
            proto_de,
            proto_prefix,
            proto_frame,
        }
    }
}

/// The bare reading of a Confluent prefix: magic byte and 4-byte big-endian id.
#[inline]
fn bare_header(frame: &[u8]) -> Option<(u32, &[u8])> {
    match frame {
        [0, a, b, c, d, rest @ ..] => Some((u32::from_be_bytes([*a, *b, *c, *d]), rest)),
        _ => None,
    }
}

struct Op<'a> {
    group: String,
    name: &'static str,
    run: Box<dyn FnMut() + 'a>,
}

fn ops<'a, T: Record + Clone>(payload: &str, fx: &'a Fixture<T>) -> Vec<Op<'a>> {
    let mut v: Vec<Op<'a>> = Vec::new();
    let mut push = |group: &str, name: &'static str, run: Box<dyn FnMut() + 'a>| {
        v.push(Op {
            group: format!("{payload}/{group}"),
            name,
            run,
        })
    };

    // ---- Avro serialize ----
    let mut buf = Vec::with_capacity(1024);
    push(
        "avro_serialize",
        "bare",
        Box::new(move || {
            buf.clear();
            buf.extend_from_slice(black_box(&fx.avro_prefix));
            black_box(&fx.value).write_avro(&mut buf).unwrap();
            black_box(&buf);
        }),
    );
    let mut buf = Vec::with_capacity(1024);
    push(
        "avro_serialize",
        "serdes",
        Box::new(move || {
            buf.clear();
            ready(fx.avro_ser.serialize_into(
                black_box(TOPIC),
                black_box(&fx.value),
                &mut buf,
                &mut NoHeaders,
            ))
            .unwrap();
            black_box(&buf);
        }),
    );
    push(
        "avro_serialize",
        "bare_alloc",
        Box::new(move || {
            // One allocation of the exact size: the limit for a fresh buffer.
            let mut buf = Vec::with_capacity(black_box(fx.avro_frame.len()));
            buf.extend_from_slice(black_box(&fx.avro_prefix));
            black_box(&fx.value).write_avro(&mut buf).unwrap();
            black_box(buf);
        }),
    );
    push(
        "avro_serialize",
        "serdes_alloc",
        Box::new(move || {
            black_box(
                ready(
                    fx.avro_ser
                        .serialize(black_box(TOPIC), black_box(&fx.value)),
                )
                .unwrap(),
            );
        }),
    );

    // ---- Avro deserialize ----
    push(
        "avro_deserialize",
        "bare",
        Box::new(move || {
            let (id, body) = bare_header(black_box(&fx.avro_frame)).unwrap();
            black_box(id);
            black_box(T::from_avro(body).unwrap());
        }),
    );
    push(
        "avro_deserialize",
        "serdes",
        Box::new(move || {
            black_box(
                ready(fx.avro_de.deserialize(
                    black_box(TOPIC),
                    black_box(&fx.avro_frame),
                    &NoHeaders,
                ))
                .unwrap(),
            );
        }),
    );

    // ---- Protobuf serialize ----
    let mut buf = Vec::with_capacity(1024);
    push(
        "proto_serialize",
        "bare",
        Box::new(move || {
            buf.clear();
            buf.extend_from_slice(black_box(&fx.proto_prefix));
            black_box(&fx.value).write_protobuf(&mut buf).unwrap();
            black_box(&buf);
        }),
    );
    let mut buf = Vec::with_capacity(1024);
    push(
        "proto_serialize",
        "serdes",
        Box::new(move || {
            buf.clear();
            ready(fx.proto_ser.serialize_into(
                black_box(TOPIC),
                black_box(&fx.value),
                &mut buf,
                &mut NoHeaders,
            ))
            .unwrap();
            black_box(&buf);
        }),
    );

    // ---- Protobuf deserialize ----
    push(
        "proto_deserialize",
        "bare",
        Box::new(move || {
            let (id, body) = bare_header(black_box(&fx.proto_frame)).unwrap();
            black_box(id);
            // Message index [0]: a single zero varint.
            let body = body.strip_prefix(&[0]).unwrap();
            black_box(T::from_protobuf(body).unwrap());
        }),
    );
    push(
        "proto_deserialize",
        "serdes",
        Box::new(move || {
            black_box(
                ready(fx.proto_de.deserialize(
                    black_box(TOPIC),
                    black_box(&fx.proto_frame),
                    &NoHeaders,
                ))
                .unwrap(),
            );
        }),
    );
    v
}

struct Fixtures {
    small: Fixture<Small>,
    order: Fixture<Order>,
}

fn fixtures() -> Fixtures {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    Fixtures {
        small: Fixture::new(small(), &rt),
        order: Fixture::new(order(), &rt),
    }
}

fn all_ops(fx: &Fixtures) -> Vec<Op<'_>> {
    let mut v = ops("small", &fx.small);
    v.extend(ops("order", &fx.order));
    v
}

fn serdes(c: &mut Criterion) {
    let fx = fixtures();
    let mut ops = all_ops(&fx);
    let mut groups: Vec<String> = ops.iter().map(|o| o.group.clone()).collect();
    groups.dedup();
    for name in groups {
        let mut group = c.benchmark_group(&name);
        group.throughput(Throughput::Elements(1));
        for op in ops.iter_mut().filter(|o| o.group == name) {
            group.bench_function(op.name, |b| b.iter(&mut op.run));
        }
        group.finish();
    }
}

/// `KAFKA_MODEL_ICOUNT=<group>/<name>:<n>`: runs one operation `n` times (for cachegrind);
/// `KAFKA_MODEL_ICOUNT=list` prints the operations; `KAFKA_MODEL_ICOUNT=sizes` prints the sizes of
/// the serdes futures and of `SerdeError` (moved on every call).
fn instruction_count_mode(spec: &str) {
    let fx = fixtures();
    let mut ops = all_ops(&fx);
    if spec == "sizes" {
        let mut buf = Vec::new();
        let mut nh = NoHeaders;
        let f1 = fx
            .small
            .avro_ser
            .serialize_into(TOPIC, &fx.small.value, &mut buf, &mut nh);
        eprintln!("serialize_into future {}", std::mem::size_of_val(&f1));
        drop(f1);
        let f2 = fx
            .small
            .avro_de
            .deserialize(TOPIC, &fx.small.avro_frame, &NoHeaders);
        eprintln!("deserialize future {}", std::mem::size_of_val(&f2));
        drop(f2);
        eprintln!(
            "SerdeError {}",
            std::mem::size_of::<kafka_model::serdes::SerdeError>()
        );
        return;
    }
    if spec == "list" {
        for op in &ops {
            println!("{}/{}", op.group, op.name);
        }
        return;
    }
    let (id, n) = spec
        .rsplit_once(':')
        .expect("KAFKA_MODEL_ICOUNT=<group>/<name>:<n>");
    let n: u64 = n.parse().expect("a count");
    let op = ops
        .iter_mut()
        .find(|o| format!("{}/{}", o.group, o.name) == id)
        .unwrap_or_else(|| panic!("no operation {id} (KAFKA_MODEL_ICOUNT=list)"));
    for _ in 0..n {
        (op.run)();
    }
}

criterion_group!(benches, serdes);

fn main() {
    if let Ok(spec) = std::env::var("KAFKA_MODEL_ICOUNT") {
        instruction_count_mode(&spec);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
