use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
struct Event {
    #[record(timestamp = "nanos")]
    at: chrono::DateTime<chrono::Utc>,
}

fn main() {}
