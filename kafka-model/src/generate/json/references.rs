//! `$ref`s: to a definition of the current input, to its root, or into an earlier input.

use crate::generate::avro::{camel, path_from, unkeyword};
use crate::generate::generator::snake;
use crate::generate::json_refs;
use crate::generate::GenerateError;

use super::shapes::{is_map, is_tuple};
use super::{child, get, is_ident_like, lacks, Doc, Emitter, Kind, Ty};

impl Emitter<'_> {
    /// The definition a `$ref` (`#/definitions/..`, `#/$defs/..`) names: its pointer, name
    /// and schema.
    pub(super) fn definition(
        &self,
        r: &str,
        at: &str,
    ) -> Result<(String, String, Doc), GenerateError> {
        let unescape = |s: &str| s.replace("~1", "/").replace("~0", "~");
        let rest = r
            .strip_prefix("#/definitions/")
            .map(|n| ("definitions", n))
            .or_else(|| r.strip_prefix("#/$defs/").map(|n| ("$defs", n)));
        let Some((section, key)) = rest.filter(|(_, n)| !n.contains('/')) else {
            return Err(lacks(
                &self.at(&child(at, "$ref")),
                &format!("a `$ref` to `{r}` (only `#/definitions/..`, `#/$defs/..` and `#`)"),
            ));
        };
        let key = unescape(key);
        let def = match get(&self.root, section) {
            Some(Doc::Obj(defs)) => get(defs, &key).cloned(),
            _ => None,
        }
        .ok_or_else(|| GenerateError::Invalid {
            input: self.at(at),
            message: format!("`$ref` `{r}` does not resolve"),
        })?;
        Ok((r.to_string(), key, def))
    }

    /// The type a `$ref` names.
    pub(super) fn reference(
        &mut self,
        r: &str,
        at: &str,
        module: &[String],
    ) -> Result<Ty, GenerateError> {
        if let Some((doc, pointer)) = json_refs::external(r) {
            // Another input's type: generated already (dependencies come first).
            let Some(named) = self.earlier.get(doc) else {
                return Err(lacks(
                    &self.at(&child(at, "$ref")),
                    &format!("a `$ref` to `{r}`, whose document is not an earlier input (a registry reference's name, or a file given before this one)"),
                ));
            };
            let Some(named) = named.get(&pointer).cloned() else {
                return Err(lacks(
                    &self.at(&child(at, "$ref")),
                    &format!("a `$ref` to `{r}`: only `{doc}`'s root and the definitions its root uses have types"),
                ));
            };
            return Ok(Ty {
                rust: path_from(module, &named),
                named: Some(named),
                ..Ty::default()
            });
        }
        let (pointer, name, def) = if r == "#" {
            ("#".to_string(), None, Doc::Obj(self.root.clone()))
        } else {
            let (pointer, name, def) = self.definition(r, at)?;
            (pointer, Some(name), def)
        };
        if let Some(named) = self.named.get(&pointer).cloned() {
            let boxed = self.in_progress.contains(&pointer);
            let path = path_from(module, &named);
            return Ok(Ty {
                rust: if boxed { format!("Box<{path}>") } else { path },
                named: Some(named),
                ..Ty::default()
            });
        }
        // (Only the root, named before anything else, has no name.)
        let Some(name) = name else {
            return Err(GenerateError::Internal {
                message: "the root has no type".into(),
            });
        };
        if let Some(mapped) = self.gen.types.get(&name) {
            return Ok(Ty {
                rust: format!("crate::{mapped}"),
                ..Ty::default()
            });
        }
        let Doc::Obj(raw) = &def else {
            return Err(lacks(&self.at(&pointer), "a boolean schema"));
        };
        let o = self.merged(raw, &pointer)?;
        let named_kind = match self.kind(&o, &pointer)? {
            Some(Kind::Object) if !is_map(&o) && get(&o, "$ref").is_none() => true,
            Some(Kind::String) if get(&o, "enum").is_some() => true,
            Some(Kind::Tagged) => true,
            Some(Kind::Array) => is_tuple(&o),
            _ => false,
        };
        if !named_kind {
            // A list, map or scalar has no name in the derive's JSON Schema: inline it (the
            // diff follows the reference, so the two compare equal).
            return self.ty(&def, &pointer, module, "", &camel(&name));
        }
        if get(&o, "title").is_some() {
            return Err(lacks(
                &self.at(&child(&pointer, "title")),
                "`title` on a definition",
            ));
        }
        let (namespace, simple) = match name.rsplit_once('.') {
            Some((ns, n)) => (Some(ns.to_string()), n.to_string()),
            None => (None, name.clone()),
        };
        if !is_ident_like(&simple)
            || namespace
                .as_deref()
                .is_some_and(|ns| !ns.split('.').all(is_ident_like))
        {
            return Err(lacks(
                &self.at(&pointer),
                &format!("a definition named `{name}` (not a type name)"),
            ));
        }
        let target: Vec<String> = namespace
            .as_deref()
            .map(|ns| ns.split('.').map(|p| unkeyword(snake(p))).collect())
            .unwrap_or_default();
        let ident = self.fresh(&target, &simple);
        let rename = (ident != simple).then(|| simple.clone());
        self.named
            .insert(pointer.clone(), (target.clone(), ident.clone()));
        if get(&o, "oneOf").is_some() {
            self.in_progress.insert(pointer.clone());
            self.tagged(
                &o,
                &pointer,
                &target,
                &ident,
                namespace.as_deref(),
                rename.as_deref(),
            )?;
            self.in_progress.remove(&pointer);
        } else if get(&o, "enum").is_some() {
            self.enumeration(
                &o,
                &pointer,
                &target,
                &ident,
                namespace.as_deref(),
                rename.as_deref(),
            )?;
        } else if is_tuple(&o) {
            self.in_progress.insert(pointer.clone());
            self.tuple(
                &o,
                &pointer,
                &target,
                &ident,
                namespace.as_deref(),
                rename.as_deref(),
            )?;
            self.in_progress.remove(&pointer);
        } else {
            self.in_progress.insert(pointer.clone());
            self.structure(
                &o,
                &pointer,
                &target,
                &ident,
                namespace.as_deref(),
                rename.as_deref(),
            )?;
            self.in_progress.remove(&pointer);
        }
        let named = (target, ident);
        Ok(Ty {
            rust: path_from(module, &named),
            named: Some(named),
            ..Ty::default()
        })
    }
}
