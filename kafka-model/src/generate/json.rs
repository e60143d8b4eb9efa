//! JSON Schema documents → Rust source: the data-shape subset. Objects → structs (closed by
//! `"additionalProperties": false`, else `#[record(open_content)]`), `additionalProperties`
//! schemas → maps, arrays → `Vec`, string enums → unit enums, nullable types (`[T, "null"]`, a
//! `oneOf`/`anyOf` of `null` and T) → `Option`, formats → chrono/uuid types, bounds →
//! `#[record(min, max, min_len, max_len, pattern)]`, `$ref`s to `#/definitions/..`,
//! `#/$defs/..` and `#` → the referenced type (a definition named `a.b.C` is `C` in module
//! `a::b` with that namespace), `$ref`s into an earlier input → its type (`json_refs`). A keyword that only constrains (`not`, `if`, `const`, ...) or
//! that the derive cannot render is a [`GenerateError::NotExpressible`] naming the keyword and
//! the JSON pointer where it is.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::avro::{camel, doc_lines, lit, path_from, unkeyword, DERIVES};
use super::generator::{
    format_source, nested_modules, read_inputs, snake, text_input_checks, write_output,
};
use super::{GenerateError, Generated, Generator, Root};
use crate::compat::json::branches_are_disjoint;

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

    /// The object at `at` with `allOf` branches merged in (when their keywords do not
    /// overlap, `allOf` says the same as one schema), checked for constraint-only keywords.
    fn merged(&self, o: &Obj, at: &str) -> Result<Vec<(String, Doc)>, GenerateError> {
        let mut out: Vec<(String, Doc)> = Vec::new();
        for (k, v) in o {
            if CONSTRAINT_ONLY.contains(&k.as_str()) {
                return Err(not_expressible(
                    &self.at(&child(at, k)),
                    format!("`{k}` (a constraint without a data shape of its own)"),
                ));
            }
            if k == "allOf" {
                let Doc::Arr(branches) = v else {
                    return Err(lacks(&self.at(&child(at, k)), "a malformed `allOf`"));
                };
                // Branches whose types have no value in common (`number` and `string`, an enum
                // of strings and `number`) describe no value at all, as `false` does.
                let mut common = value_types(o);
                for b in branches {
                    let these = match b {
                        Doc::Obj(b) => value_types(b),
                        _ => None,
                    };
                    if let Some(these) = these {
                        common = Some(match common {
                            None => these,
                            Some(c) => c.intersection(&these).copied().collect(),
                        });
                    }
                }
                if common.is_some_and(|c| c.is_empty()) {
                    return Err(not_expressible(
                        &self.at(&child(at, k)),
                        "an `allOf` whose branches allow no common type, so no value matches (a constraint without a data shape of its own)",
                    ));
                }
                // Keywords said by a branch: two branches saying one (even alike) are a product
                // Confluent's diff does not read as one schema.
                let mut by_branches: BTreeSet<String> = BTreeSet::new();
                for (i, b) in branches.iter().enumerate() {
                    let bat = child(&child(at, "allOf"), &i.to_string());
                    let Doc::Obj(b) = b else {
                        return Err(lacks(&self.at(&bat), "a boolean schema in `allOf`"));
                    };
                    for (bk, bv) in self.merged(b, &bat)? {
                        let again = !by_branches.insert(bk.clone());
                        match get(&out, &bk).or_else(|| get(o, &bk).filter(|_| bk != "allOf")) {
                            Some(existing) if *existing != bv || again => {
                                return Err(lacks(
                                    &self.at(&child(&bat, &bk)),
                                    &format!("`allOf` branches that both say `{bk}`"),
                                ));
                            }
                            Some(_) => {}
                            None => out.push((bk, bv)),
                        }
                    }
                }
            } else if get(&out, k).is_none() {
                out.push((k.clone(), v.clone()));
            }
        }
        Ok(out)
    }

    /// A property that is an `allOf` of scalar keywords Confluent's diff reads as a product (a
    /// keyword repeated in two branches, or an `enum` beside bounds, which no merged schema says
    /// the same way): its type with the bounds as validators (an `enum` as `choices`) and the
    /// branches' keyword groups for `#[record(json_all_of)]`. `None` when merging says the same
    /// or the branches are not of that kind.
    fn all_of_scalar(
        &mut self,
        schema: &Doc,
        at: &str,
    ) -> Result<Option<(Ty, String)>, GenerateError> {
        const SCALAR: &[&str] = &[
            "type",
            "enum",
            "minLength",
            "maxLength",
            "pattern",
            "minimum",
            "maximum",
            "multipleOf",
        ];
        let Doc::Obj(p) = schema else {
            return Ok(None);
        };
        let Some(Doc::Arr(branches)) = get(p, "allOf") else {
            return Ok(None);
        };
        if p.iter().any(|(k, _)| k != "allOf" && k != "description") {
            return Ok(None);
        }
        let mut merged: Vec<(String, Doc)> = Vec::new();
        let mut groups: Vec<Vec<String>> = Vec::new();
        let mut repeated = false;
        for b in branches {
            let Doc::Obj(b) = b else {
                return Ok(None);
            };
            let mut group = Vec::new();
            for (k, v) in b {
                if !SCALAR.contains(&k.as_str()) {
                    return Ok(None);
                }
                match get(&merged, k) {
                    // Conflicting values: the merge names them.
                    Some(existing) if existing != v => return Ok(None),
                    Some(_) => repeated = true,
                    None => {
                        merged.push((k.clone(), v.clone()));
                        group.push(lit(k));
                    }
                }
            }
            if !group.is_empty() {
                groups.push(group);
            }
        }
        // No common type: the merge names it as describing no value.
        if value_types(&merged).is_some_and(|c| c.is_empty()) {
            return Ok(None);
        }
        let values = get(&merged, "enum").cloned();
        let bounded = merged.iter().any(|(k, _)| k != "type" && k != "enum");
        if !(repeated || (values.is_some() && bounded)) {
            return Ok(None);
        }
        let rest: Vec<(String, Doc)> = merged.into_iter().filter(|(k, _)| k != "enum").collect();
        let kind = match self.kind(&rest, at)? {
            Some(k @ (Kind::String | Kind::Integer | Kind::Number | Kind::Boolean)) => k,
            _ => return Ok(None),
        };
        let mut t = self.scalar(&rest, at, kind)?;
        if let Some(values) = values {
            let Doc::Arr(values) = values else {
                return Ok(None);
            };
            let choices: Option<Vec<String>> = values
                .iter()
                .map(|v| match v {
                    Doc::Str(s) => Some(lit(s)),
                    Doc::Num(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect();
            let Some(choices) = choices else {
                return Ok(None);
            };
            t.value.push(format!("choices = [{}]", choices.join(", ")));
        }
        let groups: Vec<String> = groups
            .iter()
            .map(|g| format!("[{}]", g.join(", ")))
            .collect();
        Ok(Some((t, format!("[{}]", groups.join(", ")))))
    }

    /// The node's kind; `None` for a nullable union (`type: [T, "null"]` or `oneOf`/`anyOf`
    /// of null and T), which [`Emitter::ty`] unwraps.
    fn kind(&self, o: &Obj, at: &str) -> Result<Option<Kind>, GenerateError> {
        let kind_of = |t: &str| match t {
            "string" => Some(Kind::String),
            "integer" => Some(Kind::Integer),
            "number" => Some(Kind::Number),
            "boolean" => Some(Kind::Boolean),
            "null" => Some(Kind::Null),
            "array" => Some(Kind::Array),
            "object" => Some(Kind::Object),
            _ => None,
        };
        let tat = self.at(&child(at, "type"));
        match get(o, "type") {
            Some(Doc::Str(t)) => {
                let k = kind_of(t).ok_or_else(|| lacks(&tat, &format!("type `{t}`")))?;
                if get(o, "oneOf").is_some() || get(o, "anyOf").is_some() {
                    return Err(lacks(
                        &self.at(at),
                        "`oneOf`/`anyOf` beside `type` (an untagged union)",
                    ));
                }
                Ok(Some(k))
            }
            Some(Doc::Arr(ts)) => {
                let non_null: Vec<&Doc> = ts
                    .iter()
                    .filter(|t| **t != Doc::Str("null".into()))
                    .collect();
                match non_null.as_slice() {
                    [Doc::Str(t)] if ts.len() == 1 => Ok(Some(
                        kind_of(t).ok_or_else(|| lacks(&tat, &format!("type `{t}`")))?,
                    )),
                    [Doc::Str(_)] if ts.len() == 2 => Ok(None),
                    [_, _, ..] if ts.iter().all(|t| matches!(t, Doc::Str(_))) => {
                        Ok(Some(Kind::Untagged))
                    }
                    _ => Err(lacks(&tat, "a malformed `type` list")),
                }
            }
            Some(_) => Err(lacks(&tat, "a malformed `type`")),
            None if get(o, "$ref").is_some() => Ok(Some(Kind::Object)),
            None if get(o, "oneOf").is_some() || get(o, "anyOf").is_some() => {
                let key = if get(o, "oneOf").is_some() {
                    "oneOf"
                } else {
                    "anyOf"
                };
                if nullable_pair(o, key).is_some() {
                    Ok(None)
                } else if key == "oneOf"
                    && (tagged_variants(o).is_some() || adjacent_variants(o).is_some())
                {
                    Ok(Some(Kind::Tagged))
                } else {
                    Ok(Some(Kind::Untagged))
                }
            }
            None if get(o, "enum").is_some() => Err(lacks(&self.at(at), "`enum` without a `type`")),
            None if ["properties", "additionalProperties", "required"]
                .iter()
                .any(|k| get(o, k).is_some()) =>
            {
                // Confluent reads a schema with object keywords as an object schema.
                Ok(Some(Kind::Object))
            }
            None if o
                .iter()
                .all(|(k, _)| ANNOTATIONS.contains(&k.as_str()) || k == "title") =>
            {
                Ok(Some(Kind::Any))
            }
            None => Err(lacks(
                &self.at(at),
                "keywords without a `type` they apply to, so any value not of the kind they constrain passes (a constraint without a data shape of its own)",
            )),
        }
    }

    /// The type of the schema at `at`, as a field in module `module` of type `owner`
    /// (`field` names inline types).
    fn ty(
        &mut self,
        node: &Doc,
        at: &str,
        module: &[String],
        owner: &str,
        field: &str,
    ) -> Result<Ty, GenerateError> {
        let raw = match node {
            Doc::Obj(raw) => raw,
            // `true` accepts every value; `false` none (no type has no values).
            Doc::Bool(true) => return Ok(Ty::any()),
            _ => return Err(lacks(&self.at(at), "a boolean schema `false`, which no value matches (a constraint without a data shape of its own)")),
        };
        let o = self.merged(raw, at)?;
        if let Some(r) = text(&o, "$ref") {
            return self.reference(r, at, module);
        }
        let Some(kind) = self.kind(&o, at)? else {
            let (inner, inner_at) = match get(&o, "type") {
                Some(Doc::Arr(ts)) => {
                    let t = ts
                        .iter()
                        .find(|t| **t != Doc::Str("null".into()))
                        .cloned()
                        .unwrap_or(Doc::Null);
                    let mut copy: Vec<(String, Doc)> =
                        o.iter().filter(|(k, _)| k != "type").cloned().collect();
                    copy.push(("type".into(), t));
                    (Doc::Obj(copy), at.to_string())
                }
                _ => {
                    let key = if get(&o, "oneOf").is_some() {
                        "oneOf"
                    } else {
                        "anyOf"
                    };
                    let Some((i, branch)) = nullable_pair(&o, key) else {
                        return Err(lacks(&self.at(at), &format!("this `{key}`")));
                    };
                    if o.iter().any(|(k, _)| k != key && k != "description") {
                        return Err(lacks(
                            &self.at(at),
                            &format!("keywords beside a nullable `{key}`"),
                        ));
                    }
                    (branch.clone(), child(&child(at, key), &i.to_string()))
                }
            };
            let mut t = self.ty(&inner, &inner_at, module, owner, field)?;
            no_serde(&t, &self.at(at))?;
            t.rust = format!("Option<{}>", t.rust);
            return Ok(t);
        };
        for key in [
            "default",
            "title",
            "$id",
            "examples",
            "readOnly",
            "writeOnly",
            "deprecated",
        ] {
            if get(&o, key).is_some() {
                return Err(lacks(
                    &self.at(&child(at, key)),
                    &format!("`{key}` on a property"),
                ));
            }
        }
        match kind {
            Kind::Object if is_map(&o) => {
                let values = get(&o, "additionalProperties").unwrap_or(&Doc::Bool(true));
                let mut t = self.ty(
                    values,
                    &child(at, "additionalProperties"),
                    module,
                    owner,
                    &format!("{field}_value"),
                )?;
                if !t.length.is_empty() {
                    return Err(lacks(&self.at(at), "a length bound on map values"));
                }
                no_serde(&t, &self.at(at))?;
                self.allow(
                    &o,
                    at,
                    &[
                        "type",
                        "additionalProperties",
                        "minProperties",
                        "maxProperties",
                        "description",
                    ],
                )?;
                let map = if self.gen.ordered_maps {
                    "indexmap::IndexMap"
                } else {
                    "std::collections::BTreeMap"
                };
                t.rust = format!("{map}<String, {}>", unboxed(&t.rust));
                t.length = bounds(&o, "minProperties", "maxProperties");
                t.named = None;
                Ok(t)
            }
            Kind::Object => {
                let ident = self.fresh(module, &format!("{}_{field}", owner));
                let full_at = at.to_string();
                self.in_progress.insert(full_at.clone());
                self.structure(&o, at, module, &ident, None, None)?;
                self.in_progress.remove(&full_at);
                Ok(Ty {
                    rust: ident.clone(),
                    named: Some((module.to_vec(), ident)),
                    ..Ty::default()
                })
            }
            Kind::Tagged | Kind::Untagged => {
                let ident = self.fresh(module, &format!("{}_{field}", owner));
                self.in_progress.insert(at.to_string());
                if matches!(kind, Kind::Tagged) {
                    self.tagged(&o, at, module, &ident, None, None)?;
                } else {
                    self.untagged(&o, at, module, &ident, None, None)?;
                }
                self.in_progress.remove(at);
                Ok(Ty {
                    rust: ident.clone(),
                    named: Some((module.to_vec(), ident)),
                    ..Ty::default()
                })
            }
            Kind::Any => {
                self.allow(&o, at, &[])?;
                Ok(Ty::any())
            }
            Kind::String if get(&o, "enum").is_some() => {
                let ident = self.fresh(module, &format!("{}_{field}", owner));
                self.enumeration(&o, at, module, &ident, None, None)?;
                Ok(Ty {
                    rust: ident.clone(),
                    named: Some((module.to_vec(), ident)),
                    ..Ty::default()
                })
            }
            Kind::Array if is_tuple(&o) => {
                let ident = self.fresh(module, &format!("{}_{field}", owner));
                self.in_progress.insert(at.to_string());
                self.tuple(&o, at, module, &ident, None, None)?;
                self.in_progress.remove(at);
                Ok(Ty {
                    rust: ident.clone(),
                    named: Some((module.to_vec(), ident)),
                    ..Ty::default()
                })
            }
            Kind::Array => {
                self.allow(
                    &o,
                    at,
                    &[
                        "type",
                        "items",
                        "minItems",
                        "maxItems",
                        "uniqueItems",
                        "description",
                    ],
                )?;
                let items = match get(&o, "items") {
                    Some(items @ (Doc::Obj(_) | Doc::Bool(_))) => items,
                    Some(_) => {
                        return Err(lacks(
                            &self.at(&child(at, "items")),
                            "tuple `items` (a list of schemas)",
                        ))
                    }
                    // Items of any kind (the derive writes `items: {}`, the same to the diff).
                    None => &Doc::Bool(true),
                };
                let mut t = self.ty(
                    items,
                    &child(at, "items"),
                    module,
                    owner,
                    &format!("{field}_item"),
                )?;
                if !t.length.is_empty() {
                    return Err(lacks(&self.at(at), "a length bound on list items"));
                }
                no_serde(&t, &self.at(at))?;
                t.rust = format!("Vec<{}>", unboxed(&t.rust));
                t.length = bounds(&o, "minItems", "maxItems");
                match get(&o, "uniqueItems") {
                    Some(Doc::Bool(true)) => t.length.push("unique".into()),
                    None | Some(Doc::Bool(false)) => {}
                    Some(_) => {
                        return Err(lacks(
                            &self.at(&child(at, "uniqueItems")),
                            "a malformed `uniqueItems`",
                        ))
                    }
                }
                t.named = None;
                Ok(t)
            }
            Kind::Null => {
                self.allow(&o, at, &["type", "description"])?;
                Ok(Ty {
                    rust: "()".into(),
                    ..Ty::default()
                })
            }
            k => self.scalar(&o, at, k),
        }
    }

    /// Fails on a keyword outside `allowed` (and `description`, `$schema`, `definitions`,
    /// `$defs`, which are read elsewhere).
    fn allow(&self, o: &Obj, at: &str, allowed: &[&str]) -> Result<(), GenerateError> {
        for (k, _) in o {
            if !allowed.contains(&k.as_str())
                && !["description", "$schema", "definitions", "$defs", "$comment"]
                    .contains(&k.as_str())
            {
                return Err(lacks(&self.at(&child(at, k)), &format!("`{k}` here")));
            }
        }
        Ok(())
    }

    /// A string, integer, number or boolean.
    fn scalar(&mut self, o: &Obj, at: &str, kind: Kind) -> Result<Ty, GenerateError> {
        let mut t = Ty::default();
        match kind {
            Kind::String => {
                self.allow(
                    o,
                    at,
                    &[
                        "type",
                        "minLength",
                        "maxLength",
                        "pattern",
                        "format",
                        "contentEncoding",
                    ],
                )?;
                match text(o, "contentEncoding") {
                    None => {}
                    Some("base64")
                        if o.len() == 2 || (o.len() == 3 && get(o, "description").is_some()) =>
                    {
                        return Ok(Ty {
                            rust: "Vec<u8>".into(),
                            serde: Some("with = \"kafka_model::base64\"".into()),
                            ..Ty::default()
                        })
                    }
                    Some(e) => {
                        return Err(lacks(
                            &self.at(&child(at, "contentEncoding")),
                            &format!("`contentEncoding` {e:?} here"),
                        ))
                    }
                }
                let pattern = text(o, "pattern");
                t.rust = match text(o, "format") {
                    Some("date-time") => "chrono::DateTime<chrono::Utc>",
                    Some("date") => "chrono::NaiveDate",
                    Some("uuid") => "uuid::Uuid",
                    Some(f) => {
                        return Err(lacks(
                            &self.at(&child(at, "format")),
                            &format!("format `{f}`"),
                        ))
                    }
                    // (The derive's decimal string is a `String` with its pattern here: a
                    // `Decimal` field needs a precision and scale the schema does not give.)
                    None => "String",
                }
                .into();
                if t.rust != "String"
                    && ["minLength", "maxLength", "pattern"]
                        .iter()
                        .any(|k| get(o, k).is_some())
                {
                    return Err(lacks(&self.at(at), "a bound or pattern beside `format`"));
                }
                t.length = bounds(o, "minLength", "maxLength");
                if let Some(p) = pattern {
                    t.value.push(format!("pattern = {}", lit(p)));
                }
            }
            Kind::Integer => {
                self.allow(o, at, &["type", "minimum", "maximum", "multipleOf"])?;
                let min = get(o, "minimum").and_then(as_i128);
                let max = get(o, "maximum").and_then(as_i128);
                let exact = |lo: i128, hi: i128| min == Some(lo) && max == Some(hi);
                t.rust = if exact(i8::MIN.into(), i8::MAX.into()) {
                    "i8"
                } else if exact(i16::MIN.into(), i16::MAX.into()) {
                    "i16"
                } else if exact(i32::MIN.into(), i32::MAX.into()) {
                    "i32"
                } else if exact(0, u8::MAX.into()) {
                    "u8"
                } else if exact(0, u16::MAX.into()) {
                    "u16"
                } else if exact(0, u32::MAX.into()) {
                    "u32"
                } else if min == Some(0) && max.is_none() {
                    "u64"
                } else {
                    t.value = number_bounds(o, at, self)?;
                    "i64"
                }
                .into();
                t.value.extend(self.multiple_of(o, at, true)?);
            }
            Kind::Number => {
                self.allow(o, at, &["type", "minimum", "maximum", "multipleOf"])?;
                t.rust = "f64".into();
                t.value = number_bounds(o, at, self)?;
                t.value.extend(self.multiple_of(o, at, false)?);
            }
            Kind::Boolean => {
                self.allow(o, at, &["type"])?;
                t.rust = "bool".into();
            }
            other => {
                return Err(GenerateError::Internal {
                    message: format!("{other:?} is not a scalar"),
                })
            }
        }
        Ok(t)
    }

    /// `multiple_of = N` from `multipleOf` (greater than 0, as JSON Schema requires; a whole
    /// number on an integer, which is what the derive's integer fields take).
    fn multiple_of(
        &self,
        o: &Obj,
        at: &str,
        integer: bool,
    ) -> Result<Option<String>, GenerateError> {
        let Some(step) = get(o, "multipleOf") else {
            return Ok(None);
        };
        let step = match step {
            Doc::Num(n)
                if n.as_f64().is_some_and(|x| x > 0.0 && x.is_finite())
                    && (!integer || as_i128(step).is_some()) =>
            {
                n
            }
            _ => {
                let what = if integer {
                    "a positive whole number"
                } else {
                    "a positive number"
                };
                return Err(lacks(
                    &self.at(&child(at, "multipleOf")),
                    &format!("a `multipleOf` that is not {what}"),
                ));
            }
        };
        Ok(Some(format!("multiple_of = {step}")))
    }

    /// The definition a `$ref` (`#/definitions/..`, `#/$defs/..`) names: its pointer, name
    /// and schema.
    fn definition(&self, r: &str, at: &str) -> Result<(String, String, Doc), GenerateError> {
        let unescape = |s: &str| s.replace("~1", "/").replace("~0", "~");
        let rest = r
            .strip_prefix("#/definitions/")
            .map(|n| ("definitions", n))
            .or_else(|| r.strip_prefix("#/$defs/").map(|n| ("$defs", n)));
        let Some((section, key)) = rest.filter(|(_, n)| !n.contains('/')) else {
            return Err(lacks(
                &self.at(&child(at, "$ref")),
                &format!("a `$ref` to `{r}` (only `#/definitions/..`, `#/$defs/..` and `#`)"),
            ));
        };
        let key = unescape(key);
        let def = match get(&self.root, section) {
            Some(Doc::Obj(defs)) => get(defs, &key).cloned(),
            _ => None,
        }
        .ok_or_else(|| GenerateError::Invalid {
            input: self.at(at),
            message: format!("`$ref` `{r}` does not resolve"),
        })?;
        Ok((r.to_string(), key, def))
    }

    /// The type a `$ref` names.
    fn reference(&mut self, r: &str, at: &str, module: &[String]) -> Result<Ty, GenerateError> {
        if let Some((doc, pointer)) = super::json_refs::external(r) {
            // Another input's type: generated already (dependencies come first).
            let Some(named) = self.earlier.get(doc) else {
                return Err(lacks(
                    &self.at(&child(at, "$ref")),
                    &format!("a `$ref` to `{r}`, whose document is not an earlier input (a registry reference's name, or a file given before this one)"),
                ));
            };
            let Some(named) = named.get(&pointer).cloned() else {
                return Err(lacks(
                    &self.at(&child(at, "$ref")),
                    &format!("a `$ref` to `{r}`: only `{doc}`'s root and the definitions its root uses have types"),
                ));
            };
            return Ok(Ty {
                rust: path_from(module, &named),
                named: Some(named),
                ..Ty::default()
            });
        }
        let (pointer, name, def) = if r == "#" {
            ("#".to_string(), None, Doc::Obj(self.root.clone()))
        } else {
            let (pointer, name, def) = self.definition(r, at)?;
            (pointer, Some(name), def)
        };
        if let Some(named) = self.named.get(&pointer).cloned() {
            let boxed = self.in_progress.contains(&pointer);
            let path = path_from(module, &named);
            return Ok(Ty {
                rust: if boxed { format!("Box<{path}>") } else { path },
                named: Some(named),
                ..Ty::default()
            });
        }
        // (Only the root, named before anything else, has no name.)
        let Some(name) = name else {
            return Err(GenerateError::Internal {
                message: "the root has no type".into(),
            });
        };
        if let Some(mapped) = self.gen.types.get(&name) {
            return Ok(Ty {
                rust: format!("crate::{mapped}"),
                ..Ty::default()
            });
        }
        let Doc::Obj(raw) = &def else {
            return Err(lacks(&self.at(&pointer), "a boolean schema"));
        };
        let o = self.merged(raw, &pointer)?;
        let named_kind = match self.kind(&o, &pointer)? {
            Some(Kind::Object) if !is_map(&o) && get(&o, "$ref").is_none() => true,
            Some(Kind::String) if get(&o, "enum").is_some() => true,
            Some(Kind::Tagged) => true,
            Some(Kind::Array) => is_tuple(&o),
            _ => false,
        };
        if !named_kind {
            // A list, map or scalar has no name in the derive's JSON Schema: inline it (the
            // diff follows the reference, so the two compare equal).
            return self.ty(&def, &pointer, module, "", &camel(&name));
        }
        if get(&o, "title").is_some() {
            return Err(lacks(
                &self.at(&child(&pointer, "title")),
                "`title` on a definition",
            ));
        }
        let (namespace, simple) = match name.rsplit_once('.') {
            Some((ns, n)) => (Some(ns.to_string()), n.to_string()),
            None => (None, name.clone()),
        };
        if !is_ident_like(&simple)
            || namespace
                .as_deref()
                .is_some_and(|ns| !ns.split('.').all(is_ident_like))
        {
            return Err(lacks(
                &self.at(&pointer),
                &format!("a definition named `{name}` (not a type name)"),
            ));
        }
        let target: Vec<String> = namespace
            .as_deref()
            .map(|ns| ns.split('.').map(|p| unkeyword(snake(p))).collect())
            .unwrap_or_default();
        let ident = self.fresh(&target, &simple);
        let rename = (ident != simple).then(|| simple.clone());
        self.named
            .insert(pointer.clone(), (target.clone(), ident.clone()));
        if get(&o, "oneOf").is_some() {
            self.in_progress.insert(pointer.clone());
            self.tagged(
                &o,
                &pointer,
                &target,
                &ident,
                namespace.as_deref(),
                rename.as_deref(),
            )?;
            self.in_progress.remove(&pointer);
        } else if get(&o, "enum").is_some() {
            self.enumeration(
                &o,
                &pointer,
                &target,
                &ident,
                namespace.as_deref(),
                rename.as_deref(),
            )?;
        } else if is_tuple(&o) {
            self.in_progress.insert(pointer.clone());
            self.tuple(
                &o,
                &pointer,
                &target,
                &ident,
                namespace.as_deref(),
                rename.as_deref(),
            )?;
            self.in_progress.remove(&pointer);
        } else {
            self.in_progress.insert(pointer.clone());
            self.structure(
                &o,
                &pointer,
                &target,
                &ident,
                namespace.as_deref(),
                rename.as_deref(),
            )?;
            self.in_progress.remove(&pointer);
        }
        let named = (target, ident);
        Ok(Ty {
            rust: path_from(module, &named),
            named: Some(named),
            ..Ty::default()
        })
    }

    /// A struct for an object schema.
    fn structure(
        &mut self,
        o: &Obj,
        at: &str,
        module: &[String],
        ident: &str,
        namespace: Option<&str>,
        rename: Option<&str>,
    ) -> Result<(), GenerateError> {
        self.allow(
            o,
            at,
            &[
                "type",
                "properties",
                "required",
                "additionalProperties",
                "title",
                "minProperties",
                "maxProperties",
            ],
        )?;
        // A schema for the other properties: a `#[serde(flatten)]` map holds them.
        let (closed, extra) = match get(o, "additionalProperties") {
            None | Some(Doc::Bool(true)) => (false, None),
            Some(Doc::Bool(false)) => (true, None),
            Some(values) => (false, Some(values.clone())),
        };
        let required: Vec<&str> = match get(o, "required") {
            None => Vec::new(),
            Some(Doc::Arr(names)) => names
                .iter()
                .map(|n| match n {
                    Doc::Str(s) => Ok(s.as_str()),
                    _ => Err(lacks(
                        &self.at(&child(at, "required")),
                        "a malformed `required`",
                    )),
                })
                .collect::<Result<_, _>>()?,
            Some(_) => {
                return Err(lacks(
                    &self.at(&child(at, "required")),
                    "a malformed `required`",
                ))
            }
        };
        let properties: Vec<(String, Doc)> = match get(o, "properties") {
            None => Vec::new(),
            Some(Doc::Obj(p)) => p.clone(),
            Some(_) => {
                return Err(lacks(
                    &self.at(&child(at, "properties")),
                    "malformed `properties`",
                ))
            }
        };
        // A required property without a schema: any value, as one of the extra properties
        // (`#[record(required_only)]`), which a closed object forbids.
        let unlisted: Vec<&str> = required
            .iter()
            .copied()
            .filter(|r| get(&properties, r).is_none())
            .collect();
        if let (Some(missing), true) = (unlisted.first(), closed) {
            return Err(lacks(
                &self.at(&child(at, "required")),
                &format!("a required property `{missing}` without a schema in `properties` of a closed object (no value has it)"),
            ));
        }
        let record_name = match namespace {
            Some(ns) => format!("{ns}.{}", rename.unwrap_or(ident)),
            None => rename.unwrap_or(ident).to_string(),
        };
        let mut fields = String::new();
        let mut defaults = String::new();
        let mut field_idents = BTreeSet::new();
        for (name, schema) in &properties {
            let pat = child(&child(at, "properties"), name);
            if !is_ident_like(name) {
                // The derive checks every name against Avro's and Protobuf's rules.
                return Err(lacks(
                    &self.at(&pat),
                    "a property name that is not a valid Avro/Protobuf name",
                ));
            }
            let mut fident = unkeyword(snake(name));
            while !field_idents.insert(fident.clone()) {
                fident.push('_');
            }
            let is_required = required.contains(&name.as_str());
            let doc = match schema {
                Doc::Obj(p) if get(p, "$ref").is_none() => {
                    // An object's or a tuple's description is its type's (rendered on its
                    // definition).
                    let object = self
                        .merged(p, &pat)
                        .is_ok_and(|m| match self.kind(&m, &pat) {
                            Ok(Some(Kind::Object)) => true,
                            Ok(Some(Kind::Array)) => is_tuple(&m),
                            _ => false,
                        });
                    if object {
                        None
                    } else {
                        text(p, "description").map(str::to_string)
                    }
                }
                _ => None,
            };
            // A `default` is the field's serde default (rendered back as `default`), Confluent's
            // `confluent:tags` its `tags`.
            let (schema, default, tags) = match schema {
                Doc::Obj(p) if get(p, "$ref").is_none() => (
                    Doc::Obj(
                        p.iter()
                            .filter(|(k, _)| k != "default" && k != TAGS)
                            .cloned()
                            .collect(),
                    ),
                    get(p, "default").cloned(),
                    get(p, TAGS).cloned(),
                ),
                other => (other.clone(), None, None),
            };
            let tags = match tags {
                None => Vec::new(),
                Some(Doc::Arr(tags)) => tags
                    .iter()
                    .map(|t| match t {
                        Doc::Str(t) => Ok(lit(t)),
                        _ => Err(lacks(
                            &self.at(&child(&pat, TAGS)),
                            "a tag that is not a string",
                        )),
                    })
                    .collect::<Result<_, _>>()?,
                Some(_) => return Err(lacks(&self.at(&child(&pat, TAGS)), "malformed tags")),
            };
            let mapped = self
                .gen
                .fields
                .get(&format!("{record_name}.{name}"))
                .cloned();
            let (ty, all_of) = match mapped {
                Some(path) => (
                    Ty {
                        rust: format!("crate::{path}"),
                        ..Ty::default()
                    },
                    None,
                ),
                None => match self.all_of_scalar(&schema, &pat)? {
                    Some((t, groups)) => (t, Some(groups)),
                    None => (self.ty(&schema, &pat, module, ident, name)?, None),
                },
            };
            let mut rust = ty.rust.clone();
            let nullable = rust.starts_with("Option<");
            let default_fn = match &default {
                Some(value) => {
                    let dat = self.at(&child(&pat, "default"));
                    if is_required {
                        return Err(lacks(&dat, "a `default` on a required property (a field with a default is optional)"));
                    }
                    let expr = self.default_expr(value, &ty, &dat)?;
                    let f = format!("{}_{fident}_default", snake(ident));
                    let _ = writeln!(defaults, "fn {f}() -> {rust} {{\n{expr}\n}}");
                    Some(f)
                }
                None => None,
            };
            // Optional but not nullable: an `Option` serde leaves out when `None` (the derive
            // renders it as the inner type, not required).
            let skips_none = !is_required && !nullable && default_fn.is_none();
            if skips_none {
                if ty.serde.is_some() || rust == "()" {
                    return Err(lacks(
                        &self.at(&pat),
                        "an optional property that is not nullable, of base64 bytes or null",
                    ));
                }
                rust = format!("Option<{rust}>");
            }
            doc_lines(&mut fields, doc.as_deref());
            if fident != *name {
                let _ = writeln!(fields, "#[serde(rename = {})]", lit(name));
            }
            if let Some(f) = &default_fn {
                let _ = writeln!(fields, "#[serde(default = {})]", lit(f));
            }
            if skips_none {
                let _ = writeln!(
                    fields,
                    "#[serde(skip_serializing_if = \"Option::is_none\")]"
                );
            }
            if let Some(attr) = &ty.serde {
                let _ = writeln!(fields, "#[serde({attr})]");
            }
            let mut record: Vec<String> = Vec::new();
            if is_required && nullable {
                record.push("no_default".into());
            }
            record.extend(ty.length.iter().cloned());
            record.extend(ty.value.iter().cloned());
            if !tags.is_empty() {
                record.push(format!("tags = [{}]", tags.join(", ")));
            }
            if let Some(groups) = all_of {
                record.push(format!("json_all_of = {groups}"));
            }
            if !record.is_empty() {
                let _ = writeln!(fields, "#[record({})]", record.join(", "));
            }
            let _ = writeln!(fields, "pub {fident}: {rust},");
        }
        for name in &unlisted {
            let pat = child(at, "required");
            if !is_ident_like(name) {
                return Err(lacks(
                    &self.at(&pat),
                    "a property name that is not a valid Avro/Protobuf name",
                ));
            }
            if extra.is_some() {
                return Err(lacks(
                    &self.at(&pat),
                    "a required property without a schema beside `additionalProperties` (its values' schema would apply to it)",
                ));
            }
            let mut fident = unkeyword(snake(name));
            while !field_idents.insert(fident.clone()) {
                fident.push('_');
            }
            if fident != *name {
                let _ = writeln!(fields, "#[serde(rename = {})]", lit(name));
            }
            let _ = writeln!(
                fields,
                "#[record(required_only)]\npub {fident}: serde_json::Value,"
            );
        }
        // (A flattened map's values are the `additionalProperties`: no `open_content`.)
        let open = !closed && extra.is_none();
        if let Some(values) = extra {
            let pat = child(at, "additionalProperties");
            let map = Doc::Obj(vec![
                ("type".into(), Doc::Str("object".into())),
                ("additionalProperties".into(), values),
            ]);
            let ty = self.ty(&map, &pat, module, ident, "additionalProperties")?;
            no_serde(&ty, &self.at(&pat))?;
            if !(ty.length.is_empty() && ty.value.is_empty()) {
                return Err(lacks(
                    &self.at(&pat),
                    "bounds on the values of a partially open object (a flattened map takes no validators)",
                ));
            }
            let mut fident = "additional_properties".to_string();
            while !field_idents.insert(fident.clone()) {
                fident.push('_');
            }
            let _ = writeln!(
                fields,
                "/// The properties not listed above.\n#[serde(flatten)]\npub {fident}: {},",
                ty.rust
            );
        }
        let mut item = String::new();
        doc_lines(&mut item, text(o, "description"));
        let _ = writeln!(item, "{DERIVES}");
        let mut record: Vec<String> = Vec::new();
        if let Some(ns) = namespace {
            record.push(format!("namespace = {}", lit(ns)));
        }
        if let Some(r) = rename {
            record.push(format!("name = {}", lit(r)));
        }
        if open {
            record.push("open_content".into());
        }
        for (key, attr) in [
            ("minProperties", "min_properties"),
            ("maxProperties", "max_properties"),
        ] {
            match get(o, key) {
                None => {}
                Some(Doc::Num(n)) if n.as_u64().is_some() => record.push(format!("{attr} = {n}")),
                Some(_) => {
                    return Err(lacks(
                        &self.at(&child(at, key)),
                        &format!("a `{key}` that is not a non-negative integer"),
                    ))
                }
            }
        }
        if !record.is_empty() {
            let _ = writeln!(item, "#[record({})]", record.join(", "));
        }
        let _ = writeln!(item, "pub struct {ident} {{\n{fields}}}");
        item.push_str(&defaults);
        self.push_item(module, item);
        Ok(())
    }

    /// A tuple struct for an `items` list. Closed (`additionalItems: false`): serde writes it
    /// as an array of exactly its fields and reads the items from `minItems` on as missing when
    /// they are (`#[serde(default)]`; the derive renders `minItems` back from the defaults); a
    /// one-item list gets a skipped `()` field (a one-field tuple struct would be a newtype,
    /// its bare value). Open (`additionalItems` absent, `true` or a schema): a last field
    /// `#[record(rest)] Vec<T>` (`serde_json::Value` items when any is allowed) holds the items
    /// after the others, and the type gets serde impls of its own (serde's derive reads exactly
    /// the fields): `tuple_serde`.
    fn tuple(
        &mut self,
        o: &Obj,
        at: &str,
        module: &[String],
        ident: &str,
        namespace: Option<&str>,
        rename: Option<&str>,
    ) -> Result<(), GenerateError> {
        self.allow(
            o,
            at,
            &["type", "items", "additionalItems", "minItems", "title"],
        )?;
        let Some(Doc::Arr(items)) = get(o, "items") else {
            return Err(GenerateError::Internal {
                message: "a tuple without an `items` list".into(),
            });
        };
        let iat = child(at, "items");
        if items.is_empty() {
            return Err(lacks(&self.at(&iat), "an empty `items` list"));
        }
        // `false` items: positions no array holds, `#[record(absent)]` fields after the others.
        // Only trailing ones say that alone (an item after one is never present either).
        let present = items
            .iter()
            .position(|i| *i == Doc::Bool(false))
            .unwrap_or(items.len());
        if let Some(i) = items[present..].iter().position(|i| *i != Doc::Bool(false)) {
            return Err(lacks(
                &self.at(&child(&iat, &(present + i).to_string())),
                "a tuple item after a `false` one (no array holds it)",
            ));
        }
        if present == 0 {
            return Err(lacks(
                &self.at(&child(&iat, "0")),
                "a tuple whose items are all `false` (only the empty array)",
            ));
        }
        let absent = items.len() - present;
        let items = &items[..present];
        let aat = child(at, "additionalItems");
        let rest = match get(o, "additionalItems") {
            Some(Doc::Bool(false)) => None,
            None | Some(Doc::Bool(true)) => Some(Ty::any()),
            Some(schema) => {
                let t = self.ty(schema, &aat, module, ident, "rest")?;
                if !t.length.is_empty() || !t.value.is_empty() || t.serde.is_some() {
                    return Err(lacks(
                        &self.at(&aat),
                        "bounds, patterns or base64 on `additionalItems` (a `rest` list's items carry no field options)",
                    ));
                }
                Some(t)
            }
        };
        if rest.is_some() && absent > 0 {
            return Err(lacks(
                &self.at(&child(&iat, &present.to_string())),
                "a `false` item in an open tuple (no item follows it, so `additionalItems` is moot)",
            ));
        }
        let required = match get(o, "minItems") {
            None => 0,
            Some(min) => match as_i128(min) {
                Some(n) if (1..=items.len() as i128).contains(&n) => n as usize,
                _ => {
                    return Err(lacks(
                        &self.at(&child(at, "minItems")),
                        "a `minItems` outside 1..=the number of tuple items (not `false`)",
                    ))
                }
            },
        };
        // With a `rest` field the type's own serde impls fill what is missing, as
        // `#[record(default)]` says.
        let default = if rest.is_some() {
            "#[record(default)]"
        } else {
            "#[serde(default)]"
        };
        let mut fields = String::new();
        for (i, item) in items.iter().enumerate() {
            let pat = child(&iat, &i.to_string());
            let ty = self.ty(item, &pat, module, ident, &format!("item{i}"))?;
            let doc = match item {
                Doc::Obj(p) if get(p, "$ref").is_none() && ty.named.is_none() => {
                    text(p, "description")
                }
                _ => None,
            };
            doc_lines(&mut fields, doc);
            if i >= required {
                if ty.named.is_some() {
                    return Err(lacks(
                        &self.at(&pat),
                        "a tuple item that may be missing (from `minItems` on) holding a struct or enum (serde fills a missing item with `Default`, which they lack)",
                    ));
                }
                let _ = writeln!(fields, "{default}");
            }
            if let Some(attr) = &ty.serde {
                if rest.is_some() {
                    return Err(lacks(
                        &self.at(&pat),
                        "base64 bytes in an open tuple (its serde impls write each item as is)",
                    ));
                }
                let _ = writeln!(fields, "#[serde({attr})]");
            }
            let record: Vec<String> = ty.length.iter().chain(&ty.value).cloned().collect();
            if !record.is_empty() {
                let _ = writeln!(fields, "#[record({})]", record.join(", "));
            }
            let _ = writeln!(fields, "pub {},", ty.rust);
        }
        match &rest {
            Some(t) => {
                let _ = writeln!(
                    fields,
                    "/// The items after the others.\n#[record(rest)]\npub Vec<{}>,",
                    unboxed(&t.rust)
                );
            }
            None if absent > 0 => {
                for _ in 0..absent {
                    let _ = writeln!(
                        fields,
                        "/// A position no array holds (`false` in the JSON Schema).\n\
                         #[record(absent)]\n\
                         #[serde(skip)]\n\
                         pub (),"
                    );
                }
            }
            None if items.len() == 1 => {
                let _ = writeln!(
                    fields,
                    "/// A one-item array: alone, the field above would make a newtype (its bare value).\n\
                     #[serde(skip)]\n\
                     pub (),"
                );
            }
            None => {}
        }
        let mut item = String::new();
        doc_lines(&mut item, text(o, "description"));
        if rest.is_some() {
            let _ = writeln!(
                item,
                "#[derive(Debug, Clone, PartialEq, kafka_model::Record)]"
            );
        } else {
            let _ = writeln!(item, "{DERIVES}");
        }
        let mut record: Vec<String> = Vec::new();
        if let Some(ns) = namespace {
            record.push(format!("namespace = {}", lit(ns)));
        }
        if let Some(r) = rename {
            record.push(format!("name = {}", lit(r)));
        }
        if !record.is_empty() {
            let _ = writeln!(item, "#[record({})]", record.join(", "));
        }
        let _ = writeln!(item, "pub struct {ident}(\n{fields});");
        if rest.is_some() {
            item.push_str(&tuple_serde(ident, items.len(), required));
        }
        self.push_item(module, item);
        Ok(())
    }

    /// A unit enum for a string enum.
    fn enumeration(
        &mut self,
        o: &Obj,
        at: &str,
        module: &[String],
        ident: &str,
        namespace: Option<&str>,
        rename: Option<&str>,
    ) -> Result<(), GenerateError> {
        self.allow(o, at, &["type", "enum", "title"])?;
        let Some(Doc::Arr(values)) = get(o, "enum") else {
            return Err(lacks(&self.at(&child(at, "enum")), "a malformed `enum`"));
        };
        let mut variants = String::new();
        let mut seen = BTreeSet::new();
        for v in values {
            let Doc::Str(s) = v else {
                return Err(lacks(
                    &self.at(&child(at, "enum")),
                    "a non-string `enum` value",
                ));
            };
            if !is_ident_like(s) {
                return Err(lacks(
                    &self.at(&child(at, "enum")),
                    &format!("the `enum` value {s:?} (not a symbol name)"),
                ));
            }
            let mut vident = camel(&s.to_lowercase());
            while !seen.insert(vident.clone()) {
                vident.push('_');
            }
            if vident != *s {
                let _ = writeln!(variants, "#[serde(rename = {})]", lit(s));
            }
            let _ = writeln!(variants, "{vident},");
        }
        self.push_enum(o, module, ident, namespace, rename, "", &variants);
        Ok(())
    }

    /// An enum for serde's externally tagged form: a unit variant per `{"const": "V"}`, a
    /// newtype variant per `{"V": payload}` (an inline object payload becomes a struct
    /// `<Enum><V>`: the diff follows the derive's `$ref` to it).
    fn tagged(
        &mut self,
        o: &Obj,
        at: &str,
        module: &[String],
        ident: &str,
        namespace: Option<&str>,
        rename: Option<&str>,
    ) -> Result<(), GenerateError> {
        self.allow(o, at, &["oneOf", "title"])?;
        // serde's external form, else its adjacent (`{tag: "V", content: payload}`) or, when no
        // branch has content, internal form of unit variants (`{tag: "V"}`).
        // (Adjacent first: `{"kind": {"const": "On"}}` also reads as an external variant `kind`
        // holding a `const`, which has no type.)
        let (serde, branches, key) = match (tagged_variants(o), adjacent_variants(o)) {
            (_, Some((tag, Some(content), branches))) => (
                format!(
                    "#[serde(tag = {}, content = {})]\n",
                    lit(&tag),
                    lit(&content)
                ),
                branches,
                Some(content),
            ),
            (_, Some((tag, None, branches))) => {
                (format!("#[serde(tag = {})]\n", lit(&tag)), branches, None)
            }
            (Some(branches), None) => (String::new(), branches, None),
            (None, None) => {
                return Err(lacks(&self.at(&child(at, "oneOf")), "this `oneOf`"));
            }
        };
        let mut variants = String::new();
        let mut seen = BTreeSet::new();
        for (i, (name, payload, doc)) in branches.into_iter().enumerate() {
            let bat = child(&child(at, "oneOf"), &i.to_string());
            if !is_ident_like(&name) {
                return Err(lacks(
                    &self.at(&bat),
                    &format!("the variant name {name:?} (not a symbol name)"),
                ));
            }
            let mut vident = camel(&name);
            while !seen.insert(vident.clone()) {
                vident.push('_');
            }
            doc_lines(&mut variants, doc.as_deref());
            if vident != name {
                let _ = writeln!(variants, "#[serde(rename = {})]", lit(&name));
            }
            match payload {
                None => {
                    let _ = writeln!(variants, "{vident},");
                }
                Some(payload) => {
                    let pat = child(&child(&bat, "properties"), key.as_deref().unwrap_or(&name));
                    let t = self.ty(&payload, &pat, module, ident, &name)?;
                    if t.serde.is_some() {
                        return Err(lacks(
                            &self.at(&pat),
                            "base64 on a variant's payload (a variant takes no `serde(with)`)",
                        ));
                    }
                    // Bounds are validators on the variant's field.
                    let rules: Vec<String> = t.length.iter().chain(&t.value).cloned().collect();
                    if rules.is_empty() {
                        let _ = writeln!(variants, "{vident}({}),", t.rust);
                    } else {
                        let _ = writeln!(
                            variants,
                            "{vident}(#[record({})] {}),",
                            rules.join(", "),
                            t.rust
                        );
                    }
                }
            }
        }
        self.push_enum(o, module, ident, namespace, rename, &serde, &variants);
        Ok(())
    }

    /// An untagged enum for a `oneOf`/`anyOf` of shapes or a `type` list: a newtype variant per
    /// branch, in the schema's order (serde tries them in that order), named after the
    /// branch's type (`String`, `Integer`, ..., a referenced type's name); a `null` branch is
    /// `Null(())`. The derive renders `anyOf`, which says what serde accepts: a `oneOf` is
    /// kept only when its branches have disjoint types (then both accept the same values).
    fn untagged(
        &mut self,
        o: &Obj,
        at: &str,
        module: &[String],
        ident: &str,
        namespace: Option<&str>,
        rename: Option<&str>,
    ) -> Result<(), GenerateError> {
        let (key, branches): (&str, Vec<Doc>) = match get(o, "type") {
            Some(Doc::Arr(types)) => {
                self.allow(o, at, &["type", "title"])?;
                let branches = types
                    .iter()
                    .map(|t| Doc::Obj(vec![("type".into(), t.clone())]))
                    .collect();
                ("type", branches)
            }
            _ => {
                let key = if get(o, "oneOf").is_some() {
                    "oneOf"
                } else {
                    "anyOf"
                };
                self.allow(o, at, &[key, "title"])?;
                let Some(Doc::Arr(branches)) = get(o, key) else {
                    return Err(lacks(
                        &self.at(&child(at, key)),
                        &format!("a malformed `{key}`"),
                    ));
                };
                if key == "oneOf"
                    && !branches_are_disjoint(branches.iter().map(|b| match b {
                        Doc::Obj(b) if get(b, "$ref").is_none() => text(b, "type"),
                        _ => None,
                    }))
                {
                    return Err(lacks(
                        &self.at(&child(at, key)),
                        "a `oneOf` of branches that may overlap (serde's untagged enum takes the \
                         first variant that fits: the derive renders `anyOf`)",
                    ));
                }
                (key, branches.clone())
            }
        };
        let mut variants = String::new();
        let mut seen = BTreeSet::new();
        for (i, branch) in branches.iter().enumerate() {
            let bat = match key {
                // A `type` list entry: errors point at the list.
                "type" => child(at, "type"),
                _ => child(&child(at, key), &i.to_string()),
            };
            let doc = match branch {
                Doc::Obj(b) => text(b, "description").map(str::to_string),
                _ => None,
            };
            // The variant is named after what the branch holds.
            let base = match branch {
                Doc::Obj(b) => match (text(b, "$ref"), text(b, "type")) {
                    (Some(r), _) => r.rsplit(['/', '.']).next().map(camel),
                    (None, Some(t)) => Some(camel(t)),
                    _ => None,
                },
                _ => None,
            }
            .filter(|n| is_ident_like(n))
            .unwrap_or_else(|| format!("Variant{i}"));
            let mut vident = base.clone();
            let mut n = 1;
            while !seen.insert(vident.clone()) {
                n += 1;
                vident = format!("{base}{n}");
            }
            // A branch's `title` is the variant's (`#[record(title)]`); its bounds are
            // validators on the variant's field.
            let (branch, title) = match branch {
                Doc::Obj(b) if get(b, "$ref").is_none() => (
                    Doc::Obj(b.iter().filter(|(k, _)| k != "title").cloned().collect()),
                    match get(b, "title") {
                        None => None,
                        Some(Doc::Str(t)) => Some(t.clone()),
                        Some(_) => {
                            return Err(lacks(
                                &self.at(&child(&bat, "title")),
                                "a `title` that is not a string",
                            ))
                        }
                    },
                ),
                other => (other.clone(), None),
            };
            let t = self.ty(&branch, &bat, module, ident, &vident)?;
            if t.serde.is_some() {
                return Err(lacks(
                    &self.at(&bat),
                    "base64 on a branch of an untagged union (a variant takes no `serde(with)`)",
                ));
            }
            doc_lines(&mut variants, doc.as_deref());
            if let Some(title) = &title {
                let _ = writeln!(variants, "#[record(title = {})]", lit(title));
            }
            let rules: Vec<String> = t.length.iter().chain(&t.value).cloned().collect();
            if rules.is_empty() {
                let _ = writeln!(variants, "{vident}({}),", t.rust);
            } else {
                let _ = writeln!(
                    variants,
                    "{vident}(#[record({})] {}),",
                    rules.join(", "),
                    t.rust
                );
            }
        }
        self.push_enum(
            o,
            module,
            ident,
            namespace,
            rename,
            "#[serde(untagged)]\n",
            &variants,
        );
        Ok(())
    }

    /// Adds `enum ident { variants }` with the schema's description, the derives, `serde`
    /// (attribute lines) and the record's namespace and name.
    #[allow(clippy::too_many_arguments)]
    fn push_enum(
        &mut self,
        o: &Obj,
        module: &[String],
        ident: &str,
        namespace: Option<&str>,
        rename: Option<&str>,
        serde: &str,
        variants: &str,
    ) {
        let mut item = String::new();
        doc_lines(&mut item, text(o, "description"));
        let _ = writeln!(item, "{DERIVES}");
        item.push_str(serde);
        let mut record: Vec<String> = Vec::new();
        if let Some(ns) = namespace {
            record.push(format!("namespace = {}", lit(ns)));
        }
        if let Some(r) = rename {
            record.push(format!("name = {}", lit(r)));
        }
        if !record.is_empty() {
            let _ = writeln!(item, "#[record({})]", record.join(", "));
        }
        let _ = writeln!(item, "pub enum {ident} {{\n{variants}}}");
        self.push_item(module, item);
    }

    /// The Rust expression of a property's `default`: a string, a number that fits the
    /// field's type or a bool.
    fn default_expr(&self, value: &Doc, ty: &Ty, at: &str) -> Result<String, GenerateError> {
        let unsupported = || lacks(at, "this `default` (only strings, numbers and bools)");
        if ty.named.is_some() {
            return Err(lacks(
                at,
                "a `default` of an enum or object (the derive writes it beside an `allOf` of the \
                 type's `$ref`, which Confluent's diff reads as another schema)",
            ));
        }
        let fits = |n: &serde_json::Number| {
            let Some(i) = n
                .as_i64()
                .map(i128::from)
                .or_else(|| n.as_u64().map(i128::from))
            else {
                return false;
            };
            let (lo, hi): (i128, i128) = match ty.rust.as_str() {
                "i8" => (i8::MIN.into(), i8::MAX.into()),
                "i16" => (i16::MIN.into(), i16::MAX.into()),
                "i32" => (i32::MIN.into(), i32::MAX.into()),
                "i64" => (i64::MIN.into(), i64::MAX.into()),
                "u8" => (0, u8::MAX.into()),
                "u16" => (0, u16::MAX.into()),
                "u32" => (0, u32::MAX.into()),
                "u64" => (0, u64::MAX.into()),
                _ => return false,
            };
            (lo..=hi).contains(&i)
        };
        match (value, ty.rust.as_str()) {
            (Doc::Str(s), "String") => Ok(format!("{}.to_string()", lit(s))),
            (Doc::Bool(b), "bool") => Ok(b.to_string()),
            // (A float written as an integer would render back as `1.0`, not `1`.)
            (Doc::Num(n), "f64") if n.is_f64() => Ok(format!("{n}_f64")),
            (Doc::Num(n), _) if fits(n) => Ok(n.to_string()),
            _ => Err(unsupported()),
        }
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

/// The variants of a `oneOf` in serde's externally tagged form, as the derive writes it:
/// `(name, payload, description)`; `None` when a branch is something else.
#[allow(clippy::type_complexity)]
fn tagged_variants(o: &Obj) -> Option<Vec<(String, Option<Doc>, Option<String>)>> {
    let Some(Doc::Arr(branches)) = get(o, "oneOf") else {
        return None;
    };
    let mut out = Vec::new();
    for b in branches {
        let Doc::Obj(b) = b else {
            return None;
        };
        let doc = text(b, "description").map(str::to_string);
        let keys: BTreeSet<&str> = b
            .iter()
            .map(|(k, _)| k.as_str())
            .filter(|k| *k != "description")
            .collect();
        if keys == BTreeSet::from(["const"]) {
            out.push((text(b, "const")?.to_string(), None, doc));
            continue;
        }
        if keys != BTreeSet::from(["type", "properties", "required", "additionalProperties"])
            || text(b, "type") != Some("object")
            || get(b, "additionalProperties") != Some(&Doc::Bool(false))
        {
            return None;
        }
        let Some(Doc::Obj(props)) = get(b, "properties") else {
            return None;
        };
        let [(name, payload)] = props.as_slice() else {
            return None;
        };
        if get(b, "required") != Some(&Doc::Arr(vec![Doc::Str(name.clone())])) {
            return None;
        }
        out.push((name.clone(), Some(payload.clone()), doc));
    }
    (!out.is_empty()).then_some(out)
}

/// The JSON types a schema's `type`, `enum` and `const` allow (an integer is a `number` too);
/// `None` when they allow any.
fn value_types(o: &Obj) -> Option<BTreeSet<&'static str>> {
    fn of(v: &Doc) -> BTreeSet<&'static str> {
        BTreeSet::from_iter(
            match v {
                Doc::Null => &["null"][..],
                Doc::Bool(_) => &["boolean"],
                Doc::Num(n) if n.is_i64() || n.is_u64() => &["integer", "number"],
                Doc::Num(_) => &["number"],
                Doc::Str(_) => &["string"],
                Doc::Arr(_) => &["array"],
                Doc::Obj(_) => &["object"],
            }
            .iter()
            .copied(),
        )
    }
    fn named(t: &Doc) -> BTreeSet<&'static str> {
        let all = [
            "null", "boolean", "integer", "number", "string", "array", "object",
        ];
        match t {
            Doc::Str(t) if t == "number" => BTreeSet::from(["integer", "number"]),
            Doc::Str(t) => all.iter().copied().filter(|a| a == t).collect(),
            Doc::Arr(ts) => ts.iter().flat_map(named).collect(),
            _ => all.into_iter().collect(),
        }
    }
    let mut sets = Vec::new();
    if let Some(t) = get(o, "type") {
        sets.push(named(t));
    }
    if let Some(Doc::Arr(values)) = get(o, "enum") {
        sets.push(values.iter().flat_map(of).collect());
    }
    if let Some(v) = get(o, "const") {
        sets.push(of(v));
    }
    sets.into_iter()
        .reduce(|a, b| a.intersection(&b).copied().collect())
}

/// The branches of serde's adjacently tagged form, as the derive writes it: each a closed
/// object of `{tag: {"const": "V"}}` and, unless the variant is a unit, `{content: payload}`,
/// both required; one tag and one content name throughout. The content name is `None` when no
/// branch has content: that is also serde's internally tagged form of unit variants.
#[allow(clippy::type_complexity)]
fn adjacent_variants(
    o: &Obj,
) -> Option<(
    String,
    Option<String>,
    Vec<(String, Option<Doc>, Option<String>)>,
)> {
    let Some(Doc::Arr(branches)) = get(o, "oneOf") else {
        return None;
    };
    let mut tag: Option<&str> = None;
    let mut content: Option<&str> = None;
    let mut out = Vec::new();
    for b in branches {
        let Doc::Obj(b) = b else {
            return None;
        };
        let keys: BTreeSet<&str> = b
            .iter()
            .map(|(k, _)| k.as_str())
            .filter(|k| *k != "description")
            .collect();
        if keys != BTreeSet::from(["type", "properties", "required", "additionalProperties"])
            || text(b, "type") != Some("object")
            || get(b, "additionalProperties") != Some(&Doc::Bool(false))
        {
            return None;
        }
        let Some(Doc::Obj(props)) = get(b, "properties") else {
            return None;
        };
        let (t, name, payload) = match props.as_slice() {
            [(t, Doc::Obj(c))] => (t, c, None),
            [(t, Doc::Obj(c)), (k, payload)] => {
                if *content.get_or_insert(k.as_str()) != k.as_str() {
                    return None;
                }
                (t, c, Some((k, payload.clone())))
            }
            _ => return None,
        };
        if *tag.get_or_insert(t.as_str()) != t.as_str() {
            return None;
        }
        let [(c, Doc::Str(name))] = name.as_slice() else {
            return None;
        };
        if c != "const" {
            return None;
        }
        let mut required = vec![Doc::Str(t.clone())];
        if let Some((k, _)) = &payload {
            required.push(Doc::Str((*k).clone()));
        }
        if get(b, "required") != Some(&Doc::Arr(required)) {
            return None;
        }
        let doc = text(b, "description").map(str::to_string);
        out.push((name.clone(), payload.map(|(_, p)| p), doc));
    }
    let tag = tag?.to_string();
    // The tag and the content must differ (serde would write one key twice).
    if content == Some(tag.as_str()) {
        return None;
    }
    Some((tag, content.map(str::to_string), out))
}

/// An object that is a map: an `additionalProperties` schema and no `properties`.
/// serde impls of an open tuple struct `ident` of `fixed` fields and a last `rest` list: the
/// array holds the fields' values, then the list's items; the fields from `required` on may
/// be missing (their `Default`), and then nothing follows. serde's derive cannot write the
/// list's items into the same array.
fn tuple_serde(ident: &str, fixed: usize, required: usize) -> String {
    let elements: String = (0..fixed)
        .map(|i| format!("seq.serialize_element(&self.{i})?;\n"))
        .collect();
    let reads: String = (0..fixed)
        .map(|i| {
            if i < required {
                format!(
                    "let f{i} = a.next_element()?\n\
                     .ok_or_else(|| serde::de::Error::invalid_length({i}, &self))?;\n"
                )
            } else {
                format!(
                    "let f{i} = match if more {{ a.next_element()? }} else {{ None }} {{\n\
                     Some(v) => v,\n\
                     None => {{ more = false; Default::default() }}\n\
                     }};\n"
                )
            }
        })
        .collect();
    let names: String = (0..fixed).map(|i| format!("f{i}, ")).collect();
    format!(
        "impl serde::Serialize for {ident} {{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {{
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some({fixed} + self.{fixed}.len()))?;
        {elements}for item in &self.{fixed} {{
            seq.serialize_element(item)?;
        }}
        seq.end()
    }}
}}
impl<'de> serde::Deserialize<'de> for {ident} {{
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {{
        struct Items;
        impl<'de> serde::de::Visitor<'de> for Items {{
            type Value = {ident};
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {{
                f.write_str(\"an array of at least {required} items\")
            }}
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<{ident}, A::Error> {{
                let mut more = true;
                {reads}let mut rest = Vec::new();
                while more {{
                    match a.next_element()? {{
                        Some(v) => rest.push(v),
                        None => more = false,
                    }}
                }}
                Ok({ident}({names}rest))
            }}
        }}
        d.deserialize_seq(Items)
    }}
}}
"
    )
}

/// An array schema with an `items` list: a tuple.
fn is_tuple(o: &Obj) -> bool {
    matches!(get(o, "items"), Some(Doc::Arr(_)))
}

fn is_map(o: &Obj) -> bool {
    matches!(get(o, "additionalProperties"), Some(Doc::Obj(_))) && get(o, "properties").is_none()
}

/// `(index, branch)` of the non-null branch of a two-branch `oneOf`/`anyOf` whose other
/// branch is `{"type": "null"}`.
fn nullable_pair<'a>(o: &'a Obj, key: &str) -> Option<(usize, &'a Doc)> {
    let Some(Doc::Arr(branches)) = get(o, key) else {
        return None;
    };
    let null = Doc::Obj(vec![("type".into(), Doc::Str("null".into()))]);
    match branches.as_slice() {
        [a, b] if *a == null && *b != null => Some((1, b)),
        [a, b] if *b == null && *a != null => Some((0, a)),
        _ => None,
    }
}

fn as_i128(d: &Doc) -> Option<i128> {
    match d {
        Doc::Num(n) => n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from)),
        _ => None,
    }
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

/// `min_len`/`max_len` from a pair of length keywords.
fn bounds(o: &Obj, min: &str, max: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (key, attr) in [(min, "min_len"), (max, "max_len")] {
        if let Some(Doc::Num(n)) = get(o, key) {
            out.push(format!("{attr} = {n}"));
        }
    }
    out
}

/// `min`/`max` from `minimum`/`maximum`.
fn number_bounds(o: &Obj, at: &str, e: &Emitter) -> Result<Vec<String>, GenerateError> {
    let mut out = Vec::new();
    for (key, attr) in [("minimum", "min"), ("maximum", "max")] {
        match get(o, key) {
            None => {}
            Some(Doc::Num(n)) => out.push(format!("{attr} = {n}")),
            Some(_) => {
                return Err(lacks(
                    &e.at(&child(at, key)),
                    &format!("a malformed `{key}`"),
                ))
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generate(text: &str) -> Result<Generated, GenerateError> {
        Generator::new().generate_json(&[("a.json", text)])
    }

    #[test]
    fn names_what_it_cannot_express() {
        let cases = [
            (r#"{"not": {"type": "number"}}"#, "a.json#/not", "`not`"),
            (
                r#"{"properties": {"foo": {"const": "red"}}}"#,
                "a.json#/properties/foo/const",
                "`const`",
            ),
            (
                r#"{"dependencies": {"foo": ["bar"]}, "properties": {}}"#,
                "a.json#/dependencies",
                "`dependencies`",
            ),
            (
                r#"{"type": "object", "properties": {"a": {"maxLength": 3}}, "required": ["a"]}"#,
                "a.json#/properties/a",
                "keywords without a `type`",
            ),
            (
                r#"{"type": "object", "properties": {"a": false}}"#,
                "a.json#/properties/a",
                "a boolean schema `false`",
            ),
            (
                r#"{"oneOf": [{"type": "integer"}, {"type": "number"}]}"#,
                "a.json#/oneOf",
                "a `oneOf` of branches that may overlap",
            ),
            (
                r#"{"type": "object", "properties": {"p": {"allOf": [{"type": "number"}, {"type": "string"}]}}}"#,
                "a.json#/properties/p/allOf",
                "an `allOf` whose branches allow no common type, so no value matches (a constraint without",
            ),
            (
                r#"{"type": "object", "properties": {"p": {"allOf": [{"maxLength": 5}, {"enum": ["a", "b"]}, {"type": "integer"}]}}}"#,
                "a.json#/properties/p/allOf",
                "an `allOf` whose branches allow no common type",
            ),
            (
                r#"{"anyOf": [{"type": "string", "contentEncoding": "base64"}, {"type": "null"}, {"type": "integer"}]}"#,
                "a.json#/anyOf/0",
                "base64 on a branch of an untagged union",
            ),
            (
                r#"{"type": "number", "multipleOf": 0}"#,
                "a.json#/multipleOf",
                "a `multipleOf` that is not a positive number",
            ),
            (
                r#"{"type": "integer", "multipleOf": 0.5}"#,
                "a.json#/multipleOf",
                "a `multipleOf` that is not a positive whole number",
            ),
            (
                r#"{"type": "object", "properties": {"a": {"type": "null"}}}"#,
                "a.json#/properties/a",
                "an optional property that is not nullable",
            ),
            (
                r##"{"type": "array", "items": {"$ref": "#"}}"##,
                "a.json#",
                "a top-level array holding itself",
            ),
            (
                r#"{"type": "array", "items": [{"type": "string"}], "additionalItems": {"type": "string", "maxLength": 2}}"#,
                "a.json#/additionalItems",
                "bounds, patterns or base64 on `additionalItems`",
            ),
            (
                r#"{"type": "array", "items": [{"type": "string", "contentEncoding": "base64"}]}"#,
                "a.json#/items/0",
                "base64 bytes in an open tuple",
            ),
            (
                r#"{"type": "array", "items": [{"type": "number"}, false, {"type": "string"}], "additionalItems": false}"#,
                "a.json#/items/2",
                "a tuple item after a `false` one",
            ),
            (
                r#"{"type": "array", "items": [false, false], "additionalItems": false}"#,
                "a.json#/items/0",
                "a tuple whose items are all `false`",
            ),
            (
                r#"{"type": "array", "items": [{"type": "number"}, false]}"#,
                "a.json#/items/1",
                "a `false` item in an open tuple",
            ),
            (
                r#"{"type": "array", "items": [{"type": "number"}, false], "additionalItems": false, "minItems": 2}"#,
                "a.json#/minItems",
                "a `minItems` outside",
            ),
            (
                r#"{"type": "array", "items": [], "additionalItems": false}"#,
                "a.json#/items",
                "an empty `items` list",
            ),
            (
                r#"{"type": "array", "items": [{"type": "string"}], "additionalItems": false, "minItems": 2}"#,
                "a.json#/minItems",
                "a `minItems` outside",
            ),
            (
                r#"{"type": "array", "items": [{"type": "string"}], "additionalItems": false, "maxItems": 1}"#,
                "a.json#/maxItems",
                "`maxItems` here",
            ),
            (
                r#"{"type": "array", "additionalItems": false,
                    "items": [{"type": "object", "properties": {}}]}"#,
                "a.json#/items/0",
                "a tuple item that may be missing",
            ),
        ];
        for (schema, at, construct) in cases {
            match generate(schema) {
                Err(GenerateError::NotExpressible {
                    at: a,
                    construct: c,
                }) => {
                    assert_eq!(a, at, "{schema}");
                    assert!(c.starts_with(construct), "{schema}: {c}");
                }
                other => panic!("{schema}: {other:?}"),
            }
        }
    }

    #[test]
    fn the_root_id_is_json_id() {
        let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let src = squash(
            &generate(r#"{"$id": "https://acme.example/p.json", "title": "P", "type": "object", "properties": {"q": {"type": "object", "properties": {}}}}"#)
                .expect("generates")
                .source,
        );
        assert!(
            src.contains(r#"#[record(open_content)] #[record(json_id = "https://acme.example/p.json")] pub struct P {"#),
            "{src}"
        );
        assert_eq!(src.matches("json_id").count(), 1, "{src}");
        let src = squash(&generate(r#"{"$id": "x"}"#).expect("generates").source);
        assert!(
            src.contains(r#"#[record(json_id = "x")] pub struct A(pub serde_json::Value);"#),
            "{src}"
        );
    }

    #[test]
    fn partially_open_objects_flatten_a_map() {
        let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let src = squash(
            &generate(r#"{"title": "P", "type": "object", "properties": {"additional_properties": {"type": "string"}}, "additionalProperties": {"oneOf": [{"type": "null"}, {"type": "integer"}]}}"#)
                .expect("generates")
                .source,
        );
        assert!(!src.contains("open_content"), "{src}");
        assert!(
            src.contains("/// The properties not listed above. #[serde(flatten)] pub additional_properties_: std::collections::BTreeMap<String, Option<i64>>,"),
            "{src}"
        );
        match generate(
            r#"{"type": "object", "properties": {}, "additionalProperties": {"type": "string", "maxLength": 3}}"#,
        ) {
            Err(GenerateError::NotExpressible { at, construct }) => {
                assert_eq!(at, "a.json#/additionalProperties");
                assert!(
                    construct.starts_with("a length bound on map values"),
                    "{construct}"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn top_level_newtypes_keep_title_and_description() {
        let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let src = squash(
            &generate(r#"{"title": "Tags", "description": "Labels.", "type": "array", "items": {"type": "string"}}"#)
                .expect("generates")
                .source,
        );
        assert!(
            src.contains(r#"/// Labels. #[derive( Debug, Clone, PartialEq, kafka_model::Record, serde::Serialize, serde::Deserialize )] #[record(name = "Tags")] pub struct Tags(pub Vec<String>);"#),
            "{src}"
        );
        let src = squash(
            &generate(r#"{"description": "Anything."}"#)
                .expect("generates")
                .source,
        );
        assert!(
            src.contains("/// Anything.") && src.contains("pub struct A(pub serde_json::Value);"),
            "{src}"
        );
        assert!(!src.contains("#[record(name"), "{src}");
    }

    #[test]
    fn any_values_and_untagged_unions() {
        let src = generate(
            r##"{"title": "Doc", "type": "object", "properties": {
                "free": {"description": "Anything."},
                "yes": true,
                "list": {"type": "array"},
                "either": {"type": ["string", "integer", "null"]},
                "shapes": {"anyOf": [{"$ref": "#/definitions/P"}, {"type": "object", "properties": {"r": {"type": "number"}}, "required": ["r"], "additionalProperties": false}]}
            }, "required": ["free", "yes", "list", "either", "shapes"], "additionalProperties": false,
            "definitions": {"P": {"type": "object", "properties": {"x": {"type": "integer"}}, "required": ["x"], "additionalProperties": false}}}"##,
        )
        .expect("generates");
        // (Compared with whitespace runs as one space: the source is formatted.)
        let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let text = flat(&src.source);
        for expected in [
            "pub free: serde_json::Value,",
            "pub yes: serde_json::Value,",
            "pub list: Vec<serde_json::Value>,",
            "pub either: DocEither,",
            "#[serde(untagged)] pub enum DocEither { String(String), Integer(i64), Null(()), }",
            "#[serde(untagged)] pub enum DocShapes { P(P), Object(DocShapesObject), }",
        ] {
            assert!(text.contains(expected), "{expected} in\n{}", src.source);
        }
        // A root `oneOf` of disjoint types is an enum too.
        let src =
            generate(r#"{"oneOf": [{"type": "string"}, {"type": "boolean"}]}"#).expect("generates");
        assert!(
            flat(&src.source)
                .contains("#[serde(untagged)] pub enum A { String(String), Boolean(bool), }"),
            "{}",
            src.source
        );
    }

    #[test]
    fn branch_titles_and_bounds_are_variant_attributes() {
        let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let src = generate(
            r#"{"oneOf": [{"type": "boolean"}, {"title": "my string", "type": "string", "maxLength": 8}, {"type": "integer", "minimum": 1}]}"#,
        )
        .expect("generates");
        assert!(
            flat(&src.source).contains(
                "pub enum A { Boolean(bool), #[record(title = \"my string\")] String(#[record(max_len = 8)] String), Integer(#[record(min = 1)] i64), }"
            ),
            "{}",
            src.source
        );
    }

    #[test]
    fn required_properties_without_a_schema_are_required_only_values() {
        let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let src =
            generate(r#"{"properties": {"foo": {"type": "string"}}, "required": ["bar", "type"]}"#)
                .expect("generates");
        assert!(
            flat(&src.source).contains(
                "pub foo: Option<String>, #[record(required_only)] pub bar: serde_json::Value, #[serde(rename = \"type\")] #[record(required_only)] pub type_: serde_json::Value, }"
            ),
            "{}",
            src.source
        );
        // A closed object has no room for it.
        let err = generate(
            r#"{"type": "object", "properties": {}, "required": ["bar"], "additionalProperties": false}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("a required property `bar` without a schema"),
            "{err}"
        );
    }

    #[test]
    fn adjacent_and_internal_tagging_are_recognised() {
        let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let branch = |v: &str, content: Option<&str>| match content {
            Some(c) => format!(
                r#"{{"type": "object", "properties": {{"kind": {{"const": "{v}"}}, "data": {c}}}, "required": ["kind", "data"], "additionalProperties": false}}"#
            ),
            None => format!(
                r#"{{"type": "object", "properties": {{"kind": {{"const": "{v}"}}}}, "required": ["kind"], "additionalProperties": false}}"#
            ),
        };
        let src = generate(&format!(
            r#"{{"oneOf": [{}, {}, {}]}}"#,
            branch("Text", Some(r#"{"type": "string", "maxLength": 4}"#)),
            branch("Number", Some(r#"{"type": "integer"}"#)),
            branch("Empty", None),
        ))
        .expect("generates");
        assert!(
            flat(&src.source).contains(
                "#[serde(tag = \"kind\", content = \"data\")] pub enum A { Text(#[record(max_len = 4)] String), Number(i64), Empty, }"
            ),
            "{}",
            src.source
        );
        // Without content anywhere: serde's internal form of unit variants.
        let src = generate(&format!(
            r#"{{"oneOf": [{}, {}]}}"#,
            branch("On", None),
            branch("Off", None),
        ))
        .expect("generates");
        assert!(
            flat(&src.source).contains("#[serde(tag = \"kind\")] pub enum A { On, Off, }"),
            "{}",
            src.source
        );
        // Two tag names: not serde's adjacent or internal form (read as the external form, whose
        // payloads `{"const": ..}` have no type).
        let err = generate(&format!(
            r#"{{"oneOf": [{}, {}]}}"#,
            branch("On", None),
            branch("Off", None).replace("kind", "type"),
        ))
        .unwrap_err()
        .to_string();
        assert!(err.contains("/properties/kind/const: `const`"), "{err}");
    }

    #[test]
    fn all_of_products_keep_their_branches() {
        let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let src = generate(
            r#"{"type": "object", "properties": {
                "a": {"allOf": [{"enum": ["one", "two"]}, {"type": "string"}, {"maxLength": 5}]},
                "b": {"allOf": [{"type": "string"}, {"type": "string"}]},
                "c": {"allOf": [{"type": "string"}, {"maxLength": 5}]}
            }, "required": ["a", "b", "c"]}"#,
        )
        .expect("generates");
        let text = flat(&src.source);
        for expected in [
            "#[record( max_len = 5, choices = [\"one\", \"two\"], json_all_of = [[\"enum\"], [\"type\"], [\"maxLength\"]] )] pub a: String,",
            // A repeated keyword: one branch (Confluent's diff reads both alike).
            "#[record(json_all_of = [[\"type\"]])] pub b: String,",
            // Disjoint keywords without an `enum` merge into one schema, as before.
            "#[record(max_len = 5)] pub c: String,",
        ] {
            assert!(text.contains(expected), "{expected} in\n{}", src.source);
        }
    }

    #[test]
    fn property_counts_are_container_attributes() {
        let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let src = generate(
            r#"{"type": "object", "properties": {"a": {"type": "string"}}, "minProperties": 1, "maxProperties": 2}"#,
        )
        .expect("generates");
        assert!(
            flat(&src.source).contains(
                "#[record(open_content, min_properties = 1, max_properties = 2)] pub struct A {"
            ),
            "{}",
            src.source
        );
        let err = generate(r#"{"type": "object", "properties": {}, "minProperties": 1.5}"#)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("a `minProperties` that is not a non-negative integer"),
            "{err}"
        );
    }

    #[test]
    fn tuples_are_tuple_structs() {
        let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        for (schema, expected) in [
            // No `minItems`: every item may be missing (serde fills its default).
            (
                r#"{"type": "array", "items": [{"type": "string"}, {"type": "number"}],
                    "additionalItems": false}"#,
                "pub struct A(#[serde(default)] pub String, #[serde(default)] pub f64);",
            ),
            (
                r#"{"title": "Fix", "type": "array", "minItems": 2, "additionalItems": false,
                    "items": [{"type": "number", "description": "Longitude."},
                              {"type": "number", "maximum": 90},
                              {"type": ["null", "integer"]}]}"#,
                "pub struct Fix( /// Longitude. pub f64, #[record(max = 90)] pub f64, \
                 #[serde(default)] pub Option<i64>, );",
            ),
            // One item: a skipped `()` keeps it an array (a one-field tuple struct is a newtype).
            (
                r#"{"type": "array", "items": [{"type": "string"}], "additionalItems": false}"#,
                "pub struct A( #[serde(default)] pub String, /// A one-item array: alone, the \
                 field above would make a newtype (its bare value). #[serde(skip)] pub (), );",
            ),
            // `false` items: positions no array holds, `absent` fields after the others (which
            // keep a one-item array a tuple too).
            (
                r#"{"type": "array", "items": [{"type": "number"}, false], "additionalItems": false}"#,
                "pub struct A( #[serde(default)] pub f64, /// A position no array holds (`false` \
                 in the JSON Schema). #[record(absent)] #[serde(skip)] pub (), );",
            ),
            (
                r#"{"type": "array", "minItems": 2, "items": [{"type": "number"}, {"type": "string"},
                    false, false], "additionalItems": false}"#,
                "pub struct A( pub f64, pub String, /// A position no array holds (`false` in the \
                 JSON Schema). #[record(absent)] #[serde(skip)] pub (), /// A position no array \
                 holds (`false` in the JSON Schema). #[record(absent)] #[serde(skip)] pub (), );",
            ),
            // Inline and referenced tuples are named types.
            (
                r##"{"title": "T", "type": "object", "additionalProperties": false,
                    "properties": {"at": {"type": "array", "minItems": 2, "additionalItems": false,
                        "items": [{"type": "number"}, {"$ref": "#/definitions/geo.Pair"}]}},
                    "required": ["at"],
                    "definitions": {"geo.Pair": {"type": "array", "minItems": 1,
                        "additionalItems": false, "items": [{"type": "boolean"}, {"type": "string"}]}}}"##,
                "pub struct TAt(pub f64, pub geo::Pair);",
            ),
        ] {
            let src = generate(schema).expect("generates");
            assert!(
                flat(&src.source).contains(expected),
                "{expected} in\n{}",
                src.source
            );
        }
        let src = generate(
            r##"{"title": "T", "type": "object", "additionalProperties": false,
                "properties": {"p": {"$ref": "#/definitions/geo.Pair"}}, "required": ["p"],
                "definitions": {"geo.Pair": {"type": "array", "minItems": 1,
                    "additionalItems": false, "items": [{"type": "boolean"}, {"type": "string"}]}}}"##,
        )
        .expect("generates");
        assert!(
            flat(&src.source).contains(
                "#[record(namespace = \"geo\")] pub struct Pair(pub bool, #[serde(default)] pub String);"
            ),
            "{}",
            src.source
        );

        // Open tuples: a last `rest` list and serde impls of their own.
        for (schema, expected) in [
            (
                r#"{"type": "array", "items": [{"type": "string"}, {"type": "number"}]}"#,
                "pub struct A( #[record(default)] pub String, #[record(default)] pub f64, \
                 /// The items after the others. #[record(rest)] pub Vec<serde_json::Value>, );",
            ),
            (
                r#"{"type": "array", "minItems": 1, "items": [{"type": "string"}, true],
                    "additionalItems": {"type": "integer"}}"#,
                "pub struct A( pub String, #[record(default)] pub serde_json::Value, \
                 /// The items after the others. #[record(rest)] pub Vec<i64>, );",
            ),
        ] {
            let src = generate(schema).expect("generates");
            let text = flat(&src.source);
            assert!(text.contains(expected), "{expected} in\n{}", src.source);
            assert!(
                text.contains("impl serde::Serialize for A {"),
                "{}",
                src.source
            );
            assert!(
                text.contains("impl<'de> serde::Deserialize<'de> for A {"),
                "{}",
                src.source
            );
            assert!(
                !text.contains("serde::Serialize, serde::Deserialize )]"),
                "{}",
                src.source
            );
        }

        // (What serde's derive cannot read in a tuple: `names_what_it_cannot_express`.)
    }

    #[test]
    fn top_level_lists_maps_and_null_are_newtypes() {
        for (schema, expected) in [
            (
                r#"{"type": "array", "items": {"type": "string"}}"#,
                "pub struct A(pub Vec<String>);",
            ),
            (
                r#"{"type": "object", "additionalProperties": {"type": "number"}}"#,
                "pub struct A(pub std::collections::BTreeMap<String, f64>);",
            ),
            (r#"{"type": "null"}"#, "pub struct A(pub ());"),
            // Bounds of the root: validators on the newtype's field.
            (
                r#"{"type": "array", "items": {"type": "string"}, "maxItems": 3}"#,
                "pub struct A(#[record(max_len = 3)] pub Vec<String>);",
            ),
            (
                r#"{"type": "string", "minLength": 2, "pattern": "^a"}"#,
                "pub struct A(#[record(min_len = 2, pattern = \"^a\")] pub String);",
            ),
            (
                r#"{"type": "number", "maximum": 10}"#,
                "pub struct A(#[record(max = 10)] pub f64);",
            ),
            (
                r#"{"type": "number", "multipleOf": 0.25}"#,
                "pub struct A(#[record(multiple_of = 0.25)] pub f64);",
            ),
            (
                r#"{"type": "array", "items": {"type": "object",
                    "properties": {"n": {"type": "integer"}}, "required": ["n"]}}"#,
                "pub struct A(pub Vec<AItem>);",
            ),
        ] {
            let out = generate(schema).unwrap_or_else(|e| panic!("{schema}: {e}"));
            assert!(out.source.contains(expected), "{schema}:\n{}", out.source);
        }
    }

    #[test]
    fn several_inputs_one_file() {
        let a = r##"{"title": "A", "type": "object", "additionalProperties": false,
            "properties": {"b": {"$ref": "#/definitions/x.Same"}}, "required": ["b"],
            "definitions": {"x.Same": {"type": "string", "enum": ["P"]}}}"##;
        let b = r##"{"type": "object", "additionalProperties": false,
            "properties": {"s": {"$ref": "#/definitions/x.Same"}}, "required": ["s"],
            "definitions": {"x.Same": {"type": "string", "enum": ["Q"]}}}"##;
        let out = Generator::new()
            .generate_json(&[("a.json", a), ("b-side.json", b)])
            .expect("generates");
        let paths: Vec<&str> = out.roots.iter().map(|r| r.rust_path.as_str()).collect();
        assert_eq!(paths, ["A", "BSide"]);
        // Two definitions of one name: the second type gets another ident, the same name.
        assert!(out.source.contains("pub s: x::Same2,"), "{}", out.source);
        assert!(out
            .source
            .contains("#[record(namespace = \"x\", name = \"Same\")]"));
        assert!(out.source.contains("check_json::<BSide>(JSON_INPUTS[1])"));
    }

    #[test]
    fn optional_properties_that_are_not_nullable_are_skipped_options() {
        let schema = r#"{"type": "object", "properties": {"a": {"type": "string", "maxLength": 4},
            "b": {"type": ["integer", "null"]}, "c": {"type": "boolean", "default": true}}}"#;
        let out = generate(schema).expect("generates");
        let lines: Vec<&str> = out.source.lines().map(str::trim).collect();
        assert!(
            lines.join("\n").contains(
                "#[serde(skip_serializing_if = \"Option::is_none\")]\n#[record(max_len = 4)]\npub a: Option<String>,"
            ),
            "{}",
            out.source
        );
        // Nullable, or defaulted: no skip.
        assert!(out.source.contains("pub b: Option<i64>,"), "{}", out.source);
        assert_eq!(out.source.matches("skip_serializing_if").count(), 1);
    }

    #[test]
    fn keeps_property_order_and_is_deterministic() {
        let schema = r##"{"type": "object", "additionalProperties": false,
            "properties": {"zeta": {"type": "string"}, "alpha": {"type": "integer",
            "minimum": -2147483648, "maximum": 2147483647}, "when": {"type": "string",
            "format": "date-time"}, "inner": {"type": "object", "properties": {"x":
            {"$ref": "#"}}, "required": ["x"]}},
            "required": ["zeta", "alpha", "when", "inner"]}"##;
        let a = generate(schema).expect("generates");
        let b = generate(schema).expect("generates");
        assert_eq!(a.source, b.source);
        let zeta = a.source.find("pub zeta: String,").expect("zeta");
        let alpha = a.source.find("pub alpha: i32,").expect("alpha");
        assert!(zeta < alpha, "{}", a.source);
        assert!(a
            .source
            .contains("pub when: chrono::DateTime<chrono::Utc>,"));
        assert!(a.source.contains("pub inner: AInner,"), "{}", a.source);
        assert!(a.source.contains("pub x: Box<A>,"), "{}", a.source);
    }
}
