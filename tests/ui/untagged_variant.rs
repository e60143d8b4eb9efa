use kafka_model::Record;
use serde::{Deserialize, Serialize};

// One untagged variant among tagged ones: the schemas describe one tagging per enum.
#[derive(Record, Serialize, Deserialize)]
enum Reading {
    Celsius(f64),
    #[serde(untagged)]
    Raw(String),
}

fn main() {}
