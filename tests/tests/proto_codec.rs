//! The derived Protobuf codec against `#[derive(prost::Message)]` structs of the same shape
//! (byte for byte, both directions), round-trip property tests, random and mutated input, and
//! unknown fields.

// Over 800 lines: each derived type sits beside its prost twin, shape by shape.

use std::collections::{BTreeMap, HashMap};

use kafka_model::protobuf::ErrorKind;
use kafka_model::{CodecError, Record};
use proptest::prelude::*;
use prost::Message;

mod common;
use common::corpus::*;

/// The prost twins of the corpus models (what `protoc` + prost-build would generate from the
/// rendered `.proto`).
mod pb {
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Customer {
        #[prost(int64, tag = "1")]
        pub id: i64,
        #[prost(string, tag = "2")]
        pub email: String,
        #[prost(string, tag = "3")]
        pub country: String,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Item {
        #[prost(string, tag = "1")]
        pub sku: String,
        #[prost(int32, tag = "2")]
        pub qty: i32,
        #[prost(int64, tag = "3")]
        pub price_cents: i64,
    }

    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
    #[repr(i32)]
    pub enum OrderStatus {
        Unspecified = 0,
        Pending = 1,
        Paid = 2,
        Shipped = 3,
        Unknown = 4,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Order {
        #[prost(string, tag = "1")]
        pub order_id: String,
        #[prost(message, optional, tag = "2")]
        pub customer: Option<Customer>,
        #[prost(message, repeated, tag = "3")]
        pub items: Vec<Item>,
        #[prost(btree_map = "string, string", tag = "4")]
        pub attributes: std::collections::BTreeMap<String, String>,
        #[prost(int64, tag = "5")]
        pub created_at_ms: i64,
        #[prost(string, optional, tag = "6")]
        pub note: Option<String>,
        #[prost(enumeration = "OrderStatus", tag = "7")]
        pub status: i32,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Primitives {
        #[prost(bool, tag = "1")]
        pub flag: bool,
        #[prost(int32, tag = "2")]
        pub tiny: i32,
        #[prost(int32, tag = "3")]
        pub small: i32,
        #[prost(int32, tag = "4")]
        pub int: i32,
        #[prost(int64, tag = "5")]
        pub long: i64,
        #[prost(uint32, tag = "6")]
        pub byte: u32,
        #[prost(uint32, tag = "7")]
        pub ushort: u32,
        #[prost(uint32, tag = "8")]
        pub uint: u32,
        #[prost(uint64, tag = "9")]
        pub ulong: u64,
        #[prost(float, tag = "10")]
        pub real: f32,
        #[prost(double, tag = "11")]
        pub double: f64,
        #[prost(string, tag = "12")]
        pub text: String,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Encodings {
        #[prost(sint32, tag = "1")]
        pub delta: i32,
        #[prost(fixed64, tag = "2")]
        pub hash: u64,
        #[prost(sint64, repeated, tag = "3")]
        pub deltas: Vec<i64>,
        #[prost(sfixed32, tag = "4")]
        pub code: i32,
        #[prost(fixed32, tag = "5")]
        pub small: u32,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Optionals {
        #[prost(string, optional, tag = "1")]
        pub text: Option<String>,
        #[prost(int64, optional, tag = "2")]
        pub count: Option<i64>,
        #[prost(message, optional, tag = "3")]
        pub customer: Option<Customer>,
        #[prost(enumeration = "OrderStatus", optional, tag = "4")]
        pub status: Option<i32>,
        #[prost(bytes = "vec", optional, tag = "5")]
        pub payload: Option<Vec<u8>>,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Collections {
        #[prost(string, repeated, tag = "1")]
        pub names: Vec<String>,
        #[prost(int32, repeated, tag = "2")]
        pub scores: Vec<i32>,
        #[prost(btree_map = "string, int64", tag = "3")]
        pub counters: std::collections::BTreeMap<String, i64>,
        #[prost(btree_map = "string, message", tag = "4")]
        pub items_by_sku: std::collections::BTreeMap<String, Item>,
        #[prost(message, repeated, tag = "5")]
        pub items: Vec<Item>,
        #[prost(enumeration = "OrderStatus", repeated, tag = "6")]
        pub statuses: Vec<i32>,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct CardPayment {
        #[prost(string, tag = "1")]
        pub last4: String,
        #[prost(int64, tag = "2")]
        pub amount_cents: i64,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct BankTransfer {
        #[prost(string, tag = "1")]
        pub iban: String,
        #[prost(int64, tag = "2")]
        pub amount_cents: i64,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Refunded {}

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct PaymentEvent {
        #[prost(oneof = "Kind", tags = "1, 2, 3")]
        pub kind: Option<Kind>,
    }

    #[derive(Clone, PartialEq, prost::Oneof)]
    pub enum Kind {
        #[prost(message, tag = "1")]
        Card(CardPayment),
        #[prost(message, tag = "2")]
        BankTransfer(BankTransfer),
        #[prost(message, tag = "3")]
        Refunded(Refunded),
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct TreeNode {
        #[prost(string, tag = "1")]
        pub label: String,
        #[prost(message, repeated, tag = "2")]
        pub children: Vec<TreeNode>,
        #[prost(message, optional, boxed, tag = "3")]
        pub parent: Option<Box<TreeNode>>,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Timestamp {
        #[prost(int64, tag = "1")]
        pub seconds: i64,
        #[prost(int32, tag = "2")]
        pub nanos: i32,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Logical {
        #[prost(string, tag = "1")]
        pub id: String,
        #[prost(message, optional, tag = "2")]
        pub at: Option<Timestamp>,
        #[prost(message, optional, tag = "3")]
        pub at_ms: Option<Timestamp>,
        #[prost(int32, tag = "4")]
        pub day: i32,
        #[prost(string, tag = "5")]
        pub amount: String,
        #[prost(message, optional, tag = "6")]
        pub seen: Option<Timestamp>,
        #[prost(message, optional, tag = "7")]
        pub due: Option<Timestamp>,
    }
}

/// Ours and prost's write the same bytes, each reads the other's, and our `prost::Message`
/// impl agrees.
fn same<T, P>(ours: &T, theirs: &P)
where
    T: Record + std::fmt::Debug + PartialEq + prost::Message,
    P: prost::Message + Default + PartialEq + std::fmt::Debug,
{
    let a = ours.to_protobuf().expect("encodes");
    let b = theirs.encode_to_vec();
    assert_eq!(a, b, "bytes of {ours:?}");
    assert_eq!(ours.encode_to_vec(), b, "prost::Message impl of {ours:?}");
    assert_eq!(prost::Message::encoded_len(ours), b.len());
    assert_eq!(&T::from_protobuf(&b).expect("reads prost's bytes"), ours);
    assert_eq!(&P::decode(a.as_slice()).expect("prost reads ours"), theirs);
}

fn pb_customer(c: &Customer) -> pb::Customer {
    pb::Customer {
        id: c.id,
        email: c.email.clone(),
        country: c.country.clone(),
    }
}

fn pb_item(i: &Item) -> pb::Item {
    pb::Item {
        sku: i.sku.clone(),
        qty: i.qty,
        price_cents: i.price_cents,
    }
}

fn pb_status(s: OrderStatus) -> i32 {
    match s {
        OrderStatus::Pending => 1,
        OrderStatus::Paid => 2,
        OrderStatus::Shipped => 3,
        OrderStatus::Unknown => 4,
    }
}

fn pb_order(o: &Order) -> pb::Order {
    pb::Order {
        order_id: o.order_id.clone(),
        customer: Some(pb_customer(&o.customer)),
        items: o.items.iter().map(pb_item).collect(),
        attributes: o.attributes.clone().into_iter().collect(),
        created_at_ms: o.created_at_ms,
        note: o.note.clone(),
        status: pb_status(o.status),
    }
}

fn pb_primitives(p: &Primitives) -> pb::Primitives {
    pb::Primitives {
        flag: p.flag,
        tiny: p.tiny.into(),
        small: p.small.into(),
        int: p.int,
        long: p.long,
        byte: p.byte.into(),
        ushort: p.ushort.into(),
        uint: p.uint,
        ulong: p.ulong,
        real: p.real,
        double: p.double,
        text: p.text.clone(),
    }
}

fn pb_ts(t: &chrono::DateTime<chrono::Utc>) -> pb::Timestamp {
    pb::Timestamp {
        seconds: t.timestamp(),
        nanos: t.timestamp_subsec_nanos() as i32,
    }
}

fn pb_tree(t: &TreeNode) -> pb::TreeNode {
    pb::TreeNode {
        label: t.label.clone(),
        children: t.children.iter().map(pb_tree).collect(),
        parent: t.parent.as_ref().map(|p| Box::new(pb_tree(p))),
    }
}

fn one_entry_order() -> Order {
    // One map entry: HashMap iteration order differs between the two sides otherwise.
    let mut o = order();
    o.attributes = [("channel".to_string(), "web".to_string())].into();
    o
}

#[test]
fn order_matches_prost() {
    let o = one_entry_order();
    same(&o, &pb_order(&o));
    let mut o = o;
    o.note = Some(String::new());
    o.items.clear();
    o.attributes.clear();
    same(&o, &pb_order(&o));
    // With several map entries, each side reads the other's regardless of order.
    let o = order();
    let bytes = pb_order(&o).encode_to_vec();
    assert_eq!(Order::from_protobuf(&bytes).expect("decodes"), o);
}

#[test]
fn corpus_models_match_prost() {
    let p = Primitives {
        flag: true,
        tiny: -8,
        small: -1600,
        int: i32::MIN,
        long: i64::MAX,
        byte: 255,
        ushort: 65535,
        uint: u32::MAX,
        ulong: u64::MAX,
        real: 1.5,
        double: -0.25,
        text: "héllo ✓".into(),
    };
    same(&p, &pb_primitives(&p));

    let e = Encodings {
        delta: -3,
        hash: u64::MAX - 7,
        deltas: vec![-1, 0, i64::MIN, i64::MAX],
        code: -2,
        small: 9,
    };
    same(
        &e,
        &pb::Encodings {
            delta: -3,
            hash: u64::MAX - 7,
            deltas: vec![-1, 0, i64::MIN, i64::MAX],
            code: -2,
            small: 9,
        },
    );

    let o = Optionals {
        text: Some(String::new()),
        count: Some(0),
        customer: Some(customer()),
        status: Some(OrderStatus::Shipped),
        payload: Some(vec![]),
    };
    same(
        &o,
        &pb::Optionals {
            text: Some(String::new()),
            count: Some(0),
            customer: Some(pb_customer(&customer())),
            status: Some(3),
            payload: Some(vec![]),
        },
    );
    let none = Optionals {
        text: None,
        count: None,
        customer: None,
        status: None,
        payload: None,
    };
    same(&none, &pb::Optionals::default());

    let c = Collections {
        names: vec!["a".into(), String::new()],
        scores: vec![1, -2, 3],
        counters: [("x".to_string(), 1)].into_iter().collect(),
        items_by_sku: [
            ("SKU-1".to_string(), item(1)),
            ("SKU-2".to_string(), item(2)),
        ]
        .into_iter()
        .collect(),
        items: vec![item(2)],
        statuses: vec![OrderStatus::Pending, OrderStatus::Unknown],
    };
    same(
        &c,
        &pb::Collections {
            names: c.names.clone(),
            scores: c.scores.clone(),
            counters: [("x".to_string(), 1)].into_iter().collect(),
            items_by_sku: c
                .items_by_sku
                .iter()
                .map(|(k, v)| (k.clone(), pb_item(v)))
                .collect(),
            items: vec![pb_item(&item(2))],
            statuses: vec![1, 4],
        },
    );

    let card = CardPayment {
        last4: "4242".into(),
        amount_cents: 0,
    };
    let pb_card = pb::CardPayment {
        last4: "4242".into(),
        amount_cents: 0,
    };
    same(
        &PaymentEvent::Card(card.clone()),
        &pb::PaymentEvent {
            kind: Some(pb::Kind::Card(pb_card)),
        },
    );
    same(
        &PaymentEvent::BankTransfer {
            iban: "DE89".into(),
            amount_cents: 5,
        },
        &pb::PaymentEvent {
            kind: Some(pb::Kind::BankTransfer(pb::BankTransfer {
                iban: "DE89".into(),
                amount_cents: 5,
            })),
        },
    );
    same(
        &PaymentEvent::Refunded,
        &pb::PaymentEvent {
            kind: Some(pb::Kind::Refunded(pb::Refunded {})),
        },
    );

    let tree = TreeNode {
        label: "root".into(),
        children: vec![TreeNode {
            label: "leaf".into(),
            children: vec![],
            parent: None,
        }],
        parent: Some(Box::new(TreeNode {
            label: "up".into(),
            children: vec![],
            parent: None,
        })),
    };
    same(&tree, &pb_tree(&tree));

    let at = ts(1_700_000_000, 123_456_789);
    let l = Logical {
        id: uuid::Uuid::from_u128(0x1234),
        at,
        at_ms: ts(-1, 500_000_000),
        day: chrono::NaiveDate::from_ymd_opt(2024, 2, 29).expect("date"),
        amount: "-12.50".parse().expect("decimal"),
        seen: time::OffsetDateTime::from_unix_timestamp(86_400).expect("time"),
        due: None,
    };
    same(
        &l,
        &pb::Logical {
            id: l.id.hyphenated().to_string(),
            at: Some(pb_ts(&at)),
            at_ms: Some(pb_ts(&l.at_ms)),
            day: 19_782,
            amount: "-12.50".into(),
            seen: Some(pb::Timestamp {
                seconds: 86_400,
                nanos: 0,
            }),
            due: None,
        },
    );
}

/// Where we follow the reference runtimes (C++, Java, Go, Python/upb) rather than prost.
#[test]
fn documented_differences_from_prost() {
    // -0.0 is written (prost compares with == 0.0 and drops it, losing the sign).
    let mut p = pb_primitives(&Primitives {
        flag: false,
        tiny: 0,
        small: 0,
        int: 0,
        long: 0,
        byte: 0,
        ushort: 0,
        uint: 0,
        ulong: 0,
        real: 0.0,
        double: -0.0,
        text: String::new(),
    });
    assert!(p.encode_to_vec().is_empty());
    p.double = 0.0;
    let ours = Primitives::from_protobuf(&[0x59, 0, 0, 0, 0, 0, 0, 0, 0x80]).expect("decodes");
    assert!(ours.double.is_sign_negative());
    assert_eq!(
        ours.to_protobuf().expect("encodes"),
        [0x59, 0, 0, 0, 0, 0, 0, 0, 0x80]
    );
    // Map entries carry key and value even at their defaults (prost omits them).
    let c = Collections {
        names: vec![],
        scores: vec![],
        counters: [(String::new(), 0)].into_iter().collect(),
        items_by_sku: BTreeMap::new(),
        items: vec![],
        statuses: vec![],
    };
    assert_eq!(
        c.to_protobuf().expect("encodes"),
        [0x1a, 0x04, 0x0a, 0x00, 0x10, 0x00]
    );
    // Either form reads back the same.
    assert_eq!(
        Collections::from_protobuf(&[0x1a, 0x00]).expect("decodes"),
        c
    );
}

#[test]
fn unknown_fields_are_skipped() {
    let c = customer();
    let mut bytes = Vec::new();
    // Unknown fields of every wire type before, between and after the known ones.
    bytes.extend_from_slice(&[0x78, 0x96, 0x01]); // 15: varint
    bytes.extend_from_slice(&pb_customer(&c).encode_to_vec());
    bytes.extend_from_slice(&[0x81, 0x01, 1, 2, 3, 4, 5, 6, 7, 8]); // 16: fixed64
    bytes.extend_from_slice(&[0x8a, 0x01, 0x03, b'a', b'b', b'c']); // 17: bytes
    bytes.extend_from_slice(&[0x95, 0x01, 1, 2, 3, 4]); // 18: fixed32
    bytes.extend_from_slice(&[0x9b, 0x01, 0x08, 0x01, 0x9c, 0x01]); // 19: group
    assert_eq!(Customer::from_protobuf(&bytes).expect("decodes"), c);
    // In nested messages too: a newer Customer inside an Order.
    let o = one_entry_order();
    let mut newer = pb_order(&o);
    newer.customer = None;
    let mut bytes = newer.encode_to_vec();
    let mut customer = pb_customer(&o.customer).encode_to_vec();
    customer.extend_from_slice(&[0xa0, 0x06, 0x01]); // field 100
    bytes.push(0x12);
    bytes.push(customer.len() as u8);
    bytes.extend_from_slice(&customer);
    assert_eq!(Order::from_protobuf(&bytes).expect("decodes"), o);
}

#[test]
fn errors_name_the_field_and_offset() {
    // customer.email (field 2 of field 2) is not UTF-8.
    let bytes = [0x12, 0x04, 0x12, 0x02, 0xff, 0xfe];
    let err = match Order::from_protobuf(&bytes) {
        Err(CodecError::Protobuf(e)) => e,
        other => panic!("{other:?}"),
    };
    assert_eq!(err.path(), "customer.email");
    assert_eq!(err.kind(), &ErrorKind::InvalidUtf8);
    assert_eq!(err.offset(), Some(6));
    assert_eq!(err.message(), Some("Order"));
    // A length past the end is rejected before any allocation.
    let err = kafka_model::protobuf::decode::<Customer>(&[0x12, 0xff, 0xff, 0xff, 0xff, 0x0f])
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Truncated { .. }), "{err}");
    // A value out of the Rust type's range.
    let err = kafka_model::protobuf::decode::<Primitives>(&[0x10, 0xac, 0x02]).unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::OutOfRange {
                ty: "i8",
                value: 300
            }
        ),
        "{err}"
    );
    // Wrong wire type.
    let err = kafka_model::protobuf::decode::<Customer>(&[0x0a, 0x00]).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::WireType { .. }), "{err}");
    // No oneof member.
    let err = PaymentEvent::from_protobuf(&[]).unwrap_err();
    assert!(err.to_string().contains("oneof"), "{err}");
    // Recursion limit.
    let mut deep = Vec::new();
    for _ in 0..200 {
        let mut outer = vec![0x12];
        let mut len = Vec::new();
        prost::encoding::encode_varint(deep.len() as u64, &mut len);
        outer.extend(len);
        outer.extend(deep);
        deep = outer;
    }
    let err = kafka_model::protobuf::decode::<TreeNode>(&deep).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::RecursionLimit(100)),
        "{err}"
    );
    // Unit enums are not messages.
    assert!(OrderStatus::Paid.to_protobuf().is_err());
    // Codec by name.
    let o = one_entry_order();
    let bytes = o.dumps_with("protobuf").expect("encodes");
    assert_eq!(bytes, pb_order(&o).encode_to_vec());
    assert_eq!(Order::loads_with("protobuf", &bytes).expect("decodes"), o);
}

#[test]
fn enum_numbers_not_declared() {
    // OrderStatus has a default symbol (Unknown): 0, 99 and -1 read as it.
    for n in [0i32, 99, -1] {
        let bytes = pb::Order {
            status: n,
            ..pb_order(&one_entry_order())
        }
        .encode_to_vec();
        assert_eq!(
            Order::from_protobuf(&bytes).expect("decodes").status,
            OrderStatus::Unknown
        );
    }
    // Priority has one too (Low); an enum without one fails (see proto_vectors::enums).
}

#[test]
fn prost_message_api() {
    let o = one_entry_order();
    let bytes = o.encode_length_delimited_to_vec();
    let back = pb::Order::decode_length_delimited(bytes.as_slice()).expect("prost reads");
    assert_eq!(back, pb_order(&o));
    let mut merged = o.clone();
    // Merging a second copy appends the repeated field and keeps the rest.
    prost::Message::merge(&mut merged, pb_order(&o).encode_to_vec().as_slice()).expect("merges");
    assert_eq!(merged.items.len(), 10);
    prost::Message::clear(&mut merged);
    assert!(merged.items.is_empty() && merged.order_id.is_empty());
}

// ---- property tests -------------------------------------------------------------------------------

fn finite_f64() -> impl Strategy<Value = f64> {
    -1e12f64..1e12
}

prop_compose! {
    fn arb_customer()(id in any::<i64>(), email in ".{0,12}", country in "[A-Z]{0,2}") -> Customer {
        Customer { id, email, country }
    }
}

prop_compose! {
    fn arb_item()(sku in ".{0,8}", qty in any::<i32>(), price_cents in any::<i64>()) -> Item {
        Item { sku, qty, price_cents }
    }
}

fn arb_status() -> impl Strategy<Value = OrderStatus> {
    prop_oneof![
        Just(OrderStatus::Pending),
        Just(OrderStatus::Paid),
        Just(OrderStatus::Shipped),
        Just(OrderStatus::Unknown)
    ]
}

prop_compose! {
    fn arb_order()(
        order_id in ".{0,36}",
        customer in arb_customer(),
        items in prop::collection::vec(arb_item(), 0..6),
        attributes in prop::collection::hash_map("[a-z]{1,6}", "[a-z]{1,6}", 0..2),
        created_at_ms in any::<i64>(),
        note in prop::option::of(".{0,8}"),
        status in arb_status(),
    ) -> Order {
        Order { order_id, customer, items, attributes, created_at_ms, note, status }
    }
}

prop_compose! {
    fn arb_primitives()(
        flag in any::<bool>(), tiny in any::<i8>(), small in any::<i16>(), int in any::<i32>(),
        long in any::<i64>(), byte in any::<u8>(), ushort in any::<u16>(), uint in any::<u32>(),
        ulong in any::<u64>(), real in -1e6f32..1e6, double in finite_f64(), text in ".{0,16}",
    ) -> Primitives {
        Primitives { flag, tiny, small, int, long, byte, ushort, uint, ulong, real, double, text }
    }
}

prop_compose! {
    fn arb_logical()(
        id in any::<u128>(),
        secs in -62_135_596_800i64..253_402_300_799,
        nanos in 0u32..1_000_000_000,
        days in -700_000i32..2_000_000,
        mantissa in any::<i64>(),
        scale in 0u32..10,
        due in prop::option::of(0i64..4_000_000_000),
    ) -> Logical {
        Logical {
            id: uuid::Uuid::from_u128(id),
            at: ts(secs, nanos),
            at_ms: ts(secs, 0),
            day: chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch") + chrono::Duration::days(days as i64),
            amount: rust_decimal::Decimal::new(mantissa, scale),
            seen: time::OffsetDateTime::from_unix_timestamp(secs).expect("in range"),
            due: due.map(|s| ts(s, 0)),
        }
    }
}

fn arb_event() -> impl Strategy<Value = PaymentEvent> {
    prop_oneof![
        (".{0,4}", any::<i64>()).prop_map(|(last4, amount_cents)| PaymentEvent::Card(
            CardPayment {
                last4,
                amount_cents
            }
        )),
        (".{0,4}", any::<i64>())
            .prop_map(|(iban, amount_cents)| PaymentEvent::BankTransfer { iban, amount_cents }),
        Just(PaymentEvent::Refunded),
    ]
}

fn arb_envelope() -> impl Strategy<Value = Envelope> {
    prop_oneof![
        ".{0,4}".prop_map(Envelope::Text),
        any::<i64>().prop_map(Envelope::Number),
        (".{0,4}", any::<i64>()).prop_map(|(last4, amount_cents)| Envelope::Card(CardPayment {
            last4,
            amount_cents
        })),
    ]
}

prop_compose! {
    fn arb_ledger()(
        events in prop::collection::vec(arb_event(), 0..4),
        last in prop::option::of(arb_event()),
        envelope in arb_envelope(),
    ) -> Ledger {
        Ledger { events, last, envelope }
    }
}

prop_compose! {
    fn arb_collections()(
        names in prop::collection::vec(".{0,4}", 0..4),
        scores in prop::collection::vec(any::<i32>(), 0..8),
        counters in prop::collection::hash_map(".{0,4}", any::<i64>(), 0..4),
        items_by_sku in prop::collection::btree_map(".{0,4}", arb_item(), 0..3),
        items in prop::collection::vec(arb_item(), 0..3),
        statuses in prop::collection::vec(arb_status(), 0..5),
    ) -> Collections {
        Collections { names, scores, counters, items_by_sku, items, statuses }
    }
}

fn round_trip<T: Record + PartialEq + std::fmt::Debug>(v: &T) -> Vec<u8> {
    let bytes = v.to_protobuf().expect("encodes");
    assert_eq!(&T::from_protobuf(&bytes).expect("decodes"), v);
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn order_round_trips_and_matches_prost(o in arb_order()) {
        let bytes = round_trip(&o);
        let theirs = pb_order(&o);
        prop_assert_eq!(pb::Order::decode(bytes.as_slice()).expect("prost reads"), theirs.clone());
        if o.attributes.len() <= 1 && o.attributes.iter().all(|(k, v)| !k.is_empty() && !v.is_empty()) {
            prop_assert_eq!(bytes, theirs.encode_to_vec());
        }
    }

    #[test]
    fn primitives_round_trip_and_match_prost(p in arb_primitives()) {
        let bytes = round_trip(&p);
        prop_assert_eq!(bytes, pb_primitives(&p).encode_to_vec());
    }

    #[test]
    fn logical_round_trips(l in arb_logical()) {
        round_trip(&l);
    }

    #[test]
    fn unions_round_trip(l in arb_ledger()) {
        round_trip(&l);
    }

    #[test]
    fn collections_round_trip(c in arb_collections()) {
        round_trip(&c);
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = Order::from_protobuf(&bytes);
        let _ = Logical::from_protobuf(&bytes);
        let _ = Ledger::from_protobuf(&bytes);
        let _ = Collections::from_protobuf(&bytes);
        let _ = TreeNode::from_protobuf(&bytes);
        let _ = Primitives::from_protobuf(&bytes);
        let _ = Binary::from_protobuf(&bytes);
        let _ = Encodings::from_protobuf(&bytes);
    }

    #[test]
    fn mutated_bytes_never_panic(
        o in arb_order(),
        l in arb_ledger(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
        cut in any::<prop::sample::Index>(),
    ) {
        for mut bytes in [o.to_protobuf().expect("encodes"), l.to_protobuf().expect("encodes")] {
            if bytes.is_empty() {
                continue;
            }
            for (at, b) in &edits {
                let i = at.index(bytes.len());
                bytes[i] = *b;
            }
            let _ = Order::from_protobuf(&bytes);
            let _ = Ledger::from_protobuf(&bytes);
            let _ = Logical::from_protobuf(&bytes);
            let truncated = &bytes[..cut.index(bytes.len())];
            let _ = Order::from_protobuf(truncated);
            let _ = Ledger::from_protobuf(truncated);
        }
    }
}

#[test]
fn binary_and_hash_maps() {
    let b = Binary {
        data: vec![0, 1, 255],
        shared: bytes::Bytes::from_static(b"abc"),
        digest: [7; 16],
        blob: vec![],
    };
    let bytes = round_trip(&b);
    // A wrong length for [u8; 16] is an error naming the field.
    let mut bad = bytes.clone();
    let pos = bad
        .windows(2)
        .position(|w| w == [0x1a, 0x10])
        .expect("digest");
    bad[pos + 1] = 0x0f;
    bad.remove(pos + 2);
    let err = kafka_model::protobuf::decode::<Binary>(&bad).unwrap_err();
    assert_eq!(err.path(), "digest", "{err}");
    let counters: HashMap<String, i64> = (0..20).map(|i| (format!("k{i}"), i)).collect();
    let c = Collections {
        names: vec![],
        scores: vec![],
        counters,
        items_by_sku: BTreeMap::new(),
        items: vec![],
        statuses: vec![],
    };
    round_trip(&c);
}

// ---- write direction: the reference runtime reads what we write -----------------------------------

fn write_case<T: Record + serde::Serialize>(dir: &std::path::Path, name: &str, value: &T) {
    let case = dir.join(name);
    std::fs::create_dir_all(&case).expect("case dir");
    let schema = T::schemas().proto().expect("schema");
    assert_eq!(schema.files().len(), 1, "{name}: one self-contained .proto");
    std::fs::write(case.join("schema.proto"), &schema.main().text).expect("write schema");
    let mut payload = vec![0, 0, 0, 0, 7, 0];
    value.write_protobuf(&mut payload).expect("encodes");
    std::fs::write(case.join("payload.bin"), payload).expect("write payload");
    let json = serde_json::json!({
        "format": "protobuf",
        "wire": "confluent",
        "topic": "kafka-model.proto",
        "schema": "schema.proto",
        "schema_id": 7,
        "message_type": schema.message_name(),
        "message_indexes": [0],
        "value": serde_json::to_value(value).expect("json"),
    });
    std::fs::write(
        case.join("case.json"),
        serde_json::to_vec_pretty(&json).expect("json"),
    )
    .expect("write case");
}

#[test]
fn reference_runtime_reads_what_we_write() {
    let Some(python) = common::tools::interop_python() else {
        return;
    };
    let dir = common::tools::scratch("proto_write_direction");
    write_case(
        &dir,
        "primitives",
        &Primitives {
            flag: true,
            tiny: -8,
            small: -1600,
            int: i32::MIN,
            long: i64::MAX,
            byte: 255,
            ushort: 65535,
            uint: u32::MAX,
            ulong: u64::MAX,
            real: 1.5,
            double: -0.25,
            text: "héllo ✓".into(),
        },
    );
    write_case(
        &dir,
        "encodings",
        &Encodings {
            delta: -3,
            hash: u64::MAX - 7,
            deltas: vec![-1, 0, i64::MIN, i64::MAX],
            code: -2,
            small: 9,
        },
    );
    write_case(
        &dir,
        "tree",
        &TreeNode {
            label: "root".into(),
            children: vec![TreeNode {
                label: String::new(),
                children: vec![],
                parent: None,
            }],
            parent: None,
        },
    );
    let script = common::tools::interop_dir().join("check_vectors.py");
    let out = common::tools::run(std::process::Command::new(python).arg(script).arg(&dir));
    assert!(out.contains("3 passed, 0 failed"), "{out}");
}
