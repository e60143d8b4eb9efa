use kafka_model::Record;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

// An Avro union holds one array and one map branch at most: the error is on the second.
#[derive(Record, Serialize, Deserialize)]
enum Either {
    Names(Vec<String>),
    Counts(Vec<i64>),
}

#[derive(Record, Serialize, Deserialize)]
enum Lookup {
    Text(String),
    ByName(BTreeMap<String, i64>),
    ById(BTreeMap<i32, String>),
}

// A variant cannot hold an Option: a union cannot hold a union.
#[derive(Record, Serialize, Deserialize)]
enum Maybe {
    Some(Option<String>),
}

fn main() {}
