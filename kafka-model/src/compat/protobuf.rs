//! Protobuf compatibility: Confluent's protobuf-provider schema diff.
//!
//! Two `.proto` files are compiled (pure Rust, with `protox`) and compared type by type and
//! field number by field number. Every difference is listed as a [`Difference`]
//! (`FIELD_ADDED #/TestMessage/3`), in the order Confluent's `SchemaDiff.compare` lists them;
//! the differences whose [`ChangeType`] is not [compatible](ChangeType::is_compatible) make the
//! change incompatible. The rules, briefly:
//!
//! * a changed `package`, a removed message, a required field added or removed: breaking;
//! * messages, enums, enum constants, fields and oneofs may be added or removed; a field may be
//!   renamed (its number is what counts), and `string` ↔ `bytes` may change label;
//! * a field's kind (scalar / message / map) must stay; scalars may only change within a wire
//!   group (`int32`/`int64`/`uint32`/`uint64`/`bool`/enums, `sint32`/`sint64`,
//!   `string`/`bytes`, `fixed32`/`sfixed32`, `fixed64`/`sfixed64`, `float`, `double`), and a
//!   numeric field may not switch between the explicit labels `optional`, `required` and
//!   `repeated` (a plain proto3 field has no label, as in Confluent's parser); message-typed
//!   fields keep their type's name (package aside) and the message is compared recursively;
//! * a oneof may gain members, may take in at most one existing field, never fields of two
//!   origins, and may not lose a member that is gone from the message.
//!
//! BACKWARD is `diff(previous, new)`; FORWARD is `diff(new, previous)`.
//!
//! ```
//! use kafka_model::compat::protobuf::{diff, ProtoSource};
//!
//! let v1 = ProtoSource::new("syntax = \"proto3\"; message A { string s = 1; }");
//! let v2 = ProtoSource::new("syntax = \"proto3\"; message A { string s = 1; int64 n = 2; }");
//! let changes = diff(&v1, &v2)?;
//! assert_eq!(changes[0].to_string(), "FIELD_ADDED #/A/2");
//! assert!(changes[0].change.is_compatible());
//! # Ok::<(), kafka_model::compat::CompatError>(())
//! ```

// Over 800 lines: a rule-for-rule reading of Confluent's protobuf `SchemaDiff`, kept in its order.

use std::collections::{HashMap, HashSet};
use std::fmt;

use prost_types::field_descriptor_proto::{Label as PLabel, Type as PType};
use prost_types::{DescriptorProto, EnumDescriptorProto, FileDescriptorProto};
use protox::file::{ChainFileResolver, File, FileResolver, GoogleFileResolver};

use super::java_order::{copy_capacity, order, union_order};
use super::{
    CompatError, CompatReport, CompatibilityLevel, Direction, Incompatibility, IncompatibilityKind,
    SchemaRole,
};

/// One `.proto` schema: its text, and the text of each file it imports (other than the
/// well-known `google/protobuf/*` files and `confluent/meta.proto`, which are built in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtoSource {
    /// File name the schema is compiled as (`schema.proto` unless set).
    pub name: String,
    /// The `.proto` text.
    pub text: String,
    /// Imported files: (import path, text).
    pub dependencies: Vec<(String, String)>,
}

impl ProtoSource {
    /// A schema with no imports of its own, compiled as `schema.proto`.
    pub fn new(text: impl Into<String>) -> Self {
        ProtoSource {
            name: "schema.proto".to_owned(),
            text: text.into(),
            dependencies: Vec::new(),
        }
    }

    /// Sets the file name the schema is compiled as.
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Adds an imported file (`import "common.proto";` → `with_dependency("common.proto", ...)`).
    ///
    /// ```
    /// use kafka_model::compat::protobuf::ProtoSource;
    /// let src = ProtoSource::new("syntax = \"proto3\"; import \"c.proto\"; message A { C c = 1; }")
    ///     .with_dependency("c.proto", "syntax = \"proto3\"; message C {}");
    /// assert!(kafka_model::compat::protobuf::diff(&src, &src)?.is_empty());
    /// # Ok::<(), kafka_model::compat::CompatError>(())
    /// ```
    pub fn with_dependency(mut self, name: impl Into<String>, text: impl Into<String>) -> Self {
        self.dependencies.push((name.into(), text.into()));
        self
    }
}

/// Confluent's `Difference.Type`: what changed between two Protobuf schemas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[allow(missing_docs)] // the names are Confluent's and self-describing
pub enum ChangeType {
    PackageChanged,
    MessageAdded,
    MessageRemoved,
    MessageMoved,
    EnumAdded,
    EnumRemoved,
    EnumConstAdded,
    EnumConstChanged,
    EnumConstRemoved,
    FieldAdded,
    FieldRemoved,
    FieldNameChanged,
    FieldKindChanged,
    FieldScalarKindChanged,
    FieldNamedTypeChanged,
    FieldNumericLabelChanged,
    FieldStringOrBytesLabelChanged,
    RequiredFieldAdded,
    RequiredFieldRemoved,
    OneofAdded,
    OneofRemoved,
    OneofFieldAdded,
    OneofFieldRemoved,
    OneofFieldMovedToTopLevel,
    FieldMovedToExistingOneof,
    MultipleFieldsMovedToOneof,
}

impl ChangeType {
    /// Confluent's name (`FIELD_SCALAR_KIND_CHANGED`).
    pub fn as_str(self) -> &'static str {
        use ChangeType::*;
        match self {
            PackageChanged => "PACKAGE_CHANGED",
            MessageAdded => "MESSAGE_ADDED",
            MessageRemoved => "MESSAGE_REMOVED",
            MessageMoved => "MESSAGE_MOVED",
            EnumAdded => "ENUM_ADDED",
            EnumRemoved => "ENUM_REMOVED",
            EnumConstAdded => "ENUM_CONST_ADDED",
            EnumConstChanged => "ENUM_CONST_CHANGED",
            EnumConstRemoved => "ENUM_CONST_REMOVED",
            FieldAdded => "FIELD_ADDED",
            FieldRemoved => "FIELD_REMOVED",
            FieldNameChanged => "FIELD_NAME_CHANGED",
            FieldKindChanged => "FIELD_KIND_CHANGED",
            FieldScalarKindChanged => "FIELD_SCALAR_KIND_CHANGED",
            FieldNamedTypeChanged => "FIELD_NAMED_TYPE_CHANGED",
            FieldNumericLabelChanged => "FIELD_NUMERIC_LABEL_CHANGED",
            FieldStringOrBytesLabelChanged => "FIELD_STRING_OR_BYTES_LABEL_CHANGED",
            RequiredFieldAdded => "REQUIRED_FIELD_ADDED",
            RequiredFieldRemoved => "REQUIRED_FIELD_REMOVED",
            OneofAdded => "ONEOF_ADDED",
            OneofRemoved => "ONEOF_REMOVED",
            OneofFieldAdded => "ONEOF_FIELD_ADDED",
            OneofFieldRemoved => "ONEOF_FIELD_REMOVED",
            OneofFieldMovedToTopLevel => "ONEOF_FIELD_MOVED_TO_TOP_LEVEL",
            FieldMovedToExistingOneof => "FIELD_MOVED_TO_EXISTING_ONEOF",
            MultipleFieldsMovedToOneof => "MULTIPLE_FIELDS_MOVED_TO_ONEOF",
        }
    }

    /// Whether the change keeps BACKWARD compatibility (Confluent's `COMPATIBLE_CHANGES`).
    ///
    /// ```
    /// use kafka_model::compat::protobuf::ChangeType;
    /// assert!(ChangeType::FieldRemoved.is_compatible());
    /// assert!(!ChangeType::FieldKindChanged.is_compatible());
    /// ```
    pub fn is_compatible(self) -> bool {
        use ChangeType::*;
        matches!(
            self,
            MessageAdded
                | MessageMoved
                | EnumAdded
                | EnumRemoved
                | EnumConstAdded
                | EnumConstChanged
                | EnumConstRemoved
                | FieldAdded
                | FieldRemoved
                | FieldNameChanged
                | FieldStringOrBytesLabelChanged
                | OneofAdded
                | OneofRemoved
                | OneofFieldAdded
                | OneofFieldMovedToTopLevel
        )
    }
}

impl fmt::Display for ChangeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One difference between an original and an updated Protobuf schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// What changed.
    pub change: ChangeType,
    /// Where, as Confluent writes it: `#/` then the type path and the field number or oneof
    /// name (`#/Outer/Inner/3`, `#/Msg/my_oneof`); `#/` alone for the file.
    pub path: String,
    /// A readable detail.
    pub detail: String,
}

impl fmt::Display for Difference {
    /// Confluent's form: `FIELD_ADDED #/TestMessage/3`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.change, self.path)
    }
}

/// Every difference from `original` to `update`, in Confluent's order.
///
/// # Errors
///
/// [`CompatError::InvalidProtobuf`] when either schema does not compile (role
/// [`SchemaRole::Previous`]`(0)` for `original`, [`SchemaRole::New`] for `update`).
///
/// ```
/// use kafka_model::compat::protobuf::{diff, ProtoSource};
/// let a = ProtoSource::new("syntax = \"proto3\"; package a; message M { int32 x = 1; }");
/// let b = ProtoSource::new("syntax = \"proto3\"; package b; message M { sint32 x = 1; }");
/// let found: Vec<String> = diff(&a, &b)?.iter().map(ToString::to_string).collect();
/// assert_eq!(found, ["PACKAGE_CHANGED #/", "FIELD_SCALAR_KIND_CHANGED #/M/1"]);
/// # Ok::<(), kafka_model::compat::CompatError>(())
/// ```
pub fn diff(original: &ProtoSource, update: &ProtoSource) -> Result<Vec<Difference>, CompatError> {
    let o = Schema::compile(original).map_err(|e| e.with_role(SchemaRole::Previous(0)))?;
    let u = Schema::compile(update).map_err(|e| e.with_role(SchemaRole::New))?;
    Ok(diff_schemas(&o, &u))
}

/// Checks a Protobuf schema against previous ones at a Confluent level (see
/// [`super::check`]): BACKWARD fails on breaking differences from a previous schema to the new
/// one, FORWARD on breaking differences from the new one to a previous one.
///
/// # Errors
///
/// [`CompatError::InvalidProtobuf`] when the new schema or a checked previous schema does not
/// compile.
///
/// ```
/// use kafka_model::compat::{protobuf::{check, ProtoSource}, CompatibilityLevel};
/// let v1 = ProtoSource::new("syntax = \"proto3\"; message M { optional int32 x = 1; }");
/// let v2 = ProtoSource::new("syntax = \"proto3\"; message M { repeated int32 x = 1; }");
/// let report = check(CompatibilityLevel::Backward, &v2, &[v1])?;
/// assert_eq!(report.issues[0].kind.to_string(), "FIELD_NUMERIC_LABEL_CHANGED");
/// # Ok::<(), kafka_model::compat::CompatError>(())
/// ```
pub fn check(
    level: CompatibilityLevel,
    new: &ProtoSource,
    previous: &[ProtoSource],
) -> Result<CompatReport, CompatError> {
    let new_schema = Schema::compile(new).map_err(|e| e.with_role(SchemaRole::New))?;
    let mut issues = Vec::new();
    for i in level.checked_indexes(previous.len()) {
        let Some(prev) = previous.get(i) else {
            continue;
        };
        let prev = Schema::compile(prev).map_err(|e| e.with_role(SchemaRole::Previous(i)))?;
        let mut push = |diffs: Vec<Difference>, direction| {
            issues.extend(
                diffs
                    .into_iter()
                    .filter(|d| !d.change.is_compatible())
                    .map(|d| Incompatibility {
                        path: d.path,
                        kind: IncompatibilityKind::Protobuf(d.change),
                        message: d.detail,
                        previous: i,
                        direction,
                    }),
            );
        };
        if level.is_backward() {
            push(diff_schemas(&prev, &new_schema), Direction::Backward);
        }
        if level.is_forward() {
            push(diff_schemas(&new_schema, &prev), Direction::Forward);
        }
    }
    Ok(CompatReport::from_issues(issues))
}

// ---------------------------------------------------------------------------------------------
// Compiled form

/// In-memory files first, then the well-known ones.
struct MemoryResolver {
    files: HashMap<String, String>,
}

impl FileResolver for MemoryResolver {
    fn open_file(&self, name: &str) -> Result<File, protox::Error> {
        match self.files.get(name) {
            Some(text) => File::from_source(name, text),
            None if name == "confluent/meta.proto" => {
                File::from_source(name, crate::schema::proto::CONFLUENT_META_PROTO)
            }
            None => Err(protox::Error::file_not_found(name)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Optional,
    Required,
    Repeated,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum FieldType {
    Scalar(&'static str),
    /// Full name without the leading dot.
    Named(String),
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldType::Scalar(s) => f.write_str(s),
            FieldType::Named(n) => f.write_str(n),
        }
    }
}

#[derive(Debug, Clone)]
struct Field {
    name: String,
    number: i32,
    /// `None` where Confluent's parser sees no label: plain proto3 fields, oneof members, maps.
    label: Option<Label>,
    ty: FieldType,
}

#[derive(Debug, Clone)]
struct Oneof {
    name: String,
    fields: Vec<Field>,
}

#[derive(Debug, Clone)]
struct Message {
    name: String,
    full_name: String,
    fields: Vec<Field>,
    oneofs: Vec<Oneof>,
    /// Indexes into `Schema::messages`, map entries excluded.
    nested_messages: Vec<usize>,
    nested_enums: Vec<usize>,
}

#[derive(Debug, Clone)]
struct Enum {
    name: String,
    values: Vec<(String, i32)>,
}

#[derive(Debug, Clone)]
enum TypeKind {
    Message(usize),
    Enum,
    MapEntry { key: FieldType, value: FieldType },
}

#[derive(Debug, Clone)]
struct TypeInfo {
    package: String,
    kind: TypeKind,
}

/// A compiled schema: the main file's types, and every type it can reach by name.
#[derive(Debug, Clone)]
struct Schema {
    package: String,
    top_messages: Vec<usize>,
    top_enums: Vec<usize>,
    messages: Vec<Message>,
    enums: Vec<Enum>,
    types: HashMap<String, TypeInfo>,
}

fn scalar_name(t: PType) -> &'static str {
    match t {
        PType::Double => "double",
        PType::Float => "float",
        PType::Int64 => "int64",
        PType::Uint64 => "uint64",
        PType::Int32 => "int32",
        PType::Fixed64 => "fixed64",
        PType::Fixed32 => "fixed32",
        PType::Bool => "bool",
        PType::String => "string",
        PType::Bytes => "bytes",
        PType::Uint32 => "uint32",
        PType::Sfixed32 => "sfixed32",
        PType::Sfixed64 => "sfixed64",
        PType::Sint32 => "sint32",
        PType::Sint64 => "sint64",
        PType::Group | PType::Message | PType::Enum => "message",
    }
}

fn is_map_entry(msg: &DescriptorProto) -> bool {
    msg.options
        .as_ref()
        .and_then(|o| o.map_entry)
        .unwrap_or(false)
}

fn field_type(f: &prost_types::FieldDescriptorProto) -> FieldType {
    match f.r#type() {
        PType::Message | PType::Enum | PType::Group => {
            FieldType::Named(f.type_name().trim_start_matches('.').to_owned())
        }
        other => FieldType::Scalar(scalar_name(other)),
    }
}

struct Builder {
    messages: Vec<Message>,
    enums: Vec<Enum>,
    types: HashMap<String, TypeInfo>,
    /// Full names of map-entry messages.
    map_entries: HashSet<String>,
}

impl Builder {
    /// Registers names (first pass, so that fields can tell maps from messages).
    fn collect_names(&mut self, prefix: &str, msgs: &[DescriptorProto]) {
        for m in msgs {
            let full = format!("{prefix}{}", m.name());
            if is_map_entry(m) {
                self.map_entries.insert(full.clone());
            }
            self.collect_names(&format!("{full}."), &m.nested_type);
        }
    }

    fn add_enum(&mut self, package: &str, prefix: &str, e: &EnumDescriptorProto) -> usize {
        let idx = self.enums.len();
        self.enums.push(Enum {
            name: e.name().to_owned(),
            values: e
                .value
                .iter()
                .map(|v| (v.name().to_owned(), v.number()))
                .collect(),
        });
        self.types.insert(
            format!("{prefix}{}", e.name()),
            TypeInfo {
                package: package.to_owned(),
                kind: TypeKind::Enum,
            },
        );
        idx
    }

    /// Adds a message; returns its index, or `None` for a map entry (recorded as a type only).
    fn add_message(
        &mut self,
        package: &str,
        proto3: bool,
        prefix: &str,
        m: &DescriptorProto,
    ) -> Option<usize> {
        let full_name = format!("{prefix}{}", m.name());
        if is_map_entry(m) {
            let find = |n: i32| {
                m.field
                    .iter()
                    .find(|f| f.number() == n)
                    .map(field_type)
                    .unwrap_or(FieldType::Scalar("string"))
            };
            self.types.insert(
                full_name,
                TypeInfo {
                    package: package.to_owned(),
                    kind: TypeKind::MapEntry {
                        key: find(1),
                        value: find(2),
                    },
                },
            );
            return None;
        }
        // Oneofs declared by `optional` in proto3 are synthetic: not oneofs to Confluent.
        let synthetic: HashSet<i32> = m
            .field
            .iter()
            .filter(|f| f.proto3_optional())
            .filter_map(|f| f.oneof_index)
            .collect();
        let mut oneofs: Vec<Oneof> = m
            .oneof_decl
            .iter()
            .map(|o| Oneof {
                name: o.name().to_owned(),
                fields: Vec::new(),
            })
            .collect();
        let mut fields = Vec::new();
        for f in &m.field {
            let ty = field_type(f);
            let is_map = matches!(&ty, FieldType::Named(n) if self.map_entries.contains(n));
            let in_oneof = f.oneof_index.filter(|i| !synthetic.contains(i));
            let label = if is_map || in_oneof.is_some() {
                None
            } else {
                match f.label() {
                    PLabel::Repeated => Some(Label::Repeated),
                    PLabel::Required => Some(Label::Required),
                    PLabel::Optional if proto3 && !f.proto3_optional() => None,
                    PLabel::Optional => Some(Label::Optional),
                }
            };
            let field = Field {
                name: f.name().to_owned(),
                number: f.number(),
                label,
                ty,
            };
            match in_oneof.and_then(|i| usize::try_from(i).ok()) {
                Some(i) => match oneofs.get_mut(i) {
                    Some(o) => o.fields.push(field),
                    None => fields.push(field),
                },
                None => fields.push(field),
            }
        }
        let synthetic_idx: HashSet<usize> = synthetic
            .iter()
            .filter_map(|i| usize::try_from(*i).ok())
            .collect();
        let oneofs = oneofs
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !synthetic_idx.contains(i))
            .map(|(_, o)| o)
            .collect();

        let idx = self.messages.len();
        self.messages.push(Message {
            name: m.name().to_owned(),
            full_name: full_name.clone(),
            fields,
            oneofs,
            nested_messages: Vec::new(),
            nested_enums: Vec::new(),
        });
        self.types.insert(
            full_name.clone(),
            TypeInfo {
                package: package.to_owned(),
                kind: TypeKind::Message(idx),
            },
        );
        let nested_prefix = format!("{full_name}.");
        let nested_messages: Vec<usize> = m
            .nested_type
            .iter()
            .filter_map(|n| self.add_message(package, proto3, &nested_prefix, n))
            .collect();
        let nested_enums: Vec<usize> = m
            .enum_type
            .iter()
            .map(|e| self.add_enum(package, &nested_prefix, e))
            .collect();
        if let Some(slot) = self.messages.get_mut(idx) {
            slot.nested_messages = nested_messages;
            slot.nested_enums = nested_enums;
        }
        Some(idx)
    }

    /// Adds a file's types; returns its top-level (messages, enums).
    fn add_file(&mut self, file: &FileDescriptorProto) -> (Vec<usize>, Vec<usize>) {
        let package = file.package().to_owned();
        let prefix = if package.is_empty() {
            String::new()
        } else {
            format!("{package}.")
        };
        let proto3 = file.syntax() == "proto3";
        let msgs = file
            .message_type
            .iter()
            .filter_map(|m| self.add_message(&package, proto3, &prefix, m))
            .collect();
        let enums = file
            .enum_type
            .iter()
            .map(|e| self.add_enum(&package, &prefix, e))
            .collect();
        (msgs, enums)
    }
}

impl Schema {
    fn compile(src: &ProtoSource) -> Result<Schema, CompatError> {
        let invalid = |e: protox::Error| CompatError::InvalidProtobuf {
            role: SchemaRole::Schema,
            reason: e.to_string(),
        };
        let mut files: HashMap<String, String> = src.dependencies.iter().cloned().collect();
        files.insert(src.name.clone(), src.text.clone());
        let mut resolver = ChainFileResolver::new();
        resolver.add(MemoryResolver { files });
        resolver.add(GoogleFileResolver::new());
        let mut compiler = protox::Compiler::with_file_resolver(resolver);
        compiler.include_imports(true);
        compiler.open_file(&src.name).map_err(invalid)?;
        let set = compiler.file_descriptor_set();

        let mut builder = Builder {
            messages: Vec::new(),
            enums: Vec::new(),
            types: HashMap::new(),
            map_entries: HashSet::new(),
        };
        for file in &set.file {
            let prefix = match file.package() {
                "" => String::new(),
                p => format!("{p}."),
            };
            builder.collect_names(&prefix, &file.message_type);
        }
        let mut main = None;
        let mut package = String::new();
        for file in &set.file {
            let tops = builder.add_file(file);
            if file.name() == src.name {
                package = file.package().to_owned();
                main = Some(tops);
            }
        }
        let (top_messages, top_enums) = main.unwrap_or_default();
        Ok(Schema {
            package,
            top_messages,
            top_enums,
            messages: builder.messages,
            enums: builder.enums,
            types: builder.types,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// The diff

fn diff_schemas(original: &Schema, update: &Schema) -> Vec<Difference> {
    let mut ctx = Ctx {
        o: original,
        u: update,
        visited: HashSet::new(),
    };
    let mut out = Vec::new();
    if original.package != update.package {
        out.push(Difference {
            change: ChangeType::PackageChanged,
            path: "#/".to_owned(),
            detail: format!(
                "package changed from `{}` to `{}`",
                original.package, update.package
            ),
        });
    }
    ctx.type_elements(
        (&original.top_messages, &original.top_enums),
        (&update.top_messages, &update.top_enums),
        &[],
        &mut out,
    );
    out
}

struct Ctx<'a> {
    o: &'a Schema,
    u: &'a Schema,
    /// Original messages whose fields were compared already (stops recursion).
    visited: HashSet<String>,
}

fn render_path(segments: &[String]) -> String {
    let mut s = "#/".to_owned();
    s.push_str(&segments.join("/"));
    s
}

fn push(out: &mut Vec<Difference>, change: ChangeType, path: &[String], detail: String) {
    out.push(Difference {
        change,
        path: render_path(path),
        detail,
    });
}

fn with(path: &[String], seg: impl ToString) -> Vec<String> {
    let mut p = path.to_vec();
    p.push(seg.to_string());
    p
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Scalar,
    Map,
    Message,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Scalar => "scalar",
            Kind::Map => "map",
            Kind::Message => "message",
        }
    }
}

/// Confluent's scalar groups (wire-compatible changes stay within one).
fn scalar_group(name: &str) -> u8 {
    match name {
        "int32" | "int64" | "uint32" | "uint64" | "bool" | "enum" => 0,
        "sint32" | "sint64" => 1,
        "string" | "bytes" => 2,
        "fixed32" | "sfixed32" => 3,
        "fixed64" | "sfixed64" => 4,
        "float" => 5,
        "double" => 6,
        _ => 7,
    }
}

impl Ctx<'_> {
    fn kind(schema: &Schema, ty: &FieldType) -> Kind {
        match ty {
            FieldType::Scalar(_) => Kind::Scalar,
            FieldType::Named(n) => match schema.types.get(n).map(|t| &t.kind) {
                Some(TypeKind::Enum) => Kind::Scalar,
                Some(TypeKind::MapEntry { .. }) => Kind::Map,
                _ => Kind::Message,
            },
        }
    }

    fn scalar(ty: &FieldType) -> &'static str {
        match ty {
            FieldType::Scalar(s) => s,
            FieldType::Named(_) => "enum",
        }
    }

    fn type_elements(
        &mut self,
        (o_msgs, o_enums): (&[usize], &[usize]),
        (u_msgs, u_enums): (&[usize], &[usize]),
        prefix: &[String],
        out: &mut Vec<Difference>,
    ) {
        let (o, u) = (self.o, self.u);
        let o_by_name: Vec<(String, usize)> = o_msgs
            .iter()
            .filter_map(|&i| o.messages.get(i).map(|m| (m.name.clone(), i)))
            .collect();
        let u_by_name: Vec<(String, usize)> = u_msgs
            .iter()
            .filter_map(|&i| u.messages.get(i).map(|m| (m.name.clone(), i)))
            .collect();
        let o_names: Vec<String> = o_by_name.iter().map(|(n, _)| n.clone()).collect();
        let u_names: Vec<String> = u_by_name.iter().map(|(n, _)| n.clone()).collect();
        for name in union_order(&o_names, &u_names) {
            let path = with(prefix, &name);
            let oi = o_by_name.iter().position(|(n, _)| *n == name);
            let ui = u_by_name.iter().position(|(n, _)| *n == name);
            match (oi, ui) {
                (Some(_), None) => push(
                    out,
                    ChangeType::MessageRemoved,
                    &path,
                    format!("message `{name}` removed"),
                ),
                (None, Some(_)) => push(
                    out,
                    ChangeType::MessageAdded,
                    &path,
                    format!("message `{name}` added"),
                ),
                (Some(oi), Some(ui)) => {
                    if let (Some((_, om)), Some((_, um))) = (o_by_name.get(oi), u_by_name.get(ui)) {
                        self.message(*om, *um, &path, out);
                    }
                    if oi != ui {
                        push(
                            out,
                            ChangeType::MessageMoved,
                            &path,
                            format!("message `{name}` moved from index {oi} to {ui}"),
                        );
                    }
                }
                (None, None) => {}
            }
        }

        let o_enum_names: Vec<(String, usize)> = o_enums
            .iter()
            .filter_map(|&i| o.enums.get(i).map(|e| (e.name.clone(), i)))
            .collect();
        let u_enum_names: Vec<(String, usize)> = u_enums
            .iter()
            .filter_map(|&i| u.enums.get(i).map(|e| (e.name.clone(), i)))
            .collect();
        let a: Vec<String> = o_enum_names.iter().map(|(n, _)| n.clone()).collect();
        let b: Vec<String> = u_enum_names.iter().map(|(n, _)| n.clone()).collect();
        for name in union_order(&a, &b) {
            let path = with(prefix, &name);
            let oe = o_enum_names
                .iter()
                .find(|(n, _)| *n == name)
                .and_then(|(_, i)| o.enums.get(*i));
            let ue = u_enum_names
                .iter()
                .find(|(n, _)| *n == name)
                .and_then(|(_, i)| u.enums.get(*i));
            match (oe, ue) {
                (Some(_), None) => push(
                    out,
                    ChangeType::EnumRemoved,
                    &path,
                    format!("enum `{name}` removed"),
                ),
                (None, Some(_)) => push(
                    out,
                    ChangeType::EnumAdded,
                    &path,
                    format!("enum `{name}` added"),
                ),
                (Some(oe), Some(ue)) => Self::enum_diff(oe, ue, &path, out),
                (None, None) => {}
            }
        }
    }

    fn enum_diff(o: &Enum, u: &Enum, path: &[String], out: &mut Vec<Difference>) {
        let a: Vec<i32> = o.values.iter().map(|(_, n)| *n).collect();
        let b: Vec<i32> = u.values.iter().map(|(_, n)| *n).collect();
        for tag in union_order(&a, &b) {
            let p = with(path, tag);
            // A later constant with the same number wins, as in a Java map.
            let ov = o.values.iter().rev().find(|(_, n)| *n == tag);
            let uv = u.values.iter().rev().find(|(_, n)| *n == tag);
            match (ov, uv) {
                (Some((name, _)), None) => push(
                    out,
                    ChangeType::EnumConstRemoved,
                    &p,
                    format!("enum constant {name} = {tag} removed"),
                ),
                (None, Some((name, _))) => push(
                    out,
                    ChangeType::EnumConstAdded,
                    &p,
                    format!("enum constant {name} = {tag} added"),
                ),
                (Some((a, _)), Some((b, _))) if a != b => push(
                    out,
                    ChangeType::EnumConstChanged,
                    &p,
                    format!("enum constant {tag} renamed from {a} to {b}"),
                ),
                _ => {}
            }
        }
    }

    fn message(&mut self, oi: usize, ui: usize, path: &[String], out: &mut Vec<Difference>) {
        let (o, u) = (self.o, self.u);
        let (Some(om), Some(um)) = (o.messages.get(oi), u.messages.get(ui)) else {
            return;
        };
        if self.visited.insert(om.full_name.clone()) {
            self.fields(om, um, path, out);
        }
        self.type_elements(
            (&om.nested_messages, &om.nested_enums),
            (&um.nested_messages, &um.nested_enums),
            path,
            out,
        );
    }

    fn fields(&mut self, om: &Message, um: &Message, path: &[String], out: &mut Vec<Difference>) {
        use ChangeType::*;
        // Top-level fields by number (declaration order), oneof members by number, and every
        // field by number with the oneof holding it.
        let mut o_top: Vec<&Field> = om.fields.iter().collect();
        let u_top: Vec<&Field> = um.fields.iter().collect();
        let o_top_tags_initial: Vec<i32> = o_top.iter().map(|f| f.number).collect();
        let mut o_all: HashMap<i32, (&Field, Option<&str>)> =
            o_top.iter().map(|f| (f.number, (*f, None))).collect();
        let mut u_all: HashMap<i32, (&Field, Option<&str>)> =
            u_top.iter().map(|f| (f.number, (*f, None))).collect();
        for oneof in &om.oneofs {
            for f in &oneof.fields {
                o_all.insert(f.number, (f, Some(oneof.name.as_str())));
            }
        }
        for oneof in &um.oneofs {
            for f in &oneof.fields {
                u_all.insert(f.number, (f, Some(oneof.name.as_str())));
            }
        }

        // Fields moved into oneofs of the update.
        for oneof in &um.oneofs {
            let p = with(path, &oneof.name);
            let mut moved = 0;
            let mut existing = 0;
            let mut origins: Vec<&str> = Vec::new();
            for f in &oneof.fields {
                if let Some(pos) = o_top.iter().position(|o| o.number == f.number) {
                    o_top.remove(pos);
                    moved += 1;
                } else if let Some((_, Some(from))) = o_all.get(&f.number) {
                    existing += 1;
                    if !origins.contains(from) {
                        origins.push(from);
                    }
                }
            }
            if moved > 1 {
                push(
                    out,
                    MultipleFieldsMovedToOneof,
                    &p,
                    format!("{moved} existing fields moved into oneof `{}`", oneof.name),
                );
            } else if (moved == 1 && existing > 0) || origins.len() > 1 {
                push(
                    out,
                    FieldMovedToExistingOneof,
                    &p,
                    format!(
                        "oneof `{}` takes in fields from different places (top level or other oneofs)",
                        oneof.name
                    ),
                );
            }
        }

        // Oneofs added, removed, changed.
        let o_names: Vec<String> = om.oneofs.iter().map(|o| o.name.clone()).collect();
        let u_names: Vec<String> = um.oneofs.iter().map(|o| o.name.clone()).collect();
        // Original oneofs in declaration order, then the new ones (what Confluent's examples
        // show; a Java hash order would put `new_oneof_2` before `new_oneof`).
        let mut oneof_order = o_names.clone();
        oneof_order.extend(u_names.iter().filter(|n| !o_names.contains(n)).cloned());
        for name in &oneof_order {
            let p = with(path, name);
            let oo = om.oneofs.iter().find(|o| o.name == *name);
            let uo = um.oneofs.iter().find(|o| o.name == *name);
            match (oo, uo) {
                (Some(_), None) => push(out, OneofRemoved, &p, format!("oneof `{name}` removed")),
                (None, Some(_)) => push(out, OneofAdded, &p, format!("oneof `{name}` added")),
                (Some(oo), Some(uo)) => {
                    let a: Vec<i32> = oo.fields.iter().map(|f| f.number).collect();
                    let b: Vec<i32> = uo.fields.iter().map(|f| f.number).collect();
                    for tag in union_order(&a, &b) {
                        let fp = with(&p, tag);
                        let of = oo.fields.iter().find(|f| f.number == tag);
                        let uf = uo.fields.iter().find(|f| f.number == tag);
                        match (of, uf) {
                            (Some(f), None) if !u_all.contains_key(&tag) => push(
                                out,
                                OneofFieldRemoved,
                                &fp,
                                format!("field {tag} (`{}`) removed from oneof `{name}`", f.name),
                            ),
                            (None, Some(f)) if !o_all.contains_key(&tag) => push(
                                out,
                                OneofFieldAdded,
                                &fp,
                                format!("field {tag} (`{}`) added to oneof `{name}`", f.name),
                            ),
                            (Some(of), Some(uf)) => self.field(of, uf, &fp, out),
                            _ => {}
                        }
                    }
                }
                (None, None) => {}
            }
        }
        // Members of removed oneofs that are gone, and of added oneofs that are new.
        for name in &oneof_order {
            let oo = om.oneofs.iter().find(|o| o.name == *name);
            let uo = um.oneofs.iter().find(|o| o.name == *name);
            match (oo, uo) {
                (Some(oo), None) => {
                    let tags: Vec<i32> = oo.fields.iter().map(|f| f.number).collect();
                    for tag in order(&tags, 16) {
                        if !u_all.contains_key(&tag) {
                            push(
                                out,
                                OneofFieldRemoved,
                                &with(&with(path, name), tag),
                                format!("field {tag} removed with oneof `{name}`"),
                            );
                        }
                    }
                }
                (None, Some(uo)) => {
                    let tags: Vec<i32> = uo.fields.iter().map(|f| f.number).collect();
                    for tag in order(&tags, 16) {
                        if !o_all.contains_key(&tag) {
                            push(
                                out,
                                OneofFieldAdded,
                                &with(&with(path, name), tag),
                                format!("field {tag} added with oneof `{name}`"),
                            );
                        }
                    }
                }
                _ => {}
            }
        }

        // Top-level fields.
        let o_tags: Vec<i32> = o_top.iter().map(|f| f.number).collect();
        let u_tags: Vec<i32> = u_top.iter().map(|f| f.number).collect();
        // The original map keeps the table size it had before fields were taken out.
        let o_iter: Vec<i32> = order(&o_top_tags_initial, 16)
            .into_iter()
            .filter(|t| o_tags.contains(t))
            .collect();
        let mut all = o_iter.clone();
        all.extend(order(&u_tags, 16));
        for tag in order(&all, copy_capacity(o_iter.len())) {
            let p = with(path, tag);
            let of = o_top.iter().find(|f| f.number == tag);
            let uf = u_top.iter().find(|f| f.number == tag);
            match (of, uf) {
                (Some(f), None) => {
                    let change = if f.label == Some(Label::Required) {
                        RequiredFieldRemoved
                    } else {
                        FieldRemoved
                    };
                    push(
                        out,
                        change,
                        &p,
                        format!("field {tag} (`{}`) removed", f.name),
                    );
                }
                (None, Some(f)) => {
                    let from_oneof = o_all.get(&tag).and_then(|(_, o)| *o);
                    if let Some(from) = from_oneof {
                        push(
                            out,
                            OneofFieldMovedToTopLevel,
                            &p,
                            format!("field {tag} (`{}`) moved out of oneof `{from}`", f.name),
                        );
                    } else if f.label == Some(Label::Required) {
                        push(
                            out,
                            RequiredFieldAdded,
                            &p,
                            format!("required field {tag} (`{}`) added", f.name),
                        );
                    } else {
                        push(
                            out,
                            FieldAdded,
                            &p,
                            format!("field {tag} (`{}`) added", f.name),
                        );
                    }
                }
                (Some(of), Some(uf)) => self.field(of, uf, &p, out),
                (None, None) => {}
            }
        }

        // Fields whose oneof membership changed are compared by number.
        let mut common: Vec<i32> = o_all
            .keys()
            .filter(|t| u_all.contains_key(t))
            .copied()
            .collect();
        common.sort_unstable();
        for tag in common {
            let (Some((of, oo)), Some((uf, uo))) = (o_all.get(&tag), u_all.get(&tag)) else {
                continue;
            };
            let same_place = match (oo, uo) {
                (None, None) => true,
                (Some(a), Some(b)) => a == b,
                _ => false,
            };
            if same_place {
                continue;
            }
            let p = match uo {
                Some(name) => with(&with(path, name), tag),
                None => with(path, tag),
            };
            self.field(of, uf, &p, out);
        }
    }

    fn field(&mut self, o: &Field, u: &Field, path: &[String], out: &mut Vec<Difference>) {
        if o.name != u.name {
            push(
                out,
                ChangeType::FieldNameChanged,
                path,
                format!(
                    "field {} renamed from `{}` to `{}`",
                    o.number, o.name, u.name
                ),
            );
        }
        self.labels_and_types(o.number, o.label, u.label, &o.ty, &u.ty, path, out);
    }

    #[allow(clippy::too_many_arguments)]
    fn labels_and_types(
        &mut self,
        number: i32,
        o_label: Option<Label>,
        u_label: Option<Label>,
        o_ty: &FieldType,
        u_ty: &FieldType,
        path: &[String],
        out: &mut Vec<Difference>,
    ) {
        let (o, u) = (self.o, self.u);
        let ok = Self::kind(o, o_ty);
        let uk = Self::kind(u, u_ty);
        if ok != uk {
            push(
                out,
                ChangeType::FieldKindChanged,
                path,
                format!(
                    "field {number} changed kind: {} -> {} ({o_ty} -> {u_ty})",
                    ok.name(),
                    uk.name()
                ),
            );
            return;
        }
        match ok {
            Kind::Scalar => {
                let (os, us) = (Self::scalar(o_ty), Self::scalar(u_ty));
                let group = scalar_group(os);
                if group != scalar_group(us) {
                    push(
                        out,
                        ChangeType::FieldScalarKindChanged,
                        path,
                        format!("field {number} changed scalar kind: {o_ty} -> {u_ty}"),
                    );
                } else if let (Some(a), Some(b)) = (o_label, u_label) {
                    if a != b {
                        let change = if group == 2 {
                            ChangeType::FieldStringOrBytesLabelChanged
                        } else {
                            ChangeType::FieldNumericLabelChanged
                        };
                        push(
                            out,
                            change,
                            path,
                            format!("field {number} changed label: {a:?} -> {b:?}").to_lowercase(),
                        );
                    }
                }
            }
            Kind::Map => {
                let entry = |s: &Schema, t: &FieldType| match t {
                    FieldType::Named(n) => match s.types.get(n).map(|i| &i.kind) {
                        Some(TypeKind::MapEntry { key, value }) => {
                            Some((key.clone(), value.clone()))
                        }
                        _ => None,
                    },
                    FieldType::Scalar(_) => None,
                };
                if let (Some((ok_, ov)), Some((uk_, uv))) = (entry(o, o_ty), entry(u, u_ty)) {
                    self.labels_and_types(number, None, None, &ok_, &uk_, path, out);
                    self.labels_and_types(number, None, None, &ov, &uv, path, out);
                }
            }
            Kind::Message => self.message_types(number, o_ty, u_ty, path, out),
        }
    }

    fn message_types(
        &mut self,
        number: i32,
        o_ty: &FieldType,
        u_ty: &FieldType,
        path: &[String],
        out: &mut Vec<Difference>,
    ) {
        let (o, u) = (self.o, self.u);
        let named_changed = |out: &mut Vec<Difference>| {
            push(
                out,
                ChangeType::FieldNamedTypeChanged,
                path,
                format!("field {number} changed message type: {o_ty} -> {u_ty}"),
            )
        };
        let (FieldType::Named(on), FieldType::Named(un)) = (o_ty, u_ty) else {
            if o_ty != u_ty {
                named_changed(out);
            }
            return;
        };
        let (Some(oi), Some(ui)) = (o.types.get(on), u.types.get(un)) else {
            if on != un {
                named_changed(out);
            }
            return;
        };
        let local = |full: &str, package: &str| -> String {
            if package.is_empty() {
                full.to_owned()
            } else {
                full.strip_prefix(&format!("{package}."))
                    .unwrap_or(full)
                    .to_owned()
            }
        };
        let o_local = local(on, &oi.package);
        let u_local = local(un, &ui.package);
        if o_local != u_local {
            named_changed(out);
            return;
        }
        let (TypeKind::Message(om), TypeKind::Message(um)) = (&oi.kind, &ui.kind) else {
            return;
        };
        let sub_path: Vec<String> = o_local.split('.').map(str::to_owned).collect();
        let mut sub = Vec::new();
        self.message(*om, *um, &sub_path, &mut sub);
        let breaking = sub.iter().any(|d| !d.change.is_compatible());
        out.extend(sub);
        if breaking {
            named_changed(out);
        }
    }
}
