//! Reference tools for the unit tests (the integration tests have their own copy in
//! `tests/tests/common/tools.rs`). In CI (`CI` set) a missing tool fails the test; elsewhere the
//! test prints how to get it and skips that check.

use std::path::PathBuf;

/// The interop venv's python (fastavro, Apache avro, jsonschema): `$KAFKA_MODEL_INTEROP_PYTHON`,
/// else the repository's `interop/.venv`.
pub(crate) fn interop_python() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("KAFKA_MODEL_INTEROP_PYTHON") {
        return Some(PathBuf::from(p));
    }
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../interop/.venv/bin/python");
    if venv.is_file() {
        return Some(venv);
    }
    let how = "run `interop/setup_venv.sh` or set KAFKA_MODEL_INTEROP_PYTHON";
    if std::env::var_os("CI").is_some() {
        panic!("the interop Python venv is required in CI but was not found: {how}");
    }
    eprintln!("note: skipping the interop Python check: {how}");
    None
}
