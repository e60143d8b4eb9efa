//! `kafka-model generate --registry`, on the embedded server started here: an Avro subject whose
//! record references a named type registered under another subject (which references a third),
//! a Protobuf subject importing a file registered under another subject (which imports a third,
//! and a well-known type), and a JSON Schema subject whose `$ref`s name another subject's. The
//! generated files are compiled in one nested crate whose `cargo test` runs each file's own
//! check (each root type renders its subject's schema) and a decode/re-encode of a datum the reference implementation writes (Apache Avro (Rust) with the
//! resolved schema; `protoc --encode` with the imported files).

#[path = "../../tests/tests/common/nested_crate.rs"]
mod nested_crate;

use std::path::Path;
use std::process::{Command, Output};

use kafka_model::registry::{
    server, ConfluentRegistry, MemoryRegistry, Schema, SchemaRegistry, SchemaWithDeps,
};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kafka-model"))
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

const ADDRESS: &str = r#"{"type":"record","name":"Address","namespace":"com.acme.common","fields":[{"name":"city","type":"string"},{"name":"zip","type":["null","string"],"default":null}]}"#;
const CUSTOMER: &str = r#"{"type":"record","name":"Customer","namespace":"com.acme.common","fields":[{"name":"id","type":"long"},{"name":"home","type":"Address"}]}"#;
const ORDER: &str = r#"{"type":"record","name":"Order","namespace":"com.acme.orders","fields":[{"name":"id","type":"string"},{"name":"customer","type":"com.acme.common.Customer"},{"name":"ship_to","type":["null","string"],"default":null}]}"#;

// The Protobuf chain: `(import name, subject, text)`, dependencies first, then the root.
const PROTO_ADDRESS: (&str, &str, &str) = (
    "acme/common/address.proto",
    "acme-address-proto",
    "syntax = \"proto3\";\npackage acme.common;\n\nmessage Address {\n  string city = 1;\n  optional string zip = 2;\n}\n",
);
const PROTO_CUSTOMER: (&str, &str, &str) = (
    "acme/common/customer.proto",
    "acme-customer-proto",
    "syntax = \"proto3\";\npackage acme.common;\n\nimport \"acme/common/address.proto\";\n\nmessage Customer {\n  int64 id = 1;\n  Address home = 2;\n}\n",
);
const PROTO_ORDER: &str = "syntax = \"proto3\";\npackage acme.orders;\n\nimport \"acme/common/customer.proto\";\nimport \"google/protobuf/timestamp.proto\";\n\nmessage Order {\n  string id = 1;\n  acme.common.Customer customer = 2;\n  google.protobuf.Timestamp placed_at = 3;\n  repeated string lines = 4;\n}\n";
const JSON_MEMBER: &str = r#"{"$schema":"http://json-schema.org/draft-07/schema#","title":"Member","type":"object","additionalProperties":false,"properties":{"id":{"type":"integer"},"nickname":{"type":["string","null"],"maxLength":40},"since":{"type":"string","format":"date-time"}},"required":["id","since"]}"#;
// A JSON Schema subject whose `$ref`s name the Member subject (registered as a reference).
const JSON_TEAM: &str = r#"{"$schema":"http://json-schema.org/draft-07/schema#","title":"Team","type":"object","additionalProperties":false,"properties":{"lead":{"$ref":"acme/member.json"},"members":{"type":"array","items":{"$ref":"acme/member.json"}}},"required":["lead","members"]}"#;
const PROTO_ORDER_TEXT: &str = r#"id: "o-1" customer { id: 42 home { city: "Ghent" zip: "9000" } } placed_at { seconds: 1700000000 nanos: 5 } lines: "a" lines: "b""#;

#[test]
fn generate_from_the_registry_follows_references_and_compiles() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let server = rt
        .block_on(server::serve(MemoryRegistry::new()))
        .expect("server");
    let url = server.url().to_owned();
    let client = ConfluentRegistry::new(url.clone()).expect("client");
    // Order → Customer (subject `acme-customer`) → Address (subject `acme-address`).
    let graph = SchemaWithDeps::new(Schema::avro(ORDER))
        .with_dependency(
            "com.acme.common.Customer",
            "acme-customer",
            Schema::avro(CUSTOMER),
        )
        .with_dependency(
            "com.acme.common.Address",
            "acme-address",
            Schema::avro(ADDRESS),
        );
    let reg = rt
        .block_on(client.register_with_references("orders-value", &graph, false))
        .expect("register");
    let stored = rt
        .block_on(client.schema_by_id(reg.id, None, None))
        .expect("by id");
    // Address is reached only through Customer's own reference: fetched recursively.
    assert_eq!(stored.references.len(), 1, "{stored:?}");
    assert_eq!(stored.references[0].subject, "acme-customer");
    let proto_graph = SchemaWithDeps::new(Schema::protobuf(PROTO_ORDER))
        .with_dependency(
            PROTO_CUSTOMER.0,
            PROTO_CUSTOMER.1,
            Schema::protobuf(PROTO_CUSTOMER.2),
        )
        .with_dependency(
            PROTO_ADDRESS.0,
            PROTO_ADDRESS.1,
            Schema::protobuf(PROTO_ADDRESS.2),
        );
    rt.block_on(client.register_with_references("orders-proto-value", &proto_graph, false))
        .expect("register the Protobuf chain");
    let team_graph = SchemaWithDeps::new(Schema::json(JSON_TEAM)).with_dependency(
        "acme/member.json",
        "members-value",
        Schema::json(JSON_MEMBER),
    );
    rt.block_on(client.register_with_references("teams-value", &team_graph, false))
        .expect("register the JSON Schema and its reference");

    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generate-registry");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch");
    nested_crate::write_workspace(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join(".."),
        &dir,
        "generated_registry",
    );
    let src = dir.join("generated_registry/src");
    let out = bin()
        .args(["generate", "--registry", &url, "--subject", "orders-value"])
        .args(["--version", "latest", "--out"])
        .arg(&src)
        .output()
        .expect("run");
    assert_eq!(code(&out), 0, "{}", text(&out));
    let log = text(&out);
    assert!(
        log.contains("orders-value version 1") && log.contains("2 referenced schema(s)"),
        "{log}"
    );
    assert!(log.contains("com::acme::orders::Order"), "{log}");
    let generated = std::fs::read_to_string(src.join("kafka_model_avro.rs")).expect("written");
    for needle in [
        "pub customer: super::common::Customer,",
        "pub home: Address,",
        "pub ship_to: Option<String>,",
    ] {
        assert!(generated.contains(needle), "no {needle:?} in:\n{generated}");
    }
    // The same file from stdout, and by version number.
    let again = bin()
        .args(["generate", "--registry", &url, "--subject", "orders-value"])
        .args(["--version", "1"])
        .output()
        .expect("run");
    assert_eq!(code(&again), 0, "{}", text(&again));
    assert_eq!(String::from_utf8_lossy(&again.stdout), generated);

    // A datum written by Apache Avro with the subject's schema and its references.
    let schemas =
        apache_avro::Schema::parse_list([ADDRESS, CUSTOMER, ORDER]).expect("parse the three");
    let order = &schemas[2];
    let value = apache_avro::types::Value::Record(vec![
        ("id".into(), apache_avro::types::Value::String("o-1".into())),
        (
            "customer".into(),
            apache_avro::types::Value::Record(vec![
                ("id".into(), apache_avro::types::Value::Long(42)),
                (
                    "home".into(),
                    apache_avro::types::Value::Record(vec![
                        (
                            "city".into(),
                            apache_avro::types::Value::String("Ghent".into()),
                        ),
                        (
                            "zip".into(),
                            apache_avro::types::Value::Union(
                                1,
                                Box::new(apache_avro::types::Value::String("9000".into())),
                            ),
                        ),
                    ]),
                ),
            ]),
        ),
        (
            "ship_to".into(),
            apache_avro::types::Value::Union(0, Box::new(apache_avro::types::Value::Null)),
        ),
    ]);
    let datum = apache_avro::writer::datum::GenericDatumWriter::builder(order)
        .schemata(schemas.iter().collect())
        .expect("schemata")
        .build()
        .expect("writer")
        .write_value_to_vec(value)
        .expect("write datum");
    std::fs::write(src.join("order.bin"), &datum).expect("write");

    // The Protobuf subject: imports followed through two subjects, the well-known Timestamp
    // left to the generator's bundled copy.
    let out = bin()
        .args([
            "generate",
            "--registry",
            &url,
            "--subject",
            "orders-proto-value",
            "--out",
        ])
        .arg(&src)
        .output()
        .expect("run");
    assert_eq!(code(&out), 0, "{}", text(&out));
    let log = text(&out);
    assert!(
        log.contains("orders-proto-value version 1") && log.contains("2 referenced schema(s)"),
        "{log}"
    );
    let generated = std::fs::read_to_string(src.join("kafka_model_proto.rs")).expect("written");
    for needle in [
        "pub struct Order",
        "pub struct Customer",
        "pub struct Address",
    ] {
        assert!(generated.contains(needle), "no {needle:?} in:\n{generated}");
    }
    std::fs::write(src.join("order_proto.bin"), protoc_encode()).expect("write");

    // A JSON Schema subject whose `$ref`s name another subject's schema.
    let out = bin()
        .args([
            "generate",
            "--registry",
            &url,
            "--subject",
            "teams-value",
            "--out",
        ])
        .arg(&src)
        .output()
        .expect("run");
    assert_eq!(code(&out), 0, "{}", text(&out));
    let log = text(&out);
    assert!(log.contains("1 referenced schema(s)"), "{log}");
    let generated = std::fs::read_to_string(src.join("kafka_model_json.rs")).expect("written");
    for needle in [
        "pub nickname: Option<String>,",
        "pub lead: Member,",
        "pub members: Vec<Member>,",
    ] {
        assert!(generated.contains(needle), "no {needle:?} in:\n{generated}");
    }
    assert_eq!(generated.matches("pub struct Member").count(), 1);
    std::fs::write(
        src.join("lib.rs"),
        r##"pub mod from_registry {
    include!("kafka_model_avro.rs");
}

pub mod from_registry_proto {
    include!("kafka_model_proto.rs");
}

pub mod from_registry_json {
    include!("kafka_model_json.rs");
}

#[test]
fn decodes_and_re_encodes_protoc_bytes() {
    use kafka_model::Record;
    let bytes = include_bytes!("order_proto.bin");
    let order = from_registry_proto::acme::orders::Order::from_protobuf(bytes).expect("decode");
    let customer = order.customer.as_ref().expect("customer");
    let home = customer.home.as_ref().expect("home");
    assert_eq!((customer.id, home.city.as_str(), home.zip.as_deref()), (42, "Ghent", Some("9000")));
    assert_eq!(order.lines, ["a", "b"]);
    assert_eq!(order.to_protobuf().expect("encode"), bytes);
}

#[test]
fn json_across_two_subjects_round_trips() {
    use kafka_model::Record;
    let text = br#"{"lead":{"id":1,"nickname":null,"since":"2026-01-02T03:04:05Z"},"members":[{"id":2,"nickname":"kit","since":"2026-02-03T04:05:06Z"}]}"#;
    let team = from_registry_json::Team::loads(text).expect("decode");
    assert_eq!(team.members[0].nickname.as_deref(), Some("kit"));
    assert_eq!(team.dumps().expect("encode"), text);
}

#[test]
fn decodes_and_re_encodes_apache_avro_bytes() {
    use kafka_model::Record;
    let bytes = include_bytes!("order.bin");
    let order = from_registry::com::acme::orders::Order::from_avro_framed(bytes).expect("decode");
    assert_eq!(order.customer.home.city, "Ghent");
    assert_eq!(order.customer.home.zip.as_deref(), Some("9000"));
    let mut out = Vec::new();
    order.write_avro_framed(&mut out).expect("encode");
    assert_eq!(out, bytes);
}
"##,
    )
    .expect("lib.rs");
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target dir");
    let built = nested_crate::cargo_test(&dir, "generated_registry", target, &[]);
    let log = text(&built);
    assert!(built.status.success(), "{log}");
    for t in [
        "from_registry::generated_types_render_their_input_schemas ... ok",
        "from_registry_proto::generated_types_render_their_input_schemas ... ok",
        "from_registry_json::generated_types_render_their_input_schemas ... ok",
        "decodes_and_re_encodes_apache_avro_bytes ... ok",
        "decodes_and_re_encodes_protoc_bytes ... ok",
        "json_across_two_subjects_round_trips ... ok",
    ] {
        assert!(log.contains(t), "{t} missing:\n{log}");
    }

    // Errors: an unknown subject (exit 1 or 2, named), --subject without --registry (usage).
    let out = bin()
        .args(["generate", "--registry", &url, "--subject", "nope-value"])
        .output()
        .expect("run");
    assert_ne!(code(&out), 0, "{}", text(&out));
    assert!(
        text(&out).contains("nope-value") || text(&out).contains("40401"),
        "{}",
        text(&out)
    );
    let out = bin()
        .args(["generate", "--subject", "orders-value"])
        .output()
        .expect("run");
    assert_eq!(code(&out), 2, "{}", text(&out));
    rt.block_on(server.shutdown());
}

/// `PROTO_ORDER_TEXT` encoded by protoc, with the chain's files laid out by their import names.
fn protoc_encode() -> Vec<u8> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generate-registry-protoc");
    let _ = std::fs::remove_dir_all(&dir);
    for (name, _, text) in [
        PROTO_ADDRESS,
        PROTO_CUSTOMER,
        ("order.proto", "", PROTO_ORDER),
    ] {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write .proto");
    }
    let mut child = Command::new("protoc")
        .arg("-I")
        .arg(&dir)
        .args(["--encode=acme.orders.Order", "order.proto"])
        .current_dir(&dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("protoc (Debian package protobuf-compiler)");
    use std::io::Write as _;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(PROTO_ORDER_TEXT.as_bytes())
        .expect("feed protoc");
    let out = child.wait_with_output().expect("protoc");
    assert!(out.status.success(), "{}", text(&out));
    assert!(out.stdout.len() > 20, "protoc wrote {:?}", out.stdout);
    out.stdout
}
