use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
struct Order {
    #[record(pattern = "^[0-9]+$")]
    qty: i32,
}

fn main() {}
