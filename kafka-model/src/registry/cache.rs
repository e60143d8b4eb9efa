//! A bounded, single-flight cache: concurrent misses for one key share one fetch, errors are
//! never cached, entries may expire.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::OnceCell;

use super::RegistryError;

type Cell<V> = Arc<OnceCell<(V, Instant)>>;

/// See the module docs.
#[derive(Debug)]
pub(crate) struct FlightCache<K, V> {
    map: Mutex<HashMap<K, Cell<V>>>,
    capacity: usize,
    ttl: Option<Duration>,
}

impl<K: Hash + Eq + Clone, V: Clone> FlightCache<K, V> {
    /// A cache of at most `capacity` entries, each kept for `ttl` (forever when `None`).
    pub(crate) fn new(capacity: usize, ttl: Option<Duration>) -> Self {
        FlightCache {
            map: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
            ttl,
        }
    }

    fn expired(&self, at: Instant) -> bool {
        self.ttl.is_some_and(|ttl| at.elapsed() >= ttl)
    }

    /// The cached value, or the result of `fetch` (run once for all concurrent callers of the
    /// key; when it fails, the error goes to its caller and nothing is cached).
    pub(crate) async fn get_or_fetch<F, Fut>(&self, key: K, fetch: F) -> Result<V, RegistryError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, RegistryError>>,
    {
        let cell = {
            let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
            let stale = map
                .get(&key)
                .and_then(|c| c.get())
                .is_some_and(|(_, at)| self.expired(*at));
            if stale {
                map.remove(&key);
            }
            if !map.contains_key(&key) && map.len() >= self.capacity {
                self.evict(&mut map);
            }
            map.entry(key).or_default().clone()
        };
        let (value, _) = cell
            .get_or_try_init(|| async { fetch().await.map(|v| (v, Instant::now())) })
            .await?;
        Ok(value.clone())
    }

    /// The cached value, if present and fresh.
    pub(crate) fn get(&self, key: &K) -> Option<V> {
        let map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        map.get(key)
            .and_then(|c| c.get())
            .filter(|(_, at)| !self.expired(*at))
            .map(|(v, _)| v.clone())
    }

    /// Stores a value (for example one learnt from another answer).
    pub(crate) fn insert(&self, key: K, value: V) {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if !map.contains_key(&key) && map.len() >= self.capacity {
            self.evict(&mut map);
        }
        map.insert(
            key,
            Arc::new(OnceCell::new_with(Some((value, Instant::now())))),
        );
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

    /// Makes room: drops expired entries, then settled ones (never a fetch in flight) until
    /// the cache is below capacity.
    fn evict(&self, map: &mut HashMap<K, Cell<V>>) {
        map.retain(|_, c| !c.get().is_some_and(|(_, at)| self.expired(*at)));
        if map.len() < self.capacity {
            return;
        }
        let excess = map.len() + 1 - self.capacity;
        let victims: Vec<K> = map
            .iter()
            .filter(|(_, c)| c.initialized() || Arc::strong_count(c) == 1)
            .take(excess.max(map.len() / 8))
            .map(|(k, _)| k.clone())
            .collect();
        for k in victims {
            map.remove(&k);
        }
    }
}
