//! Protobuf (proto3) schema rendering.
//!
//! A model renders to one `.proto` file per package (namespace): every reachable type of a
//! package is declared in that package's file, named after the package
//! (`com.acme.orders` → `com/acme/orders.proto`); types without a namespace go into
//! `<snake_case of the root name>.proto`. Types of other packages are referenced by full name
//! and imported. Declarations follow the depth-first, first-use order of
//! [`named_types`](crate::model::named_types()), so the root type is always the first declaration
//! of [`ProtoSchema::main`] (its Confluent message index is `[0]` when it is a message).
//!
//! A type with `#[record(parent = Outer)]` is declared inside `Outer`'s message (declarations
//! first, then fields), with `Outer` (and what it reaches) rendered even when the root does not
//! reach it; its full name is [`Model::proto_full_name`] and the root's Confluent path is
//! [`ProtoSchema::message_indexes`] (`[0, 0]` for a root declared first inside the first message).
//! A field with `#[record(oneof)]` holding an enum with data renders as a `oneof` named after
//! the field in the enclosing message, the members numbered by the variants' `tag`s.
//!
//! Mapping (see the crate's type table): records are messages with fields numbered by
//! [`Field::tag`]; unit-only enums are proto enums with a zero value `<ENUM>_UNSPECIFIED` (unless
//! a symbol is numbered 0: then it is the zero value) and
//! values prefixed with the enum name in `SCREAMING_SNAKE_CASE`; enums with data are messages
//! holding one `oneof`. `Option` of a scalar or enum is `optional`, `Option` of a message is the
//! plain message field (messages have presence). A list, map or `Option` where protobuf needs
//! one value (a list element, a map value, the value of an `Option`: `Vec<Vec<T>>`,
//! `Option<Vec<T>>`, `Vec<Option<T>>`, `HashMap<String, Vec<T>>`, ...) is a wrapper message
//! declared first in the enclosing message, with one field `value = 1`, named from its shape
//! (`Int64List`, `StringMap`, `Int64Value`, `Int64ListList`) so equal shapes share one
//! declaration. `chrono::NaiveDate` is an `int32` of days since
//! 1970-01-01 and `rust_decimal::Decimal` a `string`; timestamps are `google.protobuf.Timestamp`.
//! Data-governance tags become `[(confluent.field_meta) = { tags: [...] }]` options, declared by
//! [`CONFLUENT_META_PROTO`].
//!
//! ```
//! use kafka_model::Record;
//!
//! #[derive(Record, serde::Serialize, serde::Deserialize)]
//! #[record(namespace = "com.acme")]
//! struct Ping {
//!     seq: u32,
//!     note: Option<String>,
//! }
//!
//! let schema = kafka_model::schema::proto::render(Ping::model())?;
//! assert_eq!(schema.message_name(), "com.acme.Ping");
//! assert_eq!(schema.main().name, "com/acme.proto");
//! assert!(schema.main().text.contains("optional string note = 2;"));
//! # Ok::<(), kafka_model::SchemaError>(())
//! ```

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::model::{
    named_types, Field, FieldOptions, IntEncoding, IntKind, MapKey, Model, Payload, Shape, Symbol,
    Type, Union, Variant,
};
use crate::SchemaError;

/// The canonical `confluent/meta.proto` (Confluent's `protobuf-types`): `confluent.Meta`
/// (doc, params, tags, rules) and `confluent.Rule`, with the extensions `file_meta`,
/// `message_meta`, `field_meta`, `enum_meta` and `enum_value_meta`, all numbered 1088.
///
/// Rendered files import it as `confluent/meta.proto` when a field has tags. Schema registries
/// treat it as a well-known file (not a registered reference); tools that compile the rendered
/// files need it on their include path.
pub const CONFLUENT_META_PROTO: &str = include_str!("../../proto/confluent/meta.proto");

/// Import path of [`CONFLUENT_META_PROTO`].
const CONFLUENT_META_FILE: &str = "confluent/meta.proto";
/// Import path of `google.protobuf.Timestamp`.
const TIMESTAMP_FILE: &str = "google/protobuf/timestamp.proto";
const EMPTY_FILE: &str = "google/protobuf/empty.proto";
/// `SchemaError` format name.
const FORMAT: &str = "Protobuf";
/// Largest protobuf field number.
const MAX_FIELD_NUMBER: u32 = 536_870_911;
/// Field numbers reserved by the protobuf implementation.
const RESERVED_FIELD_NUMBERS: std::ops::RangeInclusive<u32> = 19_000..=19_999;

/// One `.proto` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtoFile {
    /// Path used in `import` statements (`com/acme/orders.proto`).
    pub name: String,
    /// The file's text.
    pub text: String,
}

/// A rendered Protobuf schema: the root type's file first, then the files of the project's own
/// types it imports (one per package).
#[derive(Debug, Clone)]
pub struct ProtoSchema {
    /// Never empty: the main file is first.
    files: Vec<ProtoFile>,
    message_name: String,
    well_known: Vec<&'static str>,
    message_indexes: Vec<u32>,
}

impl ProtoSchema {
    /// The file declaring the root type (first declaration of the file).
    pub fn main(&self) -> &ProtoFile {
        &self.files[0]
    }

    /// Every file rendered for the type: [`main`](Self::main) first, then the files it imports
    /// (directly or not) that hold the project's own types. Well-known files
    /// (`google/protobuf/*`, `confluent/meta.proto`) are not included: see
    /// [`imports_well_known`](Self::imports_well_known).
    pub fn files(&self) -> &[ProtoFile] {
        &self.files
    }

    /// Fully-qualified name of the root type (`com.acme.Order`; `com.acme.Outer.Inner` for a
    /// type declared inside another with `#[record(parent = ..)]`).
    pub fn message_name(&self) -> &str {
        &self.message_name
    }

    /// The root type's Confluent message indexes in [`main`](Self::main): its position among
    /// the file's top-level messages, then among the messages declared in each enclosing message
    /// (`[0]` for a top-level root, which is always the file's first declaration; `[0, 1]` for
    /// the second message declared inside it).
    pub fn message_indexes(&self) -> &[u32] {
        &self.message_indexes
    }

    /// The well-known files imported anywhere in [`files`](Self::files), sorted
    /// (`["confluent/meta.proto", "google/protobuf/timestamp.proto"]`).
    pub fn imports_well_known(&self) -> Vec<&'static str> {
        self.well_known.clone()
    }
}

/// Renders the proto3 schema of a model and every type it reaches.
///
/// Fails with [`SchemaError::NameCollision`] when two types share a full name, and with
/// [`SchemaError::Unrepresentable`] when a type has no proto3 form (e.g. `Option<Option<T>>`,
/// zigzag on an unsigned integer, enum values clashing in one package, packages that would
/// import each other, a wrapper message named like a type declared in the message).
pub fn render(model: &'static Model) -> Result<ProtoSchema, SchemaError> {
    if let Shape::Primitive(t) = model.shape {
        return Err(SchemaError::Unrepresentable {
            format: FORMAT,
            record: model.rust_name,
            field: model.name,
            ty: t.to_string(),
            reason: "a Protobuf value is a message: a top-level primitive has no Protobuf form; wrap it in a record".into(),
        });
    }
    // Named fixed types are plain `bytes` in Protobuf: no declaration of their own.
    let mut types: Vec<_> = named_types(model)?
        .into_iter()
        .filter(|m| {
            !matches!(
                m.shape,
                Shape::Fixed(_) | Shape::Duration | Shape::Primitive(_)
            )
        })
        .collect();
    add_parents(&mut types)?;
    let unpackaged = format!("{}.proto", snake_case(model.name));
    let renderer = Renderer::new(&types, unpackaged)?;
    let message_indexes = renderer.message_indexes(model);
    let files = renderer.render()?;
    Ok(ProtoSchema {
        files: files.files,
        message_name: model.proto_full_name(),
        well_known: files.well_known,
        message_indexes,
    })
}

/// Adds to `types` the types that declare them (`#[record(parent = ..)]`), and what those
/// reach, until every parent is there: a nested message is rendered inside its parent's.
fn add_parents(types: &mut Vec<&'static Model>) -> Result<(), SchemaError> {
    let mut i = 0;
    while i < types.len() {
        let m = types[i];
        i += 1;
        let Some(parent) = m.parent else { continue };
        let p = parent();
        if std::ptr::eq(p, m) {
            return Err(model_error(
                m,
                "the type names itself as its `parent`".into(),
            ));
        }
        if types.iter().any(|t| std::ptr::eq(*t, p)) {
            continue;
        }
        for t in named_types(p)? {
            let full = t.full_name();
            match types.iter().find(|s| s.full_name() == full) {
                Some(seen) if std::ptr::eq(*seen, t) => {}
                Some(seen) => {
                    return Err(SchemaError::NameCollision {
                        full_name: full,
                        first: seen.rust_name,
                        second: t.rust_name,
                    })
                }
                None => types.push(t),
            }
        }
    }
    Ok(())
}

/// Import path of the file holding the types without a namespace in a [`ProtoRoot`] (`_`
/// stands for "no package", as prost-build names its output for such files).
pub const UNPACKAGED_FILE: &str = "_.proto";

/// One proto root for a set of models: one file per package, each declaring every type of its
/// package that any of the models reaches, importing the files of the other packages it uses.
/// Compile the whole root with one `protoc -I <root> <every file>`.
#[derive(Debug, Clone)]
pub struct ProtoRoot {
    files: Vec<ProtoFile>,
    well_known: Vec<&'static str>,
}

impl ProtoRoot {
    /// The files, sorted by import path.
    pub fn files(&self) -> &[ProtoFile] {
        &self.files
    }

    /// The well-known files imported anywhere in [`files`](Self::files), sorted.
    pub fn imports_well_known(&self) -> Vec<&'static str> {
        self.well_known.clone()
    }
}

/// Renders the models and every type they reach as one proto root (see [`ProtoRoot`]).
///
/// The models are taken in full-name order and each type is declared once, in the depth-first
/// first-use order of [`named_types`](crate::model::named_types()), so the output does not
/// depend on the order of `models`. Types without a namespace go into [`UNPACKAGED_FILE`].
/// Fails like [`render`], and with [`SchemaError::NameCollision`] when two models share a full
/// name.
///
/// ```
/// use kafka_model::Record;
///
/// #[derive(Record, serde::Serialize, serde::Deserialize)]
/// #[record(namespace = "com.acme.common")]
/// struct Money { cents: i64 }
///
/// #[derive(Record, serde::Serialize, serde::Deserialize)]
/// #[record(namespace = "com.acme.shop")]
/// struct Order { id: String, total: Money }
///
/// #[derive(Record, serde::Serialize, serde::Deserialize)]
/// #[record(namespace = "com.acme.shop")]
/// struct Refund { order_id: String, amount: Money }
///
/// let root = kafka_model::schema::proto::render_root(&[Refund::model(), Order::model()])?;
/// let names: Vec<&str> = root.files().iter().map(|f| f.name.as_str()).collect();
/// assert_eq!(names, ["com/acme/common.proto", "com/acme/shop.proto"]);
/// let shop = &root.files()[1].text;
/// assert!(shop.contains("import \"com/acme/common.proto\";"));
/// assert!(shop.find("message Order").unwrap() < shop.find("message Refund").unwrap());
/// # Ok::<(), kafka_model::SchemaError>(())
/// ```
pub fn render_root(models: &[&'static Model]) -> Result<ProtoRoot, SchemaError> {
    let mut roots = models.to_vec();
    roots.sort_by_key(|m| m.full_name());
    let mut types: Vec<&'static Model> = Vec::new();
    for root in roots {
        for m in named_types(root)? {
            if matches!(
                m.shape,
                Shape::Fixed(_) | Shape::Duration | Shape::Primitive(_)
            ) {
                continue;
            }
            let full = m.full_name();
            match types.iter().find(|t| t.full_name() == full) {
                Some(seen) if std::ptr::eq(*seen, m) => {}
                Some(seen) => {
                    return Err(SchemaError::NameCollision {
                        full_name: full,
                        first: seen.rust_name,
                        second: m.rust_name,
                    })
                }
                None => types.push(m),
            }
        }
    }
    add_parents(&mut types)?;
    let mut root = Renderer::new(&types, UNPACKAGED_FILE.to_owned())?.render()?;
    root.files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(root)
}

/// One output file under construction: the types of one package.
struct PackageFile {
    package: Option<&'static str>,
    name: String,
    types: Vec<&'static Model>,
}

/// Why one file imports another: the first field making the reference.
#[derive(Clone)]
struct Culprit {
    record: &'static str,
    field: &'static str,
    ty: String,
}

/// What rendering one file produced besides its declarations.
#[derive(Default)]
struct FileDeps {
    /// Other package files referenced, with the first reference.
    files: Vec<(usize, Culprit)>,
    /// Well-known imports used.
    well_known: BTreeSet<&'static str>,
}

/// The type a field holds once `Option`, `Vec` and maps are peeled off.
enum Elem {
    /// A proto scalar, with a note for the field's trailing comment.
    Scalar(&'static str, Option<String>),
    /// `google.protobuf.Timestamp`.
    Timestamp,
    /// A message or enum of the project.
    Named(&'static Model),
    /// `google.protobuf.Empty` (for `()`, the Avro `null` type).
    Empty,
    /// A wrapper message declared in the enclosing message (a list, map or `Option` where
    /// protobuf needs one value), with the innermost element's note.
    Wrapper(String, Option<String>),
}

impl Elem {
    fn is_message(&self) -> bool {
        match self {
            Elem::Scalar(..) => false,
            Elem::Timestamp | Elem::Empty | Elem::Wrapper(..) => true,
            Elem::Named(m) => !matches!(m.shape, Shape::Enum(_)),
        }
    }

    fn note(&self) -> Option<&str> {
        match self {
            Elem::Scalar(_, note) | Elem::Wrapper(_, note) => note.as_deref(),
            _ => None,
        }
    }

    /// The part of a wrapper's name this element gives: `Int64`, `Timestamp`, `Line`,
    /// `Int64List`.
    fn wrapper_stem(&self) -> String {
        match self {
            Elem::Scalar(name, _) => pascal_case(name),
            Elem::Timestamp => "Timestamp".into(),
            Elem::Empty => "Empty".into(),
            Elem::Named(m) => m.name.to_string(),
            Elem::Wrapper(name, _) => name.clone(),
        }
    }

    /// What the element is, to tell two wrappers of one name apart.
    fn identity(&self) -> String {
        match self {
            Elem::Scalar(name, _) => (*name).to_string(),
            Elem::Timestamp => "google.protobuf.Timestamp".into(),
            Elem::Empty => "google.protobuf.Empty".into(),
            Elem::Named(m) => m.proto_full_name(),
            Elem::Wrapper(name, _) => name.clone(),
        }
    }
}

/// A wrapper message to declare in a message: `message <name> { <label> <elem> value = 1; }`.
struct Wrapper {
    name: String,
    label: Label,
    elem: Elem,
}

/// How a field repeats.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Label {
    Single,
    Optional,
    Repeated,
    /// A map, with its key type (`string`, `int32`, `bool`, ...).
    Map(&'static str),
}

/// Where a type reference is written: a message (or enum) in a package file.
struct Scope<'a> {
    package: Option<&'static str>,
    /// Full name of the enclosing message.
    message: String,
    /// Full names of the types nested in the enclosing message (map entries).
    nested: &'a HashSet<String>,
}

struct Renderer {
    files: Vec<PackageFile>,
    /// Package of each named type, by full name.
    package_of: HashMap<String, Option<&'static str>>,
    /// File index of each package.
    file_of_package: HashMap<Option<&'static str>, usize>,
    /// Every package, package prefix and type full name visible to the files (for deciding
    /// whether a reference needs a leading dot).
    known: HashSet<String>,
}

impl Renderer {
    /// `unpackaged`: the file name for types without a namespace.
    fn new(types: &[&'static Model], unpackaged: String) -> Result<Self, SchemaError> {
        let mut files: Vec<PackageFile> = Vec::new();
        let mut file_of_package: HashMap<Option<&'static str>, usize> = HashMap::new();
        let mut package_of = HashMap::new();
        for &m in types {
            if !is_ident(m.name) {
                return Err(model_error(
                    m,
                    format!(
                        "`{}` is not a protobuf identifier; give the type another `name`",
                        m.name
                    ),
                ));
            }
            if let Some(parent) = m.parent {
                check_parent(m, parent())?;
            }
            let package = package(m);
            if let Some(p) = package {
                if !p.split('.').all(is_ident) {
                    return Err(model_error(
                        m,
                        format!("namespace `{p}` is not a protobuf package name (dot-separated identifiers)"),
                    ));
                }
            }
            if package_of.insert(m.proto_full_name(), package).is_some() {
                return Err(model_error(
                    m,
                    format!(
                        "two types would both be the protobuf declaration `{}`; rename one",
                        m.proto_full_name()
                    ),
                ));
            }
            let index = *file_of_package.entry(package).or_insert_with(|| {
                let name = match package {
                    Some(p) => format!("{}.proto", p.replace('.', "/")),
                    None => unpackaged.clone(),
                };
                files.push(PackageFile {
                    package,
                    name,
                    types: Vec::new(),
                });
                files.len() - 1
            });
            files[index].types.push(m);
        }

        let mut names: HashMap<&str, Option<&str>> = HashMap::new();
        names.insert(CONFLUENT_META_FILE, Some("confluent"));
        names.insert(TIMESTAMP_FILE, Some("google.protobuf"));
        names.insert(EMPTY_FILE, Some("google.protobuf"));
        for f in &files {
            if let Some(other) = names.insert(&f.name, f.package) {
                let first = f.types[0];
                return Err(model_error(
                    first,
                    format!(
                        "the protobuf file of namespace `{}` would be `{}`, which is already the file of {}; choose another namespace",
                        f.package.unwrap_or("(none)"),
                        f.name,
                        other.map_or_else(|| "the types without a namespace".to_string(), |p| format!("package `{p}`")),
                    ),
                ));
            }
        }

        let mut known: HashSet<String> = ["google", "google.protobuf", "confluent"]
            .into_iter()
            .map(String::from)
            .collect();
        for f in &files {
            if let Some(p) = f.package {
                let mut prefix = String::new();
                for part in p.split('.') {
                    if !prefix.is_empty() {
                        prefix.push('.');
                    }
                    prefix.push_str(part);
                    known.insert(prefix.clone());
                }
            }
        }
        for &m in types {
            let full = m.proto_full_name();
            if known.contains(&full) {
                return Err(model_error(
                    m,
                    format!("`{full}` is also a package name; protobuf needs distinct names for packages and types"),
                ));
            }
        }
        known.extend(types.iter().map(|m| m.proto_full_name()));

        Ok(Renderer {
            files,
            package_of,
            file_of_package,
            known,
        })
    }

    fn render(self) -> Result<ProtoRoot, SchemaError> {
        let mut bodies = Vec::with_capacity(self.files.len());
        let mut deps = Vec::with_capacity(self.files.len());
        for file in &self.files {
            check_package_scope(file)?;
            let mut file_deps = FileDeps::default();
            let mut rendered = Vec::with_capacity(file.types.len());
            for &m in &file.types {
                let mut out = String::new();
                match m.shape {
                    Shape::Record(fields) => self.record(m, fields, &mut out, &mut file_deps)?,
                    Shape::Enum(symbols) => enumeration(m, symbols, &mut out)?,
                    Shape::Union(u) => self.union(m, u, &mut out, &mut file_deps)?,
                    // Filtered out before (a named fixed type is `bytes`); kept aligned with `file.types`.
                    Shape::Fixed(_) | Shape::Duration | Shape::Primitive(_) => {}
                }
                rendered.push(Some(out));
            }
            let decls = (0..file.types.len())
                .filter(|&i| file.types[i].parent.is_none())
                .map(|i| nest(file, i, &mut rendered))
                .collect::<Vec<_>>();
            bodies.push(decls);
            deps.push(file_deps);
        }
        self.check_cycles(&deps)?;

        let mut well_known = BTreeSet::new();
        let mut files = Vec::with_capacity(self.files.len());
        for ((file, decls), file_deps) in self.files.iter().zip(bodies).zip(&deps) {
            let mut imports: BTreeSet<&str> = file_deps.well_known.iter().copied().collect();
            imports.extend(
                file_deps
                    .files
                    .iter()
                    .map(|(i, _)| self.files[*i].name.as_str()),
            );
            well_known.extend(file_deps.well_known.iter().copied());

            let mut text = String::from("syntax = \"proto3\";\n");
            if let Some(p) = file.package {
                text.push_str(&format!("\npackage {p};\n"));
            }
            if !imports.is_empty() {
                text.push('\n');
                for i in &imports {
                    text.push_str(&format!("import \"{i}\";\n"));
                }
            }
            for decl in decls {
                text.push('\n');
                text.push_str(&decl);
            }
            files.push(ProtoFile {
                name: file.name.clone(),
                text,
            });
        }
        Ok(ProtoRoot {
            files,
            well_known: well_known.into_iter().collect(),
        })
    }

    /// `message Name { ... }` for a record.
    fn record(
        &self,
        m: &'static Model,
        fields: &'static [Field],
        out: &mut String,
        deps: &mut FileDeps,
    ) -> Result<(), SchemaError> {
        let mut members = Members::new();
        let mut nested = HashSet::new();
        let mut resolved = Vec::with_capacity(fields.len());
        let mut oneofs = HashMap::new();
        let mut wrappers = Vec::new();
        for f in fields {
            let err = |reason: String| field_error(m, f.name, f.ty.to_string(), reason);
            if f.options.proto_oneof {
                let named = match f.ty {
                    Type::Option(inner) => inner.named(),
                    other => other.named(),
                };
                let u = match named {
                    Some(t) => match t.shape {
                        Shape::Union(u) => Some(u),
                        _ => None,
                    },
                    None => None,
                }
                .ok_or_else(|| {
                    err("`oneof` needs an enum with data, or an `Option` of one".into())
                })?;
                members.add_name(f.name).map_err(err)?;
                let resolved = oneof_members(m, u, &mut members)?;
                oneofs.insert(f.name, resolved);
                continue;
            }
            let (label, elem) = field_type(&f.ty, &f.options, &mut wrappers).map_err(err)?;
            members.add(f.name, f.tag).map_err(err)?;
            if matches!(label, Label::Map(_)) {
                let entry = format!("{}.{}", m.proto_full_name(), map_entry_name(f.name));
                if !nested.insert(entry) {
                    return Err(err(format!(
                        "protobuf names the map entry of `{}` `{}`, like another map field of the message; rename one of them",
                        f.name,
                        map_entry_name(f.name)
                    )));
                }
            }
            resolved.push((f, Some((label, elem))));
        }
        for w in &wrappers {
            let full = format!("{}.{}", m.proto_full_name(), w.name);
            if self.known.contains(&full) {
                return Err(model_error(
                    m,
                    format!(
                        "the wrapper message `{}` (for a nested list, map or Option field) has the name of a type declared in `{}`; rename that type",
                        w.name, m.name
                    ),
                ));
            }
            nested.insert(full);
        }
        let scope = Scope {
            package: package(m),
            message: m.proto_full_name(),
            nested: &nested,
        };

        push_doc(out, "", m.doc);
        if fields.is_empty() {
            out.push_str(&format!("message {} {{}}\n", m.name));
            return Ok(());
        }
        out.push_str(&format!("message {} {{\n", m.name));
        self.wrappers(m, &wrappers, &nested, deps, out);
        for f in fields {
            if let Some(list) = oneofs.remove(f.name) {
                push_doc(out, "  ", f.doc);
                out.push_str(&format!("  oneof {} {{\n", f.name));
                self.oneof_body(m, list, &scope, deps, out);
                out.push_str("  }\n");
            }
            let Some((f, Some((label, elem)))) = resolved
                .iter_mut()
                .find(|(r, _)| std::ptr::eq(*r, f))
                .map(|(r, le)| (*r, le.take()))
            else {
                continue;
            };
            let culprit = Culprit {
                record: m.rust_name,
                field: f.name,
                ty: f.ty.to_string(),
            };
            let ty = self.elem_ref(&elem, &scope, &culprit, deps);
            let ty = match label {
                Label::Single => ty,
                Label::Optional => format!("optional {ty}"),
                Label::Repeated => format!("repeated {ty}"),
                Label::Map(key) => format!("map<{key}, {ty}>"),
            };
            push_doc(out, "  ", f.doc);
            out.push_str(&format!("  {ty} {} = {}", f.name, f.tag));
            if !f.tags.is_empty() {
                deps.well_known.insert(CONFLUENT_META_FILE);
                let option = self.reference("confluent.field_meta", Some("confluent"), &scope);
                let tags: Vec<String> = f.tags.iter().map(|t| string_literal(t)).collect();
                out.push_str(&format!(
                    " [({option}) = {{ tags: [{}] }}]",
                    tags.join(", ")
                ));
            }
            out.push(';');
            if let Some(note) = elem.note() {
                out.push_str(&format!(" // {note}"));
            }
            out.push('\n');
        }
        out.push_str("}\n");
        Ok(())
    }

    /// The wrapper messages of `m`'s fields, declared first in its body.
    fn wrappers(
        &self,
        m: &'static Model,
        wrappers: &[Wrapper],
        nested: &HashSet<String>,
        deps: &mut FileDeps,
        out: &mut String,
    ) {
        let outer = m.proto_full_name();
        for w in wrappers {
            // Inside the wrapper, protoc looks names up in the wrapper first (its map entry
            // `ValueEntry`), then in `m` (the other wrappers): both count as nested here.
            let message = format!("{outer}.{}", w.name);
            let mut inner: HashSet<String> = nested
                .iter()
                .filter_map(|n| n.strip_prefix(outer.as_str()))
                .map(|rest| format!("{message}{rest}"))
                .collect();
            inner.insert(format!("{message}.ValueEntry"));
            let scope = Scope {
                package: package(m),
                message,
                nested: &inner,
            };
            let culprit = Culprit {
                record: m.rust_name,
                field: "value",
                ty: w.name.clone(),
            };
            let ty = self.elem_ref(&w.elem, &scope, &culprit, deps);
            let ty = match w.label {
                Label::Single => ty,
                Label::Optional => format!("optional {ty}"),
                Label::Repeated => format!("repeated {ty}"),
                Label::Map(key) => format!("map<{key}, {ty}>"),
            };
            out.push_str(&format!(
                "  message {} {{\n    {ty} value = 1;\n  }}\n",
                w.name
            ));
        }
        if !wrappers.is_empty() {
            out.push('\n');
        }
    }

    /// `message Name { oneof name { ... } }` for an enum with data.
    fn union(
        &self,
        m: &'static Model,
        u: &'static Union,
        out: &mut String,
        deps: &mut FileDeps,
    ) -> Result<(), SchemaError> {
        let mut members = Members::new();
        let resolved = oneof_members(m, u, &mut members)?;
        let nested = HashSet::new();
        let scope = Scope {
            package: package(m),
            message: m.proto_full_name(),
            nested: &nested,
        };

        push_doc(out, "", m.doc);
        if resolved.is_empty() {
            out.push_str(&format!("message {} {{}}\n", m.name));
            return Ok(());
        }
        let mut oneof = snake_case(m.name);
        while resolved.iter().any(|(_, member, ..)| *member == oneof) {
            oneof.push_str("_oneof");
        }
        out.push_str(&format!("message {} {{\n  oneof {oneof} {{\n", m.name));
        self.oneof_body(m, resolved, &scope, deps, out);
        out.push_str("  }\n}\n");
        Ok(())
    }

    /// The member lines of a `oneof` declared in `m`.
    fn oneof_body(
        &self,
        m: &'static Model,
        resolved: Vec<OneofMember>,
        scope: &Scope<'_>,
        deps: &mut FileDeps,
        out: &mut String,
    ) {
        for (v, member, elem, ty_name) in resolved {
            let culprit = Culprit {
                record: m.rust_name,
                field: v.name,
                ty: ty_name,
            };
            let ty = self.elem_ref(&elem, scope, &culprit, deps);
            push_doc(out, "    ", v.doc);
            out.push_str(&format!("    {ty} {member} = {};", v.tag));
            if let Some(note) = elem.note() {
                out.push_str(&format!(" // {note}"));
            }
            out.push('\n');
        }
    }

    /// The type name to write for `elem`, recording the imports it needs.
    fn elem_ref(
        &self,
        elem: &Elem,
        scope: &Scope<'_>,
        culprit: &Culprit,
        deps: &mut FileDeps,
    ) -> String {
        match elem {
            Elem::Scalar(name, _) => (*name).to_string(),
            // Declared in the enclosing message, looked up there first.
            Elem::Wrapper(name, _) => name.clone(),
            Elem::Timestamp => {
                deps.well_known.insert(TIMESTAMP_FILE);
                self.reference("google.protobuf.Timestamp", Some("google.protobuf"), scope)
            }
            Elem::Empty => {
                deps.well_known.insert(EMPTY_FILE);
                self.reference("google.protobuf.Empty", Some("google.protobuf"), scope)
            }
            Elem::Named(target) => {
                let full = target.proto_full_name();
                let target_package = self
                    .package_of
                    .get(&full)
                    .copied()
                    .unwrap_or_else(|| package(target));
                if target_package != scope.package {
                    if let Some(&index) = self.file_of_package.get(&target_package) {
                        if !deps.files.iter().any(|(i, _)| *i == index) {
                            deps.files.push((index, culprit.clone()));
                        }
                    }
                }
                self.reference(&full, target_package, scope)
            }
        }
    }

    /// How to spell `target` (a full name in `target_package`) inside `scope`: the simple name in
    /// the same package, the full name elsewhere, with a leading dot when protobuf's scoping
    /// rules would otherwise find another symbol first.
    fn reference(&self, target: &str, target_package: Option<&str>, scope: &Scope<'_>) -> String {
        if target_package == scope.package {
            let simple = match target_package {
                Some(p) => target
                    .strip_prefix(p)
                    .and_then(|s| s.strip_prefix('.'))
                    .unwrap_or(target),
                None => target,
            };
            if scope
                .nested
                .contains(&format!("{}.{simple}", scope.message))
            {
                return format!(".{target}");
            }
            // A type declared inside the message itself is named from there (`Leaf` in
            // `Trunk.BranchOne`), as a hand-written `.proto` would.
            if let Some(own) = target
                .strip_prefix(scope.message.as_str())
                .and_then(|s| s.strip_prefix('.'))
            {
                if !scope.nested.contains(target) {
                    return own.to_string();
                }
            }
            // protoc looks the first component up in the enclosing messages first (the message
            // itself, then the messages it is declared in): a declaration there would capture it.
            let first = simple.split('.').next().unwrap_or(simple);
            let mut enclosing = scope.message.as_str();
            while target_package.map_or(!enclosing.is_empty(), |p| enclosing.len() > p.len()) {
                let candidate = format!("{enclosing}.{first}");
                let intended = target == candidate || target.starts_with(&format!("{candidate}."));
                if !intended && self.known.contains(&candidate) {
                    return format!(".{target}");
                }
                enclosing = enclosing.rsplit_once('.').map_or("", |(head, _)| head);
            }
            return simple.to_string();
        }
        let first = target.split('.').next().unwrap_or(target);
        let mut scopes = vec![scope.message.clone()];
        if let Some(p) = scope.package {
            let parts: Vec<&str> = p.split('.').collect();
            for k in (1..=parts.len()).rev() {
                scopes.push(parts[..k].join("."));
            }
        }
        let shadowed = scopes.iter().any(|s| {
            let candidate = format!("{s}.{first}");
            self.known.contains(&candidate) || scope.nested.contains(&candidate)
        });
        if shadowed {
            format!(".{target}")
        } else {
            target.to_string()
        }
    }

    /// Confluent message indexes of `root` in its package's file (see
    /// [`ProtoSchema::message_indexes`]).
    fn message_indexes(&self, root: &'static Model) -> Vec<u32> {
        let Some(file) = self
            .file_of_package
            .get(&package(root))
            .map(|&i| &self.files[i])
        else {
            return vec![0];
        };
        let mut chain = vec![root];
        while let Some(parent) = chain[chain.len() - 1].parent {
            let p = parent();
            if chain.iter().any(|c| std::ptr::eq(*c, p)) {
                break;
            }
            chain.push(p);
        }
        chain.reverse();
        let mut indexes = Vec::with_capacity(chain.len());
        let mut enclosing: Option<&'static Model> = None;
        for m in chain {
            let position = file
                .types
                .iter()
                .filter(|t| !matches!(t.shape, Shape::Enum(_)))
                .filter(|t| match (t.parent, enclosing) {
                    (None, None) => true,
                    (Some(p), Some(e)) => std::ptr::eq(p(), e),
                    _ => false,
                })
                .position(|t| std::ptr::eq(*t, m))
                .unwrap_or(0);
            indexes.push(u32::try_from(position).unwrap_or(u32::MAX));
            enclosing = Some(m);
        }
        indexes
    }

    /// Protobuf rejects import cycles: fail when package files would import each other.
    fn check_cycles(&self, deps: &[FileDeps]) -> Result<(), SchemaError> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Open,
            Done,
        }
        fn visit(
            node: usize,
            deps: &[FileDeps],
            marks: &mut [Mark],
            stack: &mut Vec<usize>,
        ) -> Option<Vec<usize>> {
            marks[node] = Mark::Open;
            stack.push(node);
            for (next, _) in &deps[node].files {
                match marks[*next] {
                    Mark::Open => {
                        let start = stack.iter().position(|n| n == next).unwrap_or(0);
                        let mut cycle = stack[start..].to_vec();
                        cycle.push(*next);
                        return Some(cycle);
                    }
                    Mark::New => {
                        if let Some(cycle) = visit(*next, deps, marks, stack) {
                            return Some(cycle);
                        }
                    }
                    Mark::Done => {}
                }
            }
            stack.pop();
            marks[node] = Mark::Done;
            None
        }

        let mut marks = vec![Mark::New; deps.len()];
        for start in 0..deps.len() {
            if marks[start] != Mark::New {
                continue;
            }
            let mut stack = Vec::new();
            let Some(cycle) = visit(start, deps, &mut marks, &mut stack) else {
                continue;
            };
            let (from, to) = (cycle[0], cycle[1]);
            let culprit = deps[from]
                .files
                .iter()
                .find(|(i, _)| *i == to)
                .map(|(_, c)| c.clone());
            let chain: Vec<&str> = cycle.iter().map(|&i| self.files[i].name.as_str()).collect();
            let packages: Vec<&str> = cycle[..cycle.len() - 1]
                .iter()
                .map(|&i| self.files[i].package.unwrap_or("(no namespace)"))
                .collect();
            let reason = format!(
                "the protobuf files of namespaces {} would import each other ({}), and protobuf forbids import cycles; \
                 put the types that refer to each other in one namespace",
                packages.join(", "),
                chain.join(" -> ")
            );
            let culprit = culprit.unwrap_or_else(|| {
                let m = self.files[from].types[0];
                Culprit {
                    record: m.rust_name,
                    field: m.name,
                    ty: m.full_name(),
                }
            });
            return Err(SchemaError::Unrepresentable {
                format: FORMAT,
                record: culprit.record,
                field: culprit.field,
                ty: culprit.ty,
                reason,
            });
        }
        Ok(())
    }
}

/// The declaration of `file.types[i]` with the declarations nested in it (the types naming it
/// as their `parent`, in file order) inserted at the top of its body, indented.
fn nest(file: &PackageFile, i: usize, rendered: &mut [Option<String>]) -> String {
    let decl = rendered[i].take().unwrap_or_default();
    let me = file.types[i];
    let children: Vec<String> = (0..file.types.len())
        .filter(|&j| file.types[j].parent.is_some_and(|p| std::ptr::eq(p(), me)))
        .map(|j| nest(file, j, rendered))
        .collect();
    if children.is_empty() {
        return decl;
    }
    let mut inner = String::new();
    for (k, child) in children.iter().enumerate() {
        if k > 0 {
            inner.push('\n');
        }
        for line in child.lines() {
            if !line.is_empty() {
                inner.push_str("  ");
            }
            inner.push_str(line);
            inner.push('\n');
        }
    }
    let mut out = String::with_capacity(decl.len() + inner.len());
    let mut done = false;
    for line in decl.lines() {
        if !done && line.starts_with("message ") {
            done = true;
            if let Some(head) = line.strip_suffix("{}") {
                out.push_str(head);
                out.push_str("{\n");
                out.push_str(&inner);
                out.push_str("}\n");
            } else {
                out.push_str(line);
                out.push('\n');
                out.push_str(&inner);
                if !inner.is_empty() && line.ends_with('{') {
                    out.push('\n');
                }
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// A type declared inside `parent` (`#[record(parent = ..)]`): the parent is a message of the
/// same package, and the chain of parents ends.
fn check_parent(m: &'static Model, parent: &'static Model) -> Result<(), SchemaError> {
    if matches!(parent.shape, Shape::Enum(_)) {
        return Err(model_error(
            m,
            format!(
                "its parent `{}` is an enum; protobuf declares types only inside messages",
                parent.rust_name
            ),
        ));
    }
    if package(m) != package(parent) {
        return Err(model_error(
            m,
            format!(
                "a type declared inside `{}` is in its package `{}`; give it the same namespace",
                parent.rust_name,
                package(parent).unwrap_or("(none)")
            ),
        ));
    }
    let mut p = parent;
    for _ in 0..64 {
        if std::ptr::eq(p, m) {
            return Err(model_error(
                m,
                "its chain of `parent`s comes back to it; protobuf declarations cannot contain themselves".into(),
            ));
        }
        match p.parent {
            Some(next) => p = next(),
            None => return Ok(()),
        }
    }
    Err(model_error(
        m,
        "its chain of `parent`s is more than 64 deep".into(),
    ))
}

/// A resolved oneof member: the variant, its field name, its type, and the type for messages.
type OneofMember = (&'static Variant, String, Elem, String);

/// The members of the oneof an enum with data `u` makes in message `m` (its own message, or the
/// message holding a `#[record(oneof)]` field), added to `members` (names and numbers checked).
fn oneof_members(
    m: &'static Model,
    u: &'static Union,
    members: &mut Members,
) -> Result<Vec<OneofMember>, SchemaError> {
    let mut resolved = Vec::with_capacity(u.variants.len());
    for v in u.variants {
        let ty_name = match v.payload {
            Payload::Newtype(t) => t.to_string(),
            Payload::Struct(sm) => sm.rust_name.to_string(),
        };
        let err = |reason: String| field_error(m, v.name, ty_name.clone(), reason);
        let elem = match v.payload {
            Payload::Newtype(
                Type::Option(_) | Type::List(_) | Type::Map(_) | Type::KeyedMap { .. },
            ) => {
                return Err(err(
                    "oneof members cannot be repeated, map or optional; wrap it in a record".into(),
                ));
            }
            Payload::Newtype(t) => elem(&t, &FieldOptions::default()).map_err(err)?,
            Payload::Struct(sm) => Elem::Named(sm),
        };
        let member = snake_case(v.name);
        if !is_ident(&member) {
            return Err(err(format!(
                "`{member}` (from variant `{}`) is not a protobuf field name; rename the variant",
                v.name
            )));
        }
        members.add_owned(member.clone(), v.tag).map_err(err)?;
        resolved.push((v, member, elem, ty_name));
    }
    Ok(resolved)
}

/// Whether the enum gets a zero value of its own, `<ENUM>_UNSPECIFIED` (no symbol is numbered 0).
fn synthesized_zero(symbols: &[Symbol]) -> bool {
    !symbols.iter().any(|s| s.tag == 0)
}

/// `enum Name { NAME_UNSPECIFIED = 0; NAME_SYMBOL = tag; ... }`, or with the symbol numbered 0
/// first when there is one (proto3 wants the zero value first), the others in declaration order.
fn enumeration(
    m: &'static Model,
    symbols: &'static [Symbol],
    out: &mut String,
) -> Result<(), SchemaError> {
    let prefix = screaming_snake_case(m.name);
    push_doc(out, "", m.doc);
    out.push_str(&format!("enum {} {{\n", m.name));
    if synthesized_zero(symbols) {
        out.push_str(&format!("  {prefix}_UNSPECIFIED = 0;\n"));
    }
    let mut values: Vec<(&Symbol, String)> = symbols.iter().zip(enum_values(m, symbols)?).collect();
    values.sort_by_key(|(s, _)| s.tag != 0);
    for (s, value) in values {
        push_doc(out, "  ", s.doc);
        out.push_str(&format!("  {value} = {};\n", s.tag));
    }
    out.push_str("}\n");
    Ok(())
}

/// The value names of an enum's symbols, checked against protobuf's rules.
fn enum_values(m: &'static Model, symbols: &'static [Symbol]) -> Result<Vec<String>, SchemaError> {
    let prefix = screaming_snake_case(m.name);
    let err = |s: &Symbol, reason: String| field_error(m, s.name, m.name.to_string(), reason);
    // protoc rejects proto3 enum values that are equal once the enum-name prefix is removed and
    // the rest is turned into PascalCase (`FOO_1` and `FOO1`).
    let mut seen_names: HashMap<String, &str> = HashMap::new();
    if synthesized_zero(symbols) {
        seen_names.insert(pascal_case("UNSPECIFIED"), "(the zero value)");
    }
    let mut seen_tags: HashMap<i32, &str> = HashMap::new();
    let mut values = Vec::with_capacity(symbols.len());
    for s in symbols {
        let symbol = screaming_snake_case(s.name);
        if symbol.is_empty() {
            return Err(err(
                s,
                "the symbol has no letters or digits to name a protobuf enum value".into(),
            ));
        }
        let value = format!("{prefix}_{symbol}");
        if !is_ident(&value) {
            return Err(err(
                s,
                format!("`{value}` is not a protobuf enum value name; rename the symbol"),
            ));
        }
        if let Some(other) = seen_names.insert(pascal_case(&symbol), s.name) {
            return Err(err(s, format!("its protobuf value `{value}` clashes with the value of {other}; rename the symbol")));
        }
        if let Some(other) = seen_tags.insert(s.tag, s.name) {
            return Err(err(
                s,
                format!("protobuf number {} is already used by `{other}`", s.tag),
            ));
        }
        values.push(value);
    }
    Ok(values)
}

/// Protobuf enum values live in the package's scope: fail when two enums of one package produce
/// the same value name, or a value is named like a type of the package.
fn check_package_scope(file: &PackageFile) -> Result<(), SchemaError> {
    // A nested enum's values live in its parent message's scope instead.
    let scope_of = |m: &Model| m.parent.map(|p| p().proto_full_name());
    let mut values: HashMap<(Option<String>, String), &'static Model> = HashMap::new();
    for &m in &file.types {
        let scope = scope_of(m);
        let types: HashMap<&str, &'static Model> = file
            .types
            .iter()
            .filter(|t| scope_of(t) == scope)
            .map(|t| (t.name, *t))
            .collect();
        let Shape::Enum(symbols) = m.shape else {
            continue;
        };
        let prefix = screaming_snake_case(m.name);
        let zero = synthesized_zero(symbols).then(|| (format!("{prefix}_UNSPECIFIED"), None));
        let named = enum_values(m, symbols)?
            .into_iter()
            .zip(symbols.iter().map(Some));
        for (value, symbol) in zero.into_iter().chain(named) {
            let clash = match (
                types.get(value.as_str()),
                values.insert((scope.clone(), value.clone()), m),
            ) {
                (Some(t), _) => format!("type `{}`", t.rust_name),
                (None, Some(other)) => format!("a value of enum `{}`", other.rust_name),
                (None, None) => continue,
            };
            return Err(field_error(
                m,
                symbol.map_or(m.name, |s| s.name),
                m.name.to_string(),
                format!(
                    "protobuf enum values share their package's scope, and `{value}` is also {clash} in package `{}`; \
                     rename a symbol or an enum, or move one enum to another namespace",
                    file.package.unwrap_or("(none)")
                ),
            ));
        }
    }
    Ok(())
}

/// Field names and numbers of one message, checked as they are added.
struct Members {
    names: HashMap<String, String>,
    numbers: HashMap<u32, String>,
}

impl Members {
    fn new() -> Self {
        Members {
            names: HashMap::new(),
            numbers: HashMap::new(),
        }
    }

    fn add(&mut self, name: &str, number: u32) -> Result<(), String> {
        if !is_ident(name) {
            return Err(format!("`{name}` is not a protobuf field name"));
        }
        self.add_owned(name.to_string(), number)
    }

    /// A name without a number (a oneof's name, which shares the fields' namespace).
    fn add_name(&mut self, name: &str) -> Result<(), String> {
        if !is_ident(name) {
            return Err(format!("`{name}` is not a protobuf oneof name"));
        }
        let key: String = name
            .chars()
            .filter(|c| *c != '_')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        match self.names.insert(key, name.to_string()) {
            Some(other) => Err(format!(
                "the oneof `{name}` is named like the field `{other}`"
            )),
            None => Ok(()),
        }
    }

    fn add_owned(&mut self, name: String, number: u32) -> Result<(), String> {
        if number == 0 || number > MAX_FIELD_NUMBER {
            return Err(format!(
                "protobuf field numbers run from 1 to {MAX_FIELD_NUMBER}; {number} is outside"
            ));
        }
        if RESERVED_FIELD_NUMBERS.contains(&number) {
            return Err(format!(
                "protobuf reserves field numbers 19000 to 19999; {number} is one of them"
            ));
        }
        if let Some(other) = self.numbers.insert(number, name.clone()) {
            return Err(format!(
                "protobuf field number {number} is already used by `{other}`"
            ));
        }
        // protoc (proto3) requires names to differ once lowercased without underscores, since
        // their JSON names could otherwise clash.
        let key: String = name
            .chars()
            .filter(|c| *c != '_')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if let Some(other) = self.names.insert(key, name.clone()) {
            return Err(if other == name {
                format!("the message already has a field named `{name}`")
            } else {
                format!("protobuf (proto3) needs field names to differ beyond case and underscores, like `{other}` and `{name}`")
            });
        }
        Ok(())
    }
}

/// Label and element type of a field type; the wrapper messages it needs are appended to
/// `wrappers` (inner ones first).
fn field_type(
    t: &Type,
    options: &FieldOptions,
    wrappers: &mut Vec<Wrapper>,
) -> Result<(Label, Elem), String> {
    match t {
        Type::Option(inner) => match inner {
            Type::Option(_) => Err("protobuf has no nested presence (Option<Option<T>>); use one Option, or wrap the inner value in a record".into()),
            _ => {
                let e = value_elem(inner, options, wrappers)?;
                Ok((if e.is_message() { Label::Single } else { Label::Optional }, e))
            }
        },
        Type::List(inner) => Ok((Label::Repeated, value_elem(inner, options, wrappers)?)),
        Type::Map(_) | Type::KeyedMap { .. } => {
            let (key, inner) = map_parts(t, options)?;
            Ok((Label::Map(key), value_elem(inner, options, wrappers)?))
        }
        _ => Ok((Label::Single, elem(t, options)?)),
    }
}

/// The element type of a value inside a list, a map or an `Option`: a list, map or `Option`
/// there is a wrapper message (`Int64List`, `StringMap`, `LineValue`) holding it as field
/// `value = 1`, named from the shape so that equal shapes share one declaration.
fn value_elem(
    t: &Type,
    options: &FieldOptions,
    wrappers: &mut Vec<Wrapper>,
) -> Result<Elem, String> {
    let (label, inner, suffix) = match t {
        Type::Option(Type::Option(_)) => {
            return Err(
                "protobuf has no nested presence (Option<Option<T>>); use one Option".into(),
            )
        }
        Type::Option(inner) => (Label::Optional, *inner, "Value"),
        Type::List(inner) => (Label::Repeated, *inner, "List"),
        Type::Map(_) | Type::KeyedMap { .. } => {
            let (key, inner) = map_parts(t, options)?;
            (Label::Map(key), inner, "Map")
        }
        _ => return elem(t, options),
    };
    let e = value_elem(inner, options, wrappers)?;
    let label = if label == Label::Optional && e.is_message() {
        Label::Single
    } else {
        label
    };
    // A map with other than string keys names its key type first: `Int32StringMap`.
    let key_stem = match label {
        Label::Map(key) if key != "string" => pascal_case(key),
        _ => String::new(),
    };
    let name = format!("{key_stem}{}{suffix}", e.wrapper_stem());
    let note = e.note().map(str::to_string);
    if let Some(w) = wrappers.iter().find(|w| w.name == name) {
        if w.label != label || w.elem.identity() != e.identity() {
            return Err(format!(
                "two different wrapper messages would be named `{name}` (one for `{}`, one for `{}`); rename one of the types",
                w.elem.identity(),
                e.identity()
            ));
        }
    } else {
        wrappers.push(Wrapper {
            name: name.clone(),
            label,
            elem: e,
        });
    }
    Ok(Elem::Wrapper(name, note))
}

/// The proto key type and the value type of a map type.
fn map_parts(t: &Type, options: &FieldOptions) -> Result<(&'static str, &'static Type), String> {
    match *t {
        Type::KeyedMap {
            key: MapKey::Bool,
            value,
        } => Ok(("bool", value)),
        Type::KeyedMap {
            key: MapKey::Int(kind),
            value,
        } => Ok((int_type(kind, options.int_encoding)?, value)),
        Type::Map(value) => Ok(("string", value)),
        _ => Err("not a map".into()),
    }
}

/// The element type of a non-wrapper type.
fn elem(t: &Type, options: &FieldOptions) -> Result<Elem, String> {
    let scalar = |name: &'static str| Ok(Elem::Scalar(name, None));
    match t {
        Type::Bool => scalar("bool"),
        Type::Int(kind) => Ok(Elem::Scalar(int_type(*kind, options.int_encoding)?, None)),
        Type::Float => scalar("float"),
        Type::Double => scalar("double"),
        Type::String => scalar("string"),
        Type::Bytes => scalar("bytes"),
        Type::Fixed(n) => Ok(Elem::Scalar("bytes", Some(format!("exactly {n} bytes")))),
        Type::Duration => Ok(Elem::Scalar(
            "bytes",
            Some("Avro duration: months, days, millis as little-endian uint32".into()),
        )),
        Type::Uuid => Ok(Elem::Scalar("string", Some("UUID".into()))),
        Type::Timestamp => Ok(Elem::Timestamp),
        Type::Null => Ok(Elem::Empty),
        Type::Time => Ok(Elem::Scalar("int64", Some("microseconds since midnight".into()))),
        Type::LocalTimestamp => Ok(Elem::Scalar(
            "int64",
            Some("microseconds since 1970-01-01T00:00, local time".into()),
        )),
        Type::Date => Ok(Elem::Scalar("int32", Some("days since 1970-01-01".into()))),
        Type::Decimal => Ok(Elem::Scalar(
            "string",
            Some(match options.decimal {
                Some(d) => format!("decimal({}, {}) as a string", d.precision, d.scale),
                None => "decimal as a string".into(),
            }),
        )),
        Type::Named(f) => match f().shape {
            Shape::Fixed(n) => Ok(Elem::Scalar("bytes", Some(format!("exactly {n} bytes")))),
            Shape::Duration => elem(&Type::Duration, options),
            _ => Ok(Elem::Named(f())),
        },
        Type::Option(_) | Type::List(_) | Type::Map(_) | Type::KeyedMap { .. } => {
            Err("protobuf cannot hold an optional, repeated or map type here; wrap the value in a record".into())
        }
    }
}

/// The proto integer type of a Rust integer under an encoding.
fn int_type(kind: IntKind, encoding: IntEncoding) -> Result<&'static str, String> {
    use IntEncoding::{Fixed, Varint, Zigzag};
    use IntKind::{I16, I32, I64, I8, U16, U32, U64, U8};
    Ok(match (kind, encoding) {
        (I8 | I16 | I32, Varint) => "int32",
        (I8 | I16 | I32, Zigzag) => "sint32",
        (I8 | I16 | I32, Fixed) => "sfixed32",
        (I64, Varint) => "int64",
        (I64, Zigzag) => "sint64",
        (I64, Fixed) => "sfixed64",
        (U8 | U16 | U32, Varint) => "uint32",
        (U8 | U16 | U32, Fixed) => "fixed32",
        (U64, Varint) => "uint64",
        (U64, Fixed) => "fixed64",
        (U8 | U16 | U32 | U64, Zigzag) => {
            return Err("zigzag (sint) encoding is for signed integers and protobuf has no unsigned zigzag type; \
                        use the default varint encoding or fixed"
                .into())
        }
    })
}

/// The namespace of a model as a protobuf package (`None` when absent or empty).
fn package(m: &Model) -> Option<&'static str> {
    m.namespace.filter(|ns| !ns.is_empty())
}

fn field_error(m: &'static Model, field: &'static str, ty: String, reason: String) -> SchemaError {
    SchemaError::Unrepresentable {
        format: FORMAT,
        record: m.rust_name,
        field,
        ty,
        reason,
    }
}

/// An error about a type as a whole (its name or namespace).
fn model_error(m: &'static Model, reason: String) -> SchemaError {
    field_error(m, m.name, m.full_name(), reason)
}

/// Writes `doc` as `//` comment lines.
fn push_doc(out: &mut String, indent: &str, doc: Option<&str>) {
    let Some(doc) = doc.filter(|d| !d.trim().is_empty()) else {
        return;
    };
    for line in doc.trim_end().lines() {
        let line = line.trim_end();
        if line.is_empty() {
            out.push_str(&format!("{indent}//\n"));
        } else {
            out.push_str(&format!("{indent}// {line}\n"));
        }
    }
}

/// A protobuf string literal (double-quoted, escaped).
fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for b in s.bytes() {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(char::from(b)),
            _ => out.push_str(&format!("\\{b:03o}")),
        }
    }
    out.push('"');
    out
}

/// Whether `s` is a protobuf identifier: an ASCII letter or `_`, then letters, digits, `_`.
fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Splits a name into words: at non-alphanumeric characters, at lower-to-upper case changes and
/// before the last capital of an acronym (`HTTPServer` → `HTTP`, `Server`).
fn words(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c.is_uppercase() && !current.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev.is_lowercase() || prev.is_numeric() || (prev.is_uppercase() && next_lower) {
                words.push(std::mem::take(&mut current));
            }
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `OrderStatus` → `order_status`.
pub(crate) fn snake_case(s: &str) -> String {
    words(s)
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// `OrderStatus` → `ORDER_STATUS`.
pub(crate) fn screaming_snake_case(s: &str) -> String {
    words(s)
        .iter()
        .map(|w| w.to_uppercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// protoc's `EnumValueToPascalCase`: `FOO_BAR` → `FooBar`.
fn pascal_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut upper = true;
    for c in s.chars() {
        if c == '_' {
            upper = true;
        } else {
            if upper {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c.to_ascii_lowercase());
            }
            upper = false;
        }
    }
    out
}

/// protoc's name for the entry message of a map field: `line_items` → `LineItemsEntry`.
fn map_entry_name(field: &str) -> String {
    let mut out = String::with_capacity(field.len() + 5);
    let mut upper = true;
    for c in field.chars() {
        if c == '_' {
            upper = true;
        } else {
            out.push(if upper { c.to_ascii_uppercase() } else { c });
            upper = false;
        }
    }
    out.push_str("Entry");
    out
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::process::Command;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::model::{DecimalSpec, Tagging, TimePrecision, Variant};

    const OPTS: FieldOptions = FieldOptions {
        int_encoding: IntEncoding::Varint,
        timestamp: TimePrecision::Micros,
        decimal: None,
        json_bytes_base64: false,
        proto_oneof: false,
    };

    const fn field(name: &'static str, ty: Type, tag: u32) -> Field {
        Field {
            ident: name,
            name,
            doc: None,
            aliases: &[],
            ty,
            options: OPTS,
            tag,
            default: None,
            json_optional: false,
            option_union: crate::model::OptionUnion::Auto,
            tags: &[],
            validators: &[],
            coerce: false,
        }
    }

    const fn encoded(name: &'static str, ty: Type, tag: u32, int_encoding: IntEncoding) -> Field {
        Field {
            options: FieldOptions {
                int_encoding,
                ..OPTS
            },
            ..field(name, ty, tag)
        }
    }

    const fn model(name: &'static str, namespace: Option<&'static str>, shape: Shape) -> Model {
        Model {
            rust_name: name,
            name,
            namespace,
            doc: None,
            aliases: &[],
            serializer: "json",
            deny_unknown_fields: false,
            open_content: false,
            shape,
            parent: None,
        }
    }

    const fn symbol(name: &'static str, tag: i32) -> Symbol {
        Symbol {
            ident: name,
            name,
            doc: None,
            tag,
            is_default: false,
        }
    }

    const fn variant(name: &'static str, tag: u32, payload: Payload) -> Variant {
        Variant {
            ident: name,
            name,
            doc: None,
            tag,
            payload,
        }
    }

    const I32: Type = Type::Int(IntKind::I32);
    const I64: Type = Type::Int(IntKind::I64);

    // ---- fixtures -------------------------------------------------------------------------

    static SCALARS: Model = model(
        "Scalars",
        Some("com.acme.scalars"),
        Shape::Record(&[
            field("flag", Type::Bool, 1),
            field("tiny", Type::Int(IntKind::I8), 2),
            encoded("small", Type::Int(IntKind::I16), 3, IntEncoding::Zigzag),
            encoded("medium", I32, 4, IntEncoding::Fixed),
            field("big", I64, 5),
            encoded("big_zigzag", I64, 6, IntEncoding::Zigzag),
            encoded("big_fixed", I64, 7, IntEncoding::Fixed),
            field("ubyte", Type::Int(IntKind::U8), 8),
            encoded("ushort", Type::Int(IntKind::U16), 9, IntEncoding::Fixed),
            field("uint", Type::Int(IntKind::U32), 10),
            field("ulong", Type::Int(IntKind::U64), 11),
            encoded(
                "ulong_fixed",
                Type::Int(IntKind::U64),
                12,
                IntEncoding::Fixed,
            ),
            field("ratio", Type::Float, 13),
            field("precise", Type::Double, 14),
            field("name", Type::String, 15),
            field("blob", Type::Bytes, 16),
            field("digest", Type::Fixed(32), 17),
            field("id", Type::Uuid, 18),
            field("born_on", Type::Date, 19),
            Field {
                options: FieldOptions {
                    decimal: Some(DecimalSpec {
                        precision: 10,
                        scale: 2,
                        fixed: None,
                    }),
                    ..OPTS
                },
                ..field("amount", Type::Decimal, 20)
            },
            field("at", Type::Timestamp, 21),
        ]),
    );

    static STATUS: Model = Model {
        doc: Some("Where an order is."),
        ..model(
            "OrderStatus",
            Some("com.acme.orders"),
            Shape::Enum(&[
                Symbol {
                    doc: Some("Not yet paid."),
                    ..symbol("Pending", 1)
                },
                symbol("in-progress", 2),
                symbol("HTTPShipped", 3),
            ]),
        )
    };

    static CARD: Model = model(
        "Card",
        Some("com.acme.orders"),
        Shape::Record(&[
            field("number", Type::String, 1),
            field("expires_on", Type::Date, 2),
        ]),
    );

    static CASH: Model = model("Cash", Some("com.acme.orders"), Shape::Record(&[]));

    static PAYMENT: Model = model(
        "Payment",
        Some("com.acme.orders"),
        Shape::Union(&Union {
            tagging: Tagging::External,
            variants: &[
                Variant {
                    doc: Some("Paid by card."),
                    ..variant("Card", 1, Payload::Struct(&CARD))
                },
                variant("Voucher", 2, Payload::Newtype(Type::String)),
                variant("Cash", 3, Payload::Struct(&CASH)),
                variant("GiftCode", 4, Payload::Newtype(I64)),
                variant("Status", 5, Payload::Newtype(Type::Named(|| &STATUS))),
            ],
        }),
    );

    static LINE: Model = model(
        "Line",
        Some("com.acme.orders"),
        Shape::Record(&[
            field("sku", Type::String, 1),
            field("quantity", Type::Int(IntKind::U32), 2),
        ]),
    );

    static ORDER: Model = Model {
        doc: Some("An order.\n\nPlaced by a customer."),
        ..model(
            "Order",
            Some("com.acme.orders"),
            Shape::Record(&[
                Field {
                    doc: Some("Unique id."),
                    ..field("id", Type::Uuid, 1)
                },
                Field {
                    tags: &["PII", "GDPR"],
                    ..field("customer_ssn", Type::String, 2)
                },
                field("status", Type::Named(|| &STATUS), 3),
                field("lines", Type::List(&Type::Named(|| &LINE)), 4),
                field("created_at", Type::Timestamp, 5),
                field("note", Type::Option(&Type::String), 6),
                field("attributes", Type::Map(&Type::String), 7),
                field("shipped_on", Type::Option(&Type::Date), 8),
                Field {
                    options: FieldOptions {
                        decimal: Some(DecimalSpec {
                            precision: 10,
                            scale: 2,
                            fixed: None,
                        }),
                        ..OPTS
                    },
                    ..field("total", Type::Decimal, 9)
                },
                field("payment", Type::Option(&Type::Named(|| &PAYMENT)), 10),
                field(
                    "previous_status",
                    Type::Option(&Type::Named(|| &STATUS)),
                    11,
                ),
                encoded("deltas", Type::List(&I32), 12, IntEncoding::Zigzag),
            ]),
        )
    };

    static WRAPPERS: Model = model(
        "Wrappers",
        None,
        Shape::Record(&[
            field("maybe_text", Type::Option(&Type::String), 1),
            encoded("maybe_int", Type::Option(&I32), 2, IntEncoding::Zigzag),
            field("maybe_line", Type::Option(&Type::Named(|| &LINE)), 3),
            field("maybe_at", Type::Option(&Type::Timestamp), 4),
            field("texts", Type::List(&Type::String), 5),
            encoded("longs", Type::List(&I64), 6, IntEncoding::Fixed),
            field("items", Type::List(&Type::Named(|| &LINE)), 7),
            field("stamps", Type::List(&Type::Timestamp), 8),
            field("counts", Type::Map(&I64), 9),
            field("by_sku", Type::Map(&Type::Named(|| &LINE)), 10),
            field("marks", Type::Map(&Type::Timestamp), 11),
            field("statuses", Type::Map(&Type::Named(|| &STATUS)), 12),
            field("maybe_days", Type::Option(&Type::Date), 13),
        ]),
    );

    static TREE: Model = model(
        "Tree",
        Some("com.acme.tree"),
        Shape::Record(&[
            field("label", Type::String, 1),
            field("children", Type::List(&Type::Named(|| &TREE)), 2),
            field("parent", Type::Option(&Type::Named(|| &TREE)), 3),
            field("by_name", Type::Map(&Type::Named(|| &TREE)), 4),
        ]),
    );

    // Two packages: com.acme.billing.Invoice uses com.acme.common.Money.
    static MONEY: Model = model(
        "Money",
        Some("com.acme.common"),
        Shape::Record(&[field("units", I64, 1), field("currency", Type::String, 2)]),
    );

    static INVOICE: Model = model(
        "Invoice",
        Some("com.acme.billing"),
        Shape::Record(&[
            field("total", Type::Named(|| &MONEY), 1),
            field("items", Type::List(&Type::Named(|| &MONEY)), 2),
            field("issued_at", Type::Timestamp, 3),
            field("unpackaged", Type::Named(|| &LOOSE), 4),
        ]),
    );

    static LOOSE: Model = model("Loose", None, Shape::Record(&[field("x", Type::Bool, 1)]));

    // ---- helpers --------------------------------------------------------------------------

    fn find_protoc() -> Option<PathBuf> {
        if let Some(p) = std::env::var_os("PROTOC").filter(|p| !p.is_empty()) {
            return Some(PathBuf::from(p));
        }
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .map(|d| d.join("protoc"))
            .find(|p| p.is_file())
    }

    fn write_files(dir: &Path, schema: &ProtoSchema) {
        let meta = std::iter::once((CONFLUENT_META_FILE, CONFLUENT_META_PROTO));
        for (name, text) in schema
            .files()
            .iter()
            .map(|f| (f.name.as_str(), f.text.as_str()))
            .chain(meta)
        {
            let path = dir.join(name);
            let parent = path.parent().expect("a file path has a parent");
            std::fs::create_dir_all(parent).expect("create temp dir");
            std::fs::write(&path, text).expect("write proto file");
        }
    }

    /// Compiles every rendered file with protoc (when installed) and protox.
    fn compile(schema: &ProtoSchema) {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "kafka-model-proto-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        write_files(&dir, schema);
        let listing: String = schema
            .files()
            .iter()
            .map(|f| format!("== {}\n{}", f.name, f.text))
            .collect();
        let paths: Vec<PathBuf> = schema.files().iter().map(|f| dir.join(&f.name)).collect();

        match find_protoc() {
            Some(protoc) => {
                let output = Command::new(&protoc)
                    .arg("-I")
                    .arg(&dir)
                    .arg(format!(
                        "--descriptor_set_out={}",
                        dir.join("out.pb").display()
                    ))
                    .arg("--fatal_warnings")
                    .args(schema.files().iter().map(|f| &f.name))
                    .output()
                    .expect("run protoc");
                assert!(
                    output.status.success(),
                    "protoc rejected the schema:\n{}\n{listing}",
                    String::from_utf8_lossy(&output.stderr)
                );
            }
            None if std::env::var_os("CI").is_some() => {
                panic!("protoc not found (set PROTOC or put it on PATH)")
            }
            None => eprintln!(
                "note: protoc not found (set PROTOC or put it on PATH); checking with protox only"
            ),
        }

        let fds = protox::compile(&paths, [&dir])
            .unwrap_or_else(|e| panic!("protox rejected the schema: {e:?}\n{listing}"));
        let main = fds
            .file
            .iter()
            .find(|f| f.name() == schema.main().name)
            .expect("main file in descriptor set");
        if let [top, path @ ..] = schema.message_indexes() {
            if !path.is_empty() {
                // A nested root: follow the message indexes down to it.
                let mut m = &main.message_type[*top as usize];
                let mut full = format!("{}.{}", main.package(), m.name());
                for i in path {
                    m = &m.nested_type[*i as usize];
                    full = format!("{full}.{}", m.name());
                }
                assert_eq!(full, schema.message_name(), "{listing}");
                std::fs::remove_dir_all(&dir).ok();
                return;
            }
        }
        let (package, name) = match schema.message_name().rsplit_once('.') {
            Some((p, n)) => (p, n),
            None => ("", schema.message_name()),
        };
        assert_eq!(main.package(), package);
        let first = main
            .message_type
            .first()
            .map(|m| m.name())
            .or_else(|| main.enum_type.first().map(|e| e.name()));
        assert_eq!(
            first,
            Some(name),
            "the root type is the main file's first declaration"
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    fn render_ok(m: &'static Model) -> ProtoSchema {
        let schema = render(m).unwrap_or_else(|e| panic!("render {}: {e}", m.rust_name));
        compile(&schema);
        schema
    }

    fn unrepresentable(m: &'static Model) -> (String, String) {
        match render(m) {
            Err(SchemaError::Unrepresentable {
                format,
                field,
                reason,
                ..
            }) => {
                assert_eq!(format, "Protobuf");
                (field.to_string(), reason)
            }
            other => panic!("expected Unrepresentable, got {other:?}"),
        }
    }

    fn has_line(schema: &ProtoSchema, line: &str) -> bool {
        schema
            .files()
            .iter()
            .any(|f| f.text.lines().any(|l| l.trim() == line))
    }

    fn assert_lines(schema: &ProtoSchema, lines: &[&str]) {
        for line in lines {
            assert!(
                has_line(schema, line),
                "missing `{line}` in\n{}",
                schema.main().text
            );
        }
    }

    // ---- tests ----------------------------------------------------------------------------

    #[test]
    fn scalars_with_every_encoding() {
        let schema = render_ok(&SCALARS);
        assert_eq!(schema.main().name, "com/acme/scalars.proto");
        assert_eq!(schema.message_name(), "com.acme.scalars.Scalars");
        assert_eq!(schema.files().len(), 1);
        assert_lines(
            &schema,
            &[
                "bool flag = 1;",
                "int32 tiny = 2;",
                "sint32 small = 3;",
                "sfixed32 medium = 4;",
                "int64 big = 5;",
                "sint64 big_zigzag = 6;",
                "sfixed64 big_fixed = 7;",
                "uint32 ubyte = 8;",
                "fixed32 ushort = 9;",
                "uint32 uint = 10;",
                "uint64 ulong = 11;",
                "fixed64 ulong_fixed = 12;",
                "float ratio = 13;",
                "double precise = 14;",
                "string name = 15;",
                "bytes blob = 16;",
                "bytes digest = 17; // exactly 32 bytes",
                "string id = 18; // UUID",
                "int32 born_on = 19; // days since 1970-01-01",
                "string amount = 20; // decimal(10, 2) as a string",
                "google.protobuf.Timestamp at = 21;",
            ],
        );
        assert_eq!(schema.imports_well_known(), vec![TIMESTAMP_FILE]);
        assert!(schema
            .main()
            .text
            .contains("import \"google/protobuf/timestamp.proto\";\n"));
    }

    #[test]
    fn zigzag_on_unsigned_is_unrepresentable() {
        static M: Model = model(
            "Bad",
            None,
            Shape::Record(&[encoded(
                "n",
                Type::List(&Type::Int(IntKind::U32)),
                1,
                IntEncoding::Zigzag,
            )]),
        );
        let (member, reason) = unrepresentable(&M);
        assert_eq!(member, "n");
        assert!(reason.contains("unsigned"), "{reason}");
        static M64: Model = model(
            "Bad",
            None,
            Shape::Record(&[encoded(
                "n",
                Type::Int(IntKind::U64),
                1,
                IntEncoding::Zigzag,
            )]),
        );
        unrepresentable(&M64);
    }

    #[test]
    fn optional_repeated_and_map() {
        let schema = render_ok(&WRAPPERS);
        // No namespace: the file is named after the root; the other packages' types are imported.
        assert_eq!(schema.main().name, "wrappers.proto");
        assert!(!schema.main().text.contains("package "));
        assert_eq!(schema.message_name(), "Wrappers");
        assert_lines(
            &schema,
            &[
                "optional string maybe_text = 1;",
                "optional sint32 maybe_int = 2;",
                "com.acme.orders.Line maybe_line = 3;",
                "google.protobuf.Timestamp maybe_at = 4;",
                "repeated string texts = 5;",
                "repeated sfixed64 longs = 6;",
                "repeated com.acme.orders.Line items = 7;",
                "repeated google.protobuf.Timestamp stamps = 8;",
                "map<string, int64> counts = 9;",
                "map<string, com.acme.orders.Line> by_sku = 10;",
                "map<string, google.protobuf.Timestamp> marks = 11;",
                "map<string, com.acme.orders.OrderStatus> statuses = 12;",
                "optional int32 maybe_days = 13; // days since 1970-01-01",
            ],
        );
        assert!(!schema.main().text.contains("packed"));
        let names: Vec<&str> = schema.files().iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["wrappers.proto", "com/acme/orders.proto"]);
        assert!(schema
            .main()
            .text
            .contains("import \"com/acme/orders.proto\";"));
    }

    #[test]
    fn optional_enum_is_optional_and_optional_message_is_plain() {
        let schema = render_ok(&ORDER);
        assert_lines(
            &schema,
            &[
                "optional OrderStatus previous_status = 11;",
                "Payment payment = 10;",
            ],
        );
    }

    #[test]
    fn nested_collections_become_wrapper_messages() {
        static STRING_LIST: Type = Type::List(&Type::String);
        let cases: [(&'static Model, &[&str]); 8] = {
            static A: Model = model(
                "A",
                None,
                Shape::Record(&[field("f", Type::Option(&STRING_LIST), 1)]),
            );
            static B: Model = model(
                "B",
                None,
                Shape::Record(&[field("f", Type::Option(&Type::Map(&Type::Bool)), 1)]),
            );
            static D: Model = model(
                "D",
                None,
                Shape::Record(&[field("f", Type::List(&STRING_LIST), 1)]),
            );
            static E: Model = model(
                "E",
                None,
                Shape::Record(&[field("f", Type::List(&Type::Option(&Type::Bool)), 1)]),
            );
            static F: Model = model(
                "F",
                None,
                Shape::Record(&[field("f", Type::List(&Type::Map(&Type::Bool)), 1)]),
            );
            static G: Model = model(
                "G",
                None,
                Shape::Record(&[field("f", Type::Map(&STRING_LIST), 1)]),
            );
            static H: Model = model(
                "H",
                None,
                Shape::Record(&[field(
                    "f",
                    Type::Map(&Type::Option(&Type::Named(|| &LINE))),
                    1,
                )]),
            );
            static I: Model = model(
                "I",
                None,
                Shape::Record(&[encoded(
                    "f",
                    Type::Map(&Type::Map(&Type::List(&Type::Int(IntKind::I64)))),
                    1,
                    IntEncoding::Zigzag,
                )]),
            );
            [
                (
                    &A,
                    &[
                        "message StringList {",
                        "repeated string value = 1;",
                        "StringList f = 1;",
                    ],
                ),
                (
                    &B,
                    &[
                        "message BoolMap {",
                        "map<string, bool> value = 1;",
                        "BoolMap f = 1;",
                    ],
                ),
                (
                    &D,
                    &["repeated string value = 1;", "repeated StringList f = 1;"],
                ),
                (
                    &E,
                    &[
                        "message BoolValue {",
                        "optional bool value = 1;",
                        "repeated BoolValue f = 1;",
                    ],
                ),
                (
                    &F,
                    &["map<string, bool> value = 1;", "repeated BoolMap f = 1;"],
                ),
                (
                    &G,
                    &[
                        "repeated string value = 1;",
                        "map<string, StringList> f = 1;",
                    ],
                ),
                (
                    &H,
                    &[
                        "message LineValue {",
                        "com.acme.orders.Line value = 1;",
                        "map<string, LineValue> f = 1;",
                    ],
                ),
                (
                    &I,
                    &[
                        "message Sint64List {",
                        "repeated sint64 value = 1;",
                        "message Sint64ListMap {",
                        "map<string, Sint64List> value = 1;",
                        "map<string, Sint64ListMap> f = 1;",
                    ],
                ),
            ]
        };
        for (m, lines) in cases {
            // `render_ok` compiles the files (protox).
            let schema = render_ok(m);
            assert_lines(&schema, lines);
            // Declared inside the message, before its fields.
            let text = &schema.main().text;
            let at = text.find(&format!("message {} {{\n  message ", m.name));
            assert!(at.is_some(), "{text}");
        }
        // Recursion through wrappers: `Vec<Vec<Box<Self>>>`, `Option<Vec<Self>>`.
        static R: Model = model(
            "R",
            Some("acme.rec"),
            Shape::Record(&[
                field("rows", Type::List(&Type::List(&Type::Named(|| &R))), 1),
                field("kids", Type::Option(&Type::List(&Type::Named(|| &R))), 2),
            ]),
        );
        let schema = render_ok(&R);
        assert_lines(
            &schema,
            &[
                "repeated R value = 1;",
                "repeated RList rows = 1;",
                "RList kids = 2;",
            ],
        );
        static C: Model = model(
            "C",
            None,
            Shape::Record(&[field("f", Type::Option(&Type::Option(&Type::Bool)), 1)]),
        );
        let (member, reason) = unrepresentable(&C);
        assert_eq!(member, "f");
        assert!(reason.contains("nested presence"), "{reason}");
    }

    #[test]
    fn wrapper_names_are_checked() {
        // A type declared in the message with a wrapper's name.
        static OWNER: Model = model(
            "Owner",
            Some("acme.wrap"),
            Shape::Record(&[
                field("rows", Type::List(&Type::List(&Type::Bool)), 1),
                field("own", Type::Named(|| &BOOL_LIST), 2),
            ]),
        );
        static BOOL_LIST: Model = Model {
            parent: Some(|| &OWNER),
            ..model("BoolList", Some("acme.wrap"), Shape::Record(&[]))
        };
        let err = render(&OWNER).unwrap_err().to_string();
        assert!(err.contains("wrapper message `BoolList`"), "{err}");

        // A top-level type with a wrapper's name is still reachable: a leading dot.
        static USER: Model = model(
            "User",
            Some("acme.wrap"),
            Shape::Record(&[
                field("rows", Type::List(&Type::List(&Type::Bool)), 1),
                field("top", Type::Named(|| &TOP_BOOL_LIST), 2),
            ]),
        );
        static TOP_BOOL_LIST: Model = model(
            "BoolList",
            Some("acme.wrap"),
            Shape::Record(&[field("x", Type::Bool, 1)]),
        );
        let schema = render_ok(&USER);
        assert_lines(
            &schema,
            &[
                "repeated BoolList rows = 1;",
                ".acme.wrap.BoolList top = 2;",
            ],
        );

        // Two element types with one simple name would make two wrappers of one name.
        static TWO: Model = model(
            "Two",
            Some("acme.wrap"),
            Shape::Record(&[
                field("a", Type::List(&Type::List(&Type::Named(|| &LEFT))), 1),
                field("b", Type::List(&Type::List(&Type::Named(|| &RIGHT))), 2),
            ]),
        );
        static LEFT: Model = model("Leaf", Some("acme.left"), Shape::Record(&[]));
        static RIGHT: Model = model("Leaf", Some("acme.right"), Shape::Record(&[]));
        let (member, reason) = unrepresentable(&TWO);
        assert_eq!(member, "b");
        assert!(reason.contains("`LeafList`"), "{reason}");
    }

    #[test]
    fn nested_and_recursive_messages() {
        let schema = render_ok(&TREE);
        assert_lines(
            &schema,
            &[
                "string label = 1;",
                "repeated Tree children = 2;",
                "Tree parent = 3;",
                "map<string, Tree> by_name = 4;",
            ],
        );
        assert_eq!(schema.files().len(), 1);
        assert!(schema.imports_well_known().is_empty());
    }

    // `#[record(parent = ..)]`: `Box.Lid` (a message), `Box.Shade` (an enum) and a top-level
    // `Lid` that `Box.Lid` would shadow inside `Box`.
    static BOX: Model = model(
        "Box",
        Some("acme.nest"),
        Shape::Record(&[
            field("lid", Type::Named(|| &BOX_LID), 1),
            field("shade", Type::Named(|| &BOX_SHADE), 2),
            field("plain", Type::Named(|| &TOP_LID), 3),
        ]),
    );
    static BOX_LID: Model = Model {
        rust_name: "BoxLid",
        parent: Some(|| &BOX),
        ..model(
            "Lid",
            Some("acme.nest"),
            Shape::Record(&[field("x", Type::Bool, 1)]),
        )
    };
    static BOX_SHADE: Model = Model {
        rust_name: "BoxShade",
        parent: Some(|| &BOX),
        // `Shade` enum values live in `Box`'s scope, not the package's.
        ..model(
            "Shade",
            Some("acme.nest"),
            Shape::Enum(&[symbol("Dark", 1)]),
        )
    };
    static TOP_LID: Model = model(
        "TopLid",
        Some("acme.nest"),
        Shape::Record(&[field("y", Type::Bool, 1)]),
    );
    static OTHER_SHADE: Model = model(
        "Shade",
        Some("acme.other"),
        Shape::Enum(&[symbol("Dark", 1)]),
    );
    static BAD_NS: Model = Model {
        parent: Some(|| &BOX),
        ..model("Elsewhere", Some("acme.other"), Shape::Record(&[]))
    };
    static IN_ENUM: Model = Model {
        parent: Some(|| &OTHER_SHADE),
        ..model("InEnum", Some("acme.other"), Shape::Record(&[]))
    };
    static LOOP_A: Model = Model {
        parent: Some(|| &LOOP_B),
        ..model("LoopA", Some("acme.loop"), Shape::Record(&[]))
    };
    static LOOP_B: Model = Model {
        parent: Some(|| &LOOP_A),
        ..model("LoopB", Some("acme.loop"), Shape::Record(&[]))
    };

    #[test]
    fn nested_declarations() {
        let schema = render_ok(&BOX);
        assert_eq!(schema.message_name(), "acme.nest.Box");
        assert_eq!(schema.message_indexes(), [0]);
        let text = &schema.main().text;
        assert!(
            text.contains("message Box {\n  message Lid {\n    bool x = 1;\n  }\n\n  enum Shade {\n    SHADE_UNSPECIFIED = 0;\n    SHADE_DARK = 1;\n  }\n\n  Lid lid = 1;\n  Shade shade = 2;\n  TopLid plain = 3;\n}\n"),
            "{text}"
        );
        // Rendered from the nested type: its parent comes along, the indexes point into it.
        let lid = render_ok(&BOX_LID);
        assert_eq!(lid.message_name(), "acme.nest.Box.Lid");
        assert_eq!(lid.message_indexes(), [0, 0]);
        assert_eq!(lid.main().text, schema.main().text);
        let shade = render(&BOX_SHADE).expect("renders");
        assert_eq!(shade.message_name(), "acme.nest.Box.Shade");

        let (_, reason) = unrepresentable(&BAD_NS);
        assert!(reason.contains("same namespace"), "{reason}");
        let (_, reason) = unrepresentable(&IN_ENUM);
        assert!(reason.contains("is an enum"), "{reason}");
        let (_, reason) = unrepresentable(&LOOP_A);
        assert!(reason.contains("comes back to it"), "{reason}");
    }

    #[test]
    fn enum_values() {
        let schema = render_ok(&STATUS);
        let expected = "syntax = \"proto3\";

package com.acme.orders;

// Where an order is.
enum OrderStatus {
  ORDER_STATUS_UNSPECIFIED = 0;
  // Not yet paid.
  ORDER_STATUS_PENDING = 1;
  ORDER_STATUS_IN_PROGRESS = 2;
  ORDER_STATUS_HTTP_SHIPPED = 3;
}
";
        assert_eq!(schema.main().text, expected);
    }

    #[test]
    fn enum_value_clashes() {
        // `Order` + `StatusPending` and `OrderStatus` + `Pending` both make ORDER_STATUS_PENDING.
        static A: Model = model(
            "Order",
            Some("p"),
            Shape::Enum(&[symbol("StatusPending", 1)]),
        );
        static B: Model = model(
            "OrderStatus",
            Some("p"),
            Shape::Enum(&[symbol("Pending", 1)]),
        );
        static ROOT: Model = model(
            "Root",
            Some("p"),
            Shape::Record(&[
                field("a", Type::Named(|| &A), 1),
                field("b", Type::Named(|| &B), 2),
            ]),
        );
        let (member, reason) = unrepresentable(&ROOT);
        assert_eq!(member, "Pending");
        assert!(
            reason.contains("ORDER_STATUS_PENDING") && reason.contains("package"),
            "{reason}"
        );

        // In different packages they do not clash.
        static C: Model = model(
            "OrderStatus",
            Some("q"),
            Shape::Enum(&[symbol("Pending", 1)]),
        );
        static OK: Model = model(
            "Root",
            Some("p"),
            Shape::Record(&[
                field("a", Type::Named(|| &A), 1),
                field("c", Type::Named(|| &C), 2),
            ]),
        );
        render_ok(&OK);

        // Within one enum: a symbol named like the zero value, numbers 0 and duplicates.
        static D: Model = model("E", None, Shape::Enum(&[symbol("Unspecified", 1)]));
        assert!(unrepresentable(&D).1.contains("clashes"));
        // A symbol numbered 0 is the zero value (first, whatever its place), nothing is
        // synthesized, and negative numbers are kept.
        static E: Model = model(
            "E",
            None,
            Shape::Enum(&[symbol("A", 1), symbol("Unspecified", 0), symbol("Back", -1)]),
        );
        let text = render_ok(&E).main().text.clone();
        assert!(
            text.contains("enum E {\n  E_UNSPECIFIED = 0;\n  E_A = 1;\n  E_BACK = -1;\n}"),
            "{text}"
        );
        static F: Model = model("E", None, Shape::Enum(&[symbol("A", 1), symbol("B", 1)]));
        assert!(unrepresentable(&F).1.contains("already used"));
        static G: Model = model(
            "E",
            None,
            Shape::Enum(&[symbol("Foo1", 1), symbol("foo_1", 2)]),
        );
        assert!(unrepresentable(&G).1.contains("clashes"));
    }

    #[test]
    fn oneof_union() {
        let schema = render_ok(&PAYMENT);
        let text = &schema.main().text;
        assert!(
            text.contains(
                "message Payment {
  oneof payment {
    // Paid by card.
    Card card = 1;
    string voucher = 2;
    Cash cash = 3;
    int64 gift_code = 4;
    OrderStatus status = 5;
  }
}
"
            ),
            "{text}"
        );
        assert!(text.contains("message Card {\n  string number = 1;\n  int32 expires_on = 2; // days since 1970-01-01\n}\n"));
        assert!(text.contains("message Cash {}\n"));

        static BAD: Model = model(
            "Bad",
            None,
            Shape::Union(&Union {
                tagging: Tagging::External,
                variants: &[variant(
                    "Many",
                    1,
                    Payload::Newtype(Type::List(&Type::String)),
                )],
            }),
        );
        let (member, reason) = unrepresentable(&BAD);
        assert_eq!(member, "Many");
        assert!(reason.contains("wrap it in a record"), "{reason}");

        // A member named like the oneof: the oneof gets another name.
        static SELF_NAMED: Model = model(
            "Pick",
            None,
            Shape::Union(&Union {
                tagging: Tagging::External,
                variants: &[variant("Pick", 1, Payload::Newtype(Type::Bool))],
            }),
        );
        let schema = render_ok(&SELF_NAMED);
        assert!(schema.main().text.contains("oneof pick_oneof {"));
    }

    #[test]
    fn tags_import_confluent_meta() {
        let schema = render_ok(&ORDER);
        assert_lines(
            &schema,
            &["string customer_ssn = 2 [(confluent.field_meta) = { tags: [\"PII\", \"GDPR\"] }];"],
        );
        assert_eq!(
            schema.imports_well_known(),
            vec![CONFLUENT_META_FILE, TIMESTAMP_FILE]
        );
        assert!(CONFLUENT_META_PROTO.contains("Meta field_meta = 1088;"));
        assert!(CONFLUENT_META_PROTO.contains("import \"google/protobuf/descriptor.proto\";"));
    }

    #[test]
    fn two_packages_make_two_files() {
        let schema = render_ok(&INVOICE);
        let names: Vec<&str> = schema.files().iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "com/acme/billing.proto",
                "com/acme/common.proto",
                "invoice.proto"
            ]
        );
        assert_eq!(
            schema.main().text,
            "syntax = \"proto3\";

package com.acme.billing;

import \"com/acme/common.proto\";
import \"google/protobuf/timestamp.proto\";
import \"invoice.proto\";

message Invoice {
  com.acme.common.Money total = 1;
  repeated com.acme.common.Money items = 2;
  google.protobuf.Timestamp issued_at = 3;
  Loose unpackaged = 4;
}
"
        );
        assert!(schema.files()[1]
            .text
            .contains("package com.acme.common;\n\nmessage Money {"));
        assert!(!schema.files()[2].text.contains("package"));
        assert_eq!(schema.imports_well_known(), vec![TIMESTAMP_FILE]);
    }

    #[test]
    fn import_cycle_is_unrepresentable() {
        static A: Model = model(
            "A",
            Some("pa"),
            Shape::Record(&[field("b", Type::Named(|| &B), 1)]),
        );
        static B: Model = model(
            "B",
            Some("pb"),
            Shape::Record(&[field("c", Type::Named(|| &C), 1)]),
        );
        static C: Model = model("C", Some("pa"), Shape::Record(&[field("x", Type::Bool, 1)]));
        let (member, reason) = unrepresentable(&A);
        assert_eq!(member, "b");
        assert!(
            reason.contains("pa.proto -> pb.proto -> pa.proto"),
            "{reason}"
        );
    }

    #[test]
    fn shadowed_names_get_a_leading_dot() {
        // Inside package `acme.google`, `google.protobuf.Timestamp` would resolve to `acme.google.protobuf`.
        static M: Model = model(
            "Event",
            Some("acme.google"),
            Shape::Record(&[
                field("at", Type::Timestamp, 1),
                Field {
                    tags: &["PII"],
                    ..field("who", Type::String, 2)
                },
                field("other", Type::Named(|| &OTHER), 3),
            ]),
        );
        static OTHER: Model = model("Other", Some("google.things"), Shape::Record(&[]));
        let schema = render_ok(&M);
        assert_lines(
            &schema,
            &[
                ".google.protobuf.Timestamp at = 1;",
                "string who = 2 [(confluent.field_meta) = { tags: [\"PII\"] }];",
                ".google.things.Other other = 3;",
            ],
        );
    }

    #[test]
    fn field_checks() {
        static DUP: Model = model(
            "Dup",
            None,
            Shape::Record(&[field("a", Type::Bool, 1), field("b", Type::Bool, 1)]),
        );
        assert!(unrepresentable(&DUP).1.contains("already used"));
        static JSON: Model = model(
            "Json",
            None,
            Shape::Record(&[
                field("foo_bar", Type::Bool, 1),
                field("fooBar", Type::Bool, 2),
            ]),
        );
        assert!(unrepresentable(&JSON).1.contains("differ"));
        static RESERVED: Model = model(
            "Reserved",
            None,
            Shape::Record(&[field("a", Type::Bool, 19_500)]),
        );
        assert!(unrepresentable(&RESERVED).1.contains("reserves"));
        static ZERO: Model = model("Zero", None, Shape::Record(&[field("a", Type::Bool, 0)]));
        assert!(unrepresentable(&ZERO).1.contains("from 1"));
        static NAME: Model = model("Bad-Name", None, Shape::Record(&[]));
        assert!(unrepresentable(&NAME).1.contains("identifier"));
    }

    #[test]
    fn name_collision_is_reported() {
        static A1: Model = model("Same", Some("p"), Shape::Record(&[]));
        static A2: Model = model(
            "Same",
            Some("p"),
            Shape::Record(&[field("x", Type::Bool, 1)]),
        );
        static ROOT: Model = model(
            "Root",
            Some("p"),
            Shape::Record(&[
                field("a", Type::Named(|| &A1), 1),
                field("b", Type::Named(|| &A2), 2),
            ]),
        );
        assert!(matches!(
            render(&ROOT),
            Err(SchemaError::NameCollision { .. })
        ));
    }

    #[test]
    fn case_conversions() {
        assert_eq!(snake_case("OrderStatus"), "order_status");
        assert_eq!(snake_case("HTTPServer"), "http_server");
        assert_eq!(snake_case("already_snake"), "already_snake");
        assert_eq!(snake_case("in-progress"), "in_progress");
        assert_eq!(snake_case("V2Thing"), "v2_thing");
        assert_eq!(screaming_snake_case("OrderStatus"), "ORDER_STATUS");
        assert_eq!(screaming_snake_case("PENDING"), "PENDING");
        assert_eq!(screaming_snake_case("camelCase"), "CAMEL_CASE");
        assert_eq!(map_entry_name("line_items"), "LineItemsEntry");
        assert_eq!(string_literal("a\"b\\c\u{e9}"), "\"a\\\"b\\\\c\\303\\251\"");
    }

    #[test]
    fn golden_order() {
        let schema = render_ok(&ORDER);
        let expected = r#"syntax = "proto3";

package com.acme.orders;

import "confluent/meta.proto";
import "google/protobuf/timestamp.proto";

// An order.
//
// Placed by a customer.
message Order {
  // Unique id.
  string id = 1; // UUID
  string customer_ssn = 2 [(confluent.field_meta) = { tags: ["PII", "GDPR"] }];
  OrderStatus status = 3;
  repeated Line lines = 4;
  google.protobuf.Timestamp created_at = 5;
  optional string note = 6;
  map<string, string> attributes = 7;
  optional int32 shipped_on = 8; // days since 1970-01-01
  string total = 9; // decimal(10, 2) as a string
  Payment payment = 10;
  optional OrderStatus previous_status = 11;
  repeated sint32 deltas = 12;
}

// Where an order is.
enum OrderStatus {
  ORDER_STATUS_UNSPECIFIED = 0;
  // Not yet paid.
  ORDER_STATUS_PENDING = 1;
  ORDER_STATUS_IN_PROGRESS = 2;
  ORDER_STATUS_HTTP_SHIPPED = 3;
}

message Line {
  string sku = 1;
  uint32 quantity = 2;
}

message Payment {
  oneof payment {
    // Paid by card.
    Card card = 1;
    string voucher = 2;
    Cash cash = 3;
    int64 gift_code = 4;
    OrderStatus status = 5;
  }
}

message Card {
  string number = 1;
  int32 expires_on = 2; // days since 1970-01-01
}

message Cash {}
"#;
        assert_eq!(schema.main().text, expected);
        assert_eq!(schema.files().len(), 1);
        assert_eq!(schema.message_name(), "com.acme.orders.Order");
    }
}
