use kafka_model::Record;
use serde::{Deserialize, Serialize};

// Every problem is reported in one compile, each at its own field.
#[derive(Record, Serialize, Deserialize)]
struct Order {
    #[record(tag = 0)]
    id: String,
    #[record(decimal(precision = 2, scale = 5))]
    price: rust_decimal::Decimal,
    #[record(tags = ["PII"], frobnicate)]
    email: String,
}

fn main() {}
