//! A models crate set up as the README's "Schema evolution in CI" says: the message types are
//! marked `#[record(export)]`, their schemas are committed under `schemas/`, and
//! `tests/schemas.rs` fails `cargo test` when the committed files drift from the code, when a
//! change breaks BACKWARD compatibility with them, or when it finds no type to check.
//! `examples/export-app` is the binary-crate version, and exports this crate's schemas into
//! its `OUT_DIR` from `build.rs`.
//!
//! ```
//! use export_demo::Order;
//! use kafka_model::export::models_of;
//!
//! // The marked types; `OrderLine` and `OrderStatus` are exported inside `Order`'s files.
//! let names: Vec<String> = models_of!(export_demo).iter().map(|m| m.full_name()).collect();
//! assert_eq!(names, ["com.acme.shop.Order", "com.acme.shop.Payment"]);
//! ```

use std::collections::HashMap;

use kafka_model::Record;
use serde::{Deserialize, Serialize};

/// A customer order, as published on the `shop.orders` topic.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.shop", export)]
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
#[record(namespace = "com.acme.shop", export)]
pub struct Payment {
    /// The order paid for.
    pub order_id: String,
    /// Amount, in cents.
    pub amount_cents: i64,
}
