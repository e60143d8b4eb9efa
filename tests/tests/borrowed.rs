//! Borrowed decoding (`RecordRef`, issue 18): a struct with a lifetime reads what its owned
//! equivalent writes, in Avro and JSON and through the registry `Deserializer`, with strings
//! and bytes pointing into the input, typed errors on bad input, and no allocation for a type
//! whose only non-scalar fields borrow.

use std::alloc::{GlobalAlloc, Layout, System};
use std::borrow::Cow;
use std::cell::Cell;
use std::collections::BTreeMap;
use std::sync::Arc;

use kafka_model::avro::DecodeErrorKind;
use kafka_model::registry::MemoryRegistry;
use kafka_model::serdes::{
    Deserializer, DeserializerConfig, SerdeErrorKind, Serializer, SerializerConfig,
};
use kafka_model::{CodecError, Record, RecordRef};
use serde::{Deserialize, Serialize};

// ---- A counting allocator, per thread (the tests of this binary run in parallel) ----

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_during<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let before = ALLOCATIONS.with(Cell::get);
    let r = f();
    (r, ALLOCATIONS.with(Cell::get) - before)
}

// ---- The owned types and their borrowed views ----

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "test.borrow")]
enum Status {
    Pending,
    Paid,
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "test.borrow")]
struct Point {
    x: i32,
    y: i32,
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "test.borrow")]
struct Item {
    sku: String,
    blob: Vec<u8>,
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "test.borrow")]
struct Event {
    id: String,
    name: String,
    tags: Vec<String>,
    payload: Vec<u8>,
    note: Option<String>,
    count: i64,
    item: Item,
    items: Vec<Item>,
    maybe: Option<Item>,
    attrs: BTreeMap<String, String>,
    status: Status,
    at: Point,
}

#[derive(Record, Deserialize, Debug, PartialEq)]
#[record(namespace = "test.borrow", name = "Item")]
struct ItemRef<'a> {
    sku: &'a str,
    #[serde(borrow)]
    blob: Cow<'a, [u8]>,
}

#[derive(Record, Deserialize, Debug, PartialEq)]
#[record(namespace = "test.borrow", name = "Event")]
struct EventRef<'a> {
    id: &'a str,
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow)]
    tags: Vec<&'a str>,
    payload: &'a [u8],
    note: Option<&'a str>,
    count: i64,
    #[serde(borrow)]
    item: ItemRef<'a>,
    #[serde(borrow)]
    items: Vec<ItemRef<'a>>,
    #[serde(borrow)]
    maybe: Option<ItemRef<'a>>,
    #[serde(borrow)]
    attrs: BTreeMap<String, &'a str>,
    status: Status,
    at: Point,
}

fn event() -> Event {
    Event {
        id: "e-1".into(),
        name: "bob".into(),
        tags: vec!["a".into(), "bc".into()],
        payload: vec![0, 1, 2, 255],
        note: Some("n".into()),
        count: -7,
        item: Item {
            sku: "S-1".into(),
            blob: vec![9],
        },
        items: vec![
            Item {
                sku: "S-2".into(),
                blob: vec![],
            },
            Item {
                sku: "S-3".into(),
                blob: vec![3, 3],
            },
        ],
        maybe: Some(Item {
            sku: "S-4".into(),
            blob: vec![4],
        }),
        attrs: [("k".to_string(), "v".to_string())].into(),
        status: Status::Paid,
        at: Point { x: 1, y: -2 },
    }
}

fn within(bytes: &[u8], s: &[u8]) -> bool {
    let r = bytes.as_ptr_range();
    r.contains(&s.as_ptr()) && s.as_ptr_range().end <= r.end
}

/// The borrowed view equals the owned value, field by field.
fn assert_same(v: &EventRef<'_>, o: &Event) {
    assert_eq!(v.id, o.id);
    assert_eq!(v.name, o.name);
    assert_eq!(v.tags, o.tags);
    assert_eq!(v.payload, &o.payload[..]);
    assert_eq!(v.note, o.note.as_deref());
    assert_eq!(v.count, o.count);
    assert_eq!(v.item.sku, o.item.sku);
    assert_eq!(&*v.item.blob, &o.item.blob[..]);
    assert_eq!(v.items.len(), o.items.len());
    for (a, b) in v.items.iter().zip(&o.items) {
        assert_eq!(a.sku, b.sku);
        assert_eq!(&*a.blob, &b.blob[..]);
    }
    assert_eq!(
        v.maybe.as_ref().map(|i| i.sku),
        o.maybe.as_ref().map(|i| i.sku.as_str())
    );
    assert_eq!(v.attrs.len(), o.attrs.len());
    for (k, val) in &o.attrs {
        assert_eq!(v.attrs.get(k).copied(), Some(val.as_str()));
    }
    assert_eq!(v.status, o.status);
    assert_eq!(v.at, o.at);
}

#[test]
fn the_view_renders_the_owned_schemas() {
    assert_eq!(
        EventRef::schemas().avro().unwrap().text(),
        Event::schemas().avro().unwrap().text()
    );
    assert_eq!(
        EventRef::schemas().proto().unwrap().text(),
        Event::schemas().proto().unwrap().text()
    );
    assert_eq!(
        EventRef::schemas().json().unwrap().text(),
        Event::schemas().json().unwrap().text()
    );
    assert_eq!(
        EventRef::schemas().avro().unwrap().fingerprint(),
        Event::schemas().avro().unwrap().fingerprint()
    );
}

#[test]
fn avro_round_trip_borrows_from_the_input() {
    let o = event();
    let bytes = o.to_avro().unwrap();
    let v = EventRef::from_avro(&bytes).unwrap();
    assert_same(&v, &o);
    // Every string and bytes field points into the input.
    assert!(within(&bytes, v.id.as_bytes()));
    assert!(matches!(v.name, Cow::Borrowed(_)));
    assert!(within(&bytes, v.name.as_bytes()));
    assert!(v.tags.iter().all(|t| within(&bytes, t.as_bytes())));
    assert!(within(&bytes, v.payload));
    assert!(within(&bytes, v.note.unwrap().as_bytes()));
    assert!(within(&bytes, v.item.sku.as_bytes()));
    assert!(matches!(v.item.blob, Cow::Borrowed(_)));
    assert!(within(&bytes, v.attrs["k"].as_bytes()));
}

#[test]
fn avro_none_and_empty() {
    let mut o = event();
    o.note = None;
    o.maybe = None;
    o.items.clear();
    o.tags.clear();
    o.attrs.clear();
    let bytes = o.to_avro().unwrap();
    let v = EventRef::from_avro(&bytes).unwrap();
    assert_same(&v, &o);
    assert!(v.maybe.is_none() && v.note.is_none() && v.items.is_empty());
}

#[test]
fn avro_errors_are_typed() {
    let bytes = event().to_avro().unwrap();
    // Truncated: every prefix fails with a typed error, never a panic.
    for n in 0..bytes.len() {
        let e = EventRef::from_avro(&bytes[..n]).unwrap_err();
        assert!(matches!(e, CodecError::AvroDecode(_)), "prefix {n}: {e}");
    }
    let CodecError::AvroDecode(e) = EventRef::from_avro(&bytes[..0]).unwrap_err() else {
        panic!("not an Avro decode error");
    };
    assert!(
        matches!(e.kind(), DecodeErrorKind::UnexpectedEnd { .. }),
        "{e}"
    );
    // A string cut short: its length is more than what is left, refused before reading it.
    let CodecError::AvroDecode(e) = EventRef::from_avro(&bytes[..2]).unwrap_err() else {
        panic!("not an Avro decode error");
    };
    assert!(
        matches!(e.kind(), DecodeErrorKind::LengthTooLarge { .. }),
        "{e}"
    );
    assert_eq!(e.offset(), 0);
    // Trailing bytes.
    let mut long = bytes.clone();
    long.push(0);
    let CodecError::AvroDecode(e) = EventRef::from_avro(&long).unwrap_err() else {
        panic!("not an Avro decode error");
    };
    assert!(matches!(
        e.kind(),
        DecodeErrorKind::TrailingBytes { remaining: 1 }
    ));
    // Invalid UTF-8 in the first string (`id`: length 3, then `e-1`), with its offset.
    let mut bad = bytes.clone();
    bad[1] = 0xff;
    let CodecError::AvroDecode(e) = EventRef::from_avro(&bad).unwrap_err() else {
        panic!("not an Avro decode error");
    };
    assert!(
        matches!(e.kind(), DecodeErrorKind::InvalidUtf8 { .. }),
        "{e}"
    );
    assert!(e.to_string().contains("id"), "{e}");
}

#[test]
fn protobuf_round_trip_borrows_from_the_input() {
    let o = event();
    let bytes = o.to_protobuf().unwrap();
    let v = EventRef::from_protobuf(&bytes).unwrap();
    assert_same(&v, &o);
    assert!(within(&bytes, v.id.as_bytes()));
    assert!(matches!(v.name, Cow::Borrowed(_)));
    assert!(v.tags.iter().all(|t| within(&bytes, t.as_bytes())));
    assert!(within(&bytes, v.payload));
    assert!(within(&bytes, v.note.unwrap().as_bytes()));
    assert!(within(&bytes, v.items[1].sku.as_bytes()));
    assert!(within(&bytes, &v.item.blob));
    assert!(within(&bytes, v.attrs["k"].as_bytes()));
    // Defaults are not written (proto3): absent fields decode to their absent values.
    let mut o = event();
    o.note = None;
    o.maybe = None;
    o.items.clear();
    o.tags.clear();
    o.attrs.clear();
    o.id.clear();
    o.payload.clear();
    o.count = 0;
    o.status = Status::Pending;
    let bytes = o.to_protobuf().unwrap();
    let v = EventRef::from_protobuf(&bytes).unwrap();
    assert_same(&v, &o);
    assert_eq!((v.id, v.payload), ("", &[][..]));
}

#[test]
fn protobuf_merges_and_skips_as_the_owned_decoder() {
    let o = event();
    let mut bytes = o.to_protobuf().unwrap();
    // An unknown field (number 99, varint) is skipped.
    bytes.extend_from_slice(&[0x98, 0x06, 0x01]);
    // A second occurrence of `item` (field 7) merges: only its `sku` is set, `blob` stays.
    let second = Item {
        sku: "S-9".into(),
        blob: vec![],
    }
    .to_protobuf()
    .unwrap();
    bytes.push(7 << 3 | 2);
    bytes.push(second.len() as u8);
    bytes.extend_from_slice(&second);
    let owned = Event::from_protobuf(&bytes).unwrap();
    let v = EventRef::from_protobuf(&bytes).unwrap();
    assert_same(&v, &owned);
    assert_eq!((v.item.sku, &*v.item.blob), ("S-9", &[9u8][..]));
}

#[test]
fn protobuf_errors_are_typed() {
    use kafka_model::protobuf::ErrorKind;
    let bytes = event().to_protobuf().unwrap();
    for n in 0..bytes.len() {
        // Every prefix either decodes (it ends between fields) or fails with a typed error.
        if let Err(e) = EventRef::from_protobuf(&bytes[..n]) {
            assert!(matches!(e, CodecError::Protobuf(_)), "prefix {n}: {e}");
        }
    }
    // `id` (field 1) cut inside its bytes: truncated.
    let CodecError::Protobuf(e) = EventRef::from_protobuf(&bytes[..3]).unwrap_err() else {
        panic!("not a Protobuf error");
    };
    assert!(matches!(e.kind(), ErrorKind::Truncated { .. }), "{e}");
    // Invalid UTF-8 in `id`.
    let mut bad = bytes.clone();
    bad[2] = 0xff;
    let CodecError::Protobuf(e) = EventRef::from_protobuf(&bad).unwrap_err() else {
        panic!("not a Protobuf error");
    };
    assert!(matches!(e.kind(), ErrorKind::InvalidUtf8), "{e}");
    assert!(e.to_string().contains("id"), "{e}");
    // A string field with the varint wire type.
    let CodecError::Protobuf(e) = EventRef::from_protobuf(&[0x08, 0x01]).unwrap_err() else {
        panic!("not a Protobuf error");
    };
    assert!(matches!(e.kind(), ErrorKind::WireType { .. }), "{e}");
}

#[test]
fn json_borrows_what_serde_borrows() {
    let o = event();
    #[derive(Record, Serialize, Deserialize)]
    #[record(name = "Ping")]
    struct Ping {
        id: String,
        name: String,
        tags: Vec<String>,
        n: Option<i32>,
    }
    #[derive(Record, Deserialize, Debug)]
    #[record(name = "Ping")]
    struct PingRef<'a> {
        id: &'a str,
        #[serde(borrow)]
        name: Cow<'a, str>,
        #[serde(borrow)]
        tags: Vec<&'a str>,
        n: Option<i32>,
    }
    let p = Ping {
        id: o.id.clone(),
        name: "a\"b".into(),
        tags: vec!["x".into()],
        n: Some(3),
    };
    let json = p.dumps().unwrap();
    let v = PingRef::from_json(&json).unwrap();
    assert_eq!((v.id, v.tags.as_slice(), v.n), ("e-1", &["x"][..], Some(3)));
    assert!(within(&json, v.id.as_bytes()));
    // An escaped string cannot be borrowed: the `Cow` owns the unescaped text.
    assert_eq!(v.name, "a\"b");
    assert!(matches!(v.name, Cow::Owned(_)));
    // A `&str` field with an escape is serde's error, typed.
    let e = PingRef::from_json(br#"{"id":"a\nb","name":"","tags":[],"n":null}"#).unwrap_err();
    assert!(matches!(e, CodecError::Json { .. }), "{e}");
}

/// Only borrowed strings and bytes (and scalars): decoding allocates nothing.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "test.borrow")]
struct Flat {
    id: String,
    name: String,
    body: Vec<u8>,
    note: Option<String>,
    n: i64,
    at: Point,
}

#[derive(Record, Deserialize, Debug, PartialEq)]
#[record(namespace = "test.borrow", name = "Flat")]
struct FlatRef<'a> {
    id: &'a str,
    #[serde(borrow)]
    name: Cow<'a, str>,
    body: &'a [u8],
    note: Option<&'a str>,
    n: i64,
    at: Point,
}

#[test]
fn all_borrowed_type_decodes_without_allocating() {
    let flat = Flat {
        id: "f-1".into(),
        name: "flat".into(),
        body: vec![1, 2, 3],
        note: Some("hello".into()),
        n: 42,
        at: Point { x: 3, y: 4 },
    };
    let bytes = flat.to_avro().unwrap();
    // Warm up anything lazily initialised on first use.
    FlatRef::from_avro(&bytes).unwrap();
    let (v, n) = allocations_during(|| FlatRef::from_avro(&bytes).unwrap());
    assert_eq!(n, 0, "borrowed Avro decode allocated {n} times");
    let proto = flat.to_protobuf().unwrap();
    FlatRef::from_protobuf(&proto).unwrap();
    let (pv, n) = allocations_during(|| FlatRef::from_protobuf(&proto).unwrap());
    assert_eq!(n, 0, "borrowed Protobuf decode allocated {n} times");
    assert_eq!(pv, v);
    assert_eq!(
        v,
        FlatRef {
            id: "f-1",
            name: Cow::Borrowed("flat"),
            body: &[1, 2, 3],
            note: Some("hello"),
            n: 42,
            at: Point { x: 3, y: 4 },
        }
    );
    // The counter counts: the owned decode of the same bytes allocates.
    let (_, owned) = allocations_during(|| Flat::from_avro(&bytes).unwrap());
    assert!(owned >= 4, "owned decode allocated {owned} times");
}

#[tokio::test]
async fn deserializer_reads_a_borrowed_view() {
    let registry = Arc::new(MemoryRegistry::new());
    let ser = Serializer::<Event>::new(registry.clone(), SerializerConfig::avro()).unwrap();
    let de = Deserializer::<Event>::new(registry.clone(), DeserializerConfig::avro());
    let o = event();
    let (bytes, headers) = ser.serialize("events", &o).await.unwrap();
    // First call: the registry path; second: the cached plan.
    for _ in 0..2 {
        let v: EventRef<'_> = de
            .deserialize_borrowed("events", &bytes, &headers)
            .await
            .unwrap();
        assert_same(&v, &o);
        assert!(within(&bytes, v.id.as_bytes()));
    }
    // A view of another record is refused, with a typed error.
    let e = de
        .deserialize_borrowed::<ItemRef<'_>, _>("events", &bytes, &headers)
        .await
        .unwrap_err();
    assert!(
        matches!(e.kind(), SerdeErrorKind::InvalidSchema { .. }),
        "{e}"
    );
    // Truncated payload: the decode error, typed.
    let e = de
        .deserialize_borrowed::<EventRef<'_>, _>("events", &bytes[..8], &headers)
        .await
        .unwrap_err();
    assert!(matches!(e.kind(), SerdeErrorKind::Malformed { .. }), "{e}");
    // A frame that does not parse: the same error, worded alike, as `deserialize`'s.
    let bad = [7u8, 0, 0, 0, 1, 2];
    let e = de
        .deserialize_borrowed::<EventRef<'_>, _>("events", &bad, &headers)
        .await
        .unwrap_err();
    assert!(matches!(e.kind(), SerdeErrorKind::Malformed { .. }), "{e}");
    let owned = de.deserialize("events", &bad, &headers).await.unwrap_err();
    assert_eq!(e.to_string(), owned.to_string());

    // Protobuf frames.
    let registry = Arc::new(MemoryRegistry::new());
    let ser = Serializer::<Event>::new(registry.clone(), SerializerConfig::protobuf()).unwrap();
    let de = Deserializer::<Event>::new(registry, DeserializerConfig::protobuf());
    let (bytes, headers) = ser.serialize("events-pb", &o).await.unwrap();
    for _ in 0..2 {
        let v: EventRef<'_> = de
            .deserialize_borrowed("events-pb", &bytes, &headers)
            .await
            .unwrap();
        assert_same(&v, &o);
        assert!(within(&bytes, v.id.as_bytes()));
    }
    let e = de
        .deserialize_borrowed::<ItemRef<'_>, _>("events-pb", &bytes, &headers)
        .await
        .unwrap_err();
    assert!(
        matches!(e.kind(), SerdeErrorKind::InvalidSchema { .. }),
        "{e}"
    );

    // JSON frames: the view borrows what serde borrows.
    let registry = Arc::new(MemoryRegistry::new());
    let ser = Serializer::<FlatJson>::new(registry.clone(), SerializerConfig::json()).unwrap();
    let de = Deserializer::<FlatJson>::new(registry, DeserializerConfig::json());
    let (bytes, headers) = ser
        .serialize("flat-json", &FlatJson { id: "x".into() })
        .await
        .unwrap();
    let v: FlatRefJson<'_> = de
        .deserialize_borrowed("flat-json", &bytes, &headers)
        .await
        .unwrap();
    assert_eq!(v.id, "x");
    assert!(within(&bytes, v.id.as_bytes()));
}

#[derive(Record, Serialize, Deserialize)]
#[record(name = "FlatJson")]
struct FlatJson {
    id: String,
}

#[derive(Record, Deserialize)]
#[record(name = "FlatJson")]
struct FlatRefJson<'a> {
    id: &'a str,
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "test.borrow")]
struct Shape {
    label: String,
    origin: Box<Point>,
    corners: Vec<Point>,
    status: Option<Status>,
}

#[derive(Record, Deserialize, Debug, PartialEq)]
#[record(namespace = "test.borrow", name = "Shape")]
struct ShapeRef<'a> {
    label: &'a str,
    origin: Box<Point>,
    corners: Vec<Point>,
    status: Option<Status>,
}

/// Owned records and enums inside a view (alone, boxed, in a list, optional) decode with
/// their owned decoders (Protobuf: through `ProtoOwned`'s blanket `ProtoDecode`).
#[test]
fn a_view_holds_owned_records_boxed_or_listed() {
    let o = Shape {
        label: "sq".into(),
        origin: Box::new(Point { x: 1, y: -2 }),
        corners: vec![Point { x: 3, y: 4 }, Point { x: 0, y: 0 }],
        status: Some(Status::Paid),
    };
    let check = |v: ShapeRef<'_>| {
        assert_eq!(v.label, o.label);
        assert_eq!(v.origin, o.origin);
        assert_eq!(v.corners, o.corners);
        assert_eq!(v.status, o.status);
    };
    let avro = o.to_avro().unwrap();
    check(ShapeRef::from_avro(&avro).unwrap());
    let proto = o.to_protobuf().unwrap();
    let v = ShapeRef::from_protobuf(&proto).unwrap();
    assert!(within(&proto, v.label.as_bytes()));
    check(v);
}
