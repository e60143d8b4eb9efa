//! `kafka-model generate` round trip over every JSON Schema the repository holds as test data:
//! the schema of the JSON interop vector (`testdata/vectors/json_*`), every schema of the
//! JSON Schema compatibility verdicts (`testdata/compat/jsonschema-diff-examples.json`, original
//! and update) and the derive's own golden JSON Schemas (`tests/golden/*.schema.json`),
//! deduplicated (as JSON values).
//!
//! Each schema is generated on its own into a module of ONE nested crate
//! (`target/tmp/generate-json-roundtrip`), whose `cargo test` runs
//! (a) each generated file's own `generated_types_render_their_input_schemas` test: the root
//!     type's rendered JSON Schema and the input differ in nothing Confluent's schema diff sees,
//!     in either direction (`kafka_model::generate::check_json`), and
//! (b) for the vector, decoding its payload (Confluent framing) with the generated type and
//!     re-encoding it to the same bytes.
//! Schemas that are not expressible are counted by construct, split into constraint-only
//! constructs (no data shape: `not`, `const`, `dependencies`, ...) and data shapes the derive
//! cannot render yet (each named). An empty corpus fails.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use kafka_model::generate::{GenerateError, Generator};
use serde_json::Value as Json;

struct Case {
    /// Where it came from (every source, when deduplicated).
    names: Vec<String>,
    text: String,
    /// A vector's payload (Confluent framing) and schema id.
    vector: Option<(String, Vec<u8>, u32)>,
}

fn corpus() -> Vec<Case> {
    let data = common::tools::testdata_dir();
    let mut cases: Vec<Case> = Vec::new();
    let mut add = |name: String, text: String, vector: Option<(String, Vec<u8>, u32)>| {
        let value: Json = serde_json::from_str(&text).expect("schema JSON");
        if let Some(c) = cases
            .iter_mut()
            .find(|c| serde_json::from_str::<Json>(&c.text).expect("json") == value)
        {
            c.names.push(name);
            if c.vector.is_none() {
                c.vector = vector;
            }
        } else {
            cases.push(Case {
                names: vec![name],
                text,
                vector,
            });
        }
    };
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(data.join("vectors"))
        .expect("testdata/vectors")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("case.json").is_file())
        .collect();
    dirs.sort();
    for dir in dirs {
        let case: Json =
            serde_json::from_slice(&std::fs::read(dir.join("case.json")).expect("case.json"))
                .expect("case JSON");
        // (The Faust JSON vectors have no schema.)
        if case["format"] != "json" || case["schema"].is_null() {
            continue;
        }
        let name = dir
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        assert_eq!(
            case["wire"], "confluent",
            "{name}: only Confluent framing here"
        );
        let schema = case["schema"].as_str().expect("schema file");
        // The text as written: its property order is the payload's field order.
        let text = std::fs::read_to_string(dir.join(schema)).expect("schema");
        let id = u32::try_from(case["schema_id"].as_u64().expect("schema id")).expect("u32");
        let payload = std::fs::read(dir.join("payload.bin")).expect("payload");
        add(
            format!("vectors/{name}"),
            text,
            Some((name.clone(), payload, id)),
        );
    }
    // The derive's own JSON Schemas (golden files): generating from what we render.
    let golden = common::tools::workspace_root().join("tests/golden");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&golden)
        .expect("tests/golden")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".schema.json"))
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("golden schema");
        let name = f.file_name().expect("name").to_string_lossy().into_owned();
        add(format!("golden/{name}"), text, None);
    }
    let verdicts: Json = serde_json::from_slice(
        &std::fs::read(data.join("compat/jsonschema-diff-examples.json")).expect("compat file"),
    )
    .expect("compat JSON");
    for (i, v) in verdicts.as_array().expect("a list").iter().enumerate() {
        for side in ["original", "update"] {
            let text = serde_json::to_string(&v[format!("{side}_schema")]).expect("schema");
            let description = v["description"].as_str().unwrap_or_default();
            add(format!("compat[{i}] {side} ({description})"), text, None);
        }
    }
    cases
}

/// The decode / re-encode check of the nested crate: the Confluent header is rebuilt from the
/// case's schema id, so the payload must start with exactly it.
const ROUNDTRIP: &str = r#"
#[cfg(test)]
fn roundtrip<T: kafka_model::Record>(payload: &[u8], id: u32) {
    let mut out = vec![0];
    out.extend(id.to_be_bytes());
    assert!(payload.starts_with(&out), "framing: {out:02x?} is not the payload's header");
    let value = T::loads(&payload[out.len()..]).unwrap_or_else(|e| panic!("decode: {e}"));
    out.extend(value.dumps().unwrap_or_else(|e| panic!("encode: {e}")));
    assert_eq!(String::from_utf8_lossy(&out), String::from_utf8_lossy(payload));
    assert_eq!(out, payload, "re-encoded bytes");
}
"#;

/// A construct that only constrains (the generator says so in its text).
fn is_constraint_only(construct: &str) -> bool {
    construct.contains("(a constraint without a data shape of its own)")
}

#[test]
fn every_json_schema_generates_types_that_render_it_and_round_trip_its_vector() {
    let cases = corpus();
    // 134 distinct schemas in the diff examples, the vector's one and 7 golden ones besides.
    assert_eq!(
        cases.len(),
        142,
        "distinct JSON Schemas in testdata/ and tests/golden/"
    );
    let vector_count = cases.iter().filter(|c| c.vector.is_some()).count();
    assert_eq!(vector_count, 1, "JSON Schema vectors");

    let dir = common::tools::scratch("generate-json-roundtrip");
    common::nested_crate::write_workspace(&common::tools::workspace_root(), &dir, "generated_json");
    let src = dir.join("generated_json/src");
    let mut lib =
        format!("//! Generated by tests/tests/generate_json_roundtrip.rs.\n{ROUNDTRIP}\n");
    let generator = Generator::new();
    let mut generated: BTreeMap<String, String> = BTreeMap::new();
    let mut constraint_only: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut derive_lacks: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut roundtrips: Vec<String> = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let label = case.names.join(", ");
        let input = [("schema.json", case.text.as_str())];
        match generator.generate_json(&input) {
            Ok(g) => {
                let again = generator.generate_json(&input).expect("second run");
                assert_eq!(g.source, again.source, "{label}: not deterministic");
                let module = format!("case_{i:03}");
                std::fs::write(src.join(format!("{module}.rs")), &g.source).expect("write");
                let _ = writeln!(
                    lib,
                    "/// {}\npub mod {module} {{\n    include!(\"{module}.rs\");\n}}",
                    label.replace('\n', " ")
                );
                if let Some((name, payload, id)) = &case.vector {
                    let test = name.replace('-', "_");
                    std::fs::write(src.join(format!("{test}.bin")), payload).expect("write");
                    let _ = writeln!(
                        lib,
                        "#[test]\nfn roundtrip_{test}() {{\n    roundtrip::<{module}::{}>(include_bytes!(\"{test}.bin\"), {id});\n}}",
                        g.roots[0].rust_path
                    );
                    roundtrips.push(test);
                }
                generated.insert(module, label);
            }
            Err(GenerateError::NotExpressible { at, construct }) => {
                assert!(
                    case.vector.is_none(),
                    "{label}: the vector's schema must generate: {construct} at {at}"
                );
                let bucket = if is_constraint_only(&construct) {
                    &mut constraint_only
                } else {
                    &mut derive_lacks
                };
                bucket
                    .entry(construct)
                    .or_default()
                    .push(format!("{label} (at {at})"));
            }
            Err(e) => panic!("{label}: {e}"),
        }
    }
    expressive(&generator, &src, &mut lib);
    top_level(&generator, &src, &mut lib);
    std::fs::write(src.join("lib.rs"), lib).expect("lib.rs");

    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target dir")
        .to_path_buf();
    let out = common::nested_crate::cargo_test(&dir, "generated_json", &target, &[]);
    let (text, passed, failed) = common::nested_crate::outcome(&out);

    let exact: Vec<&String> = generated
        .keys()
        .filter(|m| {
            passed.contains(format!("{m}::generated_types_render_their_input_schemas").as_str())
        })
        .collect();
    let bytes_ok = roundtrips
        .iter()
        .filter(|v| passed.contains(format!("roundtrip_{v}").as_str()))
        .count();
    let count = |m: &BTreeMap<String, Vec<String>>| m.values().map(Vec::len).sum::<usize>();
    eprintln!(
        "{} distinct JSON Schemas in testdata/ and tests/golden/",
        cases.len()
    );
    eprintln!("  generated exactly: {}", exact.len());
    for (title, bucket) in [
        ("not expressible, constraint-only", &constraint_only),
        (
            "not expressible, a data shape the derive cannot render yet",
            &derive_lacks,
        ),
    ] {
        eprintln!("  {title}: {}", count(bucket));
        for (reason, names) in bucket {
            eprintln!("    {reason}: {}", names.len());
            for n in names {
                eprintln!("      {}", n.replace('\n', " "));
            }
        }
    }
    eprintln!("  vectors decoded and re-encoded byte for byte: {bytes_ok} of {vector_count}");
    for f in &failed {
        eprintln!("  FAILED: {f}");
    }
    assert!(
        out.status.success() && failed.is_empty(),
        "the generated crate failed:\n{text}"
    );
    assert!(!exact.is_empty(), "no schema generated:\n{text}");
    assert_eq!(
        exact.len(),
        generated.len(),
        "generated but not checked:\n{text}"
    );
    assert_eq!(bytes_ok, vector_count, "round trips:\n{text}");
    for t in [
        "expressive::generated_types_render_their_input_schemas",
        "top_level::generated_types_render_their_input_schemas",
        "expressive_document_round_trips",
    ] {
        assert!(passed.contains(t), "{t} did not pass:\n{text}");
    }
    assert_eq!(
        exact.len() + count(&constraint_only) + count(&derive_lacks),
        cases.len()
    );
    // Measured (NOTES.md, "Generate, JSON Schema part"): a change of the generator or the
    // derive may move schemas from not expressible to exact, never back.
    // No derive gap is left (the last, a `false` tuple item, is `#[record(absent)]`): a new
    // one fails here.
    assert!(exact.len() >= 117, "exact: {}", exact.len());
    assert_eq!(count(&constraint_only), 25, "constraint-only");
    assert_eq!(count(&derive_lacks), 0, "derive gaps");
}

/// A top-level array of objects that hold the root again (recursion through a struct: the
/// newtype `Forest(Vec<ForestItem>)`, `ForestItem { kids: Forest }`), checked like the rest.
fn top_level(generator: &Generator, src: &Path, lib: &mut String) {
    let schema = r##"{"type": "array", "items": {"type": "object", "additionalProperties": false,
      "properties": {"name": {"type": "string"}, "kids": {"$ref": "#"}},
      "required": ["name", "kids"]}}"##;
    let g = generator
        .generate_json(&[("forest.json", schema)])
        .unwrap_or_else(|e| panic!("top level: {e}"));
    for expected in [
        "pub struct Forest(pub Vec<ForestItem>);",
        "pub kids: Forest,",
    ] {
        assert!(g.source.contains(expected), "{expected}:\n{}", g.source);
    }
    std::fs::write(src.join("top_level.rs"), &g.source).expect("write");
    lib.push_str("pub mod top_level {\n    include!(\"top_level.rs\");\n}\n");
}

/// A schema written for the generator, with every mapping in one document (draft 2020-12
/// `$defs`, namespaced definitions, a definition used twice, recursion through `#`, nullable
/// by `type` list and by `oneOf`, formats, a decimal string, integer ranges, bounds, lengths,
/// a pattern, bytes as numbers, maps, lists of maps, enums inline and defined, descriptions,
/// an open object, property names that are no Rust field names, defaults of optional
/// properties, base64 bytes, optional properties that are not nullable: one left out, one
/// given, closed tuples inline and defined, open tuples with items of a schema and of any
/// kind), checked like the rest, and a
/// document of it decoded and re-encoded to the same text.
fn expressive(generator: &Generator, src: &Path, lib: &mut String) {
    let schema = r##"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "Shipment",
  "description": "A shipment.",
  "type": "object",
  "properties": {
    "id": {"type": "string", "format": "uuid"},
    "at": {"type": "string", "format": "date-time"},
    "day": {"type": ["string", "null"], "format": "date"},
    "price": {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"},
    "qty": {"type": "integer", "minimum": -2147483648, "maximum": 2147483647},
    "seq": {"type": "integer", "minimum": 0},
    "weight": {"type": "number", "minimum": 0, "maximum": 1000.5, "description": "In kg."},
    "code": {"type": "string", "minLength": 3, "maxLength": 12, "pattern": "^[A-Z0-9-]+$"},
    "type": {"type": "string", "enum": ["parcel", "pallet"]},
    "firstName": {"oneOf": [{"type": "null"}, {"type": "string"}]},
    "digest": {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 255}},
    "labels": {"type": "array", "minItems": 1, "items": {"type": "string"}},
    "stock": {"type": "object", "maxProperties": 8, "additionalProperties": {"type": "integer"}},
    "legs": {"type": "array", "items": {"type": "object",
      "additionalProperties": {"$ref": "#/$defs/acme.shipping.Address"}}},
    "from": {"$ref": "#/$defs/acme.shipping.Address"},
    "to": {"oneOf": [{"type": "null"}, {"$ref": "#/$defs/acme.shipping.Address"}]},
    "status": {"$ref": "#/$defs/acme.shipping.Status"},
    "parts": {"type": "array", "items": {"$ref": "#"}},
    "extra": {"type": "object", "properties": {"note": {"type": "string"}},
      "required": ["note"]},
    "priority": {"type": "integer", "default": 3},
    "carrier": {"type": "string", "default": "DHL"},
    "express": {"type": "boolean", "default": false},
    "ratio": {"type": "number", "default": 0.5},
    "blob": {"type": "string", "contentEncoding": "base64"},
    "memo": {"type": "string", "maxLength": 5},
    "rank": {"type": "integer", "minimum": 0},
    "fix": {"description": "Where it was.", "type": "array", "minItems": 2, "additionalItems": false,
      "items": [{"type": "number"}, {"type": "number", "maximum": 90}, {"type": ["null", "string"]}]},
    "leg": {"$ref": "#/$defs/acme.shipping.Leg"},
    "row": {"type": "array", "minItems": 1, "items": [{"type": "string"}, {"type": "integer"}],
      "additionalItems": {"type": "string"}},
    "loose": {"type": "array", "items": [{"type": "number"}]}
  },
  "required": ["id", "at", "day", "price", "qty", "seq", "weight", "code", "type",
    "digest", "labels", "stock", "legs", "from", "status", "parts", "extra", "blob", "fix", "leg", "row", "loose"],
  "additionalProperties": false,
  "$defs": {
    "acme.shipping.Address": {
      "description": "Where.",
      "type": "object",
      "properties": {"street": {"type": "string"}, "zip": {"type": ["string", "null"]}},
      "required": ["street"],
      "additionalProperties": false
    },
    "acme.shipping.Status": {"type": "string", "enum": ["NEW", "SHIPPED"]},
    "acme.shipping.Leg": {"type": "array", "minItems": 1, "additionalItems": false,
      "items": [{"type": "string"}, {"type": "integer"}]}
  }
}"##;
    let g = generator
        .generate_json(&[("shipment.json", schema)])
        .unwrap_or_else(|e| panic!("expressive: {e}"));
    for expected in [
        "pub id: uuid::Uuid,",
        "pub at: chrono::DateTime<chrono::Utc>,",
        "pub day: Option<chrono::NaiveDate>,",
        "pub price: String,",
        "pub qty: i32,",
        "pub seq: u64,",
        "#[record(min = 0, max = 1000.5)]",
        "#[record(min_len = 3, max_len = 12, pattern = \"^[A-Z0-9-]+$\")]",
        "#[serde(rename = \"type\")]",
        "pub type_: ShipmentType,",
        "#[serde(rename = \"firstName\")]",
        "pub first_name: Option<String>,",
        "pub digest: Vec<u8>,",
        "pub legs: Vec<std::collections::BTreeMap<String, acme::shipping::Address>>,",
        "pub to: Option<acme::shipping::Address>,",
        "pub parts: Vec<Shipment>,",
        "pub extra: ShipmentExtra,",
        "#[record(namespace = \"acme.shipping\")]",
        "#[serde(default = \"shipment_priority_default\")]",
        "fn shipment_carrier_default() -> String {",
        "#[serde(with = \"kafka_model::base64\")]",
        "pub blob: Vec<u8>,",
        "#[serde(skip_serializing_if = \"Option::is_none\")]",
        "pub memo: Option<String>,",
        "pub rank: Option<u64>,",
        "pub fix: ShipmentFix,",
        "/// Where it was.\n#[derive(",
        "pub struct ShipmentFix(",
        "pub leg: acme::shipping::Leg,",
        "pub struct Leg(pub String, #[serde(default)] pub i64);",
        "pub row: ShipmentRow,",
        "impl serde::Serialize for ShipmentRow {",
        "pub loose: ShipmentLoose,",
    ] {
        assert!(g.source.contains(expected), "{expected}:\n{}", g.source);
    }
    std::fs::write(src.join("expressive.rs"), &g.source).expect("write");
    let document = r#"{"id":"6f1c2a4e-1b7d-4c3a-9e2f-0a1b2c3d4e5f","at":"2026-12-03T09:30:00Z","day":null,"price":"12.50","qty":-7,"seq":9,"weight":12.25,"code":"AB-12","type":"pallet","firstName":"Zoë","digest":[0,255],"labels":["x"],"stock":{"a":1,"b":-2},"legs":[{"start":{"street":"Main 1","zip":null}}],"from":{"street":"Dock 4","zip":"1000"},"to":null,"status":"SHIPPED","parts":[],"extra":{"note":"🚀"},"priority":3,"carrier":"UPS","express":true,"ratio":0.25,"blob":"AAH/","rank":7,"fix":[4.9,52.37,null],"leg":["A",2],"row":["k",2,"x","y"],"loose":[1.5,"any",{"a":[]}]}"#;
    let _ = write!(
        lib,
        r####"
pub mod expressive {{
    include!("expressive.rs");
}}
#[test]
fn expressive_document_round_trips() {{
    let document = r#"{document}"#;
    let value = <expressive::Shipment as kafka_model::Record>::loads(document.as_bytes())
        .unwrap_or_else(|e| panic!("decode: {{e}}"));
    let again = kafka_model::Record::dumps(&value).unwrap_or_else(|e| panic!("encode: {{e}}"));
    assert_eq!(String::from_utf8_lossy(&again), document);
}}
"####
    );
}
