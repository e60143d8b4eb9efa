//! Field validators (`#[record(validate(...))]`) as JSON Schema keywords.

use super::*;

/// Adds a field's validators to its schema: length rules on the outermost value (looking
/// through `Option`), value rules on the innermost scalar (list items, map values). Bounds only
/// ever tighten what the type already says. Rules JSON Schema cannot say (date, timestamp and
/// decimal bounds, the length of base64 bytes) are left out.
pub(super) fn constrain(
    entries: &mut Vec<(String, Node)>,
    ty: &Type,
    opts: FieldOptions,
    validators: &[Validator],
    outer: bool,
) {
    if validators.is_empty() {
        return;
    }
    let mut ty = ty;
    if let Type::Option(_) = ty {
        while let Type::Option(t) = ty {
            ty = t;
        }
        // `{"oneOf": [{"type": "null"}, T]}`: constrain T.
        if let Some(Node::Array(branches)) = get_mut(entries, "oneOf") {
            if let Some(Node::Object(branch)) = branches.get_mut(1) {
                constrain(branch, ty, opts, validators, outer);
            }
        }
        return;
    }
    if outer {
        let keys = match ty {
            Type::String => Some(("minLength", "maxLength")),
            Type::Bytes | Type::Fixed(_) if !opts.json_bytes_base64 => {
                Some(("minItems", "maxItems"))
            }
            Type::List(_) => Some(("minItems", "maxItems")),
            Type::Map(_) | Type::KeyedMap { .. } => Some(("minProperties", "maxProperties")),
            _ => None,
        };
        if let Some((min_key, max_key)) = keys {
            for v in validators {
                let as_i64 = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
                match *v {
                    Validator::MinLen(n) => tighten(entries, min_key, Value::from(as_i64(n)), true),
                    Validator::NonEmpty => tighten(entries, min_key, Value::from(1), true),
                    Validator::MaxLen(n) => {
                        tighten(entries, max_key, Value::from(as_i64(n)), false)
                    }
                    Validator::Unique if matches!(ty, Type::List(_)) => {
                        set(entries, "uniqueItems", Node::Leaf(Value::Bool(true)))
                    }
                    _ => {}
                }
            }
        }
    }
    match ty {
        Type::List(inner) | Type::Map(inner) | Type::KeyedMap { value: inner, .. } => {
            let key = if matches!(ty, Type::List(_)) {
                "items"
            } else {
                "additionalProperties"
            };
            if let Some(Node::Object(items)) = get_mut(entries, key) {
                constrain(items, inner, opts, validators, false);
            }
        }
        Type::Int(_) | Type::Float | Type::Double | Type::String => {
            for v in validators {
                match *v {
                    Validator::Min(c) => {
                        if let Some(n) = number(c) {
                            tighten(entries, "minimum", n, true);
                        }
                    }
                    Validator::Max(c) => {
                        if let Some(n) = number(c) {
                            tighten(entries, "maximum", n, false);
                        }
                    }
                    Validator::Choices(choices) => {
                        let items = choices
                            .iter()
                            .filter_map(|c| match *c {
                                Constant::Str(s) => Some(Node::str(s)),
                                other => number(other).map(Node::Leaf),
                            })
                            .collect();
                        set(entries, "enum", Node::Array(items));
                    }
                    Validator::Pattern(p) => set(entries, "pattern", Node::str(p.regex)),
                    Validator::MultipleOf(c) => {
                        if let Some(n) = number(c) {
                            set(entries, "multipleOf", Node::Leaf(n));
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

pub(super) fn number(c: Constant) -> Option<Value> {
    match c {
        Constant::Int(i) => int_value(i),
        Constant::Float(x) => Number::from_f64(x).map(Value::Number),
        Constant::Str(_) => None,
    }
}

pub(super) fn get_mut<'a>(entries: &'a mut [(String, Node)], key: &str) -> Option<&'a mut Node> {
    entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
}

pub(super) fn set(entries: &mut Vec<(String, Node)>, key: &str, value: Node) {
    match get_mut(entries, key) {
        Some(slot) => *slot = value,
        None => entries.push((key.to_string(), value)),
    }
}

/// Sets a numeric bound unless the one already there is tighter.
pub(super) fn tighten(entries: &mut Vec<(String, Node)>, key: &str, value: Value, is_min: bool) {
    if let Some(Node::Leaf(old)) = get_mut(entries, key) {
        if let (Some(a), Some(b)) = (old.as_f64(), value.as_f64()) {
            let keep_old = if is_min { a >= b } else { a <= b };
            if keep_old {
                return;
            }
        }
    }
    set(entries, key, Node::Leaf(value));
}
