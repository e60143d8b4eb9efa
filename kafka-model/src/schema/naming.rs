//! Naming shared by the renderers (and `generate/`): case conversions of Rust names into schema
//! names.

/// `order_id` / `order-id` → `OrderId`: split at `_` and `-`, each part's first letter upper-cased,
/// the rest kept (Avro names of fixed types, and `generate/`'s type names).
pub(crate) fn pascal_case(s: &str) -> String {
    s.split(['_', '-'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut chars = p.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}
