//! `.proto` files → Rust source. protox compiles the inputs (imports among them, and
//! `google/protobuf/*.proto` from its bundled copies) into descriptors; each message and enum
//! becomes a type with the attributes that reproduce it: package → `namespace` (one module per
//! package), field numbers → `tag`, nested declarations → `parent` (flat in the package's
//! module, named `<Parent><Name>`), oneofs → `#[record(oneof)]` fields holding an enum declared
//! inside the message, enums with every value numbered and an `unknown` variant (proto3 enums
//! are open). What the derive cannot express is a [`GenerateError::NotExpressible`].

// Over 800 lines: one walk over protox's descriptors; the last ~120 lines are its tests.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{DescriptorProto, EnumDescriptorProto, FieldDescriptorProto};

use super::check_proto::compile;
use super::generator::{
    embedded_checks, format_source, nested_modules, raw_literal, read_inputs, snake, write_output,
};
use super::{GenerateError, Generated, Generator, Root};
use crate::schema::naming::{screaming_snake_case, snake_case};

/// The derive list of every generated type.
const DERIVES: &str =
    "#[derive(Debug, Clone, PartialEq, kafka_model::Record, serde::Serialize, serde::Deserialize)]";

const TIMESTAMP: &str = "chrono::DateTime<chrono::Utc>";

/// Rust reserved words: a name that is one gets a trailing `_` (and a serde rename).
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Type names the generated code uses unqualified: a message named so gets a suffix.
const USED_NAMES: &[&str] = &["Option", "Vec", "String", "Box", "Result", "Some", "None"];

impl Generator {
    /// The file [`Generator::compile_proto`] writes into its output directory.
    pub const PROTO_OUTPUT_FILE: &'static str = "kafka_model_proto.rs";

    /// Generates one source from `(file name, .proto text)` inputs, compiled together (a file
    /// may import another input by its name, and `google/protobuf/*.proto`). Every message and
    /// enum of the inputs becomes a type; [`Generated::roots`] lists the messages in declaration
    /// order, each `input` being `<file>:<full message name>`. [`Generator::map_type`] takes a
    /// full Protobuf name, [`Generator::map_field`] `"<message full name>.<field>"`.
    ///
    /// ```
    /// use kafka_model::generate::Generator;
    ///
    /// let proto = r#"syntax = "proto3";
    /// package acme.orders;
    /// message Order {
    ///   message Line { string sku = 1; sint32 qty = 2; }
    ///   int64 id = 1;
    ///   repeated Line lines = 2;
    ///   oneof payment { string card = 3; bool cash = 4; }
    /// }"#;
    /// let out = Generator::new().generate_proto(&[("order.proto", proto)])?;
    /// assert!(out.source.contains("pub mod acme {"));
    /// assert!(out.source.contains("#[record(namespace = \"acme.orders\", name = \"Line\", parent = Order)]"));
    /// assert!(out.source.contains("pub lines: Vec<OrderLine>,"));
    /// assert!(out.source.contains("pub payment: Option<OrderPayment>,"));
    /// assert_eq!(out.roots[0].rust_path, "acme::orders::Order");
    /// assert_eq!(out.roots[1].input, "order.proto:acme.orders.Order.Line");
    /// # Ok::<(), kafka_model::generate::GenerateError>(())
    /// ```
    pub fn generate_proto(&self, inputs: &[(&str, &str)]) -> Result<Generated, GenerateError> {
        let names: Vec<&str> = inputs.iter().map(|(n, _)| *n).collect();
        let joined = names.join(", ");
        let set = compile(inputs, &names, true).map_err(|e| GenerateError::InvalidProto {
            input: joined.clone(),
            message: e.to_string(),
        })?;
        let mut emitter = Emitter::new(self);
        for name in &names {
            let file = set.file.iter().find(|f| f.name() == *name).ok_or_else(|| {
                GenerateError::InvalidProto {
                    input: name.to_string(),
                    message: "not compiled".into(),
                }
            })?;
            if file.syntax() != "proto3" {
                let syntax = match file.syntax() {
                    "" => "proto2",
                    s => s,
                };
                return Err(GenerateError::Unsupported {
                    at: name.to_string(),
                    reason: format!("{syntax} is not supported (kafka-model renders proto3)"),
                });
            }
            if !file.extension.is_empty() {
                return Err(not_expressible(name, "extensions"));
            }
            let comments: HashMap<Vec<i32>, String> = file
                .source_code_info
                .iter()
                .flat_map(|info| &info.location)
                .filter_map(|l| {
                    let text = l
                        .leading_comments
                        .as_deref()
                        .or(l.trailing_comments.as_deref())?;
                    Some((l.path.clone(), text.trim().to_string()))
                })
                .filter(|(_, text)| !text.is_empty())
                .collect();
            emitter.comments.push(comments);
            let package = file.package().to_string();
            let module: Vec<String> = if package.is_empty() {
                Vec::new()
            } else {
                package.split('.').map(|p| unkeyword(snake(p))).collect()
            };
            let at = Source {
                file: emitter.comments.len() - 1,
                path: Vec::new(),
            };
            for (i, m) in file.message_type.iter().enumerate() {
                let at = at.child(4, i);
                emitter.collect_message(name, &package, &module, None, m, at);
            }
            for (i, e) in file.enum_type.iter().enumerate() {
                emitter.collect_enum(&package, &module, None, e, at.child(5, i));
            }
        }
        emitter.assign_idents();
        for full in emitter.order.clone() {
            if emitter.gen.types.contains_key(&full) {
                continue;
            }
            match emitter.decls[&full].kind {
                Kind::Message(m) => emitter.message(&full, m)?,
                Kind::Enum(e) => emitter.enumeration(&full, e)?,
            }
        }
        let calls: Vec<String> = emitter
            .checked
            .iter()
            .map(|(full, rust_path)| {
                format!(
                    "kafka_model::generate::check_proto::<{rust_path}>(&PROTO_INPUTS, {})?;",
                    lit(full)
                )
            })
            .collect();
        let entries: Vec<String> = inputs
            .iter()
            .map(|(name, text)| format!("({}, {})", lit(name), raw_literal(text)))
            .collect();
        let checks = embedded_checks(
            "proto",
            " Checks that each generated message and enum renders exactly its input's declaration.",
            " The input files, in input order.",
            "(&str, &str)",
            &calls,
            &entries,
        );
        let source = format_source(&joined, &emitter.source(&checks))?;
        Ok(Generated {
            source,
            roots: emitter.roots.into_iter().map(|(_, r)| r).collect(),
        })
    }

    /// [`Generator::generate_proto`] from files, each named by its file name (so imports
    /// among them are by file name: put them in one directory).
    pub fn generate_proto_files(
        &self,
        paths: &[impl AsRef<Path>],
    ) -> Result<Generated, GenerateError> {
        let texts = read_inputs(paths, |p| {
            p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        })?;
        let inputs: Vec<(&str, &str)> = texts
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        self.generate_proto(&inputs)
    }

    /// Generates from `.proto` files into `out_dir/`[`Generator::PROTO_OUTPUT_FILE`] (for
    /// `include!`), and returns that path. In a build script, also prints
    /// `cargo:rerun-if-changed` for each input.
    pub fn compile_proto(
        &self,
        paths: &[impl AsRef<Path>],
        out_dir: impl AsRef<Path>,
    ) -> Result<PathBuf, GenerateError> {
        let generated = self.generate_proto_files(paths)?;
        write_output(
            paths,
            out_dir.as_ref().join(Self::PROTO_OUTPUT_FILE),
            &generated.source,
        )
    }
}

fn not_expressible(at: &str, construct: impl Into<String>) -> GenerateError {
    GenerateError::NotExpressible {
        at: at.to_string(),
        construct: construct.into(),
    }
}

fn lit(s: &str) -> String {
    format!("{s:?}")
}

/// `test_message` / `testMessage` → `TestMessage`.
fn pascal(name: &str) -> String {
    let mut out = String::new();
    let mut up = true;
    for c in name.chars() {
        if c == '_' {
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

/// serde's `rename_all = "snake_case"` of a variant identifier.
fn serde_snake(ident: &str) -> String {
    let mut out = String::new();
    for (i, c) in ident.char_indices() {
        if i > 0 && c.is_uppercase() {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

fn unkeyword(ident: String) -> String {
    if KEYWORDS.contains(&ident.as_str()) {
        format!("{ident}_")
    } else {
        ident
    }
}

/// protoc's default JSON name: underscores removed, the letter after each one capitalized.
fn json_name(name: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in name.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The path to `to` (module, ident) from inside module `from`.
fn path_from(from: &[String], to: &(Vec<String>, String)) -> String {
    if to.1.starts_with("crate::") {
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

/// Where a declaration is in its file, for its comments: the input's index and the
/// `SourceCodeInfo` path (`[4, i]` for the i-th message, `[.., 3, j]` for a nested one, ...).
#[derive(Clone)]
struct Source {
    file: usize,
    path: Vec<i32>,
}

impl Source {
    fn child(&self, field: i32, index: usize) -> Source {
        let mut path = self.path.clone();
        path.push(field);
        path.push(i32::try_from(index).unwrap_or(i32::MAX));
        Source {
            file: self.file,
            path,
        }
    }
}

#[derive(Clone, Copy)]
enum Kind<'a> {
    Message(&'a DescriptorProto),
    Enum(&'a EnumDescriptorProto),
}

struct Decl<'a> {
    kind: Kind<'a>,
    /// The Protobuf simple name.
    name: String,
    package: String,
    module: Vec<String>,
    /// The Rust identifier, or `crate::<path>` for a mapped type.
    ident: String,
    /// The enclosing message's full name.
    parent: Option<String>,
    file: String,
    source: Source,
}

/// Integer encodings, as `#[record(sint)]` / `#[record(fixed)]` choose them.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Enc {
    NotInt,
    Varint,
    Sint,
    Fixed,
}

/// The Rust type of one value of a field (before `Option`, `Vec`, map).
enum Elem {
    Scalar(&'static str, Enc),
    Message { path: String, full: String },
    Enum(String),
    Timestamp,
}

struct Emitter<'a> {
    gen: &'a Generator,
    decls: HashMap<String, Decl<'a>>,
    /// Full names in declaration order (depth first).
    order: Vec<String>,
    /// Map entry messages by full name.
    entries: HashMap<String, &'a DescriptorProto>,
    modules: BTreeMap<Vec<String>, Vec<String>>,
    taken: HashMap<Vec<String>, HashSet<String>>,
    /// (message full name, root) in declaration order.
    roots: Vec<(String, Root)>,
    /// (full name, Rust path) of every generated message and enum, for the embedded check.
    checked: Vec<(String, String)>,
    /// Each input's comments by `SourceCodeInfo` path.
    comments: Vec<HashMap<Vec<i32>, String>>,
}

impl<'a> Emitter<'a> {
    fn new(gen: &'a Generator) -> Self {
        Emitter {
            gen,
            decls: HashMap::new(),
            order: Vec::new(),
            entries: HashMap::new(),
            modules: BTreeMap::new(),
            taken: HashMap::new(),
            roots: Vec::new(),
            checked: Vec::new(),
            comments: Vec::new(),
        }
    }

    /// `#[doc]` lines of the comment at `source` (none without one).
    fn docs(&self, source: &Source) -> String {
        let mut out = String::new();
        let text = self
            .comments
            .get(source.file)
            .and_then(|c| c.get(&source.path));
        for line in text.into_iter().flat_map(|t| t.lines()) {
            let _ = writeln!(out, "#[doc = {}]", lit(&format!(" {}", line.trim_end())));
        }
        out
    }

    fn collect_message(
        &mut self,
        file: &str,
        package: &str,
        module: &[String],
        parent: Option<&str>,
        m: &'a DescriptorProto,
        source: Source,
    ) {
        let full = match parent {
            Some(p) => format!("{p}.{}", m.name()),
            None if package.is_empty() => m.name().to_string(),
            None => format!("{package}.{}", m.name()),
        };
        if m.options.as_ref().is_some_and(|o| o.map_entry()) {
            self.entries.insert(full, m);
            return;
        }
        self.decls.insert(
            full.clone(),
            Decl {
                kind: Kind::Message(m),
                name: m.name().to_string(),
                package: package.to_string(),
                module: module.to_vec(),
                ident: String::new(),
                parent: parent.map(str::to_string),
                file: file.to_string(),
                source: source.clone(),
            },
        );
        self.order.push(full.clone());
        for (i, n) in m.nested_type.iter().enumerate() {
            self.collect_message(file, package, module, Some(&full), n, source.child(3, i));
        }
        for (i, e) in m.enum_type.iter().enumerate() {
            self.collect_enum(package, module, Some(&full), e, source.child(4, i));
        }
    }

    fn collect_enum(
        &mut self,
        package: &str,
        module: &[String],
        parent: Option<&str>,
        e: &'a EnumDescriptorProto,
        source: Source,
    ) {
        let full = match parent {
            Some(p) => format!("{p}.{}", e.name()),
            None if package.is_empty() => e.name().to_string(),
            None => format!("{package}.{}", e.name()),
        };
        self.decls.insert(
            full.clone(),
            Decl {
                kind: Kind::Enum(e),
                name: e.name().to_string(),
                package: package.to_string(),
                module: module.to_vec(),
                ident: String::new(),
                parent: parent.map(str::to_string),
                file: String::new(),
                source,
            },
        );
        self.order.push(full);
    }

    fn claim(&mut self, module: &[String], wanted: String) -> String {
        let taken = self.taken.entry(module.to_vec()).or_default();
        let mut ident = wanted.clone();
        let mut n = 2;
        while USED_NAMES.contains(&ident.as_str()) || !taken.insert(ident.clone()) {
            ident = format!("{wanted}{n}");
            n += 1;
        }
        ident
    }

    /// Rust identifiers in declaration order (a parent before its nested types), so they do
    /// not depend on a hash order.
    fn assign_idents(&mut self) {
        for full in self.order.clone() {
            if let Some(path) = self.gen.types.get(&full) {
                let mapped = format!("crate::{}", path.trim_start_matches("crate::"));
                if let Some(d) = self.decls.get_mut(&full) {
                    d.ident = mapped;
                }
                continue;
            }
            let d = &self.decls[&full];
            let own = pascal(&d.name);
            let wanted = match &d.parent {
                // `crate::a::B` + `C`: the last segment.
                Some(p) => format!(
                    "{}{own}",
                    self.decls[p].ident.rsplit("::").next().unwrap_or_default()
                ),
                None => own,
            };
            let module = d.module.clone();
            let ident = self.claim(&module, wanted);
            if let Some(d) = self.decls.get_mut(&full) {
                d.ident = ident;
            }
        }
    }

    fn push(&mut self, module: &[String], item: String) {
        self.modules.entry(module.to_vec()).or_default().push(item);
    }

    /// `#[record(namespace, name, parent)]` of a declaration.
    fn container_args(&self, d: &Decl<'_>, ident: &str) -> String {
        let mut args = Vec::new();
        if !d.package.is_empty() {
            args.push(format!("namespace = {}", lit(&d.package)));
        }
        if ident != d.name {
            args.push(format!("name = {}", lit(&d.name)));
        }
        if let Some(p) = &d.parent {
            let p = &self.decls[p];
            args.push(format!(
                "parent = {}",
                path_from(&d.module, &(p.module.clone(), p.ident.clone()))
            ));
        }
        if args.is_empty() {
            String::new()
        } else {
            format!("#[record({})]\n", args.join(", "))
        }
    }

    /// The type a field's single value is read as.
    fn elem(
        &self,
        f: &FieldDescriptorProto,
        module: &[String],
        at: &str,
    ) -> Result<Elem, GenerateError> {
        let scalar = |t: &'static str, e: Enc| Ok(Elem::Scalar(t, e));
        match f.r#type() {
            Type::Double => scalar("f64", Enc::NotInt),
            Type::Float => scalar("f32", Enc::NotInt),
            Type::Int64 => scalar("i64", Enc::Varint),
            Type::Uint64 => scalar("u64", Enc::Varint),
            Type::Int32 => scalar("i32", Enc::Varint),
            Type::Fixed64 => scalar("u64", Enc::Fixed),
            Type::Fixed32 => scalar("u32", Enc::Fixed),
            Type::Bool => scalar("bool", Enc::NotInt),
            Type::String => scalar("String", Enc::NotInt),
            Type::Bytes => scalar("Vec<u8>", Enc::NotInt),
            Type::Uint32 => scalar("u32", Enc::Varint),
            Type::Sfixed32 => scalar("i32", Enc::Fixed),
            Type::Sfixed64 => scalar("i64", Enc::Fixed),
            Type::Sint32 => scalar("i32", Enc::Sint),
            Type::Sint64 => scalar("i64", Enc::Sint),
            Type::Group => Err(not_expressible(at, "a group")),
            Type::Message | Type::Enum => {
                let name = f.type_name().trim_start_matches('.');
                if name == "google.protobuf.Timestamp" {
                    return Ok(Elem::Timestamp);
                }
                let Some(d) = self.decls.get(name) else {
                    return Err(not_expressible(
                        at,
                        if name.starts_with("google.protobuf.") {
                            format!("the well-known type `{name}`")
                        } else {
                            format!("the type `{name}` of a file that is not an input")
                        },
                    ));
                };
                let path = path_from(module, &(d.module.clone(), d.ident.clone()));
                Ok(match d.kind {
                    Kind::Message(_) => Elem::Message {
                        path,
                        full: name.to_string(),
                    },
                    Kind::Enum(_) => Elem::Enum(path),
                })
            }
        }
    }

    /// Whether `target` reaches `current` through singular message fields (then a field of
    /// `current` holding `target` needs a `Box`).
    fn recursive(&self, current: &str, target: &str) -> bool {
        let mut seen = HashSet::new();
        let mut stack = vec![target.to_string()];
        while let Some(t) = stack.pop() {
            if t == current {
                return true;
            }
            if !seen.insert(t.clone()) {
                continue;
            }
            if let Some(Decl {
                kind: Kind::Message(m),
                ..
            }) = self.decls.get(&t)
            {
                for f in &m.field {
                    if f.label() != Label::Repeated && f.r#type() == Type::Message {
                        stack.push(f.type_name().trim_start_matches('.').to_string());
                    }
                }
            }
        }
        false
    }

    /// A single value's Rust type (messages boxed when recursive).
    fn value_text(&self, elem: &Elem, current: &str, boxed: bool) -> String {
        match elem {
            Elem::Scalar(t, _) => t.to_string(),
            Elem::Enum(p) => p.clone(),
            Elem::Timestamp => TIMESTAMP.to_string(),
            Elem::Message { path, full } => {
                if boxed && self.recursive(current, full) {
                    format!("Box<{path}>")
                } else {
                    path.clone()
                }
            }
        }
    }

    /// The Rust type of a (non-oneof) field and its `#[record(...)]` arguments.
    fn field_ty(
        &self,
        current: &str,
        f: &FieldDescriptorProto,
        module: &[String],
        at: &str,
    ) -> Result<(String, Vec<String>), GenerateError> {
        let enc_args = |e: Enc| match e {
            Enc::Sint => vec!["sint".to_string()],
            Enc::Fixed => vec!["fixed".to_string()],
            _ => Vec::new(),
        };
        let entry = (f.label() == Label::Repeated && f.r#type() == Type::Message)
            .then(|| self.entries.get(f.type_name().trim_start_matches('.')))
            .flatten();
        if let Some(entry) = entry {
            let (Some(k), Some(v)) = (entry.field.first(), entry.field.get(1)) else {
                return Err(not_expressible(at, "a map entry without key and value"));
            };
            let key = self.elem(k, module, at)?;
            let value = self.elem(v, module, at)?;
            let key_enc = match key {
                Elem::Scalar(t, e) if !matches!(t, "f32" | "f64" | "Vec<u8>") => e,
                _ => {
                    return Err(not_expressible(
                        at,
                        "a map key that is not a string, integer or bool",
                    ))
                }
            };
            let value_enc = match value {
                Elem::Scalar(_, e) => e,
                _ => Enc::NotInt,
            };
            let enc = match (key_enc, value_enc) {
                (Enc::NotInt, e) | (e, Enc::NotInt) => e,
                (a, b) if a == b => a,
                _ => {
                    return Err(not_expressible(
                        at,
                        "a map whose key and value have different integer encodings",
                    ))
                }
            };
            // `ordered_maps`: the entries stay in wire order, so a payload re-encodes to the
            // same bytes whatever order its writer chose.
            let map = if self.gen.ordered_maps {
                "indexmap::IndexMap"
            } else {
                "std::collections::BTreeMap"
            };
            let text = format!(
                "{map}<{}, {}>",
                self.value_text(&key, current, false),
                self.value_text(&value, current, false)
            );
            return Ok((text, enc_args(enc)));
        }
        let elem = self.elem(f, module, at)?;
        let enc = match elem {
            Elem::Scalar(_, e) => e,
            _ => Enc::NotInt,
        };
        let is_message = matches!(elem, Elem::Message { .. } | Elem::Timestamp);
        let text = match f.label() {
            Label::Repeated => format!("Vec<{}>", self.value_text(&elem, current, false)),
            Label::Required => return Err(not_expressible(at, "a required field")),
            Label::Optional if f.proto3_optional() && is_message => {
                let text = format!("Option<{}>", self.value_text(&elem, current, true));
                return Ok((text, vec!["optional".to_string()]));
            }
            Label::Optional if f.proto3_optional() || is_message => {
                format!("Option<{}>", self.value_text(&elem, current, true))
            }
            Label::Optional => self.value_text(&elem, current, true),
        };
        Ok((text, enc_args(enc)))
    }

    fn message(&mut self, full: &str, m: &'a DescriptorProto) -> Result<(), GenerateError> {
        if m.options.is_some() {
            return Err(not_expressible(full, "message options"));
        }
        if !m.reserved_range.is_empty() || !m.reserved_name.is_empty() {
            return Err(not_expressible(full, "reserved numbers or names"));
        }
        if !m.extension_range.is_empty() || !m.extension.is_empty() {
            return Err(not_expressible(full, "extensions"));
        }
        let d = &self.decls[full];
        let (module, ident, file) = (d.module.clone(), d.ident.clone(), d.file.clone());
        let source = d.source.clone();
        let mut item = self.docs(&source);
        let _ = writeln!(
            item,
            "{DERIVES}\n{}pub struct {ident} {{",
            self.container_args(d, &ident)
        );
        let mut field_idents = HashSet::new();
        let mut field_ident = |name: &str| {
            let wanted = unkeyword(snake(name));
            let mut id = wanted.clone();
            let mut n = 2;
            while !field_idents.insert(id.clone()) {
                id = format!("{wanted}{n}");
                n += 1;
            }
            id
        };
        let mut oneofs_done = HashSet::new();
        let mut extra_items = Vec::new();
        for (k, f) in m.field.iter().enumerate() {
            let at = format!("{full}.{}", f.name());
            let field_docs = self.docs(&source.child(2, k));
            if f.options.is_some() {
                return Err(not_expressible(&at, "field options"));
            }
            if f.default_value.is_some() {
                return Err(not_expressible(&at, "a default value"));
            }
            if f.json_name
                .as_deref()
                .is_some_and(|j| j != json_name(f.name()))
            {
                return Err(not_expressible(&at, "a custom json_name"));
            }
            if let (Some(index), false) = (f.oneof_index, f.proto3_optional()) {
                if !oneofs_done.insert(index) {
                    continue;
                }
                let decl = usize::try_from(index)
                    .ok()
                    .and_then(|i| m.oneof_decl.get(i))
                    .ok_or_else(|| not_expressible(&at, "a oneof without declaration"))?;
                let oneof_name = decl.name().to_string();
                let oneof_at = format!("{full}.{oneof_name}");
                if decl.options.is_some() {
                    return Err(not_expressible(&oneof_at, "oneof options"));
                }
                let members: Vec<&FieldDescriptorProto> = m
                    .field
                    .iter()
                    .filter(|x| x.oneof_index == Some(index) && !x.proto3_optional())
                    .collect();
                let wanted = format!("{ident}{}", pascal(&oneof_name));
                // Declared inside the message: a name of the message's own nested types is
                // taken there.
                let nested_names: HashSet<&str> = m
                    .nested_type
                    .iter()
                    .map(|n| n.name())
                    .chain(m.enum_type.iter().map(|e| e.name()))
                    .collect();
                let wanted = if nested_names.contains(wanted.as_str()) {
                    format!("{wanted}Oneof")
                } else {
                    wanted
                };
                let enum_ident = self.claim(&module, wanted);
                let member_docs: Vec<String> = m
                    .field
                    .iter()
                    .enumerate()
                    .filter(|(_, x)| x.oneof_index == Some(index) && !x.proto3_optional())
                    .map(|(k, _)| self.docs(&source.child(2, k)))
                    .collect();
                extra_items.push(self.oneof_enum(
                    full,
                    &enum_ident,
                    &members,
                    &member_docs,
                    &module,
                )?);
                let rust = field_ident(&oneof_name);
                item.push_str(&self.docs(&source.child(8, usize::try_from(index).unwrap_or(0))));
                let _ = writeln!(item, "#[record(oneof)]");
                if rust != oneof_name {
                    let _ = writeln!(item, "#[serde(rename = {})]", lit(&oneof_name));
                }
                let _ = writeln!(item, "pub {rust}: Option<{enum_ident}>,");
                continue;
            }
            let (ty, mut args) = self.field_ty(full, f, &module, &at)?;
            let ty = match self.gen.fields.get(&at) {
                Some(p) => format!("crate::{}", p.trim_start_matches("crate::")),
                None => ty,
            };
            args.insert(0, format!("tag = {}", f.number()));
            let rust = field_ident(f.name());
            item.push_str(&field_docs);
            let _ = writeln!(item, "#[record({})]", args.join(", "));
            if rust != f.name() {
                let _ = writeln!(item, "#[serde(rename = {})]", lit(f.name()));
            }
            let _ = writeln!(item, "pub {rust}: {ty},");
        }
        item.push_str("}\n");
        self.push(&module, item);
        for extra in extra_items {
            self.push(&module, extra);
        }
        let rust_path = module
            .iter()
            .cloned()
            .chain([ident])
            .collect::<Vec<_>>()
            .join("::");
        self.checked.push((full.to_string(), rust_path.clone()));
        self.roots.push((
            full.to_string(),
            Root {
                input: format!("{file}:{full}"),
                rust_path,
            },
        ));
        Ok(())
    }

    /// The enum of a oneof, declared inside its message.
    fn oneof_enum(
        &self,
        full: &str,
        enum_ident: &str,
        members: &[&FieldDescriptorProto],
        docs: &[String],
        module: &[String],
    ) -> Result<String, GenerateError> {
        let d = &self.decls[full];
        let mut item = String::new();
        let mut args = Vec::new();
        if !d.package.is_empty() {
            args.push(format!("namespace = {}", lit(&d.package)));
        }
        args.push(format!("parent = {}", d.ident));
        let _ = writeln!(
            item,
            "{DERIVES}\n#[record({})]\n#[serde(rename_all = \"snake_case\")]\npub enum {enum_ident} {{",
            args.join(", ")
        );
        let mut variants = HashSet::new();
        for (k, f) in members.iter().enumerate() {
            let at = format!("{full}.{}", f.name());
            if f.label() != Label::Optional {
                return Err(not_expressible(&at, "a repeated oneof member"));
            }
            if snake_case(f.name()) != f.name() {
                return Err(not_expressible(
                    &at,
                    "a oneof member whose name is not snake_case (the derive names members in snake_case)",
                ));
            }
            let elem = self.elem(f, module, &at)?;
            let mut args = vec![format!("tag = {}", f.number())];
            match elem {
                Elem::Scalar(_, Enc::Sint) => args.push("sint".into()),
                Elem::Scalar(_, Enc::Fixed) => args.push("fixed".into()),
                _ => {}
            }
            let ty = match self.gen.fields.get(&at) {
                Some(p) => format!("crate::{}", p.trim_start_matches("crate::")),
                None => self.value_text(&elem, full, true),
            };
            let variant = pascal(f.name());
            if !variants.insert(variant.clone()) {
                return Err(not_expressible(
                    &at,
                    "two oneof members with one Rust variant name",
                ));
            }
            item.push_str(docs.get(k).map_or("", String::as_str));
            let _ = writeln!(item, "#[record({})]", args.join(", "));
            if serde_snake(&variant) != f.name() {
                let _ = writeln!(item, "#[serde(rename = {})]", lit(f.name()));
            }
            let _ = writeln!(item, "{variant}({ty}),");
        }
        item.push_str("}\n");
        Ok(item)
    }

    fn enumeration(&mut self, full: &str, e: &'a EnumDescriptorProto) -> Result<(), GenerateError> {
        if e.options.is_some() {
            return Err(not_expressible(full, "enum options (allow_alias)"));
        }
        if !e.reserved_range.is_empty() || !e.reserved_name.is_empty() {
            return Err(not_expressible(full, "reserved numbers or names"));
        }
        let d = &self.decls[full];
        let (module, ident) = (d.module.clone(), d.ident.clone());
        let prefix = format!("{}_", screaming_snake_case(&d.name));
        // The derive prefixes values with the enum's name; an enum with a value that lacks it
        // is declared `no_prefix`, its values whole.
        let prefixed = e.value.iter().all(|v| {
            v.name()
                .strip_prefix(&prefix)
                .is_some_and(|s| !s.is_empty())
        });
        let source = d.source.clone();
        let mut item = self.docs(&source);
        let mut container = self.container_args(d, &ident);
        if !prefixed {
            container.push_str("#[record(no_prefix)]\n");
        }
        let _ = writeln!(item, "{DERIVES}\n{container}pub enum {ident} {{");
        let mut variants = HashSet::new();
        for (k, v) in e.value.iter().enumerate() {
            let at = format!("{full}.{}", v.name());
            if v.options.is_some() {
                return Err(not_expressible(&at, "enum value options"));
            }
            let symbol = if prefixed {
                v.name().strip_prefix(&prefix).unwrap_or(v.name())
            } else {
                v.name()
            };
            let mut variant = pascal(&symbol.to_lowercase());
            if variant == "Self" {
                variant.push('_');
            }
            let mut args = vec![format!("tag = {}", v.number())];
            // The derive writes the SCREAMING_SNAKE_CASE of the serde name: the variant's (no
            // rename) or the symbol itself (a rename); any other value is named verbatim.
            let rename = screaming_snake_case(&variant) != symbol;
            let verbatim = rename && screaming_snake_case(symbol) != symbol;
            if verbatim {
                args.push(format!("proto_name = {}", lit(v.name())));
            }
            if variant.is_empty() || !variants.insert(variant.clone()) {
                return Err(not_expressible(
                    &at,
                    "two enum values with one Rust variant name",
                ));
            }
            item.push_str(&self.docs(&source.child(2, k)));
            let _ = writeln!(item, "#[record({})]", args.join(", "));
            if rename && !verbatim {
                let _ = writeln!(item, "#[serde(rename = {})]", lit(symbol));
            }
            let _ = writeln!(item, "{variant},");
        }
        let mut unknown = String::from("Unknown");
        while variants.contains(&unknown) {
            unknown.push_str("Number");
        }
        let _ = writeln!(
            item,
            "#[doc = \" A number this enum does not declare (proto3 enums are open).\"]\n#[record(unknown)]\n#[serde(untagged)]\n{unknown}(i32),\n}}"
        );
        let rust_path = module
            .iter()
            .cloned()
            .chain([ident])
            .collect::<Vec<_>>()
            .join("::");
        self.checked.push((full.to_string(), rust_path));
        self.push(&module, item);
        Ok(())
    }

    /// The generated source: one module per namespace, nested by namespace part, then `checks`.
    fn source(&self, checks: &str) -> String {
        nested_modules(&self.modules, checks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The source without indentation (prettyplease's), to compare lines with needles.
    fn unindented(source: &str) -> String {
        source.lines().map(str::trim).collect::<Vec<_>>().join("\n")
    }

    fn generate(text: &str) -> Result<Generated, GenerateError> {
        Generator::new().generate_proto(&[("a.proto", text)])
    }

    #[test]
    fn names_what_it_cannot_express() {
        let cases = [
            (
                "syntax = \"proto3\"; message M { map<sint32, int32> m = 1; }",
                "M.m",
                "encodings",
            ),
            (
                "syntax = \"proto3\"; message M { reserved 2; }",
                "M",
                "reserved",
            ),
        ];
        for (text, at, construct) in cases {
            match generate(text) {
                Err(GenerateError::NotExpressible {
                    at: a,
                    construct: c,
                }) => {
                    assert_eq!(a, at, "{text}");
                    assert!(c.contains(construct), "{text}: {c}");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
        assert!(matches!(
            generate("syntax = \"proto3\"; message M { N n = 1; }"),
            Err(GenerateError::InvalidProto { .. })
        ));
        // proto2 is out of scope, not a missing construct.
        let err = generate("syntax = \"proto2\"; message M { optional string s = 1; }")
            .expect_err("proto2 generated");
        assert!(matches!(err, GenerateError::Unsupported { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            "a.proto: proto2 is not supported (kafka-model renders proto3)"
        );
    }

    #[test]
    fn writes_unprefixed_values_encoded_members_and_optional_messages() {
        let out = generate(
            "syntax = \"proto3\";\n\
             enum Status { ACTIVE = 0; STATUS_OLD = 1; lower = 2; }\n\
             enum Kind { KIND_UNSPECIFIED = 0; KIND_odd = 1; }\n\
             message N {}\n\
             message M { optional N n = 1; N plain = 2; oneof o { sint64 a = 3; fixed32 b = 4; int64 c = 5; } }",
        )
        .unwrap();
        let s = unindented(&out.source);
        for needle in [
            "#[record(no_prefix)]\npub enum Status {",
            "#[record(tag = 0)]\nActive,",
            "#[record(tag = 1)]\nStatusOld,",
            "#[record(tag = 2, proto_name = \"lower\")]\nLower,",
            "pub enum Kind {",
            "#[record(tag = 1, proto_name = \"KIND_odd\")]\nOdd,",
            "#[record(tag = 1, optional)]\npub n: Option<N>,",
            "#[record(tag = 2)]\npub plain: Option<N>,",
            "#[record(tag = 3, sint)]\nA(i64),",
            "#[record(tag = 4, fixed)]\nB(u32),",
            "#[record(tag = 5)]\nC(i64),",
        ] {
            assert!(s.contains(needle), "no {needle:?} in\n{s}");
        }
        assert!(!s.contains("#[record(no_prefix)]\npub enum Kind"), "{s}");
    }

    #[test]
    fn writes_tags_nesting_oneofs_and_open_enums() {
        let out = generate(
            "syntax = \"proto3\"; package a.b;\n\
             // A message.\n\
             message M { enum Kind { KIND_UNSPECIFIED = 0; KIND_BIG_ONE = 2; }\n\
               // Its kind.\n\
               Kind kind = 3; oneof pick { string text = 1; M other = 2; } map<sint64, sint64> m = 4; }",
        )
        .unwrap();
        let s = unindented(&out.source);
        for needle in [
            "pub mod a {",
            "/// A message.\n#[derive(",
            "/// Its kind.\n#[record(tag = 3)]\npub kind: MKind,",
            "#[record(namespace = \"a.b\", name = \"Kind\", parent = M)]",
            "pub enum MKind {",
            "#[record(tag = 2)]\nBigOne,",
            "Unknown(i32),",
            "#[record(tag = 3)]\npub kind: MKind,",
            "#[record(oneof)]\npub pick: Option<MPick>,",
            "Other(Box<M>),",
            "#[record(tag = 4, sint)]\npub m: std::collections::BTreeMap<i64, i64>,",
            "check_proto::<a::b::M>(&PROTO_INPUTS, \"a.b.M\")?;",
            "check_proto::<a::b::MKind>(&PROTO_INPUTS, \"a.b.M.Kind\")?;",
        ] {
            assert!(s.contains(needle), "no {needle:?} in\n{s}");
        }
        assert_eq!(out.source, generate_again(), "not deterministic");
    }

    fn generate_again() -> String {
        generate(
            "syntax = \"proto3\"; package a.b;\n\
             // A message.\n\
             message M { enum Kind { KIND_UNSPECIFIED = 0; KIND_BIG_ONE = 2; }\n\
               // Its kind.\n\
               Kind kind = 3; oneof pick { string text = 1; M other = 2; } map<sint64, sint64> m = 4; }",
        )
        .unwrap()
        .source
    }
}
