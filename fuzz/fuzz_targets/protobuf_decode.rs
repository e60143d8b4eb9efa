//! Arbitrary bytes into every generated Protobuf decoder (ours and through `prost::Message`),
//! recursive types included; `expand` turns a short input into a deeply nested one.
//!
//! Decoding never panics. When a value decodes and re-encodes, the re-encoded bytes decode
//! again to a value that encodes to bytes of the same length (maps may reorder).
#![no_main]

use kafka_model::Record;
use kafka_model_fuzz::with_corpus_type;
use libfuzzer_sys::fuzz_target;

fn check<T: Record>(data: &[u8]) {
    if let Ok(v) = T::from_protobuf(data) {
        if let Ok(bytes) = v.to_protobuf() {
            let again = T::from_protobuf(&bytes).expect("what we write decodes");
            let bytes2 = again.to_protobuf().expect("a decoded value re-encodes");
            assert_eq!(bytes.len(), bytes2.len());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Some((&sel, rest)) = data.split_first() {
        let rest = kafka_model_fuzz::expand(rest);
        with_corpus_type!(sel, check, &rest);
    }
});
