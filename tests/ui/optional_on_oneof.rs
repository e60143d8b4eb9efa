use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
#[record(namespace = "acme")]
enum Body {
    Text(String),
}

// A oneof has no label: `optional` is for an Option field of a message.
#[derive(Record, Serialize, Deserialize)]
#[record(namespace = "acme")]
struct Outer {
    #[record(oneof, optional)]
    body: Option<Body>,
}

fn main() {}
