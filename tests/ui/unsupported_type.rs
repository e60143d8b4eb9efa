use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
struct Timer {
    name: String,
    elapsed: std::time::Duration,
}

fn main() {}
