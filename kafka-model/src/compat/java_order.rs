//! Iteration order of Java's `HashMap` / `HashSet`.
//!
//! Confluent's Protobuf diff walks names and field numbers through `HashSet`s, so the order of
//! the differences it reports is the hash-table order. Reproducing that order lets our list of
//! differences match Confluent's exactly, not just as a set.
//!
//! A Java `HashMap` iterates bucket by bucket (`spread(hash) & (capacity - 1)`), and within a
//! bucket in insertion order (resizing splits buckets without reordering). Buckets are turned
//! into trees only past 8 collisions in a table of 64 or more, which schemas never reach.

/// A key with Java's `hashCode`.
pub(crate) trait JavaHash {
    /// `String.hashCode()` / `Integer.hashCode()`.
    fn java_hash(&self) -> i32;
}

impl JavaHash for String {
    fn java_hash(&self) -> i32 {
        self.encode_utf16()
            .fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(i32::from(c)))
    }
}

impl JavaHash for i32 {
    fn java_hash(&self) -> i32 {
        *self
    }
}

/// `HashMap.hash()`: the high half folded into the low half.
fn spread(hash: i32) -> u32 {
    let h = hash as u32;
    h ^ (h >> 16)
}

/// The table size after inserting `len` keys into a map created with `initial` capacity.
fn final_capacity(initial: usize, len: usize) -> usize {
    let mut cap = initial.max(1).next_power_of_two();
    while len * 4 > cap * 3 {
        cap *= 2;
    }
    cap
}

/// Capacity of `new HashSet<>(c)` for a collection of `len` elements.
pub(crate) fn copy_capacity(len: usize) -> usize {
    // Math.max((int) (c.size() / .75f) + 1, 16), rounded up to a power of two.
    (((len as f32) / 0.75) as usize + 1).max(16)
}

/// Iteration order of a Java hash map/set into which `keys` were inserted in this order
/// (duplicates keep their first position), created with capacity `initial` (16 by default).
pub(crate) fn order<K: JavaHash + PartialEq + Clone>(keys: &[K], initial: usize) -> Vec<K> {
    let mut unique: Vec<K> = Vec::with_capacity(keys.len());
    for k in keys {
        if !unique.contains(k) {
            unique.push(k.clone());
        }
    }
    let mask = final_capacity(initial, unique.len()) as u32 - 1;
    // Stable sort keeps insertion order within a bucket.
    unique.sort_by_key(|k| spread(k.java_hash()) & mask);
    unique
}

/// Iteration order of `new HashSet<>(a.keySet())` followed by `addAll(b.keySet())`, where `a`
/// and `b` are default `HashMap`s filled in the given orders.
pub(crate) fn union_order<K: JavaHash + PartialEq + Clone>(a: &[K], b: &[K]) -> Vec<K> {
    let a_iter = order(a, 16);
    let b_iter = order(b, 16);
    let mut all = a_iter.clone();
    all.extend(b_iter);
    order(&all, copy_capacity(a_iter.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_hash_matches_java() {
        // "TestMessage".hashCode() in Java.
        assert_eq!("a".to_owned().java_hash(), 97);
        assert_eq!("ab".to_owned().java_hash(), 97 * 31 + 98);
    }

    #[test]
    fn small_integers_iterate_ascending() {
        assert_eq!(order(&[3, 1, 2], 16), vec![1, 2, 3]);
        assert_eq!(union_order(&[2], &[1, 2]), vec![1, 2]);
    }

    #[test]
    fn collisions_keep_insertion_order() {
        // 1 and 17 share bucket 1 of a 16-slot table.
        assert_eq!(order(&[17, 1], 16), vec![17, 1]);
    }
}
