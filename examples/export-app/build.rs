// Exports the schemas of the models crate (a build-dependency) into `$OUT_DIR/schemas`; the
// binary embeds one with `include_str!`.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let Some(out) = std::env::var_os("OUT_DIR") else {
        panic!("cargo sets OUT_DIR for build scripts");
    };
    let dir = std::path::Path::new(&out).join("schemas");
    let exporter = kafka_model::export::Exporter::new(dir)
        .add_entries(kafka_model::export::models_of!(export_demo));
    if let Err(e) = exporter.write() {
        panic!("exporting the schemas of export-demo: {e}");
    }
}
