// The message types. This file is compiled twice: into the library (`src/lib.rs`) and into
// the build script (`build.rs`), which exports their schemas at build time.

use std::collections::HashMap;

use kafka_model::Record;
use serde::{Deserialize, Serialize};

/// A customer order, as published on the `shop.orders` topic.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.shop")]
pub struct Order {
    /// The order's id.
    pub id: String,
    /// What was ordered.
    pub lines: Vec<OrderLine>,
    /// Where the order is.
    pub status: OrderStatus,
    /// Free-form labels.
    pub labels: HashMap<String, String>,
    /// A note from the customer, when there is one.
    pub note: Option<String>,
}

/// One line of an order.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.shop")]
pub struct OrderLine {
    /// The product.
    pub sku: String,
    /// How many.
    pub qty: i32,
    /// Unit price, in cents.
    pub price_cents: i64,
}

/// Where an order is.
#[derive(Record, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[record(namespace = "com.acme.shop")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OrderStatus {
    /// Placed, not paid.
    Pending,
    /// Paid.
    Paid,
    /// On its way.
    Shipped,
}

/// A payment for an order, as published on the `shop.payments` topic.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.shop")]
pub struct Payment {
    /// The order paid for.
    pub order_id: String,
    /// Amount, in cents.
    pub amount_cents: i64,
}
