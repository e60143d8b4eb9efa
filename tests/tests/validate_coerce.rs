//! `#[record(coerce)]`: loosely typed JSON converted before serde reads it; strict by default.

use std::collections::BTreeMap;

use kafka_model::{CodecError, Record};
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(coerce)]
struct Loose {
    ratio: f64,
    small: f32,
    count: i32,
    tiny: u8,
    big: i64,
    flag: bool,
    label: String,
    at: chrono::DateTime<chrono::Utc>,
    day: chrono::NaiveDate,
    #[record(decimal(precision = 10, scale = 2))]
    price: rust_decimal::Decimal,
    maybe: Option<i32>,
    list: Vec<i32>,
    map: BTreeMap<String, bool>,
}

const STRICT: &str = r#"{"ratio":30.0,"small":1.5,"count":42,"tiny":7,"big":-9000000000,"flag":true,"label":"x",
"at":"2024-01-02T03:04:05Z","day":"2024-01-02","price":"12.50","maybe":null,"list":[1],"map":{"a":false}}"#;

fn with(key: &str, value: serde_json::Value) -> Vec<u8> {
    let mut v: serde_json::Value = serde_json::from_str(STRICT).unwrap();
    v[key] = value;
    serde_json::to_vec(&v).unwrap()
}

fn strict() -> Loose {
    Loose::loads(STRICT.as_bytes()).unwrap()
}

fn coerce_err(key: &str, value: serde_json::Value) -> kafka_model::validate::CoerceError {
    match Loose::loads(&with(key, value.clone())) {
        Err(CodecError::Coerce(e)) => e,
        other => panic!("{key} = {value}: expected a coercion error, got {other:?}"),
    }
}

#[test]
fn strict_input_is_unchanged() {
    let l = strict();
    assert_eq!(l.ratio, 30.0);
    assert_eq!(l.at.to_rfc3339(), "2024-01-02T03:04:05+00:00");
}

#[test]
fn numbers_from_strings() {
    use serde_json::json;
    let l = Loose::loads(&with("ratio", json!("30.0"))).unwrap();
    assert_eq!(l.ratio, 30.0);
    let l = Loose::loads(&with("small", json!(" 2.25 "))).unwrap();
    assert_eq!(l.small, 2.25);
    let l = Loose::loads(&with("count", json!("42"))).unwrap();
    assert_eq!(l.count, 42);
    let l = Loose::loads(&with("count", json!("-7"))).unwrap();
    assert_eq!(l.count, -7);
    let l = Loose::loads(&with("count", json!(42.0))).unwrap();
    assert_eq!(l.count, 42);
    let l = Loose::loads(&with("count", json!("42.0"))).unwrap();
    assert_eq!(l.count, 42);
    let l = Loose::loads(&with("big", json!("9223372036854775807"))).unwrap();
    assert_eq!(l.big, i64::MAX);
    let l = Loose::loads(&with("maybe", json!("5"))).unwrap();
    assert_eq!(l.maybe, Some(5));
    let l = Loose::loads(&with("list", json!(["1", 2, "3"]))).unwrap();
    assert_eq!(l.list, [1, 2, 3]);
}

#[test]
fn numbers_out_of_range_or_malformed() {
    use serde_json::json;
    let e = coerce_err("count", json!("2147483648"));
    assert_eq!(e.path, "count");
    assert_eq!(e.expected, "i32");
    assert_eq!(
        e.to_string(),
        "cannot coerce `count` to i32: \"2147483648\" is out of range -2147483648..=2147483647"
    );
    let e = coerce_err("tiny", json!(-1));
    assert_eq!(
        e.to_string(),
        "cannot coerce `tiny` to u8: -1 is out of range 0..=255"
    );
    let e = coerce_err("tiny", json!("256"));
    assert!(e.reason.contains("out of range"), "{e}");
    let e = coerce_err("count", json!("forty-two"));
    assert_eq!(e.reason, "\"forty-two\" is not an integer");
    let e = coerce_err("count", json!(4.5));
    assert_eq!(e.reason, "4.5 is not a whole number");
    let e = coerce_err("ratio", json!("thirty"));
    assert_eq!(e.reason, "\"thirty\" is not a number");
    let e = coerce_err("ratio", json!("NaN"));
    assert!(e.reason.contains("not a finite number"), "{e}");
    let e = coerce_err("small", json!("1e39"));
    assert!(e.reason.contains("out of range for f32"), "{e}");
    let e = coerce_err("list", json!([1, "x"]));
    assert_eq!(e.path, "list[1]");
    let e = coerce_err("big", json!("99999999999999999999999999999999999999999"));
    assert!(
        e.reason.contains("not an integer") || e.reason.contains("out of range"),
        "{e}"
    );
}

#[test]
fn booleans() {
    use serde_json::json;
    assert!(Loose::loads(&with("flag", json!("true"))).unwrap().flag);
    assert!(!Loose::loads(&with("flag", json!("FALSE"))).unwrap().flag);
    assert!(Loose::loads(&with("flag", json!(1))).unwrap().flag);
    let l = Loose::loads(&with("map", json!({"a": "true", "b": 0}))).unwrap();
    assert_eq!(
        l.map,
        BTreeMap::from([("a".into(), true), ("b".into(), false)])
    );
    let e = coerce_err("flag", json!("yes"));
    assert_eq!(e.reason, "\"yes\" is not \"true\" or \"false\"");
    let e = coerce_err("flag", json!(2));
    assert_eq!(e.reason, "2 is not 0 or 1");
    let e = coerce_err("map", json!({"x": "maybe"}));
    assert_eq!(e.path, r#"map["x"]"#);
}

#[test]
fn strings_from_scalars() {
    use serde_json::json;
    assert_eq!(Loose::loads(&with("label", json!(12))).unwrap().label, "12");
    assert_eq!(
        Loose::loads(&with("label", json!(true))).unwrap().label,
        "true"
    );
}

#[test]
fn timestamps() {
    use serde_json::json;
    let want: chrono::DateTime<chrono::Utc> = "2024-01-02T03:04:05.123Z".parse().unwrap();
    let ms = want.timestamp_millis();
    assert_eq!(Loose::loads(&with("at", json!(ms))).unwrap().at, want);
    assert_eq!(
        Loose::loads(&with("at", json!(ms.to_string()))).unwrap().at,
        want
    );
    assert_eq!(
        Loose::loads(&with("at", json!("2024-01-02 03:04:05.123")))
            .unwrap()
            .at,
        want
    );
    assert_eq!(
        Loose::loads(&with("at", json!("2024-01-02T05:04:05.123+02:00")))
            .unwrap()
            .at,
        want
    );
    let midnight: chrono::DateTime<chrono::Utc> = "2024-01-02T00:00:00Z".parse().unwrap();
    assert_eq!(
        Loose::loads(&with("at", json!("2024-01-02"))).unwrap().at,
        midnight
    );
    let before_epoch = Loose::loads(&with("at", json!(-1500))).unwrap().at;
    assert_eq!(before_epoch.timestamp_millis(), -1500);
    let e = coerce_err("at", json!("next tuesday"));
    assert_eq!(e.expected, "DateTime");
    assert!(e.reason.contains("ISO-8601"), "{e}");
    let e = coerce_err("at", json!(1.5));
    assert!(e.reason.contains("epoch milliseconds"), "{e}");
    let e = coerce_err("at", json!(i64::MAX));
    assert!(e.reason.contains("out of range"), "{e}");
    let e = coerce_err("at", json!("2024-02-30T00:00:00Z"));
    assert!(e.reason.contains("ISO-8601"), "{e}");
}

#[test]
fn dates() {
    use serde_json::json;
    let want = chrono::NaiveDate::from_ymd_opt(2024, 1, 2).unwrap();
    assert_eq!(
        Loose::loads(&with("day", json!("2024-01-02T23:00:00Z")))
            .unwrap()
            .day,
        want
    );
    let e = coerce_err("day", json!("02/01/2024"));
    assert!(e.reason.contains("ISO-8601 date"), "{e}");
}

#[test]
fn decimals() {
    use serde_json::json;
    use std::str::FromStr;
    let l = Loose::loads(&with("price", json!(12.5))).unwrap();
    assert_eq!(l.price, rust_decimal::Decimal::from_str("12.5").unwrap());
    let l = Loose::loads(&with("price", json!(7))).unwrap();
    assert_eq!(l.price, rust_decimal::Decimal::from(7));
    let l = Loose::loads(&with("price", json!(" 0.10 "))).unwrap();
    assert_eq!(l.price.to_string(), "0.10");
    let e = coerce_err("price", json!("12,50"));
    assert_eq!(e.reason, "\"12,50\" is not a decimal number");
}

// Strict by default; coercion per field; nested records coerce by their own attributes.

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
struct Inner {
    #[record(coerce)]
    qty: i32,
    strict: i32,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
struct Outer {
    count: i32,
    inner: Vec<Inner>,
}

#[test]
fn strict_by_default_and_per_field() {
    let o = Outer::loads(br#"{"count":1,"inner":[{"qty":"3","strict":4}]}"#).unwrap();
    assert_eq!(o.inner[0].qty, 3);
    // `count` and `strict` are strict: serde's own error.
    assert!(matches!(
        Outer::loads(br#"{"count":"1","inner":[]}"#),
        Err(CodecError::Json { .. })
    ));
    assert!(matches!(
        Outer::loads(br#"{"count":1,"inner":[{"qty":3,"strict":"4"}]}"#),
        Err(CodecError::Json { .. })
    ));
    let e = Outer::loads(br#"{"count":1,"inner":[{"qty":3,"strict":4},{"qty":"x","strict":4}]}"#)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot coerce `inner[1].qty` to i32: \"x\" is not an integer"
    );
    assert!(Outer::model().fields().iter().all(|f| !f.coerce));
    assert!(Inner::model().fields()[0].coerce);
    assert!(!Inner::model().fields()[1].coerce);
}

#[test]
fn malformed_json_is_a_json_error() {
    assert!(matches!(
        Loose::loads(b"{not json"),
        Err(CodecError::Json { .. })
    ));
    assert!(matches!(
        Loose::loads(b"[1, 2]"),
        Err(CodecError::Json { .. })
    ));
}

/// A coerced flattened map: its entries are the properties no field names.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
struct Tally {
    #[serde(alias = "label")]
    name: String,
    #[serde(flatten)]
    #[record(coerce)]
    counts: BTreeMap<String, u32>,
}

#[test]
fn flattened_map_entries_are_coerced() {
    let t = Tally::loads(br#"{"label":"7","apples":"3","pears":4}"#).unwrap();
    assert_eq!(
        t.name, "7",
        "a named field (by alias) is not one of the map's entries"
    );
    assert_eq!(t.counts, [("apples".into(), 3), ("pears".into(), 4)].into());
    let e = Tally::loads(br#"{"name":"n","apples":"-1"}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot coerce `apples` to u32: \"-1\" is out of range 0..=4294967295"
    );
}
