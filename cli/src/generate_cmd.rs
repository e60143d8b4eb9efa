//! `kafka-model generate`: argument handling only; the work is `kafka_model::generate`.

use std::io::Write as _;

use kafka_model::generate::{registry_inputs, Generator, RegistryInputs};
use kafka_model::registry::{ConfluentRegistry, Version};

use crate::{CliError, GenerateArgs};

pub fn run(args: &GenerateArgs) -> Result<bool, CliError> {
    let mut generator = Generator::new();
    for mapping in &args.map_type {
        let (name, path) = mapping.split_once('=').ok_or_else(|| {
            CliError::Usage(format!(
                "--map-type {mapping}: expected FULL_NAME=RUST_PATH"
            ))
        })?;
        generator = generator.map_type(name, path);
    }
    for mapping in &args.map_field {
        let (field, path) = mapping.split_once('=').ok_or_else(|| {
            CliError::Usage(format!(
                "--map-field {mapping}: expected RECORD.FIELD=RUST_PATH"
            ))
        })?;
        generator = generator.map_field(field, path);
    }
    if args.ordered_maps {
        generator = generator.ordered_maps();
    }
    // `.proto` inputs are Protobuf (all of them: they are compiled together), `.json` JSON
    // Schema, others Avro: all inputs of one kind.
    let has_ext = |f: &std::path::Path, ext: &str| f.extension().is_some_and(|e| e == ext);
    let proto = args.files.iter().any(|f| has_ext(f.as_ref(), "proto"));
    let json = args.files.iter().any(|f| has_ext(f.as_ref(), "json"));
    let all = |ext: &str| args.files.iter().all(|f| has_ext(f.as_ref(), ext));
    if (proto && !all("proto")) || (json && !all("json")) {
        return Err(CliError::Usage(
            "generate: give inputs of one kind: .proto files, .json JSON Schemas or Avro schemas"
                .into(),
        ));
    }
    let mut output_file = if proto {
        Generator::PROTO_OUTPUT_FILE
    } else if json {
        Generator::JSON_OUTPUT_FILE
    } else {
        Generator::OUTPUT_FILE
    };
    let generated = match (&args.registry, &args.subject) {
        (Some(url), Some(subject)) => {
            let fetched = fetch(url, subject, &args.version)?;
            eprintln!(
                "{subject} version {} (schema id {}), with {} referenced schema(s)",
                fetched.version,
                fetched.id,
                fetched.inputs.len() - 1
            );
            output_file = fetched.output_file();
            generator.generate_registry(&fetched)
        }
        _ if proto => generator.generate_proto_files(&args.files),
        _ if json => generator.generate_json_files(&args.files),
        _ => generator.generate_files(&args.files),
    }
    .map_err(|e| CliError::Data(e.to_string()))?;
    match args.out.as_deref() {
        None | Some("-") => std::io::stdout()
            .write_all(generated.source.as_bytes())
            .map_err(|source| CliError::Io {
                context: "stdout".into(),
                source,
            })?,
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|source| CliError::Io {
                context: dir.to_string(),
                source,
            })?;
            let path = std::path::Path::new(dir).join(output_file);
            std::fs::write(&path, &generated.source).map_err(|source| CliError::Io {
                context: path.display().to_string(),
                source,
            })?;
            for root in &generated.roots {
                eprintln!("{}: {}", root.input, root.rust_path);
            }
        }
    }
    Ok(true)
}

/// The subject version and the schemas its references reach, through the library's client.
fn fetch(url: &str, subject: &str, version: &str) -> Result<RegistryInputs, CliError> {
    let version: Version = version
        .parse()
        .map_err(|_| CliError::Usage(format!("--version {version}: a number or `latest`")))?;
    let client = ConfluentRegistry::new(url.to_string())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Usage(format!("cannot start a runtime: {e}")))?;
    Ok(runtime.block_on(registry_inputs(&client, subject, version))?)
}
