//! `kafka-model diff DIR_A DIR_B`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use kafka_model::compat::protobuf::{self, ProtoSource};
use kafka_model::compat::{avro, CompatReport, CompatibilityLevel};
use serde_json::json;

use crate::{read, CliError, DiffArgs};

/// Every file under `dir`, by path relative to it (`/`-separated), sorted.
fn tree(dir: &Path) -> Result<BTreeMap<String, PathBuf>, CliError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| CliError::Read { path, source }
    };
    if !dir.is_dir() {
        return Err(CliError::Usage(format!(
            "{} is not a directory",
            dir.display()
        )));
    }
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).map_err(io(&d))? {
            let path = entry.map_err(io(&d))?.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                out.insert(rel.to_string_lossy().replace('\\', "/"), path);
            }
        }
    }
    Ok(out)
}

/// The `.proto` files beside `rel` that belong to its import root: for the proto root of an
/// export (`proto/com/acme/a.proto`) the files under `proto/`; for an entry of the older
/// per-type layout (`X.proto/com/acme/a.proto`) the files under `X.proto/`; otherwise every
/// `.proto` in the tree, named relative to the tree's root.
fn proto_source(
    rel: &str,
    files: &BTreeMap<String, PathBuf>,
    texts: &mut BTreeMap<PathBuf, String>,
) -> Result<ProtoSource, CliError> {
    let root = rel
        .find(".proto/")
        .map(|i| &rel[..i + ".proto/".len()])
        .or_else(|| rel.starts_with("proto/").then_some("proto/"))
        .unwrap_or("");
    let mut text_of = |p: &PathBuf| -> Result<String, CliError> {
        if let Some(t) = texts.get(p) {
            return Ok(t.clone());
        }
        let t = read(p)?;
        texts.insert(p.clone(), t.clone());
        Ok(t)
    };
    let main_path = files
        .get(rel)
        .ok_or_else(|| CliError::Usage(format!("{rel} vanished")))?;
    let mut source = ProtoSource::new(text_of(main_path)?).with_name(&rel[root.len()..]);
    for (other, path) in files {
        if other != rel && other.ends_with(".proto") && other.starts_with(root) {
            source = source.with_dependency(&other[root.len()..], text_of(path)?);
        }
    }
    Ok(source)
}

/// Runs the diff; `Ok(true)` when the directories hold the same files.
pub fn run(args: &DiffArgs) -> Result<bool, CliError> {
    let a = tree(&args.dir_a)?;
    let b = tree(&args.dir_b)?;
    let names: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let mut texts = BTreeMap::new();
    let mut entries = Vec::new();
    let mut same = true;
    for name in names {
        let (pa, pb) = (a.get(name), b.get(name));
        let (status, report) = match (pa, pb) {
            (Some(_), None) => ("removed", None),
            (None, Some(_)) => ("added", None),
            (Some(pa), Some(pb)) => {
                let (ta, tb) = (read(pa)?, read(pb)?);
                if ta == tb {
                    continue;
                }
                let report: Option<CompatReport> = if name.ends_with(".avsc") {
                    Some(avro::check(CompatibilityLevel::Full, &tb, &[&ta])?)
                } else if name.ends_with(".proto") {
                    let old = proto_source(name, &a, &mut texts)?;
                    let new = proto_source(name, &b, &mut texts)?;
                    Some(protobuf::check(CompatibilityLevel::Full, &new, &[old])?)
                } else {
                    None
                };
                ("changed", report)
            }
            (None, None) => continue,
        };
        same = false;
        entries.push((name.clone(), status, report));
    }
    if args.json {
        let files: Vec<serde_json::Value> = entries
            .iter()
            .map(|(name, status, report)| {
                json!({
                    "path": name,
                    "status": status,
                    "breaking": report.as_ref().map(|r| r.issues.iter().map(|i| json!({
                        "kind": i.kind.to_string(),
                        "path": i.path,
                        "message": i.message,
                        "direction": i.direction.to_string(),
                    })).collect::<Vec<_>>()),
                })
            })
            .collect();
        println!("{}", json!({ "same": same, "files": files }));
    } else if same {
        println!("no differences");
    } else {
        for (name, status, report) in &entries {
            match report {
                Some(r) if !r.compatible => {
                    println!("{status}: {name} (breaking)");
                    for issue in &r.issues {
                        println!("  {issue}");
                    }
                }
                Some(_) => println!("{status}: {name} (compatible: FULL)"),
                None => println!("{status}: {name}"),
            }
        }
    }
    Ok(same)
}
