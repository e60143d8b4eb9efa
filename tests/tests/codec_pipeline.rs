//! Codec pipelines: every combination of the built-in stages round-trips, the output of gzip and
//! zstd is readable by standard decoders, decompression is bounded, user codecs plug in by name.

use std::io::Read;
use std::sync::Arc;

use kafka_model::codec::{
    register_codec, registered_codecs, ByteCodec, Codec, DecodeLimits, Stages, BUILTIN_STAGES,
    FORMATS,
};
use kafka_model::{CodecError, Record};
use serde::{Deserialize, Serialize};

#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "com.acme.pipeline")]
struct Reading {
    sensor: String,
    values: Vec<f64>,
    note: Option<String>,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq)]
#[record(serializer = "json|zstd")]
struct Compressed {
    text: String,
}

fn sample() -> Reading {
    Reading {
        sensor: "t-1 ☕".repeat(20),
        values: vec![1.5, -0.0, 1e300],
        note: None,
    }
}

/// Every pipeline of up to three built-in stages after every value format that serde can
/// produce for this type (JSON formats; Avro/Protobuf formats are tested by their owners).
#[test]
fn every_combination_round_trips() {
    let json_formats: Vec<&str> = FORMATS
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| n.starts_with("json"))
        .collect();
    let mut combos: Vec<Vec<&str>> = vec![vec![]];
    for _ in 0..3 {
        let mut next = Vec::new();
        for c in &combos {
            for s in BUILTIN_STAGES {
                let mut c2 = c.clone();
                c2.push(*s);
                next.push(c2);
            }
        }
        combos.extend(next.into_iter().filter(|c| c.len() <= 3));
        combos.sort();
        combos.dedup();
    }
    let value = sample();
    let mut n = 0;
    for format in &json_formats {
        for stages in &combos {
            let mut name = format.to_string();
            for s in stages {
                name.push('|');
                name.push_str(s);
            }
            let bytes = value
                .dumps_with(&name)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(Reading::loads_with(&name, &bytes).unwrap(), value, "{name}");
            n += 1;
        }
    }
    assert!(n >= 2 * (1 + 4 + 16 + 64), "{n} combinations");
}

#[test]
fn stages_compose_in_order() {
    let json = serde_json::to_vec(&sample()).unwrap();
    let gz_b64 = sample().dumps_with("json|gzip|binary").unwrap();
    assert!(gz_b64.starts_with(b"H4sI"));
    let gz = base64_decode(&gz_b64);
    assert_eq!(gunzip(&gz), json);
    let b64_gz = sample().dumps_with("json | binary | gzip").unwrap();
    assert_eq!(base64_decode(&gunzip(&b64_gz)), json);
    assert_eq!(sample().dumps_with("json|raw").unwrap(), json);
}

fn base64_decode(b: &[u8]) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(b).unwrap()
}

fn gunzip(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(b)
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// The output is what the standard tools read (the `gzip` and `zstd` programs when present; the
/// reference decoders of the flate2 and zstd crates always).
#[test]
fn compressed_output_is_standard() {
    let json = serde_json::to_vec(&sample()).unwrap();
    let gz = sample().dumps_with("json|gzip").unwrap();
    assert_eq!(&gz[..2], [0x1f, 0x8b]);
    assert_eq!(gunzip(&gz), json);
    let zs = sample().dumps_with("json|zstd").unwrap();
    assert_eq!(&zs[..4], [0x28, 0xb5, 0x2f, 0xfd]);
    assert_eq!(zstd::stream::decode_all(zs.as_slice()).unwrap(), json);
    for (tool, data) in [("gzip", &gz), ("zstd", &zs)] {
        if let Some(out) = run_tool(tool, data) {
            assert_eq!(out, json, "{tool} -dc");
        } else {
            eprintln!("{tool} not installed: skipped the command-line check");
        }
    }
    // And we read what the tools write.
    if let Some(tool_gz) = run_tool_args("gzip", &["-c"], &json) {
        assert_eq!(
            Reading::loads_with("json|gzip", &tool_gz).unwrap(),
            sample()
        );
    }
    if let Some(tool_zs) = run_tool_args("zstd", &["-c", "-q"], &json) {
        assert_eq!(
            Reading::loads_with("json|zstd", &tool_zs).unwrap(),
            sample()
        );
    }
    // Concatenated gzip members (what `cat a.gz b.gz` gives) are read whole.
    let mut two = Stages::parse("gzip")
        .unwrap()
        .encode(b"ab".to_vec())
        .unwrap();
    two.extend(
        Stages::parse("gzip")
            .unwrap()
            .encode(b"cd".to_vec())
            .unwrap(),
    );
    assert_eq!(
        &*Stages::parse("gzip").unwrap().decode(&two).unwrap(),
        b"abcd"
    );
}

fn run_tool(tool: &str, input: &[u8]) -> Option<Vec<u8>> {
    run_tool_args(tool, &["-dc"], input)
}

fn run_tool_args(tool: &str, args: &[&str], input: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(tool)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(input).ok()?;
    let out = child.wait_with_output().ok()?;
    out.status.success().then_some(out.stdout)
}

#[test]
fn decompression_is_bounded() {
    let bomb = Stages::parse("gzip")
        .unwrap()
        .encode(vec![0u8; 1 << 20])
        .unwrap();
    assert!(bomb.len() < 4096);
    let small = Stages::parse("gzip").unwrap().with_max_decompressed(1000);
    match small.decode(&bomb) {
        Err(CodecError::TooLarge { stage, limit: 1000 }) => assert_eq!(stage, "gzip"),
        other => panic!("{other:?}"),
    }
    let zbomb = Stages::parse("zstd")
        .unwrap()
        .encode(vec![0u8; 1 << 20])
        .unwrap();
    let small = Stages::parse("zstd")
        .unwrap()
        .with_max_decompressed(1 << 19);
    assert!(matches!(
        small.decode(&zbomb),
        Err(CodecError::TooLarge { .. })
    ));
    // Exactly at the limit is fine.
    let ok = Stages::parse("zstd")
        .unwrap()
        .with_max_decompressed(1 << 20);
    assert_eq!(ok.decode(&zbomb).unwrap().len(), 1 << 20);
    // Through a value codec.
    let codec = Codec::parse("json|gzip").unwrap().with_max_decompressed(10);
    let bytes = sample().dumps_with("json|gzip").unwrap();
    assert!(matches!(
        codec.decode::<Reading>(&bytes),
        Err(CodecError::TooLarge { limit: 10, .. })
    ));
    // Garbage is a typed stage error.
    assert!(matches!(
        Stages::parse("gzip").unwrap().decode(b"not gzip"),
        Err(CodecError::Stage { .. })
    ));
    assert!(matches!(
        Stages::parse("zstd").unwrap().decode(b"not zstd"),
        Err(CodecError::Stage { .. })
    ));
    assert!(matches!(
        Stages::parse("binary").unwrap().decode(b"!!"),
        Err(CodecError::Stage { .. })
    ));
}

#[test]
fn unknown_names_list_the_registered_codecs() {
    match Codec::parse("json|gzp") {
        Err(CodecError::UnknownCodec { name, known }) => {
            assert_eq!(name, "gzp");
            for n in ["json", "gzip", "zstd", "binary", "raw"] {
                assert!(known.iter().any(|k| k == n), "{known:?}");
            }
        }
        other => panic!("{other:?}"),
    }
    let e = Codec::parse("jsno").unwrap_err();
    assert!(e.to_string().contains("registered codecs: json"), "{e}");
    assert!(matches!(
        Codec::parse("gzip|json"),
        Err(CodecError::InvalidPipeline { .. })
    ));
    assert!(matches!(
        Codec::parse("json|json"),
        Err(CodecError::InvalidPipeline { .. })
    ));
    assert!(matches!(
        Codec::parse("json|"),
        Err(CodecError::UnknownCodec { .. })
    ));
}

/// Reverses the bytes.
struct Reverse;

impl ByteCodec for Reverse {
    fn encode(&self, mut bytes: Vec<u8>) -> Result<Vec<u8>, CodecError> {
        bytes.reverse();
        Ok(bytes)
    }
    fn decode(&self, bytes: &[u8], limits: &DecodeLimits) -> Result<Vec<u8>, CodecError> {
        assert!(limits.max_output > 0);
        Ok(bytes.iter().rev().copied().collect())
    }
}

#[test]
fn user_registered_codec() {
    assert!(Codec::parse("json|reverse-test").is_err());
    register_codec("reverse-test", Arc::new(Reverse)).unwrap();
    assert!(registered_codecs().iter().any(|n| n == "reverse-test"));
    let bytes = sample().dumps_with("json|reverse-test|gzip").unwrap();
    assert_eq!(
        Reading::loads_with("json|reverse-test|gzip", &bytes).unwrap(),
        sample()
    );
    let plain = sample().dumps_with("json").unwrap();
    let mut rev = plain.clone();
    rev.reverse();
    assert_eq!(sample().dumps_with("json|reverse-test").unwrap(), rev);
    // Built-in names cannot be taken; registration is thread-safe.
    assert!(register_codec("zstd", Arc::new(Reverse)).is_err());
    assert!(register_codec("json", Arc::new(Reverse)).is_err());
    let handles: Vec<_> = (0..8)
        .map(|i| {
            std::thread::spawn(move || {
                let name = format!("reverse-thread-{i}");
                register_codec(&name, Arc::new(Reverse)).unwrap();
                let codec = format!("json|{name}");
                let b = sample().dumps_with(&codec).unwrap();
                Reading::loads_with(&codec, &b).unwrap()
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), sample());
    }
}

#[test]
fn serializer_attribute_takes_a_pipeline() {
    assert_eq!(Compressed::model().serializer, "json|zstd");
    let v = Compressed {
        text: "x".repeat(1000),
    };
    let bytes = v.dumps().unwrap();
    assert!(bytes.len() < 100);
    assert_eq!(&bytes[..4], [0x28, 0xb5, 0x2f, 0xfd]);
    assert_eq!(Compressed::loads(&bytes).unwrap(), v);
}

#[test]
fn faust_metadata_on_dumps() {
    let bytes = sample().dumps_with("json+faust").unwrap();
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(
        v["__faust"],
        serde_json::json!({"ns": "com.acme.pipeline.Reading"})
    );
    // Plain json ignores the blob (no deny_unknown_fields), json+faust strips it.
    assert_eq!(Reading::loads_with("json", &bytes).unwrap(), sample());
    assert_eq!(
        Reading::loads_with(
            "json+faust|gzip",
            &sample().dumps_with("json+faust|gzip").unwrap()
        )
        .unwrap(),
        sample()
    );
}
