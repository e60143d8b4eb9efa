//! upb (the Python protobuf runtime in the interop venv) as the reference for our Protobuf bytes.
#![allow(dead_code)]

use std::process::Command;

use kafka_model::schema::Proto;
use serde_json::Value as Json;

use super::tools::{interop_python, protoc, run, scratch};

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of a lower-case hex string.
pub fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// For each case `(our bytes, the value in Protobuf's JSON mapping)`, upb parses our bytes as
/// `message` of `schema` (compiled by protoc into `scratch(name)`) and builds the value with
/// `json_format.ParseDict`: the two must be equal messages (so no unknown fields either).
/// Returns upb's serialization of each value, or `None` when protoc or the venv is missing
/// (outside CI).
pub fn upb_reads_and_writes(
    name: &str,
    schema: &Proto,
    message: &str,
    cases: &[(Vec<u8>, Json)],
) -> Option<Vec<Vec<u8>>> {
    let (python, protoc) = (interop_python()?, protoc()?);
    let dir = scratch(name);
    for f in schema.files() {
        let path = dir.join(&f.name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &f.text).unwrap();
    }
    run(Command::new(protoc)
        .arg(format!("-I{}", dir.display()))
        .arg(format!("--python_out={}", dir.display()))
        .args(schema.files().iter().map(|f| f.name.clone()))
        .current_dir(&dir));
    let cases: Vec<Json> = cases
        .iter()
        .map(|(bytes, value)| serde_json::json!({"bytes": hex(bytes), "value": value}))
        .collect();
    std::fs::write(dir.join("cases.json"), serde_json::to_vec(&cases).unwrap()).unwrap();
    let module = dir.join(schema.main().name.replace(".proto", "_pb2.py"));
    let script = r#"
import importlib.util, json, sys
from google.protobuf import json_format
spec = importlib.util.spec_from_file_location("schema_pb2", sys.argv[1])
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
Msg = getattr(mod, sys.argv[4])
out = []
for i, c in enumerate(json.load(open(sys.argv[2]))):
    ours = Msg.FromString(bytes.fromhex(c["bytes"]))
    expected = json_format.ParseDict(c["value"], Msg())
    if ours != expected:
        sys.exit(f"case {i}: ours {ours} expected {expected}")
    out.append(expected.SerializeToString().hex())
json.dump(out, open(sys.argv[3], "w"))
print(f"upb agreed on {len(out)} cases")
"#;
    let theirs_path = dir.join("theirs.json");
    let out = run(Command::new(python)
        .arg("-c")
        .arg(script)
        .arg(&module)
        .arg(dir.join("cases.json"))
        .arg(&theirs_path)
        .arg(message));
    assert!(
        out.contains(&format!("upb agreed on {} cases", cases.len())),
        "{out}"
    );
    let theirs: Vec<String> =
        serde_json::from_slice(&std::fs::read(&theirs_path).unwrap()).unwrap();
    assert_eq!(theirs.len(), cases.len());
    Some(theirs.iter().map(|t| unhex(t)).collect())
}
