//! Schema resolution on arbitrary data: a reader type and a writer schema (another corpus
//! type's schema, possibly mutated: a field dropped, a field added, a type widened), then
//! arbitrary writer bytes through `Resolver::transcode` and `from_avro_with_writer`.
//! Never panics; what transcoding writes is in the reader's encoding, so the reader's
//! decoder consumes all of it or fails with a value error, never with a framing error.
#![no_main]

use apache_avro::Schema;
use kafka_model::avro::resolve::Resolver;
use kafka_model::{CodecError, Record};
use kafka_model_fuzz::with_corpus_type;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

fn schema_json<T: Record>() -> Option<String> {
    T::schemas().avro().ok().map(|s| s.json().to_string())
}

/// Applies mutation `m` (its low bits pick the field) to a record schema's JSON.
fn mutate(json: &str, m: u8) -> Option<String> {
    let mut v: Value = serde_json::from_str(json).ok()?;
    if let Some(fields) = v.get_mut("fields").and_then(Value::as_array_mut) {
        let n = fields.len();
        let k = usize::from(m >> 3);
        match m & 7 {
            1 if n > 0 => {
                fields.remove(k % n);
            }
            2 => {
                let ty = match k % 5 {
                    0 => json!("int"),
                    1 => json!("string"),
                    2 => json!({"type": "array", "items": "long"}),
                    3 => json!(["null", "double"]),
                    _ => json!({"type": "map", "values": "bytes"}),
                };
                fields.insert(k % (n + 1), json!({"name": "zz_extra", "type": ty}));
            }
            3 if n > 0 => {
                // Narrow the writer where the reader is wider: long → int, double → float,
                // bytes ↔ string.
                let f = &mut fields[k % n];
                let narrowed = match f.get("type").and_then(Value::as_str) {
                    Some("long") => "int",
                    Some("double") => "float",
                    Some("float") => "long",
                    Some("string") => "bytes",
                    Some("bytes") => "string",
                    _ => return Some(v.to_string()),
                };
                f["type"] = json!(narrowed);
            }
            4 if n > 1 => fields.swap(0, k % n),
            _ => {}
        }
    }
    Some(v.to_string())
}

fn check<T: Record>(writer_json: &str, data: &[u8]) {
    let Ok(writer) = Schema::parse_str(writer_json) else {
        return;
    };
    let Ok(reader) = T::schemas().avro() else { return };
    if let Ok(plan) = Resolver::new(&writer, reader.schema()) {
        if let Ok(bytes) = plan.transcode(data) {
            if let Err(CodecError::AvroDecode(e)) = T::from_avro(&bytes) {
                use kafka_model::avro::DecodeErrorKind as K;
                assert!(
                    !matches!(
                        e.kind(),
                        K::UnexpectedEnd { .. } | K::TrailingBytes { .. } | K::UnionIndex { .. }
                    ),
                    "transcoded data is malformed for the reader: {e}"
                );
            }
        }
    }
    let _ = T::from_avro_with_writer(&writer, data);
}

fn writer_of<T: Record>(m: u8, reader_sel: u8, data: &[u8]) {
    let Some(json) = schema_json::<T>() else {
        return;
    };
    let Some(json) = mutate(&json, m) else { return };
    with_corpus_type!(reader_sel, check, &json, data);
}

fuzz_target!(|data: &[u8]| {
    let [reader_sel, writer_sel, m, rest @ ..] = data else {
        return;
    };
    let rest = kafka_model_fuzz::expand(rest);
    with_corpus_type!(*writer_sel, writer_of, *m, *reader_sel, &rest);
});
