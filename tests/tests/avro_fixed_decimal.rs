//! Issue 15, decimals on `fixed`: `#[record(decimal(precision = P, scale = S, fixed = N))]` on a
//! `rust_decimal::Decimal` or `kafka_model::decimal128::Decimal128` field. Avro writes the
//! unscaled value as N bytes of big-endian two's complement, sign-extended; the fixed is named
//! after the field (as a `[u8; N]` field's is). Schema exact, codec bytes, and fastavro and
//! Apache avro both ways.

mod avro_support;
mod common;

use std::process::Command;
use std::str::FromStr;

use avro_support::{lit_json, Names};
use common::tools::{interop_dir, interop_python, run, scratch};
use kafka_model::decimal128::Decimal128;
use kafka_model::{FieldType, Record};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.money")]
pub struct Quote {
    #[record(decimal(precision = 9, scale = 2, fixed = 4))]
    pub price: Decimal,
    #[record(decimal(precision = 18, scale = 4, fixed = 8))]
    pub fee: Option<Decimal>,
    #[record(decimal(precision = 38, scale = 6, fixed = 16))]
    pub notional: Decimal128,
    #[record(decimal(precision = 20, scale = 0, fixed = 12))]
    pub lots: Vec<Decimal128>,
    // The bytes form, beside them, unchanged.
    #[record(decimal(precision = 9, scale = 2))]
    pub plain: Decimal,
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn d128(s: &str) -> Decimal128 {
    Decimal128::from_str(s).unwrap()
}

fn quote() -> Quote {
    Quote {
        price: d("-1.00"),
        fee: Some(d("12345678901234.5678")),
        notional: d128("-99999999999999999999999999999999.999999"),
        lots: vec![d128("0"), d128("99999999999999999999"), d128("-1")],
        plain: d("9999999.99"),
    }
}

#[test]
fn avro_schema_is_a_decimal_fixed_named_after_the_field() {
    let schema = Quote::schemas().avro().unwrap();
    let value: Json = serde_json::from_str(schema.json()).unwrap();
    let fixed = |name: &str, size: u32, p: u32, s: u32| {
        json!({"type": "fixed", "name": name, "namespace": "com.acme.money", "size": size,
               "logicalType": "decimal", "precision": p, "scale": s})
    };
    assert_eq!(
        value,
        json!({
            "type": "record", "name": "Quote", "namespace": "com.acme.money",
            "fields": [
                {"name": "price", "type": fixed("Price", 4, 9, 2)},
                {"name": "fee", "type": ["null", fixed("Fee", 8, 18, 4)], "default": null},
                {"name": "notional", "type": fixed("Notional", 16, 38, 6)},
                {"name": "lots", "type": {"type": "array", "items": fixed("Lots", 12, 20, 0)}},
                {"name": "plain", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
            ]
        })
    );
    let parsed = apache_avro::Schema::parse_str(schema.json()).unwrap();
    let apache_avro::Schema::Record(r) = parsed else {
        panic!("{parsed:?}")
    };
    assert!(matches!(
        &r.fields[0].schema,
        apache_avro::Schema::Decimal(apache_avro::schema::DecimalSchema {
            inner: apache_avro::schema::InnerDecimalSchema::Fixed(_),
            ..
        })
    ));
    assert_eq!(<Decimal as FieldType>::TYPE.to_string(), "Decimal");
}

#[test]
fn avro_writes_sign_extended_two_s_complement() {
    let q = quote();
    let avro = q.to_avro().unwrap();
    // price -1.00 at scale 2: unscaled -100, four bytes.
    assert_eq!(&avro[..4], &[0xff, 0xff, 0xff, 0x9c]);
    // fee: the union branch 1, then 8 bytes of 123456789012345678.
    assert_eq!(avro[4], 2);
    assert_eq!(&avro[5..13], &123_456_789_012_345_678i64.to_be_bytes());
    assert_eq!(Quote::from_avro(&avro).unwrap(), q);
    // A value beyond the precision is an encode error, not a truncated fixed.
    let mut wide = quote();
    wide.price = d("10000000.00");
    assert!(wide.to_avro().is_err());
    // Truncated input is a typed error.
    assert!(Quote::from_avro(&avro[..3]).is_err());
    // JSON and Protobuf are unchanged: strings.
    assert_eq!(Quote::loads(&q.dumps().unwrap()).unwrap(), q);
    assert_eq!(Quote::from_protobuf(&q.to_protobuf().unwrap()).unwrap(), q);
}

/// fastavro and Apache avro read our bytes to the decimals we wrote, and write the same bytes
/// from `decimal.Decimal` values; the vector harness agrees.
#[test]
fn reference_implementations_agree() {
    let Some(python) = interop_python() else {
        return;
    };
    let values = [
        quote(),
        Quote {
            price: d("0.01"),
            fee: None,
            notional: d128("0.000001"),
            lots: vec![],
            plain: d("-0.5"),
        },
        Quote {
            price: d("9999999.99"),
            fee: Some(d("-99999999999999.9999")),
            notional: d128("99999999999999999999999999999999.999999"),
            lots: vec![d128("-99999999999999999999")],
            plain: d("0"),
        },
    ];
    let dir = scratch("avro_fixed_decimal");
    let cases: Vec<Json> = values
        .iter()
        .map(|q| {
            json!({
                "payload": q.to_avro().unwrap().iter().map(|b| format!("{b:02x}")).collect::<String>(),
                "price": q.price.to_string(),
                "fee": q.fee.map(|f| f.to_string()),
                "notional": q.notional.to_string(),
                "lots": q.lots.iter().map(|l| l.to_string()).collect::<Vec<_>>(),
                "plain": q.plain.to_string(),
            })
        })
        .collect();
    std::fs::write(
        dir.join("cases.json"),
        serde_json::to_vec(&json!({
            "schema": serde_json::from_str::<Json>(Quote::schemas().avro().unwrap().json()).unwrap(),
            "cases": cases,
        }))
        .unwrap(),
    )
    .unwrap();
    let script = r#"
import io, json, sys
from decimal import Decimal, getcontext
import avro.io, avro.schema, fastavro
getcontext().prec = 60
doc = json.load(open(sys.argv[1]))
fs = fastavro.parse_schema(doc["schema"])
aps = avro.schema.parse(json.dumps(doc["schema"]))
scales = {"price": 2, "fee": 4, "notional": 6, "lots": 0, "plain": 2}
def q(s, field):
    return Decimal(s).quantize(Decimal(1).scaleb(-scales[field]))
n = 0
for c in doc["cases"]:
    payload = bytes.fromhex(c["payload"])
    value = {
        "price": q(c["price"], "price"),
        "fee": None if c["fee"] is None else q(c["fee"], "fee"),
        "notional": q(c["notional"], "notional"),
        "lots": [q(l, "lots") for l in c["lots"]],
        "plain": q(c["plain"], "plain"),
    }
    for name, read in [
        ("fastavro", lambda: fastavro.schemaless_reader(io.BytesIO(payload), fs)),
        ("avro", lambda: avro.io.DatumReader(aps).read(avro.io.BinaryDecoder(io.BytesIO(payload)))),
    ]:
        rec = read()
        assert rec == value, (name, rec, value)
    out = io.BytesIO(); fastavro.schemaless_writer(out, fs, value)
    assert out.getvalue() == payload, ("fastavro", out.getvalue().hex(), c["payload"])
    out = io.BytesIO(); avro.io.DatumWriter(aps).write(value, avro.io.BinaryEncoder(out))
    assert out.getvalue() == payload, ("avro", out.getvalue().hex(), c["payload"])
    n += 1
print(f"decimal fixed cases: {n}")
"#;
    std::fs::write(dir.join("check.py"), script).unwrap();
    let out = run(Command::new(&python)
        .arg(dir.join("check.py"))
        .arg(dir.join("cases.json")));
    assert!(
        out.contains(&format!("decimal fixed cases: {}", values.len())),
        "{out}"
    );
    let schema = Quote::schemas().avro().unwrap();
    let names = Names::of(schema.schema());
    let case_dir = dir.join("vectors/decimal_fixed");
    std::fs::create_dir_all(&case_dir).unwrap();
    std::fs::write(case_dir.join("schema.avsc"), schema.json()).unwrap();
    std::fs::write(case_dir.join("payload.bin"), quote().to_avro().unwrap()).unwrap();
    let expected = lit_json(&quote().to_literal(), schema.schema(), &names);
    let case = json!({"format": "avro", "wire": "raw", "schema": "schema.avsc", "value": expected,
                      "producer": "kafka-model avro codec"});
    std::fs::write(
        case_dir.join("case.json"),
        serde_json::to_vec(&case).unwrap(),
    )
    .unwrap();
    let out = run(Command::new(python)
        .arg(interop_dir().join("check_vectors.py"))
        .arg(dir.join("vectors")));
    assert!(out.contains("1 passed, 0 failed"), "{out}");
}
