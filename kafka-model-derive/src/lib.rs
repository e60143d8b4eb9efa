//! `#[derive(Record)]` for kafka-model (placeholder while the derive is written).
use proc_macro::TokenStream;

/// Derives `kafka_model::Record`.
#[proc_macro_derive(Record, attributes(record))]
pub fn derive_record(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}
