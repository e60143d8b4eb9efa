//! The Protobuf side of the generator's promise, checked where the generated code is compiled:
//! a type's rendered `.proto` declares exactly what its input declares for that message.
//!
//! Both sides are compiled by protox and compared as descriptors, declaration by declaration
//! (the message and every type it reaches through its fields, nested types listed separately):
//! full names (so nesting and packages), fields with their numbers, types, labels, `optional`,
//! oneof membership and JSON names, the oneofs, options, reserved ranges, and enum values with
//! their numbers. Comments and file options are not compared: they do not change the wire format
//! or what a reader accepts.

use std::collections::{BTreeMap, HashMap};

use prost_types::{DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorSet};
use protox::file::{ChainFileResolver, File, FileResolver, GoogleFileResolver};

use super::SchemaMismatch;
use crate::Record;

/// Compares `T`'s rendered Protobuf schema with the declaration of `message` (the full name of
/// a message or enum, `acme.orders.v1.Order`) in `inputs` (`(file name, .proto text)` pairs,
/// compiled together as the generator did; imports of `google/protobuf/*.proto` are protox's
/// bundled files). A difference names the declaration and field (`acme.orders.v1.Order.note`).
///
/// ```
/// use kafka_model::Record;
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Record, Serialize, Deserialize)]
/// #[record(namespace = "acme")]
/// struct Ping {
///     seq: i64,
///     note: Option<String>,
/// }
///
/// let same = "syntax = \"proto3\";\npackage acme;\n\
///             message Ping { int64 seq = 1; optional string note = 2; }";
/// kafka_model::generate::check_proto::<Ping>(&[("ping.proto", same)], "acme.Ping").unwrap();
/// let other = same.replace("int64 seq", "sint64 seq");
/// let err = kafka_model::generate::check_proto::<Ping>(&[("ping.proto", &other)], "acme.Ping")
///     .unwrap_err();
/// assert!(err.to_string().contains("acme.Ping.seq"), "{err}");
/// ```
pub fn check_proto<T: Record>(
    inputs: &[(&str, &str)],
    message: &str,
) -> Result<(), SchemaMismatch> {
    let type_name = std::any::type_name::<T>().to_string();
    let unusable = |message: String| SchemaMismatch::Unusable {
        type_name: type_name.clone(),
        message,
    };
    if inputs.is_empty() {
        return Err(unusable("no input .proto files to compare with".into()));
    }
    let names: Vec<&str> = inputs.iter().map(|(n, _)| *n).collect();
    let theirs = compile(inputs, &names, false)
        .map_err(|e| unusable(format!("the input does not compile: {e}")))?;
    let schema = T::schemas()
        .proto()
        .map_err(|e| unusable(format!("renders no .proto: {e}")))?;
    let files: Vec<(&str, &str)> = schema
        .files()
        .iter()
        .map(|f| (f.name.as_str(), f.text.as_str()))
        .collect();
    let ours = compile(&files, &[schema.main().name.as_str()], false)
        .map_err(|e| unusable(format!("the rendered .proto does not compile: {e}")))?;
    let (ours, theirs) = (declarations(&ours), declarations(&theirs));
    let root = format!(".{message}");
    if !theirs.contains_key(&root) {
        return Err(unusable(format!(
            "the input declares no message `{message}`"
        )));
    }
    let our_root = format!(".{}", schema.message_name());
    let differs = |at: &str, ours: String, input: String| SchemaMismatch::Differs {
        type_name: type_name.clone(),
        at: at.trim_start_matches('.').to_string(),
        ours,
        input,
    };
    if our_root != root {
        return Err(differs(
            "the message's full name",
            our_root.trim_start_matches('.').into(),
            message.into(),
        ));
    }
    let (mut a, mut b) = (BTreeMap::new(), BTreeMap::new());
    reachable(&ours, &root, &mut a);
    reachable(&theirs, &root, &mut b);
    for (name, input) in &b {
        let Some(rendered) = a.get(name) else {
            return Err(differs(name, "(not declared)".into(), input.summary()));
        };
        if let Some((at, o, t)) = first_difference(name, rendered, input) {
            return Err(differs(&at, o, t));
        }
    }
    if let Some((name, rendered)) = a.iter().find(|(n, _)| !b.contains_key(*n)) {
        return Err(differs(name, rendered.summary(), "(not declared)".into()));
    }
    Ok(())
}

/// Compiles `files` (opening `open`), with `google/protobuf/*` and `confluent/meta.proto`
/// available for imports; with `source_info`, the comments are kept.
pub(crate) fn compile(
    files: &[(&str, &str)],
    open: &[&str],
    source_info: bool,
) -> Result<FileDescriptorSet, protox::Error> {
    let files: HashMap<String, String> = files
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    let mut resolver = ChainFileResolver::new();
    resolver.add(Memory { files });
    resolver.add(GoogleFileResolver::new());
    let mut compiler = protox::Compiler::with_file_resolver(resolver);
    compiler.include_imports(true);
    compiler.include_source_info(source_info);
    compiler.open_files(open)?;
    Ok(compiler.file_descriptor_set())
}

struct Memory {
    files: HashMap<String, String>,
}

impl FileResolver for Memory {
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

/// One declaration: a message without its nested declarations (they are declarations of
/// their own), or an enum.
#[derive(Debug, Clone, PartialEq)]
enum Decl {
    Message(DescriptorProto),
    Enum(EnumDescriptorProto),
}

impl Decl {
    fn summary(&self) -> String {
        match self {
            Decl::Message(m) => format!(
                "message with fields [{}]",
                m.field
                    .iter()
                    .map(field_summary)
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            Decl::Enum(e) => format!(
                "enum [{}]",
                e.value
                    .iter()
                    .map(|v| format!("{} = {}", v.name(), v.number()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

fn field_summary(f: &FieldDescriptorProto) -> String {
    let mut s = format!("{:?} {:?}", f.label(), f.r#type());
    if !f.type_name().is_empty() {
        s.push_str(&format!(" {}", f.type_name()));
    }
    s.push_str(&format!(" {} = {}", f.name(), f.number()));
    if let Some(i) = f.oneof_index {
        s.push_str(&format!(" (oneof #{i})"));
    }
    if f.proto3_optional() {
        s.push_str(" (optional)");
    }
    if let Some(j) = &f.json_name {
        s.push_str(&format!(" json_name {j}"));
    }
    if let Some(o) = &f.options {
        s.push_str(&format!(" options {o:?}"));
    }
    s
}

/// Every declaration of `set`, by full name with a leading dot (as field type names are).
fn declarations(set: &FileDescriptorSet) -> BTreeMap<String, Decl> {
    fn walk(prefix: &str, m: &DescriptorProto, out: &mut BTreeMap<String, Decl>) {
        let name = format!("{prefix}.{}", m.name());
        for n in &m.nested_type {
            walk(&name, n, out);
        }
        for e in &m.enum_type {
            out.insert(format!("{name}.{}", e.name()), Decl::Enum(e.clone()));
        }
        let mut m = m.clone();
        m.nested_type.clear();
        m.enum_type.clear();
        out.insert(name, Decl::Message(m));
    }
    let mut out = BTreeMap::new();
    for f in &set.file {
        let prefix = match f.package() {
            "" => String::new(),
            p => format!(".{p}"),
        };
        for m in &f.message_type {
            walk(&prefix, m, &mut out);
        }
        for e in &f.enum_type {
            out.insert(format!("{prefix}.{}", e.name()), Decl::Enum(e.clone()));
        }
    }
    out
}

/// The declarations `root` reaches through its fields (itself included).
fn reachable<'a>(
    types: &'a BTreeMap<String, Decl>,
    root: &str,
    out: &mut BTreeMap<String, &'a Decl>,
) {
    if out.contains_key(root) {
        return;
    }
    let Some(decl) = types.get(root) else {
        return;
    };
    out.insert(root.to_string(), decl);
    if let Decl::Message(m) = decl {
        for f in &m.field {
            if !f.type_name().is_empty() {
                reachable(types, f.type_name(), out);
            }
        }
    }
}

/// Where two declarations of one name differ: (path, ours, input).
fn first_difference(name: &str, ours: &Decl, input: &Decl) -> Option<(String, String, String)> {
    if ours == input {
        return None;
    }
    match (ours, input) {
        (Decl::Message(o), Decl::Message(t)) => {
            for f in &t.field {
                let at = format!("{name}.{}", f.name());
                match o.field.iter().find(|x| x.name() == f.name()) {
                    None => return Some((at, "(no such field)".into(), field_summary(f))),
                    Some(x) if x != f => return Some((at, field_summary(x), field_summary(f))),
                    Some(_) => {}
                }
            }
            if let Some(x) = o
                .field
                .iter()
                .find(|x| !t.field.iter().any(|f| f.name() == x.name()))
            {
                return Some((
                    format!("{name}.{}", x.name()),
                    field_summary(x),
                    "(no such field)".into(),
                ));
            }
            let order = |m: &DescriptorProto| {
                m.field
                    .iter()
                    .map(|f| f.name().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            if order(o) != order(t) {
                return Some((format!("{name} (field order)"), order(o), order(t)));
            }
            let oneofs = |m: &DescriptorProto| {
                m.oneof_decl
                    .iter()
                    .map(|d| format!("{d:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            if oneofs(o) != oneofs(t) {
                return Some((format!("{name} (oneofs)"), oneofs(o), oneofs(t)));
            }
            let rest = |m: &DescriptorProto| {
                let mut m = m.clone();
                m.field.clear();
                m.oneof_decl.clear();
                format!("{m:?}")
            };
            Some((name.to_string(), rest(o), rest(t)))
        }
        (Decl::Enum(o), Decl::Enum(t)) => {
            for (i, v) in t.value.iter().enumerate() {
                if o.value.get(i) != Some(v) {
                    let ours = o.value.get(i).map_or_else(
                        || "(no value)".into(),
                        |x| format!("{} = {}", x.name(), x.number()),
                    );
                    return Some((
                        format!("{name}.{}", v.name()),
                        ours,
                        format!("{} = {}", v.name(), v.number()),
                    ));
                }
            }
            Some((name.to_string(), ours.summary(), input.summary()))
        }
        _ => Some((name.to_string(), ours.summary(), input.summary())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decls(text: &str) -> BTreeMap<String, Decl> {
        declarations(&compile(&[("a.proto", text)], &["a.proto"], false).unwrap())
    }

    #[test]
    fn names_the_differing_field_and_value() {
        let a = decls("syntax = \"proto3\"; package p; message M { int32 a = 1; E e = 2; } enum E { E_X = 0; E_Y = 1; }");
        let b = decls("syntax = \"proto3\"; package p; message M { int32 a = 3; E e = 2; } enum E { E_X = 0; E_Z = 1; }");
        let (at, o, t) = first_difference(".p.M", &a[".p.M"], &b[".p.M"]).unwrap();
        assert_eq!(at, ".p.M.a");
        assert!(
            o.ends_with("a = 1 json_name a") && t.ends_with("a = 3 json_name a"),
            "{o} / {t}"
        );
        let (at, ..) = first_difference(".p.E", &a[".p.E"], &b[".p.E"]).unwrap();
        assert_eq!(at, ".p.E.E_Z");
        assert_eq!(first_difference(".p.M", &a[".p.M"], &a[".p.M"]), None);
    }

    #[test]
    fn nested_declarations_are_their_own() {
        let a = decls("syntax = \"proto3\"; message M { message N { string s = 1; } N n = 1; map<string, int32> m = 2; }");
        assert!(a.contains_key(".M.N") && a.contains_key(".M.MEntry"));
        let mut r = BTreeMap::new();
        reachable(&a, ".M", &mut r);
        assert_eq!(r.len(), 3);
    }
}
