use kafka_model::Record;
use serde::{Deserialize, Serialize};

// An enum value is always an int32 varint.
#[derive(Record, Serialize, Deserialize)]
enum Status {
    #[record(sint)]
    Active,
}

// A struct variant's fields take their own `sint`.
#[derive(Record, Serialize, Deserialize)]
enum Move {
    #[record(sint)]
    By { delta: i64 },
}

fn main() {}
