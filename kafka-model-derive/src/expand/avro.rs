//! Generated code for the avro part of `#[derive(Record)]`: items placed inside the derive's
//! `const _: () = { ... };` block, next to the `Record` impl.
//!
//! One `impl kafka_model::avro::AvroCodec` (encoder) and one `impl AvroDecode<'__de>` (decoder)
//! per type, straight-line: a record writes its fields in order, a unit-only enum its symbol
//! index, an enum with data its union branch index (the variant index) and then the variant's
//! value or fields. Every leaf is a call to the runtime's small `AvroCodec` / `AvroDecode`
//! impls with the field's `FieldOptions` as a `const`. A borrowed view (`struct Event<'a>`)
//! gets the same decoder expansion, with its lifetime.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::internals::ast::{Container, Data, Field, FieldDefault, Payload};
use crate::internals::attr::OptionUnion;

use super::Segment;

/// Items for `cont`.
pub fn expand(cont: &Container) -> TokenStream {
    let krate = &cont.krate;
    let ident = &cont.ident;
    let a = quote!(#krate::avro);
    let body = match &cont.data {
        Data::Newtype(_) => return TokenStream::new(),
        Data::Struct(fields) => {
            let segs = segments(cont, fields);
            if let Some(run) = super::one_run(&segs, fields.len()) {
                // The whole record is one run: one call each, no statements around it.
                let (tuple, n) = (run_tuple(run, &quote!(&self.)), run.len());
                let fs = quote!(&__k::record_fields::<Self>()[0..#n]);
                quote! {
                    #[inline]
                    fn avro_encode(&self, _: &__k::FieldOptions, __out: &mut __k::Vec<u8>) -> __k::Result<(), __k::AvroEncodeError> {
                        __k::AvroEncodeFields::encode_fields(#tuple, #fs, __out)
                    }
                    #[inline]
                    fn avro_size_hint(&self, _: &__k::FieldOptions) -> usize {
                        __k::AvroEncodeFields::size_hint_fields(#tuple, #fs)
                    }
                }
            } else {
                let fs = fields_of(&segs, quote!(__k::record_fields::<Self>()));
                let enc = encode_segments(cont, &segs, &quote!(&self.));
                let hint = size_hint_segments(cont, &segs, &quote!(&self.));
                quote! {
                    #[inline]
                    fn avro_encode(&self, _: &__k::FieldOptions, __out: &mut __k::Vec<u8>) -> __k::Result<(), __k::AvroEncodeError> {
                        #fs
                        #enc
                        __k::Ok(())
                    }
                    #[inline]
                    fn avro_size_hint(&self, _: &__k::FieldOptions) -> usize {
                        #fs
                        #hint
                    }
                }
            }
        }
        Data::UnitEnum(symbols) => {
            let enc = symbols.iter().enumerate().map(|(i, s)| {
                let v = &s.ident;
                quote!(#ident::#v => #i)
            });
            // An open enum's unknown Protobuf number has no Avro symbol: an error.
            let unknown = cont.unknown_variant.as_ref().map(|u| {
                let name = &cont.name;
                quote! {
                    #ident::#u(n) => return __k::Err(__k::AvroEncodeError::new(
                        __k::AvroEncodeErrorKind::UnknownEnumNumber { enum_name: #name, number: *n },
                    )),
                }
            });
            quote! {
                #[inline]
                fn avro_size_hint(&self, _: &__k::FieldOptions) -> usize {
                    5
                }
                #[inline]
                fn avro_encode(&self, _: &__k::FieldOptions, __out: &mut __k::Vec<u8>) -> __k::Result<(), __k::AvroEncodeError> {
                    let __i: usize = match self { #(#enc,)* #unknown };
                    #a::encode::write_index(__out, __i);
                    __k::Ok(())
                }
            }
        }
        Data::Union(_, variants) => {
            let mut enc = Vec::new();
            let mut hints = Vec::new();
            for (i, v) in variants.iter().enumerate() {
                let vid = &v.ident;
                let vname = &v.name;
                match &v.payload {
                    Payload::Newtype(ty) => {
                        enc.push(quote! {
                            #ident::#vid(__v) => {
                                #a::encode::write_index(__out, __base + #i);
                                #krate::in_field(<#ty as __k::AvroCodec>::avro_encode(__v, &#a::__private::DEFAULT_OPTIONS, __out), #vname)
                            }
                        });
                        hints.push(quote! {
                            #ident::#vid(__v) => <#ty as __k::AvroCodec>::avro_size_hint(__v, &#a::__private::DEFAULT_OPTIONS)
                        });
                    }
                    Payload::Unit => {
                        enc.push(quote! {
                            #ident::#vid => {
                                #a::encode::write_index(__out, __base + #i);
                                __k::Ok(())
                            }
                        });
                        hints.push(quote!(#ident::#vid => 0));
                    }
                    Payload::Struct(fields) => {
                        let members: Vec<_> = fields.iter().map(|f| &f.member).collect();
                        let segs = segments(cont, fields);
                        let fs = fields_of(&segs, quote!(__k::variant_fields_of::<Self>(#i)));
                        let fenc = encode_segments(cont, &segs, &quote!());
                        let hint = size_hint_segments(cont, &segs, &quote!());
                        hints.push(quote! {
                            #ident::#vid { #(#members,)* .. } => { #fs #hint }
                        });
                        enc.push(quote! {
                            #ident::#vid { #(#members,)* .. } => {
                                #a::encode::write_index(__out, __base + #i);
                                #fs
                                #fenc
                                __k::Ok(())
                            }
                        });
                    }
                }
            }
            quote! {
                #[inline]
                fn avro_size_hint(&self, _: &__k::FieldOptions) -> usize {
                    5 + match self { #(#hints,)* }
                }
                #[inline]
                fn avro_encode(&self, __opts: &__k::FieldOptions, __out: &mut __k::Vec<u8>) -> __k::Result<(), __k::AvroEncodeError> {
                    __k::AvroCodec::avro_encode_branch(self, 0, __opts, __out)
                }
                #[inline]
                fn avro_encode_branch(&self, __base: usize, _: &__k::FieldOptions, __out: &mut __k::Vec<u8>) -> __k::Result<(), __k::AvroEncodeError> {
                    match self { #(#enc,)* }
                }
            }
        }
    };
    let decoder = decoder(cont, None);
    quote! {
        impl __k::AvroCodec for #ident {
            #body
        }
        #decoder
        // With kafka-model's `avro-schema-component` feature: apache-avro's schema trait.
        __k::__avro_schema_component!(#ident);
    }
}

/// The field's `FieldOptions` as a constant expression, or `None` for the default options
/// (most fields), which the generated code names as one runtime constant rather than writing
/// out a `const` item per field and codec function (each one more item to type-check).
fn options(cont: &Container, f: &Field) -> Option<TokenStream> {
    let krate = &cont.krate;
    let m = quote!(#krate::model);
    if f.timestamp_millis != Some(true) && f.decimal.is_none() {
        return None;
    }
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
    Some(
        quote!(__k::FieldOptions { int_encoding: __k::Varint, timestamp: #timestamp, decimal: #decimal, json_bytes_base64: false, proto_oneof: false, proto_optional: false }),
    )
}

/// A `&'static FieldOptions` expression for the field: the shared default constant, or the
/// field's own options (a constant expression, promoted to a static).
fn options_ref(cont: &Container, f: &Field) -> TokenStream {
    let krate = &cont.krate;
    match options(cont, f) {
        None => quote!(&#krate::DEFAULT_FIELD_OPTIONS),
        Some(opts) => quote!(&#opts),
    }
}

/// `Some(fn body)` when whether an `Option` field is `[T, "null"]` depends on a default
/// computed at run time (a default function or the container's `Default`): then it is
/// computed once, on first use, exactly as the schema renderer does.
fn null_last_check(cont: &Container, f: &Field) -> Option<TokenStream> {
    match f.option_union {
        Some((OptionUnion::NullLast, _)) => return Some(quote!(true)),
        Some((OptionUnion::NullFirstNoDefault, _)) => return None,
        None => {}
    }
    let krate = &cont.krate;
    let ty = &f.ty;
    let owner = &cont.ident;
    let member = &f.member;
    let value = match &f.default {
        FieldDefault::None | FieldDefault::Default => return None,
        FieldDefault::Path(p) => quote!(#p()),
        FieldDefault::Container => {
            quote!(<#owner as __k::Default>::default().#member)
        }
    };
    Some(quote! {{
        const __IS_OPTION: bool = <#ty as #krate::FieldType>::TYPE.is_option();
        static __NULL_LAST: ::std::sync::OnceLock<bool> = ::std::sync::OnceLock::new();
        __IS_OPTION && *__NULL_LAST.get_or_init(|| {
            let __value: #ty = #value;
            #krate::avro::__private::null_last(#krate::FieldType::to_literal(&__value))
        })
    }})
}

/// The fields cut into runs (one tuple call each) and the `Option` fields whose union order is
/// decided at run time (by a default computed then), which have code of their own.
fn segments<'a>(cont: &Container, fields: &'a [Field]) -> Vec<Segment<'a>> {
    super::segments(fields.iter().enumerate(), |f| {
        !matches!(f.option_union, Some((OptionUnion::NullLast, _)))
            && null_last_check(cont, f).is_some()
    })
}

/// `let __fs = <the fields' models>;` when a run reads them.
fn fields_of(segs: &[Segment], models: TokenStream) -> TokenStream {
    match segs.iter().any(|s| matches!(s, Segment::Run { .. })) {
        true => quote!(let __fs = #models;),
        false => TokenStream::new(),
    }
}

/// The fields of a run as a tuple of references, reached through `access`.
fn run_tuple(fields: &[&Field], access: &TokenStream) -> TokenStream {
    let members = fields.iter().map(|f| &f.member);
    quote!((#(#access #members,)*))
}

/// The sum of the fields' [`avro_size_hint`]s (each with its field's options).
fn size_hint_segments(cont: &Container, segs: &[Segment], access: &TokenStream) -> TokenStream {
    let terms = segs.iter().map(|seg| match seg {
        Segment::Run { start, fields } => {
            let (tuple, end) = (run_tuple(fields, access), start + fields.len());
            quote!(__k::AvroEncodeFields::size_hint_fields(#tuple, &__fs[#start..#end]))
        }
        Segment::Own(f) => {
            let (ty, member, opts) = (&f.ty, &f.member, options_ref(cont, f));
            quote!(<#ty as __k::AvroCodec>::avro_size_hint(#access #member, #opts))
        }
    });
    quote!(0usize #(+ #terms)*)
}

fn encode_segments(cont: &Container, segs: &[Segment], access: &TokenStream) -> TokenStream {
    segs.iter()
        .map(|seg| match seg {
            Segment::Run { start, fields } => {
                let (tuple, end) = (run_tuple(fields, access), start + fields.len());
                let call = super::try_run(quote!(__k::AvroEncodeFields::encode_fields(#tuple, &__fs[#start..#end], __out)));
                quote!(#call;)
            }
            Segment::Own(f) => encode_field(cont, f, access),
        })
        .collect()
}

fn encode_field(cont: &Container, f: &Field, access: &TokenStream) -> TokenStream {
    let ty = &f.ty;
    let member = &f.member;
    let name = &f.name;
    let opts = options_ref(cont, f);
    let value = quote!(#access #member);
    let call = match null_last_check(cont, f) {
        None => quote!(<#ty as __k::AvroCodec>::avro_encode(#value, #opts, __out)),
        Some(check) => quote! {
            if #check {
                <#ty as __k::AvroCodec>::avro_encode_null_last(#value, #opts, __out)
            } else {
                <#ty as __k::AvroCodec>::avro_encode(#value, #opts, __out)
            }
        },
    };
    let field = super::try_field(call, &quote!(__k::AvroEncodeError), name);
    quote!(#field;)
}

/// `impl AvroDecode<'__de>`: the type's one decoder. `lifetime` is the borrowed view's
/// (`struct Event<'a>`: `impl<'__de: 'a, 'a> AvroDecode<'__de> for Event<'a>`, whose `&'a str`
/// fields borrow from the input); an owned type decodes from input of any lifetime. Every
/// field is read by its type's `AvroDecode<'__de>`, so owned and borrowed fields mix.
fn decoder(cont: &Container, lifetime: Option<&syn::Lifetime>) -> TokenStream {
    let krate = &cont.krate;
    let ident = &cont.ident;
    let a = quote!(#krate::avro);
    let (generics, self_ty) = match lifetime {
        None => (quote!(<'__de>), quote!(#ident)),
        Some(lt) => (quote!(<'__de: #lt, #lt>), quote!(#ident<#lt>)),
    };
    let body = match &cont.data {
        Data::Newtype(_) => return TokenStream::new(),
        Data::Struct(fields) => {
            let segs = segments(cont, fields);
            let (dec, names) = decode_fields(cont, fields, &segs);
            let skipped = &cont.skipped;
            let value =
                quote!(__k::Ok(#ident { #(#names,)* #(#skipped: __k::Default::default(),)* }));
            if let Some(run) = super::one_run(&segs, fields.len()) {
                // One run: `decode_record` enters and leaves the depth limit around it.
                let (tys, n) = (run.iter().map(|f| &f.ty_decl), run.len());
                let locals = (0..n).map(|i| format_ident!("__f{}", i));
                let call = super::try_run(quote! {
                    <(#(#tys,)*) as __k::AvroDecodeFields<'__de>>::decode_record(__r, &__k::record_fields::<Self>()[0..#n])
                });
                quote! {
                    #[inline]
                    fn avro_decode(__r: &mut __k::AvroReader<'__de>, _: &__k::FieldOptions) -> __k::Result<Self, __k::AvroDecodeError> {
                        let (#(#locals,)*) = #call;
                        #value
                    }
                }
            } else {
                let fs = fields_of(&segs, quote!(__k::record_fields::<Self>()));
                quote! {
                    #[inline]
                    fn avro_decode(__r: &mut __k::AvroReader<'__de>, _: &__k::FieldOptions) -> __k::Result<Self, __k::AvroDecodeError> {
                        // Depth-limited: a recursive type cannot exhaust the stack.
                        __r.enter()?;
                        #fs
                        #(#dec)*
                        __r.leave();
                        #value
                    }
                }
            }
        }
        Data::UnitEnum(symbols) => {
            let n = symbols.len();
            let last = symbols.len().saturating_sub(1);
            let dec = symbols.iter().enumerate().map(|(i, s)| {
                let v = &s.ident;
                if i == last {
                    quote!(_ => #ident::#v)
                } else {
                    quote!(#i => #ident::#v)
                }
            });
            quote! {
                #[inline]
                fn avro_decode(__r: &mut __k::AvroReader<'__de>, _: &__k::FieldOptions) -> __k::Result<Self, __k::AvroDecodeError> {
                    __k::Ok(match __r.read_enum_index(#n)? { #(#dec,)* })
                }
            }
        }
        Data::Union(_, variants) => {
            let n = variants.len();
            let dec = variants.iter().enumerate().map(|(i, v)| {
                let vid = &v.ident;
                let vname = &v.name;
                match &v.payload {
                    Payload::Newtype(ty) => quote! {
                        #i => #krate::in_field(<#ty as __k::AvroDecode<'__de>>::avro_decode(__r, &#a::__private::DEFAULT_OPTIONS), #vname).map(#ident::#vid)
                    },
                    Payload::Unit => quote!(#i => __k::Ok(#ident::#vid)),
                    Payload::Struct(fields) => {
                        let segs = segments(cont, fields);
                        let fs = fields_of(&segs, quote!(__k::variant_fields_of::<Self>(#i)));
                        let (fdec, names) = decode_fields(cont, fields, &segs);
                        let skipped = &v.skipped;
                        quote! {
                            #i => {
                                #fs
                                #(#fdec)*
                                __k::Ok(#ident::#vid { #(#names,)* #(#skipped: __k::Default::default(),)* })
                            }
                        }
                    }
                }
            });
            quote! {
                const UNION_BRANCHES: usize = #n;
                #[inline]
                fn avro_decode(__r: &mut __k::AvroReader<'__de>, __opts: &__k::FieldOptions) -> __k::Result<Self, __k::AvroDecodeError> {
                    let __i = __r.read_union_index(#n)?;
                    <Self as __k::AvroDecode<'__de>>::avro_decode_branch(__i, __r, __opts)
                }
                #[inline]
                fn avro_decode_branch(__branch: usize, __r: &mut __k::AvroReader<'__de>, _: &__k::FieldOptions) -> __k::Result<Self, __k::AvroDecodeError> {
                    __r.enter()?;
                    let __value = match __branch {
                        #(#dec,)*
                        __other => __k::Err(#a::__private::bad_branch(__r, #n, __other)),
                    };
                    __r.leave();
                    __value
                }
            }
        }
    };
    quote! {
        impl #generics __k::AvroDecode<'__de> for #self_ty {
            #body
        }
    }
}

/// The statements reading `fields` into locals `__f0`, `__f1`... and the struct
/// expression's `member: local` list.
fn decode_fields(
    cont: &Container,
    fields: &[Field],
    segs: &[Segment],
) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let local = |f: &Field| {
        let i = fields.iter().position(|g| std::ptr::eq(g, f)).unwrap_or(0);
        format_ident!("__f{}", i)
    };
    let mut stmts = Vec::new();
    for seg in segs {
        match seg {
            Segment::Run { start, fields } => {
                // As declared: a view's field type names its lifetime (`ty` has `'static` there).
                let tys = fields.iter().map(|f| &f.ty_decl);
                let locals = fields.iter().map(|f| local(f));
                let end = start + fields.len();
                let call = super::try_run(quote! {
                    <(#(#tys,)*) as __k::AvroDecodeFields<'__de>>::decode_fields(__r, &__fs[#start..#end])
                });
                stmts.push(quote!(let (#(#locals,)*) = #call;));
            }
            Segment::Own(f) => {
                let ty = &f.ty_decl;
                let opts = options_ref(cont, f);
                let call = match null_last_check(cont, f) {
                    None => quote!(<#ty as __k::AvroDecode<'__de>>::avro_decode(__r, #opts)),
                    Some(check) => quote! {
                        if #check {
                            <#ty as __k::AvroDecode<'__de>>::avro_decode_null_last(__r, #opts)
                        } else {
                            <#ty as __k::AvroDecode<'__de>>::avro_decode(__r, #opts)
                        }
                    },
                };
                let field = super::try_field(call, &quote!(__k::AvroDecodeError), &f.name);
                let local = local(f);
                stmts.push(quote!(let #local: #ty = #field;));
            }
        }
    }
    let names = fields
        .iter()
        .map(|f| {
            let (member, local) = (&f.member, local(f));
            quote!(#member: #local)
        })
        .collect();
    (stmts, names)
}

/// `AvroDecode<'de>` of a borrowed view (`struct Event<'a>`): the same decoder expansion as
/// an owned type's, with the view's lifetime.
pub fn expand_borrowed(cont: &Container, lifetime: &syn::Lifetime) -> TokenStream {
    decoder(cont, Some(lifetime))
}
