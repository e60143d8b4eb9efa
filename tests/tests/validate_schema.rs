//! Validators in JSON Schema (`minimum`, `maximum`, `minLength`, `maxLength`, `minItems`,
//! `maxItems`, `minProperties`, `enum`, `pattern`), checked with Python's jsonschema: it accepts
//! and rejects the same values as `validate()`.

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use common::tools;
use kafka_model::Record;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Record, Serialize, Deserialize, Debug, Clone)]
struct Line {
    #[record(min = 1, max = 100)]
    qty: i32,
}

#[derive(Record, Serialize, Deserialize, Debug, Clone)]
struct Constrained {
    #[record(min = 1, max = 10)]
    small: i32,
    #[record(min = -1000)]
    tiny: i8,
    #[record(min = 0.5, max = 2)]
    ratio: f64,
    #[record(min_len = 2, max_len = 4)]
    code: String,
    #[record(non_empty)]
    name: String,
    #[record(choices = ["EUR", "USD"])]
    currency: String,
    #[record(choices = [1, 2, 3])]
    level: u16,
    #[record(pattern = "^[A-Z]{3}-[0-9]+$")]
    sku: String,
    #[record(non_empty, max_len = 2)]
    lines: Vec<Line>,
    #[record(min = 0)]
    discounts: Vec<i32>,
    #[record(max_len = 2, choices = ["red", "blue"])]
    attributes: BTreeMap<String, String>,
    #[record(max_len = 3)]
    note: Option<String>,
    #[record(max_len = 4)]
    blob: Vec<u8>,
    #[record(max_len = 4)]
    #[serde(with = "kafka_model::base64")]
    blob64: Vec<u8>,
    #[record(min = "2020-01-01")]
    day: chrono::NaiveDate,
}

fn good() -> Constrained {
    Constrained {
        small: 1,
        tiny: -128,
        ratio: 2.0,
        code: "ab".into(),
        name: "n".into(),
        currency: "EUR".into(),
        level: 3,
        sku: "ABC-1".into(),
        lines: vec![Line { qty: 1 }],
        discounts: vec![0],
        attributes: BTreeMap::from([("color".into(), "red".into())]),
        note: None,
        blob: vec![1, 2],
        blob64: vec![1, 2, 3, 4],
        day: chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
    }
}

fn schema() -> Value {
    Constrained::schemas().json().unwrap().value().clone()
}

#[test]
fn keywords() {
    let s = schema();
    let p = &s["properties"];
    assert_eq!(
        p["small"],
        json!({"type": "integer", "minimum": 1, "maximum": 10})
    );
    // The type's range is tighter than the attribute's: it stays.
    assert_eq!(
        p["tiny"],
        json!({"type": "integer", "minimum": -128, "maximum": 127})
    );
    assert_eq!(
        p["ratio"],
        json!({"type": "number", "minimum": 0.5, "maximum": 2})
    );
    assert_eq!(
        p["code"],
        json!({"type": "string", "minLength": 2, "maxLength": 4})
    );
    assert_eq!(p["name"], json!({"type": "string", "minLength": 1}));
    assert_eq!(
        p["currency"],
        json!({"type": "string", "enum": ["EUR", "USD"]})
    );
    assert_eq!(
        p["level"],
        json!({"type": "integer", "minimum": 0, "maximum": 65535, "enum": [1, 2, 3]})
    );
    assert_eq!(
        p["sku"],
        json!({"type": "string", "pattern": "^[A-Z]{3}-[0-9]+$"})
    );
    assert_eq!(p["lines"]["minItems"], 1);
    assert_eq!(p["lines"]["maxItems"], 2);
    assert_eq!(
        s["definitions"]["Line"]["properties"]["qty"],
        json!({"type": "integer", "minimum": 1, "maximum": 100})
    );
    assert_eq!(p["discounts"]["items"]["minimum"], 0);
    assert_eq!(p["attributes"]["maxProperties"], 2);
    assert_eq!(
        p["attributes"]["additionalProperties"],
        json!({"type": "string", "enum": ["red", "blue"]})
    );
    assert_eq!(
        p["note"]["oneOf"][1],
        json!({"type": "string", "maxLength": 3})
    );
    assert_eq!(p["blob"]["maxItems"], 4);
    // Not expressible: the length of base64 text, date bounds.
    assert!(p["blob64"].get("maxLength").is_none(), "{}", p["blob64"]);
    assert_eq!(p["day"], json!({"type": "string", "format": "date"}));
}

#[test]
fn python_jsonschema_agrees_with_validate() {
    let mut samples: Vec<(String, Constrained)> = vec![("good".into(), good())];
    let mut add = |label: &str, f: &dyn Fn(&mut Constrained)| {
        let mut v = good();
        f(&mut v);
        samples.push((label.into(), v));
    };
    add("small", &|v| v.small = 11);
    add("ratio", &|v| v.ratio = 0.25);
    add("code short", &|v| v.code = "a".into());
    add("code long", &|v| v.code = "abcde".into());
    add("name", &|v| v.name = String::new());
    add("currency", &|v| v.currency = "GBP".into());
    add("level", &|v| v.level = 4);
    add("sku", &|v| v.sku = "abc-1".into());
    add("lines empty", &|v| v.lines.clear());
    add("lines long", &|v| v.lines = vec![Line { qty: 1 }; 3]);
    add("line qty", &|v| v.lines = vec![Line { qty: 0 }]);
    add("discounts", &|v| v.discounts = vec![1, -1]);
    add("attributes value", &|v| {
        v.attributes.insert("size".into(), "L".into());
    });
    add("attributes count", &|v| {
        v.attributes = BTreeMap::from([
            ("a".into(), "red".into()),
            ("b".into(), "red".into()),
            ("c".into(), "red".into()),
        ])
    });
    add("note", &|v| v.note = Some("long".into()));
    add("blob", &|v| v.blob = vec![0; 5]);
    add("good note", &|v| v.note = Some("ok".into()));

    for (label, v) in &samples {
        assert_eq!(v.validate().is_ok(), label.starts_with("good"), "{label}");
    }

    let Some(python) = tools::interop_python() else {
        return;
    };
    let dir = tools::scratch("validate_schema");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("schema.json"),
        Constrained::schemas().json().unwrap().text(),
    )
    .unwrap();
    let docs: Vec<Value> = samples
        .iter()
        .map(|(label, v)| json!({"label": label, "value": serde_json::to_value(v).unwrap()}))
        .collect();
    std::fs::write(dir.join("samples.json"), serde_json::to_vec(&docs).unwrap()).unwrap();
    let script = r#"
import json, sys, jsonschema
d = sys.argv[1]
schema = json.load(open(d + "/schema.json"))
jsonschema.Draft7Validator.check_schema(schema)
v = jsonschema.Draft7Validator(schema)
for s in json.load(open(d + "/samples.json")):
    print(s["label"] + "\t" + ("valid" if v.is_valid(s["value"]) else "invalid"))
"#;
    let out = tools::run(
        Command::new(python)
            .arg("-c")
            .arg(script)
            .arg(dir.to_str().unwrap()),
    );
    let verdicts: Vec<(String, bool)> = out
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(label, verdict)| (label.to_string(), verdict == "valid"))
        .collect();
    assert_eq!(verdicts.len(), samples.len(), "{out}");
    for ((label, valid), (_, v)) in verdicts.iter().zip(&samples) {
        assert_eq!(
            *valid,
            v.validate().is_ok(),
            "jsonschema and validate() disagree on {label}"
        );
    }
}
