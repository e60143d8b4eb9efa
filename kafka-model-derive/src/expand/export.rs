//! `#[record(export)]`: registers the type, with the module defining it, for
//! `kafka_model::export::models_of!` (the crate's schema export and its drift test).

use proc_macro2::TokenStream;
use quote::quote;

use crate::internals::ast::Container;

pub fn expand(cont: &Container) -> TokenStream {
    if !cont.export {
        return TokenStream::new();
    }
    let krate = &cont.krate;
    let ident = &cont.ident;
    // `module_path!()` expands in the user's module: its first segment names the crate that
    // `models_of!(that_crate)` asks for.
    quote! {
        #krate::export::__inventory::submit! {
            #krate::export::ExportedModel::__of::<#ident>(::core::module_path!())
        }
    }
}
