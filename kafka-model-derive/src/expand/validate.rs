//! Generated code for validation: the fields' validators in the model, their compile-time
//! checks (spanned at each attribute), the `Validate` impl that checks them, and the `Record`
//! items for validation modes and coercion.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::spanned::Spanned;

use super::respan;
use crate::internals::ast::{Container, Data, Field, Payload};
use crate::internals::attr::{ConstLit, Spanned2, ValidatorAttr};

fn constant(krate: &syn::Path, l: &ConstLit) -> TokenStream {
    let m = quote!(#krate::model);
    match l {
        ConstLit::Int(i) => quote!(#m::Constant::Int(#i)),
        ConstLit::Float(x) => quote!(#m::Constant::Float(#x)),
        ConstLit::Str(s) => quote!(#m::Constant::Str(#s)),
    }
}

/// One validator as a `model::Validator` expression. `matcher` is the pattern's matcher
/// function (a path or a block), used only for `Pattern`.
fn validator(krate: &syn::Path, v: &ValidatorAttr, matcher: TokenStream) -> TokenStream {
    let m = quote!(#krate::model);
    match v {
        ValidatorAttr::Min(l) => {
            let c = constant(krate, l);
            quote!(#m::Validator::Min(#c))
        }
        ValidatorAttr::Max(l) => {
            let c = constant(krate, l);
            quote!(#m::Validator::Max(#c))
        }
        ValidatorAttr::MinLen(n) => quote!(#m::Validator::MinLen(#n)),
        ValidatorAttr::MaxLen(n) => quote!(#m::Validator::MaxLen(#n)),
        ValidatorAttr::NonEmpty => quote!(#m::Validator::NonEmpty),
        ValidatorAttr::Unique => quote!(#m::Validator::Unique),
        ValidatorAttr::Choices(items) => {
            let items = items.iter().map(|(l, _)| constant(krate, l));
            quote!(#m::Validator::Choices(&[#(#items),*]))
        }
        ValidatorAttr::Pattern(re) => {
            quote!(#m::Validator::Pattern(#m::Pattern { regex: #re, is_match: #matcher }))
        }
        ValidatorAttr::MultipleOf(l) => {
            let c = constant(krate, l);
            quote!(#m::Validator::MultipleOf(#c))
        }
    }
}

/// The field's `validators` and `coerce` for its `model::Field`; pushes one compile-time check
/// per validator, spanned at its attribute.
pub fn field_model(
    cont: &Container,
    f: &Field,
    checks: &mut Vec<TokenStream>,
) -> (TokenStream, TokenStream) {
    let coerce = f.coerce;
    (
        validators_model(&cont.krate, &f.ty, &f.validators, checks),
        quote!(#coerce),
    )
}

/// The validators of a value of type `ty` (a field's, a newtype's) as a
/// `&[model::Validator]` expression; pushes one compile-time check per validator, spanned at
/// its attribute.
pub fn validators_model(
    krate: &syn::Path,
    ty: &syn::Type,
    validators: &[Spanned2<ValidatorAttr>],
    checks: &mut Vec<TokenStream>,
) -> TokenStream {
    let mut items = Vec::new();
    for v in validators {
        let check_expr = validator(krate, &v.value, quote!(#krate::validate::no_match));
        checks.push(respan(
            quote!(#krate::check_validator(&<#ty as #krate::FieldType>::TYPE, &#check_expr);),
            v.span,
        ));
        let matcher = match &v.value {
            ValidatorAttr::Pattern(re) => quote!({
                fn __is_match(s: &str) -> __k::Option<bool> {
                    static RE: ::std::sync::OnceLock<__k::Option<#krate::Regex>> =
                        ::std::sync::OnceLock::new();
                    RE.get_or_init(|| #krate::Regex::new(#re).ok())
                        .as_ref()
                        .map(|r| r.is_match(s))
                }
                __is_match
            }),
            _ => TokenStream::new(),
        };
        items.push(validator(krate, &v.value, matcher));
    }
    quote!(&[#(#items),*])
}

/// Validates `value` (of type `ty`) and what it holds through its `Validate` impl: one
/// path call, spanned at the type so a type without the impl is reported at the field. (An
/// autoref probe that skipped such types cost a method resolution per field: issue 19.)
fn nested(ty: &syn::Type, value: &TokenStream, path: TokenStream) -> TokenStream {
    respan(
        quote!(__k::Validate::validate_at(#value, #path, errors);),
        ty.span(),
    )
}

/// Whether `ty` is spelled as a standard scalar (`String`, `i64`, `bool`, ...) or an
/// `Option`, `Vec`, `Box` or map of them: kafka-model's `Validate` impls of these check nothing
/// (and no other crate may implement `Validate` for them), so a field of such a type without
/// rules of its own needs no validation call.
fn plain_leaf(ty: &syn::Type) -> bool {
    let syn::Type::Path(p) = ty else {
        return false;
    };
    if p.qself.is_some() || p.path.leading_colon.is_some() || p.path.segments.len() != 1 {
        return false;
    }
    let seg = &p.path.segments[0];
    let name = seg.ident.to_string();
    match &seg.arguments {
        syn::PathArguments::None => matches!(
            name.as_str(),
            "bool"
                | "i8"
                | "i16"
                | "i32"
                | "i64"
                | "u8"
                | "u16"
                | "u32"
                | "u64"
                | "f32"
                | "f64"
                | "String"
        ),
        syn::PathArguments::AngleBracketed(args)
            if matches!(
                name.as_str(),
                "Option" | "Vec" | "Box" | "BTreeMap" | "HashMap"
            ) =>
        {
            args.args.iter().all(|a| match a {
                syn::GenericArgument::Type(t) => plain_leaf(t),
                _ => false,
            })
        }
        _ => false,
    }
}

/// Whether the field needs no validation call: no rules of its own and a plain-leaf type
/// (which the `Validate` impl's `where` bounds then prove, see `plain_leaf_bounds`).
pub(crate) fn skipped(f: &Field) -> bool {
    f.validators.is_empty() && !f.sensitive && f.with.is_none() && plain_leaf(&f.ty)
}

/// `where String: PlainLeaf, ...` for the types of the fields `skipped` leaves out: a type of
/// the user's own shadowing a standard name (`struct String`) fails the bound at the field
/// instead of being silently left unvalidated.
fn plain_leaf_bounds<'a>(fields: impl Iterator<Item = &'a Field>) -> TokenStream {
    let bounds: Vec<TokenStream> = fields
        .filter(|f| skipped(f))
        .map(|f| {
            let ty = &f.ty;
            respan(quote!(#ty: __k::PlainLeaf), f.ty.span())
        })
        .collect();
    if bounds.is_empty() {
        TokenStream::new()
    } else {
        quote!(where #(#bounds),*)
    }
}

/// The checks of one field, whose value is the expression `value` (`&self.x` or a binding).
fn field_checks(
    cont: &Container,
    f: &Field,
    index: usize,
    value: TokenStream,
    fields: &TokenStream,
) -> TokenStream {
    let krate = &cont.krate;
    let name = &f.name;
    let sensitive = f.sensitive;
    if skipped(f) {
        return TokenStream::new();
    }
    let main = if f.validators.is_empty() && !sensitive {
        nested(&f.ty, &value, quote!(&__path))
    } else {
        respan(
            quote!(#krate::validate_field(
                #value,
                #fields.get(#index).map_or(&[][..], |f| f.validators),
                #sensitive,
                &__path,
                errors,
            );),
            f.ty.span(),
        )
    };
    let with = f.with.as_ref().map(|path| {
        let call = respan(quote!(#path(#value)), path.span());
        quote!(#krate::check_with(#value, #call, #sensitive, &__path, errors);)
    });
    quote! {{
        let __path = path.field(#name);
        #main
        #with
    }}
}

/// Items inside `impl Record for T`.
pub fn record_items(cont: &Container) -> TokenStream {
    let on_codec = cont.validate_on_codec;
    quote! {
        const VALIDATE_ON_CODEC: bool = #on_codec;
    }
}

/// The `Validate` impl, placed inside the derive's `const _: () = { ... };` block.
pub fn expand(cont: &Container) -> TokenStream {
    let krate = &cont.krate;
    let ident = &cont.ident;
    let v = quote!(#krate::validate);
    let model = quote!(<#ident as #krate::Record>::model());
    let body = match &cont.data {
        Data::Newtype(_) => return TokenStream::new(),
        Data::Struct(fields) => {
            let fields_ident = quote!(__fields);
            let checks = fields.iter().enumerate().map(|(i, f)| {
                let member = &f.member;
                field_checks(cont, f, i, quote!(&self.#member), &fields_ident)
            });
            // `min_properties`/`max_properties`: the properties serde writes, counted.
            let count = match cont.properties {
                (None, None) => TokenStream::new(),
                _ => {
                    let each = fields.iter().map(|f| {
                        let member = &f.member;
                        match (&f.skip_if, f.json_flatten) {
                            (_, true) => quote!(__present += self.#member.len();),
                            (Some(skip), false) => {
                                quote!(if !#skip(&self.#member) { __present += 1; })
                            }
                            (None, false) => quote!(__present += 1;),
                        }
                    });
                    quote! {
                        let mut __present = 0usize;
                        #(#each)*
                        #krate::check_properties(#model, __present, path, errors);
                    }
                }
            };
            quote! {
                let __fields = #model.fields();
                #count
                #(#checks)*
            }
        }
        Data::UnitEnum(_) => {
            return quote! {
                impl #v::Validate for #ident {
                    fn nested() -> bool {
                        false
                    }
                }
            };
        }
        Data::Union(_, variants) => {
            let arms = variants.iter().enumerate().map(|(i, var)| {
                let vident = &var.ident;
                let vname = &var.name;
                match &var.payload {
                    Payload::Newtype(ty) if !var.validators.is_empty() => {
                        // The variant's rules (`V(#[record(max_len = 8)] String)`), then the
                        // value's own, as for a field.
                        let call = respan(
                            quote!(#krate::validate_field(
                                __inner,
                                #krate::variant_validators(#model, #i),
                                false,
                                &path.field(#vname),
                                errors,
                            );),
                            ty.span(),
                        );
                        quote!(#ident::#vident(__inner) => { #call })
                    }
                    Payload::Newtype(ty) => {
                        let call = nested(ty, &quote!(__inner), quote!(&path.field(#vname)));
                        quote!(#ident::#vident(__inner) => { #call })
                    }
                    Payload::Unit => quote!(#ident::#vident => {}),
                    Payload::Struct(fields) => {
                        let bindings: Vec<_> = fields
                            .iter()
                            .enumerate()
                            .map(|(j, _)| format_ident!("__f{}", j))
                            .collect();
                        let members = fields.iter().map(|f| &f.member);
                        let fields_ident = quote!(__fields);
                        let checks = fields.iter().enumerate().map(|(j, f)| {
                            let b = &bindings[j];
                            field_checks(cont, f, j, quote!(#b), &fields_ident)
                        });
                        quote!(#ident::#vident { #(#members: #bindings,)* .. } => {
                            let __fields = #krate::variant_fields(#model, #i);
                            let path = &path.field(#vname);
                            #(#checks)*
                        })
                    }
                }
            });
            quote! {
                #[allow(unreachable_patterns)]
                match self {
                    #(#arms)*
                }
            }
        }
    };
    let bounds = match &cont.data {
        Data::Struct(fields) => plain_leaf_bounds(fields.iter()),
        Data::Union(_, variants) => {
            plain_leaf_bounds(variants.iter().flat_map(|v| match &v.payload {
                Payload::Struct(fields) => fields.as_slice(),
                _ => &[],
            }))
        }
        _ => TokenStream::new(),
    };
    quote! {
        impl #v::Validate for #ident #bounds {
            #[allow(unused_variables)]
            #[inline]
            fn validate_at(&self, path: &#v::FieldPath<'_>, errors: &mut #v::ValidationErrors) {
                #body
            }
        }
    }
}
