//! Issue 16's JSON Schema shapes the derive lacked: `serde_json::Value` fields (any JSON value)
//! and `#[serde(untagged)]` enums, in every format, checked against the references: Python's
//! jsonschema accepts serde's JSON under our JSON Schema, upb reads our Protobuf bytes as the
//! values' Protobuf JSON mapping and writes bytes we read back.

mod common;

use common::tools::jsonschema_accepts;
use common::upb::upb_reads_and_writes;
use kafka_model::model::{Shape, Tagging};
use kafka_model::{CodecError, Record, SchemaError};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};

/// An event whose payload other teams shape as they like.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "acme.any")]
pub struct Event {
    pub id: String,
    pub payload: Json,
    pub extras: Vec<Json>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Json>,
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "acme.any")]
pub struct Point {
    pub x: i32,
    pub y: i32,
}

/// A reading as sensors of several vendors send it: serde takes the first variant that fits.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(untagged)]
#[record(namespace = "acme.any")]
pub enum Reading {
    Count(i64),
    Ratio(f64),
    Label(String),
    At(Point),
    Missing(()),
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "acme.any")]
pub struct Sample {
    pub reading: Reading,
    pub history: Vec<Reading>,
}

fn events() -> Vec<Event> {
    [
        json!(null),
        json!(true),
        json!(-7),
        json!(2.5),
        json!("text"),
        json!([1, "two", [], {}]),
        json!({"nested": {"list": [null, false, 1.25]}, "": "empty key"}),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, payload)| Event {
        id: format!("e{i}"),
        extras: vec![payload.clone(), json!({"i": i})],
        // (Not `Some(null)`: serde reads a JSON `null` back as `None`.)
        meta: (i % 2 == 0 && !payload.is_null()).then(|| payload.clone()),
        payload,
    })
    .collect()
}

fn samples() -> Vec<Sample> {
    vec![
        Sample {
            reading: Reading::Count(3),
            history: vec![Reading::Ratio(0.5), Reading::Label("low".into())],
        },
        Sample {
            reading: Reading::At(Point { x: -1, y: 2 }),
            history: vec![Reading::Missing(()), Reading::Count(-9)],
        },
        Sample {
            reading: Reading::Missing(()),
            history: vec![],
        },
    ]
}

#[test]
fn any_value_schemas() {
    let json = Event::schemas().json().unwrap().value();
    assert_eq!(json["properties"]["payload"], json!({}));
    assert_eq!(json["properties"]["extras"], json!({"type": "array"}));
    assert_eq!(json["properties"]["meta"], json!({}));
    assert_eq!(json["required"], json!(["id", "payload", "extras"]));

    let proto = &Event::schemas().proto().unwrap().main().text;
    for line in [
        "import \"google/protobuf/struct.proto\";",
        "  google.protobuf.Value payload = 2;",
        "  repeated google.protobuf.Value extras = 3;",
        "  google.protobuf.Value meta = 4;",
    ] {
        assert!(proto.contains(line), "{line} in\n{proto}");
    }

    // Avro has no type for any value: an error naming the field, not a wrong schema.
    match Event::schemas().avro() {
        Err(SchemaError::Unrepresentable {
            format,
            record,
            field,
            ..
        }) => assert_eq!((format, record, field), ("Avro", "Event", "payload")),
        other => panic!("expected Unrepresentable, got {other:?}"),
    }
    let err = events()[0].to_avro().unwrap_err();
    assert!(
        matches!(err, CodecError::AvroEncode(_)) && err.to_string().contains("no Avro form"),
        "{err}"
    );
}

#[test]
fn any_values_round_trip_json_and_protobuf() {
    for e in events() {
        assert_eq!(Event::loads(&e.dumps().unwrap()).unwrap(), e);
        assert_eq!(Event::from_protobuf(&e.to_protobuf().unwrap()).unwrap(), e);
        e.validate().unwrap();
    }
}

#[test]
fn untagged_schemas() {
    let Shape::Union(u) = Reading::model().shape else {
        panic!("a union")
    };
    assert_eq!(u.tagging, Tagging::Untagged);
    let json = Reading::schemas().json().unwrap().value();
    assert_eq!(
        json["anyOf"],
        json!([
            {"type": "integer"},
            {"type": "number"},
            {"type": "string"},
            {"$ref": "#/definitions/acme.any.Point"},
            {"type": "null"},
        ])
    );
    // Avro and Protobuf tell the variants apart by branch index and field number.
    let avro: Json = serde_json::from_str(Reading::schemas().avro().unwrap().json()).unwrap();
    assert_eq!(avro[0], json!("long"));
    assert_eq!(avro[1], json!("double"));
    assert_eq!(avro[2], json!("string"));
    assert_eq!(avro[3]["name"], json!("Point"));
    assert_eq!(avro[4], json!("null"));
    let proto = &Sample::schemas().proto().unwrap().main().text;
    assert!(proto.contains("oneof"), "{proto}");
}

#[test]
fn untagged_round_trips_every_codec() {
    for s in samples() {
        assert_eq!(Sample::loads(&s.dumps().unwrap()).unwrap(), s);
        assert_eq!(Sample::from_avro(&s.to_avro().unwrap()).unwrap(), s);
        assert_eq!(Sample::from_protobuf(&s.to_protobuf().unwrap()).unwrap(), s);
    }
    // The JSON is the payload alone.
    assert_eq!(
        serde_json::to_value(&samples()[1]).unwrap(),
        json!({"reading": {"x": -1, "y": 2}, "history": [null, -9]})
    );
}

/// Free-form settings, any JSON document: a top-level `serde_json::Value` with a name and a doc.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(
    name = "settings",
    json_id = "https://acme.example/settings.schema.json"
)]
pub struct Settings(pub serde_json::Value);

/// At most three labels.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(name = "labels")]
pub struct Labels(#[record(max_len = 3)] pub Vec<String>);

/// A documented newtype that is not a top-level `Record` keeps its doc to itself (no model).
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Sku(pub uuid::Uuid);

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Item {
    pub sku: Sku,
}

#[test]
fn top_level_any_values_and_named_newtypes() {
    // `serde_json::Value` itself is a Record: any JSON value, no Avro or Protobuf form.
    let any = Json::schemas().json().unwrap().value().clone();
    assert_eq!(any["title"], "any");
    assert!(any.get("type").is_none(), "{any}");
    assert!(matches!(
        Json::schemas().avro(),
        Err(SchemaError::Unrepresentable { .. })
    ));
    assert!(matches!(
        Json::schemas().proto(),
        Err(SchemaError::Unrepresentable { .. })
    ));

    // A newtype over it is one too, its name and doc the root's title and description.
    let settings = Settings::schemas().json().unwrap().value().clone();
    let keys: Vec<&str> = settings
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(
        keys,
        ["$id", "$schema", "description", "title"],
        "{settings}"
    );
    assert_eq!(settings["$id"], "https://acme.example/settings.schema.json");
    assert_eq!(settings["title"], "settings");
    assert_eq!(
        settings["description"],
        "Free-form settings, any JSON document: a top-level `serde_json::Value` with a name and a doc."
    );
    assert_eq!(Settings::model().name, "settings");
    let s = Settings(json!({"retries": 3, "hosts": ["a", "b"], "tls": null}));
    assert_eq!(s.dumps().unwrap(), serde_json::to_vec(&s.0).unwrap());
    assert_eq!(Settings::loads(&s.dumps().unwrap()).unwrap(), s);
    assert!(Settings::schemas().avro().is_err());

    // The same for a list, with its validators at the root.
    let labels = Labels::schemas().json().unwrap().value().clone();
    assert_eq!(labels["title"], "labels");
    assert_eq!(labels["description"], "At most three labels.");
    assert_eq!(labels["type"], "array");
    assert_eq!(labels["maxItems"], 3);
    assert_eq!(
        Labels::schemas().avro().unwrap().canonical_form(),
        r#"{"type":"array","items":"string"}"#
    );
    assert!(Labels(vec!["a".into(); 4]).validate().is_err());
    Labels(vec!["a".into(); 3]).validate().unwrap();

    let item = Item {
        sku: Sku(uuid::Uuid::nil()),
    };
    assert_eq!(Item::from_avro(&item.to_avro().unwrap()).unwrap(), item);
    assert!(Item::schemas()
        .json()
        .unwrap()
        .text()
        .contains("\"format\": \"uuid\""));

    jsonschema_accepts(
        "top_level_named_newtypes",
        &[(labels, json!(["a", "b"]), json!(["a", "b", "c", "d"]))],
    );
}

/// A product other teams extend with attributes of their own: the known properties are fields,
/// the rest a flattened map (JSON Schema's `additionalProperties` beside `properties`).
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(
    namespace = "acme.any",
    json_id = "https://acme.example/product.schema.json"
)]
pub struct Product {
    pub sku: String,
    #[serde(flatten)]
    pub attributes: std::collections::BTreeMap<String, String>,
}

#[test]
fn flattened_maps_are_extra_properties() {
    let json = Product::schemas().json().unwrap().value().clone();
    assert_eq!(json["properties"], json!({"sku": {"type": "string"}}));
    assert_eq!(json["required"], json!(["sku"]));
    assert_eq!(json["additionalProperties"], json!({"type": "string"}));
    assert_eq!(json["$id"], "https://acme.example/product.schema.json");

    let p = Product {
        sku: "A1".into(),
        attributes: [("colour", "red"), ("size", "L")]
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .into(),
    };
    let text = p.dumps().unwrap();
    assert_eq!(text, br#"{"sku":"A1","colour":"red","size":"L"}"#);
    assert_eq!(Product::loads(&text).unwrap(), p);
    assert!(Product::loads(br#"{"sku":"A1","colour":1}"#).is_err());

    // Avro and Protobuf have a fixed field list: the map is a field there.
    let avro = Product::schemas()
        .avro()
        .unwrap()
        .canonical_form()
        .to_string();
    assert!(
        avro.contains(r#"{"name":"attributes","type":{"type":"map","values":"string"}}"#),
        "{avro}"
    );
    assert_eq!(Product::from_avro(&p.to_avro().unwrap()).unwrap(), p);
    let proto = &Product::schemas().proto().unwrap().main().text;
    assert!(
        proto.contains("map<string, string> attributes = 2;"),
        "{proto}"
    );
    assert_eq!(
        Product::from_protobuf(&p.to_protobuf().unwrap()).unwrap(),
        p
    );

    jsonschema_accepts(
        "flattened_maps",
        &[(
            json,
            serde_json::from_slice(&text).unwrap(),
            json!({"sku": "A1", "colour": 1}),
        )],
    );
}

/// A record holding a `Product` with a default: the default is written as serde writes the
/// value, the flattened entries beside `sku`.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "acme.any")]
pub struct Shelf {
    #[serde(default = "sample_product")]
    pub product: Product,
}

fn sample_product() -> Product {
    Product {
        sku: "A0".into(),
        attributes: [("colour".to_string(), "blue".to_string())].into(),
    }
}

#[test]
fn a_default_holding_a_flattened_map_is_written_as_serde_writes_it() {
    let json = Shelf::schemas().json().unwrap().value().clone();
    let default = &json["properties"]["product"]["default"];
    assert_eq!(default, &json!({"sku": "A0", "colour": "blue"}));
    assert_eq!(
        serde_json::to_value(sample_product()).unwrap(),
        *default,
        "serde's own JSON of the default"
    );
    // Avro keeps the map as a field, so its default names it.
    let avro: Json = serde_json::from_str(Shelf::schemas().avro().unwrap().json()).unwrap();
    assert_eq!(
        avro["fields"][0]["default"],
        json!({"sku": "A0", "attributes": {"colour": "blue"}})
    );
}

/// Python's jsonschema accepts serde's JSON under our JSON Schemas, and rejects wrong shapes.
#[test]
fn json_schemas_accept_serde_json() {
    let value = |bytes: Vec<u8>| -> Json { serde_json::from_slice(&bytes).unwrap() };
    let mut cases: Vec<(Json, Json, Json)> = Vec::new();
    let event = Event::schemas().json().unwrap().value().clone();
    for e in events() {
        let good = value(e.dumps().unwrap());
        let mut bad = good.clone();
        bad["extras"] = json!({"not": "a list"});
        cases.push((event.clone(), good, bad));
    }
    let sample = Sample::schemas().json().unwrap().value().clone();
    for s in samples() {
        let good = value(s.dumps().unwrap());
        let mut bad = good.clone();
        bad["reading"] = json!([1]);
        cases.push((sample.clone(), good, bad));
    }
    jsonschema_accepts("json_any_untagged", &cases);
}

/// upb reads our `google.protobuf.Value` bytes as the JSON itself (Protobuf's JSON mapping of
/// `Value` is the value), and we read upb's bytes back to the same event.
#[test]
fn upb_agrees_on_protobuf_values() {
    let cases: Vec<(Vec<u8>, Json)> = events()
        .iter()
        .map(|e| {
            let mut mapping = json!({"id": e.id, "payload": e.payload, "extras": e.extras});
            if let Some(m) = &e.meta {
                mapping["meta"] = m.clone();
            }
            (e.to_protobuf().unwrap(), mapping)
        })
        .collect();
    let schema = Event::schemas().proto().unwrap();
    let Some(theirs) = upb_reads_and_writes("json_any_upb", schema, "Event", &cases) else {
        return;
    };
    for (e, t) in events().iter().zip(&theirs) {
        assert_eq!(&Event::from_protobuf(t).unwrap(), e);
    }
}

/// A code as partners send it: a short string (titled in the schema) or a positive number.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(untagged)]
pub enum PartnerCode {
    Flag(bool),
    /// The partner's own code.
    #[record(title = "partner code")]
    Text(#[record(min_len = 2, max_len = 8)] String),
    Number(#[record(min = 1)] i64),
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Partner {
    pub code: PartnerCode,
}

#[test]
fn variant_titles_and_validators() {
    let schema = PartnerCode::schemas().json().unwrap().value().clone();
    assert_eq!(
        schema["anyOf"],
        json!([
            {"type": "boolean"},
            {"title": "partner code", "description": "The partner's own code.",
             "type": "string", "minLength": 2, "maxLength": 8},
            {"type": "integer", "minimum": 1},
        ])
    );
    let Shape::Union(u) = PartnerCode::model().shape else {
        panic!("a union")
    };
    assert_eq!(u.variants[1].title, Some("partner code"));
    assert_eq!(u.variants[1].validators.len(), 2);
    assert!(u.variants[0].validators.is_empty());
    // Avro and Protobuf have no place for either: the schemas are the plain union's.
    let avro = PartnerCode::schemas().avro().unwrap().json().to_string();
    assert!(!avro.contains("partner code"), "{avro}");
    let avro: Json = serde_json::from_str(&avro).unwrap();
    assert_eq!(avro, json!(["boolean", "string", "long"]));
    // validate(): the rules of the variant the value is, at the variant's path.
    let samples = [
        ("good flag", PartnerCode::Flag(true)),
        ("good text", PartnerCode::Text("AB12".into())),
        ("good number", PartnerCode::Number(7)),
        ("short", PartnerCode::Text("A".into())),
        ("long", PartnerCode::Text("ABCDEFGHI".into())),
        ("zero", PartnerCode::Number(0)),
    ];
    for (label, v) in &samples {
        assert_eq!(v.validate().is_ok(), label.starts_with("good"), "{label}");
        let p = Partner { code: v.clone() };
        assert_eq!(p.validate().is_ok(), label.starts_with("good"), "{label}");
        assert_eq!(Partner::from_avro(&p.to_avro().unwrap()).unwrap(), p);
        assert_eq!(
            Partner::from_protobuf(&p.to_protobuf().unwrap()).unwrap(),
            p
        );
    }
    let errors = Partner {
        code: PartnerCode::Number(0),
    }
    .validate()
    .unwrap_err()
    .to_string();
    assert_eq!(errors, "code.Number: must be at least 1, got 0 [min]");
    // Python jsonschema agrees: serde's JSON of each good sample is valid, each bad one not.
    let value = |v: &PartnerCode| serde_json::to_value(v).unwrap();
    let cases: Vec<(Json, Json, Json)> = [(1, 3), (2, 4), (0, 5)]
        .iter()
        .map(|&(good, bad)| {
            (
                schema.clone(),
                value(&samples[good].1),
                value(&samples[bad].1),
            )
        })
        .collect();
    jsonschema_accepts("variant_validators", &cases);
}

/// A message that must carry a `trace` of any shape: the schema requires it without typing it.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(open_content)]
pub struct Traced {
    pub id: String,
    #[record(required_only)]
    pub trace: Json,
}

#[test]
fn required_only_values() {
    let schema = Traced::schemas().json().unwrap().value().clone();
    assert_eq!(schema["properties"], json!({"id": {"type": "string"}}));
    assert_eq!(schema["required"], json!(["id", "trace"]));
    assert!(schema.get("additionalProperties").is_none(), "{schema}");
    let Shape::Record(fields) = Traced::model().shape else {
        panic!("a record")
    };
    assert!(fields[1].json_required_only && !fields[0].json_required_only);
    // serde requires it too: a document without it does not decode.
    assert!(Traced::loads(br#"{"id": "a"}"#).is_err());
    let t = Traced {
        id: "a".into(),
        trace: json!({"span": [1, 2]}),
    };
    assert_eq!(Traced::loads(&t.dumps().unwrap()).unwrap(), t);
    assert_eq!(Traced::from_protobuf(&t.to_protobuf().unwrap()).unwrap(), t);
    // Python jsonschema: present with any value is valid, absent is not.
    let good = serde_json::to_value(&t).unwrap();
    let cases = vec![
        (schema.clone(), good, json!({"id": "a"})),
        (
            schema.clone(),
            json!({"id": "b", "trace": null}),
            json!({"trace": 1}),
        ),
    ];
    jsonschema_accepts("required_only", &cases);
}
