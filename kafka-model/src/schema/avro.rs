//! Avro schema rendering, Parsing Canonical Form and CRC-64-AVRO (Rabin) fingerprints.
//!
//! [`render`] turns a [`Model`] into Avro schema JSON following the crate's type mapping:
//! named types (records, enums, fixed) are defined in full at their first occurrence
//! (depth-first, fields in order) and referenced by full name afterwards; `Option<T>` is
//! `["null", T]` with `"default": null` (or `[T, "null"]` when the field's default is a value);
//! enums with data are unions. The text is then parsed with [`apache_avro::Schema::parse_str`],
//! so a schema that renders is one `apache_avro` accepts.
//!
//! [`canonical_form`] and [`rabin_fingerprint`] implement the specification's
//! "Parsing Canonical Form for Schemas" and "Schema Fingerprints" (CRC-64-AVRO) on any schema
//! JSON, e.g. one fetched from a registry.
//!
//! ```
//! use kafka_model::schema::avro::{canonical_form, rabin_fingerprint};
//!
//! let schema: serde_json::Value =
//!     serde_json::from_str(r#"{"type": "long", "logicalType": "timestamp-millis"}"#).unwrap();
//! assert_eq!(canonical_form(&schema), r#""long""#);
//! assert_eq!(rabin_fingerprint(br#""int""#), 8247732601305521295);
//! ```
//!
//! One portability note: a type *without* namespace that is referenced a second time from
//! inside a namespaced type is written `".Name"` (leading dot = null namespace). Apache Avro
//! (Java) and `apache_avro` (Rust) resolve that form; fastavro does not. Give such types a
//! namespace when Python consumers are involved.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

use crate::model::{
    Field, FieldOptions, IntKind, Literal, Model, OptionUnion, Payload, Shape, TimePrecision, Type,
    Variant,
};
use crate::SchemaError;

const FORMAT: &str = "Avro";

/// A rendered Avro schema: its JSON text, the parsed [`apache_avro::Schema`], its Parsing
/// Canonical Form and CRC-64-AVRO fingerprint.
#[derive(Debug)]
pub struct AvroSchema {
    json: String,
    schema: apache_avro::Schema,
    canonical: String,
    fingerprint: u64,
}

impl AvroSchema {
    /// The schema as pretty-printed JSON (2-space indent), keys in a fixed order
    /// (`type`, `name`, `namespace`, `doc`, `aliases`, `fields` / `symbols` / `size`, ...).
    pub fn json(&self) -> &str {
        &self.json
    }

    /// The schema as parsed by `apache_avro`.
    pub fn schema(&self) -> &apache_avro::Schema {
        &self.schema
    }

    /// The schema's Parsing Canonical Form, as defined by the Avro specification.
    pub fn canonical_form(&self) -> &str {
        &self.canonical
    }

    /// The CRC-64-AVRO (Rabin) fingerprint of [`canonical_form`](Self::canonical_form).
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// The fingerprint as 8 little-endian bytes, as Avro single-object encoding writes it
    /// after the `C3 01` marker.
    pub fn fingerprint_bytes(&self) -> [u8; 8] {
        self.fingerprint.to_le_bytes()
    }
}

/// Renders the Avro schema of a model.
///
/// A record or unit-only enum renders as that named type; an enum with data renders as a
/// union (JSON array). Errors: two types sharing a full name ([`SchemaError::NameCollision`]),
/// a type with no Avro form ([`SchemaError::Unrepresentable`]), a default that does not fit
/// ([`SchemaError::InvalidDefault`]), or a schema `apache_avro` refuses
/// ([`SchemaError::Rejected`]).
pub fn render(model: &'static Model) -> Result<AvroSchema, SchemaError> {
    // Collisions between models are found up front, whatever the rendering order.
    crate::model::named_types(model)?;
    let mut renderer = Renderer {
        defined: HashMap::new(),
    };
    let root = match model.shape {
        Shape::Union(_) => J::Arr(renderer.union_branches(model, None)?),
        Shape::Primitive(t) => {
            let site = Site {
                record: model,
                field: model.name,
                ty: TyDisplay::Type(t),
            };
            renderer.ty(&t, &site, None, FieldOptions::default())?
        }
        Shape::Record(_) | Shape::Enum(_) | Shape::Fixed(_) | Shape::Duration => {
            let site = Site {
                record: model,
                field: model.name,
                ty: TyDisplay::Name(model.rust_name),
            };
            renderer.named_model(model, None, &site)?
        }
    };
    let rejected = |message: String| SchemaError::Rejected {
        format: FORMAT,
        record: model.rust_name,
        message,
    };
    let json = serde_json::to_string_pretty(&root).map_err(|e| rejected(e.to_string()))?;
    let schema = apache_avro::Schema::parse_str(&json).map_err(|e| rejected(e.to_string()))?;
    let value = serde_json::to_value(&root).map_err(|e| rejected(e.to_string()))?;
    let canonical = canonical_form(&value);
    let fingerprint = rabin_fingerprint(canonical.as_bytes());
    Ok(AvroSchema {
        json,
        schema,
        canonical,
        fingerprint,
    })
}

// ---------------------------------------------------------------------------------------------
// Ordered JSON tree (serde_json's `Value` sorts keys without its `preserve_order` feature).

/// A JSON value whose objects keep their insertion order.
#[derive(Debug, Clone, PartialEq)]
enum J {
    Null,
    Bool(bool),
    I64(i64),
    F32(f32),
    F64(f64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    fn s(s: impl Into<String>) -> J {
        J::Str(s.into())
    }
}

impl Serialize for J {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            J::Null => s.serialize_unit(),
            J::Bool(b) => s.serialize_bool(*b),
            J::I64(i) => s.serialize_i64(*i),
            J::F32(x) => s.serialize_f32(*x),
            J::F64(x) => s.serialize_f64(*x),
            J::Str(x) => s.serialize_str(x),
            J::Arr(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            J::Obj(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// Builds an ordered object.
#[derive(Default)]
struct ObjBuilder(Vec<(String, J)>);

impl ObjBuilder {
    fn put(mut self, key: &str, value: J) -> Self {
        self.0.push((key.to_string(), value));
        self
    }

    fn put_opt(self, key: &str, value: Option<J>) -> Self {
        match value {
            Some(v) => self.put(key, v),
            None => self,
        }
    }

    fn build(self) -> J {
        J::Obj(self.0)
    }
}

fn str_array(items: &[&str]) -> Option<J> {
    (!items.is_empty()).then(|| J::Arr(items.iter().map(|s| J::s(*s)).collect()))
}

// ---------------------------------------------------------------------------------------------
// Rendering.

/// Where a type occurs, for error messages and fixed names.
struct Site {
    /// The model holding the field or variant.
    record: &'static Model,
    /// The field or variant name.
    field: &'static str,
    /// The field's (variant's) whole type.
    ty: TyDisplay,
}

#[derive(Clone, Copy)]
enum TyDisplay {
    Type(Type),
    Name(&'static str),
}

impl Site {
    fn unrepresentable(&self, reason: impl Into<String>) -> SchemaError {
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
enum Def {
    Model(&'static Model),
    /// A fixed named after a field: its size and logical type.
    Fixed(usize, Logical),
}

/// The logical type of a fixed named after a field.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Logical {
    None,
    Duration,
    /// Precision and scale.
    Decimal(u32, u32),
}

impl Logical {
    fn describe(self, size: usize) -> String {
        match self {
            Logical::None => format!("size {size}"),
            Logical::Duration => format!("size {size} with logical type duration"),
            Logical::Decimal(p, s) => format!("size {size} with logical type decimal({p}, {s})"),
        }
    }
}

struct Renderer {
    defined: HashMap<String, Def>,
}

fn non_empty(ns: Option<&'static str>) -> Option<&'static str> {
    ns.filter(|n| !n.is_empty())
}

/// The `namespace` attribute of a definition: its own namespace, `""` when it has none but
/// would otherwise inherit the enclosing one, nothing when there is nothing to inherit.
fn namespace_attr(ns: Option<&'static str>, ctx: Option<&'static str>) -> Option<J> {
    match (non_empty(ns), ctx) {
        (Some(n), _) => Some(J::s(n)),
        (None, Some(_)) => Some(J::s("")),
        (None, None) => None,
    }
}

/// A reference to a defined name from inside namespace `ctx`.
fn reference(ns: Option<&'static str>, name: &str, ctx: Option<&'static str>) -> String {
    match (non_empty(ns), ctx) {
        (Some(n), _) => format!("{n}.{name}"),
        // A bare name would resolve to `ctx.name`; a leading dot means the null namespace.
        (None, Some(_)) => format!(".{name}"),
        (None, None) => name.to_string(),
    }
}

pub(crate) fn pascal_case(s: &str) -> String {
    s.split(['_', '-'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut chars = p.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

/// The Avro type of a Rust integer.
fn int_type(k: IntKind) -> &'static str {
    if k.is_avro_long() {
        "long"
    } else {
        "int"
    }
}

/// A field's `Option` is `["null", T]` unless it says `null_last` or its default is a value
/// (then `[T, "null"]`).
fn option_null_first(f: &Field) -> bool {
    match (f.option_union, f.default) {
        (OptionUnion::NullLast, _) => false,
        (OptionUnion::NullFirstNoDefault, _) | (OptionUnion::Auto, None) => true,
        (OptionUnion::Auto, Some(d)) => matches!(d(), Literal::Null),
    }
}

fn decimal_spec(opts: FieldOptions) -> Result<crate::model::DecimalSpec, String> {
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
    fn named_model(
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
            Shape::Primitive(t) => {
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

    fn field(
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
    fn option(
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

    fn ty(
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
                    | Shape::Primitive(_) => self.named_model(m, ctx, site)?,
                }
            }
        })
    }

    /// The full name, short name and namespace of the fixed type at `site`.
    fn fixed_name(site: &Site) -> (String, String, Option<&'static str>) {
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
    fn fixed(
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
    fn branch_key(site: &Site, t: &Type) -> String {
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
        }
    }

    /// The branches of an enum with data, in declaration order.
    fn union_branches(
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

// ---------------------------------------------------------------------------------------------
// Defaults.

/// Bytes as the specification's JSON form: one code point U+0000..U+00FF per byte.
fn latin1(bytes: &[u8]) -> J {
    J::Str(bytes.iter().map(|&b| char::from(b)).collect())
}

/// The shortest big-endian two's-complement form of `v` (at least one byte).
fn twos_complement(v: i128) -> Vec<u8> {
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

fn decimal_bytes(unscaled: i128, scale: u32, opts: FieldOptions) -> Result<J, String> {
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

fn timestamp(seconds: i64, nanos: u32, precision: TimePrecision) -> Result<J, String> {
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
fn value(t: &Type, lit: &Literal, opts: FieldOptions) -> Result<J, String> {
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
fn field_value(f: &Field, lit: &Literal) -> Result<J, String> {
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

fn model_value(m: &'static Model, lit: &Literal) -> Result<J, String> {
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
        (Shape::Primitive(t), lit) => value(&t, lit, FieldOptions::default()),
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

// ---------------------------------------------------------------------------------------------
// Parsing Canonical Form.

const PRIMITIVES: [&str; 8] = [
    "null", "boolean", "int", "long", "float", "double", "bytes", "string",
];

/// The Parsing Canonical Form of any Avro schema JSON, as the specification defines it:
/// primitives in their simple form, full names everywhere (no `namespace`), only `name`,
/// `type`, `fields`, `symbols`, `items`, `values` and `size` kept (so `logicalType`,
/// `precision`, `scale`, `doc`, `aliases`, `default`, `order` and custom attributes go), in
/// that order, no whitespace. A named type defined a second time is written as its full name.
///
/// Differs from `apache_avro` 0.22's `Schema::canonical_form`, which keeps `precision`/`scale`
/// and writes a logical type on a primitive as `{"type":"long"}` instead of `"long"`.
pub fn canonical_form(schema_json: &Value) -> String {
    let mut out = String::new();
    let mut defined = HashSet::new();
    pcf(schema_json, None, &mut defined, &mut out);
    out
}

fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The full name of a reference or definition `name` inside namespace `ns`.
fn full_name(name: &str, ns: Option<&str>) -> String {
    if let Some(rest) = name.strip_prefix('.') {
        rest.to_string()
    } else if name.contains('.') {
        name.to_string()
    } else {
        match ns {
            Some(n) if !n.is_empty() => format!("{n}.{name}"),
            _ => name.to_string(),
        }
    }
}

fn namespace_of(full: &str) -> Option<String> {
    full.rfind('.')
        .map(|i| full[..i].to_string())
        .filter(|n| !n.is_empty())
}

fn pcf(v: &Value, ns: Option<&str>, defined: &mut HashSet<String>, out: &mut String) {
    match v {
        Value::String(s) => {
            if PRIMITIVES.contains(&s.as_str()) {
                push_json_str(out, s);
            } else {
                push_json_str(out, &full_name(s, ns));
            }
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                pcf(item, ns, defined, out);
            }
            out.push(']');
        }
        Value::Object(map) => match map.get("type") {
            Some(Value::String(t)) => match t.as_str() {
                t if PRIMITIVES.contains(&t) => push_json_str(out, t),
                "record" | "error" | "enum" | "fixed" => pcf_named(map, t, ns, defined, out),
                "array" => {
                    out.push_str("{\"type\":\"array\",\"items\":");
                    pcf(map.get("items").unwrap_or(&Value::Null), ns, defined, out);
                    out.push('}');
                }
                "map" => {
                    out.push_str("{\"type\":\"map\",\"values\":");
                    pcf(map.get("values").unwrap_or(&Value::Null), ns, defined, out);
                    out.push('}');
                }
                // `{"type": "com.acme.Name"}`: a reference in object form.
                other => push_json_str(out, &full_name(other, ns)),
            },
            // `{"type": {...}}` / `{"type": [...]}`: a wrapped schema.
            Some(inner @ (Value::Object(_) | Value::Array(_))) => pcf(inner, ns, defined, out),
            _ => out.push_str(&v.to_string()),
        },
        // Not a schema; keep it visible rather than hide the problem.
        other => out.push_str(&other.to_string()),
    }
}

fn pcf_named(
    map: &serde_json::Map<String, Value>,
    ty: &str,
    ns: Option<&str>,
    defined: &mut HashSet<String>,
    out: &mut String,
) {
    let name = map.get("name").and_then(Value::as_str).unwrap_or("");
    let own_ns = match map.get("namespace") {
        Some(Value::String(n)) => Some(n.as_str()),
        Some(Value::Null) => Some(""),
        _ => ns,
    };
    let full = full_name(name, own_ns);
    if !defined.insert(full.clone()) {
        push_json_str(out, &full);
        return;
    }
    out.push_str("{\"name\":");
    push_json_str(out, &full);
    out.push_str(",\"type\":");
    push_json_str(out, ty);
    match ty {
        "enum" => {
            out.push_str(",\"symbols\":[");
            let symbols = map
                .get("symbols")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            for (i, s) in symbols.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                match s.as_str() {
                    Some(s) => push_json_str(out, s),
                    None => out.push_str(&s.to_string()),
                }
            }
            out.push(']');
        }
        "fixed" => {
            out.push_str(",\"size\":");
            match map.get("size") {
                Some(Value::Number(n)) => out.push_str(&n.to_string()),
                // [INTEGERS]: no quotes, no leading zeros.
                Some(Value::String(s)) => match s.trim().parse::<u64>() {
                    Ok(n) => out.push_str(&n.to_string()),
                    Err(_) => push_json_str(out, s),
                },
                Some(other) => out.push_str(&other.to_string()),
                None => out.push_str("null"),
            }
        }
        _ => {
            let child_ns = namespace_of(&full);
            out.push_str(",\"fields\":[");
            let fields = map
                .get("fields")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            for (i, f) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str("{\"name\":");
                match f.get("name") {
                    Some(Value::String(n)) => push_json_str(out, n),
                    Some(other) => out.push_str(&other.to_string()),
                    None => out.push_str("null"),
                }
                out.push_str(",\"type\":");
                pcf(
                    f.get("type").unwrap_or(&Value::Null),
                    child_ns.as_deref(),
                    defined,
                    out,
                );
                out.push('}');
            }
            out.push(']');
        }
    }
    out.push('}');
}

// ---------------------------------------------------------------------------------------------
// CRC-64-AVRO.

const EMPTY: u64 = 0xc15d_213a_a4d7_a795;

static FP_TABLE: [u64; 256] = {
    let mut table = [0u64; 256];
    let mut i = 0;
    while i < 256 {
        let mut fp = i as u64;
        let mut j = 0;
        while j < 8 {
            fp = (fp >> 1) ^ (EMPTY & 0u64.wrapping_sub(fp & 1));
            j += 1;
        }
        table[i] = fp;
        i += 1;
    }
    table
};

/// The CRC-64-AVRO (Rabin) fingerprint of `bytes`, as in the specification's
/// "Schema Fingerprints" (`fingerprint64`). The specification's `long` is this value's bit
/// pattern: `"int"` gives `8247732601305521295`, `"null"` gives `7195948357588979594`.
pub fn rabin_fingerprint(bytes: &[u8]) -> u64 {
    bytes.iter().fold(EMPTY, |fp, &b| {
        (fp >> 8) ^ FP_TABLE[((fp ^ u64::from(b)) & 0xff) as usize]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DecimalSpec, IntEncoding, Symbol, Tagging, Union};
    use apache_avro::rabin::Rabin;

    const OPTS: FieldOptions = FieldOptions {
        int_encoding: IntEncoding::Varint,
        timestamp: TimePrecision::Micros,
        decimal: None,
        json_bytes_base64: false,
        proto_oneof: false,
    };
    const MILLIS: FieldOptions = FieldOptions {
        timestamp: TimePrecision::Millis,
        ..OPTS
    };
    const DEC_12_2: FieldOptions = FieldOptions {
        decimal: Some(DecimalSpec {
            precision: 12,
            scale: 2,
            fixed: None,
        }),
        ..OPTS
    };

    const fn field(name: &'static str, ty: Type) -> Field {
        Field {
            ident: name,
            name,
            doc: None,
            aliases: &[],
            ty,
            options: OPTS,
            tag: 1,
            default: None,
            json_optional: false,
            option_union: crate::model::OptionUnion::Auto,
            tags: &[],
            validators: &[],
            coerce: false,
        }
    }

    const fn record(
        name: &'static str,
        namespace: Option<&'static str>,
        fields: &'static [Field],
    ) -> Model {
        Model {
            rust_name: name,
            name,
            namespace,
            doc: None,
            aliases: &[],
            serializer: "json",
            deny_unknown_fields: false,
            open_content: false,
            shape: Shape::Record(fields),
            parent: None,
        }
    }

    const fn symbol(name: &'static str, is_default: bool) -> Symbol {
        Symbol {
            ident: name,
            name,
            doc: None,
            tag: 1,
            is_default,
        }
    }

    const fn newtype(name: &'static str, t: Type) -> Variant {
        Variant {
            ident: name,
            name,
            doc: None,
            tag: 1,
            payload: Payload::Newtype(t),
        }
    }

    fn json_of(s: &AvroSchema) -> Value {
        serde_json::from_str(s.json()).expect("rendered JSON parses")
    }

    fn unrepresentable_reason(e: SchemaError) -> String {
        match e {
            SchemaError::Unrepresentable { reason, .. } => reason,
            other => panic!("expected Unrepresentable, got {other:?}"),
        }
    }

    // --- primitives -------------------------------------------------------------------------

    static PRIMS: Model = record(
        "Prims",
        Some("com.acme"),
        &[
            field("b", Type::Bool),
            field("i8", Type::Int(IntKind::I8)),
            field("i16", Type::Int(IntKind::I16)),
            field("i32", Type::Int(IntKind::I32)),
            field("i64", Type::Int(IntKind::I64)),
            field("u8", Type::Int(IntKind::U8)),
            field("u16", Type::Int(IntKind::U16)),
            field("u32", Type::Int(IntKind::U32)),
            field("u64", Type::Int(IntKind::U64)),
            field("f", Type::Float),
            field("d", Type::Double),
            field("s", Type::String),
            field("by", Type::Bytes),
            field("list", Type::List(&Type::String)),
            field("map", Type::Map(&Type::Int(IntKind::I64))),
        ],
    );

    #[test]
    fn primitives_and_int_kinds() {
        let s = render(&PRIMS).unwrap();
        let v = json_of(&s);
        let types: Vec<Value> = v["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["type"].clone())
            .collect();
        let expected: Vec<Value> = serde_json::from_str(
            r#"["boolean","int","int","int","long","int","int","long","long","float","double","string","bytes",
                {"type":"array","items":"string"},{"type":"map","values":"long"}]"#,
        )
        .unwrap();
        assert_eq!(types, expected);
        assert_eq!(
            s.canonical_form(),
            r#"{"name":"com.acme.Prims","type":"record","fields":[{"name":"b","type":"boolean"},{"name":"i8","type":"int"},{"name":"i16","type":"int"},{"name":"i32","type":"int"},{"name":"i64","type":"long"},{"name":"u8","type":"int"},{"name":"u16","type":"int"},{"name":"u32","type":"long"},{"name":"u64","type":"long"},{"name":"f","type":"float"},{"name":"d","type":"double"},{"name":"s","type":"string"},{"name":"by","type":"bytes"},{"name":"list","type":{"type":"array","items":"string"}},{"name":"map","type":{"type":"map","values":"long"}}]}"#
        );
        assert_eq!(s.canonical_form(), s.schema().canonical_form());
        assert_eq!(
            s.fingerprint_bytes().to_vec(),
            s.schema().fingerprint::<Rabin>().bytes
        );
    }

    // --- golden text ------------------------------------------------------------------------

    fn default_qty() -> Literal {
        Literal::Int(1)
    }

    static ORDER: Model = Model {
        doc: Some("A customer order."),
        aliases: &["com.acme.OldOrder"],
        ..record(
            "Order",
            Some("com.acme.orders"),
            &[
                Field {
                    doc: Some("Order id."),
                    aliases: &["order_id"],
                    tags: &["PII"],
                    ..field("id", Type::String)
                },
                Field {
                    default: Some(default_qty),
                    ..field("qty", Type::Int(IntKind::I32))
                },
                field("note", Type::Option(&Type::String)),
            ],
        )
    };

    #[test]
    fn golden_record_text() {
        let s = render(&ORDER).unwrap();
        let expected = r#"{
  "type": "record",
  "name": "Order",
  "namespace": "com.acme.orders",
  "doc": "A customer order.",
  "aliases": [
    "com.acme.OldOrder"
  ],
  "fields": [
    {
      "name": "id",
      "doc": "Order id.",
      "type": "string",
      "aliases": [
        "order_id"
      ],
      "confluent:tags": [
        "PII"
      ]
    },
    {
      "name": "qty",
      "type": "int",
      "default": 1
    },
    {
      "name": "note",
      "type": [
        "null",
        "string"
      ],
      "default": null
    }
  ]
}"#;
        assert_eq!(s.json(), expected);
        assert_eq!(
            s.canonical_form(),
            r#"{"name":"com.acme.orders.Order","type":"record","fields":[{"name":"id","type":"string"},{"name":"qty","type":"int"},{"name":"note","type":["null","string"]}]}"#
        );
        assert_eq!(
            s.fingerprint(),
            rabin_fingerprint(s.canonical_form().as_bytes())
        );
        assert_eq!(s.canonical_form(), s.schema().canonical_form());
        assert_eq!(
            s.fingerprint_bytes().to_vec(),
            s.schema().fingerprint::<Rabin>().bytes
        );
    }

    // --- nested records, references, recursion ----------------------------------------------

    fn address() -> &'static Model {
        &ADDRESS
    }
    static ADDRESS: Model = record(
        "Address",
        Some("com.acme"),
        &[field("street", Type::String)],
    );

    static CUSTOMER: Model = record(
        "Customer",
        Some("com.acme"),
        &[
            field("billing", Type::Named(address)),
            field("shipping", Type::Option(&Type::Named(address))),
            field("others", Type::List(&Type::Named(address))),
        ],
    );

    #[test]
    fn nested_record_defined_once_then_referenced_by_full_name() {
        let s = render(&CUSTOMER).unwrap();
        let v = json_of(&s);
        assert_eq!(v["fields"][0]["type"]["type"], "record");
        assert_eq!(v["fields"][0]["type"]["name"], "Address");
        assert_eq!(v["fields"][0]["type"]["namespace"], "com.acme");
        assert_eq!(
            v["fields"][1]["type"],
            serde_json::json!(["null", "com.acme.Address"])
        );
        assert_eq!(
            v["fields"][2]["type"],
            serde_json::json!({"type": "array", "items": "com.acme.Address"})
        );
        assert_eq!(s.canonical_form(), s.schema().canonical_form());
    }

    fn tree() -> &'static Model {
        &TREE
    }
    static TREE: Model = record(
        "Tree",
        Some("com.acme"),
        &[
            field("label", Type::String),
            field("next", Type::Option(&Type::Named(tree))),
            field("children", Type::List(&Type::Named(tree))),
        ],
    );

    #[test]
    fn recursive_option_of_itself() {
        let s = render(&TREE).unwrap();
        let v = json_of(&s);
        assert_eq!(
            v["fields"][1]["type"],
            serde_json::json!(["null", "com.acme.Tree"])
        );
        assert_eq!(v["fields"][1]["default"], Value::Null);
        assert_eq!(v["fields"][2]["type"]["items"], "com.acme.Tree");
        assert_eq!(
            s.canonical_form(),
            r#"{"name":"com.acme.Tree","type":"record","fields":[{"name":"label","type":"string"},{"name":"next","type":["null","com.acme.Tree"]},{"name":"children","type":{"type":"array","items":"com.acme.Tree"}}]}"#
        );
        assert_eq!(s.canonical_form(), s.schema().canonical_form());
    }

    fn plain() -> &'static Model {
        &PLAIN
    }
    static PLAIN: Model = record("Plain", None, &[field("x", Type::Int(IntKind::I32))]);
    static HOLDER: Model = record(
        "Holder",
        Some("com.acme"),
        &[
            field("first", Type::Named(plain)),
            field("second", Type::Named(plain)),
        ],
    );

    #[test]
    fn no_namespace_inside_namespace() {
        let s = render(&HOLDER).unwrap();
        let v = json_of(&s);
        assert_eq!(v["fields"][0]["type"]["namespace"], "");
        // A bare "Plain" would resolve to com.acme.Plain: the leading dot is the null namespace.
        assert_eq!(v["fields"][1]["type"], ".Plain");
        assert_eq!(
            s.canonical_form(),
            r#"{"name":"com.acme.Holder","type":"record","fields":[{"name":"first","type":{"name":"Plain","type":"record","fields":[{"name":"x","type":"int"}]}},{"name":"second","type":"Plain"}]}"#
        );
        assert_eq!(s.canonical_form(), s.schema().canonical_form());
        // Top level without namespace: no namespace attribute at all.
        let p = render(&PLAIN).unwrap();
        assert!(json_of(&p).get("namespace").is_none());
    }

    fn other_address() -> &'static Model {
        &OTHER_ADDRESS
    }
    static OTHER_ADDRESS: Model = Model {
        rust_name: "OtherAddress",
        ..record("Address", Some("com.acme"), &[field("zip", Type::String)])
    };
    static COLLIDING: Model = record(
        "Colliding",
        Some("com.acme"),
        &[
            field("a", Type::Named(address)),
            field("b", Type::Named(other_address)),
        ],
    );

    #[test]
    fn name_collision() {
        let e = render(&COLLIDING).unwrap_err();
        assert_eq!(
            e,
            SchemaError::NameCollision {
                full_name: "com.acme.Address".into(),
                first: "Address",
                second: "OtherAddress"
            }
        );
    }

    // --- enums and fixed --------------------------------------------------------------------

    fn priority() -> &'static Model {
        &PRIORITY
    }
    static PRIORITY: Model = Model {
        shape: Shape::Enum(&[
            symbol("LOW", false),
            symbol("MEDIUM", true),
            symbol("HIGH", false),
        ]),
        ..record("Priority", Some("com.acme"), &[])
    };
    fn default_priority() -> Literal {
        Literal::Enum(2)
    }
    static TICKET: Model = record(
        "Ticket",
        Some("com.acme"),
        &[
            Field {
                default: Some(default_priority),
                ..field("priority", Type::Named(priority))
            },
            field("history", Type::List(&Type::Named(priority))),
            field("digest", Type::Fixed(16)),
            field("ip_addr", Type::Fixed(4)),
            field("digests", Type::Map(&Type::Fixed(16))),
        ],
    );

    #[test]
    fn enum_with_default_symbol() {
        let s = render(&PRIORITY).unwrap();
        assert_eq!(
            json_of(&s),
            serde_json::json!({"type": "enum", "name": "Priority", "namespace": "com.acme",
                "symbols": ["LOW", "MEDIUM", "HIGH"], "default": "MEDIUM"})
        );
        assert_eq!(
            s.canonical_form(),
            r#"{"name":"com.acme.Priority","type":"enum","symbols":["LOW","MEDIUM","HIGH"]}"#
        );
        assert_eq!(s.canonical_form(), s.schema().canonical_form());
    }

    #[test]
    fn fixed_named_after_field_and_enum_default() {
        let s = render(&TICKET).unwrap();
        let v = json_of(&s);
        assert_eq!(v["fields"][0]["default"], "HIGH");
        assert_eq!(v["fields"][1]["type"]["items"], "com.acme.Priority");
        assert_eq!(
            v["fields"][2]["type"],
            serde_json::json!({"type": "fixed", "name": "Digest", "namespace": "com.acme", "size": 16})
        );
        assert_eq!(v["fields"][3]["type"]["name"], "IpAddr");
        // A second `[u8; 16]` field is its own fixed type, named after that field.
        assert_eq!(v["fields"][4]["type"]["values"]["name"], "Digests");
        assert_eq!(s.canonical_form(), s.schema().canonical_form());
    }

    static FIXED_CLASH: Model = record(
        "FixedClash",
        Some("com.acme"),
        &[
            field("tag", Type::Fixed(4)),
            field("tags", Type::List(&Type::Fixed(4))),
            field("wrapper", Type::Named(inner_tag)),
        ],
    );
    fn inner_tag() -> &'static Model {
        &INNER_TAG
    }
    static INNER_TAG: Model = record("Inner", Some("com.acme"), &[field("tag", Type::Fixed(8))]);
    static FIXED_SAME: Model = record(
        "FixedSame",
        Some("com.acme"),
        &[
            field("tag", Type::Fixed(4)),
            field("x", Type::Named(same_tag)),
        ],
    );
    fn same_tag() -> &'static Model {
        &SAME_TAG
    }
    static SAME_TAG: Model = record("SameTag", Some("com.acme"), &[field("tag", Type::Fixed(4))]);

    #[test]
    fn fixed_same_name_other_size_is_an_error() {
        let reason = unrepresentable_reason(render(&FIXED_CLASH).unwrap_err());
        assert!(
            reason.contains("com.acme.Tag") && reason.contains("size 4"),
            "{reason}"
        );
        let s = render(&FIXED_SAME).unwrap();
        assert_eq!(
            json_of(&s)["fields"][1]["type"]["fields"][0]["type"],
            "com.acme.Tag"
        );
    }

    // --- logical types and decimals ---------------------------------------------------------

    fn ts_default() -> Literal {
        Literal::Timestamp {
            seconds: 1_700_000_000,
            nanos: 123_000_000,
        }
    }
    fn ts_sub_milli() -> Literal {
        Literal::Timestamp {
            seconds: 1,
            nanos: 1_000,
        }
    }
    fn date_default() -> Literal {
        Literal::Date(-3)
    }
    fn uuid_default() -> Literal {
        Literal::Uuid("67e55044-10b1-426f-9247-bb680e5fe0c8".into())
    }
    fn dec_default() -> Literal {
        // -1.5 at scale 1 => -150 at scale 2 => 0xff6a.
        Literal::Decimal {
            unscaled: -15,
            scale: 1,
        }
    }
    fn dec_lossy() -> Literal {
        Literal::Decimal {
            unscaled: 1234,
            scale: 3,
        }
    }
    fn dec_too_big() -> Literal {
        Literal::Decimal {
            unscaled: 10_000_000_000,
            scale: 0,
        }
    }

    static LOGICAL: Model = record(
        "Logical",
        Some("com.acme"),
        &[
            Field {
                default: Some(ts_default),
                ..field("at_micros", Type::Timestamp)
            },
            Field {
                options: MILLIS,
                default: Some(ts_default),
                ..field("at_millis", Type::Timestamp)
            },
            Field {
                default: Some(date_default),
                ..field("on", Type::Date)
            },
            Field {
                default: Some(uuid_default),
                ..field("id", Type::Uuid)
            },
            Field {
                options: DEC_12_2,
                default: Some(dec_default),
                ..field("amount", Type::Decimal)
            },
            Field {
                options: MILLIS,
                ..field("maybe_at", Type::Option(&Type::Timestamp))
            },
            Field {
                options: DEC_12_2,
                ..field("amounts", Type::List(&Type::Decimal))
            },
        ],
    );

    #[test]
    fn logical_types_millis_micros_and_decimal_default_bytes() {
        let s = render(&LOGICAL).unwrap();
        let v = json_of(&s);
        let f = &v["fields"];
        assert_eq!(
            f[0]["type"],
            serde_json::json!({"type": "long", "logicalType": "timestamp-micros"})
        );
        assert_eq!(f[0]["default"], 1_700_000_000_123_000i64);
        assert_eq!(
            f[1]["type"],
            serde_json::json!({"type": "long", "logicalType": "timestamp-millis"})
        );
        assert_eq!(f[1]["default"], 1_700_000_000_123i64);
        assert_eq!(
            f[2]["type"],
            serde_json::json!({"type": "int", "logicalType": "date"})
        );
        assert_eq!(f[2]["default"], -3);
        assert_eq!(
            f[3]["type"],
            serde_json::json!({"type": "string", "logicalType": "uuid"})
        );
        assert_eq!(f[3]["default"], "67e55044-10b1-426f-9247-bb680e5fe0c8");
        assert_eq!(
            f[4]["type"],
            serde_json::json!({"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2})
        );
        assert_eq!(f[4]["default"], "\u{ff}\u{6a}");
        assert_eq!(
            f[5]["type"][1],
            serde_json::json!({"type": "long", "logicalType": "timestamp-millis"})
        );
        assert_eq!(f[6]["type"]["items"]["precision"], 12);
        // Spec canonical form drops logicalType/precision/scale entirely.
        assert_eq!(
            s.canonical_form(),
            r#"{"name":"com.acme.Logical","type":"record","fields":[{"name":"at_micros","type":"long"},{"name":"at_millis","type":"long"},{"name":"on","type":"int"},{"name":"id","type":"string"},{"name":"amount","type":"bytes"},{"name":"maybe_at","type":["null","long"]},{"name":"amounts","type":{"type":"array","items":"bytes"}}]}"#
        );
        // apache_avro 0.22 keeps `{"type":"long"}` objects and decimal attributes (not the spec).
        assert_ne!(s.canonical_form(), s.schema().canonical_form());
    }

    static NO_DECIMAL_SPEC: Model = record(
        "NoSpec",
        None,
        &[field("amount", Type::Option(&Type::Decimal))],
    );
    static LOSSY_DECIMAL: Model = record(
        "Lossy",
        None,
        &[Field {
            options: DEC_12_2,
            default: Some(dec_lossy),
            ..field("amount", Type::Decimal)
        }],
    );
    static BIG_DECIMAL: Model = record(
        "Big",
        None,
        &[Field {
            options: DEC_12_2,
            default: Some(dec_too_big),
            ..field("amount", Type::Decimal)
        }],
    );
    static SUB_MILLI: Model = record(
        "SubMilli",
        None,
        &[Field {
            options: MILLIS,
            default: Some(ts_sub_milli),
            ..field("at", Type::Timestamp)
        }],
    );

    #[test]
    fn decimal_and_timestamp_errors() {
        assert_eq!(
            unrepresentable_reason(render(&NO_DECIMAL_SPEC).unwrap_err()),
            "add #[record(decimal(precision = P, scale = S))]"
        );
        for m in [&LOSSY_DECIMAL, &BIG_DECIMAL, &SUB_MILLI] {
            assert!(
                matches!(render(m), Err(SchemaError::InvalidDefault { .. })),
                "{}",
                m.rust_name
            );
        }
    }

    #[test]
    fn twos_complement_is_minimal() {
        assert_eq!(twos_complement(0), [0x00]);
        assert_eq!(twos_complement(1), [0x01]);
        assert_eq!(twos_complement(-1), [0xff]);
        assert_eq!(twos_complement(127), [0x7f]);
        assert_eq!(twos_complement(128), [0x00, 0x80]);
        assert_eq!(twos_complement(-128), [0x80]);
        assert_eq!(twos_complement(-129), [0xff, 0x7f]);
        assert_eq!(twos_complement(i128::MIN).len(), 16);
    }

    // --- option defaults ----------------------------------------------------------------------

    fn nick_default() -> Literal {
        Literal::String("anon".into())
    }
    fn null_default() -> Literal {
        Literal::Null
    }
    fn magic_default() -> Literal {
        Literal::Bytes(vec![0xff, 0x00])
    }
    fn nan_default() -> Literal {
        Literal::Float(f64::NAN)
    }
    fn meta() -> &'static Model {
        &META
    }
    fn web() -> Literal {
        Literal::String("web".into())
    }
    static META: Model = record(
        "Meta",
        Some("com.acme"),
        &[
            Field {
                default: Some(web),
                ..field("source", Type::String)
            },
            Field {
                default: Some(nick_default),
                ..field("owner", Type::Option(&Type::String))
            },
        ],
    );
    fn meta_default() -> Literal {
        Literal::Record(vec![("owner", Literal::String("me".into()))])
    }
    fn ids_default() -> Literal {
        Literal::List(vec![Literal::Int(1), Literal::Int(2)])
    }
    fn ratio_default() -> Literal {
        Literal::Float(1.1f32 as f64)
    }

    static SETTINGS: Model = record(
        "Settings",
        Some("com.acme"),
        &[
            field("comment", Type::Option(&Type::String)),
            Field {
                default: Some(null_default),
                ..field("explicit_null", Type::Option(&Type::String))
            },
            Field {
                default: Some(nick_default),
                ..field("nickname", Type::Option(&Type::String))
            },
            Field {
                default: Some(magic_default),
                ..field("magic", Type::Bytes)
            },
            Field {
                default: Some(meta_default),
                ..field("meta", Type::Named(meta))
            },
            Field {
                default: Some(ids_default),
                ..field("ids", Type::List(&Type::Int(IntKind::I64)))
            },
            Field {
                default: Some(ratio_default),
                ..field("ratio", Type::Float)
            },
        ],
    );
    static NAN: Model = record(
        "NanDefault",
        None,
        &[Field {
            default: Some(nan_default),
            ..field("x", Type::Double)
        }],
    );
    static OPT_OPT: Model = record(
        "OptOpt",
        None,
        &[field("x", Type::Option(&Type::Option(&Type::String)))],
    );

    #[test]
    fn option_default_null_and_some_default_reorders() {
        let s = render(&SETTINGS).unwrap();
        let v = json_of(&s);
        let f = &v["fields"];
        assert_eq!(f[0]["type"], serde_json::json!(["null", "string"]));
        assert_eq!(f[0]["default"], Value::Null);
        assert!(f[0].as_object().unwrap().contains_key("default"));
        assert_eq!(f[1]["type"], serde_json::json!(["null", "string"]));
        assert_eq!(f[2]["type"], serde_json::json!(["string", "null"]));
        assert_eq!(f[2]["default"], "anon");
        assert_eq!(f[3]["default"], "\u{ff}\u{0}");
        // Nested record: missing field filled from its own default; `owner` is [string, null].
        assert_eq!(
            f[4]["type"]["fields"][1]["type"],
            serde_json::json!(["string", "null"])
        );
        assert_eq!(
            f[4]["default"],
            serde_json::json!({"source": "web", "owner": "me"})
        );
        assert_eq!(f[5]["default"], serde_json::json!([1, 2]));
        // f32 defaults are written in their shortest f32 form.
        assert!(s.json().contains("\"default\": 1.1\n"), "{}", s.json());
        assert!(s.json().contains(r#""default": "ÿ\u0000""#), "{}", s.json());

        assert!(matches!(
            render(&NAN),
            Err(SchemaError::InvalidDefault { .. })
        ));
        assert!(unrepresentable_reason(render(&OPT_OPT).unwrap_err()).contains("Option<Option<T>>"));
    }

    // --- unions -------------------------------------------------------------------------------

    fn card() -> &'static Model {
        &CARD
    }
    static CARD: Model = record(
        "Card",
        Some("com.acme.pay"),
        &[field("number", Type::String)],
    );
    static CASH: Model = record("Cash", Some("com.acme.pay"), &[]);
    static PAYMENT_UNION: Union = Union {
        tagging: Tagging::External,
        variants: &[
            Variant {
                ident: "Card",
                name: "Card",
                doc: None,
                tag: 1,
                payload: Payload::Struct(&CARD),
            },
            Variant {
                ident: "Cash",
                name: "Cash",
                doc: None,
                tag: 2,
                payload: Payload::Struct(&CASH),
            },
            newtype("Voucher", Type::String),
            newtype("Points", Type::Int(IntKind::I64)),
            newtype("Token", Type::Fixed(8)),
        ],
    };
    fn payment() -> &'static Model {
        &PAYMENT
    }
    static PAYMENT: Model = Model {
        shape: Shape::Union(&PAYMENT_UNION),
        ..record("Payment", Some("com.acme.pay"), &[])
    };

    fn pay_default() -> Literal {
        Literal::Variant(
            0,
            Box::new(Literal::Record(vec![(
                "number",
                Literal::String("4111".into()),
            )])),
        )
    }
    fn pay_wrong_branch() -> Literal {
        Literal::Variant(2, Box::new(Literal::String("x".into())))
    }
    static CHECKOUT: Model = record(
        "Checkout",
        Some("com.acme"),
        &[
            Field {
                default: Some(pay_default),
                ..field("payment", Type::Named(payment))
            },
            field("refund", Type::Option(&Type::Named(payment))),
            field("card", Type::Named(card)),
        ],
    );
    static BAD_DEFAULT_BRANCH: Model = record(
        "BadBranch",
        None,
        &[Field {
            default: Some(pay_wrong_branch),
            ..field("p", Type::Named(payment))
        }],
    );

    #[test]
    fn union_of_records() {
        let s = render(&PAYMENT).unwrap();
        let v = json_of(&s);
        assert_eq!(v[0]["name"], "Card");
        assert_eq!(
            v[1],
            serde_json::json!({"type": "record", "name": "Cash", "namespace": "com.acme.pay", "fields": []})
        );
        assert_eq!(v[2], "string");
        assert_eq!(v[3], "long");
        assert_eq!(
            v[4],
            serde_json::json!({"type": "fixed", "name": "Token", "namespace": "com.acme.pay", "size": 8})
        );
        assert_eq!(s.canonical_form(), s.schema().canonical_form());

        let s = render(&CHECKOUT).unwrap();
        let v = json_of(&s);
        let f = &v["fields"];
        assert_eq!(f[0]["type"][0]["name"], "Card");
        assert_eq!(f[0]["default"], serde_json::json!({"number": "4111"}));
        // Option of a union flattens; the records are referenced now.
        assert_eq!(
            f[1]["type"],
            serde_json::json!([
                "null",
                "com.acme.pay.Card",
                "com.acme.pay.Cash",
                "string",
                "long",
                "com.acme.pay.Token"
            ])
        );
        assert_eq!(f[1]["default"], Value::Null);
        assert_eq!(f[2]["type"], "com.acme.pay.Card");
        assert_eq!(s.canonical_form(), s.schema().canonical_form());

        assert!(matches!(
            render(&BAD_DEFAULT_BRANCH),
            Err(SchemaError::InvalidDefault { .. })
        ));
    }

    static DUP_UNION: Union = Union {
        tagging: Tagging::External,
        variants: &[newtype("Name", Type::String), newtype("Id", Type::Uuid)],
    };
    static DUP: Model = Model {
        shape: Shape::Union(&DUP_UNION),
        ..record("Dup", None, &[])
    };
    static NESTED_UNION: Union = Union {
        tagging: Tagging::External,
        variants: &[
            newtype("Inner", Type::Named(payment)),
            newtype("Other", Type::Bool),
        ],
    };
    static NESTED: Model = Model {
        shape: Shape::Union(&NESTED_UNION),
        ..record("Nested", None, &[])
    };
    static OPT_UNION: Union = Union {
        tagging: Tagging::External,
        variants: &[newtype("Maybe", Type::Option(&Type::Bool))],
    };
    static OPT_BRANCH: Model = Model {
        shape: Shape::Union(&OPT_UNION),
        ..record("OptBranch", None, &[])
    };

    #[test]
    fn union_errors() {
        let reason = unrepresentable_reason(render(&DUP).unwrap_err());
        assert!(
            reason.contains("`Name`") && reason.contains("`Id`") && reason.contains("string"),
            "{reason}"
        );
        assert!(unrepresentable_reason(render(&NESTED).unwrap_err()).contains("union"));
        assert!(unrepresentable_reason(render(&OPT_BRANCH).unwrap_err()).contains("union"));
    }

    // --- canonical form and fingerprints ------------------------------------------------------

    #[test]
    fn rabin_matches_spec_test_data() {
        // apache/avro share/test/data/schema-tests.txt
        let cases: &[(&str, i64)] = &[
            (r#""null""#, 7195948357588979594),
            (r#""boolean""#, -6970731678124411036),
            (r#""int""#, 8247732601305521295),
            (r#""long""#, -3434872931120570953),
            (r#""float""#, 5583340709985441680),
            (r#""double""#, -8181574048448539266),
            (r#""bytes""#, 5746618253357095269),
            (r#""string""#, -8142146995180207161),
            (
                r#"{"name":"foo","type":"record","fields":[]}"#,
                -4824392279771201922,
            ),
            (
                r#"{"name":"foo","type":"fixed","size":15}"#,
                1756455273707447556,
            ),
            (
                r#"{"name":"PigValue","type":"record","fields":[{"name":"value","type":["null","int","long","PigValue"]}]}"#,
                -1759257747318642341,
            ),
        ];
        for (text, fp) in cases {
            assert_eq!(rabin_fingerprint(text.as_bytes()), *fp as u64, "{text}");
        }
        assert_eq!(
            rabin_fingerprint(br#""int""#).to_le_bytes(),
            [0x8f, 0x5c, 0x39, 0x3f, 0x1a, 0xd5, 0x75, 0x72]
        );
    }

    #[test]
    fn canonical_form_of_registry_schemas() {
        let cases: &[(&str, &str)] = &[
            (r#"{"type": "int"}"#, r#""int""#),
            (
                r#"{"type":"long","logicalType":"timestamp-millis"}"#,
                r#""long""#,
            ),
            (r#"[ "null" , "int" ]"#, r#"["null","int"]"#),
            (
                r#"{"fields":[], "type":"record", "name":"foo", "doc": "x"}"#,
                r#"{"name":"foo","type":"record","fields":[]}"#,
            ),
            (
                r#"{"type":"fixed","name":"x.y.foo","namespace":"ignored","size":"015"}"#,
                r#"{"name":"x.y.foo","type":"fixed","size":15}"#,
            ),
            (
                r#"{"type":"record","name":"a","namespace":"n","fields":[
                    {"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"],"doc":"d"},"default":"A"},
                    {"name":"e2","type":"E"},
                    {"name":"o","type":{"type":"record","name":"O","namespace":"","fields":[{"name":"z","type":"n.E","order":"ignore"}]}},
                    {"name":"r","type":{"type":"map","values":{"type":"array","items":".O"}}}
                ]}"#,
                r#"{"name":"n.a","type":"record","fields":[{"name":"e","type":{"name":"n.E","type":"enum","symbols":["A","B"]}},{"name":"e2","type":"n.E"},{"name":"o","type":{"name":"O","type":"record","fields":[{"name":"z","type":"n.E"}]}},{"name":"r","type":{"type":"map","values":{"type":"array","items":"O"}}}]}"#,
            ),
        ];
        for (input, expected) in cases {
            let v: Value = serde_json::from_str(input).unwrap();
            assert_eq!(canonical_form(&v), *expected, "{input}");
        }
    }

    #[test]
    fn canonical_form_agrees_with_apache_avro_without_logical_types() {
        let schemas = [
            r#""string""#,
            r#"{"type":"array","items":{"type":"map","values":"double"}}"#,
            r#"{"type":"record","name":"R","namespace":"a.b","doc":"x","aliases":["Q"],"fields":[
                {"name":"f","type":{"type":"fixed","name":"F","size":3},"default":"abc"},
                {"name":"g","type":["null","F",{"type":"enum","name":"E","namespace":"c","symbols":["X"]}]},
                {"name":"h","type":{"type":"array","items":"c.E"}},
                {"name":"i","type":{"type":"record","name":"I","fields":[{"name":"r","type":["null","a.b.R"]}]}}
            ]}"#,
        ];
        for text in schemas {
            let parsed = apache_avro::Schema::parse_str(text).unwrap();
            let ours = canonical_form(&serde_json::from_str(text).unwrap());
            assert_eq!(ours, parsed.canonical_form(), "{text}");
            assert_eq!(
                rabin_fingerprint(ours.as_bytes()).to_le_bytes().to_vec(),
                parsed.fingerprint::<Rabin>().bytes
            );
        }
    }

    #[test]
    fn avro_schema_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<AvroSchema>();
    }

    /// fastavro (the interop venv) parses a rendered schema, defaults included.
    #[test]
    fn fastavro_parses_rendered_schema_if_available() {
        let Some(python) = crate::test_tools::interop_python() else {
            return;
        };
        for m in [&SETTINGS, &CHECKOUT, &LOGICAL, &TICKET, &TREE] {
            let s = render(m).unwrap();
            let out = std::process::Command::new(&python)
                .args([
                    "-c",
                    "import sys, json, fastavro; fastavro.parse_schema(json.loads(sys.argv[1]))",
                    s.json(),
                ])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}: {}",
                m.rust_name,
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}
