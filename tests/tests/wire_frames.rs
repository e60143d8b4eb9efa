//! Wire framing: golden bytes from reference-specs §1, round trips of every wire format,
//! typed errors, and format detection on mixed inputs.

use kafka_model::wire::{
    ApicurioEncoding, Field, Guid, Headers, IdKind, IdWidth, MessageIndexes, NoHeaders,
    OwnedHeaders, PrefixIds, SchemaId, WireError, WireFormat, WireReader,
};

fn path(p: &[u32]) -> MessageIndexes {
    MessageIndexes::new(p.to_vec()).expect("valid path")
}

#[test]
fn message_index_golden_bytes() {
    let table: &[(&[u32], &[u8])] = &[
        (&[0], &[0x00]),
        (&[1], &[0x02, 0x02]),
        (&[2], &[0x02, 0x04]),
        (&[0, 0], &[0x04, 0x00, 0x00]),
        (&[0, 1], &[0x04, 0x00, 0x02]),
        (&[1, 0], &[0x04, 0x02, 0x00]),
        (&[2, 1, 0], &[0x06, 0x04, 0x02, 0x00]),
        (&[3, 2, 1], &[0x06, 0x06, 0x04, 0x02]),
        (&[64], &[0x02, 0x80, 0x01]),
        (&[66], &[0x02, 0x84, 0x01]),
    ];
    for (p, bytes) in table {
        assert_eq!(path(p).to_bytes(), *bytes, "{p:?}");
        let (read, used) = MessageIndexes::read(bytes).expect("reads");
        assert_eq!((read.as_slice(), used), (*p, bytes.len()));
    }
    // The long form of [0] is read too.
    assert_eq!(
        MessageIndexes::read(&[0x02, 0x00]).unwrap(),
        (path(&[0]), 2)
    );
}

#[test]
fn message_index_deep_and_large_round_trip() {
    let deep: Vec<u32> = (0..300).map(|i| i * 7919 % 100_000).collect();
    let p = path(&deep);
    let bytes = p.to_bytes();
    assert_eq!(MessageIndexes::read(&bytes).unwrap(), (p, bytes.len()));
    let max = path(&[i32::MAX as u32]);
    assert_eq!(MessageIndexes::read(&max.to_bytes()).unwrap().0, max);
    assert!(MessageIndexes::new(vec![]).is_err());
    assert!(MessageIndexes::new(vec![u32::MAX]).is_err());
}

#[test]
fn confluent_prefix_golden() {
    let mut buf = Vec::new();
    WireFormat::Confluent
        .write_header(
            Field::Value,
            SchemaId::Id(42),
            None,
            &mut buf,
            &mut NoHeaders,
        )
        .unwrap();
    assert_eq!(buf, [0x00, 0x00, 0x00, 0x00, 0x2a]);
    let mut buf = Vec::new();
    WireFormat::Confluent
        .write_header(
            Field::Key,
            SchemaId::Id(u32::MAX),
            Some(&path(&[0])),
            &mut buf,
            &mut NoHeaders,
        )
        .unwrap();
    assert_eq!(buf, [0x00, 0xff, 0xff, 0xff, 0xff, 0x00]);
}

#[test]
fn confluent_guid_header_golden() {
    let guid: Guid = "0194f3a2-7c1e-7d6b-9a2b-3c4d5e6f7081".parse().unwrap();
    let mut buf = Vec::new();
    let mut headers = OwnedHeaders::new();
    WireFormat::ConfluentGuidHeader
        .write_header(
            Field::Value,
            SchemaId::Guid(guid),
            None,
            &mut buf,
            &mut headers,
        )
        .unwrap();
    assert!(buf.is_empty());
    let expected = [
        0x01, 0x01, 0x94, 0xf3, 0xa2, 0x7c, 0x1e, 0x7d, 0x6b, 0x9a, 0x2b, 0x3c, 0x4d, 0x5e, 0x6f,
        0x70, 0x81,
    ];
    assert_eq!(
        headers,
        vec![("__value_schema_id".to_string(), expected.to_vec())]
    );
    // With Protobuf indexes, and for the key.
    let mut headers = OwnedHeaders::new();
    WireFormat::ConfluentGuidHeader
        .write_header(
            Field::Key,
            SchemaId::Guid(guid),
            Some(&path(&[1])),
            &mut buf,
            &mut headers,
        )
        .unwrap();
    assert_eq!(headers[0].0, "__key_schema_id");
    assert_eq!(&headers[0].1[17..], [0x02, 0x02]);
    let frame = WireReader::new(Field::Key)
        .message_indexes(true)
        .parse(Some(b"body"), &headers)
        .unwrap()
        .unwrap();
    assert_eq!(frame.wire, WireFormat::ConfluentGuidHeader);
    assert_eq!(frame.id, Some(SchemaId::Guid(guid)));
    assert_eq!(frame.indexes, Some(path(&[1])));
    assert_eq!(frame.payload, b"body");
}

/// Every writable format, with and without indexes where they apply, for key and value:
/// write → parse → same id, path, payload → re-frame → same bytes and headers.
#[test]
fn every_format_round_trips() {
    let guid = Guid([7; 16]);
    let formats: Vec<(WireFormat, SchemaId, PrefixIds)> = vec![
        (
            WireFormat::Confluent,
            SchemaId::Id(1_234_567),
            PrefixIds::Confluent,
        ),
        (
            WireFormat::ConfluentGuidHeader,
            SchemaId::Guid(guid),
            PrefixIds::Confluent,
        ),
        (
            WireFormat::ConfluentGuidPrefix,
            SchemaId::Guid(guid),
            PrefixIds::Confluent,
        ),
        (
            WireFormat::ApicurioHeaders { encoding: None },
            SchemaId::GlobalId(-5),
            PrefixIds::Confluent,
        ),
        (
            WireFormat::apicurio_headers_avro(),
            SchemaId::ContentId(1 << 40),
            PrefixIds::Confluent,
        ),
        (
            WireFormat::ApicurioHeaders {
                encoding: Some(ApicurioEncoding::Json),
            },
            SchemaId::GlobalId(3),
            PrefixIds::Confluent,
        ),
        (
            WireFormat::ApicurioPayload {
                width: IdWidth::Four,
            },
            SchemaId::ContentId(77),
            PrefixIds::Apicurio4(IdKind::ContentId),
        ),
        (
            WireFormat::ApicurioPayload {
                width: IdWidth::Eight,
            },
            SchemaId::GlobalId(1 << 33),
            PrefixIds::Apicurio8(IdKind::GlobalId),
        ),
        (
            WireFormat::AvroSingleObject,
            SchemaId::Fingerprint(0x0123_4567_89ab_cdef),
            PrefixIds::Confluent,
        ),
    ];
    for field in [Field::Key, Field::Value] {
        for (wire, id, prefix) in &formats {
            let paths: Vec<Option<MessageIndexes>> = if wire.carries_message_indexes() {
                vec![
                    None,
                    Some(path(&[0])),
                    Some(path(&[2, 1, 0])),
                    Some(path(&[66])),
                ]
            } else {
                vec![None]
            };
            for indexes in paths {
                let payload = b"\x02\x04payload";
                let mut headers = OwnedHeaders::new();
                let bytes = wire
                    .frame(field, *id, indexes.as_ref(), Some(payload), &mut headers)
                    .unwrap()
                    .unwrap();
                let reader = WireReader::new(field)
                    .message_indexes(indexes.is_some())
                    .prefix_ids(*prefix);
                let frame = reader.parse(Some(&bytes), &headers).unwrap().unwrap();
                let ctx = format!("{field:?} {wire:?} {indexes:?}");
                assert_eq!(frame.wire, *wire, "{ctx}");
                assert_eq!(frame.id, Some(*id), "{ctx}");
                assert_eq!(frame.indexes, indexes, "{ctx}");
                assert_eq!(frame.payload, payload, "{ctx}");
                let mut again = Vec::new();
                let mut again_headers = OwnedHeaders::new();
                frame
                    .write_header(field, &mut again, &mut again_headers)
                    .unwrap();
                again.extend_from_slice(frame.payload);
                assert_eq!((again, again_headers), (bytes, headers), "{ctx}");
            }
        }
    }
}

#[test]
fn tombstones_are_never_framed() {
    for wire in [
        WireFormat::Confluent,
        WireFormat::Raw,
        WireFormat::ConfluentGuidHeader,
    ] {
        let mut headers = OwnedHeaders::new();
        let id = if wire == WireFormat::ConfluentGuidHeader {
            SchemaId::Guid(Guid([1; 16]))
        } else {
            SchemaId::Id(1)
        };
        assert_eq!(
            wire.frame(Field::Value, id, None, None, &mut headers)
                .unwrap(),
            None
        );
        assert!(headers.is_empty());
    }
    let headers = vec![("__value_schema_id".to_string(), vec![9])];
    assert_eq!(
        WireReader::new(Field::Value).parse(None, &headers).unwrap(),
        None
    );
}

#[test]
fn writer_rejects_mismatched_ids_and_indexes() {
    let mut buf = Vec::new();
    let mut h = OwnedHeaders::new();
    let e = WireFormat::Confluent
        .write_header(Field::Value, SchemaId::GlobalId(1), None, &mut buf, &mut h)
        .unwrap_err();
    assert!(
        matches!(
            e,
            WireError::IdMismatch {
                wire: "confluent",
                ..
            }
        ),
        "{e}"
    );
    let e = WireFormat::ApicurioPayload {
        width: IdWidth::Four,
    }
    .write_header(
        Field::Value,
        SchemaId::GlobalId(1 << 32),
        None,
        &mut buf,
        &mut h,
    )
    .unwrap_err();
    assert_eq!(
        e,
        WireError::IdOutOfRange {
            id: 1 << 32,
            width: 4
        }
    );
    let e = WireFormat::Raw
        .write_header(
            Field::Value,
            SchemaId::Id(1),
            Some(&path(&[0])),
            &mut buf,
            &mut h,
        )
        .unwrap_err();
    assert!(matches!(e, WireError::IndexesNotSupported { .. }));
    let e = WireFormat::apicurio_headers_avro()
        .write_header(
            Field::Value,
            SchemaId::GlobalId(1),
            None,
            &mut buf,
            &mut NoHeaders,
        )
        .unwrap_err();
    assert!(matches!(e, WireError::HeadersUnavailable { .. }));
}

#[test]
fn parser_errors_are_typed() {
    let r = WireReader::new(Field::Value);
    let parse = |reader: &WireReader, v: &[u8]| reader.parse(Some(v), &NoHeaders).unwrap_err();
    match parse(&r, b"{\"a\":1}") {
        WireError::WrongMagic { found: b'{', .. } => {}
        e => panic!("{e:?}"),
    }
    assert_eq!(
        parse(&r, &[0x00, 0x00, 0x01]),
        WireError::Truncated {
            what: "Confluent header",
            needed: 5,
            found: 3
        }
    );
    assert_eq!(
        parse(&r, &[]),
        WireError::Truncated {
            what: "framed value",
            needed: 1,
            found: 0
        }
    );
    assert!(matches!(
        parse(&r, &[0x01, 1, 2]),
        WireError::Truncated { needed: 17, .. }
    ));
    assert!(matches!(
        parse(&r, &[0xC3, 0x01, 1]),
        WireError::Truncated { needed: 10, .. }
    ));
    let pb = r.message_indexes(true);
    // count 1000 with 2 bytes left: capped by the bytes remaining.
    assert_eq!(
        parse(&pb, &[0, 0, 0, 0, 1, 0xd0, 0x0f, 0x02, 0x02]),
        WireError::TooManyMessageIndexes {
            count: 1000,
            max: 2
        }
    );
    // count 5000 with plenty of bytes: capped by the configured limit.
    let mut long = vec![0, 0, 0, 0, 1, 0x90, 0x4e];
    long.extend(std::iter::repeat_n(0u8, 6000));
    assert_eq!(
        parse(&pb, &long),
        WireError::TooManyMessageIndexes {
            count: 5000,
            max: 4096
        }
    );
    assert!(matches!(
        parse(&pb.max_message_indexes(2), &[0, 0, 0, 0, 1, 0x06, 0, 0, 0]),
        WireError::TooManyMessageIndexes { count: 3, max: 2 }
    ));
    assert!(matches!(
        parse(&pb, &[0, 0, 0, 0, 1, 0x01]),
        WireError::NegativeMessageIndex {
            what: "count",
            value: -1
        }
    ));
    assert!(matches!(
        parse(&pb, &[0, 0, 0, 0, 1, 0x02, 0x03]),
        WireError::NegativeMessageIndex {
            what: "index",
            value: -2
        }
    ));
    assert!(matches!(
        parse(&pb, &[0, 0, 0, 0, 1, 0x04, 0x80, 0x01]),
        WireError::Truncated {
            what: "message-index path",
            ..
        }
    ));
    assert!(matches!(
        parse(&pb, &[0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
        WireError::BadVarint { .. }
    ));
    assert!(matches!(
        parse(&pb, &[0, 0, 0, 0, 1]),
        WireError::Truncated {
            needed: 1,
            found: 0,
            ..
        }
    ));

    // Headers of the wrong length.
    let h = vec![("apicurio.value.globalId".to_string(), vec![0, 1, 2])];
    assert_eq!(
        r.parse(Some(b"x"), &h).unwrap_err(),
        WireError::HeaderLength {
            name: "apicurio.value.globalId".into(),
            expected: 8,
            found: 3
        }
    );
    let h = vec![("__value_schema_id".to_string(), vec![0x01; 20])];
    assert_eq!(
        r.parse(Some(b"x"), &h).unwrap_err(),
        WireError::HeaderLength {
            name: "__value_schema_id".into(),
            expected: 17,
            found: 20
        }
    );
    let h = vec![("__value_schema_id".to_string(), vec![0x07; 20])];
    assert!(matches!(
        r.parse(Some(b"x"), &h).unwrap_err(),
        WireError::WrongMagic { found: 7, .. }
    ));
    let h = vec![
        ("apicurio.value.globalId".to_string(), vec![0; 8]),
        ("apicurio.value.encoding".to_string(), b"XML".to_vec()),
    ];
    assert!(matches!(
        r.parse(Some(b"x"), &h).unwrap_err(),
        WireError::HeaderValue { .. }
    ));
    // Errors print what they found.
    assert!(parse(&r, b"X").to_string().contains("0x58"));
}

#[test]
fn key_headers_do_not_apply_to_values() {
    let h = vec![(
        "apicurio.key.globalId".to_string(),
        5i64.to_be_bytes().to_vec(),
    )];
    let key = WireReader::new(Field::Key)
        .parse(Some(b"k"), &h)
        .unwrap()
        .unwrap();
    assert_eq!(key.id, Some(SchemaId::GlobalId(5)));
    let value = WireReader::new(Field::Value)
        .accept_unframed(true)
        .parse(Some(b"v"), &h)
        .unwrap()
        .unwrap();
    assert_eq!(value.wire, WireFormat::Raw);
}

#[test]
fn last_header_wins_and_headers_precede_the_prefix() {
    let guid = Guid([3; 16]);
    let mut v = vec![0x01];
    v.extend_from_slice(&guid.0);
    let h = vec![
        ("__value_schema_id".to_string(), vec![0x01; 17]),
        ("__value_schema_id".to_string(), v),
    ];
    assert_eq!(h.last_value("__value_schema_id").map(|b| b[1]), Some(3));
    // The value starts with a Confluent prefix, but the header wins and the whole value is payload.
    let body = [0u8, 0, 0, 0, 9, 1];
    let f = WireReader::new(Field::Value)
        .parse(Some(&body), &h)
        .unwrap()
        .unwrap();
    assert_eq!(f.id, Some(SchemaId::Guid(guid)));
    assert_eq!(f.payload, body);
    // A header holding a 4-byte id (magic 0) is read too.
    let h = vec![("__value_schema_id".to_string(), vec![0, 0, 0, 1, 0])];
    let f = WireReader::new(Field::Value)
        .parse(Some(b"p"), &h)
        .unwrap()
        .unwrap();
    assert_eq!(f.id, Some(SchemaId::Id(256)));
    // use_headers(false) ignores them.
    let f = WireReader::new(Field::Value)
        .use_headers(false)
        .parse(Some(&body), &h)
        .unwrap()
        .unwrap();
    assert_eq!(f.id, Some(SchemaId::Id(9)));
}

#[test]
fn apicurio_either_width() {
    let r = WireReader::new(Field::Value).prefix_ids(PrefixIds::ApicurioEither {
        four: IdKind::ContentId,
        eight: IdKind::GlobalId,
    });
    let f = r
        .parse(Some(&[0, 0, 0, 0, 7, 0xaa]), &NoHeaders)
        .unwrap()
        .unwrap();
    assert_eq!(f.id, Some(SchemaId::ContentId(7)));
    assert_eq!(
        f.wire,
        WireFormat::ApicurioPayload {
            width: IdWidth::Four
        }
    );
    assert_eq!(f.payload, [0xaa]);
    let f = r
        .parse(Some(&[0, 0, 0, 0, 0, 0, 0, 1, 2, 0xbb]), &NoHeaders)
        .unwrap()
        .unwrap();
    assert_eq!(f.id, Some(SchemaId::GlobalId(258)));
    assert_eq!(
        f.wire,
        WireFormat::ApicurioPayload {
            width: IdWidth::Eight
        }
    );
    assert_eq!(f.payload, [0xbb]);
    // A 4-byte id 0 with fewer than 4 bytes after it stays a 4-byte id.
    let f = r
        .parse(Some(&[0, 0, 0, 0, 0, 1]), &NoHeaders)
        .unwrap()
        .unwrap();
    assert_eq!(
        (f.id, f.payload),
        (Some(SchemaId::ContentId(0)), &[1u8][..])
    );
}

/// A message (value, headers) and what the reader should find (`None`: a tombstone).
type Mixed = (
    Option<Vec<u8>>,
    OwnedHeaders,
    Option<(WireFormat, Option<SchemaId>)>,
);

/// One reader for a topic that mixes every format.
#[test]
fn detects_mixed_formats() {
    let guid = Guid([0xab; 16]);
    let reader = WireReader::new(Field::Value).accept_unframed(true);
    let mut messages: Vec<Mixed> = Vec::new();
    let mut add = |wire: WireFormat, id: SchemaId| {
        let mut h = OwnedHeaders::new();
        let bytes = wire
            .frame(Field::Value, id, None, Some(b"\x10data"), &mut h)
            .unwrap();
        messages.push((bytes, h, Some((wire, Some(id)))));
    };
    add(WireFormat::Confluent, SchemaId::Id(11));
    add(WireFormat::ConfluentGuidHeader, SchemaId::Guid(guid));
    add(WireFormat::ConfluentGuidPrefix, SchemaId::Guid(guid));
    add(
        WireFormat::ApicurioHeaders { encoding: None },
        SchemaId::GlobalId(12),
    );
    add(WireFormat::apicurio_headers_avro(), SchemaId::ContentId(13));
    add(WireFormat::AvroSingleObject, SchemaId::Fingerprint(14));
    messages.push((
        Some(br#"{"plain":"json"}"#.to_vec()),
        vec![],
        Some((WireFormat::Raw, None)),
    ));
    messages.push((None, vec![], None));
    for (value, headers, expected) in &messages {
        let got = reader.parse(value.as_deref(), headers).unwrap();
        match (got, expected) {
            (None, None) => {}
            (Some(frame), Some((wire, id))) => {
                assert_eq!((&frame.wire, &frame.id), (wire, id));
                let tail = if *wire == WireFormat::Raw {
                    &br#"{"plain":"json"}"#[..]
                } else {
                    &b"\x10data"[..]
                };
                assert_eq!(frame.payload, tail);
            }
            (got, expected) => panic!("{got:?} vs {expected:?}"),
        }
    }
}

#[test]
fn payload_is_borrowed_not_copied() {
    let bytes = [0u8, 0, 0, 0, 1, 5, 6, 7];
    let frame = WireReader::new(Field::Value)
        .parse(Some(&bytes), &NoHeaders)
        .unwrap()
        .unwrap();
    assert_eq!(frame.payload.as_ptr(), bytes[5..].as_ptr());
}

#[test]
fn borrowed_header_slices_work() {
    let id = 42i64.to_be_bytes();
    let h: &[(&str, &[u8])] = &[("apicurio.value.contentId", &id)];
    let f = WireReader::new(Field::Value)
        .parse(Some(b"x"), h)
        .unwrap()
        .unwrap();
    assert_eq!(f.id, Some(SchemaId::ContentId(42)));
}
