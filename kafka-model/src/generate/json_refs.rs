//! `$ref`s from one JSON Schema input into another (a registry subject's references, named as
//! the referencing schema names them): how a reference splits into a document and a pointer,
//! and each input bundled with the documents it reaches, for the generated check.
//!
//! The generated type holds the referenced document's type as a field, so the derive renders
//! that type inside the referencing schema (under `definitions`). The check compares the
//! rendered schema with the input whose external `$ref`s are bundled the same way: each
//! referenced document's root becomes a definition named after the document (without its
//! `title`, as the derive writes a definition), its own definitions join the input's. Confluent's diff follows `$ref`s, so a bundled input and the
//! original describe the same values.

use serde_json::{Map, Value};

use super::GenerateError;

/// A `$ref` into another document: `(document, pointer)`, the pointer `#` for the root.
/// `None` for a reference inside the current document.
pub(super) fn external(r: &str) -> Option<(&str, String)> {
    if r.starts_with('#') {
        return None;
    }
    let (doc, fragment) = r.split_once('#').unwrap_or((r, ""));
    Some((doc, format!("#{fragment}")))
}

/// Escapes a definition key for a JSON pointer (RFC 6901).
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// `inputs[index]` with every `$ref` into an earlier input bundled as a definition; the
/// input's own text when it has none (so a self-contained schema is checked as written).
pub(super) fn bundled(inputs: &[(&str, &str)], index: usize) -> Result<String, GenerateError> {
    let (name, text) = inputs[index];
    let invalid = |input: &str, message: String| GenerateError::Invalid {
        input: input.to_string(),
        message,
    };
    let parse = |input: &str, text: &str| {
        serde_json::from_str::<Value>(text).map_err(|e| invalid(input, format!("not JSON: {e}")))
    };
    let mut root = parse(name, text)?;
    let mut added: Map<String, Value> = Map::new();
    let mut pending: Vec<String> = Vec::new();
    rewrite(&mut root, None, &mut pending);
    if pending.is_empty() {
        return Ok(text.to_string());
    }
    while let Some(doc) = pending.pop() {
        if added.contains_key(&doc) || doc == name {
            continue;
        }
        let Some((_, dep_text)) = inputs[..index].iter().find(|(n, _)| *n == doc) else {
            return Err(invalid(
                name,
                format!("`$ref` into `{doc}`, which is not an earlier input"),
            ));
        };
        let mut dep = parse(&doc, dep_text)?;
        rewrite(&mut dep, Some(&doc), &mut pending);
        let Value::Object(mut body) = dep else {
            return Err(invalid(&doc, "a boolean schema".into()));
        };
        // Its definitions join the input's; the same key twice must mean the same schema.
        for section in ["definitions", "$defs"] {
            let Some(Value::Object(defs)) = body.remove(section) else {
                continue;
            };
            let into = definitions(&mut root, section, name)?;
            for (key, def) in defs {
                match into.get(&key) {
                    Some(existing) if *existing != def => {
                        return Err(invalid(
                            &doc,
                            format!("`{section}` `{key}` differs from the one in `{name}`"),
                        ))
                    }
                    _ => {
                        into.insert(key, def);
                    }
                }
            }
        }
        // A definition's name is its key: the derive writes no `title` there (the document's
        // own root check compares its title).
        for annotation in ["$schema", "$id", "id", "title"] {
            body.remove(annotation);
        }
        added.insert(doc, Value::Object(body));
    }
    let into = definitions(&mut root, "definitions", name)?;
    for (doc, body) in added {
        if into.insert(doc.clone(), body).is_some() {
            return Err(invalid(
                name,
                format!("a definition is named `{doc}`, as a referenced document is"),
            ));
        }
    }
    serde_json::to_string_pretty(&root).map_err(|e| invalid(name, e.to_string()))
}

/// The root's `section` object, created when missing.
fn definitions<'a>(
    root: &'a mut Value,
    section: &str,
    name: &str,
) -> Result<&'a mut Map<String, Value>, GenerateError> {
    let malformed = || GenerateError::Invalid {
        input: name.to_string(),
        message: format!("`{section}` is not an object"),
    };
    let Value::Object(o) = root else {
        return Err(malformed());
    };
    match o
        .entry(section)
        .or_insert_with(|| Value::Object(Map::new()))
    {
        Value::Object(defs) => Ok(defs),
        _ => Err(malformed()),
    }
}

/// Rewrites the `$ref`s of a document (`within`: the referenced document's name, `None` for the
/// input itself) to point into the bundle, and lists the documents they name.
fn rewrite(v: &mut Value, within: Option<&str>, pending: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            if let Some(Value::String(r)) = o.get_mut("$ref") {
                let target = match external(r) {
                    Some((doc, pointer)) => {
                        pending.push(doc.to_string());
                        Some((doc.to_string(), pointer))
                    }
                    None => within.map(|doc| (doc.to_string(), r.clone())),
                };
                if let Some((doc, pointer)) = target {
                    *r = if pointer == "#" {
                        format!("#/definitions/{}", escape(&doc))
                    } else {
                        // Its definitions are the bundle's now.
                        pointer
                    };
                }
            }
            for (key, child) in o.iter_mut() {
                // (An enum's or const's values are data, not schemas.)
                if !matches!(key.as_str(), "enum" | "const" | "default" | "examples") {
                    rewrite(child, within, pending);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                rewrite(item, within, pending);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_split_into_document_and_pointer() {
        assert_eq!(external("#/definitions/A"), None);
        assert_eq!(external("#"), None);
        assert_eq!(external("money.json"), Some(("money.json", "#".into())));
        assert_eq!(
            external("https://acme.example/money.json#/definitions/Cur"),
            Some((
                "https://acme.example/money.json",
                "#/definitions/Cur".into()
            ))
        );
    }

    #[test]
    fn referenced_documents_become_definitions() {
        let money = r##"{"$id": "m", "title": "Money", "type": "object",
            "properties": {"cur": {"$ref": "#/definitions/Cur"}, "next": {"$ref": "#"}},
            "definitions": {"Cur": {"type": "string", "enum": ["EUR"]}}}"##;
        let order = r##"{"type": "object", "properties": {
            "total": {"$ref": "acme/money.json"},
            "cur": {"$ref": "acme/money.json#/definitions/Cur"}}}"##;
        let inputs = [("acme/money.json", money), ("order.json", order)];
        assert_eq!(
            bundled(&inputs, 0).unwrap(),
            money,
            "no external refs: as written"
        );
        let b: Value = serde_json::from_str(&bundled(&inputs, 1).unwrap()).unwrap();
        assert_eq!(
            b["properties"]["total"]["$ref"],
            "#/definitions/acme~1money.json"
        );
        assert_eq!(b["properties"]["cur"]["$ref"], "#/definitions/Cur");
        // (The key is the document's name; the pointer escapes its `/`.)
        let m = &b["definitions"]["acme/money.json"];
        assert_eq!(m["type"], "object");
        for gone in ["$id", "definitions", "title"] {
            assert!(m.get(gone).is_none(), "{gone} in {m}");
        }
        assert_eq!(
            m["properties"]["next"]["$ref"],
            "#/definitions/acme~1money.json"
        );
        assert_eq!(b["definitions"]["Cur"]["enum"][0], "EUR");
    }

    #[test]
    fn a_reference_to_no_earlier_input_is_an_error() {
        let order = r#"{"type": "object", "properties": {"t": {"$ref": "money.json"}}}"#;
        let err = bundled(&[("order.json", order)], 0).unwrap_err();
        assert!(err.to_string().contains("money.json"), "{err}");
    }
}

#[cfg(test)]
mod generator_tests {
    use crate::generate::{GenerateError, Generator};

    const MONEY: &str = r##"{"title": "Money", "type": "object", "additionalProperties": false,
        "properties": {"cents": {"type": "integer"}, "cur": {"$ref": "#/definitions/acme.Cur"}},
        "required": ["cents", "cur"],
        "definitions": {"acme.Cur": {"type": "string", "enum": ["EUR", "USD"]}}}"##;
    const ORDER: &str = r##"{"title": "Order", "type": "object", "additionalProperties": false,
        "properties": {"total": {"$ref": "acme/money.json"},
                       "refund": {"$ref": "acme/money.json#/definitions/acme.Cur"}},
        "required": ["total"]}"##;

    #[test]
    fn a_ref_into_an_earlier_input_is_its_type() {
        let out = Generator::new()
            .generate_json(&[("acme/money.json", MONEY), ("order.json", ORDER)])
            .unwrap();
        let s = &out.source;
        assert!(s.contains("pub total: Money,"), "{s}");
        assert!(s.contains("pub refund: Option<acme::Cur>,"), "{s}");
        assert_eq!(s.matches("pub struct Money").count(), 1, "{s}");
        // The check embeds the order bundled with the money document.
        assert!(s.contains("#/definitions/acme~1money.json"), "{s}");
    }

    #[test]
    fn a_ref_into_a_later_or_unknown_document_is_named() {
        for inputs in [
            vec![("order.json", ORDER), ("acme/money.json", MONEY)],
            vec![("order.json", ORDER)],
        ] {
            let err = Generator::new().generate_json(&inputs).unwrap_err();
            let GenerateError::NotExpressible { at, construct } = &err else {
                panic!("{err}")
            };
            assert_eq!(at, "order.json#/properties/total/$ref");
            assert!(construct.contains("not an earlier input"), "{err}");
        }
        let unused = ORDER.replace("#/definitions/acme.Cur", "#/definitions/Nope");
        let err = Generator::new()
            .generate_json(&[("acme/money.json", MONEY), ("order.json", &unused)])
            .unwrap_err();
        assert!(
            err.to_string().contains("only `acme/money.json`'s root"),
            "{err}"
        );
    }
}
