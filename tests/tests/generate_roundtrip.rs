//! `kafka-model generate` round trip over every Avro schema the repository holds as test data:
//! the interop vectors' schemas (`testdata/vectors/avro_*`, reader schemas included) and every
//! schema of the compatibility verdicts (`testdata/compat/avro-compat-public.json`), deduplicated.
//!
//! Each schema is generated on its own (so one that cannot be expressed yet does not hide the
//! others) into a module of ONE nested crate (`target/tmp/generate-roundtrip`, built into the
//! workspace's target dir, so only it and `kafka-model` are compiled), whose `cargo test` runs
//! (a) each generated file's own `generated_types_render_their_input_schemas` test: the root
//!     type's rendered schema equals its input (`kafka_model::generate::check_avro`: names made
//!     full, order, defaults, logical types, aliases, then the canonical forms), and
//! (b) for each vector, decoding its payload with the generated type and re-encoding it to the
//!     same bytes.
//! Schemas the derive cannot express yet are counted by reason and listed by name; invalid
//! ones (apache-avro refuses them) are counted. An empty corpus fails.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use kafka_model::generate::{GenerateError, Generator};
use serde_json::Value as Json;

struct Case {
    /// Where it came from (every source, when deduplicated).
    names: Vec<String>,
    text: String,
    /// The datum of a vector written with this schema (the Confluent header taken off).
    body: Option<Vec<u8>>,
}

fn corpus() -> Vec<Case> {
    let data = common::tools::testdata_dir();
    let mut cases: Vec<Case> = Vec::new();
    let mut add = |name: String, text: String, body: Option<Vec<u8>>| {
        let value: Json = serde_json::from_str(&text).expect("schema JSON");
        if let Some(c) = cases
            .iter_mut()
            .find(|c| serde_json::from_str::<Json>(&c.text).expect("json") == value)
        {
            c.names.push(name);
            if c.body.is_none() {
                c.body = body;
            }
        } else {
            cases.push(Case {
                names: vec![name],
                text,
                body,
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
        if case["format"] != "avro" {
            continue;
        }
        let name = dir
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let payload = std::fs::read(dir.join("payload.bin")).expect("payload");
        let body = match case["wire"].as_str() {
            Some("confluent") => payload[5..].to_vec(),
            _ => payload,
        };
        let schema = case["schema"].as_str().expect("schema file");
        let text = std::fs::read_to_string(dir.join(schema)).expect("schema");
        add(format!("vectors/{name}"), text, Some(body));
        if let Some(reader) = case["reader_schema"].as_str() {
            let text = std::fs::read_to_string(dir.join(reader)).expect("reader schema");
            add(format!("vectors/{name}/{reader}"), text, None);
        }
    }
    let verdicts: Json = serde_json::from_slice(
        &std::fs::read(data.join("compat/avro-compat-public.json")).expect("compat file"),
    )
    .expect("compat JSON");
    for v in verdicts.as_array().expect("a list") {
        let id = v["id"].as_str().expect("id");
        add(
            format!("compat/{id}/new"),
            serde_json::to_string_pretty(&v["new_schema"]).expect("json"),
            None,
        );
        for (i, p) in v["previous_schemas"]
            .as_array()
            .expect("previous")
            .iter()
            .enumerate()
        {
            add(
                format!("compat/{id}/previous[{i}]"),
                serde_json::to_string_pretty(p).expect("json"),
                None,
            );
        }
    }
    cases
}

fn repo() -> PathBuf {
    common::tools::workspace_root()
}

/// The nested workspace: the root manifest's shared settings, one member `generated`.
fn nested_workspace(dir: &Path) {
    let root = std::fs::read_to_string(repo().join("Cargo.toml")).expect("root manifest");
    let members = root
        .lines()
        .find(|l| l.starts_with("members = "))
        .expect("members line");
    let manifest = root
        .replace(members, r#"members = ["generated"]"#)
        .replace(
            r#"{ path = "kafka-model" }"#,
            &format!("{{ path = {:?} }}", repo().join("kafka-model")),
        )
        .replace(
            r#"path = "kafka-model-derive""#,
            &format!("path = {:?}", repo().join("kafka-model-derive")),
        );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("manifest");
    for file in ["Cargo.lock", "rust-toolchain.toml"] {
        std::fs::copy(repo().join(file), dir.join(file)).expect("copy");
    }
    std::fs::create_dir_all(dir.join("generated/src")).expect("mkdir");
    std::fs::write(
        dir.join("generated/Cargo.toml"),
        r#"[package]
name = "generated"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
kafka-model = { workspace = true, features = ["time", "indexmap"] }
serde.workspace = true
chrono.workspace = true
uuid.workspace = true
rust_decimal.workspace = true
indexmap.workspace = true
"#,
    )
    .expect("crate manifest");
}

#[test]
fn every_avro_schema_generates_a_type_that_renders_it_and_round_trips_its_vectors() {
    let cases = corpus();
    assert!(
        cases.len() >= 50,
        "found {} distinct Avro schemas in testdata/",
        cases.len()
    );
    assert!(cases.iter().any(|c| c.body.is_some()), "no Avro vector");

    let dir = common::tools::scratch("generate-roundtrip");
    nested_workspace(&dir);
    let src = dir.join("generated/src");
    let mut lib = String::from(
        "//! Generated by tests/tests/generate_roundtrip.rs.\n\n\
         #[cfg(test)]\n\
         fn roundtrip<T: kafka_model::Record>(body: &[u8]) {\n    \
         let value = T::from_avro_framed(body).unwrap_or_else(|e| panic!(\"decode: {e}\"));\n    \
         let mut out = Vec::new();\n    \
         value.write_avro_framed(&mut out).unwrap_or_else(|e| panic!(\"encode: {e}\"));\n    \
         assert_eq!(out, body, \"re-encoded bytes\");\n}\n\n",
    );
    let mut generated: BTreeMap<String, usize> = BTreeMap::new();
    let mut not_yet: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut invalid: Vec<(String, String)> = Vec::new();
    let mut roundtrips: BTreeMap<String, usize> = BTreeMap::new();
    for (i, case) in cases.iter().enumerate() {
        let label = case.names.join(", ");
        let input = [("value.avsc", case.text.as_str())];
        // A vector's maps keep the payload's entry order, for byte-exact re-encoding; the other
        // schemas take the default `BTreeMap`.
        let generator = if case.body.is_some() {
            Generator::new().ordered_maps()
        } else {
            Generator::new()
        };
        match generator.generate(&input) {
            Ok(g) => {
                let again = generator.generate(&input).expect("second run");
                assert_eq!(g.source, again.source, "{label}: not deterministic");
                let module = format!("case_{i:03}");
                std::fs::write(src.join(format!("{module}.rs")), &g.source).expect("write");
                let _ = writeln!(
                    lib,
                    "/// {label}\npub mod {module} {{\n    include!(\"{module}.rs\");\n}}"
                );
                if let Some(body) = &case.body {
                    std::fs::write(src.join(format!("{module}.bin")), body).expect("write");
                    let _ = writeln!(
                        lib,
                        "#[test]\nfn roundtrip_{module}() {{\n    roundtrip::<{module}::{}>(include_bytes!(\"{module}.bin\"));\n}}",
                        g.roots[0].rust_path
                    );
                    roundtrips.insert(module.clone(), i);
                }
                generated.insert(module, i);
            }
            Err(GenerateError::NotExpressible { at, construct }) => not_yet
                .entry(construct)
                .or_default()
                .push(format!("{label} (at {at})")),
            Err(GenerateError::Invalid { message, .. }) => invalid.push((label, message)),
            Err(e) => panic!("{label}: {e}"),
        }
    }
    overrides(&cases, &src, &mut lib);
    multi_file(&src, &mut lib);
    let expressive_ran = expressive(&src, &mut lib);
    std::fs::write(src.join("lib.rs"), lib).expect("lib.rs");

    let mut cmd = Command::new(env!("CARGO"));
    // The outer cargo's variables are not the nested build's (see export_crates.rs).
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if (key.starts_with("CARGO_") && key != "CARGO_HOME") || key == "OUT_DIR" {
            cmd.env_remove(&*key);
        }
    }
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target dir")
        .to_path_buf();
    let out = cmd
        .current_dir(&dir)
        .args([
            "test",
            "--offline",
            "-p",
            "generated",
            "--lib",
            "--",
            "--test-threads=2",
        ])
        // (the wrongly mapped case's own check fails: `wrong_mapping_is_named` expects that)
        .args([
            "--skip",
            "wrong_mapping::generated_types_render_their_input_schemas",
        ])
        .env("CARGO_TARGET_DIR", target)
        .output()
        .expect("run cargo");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let passed: BTreeSet<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("test ")?.strip_suffix(" ... ok"))
        .collect();
    let failed: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("test ") && l.ends_with(" ... FAILED"))
        .collect();

    let exact: Vec<&String> = generated
        .keys()
        .filter(|m| {
            passed.contains(format!("{m}::generated_types_render_their_input_schemas").as_str())
        })
        .collect();
    let bytes_ok: Vec<&String> = roundtrips
        .keys()
        .filter(|m| passed.contains(format!("roundtrip_{m}").as_str()))
        .collect();
    eprintln!("{} distinct Avro schemas in testdata/", cases.len());
    eprintln!("  generated exactly: {}", exact.len());
    eprintln!(
        "  not yet expressible: {}",
        not_yet.values().map(Vec::len).sum::<usize>()
    );
    for (reason, names) in &not_yet {
        eprintln!("    {reason}: {}", names.len());
        for n in names {
            eprintln!("      {n}");
        }
    }
    eprintln!("  invalid input: {}", invalid.len());
    for (n, why) in &invalid {
        eprintln!("    {n}: {why}");
    }
    eprintln!(
        "  vectors decoded and re-encoded byte for byte: {} of {} generated ({} Avro vector schemas in all)",
        bytes_ok.len(),
        roundtrips.len(),
        cases.iter().filter(|c| c.body.is_some()).count()
    );
    assert!(
        out.status.success() && failed.is_empty(),
        "the generated crate failed:\n{text}"
    );
    for t in [
        "mapped::generated_types_render_their_input_schemas",
        "roundtrip_mapped",
        "wrong_mapping_is_named",
        "multi::generated_types_render_their_input_schemas",
        "expressive::generated_types_render_their_input_schemas",
    ] {
        assert!(passed.contains(t), "{t} did not pass:\n{text}");
    }
    if expressive_ran {
        assert!(
            passed.contains("roundtrip_expressive"),
            "roundtrip_expressive did not pass:\n{text}"
        );
    }
    assert!(!exact.is_empty(), "no schema generated:\n{text}");
    assert_eq!(
        exact.len(),
        generated.len(),
        "generated but not checked:\n{text}"
    );
    assert_eq!(
        bytes_ok.len(),
        roundtrips.len(),
        "round trips not run:\n{text}"
    );
    assert_eq!(
        exact.len() + not_yet.values().map(Vec::len).sum::<usize>() + invalid.len(),
        cases.len()
    );
    // Measured: 84 exact, 11 not yet expressible (top-level array/map/fixed/null schemas, an
    // empty union, an array as a union branch); every vector schema generates. A mapping that
    // regresses fails here.
    assert!(
        not_yet.values().map(Vec::len).sum::<usize>() <= 11,
        "more schemas than before are not expressible"
    );
    assert_eq!(
        roundtrips.len(),
        cases.iter().filter(|c| c.body.is_some()).count(),
        "a vector schema no longer generates"
    );
}

/// The type-mapping overrides, on the `nested` vector: a named record (`Geo`) and a field
/// (`OrderLine.sku`) mapped to hand-written types that render the same schema — checked and
/// round-tripped like the rest — and a field mapped to a type of another schema, which the
/// generated check reports, naming the field.
fn overrides(cases: &[Case], src: &Path, lib: &mut String) {
    let nested = cases
        .iter()
        .find(|c| c.names.iter().any(|n| n == "vectors/avro_confluent_nested"))
        .expect("the nested vector");
    let input = [("order.avsc", nested.text.as_str())];
    let mapped = Generator::new()
        .map_type("com.acme.orders.Geo", "my_types::Geo")
        .map_field("com.acme.orders.OrderLine.sku", "my_types::Sku")
        .generate(&input)
        .expect("mapped");
    assert!(mapped.source.contains("pub geo: crate::my_types::Geo,"));
    assert!(mapped.source.contains("pub sku: crate::my_types::Sku,"));
    assert!(!mapped.source.contains("pub struct Geo"));
    let wrong = Generator::new()
        .map_field("com.acme.orders.OrderLine.sku", "my_types::NotSku")
        .generate(&input)
        .expect("wrong mapping");
    std::fs::write(src.join("mapped.rs"), &mapped.source).expect("write");
    std::fs::write(src.join("wrong_mapping.rs"), &wrong.source).expect("write");
    std::fs::write(src.join("mapped.bin"), nested.body.as_ref().expect("body")).expect("write");
    let root = &mapped.roots[0].rust_path;
    let _ = write!(
        lib,
        r#"
pub mod my_types {{
    #[derive(Debug, Clone, PartialEq, kafka_model::Record, serde::Serialize, serde::Deserialize)]
    #[record(namespace = "com.acme.orders")]
    pub struct Geo {{
        pub lat: f64,
        pub lon: f64,
    }}
    #[derive(Debug, Clone, PartialEq, kafka_model::Record, serde::Serialize, serde::Deserialize)]
    pub struct Sku(pub String);
    #[derive(Debug, Clone, PartialEq, kafka_model::Record, serde::Serialize, serde::Deserialize)]
    pub struct NotSku(pub i64);
}}
pub mod mapped {{
    include!("mapped.rs");
}}
pub mod wrong_mapping {{
    include!("wrong_mapping.rs");
}}
#[test]
fn roundtrip_mapped() {{
    roundtrip::<mapped::{root}>(include_bytes!("mapped.bin"));
}}
#[test]
fn wrong_mapping_is_named() {{
    let err = wrong_mapping::check_avro_schemas().expect_err("a wrong mapping passed").to_string();
    assert!(err.contains("com.acme.orders.OrderLine.sku"), "{{err}}");
}}
"#
    );
}

/// Two inputs generated together, the second referencing a named type of the first (another
/// namespace, so another module), with the names Rust cannot take as they are: a keyword field,
/// a camelCase field, a lowercase record name, recursion through a nullable field and a union
/// of several records. Written here for the generator (not vector data).
fn multi_file(src: &Path, lib: &mut String) {
    let money = r#"{"type": "record", "name": "Money", "namespace": "com.acme.common",
        "fields": [{"name": "amount", "type": "long"}, {"name": "currency", "type": "string", "default": "EUR"}]}"#;
    let invoice = r#"{"type": "record", "name": "invoice", "namespace": "com.acme.billing",
        "aliases": ["OldInvoice"],
        "fields": [
            {"name": "type", "type": "string"},
            {"name": "totalDue", "type": "com.acme.common.Money", "aliases": ["total"]},
            {"name": "parts", "type": {"type": "array", "items": "com.acme.common.Money"}, "default": [{"amount": 1}]},
            {"name": "payer", "type": ["null", {"type": "record", "name": "Person", "fields": [{"name": "name", "type": "string"}]},
                                       {"type": "record", "name": "Company", "fields": [{"name": "vat", "type": "string"}]}], "default": null},
            {"name": "previous", "type": ["null", "invoice"], "default": null}
        ]}"#;
    let generated = Generator::new()
        .generate(&[("money.avsc", money), ("invoice.avsc", invoice)])
        .expect("two files");
    let roots: Vec<&str> = generated
        .roots
        .iter()
        .map(|r| r.rust_path.as_str())
        .collect();
    assert_eq!(
        roots,
        ["com::acme::common::Money", "com::acme::billing::Invoice"]
    );
    let s = &generated.source;
    for needle in [
        "pub total_due: super::common::Money,",
        "#[serde(rename = \"type\")]",
        "pub type_: String,",
        "#[serde(rename = \"totalDue\", alias = \"total\")]",
        "pub previous: Option<Box<Invoice>>,",
        "name = \"invoice\",",
        "aliases = [\"com.acme.billing.OldInvoice\"]",
    ] {
        assert!(s.contains(needle), "no {needle:?} in:\n{s}");
    }
    std::fs::write(src.join("multi.rs"), s).expect("write");
    let _ = write!(lib, "pub mod multi {{\n    include!(\"multi.rs\");\n}}\n");
}

/// The constructs mapped since the first generator (nested collections, `Option` of a list or
/// map in a field and inside collections, `duration`, decimals on `fixed` of both widths),
/// in one schema written for the generator: checked like the rest, and decoded from fastavro's
/// bytes (a datum it writes) and re-encoded to the same bytes. Returns whether fastavro ran.
/// Also: a decimal whose fixed is not named after its field stays a named NotExpressible.
fn expressive(src: &Path, lib: &mut String) -> bool {
    let schema = r#"{"type": "record", "name": "Mapped", "namespace": "com.acme.gen", "fields": [
        {"name": "matrix", "type": {"type": "array", "items": {"type": "array", "items": "int"}}},
        {"name": "codes", "type": ["null", {"type": "array", "items": "string"}], "default": null},
        {"name": "by_tag", "type": {"type": "map", "values": {"type": "array", "items": "long"}}},
        {"name": "maybe", "type": {"type": "array", "items": ["null", "long"]}, "default": [null]},
        {"name": "limits", "type": [{"type": "map", "values": "int"}, "null"], "default": {"a": 1}},
        {"name": "grid", "type": ["null", {"type": "map", "values": {"type": "map", "values": ["null", "string"]}}], "default": null},
        {"name": "ttl", "type": {"type": "fixed", "name": "Ttl", "size": 12, "logicalType": "duration"}},
        {"name": "ttls", "type": {"type": "array", "items": "Ttl"}},
        {"name": "unit_price", "type": {"type": "fixed", "name": "UnitPrice", "size": 8, "logicalType": "decimal", "precision": 18, "scale": 2}},
        {"name": "total", "type": ["null", {"type": "fixed", "name": "Total", "size": 16, "logicalType": "decimal", "precision": 38, "scale": 4}], "default": null},
        {"name": "stamps", "type": {"type": "array", "items": {"type": "long", "logicalType": "timestamp-millis"}}}
    ]}"#;
    let generated = Generator::new()
        .generate(&[("mapped.avsc", schema)])
        .expect("the newly mapped constructs");
    let s = &generated.source;
    for needle in [
        "pub matrix: Vec<Vec<i32>>,",
        "pub codes: Option<Vec<String>>,",
        "pub by_tag: std::collections::BTreeMap<String, Vec<i64>>,",
        "pub maybe: Vec<Option<i64>>,",
        "pub grid: Option<\n",
        "pub struct Ttl(pub kafka_model::duration::AvroDuration);",
        "#[record(decimal(precision = 18, scale = 2, fixed = 8))]",
        "pub unit_price: rust_decimal::Decimal,",
        "pub total: Option<kafka_model::decimal128::Decimal128>,",
    ] {
        assert!(s.contains(needle), "no {needle:?} in:\n{s}");
    }
    std::fs::write(src.join("expressive.rs"), s).expect("write");
    let _ = write!(
        lib,
        "pub mod expressive {{\n    include!(\"expressive.rs\");\n}}\n"
    );

    let other_name = r#"{"type": "record", "name": "R", "fields": [
        {"name": "cost", "type": {"type": "fixed", "name": "Money", "size": 8, "logicalType": "decimal", "precision": 10, "scale": 2}}]}"#;
    match Generator::new().generate(&[("r.avsc", other_name)]) {
        Err(GenerateError::NotExpressible { at, construct }) => {
            assert_eq!(at, "R.cost");
            assert!(
                construct.contains("not named after its field"),
                "{construct}"
            );
        }
        other => panic!("a decimal fixed named Money on field cost: {other:?}"),
    }

    let Some(python) = common::tools::interop_python() else {
        return false;
    };
    let script = r#"
import io, struct, sys, datetime, decimal, json, fastavro
schema = fastavro.parse_schema(json.loads(sys.argv[1]))
utc = datetime.timezone.utc
datum = {
    "matrix": [[1, 2], [], [-3]],
    "codes": ["a", "b"],
    "by_tag": {"x": [1, -2], "y": []},
    "maybe": [None, 5, None],
    "limits": {"a": 7, "b": 8},
    "grid": {"k": {"i": None, "j": "v"}, "l": {}},
    "ttl": struct.pack("<III", 1, 2, 3),
    "ttls": [struct.pack("<III", 0, 0, 0), struct.pack("<III", 12, 30, 86399999)],
    "unit_price": decimal.Decimal("12345.67"),
    "total": decimal.Decimal("-1.2345"),
    "stamps": [datetime.datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=utc)],
}
buf = io.BytesIO()
fastavro.schemaless_writer(buf, schema, datum)
sys.stdout.write(buf.getvalue().hex())
"#;
    let hex = common::tools::run(Command::new(python).args(["-c", script, schema]));
    let bytes: Vec<u8> = (0..hex.trim().len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex.trim()[i..i + 2], 16).expect("hex"))
        .collect();
    assert!(bytes.len() > 40, "fastavro wrote {hex}");
    std::fs::write(src.join("expressive.bin"), bytes).expect("write");
    let _ = write!(
        lib,
        "#[test]\nfn roundtrip_expressive() {{\n    roundtrip::<expressive::{}>(include_bytes!(\"expressive.bin\"));\n}}\n",
        generated.roots[0].rust_path
    );
    true
}
