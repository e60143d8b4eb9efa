//! Golden tests: the exact schema text of representative models (field order, defaults, docs,
//! namespaces, tags). Run with `UPDATE_GOLDEN=1` to rewrite the files after an intended change,
//! then review the diff.

mod common;

use std::path::PathBuf;

use common::corpus::{Encodings, Ledger, Logical, Order, PaymentEvent, Renamed, TreeNode};
use kafka_model::Record;

fn golden_dir() -> PathBuf {
    common::tools::workspace_root().join("tests/golden")
}

fn check(file: &str, actual: &str) {
    let path = golden_dir().join(file);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().expect("has parent")).expect("mkdir golden");
        std::fs::write(&path, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_GOLDEN=1 to create it)",
            path.display()
        )
    });
    assert_eq!(
        actual, expected,
        "{file} differs from the golden file (UPDATE_GOLDEN=1 rewrites it)"
    );
}

fn golden<T: Record>(stem: &str) {
    check(
        &format!("{stem}.avsc"),
        T::schemas().avro().expect("avro").json(),
    );
    check(
        &format!("{stem}.schema.json"),
        T::schemas().json().expect("json schema").text(),
    );
    let proto = T::schemas().proto().expect("proto");
    for file in proto.files() {
        check(&format!("{stem}.proto/{}", file.name), &file.text);
    }
}

#[test]
fn order() {
    golden::<Order>("order");
}

#[test]
fn payment_event() {
    golden::<PaymentEvent>("payment_event");
}

#[test]
fn renamed() {
    golden::<Renamed>("renamed");
}

#[test]
fn logical() {
    golden::<Logical>("logical");
}

#[test]
fn encodings() {
    golden::<Encodings>("encodings");
}

#[test]
fn tree_node() {
    golden::<TreeNode>("tree_node");
}

#[test]
fn ledger() {
    golden::<Ledger>("ledger");
}
