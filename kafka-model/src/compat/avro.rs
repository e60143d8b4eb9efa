//! Avro reader/writer compatibility, on the Avro specification's schema-resolution rules.
//!
//! The rules are those of Apache Avro Java's `SchemaCompatibility` (which Confluent's registry
//! calls), written here from the specification:
//!
//! * promotions: `int` → `long`/`float`/`double`, `long` → `float`/`double`, `float` →
//!   `double`, `string` ↔ `bytes`; logical types are ignored;
//! * named types match on their **unqualified** names, or a reader alias naming the writer's
//!   full name; fixed sizes must be equal; every writer enum symbol must be in the reader unless
//!   the reader enum has a default;
//! * a reader field takes the writer field of its name or of one of its aliases, else it needs a
//!   default; writer-only fields are skipped;
//! * every branch of a writer union must be readable; a reader union reads a non-union writer
//!   when one of its branches does; a non-union reader reads a union writer when it reads every
//!   branch.
//!
//! Every incompatibility is reported with Java's location path and type name.
//!
//! ```
//! use kafka_model::compat::avro::{can_read, AvroDoc};
//!
//! let reader = AvroDoc::parse(r#"{"type":"enum","name":"Color","symbols":["RED","GREEN"]}"#)?;
//! let writer = AvroDoc::parse(r#"{"type":"enum","name":"Color","symbols":["RED","GREEN","BLUE"]}"#)?;
//! let issues = can_read(&reader, &writer);
//! assert_eq!(issues.len(), 1);
//! assert_eq!(issues[0].path, "/symbols");
//! assert_eq!(issues[0].message, "[BLUE]");
//! assert!(can_read(&writer, &reader).is_empty());
//! # Ok::<(), kafka_model::compat::CompatError>(())
//! ```

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::{Map, Value};

use super::SchemaRole;
use super::{
    CompatError, CompatReport, CompatibilityLevel, Direction, Incompatibility, IncompatibilityKind,
};

/// A parsed Avro schema, reduced to what schema resolution looks at.
///
/// Parsing is deliberately lenient where Confluent's registry is (defaults are not validated:
/// Confluent turns Avro's default validation off), and strict where resolution needs it (every
/// type name must resolve).
#[derive(Debug, Clone)]
pub struct AvroDoc {
    root: Node,
    named: Vec<Named>,
}

#[derive(Debug, Clone)]
enum Node {
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    String,
    Array(Box<Node>),
    Map(Box<Node>),
    Union(Vec<Node>),
    Named(usize),
}

#[derive(Debug, Clone)]
struct Named {
    /// Unqualified name.
    name: String,
    full_name: String,
    /// Full names.
    aliases: Vec<String>,
    body: NamedBody,
}

#[derive(Debug, Clone)]
enum NamedBody {
    Record(Vec<FieldDef>),
    Enum {
        symbols: Vec<String>,
        default: Option<String>,
    },
    Fixed(u64),
}

#[derive(Debug, Clone)]
struct FieldDef {
    name: String,
    aliases: Vec<String>,
    ty: Node,
    has_default: bool,
}

/// One reason a reader cannot read a writer's data (without the check's context).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadIssue {
    /// Apache Avro Java's incompatibility type.
    pub kind: IncompatibilityKind,
    /// Location in the reader schema (`/fields/0/type`; `/` is the root).
    pub path: String,
    /// Detail, worded as Java's (`expected: Record1`, `[C]`, `reader type: INT not compatible
    /// with writer type: LONG`, `reader union lacking writer type: STRING`).
    pub message: String,
}

impl AvroDoc {
    /// Parses Avro schema JSON text.
    ///
    /// # Errors
    ///
    /// [`CompatError::InvalidAvro`] when the text is not JSON or not an Avro schema (unknown
    /// type name, missing `name`/`fields`/`symbols`/`size`, a name defined twice).
    ///
    /// ```
    /// use kafka_model::compat::avro::AvroDoc;
    /// assert!(AvroDoc::parse(r#"["null", "string"]"#).is_ok());
    /// assert!(AvroDoc::parse(r#"{"type": "record", "name": "R"}"#).is_err());
    /// assert!(AvroDoc::parse(r#""Missing""#).is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Self, CompatError> {
        let value: Value = serde_json::from_str(text).map_err(|e| invalid(e.to_string()))?;
        Self::from_json(&value)
    }

    /// Parses an Avro schema given as a JSON value.
    ///
    /// # Errors
    ///
    /// As [`parse`](Self::parse).
    ///
    /// ```
    /// use kafka_model::compat::avro::AvroDoc;
    /// let doc = AvroDoc::from_json(&serde_json::json!({"type": "array", "items": "long"}))?;
    /// # let _ = doc;
    /// # Ok::<(), kafka_model::compat::CompatError>(())
    /// ```
    pub fn from_json(value: &Value) -> Result<Self, CompatError> {
        let mut parser = Parser {
            named: Vec::new(),
            by_name: HashMap::new(),
        };
        let root = parser.node(value, None)?;
        Ok(AvroDoc {
            root,
            named: parser.named,
        })
    }
}

fn invalid(reason: impl Into<String>) -> CompatError {
    CompatError::InvalidAvro {
        role: SchemaRole::Schema,
        reason: reason.into(),
    }
}

struct Parser {
    named: Vec<Named>,
    by_name: HashMap<String, usize>,
}

fn primitive(name: &str) -> Option<Node> {
    Some(match name {
        "null" => Node::Null,
        "boolean" => Node::Boolean,
        "int" => Node::Int,
        "long" => Node::Long,
        "float" => Node::Float,
        "double" => Node::Double,
        "bytes" => Node::Bytes,
        "string" => Node::String,
        _ => return None,
    })
}

/// `name` qualified by `namespace` unless it already holds a dot.
fn qualify(name: &str, namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) if !ns.is_empty() && !name.contains('.') => format!("{ns}.{name}"),
        _ => name.to_owned(),
    }
}

fn string_list(obj: &Map<String, Value>, key: &str) -> Result<Vec<String>, CompatError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| invalid(format!("`{key}` must hold strings")))
            })
            .collect(),
        Some(_) => Err(invalid(format!("`{key}` must be an array of strings"))),
    }
}

impl Parser {
    fn node(&mut self, value: &Value, namespace: Option<&str>) -> Result<Node, CompatError> {
        match value {
            Value::String(name) => self.reference(name, namespace),
            Value::Array(branches) => branches
                .iter()
                .map(|b| self.node(b, namespace))
                .collect::<Result<Vec<_>, _>>()
                .map(Node::Union),
            Value::Object(obj) => self.object(obj, namespace),
            other => Err(invalid(format!("not a schema: {other}"))),
        }
    }

    fn reference(&self, name: &str, namespace: Option<&str>) -> Result<Node, CompatError> {
        if let Some(p) = primitive(name) {
            return Ok(p);
        }
        let qualified = qualify(name, namespace);
        self.by_name
            .get(&qualified)
            .or_else(|| self.by_name.get(name))
            .map(|&i| Node::Named(i))
            .ok_or_else(|| invalid(format!("unknown type `{name}`")))
    }

    fn object(
        &mut self,
        obj: &Map<String, Value>,
        namespace: Option<&str>,
    ) -> Result<Node, CompatError> {
        let ty = obj
            .get("type")
            .ok_or_else(|| invalid("schema object without `type`"))?;
        let ty = match ty {
            Value::String(s) => s.as_str(),
            nested => return self.node(nested, namespace),
        };
        match ty {
            "record" | "error" | "enum" | "fixed" => self.named(ty, obj, namespace),
            "array" => {
                let items = obj
                    .get("items")
                    .ok_or_else(|| invalid("array without `items`"))?;
                Ok(Node::Array(Box::new(self.node(items, namespace)?)))
            }
            "map" => {
                let values = obj
                    .get("values")
                    .ok_or_else(|| invalid("map without `values`"))?;
                Ok(Node::Map(Box::new(self.node(values, namespace)?)))
            }
            other => self.reference(other, namespace),
        }
    }

    fn named(
        &mut self,
        ty: &str,
        obj: &Map<String, Value>,
        enclosing: Option<&str>,
    ) -> Result<Node, CompatError> {
        let raw_name = obj
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid(format!("{ty} without a string `name`")))?;
        let (namespace, name) = match raw_name.rsplit_once('.') {
            Some((ns, n)) => (Some(ns.to_owned()), n.to_owned()),
            None => (
                match obj.get("namespace") {
                    Some(Value::String(ns)) => Some(ns.clone()),
                    _ => enclosing.map(str::to_owned),
                },
                raw_name.to_owned(),
            ),
        };
        let namespace = namespace.filter(|ns| !ns.is_empty());
        let full_name = qualify(&name, namespace.as_deref());
        if self.by_name.contains_key(&full_name) {
            return Err(invalid(format!("`{full_name}` is defined twice")));
        }
        let aliases = string_list(obj, "aliases")?
            .iter()
            .map(|a| qualify(a, namespace.as_deref()))
            .collect();
        let index = self.named.len();
        // Registered before the body so that a record can refer to itself.
        self.named.push(Named {
            name,
            full_name: full_name.clone(),
            aliases,
            body: NamedBody::Fixed(0),
        });
        self.by_name.insert(full_name.clone(), index);
        let body = match ty {
            "enum" => NamedBody::Enum {
                symbols: string_list(obj, "symbols")?,
                default: obj
                    .get("default")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            },
            "fixed" => NamedBody::Fixed(
                obj.get("size")
                    .and_then(Value::as_u64)
                    .ok_or_else(|| invalid(format!("fixed `{full_name}` without a `size`")))?,
            ),
            _ => {
                let fields = obj
                    .get("fields")
                    .and_then(Value::as_array)
                    .ok_or_else(|| invalid(format!("record `{full_name}` without `fields`")))?;
                let mut defs = Vec::with_capacity(fields.len());
                for field in fields {
                    let f = field.as_object().ok_or_else(|| {
                        invalid(format!("a field of `{full_name}` is not an object"))
                    })?;
                    let fname = f.get("name").and_then(Value::as_str).ok_or_else(|| {
                        invalid(format!("a field of `{full_name}` has no string `name`"))
                    })?;
                    let fty = f.get("type").ok_or_else(|| {
                        invalid(format!("field `{fname}` of `{full_name}` has no `type`"))
                    })?;
                    defs.push(FieldDef {
                        name: fname.to_owned(),
                        aliases: string_list(f, "aliases")?,
                        ty: self.node(fty, namespace.as_deref())?,
                        has_default: f.contains_key("default"),
                    });
                }
                NamedBody::Record(defs)
            }
        };
        if let Some(slot) = self.named.get_mut(index) {
            slot.body = body;
        }
        Ok(Node::Named(index))
    }
}

/// The schema type as Java names it (`RECORD`, `INT`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    String,
    Array,
    Map,
    Union,
    Record,
    Enum,
    Fixed,
}

impl Ty {
    fn name(self) -> &'static str {
        match self {
            Ty::Null => "NULL",
            Ty::Boolean => "BOOLEAN",
            Ty::Int => "INT",
            Ty::Long => "LONG",
            Ty::Float => "FLOAT",
            Ty::Double => "DOUBLE",
            Ty::Bytes => "BYTES",
            Ty::String => "STRING",
            Ty::Array => "ARRAY",
            Ty::Map => "MAP",
            Ty::Union => "UNION",
            Ty::Record => "RECORD",
            Ty::Enum => "ENUM",
            Ty::Fixed => "FIXED",
        }
    }
}

fn ty_of(doc: &AvroDoc, node: &Node) -> Ty {
    match node {
        Node::Null => Ty::Null,
        Node::Boolean => Ty::Boolean,
        Node::Int => Ty::Int,
        Node::Long => Ty::Long,
        Node::Float => Ty::Float,
        Node::Double => Ty::Double,
        Node::Bytes => Ty::Bytes,
        Node::String => Ty::String,
        Node::Array(_) => Ty::Array,
        Node::Map(_) => Ty::Map,
        Node::Union(_) => Ty::Union,
        Node::Named(i) => match doc.named.get(*i).map(|n| &n.body) {
            Some(NamedBody::Record(_)) | None => Ty::Record,
            Some(NamedBody::Enum { .. }) => Ty::Enum,
            Some(NamedBody::Fixed(_)) => Ty::Fixed,
        },
    }
}

/// Every reason `reader` cannot read data written with `writer` (empty: it can).
///
/// This is Apache Avro Java's `SchemaCompatibility.checkReaderWriterCompatibility`, reporting
/// each incompatibility with its location; the registry uses it for subject compatibility.
///
/// ```
/// use kafka_model::compat::avro::{can_read, AvroDoc};
///
/// let int = AvroDoc::parse(r#""int""#)?;
/// let long = AvroDoc::parse(r#""long""#)?;
/// assert!(can_read(&long, &int).is_empty()); // int promotes to long
/// let issues = can_read(&int, &long);
/// assert_eq!(issues[0].kind.to_string(), "TYPE_MISMATCH");
/// assert_eq!(issues[0].path, "/");
/// # Ok::<(), kafka_model::compat::CompatError>(())
/// ```
pub fn can_read(reader: &AvroDoc, writer: &AvroDoc) -> Vec<ReadIssue> {
    let mut checker = Checker {
        reader,
        writer,
        in_progress: HashSet::new(),
    };
    let mut out = Vec::new();
    checker.check(&reader.root, &writer.root, &mut Vec::new(), &mut out);
    out
}

/// [`can_read`] on schema texts.
///
/// # Errors
///
/// [`CompatError::InvalidAvro`] when either schema does not parse (role
/// [`SchemaRole::New`] for the reader, [`SchemaRole::Previous`]`(0)` for the writer).
///
/// ```
/// let issues = kafka_model::compat::avro::can_read_str(r#"["null","string"]"#, r#""string""#)?;
/// assert!(issues.is_empty());
/// # Ok::<(), kafka_model::compat::CompatError>(())
/// ```
pub fn can_read_str(reader: &str, writer: &str) -> Result<Vec<ReadIssue>, CompatError> {
    let r = AvroDoc::parse(reader).map_err(|e| e.with_role(SchemaRole::New))?;
    let w = AvroDoc::parse(writer).map_err(|e| e.with_role(SchemaRole::Previous(0)))?;
    Ok(can_read(&r, &w))
}

/// Checks an Avro schema against previous ones at a Confluent level (see [`super::check`]).
///
/// # Errors
///
/// [`CompatError::InvalidAvro`] when the new schema or a checked previous schema does not
/// parse.
///
/// ```
/// use kafka_model::compat::{avro, CompatibilityLevel};
/// let old = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#;
/// let new = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"long"}]}"#;
/// assert!(avro::check(CompatibilityLevel::Backward, new, &[old])?.compatible);
/// assert!(!avro::check(CompatibilityLevel::Full, new, &[old])?.compatible);
/// # Ok::<(), kafka_model::compat::CompatError>(())
/// ```
pub fn check(
    level: CompatibilityLevel,
    new: &str,
    previous: &[&str],
) -> Result<CompatReport, CompatError> {
    let new_doc = AvroDoc::parse(new).map_err(|e| e.with_role(SchemaRole::New))?;
    let mut docs = Vec::new();
    for i in level.checked_indexes(previous.len()) {
        let text = previous.get(i).copied().unwrap_or_default();
        let doc = AvroDoc::parse(text).map_err(|e| e.with_role(SchemaRole::Previous(i)))?;
        docs.push((i, doc));
    }
    Ok(check_docs(level, &new_doc, &docs))
}

/// [`check`] on parsed schemas: `previous` pairs each schema with its index (oldest first).
/// Only the pairs the level checks are needed; others are ignored as the level says.
pub fn check_docs(
    level: CompatibilityLevel,
    new: &AvroDoc,
    previous: &[(usize, AvroDoc)],
) -> CompatReport {
    let mut issues = Vec::new();
    let checked: Vec<&(usize, AvroDoc)> = if level.is_transitive() {
        previous.iter().collect()
    } else {
        previous
            .iter()
            .max_by_key(|(i, _)| *i)
            .into_iter()
            .collect()
    };
    if level == CompatibilityLevel::None {
        return CompatReport::from_issues(issues);
    }
    for (index, doc) in checked {
        let mut push = |found: Vec<ReadIssue>, direction| {
            issues.extend(found.into_iter().map(|r| Incompatibility {
                path: r.path,
                kind: r.kind,
                message: r.message,
                previous: *index,
                direction,
            }));
        };
        if level.is_backward() {
            push(can_read(new, doc), Direction::Backward);
        }
        if level.is_forward() {
            push(can_read(doc, new), Direction::Forward);
        }
    }
    CompatReport::from_issues(issues)
}

struct Checker<'a> {
    reader: &'a AvroDoc,
    writer: &'a AvroDoc,
    /// Record pairs being checked: a recursive pair met again is taken as compatible.
    in_progress: HashSet<(usize, usize)>,
}

fn location(path: &[String]) -> String {
    if path.is_empty() {
        "/".to_owned()
    } else {
        path.iter().fold(String::new(), |mut s, p| {
            s.push('/');
            s.push_str(p);
            s
        })
    }
}

impl Checker<'_> {
    fn issue(
        out: &mut Vec<ReadIssue>,
        kind: IncompatibilityKind,
        path: &[String],
        message: String,
    ) {
        out.push(ReadIssue {
            kind,
            path: location(path),
            message,
        });
    }

    fn readable(&mut self, r: &Node, w: &Node, path: &mut Vec<String>) -> bool {
        let mut scratch = Vec::new();
        self.check(r, w, path, &mut scratch);
        scratch.is_empty()
    }

    fn check(&mut self, r: &Node, w: &Node, path: &mut Vec<String>, out: &mut Vec<ReadIssue>) {
        let rt = ty_of(self.reader, r);
        let wt = ty_of(self.writer, w);
        if rt == wt {
            self.same_type(r, w, path, out);
            return;
        }
        if let Node::Union(branches) = w {
            // A non-union reader must read every branch of the writer's union.
            for (i, branch) in branches.iter().enumerate() {
                path.push(i.to_string());
                self.check(r, branch, path, out);
                path.pop();
            }
            return;
        }
        let promoted = matches!(
            (rt, wt),
            (Ty::Long, Ty::Int)
                | (Ty::Float, Ty::Int | Ty::Long)
                | (Ty::Double, Ty::Int | Ty::Long | Ty::Float)
                | (Ty::Bytes, Ty::String)
                | (Ty::String, Ty::Bytes)
        );
        if promoted {
            return;
        }
        if let Node::Union(branches) = r {
            for branch in branches {
                if self.readable(branch, w, path) {
                    return;
                }
            }
            Self::issue(
                out,
                IncompatibilityKind::MissingUnionBranch,
                path,
                format!("reader union lacking writer type: {}", wt.name()),
            );
            return;
        }
        Self::issue(
            out,
            IncompatibilityKind::TypeMismatch,
            path,
            format!(
                "reader type: {} not compatible with writer type: {}",
                rt.name(),
                wt.name()
            ),
        );
    }

    fn same_type(&mut self, r: &Node, w: &Node, path: &mut Vec<String>, out: &mut Vec<ReadIssue>) {
        match (r, w) {
            (Node::Array(ri), Node::Array(wi)) => {
                path.push("items".to_owned());
                self.check(ri, wi, path, out);
                path.pop();
            }
            (Node::Map(rv), Node::Map(wv)) => {
                path.push("values".to_owned());
                self.check(rv, wv, path, out);
                path.pop();
            }
            (Node::Union(_), Node::Union(wb)) => {
                for (i, branch) in wb.iter().enumerate() {
                    path.push(i.to_string());
                    if !self.readable(r, branch, path) {
                        let wt = ty_of(self.writer, branch);
                        Self::issue(
                            out,
                            IncompatibilityKind::MissingUnionBranch,
                            path,
                            format!("reader union lacking writer type: {}", wt.name()),
                        );
                    }
                    path.pop();
                }
            }
            (Node::Named(ri), Node::Named(wi)) => self.named(*ri, *wi, path, out),
            _ => {} // identical primitives
        }
    }

    fn named(&mut self, ri: usize, wi: usize, path: &mut Vec<String>, out: &mut Vec<ReadIssue>) {
        let (Some(rn), Some(wn)) = (self.reader.named.get(ri), self.writer.named.get(wi)) else {
            return;
        };
        if rn.name != wn.name && !rn.aliases.contains(&wn.full_name) {
            path.push("name".to_owned());
            Self::issue(
                out,
                IncompatibilityKind::NameMismatch,
                path,
                format!("expected: {}", wn.full_name),
            );
            path.pop();
        }
        match (&rn.body, &wn.body) {
            (NamedBody::Fixed(rs), NamedBody::Fixed(ws)) if rs != ws => {
                path.push("size".to_owned());
                Self::issue(
                    out,
                    IncompatibilityKind::FixedSizeMismatch,
                    path,
                    format!("expected: {ws}, found: {rs}"),
                );
                path.pop();
            }
            (
                NamedBody::Enum {
                    symbols: rsym,
                    default,
                },
                NamedBody::Enum { symbols: wsym, .. },
            ) => {
                let missing: BTreeSet<&String> =
                    wsym.iter().filter(|s| !rsym.contains(s)).collect();
                let covered = default.as_ref().is_some_and(|d| rsym.contains(d));
                if !missing.is_empty() && !covered {
                    let list: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
                    path.push("symbols".to_owned());
                    Self::issue(
                        out,
                        IncompatibilityKind::MissingEnumSymbols,
                        path,
                        format!("[{}]", list.join(", ")),
                    );
                    path.pop();
                }
            }
            (NamedBody::Record(rf), NamedBody::Record(wf)) => {
                if !self.in_progress.insert((ri, wi)) {
                    return;
                }
                for (pos, field) in rf.iter().enumerate() {
                    path.push("fields".to_owned());
                    path.push(pos.to_string());
                    // By name, else by the reader field's aliases in order (never the
                    // writer's aliases).
                    let matched = wf.iter().find(|f| f.name == field.name).or_else(|| {
                        field
                            .aliases
                            .iter()
                            .find_map(|a| wf.iter().find(|f| f.name == *a))
                    });
                    match matched {
                        Some(wfield) => {
                            path.push("type".to_owned());
                            self.check(&field.ty, &wfield.ty, path, out);
                            path.pop();
                        }
                        None if !field.has_default => Self::issue(
                            out,
                            IncompatibilityKind::ReaderFieldMissingDefaultValue,
                            path,
                            field.name.clone(),
                        ),
                        None => {}
                    }
                    path.pop();
                    path.pop();
                }
                self.in_progress.remove(&(ri, wi));
            }
            _ => {}
        }
    }
}
