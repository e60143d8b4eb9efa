//! Code generation: reads only the checked [`Container`] and writes the `static` model, the
//! `Record` and `FieldType` impls, and compile-time checks spanned at the offending items.
//!
//! The generated functions that are not generic (`to_literal`, `validate`, `decode_message`,
//! ...) carry `#[inline]`: rustc compiles a non-generic function in the crate that defines it
//! whether anything calls it or not, and with it every generic runtime function it reaches (the
//! Protobuf decoder, `to_literal` of each field type, ...), per model; an `#[inline]` one is
//! compiled only where it is called, as serde's generic impls are (issue 19: the derive's cost
//! in a crate of models). Optimised code is unchanged: these are small and mostly inlined.

use proc_macro2::{Group, Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

mod avro;
mod export;
mod newtype;
mod proto;
mod validate;

use crate::internals::ast::{Container, Data, Field, FieldDefault, Payload, ProtoName, Tagging};
use crate::internals::attr::{IntEncoding, OptionUnion};

/// `use <crate>::__d as __k;`, first in every generated block: the generated code names the
/// runtime's items as `__k::Ok`, `__k::ProtoField`, ... (`Container::krate`).
fn import(cont: &Container) -> TokenStream {
    let path = &cont.crate_path;
    quote!(use #path::__d as __k;)
}

/// Gives every token the span `span`, so an error in generated code (a const check, a missing
/// trait impl) points at the user's field rather than at `#[derive(Record)]`.
fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tt| {
            if let TokenTree::Group(g) = &tt {
                let mut group = Group::new(g.delimiter(), respan(g.stream(), span));
                group.set_span(span);
                tt = TokenTree::Group(group);
            } else {
                tt.set_span(span);
            }
            tt
        })
        .collect()
}

/// `call?`, adding the field `name` to the error (of type `err`), written as a plain `match`:
/// `?` asks rustc to resolve two trait calls (`Try::branch`, and `FromResidual` with its `From`
/// lookup) and `__private::in_field` a third, per field and codec function; in a crate of
/// models these add up (issue 19). The error's own `in_field` is an inherent method.
fn try_field(call: TokenStream, err: &TokenStream, name: &str) -> TokenStream {
    quote! {
        match #call {
            __k::Ok(__v) => __v,
            __k::Err(__e) => {
                return __k::Err(#err::in_field(__e, #name))
            }
        }
    }
}

/// The most fields one generated run call takes: the runtime implements its run traits for
/// tuples of up to this many (`kafka_model::avro::fields`, `protobuf::fields`).
const RUN: usize = 12;

/// A record's fields as the generated codecs visit them: runs of consecutive plain fields,
/// each one call on a tuple (`start` is the first field's index in the model's field list),
/// and fields that need code of their own.
enum Segment<'a> {
    Run {
        start: usize,
        fields: Vec<&'a Field>,
    },
    Own(&'a Field),
}

/// `fields` (with their indexes in the model, in the order the codec writes them) cut into
/// [`Segment`]s: a run ends at a field that needs its own code (`own`), at a gap in the
/// indexes (Protobuf writes in field-number order) and at [`RUN`] fields.
fn segments<'a>(
    fields: impl IntoIterator<Item = (usize, &'a Field)>,
    own: impl Fn(&Field) -> bool,
) -> Vec<Segment<'a>> {
    let mut out = Vec::new();
    for (i, f) in fields {
        if own(f) {
            out.push(Segment::Own(f));
            continue;
        }
        match out.last_mut() {
            Some(Segment::Run { start, fields })
                if *start + fields.len() == i && fields.len() < RUN =>
            {
                fields.push(f)
            }
            _ => out.push(Segment::Run {
                start: i,
                fields: vec![f],
            }),
        }
    }
    out
}

/// The fields of a record that is all one run (`segments` made a single `Run` of every one of
/// its `count` fields): its codecs are then one runtime call each, with no code around them.
fn one_run<'s, 'a>(segs: &'s [Segment<'a>], count: usize) -> Option<&'s [&'a Field]> {
    match segs {
        [Segment::Run { fields, .. }] if fields.len() == count => Some(fields),
        _ => None,
    }
}

/// `call`'s value, or return its error (a run's errors already name their field).
fn try_run(call: TokenStream) -> TokenStream {
    quote! {
        match #call {
            __k::Ok(__v) => __v,
            __k::Err(__e) => return __k::Err(__e),
        }
    }
}

/// The `T` of every `Box<T>` written in `ty` (`Option<Box<Node>>`, `Vec<Box<T>>`): Protobuf
/// boxes messages only, checked at the field rather than as a trait error at the derive.
fn boxed_types(ty: &syn::Type) -> Vec<&syn::Type> {
    let mut out = Vec::new();
    if let syn::Type::Path(p) = ty {
        for seg in &p.path.segments {
            if let syn::PathArguments::AngleBracketed(args) = &seg.arguments {
                for arg in &args.args {
                    if let syn::GenericArgument::Type(inner) = arg {
                        if seg.ident == "Box" {
                            out.push(inner);
                        }
                        out.extend(boxed_types(inner));
                    }
                }
            }
        }
    }
    out
}

fn opt_str(s: &Option<String>) -> TokenStream {
    match s {
        Some(s) => quote!(__k::Some(#s)),
        None => quote!(__k::None),
    }
}

fn str_slice(items: &[String]) -> TokenStream {
    quote!(&[#(#items),*])
}

/// The `Model` literal of a struct or enum (the owned `Record` and a borrowed view share it).
fn model_literal(cont: &Container, shape: &TokenStream) -> TokenStream {
    let krate = &cont.krate;
    let m = quote!(#krate::model);
    let rust_name = cont.ident.to_string();
    let name = &cont.name;
    let namespace = opt_str(&cont.namespace.as_ref().map(|n| n.0.clone()));
    let doc = opt_str(&cont.doc);
    let aliases = str_slice(&cont.aliases);
    let serializer = &cont.serializer.0;
    let deny = cont.deny_unknown_fields;
    let open = cont.open_content;
    let json_id = opt_str(&cont.json_id.as_ref().map(|(id, _)| id.clone()));
    let opt_usize = |n: Option<usize>| match n {
        Some(n) => quote!(__k::Some(#n)),
        None => quote!(__k::None),
    };
    let (min_properties, max_properties) =
        (opt_usize(cont.properties.0), opt_usize(cont.properties.1));
    let tuple = cont.tuple;
    let absent_items = cont.absent_items;
    let parent = match &cont.parent {
        Some(p) => {
            let model = respan(quote!(<#p as #krate::Record>::model), p.span());
            quote!(__k::Some(#model))
        }
        None => quote!(__k::None),
    };
    quote! {
        #m::Model {
            rust_name: #rust_name,
            name: #name,
            namespace: #namespace,
            doc: #doc,
            aliases: #aliases,
            serializer: #serializer,
            deny_unknown_fields: #deny,
            open_content: #open,
            json_id: #json_id,
            min_properties: #min_properties,
            max_properties: #max_properties,
            tuple: #tuple,
            json_absent_items: #absent_items,
            shape: #shape,
            parent: #parent,
        }
    }
}

pub fn expand(cont: &Container) -> TokenStream {
    if let Data::Newtype(n) = &cont.data {
        return newtype::expand(cont, n);
    }
    let krate = &cont.krate;
    let ident = &cont.ident;
    let rust_name = ident.to_string();
    let namespace = opt_str(&cont.namespace.as_ref().map(|n| n.0.clone()));
    let (serializer, serializer_span) = &cont.serializer;
    let deny = cont.deny_unknown_fields;
    let open = cont.open_content;
    let m = quote!(#krate::model);
    let full = |name: &str| match &cont.namespace {
        Some((ns, _)) if !ns.is_empty() => format!("{ns}.{name}"),
        _ => name.to_string(),
    };
    // An enum with data is an Avro union, not a named type.
    let full_name = match &cont.data {
        Data::Union(..) => quote!(__k::None),
        _ => {
            let f = full(&cont.name);
            quote!(__k::Some(#f))
        }
    };

    let mut checks = Vec::new();
    let mut statics = Vec::new();
    let (shape, to_literal) = match &cont.data {
        Data::Newtype(_) => unreachable!("handled above"),
        Data::Struct(fields) => {
            let field_models = fields
                .iter()
                .map(|f| field_model(cont, f, &mut checks))
                .collect::<Vec<_>>();
            // One call per run of fields, as the codecs do.
            let runs = segments(fields.iter().enumerate(), |_| false);
            let pushes = runs.iter().map(|seg| match seg {
                Segment::Run { start, fields } => {
                    let (end, members) = (start + fields.len(), fields.iter().map(|f| &f.member));
                    quote!(__k::LiteralFields::push_literals((#(&self.#members,)*), &__fs[#start..#end], &mut __l);)
                }
                Segment::Own(_) => TokenStream::new(),
            });
            let n = fields.len();
            let literal = match fields.is_empty() {
                true => quote!(#m::Literal::Record(__k::Vec::new())),
                false => quote! {
                    let __fs = __k::record_fields::<Self>();
                    let mut __l = __k::Vec::with_capacity(#n);
                    #(#pushes)*
                    #m::Literal::Record(__l)
                },
            };
            // A static of its own rather than a borrowed array literal inside `MODEL`: rustc
            // then has no temporary to promote (issue 19, derive cost).
            let count = field_models.len();
            statics.push(quote!(static __FIELDS: [#m::Field; #count] = [#(#field_models),*];));
            (quote!(#m::Shape::Record(&__FIELDS)), literal)
        }
        Data::UnitEnum(symbols) => {
            let syms = symbols.iter().map(|s| {
                let (sid, sname, sdoc, tag, def) = (s.ident.to_string(), &s.name, opt_str(&s.doc), s.tag as i32, s.is_default);
                let proto_name = match &s.proto_name {
                    ProtoName::Prefixed => quote!(#m::ProtoValueName::Prefixed),
                    ProtoName::Unprefixed => quote!(#m::ProtoValueName::Unprefixed),
                    ProtoName::Exact(n, _) => quote!(#m::ProtoValueName::Exact(#n)),
                };
                quote!(#m::Symbol { ident: #sid, name: #sname, doc: #sdoc, tag: #tag, is_default: #def, proto_name: #proto_name })
            });
            let arms = symbols.iter().enumerate().map(|(i, s)| {
                let v = &s.ident;
                quote!(#ident::#v => #m::Literal::Enum(#i))
            });
            // An open enum's unknown number is no symbol: its literal is the number.
            let unknown = cont
                .unknown_variant
                .as_ref()
                .map(|u| quote!(#ident::#u(n) => #m::Literal::Int(i128::from(*n)),));
            (
                quote!(#m::Shape::Enum(&[#(#syms),*])),
                quote!(match self { #(#arms,)* #unknown }),
            )
        }
        Data::Union(tagging, variants) => {
            let tagging = match tagging {
                Tagging::External => quote!(#m::Tagging::External),
                Tagging::Internal(tag) => quote!(#m::Tagging::Internal { tag: #tag }),
                Tagging::Adjacent(tag, content) => {
                    quote!(#m::Tagging::Adjacent { tag: #tag, content: #content })
                }
                Tagging::Untagged => quote!(#m::Tagging::Untagged),
            };
            let mut vmodels = Vec::new();
            let mut arms = Vec::new();
            // The records struct and unit variants become, by full name.
            let variant_records: Vec<String> = variants
                .iter()
                .filter(|v| !matches!(v.payload, Payload::Newtype(_)))
                .map(|v| full(&v.name))
                .collect();
            let mut newtype_types: Vec<&syn::Type> = Vec::new();
            for (i, v) in variants.iter().enumerate() {
                let (vid, vname, vdoc, tag) =
                    (v.ident.to_string(), &v.name, opt_str(&v.doc), v.tag);
                let vident = &v.ident;
                let vtitle = opt_str(&v.title);
                let vvalidators = match &v.payload {
                    Payload::Newtype(ty) => {
                        validate::validators_model(krate, ty, &v.validators, &mut checks)
                    }
                    _ => quote!(&[]),
                };
                let payload = match &v.payload {
                    Payload::Newtype(ty) => {
                        checks.push(respan(
                            quote!(#krate::check_variant(&<#ty as #krate::FieldType>::TYPE);),
                            ty.span(),
                        ));
                        // At most one array and one map branch: the error is on the second.
                        for earlier in &newtype_types {
                            checks.push(respan(quote!(#krate::check_union_branches(&<#earlier as #krate::FieldType>::TYPE, &<#ty as #krate::FieldType>::TYPE);), ty.span()));
                        }
                        newtype_types.push(ty.as_ref());
                        if let Some((e, span)) = v.int_encoding {
                            // Spanned at the attribute, as a field's `sint` is.
                            let enc = int_encoding_tokens(&m, Some(e));
                            checks.push(respan(quote!(#krate::check_int_encoding(&<#ty as #krate::FieldType>::TYPE, #enc);), span));
                        }
                        for record in &variant_records {
                            checks.push(respan(quote!(#krate::check_variant_name(<#ty as #krate::FieldType>::FULL_NAME, #record);), ty.span()));
                        }
                        let lit = respan(quote!(#krate::FieldType::to_literal(v)), ty.span());
                        arms.push(quote!(#ident::#vident(v) => #m::Literal::Variant(#i, __k::Box::new(#lit))));
                        quote!(#m::Payload::Newtype(<#ty as #krate::FieldType>::TYPE))
                    }
                    Payload::Struct(_) | Payload::Unit => {
                        let empty = Vec::new();
                        let fields = match &v.payload {
                            Payload::Struct(f) => f,
                            _ => &empty,
                        };
                        let static_ident = format_ident!("__VARIANT_{}", i);
                        let field_models = fields
                            .iter()
                            .map(|f| field_model(cont, f, &mut checks))
                            .collect::<Vec<_>>();
                        let vrust = format!("{rust_name}::{vid}");
                        statics.push(quote! {
                            static #static_ident: #m::Model = #m::Model {
                                rust_name: #vrust,
                                name: #vname,
                                namespace: #namespace,
                                doc: #vdoc,
                                aliases: &[],
                                serializer: #serializer,
                                deny_unknown_fields: #deny,
                                open_content: #open,
                                json_id: __k::None,
                                min_properties: __k::None,
                                max_properties: __k::None,
                                tuple: false,
                                json_absent_items: 0,
                                shape: #m::Shape::Record(&[#(#field_models),*]),
                                parent: __k::None,
                            };
                        });
                        let members: Vec<_> = fields.iter().map(|f| &f.member).collect();
                        let lits = fields.iter().map(|f| {
                            let (n, member) = (&f.name, &f.member);
                            let lit =
                                respan(quote!(#krate::FieldType::to_literal(#member)), f.ty.span());
                            quote!((#n, #lit))
                        });
                        let pat = match &v.payload {
                            Payload::Struct(_) => quote!(#ident::#vident { #(#members,)* .. }),
                            _ => quote!(#ident::#vident),
                        };
                        arms.push(quote!(#pat => #m::Literal::Variant(#i, __k::Box::new(#m::Literal::Record(::std::vec![#(#lits),*])))));
                        quote!(#m::Payload::Struct(&#static_ident))
                    }
                };
                let enc = int_encoding_tokens(&m, v.int_encoding.map(|e| e.0));
                vmodels.push(quote!(#m::Variant { ident: #vid, name: #vname, doc: #vdoc, tag: #tag, int_encoding: #enc, title: #vtitle, validators: #vvalidators, payload: #payload }));
            }
            (
                quote!(#m::Shape::Union(&#m::Union { tagging: #tagging, variants: &[#(#vmodels),*] })),
                quote!(match self { #(#arms,)* }),
            )
        }
    };

    if let Some(lt) = &cont.lifetime {
        return expand_borrowed(cont, lt, shape, to_literal, full_name, statics, checks);
    }
    let (avro, proto, validate) = (
        avro::expand(cont),
        proto::expand(cont),
        validate::expand(cont),
    );
    let validate_record = validate::record_items(cont);
    let export = export::expand(cont);
    checks.push(respan(
        quote!(#krate::check_codec_name(#serializer);),
        *serializer_span,
    ));
    let checks = checks_item(&checks);

    let model = model_literal(cont, &shape);
    let import = import(cont);
    quote! {
        #[automatically_derived]
        #[allow(non_upper_case_globals, clippy::all)]
        const _: () = {
            #import
            impl #krate::Record for #ident {
                fn model() -> &'static #m::Model {
                    #(#statics)*
                    static MODEL: #m::Model = #model;
                    &MODEL
                }

                fn schema_cache() -> &'static #krate::SchemaCache {
                    static CACHE: #krate::SchemaCache = #krate::SchemaCache::new();
                    &CACHE
                }

                #validate_record
            }

            impl #krate::FieldType for #ident {
                const TYPE: #m::Type = #m::Type::Named(<#ident as #krate::Record>::model);
                const FULL_NAME: __k::Option<&'static str> = #full_name;
                #[inline]
                fn to_literal(&self) -> #m::Literal {
                    #to_literal
                }
            }

            // Every derived type is listed by `kafka_model::export::linked_models()`.
            #krate::export::__inventory::submit! { #krate::export::ModelEntry::of::<#ident>() }

            #export
            #checks
            #avro
            #proto
            #validate
            // Borrowed views (`RecordRef`) may hold this type: it decodes through its owned
            // Protobuf decoder there.
            #krate::__proto_decode_owned!(#ident);
        };
    }
}

/// A borrowed view (`struct Event<'a>`): `FieldType` and `RecordRef` (the same model as the
/// owned equivalent; its field types have `'static` in place of the lifetime, since the
/// model is a `static`) and the borrowing decoders. No `Record`, encoders or validation.
#[allow(clippy::too_many_arguments)]
fn expand_borrowed(
    cont: &Container,
    lt: &syn::Lifetime,
    shape: TokenStream,
    to_literal: TokenStream,
    full_name: TokenStream,
    statics: Vec<TokenStream>,
    mut checks: Vec<TokenStream>,
) -> TokenStream {
    let krate = &cont.krate;
    let ident = &cont.ident;
    let m = quote!(#krate::model);
    let (serializer, serializer_span) = &cont.serializer;
    checks.push(respan(
        quote!(#krate::check_codec_name(#serializer);),
        *serializer_span,
    ));
    let checks = checks_item(&checks);
    let avro = avro::expand_borrowed(cont, lt);
    let proto = proto::expand_borrowed(cont, lt);
    let model = model_literal(cont, &shape);
    let import = import(cont);
    quote! {
        #[automatically_derived]
        #[allow(non_upper_case_globals, clippy::all)]
        const _: () = {
            #import
            impl<'__de: #lt, #lt> #krate::RecordRef<'__de> for #ident<#lt> {
                fn model() -> &'static #m::Model {
                    #(#statics)*
                    static MODEL: #m::Model = #model;
                    &MODEL
                }

                fn schema_cache() -> &'static #krate::SchemaCache {
                    static CACHE: #krate::SchemaCache = #krate::SchemaCache::new();
                    &CACHE
                }
            }

            impl<#lt> #krate::FieldType for #ident<#lt> {
                const TYPE: #m::Type = #m::Type::Named(<#ident<'static> as #krate::RecordRef<'static>>::model);
                const FULL_NAME: __k::Option<&'static str> = #full_name;
                #[inline]
                fn to_literal(&self) -> #m::Literal {
                    #to_literal
                }
            }

            #checks
            #avro
            #proto
        };
    }
}

/// Whether `ty` spells an `Option` directly inside an `Option` (through `Box`es), anywhere:
/// the one rule of `check_field` a standard type can break.
fn option_of_option(ty: &syn::Type) -> bool {
    fn args(ty: &syn::Type) -> Option<(String, Vec<&syn::Type>)> {
        let syn::Type::Path(p) = ty else { return None };
        let seg = p.path.segments.last()?;
        let inner = match &seg.arguments {
            syn::PathArguments::AngleBracketed(a) => a
                .args
                .iter()
                .filter_map(|a| match a {
                    syn::GenericArgument::Type(t) => Some(t),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        Some((seg.ident.to_string(), inner))
    }
    fn unboxed(mut ty: &syn::Type) -> &syn::Type {
        while let Some((name, inner)) = args(ty) {
            match (name.as_str(), inner.as_slice()) {
                ("Box", [t]) => ty = t,
                _ => break,
            }
        }
        ty
    }
    let Some((name, inner)) = args(ty) else {
        return false;
    };
    (name == "Option"
        && inner
            .first()
            .is_some_and(|t| matches!(args(unboxed(t)), Some((n, _)) if n == "Option")))
        || inner.into_iter().any(option_of_option)
}

/// The compile-time checks of a type (each a statement spanned at what it checks), one
/// anonymous const each, so that rustc reports every failing check, not only the first.
pub(crate) fn checks_item(checks: &[TokenStream]) -> TokenStream {
    quote!(#(const _: () = { #checks };)*)
}

fn int_encoding_tokens(m: &TokenStream, enc: Option<IntEncoding>) -> TokenStream {
    match enc {
        None => quote!(__k::Varint),
        Some(IntEncoding::Zigzag) => quote!(#m::IntEncoding::Zigzag),
        Some(IntEncoding::Fixed) => quote!(#m::IntEncoding::Fixed),
    }
}

fn field_model(cont: &Container, f: &Field, checks: &mut Vec<TokenStream>) -> TokenStream {
    let krate = &cont.krate;
    let m = quote!(#krate::model);
    let ty = &f.ty;
    let (ident, name, doc, aliases, tag) = (
        f.ident_str(),
        &f.name,
        opt_str(&f.doc),
        str_slice(&f.aliases),
        f.tag,
    );
    let tags = str_slice(&f.tags);
    let json_optional = f.json_optional;
    let json_skips_none = f.json_skips_none;
    let json_flatten = f.json_flatten;
    if json_flatten {
        checks.push(respan(
            quote!(#krate::check_flatten(&<#ty as #krate::FieldType>::TYPE);),
            f.span,
        ));
    }
    let json_rest = f.rest.is_some();
    let json_required_only = f.required_only.is_some();
    let json_all_of = f.json_all_of.iter().map(|g| quote!(&[#(#g),*]));
    if let Some(span) = f.required_only {
        checks.push(respan(
            quote!(#krate::check_required_only(&<#ty as #krate::FieldType>::TYPE);),
            span,
        ));
    }
    if let Some(span) = f.rest {
        checks.push(respan(
            quote!(#krate::check_rest(&<#ty as #krate::FieldType>::TYPE);),
            span,
        ));
    }
    let option_union = match f.option_union {
        None => quote!(#m::OptionUnion::Auto),
        Some((OptionUnion::NullLast, span)) => {
            checks.push(respan(
                quote!(#krate::check_option_union(&<#ty as #krate::FieldType>::TYPE);),
                span,
            ));
            quote!(#m::OptionUnion::NullLast)
        }
        Some((OptionUnion::NullFirstNoDefault, span)) => {
            checks.push(respan(
                quote!(#krate::check_option_union(&<#ty as #krate::FieldType>::TYPE);),
                span,
            ));
            quote!(#m::OptionUnion::NullFirstNoDefault)
        }
    };
    let int_encoding = int_encoding_tokens(&m, f.int_encoding);
    let timestamp = if f.timestamp_millis == Some(true) {
        quote!(#m::TimePrecision::Millis)
    } else {
        quote!(#m::TimePrecision::Micros)
    };
    let decimal = match f.decimal {
        Some((precision, scale, fixed)) => {
            let fixed = match fixed {
                Some(n) => quote!(__k::Some(#n)),
                None => quote!(__k::None),
            };
            quote!(__k::Some(#m::DecimalSpec { precision: #precision, scale: #scale, fixed: #fixed }))
        }
        None => quote!(__k::None),
    };
    let base64 = f.base64;
    let oneof = f.oneof.is_some();
    let proto_optional = f.proto_optional.is_some();
    if let Some(span) = f.proto_optional {
        checks.push(respan(
            quote!(#krate::check_proto_optional(&<#ty as #krate::FieldType>::TYPE);),
            span,
        ));
    }
    // A field without attributes names the runtime's default options: the same value as the
    // literal, written once for the crate instead of once per field (in the model and its check).
    let default_options = f.int_encoding.is_none()
        && f.timestamp_millis != Some(true)
        && f.decimal.is_none()
        && !base64
        && !oneof
        && !proto_optional;
    let options = if default_options {
        quote!(#krate::DEFAULT_FIELD_OPTIONS)
    } else {
        quote!(__k::FieldOptions { int_encoding: #int_encoding, timestamp: #timestamp, decimal: #decimal, json_bytes_base64: #base64, proto_oneof: #oneof, proto_optional: #proto_optional })
    };
    let timestamp_set = f.timestamp_millis.is_some();
    for boxed in boxed_types(ty) {
        checks.push(respan(
            quote!(let _: fn() = __k::ps::boxed_message::<#boxed>;),
            boxed.span(),
        ));
    }
    // Spanned at the field's type, so the compile error points at it. A standard type without
    // attributes (`String`, `Vec<i64>`; the `Validate` impl's `PlainLeaf` bound proves it is
    // the standard one) passes every rule but the nesting one, so it needs no check.
    let proven_plain = cont.lifetime.is_none()
        && default_options
        && !timestamp_set
        && validate::skipped(f)
        && !option_of_option(ty);
    if !proven_plain {
        checks.push(respan(
            quote!(#krate::check_field(&<#ty as #krate::FieldType>::TYPE, &#options, #timestamp_set);),
            ty.span(),
        ));
    }
    let (validators, coerce) = validate::field_model(cont, f, checks);
    let owner = &cont.ident;
    let member = &f.member;
    let default_value = match &f.default {
        FieldDefault::None => None,
        FieldDefault::Default => Some(quote!(<#ty as __k::Default>::default())),
        FieldDefault::Path(p) => Some(quote!(#p())),
        FieldDefault::Container => Some(quote!(<#owner as __k::Default>::default().#member)),
    };
    let default = match default_value {
        None => quote!(__k::None),
        Some(value) => quote!(__k::Some({
            fn __default() -> #m::Literal {
                let value: #ty = #value;
                #krate::FieldType::to_literal(&value)
            }
            __default
        })),
    };
    // Only the members that differ from `Field::plain`'s: an attribute-free field is one
    // `const fn` call, which rustc checks far faster than an 18-member literal (issue 19).
    let mut set = Vec::new();
    let mut member_if = |differs: bool, member: &str, value: TokenStream| {
        if differs {
            let member = syn::Ident::new(member, Span::call_site());
            set.push(quote!(#member: #value));
        }
    };
    member_if(f.doc.is_some(), "doc", doc);
    member_if(!f.aliases.is_empty(), "aliases", aliases);
    member_if(!default_options, "options", options);
    member_if(!matches!(f.default, FieldDefault::None), "default", default);
    member_if(json_optional, "json_optional", quote!(true));
    member_if(json_skips_none, "json_skips_none", quote!(true));
    member_if(json_flatten, "json_flatten", quote!(true));
    member_if(json_rest, "json_rest", quote!(true));
    member_if(json_required_only, "json_required_only", quote!(true));
    member_if(
        !f.json_all_of.is_empty(),
        "json_all_of",
        quote!(&[#(#json_all_of),*]),
    );
    member_if(f.option_union.is_some(), "option_union", option_union);
    member_if(!f.tags.is_empty(), "tags", tags);
    member_if(!f.validators.is_empty(), "validators", validators);
    member_if(f.coerce, "coerce", coerce);
    let plain = quote!(#m::Field::plain(#ident, #name, <#ty as #krate::FieldType>::TYPE, #tag));
    if set.is_empty() {
        quote_spanned! {f.span=> #plain }
    } else {
        quote_spanned! {f.span=> #m::Field { #(#set,)* ..#plain } }
    }
}
