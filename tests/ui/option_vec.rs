use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
struct Order {
    items: Option<Vec<String>>,
}

fn main() {}
