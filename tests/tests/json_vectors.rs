//! The JSON Schema interop vector (`json_confluent_jsonschema`, written by confluent-kafka's
//! JSONSerializer): a model whose derived JSON Schema is the vector's schema, the same after
//! Confluent's own normalisation (its schema diff, `compat::json::diff`, finds no difference in
//! either direction: `type` lists read as `anyOf`, `$ref`s followed, `required` as a set; and
//! one step of ours, `compat::json::one_of_distinct_types_as_any_of`), and
//! whose payload decodes and re-encodes byte for byte, framing included.

use std::collections::BTreeMap;
use std::path::Path;

use kafka_model::compat::json::{diff, one_of_distinct_types_as_any_of};
use kafka_model::wire::{Field, NoHeaders, OwnedHeaders, SchemaId, WireFormat, WireReader};
use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders")]
struct Member {
    id: i64,
    name: String,
    score: f64,
    active: bool,
    tags: Vec<String>,
    address: Address,
    // Required and nullable in their schema: no default. (A doc comment would be a description.)
    #[record(no_default)]
    nickname: Option<String>,
    status: Status,
    counts: BTreeMap<String, i64>,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders")]
struct Address {
    street: String,
    zip: String,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(namespace = "acme.orders")]
enum Status {
    #[serde(rename = "NEW")]
    New,
    #[serde(rename = "DONE")]
    Done,
}

fn vector(file: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/vectors/json_confluent_jsonschema")
        .join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text with `compat::json::one_of_distinct_types_as_any_of` applied (our
/// `Option<String>` is `oneOf [null, string]`, theirs `type: [string, null]`).
fn normalised(text: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(text).expect("JSON");
    one_of_distinct_types_as_any_of(&mut v);
    v.to_string()
}

#[test]
fn derived_schema_is_the_vectors_schema_after_normalisation() {
    let theirs = normalised(&String::from_utf8(vector("schema.json")).expect("utf-8"));
    let ours = Member::schemas().json().expect("json schema");
    let ours: &str = &normalised(ours.text());
    for (from, to, direction) in [
        (&theirs[..], ours, "theirs → ours"),
        (ours, &theirs[..], "ours → theirs"),
    ] {
        let changes = diff(from, to).expect("both are JSON Schemas");
        assert!(
            changes.is_empty(),
            "{direction}: {:?}\nours:\n{ours}",
            changes.iter().map(ToString::to_string).collect::<Vec<_>>()
        );
    }
    // The comparison sees differences at all: a schema without `nickname` is one.
    let mut other: serde_json::Value = serde_json::from_str(&theirs).expect("json");
    other["properties"]
        .as_object_mut()
        .expect("properties")
        .remove("nickname");
    assert!(!diff(&theirs, &other.to_string()).expect("diff").is_empty());
}

#[test]
fn payload_decodes_and_re_encodes_byte_for_byte() {
    let payload = vector("payload.bin");
    let frame = WireReader::new(Field::Value)
        .parse(Some(&payload), &NoHeaders)
        .expect("a frame")
        .expect("not a tombstone");
    assert_eq!(frame.wire, WireFormat::Confluent);
    assert_eq!(frame.id, Some(SchemaId::Id(939)));
    let member = Member::loads(frame.payload).expect("decodes");
    assert_eq!(member.name, "🚀b🇫🇷y");
    assert_eq!(member.status, Status::Done);
    assert_eq!(member.nickname, None);

    let mut out = Vec::new();
    let mut headers = OwnedHeaders::new();
    WireFormat::Confluent
        .write_header(
            Field::Value,
            SchemaId::Id(939),
            None,
            &mut out,
            &mut headers,
        )
        .expect("framing");
    out.extend(member.dumps().expect("encodes"));
    assert_eq!(
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(&payload)
    );
    assert_eq!(out, payload);
}
