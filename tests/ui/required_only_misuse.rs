use kafka_model::Record;
use serde::{Deserialize, Serialize};

// `required_only` makes the field an extra property: a closed object has none.
#[derive(Record, Serialize, Deserialize)]
struct Closed {
    #[record(required_only)]
    trace: serde_json::Value,
}

// The field must always be present.
#[derive(Record, Serialize, Deserialize)]
#[record(open_content)]
struct Defaulted {
    #[serde(default)]
    #[record(required_only)]
    trace: serde_json::Value,
}

// Only any JSON value has no schema of its own.
#[derive(Record, Serialize, Deserialize)]
#[record(open_content)]
struct Typed {
    #[record(required_only)]
    trace: String,
}

fn main() {}
