use super::*;

// --- logical types and decimals ---------------------------------------------------------

pub(super) fn ts_default() -> Literal {
    Literal::Timestamp {
        seconds: 1_700_000_000,
        nanos: 123_000_000,
    }
}
pub(super) fn ts_sub_milli() -> Literal {
    Literal::Timestamp {
        seconds: 1,
        nanos: 1_000,
    }
}
pub(super) fn date_default() -> Literal {
    Literal::Date(-3)
}
pub(super) fn uuid_default() -> Literal {
    Literal::Uuid("67e55044-10b1-426f-9247-bb680e5fe0c8".into())
}
pub(super) fn dec_default() -> Literal {
    // -1.5 at scale 1 => -150 at scale 2 => 0xff6a.
    Literal::Decimal {
        unscaled: -15,
        scale: 1,
    }
}
pub(super) fn dec_lossy() -> Literal {
    Literal::Decimal {
        unscaled: 1234,
        scale: 3,
    }
}
pub(super) fn dec_too_big() -> Literal {
    Literal::Decimal {
        unscaled: 10_000_000_000,
        scale: 0,
    }
}

pub(super) static LOGICAL: Model = record(
    "Logical",
    Some("com.acme"),
    &[
        Field {
            default: Some(ts_default),
            ..field("at_micros", Type::Timestamp)
        },
        Field {
            options: MILLIS,
            default: Some(ts_default),
            ..field("at_millis", Type::Timestamp)
        },
        Field {
            default: Some(date_default),
            ..field("on", Type::Date)
        },
        Field {
            default: Some(uuid_default),
            ..field("id", Type::Uuid)
        },
        Field {
            options: DEC_12_2,
            default: Some(dec_default),
            ..field("amount", Type::Decimal)
        },
        Field {
            options: MILLIS,
            ..field("maybe_at", Type::Option(&Type::Timestamp))
        },
        Field {
            options: DEC_12_2,
            ..field("amounts", Type::List(&Type::Decimal))
        },
    ],
);

#[test]
fn logical_types_millis_micros_and_decimal_default_bytes() {
    let s = render(&LOGICAL).unwrap();
    let v = json_of(&s);
    let f = &v["fields"];
    assert_eq!(
        f[0]["type"],
        serde_json::json!({"type": "long", "logicalType": "timestamp-micros"})
    );
    assert_eq!(f[0]["default"], 1_700_000_000_123_000i64);
    assert_eq!(
        f[1]["type"],
        serde_json::json!({"type": "long", "logicalType": "timestamp-millis"})
    );
    assert_eq!(f[1]["default"], 1_700_000_000_123i64);
    assert_eq!(
        f[2]["type"],
        serde_json::json!({"type": "int", "logicalType": "date"})
    );
    assert_eq!(f[2]["default"], -3);
    assert_eq!(
        f[3]["type"],
        serde_json::json!({"type": "string", "logicalType": "uuid"})
    );
    assert_eq!(f[3]["default"], "67e55044-10b1-426f-9247-bb680e5fe0c8");
    assert_eq!(
        f[4]["type"],
        serde_json::json!({"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2})
    );
    assert_eq!(f[4]["default"], "\u{ff}\u{6a}");
    assert_eq!(
        f[5]["type"][1],
        serde_json::json!({"type": "long", "logicalType": "timestamp-millis"})
    );
    assert_eq!(f[6]["type"]["items"]["precision"], 12);
    // Spec canonical form drops logicalType/precision/scale entirely.
    assert_eq!(
        s.canonical_form(),
        r#"{"name":"com.acme.Logical","type":"record","fields":[{"name":"at_micros","type":"long"},{"name":"at_millis","type":"long"},{"name":"on","type":"int"},{"name":"id","type":"string"},{"name":"amount","type":"bytes"},{"name":"maybe_at","type":["null","long"]},{"name":"amounts","type":{"type":"array","items":"bytes"}}]}"#
    );
    // apache_avro 0.22 keeps `{"type":"long"}` objects and decimal attributes (not the spec).
    assert_ne!(s.canonical_form(), s.schema().canonical_form());
}

pub(super) static NO_DECIMAL_SPEC: Model = record(
    "NoSpec",
    None,
    &[field("amount", Type::Option(&Type::Decimal))],
);
pub(super) static LOSSY_DECIMAL: Model = record(
    "Lossy",
    None,
    &[Field {
        options: DEC_12_2,
        default: Some(dec_lossy),
        ..field("amount", Type::Decimal)
    }],
);
pub(super) static BIG_DECIMAL: Model = record(
    "Big",
    None,
    &[Field {
        options: DEC_12_2,
        default: Some(dec_too_big),
        ..field("amount", Type::Decimal)
    }],
);
pub(super) static SUB_MILLI: Model = record(
    "SubMilli",
    None,
    &[Field {
        options: MILLIS,
        default: Some(ts_sub_milli),
        ..field("at", Type::Timestamp)
    }],
);

#[test]
fn decimal_and_timestamp_errors() {
    assert_eq!(
        unrepresentable_reason(render(&NO_DECIMAL_SPEC).unwrap_err()),
        "add #[record(decimal(precision = P, scale = S))]"
    );
    for m in [&LOSSY_DECIMAL, &BIG_DECIMAL, &SUB_MILLI] {
        assert!(
            matches!(render(m), Err(SchemaError::InvalidDefault { .. })),
            "{}",
            m.rust_name
        );
    }
}

#[test]
fn twos_complement_is_minimal() {
    assert_eq!(twos_complement(0), [0x00]);
    assert_eq!(twos_complement(1), [0x01]);
    assert_eq!(twos_complement(-1), [0xff]);
    assert_eq!(twos_complement(127), [0x7f]);
    assert_eq!(twos_complement(128), [0x00, 0x80]);
    assert_eq!(twos_complement(-128), [0x80]);
    assert_eq!(twos_complement(-129), [0xff, 0x7f]);
    assert_eq!(twos_complement(i128::MIN).len(), 16);
}

// --- option defaults ----------------------------------------------------------------------

pub(super) fn nick_default() -> Literal {
    Literal::String("anon".into())
}
pub(super) fn null_default() -> Literal {
    Literal::Null
}
pub(super) fn magic_default() -> Literal {
    Literal::Bytes(vec![0xff, 0x00])
}
pub(super) fn nan_default() -> Literal {
    Literal::Float(f64::NAN)
}
pub(super) fn meta() -> &'static Model {
    &META
}
pub(super) fn web() -> Literal {
    Literal::String("web".into())
}
pub(super) static META: Model = record(
    "Meta",
    Some("com.acme"),
    &[
        Field {
            default: Some(web),
            ..field("source", Type::String)
        },
        Field {
            default: Some(nick_default),
            ..field("owner", Type::Option(&Type::String))
        },
    ],
);
pub(super) fn meta_default() -> Literal {
    Literal::Record(vec![("owner", Literal::String("me".into()))])
}
pub(super) fn ids_default() -> Literal {
    Literal::List(vec![Literal::Int(1), Literal::Int(2)])
}
pub(super) fn ratio_default() -> Literal {
    Literal::Float(1.1f32 as f64)
}

pub(super) static SETTINGS: Model = record(
    "Settings",
    Some("com.acme"),
    &[
        field("comment", Type::Option(&Type::String)),
        Field {
            default: Some(null_default),
            ..field("explicit_null", Type::Option(&Type::String))
        },
        Field {
            default: Some(nick_default),
            ..field("nickname", Type::Option(&Type::String))
        },
        Field {
            default: Some(magic_default),
            ..field("magic", Type::Bytes)
        },
        Field {
            default: Some(meta_default),
            ..field("meta", Type::Named(meta))
        },
        Field {
            default: Some(ids_default),
            ..field("ids", Type::List(&Type::Int(IntKind::I64)))
        },
        Field {
            default: Some(ratio_default),
            ..field("ratio", Type::Float)
        },
    ],
);
pub(super) static NAN: Model = record(
    "NanDefault",
    None,
    &[Field {
        default: Some(nan_default),
        ..field("x", Type::Double)
    }],
);
pub(super) static OPT_OPT: Model = record(
    "OptOpt",
    None,
    &[field("x", Type::Option(&Type::Option(&Type::String)))],
);

#[test]
fn option_default_null_and_some_default_reorders() {
    let s = render(&SETTINGS).unwrap();
    let v = json_of(&s);
    let f = &v["fields"];
    assert_eq!(f[0]["type"], serde_json::json!(["null", "string"]));
    assert_eq!(f[0]["default"], Value::Null);
    assert!(f[0].as_object().unwrap().contains_key("default"));
    assert_eq!(f[1]["type"], serde_json::json!(["null", "string"]));
    assert_eq!(f[2]["type"], serde_json::json!(["string", "null"]));
    assert_eq!(f[2]["default"], "anon");
    assert_eq!(f[3]["default"], "\u{ff}\u{0}");
    // Nested record: missing field filled from its own default; `owner` is [string, null].
    assert_eq!(
        f[4]["type"]["fields"][1]["type"],
        serde_json::json!(["string", "null"])
    );
    assert_eq!(
        f[4]["default"],
        serde_json::json!({"source": "web", "owner": "me"})
    );
    assert_eq!(f[5]["default"], serde_json::json!([1, 2]));
    // f32 defaults are written in their shortest f32 form.
    assert!(s.json().contains("\"default\": 1.1\n"), "{}", s.json());
    assert!(s.json().contains(r#""default": "ÿ\u0000""#), "{}", s.json());

    assert!(matches!(
        render(&NAN),
        Err(SchemaError::InvalidDefault { .. })
    ));
    assert!(unrepresentable_reason(render(&OPT_OPT).unwrap_err()).contains("Option<Option<T>>"));
}
