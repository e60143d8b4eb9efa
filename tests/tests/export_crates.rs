//! The README's export setup, in real crates: `examples/export-demo` (a models library with
//! `tests/schemas.rs`) and `examples/export-app` (a binary with its gate in `main.rs` and a
//! `build.rs` exporting the library's schemas). Both are workspace members, so their gates run
//! in `cargo test --workspace` against the committed `schemas/`; here copies of them are
//! edited and tested with a nested `cargo test`, to show each gate failing on
//! (a) a changed model (drift, with the diff and the refresh command — which then works),
//! (b) a change that breaks BACKWARD compatibility, and
//! (c) no type found (the `export` marks removed), also in refresh mode.
//!
//! The copies build into the workspace's target directory, so registry dependencies are not
//! rebuilt; `kafka-model` itself is built once more (another workspace, other features).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

/// One scratch workspace holding copies of both crates; one nested cargo at a time.
static WORKSPACE: OnceLock<PathBuf> = OnceLock::new();
static LOCK: Mutex<()> = Mutex::new(());

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target/tmp has a parent")
        .to_path_buf()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            copy_dir(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).expect("copy");
        }
    }
}

/// The scratch workspace: the root manifest's shared settings, `kafka-model` by absolute path.
fn workspace() -> &'static Path {
    WORKSPACE.get_or_init(|| {
        let repo = repo();
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("export-crates");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("mkdir");
        let root = std::fs::read_to_string(repo.join("Cargo.toml")).expect("root manifest");
        let members = root
            .lines()
            .find(|l| l.starts_with("members = "))
            .expect("members line");
        let manifest = root
            .replace(members, r#"members = ["export-demo", "export-app"]"#)
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
        dir
    })
}

/// Replaces the copy of `krate` with a fresh one from `examples/`, edited by `edit`
/// (path inside the crate, text to find, replacement).
fn reset(krate: &str, edits: &[(&str, &str, &str)]) {
    let dst = workspace().join(krate);
    let _ = std::fs::remove_dir_all(&dst);
    copy_dir(&repo().join("examples").join(krate), &dst);
    for (file, from, to) in edits {
        let path = dst.join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{file} has no {from:?}");
        std::fs::write(&path, text.replace(from, to)).expect("write");
    }
}

/// Runs the crate's gate in the scratch workspace: (passed, output).
fn gate(args: &[&str], update: bool) -> (bool, String) {
    let mut cmd = Command::new(env!("CARGO"));
    // What the outer `cargo test` set for this test is not the nested build's: left in, some
    // build scripts (ring's) see other values and rebuild, and then the outer build does too.
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if (key.starts_with("CARGO_") && key != "CARGO_HOME") || key == "OUT_DIR" {
            cmd.env_remove(&*key);
        }
    }
    cmd.current_dir(workspace())
        .args(["test", "--offline", "--quiet"])
        .args(args)
        .env("CARGO_TARGET_DIR", target_dir())
        .env_remove("KAFKA_MODEL_UPDATE_SCHEMAS");
    if update {
        cmd.env("KAFKA_MODEL_UPDATE_SCHEMAS", "1");
    }
    let out = cmd.output().expect("run cargo");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn expect_failure(what: &str, args: &[&str], update: bool, needles: &[&str]) {
    let (passed, out) = gate(args, update);
    assert!(!passed, "{what}: the gate passed:\n{out}");
    for needle in needles {
        assert!(out.contains(needle), "{what}: no {needle:?} in:\n{out}");
    }
}

fn expect_success(what: &str, args: &[&str], update: bool) {
    let (passed, out) = gate(args, update);
    assert!(passed, "{what}: the gate failed:\n{out}");
}

/// One edit of a crate's copy: (file inside the crate, text to find, replacement).
type Edit<'a> = (&'a str, &'a str, &'a str);

/// Every scenario for one crate: `changed` adds a field with a default to an exported record
/// (named `channel`), `broken` changes a field's type; `marks` is the file with the
/// `#[record(..., export)]` marks.
fn scenarios(
    args: &[&str],
    krate: &str,
    changed: &[Edit],
    broken: &[Edit],
    marks: &str,
    refresh: &str,
) {
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    // Both crates pristine first: the workspace needs both, and the binary's build script
    // exports the library's types.
    reset("export-demo", &[]);
    reset("export-app", &[]);

    // (a) A compatible change to a model: the drift check fails with the diff and the
    // refresh command; refreshing makes it pass, and the refreshed files are then the truth.
    reset(krate, changed);
    expect_failure(
        "changed model",
        args,
        false,
        &[
            "differ from the code",
            "\"name\": \"channel\"",
            "string channel = ",
            refresh,
        ],
    );
    expect_success("refresh", args, true);
    expect_success("after refresh", args, false);

    // (b) A change breaking BACKWARD compatibility with the committed files.
    reset(krate, broken);
    expect_failure(
        "breaking change",
        args,
        false,
        &["break BACKWARD compatibility", "(Avro)", "(Protobuf)"],
    );

    // (c) No exported type: an error, not a pass — also when asked to refresh.
    reset(krate, &[(marks, ", export)]", ")]")]);
    expect_failure("no type", args, false, &["no model to export"]);
    expect_failure("no type, refresh", args, true, &["no model to export"]);
    reset(krate, &[]);
}

/// A field with a serde default, added after `after`.
const CHANNEL: &str =
    "\n    /// Added later, with a default.\n    #[serde(default)]\n    pub channel: String,";

#[test]
fn library_gate_fails_on_drift_on_a_breaking_change_and_on_no_type() {
    let amount = "    pub amount_cents: i64,";
    scenarios(
        &["-p", "export-demo", "--test", "schemas"],
        "export-demo",
        &[("src/lib.rs", amount, &format!("{amount}{CHANNEL}"))],
        &[("src/lib.rs", amount, "    pub amount_cents: String,")],
        "src/lib.rs",
        "KAFKA_MODEL_UPDATE_SCHEMAS=1 cargo test -p export-demo --test schemas",
    );
}

#[test]
fn binary_gate_fails_on_drift_on_a_breaking_change_and_on_no_type() {
    let (action, value) = ("    pub action: String,", "action: \"refunded\".into(),");
    scenarios(
        &[
            "-p",
            "export-app",
            "--bin",
            "export-app",
            "--",
            "committed_schemas",
        ],
        "export-app",
        &[
            ("src/main.rs", action, &format!("{action}{CHANNEL}")),
            (
                "src/main.rs",
                value,
                &format!("{value} channel: String::new(),"),
            ),
        ],
        &[
            ("src/main.rs", action, "    pub action: i64,"),
            ("src/main.rs", value, "action: 7,"),
        ],
        "src/main.rs",
        "KAFKA_MODEL_UPDATE_SCHEMAS=1 cargo test -p export-app --bin export-app",
    );
}
