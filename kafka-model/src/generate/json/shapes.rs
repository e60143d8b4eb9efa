//! A schema's shape: `allOf` merging, its kind, and the Rust type of a node (the dispatch).

use std::collections::BTreeSet;

use crate::generate::avro::lit;
use crate::generate::GenerateError;

use super::enums::{adjacent_variants, tagged_variants};
use super::scalars::bounds;
use super::{
    child, get, lacks, no_serde, not_expressible, text, unboxed, Doc, Emitter, Kind, Obj, Ty,
    ANNOTATIONS, CONSTRAINT_ONLY,
};

impl Emitter<'_> {
    /// The object at `at` with `allOf` branches merged in (when their keywords do not
    /// overlap, `allOf` says the same as one schema), checked for constraint-only keywords.
    pub(super) fn merged(&self, o: &Obj, at: &str) -> Result<Vec<(String, Doc)>, GenerateError> {
        let mut out: Vec<(String, Doc)> = Vec::new();
        for (k, v) in o {
            if CONSTRAINT_ONLY.contains(&k.as_str()) {
                return Err(not_expressible(
                    &self.at(&child(at, k)),
                    format!("`{k}` (a constraint without a data shape of its own)"),
                ));
            }
            if k == "allOf" {
                let Doc::Arr(branches) = v else {
                    return Err(lacks(&self.at(&child(at, k)), "a malformed `allOf`"));
                };
                // Branches whose types have no value in common (`number` and `string`, an enum
                // of strings and `number`) describe no value at all, as `false` does.
                let mut common = value_types(o);
                for b in branches {
                    let these = match b {
                        Doc::Obj(b) => value_types(b),
                        _ => None,
                    };
                    if let Some(these) = these {
                        common = Some(match common {
                            None => these,
                            Some(c) => c.intersection(&these).copied().collect(),
                        });
                    }
                }
                if common.is_some_and(|c| c.is_empty()) {
                    return Err(not_expressible(
                        &self.at(&child(at, k)),
                        "an `allOf` whose branches allow no common type, so no value matches (a constraint without a data shape of its own)",
                    ));
                }
                // Keywords said by a branch: two branches saying one (even alike) are a product
                // Confluent's diff does not read as one schema.
                let mut by_branches: BTreeSet<String> = BTreeSet::new();
                for (i, b) in branches.iter().enumerate() {
                    let bat = child(&child(at, "allOf"), &i.to_string());
                    let Doc::Obj(b) = b else {
                        return Err(lacks(&self.at(&bat), "a boolean schema in `allOf`"));
                    };
                    for (bk, bv) in self.merged(b, &bat)? {
                        let again = !by_branches.insert(bk.clone());
                        match get(&out, &bk).or_else(|| get(o, &bk).filter(|_| bk != "allOf")) {
                            Some(existing) if *existing != bv || again => {
                                return Err(lacks(
                                    &self.at(&child(&bat, &bk)),
                                    &format!("`allOf` branches that both say `{bk}`"),
                                ));
                            }
                            Some(_) => {}
                            None => out.push((bk, bv)),
                        }
                    }
                }
            } else if get(&out, k).is_none() {
                out.push((k.clone(), v.clone()));
            }
        }
        Ok(out)
    }

    /// A property that is an `allOf` of scalar keywords Confluent's diff reads as a product (a
    /// keyword repeated in two branches, or an `enum` beside bounds, which no merged schema says
    /// the same way): its type with the bounds as validators (an `enum` as `choices`) and the
    /// branches' keyword groups for `#[record(json_all_of)]`. `None` when merging says the same
    /// or the branches are not of that kind.
    pub(super) fn all_of_scalar(
        &mut self,
        schema: &Doc,
        at: &str,
    ) -> Result<Option<(Ty, String)>, GenerateError> {
        const SCALAR: &[&str] = &[
            "type",
            "enum",
            "minLength",
            "maxLength",
            "pattern",
            "minimum",
            "maximum",
            "multipleOf",
        ];
        let Doc::Obj(p) = schema else {
            return Ok(None);
        };
        let Some(Doc::Arr(branches)) = get(p, "allOf") else {
            return Ok(None);
        };
        if p.iter().any(|(k, _)| k != "allOf" && k != "description") {
            return Ok(None);
        }
        let mut merged: Vec<(String, Doc)> = Vec::new();
        let mut groups: Vec<Vec<String>> = Vec::new();
        let mut repeated = false;
        for b in branches {
            let Doc::Obj(b) = b else {
                return Ok(None);
            };
            let mut group = Vec::new();
            for (k, v) in b {
                if !SCALAR.contains(&k.as_str()) {
                    return Ok(None);
                }
                match get(&merged, k) {
                    // Conflicting values: the merge names them.
                    Some(existing) if existing != v => return Ok(None),
                    Some(_) => repeated = true,
                    None => {
                        merged.push((k.clone(), v.clone()));
                        group.push(lit(k));
                    }
                }
            }
            if !group.is_empty() {
                groups.push(group);
            }
        }
        // No common type: the merge names it as describing no value.
        if value_types(&merged).is_some_and(|c| c.is_empty()) {
            return Ok(None);
        }
        let values = get(&merged, "enum").cloned();
        let bounded = merged.iter().any(|(k, _)| k != "type" && k != "enum");
        if !(repeated || (values.is_some() && bounded)) {
            return Ok(None);
        }
        let rest: Vec<(String, Doc)> = merged.into_iter().filter(|(k, _)| k != "enum").collect();
        let kind = match self.kind(&rest, at)? {
            Some(k @ (Kind::String | Kind::Integer | Kind::Number | Kind::Boolean)) => k,
            _ => return Ok(None),
        };
        let mut t = self.scalar(&rest, at, kind)?;
        if let Some(values) = values {
            let Doc::Arr(values) = values else {
                return Ok(None);
            };
            let choices: Option<Vec<String>> = values
                .iter()
                .map(|v| match v {
                    Doc::Str(s) => Some(lit(s)),
                    Doc::Num(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect();
            let Some(choices) = choices else {
                return Ok(None);
            };
            t.value.push(format!("choices = [{}]", choices.join(", ")));
        }
        let groups: Vec<String> = groups
            .iter()
            .map(|g| format!("[{}]", g.join(", ")))
            .collect();
        Ok(Some((t, format!("[{}]", groups.join(", ")))))
    }

    /// The node's kind; `None` for a nullable union (`type: [T, "null"]` or `oneOf`/`anyOf`
    /// of null and T), which [`Emitter::ty`] unwraps.
    pub(super) fn kind(&self, o: &Obj, at: &str) -> Result<Option<Kind>, GenerateError> {
        let kind_of = |t: &str| match t {
            "string" => Some(Kind::String),
            "integer" => Some(Kind::Integer),
            "number" => Some(Kind::Number),
            "boolean" => Some(Kind::Boolean),
            "null" => Some(Kind::Null),
            "array" => Some(Kind::Array),
            "object" => Some(Kind::Object),
            _ => None,
        };
        let tat = self.at(&child(at, "type"));
        match get(o, "type") {
            Some(Doc::Str(t)) => {
                let k = kind_of(t).ok_or_else(|| lacks(&tat, &format!("type `{t}`")))?;
                if get(o, "oneOf").is_some() || get(o, "anyOf").is_some() {
                    return Err(lacks(
                        &self.at(at),
                        "`oneOf`/`anyOf` beside `type` (an untagged union)",
                    ));
                }
                Ok(Some(k))
            }
            Some(Doc::Arr(ts)) => {
                let non_null: Vec<&Doc> = ts
                    .iter()
                    .filter(|t| **t != Doc::Str("null".into()))
                    .collect();
                match non_null.as_slice() {
                    [Doc::Str(t)] if ts.len() == 1 => Ok(Some(
                        kind_of(t).ok_or_else(|| lacks(&tat, &format!("type `{t}`")))?,
                    )),
                    [Doc::Str(_)] if ts.len() == 2 => Ok(None),
                    [_, _, ..] if ts.iter().all(|t| matches!(t, Doc::Str(_))) => {
                        Ok(Some(Kind::Untagged))
                    }
                    _ => Err(lacks(&tat, "a malformed `type` list")),
                }
            }
            Some(_) => Err(lacks(&tat, "a malformed `type`")),
            None if get(o, "$ref").is_some() => Ok(Some(Kind::Object)),
            None if get(o, "oneOf").is_some() || get(o, "anyOf").is_some() => {
                let key = if get(o, "oneOf").is_some() {
                    "oneOf"
                } else {
                    "anyOf"
                };
                if nullable_pair(o, key).is_some() {
                    Ok(None)
                } else if key == "oneOf"
                    && (tagged_variants(o).is_some() || adjacent_variants(o).is_some())
                {
                    Ok(Some(Kind::Tagged))
                } else {
                    Ok(Some(Kind::Untagged))
                }
            }
            None if get(o, "enum").is_some() => Err(lacks(&self.at(at), "`enum` without a `type`")),
            None if ["properties", "additionalProperties", "required"]
                .iter()
                .any(|k| get(o, k).is_some()) =>
            {
                // Confluent reads a schema with object keywords as an object schema.
                Ok(Some(Kind::Object))
            }
            None if o
                .iter()
                .all(|(k, _)| ANNOTATIONS.contains(&k.as_str()) || k == "title") =>
            {
                Ok(Some(Kind::Any))
            }
            None => Err(lacks(
                &self.at(at),
                "keywords without a `type` they apply to, so any value not of the kind they constrain passes (a constraint without a data shape of its own)",
            )),
        }
    }

    /// The type of the schema at `at`, as a field in module `module` of type `owner`
    /// (`field` names inline types).
    pub(super) fn ty(
        &mut self,
        node: &Doc,
        at: &str,
        module: &[String],
        owner: &str,
        field: &str,
    ) -> Result<Ty, GenerateError> {
        let raw = match node {
            Doc::Obj(raw) => raw,
            // `true` accepts every value; `false` none (no type has no values).
            Doc::Bool(true) => return Ok(Ty::any()),
            _ => return Err(lacks(&self.at(at), "a boolean schema `false`, which no value matches (a constraint without a data shape of its own)")),
        };
        let o = self.merged(raw, at)?;
        if let Some(r) = text(&o, "$ref") {
            return self.reference(r, at, module);
        }
        let Some(kind) = self.kind(&o, at)? else {
            let (inner, inner_at) = match get(&o, "type") {
                Some(Doc::Arr(ts)) => {
                    let t = ts
                        .iter()
                        .find(|t| **t != Doc::Str("null".into()))
                        .cloned()
                        .unwrap_or(Doc::Null);
                    let mut copy: Vec<(String, Doc)> =
                        o.iter().filter(|(k, _)| k != "type").cloned().collect();
                    copy.push(("type".into(), t));
                    (Doc::Obj(copy), at.to_string())
                }
                _ => {
                    let key = if get(&o, "oneOf").is_some() {
                        "oneOf"
                    } else {
                        "anyOf"
                    };
                    let Some((i, branch)) = nullable_pair(&o, key) else {
                        return Err(lacks(&self.at(at), &format!("this `{key}`")));
                    };
                    if o.iter().any(|(k, _)| k != key && k != "description") {
                        return Err(lacks(
                            &self.at(at),
                            &format!("keywords beside a nullable `{key}`"),
                        ));
                    }
                    (branch.clone(), child(&child(at, key), &i.to_string()))
                }
            };
            let mut t = self.ty(&inner, &inner_at, module, owner, field)?;
            no_serde(&t, &self.at(at))?;
            t.rust = format!("Option<{}>", t.rust);
            return Ok(t);
        };
        for key in [
            "default",
            "title",
            "$id",
            "examples",
            "readOnly",
            "writeOnly",
            "deprecated",
        ] {
            if get(&o, key).is_some() {
                return Err(lacks(
                    &self.at(&child(at, key)),
                    &format!("`{key}` on a property"),
                ));
            }
        }
        match kind {
            Kind::Object if is_map(&o) => {
                let values = get(&o, "additionalProperties").unwrap_or(&Doc::Bool(true));
                let mut t = self.ty(
                    values,
                    &child(at, "additionalProperties"),
                    module,
                    owner,
                    &format!("{field}_value"),
                )?;
                if !t.length.is_empty() {
                    return Err(lacks(&self.at(at), "a length bound on map values"));
                }
                no_serde(&t, &self.at(at))?;
                self.allow(
                    &o,
                    at,
                    &[
                        "type",
                        "additionalProperties",
                        "minProperties",
                        "maxProperties",
                        "description",
                    ],
                )?;
                let map = if self.gen.ordered_maps {
                    "indexmap::IndexMap"
                } else {
                    "std::collections::BTreeMap"
                };
                t.rust = format!("{map}<String, {}>", unboxed(&t.rust));
                t.length = bounds(&o, "minProperties", "maxProperties");
                t.named = None;
                Ok(t)
            }
            Kind::Object => {
                let ident = self.fresh(module, &format!("{}_{field}", owner));
                let full_at = at.to_string();
                self.in_progress.insert(full_at.clone());
                self.structure(&o, at, module, &ident, None, None)?;
                self.in_progress.remove(&full_at);
                Ok(Ty {
                    rust: ident.clone(),
                    named: Some((module.to_vec(), ident)),
                    ..Ty::default()
                })
            }
            Kind::Tagged | Kind::Untagged => {
                let ident = self.fresh(module, &format!("{}_{field}", owner));
                self.in_progress.insert(at.to_string());
                if matches!(kind, Kind::Tagged) {
                    self.tagged(&o, at, module, &ident, None, None)?;
                } else {
                    self.untagged(&o, at, module, &ident, None, None)?;
                }
                self.in_progress.remove(at);
                Ok(Ty {
                    rust: ident.clone(),
                    named: Some((module.to_vec(), ident)),
                    ..Ty::default()
                })
            }
            Kind::Any => {
                self.allow(&o, at, &[])?;
                Ok(Ty::any())
            }
            Kind::String if get(&o, "enum").is_some() => {
                let ident = self.fresh(module, &format!("{}_{field}", owner));
                self.enumeration(&o, at, module, &ident, None, None)?;
                Ok(Ty {
                    rust: ident.clone(),
                    named: Some((module.to_vec(), ident)),
                    ..Ty::default()
                })
            }
            Kind::Array if is_tuple(&o) => {
                let ident = self.fresh(module, &format!("{}_{field}", owner));
                self.in_progress.insert(at.to_string());
                self.tuple(&o, at, module, &ident, None, None)?;
                self.in_progress.remove(at);
                Ok(Ty {
                    rust: ident.clone(),
                    named: Some((module.to_vec(), ident)),
                    ..Ty::default()
                })
            }
            Kind::Array => {
                self.allow(
                    &o,
                    at,
                    &[
                        "type",
                        "items",
                        "minItems",
                        "maxItems",
                        "uniqueItems",
                        "description",
                    ],
                )?;
                let items = match get(&o, "items") {
                    Some(items @ (Doc::Obj(_) | Doc::Bool(_))) => items,
                    Some(_) => {
                        return Err(lacks(
                            &self.at(&child(at, "items")),
                            "tuple `items` (a list of schemas)",
                        ))
                    }
                    // Items of any kind (the derive writes `items: {}`, the same to the diff).
                    None => &Doc::Bool(true),
                };
                let mut t = self.ty(
                    items,
                    &child(at, "items"),
                    module,
                    owner,
                    &format!("{field}_item"),
                )?;
                if !t.length.is_empty() {
                    return Err(lacks(&self.at(at), "a length bound on list items"));
                }
                no_serde(&t, &self.at(at))?;
                t.rust = format!("Vec<{}>", unboxed(&t.rust));
                t.length = bounds(&o, "minItems", "maxItems");
                match get(&o, "uniqueItems") {
                    Some(Doc::Bool(true)) => t.length.push("unique".into()),
                    None | Some(Doc::Bool(false)) => {}
                    Some(_) => {
                        return Err(lacks(
                            &self.at(&child(at, "uniqueItems")),
                            "a malformed `uniqueItems`",
                        ))
                    }
                }
                t.named = None;
                Ok(t)
            }
            Kind::Null => {
                self.allow(&o, at, &["type", "description"])?;
                Ok(Ty {
                    rust: "()".into(),
                    ..Ty::default()
                })
            }
            k => self.scalar(&o, at, k),
        }
    }

    /// Fails on a keyword outside `allowed` (and `description`, `$schema`, `definitions`,
    /// `$defs`, which are read elsewhere).
    pub(super) fn allow(&self, o: &Obj, at: &str, allowed: &[&str]) -> Result<(), GenerateError> {
        for (k, _) in o {
            if !allowed.contains(&k.as_str())
                && !["description", "$schema", "definitions", "$defs", "$comment"]
                    .contains(&k.as_str())
            {
                return Err(lacks(&self.at(&child(at, k)), &format!("`{k}` here")));
            }
        }
        Ok(())
    }
}

/// The JSON types a schema's `type`, `enum` and `const` allow (an integer is a `number` too);
/// `None` when they allow any.
fn value_types(o: &Obj) -> Option<BTreeSet<&'static str>> {
    fn of(v: &Doc) -> BTreeSet<&'static str> {
        BTreeSet::from_iter(
            match v {
                Doc::Null => &["null"][..],
                Doc::Bool(_) => &["boolean"],
                Doc::Num(n) if n.is_i64() || n.is_u64() => &["integer", "number"],
                Doc::Num(_) => &["number"],
                Doc::Str(_) => &["string"],
                Doc::Arr(_) => &["array"],
                Doc::Obj(_) => &["object"],
            }
            .iter()
            .copied(),
        )
    }
    fn named(t: &Doc) -> BTreeSet<&'static str> {
        let all = [
            "null", "boolean", "integer", "number", "string", "array", "object",
        ];
        match t {
            Doc::Str(t) if t == "number" => BTreeSet::from(["integer", "number"]),
            Doc::Str(t) => all.iter().copied().filter(|a| a == t).collect(),
            Doc::Arr(ts) => ts.iter().flat_map(named).collect(),
            _ => all.into_iter().collect(),
        }
    }
    let mut sets = Vec::new();
    if let Some(t) = get(o, "type") {
        sets.push(named(t));
    }
    if let Some(Doc::Arr(values)) = get(o, "enum") {
        sets.push(values.iter().flat_map(of).collect());
    }
    if let Some(v) = get(o, "const") {
        sets.push(of(v));
    }
    sets.into_iter()
        .reduce(|a, b| a.intersection(&b).copied().collect())
}

/// An array schema with an `items` list: a tuple.
pub(super) fn is_tuple(o: &Obj) -> bool {
    matches!(get(o, "items"), Some(Doc::Arr(_)))
}

/// An object that is a map: an `additionalProperties` schema and no `properties`.
pub(super) fn is_map(o: &Obj) -> bool {
    matches!(get(o, "additionalProperties"), Some(Doc::Obj(_))) && get(o, "properties").is_none()
}

/// `(index, branch)` of the non-null branch of a two-branch `oneOf`/`anyOf` whose other
/// branch is `{"type": "null"}`.
fn nullable_pair<'a>(o: &'a Obj, key: &str) -> Option<(usize, &'a Doc)> {
    let Some(Doc::Arr(branches)) = get(o, key) else {
        return None;
    };
    let null = Doc::Obj(vec![("type".into(), Doc::Str("null".into()))]);
    match branches.as_slice() {
        [a, b] if *a == null && *b != null => Some((1, b)),
        [a, b] if *b == null && *a != null => Some((0, a)),
        _ => None,
    }
}
