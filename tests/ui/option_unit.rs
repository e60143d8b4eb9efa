use kafka_model::Record;
use serde::{Deserialize, Serialize};

// `()` is already Avro's null: an Option of it would be ["null", "null"].
#[derive(Record, Serialize, Deserialize)]
struct Ping {
    nothing: Option<()>,
}

fn main() {}
