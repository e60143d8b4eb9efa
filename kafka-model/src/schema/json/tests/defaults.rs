use super::*;

// -----------------------------------------------------------------------------------------
// Defaults.

pub(super) fn default_of(
    ty: Type,
    options: FieldOptions,
    lit: fn() -> Literal,
) -> Result<Value, SchemaError> {
    let f: &'static Field = Box::leak(Box::new(Field {
        default: Some(lit),
        options,
        ..field("f", ty)
    }));
    let fields: &'static [Field] = std::slice::from_ref(f);
    let m: &'static Model = Box::leak(Box::new(model("D", Shape::Record(fields))));
    render(m).map(|s| s.value()["properties"]["f"]["default"].clone())
}

#[test]
fn defaults_as_serde_writes_them() {
    let d = |ty, lit| default_of(ty, OPTS, lit).expect("the default fits");
    assert_eq!(
        d(Type::Int(IntKind::U64), || Literal::Int(u64::MAX.into())),
        json!(u64::MAX)
    );
    assert_eq!(
        d(Type::Int(IntKind::I64), || Literal::Int(i64::MIN.into())),
        json!(i64::MIN)
    );
    assert_eq!(d(Type::Double, || Literal::Float(0.1)), json!(0.1));
    assert_eq!(
        d(Type::Float, || Literal::Float(f64::from(0.1f32))),
        json!(0.1)
    );
    assert_eq!(d(Type::Double, || Literal::Float(f64::NAN)), Value::Null);
    assert_eq!(
        d(Type::Bytes, || Literal::Bytes(b"hi".to_vec())),
        json!([104, 105])
    );
    assert_eq!(
        default_of(Type::Fixed(2), B64, || Literal::Bytes(b"hi".to_vec())).expect("fits"),
        json!("aGk=")
    );
    assert_eq!(
        d(Type::Option(&Type::Uuid), || Literal::Uuid(
            "67e55044-10b1-426f-9247-bb680e5fe0c8".into()
        )),
        json!("67e55044-10b1-426f-9247-bb680e5fe0c8")
    );
    assert_eq!(d(Type::Option(&Type::Uuid), || Literal::Null), Value::Null);
    assert_eq!(
        d(Type::Timestamp, || Literal::Timestamp {
            seconds: 1_700_000_000,
            nanos: 5_000_000
        }),
        json!("2023-11-14T22:13:20.005Z")
    );
    assert_eq!(d(Type::Date, || Literal::Date(19_782)), json!("2024-02-29"));
    assert_eq!(
        d(Type::Decimal, || Literal::Decimal {
            unscaled: 1250,
            scale: 2
        }),
        json!("12.50")
    );
    assert_eq!(
        d(Type::Map(&Type::List(&Type::String)), || Literal::Map(
            vec![("k".into(), Literal::List(vec![Literal::String("v".into())]))]
        )),
        json!({ "k": ["v"] })
    );
    assert_eq!(
        d(Type::Named(address), || Literal::Record(vec![
            ("street", Literal::String("Main".into())),
            ("zip", Literal::Null),
        ])),
        json!({ "street": "Main", "zip": null })
    );
    assert_eq!(d(Type::Named(status), || Literal::Enum(1)), json!("DONE"));

    fn ext() -> &'static Model {
        &EXT
    }
    fn int() -> &'static Model {
        &INT
    }
    fn adj() -> &'static Model {
        &ADJ
    }
    assert_eq!(
        d(Type::Named(ext), || Literal::Variant(
            0,
            Box::new(Literal::Record(vec![]))
        )),
        json!("Unit")
    );
    assert_eq!(
        d(Type::Named(ext), || Literal::Variant(
            1,
            Box::new(Literal::Int(5))
        )),
        json!({ "Num": 5 })
    );
    assert_eq!(
        d(Type::Named(ext), || Literal::Variant(
            3,
            Box::new(Literal::Record(vec![
                ("a", Literal::Int(1)),
                ("b", Literal::Null),
            ]))
        )),
        json!({ "Pair": { "a": 1, "b": null } })
    );
    assert_eq!(
        d(Type::Named(int), || Literal::Variant(
            0,
            Box::new(Literal::Null)
        )),
        json!({ "type": "Unit" })
    );
    assert_eq!(
        d(Type::Named(int), || {
            Literal::Variant(2, Box::new(Literal::Record(vec![("a", Literal::Int(1))])))
        }),
        json!({ "type": "Pair", "a": 1 })
    );
    assert_eq!(
        d(Type::Named(adj), || Literal::Variant(
            0,
            Box::new(Literal::Null)
        )),
        json!({ "t": "Unit" })
    );
    assert_eq!(
        d(Type::Named(adj), || Literal::Variant(
            1,
            Box::new(Literal::Int(2))
        )),
        json!({ "t": "Num", "c": 2 })
    );
}

#[test]
fn defaults_that_do_not_fit_are_errors() {
    let bad = |ty, lit| match default_of(ty, OPTS, lit) {
        Err(SchemaError::InvalidDefault {
            record: "D",
            field: "f",
            reason,
        }) => reason,
        other => panic!("expected InvalidDefault, got {other:?}"),
    };
    assert!(bad(Type::Int(IntKind::U8), || Literal::Int(256)).contains("out of the range"));
    assert!(bad(Type::Int(IntKind::U64), || Literal::Int(-1)).contains("out of the range"));
    assert!(bad(Type::String, || Literal::Int(1)).contains("does not fit `String`"));
    assert!(bad(Type::Fixed(4), || Literal::Bytes(vec![1])).contains("1 bytes"));
    assert!(bad(Type::Named(status), || Literal::Enum(9)).contains("no symbol number 9"));
    assert!(bad(Type::Named(address), || Literal::Record(vec![(
        "nope",
        Literal::Null
    )]))
    .contains("no field `nope`"));
    assert!(bad(Type::Timestamp, || Literal::Timestamp {
        seconds: 0,
        nanos: 2_000_000_000
    })
    .contains("not an instant"));
}

#[test]
fn formatting_helpers() {
    assert_eq!(
        format_timestamp(0, 0).as_deref(),
        Some("1970-01-01T00:00:00Z")
    );
    assert_eq!(
        format_timestamp(-1, 999_999_999).as_deref(),
        Some("1969-12-31T23:59:59.999999999Z")
    );
    assert_eq!(
        format_timestamp(86_399, 1_500_000_000).as_deref(),
        Some("1970-01-01T23:59:60.500Z")
    );
    assert_eq!(
        format_timestamp(1, 120_000).as_deref(),
        Some("1970-01-01T00:00:01.000120Z")
    );
    assert_eq!(format_date(-719_162), "0001-01-01");
    assert_eq!(format_date(2_932_897), "+10000-01-01");
    assert_eq!(format_date(-719_529), "-0001-12-31");
    assert_eq!(format_decimal(0, 0), "0");
    assert_eq!(format_decimal(0, 2), "0.00");
    assert_eq!(format_decimal(-5, 2), "-0.05");
    assert_eq!(format_decimal(123_456, 3), "123.456");
    assert_eq!(
        format_decimal(i128::MIN, 0),
        "-170141183460469231731687303715884105728"
    );
}

#[cfg(feature = "chrono")]
#[test]
fn timestamps_and_dates_match_chrono() {
    use chrono::{DateTime, NaiveDate};
    let cases: [(i64, u32); 9] = [
        (0, 0),
        (1_700_000_000, 1_000_000),
        (1_700_000_000, 1_000),
        (1_700_000_000, 1),
        (-62_135_596_800, 0),
        (-86_401, 999_000_000),
        (253_402_300_799, 999_999_999),
        (253_402_300_800, 0),
        (-62_167_219_201, 0),
    ];
    for (seconds, nanos) in cases {
        let dt = DateTime::from_timestamp(seconds, nanos).expect("valid instant");
        let lit = <DateTime<chrono::Utc> as crate::FieldType>::to_literal(&dt);
        let Literal::Timestamp { seconds, nanos } = lit else {
            panic!("{lit:?}")
        };
        assert_eq!(
            format_timestamp(seconds, nanos).map(Value::from),
            Some(to_json(&dt)),
            "{dt:?}"
        );
        let day = dt.date_naive();
        let Literal::Date(days) = <NaiveDate as crate::FieldType>::to_literal(&day) else {
            panic!("not a date")
        };
        assert_eq!(Value::from(format_date(i64::from(days))), to_json(&day));
    }
}

#[cfg(feature = "rust_decimal")]
#[test]
fn decimals_match_rust_decimal() {
    use rust_decimal::Decimal;
    for (unscaled, scale) in [
        (0, 0),
        (0, 5),
        (1250, 2),
        (-1250, 2),
        (-5, 3),
        (7, 0),
        (i64::MAX.into(), 28),
    ] {
        let d = Decimal::from_i128_with_scale(unscaled, scale);
        let Literal::Decimal { unscaled, scale } = <Decimal as crate::FieldType>::to_literal(&d)
        else {
            panic!("not a decimal")
        };
        assert_eq!(
            Value::from(format_decimal(unscaled, scale)),
            to_json(&d),
            "{d:?}"
        );
    }
}

#[test]
fn base64_fields_round_trip() {
    #[derive(Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Blob {
        #[serde(with = "b64")]
        data: Vec<u8>,
        #[serde(with = "b64")]
        digest: [u8; 3],
    }
    let blob = Blob {
        data: vec![0, 255, 7, 8],
        digest: *b"abc",
    };
    let json = to_json(&blob);
    assert_eq!(json, json!({ "data": "AP8HCA==", "digest": "YWJj" }));
    assert_eq!(
        serde_json::from_value::<Blob>(json).expect("reads back"),
        blob
    );
    let wrong_len = json!({ "data": "", "digest": "YWI=" });
    assert!(serde_json::from_value::<Blob>(wrong_len).is_err());
    let not_base64 = json!({ "data": "***", "digest": "YWJj" });
    assert!(serde_json::from_value::<Blob>(not_base64).is_err());
}

#[test]
fn f32_defaults_match_serde_json() {
    for x in [
        0.1f32,
        -1.5,
        1e20,
        f32::MAX,
        f32::MIN_POSITIVE,
        3.4028235e38,
        16_777_217.0,
    ] {
        let text = serde_json::to_string(&x).expect("finite");
        assert_eq!(f32_value(f64::from(x)).to_string(), text, "{x}");
    }
}
