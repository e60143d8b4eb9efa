use std::collections::BTreeMap;

use kafka_model::Record;
use serde::{Deserialize, Serialize};

// A flattened map holds the object's extra properties: one per record (serde gives every
// unknown property to the first), and no validators (JSON Schema constrains the properties one
// by one, through the map's value type).
#[derive(Record, Serialize, Deserialize)]
struct Product {
    sku: String,
    #[serde(flatten)]
    #[record(max_len = 3)]
    attributes: BTreeMap<String, String>,
    #[serde(flatten)]
    more: BTreeMap<String, i64>,
}

fn main() {}
