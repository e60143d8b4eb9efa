use kafka_model::Record;
use serde::{Deserialize, Serialize};

// `sint` on a oneof member holding no integer, and on an unsigned one.
#[derive(Record, Serialize, Deserialize)]
enum Change {
    #[record(sint)]
    Note(String),
    #[record(sint)]
    Count(u64),
}

fn main() {}
