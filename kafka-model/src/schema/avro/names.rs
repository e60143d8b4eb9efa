//! Avro names: namespaces, full names and references by name (null namespace written `.Name`).

use super::*;

pub(super) fn non_empty(ns: Option<&'static str>) -> Option<&'static str> {
    ns.filter(|n| !n.is_empty())
}

/// The `namespace` attribute of a definition: its own namespace, `""` when it has none but
/// would otherwise inherit the enclosing one, nothing when there is nothing to inherit.
pub(super) fn namespace_attr(ns: Option<&'static str>, ctx: Option<&'static str>) -> Option<J> {
    match (non_empty(ns), ctx) {
        (Some(n), _) => Some(J::s(n)),
        (None, Some(_)) => Some(J::s("")),
        (None, None) => None,
    }
}

/// A reference to a defined name from inside namespace `ctx`.
pub(super) fn reference(ns: Option<&'static str>, name: &str, ctx: Option<&'static str>) -> String {
    match (non_empty(ns), ctx) {
        (Some(n), _) => format!("{n}.{name}"),
        // A bare name would resolve to `ctx.name`; a leading dot means the null namespace.
        (None, Some(_)) => format!(".{name}"),
        (None, None) => name.to_string(),
    }
}

/// The full name of a reference or definition `name` inside namespace `ns`.
pub(super) fn full_name(name: &str, ns: Option<&str>) -> String {
    if let Some(rest) = name.strip_prefix('.') {
        rest.to_string()
    } else if name.contains('.') {
        name.to_string()
    } else {
        match ns {
            Some(n) if !n.is_empty() => format!("{n}.{name}"),
            _ => name.to_string(),
        }
    }
}

pub(super) fn namespace_of(full: &str) -> Option<String> {
    full.rfind('.')
        .map(|i| full[..i].to_string())
        .filter(|n| !n.is_empty())
}
