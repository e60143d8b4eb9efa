use kafka_model::Record;
use serde::{Deserialize, Serialize};

// `min_properties`/`max_properties` count the properties of the JSON object serde writes for
// a struct with named fields: an enum, a tuple struct (an array) or a newtype (its inner value)
// has no such object.
#[derive(Record, Serialize, Deserialize)]
#[record(min_properties = 1)]
enum Shape {
    Circle { r: f64 },
    Square { side: f64 },
}

#[derive(Record, Serialize, Deserialize)]
#[record(max_properties = 2)]
struct Point(f64, f64);

#[derive(Record, Serialize, Deserialize)]
#[record(max_properties = 2)]
struct Wrapper(String);

// No object has at least 3 and at most 1 properties.
#[derive(Record, Serialize, Deserialize)]
#[record(min_properties = 3, max_properties = 1)]
struct Impossible {
    a: Option<i32>,
}

// A count, not a negative number.
#[derive(Record, Serialize, Deserialize)]
#[record(min_properties = -1)]
struct Negative {
    a: i32,
}

fn main() {}
