use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
struct Price {
    amount: rust_decimal::Decimal,
}

fn main() {}
