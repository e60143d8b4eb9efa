//! Validation and coercion as a user sees them: `cargo run -p kafka-model-examples --example validation`.

use std::collections::BTreeMap;

use kafka_model::{CodecError, Record};
use serde::{Deserialize, Serialize};

/// One order line.
#[derive(Record, Serialize, Deserialize, Debug)]
#[record(namespace = "com.acme.orders")]
struct Line {
    #[record(pattern = "^[A-Z]{3}-[0-9]+$")]
    sku: String,
    #[record(min = 1, max = 100)]
    qty: i32,
}

/// A customer order, validated whenever it is encoded or decoded, and read leniently from
/// producers that write numbers as strings.
#[derive(Record, Serialize, Deserialize, Debug)]
#[record(namespace = "com.acme.orders", validate, coerce)]
struct Order {
    #[record(non_empty, max_len = 36)]
    order_id: String,
    #[record(pattern = "^[^@]+@[^@]+$", sensitive)]
    email: String,
    #[record(non_empty)]
    lines: Vec<Line>,
    #[record(choices = ["red", "green", "blue"])]
    attributes: BTreeMap<String, String>,
    #[record(min = 0.0)]
    total: f64,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let order = Order {
        order_id: String::new(),
        email: "jane.example.com".into(),
        lines: vec![
            Line {
                sku: "ABC-1".into(),
                qty: 2,
            },
            Line {
                sku: "abc".into(),
                qty: 0,
            },
        ],
        attributes: BTreeMap::from([("color".into(), "purple".into())]),
        total: -1.0,
    };

    // On demand: every problem at once, with its path.
    if let Err(errors) = order.validate() {
        println!("validate() found {} problems:\n{errors}\n", errors.len());
    }

    // With #[record(validate)], dumps refuses to write it.
    match order.dumps() {
        Err(CodecError::Validation(errors)) => {
            println!("dumps() refused: {} problems\n", errors.len())
        }
        other => println!("unexpected: {other:?}"),
    }

    // With #[record(coerce)], loosely typed JSON is accepted...
    let loose = br#"{"order_id":"o-1","email":"jane@example.com",
        "lines":[{"sku":"ABC-1","qty":2}],"attributes":{},"total":"19.90"}"#;
    let ok = Order::loads(loose)?;
    println!("loads() coerced \"19.90\" to {}\n", ok.total);

    // ...but what cannot be converted is a clear error naming the field.
    let bad = br#"{"order_id":"o-1","email":"jane@example.com","lines":[],"attributes":{},"total":"a lot"}"#;
    if let Err(e) = Order::loads(bad) {
        println!("loads() failed: {e}");
    }
    Ok(())
}
