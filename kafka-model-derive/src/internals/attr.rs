//! `#[record(...)]` attributes and `///` docs, parsed into plain structs.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Attribute, LitInt, LitStr};

use super::Ctxt;

/// A value with the span of the attribute that set it.
#[derive(Clone)]
pub struct Spanned2<T> {
    pub value: T,
    pub span: Span,
}

/// Sets an attribute once; a second occurrence is an error at the second one.
fn set<T>(cx: &Ctxt, slot: &mut Option<Spanned2<T>>, value: T, span: Span, name: &str) {
    if slot.is_some() {
        cx.error_at(span, format!("duplicate #[record({name})] attribute"));
    } else {
        *slot = Some(Spanned2 { value, span });
    }
}

fn lit_str(meta: &ParseNestedMeta) -> syn::Result<LitStr> {
    meta.value()?.parse::<LitStr>()
}

fn str_list(meta: &ParseNestedMeta) -> syn::Result<Vec<String>> {
    let input = meta.value()?;
    let content;
    syn::bracketed!(content in input);
    let items = content.parse_terminated(|p| p.parse::<LitStr>(), syn::Token![,])?;
    Ok(items.iter().map(LitStr::value).collect())
}

fn unknown(meta: &ParseNestedMeta, expected: &str) -> syn::Error {
    let name = meta
        .path
        .get_ident()
        .map(ToString::to_string)
        .unwrap_or_else(|| "?".into());
    meta.error(format!(
        "unknown record attribute `{name}`; expected one of: {expected}"
    ))
}

/// The text of the `///` comments, with the one leading space of each line removed.
pub fn docs(attrs: &[Attribute]) -> Option<String> {
    let mut lines = Vec::new();
    for attr in attrs {
        if !attr.path().is_ident("doc") {
            continue;
        }
        if let syn::Meta::NameValue(nv) = &attr.meta {
            if let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
            {
                let v = s.value();
                lines.push(v.strip_prefix(' ').unwrap_or(&v).trim_end().to_string());
            }
        }
    }
    let text = lines.join("\n").trim().to_string();
    (!text.is_empty()).then_some(text)
}

fn for_each_record_attr(
    cx: &Ctxt,
    attrs: &[Attribute],
    mut f: impl FnMut(&ParseNestedMeta) -> syn::Result<()>,
) {
    for attr in attrs {
        if !attr.path().is_ident("record") {
            continue;
        }
        if let syn::Meta::Path(_) = attr.meta {
            cx.error_spanned_by(attr, "expected #[record(...)] with arguments");
            continue;
        }
        if let Err(e) = attr.parse_nested_meta(|meta| f(&meta)) {
            cx.syn_error(e);
        }
    }
}

/// `#[record(...)]` on a struct or enum.
#[derive(Default)]
pub struct Container {
    pub name: Option<Spanned2<String>>,
    pub namespace: Option<Spanned2<String>>,
    pub doc: Option<Spanned2<String>>,
    pub aliases: Option<Spanned2<Vec<String>>>,
    pub serializer: Option<Spanned2<String>>,
    pub krate: Option<Spanned2<syn::Path>>,
    pub validate: Option<Spanned2<()>>,
    pub coerce: Option<Spanned2<()>>,
    /// `#[record(open_content)]`: the JSON Schema leaves the object open.
    pub open_content: Option<Spanned2<()>>,
    pub export: Option<Spanned2<()>>,
    /// `#[record(fixed)]` on a newtype over `[u8; N]`: a named Avro fixed type.
    pub fixed: Option<Spanned2<()>>,
    /// `#[record(parent = Outer)]`: Protobuf declares the message inside `Outer`'s.
    pub parent: Option<Spanned2<syn::Path>>,
    /// `#[record(no_prefix)]` on an enum without data: Protobuf value names without the
    /// `ENUM_NAME_` prefix.
    pub no_prefix: Option<Spanned2<()>>,
    /// `#[record(json_id = "...")]`: the root JSON Schema's `$id`.
    pub json_id: Option<Spanned2<String>>,
    /// `#[record(min_properties = N)]` on a struct: JSON holds at least N properties.
    pub min_properties: Option<Spanned2<usize>>,
    /// `#[record(max_properties = N)]` on a struct: JSON holds at most N properties.
    pub max_properties: Option<Spanned2<usize>>,
}

const CONTAINER_KEYS: &str =
    "name, namespace, doc, aliases, serializer, crate, validate, coerce, open_content, export, fixed, parent, no_prefix, json_id, min_properties, max_properties";

impl Container {
    pub fn from_attrs(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut c = Container::default();
        for_each_record_attr(cx, attrs, |meta| {
            let span = meta.path.span();
            if meta.path.is_ident("name") {
                set(cx, &mut c.name, lit_str(meta)?.value(), span, "name");
            } else if meta.path.is_ident("namespace") {
                set(
                    cx,
                    &mut c.namespace,
                    lit_str(meta)?.value(),
                    span,
                    "namespace",
                );
            } else if meta.path.is_ident("doc") {
                set(cx, &mut c.doc, lit_str(meta)?.value(), span, "doc");
            } else if meta.path.is_ident("json_id") {
                set(cx, &mut c.json_id, lit_str(meta)?.value(), span, "json_id");
            } else if meta.path.is_ident("min_properties") {
                let n = usize_lit(meta)?;
                set(cx, &mut c.min_properties, n, span, "min_properties");
            } else if meta.path.is_ident("max_properties") {
                let n = usize_lit(meta)?;
                set(cx, &mut c.max_properties, n, span, "max_properties");
            } else if meta.path.is_ident("aliases") {
                set(cx, &mut c.aliases, str_list(meta)?, span, "aliases");
            } else if meta.path.is_ident("serializer") {
                let lit = lit_str(meta)?;
                set(cx, &mut c.serializer, lit.value(), lit.span(), "serializer");
            } else if meta.path.is_ident("crate") {
                let lit = lit_str(meta)?;
                set(cx, &mut c.krate, lit.parse::<syn::Path>()?, span, "crate");
            } else if meta.path.is_ident("validate") {
                set(cx, &mut c.validate, (), span, "validate");
            } else if meta.path.is_ident("coerce") {
                set(cx, &mut c.coerce, (), span, "coerce");
            } else if meta.path.is_ident("open_content") {
                set(cx, &mut c.open_content, (), span, "open_content");
            } else if meta.path.is_ident("export") {
                if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
                    return Err(meta.error(
                        "`export` takes no value: the export directory and level are chosen where the schemas are exported (`Exporter::new(dir)`)",
                    ));
                }
                set(cx, &mut c.export, (), span, "export");
            } else if meta.path.is_ident("fixed") {
                set(cx, &mut c.fixed, (), span, "fixed");
            } else if meta.path.is_ident("parent") {
                let input = meta.value()?;
                if input.peek(LitStr) {
                    return Err(input.error(
                        "`parent` takes the parent type itself, not a string: `parent = Outer`",
                    ));
                }
                let path = input.parse::<syn::Path>()?;
                set(cx, &mut c.parent, path, span, "parent");
            } else if meta.path.is_ident("no_prefix") {
                set(cx, &mut c.no_prefix, (), span, "no_prefix");
            } else {
                return Err(unknown(meta, CONTAINER_KEYS));
            }
            Ok(())
        });
        c
    }
}

/// Integer encoding chosen by `sint` / `fixed`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum IntEncoding {
    Zigzag,
    Fixed,
}

/// `#[record(default)]` or `#[record(default = "path")]`.
#[derive(Clone)]
pub enum DefaultAttr {
    Default,
    Path(syn::ExprPath),
}

/// `#[record(...)]` on a field.
#[derive(Default)]
pub struct Field {
    pub rename: Option<Spanned2<String>>,
    pub doc: Option<Spanned2<String>>,
    pub default: Option<Spanned2<DefaultAttr>>,
    pub skip: Option<Spanned2<()>>,
    pub aliases: Option<Spanned2<Vec<String>>>,
    pub tag: Option<Spanned2<u32>>,
    pub int_encoding: Option<Spanned2<IntEncoding>>,
    pub timestamp_millis: Option<Spanned2<bool>>,
    /// `decimal(precision = P, scale = S[, fixed = N])`.
    pub decimal: Option<Spanned2<(u32, u32, Option<usize>)>>,
    pub tags: Option<Spanned2<Vec<String>>>,
    /// Declarative validators, in the order written.
    pub validators: Vec<Spanned2<ValidatorAttr>>,
    pub with: Option<Spanned2<syn::ExprPath>>,
    pub sensitive: Option<Spanned2<()>>,
    pub coerce: Option<Spanned2<()>>,
    /// `null_last` / `no_default`: how Avro writes an `Option` field.
    pub option_union: Option<Spanned2<OptionUnion>>,
    /// `oneof`: Protobuf writes the enum's variants as a `oneof` of this message.
    pub oneof: Option<Spanned2<()>>,
    /// `optional`: Protobuf declares an `Option` of a message `optional` (explicit presence).
    pub optional: Option<Spanned2<()>>,
    /// `rest`: the last field of a tuple struct (a `Vec`) holds the array's items after the
    /// other fields (the type's own serde impls flatten it; serde's derive cannot).
    pub rest: Option<Spanned2<()>>,
    /// `absent`: a `#[serde(skip)] ()` field after a tuple struct's fields, a position no array
    /// holds (a JSON Schema `false` item; no field anywhere else).
    pub absent: Option<Spanned2<()>>,
    /// `required_only`: JSON Schema lists the (`serde_json::Value`) field in `required` only.
    pub required_only: Option<Spanned2<()>>,
    /// `json_all_of = [["enum"], ["type", "maxLength"]]`: the property's JSON Schema keywords
    /// as `allOf` branches.
    pub json_all_of: Option<Spanned2<Vec<Vec<String>>>>,
}

/// How Avro writes an `Option` field (`model::OptionUnion`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum OptionUnion {
    NullFirstNoDefault,
    NullLast,
}

/// A literal in a validator: a limit or a choice.
#[derive(Clone, PartialEq)]
pub enum ConstLit {
    Int(i128),
    Float(f64),
    Str(String),
}

/// A declarative validator on a field.
#[derive(Clone)]
pub enum ValidatorAttr {
    Min(ConstLit),
    Max(ConstLit),
    MinLen(usize),
    MaxLen(usize),
    NonEmpty,
    Choices(Vec<(ConstLit, Span)>),
    Pattern(String),
    MultipleOf(ConstLit),
    Unique,
}

impl ValidatorAttr {
    /// The attribute name (for duplicate checks and messages).
    pub fn key(&self) -> &'static str {
        match self {
            ValidatorAttr::Min(_) => "min",
            ValidatorAttr::Max(_) => "max",
            ValidatorAttr::MinLen(_) => "min_len",
            ValidatorAttr::MaxLen(_) => "max_len",
            ValidatorAttr::NonEmpty => "non_empty",
            ValidatorAttr::Choices(_) => "choices",
            ValidatorAttr::Pattern(_) => "pattern",
            ValidatorAttr::MultipleOf(_) => "multiple_of",
            ValidatorAttr::Unique => "unique",
        }
    }
}

const FIELD_KEYS: &str = "rename, doc, default, skip, aliases, tag, sint, fixed, timestamp, decimal(precision, scale, fixed), tags, null_last, no_default, \
     min, max, min_len, max_len, non_empty, choices, pattern, multiple_of, unique, with, sensitive, coerce, oneof, optional, rest, absent, required_only, json_all_of";

/// An integer, float or string literal, optionally negated: `1`, `-2.5`, `"2020-01-01"`.
fn const_lit(input: syn::parse::ParseStream) -> syn::Result<(ConstLit, Span)> {
    let expr: syn::Expr = input.parse()?;
    let span = expr.span();
    let (neg, lit) = match &expr {
        syn::Expr::Lit(l) => (false, &l.lit),
        syn::Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr: inner,
            ..
        }) => match &**inner {
            syn::Expr::Lit(l) => (true, &l.lit),
            _ => return Err(syn::Error::new(span, "expected a number or string literal")),
        },
        _ => return Err(syn::Error::new(span, "expected a number or string literal")),
    };
    let value = match lit {
        syn::Lit::Int(i) => {
            let v: i128 = i.base10_parse()?;
            ConstLit::Int(if neg { -v } else { v })
        }
        syn::Lit::Float(f) => {
            let v: f64 = f.base10_parse()?;
            if !v.is_finite() {
                return Err(syn::Error::new(span, "the number must be finite"));
            }
            ConstLit::Float(if neg { -v } else { v })
        }
        syn::Lit::Str(s) if !neg => ConstLit::Str(s.value()),
        _ => return Err(syn::Error::new(span, "expected a number or string literal")),
    };
    Ok((value, span))
}

fn usize_lit(meta: &ParseNestedMeta) -> syn::Result<usize> {
    let lit: LitInt = meta.value()?.parse()?;
    lit.base10_parse::<usize>()
        .map_err(|_| syn::Error::new(lit.span(), "expected a length (a non-negative integer)"))
}

fn parse_tag(meta: &ParseNestedMeta) -> syn::Result<u32> {
    let lit: LitInt = meta.value()?.parse()?;
    lit.base10_parse::<u32>().map_err(|_| {
        syn::Error::new(
            lit.span(),
            "tag must be a positive integer (a Protobuf field number)",
        )
    })
}

impl Field {
    /// Where an attribute other than a validator is set, if one is (a newtype's field takes
    /// validators only: everything else is the type's, not the value's).
    pub fn non_validator_span(&self) -> Option<Span> {
        self.keyed_span()
            .or_else(|| self.absent.as_ref().map(|a| a.span))
    }

    /// Where an attribute other than `absent` is set, if one is (an absent position has no
    /// value, so nothing can say how it is written or checked).
    pub fn non_absent_span(&self) -> Option<Span> {
        self.validators
            .first()
            .map(|v| v.span)
            .or_else(|| self.keyed_span())
    }

    /// The first key set other than a validator or `absent`.
    fn keyed_span(&self) -> Option<Span> {
        [
            self.rename.as_ref().map(|a| a.span),
            self.doc.as_ref().map(|a| a.span),
            self.default.as_ref().map(|a| a.span),
            self.skip.as_ref().map(|a| a.span),
            self.aliases.as_ref().map(|a| a.span),
            self.tag.as_ref().map(|a| a.span),
            self.int_encoding.as_ref().map(|a| a.span),
            self.timestamp_millis.as_ref().map(|a| a.span),
            self.decimal.as_ref().map(|a| a.span),
            self.tags.as_ref().map(|a| a.span),
            self.with.as_ref().map(|a| a.span),
            self.sensitive.as_ref().map(|a| a.span),
            self.coerce.as_ref().map(|a| a.span),
            self.option_union.as_ref().map(|a| a.span),
            self.oneof.as_ref().map(|a| a.span),
            self.optional.as_ref().map(|a| a.span),
            self.rest.as_ref().map(|a| a.span),
            self.required_only.as_ref().map(|a| a.span),
            self.json_all_of.as_ref().map(|a| a.span),
        ]
        .into_iter()
        .flatten()
        .next()
    }

    pub fn from_attrs(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut f = Field::default();
        for_each_record_attr(cx, attrs, |meta| {
            let span = meta.path.span();
            if meta.path.is_ident("rename") {
                set(cx, &mut f.rename, lit_str(meta)?.value(), span, "rename");
            } else if meta.path.is_ident("doc") {
                set(cx, &mut f.doc, lit_str(meta)?.value(), span, "doc");
            } else if meta.path.is_ident("default") {
                let value = if meta.input.peek(syn::Token![=]) {
                    let lit = lit_str(meta)?;
                    DefaultAttr::Path(lit.parse()?)
                } else {
                    DefaultAttr::Default
                };
                set(cx, &mut f.default, value, span, "default");
            } else if meta.path.is_ident("skip") {
                set(cx, &mut f.skip, (), span, "skip");
            } else if meta.path.is_ident("aliases") {
                set(cx, &mut f.aliases, str_list(meta)?, span, "aliases");
            } else if meta.path.is_ident("tag") {
                let tag = parse_tag(meta)?;
                set(cx, &mut f.tag, tag, span, "tag");
            } else if let Some(encoding) = int_encoding_key(&meta.path) {
                set(cx, &mut f.int_encoding, encoding, span, "sint/fixed");
            } else if meta.path.is_ident("timestamp") {
                let lit = lit_str(meta)?;
                let millis = match lit.value().as_str() {
                    "millis" => true,
                    "micros" => false,
                    other => {
                        return Err(syn::Error::new(
                            lit.span(),
                            format!("timestamp precision must be \"millis\" or \"micros\", found \"{other}\""),
                        ))
                    }
                };
                set(cx, &mut f.timestamp_millis, millis, span, "timestamp");
            } else if meta.path.is_ident("decimal") {
                let (mut precision, mut scale, mut fixed) = (None, None, None);
                meta.parse_nested_meta(|inner| {
                    let lit: LitInt = inner.value()?.parse()?;
                    if inner.path.is_ident("fixed") {
                        fixed = Some(lit.base10_parse::<usize>()?);
                        return Ok(());
                    }
                    let v = lit.base10_parse::<u32>()?;
                    if inner.path.is_ident("precision") {
                        precision = Some(v);
                    } else if inner.path.is_ident("scale") {
                        scale = Some(v);
                    } else {
                        return Err(inner.error(
                            "expected `precision = P`, `scale = S` or `fixed = N` (bytes)",
                        ));
                    }
                    Ok(())
                })?;
                match (precision, scale) {
                    (Some(p), Some(s)) => set(cx, &mut f.decimal, (p, s, fixed), span, "decimal"),
                    _ => {
                        return Err(meta
                            .error("write decimal(precision = P, scale = S), both are required"))
                    }
                }
            } else if meta.path.is_ident("tags") {
                set(cx, &mut f.tags, str_list(meta)?, span, "tags");
            } else if meta.path.is_ident("min") || meta.path.is_ident("max") {
                let (lit, _) = const_lit(meta.value()?)?;
                let v = if meta.path.is_ident("min") {
                    ValidatorAttr::Min(lit)
                } else {
                    ValidatorAttr::Max(lit)
                };
                f.validators.push(Spanned2 { value: v, span });
            } else if meta.path.is_ident("multiple_of") {
                let (lit, _) = const_lit(meta.value()?)?;
                f.validators.push(Spanned2 {
                    value: ValidatorAttr::MultipleOf(lit),
                    span,
                });
            } else if meta.path.is_ident("min_len") {
                let n = usize_lit(meta)?;
                f.validators.push(Spanned2 {
                    value: ValidatorAttr::MinLen(n),
                    span,
                });
            } else if meta.path.is_ident("max_len") {
                let n = usize_lit(meta)?;
                f.validators.push(Spanned2 {
                    value: ValidatorAttr::MaxLen(n),
                    span,
                });
            } else if meta.path.is_ident("non_empty") {
                f.validators.push(Spanned2 {
                    value: ValidatorAttr::NonEmpty,
                    span,
                });
            } else if meta.path.is_ident("unique") {
                f.validators.push(Spanned2 {
                    value: ValidatorAttr::Unique,
                    span,
                });
            } else if meta.path.is_ident("choices") {
                let input = meta.value()?;
                let content;
                syn::bracketed!(content in input);
                let items = content.parse_terminated(const_lit, syn::Token![,])?;
                let items = items.into_iter().collect();
                f.validators.push(Spanned2 {
                    value: ValidatorAttr::Choices(items),
                    span,
                });
            } else if meta.path.is_ident("pattern") {
                let lit = lit_str(meta)?;
                if let Err(e) = regex::Regex::new(&lit.value()) {
                    return Err(syn::Error::new(
                        lit.span(),
                        format!("invalid regex in `pattern`: {e}"),
                    ));
                }
                f.validators.push(Spanned2 {
                    value: ValidatorAttr::Pattern(lit.value()),
                    span,
                });
            } else if meta.path.is_ident("with") {
                let path: syn::ExprPath = meta.value()?.parse()?;
                set(cx, &mut f.with, path, span, "with");
            } else if meta.path.is_ident("sensitive") {
                set(cx, &mut f.sensitive, (), span, "sensitive");
            } else if meta.path.is_ident("coerce") {
                set(cx, &mut f.coerce, (), span, "coerce");
            } else if meta.path.is_ident("null_last") {
                set(
                    cx,
                    &mut f.option_union,
                    OptionUnion::NullLast,
                    span,
                    "null_last/no_default",
                );
            } else if meta.path.is_ident("oneof") {
                set(cx, &mut f.oneof, (), span, "oneof");
            } else if meta.path.is_ident("optional") {
                set(cx, &mut f.optional, (), span, "optional");
            } else if meta.path.is_ident("rest") {
                set(cx, &mut f.rest, (), span, "rest");
            } else if meta.path.is_ident("absent") {
                set(cx, &mut f.absent, (), span, "absent");
            } else if meta.path.is_ident("required_only") {
                set(cx, &mut f.required_only, (), span, "required_only");
            } else if meta.path.is_ident("json_all_of") {
                let input = meta.value()?;
                let content;
                syn::bracketed!(content in input);
                let groups = content.parse_terminated(
                    |p| {
                        let inner;
                        syn::bracketed!(inner in p);
                        let keys =
                            inner.parse_terminated(|p| p.parse::<LitStr>(), syn::Token![,])?;
                        Ok(keys.iter().map(LitStr::value).collect::<Vec<_>>())
                    },
                    syn::Token![,],
                )?;
                set(
                    cx,
                    &mut f.json_all_of,
                    groups.into_iter().collect(),
                    span,
                    "json_all_of",
                );
            } else if meta.path.is_ident("no_default") {
                set(
                    cx,
                    &mut f.option_union,
                    OptionUnion::NullFirstNoDefault,
                    span,
                    "null_last/no_default",
                );
            } else {
                return Err(unknown(meta, FIELD_KEYS));
            }
            Ok(())
        });
        f
    }
}

/// `#[record(...)]` on an enum variant.
#[derive(Default)]
pub struct Variant {
    pub rename: Option<Spanned2<String>>,
    pub doc: Option<Spanned2<String>>,
    /// Signed: an enum symbol's number may be negative (a oneof member's may not).
    pub tag: Option<Spanned2<i64>>,
    pub default: Option<Spanned2<()>>,
    /// `unknown`: the `Variant(i32)` of a unit-only enum that keeps Protobuf numbers the enum
    /// does not declare (an open enum).
    pub unknown: Option<Spanned2<()>>,
    /// `sint` / `fixed`: the Protobuf encoding of a newtype variant's integer (a oneof member).
    pub int_encoding: Option<Spanned2<IntEncoding>>,
    /// `proto_name = "ACTIVE"`: the exact Protobuf name of an enum value.
    pub proto_name: Option<Spanned2<String>>,
    /// `title = "..."`: the JSON Schema `title` of a variant's branch.
    pub title: Option<Spanned2<String>>,
}

const VARIANT_KEYS: &str = "rename, doc, tag, default, unknown, sint, fixed, proto_name, title";

impl Variant {
    pub fn from_attrs(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut v = Variant::default();
        for_each_record_attr(cx, attrs, |meta| {
            let span = meta.path.span();
            if meta.path.is_ident("rename") {
                set(cx, &mut v.rename, lit_str(meta)?.value(), span, "rename");
            } else if meta.path.is_ident("doc") {
                set(cx, &mut v.doc, lit_str(meta)?.value(), span, "doc");
            } else if meta.path.is_ident("title") {
                set(cx, &mut v.title, lit_str(meta)?.value(), span, "title");
            } else if meta.path.is_ident("tag") {
                let tag =
                    match const_lit(meta.value()?)? {
                        (ConstLit::Int(i), _) => i64::try_from(i).unwrap_or(i64::MAX),
                        (_, span) => return Err(syn::Error::new(
                            span,
                            "tag must be an integer (a Protobuf enum number or oneof field number)",
                        )),
                    };
                set(cx, &mut v.tag, tag, span, "tag");
            } else if meta.path.is_ident("default") {
                set(cx, &mut v.default, (), span, "default");
            } else if meta.path.is_ident("unknown") {
                set(cx, &mut v.unknown, (), span, "unknown");
            } else if let Some(encoding) = int_encoding_key(&meta.path) {
                set(cx, &mut v.int_encoding, encoding, span, "sint/fixed");
            } else if meta.path.is_ident("proto_name") {
                let lit = lit_str(meta)?;
                set(cx, &mut v.proto_name, lit.value(), lit.span(), "proto_name");
            } else {
                return Err(unknown(meta, VARIANT_KEYS));
            }
            Ok(())
        });
        v
    }
}

/// The integer encoding `sint` or `fixed` names (on a field or a oneof variant), if the key is one.
fn int_encoding_key(path: &syn::Path) -> Option<IntEncoding> {
    if path.is_ident("sint") {
        Some(IntEncoding::Zigzag)
    } else if path.is_ident("fixed") {
        Some(IntEncoding::Fixed)
    } else {
        None
    }
}
