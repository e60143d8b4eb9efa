//! The model corpus: every row of the GUIDE's type mapping and every derive attribute, each
//! with a sample value. The schema, golden and JSON tests all run over this one list.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use kafka_model::schema::{Avro, Json, Proto};
use kafka_model::{Record, SchemaError};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Every scalar type.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.corpus")]
pub struct Primitives {
    pub flag: bool,
    pub tiny: i8,
    pub small: i16,
    pub int: i32,
    pub long: i64,
    pub byte: u8,
    pub ushort: u16,
    pub uint: u32,
    pub ulong: u64,
    pub real: f32,
    pub double: f64,
    pub text: String,
}

/// Bytes in every form.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.corpus")]
pub struct Binary {
    pub data: Vec<u8>,
    pub shared: bytes::Bytes,
    pub digest: [u8; 16],
    /// Written as base64 in JSON.
    #[serde(with = "kafka_model::base64")]
    pub blob: Vec<u8>,
}

/// A customer, in another namespace than the order that uses it.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.common")]
pub struct Customer {
    pub id: i64,
    /// Contact address.
    #[record(tags = ["PII"])]
    pub email: String,
    pub country: String,
}

/// One line of an order.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.orders")]
pub struct Item {
    pub sku: String,
    pub qty: i32,
    pub price_cents: i64,
}

/// Where an order is in its life.
#[derive(Record, Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
#[record(namespace = "com.acme.orders")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OrderStatus {
    Pending,
    Paid,
    Shipped,
    /// What readers see for a status they do not know.
    #[serde(other)]
    Unknown,
}

/// A customer order.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.orders", aliases = ["com.acme.legacy.Order"])]
pub struct Order {
    /// The order's id (a UUID as text).
    pub order_id: String,
    pub customer: Customer,
    pub items: Vec<Item>,
    pub attributes: HashMap<String, String>,
    pub created_at_ms: i64,
    pub note: Option<String>,
    pub status: OrderStatus,
}

/// Optional values of every kind.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.corpus")]
pub struct Optionals {
    pub text: Option<String>,
    pub count: Option<i64>,
    pub customer: Option<Customer>,
    pub status: Option<OrderStatus>,
    pub payload: Option<Vec<u8>>,
}

/// Lists and maps.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.corpus")]
pub struct Collections {
    pub names: Vec<String>,
    pub scores: Vec<i32>,
    pub counters: HashMap<String, i64>,
    pub items_by_sku: BTreeMap<String, Item>,
    pub items: Vec<Item>,
    pub statuses: Vec<OrderStatus>,
}

/// Card details.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.payments")]
pub struct CardPayment {
    pub last4: String,
    pub amount_cents: i64,
}

/// What happened to a payment (externally tagged, serde's default).
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.payments")]
pub enum PaymentEvent {
    /// Paid by card.
    Card(CardPayment),
    /// Paid by bank transfer.
    BankTransfer { iban: String, amount_cents: i64 },
    /// Money returned.
    Refunded,
}

/// An internally tagged enum.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.payments")]
#[serde(tag = "type")]
pub enum Command {
    Capture(CardPayment),
    Cancel { reason: String },
    Ping,
}

/// An adjacently tagged enum with explicit oneof numbers.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.payments")]
#[serde(tag = "kind", content = "data")]
pub enum Envelope {
    #[record(tag = 10)]
    Text(String),
    #[record(tag = 11)]
    Number(i64),
    #[record(tag = 12)]
    Card(CardPayment),
}

/// A recursive tree.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.corpus")]
pub struct TreeNode {
    pub label: String,
    pub children: Vec<TreeNode>,
    pub parent: Option<Box<TreeNode>>,
}

/// Logical types.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.corpus")]
pub struct Logical {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    #[record(timestamp = "millis")]
    pub at_ms: DateTime<Utc>,
    pub day: NaiveDate,
    #[record(decimal(precision = 12, scale = 2))]
    pub amount: Decimal,
    #[serde(with = "time::serde::rfc3339")]
    pub seen: time::OffsetDateTime,
    pub due: Option<DateTime<Utc>>,
}

/// Protobuf integer encodings.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.corpus")]
pub struct Encodings {
    #[record(sint)]
    pub delta: i32,
    #[record(fixed)]
    pub hash: u64,
    #[record(sint)]
    pub deltas: Vec<i64>,
    #[record(fixed)]
    pub code: i32,
    #[record(fixed)]
    pub small: u32,
}

fn default_region() -> String {
    "eu-west-1".to_string()
}

/// Names, defaults, skips, aliases, tags and field numbers.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(
    namespace = "com.acme.corpus",
    name = "Account",
    doc = "An account, as the schemas see it."
)]
#[serde(rename_all = "camelCase")]
pub struct Renamed {
    /// The account id.
    #[record(tag = 5)]
    pub account_id: String,
    #[serde(rename = "displayName", alias = "name")]
    #[record(rename = "displayName")]
    pub display: String,
    #[serde(default)]
    pub retries: i32,
    #[serde(default = "default_region")]
    pub region: String,
    #[serde(skip)]
    pub cache: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[record(tags = ["PII", "CONTACT"], aliases = ["phone_number"])]
    pub phone: Option<String>,
    #[record(tag = 20, doc = "Free-form labels.")]
    pub labels: Vec<String>,
}

/// A struct whose missing fields come from its `Default`.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.corpus")]
#[serde(default)]
pub struct Settings {
    pub threshold: f64,
    pub enabled: bool,
    pub mode: OrderStatus,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            threshold: 0.5,
            enabled: true,
            mode: OrderStatus::Pending,
        }
    }
}

/// Rejects unknown JSON fields.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.corpus", serializer = "json")]
#[serde(deny_unknown_fields)]
pub struct Strict {
    pub a: i32,
}

/// Priority with an explicit Avro enum default and a re-exported crate path.
#[derive(Record, Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
#[record(
    namespace = "com.acme.corpus",
    crate = "kafka_model",
    doc = "How urgent."
)]
pub enum Priority {
    #[record(default, doc = "The usual.")]
    Low,
    #[record(tag = 5)]
    High,
}

/// A record without a namespace.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Plain {
    pub x: i32,
    pub status: OrderStatus,
}

/// An enum with data used as a field, next to an optional one.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.payments")]
pub struct Ledger {
    pub events: Vec<PaymentEvent>,
    pub last: Option<PaymentEvent>,
    pub envelope: Envelope,
}

/// One corpus entry: the schemas and a sample value's JSON.
pub struct Case {
    pub name: &'static str,
    pub avro: fn() -> Result<&'static Avro, SchemaError>,
    pub proto: fn() -> Result<&'static Proto, SchemaError>,
    pub json_schema: fn() -> Result<&'static Json, SchemaError>,
    /// `dumps()` of the sample.
    pub sample_json: fn() -> Vec<u8>,
    /// `loads(dumps(sample)) == sample`.
    pub round_trips: fn() -> bool,
}

macro_rules! case {
    ($t:ty, $sample:expr) => {
        Case {
            name: stringify!($t),
            avro: <$t as Record>::avro_schema,
            proto: <$t as Record>::proto_schema,
            json_schema: <$t as Record>::json_schema,
            sample_json: || {
                let v: $t = $sample;
                v.dumps().expect("sample encodes")
            },
            round_trips: || {
                let v: $t = $sample;
                let bytes = v.dumps().expect("sample encodes");
                <$t as Record>::loads(&bytes).expect("sample decodes") == v
            },
        }
    };
}

pub fn customer() -> Customer {
    Customer {
        id: 42,
        email: "ada@example.com".into(),
        country: "GB".into(),
    }
}

pub fn item(n: i32) -> Item {
    Item {
        sku: format!("SKU-{n}"),
        qty: n,
        price_cents: 199 * n as i64,
    }
}

pub fn order() -> Order {
    Order {
        order_id: "5b1c3e2a-9f1d-4a3b-8c2d-0e6f7a8b9c0d".into(),
        customer: customer(),
        items: (1..=5).map(item).collect(),
        attributes: [("channel", "web"), ("campaign", "spring"), ("gift", "no")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        created_at_ms: 1_717_171_717_000,
        note: None,
        status: OrderStatus::Paid,
    }
}

pub fn ts(secs: i64, nanos: u32) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, nanos)
        .single()
        .expect("valid timestamp")
}

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            Primitives,
            Primitives {
                flag: true,
                tiny: -8,
                small: -1600,
                int: i32::MIN,
                long: i64::MAX,
                byte: 255,
                ushort: 65535,
                uint: u32::MAX,
                ulong: u64::MAX,
                real: 1.5,
                double: -0.25,
                text: "héllo ✓".into(),
            }
        ),
        case!(
            Binary,
            Binary {
                data: vec![0, 1, 255],
                shared: bytes::Bytes::from_static(b"abc"),
                digest: [7; 16],
                blob: b"hi".to_vec(),
            }
        ),
        case!(Customer, customer()),
        case!(Item, item(3)),
        case!(OrderStatus, OrderStatus::Shipped),
        case!(Order, order()),
        case!(
            Optionals,
            Optionals {
                text: Some("x".into()),
                count: None,
                customer: Some(customer()),
                status: None,
                payload: Some(vec![1, 2]),
            }
        ),
        case!(
            Collections,
            Collections {
                names: vec!["a".into(), "b".into()],
                scores: vec![1, -2, 3],
                counters: [("x".to_string(), 1)].into_iter().collect(),
                items_by_sku: [("SKU-1".to_string(), item(1))].into_iter().collect(),
                items: vec![item(2)],
                statuses: vec![OrderStatus::Pending, OrderStatus::Unknown],
            }
        ),
        case!(
            CardPayment,
            CardPayment {
                last4: "4242".into(),
                amount_cents: 1000
            }
        ),
        case!(
            PaymentEvent,
            PaymentEvent::BankTransfer {
                iban: "DE89".into(),
                amount_cents: 5
            }
        ),
        case!(
            Command,
            Command::Cancel {
                reason: "late".into()
            }
        ),
        case!(
            Envelope,
            Envelope::Card(CardPayment {
                last4: "1111".into(),
                amount_cents: 1
            })
        ),
        case!(
            TreeNode,
            TreeNode {
                label: "root".into(),
                children: vec![TreeNode {
                    label: "leaf".into(),
                    children: vec![],
                    parent: None
                }],
                parent: None,
            }
        ),
        case!(
            Logical,
            Logical {
                id: Uuid::from_u128(0x5b1c3e2a_9f1d_4a3b_8c2d_0e6f7a8b9c0d),
                at: ts(1_700_000_000, 123_456_000),
                at_ms: ts(1_700_000_000, 123_000_000),
                day: NaiveDate::from_ymd_opt(2024, 2, 29).expect("valid date"),
                amount: Decimal::new(-12345, 2),
                seen: time::OffsetDateTime::from_unix_timestamp(1_700_000_000)
                    .expect("valid timestamp"),
                due: Some(ts(0, 0)),
            }
        ),
        case!(
            Encodings,
            Encodings {
                delta: -5,
                hash: u64::MAX,
                deltas: vec![-1, 1],
                code: -7,
                small: 9
            }
        ),
        case!(
            Renamed,
            Renamed {
                account_id: "acc-1".into(),
                display: "Ada".into(),
                retries: 3,
                region: "us-east-1".into(),
                cache: vec![],
                phone: Some("+44".into()),
                labels: vec!["vip".into()],
            }
        ),
        case!(Settings, Settings::default()),
        case!(Strict, Strict { a: 1 }),
        case!(
            Plain,
            Plain {
                x: 1,
                status: OrderStatus::Paid
            }
        ),
        case!(
            Ledger,
            Ledger {
                events: vec![
                    PaymentEvent::Card(CardPayment {
                        last4: "4242".into(),
                        amount_cents: 10
                    }),
                    PaymentEvent::Refunded,
                ],
                last: None,
                envelope: Envelope::Number(7),
            }
        ),
    ]
}
