use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
#[serde(untagged)]
enum Value {
    Text(String),
    Number(i64),
}

fn main() {}
