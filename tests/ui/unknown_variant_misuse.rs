use kafka_model::Record;
use serde::{Deserialize, Serialize};

// The open-enum variant holds the raw number as an `i32`.
#[derive(Record, Serialize, Deserialize)]
#[record(namespace = "acme")]
enum Signal {
    Go,
    #[record(unknown)]
    Unknown(String),
}

// Only in an enum whose other variants carry no data.
#[derive(Record, Serialize, Deserialize)]
#[record(namespace = "acme")]
enum Event {
    Paid { cents: i64 },
    #[record(unknown)]
    Unknown(i32),
}

fn main() {}
