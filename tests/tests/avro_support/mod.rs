//! Helpers of the Avro tests: the vector value convention (`interop/README.md`) from a
//! value's format-neutral `Literal`, and apache-avro `Value`s built from a `Literal`.
#![allow(dead_code, deprecated)]

use std::collections::HashMap;

use apache_avro::schema::{InnerDecimalSchema, Schema, UuidSchema};
use apache_avro::types::Value;
use base64::Engine as _;
use chrono::{DateTime, NaiveDate, Utc};
use kafka_model::model::Literal;
use serde_json::{json, Value as Json};

/// Named types of a schema, by full name.
pub struct Names<'s>(pub HashMap<String, &'s Schema>);

impl<'s> Names<'s> {
    pub fn of(s: &'s Schema) -> Self {
        let mut n = Names(HashMap::new());
        n.collect(s);
        n
    }
    fn collect(&mut self, s: &'s Schema) {
        match s {
            Schema::Record(r) if self.0.insert(r.name.fullname(None), s).is_none() => {
                for f in &r.fields {
                    self.collect(&f.schema);
                }
            }
            Schema::Enum(e) => {
                self.0.insert(e.name.fullname(None), s);
            }
            Schema::Fixed(f) | Schema::Duration(f) => {
                self.0.insert(f.name.fullname(None), s);
            }
            Schema::Array(a) => self.collect(&a.items),
            Schema::Map(m) => self.collect(&m.types),
            Schema::Union(u) => u.variants().iter().for_each(|v| self.collect(v)),
            _ => {}
        }
    }
    pub fn deref(&self, s: &'s Schema) -> &'s Schema {
        match s {
            Schema::Ref { name } => self.0[&name.fullname(None)],
            s => s,
        }
    }
}

fn b64(b: &[u8]) -> Json {
    Json::String(base64::engine::general_purpose::STANDARD.encode(b))
}

fn float_json(x: f64) -> Json {
    if x.is_nan() {
        json!("NaN")
    } else if x == f64::INFINITY {
        json!("Infinity")
    } else if x == f64::NEG_INFINITY {
        json!("-Infinity")
    } else {
        json!(x)
    }
}

fn decimal_text(unscaled: i128, scale: u32) -> String {
    let neg = unscaled < 0;
    let digits = unscaled.unsigned_abs().to_string();
    let scale = scale as usize;
    let padded = if digits.len() <= scale {
        format!("{}{}", "0".repeat(scale - digits.len() + 1), digits)
    } else {
        digits
    };
    let (int, frac) = padded.split_at(padded.len() - scale);
    let sign = if neg { "-" } else { "" };
    if scale == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

fn twos(bytes: &[u8]) -> i128 {
    let fill = if bytes.first().is_some_and(|b| b & 0x80 != 0) {
        0xff
    } else {
        0
    };
    let mut buf = [fill; 16];
    buf[16 - bytes.len()..].copy_from_slice(bytes);
    i128::from_be_bytes(buf)
}

fn lit_int(l: &Literal) -> i128 {
    match l {
        Literal::Int(i) => *i,
        Literal::Date(d) => i128::from(*d),
        other => panic!("expected an integer literal, found {other:?}"),
    }
}

fn timestamp(l: &Literal, unit_nanos: i128) -> DateTime<Utc> {
    match l {
        Literal::Timestamp { seconds, nanos } => {
            DateTime::from_timestamp(*seconds, *nanos).unwrap()
        }
        other => {
            let n = lit_int(other) * unit_nanos;
            DateTime::from_timestamp(
                n.div_euclid(1_000_000_000) as i64,
                n.rem_euclid(1_000_000_000) as u32,
            )
            .unwrap()
        }
    }
}

/// A time of day in units of `unit_nanos` (a `Literal::Time` is in nanoseconds).
fn time_units(l: &Literal, unit_nanos: i128) -> i128 {
    match l {
        Literal::Time(n) => i128::from(*n) / unit_nanos,
        other => lit_int(other),
    }
}

fn time_of_day(v: i128, per_sec: i128, digits: usize) -> String {
    let secs = v / per_sec;
    let frac = v % per_sec;
    format!(
        "{:02}:{:02}:{:02}.{:0digits$}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        frac
    )
}

/// The branch name of a union branch in the vector convention.
fn branch_name(s: &Schema) -> String {
    match s {
        Schema::Record(r) => r.name.fullname(None),
        Schema::Enum(e) => e.name.fullname(None),
        Schema::Fixed(f) => f.name.fullname(None),
        Schema::Ref { name } => name.fullname(None),
        Schema::Array(_) => "array".into(),
        Schema::Map(_) => "map".into(),
        Schema::Null => "null".into(),
        Schema::Boolean => "boolean".into(),
        Schema::Int | Schema::Date | Schema::TimeMillis => "int".into(),
        Schema::Long | Schema::TimestampMillis | Schema::TimestampMicros | Schema::TimeMicros => {
            "long".into()
        }
        Schema::Float => "float".into(),
        Schema::Double => "double".into(),
        Schema::Bytes | Schema::Decimal(_) => "bytes".into(),
        Schema::String | Schema::Uuid(_) => "string".into(),
        other => panic!("no branch name for {other:?}"),
    }
}

/// The value in the vector convention, from a `Literal` shaped by `schema`.
pub fn lit_json(l: &Literal, s: &Schema, names: &Names<'_>) -> Json {
    let s = names.deref(s);
    match s {
        Schema::Null => Json::Null,
        Schema::Boolean => match l {
            Literal::Bool(b) => json!(b),
            o => panic!("{o:?}"),
        },
        Schema::Int | Schema::Long => json!(lit_int(l) as i64),
        Schema::Float | Schema::Double => match l {
            Literal::Float(x) => float_json(*x),
            o => float_json(lit_int(o) as f64),
        },
        Schema::String => match l {
            Literal::String(x) | Literal::Uuid(x) => json!(x),
            o => panic!("{o:?}"),
        },
        Schema::Uuid(UuidSchema::String) => match l {
            Literal::Uuid(x) | Literal::String(x) => json!(x),
            o => panic!("{o:?}"),
        },
        Schema::Bytes | Schema::Fixed(_) | Schema::Duration(_) => match l {
            Literal::Bytes(b) => b64(b),
            o => panic!("{o:?}"),
        },
        Schema::Decimal(d) => match l {
            Literal::Decimal { unscaled, scale } => {
                let target = d.scale as u32;
                let u = unscaled * 10i128.pow(target - scale);
                json!(decimal_text(u, target))
            }
            Literal::Bytes(b) => {
                assert!(matches!(d.inner, InnerDecimalSchema::Bytes));
                json!(decimal_text(twos(b), d.scale as u32))
            }
            o => panic!("{o:?}"),
        },
        Schema::Date => {
            let d = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Days::new(0);
            let days = lit_int(l) as i64;
            json!((d + chrono::TimeDelta::days(days))
                .format("%Y-%m-%d")
                .to_string())
        }
        Schema::TimestampMillis => json!(timestamp(l, 1_000_000)
            .format("%Y-%m-%dT%H:%M:%S%.3fZ")
            .to_string()),
        Schema::TimestampMicros => json!(timestamp(l, 1_000)
            .format("%Y-%m-%dT%H:%M:%S%.6fZ")
            .to_string()),
        Schema::TimeMillis => json!(time_of_day(time_units(l, 1_000_000), 1000, 3)),
        Schema::TimeMicros => json!(time_of_day(time_units(l, 1_000), 1_000_000, 6)),
        // The harness's convention: local date-times written like UTC instants.
        Schema::LocalTimestampMillis => json!(timestamp(l, 1_000_000)
            .format("%Y-%m-%dT%H:%M:%S%.3fZ")
            .to_string()),
        Schema::LocalTimestampMicros => json!(timestamp(l, 1_000)
            .format("%Y-%m-%dT%H:%M:%S%.6fZ")
            .to_string()),
        Schema::Enum(e) => match l {
            Literal::Enum(i) => json!(e.symbols[*i]),
            o => panic!("{o:?}"),
        },
        Schema::Array(a) => match l {
            Literal::List(items) => {
                Json::Array(items.iter().map(|i| lit_json(i, &a.items, names)).collect())
            }
            Literal::Bytes(b) => Json::Array(
                b.iter()
                    .map(|x| lit_json(&Literal::Int(i128::from(*x)), &a.items, names))
                    .collect(),
            ),
            o => panic!("{o:?}"),
        },
        Schema::Map(m) => match l {
            Literal::Map(entries) => Json::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), lit_json(v, &m.types, names)))
                    .collect(),
            ),
            o => panic!("{o:?}"),
        },
        Schema::Record(r) => match l {
            Literal::Record(fields) => {
                let mut out = serde_json::Map::new();
                for f in &r.fields {
                    match fields.iter().find(|(n, _)| *n == f.name) {
                        Some((_, v)) => {
                            out.insert(f.name.clone(), lit_json(v, &f.schema, names));
                        }
                        None if matches!(f.schema, Schema::Null) => {
                            out.insert(f.name.clone(), Json::Null);
                        }
                        None => {}
                    }
                }
                Json::Object(out)
            }
            o => panic!("{o:?}"),
        },
        Schema::Union(u) => {
            let branches = u.variants();
            let non_null: Vec<&Schema> = branches
                .iter()
                .filter(|b| !matches!(b, Schema::Null))
                .collect();
            let two = branches.len() == 2 && non_null.len() == 1;
            let (branch, inner) = match l {
                Literal::Null => return Json::Null,
                // An enum's `()` variant: the null branch.
                Literal::Variant(_, v) if **v == Literal::Null => return Json::Null,
                // The index counts the union's own branches when the enum has a null variant
                // (`V(())`), and the branches after the null when the null is an `Option`'s:
                // the branch that fits the value decides.
                Literal::Variant(i, v) => match branches.get(*i) {
                    Some(b) if !matches!(b, Schema::Null) && fits(v, names.deref(b)) => (b, &**v),
                    _ => (non_null[*i], &**v),
                },
                other => (non_null[0], other),
            };
            let v = lit_json(inner, branch, names);
            if two {
                v
            } else {
                json!({ branch_name(branch): v })
            }
        }
        other => panic!("unsupported schema {other:?}"),
    }
}

/// Whether a literal can be a value of a (dereferenced) schema, for picking a union branch.
fn fits(l: &Literal, s: &Schema) -> bool {
    match (l, s) {
        (Literal::Null, Schema::Null) | (Literal::Bool(_), Schema::Boolean) => true,
        (Literal::Int(_), Schema::Int | Schema::Long) => true,
        (Literal::Float(_), Schema::Float | Schema::Double) => true,
        (Literal::String(_), Schema::String | Schema::Uuid(_)) => true,
        (Literal::Bytes(_), Schema::Bytes | Schema::Fixed(_)) => true,
        (Literal::Record(fields), Schema::Record(r)) => {
            fields.len() == r.fields.len()
                && fields.iter().zip(&r.fields).all(|((n, _), f)| *n == f.name)
        }
        (Literal::Enum(_), Schema::Enum(_)) => true,
        (Literal::List(_), Schema::Array(_)) | (Literal::Map(_), Schema::Map(_)) => true,
        (Literal::Variant(..), _) => false,
        (Literal::Null | Literal::Bool(_) | Literal::Int(_) | Literal::Float(_), _) => false,
        (Literal::String(_) | Literal::Bytes(_) | Literal::Record(_) | Literal::Enum(_), _) => {
            false
        }
        (Literal::List(_) | Literal::Map(_), _) => false,
        _ => true,
    }
}

/// Equality in the vector convention: floats compared as the README says.
pub fn json_eq(expected: &Json, actual: &Json) -> bool {
    match (expected, actual) {
        (Json::Number(a), Json::Number(b)) => {
            if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
                return x == y;
            }
            if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
                return x == y;
            }
            let (x, y) = (a.as_f64().unwrap(), b.as_f64().unwrap());
            // serde_json (without `float_roundtrip`) may parse the expected double 1 ULP off.
            let ulp = x.is_finite()
                && y.is_finite()
                && x.signum() == y.signum()
                && (x.to_bits() as i64 - y.to_bits() as i64).abs() <= 1;
            ulp || x.to_bits() == y.to_bits()
                || ((x as f32).to_bits() == (y as f32).to_bits()
                    && ((x as f32) as f64 == x || (y as f32) as f64 == y))
        }
        (Json::Array(a), Json::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| json_eq(x, y))
        }
        (Json::Object(a), Json::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(k, v)| b.get(k).is_some_and(|w| json_eq(v, w)))
        }
        (a, b) => a == b,
    }
}

/// An apache-avro `Value` from a `Literal` shaped by `schema` (for byte comparisons with
/// apache-avro's encoder).
pub fn lit_value(l: &Literal, s: &Schema, names: &Names<'_>) -> Value {
    let s = names.deref(s);
    match s {
        Schema::Null => Value::Null,
        Schema::Boolean => match l {
            Literal::Bool(b) => Value::Boolean(*b),
            o => panic!("{o:?}"),
        },
        Schema::Int => Value::Int(lit_int(l) as i32),
        Schema::Long => Value::Long(lit_int(l) as i64),
        Schema::Float => match l {
            Literal::Float(x) => Value::Float(*x as f32),
            o => panic!("{o:?}"),
        },
        Schema::Double => match l {
            Literal::Float(x) => Value::Double(*x),
            o => panic!("{o:?}"),
        },
        Schema::String => match l {
            Literal::String(x) => Value::String(x.clone()),
            o => panic!("{o:?}"),
        },
        Schema::Uuid(_) => match l {
            Literal::Uuid(x) => Value::Uuid(x.parse().unwrap()),
            o => panic!("{o:?}"),
        },
        Schema::Bytes => match l {
            Literal::Bytes(b) => Value::Bytes(b.clone()),
            o => panic!("{o:?}"),
        },
        Schema::Fixed(f) => match l {
            Literal::Bytes(b) => Value::Fixed(f.size, b.clone()),
            o => panic!("{o:?}"),
        },
        Schema::Decimal(d) => match l {
            Literal::Decimal { unscaled, scale } => {
                let u = unscaled * 10i128.pow(d.scale as u32 - scale);
                let bytes = u.to_be_bytes();
                let mut start = 0;
                while start < 15
                    && ((bytes[start] == 0 && bytes[start + 1] & 0x80 == 0)
                        || (bytes[start] == 0xff && bytes[start + 1] & 0x80 != 0))
                {
                    start += 1;
                }
                Value::Decimal(apache_avro::Decimal::from(bytes[start..].to_vec()))
            }
            o => panic!("{o:?}"),
        },
        Schema::Date => Value::Date(lit_int(l) as i32),
        Schema::TimestampMillis => {
            Value::TimestampMillis(timestamp(l, 1_000_000).timestamp_millis())
        }
        Schema::TimestampMicros => Value::TimestampMicros(timestamp(l, 1_000).timestamp_micros()),
        Schema::Enum(e) => match l {
            Literal::Enum(i) => Value::Enum(*i as u32, e.symbols[*i].clone()),
            o => panic!("{o:?}"),
        },
        Schema::Array(a) => match l {
            Literal::List(items) => Value::Array(
                items
                    .iter()
                    .map(|i| lit_value(i, &a.items, names))
                    .collect(),
            ),
            o => panic!("{o:?}"),
        },
        Schema::Map(m) => match l {
            Literal::Map(entries) => Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), lit_value(v, &m.types, names)))
                    .collect(),
            ),
            o => panic!("{o:?}"),
        },
        Schema::Record(r) => match l {
            Literal::Record(fields) => Value::Record(
                r.fields
                    .iter()
                    .map(|f| {
                        let v = &fields.iter().find(|(n, _)| *n == f.name).expect("field").1;
                        (f.name.clone(), lit_value(v, &f.schema, names))
                    })
                    .collect(),
            ),
            o => panic!("{o:?}"),
        },
        Schema::Union(u) => {
            let branches = u.variants();
            let non_null: Vec<usize> = (0..branches.len())
                .filter(|i| !matches!(branches[*i], Schema::Null))
                .collect();
            let (index, inner) = match l {
                Literal::Null => {
                    let i = branches
                        .iter()
                        .position(|b| matches!(b, Schema::Null))
                        .unwrap();
                    return Value::Union(i as u32, Box::new(Value::Null));
                }
                Literal::Variant(i, v) => (non_null[*i], &**v),
                other => (non_null[0], other),
            };
            Value::Union(
                index as u32,
                Box::new(lit_value(inner, &branches[index], names)),
            )
        }
        other => panic!("unsupported schema {other:?}"),
    }
}

/// `ours` and `theirs` are the same datum: equal bytes, or (when maps may be ordered
/// differently) equal length and equal values as apache-avro reads them.
pub fn assert_same_datum(ours: &[u8], theirs: &[u8], schema: &Schema, what: &str) {
    if ours == theirs {
        return;
    }
    assert_eq!(
        ours.len(),
        theirs.len(),
        "{what}: lengths differ\nours   {ours:02x?}\ntheirs {theirs:02x?}"
    );
    let a =
        apache_avro::from_avro_datum(schema, &mut &ours[..], None).expect("apache-avro reads ours");
    let b = apache_avro::from_avro_datum(schema, &mut &theirs[..], None)
        .expect("apache-avro reads theirs");
    assert_eq!(a, b, "{what}: values differ");
}

/// Writes one case folder `dir/name` in the vector format (`interop/README.md`): `value` as raw
/// Avro with its schema, and the value in the vector convention, for `interop/check_vectors.py`.
pub fn write_avro_case<T: kafka_model::Record>(dir: &std::path::Path, name: &str, value: &T) {
    let schema = T::schemas().avro().unwrap();
    let names = Names::of(schema.schema());
    let expected = lit_json(&value.to_literal(), schema.schema(), &names);
    let case_dir = dir.join(name);
    std::fs::create_dir_all(&case_dir).unwrap();
    std::fs::write(case_dir.join("schema.avsc"), schema.json()).unwrap();
    std::fs::write(case_dir.join("payload.bin"), value.to_avro().unwrap()).unwrap();
    let case = json!({"format": "avro", "wire": "raw", "schema": "schema.avsc", "value": expected,
                      "producer": "kafka-model avro codec"});
    std::fs::write(
        case_dir.join("case.json"),
        serde_json::to_vec_pretty(&case).unwrap(),
    )
    .unwrap();
}
