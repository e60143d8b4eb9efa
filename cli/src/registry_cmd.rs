//! `kafka-model register` and `kafka-model check-registry`: local schema files against a
//! Confluent-API schema registry.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use kafka_model::compat::protobuf::{self, ProtoSource};
use kafka_model::compat::{self, CompatReport, CompatibilityLevel};
use kafka_model::registry::{
    ConfluentRegistry, RegistryError, Schema, SchemaReference, SchemaRegistry, SchemaType,
    SubjectNameStrategy, SubjectRole, Version,
};
use kafka_model::value::avro::AvroValueSchema;
use kafka_model::value::protobuf::ProtoFile;
use serde_json::{json, Value as Json};

use crate::codec_cmd::format_of;
use crate::{
    proto_files, read, CheckRegistryArgs, CliError, PayloadFormat, RegisterArgs, RegistryArgs,
    StrategyArg,
};

/// One local schema file, ready to send.
struct Local {
    path: String,
    format: PayloadFormat,
    subject: String,
    /// The schema text.
    text: String,
    /// Protobuf: the main file's import name and its imported files (import path → text).
    proto: Option<ProtoSource>,
}

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Usage(format!("cannot start a runtime: {e}")))
}

fn client(args: &RegistryArgs) -> Result<ConfluentRegistry, CliError> {
    Ok(ConfluentRegistry::new(args.registry.clone())?)
}

/// Reads a file and names its subject.
fn local(path: &Path, args: &RegistryArgs) -> Result<Local, CliError> {
    let format = format_of(Some(path), None)?;
    let text = read(path)?;
    let (record_name, proto) = match format {
        PayloadFormat::Avro => {
            let schema = AvroValueSchema::parse(&text)
                .map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))?;
            (schema.full_name().map(str::to_owned), None)
        }
        PayloadFormat::Protobuf => {
            // Imports are found as `compat` finds them: under -I, else the file's parents.
            let source = proto_files::load(path, &args.proto_path)?;
            let file =
                ProtoFile::from_source(&source).map_err(|e| CliError::Usage(e.to_string()))?;
            let first = file
                .first_message()
                .map_err(|e| CliError::Usage(e.to_string()))?;
            (Some(first.full_name().to_owned()), Some(source))
        }
        PayloadFormat::Json => {
            let json: Json = serde_json::from_str(&text)
                .map_err(|e| CliError::Usage(format!("{}: not JSON: {e}", path.display())))?;
            let title = json
                .get("title")
                .and_then(Json::as_str)
                .map(str::to_owned)
                .or_else(|| {
                    path.file_name()
                        .map(|n| n.to_string_lossy().trim_end_matches(".json").to_owned())
                        .map(|n| n.trim_end_matches(".schema").to_owned())
                });
            (title, None)
        }
    };
    let role = if args.key {
        SubjectRole::Key
    } else {
        SubjectRole::Value
    };
    let subject = if let Some(s) = &args.subject {
        s.clone()
    } else {
        let strategy = match args.subject_strategy {
            StrategyArg::Topic => SubjectNameStrategy::TopicName,
            StrategyArg::Record => SubjectNameStrategy::RecordName,
            StrategyArg::TopicRecord => SubjectNameStrategy::TopicRecordName,
        };
        let needs_topic = !matches!(args.subject_strategy, StrategyArg::Record);
        let topic = match (&args.topic, needs_topic) {
            (Some(t), _) => t.clone(),
            (None, false) => String::new(),
            (None, true) => {
                return Err(CliError::Usage(format!(
                    "{}: the {} strategy needs --topic T (or give --subject S, or --subject-strategy record)",
                    path.display(),
                    args.subject_strategy.as_str()
                )))
            }
        };
        let needs_name = !matches!(args.subject_strategy, StrategyArg::Topic);
        let name = match (record_name, needs_name) {
            (Some(n), _) => n,
            (None, false) => String::new(),
            (None, true) => {
                return Err(CliError::Usage(format!(
                    "{}: the schema has no record name for the {} strategy",
                    path.display(),
                    args.subject_strategy.as_str()
                )))
            }
        };
        strategy.subject(&topic, role, &name)
    };
    Ok(Local {
        path: path.display().to_string(),
        format,
        subject,
        text,
        proto,
    })
}

fn schema_type(format: PayloadFormat) -> SchemaType {
    match format {
        PayloadFormat::Avro => SchemaType::Avro,
        PayloadFormat::Protobuf => SchemaType::Protobuf,
        PayloadFormat::Json => SchemaType::Json,
    }
}

/// Registers a Protobuf file's imports (each under its import path, Confluent's default
/// reference subject strategy), depth first, and answers the references of `text`.
async fn register_imports(
    client: &ConfluentRegistry,
    text: &str,
    deps: &BTreeMap<String, String>,
    done: &mut HashMap<String, SchemaReference>,
) -> Result<Vec<SchemaReference>, CliError> {
    let mut refs = Vec::new();
    for import in proto_files::imports(text) {
        if let Some(r) = done.get(&import) {
            refs.push(r.clone());
            continue;
        }
        let Some(dep) = deps.get(&import) else {
            continue; // built in (google/protobuf/*, confluent/meta.proto)
        };
        let inner = Box::pin(register_imports(client, dep, deps, done)).await?;
        let mut schema = Schema::protobuf(dep.clone());
        for r in inner {
            schema = schema.with_reference(r);
        }
        client.register(&import, &schema, false).await?;
        let found = client.lookup(&import, &schema, false, false).await?;
        let r = SchemaReference::new(import.clone(), import.clone(), found.version);
        done.insert(import, r.clone());
        refs.push(r);
    }
    Ok(refs)
}

async fn to_schema(
    client: &ConfluentRegistry,
    local: &Local,
    register_deps: bool,
) -> Result<Schema, CliError> {
    let mut schema = Schema::new(schema_type(local.format), local.text.clone());
    if let (Some(proto), true) = (&local.proto, register_deps) {
        let deps: BTreeMap<String, String> = proto.dependencies.iter().cloned().collect();
        let mut done = HashMap::new();
        for r in register_imports(client, &local.text, &deps, &mut done).await? {
            schema = schema.with_reference(r);
        }
    }
    Ok(schema)
}

/// Runs `register`: `Ok(false)` when the registry refused a schema as incompatible.
pub fn register(args: &RegisterArgs) -> Result<bool, CliError> {
    let rt = runtime()?;
    let client = client(&args.registry)?;
    let locals = args
        .files
        .iter()
        .map(|p| local(p, &args.registry))
        .collect::<Result<Vec<_>, _>>()?;
    let total = locals.len();
    let mut all_ok = true;
    let mut results = Vec::new();
    for (i, l) in locals.iter().enumerate() {
        eprintln!("[{}/{total}] {} -> {}", i + 1, l.path, l.subject);
        let outcome = rt.block_on(async {
            let schema = to_schema(&client, l, true).await?;
            Ok::<_, CliError>(client.register(&l.subject, &schema, args.normalize).await)
        })?;
        match outcome {
            Ok(reg) => {
                if !args.registry.json {
                    let version = reg
                        .version
                        .map(|v| format!(", version {v}"))
                        .unwrap_or_default();
                    println!(
                        "registered {} under {}: id {}{version}",
                        l.path, l.subject, reg.id
                    );
                }
                results.push(json!({
                    "file": l.path, "subject": l.subject, "registered": true,
                    "id": reg.id, "version": reg.version,
                }));
            }
            Err(RegistryError::Incompatible { message }) => {
                all_ok = false;
                if !args.registry.json {
                    println!("incompatible: {} under {}: {message}", l.path, l.subject);
                }
                results.push(json!({
                    "file": l.path, "subject": l.subject, "registered": false,
                    "error": message,
                }));
            }
            Err(e) => return Err(e.into()),
        }
    }
    if args.registry.json {
        println!("{}", json!({ "ok": all_ok, "schemas": results }));
    }
    Ok(all_ok)
}

/// The text of a registered Protobuf schema with its references resolved (recursively).
async fn proto_from_registry(
    client: &ConfluentRegistry,
    schema: &Schema,
) -> Result<ProtoSource, CliError> {
    let mut source = ProtoSource::new(schema.schema.clone());
    let mut stack: Vec<SchemaReference> = schema.references.clone();
    let mut seen = std::collections::HashSet::new();
    while let Some(r) = stack.pop() {
        if !seen.insert(r.name.clone()) {
            continue;
        }
        let dep = client
            .version(&r.subject, Version::Number(r.version), false)
            .await?;
        stack.extend(dep.schema.references.clone());
        source = source.with_dependency(r.name, dep.schema.schema);
    }
    Ok(source)
}

/// Runs `check-registry`: `Ok(true)` when every file is compatible with its subject.
pub fn check_registry(args: &CheckRegistryArgs) -> Result<bool, CliError> {
    let rt = runtime()?;
    let client = client(&args.registry)?;
    let locals = args
        .files
        .iter()
        .map(|p| local(p, &args.registry))
        .collect::<Result<Vec<_>, _>>()?;
    let fixed_level: Option<CompatibilityLevel> = match &args.level {
        Some(l) => Some(l.parse()?),
        None => None,
    };
    let total = locals.len();
    let mut all_ok = true;
    let mut results = Vec::new();
    for (i, l) in locals.iter().enumerate() {
        eprintln!("[{}/{total}] {} against {}", i + 1, l.path, l.subject);
        let (level, versions, report, messages) =
            rt.block_on(check_one(&client, l, fixed_level))?;
        all_ok &= report.compatible;
        if args.registry.json {
            let issues: Vec<Json> = report
                .issues
                .iter()
                .map(|i| {
                    json!({
                        "kind": i.kind.to_string(),
                        "path": i.path,
                        "message": i.message,
                        "direction": i.direction.to_string(),
                        "version": versions.get(i.previous),
                    })
                })
                .collect();
            results.push(json!({
                "file": l.path, "subject": l.subject, "level": level.as_str(),
                "versions": versions, "compatible": report.compatible, "issues": issues,
                "registry_messages": messages,
            }));
        } else if versions.is_empty() {
            println!("{}: {} is a new subject: compatible", l.path, l.subject);
        } else if report.compatible {
            println!(
                "{}: compatible with {} (level {}, versions {versions:?})",
                l.path,
                l.subject,
                level.as_str()
            );
        } else {
            println!(
                "{}: INCOMPATIBLE with {} (level {}, versions {versions:?})",
                l.path,
                l.subject,
                level.as_str()
            );
            for issue in &report.issues {
                let v = versions.get(issue.previous).copied().unwrap_or_default();
                println!("  version {v}: {issue}");
            }
            for message in &messages {
                println!("  registry: {message}");
            }
        }
    }
    if args.registry.json {
        println!("{}", json!({ "compatible": all_ok, "schemas": results }));
    }
    Ok(all_ok)
}

/// Checks one file: (level used, versions compared, report, the registry's own messages when
/// it decided).
async fn check_one(
    client: &ConfluentRegistry,
    l: &Local,
    fixed_level: Option<CompatibilityLevel>,
) -> Result<(CompatibilityLevel, Vec<i32>, CompatReport, Vec<String>), CliError> {
    let versions = match client.versions(&l.subject, false).await {
        Ok(v) => v,
        Err(RegistryError::SubjectNotFound { .. }) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    let level = match fixed_level {
        Some(level) => level,
        // A subject with no versions is compatible whatever its level; some registries answer
        // 40401 for the level of a subject they do not know yet.
        None if versions.is_empty() => match client.config(Some(&l.subject), true).await {
            Ok(level) => level.as_str().parse()?,
            Err(e) if e.is_not_found() => CompatibilityLevel::Backward,
            Err(e) => return Err(e.into()),
        },
        None => {
            let level = client.config(Some(&l.subject), true).await?;
            level.as_str().parse()?
        }
    };
    if versions.is_empty() {
        return Ok((
            level,
            versions,
            CompatReport::from_issues(Vec::new()),
            Vec::new(),
        ));
    }
    let mut previous = Vec::with_capacity(versions.len());
    for v in &versions {
        previous.push(
            client
                .version(&l.subject, Version::Number(*v), false)
                .await?,
        );
    }
    let report = match l.format {
        PayloadFormat::Avro => {
            let texts: Vec<&str> = previous.iter().map(|p| p.schema.schema.as_str()).collect();
            compat::avro::check(level, &l.text, &texts)?
        }
        PayloadFormat::Protobuf => {
            let new = match &l.proto {
                Some(p) => p.clone(),
                None => ProtoSource::new(l.text.clone()),
            };
            let mut old = Vec::with_capacity(previous.len());
            for p in &previous {
                old.push(proto_from_registry(client, &p.schema).await?);
            }
            protobuf::check(level, &new, &old)?
        }
        PayloadFormat::Json => {
            // The registry's own verdict (its JSON Schema rules and references), against every
            // version the level names.
            let schema = to_schema(client, l, false).await?;
            let answer = client
                .test_compatibility(&l.subject, None, &schema, true)
                .await;
            let (compatible, messages) = match answer {
                Ok(r) => (r.is_compatible, r.messages),
                // No "all versions" endpoint: ask version by version (the latest only, unless
                // the level is transitive).
                Err(RegistryError::NotSupportedByRegistry { .. }) => {
                    let mut compatible = true;
                    let mut messages = Vec::new();
                    for i in level.checked_indexes(versions.len()) {
                        let v = versions[i];
                        let r = client
                            .test_compatibility(&l.subject, Some(Version::Number(v)), &schema, true)
                            .await?;
                        compatible &= r.is_compatible;
                        messages
                            .extend(r.messages.into_iter().map(|m| format!("version {v}: {m}")));
                    }
                    (compatible, messages)
                }
                Err(e) => return Err(e.into()),
            };
            let report = CompatReport {
                compatible,
                issues: Vec::new(),
            };
            return Ok((level, versions, report, messages));
        }
    };
    Ok((level, versions, report, Vec::new()))
}
