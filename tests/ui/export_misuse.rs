use kafka_model::Record;
use serde::{Deserialize, Serialize};

// `export` is a flag: where and how to export is chosen by the exporter.
#[derive(Record, Serialize, Deserialize)]
#[record(namespace = "com.acme", export = "schemas/")]
struct Order {
    id: String,
}

// `export` marks a type, not a field.
#[derive(Record, Serialize, Deserialize)]
#[record(namespace = "com.acme")]
struct Payment {
    #[record(export)]
    id: String,
}

// Said twice.
#[derive(Record, Serialize, Deserialize)]
#[record(namespace = "com.acme", export, export)]
struct Refund {
    id: String,
}

fn main() {}
