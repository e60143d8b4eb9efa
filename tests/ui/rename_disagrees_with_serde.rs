use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
struct Order {
    #[record(rename = "orderId")]
    order_id: String,
}

fn main() {}
