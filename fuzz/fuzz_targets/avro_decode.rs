//! Arbitrary bytes into every generated Avro decoder (plain datum and single-object encoding),
//! recursive types included; `expand` turns a short input into a deeply nested one.
//!
//! Decoding never panics. When a value decodes and re-encodes, the re-encoded bytes decode
//! again to a value that encodes to bytes of the same length (maps may reorder).
#![no_main]

use kafka_model::Record;
use kafka_model_fuzz::with_corpus_type;
use libfuzzer_sys::fuzz_target;

fn check<T: Record>(data: &[u8]) {
    if let Ok(v) = T::from_avro(data) {
        if let Ok(bytes) = v.to_avro() {
            let again = T::from_avro(&bytes).expect("what we write decodes");
            let bytes2 = again.to_avro().expect("a decoded value re-encodes");
            assert_eq!(bytes.len(), bytes2.len());
        }
    }
    let _ = T::from_avro_single(data);
    // With our own schema as the writer: the direct path.
    if let Ok(schema) = T::schemas().avro() {
        let _ = T::from_avro_with_writer(schema.schema(), data);
    }
}

fuzz_target!(|data: &[u8]| {
    if let Some((&sel, rest)) = data.split_first() {
        let rest = kafka_model_fuzz::expand(rest);
        with_corpus_type!(sel, check, &rest);
    }
});
