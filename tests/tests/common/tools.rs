//! External reference tools the tests run: `protoc` and the interop Python venv (fastavro,
//! Apache avro, jsonschema). In CI (`CI` set) a missing tool fails the test; elsewhere the test
//! prints how to get it and returns.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The repository's test data (`testdata/`: interop vectors, compatibility verdicts; see its
/// README for where each file came from).
pub fn testdata_dir() -> PathBuf {
    workspace_root().join("testdata")
}

/// The repository's reference-check tooling (`interop/`: pinned requirements, venv setup, the
/// vector checker).
pub fn interop_dir() -> PathBuf {
    workspace_root().join("interop")
}

fn missing(what: &str, how: &str) -> Option<PathBuf> {
    if std::env::var_os("CI").is_some() {
        panic!("{what} is required in CI but was not found: {how}");
    }
    eprintln!("note: skipping the {what} check: {how}");
    None
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    })
}

/// `protoc`: `$PROTOC`, else on `PATH` (Debian package `protobuf-compiler`).
pub fn protoc() -> Option<PathBuf> {
    std::env::var_os("PROTOC")
        .map(PathBuf::from)
        .or_else(|| on_path("protoc"))
        .or_else(|| missing("protoc", "install Debian's protobuf-compiler or set PROTOC"))
}

/// The interop venv's python: `$KAFKA_MODEL_INTEROP_PYTHON`, else `interop/.venv`.
pub fn interop_python() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("KAFKA_MODEL_INTEROP_PYTHON") {
        return Some(PathBuf::from(p));
    }
    let default = interop_dir().join(".venv/bin/python");
    if default.is_file() {
        return Some(default);
    }
    missing(
        "interop Python venv",
        "run `interop/setup_venv.sh` (or `INTEROP_VENV=DIR interop/setup_venv.sh` and set KAFKA_MODEL_INTEROP_PYTHON=DIR/bin/python)",
    )
}

/// Runs a command; panics with its output if it fails.
pub fn run(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("could not start {cmd:?}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{cmd:?} failed:\n{text}");
    text
}

/// A fresh scratch directory under the target dir.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// Python's jsonschema (draft 7) checks each `(schema, good, bad)`: the schema is a valid
/// draft-7 schema, accepts `good` and rejects `bad` (so the schema is not vacuous). `name`
/// names the scratch folder. Returns without checking when the venv is missing (outside CI).
pub fn jsonschema_accepts(
    name: &str,
    cases: &[(serde_json::Value, serde_json::Value, serde_json::Value)],
) {
    let Some(python) = interop_python() else {
        return;
    };
    let path = scratch(name).join("cases.json");
    std::fs::write(&path, serde_json::to_vec(cases).unwrap()).unwrap();
    let script = "import json, sys, jsonschema\n\
                  cases = json.load(open(sys.argv[1]))\n\
                  for schema, good, bad in cases:\n\
                  \x20   jsonschema.Draft7Validator.check_schema(schema)\n\
                  \x20   jsonschema.Draft7Validator(schema).validate(good)\n\
                  \x20   assert not jsonschema.Draft7Validator(schema).is_valid(bad), bad\n\
                  print('valid', len(cases))\n";
    let out = run(Command::new(python).arg("-c").arg(script).arg(&path));
    assert!(out.contains(&format!("valid {}", cases.len())), "{out}");
}
