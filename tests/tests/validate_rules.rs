//! Field validators: every rule, nested paths, every error reported together, redaction,
//! custom checks and reusable field types.

use std::collections::{BTreeMap, HashMap};

use kafka_model::validate::{Choice, Choices, Invalid, Rule, ValidationErrors};
use kafka_model::Record;
use serde::{Deserialize, Serialize};

fn errors<T: Record>(value: &T) -> ValidationErrors {
    value.validate().expect_err("expected validation errors")
}

fn lines(e: &ValidationErrors) -> Vec<String> {
    e.iter().map(ToString::to_string).collect()
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Numbers {
    #[record(min = 1, max = 10)]
    small: i32,
    #[record(min = -5)]
    signed: i64,
    #[record(min = 0.5, max = 99.5)]
    ratio: f64,
    #[record(max = 3)]
    float_int_limit: f32,
    #[record(choices = [1, 2, 3])]
    level: u8,
    #[record(choices = [0.25, 0.5])]
    share: f64,
}

fn good_numbers() -> Numbers {
    Numbers {
        small: 1,
        signed: -5,
        ratio: 0.5,
        float_int_limit: 3.0,
        level: 3,
        share: 0.5,
    }
}

#[test]
fn numbers_in_range_pass() {
    assert_eq!(good_numbers().validate(), Ok(()));
    let top = Numbers {
        small: 10,
        ratio: 99.5,
        ..good_numbers()
    };
    assert_eq!(top.validate(), Ok(()));
}

#[test]
fn number_rules_report_rule_limit_and_value() {
    let bad = Numbers {
        small: 11,
        signed: -6,
        ratio: 0.25,
        float_int_limit: 3.5,
        level: 4,
        share: 0.3,
    };
    let e = errors(&bad);
    assert_eq!(
        lines(&e),
        [
            "small: must be at most 10, got 11 [max]",
            "signed: must be at least -5, got -6 [min]",
            "ratio: must be at least 0.5, got 0.25 [min]",
            "float_int_limit: must be at most 3, got 3.5 [max]",
            "level: must be one of [1, 2, 3], got 4 [choices]",
            "share: must be one of [0.25, 0.5], got 0.3 [choices]",
        ]
    );
    let first = &e.errors()[0];
    assert_eq!(first.path, "small");
    assert_eq!(first.rule, Rule::Max);
    assert_eq!(first.limit.as_deref(), Some("10"));
    assert_eq!(first.value.as_deref(), Some("11"));
    assert!(!first.redacted);
}

#[test]
fn nan_fails_bounds() {
    let bad = Numbers {
        ratio: f64::NAN,
        ..good_numbers()
    };
    let e = errors(&bad);
    assert_eq!(e.len(), 2, "{e}");
    assert_eq!(e.errors()[0].rule, Rule::Min);
    assert_eq!(e.errors()[1].rule, Rule::Max);
}

#[derive(Record, Serialize, Deserialize, Debug, Clone)]
struct Texts {
    #[record(min_len = 2, max_len = 5)]
    code: String,
    #[record(non_empty)]
    name: String,
    #[record(choices = ["EUR", "USD"])]
    currency: String,
    #[record(pattern = r"^[a-z]+@[a-z]+\.[a-z]{2,}$")]
    email: String,
    #[record(max_len = 4)]
    blob: Vec<u8>,
    #[record(min_len = 1, max_len = 2)]
    tags: Vec<String>,
    #[record(non_empty)]
    labels: HashMap<String, String>,
    #[record(non_empty)]
    nickname: Option<String>,
    #[record(max_len = 3)]
    alias: Option<String>,
}

fn good_texts() -> Texts {
    Texts {
        code: "ab".into(),
        name: "n".into(),
        currency: "EUR".into(),
        email: "a@b.io".into(),
        blob: vec![1, 2, 3, 4],
        tags: vec!["x".into()],
        labels: HashMap::from([("k".into(), "v".into())]),
        nickname: Some("nick".into()),
        alias: None,
    }
}

#[test]
fn text_rules_pass() {
    assert_eq!(good_texts().validate(), Ok(()));
}

#[test]
fn string_length_counts_characters() {
    let t = Texts {
        code: "ééééé".into(),
        ..good_texts()
    };
    assert_eq!(t.validate(), Ok(()));
}

#[test]
fn text_rules_all_reported_together() {
    let bad = Texts {
        code: "abcdef".into(),
        name: String::new(),
        currency: "GBP".into(),
        email: "not an email".into(),
        blob: vec![0; 5],
        tags: vec![],
        labels: HashMap::new(),
        nickname: None,
        alias: Some("long".into()),
    };
    let e = errors(&bad);
    assert_eq!(
        lines(&e),
        [
            r#"code: must have at most 5 characters, got "abcdef" [max_len]"#,
            r#"name: must not be empty, got "" [non_empty]"#,
            r#"currency: must be one of ["EUR", "USD"], got "GBP" [choices]"#,
            r#"email: must match the pattern ^[a-z]+@[a-z]+\.[a-z]{2,}$, got "not an email" [pattern]"#,
            "blob: must have at most 4 bytes, got 5 bytes [max_len]",
            "tags: must have at least 1 entry, got 0 entries [min_len]",
            "labels: must not be empty, got 0 entries [non_empty]",
            "nickname: must not be empty, got null [non_empty]",
            r#"alias: must have at most 3 characters, got "long" [max_len]"#,
        ]
    );
    let rules: Vec<Rule> = e.iter().map(|e| e.rule).collect();
    assert_eq!(
        rules,
        [
            Rule::MaxLen,
            Rule::NonEmpty,
            Rule::Choices,
            Rule::Pattern,
            Rule::MaxLen,
            Rule::MinLen,
            Rule::NonEmpty,
            Rule::NonEmpty,
            Rule::MaxLen
        ]
    );
}

#[test]
fn long_values_are_shortened() {
    let bad = Texts {
        email: "x".repeat(200),
        ..good_texts()
    };
    let e = errors(&bad);
    let value = e.errors()[0].value.as_deref().unwrap();
    assert!(value.ends_with("\"..."), "{value}");
    assert!(value.len() < 80, "{value}");
}

// Nested records, lists, maps, options and boxes.

#[derive(Record, Serialize, Deserialize, Debug, Clone)]
struct Item {
    #[record(min_len = 1)]
    sku: String,
    #[record(min = 1, max = 100)]
    qty: i32,
}

#[derive(Record, Serialize, Deserialize, Debug, Clone)]
struct Customer {
    #[record(pattern = "@")]
    email: String,
}

#[derive(Record, Serialize, Deserialize, Debug, Clone)]
struct Order {
    #[record(non_empty)]
    order_id: String,
    customer: Customer,
    #[record(non_empty, max_len = 3)]
    items: Vec<Item>,
    #[record(choices = ["red", "blue"])]
    attributes: BTreeMap<String, String>,
    #[record(min = 0)]
    discounts: Vec<i32>,
    gift: Option<Box<Item>>,
    by_warehouse: HashMap<String, Item>,
}

fn good_order() -> Order {
    Order {
        order_id: "o-1".into(),
        customer: Customer {
            email: "a@b".into(),
        },
        items: vec![Item {
            sku: "A".into(),
            qty: 1,
        }],
        attributes: BTreeMap::from([("color".into(), "red".into())]),
        discounts: vec![0, 5],
        gift: None,
        by_warehouse: HashMap::new(),
    }
}

#[test]
fn nested_valid_order_passes() {
    assert_eq!(good_order().validate(), Ok(()));
}

#[test]
fn nested_paths() {
    let mut o = good_order();
    o.customer.email = "nobody".into();
    o.items = vec![
        Item {
            sku: "A".into(),
            qty: 1,
        },
        Item {
            sku: "B".into(),
            qty: 2,
        },
        Item {
            sku: String::new(),
            qty: 0,
        },
        Item {
            sku: "D".into(),
            qty: 101,
        },
    ];
    o.attributes.insert("size".into(), "L".into());
    o.discounts = vec![1, -1, 2, -3];
    o.gift = Some(Box::new(Item {
        sku: "G".into(),
        qty: 0,
    }));
    o.by_warehouse = HashMap::from([
        (
            "west".to_string(),
            Item {
                sku: "W".into(),
                qty: 0,
            },
        ),
        (
            "east".to_string(),
            Item {
                sku: "E".into(),
                qty: 500,
            },
        ),
    ]);
    let e = errors(&o);
    let paths: Vec<&str> = e.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "customer.email",
            "items",
            "items[2].sku",
            "items[2].qty",
            "items[3].qty",
            r#"attributes["size"]"#,
            "discounts[1]",
            "discounts[3]",
            "gift.qty",
            r#"by_warehouse["east"].qty"#,
            r#"by_warehouse["west"].qty"#,
        ],
        "{e}"
    );
    assert_eq!(e.errors()[1].rule, Rule::MaxLen);
    assert_eq!(e.errors()[1].value.as_deref(), Some("4 entries"));
}

// Sensitive fields: the value never appears.

#[derive(Record, Serialize, Deserialize, Debug)]
struct Payment {
    #[record(pattern = r"^\d{16}$", sensitive)]
    card: String,
    #[record(sensitive)]
    holder: Customer,
    #[record(min = 1)]
    cents: i64,
}

#[test]
fn sensitive_values_are_redacted() {
    let p = Payment {
        card: "4111-1111-1111-1111".into(),
        holder: Customer {
            email: "secret-name".into(),
        },
        cents: 0,
    };
    let e = errors(&p);
    let text = e.to_string();
    assert!(!text.contains("4111"), "{text}");
    assert!(!text.contains("secret"), "{text}");
    assert_eq!(
        lines(&e),
        [
            r"card: must match the pattern ^\d{16}$, got <redacted> [pattern]",
            "holder.email: must match the pattern @, got <redacted> [pattern]",
            "cents: must be at least 1, got 0 [min]",
        ]
    );
    assert!(e.errors()[0].redacted);
    assert_eq!(e.errors()[0].value, None);
    let json = serde_json::to_string(&e).unwrap();
    assert!(!json.contains("4111"), "{json}");
}

// Custom checks with `with = ...`.

fn even(v: &i32) -> Result<(), String> {
    if v % 2 == 0 {
        Ok(())
    } else {
        Err("must be even".into())
    }
}

fn not_admin(v: &str) -> Result<(), Invalid> {
    if v == "admin" {
        Err(Invalid::custom("is reserved").with_limit("admin"))
    } else {
        Ok(())
    }
}

mod checks {
    pub fn weekday(d: &chrono::NaiveDate) -> Result<(), &'static str> {
        use chrono::Datelike;
        if d.weekday().number_from_monday() <= 5 {
            Ok(())
        } else {
            Err("must be a weekday")
        }
    }
}

#[derive(Record, Serialize, Deserialize, Debug)]
struct Custom {
    #[record(with = even, min = 0)]
    count: i32,
    #[record(with = not_admin, sensitive)]
    user: String,
    #[record(with = checks::weekday)]
    day: chrono::NaiveDate,
}

#[test]
fn custom_checks() {
    let ok = Custom {
        count: 2,
        user: "bob".into(),
        day: chrono::NaiveDate::from_ymd_opt(2024, 1, 3).unwrap(),
    };
    assert_eq!(ok.validate(), Ok(()));
    let bad = Custom {
        count: -3,
        user: "admin".into(),
        day: chrono::NaiveDate::from_ymd_opt(2024, 1, 6).unwrap(),
    };
    let e = errors(&bad);
    assert_eq!(
        lines(&e),
        [
            "count: must be at least 0, got -3 [min]",
            "count: must be even, got -3 [custom]",
            "user: is reserved, got <redacted> [custom]",
            "day: must be a weekday, got 2024-01-06 [custom]",
        ]
    );
    assert_eq!(e.errors()[2].limit.as_deref(), Some("admin"));
}

// Reusable field types.

struct Currency;
impl Choices for Currency {
    const CHOICES: &'static [&'static str] = &["EUR", "USD"];
}

#[derive(Record, Serialize, Deserialize, Debug)]
struct Priced {
    currency: Choice<Currency>,
    #[record(with = Currency::check)]
    fallback: String,
    history: Vec<Choice<Currency>>,
    #[record(max_len = 3)]
    short: Choice<Currency>,
}

#[test]
fn reusable_field_types() {
    let p: Priced = serde_json::from_str(
        r#"{"currency":"GBP","fallback":"JPY","history":["EUR","CHF"],"short":"EUR"}"#,
    )
    .unwrap();
    let e = errors(&p);
    assert_eq!(
        lines(&e),
        [
            r#"currency: must be one of ["EUR", "USD"], got "GBP" [choices]"#,
            r#"fallback: must be one of ["EUR", "USD"], got "JPY" [choices]"#,
            r#"history[1]: must be one of ["EUR", "USD"], got "CHF" [choices]"#,
        ]
    );
    assert!(Choice::<Currency>::try_new("USD").is_ok());
    assert!(Choice::<Currency>::try_new("XXX").is_err());
    assert_eq!(&*Choice::<Currency>::new("EUR"), "EUR");
    // The reusable type is a plain string in every schema.
    let schema = Priced::schemas().json().unwrap().value().clone();
    assert_eq!(schema["properties"]["currency"]["type"], "string");
}

// Enums with data: variants' fields are validated under the variant's name.

#[derive(Record, Serialize, Deserialize, Debug)]
enum Event {
    Created {
        #[record(min_len = 3)]
        id: String,
    },
    Moved(Item),
    Deleted,
}

#[derive(Record, Serialize, Deserialize, Debug)]
struct Envelope {
    events: Vec<Event>,
}

#[test]
fn enum_variants() {
    let env = Envelope {
        events: vec![
            Event::Created { id: "x".into() },
            Event::Moved(Item {
                sku: "s".into(),
                qty: 0,
            }),
            Event::Deleted,
        ],
    };
    let e = errors(&env);
    let paths: Vec<&str> = e.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["events[0].Created.id", "events[1].Moved.qty"]);
}

// Dates, timestamps and decimals.

#[derive(Record, Serialize, Deserialize, Debug)]
struct Dated {
    #[record(min = "2020-01-01", max = "2030-12-31")]
    day: chrono::NaiveDate,
    #[record(min = "2020-01-01T00:00:00Z")]
    at: chrono::DateTime<chrono::Utc>,
    #[record(min = 0, max = "999.99", decimal(precision = 5, scale = 2))]
    price: rust_decimal::Decimal,
    #[record(min = "2020-01-01")]
    day_t: Option<time::Date>,
}

#[test]
fn dates_timestamps_decimals() {
    use std::str::FromStr;
    let ok = Dated {
        day: chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
        at: "2020-01-01T00:00:00Z".parse().unwrap(),
        price: rust_decimal::Decimal::from_str("999.99").unwrap(),
        day_t: None,
    };
    assert_eq!(ok.validate(), Ok(()));
    let bad = Dated {
        day: chrono::NaiveDate::from_ymd_opt(2031, 1, 1).unwrap(),
        at: "2019-12-31T23:59:59.5Z".parse().unwrap(),
        price: rust_decimal::Decimal::from_str("-0.01").unwrap(),
        day_t: Some(time::Date::from_calendar_date(2019, time::Month::June, 1).unwrap()),
    };
    let e = errors(&bad);
    assert_eq!(
        lines(&e),
        [
            "day: must be at most 2030-12-31, got 2031-01-01 [max]",
            "at: must be at least 2020-01-01T00:00:00Z, got 2019-12-31T23:59:59.5Z [min]",
            "price: must be at least 0, got -0.01 [min]",
            "day_t: must be at least 2020-01-01, got 2019-06-01 [min]",
        ]
    );
}

// Display and Serialize.

#[test]
fn display_and_serialize() {
    let bad = Numbers {
        small: 0,
        ..good_numbers()
    };
    let e = errors(&bad);
    assert_eq!(e.to_string(), "small: must be at least 1, got 0 [min]");
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"errors": [{
            "path": "small", "rule": "min", "limit": "1", "value": "0",
            "redacted": false, "message": "must be at least 1"
        }]})
    );
    let bad = Numbers {
        small: 0,
        level: 9,
        ..good_numbers()
    };
    assert_eq!(errors(&bad).to_string().lines().count(), 2);
}

#[test]
fn validators_are_in_the_model() {
    use kafka_model::model::{Constant, Validator};
    let fields = Numbers::model().fields();
    assert_eq!(
        fields[0].validators,
        &[
            Validator::Min(Constant::Int(1)),
            Validator::Max(Constant::Int(10))
        ]
    );
    let fields = Texts::model().fields();
    let Validator::Pattern(p) = fields[3].validators[0] else {
        panic!("{:?}", fields[3].validators)
    };
    assert_eq!((p.is_match)("a@b.io"), Some(true));
    assert_eq!((p.is_match)("nope"), Some(false));
    assert!(!fields[3].coerce);
}
