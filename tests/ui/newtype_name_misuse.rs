use kafka_model::Record;
use serde::{Deserialize, Serialize};

// `#[record(name)]` names the schema of a newtype that is a top-level Record (over a
// primitive, serde_json::Value, a list or a map). A newtype over anything else is its inner
// type in every schema, so there is no schema of its own to name.
#[derive(Record, Serialize, Deserialize)]
#[record(name = "order_id")]
struct OrderId(uuid::Uuid);

// The same for its JSON Schema `$id`.
#[derive(Record, Serialize, Deserialize)]
#[record(json_id = "https://acme.example/sku.json")]
struct Sku(uuid::Uuid);

fn main() {}
