use kafka_model::Record;
use serde::{Deserialize, Serialize};

mod own {
    /// A record of the user's own, named like the standard `String`.
    #[derive(kafka_model::Record, serde::Serialize, serde::Deserialize)]
    pub struct String {
        pub code: std::string::String,
    }
}

use own::String;

// `id` is spelled `String`, so the derive would skip validating it as a standard scalar: the
// type must really be one.
#[derive(Record, Serialize, Deserialize)]
struct Order {
    id: String,
    qty: i32,
}

fn main() {}
