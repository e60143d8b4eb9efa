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

fn allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    f();
    ALLOCATIONS.load(Ordering::SeqCst) - before
}

#[test]
fn encoding_into_a_reused_buffer_allocates_nothing() {
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
