//! `kafka-model`: schema tooling for scripts and CI.
//!
//! * `kafka-model compat --format avro|protobuf|json --level LEVEL --new FILE --previous FILE...`
//!   checks a schema against the subject's earlier versions (oldest first) at one of
//!   Confluent's levels. Exit status: 0 compatible, 1 incompatible (the reasons on stdout),
//!   2 usage or parse error.
//! * `kafka-model diff DIR_A DIR_B` compares two schema directories written by
//!   `kafka_model::export::Exporter` (its `proto/` root included) or any `.avsc` / `.proto`
//!   tree. Exit status: 0 same,
//!   1 different, 2 error.
//!
//! * `kafka-model decode --schema FILE [--message NAME] [--wire raw|confluent|apicurio-headers]
//!   [--headers FILE.json] PAYLOAD_FILE` prints the payload's value as JSON (the interop
//!   vectors' value convention); `kafka-model encode` is the inverse (value JSON on stdin,
//!   payload to `--out FILE`). Exit status: 0 done, 2 error.
//! * `kafka-model register --registry URL [--subject-strategy topic|record|topic-record]
//!   [--topic T] SCHEMA_FILE...` registers schemas (exit 1 when the registry refuses one as
//!   incompatible); `kafka-model check-registry` checks them against the subjects' registered
//!   versions at each subject's level without registering (exit 1 when one is incompatible).
//!
//! * `kafka-model serve-registry [--addr 127.0.0.1:8081] [--data FILE]` serves the embedded
//!   Confluent-API registry for local development (in memory, or kept in FILE: every write is on
//!   disk before it is answered), printing `listening on http://ADDR`; Ctrl-C or SIGTERM stops it
//!   cleanly (exit 0).
//!
//! * `kafka-model generate FILE.avsc... [--out DIR|-]` writes Rust models
//!   (`#[derive(Record, Serialize, Deserialize)]`) for Avro schemas (or `.proto` files): to
//!   stdout, or to `DIR/kafka_model_avro.rs` (`kafka_model_proto.rs`). Exit status: 0
//!   written, 2 error (an invalid schema, or a construct the derive cannot express yet, named).
//!
//! `--json` prints a machine-readable result instead of text.

mod codec_cmd;
mod compat_cmd;
mod diff_cmd;
mod generate_cmd;
mod proto_files;
mod registry_cmd;
mod serve_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Schema tooling for Kafka models: compatibility checks, schema diffs, payload decoding and
/// encoding, and schema registry checks.
#[derive(Debug, Parser)]
#[command(name = "kafka-model", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a schema against earlier versions at a compatibility level.
    ///
    /// Exit status: 0 compatible, 1 incompatible (reasons on stdout), 2 usage or parse error.
    Compat(CompatArgs),
    /// Compare two schema directories (e.g. committed schemas and freshly exported ones).
    ///
    /// Lists added, removed and changed files; for a changed `.avsc` or `.proto` file, also the
    /// breaking changes (BACKWARD and FORWARD, DIR_A as the previous version). Exit status:
    /// 0 identical, 1 different, 2 error.
    Diff(DiffArgs),
    /// Decode a payload file to its value as JSON (schema-driven: no Rust type needed).
    ///
    /// Avro values follow the interop value convention (unions as `{branch: value}` unless
    /// `[null, T]`, bytes as base64, logical types as strings); Protobuf messages use `.proto`
    /// field names, 64-bit integers unquoted. Exit status: 0 decoded, 2 error.
    Decode(DecodeArgs),
    /// Encode a value (JSON on stdin) into a payload file: the inverse of `decode`.
    ///
    /// Exit status: 0 written, 2 error.
    Encode(EncodeArgs),
    /// Register schema files under their subjects in a Confluent-API registry.
    ///
    /// Protobuf imports found beside the file (or under -I) are registered first, each under
    /// its import path, and referenced. Exit status: 0 all registered, 1 one was refused as
    /// incompatible, 2 error.
    Register(RegisterArgs),
    /// Check schema files against their subjects' registered versions, at each subject's
    /// compatibility level (or --level), without registering.
    ///
    /// Exit status: 0 all compatible (or new subjects), 1 one is incompatible (reasons on
    /// stdout), 2 error.
    CheckRegistry(CheckRegistryArgs),
    /// Serve the embedded Confluent-API schema registry, for local development.
    ///
    /// In memory, or with --data FILE kept in FILE (and FILE.journal) and reloaded on start:
    /// every write is on disk before it is answered, so a crash loses nothing acknowledged.
    /// Prints `listening on http://ADDR` (the bound address: --addr 127.0.0.1:0 picks a free
    /// port). Ctrl-C or SIGTERM stops it cleanly. Exit status: 0 stopped, 2 error.
    ServeRegistry(ServeRegistryArgs),
    /// Generate Rust models from Avro schema files, .proto files or JSON Schema (.json) files.
    ///
    /// One module per namespace, `#[derive(Record, Serialize, Deserialize)]` types whose
    /// rendered schemas are the inputs (the file's `check_avro_schemas()`,
    /// `check_proto_schemas()` or `check_json_schemas()` and its `#[test]` prove it once
    /// compiled). Exit status: 0
    /// written, 2 error (an invalid schema, or a construct the derive cannot express yet,
    /// named).
    Generate(GenerateArgs),
}

#[derive(Debug, clap::Args)]
struct GenerateArgs {
    /// Avro schema files (.avsc; named types may be referenced across them), .proto files
    /// (compiled together; imports among them by file name), or JSON Schema files (.json).
    #[arg(required_unless_present = "registry", conflicts_with = "registry")]
    files: Vec<PathBuf>,
    /// Read the schema from this registry (Confluent REST API) instead of files: the subject's
    /// schema and, recursively, every schema its references name.
    #[arg(long, value_name = "URL", requires = "subject")]
    registry: Option<String>,
    /// The subject to read (with --registry).
    #[arg(long, value_name = "S", requires = "registry")]
    subject: Option<String>,
    /// The subject's version (with --registry): a number or `latest`.
    #[arg(
        long,
        value_name = "N|latest",
        default_value = "latest",
        requires = "registry"
    )]
    version: String,
    /// Maps (Avro and Protobuf) as `indexmap::IndexMap` (payload order kept) instead of
    /// `BTreeMap`.
    #[arg(long)]
    ordered_maps: bool,
    /// Output directory (the file is `kafka_model_avro.rs`, or `kafka_model_proto.rs` for
    /// .proto inputs), or `-` for stdout (the default).
    #[arg(long, value_name = "DIR|-")]
    out: Option<String>,
    /// Use a Rust type (path from the crate root) for a named Avro type: FULL_NAME=RUST_PATH.
    #[arg(long, value_name = "FULL_NAME=RUST_PATH")]
    map_type: Vec<String>,
    /// Use a Rust type for one field: RECORD_FULL_NAME.FIELD=RUST_PATH.
    #[arg(long, value_name = "RECORD.FIELD=RUST_PATH")]
    map_field: Vec<String>,
}

/// Payload format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PayloadFormat {
    /// Avro binary (schema: .avsc).
    Avro,
    /// Protobuf (schema: .proto).
    Protobuf,
    /// JSON (schema, if any: a JSON Schema .json, not enforced).
    Json,
}

/// Wire framing of a payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum WireArg {
    /// The bare datum or message.
    Raw,
    /// Confluent: magic 0x00, 4-byte schema id (and Protobuf message indexes), then the body.
    Confluent,
    /// Apicurio KAFKA_HEADERS: the bare body; the id in an `apicurio.*Id` header.
    ApicurioHeaders,
}

/// Options shared by `decode` and `encode`.
#[derive(Debug, clap::Args)]
struct CodecArgs {
    /// The schema file (.avsc, .proto, or a JSON Schema .json); the format follows the extension.
    #[arg(long, value_name = "FILE")]
    schema: Option<PathBuf>,
    /// The payload format, when the schema's extension does not tell (or there is no schema).
    #[arg(long, value_enum)]
    format: Option<PayloadFormat>,
    /// Protobuf: the message's full name (default: from the message indexes on decode, else
    /// the file's first message).
    #[arg(long, value_name = "FULL.NAME")]
    message: Option<String>,
    /// Wire framing.
    #[arg(long, value_enum, default_value = "confluent")]
    wire: WireArg,
    /// The payload is a record key (Apicurio header names `apicurio.key.*`).
    #[arg(long)]
    key: bool,
    /// Protobuf import roots (the schema's directory is always searched last).
    #[arg(long = "proto-path", short = 'I', value_name = "DIR")]
    proto_path: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct DecodeArgs {
    #[command(flatten)]
    codec: CodecArgs,
    /// Avro: read with this reader schema (resolving from the writer schema --schema).
    #[arg(long, value_name = "FILE")]
    reader_schema: Option<PathBuf>,
    /// Kafka headers as JSON: {"header name": "hex of the value bytes"}.
    #[arg(long, value_name = "FILE.json")]
    headers: Option<PathBuf>,
    /// Print {"wire", the id, "message_type", "message_indexes", "value"} instead of the value.
    #[arg(long)]
    json: bool,
    /// Indent the JSON output.
    #[arg(long)]
    pretty: bool,
    /// The payload bytes, exactly as on the wire.
    payload: PathBuf,
}

#[derive(Debug, clap::Args)]
struct EncodeArgs {
    #[command(flatten)]
    codec: CodecArgs,
    /// Confluent wire: the schema id.
    #[arg(long, value_name = "N")]
    schema_id: Option<u32>,
    /// Apicurio headers: the globalId.
    #[arg(long, value_name = "N")]
    global_id: Option<i64>,
    /// Apicurio headers: the contentId.
    #[arg(long, value_name = "N")]
    content_id: Option<i64>,
    /// Read the value from this file instead of stdin.
    #[arg(long, value_name = "FILE")]
    input: Option<PathBuf>,
    /// Where to write the payload bytes.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Where to write the Kafka headers (Apicurio), as {"name": "hex"}.
    #[arg(long, value_name = "FILE.json")]
    headers_out: Option<PathBuf>,
    /// Print {"out", "bytes", "wire", the id, "message_indexes", "headers", "payload_hex"} on
    /// stdout.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct ServeRegistryArgs {
    /// The address to listen on (port 0: any free port).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8081")]
    addr: std::net::SocketAddr,
    /// Keep the registry in this file (created when missing) instead of only in memory.
    #[arg(long, value_name = "FILE")]
    data: Option<PathBuf>,
    /// Compact the journal into FILE after this many writes (0: only on start and stop).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    compact_every: usize,
    /// Print {"url", "addr", "data"} as one JSON line instead of `listening on URL`.
    #[arg(long)]
    json: bool,
}

/// Subject-name strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum StrategyArg {
    /// `<topic>-value` / `<topic>-key`.
    Topic,
    /// The record's full name (Protobuf: the file's first message).
    Record,
    /// `<topic>-<record full name>`.
    TopicRecord,
}

impl StrategyArg {
    fn as_str(self) -> &'static str {
        match self {
            StrategyArg::Topic => "topic",
            StrategyArg::Record => "record",
            StrategyArg::TopicRecord => "topic-record",
        }
    }
}

/// Options shared by the registry commands.
#[derive(Debug, clap::Args)]
struct RegistryArgs {
    /// The registry's base URL (Confluent REST API), e.g. http://localhost:8081.
    #[arg(long, value_name = "URL")]
    registry: String,
    /// How to name each file's subject.
    #[arg(long, value_enum, default_value = "topic")]
    subject_strategy: StrategyArg,
    /// The topic, for the topic and topic-record strategies.
    #[arg(long, value_name = "T")]
    topic: Option<String>,
    /// The schemas are record keys (`<topic>-key`).
    #[arg(long)]
    key: bool,
    /// Use this subject for every file, whatever the strategy.
    #[arg(long, value_name = "S")]
    subject: Option<String>,
    /// Protobuf import roots (default: each file's directory and its parents).
    #[arg(long = "proto-path", short = 'I', value_name = "DIR")]
    proto_path: Vec<PathBuf>,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct RegisterArgs {
    #[command(flatten)]
    registry: RegistryArgs,
    /// Ask the registry to normalize the schemas.
    #[arg(long)]
    normalize: bool,
    /// Schema files (.avsc, .proto, .json).
    #[arg(required = true, value_name = "SCHEMA_FILE")]
    files: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct CheckRegistryArgs {
    #[command(flatten)]
    registry: RegistryArgs,
    /// Check at this level instead of each subject's configured one.
    #[arg(long)]
    level: Option<String>,
    /// Schema files (.avsc, .proto, .json).
    #[arg(required = true, value_name = "SCHEMA_FILE")]
    files: Vec<PathBuf>,
}

/// Schema format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    /// Avro schema JSON (.avsc).
    Avro,
    /// Protobuf source (.proto).
    Protobuf,
    /// JSON Schema (.json), Confluent's JSON Schema rules.
    Json,
}

#[derive(Debug, clap::Args)]
struct CompatArgs {
    /// Schema format.
    #[arg(long, value_enum)]
    format: FormatArg,
    /// Compatibility level: NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE,
    /// FULL or FULL_TRANSITIVE (case-insensitive).
    #[arg(long)]
    level: String,
    /// The schema about to be registered.
    #[arg(long, value_name = "FILE")]
    new: PathBuf,
    /// Earlier schemas of the subject, oldest first (repeat the flag, or list several files).
    #[arg(long, value_name = "FILE", num_args = 1.., required = true)]
    previous: Vec<PathBuf>,
    /// Protobuf import roots (default: each file's directory and its parents, nearest first).
    #[arg(long = "proto-path", short = 'I', value_name = "DIR")]
    proto_path: Vec<PathBuf>,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct DiffArgs {
    /// The earlier directory.
    dir_a: PathBuf,
    /// The later directory.
    dir_b: PathBuf,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

/// Why a command could not run (exit status 2).
#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("{}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Compat(#[from] kafka_model::compat::CompatError),
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Data(String),
    #[error("registry: {0}")]
    Registry(#[from] kafka_model::registry::RegistryError),
    #[error("registry data: {0}")]
    Persist(#[from] kafka_model::registry::PersistError),
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Compat(args) => compat_cmd::run(&args),
        Command::Diff(args) => diff_cmd::run(&args),
        Command::Decode(args) => codec_cmd::decode(&args),
        Command::Encode(args) => codec_cmd::encode(&args),
        Command::Register(args) => registry_cmd::register(&args),
        Command::CheckRegistry(args) => registry_cmd::check_registry(&args),
        Command::ServeRegistry(args) => serve_cmd::run(&args),
        Command::Generate(args) => generate_cmd::run(&args),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn read(path: &std::path::Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|source| CliError::Read {
        path: path.to_path_buf(),
        source,
    })
}
