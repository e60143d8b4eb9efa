//! Runs the `kafka-model` binary: every third-party verdict through `compat`, exit statuses,
//! JSON output, and `diff`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kafka-model"))
}

/// The repository's `testdata/` (see its README for where each file came from).
fn testdata_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn load(name: &str) -> Vec<Value> {
    let path = testdata_dir().join("compat").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str::<Value>(&text)
        .expect("json")
        .as_array()
        .expect("array")
        .clone()
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exited")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn compat_agrees_with_every_avro_verdict() {
    let cases = load("avro-compat-public.json");
    let dir = scratch("cli-avro");
    let mut agreed = 0;
    let mut failures = Vec::new();
    for case in &cases {
        let id = case["id"].as_str().expect("id");
        let new = dir.join(format!("{id}-new.avsc"));
        write(&new, &case["new_schema"].to_string());
        let mut cmd = bin();
        cmd.args(["compat", "--format", "avro", "--level"])
            .arg(case["level"].as_str().expect("level"))
            .arg("--new")
            .arg(&new);
        for (i, prev) in case["previous_schemas"]
            .as_array()
            .expect("previous")
            .iter()
            .enumerate()
        {
            let path = dir.join(format!("{id}-prev{i}.avsc"));
            write(&path, &prev.to_string());
            cmd.arg("--previous").arg(path);
        }
        let out = cmd.output().expect("run");
        let expected = if case["compatible"].as_bool().expect("verdict") {
            0
        } else {
            1
        };
        if code(&out) == expected {
            agreed += 1;
        } else {
            failures.push(format!("{id}: exit {} {}", code(&out), text(&out)));
        }
    }
    println!("Avro via CLI: {agreed} agreed of {}", cases.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn compat_agrees_with_every_protobuf_verdict() {
    let cases = load("protobuf-diff-examples.json");
    let mut agreed = 0;
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let dir = scratch(&format!("cli-proto-{i}"));
        let mut paths = Vec::new();
        for which in ["original", "update"] {
            let root = dir.join(which);
            let main = root.join("schema.proto");
            write(
                &main,
                case[format!("{which}_schema")].as_str().expect("schema"),
            );
            if let Some(deps) = case[format!("{which}_dependencies")].as_array() {
                for dep in deps {
                    write(
                        &root.join(dep["name"].as_str().expect("name")),
                        dep["dependency"].as_str().expect("text"),
                    );
                }
            }
            paths.push(main);
        }
        let out = bin()
            .args(["compat", "--format", "protobuf", "--level", "BACKWARD"])
            .arg("--new")
            .arg(&paths[1])
            .arg("--previous")
            .arg(&paths[0])
            .output()
            .expect("run");
        let expected = if case["compatible"].as_bool().expect("verdict") {
            0
        } else {
            1
        };
        if code(&out) == expected {
            agreed += 1;
        } else {
            failures.push(format!("case {i}: exit {} {}", code(&out), text(&out)));
        }
    }
    println!("Protobuf via CLI: {agreed} agreed of {}", cases.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn compat_agrees_with_every_jsonschema_verdict() {
    let cases = load("jsonschema-diff-examples.json");
    assert_eq!(cases.len(), 132);
    let mut agreed = 0;
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let dir = scratch(&format!("cli-json-{i}"));
        let original = dir.join("v1.json");
        let update = dir.join("v2.json");
        write(&original, &case["original_schema"].to_string());
        write(&update, &case["update_schema"].to_string());
        let out = bin()
            .args([
                "compat", "--format", "json", "--level", "BACKWARD", "--json",
            ])
            .arg("--new")
            .arg(&update)
            .arg("--previous")
            .arg(&original)
            .output()
            .expect("run");
        let compatible = case["compatible"].as_bool().expect("verdict");
        let expected_code = if compatible { 0 } else { 1 };
        // The reported issues are exactly Confluent's breaking changes, in Confluent's order.
        let report: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
        let reported: Vec<String> = report["issues"]
            .as_array()
            .map(|issues| {
                issues
                    .iter()
                    .map(|i| {
                        format!(
                            "{} {}",
                            i["kind"].as_str().unwrap_or(""),
                            i["path"].as_str().unwrap_or("")
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let breaking: Vec<String> = case["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .map(|c| c.as_str().expect("change").to_owned())
            .filter(|c| {
                let kind = c.split(' ').next().unwrap_or("");
                !COMPATIBLE_JSON_CHANGES.contains(&kind)
            })
            .collect();
        if code(&out) == expected_code && reported == breaking {
            agreed += 1;
        } else {
            failures.push(format!(
                "case {i}: exit {} reported {reported:?} expected {breaking:?} {}",
                code(&out),
                text(&out)
            ));
        }
    }
    println!("JSON Schema via CLI: {agreed} agreed of {}", cases.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The difference names in the cases that Confluent's strict policy accepts (from its
/// `COMPATIBLE_CHANGES_STRICT`; the others in the file are breaking).
const COMPATIBLE_JSON_CHANGES: &[&str] = &[
    "ID_CHANGED",
    "DESCRIPTION_CHANGED",
    "TITLE_CHANGED",
    "SCHEMA_REMOVED",
    "TYPE_EXTENDED",
    "MAX_LENGTH_INCREASED",
    "MAX_LENGTH_REMOVED",
    "MIN_LENGTH_DECREASED",
    "PATTERN_REMOVED",
    "MAXIMUM_INCREASED",
    "MAXIMUM_REMOVED",
    "MINIMUM_DECREASED",
    "MINIMUM_REMOVED",
    "MULTIPLE_OF_REDUCED",
    "MULTIPLE_OF_REMOVED",
    "REQUIRED_ATTRIBUTE_REMOVED",
    "DEPENDENCY_ARRAY_REMOVED",
    "DEPENDENCY_SCHEMA_REMOVED",
    "MAX_PROPERTIES_INCREASED",
    "MAX_PROPERTIES_REMOVED",
    "MIN_PROPERTIES_DECREASED",
    "MIN_PROPERTIES_REMOVED",
    "ADDITIONAL_PROPERTIES_ADDED",
    "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
    "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
    "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
    "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
    "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    "MIN_ITEMS_DECREASED",
    "MIN_ITEMS_REMOVED",
    "UNIQUE_ITEMS_REMOVED",
    "ADDITIONAL_ITEMS_ADDED",
    "ADDITIONAL_ITEMS_EXTENDED",
    "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
    "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL",
    "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
    "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL",
    "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    "ENUM_ARRAY_EXTENDED",
    "COMBINED_TYPE_EXTENDED",
    "PRODUCT_TYPE_NARROWED",
    "SUM_TYPE_EXTENDED",
    "NOT_TYPE_NARROWED",
];

#[test]
fn compat_prints_reasons_and_json() {
    let dir = scratch("cli-reasons");
    let v1 = dir.join("v1.avsc");
    let v2 = dir.join("v2.avsc");
    write(
        &v1,
        r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#,
    );
    write(
        &v2,
        r#"{"type":"record","name":"R","fields":[{"name":"a","type":"string"},{"name":"b","type":"int"}]}"#,
    );
    let out = bin()
        .args(["compat", "--format", "avro", "--level", "backward"])
        .arg("--new")
        .arg(&v2)
        .arg("--previous")
        .arg(&v1)
        .output()
        .expect("run");
    assert_eq!(code(&out), 1, "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("incompatible (2 issue(s))"), "{stdout}");
    assert!(
        stdout.contains("TYPE_MISMATCH at /fields/0/type"),
        "{stdout}"
    );
    assert!(
        stdout.contains("READER_FIELD_MISSING_DEFAULT_VALUE at /fields/1"),
        "{stdout}"
    );

    let out = bin()
        .args(["compat", "--format", "avro", "--level", "FORWARD", "--json"])
        .arg("--new")
        .arg(&v2)
        .arg("--previous")
        .arg(&v1)
        .output()
        .expect("run");
    assert_eq!(code(&out), 1);
    let json: Value = serde_json::from_slice(&out.stdout).expect("json output");
    assert_eq!(json["compatible"], false);
    assert_eq!(json["level"], "FORWARD");
    assert_eq!(json["issues"][0]["kind"], "TYPE_MISMATCH");
    assert_eq!(json["issues"][0]["direction"], "forward");

    let out = bin()
        .args(["compat", "--format", "avro", "--level", "NONE"])
        .arg("--new")
        .arg(&v2)
        .arg("--previous")
        .arg(&v1)
        .output()
        .expect("run");
    assert_eq!(code(&out), 0);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "compatible");
}

#[test]
fn usage_and_parse_errors_exit_2() {
    let dir = scratch("cli-errors");
    let good = dir.join("good.avsc");
    let bad = dir.join("bad.avsc");
    write(&good, "\"int\"");
    write(&bad, "{ not json");
    let run = |args: &[&str]| bin().args(args).output().expect("run");
    let g = good.to_string_lossy().into_owned();
    let b = bad.to_string_lossy().into_owned();

    // Missing --previous, unknown format, unknown level.
    let out = run(&[
        "compat", "--format", "avro", "--level", "BACKWARD", "--new", &g,
    ]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    let out = run(&[
        "compat",
        "--format",
        "json",
        "--level",
        "BACKWARD",
        "--new",
        &g,
        "--previous",
        &g,
    ]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    let out = run(&[
        "compat",
        "--format",
        "avro",
        "--level",
        "SIDEWAYS",
        "--new",
        &g,
        "--previous",
        &g,
    ]);
    assert_eq!(code(&out), 2);
    assert!(text(&out).contains("unknown compatibility level `SIDEWAYS`"));
    // A schema that does not parse, a file that does not exist.
    let out = run(&[
        "compat",
        "--format",
        "avro",
        "--level",
        "BACKWARD",
        "--new",
        &g,
        "--previous",
        &b,
    ]);
    assert_eq!(code(&out), 2);
    assert!(
        text(&out).contains("previous schema #1: invalid Avro schema"),
        "{}",
        text(&out)
    );
    let out = run(&[
        "compat",
        "--format",
        "avro",
        "--level",
        "BACKWARD",
        "--new",
        "/nonexistent.avsc",
        "--previous",
        &g,
    ]);
    assert_eq!(code(&out), 2);
    assert!(text(&out).contains("/nonexistent.avsc"));
    // --help works everywhere.
    for args in [&["--help"][..], &["compat", "--help"], &["diff", "--help"]] {
        let out = run(args);
        assert_eq!(code(&out), 0, "{args:?}");
    }
}

#[test]
fn protobuf_imports_are_read_from_the_proto_path() {
    let dir = scratch("cli-proto-imports");
    write(
        &dir.join("v1/com/acme/common.proto"),
        "syntax = \"proto3\";\npackage com.acme.common;\nmessage Money { int64 cents = 1; }\n",
    );
    write(
        &dir.join("v1/com/acme/orders.proto"),
        "syntax = \"proto3\";\npackage com.acme.orders;\nimport \"com/acme/common.proto\";\n\
         message Order { string id = 1; com.acme.common.Money total = 2; }\n",
    );
    write(
        &dir.join("v2/com/acme/common.proto"),
        "syntax = \"proto3\";\npackage com.acme.common;\nmessage Money { string cents = 1; }\n",
    );
    write(
        &dir.join("v2/com/acme/orders.proto"),
        "syntax = \"proto3\";\npackage com.acme.orders;\nimport \"com/acme/common.proto\";\n\
         message Order { string id = 1; com.acme.common.Money total = 2; }\n",
    );
    let out = bin()
        .args(["compat", "--format", "protobuf", "--level", "BACKWARD"])
        .arg("--new")
        .arg(dir.join("v2/com/acme/orders.proto"))
        .arg("--previous")
        .arg(dir.join("v1/com/acme/orders.proto"))
        .arg("-I")
        .arg(dir.join("v2"))
        .arg("-I")
        .arg(dir.join("v1"))
        .output()
        .expect("run");
    // With v2 first on the path, both files import v2's common.proto: compatible.
    assert_eq!(code(&out), 0, "{}", text(&out));

    // Without -I, each file finds its imports in its own tree (the nearest ancestor
    // directory holding them): the imported Money changed, which breaks Order.
    let out = bin()
        .args([
            "compat", "--format", "protobuf", "--level", "BACKWARD", "--json",
        ])
        .arg("--new")
        .arg(dir.join("v2/com/acme/orders.proto"))
        .arg("--previous")
        .arg(dir.join("v1/com/acme/orders.proto"))
        .output()
        .expect("run");
    assert_eq!(code(&out), 1, "{}", text(&out));
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    let kinds: Vec<&str> = json["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .map(|i| i["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(
        kinds,
        ["FIELD_SCALAR_KIND_CHANGED", "FIELD_NAMED_TYPE_CHANGED"]
    );

    // An import found nowhere is a usage error.
    write(
        &dir.join("v3/orders.proto"),
        "syntax = \"proto3\";\nimport \"nowhere/x.proto\";\nmessage Order { string id = 1; }\n",
    );
    let out = bin()
        .args(["compat", "--format", "protobuf", "--level", "BACKWARD"])
        .arg("--new")
        .arg(dir.join("v3/orders.proto"))
        .arg("--previous")
        .arg(dir.join("v1/com/acme/orders.proto"))
        .output()
        .expect("run");
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(
        text(&out).contains("import \"nowhere/x.proto\" not found"),
        "{}",
        text(&out)
    );
}

#[test]
fn diff_reports_added_removed_changed_and_breaking() {
    let dir = scratch("cli-diff");
    let (a, b) = (dir.join("a"), dir.join("b"));
    let rec = |fields: &str| format!(r#"{{"type":"record","name":"R","fields":[{fields}]}}"#);
    write(&a.join("R.avsc"), &rec(r#"{"name":"x","type":"int"}"#));
    write(&b.join("R.avsc"), &rec(r#"{"name":"x","type":"long"}"#));
    write(&a.join("Same.avsc"), "\"string\"");
    write(&b.join("Same.avsc"), "\"string\"");
    write(&a.join("Gone.avsc"), "\"int\"");
    write(&b.join("New.avsc"), "\"int\"");
    write(
        &a.join("M.proto/m.proto"),
        "syntax = \"proto3\";\nmessage M { int32 n = 1; }\n",
    );
    write(
        &b.join("M.proto/m.proto"),
        "syntax = \"proto3\";\nmessage M { int32 n = 1; string s = 2; }\n",
    );

    let out = bin().arg("diff").arg(&a).arg(&b).output().expect("run");
    assert_eq!(code(&out), 1, "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "removed: Gone.avsc");
    assert_eq!(lines[1], "changed: M.proto/m.proto (compatible: FULL)");
    assert_eq!(lines[2], "added: New.avsc");
    assert_eq!(lines[3], "changed: R.avsc (breaking)");
    assert!(
        lines[4].contains("TYPE_MISMATCH at /fields/0/type (forward"),
        "{stdout}"
    );

    let out = bin()
        .arg("diff")
        .arg(&a)
        .arg(&b)
        .arg("--json")
        .output()
        .expect("run");
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["same"], false);
    assert_eq!(json["files"].as_array().expect("files").len(), 4);

    let out = bin().arg("diff").arg(&a).arg(&a).output().expect("run");
    assert_eq!(code(&out), 0);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "no differences"
    );

    let out = bin()
        .arg("diff")
        .arg(&a)
        .arg(dir.join("missing"))
        .output()
        .expect("run");
    assert_eq!(code(&out), 2);
}

#[test]
fn diff_compiles_an_export_proto_root_with_its_imports() {
    let dir = scratch("cli-diff-proto-root");
    let (a, b) = (dir.join("a"), dir.join("b"));
    let common = "syntax = \"proto3\";\n\npackage com.acme.common;\n\nmessage Money {\n  int64 cents = 1;\n}\n";
    for side in [&a, &b] {
        write(&side.join("proto/com/acme/common.proto"), common);
    }
    let shop = |ty: &str| {
        format!(
            "syntax = \"proto3\";\n\npackage com.acme.shop;\n\nimport \"com/acme/common.proto\";\n\nmessage Order {{\n  com.acme.common.Money total = 1;\n  {ty} id = 2;\n}}\n"
        )
    };
    write(&a.join("proto/com/acme/shop.proto"), &shop("string"));
    write(&b.join("proto/com/acme/shop.proto"), &shop("int64"));
    let out = bin().arg("diff").arg(&a).arg(&b).output().expect("run");
    assert_eq!(code(&out), 1, "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The import resolved inside `proto/`, and the id's kind change is breaking.
    assert!(
        stdout.starts_with("changed: proto/com/acme/shop.proto (breaking)"),
        "{stdout}"
    );
    assert!(stdout.contains("FIELD_SCALAR_KIND_CHANGED"), "{stdout}");
}

#[test]
fn generate_writes_models_to_stdout_or_a_directory_and_names_what_it_cannot_express() {
    let nested = testdata_dir().join("vectors/avro_confluent_nested/schema.avsc");
    let out = bin().arg("generate").arg(&nested).output().expect("run");
    assert_eq!(code(&out), 0, "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("pub mod orders {"), "{stdout}");
    assert!(stdout.contains("pub struct Order {"), "{stdout}");
    assert!(stdout.contains("pub fn check_avro_schemas()"), "{stdout}");
    // The same bytes as the library's, which the round-trip test compiles and checks.
    let lib = kafka_model_generate(&nested);
    assert_eq!(stdout, lib);

    let dir = scratch("cli-generate");
    let out = bin()
        .arg("generate")
        .arg(&nested)
        .args(["--out"])
        .arg(&dir)
        .output()
        .expect("run");
    assert_eq!(code(&out), 0, "{}", text(&out));
    let written = std::fs::read_to_string(dir.join("kafka_model_avro.rs")).expect("written");
    assert_eq!(written, lib);
    assert!(
        text(&out).contains("com::acme::orders::Order"),
        "{}",
        text(&out)
    );

    // A construct the derive cannot express yet: exit 2, naming the field and the construct.
    let dir_cases = scratch("cli-generate-not-yet");
    let branch = dir_cases.join("branch.avsc");
    write(
        &branch,
        r#"{"type": "record", "name": "R", "namespace": "com.acme",
            "fields": [{"name": "never", "type": []}]}"#,
    );
    let out = bin().arg("generate").arg(&branch).output().expect("run");
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(
        text(&out).contains("com.acme.R.never: an empty union"),
        "{}",
        text(&out)
    );
    assert!(out.stdout.is_empty());

    // Not a schema, and a bad mapping: exit 2.
    let bad = dir.join("bad.avsc");
    write(
        &bad,
        r#"{"type": "record", "name": "R", "fields": [{"name": "a"}]}"#,
    );
    let out = bin().arg("generate").arg(&bad).output().expect("run");
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(
        text(&out).contains("not a valid Avro schema"),
        "{}",
        text(&out)
    );
    let out = bin()
        .arg("generate")
        .arg(&nested)
        .args(["--map-type", "no-equals-sign"])
        .output()
        .expect("run");
    assert_eq!(code(&out), 2, "{}", text(&out));
}

fn kafka_model_generate(path: &Path) -> String {
    kafka_model::generate::Generator::new()
        .generate_files(&[path])
        .expect("generate")
        .source
}

#[test]
fn generate_takes_proto_files() {
    let nested = testdata_dir().join("vectors/proto_confluent_nested/schema.proto");
    let dir = scratch("cli-generate-proto");
    let out = bin()
        .arg("generate")
        .arg(&nested)
        .args(["--out"])
        .arg(&dir)
        .output()
        .expect("run");
    assert_eq!(code(&out), 0, "{}", text(&out));
    let written = std::fs::read_to_string(dir.join("kafka_model_proto.rs")).expect("written");
    let lib = kafka_model::generate::Generator::new()
        .generate_proto_files(&[&nested])
        .expect("generate")
        .source;
    assert_eq!(written, lib);
    assert!(
        written.contains("pub fn check_proto_schemas()"),
        "{written}"
    );
    assert!(
        text(&out).contains("schema.proto:acme.orders.v1.Outer: acme::orders::v1::Outer"),
        "{}",
        text(&out)
    );

    // proto2 is not supported (the derive renders proto3): exit 2, saying so; mixing formats
    // is refused.
    let old = dir.join("old.proto");
    write(
        &old,
        "syntax = \"proto2\";\nmessage M { optional int32 a = 1; }\n",
    );
    let out = bin().arg("generate").arg(&old).output().expect("run");
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(
        text(&out).contains("old.proto: proto2 is not supported (kafka-model renders proto3)"),
        "{}",
        text(&out)
    );
    let avsc = testdata_dir().join("vectors/avro_confluent_nested/schema.avsc");
    let out = bin()
        .arg("generate")
        .arg(&nested)
        .arg(&avsc)
        .output()
        .expect("run");
    assert_eq!(code(&out), 2, "{}", text(&out));
}

#[test]
fn generate_takes_json_schema_files() {
    let member = testdata_dir().join("vectors/json_confluent_jsonschema/schema.json");
    let dir = scratch("cli-generate-json");
    let out = bin()
        .arg("generate")
        .arg(&member)
        .args(["--out"])
        .arg(&dir)
        .output()
        .expect("run");
    assert_eq!(code(&out), 0, "{}", text(&out));
    let written = std::fs::read_to_string(dir.join("kafka_model_json.rs")).expect("written");
    let lib = kafka_model::generate::Generator::new()
        .generate_json_files(&[&member])
        .expect("generate")
        .source;
    assert_eq!(written, lib);
    assert!(written.contains("pub fn check_json_schemas()"), "{written}");
    assert!(text(&out).contains("schema.json: Member"), "{}", text(&out));

    // A constraint without a data shape: exit 2, naming it and where; mixing kinds is refused.
    let not = dir.join("not.json");
    write(
        &not,
        r#"{"type": "object", "properties": {"a": {"not": {}}}}"#,
    );
    let out = bin().arg("generate").arg(&not).output().expect("run");
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(
        text(&out).contains("not.json#/properties/a/not: `not`"),
        "{}",
        text(&out)
    );
    let avsc = testdata_dir().join("vectors/avro_confluent_nested/schema.avsc");
    let out = bin()
        .arg("generate")
        .arg(&member)
        .arg(&avsc)
        .output()
        .expect("run");
    assert_eq!(code(&out), 2, "{}", text(&out));
}
