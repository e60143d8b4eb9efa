use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
struct Order {
    #[record(sint)]
    id: String,
}

fn main() {}
