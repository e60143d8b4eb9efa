//! Multi-thread throughput of a shared serializer / deserializer (issue #18): one instance
//! shared by 1 and by 2 threads, against one instance per thread, on the cached path
//! (`Serializer::serialize_into` into a reused buffer, `Deserializer::deserialize`), `Small`
//! payload, Avro, Confluent framing, in-process `MemoryRegistry` warmed before measuring.
//!
//! Every thread counts its operations for a fixed wall time and reads its own CPU time
//! (`/proc/thread-self/schedstat`, nanoseconds), so each figure comes two ways:
//! - **ops/s (wall)**: what the threads did together per second; 2 threads reach 2× only when
//!   the machine gives them two idle cores;
//! - **ops per CPU-second**: operations divided by the CPU time the threads got; this is what
//!   a shared cache line costs (a bouncing line makes each operation take more CPU), and it
//!   does not depend on how loaded the machine is. The 2-thread/1-thread ratio of this figure
//!   is the scaling efficiency (1.0 = perfect).
//!
//! Run: `cargo bench -p kafka-model --bench threads` (optional: `KAFKA_MODEL_THREADS_SECS`,
//! seconds per measurement, default 2; `KAFKA_MODEL_THREADS_ROUNDS`, default 3, the median
//! is reported). Prints markdown, with the load average before and after.

use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use kafka_model::registry::MemoryRegistry;
use kafka_model::serdes::{Deserializer, DeserializerConfig, Serializer, SerializerConfig};
use kafka_model::wire::NoHeaders;

#[allow(dead_code)] // `order` is not measured here
mod common;

use common::{small, Small};

const TOPIC: &str = "bench";

#[inline]
fn ready<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the cached serdes path waited"),
    }
}

/// CPU time of the calling thread, in nanoseconds.
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

/// A warmed serializer / deserializer pair and a frame to read.
struct Pair {
    ser: Serializer<Small>,
    de: Deserializer<Small>,
    frame: Vec<u8>,
}

fn pair(rt: &tokio::runtime::Runtime) -> Pair {
    let registry = Arc::new(MemoryRegistry::new());
    let ser = Serializer::<Small>::new(registry.clone(), SerializerConfig::avro()).unwrap();
    let de = Deserializer::<Small>::new(registry, DeserializerConfig::avro());
    let value = small();
    let frame = rt.block_on(async {
        let frame = ser.serialize(TOPIC, &value).await.unwrap().0;
        assert_eq!(
            de.deserialize(TOPIC, &frame, &NoHeaders).await.unwrap(),
            value
        );
        frame
    });
    Pair { ser, de, frame }
}

#[derive(Clone, Copy, PartialEq)]
enum Work {
    Serialize,
    Deserialize,
}

/// Runs `work` on `threads` threads for `secs`, each on `pairs[i % pairs.len()]`: answers
/// (operations, wall seconds, CPU seconds summed over the threads).
fn run(work: Work, pairs: &[Arc<Pair>], threads: usize, secs: f64) -> (u64, f64, f64) {
    let stop = AtomicBool::new(false);
    let start = Barrier::new(threads + 1);
    let value = small();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|i| {
                let p = Arc::clone(&pairs[i % pairs.len()]);
                let (stop, start, value) = (&stop, &start, &value);
                s.spawn(move || {
                    let mut buf = Vec::with_capacity(256);
                    start.wait();
                    let cpu0 = thread_cpu_ns();
                    let mut n = 0u64;
                    while !stop.load(Ordering::Relaxed) {
                        for _ in 0..256 {
                            match work {
                                Work::Serialize => {
                                    buf.clear();
                                    ready(p.ser.serialize_into(
                                        black_box(TOPIC),
                                        black_box(value),
                                        &mut buf,
                                        &mut NoHeaders,
                                    ))
                                    .unwrap();
                                    black_box(&buf);
                                }
                                Work::Deserialize => {
                                    black_box(
                                        ready(p.de.deserialize(
                                            black_box(TOPIC),
                                            black_box(&p.frame),
                                            &NoHeaders,
                                        ))
                                        .unwrap(),
                                    );
                                }
                            }
                        }
                        n += 256;
                    }
                    (n, (thread_cpu_ns() - cpu0) as f64 / 1e9)
                })
            })
            .collect();
        start.wait();
        let t0 = Instant::now();
        std::thread::sleep(Duration::from_secs_f64(secs));
        stop.store(true, Ordering::Relaxed);
        let mut ops = 0;
        let mut cpu = 0.0;
        for h in handles {
            let (n, c) = h.join().unwrap();
            ops += n;
            cpu += c;
        }
        (ops, t0.elapsed().as_secs_f64(), cpu)
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is read.
    let secs: f64 = std::env::var("KAFKA_MODEL_THREADS_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2.0);
    let rounds: usize = std::env::var("KAFKA_MODEL_THREADS_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let shared = vec![Arc::new(pair(&rt))];
    let own = vec![Arc::new(pair(&rt)), Arc::new(pair(&rt))];
    println!(
        "nproc {}, load average before: {}; {rounds} rounds of {secs} s per figure, median",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load_average()
    );
    println!();
    println!("| operation (Small, Avro, cached) | setup | ops/s (wall) | × 1 thread | ops per CPU-second | × 1 thread |");
    println!("|---|---|---:|---:|---:|---:|");
    for (work, name) in [
        (Work::Serialize, "serialize_into"),
        (Work::Deserialize, "deserialize"),
    ] {
        let setups: [(&str, &[Arc<Pair>], usize); 3] = [
            ("1 thread", &shared, 1),
            ("2 threads, one shared instance", &shared, 2),
            ("2 threads, one instance each", &own, 2),
        ];
        // Rounds interleave the setups, so a change of load hits all three alike.
        let mut wall = vec![Vec::new(); setups.len()];
        let mut per_cpu = vec![Vec::new(); setups.len()];
        for _ in 0..rounds {
            for (i, (_, pairs, threads)) in setups.iter().enumerate() {
                let (ops, w, cpu) = run(work, pairs, *threads, secs);
                wall[i].push(ops as f64 / w);
                per_cpu[i].push(ops as f64 / cpu);
            }
        }
        let wall: Vec<f64> = wall.into_iter().map(median).collect();
        let per_cpu: Vec<f64> = per_cpu.into_iter().map(median).collect();
        for (i, (setup, _, _)) in setups.iter().enumerate() {
            println!(
                "| {name} | {setup} | {:.0} | {:.2} | {:.0} | {:.2} |",
                wall[i],
                wall[i] / wall[0],
                per_cpu[i],
                per_cpu[i] / per_cpu[0]
            );
        }
    }
    println!();
    println!("load average after: {}", load_average());
}
