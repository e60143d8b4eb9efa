use kafka_model::Record;
use serde::{Deserialize, Serialize};

// `title` titles a variant's JSON Schema branch: an enum of symbols is one string schema.
#[derive(Record, Serialize, Deserialize)]
enum Status {
    #[record(title = "on")]
    Active,
    Inactive,
}

#[derive(Record, Serialize, Deserialize)]
#[serde(untagged)]
enum Code {
    // A newtype variant's field takes validators only.
    Text(#[record(rename = "t")] String),
    // Validators must be well formed.
    Ratio(#[record(min = 2, max = 1)] f64),
}

fn main() {}
