//! `#[derive(Record)]` for [kafka-model](https://docs.rs/kafka-model).
//!
//! Parse (serde's attributes via `serde_derive_internals`, ours in `internals::attr`) → check
//! (every problem collected with its span in `internals::Ctxt`) → expand (`expand`). The macro
//! never panics: a problem is a compile error at the offending item.
//!
//! See the `kafka_model` crate for the attribute reference.

mod expand;
mod internals;

use proc_macro::TokenStream;
use syn::DeriveInput;

/// Derives `kafka_model::Record` (and `kafka_model::FieldType`): one static description of the
/// type from which its Avro, Protobuf and JSON schemas and codecs are rendered.
#[proc_macro_derive(Record, attributes(record))]
pub fn derive_record(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as DeriveInput);
    derive(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

fn derive(input: &DeriveInput) -> syn::Result<proc_macro2::TokenStream> {
    let cx = internals::Ctxt::new();
    let cont = internals::ast::Container::from_ast(&cx, input);
    if let Some(cont) = &cont {
        internals::check::check(&cx, cont);
    }
    cx.check()?;
    match cont {
        Some(cont) => Ok(expand::expand(&cont)),
        None => Ok(proc_macro2::TokenStream::new()),
    }
}
