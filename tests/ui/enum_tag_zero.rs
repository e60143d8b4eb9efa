use kafka_model::Record;
use serde::{Deserialize, Serialize};

// On an enum with data, `tag` is the variant's oneof field number: 0 is not one (on the
// symbols of an enum without data, 0 names the zero value and is fine).
#[derive(Record, Serialize, Deserialize)]
enum Payment {
    #[record(tag = 0)]
    Card { last4: String },
    Cash { currency: String },
}

fn main() {}
