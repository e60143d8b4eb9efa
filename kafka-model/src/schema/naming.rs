//! Naming shared by the renderers (and `model`, `generate/`): named types kept once by full
//! name, and the case conversions of Rust names into schema names.

use crate::model::Model;
use crate::SchemaError;

/// Adds `m` to `types` unless it is already there; a different type with the same full name
/// is a [`SchemaError::NameCollision`], never a silent merge. `true` when `m` was added.
pub(crate) fn add_named(
    types: &mut Vec<&'static Model>,
    m: &'static Model,
) -> Result<bool, SchemaError> {
    let full = m.full_name();
    match types.iter().find(|s| s.full_name() == full) {
        Some(seen) if std::ptr::eq(*seen, m) => Ok(false),
        Some(seen) => Err(SchemaError::NameCollision {
            full_name: full,
            first: seen.rust_name,
            second: m.rust_name,
        }),
        None => {
            types.push(m);
            Ok(true)
        }
    }
}

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

/// Splits a name into words: at non-alphanumeric characters, at lower-to-upper case changes and
/// before the last capital of an acronym (`HTTPServer` → `HTTP`, `Server`).
pub(super) fn words(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c.is_uppercase() && !current.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev.is_lowercase() || prev.is_numeric() || (prev.is_uppercase() && next_lower) {
                words.push(std::mem::take(&mut current));
            }
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `OrderStatus` → `order_status`.
pub(crate) fn snake_case(s: &str) -> String {
    words(s)
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// `OrderStatus` → `ORDER_STATUS`.
pub(crate) fn screaming_snake_case(s: &str) -> String {
    words(s)
        .iter()
        .map(|w| w.to_uppercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// protoc's `EnumValueToPascalCase`: `FOO_BAR` → `FooBar` (unlike [`pascal_case`], the rest of
/// each part is lower-cased).
pub(super) fn protoc_pascal_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut upper = true;
    for c in s.chars() {
        if c == '_' {
            upper = true;
        } else {
            if upper {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c.to_ascii_lowercase());
            }
            upper = false;
        }
    }
    out
}

/// protoc's name for the entry message of a map field: `line_items` → `LineItemsEntry`.
pub(super) fn map_entry_name(field: &str) -> String {
    let mut out = String::with_capacity(field.len() + 5);
    let mut upper = true;
    for c in field.chars() {
        if c == '_' {
            upper = true;
        } else {
            out.push(if upper { c.to_ascii_uppercase() } else { c });
            upper = false;
        }
    }
    out.push_str("Entry");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_conversions() {
        assert_eq!(snake_case("OrderStatus"), "order_status");
        assert_eq!(snake_case("HTTPServer"), "http_server");
        assert_eq!(snake_case("already_snake"), "already_snake");
        assert_eq!(snake_case("in-progress"), "in_progress");
        assert_eq!(snake_case("V2Thing"), "v2_thing");
        assert_eq!(screaming_snake_case("OrderStatus"), "ORDER_STATUS");
        assert_eq!(screaming_snake_case("PENDING"), "PENDING");
        assert_eq!(screaming_snake_case("camelCase"), "CAMEL_CASE");
        assert_eq!(map_entry_name("line_items"), "LineItemsEntry");
    }
}
