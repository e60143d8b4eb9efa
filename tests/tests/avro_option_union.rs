//! `Option<T>` fields in Avro: `["null", T]` with a null default (the default), `["null", T]`
//! without a default (`#[record(no_default)]`), and `[T, "null"]` (`#[record(null_last)]`, with
//! the field's default if it has one). apache-avro writes each value under our schema to the
//! same bytes and reads ours back.
#![allow(deprecated)] // apache-avro's `to_avro_datum` / `from_avro_datum`

use apache_avro::types::Value;
use kafka_model::model::OptionUnion;
use kafka_model::Record;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};

fn tagline() -> Option<String> {
    Some("hello".into())
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.options")]
struct Contact {
    /// `["null", "string"]`, `"default": null`.
    email: Option<String>,
    /// `["null", "string"]`, no default.
    #[record(no_default)]
    phone: Option<String>,
    /// `["long", "null"]`, no default.
    #[record(null_last)]
    score: Option<i64>,
    /// `["string", "null"]`, `"default": "hello"` (null_last is implied by a value default).
    #[record(null_last)]
    #[serde(default = "tagline")]
    tagline: Option<String>,
    /// `["null", "long"]`, no default, with `#[serde(default)]` for JSON (None).
    #[record(no_default)]
    #[serde(default)]
    visits: Option<i64>,
}

#[test]
fn schema_says_where_null_goes_and_the_default() {
    let schema: Json = serde_json::from_str(Contact::schemas().avro().unwrap().json()).unwrap();
    let fields = schema["fields"].as_array().unwrap();
    let field = |i: usize| {
        let mut f = fields[i].clone();
        f.as_object_mut().unwrap().remove("doc");
        f
    };
    assert_eq!(
        field(0),
        json!({"name": "email", "type": ["null", "string"], "default": null})
    );
    assert_eq!(
        field(1),
        json!({"name": "phone", "type": ["null", "string"]})
    );
    assert_eq!(field(2), json!({"name": "score", "type": ["long", "null"]}));
    assert_eq!(
        field(3),
        json!({"name": "tagline", "type": ["string", "null"], "default": "hello"})
    );
    assert_eq!(
        field(4),
        json!({"name": "visits", "type": ["null", "long"]})
    );
    let model = Contact::model();
    assert_eq!(
        model.fields()[1].option_union,
        OptionUnion::NullFirstNoDefault
    );
    assert_eq!(model.fields()[2].option_union, OptionUnion::NullLast);
    assert_eq!(model.fields()[0].option_union, OptionUnion::Auto);
}

/// A union value at branch `index`.
fn opt(v: Option<Value>, index: u32) -> Value {
    match v {
        None => Value::Union(index, Box::new(Value::Null)),
        Some(v) => Value::Union(index, Box::new(v)),
    }
}

#[test]
fn apache_avro_writes_and_reads_the_same_bytes() {
    let schema = Contact::schemas().avro().unwrap().schema().clone();
    let values = [
        Contact {
            email: None,
            phone: None,
            score: None,
            tagline: None,
            visits: None,
        },
        Contact {
            email: Some("a@b".into()),
            phone: Some("+41".into()),
            score: Some(-7),
            tagline: Some(String::new()),
            visits: Some(1 << 40),
        },
    ];
    for c in values {
        let s = |x: &Option<String>| x.clone().map(Value::String);
        let l = |x: &Option<i64>| x.map(Value::Long);
        let theirs = Value::Record(vec![
            (
                "email".into(),
                opt(s(&c.email), u32::from(c.email.is_some())),
            ),
            (
                "phone".into(),
                opt(s(&c.phone), u32::from(c.phone.is_some())),
            ),
            (
                "score".into(),
                opt(l(&c.score), u32::from(c.score.is_none())),
            ),
            (
                "tagline".into(),
                opt(s(&c.tagline), u32::from(c.tagline.is_none())),
            ),
            (
                "visits".into(),
                opt(l(&c.visits), u32::from(c.visits.is_some())),
            ),
        ]);
        let bytes = apache_avro::to_avro_datum(&schema, theirs.clone()).unwrap();
        assert_eq!(c.to_avro().unwrap(), bytes, "{c:?}");
        assert_eq!(Contact::from_avro(&bytes).unwrap(), c);
        let back =
            apache_avro::from_avro_datum(&schema, &mut &c.to_avro().unwrap()[..], None).unwrap();
        assert_eq!(back, theirs);
        // JSON is serde's, whatever Avro does.
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(serde_json::from_value::<Contact>(json).unwrap(), c);
    }
}

#[test]
fn a_reader_without_defaults_needs_the_writer_field() {
    // Resolution: our schema as the reader of a writer without `phone`/`score`: those fields
    // have no default, so reading fails; `email` and `tagline` have defaults and are filled.
    let writer = apache_avro::Schema::parse_str(
        r#"{"type":"record","name":"Contact","namespace":"com.acme.options","fields":[]}"#,
    )
    .unwrap();
    let err = Contact::from_avro_with_writer(&writer, &[]).unwrap_err();
    assert!(err.to_string().contains("phone"), "{err}");
}
