//! Write direction of the wire formats: values framed by our [`kafka_model::wire`] module around
//! the bytes of our codecs are accepted by the reference implementations
//! (`interop/check_vectors.py`: confluent-kafka's `SchemaId` and deserializers,
//! apicurio-serdes, kafkit, fastavro, Apache avro, the protobuf runtime, jsonschema, faust).
//!
//! Cases written: Confluent Avro (ids from 1 to 2^32-1, value and key), Confluent JSON with our
//! JSON Schema, Confluent Protobuf with message indexes `[0]` and with paths of messages that are
//! not first in their `.proto` file, Apicurio KAFKA_HEADERS (globalId and contentId, value and
//! key), and Faust JSON (`json+faust`). Every frame is also parsed back by [`WireReader`] and
//! decoded by the same codec before it is written.

mod avro_support;
mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use avro_support::{lit_json, Names};
use common::corpus::*;
use common::tools::{interop_dir, interop_python, run, scratch};
use kafka_model::codec::Codec;
use kafka_model::wire::{Field, MessageIndexes, OwnedHeaders, SchemaId, WireFormat, WireReader};
use kafka_model::Record;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// A shipment: its `.proto` file declares `Shipment` first, then `Parcel`, then `Carrier`.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.wire")]
struct Shipment {
    id: String,
    parcel: Parcel,
    carrier: Carrier,
}

/// The second message of `com/acme/wire.proto`: Confluent message indexes `[1]`.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.wire")]
struct Parcel {
    weight_g: i64,
    label: String,
    fragile: bool,
}

/// The third message of `com/acme/wire.proto`: Confluent message indexes `[2]`.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.wire")]
struct Carrier {
    name: String,
    scores: Vec<i32>,
}

fn parcel() -> Parcel {
    Parcel {
        weight_g: 1250,
        label: "Fragile ☂".into(),
        fragile: true,
    }
}

fn carrier() -> Carrier {
    Carrier {
        name: "Post".into(),
        scores: vec![5, -1, 300],
    }
}

fn sample<T: Record>(name: &str) -> T {
    let case = cases()
        .into_iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no corpus case {name}"));
    T::loads(&(case.sample_json)()).expect("corpus sample decodes")
}

/// One case folder: `case.json`, the schema file (if any), `payload.bin`, `headers.json` (if any).
fn write_folder(
    dir: &Path,
    name: &str,
    case: Value,
    schema: Option<(&str, &str)>,
    payload: &[u8],
    headers: &OwnedHeaders,
) {
    let case_dir = dir.join(name);
    std::fs::create_dir_all(&case_dir).expect("case dir");
    if let Some((file, text)) = schema {
        std::fs::write(case_dir.join(file), text).expect("schema file");
    }
    std::fs::write(case_dir.join("payload.bin"), payload).expect("payload.bin");
    if !headers.is_empty() {
        let map: BTreeMap<&str, String> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.iter().map(|b| format!("{b:02x}")).collect()))
            .collect();
        std::fs::write(
            case_dir.join("headers.json"),
            serde_json::to_vec_pretty(&map).expect("headers json"),
        )
        .expect("headers.json");
    }
    std::fs::write(
        case_dir.join("case.json"),
        serde_json::to_vec_pretty(&case).expect("case json"),
    )
    .expect("case.json");
}

/// Frames `value` encoded by `codec` into one buffer: header first, then the codec's bytes.
fn frame<T: Record>(
    wire: WireFormat,
    field: Field,
    id: SchemaId,
    indexes: Option<&MessageIndexes>,
    codec: &str,
    value: &T,
) -> (Vec<u8>, OwnedHeaders) {
    let mut buf = Vec::new();
    let mut headers = OwnedHeaders::new();
    wire.write_header(field, id, indexes, &mut buf, &mut headers)
        .expect("framing");
    let codec = Codec::parse(codec).expect("codec");
    buf.extend(codec.encode(value).expect("encodes"));
    (buf, headers)
}

/// Parses our frame back: the same wire, id and path, and the payload decodes to the value.
fn parse_back<T: Record + PartialEq + std::fmt::Debug>(
    bytes: &[u8],
    headers: &OwnedHeaders,
    field: Field,
    protobuf: bool,
    codec: &str,
    expected: (&WireFormat, SchemaId, Option<&MessageIndexes>, &T),
) {
    let frame = WireReader::new(field)
        .message_indexes(protobuf)
        .parse(Some(bytes), headers)
        .expect("our frame parses")
        .expect("not a tombstone");
    assert_eq!(&frame.wire, expected.0);
    assert_eq!(frame.id, Some(expected.1));
    assert_eq!(frame.indexes.as_ref(), expected.2);
    let codec = Codec::parse(codec).expect("codec");
    assert_eq!(
        &codec.decode::<T>(frame.payload).expect("decodes"),
        expected.3
    );
}

fn avro_value<T: Record>(value: &T) -> (String, Value) {
    let schema = T::schemas().avro().expect("avro schema");
    let names = Names::of(schema.schema());
    let expected = lit_json(&value.to_literal(), schema.schema(), &names);
    (schema.json().to_string(), expected)
}

/// Confluent Avro: `00` + 4-byte id + our Avro datum.
fn confluent_avro<T: Record + PartialEq + std::fmt::Debug>(
    dir: &Path,
    name: &str,
    field: Field,
    id: u32,
    value: &T,
) {
    let wire = WireFormat::Confluent;
    let (payload, headers) = frame(wire, field, SchemaId::Id(id), None, "avro", value);
    parse_back(
        &payload,
        &headers,
        field,
        false,
        "avro",
        (&wire, SchemaId::Id(id), None, value),
    );
    let (schema, expected) = avro_value(value);
    let case = json!({
        "format": "avro", "wire": "confluent", "field": field.as_str(),
        "topic": "kafka-model.wire", "schema": "schema.avsc", "schema_id": id,
        "value": expected, "producer": "kafka-model wire + avro codec",
    });
    write_folder(
        dir,
        name,
        case,
        Some(("schema.avsc", &schema)),
        &payload,
        &headers,
    );
}

/// Apicurio KAFKA_HEADERS: the raw Avro datum, the id in `apicurio.{field}.{globalId|contentId}`.
/// Written without the `.encoding` header, as the Python apicurio-serdes (the reference writer
/// the checker compares headers with) does.
fn apicurio_avro<T: Record + PartialEq + std::fmt::Debug>(
    dir: &Path,
    name: &str,
    field: Field,
    id: SchemaId,
    value: &T,
) {
    let wire = WireFormat::ApicurioHeaders { encoding: None };
    let (payload, headers) = frame(wire, field, id, None, "avro", value);
    assert_eq!(payload, value.to_avro().expect("encodes"), "raw body");
    assert_eq!(headers.len(), 1, "{headers:?}");
    parse_back(
        &payload,
        &headers,
        field,
        false,
        "avro",
        (&wire, id, None, value),
    );
    let (schema, expected) = avro_value(value);
    let mut case = json!({
        "format": "avro", "wire": "apicurio-headers", "field": field.as_str(),
        "topic": "kafka-model.wire", "schema": "schema.avsc",
        "value": expected, "producer": "kafka-model wire + avro codec",
    });
    match id {
        SchemaId::GlobalId(g) => case["global_id"] = json!(g),
        SchemaId::ContentId(c) => case["content_id"] = json!(c),
        other => panic!("not an Apicurio id: {other:?}"),
    }
    write_folder(
        dir,
        name,
        case,
        Some(("schema.avsc", &schema)),
        &payload,
        &headers,
    );
}

/// Confluent JSON: `00` + 4-byte id + our JSON, with our JSON Schema.
fn confluent_json<T: Record + Serialize + PartialEq + std::fmt::Debug>(
    dir: &Path,
    name: &str,
    id: u32,
    value: &T,
) {
    let wire = WireFormat::Confluent;
    let field = Field::Value;
    let (payload, headers) = frame(wire, field, SchemaId::Id(id), None, "json", value);
    parse_back(
        &payload,
        &headers,
        field,
        false,
        "json",
        (&wire, SchemaId::Id(id), None, value),
    );
    let schema = T::schemas().json().expect("json schema");
    let case = json!({
        "format": "json", "wire": "confluent", "topic": "kafka-model.wire",
        "schema": "schema.json", "schema_id": id,
        "value": serde_json::to_value(value).expect("json value"),
        "producer": "kafka-model wire + json codec",
    });
    write_folder(
        dir,
        name,
        case,
        Some(("schema.json", schema.text())),
        &payload,
        &headers,
    );
}

/// Faust JSON (`json+faust`, no framing): every record object carries `__faust.ns`; `expected`
/// is the document without the blobs.
fn faust_json<T: Record + PartialEq + std::fmt::Debug>(
    dir: &Path,
    name: &str,
    value: &T,
    expected: Value,
) {
    let payload = value.dumps_with("json+faust").expect("encodes");
    assert_eq!(
        &T::loads_with("json+faust", &payload).expect("decodes"),
        value
    );
    let case = json!({
        "format": "json", "wire": "json", "schema": null, "faust_metadata": true,
        "value": expected,
        "producer": "kafka-model json+faust codec",
    });
    write_folder(dir, name, case, None, &payload, &OwnedHeaders::new());
}

/// Names of the top-level messages of a `.proto` file, in declaration order (what Confluent's
/// message indexes count).
fn top_level_messages(text: &str) -> Vec<String> {
    let mut depth = 0usize;
    let mut out = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if depth == 0 {
            if let Some(rest) = t.strip_prefix("message ") {
                out.push(rest.trim_end_matches('{').trim().to_string());
            }
        }
        depth += t.matches('{').count();
        depth = depth.saturating_sub(t.matches('}').count());
    }
    out
}

/// Confluent Protobuf: `00` + id + message indexes of `message` in `file_owner`'s `.proto`
/// (rendered by our renderer) + our Protobuf bytes of `value`.
fn confluent_protobuf<F: Record, T: Record + Serialize + PartialEq + std::fmt::Debug>(
    dir: &Path,
    name: &str,
    id: u32,
    value: &T,
    expected_index: u32,
) {
    let schema = F::schemas().proto().expect("proto schema");
    assert_eq!(schema.files().len(), 1, "{name}: one self-contained .proto");
    let text = &schema.main().text;
    let full = T::model().full_name();
    let short = full.rsplit('.').next().expect("a name");
    let index = top_level_messages(text)
        .iter()
        .position(|m| m == short)
        .unwrap_or_else(|| panic!("{short} not declared in\n{text}"));
    let index = u32::try_from(index).expect("small index");
    assert_eq!(
        index, expected_index,
        "{name}: position of {short} in\n{text}"
    );
    let path = MessageIndexes::new(vec![index]).expect("path");
    let wire = WireFormat::Confluent;
    let field = Field::Value;
    let (payload, headers) = frame(
        wire,
        field,
        SchemaId::Id(id),
        Some(&path),
        "protobuf",
        value,
    );
    if index == 0 {
        assert_eq!(payload[5], 0x00, "[0] is the single byte 00");
    }
    parse_back(
        &payload,
        &headers,
        field,
        true,
        "protobuf",
        (&wire, SchemaId::Id(id), Some(&path), value),
    );
    let case = json!({
        "format": "protobuf", "wire": "confluent", "topic": "kafka-model.wire",
        "schema": "schema.proto", "schema_id": id, "message_type": full,
        "message_indexes": [index],
        "value": serde_json::to_value(value).expect("json value"),
        "producer": "kafka-model wire + protobuf codec",
    });
    write_folder(
        dir,
        name,
        case,
        Some(("schema.proto", text)),
        &payload,
        &headers,
    );
}

#[test]
fn reference_implementations_accept_what_we_frame() {
    let Some(python) = interop_python() else {
        return;
    };
    let dir = scratch("wire_interop_cases");
    let mut n = 0;

    // Confluent Avro, ids across the whole 4-byte range (> 2^24 included), value and key.
    for (name, id) in [
        ("avro_confluent_id_1", 1u32),
        ("avro_confluent_id_300", 300),
        ("avro_confluent_id_2p24_plus_1", (1 << 24) + 1),
        ("avro_confluent_id_max", u32::MAX),
    ] {
        confluent_avro(&dir, name, Field::Value, id, &order());
        n += 1;
    }
    confluent_avro(&dir, "avro_confluent_key", Field::Key, 70_000, &customer());
    confluent_avro(
        &dir,
        "avro_confluent_union",
        Field::Value,
        0x0102_0304,
        &sample::<Ledger>("Ledger"),
    );
    n += 2;

    // Confluent JSON with our JSON Schema.
    confluent_json(&dir, "json_confluent_order", 21, &order());
    confluent_json(
        &dir,
        "json_confluent_collections",
        (1 << 24) + 5,
        &sample::<Collections>("Collections"),
    );
    confluent_json(
        &dir,
        "json_confluent_optionals",
        22,
        &sample::<Optionals>("Optionals"),
    );
    n += 3;

    // Confluent Protobuf: [0], and messages that are second and third in their file.
    confluent_protobuf::<Shipment, _>(
        &dir,
        "protobuf_confluent_index_0",
        31,
        &Shipment {
            id: "s-1".into(),
            parcel: parcel(),
            carrier: carrier(),
        },
        0,
    );
    confluent_protobuf::<Shipment, _>(&dir, "protobuf_confluent_index_1", 32, &parcel(), 1);
    confluent_protobuf::<Shipment, _>(
        &dir,
        "protobuf_confluent_index_2",
        (1 << 24) + 33,
        &carrier(),
        2,
    );
    confluent_protobuf::<Item, _>(&dir, "protobuf_confluent_item", 34, &item(3), 0);
    n += 4;

    // Apicurio KAFKA_HEADERS: globalId and contentId, value and key.
    apicurio_avro(
        &dir,
        "avro_apicurio_value_global",
        Field::Value,
        SchemaId::GlobalId(41),
        &order(),
    );
    apicurio_avro(
        &dir,
        "avro_apicurio_value_content",
        Field::Value,
        SchemaId::ContentId(5_000_000_000),
        &order(),
    );
    apicurio_avro(
        &dir,
        "avro_apicurio_key_global",
        Field::Key,
        SchemaId::GlobalId(i64::from(u32::MAX) + 1),
        &customer(),
    );
    apicurio_avro(
        &dir,
        "avro_apicurio_key_content",
        Field::Key,
        SchemaId::ContentId(7),
        &item(2),
    );
    n += 4;

    // Faust JSON.
    faust_json(
        &dir,
        "json_faust_order",
        &order(),
        serde_json::to_value(order()).expect("json value"),
    );
    // A polymorphic field: `PaymentEvent::Card(CardPayment)` is the bare `CardPayment` object
    // (with its own `__faust.ns`), as Faust writes a subclass in a field typed as its base.
    faust_json(
        &dir,
        "json_faust_ledger",
        &sample::<Ledger>("Ledger"),
        json!({
            "events": [{"last4": "4242", "amount_cents": 10}, "Refunded"],
            "last": null,
            "envelope": {"kind": "Number", "data": 7},
        }),
    );
    n += 2;

    let out = run(Command::new(python)
        .arg(interop_dir().join("check_vectors.py"))
        .arg(&dir));
    assert!(out.contains(&format!("{n} passed, 0 failed")), "{out}");
}

#[test]
fn message_index_positions_follow_the_proto_file() {
    let text = &Shipment::schemas().proto().expect("schema").main().text;
    assert_eq!(
        top_level_messages(text),
        ["Shipment", "Parcel", "Carrier"],
        "{text}"
    );
}
