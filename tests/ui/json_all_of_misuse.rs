use kafka_model::Record;
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize)]
struct Groups {
    // No group at all.
    #[record(json_all_of = [])]
    a: String,
    // An empty group.
    #[record(max_len = 3, json_all_of = [["type"], []])]
    b: String,
    // A keyword in two branches.
    #[record(max_len = 3, json_all_of = [["type", "maxLength"], ["maxLength"]])]
    c: String,
    // An annotation stays beside the `allOf`.
    /// Documented.
    #[record(json_all_of = [["type"], ["description"]])]
    d: String,
}

// A tuple struct's field is an array item, not a property.
#[derive(Record, Serialize, Deserialize)]
struct Pair(#[record(json_all_of = [["type"]])] String, i32);

fn main() {}
