//! The schema-evolution gate, exactly as the README shows it: `cargo test -p export-demo`.

use kafka_model::compat::CompatibilityLevel;
use kafka_model::export::{models_of, Exporter};

#[test]
fn committed_schemas_are_compatible_and_up_to_date() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    // Every `#[record(export)]` type of the crate; none found is an error, not a pass.
    let exporter = Exporter::new(dir).add_entries(models_of!(export_demo));
    // A change that breaks BACKWARD compatibility with the committed files fails first; then
    // any difference from them fails, with a diff and the command that refreshes them.
    exporter.assert_gate(
        CompatibilityLevel::Backward,
        "KAFKA_MODEL_UPDATE_SCHEMAS=1 cargo test -p export-demo --test schemas",
    );
}
