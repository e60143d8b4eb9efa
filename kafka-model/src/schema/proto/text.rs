//! Errors, doc comments and string literals of the `.proto` text.

use super::*;

/// The namespace of a model as a protobuf package (`None` when absent or empty).
pub(super) fn package(m: &Model) -> Option<&'static str> {
    m.namespace.filter(|ns| !ns.is_empty())
}

pub(super) fn field_error(
    m: &'static Model,
    field: &'static str,
    ty: String,
    reason: String,
) -> SchemaError {
    SchemaError::Unrepresentable {
        format: FORMAT,
        record: m.rust_name,
        field,
        ty,
        reason,
    }
}

/// An error about a type as a whole (its name or namespace).
pub(super) fn model_error(m: &'static Model, reason: String) -> SchemaError {
    field_error(m, m.name, m.full_name(), reason)
}

/// Writes `doc` as `//` comment lines.
pub(super) fn push_doc(out: &mut String, indent: &str, doc: Option<&str>) {
    let Some(doc) = doc.filter(|d| !d.trim().is_empty()) else {
        return;
    };
    for line in doc.trim_end().lines() {
        let line = line.trim_end();
        if line.is_empty() {
            out.push_str(&format!("{indent}//\n"));
        } else {
            out.push_str(&format!("{indent}// {line}\n"));
        }
    }
}

/// A protobuf string literal (double-quoted, escaped).
pub(super) fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for b in s.bytes() {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(char::from(b)),
            _ => out.push_str(&format!("\\{b:03o}")),
        }
    }
    out.push('"');
    out
}

/// Whether `s` is a protobuf identifier: an ASCII letter or `_`, then letters, digits, `_`.
pub(super) fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
