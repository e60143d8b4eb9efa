//! The schema-evolution gate: run in CI with `cargo test -p export-demo`.
//!
//! * `committed_schemas_are_compatible_and_up_to_date` fails when a change to the models breaks
//!   BACKWARD compatibility with the committed `schemas/` files, or when the committed files
//!   differ from what the code generates (printing the diff and the refresh command).
//! * The other tests show both failures happening, on scratch copies.

use std::path::{Path, PathBuf};

use export_demo::{Order, Payment};
use kafka_model::compat::Level;
use kafka_model::export::Exporter;

/// The refresh command the drift report prints.
const REFRESH: &str = "KAFKA_MODEL_UPDATE_SCHEMAS=1 cargo test -p export-demo --test schemas";

fn committed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas")
}

/// Every model of the crate (the linked `#[derive(Record)]` types).
fn exporter(dir: &Path) -> Exporter {
    // Name the types so the linker keeps them (and their registrations).
    let _ = (
        std::any::type_name::<Order>(),
        std::any::type_name::<Payment>(),
    );
    Exporter::new(dir).add_linked()
}

#[test]
fn committed_schemas_are_compatible_and_up_to_date() {
    // First compatibility (so refreshing cannot hide a breaking change), then drift.
    exporter(&committed()).assert_compatible(Level::Backward);
    exporter(&committed()).assert_up_to_date(REFRESH);
}

#[test]
fn the_build_script_exported_the_same_files() {
    let files = exporter(&committed()).files().expect("files");
    let avsc = files
        .get(Path::new("com.acme.shop.Order.avsc"))
        .expect("Order.avsc");
    assert_eq!(avsc, export_demo::ORDER_AVSC);
    assert!(files.contains_key(Path::new("com.acme.shop.Payment.avsc")));
    assert!(files.contains_key(Path::new("com.acme.shop.Order.proto/com/acme/shop.proto")));
}

/// A scratch copy of the committed files.
fn copy_of_committed(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    exporter(&dir).write().expect("write");
    dir
}

#[test]
fn drift_is_reported_with_a_diff_and_the_refresh_command() {
    let dir = copy_of_committed("export-demo-drift");
    let avsc = dir.join("com.acme.shop.Payment.avsc");
    let text = std::fs::read_to_string(&avsc).expect("read");
    std::fs::write(&avsc, text.replace("amount_cents", "amount")).expect("write");
    let report = exporter(&dir)
        .drift_report(REFRESH)
        .expect("check")
        .expect("drift");
    assert!(
        report.contains("changed: com.acme.shop.Payment.avsc"),
        "{report}"
    );
    assert!(
        report.contains("+      \"name\": \"amount_cents\","),
        "{report}"
    );
    assert!(
        report.ends_with(&format!("refresh them with: {REFRESH}\n")),
        "{report}"
    );
    if std::env::var_os("KAFKA_MODEL_UPDATE_SCHEMAS").is_none() {
        let panicked = std::panic::catch_unwind(|| exporter(&dir).assert_up_to_date(REFRESH));
        assert!(panicked.is_err());
    }
}

#[test]
fn a_breaking_change_fails_the_compatibility_check() {
    let dir = copy_of_committed("export-demo-breaking");
    // The committed Payment lacks `amount_cents`: the code adds it with no default, so a
    // reader with the code's schema cannot read data written with the committed one.
    let avsc = dir.join("com.acme.shop.Payment.avsc");
    std::fs::write(
        &avsc,
        r#"{"type":"record","name":"Payment","namespace":"com.acme.shop","fields":[{"name":"order_id","type":"string"}]}"#,
    )
    .expect("write");
    let reports = exporter(&dir)
        .check_compatible(Level::Backward)
        .expect("check");
    let payment = reports
        .iter()
        .find(|r| r.full_name == "com.acme.shop.Payment" && !r.report.compatible)
        .expect("an incompatible Payment report");
    assert_eq!(payment.report.issues[0].path, "/fields/1");
    let panicked = std::panic::catch_unwind(|| exporter(&dir).assert_compatible(Level::Backward));
    assert!(panicked.is_err());
}
