//! Tests of the JSON Schema generator: what it writes and what it refuses.

use super::*;

fn generate(text: &str) -> Result<Generated, GenerateError> {
    Generator::new().generate_json(&[("a.json", text)])
}

#[test]
fn names_what_it_cannot_express() {
    let cases = [
        (r#"{"not": {"type": "number"}}"#, "a.json#/not", "`not`"),
        (
            r#"{"properties": {"foo": {"const": "red"}}}"#,
            "a.json#/properties/foo/const",
            "`const`",
        ),
        (
            r#"{"dependencies": {"foo": ["bar"]}, "properties": {}}"#,
            "a.json#/dependencies",
            "`dependencies`",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"maxLength": 3}}, "required": ["a"]}"#,
            "a.json#/properties/a",
            "keywords without a `type`",
        ),
        (
            r#"{"type": "object", "properties": {"a": false}}"#,
            "a.json#/properties/a",
            "a boolean schema `false`",
        ),
        (
            r#"{"oneOf": [{"type": "integer"}, {"type": "number"}]}"#,
            "a.json#/oneOf",
            "a `oneOf` of branches that may overlap",
        ),
        (
            r#"{"type": "object", "properties": {"p": {"allOf": [{"type": "number"}, {"type": "string"}]}}}"#,
            "a.json#/properties/p/allOf",
            "an `allOf` whose branches allow no common type, so no value matches (a constraint without",
        ),
        (
            r#"{"type": "object", "properties": {"p": {"allOf": [{"maxLength": 5}, {"enum": ["a", "b"]}, {"type": "integer"}]}}}"#,
            "a.json#/properties/p/allOf",
            "an `allOf` whose branches allow no common type",
        ),
        (
            r#"{"anyOf": [{"type": "string", "contentEncoding": "base64"}, {"type": "null"}, {"type": "integer"}]}"#,
            "a.json#/anyOf/0",
            "base64 on a branch of an untagged union",
        ),
        (
            r#"{"type": "number", "multipleOf": 0}"#,
            "a.json#/multipleOf",
            "a `multipleOf` that is not a positive number",
        ),
        (
            r#"{"type": "integer", "multipleOf": 0.5}"#,
            "a.json#/multipleOf",
            "a `multipleOf` that is not a positive whole number",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"type": "null"}}}"#,
            "a.json#/properties/a",
            "an optional property that is not nullable",
        ),
        (
            r##"{"type": "array", "items": {"$ref": "#"}}"##,
            "a.json#",
            "a top-level array holding itself",
        ),
        (
            r#"{"type": "array", "items": [{"type": "string"}], "additionalItems": {"type": "string", "maxLength": 2}}"#,
            "a.json#/additionalItems",
            "bounds, patterns or base64 on `additionalItems`",
        ),
        (
            r#"{"type": "array", "items": [{"type": "string", "contentEncoding": "base64"}]}"#,
            "a.json#/items/0",
            "base64 bytes in an open tuple",
        ),
        (
            r#"{"type": "array", "items": [{"type": "number"}, false, {"type": "string"}], "additionalItems": false}"#,
            "a.json#/items/2",
            "a tuple item after a `false` one",
        ),
        (
            r#"{"type": "array", "items": [false, false], "additionalItems": false}"#,
            "a.json#/items/0",
            "a tuple whose items are all `false`",
        ),
        (
            r#"{"type": "array", "items": [{"type": "number"}, false]}"#,
            "a.json#/items/1",
            "a `false` item in an open tuple",
        ),
        (
            r#"{"type": "array", "items": [{"type": "number"}, false], "additionalItems": false, "minItems": 2}"#,
            "a.json#/minItems",
            "a `minItems` outside",
        ),
        (
            r#"{"type": "array", "items": [], "additionalItems": false}"#,
            "a.json#/items",
            "an empty `items` list",
        ),
        (
            r#"{"type": "array", "items": [{"type": "string"}], "additionalItems": false, "minItems": 2}"#,
            "a.json#/minItems",
            "a `minItems` outside",
        ),
        (
            r#"{"type": "array", "items": [{"type": "string"}], "additionalItems": false, "maxItems": 1}"#,
            "a.json#/maxItems",
            "`maxItems` here",
        ),
        (
            r#"{"type": "array", "additionalItems": false,
                "items": [{"type": "object", "properties": {}}]}"#,
            "a.json#/items/0",
            "a tuple item that may be missing",
        ),
    ];
    for (schema, at, construct) in cases {
        match generate(schema) {
            Err(GenerateError::NotExpressible {
                at: a,
                construct: c,
            }) => {
                assert_eq!(a, at, "{schema}");
                assert!(c.starts_with(construct), "{schema}: {c}");
            }
            other => panic!("{schema}: {other:?}"),
        }
    }
}

#[test]
fn the_root_id_is_json_id() {
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let src = squash(
        &generate(r#"{"$id": "https://acme.example/p.json", "title": "P", "type": "object", "properties": {"q": {"type": "object", "properties": {}}}}"#)
            .expect("generates")
            .source,
    );
    assert!(
        src.contains(r#"#[record(open_content)] #[record(json_id = "https://acme.example/p.json")] pub struct P {"#),
        "{src}"
    );
    assert_eq!(src.matches("json_id").count(), 1, "{src}");
    let src = squash(&generate(r#"{"$id": "x"}"#).expect("generates").source);
    assert!(
        src.contains(r#"#[record(json_id = "x")] pub struct A(pub serde_json::Value);"#),
        "{src}"
    );
}

#[test]
fn partially_open_objects_flatten_a_map() {
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let src = squash(
        &generate(r#"{"title": "P", "type": "object", "properties": {"additional_properties": {"type": "string"}}, "additionalProperties": {"oneOf": [{"type": "null"}, {"type": "integer"}]}}"#)
            .expect("generates")
            .source,
    );
    assert!(!src.contains("open_content"), "{src}");
    assert!(
        src.contains("/// The properties not listed above. #[serde(flatten)] pub additional_properties_: std::collections::BTreeMap<String, Option<i64>>,"),
        "{src}"
    );
    match generate(
        r#"{"type": "object", "properties": {}, "additionalProperties": {"type": "string", "maxLength": 3}}"#,
    ) {
        Err(GenerateError::NotExpressible { at, construct }) => {
            assert_eq!(at, "a.json#/additionalProperties");
            assert!(
                construct.starts_with("a length bound on map values"),
                "{construct}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn top_level_newtypes_keep_title_and_description() {
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let src = squash(
        &generate(r#"{"title": "Tags", "description": "Labels.", "type": "array", "items": {"type": "string"}}"#)
            .expect("generates")
            .source,
    );
    assert!(
        src.contains(r#"/// Labels. #[derive( Debug, Clone, PartialEq, kafka_model::Record, serde::Serialize, serde::Deserialize )] #[record(name = "Tags")] pub struct Tags(pub Vec<String>);"#),
        "{src}"
    );
    let src = squash(
        &generate(r#"{"description": "Anything."}"#)
            .expect("generates")
            .source,
    );
    assert!(
        src.contains("/// Anything.") && src.contains("pub struct A(pub serde_json::Value);"),
        "{src}"
    );
    assert!(!src.contains("#[record(name"), "{src}");
}

#[test]
fn any_values_and_untagged_unions() {
    let src = generate(
        r##"{"title": "Doc", "type": "object", "properties": {
            "free": {"description": "Anything."},
            "yes": true,
            "list": {"type": "array"},
            "either": {"type": ["string", "integer", "null"]},
            "shapes": {"anyOf": [{"$ref": "#/definitions/P"}, {"type": "object", "properties": {"r": {"type": "number"}}, "required": ["r"], "additionalProperties": false}]}
        }, "required": ["free", "yes", "list", "either", "shapes"], "additionalProperties": false,
        "definitions": {"P": {"type": "object", "properties": {"x": {"type": "integer"}}, "required": ["x"], "additionalProperties": false}}}"##,
    )
    .expect("generates");
    // (Compared with whitespace runs as one space: the source is formatted.)
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = flat(&src.source);
    for expected in [
        "pub free: serde_json::Value,",
        "pub yes: serde_json::Value,",
        "pub list: Vec<serde_json::Value>,",
        "pub either: DocEither,",
        "#[serde(untagged)] pub enum DocEither { String(String), Integer(i64), Null(()), }",
        "#[serde(untagged)] pub enum DocShapes { P(P), Object(DocShapesObject), }",
    ] {
        assert!(text.contains(expected), "{expected} in\n{}", src.source);
    }
    // A root `oneOf` of disjoint types is an enum too.
    let src =
        generate(r#"{"oneOf": [{"type": "string"}, {"type": "boolean"}]}"#).expect("generates");
    assert!(
        flat(&src.source)
            .contains("#[serde(untagged)] pub enum A { String(String), Boolean(bool), }"),
        "{}",
        src.source
    );
}

#[test]
fn branch_titles_and_bounds_are_variant_attributes() {
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let src = generate(
        r#"{"oneOf": [{"type": "boolean"}, {"title": "my string", "type": "string", "maxLength": 8}, {"type": "integer", "minimum": 1}]}"#,
    )
    .expect("generates");
    assert!(
        flat(&src.source).contains(
            "pub enum A { Boolean(bool), #[record(title = \"my string\")] String(#[record(max_len = 8)] String), Integer(#[record(min = 1)] i64), }"
        ),
        "{}",
        src.source
    );
}

#[test]
fn required_properties_without_a_schema_are_required_only_values() {
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let src =
        generate(r#"{"properties": {"foo": {"type": "string"}}, "required": ["bar", "type"]}"#)
            .expect("generates");
    assert!(
        flat(&src.source).contains(
            "pub foo: Option<String>, #[record(required_only)] pub bar: serde_json::Value, #[serde(rename = \"type\")] #[record(required_only)] pub type_: serde_json::Value, }"
        ),
        "{}",
        src.source
    );
    // A closed object has no room for it.
    let err = generate(
        r#"{"type": "object", "properties": {}, "required": ["bar"], "additionalProperties": false}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("a required property `bar` without a schema"),
        "{err}"
    );
}

#[test]
fn adjacent_and_internal_tagging_are_recognised() {
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let branch = |v: &str, content: Option<&str>| match content {
        Some(c) => format!(
            r#"{{"type": "object", "properties": {{"kind": {{"const": "{v}"}}, "data": {c}}}, "required": ["kind", "data"], "additionalProperties": false}}"#
        ),
        None => format!(
            r#"{{"type": "object", "properties": {{"kind": {{"const": "{v}"}}}}, "required": ["kind"], "additionalProperties": false}}"#
        ),
    };
    let src = generate(&format!(
        r#"{{"oneOf": [{}, {}, {}]}}"#,
        branch("Text", Some(r#"{"type": "string", "maxLength": 4}"#)),
        branch("Number", Some(r#"{"type": "integer"}"#)),
        branch("Empty", None),
    ))
    .expect("generates");
    assert!(
        flat(&src.source).contains(
            "#[serde(tag = \"kind\", content = \"data\")] pub enum A { Text(#[record(max_len = 4)] String), Number(i64), Empty, }"
        ),
        "{}",
        src.source
    );
    // Without content anywhere: serde's internal form of unit variants.
    let src = generate(&format!(
        r#"{{"oneOf": [{}, {}]}}"#,
        branch("On", None),
        branch("Off", None),
    ))
    .expect("generates");
    assert!(
        flat(&src.source).contains("#[serde(tag = \"kind\")] pub enum A { On, Off, }"),
        "{}",
        src.source
    );
    // Two tag names: not serde's adjacent or internal form (read as the external form, whose
    // payloads `{"const": ..}` have no type).
    let err = generate(&format!(
        r#"{{"oneOf": [{}, {}]}}"#,
        branch("On", None),
        branch("Off", None).replace("kind", "type"),
    ))
    .unwrap_err()
    .to_string();
    assert!(err.contains("/properties/kind/const: `const`"), "{err}");
}

#[test]
fn all_of_products_keep_their_branches() {
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let src = generate(
        r#"{"type": "object", "properties": {
            "a": {"allOf": [{"enum": ["one", "two"]}, {"type": "string"}, {"maxLength": 5}]},
            "b": {"allOf": [{"type": "string"}, {"type": "string"}]},
            "c": {"allOf": [{"type": "string"}, {"maxLength": 5}]}
        }, "required": ["a", "b", "c"]}"#,
    )
    .expect("generates");
    let text = flat(&src.source);
    for expected in [
        "#[record( max_len = 5, choices = [\"one\", \"two\"], json_all_of = [[\"enum\"], [\"type\"], [\"maxLength\"]] )] pub a: String,",
        // A repeated keyword: one branch (Confluent's diff reads both alike).
        "#[record(json_all_of = [[\"type\"]])] pub b: String,",
        // Disjoint keywords without an `enum` merge into one schema, as before.
        "#[record(max_len = 5)] pub c: String,",
    ] {
        assert!(text.contains(expected), "{expected} in\n{}", src.source);
    }
}

#[test]
fn property_counts_are_container_attributes() {
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let src = generate(
        r#"{"type": "object", "properties": {"a": {"type": "string"}}, "minProperties": 1, "maxProperties": 2}"#,
    )
    .expect("generates");
    assert!(
        flat(&src.source).contains(
            "#[record(open_content, min_properties = 1, max_properties = 2)] pub struct A {"
        ),
        "{}",
        src.source
    );
    let err = generate(r#"{"type": "object", "properties": {}, "minProperties": 1.5}"#)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("a `minProperties` that is not a non-negative integer"),
        "{err}"
    );
}

#[test]
fn tuples_are_tuple_structs() {
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for (schema, expected) in [
        // No `minItems`: every item may be missing (serde fills its default).
        (
            r#"{"type": "array", "items": [{"type": "string"}, {"type": "number"}],
                "additionalItems": false}"#,
            "pub struct A(#[serde(default)] pub String, #[serde(default)] pub f64);",
        ),
        (
            r#"{"title": "Fix", "type": "array", "minItems": 2, "additionalItems": false,
                "items": [{"type": "number", "description": "Longitude."},
                          {"type": "number", "maximum": 90},
                          {"type": ["null", "integer"]}]}"#,
            "pub struct Fix( /// Longitude. pub f64, #[record(max = 90)] pub f64, \
             #[serde(default)] pub Option<i64>, );",
        ),
        // One item: a skipped `()` keeps it an array (a one-field tuple struct is a newtype).
        (
            r#"{"type": "array", "items": [{"type": "string"}], "additionalItems": false}"#,
            "pub struct A( #[serde(default)] pub String, /// A one-item array: alone, the \
             field above would make a newtype (its bare value). #[serde(skip)] pub (), );",
        ),
        // `false` items: positions no array holds, `absent` fields after the others (which
        // keep a one-item array a tuple too).
        (
            r#"{"type": "array", "items": [{"type": "number"}, false], "additionalItems": false}"#,
            "pub struct A( #[serde(default)] pub f64, /// A position no array holds (`false` \
             in the JSON Schema). #[record(absent)] #[serde(skip)] pub (), );",
        ),
        (
            r#"{"type": "array", "minItems": 2, "items": [{"type": "number"}, {"type": "string"},
                false, false], "additionalItems": false}"#,
            "pub struct A( pub f64, pub String, /// A position no array holds (`false` in the \
             JSON Schema). #[record(absent)] #[serde(skip)] pub (), /// A position no array \
             holds (`false` in the JSON Schema). #[record(absent)] #[serde(skip)] pub (), );",
        ),
        // Inline and referenced tuples are named types.
        (
            r##"{"title": "T", "type": "object", "additionalProperties": false,
                "properties": {"at": {"type": "array", "minItems": 2, "additionalItems": false,
                    "items": [{"type": "number"}, {"$ref": "#/definitions/geo.Pair"}]}},
                "required": ["at"],
                "definitions": {"geo.Pair": {"type": "array", "minItems": 1,
                    "additionalItems": false, "items": [{"type": "boolean"}, {"type": "string"}]}}}"##,
            "pub struct TAt(pub f64, pub geo::Pair);",
        ),
    ] {
        let src = generate(schema).expect("generates");
        assert!(
            flat(&src.source).contains(expected),
            "{expected} in\n{}",
            src.source
        );
    }
    let src = generate(
        r##"{"title": "T", "type": "object", "additionalProperties": false,
            "properties": {"p": {"$ref": "#/definitions/geo.Pair"}}, "required": ["p"],
            "definitions": {"geo.Pair": {"type": "array", "minItems": 1,
                "additionalItems": false, "items": [{"type": "boolean"}, {"type": "string"}]}}}"##,
    )
    .expect("generates");
    assert!(
        flat(&src.source).contains(
            "#[record(namespace = \"geo\")] pub struct Pair(pub bool, #[serde(default)] pub String);"
        ),
        "{}",
        src.source
    );

    // Open tuples: a last `rest` list and serde impls of their own.
    for (schema, expected) in [
        (
            r#"{"type": "array", "items": [{"type": "string"}, {"type": "number"}]}"#,
            "pub struct A( #[record(default)] pub String, #[record(default)] pub f64, \
             /// The items after the others. #[record(rest)] pub Vec<serde_json::Value>, );",
        ),
        (
            r#"{"type": "array", "minItems": 1, "items": [{"type": "string"}, true],
                "additionalItems": {"type": "integer"}}"#,
            "pub struct A( pub String, #[record(default)] pub serde_json::Value, \
             /// The items after the others. #[record(rest)] pub Vec<i64>, );",
        ),
    ] {
        let src = generate(schema).expect("generates");
        let text = flat(&src.source);
        assert!(text.contains(expected), "{expected} in\n{}", src.source);
        assert!(
            text.contains("impl serde::Serialize for A {"),
            "{}",
            src.source
        );
        assert!(
            text.contains("impl<'de> serde::Deserialize<'de> for A {"),
            "{}",
            src.source
        );
        assert!(
            !text.contains("serde::Serialize, serde::Deserialize )]"),
            "{}",
            src.source
        );
    }

    // (What serde's derive cannot read in a tuple: `names_what_it_cannot_express`.)
}

#[test]
fn top_level_lists_maps_and_null_are_newtypes() {
    for (schema, expected) in [
        (
            r#"{"type": "array", "items": {"type": "string"}}"#,
            "pub struct A(pub Vec<String>);",
        ),
        (
            r#"{"type": "object", "additionalProperties": {"type": "number"}}"#,
            "pub struct A(pub std::collections::BTreeMap<String, f64>);",
        ),
        (r#"{"type": "null"}"#, "pub struct A(pub ());"),
        // Bounds of the root: validators on the newtype's field.
        (
            r#"{"type": "array", "items": {"type": "string"}, "maxItems": 3}"#,
            "pub struct A(#[record(max_len = 3)] pub Vec<String>);",
        ),
        (
            r#"{"type": "string", "minLength": 2, "pattern": "^a"}"#,
            "pub struct A(#[record(min_len = 2, pattern = \"^a\")] pub String);",
        ),
        (
            r#"{"type": "number", "maximum": 10}"#,
            "pub struct A(#[record(max = 10)] pub f64);",
        ),
        (
            r#"{"type": "number", "multipleOf": 0.25}"#,
            "pub struct A(#[record(multiple_of = 0.25)] pub f64);",
        ),
        (
            r#"{"type": "array", "items": {"type": "object",
                "properties": {"n": {"type": "integer"}}, "required": ["n"]}}"#,
            "pub struct A(pub Vec<AItem>);",
        ),
    ] {
        let out = generate(schema).unwrap_or_else(|e| panic!("{schema}: {e}"));
        assert!(out.source.contains(expected), "{schema}:\n{}", out.source);
    }
}

#[test]
fn several_inputs_one_file() {
    let a = r##"{"title": "A", "type": "object", "additionalProperties": false,
        "properties": {"b": {"$ref": "#/definitions/x.Same"}}, "required": ["b"],
        "definitions": {"x.Same": {"type": "string", "enum": ["P"]}}}"##;
    let b = r##"{"type": "object", "additionalProperties": false,
        "properties": {"s": {"$ref": "#/definitions/x.Same"}}, "required": ["s"],
        "definitions": {"x.Same": {"type": "string", "enum": ["Q"]}}}"##;
    let out = Generator::new()
        .generate_json(&[("a.json", a), ("b-side.json", b)])
        .expect("generates");
    let paths: Vec<&str> = out.roots.iter().map(|r| r.rust_path.as_str()).collect();
    assert_eq!(paths, ["A", "BSide"]);
    // Two definitions of one name: the second type gets another ident, the same name.
    assert!(out.source.contains("pub s: x::Same2,"), "{}", out.source);
    assert!(out
        .source
        .contains("#[record(namespace = \"x\", name = \"Same\")]"));
    assert!(out.source.contains("check_json::<BSide>(JSON_INPUTS[1])"));
}

#[test]
fn optional_properties_that_are_not_nullable_are_skipped_options() {
    let schema = r#"{"type": "object", "properties": {"a": {"type": "string", "maxLength": 4},
        "b": {"type": ["integer", "null"]}, "c": {"type": "boolean", "default": true}}}"#;
    let out = generate(schema).expect("generates");
    let lines: Vec<&str> = out.source.lines().map(str::trim).collect();
    assert!(
        lines.join("\n").contains(
            "#[serde(skip_serializing_if = \"Option::is_none\")]\n#[record(max_len = 4)]\npub a: Option<String>,"
        ),
        "{}",
        out.source
    );
    // Nullable, or defaulted: no skip.
    assert!(out.source.contains("pub b: Option<i64>,"), "{}", out.source);
    assert_eq!(out.source.matches("skip_serializing_if").count(), 1);
}

#[test]
fn keeps_property_order_and_is_deterministic() {
    let schema = r##"{"type": "object", "additionalProperties": false,
        "properties": {"zeta": {"type": "string"}, "alpha": {"type": "integer",
        "minimum": -2147483648, "maximum": 2147483647}, "when": {"type": "string",
        "format": "date-time"}, "inner": {"type": "object", "properties": {"x":
        {"$ref": "#"}}, "required": ["x"]}},
        "required": ["zeta", "alpha", "when", "inner"]}"##;
    let a = generate(schema).expect("generates");
    let b = generate(schema).expect("generates");
    assert_eq!(a.source, b.source);
    let zeta = a.source.find("pub zeta: String,").expect("zeta");
    let alpha = a.source.find("pub alpha: i32,").expect("alpha");
    assert!(zeta < alpha, "{}", a.source);
    assert!(a
        .source
        .contains("pub when: chrono::DateTime<chrono::Utc>,"));
    assert!(a.source.contains("pub inner: AInner,"), "{}", a.source);
    assert!(a.source.contains("pub x: Box<A>,"), "{}", a.source);
}
