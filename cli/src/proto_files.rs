//! Loading a `.proto` file with the files it imports, from import roots on disk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kafka_model::compat::protobuf::ProtoSource;

use crate::{read, CliError};

/// Files every compiler provides (and the checker has built in).
fn built_in(name: &str) -> bool {
    name.starts_with("google/protobuf/") || name == "confluent/meta.proto"
}

/// The import paths in a `.proto` text (`import "a.proto";`, `import public "b.proto";`).
pub fn imports(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("import") {
        let before_ok = at == 0
            || rest[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_whitespace() || c == ';' || c == '}');
        rest = &rest[at + "import".len()..];
        if !before_ok {
            continue;
        }
        let mut tail = rest.trim_start();
        for modifier in ["public", "weak"] {
            if let Some(t) = tail.strip_prefix(modifier) {
                tail = t.trim_start();
            }
        }
        let quote = match tail.chars().next() {
            Some(q @ ('"' | '\'')) => q,
            _ => continue,
        };
        if let Some(end) = tail[1..].find(quote) {
            out.push(tail[1..=end].to_owned());
        }
    }
    out
}

/// `file` as a [`ProtoSource`]: named by its path under the first root holding it (else its
/// file name), with every imported file found under the roots. Without roots, an import is
/// looked up in the file's directory, then in each parent directory in turn (so that
/// `v1/com/acme/orders.proto` importing `com/acme/common.proto` finds `v1/com/acme/common.proto`).
pub fn load(file: &Path, roots: &[PathBuf]) -> Result<ProtoSource, CliError> {
    let ancestors: Vec<PathBuf>;
    let roots: &[PathBuf] = if roots.is_empty() {
        ancestors = file
            .parent()
            .map(|p| {
                p.ancestors()
                    .map(|a| {
                        if a.as_os_str().is_empty() {
                            PathBuf::from(".")
                        } else {
                            a.to_path_buf()
                        }
                    })
                    .collect()
            })
            .unwrap_or_else(|| vec![PathBuf::from(".")]);
        &ancestors
    } else {
        roots
    };
    let name = roots
        .iter()
        .find_map(|r| file.strip_prefix(r).ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .or_else(|| file.file_name().map(|n| n.to_string_lossy().into_owned()))
        .ok_or_else(|| CliError::Usage(format!("{} is not a file", file.display())))?;
    let text = read(file)?;
    let mut deps: BTreeMap<String, String> = BTreeMap::new();
    let mut queue = imports(&text);
    while let Some(import) = queue.pop() {
        if deps.contains_key(&import) || import == name {
            continue;
        }
        let found = roots.iter().map(|r| r.join(&import)).find(|p| p.is_file());
        match found {
            Some(path) => {
                let dep = read(&path)?;
                queue.extend(imports(&dep));
                deps.insert(import, dep);
            }
            None if built_in(&import) => {}
            None => {
                return Err(CliError::Usage(format!(
                    "{}: import \"{import}\" not found (import roots: {}; add one with -I)",
                    file.display(),
                    roots
                        .iter()
                        .map(|r| r.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )))
            }
        }
    }
    let mut source = ProtoSource::new(text).with_name(name);
    for (dep_name, dep_text) in deps {
        source = source.with_dependency(dep_name, dep_text);
    }
    Ok(source)
}

#[cfg(test)]
mod tests {
    use super::imports;

    #[test]
    fn finds_imports() {
        let text = "syntax = \"proto3\";\nimport \"a.proto\";\nimport public 'b/c.proto';\n\
                    message important { string imported = 1; }";
        assert_eq!(imports(text), ["a.proto", "b/c.proto"]);
    }
}
