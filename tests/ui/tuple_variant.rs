use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
enum Shape {
    Point(i32, i32),
    Circle { r: f64 },
}

fn main() {}
