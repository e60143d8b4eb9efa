use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
struct Order {
    #[record(tag = 19001)]
    id: String,
}

fn main() {}
