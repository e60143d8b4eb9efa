//! A concurrent map filled once per key: the first caller of a key runs the (async)
//! initialisation, concurrent callers wait for it and share its result, failure included (a
//! failure is then dropped, so the next call initialises again). Reads of a filled
//! key take no mutex: the first filled key sits in a `OnceLock` slot, the others behind a
//! `RwLock` read (never held across an `.await`).

use std::borrow::Borrow;
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, OnceLock, RwLock};

use tokio::sync::OnceCell;

use super::error::SerdeError;

type Cell<V> = Arc<OnceCell<Result<V, SerdeError>>>;

pub(crate) struct OnceMap<K, V> {
    first: OnceLock<(K, V)>,
    map: RwLock<HashMap<K, Cell<V>>>,
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
        map.get(key)
            .and_then(|cell| cell.get())
            .and_then(|r| r.as_ref().ok())
            .cloned()
    }

    /// The value of `key`, running `init` once when it is missing. Callers that waited for a
    /// failed `init` get (a copy of) its error rather than running theirs one after another.
    pub(crate) async fn get_or_try_init<F, Fut>(&self, key: K, init: F) -> Result<V, SerdeError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, SerdeError>>,
    {
        if let Some(v) = self.get(&key) {
            return Ok(v);
        }
        let cell = {
            let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
            Arc::clone(map.entry(key.clone()).or_default())
        };
        match cell.get_or_init(init).await {
            Ok(v) => {
                let v = v.clone();
                let _ = self.first.set((key, v.clone()));
                Ok(v)
            }
            Err(e) => {
                let e = e.shared();
                let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
                if map.get(&key).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
                    map.remove(&key);
                }
                Err(e)
            }
        }
    }

    /// Number of filled keys.
    #[allow(dead_code)]
    pub(crate) fn len(&self) -> usize {
        let map = self.map.read().unwrap_or_else(|e| e.into_inner());
        map.values()
            .filter(|c| c.get().is_some_and(|r| r.is_ok()))
            .count()
    }
}
