use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
struct Inner {
    a: i32,
}

#[derive(Record, Serialize, Deserialize)]
struct Outer {
    #[serde(flatten)]
    inner: Inner,
}

fn main() {}
