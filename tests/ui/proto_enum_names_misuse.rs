use kafka_model::Record;
use serde::{Deserialize, Serialize};

// `no_prefix` names the values of an enum without data: not a record's.
#[derive(Record, Serialize, Deserialize)]
#[record(no_prefix)]
struct Order {
    id: u32,
}

// Nor an enum with data's (its variants are oneof members).
#[derive(Record, Serialize, Deserialize)]
#[record(no_prefix)]
enum Body {
    Text(String),
}

// `proto_name` names an enum value: not a oneof member.
#[derive(Record, Serialize, Deserialize)]
enum Payload {
    #[record(proto_name = "TEXT")]
    Text(String),
}

// It must be a Protobuf identifier.
#[derive(Record, Serialize, Deserialize)]
enum Status {
    #[record(proto_name = "not-active")]
    Active,
}

fn main() {}
