//! Runs `kafka-model serve-registry`: the URL on stdout, registrations through the Confluent
//! client, a clean stop on SIGINT and SIGTERM, and data that survives both a restart and a
//! `kill -9` after the registration was answered.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use kafka_model::registry::{ConfluentRegistry, Schema, SchemaRegistry, Version};

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// A running `serve-registry`; killed (SIGKILL) if the test ends without stopping it.
struct Server {
    child: Child,
    url: String,
    _stdout: BufReader<ChildStdout>,
}

impl Server {
    fn start(data: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kafka-model"))
            .arg("serve-registry")
            .args(["--addr", "127.0.0.1:0", "--data"])
            .arg(data)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn kafka-model");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("read stdout");
        let url = match line.trim().strip_prefix("listening on ") {
            Some(url) => url.to_string(),
            None => {
                let _ = child.kill();
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    let _ = e.read_to_string(&mut err);
                }
                panic!("unexpected first line {line:?}; stderr: {err}");
            }
        };
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        assert!(
            !url.ends_with(":0"),
            "the bound port, not the asked one: {url}"
        );
        Server {
            child,
            url,
            _stdout: stdout,
        }
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([format!("-{name}"), self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{name}");
    }

    fn wait(&mut self) -> ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not stop");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn stderr(&mut self) -> String {
        let mut err = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        err
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn record(name: &str, fields: &[&str]) -> Schema {
    let fields: Vec<String> = fields
        .iter()
        .map(|f| format!(r#"{{"name":"{f}","type":"string","default":""}}"#))
        .collect();
    Schema::avro(format!(
        r#"{{"type":"record","name":"{name}","fields":[{}]}}"#,
        fields.join(",")
    ))
}

#[test]
fn sigint_stops_cleanly_and_a_restart_finds_the_schemas() {
    let dir = scratch("serve-sigint");
    let data = dir.join("registry.json");
    let rt = runtime();

    let mut server = Server::start(&data, &[]);
    let client = ConfluentRegistry::new(server.url.clone()).expect("client");
    let (v1, v2) = rt.block_on(async {
        let v1 = client
            .register("orders-value", &record("Order", &["id"]), false)
            .await
            .expect("register v1");
        let v2 = client
            .register("orders-value", &record("Order", &["id", "note"]), false)
            .await
            .expect("register v2");
        client
            .set_config(
                Some("orders-value"),
                kafka_model::registry::CompatibilityLevel::Full,
            )
            .await
            .expect("set config");
        (v1, v2)
    });
    server.signal("INT");
    let status = server.wait();
    let err = server.stderr();
    assert_eq!(status.code(), Some(0), "{status:?}; stderr: {err}");
    assert!(err.contains("stopped"), "{err}");
    drop(server);

    let server = Server::start(&data, &[]);
    let client = ConfluentRegistry::new(server.url.clone()).expect("client");
    rt.block_on(async {
        let latest = client.latest("orders-value").await.expect("latest");
        assert_eq!((latest.id, latest.version), (v2.id, 2));
        let first = client
            .version("orders-value", Version::Number(1), false)
            .await
            .expect("version 1");
        assert_eq!(first.id, v1.id);
        assert_eq!(first.schema, record("Order", &["id"]));
        let level = client
            .config(Some("orders-value"), false)
            .await
            .expect("config");
        assert_eq!(level, kafka_model::registry::CompatibilityLevel::Full);
        // Ids go on from where they were.
        let other = client
            .register("other-value", &record("Other", &["x"]), false)
            .await
            .expect("register other");
        assert!(other.id > v2.id, "{} after {}", other.id, v2.id);
    });
}

#[test]
fn an_acknowledged_registration_survives_kill_9() {
    let dir = scratch("serve-kill9");
    let data = dir.join("registry.json");
    let rt = runtime();

    let mut server = Server::start(&data, &[]);
    let client = ConfluentRegistry::new(server.url.clone()).expect("client");
    let regs = rt.block_on(async {
        let mut regs = Vec::new();
        for i in 0..5 {
            let subject = format!("s{i}-value");
            let reg = client
                .register(&subject, &record(&format!("R{i}"), &["a"]), false)
                .await
                .expect("register");
            regs.push((subject, reg));
        }
        client
            .delete_subject("s0-value", false)
            .await
            .expect("soft delete");
        regs
    });
    // SIGKILL: no shutdown, no snapshot; only the journal holds the registrations.
    server.child.kill().expect("kill -9");
    let status = server.wait();
    assert_eq!(status.code(), None, "killed by a signal: {status:?}");
    assert!(data.with_extension("json.journal").exists());
    drop(server);

    let mut server = Server::start(&data, &[]);
    let client = ConfluentRegistry::new(server.url.clone()).expect("client");
    rt.block_on(async {
        for (subject, reg) in &regs[1..] {
            let found = client.latest(subject).await.expect("latest after kill -9");
            assert_eq!(found.id, reg.id, "{subject}");
            assert_eq!(found.guid, reg.guid, "{subject}");
        }
        assert!(client.latest("s0-value").await.is_err(), "soft delete kept");
        let deleted = client
            .versions("s0-value", true)
            .await
            .expect("soft-deleted versions");
        assert_eq!(deleted, vec![1]);
        let next = client
            .register("new-value", &record("New", &["a"]), false)
            .await
            .expect("register after restart");
        let max = regs.iter().map(|(_, r)| r.id).max().unwrap_or(0);
        assert!(next.id > max, "{} after {max}", next.id);
    });
    server.signal("TERM");
    assert_eq!(server.wait().code(), Some(0), "SIGTERM stops cleanly");
}

#[test]
fn a_dropped_torn_journal_record_is_logged() {
    let dir = scratch("serve-torn-journal");
    let data = dir.join("registry.json");
    let rt = runtime();
    let mut server = Server::start(&data, &[]);
    let client = ConfluentRegistry::new(server.url.clone()).expect("client");
    rt.block_on(client.register("a-value", &record("A", &["a"]), false))
        .expect("register");
    server.child.kill().expect("kill -9");
    server.wait();
    drop(server);
    // A write cut short by the crash: half a record at the end of the journal.
    let journal = data.with_extension("json.journal");
    let mut text = std::fs::read_to_string(&journal).expect("journal");
    text.push_str("{\"seq\":99,\"op\":{\"Regis");
    std::fs::write(&journal, text).expect("tear the journal");

    let mut server = Server::start(&data, &[]);
    let client = ConfluentRegistry::new(server.url.clone()).expect("client");
    rt.block_on(client.latest("a-value"))
        .expect("the whole records survive");
    server.signal("TERM");
    assert_eq!(server.wait().code(), Some(0));
    let stderr = server.stderr();
    assert!(
        stderr.contains("WARN") && stderr.contains("torn last journal line"),
        "the warning reaches stderr: {stderr}"
    );
}

#[test]
fn json_announcement_and_a_locked_data_file() {
    let dir = scratch("serve-json");
    let data = dir.join("registry.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kafka-model"))
        .args([
            "serve-registry",
            "--addr",
            "127.0.0.1:0",
            "--json",
            "--data",
        ])
        .arg(&data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("read");
    let announced: serde_json::Value = serde_json::from_str(&line).expect("one JSON line");
    let url = announced["url"].as_str().unwrap_or_default().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    assert_eq!(
        announced["data"],
        serde_json::json!(data.display().to_string())
    );

    // A second server on the same data is refused (exit 2) rather than corrupting it.
    let second = Command::new(env!("CARGO_BIN_EXE_kafka-model"))
        .args(["serve-registry", "--addr", "127.0.0.1:0", "--data"])
        .arg(&data)
        .output()
        .expect("run second");
    assert_eq!(second.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&second.stderr).contains("in use"),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    let _ = child.kill();
    let _ = child.wait();
}
