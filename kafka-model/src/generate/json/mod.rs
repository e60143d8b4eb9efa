//! JSON Schema documents → Rust source: the data-shape subset. Objects → structs (closed by
//! `"additionalProperties": false`, else `#[record(open_content)]`), `additionalProperties`
//! schemas → maps, arrays → `Vec`, string enums → unit enums, nullable types (`[T, "null"]`, a
//! `oneOf`/`anyOf` of `null` and T) → `Option`, formats → chrono/uuid types, bounds →
//! `#[record(min, max, min_len, max_len, pattern)]`, `$ref`s to `#/definitions/..`,
//! `#/$defs/..` and `#` → the referenced type (a definition named `a.b.C` is `C` in module
//! `a::b` with that namespace), `$ref`s into an earlier input → its type (`json_refs`). A keyword that only constrains (`not`, `if`, `const`, ...) or
//! that the derive cannot render is a [`GenerateError::NotExpressible`] naming the keyword and
//! the JSON pointer where it is.

mod enums;
mod objects;
mod references;
mod scalars;
mod shapes;
#[cfg(test)]
mod tests;
mod tuples;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::avro::{camel, doc_lines, lit, DERIVES};
use super::generator::{
    format_source, nested_modules, read_inputs, text_input_checks, write_output,
};
use super::{GenerateError, Generated, Generator, Root};

use shapes::{is_map, is_tuple};

/// Keywords that constrain values without giving them a shape of their own: a type cannot say
/// them, so a schema using one is not expressible (by design, not for want of derive work).
pub(super) const CONSTRAINT_ONLY: &[&str] = &[
    "not",
    "if",
    "then",
    "else",
    "patternProperties",
    "dependencies",
    "dependentRequired",
    "dependentSchemas",
    "const",
    "contains",
    "minContains",
    "maxContains",
    "unevaluatedProperties",
    "unevaluatedItems",
];

/// Confluent's keyword for data-governance tags (the derive's `#[record(tags = [..])]`).
const TAGS: &str = "confluent:tags";

/// Type names the generated code uses unqualified: a type named so gets a suffix.
const USED_NAMES: &[&str] = &["Option", "Vec", "String", "Box", "Result", "Some", "None"];

/// A JSON value whose objects keep their key order (serde_json's `Map` sorts unless
/// `preserve_order` is on, and property order is field order, which is serde's output order).
#[derive(Debug, Clone, PartialEq)]
enum Doc {
    Null,
    Bool(bool),
    Num(serde_json::Number),
    Str(String),
    Arr(Vec<Doc>),
    Obj(Vec<(String, Doc)>),
}

impl<'de> serde::Deserialize<'de> for Doc {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Doc;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_unit<E>(self) -> Result<Doc, E> {
                Ok(Doc::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Doc, E> {
                Ok(Doc::Bool(b))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Doc, E> {
                Ok(Doc::Num(n.into()))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Doc, E> {
                Ok(Doc::Num(n.into()))
            }
            fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<Doc, E> {
                serde_json::Number::from_f64(n)
                    .map(Doc::Num)
                    .ok_or_else(|| E::custom("not a finite number"))
            }
            fn visit_str<E>(self, s: &str) -> Result<Doc, E> {
                Ok(Doc::Str(s.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Doc, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = a.next_element()? {
                    items.push(item);
                }
                Ok(Doc::Arr(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Doc, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = a.next_entry::<String, Doc>()? {
                    entries.push(entry);
                }
                Ok(Doc::Obj(entries))
            }
        }
        d.deserialize_any(V)
    }
}

type Obj = [(String, Doc)];

fn get<'a>(o: &'a Obj, key: &str) -> Option<&'a Doc> {
    o.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn text<'a>(o: &'a Obj, key: &str) -> Option<&'a str> {
    match get(o, key) {
        Some(Doc::Str(s)) => Some(s),
        _ => None,
    }
}

/// The JSON pointer of `parent` + `key`.
fn child(parent: &str, key: &str) -> String {
    let key = key.replace('~', "~0").replace('/', "~1");
    if parent.ends_with('/') {
        format!("{parent}{key}")
    } else {
        format!("{parent}/{key}")
    }
}

fn not_expressible(at: &str, construct: impl Into<String>) -> GenerateError {
    GenerateError::NotExpressible {
        at: at.to_string(),
        construct: construct.into(),
    }
}

/// A keyword the derive has no attribute for.
fn lacks(at: &str, what: &str) -> GenerateError {
    not_expressible(at, what)
}

/// A top-level newtype `pub struct Ident(<field_attrs>pub <inner>);`: a `Record` whose
/// schema is its inner type's, named after the input's `title` (`#[record(name)]`; without
/// one the derive names it after the shape, and the check ignores the root title) and
/// documented with its `description`.
fn top_level_newtype(o: &Obj, ident: &str, field_attrs: &str, inner: &str) -> String {
    let mut item = String::new();
    doc_lines(&mut item, text(o, "description"));
    let _ = writeln!(item, "{DERIVES}");
    if let Some(title) = text(o, "title") {
        let _ = writeln!(item, "#[record(name = {})]", lit(title));
    }
    let _ = writeln!(item, "pub struct {ident}({field_attrs}pub {inner});");
    item
}

fn is_ident_like(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A schema's shape, after `allOf` merging and `type` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    String,
    Integer,
    Number,
    Boolean,
    Null,
    Array,
    Object,
    /// A `oneOf` of `{"const": "V"}` and `{"V": payload}` objects: serde's externally tagged
    /// enum, as the derive writes it.
    Tagged,
    /// A `oneOf`/`anyOf` of other shapes, or a `type` list of several non-null types: serde's
    /// untagged enum (`anyOf` of the variants' schemas).
    Untagged,
    /// No `type` and no keyword that implies one: any JSON value (`serde_json::Value`).
    Any,
}

/// The Rust type of any JSON value: the generated crate needs a `serde_json` dependency.
const ANY_JSON: &str = "serde_json::Value";

/// Keywords that say nothing about a value's shape (read elsewhere, or annotations).
const ANNOTATIONS: &[&str] = &["description", "$schema", "definitions", "$defs", "$comment"];

/// A Rust type for a schema, with the validator attributes it needs on its field.
#[derive(Debug, Clone, Default)]
struct Ty {
    rust: String,
    /// `min_len`/`max_len` on the outermost value (string, list, map).
    length: Vec<String>,
    /// `min`/`max`/`pattern` on the innermost scalar.
    value: Vec<String>,
    /// A struct or enum: its module and ident.
    named: Option<(Vec<String>, String)>,
    /// `#[serde(...)]` the field needs (base64 bytes).
    serde: Option<String>,
}

impl Ty {
    /// Any JSON value.
    fn any() -> Ty {
        Ty {
            rust: ANY_JSON.into(),
            ..Ty::default()
        }
    }
}

struct Emitter<'g> {
    gen: &'g Generator,
    /// The current input: its name and parsed document.
    input: String,
    root: Vec<(String, Doc)>,
    modules: BTreeMap<Vec<String>, Vec<String>>,
    idents: BTreeMap<Vec<String>, BTreeSet<String>>,
    /// Named types generated for a pointer of the current input (`#` is the root).
    named: HashMap<String, (Vec<String>, String)>,
    /// `named` of each earlier input, by input name: what a `$ref` into it is.
    earlier: HashMap<String, HashMap<String, (Vec<String>, String)>>,
    /// Pointers whose type is being generated (a reference to one is recursion: `Box`).
    in_progress: BTreeSet<String>,
    roots: Vec<Root>,
}

impl Generator {
    /// The file [`Generator::compile_json`] writes into its output directory.
    pub const JSON_OUTPUT_FILE: &'static str = "kafka_model_json.rs";

    /// Generates one source from `(name, JSON Schema text)` inputs (draft 7, 2019-09 or
    /// 2020-12). Each input's root is a type named after its `title` (else the file stem):
    /// an object → a struct, a string enum → an enum, a string/integer/number/boolean → a
    /// newtype; its `$ref`s (`#/definitions/..`, `#/$defs/..`, `#`) are types of their own (a
    /// definition named `a.b.C` is `a::b::C` with namespace `a.b`), inline objects and enums
    /// are `<Parent><Field>`. A `$ref` into another input (`"money.json"`,
    /// `"money.json#/definitions/Cur"`: the input's name as written, as a registry reference
    /// names it) is that input's type, so dependencies come first; the check compares a root
    /// with its input with those documents bundled in as definitions.
    /// [`Generator::map_type`] takes a definition's name,
    /// [`Generator::map_field`] `"<type name>.<property>"` (type name with its namespace).
    /// The file ends with `check_json_schemas()` ([`check_json`](super::check_json) for each
    /// root) and a `#[test]` calling it.
    ///
    /// ```
    /// use kafka_model::generate::Generator;
    ///
    /// let schema = r##"{"title": "Order", "type": "object", "additionalProperties": false,
    ///   "properties": {
    ///     "id": {"type": "integer"},
    ///     "note": {"type": ["string", "null"], "maxLength": 80},
    ///     "status": {"type": "string", "enum": ["NEW", "DONE"]},
    ///     "lines": {"type": "array", "items": {"$ref": "#/definitions/acme.Line"}}},
    ///   "required": ["id", "status", "lines"],
    ///   "definitions": {"acme.Line": {"type": "object",
    ///     "properties": {"sku": {"type": "string"}}, "required": ["sku"]}}}"##;
    /// let out = Generator::new().generate_json(&[("order.json", schema)])?;
    /// assert!(out.source.contains("pub struct Order {"));
    /// assert!(out.source.contains("#[record(max_len = 80)]"));
    /// assert!(out.source.contains("pub note: Option<String>,"));
    /// assert!(out.source.contains("pub status: OrderStatus,"));
    /// assert!(out.source.contains("pub lines: Vec<acme::Line>,"));
    /// assert!(out.source.contains("#[record(namespace = \"acme\", open_content)]"));
    /// assert_eq!(out.roots[0].rust_path, "Order");
    ///
    /// // A keyword that only constrains is named, with where it is.
    /// let err = Generator::new()
    ///     .generate_json(&[("a.json", r#"{"type": "object", "properties": {"n": {"not": {}}}}"#)])
    ///     .unwrap_err();
    /// assert!(err.to_string().starts_with("a.json#/properties/n/not: `not`"), "{err}");
    /// # Ok::<(), kafka_model::generate::GenerateError>(())
    /// ```
    pub fn generate_json(&self, inputs: &[(&str, &str)]) -> Result<Generated, GenerateError> {
        let joined = inputs
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(", ");
        let mut emitter = Emitter {
            gen: self,
            input: String::new(),
            root: Vec::new(),
            modules: BTreeMap::new(),
            idents: BTreeMap::new(),
            named: HashMap::new(),
            earlier: HashMap::new(),
            in_progress: BTreeSet::new(),
            roots: Vec::new(),
        };
        for (name, text) in inputs {
            let doc: Doc = serde_json::from_str(text).map_err(|e| GenerateError::Invalid {
                input: name.to_string(),
                message: format!("not JSON: {e}"),
            })?;
            let Doc::Obj(root) = doc else {
                return Err(not_expressible(
                    &format!("{name}#"),
                    "a boolean schema (no data shape)",
                ));
            };
            let stem = Path::new(name)
                .file_stem()
                .map_or_else(|| name.to_string(), |s| s.to_string_lossy().into_owned());
            emitter.input = name.to_string();
            emitter.root = root;
            emitter.named.clear();
            let rust_path = emitter.root_type(&stem)?;
            emitter.roots.push(Root {
                input: name.to_string(),
                rust_path,
            });
            let named = std::mem::take(&mut emitter.named);
            emitter.earlier.insert(name.to_string(), named);
        }
        // The check compares each root with its input, the documents it references bundled in.
        let bundled = (0..inputs.len())
            .map(|i| super::json_refs::bundled(inputs, i))
            .collect::<Result<Vec<String>, _>>()?;
        let bundled: Vec<(&str, &str)> = inputs
            .iter()
            .zip(&bundled)
            .map(|((n, _), t)| (*n, t.as_str()))
            .collect();
        let checks = text_input_checks(
            "json",
            " Checks that each generated root type renders its input schema (Confluent's diff finds no difference either way).",
            &emitter.roots,
            &bundled,
            |i, rust_path| format!("kafka_model::generate::check_json::<{rust_path}>(JSON_INPUTS[{i}])?;"),
        );
        let source = format_source(&joined, &emitter.source(&checks))?;
        Ok(Generated {
            source,
            roots: emitter.roots,
        })
    }

    /// [`Generator::generate_json`] from files.
    pub fn generate_json_files(
        &self,
        paths: &[impl AsRef<Path>],
    ) -> Result<Generated, GenerateError> {
        let texts = read_inputs(paths, |p| p.display().to_string())?;
        let inputs: Vec<(&str, &str)> = texts
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        self.generate_json(&inputs)
    }

    /// Generates from JSON Schema files into `out_dir/`[`Generator::JSON_OUTPUT_FILE`] (for
    /// `include!`), and returns that path. In a build script, also prints
    /// `cargo:rerun-if-changed` for each input.
    pub fn compile_json(
        &self,
        paths: &[impl AsRef<Path>],
        out_dir: impl AsRef<Path>,
    ) -> Result<PathBuf, GenerateError> {
        let generated = self.generate_json_files(paths)?;
        write_output(
            paths,
            out_dir.as_ref().join(Self::JSON_OUTPUT_FILE),
            &generated.source,
        )
    }
}

impl Emitter<'_> {
    fn at(&self, pointer: &str) -> String {
        format!("{}{pointer}", self.input)
    }

    /// A fresh type ident in `module`, from a schema name.
    fn fresh(&mut self, module: &[String], base: &str) -> String {
        let mut base = camel(base);
        if USED_NAMES.contains(&base.as_str()) {
            base.push_str("Type");
        }
        let taken = self.idents.entry(module.to_vec()).or_default();
        let mut ident = base.clone();
        let mut n = 2;
        while taken.contains(&ident) {
            ident = format!("{base}{n}");
            n += 1;
        }
        taken.insert(ident.clone());
        ident
    }

    fn push_item(&mut self, module: &[String], item: String) {
        self.modules.entry(module.to_vec()).or_default().push(item);
    }

    /// The root's type; answers its path from the file.
    fn root_type(&mut self, stem: &str) -> Result<String, GenerateError> {
        let root = self.root.clone();
        let mut o = self.merged(&root, "#")?;
        // A root that is a `$ref` to a definition is that definition (draft 7 ignores the
        // `$ref`'s siblings; `definitions` stay where they are).
        let mut pointer = "#".to_string();
        if let Some(r) = text(&o, "$ref").filter(|r| *r != "#").map(str::to_string) {
            let (p, _, def) = self.definition(&r, "#")?;
            let Doc::Obj(def) = def else {
                return Err(lacks(&self.at(&p), "a boolean schema"));
            };
            o = self.merged(&def, &p)?;
            pointer = p;
        }
        let pointer = pointer.as_str();
        // The root's `$id` is its type's `#[record(json_id)]` (added once the type is written).
        let json_id = match get(&o, "$id") {
            None => None,
            Some(Doc::Str(id)) => Some(id.clone()),
            Some(_) => return Err(lacks(&self.at("#/$id"), "a malformed `$id`")),
        };
        o.retain(|(k, _)| k != "$id");
        for key in ["id", "default"] {
            if get(&o, key).is_some() {
                return Err(lacks(&self.at("#"), &format!("`{key}`")));
            }
        }
        let title = text(&o, "title");
        let name = match title {
            Some(t) if is_ident_like(t) => t.to_string(),
            Some(_) => {
                return Err(lacks(
                    &self.at("#/title"),
                    "a `title` that is not a type name",
                ))
            }
            None => stem.to_string(),
        };
        let module: Vec<String> = Vec::new();
        let ident = self.fresh(&module, &name);
        let rename = (title.is_some() && ident != name).then(|| name.clone());
        self.named
            .insert("#".to_string(), (module.clone(), ident.clone()));
        self.named
            .insert(pointer.to_string(), (module.clone(), ident.clone()));
        let kind = self.kind(&o, pointer)?;
        match kind {
            Some(Kind::Object) if !is_map(&o) => {
                self.in_progress.insert("#".into());
                self.in_progress.insert(pointer.into());
                self.structure(&o, pointer, &module, &ident, None, rename.as_deref())?;
                self.in_progress.remove("#");
                self.in_progress.remove(pointer);
            }
            Some(Kind::String) if get(&o, "enum").is_some() => {
                self.enumeration(&o, pointer, &module, &ident, None, rename.as_deref())?;
            }
            Some(Kind::Array) if is_tuple(&o) => {
                self.in_progress.insert("#".into());
                self.in_progress.insert(pointer.into());
                self.tuple(&o, pointer, &module, &ident, None, rename.as_deref())?;
                self.in_progress.remove("#");
                self.in_progress.remove(pointer);
            }
            // (`None`: `oneOf [null, T]` or a nullable `type` list at the top. No Record for
            // `Option`, but an untagged enum `T(T), Null(())` says the same.)
            k @ (Some(Kind::Tagged | Kind::Untagged) | None) => {
                self.in_progress.insert("#".into());
                self.in_progress.insert(pointer.into());
                if matches!(k, Some(Kind::Tagged)) {
                    self.tagged(&o, pointer, &module, &ident, None, rename.as_deref())?;
                } else {
                    self.untagged(&o, pointer, &module, &ident, None, rename.as_deref())?;
                }
                self.in_progress.remove("#");
                self.in_progress.remove(pointer);
            }
            Some(Kind::Any) => {
                let item = top_level_newtype(&o, &ident, "", "serde_json::Value");
                self.push_item(&module, item);
            }
            Some(k @ (Kind::String | Kind::Integer | Kind::Number | Kind::Boolean)) => {
                let ty = self.scalar(&o, pointer, k)?;
                if !["String", "i32", "i64", "f32", "f64", "bool"].contains(&ty.rust.as_str()) {
                    return Err(lacks(
                        &self.at("#"),
                        &format!("a top-level `{}` (the derive's newtype Record covers String, integers, floats and bool)", ty.rust),
                    ));
                }
                let item = top_level_newtype(&o, &ident, &newtype_validators(&ty), &ty.rust);
                self.push_item(&module, item);
            }
            Some(k @ (Kind::Object | Kind::Array | Kind::Null)) => {
                // A newtype over a list, a map or `()` is a `Record` rendering the bare
                // schema (its title and description from `#[record(name)]` and its doc).
                let shape = match k {
                    Kind::Object => "map",
                    Kind::Array => "array",
                    _ => "null",
                };
                let body: Vec<(String, Doc)> =
                    o.iter().filter(|(k, _)| k != "title").cloned().collect();
                let ty = self.ty(&Doc::Obj(body), pointer, &module, &ident, "")?;
                no_serde(&ty, &self.at("#"))?;
                // A newtype's field type is its inner type's (no name in between), so a list
                // or map holding the newtype itself is a cycle (a struct in between is fine).
                if ty
                    .rust
                    .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .any(|t| t == ident)
                {
                    return Err(lacks(
                        &self.at("#"),
                        &format!("a top-level {shape} holding itself (a recursive newtype)"),
                    ));
                }
                let item =
                    top_level_newtype(&o, &ident, &newtype_validators(&ty), unboxed(&ty.rust));
                self.push_item(&module, item);
            }
        }
        if let Some(id) = json_id {
            self.add_container_attr(&module, &ident, &format!("json_id = {}", lit(&id)))?;
        }
        Ok(ident)
    }

    /// Adds `#[record(attr)]` to the item declaring `ident` in `module` (the line before its
    /// `pub struct`/`pub enum`), for what is known only once its emitter has written it.
    fn add_container_attr(
        &mut self,
        module: &[String],
        ident: &str,
        attr: &str,
    ) -> Result<(), GenerateError> {
        let declares = |line: &str| {
            ["pub struct ", "pub enum "].iter().any(|kw| {
                line.strip_prefix(kw)
                    .and_then(|rest| rest.strip_prefix(ident))
                    .is_some_and(|rest| {
                        !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_')
                    })
            })
        };
        for item in self.modules.entry(module.to_vec()).or_default() {
            let mut start = 0;
            let mut at = None;
            for line in item.lines() {
                if declares(line) {
                    at = Some(start);
                    break;
                }
                start += line.len() + 1;
            }
            if let Some(at) = at {
                item.insert_str(at, &format!("#[record({attr})]\n"));
                return Ok(());
            }
        }
        Err(lacks(
            &self.at("#"),
            &format!("`{attr}` for a type it could not find"),
        ))
    }

    /// The generated source: one module per namespace, nested by namespace part, then `checks`.
    fn source(&self, checks: &str) -> String {
        nested_modules(&self.modules, checks)
    }
}

/// base64 bytes only as a field's own type (`kafka_model::base64` is for `Vec<u8>` fields).
fn no_serde(t: &Ty, at: &str) -> Result<(), GenerateError> {
    match t.serde {
        Some(_) => Err(lacks(at, "base64 bytes inside a list, map or `Option`")),
        None => Ok(()),
    }
}

/// A collection is indirection enough for recursion: `Box<T>` → `T`.
fn unboxed(rust: &str) -> &str {
    rust.strip_prefix("Box<")
        .and_then(|r| r.strip_suffix('>'))
        .unwrap_or(rust)
}

/// The bounds of a top-level value as validators on its newtype's field
/// (`#[record(max_len = 3)] `), which the derive renders on the root as a field's on its
/// property; empty without bounds.
fn newtype_validators(ty: &Ty) -> String {
    let rules: Vec<&str> = ty
        .length
        .iter()
        .chain(&ty.value)
        .map(String::as_str)
        .collect();
    if rules.is_empty() {
        String::new()
    } else {
        format!("#[record({})] ", rules.join(", "))
    }
}
