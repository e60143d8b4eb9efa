//! Generated code for the avro part of `#[derive(Record)]`: items placed inside the derive's
//! `const _: () = { ... };` block, next to the `Record` impl.

use proc_macro2::TokenStream;

use crate::internals::ast::Container;

/// Items for `cont` (none yet).
pub fn expand(_cont: &Container) -> TokenStream {
    TokenStream::new()
}
