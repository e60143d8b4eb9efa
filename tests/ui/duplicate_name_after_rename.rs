use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
struct Order {
    id: String,
    #[serde(rename = "id")]
    order_id: String,
}

fn main() {}
