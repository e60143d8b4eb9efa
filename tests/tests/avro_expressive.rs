//! Issue 15 (expressive mappings), Avro side: named fixed types (`#[record(fixed)]`), the `null`
//! type (`()`), `time-*` and `local-timestamp-*` logical types. Each mapping: the rendered
//! schemas (Avro, Protobuf, JSON Schema), both codecs and JSON round trips, and the reference
//! implementations (fastavro, Apache avro) reading our bytes and writing the same bytes.

mod avro_support;
mod common;

use std::collections::BTreeMap;
use std::process::Command;

use avro_support::write_avro_case;
use common::tools::{interop_dir, interop_python, run, scratch};
use kafka_model::Record;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};

// --- named fixed ------------------------------------------------------------------------------

/// A SHA-256 digest: one named fixed type for every field that holds one.
#[derive(Record, Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
#[record(fixed, name = "Sha256", namespace = "com.acme.crypto", aliases = ["com.acme.Sha"])]
pub struct Digest(pub [u8; 32]);

/// Without a namespace of its own, a fixed takes none (like a record without one).
#[derive(Record, Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
#[record(fixed)]
pub struct Ipv4([u8; 4]);

fn digest_default() -> Digest {
    Digest([7; 32])
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.files")]
pub struct Manifest {
    pub main: Digest,
    #[serde(default = "digest_default")]
    pub backup: Digest,
    pub previous: Option<Digest>,
    pub chunks: Vec<Digest>,
    pub by_name: BTreeMap<String, Digest>,
    pub host: Ipv4,
}

fn manifest() -> Manifest {
    Manifest {
        main: Digest([0xab; 32]),
        backup: Digest(core::array::from_fn(|i| i as u8)),
        previous: Some(Digest([0; 32])),
        chunks: vec![Digest([1; 32]), Digest([0xff; 32])],
        by_name: [("a".to_string(), Digest([2; 32]))].into_iter().collect(),
        host: Ipv4([127, 0, 0, 1]),
    }
}

#[test]
fn a_named_fixed_is_defined_once_then_referenced() {
    let schema: Json = serde_json::from_str(Manifest::schemas().avro().unwrap().json()).unwrap();
    let fields = schema["fields"].as_array().unwrap();
    assert_eq!(
        fields[0]["type"],
        json!({"type": "fixed", "name": "Sha256", "namespace": "com.acme.crypto",
               "doc": "A SHA-256 digest: one named fixed type for every field that holds one.",
               "aliases": ["com.acme.Sha"], "size": 32})
    );
    assert_eq!(fields[1]["type"], json!("com.acme.crypto.Sha256"));
    assert_eq!(fields[1]["default"], json!("\u{7}".repeat(32)));
    assert_eq!(fields[2]["type"], json!(["null", "com.acme.crypto.Sha256"]));
    assert_eq!(fields[3]["type"]["items"], json!("com.acme.crypto.Sha256"));
    assert_eq!(fields[4]["type"]["values"], json!("com.acme.crypto.Sha256"));
    // No namespace: an empty one, so that the record's namespace does not claim it.
    assert_eq!(
        fields[5]["type"],
        json!({"type": "fixed", "name": "Ipv4", "namespace": "",
               "doc": "Without a namespace of its own, a fixed takes none (like a record without one).",
               "size": 4})
    );
    // apache-avro agrees on the names.
    let parsed = Manifest::schemas().avro().unwrap().schema();
    let apache_avro::Schema::Record(r) = parsed else {
        panic!("{parsed:?}")
    };
    assert!(
        matches!(&r.fields[0].schema, apache_avro::Schema::Fixed(f) if f.name.fullname(None) == "com.acme.crypto.Sha256" && f.size == 32)
    );
}

#[test]
fn a_named_fixed_is_bytes_in_protobuf_and_json_schema() {
    let proto = Manifest::schemas().proto().unwrap();
    let text = proto
        .files()
        .iter()
        .map(|f| f.text.as_str())
        .collect::<String>();
    assert!(!text.contains("Sha256"), "{text}");
    assert!(text.contains("bytes main = 1;"), "{text}");
    assert!(text.contains("repeated bytes chunks = 4;"), "{text}");
    assert!(text.contains("map<string, bytes> by_name = 5;"), "{text}");
    let js = Manifest::schemas().json().unwrap().value().clone();
    assert!(
        js.get("definitions")
            .is_none_or(|d| d.get("com.acme.crypto.Sha256").is_none()),
        "{js}"
    );
    // serde writes [u8; 32] as an array of numbers.
    assert_eq!(js["properties"]["main"]["type"], json!("array"), "{js}");
    assert_eq!(js["properties"]["main"]["minItems"], json!(32), "{js}");
}

#[test]
fn a_named_fixed_round_trips_through_every_codec() {
    let m = manifest();
    assert_eq!(Manifest::from_avro(&m.to_avro().unwrap()).unwrap(), m);
    assert_eq!(
        Manifest::from_protobuf(&m.to_protobuf().unwrap()).unwrap(),
        m
    );
    assert_eq!(Manifest::loads(&m.dumps().unwrap()).unwrap(), m);
    // The same bytes as an unnamed [u8; N]: the name changes only the schema.
    let mut flat = Vec::new();
    for d in [&m.main, &m.backup] {
        flat.extend_from_slice(&d.0);
    }
    assert_eq!(&m.to_avro().unwrap()[..64], &flat[..]);
    // Truncated input is an error, not a panic.
    let bytes = m.to_avro().unwrap();
    for n in 0..bytes.len() {
        assert!(Manifest::from_avro(&bytes[..n]).is_err());
    }
}

// --- the reference implementations ---------------------------------------------------------

/// fastavro and Apache avro read what we write, and write the same bytes from the value.
#[test]
fn reference_implementations_agree_on_the_new_mappings() {
    let Some(python) = interop_python() else {
        return;
    };
    let dir = scratch("avro_expressive_cases");
    write_avro_case(&dir, "named_fixed", &manifest());
    write_avro_case(&dir, "null_and_unions", &slots());
    write_avro_case(&dir, "times", &shift());
    write_avro_case(&dir, "decimal128", &ledger());
    let out = run(Command::new(python)
        .arg(interop_dir().join("check_vectors.py"))
        .arg(&dir));
    assert!(out.contains("4 passed, 0 failed"), "{out}");
}

// --- the null type ----------------------------------------------------------------------------

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.misc")]
pub struct Card {
    pub last4: String,
}

/// A union with primitive branches and `null` (the `()` variant).
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.misc")]
pub enum Anything {
    Null(()),
    Long(i64),
    Text(String),
    Card(Card),
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.misc")]
pub struct Slots {
    pub nothing: (),
    pub count: i32,
    pub first: Anything,
    pub rest: Vec<Anything>,
}

fn slots() -> Slots {
    Slots {
        nothing: (),
        count: 3,
        first: Anything::Null(()),
        rest: vec![
            Anything::Long(-5),
            Anything::Text("x".into()),
            Anything::Card(Card {
                last4: "1234".into(),
            }),
            Anything::Null(()),
        ],
    }
}

#[test]
fn unit_is_the_null_type() {
    let schema: Json = serde_json::from_str(Slots::schemas().avro().unwrap().json()).unwrap();
    assert_eq!(
        schema["fields"][0],
        json!({"name": "nothing", "type": "null"})
    );
    assert_eq!(
        schema["fields"][2]["type"],
        json!(["null", "long", "string", {"type": "record", "name": "Card", "namespace": "com.acme.misc",
                                          "fields": [{"name": "last4", "type": "string"}]}])
    );
    assert_eq!(
        schema["fields"][3]["type"]["items"],
        json!(["null", "long", "string", "com.acme.misc.Card"])
    );
    // Zero bytes for the null field; branch 0 for the null variant.
    let s = slots();
    let bytes = s.to_avro().unwrap();
    assert_eq!(&bytes[..2], &[6, 0], "count 3, then branch 0 (null)");
    assert_eq!(Slots::from_avro(&bytes).unwrap(), s);
    for n in 0..bytes.len() {
        assert!(Slots::from_avro(&bytes[..n]).is_err());
    }
    // JSON as serde writes it.
    let text: Json = serde_json::from_slice(&s.dumps().unwrap()).unwrap();
    assert_eq!(text["nothing"], Json::Null);
    assert_eq!(text["first"], json!({"Null": null}));
    assert_eq!(Slots::loads(&s.dumps().unwrap()).unwrap(), s);
    let js = Slots::schemas().json().unwrap().value().clone();
    assert_eq!(js["properties"]["nothing"], json!({"type": "null"}), "{js}");
    // Protobuf: google.protobuf.Empty, never written as a field, an empty message in a oneof.
    let proto = Slots::schemas().proto().unwrap();
    assert!(proto
        .imports_well_known()
        .contains(&"google/protobuf/empty.proto"));
    let text = proto.main().text.clone();
    assert!(
        text.contains("google.protobuf.Empty nothing = 1;"),
        "{text}"
    );
    assert_eq!(Slots::from_protobuf(&s.to_protobuf().unwrap()).unwrap(), s);
}

/// `Option<()>` is a compile error (`tests/ui/option_unit.rs`); an `Option` of an enum with a
/// `()` variant is a schema error (the derive cannot see the enum's variants).
#[test]
fn option_of_null_is_refused() {
    #[derive(Record, Serialize, Deserialize, Debug)]
    struct Flattened {
        maybe: Option<Anything>,
    }
    let e = Flattened::schemas().avro().unwrap_err().to_string();
    assert!(e.contains("twice"), "{e}");
}

/// The `.proto` of the new mappings compiles (protox; protoc when installed).
#[test]
fn proto_of_the_new_mappings_compiles() {
    for (name, schema) in [
        ("manifest", Manifest::schemas().proto().unwrap()),
        ("slots", Slots::schemas().proto().unwrap()),
    ] {
        let dir = scratch(&format!("avro_expressive_proto_{name}"));
        for f in schema.files() {
            let path = dir.join(&f.name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &f.text).unwrap();
        }
        let main = &schema.main().name;
        protox::Compiler::new([&dir])
            .and_then(|mut c| c.open_file(main).map(|_| ()))
            .unwrap_or_else(|e| panic!("{name}: protox rejects {main}: {e:?}"));
        if let Some(protoc) = common::tools::protoc() {
            let out = Command::new(protoc)
                .arg("-I")
                .arg(&dir)
                .arg("--descriptor_set_out=/dev/null")
                .arg(main)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{name}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

// --- top-level primitives ---------------------------------------------------------------------

#[test]
fn primitives_are_records_with_primitive_schemas() {
    assert_eq!(String::schemas().avro().unwrap().json(), "\"string\"");
    assert_eq!(i64::schemas().avro().unwrap().json(), "\"long\"");
    assert_eq!(i32::schemas().avro().unwrap().json(), "\"int\"");
    assert_eq!(f64::schemas().avro().unwrap().json(), "\"double\"");
    assert_eq!(f32::schemas().avro().unwrap().json(), "\"float\"");
    assert_eq!(bool::schemas().avro().unwrap().json(), "\"boolean\"");
    assert_eq!(Vec::<u8>::schemas().avro().unwrap().json(), "\"bytes\"");
    assert_eq!(bytes::Bytes::schemas().avro().unwrap().json(), "\"bytes\"");
    assert_eq!(String::model().full_name(), "string");
    assert_eq!(
        String::schemas().json().unwrap().value()["type"],
        json!("string")
    );
    let e = String::schemas().proto().unwrap_err().to_string();
    assert!(e.contains("message"), "{e}");
    // The Avro datum, and the framing the serdes use (raw for bytes only).
    assert_eq!(12345i64.to_avro().unwrap(), [0xf2, 0xc0, 0x01]);
    assert_eq!(i64::from_avro(&[0xf2, 0xc0, 0x01]).unwrap(), 12345);
    assert_eq!(vec![7u8, 8].to_avro().unwrap(), [4, 7, 8]);
    let mut framed = Vec::new();
    vec![7u8, 8].write_avro_framed(&mut framed).unwrap();
    assert_eq!(framed, [7, 8]);
    assert_eq!(Vec::<u8>::from_avro_framed(&[]).unwrap(), Vec::<u8>::new());
    // Untrusted input: errors, not panics.
    assert!(String::from_avro(&[0x07, b'a']).is_err());
    assert!(String::from_avro(&[0x02, 0xff]).is_err());
    assert!(i64::from_avro(&[0xff; 11]).is_err());
    assert!(String::from_avro_framed(&[0x01]).is_err());
}

/// `Serializer<String>` / `<Vec<u8>>` / `<i64>` frame as confluent-kafka's AvroSerializer on a
/// primitive schema (the vectors `avro_confluent_key_string`, `avro_confluent_toplevel_bytes`),
/// and `Deserializer` reads them back.
#[tokio::test]
async fn serdes_write_top_level_primitives_as_confluent_does() {
    use kafka_model::registry::MemoryRegistry;
    use kafka_model::serdes::{Deserializer, DeserializerConfig, Serializer, SerializerConfig};
    use std::sync::Arc;

    let registry = Arc::new(MemoryRegistry::new());
    let key = Serializer::<String>::new(registry.clone(), SerializerConfig::avro().key()).unwrap();
    let (subject, id) = key.register("orders").await.unwrap();
    assert_eq!(subject, "orders-key");
    let (payload, _) = key
        .serialize("orders", &"order-125463432".to_string())
        .await
        .unwrap();
    let vector = std::fs::read(
        common::tools::testdata_dir().join("vectors/avro_confluent_key_string/payload.bin"),
    )
    .unwrap();
    assert_eq!(payload[..5], [0, 0, 0, 0, id as u8]);
    assert_eq!(payload[5..], vector[5..]);
    let de = Deserializer::<String>::new(registry.clone(), DeserializerConfig::avro().key());
    assert_eq!(
        de.deserialize("orders", &payload, &kafka_model::wire::NoHeaders)
            .await
            .unwrap(),
        "order-125463432"
    );

    let vector = std::fs::read(
        common::tools::testdata_dir().join("vectors/avro_confluent_toplevel_bytes/payload.bin"),
    )
    .unwrap();
    let blob = vector[5..].to_vec();
    let ser = Serializer::<Vec<u8>>::new(registry.clone(), SerializerConfig::avro()).unwrap();
    let (payload, _) = ser.serialize("blobs", &blob).await.unwrap();
    assert_eq!(payload[5..], vector[5..], "raw, no length prefix");
    let de = Deserializer::<Vec<u8>>::new(registry.clone(), DeserializerConfig::avro());
    assert_eq!(
        de.deserialize("blobs", &payload, &kafka_model::wire::NoHeaders)
            .await
            .unwrap(),
        blob
    );

    let ser = Serializer::<i64>::new(registry.clone(), SerializerConfig::avro()).unwrap();
    let (payload, _) = ser.serialize("counts", &-3).await.unwrap();
    assert_eq!(payload[5..], [5]);
    let de = Deserializer::<i64>::new(registry, DeserializerConfig::avro());
    assert_eq!(
        de.deserialize("counts", &payload, &kafka_model::wire::NoHeaders)
            .await
            .unwrap(),
        -3
    );
}

// --- times of day and local date-times --------------------------------------------------------

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.misc")]
pub struct Shift {
    #[record(timestamp = "millis")]
    pub opens: chrono::NaiveTime,
    pub closes: chrono::NaiveTime,
    pub break_at: Option<chrono::NaiveTime>,
    pub alarm: time::Time,
    pub local: chrono::NaiveDateTime,
    #[record(timestamp = "millis")]
    pub local_ms: chrono::NaiveDateTime,
}

fn shift() -> Shift {
    use chrono::{NaiveDate, NaiveTime};
    Shift {
        opens: NaiveTime::from_hms_milli_opt(8, 30, 0, 250).unwrap(),
        closes: NaiveTime::from_hms_micro_opt(23, 59, 59, 999_999).unwrap(),
        break_at: Some(NaiveTime::from_hms_opt(0, 0, 0).unwrap()),
        alarm: time::Time::from_hms_micro(6, 5, 4, 3).unwrap(),
        local: NaiveDate::from_ymd_opt(1969, 7, 20)
            .unwrap()
            .and_hms_micro_opt(20, 17, 40, 123_456)
            .unwrap(),
        local_ms: NaiveDate::from_ymd_opt(2024, 2, 29)
            .unwrap()
            .and_hms_milli_opt(12, 0, 0, 5)
            .unwrap(),
    }
}

#[test]
fn times_and_local_timestamps_map_to_their_logical_types() {
    let schema: Json = serde_json::from_str(Shift::schemas().avro().unwrap().json()).unwrap();
    let types: Vec<&Json> = schema["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["type"])
        .collect();
    assert_eq!(
        *types[0],
        json!({"type": "int", "logicalType": "time-millis"})
    );
    assert_eq!(
        *types[1],
        json!({"type": "long", "logicalType": "time-micros"})
    );
    assert_eq!(
        *types[2],
        json!(["null", {"type": "long", "logicalType": "time-micros"}])
    );
    assert_eq!(
        *types[3],
        json!({"type": "long", "logicalType": "time-micros"})
    );
    assert_eq!(
        *types[4],
        json!({"type": "long", "logicalType": "local-timestamp-micros"})
    );
    assert_eq!(
        *types[5],
        json!({"type": "long", "logicalType": "local-timestamp-millis"})
    );
    let s = shift();
    let bytes = s.to_avro().unwrap();
    assert_eq!(Shift::from_avro(&bytes).unwrap(), s);
    for n in 0..bytes.len() {
        assert!(Shift::from_avro(&bytes[..n]).is_err());
    }
    assert_eq!(Shift::from_protobuf(&s.to_protobuf().unwrap()).unwrap(), s);
    assert_eq!(Shift::loads(&s.dumps().unwrap()).unwrap(), s);
    // Out-of-range times on the wire are errors: 24:00 in millis, a negative time.
    let mut bad = Vec::new();
    kafka_model::avro::encode::write_long(&mut bad, 86_400_000);
    let e = Shift::from_avro(&bad).unwrap_err().to_string();
    assert!(e.contains("time of day"), "{e}");
    bad.clear();
    kafka_model::avro::encode::write_long(&mut bad, -1);
    assert!(Shift::from_avro(&bad).is_err());
    // A chrono leap second has no Avro time: an encode error.
    let mut leap = s.clone();
    leap.closes = chrono::NaiveTime::from_hms_nano_opt(23, 59, 59, 1_500_000_000).unwrap();
    assert!(leap.to_avro().is_err());
    // The JSON Schema accepts serde's forms.
    let js = Shift::schemas().json().unwrap();
    let text = s.dumps().unwrap();
    let value: Json = serde_json::from_slice(&text).unwrap();
    assert_eq!(value["opens"], json!("08:30:00.250"));
    assert!(js.value()["properties"]["opens"]["pattern"].is_string());
    let proto = Shift::schemas().proto().unwrap().main().text.clone();
    assert!(proto.contains("int64 opens = 1;"), "{proto}");
}

// --- wide decimals --------------------------------------------------------------------------

use kafka_model::decimal128::Decimal128;

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.misc")]
pub struct Ledger {
    #[record(decimal(precision = 38, scale = 9))]
    pub total: Decimal128,
    #[record(decimal(precision = 38, scale = 0))]
    pub entries: Vec<Decimal128>,
}

fn ledger() -> Ledger {
    Ledger {
        total: "-99999999999999999999999999999.999999999".parse().unwrap(),
        entries: vec![
            "0".parse().unwrap(),
            "99999999999999999999999999999999999999".parse().unwrap(),
            "-1".parse().unwrap(),
        ],
    }
}

#[test]
fn decimal128_holds_38_digits() {
    let schema: Json = serde_json::from_str(Ledger::schemas().avro().unwrap().json()).unwrap();
    assert_eq!(
        schema["fields"][0]["type"],
        json!({"type": "bytes", "logicalType": "decimal", "precision": 38, "scale": 9})
    );
    let l = ledger();
    assert_eq!(Ledger::from_avro(&l.to_avro().unwrap()).unwrap(), l);
    assert_eq!(Ledger::from_protobuf(&l.to_protobuf().unwrap()).unwrap(), l);
    let text: Json = serde_json::from_slice(&l.dumps().unwrap()).unwrap();
    assert_eq!(
        text["total"],
        json!("-99999999999999999999999999999.999999999")
    );
    assert_eq!(Ledger::loads(&l.dumps().unwrap()).unwrap(), l);
    // Rescaled to the field's scale on encode; digits that would be lost are an error.
    let mut short = l.clone();
    short.total = "1.5".parse().unwrap();
    let back = Ledger::from_avro(&short.to_avro().unwrap()).unwrap();
    assert_eq!(back.total.to_string(), "1.500000000");
    short.total = "1.0000000001".parse().unwrap();
    assert!(short.to_avro().is_err());
    // 17 significant bytes do not fit: a decode error, not a panic.
    let mut bad = vec![34];
    bad.extend([0x7f; 17]);
    assert!(Ledger::from_avro(&bad).is_err());
    assert!(Ledger::loads(br#"{"total": "1e5", "entries": []}"#).is_err());
}

// --- properties -------------------------------------------------------------------------------

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn arb_time() -> impl Strategy<Value = chrono::NaiveTime> {
        (0u32..86_400, 0u32..1_000_000).prop_map(|(s, us)| {
            chrono::NaiveTime::from_num_seconds_from_midnight_opt(s, us * 1_000).unwrap()
        })
    }

    fn arb_local() -> impl Strategy<Value = chrono::NaiveDateTime> {
        (-100_000_000_000i64..100_000_000_000, 0u32..1_000_000).prop_map(|(s, us)| {
            chrono::DateTime::from_timestamp(s, us * 1_000)
                .unwrap()
                .naive_utc()
        })
    }

    fn arb_decimal(scale: u32) -> impl Strategy<Value = Decimal128> {
        let limit = 10i128.pow(38) - 1;
        (-limit..=limit).prop_map(move |u| Decimal128::new(u, scale).unwrap())
    }

    fn arb_shift() -> impl Strategy<Value = Shift> {
        (
            arb_time(),
            arb_time(),
            proptest::option::of(arb_time()),
            arb_local(),
            arb_local(),
        )
            .prop_map(|(opens, closes, break_at, local, local_ms)| {
                use chrono::Timelike;
                Shift {
                    // millisecond fields hold what millis can carry
                    opens: opens
                        .with_nanosecond(opens.nanosecond() / 1_000_000 * 1_000_000)
                        .unwrap(),
                    closes,
                    break_at,
                    alarm: time::Time::from_hms_micro(1, 2, 3, 4).unwrap(),
                    local,
                    local_ms: local_ms
                        .with_nanosecond(local_ms.nanosecond() / 1_000_000 * 1_000_000)
                        .unwrap(),
                }
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn shifts_round_trip_through_every_codec(s in arb_shift()) {
            prop_assert_eq!(Shift::from_avro(&s.to_avro().unwrap()).unwrap(), s.clone());
            prop_assert_eq!(Shift::from_protobuf(&s.to_protobuf().unwrap()).unwrap(), s.clone());
            prop_assert_eq!(Shift::loads(&s.dumps().unwrap()).unwrap(), s);
        }

        #[test]
        fn decimals_round_trip(total in arb_decimal(9), entries in proptest::collection::vec(arb_decimal(0), 0..4)) {
            let l = Ledger { total, entries };
            prop_assert_eq!(Ledger::from_avro(&l.to_avro().unwrap()).unwrap(), l.clone());
            prop_assert_eq!(Ledger::from_protobuf(&l.to_protobuf().unwrap()).unwrap(), l.clone());
            prop_assert_eq!(Ledger::loads(&l.dumps().unwrap()).unwrap(), l.clone());
            prop_assert_eq!(l.total.to_string().parse::<Decimal128>().unwrap(), l.total);
        }

        /// Arbitrary bytes never panic the decoders of the new mappings.
        #[test]
        fn arbitrary_bytes_are_errors_not_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = Shift::from_avro(&bytes);
            let _ = Shift::from_protobuf(&bytes);
            let _ = Ledger::from_avro(&bytes);
            let _ = Ledger::from_protobuf(&bytes);
            let _ = Slots::from_avro(&bytes);
            let _ = Slots::from_protobuf(&bytes);
            let _ = Manifest::from_avro(&bytes);
            let _ = Vec::<u8>::from_avro_framed(&bytes);
            let _ = String::from_avro_framed(&bytes);
        }

        /// Mutating one byte of a valid datum never panics either.
        #[test]
        fn mutated_datums_are_errors_or_values(at in any::<prop::sample::Index>(), to in any::<u8>()) {
            for mut bytes in [shift().to_avro().unwrap(), ledger().to_avro().unwrap(), slots().to_avro().unwrap()] {
                let i = at.index(bytes.len());
                bytes[i] = to;
                let _ = Shift::from_avro(&bytes);
                let _ = Ledger::from_avro(&bytes);
                let _ = Slots::from_avro(&bytes);
            }
        }
    }
}

// --- newtypes over primitives at the top level ------------------------------------------------

/// A message key: a newtype over `String` is a `Record` with the schema `"string"`.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct OrderKey(pub String);

/// A raw payload: written raw after the header, like `Vec<u8>`.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(transparent)]
pub struct Blob {
    pub data: Vec<u8>,
}

#[tokio::test]
async fn newtypes_over_primitives_are_top_level_values() {
    use kafka_model::registry::MemoryRegistry;
    use kafka_model::serdes::{Deserializer, DeserializerConfig, Serializer, SerializerConfig};
    use kafka_model::wire::NoHeaders;
    use std::sync::Arc;

    assert_eq!(OrderKey::schemas().avro().unwrap().json(), "\"string\"");
    assert_eq!(Blob::schemas().avro().unwrap().json(), "\"bytes\"");
    let registry = Arc::new(MemoryRegistry::new());
    let ser =
        Serializer::<OrderKey>::new(registry.clone(), SerializerConfig::avro().key()).unwrap();
    let key = OrderKey("order-1".into());
    let (payload, _) = ser.serialize("t", &key).await.unwrap();
    assert_eq!(payload[5..], *b"\x0eorder-1");
    let de = Deserializer::<OrderKey>::new(registry.clone(), DeserializerConfig::avro().key());
    assert_eq!(
        de.deserialize("t", &payload, &NoHeaders).await.unwrap(),
        key
    );
    // A String key's reader reads the newtype's bytes (same schema, same subject).
    let de = Deserializer::<String>::new(registry.clone(), DeserializerConfig::avro().key());
    assert_eq!(
        de.deserialize("t", &payload, &NoHeaders).await.unwrap(),
        "order-1"
    );

    let ser = Serializer::<Blob>::new(registry.clone(), SerializerConfig::avro()).unwrap();
    let blob = Blob {
        data: vec![0, 1, 2],
    };
    let (payload, _) = ser.serialize("t", &blob).await.unwrap();
    assert_eq!(payload[5..], [0, 1, 2]);
    let de = Deserializer::<Blob>::new(registry, DeserializerConfig::avro());
    assert_eq!(
        de.deserialize("t", &payload, &NoHeaders).await.unwrap(),
        blob
    );
}

/// The JSON Schemas of the new mappings accept what serde writes (Python's jsonschema).
#[test]
fn json_schemas_accept_serde_json() {
    let Some(python) = interop_python() else {
        return;
    };
    let cases: Vec<(Json, Json)> = vec![
        (
            Manifest::schemas().json().unwrap().value().clone(),
            serde_json::from_slice(&manifest().dumps().unwrap()).unwrap(),
        ),
        (
            Slots::schemas().json().unwrap().value().clone(),
            serde_json::from_slice(&slots().dumps().unwrap()).unwrap(),
        ),
        (Shift::schemas().json().unwrap().value().clone(), {
            // Known gap: without the `time` crate's `serde-human-readable` feature, serde
            // writes `time::Time` as an array, not the string the schema describes.
            let mut v: Json = serde_json::from_slice(&shift().dumps().unwrap()).unwrap();
            v["alarm"] = json!("06:05:04.000003");
            v
        }),
        (
            Ledger::schemas().json().unwrap().value().clone(),
            serde_json::from_slice(&ledger().dumps().unwrap()).unwrap(),
        ),
        (
            String::schemas().json().unwrap().value().clone(),
            json!("order-1"),
        ),
    ];
    let path = scratch("avro_expressive_json").join("cases.json");
    std::fs::write(&path, serde_json::to_vec(&cases).unwrap()).unwrap();
    let script = "import json, sys, jsonschema\n\
                  for schema, value in json.load(open(sys.argv[1])):\n\
                  \x20   jsonschema.Draft7Validator.check_schema(schema)\n\
                  \x20   jsonschema.Draft7Validator(schema).validate(value)\n\
                  print('ok')\n";
    let out = run(Command::new(python).arg("-c").arg(script).arg(&path));
    assert!(out.contains("ok"), "{out}");
}

/// The new mappings size a fresh `to_avro` buffer once: their size hints bound what they write.
#[test]
fn size_hints_bound_the_new_mappings() {
    use kafka_model::avro::size_hint;
    let cases: Vec<(&str, usize, usize)> = vec![
        (
            "Manifest",
            size_hint(&manifest()),
            manifest().to_avro().unwrap().len(),
        ),
        (
            "Slots",
            size_hint(&slots()),
            slots().to_avro().unwrap().len(),
        ),
        (
            "Shift",
            size_hint(&shift()),
            shift().to_avro().unwrap().len(),
        ),
        (
            "Ledger",
            size_hint(&ledger()),
            ledger().to_avro().unwrap().len(),
        ),
    ];
    for (name, hint, len) in cases {
        assert!(
            hint >= len,
            "{name}: size hint {hint} < {len} bytes written"
        );
    }
}
