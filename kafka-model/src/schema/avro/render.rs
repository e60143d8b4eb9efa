//! Rendering a model: named types defined at first use, referenced afterwards; fields,
//! logical types, unions.

use super::*;

/// Where a type occurs, for error messages and fixed names.
pub(super) struct Site {
    /// The model holding the field or variant.
    pub(super) record: &'static Model,
    /// The field or variant name.
    pub(super) field: &'static str,
    /// The field's (variant's) whole type.
    pub(super) ty: TyDisplay,
}

#[derive(Clone, Copy)]
pub(super) enum TyDisplay {
    Type(Type),
    Name(&'static str),
}

impl Site {
    pub(super) fn unrepresentable(&self, reason: impl Into<String>) -> SchemaError {
        SchemaError::Unrepresentable {
            format: FORMAT,
            record: self.record.rust_name,
            field: self.field,
            ty: match self.ty {
                TyDisplay::Type(t) => t.to_string(),
                TyDisplay::Name(n) => n.to_string(),
            },
            reason: reason.into(),
        }
    }
}

/// What a full name is bound to.
pub(super) enum Def {
    Model(&'static Model),
    /// A fixed named after a field: its size and logical type.
    Fixed(usize, Logical),
}

/// The logical type of a fixed named after a field.
#[derive(Clone, Copy, PartialEq, Debug)]
pub(super) enum Logical {
    None,
    Duration,
    /// Precision and scale.
    Decimal(u32, u32),
}

impl Logical {
    pub(super) fn describe(self, size: usize) -> String {
        match self {
            Logical::None => format!("size {size}"),
            Logical::Duration => format!("size {size} with logical type duration"),
            Logical::Decimal(p, s) => format!("size {size} with logical type decimal({p}, {s})"),
        }
    }
}

pub(super) struct Renderer {
    pub(super) defined: HashMap<String, Def>,
}

/// The Avro type of a Rust integer.
pub(super) fn int_type(k: IntKind) -> &'static str {
    if k.is_avro_long() {
        "long"
    } else {
        "int"
    }
}

/// A field's `Option` is `["null", T]` unless it says `null_last` or its default is a value
/// (then `[T, "null"]`).
pub(super) fn option_null_first(f: &Field) -> bool {
    match (f.option_union, f.default) {
        (OptionUnion::NullLast, _) => false,
        (OptionUnion::NullFirstNoDefault, _) | (OptionUnion::Auto, None) => true,
        (OptionUnion::Auto, Some(d)) => matches!(d(), Literal::Null),
    }
}

pub(super) fn decimal_spec(opts: FieldOptions) -> Result<crate::model::DecimalSpec, String> {
    let spec = opts
        .decimal
        .ok_or_else(|| "add #[record(decimal(precision = P, scale = S))]".to_string())?;
    if spec.precision == 0 || spec.scale > spec.precision {
        return Err(format!(
            "decimal(precision = {}, scale = {}) is invalid: Avro needs precision >= 1 and scale <= precision",
            spec.precision, spec.scale
        ));
    }
    Ok(spec)
}

impl Renderer {
    /// A record or enum: its definition on first use, its full name afterwards.
    pub(super) fn named_model(
        &mut self,
        m: &'static Model,
        ctx: Option<&'static str>,
        site: &Site,
    ) -> Result<J, SchemaError> {
        let full = m.full_name();
        match self.defined.get(&full) {
            Some(Def::Model(seen)) if std::ptr::eq(*seen, m) => return Ok(J::s(reference(m.namespace, m.name, ctx))),
            Some(Def::Model(seen)) => {
                return Err(SchemaError::NameCollision { full_name: full, first: seen.rust_name, second: m.rust_name })
            }
            Some(Def::Fixed(..)) => {
                return Err(site.unrepresentable(format!(
                    "`{full}` is already the name of a fixed type (named after a `[u8; N]` or `AvroDuration` field); rename one of them"
                )))
            }
            None => {}
        }
        self.defined.insert(full, Def::Model(m));
        let own_ns = non_empty(m.namespace);
        let head = |ty: &str| {
            ObjBuilder::default()
                .put("type", J::s(ty))
                .put("name", J::s(m.name))
                .put_opt("namespace", namespace_attr(m.namespace, ctx))
                .put_opt("doc", m.doc.map(J::s))
                .put_opt("aliases", str_array(m.aliases))
        };
        match m.shape {
            Shape::Record(fields) => {
                let mut out = Vec::with_capacity(fields.len());
                for f in fields {
                    out.push(self.field(m, f, own_ns)?);
                }
                Ok(head("record").put("fields", J::Arr(out)).build())
            }
            Shape::Enum(symbols) => {
                let names: Vec<&str> = symbols.iter().map(|s| s.name).collect();
                let default = symbols.iter().find(|s| s.is_default).map(|s| J::s(s.name));
                Ok(head("enum")
                    .put("symbols", J::Arr(names.into_iter().map(J::s).collect()))
                    .put_opt("default", default)
                    .build())
            }
            Shape::Primitive(t, _) => {
                self.defined.remove(&m.full_name());
                self.ty(&t, site, ctx, FieldOptions::default())
            }
            Shape::Fixed(size) => {
                let size = i64::try_from(size)
                    .map_err(|_| site.unrepresentable("fixed size too large"))?;
                Ok(head("fixed").put("size", J::I64(size)).build())
            }
            Shape::Duration => Ok(head("fixed")
                .put("size", J::I64(12))
                .put("logicalType", J::s("duration"))
                .build()),
            Shape::Union(_) => {
                // Callers handle unions before getting here; keep a sensible answer anyway.
                self.defined.remove(&m.full_name());
                Ok(J::Arr(self.union_branches(m, ctx)?))
            }
        }
    }

    pub(super) fn field(
        &mut self,
        m: &'static Model,
        f: &'static Field,
        ctx: Option<&'static str>,
    ) -> Result<J, SchemaError> {
        let site = Site {
            record: m,
            field: f.name,
            ty: TyDisplay::Type(f.ty),
        };
        let invalid = |reason: String| SchemaError::InvalidDefault {
            record: m.rust_name,
            field: f.name,
            reason,
        };
        let literal = f.default.map(|d| d());
        let (ty, default) = match (&f.ty, literal) {
            (Type::Option(inner), lit) if f.option_union == OptionUnion::NullFirstNoDefault => {
                if matches!(lit, Some(ref l) if *l != Literal::Null) {
                    return Err(invalid(
                        "#[record(no_default)] renders [\"null\", T] without a default, but the field's default is a value; \
                         remove one of them (a value default needs [T, \"null\"]: #[record(null_last)])"
                            .into(),
                    ));
                }
                (self.option(inner, false, &site, ctx, f.options)?, None)
            }
            (Type::Option(inner), None) if f.option_union == OptionUnion::NullLast => {
                (self.option(inner, true, &site, ctx, f.options)?, None)
            }
            (Type::Option(_), Some(Literal::Null)) if f.option_union == OptionUnion::NullLast => {
                return Err(invalid(
                    "#[record(null_last)] makes the union [T, \"null\"], whose default must be a value of T, but the default is None; \
                     remove the default or null_last"
                        .into(),
                ))
            }
            (Type::Option(inner), None | Some(Literal::Null)) => (
                self.option(inner, false, &site, ctx, f.options)?,
                Some(J::Null),
            ),
            (Type::Option(inner), Some(lit)) => {
                // A value default: `[T, "null"]` (whether or not the field says null_last).
                let ty = self.option(inner, true, &site, ctx, f.options)?;
                (ty, Some(value(inner, &lit, f.options).map_err(invalid)?))
            }
            (t, None) => (self.ty(t, &site, ctx, f.options)?, None),
            (t, Some(lit)) => {
                let ty = self.ty(t, &site, ctx, f.options)?;
                (ty, Some(value(t, &lit, f.options).map_err(invalid)?))
            }
        };
        Ok(ObjBuilder::default()
            .put("name", J::s(f.name))
            .put_opt("doc", f.doc.map(J::s))
            .put("type", ty)
            .put_opt("default", default)
            .put_opt("aliases", str_array(f.aliases))
            .put_opt("confluent:tags", str_array(f.tags))
            .build())
    }

    /// `Option<inner>`: `["null", T]`, or `[T, "null"]` with `null_last`; an `Option` of a
    /// union is flattened into it.
    pub(super) fn option(
        &mut self,
        inner: &Type,
        null_last: bool,
        site: &Site,
        ctx: Option<&'static str>,
        opts: FieldOptions,
    ) -> Result<J, SchemaError> {
        let mut branches = match inner {
            Type::Option(_) => {
                return Err(site.unrepresentable(
                    "Option<Option<T>> has no Avro form (a union cannot contain a union, and both `None`s would be one null); \
                     use Option<T> or a dedicated enum",
                ))
            }
            Type::Null => {
                return Err(site.unrepresentable(
                    "Option<()> has no Avro form (a union cannot hold \"null\" twice); use ()",
                ))
            }
            Type::Named(f) if matches!(f().shape, Shape::Union(_)) => self.union_branches(f(), ctx)?,
            t => vec![self.ty(t, site, ctx, opts)?],
        };
        if branches.contains(&J::s("null")) {
            return Err(site.unrepresentable(
                "an Option of an enum with a `()` variant would hold \"null\" twice; drop the Option (the `()` variant is the null branch)",
            ));
        }
        if null_last {
            branches.push(J::s("null"));
        } else {
            branches.insert(0, J::s("null"));
        }
        Ok(J::Arr(branches))
    }

    pub(super) fn ty(
        &mut self,
        t: &Type,
        site: &Site,
        ctx: Option<&'static str>,
        opts: FieldOptions,
    ) -> Result<J, SchemaError> {
        let logical = |base: &str, lt: &str| {
            ObjBuilder::default()
                .put("type", J::s(base))
                .put("logicalType", J::s(lt))
                .build()
        };
        Ok(match t {
            Type::Null => J::s("null"),
            Type::Bool => J::s("boolean"),
            Type::Int(k) => J::s(int_type(*k)),
            Type::Float => J::s("float"),
            Type::Double => J::s("double"),
            Type::String => J::s("string"),
            Type::Bytes => J::s("bytes"),
            Type::Fixed(n) => self.fixed(*n, Logical::None, site, ctx)?,
            Type::Duration => self.fixed(12, Logical::Duration, site, ctx)?,
            Type::Any => {
                return Err(site.unrepresentable(
                    "Avro has no type for any JSON value (serde_json::Value); give the field a \
                     concrete type, or use JSON Schema or Protobuf (google.protobuf.Value) for this record",
                ))
            }
            Type::Uuid => logical("string", "uuid"),
            Type::Timestamp => match opts.timestamp {
                TimePrecision::Millis => logical("long", "timestamp-millis"),
                TimePrecision::Micros => logical("long", "timestamp-micros"),
            },
            Type::Date => logical("int", "date"),
            Type::Time => match opts.timestamp {
                TimePrecision::Millis => logical("int", "time-millis"),
                TimePrecision::Micros => logical("long", "time-micros"),
            },
            Type::LocalTimestamp => match opts.timestamp {
                TimePrecision::Millis => logical("long", "local-timestamp-millis"),
                TimePrecision::Micros => logical("long", "local-timestamp-micros"),
            },
            Type::Decimal => {
                let spec = decimal_spec(opts).map_err(|r| site.unrepresentable(r))?;
                if let Some(n) = spec.fixed {
                    return self.fixed(n, Logical::Decimal(spec.precision, spec.scale), site, ctx);
                }
                ObjBuilder::default()
                    .put("type", J::s("bytes"))
                    .put("logicalType", J::s("decimal"))
                    .put("precision", J::I64(i64::from(spec.precision)))
                    .put("scale", J::I64(i64::from(spec.scale)))
                    .build()
            }
            Type::Option(inner) => self.option(inner, false, site, ctx, opts)?,
            Type::List(item) => {
                let items = self.ty(item, site, ctx, opts)?;
                ObjBuilder::default()
                    .put("type", J::s("array"))
                    .put("items", items)
                    .build()
            }
            // Avro map keys are strings: an integer or bool key is its decimal text, as in JSON.
            Type::Map(v) | Type::KeyedMap { value: v, .. } => {
                let values = self.ty(v, site, ctx, opts)?;
                ObjBuilder::default()
                    .put("type", J::s("map"))
                    .put("values", values)
                    .build()
            }
            Type::Named(f) => {
                let m = f();
                match m.shape {
                    Shape::Union(_) => J::Arr(self.union_branches(m, ctx)?),
                    Shape::Record(_)
                    | Shape::Enum(_)
                    | Shape::Fixed(_)
                    | Shape::Duration
                    | Shape::Primitive(..) => self.named_model(m, ctx, site)?,
                }
            }
        })
    }

    /// The full name, short name and namespace of the fixed type at `site`.
    pub(super) fn fixed_name(site: &Site) -> (String, String, Option<&'static str>) {
        let name = pascal_case(site.field);
        let ns = non_empty(site.record.namespace);
        let full = match ns {
            Some(n) => format!("{n}.{name}"),
            None => name.clone(),
        };
        (full, name, ns)
    }

    /// The fixed type named after the field at `site`, of `size` bytes, with a logical type
    /// (`duration`) or none: defined at its first use, referenced after.
    pub(super) fn fixed(
        &mut self,
        size: usize,
        logical: Logical,
        site: &Site,
        ctx: Option<&'static str>,
    ) -> Result<J, SchemaError> {
        let (full, name, ns) = Self::fixed_name(site);
        match self.defined.get(&full) {
            Some(Def::Fixed(n, l)) if *n == size && *l == logical => {
                return Ok(J::s(reference(ns, &name, ctx)))
            }
            Some(Def::Fixed(n, l)) => {
                return Err(site.unrepresentable(format!(
                    "the fixed type `{full}` (named after the field) is already defined with {}, not {}; \
                     rename the field or use a named fixed type (#[record(fixed)])",
                    l.describe(*n),
                    logical.describe(size),
                )));
            }
            Some(Def::Model(m)) => {
                return Err(site.unrepresentable(format!(
                    "the fixed type for this field would be named `{full}`, which is already `{}`; rename the field",
                    m.rust_name
                )))
            }
            None => {}
        }
        self.defined.insert(full, Def::Fixed(size, logical));
        let size = i64::try_from(size).map_err(|_| site.unrepresentable("fixed size too large"))?;
        let b = ObjBuilder::default()
            .put("type", J::s("fixed"))
            .put("name", J::s(name))
            .put_opt("namespace", namespace_attr(ns, ctx))
            .put("size", J::I64(size));
        Ok(match logical {
            Logical::None => b,
            Logical::Duration => b.put("logicalType", J::s("duration")),
            Logical::Decimal(p, s) => b
                .put("logicalType", J::s("decimal"))
                .put("precision", J::I64(i64::from(p)))
                .put("scale", J::I64(i64::from(s))),
        }
        .build())
    }

    /// The branch of an Avro union that a variant's value takes, for duplicate detection.
    pub(super) fn branch_key(site: &Site, t: &Type) -> String {
        match t {
            Type::Null => "null".into(),
            Type::Bool => "boolean".into(),
            Type::Int(k) => int_type(*k).into(),
            Type::Float => "float".into(),
            Type::Double => "double".into(),
            Type::String | Type::Uuid => "string".into(),
            Type::Bytes | Type::Decimal => "bytes".into(),
            Type::Timestamp | Type::LocalTimestamp => "long".into(),
            // A variant carries no field options: a time there is time-micros, a long.
            Type::Time => "long".into(),
            Type::Date => "int".into(),
            Type::Fixed(_) | Type::Duration => Self::fixed_name(site).0,
            Type::List(_) => "array".into(),
            Type::Map(_) | Type::KeyedMap { .. } => "map".into(),
            Type::Option(_) => "union".into(),
            Type::Named(f) => f().full_name(),
            // Never rendered (`ty` refuses it first).
            Type::Any => "any".into(),
        }
    }

    /// The branches of an enum with data, in declaration order.
    pub(super) fn union_branches(
        &mut self,
        u: &'static Model,
        ctx: Option<&'static str>,
    ) -> Result<Vec<J>, SchemaError> {
        let Shape::Union(union) = u.shape else {
            let site = Site {
                record: u,
                field: u.name,
                ty: TyDisplay::Name(u.rust_name),
            };
            return Err(site.unrepresentable("not an enum with data"));
        };
        let mut seen: Vec<(String, &'static Variant)> = Vec::new();
        let mut out = Vec::with_capacity(union.variants.len());
        for v in union.variants {
            let site = Site {
                record: u,
                field: v.name,
                ty: match v.payload {
                    Payload::Newtype(t) => TyDisplay::Type(t),
                    Payload::Struct(m) => TyDisplay::Name(m.rust_name),
                },
            };
            let key = match v.payload {
                Payload::Newtype(Type::Option(_)) => {
                    return Err(site.unrepresentable(
                        "an Avro union cannot contain a union; a variant cannot hold an Option (add a unit variant instead)",
                    ))
                }
                Payload::Newtype(Type::Named(f)) if matches!(f().shape, Shape::Union(_)) => {
                    return Err(site.unrepresentable(format!(
                        "an Avro union cannot contain a union; `{}` is an enum with data (wrap it in a struct variant)",
                        f().rust_name
                    )))
                }
                Payload::Newtype(t) => Self::branch_key(&site, &t),
                Payload::Struct(m) => m.full_name(),
            };
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                return Err(site.unrepresentable(format!(
                    "variants `{}` and `{}` both map to the Avro type `{key}`, and an Avro union holds each type once; \
                     wrap one of them in a struct variant",
                    first.name, v.name
                )));
            }
            seen.push((key, v));
            out.push(match v.payload {
                Payload::Newtype(t) => self.ty(&t, &site, ctx, FieldOptions::default())?,
                Payload::Struct(m) => self.named_model(m, ctx, &site)?,
            });
        }
        Ok(out)
    }
}
