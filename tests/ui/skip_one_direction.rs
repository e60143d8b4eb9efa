use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
struct Order {
    id: String,
    #[serde(skip_serializing)]
    secret: String,
}

fn main() {}
