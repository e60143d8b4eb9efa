//! A `HashMap`'s entries in key order, as both codecs write them: equal maps give equal bytes
//! (upb's and protobuf-java's deterministic order), and the encoders stay allocation-free for
//! the small maps most records hold.

use std::collections::HashMap;
use std::hash::BuildHasher;

/// Up to this many entries are ordered by repeated minimum search (at most 256 comparisons, no
/// allocation); larger maps are collected and sorted.
const SMALL: usize = 16;

/// The entries of `map` in ascending key order.
pub(crate) fn sorted<'a, K: Ord, V, S: BuildHasher>(
    map: &'a HashMap<K, V, S>,
) -> impl Iterator<Item = (&'a K, &'a V)> {
    let large = (map.len() > SMALL).then(|| {
        let mut entries: Vec<_> = map.iter().collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        entries.into_iter()
    });
    let mut last: Option<&'a K> = None;
    let mut small = (map.len() <= SMALL).then_some(map.len());
    std::iter::from_fn(move || {
        let left = small.as_mut()?;
        if *left == 0 {
            return None;
        }
        *left -= 1;
        // Keys are unique, so "the least key above the last one" visits each exactly once.
        let next = map
            .iter()
            .filter(|(k, _)| last.is_none_or(|l| *k > l))
            .min_by(|a, b| a.0.cmp(b.0))?;
        last = Some(next.0);
        Some(next)
    })
    .chain(large.into_iter().flatten())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_and_large_maps_come_out_in_key_order() {
        for n in [0usize, 1, 2, 15, 16, 17, 100] {
            let map: HashMap<u32, u32> = (0..n as u32).map(|i| (i * 7919 % 1009, i)).collect();
            let keys: Vec<u32> = sorted(&map).map(|(k, _)| *k).collect();
            let mut expected: Vec<u32> = map.keys().copied().collect();
            expected.sort_unstable();
            assert_eq!(keys, expected, "n = {n}");
        }
    }
}
