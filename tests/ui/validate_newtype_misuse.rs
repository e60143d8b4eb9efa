use kafka_model::Record;
use serde::{Deserialize, Serialize};

// Validators on a newtype's field are the value's own rules, written on the root of its JSON
// Schema: only a newtype that is a top-level Record (over a primitive, a list or a map) has
// one. `multiple_of` needs a step greater than 0, and a number to divide.
#[derive(Record, Serialize, Deserialize)]
struct Note(#[record(max_len = 3)] Option<String>);

#[derive(Record, Serialize, Deserialize)]
struct Step(#[record(multiple_of = 0)] i64);

#[derive(Record, Serialize, Deserialize)]
struct Name(#[record(multiple_of = 2)] String);

fn main() {}
