//! Strings, numbers, integers and booleans: formats, bounds, `multipleOf` and `default`s.

use crate::generate::avro::lit;
use crate::generate::GenerateError;

use super::{child, get, lacks, text, Doc, Emitter, Kind, Obj, Ty};

impl Emitter<'_> {
    /// A string, integer, number or boolean.
    pub(super) fn scalar(&mut self, o: &Obj, at: &str, kind: Kind) -> Result<Ty, GenerateError> {
        let mut t = Ty::default();
        match kind {
            Kind::String => {
                self.allow(
                    o,
                    at,
                    &[
                        "type",
                        "minLength",
                        "maxLength",
                        "pattern",
                        "format",
                        "contentEncoding",
                    ],
                )?;
                match text(o, "contentEncoding") {
                    None => {}
                    Some("base64")
                        if o.len() == 2 || (o.len() == 3 && get(o, "description").is_some()) =>
                    {
                        return Ok(Ty {
                            rust: "Vec<u8>".into(),
                            serde: Some("with = \"kafka_model::base64\"".into()),
                            ..Ty::default()
                        })
                    }
                    Some(e) => {
                        return Err(lacks(
                            &self.at(&child(at, "contentEncoding")),
                            &format!("`contentEncoding` {e:?} here"),
                        ))
                    }
                }
                let pattern = text(o, "pattern");
                t.rust = match text(o, "format") {
                    Some("date-time") => "chrono::DateTime<chrono::Utc>",
                    Some("date") => "chrono::NaiveDate",
                    Some("uuid") => "uuid::Uuid",
                    Some(f) => {
                        return Err(lacks(
                            &self.at(&child(at, "format")),
                            &format!("format `{f}`"),
                        ))
                    }
                    // (The derive's decimal string is a `String` with its pattern here: a
                    // `Decimal` field needs a precision and scale the schema does not give.)
                    None => "String",
                }
                .into();
                if t.rust != "String"
                    && ["minLength", "maxLength", "pattern"]
                        .iter()
                        .any(|k| get(o, k).is_some())
                {
                    return Err(lacks(&self.at(at), "a bound or pattern beside `format`"));
                }
                t.length = bounds(o, "minLength", "maxLength");
                if let Some(p) = pattern {
                    t.value.push(format!("pattern = {}", lit(p)));
                }
            }
            Kind::Integer => {
                self.allow(o, at, &["type", "minimum", "maximum", "multipleOf"])?;
                let min = get(o, "minimum").and_then(as_i128);
                let max = get(o, "maximum").and_then(as_i128);
                let exact = |lo: i128, hi: i128| min == Some(lo) && max == Some(hi);
                t.rust = if exact(i8::MIN.into(), i8::MAX.into()) {
                    "i8"
                } else if exact(i16::MIN.into(), i16::MAX.into()) {
                    "i16"
                } else if exact(i32::MIN.into(), i32::MAX.into()) {
                    "i32"
                } else if exact(0, u8::MAX.into()) {
                    "u8"
                } else if exact(0, u16::MAX.into()) {
                    "u16"
                } else if exact(0, u32::MAX.into()) {
                    "u32"
                } else if min == Some(0) && max.is_none() {
                    "u64"
                } else {
                    t.value = number_bounds(o, at, self)?;
                    "i64"
                }
                .into();
                t.value.extend(self.multiple_of(o, at, true)?);
            }
            Kind::Number => {
                self.allow(o, at, &["type", "minimum", "maximum", "multipleOf"])?;
                t.rust = "f64".into();
                t.value = number_bounds(o, at, self)?;
                t.value.extend(self.multiple_of(o, at, false)?);
            }
            Kind::Boolean => {
                self.allow(o, at, &["type"])?;
                t.rust = "bool".into();
            }
            other => {
                return Err(GenerateError::Internal {
                    message: format!("{other:?} is not a scalar"),
                })
            }
        }
        Ok(t)
    }

    /// `multiple_of = N` from `multipleOf` (greater than 0, as JSON Schema requires; a whole
    /// number on an integer, which is what the derive's integer fields take).
    fn multiple_of(
        &self,
        o: &Obj,
        at: &str,
        integer: bool,
    ) -> Result<Option<String>, GenerateError> {
        let Some(step) = get(o, "multipleOf") else {
            return Ok(None);
        };
        let step = match step {
            Doc::Num(n)
                if n.as_f64().is_some_and(|x| x > 0.0 && x.is_finite())
                    && (!integer || as_i128(step).is_some()) =>
            {
                n
            }
            _ => {
                let what = if integer {
                    "a positive whole number"
                } else {
                    "a positive number"
                };
                return Err(lacks(
                    &self.at(&child(at, "multipleOf")),
                    &format!("a `multipleOf` that is not {what}"),
                ));
            }
        };
        Ok(Some(format!("multiple_of = {step}")))
    }

    /// The Rust expression of a property's `default`: a string, a number that fits the
    /// field's type or a bool.
    pub(super) fn default_expr(
        &self,
        value: &Doc,
        ty: &Ty,
        at: &str,
    ) -> Result<String, GenerateError> {
        let unsupported = || lacks(at, "this `default` (only strings, numbers and bools)");
        if ty.named.is_some() {
            return Err(lacks(
                at,
                "a `default` of an enum or object (the derive writes it beside an `allOf` of the \
                 type's `$ref`, which Confluent's diff reads as another schema)",
            ));
        }
        let fits = |n: &serde_json::Number| {
            let Some(i) = n
                .as_i64()
                .map(i128::from)
                .or_else(|| n.as_u64().map(i128::from))
            else {
                return false;
            };
            let (lo, hi): (i128, i128) = match ty.rust.as_str() {
                "i8" => (i8::MIN.into(), i8::MAX.into()),
                "i16" => (i16::MIN.into(), i16::MAX.into()),
                "i32" => (i32::MIN.into(), i32::MAX.into()),
                "i64" => (i64::MIN.into(), i64::MAX.into()),
                "u8" => (0, u8::MAX.into()),
                "u16" => (0, u16::MAX.into()),
                "u32" => (0, u32::MAX.into()),
                "u64" => (0, u64::MAX.into()),
                _ => return false,
            };
            (lo..=hi).contains(&i)
        };
        match (value, ty.rust.as_str()) {
            (Doc::Str(s), "String") => Ok(format!("{}.to_string()", lit(s))),
            (Doc::Bool(b), "bool") => Ok(b.to_string()),
            // (A float written as an integer would render back as `1.0`, not `1`.)
            (Doc::Num(n), "f64") if n.is_f64() => Ok(format!("{n}_f64")),
            (Doc::Num(n), _) if fits(n) => Ok(n.to_string()),
            _ => Err(unsupported()),
        }
    }
}

pub(super) fn as_i128(d: &Doc) -> Option<i128> {
    match d {
        Doc::Num(n) => n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from)),
        _ => None,
    }
}

/// `min_len`/`max_len` from a pair of length keywords.
pub(super) fn bounds(o: &Obj, min: &str, max: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (key, attr) in [(min, "min_len"), (max, "max_len")] {
        if let Some(Doc::Num(n)) = get(o, key) {
            out.push(format!("{attr} = {n}"));
        }
    }
    out
}

/// `min`/`max` from `minimum`/`maximum`.
fn number_bounds(o: &Obj, at: &str, e: &Emitter) -> Result<Vec<String>, GenerateError> {
    let mut out = Vec::new();
    for (key, attr) in [("minimum", "min"), ("maximum", "max")] {
        match get(o, key) {
            None => {}
            Some(Doc::Num(n)) => out.push(format!("{attr} = {n}")),
            Some(_) => {
                return Err(lacks(
                    &e.at(&child(at, key)),
                    &format!("a malformed `{key}`"),
                ))
            }
        }
    }
    Ok(out)
}
