//! Newtypes (`#[serde(transparent)]`, and newtype structs, which serde also writes as their
//! inner value) are their inner type in every format: a record holding them has the same Avro,
//! Protobuf and JSON schemas, the same Avro and Protobuf bytes and the same JSON as the record
//! holding the inner types directly.

use std::collections::BTreeMap;

use kafka_model::validate::Rule;
use kafka_model::Record;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `#[serde(transparent)]` over a logical type.
#[derive(Record, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[serde(transparent)]
pub struct OrderId(Uuid);

/// A plain newtype struct (serde writes the inner value without the attribute too).
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Sku(String);

/// Transparent with a named field and a skipped one.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(transparent)]
pub struct Cents {
    value: i64,
    #[serde(skip)]
    cached: Option<String>,
}

fn cents(value: i64) -> Cents {
    Cents {
        value,
        cached: None,
    }
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.newtype")]
pub struct Address {
    city: String,
}

/// A newtype over a record.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Home(Address);

// The model with newtypes (a plain comment: docs would differ)...
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.newtype", name = "Order")]
pub struct WithNewtypes {
    id: OrderId,
    sku: Sku,
    #[record(min = 1)]
    total: Cents,
    alt: Option<Sku>,
    skus: Vec<Sku>,
    by_sku: BTreeMap<String, Cents>,
    home: Home,
    #[record(sint)]
    delta: Cents,
}

// ... and the same model with the inner types.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.newtype", name = "Order")]
pub struct Inner {
    id: Uuid,
    sku: String,
    #[record(min = 1)]
    total: i64,
    alt: Option<String>,
    skus: Vec<String>,
    by_sku: BTreeMap<String, i64>,
    home: Address,
    #[record(sint)]
    delta: i64,
}

fn both(total: i64) -> (WithNewtypes, Inner) {
    let id = Uuid::from_u128(0x1234_5678_9abc_def0_1234_5678_9abc_def0);
    let address = Address {
        city: "Zürich".into(),
    };
    (
        WithNewtypes {
            id: OrderId(id),
            sku: Sku("A-1".into()),
            total: cents(total),
            alt: Some(Sku("B-2".into())),
            skus: vec![Sku("x".into()), Sku(String::new())],
            by_sku: [("a".to_string(), cents(-3)), ("b".to_string(), cents(0))].into(),
            home: Home(address.clone()),
            delta: cents(-70),
        },
        Inner {
            id,
            sku: "A-1".into(),
            total,
            alt: Some("B-2".into()),
            skus: vec!["x".into(), String::new()],
            by_sku: [("a".to_string(), -3), ("b".to_string(), 0)].into(),
            home: address,
            delta: -70,
        },
    )
}

#[test]
fn schemas_are_the_inner_types_schemas() {
    assert_eq!(
        WithNewtypes::schemas().avro().unwrap().json(),
        Inner::schemas().avro().unwrap().json()
    );
    let (a, b) = (
        WithNewtypes::schemas().proto().unwrap(),
        Inner::schemas().proto().unwrap(),
    );
    assert_eq!(a.main().text, b.main().text);
    assert!(
        a.main().text.contains("sint64 delta = 8;"),
        "{}",
        a.main().text
    );
    assert_eq!(
        WithNewtypes::schemas().json().unwrap().value(),
        Inner::schemas().json().unwrap().value()
    );
}

#[test]
fn bytes_and_json_are_the_inner_types_bytes() {
    for total in [0, 1, 250] {
        let (n, i) = both(total);
        let avro = n.to_avro().unwrap();
        assert_eq!(avro, i.to_avro().unwrap());
        assert_eq!(WithNewtypes::from_avro(&avro).unwrap(), n);
        let proto = n.to_protobuf().unwrap();
        assert_eq!(proto, i.to_protobuf().unwrap());
        assert_eq!(WithNewtypes::from_protobuf(&proto).unwrap(), n);
        let json = serde_json::to_value(&n).unwrap();
        assert_eq!(json, serde_json::to_value(&i).unwrap());
        assert_eq!(serde_json::from_value::<WithNewtypes>(json).unwrap(), n);
    }
    // The zero value of a newtype field is omitted by Protobuf exactly as its inner type's.
    let (mut n, _) = both(0);
    n.sku = Sku(String::new());
    assert!(!n
        .to_protobuf()
        .unwrap()
        .windows(2)
        .any(|w| w == [0x12, 0x00]));
}

#[test]
fn validators_see_the_inner_value() {
    let (n, i) = both(0);
    let (en, ei) = (n.validate().unwrap_err(), i.validate().unwrap_err());
    assert_eq!(en.to_string(), ei.to_string());
    assert_eq!(en.iter().next().unwrap().rule, Rule::Min);
    assert!(both(1).0.validate().is_ok());
}
