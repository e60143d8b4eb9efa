use super::*;

// -----------------------------------------------------------------------------------------
// Records.

pub(super) const ORDER_GOLDEN: &str = r##"{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "Order",
  "description": "A customer order.",
  "type": "object",
  "properties": {
    "id": {
      "description": "Order id.",
      "type": "string",
      "confluent:tags": [
        "PII"
      ]
    },
    "qty": {
      "type": "integer",
      "minimum": -2147483648,
      "maximum": 2147483647,
      "default": 1
    },
    "note": {
      "oneOf": [
        {
          "type": "null"
        },
        {
          "type": "string"
        }
      ]
    },
    "address": {
      "description": "Where to ship.",
      "allOf": [
        {
          "$ref": "#/definitions/com.acme.Address"
        }
      ]
    },
    "status": {
      "allOf": [
        {
          "$ref": "#/definitions/com.acme.Status"
        }
      ],
      "default": "NEW"
    },
    "lines": {
      "type": "array",
      "items": {
        "type": "string"
      }
    }
  },
  "required": [
    "id",
    "address"
  ],
  "additionalProperties": false,
  "definitions": {
    "com.acme.Address": {
      "description": "A postal address.",
      "type": "object",
      "properties": {
        "street": {
          "type": "string"
        },
        "zip": {
          "oneOf": [
            {
              "type": "null"
            },
            {
              "type": "string"
            }
          ]
        }
      },
      "required": [
        "street"
      ]
    },
    "com.acme.Status": {
      "type": "string",
      "enum": [
        "NEW",
        "DONE"
      ]
    }
  }
}"##;

#[test]
fn golden_record() {
    let schema = render_ok(&ORDER);
    assert_eq!(schema.text(), ORDER_GOLDEN);
}

#[test]
fn record_validates_serde_output() {
    let schema = render_ok(&ORDER);
    let order = Order {
        id: "o-1".into(),
        qty: 2,
        note: None,
        address: Address {
            street: "Main St".into(),
            zip: Some("12345".into()),
        },
        status: Status::Done,
        lines: vec![],
    };
    let plain = to_json(&order);
    let full = to_json(&Order {
        note: Some("x".into()),
        lines: vec!["a".into()],
        ..order
    });
    assert!(plain.get("lines").is_none(), "skipped when empty");
    check_with_python(
        &schema,
        &[plain.clone(), full.clone(), with(&plain, "qty", None)],
        &[
            with(&plain, "extra", Some(json!(1))),
            with(&plain, "id", None),
            with(&plain, "qty", Some(json!("2"))),
            with(&plain, "qty", Some(json!(2147483648i64))),
            with(&plain, "status", Some(json!("BOGUS"))),
            with(&plain, "address", Some(json!({ "zip": null }))),
            with(&full, "lines", Some(json!([1]))),
        ],
    );
}

/// An `Option` serde skips when `None` is its inner type, not required; other skipped
/// `Option`s stay nullable.
#[test]
fn option_skipped_when_none_is_the_inner_type() {
    #[derive(Serialize)]
    struct Contact {
        name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        phone: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        age: Option<i32>,
        note: Option<String>,
    }
    static M: Model = model(
        "Contact",
        Shape::Record(&[
            field("name", Type::String),
            Field {
                json_optional: true,
                json_skips_none: true,
                validators: &[Validator::MaxLen(12)],
                ..field("phone", Type::Option(&Type::String))
            },
            Field {
                json_optional: true,
                json_skips_none: true,
                // `#[serde(default)]`: `None`, never written, so no `default` either.
                default: Some(|| Literal::Null),
                ..field("age", Type::Option(&I32))
            },
            field("note", Type::Option(&Type::String)),
        ]),
    );
    let schema = render_ok(&M);
    let v = schema.value();
    assert_eq!(v["required"], json!(["name"]));
    assert_eq!(
        v["properties"]["phone"],
        json!({"type": "string", "maxLength": 12})
    );
    assert_eq!(
        v["properties"]["age"],
        json!({"type": "integer", "minimum": -2147483648i64, "maximum": 2147483647})
    );
    assert_eq!(
        v["properties"]["note"],
        json!({"oneOf": [{"type": "null"}, {"type": "string"}]})
    );
    let none = to_json(&Contact {
        name: "a".into(),
        phone: None,
        age: None,
        note: None,
    });
    assert_eq!(
        none,
        json!({"name": "a", "note": null}),
        "serde skips the Nones"
    );
    let some = to_json(&Contact {
        name: "a".into(),
        phone: Some("+1 555".into()),
        age: Some(40),
        note: Some("n".into()),
    });
    check_with_python(
        &schema,
        &[none.clone(), some.clone()],
        &[
            with(&some, "phone", Some(Value::Null)),
            with(&some, "age", Some(Value::Null)),
            with(&some, "phone", Some(json!("+1 555 0100 9999"))),
            with(&none, "name", None),
        ],
    );
}

#[test]
fn required_and_annotations() {
    static M: Model = model(
        "M",
        Shape::Record(&[
            field("plain", Type::Bool),
            field("opt", Type::Option(&Type::Bool)),
            Field {
                default: Some(|| Literal::Bool(true)),
                ..field("dflt", Type::Bool)
            },
            Field {
                json_optional: true,
                option_union: crate::model::OptionUnion::Auto,
                ..field("skip", Type::Bool)
            },
            Field {
                tags: &["PII", "SENSITIVE"],
                ..field("tagged", Type::String)
            },
        ]),
    );
    let v = render_ok(&M).value().clone();
    assert_eq!(v["required"], json!(["plain", "tagged"]));
    assert_eq!(
        v["properties"]["dflt"],
        json!({ "type": "boolean", "default": true })
    );
    assert_eq!(
        v["properties"]["tagged"]["confluent:tags"],
        json!(["PII", "SENSITIVE"])
    );
    assert!(v.get("additionalProperties").is_none());
    assert!(v.get("definitions").is_none());
    assert!(v.get("description").is_none());
    assert_eq!(v["title"], "M");
    assert_eq!(v["$schema"], DRAFT_07);
}

#[test]
fn scalar_types() {
    let mut r = Renderer {
        root_name: String::new(),
        referenced: Vec::new(),
    };
    let mut ty = |t: &Type, o: FieldOptions| r.type_schema(t, o).into_node().to_value();
    let int = |min: i64, max: i64| json!({ "type": "integer", "minimum": min, "maximum": max });
    assert_eq!(ty(&Type::Int(IntKind::I8), OPTS), int(-128, 127));
    assert_eq!(ty(&Type::Int(IntKind::I16), OPTS), int(-32768, 32767));
    assert_eq!(ty(&Type::Int(IntKind::U8), OPTS), int(0, 255));
    assert_eq!(ty(&Type::Int(IntKind::U16), OPTS), int(0, 65535));
    assert_eq!(ty(&Type::Int(IntKind::U32), OPTS), int(0, 4294967295));
    assert_eq!(
        ty(&Type::Int(IntKind::I64), OPTS),
        json!({ "type": "integer" })
    );
    assert_eq!(
        ty(&Type::Int(IntKind::U64), OPTS),
        json!({ "type": "integer", "minimum": 0 })
    );
    assert_eq!(ty(&Type::Float, OPTS), json!({ "type": "number" }));
    assert_eq!(ty(&Type::Double, OPTS), json!({ "type": "number" }));
    assert_eq!(ty(&Type::Bool, OPTS), json!({ "type": "boolean" }));
    assert_eq!(ty(&Type::String, OPTS), json!({ "type": "string" }));
    let byte = json!({ "type": "integer", "minimum": 0, "maximum": 255 });
    assert_eq!(
        ty(&Type::Bytes, OPTS),
        json!({ "type": "array", "items": byte })
    );
    assert_eq!(
        ty(&Type::Fixed(16), OPTS),
        json!({ "type": "array", "items": byte, "minItems": 16, "maxItems": 16 })
    );
    assert_eq!(
        ty(&Type::Bytes, B64),
        json!({ "type": "string", "contentEncoding": "base64" })
    );
    assert_eq!(
        ty(&Type::Fixed(16), B64),
        json!({ "type": "string", "contentEncoding": "base64", "minLength": 24, "maxLength": 24 })
    );
    assert_eq!(
        ty(&Type::Uuid, OPTS),
        json!({ "type": "string", "format": "uuid" })
    );
    assert_eq!(
        ty(&Type::Timestamp, OPTS),
        json!({ "type": "string", "format": "date-time" })
    );
    assert_eq!(
        ty(&Type::Date, OPTS),
        json!({ "type": "string", "format": "date" })
    );
    assert_eq!(
        ty(&Type::Decimal, OPTS),
        json!({ "type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$" })
    );
    assert_eq!(
        ty(&Type::Option(&Type::Option(&Type::Bool)), OPTS),
        json!({ "oneOf": [{ "type": "null" }, { "type": "boolean" }] })
    );
    assert_eq!(
        ty(&Type::List(&Type::Bytes), B64),
        json!({ "type": "array", "items": { "type": "string", "contentEncoding": "base64" } })
    );
    assert_eq!(
        ty(&Type::Map(&Type::Double), OPTS),
        json!({ "type": "object", "additionalProperties": { "type": "number" } })
    );
}

#[cfg(all(
    feature = "chrono",
    feature = "uuid",
    feature = "rust_decimal",
    feature = "bytes"
))]
#[test]
fn every_type_validates_serde_output() {
    use chrono::{DateTime, NaiveDate, Utc};
    use rust_decimal::Decimal;

    #[derive(Serialize)]
    struct Everything {
        flag: bool,
        i8: i8,
        i16: i16,
        i32: i32,
        i64: i64,
        u8: u8,
        u16: u16,
        u32: u32,
        u64: u64,
        f32: f32,
        f64: f64,
        text: String,
        raw: Vec<u8>,
        bytes: bytes::Bytes,
        fixed: [u8; 4],
        #[serde(with = "b64")]
        raw64: Vec<u8>,
        #[serde(with = "b64")]
        fixed64: [u8; 5],
        id: uuid::Uuid,
        at: DateTime<Utc>,
        day: NaiveDate,
        price: Decimal,
        maybe: Option<Option<i32>>,
        list: Vec<Vec<i64>>,
        map: HashMap<String, Option<Address>>,
        address: Address,
        status: Option<Status>,
    }
    static EVERYTHING: Model = model(
        "Everything",
        Shape::Record(&[
            field("flag", Type::Bool),
            field("i8", Type::Int(IntKind::I8)),
            field("i16", Type::Int(IntKind::I16)),
            field("i32", Type::Int(IntKind::I32)),
            field("i64", Type::Int(IntKind::I64)),
            field("u8", Type::Int(IntKind::U8)),
            field("u16", Type::Int(IntKind::U16)),
            field("u32", Type::Int(IntKind::U32)),
            field("u64", Type::Int(IntKind::U64)),
            field("f32", Type::Float),
            field("f64", Type::Double),
            field("text", Type::String),
            field("raw", Type::Bytes),
            field("bytes", Type::Bytes),
            field("fixed", Type::Fixed(4)),
            Field {
                options: B64,
                ..field("raw64", Type::Bytes)
            },
            Field {
                options: B64,
                ..field("fixed64", Type::Fixed(5))
            },
            field("id", Type::Uuid),
            field("at", Type::Timestamp),
            field("day", Type::Date),
            field("price", Type::Decimal),
            field("maybe", Type::Option(&Type::Option(&I32))),
            field("list", Type::List(&Type::List(&Type::Int(IntKind::I64)))),
            field("map", Type::Map(&Type::Option(&Type::Named(address)))),
            field("address", Type::Named(address)),
            field("status", Type::Option(&Type::Named(status))),
        ]),
    );
    let schema = render_ok(&EVERYTHING);

    let at = DateTime::from_timestamp(1_700_000_000, 123_456_000).expect("valid instant");
    let high = Everything {
        flag: true,
        i8: i8::MAX,
        i16: i16::MAX,
        i32: i32::MAX,
        i64: i64::MAX,
        u8: u8::MAX,
        u16: u16::MAX,
        u32: u32::MAX,
        u64: u64::MAX,
        f32: f32::MAX,
        f64: f64::MIN_POSITIVE,
        text: "🚀 ünïcode".into(),
        raw: vec![0, 1, 255],
        bytes: bytes::Bytes::from_static(b"hello"),
        fixed: [1, 2, 3, 255],
        raw64: b"any bytes".to_vec(),
        fixed64: [0xff; 5],
        id: uuid::Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef),
        at,
        day: NaiveDate::from_ymd_opt(2024, 2, 29).expect("valid date"),
        price: Decimal::new(-1250, 2),
        maybe: Some(Some(7)),
        list: vec![vec![], vec![i64::MIN]],
        map: HashMap::from([
            ("a".to_string(), None),
            (
                "b".to_string(),
                Some(Address {
                    street: "s".into(),
                    zip: None,
                }),
            ),
        ]),
        address: Address {
            street: "Main".into(),
            zip: Some("1".into()),
        },
        status: Some(Status::New),
    };
    let low = Everything {
        flag: false,
        i8: i8::MIN,
        i16: i16::MIN,
        i32: i32::MIN,
        i64: i64::MIN,
        u8: 0,
        u16: 0,
        u32: 0,
        u64: 0,
        f32: -0.1,
        f64: -1e300,
        text: String::new(),
        raw: vec![],
        bytes: bytes::Bytes::new(),
        fixed: [0; 4],
        raw64: vec![],
        fixed64: [0; 5],
        id: uuid::Uuid::nil(),
        at: DateTime::from_timestamp(-1, 0).expect("valid instant"),
        day: NaiveDate::from_ymd_opt(1, 1, 1).expect("valid date"),
        price: Decimal::ZERO,
        maybe: None,
        list: vec![],
        map: HashMap::new(),
        address: Address {
            street: String::new(),
            zip: None,
        },
        status: None,
    };
    let h = to_json(&high);
    assert_eq!(h["raw64"], "YW55IGJ5dGVz");
    assert_eq!(h["price"], "-12.50");
    let l = to_json(&low);
    check_with_python(
        &schema,
        &[
            h.clone(),
            l.clone(),
            to_json(&Everything {
                maybe: Some(None),
                ..low
            }),
        ],
        &[
            with(&h, "i8", Some(json!(128))),
            with(&l, "i8", Some(json!(-129))),
            with(&h, "u16", Some(json!(65536))),
            with(&h, "u32", Some(json!(4294967296u64))),
            with(&l, "u64", Some(json!(-1))),
            with(&h, "f64", Some(json!("1.0"))),
            with(&h, "raw", Some(json!([256]))),
            with(&h, "raw", Some(json!("aGk="))),
            with(&h, "fixed", Some(json!([1, 2, 3]))),
            with(&h, "raw64", Some(json!([1, 2]))),
            with(&h, "fixed64", Some(json!("aGk="))),
            // Not `"at": "yesterday"`: jsonschema checks `date-time` only with the optional
            // rfc3339-validator package, which the pinned interop venv does not have.
            with(&h, "day", Some(json!("2024-02-30T00:00:00Z"))),
            with(&h, "price", Some(json!(12.5))),
            with(&h, "price", Some(json!("1e5"))),
            with(&h, "list", Some(json!([[1.5]]))),
            with(&h, "map", Some(json!({ "a": 1 }))),
            with(&h, "status", Some(json!("new"))),
            with(&h, "flag", None),
        ],
    );
}

#[test]
fn any_json_value_is_the_empty_schema() {
    #[derive(Serialize)]
    struct Event {
        payload: Value,
        extras: Vec<Value>,
        #[serde(skip_serializing_if = "Option::is_none")]
        meta: Option<Value>,
    }
    static M: Model = model(
        "Event",
        Shape::Record(&[
            field("payload", Type::Any),
            field("extras", Type::List(&Type::Any)),
            Field {
                json_optional: true,
                json_skips_none: true,
                ..field("meta", Type::Option(&Type::Any))
            },
        ]),
    );
    let schema = render_ok(&M);
    let v = schema.value();
    assert_eq!(v["properties"]["payload"], json!({}));
    // No `items`: any item, as hand-written schemas say it.
    assert_eq!(v["properties"]["extras"], json!({"type": "array"}));
    assert_eq!(v["properties"]["meta"], json!({}));
    assert_eq!(v["required"], json!(["payload", "extras"]));
    let values: Vec<Value> = [
        json!(null),
        json!(1),
        json!("s"),
        json!([1, {"a": null}]),
        json!({"deep": {"x": [true]}}),
    ]
    .into_iter()
    .map(|p| {
        to_json(&Event {
            payload: p.clone(),
            extras: vec![p.clone(), json!(2.5)],
            meta: Some(p),
        })
    })
    .collect();
    check_with_python(
        &schema,
        &values,
        &[
            json!({"extras": []}),
            json!({"payload": 1, "extras": {}}),
            json!(["not an object"]),
        ],
    );
}

#[test]
fn any_json_default_keeps_its_shape() {
    static M: Model = model(
        "Conf",
        Shape::Record(&[Field {
            default: Some(|| {
                Literal::Map(vec![(
                    "k".into(),
                    Literal::List(vec![Literal::Int(1), Literal::Null, Literal::Float(0.5)]),
                )])
            }),
            json_optional: true,
            ..field("settings", Type::Any)
        }]),
    );
    let v = render_ok(&M).value().clone();
    assert_eq!(
        v["properties"]["settings"],
        json!({"default": {"k": [1, null, 0.5]}})
    );
}

/// A top-level value with validators (a derived newtype's): the root carries the keywords a
/// field of that type would, length rules on the value and value rules on its items.
#[test]
fn primitive_validators_constrain_the_root() {
    static CODE: Model = model(
        "string",
        Shape::Primitive(
            Type::String,
            &[
                Validator::MinLen(2),
                Validator::MaxLen(4),
                Validator::Choices(&[Constant::Str("AB"), Constant::Str("ABCDE")]),
            ],
        ),
    );
    static LEVELS: Model = model(
        "array",
        Shape::Primitive(
            Type::List(&Type::Int(IntKind::I64)),
            &[Validator::NonEmpty, Validator::Min(Constant::Int(1))],
        ),
    );
    static PLAIN: Model = model("string", Shape::Primitive(Type::String, &[]));
    let code = render_ok(&CODE);
    let v = code.value();
    assert_eq!(
        (v["type"].clone(), v["minLength"].clone()),
        (json!("string"), json!(2))
    );
    assert_eq!(v["maxLength"], 4);
    assert_eq!(v["enum"], json!(["AB", "ABCDE"]));
    check_with_python(
        &code,
        &[json!("AB")],
        &[json!("ABCDE"), json!("A"), json!("XY")],
    );
    let levels = render_ok(&LEVELS);
    let v = levels.value();
    assert_eq!(v["minItems"], 1);
    assert_eq!(v["items"]["minimum"], 1);
    check_with_python(&levels, &[json!([1, 5])], &[json!([]), json!([0])]);
    // Without validators, nothing beside the type.
    let plain = render_ok(&PLAIN);
    assert!(plain.value().get("minLength").is_none(), "{}", plain.text());
}
