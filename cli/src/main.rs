//! `kafka-model`: schema tooling for scripts and CI.
//!
//! * `kafka-model compat --format avro|protobuf --level LEVEL --new FILE --previous FILE...`
//!   checks a schema against the subject's earlier versions (oldest first) at one of
//!   Confluent's levels. Exit status: 0 compatible, 1 incompatible (the reasons on stdout),
//!   2 usage or parse error.
//! * `kafka-model diff DIR_A DIR_B` compares two schema directories written by
//!   `kafka_model::export::Exporter` (or any `.avsc` / `.proto` tree). Exit status: 0 same,
//!   1 different, 2 error.
//!
//! `--json` prints a machine-readable result instead of text.

mod compat_cmd;
mod diff_cmd;
mod proto_files;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Schema tooling for Kafka models: compatibility checks and schema diffs.
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
}

/// Schema format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    /// Avro schema JSON (.avsc).
    Avro,
    /// Protobuf source (.proto).
    Protobuf,
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Compat(args) => compat_cmd::run(&args),
        Command::Diff(args) => diff_cmd::run(&args),
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
