use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
struct Order {
    #[record(tag = 2)]
    id: String,
    #[record(tag = 2)]
    qty: i32,
}

fn main() {}
