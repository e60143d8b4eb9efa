//! Package files: which type goes in which file, imports, import cycles, nesting of
//! `#[record(parent = ..)]` declarations, package-scope checks of enum values.

use super::*;

/// One output file under construction: the types of one package.
pub(super) struct PackageFile {
    pub(super) package: Option<&'static str>,
    pub(super) name: String,
    pub(super) types: Vec<&'static Model>,
}

/// Why one file imports another: the first field making the reference.
#[derive(Clone)]
pub(super) struct Culprit {
    pub(super) record: &'static str,
    pub(super) field: &'static str,
    pub(super) ty: String,
}

/// What rendering one file produced besides its declarations.
#[derive(Default)]
pub(super) struct FileDeps {
    /// Other package files referenced, with the first reference.
    pub(super) files: Vec<(usize, Culprit)>,
    /// Well-known imports used.
    pub(super) well_known: BTreeSet<&'static str>,
}

pub(super) struct Renderer {
    pub(super) files: Vec<PackageFile>,
    /// Package of each named type, by full name.
    pub(super) package_of: HashMap<String, Option<&'static str>>,
    /// File index of each package.
    pub(super) file_of_package: HashMap<Option<&'static str>, usize>,
    /// Every package, package prefix and type full name visible to the files (for deciding
    /// whether a reference needs a leading dot).
    pub(super) known: HashSet<String>,
}

impl Renderer {
    /// `unpackaged`: the file name for types without a namespace.
    pub(super) fn new(types: &[&'static Model], unpackaged: String) -> Result<Self, SchemaError> {
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
        names.insert(STRUCT_FILE, Some("google.protobuf"));
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

    pub(super) fn render(self) -> Result<ProtoRoot, SchemaError> {
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
                    Shape::Fixed(_) | Shape::Duration | Shape::Primitive(..) => {}
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
}

impl Renderer {
    /// Protobuf rejects import cycles: fail when package files would import each other.
    pub(super) fn check_cycles(&self, deps: &[FileDeps]) -> Result<(), SchemaError> {
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
pub(super) fn nest(file: &PackageFile, i: usize, rendered: &mut [Option<String>]) -> String {
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

/// Protobuf enum values live in the package's scope: fail when two enums of one package produce
/// the same value name, or a value is named like a type of the package.
pub(super) fn check_package_scope(file: &PackageFile) -> Result<(), SchemaError> {
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
