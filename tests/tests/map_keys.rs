//! Maps with integer and bool keys (`HashMap<i32, V>`, `BTreeMap<bool, V>`, ...) and
//! order-preserving `IndexMap`s: the schemas, the codecs, typed errors on bad keys, and the
//! reference implementations (upb, fastavro, jsonschema) reading what we write and we reading
//! what they write.

use std::collections::{BTreeMap, HashMap};
use std::process::Command;

use indexmap::IndexMap;
use kafka_model::Record;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

mod common;
use common::tools::{interop_python, run, scratch};

#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone, Default)]
#[record(namespace = "kafka_model.tests.keys")]
struct Part {
    qty: i32,
    label: String,
}

/// Every key type, each key encoding, values of several kinds.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone, Default)]
#[record(namespace = "kafka_model.tests.keys")]
struct Keyed {
    by_i8: BTreeMap<i8, String>,
    by_i16: BTreeMap<i16, i64>,
    by_i32: BTreeMap<i32, Part>,
    by_i64: BTreeMap<i64, f64>,
    by_u8: BTreeMap<u8, bool>,
    by_u16: BTreeMap<u16, Vec<u8>>,
    by_u32: HashMap<u32, u32>,
    by_u64: BTreeMap<u64, String>,
    by_flag: BTreeMap<bool, i32>,
    /// `map<sint32, double>`: `sint` applies to the key.
    #[record(sint)]
    zigzag32: BTreeMap<i32, f64>,
    /// `map<sint64, sint64>`: to an integer key and an integer value alike.
    #[record(sint)]
    zigzag64: BTreeMap<i64, i64>,
    #[record(fixed)]
    fixed32: BTreeMap<u32, String>,
    #[record(fixed)]
    sfixed64: BTreeMap<i64, String>,
    by_name: HashMap<String, u64>,
    ordered: IndexMap<i32, String>,
}

fn sample() -> Keyed {
    Keyed {
        by_i8: BTreeMap::from([
            (i8::MIN, "min".into()),
            (0, String::new()),
            (i8::MAX, "max".into()),
        ]),
        by_i32: BTreeMap::from([
            (
                -1,
                Part {
                    qty: 3,
                    label: "x".into(),
                },
            ),
            (0, Part::default()),
        ]),
        by_u64: BTreeMap::from([(u64::MAX, "max".into()), (0, "zero".into())]),
        by_flag: BTreeMap::from([(true, 1), (false, 0)]),
        zigzag32: BTreeMap::from([(-5, 0.25), (52, -1.5)]),
        zigzag64: BTreeMap::from([(i64::MIN, i64::MAX), (-1, -1)]),
        fixed32: BTreeMap::from([(u32::MAX, "f".into())]),
        sfixed64: BTreeMap::from([(-2, "s".into())]),
        ordered: IndexMap::from([
            (9, "nine".into()),
            (-3, "minus three".into()),
            (0, "zero".into()),
        ]),
        ..Keyed::default()
    }
}

#[test]
fn protobuf_declares_the_key_types() {
    let schema = Keyed::schemas().proto().expect("schema");
    let text = &schema.main().text;
    for line in [
        "map<int32, string> by_i8 = 1;",
        "map<int32, int64> by_i16 = 2;",
        "map<int32, Part> by_i32 = 3;",
        "map<int64, double> by_i64 = 4;",
        "map<uint32, bool> by_u8 = 5;",
        "map<uint32, bytes> by_u16 = 6;",
        "map<uint32, uint32> by_u32 = 7;",
        "map<uint64, string> by_u64 = 8;",
        "map<bool, int32> by_flag = 9;",
        "map<sint32, double> zigzag32 = 10;",
        "map<sint64, sint64> zigzag64 = 11;",
        "map<fixed32, string> fixed32 = 12;",
        "map<sfixed64, string> sfixed64 = 13;",
        "map<string, uint64> by_name = 14;",
        "map<int32, string> ordered = 15;",
    ] {
        assert!(text.contains(line), "missing `{line}` in\n{text}");
    }
}

#[test]
fn avro_and_json_schema_have_string_keys() {
    let avro: Value =
        serde_json::from_str(Keyed::schemas().avro().expect("avro").json()).expect("json");
    let field = |name: &str| {
        avro["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("{name}"))["type"]
            .clone()
    };
    assert_eq!(field("by_u64"), json!({"type": "map", "values": "string"}));
    assert_eq!(field("by_flag"), json!({"type": "map", "values": "int"}));
    let schema = Keyed::schemas().json().expect("json schema");
    let props = &schema.value()["properties"];
    assert_eq!(
        props["by_flag"]["propertyNames"],
        json!({"pattern": "^(true|false)$"})
    );
    assert_eq!(
        props["by_i8"]["propertyNames"],
        json!({"pattern": "^-?(0|[1-9][0-9]{0,2})$"})
    );
    assert_eq!(
        props["by_u64"]["propertyNames"],
        json!({"pattern": "^(0|[1-9][0-9]{0,19})$"})
    );
    // String keys need no pattern.
    assert!(
        props["by_name"].get("propertyNames").is_none(),
        "{}",
        props["by_name"]
    );
}

#[test]
fn keys_are_decimal_text_in_avro_and_json() {
    let v = Keyed {
        by_flag: BTreeMap::from([(true, 7)]),
        ..Keyed::default()
    };
    let json: Value = serde_json::from_slice(&v.dumps().expect("json")).expect("json");
    assert_eq!(json["by_flag"], json!({"true": 7}));
    let v = sample();
    let json: Value = serde_json::from_slice(&v.dumps().expect("json")).expect("json");
    assert_eq!(json["by_u64"]["18446744073709551615"], json!("max"));
    assert_eq!(json["by_i8"]["-128"], json!("min"));
    // Avro: the key is a string of its decimal text.
    let one = Keyed {
        by_i16: BTreeMap::from([(-300, 1)]),
        ..Keyed::default()
    };
    let bytes = one.to_avro().expect("avro");
    // by_i8: empty map (0); by_i16: one entry, key "-300" (length 4 → zigzag 8), value 1 (2), end.
    assert_eq!(&bytes[..10], &[0, 2, 8, b'-', b'3', b'0', b'0', 2, 0, 0]);
    let avro = v.to_avro().expect("avro");
    let back = Keyed::from_avro(&avro).expect("avro");
    assert_eq!(back, v);
    // Equal maps, equal bytes (a `HashMap` is written in key order).
    assert_eq!(back.to_avro().expect("avro"), avro);
    let proto = v.to_protobuf().expect("protobuf");
    let back = Keyed::from_protobuf(&proto).expect("protobuf");
    assert_eq!(back, v);
    assert_eq!(back.to_protobuf().expect("protobuf"), proto);
    assert_eq!(Keyed::loads(&v.dumps().expect("json")).expect("json"), v);
}

/// One Avro datum of `Keyed` with every map empty but the one at `index`, whose entries are
/// given raw (key text, value bytes).
fn avro_with(index: usize, entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..15 {
        if i == index {
            out.push((entries.len() as u8) * 2);
            for (k, v) in entries {
                out.push((k.len() as u8) * 2);
                out.extend_from_slice(k.as_bytes());
                out.extend_from_slice(v);
            }
        }
        out.push(0);
    }
    out
}

#[test]
fn bad_avro_keys_are_typed_errors() {
    use kafka_model::avro::DecodeErrorKind;
    // by_u8 (index 4), value bool.
    let good = avro_with(4, &[("255", &[1]), ("0", &[0])]);
    let read = Keyed::from_avro(&good).expect("decodes");
    assert_eq!(read.by_u8, BTreeMap::from([(0, false), (255, true)]));
    for bad in ["256", "-1", "+1", "", "1.0", " 1", "0x1", "01", "-0"] {
        let err = kafka_model::avro::decode::<Keyed>(&avro_with(4, &[(bad, &[1])])).expect_err(bad);
        let DecodeErrorKind::InvalidValue { expected, found } = err.kind() else {
            panic!("{bad}: {err:?}");
        };
        assert!(expected.contains("u8"), "{expected}");
        assert_eq!(*found, format!("{bad:?}"));
        assert_eq!(err.offset(), 5, "{bad}: the key's offset");
    }
    // by_flag (index 8), value int.
    let err =
        kafka_model::avro::decode::<Keyed>(&avro_with(8, &[("True", &[2])])).expect_err("True");
    assert!(
        matches!(err.kind(), DecodeErrorKind::InvalidValue { .. }),
        "{err:?}"
    );
}

#[test]
fn bad_protobuf_keys_are_typed_errors() {
    use kafka_model::protobuf::ErrorKind;
    // by_i8 = 1: an entry whose key (field 1, varint) is 300.
    let err = kafka_model::protobuf::decode::<Keyed>(&[0x0a, 0x05, 0x08, 0xac, 0x02, 0x12, 0x00])
        .expect_err("300");
    assert!(
        matches!(err.kind(), ErrorKind::OutOfRange { value: 300, .. }),
        "{err:?}"
    );
    assert_eq!(err.path(), "by_i8");
    // by_flag = 9: a key with the wrong wire type (length-delimited).
    let err = kafka_model::protobuf::decode::<Keyed>(&[0x4a, 0x04, 0x0a, 0x00, 0x10, 0x01])
        .expect_err("wire type");
    assert!(matches!(err.kind(), ErrorKind::WireType { .. }), "{err:?}");
    // fixed32 = 12: a fixed32 key cut short.
    let err =
        kafka_model::protobuf::decode::<Keyed>(&[0x62, 0x03, 0x0d, 0x01, 0x02]).expect_err("short");
    assert!(err.offset().is_some(), "{err:?}");
    // A missing key is the default key, as in every runtime.
    let v = Keyed::from_protobuf(&[0x4a, 0x02, 0x10, 0x05]).expect("no key");
    assert_eq!(v.by_flag, BTreeMap::from([(false, 5)]));
}

// ---- order-preserving maps ----------------------------------------------------------------------

#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "kafka_model.tests.keys")]
struct Ordered {
    names: IndexMap<String, i32>,
    codes: IndexMap<u64, String>,
}

#[test]
fn index_maps_keep_insertion_order_in_every_format() {
    let v = Ordered {
        names: IndexMap::from([("zeta".into(), 1), ("alpha".into(), 2), ("".into(), 3)]),
        codes: IndexMap::from([
            (7, "seven".into()),
            (u64::MAX, "max".into()),
            (0, "zero".into()),
        ]),
    };
    let keys = |v: &Ordered| -> (Vec<String>, Vec<u64>) {
        (
            v.names.keys().cloned().collect(),
            v.codes.keys().copied().collect(),
        )
    };
    let avro = v.to_avro().expect("avro");
    let proto = v.to_protobuf().expect("protobuf");
    let json = v.dumps().expect("json");
    // Written in insertion order: "zeta" before "alpha".
    let at = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    for bytes in [&avro, &proto, &json] {
        assert!(at(bytes, b"zeta") < at(bytes, b"alpha"), "{bytes:?}");
    }
    // Read back in the order written, so they re-encode byte-for-byte.
    let from_avro = Ordered::from_avro(&avro).expect("avro");
    let from_proto = Ordered::from_protobuf(&proto).expect("protobuf");
    let from_json = Ordered::loads(&json).expect("json");
    for back in [&from_avro, &from_proto, &from_json] {
        assert_eq!(keys(back), keys(&v));
    }
    assert_eq!(from_avro.to_avro().expect("avro"), avro);
    assert_eq!(from_proto.to_protobuf().expect("protobuf"), proto);
    assert_eq!(from_json.dumps().expect("json"), json);
}

/// A payload whose entries are not in key order (as another writer may send them) round-trips
/// byte-for-byte through an `IndexMap`; a `BTreeMap` would reorder them.
#[test]
fn unsorted_payloads_round_trip_byte_for_byte() {
    // codes = 2: entries 9 → "a", 1 → "b" (descending keys).
    let proto = [
        0x12, 0x05, 0x08, 0x09, 0x12, 0x01, b'a', 0x12, 0x05, 0x08, 0x01, 0x12, 0x01, b'b',
    ];
    let v = Ordered::from_protobuf(&proto).expect("decodes");
    assert_eq!(v.codes.keys().copied().collect::<Vec<_>>(), [9, 1]);
    assert_eq!(v.to_protobuf().expect("encodes"), proto);
    // Avro: names = {"b": 1, "a": 2} in one block, codes empty.
    let avro = [0x04, 0x02, b'b', 0x02, 0x02, b'a', 0x04, 0x00, 0x00];
    let v = Ordered::from_avro(&avro).expect("decodes");
    assert_eq!(v.names.keys().collect::<Vec<_>>(), ["b", "a"]);
    assert_eq!(v.to_avro().expect("encodes"), avro);
}

// ---- the reference implementations, on generated values -----------------------------------------

fn arb_keyed() -> impl Strategy<Value = Keyed> {
    use proptest::collection::{btree_map, hash_map, vec};
    let finite = any::<f64>().prop_filter("finite", |f| f.is_finite());
    let part = (any::<i32>(), "[a-z]{0,3}").prop_map(|(qty, label)| Part { qty, label });
    let text = ".{0,4}";
    (
        (
            btree_map(any::<i8>(), text, 0..3),
            btree_map(any::<i16>(), any::<i64>(), 0..3),
            btree_map(any::<i32>(), part, 0..3),
            btree_map(any::<i64>(), finite.clone(), 0..3),
            btree_map(any::<u8>(), any::<bool>(), 0..3),
            btree_map(any::<u16>(), vec(any::<u8>(), 0..4), 0..3),
            hash_map(any::<u32>(), any::<u32>(), 0..3),
            btree_map(any::<u64>(), text, 0..3),
        ),
        (
            btree_map(any::<bool>(), any::<i32>(), 0..3),
            btree_map(any::<i32>(), finite, 0..3),
            btree_map(any::<i64>(), any::<i64>(), 0..3),
            btree_map(any::<u32>(), text, 0..3),
            btree_map(any::<i64>(), text, 0..3),
            // Avro has no unsigned long: values above i64::MAX are an encode error there.
            hash_map(text, 0..=i64::MAX as u64, 0..3),
            vec((any::<i32>(), text), 0..4),
        ),
    )
        .prop_map(|((a, b, c, d, e, f, g, h), (i, j, k, l, m, n, o))| Keyed {
            by_i8: a,
            by_i16: b,
            by_i32: c,
            by_i64: d,
            by_u8: e,
            by_u16: f,
            by_u32: g,
            by_u64: h,
            by_flag: i,
            zigzag32: j,
            zigzag64: k,
            fixed32: l,
            sfixed64: m,
            by_name: n,
            ordered: o.into_iter().collect(),
        })
}

/// upb reads our Protobuf bytes and fastavro our Avro bytes as serde's value; jsonschema accepts
/// serde's JSON; we read the bytes upb and fastavro write back as the same value.
#[test]
fn reference_implementations_agree_on_generated_maps() {
    let Some(python) = interop_python() else {
        return;
    };
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let values: Vec<Keyed> = (0..64)
        .map(|_| arb_keyed().new_tree(&mut runner).expect("value").current())
        .collect();
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let cases: Vec<Value> = values
        .iter()
        .map(|v| {
            json!({
                "proto": hex(&v.to_protobuf().expect("protobuf")),
                "avro": hex(&v.to_avro().expect("avro")),
                "json": serde_json::from_slice::<Value>(&v.dumps().expect("json")).expect("json"),
            })
        })
        .collect();
    assert!(values
        .iter()
        .any(|v| v.by_u64.len() > 1 && v.by_flag.len() > 1));
    let dir = scratch("map_keys_reference");
    let schema = Keyed::schemas().proto().expect("proto");
    std::fs::write(dir.join("schema.proto"), &schema.main().text).expect("write");
    std::fs::write(dir.join("message.txt"), schema.message_name()).expect("write");
    std::fs::write(
        dir.join("schema.avsc"),
        Keyed::schemas().avro().expect("avro").json(),
    )
    .expect("write");
    std::fs::write(
        dir.join("schema.json"),
        serde_json::to_vec(Keyed::schemas().json().expect("json schema").value()).expect("json"),
    )
    .expect("write");
    std::fs::write(
        dir.join("cases.json"),
        serde_json::to_vec(&cases).expect("json"),
    )
    .expect("write");
    let script = common::tools::workspace_root().join("tests/py/map_keys.py");
    let out = run(Command::new(python).arg(script).arg(&dir));
    assert!(
        out.contains(&format!("{} passed, 0 failed", values.len())),
        "{out}"
    );
    let theirs: Vec<Value> =
        serde_json::from_slice(&std::fs::read(dir.join("out.json")).expect("out")).expect("json");
    assert_eq!(theirs.len(), values.len());
    let unhex = |s: &Value| -> Vec<u8> {
        let s = s.as_str().expect("hex");
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
            .collect()
    };
    for (v, t) in values.iter().zip(&theirs) {
        assert_eq!(
            &Keyed::from_protobuf(&unhex(&t["proto"])).expect("upb's bytes"),
            v
        );
        assert_eq!(
            &Keyed::from_avro(&unhex(&t["avro"])).expect("fastavro's bytes"),
            v
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Every codec reads back what it writes, and writes equal maps to equal bytes.
    #[test]
    fn maps_round_trip_through_every_codec(v in arb_keyed()) {
        let proto = v.to_protobuf().expect("protobuf");
        let back = Keyed::from_protobuf(&proto).expect("protobuf");
        prop_assert_eq!(&back, &v);
        prop_assert_eq!(back.to_protobuf().expect("protobuf"), proto);
        let avro = v.to_avro().expect("avro");
        prop_assert_eq!(&Keyed::from_avro(&avro).expect("avro"), &v);
        prop_assert_eq!(&Keyed::loads(&v.dumps().expect("json")).expect("json"), &v);
    }

    /// Crafted bytes are errors or values, never panics.
    #[test]
    fn crafted_bytes_are_errors_not_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let _ = Keyed::from_protobuf(&bytes);
        let _ = Keyed::from_avro(&bytes);
    }
}

// ---- defaults -------------------------------------------------------------------------------------

fn default_codes() -> BTreeMap<i32, String> {
    BTreeMap::from([(-1, "minus one".into()), (2, "two".into())])
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "kafka_model.tests.keys")]
struct WithDefault {
    #[serde(default = "default_codes")]
    codes: BTreeMap<i32, String>,
}

/// A map default renders its keys as their text in Avro and JSON Schema, as serde writes them.
#[test]
fn defaults_have_text_keys() {
    let avro: Value =
        serde_json::from_str(WithDefault::schemas().avro().expect("avro").json()).expect("json");
    let expected = json!({"-1": "minus one", "2": "two"});
    assert_eq!(avro["fields"][0]["default"], expected);
    let schema = WithDefault::schemas().json().expect("json schema");
    assert_eq!(schema.value()["properties"]["codes"]["default"], expected);
    // serde fills in the same value.
    assert_eq!(
        WithDefault::loads(b"{}").expect("json").codes,
        default_codes()
    );
}

// ---- newtype keys ---------------------------------------------------------------------------------

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct OrderNo(u64);

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(transparent)]
struct Sku {
    code: String,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "kafka_model.tests.keys")]
struct ByNewtype {
    #[record(fixed)]
    orders: BTreeMap<OrderNo, String>,
    stock: HashMap<Sku, i32>,
}

/// A newtype over a key type is a key, written as the inner key in every format.
#[test]
fn newtypes_over_key_types_are_keys() {
    let schema = ByNewtype::schemas().proto().expect("proto");
    let text = &schema.main().text;
    assert!(text.contains("map<fixed64, string> orders = 1;"), "{text}");
    assert!(text.contains("map<string, int32> stock = 2;"), "{text}");
    let v = ByNewtype {
        orders: BTreeMap::from([
            (OrderNo(u64::MAX), "max".into()),
            (OrderNo(3), "three".into()),
        ]),
        stock: HashMap::from([(Sku { code: "a-1".into() }, 4)]),
    };
    let json: Value = serde_json::from_slice(&v.dumps().expect("json")).expect("json");
    assert_eq!(
        json,
        json!({"orders": {"3": "three", "18446744073709551615": "max"}, "stock": {"a-1": 4}})
    );
    assert_eq!(
        ByNewtype::loads(&v.dumps().expect("json")).expect("json"),
        v
    );
    assert_eq!(
        ByNewtype::from_avro(&v.to_avro().expect("avro")).expect("avro"),
        v
    );
    assert_eq!(
        ByNewtype::from_protobuf(&v.to_protobuf().expect("protobuf")).expect("protobuf"),
        v
    );
    let avro = v.to_avro().expect("avro");
    let at = |needle: &[u8]| avro.windows(needle.len()).position(|w| w == needle);
    assert!(at(b"18446744073709551615").is_some(), "{avro:?}");
}
