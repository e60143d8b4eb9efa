use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
#[record(nmae = "Order")]
struct Order {
    id: String,
}

fn main() {}
