//! Validators in JSON Schema (`minimum`, `maximum`, `minLength`, `maxLength`, `minItems`,
//! `maxItems`, `minProperties`, `enum`, `pattern`), checked with Python's jsonschema: it accepts
//! and rejects the same values as `validate()`.

mod common;

use std::collections::BTreeMap;

use common::tools;
use kafka_model::Record;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
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
    #[record(unique)]
    tags: Vec<String>,
    #[record(unique, max_len = 3)]
    stops: Option<Vec<Line>>,
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
        tags: vec!["a".into(), "b".into()],
        stops: Some(vec![Line { qty: 1 }, Line { qty: 2 }]),
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
    assert_eq!(
        p["tags"],
        json!({"type": "array", "items": {"type": "string"}, "uniqueItems": true})
    );
    assert_eq!(p["stops"]["oneOf"][1]["uniqueItems"], true);
    assert_eq!(p["stops"]["oneOf"][1]["maxItems"], 3);
}

#[test]
fn unique_names_the_repeated_item() {
    let mut v = good();
    v.tags = vec!["a".into(), "b".into(), "a".into(), "b".into()];
    v.stops = Some(vec![Line { qty: 1 }, Line { qty: 1 }]);
    let text = v.validate().unwrap_err().to_string();
    assert!(text.contains("tags[2]: must not repeat item 0"), "{text}");
    assert!(text.contains("stops[1]: must not repeat item 0"), "{text}");
    assert!(!text.contains("tags[3]"), "one error per list: {text}");
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
    add("tags repeated", &|v| v.tags.push("a".into()));
    add("stops repeated", &|v| {
        v.stops = Some(vec![Line { qty: 2 }; 2])
    });
    add("good stops", &|v| v.stops = None);

    for (label, v) in &samples {
        assert_eq!(v.validate().is_ok(), label.starts_with("good"), "{label}");
    }

    let docs: Vec<(String, Value)> = samples
        .iter()
        .map(|(label, v)| (label.clone(), serde_json::to_value(v).unwrap()))
        .collect();
    let Some(verdicts) = jsonschema_verdicts(
        "validate_schema",
        Constrained::schemas().json().unwrap().text(),
        &docs,
    ) else {
        return;
    };
    for ((label, valid), (_, v)) in verdicts.iter().zip(&samples) {
        assert_eq!(
            *valid,
            v.validate().is_ok(),
            "jsonschema and validate() disagree on {label}"
        );
    }
}

/// Python jsonschema's verdict (valid or not) on each labelled document against `schema`
/// (checked as a draft-07 schema first); `None` without the interop venv.
fn jsonschema_verdicts(
    scratch: &str,
    schema: &str,
    docs: &[(String, Value)],
) -> Option<Vec<(String, bool)>> {
    let schema: Value = serde_json::from_str(schema).unwrap();
    let pairs: Vec<(Value, Value)> = docs
        .iter()
        .map(|(_, doc)| (schema.clone(), doc.clone()))
        .collect();
    let verdicts = tools::jsonschema_verdicts(scratch, &pairs)?;
    Some(
        docs.iter()
            .map(|(label, _)| label.clone())
            .zip(verdicts)
            .collect(),
    )
}

// --- validators on top-level newtypes -----------------------------------------------------------

/// A top-level string with rules of its own: the root of its JSON Schema carries them.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Code(#[record(min_len = 2, max_len = 4, pattern = "^[A-Z]+$")] String);

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Score(#[record(min = 0, max = 10.5, multiple_of = 0.5)] f64);

/// `multiple_of` on an integer: exact arithmetic.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Lot(#[record(multiple_of = 5)] i64);

/// Length rules on the list, value rules on its items (as on a field).
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Levels(#[record(non_empty, max_len = 3, choices = [1, 2, 3])] Vec<i32>);

/// The newtypes as fields: their rules still hold, reported at the field's path.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Holder {
    code: Code,
    levels: Option<Levels>,
}

#[test]
fn newtype_validators_constrain_the_root() {
    let root = |v: &kafka_model::schema::Json| -> Value { v.value().clone() };
    let code = root(Code::schemas().json().unwrap());
    assert_eq!(code["type"], "string");
    assert_eq!(code["minLength"], 2);
    assert_eq!(code["maxLength"], 4);
    assert_eq!(code["pattern"], "^[A-Z]+$");
    let score = root(Score::schemas().json().unwrap());
    assert_eq!(
        (score["minimum"].clone(), score["maximum"].clone()),
        (json!(0), json!(10.5))
    );
    assert_eq!(score["multipleOf"], json!(0.5));
    assert_eq!(root(Lot::schemas().json().unwrap())["multipleOf"], json!(5));
    let levels = root(Levels::schemas().json().unwrap());
    assert_eq!(
        (levels["minItems"].clone(), levels["maxItems"].clone()),
        (json!(1), json!(3))
    );
    assert_eq!(levels["items"]["enum"], json!([1, 2, 3]));
    // The model is the primitive's, named after it, with the rules.
    let model = Code::model();
    assert_eq!(model.name, "string");
    let kafka_model::model::Shape::Primitive(kafka_model::model::Type::String, rules) = model.shape
    else {
        panic!("{:?}", model.shape);
    };
    assert_eq!(rules.len(), 3);
    // Avro knows no rules: the schema and the bytes are the bare string's.
    assert_eq!(Code::schemas().avro().unwrap().json(), "\"string\"");
    let c = Code("AB".into());
    assert_eq!(c.to_avro().unwrap(), "AB".to_string().to_avro().unwrap());
    assert_eq!(Code::from_avro(&c.to_avro().unwrap()).unwrap(), c);
    let l = Levels(vec![1, 3]);
    assert_eq!(Levels::from_avro(&l.to_avro().unwrap()).unwrap(), l);
    // Protobuf has no top-level scalar or list; as a field the newtype is its inner type.
    assert!(Code::schemas().proto().is_err());
    let h = Holder {
        code: Code("XY".into()),
        levels: Some(Levels(vec![2])),
    };
    assert_eq!(Holder::from_protobuf(&h.to_protobuf().unwrap()).unwrap(), h);
    assert_eq!(Holder::from_avro(&h.to_avro().unwrap()).unwrap(), h);
}

#[test]
fn newtype_validators_agree_with_python_jsonschema() {
    let codes = [
        ("good AB", "AB"),
        ("good ABCD", "ABCD"),
        ("short", "A"),
        ("long", "ABCDE"),
        ("lower", "ab"),
    ];
    for (label, text) in codes {
        assert_eq!(
            Code(text.into()).validate().is_ok(),
            label.starts_with("good"),
            "{label}"
        );
    }
    let scores = [
        ("good 0", 0.0),
        ("good 10.5", 10.5),
        ("negative", -0.5),
        ("high", 11.0),
        ("step", 0.3),
    ];
    for (label, x) in scores {
        assert_eq!(
            Score(x).validate().is_ok(),
            label.starts_with("good"),
            "{label}"
        );
    }
    let lots = [
        ("good 0", 0),
        ("good -15", -15),
        ("good max", i64::MAX - 2),
        ("seven", 7),
        ("min", i64::MIN),
    ];
    for (label, n) in lots {
        assert_eq!(
            Lot(n).validate().is_ok(),
            label.starts_with("good"),
            "{label}"
        );
    }
    let errors = Lot(7).validate().unwrap_err().to_string();
    assert!(errors.contains("must be a multiple of 5"), "{errors}");
    assert!(errors.contains("[multiple_of]"), "{errors}");
    let levels: [(&str, Vec<i32>); 4] = [
        ("good", vec![1, 3]),
        ("empty", vec![]),
        ("long", vec![1; 4]),
        ("item", vec![4]),
    ];
    for (label, v) in &levels {
        assert_eq!(
            Levels(v.clone()).validate().is_ok(),
            label.starts_with("good"),
            "{label}"
        );
    }
    // Inside a record, at the field's path.
    let h = Holder {
        code: Code("a".into()),
        levels: Some(Levels(vec![9])),
    };
    let errors = h.validate().unwrap_err().to_string();
    assert!(errors.contains("code:"), "{errors}");
    assert!(errors.contains("levels[0]:"), "{errors}");

    fn check<T: Record + Serialize>(name: &str, samples: Vec<(String, T)>) {
        let docs: Vec<(String, Value)> = samples
            .iter()
            .map(|(label, v)| (label.clone(), serde_json::to_value(v).unwrap()))
            .collect();
        let Some(verdicts) = jsonschema_verdicts(name, T::schemas().json().unwrap().text(), &docs)
        else {
            return;
        };
        for ((label, valid), (_, v)) in verdicts.iter().zip(&samples) {
            assert_eq!(
                *valid,
                v.validate().is_ok(),
                "{name}: jsonschema and validate() disagree on {label}"
            );
        }
    }
    check(
        "newtype_code",
        codes
            .iter()
            .map(|(l, t)| (l.to_string(), Code(t.to_string())))
            .collect(),
    );
    check(
        "newtype_score",
        scores
            .iter()
            .map(|(l, x)| (l.to_string(), Score(*x)))
            .collect(),
    );
    check(
        "newtype_lot",
        lots.iter().map(|(l, n)| (l.to_string(), Lot(*n))).collect(),
    );
    check(
        "newtype_levels",
        levels
            .iter()
            .map(|(l, v)| (l.to_string(), Levels(v.clone())))
            .collect(),
    );
}

// --- how many properties a struct writes ------------------------------------------------------

/// Two or three properties: the optional fields count when serde writes them, the flattened
/// map's entries one each.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
#[record(min_properties = 2, max_properties = 3)]
struct Sparse {
    #[serde(skip_serializing_if = "Option::is_none")]
    a: Option<i32>,
    /// A nullable field is always written (`null` when `None`).
    b: Option<String>,
    #[serde(flatten)]
    extra: BTreeMap<String, i64>,
}

#[test]
fn property_counts_are_keywords_and_rules() {
    let schema = Sparse::schemas().json().unwrap().value().clone();
    assert_eq!(schema["minProperties"], 2);
    assert_eq!(schema["maxProperties"], 3);
    assert_eq!(schema["additionalProperties"]["type"], "integer");
    let model = Sparse::model();
    assert_eq!(
        (model.min_properties, model.max_properties),
        (Some(2), Some(3))
    );
    // Avro and Protobuf have no such rule: their schemas do not mention it.
    let avro = Sparse::schemas().avro().unwrap().json().to_string();
    assert!(
        !avro.contains("Properties") && !avro.contains("_properties"),
        "{avro}"
    );
    let proto = Sparse::schemas().proto().unwrap().text().to_string();
    assert!(
        !proto.contains("Properties") && !proto.contains("_properties"),
        "{proto}"
    );
    let extra = |keys: &[&str]| keys.iter().map(|k| (k.to_string(), 1)).collect();
    let samples = vec![
        ("only b".to_string(), Sparse::default()),
        (
            "good a b".into(),
            Sparse {
                a: Some(1),
                ..Sparse::default()
            },
        ),
        (
            "good b x".into(),
            Sparse {
                extra: extra(&["x"]),
                ..Sparse::default()
            },
        ),
        (
            "good a b x".into(),
            Sparse {
                a: Some(1),
                b: Some("s".into()),
                extra: extra(&["x"]),
            },
        ),
        (
            "a b x y".into(),
            Sparse {
                a: Some(1),
                b: None,
                extra: extra(&["x", "y"]),
            },
        ),
    ];
    for (label, v) in &samples {
        assert_eq!(v.validate().is_ok(), label.starts_with("good"), "{label}");
    }
    let errors = samples[0].1.validate().unwrap_err();
    assert_eq!(
        errors.to_string(),
        "(value): must have at least 2 properties, got 1 property [min_properties]"
    );
    let errors = samples[4].1.validate().unwrap_err().to_string();
    assert!(
        errors.contains("at most 3 properties, got 4 properties [max_properties]"),
        "{errors}"
    );
    // serde's JSON has as many properties as `validate()` counted.
    let written = serde_json::to_value(&samples[3].1).unwrap();
    assert_eq!(written.as_object().unwrap().len(), 3, "{written}");
    // Nested, the error is at the field's path.
    #[derive(Record, Serialize, Deserialize)]
    struct Outer {
        inner: Sparse,
    }
    let errors = Outer {
        inner: Sparse::default(),
    }
    .validate()
    .unwrap_err()
    .to_string();
    assert!(
        errors.starts_with("inner: must have at least 2"),
        "{errors}"
    );

    let docs: Vec<(String, Value)> = samples
        .iter()
        .map(|(label, v)| (label.clone(), serde_json::to_value(v).unwrap()))
        .collect();
    let Some(verdicts) = jsonschema_verdicts(
        "property_counts",
        Sparse::schemas().json().unwrap().text(),
        &docs,
    ) else {
        return;
    };
    for ((label, valid), (_, v)) in verdicts.iter().zip(&samples) {
        assert_eq!(
            *valid,
            v.validate().is_ok(),
            "jsonschema and validate() disagree on {label}"
        );
    }
}

// --- keywords as `allOf` branches ---------------------------------------------------------------

/// Keywords combined by `allOf`, as a hand-written schema may say them.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Combined {
    /// One of three short words.
    #[record(
        choices = ["one", "two", "three"],
        max_len = 5,
        json_all_of = [["enum"], ["type"], ["maxLength"]]
    )]
    word: String,
    #[record(min = 1, json_all_of = [["type", "minimum"]])]
    count: i64,
}

/// A group naming a keyword the property does not have: the JSON Schema is an error.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Misgrouped {
    #[record(json_all_of = [["maxLength"]])]
    count: i64,
}

#[test]
fn keywords_as_all_of_branches() {
    let schema = Combined::schemas().json().unwrap().value().clone();
    assert_eq!(
        schema["properties"]["word"],
        json!({"description": "One of three short words.", "allOf": [
            {"enum": ["one", "two", "three"]}, {"type": "string"}, {"maxLength": 5}
        ]})
    );
    assert_eq!(
        schema["properties"]["count"],
        json!({"allOf": [{"type": "integer", "minimum": 1}]})
    );
    // Avro and Protobuf are the plain fields'.
    let avro: Value = serde_json::from_str(Combined::schemas().avro().unwrap().json()).unwrap();
    assert_eq!(avro["fields"][0]["type"], "string");
    let err = Misgrouped::schemas().json().unwrap_err().to_string();
    assert!(
        err.contains("names `maxLength`, which the property's schema does not have"),
        "{err}"
    );
    // The values allowed are the same: validate() and Python jsonschema agree.
    let samples = vec![
        (
            "good".to_string(),
            Combined {
                word: "two".into(),
                count: 1,
            },
        ),
        (
            "not a choice".into(),
            Combined {
                word: "four".into(),
                count: 1,
            },
        ),
        (
            "zero".into(),
            Combined {
                word: "one".into(),
                count: 0,
            },
        ),
    ];
    for (label, v) in &samples {
        assert_eq!(v.validate().is_ok(), label.starts_with("good"), "{label}");
        assert_eq!(Combined::from_avro(&v.to_avro().unwrap()).unwrap(), *v);
    }
    let docs: Vec<(String, Value)> = samples
        .iter()
        .map(|(label, v)| (label.clone(), serde_json::to_value(v).unwrap()))
        .collect();
    let Some(verdicts) = jsonschema_verdicts(
        "json_all_of",
        Combined::schemas().json().unwrap().text(),
        &docs,
    ) else {
        return;
    };
    for ((label, valid), (_, v)) in verdicts.iter().zip(&samples) {
        assert_eq!(
            *valid,
            v.validate().is_ok(),
            "jsonschema and validate() disagree on {label}"
        );
    }
}
