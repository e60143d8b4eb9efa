use kafka_model::Record;
use serde::{Deserialize, Serialize};

// `rest` holds the items of a tuple struct's array after its other fields: on the last field
// of a tuple struct, a list, without validators.
#[derive(Record, Serialize, Deserialize)]
struct Named {
    #[record(rest)]
    items: Vec<i32>,
}

#[derive(Record, Serialize, Deserialize)]
struct NotLast(#[record(rest)] Vec<i32>, i32);

#[derive(Record, Serialize, Deserialize)]
struct Validated(i32, #[record(rest, max_len = 3)] Vec<i32>);

#[derive(Record, Serialize, Deserialize)]
struct NotAList(i32, #[record(rest)] i32);

// Without `rest` serde's derive reads the fields, so a default is serde's to say.
#[derive(Record, Serialize, Deserialize)]
struct RecordDefault(i32, #[record(default)] i32);

fn main() {}
