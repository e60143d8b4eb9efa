//! Checks that need the whole parsed type: names every format accepts, unique names and
//! Protobuf field numbers, attribute values in range.

use std::collections::HashMap;

use proc_macro2::Span;

use super::ast::{Container, Data, Field, Payload};
use super::Ctxt;

/// Avro names and Protobuf identifiers: `[A-Za-z_][A-Za-z0-9_]*`.
fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn check_name(cx: &Ctxt, what: &str, name: &str, span: Span) {
    if !is_name(name) {
        cx.error_at(
            span,
            format!("{what} `{name}` is not a valid Avro/Protobuf name: use letters, digits and `_`, not starting with a digit (check #[serde(rename)] / rename_all)"),
        );
    }
}

/// Protobuf field numbers: 1 ..= 2^29-1, without the range reserved for the implementation.
fn check_tag(cx: &Ctxt, tag: u32, span: Span) {
    if tag == 0 || tag > 536_870_911 {
        cx.error_at(
            span,
            format!("Protobuf field number {tag} is out of range: use 1 ..= 536870911"),
        );
    } else if (19_000..=19_999).contains(&tag) {
        cx.error_at(
            span,
            format!("Protobuf field number {tag} is in the range 19000-19999 reserved by Protobuf"),
        );
    }
}

pub fn check(cx: &Ctxt, cont: &Container) {
    check_name(cx, "record name", &cont.name, cont.name_span);
    if let Some((ns, span)) = &cont.namespace {
        if !ns.is_empty() && !ns.split('.').all(is_name) {
            cx.error_at(
                *span,
                format!("namespace `{ns}` must be dot-separated names (e.g. `com.acme.orders`)"),
            );
        }
    }
    for a in &cont.aliases {
        if !a.split('.').all(is_name) {
            cx.error_at(
                cont.name_span,
                format!("alias `{a}` is not a valid Avro name"),
            );
        }
    }
    match &cont.data {
        Data::Struct(fields) => check_fields(cx, fields),
        Data::UnitEnum(symbols) => {
            let mut names = HashMap::new();
            let mut tags = HashMap::new();
            let mut default: Option<&str> = None;
            for s in symbols {
                check_name(cx, "enum symbol", &s.name, s.span);
                if let Some(prev) = names.insert(s.name.clone(), s.ident.to_string()) {
                    cx.error_at(
                        s.span,
                        format!(
                            "symbol `{}` is used by variants `{prev}` and `{}`",
                            s.name, s.ident
                        ),
                    );
                }
                let tag_span = s.explicit_tag.map_or(s.span, |t| t.1);
                check_tag(cx, s.tag, tag_span);
                if let Some(prev) = tags.insert(s.tag, s.ident.to_string()) {
                    cx.error_at(
                        tag_span,
                        format!(
                            "Protobuf enum number {} is used by `{prev}` and `{}`",
                            s.tag, s.ident
                        ),
                    );
                }
                if s.is_default {
                    if let Some(prev) = default {
                        cx.error_at(
                            s.span,
                            format!(
                                "only one variant can be the enum default; `{prev}` already is"
                            ),
                        );
                    }
                    default = Some(&s.name);
                }
            }
        }
        Data::Union(_, variants) => {
            let mut names = HashMap::new();
            let mut tags = HashMap::new();
            for v in variants {
                check_name(cx, "variant name", &v.name, v.span);
                if let Some(prev) = names.insert(v.name.clone(), v.ident.to_string()) {
                    cx.error_at(
                        v.span,
                        format!(
                            "variant name `{}` is used by `{prev}` and `{}`",
                            v.name, v.ident
                        ),
                    );
                }
                let tag_span = v.explicit_tag.map_or(v.span, |t| t.1);
                check_tag(cx, v.tag, tag_span);
                if let Some(prev) = tags.insert(v.tag, v.ident.to_string()) {
                    cx.error_at(
                        tag_span,
                        format!(
                            "Protobuf field number {} is used by `{prev}` and `{}`",
                            v.tag, v.ident
                        ),
                    );
                }
                if let Payload::Struct(fields) = &v.payload {
                    check_fields(cx, fields);
                }
            }
        }
    }
}

fn check_fields(cx: &Ctxt, fields: &[Field]) {
    let mut names: HashMap<&str, &syn::Ident> = HashMap::new();
    let mut tags: HashMap<u32, &syn::Ident> = HashMap::new();
    for f in fields {
        check_name(cx, "field name", &f.name, f.span);
        for a in &f.aliases {
            check_name(cx, "field alias", a, f.span);
        }
        if let Some(prev) = names.insert(&f.name, &f.member) {
            cx.error_at(
                f.span,
                format!(
                    "fields `{prev}` and `{}` are both named `{}` (after rename)",
                    f.member, f.name
                ),
            );
        }
        let tag_span = f.explicit_tag.map_or(f.span, |t| t.1);
        check_tag(cx, f.tag, tag_span);
        if let Some(prev) = tags.insert(f.tag, &f.member) {
            let hint = if f.explicit_tag.is_none() {
                " (unnumbered fields take the previous field's number + 1)"
            } else {
                ""
            };
            cx.error_at(
                tag_span,
                format!(
                    "Protobuf field number {} is used by `{prev}` and `{}`{hint}",
                    f.tag, f.member
                ),
            );
        }
        if let Some((precision, scale)) = f.decimal {
            if precision == 0 || scale > precision {
                cx.error_at(f.span, format!("decimal(precision = {precision}, scale = {scale}) needs precision >= 1 and scale <= precision"));
            }
        }
        for t in &f.tags {
            if t.trim().is_empty() {
                cx.error_at(f.span, "tags must not be empty strings");
            }
        }
    }
}
