use kafka_model::Record;
use serde::{Deserialize, Serialize};

// `parent` must name a `#[derive(Record)]` type.
#[derive(Record, Serialize, Deserialize)]
#[record(namespace = "acme", parent = std::time::Duration)]
struct InsideADuration {
    x: i32,
}

fn main() {}
