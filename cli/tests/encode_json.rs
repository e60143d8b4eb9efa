//! `kafka-model encode --json`: a machine-readable summary of the payload written.

use std::path::Path;
use std::process::Command;

#[test]
fn encode_json_summarises_the_payload() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("encode-json");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let schema = dir.join("s.avsc");
    let value = dir.join("v.json");
    let out = dir.join("p.bin");
    std::fs::write(&schema, r#""string""#).expect("write schema");
    std::fs::write(&value, r#""hi""#).expect("write value");
    let run = Command::new(env!("CARGO_BIN_EXE_kafka-model"))
        .args(["encode", "--json", "--schema-id", "7", "--schema"])
        .arg(&schema)
        .arg("--input")
        .arg(&value)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run encode");
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON on stdout");
    assert_eq!(summary["wire"], "confluent");
    assert_eq!(summary["schema_id"], 7);
    assert_eq!(summary["bytes"], 8);
    assert_eq!(summary["payload_hex"], "0000000007046869");
    assert_eq!(std::fs::read(&out).expect("payload").len(), 8);
}
