use std::collections::{BTreeMap, HashMap};

use kafka_model::Record;
use serde::Serialize;

// Protobuf map keys are strings, integers and bool: float, list and tuple keys are errors at
// the key. (No `Deserialize`: serde's own errors about `f64: Eq + Hash` would follow ours.)
#[derive(Record, Serialize)]
struct Readings {
    by_level: HashMap<f64, String>,
    by_path: BTreeMap<Vec<String>, u32>,
    by_pair: BTreeMap<(i32, i32), u32>,
}

fn main() {}
