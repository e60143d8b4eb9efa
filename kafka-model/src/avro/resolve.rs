//! Schema resolution: reading data written with another version of a schema.
//!
//! [`Resolver::new`] compares a *writer* schema (what the producer used, e.g. fetched from a
//! registry by the id in the message) with a *reader* schema (ours) once, following the Avro
//! specification's "Schema Resolution" rules, and builds a plan. [`Resolver::transcode`] then
//! rewrites a writer datum into the reader's encoding, which the generated decoder reads:
//!
//! * records match by name (or a reader alias); fields match by name (or a reader field
//!   alias), in any order; writer fields the reader lacks are skipped; reader fields the writer
//!   lacks take the reader's default (an error if there is none);
//! * promotions: `int` → `long`, `float`, `double`; `long` → `float`, `double`;
//!   `float` → `double`; `string` ↔ `bytes`;
//! * enums: a writer symbol the reader lacks becomes the reader's enum default (an error if it
//!   has none, raised when such a symbol is read);
//! * fixed: same name and size;
//! * unions: a writer branch is read as the first reader branch that matches it (exactly first,
//!   then by promotion); a writer non-union is read as the first matching reader branch;
//! * arrays and maps resolve their items; nested and recursive records are resolved once.
//!
//! Logical types resolve as their underlying types. [`crate::Record::from_avro_with_writer`]
//! caches plans by (writer, reader) fingerprint and skips all this when the fingerprints are
//! equal.
//!
//! ```
//! use kafka_model::avro::resolve::Resolver;
//! use apache_avro::Schema;
//!
//! let writer = Schema::parse_str(r#"{"type":"record","name":"R","fields":[
//!     {"name":"a","type":"int"},{"name":"gone","type":"string"}]}"#)?;
//! let reader = Schema::parse_str(r#"{"type":"record","name":"R","fields":[
//!     {"name":"a","type":"long"},{"name":"b","type":"string","default":"x"}]}"#)?;
//! let plan = Resolver::new(&writer, &reader)?;
//! // a = 1, gone = "zz"  →  a = 1 (as long), b = "x"
//! assert_eq!(plan.transcode(&[0x02, 0x04, b'z', b'z'])?, [0x02, 0x02, b'x']);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

// Over 800 lines: the plan builder and the transcoder follow the specification's resolution rules
// in one recursion each; apart they could drift.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use apache_avro::schema::{RecordSchema, UnionSchema};
use apache_avro::Schema;
use serde_json::Value as Json;

use super::encode;
use super::error::{DecodeError, ResolveError};
use super::reader::Reader;

/// Why transcoding a datum failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum TranscodeError {
    /// The writer bytes are malformed.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// A value the reader schema cannot take (an enum symbol without reader default, a union
    /// branch with no reader match).
    #[error(transparent)]
    Resolve(#[from] ResolveError),
}

/// The base Avro type of a schema (logical types as their underlying types).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    String,
    Fixed,
    Enum,
    Record,
    Array,
    Map,
    Union,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Boolean => "boolean",
            Kind::Int => "int",
            Kind::Long => "long",
            Kind::Float => "float",
            Kind::Double => "double",
            Kind::Bytes => "bytes",
            Kind::String => "string",
            Kind::Fixed => "fixed",
            Kind::Enum => "enum",
            Kind::Record => "record",
            Kind::Array => "array",
            Kind::Map => "map",
            Kind::Union => "union",
        }
    }
}

/// A step of the plan: how one writer value becomes one reader value.
#[derive(Debug)]
enum Plan {
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    /// `string`, or `bytes` read as `string` (checked UTF-8).
    String,
    IntToLong,
    IntToFloat,
    IntToDouble,
    LongToFloat,
    LongToDouble,
    FloatToDouble,
    Fixed(usize),
    Enum {
        /// Reader index for each writer symbol (`Err(symbol)` when it has none).
        map: Vec<Result<usize, String>>,
        path: String,
    },
    Array(Box<Plan>),
    Map(Box<Plan>),
    /// Index into [`Resolver::records`].
    Record(usize),
    /// Writer union: per writer branch, the reader branch index (if the reader is a union)
    /// and the plan, or why it has none.
    Union {
        branches: Vec<Result<(Option<usize>, Plan), String>>,
        path: String,
    },
    /// Writer non-union read as reader union branch `index`.
    ToUnion(usize, Box<Plan>),
}

#[derive(Debug, Default)]
struct RecordPlan {
    /// Per writer field: the reader slot it fills, or `None` to skip it; and its plan.
    steps: Vec<(Option<usize>, Plan)>,
    /// Per reader field: the encoded default when the writer lacks it.
    defaults: Vec<Option<Vec<u8>>>,
    /// Writer fields in reader order already: no buffering needed.
    in_order: bool,
}

/// A resolution plan from one writer schema to one reader schema.
#[derive(Debug)]
pub struct Resolver {
    root: Plan,
    records: Vec<RecordPlan>,
}

struct Names<'s>(HashMap<String, &'s Schema>);

impl<'s> Names<'s> {
    fn of(schema: &'s Schema) -> Self {
        let mut names = Names(HashMap::new());
        names.collect(schema);
        names
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
            Schema::Union(u) => {
                for v in u.variants() {
                    self.collect(v);
                }
            }
            _ => {}
        }
    }

    fn deref(&self, s: &'s Schema, path: &str) -> Result<&'s Schema, ResolveError> {
        match s {
            Schema::Ref { name } => {
                let full = name.fullname(None);
                self.0.get(&full).copied().ok_or_else(|| {
                    ResolveError::new(
                        path,
                        "named type",
                        format!("`{full}` is referenced but not defined"),
                    )
                })
            }
            s => Ok(s),
        }
    }
}

fn kind(s: &Schema) -> Kind {
    match s {
        Schema::Null => Kind::Null,
        Schema::Boolean => Kind::Boolean,
        Schema::Int | Schema::Date | Schema::TimeMillis => Kind::Int,
        Schema::Long
        | Schema::TimeMicros
        | Schema::TimestampMillis
        | Schema::TimestampMicros
        | Schema::TimestampNanos
        | Schema::LocalTimestampMillis
        | Schema::LocalTimestampMicros
        | Schema::LocalTimestampNanos => Kind::Long,
        Schema::Float => Kind::Float,
        Schema::Double => Kind::Double,
        Schema::Bytes | Schema::BigDecimal => Kind::Bytes,
        Schema::String => Kind::String,
        Schema::Uuid(u) => match u {
            apache_avro::schema::UuidSchema::String => Kind::String,
            apache_avro::schema::UuidSchema::Bytes => Kind::Bytes,
            apache_avro::schema::UuidSchema::Fixed(_) => Kind::Fixed,
        },
        Schema::Decimal(d) => match d.inner {
            apache_avro::schema::InnerDecimalSchema::Bytes => Kind::Bytes,
            apache_avro::schema::InnerDecimalSchema::Fixed(_) => Kind::Fixed,
        },
        Schema::Fixed(_) | Schema::Duration(_) => Kind::Fixed,
        Schema::Enum(_) => Kind::Enum,
        Schema::Record(_) => Kind::Record,
        Schema::Array(_) => Kind::Array,
        Schema::Map(_) => Kind::Map,
        Schema::Union(_) => Kind::Union,
        // Refs are dereferenced before `kind` is asked.
        Schema::Ref { .. } => Kind::Record,
    }
}

/// Full name, short name, aliases (full) and fixed size of a named schema.
fn named(s: &Schema) -> Option<(String, String, Vec<String>, Option<usize>)> {
    let (name, aliases, size) = match s {
        Schema::Record(r) => (&r.name, &r.aliases, None),
        Schema::Enum(e) => (&e.name, &e.aliases, None),
        Schema::Fixed(f) | Schema::Duration(f) => (&f.name, &f.aliases, Some(f.size)),
        Schema::Decimal(apache_avro::schema::DecimalSchema {
            inner: apache_avro::schema::InnerDecimalSchema::Fixed(f),
            ..
        })
        | Schema::Uuid(apache_avro::schema::UuidSchema::Fixed(f)) => {
            (&f.name, &f.aliases, Some(f.size))
        }
        _ => return None,
    };
    let ns = name.namespace();
    let aliases = aliases.iter().flatten().map(|a| a.fullname(ns)).collect();
    Some((name.fullname(None), name.name().to_string(), aliases, size))
}

fn short(full: &str) -> &str {
    full.rsplit('.').next().unwrap_or(full)
}

/// Whether the reader's named type accepts the writer's by name: equal full or short names,
/// or a reader alias naming the writer type.
fn names_match(w: &Schema, r: &Schema) -> bool {
    match (named(w), named(r)) {
        (Some((wf, ws, _, _)), Some((rf, rs, ra, _))) => {
            wf == rf || ws == rs || ra.iter().any(|a| *a == wf || short(a) == ws)
        }
        _ => false,
    }
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

struct Builder<'w, 'r> {
    wnames: Names<'w>,
    rnames: Names<'r>,
    records: Vec<RecordPlan>,
    /// (writer full name, reader full name) → record plan index.
    seen: HashMap<(String, String), usize>,
}

impl Resolver {
    /// Builds the plan that reads `writer` data as `reader` data, or says which field breaks
    /// which rule.
    pub fn new(writer: &Schema, reader: &Schema) -> Result<Resolver, ResolveError> {
        Self::with_schemata(writer, &[], reader)
    }

    /// [`Resolver::new`] for a writer schema whose named types may be defined in `schemata`
    /// (the schemas its registry references name, as `Schema::parse_str_with_list` answers).
    pub fn with_schemata(
        writer: &Schema,
        schemata: &[Schema],
        reader: &Schema,
    ) -> Result<Resolver, ResolveError> {
        let mut wnames = Names(HashMap::new());
        for s in schemata {
            wnames.collect(s);
        }
        wnames.collect(writer);
        let mut b = Builder {
            wnames,
            rnames: Names::of(reader),
            records: Vec::new(),
            seen: HashMap::new(),
        };
        let root = b.plan(writer, reader, "")?;
        Ok(Resolver {
            root,
            records: b.records,
        })
    }

    /// Rewrites a writer datum into the reader schema's encoding. The whole input must be used.
    pub fn transcode(&self, bytes: &[u8]) -> Result<Vec<u8>, TranscodeError> {
        let mut out = Vec::with_capacity(bytes.len() + 16);
        let mut r = Reader::new(bytes);
        self.run(&self.root, &mut r, &mut out)?;
        r.finish()?;
        Ok(out)
    }

    fn run(&self, p: &Plan, r: &mut Reader<'_>, out: &mut Vec<u8>) -> Result<(), TranscodeError> {
        match p {
            Plan::Null => {}
            Plan::Boolean => encode::write_bool(out, r.read_bool()?),
            Plan::Int => encode::write_int(out, r.read_int()?),
            Plan::Long => encode::write_long(out, r.read_long()?),
            Plan::Float => encode::write_float(out, r.read_float()?),
            Plan::Double => encode::write_double(out, r.read_double()?),
            Plan::Bytes => encode::write_bytes(out, r.read_bytes()?),
            Plan::String => encode::write_str(out, r.read_str()?),
            Plan::IntToLong => encode::write_long(out, i64::from(r.read_int()?)),
            Plan::IntToFloat => encode::write_float(out, r.read_int()? as f32),
            Plan::IntToDouble => encode::write_double(out, f64::from(r.read_int()?)),
            Plan::LongToFloat => encode::write_float(out, r.read_long()? as f32),
            Plan::LongToDouble => encode::write_double(out, r.read_long()? as f64),
            Plan::FloatToDouble => encode::write_double(out, f64::from(r.read_float()?)),
            Plan::Fixed(n) => encode::write_fixed(out, r.read_fixed(*n)?),
            Plan::Enum { map, path } => {
                let i = r.read_enum_index(map.len())?;
                match &map[i] {
                    Ok(j) => encode::write_index(out, *j),
                    Err(symbol) => {
                        return Err(ResolveError::new(
                            path.clone(),
                            "enum symbol",
                            format!("the writer's symbol `{symbol}` is not in the reader's enum, which has no default"),
                        )
                        .into())
                    }
                }
            }
            Plan::Array(item) => self.blocks(item, r, out, false)?,
            Plan::Map(value) => self.blocks(value, r, out, true)?,
            Plan::Record(i) => self.record(&self.records[*i], r, out)?,
            Plan::Union { branches, path } => {
                let i = r.read_union_index(branches.len())?;
                match &branches[i] {
                    Ok((index, plan)) => {
                        if let Some(j) = index {
                            encode::write_index(out, *j);
                        }
                        self.run(plan, r, out)?;
                    }
                    Err(why) => {
                        return Err(
                            ResolveError::new(path.clone(), "union branch", why.clone()).into()
                        )
                    }
                }
            }
            Plan::ToUnion(j, plan) => {
                encode::write_index(out, *j);
                self.run(plan, r, out)?;
            }
        }
        Ok(())
    }

    fn blocks(
        &self,
        item: &Plan,
        r: &mut Reader<'_>,
        out: &mut Vec<u8>,
        map: bool,
    ) -> Result<(), TranscodeError> {
        let what = if map { "map entries" } else { "array items" };
        loop {
            let n = r.read_block_count(what)?;
            if n == 0 {
                break;
            }
            encode::write_len(out, n);
            for _ in 0..n {
                if map {
                    encode::write_str(out, r.read_str()?);
                }
                self.run(item, r, out)?;
            }
        }
        encode::write_block_end(out);
        Ok(())
    }

    fn record(
        &self,
        rp: &RecordPlan,
        r: &mut Reader<'_>,
        out: &mut Vec<u8>,
    ) -> Result<(), TranscodeError> {
        r.enter()?;
        self.record_fields(rp, r, out)?;
        r.leave();
        Ok(())
    }

    fn record_fields(
        &self,
        rp: &RecordPlan,
        r: &mut Reader<'_>,
        out: &mut Vec<u8>,
    ) -> Result<(), TranscodeError> {
        if rp.in_order {
            for (slot, plan) in &rp.steps {
                if slot.is_some() {
                    self.run(plan, r, out)?;
                } else {
                    self.run(plan, r, &mut Vec::new())?;
                }
            }
            for d in rp.defaults.iter().flatten() {
                out.extend_from_slice(d);
            }
            return Ok(());
        }
        let mut tmp = Vec::new();
        let mut ranges: Vec<Option<(usize, usize)>> = vec![None; rp.defaults.len()];
        let mut skipped = Vec::new();
        for (slot, plan) in &rp.steps {
            match slot {
                Some(s) => {
                    let start = tmp.len();
                    self.run(plan, r, &mut tmp)?;
                    ranges[*s] = Some((start, tmp.len()));
                }
                None => {
                    skipped.clear();
                    self.run(plan, r, &mut skipped)?;
                }
            }
        }
        for (i, range) in ranges.iter().enumerate() {
            match (range, &rp.defaults[i]) {
                (Some((a, b)), _) => out.extend_from_slice(&tmp[*a..*b]),
                (None, Some(d)) => out.extend_from_slice(d),
                // The builder gives every reader field a writer field or a default.
                (None, None) => {}
            }
        }
        Ok(())
    }
}

impl<'w, 'r> Builder<'w, 'r> {
    fn plan(&mut self, w: &'w Schema, r: &'r Schema, path: &str) -> Result<Plan, ResolveError> {
        let w = self.wnames.deref(w, path)?;
        let r = self.rnames.deref(r, path)?;
        let (wk, rk) = (kind(w), kind(r));
        if wk == Kind::Union {
            let Schema::Union(wu) = w else {
                unreachable!("kind union")
            };
            let mut branches = Vec::new();
            for wb in wu.variants() {
                branches.push(match rk {
                    Kind::Union => {
                        let Schema::Union(ru) = r else { unreachable!("kind union") };
                        match self.union_match(wb, ru, path)? {
                            Some((j, p)) => Ok((Some(j), p)),
                            None => Err(format!(
                                "the writer's union branch `{}` matches no branch of the reader's union",
                                self.describe_w(wb)
                            )),
                        }
                    }
                    _ => match self.plan(wb, r, path) {
                        Ok(p) => Ok((None, p)),
                        Err(e) => Err(format!(
                            "the writer's union branch `{}` cannot be read as the reader's `{}`: {}",
                            self.describe_w(wb),
                            rk.name(),
                            e.message()
                        )),
                    },
                });
            }
            return Ok(Plan::Union {
                branches,
                path: path.to_string(),
            });
        }
        if rk == Kind::Union {
            let Schema::Union(ru) = r else {
                unreachable!("kind union")
            };
            return match self.union_match(w, ru, path)? {
                Some((j, p)) => Ok(Plan::ToUnion(j, Box::new(p))),
                None => Err(ResolveError::new(
                    path,
                    "union branch",
                    format!(
                        "the writer's `{}` matches no branch of the reader's union",
                        self.describe_w(w)
                    ),
                )),
            };
        }
        let mismatch = || {
            ResolveError::new(
                path,
                "type match / promotion",
                format!(
                    "the writer's `{}` cannot be read as the reader's `{}`",
                    wk.name(),
                    rk.name()
                ),
            )
        };
        Ok(match (wk, rk) {
            (Kind::Null, Kind::Null) => Plan::Null,
            (Kind::Boolean, Kind::Boolean) => Plan::Boolean,
            (Kind::Int, Kind::Int) => Plan::Int,
            (Kind::Int, Kind::Long) => Plan::IntToLong,
            (Kind::Int, Kind::Float) => Plan::IntToFloat,
            (Kind::Int, Kind::Double) => Plan::IntToDouble,
            (Kind::Long, Kind::Long) => Plan::Long,
            (Kind::Long, Kind::Float) => Plan::LongToFloat,
            (Kind::Long, Kind::Double) => Plan::LongToDouble,
            (Kind::Float, Kind::Float) => Plan::Float,
            (Kind::Float, Kind::Double) => Plan::FloatToDouble,
            (Kind::Double, Kind::Double) => Plan::Double,
            (Kind::Bytes, Kind::Bytes) | (Kind::String, Kind::Bytes) => Plan::Bytes,
            (Kind::String, Kind::String) | (Kind::Bytes, Kind::String) => Plan::String,
            (Kind::Fixed, Kind::Fixed) => {
                let (Some((wf, _, _, Some(ws))), Some((rf, _, _, Some(rs)))) = (named(w), named(r))
                else {
                    return Err(mismatch());
                };
                if !names_match(w, r) {
                    return Err(ResolveError::new(path, "named type", format!("the writer's fixed `{wf}` is not the reader's `{rf}` (names and aliases differ)")));
                }
                if ws != rs {
                    return Err(ResolveError::new(
                        path,
                        "fixed size",
                        format!("the writer's fixed `{wf}` has {ws} bytes, the reader's {rs}"),
                    ));
                }
                Plan::Fixed(ws)
            }
            (Kind::Enum, Kind::Enum) => {
                let (Schema::Enum(we), Schema::Enum(re)) = (w, r) else {
                    return Err(mismatch());
                };
                if !names_match(w, r) {
                    return Err(ResolveError::new(path, "named type", format!("the writer's enum `{}` is not the reader's `{}` (names and aliases differ)", we.name.fullname(None), re.name.fullname(None))));
                }
                let default = re
                    .default
                    .as_ref()
                    .and_then(|d| re.symbols.iter().position(|s| s == d));
                let map = we
                    .symbols
                    .iter()
                    .map(|s| {
                        re.symbols
                            .iter()
                            .position(|x| x == s)
                            .or(default)
                            .ok_or_else(|| s.clone())
                    })
                    .collect();
                Plan::Enum {
                    map,
                    path: path.to_string(),
                }
            }
            (Kind::Array, Kind::Array) => {
                let (Schema::Array(wa), Schema::Array(ra)) = (w, r) else {
                    return Err(mismatch());
                };
                Plan::Array(Box::new(self.plan(
                    &wa.items,
                    &ra.items,
                    &join(path, "[]"),
                )?))
            }
            (Kind::Map, Kind::Map) => {
                let (Schema::Map(wm), Schema::Map(rm)) = (w, r) else {
                    return Err(mismatch());
                };
                Plan::Map(Box::new(self.plan(
                    &wm.types,
                    &rm.types,
                    &join(path, "{}"),
                )?))
            }
            (Kind::Record, Kind::Record) => {
                let (Schema::Record(wr), Schema::Record(rr)) = (w, r) else {
                    return Err(mismatch());
                };
                if !names_match(w, r) {
                    return Err(ResolveError::new(path, "named type", format!("the writer's record `{}` is not the reader's `{}` (names and aliases differ)", wr.name.fullname(None), rr.name.fullname(None))));
                }
                Plan::Record(self.record(wr, rr, path)?)
            }
            _ => return Err(mismatch()),
        })
    }

    fn record(
        &mut self,
        wr: &'w RecordSchema,
        rr: &'r RecordSchema,
        path: &str,
    ) -> Result<usize, ResolveError> {
        let key = (wr.name.fullname(None), rr.name.fullname(None));
        if let Some(i) = self.seen.get(&key) {
            return Ok(*i);
        }
        let index = self.records.len();
        self.records.push(RecordPlan::default());
        self.seen.insert(key, index);
        let mut steps = Vec::with_capacity(wr.fields.len());
        let mut filled = vec![false; rr.fields.len()];
        for wf in &wr.fields {
            let slot = rr
                .fields
                .iter()
                .position(|rf| rf.name == wf.name)
                .or_else(|| {
                    rr.fields
                        .iter()
                        .position(|rf| rf.aliases.contains(&wf.name))
                });
            let fpath = join(path, &wf.name);
            match slot {
                Some(s) if !filled[s] => {
                    filled[s] = true;
                    let plan = self.plan(
                        &wf.schema,
                        &rr.fields[s].schema,
                        &join(path, &rr.fields[s].name),
                    )?;
                    steps.push((Some(s), plan));
                }
                _ => {
                    let plan = self.skip_plan(&wf.schema, &fpath)?;
                    steps.push((None, plan));
                }
            }
        }
        let mut defaults = Vec::with_capacity(rr.fields.len());
        for (i, rf) in rr.fields.iter().enumerate() {
            if filled[i] {
                defaults.push(None);
                continue;
            }
            let fpath = join(path, &rf.name);
            let Some(d) = &rf.default else {
                return Err(ResolveError::new(
                    fpath,
                    "field without default",
                    format!(
                        "the reader's field `{}` is not in the writer's record `{}` and has no default",
                        rf.name,
                        wr.name.fullname(None)
                    ),
                ));
            };
            let mut out = Vec::new();
            encode_default(&self.rnames, &rf.schema, d, &mut out, &fpath, 0)?;
            defaults.push(Some(out));
        }
        let order: Vec<usize> = steps.iter().filter_map(|(s, _)| *s).collect();
        let in_order = order.windows(2).all(|w| w[0] < w[1])
            && defaults
                .iter()
                .enumerate()
                .all(|(i, d)| d.is_none() || order.iter().all(|s| *s < i));
        self.records[index] = RecordPlan {
            steps,
            defaults,
            in_order,
        };
        Ok(index)
    }

    /// A plan that reads (and discards) a writer value.
    fn skip_plan(&mut self, w: &'w Schema, path: &str) -> Result<Plan, ResolveError> {
        // Resolving the writer schema against itself reads exactly its bytes.
        let mut b = Builder {
            wnames: Names(self.wnames.0.clone()),
            rnames: Names(self.wnames.0.clone()),
            records: std::mem::take(&mut self.records),
            seen: HashMap::new(),
        };
        // Record plans for the identity resolution live in the same arena under a distinct key.
        let result = b.plan(w, w, path);
        let (records, seen) = (b.records, b.seen);
        self.records = records;
        for ((wn, _), i) in seen {
            self.seen
                .entry((format!("\u{0}skip:{wn}"), String::new()))
                .or_insert(i);
        }
        result
    }

    fn describe_w(&self, s: &Schema) -> String {
        match self.wnames.deref(s, "") {
            Ok(s) => named(s).map_or_else(|| kind(s).name().to_string(), |n| n.0),
            Err(_) => "?".into(),
        }
    }

    /// The first reader branch matching writer schema `w`: first an exact match (same type, or
    /// same name for named types), then one by promotion.
    fn union_match(
        &mut self,
        w: &'w Schema,
        ru: &'r UnionSchema,
        path: &str,
    ) -> Result<Option<(usize, Plan)>, ResolveError> {
        let w = self.wnames.deref(w, path)?;
        let wk = kind(w);
        let branches: Vec<&'r Schema> = ru.variants().iter().collect();
        let mut exact = None;
        for (j, rb) in branches.iter().enumerate() {
            let rb = self.rnames.deref(rb, path)?;
            let rk = kind(rb);
            let same = wk == rk
                && match wk {
                    Kind::Record | Kind::Enum | Kind::Fixed => names_match(w, rb),
                    _ => true,
                };
            if same {
                exact = Some((j, rb));
                break;
            }
        }
        if let Some((j, rb)) = exact {
            return self.plan(w, rb, path).map(|p| Some((j, p)));
        }
        for (j, rb) in branches.iter().enumerate() {
            let rb = self.rnames.deref(rb, path)?;
            if kind(rb) == Kind::Union {
                continue;
            }
            let promotable = matches!(
                (wk, kind(rb)),
                (Kind::Int, Kind::Long | Kind::Float | Kind::Double)
                    | (Kind::Long, Kind::Float | Kind::Double)
                    | (Kind::Float, Kind::Double)
                    | (Kind::String, Kind::Bytes)
                    | (Kind::Bytes, Kind::String)
            );
            if promotable {
                return self.plan(w, rb, path).map(|p| Some((j, p)));
            }
        }
        Ok(None)
    }
}

/// Encodes a reader field's JSON default in the reader schema's binary form (a union default
/// takes the union's first branch; bytes and fixed defaults are strings of code points 0-255).
fn encode_default(
    names: &Names<'_>,
    s: &Schema,
    d: &Json,
    out: &mut Vec<u8>,
    path: &str,
    depth: usize,
) -> Result<(), ResolveError> {
    let bad = |why: &str| {
        ResolveError::new(
            path,
            "field default",
            format!("the reader's default {d} {why}"),
        )
    };
    if depth > 64 {
        return Err(bad("nests too deeply"));
    }
    let s = names.deref(s, path)?;
    let latin1 = |d: &Json| -> Result<Vec<u8>, ResolveError> {
        let text = d.as_str().ok_or_else(|| bad("is not a string"))?;
        text.chars()
            .map(|c| u8::try_from(u32::from(c)).map_err(|_| bad("has a character above U+00FF")))
            .collect()
    };
    match (kind(s), s) {
        (Kind::Null, _) => {
            if !d.is_null() {
                return Err(bad("is not null"));
            }
        }
        (Kind::Boolean, _) => {
            encode::write_bool(out, d.as_bool().ok_or_else(|| bad("is not a boolean"))?)
        }
        (Kind::Int, _) => {
            let v = d
                .as_i64()
                .and_then(|v| i32::try_from(v).ok())
                .ok_or_else(|| bad("is not an int"))?;
            encode::write_int(out, v)
        }
        (Kind::Long, _) => encode::write_long(out, d.as_i64().ok_or_else(|| bad("is not a long"))?),
        (Kind::Float, _) => encode::write_float(
            out,
            json_f64(d).ok_or_else(|| bad("is not a number"))? as f32,
        ),
        (Kind::Double, _) => {
            encode::write_double(out, json_f64(d).ok_or_else(|| bad("is not a number"))?)
        }
        (Kind::String, _) => {
            encode::write_str(out, d.as_str().ok_or_else(|| bad("is not a string"))?)
        }
        (Kind::Bytes, _) => encode::write_bytes(out, &latin1(d)?),
        (Kind::Fixed, _) => {
            let b = latin1(d)?;
            if let Some((_, _, _, Some(n))) = named(s) {
                if b.len() != n {
                    return Err(bad("has the wrong length for the fixed type"));
                }
            }
            encode::write_fixed(out, &b)
        }
        (Kind::Enum, Schema::Enum(e)) => {
            let sym = d.as_str().ok_or_else(|| bad("is not a string"))?;
            let i = e
                .symbols
                .iter()
                .position(|x| x == sym)
                .ok_or_else(|| bad("is not a symbol of the enum"))?;
            encode::write_index(out, i)
        }
        (Kind::Array, Schema::Array(a)) => {
            let items = d.as_array().ok_or_else(|| bad("is not an array"))?;
            if !items.is_empty() {
                encode::write_len(out, items.len());
                for item in items {
                    encode_default(names, &a.items, item, out, path, depth + 1)?;
                }
            }
            encode::write_block_end(out)
        }
        (Kind::Map, Schema::Map(m)) => {
            let entries = d.as_object().ok_or_else(|| bad("is not an object"))?;
            if !entries.is_empty() {
                encode::write_len(out, entries.len());
                for (k, v) in entries {
                    encode::write_str(out, k);
                    encode_default(names, &m.types, v, out, path, depth + 1)?;
                }
            }
            encode::write_block_end(out)
        }
        (Kind::Record, Schema::Record(r)) => {
            let obj = d.as_object().ok_or_else(|| bad("is not an object"))?;
            for f in &r.fields {
                let v = obj
                    .get(&f.name)
                    .or(f.default.as_ref())
                    .ok_or_else(|| bad("lacks a field that has no default"))?;
                encode_default(names, &f.schema, v, out, &join(path, &f.name), depth + 1)?;
            }
        }
        (Kind::Union, Schema::Union(u)) => {
            let first = u
                .variants()
                .first()
                .ok_or_else(|| bad("is for an empty union"))?;
            encode::write_index(out, 0);
            encode_default(names, first, d, out, path, depth + 1)?
        }
        _ => return Err(bad("does not fit the type")),
    }
    Ok(())
}

fn json_f64(d: &Json) -> Option<f64> {
    match d {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => match s.as_str() {
            "NaN" => Some(f64::NAN),
            "Infinity" => Some(f64::INFINITY),
            "-Infinity" => Some(f64::NEG_INFINITY),
            _ => None,
        },
        _ => None,
    }
}

/// The CRC-64-AVRO fingerprint of a parsed schema's Parsing Canonical Form.
pub fn fingerprint(schema: &Schema) -> Result<u64, ResolveError> {
    let json = serde_json::to_value(schema).map_err(|e| {
        ResolveError::new(
            "",
            "schema",
            format!("the writer schema does not serialize: {e}"),
        )
    })?;
    Ok(crate::schema::avro::rabin_fingerprint(
        crate::schema::avro::canonical_form(&json).as_bytes(),
    ))
}

type PlanCache = Mutex<HashMap<(u64, std::any::TypeId), Arc<Resolver>>>;

/// The plan from `writer` to `reader` (the schema of the Rust type `reader_type`), built once
/// per (writer fingerprint, reader type). The reader is keyed by type, not by fingerprint: the
/// canonical form leaves out defaults and aliases, which resolution depends on.
pub fn cached(
    writer: &Schema,
    writer_fp: u64,
    reader: &Schema,
    reader_type: std::any::TypeId,
) -> Result<Arc<Resolver>, ResolveError> {
    static CACHE: OnceLock<PlanCache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (writer_fp, reader_type);
    if let Some(p) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(Arc::clone(p));
    }
    let plan = Arc::new(Resolver::new(writer, reader)?);
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, Arc::clone(&plan));
    Ok(plan)
}
