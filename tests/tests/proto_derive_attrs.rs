//! The Protobuf-only derive attributes of issue 16 (what `kafka-model generate` needed to express
//! every proto3 test input): enum values without the enum-name prefix (`#[record(no_prefix)]` on
//! the enum, `#[record(proto_name = "..")]` on a variant), `sint` / `fixed` oneof members
//! (`#[record(sint)]` / `#[record(fixed)]` on a newtype variant) and `optional` message fields
//! (`#[record(optional)]`).
//!
//! Checked: the rendered `.proto` (protoc compiles it in `write_case`'s reference run), known
//! bytes for each member encoding, our round trip on generated values, the runtime's JSON
//! mapping (`value::protobuf`, names from the rendered schema), and the reference runtime: upb
//! (through `interop/check_vectors.py`) reads our bytes as the value and writes the same bytes.

use kafka_model::Record;
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

mod common;

/// Values named as hand-written schemas often name them: bare, and one verbatim.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "acme.accounts.v1", no_prefix)]
enum Status {
    #[record(tag = 0)]
    Active,
    Suspended,
    #[record(proto_name = "closed_for_good")]
    Closed,
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "acme.accounts.v1")]
struct Profile {
    name: String,
}

/// One member per integer encoding a oneof member can have.
#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "acme.accounts.v1", parent = Account)]
#[serde(rename_all = "snake_case")]
enum AccountChange {
    #[record(tag = 4, sint)]
    Delta(i64),
    #[record(sint)]
    Step(i32),
    #[record(fixed)]
    Id(u32),
    #[record(fixed)]
    Serial(u64),
    #[record(fixed)]
    Offset(i64),
    #[record(fixed)]
    Small(i32),
    Plain(i64),
}

#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "acme.accounts.v1")]
struct Account {
    status: Status,
    #[record(optional)]
    profile: Option<Profile>,
    plain_profile: Option<Profile>,
    #[record(oneof)]
    change: Option<AccountChange>,
    #[record(tag = 11)]
    note: String,
}

fn account(change: Option<AccountChange>) -> Account {
    Account {
        status: Status::Suspended,
        profile: None,
        plain_profile: None,
        change,
        note: String::new(),
    }
}

/// A message whose only field is a oneof (no plain field's arm fixes the decoder's error type).
#[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
#[record(namespace = "acme.accounts.v1")]
struct ChangeOnly {
    #[record(oneof)]
    change: Option<AccountChange>,
}

#[test]
fn a_message_of_only_a_oneof_round_trips() {
    for change in [
        None,
        Some(AccountChange::Step(-3)),
        Some(AccountChange::Id(7)),
    ] {
        let v = ChangeOnly { change };
        assert_eq!(
            ChangeOnly::from_protobuf(&v.to_protobuf().unwrap()).unwrap(),
            v
        );
    }
}

#[test]
fn renders_bare_and_verbatim_values_encoded_members_and_optional_messages() {
    let text = Account::schemas()
        .proto()
        .expect("schema")
        .main()
        .text
        .clone();
    for needle in [
        "enum Status {\n  ACTIVE = 0;\n  SUSPENDED = 1;\n  closed_for_good = 2;\n}",
        "  Status status = 1;\n  optional Profile profile = 2;\n  Profile plain_profile = 3;\n",
        "  oneof change {\n    sint64 delta = 4;\n    sint32 step = 5;\n    fixed32 id = 6;\n    \
         fixed64 serial = 7;\n    sfixed64 offset = 8;\n    sfixed32 small = 9;\n    int64 plain = 10;\n  }\n",
        "  string note = 11;\n",
    ] {
        assert!(text.contains(needle), "no {needle:?} in\n{text}");
    }
    // Avro keeps the serde names: the Protobuf names are Protobuf's only. (Account itself has
    // no Avro schema: its oneof's members are several Avro longs, which one union cannot hold.)
    let avro: Value =
        serde_json::from_str(Status::schemas().avro().expect("avro").json()).expect("json");
    assert_eq!(
        avro["symbols"],
        json!(["Active", "Suspended", "Closed"]),
        "{avro}"
    );
}

#[test]
fn members_are_written_in_their_encoding() {
    let cases: [(AccountChange, &[u8]); 8] = [
        // status SUSPENDED (1), then the member
        (AccountChange::Delta(-1), &[0x08, 0x01, 0x20, 0x01]),
        (
            AccountChange::Step(i32::MIN),
            &[0x08, 0x01, 0x28, 0xff, 0xff, 0xff, 0xff, 0x0f],
        ),
        (AccountChange::Id(1), &[0x08, 0x01, 0x35, 1, 0, 0, 0]),
        (
            AccountChange::Serial(u64::MAX),
            &[
                0x08, 0x01, 0x39, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            ],
        ),
        (
            AccountChange::Offset(-2),
            &[
                0x08, 0x01, 0x41, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            ],
        ),
        (
            AccountChange::Small(-2),
            &[0x08, 0x01, 0x4d, 0xfe, 0xff, 0xff, 0xff],
        ),
        // A set member is written even at its default.
        (AccountChange::Delta(0), &[0x08, 0x01, 0x20, 0x00]),
        // The plain member stays a varint (ten bytes for a negative int64).
        (
            AccountChange::Plain(-1),
            &[
                0x08, 0x01, 0x50, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
            ],
        ),
    ];
    for (change, bytes) in cases {
        let v = account(Some(change));
        assert_eq!(v.to_protobuf().expect("encodes"), bytes, "{v:?}");
        assert_eq!(Account::from_protobuf(bytes).expect("decodes"), v);
    }
    // A member read in another wire type than its encoding's (`delta` as fixed32) is an
    // error, not a value.
    assert!(Account::from_protobuf(&[0x25, 1, 0, 0, 0]).is_err());
    // `optional` changes the declaration only: the bytes are a plain message field's.
    let mut v = account(None);
    v.profile = Some(Profile {
        name: String::new(),
    });
    assert_eq!(v.to_protobuf().expect("encodes"), [0x08, 0x01, 0x12, 0x00]);
    assert_eq!(
        Account::from_protobuf(&[0x08, 0x01, 0x12, 0x00]).expect("decodes"),
        v
    );
}

fn arb_change() -> impl Strategy<Value = Option<AccountChange>> {
    prop_oneof![
        Just(None),
        any::<i64>().prop_map(|n| Some(AccountChange::Delta(n))),
        any::<i32>().prop_map(|n| Some(AccountChange::Step(n))),
        any::<u32>().prop_map(|n| Some(AccountChange::Id(n))),
        any::<u64>().prop_map(|n| Some(AccountChange::Serial(n))),
        any::<i64>().prop_map(|n| Some(AccountChange::Offset(n))),
        any::<i32>().prop_map(|n| Some(AccountChange::Small(n))),
        any::<i64>().prop_map(|n| Some(AccountChange::Plain(n))),
    ]
}

fn arb_profile() -> impl Strategy<Value = Option<Profile>> {
    proptest::option::of("\\PC{0,4}".prop_map(|name| Profile { name }))
}

fn arb_account() -> impl Strategy<Value = Account> {
    let status = prop_oneof![
        Just(Status::Active),
        Just(Status::Suspended),
        Just(Status::Closed)
    ];
    (
        status,
        arb_profile(),
        arb_profile(),
        arb_change(),
        "\\PC{0,4}",
    )
        .prop_map(|(status, profile, plain_profile, change, note)| Account {
            status,
            profile,
            plain_profile,
            change,
            note,
        })
}

/// The value in the interop harness's typed JSON: serde's, with the enum value named as the
/// rendered `.proto` names it.
fn typed_json(v: &Account) -> Value {
    let mut json = serde_json::to_value(v).expect("json");
    json["status"] = json!(match v.status {
        Status::Active => "ACTIVE",
        Status::Suspended => "SUSPENDED",
        Status::Closed => "closed_for_good",
    });
    json
}

proptest! {
    #[test]
    fn accounts_round_trip(v in arb_account()) {
        let bytes = v.to_protobuf().expect("encodes");
        prop_assert_eq!(Account::from_protobuf(&bytes).expect("decodes"), v);
    }

    /// The runtime's schema-driven JSON (the CLI's `decode`) reads the rendered schema's names:
    /// the bare and verbatim enum values, the members by their encoding.
    #[test]
    fn schema_driven_json_agrees(v in arb_account()) {
        use kafka_model::compat::protobuf::ProtoSource;
        use kafka_model::value::protobuf::{decode, ProtoFile};
        let schema = Account::schemas().proto().expect("schema");
        let file = ProtoFile::from_source(&ProtoSource::new(schema.main().text.clone())).expect("compiles");
        let desc = file.message("acme.accounts.v1.Account").expect("message");
        let json = decode(&desc, &v.to_protobuf().expect("encodes")).expect("decodes");
        prop_assert_eq!(&json["status"], &typed_json(&v)["status"]);
    }
}

/// upb reads our bytes as the value and its own deterministic encoding of it is our bytes.
#[test]
fn reference_runtime_agrees_on_generated_values() {
    use proptest::strategy::ValueTree;
    let Some(python) = common::tools::interop_python() else {
        return;
    };
    let dir = common::tools::scratch("proto_derive_attrs_values");
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    const N: usize = 40;
    for i in 0..N {
        let v = arb_account()
            .new_tree(&mut runner)
            .expect("value")
            .current();
        write_case(&dir, &format!("account_{i:02}"), &v, typed_json(&v));
    }
    let script = common::tools::interop_dir().join("check_vectors.py");
    let out = common::tools::run(
        std::process::Command::new(python)
            .arg(script)
            .arg(&dir)
            .arg("-v"),
    );
    assert!(out.contains(&format!("{N} passed, 0 failed")), "{out}");
    let same = out
        .lines()
        .filter(|l| l.contains("protobuf runtime (same bytes)"))
        .count();
    assert_eq!(same, N, "upb's own bytes differ for some value:\n{out}");
}

/// A case folder for `check_vectors.py`: the rendered schema, the Confluent-framed payload and
/// the value.
fn write_case(dir: &std::path::Path, name: &str, value: &Account, json: Value) {
    let case = dir.join(name);
    std::fs::create_dir_all(&case).expect("case dir");
    let schema = Account::schemas().proto().expect("schema");
    assert_eq!(schema.files().len(), 1, "{name}: one self-contained .proto");
    std::fs::write(case.join("schema.proto"), &schema.main().text).expect("write schema");
    // The root is rendered first: its indexes are [0], written as the single byte 0.
    let indexes = schema.message_indexes().to_vec();
    let mut payload = vec![0, 0, 0, 0, 7];
    if indexes == [0] {
        payload.push(0);
    } else {
        payload.push(u8::try_from(indexes.len() * 2).expect("small"));
        for i in &indexes {
            payload.push(u8::try_from(i * 2).expect("small"));
        }
    }
    value.write_protobuf(&mut payload).expect("encodes");
    std::fs::write(case.join("payload.bin"), payload).expect("write payload");
    let case_json = json!({
        "format": "protobuf",
        "wire": "confluent",
        "topic": "kafka-model.proto",
        "schema": "schema.proto",
        "schema_id": 7,
        "message_type": schema.message_name(),
        "message_indexes": indexes,
        "value": json,
    });
    std::fs::write(
        case.join("case.json"),
        serde_json::to_vec_pretty(&case_json).expect("json"),
    )
    .expect("write case");
}
