//! `#[record(validate)]`: codecs validate before encoding and after decoding; off by default.

use kafka_model::{CodecError, Record};
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(validate)]
struct Checked {
    #[record(min = 1)]
    qty: i32,
    #[record(non_empty)]
    sku: String,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
struct OnDemand {
    #[record(min = 1)]
    qty: i32,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(validate, coerce)]
struct Both {
    #[record(max = 10)]
    qty: i32,
}

#[test]
fn flags() {
    const FLAGS: [bool; 2] = [Checked::VALIDATE_ON_CODEC, OnDemand::VALIDATE_ON_CODEC];
    assert_eq!(FLAGS, [true, false]);
}

#[test]
fn dumps_refuses_invalid_values() {
    let bad = Checked {
        qty: 0,
        sku: String::new(),
    };
    let Err(CodecError::Validation(errors)) = bad.dumps() else {
        panic!("expected a validation error");
    };
    assert_eq!(errors.len(), 2);
    assert_eq!(
        CodecError::Validation(errors).to_string(),
        "validation failed:\nqty: must be at least 1, got 0 [min]\nsku: must not be empty, got \"\" [non_empty]"
    );
    let good = Checked {
        qty: 1,
        sku: "a".into(),
    };
    assert_eq!(Checked::loads(&good.dumps().unwrap()).unwrap(), good);
}

#[test]
fn loads_refuses_invalid_input() {
    let err = Checked::loads(br#"{"qty":0,"sku":"a"}"#).unwrap_err();
    let CodecError::Validation(errors) = err else {
        panic!("{err:?}")
    };
    assert_eq!(errors.errors()[0].path, "qty");
}

#[test]
fn every_codec_validates() {
    let bad = Checked {
        qty: -1,
        sku: "a".into(),
    };
    for codec in ["json", "json|gzip", "json|binary"] {
        assert!(
            matches!(bad.dumps_with(codec), Err(CodecError::Validation(_))),
            "{codec}"
        );
    }
    let raw = serde_json::to_vec(&bad).unwrap();
    let zipped = kafka_model::codec::Codec::parse("json|gzip")
        .unwrap()
        .stages()
        .encode(raw)
        .unwrap();
    assert!(matches!(
        Checked::loads_with("json|gzip", &zipped),
        Err(CodecError::Validation(_))
    ));
}

#[test]
fn off_by_default() {
    let bad = OnDemand { qty: 0 };
    let bytes = bad.dumps().unwrap();
    assert_eq!(OnDemand::loads(&bytes).unwrap(), bad);
    assert!(bad.validate().is_err());
}

#[test]
fn coercion_runs_before_validation() {
    assert_eq!(Both::loads(br#"{"qty":"10"}"#).unwrap(), Both { qty: 10 });
    let err = Both::loads(br#"{"qty":"11"}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "validation failed:\nqty: must be at most 10, got 11 [max]"
    );
}
