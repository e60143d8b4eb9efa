//! Parsing Canonical Form of any Avro schema JSON.

use std::fmt::Write as _;

use super::*;

pub(super) const PRIMITIVES: [&str; 8] = [
    "null", "boolean", "int", "long", "float", "double", "bytes", "string",
];

/// The Parsing Canonical Form of any Avro schema JSON, as the specification defines it:
/// primitives in their simple form, full names everywhere (no `namespace`), only `name`,
/// `type`, `fields`, `symbols`, `items`, `values` and `size` kept (so `logicalType`,
/// `precision`, `scale`, `doc`, `aliases`, `default`, `order` and custom attributes go), in
/// that order, no whitespace. A named type defined a second time is written as its full name.
///
/// Differs from `apache_avro` 0.22's `Schema::canonical_form`, which keeps `precision`/`scale`
/// and writes a logical type on a primitive as `{"type":"long"}` instead of `"long"`.
pub fn canonical_form(schema_json: &Value) -> String {
    let mut out = String::new();
    let mut defined = HashSet::new();
    pcf(schema_json, None, &mut defined, &mut out);
    out
}

pub(super) fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

pub(super) fn pcf(v: &Value, ns: Option<&str>, defined: &mut HashSet<String>, out: &mut String) {
    match v {
        Value::String(s) => {
            if PRIMITIVES.contains(&s.as_str()) {
                push_json_str(out, s);
            } else {
                push_json_str(out, &full_name(s, ns));
            }
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                pcf(item, ns, defined, out);
            }
            out.push(']');
        }
        Value::Object(map) => match map.get("type") {
            Some(Value::String(t)) => match t.as_str() {
                t if PRIMITIVES.contains(&t) => push_json_str(out, t),
                "record" | "error" | "enum" | "fixed" => pcf_named(map, t, ns, defined, out),
                "array" => {
                    out.push_str("{\"type\":\"array\",\"items\":");
                    pcf(map.get("items").unwrap_or(&Value::Null), ns, defined, out);
                    out.push('}');
                }
                "map" => {
                    out.push_str("{\"type\":\"map\",\"values\":");
                    pcf(map.get("values").unwrap_or(&Value::Null), ns, defined, out);
                    out.push('}');
                }
                // `{"type": "com.acme.Name"}`: a reference in object form.
                other => push_json_str(out, &full_name(other, ns)),
            },
            // `{"type": {...}}` / `{"type": [...]}`: a wrapped schema.
            Some(inner @ (Value::Object(_) | Value::Array(_))) => pcf(inner, ns, defined, out),
            _ => out.push_str(&v.to_string()),
        },
        // Not a schema; keep it visible rather than hide the problem.
        other => out.push_str(&other.to_string()),
    }
}

pub(super) fn pcf_named(
    map: &serde_json::Map<String, Value>,
    ty: &str,
    ns: Option<&str>,
    defined: &mut HashSet<String>,
    out: &mut String,
) {
    let name = map.get("name").and_then(Value::as_str).unwrap_or("");
    let own_ns = match map.get("namespace") {
        Some(Value::String(n)) => Some(n.as_str()),
        Some(Value::Null) => Some(""),
        _ => ns,
    };
    let full = full_name(name, own_ns);
    if !defined.insert(full.clone()) {
        push_json_str(out, &full);
        return;
    }
    out.push_str("{\"name\":");
    push_json_str(out, &full);
    out.push_str(",\"type\":");
    push_json_str(out, ty);
    match ty {
        "enum" => {
            out.push_str(",\"symbols\":[");
            let symbols = map
                .get("symbols")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            for (i, s) in symbols.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                match s.as_str() {
                    Some(s) => push_json_str(out, s),
                    None => out.push_str(&s.to_string()),
                }
            }
            out.push(']');
        }
        "fixed" => {
            out.push_str(",\"size\":");
            match map.get("size") {
                Some(Value::Number(n)) => out.push_str(&n.to_string()),
                // [INTEGERS]: no quotes, no leading zeros.
                Some(Value::String(s)) => match s.trim().parse::<u64>() {
                    Ok(n) => out.push_str(&n.to_string()),
                    Err(_) => push_json_str(out, s),
                },
                Some(other) => out.push_str(&other.to_string()),
                None => out.push_str("null"),
            }
        }
        _ => {
            let child_ns = namespace_of(&full);
            out.push_str(",\"fields\":[");
            let fields = map
                .get("fields")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            for (i, f) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str("{\"name\":");
                match f.get("name") {
                    Some(Value::String(n)) => push_json_str(out, n),
                    Some(other) => out.push_str(&other.to_string()),
                    None => out.push_str("null"),
                }
                out.push_str(",\"type\":");
                pcf(
                    f.get("type").unwrap_or(&Value::Null),
                    child_ns.as_deref(),
                    defined,
                    out,
                );
                out.push('}');
            }
            out.push(']');
        }
    }
    out.push('}');
}
