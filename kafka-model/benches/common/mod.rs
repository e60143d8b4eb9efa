//! The two payloads of GUIDE §6 (`Small`, `Order`), shared by `benches/codecs.rs` and
//! `benches/serdes.rs` (`mod common;`): the model types, as users write them (one type serves
//! our derive and every serde codec), and the values every bench measures.

use std::collections::BTreeMap;

use kafka_model::Record;
use serde::{Deserialize, Serialize};

/// The small payload: six scalar fields.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "bench")]
pub struct Small {
    pub id: i64,
    pub name: String,
    pub score: f64,
    pub active: bool,
    pub count: i32,
    pub tag: Option<String>,
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "bench")]
pub struct Customer {
    pub id: i64,
    pub email: String,
    pub country: String,
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "bench")]
pub struct Item {
    pub sku: String,
    pub qty: i32,
    pub price_cents: i64,
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
#[record(namespace = "bench")]
pub enum Status {
    Pending,
    Paid,
    Shipped,
}

/// The nested payload: a record, an array of records, a map, an optional and an enum.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "bench")]
pub struct Order {
    pub order_id: String,
    pub customer: Customer,
    pub items: Vec<Item>,
    pub attributes: BTreeMap<String, String>,
    pub created_at_ms: i64,
    pub note: Option<String>,
    pub status: Status,
}

/// The `Small` value every bench measures.
pub fn small() -> Small {
    Small {
        id: 1_234_567,
        name: "alice-sensor".into(),
        score: 98.25,
        active: true,
        count: 42,
        tag: Some("blue".into()),
    }
}

/// The `Order` value every bench measures.
pub fn order() -> Order {
    Order {
        order_id: "7f1c2a9e-3b4d-4e5f-8a6b-1c2d3e4f5a6b".into(),
        customer: Customer {
            id: 987_654_321,
            email: "jane.doe@example.com".into(),
            country: "NL".into(),
        },
        items: (0..5i32)
            .map(|i| Item {
                sku: format!("SKU-{:05}", 10_000 + i * 7),
                qty: 1 + i,
                price_cents: 1_999 + 250 * i64::from(i),
            })
            .collect(),
        attributes: [
            ("channel", "web"),
            ("coupon", "SPRING24"),
            ("gift", "false"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect(),
        created_at_ms: 1_718_000_000_123,
        note: None,
        status: Status::Paid,
    }
}
