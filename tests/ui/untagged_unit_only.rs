use kafka_model::Record;
use serde::{Deserialize, Serialize};

// serde writes every unit variant of an untagged enum as `null`: nothing tells them apart.
#[derive(Record, Serialize, Deserialize)]
#[serde(untagged)]
enum Switch {
    On,
    Off,
}

fn main() {}
