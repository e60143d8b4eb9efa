use std::collections::BTreeMap;

use kafka_model::Record;

// A borrowed map key: keys are decoded owned.
#[derive(Record, serde::Deserialize)]
struct Keys<'a> {
    #[serde(borrow)]
    by_name: BTreeMap<&'a str, i32>,
}

// An enum with a lifetime: borrowed views are structs.
#[derive(Record, serde::Deserialize)]
enum Shape<'a> {
    Named { name: &'a str },
}

// A type parameter beside the lifetime: still a generic type.
#[derive(Record, serde::Deserialize)]
struct Wrapper<'a, T> {
    name: &'a str,
    value: T,
}

// Validation needs a `Record`.
#[derive(Record, serde::Deserialize)]
#[record(validate)]
struct Checked<'a> {
    name: &'a str,
}

fn main() {}
