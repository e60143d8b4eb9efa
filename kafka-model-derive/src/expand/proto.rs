//! Generated code for the proto part of `#[derive(Record)]`: items placed inside the derive's
//! `const _: () = { ... };` block, next to the `Record` impl.
//!
//! Records and enums with data get `kafka_model::protobuf::ProtoMessage` (their fields, one call
//! per field into the runtime's `ProtoField`), `ProtoField` (as a nested message) and, with
//! kafka-model's `prost-message` feature, `prost::Message` (the runtime's `__prost_message!`
//! writes it, so the feature decides); unit-only enums get `ProtoField` (a proto enum).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::spanned::Spanned;

use crate::internals::ast::{Container, Data, Field, Payload, Symbol, Variant};
use crate::internals::attr::IntEncoding;

use super::Segment;

/// Paths used by the generated code.
struct Paths {
    /// `kafka_model::__private::in_field`: adds the field to an error's path (no closure per
    /// field).
    in_field: TokenStream,
    s: TokenStream,
    bytes: TokenStream,
}

/// Items for `cont`. Members the model leaves out
/// (`#[serde(skip)]` fields, filled with `Default::default()` when decoding, as serde does).
pub fn expand(cont: &Container) -> TokenStream {
    let krate = &cont.krate;
    let paths = Paths {
        in_field: quote!(#krate::in_field),
        s: quote!(#krate::ps),
        bytes: quote!(#krate::bytes),
    };
    match &cont.data {
        Data::Struct(fields) => record(cont, fields, &cont.skipped, &paths),
        Data::UnitEnum(symbols) => unit_enum(cont, symbols, &paths),
        Data::Union(_, variants) => union(cont, variants, &paths),
        Data::Newtype(_) => TokenStream::new(),
    }
}

fn enc_tokens(enc: Option<IntEncoding>) -> TokenStream {
    match enc {
        None => quote!(__k::Varint),
        Some(IntEncoding::Zigzag) => quote!(__k::IntEncoding::Zigzag),
        Some(IntEncoding::Fixed) => quote!(__k::IntEncoding::Fixed),
    }
}

/// Pieces of code for a list of fields accessed through `access(member)`.
struct FieldCode {
    len: TokenStream,
    encode: TokenStream,
    merge_arms: TokenStream,
    clear: TokenStream,
    /// Slot declarations, decode arms, the statements taking the values out of the slots and
    /// the struct-literal members, for a fresh decode.
    slots: TokenStream,
    slot_arms: TokenStream,
    finish_lets: TokenStream,
    finish: TokenStream,
    /// `let __fs = <the fields' models>;` for the merge code (the decode's `slots` hold it).
    models_let: TokenStream,
}

/// `read(member)` is how the encoders reach a field (`&self.x`), `write(member)` how the merge
/// and clear code does (`&mut self.x`); a variant's bindings serve for both. `models` is the
/// fields' `model::Field`s (which the runs read numbers and encodings from).
fn field_code(
    fields: &[Field],
    skipped: &[syn::Member],
    models: TokenStream,
    read: impl Fn(&syn::Member) -> TokenStream,
    write: impl Fn(&syn::Member) -> TokenStream,
    paths: &Paths,
) -> FieldCode {
    let Paths { s, in_field, .. } = paths;
    let mut len = quote!(0usize);
    let mut encode = TokenStream::new();
    let mut merge_arms = TokenStream::new();
    let mut clear = TokenStream::new();
    let mut slots = TokenStream::new();
    let mut slot_arms = TokenStream::new();
    let mut finish = TokenStream::new();
    let oneof = |f: &Field| {
        let ty = &f.ty;
        // Spanned at the field's type: a type that is no enum with data is an error there.
        super::respan(quote!(<#ty as #s::OneofField>), f.ty.span())
    };
    // Written in field-number order whatever the declaration order, as protoc-generated code
    // and upb do, so our bytes equal theirs (a stable sort: equal numbers are a checked error).
    let mut by_number: Vec<(usize, &Field)> = fields.iter().enumerate().collect();
    by_number.sort_by_key(|(_, f)| f.tag);
    // A oneof's members carry their own numbers and keys (the enum's `ProtoMessage` form).
    let segs = super::segments(by_number, |f| f.oneof.is_some());
    let mut uses_models = false;
    for seg in &segs {
        match seg {
            Segment::Run { start, fields } => {
                uses_models = true;
                let values = fields.iter().map(|f| read(&f.member));
                let end = start + fields.len();
                let (tuple, fs) = (quote!((#(#values,)*)), quote!(&__fs[#start..#end]));
                len.extend(quote!(+ __k::ProtoEncodeFields::len_fields(#tuple, #fs)));
                encode.extend(quote!(__k::ProtoEncodeFields::encode_fields(#tuple, #fs, buf);));
            }
            Segment::Own(f) => {
                let (of, value) = (oneof(f), read(&f.member));
                len.extend(quote!(+ #of::oneof_len(#value)));
                encode.extend(quote!(#of::oneof_encode(#value, buf);));
            }
        }
    }
    if uses_models {
        len = quote!({ let __fs = #models; #len });
        encode = quote!({ let __fs = #models; #encode });
    }
    // Clearing needs no models: every plain field in declaration order, a run per `RUN`.
    for seg in super::segments(fields.iter().enumerate(), |f| f.oneof.is_some()) {
        match seg {
            Segment::Run { fields, .. } => {
                let values = fields.iter().map(|f| write(&f.member));
                clear.extend(quote!(__k::ProtoClearFields::clear_fields((#(#values,)*));));
            }
            Segment::Own(f) => {
                let (of, value) = (oneof(f), write(&f.member));
                clear.extend(quote!(#of::oneof_clear(#value);));
            }
        }
    }
    // Decoding and merging: a run's fields through one call, in declaration order; a oneof
    // member is tried after the plain fields' numbers (nothing is read when the number is not
    // a member).
    let mut finish_lets = TokenStream::new();
    for (r, seg) in super::segments(fields.iter().enumerate(), |f| f.oneof.is_some())
        .iter()
        .enumerate()
    {
        match seg {
            Segment::Run { start, fields: run } => {
                let end = start + run.len();
                let fs = quote!(&__fs[#start..#end]);
                let values = run.iter().map(|f| write(&f.member));
                merge_arms.extend(quote! {
                    tag if __k::ProtoMergeFields::merge_tag((#(#values,)*), #fs, tag, wire_type, buf, depth)? => __k::Result::<(), __k::ProtoError>::Ok(()),
                });
                let (tys, run_slot) = (run.iter().map(|f| &f.ty), format_ident!("__run{}", r));
                slots
                    .extend(quote!(let mut #run_slot = __k::ProtoDecodeRun::<(#(#tys,)*)>::new();));
                slot_arms.extend(quote! {
                    tag if #run_slot.merge(#fs, tag, wire_type, buf, depth)? => __k::Result::<(), __k::ProtoError>::Ok(()),
                });
                let locals = (*start..end).map(|i| format_ident!("__f{}", i));
                let call = super::try_run(quote!(#run_slot.finish(#fs)));
                finish_lets.extend(quote!(let (#(#locals,)*) = #call;));
            }
            Segment::Own(_) => {}
        }
    }
    for (i, f) in fields.iter().enumerate() {
        let (member, ty, name) = (&f.member, &f.ty, &f.name);
        if f.oneof.is_none() {
            let local = format_ident!("__f{}", i);
            finish.extend(quote!(#member: #local,));
            continue;
        }
        let (of, value, slot) = (oneof(f), write(member), format_ident!("__slot{}", i));
        merge_arms.extend(quote! {
            tag if #in_field(#of::oneof_merge(#value, tag, wire_type, buf, depth), #name)? => __k::Result::<(), __k::ProtoError>::Ok(()),
        });
        slots.extend(quote!(let mut #slot: __k::Option<#ty> = __k::None;));
        slot_arms.extend(quote! {
            tag if #in_field(#of::oneof_merge_slot(&mut #slot, tag, wire_type, buf, depth), #name)? => __k::Result::<(), __k::ProtoError>::Ok(()),
        });
        let value = super::try_field(
            quote!(#of::oneof_finish(#slot)),
            &quote!(__k::ProtoError),
            name,
        );
        finish.extend(quote!(#member: #value,));
    }
    for m in skipped {
        finish.extend(quote!(#m: __k::Default::default(),));
    }
    let models_let = match fields.iter().any(|f| f.oneof.is_none()) {
        true => quote!(let __fs = #models;),
        false => TokenStream::new(),
    };
    FieldCode {
        len,
        encode,
        merge_arms,
        clear,
        slots: quote!(#models_let #slots),
        slot_arms,
        finish_lets,
        finish,
        models_let,
    }
}

/// Reads fields until `end` into the slots, then builds `value` from them: a message's (or a
/// struct variant's) fresh decode.
fn decode_loop(
    paths: &Paths,
    slots: &TokenStream,
    slot_arms: &TokenStream,
    finish_lets: &TokenStream,
    value: TokenStream,
) -> TokenStream {
    let Paths { s, bytes, .. } = paths;
    quote! {
        #slots
        while #bytes::Buf::remaining(buf) > end {
            let (tag, wire_type) = #s::decode_key(buf)?;
            match tag {
                #slot_arms
                _ => #s::skip_field(wire_type, tag, buf),
            }?;
        }
        #s::check_end(buf, end)?;
        #finish_lets
        __k::Ok(#value)
    }
}

/// `prost::Message` (with kafka-model's `prost-message` feature) for a type implementing
/// `ProtoMessage`; `ProtoField` (as a nested message) is the runtime's blanket impl.
fn message_impls(cont: &Container, _paths: &Paths) -> TokenStream {
    let (ident, krate) = (&cont.ident, &cont.krate);
    quote! {
        // With kafka-model's `prost-message` feature: `prost::Message`.
        #krate::__prost_message!(#ident);
    }
}

fn record(
    cont: &Container,
    fields: &[Field],
    skipped: &[syn::Member],
    paths: &Paths,
) -> TokenStream {
    let bytes = &paths.bytes;
    let ident = &cont.ident;
    let name = &cont.name;
    let FieldCode {
        len,
        encode,
        merge_arms,
        clear,
        slots,
        slot_arms,
        finish_lets,
        finish,
        models_let,
    } = field_code(
        fields,
        skipped,
        quote!(__k::record_fields::<Self>()),
        |m| quote!(&self.#m),
        |m| quote!(&mut self.#m),
        paths,
    );
    let messages = message_impls(cont, paths);
    // A record whose fields are one run (no oneof, at most `RUN` fields: most records) merges
    // and decodes through one runtime call each, the tag loop included. The same cut as
    // `field_code`'s decode and merge code.
    let segs = super::segments(fields.iter().enumerate(), |f| f.oneof.is_some());
    let one_run = super::one_run(&segs, fields.len()).map(|run| {
            let n = run.len();
            let (tys, writes) = (run.iter().map(|f| &f.ty), run.iter().map(|f| &f.member));
            let locals = (0..n).map(|i| format_ident!("__f{}", i));
            let call = super::try_run(quote!(__k::ProtoDecodeRun::<(#(#tys,)*)>::decode(buf, end, depth, &__k::record_fields::<Self>()[0..#n])));
            let merge = quote!(__k::ProtoMergeFields::merge_tag((#(&mut self.#writes,)*), &__k::record_fields::<Self>()[0..#n], tag, wire_type, buf, depth));
            let decode = quote! {
                let (#(#locals,)*) = #call;
                __k::Ok(#ident { #finish })
            };
            (merge, decode)
        });
    // A message without fields knows no tag (and a `match` of only `_ => return` would make the
    // `Ok(true)` after it unreachable).
    let merge_body = if let Some((merge, _)) = &one_run {
        merge.clone()
    } else if fields.is_empty() {
        quote!(__k::Ok(false))
    } else {
        quote! {
            #models_let
            match tag {
                #merge_arms
                _ => return __k::Ok(false),
            }?;
            __k::Ok(true)
        }
    };
    let decode_body = match one_run {
        Some((_, decode)) => decode,
        None => decode_loop(
            paths,
            &slots,
            &slot_arms,
            &finish_lets,
            quote!(#ident { #finish }),
        ),
    };
    quote! {
        #[allow(unused_variables, unused_mut)]
        impl __k::ProtoMessage for #ident {
            const NAME: &'static str = #name;

            #[inline]
            fn raw_len(&self) -> usize {
                #len
            }
            #[inline]
            fn encode_raw(&self, buf: &mut impl #bytes::BufMut) {
                #encode
            }
            fn merge_field(
                &mut self,
                tag: u32,
                wire_type: __k::WireType,
                buf: &mut impl #bytes::Buf,
                depth: u32,
            ) -> __k::Result<bool, __k::ProtoError> {
                #merge_body
            }
            fn decode_fields(
                buf: &mut impl #bytes::Buf,
                end: usize,
                depth: u32,
            ) -> __k::Result<Self, __k::ProtoError> {
                #decode_body
            }
            #[inline]
            fn clear_fields(&mut self) {
                #clear
            }
        }

        #messages
    }
}

fn unit_enum(cont: &Container, symbols: &[Symbol], paths: &Paths) -> TokenStream {
    let Paths { s, bytes, .. } = paths;
    let ident = &cont.ident;
    let name = &cont.name;
    let to_number = symbols.iter().map(|sym| {
        let (v, n) = (&sym.ident, sym.tag as i32);
        quote!(#ident::#v => #n)
    });
    let from_number = symbols.iter().map(|sym| {
        let (v, n) = (&sym.ident, sym.tag as i32);
        quote!(#n => __k::Ok(#ident::#v))
    });
    let default = symbols.iter().find(|sym| sym.is_default);
    let fallback = match default {
        Some(sym) => {
            let v = &sym.ident;
            quote!(__k::Ok(#ident::#v))
        }
        None => quote!(__k::Err(#s::unknown_enum(#name, n))),
    };
    let clear = match default.or(symbols.first()) {
        Some(sym) => {
            let v = &sym.ident;
            quote!(*self = #ident::#v;)
        }
        None => TokenStream::new(),
    };
    // An open enum (`#[record(unknown)] Other(i32)`) keeps the numbers it does not declare.
    let (unknown_to, fallback) = match &cont.unknown_variant {
        Some(u) => (quote!(#ident::#u(n) => *n,), quote!(__k::Ok(#ident::#u(n)))),
        None => (TokenStream::new(), fallback),
    };
    let to_number = quote!(match self { #(#to_number,)* #unknown_to });
    // A symbol numbered 0 is the proto3 default: a field holding it is not written.
    let is_default = symbols.iter().find(|sym| sym.tag == 0).map(|sym| {
        let v = &sym.ident;
        quote! {
            #[inline]
            fn is_default(&self) -> bool {
                ::core::matches!(self, #ident::#v)
            }
        }
    });
    // Without a symbol numbered 0, an open enum holds the zero value as its unknown number.
    let is_default = is_default.or_else(|| {
        cont.unknown_variant.as_ref().map(|u| {
            quote! {
                #[inline]
                fn is_default(&self) -> bool {
                    ::core::matches!(self, #ident::#u(0))
                }
            }
        })
    });
    quote! {
        #[inline]
        fn __kafka_model_enum_from_number(n: i32) -> __k::Result<#ident, __k::ProtoError> {
            match n {
                #(#from_number,)*
                _ => #fallback,
            }
        }

        #[allow(unused_variables, unreachable_patterns)]
        impl __k::ProtoField for #ident {
            const PACKED: bool = true;

            #is_default

            #[inline]
            fn wire_type(_: __k::IntEncoding) -> __k::WireType {
                __k::WireType::Varint
            }
            #[inline]
            fn encode_value(&self, _: __k::IntEncoding, buf: &mut impl #bytes::BufMut) {
                #s::put_enum_number(#to_number, buf)
            }
            #[inline]
            fn value_len(&self, _: __k::IntEncoding) -> usize {
                #s::enum_number_len(#to_number)
            }
            #[inline]
            fn decode_value(
                wire_type: __k::WireType,
                _: __k::IntEncoding,
                buf: &mut impl #bytes::Buf,
                depth: u32,
            ) -> __k::Result<Self, __k::ProtoError> {
                __kafka_model_enum_from_number(#s::read_enum_number(wire_type, buf)?)
            }
            #[inline]
            fn absent() -> __k::Result<Self, __k::ProtoError> {
                __kafka_model_enum_from_number(0)
            }
            #[inline]
            fn clear(&mut self) {
                #clear
            }
        }
    }
}

fn union(cont: &Container, variants: &[Variant], paths: &Paths) -> TokenStream {
    let Paths { s, bytes, .. } = paths;
    let ident = &cont.ident;
    let name = &cont.name;

    let mut len_arms = Vec::new();
    let mut encode_arms = Vec::new();
    let mut merge_arms = Vec::new();
    let mut fresh_arms = Vec::new();
    let mut clear_arms = Vec::new();
    for (index, v) in variants.iter().enumerate() {
        let (vident, tag, vname) = (&v.ident, v.tag, &v.name);
        match &v.payload {
            // The nested form: a list or map member is its wrapper message (a oneof member
            // cannot be repeated); for anything else it is the plain member.
            Payload::Newtype(_) => {
                let enc = enc_tokens(v.int_encoding.map(|e| e.0));
                len_arms
                    .push(quote!(#ident::#vident(x) => __k::ProtoField::nested_len(x, #tag, #enc)));
                encode_arms.push(
                    quote!(#ident::#vident(x) => __k::ProtoField::nested_encode(x, #tag, #enc, buf)),
                );
                merge_arms.push(quote! {
                    #ident::#vident(x) if tag == #tag => {
                        __k::ProtoField::nested_merge(x, wire_type, #enc, buf, depth)
                            .map_err(|e| e.in_field(#vname))?;
                        return __k::Ok(true);
                    }
                });
                fresh_arms.push(quote! {
                    #tag => #ident::#vident(
                        __k::ProtoField::nested_decode(wire_type, #enc, buf, depth)
                            .map_err(|e| e.in_field(#vname))?,
                    ),
                });
                clear_arms.push(quote!(#ident::#vident(x) => __k::ProtoField::clear(x)));
            }
            Payload::Struct(_) | Payload::Unit => {
                let empty = Vec::new();
                let fields = match &v.payload {
                    Payload::Struct(f) => f,
                    _ => &empty,
                };
                let skipped = v.skipped.clone();
                let members: Vec<_> = fields.iter().map(|f| &f.member).collect();
                let pat = match &v.payload {
                    Payload::Struct(_) => quote!(#ident::#vident { #(#members,)* .. }),
                    _ => quote!(#ident::#vident),
                };
                let FieldCode {
                    len,
                    encode,
                    merge_arms: inner_merge,
                    clear,
                    slots,
                    slot_arms,
                    finish_lets,
                    finish,
                    models_let,
                } = field_code(
                    fields,
                    &skipped,
                    quote!(__k::variant_fields_of::<#ident>(#index)),
                    |m| quote!(#m),
                    |m| quote!(&mut *#m),
                    paths,
                );
                let construct = match &v.payload {
                    Payload::Struct(_) => quote!(#ident::#vident { #finish }),
                    _ => quote!(#ident::#vident),
                };
                len_arms.push(quote!(#pat => #s::nested_len(#tag, #len)));
                encode_arms.push(quote!(#pat => {
                    #s::encode_nested_key(#tag, #len, buf);
                    #encode
                }));
                merge_arms.push(quote! {
                    #pat if tag == #tag => {
                        (|| -> __k::Result<(), __k::ProtoError> {
                            #s::check_wire_type(__k::WireType::LengthDelimited, wire_type)?;
                            let depth = #s::enter_message(depth)?;
                            let end = #s::enter_len(buf)?;
                            #models_let
                            while #bytes::Buf::remaining(buf) > end {
                                let (tag, wire_type) = #s::decode_key(buf)?;
                                match tag {
                                    #inner_merge
                                    _ => #s::skip_field(wire_type, tag, buf),
                                }?;
                            }
                            #s::check_end(buf, end)
                        })()
                        .map_err(|e| e.in_field(#vname))?;
                        return __k::Ok(true);
                    }
                });
                let decode = decode_loop(paths, &slots, &slot_arms, &finish_lets, construct);
                fresh_arms.push(quote! {
                    #tag => (|| -> __k::Result<#ident, __k::ProtoError> {
                        #s::check_wire_type(__k::WireType::LengthDelimited, wire_type)?;
                        let depth = #s::enter_message(depth)?;
                        let end = #s::enter_len(buf)?;
                        #decode
                    })()
                    .map_err(|e| e.in_field(#vname))?,
                });
                clear_arms.push(quote!(#pat => { #clear }));
            }
        }
    }
    let messages = message_impls(cont, paths);
    quote! {
        #[allow(unused_variables, unused_mut, unreachable_patterns, clippy::redundant_closure_call)]
        fn __kafka_model_fresh_variant(
            tag: u32,
            wire_type: __k::WireType,
            buf: &mut impl #bytes::Buf,
            depth: u32,
        ) -> __k::Result<__k::Option<#ident>, __k::ProtoError> {
            __k::Ok(__k::Some(match tag {
                #(#fresh_arms)*
                _ => return __k::Ok(__k::None),
            }))
        }

        impl #s::ProtoOneof for #ident {
            fn decode_member(
                tag: u32,
                wire_type: __k::WireType,
                buf: &mut impl #bytes::Buf,
                depth: u32,
            ) -> __k::Result<__k::Option<Self>, __k::ProtoError> {
                __kafka_model_fresh_variant(tag, wire_type, buf, depth)
            }
        }

        #[allow(unused_variables, unused_mut, unreachable_patterns, clippy::redundant_closure_call)]
        impl __k::ProtoMessage for #ident {
            const NAME: &'static str = #name;

            #[inline]
            fn raw_len(&self) -> usize {
                match self { #(#len_arms,)* }
            }
            #[inline]
            fn encode_raw(&self, buf: &mut impl #bytes::BufMut) {
                match self { #(#encode_arms,)* }
            }
            fn merge_field(
                &mut self,
                tag: u32,
                wire_type: __k::WireType,
                buf: &mut impl #bytes::Buf,
                depth: u32,
            ) -> __k::Result<bool, __k::ProtoError> {
                match self {
                    #(#merge_arms)*
                    _ => {}
                }
                match __kafka_model_fresh_variant(tag, wire_type, buf, depth)? {
                    __k::Some(v) => {
                        *self = v;
                        __k::Ok(true)
                    }
                    __k::None => __k::Ok(false),
                }
            }
            fn decode_fields(
                buf: &mut impl #bytes::Buf,
                end: usize,
                depth: u32,
            ) -> __k::Result<Self, __k::ProtoError> {
                let mut current: __k::Option<Self> = __k::None;
                while #bytes::Buf::remaining(buf) > end {
                    let (tag, wire_type) = #s::decode_key(buf)?;
                    let known = match &mut current {
                        __k::Some(v) => {
                            __k::ProtoMessage::merge_field(v, tag, wire_type, buf, depth)?
                        }
                        __k::None => {
                            match __kafka_model_fresh_variant(tag, wire_type, buf, depth)? {
                                __k::Some(v) => {
                                    current = __k::Some(v);
                                    true
                                }
                                __k::None => false,
                            }
                        }
                    };
                    if !known {
                        #s::skip_field(wire_type, tag, buf)?;
                    }
                }
                #s::check_end(buf, end)?;
                current.ok_or_else(|| #s::missing_oneof(#name))
            }
            #[inline]
            fn clear_fields(&mut self) {
                match self { #(#clear_arms,)* }
            }
        }

        #messages
    }
}

/// `ProtoDecode<'de>` of a borrowed view (`struct Event<'a>`): the record decoder above
/// (slots, field-number arms, unknown fields skipped, repeated occurrences merged), over a
/// `&'de [u8]` cursor and `ProtoDecode`, which borrows `&'a str`, `&'a [u8]`, `Cow`.
pub fn expand_borrowed(cont: &Container, lifetime: &syn::Lifetime) -> TokenStream {
    let krate = &cont.krate;
    let ident = &cont.ident;
    let name = &cont.name;
    let b = quote!(#krate::protobuf::borrow::__private);
    let in_field = quote!(#krate::in_field);
    let Data::Struct(fields) = &cont.data else {
        return TokenStream::new();
    };
    let mut slots = TokenStream::new();
    let mut slot_arms = TokenStream::new();
    let mut merge_arms = TokenStream::new();
    let mut finish = TokenStream::new();
    for (i, f) in fields.iter().enumerate() {
        let (member, ty, tag, fname) = (&f.member, &f.ty_decl, f.tag, &f.name);
        let enc = enc_tokens(f.int_encoding);
        let slot = format_ident!("__slot{}", i);
        slots.extend(quote!(let mut #slot: __k::Option<#ty> = __k::None;));
        slot_arms.extend(quote! {
            #tag => #in_field(#b::merge_slot(&mut #slot, wire_type, #enc, buf, depth), #fname),
        });
        merge_arms.extend(quote! {
            #tag => #in_field(<#ty as __k::ProtoDecode<'__de>>::proto_merge(&mut self.#member, wire_type, #enc, buf, depth), #fname),
        });
        let value = super::try_field(
            quote!(#b::finish_slot(#slot)),
            &quote!(__k::ProtoError),
            fname,
        );
        finish.extend(quote!(#member: #value,));
    }
    for m in &cont.skipped {
        finish.extend(quote!(#m: __k::Default::default(),));
    }
    quote! {
        #[allow(unused_variables, unused_mut)]
        impl<'__de: #lifetime, #lifetime> __k::ProtoDecode<'__de> for #ident<#lifetime> {
            #[inline]
            fn proto_decode(
                wire_type: __k::WireType,
                _: __k::IntEncoding,
                buf: &mut &'__de [u8],
                depth: u32,
            ) -> __k::Result<Self, __k::ProtoError> {
                let (end, depth) = #b::enter(wire_type, buf, depth)?;
                <Self as __k::ProtoDecode<'__de>>::proto_decode_fields(buf, end, depth)
            }
            #[inline]
            fn proto_merge(
                &mut self,
                wire_type: __k::WireType,
                _: __k::IntEncoding,
                buf: &mut &'__de [u8],
                depth: u32,
            ) -> __k::Result<(), __k::ProtoError> {
                let (end, depth) = #b::enter(wire_type, buf, depth)?;
                while buf.len() > end {
                    let (tag, wire_type) = #b::decode_key(buf)?;
                    match tag {
                        #merge_arms
                        _ => #b::skip_field(wire_type, tag, buf),
                    }?;
                }
                #b::check_end(buf, end)
            }
            #[inline]
            fn proto_absent() -> __k::Result<Self, __k::ProtoError> {
                <Self as __k::ProtoDecode<'__de>>::proto_decode_fields(&mut &[][..], 0, 0)
            }
            #[inline]
            fn proto_decode_fields(
                buf: &mut &'__de [u8],
                end: usize,
                depth: u32,
            ) -> __k::Result<Self, __k::ProtoError> {
                #slots
                while buf.len() > end {
                    let (tag, wire_type) = #b::decode_key(buf)?;
                    match tag {
                        #slot_arms
                        _ => #b::skip_field(wire_type, tag, buf),
                    }?;
                }
                #b::check_end(buf, end)?;
                __k::Ok(#ident { #finish })
            }
            #[inline]
            fn proto_decode_message(bytes: &'__de [u8]) -> __k::Result<Self, __k::ProtoError> {
                #b::decode_top(#name, bytes)
            }
        }
    }
}
