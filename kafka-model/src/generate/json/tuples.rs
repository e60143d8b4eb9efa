//! Array schemas with an `items` list → tuple structs (and serde impls for open tuples).

use std::fmt::Write as _;

use crate::generate::avro::{doc_lines, lit, DERIVES};
use crate::generate::GenerateError;

use super::scalars::as_i128;
use super::{child, get, lacks, text, unboxed, Doc, Emitter, Obj, Ty};

impl Emitter<'_> {
    /// A tuple struct for an `items` list. Closed (`additionalItems: false`): serde writes it
    /// as an array of exactly its fields and reads the items from `minItems` on as missing when
    /// they are (`#[serde(default)]`; the derive renders `minItems` back from the defaults); a
    /// one-item list gets a skipped `()` field (a one-field tuple struct would be a newtype,
    /// its bare value). Open (`additionalItems` absent, `true` or a schema): a last field
    /// `#[record(rest)] Vec<T>` (`serde_json::Value` items when any is allowed) holds the items
    /// after the others, and the type gets serde impls of its own (serde's derive reads exactly
    /// the fields): `tuple_serde`.
    pub(super) fn tuple(
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
            &["type", "items", "additionalItems", "minItems", "title"],
        )?;
        let Some(Doc::Arr(items)) = get(o, "items") else {
            return Err(GenerateError::Internal {
                message: "a tuple without an `items` list".into(),
            });
        };
        let iat = child(at, "items");
        if items.is_empty() {
            return Err(lacks(&self.at(&iat), "an empty `items` list"));
        }
        // `false` items: positions no array holds, `#[record(absent)]` fields after the others.
        // Only trailing ones say that alone (an item after one is never present either).
        let present = items
            .iter()
            .position(|i| *i == Doc::Bool(false))
            .unwrap_or(items.len());
        if let Some(i) = items[present..].iter().position(|i| *i != Doc::Bool(false)) {
            return Err(lacks(
                &self.at(&child(&iat, &(present + i).to_string())),
                "a tuple item after a `false` one (no array holds it)",
            ));
        }
        if present == 0 {
            return Err(lacks(
                &self.at(&child(&iat, "0")),
                "a tuple whose items are all `false` (only the empty array)",
            ));
        }
        let absent = items.len() - present;
        let items = &items[..present];
        let aat = child(at, "additionalItems");
        let rest = match get(o, "additionalItems") {
            Some(Doc::Bool(false)) => None,
            None | Some(Doc::Bool(true)) => Some(Ty::any()),
            Some(schema) => {
                let t = self.ty(schema, &aat, module, ident, "rest")?;
                if !t.length.is_empty() || !t.value.is_empty() || t.serde.is_some() {
                    return Err(lacks(
                        &self.at(&aat),
                        "bounds, patterns or base64 on `additionalItems` (a `rest` list's items carry no field options)",
                    ));
                }
                Some(t)
            }
        };
        if rest.is_some() && absent > 0 {
            return Err(lacks(
                &self.at(&child(&iat, &present.to_string())),
                "a `false` item in an open tuple (no item follows it, so `additionalItems` is moot)",
            ));
        }
        let required = match get(o, "minItems") {
            None => 0,
            Some(min) => match as_i128(min) {
                Some(n) if (1..=items.len() as i128).contains(&n) => n as usize,
                _ => {
                    return Err(lacks(
                        &self.at(&child(at, "minItems")),
                        "a `minItems` outside 1..=the number of tuple items (not `false`)",
                    ))
                }
            },
        };
        // With a `rest` field the type's own serde impls fill what is missing, as
        // `#[record(default)]` says.
        let default = if rest.is_some() {
            "#[record(default)]"
        } else {
            "#[serde(default)]"
        };
        let mut fields = String::new();
        for (i, item) in items.iter().enumerate() {
            let pat = child(&iat, &i.to_string());
            let ty = self.ty(item, &pat, module, ident, &format!("item{i}"))?;
            let doc = match item {
                Doc::Obj(p) if get(p, "$ref").is_none() && ty.named.is_none() => {
                    text(p, "description")
                }
                _ => None,
            };
            doc_lines(&mut fields, doc);
            if i >= required {
                if ty.named.is_some() {
                    return Err(lacks(
                        &self.at(&pat),
                        "a tuple item that may be missing (from `minItems` on) holding a struct or enum (serde fills a missing item with `Default`, which they lack)",
                    ));
                }
                let _ = writeln!(fields, "{default}");
            }
            if let Some(attr) = &ty.serde {
                if rest.is_some() {
                    return Err(lacks(
                        &self.at(&pat),
                        "base64 bytes in an open tuple (its serde impls write each item as is)",
                    ));
                }
                let _ = writeln!(fields, "#[serde({attr})]");
            }
            let record: Vec<String> = ty.length.iter().chain(&ty.value).cloned().collect();
            if !record.is_empty() {
                let _ = writeln!(fields, "#[record({})]", record.join(", "));
            }
            let _ = writeln!(fields, "pub {},", ty.rust);
        }
        match &rest {
            Some(t) => {
                let _ = writeln!(
                    fields,
                    "/// The items after the others.\n#[record(rest)]\npub Vec<{}>,",
                    unboxed(&t.rust)
                );
            }
            None if absent > 0 => {
                for _ in 0..absent {
                    let _ = writeln!(
                        fields,
                        "/// A position no array holds (`false` in the JSON Schema).\n\
                         #[record(absent)]\n\
                         #[serde(skip)]\n\
                         pub (),"
                    );
                }
            }
            None if items.len() == 1 => {
                let _ = writeln!(
                    fields,
                    "/// A one-item array: alone, the field above would make a newtype (its bare value).\n\
                     #[serde(skip)]\n\
                     pub (),"
                );
            }
            None => {}
        }
        let mut item = String::new();
        doc_lines(&mut item, text(o, "description"));
        if rest.is_some() {
            let _ = writeln!(
                item,
                "#[derive(Debug, Clone, PartialEq, kafka_model::Record)]"
            );
        } else {
            let _ = writeln!(item, "{DERIVES}");
        }
        let mut record: Vec<String> = Vec::new();
        if let Some(ns) = namespace {
            record.push(format!("namespace = {}", lit(ns)));
        }
        if let Some(r) = rename {
            record.push(format!("name = {}", lit(r)));
        }
        if !record.is_empty() {
            let _ = writeln!(item, "#[record({})]", record.join(", "));
        }
        let _ = writeln!(item, "pub struct {ident}(\n{fields});");
        if rest.is_some() {
            item.push_str(&tuple_serde(ident, items.len(), required));
        }
        self.push_item(module, item);
        Ok(())
    }
}

/// serde impls of an open tuple struct `ident` of `fixed` fields and a last `rest` list: the
/// array holds the fields' values, then the list's items; the fields from `required` on may
/// be missing (their `Default`), and then nothing follows. serde's derive cannot write the
/// list's items into the same array.
fn tuple_serde(ident: &str, fixed: usize, required: usize) -> String {
    let elements: String = (0..fixed)
        .map(|i| format!("seq.serialize_element(&self.{i})?;\n"))
        .collect();
    let reads: String = (0..fixed)
        .map(|i| {
            if i < required {
                format!(
                    "let f{i} = a.next_element()?\n\
                     .ok_or_else(|| serde::de::Error::invalid_length({i}, &self))?;\n"
                )
            } else {
                format!(
                    "let f{i} = match if more {{ a.next_element()? }} else {{ None }} {{\n\
                     Some(v) => v,\n\
                     None => {{ more = false; Default::default() }}\n\
                     }};\n"
                )
            }
        })
        .collect();
    let names: String = (0..fixed).map(|i| format!("f{i}, ")).collect();
    format!(
        "impl serde::Serialize for {ident} {{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {{
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some({fixed} + self.{fixed}.len()))?;
        {elements}for item in &self.{fixed} {{
            seq.serialize_element(item)?;
        }}
        seq.end()
    }}
}}
impl<'de> serde::Deserialize<'de> for {ident} {{
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {{
        struct Items;
        impl<'de> serde::de::Visitor<'de> for Items {{
            type Value = {ident};
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {{
                f.write_str(\"an array of at least {required} items\")
            }}
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<{ident}, A::Error> {{
                let mut more = true;
                {reads}let mut rest = Vec::new();
                while more {{
                    match a.next_element()? {{
                        Some(v) => rest.push(v),
                        None => more = false,
                    }}
                }}
                Ok({ident}({names}rest))
            }}
        }}
        d.deserialize_seq(Items)
    }}
}}
"
    )
}
