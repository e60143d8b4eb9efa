use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
struct Envelope<T> {
    payload: T,
}

fn main() {}
