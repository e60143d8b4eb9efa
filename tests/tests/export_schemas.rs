//! Schema export: deterministic files, the expected layout, compilable `.proto`, parseable
//! `.avsc`, explicit and link-time registration, and the drift check.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::corpus::{Encodings, Ledger, Logical, Order, PaymentEvent, Renamed, TreeNode};
use kafka_model::compat::protobuf::ProtoSource;
use kafka_model::compat::{self, Format, Level};
use kafka_model::export::{self, Drift, ExportError, ExportFormat, Exporter};
use kafka_model::Record;

kafka_model::export::register!(Order, PaymentEvent);
// Registering a type twice lists it once.
kafka_model::export::register!(Order);

fn exporter(dir: &Path) -> Exporter {
    // Added out of order and with a duplicate: the output does not depend on either.
    Exporter::new(dir)
        .add::<TreeNode>()
        .add::<Order>()
        .add::<Ledger>()
        .add::<Logical>()
        .add::<Encodings>()
        .add::<Renamed>()
        .add::<PaymentEvent>()
        .add::<Order>()
}

fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).expect("under dir").to_path_buf();
                out.insert(rel, std::fs::read(&path).expect("read"));
            }
        }
    }
    out
}

fn names(paths: &[PathBuf]) -> Vec<String> {
    paths.iter().map(|p| p.display().to_string()).collect()
}

/// Models defined here, so that the golden list below does not move with the shared corpus.
mod shipping {
    use kafka_model::Record;
    use serde::{Deserialize, Serialize};

    /// A postal address.
    #[derive(Record, Serialize, Deserialize)]
    #[record(namespace = "com.acme.common")]
    pub struct Address {
        #[record(tags = ["PII"])]
        pub street: String,
        pub country: String,
    }

    /// Who carries a parcel.
    #[derive(Record, Serialize, Deserialize)]
    #[record(namespace = "com.acme.shipping")]
    pub enum Carrier {
        Post,
        Courier,
    }

    /// A parcel on its way.
    #[derive(Record, Serialize, Deserialize)]
    #[record(namespace = "com.acme.shipping")]
    pub struct Shipment {
        pub id: String,
        pub to: Address,
        pub carrier: Carrier,
    }
}

#[test]
fn export_layout_is_the_golden_list() {
    let dir = common::tools::scratch("export-golden");
    let written = Exporter::new(&dir)
        .add::<shipping::Shipment>()
        .add::<shipping::Carrier>()
        .write()
        .expect("export");
    assert_eq!(
        names(&written),
        [
            "com.acme.shipping.Carrier.avsc",
            "com.acme.shipping.Carrier.proto/com/acme/shipping.proto",
            "com.acme.shipping.Carrier.schema.json",
            "com.acme.shipping.Shipment.avsc",
            "com.acme.shipping.Shipment.proto/com/acme/common.proto",
            "com.acme.shipping.Shipment.proto/com/acme/shipping.proto",
            "com.acme.shipping.Shipment.proto/confluent/meta.proto",
            "com.acme.shipping.Shipment.schema.json",
        ]
    );
    let on_disk: Vec<PathBuf> = snapshot(&dir).into_keys().collect();
    assert_eq!(on_disk, written, "exactly these files are on disk");
}

/// The files one model exports, by the layout rules.
fn expected_files<T: Record>() -> Vec<String> {
    let full = T::model().full_name();
    let proto = T::proto_schema().expect("proto");
    let mut files = vec![format!("{full}.avsc"), format!("{full}.schema.json")];
    files.extend(
        proto
            .files()
            .iter()
            .map(|f| format!("{full}.proto/{}", f.name)),
    );
    if proto.imports_well_known().contains(&"confluent/meta.proto") {
        files.push(format!("{full}.proto/confluent/meta.proto"));
    }
    files
}

#[test]
fn export_layout_follows_the_rules_for_the_corpus() {
    let dir = common::tools::scratch("export-layout");
    let written = exporter(&dir).write().expect("export");
    let mut expected: Vec<String> = [
        expected_files::<TreeNode>(),
        expected_files::<Order>(),
        expected_files::<Ledger>(),
        expected_files::<Logical>(),
        expected_files::<Encodings>(),
        expected_files::<Renamed>(),
        expected_files::<PaymentEvent>(),
    ]
    .concat();
    expected.sort();
    assert_eq!(names(&written), expected);
    let on_disk: Vec<PathBuf> = snapshot(&dir).into_keys().collect();
    assert_eq!(on_disk, written, "exactly these files are on disk");
}

#[test]
fn export_is_deterministic_and_matches_the_schemas() {
    let a = common::tools::scratch("export-a");
    let b = common::tools::scratch("export-b");
    exporter(&a).write().expect("first");
    let first = snapshot(&a);
    exporter(&a).write().expect("again, same dir");
    assert_eq!(snapshot(&a), first, "rewriting changed bytes");
    // Another order of `add` into another directory: identical bytes.
    Exporter::new(&b)
        .add::<Order>()
        .add::<PaymentEvent>()
        .add::<Renamed>()
        .add::<Encodings>()
        .add::<Logical>()
        .add::<Ledger>()
        .add::<TreeNode>()
        .write()
        .expect("second");
    assert_eq!(snapshot(&b), first);

    // The files hold the rendered schemas, with a final newline.
    let avsc =
        String::from_utf8(first[Path::new("com.acme.orders.Order.avsc")].clone()).expect("utf-8");
    assert_eq!(
        avsc.trim_end(),
        Order::avro_schema().expect("avro").json().trim_end()
    );
    assert!(avsc.ends_with('\n'));
}

#[test]
fn exported_proto_compiles_with_protox_and_protoc() {
    let dir = common::tools::scratch("export-proto");
    let written = exporter(&dir)
        .formats(&[ExportFormat::Protobuf])
        .write()
        .expect("export");
    assert!(written
        .iter()
        .all(|p| p.to_string_lossy().contains(".proto/")));
    for (full_name, schema) in [
        (Order::model().full_name(), Order::proto_schema()),
        (Renamed::model().full_name(), Renamed::proto_schema()),
        (Ledger::model().full_name(), Ledger::proto_schema()),
        (Logical::model().full_name(), Logical::proto_schema()),
        (TreeNode::model().full_name(), TreeNode::proto_schema()),
        (Encodings::model().full_name(), Encodings::proto_schema()),
        (
            PaymentEvent::model().full_name(),
            PaymentEvent::proto_schema(),
        ),
    ] {
        let root = format!("{full_name}.proto");
        let schema = schema.expect("proto");
        let include = dir.join(&root);
        let main = &schema.main().name;
        protox::compile([main], [&include])
            .unwrap_or_else(|e| panic!("{root}: protox rejects {main}: {e:?}"));
        // The compatibility checker reads the same files (imports given as dependencies).
        let mut source = ProtoSource::new(schema.main().text.clone()).with_name(main.clone());
        for file in &schema.files()[1..] {
            source = source.with_dependency(file.name.clone(), file.text.clone());
        }
        let report = compat::protobuf::check(Level::FullTransitive, &source, &[source.clone()])
            .unwrap_or_else(|e| panic!("{root}: {e}"));
        assert!(report.compatible, "{root}: {report}");
        if let Some(protoc) = common::tools::protoc() {
            let out = dir.join(format!("{root}.pb"));
            common::tools::run(
                std::process::Command::new(protoc)
                    .arg("-I")
                    .arg(&include)
                    .arg(format!("--descriptor_set_out={}", out.display()))
                    .arg(main),
            );
        }
    }
}

#[test]
fn exported_avsc_parse_and_are_compatible_with_themselves() {
    let dir = common::tools::scratch("export-avsc");
    let written = exporter(&dir)
        .formats(&[ExportFormat::Avro])
        .write()
        .expect("export");
    assert_eq!(written.len(), 7);
    for rel in &written {
        let text = std::fs::read_to_string(dir.join(rel)).expect("read");
        apache_avro::Schema::parse_str(&text).unwrap_or_else(|e| panic!("{rel:?}: {e}"));
        let report = compat::check(Format::Avro, Level::FullTransitive, &text, &[&text])
            .unwrap_or_else(|e| panic!("{rel:?}: {e}"));
        assert!(report.compatible, "{rel:?}: {report}");
    }
}

#[test]
fn drift_check_finds_missing_changed_and_stale_files() {
    let dir = common::tools::scratch("export-drift");
    let exp = exporter(&dir);
    let all = exp.files().expect("files").len();
    let first = exp.check().expect("check");
    assert_eq!(first.len(), all, "everything missing at first");
    assert!(first.iter().all(|d| matches!(d, Drift::Missing(_))));
    exp.write().expect("export");
    assert!(exp.check().expect("check").is_empty());

    let avsc = dir.join("com.acme.orders.Order.avsc");
    std::fs::write(&avsc, "{}\n").expect("edit");
    let logical = format!("{}.schema.json", Logical::model().full_name());
    std::fs::remove_file(dir.join(&logical)).expect("rm");
    std::fs::write(dir.join("com.acme.Old.avsc"), "\"int\"\n").expect("stale");
    std::fs::write(dir.join("README.md"), "not an export\n").expect("other");

    let drift = exp.check().expect("check");
    let shown: Vec<String> = drift.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            format!("missing: {logical}"),
            "changed: com.acme.orders.Order.avsc".to_owned(),
            "no longer generated: com.acme.Old.avsc".to_owned(),
        ]
    );
    match &drift[1] {
        Drift::Changed {
            found, expected, ..
        } => {
            assert_eq!(found, "{}\n");
            assert!(expected.contains("\"name\": \"Order\""));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_derived_type_is_linked_once() {
    let linked: Vec<String> = export::linked_models()
        .iter()
        .map(|e| e.full_name())
        .collect();
    // Registered explicitly (twice, above) and by the derive: listed once each.
    for name in ["com.acme.orders.Order", "com.acme.payments.PaymentEvent"] {
        assert_eq!(
            linked.iter().filter(|n| *n == name).count(),
            1,
            "{name} in {linked:?}"
        );
    }
    // Derived but never registered by hand: the derive submits it.
    assert!(
        linked.iter().any(|n| n == "com.acme.orders.Item"),
        "{linked:?}"
    );
    // `one::Dup` and `two::Dup` share a full name: both are listed, and exporting all
    // linked types refuses to merge them.
    assert_eq!(
        linked.iter().filter(|n| *n == "Dup").count(),
        2,
        "{linked:?}"
    );
    let dir = common::tools::scratch("export-linked");
    let err = Exporter::new(&dir)
        .formats(&[ExportFormat::Avro])
        .add_linked()
        .write()
        .expect_err("two types named Dup");
    assert!(err.to_string().contains("Dup"), "{err}");
}

mod one {
    use kafka_model::Record;
    use serde::{Deserialize, Serialize};

    #[derive(Record, Serialize, Deserialize)]
    pub struct Dup {
        pub a: i32,
    }
}

mod two {
    use kafka_model::Record;
    use serde::{Deserialize, Serialize};

    #[derive(Record, Serialize, Deserialize)]
    pub struct Dup {
        pub b: String,
    }
}

#[test]
fn two_types_with_one_full_name_are_an_error() {
    let dir = common::tools::scratch("export-dup");
    let err = Exporter::new(&dir)
        .add::<one::Dup>()
        .add::<two::Dup>()
        .write()
        .unwrap_err();
    assert!(matches!(err, ExportError::DuplicateName { ref full_name, .. } if full_name == "Dup"));
    assert!(err.to_string().contains("both named `Dup`"), "{err}");
    assert!(
        std::fs::read_dir(&dir).expect("dir").next().is_none(),
        "nothing written"
    );
}

#[test]
fn generated_schemas_are_checked_against_the_committed_ones() {
    let dir = common::tools::scratch("export-compat");
    let exp = exporter(&dir);
    // Nothing committed yet: nothing to check.
    assert!(exp
        .check_compatible(Level::FullTransitive)
        .expect("check")
        .is_empty());
    exp.write().expect("export");
    let reports = exp.check_compatible(Level::FullTransitive).expect("check");
    assert_eq!(reports.len(), 14, "7 models, Avro and Protobuf each");
    assert!(reports.iter().all(|r| r.report.compatible));

    // The committed Order had `created_at_ms` as a string: the code's int64 breaks it.
    let proto = Order::proto_schema().expect("proto");
    let committed = dir
        .join("com.acme.orders.Order.proto")
        .join(&proto.main().name);
    let text = std::fs::read_to_string(&committed).expect("read");
    std::fs::write(
        &committed,
        text.replace("int64 created_at_ms = 5;", "string created_at_ms = 5;"),
    )
    .expect("edit");
    let broken: Vec<String> = exp
        .check_compatible(Level::Backward)
        .expect("check")
        .iter()
        .filter(|r| !r.report.compatible)
        .flat_map(|r| {
            r.report
                .issues
                .iter()
                .map(|i| format!("{} {}", r.full_name, i))
        })
        .collect();
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert!(
        broken[0].starts_with("com.acme.orders.Order FIELD_SCALAR_KIND_CHANGED at #/Order/5"),
        "{broken:?}"
    );
}
