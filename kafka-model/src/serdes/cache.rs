//! A concurrent map filled once per key: the first caller of a key runs the (async)
//! initialisation, concurrent callers wait for it and share its result, failure included (a
//! failure is then dropped, so the next call initialises again).
//!
//! Reads of a filled key are lock-free and write nothing shared: the filled entries live in an
//! append-only table (a slot for the first key, compared without hashing, then a fixed array of
//! buckets, each a chain of `OnceLock<Box<Node>>`), and a lookup is `OnceLock::get` (an acquire
//! load) and a key comparison, then for other keys a hash and one short chain. `get`
//! answers `&V` borrowed from the map, so a cached call neither clones an `Arc` nor takes a
//! lock: nothing on the hot path writes a cache line that other threads read (shared
//! reference counts made a shared serializer slower on two threads than on one, issue #18).
//! Entries are never removed or moved until the map is dropped, which is what makes handing
//! out `&V` tied to `&self` sound (and safe code: no `unsafe` here).
//!
//! Initialisations in flight sit in a mutex-guarded map of `tokio::sync::OnceCell`s (the
//! single-flight of issue #13); the mutex is taken only on a miss and never across an
//! `.await`. The leader's initialisation appends the value to the table *before* its cell
//! resolves and before the in-flight entry is removed (both under that mutex), so a caller that
//! finds no in-flight entry after a miss finds the value in the table.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::future::Future;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::{Arc, Mutex, OnceLock};

use tokio::sync::OnceCell;

use super::error::SerdeError;

/// Buckets of the table (a power of two). Serializers see one key per topic, deserializers one
/// per writer schema id: a handful; the chains stay short well beyond that.
const BUCKETS: usize = 16;

type Cell = Arc<OnceCell<Result<(), SerdeError>>>;

struct Node<K, V> {
    key: K,
    value: V,
    next: OnceLock<Box<Node<K, V>>>,
}

pub(crate) struct OnceMap<K, V> {
    /// The first key filled: compared without hashing (most serializers see one topic, most
    /// deserializers one writer id).
    first: OnceLock<Box<Node<K, V>>>,
    buckets: [OnceLock<Box<Node<K, V>>>; BUCKETS],
    /// Initialisations in flight (single-flight cells); also serialises appends to the table.
    pending: Mutex<HashMap<K, Cell>>,
}

/// A small multiplicative hasher (FxHash's step): keys are schema ids and topic names, and the
/// table only needs a spread over 16 buckets, not flood resistance (an attacker cannot add
/// keys: only ids the registry answered and topics the application names are cached).
#[derive(Default, Clone, Copy)]
struct FxBuild;

struct Fx(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl Fx {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for Fx {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().unwrap_or_default()));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn write_isize(&mut self, i: isize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

impl BuildHasher for FxBuild {
    type Hasher = Fx;
    #[inline]
    fn build_hasher(&self) -> Fx {
        Fx(0)
    }
}

#[inline]
fn bucket<Q: Hash + ?Sized>(key: &Q) -> usize {
    // The high bits of a multiplicative hash are the well-mixed ones.
    (FxBuild.hash_one(key) >> 60) as usize & (BUCKETS - 1)
}

impl<K: Hash + Eq + Clone, V> OnceMap<K, V> {
    pub(crate) fn new() -> Self {
        OnceMap {
            first: OnceLock::new(),
            buckets: std::array::from_fn(|_| OnceLock::new()),
            pending: Mutex::new(HashMap::new()),
        }
    }

    /// The value of a filled key: lock-free, and nothing shared is written.
    #[inline(always)]
    pub(crate) fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        if let Some(n) = self.first.get() {
            if n.key.borrow() == key {
                return Some(&n.value);
            }
        }
        let mut node = self.buckets[bucket(key)].get();
        while let Some(n) = node {
            if n.key.borrow() == key {
                return Some(&n.value);
            }
            node = n.next.get();
        }
        None
    }

    /// Appends a filled key; the caller holds `pending`'s lock (appends are serialised) and
    /// has checked that the key is not in the table.
    fn append(&self, key: K, value: V) {
        let mut slot = if self.first.get().is_none() {
            &self.first
        } else {
            &self.buckets[bucket(&key)]
        };
        while let Some(n) = slot.get() {
            slot = &n.next;
        }
        let node = Box::new(Node {
            key,
            value,
            next: OnceLock::new(),
        });
        // Appends are serialised by the caller's lock: the tail slot is still empty.
        let _ = slot.set(node);
    }

    /// The value of `key`, running `init` once when it is missing. Callers that waited for a
    /// failed `init` get (a copy of) its error rather than running theirs one after another.
    pub(crate) async fn get_or_try_init<F, Fut>(&self, key: K, init: F) -> Result<&V, SerdeError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, SerdeError>>,
    {
        if let Some(v) = self.get(&key) {
            return Ok(v);
        }
        let cell = {
            let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            // Filled between the lock-free miss and this lock.
            if let Some(v) = self.get(&key) {
                return Ok(v);
            }
            Arc::clone(pending.entry(key.clone()).or_default())
        };
        let result = cell
            .get_or_init(|| async {
                let value = init().await?;
                let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
                // Into the table before the cell resolves and before the in-flight entry goes:
                // a later caller finds one or the other.
                if self.get(&key).is_none() {
                    self.append(key.clone(), value);
                }
                if pending.get(&key).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
                    pending.remove(&key);
                }
                Ok(())
            })
            .await;
        match result {
            Ok(()) => match self.get(&key) {
                Some(v) => Ok(v),
                // Unreachable: the leader appended the value before resolving the cell.
                None => Err(super::error::SerdeErrorKind::Config {
                    message: "internal: a filled cache entry is missing".into(),
                }
                .into()),
            },
            Err(e) => {
                let e = e.shared();
                let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
                if pending.get(&key).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
                    pending.remove(&key);
                }
                Err(e)
            }
        }
    }

    /// Number of filled keys.
    #[allow(dead_code)]
    pub(crate) fn len(&self) -> usize {
        let mut n = 0;
        for b in std::iter::once(&self.first).chain(&self.buckets) {
            let mut node = b.get();
            while let Some(x) = node {
                n += 1;
                node = x.next.get();
            }
        }
        n
    }
}

impl<K, V> Drop for OnceMap<K, V> {
    fn drop(&mut self) {
        // Unlink the chains one node at a time (no recursion on long chains).
        for b in std::iter::once(&mut self.first).chain(&mut self.buckets) {
            let mut next = b.take();
            while let Some(mut node) = next {
                next = node.next.take();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serdes::SerdeErrorKind;

    #[tokio::test]
    async fn fills_once_answers_references_and_does_not_cache_errors() {
        let map: OnceMap<Box<str>, String> = OnceMap::new();
        assert!(map.get("a").is_none());
        let err = map
            .get_or_try_init("a".into(), || async {
                Err(SerdeErrorKind::Config {
                    message: "nope".into(),
                }
                .into())
            })
            .await
            .unwrap_err();
        assert!(err.to_string().contains("nope"));
        assert_eq!(map.len(), 0);
        for i in 0..100 {
            let key: Box<str> = format!("k{i}").into();
            let v = map
                .get_or_try_init(key.clone(), || async move { Ok(format!("v{i}")) })
                .await
                .unwrap();
            assert_eq!(v, &format!("v{i}"));
        }
        // A second init of a filled key does not run.
        let v = map
            .get_or_try_init("k7".into(), || async { panic!("ran twice") })
            .await
            .unwrap();
        assert_eq!(v, "v7");
        let a = map.get("k42").unwrap() as *const String;
        let b = map.get("k42").unwrap() as *const String;
        assert_eq!(a, b, "the same entry, not a copy");
        assert_eq!(map.len(), 100);
    }
}
