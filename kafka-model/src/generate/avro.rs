//! Avro schema → Rust source. One walk over apache-avro's parsed schema assigns each named type
//! a module (its namespace) and an identifier, and writes the items; what the derive cannot
//! express yet is a [`GenerateError::NotExpressible`] naming the construct and where it is.

// Over 800 lines: one walk over the parsed schema, plus the naming helpers the JSON Schema
// generator shares.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use apache_avro::schema::{
    DecimalSchema, EnumSchema, FixedSchema, InnerDecimalSchema, Name, RecordSchema, UnionSchema,
    UuidSchema,
};
use apache_avro::Schema;
use serde_json::Value as Json;

use super::generator::{nested_modules, snake};
use super::{GenerateError, Generator, Root};

/// Rust reserved words: an Avro name that is one gets a trailing `_` (and a rename).
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// The derive list of every generated type.
pub(super) const DERIVES: &str =
    "#[derive(Debug, Clone, PartialEq, kafka_model::Record, serde::Serialize, serde::Deserialize)]";

/// A Rust type for a schema position, with the field attributes it needs.
#[derive(Clone)]
struct Ty {
    text: String,
    /// `#[record(...)]` arguments the field holding it needs (`timestamp = "millis"`, ...).
    record_args: Vec<String>,
    kind: Kind,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Plain,
    Collection,
    Option,
}

/// Where a type is used: unions become `Option` only as a field's type.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    Field,
    Inner,
    Top,
}

pub(super) struct Emitter<'g> {
    gen: &'g Generator,
    /// Rust items by module path (namespace parts), in order of definition.
    modules: BTreeMap<Vec<String>, Vec<String>>,
    /// Full Avro name → (module path, identifier) of the types defined or mapped.
    named: HashMap<String, (Vec<String>, String)>,
    /// Identifiers taken per module.
    taken: HashMap<Vec<String>, HashSet<String>>,
    /// Definitions by full name, for references (`Schema::Ref`).
    defs: HashMap<String, Schema>,
    /// Records being written (a direct reference to one of them is boxed).
    open: Vec<String>,
    /// The field being typed, as (record namespace, Avro field name): the derive names a
    /// decimal's `fixed` after its field, so one is expressible only where the names agree.
    /// `None` inside a union's branches (they carry no field options).
    field: Option<(Option<String>, String)>,
    pub(super) roots: Vec<Root>,
}

fn not_expressible(at: &str, construct: impl Into<String>) -> GenerateError {
    GenerateError::NotExpressible {
        at: at.to_string(),
        construct: construct.into(),
    }
}

pub(super) fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut up = true;
    for c in name.chars() {
        // (`orders-value`, a subject as a file stem, is `OrdersValue`.)
        if c == '_' || !c.is_alphanumeric() {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'T');
    }
    out
}

pub(super) fn unkeyword(ident: String) -> String {
    if KEYWORDS.contains(&ident.as_str()) {
        format!("{ident}_")
    } else {
        ident
    }
}

pub(super) fn lit(s: &str) -> String {
    format!("{s:?}")
}

pub(super) fn doc_lines(out: &mut String, doc: Option<&str>) {
    if let Some(doc) = doc {
        for line in doc.lines() {
            let _ = writeln!(out, "#[doc = {}]", lit(&format!(" {}", line.trim_end())));
        }
    }
}

fn full(name: &Name) -> String {
    name.fullname(None)
}

fn module_of(name: &Name) -> Vec<String> {
    match name.namespace() {
        Some(ns) if !ns.is_empty() => ns.split('.').map(|p| unkeyword(snake(p))).collect(),
        _ => Vec::new(),
    }
}

/// The path to `to` (module, ident) from inside module `from`.
pub(super) fn path_from(from: &[String], to: &(Vec<String>, String)) -> String {
    if to.1.starts_with("crate::") {
        // A type mapped by the user: a path from the crate root.
        return to.1.clone();
    }
    let common = from.iter().zip(&to.0).take_while(|(a, b)| a == b).count();
    let mut p = String::new();
    for _ in common..from.len() {
        p.push_str("super::");
    }
    for part in &to.0[common..] {
        p.push_str(part);
        p.push_str("::");
    }
    p.push_str(&to.1);
    p
}

fn no_custom(at: &str, attrs: &BTreeMap<String, Json>) -> Result<(), GenerateError> {
    no_custom_but(at, attrs, &[])
}

/// [`no_custom`], but for the keys of a logical type that apache-avro leaves in the attributes
/// of the `fixed` under it.
fn no_custom_but(
    at: &str,
    attrs: &BTreeMap<String, Json>,
    logical: &[&str],
) -> Result<(), GenerateError> {
    match attrs.keys().find(|k| !logical.contains(&k.as_str())) {
        Some(k) => Err(not_expressible(at, format!("the custom property `{k}`"))),
        None => Ok(()),
    }
}

impl<'g> Emitter<'g> {
    pub(super) fn new(gen: &'g Generator) -> Self {
        Emitter {
            gen,
            modules: BTreeMap::new(),
            named: HashMap::new(),
            taken: HashMap::new(),
            defs: HashMap::new(),
            open: Vec::new(),
            field: None,
            roots: Vec::new(),
        }
    }

    /// The map type: `IndexMap` keeps the payload's entry order (byte-exact re-encoding).
    fn map_path(&self) -> &'static str {
        if self.gen.ordered_maps {
            "indexmap::IndexMap"
        } else {
            "std::collections::BTreeMap"
        }
    }

    /// Records every named definition of `schema` (for `Ref`s, also across inputs).
    pub(super) fn collect_defs(&mut self, schema: &Schema) {
        match schema {
            Schema::Record(r) => {
                self.defs.insert(full(&r.name), schema.clone());
                for f in &r.fields {
                    self.collect_defs(&f.schema);
                }
            }
            Schema::Enum(e) => {
                self.defs.insert(full(&e.name), schema.clone());
            }
            Schema::Fixed(f) | Schema::Duration(f) => {
                self.defs.insert(full(&f.name), schema.clone());
            }
            Schema::Decimal(DecimalSchema {
                inner: InnerDecimalSchema::Fixed(f),
                ..
            }) => {
                self.defs.insert(full(&f.name), schema.clone());
            }
            Schema::Uuid(UuidSchema::Fixed(f)) => {
                self.defs.insert(full(&f.name), schema.clone());
            }
            Schema::Array(a) => self.collect_defs(&a.items),
            Schema::Map(m) => self.collect_defs(&m.types),
            Schema::Union(u) => u.variants().iter().for_each(|v| self.collect_defs(v)),
            _ => {}
        }
    }

    fn claim(&mut self, module: &[String], wanted: String) -> String {
        let taken = self.taken.entry(module.to_vec()).or_default();
        let mut ident = wanted.clone();
        let mut n = 2;
        while !taken.insert(ident.clone()) {
            ident = format!("{wanted}{n}");
            n += 1;
        }
        ident
    }

    fn push(&mut self, module: &[String], item: String) {
        self.modules.entry(module.to_vec()).or_default().push(item);
    }

    /// Writes the root type of one input (named `stem` when the schema has no name).
    pub(super) fn root(
        &mut self,
        input: &str,
        stem: &str,
        schema: &Schema,
    ) -> Result<(), GenerateError> {
        let (module, ident) = match schema {
            Schema::Record(_) | Schema::Enum(_) => {
                let t = self.ty(schema, &[], stem, Place::Top)?;
                let name = match schema {
                    Schema::Record(r) => full(&r.name),
                    Schema::Enum(e) => full(&e.name),
                    _ => unreachable!("matched above"),
                };
                let _ = t;
                self.named[&name].clone()
            }
            Schema::Ref { name } => self.named.get(&full(name)).cloned().ok_or_else(|| {
                not_expressible(stem, "a top-level reference to a type of another input")
            })?,
            Schema::Union(u) => {
                let ident = self.claim(&[], camel(stem));
                self.union_enum(u, &[], &ident, stem)?;
                (Vec::new(), ident)
            }
            // A named fixed (or duration) is a `Record` itself (`#[record(fixed)]`).
            Schema::Fixed(f) | Schema::Duration(f) => {
                self.ty(schema, &[], stem, Place::Top)?;
                self.named[&full(&f.name)].clone()
            }
            // Primitives, `null`, lists and maps: a newtype named after the file stem.
            Schema::Boolean
            | Schema::Int
            | Schema::Long
            | Schema::Float
            | Schema::Double
            | Schema::Bytes
            | Schema::String
            | Schema::Null
            | Schema::Array(_)
            | Schema::Map(_) => {
                let inner = self.ty(schema, &[], stem, Place::Inner)?;
                if !inner.record_args.is_empty() {
                    // A newtype has no field options to carry them.
                    return Err(not_expressible(
                        stem,
                        format!(
                            "a top-level {} needing {}",
                            schema_kind(schema),
                            inner.record_args.join(", ")
                        ),
                    ));
                }
                let ident = self.claim(&[], camel(stem));
                let mut item = String::new();
                let _ = writeln!(
                    item,
                    "#[doc = \" The top-level `{}` schema of `{input}`.\"]",
                    schema_kind(schema)
                );
                let _ = writeln!(item, "{DERIVES}\npub struct {ident}(pub {});", inner.text);
                self.push(&[], item);
                (Vec::new(), ident)
            }
            other => {
                return Err(not_expressible(
                    stem,
                    format!("a top-level {} schema", schema_kind(other)),
                ))
            }
        };
        self.roots.push(Root {
            input: input.to_string(),
            rust_path: path_from(&[], &(module, ident)),
        });
        Ok(())
    }

    /// The Rust type for `schema` used in module `module`; `ctx` names the position (for
    /// synthesized union enums and error messages).
    fn ty(
        &mut self,
        schema: &Schema,
        module: &[String],
        ctx: &str,
        place: Place,
    ) -> Result<Ty, GenerateError> {
        let plain = |t: &str| Ty {
            text: t.to_string(),
            record_args: Vec::new(),
            kind: Kind::Plain,
        };
        let with = |t: &str, arg: &str| Ty {
            text: t.to_string(),
            record_args: vec![arg.to_string()],
            kind: Kind::Plain,
        };
        Ok(match schema {
            Schema::Null => plain("()"),
            Schema::Boolean => plain("bool"),
            Schema::Int => plain("i32"),
            Schema::Long => plain("i64"),
            Schema::Float => plain("f32"),
            Schema::Double => plain("f64"),
            Schema::Bytes => plain("Vec<u8>"),
            Schema::String => plain("String"),
            Schema::Uuid(UuidSchema::String) => plain("uuid::Uuid"),
            Schema::Uuid(_) => return Err(not_expressible(ctx, "uuid on fixed or bytes")),
            Schema::Date => plain("chrono::NaiveDate"),
            Schema::TimeMillis => with("chrono::NaiveTime", "timestamp = \"millis\""),
            Schema::TimeMicros => plain("chrono::NaiveTime"),
            Schema::TimestampMillis => {
                with("chrono::DateTime<chrono::Utc>", "timestamp = \"millis\"")
            }
            Schema::TimestampMicros => plain("chrono::DateTime<chrono::Utc>"),
            Schema::LocalTimestampMillis => with("chrono::NaiveDateTime", "timestamp = \"millis\""),
            Schema::LocalTimestampMicros => plain("chrono::NaiveDateTime"),
            Schema::TimestampNanos | Schema::LocalTimestampNanos => {
                return Err(not_expressible(ctx, "nanosecond timestamps"))
            }
            Schema::BigDecimal => return Err(not_expressible(ctx, "big-decimal")),
            Schema::Duration(f) => {
                self.fixed(f, true)?;
                self.reference(&full(&f.name), module)
            }
            Schema::Decimal(d) => {
                let t = if d.precision <= 28 {
                    "rust_decimal::Decimal"
                } else if d.precision <= 38 {
                    "kafka_model::decimal128::Decimal128"
                } else {
                    return Err(not_expressible(ctx, "decimal wider than 38 digits"));
                };
                let (p, s) = (d.precision, d.scale);
                match &d.inner {
                    InnerDecimalSchema::Bytes => {
                        with(t, &format!("decimal(precision = {p}, scale = {s})"))
                    }
                    InnerDecimalSchema::Fixed(f) => {
                        self.decimal_fixed(f, ctx)?;
                        with(
                            t,
                            &format!("decimal(precision = {p}, scale = {s}, fixed = {})", f.size),
                        )
                    }
                }
            }
            Schema::Array(a) => {
                no_custom(ctx, &a.attributes)?;
                // Any nesting: lists, maps and `Option`s nest at any depth in the derive.
                let item =
                    unboxed(self.ty(&a.items, module, &format!("{ctx}Item"), Place::Inner)?);
                Ty {
                    text: format!("Vec<{}>", item.text),
                    record_args: item.record_args,
                    kind: Kind::Collection,
                }
            }
            Schema::Map(m) => {
                no_custom(ctx, &m.attributes)?;
                let value =
                    unboxed(self.ty(&m.types, module, &format!("{ctx}Value"), Place::Inner)?);
                Ty {
                    text: format!("{}<String, {}>", self.map_path(), value.text),
                    record_args: value.record_args,
                    kind: Kind::Collection,
                }
            }
            Schema::Union(u) => return self.union(u, module, ctx, place),
            Schema::Record(r) => {
                self.record(r)?;
                self.reference(&full(&r.name), module)
            }
            Schema::Enum(e) => {
                self.enumeration(e)?;
                self.reference(&full(&e.name), module)
            }
            Schema::Fixed(f) => {
                self.fixed(f, false)?;
                self.reference(&full(&f.name), module)
            }
            Schema::Ref { name } => {
                let name = full(name);
                if !self.named.contains_key(&name) {
                    // Defined in another input: write it here, where it is first used.
                    let def =
                        self.defs
                            .get(&name)
                            .cloned()
                            .ok_or_else(|| GenerateError::Invalid {
                                input: ctx.to_string(),
                                message: format!("unknown type {name}"),
                            })?;
                    return self.ty(&def, module, ctx, place);
                }
                self.reference(&name, module)
            }
        })
    }

    fn reference(&self, name: &str, module: &[String]) -> Ty {
        let path = path_from(module, &self.named[name]);
        let boxed = self.open.iter().any(|n| n == name);
        Ty {
            text: if boxed { format!("Box<{path}>") } else { path },
            record_args: Vec::new(),
            kind: Kind::Plain,
        }
    }

    /// A union: `Option<T>` for a field's `["null", T]` / `[T, "null"]` (also with several
    /// `T`s: `Option` of an enum), otherwise an enum with one newtype variant per branch.
    fn union(
        &mut self,
        u: &UnionSchema,
        module: &[String],
        ctx: &str,
        place: Place,
    ) -> Result<Ty, GenerateError> {
        let variants = u.variants();
        let null_at = variants.iter().position(|v| matches!(v, Schema::Null));
        let n = variants.len();
        // A field's `Option` may put null last (`null_last`); a nested `Option` (a collection's
        // item or value) is always `["null", T]` in the derive.
        let option_at = match place {
            Place::Field => null_at.filter(|&i| n >= 2 && (i == 0 || i == n - 1)),
            Place::Inner => null_at.filter(|&i| n >= 2 && i == 0),
            Place::Top => None,
        };
        {
            if let Some(i) = option_at {
                let rest: Vec<Schema> = variants
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, v)| v.clone())
                    .collect();
                let inner = if rest.len() == 1 {
                    self.ty(&rest[0], module, ctx, Place::Inner)?
                } else {
                    let u = UnionSchema::new(rest).map_err(|e| GenerateError::Invalid {
                        input: ctx.to_string(),
                        message: e.to_string(),
                    })?;
                    let ident = self.claim(module, camel(ctx));
                    self.union_enum(&u, module, &ident, ctx)?;
                    Ty {
                        text: ident,
                        record_args: Vec::new(),
                        kind: Kind::Plain,
                    }
                };
                if inner.text == "()" {
                    return Err(not_expressible(ctx, "a union of null with null"));
                }
                let mut record_args = inner.record_args;
                if i != 0 {
                    record_args.push("null_last".into());
                }
                return Ok(Ty {
                    text: format!("Option<{}>", inner.text),
                    record_args,
                    kind: Kind::Option,
                });
            }
        }
        let ident = self.claim(module, camel(ctx));
        self.union_enum(u, module, &ident, ctx)?;
        Ok(Ty {
            text: ident,
            record_args: Vec::new(),
            kind: Kind::Plain,
        })
    }

    /// An enum with one newtype variant per branch of `u`, named `ident` in `module`.
    fn union_enum(
        &mut self,
        u: &UnionSchema,
        module: &[String],
        ident: &str,
        ctx: &str,
    ) -> Result<(), GenerateError> {
        if u.variants().is_empty() {
            // No value has an empty union's type, so no datum can be written or read: an
            // uninhabited enum would compile, but every codec and schema path would need a
            // zero-branch case for a schema no producer can use. Kept out, by name.
            return Err(not_expressible(
                ctx,
                "an empty union (it has no values: nothing can be written with it)",
            ));
        }
        let mut body = String::new();
        let mut names = HashSet::new();
        // (An error ends the generation, so the early returns need not restore it.)
        let field = self.field.take();
        for v in u.variants() {
            let at = format!("{ctx}{}", variant_name(v));
            let t = self.ty(v, module, &at, Place::Inner)?;
            // A list or map is a newtype variant like any other branch (Avro allows one
            // `array` and one `map` per union; the derive checks that); an `Option` cannot be
            // one (a union inside a union is no Avro).
            if t.kind == Kind::Option {
                return Err(not_expressible(ctx, "a union as a union branch"));
            }
            if !t.record_args.is_empty() {
                return Err(not_expressible(
                    ctx,
                    format!("a {} union branch", t.record_args.join(", ")),
                ));
            }
            let mut name = variant_name(v);
            let mut k = 2;
            while !names.insert(name.clone()) {
                name = format!("{}{k}", variant_name(v));
                k += 1;
            }
            let _ = writeln!(body, "{name}({}),", t.text);
        }
        self.field = field;
        let item = format!(
            "#[doc = \" A union (`{ctx}`): one variant per branch, in the schema's order.\"]\n{DERIVES}\npub enum {ident} {{\n{body}}}\n"
        );
        self.push(module, item);
        Ok(())
    }

    fn define(&mut self, name: &Name) -> Result<Option<(Vec<String>, String)>, GenerateError> {
        let full_name = full(name);
        if self.named.contains_key(&full_name) {
            return Ok(None);
        }
        if let Some(path) = self.gen.types.get(&full_name) {
            // Mapped by the user: the path is taken as written, from the crate root.
            self.named.insert(
                full_name,
                (
                    Vec::new(),
                    format!("crate::{}", path.trim_start_matches("crate::")),
                ),
            );
            return Ok(None);
        }
        let module = module_of(name);
        let ident = self.claim(&module, unkeyword(camel(name.name())));
        self.named
            .insert(full_name, (module.clone(), ident.clone()));
        Ok(Some((module, ident)))
    }

    /// `#[record(...)]` container arguments: name (when the identifier differs), namespace,
    /// aliases.
    fn container_args(
        name: &Name,
        ident: &str,
        aliases: Option<&[apache_avro::schema::Alias]>,
    ) -> Vec<String> {
        let mut args = Vec::new();
        if name.name() != ident {
            args.push(format!("name = {}", lit(name.name())));
        }
        if let Some(ns) = name.namespace().filter(|n| !n.is_empty()) {
            args.push(format!("namespace = {}", lit(ns)));
        }
        if let Some(aliases) = aliases.filter(|a| !a.is_empty()) {
            let list: Vec<String> = aliases
                .iter()
                .map(|a| lit(&a.fullname(name.namespace())))
                .collect();
            args.push(format!("aliases = [{}]", list.join(", ")));
        }
        args
    }

    fn record(&mut self, r: &RecordSchema) -> Result<(), GenerateError> {
        let full_name = full(&r.name);
        no_custom(&full_name, &r.attributes)?;
        let Some((module, ident)) = self.define(&r.name)? else {
            return Ok(());
        };
        self.open.push(full_name.clone());
        // A record inside a field's type: the outer field is restored after it.
        let outer_field = self.field.take();
        let mut body = String::new();
        let mut fns = String::new();
        let mut taken = HashSet::new();
        for f in &r.fields {
            let at = format!("{full_name}.{}", f.name);
            no_custom(&at, &f.custom_attributes)?;
            let overridden = self.gen.fields.get(&at);
            self.field = Some((
                r.name
                    .namespace()
                    .filter(|n| !n.is_empty())
                    .map(str::to_string),
                f.name.clone(),
            ));
            let t = match overridden {
                Some(path) => Ty {
                    text: format!("crate::{}", path.trim_start_matches("crate::")),
                    record_args: Vec::new(),
                    kind: Kind::Plain,
                },
                None => self
                    .ty(
                        &f.schema,
                        &module,
                        &format!("{ident}{}", camel(&f.name)),
                        Place::Field,
                    )
                    .map_err(|e| match e {
                        // Name the field by its Avro path, not the Rust name of the position.
                        GenerateError::NotExpressible {
                            at: inner,
                            construct,
                        } if !inner.contains('.') => not_expressible(&at, construct),
                        other => other,
                    })?,
            };
            let mut rust = unkeyword(snake(&f.name));
            let wanted = rust.clone();
            let mut k = 2;
            while !taken.insert(rust.clone()) {
                rust = format!("{wanted}_{k}");
                k += 1;
            }
            let mut serde_args = Vec::new();
            if rust != f.name {
                serde_args.push(format!("rename = {}", lit(&f.name)));
            }
            for a in &f.aliases {
                serde_args.push(format!("alias = {}", lit(a)));
            }
            let mut record_args = t.record_args.clone();
            match (&f.default, t.kind) {
                (None, Kind::Option) if !record_args.iter().any(|a| a == "null_last") => {
                    record_args.push("no_default".into())
                }
                (None, _) => {}
                (Some(Json::Null), Kind::Option)
                    if !record_args.iter().any(|a| a == "null_last") =>
                {
                    serde_args.push("default".into())
                }
                (Some(d), _) => {
                    if overridden.is_some() {
                        return Err(not_expressible(
                            &at,
                            "a default on a field of a mapped type",
                        ));
                    }
                    let schema = self.resolved(&f.schema);
                    let expr = self.default_expr(d, &schema, &t, &module, &at)?;
                    let fname = format!(
                        "{}_{}_default",
                        snake(&ident).trim_start_matches('_'),
                        rust.trim_end_matches('_')
                    );
                    let _ = writeln!(fns, "fn {fname}() -> {} {{\n{expr}\n}}", t.text);
                    serde_args.push(format!("default = {}", lit(&fname)));
                }
            }
            doc_lines(&mut body, f.doc.as_deref());
            if !serde_args.is_empty() {
                let _ = writeln!(body, "#[serde({})]", serde_args.join(", "));
            }
            if !record_args.is_empty() {
                let _ = writeln!(body, "#[record({})]", record_args.join(", "));
            }
            let _ = writeln!(body, "pub {rust}: {},", t.text);
        }
        self.open.pop();
        self.field = outer_field;
        let mut item = String::new();
        doc_lines(&mut item, r.doc.as_deref());
        item.push_str(DERIVES);
        item.push('\n');
        let args = Self::container_args(&r.name, &ident, r.aliases.as_deref());
        if !args.is_empty() {
            let _ = writeln!(item, "#[record({})]", args.join(", "));
        }
        if r.name.name() != ident {
            let _ = writeln!(item, "#[serde(rename = {})]", lit(r.name.name()));
        }
        let _ = writeln!(item, "pub struct {ident} {{\n{body}}}\n{fns}");
        self.push(&module, item);
        Ok(())
    }

    fn enumeration(&mut self, e: &EnumSchema) -> Result<(), GenerateError> {
        let full_name = full(&e.name);
        no_custom(&full_name, &e.attributes)?;
        let Some((module, ident)) = self.define(&e.name)? else {
            return Ok(());
        };
        let mut body = String::new();
        for s in &e.symbols {
            if e.default.as_deref() == Some(s) {
                body.push_str("#[record(default)]\n");
            }
            let v = unkeyword(s.clone());
            if &v != s {
                let _ = writeln!(body, "#[serde(rename = {})]", lit(s));
            }
            let _ = writeln!(body, "{v},");
        }
        let mut item = String::new();
        doc_lines(&mut item, e.doc.as_deref());
        item.push_str(DERIVES);
        item.push('\n');
        let args = Self::container_args(&e.name, &ident, e.aliases.as_deref());
        if !args.is_empty() {
            let _ = writeln!(item, "#[record({})]", args.join(", "));
        }
        if e.name.name() != ident {
            let _ = writeln!(item, "#[serde(rename = {})]", lit(e.name.name()));
        }
        let _ = writeln!(
            item,
            "#[allow(non_camel_case_types, clippy::upper_case_acronyms)]\npub enum {ident} {{\n{body}}}"
        );
        self.push(&module, item);
        Ok(())
    }

    /// A named `fixed` (of the `duration` logical type when `duration`): a `#[record(fixed)]`
    /// newtype over `[u8; N]` or `AvroDuration`.
    fn fixed(&mut self, f: &FixedSchema, duration: bool) -> Result<(), GenerateError> {
        let full_name = full(&f.name);
        let logical: &[&str] = if duration { &["logicalType"] } else { &[] };
        no_custom_but(&full_name, &f.attributes, logical)?;
        let Some((module, ident)) = self.define(&f.name)? else {
            return Ok(());
        };
        let mut item = String::new();
        doc_lines(&mut item, f.doc.as_deref());
        item.push_str(DERIVES);
        item.push('\n');
        let mut args = vec!["fixed".to_string()];
        args.extend(Self::container_args(&f.name, &ident, f.aliases.as_deref()));
        let _ = writeln!(item, "#[record({})]", args.join(", "));
        if duration {
            let _ = writeln!(
                item,
                "pub struct {ident}(pub kafka_model::duration::AvroDuration);"
            );
        } else {
            let _ = writeln!(item, "pub struct {ident}(pub [u8; {}]);", f.size);
        }
        self.push(&module, item);
        Ok(())
    }

    /// A decimal on `fixed`: the derive's `#[record(decimal(.., fixed = N))]` names the fixed
    /// after the field (`unit_price` → `UnitPrice`, in the record's namespace) and gives it no
    /// doc or aliases, so only such a fixed is expressible.
    fn decimal_fixed(&self, f: &FixedSchema, ctx: &str) -> Result<(), GenerateError> {
        let Some((ns, field)) = &self.field else {
            return Err(not_expressible(
                ctx,
                "a decimal on fixed outside a record field (a union branch)",
            ));
        };
        let wanted = crate::schema::avro::pascal_case(field);
        let ns_of_fixed = f.name.namespace().filter(|n| !n.is_empty());
        if f.name.name() != wanted || ns_of_fixed != ns.as_deref() {
            return Err(not_expressible(
                ctx,
                format!(
                    "a decimal on a fixed not named after its field (`{}`, the derive names it `{wanted}`)",
                    full(&f.name)
                ),
            ));
        }
        if f.aliases.as_ref().is_some_and(|a| !a.is_empty()) {
            return Err(not_expressible(ctx, "aliases on a decimal's fixed"));
        }
        no_custom_but(ctx, &f.attributes, &["logicalType", "precision", "scale"])
    }

    /// `schema` with a top-level reference replaced by its definition.
    fn resolved(&self, schema: &Schema) -> Schema {
        match schema {
            Schema::Ref { name } => self
                .defs
                .get(&full(name))
                .cloned()
                .unwrap_or_else(|| schema.clone()),
            other => other.clone(),
        }
    }

    /// A Rust expression of type `t` for the Avro default `d` of `schema`.
    fn default_expr(
        &self,
        d: &Json,
        schema: &Schema,
        t: &Ty,
        module: &[String],
        at: &str,
    ) -> Result<String, GenerateError> {
        let invalid = || GenerateError::Invalid {
            input: at.to_string(),
            message: format!("default {d} does not fit its type"),
        };
        let bytes = |s: &str| -> Result<String, GenerateError> {
            let b: Option<Vec<String>> = s
                .chars()
                .map(|c| u8::try_from(u32::from(c)).ok().map(|b| format!("{b:#04x}")))
                .collect();
            Ok(b.ok_or_else(invalid)?.join(", "))
        };
        let boxed = |e: String| {
            if t.text.starts_with("Box<") {
                format!("Box::new({e})")
            } else {
                e
            }
        };
        Ok(match (schema, d) {
            (Schema::Null, Json::Null) => "()".into(),
            (Schema::Boolean, Json::Bool(b)) => b.to_string(),
            (Schema::Int, Json::Number(n)) => i32::try_from(n.as_i64().ok_or_else(invalid)?)
                .map_err(|_| invalid())?
                .to_string(),
            (Schema::Long, Json::Number(n)) => n.as_i64().ok_or_else(invalid)?.to_string(),
            (Schema::Float, Json::Number(n)) => {
                format!("{:?}_f32", n.as_f64().ok_or_else(invalid)? as f32)
            }
            (Schema::Double, Json::Number(n)) => {
                format!("{:?}_f64", n.as_f64().ok_or_else(invalid)?)
            }
            (Schema::String, Json::String(s)) => format!("String::from({})", lit(s)),
            (Schema::Bytes, Json::String(s)) => format!("vec![{}]", bytes(s)?),
            (Schema::Enum(e), Json::String(s)) if e.symbols.contains(s) => {
                let path = path_from(module, &self.named[&full(&e.name)]);
                format!("{path}::{}", unkeyword(s.clone()))
            }
            (Schema::Fixed(f), Json::String(s)) if s.chars().count() == f.size => {
                let path = path_from(module, &self.named[&full(&f.name)]);
                format!("{path}([{}])", bytes(s)?)
            }
            (Schema::Array(a), Json::Array(items)) => {
                let item_schema = self.resolved(&a.items);
                let item_ty = inner_ty(t, "Vec<");
                nested_option_default(&item_ty, items.iter(), at)?;
                let parts = items
                    .iter()
                    .map(|i| self.default_expr(i, &item_schema, &item_ty, module, at))
                    .collect::<Result<Vec<_>, _>>()?;
                format!("vec![{}]", parts.join(", "))
            }
            (Schema::Map(m), Json::Object(entries)) => {
                let value_schema = self.resolved(&m.types);
                nested_option_default(&value_ty_of(t, self.map_path()), entries.values(), at)?;
                let value_ty = value_ty_of(t, self.map_path());
                let parts = entries
                    .iter()
                    .map(|(k, v)| {
                        Ok(format!(
                            "(String::from({}), {})",
                            lit(k),
                            self.default_expr(v, &value_schema, &value_ty, module, at)?
                        ))
                    })
                    .collect::<Result<Vec<_>, GenerateError>>()?;
                format!("[{}].into_iter().collect()", parts.join(", "))
            }
            (Schema::Record(r), Json::Object(values)) => {
                let (rmod, rident) = self.named[&full(&r.name)].clone();
                let path = path_from(module, &(rmod.clone(), rident.clone()));
                let mut parts = Vec::new();
                let mut taken = HashSet::new();
                for f in &r.fields {
                    let v = values
                        .get(&f.name)
                        .or(f.default.as_ref())
                        .ok_or_else(invalid)?;
                    let fs = self.resolved(&f.schema);
                    // The field's own Rust type, from the same mapping (no new items).
                    let fty =
                        self.peek_ty(&f.schema, &rmod, &format!("{rident}{}", camel(&f.name)))?;
                    let mut rust = unkeyword(snake(&f.name));
                    let wanted = rust.clone();
                    let mut k = 2;
                    while !taken.insert(rust.clone()) {
                        rust = format!("{wanted}_{k}");
                        k += 1;
                    }
                    let e = self.default_expr(v, &fs, &fty, module, &format!("{at}.{}", f.name))?;
                    parts.push(format!("{rust}: {e}"));
                }
                boxed(format!("{path} {{ {} }}", parts.join(", ")))
            }
            (Schema::Union(u), _) if t.kind == Kind::Option => {
                let vs = u.variants();
                if d.is_null() {
                    "None".into()
                } else {
                    let first = vs
                        .iter()
                        .find(|v| !matches!(v, Schema::Null))
                        .ok_or_else(invalid)?;
                    if vs.len() != 2 {
                        return Err(not_expressible(
                            at,
                            "a value default of a union with several branches",
                        ));
                    }
                    let inner = inner_ty(t, "Option<");
                    format!(
                        "Some({})",
                        self.default_expr(d, &self.resolved(first), &inner, module, at)?
                    )
                }
            }
            (Schema::Union(_), _) => {
                return Err(not_expressible(
                    at,
                    "a default of a union field held in an enum",
                ))
            }
            (Schema::Ref { .. }, _) => return Err(invalid()),
            (s, _) if is_logical(s) => {
                return Err(not_expressible(at, "a default of a logical type"))
            }
            _ => return Err(invalid()),
        })
    }

    /// The Rust type text of a field of an already written record.
    fn peek_ty(&self, schema: &Schema, module: &[String], _ctx: &str) -> Result<Ty, GenerateError> {
        let plain = |t: String| Ty {
            text: t,
            record_args: Vec::new(),
            kind: Kind::Plain,
        };
        Ok(match schema {
            Schema::Record(r) => plain(path_from(module, &self.named[&full(&r.name)])),
            Schema::Enum(e) => plain(path_from(module, &self.named[&full(&e.name)])),
            Schema::Fixed(f) => plain(path_from(module, &self.named[&full(&f.name)])),
            Schema::Ref { name } => plain(path_from(module, &self.named[&full(name)])),
            Schema::Array(a) => {
                let i = self.peek_ty(&a.items, module, _ctx)?;
                Ty {
                    text: format!("Vec<{}>", i.text),
                    record_args: Vec::new(),
                    kind: Kind::Collection,
                }
            }
            Schema::Map(m) => {
                let i = self.peek_ty(&m.types, module, _ctx)?;
                Ty {
                    text: format!("{}<String, {}>", self.map_path(), i.text),
                    record_args: Vec::new(),
                    kind: Kind::Collection,
                }
            }
            Schema::Union(_) => {
                return Err(not_expressible(
                    _ctx,
                    "a record default holding a union field",
                ))
            }
            _ => plain(String::new()),
        })
    }

    /// The generated source: one module per namespace, nested by namespace part, then `checks`.
    pub(super) fn source(&self, checks: &str) -> String {
        nested_modules(&self.modules, checks)
    }
}

/// A collection's element needs no `Box` for recursion: the collection is the indirection.
fn unboxed(mut t: Ty) -> Ty {
    if let Some(inner) = t
        .text
        .strip_prefix("Box<")
        .and_then(|s| s.strip_suffix('>'))
    {
        t.text = inner.to_string();
    }
    t
}

fn inner_ty(t: &Ty, prefix: &str) -> Ty {
    let text = t
        .text
        .strip_prefix(prefix)
        .and_then(|s| s.strip_suffix('>'))
        .unwrap_or(&t.text)
        .to_string();
    Ty {
        kind: kind_of(&text),
        text,
        record_args: Vec::new(),
    }
}

fn value_ty_of(t: &Ty, map_path: &str) -> Ty {
    inner_ty(t, &format!("{map_path}<String, "))
}

/// The derive writes a nested `Option` as `["null", T]`, whose default can only be null (a
/// union's default is of its first branch).
fn nested_option_default<'a>(
    item: &Ty,
    mut values: impl Iterator<Item = &'a Json>,
    at: &str,
) -> Result<(), GenerateError> {
    if item.kind == Kind::Option && values.any(|v| !v.is_null()) {
        return Err(not_expressible(
            at,
            "a value default of an Option inside a list or map",
        ));
    }
    Ok(())
}

/// The kind of a type written by [`Emitter::ty`], from its text.
fn kind_of(text: &str) -> Kind {
    if text.starts_with("Option<") {
        Kind::Option
    } else if text.starts_with("Vec<") && text != "Vec<u8>"
        || text.starts_with("std::collections::BTreeMap<")
        || text.starts_with("indexmap::IndexMap<")
    {
        Kind::Collection
    } else {
        Kind::Plain
    }
}

fn is_logical(s: &Schema) -> bool {
    matches!(
        s,
        Schema::Uuid(_)
            | Schema::Date
            | Schema::TimeMillis
            | Schema::TimeMicros
            | Schema::TimestampMillis
            | Schema::TimestampMicros
            | Schema::LocalTimestampMillis
            | Schema::LocalTimestampMicros
            | Schema::Decimal(_)
    )
}

fn schema_kind(s: &Schema) -> &'static str {
    match s {
        Schema::Null => "null",
        Schema::Boolean => "boolean",
        Schema::Int => "int",
        Schema::Long => "long",
        Schema::Float => "float",
        Schema::Double => "double",
        Schema::Bytes => "bytes",
        Schema::String => "string",
        Schema::Array(_) => "array",
        Schema::Map(_) => "map",
        Schema::Union(_) => "union",
        Schema::Record(_) => "record",
        Schema::Enum(_) => "enum",
        Schema::Fixed(_) => "fixed",
        Schema::Ref { .. } => "reference",
        _ => "logical-type",
    }
}

/// A union branch's variant name: the type's name, or the primitive's.
fn variant_name(s: &Schema) -> String {
    match s {
        Schema::Record(RecordSchema { name, .. })
        | Schema::Enum(EnumSchema { name, .. })
        | Schema::Fixed(FixedSchema { name, .. })
        | Schema::Ref { name } => unkeyword(camel(name.name())),
        Schema::Decimal(_) => "Decimal".into(),
        Schema::Uuid(_) => "Uuid".into(),
        Schema::Date => "Date".into(),
        Schema::TimeMillis | Schema::TimeMicros => "Time".into(),
        Schema::TimestampMillis | Schema::TimestampMicros => "Timestamp".into(),
        Schema::LocalTimestampMillis | Schema::LocalTimestampMicros => "LocalTimestamp".into(),
        other => camel(schema_kind(other)),
    }
}
