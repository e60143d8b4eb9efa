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

/// Python jsonschema's verdict on each `(schema, instance)` pair, in order: `true` when the
/// instance is valid. Each schema is first checked as a draft-07 schema (a malformed one fails
/// the test). `None` without the interop venv (outside CI, where its absence fails instead).
pub fn jsonschema_verdicts(
    name: &str,
    pairs: &[(serde_json::Value, serde_json::Value)],
) -> Option<Vec<bool>> {
    let python = interop_python()?;
    let path = scratch(name).join("pairs.json");
    std::fs::write(&path, serde_json::to_vec(pairs).unwrap()).unwrap();
    let script = "import json, sys, jsonschema\n\
                  for schema, instance in json.load(open(sys.argv[1])):\n\
                  \x20   jsonschema.Draft7Validator.check_schema(schema)\n\
                  \x20   v = jsonschema.Draft7Validator(schema).is_valid(instance)\n\
                  \x20   print('verdict', 'valid' if v else 'invalid')\n";
    let out = run(Command::new(python).arg("-c").arg(script).arg(&path));
    let verdicts: Vec<bool> = out
        .lines()
        .filter_map(|l| l.strip_prefix("verdict "))
        .map(|v| v == "valid")
        .collect();
    assert_eq!(verdicts.len(), pairs.len(), "{out}");
    Some(verdicts)
}

/// Asserts, with Python jsonschema, that each `(schema, good, bad)` case accepts `good` and
/// rejects `bad`.
pub fn jsonschema_accepts(
    name: &str,
    cases: &[(serde_json::Value, serde_json::Value, serde_json::Value)],
) {
    let pairs: Vec<_> = cases
        .iter()
        .flat_map(|(schema, good, bad)| {
            [
                (schema.clone(), good.clone()),
                (schema.clone(), bad.clone()),
            ]
        })
        .collect();
    let Some(verdicts) = jsonschema_verdicts(name, &pairs) else {
        return;
    };
    for ((_, instance), (valid, expected)) in pairs
        .iter()
        .zip(verdicts.iter().zip([true, false].iter().cycle()))
    {
        assert_eq!(valid, expected, "jsonschema verdict on {instance}");
    }
}
