//! The generator's promise, checked where the generated code is compiled: a type's rendered
//! Avro schema equals the schema it was generated from.
//!
//! The derive's `Model` is a `const` built at compile time (`&'static` references,
//! `Type::Named(fn() -> &'static Model)`), so the generator cannot render a model it has only
//! written as source. The check therefore runs in the compiled code: the generated file embeds
//! each input schema and a `check_avro_schemas()` that calls [`check_avro`] for each root type.

use serde_json::Value as Json;

use crate::Record;

/// A generated type whose rendered schema differs from its input, naming where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaMismatch {
    /// The rendered schema and the input differ at `at` (a dotted path of full type names and
    /// field names, e.g. `com.acme.Order.lines.items`).
    #[error("{type_name}: the generated type differs from its schema at {at}: it renders {ours}, the schema has {input}")]
    Differs {
        /// The Rust type that was checked.
        type_name: String,
        /// Where the two differ.
        at: String,
        /// The rendered side (normalized JSON).
        ours: String,
        /// The input side (normalized JSON).
        input: String,
    },
    /// The type's schema could not be rendered, or the input is not an Avro schema.
    #[error("{type_name}: {message}")]
    Unusable {
        /// The Rust type that was checked.
        type_name: String,
        /// What went wrong.
        message: String,
    },
}

/// Compares `T`'s rendered Avro schema with `input` (Avro schema JSON): names made full, field
/// order, defaults, logical types, aliases (made full, as readers resolve them) and every other
/// property; docs are left out (they do not change what a reader accepts). Then the Parsing
/// Canonical Forms, so the two also fingerprint the same.
///
/// ```
/// use kafka_model::Record;
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Record, Serialize, Deserialize)]
/// #[record(namespace = "com.acme")]
/// struct Ping {
///     seq: i64,
/// }
///
/// let same = r#"{"type": "record", "name": "Ping", "namespace": "com.acme",
///                "fields": [{"name": "seq", "type": "long"}]}"#;
/// kafka_model::generate::check_avro::<Ping>(same).unwrap();
/// let other = same.replace("long", "int");
/// let err = kafka_model::generate::check_avro::<Ping>(&other).unwrap_err();
/// assert!(err.to_string().contains("com.acme.Ping.seq"), "{err}");
/// ```
pub fn check_avro<T: Record>(input: &str) -> Result<(), SchemaMismatch> {
    check_avro_in::<T>(input, &[])
}

/// [`check_avro`] for an input that references named types of other inputs (`others`, as
/// generated together): the derive renders a type self-contained, with each named type defined
/// at its first use, so the references are resolved the same way before comparing.
pub fn check_avro_in<T: Record>(input: &str, others: &[&str]) -> Result<(), SchemaMismatch> {
    let type_name = std::any::type_name::<T>().to_string();
    let unusable = |message: String| SchemaMismatch::Unusable {
        type_name: type_name.clone(),
        message,
    };
    let schema = T::schemas()
        .avro()
        .map_err(|e| unusable(format!("renders no Avro schema: {e}")))?;
    let ours: Json = serde_json::from_str(schema.json())
        .map_err(|e| unusable(format!("rendered schema is not JSON: {e}")))?;
    let theirs: Json =
        serde_json::from_str(input).map_err(|e| unusable(format!("input is not JSON: {e}")))?;
    let mut defs = std::collections::HashMap::new();
    for other in others {
        let other: Json = serde_json::from_str(other)
            .map_err(|e| unusable(format!("another input is not JSON: {e}")))?;
        named_definitions(&normalized(&other, None), &mut defs);
    }
    let ours = normalized(&ours, None);
    let theirs = inlined(
        &normalized(&theirs, None),
        &defs,
        &mut std::collections::HashSet::new(),
    );
    // A record default may leave out fields that have defaults (readers fill them in); the
    // derive writes every field, so both sides are compared with the fields filled in.
    let ours = completed_defaults(&ours);
    let theirs = completed_defaults(&theirs);
    if let Some((at, o, t)) = first_difference(&ours, &theirs, String::new()) {
        return Err(SchemaMismatch::Differs {
            type_name,
            at: if at.is_empty() { "the top".into() } else { at },
            ours: o.to_string(),
            input: t.to_string(),
        });
    }
    let parsed = apache_avro::Schema::parse_str(&theirs.to_string())
        .map_err(|e| unusable(format!("input is not an Avro schema: {e}")))?;
    if schema.schema().canonical_form() != parsed.canonical_form() {
        return Err(SchemaMismatch::Differs {
            type_name,
            at: "the Parsing Canonical Form".into(),
            ours: schema.schema().canonical_form(),
            input: parsed.canonical_form(),
        });
    }
    Ok(())
}

const PRIMITIVES: &[&str] = &[
    "null", "boolean", "int", "long", "float", "double", "bytes", "string",
];
const NAMED: &[&str] = &["record", "error", "enum", "fixed"];

fn qualify(name: &str, ns: Option<&str>) -> String {
    match ns {
        Some(ns) if !name.contains('.') && !ns.is_empty() => format!("{ns}.{name}"),
        _ => name.trim_start_matches('.').to_string(),
    }
}

/// A schema with every name full (no `namespace` keys), `{"type": "long"}` as `"long"`, aliases
/// of named types made full, and no `doc` (as `tests/tests/avro_vectors.rs::normalized`).
pub(crate) fn normalized(s: &Json, ns: Option<&str>) -> Json {
    match s {
        Json::String(t) if PRIMITIVES.contains(&t.as_str()) => s.clone(),
        Json::String(t) => Json::String(qualify(t, ns)),
        Json::Array(branches) => Json::Array(branches.iter().map(|b| normalized(b, ns)).collect()),
        Json::Object(m) => {
            let ty = m.get("type").and_then(Json::as_str).unwrap_or_default();
            if m.len() == 1 && PRIMITIVES.contains(&ty) {
                return Json::String(ty.into());
            }
            let mut out = serde_json::Map::new();
            let mut own_ns = ns.map(str::to_string);
            let named = NAMED.contains(&ty);
            if named {
                let name = m.get("name").and_then(Json::as_str).unwrap_or_default();
                let ns_here = m.get("namespace").and_then(Json::as_str).or(ns);
                let full = qualify(name, ns_here);
                own_ns = full.rsplit_once('.').map(|(n, _)| n.to_string());
                out.insert("name".into(), Json::String(full));
            }
            for (k, v) in m {
                match k.as_str() {
                    "name" | "namespace" | "doc" => {}
                    "aliases" if named => {
                        let aliases = v.as_array().map(|a| {
                            a.iter()
                                .map(|x| match x.as_str() {
                                    Some(n) => Json::String(qualify(n, own_ns.as_deref())),
                                    None => x.clone(),
                                })
                                .collect()
                        });
                        out.insert(k.clone(), aliases.map_or(v.clone(), Json::Array));
                    }
                    "type" if !named && !matches!(ty, "array" | "map") => {
                        out.insert(k.clone(), normalized(v, own_ns.as_deref()));
                    }
                    "items" | "values" => {
                        out.insert(k.clone(), normalized(v, own_ns.as_deref()));
                    }
                    "fields" => {
                        let fields = v
                            .as_array()
                            .map(|fs| {
                                fs.iter()
                                    .map(|f| {
                                        let mut f = f.as_object().cloned().unwrap_or_default();
                                        f.remove("doc");
                                        if let Some(t) = f.get("type") {
                                            let t = normalized(t, own_ns.as_deref());
                                            f.insert("type".into(), t);
                                        }
                                        Json::Object(f)
                                    })
                                    .collect()
                            })
                            .unwrap_or_default();
                        out.insert(k.clone(), Json::Array(fields));
                    }
                    _ => {
                        out.insert(k.clone(), v.clone());
                    }
                }
            }
            Json::Object(out)
        }
        other => other.clone(),
    }
}

/// Every named type defined in a normalized schema, by full name.
fn named_definitions(s: &Json, defs: &mut std::collections::HashMap<String, Json>) {
    match s {
        Json::Array(items) => items.iter().for_each(|i| named_definitions(i, defs)),
        Json::Object(m) => {
            let ty = m.get("type").and_then(Json::as_str).unwrap_or_default();
            if NAMED.contains(&ty) {
                if let Some(name) = m.get("name").and_then(Json::as_str) {
                    defs.entry(name.to_string()).or_insert_with(|| s.clone());
                }
            }
            for (k, v) in m {
                match k.as_str() {
                    "type" | "items" | "values" => named_definitions(v, defs),
                    "fields" => {
                        for f in v.as_array().into_iter().flatten() {
                            if let Some(t) = f.get("type") {
                                named_definitions(t, defs);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

/// A normalized schema with each reference to a type of `defs` not yet defined replaced by its
/// definition (the first use defines it, as the derive renders).
fn inlined(
    s: &Json,
    defs: &std::collections::HashMap<String, Json>,
    seen: &mut std::collections::HashSet<String>,
) -> Json {
    match s {
        Json::String(name) if !PRIMITIVES.contains(&name.as_str()) => match defs.get(name) {
            Some(def) if seen.insert(name.clone()) => inlined(def, defs, seen),
            _ => s.clone(),
        },
        Json::Array(items) => Json::Array(items.iter().map(|i| inlined(i, defs, seen)).collect()),
        Json::Object(m) => {
            let ty = m.get("type").and_then(Json::as_str).unwrap_or_default();
            if NAMED.contains(&ty) {
                if let Some(name) = m.get("name").and_then(Json::as_str) {
                    seen.insert(name.to_string());
                }
            }
            let mut out = serde_json::Map::new();
            for (k, v) in m {
                let v = match k.as_str() {
                    "items" | "values" => inlined(v, defs, seen),
                    "type" if !NAMED.contains(&ty) && !matches!(ty, "array" | "map") => {
                        inlined(v, defs, seen)
                    }
                    "fields" => Json::Array(
                        v.as_array()
                            .into_iter()
                            .flatten()
                            .map(|f| {
                                let mut f = f.as_object().cloned().unwrap_or_default();
                                if let Some(t) = f.get("type") {
                                    let t = inlined(t, defs, seen);
                                    f.insert("type".into(), t);
                                }
                                Json::Object(f)
                            })
                            .collect(),
                    ),
                    _ => v.clone(),
                };
                out.insert(k.clone(), v);
            }
            Json::Object(out)
        }
        other => other.clone(),
    }
}

/// A normalized schema whose field defaults of record type (also inside arrays, maps and a
/// union's first branch) hold every field, the missing ones taken from the fields' defaults.
fn completed_defaults(s: &Json) -> Json {
    let mut defs = std::collections::HashMap::new();
    named_definitions(s, &mut defs);
    complete_schema(s, &defs)
}

fn complete_schema(s: &Json, defs: &std::collections::HashMap<String, Json>) -> Json {
    match s {
        Json::Array(items) => Json::Array(items.iter().map(|i| complete_schema(i, defs)).collect()),
        Json::Object(m) => {
            let mut out = m.clone();
            for k in ["items", "values"] {
                if let Some(v) = m.get(k) {
                    out.insert(k.into(), complete_schema(v, defs));
                }
            }
            if let Some(Json::Array(fields)) = m.get("fields") {
                let fields = fields
                    .iter()
                    .map(|f| {
                        let mut f = f.as_object().cloned().unwrap_or_default();
                        if let Some(t) = f.get("type").cloned() {
                            if let Some(d) = f.get("default") {
                                let d = complete_value(d, &t, defs, 0);
                                f.insert("default".into(), d);
                            }
                            f.insert("type".into(), complete_schema(&t, defs));
                        }
                        Json::Object(f)
                    })
                    .collect();
                out.insert("fields".into(), Json::Array(fields));
            }
            Json::Object(out)
        }
        other => other.clone(),
    }
}

/// `value` (a default of schema `ty`) with every record's missing fields filled from their
/// defaults. `depth` bounds recursive schemas (a default is finite, its schema need not be).
fn complete_value(
    value: &Json,
    ty: &Json,
    defs: &std::collections::HashMap<String, Json>,
    depth: usize,
) -> Json {
    if depth > 64 {
        return value.clone();
    }
    let ty = match ty {
        Json::String(name) => match defs.get(name) {
            Some(def) => def,
            None => return value.clone(),
        },
        // A union's default is of its first branch.
        Json::Array(branches) => match branches.first() {
            Some(first) => return complete_value(value, first, defs, depth + 1),
            None => return value.clone(),
        },
        other => other,
    };
    let kind = ty.get("type").and_then(Json::as_str).unwrap_or_default();
    match (kind, value) {
        ("array", Json::Array(items)) => match ty.get("items") {
            Some(t) => Json::Array(
                items
                    .iter()
                    .map(|i| complete_value(i, t, defs, depth + 1))
                    .collect(),
            ),
            None => value.clone(),
        },
        ("map", Json::Object(entries)) => match ty.get("values") {
            Some(t) => Json::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), complete_value(v, t, defs, depth + 1)))
                    .collect(),
            ),
            None => value.clone(),
        },
        ("record" | "error", Json::Object(given)) => {
            let mut out = given.clone();
            for f in ty
                .get("fields")
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
            {
                let (Some(name), Some(t)) = (f.get("name").and_then(Json::as_str), f.get("type"))
                else {
                    continue;
                };
                let v = match given.get(name).or_else(|| f.get("default")) {
                    Some(v) => complete_value(v, t, defs, depth + 1),
                    None => continue,
                };
                out.insert(name.to_string(), v);
            }
            Json::Object(out)
        }
        _ => value.clone(),
    }
}

/// The first place where two normalized schemas differ: (path, ours, theirs). Paths name
/// types by full name and fields by name.
fn first_difference(ours: &Json, theirs: &Json, at: String) -> Option<(String, Json, Json)> {
    if ours == theirs {
        return None;
    }
    let join = |a: &str, b: &str| {
        if a.is_empty() {
            b.to_string()
        } else {
            format!("{a}.{b}")
        }
    };
    match (ours, theirs) {
        (Json::Object(o), Json::Object(t)) => {
            // A named type's path starts at its full name (a field's `name` is in `at`).
            let named = t
                .get("type")
                .and_then(Json::as_str)
                .is_some_and(|ty| NAMED.contains(&ty));
            let at = match t.get("name").and_then(Json::as_str) {
                Some(n) if named && o.get("name") == t.get("name") => n.to_string(),
                _ => at,
            };
            let mut keys: Vec<&String> = o.keys().chain(t.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let (Some(ov), Some(tv)) = (o.get(k), t.get(k)) else {
                    return Some((
                        join(&at, k),
                        o.get(k).cloned().unwrap_or(Json::Null),
                        t.get(k).cloned().unwrap_or(Json::Null),
                    ));
                };
                if k == "fields" {
                    if let (Json::Array(of), Json::Array(tf)) = (ov, tv) {
                        for (i, (f1, f2)) in of.iter().zip(tf).enumerate() {
                            let name = f2
                                .get("name")
                                .and_then(Json::as_str)
                                .map_or_else(|| format!("fields[{i}]"), str::to_string);
                            if let Some(d) = first_difference(f1, f2, join(&at, &name)) {
                                return Some(d);
                            }
                        }
                        if of.len() != tf.len() {
                            return Some((join(&at, "fields"), ov.clone(), tv.clone()));
                        }
                        continue;
                    }
                }
                let here = if matches!(k.as_str(), "type") && !at.is_empty() {
                    at.clone()
                } else {
                    join(&at, k)
                };
                if let Some(d) = first_difference(ov, tv, here) {
                    return Some(d);
                }
            }
            None
        }
        (Json::Array(o), Json::Array(t)) if o.len() == t.len() => o
            .iter()
            .zip(t)
            .enumerate()
            .find_map(|(i, (a, b))| first_difference(a, b, format!("{at}[{i}]"))),
        _ => Some((at, ours.clone(), theirs.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_the_differing_field() {
        let a = normalized(
            &json!({"type": "record", "name": "R", "namespace": "n", "fields": [
                {"name": "a", "type": "int"}, {"name": "b", "type": "long", "default": 1, "aliases": ["c"]}]}),
            None,
        );
        let b = normalized(
            &json!({"type": "record", "name": "n.R", "fields": [
                {"name": "a", "type": {"type": "int"}}, {"name": "b", "type": "long", "default": 2, "aliases": ["c"]}]}),
            None,
        );
        let (at, o, t) = first_difference(&a, &b, String::new()).unwrap();
        assert_eq!(at, "n.R.b.default");
        assert_eq!((o, t), (json!(1), json!(2)));
        assert_eq!(first_difference(&a, &a, String::new()), None);
    }

    #[test]
    fn record_defaults_are_compared_with_field_defaults_filled_in() {
        let money = json!({"type": "record", "name": "M", "fields": [
            {"name": "a", "type": "long"}, {"name": "c", "type": "string", "default": "EUR"}]});
        let with = |d: serde_json::Value| {
            completed_defaults(&normalized(
                &json!({"type": "record", "name": "R", "fields": [
                    {"name": "m", "type": money.clone()},
                    {"name": "ms", "type": {"type": "array", "items": "M"}, "default": d}]}),
                None,
            ))
        };
        let partial = with(json!([{"a": 1}]));
        assert_eq!(partial, with(json!([{"a": 1, "c": "EUR"}])));
        assert_ne!(partial, with(json!([{"a": 1, "c": "USD"}])));
    }

    #[test]
    fn aliases_are_compared_as_full_names() {
        let short = json!({"type": "enum", "name": "E", "namespace": "n", "aliases": ["Old"], "symbols": ["A"]});
        let full = json!({"type": "enum", "name": "n.E", "aliases": ["n.Old"], "symbols": ["A"]});
        assert_eq!(normalized(&short, None), normalized(&full, None));
    }
}
