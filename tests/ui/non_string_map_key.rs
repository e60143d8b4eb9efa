use std::collections::HashMap;

use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
struct Counts {
    by_id: HashMap<i32, String>,
}

fn main() {}
