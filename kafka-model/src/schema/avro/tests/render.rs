use super::defaults::{LOGICAL, SETTINGS};
use super::*;

// --- primitives -------------------------------------------------------------------------

pub(super) static PRIMS: Model = record(
    "Prims",
    Some("com.acme"),
    &[
        field("b", Type::Bool),
        field("i8", Type::Int(IntKind::I8)),
        field("i16", Type::Int(IntKind::I16)),
        field("i32", Type::Int(IntKind::I32)),
        field("i64", Type::Int(IntKind::I64)),
        field("u8", Type::Int(IntKind::U8)),
        field("u16", Type::Int(IntKind::U16)),
        field("u32", Type::Int(IntKind::U32)),
        field("u64", Type::Int(IntKind::U64)),
        field("f", Type::Float),
        field("d", Type::Double),
        field("s", Type::String),
        field("by", Type::Bytes),
        field("list", Type::List(&Type::String)),
        field("map", Type::Map(&Type::Int(IntKind::I64))),
    ],
);

#[test]
fn primitives_and_int_kinds() {
    let s = render(&PRIMS).unwrap();
    let v = json_of(&s);
    let types: Vec<Value> = v["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["type"].clone())
        .collect();
    let expected: Vec<Value> = serde_json::from_str(
            r#"["boolean","int","int","int","long","int","int","long","long","float","double","string","bytes",
                {"type":"array","items":"string"},{"type":"map","values":"long"}]"#,
        )
        .unwrap();
    assert_eq!(types, expected);
    assert_eq!(
        s.canonical_form(),
        r#"{"name":"com.acme.Prims","type":"record","fields":[{"name":"b","type":"boolean"},{"name":"i8","type":"int"},{"name":"i16","type":"int"},{"name":"i32","type":"int"},{"name":"i64","type":"long"},{"name":"u8","type":"int"},{"name":"u16","type":"int"},{"name":"u32","type":"long"},{"name":"u64","type":"long"},{"name":"f","type":"float"},{"name":"d","type":"double"},{"name":"s","type":"string"},{"name":"by","type":"bytes"},{"name":"list","type":{"type":"array","items":"string"}},{"name":"map","type":{"type":"map","values":"long"}}]}"#
    );
    assert_eq!(s.canonical_form(), s.schema().canonical_form());
    assert_eq!(
        s.fingerprint_bytes().to_vec(),
        s.schema().fingerprint::<Rabin>().bytes
    );
}

// --- golden text ------------------------------------------------------------------------

pub(super) fn default_qty() -> Literal {
    Literal::Int(1)
}

pub(super) static ORDER: Model = Model {
    doc: Some("A customer order."),
    aliases: &["com.acme.OldOrder"],
    ..record(
        "Order",
        Some("com.acme.orders"),
        &[
            Field {
                doc: Some("Order id."),
                aliases: &["order_id"],
                tags: &["PII"],
                ..field("id", Type::String)
            },
            Field {
                default: Some(default_qty),
                ..field("qty", Type::Int(IntKind::I32))
            },
            field("note", Type::Option(&Type::String)),
        ],
    )
};

#[test]
fn golden_record_text() {
    let s = render(&ORDER).unwrap();
    let expected = r#"{
  "type": "record",
  "name": "Order",
  "namespace": "com.acme.orders",
  "doc": "A customer order.",
  "aliases": [
    "com.acme.OldOrder"
  ],
  "fields": [
    {
      "name": "id",
      "doc": "Order id.",
      "type": "string",
      "aliases": [
        "order_id"
      ],
      "confluent:tags": [
        "PII"
      ]
    },
    {
      "name": "qty",
      "type": "int",
      "default": 1
    },
    {
      "name": "note",
      "type": [
        "null",
        "string"
      ],
      "default": null
    }
  ]
}"#;
    assert_eq!(s.json(), expected);
    assert_eq!(
        s.canonical_form(),
        r#"{"name":"com.acme.orders.Order","type":"record","fields":[{"name":"id","type":"string"},{"name":"qty","type":"int"},{"name":"note","type":["null","string"]}]}"#
    );
    assert_eq!(
        s.fingerprint(),
        rabin_fingerprint(s.canonical_form().as_bytes())
    );
    assert_eq!(s.canonical_form(), s.schema().canonical_form());
    assert_eq!(
        s.fingerprint_bytes().to_vec(),
        s.schema().fingerprint::<Rabin>().bytes
    );
}

// --- nested records, references, recursion ----------------------------------------------

pub(super) fn address() -> &'static Model {
    &ADDRESS
}
pub(super) static ADDRESS: Model = record(
    "Address",
    Some("com.acme"),
    &[field("street", Type::String)],
);

pub(super) static CUSTOMER: Model = record(
    "Customer",
    Some("com.acme"),
    &[
        field("billing", Type::Named(address)),
        field("shipping", Type::Option(&Type::Named(address))),
        field("others", Type::List(&Type::Named(address))),
    ],
);

#[test]
fn nested_record_defined_once_then_referenced_by_full_name() {
    let s = render(&CUSTOMER).unwrap();
    let v = json_of(&s);
    assert_eq!(v["fields"][0]["type"]["type"], "record");
    assert_eq!(v["fields"][0]["type"]["name"], "Address");
    assert_eq!(v["fields"][0]["type"]["namespace"], "com.acme");
    assert_eq!(
        v["fields"][1]["type"],
        serde_json::json!(["null", "com.acme.Address"])
    );
    assert_eq!(
        v["fields"][2]["type"],
        serde_json::json!({"type": "array", "items": "com.acme.Address"})
    );
    assert_eq!(s.canonical_form(), s.schema().canonical_form());
}

pub(super) fn tree() -> &'static Model {
    &TREE
}
pub(super) static TREE: Model = record(
    "Tree",
    Some("com.acme"),
    &[
        field("label", Type::String),
        field("next", Type::Option(&Type::Named(tree))),
        field("children", Type::List(&Type::Named(tree))),
    ],
);

#[test]
fn recursive_option_of_itself() {
    let s = render(&TREE).unwrap();
    let v = json_of(&s);
    assert_eq!(
        v["fields"][1]["type"],
        serde_json::json!(["null", "com.acme.Tree"])
    );
    assert_eq!(v["fields"][1]["default"], Value::Null);
    assert_eq!(v["fields"][2]["type"]["items"], "com.acme.Tree");
    assert_eq!(
        s.canonical_form(),
        r#"{"name":"com.acme.Tree","type":"record","fields":[{"name":"label","type":"string"},{"name":"next","type":["null","com.acme.Tree"]},{"name":"children","type":{"type":"array","items":"com.acme.Tree"}}]}"#
    );
    assert_eq!(s.canonical_form(), s.schema().canonical_form());
}

pub(super) fn plain() -> &'static Model {
    &PLAIN
}
pub(super) static PLAIN: Model = record("Plain", None, &[field("x", Type::Int(IntKind::I32))]);
pub(super) static HOLDER: Model = record(
    "Holder",
    Some("com.acme"),
    &[
        field("first", Type::Named(plain)),
        field("second", Type::Named(plain)),
    ],
);

#[test]
fn no_namespace_inside_namespace() {
    let s = render(&HOLDER).unwrap();
    let v = json_of(&s);
    assert_eq!(v["fields"][0]["type"]["namespace"], "");
    // A bare "Plain" would resolve to com.acme.Plain: the leading dot is the null namespace.
    assert_eq!(v["fields"][1]["type"], ".Plain");
    assert_eq!(
        s.canonical_form(),
        r#"{"name":"com.acme.Holder","type":"record","fields":[{"name":"first","type":{"name":"Plain","type":"record","fields":[{"name":"x","type":"int"}]}},{"name":"second","type":"Plain"}]}"#
    );
    assert_eq!(s.canonical_form(), s.schema().canonical_form());
    // Top level without namespace: no namespace attribute at all.
    let p = render(&PLAIN).unwrap();
    assert!(json_of(&p).get("namespace").is_none());
}

pub(super) fn other_address() -> &'static Model {
    &OTHER_ADDRESS
}
pub(super) static OTHER_ADDRESS: Model = Model {
    rust_name: "OtherAddress",
    ..record("Address", Some("com.acme"), &[field("zip", Type::String)])
};
pub(super) static COLLIDING: Model = record(
    "Colliding",
    Some("com.acme"),
    &[
        field("a", Type::Named(address)),
        field("b", Type::Named(other_address)),
    ],
);

#[test]
fn name_collision() {
    let e = render(&COLLIDING).unwrap_err();
    assert_eq!(
        e,
        SchemaError::NameCollision {
            full_name: "com.acme.Address".into(),
            first: "Address",
            second: "OtherAddress"
        }
    );
}

// --- enums and fixed --------------------------------------------------------------------

pub(super) fn priority() -> &'static Model {
    &PRIORITY
}
pub(super) static PRIORITY: Model = Model {
    shape: Shape::Enum(&[
        symbol("LOW", false),
        symbol("MEDIUM", true),
        symbol("HIGH", false),
    ]),
    ..record("Priority", Some("com.acme"), &[])
};
pub(super) fn default_priority() -> Literal {
    Literal::Enum(2)
}
pub(super) static TICKET: Model = record(
    "Ticket",
    Some("com.acme"),
    &[
        Field {
            default: Some(default_priority),
            ..field("priority", Type::Named(priority))
        },
        field("history", Type::List(&Type::Named(priority))),
        field("digest", Type::Fixed(16)),
        field("ip_addr", Type::Fixed(4)),
        field("digests", Type::Map(&Type::Fixed(16))),
    ],
);

#[test]
fn enum_with_default_symbol() {
    let s = render(&PRIORITY).unwrap();
    assert_eq!(
        json_of(&s),
        serde_json::json!({"type": "enum", "name": "Priority", "namespace": "com.acme",
                "symbols": ["LOW", "MEDIUM", "HIGH"], "default": "MEDIUM"})
    );
    assert_eq!(
        s.canonical_form(),
        r#"{"name":"com.acme.Priority","type":"enum","symbols":["LOW","MEDIUM","HIGH"]}"#
    );
    assert_eq!(s.canonical_form(), s.schema().canonical_form());
}

#[test]
fn fixed_named_after_field_and_enum_default() {
    let s = render(&TICKET).unwrap();
    let v = json_of(&s);
    assert_eq!(v["fields"][0]["default"], "HIGH");
    assert_eq!(v["fields"][1]["type"]["items"], "com.acme.Priority");
    assert_eq!(
        v["fields"][2]["type"],
        serde_json::json!({"type": "fixed", "name": "Digest", "namespace": "com.acme", "size": 16})
    );
    assert_eq!(v["fields"][3]["type"]["name"], "IpAddr");
    // A second `[u8; 16]` field is its own fixed type, named after that field.
    assert_eq!(v["fields"][4]["type"]["values"]["name"], "Digests");
    assert_eq!(s.canonical_form(), s.schema().canonical_form());
}

pub(super) static FIXED_CLASH: Model = record(
    "FixedClash",
    Some("com.acme"),
    &[
        field("tag", Type::Fixed(4)),
        field("tags", Type::List(&Type::Fixed(4))),
        field("wrapper", Type::Named(inner_tag)),
    ],
);
pub(super) fn inner_tag() -> &'static Model {
    &INNER_TAG
}
pub(super) static INNER_TAG: Model =
    record("Inner", Some("com.acme"), &[field("tag", Type::Fixed(8))]);
pub(super) static FIXED_SAME: Model = record(
    "FixedSame",
    Some("com.acme"),
    &[
        field("tag", Type::Fixed(4)),
        field("x", Type::Named(same_tag)),
    ],
);
pub(super) fn same_tag() -> &'static Model {
    &SAME_TAG
}
pub(super) static SAME_TAG: Model =
    record("SameTag", Some("com.acme"), &[field("tag", Type::Fixed(4))]);

#[test]
fn fixed_same_name_other_size_is_an_error() {
    let reason = unrepresentable_reason(render(&FIXED_CLASH).unwrap_err());
    assert!(
        reason.contains("com.acme.Tag") && reason.contains("size 4"),
        "{reason}"
    );
    let s = render(&FIXED_SAME).unwrap();
    assert_eq!(
        json_of(&s)["fields"][1]["type"]["fields"][0]["type"],
        "com.acme.Tag"
    );
}

// --- unions -------------------------------------------------------------------------------

pub(super) fn card() -> &'static Model {
    &CARD
}
pub(super) static CARD: Model = record(
    "Card",
    Some("com.acme.pay"),
    &[field("number", Type::String)],
);
pub(super) static CASH: Model = record("Cash", Some("com.acme.pay"), &[]);
pub(super) static PAYMENT_UNION: Union = Union {
    tagging: Tagging::External,
    variants: &[
        Variant {
            ident: "Card",
            name: "Card",
            doc: None,
            tag: 1,
            int_encoding: IntEncoding::Varint,
            title: None,
            validators: &[],
            payload: Payload::Struct(&CARD),
        },
        Variant {
            ident: "Cash",
            name: "Cash",
            doc: None,
            tag: 2,
            int_encoding: IntEncoding::Varint,
            title: None,
            validators: &[],
            payload: Payload::Struct(&CASH),
        },
        newtype("Voucher", Type::String),
        newtype("Points", Type::Int(IntKind::I64)),
        newtype("Token", Type::Fixed(8)),
    ],
};
pub(super) fn payment() -> &'static Model {
    &PAYMENT
}
pub(super) static PAYMENT: Model = Model {
    shape: Shape::Union(&PAYMENT_UNION),
    ..record("Payment", Some("com.acme.pay"), &[])
};

pub(super) fn pay_default() -> Literal {
    Literal::Variant(
        0,
        Box::new(Literal::Record(vec![(
            "number",
            Literal::String("4111".into()),
        )])),
    )
}
pub(super) fn pay_wrong_branch() -> Literal {
    Literal::Variant(2, Box::new(Literal::String("x".into())))
}
pub(super) static CHECKOUT: Model = record(
    "Checkout",
    Some("com.acme"),
    &[
        Field {
            default: Some(pay_default),
            ..field("payment", Type::Named(payment))
        },
        field("refund", Type::Option(&Type::Named(payment))),
        field("card", Type::Named(card)),
    ],
);
pub(super) static BAD_DEFAULT_BRANCH: Model = record(
    "BadBranch",
    None,
    &[Field {
        default: Some(pay_wrong_branch),
        ..field("p", Type::Named(payment))
    }],
);

#[test]
fn union_of_records() {
    let s = render(&PAYMENT).unwrap();
    let v = json_of(&s);
    assert_eq!(v[0]["name"], "Card");
    assert_eq!(
        v[1],
        serde_json::json!({"type": "record", "name": "Cash", "namespace": "com.acme.pay", "fields": []})
    );
    assert_eq!(v[2], "string");
    assert_eq!(v[3], "long");
    assert_eq!(
        v[4],
        serde_json::json!({"type": "fixed", "name": "Token", "namespace": "com.acme.pay", "size": 8})
    );
    assert_eq!(s.canonical_form(), s.schema().canonical_form());

    let s = render(&CHECKOUT).unwrap();
    let v = json_of(&s);
    let f = &v["fields"];
    assert_eq!(f[0]["type"][0]["name"], "Card");
    assert_eq!(f[0]["default"], serde_json::json!({"number": "4111"}));
    // Option of a union flattens; the records are referenced now.
    assert_eq!(
        f[1]["type"],
        serde_json::json!([
            "null",
            "com.acme.pay.Card",
            "com.acme.pay.Cash",
            "string",
            "long",
            "com.acme.pay.Token"
        ])
    );
    assert_eq!(f[1]["default"], Value::Null);
    assert_eq!(f[2]["type"], "com.acme.pay.Card");
    assert_eq!(s.canonical_form(), s.schema().canonical_form());

    assert!(matches!(
        render(&BAD_DEFAULT_BRANCH),
        Err(SchemaError::InvalidDefault { .. })
    ));
}

pub(super) static DUP_UNION: Union = Union {
    tagging: Tagging::External,
    variants: &[newtype("Name", Type::String), newtype("Id", Type::Uuid)],
};
pub(super) static DUP: Model = Model {
    shape: Shape::Union(&DUP_UNION),
    ..record("Dup", None, &[])
};
pub(super) static NESTED_UNION: Union = Union {
    tagging: Tagging::External,
    variants: &[
        newtype("Inner", Type::Named(payment)),
        newtype("Other", Type::Bool),
    ],
};
pub(super) static NESTED: Model = Model {
    shape: Shape::Union(&NESTED_UNION),
    ..record("Nested", None, &[])
};
pub(super) static OPT_UNION: Union = Union {
    tagging: Tagging::External,
    variants: &[newtype("Maybe", Type::Option(&Type::Bool))],
};
pub(super) static OPT_BRANCH: Model = Model {
    shape: Shape::Union(&OPT_UNION),
    ..record("OptBranch", None, &[])
};

#[test]
fn union_errors() {
    let reason = unrepresentable_reason(render(&DUP).unwrap_err());
    assert!(
        reason.contains("`Name`") && reason.contains("`Id`") && reason.contains("string"),
        "{reason}"
    );
    assert!(unrepresentable_reason(render(&NESTED).unwrap_err()).contains("union"));
    assert!(unrepresentable_reason(render(&OPT_BRANCH).unwrap_err()).contains("union"));
}

#[test]
fn avro_schema_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Avro>();
}

/// fastavro (the interop venv) parses a rendered schema, defaults included.
#[test]
fn fastavro_parses_rendered_schema_if_available() {
    let Some(python) = crate::test_tools::interop_python() else {
        return;
    };
    for m in [&SETTINGS, &CHECKOUT, &LOGICAL, &TICKET, &TREE] {
        let s = render(m).unwrap();
        let out = std::process::Command::new(&python)
            .args([
                "-c",
                "import sys, json, fastavro; fastavro.parse_schema(json.loads(sys.argv[1]))",
                s.json(),
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            m.rust_name,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn any_json_value_has_no_avro_form() {
    // Inside a list too: the error names the field, not the list.
    static M: Model = record(
        "Event",
        Some("com.acme"),
        &[
            field("id", Type::String),
            field("extras", Type::List(&Type::Any)),
        ],
    );
    match render(&M) {
        Err(SchemaError::Unrepresentable {
            format,
            record,
            field,
            ty,
            reason,
        }) => {
            assert_eq!((format, record, field), ("Avro", "Event", "extras"));
            assert_eq!(ty, "Vec<serde_json::Value>");
            assert!(reason.contains("any JSON value"), "{reason}");
        }
        other => panic!("expected Unrepresentable, got {other:?}"),
    }
}
