//! `kafka-model compat`.

use kafka_model::compat::{self, json as json_schema, protobuf, CompatReport, CompatibilityLevel};
use serde_json::json;

use crate::{proto_files, read, CliError, CompatArgs, FormatArg};

/// Runs the check; `Ok(true)` when compatible.
pub fn run(args: &CompatArgs) -> Result<bool, CliError> {
    let level: CompatibilityLevel = args.level.parse()?;
    let report = match args.format {
        FormatArg::Avro | FormatArg::Json => {
            let new = read(&args.new)?;
            let previous = args
                .previous
                .iter()
                .map(|p| read(p))
                .collect::<Result<Vec<_>, _>>()?;
            let previous: Vec<&str> = previous.iter().map(String::as_str).collect();
            if matches!(args.format, FormatArg::Avro) {
                compat::avro::check(level, &new, &previous)?
            } else {
                json_schema::check(level, &new, &previous)?
            }
        }
        FormatArg::Protobuf => {
            let new = proto_files::load(&args.new, &args.proto_path)?;
            let previous = args
                .previous
                .iter()
                .map(|p| proto_files::load(p, &args.proto_path))
                .collect::<Result<Vec<_>, _>>()?;
            protobuf::check(level, &new, &previous)?
        }
    };
    if args.json {
        println!("{}", to_json(&report, level, args));
    } else {
        println!("{report}");
    }
    Ok(report.compatible)
}

fn to_json(
    report: &CompatReport,
    level: CompatibilityLevel,
    args: &CompatArgs,
) -> serde_json::Value {
    let issues: Vec<serde_json::Value> = report
        .issues
        .iter()
        .map(|i| {
            json!({
                "kind": i.kind.to_string(),
                "path": i.path,
                "message": i.message,
                "direction": i.direction.to_string(),
                "previous": args.previous.get(i.previous).map(|p| p.display().to_string()),
                "previous_index": i.previous,
            })
        })
        .collect();
    json!({
        "compatible": report.compatible,
        "level": level.as_str(),
        "new": args.new.display().to_string(),
        "issues": issues,
    })
}
