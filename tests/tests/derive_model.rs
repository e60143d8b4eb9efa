//! What `#[derive(Record)]` puts in the model: names after serde renames, docs, aliases,
//! defaults as serde fills them, skipped fields, field numbers and representation options.

mod common;

use common::corpus::*;
use kafka_model::model::{
    IntEncoding, IntKind, Literal, Payload, Shape, Tagging, TimePrecision, Type,
};
use kafka_model::Record;

fn field(model: &'static kafka_model::Model, name: &str) -> &'static kafka_model::model::Field {
    model
        .fields()
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no field {name}"))
}

#[test]
fn container_attributes() {
    let m = Renamed::model();
    assert_eq!(m.rust_name, "Renamed");
    assert_eq!(m.name, "Account");
    assert_eq!(m.full_name(), "com.acme.corpus.Account");
    assert_eq!(m.doc, Some("An account, as the schemas see it."));
    assert_eq!(m.serializer, "json");
    let o = Order::model();
    assert_eq!(o.aliases, &["com.acme.legacy.Order"]);
    assert_eq!(o.doc, Some("A customer order."));
    assert!(Strict::model().deny_unknown_fields);
    assert!(!o.deny_unknown_fields);
    assert_eq!(Plain::model().namespace, None);
}

#[test]
fn serde_names_skips_and_aliases() {
    let m = Renamed::model();
    let names: Vec<_> = m.fields().iter().map(|f| f.name).collect();
    // rename_all = camelCase, an explicit rename, and `cache` skipped.
    assert_eq!(
        names,
        [
            "accountId",
            "displayName",
            "retries",
            "region",
            "phone",
            "labels"
        ]
    );
    assert_eq!(field(m, "displayName").aliases, &["name"]);
    assert_eq!(field(m, "phone").aliases, &["phone_number"]);
    assert_eq!(field(m, "phone").tags, &["PII", "CONTACT"]);
    assert!(field(m, "phone").json_optional);
    // `skip_serializing_if = "Option::is_none"`: JSON never holds `null` for it.
    assert!(field(m, "phone").json_skips_none);
    assert!(!field(m, "labels").json_skips_none);
    assert_eq!(field(m, "accountId").doc, Some("The account id."));
    assert_eq!(field(m, "labels").doc, Some("Free-form labels."));
}

#[test]
fn field_numbers_follow_declaration_order_and_explicit_tags() {
    let m = Renamed::model();
    let tags: Vec<_> = m.fields().iter().map(|f| f.tag).collect();
    // accountId = 5 explicitly; the next ones continue from it; labels = 20.
    assert_eq!(tags, [5, 6, 7, 8, 9, 20]);
    let o = Order::model();
    assert_eq!(
        o.fields().iter().map(|f| f.tag).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5, 6, 7]
    );
}

#[test]
fn defaults_are_what_serde_fills() {
    let m = Renamed::model();
    assert_eq!(
        (field(m, "retries").default.expect("default"))(),
        Literal::Int(0)
    );
    assert_eq!(
        (field(m, "region").default.expect("default"))(),
        Literal::String("eu-west-1".into())
    );
    assert!(field(m, "accountId").default.is_none());
    // A container-level #[serde(default)] takes each field from the struct's Default.
    let s = Settings::model();
    assert_eq!(
        (field(s, "threshold").default.expect("default"))(),
        Literal::Float(0.5)
    );
    assert_eq!(
        (field(s, "enabled").default.expect("default"))(),
        Literal::Bool(true)
    );
    assert_eq!(
        (field(s, "mode").default.expect("default"))(),
        Literal::Enum(0)
    );
    // And serde really fills those values.
    let parsed: Settings = serde_json::from_str("{}").expect("defaults fill");
    assert_eq!(parsed, Settings::default());
    let parsed: Renamed =
        serde_json::from_str(r#"{"accountId":"a","name":"n","labels":[]}"#).expect("parse");
    assert_eq!(
        (parsed.retries, parsed.region.as_str(), parsed.phone),
        (0, "eu-west-1", None)
    );
}

#[test]
fn types_map_through_field_type() {
    let p = Primitives::model();
    let kinds: Vec<_> = p
        .fields()
        .iter()
        .filter_map(|f| match f.ty {
            Type::Int(k) => Some(k),
            _ => None,
        })
        .collect();
    use IntKind::*;
    assert_eq!(kinds, [I8, I16, I32, I64, U8, U16, U32, U64]);
    let b = Binary::model();
    assert!(matches!(field(b, "data").ty, Type::Bytes));
    assert!(matches!(field(b, "shared").ty, Type::Bytes));
    assert!(matches!(field(b, "digest").ty, Type::Fixed(16)));
    assert!(field(b, "blob").options.json_bytes_base64);
    let t = TreeNode::model();
    match field(t, "parent").ty {
        Type::Option(Type::Named(f)) => {
            assert!(std::ptr::eq(f(), t), "Box<Self> refers back to the type")
        }
        other => panic!("unexpected {other:?}"),
    }
    let l = Logical::model();
    assert_eq!(field(l, "at").options.timestamp, TimePrecision::Micros);
    assert_eq!(field(l, "at_ms").options.timestamp, TimePrecision::Millis);
    assert_eq!(
        field(l, "amount")
            .options
            .decimal
            .map(|d| (d.precision, d.scale)),
        Some((12, 2))
    );
    assert!(matches!(field(l, "seen").ty, Type::Timestamp));
    let e = Encodings::model();
    assert_eq!(field(e, "delta").options.int_encoding, IntEncoding::Zigzag);
    assert_eq!(field(e, "hash").options.int_encoding, IntEncoding::Fixed);
}

#[test]
fn enums() {
    let Shape::Enum(symbols) = OrderStatus::model().shape else {
        panic!("unit enum is an enum")
    };
    let names: Vec<_> = symbols.iter().map(|s| s.name).collect();
    assert_eq!(names, ["PENDING", "PAID", "SHIPPED", "UNKNOWN"]);
    assert_eq!(
        symbols.iter().map(|s| s.tag).collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
    assert!(
        symbols[3].is_default,
        "#[serde(other)] is the Avro enum default"
    );
    assert_eq!(
        symbols[3].doc,
        Some("What readers see for a status they do not know.")
    );

    let Shape::Enum(prio) = Priority::model().shape else {
        panic!("unit enum")
    };
    assert!(
        prio[0].is_default && !prio[1].is_default,
        "#[record(default)] marks the Avro enum default"
    );
    assert_eq!((prio[0].tag, prio[1].tag), (1, 5));
    assert_eq!(prio[0].doc, Some("The usual."));
    assert_eq!(Priority::model().doc, Some("How urgent."));

    let Shape::Union(u) = PaymentEvent::model().shape else {
        panic!("data enum is a union")
    };
    assert_eq!(u.tagging, Tagging::External);
    assert_eq!(u.variants.len(), 3);
    assert!(matches!(
        u.variants[0].payload,
        Payload::Newtype(Type::Named(_))
    ));
    let Payload::Struct(bank) = u.variants[1].payload else {
        panic!("struct variant")
    };
    assert_eq!(bank.full_name(), "com.acme.payments.BankTransfer");
    assert_eq!(bank.fields().len(), 2);
    let Payload::Struct(refunded) = u.variants[2].payload else {
        panic!("unit variant")
    };
    assert!(refunded.fields().is_empty());

    let Shape::Union(c) = Command::model().shape else {
        panic!("union")
    };
    assert_eq!(c.tagging, Tagging::Internal { tag: "type" });
    let Shape::Union(env) = Envelope::model().shape else {
        panic!("union")
    };
    assert_eq!(
        env.tagging,
        Tagging::Adjacent {
            tag: "kind",
            content: "data"
        }
    );
    assert_eq!(
        env.variants.iter().map(|v| v.tag).collect::<Vec<_>>(),
        [10, 11, 12]
    );
}

#[test]
fn literals_of_values() {
    use kafka_model::FieldType;
    let lit = order().to_literal();
    let Literal::Record(fields) = lit else {
        panic!("record literal")
    };
    assert_eq!(
        fields[0],
        (
            "order_id",
            Literal::String("5b1c3e2a-9f1d-4a3b-8c2d-0e6f7a8b9c0d".into())
        )
    );
    assert_eq!(fields[6], ("status", Literal::Enum(1)));
    let ev = PaymentEvent::BankTransfer {
        iban: "X".into(),
        amount_cents: 3,
    }
    .to_literal();
    assert_eq!(
        ev,
        Literal::Variant(
            1,
            Box::new(Literal::Record(vec![
                ("iban", Literal::String("X".into())),
                ("amount_cents", Literal::Int(3))
            ]))
        )
    );
}

/// Nested collections: the model nests `Type`s as spelled; defaults of nested types are
/// literals of the same shape, and every format renders them.
#[test]
fn nested_collections_nest_types() {
    use std::collections::{BTreeMap, HashMap};

    fn preset() -> Option<Vec<i32>> {
        Some(vec![1, 2])
    }

    #[derive(Record, serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    #[allow(dead_code)]
    struct Shapes {
        matrix: Vec<Vec<i64>>,
        codes: Option<Vec<i32>>,
        attrs: Option<BTreeMap<String, String>>,
        sparse: Vec<Option<String>>,
        blobs: HashMap<String, Vec<u8>>,
        tables: BTreeMap<String, BTreeMap<String, Option<bool>>>,
        #[serde(default = "preset")]
        preset: Option<Vec<i32>>,
    }

    let m = Shapes::model();
    assert!(matches!(
        field(m, "matrix").ty,
        Type::List(Type::List(Type::Int(IntKind::I64)))
    ));
    assert!(matches!(
        field(m, "codes").ty,
        Type::Option(Type::List(Type::Int(IntKind::I32)))
    ));
    assert!(matches!(
        field(m, "attrs").ty,
        Type::Option(Type::Map(Type::String))
    ));
    assert!(matches!(
        field(m, "sparse").ty,
        Type::List(Type::Option(Type::String))
    ));
    // `Vec<u8>` stays bytes, also as a map value.
    assert!(matches!(field(m, "blobs").ty, Type::Map(Type::Bytes)));
    assert!(matches!(
        field(m, "tables").ty,
        Type::Map(Type::Map(Type::Option(Type::Bool)))
    ));
    let default = field(m, "preset").default.expect("a default")();
    assert_eq!(
        default,
        Literal::List(vec![Literal::Int(1), Literal::Int(2)])
    );
    // A value default puts the array first in the Avro union, as for any Option.
    let avro: serde_json::Value =
        serde_json::from_str(Shapes::schemas().avro().unwrap().json()).unwrap();
    let preset = avro["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "preset")
        .unwrap();
    assert_eq!(
        preset,
        &serde_json::json!({"name": "preset", "type": [{"type": "array", "items": "int"}, "null"], "default": [1, 2]})
    );
    assert!(Shapes::schemas().json().is_ok());
    let proto = Shapes::schemas().proto().unwrap();
    assert!(proto.main().text.contains("Int32List preset = 7;"));
    assert!(proto
        .main()
        .text
        .contains("map<string, BoolValueMap> tables = 6;"));
}
