//! `MemoryRegistry` semantics (Confluent's, not Python `mock://`'s), the compatibility hook, and
//! subject-name strategies.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use kafka_model::registry::{
    CompatibilityChecker, CompatibilityLevel, MemoryRegistry, RegistryError, Schema,
    SchemaReference, SchemaRegistry, SubjectNameStrategy, SubjectRole, Version,
};

fn record(fields: &str) -> Schema {
    Schema::avro(format!(
        r#"{{"type":"record","name":"R","namespace":"t","fields":[{fields}]}}"#
    ))
}

const A: &str = r#"{"name":"a","type":"int"}"#;
const B_DEFAULT: &str = r#"{"name":"b","type":"int","default":1}"#;
const B: &str = r#"{"name":"b","type":"int"}"#;

#[tokio::test]
async fn ids_are_global_per_content_and_whitespace_insensitive() {
    let r = MemoryRegistry::new();
    let s = record(A);
    let spaced = Schema::avro(s.schema.replace(',', " ,\n  "));
    let x = r.register("x-value", &s, false).await.unwrap();
    let y = r.register("y-value", &spaced, false).await.unwrap();
    assert_eq!(x.id, y.id);
    assert_eq!(x.guid, y.guid);
    let again = r.register("x-value", &spaced, false).await.unwrap();
    assert_eq!((again.id, again.version), (x.id, Some(1)));
    let other = r
        .register("x-value", &record(&format!("{A},{B_DEFAULT}")), false)
        .await
        .unwrap();
    assert_eq!(other.id, x.id + 1);
    assert_eq!(other.version, Some(2));
    // A miss under another subject is 40401, not a generic 40400.
    let e = r.lookup("nope", &s, false, false).await.unwrap_err();
    assert_eq!(e.error_code(), Some(40401));
}

#[tokio::test]
async fn soft_deleted_versions_and_reregistration() {
    let r = MemoryRegistry::new();
    let s = record(A);
    r.register("s", &s, false).await.unwrap();
    r.delete_subject("s", false).await.unwrap();
    assert!(matches!(
        r.versions("s", false).await,
        Err(RegistryError::SubjectNotFound { .. })
    ));
    assert_eq!(r.versions("s", true).await.unwrap(), vec![1]);
    // Registering again after a soft delete makes a new version with the same id.
    let again = r.register("s", &s, false).await.unwrap();
    assert_eq!(again.version, Some(2));
    assert_eq!(r.id_subjects(again.id, false).await.unwrap(), vec!["s"]);
    // Invalid version strings are 42202.
    assert_eq!(
        "0".parse::<Version>().unwrap_err().error_code(),
        Some(42202)
    );
    assert_eq!(
        "abc".parse::<Version>().unwrap_err().error_code(),
        Some(42202)
    );
}

#[tokio::test]
async fn compatibility_levels_backward_forward_transitive() {
    let r = MemoryRegistry::new();
    r.register("s", &record(A), false).await.unwrap();
    // BACKWARD (default): adding a field needs a default.
    assert!(matches!(
        r.register("s", &record(&format!("{A},{B}")), false).await,
        Err(RegistryError::Incompatible { .. })
    ));
    r.register("s", &record(&format!("{A},{B_DEFAULT}")), false)
        .await
        .unwrap();

    // FORWARD: removing a field without default breaks old readers.
    r.set_config(Some("f"), CompatibilityLevel::Forward)
        .await
        .unwrap();
    r.register("f", &record(&format!("{A},{B}")), false)
        .await
        .unwrap();
    assert!(matches!(
        r.register("f", &record(A), false).await,
        Err(RegistryError::Incompatible { .. })
    ));

    // Transitive: v3 is compatible with v2 but not with v1.
    let v1 = record(r#"{"name":"a","type":"int"}"#);
    let v2 = record(r#"{"name":"a","type":"int"},{"name":"c","type":"string","default":"x"}"#);
    let v3 = record(
        r#"{"name":"c","type":"string","default":"x"},{"name":"d","type":"long","default":0}"#,
    );
    let v3_breaks_v1 = record(r#"{"name":"c","type":"string"}"#);
    r.set_config(Some("t"), CompatibilityLevel::BackwardTransitive)
        .await
        .unwrap();
    r.register("t", &v1, false).await.unwrap();
    r.register("t", &v2, false).await.unwrap();
    assert!(r.register("t", &v3, false).await.is_ok());
    let all = r
        .test_compatibility("t", None, &v3_breaks_v1, true)
        .await
        .unwrap();
    let latest = r
        .test_compatibility("t", Some(Version::Number(2)), &v3_breaks_v1, true)
        .await
        .unwrap();
    assert!(latest.is_compatible, "{latest:?}");
    assert!(!all.is_compatible);

    // NONE accepts anything.
    r.set_config(Some("s"), CompatibilityLevel::None)
        .await
        .unwrap();
    r.register("s", &Schema::avro(r#""string""#), false)
        .await
        .unwrap();
}

#[derive(Debug)]
struct Counting(Arc<AtomicUsize>);

impl CompatibilityChecker for Counting {
    fn check(
        &self,
        _: CompatibilityLevel,
        _: &Schema,
        previous: &[&Schema],
        _: &[String],
    ) -> Vec<String> {
        self.0.fetch_add(previous.len(), Ordering::SeqCst);
        vec!["refused by the plugged checker".into()]
    }
}

#[tokio::test]
async fn the_checker_is_pluggable() {
    let calls = Arc::new(AtomicUsize::new(0));
    let r = MemoryRegistry::new().with_checker(Counting(calls.clone()));
    r.register("s", &record(A), false).await.unwrap();
    let e = r
        .register("s", &record(&format!("{A},{B_DEFAULT}")), false)
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("refused by the plugged checker"),
        "{e}"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn references_resolve_named_types_from_other_subjects() {
    let r = MemoryRegistry::new();
    let money = Schema::avro(
        r#"{"type":"record","name":"Money","namespace":"acme","fields":[{"name":"units","type":"long"}]}"#,
    );
    r.register("acme.Money", &money, false).await.unwrap();
    let order = Schema::avro(
        r#"{"type":"record","name":"Order","namespace":"acme","fields":[{"name":"total","type":"acme.Money"}]}"#,
    );
    // Without the reference, acme.Money is unknown: 42201.
    let e = r.register("orders-value", &order, false).await.unwrap_err();
    assert_eq!(e.error_code(), Some(42201), "{e:?}");
    let order = order.with_reference(SchemaReference::new("acme.Money", "acme.Money", 1));
    let reg = r.register("orders-value", &order, false).await.unwrap();
    assert_eq!(
        r.schema_by_id(reg.id, None, None)
            .await
            .unwrap()
            .references
            .len(),
        1
    );
    // The referenced subject cannot be deleted while referenced.
    assert_eq!(
        r.delete_subject("acme.Money", false)
            .await
            .unwrap_err()
            .error_code(),
        Some(42206)
    );
}

#[tokio::test]
async fn protobuf_text_or_base64_descriptor_and_invalid_schemas() {
    let r = MemoryRegistry::new();
    r.set_config(None, CompatibilityLevel::None).await.unwrap();
    let text = "syntax = \"proto3\";\nmessage M { string a = 1; }\n";
    r.register("p", &Schema::protobuf(text), false)
        .await
        .unwrap();
    // Python's client registers base64 of a serialized FileDescriptorProto.
    let file = protox::file::File::from_source("m.proto", text).unwrap();
    {
        use base64::Engine as _;
        use prost::Message as _;
        let bytes = file.file_descriptor_proto().encode_to_vec();
        let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
        r.register("p2", &Schema::protobuf(b64), false)
            .await
            .unwrap();
    }
    for bad in [
        Schema::protobuf("message {"),
        Schema::json("[1, 2]"),
        Schema::json("{not json"),
        Schema::avro(r#"{"type":"record","name":"X"}"#),
    ] {
        let e = r.register("bad", &bad, false).await.unwrap_err();
        assert_eq!(e.error_code(), Some(42201), "{bad:?} -> {e:?}");
    }
}

#[test]
fn subject_name_strategies() {
    let full = "com.acme.Order";
    let s = SubjectNameStrategy::default();
    assert_eq!(
        s.subject("orders", SubjectRole::Value, full),
        "orders-value"
    );
    assert_eq!(s.subject("orders", SubjectRole::Key, full), "orders-key");
    assert_eq!(
        SubjectNameStrategy::RecordName.subject("x", SubjectRole::Key, full),
        full
    );
    assert_eq!(
        SubjectNameStrategy::TopicRecordName.subject("orders", SubjectRole::Value, full),
        "orders-com.acme.Order"
    );
    assert_eq!(
        format!("{:?}", SubjectNameStrategy::custom(|t, _, _| t.into())),
        "Custom(..)"
    );
}
