use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
enum OrderStatus {
    #[record(tag = 0)]
    Unknown,
    Active,
}

fn main() {}
