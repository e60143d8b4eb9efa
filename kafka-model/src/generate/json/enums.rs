//! String enums and `oneOf`/`anyOf` unions (tagged in serde's forms, or untagged) → enums.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::compat::json::branches_are_disjoint;
use crate::generate::avro::{camel, doc_lines, lit, DERIVES};
use crate::generate::GenerateError;

use super::{child, get, is_ident_like, lacks, text, Doc, Emitter, Obj};

impl Emitter<'_> {
    /// A unit enum for a string enum.
    pub(super) fn enumeration(
        &mut self,
        o: &Obj,
        at: &str,
        module: &[String],
        ident: &str,
        namespace: Option<&str>,
        rename: Option<&str>,
    ) -> Result<(), GenerateError> {
        self.allow(o, at, &["type", "enum", "title"])?;
        let Some(Doc::Arr(values)) = get(o, "enum") else {
            return Err(lacks(&self.at(&child(at, "enum")), "a malformed `enum`"));
        };
        let mut variants = String::new();
        let mut seen = BTreeSet::new();
        for v in values {
            let Doc::Str(s) = v else {
                return Err(lacks(
                    &self.at(&child(at, "enum")),
                    "a non-string `enum` value",
                ));
            };
            if !is_ident_like(s) {
                return Err(lacks(
                    &self.at(&child(at, "enum")),
                    &format!("the `enum` value {s:?} (not a symbol name)"),
                ));
            }
            let mut vident = camel(&s.to_lowercase());
            while !seen.insert(vident.clone()) {
                vident.push('_');
            }
            if vident != *s {
                let _ = writeln!(variants, "#[serde(rename = {})]", lit(s));
            }
            let _ = writeln!(variants, "{vident},");
        }
        self.push_enum(o, module, ident, namespace, rename, "", &variants);
        Ok(())
    }

    /// An enum for serde's externally tagged form: a unit variant per `{"const": "V"}`, a
    /// newtype variant per `{"V": payload}` (an inline object payload becomes a struct
    /// `<Enum><V>`: the diff follows the derive's `$ref` to it).
    pub(super) fn tagged(
        &mut self,
        o: &Obj,
        at: &str,
        module: &[String],
        ident: &str,
        namespace: Option<&str>,
        rename: Option<&str>,
    ) -> Result<(), GenerateError> {
        self.allow(o, at, &["oneOf", "title"])?;
        // serde's external form, else its adjacent (`{tag: "V", content: payload}`) or, when no
        // branch has content, internal form of unit variants (`{tag: "V"}`).
        // (Adjacent first: `{"kind": {"const": "On"}}` also reads as an external variant `kind`
        // holding a `const`, which has no type.)
        let (serde, branches, key) = match (tagged_variants(o), adjacent_variants(o)) {
            (_, Some((tag, Some(content), branches))) => (
                format!(
                    "#[serde(tag = {}, content = {})]\n",
                    lit(&tag),
                    lit(&content)
                ),
                branches,
                Some(content),
            ),
            (_, Some((tag, None, branches))) => {
                (format!("#[serde(tag = {})]\n", lit(&tag)), branches, None)
            }
            (Some(branches), None) => (String::new(), branches, None),
            (None, None) => {
                return Err(lacks(&self.at(&child(at, "oneOf")), "this `oneOf`"));
            }
        };
        let mut variants = String::new();
        let mut seen = BTreeSet::new();
        for (i, (name, payload, doc)) in branches.into_iter().enumerate() {
            let bat = child(&child(at, "oneOf"), &i.to_string());
            if !is_ident_like(&name) {
                return Err(lacks(
                    &self.at(&bat),
                    &format!("the variant name {name:?} (not a symbol name)"),
                ));
            }
            let mut vident = camel(&name);
            while !seen.insert(vident.clone()) {
                vident.push('_');
            }
            doc_lines(&mut variants, doc.as_deref());
            if vident != name {
                let _ = writeln!(variants, "#[serde(rename = {})]", lit(&name));
            }
            match payload {
                None => {
                    let _ = writeln!(variants, "{vident},");
                }
                Some(payload) => {
                    let pat = child(&child(&bat, "properties"), key.as_deref().unwrap_or(&name));
                    let t = self.ty(&payload, &pat, module, ident, &name)?;
                    if t.serde.is_some() {
                        return Err(lacks(
                            &self.at(&pat),
                            "base64 on a variant's payload (a variant takes no `serde(with)`)",
                        ));
                    }
                    // Bounds are validators on the variant's field.
                    let rules: Vec<String> = t.length.iter().chain(&t.value).cloned().collect();
                    if rules.is_empty() {
                        let _ = writeln!(variants, "{vident}({}),", t.rust);
                    } else {
                        let _ = writeln!(
                            variants,
                            "{vident}(#[record({})] {}),",
                            rules.join(", "),
                            t.rust
                        );
                    }
                }
            }
        }
        self.push_enum(o, module, ident, namespace, rename, &serde, &variants);
        Ok(())
    }

    /// An untagged enum for a `oneOf`/`anyOf` of shapes or a `type` list: a newtype variant per
    /// branch, in the schema's order (serde tries them in that order), named after the
    /// branch's type (`String`, `Integer`, ..., a referenced type's name); a `null` branch is
    /// `Null(())`. The derive renders `anyOf`, which says what serde accepts: a `oneOf` is
    /// kept only when its branches have disjoint types (then both accept the same values).
    pub(super) fn untagged(
        &mut self,
        o: &Obj,
        at: &str,
        module: &[String],
        ident: &str,
        namespace: Option<&str>,
        rename: Option<&str>,
    ) -> Result<(), GenerateError> {
        let (key, branches): (&str, Vec<Doc>) = match get(o, "type") {
            Some(Doc::Arr(types)) => {
                self.allow(o, at, &["type", "title"])?;
                let branches = types
                    .iter()
                    .map(|t| Doc::Obj(vec![("type".into(), t.clone())]))
                    .collect();
                ("type", branches)
            }
            _ => {
                let key = if get(o, "oneOf").is_some() {
                    "oneOf"
                } else {
                    "anyOf"
                };
                self.allow(o, at, &[key, "title"])?;
                let Some(Doc::Arr(branches)) = get(o, key) else {
                    return Err(lacks(
                        &self.at(&child(at, key)),
                        &format!("a malformed `{key}`"),
                    ));
                };
                if key == "oneOf"
                    && !branches_are_disjoint(branches.iter().map(|b| match b {
                        Doc::Obj(b) if get(b, "$ref").is_none() => text(b, "type"),
                        _ => None,
                    }))
                {
                    return Err(lacks(
                        &self.at(&child(at, key)),
                        "a `oneOf` of branches that may overlap (serde's untagged enum takes the \
                         first variant that fits: the derive renders `anyOf`)",
                    ));
                }
                (key, branches.clone())
            }
        };
        let mut variants = String::new();
        let mut seen = BTreeSet::new();
        for (i, branch) in branches.iter().enumerate() {
            let bat = match key {
                // A `type` list entry: errors point at the list.
                "type" => child(at, "type"),
                _ => child(&child(at, key), &i.to_string()),
            };
            let doc = match branch {
                Doc::Obj(b) => text(b, "description").map(str::to_string),
                _ => None,
            };
            // The variant is named after what the branch holds.
            let base = match branch {
                Doc::Obj(b) => match (text(b, "$ref"), text(b, "type")) {
                    (Some(r), _) => r.rsplit(['/', '.']).next().map(camel),
                    (None, Some(t)) => Some(camel(t)),
                    _ => None,
                },
                _ => None,
            }
            .filter(|n| is_ident_like(n))
            .unwrap_or_else(|| format!("Variant{i}"));
            let mut vident = base.clone();
            let mut n = 1;
            while !seen.insert(vident.clone()) {
                n += 1;
                vident = format!("{base}{n}");
            }
            // A branch's `title` is the variant's (`#[record(title)]`); its bounds are
            // validators on the variant's field.
            let (branch, title) = match branch {
                Doc::Obj(b) if get(b, "$ref").is_none() => (
                    Doc::Obj(b.iter().filter(|(k, _)| k != "title").cloned().collect()),
                    match get(b, "title") {
                        None => None,
                        Some(Doc::Str(t)) => Some(t.clone()),
                        Some(_) => {
                            return Err(lacks(
                                &self.at(&child(&bat, "title")),
                                "a `title` that is not a string",
                            ))
                        }
                    },
                ),
                other => (other.clone(), None),
            };
            let t = self.ty(&branch, &bat, module, ident, &vident)?;
            if t.serde.is_some() {
                return Err(lacks(
                    &self.at(&bat),
                    "base64 on a branch of an untagged union (a variant takes no `serde(with)`)",
                ));
            }
            doc_lines(&mut variants, doc.as_deref());
            if let Some(title) = &title {
                let _ = writeln!(variants, "#[record(title = {})]", lit(title));
            }
            let rules: Vec<String> = t.length.iter().chain(&t.value).cloned().collect();
            if rules.is_empty() {
                let _ = writeln!(variants, "{vident}({}),", t.rust);
            } else {
                let _ = writeln!(
                    variants,
                    "{vident}(#[record({})] {}),",
                    rules.join(", "),
                    t.rust
                );
            }
        }
        self.push_enum(
            o,
            module,
            ident,
            namespace,
            rename,
            "#[serde(untagged)]\n",
            &variants,
        );
        Ok(())
    }

    /// Adds `enum ident { variants }` with the schema's description, the derives, `serde`
    /// (attribute lines) and the record's namespace and name.
    #[allow(clippy::too_many_arguments)]
    fn push_enum(
        &mut self,
        o: &Obj,
        module: &[String],
        ident: &str,
        namespace: Option<&str>,
        rename: Option<&str>,
        serde: &str,
        variants: &str,
    ) {
        let mut item = String::new();
        doc_lines(&mut item, text(o, "description"));
        let _ = writeln!(item, "{DERIVES}");
        item.push_str(serde);
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
        let _ = writeln!(item, "pub enum {ident} {{\n{variants}}}");
        self.push_item(module, item);
    }
}

/// The variants of a `oneOf` in serde's externally tagged form, as the derive writes it:
/// `(name, payload, description)`; `None` when a branch is something else.
#[allow(clippy::type_complexity)]
pub(super) fn tagged_variants(o: &Obj) -> Option<Vec<(String, Option<Doc>, Option<String>)>> {
    let Some(Doc::Arr(branches)) = get(o, "oneOf") else {
        return None;
    };
    let mut out = Vec::new();
    for b in branches {
        let Doc::Obj(b) = b else {
            return None;
        };
        let doc = text(b, "description").map(str::to_string);
        let keys: BTreeSet<&str> = b
            .iter()
            .map(|(k, _)| k.as_str())
            .filter(|k| *k != "description")
            .collect();
        if keys == BTreeSet::from(["const"]) {
            out.push((text(b, "const")?.to_string(), None, doc));
            continue;
        }
        if keys != BTreeSet::from(["type", "properties", "required", "additionalProperties"])
            || text(b, "type") != Some("object")
            || get(b, "additionalProperties") != Some(&Doc::Bool(false))
        {
            return None;
        }
        let Some(Doc::Obj(props)) = get(b, "properties") else {
            return None;
        };
        let [(name, payload)] = props.as_slice() else {
            return None;
        };
        if get(b, "required") != Some(&Doc::Arr(vec![Doc::Str(name.clone())])) {
            return None;
        }
        out.push((name.clone(), Some(payload.clone()), doc));
    }
    (!out.is_empty()).then_some(out)
}

/// The branches of serde's adjacently tagged form, as the derive writes it: each a closed
/// object of `{tag: {"const": "V"}}` and, unless the variant is a unit, `{content: payload}`,
/// both required; one tag and one content name throughout. The content name is `None` when no
/// branch has content: that is also serde's internally tagged form of unit variants.
#[allow(clippy::type_complexity)]
pub(super) fn adjacent_variants(
    o: &Obj,
) -> Option<(
    String,
    Option<String>,
    Vec<(String, Option<Doc>, Option<String>)>,
)> {
    let Some(Doc::Arr(branches)) = get(o, "oneOf") else {
        return None;
    };
    let mut tag: Option<&str> = None;
    let mut content: Option<&str> = None;
    let mut out = Vec::new();
    for b in branches {
        let Doc::Obj(b) = b else {
            return None;
        };
        let keys: BTreeSet<&str> = b
            .iter()
            .map(|(k, _)| k.as_str())
            .filter(|k| *k != "description")
            .collect();
        if keys != BTreeSet::from(["type", "properties", "required", "additionalProperties"])
            || text(b, "type") != Some("object")
            || get(b, "additionalProperties") != Some(&Doc::Bool(false))
        {
            return None;
        }
        let Some(Doc::Obj(props)) = get(b, "properties") else {
            return None;
        };
        let (t, name, payload) = match props.as_slice() {
            [(t, Doc::Obj(c))] => (t, c, None),
            [(t, Doc::Obj(c)), (k, payload)] => {
                if *content.get_or_insert(k.as_str()) != k.as_str() {
                    return None;
                }
                (t, c, Some((k, payload.clone())))
            }
            _ => return None,
        };
        if *tag.get_or_insert(t.as_str()) != t.as_str() {
            return None;
        }
        let [(c, Doc::Str(name))] = name.as_slice() else {
            return None;
        };
        if c != "const" {
            return None;
        }
        let mut required = vec![Doc::Str(t.clone())];
        if let Some((k, _)) = &payload {
            required.push(Doc::Str((*k).clone()));
        }
        if get(b, "required") != Some(&Doc::Arr(required)) {
            return None;
        }
        let doc = text(b, "description").map(str::to_string);
        out.push((name.clone(), payload.map(|(_, p)| p), doc));
    }
    let tag = tag?.to_string();
    // The tag and the content must differ (serde would write one key twice).
    if content == Some(tag.as_str()) {
        return None;
    }
    Some((tag, content.map(str::to_string), out))
}
