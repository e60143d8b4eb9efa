//! Coercion of loosely typed JSON (`#[record(coerce)]`): the value is parsed, walked with the
//! model, loose forms are converted to the strict ones serde reads, then it is deserialized.

use std::fmt::Write as _;

use serde_json::{Number, Value};

use super::time;
use crate::model::{Field, IntKind, Model, Shape, Type};
use crate::{CodecError, Record};

/// A JSON value that `#[record(coerce)]` could not convert to its field's type.
///
/// ```
/// use kafka_model::{CodecError, Record};
///
/// #[derive(Record, serde::Serialize, serde::Deserialize, Debug)]
/// struct Reading { #[record(coerce)] count: u8 }
///
/// let err = Reading::loads(br#"{"count": "300"}"#).unwrap_err();
/// let CodecError::Coerce(e) = err else { panic!("{err}") };
/// assert_eq!(e.path, "count");
/// assert_eq!(e.to_string(), "cannot coerce `count` to u8: \"300\" is out of range 0..=255");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot coerce `{path}` to {expected}: {reason}")]
#[non_exhaustive]
pub struct CoerceError {
    /// Where, e.g. `items[2].qty`.
    pub path: String,
    /// The field's type, e.g. `i32`.
    pub expected: String,
    /// Why the value was rejected.
    pub reason: String,
}

/// Whether decoding JSON into `model` coerces anything (some field of it, or of a record it
/// reaches, has `#[record(coerce)]`).
pub fn coerce_needed(model: &'static Model) -> bool {
    crate::model::named_types(model)
        .map(|all| {
            all.iter().any(|m| match m.shape {
                Shape::Record(fields) => fields.iter().any(|f| f.coerce),
                Shape::Union(u) => u.variants.iter().any(|v| match v.payload {
                    crate::model::Payload::Struct(sm) => sm.fields().iter().any(|f| f.coerce),
                    crate::model::Payload::Newtype(_) => false,
                }),
                Shape::Enum(_) | Shape::Fixed(_) | Shape::Duration | Shape::Primitive(..) => false,
            })
        })
        .unwrap_or(false)
}

/// Decodes JSON into `T`, coercing loose values first when the model asks for it.
pub fn decode_json<T: Record>(bytes: &[u8]) -> Result<T, CodecError> {
    if !T::coerce_json() {
        return serde_json::from_slice(bytes).map_err(|e| CodecError::json("decode", e));
    }
    let mut value: Value =
        serde_json::from_slice(bytes).map_err(|e| CodecError::json("decode", e))?;
    coerce_model(T::model(), &mut value, &mut String::new())?;
    serde_json::from_value(value).map_err(|e| CodecError::json("decode", e))
}

fn coerce_model(m: &'static Model, v: &mut Value, path: &mut String) -> Result<(), CoerceError> {
    // A tuple struct is the array of its fields' values, by position.
    if let (Shape::Record(fields), Value::Array(items), true) = (m.shape, &mut *v, m.tuple) {
        for (i, slot) in items.iter_mut().enumerate() {
            // (A `rest` list's items follow the other fields.)
            let (f, ty) = match (fields.get(i), fields.last()) {
                (Some(f), _) if !f.json_rest => (f, &f.ty),
                (
                    _,
                    Some(
                        f @ Field {
                            ty: Type::List(item),
                            json_rest: true,
                            ..
                        },
                    ),
                ) => (f, *item),
                _ => break,
            };
            let len = path.len();
            let _ = write!(path, "[{i}]");
            let r = coerce_field(f, ty, slot, path);
            path.truncate(len);
            r?;
        }
        return Ok(());
    }
    if let (Shape::Record(fields), Value::Object(obj)) = (m.shape, v) {
        for f in fields {
            let key = if obj.contains_key(f.name) {
                Some(f.name)
            } else {
                f.aliases.iter().copied().find(|a| obj.contains_key(*a))
            };
            let Some(key) = key else { continue };
            let Some(slot) = obj.get_mut(key) else {
                continue;
            };
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(key);
            let r = coerce_field(f, &f.ty, slot, path);
            path.truncate(len);
            r?;
        }
        // A flattened map's entries are the properties no field (or alias) names.
        if let Some(
            f @ Field {
                ty: Type::Map(inner),
                ..
            },
        ) = fields.iter().find(|f| f.json_flatten)
        {
            let named = |k: &str| {
                fields
                    .iter()
                    .any(|g| !g.json_flatten && (g.name == k || g.aliases.contains(&k)))
            };
            for (k, slot) in obj.iter_mut().filter(|(k, _)| !named(k)) {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                let r = coerce_field(f, inner, slot, path);
                path.truncate(len);
                r?;
            }
        }
    }
    Ok(())
}

fn coerce_field(f: &Field, ty: &Type, v: &mut Value, path: &mut String) -> Result<(), CoerceError> {
    match (ty, &mut *v) {
        (_, Value::Null) => Ok(()),
        (Type::Option(inner), _) => coerce_field(f, inner, v, path),
        (Type::List(inner), Value::Array(items)) => {
            for (i, item) in items.iter_mut().enumerate() {
                let len = path.len();
                let _ = write!(path, "[{i}]");
                let r = coerce_field(f, inner, item, path);
                path.truncate(len);
                r?;
            }
            Ok(())
        }
        (Type::Map(inner) | Type::KeyedMap { value: inner, .. }, Value::Object(entries)) => {
            for (k, item) in entries.iter_mut() {
                let len = path.len();
                let _ = write!(path, "[{k:?}]");
                let r = coerce_field(f, inner, item, path);
                path.truncate(len);
                r?;
            }
            Ok(())
        }
        (Type::Named(m), _) => coerce_model(m(), v, path),
        _ if f.coerce => coerce_scalar(ty, v, path),
        _ => Ok(()),
    }
}

fn fail(path: &str, ty: &Type, reason: String) -> CoerceError {
    CoerceError {
        path: path.to_string(),
        expected: ty.to_string(),
        reason,
    }
}

fn coerce_scalar(ty: &Type, v: &mut Value, path: &str) -> Result<(), CoerceError> {
    let new = match (ty, &*v) {
        (Type::Int(kind), Value::String(s)) => Some(int_value(*kind, s.trim(), v, ty, path)?),
        (Type::Int(kind), Value::Number(n)) if !(n.is_i64() || n.is_u64()) => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            if x.fract() != 0.0 || !x.is_finite() {
                return Err(fail(path, ty, format!("{n} is not a whole number")));
            }
            Some(int_value(*kind, &format!("{x:.0}"), v, ty, path)?)
        }
        (Type::Int(kind), Value::Number(n)) => {
            // In range for JSON but maybe not for the Rust type: say so with the path.
            Some(int_value(*kind, &n.to_string(), v, ty, path)?)
        }
        (Type::Float | Type::Double, Value::String(s)) => {
            let x: f64 = s
                .trim()
                .parse()
                .map_err(|_| fail(path, ty, format!("{s:?} is not a number")))?;
            let n = Number::from_f64(x)
                .ok_or_else(|| fail(path, ty, format!("{s:?} is not a finite number")))?;
            if matches!(ty, Type::Float) && x.is_finite() && (x as f32).is_infinite() {
                return Err(fail(path, ty, format!("{s:?} is out of range for f32")));
            }
            Some(Value::Number(n))
        }
        (Type::Bool, Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => {
                return Err(fail(
                    path,
                    ty,
                    format!("{s:?} is not \"true\" or \"false\""),
                ))
            }
        },
        (Type::Bool, Value::Number(n)) => match n.as_u64() {
            Some(0) => Some(Value::Bool(false)),
            Some(1) => Some(Value::Bool(true)),
            _ => return Err(fail(path, ty, format!("{n} is not 0 or 1"))),
        },
        (Type::String, Value::Number(n)) => Some(Value::String(n.to_string())),
        (Type::String, Value::Bool(b)) => Some(Value::String(b.to_string())),
        (Type::Decimal, Value::Number(n)) => Some(Value::String(n.to_string())),
        (Type::Decimal, Value::String(s)) => {
            let t = s.trim();
            if !is_decimal(t) {
                return Err(fail(path, ty, format!("{s:?} is not a decimal number")));
            }
            Some(Value::String(t.to_string()))
        }
        (Type::Timestamp, Value::Number(n)) => {
            Some(Value::String(millis(n.as_i64(), &n.to_string(), ty, path)?))
        }
        (Type::Timestamp, Value::String(s)) => {
            let t = s.trim();
            if !t.is_empty()
                && t.bytes()
                    .enumerate()
                    .all(|(i, b)| b.is_ascii_digit() || (i == 0 && b == b'-'))
            {
                Some(Value::String(millis(t.parse().ok(), s, ty, path)?))
            } else {
                let nanos = time::parse_timestamp(t).ok_or_else(|| {
                    fail(
                        path,
                        ty,
                        format!("{s:?} is not an ISO-8601 date-time or epoch milliseconds"),
                    )
                })?;
                Some(Value::String(time::format_timestamp(nanos)))
            }
        }
        (Type::Date, Value::String(s)) => {
            let t = s.trim();
            let days = match time::parse_date(t) {
                Some(d) => d,
                None => time::parse_timestamp(t)
                    .map(|n| n.div_euclid(86_400 * 1_000_000_000) as i64)
                    .ok_or_else(|| fail(path, ty, format!("{s:?} is not an ISO-8601 date")))?,
            };
            Some(Value::String(time::format_date(days)))
        }
        _ => None,
    };
    if let Some(new) = new {
        *v = new;
    }
    Ok(())
}

fn int_value(
    kind: IntKind,
    s: &str,
    orig: &Value,
    ty: &Type,
    path: &str,
) -> Result<Value, CoerceError> {
    let shown = match orig {
        Value::String(o) => format!("{o:?}"),
        other => other.to_string(),
    };
    let i: i128 = match s.parse() {
        Ok(i) => i,
        Err(_) => {
            // "42.0": a whole number written as a float.
            match s.parse::<f64>() {
                Ok(x) if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e38 => x as i128,
                _ => return Err(fail(path, ty, format!("{shown} is not an integer"))),
            }
        }
    };
    let (lo, hi) = kind.range();
    if i < lo || i > hi {
        return Err(fail(
            path,
            ty,
            format!("{shown} is out of range {lo}..={hi}"),
        ));
    }
    Ok(if i < 0 {
        Value::Number(Number::from(i as i64))
    } else {
        Value::Number(Number::from(i as u64))
    })
}

fn millis(ms: Option<i64>, shown: &str, ty: &Type, path: &str) -> Result<String, CoerceError> {
    let ms =
        ms.ok_or_else(|| fail(path, ty, format!("{shown} is not whole epoch milliseconds")))?;
    // chrono's range is about ±262,000 years; stay well inside it.
    if ms.unsigned_abs() > 8_000_000_000_000_000 {
        return Err(fail(
            path,
            ty,
            format!("{shown} epoch milliseconds is out of range"),
        ));
    }
    Ok(time::format_timestamp(i128::from(ms) * 1_000_000))
}

fn is_decimal(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    !(int.is_empty() && frac.is_empty())
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}
