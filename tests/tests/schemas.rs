//! Every corpus model's schemas are accepted by the reference tools: Avro by apache-avro,
//! fastavro and Apache avro (Python); `.proto` by protox and real protoc; JSON Schema by the
//! draft-07 metaschema, and it validates the JSON that `dumps()` wrote.

mod common;

use std::process::Command;

use common::corpus::cases;
use common::tools;
use kafka_model::schema::proto::CONFLUENT_META_PROTO;

#[test]
fn every_model_renders_every_schema() {
    let mut failures = Vec::new();
    for case in cases() {
        if let Err(e) = (case.avro)() {
            failures.push(format!("{} avro: {e}", case.name));
        }
        if let Err(e) = (case.proto)() {
            failures.push(format!("{} proto: {e}", case.name));
        }
        if let Err(e) = (case.json_schema)() {
            failures.push(format!("{} json schema: {e}", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "schemas failed to render:\n{}",
        failures.join("\n")
    );
    assert!(
        cases().len() >= 15,
        "the corpus must keep at least 15 models"
    );
}

#[test]
fn json_round_trips_through_dumps_and_loads() {
    for case in cases() {
        assert!((case.round_trips)(), "{}: loads(dumps(x)) != x", case.name);
    }
}

/// Writes each model's proto files (plus confluent/meta.proto) into its own directory.
fn write_proto_tree(name: &str) -> Vec<(String, std::path::PathBuf, String)> {
    let root = tools::scratch(name);
    let mut out = Vec::new();
    for case in cases() {
        let schema = (case.proto)().expect("proto renders");
        let dir = root.join(case.name);
        for file in schema.files() {
            let path = dir.join(&file.name);
            std::fs::create_dir_all(path.parent().expect("file has a parent")).expect("mkdir");
            std::fs::write(&path, &file.text).expect("write proto");
        }
        let meta = dir.join("confluent/meta.proto");
        std::fs::create_dir_all(meta.parent().expect("has parent")).expect("mkdir");
        std::fs::write(&meta, CONFLUENT_META_PROTO).expect("write meta.proto");
        out.push((case.name.to_string(), dir, schema.main().name.clone()));
    }
    out
}

#[test]
fn proto_compiles_with_protox() {
    for (name, dir, main) in write_proto_tree("protox") {
        let result = protox::Compiler::new([&dir]).and_then(|mut c| c.open_file(&main).map(|_| ()));
        if let Err(e) = result {
            panic!(
                "{name}: protox rejects {main}: {e:?}\n{}",
                std::fs::read_to_string(dir.join(&main)).unwrap_or_default()
            );
        }
    }
}

#[test]
fn proto_compiles_with_protoc() {
    let Some(protoc) = tools::protoc() else {
        return;
    };
    for (name, dir, main) in write_proto_tree("protoc") {
        let out = Command::new(&protoc)
            .arg("-I")
            .arg(&dir)
            .arg("--descriptor_set_out=/dev/null")
            .arg(&main)
            .output()
            .expect("run protoc");
        assert!(
            out.status.success(),
            "{name}: protoc rejects {main}:\n{}\n{}",
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(dir.join(&main)).unwrap_or_default()
        );
    }
}

#[test]
fn avro_and_json_schema_accepted_by_python_reference_libraries() {
    let Some(python) = tools::interop_python() else {
        return;
    };
    let dir = tools::scratch("python-schemas");
    for case in cases() {
        let avro = (case.avro)().expect("avro renders");
        std::fs::write(dir.join(format!("{}.avsc", case.name)), avro.json()).expect("write avsc");
        let json = (case.json_schema)().expect("json schema renders");
        std::fs::write(dir.join(format!("{}.schema.json", case.name)), json.text())
            .expect("write schema");
        std::fs::write(
            dir.join(format!("{}.sample.json", case.name)),
            (case.sample_json)(),
        )
        .expect("write sample");
    }
    let script = tools::workspace_root().join("tests/py/check_schemas.py");
    let out = tools::run(Command::new(python).arg(script).arg(&dir));
    let n = cases().len();
    assert!(
        out.contains(&format!("{} passed, 0 failed", 4 * n)),
        "unexpected checker output:\n{out}"
    );
}
