//! A nested crate that includes generated model files, built and tested with the outer build's
//! target dir (so only it and `kafka-model` get compiled). Each caller names its crate: cargo
//! hashes a workspace member by its path *relative to its workspace*, so two nested workspaces
//! with a member of one name would share one build (and one stale test binary) in that dir. Used by
//! `tests/tests/generate_roundtrip.rs` and, through `#[path]`, `cli/tests/generate_registry.rs`.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

/// Writes the nested workspace in `dir`: the root manifest's shared settings (from the
/// workspace at `repo`), one member `name` whose sources go in `dir/<name>/src`.
pub fn write_workspace(repo: &Path, dir: &Path, name: &str) {
    let root = std::fs::read_to_string(repo.join("Cargo.toml")).expect("root manifest");
    let members = root
        .lines()
        .find(|l| l.starts_with("members = "))
        .expect("members line");
    let manifest = root
        .replace(members, &format!("members = [{name:?}]"))
        .replace(
            r#"{ path = "kafka-model" }"#,
            &format!("{{ path = {:?} }}", repo.join("kafka-model")),
        )
        .replace(
            r#"path = "kafka-model-derive""#,
            &format!("path = {:?}", repo.join("kafka-model-derive")),
        );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("manifest");
    for file in ["Cargo.lock", "rust-toolchain.toml"] {
        std::fs::copy(repo.join(file), dir.join(file)).expect("copy");
    }
    std::fs::create_dir_all(dir.join(name).join("src")).expect("mkdir");
    std::fs::write(
        dir.join(name).join("Cargo.toml"),
        r#"[package]
name = "NAME"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
kafka-model = { workspace = true, features = ["time", "indexmap"] }
serde.workspace = true
serde_json.workspace = true
chrono.workspace = true
uuid.workspace = true
rust_decimal.workspace = true
indexmap.workspace = true
"#
        .replace("NAME", name),
    )
    .expect("crate manifest");
}

/// `cargo test -p <name> --lib -- <extra>` in `dir`, building into `target`; the outer
/// cargo's variables are not the nested build's (see export_crates.rs).
pub fn cargo_test(dir: &Path, name: &str, target: &Path, extra: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO"));
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if (key.starts_with("CARGO_") && key != "CARGO_HOME") || key == "OUT_DIR" {
            cmd.env_remove(&*key);
        }
    }
    cmd.current_dir(dir)
        .args([
            "test",
            "--offline",
            "-p",
            name,
            "--lib",
            "--",
            "--test-threads=2",
        ])
        .args(extra)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .expect("run cargo")
}

/// What a nested `cargo test` printed (stdout then stderr), the tests that passed and those
/// that failed.
pub fn outcome(out: &Output) -> (String, BTreeSet<String>, Vec<String>) {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let passed = text
        .lines()
        .filter_map(|l| l.strip_prefix("test ")?.strip_suffix(" ... ok"))
        .map(str::to_string)
        .collect();
    let failed = text
        .lines()
        .filter(|l| l.starts_with("test ") && l.ends_with(" ... FAILED"))
        .map(str::to_string)
        .collect();
    (text, passed, failed)
}
