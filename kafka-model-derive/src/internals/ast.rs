//! The input type with serde's and our attributes merged: what the checks and the expansion read.
//!
//! serde's own attribute parser (`serde_derive_internals`) supplies names (`rename`,
//! `rename_all`, aliases), defaults, skips and enum tagging, so the schemas describe exactly the
//! JSON that serde writes.

// Over 800 lines: serde's attributes and ours merged for containers, variants and fields: one
// parser, as serde_derive's own `attr.rs`.

use proc_macro2::Span;
use quote::ToTokens;
use serde_derive_internals::{ast as serde_ast, attr as serde_attr};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;

use super::attr::{self, DefaultAttr, IntEncoding, OptionUnion, Spanned2, ValidatorAttr};
use super::Ctxt;

pub struct Container {
    pub ident: syn::Ident,
    pub name: String,
    pub name_span: Span,
    pub namespace: Option<(String, Span)>,
    pub doc: Option<String>,
    pub aliases: Vec<String>,
    pub serializer: (String, Span),
    /// The path generated code names the runtime by: `__k`, which each generated block
    /// imports as `use <crate_path>::__d as __k;` (short paths: fewer tokens for the proc
    /// macro to build and for rustc to parse and resolve, issue 19).
    pub krate: syn::Path,
    /// The runtime crate's path as the user wrote it (`#[record(crate = "...")]`), default
    /// `::kafka_model`: only the `use` of `__k` names it.
    pub crate_path: syn::Path,
    pub deny_unknown_fields: bool,
    /// `#[record(open_content)]`: the JSON Schema object is open (no `additionalProperties`).
    pub open_content: bool,
    /// `#[record(json_id = "...")]`: the root JSON Schema's `$id`.
    pub json_id: Option<(String, Span)>,
    /// `#[record(min_properties = N, max_properties = M)]` on a struct with named fields: how
    /// many properties serde's JSON object holds (JSON Schema `minProperties`/`maxProperties`;
    /// `validate()` counts them).
    pub properties: (Option<usize>, Option<usize>),
    /// `#[record(validate)]`: codecs validate on encode and decode.
    pub validate_on_codec: bool,
    /// `#[record(export)]`: registered for `kafka_model::export::models_of!`.
    pub export: bool,
    /// `#[record(parent = Outer)]`: the type whose Protobuf message declares this one.
    pub parent: Option<syn::Path>,
    /// `#[record(unknown)] Variant(i32)` of a unit-only enum: Protobuf numbers the enum does not
    /// declare are kept in it (an open enum); it is no symbol.
    pub unknown_variant: Option<syn::Ident>,
    /// A tuple struct (`struct Point(f64, f64)`): serde writes it as a JSON array of its
    /// fields in order; the fields are named `_0`, `_1`, ... in the schemas.
    pub tuple: bool,
    /// Struct fields serde skips: absent from the model, filled with `Default` on decode.
    pub skipped: Vec<syn::Member>,
    /// `#[record(absent)] #[serde(skip)] ()` fields of a tuple struct (skipped like the others):
    /// positions after the fields that no array holds (`model::Model::json_absent_items`).
    pub absent_items: usize,
    /// `struct Event<'a>`: a borrowed view, which implements `RecordRef` instead of `Record`.
    pub lifetime: Option<syn::Lifetime>,
    pub data: Data,
}

pub enum Data {
    Struct(Vec<Field>),
    /// `#[serde(transparent)]` or a newtype struct (`struct OrderId(Uuid)`): serde writes the
    /// inner value, so every format maps the type to its inner type.
    Newtype(Box<Newtype>),
    /// Unit-only enum written by serde as a bare string.
    UnitEnum(Vec<Symbol>),
    /// Enum with data (or a tagged unit-only enum).
    Union(Tagging, Vec<Variant>),
}

pub struct Newtype {
    /// The field serde reads and writes.
    pub member: syn::Member,
    pub ty: syn::Type,
    /// Other fields (serde skips them), filled with `Default::default()` on decode.
    pub skipped: Vec<syn::Member>,
    /// `#[record(fixed)]`: a named Avro fixed type (the inner type is `[u8; N]`).
    pub fixed: bool,
    /// Validators on the inner field (`struct Code(#[record(max_len = 8)] String);`), the
    /// value's rules wherever it is; only a newtype that is a top-level `Record` takes them.
    pub validators: Vec<Spanned2<ValidatorAttr>>,
    /// `#[record(name = "..")]` on a newtype that is a top-level `Record`: its model's name
    /// (the JSON Schema `title`) instead of the primitive's. Any other newtype refuses it.
    pub name: Option<(String, Span)>,
}

pub enum Tagging {
    External,
    Internal(String),
    Adjacent(String, String),
    /// `#[serde(untagged)]`: JSON holds the payload alone; Avro and Protobuf still tell the
    /// variants apart (union branch index, oneof field number).
    Untagged,
}

/// Where a field's default comes from (what serde fills in when the field is missing).
pub enum FieldDefault {
    None,
    /// `Default::default()` of the field's type.
    Default,
    /// A function.
    Path(syn::ExprPath),
    /// The field of the container's `Default::default()` (`#[serde(default)]` on the struct).
    Container,
}

pub struct Field {
    /// `name` or, in a tuple struct, the index `0`.
    pub member: syn::Member,
    pub name: String,
    pub span: Span,
    /// The field's type, with the container's lifetime (a borrowed view) replaced by
    /// `'static`: what the model, the schemas and the compile-time checks name (in items where
    /// the lifetime is not in scope).
    pub ty: syn::Type,
    /// The field's type as declared (with the container's lifetime): what the decoder names.
    pub ty_decl: syn::Type,
    pub doc: Option<String>,
    pub aliases: Vec<String>,
    /// Explicit `#[record(tag = N)]`, with its span.
    pub explicit_tag: Option<(u32, Span)>,
    /// Resolved Protobuf field number.
    pub tag: u32,
    pub default: FieldDefault,
    pub json_optional: bool,
    /// `skip_serializing_if = "Option::is_none"` (any path ending so): JSON never holds `null`.
    pub json_skips_none: bool,
    /// serde's `skip_serializing_if` predicate: the field is a JSON property only when it says
    /// no (`validate()` counts the properties for `min_properties`/`max_properties`).
    pub skip_if: Option<syn::ExprPath>,
    /// `#[serde(flatten)]` on a map field: JSON's extra properties (`model::Field::json_flatten`).
    pub json_flatten: bool,
    pub tags: Vec<String>,
    pub int_encoding: Option<IntEncoding>,
    pub timestamp_millis: Option<bool>,
    pub decimal: Option<(u32, u32, Option<usize>)>,
    pub base64: bool,
    /// Declarative validators (`min`, `max_len`, `choices`, ...), each with its attribute's span.
    pub validators: Vec<Spanned2<ValidatorAttr>>,
    /// `with = path`: a custom check `fn(&T) -> Result<(), E>`.
    pub with: Option<syn::ExprPath>,
    /// `sensitive`: validation errors withhold the value.
    pub sensitive: bool,
    /// `coerce` on the field or on its type.
    pub coerce: bool,
    /// `null_last` / `no_default`, with the attribute's span.
    pub option_union: Option<(OptionUnion, Span)>,
    /// `#[record(oneof)]`: an enum with data (or an `Option` of one) whose variants Protobuf
    /// declares as a `oneof` of this message, with the variants' numbers.
    pub oneof: Option<Span>,
    /// `#[record(optional)]`: Protobuf declares the (`Option` of a message) field `optional`.
    pub proto_optional: Option<Span>,
    /// `#[record(rest)]`: the last field of a tuple struct, a list of the array's items after
    /// the other fields.
    pub rest: Option<Span>,
    /// `#[record(required_only)]`: JSON Schema names the field in `required` only.
    pub required_only: Option<Span>,
    /// `#[record(json_all_of = [[..], ..])]`: the property's keywords as `allOf` branches.
    pub json_all_of: Vec<Vec<String>>,
}

/// How Protobuf names an enum value (`model::ProtoValueName`).
pub enum ProtoName {
    Prefixed,
    /// `#[record(no_prefix)]` on the enum.
    Unprefixed,
    /// `#[record(proto_name = "...")]` on the variant, with the literal's span.
    Exact(String, Span),
}

pub struct Symbol {
    pub ident: syn::Ident,
    pub name: String,
    pub span: Span,
    pub doc: Option<String>,
    pub explicit_tag: Option<(i64, Span)>,
    /// Protobuf enum number (checked to fit an `int32`).
    pub tag: i64,
    pub is_default: bool,
    pub proto_name: ProtoName,
}

pub enum Payload {
    Newtype(Box<syn::Type>),
    Struct(Vec<Field>),
    Unit,
}

pub struct Variant {
    pub ident: syn::Ident,
    pub name: String,
    pub span: Span,
    pub doc: Option<String>,
    pub explicit_tag: Option<(u32, Span)>,
    pub tag: u32,
    /// `#[record(sint)]` / `#[record(fixed)]` on a newtype variant (a oneof member's encoding),
    /// with the attribute's span.
    pub int_encoding: Option<(IntEncoding, Span)>,
    /// `#[record(title = "...")]`: the JSON Schema `title` of the variant's branch.
    pub title: Option<String>,
    /// Validators on a newtype variant's field (`Code(#[record(max_len = 8)] String)`): the
    /// value's rules when it is this variant.
    pub validators: Vec<Spanned2<ValidatorAttr>>,
    pub payload: Payload,
    /// Fields of a struct variant that serde skips (filled with `Default` on decode).
    pub skipped: Vec<syn::Member>,
}

/// Replaces `Self` in field types by the type's name: the field types are used inside
/// generated items where `Self` would not resolve.
struct ReplaceSelf<'a>(&'a syn::Ident);

/// Replaces every lifetime by `'static` (the field types of a borrowed view, in the model).
struct StaticLifetimes;

impl VisitMut for StaticLifetimes {
    fn visit_lifetime_mut(&mut self, l: &mut syn::Lifetime) {
        *l = syn::Lifetime::new("'static", l.span());
    }
}

/// Whether a type mentions a lifetime (other than `'static`).
fn has_lifetime(ty: &syn::Type) -> bool {
    struct Find(bool);
    impl VisitMut for Find {
        fn visit_lifetime_mut(&mut self, l: &mut syn::Lifetime) {
            self.0 |= l.ident != "static";
        }
    }
    let mut f = Find(false);
    f.visit_type_mut(&mut ty.clone());
    f.0
}

/// The key type of a map inside `ty` (at any depth) whose key borrows: not supported, since
/// a key is read through `FieldKey::from_key_text`, which owns.
fn borrowed_map_key(ty: &syn::Type) -> Option<&syn::Type> {
    match ty {
        syn::Type::Path(p) => {
            for seg in &p.path.segments {
                if let syn::PathArguments::AngleBracketed(args) = &seg.arguments {
                    let types: Vec<&syn::Type> = args
                        .args
                        .iter()
                        .filter_map(|a| match a {
                            syn::GenericArgument::Type(t) => Some(t),
                            _ => None,
                        })
                        .collect();
                    let map = ["BTreeMap", "HashMap", "IndexMap"]
                        .iter()
                        .any(|m| seg.ident == m);
                    if map {
                        if let Some(k) = types.first().filter(|k| has_lifetime(k)) {
                            return Some(k);
                        }
                    }
                    if let Some(k) = types.iter().find_map(|t| borrowed_map_key(t)) {
                        return Some(k);
                    }
                }
            }
            None
        }
        syn::Type::Reference(r) => borrowed_map_key(&r.elem),
        syn::Type::Paren(p) => borrowed_map_key(&p.elem),
        syn::Type::Group(g) => borrowed_map_key(&g.elem),
        _ => None,
    }
}

impl VisitMut for ReplaceSelf<'_> {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.leading_colon.is_none() {
            if let Some(first) = path.segments.first_mut() {
                if first.ident == "Self" {
                    first.ident = self.0.clone();
                }
            }
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}

impl Container {
    pub fn from_ast(cx: &Ctxt, input: &syn::DeriveInput) -> Option<Container> {
        let scx = serde_derive_internals::Ctxt::new();
        let private = syn::Ident::new("__private", Span::call_site());
        let serde = serde_ast::Container::from_ast(
            &scx,
            input,
            serde_derive_internals::Derive::Deserialize,
            &private,
        );
        if let Err(e) = scx.check() {
            cx.syn_error(e);
            return None;
        }
        let serde = serde?;
        let attrs = attr::Container::from_attrs(cx, &input.attrs);

        // One lifetime and nothing else: a borrowed view (`RecordRef`) whose schema is its
        // owned equivalent's. Type parameters stay rejected: a schema needs one fixed name.
        let params = &input.generics.params;
        let lifetime = match params.first() {
            Some(syn::GenericParam::Lifetime(l)) if params.len() == 1 => Some(l.lifetime.clone()),
            _ => None,
        };
        if lifetime.is_none() && !params.is_empty() {
            cx.error_spanned_by(
                &input.generics,
                "#[derive(Record)] does not support generic types: a schema needs one fixed name and field list; \
                 declare a concrete type for each instantiation",
            );
        }
        if serde.attrs.type_from().is_some()
            || serde.attrs.type_try_from().is_some()
            || serde.attrs.type_into().is_some()
        {
            cx.error_spanned_by(&input.ident, "#[serde(from/into)] changes the JSON shape so the schema could not describe it; derive Record on the type serde reads and writes");
        }

        let ident = input.ident.clone();
        let serde_name = serde.attrs.name().serialize_name().value.clone();
        let name = match &attrs.name {
            Some(n) => {
                if n.value != serde_name && ident != serde.attrs.name().serialize_name().value {
                    cx.error_at(n.span, format!("#[record(name = \"{}\")] disagrees with #[serde(rename = \"{serde_name}\")]; keep one", n.value));
                }
                n.value.clone()
            }
            None => serde_name,
        };
        let name_span = attrs.name.as_ref().map_or(ident.span(), |n| n.span);
        let doc = attrs
            .doc
            .as_ref()
            .map(|d| d.value.clone())
            .or_else(|| attr::docs(&input.attrs));
        let crate_path = attrs
            .krate
            .as_ref()
            .map_or_else(|| syn::parse_quote!(::kafka_model), |k| k.value.clone());
        let krate: syn::Path = syn::parse_quote!(__k);
        let serializer = attrs.serializer.as_ref().map_or_else(
            || ("json".to_string(), Span::call_site()),
            |s| (s.value.clone(), s.span),
        );

        let container_default = !matches!(serde.attrs.default(), serde_attr::Default::None);
        let container_coerce = attrs.coerce.is_some();
        let mut skipped = Vec::new();
        let mut tuple = false;
        let mut absent_items = 0;
        let mut unknown_variant = None;
        let data = match &serde.data {
            serde_ast::Data::Struct(style, fields)
                if serde.attrs.transparent() || matches!(style, serde_ast::Style::Newtype) =>
            {
                Data::Newtype(Box::new(newtype_from(cx, &ident, &attrs, fields)))
            }
            serde_ast::Data::Struct(style, fields) => {
                if let Some(f) = &attrs.fixed {
                    cx.error_at(f.span, "#[record(fixed)] applies to a newtype over a byte array (`struct Digest([u8; 16]);`), not to a record");
                }
                if let Some(n) = &attrs.no_prefix {
                    cx.error_at(n.span, NO_PREFIX_MISUSE);
                }
                match style {
                    serde_ast::Style::Struct | serde_ast::Style::Tuple => {}
                    // A one-field tuple struct is a newtype (matched above).
                    serde_ast::Style::Newtype => {}
                    serde_ast::Style::Unit => {
                        cx.error_spanned_by(&input.ident, "#[derive(Record)] needs named fields: a unit struct has nothing to encode; add fields or use a unit variant of an enum");
                    }
                }
                if let (serde_ast::Style::Tuple, Some(open)) = (style, &attrs.open_content) {
                    cx.error_at(open.span, "#[record(open_content)] opens a JSON object to other properties; serde writes a tuple struct as an array of exactly its fields, so there is nothing to open; remove it");
                }
                tuple = matches!(style, serde_ast::Style::Tuple);
                let (fields, skip, absent) =
                    fields_from(cx, &ident, fields, container_default, container_coerce);
                skipped = skip;
                absent_items = absent;
                Data::Struct(fields)
            }
            serde_ast::Data::Enum(variants) => {
                if let Some(f) = &attrs.fixed {
                    cx.error_at(f.span, "#[record(fixed)] applies to a newtype over a byte array (`struct Digest([u8; 16]);`), not to an enum");
                }
                let no_prefix = attrs.no_prefix.as_ref().map(|n| n.span);
                let (data, unknown) =
                    enum_from(cx, &ident, &serde, variants, container_coerce, no_prefix);
                unknown_variant = unknown;
                data
            }
        };
        if let syn::Data::Union(u) = &input.data {
            cx.error_spanned_by(
                u.union_token,
                "#[derive(Record)] does not support unions; use an enum",
            );
        }

        if let Some(open) = &attrs.open_content {
            if serde.attrs.deny_unknown_fields() {
                cx.error_at(
                    open.span,
                    "#[record(open_content)] contradicts #[serde(deny_unknown_fields)]: an open \
                     JSON Schema accepts unknown properties that serde would then reject; \
                     remove one of the two",
                );
            }
        }
        // `required_only`: a property only `required` names is one of the object's extra
        // properties, which only an open object allows; and the field must be required.
        let open = attrs.open_content.is_some() && !serde.attrs.deny_unknown_fields();
        let (own, in_variants): (Vec<&Field>, Vec<&Field>) = match &data {
            Data::Struct(fields) => (fields.iter().collect(), Vec::new()),
            Data::Union(_, variants) => (
                Vec::new(),
                variants
                    .iter()
                    .filter_map(|v| match &v.payload {
                        Payload::Struct(fields) => Some(fields),
                        _ => None,
                    })
                    .flatten()
                    .collect(),
            ),
            _ => (Vec::new(), Vec::new()),
        };
        for f in in_variants {
            if let Some(span) = f.required_only {
                cx.error_at(span, "#[record(required_only)] applies to a field of a struct with named fields, not of a variant");
            }
        }
        for f in own {
            let Some(span) = f.required_only else {
                continue;
            };
            if tuple {
                cx.error_at(span, "#[record(required_only)] names a property in `required`; a tuple struct is an array, with no property names");
            } else if !open {
                cx.error_at(span, "#[record(required_only)] makes the field one of the object's extra properties (`required` names it, `properties` does not), which a closed JSON Schema object forbids; add #[record(open_content)] to the struct");
            } else if !matches!(f.default, FieldDefault::None) || f.json_optional {
                cx.error_at(span, "#[record(required_only)] names the field in `required`, so it must always be present: remove its serde `default`/`skip_serializing_if`");
            } else if f.json_flatten {
                cx.error_at(span, "#[record(required_only)] does not apply to a flattened map (its entries are the extra properties)");
            }
        }
        if let (Some(parent), Data::Newtype(_)) = (&attrs.parent, &data) {
            cx.error_at(
                parent.span,
                "#[record(parent = ..)] needs a message of its own; a newtype is written as its \
                 inner value, so it cannot be declared inside another message",
            );
        }
        let properties = (
            attrs.min_properties.as_ref().map(|p| p.value),
            attrs.max_properties.as_ref().map(|p| p.value),
        );
        for p in [&attrs.min_properties, &attrs.max_properties]
            .into_iter()
            .flatten()
        {
            if !matches!(data, Data::Struct(_)) || tuple {
                cx.error_at(
                    p.span,
                    "#[record(min_properties)] / #[record(max_properties)] count the properties \
                     of the JSON object serde writes for a struct with named fields; this type \
                     is not one",
                );
            }
        }
        if let (Some(min), Some(max)) = (&attrs.min_properties, &attrs.max_properties) {
            if min.value > max.value {
                cx.error_at(
                    max.span,
                    format!(
                        "max_properties = {} is below min_properties = {}: no object has both",
                        max.value, min.value
                    ),
                );
            }
        }
        let mut data = data;
        if lifetime.is_some() {
            match &mut data {
                Data::Struct(fields) => {
                    for f in fields {
                        if let Some(k) = borrowed_map_key(&f.ty) {
                            cx.error_spanned_by(
                                k,
                                "a map key cannot borrow (`&'a str` or `Cow<'a, str>` as a key): map keys \
                                 are decoded owned; use `String` keys (the values may borrow)",
                            );
                        }
                        if let Some(span) = f.oneof {
                            cx.error_at(span, "#[record(oneof)] is not supported in a borrowed view (a type with a lifetime) yet; decode the owned type");
                        }
                        StaticLifetimes.visit_type_mut(&mut f.ty);
                    }
                }
                _ => cx.error_spanned_by(
                    &input.generics,
                    "a borrowed view (a type with a lifetime) must be a struct with fields: \
                     enums and newtypes with a lifetime are not supported",
                ),
            }
            if let Some(v) = &attrs.validate {
                cx.error_at(v.span, "#[record(validate)] needs the encoders of a `Record`; a borrowed view (a type with a lifetime) only decodes");
            }
            if let Some(e) = &attrs.export {
                cx.error_at(e.span, "#[record(export)] lists `Record` types; a borrowed view (a type with a lifetime) is not one");
            }
        }
        Some(Container {
            lifetime,
            ident,
            name,
            name_span,
            namespace: attrs.namespace.map(|n| (n.value, n.span)),
            doc,
            aliases: attrs.aliases.map(|a| a.value).unwrap_or_default(),
            serializer,
            krate,
            crate_path,
            deny_unknown_fields: serde.attrs.deny_unknown_fields(),
            open_content: attrs.open_content.is_some(),
            json_id: attrs.json_id.map(|i| (i.value, i.span)),
            properties,
            validate_on_codec: attrs.validate.is_some(),
            export: attrs.export.is_some(),
            parent: attrs.parent.map(|p| p.value),
            unknown_variant,
            tuple,
            skipped,
            absent_items,
            data,
        })
    }
}

const NO_PREFIX_MISUSE: &str =
    "#[record(no_prefix)] names the Protobuf values of an enum whose variants carry no data \
     (`ACTIVE` rather than `STATUS_ACTIVE`); it does not apply here";

/// A transparent or newtype struct: the one field serde writes, the others skipped.
fn newtype_from(
    cx: &Ctxt,
    owner: &syn::Ident,
    attrs: &attr::Container,
    fields: &[serde_ast::Field],
) -> Newtype {
    // Schema names belong to records: a newtype has its inner type's schema. A named fixed
    // type (`#[record(fixed)]`) has a name of its own.
    let fixed = attrs.fixed.is_some();
    if let Some(n) = &attrs.no_prefix {
        cx.error_at(n.span, NO_PREFIX_MISUSE);
    }
    let named = |a: Option<Span>| if fixed { None } else { a };
    for (set, key) in [
        (named(attrs.namespace.as_ref().map(|a| a.span)), "namespace"),
        (named(attrs.aliases.as_ref().map(|a| a.span)), "aliases"),
        (attrs.serializer.as_ref().map(|a| a.span), "serializer"),
        (attrs.validate.as_ref().map(|a| a.span), "validate"),
    ] {
        if let Some(span) = set {
            cx.error_at(span, format!("#[record({key})] does not apply to a newtype: it maps to its inner type in every schema (serde writes the inner value); put the attribute on the record that holds it"));
        }
    }
    let mut inner = None;
    let mut skipped = Vec::new();
    let mut validators = Vec::new();
    for f in fields {
        let is_inner = if fields.len() == 1 {
            true
        } else {
            f.attrs.transparent()
        };
        if is_inner {
            // Validators are the value's own rules; any other field attribute says how a
            // record's field is written, which a newtype (its inner type everywhere) has not.
            let field_attrs = attr::Field::from_attrs(cx, &f.original.attrs);
            if let Some(span) = field_attrs.non_validator_span() {
                cx.error_at(span, NEWTYPE_FIELD_ATTR);
            }
            validators = field_attrs.validators;
            if fixed {
                if let Some(v) = validators.first() {
                    cx.error_at(v.span, "validators do not apply to a #[record(fixed)] newtype (a named Avro fixed has no rules of its own); put them on the field of the record that holds it");
                }
            }
        } else if f.original.attrs.iter().any(|a| a.path().is_ident("record")) {
            cx.error_spanned_by(f.original, NEWTYPE_FIELD_ATTR);
        }
        if is_inner {
            let mut ty = f.ty.clone();
            ReplaceSelf(owner).visit_type_mut(&mut ty);
            inner = Some((f.member.clone(), ty));
        } else {
            skipped.push(f.member.clone());
        }
    }
    let (member, ty) = inner.unwrap_or_else(|| {
        // serde has rejected this already; keep going with a placeholder.
        (syn::Member::Unnamed(0.into()), syn::parse_quote!(()))
    });
    if let Some(f) = &attrs.fixed {
        if !is_byte_array(&ty) && !is_duration(&ty) {
            cx.error_at(
                f.span,
                "#[record(fixed)] needs a newtype over a byte array (`struct Digest([u8; 16]);`) or over `AvroDuration` (`struct Ttl(AvroDuration);`)",
            );
        }
    }
    Newtype {
        member,
        ty,
        skipped,
        fixed,
        validators,
        name: attrs
            .name
            .as_ref()
            .filter(|_| !fixed)
            .map(|n| (n.value.clone(), n.span)),
    }
}

const NEWTYPE_FIELD_ATTR: &str = "#[record(...)] on a newtype's field has no effect: the newtype maps to its inner type; put the attribute on the field of the record that holds the newtype (a newtype's field takes validators only: min, max, min_len, max_len, non_empty, choices, pattern, multiple_of, unique)";

/// `BTreeMap`, `HashMap` or `IndexMap`, as spelled (any path prefix).
fn is_map(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().is_some_and(|s| {
            matches!(s.arguments, syn::PathArguments::AngleBracketed(_))
                && ["BTreeMap", "HashMap", "IndexMap"]
                    .iter()
                    .any(|m| s.ident == m)
        }),
        _ => false,
    }
}

/// `AvroDuration`, as spelled (any path prefix): the Avro `duration` fixed.
pub fn is_duration(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Path(p) => {
            p.qself.is_none()
                && p.path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "AvroDuration" && s.arguments.is_none())
        }
        syn::Type::Group(g) => is_duration(&g.elem),
        syn::Type::Paren(p) => is_duration(&p.elem),
        _ => false,
    }
}

/// `[u8; N]`, as spelled.
fn is_byte_array(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Array(a) => {
            matches!(&*a.elem, syn::Type::Path(p) if p.qself.is_none() && p.path.is_ident("u8"))
        }
        syn::Type::Group(g) => is_byte_array(&g.elem),
        syn::Type::Paren(p) => is_byte_array(&p.elem),
        _ => false,
    }
}

fn fields_from(
    cx: &Ctxt,
    owner: &syn::Ident,
    fields: &[serde_ast::Field],
    container_default: bool,
    container_coerce: bool,
) -> (Vec<Field>, Vec<syn::Member>, usize) {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    // `#[record(absent)]` positions (the attribute's span of each), after every present one.
    let mut absent: Vec<Span> = Vec::new();
    let mut present_after_absent: Option<(Span, String)> = None;
    let mut record_only_defaults = Vec::new();
    let mut next_tag = 1u32;
    let mut flattened = None;
    for f in fields {
        let attrs = attr::Field::from_attrs(cx, &f.original.attrs);
        let sa = &f.attrs;
        // (A tuple struct's field at its type: a field's span starts at its attributes.)
        let span = f
            .original
            .ident
            .as_ref()
            .map_or(f.original.ty.span(), Spanned::span);
        if sa.flatten() {
            if !is_map(f.ty) {
                cx.error_at(span, "#[serde(flatten)] of a record cannot be expressed in Avro or Protobuf: a schema has a fixed field list; declare the fields here or nest the record as a field (a flattened map with string keys is fine: JSON's extra properties)");
                continue;
            }
            if flattened.replace(span).is_some() {
                cx.error_at(span, "one #[serde(flatten)] map per record: serde gives every unknown JSON property to the first, so a second stays empty");
                continue;
            }
            if let Some(v) = attrs.validators.first() {
                cx.error_at(v.span, "validators on a #[serde(flatten)] map: its entries are the object's extra properties, which JSON Schema constrains one by one; put the rules on the map's value type");
            }
        }
        let skip_ser = sa.skip_serializing();
        let skip_de = sa.skip_deserializing();
        if skip_ser != skip_de {
            cx.error_at(span, "a field skipped in one direction only (skip_serializing / skip_deserializing) cannot be described by one schema; use #[serde(skip)]");
            continue;
        }
        if let Some(skip) = &attrs.skip {
            if !skip_ser {
                cx.error_at(skip.span, "#[record(skip)] needs #[serde(skip)] too, so JSON skips the field as well; write #[serde(skip)] (it is enough on its own)");
            }
        }
        if let Some(a) = &attrs.absent {
            if absent_field(cx, f, &attrs, a.span, skip_ser) {
                absent.push(a.span);
            }
        }
        if skip_ser {
            skipped.push(f.member.clone());
            continue;
        }
        if let (Some(a), None) = (absent.first(), &present_after_absent) {
            present_after_absent = Some((*a, member_str(&f.member)));
        }
        let member = f.member.clone();
        // serde writes a tuple struct's fields by position: the schemas name them `_0`, `_1`,
        // ... (valid Avro and Protobuf names), and nothing may shift the positions.
        let position = match &member {
            syn::Member::Unnamed(i) => Some(i.index),
            syn::Member::Named(_) => None,
        };
        if let (Some(_), Some(_)) = (position, sa.skip_serializing_if()) {
            cx.error_at(span, "serde writes a tuple struct as an array by position: a value left out by `skip_serializing_if` would shift the ones after it into the wrong fields; remove `skip_serializing_if` (or use named fields)");
        }
        if let Some(rest) = &attrs.rest {
            if position.is_none() {
                cx.error_at(rest.span, "#[record(rest)] holds the items of a JSON array after a tuple struct's other fields; this field is named (serde writes an object)");
            } else if let Some(v) = attrs.validators.first() {
                cx.error_at(v.span, "validators on a #[record(rest)] field are not rendered in the JSON Schema's `additionalItems`; check the items in the type's Deserialize impl");
            }
        }
        if let Some(a) = &attrs.json_all_of {
            let mut seen = std::collections::BTreeSet::new();
            if position.is_some() {
                cx.error_at(a.span, "#[record(json_all_of)] groups the keywords of a property's JSON Schema; a tuple struct's field is an array item");
            } else if a.value.is_empty() || a.value.iter().any(Vec::is_empty) {
                cx.error_at(a.span, "#[record(json_all_of)] needs groups of keywords, none empty: `json_all_of = [[\"enum\"], [\"type\", \"maxLength\"]]`");
            } else if let Some(k) = a.value.iter().flatten().find(|k| !seen.insert(k.as_str())) {
                cx.error_at(a.span, format!("#[record(json_all_of)] names `{k}` twice: each keyword goes into one branch"));
            } else if let Some(k) = a
                .value
                .iter()
                .flatten()
                .find(|k| ["description", "default", "confluent:tags"].contains(&k.as_str()))
            {
                cx.error_at(a.span, format!("#[record(json_all_of)] groups the keywords that constrain the value; `{k}` annotates the property and stays beside the `allOf`"));
            }
        }
        if let (Some(_), Some(r)) = (position, &attrs.rename) {
            cx.error_at(r.span, "a tuple struct's field has no name in JSON (serde writes it by position); the schemas name it `_0`, `_1`, ...; remove `rename`");
        }
        let serde_name = match position {
            Some(i) => format!("_{i}"),
            None => sa.name().serialize_name().value.clone(),
        };
        let de_name = match position {
            Some(_) => serde_name.clone(),
            None => sa.name().deserialize_name().value.clone(),
        };
        let name = match &attrs.rename {
            Some(r) if r.value != serde_name && position.is_none() => {
                cx.error_at(r.span, format!(
                    "#[record(rename = \"{}\")] disagrees with serde's name `{serde_name}` for this field, so JSON and the schemas would differ; rename it with #[serde(rename = \"{}\")] (enough on its own)",
                    r.value, r.value));
                r.value.clone()
            }
            _ => serde_name,
        };
        let mut aliases: Vec<String> = Vec::new();
        for a in sa.aliases().iter().filter(|_| position.is_none()) {
            if a.value != name && !aliases.contains(&a.value) {
                aliases.push(a.value.clone());
            }
        }
        if de_name != name && !aliases.contains(&de_name) {
            aliases.push(de_name);
        }
        for a in attrs.aliases.iter().flat_map(|a| a.value.iter()) {
            if !aliases.contains(a) {
                aliases.push(a.clone());
            }
        }

        let serde_default = match sa.default() {
            serde_attr::Default::None => None,
            serde_attr::Default::Default => Some(DefaultAttr::Default),
            serde_attr::Default::Path(p) => Some(DefaultAttr::Path(p.clone())),
        };
        let default = match (&attrs.default, serde_default) {
            (None, None) if container_default => FieldDefault::Container,
            (None, None) => FieldDefault::None,
            // Only a tuple struct with a `rest` field (checked below) has serde impls of its
            // own: there `#[record(default)]` says what they fill in.
            (Some(r), None) => {
                record_only_defaults.push(r.span);
                to_field_default(r.value.clone())
            }
            (Some(r), Some(s)) => {
                let same = match (&r.value, &s) {
                    (DefaultAttr::Default, DefaultAttr::Default) => true,
                    (DefaultAttr::Path(a), DefaultAttr::Path(b)) => {
                        a.to_token_stream().to_string() == b.to_token_stream().to_string()
                    }
                    _ => false,
                };
                if !same {
                    cx.error_at(
                        r.span,
                        "#[record(default)] disagrees with #[serde(default)]; keep the serde one",
                    );
                }
                to_field_default(s)
            }
            (None, Some(s)) => to_field_default(s),
        };

        let base64 = [sa.serialize_with(), sa.deserialize_with()]
            .into_iter()
            .flatten()
            .any(|p| p.path.segments.iter().any(|s| s.ident == "base64"));

        let mut ty = f.ty.clone();
        ReplaceSelf(owner).visit_type_mut(&mut ty);

        if let (Some(oneof), Some(_)) = (&attrs.oneof, &attrs.tag) {
            cx.error_at(
                oneof.span,
                "a #[record(oneof)] field has no number of its own: its members are numbered by the \
                 enum's variants (`#[record(tag = N)]` on each variant); remove the field's `tag`",
            );
        }
        let explicit_tag = attrs.tag.as_ref().map(|t| (t.value, t.span));
        let tag = explicit_tag.map_or(next_tag, |t| t.0);
        next_tag = tag.saturating_add(1);
        if let (Some(opt), Some(_)) = (&attrs.optional, &attrs.oneof) {
            cx.error_at(
                opt.span,
                "a #[record(oneof)] field is a oneof, not a field: it takes no `optional`",
            );
        }

        out.push(Field {
            member,
            name,
            span,
            ty_decl: ty.clone(),
            ty,
            doc: attrs
                .doc
                .map(|d| d.value)
                .or_else(|| attr::docs(&f.original.attrs)),
            aliases,
            explicit_tag,
            tag,
            default,
            json_optional: sa.skip_serializing_if().is_some(),
            json_skips_none: sa.skip_serializing_if().is_some_and(is_option_is_none),
            skip_if: sa.skip_serializing_if().cloned(),
            json_flatten: sa.flatten(),
            tags: attrs.tags.map(|t| t.value).unwrap_or_default(),
            int_encoding: attrs.int_encoding.map(|e| e.value),
            timestamp_millis: attrs.timestamp_millis.map(|t| t.value),
            decimal: attrs.decimal.map(|d| d.value),
            base64,
            validators: attrs.validators,
            with: attrs.with.map(|w| w.value),
            sensitive: attrs.sensitive.is_some(),
            coerce: container_coerce || attrs.coerce.is_some(),
            option_union: attrs.option_union.map(|o| (o.value, o.span)),
            oneof: attrs.oneof.map(|o| o.span),
            proto_optional: attrs.optional.map(|o| o.span),
            rest: attrs.rest.map(|r| r.span),
            required_only: attrs.required_only.map(|r| r.span),
            json_all_of: attrs.json_all_of.map(|a| a.value).unwrap_or_default(),
        });
    }
    if let Some(f) = out.iter().rev().skip(1).find(|f| f.rest.is_some()) {
        cx.error_at(
            f.rest.unwrap_or(f.span),
            "#[record(rest)] goes on the last field: it holds the items after all the others",
        );
    }
    if let Some((a, field)) = present_after_absent {
        cx.error_at(
            a,
            format!(
                "an #[record(absent)] position comes before the present field `{field}`: no array \
                 holds a position after one that is never present; put the absent fields last"
            ),
        );
    } else if let (Some(a), Some(_)) = (absent.first(), out.last().and_then(|f| f.rest)) {
        cx.error_at(*a, "#[record(absent)] after a #[record(rest)] list: the list holds every item after the fields, so no position is left that is never present; remove one of the two");
    }
    if out.last().is_none_or(|f| f.rest.is_none()) {
        for span in record_only_defaults {
            cx.error_at(span, "#[record(default)] needs #[serde(default)] too, so JSON fills the same value when the field is missing; write #[serde(default)] (enough on its own)");
        }
    }
    (out, skipped, absent.len())
}

/// Checks an `#[record(absent)]` field: a `()` that serde skips, in a tuple struct, with no
/// other `#[record]` attribute (a position that holds no value has nothing to write or check).
/// Whether it counts as an absent position.
fn absent_field(
    cx: &Ctxt,
    f: &serde_ast::Field,
    attrs: &attr::Field,
    span: Span,
    skipped: bool,
) -> bool {
    let mut ok = true;
    if let syn::Member::Named(_) = f.member {
        cx.error_at(span, "#[record(absent)] keeps a position of a tuple struct's JSON array that no array holds (a JSON Schema `false` item); this field is named, and serde writes an object, whose undeclared properties need no field; remove it");
        ok = false;
    }
    if !skipped {
        cx.error_at(
            span,
            "#[record(absent)] marks a position serde never writes or reads; add #[serde(skip)]",
        );
        ok = false;
    }
    if !matches!(f.ty, syn::Type::Tuple(t) if t.elems.is_empty()) {
        cx.error_spanned_by(
            f.ty,
            "an #[record(absent)] position holds no value: its field's type is `()`",
        );
        ok = false;
    }
    if let Some(other) = attrs.non_absent_span() {
        cx.error_at(other, "an #[record(absent)] position holds no value, so no other #[record] attribute applies to it; remove this one");
        ok = false;
    }
    ok
}

impl Field {
    /// The Rust name of the field (`name`, or `0` in a tuple struct).
    pub fn ident_str(&self) -> String {
        member_str(&self.member)
    }
}

/// `name`, or the index `0` of a tuple struct's field.
pub fn member_str(m: &syn::Member) -> String {
    match m {
        syn::Member::Named(i) => i.to_string(),
        syn::Member::Unnamed(i) => i.index.to_string(),
    }
}

/// `Option::is_none` as spelled (`std::option::Option::is_none` too): the predicate that skips
/// exactly the values serde would write as `null`.
fn is_option_is_none(p: &syn::ExprPath) -> bool {
    let s = &p.path.segments;
    s.len() >= 2 && s[s.len() - 1].ident == "is_none" && s[s.len() - 2].ident == "Option"
}

fn to_field_default(d: DefaultAttr) -> FieldDefault {
    match d {
        DefaultAttr::Default => FieldDefault::Default,
        DefaultAttr::Path(p) => FieldDefault::Path(p),
    }
}

fn enum_from(
    cx: &Ctxt,
    ident: &syn::Ident,
    serde: &serde_ast::Container,
    variants: &[serde_ast::Variant],
    container_coerce: bool,
    no_prefix: Option<Span>,
) -> (Data, Option<syn::Ident>) {
    let tagging = match serde.attrs.tag() {
        serde_attr::TagType::External => Tagging::External,
        serde_attr::TagType::Internal { tag } => Tagging::Internal(tag.clone()),
        serde_attr::TagType::Adjacent { tag, content } => {
            Tagging::Adjacent(tag.clone(), content.clone())
        }
        serde_attr::TagType::None => Tagging::Untagged,
    };
    if matches!(tagging, Tagging::Untagged)
        && variants
            .iter()
            .all(|v| matches!(v.style, serde_ast::Style::Unit))
    {
        cx.error_spanned_by(ident, "an #[serde(untagged)] enum of unit variants only writes every value as JSON `null`, so no reader could tell them apart; remove `untagged` (a unit-only enum is a string in JSON) or give the variants data");
    }
    if variants.is_empty() {
        cx.error_spanned_by(
            ident,
            "#[derive(Record)] needs at least one variant: an empty enum has no values to encode",
        );
    }
    // `#[record(unknown)] Other(i32)`: the open-enum variant, set aside.
    let mut unknown: Option<syn::Ident> = None;
    let is_unknown = |v: &serde_ast::Variant| {
        v.original.attrs.iter().any(|a| {
            a.path().is_ident("record")
                && a.parse_nested_meta(|m| {
                    if m.path.is_ident("unknown") {
                        Err(m.error("found"))
                    } else {
                        if m.input.peek(syn::Token![=]) {
                            let _: syn::Expr = m.value()?.parse()?;
                        }
                        Ok(())
                    }
                })
                .is_err()
        })
    };
    let all_unit = variants
        .iter()
        .filter(|v| !is_unknown(v))
        .all(|v| matches!(v.style, serde_ast::Style::Unit));
    let variants: Vec<&serde_ast::Variant> = variants
        .iter()
        .filter(|v| {
            if !is_unknown(v) {
                return true;
            }
            let span = v.ident.span();
            let is_i32 = matches!(v.style, serde_ast::Style::Newtype)
                && matches!(&v.fields[0].ty, syn::Type::Path(p) if p.path.is_ident("i32"));
            if !all_unit || !matches!(tagging, Tagging::External) {
                cx.error_at(span, "#[record(unknown)] keeps unknown Protobuf numbers of an enum of symbols; the other variants must carry no data");
            } else if !is_i32 {
                cx.error_at(span, "#[record(unknown)] goes on a variant holding the number: `Unknown(i32)`");
            } else if unknown.is_some() {
                cx.error_at(span, "only one variant can be #[record(unknown)]");
            } else {
                unknown = Some(v.ident.clone());
            }
            false
        })
        .collect();
    let mut next_tag = 1i64;
    let mut symbols = Vec::new();
    let mut out = Vec::new();
    for v in variants {
        let attrs = attr::Variant::from_attrs(cx, &v.original.attrs);
        let span = v.ident.span();
        if v.attrs.skip_serializing() || v.attrs.skip_deserializing() {
            cx.error_at(span, "skipped variants cannot be described by a schema; remove #[serde(skip)] or the variant");
            continue;
        }
        if v.attrs.untagged() {
            cx.error_at(span, "#[serde(untagged)] on a variant mixes tagged and untagged forms, which the schemas cannot describe; put `untagged` on the enum (every variant) or remove it");
            continue;
        }
        let serde_name = v.attrs.name().serialize_name().value.clone();
        let name = match &attrs.rename {
            Some(r) if r.value != serde_name => {
                cx.error_at(r.span, format!("#[record(rename = \"{}\")] disagrees with serde's name `{serde_name}`; rename it with #[serde(rename = \"{}\")] (enough on its own)", r.value, r.value));
                r.value.clone()
            }
            _ => serde_name,
        };
        let doc = attrs
            .doc
            .as_ref()
            .map(|d| d.value.clone())
            .or_else(|| attr::docs(&v.original.attrs));
        let explicit_tag = attrs.tag.as_ref().map(|t| (t.value, t.span));
        let tag = explicit_tag.map_or(next_tag, |t| t.0);
        // A negative number (an enum symbol's) does not move the numbering of the others.
        if tag >= 0 {
            next_tag = tag.saturating_add(1);
        }
        if all_unit && matches!(tagging, Tagging::External) {
            if let Some(t) = &attrs.title {
                cx.error_at(t.span, "#[record(title = \"...\")] titles the JSON Schema branch of a variant in an enum with data; an enum whose variants carry no data is one string schema (`enum`), with no branch per variant");
            }
            if let Some(e) = &attrs.int_encoding {
                cx.error_at(e.span, "`sint` / `fixed` choose the encoding of a oneof member's integer; a Protobuf enum value is always an int32 varint");
            }
            let proto_name = match (&attrs.proto_name, no_prefix) {
                (Some(p), _) => ProtoName::Exact(p.value.clone(), p.span),
                (None, Some(_)) => ProtoName::Unprefixed,
                (None, None) => ProtoName::Prefixed,
            };
            symbols.push(Symbol {
                ident: v.ident.clone(),
                name,
                span,
                doc,
                explicit_tag,
                tag,
                is_default: v.attrs.other() || attrs.default.is_some(),
                proto_name,
            });
            continue;
        }
        if let Some(p) = &attrs.proto_name {
            cx.error_at(p.span, "#[record(proto_name = \"...\")] names a Protobuf enum value; it applies to the variants of an enum whose variants carry no data (a oneof member is named after the variant: rename it with #[serde(rename = \"...\")])");
        }
        if let Some(d) = &attrs.default {
            cx.error_at(d.span, "#[record(default)] on a variant sets the Avro enum default and applies only to enums whose variants carry no data");
        }
        let mut skipped = Vec::new();
        if let (Some(e), false) = (
            &attrs.int_encoding,
            matches!(v.style, serde_ast::Style::Newtype),
        ) {
            cx.error_at(e.span, "`sint` / `fixed` on a variant choose the encoding of the integer a newtype variant holds (`V(i64)`); put them on the fields of a struct variant");
        }
        let mut validators = Vec::new();
        let payload = match v.style {
            serde_ast::Style::Unit => Payload::Unit,
            serde_ast::Style::Newtype => {
                // The value's own rules, as on a newtype struct's field; anything else says how
                // a record's field is written, which the variant's value is not.
                let field_attrs = attr::Field::from_attrs(cx, &v.fields[0].original.attrs);
                if let Some(span) = field_attrs.non_validator_span() {
                    cx.error_at(span, "a newtype variant's field takes validators only (`V(#[record(max_len = 8)] String)`): the value is the variant's branch, not a record's field; put other attributes on the variant or on a struct variant's fields");
                }
                validators = field_attrs.validators;
                let mut ty = v.fields[0].ty.clone();
                ReplaceSelf(ident).visit_type_mut(&mut ty);
                Payload::Newtype(Box::new(ty))
            }
            serde_ast::Style::Struct => {
                // (Named fields: an `absent` one is an error there, so the count is 0.)
                let (fields, skip, _) = fields_from(cx, ident, &v.fields, false, container_coerce);
                skipped = skip;
                Payload::Struct(fields)
            }
            serde_ast::Style::Tuple => {
                cx.error_at(span, "tuple variants with several fields cannot be expressed in Avro or Protobuf; use named fields `Variant { a: A, b: B }` or one field `Variant(Record)`");
                continue;
            }
        };
        // A oneof member's number is a field number: checked as one (a number outside u32
        // becomes 0, which the check rejects).
        out.push(Variant {
            ident: v.ident.clone(),
            name,
            span,
            doc,
            explicit_tag: explicit_tag.map(|(t, s)| (u32::try_from(t).unwrap_or(0), s)),
            tag: u32::try_from(tag).unwrap_or(0),
            int_encoding: attrs.int_encoding.map(|e| (e.value, e.span)),
            title: attrs.title.map(|t| t.value),
            validators,
            payload,
            skipped,
        });
    }
    let unit_enum = all_unit && matches!(tagging, Tagging::External);
    if let (Some(span), false) = (no_prefix, unit_enum) {
        cx.error_at(span, NO_PREFIX_MISUSE);
    }
    let data = if unit_enum {
        Data::UnitEnum(symbols)
    } else {
        Data::Union(tagging, out)
    };
    (data, unknown)
}
