//! `json+faust` writes the bytes Python Faust writes.
//!
//! Generated values (unicode strings with control and astral characters, floats of every
//! class, maps, nested records, polymorphic fields in each serde tagging) are written with
//! `dumps_with("json+faust")`; faust-streaming (the interop venv) reads each payload into the
//! same model declared in Python and dumps it again with its json codec. A Faust record dumps
//! as a fixed point of its own output, so equal bytes mean our bytes are Faust's: a key out of
//! Faust's order, a space, an unescaped `é`, `1e16` for `1e+16` or `null` for `NaN` each come
//! back different.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::process::Command;

use common::tools::{interop_python, run, scratch};
use kafka_model::Record;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "fb")]
struct Card {
    last4: String,
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "fb")]
struct Iban {
    iban: String,
    bic: Option<String>,
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "fb")]
enum Method {
    ByCard(Card),
    ByIban(Iban),
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "fb")]
#[serde(tag = "kind")]
enum Internal {
    C(Card),
    I(Iban),
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "fb")]
#[serde(tag = "t", content = "c")]
enum Adjacent {
    C(Card),
    I(Iban),
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "fb")]
struct Line {
    sku: String,
    qty: i64,
    price: f64,
    weight: f32,
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "fb")]
struct Order {
    id: i64,
    big: u64,
    title: String,
    ratio: f64,
    paid: bool,
    tags: Vec<String>,
    note: Option<String>,
    lines: Vec<Line>,
    counts: HashMap<String, i64>,
    by_key: BTreeMap<String, Line>,
    best: Option<Line>,
    method: Method,
    internal: Internal,
    adjacent: Adjacent,
    maybe: Option<Method>,
}

/// The same models in Faust (field order as declared in Rust; `namespace` is Faust's `ns`).
const FAUST_MODELS: &str = r#"
import sys
import faust
from typing import Dict, List, Optional

class Card(faust.Record, namespace="fb.Card"):
    last4: str

class Iban(faust.Record, namespace="fb.Iban"):
    iban: str
    bic: Optional[str]

class Line(faust.Record, namespace="fb.Line"):
    sku: str
    qty: int
    price: float
    weight: float

class Order(faust.Record, namespace="fb.Order", polymorphic_fields=True):
    id: int
    big: int
    title: str
    ratio: float
    paid: bool
    tags: List[str]
    note: Optional[str]
    lines: List[Line]
    counts: Dict[str, int]
    by_key: Dict[str, Line]
    best: Optional[Line]
    method: faust.Record
    internal: faust.Record
    adjacent: faust.Record
    maybe: Optional[faust.Record]

n = 0
with open(sys.argv[1], "rb") as src, open(sys.argv[2], "wb") as dst:
    for line in src.read().splitlines():
        order = Order.loads(line, serializer="json")
        # Faust resolved every record, polymorphic fields included, to its class.
        assert type(order) is Order
        assert all(type(l) is Line for l in order.lines)
        assert all(type(l) is Line for l in order.by_key.values())
        for f in (order.method, order.internal, order.adjacent):
            assert type(f) in (Card, Iban), type(f)
        assert order.maybe is None or type(order.maybe) in (Card, Iban)
        dst.write(order.dumps(serializer="json") + b"\n")
        n += 1
print(f"faust dumped {n}")
"#;

fn text() -> impl Strategy<Value = String> {
    // Any scalar values: ASCII, controls, DEL, BMP and astral planes.
    prop_oneof![
        "[a-z0-9 ]{0,8}",
        proptest::collection::vec(any::<char>(), 0..10).prop_map(String::from_iter),
        Just("\"\\/\n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f}\u{80}\u{2028}\u{ffff}\u{10000}😀".to_string()),
    ]
}

fn double() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        (-1_000_000i64..1_000_000).prop_map(|i| i as f64 / 100.0),
        prop::sample::select(vec![
            0.0,
            -0.0,
            1e16,
            1e15,
            9_999_999_999_999_998.0,
            1e-4,
            1e-5,
            0.1,
            1e300,
            5e-324,
            f64::MAX,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ]),
    ]
}

fn line() -> impl Strategy<Value = Line> {
    (text(), any::<i64>(), double(), any::<f32>()).prop_map(|(sku, qty, price, weight)| Line {
        sku,
        qty,
        price,
        weight,
    })
}

fn card() -> impl Strategy<Value = Card> {
    text().prop_map(|last4| Card { last4 })
}

fn iban() -> impl Strategy<Value = Iban> {
    (text(), proptest::option::of(text())).prop_map(|(iban, bic)| Iban { iban, bic })
}

fn method() -> impl Strategy<Value = Method> {
    prop_oneof![
        card().prop_map(Method::ByCard),
        iban().prop_map(Method::ByIban)
    ]
}

fn order() -> impl Strategy<Value = Order> {
    let head = (
        any::<i64>(),
        any::<u64>(),
        text(),
        double(),
        any::<bool>(),
        proptest::collection::vec(text(), 0..3),
        proptest::option::of(text()),
    );
    let records = (
        proptest::collection::vec(line(), 0..3),
        proptest::collection::hash_map(text(), any::<i64>(), 0..3),
        proptest::collection::btree_map(text(), line(), 0..3),
        proptest::option::of(line()),
    );
    let poly = (
        method(),
        prop_oneof![card().prop_map(Internal::C), iban().prop_map(Internal::I)],
        prop_oneof![card().prop_map(Adjacent::C), iban().prop_map(Adjacent::I)],
        proptest::option::of(method()),
    );
    (head, records, poly).prop_map(
        |(
            (id, big, title, ratio, paid, tags, note),
            (lines, counts, by_key, best),
            (method, internal, adjacent, maybe),
        )| Order {
            id,
            big,
            title,
            ratio,
            paid,
            tags,
            note,
            lines,
            counts,
            by_key,
            best,
            method,
            internal,
            adjacent,
            maybe,
        },
    )
}

#[test]
fn json_faust_bytes_equal_faust_dumps() {
    let Some(python) = interop_python() else {
        return;
    };
    let mut runner = TestRunner::deterministic();
    let strategy = order();
    let values: Vec<Order> = (0..300)
        .map(|_| strategy.new_tree(&mut runner).expect("value").current())
        .collect();
    let ours: Vec<Vec<u8>> = values
        .iter()
        .map(|v| v.dumps_with("json+faust").expect("encodes"))
        .collect();
    let dir = scratch("faust_bytes");
    let mut input = Vec::new();
    for payload in &ours {
        // ensure_ascii output has no raw newline to split on.
        assert!(!payload.contains(&b'\n') && payload.is_ascii());
        input.extend_from_slice(payload);
        input.push(b'\n');
    }
    std::fs::write(dir.join("models.py"), FAUST_MODELS).unwrap();
    std::fs::write(dir.join("ours.jsonl"), &input).unwrap();
    let out = run(Command::new(python)
        .arg(dir.join("models.py"))
        .arg(dir.join("ours.jsonl"))
        .arg(dir.join("faust.jsonl")));
    assert!(
        out.contains(&format!("faust dumped {}", values.len())),
        "{out}"
    );
    let faust = std::fs::read(dir.join("faust.jsonl")).unwrap();
    let faust: Vec<&[u8]> = faust
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(faust.len(), ours.len());
    for ((value, ours), faust) in values.iter().zip(&ours).zip(&faust) {
        assert_eq!(
            String::from_utf8_lossy(ours),
            String::from_utf8_lossy(faust),
            "{value:?}"
        );
    }
    // And what Faust wrote reads back to the value, where serde_json can read it (`NaN` and
    // `Infinity` are not JSON).
    let finite = |b: &[u8]| !b.windows(3).any(|w| w == b"NaN" || w == b"Inf");
    let mut read = 0;
    for (value, faust) in values.iter().zip(&faust).filter(|(_, f)| finite(f)) {
        let back = Order::loads_with("json+faust", faust).expect("reads Faust's bytes");
        assert_eq!(&back, value);
        read += 1;
    }
    assert!(read > 10, "only {read} finite cases");
}
