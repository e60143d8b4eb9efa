//! Generated code for a newtype (`#[serde(transparent)]` or `struct OrderId(Uuid)`): serde
//! writes the inner value, so the type is its inner type in every schema and codec. Every
//! trait a field type needs delegates to the inner field. A newtype over a top-level primitive
//! (`String`, `i32`, `i64`, `f32`, `f64`, `bool`, `Vec<u8>`, `()`, as spelled) is also a
//! `Record` with the primitive's schema, so it can be a message key or value; so is a newtype
//! over a list or map (`Vec<T>`, `HashMap`/`BTreeMap`/`IndexMap`: a top-level Avro `array` or
//! `map`, a [`Shape::Primitive`](kafka_model::model::Shape::Primitive) of the inner type);
//! other newtypes have no `Record` impl (no schema of their own).
//!
//! `#[record(fixed)]` on a newtype over `[u8; N]` is the exception: the type is a named Avro
//! `fixed` (a [`Shape::Fixed`](kafka_model::model::Shape::Fixed) model with the container's
//! name, namespace, doc and aliases), so one definition serves many fields, and a `Record`
//! whose schema is that `fixed`. Its codecs still
//! delegate to the `[u8; N]` inside (the bytes on the wire are the same). Over
//! [`AvroDuration`](kafka_model::duration::AvroDuration) it is a named `fixed` of 12 with the
//! `duration` logical type ([`Shape::Duration`](kafka_model::model::Shape::Duration)).
//!
//! A newtype over `serde_json::Value` (spelled `Value`) is a top-level `Record` too: any JSON
//! value, JSON Schema `{}` (no Avro or Protobuf form). A top-level `Record` newtype takes
//! `#[record(name = "..")]` and a doc comment: its model's name and doc, i.e. the root's JSON
//! Schema `title` and `description` (`struct Anything(serde_json::Value);` renders
//! `{"title": "any"}` without them).
//!
//! A newtype over `String`, `bool` or an integer (as spelled) is also a map key (`FieldKey`),
//! written as its inner key.
//!
//! Validators on the inner field (`struct Code(#[record(max_len = 8)] String);`) are the
//! value's rules: its `Validate` checks them wherever the value is, and a top-level `Record`
//! newtype (the only kind that takes them) has a model of its own whose
//! [`Shape::Primitive`](kafka_model::model::Shape::Primitive) carries them into the JSON Schema.

use proc_macro2::TokenStream;
use quote::quote;

use crate::internals::ast::{Container, Newtype};

pub fn expand(cont: &Container, n: &Newtype) -> TokenStream {
    let krate = &cont.krate;
    let ident = &cont.ident;
    let (member, inner) = (&n.member, &n.ty);
    let skipped = &n.skipped;
    let m = quote!(#krate::model);
    let v = quote!(#krate::validate);
    let bytes = quote!(#krate::protobuf::support::prost::bytes);
    let json_id = super::opt_str(&cont.json_id.as_ref().map(|(id, _)| id.clone()));
    let wrap = quote!(|__v| #ident { #member: __v, #(#skipped: __k::Default::default(),)* });
    let (model, ty) = if n.fixed {
        let rust_name = ident.to_string();
        let name = &cont.name;
        let namespace = super::opt_str(&cont.namespace.as_ref().map(|n| n.0.clone()));
        let doc = super::opt_str(&cont.doc);
        let aliases = super::str_slice(&cont.aliases);
        // The check admitted `[u8; N]` or `AvroDuration`.
        let shape = if crate::internals::ast::is_duration(inner) {
            // Spelled `AvroDuration`: make sure it is ours.
            quote!({
                ::core::assert!(
                    ::core::matches!(<#inner as #krate::FieldType>::TYPE, #m::Type::Duration),
                    "#[record(fixed)] over `AvroDuration` needs kafka_model::duration::AvroDuration"
                );
                #m::Shape::Duration
            })
        } else {
            quote!(#m::Shape::Fixed(::core::mem::size_of::<#inner>()))
        };
        (
            quote! {
                static __MODEL: #m::Model = #m::Model {
                    rust_name: #rust_name,
                    name: #name,
                    namespace: #namespace,
                    doc: #doc,
                    aliases: #aliases,
                    serializer: "json",
                    deny_unknown_fields: false,
                    open_content: false,
                    json_id: #json_id,
                    min_properties: __k::None,
                    max_properties: __k::None,
                    tuple: false,
                    json_absent_items: 0,
                    parent: __k::None,
                    shape: #shape,
                };
                fn __model() -> &'static #m::Model {
                    &__MODEL
                }
            },
            quote!(#m::Type::Named(__model)),
        )
    } else {
        (
            TokenStream::new(),
            quote!(<#inner as #krate::FieldType>::TYPE),
        )
    };
    let full_name = if n.fixed {
        let full = match &cont.namespace {
            Some((ns, _)) if !ns.is_empty() => format!("{ns}.{}", cont.name),
            _ => cont.name.clone(),
        };
        quote!(__k::Some(#full))
    } else {
        quote!(<#inner as #krate::FieldType>::FULL_NAME)
    };
    // A newtype over a primitive the runtime makes a top-level `Record` (`String`, `i64`,
    // `Vec<u8>`, `()`, ...) is one too, with the primitive's schema: `struct OrderKey(String)` can
    // be a message key. (Spelled: a bound on a concrete type that does not hold is an error.)
    let rec = quote!(#krate::Record);
    // `Record::validate` is the trait's default (validates through this type's `Validate`).
    let validate = quote! {
        fn schema_cache() -> &'static #krate::SchemaCache {
            static CACHE: #krate::SchemaCache = #krate::SchemaCache::new();
            &CACHE
        }
    };
    // Validators on the inner field: the value's own rules. They need a model of the newtype's
    // own (its root JSON Schema carries them), so only a top-level `Record` takes them.
    let validated = !n.validators.is_empty();
    let top_level = !n.fixed && (is_top_level_primitive(inner) || is_top_level_collection(inner));
    let mut checks = Vec::new();
    let validators = super::validate::validators_model(krate, inner, &n.validators, &mut checks);
    if validated && !n.fixed && !top_level {
        let span = n.validators[0].span;
        checks.push(quote::quote_spanned!(span=> ::core::compile_error!(
            "validators on a newtype's field apply to a newtype that is a top-level Record (over String, i32, i64, f32, f64, bool, Vec<u8>, a list or a map); put them on the field of the record that holds this one"
        );));
    }
    if let (Some((_, span)), false) = (&n.name, top_level) {
        checks.push(quote::quote_spanned!(*span=> ::core::compile_error!(
            "#[record(name)] applies to a newtype that is a top-level Record (over String, i32, i64, f32, f64, bool, Vec<u8>, serde_json::Value, a list or a map), naming its schema; any other newtype is its inner type in every schema: put the attribute on the record that holds it"
        );));
    }
    // A top-level newtype with a name or a doc of its own (its JSON Schema `title` and
    // `description`) needs a model of its own, as validators do.
    if let (Some((_, span)), false, false) = (&cont.json_id, top_level, n.fixed) {
        checks.push(quote::quote_spanned!(*span=> ::core::compile_error!(
            "#[record(json_id)] applies to a newtype that is a top-level Record (over String, i32, i64, f32, f64, bool, Vec<u8>, serde_json::Value, a list or a map): its JSON Schema's `$id`"
        );));
    }
    let described = top_level && (n.name.is_some() || cont.doc.is_some() || cont.json_id.is_some());
    // The model of a newtype with a schema of its own that is its inner type's (a list, a map,
    // or a validated or described primitive), named after that type as a primitive's model is
    // unless `#[record(name)]` says otherwise.
    let own_model = |shape_validators: &TokenStream| {
        let rust_name = ident.to_string();
        let name = match &n.name {
            Some((name, _)) => quote!(#name),
            None => quote!(#krate::top_level_name(&__TYPE)),
        };
        let doc = super::opt_str(&cont.doc);
        quote! {
            fn model() -> &'static #m::Model {
                const __TYPE: #m::Type = <#inner as #krate::FieldType>::TYPE;
                static MODEL: #m::Model = #m::Model {
                    rust_name: #rust_name,
                    name: #name,
                    namespace: __k::None,
                    doc: #doc,
                    aliases: &[],
                    serializer: "json",
                    deny_unknown_fields: false,
                    open_content: false,
                    json_id: #json_id,
                    min_properties: __k::None,
                    max_properties: __k::None,
                    tuple: false,
                    json_absent_items: 0,
                    parent: __k::None,
                    shape: #m::Shape::Primitive(__TYPE, #shape_validators),
                };
                &MODEL
            }
        }
    };
    let record = if !n.fixed && is_top_level_primitive(inner) && (validated || described) {
        // Framed like the primitive (a top-level `bytes` is raw), validated with the rules.
        let model = own_model(&quote!(__VALIDATORS));
        quote! {
            impl #rec for #ident {
                #model
                #validate
                fn write_avro_framed(&self, __out: &mut __k::Vec<u8>) -> __k::Result<(), #krate::CodecError> {
                    <#inner as #rec>::write_avro_framed(&self.#member, __out)
                }
                fn from_avro_framed(__b: &[u8]) -> __k::Result<Self, #krate::CodecError> {
                    <#inner as #rec>::from_avro_framed(__b).map(#wrap)
                }
            }
        }
    } else if !n.fixed && is_top_level_primitive(inner) {
        quote! {
            impl #rec for #ident {
                fn model() -> &'static #m::Model {
                    <#inner as #rec>::model()
                }
                fn validate(&self) -> __k::Result<(), #v::ValidationErrors> {
                    <#inner as #rec>::validate(&self.#member)
                }
                fn schema_cache() -> &'static #krate::SchemaCache {
                    <#inner as #rec>::schema_cache()
                }
                fn write_avro_framed(&self, __out: &mut __k::Vec<u8>) -> __k::Result<(), #krate::CodecError> {
                    <#inner as #rec>::write_avro_framed(&self.#member, __out)
                }
                fn from_avro_framed(__b: &[u8]) -> __k::Result<Self, #krate::CodecError> {
                    <#inner as #rec>::from_avro_framed(__b).map(#wrap)
                }
            }
        }
    } else if n.fixed {
        // A named fixed is a top-level schema of its own (Avro allows any schema there).
        quote! {
            impl #rec for #ident {
                fn model() -> &'static #m::Model {
                    &__MODEL
                }
                #validate
            }
        }
    } else if is_top_level_collection(inner) {
        // A list or map: the Avro schema is the bare `array`/`map`, the model named after
        // it (as a primitive's is), so `<topic>-value` subjects and the name strategies work.
        let model = own_model(&quote!(__VALIDATORS));
        quote! {
            impl #rec for #ident {
                #model
                #validate
            }
        }
    } else {
        TokenStream::new()
    };
    // A newtype over a map key type (as spelled) is a map key too, written as the inner key.
    let key = if !n.fixed && is_map_key(inner) {
        let fk = quote!(#m::FieldKey);
        quote! {
            impl #fk for #ident {
                const KEY: __k::Option<#m::MapKey> = <#inner as #fk>::KEY;
                const EXPECTED: &'static str = <#inner as #fk>::EXPECTED;
                #[inline]
                fn key_text(&self) -> ::std::borrow::Cow<'_, str> {
                    #fk::key_text(&self.#member)
                }
                #[inline]
                fn key_text_len_hint(&self) -> usize {
                    #fk::key_text_len_hint(&self.#member)
                }
                #[inline]
                fn from_key_text(__t: &str) -> __k::Option<Self> {
                    <#inner as #fk>::from_key_text(__t).map(#wrap)
                }
            }
        }
    } else {
        TokenStream::new()
    };
    // With validators, the newtype checks them wherever its value is, then what the inner
    // value checks itself; without, it is the inner value.
    let validate_at = if validated {
        quote!(#krate::validate_field(&self.#member, __VALIDATORS, false, __path, __errors))
    } else {
        quote!(__k::Validate::validate_at(&self.#member, __path, __errors))
    };
    let validators_static = if validated || described || is_top_level_collection(inner) {
        quote!(static __VALIDATORS: &[#m::Validator] = #validators;)
    } else {
        TokenStream::new()
    };
    let import = super::import(cont);
    let checks = super::checks_item(&checks);
    quote! {
        #[automatically_derived]
        #[allow(non_upper_case_globals, clippy::all)]
        const _: () = {
            #import
            #checks
            #validators_static
            #model
            #record
            #key

            impl #krate::FieldType for #ident {
                const TYPE: #m::Type = #ty;
                const FULL_NAME: __k::Option<&'static str> = #full_name;
                #[inline]
                fn to_literal(&self) -> #m::Literal {
                    #krate::FieldType::to_literal(&self.#member)
                }
            }

            impl __k::AvroCodec for #ident {
                #[inline]
                fn avro_encode(&self, __o: &__k::FieldOptions, __out: &mut __k::Vec<u8>) -> __k::Result<(), __k::AvroEncodeError> {
                    <#inner as __k::AvroCodec>::avro_encode(&self.#member, __o, __out)
                }
                #[inline]
                fn avro_size_hint(&self, __o: &__k::FieldOptions) -> usize {
                    <#inner as __k::AvroCodec>::avro_size_hint(&self.#member, __o)
                }
                #[inline]
                fn avro_encode_null_last(&self, __o: &__k::FieldOptions, __out: &mut __k::Vec<u8>) -> __k::Result<(), __k::AvroEncodeError> {
                    <#inner as __k::AvroCodec>::avro_encode_null_last(&self.#member, __o, __out)
                }
                #[inline]
                fn avro_encode_branch(&self, __base: usize, __o: &__k::FieldOptions, __out: &mut __k::Vec<u8>) -> __k::Result<(), __k::AvroEncodeError> {
                    <#inner as __k::AvroCodec>::avro_encode_branch(&self.#member, __base, __o, __out)
                }
            }

            // The inner type's decoder, method for method (a union or `Vec<u8>` inside keeps
            // its wire form).
            impl<'__de> __k::AvroDecode<'__de> for #ident {
                const UNION_BRANCHES: usize = <#inner as __k::AvroDecode<'__de>>::UNION_BRANCHES;
                #[inline]
                fn avro_decode(__r: &mut __k::AvroReader<'__de>, __o: &__k::FieldOptions) -> __k::Result<Self, __k::AvroDecodeError> {
                    <#inner as __k::AvroDecode<'__de>>::avro_decode(__r, __o).map(#wrap)
                }
                #[inline]
                fn avro_decode_null_last(__r: &mut __k::AvroReader<'__de>, __o: &__k::FieldOptions) -> __k::Result<Self, __k::AvroDecodeError> {
                    <#inner as __k::AvroDecode<'__de>>::avro_decode_null_last(__r, __o).map(#wrap)
                }
                #[inline]
                fn avro_decode_branch(__b: usize, __r: &mut __k::AvroReader<'__de>, __o: &__k::FieldOptions) -> __k::Result<Self, __k::AvroDecodeError> {
                    <#inner as __k::AvroDecode<'__de>>::avro_decode_branch(__b, __r, __o).map(#wrap)
                }
            }

            impl __k::ProtoField for #ident {
                const PACKED: bool = <#inner as __k::ProtoField>::PACKED;
                #[inline]
                fn wire_type(__e: __k::IntEncoding) -> __k::WireType {
                    <#inner as __k::ProtoField>::wire_type(__e)
                }
                #[inline]
                fn is_default(&self) -> bool {
                    __k::ProtoField::is_default(&self.#member)
                }
                #[inline]
                fn encode_value(&self, __e: __k::IntEncoding, buf: &mut impl #bytes::BufMut) {
                    __k::ProtoField::encode_value(&self.#member, __e, buf)
                }
                #[inline]
                fn value_len(&self, __e: __k::IntEncoding) -> usize {
                    __k::ProtoField::value_len(&self.#member, __e)
                }
                #[inline]
                fn decode_value(
                    __w: __k::WireType,
                    __e: __k::IntEncoding,
                    buf: &mut impl #bytes::Buf,
                    depth: u32,
                ) -> __k::Result<Self, __k::ProtoError> {
                    <#inner as __k::ProtoField>::decode_value(__w, __e, buf, depth).map(#wrap)
                }
                #[inline]
                fn merge_value(
                    &mut self,
                    __w: __k::WireType,
                    __e: __k::IntEncoding,
                    buf: &mut impl #bytes::Buf,
                    depth: u32,
                ) -> __k::Result<(), __k::ProtoError> {
                    __k::ProtoField::merge_value(&mut self.#member, __w, __e, buf, depth)
                }
                fn absent() -> __k::Result<Self, __k::ProtoError> {
                    <#inner as __k::ProtoField>::absent().map(#wrap)
                }
                fn clear(&mut self) {
                    __k::ProtoField::clear(&mut self.#member)
                }
                #[inline]
                fn encode_field(&self, __t: u32, __e: __k::IntEncoding, buf: &mut impl #bytes::BufMut) {
                    __k::ProtoField::encode_field(&self.#member, __t, __e, buf)
                }
                #[inline]
                fn encoded_len_field(&self, __t: u32, __e: __k::IntEncoding) -> usize {
                    __k::ProtoField::encoded_len_field(&self.#member, __t, __e)
                }
                #[inline]
                fn encode_present(&self, __t: u32, __e: __k::IntEncoding, buf: &mut impl #bytes::BufMut) {
                    __k::ProtoField::encode_present(&self.#member, __t, __e, buf)
                }
                #[inline]
                fn encoded_len_present(&self, __t: u32, __e: __k::IntEncoding) -> usize {
                    __k::ProtoField::encoded_len_present(&self.#member, __t, __e)
                }
                #[inline]
                fn nested_encode(&self, __t: u32, __e: __k::IntEncoding, buf: &mut impl #bytes::BufMut) {
                    __k::ProtoField::nested_encode(&self.#member, __t, __e, buf)
                }
                #[inline]
                fn nested_len(&self, __t: u32, __e: __k::IntEncoding) -> usize {
                    __k::ProtoField::nested_len(&self.#member, __t, __e)
                }
                #[inline]
                fn nested_decode(
                    __w: __k::WireType,
                    __e: __k::IntEncoding,
                    buf: &mut impl #bytes::Buf,
                    depth: u32,
                ) -> __k::Result<Self, __k::ProtoError> {
                    <#inner as __k::ProtoField>::nested_decode(__w, __e, buf, depth).map(#wrap)
                }
                #[inline]
                fn nested_merge(
                    &mut self,
                    __w: __k::WireType,
                    __e: __k::IntEncoding,
                    buf: &mut impl #bytes::Buf,
                    depth: u32,
                ) -> __k::Result<(), __k::ProtoError> {
                    __k::ProtoField::nested_merge(&mut self.#member, __w, __e, buf, depth)
                }
            }

            impl #v::Validate for #ident {
                fn check(&self) -> __k::Result<(), #v::Invalid> {
                    __k::Validate::check(&self.#member)
                }
                fn validate_at(&self, __path: &#v::FieldPath<'_>, __errors: &mut #v::ValidationErrors) {
                    #validate_at
                }
                fn scalar(&self) -> #v::Scalar<'_> {
                    __k::Validate::scalar(&self.#member)
                }
                fn kind(&self) -> #v::Kind {
                    __k::Validate::kind(&self.#member)
                }
                fn length(&self) -> __k::Option<usize> {
                    __k::Validate::length(&self.#member)
                }
                fn for_each_child(&self, __f: &mut dyn FnMut(__k::Option<#v::Segment<'_>>, &dyn #v::Validate)) {
                    __k::Validate::for_each_child(&self.#member, __f)
                }
                fn nested() -> bool {
                    <#inner as #v::Validate>::nested()
                }
            }

            #krate::__proto_decode_owned!(#ident);
        };
    }
}

/// `String`, `bool` or an integer, as spelled (any path prefix): the map key types.
fn is_map_key(ty: &syn::Type) -> bool {
    let syn::Type::Path(p) = ty else {
        return false;
    };
    p.path.segments.last().is_some_and(|last| {
        matches!(last.arguments, syn::PathArguments::None)
            && matches!(
                last.ident.to_string().as_str(),
                "String" | "bool" | "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64"
            )
    })
}

/// `String`, `i32`, `i64`, `f32`, `f64`, `bool`, `Vec<u8>`, `()`, `Value` (serde_json's), as
/// spelled (any path prefix).
fn is_top_level_primitive(ty: &syn::Type) -> bool {
    let p = match ty {
        syn::Type::Tuple(t) => return t.elems.is_empty(),
        syn::Type::Path(p) => p,
        _ => return false,
    };
    let Some(last) = p.path.segments.last() else {
        return false;
    };
    match (&last.arguments, last.ident.to_string().as_str()) {
        (syn::PathArguments::None, "String" | "i32" | "i64" | "f32" | "f64" | "bool" | "Value") => {
            true
        }
        (syn::PathArguments::AngleBracketed(a), "Vec") => {
            matches!(a.args.first(), Some(syn::GenericArgument::Type(syn::Type::Path(u))) if u.path.is_ident("u8"))
                && a.args.len() == 1
        }
        _ => false,
    }
}

/// `Vec<T>` (but `Vec<u8>`, which is `bytes`), `HashMap`, `BTreeMap`, `IndexMap`, as spelled
/// (any path prefix): the newtypes that are a top-level Avro `array` or `map`.
fn is_top_level_collection(ty: &syn::Type) -> bool {
    let syn::Type::Path(p) = ty else {
        return false;
    };
    p.path.segments.last().is_some_and(|last| {
        matches!(last.arguments, syn::PathArguments::AngleBracketed(_))
            && match last.ident.to_string().as_str() {
                "Vec" => !is_top_level_primitive(ty),
                "HashMap" | "BTreeMap" | "IndexMap" => true,
                _ => false,
            }
    })
}
