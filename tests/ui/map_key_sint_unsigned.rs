use std::collections::HashMap;

use kafka_model::Record;
use serde::{Deserialize, Serialize};

// `sint` on a map applies to its integer key: an unsigned key has no zigzag encoding.
#[derive(Record, Serialize, Deserialize)]
struct Deltas {
    #[record(sint)]
    by_id: HashMap<u32, f64>,
}

fn main() {}
