//! A stable-Rust, seeded, bounded stand-in for the cargo-fuzz targets in `fuzz/` (which need
//! nightly): valid encodings of every corpus type and of recursive types, mutated (bit flips,
//! interesting bytes, insertions, deletions, truncation, splices and repeated chunks, which
//! build deep nesting), fed to the same decoders the fuzz targets drive — the generated Avro
//! and Protobuf decoders, single-object decoding, resolution with a writer schema, the wire
//! parsers — on a thread with a 2 MiB stack, like a tokio worker's. A panic or a stack overflow
//! fails the run.
//!
//! Deterministic: the seed is fixed (`KAFKA_MODEL_MUTATION_SEED` changes it,
//! `KAFKA_MODEL_MUTATIONS` the number of inputs per type, default 2,000).

#[path = "../../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod fuzz_support;

use fuzz_support::{corpus, expand, nested, recursive, CORPUS_TYPES};
use kafka_model::wire::{Field, MessageIndexes, NoHeaders, WireReader};
use kafka_model::Record;

/// xorshift64*: small, seeded, the same sequence everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const INTERESTING: [u8; 10] = [0, 1, 2, 3, 0x7f, 0x80, 0xfe, 0xff, 0x40, 0x3f];

/// One mutation of `input`, drawing on `others` for splices.
fn mutate(rng: &mut Rng, input: &[u8], others: &[Vec<u8>]) -> Vec<u8> {
    let mut b = input.to_vec();
    for _ in 0..1 + rng.below(3) {
        let len = b.len();
        match rng.below(8) {
            0 if len > 0 => {
                let i = rng.below(len);
                b[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                b[i] = INTERESTING[rng.below(INTERESTING.len())];
            }
            2 => {
                let i = rng.below(len + 1);
                b.insert(i, rng.next() as u8);
            }
            3 if len > 0 => {
                b.remove(rng.below(len));
            }
            4 => b.truncate(rng.below(len + 1)),
            5 if !others.is_empty() => {
                let other = &others[rng.below(others.len())];
                let at = rng.below(len + 1);
                let from = rng.below(other.len() + 1);
                let take = rng.below(other.len() - from + 1);
                b.splice(at..at, other[from..from + take].iter().copied());
            }
            // Repeat a short chunk many times: deep nesting from a valid prefix.
            _ if len > 0 => {
                let from = rng.below(len);
                let take = 1 + rng.below((len - from).min(6));
                let times = [2, 50, 200, 5_000][rng.below(4)];
                let chunk = b[from..from + take].to_vec();
                let tail = b.split_off(from + take);
                for _ in 0..times {
                    b.extend_from_slice(&chunk);
                }
                b.extend_from_slice(&tail);
            }
            _ => b.push(rng.next() as u8),
        }
    }
    b
}

/// What the fuzz targets check, for one type and one input.
fn check<T: Record>(data: &[u8]) {
    if let Ok(v) = T::from_avro(data) {
        if let Ok(bytes) = v.to_avro() {
            let again = T::from_avro(&bytes).expect("what we write decodes");
            let bytes2 = again.to_avro().expect("a decoded value re-encodes");
            assert_eq!(bytes.len(), bytes2.len());
        }
    }
    let _ = T::from_avro_single(data);
    if let Ok(schema) = T::schemas().avro() {
        let _ = T::from_avro_with_writer(schema.schema(), data);
    }
    if let Ok(v) = T::from_protobuf(data) {
        if let Ok(bytes) = v.to_protobuf() {
            let again = T::from_protobuf(&bytes).expect("what we write decodes");
            let bytes2 = again.to_protobuf().expect("a decoded value re-encodes");
            assert_eq!(bytes.len(), bytes2.len());
        }
    }
}

/// Resolution: the input read with another corpus type's schema as the writer.
fn check_resolved<T: Record>(writer: &apache_avro::Schema, data: &[u8]) {
    let _ = T::from_avro_with_writer(writer, data);
}

fn wire(data: &[u8]) {
    for field in [Field::Value, Field::Key] {
        for indexes in [false, true] {
            let reader = WireReader::new(field)
                .message_indexes(indexes)
                .accept_unframed(true);
            if let Ok(Some(frame)) = reader.parse(Some(data), &NoHeaders) {
                assert!(data.ends_with(frame.payload));
            }
        }
    }
    if let Ok((path, used)) = MessageIndexes::read(data) {
        assert!(used <= data.len());
        let (back, _) = MessageIndexes::read(&path.to_bytes()).expect("written paths read back");
        assert_eq!(back, path);
    }
}

/// Seeds of type `T`: its corpus sample (when it has one) in both encodings, and `extra`.
fn seeds_of<T: Record>(extra: Vec<T>) -> Vec<Vec<u8>> {
    let name = T::model().rust_name;
    let mut values = extra;
    if let Some(case) = corpus::cases().iter().find(|c| c.name == name) {
        if let Ok(v) = T::loads(&(case.sample_json)()) {
            values.push(v);
        }
    }
    let mut seeds = vec![vec![]];
    for v in &values {
        seeds.extend(v.to_avro().ok());
        seeds.extend(v.to_protobuf().ok());
    }
    seeds
}

fn seeds(selector: u8) -> Vec<Vec<u8>> {
    use corpus::TreeNode;
    use recursive::{Chain, Expr};
    let tree = |depth: usize| {
        let mut t = TreeNode {
            label: "x".into(),
            children: vec![],
            parent: None,
        };
        for i in 0..depth {
            t = if i % 2 == 0 {
                TreeNode {
                    label: String::new(),
                    children: vec![t],
                    parent: None,
                }
            } else {
                TreeNode {
                    label: String::new(),
                    children: vec![],
                    parent: Some(Box::new(t)),
                }
            };
        }
        t
    };
    let chain = |depth: usize| {
        let mut c = Chain { id: 1, next: None };
        for _ in 0..depth {
            c = Chain {
                id: 0,
                next: Some(Box::new(c)),
            };
        }
        c
    };
    let expr = |depth: usize| {
        let mut e = Expr::Lit { value: 7 };
        for i in 0..depth {
            e = if i % 2 == 0 {
                Expr::Neg { inner: Box::new(e) }
            } else {
                Expr::Sum {
                    terms: vec![Expr::Lit { value: 1 }, e],
                }
            };
        }
        e
    };
    match selector {
        12 => seeds_of(vec![tree(3), tree(40)]),
        21 => seeds_of(vec![chain(3), chain(40)]),
        22 => seeds_of(vec![expr(3), expr(40)]),
        23 => seeds_of(vec![nested::Grid {
            rows: vec![vec![1, -2], vec![]],
            maybe: Some(vec![String::new(), "x".into()]),
            sparse: vec![None, Some(0), Some(-7)],
            groups: [("g".to_string(), vec![None, Some(vec![]), Some(vec![1, 2])])].into(),
            tables: Some([("t".to_string(), [("k".to_string(), true)].into())].into()),
        }]),
        _ => with_seeds(selector),
    }
}

fn with_seeds(selector: u8) -> Vec<Vec<u8>> {
    fn no_extra<T: Record>(out: &mut Vec<Vec<u8>>) {
        *out = seeds_of::<T>(vec![]);
    }
    let mut out = Vec::new();
    with_corpus_type!(selector, no_extra, &mut out);
    out
}

fn writer_schema<T: Record>(out: &mut Option<apache_avro::Schema>) {
    *out = T::schemas().avro().ok().map(|s| s.schema().clone());
}

fn run(seed: u64, per_type: usize) -> (usize, usize) {
    let mut rng = Rng(seed | 1);
    let mut inputs = 0;
    let mut longest = 0;
    let mut with_samples = 0;
    for selector in 0..CORPUS_TYPES {
        let mut seeds = seeds(selector);
        if seeds.len() == 1 {
            // No corpus sample (a unit enum, say): small valid-looking starts.
            seeds.extend([vec![0], vec![2], vec![8, 0x10, 1]]);
        } else {
            with_samples += 1;
        }
        for seed in &seeds {
            with_corpus_type!(selector, check, seed);
        }
        for _ in 0..per_type {
            let base = &seeds[rng.below(seeds.len())];
            let input = mutate(&mut rng, base, &seeds);
            longest = longest.max(input.len());
            with_corpus_type!(selector, check, &input);
            wire(&input);
            // Another type's schema as the writer, as the avro_resolve fuzz target does.
            let mut writer = None;
            with_corpus_type!(rng.next() as u8, writer_schema, &mut writer);
            if let Some(writer) = &writer {
                with_corpus_type!(selector, check_resolved, writer, &input);
            }
            // The fuzz targets' own expansion of short inputs into deep ones.
            if input.len() > 1 && rng.below(8) == 0 {
                let pattern = (input.len() - 1).min(4) as u8;
                let mut short = vec![0xFE, 1 + rng.below(120) as u8, pattern];
                short.extend_from_slice(&input);
                let deep = expand(&short);
                longest = longest.max(deep.len());
                with_corpus_type!(selector, check, &deep);
            }
            inputs += 1;
        }
    }
    assert!(
        with_samples >= 20,
        "only {with_samples} types have sample seeds"
    );
    (inputs, longest)
}

#[test]
fn mutated_inputs_never_panic_or_overflow_a_2_mib_stack() {
    let seed = std::env::var("KAFKA_MODEL_MUTATION_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6b61_666b_615f_6d64);
    let per_type = std::env::var("KAFKA_MODEL_MUTATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2_000);
    let started = std::time::Instant::now();
    let (inputs, longest) = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || run(seed, per_type))
        .expect("thread")
        .join()
        .expect("no panic, no overflow");
    eprintln!(
        "{inputs} mutated inputs over {CORPUS_TYPES} types (seed {seed:#x}, longest {longest} bytes) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(inputs, per_type * usize::from(CORPUS_TYPES));
}

/// The deep inputs that used to overflow reach the decoders through the same mutations.
#[test]
fn repeated_chunks_build_deep_nesting() {
    let mut rng = Rng(7);
    let seed = recursive::Chain {
        id: 0,
        next: Some(Box::new(recursive::Chain { id: 0, next: None })),
    }
    .to_avro()
    .unwrap();
    let deepest = (0..2_000)
        .map(|_| mutate(&mut rng, &seed, &[]))
        .filter(|m| m.len() > 5_000)
        .count();
    assert!(deepest > 0, "no mutation repeated a chunk 5,000 times");
}
