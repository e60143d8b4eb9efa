//! Tuple structs (`struct Position(f64, f64)`): serde writes them as a JSON array of exactly
//! their fields, so the JSON Schema is an `items` list closed by `additionalItems: false`, with
//! `minItems` up to the last field without a serde default; Avro and Protobuf write the record
//! it is, with fields `_0`, `_1`, ... Checked against the references: Python's jsonschema
//! accepts serde's JSON and rejects other lengths, protoc compiles the `.proto`.

mod common;

use std::process::Command;

use common::tools::{jsonschema_accepts, protoc, scratch};
use kafka_model::model::Shape;
use kafka_model::Record;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};

/// A position as GeoJSON writes it: `[lon, lat]` or `[lon, lat, alt]`.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "acme.geo")]
pub struct Position(
    pub f64,
    pub f64,
    /// Altitude in metres.
    #[serde(default)]
    pub Option<f64>,
);

/// A label and a count, `["bikes", 3]`.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "acme.geo", coerce)]
pub struct Tally(
    #[record(min_len = 1)] pub String,
    #[record(min = 0)] pub i64,
);

/// A row as a spreadsheet exports it: a key, a count (may be missing), then any number of
/// labels in the same array. serde's derive cannot flatten the labels into the array, so the
/// type has serde impls of its own (the generator writes these for open JSON Schema tuples);
/// `#[record(default)]` and `#[record(rest)]` say what they do.
#[derive(Record, Debug, Clone, PartialEq)]
#[record(namespace = "acme.geo")]
pub struct Row(
    pub String,
    #[record(default)] pub i64,
    #[record(rest)] pub Vec<String>,
);

impl Serialize for Row {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(2 + self.2.len()))?;
        seq.serialize_element(&self.0)?;
        seq.serialize_element(&self.1)?;
        for item in &self.2 {
            seq.serialize_element(item)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for Row {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Row;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a key, a count and labels")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Row, A::Error> {
                let key = a
                    .next_element()?
                    .ok_or_else(|| serde::de::Error::invalid_length(0, &self))?;
                let Some(count) = a.next_element()? else {
                    return Ok(Row(key, 0, Vec::new()));
                };
                let mut labels = Vec::new();
                while let Some(label) = a.next_element()? {
                    labels.push(label);
                }
                Ok(Row(key, count, labels))
            }
        }
        d.deserialize_seq(V)
    }
}

fn origin() -> Position {
    Position(0.0, 0.0, None)
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "acme.geo")]
pub struct Stop {
    pub name: String,
    pub at: Position,
    pub path: Vec<Position>,
    pub tally: Option<Tally>,
    pub rows: Vec<Row>,
    #[serde(default = "origin")]
    pub home: Position,
}

fn stops() -> Vec<Stop> {
    vec![
        Stop {
            name: "pier".into(),
            at: Position(4.9, 52.37, Some(-1.5)),
            path: vec![Position(4.8, 52.3, None), Position(4.85, 52.33, Some(0.0))],
            tally: Some(Tally("bikes".into(), 3)),
            rows: vec![
                Row("a".into(), 1, vec![]),
                Row("b".into(), -2, vec!["x".into(), "y".into()]),
            ],
            home: origin(),
        },
        Stop {
            name: String::new(),
            at: Position(-180.0, 90.0, None),
            path: vec![],
            tally: None,
            rows: vec![],
            home: Position(1.0, 2.0, Some(3.0)),
        },
    ]
}

#[test]
fn model_is_a_tuple_record() {
    let m = Position::model();
    assert!(m.tuple);
    assert!(!Stop::model().tuple);
    let Shape::Record(fields) = m.shape else {
        panic!("a record")
    };
    let names: Vec<_> = fields.iter().map(|f| (f.ident, f.name, f.tag)).collect();
    assert_eq!(names, [("0", "_0", 1), ("1", "_1", 2), ("2", "_2", 3)]);
    assert_eq!(fields[2].doc, Some("Altitude in metres."));
}

/// serde cannot write an internally tagged newtype variant holding a tuple struct.
#[derive(Record, Serialize, Deserialize, Debug)]
#[serde(tag = "kind")]
#[record(namespace = "acme.geo")]
pub enum Marker {
    At(Position),
}

#[test]
fn internally_tagged_tuple_is_an_error() {
    assert!(serde_json::to_string(&Marker::At(origin())).is_err());
    match Marker::schemas().json() {
        Err(kafka_model::SchemaError::Unrepresentable { field, ty, .. }) => {
            assert_eq!((field, ty.as_str()), ("At", "Position"));
        }
        other => panic!("expected Unrepresentable, got {other:?}"),
    }
}

#[test]
fn serde_writes_an_array() {
    let p = Position(1.5, -2.0, None);
    assert_eq!(serde_json::to_value(&p).unwrap(), json!([1.5, -2.0, null]));
    // The trailing field has a serde default: two elements are enough, four too many.
    assert_eq!(Position::loads(b"[1.5, -2.0]").unwrap(), p);
    assert!(Position::loads(b"[1.5]").is_err());
    assert!(Position::loads(b"[1.5, -2.0, null, 4]").is_err());
}

#[test]
fn rest_is_the_items_after_the_others() {
    let Shape::Record(fields) = Row::model().shape else {
        panic!("a record")
    };
    assert!(Row::model().tuple && fields[2].json_rest && !fields[1].json_rest);
    let row = Row("b".into(), -2, vec!["x".into(), "y".into()]);
    assert_eq!(
        serde_json::to_value(&row).unwrap(),
        json!(["b", -2, "x", "y"])
    );
    assert_eq!(Row::loads(br#"["b"]"#).unwrap(), Row("b".into(), 0, vec![]));
    assert_eq!(
        Row::schemas().json().unwrap().value()["items"],
        json!([{"type": "string"}, {"type": "integer"}])
    );
    let json = Row::schemas().json().unwrap().value().clone();
    assert_eq!(json["additionalItems"], json!({"type": "string"}));
    assert_eq!(json["minItems"], json!(1));
    // Avro and Protobuf: the list is a field like the others.
    let avro: Json = serde_json::from_str(Row::schemas().avro().unwrap().json()).unwrap();
    assert_eq!(
        avro["fields"][2],
        json!({"name": "_2", "type": {"type": "array", "items": "string"}})
    );
    assert!(Row::schemas()
        .proto()
        .unwrap()
        .main()
        .text
        .contains("  repeated string _2 = 3;"));
    assert_eq!(Row::from_avro(&row.to_avro().unwrap()).unwrap(), row);
    assert_eq!(
        Row::from_protobuf(&row.to_protobuf().unwrap()).unwrap(),
        row
    );
    let cases = [
        (
            json.clone(),
            json!(["b", -2, "x", "y"]),
            json!(["b", -2, "x", 4]),
        ),
        (json.clone(), json!(["b"]), json!([])),
    ];
    jsonschema_accepts("tuple_struct_rest", &cases);
}

#[test]
fn json_schema_is_a_closed_items_list() {
    let json = Position::schemas().json().unwrap().value().clone();
    assert_eq!(json["type"], json!("array"));
    assert_eq!(
        json["items"],
        json!([
            {"type": "number"},
            {"type": "number"},
            // (No `default`: `minItems` says what may be missing.)
            {
                "description": "Altitude in metres.",
                "oneOf": [{"type": "null"}, {"type": "number"}],
            },
        ])
    );
    assert_eq!(json["additionalItems"], json!(false));
    assert_eq!(json["minItems"], json!(2));
    assert!(json.get("properties").is_none(), "{json}");

    let stop = Stop::schemas().json().unwrap().value().clone();
    let defs = &stop["definitions"];
    assert_eq!(defs["acme.geo.Tally"]["minItems"], json!(2));
    assert_eq!(
        defs["acme.geo.Tally"]["items"],
        json!([{"type": "string", "minLength": 1}, {"type": "integer", "minimum": 0}])
    );
    // A default of a tuple type is written as serde writes the value: an array.
    assert_eq!(
        stop["properties"]["home"]["default"],
        json!([0.0, 0.0, null])
    );
}

#[test]
fn avro_and_protobuf_schemas_are_records() {
    let avro: Json = serde_json::from_str(Position::schemas().avro().unwrap().json()).unwrap();
    assert_eq!(avro["type"], json!("record"));
    let names: Vec<_> = avro["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["_0", "_1", "_2"]);
    // An Avro default of a tuple type is a record's: an object by field name.
    let stop: Json = serde_json::from_str(Stop::schemas().avro().unwrap().json()).unwrap();
    let home = stop["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "home")
        .unwrap();
    assert_eq!(home["default"], json!({"_0": 0.0, "_1": 0.0, "_2": null}));

    let proto = Stop::schemas().proto().unwrap();
    let text = &proto.main().text;
    for line in [
        "message Position {",
        "  double _0 = 1;",
        "  double _1 = 2;",
        "  optional double _2 = 3;",
        "message Tally {",
        "  string _0 = 1;",
        "  int64 _1 = 2;",
    ] {
        assert!(text.contains(line), "{line} in\n{text}");
    }
    let Some(protoc) = protoc() else {
        return;
    };
    let dir = scratch("tuple_struct_protoc");
    for f in proto.files() {
        let path = dir.join(&f.name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &f.text).unwrap();
    }
    let out = Command::new(protoc)
        .arg(format!("-I{}", dir.display()))
        .arg(format!(
            "--descriptor_set_out={}",
            dir.join("set.pb").display()
        ))
        .args(proto.files().iter().map(|f| f.name.clone()))
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "protoc: {}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn round_trips_every_codec() {
    for s in stops() {
        assert_eq!(Stop::loads(&s.dumps().unwrap()).unwrap(), s);
        assert_eq!(Stop::from_avro(&s.to_avro().unwrap()).unwrap(), s);
        assert_eq!(Stop::from_protobuf(&s.to_protobuf().unwrap()).unwrap(), s);
        s.validate().unwrap();
    }
    // Faust: the record gets its metadata, a tuple (no object to put it in) stays an array.
    let s = &stops()[0];
    let faust: Json = serde_json::from_slice(&s.dumps_with("json+faust").unwrap()).unwrap();
    assert_eq!(faust["at"], json!([4.9, 52.37, -1.5]));
    assert_eq!(faust["rows"][1], json!(["b", -2, "x", "y"]));
    assert!(faust.get("__faust").is_some(), "{faust}");
    assert_eq!(
        &Stop::loads_with("json+faust", &serde_json::to_vec(&faust).unwrap()).unwrap(),
        s
    );
    let p = Position(4.9, 52.37, Some(-1.5));
    assert_eq!(Position::from_avro(&p.to_avro().unwrap()).unwrap(), p);
    assert_eq!(
        Position::from_protobuf(&p.to_protobuf().unwrap()).unwrap(),
        p
    );
}

#[test]
fn validators_and_coercion_by_position() {
    let bad = Stop {
        tally: Some(Tally(String::new(), -1)),
        ..stops()[0].clone()
    };
    let err = bad.validate().unwrap_err().to_string();
    assert!(
        err.contains("tally._0") && err.contains("tally._1"),
        "{err}"
    );
    // `coerce` reads the array by position: `"3"` is the count 3.
    assert_eq!(
        Tally::loads(br#"["bikes", "3"]"#).unwrap(),
        Tally("bikes".into(), 3)
    );
    assert!(Tally::loads(br#"["bikes", "three"]"#).is_err());
}

/// Python's jsonschema accepts serde's JSON under our JSON Schema, and rejects arrays of the
/// wrong length or with a wrong element.
#[test]
fn json_schemas_accept_serde_json() {
    let value = |bytes: Vec<u8>| -> Json { serde_json::from_slice(&bytes).unwrap() };
    let stop = Stop::schemas().json().unwrap().value().clone();
    let position = Position::schemas().json().unwrap().value().clone();
    let mut cases: Vec<(Json, Json, Json)> = Vec::new();
    for s in stops() {
        let good = value(s.dumps().unwrap());
        let mut too_long = good.clone();
        too_long["at"].as_array_mut().unwrap().push(json!(1.0));
        cases.push((stop.clone(), good.clone(), too_long));
        let mut too_short = good.clone();
        too_short["at"] = json!([1.0]);
        cases.push((stop.clone(), good.clone(), too_short));
        let mut wrong = good.clone();
        wrong["home"] = json!(["east", 1.0]);
        cases.push((stop.clone(), good.clone(), wrong));
        let mut object = good.clone();
        object["at"] = json!({"_0": 1.0, "_1": 2.0});
        cases.push((stop.clone(), good, object));
    }
    // Two elements (the serde default fills the third) are valid too; serde agrees.
    let short = json!([1.0, 2.0]);
    assert!(serde_json::from_value::<Position>(short.clone()).is_ok());
    cases.push((position.clone(), short, json!([1.0, 2.0, 3.0, 4.0])));
    jsonschema_accepts("tuple_struct", &cases);
}

// A reading, `[value, unit]`, whose JSON Schema says positions 2 and 3 are never present
// (`false` items, as a hand-written schema may: Confluent's diff tells them from a shorter
// list). `#[record(absent)]` keeps them in the model; serde skips the `()` fields.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "acme.geo", doc = "A reading, `[value, unit]`.")]
pub struct Reading(
    pub f64,
    #[serde(default)] pub String,
    /// Never present.
    #[record(absent)]
    #[serde(skip)]
    pub (),
    #[record(absent)]
    #[serde(skip)]
    pub (),
);

// `Reading` without the absent positions (same schema name and doc): Avro and Protobuf must
// not tell the two apart.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(
    namespace = "acme.geo",
    name = "Reading",
    doc = "A reading, `[value, unit]`."
)]
pub struct ReadingPlain(pub f64, #[serde(default)] pub String);

// compat[92]'s original: one number, then a position never present. Alone, the number would
// make a newtype; the absent field keeps it an array. (No doc: it would be a `description`.)
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Lone(
    #[serde(default)] pub f64,
    #[record(absent)]
    #[serde(skip)]
    pub (),
);

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "acme.geo")]
pub struct Gauge {
    pub now: Reading,
    pub history: Vec<Reading>,
}

#[test]
fn absent_positions_are_false_items_in_json_schema_only() {
    let m = Reading::model();
    assert!(m.tuple);
    assert_eq!(m.json_absent_items, 2);
    assert_eq!(ReadingPlain::model().json_absent_items, 0);
    assert_eq!(Position::model().json_absent_items, 0);
    let Shape::Record(fields) = m.shape else {
        panic!("a record")
    };
    let names: Vec<_> = fields.iter().map(|f| f.name).collect();
    assert_eq!(names, ["_0", "_1"], "absent positions are no fields");

    // JSON Schema: the fields' items, then a `false` per absent position.
    let json = Reading::schemas().json().unwrap().value().clone();
    assert_eq!(
        json["items"],
        json!([{"type": "number"}, {"type": "string"}, false, false])
    );
    assert_eq!(json["additionalItems"], json!(false));
    assert_eq!(json["minItems"], json!(1));
    let plain = ReadingPlain::schemas().json().unwrap().value().clone();
    assert_eq!(
        plain["items"],
        json!([{"type": "number"}, {"type": "string"}])
    );
    // As a definition too.
    let gauge = Gauge::schemas().json().unwrap().value().clone();
    assert_eq!(
        gauge["definitions"]["acme.geo.Reading"]["items"],
        json["items"]
    );

    // Confluent's diff: equal to compat[92]'s original, not to the shorter list.
    let input =
        r#"{"type": "array", "additionalItems": false, "items": [{"type": "number"}, false]}"#;
    kafka_model::generate::check_json::<Lone>(input).unwrap();
    let shorter = r#"{"type": "array", "additionalItems": false, "items": [{"type": "number"}]}"#;
    let err = kafka_model::generate::check_json::<Lone>(shorter).unwrap_err();
    assert!(
        err.to_string()
            .contains("ITEM_ADDED_TO_CLOSED_CONTENT_MODEL #/items/1"),
        "{err}"
    );

    // serde writes and reads the fields alone: the same JSON as without the positions.
    let r = Reading(20.5, "C".into(), (), ());
    let plain_r = ReadingPlain(20.5, "C".into());
    assert_eq!(r.dumps().unwrap(), plain_r.dumps().unwrap());
    assert_eq!(serde_json::to_value(&r).unwrap(), json!([20.5, "C"]));
    assert_eq!(
        Reading::loads(b"[20.5]").unwrap(),
        Reading(20.5, String::new(), (), ())
    );
    assert!(Reading::loads(br#"[20.5, "C", null]"#).is_err());
    assert_eq!(serde_json::to_value(Lone(1.5, ())).unwrap(), json!([1.5]));
    r.validate().unwrap();

    // Avro and Protobuf: schemas and bytes of the struct without the positions.
    assert_eq!(
        Reading::schemas().avro().unwrap().json(),
        ReadingPlain::schemas().avro().unwrap().json()
    );
    assert_eq!(
        Reading::schemas().proto().unwrap().main().text,
        ReadingPlain::schemas().proto().unwrap().main().text
    );
    assert_eq!(r.to_avro().unwrap(), plain_r.to_avro().unwrap());
    assert_eq!(r.to_protobuf().unwrap(), plain_r.to_protobuf().unwrap());
    assert_eq!(Reading::from_avro(&plain_r.to_avro().unwrap()).unwrap(), r);
    assert_eq!(
        Reading::from_protobuf(&plain_r.to_protobuf().unwrap()).unwrap(),
        r
    );
    let g = Gauge {
        now: r.clone(),
        history: vec![Reading(-1.0, String::new(), (), ()), r.clone()],
    };
    assert_eq!(Gauge::loads(&g.dumps().unwrap()).unwrap(), g);
    assert_eq!(Gauge::from_avro(&g.to_avro().unwrap()).unwrap(), g);
    assert_eq!(Gauge::from_protobuf(&g.to_protobuf().unwrap()).unwrap(), g);
    g.validate().unwrap();

    // Python's jsonschema agrees: serde's arrays pass, a value at an absent position fails.
    let lone = Lone::schemas().json().unwrap().value().clone();
    let gauge_good = serde_json::to_value(&g).unwrap();
    let mut gauge_bad = gauge_good.clone();
    gauge_bad["now"].as_array_mut().unwrap().push(json!(null));
    jsonschema_accepts(
        "tuple_struct_absent",
        &[
            (json.clone(), json!([20.5, "C"]), json!([20.5, "C", "x"])),
            (json, json!([20.5]), json!([20.5, "C", null, null])),
            (lone.clone(), json!([1.5]), json!([1.5, 2.5])),
            (lone, json!([]), json!(["x"])),
            (gauge, gauge_good, gauge_bad),
        ],
    );
}
