use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
#[record(namespace = "com.acme")]
struct Card {
    last4: String,
}

// `Stored { .. }` becomes the record `com.acme.Card` (renamed), and `New` holds the record
// `com.acme.Card`: one Avro union, two types named `com.acme.Card`.
#[derive(Record, Serialize, Deserialize)]
#[record(namespace = "com.acme")]
enum Payment {
    New(Card),
    #[serde(rename = "Card")]
    Stored { token: String },
}

// Another namespace: no collision.
#[derive(Record, Serialize, Deserialize)]
#[record(namespace = "com.acme.other")]
enum Fine {
    New(Card),
    Card { token: String },
}

fn main() {}
