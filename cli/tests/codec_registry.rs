//! Runs the `kafka-model` binary's `decode`, `encode`, `register` and `check-registry`: every
//! case folder of `testdata/vectors` decoded and compared with its `case.json` value, the
//! encode → decode round trip (byte-exact where the encoding is canonical), and the registry
//! commands against the embedded server started in the test.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kafka_model::registry::{server, CompatibilityLevel, MemoryRegistry, SchemaRegistry};
use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kafka-model"))
}

/// The repository's `testdata/` (see its README for where each file came from).
fn testdata_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exited")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// One vector case folder.
struct Case {
    dir: PathBuf,
    name: String,
    json: Value,
}

impl Case {
    fn str(&self, key: &str) -> Option<&str> {
        self.json[key].as_str()
    }

    fn format(&self) -> &str {
        self.str("format").expect("format")
    }

    /// The `--wire` argument (`json` wire is plain bytes: `raw`).
    fn wire(&self) -> &str {
        match self.str("wire").expect("wire") {
            "json" => "raw",
            w => w,
        }
    }

    /// Schema options shared by decode and encode. `reader`: use the reader schema as the
    /// schema (for re-encoding what the reader saw).
    fn schema_args(&self, reader: bool) -> Vec<String> {
        let mut args = Vec::new();
        let schema = if reader {
            self.str("reader_schema").or(self.str("schema"))
        } else {
            self.str("schema")
        };
        if let Some(s) = schema {
            args.push("--schema".into());
            args.push(self.dir.join(s).display().to_string());
        }
        if self.format() == "json" {
            args.extend(["--format".into(), "json".into()]);
        }
        args.extend(["--wire".into(), self.wire().into()]);
        if self.str("field") == Some("key") {
            args.push("--key".into());
        }
        args
    }

    fn expected(&self) -> Value {
        let mut v = self.json["value"].clone();
        if self.json["faust_metadata"] == true {
            strip_faust(&mut v);
        }
        v
    }
}

fn cases() -> Vec<Case> {
    let root = testdata_dir().join("vectors");
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{root:?}: {e}"))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("case.json").is_file())
        .collect();
    entries.sort();
    for dir in entries {
        let text = std::fs::read_to_string(dir.join("case.json")).expect("case.json");
        let json: Value = serde_json::from_str(&text).expect("case json");
        let name = dir
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        out.push(Case { dir, name, json });
    }
    out
}

fn strip_faust(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.remove("__faust");
            m.values_mut().for_each(strip_faust);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_faust),
        _ => {}
    }
}

/// Equality in the convention's sense: floats compared bit for bit as doubles or after
/// rounding to binary32, timestamps as instants, `"NaN"` as any NaN.
fn same(expected: &Value, got: &Value) -> bool {
    match (expected, got) {
        (Value::Number(a), Value::Number(b)) => {
            if a == b {
                return true;
            }
            if a.is_f64() || b.is_f64() {
                let (x, y) = (
                    a.as_f64().unwrap_or(f64::NAN),
                    b.as_f64().unwrap_or(f64::NAN),
                );
                #[allow(clippy::cast_possible_truncation)]
                let rounded = (x as f32).to_bits() == (y as f32).to_bits();
                return x.to_bits() == y.to_bits() || rounded;
            }
            false
        }
        (Value::String(a), Value::String(b)) => {
            a == b
                || matches!(
                    (
                        chrono::DateTime::parse_from_rfc3339(a),
                        chrono::DateTime::parse_from_rfc3339(b)
                    ),
                    (Ok(x), Ok(y)) if x == y
                )
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(k, x)| b.get(k).is_some_and(|y| same(x, y)))
        }
        (a, b) => a == b,
    }
}

fn decode(case: &Case, reader: bool, payload: &Path, headers: Option<&Path>) -> Output {
    let mut cmd = bin();
    cmd.arg("decode").args(case.schema_args(reader));
    if !reader {
        if let Some(r) = case.str("reader_schema") {
            cmd.arg("--reader-schema").arg(case.dir.join(r));
        }
    }
    if let Some(h) = headers {
        cmd.arg("--headers").arg(h);
    }
    cmd.arg(payload).output().expect("run decode")
}

#[test]
fn decode_every_vector() {
    let cases = cases();
    let mut by_format = std::collections::BTreeMap::<String, usize>::new();
    let mut failures = Vec::new();
    for case in &cases {
        let headers = case.dir.join("headers.json");
        let headers = headers.is_file().then_some(headers);
        let out = decode(
            case,
            false,
            &case.dir.join("payload.bin"),
            headers.as_deref(),
        );
        if code(&out) != 0 {
            failures.push(format!(
                "{}: exit {}: {}",
                case.name,
                code(&out),
                text(&out)
            ));
            continue;
        }
        let mut got: Value = match serde_json::from_slice(&out.stdout) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{}: output is not JSON: {e}", case.name));
                continue;
            }
        };
        if case.json["faust_metadata"] == true {
            strip_faust(&mut got);
        }
        if same(&case.expected(), &got) {
            *by_format.entry(case.format().to_owned()).or_default() += 1;
        } else {
            failures.push(format!(
                "{}: expected {}\n  got {}",
                case.name,
                case.expected(),
                got
            ));
        }
    }
    let decoded: usize = by_format.values().sum();
    println!("decoded {decoded}/{} vectors ({by_format:?})", cases.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for wanted in [
        "avro_confluent_primitives",
        "avro_confluent_collections",
        "avro_confluent_nested",
        "proto_confluent_scalars",
        "proto_confluent_nested",
        "proto_confluent_maps",
    ] {
        assert!(cases.iter().any(|c| c.name == wanted), "{wanted} missing");
    }
    assert!(by_format.get("avro").copied().unwrap_or(0) >= 20);
    assert!(by_format.get("protobuf").copied().unwrap_or(0) >= 15);
}

/// Whether the encoding of a case is canonical enough to compare bytes: Avro maps and
/// Protobuf maps are written in key order, not the payload's.
fn byte_exact(case: &Case) -> bool {
    let schema = case
        .str("schema")
        .and_then(|s| std::fs::read_to_string(case.dir.join(s)).ok())
        .unwrap_or_default();
    case.str("reader_schema").is_none()
        && !schema.contains("\"map\"")
        && !schema.contains("map<")
        && case.format() != "json"
}

#[test]
fn encode_then_decode_round_trips_every_vector() {
    let dir = scratch("cli-encode");
    let (mut round_trips, mut exact) = (0, 0);
    let mut failures = Vec::new();
    for case in cases() {
        // What a reader with the case's (reader) schema sees.
        let expected = case.expected();
        let value_file = dir.join(format!("{}.json", case.name));
        write(&value_file, &expected.to_string());
        let out_file = dir.join(format!("{}.bin", case.name));
        let headers_file = dir.join(format!("{}.headers.json", case.name));
        let mut cmd = bin();
        cmd.arg("encode")
            .args(case.schema_args(true))
            .arg("--out")
            .arg(&out_file)
            .arg("--headers-out")
            .arg(&headers_file);
        if let Some(id) = case.json["schema_id"].as_u64() {
            cmd.arg("--schema-id").arg(id.to_string());
        }
        if let Some(id) = case.json["global_id"].as_i64() {
            cmd.arg("--global-id").arg(id.to_string());
        }
        if let Some(id) = case.json["content_id"].as_i64() {
            cmd.arg("--content-id").arg(id.to_string());
        }
        if let Some(m) = case.str("message_type") {
            cmd.arg("--message").arg(m);
        }
        // The value on stdin.
        let stdin = std::fs::File::open(&value_file).expect("value file");
        let out = cmd.stdin(stdin).output().expect("run encode");
        if code(&out) != 0 {
            failures.push(format!(
                "{}: encode exit {}: {}",
                case.name,
                code(&out),
                text(&out)
            ));
            continue;
        }
        let headers = headers_file.is_file().then_some(headers_file.as_path());
        let out = decode(&case, true, &out_file, headers);
        if code(&out) != 0 {
            failures.push(format!(
                "{}: decode exit {}: {}",
                case.name,
                code(&out),
                text(&out)
            ));
            continue;
        }
        let mut got: Value = serde_json::from_slice(&out.stdout).expect("json");
        strip_faust(&mut got);
        if !same(&expected, &got) {
            failures.push(format!("{}: round trip gave {got}", case.name));
            continue;
        }
        round_trips += 1;
        if byte_exact(&case) {
            let ours = std::fs::read(&out_file).expect("ours");
            let theirs = std::fs::read(case.dir.join("payload.bin")).expect("theirs");
            if ours != theirs {
                failures.push(format!("{}: bytes differ from payload.bin", case.name));
                continue;
            }
            if case.dir.join("headers.json").is_file() {
                let a: Value = serde_json::from_str(
                    &std::fs::read_to_string(case.dir.join("headers.json")).expect("h"),
                )
                .expect("json");
                let b: Value =
                    serde_json::from_str(&std::fs::read_to_string(&headers_file).expect("h"))
                        .expect("json");
                if a != b {
                    failures.push(format!("{}: headers {b} != {a}", case.name));
                    continue;
                }
            }
            exact += 1;
        }
    }
    println!("round trips: {round_trips}, byte-exact with payload.bin: {exact}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(exact >= 30, "only {exact} byte-exact");
}

#[test]
fn decode_errors_exit_2() {
    let dir = scratch("cli-decode-errors");
    let schema = dir.join("s.avsc");
    write(
        &schema,
        r#"{"type":"record","name":"R","fields":[{"name":"a","type":"long"}]}"#,
    );
    let payload = dir.join("p.bin");
    // Wrong magic byte for the Confluent wire.
    std::fs::write(&payload, [7u8, 0, 0, 0, 1, 2]).expect("write");
    let out = bin()
        .args(["decode", "--schema"])
        .arg(&schema)
        .arg(&payload)
        .output()
        .expect("run");
    assert_eq!(code(&out), 2, "{}", text(&out));
    // Truncated datum.
    std::fs::write(&payload, [0u8, 0, 0, 0, 1, 0x80]).expect("write");
    let out = bin()
        .args(["decode", "--schema"])
        .arg(&schema)
        .arg(&payload)
        .output()
        .expect("run");
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(text(&out).contains("truncated"), "{}", text(&out));
    // Trailing bytes.
    std::fs::write(&payload, [0u8, 0, 0, 0, 1, 2, 9]).expect("write");
    let out = bin()
        .args(["decode", "--schema"])
        .arg(&schema)
        .arg(&payload)
        .output()
        .expect("run");
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(text(&out).contains("trailing"), "{}", text(&out));
    // A good one, with the envelope.
    std::fs::write(&payload, [0u8, 0, 0, 0, 9, 2]).expect("write");
    let out = bin()
        .args(["decode", "--json", "--schema"])
        .arg(&schema)
        .arg(&payload)
        .output()
        .expect("run");
    assert_eq!(code(&out), 0, "{}", text(&out));
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["schema_id"], 9);
    assert_eq!(json["value"]["a"], 1);
    // A value that does not fit the schema.
    let out = bin()
        .args(["encode", "--schema-id", "1", "--schema"])
        .arg(&schema)
        .arg("--out")
        .arg(dir.join("o.bin"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            if let Some(mut stdin) = child.stdin.take() {
                stdin.write_all(br#"{"a": "x"}"#)?;
            }
            child.wait_with_output()
        })
        .expect("run");
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(text(&out).contains("at /a"), "{}", text(&out));
    for args in [
        &["decode", "--help"][..],
        &["encode", "--help"],
        &["register", "--help"],
        &["check-registry", "--help"],
    ] {
        assert_eq!(
            code(&bin().args(args).output().expect("run")),
            0,
            "{args:?}"
        );
    }
}

const V1: &str = r#"{"type":"record","name":"Order","namespace":"com.acme","fields":[
    {"name":"id","type":"string"},{"name":"qty","type":"int"}]}"#;
/// Adds a field with a default: BACKWARD and FORWARD compatible.
const V2: &str = r#"{"type":"record","name":"Order","namespace":"com.acme","fields":[
    {"name":"id","type":"string"},{"name":"qty","type":"int"},
    {"name":"note","type":["null","string"],"default":null}]}"#;
/// Changes `qty`'s type: incompatible both ways.
const V3: &str = r#"{"type":"record","name":"Order","namespace":"com.acme","fields":[
    {"name":"id","type":"string"},{"name":"qty","type":"string"}]}"#;
/// Drops `qty` (no default in the old schema): BACKWARD compatible, FORWARD not.
const V4: &str = r#"{"type":"record","name":"Order","namespace":"com.acme","fields":[
    {"name":"id","type":"string"}]}"#;

#[test]
fn register_and_check_registry_against_the_embedded_server() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let server = rt
        .block_on(server::serve(MemoryRegistry::new()))
        .expect("server");
    let url = server.url().to_owned();
    let dir = scratch("cli-registry");
    let files: Vec<PathBuf> = [("v1", V1), ("v2", V2), ("v3", V3), ("v4", V4)]
        .iter()
        .map(|(n, t)| {
            let p = dir.join(format!("{n}.avsc"));
            write(&p, t);
            p
        })
        .collect();
    let run = |args: &[&str], file: &Path| {
        bin()
            .args(args)
            .args(["--registry", &url])
            .arg(file)
            .output()
            .expect("run")
    };

    // A new subject is compatible; register v1 under orders-value.
    let out = run(&["check-registry", "--topic", "orders"], &files[0]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(
        text(&out).contains("orders-value is a new subject"),
        "{}",
        text(&out)
    );
    let out = run(&["register", "--topic", "orders"], &files[0]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(
        text(&out).contains("under orders-value: id"),
        "{}",
        text(&out)
    );

    // v2 is compatible at the default level (BACKWARD); v3 is not, with reasons.
    let out = run(&["check-registry", "--topic", "orders"], &files[1]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(text(&out).contains("level BACKWARD"), "{}", text(&out));
    let out = run(&["check-registry", "--topic", "orders"], &files[2]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(
        text(&out).contains("TYPE_MISMATCH at /fields/1/type"),
        "{}",
        text(&out)
    );

    // The subject's own level is used: v4 drops a field, fine BACKWARD, not FORWARD.
    let out = run(&["check-registry", "--topic", "orders"], &files[3]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    rt.block_on(
        server
            .registry()
            .set_config(Some("orders-value"), CompatibilityLevel::Forward),
    )
    .expect("set level");
    let out = run(
        &["check-registry", "--topic", "orders", "--json"],
        &files[3],
    );
    assert_eq!(code(&out), 1, "{}", text(&out));
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["compatible"], false);
    assert_eq!(json["schemas"][0]["level"], "FORWARD");
    assert_eq!(json["schemas"][0]["versions"], serde_json::json!([1]));
    assert_eq!(json["schemas"][0]["issues"][0]["version"], 1);
    let out = run(
        &["check-registry", "--topic", "orders", "--level", "BACKWARD"],
        &files[3],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));

    // The registry refuses v3 (FORWARD): exit 1; v2 registers as version 2.
    let out = run(&["register", "--topic", "orders"], &files[2]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(text(&out).contains("incompatible"), "{}", text(&out));
    let out = run(&["register", "--topic", "orders", "--json"], &files[1]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["schemas"][0]["version"], 2);

    // Record-name strategies; a missing topic is a usage error.
    let out = run(&["register", "--subject-strategy", "record"], &files[0]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(
        text(&out).contains("under com.acme.Order:"),
        "{}",
        text(&out)
    );
    let out = run(
        &[
            "register",
            "--subject-strategy",
            "topic-record",
            "--topic",
            "t",
        ],
        &files[0],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(
        text(&out).contains("under t-com.acme.Order:"),
        "{}",
        text(&out)
    );
    let out = run(&["register"], &files[0]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(text(&out).contains("needs --topic"), "{}", text(&out));

    // Protobuf with an import: the import is registered under its path and referenced.
    let proto = dir.join("proto");
    write(
        &proto.join("acme/common.proto"),
        "syntax = \"proto3\";\npackage acme;\nmessage Money { int64 cents = 1; }\n",
    );
    write(
        &proto.join("acme/orders.proto"),
        "syntax = \"proto3\";\npackage acme;\nimport \"acme/common.proto\";\n\
         message Order { string id = 1; Money total = 2; }\n",
    );
    let orders = proto.join("acme/orders.proto");
    let out = bin()
        .args(["register", "--topic", "payments", "-I"])
        .arg(&proto)
        .args(["--registry", &url])
        .arg(&orders)
        .output()
        .expect("run");
    assert_eq!(code(&out), 0, "{}", text(&out));
    let subjects = rt
        .block_on(server.registry().subjects(false))
        .expect("subjects");
    assert!(
        subjects.contains(&"acme/common.proto".to_owned()),
        "{subjects:?}"
    );
    assert!(
        subjects.contains(&"payments-value".to_owned()),
        "{subjects:?}"
    );
    // A breaking change to the message is found against the registered version.
    write(
        &proto.join("acme/orders.proto"),
        "syntax = \"proto3\";\npackage acme;\nimport \"acme/common.proto\";\n\
         message Order { int64 id = 1; Money total = 2; }\n",
    );
    let out = bin()
        .args(["check-registry", "--topic", "payments", "-I"])
        .arg(&proto)
        .args(["--registry", &url])
        .arg(&orders)
        .output()
        .expect("run");
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(
        text(&out).contains("FIELD_SCALAR_KIND_CHANGED"),
        "{}",
        text(&out)
    );

    // An unreachable registry is an error (exit 2).
    let out = bin()
        .args([
            "check-registry",
            "--topic",
            "orders",
            "--registry",
            "http://127.0.0.1:9",
        ])
        .arg(&files[0])
        .output()
        .expect("run");
    assert_eq!(code(&out), 2, "{}", text(&out));
    rt.block_on(server.shutdown());
}

/// Answers as some Confluent-API registries do: 40401 for the level of a subject with no
/// versions, and no "all versions" compatibility endpoint (404 without an error code).
async fn quirks(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{Method, StatusCode};
    use axum::response::IntoResponse;
    let path = req.uri().path().to_owned();
    if req.method() == Method::GET && path.starts_with("/config/") {
        return (
            StatusCode::NOT_FOUND,
            [("content-type", "application/json")],
            r#"{"error_code":40401,"message":"Subject not found."}"#,
        )
            .into_response();
    }
    if req.method() == Method::POST
        && path.starts_with("/compatibility/subjects/")
        && path.ends_with("/versions")
    {
        return StatusCode::NOT_FOUND.into_response();
    }
    next.run(req).await
}

#[test]
fn check_registry_on_a_registry_with_fewer_endpoints() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let registry = MemoryRegistry::new();
    let app = server::router(registry.clone()).layer(axum::middleware::from_fn(quirks));
    let server = rt
        .block_on(server::serve_router(
            std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
            app,
            registry,
        ))
        .expect("server");
    let url = server.url().to_owned();
    let dir = scratch("cli-quirky-registry");
    let v1 = dir.join("v1.json");
    let v2 = dir.join("v2.json");
    let v3 = dir.join("v3.json");
    let object = |props: &str| {
        format!(
            r#"{{"title":"Order","type":"object","properties":{{{props}}},"additionalProperties":false}}"#
        )
    };
    write(&v1, &object(r#""id":{"type":"string"}"#));
    write(
        &v2,
        &object(r#""id":{"type":"string"},"note":{"type":"string"}"#),
    );
    write(&v3, &object(r#""id":{"type":"integer"}"#));
    let run = |args: &[&str], file: &Path| {
        bin()
            .args(args)
            .args(["--registry", &url])
            .arg(file)
            .output()
            .expect("run")
    };

    // A subject with no versions is compatible, even when its level is a 40401.
    let out = run(&["check-registry", "--topic", "orders"], &v1);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(text(&out).contains("is a new subject"), "{}", text(&out));
    let out = run(&["register", "--topic", "orders"], &v1);
    assert_eq!(code(&out), 0, "{}", text(&out));

    // No "all versions" endpoint: the versions are checked one by one.
    let out = run(
        &["check-registry", "--topic", "orders", "--level", "BACKWARD"],
        &v2,
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    let out = run(
        &[
            "check-registry",
            "--topic",
            "orders",
            "--level",
            "BACKWARD",
            "--json",
        ],
        &v3,
    );
    assert_eq!(code(&out), 1, "{}", text(&out));
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    let messages = json["schemas"][0]["registry_messages"].to_string();
    assert!(
        messages.contains("version 1: TYPE_CHANGED at #/properties/id"),
        "{messages}"
    );
    rt.block_on(server.shutdown());
}

#[test]
fn register_finds_the_imports_of_an_exported_proto_in_its_parents() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let server = rt
        .block_on(server::serve(MemoryRegistry::new()))
        .expect("server");
    // As `export` writes them: package folders under one root, no -I given.
    let root = scratch("cli-register-exported-proto");
    write(
        &root.join("com/acme/common/money.proto"),
        "syntax = \"proto3\";\npackage com.acme.common;\nmessage Money { int64 cents = 1; }\n",
    );
    write(
        &root.join("com/acme/orders/order.proto"),
        "syntax = \"proto3\";\npackage com.acme.orders;\nimport \"com/acme/common/money.proto\";\n\
         message Order { string id = 1; com.acme.common.Money total = 2; }\n",
    );
    let out = bin()
        .args(["register", "--topic", "orders", "--registry", server.url()])
        .arg(root.join("com/acme/orders/order.proto"))
        .output()
        .expect("run");
    assert_eq!(code(&out), 0, "{}", text(&out));
    let subjects = rt
        .block_on(server.registry().subjects(false))
        .expect("subjects");
    assert!(
        subjects.contains(&"com/acme/common/money.proto".to_owned()),
        "{subjects:?}"
    );
    assert!(
        subjects.contains(&"orders-value".to_owned()),
        "{subjects:?}"
    );
    rt.block_on(server.shutdown());
}
