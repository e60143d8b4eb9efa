use kafka_model::Record;
use serde::{Deserialize, Serialize};

// `fixed` needs a newtype over a byte array.
#[derive(Record, Serialize, Deserialize)]
#[record(fixed)]
struct NotBytes(Vec<u8>);

#[derive(Record, Serialize, Deserialize)]
#[record(fixed)]
struct Words([u16; 4]);

// Not on a record or an enum.
#[derive(Record, Serialize, Deserialize)]
#[record(fixed, namespace = "com.acme")]
struct Record1 {
    digest: [u8; 16],
}

#[derive(Record, Serialize, Deserialize)]
#[record(fixed)]
enum Kind {
    A,
    B,
}

// Twice.
#[derive(Record, Serialize, Deserialize)]
#[record(fixed, fixed)]
struct Twice([u8; 2]);

fn main() {}
