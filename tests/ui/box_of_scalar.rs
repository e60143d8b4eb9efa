// A `Box` is for recursion: a box of a record (or enum with data) is that message in Protobuf;
// a box of a scalar has no Protobuf form (one blanket impl serves every message).
use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
struct Node {
    label: Box<String>,
    next: Option<Box<Node>>,
}

fn main() {}
