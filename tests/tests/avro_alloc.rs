//! Encoding into a reused buffer allocates nothing: a counting global allocator proves it.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use common::corpus::{order, Ledger, Logical};
use kafka_model::Record;

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The counter is process-wide: the tests of this file take turns.
static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    f();
    ALLOCATIONS.load(Ordering::SeqCst) - before
}

#[test]
fn encoding_into_a_reused_buffer_allocates_nothing() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let o = order();
    let logical: Logical = Logical::loads(&(common::corpus::cases()
        .iter()
        .find(|c| c.name == "Logical")
        .unwrap()
        .sample_json)())
    .unwrap();
    let ledger: Ledger = Ledger::loads(&(common::corpus::cases()
        .iter()
        .find(|c| c.name == "Ledger")
        .unwrap()
        .sample_json)())
    .unwrap();
    let mut buf = Vec::with_capacity(4096);
    // Warm up (first-use initialisation, e.g. lazily computed option orders).
    o.write_avro(&mut buf).unwrap();
    logical.write_avro(&mut buf).unwrap();
    ledger.write_avro(&mut buf).unwrap();
    for _ in 0..3 {
        let n = allocations_during(|| {
            buf.clear();
            o.write_avro(&mut buf).unwrap();
            logical.write_avro(&mut buf).unwrap();
            ledger.write_avro(&mut buf).unwrap();
        });
        assert_eq!(n, 0, "allocations per encode into a reused buffer");
    }
    // The test itself can see allocations.
    assert!(allocations_during(|| drop(o.to_avro().unwrap())) > 0);
}

/// `to_avro` sizes its buffer once (issue #18): `avro_size_hint` is at least the datum's size
/// for every corpus sample (records, unions, options, collections, maps, bytes, logical types,
/// recursive types), so the fresh buffer is allocated exactly once.
#[test]
fn to_avro_allocates_once() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    use common::corpus::*;
    use kafka_model::model::FieldOptions;

    fn check<T: Record>(name: &str) {
        let case = cases().into_iter().find(|c| c.name == name).unwrap();
        let value = T::loads(&(case.sample_json)()).unwrap();
        let Ok(bytes) = value.to_avro() else {
            return; // not Avro-encodable (e.g. u64 above i64::MAX)
        };
        let hint = value.avro_size_hint(&FieldOptions::default());
        assert!(hint >= bytes.len(), "{name}: hint {hint} < {}", bytes.len());
        let n = allocations_during(|| drop(value.to_avro().unwrap()));
        assert_eq!(n, 1, "{name}: allocations of to_avro");
    }
    check::<Primitives>("Primitives");
    check::<Binary>("Binary");
    check::<Order>("Order");
    check::<Optionals>("Optionals");
    check::<Collections>("Collections");
    check::<PaymentEvent>("PaymentEvent");
    check::<Command>("Command");
    check::<Envelope>("Envelope");
    check::<TreeNode>("TreeNode");
    check::<Logical>("Logical");
    check::<Encodings>("Encodings");
    check::<Renamed>("Renamed");
    check::<Settings>("Settings");
    check::<Ledger>("Ledger");
}
