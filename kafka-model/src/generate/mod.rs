//! From an existing schema to a typed model: Rust source with `#[derive(Record)]` types whose
//! rendered schemas are the input schemas (`kafka-model generate`).
//!
//! [`Generator`] (feature `generate`, which brings `syn` and `prettyplease` for formatting)
//! turns Avro schemas (`.avsc`) into one Rust file: a module per namespace, a type per named
//! Avro type, an enum per union that is not `["null", T]`, with the `#[record(...)]` and
//! `#[serde(...)]` attributes that reproduce names, namespaces, defaults, aliases, docs and
//! logical types. The output is deterministic (same input, same bytes).
//!
//! The generated file also holds the check that the promise holds: `check_avro_schemas()`
//! compares each root type's rendered schema with the embedded input ([`check_avro`]), and a
//! `#[test]` calls it, so `cargo test` of the crate that includes the file proves it. The check
//! has to run in compiled code: the derive's `Model` is built at compile time. What the derive
//! cannot express yet (a top-level array or map, an array as a union branch, ...) is a
//! [`GenerateError::NotExpressible`] at generation time, never a type of another schema.
//!
//! [`registry_inputs`] fetches a subject and the schemas its references reach, as inputs
//! (`kafka-model generate --registry`).
//!
//! `.proto` inputs ([`Generator::generate_proto`]) go through protox's descriptors to structs
//! with `tag`/`parent`/`oneof` attributes, one module per package, with the same embedded
//! check (`check_proto_schemas()`, [`check_proto`]). JSON Schema documents
//! ([`Generator::generate_json`]: the data-shape subset — objects, arrays, maps, string enums,
//! nullable types, formats, bounds, `$ref`s within an input and into earlier inputs) likewise, checked by Confluent's schema diff
//! both ways (`check_json_schemas()`, [`check_json`]).

mod check;
mod check_json;
mod check_proto;

pub use check::{check_avro, check_avro_in, SchemaMismatch};
pub use check_json::check_json;
pub use check_proto::check_proto;

#[cfg(feature = "generate")]
mod avro;
#[cfg(feature = "generate")]
mod json;
#[cfg(feature = "generate")]
mod json_refs;
#[cfg(feature = "generate")]
mod proto;
#[cfg(feature = "generate")]
pub use generator::*;
#[cfg(feature = "generate")]
mod registry;
#[cfg(feature = "generate")]
pub use registry::{registry_inputs, RegistryInputs};

#[cfg(feature = "generate")]
mod generator {
    use std::collections::BTreeMap;
    use std::fmt::Write as _;
    use std::path::{Path, PathBuf};

    use super::avro::Emitter;

    /// Why no source was generated.
    #[derive(Debug, thiserror::Error)]
    pub enum GenerateError {
        /// A schema file could not be read, or the output not written.
        #[error("{path}: {source}")]
        Io {
            /// The file.
            path: PathBuf,
            /// The I/O error.
            source: std::io::Error,
        },
        /// The input is not a valid Avro schema.
        #[error("{input}: not a valid Avro schema: {message}")]
        Invalid {
            /// The input (file name, or where in it).
            input: String,
            /// apache-avro's or our reason.
            message: String,
        },
        /// The `.proto` inputs do not compile (protox's reason), or one is not found.
        #[error("{input}: not valid Protobuf: {message}")]
        InvalidProto {
            /// The inputs.
            input: String,
            /// protox's reason.
            message: String,
        },
        /// The schema uses a construct the derive cannot express (yet); no type is generated
        /// rather than one that would render another schema.
        #[error("{at}: {construct} cannot be expressed by #[derive(Record)] yet")]
        NotExpressible {
            /// Where: the full name of the type, `.field` for a field.
            at: String,
            /// The construct.
            construct: String,
        },
        /// The schema is of a kind kafka-model does not support at all (not a missing derive
        /// construct): proto2 and editions `.proto` files, since the derive renders proto3.
        #[error("{at}: {reason}")]
        Unsupported {
            /// Where: the input file.
            at: String,
            /// Why, e.g. "proto2 is not supported (kafka-model renders proto3)".
            reason: String,
        },
        /// The generated source did not parse: a bug of the generator.
        #[error("generated source does not parse ({message}); please report this schema")]
        Internal {
            /// syn's error.
            message: String,
        },
    }

    /// The root type of one input: what its schema is generated as.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Root {
        /// The input's name (file name; for Protobuf, `<file>:<full message name>`).
        pub input: String,
        /// The Rust path of its type, relative to where the generated file is included.
        pub rust_path: String,
    }

    /// Generated source and its root types.
    #[derive(Debug, Clone)]
    pub struct Generated {
        /// The formatted Rust source.
        pub source: String,
        /// One root per input, in input order (for Protobuf, one per message, in declaration
        /// order).
        pub roots: Vec<Root>,
    }

    /// Generates Rust models from Avro schemas, like prost-build does from `.proto` files (and
    /// from `.proto` files: [`Generator::generate_proto`], [`Generator::compile_proto`]).
    ///
    /// In a build script:
    ///
    /// ```no_run
    /// // build.rs
    /// kafka_model::generate::Generator::new()
    ///     // a named fixed(16) as your own type (it must render the same fixed schema)
    ///     .map_type("com.acme.Uuid16", "ids::Uuid16")
    ///     .compile(&["schemas/order.avsc"], std::env::var("OUT_DIR").unwrap())
    ///     .unwrap();
    /// // src/lib.rs:
    /// // include!(concat!(env!("OUT_DIR"), "/kafka_model_avro.rs"));
    /// ```
    ///
    /// From text:
    ///
    /// ```
    /// use kafka_model::generate::Generator;
    ///
    /// let avsc = r#"{"type": "record", "name": "Order", "namespace": "com.acme",
    ///     "fields": [{"name": "id", "type": "long"},
    ///                {"name": "note", "type": ["null", "string"], "default": null}]}"#;
    /// let out = Generator::new().generate(&[("order.avsc", avsc)])?;
    /// assert!(out.source.contains("pub mod com {"));
    /// assert!(out.source.contains("#[record(namespace = \"com.acme\")]"));
    /// assert!(out.source.contains("pub note: Option<String>,"));
    /// assert_eq!(out.roots[0].rust_path, "com::acme::Order");
    /// # Ok::<(), kafka_model::generate::GenerateError>(())
    /// ```
    #[derive(Debug, Clone, Default)]
    pub struct Generator {
        pub(super) types: BTreeMap<String, String>,
        pub(super) fields: BTreeMap<String, String>,
        pub(super) ordered_maps: bool,
    }

    impl Generator {
        /// The file [`Generator::compile`] writes into its output directory.
        pub const OUTPUT_FILE: &'static str = "kafka_model_avro.rs";

        /// A generator with no type mappings.
        pub fn new() -> Self {
            Self::default()
        }

        /// Uses `rust_path` (from the crate root, e.g. `"ids::Uuid16"`) for the named Avro type
        /// `full_name` instead of generating one. The generated check proves the mapped type
        /// renders the same schema.
        pub fn map_type(mut self, full_name: &str, rust_path: &str) -> Self {
            self.types
                .insert(full_name.to_string(), rust_path.to_string());
            self
        }

        /// Uses `rust_path` (from the crate root) as the type of the field
        /// `"<record full name>.<field>"`, e.g. a newtype over `String` for an id.
        pub fn map_field(mut self, field: &str, rust_path: &str) -> Self {
            self.fields.insert(field.to_string(), rust_path.to_string());
            self
        }

        /// Generates maps (Avro, and Protobuf `map<K, V>`) as `indexmap::IndexMap` (keeps the
        /// entries in payload order, so a decoded value re-encodes to the same bytes) instead of
        /// `BTreeMap` (sorted). The crate including the output then needs `indexmap` (feature
        /// `serde`) and kafka-model's feature `indexmap`.
        pub fn ordered_maps(mut self) -> Self {
            self.ordered_maps = true;
            self
        }

        /// Generates one source from `(name, schema JSON)` inputs; named types may be
        /// referenced across inputs (as `Schema::parse_list` allows).
        pub fn generate(&self, inputs: &[(&str, &str)]) -> Result<Generated, GenerateError> {
            let joined = inputs
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", ");
            let schemas = parse(inputs)?;
            let mut emitter = Emitter::new(self);
            for s in &schemas {
                emitter.collect_defs(s);
            }
            for ((name, _), schema) in inputs.iter().zip(&schemas) {
                let stem = Path::new(name)
                    .file_stem()
                    .map_or_else(|| name.to_string(), |s| s.to_string_lossy().into_owned());
                emitter.root(name, &stem, schema)?;
            }
            let checks = text_input_checks(
                "avro",
                " Checks that each generated root type renders exactly its input schema.",
                &emitter.roots,
                inputs,
                |i, rust_path| {
                    format!("kafka_model::generate::check_avro_in::<{rust_path}>(AVRO_INPUTS[{i}], &AVRO_INPUTS)?;")
                },
            );
            let source = format_source(&joined, &emitter.source(&checks))?;
            Ok(Generated {
                source,
                roots: emitter.roots,
            })
        }

        /// [`Generator::generate`] from files.
        pub fn generate_files(
            &self,
            paths: &[impl AsRef<Path>],
        ) -> Result<Generated, GenerateError> {
            let texts = read_inputs(paths, |p| p.display().to_string())?;
            let inputs: Vec<(&str, &str)> = texts
                .iter()
                .map(|(n, t)| (n.as_str(), t.as_str()))
                .collect();
            self.generate(&inputs)
        }

        /// Generates from `paths` into `out_dir/`[`Generator::OUTPUT_FILE`] (for `include!`),
        /// and returns that path. In a build script, also prints `cargo:rerun-if-changed` for
        /// each input.
        pub fn compile(
            &self,
            paths: &[impl AsRef<Path>],
            out_dir: impl AsRef<Path>,
        ) -> Result<PathBuf, GenerateError> {
            let generated = self.generate_files(paths)?;
            write_output(
                paths,
                out_dir.as_ref().join(Self::OUTPUT_FILE),
                &generated.source,
            )
        }
    }

    /// Each input file's text, named by `name` (Avro: the path; Protobuf: the file name, which
    /// its imports use).
    pub(super) fn read_inputs(
        paths: &[impl AsRef<Path>],
        name: impl Fn(&Path) -> String,
    ) -> Result<Vec<(String, String)>, GenerateError> {
        paths
            .iter()
            .map(|p| {
                let p = p.as_ref();
                let text = std::fs::read_to_string(p).map_err(|source| GenerateError::Io {
                    path: p.to_path_buf(),
                    source,
                })?;
                Ok((name(p), text))
            })
            .collect()
    }

    /// Writes generated source to `out`; in a build script, also prints
    /// `cargo:rerun-if-changed` for each input.
    pub(super) fn write_output(
        paths: &[impl AsRef<Path>],
        out: PathBuf,
        source: &str,
    ) -> Result<PathBuf, GenerateError> {
        if std::env::var_os("CARGO_MANIFEST_DIR").is_some() && std::env::var_os("OUT_DIR").is_some()
        {
            for p in paths {
                println!("cargo:rerun-if-changed={}", p.as_ref().display());
            }
        }
        std::fs::write(&out, source).map_err(|source| GenerateError::Io {
            path: out.clone(),
            source,
        })?;
        Ok(out)
    }

    /// A schema name as a Rust field identifier: `testString` → `test_string` (an acronym stays
    /// one word: `HTTPCode` → `http_code`); a leading digit gets a `_`.
    pub(super) fn snake(name: &str) -> String {
        let mut out = String::new();
        let chars: Vec<char> = name.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            if c.is_uppercase() {
                let prev_lower =
                    i > 0 && (chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit());
                let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
                let prev_upper = i > 0 && chars[i - 1].is_uppercase();
                if !out.is_empty()
                    && !out.ends_with('_')
                    && (prev_lower || (prev_upper && next_lower))
                {
                    out.push('_');
                }
                out.extend(c.to_lowercase());
            } else {
                out.push(c);
            }
        }
        if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
            out.insert(0, '_');
        }
        out
    }

    /// Parses the inputs: the named ones together (they may reference each other), each
    /// unnamed one (a primitive, array, map or union) against them.
    fn parse(inputs: &[(&str, &str)]) -> Result<Vec<apache_avro::Schema>, GenerateError> {
        let invalid = |input: &str, e: &dyn std::fmt::Display| GenerateError::Invalid {
            input: input.to_string(),
            message: e.to_string(),
        };
        let is_named = |text: &str| {
            serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| v.get("name").is_some())
        };
        let named: Vec<&str> = inputs
            .iter()
            .map(|(_, t)| *t)
            .filter(|t| is_named(t))
            .collect();
        let names: Vec<&str> = inputs
            .iter()
            .filter(|(_, t)| is_named(t))
            .map(|(n, _)| *n)
            .collect();
        let mut parsed = apache_avro::Schema::parse_list(named.iter().copied())
            .map_err(|e| invalid(&names.join(", "), &e))?
            .into_iter();
        let mut out = Vec::new();
        for (name, text) in inputs {
            if is_named(text) {
                out.push(parsed.next().ok_or_else(|| invalid(name, &"not parsed"))?);
            } else {
                let (schema, _) =
                    apache_avro::Schema::parse_str_with_list(text, named.iter().copied())
                        .map_err(|e| invalid(name, &e))?;
                out.push(schema);
            }
        }
        Ok(out)
    }

    /// What every generated file embeds after its types, so that a user's `cargo test` re-checks
    /// the promise: `check_<kind>_schemas()` running `calls` (one statement each, ending `?;`),
    /// the inputs as `<KIND>_INPUTS: [item_type; N]` (`entries`: one expression each, documented
    /// as `inputs_doc`), and a `#[test]` calling the checks.
    pub(super) fn embedded_checks(
        kind: &str,
        doc: &str,
        inputs_doc: &str,
        item_type: &str,
        calls: &[String],
        entries: &[String],
    ) -> String {
        let upper = kind.to_ascii_uppercase();
        let mut out = format!(
            "#[doc = {doc:?}]\n#[allow(dead_code)]\n\
             pub fn check_{kind}_schemas() -> Result<(), kafka_model::generate::SchemaMismatch> {{\n"
        );
        for call in calls {
            let _ = writeln!(out, "{call}");
        }
        out.push_str("Ok(())\n}\n");
        let _ = writeln!(
            out,
            "#[doc = {inputs_doc:?}]\n#[allow(dead_code)]\n\
             pub const {upper}_INPUTS: [{item_type}; {}] = [",
            entries.len()
        );
        for entry in entries {
            let _ = writeln!(out, "{entry},");
        }
        let _ = writeln!(
            out,
            "];\n#[test]\nfn generated_types_render_their_input_schemas() {{\n\
             if let Err(e) = check_{kind}_schemas() {{\npanic!(\"{{e}}\");\n}}\n}}"
        );
        out
    }

    /// [`embedded_checks`] for inputs that are one schema text each (Avro, JSON Schema): one
    /// `call(i, rust_path)` per root, the texts as `<KIND>_INPUTS: [&str; N]` in input order.
    pub(super) fn text_input_checks(
        kind: &str,
        doc: &str,
        roots: &[Root],
        inputs: &[(&str, &str)],
        call: impl Fn(usize, &str) -> String,
    ) -> String {
        let calls: Vec<String> = roots
            .iter()
            .enumerate()
            .map(|(i, root)| call(i, &root.rust_path))
            .collect();
        let entries: Vec<String> = inputs.iter().map(|(_, t)| raw_literal(t)).collect();
        embedded_checks(
            kind,
            doc,
            " The input schemas, in input order.",
            "&str",
            &calls,
            &entries,
        )
    }

    /// Items grouped by module path as one source: `pub mod a { pub mod b { .. } }` nesting,
    /// sibling paths sharing their common prefix, then `checks` at the root.
    pub(super) fn nested_modules(
        modules: &BTreeMap<Vec<String>, Vec<String>>,
        checks: &str,
    ) -> String {
        let mut out = String::new();
        let mut open: Vec<&String> = Vec::new();
        for (path, items) in modules {
            let common = open.iter().zip(path).take_while(|(a, b)| *a == b).count();
            for _ in common..open.len() {
                out.push_str("}\n");
            }
            open.truncate(common);
            for part in &path[common..] {
                let _ = writeln!(out, "pub mod {part} {{");
                open.push(part);
            }
            for item in items {
                out.push_str(item);
                out.push('\n');
            }
        }
        for _ in 0..open.len() {
            out.push_str("}\n");
        }
        out.push_str(checks);
        out
    }

    /// The generated items formatted (prettyplease) under the header naming the inputs.
    pub(super) fn format_source(joined: &str, items: &str) -> Result<String, GenerateError> {
        let file = syn::parse_file(items).map_err(|e| GenerateError::Internal {
            message: e.to_string(),
        })?;
        Ok(format!(
            "// Generated by `kafka-model generate` from {joined}. Do not edit.\n\n{}",
            prettyplease::unparse(&file)
        ))
    }

    /// A raw string literal holding `text`.
    pub(super) fn raw_literal(text: &str) -> String {
        let mut hashes = String::from("#");
        while text.contains(&format!("\"{hashes}")) {
            hashes.push('#');
        }
        format!("r{hashes}\"{text}\"{hashes}")
    }
}
