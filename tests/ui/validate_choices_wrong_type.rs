use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
struct Order {
    #[record(choices = [1, 2])]
    currency: String,
}

fn main() {}
