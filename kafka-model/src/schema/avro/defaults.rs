//! Defaults: a field's `Literal` written as Avro default JSON for the field's type.

use super::*;

/// Bytes as the specification's JSON form: one code point U+0000..U+00FF per byte.
pub(super) fn latin1(bytes: &[u8]) -> J {
    J::Str(bytes.iter().map(|&b| char::from(b)).collect())
}

/// The shortest big-endian two's-complement form of `v` (at least one byte).
pub(super) fn twos_complement(v: i128) -> Vec<u8> {
    let bytes = v.to_be_bytes();
    let mut start = 0;
    while start + 1 < bytes.len() {
        let (b, next_high) = (bytes[start], bytes[start + 1] & 0x80);
        if (b == 0x00 && next_high == 0) || (b == 0xff && next_high != 0) {
            start += 1;
        } else {
            break;
        }
    }
    // `start` stops at 15 at most, so the slice is in bounds and never empty.
    bytes[start..].to_vec()
}

pub(super) fn decimal_bytes(unscaled: i128, scale: u32, opts: FieldOptions) -> Result<J, String> {
    let spec = decimal_spec(opts)?;
    let text = || format!("{unscaled}e-{scale}");
    let rescaled = if scale > spec.scale {
        let p = 10i128.checked_pow(scale - spec.scale);
        match p {
            Some(p) if unscaled % p == 0 => unscaled / p,
            None if unscaled == 0 => 0,
            _ => {
                return Err(format!(
                    "{} has more than {} digits after the point",
                    text(),
                    spec.scale
                ))
            }
        }
    } else {
        10i128
            .checked_pow(spec.scale - scale)
            .and_then(|p| unscaled.checked_mul(p))
            .ok_or_else(|| format!("{} exceeds decimal precision {}", text(), spec.precision))?
    };
    let digits = rescaled
        .unsigned_abs()
        .checked_ilog10()
        .map_or(1, |d| d + 1);
    if digits > spec.precision {
        return Err(format!(
            "{} has {digits} digits at scale {}, more than precision {}",
            text(),
            spec.scale,
            spec.precision
        ));
    }
    let bytes = twos_complement(rescaled);
    match spec.fixed {
        // Sign-extended to the fixed's size.
        Some(n) if bytes.len() <= n => {
            let fill = if rescaled < 0 { 0xff } else { 0x00 };
            let mut out = vec![fill; n - bytes.len()];
            out.extend_from_slice(&bytes);
            Ok(latin1(&out))
        }
        Some(n) => Err(format!("{} does not fit a fixed of {n} bytes", text())),
        None => Ok(latin1(&bytes)),
    }
}

pub(super) fn timestamp(seconds: i64, nanos: u32, precision: TimePrecision) -> Result<J, String> {
    if nanos >= 1_000_000_000 {
        return Err(format!("timestamp nanoseconds {nanos} out of range"));
    }
    let (per_second, nanos_per_unit, unit) = match precision {
        TimePrecision::Millis => (1_000i128, 1_000_000u32, "millisecond"),
        TimePrecision::Micros => (1_000_000i128, 1_000u32, "microsecond"),
    };
    if !nanos.is_multiple_of(nanos_per_unit) {
        return Err(format!(
            "timestamp {seconds}s + {nanos}ns is not a whole {unit}"
        ));
    }
    let total = i128::from(seconds) * per_second + i128::from(nanos / nanos_per_unit);
    i64::try_from(total)
        .map(J::I64)
        .map_err(|_| format!("timestamp {seconds}s out of the Avro long range"))
}

/// A default value for type `t` whose unions take the usual order (`null` first).
pub(super) fn value(t: &Type, lit: &Literal, opts: FieldOptions) -> Result<J, String> {
    let mismatch = || format!("expected a value of type {t}, found {}", lit.kind());
    match (t, lit) {
        (Type::Option(_) | Type::Null, Literal::Null) => Ok(J::Null),
        (Type::Option(_), _) => Err(format!(
            "a nested {t} is the union [\"null\", ...], and Avro reads a union default as its first branch, so only null fits here"
        )),
        (_, Literal::Null) => Err(format!("null is not a value of {t}")),
        (Type::Bool, Literal::Bool(b)) => Ok(J::Bool(*b)),
        (Type::Int(k), Literal::Int(i)) => {
            let (lo, hi) = if k.is_avro_long() {
                (i128::from(i64::MIN), i128::from(i64::MAX))
            } else {
                (i128::from(i32::MIN), i128::from(i32::MAX))
            };
            if *i < lo || *i > hi {
                return Err(format!("{i} does not fit an Avro {}", int_type(*k)));
            }
            i64::try_from(*i).map(J::I64).map_err(|_| format!("{i} does not fit an Avro long"))
        }
        (Type::Float, Literal::Float(x)) => {
            let y = *x as f32;
            if !y.is_finite() {
                return Err(format!("{x} is not a finite 32-bit float (JSON has no NaN or infinity)"));
            }
            Ok(J::F32(y))
        }
        (Type::Double, Literal::Float(x)) => {
            if !x.is_finite() {
                return Err(format!("{x} is not finite (JSON has no NaN or infinity)"));
            }
            Ok(J::F64(*x))
        }
        (Type::String, Literal::String(s)) => Ok(J::s(s.clone())),
        (Type::Bytes, Literal::Bytes(b)) => Ok(latin1(b)),
        (Type::Fixed(n), Literal::Bytes(b)) => {
            if b.len() != *n {
                return Err(format!("{} bytes for a fixed of size {n}", b.len()));
            }
            Ok(latin1(b))
        }
        (Type::Duration, Literal::Bytes(b)) => {
            if b.len() != 12 {
                return Err(format!("{} bytes for a duration of 12", b.len()));
            }
            Ok(latin1(b))
        }
        (Type::Uuid, Literal::Uuid(s) | Literal::String(s)) => Ok(J::s(s.clone())),
        (Type::Timestamp | Type::LocalTimestamp, Literal::Timestamp { seconds, nanos }) => timestamp(*seconds, *nanos, opts.timestamp),
        (Type::Time, Literal::Time(n)) => Ok(J::I64(match opts.timestamp {
            TimePrecision::Millis => (n / 1_000_000) as i64,
            TimePrecision::Micros => (n / 1_000) as i64,
        })),
        (Type::Date, Literal::Date(d)) => Ok(J::I64(i64::from(*d))),
        (Type::Decimal, Literal::Decimal { unscaled, scale }) => decimal_bytes(*unscaled, *scale, opts),
        (Type::List(item), Literal::List(items)) => items.iter().map(|l| value(item, l, opts)).collect::<Result<_, _>>().map(J::Arr),
        (Type::Map(v) | Type::KeyedMap { value: v, .. }, Literal::Map(entries)) => entries
            .iter()
            .map(|(k, l)| value(v, l, opts).map(|j| (k.clone(), j)))
            .collect::<Result<_, _>>()
            .map(J::Obj),
        (Type::Named(f), _) => model_value(f(), lit),
        _ => Err(mismatch()),
    }
}

/// A value of field `f` inside a record default, following the order the field's own union
/// was written in.
pub(super) fn field_value(f: &Field, lit: &Literal) -> Result<J, String> {
    match (&f.ty, lit) {
        (Type::Option(inner), _) if !option_null_first(f) => match lit {
            Literal::Null => Err(format!(
                "field `{}` is written [T, \"null\"] (its own default is a value), so a default for it cannot be null",
                f.name
            )),
            _ => value(inner, lit, f.options),
        },
        _ => value(&f.ty, lit, f.options),
    }
}

pub(super) fn model_value(m: &'static Model, lit: &Literal) -> Result<J, String> {
    match (m.shape, lit) {
        (Shape::Record(fields), Literal::Record(entries)) => {
            if let Some((extra, _)) = entries
                .iter()
                .find(|(name, _)| !fields.iter().any(|f| f.name == *name))
            {
                return Err(format!("`{}` has no field `{extra}`", m.rust_name));
            }
            let mut out = Vec::with_capacity(fields.len());
            for f in fields {
                let v = match entries.iter().find(|(name, _)| *name == f.name) {
                    Some((_, l)) => field_value(f, l),
                    None => match f.default {
                        Some(d) => field_value(f, &d()),
                        None => Err(format!(
                            "field `{}` of `{}` is missing",
                            f.name, m.rust_name
                        )),
                    },
                }
                .map_err(|e| format!("{}.{}: {e}", m.rust_name, f.name))?;
                out.push((f.name.to_string(), v));
            }
            Ok(J::Obj(out))
        }
        (Shape::Enum(symbols), Literal::Enum(i)) => symbols
            .get(*i)
            .map(|s| J::s(s.name))
            .ok_or_else(|| format!("`{}` has no symbol number {i}", m.rust_name)),
        (Shape::Enum(symbols), Literal::String(s)) if symbols.iter().any(|sym| sym.name == s) => {
            Ok(J::s(s.clone()))
        }
        (Shape::Fixed(n), lit) => value(&Type::Fixed(n), lit, FieldOptions::default()),
        (Shape::Duration, lit) => value(&Type::Duration, lit, FieldOptions::default()),
        (Shape::Primitive(t, _), lit) => value(&t, lit, FieldOptions::default()),
        (Shape::Union(u), Literal::Variant(i, inner)) => {
            let Some(first) = u.variants.first() else {
                return Err(format!("`{}` has no variants", m.rust_name));
            };
            if *i != 0 {
                let name = u.variants.get(*i).map_or("?", |v| v.name);
                return Err(format!(
                    "Avro reads a union default as the union's first branch (`{}`), but the default is `{name}`",
                    first.name
                ));
            }
            match first.payload {
                Payload::Newtype(t) => value(&t, inner, FieldOptions::default()),
                Payload::Struct(sm) => model_value(sm, inner),
            }
        }
        _ => Err(format!(
            "expected a value of `{}`, found {}",
            m.rust_name,
            lit.kind()
        )),
    }
}
