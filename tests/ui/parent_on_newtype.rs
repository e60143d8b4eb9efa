use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
#[record(namespace = "acme")]
struct Outer {
    x: i32,
}

// A newtype is written as its inner value: it has no message to declare inside `Outer`.
#[derive(Record, Serialize, Deserialize)]
#[record(parent = Outer)]
struct OrderId(String);

// `parent` takes a type path, not a string.
#[derive(Record, Serialize, Deserialize)]
#[record(parent = "Outer")]
struct Quoted {
    y: i32,
}

fn main() {}
