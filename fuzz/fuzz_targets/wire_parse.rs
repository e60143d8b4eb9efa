//! Arbitrary frames and headers into the wire-format parsers: `WireReader::parse` in every
//! configuration, and `MessageIndexes::read`. Never panics; a parsed frame's payload is a
//! suffix of the value, and a message-index path that reads back writes and reads back the same.
#![no_main]

use kafka_model::wire::{Field, IdKind, MessageIndexes, PrefixIds, WireReader};
use libfuzzer_sys::fuzz_target;

/// Input layout: 1 config byte, then up to three headers each as
/// `[name selector][len][value..]`, then the record value (the rest).
fn headers(data: &mut &[u8], field: Field) -> Vec<(String, Vec<u8>)> {
    let names = |sel: u8| -> String {
        let side = if field == Field::Key { "key" } else { "value" };
        match sel % 6 {
            0 => format!("__{side}_schema_id"),
            1 => format!("apicurio.{side}.globalId"),
            2 => format!("apicurio.{side}.contentId"),
            3 => format!("apicurio.{side}.encoding"),
            4 => "unrelated".to_string(),
            _ => format!(
                "__{}_schema_id",
                if side == "key" { "value" } else { "key" }
            ),
        }
    };
    let mut out = Vec::new();
    while out.len() < 3 {
        let d: &[u8] = data;
        let [sel, len, ref rest @ ..] = *d else {
            break;
        };
        if sel & 0x80 == 0 {
            break;
        }
        let len = usize::from(len).min(rest.len());
        out.push((names(sel), rest[..len].to_vec()));
        *data = &rest[len..];
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&config, mut rest)) = data.split_first() else {
        return;
    };
    let field = if config & 1 == 0 {
        Field::Value
    } else {
        Field::Key
    };
    let prefix_ids = match (config >> 3) & 3 {
        0 => PrefixIds::Confluent,
        1 => PrefixIds::Apicurio4(IdKind::ContentId),
        2 => PrefixIds::Apicurio8(IdKind::GlobalId),
        _ => PrefixIds::ApicurioEither {
            four: IdKind::ContentId,
            eight: IdKind::GlobalId,
        },
    };
    let reader = WireReader::new(field)
        .message_indexes(config & 2 != 0)
        .use_headers(config & 4 != 0)
        .accept_unframed(config & 0x20 != 0)
        .prefix_ids(prefix_ids)
        .max_message_indexes(if config & 0x40 != 0 { 4 } else { 64 });
    let headers = headers(&mut rest, field);
    let value = rest;
    if let Ok(Some(frame)) = reader.parse(Some(value), &headers) {
        assert!(value.ends_with(frame.payload));
    }
    assert_eq!(reader.parse(None, &headers).ok(), Some(None));

    if let Ok((path, used)) = MessageIndexes::read(value) {
        assert!(used <= value.len());
        let bytes = path.to_bytes();
        let (back, n) = MessageIndexes::read(&bytes).expect("written paths read back");
        assert_eq!(n, bytes.len());
        assert_eq!(back, path);
    }
});
