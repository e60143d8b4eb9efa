//! A concurrent map filled once per key: the first caller of a key runs the (async)
//! initialisation, concurrent callers wait for it, failures are not cached. Reads of a filled
//! key take no mutex: the first filled key sits in a `OnceLock` slot, the others behind a
//! `RwLock` read (never held across an `.await`).

use std::borrow::Borrow;
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, OnceLock, RwLock};

use tokio::sync::OnceCell;

pub(crate) struct OnceMap<K, V> {
    first: OnceLock<(K, V)>,
    map: RwLock<HashMap<K, Arc<OnceCell<V>>>>,
}

impl<K: Hash + Eq + Clone, V: Clone> OnceMap<K, V> {
    pub(crate) fn new() -> Self {
        OnceMap {
            first: OnceLock::new(),
            map: RwLock::new(HashMap::new()),
        }
    }

    /// The value of a filled key.
    #[inline]
    pub(crate) fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        if let Some((k, v)) = self.first.get() {
            if k.borrow() == key {
                return Some(v.clone());
            }
        }
        let map = self.map.read().unwrap_or_else(|e| e.into_inner());
        map.get(key).and_then(|cell| cell.get().cloned())
    }

    /// The value of `key`, running `init` once when it is missing.
    pub(crate) async fn get_or_try_init<E, F, Fut>(&self, key: K, init: F) -> Result<V, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        if let Some(v) = self.get(&key) {
            return Ok(v);
        }
        let cell = {
            let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
            Arc::clone(map.entry(key.clone()).or_default())
        };
        let v = cell.get_or_try_init(init).await?.clone();
        let _ = self.first.set((key, v.clone()));
        Ok(v)
    }

    /// Number of filled keys.
    #[allow(dead_code)]
    pub(crate) fn len(&self) -> usize {
        let map = self.map.read().unwrap_or_else(|e| e.into_inner());
        map.values().filter(|c| c.initialized()).count()
    }
}
