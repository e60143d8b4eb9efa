use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Person {
    first_name: String,
}

fn main() {}
