//! Every Protobuf case in `testdata/vectors`: decoded through derived Rust types that match the
//! case's `.proto`, compared with `case.json`'s value, and re-encoded to the exact bytes.
//!
//! Where the `.proto` uses something a Rust model cannot declare, the test uses a wire-identical
//! shape and says so:
//! - enums with numbers a Rust enum does not declare (99: proto3 enums are open), and an enum
//!   declared inside a message: those fields are `i32` (an enum is an `int32` on the wire); the
//!   typed mapping (named zero value, negative value) is checked separately;

// Over 800 lines: one derived type per vector case (the cases' `.proto` messages, written out
// as Rust), listed once beside the loop that checks them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use indexmap::IndexMap;
use kafka_model::Record;
use serde::{Deserialize, Serialize};
use serde_json::Value;

mod common;

// ---- float and bytes helpers for serde (typed JSON writes "NaN", "Infinity", base64) ------

fn float_from(v: &Value) -> f64 {
    match v {
        Value::String(s) => match s.as_str() {
            "NaN" => f64::NAN,
            "Infinity" => f64::INFINITY,
            "-Infinity" => f64::NEG_INFINITY,
            other => panic!("bad float {other}"),
        },
        Value::Number(n) => n.as_f64().expect("float"),
        other => panic!("bad float {other}"),
    }
}

fn b64(v: &Value) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(v.as_str().expect("base64 string"))
        .expect("valid base64")
}

mod flt {
    use serde::{Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer, T: serde::Serialize>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        v.serialize(s)
    }
    pub fn deserialize<'de, D: Deserializer<'de>, T: FromF64>(d: D) -> Result<T, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        Ok(T::from_value(&v))
    }
    pub trait FromF64 {
        fn from_value(v: &serde_json::Value) -> Self;
    }
    impl FromF64 for f64 {
        fn from_value(v: &serde_json::Value) -> Self {
            super::float_from(v)
        }
    }
    impl FromF64 for f32 {
        fn from_value(v: &serde_json::Value) -> Self {
            super::float_from(v) as f32
        }
    }
    impl<T: FromF64> FromF64 for Vec<T> {
        fn from_value(v: &serde_json::Value) -> Self {
            v.as_array()
                .expect("array")
                .iter()
                .map(T::from_value)
                .collect()
        }
    }
    impl<T: FromF64> FromF64 for Option<T> {
        fn from_value(v: &serde_json::Value) -> Self {
            (!v.is_null()).then(|| T::from_value(v))
        }
    }
}

mod b64s {
    use serde::{Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer, T: serde::Serialize>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        v.serialize(s)
    }
    pub fn deserialize<'de, D: Deserializer<'de>, T: FromB64>(d: D) -> Result<T, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        Ok(T::from_value(&v))
    }
    pub trait FromB64 {
        fn from_value(v: &serde_json::Value) -> Self;
    }
    impl FromB64 for Vec<u8> {
        fn from_value(v: &serde_json::Value) -> Self {
            super::b64(v)
        }
    }
    impl FromB64 for Vec<Vec<u8>> {
        fn from_value(v: &serde_json::Value) -> Self {
            v.as_array()
                .expect("array")
                .iter()
                .map(super::b64)
                .collect()
        }
    }
    impl FromB64 for Option<Vec<u8>> {
        fn from_value(v: &serde_json::Value) -> Self {
            (!v.is_null()).then(|| super::b64(v))
        }
    }
}

// ---- the case folders -------------------------------------------------------------------------

struct Case {
    dir: PathBuf,
    json: Value,
    /// The Protobuf message (framing removed).
    body: Vec<u8>,
}

fn vectors_dir() -> PathBuf {
    common::tools::testdata_dir().join("vectors")
}

fn zigzag_varint(bytes: &[u8], pos: &mut usize) -> i64 {
    let mut v: u64 = 0;
    for shift in (0..64).step_by(7) {
        let b = bytes[*pos];
        *pos += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            break;
        }
    }
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

fn load(name: &str) -> Case {
    let dir = vectors_dir().join(name);
    let json: Value =
        serde_json::from_slice(&std::fs::read(dir.join("case.json")).expect("case.json"))
            .expect("case.json parses");
    let payload = std::fs::read(dir.join("payload.bin")).expect("payload.bin");
    assert_eq!(json["format"], "protobuf");
    let body = match json["wire"].as_str() {
        Some("raw") => payload,
        Some("confluent") => {
            assert_eq!(payload[0], 0, "magic byte");
            let id = u32::from_be_bytes(payload[1..5].try_into().expect("4 bytes"));
            assert_eq!(Some(id as u64), json["schema_id"].as_u64());
            let mut pos = 5;
            let count = zigzag_varint(&payload, &mut pos);
            let indexes: Vec<i64> = if count == 0 {
                vec![0]
            } else {
                (0..count)
                    .map(|_| zigzag_varint(&payload, &mut pos))
                    .collect()
            };
            let expected: Vec<i64> = json["message_indexes"]
                .as_array()
                .expect("message_indexes")
                .iter()
                .map(|v| v.as_i64().expect("index"))
                .collect();
            assert_eq!(indexes, expected, "{name}: message indexes");
            payload[pos..].to_vec()
        }
        other => panic!("{name}: unexpected wire {other:?}"),
    };
    Case { dir, json, body }
}

/// Decodes the case's body as `T`, compares with `expected` (by `Debug`, so NaN and -0.0 are
/// compared exactly), and re-encodes to the same bytes.
fn check<T: Record + std::fmt::Debug>(case: &Case, expected: &T) -> T {
    check_maps(case, expected, &[], |_| {})
}

/// One top-level field of a message: its tag and its raw bytes (key included).
fn split_fields(mut bytes: &[u8]) -> Vec<(u64, Vec<u8>)> {
    fn varint(b: &mut &[u8]) -> u64 {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let x = b[0];
            *b = &b[1..];
            v |= u64::from(x & 0x7f) << shift;
            if x & 0x80 == 0 {
                break;
            }
        }
        v
    }
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let start = bytes;
        let key = varint(&mut bytes);
        let len = match key & 7 {
            0 => {
                varint(&mut bytes);
                0
            }
            1 => 8,
            2 => varint(&mut bytes) as usize,
            5 => 4,
            other => panic!("wire type {other}"),
        };
        bytes = &bytes[len..];
        out.push((key >> 3, start[..start.len() - bytes.len()].to_vec()));
    }
    out
}

/// Like [`check`], for messages with map fields (tags `map_tags`): their entries may come in
/// any order, so they are compared as sorted lists; `normalize` puts the decoded value in the
/// expected value's order before comparing.
fn check_maps<T: Record + std::fmt::Debug>(
    case: &Case,
    expected: &T,
    map_tags: &[u64],
    normalize: impl FnOnce(&mut T),
) -> T {
    let name = case.dir.display();
    let decoded =
        T::from_protobuf(&case.body).unwrap_or_else(|e| panic!("{name}: decode failed: {e}"));
    let bytes = decoded.to_protobuf().expect("encodes");
    let canonical = |b: &[u8]| {
        let mut fields = split_fields(b);
        let mut maps: Vec<_> = fields
            .iter()
            .filter(|f| map_tags.contains(&f.0))
            .cloned()
            .collect();
        maps.sort();
        fields.retain(|f| !map_tags.contains(&f.0));
        (fields, maps)
    };
    assert_eq!(
        canonical(&bytes),
        canonical(&case.body),
        "{name}: re-encoded bytes"
    );
    if map_tags.is_empty() {
        assert_eq!(bytes, case.body, "{name}: re-encoded bytes");
    }
    let mut normalized = decoded;
    normalize(&mut normalized);
    assert_eq!(
        format!("{normalized:?}"),
        format!("{expected:?}"),
        "{name}: decoded value"
    );
    normalized
}

/// The case's expected value as `T`, through serde (after `prepare`).
fn expected<T: serde::de::DeserializeOwned>(case: &Case, prepare: impl FnOnce(&mut Value)) -> T {
    let mut v = case.json["value"].clone();
    prepare(&mut v);
    serde_json::from_value(v)
        .unwrap_or_else(|e| panic!("{}: expected value: {e}", case.dir.display()))
}

/// Every protobuf case folder, so a new vector without a test here fails.
const COVERED: &[&str] = &[
    "proto_confluent_enums",
    "proto_confluent_large",
    "proto_confluent_maps",
    "proto_confluent_msgindex_deep",
    "proto_confluent_msgindex_nested",
    "proto_confluent_msgindex_second",
    "proto_confluent_msgindex_wide",
    "proto_confluent_nested",
    "proto_confluent_oneof_mixed",
    "proto_confluent_oneof_string",
    "proto_confluent_optional_absent",
    "proto_confluent_optional_present",
    "proto_confluent_repeated",
    "proto_confluent_scalar_defaults",
    "proto_confluent_scalar_extremes",
    "proto_confluent_scalars",
    "proto_confluent_timestamp",
    "proto_confluent_unicode_empty",
    "proto_raw",
];

#[test]
fn every_protobuf_vector_is_covered() {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(vectors_dir()).expect("vectors dir") {
        let path = entry.expect("entry").path();
        let case = path.join("case.json");
        if !case.is_file() {
            continue;
        }
        let json: Value =
            serde_json::from_slice(&std::fs::read(&case).expect("read")).expect("json");
        if json["format"] == "protobuf" {
            found.push(
                path.file_name()
                    .expect("name")
                    .to_string_lossy()
                    .to_string(),
            );
        }
    }
    found.sort();
    assert_eq!(found, COVERED);
    assert_eq!(found.len(), 19);
}

// ---- scalars ----------------------------------------------------------------------------------

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders.v1")]
struct Scalars {
    #[serde(with = "flt")]
    double_value: f64,
    #[serde(with = "flt")]
    float_value: f32,
    int32_value: i32,
    int64_value: i64,
    uint32_value: u32,
    uint64_value: u64,
    #[record(sint)]
    sint32_value: i32,
    #[record(sint)]
    sint64_value: i64,
    #[record(fixed)]
    fixed32_value: u32,
    #[record(fixed)]
    fixed64_value: u64,
    #[record(fixed)]
    sfixed32_value: i32,
    #[record(fixed)]
    sfixed64_value: i64,
    bool_value: bool,
    string_value: String,
    #[serde(with = "b64s")]
    bytes_value: Vec<u8>,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders.v1")]
struct Bounds {
    #[serde(with = "flt")]
    double_value: f64,
    #[serde(with = "flt")]
    float_value: f32,
    int32_value: i32,
    int64_value: i64,
    uint32_value: u32,
    uint64_value: u64,
    #[record(sint)]
    sint32_value: i32,
    #[record(sint)]
    sint64_value: i64,
    #[record(fixed)]
    fixed32_value: u32,
    #[record(fixed)]
    fixed64_value: u64,
    #[record(fixed)]
    sfixed32_value: i32,
    #[record(fixed)]
    sfixed64_value: i64,
    bool_value: bool,
    string_value: String,
    #[serde(with = "b64s")]
    bytes_value: Vec<u8>,
    minus_one: i32,
    #[serde(with = "flt")]
    doubles: Vec<f64>,
    #[serde(with = "flt")]
    floats: Vec<f32>,
}

#[test]
fn scalars() {
    let case = load("proto_confluent_scalars");
    check::<Scalars>(&case, &expected(&case, |_| {}));
}

/// `acme.orders.v1.Zeroes`: the fields of [`Scalars`] under the vector's message name.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders.v1")]
struct Zeroes {
    #[serde(with = "flt")]
    double_value: f64,
    #[serde(with = "flt")]
    float_value: f32,
    int32_value: i32,
    int64_value: i64,
    uint32_value: u32,
    uint64_value: u64,
    #[record(sint)]
    sint32_value: i32,
    #[record(sint)]
    sint64_value: i64,
    #[record(fixed)]
    fixed32_value: u32,
    #[record(fixed)]
    fixed64_value: u64,
    #[record(fixed)]
    sfixed32_value: i32,
    #[record(fixed)]
    sfixed64_value: i64,
    bool_value: bool,
    string_value: String,
    #[serde(with = "b64s")]
    bytes_value: Vec<u8>,
}

#[test]
fn scalar_defaults() {
    let case = load("proto_confluent_scalar_defaults");
    assert!(case.body.is_empty());
    check::<Zeroes>(&case, &expected(&case, |_| {}));
}

#[test]
fn scalar_extremes() {
    let case = load("proto_confluent_scalar_extremes");
    let v = check::<Bounds>(&case, &expected(&case, |_| {}));
    assert!(v.doubles[0].is_nan() && v.doubles[3].is_sign_negative());
}

/// `Scalars` declared in reverse: the wire order is the field-number order (as upb and
/// protoc-generated code write), whatever the Rust declaration order.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders.v1.reversed", name = "Scalars")]
struct ReversedScalars {
    #[serde(with = "b64s")]
    #[record(tag = 15)]
    bytes_value: Vec<u8>,
    #[record(tag = 14)]
    string_value: String,
    #[record(tag = 13)]
    bool_value: bool,
    #[record(fixed, tag = 12)]
    sfixed64_value: i64,
    #[record(fixed, tag = 11)]
    sfixed32_value: i32,
    #[record(fixed, tag = 10)]
    fixed64_value: u64,
    #[record(fixed, tag = 9)]
    fixed32_value: u32,
    #[record(sint, tag = 8)]
    sint64_value: i64,
    #[record(sint, tag = 7)]
    sint32_value: i32,
    #[record(tag = 6)]
    uint64_value: u64,
    #[record(tag = 5)]
    uint32_value: u32,
    #[record(tag = 4)]
    int64_value: i64,
    #[record(tag = 3)]
    int32_value: i32,
    #[serde(with = "flt")]
    #[record(tag = 2)]
    float_value: f32,
    #[serde(with = "flt")]
    #[record(tag = 1)]
    double_value: f64,
}

#[test]
fn fields_are_written_in_number_order() {
    let case = load("proto_confluent_scalars");
    // Every field is set, so a declaration-order writer would put `bytes_value` first.
    assert!(split_fields(&case.body).len() == 15);
    let v = check::<ReversedScalars>(&case, &expected(&case, |_| {}));
    let tags: Vec<u64> = split_fields(&v.to_protobuf().expect("encodes"))
        .iter()
        .map(|f| f.0)
        .collect();
    assert_eq!(tags, (1..=15).collect::<Vec<u64>>());
}

// ---- optional -----------------------------------------------------------------------------------

#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Default)]
#[record(namespace = "acme.orders.v1")]
struct Extra {
    note: String,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders.v1")]
struct Options {
    opt_int32: Option<i32>,
    opt_int64: Option<i64>,
    opt_string: Option<String>,
    #[serde(with = "b64s")]
    opt_bytes: Option<Vec<u8>>,
    opt_bool: Option<bool>,
    #[serde(with = "flt")]
    opt_double: Option<f64>,
    opt_enum: Option<Mode>,
    extra: Option<Extra>,
    plain_int32: i32,
}

/// An enum whose zero value has a name: `MODE_UNSPECIFIED = 0`, declared by the model.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone, Copy)]
#[record(namespace = "acme.orders.v1")]
enum Mode {
    #[record(tag = 0)]
    Unspecified,
    On,
}

/// Typed JSON's enum value names (`MODE_ON`) as the Rust variants' serde names (`On`).
fn variant_name(v: &mut Value, prefix: &str) {
    match v {
        Value::String(s) => {
            let rest = s
                .strip_prefix(prefix)
                .expect("enum value with the enum's prefix");
            *s = rest
                .split('_')
                .map(|w| w[..1].to_string() + &w[1..].to_lowercase())
                .collect();
        }
        Value::Array(items) => items.iter_mut().for_each(|x| variant_name(x, prefix)),
        _ => {}
    }
}

fn mode_number(v: &mut Value) {
    variant_name(&mut v["opt_enum"], "MODE_");
}

#[test]
fn optional_present() {
    let case = load("proto_confluent_optional_present");
    let v = check::<Options>(&case, &expected(&case, mode_number));
    // `optional`: the zero value is on the wire and read back as the named symbol.
    assert_eq!(v.opt_enum, Some(Mode::Unspecified));
    assert_eq!(v.opt_int32, Some(0));
    assert_eq!(v.extra, Some(Extra::default()));
}

#[test]
fn optional_absent() {
    let case = load("proto_confluent_optional_absent");
    check::<Options>(&case, &expected(&case, mode_number));
}

// ---- enums --------------------------------------------------------------------------------------

/// `acme.orders.v1.Traffic` with the enums as their numbers.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders.v1.numbers", name = "Traffic")]
struct NumberedTraffic {
    current: i32,
    previous: i32,
    reverse: i32,
    phase: i32,
    history: Vec<i32>,
    future: i32,
}

/// The same message with typed enums.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "acme.orders.v1", name = "Traffic")]
struct TypedTraffic {
    current: Signal,
    previous: Signal,
    reverse: Signal,
    phase: Phase,
    history: Vec<Signal>,
    future: Signal,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone, Copy)]
#[record(namespace = "acme.orders.v1")]
enum Signal {
    /// The zero value, named (`SIGNAL_UNSPECIFIED = 0`).
    #[record(tag = 0)]
    Unspecified,
    Go,
    Stop,
    /// A negative number (`SIGNAL_BACK = -1`: a 10-byte varint on the wire).
    #[record(tag = -1)]
    Back,
    /// Every number this enum does not declare (99), kept: proto3 enums are open. Untagged,
    /// serde writes the bare number, as typed JSON does.
    #[record(unknown)]
    #[serde(untagged)]
    Unknown(i32),
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone, Copy)]
#[record(namespace = "acme.orders.v1", parent = TypedTraffic)]
enum Phase {
    Day,
    Night,
}

fn enum_number(v: &Value) -> Value {
    match v {
        Value::Number(_) => v.clone(),
        Value::String(s) => match s.as_str() {
            "SIGNAL_UNSPECIFIED" | "PHASE_UNSPECIFIED" => 0,
            "SIGNAL_GO" | "PHASE_DAY" => 1,
            "SIGNAL_STOP" | "PHASE_NIGHT" => 2,
            "SIGNAL_BACK" => -1,
            other => panic!("{other}"),
        }
        .into(),
        Value::Array(a) => Value::Array(a.iter().map(enum_number).collect()),
        other => panic!("{other}"),
    }
}

#[test]
fn enums() {
    let case = load("proto_confluent_enums");
    check::<NumberedTraffic>(
        &case,
        &expected(&case, |v| {
            for (_, f) in v.as_object_mut().expect("object") {
                *f = enum_number(f);
            }
        }),
    );
    // Typed: the named zero value and the negative value are symbols; 99 is kept (an open
    // enum) and re-encoded, so the bytes are the case's.
    let typed = check::<TypedTraffic>(
        &case,
        &TypedTraffic {
            current: Signal::Stop,
            previous: Signal::Unspecified,
            reverse: Signal::Back,
            phase: Phase::Night,
            history: vec![Signal::Go, Signal::Back, Signal::Unspecified],
            future: Signal::Unknown(99),
        },
    );
    // JSON: the unknown number is the bare number, as typed JSON writes it.
    let json = serde_json::to_value(&typed).expect("json");
    assert_eq!(json["future"], 99);
    assert_eq!(
        json,
        expected::<Value>(&case, |v| {
            v["current"] = "Stop".into();
            v["previous"] = "Unspecified".into();
            v["reverse"] = "Back".into();
            v["phase"] = "Night".into();
            v["history"] = serde_json::json!(["Go", "Back", "Unspecified"]);
        })
    );
    assert_eq!(
        serde_json::from_value::<TypedTraffic>(json).expect("reads back"),
        typed
    );
    // Avro has no symbol for it: a typed error, not a panic.
    let err = Signal::Unknown(99).to_avro().unwrap_err().to_string();
    assert!(err.contains("99"), "{err}");
    assert_eq!(
        Signal::from_avro(&Signal::Back.to_avro().expect("encodes")).expect("decodes"),
        Signal::Back
    );
    // An enum without a default symbol rejects an undeclared number, naming the field.
    #[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
    #[record(namespace = "acme.orders.v1.strict", name = "Traffic")]
    struct StrictTraffic {
        #[record(tag = 4)]
        phase: Phase,
        #[record(tag = 6)]
        future: Phase,
    }
    let err = StrictTraffic::from_protobuf(&case.body).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("future") && text.contains("99"), "{text}");
}

// ---- maps ---------------------------------------------------------------------------------------

#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "acme.orders.v1")]
struct Stock {
    qty: i32,
    #[serde(rename = "where")]
    where_: String,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Eq, Clone, Copy)]
#[record(namespace = "acme.orders.v1")]
enum Level {
    /// The zero value, named (`LEVEL_UNSPECIFIED = 0`).
    #[record(tag = 0)]
    Unspecified,
    Low,
    High,
}

/// Every key type Protobuf has a Rust type for; `sint` and `fixed` choose the key's encoding
/// (the values are not integers). `IndexMap`s: the payload's entries are in upb's hash-table
/// order, not in key order, and only insertion order re-encodes them byte-for-byte.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders.v1")]
struct Maps {
    by_name: IndexMap<String, i64>,
    by_code: IndexMap<i32, String>,
    stock: IndexMap<u64, Stock>,
    by_flag: IndexMap<bool, Vec<u8>>,
    #[record(sint)]
    deltas: IndexMap<i32, f64>,
    levels: IndexMap<String, Level>,
    #[record(fixed)]
    by_fixed: IndexMap<u64, String>,
    nothing: IndexMap<String, String>,
}

#[test]
fn maps() {
    let case = load("proto_confluent_maps");
    // Typed JSON writes bytes as base64 and enum values by their Protobuf names; serde reads
    // number arrays and the Rust variant names. Keys are strings in both.
    let expected: Maps = expected(&case, |v| {
        for x in v["by_flag"].as_object_mut().expect("by_flag").values_mut() {
            *x = serde_json::json!(b64(x));
        }
        for x in v["levels"].as_object_mut().expect("levels").values_mut() {
            let name = x.as_str().expect("level").trim_start_matches("LEVEL_");
            let mut chars = name.chars();
            let first = chars.next().expect("name");
            *x = Value::String(format!("{first}{}", chars.as_str().to_lowercase()));
        }
    });
    assert_eq!(expected.stock[&u64::MAX].qty, -873, "the u64::MAX key");
    assert_eq!(
        expected.by_code[&i32::MIN],
        "dy_HvCo.jG-",
        "the i32::MIN key"
    );
    assert_eq!(expected.levels["y"], Level::Unspecified);
    assert_eq!(expected.by_fixed[&u64::MAX], "max");
    let decoded = Maps::from_protobuf(&case.body).expect("decodes");
    // `IndexMap`'s `==` compares as maps, whatever the order.
    assert_eq!(decoded, expected);
    let by_name: Vec<&str> = decoded.by_name.keys().map(String::as_str).collect();
    assert_eq!(by_name, ["alpha", "beta", ""], "the payload's order");
    let by_code: Vec<i32> = decoded.by_code.keys().copied().collect();
    assert_eq!(by_code, [i32::MIN, 7, 0], "the payload's order");
    assert_eq!(decoded.to_protobuf().expect("encodes"), case.body);
}

// ---- nesting and message indexes -------------------------------------------------------------------

/// `Outer.Middle.Inner`: declared inside `Middle`, itself declared inside `Outer`.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders.v1", parent = Middle)]
struct Inner {
    depth: i32,
    tag: String,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders.v1", parent = Outer)]
struct Middle {
    inner: Option<Inner>,
    inners: Vec<Inner>,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders.v1")]
struct Outer {
    middle: Option<Middle>,
    absent_middle: Option<Middle>,
    empty_middle: Option<Middle>,
    middles: Vec<Middle>,
    direct_inner: Option<Inner>,
    outer_id: u64,
}

#[test]
fn nested() {
    let case = load("proto_confluent_nested");
    let v = check::<Outer>(&case, &expected(&case, |_| {}));
    assert!(v.absent_middle.is_none() && v.empty_middle.is_some());
}

/// `Trunk.BranchOne.Leaf`.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders.v1", parent = BranchOne)]
struct Leaf {
    #[serde(with = "flt")]
    leaf_value: f64,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders.v1", parent = Trunk)]
struct BranchOne {
    leaf: Option<Leaf>,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders.v1")]
struct Trunk {}

/// `Container.Second`.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders.v1", parent = Container)]
struct Second {
    second_value: String,
    #[record(sint)]
    second_number: i32,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders.v1")]
struct Container {
    first: Option<First>,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders.v1", parent = Container)]
struct First {
    first_value: i32,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders.v1")]
struct Beta {
    beta_id: i64,
    beta_note: String,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders.v1")]
struct Variant66 {
    v66_label: String,
    v66_count: i64,
}

/// Types declared inside others (`#[record(parent = ..)]`): nested full names, the indexes of
/// the message in its own rendered schema, and a Confluent-framed round trip carrying them.
#[tokio::test]
async fn nested_declarations_frame_their_message_indexes() {
    use kafka_model::registry::MemoryRegistry;
    use kafka_model::serdes::{Deserializer, DeserializerConfig, Serializer, SerializerConfig};
    use std::sync::Arc;

    let leaf = Leaf::schemas().proto().expect("renders");
    assert_eq!(leaf.message_name(), "acme.orders.v1.Trunk.BranchOne.Leaf");
    assert_eq!(leaf.message_indexes(), [0, 0, 0]);
    assert!(leaf.main().text.contains(
        "  message BranchOne {\n    // `Trunk.BranchOne.Leaf`.\n    message Leaf {\n      double leaf_value = 1;\n    }\n\n    Leaf leaf = 1;\n  }\n}\n"
    ), "{}", leaf.main().text);
    // `Second` is reached before its sibling `First`, so it comes first inside `Container`.
    let second = Second::schemas().proto().expect("renders");
    assert_eq!(second.message_name(), "acme.orders.v1.Container.Second");
    assert_eq!(second.message_indexes(), [0, 0]);
    let first = Container::schemas().proto().expect("renders");
    assert_eq!(first.message_indexes(), [0]);
    assert_eq!(
        Outer::schemas().proto().expect("renders").message_indexes(),
        [0]
    );
    // Avro and JSON Schema have no nested declarations: the names stay `namespace.Name`.
    assert_eq!(Leaf::model().full_name(), "acme.orders.v1.Leaf");
    for (avro, json) in [
        (
            Outer::schemas().avro().map(|s| s.json().to_string()),
            Outer::schemas().json().map(|s| s.text().to_string()),
        ),
        (
            Choice::schemas().avro().map(|s| s.json().to_string()),
            Choice::schemas().json().map(|s| s.text().to_string()),
        ),
    ] {
        let (avro, json) = (avro.expect("avro"), json.expect("json schema"));
        // (Docs may mention the nested name; no schema name does.)
        for text in [&avro, &json] {
            assert!(
                !text.contains("acme.orders.v1.Outer.") && !text.contains("acme.orders.v1.Choice."),
                "{text}"
            );
        }
    }
    assert!(Outer::schemas()
        .avro()
        .expect("avro")
        .json()
        .contains(r#""Middle""#));

    let registry = Arc::new(MemoryRegistry::new());
    let ser = Serializer::<Leaf>::new(registry.clone(), SerializerConfig::protobuf()).expect("ser");
    let value = Leaf { leaf_value: -2.5 };
    let (payload, _) = ser.serialize("leaves", &value).await.expect("serializes");
    // Count 3 then 0, 0, 0 (zigzag varints), then the message.
    assert_eq!(payload[5..9], [6, 0, 0, 0]);
    assert_eq!(payload[9..], value.to_protobuf().expect("encodes")[..]);
    let de = Deserializer::<Leaf>::new(registry, DeserializerConfig::protobuf());
    assert_eq!(
        de.deserialize("leaves", &payload, &kafka_model::wire::NoHeaders)
            .await
            .expect("reads"),
        value
    );
}

#[test]
fn message_indexes() {
    let case = load("proto_confluent_msgindex_deep");
    check::<Leaf>(&case, &expected(&case, |_| {}));
    let case = load("proto_confluent_msgindex_nested");
    check::<Second>(&case, &expected(&case, |_| {}));
    let case = load("proto_confluent_msgindex_second");
    check::<Beta>(&case, &expected(&case, |_| {}));
    let case = load("proto_confluent_msgindex_wide");
    check::<Variant66>(&case, &expected(&case, |_| {}));
}

// ---- oneof --------------------------------------------------------------------------------------

#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "acme.orders.v1")]
struct Detail {
    code: i32,
}

/// `acme.orders.v1.Choice`: three oneofs beside a plain field (`#[record(oneof)]`).
#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "acme.orders.v1")]
struct Choice {
    #[record(oneof)]
    first: Option<ChoiceFirst>,
    #[record(oneof)]
    second: Option<ChoiceSecond>,
    #[record(oneof)]
    third: Option<ChoiceThird>,
    #[record(tag = 9)]
    plain: String,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "acme.orders.v1", parent = Choice)]
#[serde(rename_all = "snake_case")]
enum ChoiceFirst {
    Text(String),
    Number(i64),
    Detail(Detail),
    Raw(#[serde(with = "b64s")] Vec<u8>),
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "acme.orders.v1", parent = Choice)]
#[serde(rename_all = "snake_case")]
enum ChoiceSecond {
    #[record(tag = 5)]
    Flag(bool),
    #[record(tag = 6)]
    Info(Detail),
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "acme.orders.v1", parent = Choice)]
#[serde(rename_all = "snake_case")]
enum ChoiceThird {
    #[record(tag = 7)]
    Alpha(String),
    #[record(tag = 8)]
    Beta(#[serde(with = "flt")] f64),
}

#[test]
fn oneof_mixed() {
    let case = load("proto_confluent_oneof_mixed");
    let v = check::<Choice>(&case, &expected(&case, |_| {}));
    assert_eq!(
        v.first,
        Some(ChoiceFirst::Number(0)),
        "a oneof member at its default is present"
    );
    assert_eq!(v.third, None);
    // The last member read wins, as in protobuf: `text` then `number` reads as `number`.
    let mut bytes = Choice {
        first: Some(ChoiceFirst::Text("x".into())),
        second: None,
        third: None,
        plain: String::new(),
    }
    .to_protobuf()
    .expect("encodes");
    bytes.extend_from_slice(&case.body);
    assert_eq!(Choice::from_protobuf(&bytes).expect("decodes"), v);
}

/// `acme.orders.v1.Command`: `oneof body` then `seq = 3`.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "acme.orders.v1")]
struct Command {
    #[record(oneof)]
    body: Body,
    #[record(tag = 3)]
    seq: i64,
}

/// `oneof body` of `Command`: a member is always set (not an `Option`).
#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "acme.orders.v1", parent = Command)]
#[serde(rename_all = "snake_case")]
enum Body {
    Text(String),
    Count(u32),
}

#[test]
fn oneof_string() {
    let case = load("proto_confluent_oneof_string");
    let v = check::<Command>(&case, &expected(&case, |_| {}));
    // The enum alone is the message holding only the oneof (the `seq` field is then unknown:
    // skipped).
    let body = Body::from_protobuf(&case.body).expect("decodes as an enum with data");
    assert_eq!(body, v.body);
    // Re-encoded, the enum writes the member alone: what `Command` wrote minus `seq`.
    let only_body = Command { seq: 0, ..v };
    assert_eq!(
        body.to_protobuf().expect("encodes"),
        only_body.to_protobuf().expect("encodes")
    );
    // Without the member (a non-`Option` oneof field), the message is rejected, naming it.
    let err = Command::from_protobuf(&[0x18, 0x01])
        .unwrap_err()
        .to_string();
    assert!(err.contains("body"), "{err}");
}

// ---- repeated -----------------------------------------------------------------------------------

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders.v1")]
struct Item {
    item_id: i64,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders.v1")]
struct Lists {
    int32s: Vec<i32>,
    #[record(sint)]
    sint64s: Vec<i64>,
    #[record(fixed)]
    fixed32s: Vec<u32>,
    #[serde(with = "flt")]
    doubles: Vec<f64>,
    bools: Vec<bool>,
    /// COLOR_UNSPECIFIED (0) is among them.
    colors: Vec<Color>,
    strings: Vec<String>,
    #[serde(with = "b64s")]
    blobs: Vec<Vec<u8>>,
    items: Vec<Item>,
    nothing: Vec<i64>,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone, Copy)]
#[record(namespace = "acme.orders.v1")]
enum Color {
    #[record(tag = 0)]
    Unspecified,
    Red,
    Green,
}

#[test]
fn repeated() {
    let case = load("proto_confluent_repeated");
    let v = check::<Lists>(
        &case,
        &expected(&case, |v| variant_name(&mut v["colors"], "COLOR_")),
    );
    assert!(v.colors.contains(&Color::Unspecified));
}

// ---- timestamps, text, large, raw ---------------------------------------------------------------

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders.v1")]
struct Timeline {
    created_at: DateTime<Utc>,
    born_at: DateTime<Utc>,
    deleted_at: Option<DateTime<Utc>>,
    epoch: DateTime<Utc>,
    checkpoints: Vec<DateTime<Utc>>,
    marks: BTreeMap<String, DateTime<Utc>>,
}

#[test]
fn timestamp() {
    let case = load("proto_confluent_timestamp");
    let v = check_maps::<Timeline>(&case, &expected(&case, |_| {}), &[6], |_| {});
    assert_eq!(v.born_at.timestamp(), -1);
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders.v1")]
struct Texts {
    greeting: String,
    cjk: String,
    empty_text: String,
    #[serde(with = "b64s")]
    empty_blob: Vec<u8>,
    lines: Vec<String>,
    dict: BTreeMap<String, String>,
    #[record(tag = 536870911)]
    far_away: String,
}

#[test]
fn unicode_empty() {
    let case = load("proto_confluent_unicode_empty");
    check_maps::<Texts>(&case, &expected(&case, |_| {}), &[6], |_| {});
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders.v1")]
struct Bulk {
    #[record(sint)]
    samples: Vec<i64>,
    labels: Vec<String>,
    #[serde(with = "b64s")]
    blob: Vec<u8>,
}

#[test]
fn large() {
    let case = load("proto_confluent_large");
    let v = check::<Bulk>(&case, &expected(&case, |_| {}));
    assert_eq!(
        (v.samples.len(), v.labels.len(), v.blob.len()),
        (10_000, 1_000, 65_536)
    );
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders.v1")]
struct Bare {
    id: i64,
    name: String,
    vals: Vec<i32>,
}

#[test]
fn raw() {
    let case = load("proto_raw");
    check::<Bare>(&case, &expected(&case, |_| {}));
}

// ---- schemas: our rendered .proto against the case's, as protoc describes them ---------------

/// A message or enum declaration, by full name, with nested declarations taken out (they are
/// listed under their own full names, so nesting still shows in the names).
#[derive(Debug, PartialEq)]
enum Decl {
    Message(prost_types::DescriptorProto),
    Enum(prost_types::EnumDescriptorProto),
}

/// `protoc --include_imports --descriptor_set_out` of `main` in `dir`.
fn protoc_types(
    protoc: &std::path::Path,
    dir: &std::path::Path,
    main: &str,
    out: &std::path::Path,
) -> BTreeMap<String, Decl> {
    common::tools::run(
        std::process::Command::new(protoc)
            .arg("-I")
            .arg(dir)
            .arg("--include_imports")
            .arg(format!("--descriptor_set_out={}", out.display()))
            .arg(main),
    );
    let set = <prost_types::FileDescriptorSet as prost::Message>::decode(
        &std::fs::read(out).expect("descriptor set")[..],
    )
    .expect("descriptor set decodes");
    fn walk(prefix: &str, m: &prost_types::DescriptorProto, out: &mut BTreeMap<String, Decl>) {
        let name = format!("{prefix}.{}", m.name());
        for n in &m.nested_type {
            walk(&name, n, out);
        }
        for e in &m.enum_type {
            out.insert(format!("{name}.{}", e.name()), Decl::Enum(e.clone()));
        }
        let mut m = m.clone();
        m.nested_type.clear();
        m.enum_type.clear();
        out.insert(name, Decl::Message(m));
    }
    let mut types = BTreeMap::new();
    for f in &set.file {
        let prefix = if f.package().is_empty() {
            String::new()
        } else {
            format!(".{}", f.package())
        };
        for m in &f.message_type {
            walk(&prefix, m, &mut types);
        }
        for e in &f.enum_type {
            types.insert(format!("{prefix}.{}", e.name()), Decl::Enum(e.clone()));
        }
    }
    types
}

/// The declarations `root` reaches through its fields (itself included).
fn reachable(types: &BTreeMap<String, Decl>, root: &str, out: &mut BTreeMap<String, String>) {
    if out.contains_key(root) {
        return;
    }
    let Some(decl) = types.get(root) else {
        out.insert(root.to_string(), "(not declared)".into());
        return;
    };
    out.insert(root.to_string(), format!("{decl:?}"));
    if let Decl::Message(m) = decl {
        for f in &m.field {
            if !f.type_name().is_empty() {
                reachable(types, f.type_name(), out);
            }
        }
    }
}

/// Whether `T`'s rendered schema declares exactly what the case's `.proto` declares for its
/// message (same full names, so same nesting; same fields, numbers, types, labels, oneofs,
/// enum values), as protoc compiles both.
fn same_proto_schema<T: Record>(protoc: &std::path::Path, case: &Case) -> Result<(), String> {
    let dir = common::tools::scratch(&format!(
        "proto-vector-{}",
        case.dir.file_name().expect("name").to_string_lossy()
    ));
    let theirs = protoc_types(
        protoc,
        &case.dir,
        case.json["schema"].as_str().expect("schema"),
        &dir.join("theirs.pb"),
    );
    let ours_schema = T::schemas().proto().map_err(|e| e.to_string())?;
    for f in ours_schema.files() {
        let path = dir.join(&f.name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, &f.text).expect("write");
    }
    let ours = protoc_types(protoc, &dir, &ours_schema.main().name, &dir.join("ours.pb"));
    let root = format!(
        ".{}",
        case.json["message_type"].as_str().expect("message_type")
    );
    let (mut a, mut b) = (BTreeMap::new(), BTreeMap::new());
    reachable(&ours, &format!(".{}", ours_schema.message_name()), &mut a);
    reachable(&theirs, &root, &mut b);
    if a == b {
        Ok(())
    } else {
        Err(format!("ours   {a:#?}\ntheirs {b:#?}"))
    }
}

#[test]
fn rendered_schemas_against_the_vectors() {
    let Some(protoc) = common::tools::protoc() else {
        return;
    };
    type Check = fn(&std::path::Path, &Case) -> Result<(), String>;
    // Every case, with the model it is read through; `exact` says whether that model's schema
    // is the case's schema, and the stand-ins say what they lack, so this list stays true.
    let cases: &[(&str, Check, bool)] = &[
        (
            "proto_confluent_scalars",
            same_proto_schema::<Scalars>,
            true,
        ),
        (
            "proto_confluent_scalar_extremes",
            same_proto_schema::<Bounds>,
            true,
        ),
        ("proto_confluent_large", same_proto_schema::<Bulk>, true),
        ("proto_raw", same_proto_schema::<Bare>, true),
        (
            "proto_confluent_unicode_empty",
            same_proto_schema::<Texts>,
            true,
        ),
        (
            "proto_confluent_timestamp",
            same_proto_schema::<Timeline>,
            true,
        ),
        (
            "proto_confluent_msgindex_second",
            same_proto_schema::<Beta>,
            true,
        ),
        (
            "proto_confluent_msgindex_wide",
            same_proto_schema::<Variant66>,
            true,
        ),
        (
            "proto_confluent_scalar_defaults",
            same_proto_schema::<Zeroes>,
            true,
        ),
        // Enums with a named zero value, negative values and a nested enum: numbers as i32.
        (
            "proto_confluent_enums",
            same_proto_schema::<TypedTraffic>,
            true,
        ),
        // Maps with integer and bool keys.
        ("proto_confluent_maps", same_proto_schema::<Maps>, true),
        // Nested message declarations (`#[record(parent = ..)]`).
        ("proto_confluent_nested", same_proto_schema::<Outer>, true),
        (
            "proto_confluent_msgindex_deep",
            same_proto_schema::<Leaf>,
            true,
        ),
        (
            "proto_confluent_msgindex_nested",
            same_proto_schema::<Second>,
            true,
        ),
        // Oneofs beside plain fields (`#[record(oneof)]`).
        (
            "proto_confluent_oneof_mixed",
            same_proto_schema::<Choice>,
            true,
        ),
        (
            "proto_confluent_oneof_string",
            same_proto_schema::<Command>,
            true,
        ),
        // Enums whose zero value has a name (`tag = 0`).
        (
            "proto_confluent_optional_present",
            same_proto_schema::<Options>,
            true,
        ),
        (
            "proto_confluent_optional_absent",
            same_proto_schema::<Options>,
            true,
        ),
        ("proto_confluent_repeated", same_proto_schema::<Lists>, true),
    ];
    assert_eq!(cases.len(), COVERED.len());
    let mut wrong = Vec::new();
    for (name, check, exact) in cases {
        let case = load(name);
        let result = check(&protoc, &case);
        if result.is_ok() != *exact {
            wrong.push(format!(
                "{name}: exact = {}, expected {exact}\n{}",
                result.is_ok(),
                result.err().unwrap_or_default()
            ));
        }
    }
    let exact = cases.iter().filter(|c| c.2).count();
    eprintln!(
        "{exact} / {} Protobuf vector schemas are exact",
        cases.len()
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

// ---- write direction: the reference runtime (upb) reads what we write ------------------------------

/// A case folder for `interop/check_vectors.py`: our schema, our Confluent framing (with the
/// message indexes of our schema), our bytes, and the value as typed JSON (`json`).
fn write_case<T: Record>(dir: &std::path::Path, name: &str, value: &T, json: Value) {
    let case = dir.join(name);
    std::fs::create_dir_all(&case).expect("case dir");
    let schema = T::schemas().proto().expect("schema");
    assert_eq!(schema.files().len(), 1, "{name}: one self-contained .proto");
    std::fs::write(case.join("schema.proto"), &schema.main().text).expect("write schema");
    let indexes = kafka_model::wire::MessageIndexes::new(schema.message_indexes()).expect("path");
    let mut payload = vec![0, 0, 0, 0, 7];
    if indexes.is_first() {
        payload.push(0);
    } else {
        let zigzag = |v: u32, out: &mut Vec<u8>| out.push(u8::try_from(v * 2).expect("small"));
        zigzag(indexes.as_slice().len() as u32, &mut payload);
        for i in indexes.as_slice() {
            zigzag(*i, &mut payload);
        }
    }
    value.write_protobuf(&mut payload).expect("encodes");
    std::fs::write(case.join("payload.bin"), payload).expect("write payload");
    let case_json = serde_json::json!({
        "format": "protobuf",
        "wire": "confluent",
        "topic": "kafka-model.proto",
        "schema": "schema.proto",
        "schema_id": 7,
        "message_type": schema.message_name(),
        "message_indexes": indexes.as_slice(),
        "value": json,
    });
    std::fs::write(
        case.join("case.json"),
        serde_json::to_vec_pretty(&case_json).expect("json"),
    )
    .expect("write case");
}

#[test]
fn reference_runtime_reads_nested_oneofs_and_open_enums() {
    let Some(python) = common::tools::interop_python() else {
        return;
    };
    let dir = common::tools::scratch("proto_vectors_write_direction");
    let _ = std::fs::remove_dir_all(&dir);
    // A nested root: message indexes [0, 0, 0].
    let leaf = Leaf { leaf_value: 0.5 };
    write_case(&dir, "leaf", &leaf, serde_json::json!({"leaf_value": 0.5}));
    // Oneofs beside a field: other members than the vector's, one at its default.
    let choice = Choice {
        first: Some(ChoiceFirst::Text(String::new())),
        second: Some(ChoiceSecond::Flag(true)),
        third: Some(ChoiceThird::Beta(-1.5)),
        plain: "p".into(),
    };
    write_case(
        &dir,
        "choice",
        &choice,
        serde_json::json!({
            "first": {"text": ""}, "second": {"flag": true}, "third": {"beta": -1.5}, "plain": "p"
        }),
    );
    let command = Command {
        body: Body::Count(0),
        seq: -1,
    };
    write_case(
        &dir,
        "command",
        &command,
        serde_json::json!({"body": {"count": 0}, "seq": -1}),
    );
    // An open enum's unknown number (typed JSON writes it as the number), the nested enum.
    let traffic = TypedTraffic {
        current: Signal::Unknown(-7),
        previous: Signal::Go,
        reverse: Signal::Back,
        phase: Phase::Day,
        history: vec![Signal::Unknown(42), Signal::Unspecified],
        future: Signal::Unspecified,
    };
    write_case(
        &dir,
        "traffic",
        &traffic,
        serde_json::json!({
            "current": -7, "previous": "SIGNAL_GO", "reverse": "SIGNAL_BACK", "phase": "PHASE_DAY",
            "history": [42, "SIGNAL_UNSPECIFIED"], "future": "SIGNAL_UNSPECIFIED"
        }),
    );
    let script = common::tools::interop_dir().join("check_vectors.py");
    let out = common::tools::run(std::process::Command::new(python).arg(script).arg(&dir));
    assert!(out.contains("4 passed, 0 failed"), "{out}");
}

// ---- properties: round trips, and what crafted bytes do --------------------------------------------

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn arb_first() -> impl Strategy<Value = Option<ChoiceFirst>> {
        prop_oneof![
            Just(None),
            ".{0,6}".prop_map(|s| Some(ChoiceFirst::Text(s))),
            any::<i64>().prop_map(|n| Some(ChoiceFirst::Number(n))),
            any::<i32>().prop_map(|code| Some(ChoiceFirst::Detail(Detail { code }))),
            proptest::collection::vec(any::<u8>(), 0..4).prop_map(|b| Some(ChoiceFirst::Raw(b))),
        ]
    }

    fn arb_signal() -> impl Strategy<Value = Signal> {
        prop_oneof![
            Just(Signal::Unspecified),
            Just(Signal::Go),
            Just(Signal::Stop),
            Just(Signal::Back),
            // Numbers the enum does not declare (0, 1, 2 and -1 are symbols).
            any::<i32>()
                .prop_filter("undeclared", |n| !(-1..=2).contains(n))
                .prop_map(Signal::Unknown),
        ]
    }

    fn arb_inner() -> impl Strategy<Value = Inner> {
        (any::<i32>(), "\\PC{0,4}").prop_map(|(depth, tag)| Inner { depth, tag })
    }

    fn arb_middle() -> impl Strategy<Value = Middle> {
        (
            proptest::option::of(arb_inner()),
            proptest::collection::vec(arb_inner(), 0..3),
        )
            .prop_map(|(inner, inners)| Middle { inner, inners })
    }

    fn arb_outer() -> impl Strategy<Value = Outer> {
        (
            proptest::option::of(arb_middle()),
            proptest::option::of(arb_middle()),
            proptest::collection::vec(arb_middle(), 0..3),
            proptest::option::of(arb_inner()),
            any::<u64>(),
        )
            .prop_map(
                |(middle, empty_middle, middles, direct_inner, outer_id)| Outer {
                    middle,
                    absent_middle: None,
                    empty_middle,
                    middles,
                    direct_inner,
                    outer_id,
                },
            )
    }

    fn arb_choice() -> impl Strategy<Value = Choice> {
        let second = prop_oneof![
            Just(None),
            any::<bool>().prop_map(|b| Some(ChoiceSecond::Flag(b))),
            any::<i32>().prop_map(|code| Some(ChoiceSecond::Info(Detail { code }))),
        ];
        let third = prop_oneof![
            Just(None),
            "\\PC{0,4}".prop_map(|s| Some(ChoiceThird::Alpha(s))),
            (-1e9f64..1e9).prop_map(|f| Some(ChoiceThird::Beta(f))),
        ];
        (arb_first(), second, third, "\\PC{0,6}").prop_map(|(first, second, third, plain)| Choice {
            first,
            second,
            third,
            plain,
        })
    }

    fn arb_command() -> impl Strategy<Value = Command> {
        let body = prop_oneof![
            "\\PC{0,6}".prop_map(Body::Text),
            any::<u32>().prop_map(Body::Count)
        ];
        (body, any::<i64>()).prop_map(|(body, seq)| Command { body, seq })
    }

    fn arb_traffic() -> impl Strategy<Value = TypedTraffic> {
        (
            arb_signal(),
            arb_signal(),
            arb_signal(),
            prop_oneof![Just(Phase::Day), Just(Phase::Night)],
            proptest::collection::vec(arb_signal(), 0..5),
            arb_signal(),
        )
            .prop_map(|(current, previous, reverse, phase, history, future)| {
                TypedTraffic {
                    current,
                    previous,
                    reverse,
                    phase,
                    history,
                    future,
                }
            })
    }

    /// Typed JSON (the harness's convention): enum symbols by their Protobuf names, an open
    /// enum's unknown number as the number, bytes as base64.
    fn traffic_json(v: &TypedTraffic) -> Value {
        fn signal(s: &Signal) -> Value {
            match s {
                Signal::Unspecified => "SIGNAL_UNSPECIFIED".into(),
                Signal::Go => "SIGNAL_GO".into(),
                Signal::Stop => "SIGNAL_STOP".into(),
                Signal::Back => "SIGNAL_BACK".into(),
                Signal::Unknown(n) => (*n).into(),
            }
        }
        serde_json::json!({
            "current": signal(&v.current), "previous": signal(&v.previous),
            "reverse": signal(&v.reverse),
            "phase": match v.phase { Phase::Day => "PHASE_DAY", Phase::Night => "PHASE_NIGHT" },
            "history": v.history.iter().map(signal).collect::<Vec<_>>(),
            "future": signal(&v.future),
        })
    }

    fn choice_json(v: &Choice) -> Value {
        let mut json = serde_json::to_value(v).expect("json");
        if let Some(ChoiceFirst::Raw(bytes)) = &v.first {
            json["first"]["raw"] =
                kafka_model::base64::serialize(bytes, serde_json::value::Serializer).expect("b64");
        }
        json
    }

    /// The Protobuf-only mappings of issue 15 (oneofs beside fields, a oneof always set, open
    /// enums with a named zero and a negative number, nested declarations three deep) against
    /// the reference runtime on generated values: upb (through `interop/check_vectors.py`)
    /// reads our bytes as the value, and its own deterministic encoding of that value is our
    /// bytes, so what it writes we read (our decoding of our bytes is the round-trip
    /// property above).
    #[test]
    fn reference_runtime_agrees_on_generated_values() {
        use proptest::strategy::ValueTree;
        let Some(python) = common::tools::interop_python() else {
            return;
        };
        let dir = common::tools::scratch("proto_vectors_generated_values");
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        const N: usize = 25;
        for i in 0..N {
            let case = |name: &str| format!("{name}_{i:02}");
            let v = arb_choice().new_tree(&mut runner).expect("value").current();
            write_case(&dir, &case("choice"), &v, choice_json(&v));
            let v = arb_command()
                .new_tree(&mut runner)
                .expect("value")
                .current();
            write_case(
                &dir,
                &case("command"),
                &v,
                serde_json::to_value(&v).expect("json"),
            );
            let v = arb_traffic()
                .new_tree(&mut runner)
                .expect("value")
                .current();
            write_case(&dir, &case("traffic"), &v, traffic_json(&v));
            let v = arb_outer().new_tree(&mut runner).expect("value").current();
            write_case(
                &dir,
                &case("outer"),
                &v,
                serde_json::to_value(&v).expect("json"),
            );
        }
        let script = common::tools::interop_dir().join("check_vectors.py");
        let out = common::tools::run(
            std::process::Command::new(python)
                .arg(script)
                .arg(&dir)
                .arg("-v"),
        );
        assert!(
            out.contains(&format!("{} passed, 0 failed", 4 * N)),
            "{out}"
        );
        let same = out
            .lines()
            .filter(|l| l.contains("protobuf runtime (same bytes)"))
            .count();
        assert_eq!(same, 4 * N, "upb's own bytes differ for some value:\n{out}");
    }

    proptest! {
        /// A oneof field writes exactly the set member (nothing for `None`), and reads it back.
        #[test]
        fn oneof_fields_round_trip(first in arb_first(), flag in proptest::option::of(any::<bool>()), plain in ".{0,4}") {
            let v = Choice { first, second: flag.map(ChoiceSecond::Flag), third: None, plain };
            let bytes = v.to_protobuf().expect("encodes");
            prop_assert_eq!(Choice::from_protobuf(&bytes).expect("decodes"), v);
        }

        /// Open enums keep every number, in plain and repeated (packed) fields.
        #[test]
        fn open_enums_round_trip(a in arb_signal(), history in proptest::collection::vec(arb_signal(), 0..5)) {
            let v = TypedTraffic {
                current: a,
                previous: Signal::Go,
                reverse: a,
                phase: Phase::Night,
                history,
                future: Signal::Unspecified,
            };
            let bytes = v.to_protobuf().expect("encodes");
            prop_assert_eq!(TypedTraffic::from_protobuf(&bytes).expect("decodes"), v);
        }

        /// Crafted bytes never panic: an error or a value, for messages with oneof fields,
        /// nested declarations and open enums.
        #[test]
        fn crafted_bytes_are_errors_not_panics(bytes in proptest::collection::vec(any::<u8>(), 0..48)) {
            let _ = Choice::from_protobuf(&bytes);
            let _ = Command::from_protobuf(&bytes);
            let _ = TypedTraffic::from_protobuf(&bytes);
            let _ = Outer::from_protobuf(&bytes);
        }
    }
}
