//! Schema resolution (`from_avro_with_writer`): every rule of the Avro specification, and the
//! errors that name the field and the rule.
#![allow(deprecated)] // apache-avro 0.22's `to_avro_datum`: writes the writer-side data.

use std::collections::BTreeMap;

use apache_avro::types::Value;
use apache_avro::Schema;
use kafka_model::avro::resolve::Resolver;
use kafka_model::{CodecError, Record};
use serde::{Deserialize, Serialize};

fn write(schema: &str, value: Value) -> (Schema, Vec<u8>) {
    let s = Schema::parse_str(schema).unwrap();
    let bytes = apache_avro::to_avro_datum(&s, value).unwrap();
    (s, bytes)
}

fn rec(fields: &[(&str, Value)]) -> Value {
    Value::Record(
        fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

fn resolve_error<T: Record + std::fmt::Debug>(
    w: &Schema,
    bytes: &[u8],
) -> kafka_model::avro::ResolveError {
    match T::from_avro_with_writer(w, bytes) {
        Err(CodecError::AvroResolve(e)) => e,
        other => panic!("expected a resolution error, got {other:?}"),
    }
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
#[record(namespace = "t")]
pub enum Color {
    Red,
    Green,
    #[record(default)]
    Other,
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "t")]
pub struct Inner {
    pub x: i64,
    #[serde(default)]
    pub y: i32,
}

fn two() -> i32 {
    2
}
fn hi() -> String {
    "hi".into()
}

/// The reader: every field exercises one rule.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "t", aliases = ["t.OldRec"])]
pub struct Rec {
    /// int → long
    pub a: i64,
    /// int → float
    pub b: f32,
    /// long → double
    pub c: f64,
    /// float → double
    pub d: f64,
    /// string → bytes
    pub e: Vec<u8>,
    /// bytes → string
    pub f: String,
    /// renamed: the writer calls it `old_g`
    #[serde(alias = "old_g")]
    pub g: String,
    /// enum: unknown writer symbols become the default `Other`
    pub color: Color,
    /// writer `long` → reader `["null", "long"]`
    pub maybe: Option<i64>,
    /// nested record, with a field added in the reader
    pub inner: Inner,
    /// array items promoted
    pub list: Vec<i64>,
    /// map values promoted
    pub map: BTreeMap<String, f64>,
    /// added with a default
    #[serde(default = "two")]
    pub added: i32,
    /// added with a default
    #[serde(default = "hi")]
    pub added_text: String,
    /// added, optional
    #[serde(default)]
    pub added_opt: Option<String>,
}

const WRITER: &str = r#"{"type":"record","name":"OldRec","namespace":"t","fields":[
  {"name":"removed","type":{"type":"array","items":{"type":"record","name":"Gone","fields":[{"name":"z","type":"string"}]}}},
  {"name":"inner","type":{"type":"record","name":"Inner","fields":[{"name":"x","type":"int"},{"name":"dropped","type":"Gone"}]}},
  {"name":"a","type":"int"},
  {"name":"b","type":"int"},
  {"name":"c","type":"long"},
  {"name":"d","type":"float"},
  {"name":"e","type":"string"},
  {"name":"f","type":"bytes"},
  {"name":"old_g","type":"string"},
  {"name":"color","type":{"type":"enum","name":"Color","symbols":["Blue","Green","Red"]}},
  {"name":"maybe","type":"long"},
  {"name":"list","type":{"type":"array","items":"int"}},
  {"name":"map","type":{"type":"map","values":"float"}}
]}"#;

fn writer_value(color: (u32, &str)) -> Value {
    let gone = |z: &str| rec(&[("z", Value::String(z.into()))]);
    rec(&[
        ("removed", Value::Array(vec![gone("p"), gone("q")])),
        (
            "inner",
            rec(&[("x", Value::Int(-9)), ("dropped", gone("r"))]),
        ),
        ("a", Value::Int(-1)),
        ("b", Value::Int(3)),
        ("c", Value::Long(1 << 40)),
        ("d", Value::Float(1.5)),
        ("e", Value::String("sx".into())),
        ("f", Value::Bytes(b"by".to_vec())),
        ("old_g", Value::String("gee".into())),
        ("color", Value::Enum(color.0, color.1.into())),
        ("maybe", Value::Long(77)),
        ("list", Value::Array(vec![Value::Int(1), Value::Int(-2)])),
        (
            "map",
            Value::Map(
                [("k".to_string(), Value::Float(0.25))]
                    .into_iter()
                    .collect(),
            ),
        ),
    ])
}

#[test]
fn every_rule_at_once() {
    let (w, bytes) = write(WRITER, writer_value((2, "Red")));
    let got = Rec::from_avro_with_writer(&w, &bytes).unwrap();
    assert_eq!(
        got,
        Rec {
            a: -1,
            b: 3.0,
            c: (1u64 << 40) as f64,
            d: 1.5,
            e: b"sx".to_vec(),
            f: "by".into(),
            g: "gee".into(),
            color: Color::Red,
            maybe: Some(77),
            inner: Inner { x: -9, y: 0 },
            list: vec![1, -2],
            map: [("k".to_string(), 0.25)].into_iter().collect(),
            added: 2,
            added_text: "hi".into(),
            added_opt: None,
        }
    );
    // The plan is cached: a second read gives the same.
    assert_eq!(Rec::from_avro_with_writer(&w, &bytes).unwrap(), got);
}

#[test]
fn unknown_enum_symbol_takes_the_reader_default() {
    let (w, bytes) = write(WRITER, writer_value((0, "Blue")));
    assert_eq!(
        Rec::from_avro_with_writer(&w, &bytes).unwrap().color,
        Color::Other
    );
}

#[test]
fn unknown_enum_symbol_without_default_is_an_error() {
    #[derive(Record, Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
    #[record(namespace = "t", name = "Color")]
    #[serde(rename = "Color")]
    enum Strict {
        Red,
        Green,
    }
    #[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
    #[record(namespace = "t")]
    struct E {
        color: Strict,
    }
    let (w, bytes) = write(
        r#"{"type":"record","name":"E","namespace":"t","fields":[{"name":"color","type":{"type":"enum","name":"Color","symbols":["Blue","Green","Red"]}}]}"#,
        rec(&[("color", Value::Enum(0, "Blue".into()))]),
    );
    let e = resolve_error::<E>(&w, &bytes);
    assert_eq!(e.field(), "color");
    assert_eq!(e.rule(), "enum symbol");
    assert!(e.message().contains("Blue"), "{e}");
    // Known symbols still read.
    let (_, ok) = write(
        r#"{"type":"record","name":"E","namespace":"t","fields":[{"name":"color","type":{"type":"enum","name":"Color","symbols":["Blue","Green","Red"]}}]}"#,
        rec(&[("color", Value::Enum(1, "Green".into()))]),
    );
    assert_eq!(
        E::from_avro_with_writer(&w, &ok).unwrap().color,
        Strict::Green
    );
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "t")]
pub struct Small {
    pub id: i32,
    pub name: String,
}

#[test]
fn missing_field_without_default_names_field_and_rule() {
    let (w, bytes) = write(
        r#"{"type":"record","name":"Small","namespace":"t","fields":[{"name":"id","type":"int"}]}"#,
        rec(&[("id", Value::Int(1))]),
    );
    let e = resolve_error::<Small>(&w, &bytes);
    assert_eq!(e.field(), "name");
    assert_eq!(e.rule(), "field without default");
}

#[test]
fn impossible_promotion_names_field_and_rule() {
    let (w, bytes) = write(
        r#"{"type":"record","name":"Small","namespace":"t","fields":[{"name":"id","type":"long"},{"name":"name","type":"string"}]}"#,
        rec(&[("id", Value::Long(1)), ("name", Value::String("n".into()))]),
    );
    let e = resolve_error::<Small>(&w, &bytes);
    assert_eq!(e.field(), "id");
    assert_eq!(e.rule(), "type match / promotion");
    assert!(
        e.message().contains("long") && e.message().contains("int"),
        "{e}"
    );
}

#[test]
fn record_name_mismatch_is_an_error_and_aliases_match() {
    let (w, bytes) = write(
        r#"{"type":"record","name":"Other","namespace":"t","fields":[{"name":"id","type":"int"},{"name":"name","type":"string"}]}"#,
        rec(&[("id", Value::Int(1)), ("name", Value::String("n".into()))]),
    );
    assert_eq!(resolve_error::<Small>(&w, &bytes).rule(), "named type");
}

#[test]
fn fields_in_another_order() {
    let (w, bytes) = write(
        r#"{"type":"record","name":"Small","namespace":"t","fields":[{"name":"name","type":"string"},{"name":"extra","type":"double"},{"name":"id","type":"int"}]}"#,
        rec(&[
            ("name", Value::String("n".into())),
            ("extra", Value::Double(1.0)),
            ("id", Value::Int(5)),
        ]),
    );
    assert_eq!(
        Small::from_avro_with_writer(&w, &bytes).unwrap(),
        Small {
            id: 5,
            name: "n".into()
        }
    );
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "t")]
pub struct Card {
    pub last4: String,
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "t")]
pub struct Cash {
    pub currency: String,
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "t")]
pub enum Method {
    Card(Card),
    Cash(Cash),
    Points(i64),
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "t")]
pub struct Pay {
    pub method: Method,
    pub fallback: Option<Method>,
}

#[test]
fn union_branches_match_by_name_and_promotion() {
    // Writer branches in another order, one of them promoted (int → the reader's long).
    let schema = r#"{"type":"record","name":"Pay","namespace":"t","fields":[
        {"name":"method","type":["int",{"type":"record","name":"Cash","fields":[{"name":"currency","type":"string"}]},{"type":"record","name":"Card","fields":[{"name":"last4","type":"string"}]}]},
        {"name":"fallback","type":["null","Cash","int"]}]}"#;
    let cash = rec(&[("currency", Value::String("EUR".into()))]);
    let (w, bytes) = write(
        schema,
        rec(&[
            ("method", Value::Union(1, Box::new(cash.clone()))),
            ("fallback", Value::Union(2, Box::new(Value::Int(7)))),
        ]),
    );
    let got = Pay::from_avro_with_writer(&w, &bytes).unwrap();
    assert_eq!(
        got,
        Pay {
            method: Method::Cash(Cash {
                currency: "EUR".into()
            }),
            fallback: Some(Method::Points(7))
        }
    );
    let (_, bytes) = write(
        schema,
        rec(&[
            ("method", Value::Union(0, Box::new(Value::Int(-3)))),
            ("fallback", Value::Union(0, Box::new(Value::Null))),
        ]),
    );
    assert_eq!(
        Pay::from_avro_with_writer(&w, &bytes).unwrap(),
        Pay {
            method: Method::Points(-3),
            fallback: None
        }
    );

    // A writer non-union read as a reader union branch.
    let (w2, bytes) = write(
        r#"{"type":"record","name":"Pay","namespace":"t","fields":[{"name":"method","type":{"type":"record","name":"Card","fields":[{"name":"last4","type":"string"}]}},{"name":"fallback","type":"int"}]}"#,
        rec(&[
            ("method", rec(&[("last4", Value::String("4242".into()))])),
            ("fallback", Value::Int(1)),
        ]),
    );
    assert_eq!(
        Pay::from_avro_with_writer(&w2, &bytes).unwrap(),
        Pay {
            method: Method::Card(Card {
                last4: "4242".into()
            }),
            fallback: Some(Method::Points(1))
        }
    );

    // A writer branch with no reader match fails when it is read, naming the field.
    let (w3, bytes) = write(
        r#"{"type":"record","name":"Pay","namespace":"t","fields":[{"name":"method","type":["boolean","long"]},{"name":"fallback","type":"null"}]}"#,
        rec(&[
            ("method", Value::Union(0, Box::new(Value::Boolean(true)))),
            ("fallback", Value::Null),
        ]),
    );
    let e = resolve_error::<Pay>(&w3, &bytes);
    assert_eq!((e.field(), e.rule()), ("method", "union branch"));
    // ... and the other branch still reads.
    let (_, ok) = write(
        r#"{"type":"record","name":"Pay","namespace":"t","fields":[{"name":"method","type":["boolean","long"]},{"name":"fallback","type":"null"}]}"#,
        rec(&[
            ("method", Value::Union(1, Box::new(Value::Long(5)))),
            ("fallback", Value::Null),
        ]),
    );
    assert_eq!(
        Pay::from_avro_with_writer(&w3, &ok).unwrap(),
        Pay {
            method: Method::Points(5),
            fallback: None
        }
    );
}

#[test]
fn writer_union_read_as_non_union() {
    let (w, bytes) = write(
        r#"{"type":"record","name":"Small","namespace":"t","fields":[{"name":"id","type":["null","int"]},{"name":"name","type":["string","null"]}]}"#,
        rec(&[
            ("id", Value::Union(1, Box::new(Value::Int(4)))),
            ("name", Value::Union(0, Box::new(Value::String("x".into())))),
        ]),
    );
    assert_eq!(
        Small::from_avro_with_writer(&w, &bytes).unwrap(),
        Small {
            id: 4,
            name: "x".into()
        }
    );
    let (_, null) = write(
        r#"{"type":"record","name":"Small","namespace":"t","fields":[{"name":"id","type":["null","int"]},{"name":"name","type":["string","null"]}]}"#,
        rec(&[
            ("id", Value::Union(0, Box::new(Value::Null))),
            ("name", Value::Union(0, Box::new(Value::String("x".into())))),
        ]),
    );
    let e = resolve_error::<Small>(&w, &null);
    assert_eq!((e.field(), e.rule()), ("id", "union branch"));
}

#[test]
fn fixed_sizes_must_agree() {
    let w = Schema::parse_str(r#"{"type":"fixed","name":"F","size":3}"#).unwrap();
    let r = Schema::parse_str(r#"{"type":"fixed","name":"F","size":4}"#).unwrap();
    assert_eq!(Resolver::new(&w, &r).unwrap_err().rule(), "fixed size");
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "t")]
pub struct Node {
    pub v: i64,
    pub next: Option<Box<Node>>,
}

#[test]
fn recursive_records_resolve_once() {
    let (w, bytes) = write(
        r#"{"type":"record","name":"Node","namespace":"t","fields":[{"name":"v","type":"int"},{"name":"next","type":["null","Node"]}]}"#,
        rec(&[
            ("v", Value::Int(1)),
            (
                "next",
                Value::Union(
                    1,
                    Box::new(rec(&[
                        ("v", Value::Int(2)),
                        ("next", Value::Union(0, Box::new(Value::Null))),
                    ])),
                ),
            ),
        ]),
    );
    assert_eq!(
        Node::from_avro_with_writer(&w, &bytes).unwrap(),
        Node {
            v: 1,
            next: Some(Box::new(Node { v: 2, next: None }))
        }
    );
}

#[test]
fn malformed_writer_bytes_are_decode_errors() {
    let (w, bytes) = write(WRITER, writer_value((2, "Red")));
    for n in 0..bytes.len() {
        match Rec::from_avro_with_writer(&w, &bytes[..n]) {
            Err(CodecError::AvroDecode(_)) => {}
            other => panic!("{n}: {other:?}"),
        }
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(matches!(
        Rec::from_avro_with_writer(&w, &longer),
        Err(CodecError::AvroDecode(_))
    ));
}
