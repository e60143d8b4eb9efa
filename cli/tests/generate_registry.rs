//! `kafka-model generate --registry`: an Avro subject whose record references a named type
//! registered under another subject (which references a third), on the embedded server started
//! here; the generated file is compiled in a nested crate whose `cargo test` runs the file's own
//! check (each root type renders its subject's schema) and a decode/re-encode of a datum
//! Apache Avro (Rust) writes with the resolved schema.

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
    std::fs::write(
        src.join("lib.rs"),
        r#"pub mod from_registry {
    include!("kafka_model_avro.rs");
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
"#,
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
        "decodes_and_re_encodes_apache_avro_bytes ... ok",
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
