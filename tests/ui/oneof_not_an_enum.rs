use kafka_model::Record;
use serde::{Deserialize, Serialize};

// A oneof holds an enum with data, not a string.
#[derive(Record, Serialize, Deserialize)]
#[record(namespace = "acme")]
struct Command {
    #[record(oneof)]
    text: String,
}

fn main() {}
