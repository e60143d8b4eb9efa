//! The local compatibility checker agrees with every third-party verdict in
//! `testdata/compat/`: Confluent's and Apache Avro's Avro cases, and Confluent's
//! protobuf-provider and json-schema-provider diff examples (their exact list of differences, in
//! order, too).

use std::fs;
use std::path::{Path, PathBuf};

use kafka_model::compat::json;
use kafka_model::compat::protobuf::{self, ProtoSource};
use kafka_model::compat::{self, CompatibilityLevel, Direction, Format, IncompatibilityKind};
use serde_json::Value;

/// The repository's `testdata/` (see its README for the verdicts' sources).
fn testdata_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata")
}

fn load(name: &str) -> Vec<Value> {
    let path = testdata_dir().join("compat").join(name);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path:?}: {e}"));
    let value: Value = serde_json::from_str(&text).expect("valid JSON");
    value.as_array().expect("an array of cases").clone()
}

#[test]
fn avro_public_verdicts_all_agree() {
    let cases = load("avro-compat-public.json");
    assert_eq!(cases.len(), 102);
    let mut disagreements = Vec::new();
    for case in &cases {
        let id = case["id"].as_str().expect("id");
        let level: CompatibilityLevel = case["level"]
            .as_str()
            .expect("level")
            .parse()
            .expect("level");
        let new = serde_json::to_string(&case["new_schema"]).expect("json");
        let previous: Vec<String> = case["previous_schemas"]
            .as_array()
            .expect("previous")
            .iter()
            .map(|s| serde_json::to_string(s).expect("json"))
            .collect();
        let previous: Vec<&str> = previous.iter().map(String::as_str).collect();
        let expected = case["compatible"].as_bool().expect("verdict");
        let report = compat::check(Format::Avro, level, &new, &previous)
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        if report.compatible != expected {
            disagreements.push(format!("{id}: expected {expected}, got {report}"));
        }
        // A verdict and its issues never disagree.
        assert_eq!(report.compatible, report.issues.is_empty(), "{id}");
    }
    println!(
        "Avro: {} agreed of {}",
        cases.len() - disagreements.len(),
        cases.len()
    );
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

fn sources(case: &Value, which: &str) -> ProtoSource {
    let mut src = ProtoSource::new(case[format!("{which}_schema")].as_str().expect("schema"));
    if let Some(deps) = case[format!("{which}_dependencies")].as_array() {
        for dep in deps {
            src = src.with_dependency(
                dep["name"].as_str().expect("name"),
                dep["dependency"].as_str().expect("text"),
            );
        }
    }
    src
}

#[test]
fn protobuf_diff_examples_all_agree() {
    let cases = load("protobuf-diff-examples.json");
    assert_eq!(cases.len(), 54);
    let mut verdicts_agreed = 0;
    let mut changes_agreed = 0;
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let desc = case["description"].as_str().expect("description");
        let original = sources(case, "original");
        let update = sources(case, "update");
        let expected = case["compatible"].as_bool().expect("verdict");
        let report = protobuf::check(
            CompatibilityLevel::Backward,
            &update,
            std::slice::from_ref(&original),
        )
        .unwrap_or_else(|e| panic!("case {i} ({desc}): {e}"));
        if report.compatible == expected {
            verdicts_agreed += 1;
        } else {
            failures.push(format!("case {i} ({desc}): verdict {report}"));
        }
        let expected_changes: Vec<&str> = case["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .map(|c| c.as_str().expect("change"))
            .collect();
        let found: Vec<String> = protobuf::diff(&original, &update)
            .expect("compiles")
            .iter()
            .map(ToString::to_string)
            .collect();
        if found == expected_changes {
            changes_agreed += 1;
        } else {
            failures.push(format!(
                "case {i} ({desc}): changes\n  expected {expected_changes:?}\n  found    {found:?}"
            ));
        }
    }
    println!(
        "Protobuf: {verdicts_agreed} agreed of {} (verdicts); {changes_agreed} of {} exact change lists",
        cases.len(),
        cases.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn jsonschema_diff_examples_all_agree() {
    let cases = load("jsonschema-diff-examples.json");
    assert_eq!(cases.len(), 132);
    let mut verdicts_agreed = 0;
    let mut lenient_checked = 0;
    let mut changes_agreed = 0;
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let desc = case["description"].as_str().expect("description");
        let original = serde_json::to_string(&case["original_schema"]).expect("json");
        let update = serde_json::to_string(&case["update_schema"]).expect("json");
        let expected = case["compatible"].as_bool().expect("verdict");
        // The verdict through the public entry point, as `kafka-model compat` gets it.
        let report = compat::check(
            Format::Json,
            CompatibilityLevel::Backward,
            &update,
            &[&original],
        )
        .unwrap_or_else(|e| panic!("case {i} ({desc}): {e}"));
        assert_eq!(report.compatible, report.issues.is_empty(), "case {i}");
        if report.compatible == expected {
            verdicts_agreed += 1;
        } else {
            failures.push(format!("case {i} ({desc}): verdict {report}"));
        }
        let expected_changes: Vec<&str> = case["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .map(|c| c.as_str().expect("change"))
            .collect();
        let found = json::diff(&original, &update).expect("readable");
        let found_text: Vec<String> = found.iter().map(ToString::to_string).collect();
        if found_text == expected_changes {
            changes_agreed += 1;
        } else {
            failures.push(format!(
                "case {i} ({desc}): changes\n  expected {expected_changes:?}\n  found    {found_text:?}"
            ));
        }
        if let Some(lenient) = case["compatible_lenient"].as_bool() {
            lenient_checked += 1;
            let diffs = json::diff_values(
                &case["original_schema"],
                &case["update_schema"],
                json::Policy::Lenient,
            )
            .expect("readable");
            let ok = diffs
                .iter()
                .all(|d| d.change.is_compatible_under(json::Policy::Lenient));
            if ok != lenient {
                failures.push(format!("case {i} ({desc}): lenient verdict {ok}"));
            }
        }
    }
    println!(
        "JSON Schema: {verdicts_agreed} agreed of {} (verdicts); {changes_agreed} of {} exact change lists; {lenient_checked} lenient verdicts",
        cases.len(),
        cases.len()
    );
    assert_eq!(lenient_checked, 4);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn avro_case(id: &str) -> (String, Vec<String>, CompatibilityLevel) {
    let cases = load("avro-compat-public.json");
    let case = cases
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no case {id}"));
    let new = serde_json::to_string(&case["new_schema"]).expect("json");
    let previous = case["previous_schemas"]
        .as_array()
        .expect("previous")
        .iter()
        .map(|s| serde_json::to_string(s).expect("json"))
        .collect();
    let level = case["level"]
        .as_str()
        .expect("level")
        .parse()
        .expect("level");
    (new, previous, level)
}

fn issues_of(id: &str) -> Vec<(String, String, String)> {
    let (new, previous, level) = avro_case(id);
    let previous: Vec<&str> = previous.iter().map(String::as_str).collect();
    let report = compat::check(Format::Avro, level, &new, &previous).expect("parses");
    report
        .issues
        .iter()
        .map(|i| (i.kind.to_string(), i.path.clone(), i.message.clone()))
        .collect()
}

fn triple(kind: &str, path: &str, message: &str) -> (String, String, String) {
    (kind.to_owned(), path.to_owned(), message.to_owned())
}

#[test]
fn avro_multi_reports_all_nine_issues_with_java_locations() {
    assert_eq!(
        issues_of("avro-multi-01"),
        vec![
            triple("MISSING_ENUM_SYMBOLS", "/fields/0/type/symbols", "[B, D]"),
            triple(
                "NAME_MISMATCH",
                "/fields/1/type/name",
                "expected: check_enum_name_type_ERR"
            ),
            triple(
                "TYPE_MISMATCH",
                "/fields/2/type",
                "reader type: STRING not compatible with writer type: LONG"
            ),
            triple(
                "READER_FIELD_MISSING_DEFAULT_VALUE",
                "/fields/3/type/fields/1",
                "extra_no_default_field"
            ),
            triple(
                "FIXED_SIZE_MISMATCH",
                "/fields/3/type/fields/2/type/size",
                "expected: 8, found: 4"
            ),
            triple(
                "MISSING_UNION_BRANCH",
                "/fields/3/type/fields/3/type/1",
                "reader union lacking writer type: DOUBLE"
            ),
            triple(
                "MISSING_UNION_BRANCH",
                "/fields/3/type/fields/3/type/2",
                "reader union lacking writer type: STRING"
            ),
            triple(
                "MISSING_UNION_BRANCH",
                "/fields/3/type/fields/4/type",
                "reader union lacking writer type: LONG"
            ),
            triple(
                "TYPE_MISMATCH",
                "/fields/3/type/fields/5/type/fields/1/type/items",
                "reader type: STRING not compatible with writer type: BOOLEAN"
            ),
        ]
    );
}

#[test]
fn avro_single_reasons_and_paths() {
    assert_eq!(
        issues_of("avro-tsc-11"),
        vec![triple(
            "TYPE_MISMATCH",
            "/fields/0/type/0",
            "reader type: INT not compatible with writer type: NULL"
        )]
    );
    assert_eq!(
        issues_of("avro-fixed-03"),
        vec![triple(
            "FIXED_SIZE_MISMATCH",
            "/fields/1/type/size",
            "expected: 4, found: 8"
        )]
    );
    assert_eq!(
        issues_of("avro-default-02"),
        vec![triple(
            "READER_FIELD_MISSING_DEFAULT_VALUE",
            "/fields/0",
            "a"
        )]
    );
    assert_eq!(
        issues_of("avro-type-26"),
        vec![triple(
            "TYPE_MISMATCH",
            "/1",
            "reader type: LONG not compatible with writer type: FLOAT"
        )]
    );
    assert_eq!(
        issues_of("avro-name-04"),
        vec![triple(
            "NAME_MISMATCH",
            "/fields/1/type/name",
            "expected: Enum2"
        )]
    );
}

#[test]
fn transitive_levels_report_which_previous_schema_failed() {
    // cf-full-transitive-08: schema1 vs [schema2, schema3]; only schema3 (index 1) breaks, and
    // only forward: schema3, reading schema1's data, finds no f2 and has no default for it.
    let (new, previous, level) = avro_case("cf-full-transitive-08");
    let previous: Vec<&str> = previous.iter().map(String::as_str).collect();
    let report = compat::check(Format::Avro, level, &new, &previous).expect("parses");
    assert!(!report.compatible);
    assert!(report.issues.iter().all(|i| i.previous == 1));
    assert!(report
        .issues
        .iter()
        .all(|i| i.direction == Direction::Forward
            && i.kind == IncompatibilityKind::ReaderFieldMissingDefaultValue));

    // The same schemas, non-transitively, check only the latest one.
    let report = compat::check(Format::Avro, CompatibilityLevel::Full, &new, &previous[..1])
        .expect("parses");
    assert!(report.compatible, "{report}");
}

#[test]
fn level_none_checks_nothing_even_unparseable_previous() {
    let report = compat::check(
        Format::Avro,
        CompatibilityLevel::None,
        "\"int\"",
        &["not json"],
    )
    .expect("ok");
    assert!(report.compatible);
    let err = compat::check(
        Format::Avro,
        CompatibilityLevel::Backward,
        "\"int\"",
        &["not json"],
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("previous schema #1: invalid Avro schema"),
        "{err}"
    );
}

#[test]
fn protobuf_forward_is_the_reverse_diff() {
    let v1 = "syntax = \"proto2\";\nmessage M { optional string a = 1; }";
    let v2 = "syntax = \"proto2\";\nmessage M { optional string a = 1; required int32 b = 2; }";
    let backward =
        compat::check(Format::Protobuf, CompatibilityLevel::Backward, v2, &[v1]).expect("ok");
    assert_eq!(backward.issues.len(), 1);
    assert_eq!(backward.issues[0].kind.to_string(), "REQUIRED_FIELD_ADDED");
    assert_eq!(backward.issues[0].path, "#/M/2");
    let forward =
        compat::check(Format::Protobuf, CompatibilityLevel::Forward, v2, &[v1]).expect("ok");
    assert_eq!(forward.issues[0].kind.to_string(), "REQUIRED_FIELD_REMOVED");
    assert_eq!(forward.issues[0].direction, Direction::Forward);
    let err = compat::check(
        Format::Protobuf,
        CompatibilityLevel::Backward,
        "message {",
        &[v1],
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("new schema: invalid Protobuf schema"),
        "{err}"
    );
}

#[test]
fn avro_parser_accepts_what_the_registry_accepts() {
    // Confluent's testBadDefaultNull: a string default on a null-first union must parse
    // (the registry turns Avro's default validation off).
    let schema = r#"{"type":"record","name":"R","fields":[
        {"name":"f","type":["null","string"],"default":"null"}]}"#;
    let report =
        compat::check(Format::Avro, CompatibilityLevel::Full, schema, &[schema]).expect("parses");
    assert!(report.compatible);
    // Logical types resolve as their underlying type; aliases rename records and fields.
    let old = r#"{"type":"record","name":"Old","namespace":"a","fields":[
        {"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}}]}"#;
    let new = r#"{"type":"record","name":"New","namespace":"b","aliases":["a.Old"],"fields":[
        {"name":"when","aliases":["at"],"type":{"type":"long","logicalType":"timestamp-micros"}}]}"#;
    assert!(
        compat::check(Format::Avro, CompatibilityLevel::Backward, new, &[old])
            .expect("parses")
            .compatible
    );
    let forward =
        compat::check(Format::Avro, CompatibilityLevel::Forward, new, &[old]).expect("parses");
    let kinds: Vec<String> = forward.issues.iter().map(|i| i.kind.to_string()).collect();
    assert_eq!(
        kinds,
        ["NAME_MISMATCH", "READER_FIELD_MISSING_DEFAULT_VALUE"]
    );
}
