//! Nested collections (issue 15): `Vec<Vec<T>>`, `Option<Vec<T>>`, `Option<map>`,
//! `Vec<Option<T>>`, lists of maps, maps of lists, maps and `Option`s, in every format.
//!
//! Avro and JSON express them natively; Protobuf through the wrapper messages of
//! `schema::proto` (`Int64List`, `StringMap`, `Int64Value`, ... declared in the enclosing
//! message, one field `value = 1`). Generated values (proptest, a fixed seed) are checked
//! against the reference implementations in one Python run per format: fastavro and Apache
//! avro read our Avro bytes and write the same bytes from the value; upb (python `protobuf`,
//! with our `.proto` compiled by protoc) reads our Protobuf bytes into the message that
//! `json_format.ParseDict` builds from the value, and its bytes for that message decode to the
//! value here; Python's jsonschema accepts serde's JSON against our JSON Schema.
// The Protobuf part of the derive emits an all-diverging `match` for field-less structs.
#![allow(unreachable_code)]

mod avro_support;
mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::Command;

use avro_support::write_avro_case;
use common::tools::{interop_dir, interop_python, protoc, run, scratch};
use common::upb::upb_reads_and_writes;
use kafka_model::model::{Model, Shape, Type};
use kafka_model::Record;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.nested")]
pub struct Item {
    pub sku: String,
    pub qty: i32,
}

/// Every nested shape, once with scalars and once with a record where it matters.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.nested")]
pub struct Nested {
    pub matrix: Vec<Vec<i64>>,
    pub grid: Vec<Vec<String>>,
    #[record(sint)]
    pub cube: Vec<Vec<Vec<i32>>>,
    pub blobs: Vec<Vec<Vec<u8>>>,
    pub baskets: Vec<Vec<Item>>,
    pub codes: Option<Vec<i32>>,
    pub attrs: Option<HashMap<String, String>>,
    pub picks: Option<Vec<Item>>,
    pub sparse: Vec<Option<i64>>,
    pub maybe_names: Vec<Option<String>>,
    pub maybe_items: Vec<Option<Item>>,
    pub maybe_blobs: Vec<Option<Vec<u8>>>,
    pub groups: BTreeMap<String, Vec<String>>,
    pub per_row: Vec<BTreeMap<String, f64>>,
    pub tables: BTreeMap<String, BTreeMap<String, i32>>,
    pub optional_counts: HashMap<String, Option<i64>>,
    pub lists_of_maybe: Option<Vec<Option<String>>>,
    pub deep: BTreeMap<String, Vec<Option<Vec<i64>>>>,
}

fn arb_key() -> impl Strategy<Value = String> {
    "[a-z]{0,4}"
}

fn arb_text() -> impl Strategy<Value = String> {
    "[a-zé ]{0,6}"
}

fn arb_item() -> impl Strategy<Value = Item> {
    (arb_text(), any::<i32>()).prop_map(|(sku, qty)| Item { sku, qty })
}

fn small_vec<T: std::fmt::Debug>(s: impl Strategy<Value = T>) -> impl Strategy<Value = Vec<T>> {
    proptest::collection::vec(s, 0..4)
}

fn arb_nested() -> impl Strategy<Value = Nested> {
    let a = (
        small_vec(small_vec(any::<i64>())),
        small_vec(small_vec(arb_text())),
        small_vec(small_vec(small_vec(any::<i32>()))),
        small_vec(small_vec(small_vec(any::<u8>()))),
        small_vec(small_vec(arb_item())),
        proptest::option::of(small_vec(any::<i32>())),
        proptest::option::of(proptest::collection::hash_map(arb_key(), arb_text(), 0..3)),
        proptest::option::of(small_vec(arb_item())),
    );
    let b = (
        small_vec(proptest::option::of(any::<i64>())),
        small_vec(proptest::option::of(arb_text())),
        small_vec(proptest::option::of(arb_item())),
        small_vec(proptest::option::of(small_vec(any::<u8>()))),
        proptest::collection::btree_map(arb_key(), small_vec(arb_text()), 0..3),
        small_vec(proptest::collection::btree_map(
            arb_key(),
            -1e12f64..1e12,
            0..3,
        )),
        proptest::collection::btree_map(
            arb_key(),
            proptest::collection::btree_map(arb_key(), any::<i32>(), 0..3),
            0..3,
        ),
        proptest::collection::hash_map(arb_key(), proptest::option::of(any::<i64>()), 0..3),
        proptest::option::of(small_vec(proptest::option::of(arb_text()))),
        proptest::collection::btree_map(
            arb_key(),
            small_vec(proptest::option::of(small_vec(any::<i64>()))),
            0..3,
        ),
    );
    (a, b).prop_map(
        |(
            (matrix, grid, cube, blobs, baskets, codes, attrs, picks),
            (
                sparse,
                maybe_names,
                maybe_items,
                maybe_blobs,
                groups,
                per_row,
                tables,
                optional_counts,
                lists_of_maybe,
                deep,
            ),
        )| Nested {
            matrix,
            grid,
            cube,
            blobs,
            baskets,
            codes,
            attrs,
            picks,
            sparse,
            maybe_names,
            maybe_items,
            maybe_blobs,
            groups,
            per_row,
            tables,
            optional_counts,
            lists_of_maybe,
            deep,
        },
    )
}

/// The corner values by hand: empty everything, `None`, `Some(empty)`, empty inner lists.
fn corners() -> Vec<Nested> {
    let empty = Nested {
        matrix: vec![],
        grid: vec![],
        cube: vec![],
        blobs: vec![],
        baskets: vec![],
        codes: None,
        attrs: None,
        picks: None,
        sparse: vec![],
        maybe_names: vec![],
        maybe_items: vec![],
        maybe_blobs: vec![],
        groups: BTreeMap::new(),
        per_row: vec![],
        tables: BTreeMap::new(),
        optional_counts: HashMap::new(),
        lists_of_maybe: None,
        deep: BTreeMap::new(),
    };
    let inner_empties = Nested {
        matrix: vec![vec![], vec![0], vec![]],
        grid: vec![vec![String::new()], vec![]],
        cube: vec![vec![], vec![vec![]], vec![vec![0, -1]]],
        blobs: vec![vec![], vec![vec![]]],
        baskets: vec![
            vec![],
            vec![Item {
                sku: String::new(),
                qty: 0,
            }],
        ],
        codes: Some(vec![]),
        attrs: Some(HashMap::new()),
        picks: Some(vec![]),
        sparse: vec![None, Some(0), None],
        maybe_names: vec![Some(String::new()), None],
        maybe_items: vec![
            None,
            Some(Item {
                sku: String::new(),
                qty: 0,
            }),
        ],
        maybe_blobs: vec![Some(vec![]), None],
        groups: BTreeMap::from([(String::new(), vec![])]),
        per_row: vec![BTreeMap::new(), BTreeMap::from([("z".into(), 0.0)])],
        tables: BTreeMap::from([("t".into(), BTreeMap::new())]),
        optional_counts: HashMap::from([("n".into(), None), ("z".into(), Some(0))]),
        lists_of_maybe: Some(vec![None]),
        deep: BTreeMap::from([("d".into(), vec![None, Some(vec![]), Some(vec![0])])]),
    };
    vec![empty, inner_empties]
}

/// The corners and 40 generated values (a fixed seed, so failures reproduce).
fn samples() -> Vec<Nested> {
    let mut runner = TestRunner::deterministic();
    let strategy = arb_nested();
    let mut out = corners();
    for _ in 0..40 {
        out.push(strategy.new_tree(&mut runner).unwrap().current());
    }
    out
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
#[record(namespace = "com.acme.nested")]
pub enum Level {
    Low,
    High,
}

/// Wrappers around enums, well-known messages and logical types.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.nested")]
pub struct Extras {
    pub levels: Vec<Vec<Level>>,
    pub maybe_levels: Vec<Option<Level>>,
    pub stamps: Vec<Option<chrono::DateTime<chrono::Utc>>>,
    pub ids: Option<Vec<uuid::Uuid>>,
    pub by_day: BTreeMap<String, Vec<chrono::NaiveDate>>,
    #[record(no_default)]
    pub strict: Option<Vec<i32>>,
    #[record(null_last)]
    pub last: Option<BTreeMap<String, i32>>,
}

fn arb_extras() -> impl Strategy<Value = Extras> {
    let level = prop_oneof![Just(Level::Low), Just(Level::High)];
    let stamp = (-2_000_000_000i64..4_000_000_000, 0u32..1_000_000)
        .prop_map(|(s, us)| chrono::DateTime::from_timestamp(s, us * 1000).expect("in range"));
    let day = (-100_000i64..100_000)
        .prop_map(|d| chrono::NaiveDate::from_num_days_from_ce_opt(719_163 + d as i32).unwrap());
    (
        small_vec(small_vec(level.clone())),
        small_vec(proptest::option::of(level)),
        small_vec(proptest::option::of(stamp)),
        proptest::option::of(small_vec(any::<u128>().prop_map(uuid::Uuid::from_u128))),
        proptest::collection::btree_map(arb_key(), small_vec(day), 0..3),
        proptest::option::of(small_vec(any::<i32>())),
        proptest::option::of(proptest::collection::btree_map(
            arb_key(),
            any::<i32>(),
            0..3,
        )),
    )
        .prop_map(
            |(levels, maybe_levels, stamps, ids, by_day, strict, last)| Extras {
                levels,
                maybe_levels,
                stamps,
                ids,
                by_day,
                strict,
                last,
            },
        )
}

fn extras_samples() -> Vec<Extras> {
    let mut runner = TestRunner::deterministic();
    let strategy = arb_extras();
    (0..24)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect()
}

// --- schemas ------------------------------------------------------------------------------------

#[test]
fn avro_expresses_nesting_natively() {
    let schema: Json = serde_json::from_str(Nested::schemas().avro().unwrap().json()).unwrap();
    let field = |name: &str| {
        schema["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("no field {name}"))
            .clone()
    };
    assert_eq!(
        field("matrix")["type"],
        json!({"type": "array", "items": {"type": "array", "items": "long"}})
    );
    assert_eq!(
        field("codes"),
        json!({"name": "codes", "type": ["null", {"type": "array", "items": "int"}], "default": null})
    );
    assert_eq!(
        field("attrs")["type"],
        json!(["null", {"type": "map", "values": "string"}])
    );
    assert_eq!(
        field("sparse")["type"],
        json!({"type": "array", "items": ["null", "long"]})
    );
    assert_eq!(
        field("optional_counts")["type"],
        json!({"type": "map", "values": ["null", "long"]})
    );
    assert_eq!(
        field("tables")["type"],
        json!({"type": "map", "values": {"type": "map", "values": "int"}})
    );
    assert_eq!(
        field("per_row")["type"],
        json!({"type": "array", "items": {"type": "map", "values": "double"}})
    );
}

#[test]
fn protobuf_declares_wrapper_messages_in_the_enclosing_message() {
    let schema = Nested::schemas().proto().unwrap();
    let text = &schema.main().text;
    println!("{text}");
    for line in [
        "  message Int64List {\n    repeated int64 value = 1;\n  }",
        "  message Sint32ListList {\n    repeated Sint32List value = 1;\n  }",
        "  message ItemValue {\n    Item value = 1;\n  }",
        "  message Int64Value {\n    optional int64 value = 1;\n  }",
        "  message StringMap {\n    map<string, string> value = 1;\n  }",
        "  message Int32Map {\n    map<string, int32> value = 1;\n  }",
        "  repeated Int64List matrix = 1;",
        "  repeated Sint32ListList cube = 3;",
        "  repeated bytes value = 1;",
        "  Int32List codes = 6;",
        "  StringMap attrs = 7;",
        "  repeated Int64Value sparse = 9;",
        "  map<string, StringList> groups = 13;",
        "  repeated DoubleMap per_row = 14;",
        "  map<string, Int32Map> tables = 15;",
        "  map<string, Int64Value> optional_counts = 16;",
        "  StringValueList lists_of_maybe = 17;",
        "  map<string, Int64ListValueList> deep = 18;",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    // One declaration per shape: `Int64List` serves `matrix` and `deep`.
    assert_eq!(text.matches("message Int64List {").count(), 1, "{text}");
}

#[test]
fn protobuf_wrappers_compile_with_protoc() {
    let Some(protoc) = protoc() else {
        return;
    };
    let dir = scratch("nested_collections_protoc");
    let schema = Nested::schemas().proto().unwrap();
    write_proto(&dir, schema);
    let out = Command::new(protoc)
        .arg(format!("-I{}", dir.display()))
        .arg(format!(
            "--descriptor_set_out={}",
            dir.join("set.pb").display()
        ))
        .args(schema.files().iter().map(|f| f.name.clone()))
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "protoc: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        schema.main().text
    );
}

fn write_proto(dir: &Path, schema: &kafka_model::schema::Proto) {
    for f in schema.files() {
        let path = dir.join(&f.name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &f.text).unwrap();
    }
}

// --- codecs ---------------------------------------------------------------------------------

/// `None`, `Some(empty)` and empty inner collections survive every format that can tell them
/// apart (all three can: Avro unions, Protobuf message presence, JSON `null` vs `[]`).
#[test]
fn none_and_empty_are_distinguished() {
    let [empty, inner] = <[Nested; 2]>::try_from(corners()).unwrap();
    assert_ne!(empty.to_protobuf().unwrap(), inner.to_protobuf().unwrap());
    for v in [&empty, &inner] {
        assert_eq!(&Nested::from_avro(&v.to_avro().unwrap()).unwrap(), v);
        assert_eq!(
            &Nested::from_protobuf(&v.to_protobuf().unwrap()).unwrap(),
            v
        );
        assert_eq!(&Nested::loads(&v.dumps().unwrap()).unwrap(), v);
    }
    // `Some(vec![])` is an empty wrapper message on the wire: key 6, length 0.
    let only_codes = Nested {
        codes: Some(vec![]),
        ..empty.clone()
    };
    assert_eq!(only_codes.to_protobuf().unwrap(), [6 << 3 | 2, 0]);
    // `vec![None]` is one empty `Int64Value`; `vec![Some(0)]` one holding a written zero.
    let sparse = |s: Vec<Option<i64>>| {
        Nested {
            sparse: s,
            ..empty.clone()
        }
        .to_protobuf()
        .unwrap()
    };
    assert_eq!(sparse(vec![None]), [9 << 3 | 2, 0]);
    assert_eq!(sparse(vec![Some(0)]), [9 << 3 | 2, 2, 1 << 3, 0]);
}

/// A second occurrence of an `Option<Vec>` field merges into the first (a wrapper is a
/// message), as protobuf runtimes do; a second element of a list of lists is a new element.
#[test]
fn protobuf_wrappers_merge_like_messages() {
    // codes = [1] then codes = [2]: one list [1, 2].
    let bytes = [6 << 3 | 2, 3, 1 << 3 | 2, 1, 1, 6 << 3 | 2, 2, 1 << 3, 2];
    let v = Nested::from_protobuf(&bytes).unwrap();
    assert_eq!(v.codes, Some(vec![1, 2]));
    // matrix = [[1]] then [[2]]: two rows.
    let bytes = [1 << 3 | 2, 2, 1 << 3, 1, 1 << 3 | 2, 2, 1 << 3, 2];
    let v = Nested::from_protobuf(&bytes).unwrap();
    assert_eq!(v.matrix, vec![vec![1], vec![2]]);
}

/// Truncations and wrong wire types inside wrappers are typed errors, never panics.
#[test]
fn bad_wrappers_are_errors() {
    let v = &corners()[1];
    let bytes = v.to_protobuf().unwrap();
    for n in 0..bytes.len() {
        // A cut inside a length-delimited wrapper is an error; a cut between fields may be a
        // valid shorter message. Either way no panic.
        let _ = Nested::from_protobuf(&bytes[..n]);
    }
    // A wrapper's length running past the message.
    assert!(Nested::from_protobuf(&[6 << 3 | 2, 5, 1 << 3, 1]).is_err());
    // A varint where the list wrapper's length-delimited value belongs.
    assert!(Nested::from_protobuf(&[1 << 3, 1]).is_err());
    // Inside a wrapper, field 1 with the wrong wire type.
    assert!(Nested::from_protobuf(&[1 << 3 | 2, 2, 1 << 3 | 5, 0]).is_err());
    let avro = v.to_avro().unwrap();
    for n in 0..avro.len() {
        assert!(Nested::from_avro(&avro[..n]).is_err(), "cut at {n}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_codec_round_trips(v in arb_nested()) {
        prop_assert_eq!(&Nested::from_avro(&v.to_avro().unwrap()).unwrap(), &v);
        let proto = v.to_protobuf().unwrap();
        prop_assert_eq!(&Nested::from_protobuf(&proto).unwrap(), &v);
        // prost's length and our encoder agree.
        prop_assert_eq!(prost::Message::encoded_len(&v), proto.len());
        prop_assert_eq!(&Nested::loads(&v.dumps().unwrap()).unwrap(), &v);
    }

    #[test]
    fn arbitrary_bytes_are_errors_or_values(bytes in proptest::collection::vec(any::<u8>(), 0..96)) {
        let _ = Nested::from_avro(&bytes);
        let _ = Nested::from_protobuf(&bytes);
    }

    #[test]
    fn mutated_payloads_are_errors_or_values(v in arb_nested(), at in any::<prop::sample::Index>(), to in any::<u8>()) {
        for mut bytes in [v.to_avro().unwrap(), v.to_protobuf().unwrap()] {
            if bytes.is_empty() {
                continue;
            }
            let i = at.index(bytes.len());
            bytes[i] = to;
            let _ = Nested::from_avro(&bytes);
            let _ = Nested::from_protobuf(&bytes);
        }
    }
}

// --- the reference implementations --------------------------------------------------------------

/// fastavro and Apache avro read our bytes as the value and write the same bytes from it.
#[test]
fn avro_references_agree() {
    let Some(python) = interop_python() else {
        return;
    };
    let dir = scratch("nested_collections_avro");
    let n = write_avro_cases(&dir, "nested", &samples())
        + write_avro_cases(&dir, "extras", &extras_samples());
    let out = run(Command::new(python)
        .arg(interop_dir().join("check_vectors.py"))
        .arg(&dir));
    assert!(out.contains(&format!("{n} passed, 0 failed")), "{out}");
}

/// One case folder per sample in the vector format (`interop/README.md`), raw Avro.
fn write_avro_cases<T: Record>(dir: &Path, prefix: &str, samples: &[T]) -> usize {
    for (i, v) in samples.iter().enumerate() {
        write_avro_case(dir, &format!("{prefix}{i:02}"), v);
    }
    samples.len()
}

/// upb reads our bytes as the message `json_format.ParseDict` builds from the value (no
/// unknown fields: the messages compare equal), and its bytes for that message are the value.
#[test]
fn protobuf_reference_agrees() {
    upb_agrees(&samples(), "nested");
    upb_agrees(&extras_samples(), "extras");
}

fn upb_agrees<T: Record + Serialize + PartialEq + std::fmt::Debug>(samples: &[T], name: &str) {
    let model: fn() -> &'static Model = T::model;
    let cases: Vec<(Vec<u8>, Json)> = samples
        .iter()
        .map(|v| {
            let value = serde_json::to_value(v).unwrap();
            let value = proto_json(&Type::Named(model), &value, false);
            (v.to_protobuf().unwrap(), value)
        })
        .collect();
    let Some(theirs) = upb_reads_and_writes(
        &format!("nested_collections_upb_{name}"),
        T::schemas().proto().unwrap(),
        T::model().name,
        &cases,
    ) else {
        return;
    };
    for (i, (v, t)) in samples.iter().zip(&theirs).enumerate() {
        assert_eq!(&T::from_protobuf(t).unwrap(), v, "{name} case {i}");
    }
}

/// Python's jsonschema accepts serde's JSON of every sample against our JSON Schema.
#[test]
fn json_schema_accepts_serde_json() {
    let Some(python) = interop_python() else {
        return;
    };
    let samples = samples();
    let values: Vec<Json> = samples
        .iter()
        .map(|v| serde_json::from_slice(&v.dumps().unwrap()).unwrap())
        .collect();
    let extras: Vec<Json> = extras_samples()
        .iter()
        .map(|v| serde_json::from_slice(&v.dumps().unwrap()).unwrap())
        .collect();
    let path = scratch("nested_collections_json").join("cases.json");
    let doc = json!({"schema": Nested::schemas().json().unwrap().value(), "values": values,
                     "extras_schema": Extras::schemas().json().unwrap().value(), "extras": extras});
    std::fs::write(&path, serde_json::to_vec(&doc).unwrap()).unwrap();
    let script = "import json, sys, jsonschema\n\
                  doc = json.load(open(sys.argv[1]))\n\
                  jsonschema.Draft7Validator.check_schema(doc['schema'])\n\
                  v = jsonschema.Draft7Validator(doc['schema'])\n\
                  for value in doc['values']:\n\
                  \x20   v.validate(value)\n\
                  # and the schema is not vacuous: a list where a list of lists belongs fails\n\
                  bad = dict(doc['values'][1], matrix=[1])\n\
                  assert not v.is_valid(bad)\n\
                  bad = dict(doc['values'][1], sparse=['x'])\n\
                  assert not v.is_valid(bad)\n\
                  e = jsonschema.Draft7Validator(doc['extras_schema'])\n\
                  for value in doc['extras']:\n\
                  \x20   e.validate(value)\n\
                  assert not e.is_valid(dict(doc['extras'][0], maybe_levels=['Middle']))\n\
                  print('valid', len(doc['values']), len(doc['extras']))\n";
    let out = run(Command::new(python).arg("-c").arg(script).arg(&path));
    assert!(
        out.contains(&format!("valid {} 24", samples.len())),
        "{out}"
    );
}

/// The value in protobuf's JSON mapping under the wrapper convention, from serde's JSON and
/// the model: a list, map or `Option` in nested position is `{"value": ...}` (`{}` for `None`).
fn proto_json(ty: &Type, v: &Json, nested: bool) -> Json {
    let wrap = |inner: Json| {
        if nested {
            json!({ "value": inner })
        } else {
            inner
        }
    };
    match ty {
        Type::Option(inner) => match (v, nested) {
            (Json::Null, true) => json!({}),
            (Json::Null, false) => Json::Null,
            (v, _) => wrap(proto_json(inner, v, true)),
        },
        Type::List(inner) => wrap(Json::Array(
            v.as_array()
                .unwrap()
                .iter()
                .map(|x| proto_json(inner, x, true))
                .collect(),
        )),
        Type::Map(inner) => wrap(Json::Object(
            v.as_object()
                .unwrap()
                .iter()
                .map(|(k, x)| (k.clone(), proto_json(inner, x, true)))
                .collect(),
        )),
        Type::Bytes => {
            use base64::Engine as _;
            let bytes: Vec<u8> = serde_json::from_value(v.clone()).unwrap();
            json!(base64::engine::general_purpose::STANDARD.encode(bytes))
        }
        // int32 days since 1970-01-01
        Type::Date => {
            let d: chrono::NaiveDate = serde_json::from_value(v.clone()).unwrap();
            json!((d - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days())
        }
        Type::Named(model) => match model().shape {
            // ParseDict takes enum numbers; serde writes the symbol.
            Shape::Enum(symbols) => {
                let s = symbols.iter().find(|s| v == s.name).expect("a symbol");
                json!(s.tag)
            }
            _ => record_json(model(), v),
        },
        _ => v.clone(),
    }
}

fn record_json(m: &'static Model, v: &Json) -> Json {
    let Shape::Record(fields) = m.shape else {
        panic!("{} is not a record", m.name)
    };
    let mut out = serde_json::Map::new();
    for f in fields {
        let x = proto_json(&f.ty, &v[f.name], false);
        if !x.is_null() {
            out.insert(f.name.to_string(), x);
        }
    }
    Json::Object(out)
}

/// The registry's Protobuf compatibility checker compiles the wrapper messages: the schema
/// against itself has no differences, and a wrapper changing shape is one.
#[test]
fn compat_checker_reads_the_wrappers() {
    use kafka_model::compat::protobuf::{diff, ProtoSource};
    let text = &Nested::schemas().proto().unwrap().main().text;
    let ours = ProtoSource::new(text.clone());
    assert_eq!(diff(&ours, &ours).unwrap(), vec![]);
    let changed = ProtoSource::new(text.replace(
        "message Int64List {\n    repeated int64 value = 1;",
        "message Int64List {\n    repeated sint64 value = 1;",
    ));
    let found: Vec<String> = diff(&ours, &changed)
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        found.contains(&"FIELD_SCALAR_KIND_CHANGED #/Nested/Int64List/1".to_string()),
        "{found:?}"
    );
}

/// Enums, `Timestamp`s and logical types inside wrappers; `no_default` / `null_last` on
/// `Option<Vec>` / `Option<map>` choose the Avro union as for any `Option`.
#[test]
fn wrappers_of_enums_timestamps_and_option_unions() {
    let avro: Json = serde_json::from_str(Extras::schemas().avro().unwrap().json()).unwrap();
    let fields = avro["fields"].as_array().unwrap();
    assert_eq!(
        fields[5],
        json!({"name": "strict", "type": ["null", {"type": "array", "items": "int"}]})
    );
    assert_eq!(
        fields[6],
        json!({"name": "last", "type": [{"type": "map", "values": "int"}, "null"]})
    );
    let proto = Extras::schemas().proto().unwrap();
    let text = &proto.main().text;
    for line in [
        "  message LevelList {\n    repeated Level value = 1;\n  }",
        "  message LevelValue {\n    optional Level value = 1;\n  }",
        "  message TimestampValue {\n    google.protobuf.Timestamp value = 1;\n  }",
        "  repeated TimestampValue stamps = 3;",
        "  StringList ids = 4; // UUID",
        "  map<string, Int32List> by_day = 5; // days since 1970-01-01",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    assert!(text.contains("import \"google/protobuf/timestamp.proto\";"));
    for v in extras_samples() {
        assert_eq!(Extras::from_avro(&v.to_avro().unwrap()).unwrap(), v);
        assert_eq!(Extras::from_protobuf(&v.to_protobuf().unwrap()).unwrap(), v);
        assert_eq!(Extras::loads(&v.dumps().unwrap()).unwrap(), v);
    }
}

/// `encode_value` of a list or map is its wrapper message (`Vec<u8>`: bytes), as written in
/// nested position, without the key.
#[test]
fn single_value_forms_are_the_wrappers() {
    use kafka_model::protobuf::{IntEncoding, ProtoField};
    fn check<T: ProtoField>(v: &T, expected: &[u8]) {
        let mut value = Vec::new();
        v.encode_value(IntEncoding::Varint, &mut value);
        let mut nested = Vec::new();
        v.nested_encode(1, IntEncoding::Varint, &mut nested);
        assert_eq!(value, expected);
        assert_eq!(nested[1..], value[..]);
        assert_eq!(v.value_len(IntEncoding::Varint), value.len());
        assert_eq!(v.nested_len(1, IntEncoding::Varint), nested.len());
    }
    // Int64List { value: [1, 300] }: length 5: key of field 1, packed length 3, 1, 300
    check(&vec![1i64, 300], &[5, 0x0a, 3, 1, 0xac, 0x02]);
    check(&Vec::<i64>::new(), &[0]);
    check(&vec![7u8, 8], &[2, 7, 8]);
    // BoolMap { value: {"a": true} }: one entry (key "a", value true)
    check(
        &BTreeMap::from([("a".to_string(), true)]),
        &[7, 0x0a, 5, 0x0a, 1, b'a', 0x10, 1],
    );
}

/// A recursive type through a list of lists.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.nested")]
pub struct Forest {
    pub label: String,
    pub rows: Vec<Vec<Forest>>,
}

/// Recursion through wrappers round-trips, and deep nesting ends in a typed error (wrapper
/// levels count against the recursion limit), not a stack overflow.
#[test]
fn recursion_through_wrappers() {
    let leaf = |s: &str| Forest {
        label: s.into(),
        rows: vec![],
    };
    let v = Forest {
        label: "root".into(),
        rows: vec![vec![leaf("a"), leaf("b")], vec![], vec![leaf("")]],
    };
    assert_eq!(Forest::from_avro(&v.to_avro().unwrap()).unwrap(), v);
    assert_eq!(Forest::from_protobuf(&v.to_protobuf().unwrap()).unwrap(), v);
    assert!(Forest::schemas()
        .proto()
        .unwrap()
        .main()
        .text
        .contains("repeated ForestList rows = 2;"));
    // 200 levels of row → forest → row ... (each level: a wrapper and a message).
    let mut deep = Forest {
        label: String::new(),
        rows: vec![],
    };
    for _ in 0..200 {
        deep = Forest {
            label: String::new(),
            rows: vec![vec![deep]],
        };
    }
    let bytes = deep.to_protobuf().unwrap();
    let err = Forest::from_protobuf(&bytes).unwrap_err().to_string();
    assert!(err.contains("recursion") || err.contains("deep"), "{err}");
    let avro = deep.to_avro().unwrap();
    assert!(Forest::from_avro(&avro).is_err());
}
