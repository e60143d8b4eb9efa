//! Random and mutated frames and headers fed to every parser: errors, never panics.

use kafka_model::wire::{
    Field, IdKind, MessageIndexes, OwnedHeaders, PrefixIds, SchemaId, WireFormat, WireReader,
};
use proptest::prelude::*;

const HEADER_NAMES: &[&str] = &[
    "__value_schema_id",
    "__key_schema_id",
    "apicurio.value.globalId",
    "apicurio.value.contentId",
    "apicurio.value.encoding",
    "apicurio.key.globalId",
    "other",
];

fn readers() -> Vec<WireReader> {
    let mut out = Vec::new();
    for field in [Field::Key, Field::Value] {
        for prefix in [
            PrefixIds::Confluent,
            PrefixIds::Apicurio4(IdKind::ContentId),
            PrefixIds::Apicurio8(IdKind::GlobalId),
            PrefixIds::ApicurioEither {
                four: IdKind::ContentId,
                eight: IdKind::GlobalId,
            },
        ] {
            for (indexes, unframed) in [(false, false), (true, false), (true, true)] {
                out.push(
                    WireReader::new(field)
                        .prefix_ids(prefix)
                        .message_indexes(indexes)
                        .accept_unframed(unframed),
                );
            }
        }
    }
    out.push(
        WireReader::new(Field::Value)
            .message_indexes(true)
            .max_message_indexes(0),
    );
    out
}

fn headers() -> impl Strategy<Value = OwnedHeaders> {
    proptest::collection::vec(
        (
            proptest::sample::select(HEADER_NAMES),
            proptest::collection::vec(any::<u8>(), 0..24),
        )
            .prop_map(|(n, v)| (n.to_string(), v)),
        0..3,
    )
}

/// Frames that start like real ones, so mutations reach deep into the parsers.
fn framed() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..40),
        proptest::collection::vec(any::<u8>(), 0..40).prop_map(|mut v| {
            v.insert(0, 0);
            v
        }),
        (
            proptest::collection::vec(0u8..4, 0..12),
            proptest::collection::vec(any::<u8>(), 0..8)
        )
            .prop_map(|(mut head, tail)| {
                head.splice(0..0, [0, 0, 0, 0, 1]);
                head.extend(tail);
                head
            }),
        proptest::collection::vec(any::<u8>(), 0..30).prop_map(|mut v| {
            v.splice(0..0, [0xC3, 0x01]);
            v
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parsers_never_panic(value in proptest::option::of(framed()), headers in headers()) {
        for reader in readers() {
            let _ = reader.parse(value.as_deref(), &headers);
        }
        let _ = MessageIndexes::read(value.as_deref().unwrap_or_default());
        let _ = MessageIndexes::read_capped(value.as_deref().unwrap_or_default(), 3);
    }

    #[test]
    fn message_indexes_round_trip(path in proptest::collection::vec(0u32..=i32::MAX as u32, 1..50)) {
        let p = MessageIndexes::new(path).unwrap();
        let bytes = p.to_bytes();
        prop_assert_eq!(MessageIndexes::read(&bytes).unwrap(), (p, bytes.len()));
    }

    #[test]
    fn confluent_round_trip(id in any::<u32>(), path in proptest::option::of(proptest::collection::vec(0u32..1000, 1..6)), payload in proptest::collection::vec(any::<u8>(), 0..64)) {
        let indexes = path.map(|p| MessageIndexes::new(p).unwrap());
        let mut h = OwnedHeaders::new();
        let bytes = WireFormat::Confluent
            .frame(Field::Value, SchemaId::Id(id), indexes.as_ref(), Some(&payload), &mut h)
            .unwrap()
            .unwrap();
        let frame = WireReader::new(Field::Value)
            .message_indexes(indexes.is_some())
            .parse(Some(&bytes), &h)
            .unwrap()
            .unwrap();
        prop_assert_eq!(frame.id, Some(SchemaId::Id(id)));
        prop_assert_eq!(frame.indexes, indexes);
        prop_assert_eq!(frame.payload, payload.as_slice());
    }

    /// Flipping or truncating any byte of a valid frame gives a frame or an error, never a panic.
    #[test]
    fn mutated_frames(id in any::<u32>(), pos in any::<usize>(), byte in any::<u8>(), cut in any::<usize>()) {
        let p = MessageIndexes::new(vec![3, 1, 4]).unwrap();
        let mut bytes = WireFormat::Confluent
            .frame(Field::Value, SchemaId::Id(id), Some(&p), Some(b"\x08\x01"), &mut OwnedHeaders::new())
            .unwrap()
            .unwrap();
        let i = pos % bytes.len();
        bytes[i] = byte;
        bytes.truncate(cut % (bytes.len() + 1));
        for reader in readers() {
            let _ = reader.parse(Some(&bytes), &OwnedHeaders::new());
            let h = vec![("__value_schema_id".to_string(), bytes.clone())];
            let _ = reader.parse(Some(b"x"), &h);
        }
    }
}
