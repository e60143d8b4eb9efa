//! Codec pipelines: every combination of the built-in stages round-trips, the output of gzip and
//! zstd is readable by standard decoders, decompression is bounded, user codecs plug in by name.

mod common;

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

/// Every stage list of up to three built-in stages (repeats allowed), including none:
/// 1 + 4 + 16 + 64 = 85 lists.
fn stage_lists() -> Vec<Vec<&'static str>> {
    let mut lists: Vec<Vec<&'static str>> = vec![vec![]];
    let mut last = lists.clone();
    for _ in 0..3 {
        let next: Vec<Vec<&'static str>> = last
            .iter()
            .flat_map(|l| {
                BUILTIN_STAGES.iter().map(move |s| {
                    let mut l2 = l.clone();
                    l2.push(*s);
                    l2
                })
            })
            .collect();
        lists.extend(next.iter().cloned());
        last = next;
    }
    lists
}

/// Every built-in format followed by every stage list of [`stage_lists`].
fn every_pipeline() -> Vec<String> {
    let mut names = Vec::new();
    for (format, _) in FORMATS {
        for stages in stage_lists() {
            let mut name = format.to_string();
            for s in stages {
                name.push('|');
                name.push_str(s);
            }
            names.push(name);
        }
    }
    names
}

/// `value` round-trips through every pipeline, and each pipeline's output is its format's
/// output run through the stages (so the stages really ran).
fn round_trips_everywhere<T: Record + PartialEq + std::fmt::Debug>(value: &T) -> usize {
    let mut n = 0;
    for name in every_pipeline() {
        let bytes = value
            .dumps_with(&name)
            .unwrap_or_else(|e| panic!("{}: {name}: {e}", T::model().name));
        let back = T::loads_with(&name, &bytes)
            .unwrap_or_else(|e| panic!("{}: {name}: {e}", T::model().name));
        assert_eq!(&back, value, "{name}");
        let codec = Codec::parse(&name).unwrap();
        let plain = codec.encode_format(value).unwrap();
        assert_eq!(&*codec.stages().decode(&bytes).unwrap(), plain, "{name}");
        n += 1;
    }
    n
}

fn corpus_sample<T: Record>(name: &str) -> T {
    let case = common::corpus::cases()
        .into_iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no corpus case {name}"));
    T::loads(&(case.sample_json)()).unwrap()
}

/// Every built-in format (json, json+faust, avro, avro-single, protobuf) with every list of up
/// to three built-in stages (gzip, zstd, binary, raw), for corpus models and this file's model.
#[test]
fn every_combination_round_trips() {
    use common::corpus::*;
    assert_eq!(stage_lists().len(), 1 + 4 + 16 + 64);
    let per_value = FORMATS.len() * 85;
    let mut n = round_trips_everywhere(&sample());
    n += round_trips_everywhere(&order());
    n += round_trips_everywhere(&corpus_sample::<Ledger>("Ledger"));
    n += round_trips_everywhere(&corpus_sample::<Logical>("Logical"));
    // Avro has no unsigned long: u64 values above i64::MAX are an encode error there.
    let mut primitives = corpus_sample::<Primitives>("Primitives");
    primitives.ulong = i64::MAX as u64;
    n += round_trips_everywhere(&primitives);
    n += round_trips_everywhere(&corpus_sample::<TreeNode>("TreeNode"));
    assert_eq!(n, 6 * per_value);
    assert_eq!(per_value, 5 * 85, "a format was added: check it here");
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

/// The output is what the standard tools read: the `gzip` and `zstd` command-line programs
/// (required in CI, i.e. when `CI` is set; skipped with a note elsewhere), and always the
/// reference decoders of the flate2 and zstd crates. And we read what the programs write.
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
        if !installed(tool) {
            continue;
        }
        assert_eq!(run_tool(tool, &["-dc"], data), json, "{tool} -dc");
        // A binary format through a stage, then base64 on top: the tool reads the middle layer.
        let avro = sample().to_avro().unwrap();
        let layered = sample().dumps_with(&format!("avro|{tool}|binary")).unwrap();
        assert_eq!(run_tool(tool, &["-dc"], &base64_decode(&layered)), avro);
        // And we read what the tool writes.
        let theirs = run_tool(tool, &["-c", "-q"], &json);
        assert_eq!(
            Reading::loads_with(&format!("json|{tool}"), &theirs).unwrap(),
            sample(),
            "{tool} -c"
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

/// Whether a program is on `PATH`; in CI a missing one fails the test.
fn installed(tool: &str) -> bool {
    let found = std::process::Command::new(tool)
        .arg("--version")
        .output()
        .is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "`{tool}` is required in CI (Debian package `{tool}`)"
        );
        eprintln!("note: `{tool}` not installed: skipped the command-line check");
    }
    found
}

/// Runs `tool args` with `input` on stdin; panics unless it succeeds.
fn run_tool(tool: &str, args: &[&str], input: &[u8]) -> Vec<u8> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(tool)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {tool}: {e}"));
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success(), "{tool} {args:?} failed");
    out.stdout
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

/// Faust's polymorphic fields: a newtype-of-record variant is the bare record object carrying
/// its `__faust.ns`, for every serde tagging; serde's own form is still read.
#[test]
fn faust_polymorphic_fields() {
    use common::corpus::{CardPayment, Command, Envelope, Ledger, PaymentEvent};
    use serde_json::json;
    let card = CardPayment {
        last4: "4242".into(),
        amount_cents: 10,
    };
    let card_json = json!({"last4": "4242", "amount_cents": 10,
        "__faust": {"ns": "com.acme.payments.CardPayment"}});

    // Externally tagged, in a list, an option and at the top level.
    let ledger = Ledger {
        events: vec![PaymentEvent::Card(card.clone()), PaymentEvent::Refunded],
        last: Some(PaymentEvent::Card(card.clone())),
        envelope: Envelope::Card(card.clone()),
    };
    let faust = json!({
        "events": [card_json, "Refunded"],
        "last": card_json,
        "envelope": card_json,
        "__faust": {"ns": "com.acme.payments.Ledger"},
    });
    let bytes = serde_json::to_vec(&faust).unwrap();
    assert_eq!(Ledger::loads_with("json+faust", &bytes).unwrap(), ledger);
    let ours: serde_json::Value =
        serde_json::from_slice(&ledger.dumps_with("json+faust").unwrap()).unwrap();
    assert_eq!(ours, faust, "we write what Faust writes");
    assert_eq!(
        PaymentEvent::loads_with("json+faust", &serde_json::to_vec(&card_json).unwrap()).unwrap(),
        PaymentEvent::Card(card.clone())
    );
    // serde's tagged forms are read as well.
    let tagged = serde_json::to_vec(&ledger).unwrap();
    assert_eq!(Ledger::loads_with("json+faust", &tagged).unwrap(), ledger);

    // Internally tagged: the tag is restored, or kept when present.
    let capture = Command::Capture(card.clone());
    let bare = serde_json::to_vec(&card_json).unwrap();
    assert_eq!(Command::loads_with("json+faust", &bare).unwrap(), capture);
    let with_tag = serde_json::to_vec(&capture).unwrap();
    assert_eq!(
        Command::loads_with("json+faust", &with_tag).unwrap(),
        capture
    );
    let out: serde_json::Value =
        serde_json::from_slice(&capture.dumps_with("json+faust").unwrap()).unwrap();
    assert_eq!(out, card_json);
    // Struct variants keep serde's tagging (their ns is the variant's own record).
    let cancel = Command::Cancel {
        reason: "late".into(),
    };
    let out: serde_json::Value =
        serde_json::from_slice(&cancel.dumps_with("json+faust").unwrap()).unwrap();
    assert_eq!(out["type"], "Cancel");
    assert_eq!(
        Command::loads_with("json+faust", &serde_json::to_vec(&out).unwrap()).unwrap(),
        cancel
    );

    // Adjacently tagged: non-record newtypes keep the tagging.
    assert_eq!(
        Envelope::loads_with("json+faust", &bare).unwrap(),
        Envelope::Card(card.clone())
    );
    let number: serde_json::Value =
        serde_json::from_slice(&Envelope::Number(7).dumps_with("json+faust").unwrap()).unwrap();
    assert_eq!(number, json!({"kind": "Number", "data": 7}));

    // A ns naming no variant is left to serde, which rejects the value.
    let unknown = json!({"last4": "1", "amount_cents": 1, "__faust": {"ns": "other.Card"}});
    assert!(matches!(
        PaymentEvent::loads_with("json+faust", &serde_json::to_vec(&unknown).unwrap()),
        Err(CodecError::Json { .. })
    ));
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "com.acme.faust", aliases = ["shop.models.Cash"])]
struct Cash {
    cents: i64,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "com.acme.faust")]
enum Tender {
    Paid(Cash),
    Refund(Cash),
    Other(Reading),
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "com.acme.faust")]
enum Wallet {
    Cash(Cash),
    Reading(Reading),
}

/// A record carried by two variants cannot be told apart by its ns: those variants keep
/// serde's tagging; an alias of the record matches too.
#[test]
fn faust_polymorphic_ambiguity_and_aliases() {
    let paid = Tender::Paid(Cash { cents: 5 });
    let out: serde_json::Value =
        serde_json::from_slice(&paid.dumps_with("json+faust").unwrap()).unwrap();
    assert_eq!(
        out,
        serde_json::json!({"Paid": {"cents": 5, "__faust": {"ns": "com.acme.faust.Cash"}}})
    );
    assert_eq!(
        Tender::loads_with("json+faust", &serde_json::to_vec(&out).unwrap()).unwrap(),
        paid
    );
    let bare = br#"{"cents":5,"__faust":{"ns":"com.acme.faust.Cash"}}"#;
    assert!(Tender::loads_with("json+faust", bare).is_err());
    // `Other(Reading)` is unambiguous: written bare, read back by its ns.
    let other = Tender::Other(sample());
    let bytes = other.dumps_with("json+faust").unwrap();
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v["__faust"]["ns"], "com.acme.pipeline.Reading");
    assert_eq!(Tender::loads_with("json+faust", &bytes).unwrap(), other);
    // The ns Faust derives from a Python module matches the record's alias.
    let aliased = br#"{"cents":7,"__faust":{"ns":"shop.models.Cash"}}"#;
    assert_eq!(
        Wallet::loads_with("json+faust", aliased).unwrap(),
        Wallet::Cash(Cash { cents: 7 })
    );
}
