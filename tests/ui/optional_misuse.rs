use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
#[record(namespace = "acme")]
struct Inner {
    x: i32,
}

// `optional` declares an Option field's presence: this field is no Option.
#[derive(Record, Serialize, Deserialize)]
#[record(namespace = "acme")]
struct Outer {
    #[record(optional)]
    inner: Inner,
}

fn main() {}
