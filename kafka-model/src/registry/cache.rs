//! A bounded, single-flight cache: concurrent misses for one key share one fetch and its
//! result, failure included; a failure is handed to the callers that waited for it and then
//! forgotten (never cached); entries may expire.
//!
//! Eviction policy (approximate LRU): every hit or insert stamps the entry with a tick of a
//! counter. When an insert finds the cache full, expired entries go first; then, if still
//! full, the least recently used eighth of the settled entries (at least the excess) is
//! dropped in one pass, found with a partial sort (`select_nth_unstable`), so the cost is
//! O(n) per eviction and O(1) amortised per insert. Fetches still in flight are never evicted,
//! so the cache can briefly exceed its capacity by the number of concurrent misses.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::OnceCell;

use super::RegistryError;

/// One fetch: its result once it is done. A failed one is removed from the map as soon as its
/// callers have it, so the next miss fetches again.
type Cell<V> = Arc<OnceCell<Result<(V, Instant), RegistryError>>>;

/// The value of a settled, successful cell.
fn ok<V>(cell: &Cell<V>) -> Option<&(V, Instant)> {
    cell.get().and_then(|r| r.as_ref().ok())
}

#[derive(Debug)]
struct Slot<V> {
    cell: Cell<V>,
    /// Tick of the last hit or insert.
    used: AtomicU64,
}

/// See the module docs.
#[derive(Debug)]
pub(crate) struct FlightCache<K, V> {
    map: Mutex<HashMap<K, Slot<V>>>,
    clock: AtomicU64,
    capacity: usize,
    ttl: Option<Duration>,
}

impl<K: Hash + Eq + Clone, V: Clone> FlightCache<K, V> {
    /// A cache of at most `capacity` entries, each kept for `ttl` (forever when `None`).
    pub(crate) fn new(capacity: usize, ttl: Option<Duration>) -> Self {
        FlightCache {
            map: Mutex::new(HashMap::new()),
            clock: AtomicU64::new(0),
            capacity: capacity.max(1),
            ttl,
        }
    }

    fn tick(&self) -> u64 {
        self.clock.fetch_add(1, Ordering::Relaxed)
    }

    fn slot(&self, cell: Cell<V>) -> Slot<V> {
        Slot {
            cell,
            used: AtomicU64::new(self.tick()),
        }
    }

    fn expired(&self, at: Instant) -> bool {
        self.ttl.is_some_and(|ttl| at.elapsed() >= ttl)
    }

    /// The cached value, or the result of `fetch`, run once for all concurrent callers of the
    /// key: they all get its value or its error; an error is not kept (the next call fetches).
    pub(crate) async fn get_or_fetch<F, Fut>(&self, key: K, fetch: F) -> Result<V, RegistryError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, RegistryError>>,
    {
        let cell = {
            let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
            let stale = map
                .get(&key)
                .and_then(|s| s.cell.get())
                .is_some_and(|r| match r {
                    Ok((_, at)) => self.expired(*at),
                    Err(_) => true,
                });
            if stale {
                map.remove(&key);
            }
            match map.get(&key) {
                Some(slot) => {
                    slot.used.store(self.tick(), Ordering::Relaxed);
                    slot.cell.clone()
                }
                None => {
                    if map.len() >= self.capacity {
                        self.evict(&mut map);
                    }
                    let cell = Cell::default();
                    map.insert(key.clone(), self.slot(cell.clone()));
                    cell
                }
            }
        };
        // `get_or_init`, not `get_or_try_init`: waiters share the leader's failure instead of
        // fetching again one after another. (A leader that is cancelled leaves the cell empty
        // and the next waiter fetches.)
        let result = cell
            .get_or_init(|| async { fetch().await.map(|v| (v, Instant::now())) })
            .await;
        match result {
            Ok((value, _)) => Ok(value.clone()),
            Err(e) => {
                let e = e.clone();
                let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
                if map.get(&key).is_some_and(|s| Arc::ptr_eq(&s.cell, &cell)) {
                    map.remove(&key);
                }
                Err(e)
            }
        }
    }

    /// The cached value, if present and fresh.
    pub(crate) fn get(&self, key: &K) -> Option<V> {
        let map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        let slot = map.get(key)?;
        let value = ok(&slot.cell)
            .filter(|(_, at)| !self.expired(*at))
            .map(|(v, _)| v.clone())?;
        slot.used.store(self.tick(), Ordering::Relaxed);
        Some(value)
    }

    /// Stores a value (for example one learnt from another answer).
    pub(crate) fn insert(&self, key: K, value: V) {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if !map.contains_key(&key) && map.len() >= self.capacity {
            self.evict(&mut map);
        }
        let cell = Arc::new(OnceCell::new_with(Some(Ok((value, Instant::now())))));
        map.insert(key, self.slot(cell));
    }

    /// Drops the entries whose key matches.
    pub(crate) fn invalidate(&self, mut matches: impl FnMut(&K) -> bool) {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        map.retain(|k, _| !matches(k));
    }

    /// Drops every entry.
    pub(crate) fn clear(&self) {
        self.map.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// Makes room: drops expired entries, then the least recently used settled ones (never a
    /// fetch in flight) until the cache is below capacity.
    fn evict(&self, map: &mut HashMap<K, Slot<V>>) {
        map.retain(|_, s| {
            !s.cell
                .get()
                .is_some_and(|r| r.as_ref().map_or(true, |(_, at)| self.expired(*at)))
        });
        if map.len() < self.capacity {
            return;
        }
        let excess = map.len() + 1 - self.capacity;
        let mut candidates: Vec<(u64, &K)> = map
            .iter()
            .filter(|(_, s)| s.cell.initialized() || Arc::strong_count(&s.cell) == 1)
            .map(|(k, s)| (s.used.load(Ordering::Relaxed), k))
            .collect();
        let n = excess.max(map.len() / 8).min(candidates.len());
        if n == 0 {
            return;
        }
        if n < candidates.len() {
            candidates.select_nth_unstable_by_key(n - 1, |(t, _)| *t);
        }
        let victims: Vec<K> = candidates[..n].iter().map(|(_, k)| (*k).clone()).collect();
        for k in victims {
            map.remove(&k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn evicts_the_least_recently_used() {
        let cache: FlightCache<u32, u32> = FlightCache::new(4, None);
        for k in 0..4 {
            cache.insert(k, k);
        }
        // Touch 0 and 1: 2 is now the least recently used.
        assert_eq!(cache.get(&0), Some(0));
        assert_eq!(cache.get(&1), Some(1));
        cache.insert(4, 4);
        assert_eq!(cache.get(&2), None, "the LRU entry goes first");
        for k in [0, 1, 3, 4] {
            assert_eq!(cache.get(&k), Some(k));
        }
        let v = cache
            .get_or_fetch(9, || async { Ok::<_, RegistryError>(90) })
            .await
            .unwrap_or_default();
        assert_eq!(v, 90);
        assert!(cache.map.lock().map(|m| m.len()).unwrap_or(0) <= 4);
    }

    #[tokio::test]
    async fn errors_are_not_cached() {
        let cache: FlightCache<u32, u32> = FlightCache::new(4, None);
        let failed = cache
            .get_or_fetch(1, || async {
                Err(RegistryError::Config {
                    message: "boom".into(),
                })
            })
            .await;
        assert!(failed.is_err());
        let ok = cache.get_or_fetch(1, || async { Ok(7) }).await;
        assert_eq!(ok.ok(), Some(7));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_waiters_share_one_failure() {
        let cache: Arc<FlightCache<u32, u32>> = Arc::new(FlightCache::new(4, None));
        let fetches = Arc::new(AtomicU64::new(0));
        let mut tasks = Vec::new();
        for _ in 0..10 {
            let (cache, fetches) = (cache.clone(), fetches.clone());
            tasks.push(tokio::spawn(async move {
                cache
                    .get_or_fetch(1, || async {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Err::<u32, _>(RegistryError::Config {
                            message: "boom".into(),
                        })
                    })
                    .await
            }));
        }
        for t in tasks {
            assert!(t.await.map(|r| r.is_err()).unwrap_or(false));
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
        assert_eq!(
            cache.get_or_fetch(1, || async { Ok(3) }).await.ok(),
            Some(3)
        );
    }
}
