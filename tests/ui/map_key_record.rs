use std::collections::BTreeMap;

use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
struct Sku {
    code: String,
}

// A record is no map key (its spelling cannot tell: the trait bound says it).
#[derive(Record, Serialize, Deserialize)]
struct Stock {
    by_sku: BTreeMap<Sku, u32>,
}

fn main() {}
