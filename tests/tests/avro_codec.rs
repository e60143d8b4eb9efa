//! The generated Avro codec: byte-identical with apache-avro on the corpus, round trips
//! (examples and proptest), codecs by name, single-object encoding, and hostile input.
#![allow(deprecated)]
// apache-avro 0.22's `to_avro_datum`: the simplest reference encoder.
// The Protobuf part of the derive emits an all-diverging `match` for field-less structs
// (expand/proto.rs `merge_field`); our empty records would trip `-D warnings` on it.
#![allow(unreachable_code)]

mod avro_support;
mod common;

use std::collections::{BTreeMap, HashMap};

use avro_support::{assert_same_datum, lit_value, Names};
use common::corpus::*;
use kafka_model::avro::{DecodeErrorKind, EncodeErrorKind};
use kafka_model::{CodecError, FieldType, Record};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

/// Every corpus type: our bytes equal apache-avro's for the same value, apache-avro reads ours,
/// we read apache-avro's, and the value round-trips.
fn check_against_apache<T: Record + PartialEq + std::fmt::Debug>(name: &str, value: &T) {
    let schema = T::schemas().avro().unwrap().schema();
    let names = Names::of(schema);
    let ours = match value.to_avro() {
        Ok(b) => b,
        Err(CodecError::AvroEncode(e)) => {
            // Only u64 values above i64::MAX are refused.
            assert!(
                matches!(e.kind(), EncodeErrorKind::OutOfRange { .. }),
                "{name}: {e}"
            );
            assert!(
                !e.path().is_empty(),
                "{name}: the error names the field: {e}"
            );
            return;
        }
        Err(e) => panic!("{name}: {e}"),
    };
    let apache_value = lit_value(&value.to_literal(), schema, &names);
    let theirs =
        apache_avro::to_avro_datum(schema, apache_value).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_same_datum(&ours, &theirs, schema, name);
    assert_eq!(
        &T::from_avro(&theirs).unwrap(),
        value,
        "{name}: reading apache-avro's bytes"
    );
    assert_eq!(&T::from_avro(&ours).unwrap(), value, "{name}: round trip");
    // Trailing bytes are refused.
    let mut longer = ours.clone();
    longer.push(0);
    assert!(
        matches!(T::from_avro(&longer), Err(CodecError::AvroDecode(e)) if matches!(e.kind(), DecodeErrorKind::TrailingBytes { .. }))
    );
}

macro_rules! corpus_types {
    ($f:ident; $($t:ty),* $(,)?) => {{
        let cases = cases();
        let mut seen = 0;
        $(
            let case = cases.iter().find(|c| c.name == stringify!($t)).expect(stringify!($t));
            let value = <$t as Record>::loads(&(case.sample_json)()).expect("sample decodes");
            $f::<$t>(stringify!($t), &value);
            seen += 1;
        )*
        seen
    }};
}

#[test]
fn corpus_is_byte_identical_with_apache_avro() {
    let n = corpus_types!(check_against_apache;
        Primitives, Binary, Customer, Item, OrderStatus, Order, Optionals, Collections, CardPayment,
        PaymentEvent, Command, Envelope, TreeNode, Logical, Encodings, Renamed, Settings, Strict,
        Plain, Ledger);
    assert_eq!(n, cases().len(), "every corpus model is covered");
}

fn check_codecs_by_name<T: Record + PartialEq + std::fmt::Debug>(name: &str, value: &T) {
    let Ok(datum) = value.to_avro() else { return };
    assert_eq!(value.dumps_with("avro").unwrap(), datum, "{name}");
    assert_eq!(&T::loads_with("avro", &datum).unwrap(), value, "{name}");
    let single = value.dumps_with("avro-single").unwrap();
    assert_eq!(single[..2], [0xC3, 0x01]);
    assert_eq!(
        single[2..10],
        T::schemas().avro().unwrap().fingerprint_bytes()
    );
    assert_eq!(single[10..], datum[..]);
    assert_eq!(
        &T::loads_with("avro-single", &single).unwrap(),
        value,
        "{name}"
    );
    assert_eq!(&T::from_avro_single(&single).unwrap(), value, "{name}");
    // Writer schema equal to ours: the direct path.
    let schema = T::schemas().avro().unwrap().schema();
    assert_eq!(
        &T::from_avro_with_writer(schema, &datum).unwrap(),
        value,
        "{name}"
    );
}

#[test]
fn codecs_by_name_and_single_object() {
    corpus_types!(check_codecs_by_name;
        Primitives, Binary, Customer, Item, OrderStatus, Order, Optionals, Collections, CardPayment,
        PaymentEvent, Command, Envelope, TreeNode, Logical, Encodings, Renamed, Settings, Strict,
        Plain, Ledger);
}

#[test]
fn single_object_checks_marker_and_fingerprint() {
    let c = customer();
    let mut single = c.to_avro_single().unwrap();
    single[5] ^= 0xff;
    match Customer::from_avro_single(&single) {
        Err(CodecError::AvroDecode(e)) => {
            assert!(
                matches!(e.kind(), DecodeErrorKind::FingerprintMismatch { .. }),
                "{e}"
            )
        }
        other => panic!("{other:?}"),
    }
    match Customer::from_avro_single(&[0xC3]) {
        Err(CodecError::AvroDecode(e)) => {
            assert!(matches!(e.kind(), DecodeErrorKind::BadMarker { .. }), "{e}")
        }
        other => panic!("{other:?}"),
    }
    match Customer::from_avro_single(&[0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0]) {
        Err(CodecError::AvroDecode(e)) => {
            assert!(matches!(e.kind(), DecodeErrorKind::BadMarker { .. }), "{e}")
        }
        other => panic!("{other:?}"),
    }
    // Errors inside the datum report offsets in the whole message.
    let mut good = c.to_avro_single().unwrap();
    good.truncate(12);
    match Customer::from_avro_single(&good) {
        Err(CodecError::AvroDecode(e)) => assert!(e.offset() >= 10, "{e}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn u64_above_i64_max_is_an_encode_error_naming_the_field() {
    let mut p: Primitives = Primitives::loads(&(cases()[0].sample_json)()).unwrap();
    let err = p.to_avro().unwrap_err();
    assert!(err.to_string().contains("ulong"), "{err}");
    p.ulong = i64::MAX as u64;
    let bytes = p.to_avro().unwrap();
    assert_eq!(Primitives::from_avro(&bytes).unwrap(), p);
}

#[test]
fn decode_errors_name_offset_field_expected_and_found() {
    // Item { sku: String, qty: i32, price_cents: i64 }: a string claiming 100 bytes.
    let err = Item::from_avro(&[0xc8, 0x01, b'a']).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("byte 0") && text.contains("sku") && text.contains("found 100"),
        "{text}"
    );
    // qty out of i32 range.
    let mut bytes = vec![0x02, b'a'];
    bytes.extend([0xff, 0xff, 0xff, 0xff, 0x1f]);
    let text = Item::from_avro(&bytes).unwrap_err().to_string();
    assert!(
        text.contains("byte 2") && text.contains("qty") && text.contains("int"),
        "{text}"
    );
    // Enum index out of range.
    let text = OrderStatus::from_avro(&[0x7e]).unwrap_err().to_string();
    assert!(text.contains("enum symbol index"), "{text}");
    // Union index out of range.
    let text = PaymentEvent::from_avro(&[0x08]).unwrap_err().to_string();
    assert!(text.contains("union branch index"), "{text}");
}

#[test]
fn negative_block_counts_with_byte_sizes_are_read() {
    // Collections.names as one block of -2 items with a byte size, then the end.
    let c = Collections {
        names: vec!["a".into(), "b".into()],
        scores: vec![],
        counters: HashMap::new(),
        items_by_sku: BTreeMap::new(),
        items: vec![],
        statuses: vec![],
    };
    let ours = c.to_avro().unwrap();
    assert_eq!(ours[..6], [0x04, 0x02, b'a', 0x02, b'b', 0x00]);
    let mut blocked = vec![0x03, 0x08, 0x02, b'a', 0x02, b'b', 0x00];
    blocked.extend_from_slice(&ours[6..]);
    assert_eq!(Collections::from_avro(&blocked).unwrap(), c);
    // Several blocks.
    let mut split = vec![0x02, 0x02, b'a', 0x02, 0x02, b'b', 0x00];
    split.extend_from_slice(&ours[6..]);
    assert_eq!(Collections::from_avro(&split).unwrap(), c);
}

#[test]
fn encoding_into_a_reused_buffer_appends() {
    let o = order();
    let mut buf = Vec::with_capacity(512);
    o.write_avro(&mut buf).unwrap();
    let first = buf.clone();
    buf.clear();
    o.write_avro(&mut buf).unwrap();
    assert_eq!(buf, first);
    o.write_avro(&mut buf).unwrap();
    assert_eq!(buf.len(), 2 * first.len());
}

// --- a model with every mapped type, for property tests ------------------------------------

fn nick() -> Option<String> {
    Some("anon".into())
}

/// Every mapped type, including flattened optional unions and a `[T, "null"]` option.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.prop")]
pub struct Everything {
    pub flag: bool,
    pub tiny: i8,
    pub small: i16,
    pub int: i32,
    pub long: i64,
    pub byte: u8,
    pub ushort: u16,
    pub uint: u32,
    pub ulong: u64,
    pub real: f32,
    pub double: f64,
    pub text: String,
    pub data: Vec<u8>,
    pub shared: bytes::Bytes,
    pub digest: [u8; 4],
    pub maybe: Option<i64>,
    #[serde(default = "nick")]
    pub nick: Option<String>,
    pub list: Vec<String>,
    pub map: BTreeMap<String, i32>,
    pub id: uuid::Uuid,
    pub at: chrono::DateTime<chrono::Utc>,
    #[record(timestamp = "millis")]
    pub at_ms: chrono::DateTime<chrono::Utc>,
    pub day: chrono::NaiveDate,
    #[record(decimal(precision = 20, scale = 4))]
    pub amount: rust_decimal::Decimal,
    pub event: PaymentEvent,
    pub maybe_event: Option<PaymentEvent>,
    pub events: Vec<PaymentEvent>,
    pub status: OrderStatus,
    pub tree: Option<Box<TreeNode>>,
}

fn arb_status() -> impl Strategy<Value = OrderStatus> {
    prop_oneof![
        Just(OrderStatus::Pending),
        Just(OrderStatus::Paid),
        Just(OrderStatus::Shipped),
        Just(OrderStatus::Unknown)
    ]
}

fn arb_event() -> impl Strategy<Value = PaymentEvent> {
    prop_oneof![
        (".{0,8}", any::<i64>()).prop_map(|(last4, amount_cents)| PaymentEvent::Card(
            CardPayment {
                last4,
                amount_cents
            }
        )),
        (".{0,8}", any::<i64>())
            .prop_map(|(iban, amount_cents)| PaymentEvent::BankTransfer { iban, amount_cents }),
        Just(PaymentEvent::Refunded),
    ]
}

fn arb_tree() -> impl Strategy<Value = TreeNode> {
    let leaf = ".{0,4}".prop_map(|label| TreeNode {
        label,
        children: vec![],
        parent: None,
    });
    leaf.prop_recursive(3, 12, 3, |inner| {
        (
            ".{0,4}",
            prop::collection::vec(inner.clone(), 0..3),
            prop::option::of(inner.prop_map(Box::new)),
        )
            .prop_map(|(label, children, parent)| TreeNode {
                label,
                children,
                parent,
            })
    })
}

prop_compose! {
    fn arb_everything()(
        (flag, tiny, small, int, long, byte, ushort, uint) in (any::<bool>(), any::<i8>(), any::<i16>(), any::<i32>(), any::<i64>(), any::<u8>(), any::<u16>(), any::<u32>()),
        (ulong, real, double, text) in (0..=i64::MAX as u64, any::<f32>(), any::<f64>(), ".{0,16}"),
        (data, shared, digest, maybe, nick) in (prop::collection::vec(any::<u8>(), 0..16), prop::collection::vec(any::<u8>(), 0..8), any::<[u8; 4]>(), any::<Option<i64>>(), prop::option::of(".{0,6}")),
        (list, map) in (prop::collection::vec(".{0,4}", 0..4), prop::collection::btree_map(".{0,4}", any::<i32>(), 0..4)),
        (id, micros, millis, days, mantissa) in (any::<u128>(), -8_000_000_000_000_000i64..8_000_000_000_000_000, -8_000_000_000_000_000i64..8_000_000_000_000_000, -700_000i32..2_900_000, -(10i64.pow(15))..10i64.pow(15)),
        (event, maybe_event, events, status, tree) in (arb_event(), prop::option::of(arb_event()), prop::collection::vec(arb_event(), 0..3), arb_status(), prop::option::of(arb_tree().prop_map(Box::new))),
    ) -> Everything {
        Everything {
            flag, tiny, small, int, long, byte, ushort, uint, ulong, real, double, text,
            data, shared: bytes::Bytes::from(shared), digest, maybe, nick, list, map,
            id: uuid::Uuid::from_u128(id),
            at: chrono::DateTime::from_timestamp_micros(micros / 1000).unwrap(),
            at_ms: chrono::DateTime::from_timestamp_millis(millis / 1_000_000).unwrap(),
            day: chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::TimeDelta::days(i64::from(days)),
            amount: rust_decimal::Decimal::new(mantissa, 4),
            event, maybe_event, events, status, tree,
        }
    }
}

fn same_floats(a: &Everything, b: &Everything) -> bool {
    a.real.to_bits() == b.real.to_bits() && a.double.to_bits() == b.double.to_bits()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn everything_round_trips(v in arb_everything()) {
        let bytes = v.to_avro().unwrap();
        let back = Everything::from_avro(&bytes).unwrap();
        prop_assert!(same_floats(&v, &back));
        let mut v2 = v.clone();
        v2.real = back.real;
        v2.double = back.double;
        prop_assert_eq!(back, v2);
    }

    #[test]
    fn everything_matches_apache_avro(v in arb_everything()) {
        prop_assume!(!v.real.is_nan() && !v.double.is_nan());
        let schema = Everything::schemas().avro().unwrap().schema();
        let names = Names::of(schema);
        let theirs = apache_avro::to_avro_datum(schema, lit_value(&v.to_literal(), schema, &names)).unwrap();
        // apache-avro's maps are HashMaps: entry order may differ, the datum may not.
        assert_same_datum(&v.to_avro().unwrap(), &theirs, schema, "Everything");
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = Everything::from_avro(&bytes);
        let _ = Order::from_avro(&bytes);
        let _ = Ledger::from_avro(&bytes);
        let _ = TreeNode::from_avro(&bytes);
        let _ = Collections::from_avro(&bytes);
        let _ = Logical::from_avro(&bytes);
        let _ = Everything::from_avro_single(&bytes);
    }

    #[test]
    fn mutated_bytes_never_panic(v in arb_everything(), edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6), cut in any::<prop::sample::Index>()) {
        let mut bytes = v.to_avro().unwrap();
        for (i, b) in edits {
            let i = i.index(bytes.len());
            bytes[i] = b;
        }
        let _ = Everything::from_avro(&bytes);
        let n = cut.index(bytes.len() + 1);
        let _ = Everything::from_avro(&bytes[..n]);
    }
}

#[test]
fn hostile_lengths_fail_fast_without_allocating() {
    // A huge array count of zero-width items (empty variant records) is bounded.
    let mut bytes = Vec::new();
    kafka_model::avro::encode::write_long(&mut bytes, i64::MAX);
    let e = Vec::<PaymentEvent>::from_avro_like(&bytes);
    assert!(e.is_err());
    // A string length of 2^62.
    assert!(Customer::from_avro(&[
        0x02, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01
    ])
    .is_err());
}

trait FromAvroLike: Sized {
    fn from_avro_like(bytes: &[u8]) -> Result<Self, kafka_model::avro::DecodeError>;
}

impl<T: kafka_model::avro::AvroCodec> FromAvroLike for T {
    fn from_avro_like(bytes: &[u8]) -> Result<Self, kafka_model::avro::DecodeError> {
        let mut r = kafka_model::avro::Reader::new(bytes);
        let v = T::avro_decode(&mut r, &kafka_model::model::FieldOptions::default())?;
        r.finish()?;
        Ok(v)
    }
}

#[test]
fn zero_width_items_are_bounded() {
    // 60000 `Refunded` (branch 2 of a union: one byte each) fit; 2^20 empty items do not.
    let mut bytes = Vec::new();
    kafka_model::avro::encode::write_long(&mut bytes, 1 << 20);
    bytes.push(0);
    assert!(Vec::<Vec<Tick>>::from_avro_like(&bytes).is_err());
    let mut ok = Vec::new();
    kafka_model::avro::encode::write_long(&mut ok, 1000);
    ok.push(0);
    assert_eq!(Vec::<Tick>::from_avro_like(&ok).unwrap().len(), 1000);
}

/// An empty record: zero bytes on the wire.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Tick {}
