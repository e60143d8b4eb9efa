use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
struct Point(i32, i32);

fn main() {}
