use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
struct Order {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    lines: Vec<String>,
    // Fine: serde reads a missing Option as None, and the other field has a default.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    label: String,
}

fn main() {}
