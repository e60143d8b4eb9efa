use kafka_model::Record;
use serde::{Deserialize, Serialize};

// A newtype is its inner type in every schema: it has no name of its own, and options belong
// on the field that holds it.
#[derive(Record, Serialize, Deserialize)]
#[serde(transparent)]
#[record(namespace = "com.acme")]
struct OrderId(#[record(sint)] i64);

fn main() {}
