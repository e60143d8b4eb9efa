//! Validation of a JSON Schema against its meta-schema (the draft its `$schema` names).

use std::sync::OnceLock;

use serde_json::Value;

/// The five drafts' meta-schemas, compiled once (boon embeds them).
struct MetaSchemas {
    schemas: boon::Schemas,
    /// Draft 4, 6, 7, 2019-09, 2020-12.
    index: [boon::SchemaIndex; 5],
}

const URLS: [&str; 5] = [
    "http://json-schema.org/draft-04/schema",
    "http://json-schema.org/draft-06/schema",
    "http://json-schema.org/draft-07/schema",
    "https://json-schema.org/draft/2019-09/schema",
    "https://json-schema.org/draft/2020-12/schema",
];

fn meta_schemas() -> Result<&'static MetaSchemas, String> {
    static META: OnceLock<Result<MetaSchemas, String>> = OnceLock::new();
    META.get_or_init(|| {
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        let mut index = Vec::with_capacity(URLS.len());
        for url in URLS {
            index.push(
                compiler
                    .compile(url, &mut schemas)
                    .map_err(|e| format!("meta-schema {url}: {e}"))?,
            );
        }
        let index: [boon::SchemaIndex; 5] = index
            .try_into()
            .map_err(|_| "meta-schema count".to_owned())?;
        Ok(MetaSchemas { schemas, index })
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// Which meta-schema applies: the root's `$schema` (draft 7 when absent or unknown, as
/// Confluent's default).
fn draft_index(schema: &Value) -> usize {
    let uri = schema.get("$schema").and_then(Value::as_str).unwrap_or("");
    if uri.contains("draft-04") {
        0
    } else if uri.contains("draft-06") {
        1
    } else if uri.contains("2019-09") {
        3
    } else if uri.contains("2020-12") {
        4
    } else {
        2
    }
}

/// Checks `schema` against its draft's meta-schema; the error names what is wrong and where.
pub(super) fn validate(schema: &Value) -> Result<(), String> {
    let meta = meta_schemas()?;
    meta.schemas
        .validate(schema, meta.index[draft_index(schema)])
        .map_err(|e| e.to_string().replace('\n', " "))
}
