use kafka_model::Record;
use serde::{Deserialize, Serialize};

// `absent` keeps a position of a tuple struct's array that no array holds (a JSON Schema
// `false` item): a `()` field serde skips, after every present field, in a closed tuple, with
// no other `#[record]` attribute.
#[derive(Record, Serialize, Deserialize)]
struct Named {
    n: i32,
    #[record(absent)]
    #[serde(skip)]
    gone: (),
}

#[derive(Record, Serialize, Deserialize)]
struct NotSkipped(i32, #[record(absent)] ());

#[derive(Record, Serialize, Deserialize)]
struct NotUnit(i32, #[record(absent)] #[serde(skip)] u8);

#[derive(Record, Serialize, Deserialize)]
struct BeforePresent(i32, #[record(absent)] #[serde(skip)] (), i32);

#[derive(Record, Serialize, Deserialize)]
struct WithOthers(
    i32,
    #[record(absent, doc = "never")]
    #[serde(skip)]
    (),
    #[record(absent, max = 3)]
    #[serde(skip)]
    (),
);

// An open tuple: the `rest` list holds every item after the fields.
#[derive(Record, Serialize, Deserialize)]
struct AfterRest(
    i32,
    #[record(rest)] Vec<i32>,
    #[record(absent)]
    #[serde(skip)]
    (),
);

#[derive(Record, Serialize, Deserialize)]
enum InVariant {
    V {
        n: i32,
        #[record(absent)]
        #[serde(skip)]
        gone: (),
    },
}

fn main() {}
