use std::collections::BTreeMap;

use kafka_model::Record;
use serde::{Deserialize, Serialize};

// `unique` is JSON Schema's `uniqueItems`: it applies to lists (map keys are unique anyway).
#[derive(Record, Serialize, Deserialize)]
struct Order {
    #[record(unique)]
    prices: BTreeMap<String, i64>,
}

fn main() {}
