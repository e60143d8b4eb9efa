//! Object schemas → structs: properties, required, open content, property counts and tags.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::generate::avro::{doc_lines, lit, unkeyword, DERIVES};
use crate::generate::generator::snake;
use crate::generate::GenerateError;

use super::shapes::is_tuple;
use super::{child, get, is_ident_like, lacks, no_serde, text, Doc, Emitter, Kind, Obj, Ty, TAGS};

impl Emitter<'_> {
    /// A struct for an object schema.
    pub(super) fn structure(
        &mut self,
        o: &Obj,
        at: &str,
        module: &[String],
        ident: &str,
        namespace: Option<&str>,
        rename: Option<&str>,
    ) -> Result<(), GenerateError> {
        self.allow(
            o,
            at,
            &[
                "type",
                "properties",
                "required",
                "additionalProperties",
                "title",
                "minProperties",
                "maxProperties",
            ],
        )?;
        // A schema for the other properties: a `#[serde(flatten)]` map holds them.
        let (closed, extra) = match get(o, "additionalProperties") {
            None | Some(Doc::Bool(true)) => (false, None),
            Some(Doc::Bool(false)) => (true, None),
            Some(values) => (false, Some(values.clone())),
        };
        let required: Vec<&str> = match get(o, "required") {
            None => Vec::new(),
            Some(Doc::Arr(names)) => names
                .iter()
                .map(|n| match n {
                    Doc::Str(s) => Ok(s.as_str()),
                    _ => Err(lacks(
                        &self.at(&child(at, "required")),
                        "a malformed `required`",
                    )),
                })
                .collect::<Result<_, _>>()?,
            Some(_) => {
                return Err(lacks(
                    &self.at(&child(at, "required")),
                    "a malformed `required`",
                ))
            }
        };
        let properties: Vec<(String, Doc)> = match get(o, "properties") {
            None => Vec::new(),
            Some(Doc::Obj(p)) => p.clone(),
            Some(_) => {
                return Err(lacks(
                    &self.at(&child(at, "properties")),
                    "malformed `properties`",
                ))
            }
        };
        // A required property without a schema: any value, as one of the extra properties
        // (`#[record(required_only)]`), which a closed object forbids.
        let unlisted: Vec<&str> = required
            .iter()
            .copied()
            .filter(|r| get(&properties, r).is_none())
            .collect();
        if let (Some(missing), true) = (unlisted.first(), closed) {
            return Err(lacks(
                &self.at(&child(at, "required")),
                &format!("a required property `{missing}` without a schema in `properties` of a closed object (no value has it)"),
            ));
        }
        let record_name = match namespace {
            Some(ns) => format!("{ns}.{}", rename.unwrap_or(ident)),
            None => rename.unwrap_or(ident).to_string(),
        };
        let mut fields = String::new();
        let mut defaults = String::new();
        let mut field_idents = BTreeSet::new();
        for (name, schema) in &properties {
            let pat = child(&child(at, "properties"), name);
            if !is_ident_like(name) {
                // The derive checks every name against Avro's and Protobuf's rules.
                return Err(lacks(
                    &self.at(&pat),
                    "a property name that is not a valid Avro/Protobuf name",
                ));
            }
            let mut fident = unkeyword(snake(name));
            while !field_idents.insert(fident.clone()) {
                fident.push('_');
            }
            let is_required = required.contains(&name.as_str());
            let doc = match schema {
                Doc::Obj(p) if get(p, "$ref").is_none() => {
                    // An object's or a tuple's description is its type's (rendered on its
                    // definition).
                    let object = self
                        .merged(p, &pat)
                        .is_ok_and(|m| match self.kind(&m, &pat) {
                            Ok(Some(Kind::Object)) => true,
                            Ok(Some(Kind::Array)) => is_tuple(&m),
                            _ => false,
                        });
                    if object {
                        None
                    } else {
                        text(p, "description").map(str::to_string)
                    }
                }
                _ => None,
            };
            // A `default` is the field's serde default (rendered back as `default`), Confluent's
            // `confluent:tags` its `tags`.
            let (schema, default, tags) = match schema {
                Doc::Obj(p) if get(p, "$ref").is_none() => (
                    Doc::Obj(
                        p.iter()
                            .filter(|(k, _)| k != "default" && k != TAGS)
                            .cloned()
                            .collect(),
                    ),
                    get(p, "default").cloned(),
                    get(p, TAGS).cloned(),
                ),
                other => (other.clone(), None, None),
            };
            let tags = match tags {
                None => Vec::new(),
                Some(Doc::Arr(tags)) => tags
                    .iter()
                    .map(|t| match t {
                        Doc::Str(t) => Ok(lit(t)),
                        _ => Err(lacks(
                            &self.at(&child(&pat, TAGS)),
                            "a tag that is not a string",
                        )),
                    })
                    .collect::<Result<_, _>>()?,
                Some(_) => return Err(lacks(&self.at(&child(&pat, TAGS)), "malformed tags")),
            };
            let mapped = self
                .gen
                .fields
                .get(&format!("{record_name}.{name}"))
                .cloned();
            let (ty, all_of) = match mapped {
                Some(path) => (
                    Ty {
                        rust: format!("crate::{path}"),
                        ..Ty::default()
                    },
                    None,
                ),
                None => match self.all_of_scalar(&schema, &pat)? {
                    Some((t, groups)) => (t, Some(groups)),
                    None => (self.ty(&schema, &pat, module, ident, name)?, None),
                },
            };
            let mut rust = ty.rust.clone();
            let nullable = rust.starts_with("Option<");
            let default_fn = match &default {
                Some(value) => {
                    let dat = self.at(&child(&pat, "default"));
                    if is_required {
                        return Err(lacks(&dat, "a `default` on a required property (a field with a default is optional)"));
                    }
                    let expr = self.default_expr(value, &ty, &dat)?;
                    let f = format!("{}_{fident}_default", snake(ident));
                    let _ = writeln!(defaults, "fn {f}() -> {rust} {{\n{expr}\n}}");
                    Some(f)
                }
                None => None,
            };
            // Optional but not nullable: an `Option` serde leaves out when `None` (the derive
            // renders it as the inner type, not required).
            let skips_none = !is_required && !nullable && default_fn.is_none();
            if skips_none {
                if ty.serde.is_some() || rust == "()" {
                    return Err(lacks(
                        &self.at(&pat),
                        "an optional property that is not nullable, of base64 bytes or null",
                    ));
                }
                rust = format!("Option<{rust}>");
            }
            doc_lines(&mut fields, doc.as_deref());
            if fident != *name {
                let _ = writeln!(fields, "#[serde(rename = {})]", lit(name));
            }
            if let Some(f) = &default_fn {
                let _ = writeln!(fields, "#[serde(default = {})]", lit(f));
            }
            if skips_none {
                let _ = writeln!(
                    fields,
                    "#[serde(skip_serializing_if = \"Option::is_none\")]"
                );
            }
            if let Some(attr) = &ty.serde {
                let _ = writeln!(fields, "#[serde({attr})]");
            }
            let mut record: Vec<String> = Vec::new();
            if is_required && nullable {
                record.push("no_default".into());
            }
            record.extend(ty.length.iter().cloned());
            record.extend(ty.value.iter().cloned());
            if !tags.is_empty() {
                record.push(format!("tags = [{}]", tags.join(", ")));
            }
            if let Some(groups) = all_of {
                record.push(format!("json_all_of = {groups}"));
            }
            if !record.is_empty() {
                let _ = writeln!(fields, "#[record({})]", record.join(", "));
            }
            let _ = writeln!(fields, "pub {fident}: {rust},");
        }
        for name in &unlisted {
            let pat = child(at, "required");
            if !is_ident_like(name) {
                return Err(lacks(
                    &self.at(&pat),
                    "a property name that is not a valid Avro/Protobuf name",
                ));
            }
            if extra.is_some() {
                return Err(lacks(
                    &self.at(&pat),
                    "a required property without a schema beside `additionalProperties` (its values' schema would apply to it)",
                ));
            }
            let mut fident = unkeyword(snake(name));
            while !field_idents.insert(fident.clone()) {
                fident.push('_');
            }
            if fident != *name {
                let _ = writeln!(fields, "#[serde(rename = {})]", lit(name));
            }
            let _ = writeln!(
                fields,
                "#[record(required_only)]\npub {fident}: serde_json::Value,"
            );
        }
        // (A flattened map's values are the `additionalProperties`: no `open_content`.)
        let open = !closed && extra.is_none();
        if let Some(values) = extra {
            let pat = child(at, "additionalProperties");
            let map = Doc::Obj(vec![
                ("type".into(), Doc::Str("object".into())),
                ("additionalProperties".into(), values),
            ]);
            let ty = self.ty(&map, &pat, module, ident, "additionalProperties")?;
            no_serde(&ty, &self.at(&pat))?;
            if !(ty.length.is_empty() && ty.value.is_empty()) {
                return Err(lacks(
                    &self.at(&pat),
                    "bounds on the values of a partially open object (a flattened map takes no validators)",
                ));
            }
            let mut fident = "additional_properties".to_string();
            while !field_idents.insert(fident.clone()) {
                fident.push('_');
            }
            let _ = writeln!(
                fields,
                "/// The properties not listed above.\n#[serde(flatten)]\npub {fident}: {},",
                ty.rust
            );
        }
        let mut item = String::new();
        doc_lines(&mut item, text(o, "description"));
        let _ = writeln!(item, "{DERIVES}");
        let mut record: Vec<String> = Vec::new();
        if let Some(ns) = namespace {
            record.push(format!("namespace = {}", lit(ns)));
        }
        if let Some(r) = rename {
            record.push(format!("name = {}", lit(r)));
        }
        if open {
            record.push("open_content".into());
        }
        for (key, attr) in [
            ("minProperties", "min_properties"),
            ("maxProperties", "max_properties"),
        ] {
            match get(o, key) {
                None => {}
                Some(Doc::Num(n)) if n.as_u64().is_some() => record.push(format!("{attr} = {n}")),
                Some(_) => {
                    return Err(lacks(
                        &self.at(&child(at, key)),
                        &format!("a `{key}` that is not a non-negative integer"),
                    ))
                }
            }
        }
        if !record.is_empty() {
            let _ = writeln!(item, "#[record({})]", record.join(", "));
        }
        let _ = writeln!(item, "pub struct {ident} {{\n{fields}}}");
        item.push_str(&defaults);
        self.push_item(module, item);
        Ok(())
    }
}
