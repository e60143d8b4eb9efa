//! The registry clients against misbehaving registries on 127.0.0.1: endless bodies, answers
//! that are not schemas, hanging and failing servers under concurrent misses, credentials in
//! URLs, a failing first URL. Each test prints the figure it bounds (bytes, requests,
//! seconds) so a regression shows by how much.

use std::alloc::{GlobalAlloc, Layout, System};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use kafka_model::registry::apicurio::ApicurioRegistry;
use kafka_model::registry::{ConfluentRegistry, RegistryError, RetryPolicy, SchemaRegistry};
use kafka_model::serdes::{Deserializer, DeserializerConfig};
use kafka_model::wire::NoHeaders;
use kafka_model::Record;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

// ---------------------------------------------------------------------------------------------
// Live heap bytes, with a resettable peak: what a client holds while reading an answer.

struct Tracking;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for Tracking {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        grew(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Tracking = Tracking;

/// The heap tests run one at a time (other tests of this binary allocate little).
static HEAP_TESTS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Runs `f`, answering its output and how far the live heap grew above where it started.
async fn peak_growth<T>(f: impl std::future::Future<Output = T>) -> (T, usize) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = f.await;
    (out, PEAK.load(Ordering::Relaxed).saturating_sub(base))
}

// ---------------------------------------------------------------------------------------------
// Servers.

fn no_retry() -> RetryPolicy {
    RetryPolicy::none()
}

fn fast_retry(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(40),
    }
}

async fn spawn(app: Router) -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, task)
}

fn json_response(status: StatusCode, body: &str) -> Response {
    (
        status,
        [("content-type", "application/vnd.schemaregistry.v1+json")],
        body.to_string(),
    )
        .into_response()
}

/// A raw HTTP/1.1 server that answers every request with `head` and then streams zeros in
/// 64 KiB writes until `limit` bytes are out or the client goes away; counts the body bytes
/// it managed to write.
async fn streaming_server(head: String, limit: u64) -> (String, Arc<AtomicU64>) {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let written = Arc::new(AtomicU64::new(0));
    let w = written.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let head = head.clone();
            let w = w.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let mut seen = Vec::new();
                while !seen.windows(4).any(|x| x == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunked = head.contains("chunked");
                let block = vec![b'0'; 64 * 1024];
                let mut sent = 0u64;
                while sent < limit {
                    let r = if chunked {
                        let mut piece = format!("{:x}\r\n", block.len()).into_bytes();
                        piece.extend_from_slice(&block);
                        piece.extend_from_slice(b"\r\n");
                        socket.write_all(&piece).await
                    } else {
                        socket.write_all(&block).await
                    };
                    if r.is_err() {
                        return;
                    }
                    sent += block.len() as u64;
                    w.fetch_add(block.len() as u64, Ordering::Relaxed);
                }
            });
        }
    });
    (url, written)
}

// ---------------------------------------------------------------------------------------------
// 1. Response bodies are capped.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declared_length_over_the_cap_is_refused_before_reading() {
    let _serial = HEAP_TESTS.lock().await;
    let head =
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 10737418240\r\n\r\n";
    let (url, written) = streaming_server(head.into(), 300 << 20).await;
    let c = ConfluentRegistry::builder(url)
        .retry(no_retry())
        .timeout(Duration::from_secs(3))
        .build()
        .unwrap();
    let started = Instant::now();
    let (result, held) = peak_growth(c.schema_by_id(7, None, None)).await;
    let secs = started.elapsed().as_secs_f64();
    let sent = written.load(Ordering::Relaxed);
    eprintln!(
        "declared 10 GiB: heap grew {held} bytes, server wrote {sent} bytes, error after {secs:.2} s"
    );
    let e = result.unwrap_err();
    assert!(
        matches!(
            e,
            RegistryError::ResponseTooLarge {
                declared: Some(10737418240),
                ..
            }
        ),
        "{e:?}"
    );
    assert!(!e.is_retriable());
    assert!(held < 4 << 20, "heap grew {held} bytes");
    assert!(secs < 2.0, "{secs} s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_without_length_stops_at_the_cap() {
    let _serial = HEAP_TESTS.lock().await;
    let head =
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
    let (url, written) = streaming_server(head.into(), 300 << 20).await;
    let cap = 1 << 20;
    let c = ConfluentRegistry::builder(&url)
        .retry(no_retry())
        .timeout(Duration::from_secs(3))
        .max_response_bytes(cap)
        .build()
        .unwrap();
    let started = Instant::now();
    let (result, held) = peak_growth(c.schema_by_id(7, None, None)).await;
    let secs = started.elapsed().as_secs_f64();
    let sent = written.load(Ordering::Relaxed);
    eprintln!(
        "chunked stream, cap {cap}: heap grew {held} bytes, server wrote {sent} bytes, error after {secs:.2} s"
    );
    let e = result.unwrap_err();
    assert!(
        matches!(
            e,
            RegistryError::ResponseTooLarge {
                limit,
                declared: None,
                ..
            } if limit == cap
        ),
        "{e:?}"
    );
    assert!(held < 8 * cap, "heap grew {held} bytes");
    assert!(secs < 2.0, "{secs} s");

    // The Apicurio client shares the transport, and the cap.
    let a = ApicurioRegistry::builder(format!("{url}/apis/registry/v3"))
        .retry(no_retry())
        .timeout(Duration::from_secs(3))
        .max_response_bytes(cap)
        .build()
        .unwrap();
    let e = a.schema_by_id(7, None, None).await.unwrap_err();
    assert!(matches!(e, RegistryError::ResponseTooLarge { .. }), "{e:?}");
}

#[tokio::test]
async fn the_default_cap_admits_ordinary_answers() {
    let big = format!("[{}]", vec!["\"s\""; 100_000].join(","));
    let app = Router::new().route(
        "/subjects",
        get(move || {
            let big = big.clone();
            async move { json_response(StatusCode::OK, &big) }
        }),
    );
    let (url, task) = spawn(app).await;
    let c = ConfluentRegistry::builder(url).build().unwrap();
    assert_eq!(c.subjects(false).await.unwrap().len(), 100_000);
    task.abort();
}

// ---------------------------------------------------------------------------------------------
// 2. What does not parse is not cached.

#[derive(Record, serde::Serialize, serde::Deserialize, Debug, PartialEq)]
#[record(namespace = "hostile")]
struct Ping {
    seq: i64,
}

/// Answers `bad` to the first `bad_answers` requests for a schema id, `good` afterwards.
async fn flaky_schema_server(bad: &'static str, good: String) -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let app = Router::new().route(
        "/schemas/ids/{id}",
        get(move || {
            let h = h.clone();
            let good = good.clone();
            async move {
                if h.fetch_add(1, Ordering::SeqCst) == 0 {
                    json_response(StatusCode::OK, bad)
                } else {
                    json_response(StatusCode::OK, &good)
                }
            }
        }),
    );
    let (url, _task) = spawn(app).await;
    (url, hits)
}

fn schema_body(schema: &str) -> String {
    serde_json::json!({ "schema": schema }).to_string()
}

#[tokio::test]
async fn a_schema_that_does_not_parse_is_not_cached() {
    for bad in [
        r#"{"schema":"not a schema"}"#,
        r#"{"schema":"{\"type\":\"record\",\"name\":\"X\"}"}"#,
        r#"{"schema":"syntax = \"proto3\"; message {","schemaType":"PROTOBUF"}"#,
        r#"{"schema":"{\"type\":","schemaType":"JSON"}"#,
    ] {
        let (url, hits) = flaky_schema_server(bad, schema_body(r#""string""#)).await;
        let c = ConfluentRegistry::builder(url)
            .retry(no_retry())
            .build()
            .unwrap();
        let first = c.schema_by_id(7, None, None).await;
        let second = c.schema_by_id(7, None, None).await;
        let requests = hits.load(Ordering::SeqCst);
        eprintln!("bad answer {bad}: first {first:?}, second {second:?}, {requests} requests");
        let e = first.unwrap_err();
        assert!(matches!(e, RegistryError::InvalidResponse { .. }), "{e:?}");
        assert_eq!(second.unwrap().schema, r#""string""#);
        assert_eq!(requests, 2);
        // Now cached.
        c.schema_by_id(7, None, None).await.unwrap();
        assert_eq!(hits.load(Ordering::SeqCst), 2);
    }
}

#[tokio::test]
async fn the_deserializer_recovers_from_an_unparseable_writer_schema() {
    let own = Ping::schemas().avro().unwrap().json().to_string();
    let (url, hits) = flaky_schema_server(r#"{"schema":"not a schema"}"#, schema_body(&own)).await;
    let c = ConfluentRegistry::builder(url)
        .retry(no_retry())
        .build()
        .unwrap();
    let de = Deserializer::<Ping>::new(Arc::new(c), DeserializerConfig::avro());
    let mut frame = vec![0, 0, 0, 0, 7];
    frame.extend(Ping { seq: 5 }.to_avro().unwrap());
    let first = de.deserialize("pings", &frame, &NoHeaders).await;
    let second = de.deserialize("pings", &frame, &NoHeaders).await;
    eprintln!(
        "deserializer: first {first:?}, second {second:?}, {} requests",
        hits.load(Ordering::SeqCst)
    );
    assert!(first.is_err());
    assert_eq!(second.unwrap(), Ping { seq: 5 });
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

// ---------------------------------------------------------------------------------------------
// 3. Concurrent misses share one fetch, failure included.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_misses_share_a_timeout() {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let app = Router::new().fallback(any(move || {
        let h = h.clone();
        async move {
            h.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_secs(30)).await;
            "never"
        }
    }));
    let (url, task) = spawn(app).await;
    let c = ConfluentRegistry::builder(url)
        .retry(no_retry())
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let c = c.clone();
        tasks.push(tokio::spawn(async move {
            let r = c.schema_by_id(1, None, None).await;
            (r, started.elapsed())
        }));
    }
    let mut slowest = Duration::ZERO;
    for t in tasks {
        let (r, at) = t.await.unwrap();
        let e = r.unwrap_err();
        assert!(
            matches!(e, RegistryError::Transport { timeout: true, .. }),
            "{e:?}"
        );
        slowest = slowest.max(at);
    }
    let requests = hits.load(Ordering::SeqCst);
    eprintln!(
        "20 misses, hanging registry: {requests} requests, last caller errors after {:.2} s",
        slowest.as_secs_f64()
    );
    assert_eq!(requests, 1);
    assert!(slowest < Duration::from_secs(3), "{slowest:?}");
    // The failure was shared, not cached: the next call asks again.
    let _ = c.schema_by_id(1, None, None).await;
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    task.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_misses_share_a_not_found() {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let app = Router::new().fallback(any(move || {
        let h = h.clone();
        async move {
            h.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(50)).await;
            json_response(
                StatusCode::NOT_FOUND,
                r#"{"error_code":40403,"message":"Schema not found"}"#,
            )
        }
    }));
    let (url, task) = spawn(app).await;
    let c = ConfluentRegistry::builder(url)
        .retry(no_retry())
        .build()
        .unwrap();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..100 {
        let c = c.clone();
        tasks.push(tokio::spawn(async move {
            let r = c.schema_by_id(9, None, None).await;
            (r, started.elapsed())
        }));
    }
    let mut slowest = Duration::ZERO;
    for t in tasks {
        let (r, at) = t.await.unwrap();
        assert!(
            matches!(r, Err(RegistryError::SchemaNotFound { .. })),
            "{r:?}"
        );
        slowest = slowest.max(at);
    }
    let requests = hits.load(Ordering::SeqCst);
    eprintln!(
        "100 misses, 404: {requests} requests, last caller answered after {:.2} s",
        slowest.as_secs_f64()
    );
    assert_eq!(requests, 1);
    assert!(slowest < Duration::from_secs(2), "{slowest:?}");
    let _ = c.schema_by_id(9, None, None).await;
    assert_eq!(hits.load(Ordering::SeqCst), 2, "errors are not cached");
    task.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_deserializer_misses_share_a_failure() {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let app = Router::new().fallback(any(move || {
        let h = h.clone();
        async move {
            h.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(100)).await;
            json_response(
                StatusCode::SERVICE_UNAVAILABLE,
                r#"{"error_code":50301,"message":"busy"}"#,
            )
        }
    }));
    let (url, task) = spawn(app).await;
    let c = ConfluentRegistry::builder(url)
        .retry(no_retry())
        .build()
        .unwrap();
    let de = Arc::new(Deserializer::<Ping>::new(
        Arc::new(c),
        DeserializerConfig::avro(),
    ));
    let mut frame = vec![0, 0, 0, 0, 7];
    frame.extend(Ping { seq: 5 }.to_avro().unwrap());
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (de, frame) = (de.clone(), frame.clone());
        tasks.push(tokio::spawn(async move {
            let r = de.deserialize("pings", &frame, &NoHeaders).await;
            (r.is_err(), started.elapsed())
        }));
    }
    let mut slowest = Duration::ZERO;
    for t in tasks {
        let (failed, at) = t.await.unwrap();
        assert!(failed);
        slowest = slowest.max(at);
    }
    let requests = hits.load(Ordering::SeqCst);
    eprintln!(
        "20 deserializer misses, 503: {requests} requests, last caller errors after {:.2} s",
        slowest.as_secs_f64()
    );
    assert_eq!(requests, 1);
    assert!(slowest < Duration::from_secs(1), "{slowest:?}");
    task.abort();
}

// ---------------------------------------------------------------------------------------------
// 4. A whole call has a deadline.

/// Accepts connections and never answers.
async fn hanging_server() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let a = accepted.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            a.fetch_add(1, Ordering::SeqCst);
            held.push(socket);
        }
    });
    (url, accepted)
}

#[tokio::test]
async fn a_call_ends_at_its_deadline() {
    let (url, accepted) = hanging_server().await;
    let c = ConfluentRegistry::builder(url)
        .timeout(Duration::from_millis(300))
        .retry(RetryPolicy::default())
        .deadline(Duration::from_secs(1))
        .build()
        .unwrap();
    let started = Instant::now();
    let e = c.schema_by_id(1, None, None).await.unwrap_err();
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "deadline 1 s, 0.3 s attempts: error after {secs:.2} s, {} connections",
        accepted.load(Ordering::SeqCst)
    );
    assert!(
        matches!(e, RegistryError::Transport { timeout: true, .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("deadline"), "{e}");
    assert!((0.9..2.0).contains(&secs), "{secs} s");
}

/// With the default settings, a hanging registry is given up on at the default deadline
/// (30 s, on tokio's paused clock: the test takes milliseconds).
#[tokio::test(start_paused = true)]
async fn default_settings_give_up_at_the_default_deadline() {
    let (url, _accepted) = hanging_server().await;
    let c = ConfluentRegistry::new(url).unwrap();
    let started = tokio::time::Instant::now();
    let e = c.schema_by_id(1, None, None).await.unwrap_err();
    let secs = started.elapsed().as_secs_f64();
    eprintln!("default settings, hanging registry: error after {secs:.1} s (paused clock)");
    assert!(
        matches!(e, RegistryError::Transport { timeout: true, .. }),
        "{e:?}"
    );
    assert!((29.0..=31.0).contains(&secs), "{secs} s");
}

// ---------------------------------------------------------------------------------------------
// 5. Credentials never appear in Debug output.

#[test]
fn userinfo_is_redacted_in_every_debug() {
    let secrets = ["Pa55", "Secr3t", "0ther", "t0ken"];
    let confluent = ConfluentRegistry::builder("http://svc:Pa55@host:8081")
        .url("http://a:Secr3t@h1:8081, https://b:0ther@h2:8081/base")
        .url("not a url but:t0ken@somewhere");
    let apicurio = ApicurioRegistry::builder("http://svc:Pa55@apicurio:8080/apis/registry/v3")
        .url("http://a:Secr3t@h1/apis/registry/v3,http://b:0ther@h2/apis/registry/v3");
    let built = ConfluentRegistry::builder("http://svc:Pa55@host:8081")
        .url("http://a:Secr3t@h1:8081,http://b:0ther@h2:8081")
        .build()
        .unwrap();
    let built_apicurio =
        ApicurioRegistry::builder("http://svc:Pa55@apicurio:8080/apis/registry/v3")
            .build()
            .unwrap();
    let texts = [
        format!("{confluent:?}"),
        format!("{confluent:#?}"),
        format!("{apicurio:?}"),
        format!("{apicurio:#?}"),
        format!("{built:?}"),
        format!("{built_apicurio:#?}"),
    ];
    for text in &texts {
        for s in secrets {
            assert!(!text.contains(s), "`{s}` in {text}");
        }
    }
    // The hosts stay visible: the output is still useful.
    assert!(
        texts[0].contains("host:8081") && texts[0].contains("h2:8081"),
        "{}",
        texts[0]
    );
    assert!(texts[0].contains("<redacted>"), "{}", texts[0]);
}

#[tokio::test]
async fn errors_of_a_url_with_credentials_do_not_carry_them() {
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://svc:Pa55@{}", l.local_addr().unwrap())
    };
    let c = ConfluentRegistry::builder(dead)
        .retry(no_retry())
        .build()
        .unwrap();
    let e = c.subjects(false).await.unwrap_err();
    assert!(!format!("{e} {e:?}").contains("Pa55"), "{e:?}");
}

// ---------------------------------------------------------------------------------------------
// 7. Fail-over on retriable statuses.

#[tokio::test]
async fn a_503_fails_over_to_the_next_url() {
    let counter = |status: StatusCode, body: &'static str| {
        let hits = Arc::new(AtomicUsize::new(0));
        let h = hits.clone();
        let app = Router::new().fallback(any(move || {
            let h = h.clone();
            async move {
                h.fetch_add(1, Ordering::SeqCst);
                json_response(status, body)
            }
        }));
        (app, hits)
    };
    let (failing, failing_hits) = counter(
        StatusCode::SERVICE_UNAVAILABLE,
        r#"{"error_code":50301,"message":"busy"}"#,
    );
    let (healthy, healthy_hits) = counter(StatusCode::OK, r#"["orders-value"]"#);
    let (a, ta) = spawn(failing).await;
    let (b, tb) = spawn(healthy).await;
    let c = ConfluentRegistry::builder(format!("{a},{b}"))
        .retry(fast_retry(3))
        .build()
        .unwrap();
    let r = c.subjects(false).await;
    let (fa, fb) = (
        failing_hits.load(Ordering::SeqCst),
        healthy_hits.load(Ordering::SeqCst),
    );
    eprintln!("first URL 503: {fa} requests to it, {fb} to the healthy one, {r:?}");
    assert_eq!(r.unwrap(), vec!["orders-value"]);
    assert_eq!((fa, fb), (1, 1));
    // The healthy URL is tried first from now on.
    c.subjects(false).await.unwrap();
    assert_eq!(failing_hits.load(Ordering::SeqCst), 1);
    assert_eq!(healthy_hits.load(Ordering::SeqCst), 2);
    ta.abort();
    tb.abort();
}
