//! Exports the schemas of every model into `$OUT_DIR/schemas` at build time (the library
//! embeds them with `include_str!`). The committed copy in `schemas/` is checked against the
//! code by `tests/schemas.rs`.

#[allow(dead_code)]
mod models {
    include!("src/models.rs");
}

fn main() {
    println!("cargo:rerun-if-changed=src/models.rs");
    println!("cargo:rerun-if-changed=build.rs");
    let Some(out) = std::env::var_os("OUT_DIR") else {
        panic!("cargo sets OUT_DIR for build scripts");
    };
    let dir = std::path::Path::new(&out).join("schemas");
    // Every `#[derive(Record)]` type linked into this build script: no hand-kept list.
    if let Err(e) = kafka_model::export::Exporter::new(&dir)
        .add_linked()
        .write()
    {
        panic!("exporting schemas: {e}");
    }
}
