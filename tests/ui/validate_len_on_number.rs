use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
struct Order {
    #[record(max_len = 3)]
    qty: u32,
    #[record(min = 1.5)]
    count: i64,
}

fn main() {}
