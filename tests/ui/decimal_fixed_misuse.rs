use kafka_model::Record;
use serde::{Deserialize, Serialize};

// `fixed = N` bytes must hold `precision` digits: 4 bytes hold 9, 8 hold 18, 16 hold 38.
#[derive(Record, Serialize, Deserialize)]
struct TooSmall {
    #[record(decimal(precision = 10, scale = 2, fixed = 4))]
    price: rust_decimal::Decimal,
    #[record(decimal(precision = 19, scale = 0, fixed = 8))]
    big: kafka_model::decimal128::Decimal128,
    #[record(decimal(precision = 1, scale = 0, fixed = 0))]
    empty: rust_decimal::Decimal,
}

// Just right: no error.
#[derive(Record, Serialize, Deserialize)]
struct Fits {
    #[record(decimal(precision = 9, scale = 2, fixed = 4))]
    price: rust_decimal::Decimal,
    #[record(decimal(precision = 38, scale = 0, fixed = 16))]
    big: kafka_model::decimal128::Decimal128,
}

// An unknown key inside decimal(...).
#[derive(Record, Serialize, Deserialize)]
struct Unknown {
    #[record(decimal(precision = 9, scale = 2, size = 4))]
    price: rust_decimal::Decimal,
}

fn main() {}
