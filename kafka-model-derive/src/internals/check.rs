//! Checks that need the whole parsed type: names every format accepts, unique names and
//! Protobuf field numbers, attribute values in range.

use std::collections::HashMap;

use proc_macro2::Span;

use syn::spanned::Spanned;

use super::ast::{Container, Data, Field, FieldDefault, Payload, ProtoName};
use super::attr::{ConstLit, Spanned2, ValidatorAttr};
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
        Data::Newtype(n) => check_validators(cx, &n.validators),
        Data::UnitEnum(symbols) => {
            let mut names = HashMap::new();
            let mut tags = HashMap::new();
            let mut default: Option<&str> = None;
            for s in symbols {
                check_name(cx, "enum symbol", &s.name, s.span);
                if let ProtoName::Exact(n, span) = &s.proto_name {
                    if !is_name(n) {
                        cx.error_at(*span, format!("`{n}` is not a Protobuf enum value name: use letters, digits and `_`, not starting with a digit"));
                    }
                }
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
                if i32::try_from(s.tag).is_err() {
                    cx.error_at(
                        tag_span,
                        format!("Protobuf enum number {} does not fit an int32", s.tag),
                    );
                }
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
                check_validators(cx, &v.validators);
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
                if v.tag == 0 {
                    cx.error_at(tag_span, format!(
                        "a variant with data is a member of the Protobuf oneof of `{}`, and its `tag` is a field number: \
                         use 1 ..= 536870911 (0 and negative numbers are for the symbols of enums without data)",
                        cont.name
                    ));
                } else {
                    check_tag(cx, v.tag, tag_span);
                }
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

/// What the type's spelling says about its innermost type, through `Option`, `Vec`, `Box` and
/// maps: the last path segment (`Option<Vec<rust_decimal::Decimal>>` → `Decimal`) and whether
/// the outer type is an `Option`. A type alias or a newtype is opaque here: the generated
/// compile-time checks still catch what this cannot see.
fn spelled(ty: &syn::Type) -> (Option<String>, bool) {
    fn last(ty: &syn::Type) -> Option<&syn::PathSegment> {
        match ty {
            syn::Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
            syn::Type::Group(g) => last(&g.elem),
            syn::Type::Paren(p) => last(&p.elem),
            _ => None,
        }
    }
    fn leaf(ty: &syn::Type) -> Option<String> {
        let seg = last(ty)?;
        let ident = seg.ident.to_string();
        if matches!(
            ident.as_str(),
            "Option" | "Vec" | "Box" | "HashMap" | "BTreeMap" | "IndexMap"
        ) {
            let syn::PathArguments::AngleBracketed(args) = &seg.arguments else {
                return None;
            };
            let inner = args.args.iter().rev().find_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })?;
            if matches!(ident.as_str(), "HashMap" | "IndexMap") && args.args.len() > 2 {
                return None;
            }
            leaf(inner)
        } else {
            Some(ident)
        }
    }
    let is_option = last(ty).is_some_and(|s| s.ident == "Option");
    (leaf(ty), is_option)
}

/// The key type of the map the spelling shows (through `Option`, `Vec` and `Box`), with the
/// last segment of its spelling (`HashMap<i32, V>` → `i32`).
fn spelled_map_key(ty: &syn::Type) -> Option<(&syn::Type, String)> {
    let syn::Type::Path(p) = ty else {
        return None;
    };
    let seg = p.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(args) = &seg.arguments else {
        return None;
    };
    let mut types = args.args.iter().filter_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    });
    match seg.ident.to_string().as_str() {
        "Option" | "Vec" | "Box" => spelled_map_key(types.next()?),
        "HashMap" | "BTreeMap" | "IndexMap" => {
            let key = types.next()?;
            let name = match key {
                syn::Type::Path(k) => k.path.segments.last()?.ident.to_string(),
                // A tuple, array, slice or reference: never a key.
                _ => String::from("_"),
            };
            Some((key, name))
        }
        _ => None,
    }
}

const INTEGERS: &[&str] = &["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64"];

/// Misuse the type's spelling shows, reported in the first compile round at the attribute
/// (the `const` checks of the generated code catch the rest, in the second round).
/// `Option<Option<T>>` and `Option<()>`, at any depth of `Option`, `Vec`, `Box` and the maps, as
/// spelled (through an alias the second round's const check still catches them): spanned at the
/// inner type, in the first round.
fn check_nested_option(cx: &Ctxt, ty: &syn::Type, in_option: bool) {
    let ty = match ty {
        syn::Type::Group(g) => &*g.elem,
        syn::Type::Paren(p) => &*p.elem,
        other => other,
    };
    if in_option && matches!(ty, syn::Type::Tuple(t) if t.elems.is_empty()) {
        cx.error_at(
            ty.span(),
            "Option<()> cannot be expressed in Avro (a union cannot hold \"null\" twice): use ()",
        );
        return;
    }
    let syn::Type::Path(p) = ty else { return };
    let Some(seg) = p.path.segments.last() else {
        return;
    };
    let ident = seg.ident.to_string();
    if !matches!(
        ident.as_str(),
        "Option" | "Vec" | "Box" | "HashMap" | "BTreeMap" | "IndexMap"
    ) {
        return;
    }
    if in_option && ident == "Option" {
        cx.error_at(ty.span(), "Option<Option<T>> cannot be expressed in Avro or Protobuf (a union cannot hold a union): use Option<T>");
        return;
    }
    let syn::PathArguments::AngleBracketed(args) = &seg.arguments else {
        return;
    };
    // The element or value type: the last type argument but a map's hasher.
    let types: Vec<&syn::Type> = args
        .args
        .iter()
        .filter_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        })
        .collect();
    let inner = match ident.as_str() {
        "HashMap" | "BTreeMap" | "IndexMap" => types.get(1),
        _ => types.first(),
    };
    if let Some(inner) = inner {
        check_nested_option(cx, inner, ident == "Option");
    }
}

fn check_spelled_type(cx: &Ctxt, f: &Field) {
    check_nested_option(cx, &f.ty, false);
    let (leaf, is_option) = spelled(&f.ty);
    let leaf = leaf.as_deref();
    let ty_span = f.ty.span();
    if leaf == Some("Decimal") && f.decimal.is_none() {
        cx.error_at(ty_span, "a Decimal field needs #[record(decimal(precision = P, scale = S))]: Avro's decimal type fixes both");
    }
    let map_key = spelled_map_key(&f.ty);
    if let Some((key, name)) = &map_key {
        if matches!(
            name.as_str(),
            "_" | "f32" | "f64" | "Option" | "Vec" | "HashMap" | "BTreeMap" | "IndexMap" | "Box"
        ) {
            cx.error_at(key.span(), "map keys are String, an integer (i8..i64, u8..u64) or bool: the key types Protobuf allows (Avro and JSON write them as strings)");
        }
    }
    // An integer key, or one the spelling cannot tell (an alias, a newtype): the const checks
    // of the second round decide.
    let maybe_int_key = map_key.is_some_and(|(_, k)| !matches!(k.as_str(), "String" | "bool"));
    if f.int_encoding.is_some()
        && !maybe_int_key
        && matches!(
            leaf,
            Some("String" | "str" | "bool" | "f32" | "f64" | "Uuid" | "Decimal")
        )
    {
        cx.error_at(ty_span, "`sint` and `fixed` choose a Protobuf integer encoding; they apply to integer fields only");
    }
    for v in &f.validators {
        if let ValidatorAttr::Min(l) | ValidatorAttr::Max(l) = &v.value {
            let key = v.value.key();
            if matches!(leaf, Some("String" | "str" | "bool"))
                || matches!((leaf, &f.ty), (Some("u8"), syn::Type::Path(p)) if p.path.segments.last().is_some_and(|s| s.ident == "Vec"))
            {
                cx.error_at(v.span, format!("`{key}` applies to numbers, decimals, dates and timestamps; for the length of a string, bytes or a collection use `{key}_len`"));
            } else if let ConstLit::Str(s) = l {
                if leaf.is_some_and(|t| INTEGERS.contains(&t) || t == "f32" || t == "f64") {
                    cx.error_at(v.span, format!("`{key} = \"{s}\"` on a number: write the limit as a number literal (`{key} = {s}`); quoted limits are for decimals, dates and timestamps"));
                }
            }
        }
    }
    if f.json_optional && matches!(f.default, FieldDefault::None) && !is_option {
        cx.error_at(f.span, "`skip_serializing_if` lets JSON leave this field out, but serde could not read such JSON back (the field has no default): add #[serde(default)] or #[serde(default = \"path\")]");
    }
}

fn check_fields(cx: &Ctxt, fields: &[Field]) {
    let mut names: HashMap<&str, String> = HashMap::new();
    let mut tags: HashMap<u32, String> = HashMap::new();
    for f in fields {
        check_name(cx, "field name", &f.name, f.span);
        for a in &f.aliases {
            check_name(cx, "field alias", a, f.span);
        }
        if let Some(prev) = names.insert(&f.name, f.ident_str()) {
            cx.error_at(
                f.span,
                format!(
                    "fields `{prev}` and `{}` are both named `{}` (after rename)",
                    f.ident_str(),
                    f.name
                ),
            );
        }
        let tag_span = f.explicit_tag.map_or(f.span, |t| t.1);
        check_tag(cx, f.tag, tag_span);
        if let Some(prev) = tags.insert(f.tag, f.ident_str()) {
            let hint = if f.explicit_tag.is_none() {
                " (unnumbered fields take the previous field's number + 1)"
            } else {
                ""
            };
            cx.error_at(
                tag_span,
                format!(
                    "Protobuf field number {} is used by `{prev}` and `{}`{hint}",
                    f.tag,
                    f.ident_str()
                ),
            );
        }
        if let Some((precision, scale, fixed)) = f.decimal {
            if precision == 0 || scale > precision {
                cx.error_at(f.span, format!("decimal(precision = {precision}, scale = {scale}) needs precision >= 1 and scale <= precision"));
            }
            if let Some(n) = fixed {
                let most = max_decimal_digits(n);
                if precision > most {
                    cx.error_at(f.span, format!("decimal(precision = {precision}, .., fixed = {n}): {n} bytes of two's complement hold at most {most} digits; make `fixed` larger or `precision` smaller"));
                }
            }
        }
        for t in &f.tags {
            if t.trim().is_empty() {
                cx.error_at(f.span, "tags must not be empty strings");
            }
        }
        check_validators(cx, &f.validators);
        check_spelled_type(cx, f);
    }
}

fn as_f64(l: &ConstLit) -> Option<f64> {
    match l {
        ConstLit::Int(i) => Some(*i as f64),
        ConstLit::Float(x) => Some(*x),
        ConstLit::Str(_) => None,
    }
}

/// A string limit must be a decimal number, an ISO-8601 date or a date-time.
fn is_string_limit(s: &str) -> bool {
    let t = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let decimal = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit());
    let b = s.as_bytes();
    let date = b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && (b.len() == 10 || matches!(b[10], b'T' | b't' | b' '));
    decimal || date
}

/// Validator attributes that contradict themselves (the fit with the field's type is checked
/// at compile time by the generated `const` checks).
fn check_validators(cx: &Ctxt, validators: &[Spanned2<ValidatorAttr>]) {
    let mut seen: HashMap<&str, ()> = HashMap::new();
    let (mut min, mut max, mut min_len, mut max_len) = (None, None, None, None);
    for v in validators {
        let key = v.value.key();
        if seen.insert(key, ()).is_some() {
            cx.error_at(v.span, format!("duplicate #[record({key})] attribute"));
            continue;
        }
        match &v.value {
            ValidatorAttr::Min(l) | ValidatorAttr::Max(l) => {
                if let ConstLit::Str(s) = l {
                    if !is_string_limit(s) {
                        cx.error_at(v.span, format!("`{key} = \"{s}\"`: a string limit is a decimal number (\"9.99\"), an ISO-8601 date (\"2024-01-31\") or date-time (\"2024-01-31T00:00:00Z\")"));
                    }
                }
                if matches!(v.value, ValidatorAttr::Min(_)) {
                    min = Some((l, v.span));
                } else {
                    max = Some((l, v.span));
                }
            }
            ValidatorAttr::MinLen(n) => min_len = Some(*n),
            ValidatorAttr::MaxLen(n) => max_len = Some((*n, v.span)),
            ValidatorAttr::NonEmpty | ValidatorAttr::Pattern(_) | ValidatorAttr::Unique => {}
            // JSON Schema's `multipleOf` must be greater than 0; a string is no step.
            ValidatorAttr::MultipleOf(l) => {
                if !as_f64(l).is_some_and(|x| x > 0.0 && x.is_finite()) {
                    cx.error_at(v.span, "`multiple_of` needs a number greater than 0 (`multiple_of = 5`, `multiple_of = 0.25`)");
                }
            }
            ValidatorAttr::Choices(items) => {
                if items.is_empty() {
                    cx.error_at(v.span, "`choices` needs at least one value");
                }
                let strings = items
                    .iter()
                    .filter(|(l, _)| matches!(l, ConstLit::Str(_)))
                    .count();
                if strings != 0 && strings != items.len() {
                    if let Some((_, span)) =
                        items.iter().find(|(l, _)| !matches!(l, ConstLit::Str(_)))
                    {
                        cx.error_at(
                            *span,
                            "`choices` mixes strings and numbers: use one kind of literal",
                        );
                    }
                }
                let mut distinct: Vec<&ConstLit> = Vec::new();
                for (l, span) in items {
                    if distinct.contains(&l) {
                        cx.error_at(*span, "this choice is listed twice");
                    }
                    distinct.push(l);
                }
            }
        }
    }
    if let (Some((lo, _)), Some((hi, span))) = (min, max) {
        let out_of_order = match (lo, hi) {
            (ConstLit::Str(a), ConstLit::Str(b)) => a.len() == b.len() && a > b,
            _ => matches!((as_f64(lo), as_f64(hi)), (Some(a), Some(b)) if a > b),
        };
        if out_of_order {
            cx.error_at(span, "`max` is below `min`: no value could pass");
        }
    }
    if let (Some(lo), Some((hi, span))) = (min_len, max_len) {
        if lo > hi {
            cx.error_at(
                span,
                format!("`max_len = {hi}` is below `min_len = {lo}`: no value could pass"),
            );
        }
    }
}

/// The most decimal digits a signed two's complement of `n` bytes always holds: the largest `p`
/// with `10^p - 1 <= 2^(8n - 1) - 1` (Avro's rule for a decimal on a fixed).
fn max_decimal_digits(n: usize) -> u32 {
    let bits = n.saturating_mul(8).saturating_sub(1);
    if bits == 0 {
        return 0;
    }
    // log10(2^bits), floored; exact enough for any size a schema uses.
    (bits as f64 * std::f64::consts::LOG10_2).floor() as u32
}
