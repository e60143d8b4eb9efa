//! `kafka-model generate`: argument handling only; the work is `kafka_model::generate`.

use std::io::Write as _;

use kafka_model::generate::Generator;

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
    // `.proto` inputs are Protobuf (all of them: they are compiled together), others Avro.
    let is_proto = |f: &std::path::Path| f.extension().is_some_and(|e| e == "proto");
    let proto = args.files.iter().any(|f| is_proto(f.as_ref()));
    if proto && !args.files.iter().all(|f| is_proto(f.as_ref())) {
        return Err(CliError::Usage(
            "generate: give either .proto files or Avro schemas, not both".into(),
        ));
    }
    let generated = if proto {
        generator.generate_proto_files(&args.files)
    } else {
        generator.generate_files(&args.files)
    }
    .map_err(|e| CliError::Data(e.to_string()))?;
    let output_file = if proto {
        Generator::PROTO_OUTPUT_FILE
    } else {
        Generator::OUTPUT_FILE
    };
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
