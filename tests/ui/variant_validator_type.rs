use kafka_model::Record;
use serde::{Deserialize, Serialize};

// A newtype variant's validator must fit the value's type: an integer has no length.
#[derive(Record, Serialize, Deserialize)]
#[serde(untagged)]
enum Code {
    Text(#[record(max_len = 8)] String),
    Number(#[record(max_len = 3)] i64),
}

fn main() {}
