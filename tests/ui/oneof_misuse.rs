use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
#[record(namespace = "acme")]
enum Body {
    Text(String),
    Count(u32),
}

// The members are numbered by the variants, not by the field.
#[derive(Record, Serialize, Deserialize)]
#[record(namespace = "acme")]
struct Numbered {
    #[record(oneof, tag = 4)]
    body: Body,
}

fn main() {}
