use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
struct Order {
    #[record(min = 10, max = 1)]
    qty: i32,
    #[record(min_len = 5, max_len = 2)]
    code: String,
    #[record(choices = ["a", 1])]
    kind: String,
    #[record(non_empty, non_empty)]
    name: String,
    #[record(min = "yesterday")]
    day: chrono::NaiveDate,
}

fn main() {}
