//! The declarative rules (`min`, `max_len`, `choices`, ...) applied to values, and their
//! compile-time checks against the field types.

use std::cmp::Ordering;

use super::{
    time, FieldPath, Invalid, Kind, Rule, Scalar, Segment, Validate, ValidationError,
    ValidationErrors,
};
use crate::model::{Constant, Field, FieldType, Literal, Model, Payload, Shape, Type, Validator};

/// Checks one field: its declarative rules, then whatever its value validates itself
/// (nested records, reusable field types). Called by the derive's `validate`.
pub fn validate_field<T: Validate + FieldType>(
    value: &T,
    rules: &[Validator],
    sensitive: bool,
    path: &FieldPath<'_>,
    errors: &mut ValidationErrors,
) {
    let start = errors.len();
    if !rules.is_empty() {
        apply(value, rules, path, errors);
        // (Needs the items' content, which `Validate` does not show for records.)
        if rules.contains(&Validator::Unique) {
            unique_items(&value.to_literal(), path, errors);
        }
    }
    value.validate_at(path, errors);
    if sensitive {
        errors.redact_from(start);
    }
}

/// Reports the result of a custom check (`with = ...`).
pub fn check_with<T: Validate, E: Into<Invalid>>(
    value: &T,
    result: Result<(), E>,
    sensitive: bool,
    path: &FieldPath<'_>,
    errors: &mut ValidationErrors,
) {
    if let Err(e) = result {
        let mut e = ValidationError::new(path, e.into(), value.scalar().render());
        if sensitive {
            e.redact();
        }
        errors.push(e);
    }
}

/// `#[record(min_properties, max_properties)]`: `present` is how many properties serde writes
/// for the struct (the derive counts them: a field `skip_serializing_if` leaves out is none, a
/// flattened map's entries are one each), checked against the model's bounds. The error is at
/// the struct's own path.
pub fn check_properties(
    model: &'static Model,
    present: usize,
    path: &FieldPath<'_>,
    errors: &mut ValidationErrors,
) {
    let value = || {
        let word = if present == 1 {
            "property"
        } else {
            "properties"
        };
        Some(format!("{present} {word}"))
    };
    if let Some(min) = model.min_properties.filter(|min| present < *min) {
        errors.push(ValidationError::new(
            path,
            Invalid::new(
                Rule::MinProperties,
                format!("must have at least {min} properties"),
            )
            .with_limit(min.to_string()),
            value(),
        ));
    }
    if let Some(max) = model.max_properties.filter(|max| present > *max) {
        errors.push(ValidationError::new(
            path,
            Invalid::new(
                Rule::MaxProperties,
                format!("must have at most {max} properties"),
            )
            .with_limit(max.to_string()),
            value(),
        ));
    }
}

/// The validators of a newtype variant of an enum with data (`V(#[record(max_len = 8)] String)`).
pub fn variant_validators(model: &'static Model, index: usize) -> &'static [Validator] {
    match model.shape {
        Shape::Union(u) => u.variants.get(index).map_or(&[], |v| v.validators),
        _ => &[],
    }
}

/// The fields of a struct variant of an enum with data.
pub fn variant_fields(model: &'static Model, index: usize) -> &'static [Field] {
    match model.shape {
        Shape::Union(u) => match u.variants.get(index).map(|v| v.payload) {
            Some(Payload::Struct(m)) => m.fields(),
            _ => &[],
        },
        _ => &[],
    }
}

fn child_path<'a>(path: &'a FieldPath<'a>, seg: Segment<'a>) -> FieldPath<'a> {
    path.join(seg)
}

fn apply(
    value: &dyn Validate,
    rules: &[Validator],
    path: &FieldPath<'_>,
    errors: &mut ValidationErrors,
) {
    if value.kind() == Kind::Optional {
        let mut present = false;
        value.for_each_child(&mut |seg, child| {
            present = true;
            match seg {
                None => apply(child, rules, path, errors),
                Some(seg) => apply(child, rules, &child_path(path, seg), errors),
            }
        });
        if !present && rules.contains(&Validator::NonEmpty) {
            errors.push(ValidationError::new(
                path,
                Invalid::new(Rule::NonEmpty, "must not be empty"),
                Some("null".into()),
            ));
        }
        return;
    }
    length_rules(value, rules, path, errors);
    value_rules(value, rules, path, errors);
}

/// `unique`: the first item equal to an earlier one is an error at its index. Items compare
/// by content (their format-neutral literals), as JSON Schema's `uniqueItems` compares the
/// JSON values, whatever the Rust type's `PartialEq` says.
fn unique_items(value: &Literal, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
    let Literal::List(items) = value else {
        return; // `None`
    };
    let mut seen = std::collections::HashMap::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if let Some(first) = seen.insert(format!("{item:?}"), i) {
            errors.push(ValidationError::new(
                &child_path(path, Segment::Index(i)),
                Invalid::new(Rule::Unique, format!("must not repeat item {first}")),
                None,
            ));
            return;
        }
    }
}

fn unit(scalar: Scalar<'_>, n: usize) -> &'static str {
    match (scalar, n) {
        (Scalar::Str(_), 1) => "character",
        (Scalar::Str(_), _) => "characters",
        (Scalar::Bytes(_), 1) => "byte",
        (Scalar::Bytes(_), _) => "bytes",
        (_, 1) => "entry",
        _ => "entries",
    }
}

fn length_rules(
    value: &dyn Validate,
    rules: &[Validator],
    path: &FieldPath<'_>,
    errors: &mut ValidationErrors,
) {
    let Some(len) = value.length() else {
        return;
    };
    let scalar = value.scalar();
    let shown = || {
        scalar
            .render()
            .filter(|_| matches!(scalar, Scalar::Str(_)))
            .or_else(|| Some(format!("{len} {}", unit(scalar, len))))
    };
    for rule in rules {
        let problem = match *rule {
            Validator::MinLen(n) if len < n => Invalid::new(
                Rule::MinLen,
                format!("must have at least {n} {}", unit(scalar, n)),
            )
            .with_limit(n.to_string()),
            Validator::MaxLen(n) if len > n => Invalid::new(
                Rule::MaxLen,
                format!("must have at most {n} {}", unit(scalar, n)),
            )
            .with_limit(n.to_string()),
            Validator::NonEmpty if len == 0 => Invalid::new(Rule::NonEmpty, "must not be empty"),
            _ => continue,
        };
        errors.push(ValidationError::new(path, problem, shown()));
    }
}

fn value_rules(
    value: &dyn Validate,
    rules: &[Validator],
    path: &FieldPath<'_>,
    errors: &mut ValidationErrors,
) {
    if !rules.iter().any(|r| {
        matches!(
            r,
            Validator::Min(_)
                | Validator::Max(_)
                | Validator::Choices(_)
                | Validator::Pattern(_)
                | Validator::MultipleOf(_)
        )
    }) {
        return;
    }
    if value.kind() != Kind::Leaf {
        value.for_each_child(&mut |seg, child| match seg {
            None => value_rules(child, rules, path, errors),
            Some(seg) => value_rules(child, rules, &child_path(path, seg), errors),
        });
        return;
    }
    let scalar = value.scalar();
    for rule in rules {
        let problem = match *rule {
            Validator::Min(limit) => match compare(scalar, limit) {
                Some(Ordering::Less) | None => {
                    Invalid::new(Rule::Min, format!("must be at least {}", show(limit)))
                        .with_limit(show(limit))
                }
                _ => continue,
            },
            Validator::Max(limit) => match compare(scalar, limit) {
                Some(Ordering::Greater) | None => {
                    Invalid::new(Rule::Max, format!("must be at most {}", show(limit)))
                        .with_limit(show(limit))
                }
                _ => continue,
            },
            Validator::Choices(choices) => {
                if choices
                    .iter()
                    .any(|c| compare(scalar, *c) == Some(Ordering::Equal))
                {
                    continue;
                }
                let list = format!(
                    "[{}]",
                    choices
                        .iter()
                        .map(|c| show_quoted(*c))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                Invalid::new(Rule::Choices, format!("must be one of {list}")).with_limit(list)
            }
            Validator::MultipleOf(step) => {
                if is_multiple(scalar, step) {
                    continue;
                }
                Invalid::new(
                    Rule::MultipleOf,
                    format!("must be a multiple of {}", show(step)),
                )
                .with_limit(show(step))
            }
            Validator::Pattern(p) => {
                let Scalar::Str(s) = scalar else { continue };
                match (p.is_match)(s) {
                    Some(true) => continue,
                    Some(false) => {
                        Invalid::new(Rule::Pattern, format!("must match the pattern {}", p.regex))
                            .with_limit(p.regex)
                    }
                    None => Invalid::new(
                        Rule::Pattern,
                        format!("the pattern {} does not compile", p.regex),
                    )
                    .with_limit(p.regex),
                }
            }
            _ => continue,
        };
        errors.push(ValidationError::new(path, problem, scalar.render()));
    }
}

/// Whether the value divided by `step` is a whole number (JSON Schema's `multipleOf`, as
/// Python's jsonschema decides it: exact for integers, the float quotient for floats). The
/// derive admits only positive steps; any other step, or a value that is no number, fails.
fn is_multiple(v: Scalar<'_>, step: Constant) -> bool {
    match (v, step) {
        (Scalar::Int(a), Constant::Int(m)) if m > 0 => a % m == 0,
        (Scalar::Int(a), Constant::Float(m)) => whole(a as f64 / m),
        (Scalar::Float(x), Constant::Int(m)) if m > 0 => whole(x / m as f64),
        (Scalar::Float(x), Constant::Float(m)) => whole(x / m),
        _ => false,
    }
}

fn whole(q: f64) -> bool {
    q.is_finite() && q.fract() == 0.0
}

fn show(c: Constant) -> String {
    match c {
        Constant::Int(i) => i.to_string(),
        Constant::Float(x) => x.to_string(),
        Constant::Str(s) => s.to_string(),
    }
}

fn show_quoted(c: Constant) -> String {
    match c {
        Constant::Str(s) => format!("{s:?}"),
        other => show(other),
    }
}

/// Orders a value against a limit or choice; `None` when they cannot be compared (NaN, a
/// limit that does not parse).
fn compare(v: Scalar<'_>, c: Constant) -> Option<Ordering> {
    match (v, c) {
        (Scalar::Int(a), Constant::Int(b)) => Some(a.cmp(&b)),
        (Scalar::Int(a), Constant::Float(b)) => (a as f64).partial_cmp(&b),
        (Scalar::Float(a), Constant::Int(b)) => a.partial_cmp(&(b as f64)),
        (Scalar::Float(a), Constant::Float(b)) => a.partial_cmp(&b),
        (Scalar::Str(a), Constant::Str(b)) => Some(a.cmp(b)),
        #[cfg(feature = "rust_decimal")]
        (Scalar::Decimal(a), c) => {
            use rust_decimal::Decimal;
            let b = match c {
                Constant::Int(i) => Decimal::try_from_i128_with_scale(i, 0).ok()?,
                Constant::Float(x) => Decimal::try_from(x).ok()?,
                Constant::Str(s) => s.parse::<Decimal>().ok()?,
            };
            Some(a.cmp(&b))
        }
        (Scalar::Date(a), Constant::Str(s)) => Some(a.cmp(&time::parse_date(s)?)),
        (Scalar::Timestamp(a), Constant::Str(s)) => Some(a.cmp(&time::parse_timestamp(s)?)),
        _ => None,
    }
}

const fn leaf(ty: &Type) -> &Type {
    match ty {
        Type::Option(inner)
        | Type::List(inner)
        | Type::Map(inner)
        | Type::KeyedMap { value: inner, .. } => leaf(inner),
        other => other,
    }
}

const fn outer(ty: &Type) -> &Type {
    match ty {
        Type::Option(inner) => outer(inner),
        other => other,
    }
}

/// Compile-time check that a validator fits the field's type: the derive calls it in a `const`
/// spanned at the attribute, so misuse is a compile error there.
pub const fn check_validator(ty: &Type, v: &Validator) {
    match v {
        Validator::Min(c) | Validator::Max(c) => match (leaf(ty), c) {
            (Type::Int(_), Constant::Int(_)) => {}
            (Type::Int(_), _) => panic!("an integer field needs an integer limit (`min = 1`, not `min = 1.0` or a string)"),
            (Type::Float | Type::Double, Constant::Int(_) | Constant::Float(_)) => {}
            (Type::Float | Type::Double, Constant::Str(_)) => panic!("a float field needs a number limit (`min = 0.5`), not a string"),
            (Type::Decimal, _) => {}
            (Type::Date | Type::Timestamp, Constant::Str(_)) => {}
            (Type::Date | Type::Timestamp, _) => panic!("a date or timestamp limit is an ISO-8601 string: `min = \"2020-01-01\"` / `min = \"2020-01-01T00:00:00Z\"`"),
            _ => panic!("`min` / `max` apply to numbers, decimals, dates and timestamps; for the length of a string, bytes or a collection use `min_len` / `max_len`"),
        },
        Validator::MinLen(_) | Validator::MaxLen(_) | Validator::NonEmpty => match outer(ty) {
            Type::String
            | Type::Bytes
            | Type::Fixed(_)
            | Type::List(_)
            | Type::Map(_)
            | Type::KeyedMap { .. } => {}
            _ => {
                if let (Validator::NonEmpty, Type::Option(_)) = (v, ty) {
                    return;
                }
                panic!("`min_len` / `max_len` / `non_empty` apply to strings, bytes, lists and maps (for numbers use `min` / `max`)")
            }
        },
        Validator::Choices(choices) => {
            let mut i = 0;
            while i < choices.len() {
                match (leaf(ty), &choices[i]) {
                    (Type::String, Constant::Str(_)) | (Type::Int(_), Constant::Int(_)) => {}
                    (Type::Float | Type::Double, Constant::Int(_) | Constant::Float(_)) => {}
                    (Type::String, _) => panic!("`choices` of a string field must be string literals: choices = [\"a\", \"b\"]"),
                    (Type::Int(_), _) => panic!("`choices` of an integer field must be integer literals: choices = [1, 2]"),
                    (Type::Float | Type::Double, _) => panic!("`choices` of a float field must be number literals"),
                    _ => panic!("`choices` apply to strings and numbers (for a fixed set of symbols, use a unit-only enum)"),
                }
                i += 1;
            }
        }
        Validator::Pattern(_) => {
            if !matches!(leaf(ty), Type::String) {
                panic!("`pattern` applies to string fields only")
            }
        }
        Validator::MultipleOf(c) => match (leaf(ty), c) {
            (Type::Int(_), Constant::Int(_)) => {}
            (Type::Int(_), _) => panic!("an integer field needs an integer step (`multiple_of = 5`)"),
            (Type::Float | Type::Double, Constant::Int(_) | Constant::Float(_)) => {}
            _ => panic!("`multiple_of` applies to integer and float fields"),
        },
        Validator::Unique => {
            if !matches!(outer(ty), Type::List(_)) {
                panic!("`unique` applies to lists (`Vec<T>`): no two items equal")
            }
        }
    }
}
