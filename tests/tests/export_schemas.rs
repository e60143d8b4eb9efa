//! Schema export: deterministic files, the expected layout, compilable `.proto`, parseable
//! `.avsc`, explicit and link-time registration, and the drift check.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::corpus::{Encodings, Ledger, Logical, Order, PaymentEvent, Renamed, TreeNode};
use kafka_model::compat::{self, CompatibilityLevel, Format};
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
            "com.acme.shipping.Carrier.schema.json",
            "com.acme.shipping.Shipment.avsc",
            "com.acme.shipping.Shipment.schema.json",
            // One proto root: a file per package, the reached `com.acme.common` included.
            "proto/com/acme/common.proto",
            "proto/com/acme/shipping.proto",
            "proto/confluent/meta.proto",
        ]
    );
    let shipping =
        std::fs::read_to_string(dir.join("proto/com/acme/shipping.proto")).expect("read");
    assert!(
        shipping.contains("import \"com/acme/common.proto\";"),
        "{shipping}"
    );
    assert_eq!(shipping.matches("enum Carrier").count(), 1, "{shipping}");
    let on_disk: Vec<PathBuf> = snapshot(&dir).into_keys().collect();
    assert_eq!(on_disk, written, "exactly these files are on disk");
}

/// The Avro and JSON Schema files one model exports, by the layout rules.
fn expected_files<T: Record>() -> Vec<String> {
    let full = T::model().full_name();
    vec![format!("{full}.avsc"), format!("{full}.schema.json")]
}

/// The corpus models of [`exporter`].
fn corpus_models() -> Vec<&'static kafka_model::model::Model> {
    vec![
        TreeNode::model(),
        Order::model(),
        Ledger::model(),
        Logical::model(),
        Encodings::model(),
        Renamed::model(),
        PaymentEvent::model(),
    ]
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
    let root = kafka_model::schema::proto::render_root(&corpus_models()).expect("proto root");
    expected.extend(root.files().iter().map(|f| format!("proto/{}", f.name)));
    if root.imports_well_known().contains(&"confluent/meta.proto") {
        expected.push("proto/confluent/meta.proto".to_owned());
    }
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
        Order::schemas().avro().expect("avro").json().trim_end()
    );
    assert!(avsc.ends_with('\n'));
}

#[test]
fn exported_proto_root_compiles_in_one_protoc_invocation() {
    let dir = common::tools::scratch("export-proto");
    let written = exporter(&dir)
        .formats(&[ExportFormat::Protobuf])
        .write()
        .expect("export");
    assert!(written.iter().all(|p| p.starts_with("proto")));
    let root = dir.join("proto");
    let files: Vec<String> = written
        .iter()
        .map(|p| {
            p.strip_prefix("proto")
                .expect("under proto/")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    // One file per package: no two files declare one package.
    let mut packages = Vec::new();
    for rel in &written {
        let text = std::fs::read_to_string(dir.join(rel)).expect("read");
        if let Some(line) = text.lines().find(|l| l.starts_with("package ")) {
            packages.push(line.to_owned());
        }
    }
    let unique: std::collections::BTreeSet<&String> = packages.iter().collect();
    assert_eq!(unique.len(), packages.len(), "{packages:?}");
    assert!(files.len() >= 4, "several packages: {files:?}");

    // Every corpus type is declared exactly once in the root.
    let all: String = written
        .iter()
        .map(|rel| std::fs::read_to_string(dir.join(rel)).expect("read"))
        .collect();
    for m in corpus_models() {
        let decl = match m.shape {
            kafka_model::model::Shape::Enum(_) => format!("enum {} {{", m.name),
            _ => format!("message {} {{", m.name),
        };
        assert!(all.contains(&decl), "{} not declared", m.full_name());
    }

    let compiled = protox::compile(&files, [&root])
        .unwrap_or_else(|e| panic!("protox rejects the root: {e:?}"));
    assert!(compiled.file.len() >= files.len());
    if let Some(protoc) = common::tools::protoc() {
        let out = dir.join("root.pb");
        common::tools::run(
            std::process::Command::new(protoc)
                .arg("-I")
                .arg(&root)
                .arg(format!("--descriptor_set_out={}", out.display()))
                .args(&files),
        );
        assert!(std::fs::metadata(&out).expect("descriptor set").len() > 0);
    }
}

/// The import paths a `.proto` text imports.
fn imports(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("import \""))
        .filter_map(|l| l.strip_suffix("\";"))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn exported_proto_root_registers_with_references() {
    use kafka_model::registry::{MemoryRegistry, Schema, SchemaRegistry, SchemaWithDeps, Version};

    let dir = common::tools::scratch("export-proto-registry");
    exporter(&dir)
        .formats(&[ExportFormat::Protobuf])
        .write()
        .expect("export");
    let files: BTreeMap<String, String> = exporter(&dir)
        .formats(&[ExportFormat::Protobuf])
        .files()
        .expect("files")
        .into_iter()
        .map(|(p, text)| {
            let name = p.strip_prefix("proto").expect("under proto/");
            (name.to_string_lossy().replace('\\', "/"), text)
        })
        .collect();
    let registry = MemoryRegistry::new();
    let mut registered = 0;
    for (name, text) in &files {
        if name == "confluent/meta.proto" {
            continue; // well-known to registries, as `google/protobuf/*`
        }
        // Each file under the subject named by its import path (Confluent's default for
        // references), with every file it reaches as a reference.
        let mut graph = SchemaWithDeps::new(Schema::protobuf(text.clone()));
        let mut todo = imports(text);
        let mut seen = std::collections::BTreeSet::new();
        while let Some(dep) = todo.pop() {
            if dep.starts_with("google/")
                || dep == "confluent/meta.proto"
                || !seen.insert(dep.clone())
            {
                continue;
            }
            let dep_text = files
                .get(&dep)
                .unwrap_or_else(|| panic!("{name} imports {dep}, not in the root"));
            todo.extend(imports(dep_text));
            graph =
                graph.with_dependency(dep.clone(), dep.clone(), Schema::protobuf(dep_text.clone()));
        }
        registry
            .register_with_references(name, &graph, false)
            .await
            .unwrap_or_else(|e| panic!("registering {name}: {e}"));
        let stored = registry
            .version(name, Version::Latest, false)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut refs: Vec<&str> = stored
            .schema
            .references
            .iter()
            .map(|r| r.name.as_str())
            .collect();
        refs.sort_unstable();
        let mut direct: Vec<String> = imports(text)
            .into_iter()
            .filter(|d| !d.starts_with("google/") && d != "confluent/meta.proto")
            .collect();
        direct.sort();
        assert_eq!(refs, direct, "{name}: references = its imports");
        registered += 1;
    }
    assert!(registered >= 4, "{files:?}");
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
        let report = compat::check(
            Format::Avro,
            CompatibilityLevel::FullTransitive,
            &text,
            &[&text],
        )
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
        .check_compatible(CompatibilityLevel::FullTransitive)
        .expect("check")
        .is_empty());
    exp.write().expect("export");
    let reports = exp
        .check_compatible(CompatibilityLevel::FullTransitive)
        .expect("check");
    let packages = exp
        .files()
        .expect("files")
        .keys()
        .filter(|p| p.starts_with("proto") && !p.ends_with("confluent/meta.proto"))
        .count();
    assert_eq!(
        reports.len(),
        2 * 7 + packages,
        "7 .avsc, 7 .schema.json and each package file"
    );
    assert_eq!(
        reports
            .iter()
            .filter(|r| r.format == ExportFormat::JsonSchema)
            .count(),
        7
    );
    assert!(reports.iter().all(|r| r.report.compatible));

    // The committed Order had `created_at_ms` as a string: the code's int64 breaks it.
    let committed = dir.join("proto/com/acme/orders.proto");
    let text = std::fs::read_to_string(&committed).expect("read");
    std::fs::write(
        &committed,
        text.replace("int64 created_at_ms = 5;", "string created_at_ms = 5;"),
    )
    .expect("edit");
    let broken: Vec<String> = exp
        .check_compatible(CompatibilityLevel::Backward)
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
        broken[0].starts_with("proto/com/acme/orders.proto FIELD_SCALAR_KIND_CHANGED at #/Order/5"),
        "{broken:?}"
    );

    // The same break in the committed JSON Schema is caught by the JSON Schema rules.
    std::fs::write(&committed, text).expect("restore");
    let committed = dir.join(format!("{}.schema.json", Order::model().full_name()));
    let mut schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&committed).expect("read")).expect("json");
    schema["properties"]["created_at_ms"] = serde_json::json!({ "type": "string" });
    std::fs::write(&committed, schema.to_string()).expect("edit");
    let broken: Vec<_> = exp
        .check_compatible(CompatibilityLevel::Backward)
        .expect("check")
        .into_iter()
        .filter(|r| !r.report.compatible)
        .collect();
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert_eq!(broken[0].format, ExportFormat::JsonSchema);
    assert!(
        broken[0].report.issues[0]
            .to_string()
            .contains("/properties/created_at_ms"),
        "{}",
        broken[0].report.issues[0]
    );
}

/// Types marked `#[record(export)]` in this test crate (and one that is not).
mod marked {
    use kafka_model::Record;
    use serde::{Deserialize, Serialize};

    /// Exported.
    #[derive(Record, Serialize, Deserialize)]
    #[record(namespace = "com.acme.marked", export)]
    pub struct Invoice {
        pub id: String,
        pub lines: Vec<InvoiceLine>,
    }

    /// Not marked: reached from `Invoice`, so in its files.
    #[derive(Record, Serialize, Deserialize)]
    #[record(namespace = "com.acme.marked")]
    pub struct InvoiceLine {
        pub sku: String,
    }

    /// Exported, in another package.
    #[derive(Record, Serialize, Deserialize)]
    #[record(export, namespace = "com.acme.refunds")]
    pub enum RefundReason {
        Damaged,
        Late,
    }
}

#[test]
fn models_of_lists_the_marked_types_of_a_crate() {
    let names: Vec<String> = export::models_of!(crate)
        .iter()
        .map(|e| e.full_name())
        .collect();
    assert_eq!(
        names,
        ["com.acme.marked.Invoice", "com.acme.refunds.RefundReason"]
    );
    let dir = common::tools::scratch("export-marked");
    let written = Exporter::new(&dir)
        .add_entries(export::models_of!(crate))
        .write()
        .expect("export");
    assert_eq!(
        names_of(&written),
        [
            "com.acme.marked.Invoice.avsc",
            "com.acme.marked.Invoice.schema.json",
            "com.acme.refunds.RefundReason.avsc",
            "com.acme.refunds.RefundReason.schema.json",
            "proto/com/acme/marked.proto",
            "proto/com/acme/refunds.proto",
        ]
    );
    let marked = std::fs::read_to_string(dir.join("proto/com/acme/marked.proto")).expect("read");
    assert!(marked.contains("message InvoiceLine {"), "{marked}");
}

fn names_of(paths: &[PathBuf]) -> Vec<String> {
    names(paths)
}

#[test]
fn an_exporter_without_models_fails_instead_of_passing() {
    let dir = common::tools::scratch("export-none");
    // A crate with no `#[record(export)]` type: nothing found is an error.
    let none = export::models_of!(serde);
    assert!(none.is_empty());
    let exp = Exporter::new(&dir).add_entries(none);
    for err in [
        exp.files().map(|_| ()).unwrap_err(),
        exp.write().map(|_| ()).unwrap_err(),
        exp.check().map(|_| ()).unwrap_err(),
        exp.check_compatible(CompatibilityLevel::Backward)
            .map(|_| ())
            .unwrap_err(),
    ] {
        assert!(matches!(err, ExportError::NoModels { .. }), "{err}");
        assert!(err.to_string().contains("#[record(export)]"), "{err}");
    }
    let gate =
        std::panic::catch_unwind(|| exp.assert_gate(CompatibilityLevel::Backward, "refresh"));
    assert!(gate.is_err(), "the gate fails on zero types");
    assert!(!dir.exists() || std::fs::read_dir(&dir).expect("dir").next().is_none());
}

#[test]
fn write_removes_files_the_code_no_longer_generates() {
    let dir = common::tools::scratch("export-stale");
    // An export of the older layout (one include root per type) and a removed type.
    let old_root = dir.join("com.acme.marked.Invoice.proto/com/acme");
    std::fs::create_dir_all(&old_root).expect("mkdir");
    std::fs::write(old_root.join("marked.proto"), "syntax = \"proto3\";\n").expect("write");
    std::fs::write(dir.join("com.acme.Gone.avsc"), "\"int\"\n").expect("write");
    std::fs::write(dir.join("README.md"), "kept\n").expect("write");
    let exp = Exporter::new(&dir).add_entries(export::models_of!(crate));
    let stale: Vec<String> = exp
        .check()
        .expect("check")
        .iter()
        .filter(|d| matches!(d, Drift::Stale(_)))
        .map(ToString::to_string)
        .collect();
    assert_eq!(stale.len(), 2, "{stale:?}");
    let written = exp.write().expect("write");
    assert!(exp.check().expect("check").is_empty());
    let mut on_disk: Vec<PathBuf> = snapshot(&dir).into_keys().collect();
    on_disk.retain(|p| p != Path::new("README.md"));
    assert_eq!(on_disk, written);
    assert!(
        !dir.join("com.acme.marked.Invoice.proto").exists(),
        "emptied directories go too"
    );
    assert!(dir.join("README.md").exists());
}
