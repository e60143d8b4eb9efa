//! Deeply nested input for recursive types ends in a typed error on every Avro decode path —
//! the generated codec, resolution with a writer schema, the generic (writer-schema-only)
//! decoder and the registry-aware `Deserializer` — at `RECURSION_LIMIT` records, including on a
//! tokio worker's 2 MiB stack, where such input used to abort the process (N = 8,000 levels,
//! a 24 KB message).

use std::sync::Arc;

use kafka_model::avro::{DecodeErrorKind, RECURSION_LIMIT};
use kafka_model::registry::{MemoryRegistry, Schema, SchemaRegistry};
use kafka_model::serdes::{
    Deserializer, DeserializerConfig, GenericDeserializer, MalformedCause, SerdeErrorKind,
};
use kafka_model::wire::NoHeaders;
use kafka_model::{CodecError, Record};

#[derive(Record, serde::Serialize, serde::Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "deep")]
struct Tree {
    id: i64,
    label: Option<String>,
    children: Vec<Tree>,
}

#[derive(Record, serde::Serialize, serde::Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "deep")]
struct Chain {
    id: i64,
    next: Option<Box<Chain>>,
}

/// `levels` nested `Tree`s: `[0,0,2]` per level (id 0, no label, one child), `[0,0,0]` for the
/// innermost, then the closing block of every array.
fn tree_bytes(levels: usize) -> Vec<u8> {
    let mut b = Vec::with_capacity(4 * levels);
    for _ in 1..levels {
        b.extend_from_slice(&[0, 0, 2]);
    }
    b.extend_from_slice(&[0, 0, 0]);
    b.extend(std::iter::repeat_n(0u8, levels - 1));
    b
}

/// `levels` nested `Chain`s: `[0,2]` per level (id 0, `Some`), `[0,0]` for the innermost.
fn chain_bytes(levels: usize) -> Vec<u8> {
    let mut b = Vec::with_capacity(2 * levels);
    for _ in 1..levels {
        b.extend_from_slice(&[0, 2]);
    }
    b.extend_from_slice(&[0, 0]);
    b
}

fn nested_tree(levels: usize) -> Tree {
    let mut t = Tree {
        id: 0,
        label: None,
        children: vec![],
    };
    for _ in 1..levels {
        t = Tree {
            id: 0,
            label: None,
            children: vec![t],
        };
    }
    t
}

fn is_depth_error(e: &CodecError) -> bool {
    matches!(e, CodecError::AvroDecode(d) if matches!(d.kind(), DecodeErrorKind::RecursionLimit { limit } if *limit == RECURSION_LIMIT))
}

/// Runs `f` on a thread with a 2 MiB stack (what tokio gives its workers).
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("thread")
        .join()
        .expect("the thread did not overflow its stack")
}

#[test]
fn the_generated_codec_stops_at_the_limit() {
    let limit = RECURSION_LIMIT as usize;
    assert_eq!(tree_bytes(3), nested_tree(3).to_avro().unwrap());
    assert_eq!(
        Tree::from_avro(&tree_bytes(limit)).unwrap(),
        nested_tree(limit)
    );
    let e = Tree::from_avro(&tree_bytes(limit + 1)).unwrap_err();
    assert!(is_depth_error(&e), "{e:?}");
    assert!(Chain::from_avro(&chain_bytes(limit)).is_ok());
    let e = Chain::from_avro(&chain_bytes(limit + 1)).unwrap_err();
    assert!(is_depth_error(&e), "{e:?}");
    assert!(e.to_string().contains("nested at most 100 deep"), "{e}");
    let reached = on_small_stack(|| {
        let mut reached = 0;
        for levels in [8_000, 30_000, 1_000_000] {
            let t = Tree::from_avro(&tree_bytes(levels)).unwrap_err();
            let c = Chain::from_avro(&chain_bytes(levels)).unwrap_err();
            assert!(is_depth_error(&t) && is_depth_error(&c), "{t:?} {c:?}");
            reached = levels;
        }
        reached
    });
    eprintln!("generated codec: {reached} levels on a 2 MiB stack end in RecursionLimit");
}

#[test]
fn resolution_with_a_writer_schema_stops_at_the_limit() {
    // Another version of Tree: `id` an int (promoted to long), no `label` (the reader's default).
    let writer = apache_avro::Schema::parse_str(
        r#"{"type":"record","name":"Tree","namespace":"deep","fields":[
            {"name":"id","type":"int"},
            {"name":"children","type":{"type":"array","items":"Tree"}}]}"#,
    )
    .unwrap();
    let bytes = |levels: usize| {
        let mut b = vec![];
        for _ in 1..levels {
            b.extend_from_slice(&[0, 2]);
        }
        b.extend_from_slice(&[0, 0]);
        b.extend(std::iter::repeat_n(0u8, levels - 1));
        b
    };
    let limit = RECURSION_LIMIT as usize;
    assert_eq!(
        Tree::from_avro_with_writer(&writer, &bytes(limit)).unwrap(),
        nested_tree(limit)
    );
    let e = Tree::from_avro_with_writer(&writer, &bytes(limit + 1)).unwrap_err();
    assert!(is_depth_error(&e), "{e:?}");
    on_small_stack(move || {
        let e = Tree::from_avro_with_writer(&writer, &bytes(1_000_000)).unwrap_err();
        assert!(is_depth_error(&e), "{e:?}");
    });
}

async fn registered(registry: &MemoryRegistry, schema: &str) -> Vec<u8> {
    let reg = registry
        .register("deep-value", &Schema::avro(schema), false)
        .await
        .unwrap();
    let mut frame = vec![0];
    frame.extend((reg.id as u32).to_be_bytes());
    frame
}

/// A multi-thread runtime whose workers have tokio's default 2 MiB stack, stated explicitly.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_stack_size(2 << 20)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn the_deserializer_in_a_tokio_worker_stops_at_the_limit() {
    runtime().block_on(async {
        let registry = MemoryRegistry::new();
        let own = registered(&registry, Tree::schemas().avro().unwrap().json()).await;
        let de = Arc::new(Deserializer::<Tree>::new(
            Arc::new(registry),
            DeserializerConfig::avro(),
        ));
        for levels in [RECURSION_LIMIT as usize, 8_000, 1_000_000] {
            let mut frame = own.clone();
            frame.extend(tree_bytes(levels));
            let de = de.clone();
            // Spawned: decoded on a worker thread, not the test's main thread.
            let result = tokio::spawn(async move {
                de.deserialize("deep", &frame, &NoHeaders).await
            })
            .await
            .expect("the worker did not die");
            if levels == RECURSION_LIMIT as usize {
                assert_eq!(result.unwrap(), nested_tree(levels));
                continue;
            }
            let e = result.unwrap_err();
            let depth_error = matches!(
                e.kind(),
                SerdeErrorKind::Malformed { source: MalformedCause::Codec(c), .. } if is_depth_error(c)
            );
            assert!(depth_error, "{levels} levels: {e:?}");
            eprintln!("Deserializer in a tokio worker, {levels} levels: {e}");
        }
    });
}

#[test]
fn the_generic_decoder_stops_at_the_limit() {
    runtime().block_on(async {
        let registry = Arc::new(MemoryRegistry::new());
        let own = registered(&registry, Tree::schemas().avro().unwrap().json()).await;
        let de = Arc::new(GenericDeserializer::new(registry));
        for levels in [
            RECURSION_LIMIT as usize,
            RECURSION_LIMIT as usize + 1,
            1_000_000,
        ] {
            let mut frame = own.clone();
            frame.extend(tree_bytes(levels));
            let de = de.clone();
            let result =
                tokio::spawn(async move { de.deserialize("deep", &frame, &NoHeaders).await })
                    .await
                    .expect("the worker did not die");
            if levels == RECURSION_LIMIT as usize {
                assert!(result.is_ok(), "{result:?}");
                continue;
            }
            let e = result.unwrap_err();
            assert!(
                e.to_string().contains("nested at most 100 deep"),
                "{levels} levels: {e}"
            );
        }
    });
}
