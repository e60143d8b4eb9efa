use std::collections::HashMap;

use kafka_model::Record;
use serde::{Deserialize, Serialize};

// Lists, maps and Options nest freely (Protobuf through wrapper messages), but an Option of an
// Option has no Avro form (a union cannot hold a union), also deep inside a collection; nor
// has an Option of `()` (["null", "null"]).
#[derive(Record, Serialize, Deserialize)]
struct Order {
    ok: Vec<Option<Vec<HashMap<String, Option<i64>>>>>,
    twice: Option<Option<String>>,
    deep: HashMap<String, Vec<Option<Option<i64>>>>,
    units: Vec<Option<()>>,
}

fn main() {}
