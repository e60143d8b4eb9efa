use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
struct Order {
    #[record(pattern = "^[A-Z+$")]
    sku: String,
}

fn main() {}
