//! Our public names next to the traits a user of apache-avro and schemars already imports
//! (issue 19): every one of these `use`s sits in one scope, a type derives `Record` beside
//! `schemars::JsonSchema`, and each schema accessor resolves without naming a trait.

use apache_avro::AvroSchema;
use kafka_model::schema::{Avro, Json, Proto};
use kafka_model::Record;
use schemars::JsonSchema;

/// A payment, described for the registry and for an HTTP API's OpenAPI document.
#[derive(Record, JsonSchema, serde::Serialize, serde::Deserialize, Debug, PartialEq)]
#[record(namespace = "com.acme.pay")]
struct Payment {
    id: String,
    cents: i64,
    #[serde(default)]
    note: Option<String>,
}

fn kinds() -> (&'static Avro, &'static Proto, &'static Json) {
    let s = Payment::schemas();
    (
        s.avro().expect("avro"),
        s.proto().expect("proto"),
        s.json().expect("json"),
    )
}

#[test]
fn both_json_schemas_are_reachable_without_naming_a_trait() {
    let (_, _, ours) = kinds();
    // schemars' associated function by its own name, ours through `schemas()`: no E0034.
    let theirs = schemars::schema_for!(Payment);
    let theirs = serde_json::to_value(&theirs).expect("schemars schema is JSON");
    assert_eq!(Payment::schema_name(), "Payment");
    for schema in [ours.value(), &theirs] {
        let props = schema["properties"].as_object().expect("properties");
        assert!(
            props.contains_key("id") && props.contains_key("cents"),
            "{schema}"
        );
    }
    assert_eq!(ours.value()["title"], "Payment", "{}", ours.text());
}

#[test]
fn apache_avro_sees_the_rendered_avro_schema() {
    let (avro, proto, _) = kinds();
    // The derive's AvroSchemaComponent impl: apache-avro's `AvroSchema` is our schema.
    assert_eq!(&Payment::get_schema(), avro.schema());
    assert!(
        avro.text().contains(r#""namespace": "com.acme.pay""#),
        "{}",
        avro.text()
    );
    assert!(
        proto.text().contains("message Payment {"),
        "{}",
        proto.text()
    );
}
