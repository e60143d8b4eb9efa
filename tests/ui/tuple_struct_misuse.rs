use kafka_model::Record;
use serde::{Deserialize, Serialize};

// serde writes a tuple struct as an array by position: nothing may leave a value out, and its
// fields have no names to rename; there is no object to open.
#[derive(Record, Serialize, Deserialize)]
struct Point(
    i32,
    #[serde(skip_serializing_if = "Option::is_none")] Option<i32>,
    #[record(rename = "z")] i32,
);

#[derive(Record, Serialize, Deserialize)]
#[record(open_content)]
struct Pair(i32, i32);

fn main() {}
