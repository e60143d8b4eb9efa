//! Issue 15, the Avro `duration` logical type: `kafka_model::duration::AvroDuration`, a `fixed`
//! of 12 bytes (months, days, milliseconds as little-endian u32) named after the field, or a
//! named fixed of its own with `#[record(fixed)]`. Schemas (Avro exact, Protobuf, JSON Schema),
//! the codecs, and the reference implementations (fastavro and Apache avro, which both read the
//! logical type as its plain fixed) both ways; serde's JSON against the JSON Schema.

mod avro_support;
mod common;

use std::process::Command;

use avro_support::{lit_json, Names};
use common::tools::{interop_dir, interop_python, run, scratch};
use kafka_model::duration::AvroDuration;
use kafka_model::{FieldType, Record};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};

// A named duration fixed, for every field that holds a time-to-live.
#[derive(Record, Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
#[record(fixed, name = "TimeToLive", namespace = "com.acme.time")]
pub struct Ttl(pub AvroDuration);

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.lease")]
pub struct Lease {
    pub grace: AvroDuration,
    pub renew_every: Option<AvroDuration>,
    pub steps: Vec<AvroDuration>,
    pub ttl: Ttl,
    pub ttls: Vec<Ttl>,
}

fn lease() -> Lease {
    Lease {
        grace: AvroDuration::new(1, 2, 3_000),
        renew_every: Some(AvroDuration::new(0, 0, u32::MAX)),
        steps: vec![AvroDuration::new(u32::MAX, 0, 1), AvroDuration::default()],
        ttl: Ttl(AvroDuration::new(12, 30, 86_399_999)),
        ttls: vec![Ttl(AvroDuration::new(0, 7, 0))],
    }
}

#[test]
fn avro_schema_is_a_duration_fixed() {
    let schema = Lease::schemas().avro().unwrap();
    let value: Json = serde_json::from_str(schema.json()).unwrap();
    let grace = json!({"type": "fixed", "name": "Grace", "namespace": "com.acme.lease", "size": 12, "logicalType": "duration"});
    assert_eq!(
        value,
        json!({
            "type": "record", "name": "Lease", "namespace": "com.acme.lease",
            "fields": [
                {"name": "grace", "type": grace},
                {"name": "renew_every", "type": ["null", {"type": "fixed", "name": "RenewEvery", "namespace": "com.acme.lease", "size": 12, "logicalType": "duration"}], "default": null},
                {"name": "steps", "type": {"type": "array", "items": {"type": "fixed", "name": "Steps", "namespace": "com.acme.lease", "size": 12, "logicalType": "duration"}}},
                {"name": "ttl", "type": {"type": "fixed", "name": "TimeToLive", "namespace": "com.acme.time", "size": 12, "logicalType": "duration"}},
                {"name": "ttls", "type": {"type": "array", "items": "com.acme.time.TimeToLive"}},
            ]
        })
    );
    // Apache avro (Rust) parses it as its Duration schema.
    let parsed = apache_avro::Schema::parse_str(schema.json()).unwrap();
    let apache_avro::Schema::Record(r) = parsed else {
        panic!("{parsed:?}")
    };
    assert!(matches!(
        r.fields[0].schema,
        apache_avro::Schema::Duration(_)
    ));
}

#[test]
fn a_duration_field_named_like_a_byte_fixed_is_an_error() {
    #[derive(Record, Serialize, Deserialize, Debug)]
    #[record(namespace = "x")]
    struct Inner {
        grace: [u8; 12],
    }
    #[derive(Record, Serialize, Deserialize, Debug)]
    #[record(namespace = "x")]
    struct Outer {
        grace: AvroDuration,
        inner: Inner,
    }
    let err = Outer::schemas().avro().unwrap_err().to_string();
    assert!(
        err.contains("`x.Grace`") && err.contains("duration"),
        "{err}"
    );
}

#[test]
fn codecs_round_trip_and_write_little_endian_words() {
    let l = lease();
    let avro = l.to_avro().unwrap();
    // grace: months 1, days 2, millis 3000, each u32 little-endian, no length prefix.
    assert_eq!(&avro[..12], &[1, 0, 0, 0, 2, 0, 0, 0, 0xb8, 0x0b, 0, 0]);
    assert_eq!(Lease::from_avro(&avro).unwrap(), l);
    assert_eq!(Lease::from_protobuf(&l.to_protobuf().unwrap()).unwrap(), l);
    let json = l.dumps().unwrap();
    assert_eq!(
        serde_json::from_slice::<Json>(&json).unwrap()["grace"],
        json!({"months": 1, "days": 2, "millis": 3000})
    );
    assert_eq!(Lease::loads(&json).unwrap(), l);
    // A truncated fixed is a typed error, not a panic.
    assert!(Lease::from_avro(&avro[..7]).is_err());
}

#[test]
fn protobuf_and_json_schemas() {
    let proto = Lease::schemas().proto().unwrap().main().text.clone();
    assert!(proto.contains("bytes grace = 1;"), "{proto}");
    assert!(proto.contains("bytes ttl = 4;"), "{proto}");
    let js = Lease::schemas().json().unwrap().value().clone();
    let duration = json!({
        "type": "object",
        "properties": {
            "months": {"type": "integer", "minimum": 0, "maximum": 4294967295u32},
            "days": {"type": "integer", "minimum": 0, "maximum": 4294967295u32},
            "millis": {"type": "integer", "minimum": 0, "maximum": 4294967295u32},
        },
        "required": ["months", "days", "millis"],
        "additionalProperties": false,
    });
    assert_eq!(js["properties"]["grace"], duration);
    assert_eq!(js["properties"]["ttl"], duration);
    assert_eq!(AvroDuration::TYPE.to_string(), "AvroDuration");
}

/// fastavro and Apache avro: each reads our bytes to the months/days/millis we wrote (their
/// own `struct.unpack("<III")` of the fixed), and writes the same bytes from those numbers;
/// jsonschema accepts serde's JSON under our JSON Schema and rejects a negative month.
#[test]
fn reference_implementations_agree() {
    let Some(python) = interop_python() else {
        return;
    };
    let values: Vec<AvroDuration> = [
        (0, 0, 0),
        (1, 2, 3_000),
        (u32::MAX, u32::MAX, u32::MAX),
        (0x0102_0304, 0, 0x8000_0000),
    ]
    .into_iter()
    .map(|(m, d, ms)| AvroDuration::new(m, d, ms))
    .collect();
    let leases: Vec<Lease> = values
        .iter()
        .map(|&d| Lease {
            grace: d,
            renew_every: None,
            steps: vec![d, d],
            ttl: Ttl(d),
            ttls: vec![],
        })
        .collect();
    let dir = scratch("avro_duration");
    let cases: Vec<Json> = leases
        .iter()
        .map(|l| {
            json!({
                "payload": l.to_avro().unwrap().iter().map(|b| format!("{b:02x}")).collect::<String>(),
                "words": [l.grace.months, l.grace.days, l.grace.millis],
                "json": serde_json::from_slice::<Json>(&l.dumps().unwrap()).unwrap(),
            })
        })
        .collect();
    std::fs::write(
        dir.join("cases.json"),
        serde_json::to_vec(&json!({
            "schema": serde_json::from_str::<Json>(Lease::schemas().avro().unwrap().json()).unwrap(),
            "json_schema": Lease::schemas().json().unwrap().value(),
            "cases": cases,
        }))
        .unwrap(),
    )
    .unwrap();
    let script = r#"
import io, json, struct, sys, warnings
import avro.io, avro.schema, fastavro, jsonschema
warnings.simplefilter("ignore")  # Apache avro: "Unknown duration, using fixed."
doc = json.load(open(sys.argv[1]))
fs = fastavro.parse_schema(doc["schema"])
aps = avro.schema.parse(json.dumps(doc["schema"]))
n = 0
for c in doc["cases"]:
    payload = bytes.fromhex(c["payload"])
    fixed = struct.pack("<III", *c["words"])
    for name, read in [
        ("fastavro", lambda: fastavro.schemaless_reader(io.BytesIO(payload), fs)),
        ("avro", lambda: avro.io.DatumReader(aps).read(avro.io.BinaryDecoder(io.BytesIO(payload)))),
    ]:
        rec = read()
        for field in ("grace", "ttl"):
            assert list(struct.unpack("<III", rec[field])) == c["words"], (name, field, rec)
        assert rec["steps"] == [fixed, fixed] and rec["renew_every"] is None, (name, rec)
    value = {"grace": fixed, "renew_every": None, "steps": [fixed, fixed], "ttl": fixed, "ttls": []}
    out = io.BytesIO(); fastavro.schemaless_writer(out, fs, value)
    assert out.getvalue() == payload, ("fastavro", out.getvalue().hex(), c["payload"])
    out = io.BytesIO(); avro.io.DatumWriter(aps).write(value, avro.io.BinaryEncoder(out))
    assert out.getvalue() == payload, ("avro", out.getvalue().hex(), c["payload"])
    jsonschema.validate(c["json"], doc["json_schema"])
    bad = json.loads(json.dumps(c["json"])); bad["grace"]["months"] = -1
    try:
        jsonschema.validate(bad, doc["json_schema"])
        raise AssertionError("a negative month passed the JSON Schema")
    except jsonschema.ValidationError:
        pass
    n += 1
print(f"duration cases: {n}")
"#;
    std::fs::write(dir.join("check.py"), script).unwrap();
    let out = run(Command::new(python)
        .arg(dir.join("check.py"))
        .arg(dir.join("cases.json")));
    assert!(
        out.contains(&format!("duration cases: {}", leases.len())),
        "{out}"
    );
    // The vector harness agrees too (its reader-and-writer checks on the same schema).
    let schema = Lease::schemas().avro().unwrap();
    let names = Names::of(schema.schema());
    let case_dir = dir.join("vectors/duration");
    std::fs::create_dir_all(&case_dir).unwrap();
    std::fs::write(case_dir.join("schema.avsc"), schema.json()).unwrap();
    std::fs::write(case_dir.join("payload.bin"), lease().to_avro().unwrap()).unwrap();
    let expected = lit_json(&lease().to_literal(), schema.schema(), &names);
    let case = json!({"format": "avro", "wire": "raw", "schema": "schema.avsc", "value": expected,
                      "producer": "kafka-model avro codec"});
    std::fs::write(
        case_dir.join("case.json"),
        serde_json::to_vec(&case).unwrap(),
    )
    .unwrap();
    let out = run(Command::new(interop_python().unwrap())
        .arg(interop_dir().join("check_vectors.py"))
        .arg(dir.join("vectors")));
    assert!(out.contains("1 passed, 0 failed"), "{out}");
}
