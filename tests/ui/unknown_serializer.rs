use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
#[record(serializer = "jsno")]
struct Order {
    id: String,
}

fn main() {}
