//! Defaults: a `Literal` written the way serde writes the field's value.

use super::*;

/// Where a default comes from, for errors.
pub(super) struct DefaultCx {
    pub(super) record: &'static str,
    pub(super) field: &'static str,
}

impl DefaultCx {
    pub(super) fn err(&self, reason: impl Into<String>) -> SchemaError {
        SchemaError::InvalidDefault {
            record: self.record,
            field: self.field,
            reason: reason.into(),
        }
    }

    pub(super) fn mismatch(&self, lit: &Literal, ty: &dyn std::fmt::Display) -> SchemaError {
        self.err(format!("{} does not fit `{ty}`", lit.kind()))
    }
}

pub(super) fn literal_node(
    lit: &Literal,
    ty: &Type,
    opts: FieldOptions,
    cx: &DefaultCx,
) -> Result<Node, SchemaError> {
    let node = match (ty, lit) {
        (Type::Option(_) | Type::Null, Literal::Null) => Node::Leaf(Value::Null),
        (Type::Option(inner), lit) => return literal_node(lit, inner, opts, cx),
        // Any JSON value: the literal's own shape.
        (Type::Any, Literal::Null) => Node::Leaf(Value::Null),
        (Type::Any, Literal::Bool(_)) => return literal_node(lit, &Type::Bool, opts, cx),
        (Type::Any, Literal::Int(i)) => {
            Node::Leaf(int_value(*i).ok_or_else(|| cx.err(format!("{i} does not fit JSON")))?)
        }
        (Type::Any, Literal::Float(_)) => return literal_node(lit, &Type::Double, opts, cx),
        (Type::Any, Literal::String(_)) => return literal_node(lit, &Type::String, opts, cx),
        (Type::Any, Literal::List(_)) => {
            return literal_node(lit, &Type::List(&Type::Any), opts, cx)
        }
        (Type::Any, Literal::Map(_)) => return literal_node(lit, &Type::Map(&Type::Any), opts, cx),
        (Type::Bool, Literal::Bool(b)) => Node::from(*b),
        (Type::Int(kind), Literal::Int(i)) => {
            let (min, max) = kind.range();
            if !(min..=max).contains(i) {
                return Err(cx.err(format!("{i} is out of the range of `{ty}`")));
            }
            Node::Leaf(int_value(*i).ok_or_else(|| cx.err(format!("{i} does not fit JSON")))?)
        }
        (Type::Float, Literal::Float(x)) => Node::Leaf(f32_value(*x)),
        (Type::Double, Literal::Float(x)) => Node::Leaf(f64_value(*x)),
        (Type::Float, Literal::Int(i)) => Node::Leaf(f32_value(*i as f64)),
        (Type::Double, Literal::Int(i)) => Node::Leaf(f64_value(*i as f64)),
        (Type::String, Literal::String(s)) => Node::str(s.as_str()),
        (Type::Bytes, Literal::Bytes(b)) => bytes_node(b, opts),
        (Type::Fixed(n), Literal::Bytes(b)) => {
            if b.len() != *n {
                return Err(cx.err(format!("{} bytes do not fit `{ty}`", b.len())));
            }
            bytes_node(b, opts)
        }
        (Type::Duration, Literal::Bytes(b)) => {
            let b: [u8; 12] = b
                .as_slice()
                .try_into()
                .map_err(|_| cx.err(format!("{} bytes for a duration of 12", b.len())))?;
            let d = crate::duration::AvroDuration::from_bytes(b);
            let mut o = Obj::new();
            o.push("months", i64::from(d.months));
            o.push("days", i64::from(d.days));
            o.push("millis", i64::from(d.millis));
            o.into()
        }
        (Type::Uuid, Literal::Uuid(s) | Literal::String(s)) => Node::str(s.as_str()),
        (Type::Timestamp, Literal::Timestamp { seconds, nanos }) => Node::str(
            format_timestamp(*seconds, *nanos)
                .ok_or_else(|| cx.err(format!("{seconds} s + {nanos} ns is not an instant")))?,
        ),
        (Type::Date, Literal::Date(days)) => Node::str(format_date(i64::from(*days))),
        (Type::Time, Literal::Time(n)) => Node::str(format_time(*n)),
        (Type::LocalTimestamp, Literal::Timestamp { seconds, nanos }) => Node::str(
            format_timestamp(*seconds, *nanos)
                .map(|t| t.trim_end_matches('Z').to_string())
                .ok_or_else(|| cx.err(format!("{seconds} s + {nanos} ns is not a date-time")))?,
        ),
        (Type::Decimal, Literal::Decimal { unscaled, scale }) => {
            Node::str(format_decimal(*unscaled, *scale))
        }
        (Type::List(items), Literal::List(values)) => Node::Array(
            values
                .iter()
                .map(|v| literal_node(v, items, opts, cx))
                .collect::<Result<_, _>>()?,
        ),
        (Type::Map(values) | Type::KeyedMap { value: values, .. }, Literal::Map(entries)) => {
            let mut o = Obj::new();
            for (k, v) in entries {
                o.push(k, literal_node(v, values, opts, cx)?);
            }
            o.into_node()
        }
        (Type::Named(f), lit) => match f().shape {
            Shape::Fixed(n) => return literal_node(lit, &Type::Fixed(n), opts, cx),
            Shape::Duration => return literal_node(lit, &Type::Duration, opts, cx),
            Shape::Primitive(t, _) => return literal_node(lit, &t, opts, cx),
            _ => return model_literal(f(), lit, cx),
        },
        _ => return Err(cx.mismatch(lit, ty)),
    };
    Ok(node)
}

/// A value of a named type.
pub(super) fn model_literal(
    m: &'static Model,
    lit: &Literal,
    cx: &DefaultCx,
) -> Result<Node, SchemaError> {
    match (m.shape, lit) {
        (Shape::Record(fields), Literal::Record(values)) if m.tuple => {
            // serde writes a tuple struct as the array of its values, in field order (a
            // `rest` list's items after the others).
            let mut items = Vec::new();
            for (f, (name, v)) in fields.iter().zip(values) {
                if f.name != *name {
                    return Err(cx.err(format!("`{}` has no field `{name}` here", m.rust_name)));
                }
                match literal_node(v, &f.ty, f.options, cx)? {
                    Node::Array(rest) if f.json_rest => items.extend(rest),
                    node => items.push(node),
                }
            }
            Ok(Node::Array(items))
        }
        (Shape::Record(fields), Literal::Record(values)) => {
            let mut o = Obj::new();
            for (name, v) in values {
                let f = fields
                    .iter()
                    .find(|f| f.name == *name)
                    .ok_or_else(|| cx.err(format!("`{}` has no field `{name}`", m.rust_name)))?;
                match literal_node(v, &f.ty, f.options, cx)? {
                    // serde writes a flattened map's entries as the object's own properties.
                    Node::Object(entries) if f.json_flatten => {
                        o.extend(Obj(entries));
                    }
                    node => o.push(name, node),
                }
            }
            Ok(o.into_node())
        }
        (Shape::Enum(symbols), Literal::Enum(i)) => symbols
            .get(*i)
            .map(|s| Node::str(s.name))
            .ok_or_else(|| cx.err(format!("`{}` has no symbol number {i}", m.rust_name))),
        (Shape::Union(u), Literal::Variant(i, payload)) => {
            let v = u
                .variants
                .get(*i)
                .ok_or_else(|| cx.err(format!("`{}` has no variant number {i}", m.rust_name)))?;
            variant_literal(u.tagging, v, payload, cx)
        }
        _ => Err(cx.mismatch(lit, &m.rust_name)),
    }
}

pub(super) fn variant_literal(
    tagging: Tagging,
    v: &'static Variant,
    payload: &Literal,
    cx: &DefaultCx,
) -> Result<Node, SchemaError> {
    let payload = if is_unit(&v.payload) {
        None
    } else {
        Some(match v.payload {
            Payload::Struct(pm) => model_literal(pm, payload, cx)?,
            Payload::Newtype(t) => literal_node(payload, &t, FieldOptions::default(), cx)?,
        })
    };
    Ok(match (tagging, payload) {
        (Tagging::External, None) => Node::str(v.name),
        (Tagging::External, Some(p)) => Obj::new().with(v.name, p).into_node(),
        // serde writes a unit variant of an untagged enum as `null`, the others bare.
        (Tagging::Untagged, None) => Node::Leaf(Value::Null),
        (Tagging::Untagged, Some(p)) => p,
        (Tagging::Internal { tag }, p) => {
            let mut o = Obj::new().with(tag, Node::str(v.name));
            match p {
                None => {}
                Some(Node::Object(entries)) => o.0.extend(entries),
                Some(_) => {
                    return Err(cx.err(format!(
                        "variant `{}` of an internally tagged enum must hold a record",
                        v.name
                    )))
                }
            }
            o.into_node()
        }
        (Tagging::Adjacent { tag, content }, p) => {
            let mut o = Obj::new().with(tag, Node::str(v.name));
            if let Some(p) = p {
                o.push(content, p);
            }
            o.into_node()
        }
    })
}

pub(super) fn int_value(i: i128) -> Option<Value> {
    if let Ok(v) = i64::try_from(i) {
        Some(Value::from(v))
    } else {
        u64::try_from(i).ok().map(Value::from)
    }
}

/// As serde_json writes an `f64`: non-finite values become `null`.
pub(super) fn f64_value(x: f64) -> Value {
    Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// As serde_json writes an `f32`: the shortest decimal that reads back as the same `f32`
/// (`0.1`, not `0.10000000149011612`).
pub(super) fn f32_value(x: f64) -> Value {
    let x = x as f32;
    if !x.is_finite() {
        return Value::Null;
    }
    // Rust's `Display` for f32 is the shortest round-trip decimal, as is serde_json's ryu.
    f64_value(x.to_string().parse::<f64>().unwrap_or(f64::from(x)))
}

pub(super) fn bytes_node(bytes: &[u8], opts: FieldOptions) -> Node {
    if opts.json_bytes_base64 {
        use ::base64::Engine as _;
        Node::str(::base64::engine::general_purpose::STANDARD.encode(bytes))
    } else {
        Node::Array(bytes.iter().map(|b| Node::from(i64::from(*b))).collect())
    }
}
