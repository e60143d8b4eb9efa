use kafka_model::Record;
use serde::{Deserialize, Serialize};

fn positive(v: &i64) -> Result<(), String> {
    if *v > 0 { Ok(()) } else { Err("must be positive".into()) }
}

#[derive(Record, Serialize, Deserialize)]
struct Order {
    #[record(with = positive)]
    qty: i32,
}

fn main() {}
