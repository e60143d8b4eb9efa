//! Write direction: what our Avro codec writes is read back, byte for byte, by the reference
//! implementations (`interop/check_vectors.py`: fastavro, Apache avro, confluent-kafka,
//! apicurio-serdes, kafkit).

mod avro_support;
mod common;

use std::path::Path;
use std::process::Command;

use avro_support::{lit_json, Names};
use common::corpus::*;
use common::tools::{interop_dir, interop_python, run, scratch};
use kafka_model::Record;
use serde_json::json;

/// Writes one case folder in the vector format.
fn write_case<T: Record>(dir: &Path, name: &str, value: &T, confluent_id: Option<u32>) {
    let schema = T::schemas().avro().unwrap();
    let names = Names::of(schema.schema());
    let expected = lit_json(&value.to_literal(), schema.schema(), &names);
    let datum = value.to_avro().unwrap();
    let case_dir = dir.join(name);
    std::fs::create_dir_all(&case_dir).unwrap();
    std::fs::write(case_dir.join("schema.avsc"), schema.json()).unwrap();
    let (payload, case) = match confluent_id {
        Some(id) => {
            let mut p = vec![0u8];
            p.extend_from_slice(&id.to_be_bytes());
            p.extend_from_slice(&datum);
            (
                p,
                json!({"format": "avro", "wire": "confluent", "topic": "kafka-model.interop", "schema": "schema.avsc", "schema_id": id, "value": expected, "producer": "kafka-model avro codec"}),
            )
        }
        None => (
            datum,
            json!({"format": "avro", "wire": "raw", "schema": "schema.avsc", "value": expected, "producer": "kafka-model avro codec"}),
        ),
    };
    std::fs::write(case_dir.join("payload.bin"), payload).unwrap();
    std::fs::write(
        case_dir.join("case.json"),
        serde_json::to_vec_pretty(&case).unwrap(),
    )
    .unwrap();
}

fn sample<T: Record>(name: &str) -> T {
    let case = cases().into_iter().find(|c| c.name == name).unwrap();
    T::loads(&(case.sample_json)()).unwrap()
}

#[test]
fn reference_implementations_read_what_we_write() {
    let Some(python) = interop_python() else {
        return;
    };
    let dir = scratch("avro_interop_cases");
    write_case(&dir, "order", &order(), Some(41));
    write_case(&dir, "customer", &customer(), None);
    write_case(&dir, "item", &item(4), Some(42));
    write_case(&dir, "binary", &sample::<Binary>("Binary"), None);
    write_case(
        &dir,
        "optionals",
        &sample::<Optionals>("Optionals"),
        Some(43),
    );
    write_case(
        &dir,
        "collections",
        &sample::<Collections>("Collections"),
        None,
    );
    write_case(
        &dir,
        "payment_event",
        &sample::<PaymentEvent>("PaymentEvent"),
        Some(44),
    );
    write_case(&dir, "envelope", &sample::<Envelope>("Envelope"), None);
    write_case(&dir, "tree", &sample::<TreeNode>("TreeNode"), None);
    write_case(&dir, "logical", &sample::<Logical>("Logical"), Some(45));
    write_case(&dir, "renamed", &sample::<Renamed>("Renamed"), None);
    write_case(&dir, "settings", &sample::<Settings>("Settings"), None);
    write_case(&dir, "ledger", &sample::<Ledger>("Ledger"), Some(46));
    let out = run(Command::new(python)
        .arg(interop_dir().join("check_vectors.py"))
        .arg(&dir));
    assert!(out.contains("13 passed, 0 failed"), "{out}");
}
