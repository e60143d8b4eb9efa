use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[record(open_content)]
struct Order {
    id: String,
}

fn main() {}
