use super::*;

// -----------------------------------------------------------------------------------------
// Enums with data.

#[test]
fn external_tagging() {
    let schema = render_ok(&EXT);
    let v = schema.value();
    assert_eq!(
        v["oneOf"][0],
        json!({ "description": "Nothing.", "const": "Unit" })
    );
    assert_eq!(
        v["oneOf"][1],
        json!({
            "type": "object",
            "properties": { "Num": { "type": "integer", "minimum": -2147483648i64, "maximum": 2147483647 } },
            "required": ["Num"],
            "additionalProperties": false,
        })
    );
    assert_eq!(
        v["oneOf"][2]["properties"]["Addr"],
        json!({ "$ref": "#/definitions/com.acme.Address" })
    );
    assert_eq!(
        v["oneOf"][3]["properties"]["Pair"]["required"],
        json!(["a"])
    );
    let pair = to_json(&Ext::Pair { a: 1, b: None });
    check_with_python(
        &schema,
        &[
            to_json(&Ext::Unit),
            to_json(&Ext::Num(-5)),
            to_json(&Ext::Addr(Address {
                street: "s".into(),
                zip: None,
            })),
            pair.clone(),
            to_json(&Ext::Pair {
                a: 1,
                b: Some("x".into()),
            }),
        ],
        &[
            json!("Nope"),
            json!({ "Unit": null }),
            json!({ "Num": "1" }),
            json!({ "Num": 1, "Pair": { "a": 1 } }),
            json!({ "Pair": { "b": "x" } }),
            json!({}),
        ],
    );
}

#[test]
fn internal_tagging() {
    let schema = render_ok(&INT);
    let v = schema.value();
    assert_eq!(
        v["oneOf"][0],
        json!({ "type": "object", "properties": { "type": { "const": "Unit" } }, "required": ["type"] })
    );
    assert_eq!(
        v["oneOf"][1],
        json!({ "allOf": [
                { "$ref": "#/definitions/com.acme.Address" },
                { "type": "object", "properties": { "type": { "const": "Addr" } }, "required": ["type"] },
            ] })
    );
    assert_eq!(v["oneOf"][2]["required"], json!(["type", "a"]));
    check_with_python(
        &schema,
        &[
            to_json(&Int::Unit),
            to_json(&Int::Addr(Address {
                street: "s".into(),
                zip: Some("z".into()),
            })),
            to_json(&Int::Pair { a: 3 }),
        ],
        &[
            json!({ "type": "Other" }),
            json!({ "a": 1 }),
            json!({ "type": "Pair" }),
            json!({ "type": "Addr", "zip": null }),
            json!("Unit"),
        ],
    );
}

#[test]
fn closed_by_default_open_on_request() {
    static CLOSED: Model = Model {
        open_content: false,
        json_id: None,
        min_properties: None,
        max_properties: None,
        tuple: false,
        json_absent_items: 0,
        ..model("Closed", Shape::Record(&[field("x", Type::Bool)]))
    };
    let closed = render_ok(&CLOSED);
    assert_eq!(closed.value()["additionalProperties"], json!(false));
    check_with_python(
        &closed,
        &[json!({ "x": true })],
        &[json!({ "x": true, "y": 1 })],
    );
    static OPEN: Model = model("Open", Shape::Record(&[field("x", Type::Bool)]));
    let open = render_ok(&OPEN);
    assert!(open.value().get("additionalProperties").is_none());
    check_with_python(&open, &[json!({ "x": true, "y": 1 })], &[json!({ "y": 1 })]);
    // serde's `deny_unknown_fields` always closes the object.
    static STRICT_OPEN: Model = Model {
        deny_unknown_fields: true,
        ..model("StrictOpen", Shape::Record(&[field("x", Type::Bool)]))
    };
    assert_eq!(
        render_ok(&STRICT_OPEN).value()["additionalProperties"],
        json!(false)
    );
}

#[test]
fn internal_tagging_inlines_records_that_deny_unknown_fields() {
    static STRICT: Model = Model {
        deny_unknown_fields: true,
        ..model("Strict", Shape::Record(&[field("x", Type::Bool)]))
    };
    fn strict() -> &'static Model {
        &STRICT
    }
    static U: Union = Union {
        tagging: Tagging::Internal { tag: "kind" },
        variants: &[variant("S", Payload::Newtype(Type::Named(strict)))],
    };
    static M: Model = model("M", Shape::Union(&U));
    let schema = render_ok(&M);
    assert_eq!(
        schema.value()["oneOf"][0],
        json!({
            "type": "object",
            "properties": { "kind": { "const": "S" }, "x": { "type": "boolean" } },
            "required": ["kind", "x"],
            "additionalProperties": false,
        })
    );
    check_with_python(
        &schema,
        &[json!({ "kind": "S", "x": true })],
        &[json!({ "kind": "S", "x": true, "y": 1 })],
    );
}

#[test]
fn internal_tagging_of_a_non_record_newtype_is_unrepresentable() {
    static U: Union = Union {
        tagging: Tagging::Internal { tag: "type" },
        variants: &[variant("Num", Payload::Newtype(I32))],
    };
    static M: Model = model("M", Shape::Union(&U));
    let err = render(&M).expect_err("serde cannot tag an i32 internally");
    assert!(
        matches!(&err, SchemaError::Unrepresentable { format: "JSON Schema", record: "M", field: "Num", ty, .. } if ty == "i32"),
        "{err:?}"
    );

    static E: Union = Union {
        tagging: Tagging::Internal { tag: "type" },
        variants: &[variant("S", Payload::Newtype(Type::Named(status)))],
    };
    static N: Model = model("N", Shape::Union(&E));
    assert!(matches!(
        render(&N),
        Err(SchemaError::Unrepresentable { field: "S", .. })
    ));

    static CLASHING: Model = model("Clashing", Shape::Record(&[field("type", Type::Bool)]));
    static C: Union = Union {
        tagging: Tagging::Internal { tag: "type" },
        variants: &[variant("C", Payload::Struct(&CLASHING))],
    };
    static O: Model = model("O", Shape::Union(&C));
    assert!(matches!(
        render(&O),
        Err(SchemaError::Unrepresentable { field: "type", .. })
    ));
}

#[test]
fn adjacent_tagging() {
    let schema = render_ok(&ADJ);
    let v = schema.value();
    assert_eq!(
        v["oneOf"][0],
        json!({ "type": "object", "properties": { "t": { "const": "Unit" } }, "required": ["t"] })
    );
    assert_eq!(v["oneOf"][1]["required"], json!(["t", "c"]));
    assert_eq!(v["oneOf"][2]["properties"]["c"]["required"], json!(["a"]));
    check_with_python(
        &schema,
        &[
            to_json(&Adj::Unit),
            to_json(&Adj::Num(1)),
            to_json(&Adj::Pair { a: 2 }),
        ],
        &[
            json!({ "t": "Num" }),
            json!({ "t": "Num", "c": "x" }),
            json!({ "t": "Pair", "c": {} }),
            json!({ "t": "Other", "c": 1 }),
        ],
    );
}

#[test]
fn empty_union_accepts_nothing() {
    static U: Union = Union {
        tagging: Tagging::External,
        variants: &[],
    };
    static M: Model = model("Never", Shape::Union(&U));
    let schema = render_ok(&M);
    assert_eq!(schema.value()["not"], json!({}));
    check_with_python(&schema, &[], &[json!("x"), json!({})]);
}

#[test]
fn untagged_is_any_of_the_payloads() {
    // serde writes the payload alone and reads the first variant that fits: a value that fits
    // two branches (`1` is an integer and a number) is valid, so `anyOf`, not `oneOf`.
    #[derive(Serialize)]
    #[serde(untagged)]
    enum Loose {
        Count(i32),
        Ratio(f64),
        Addr(Address),
        Pair { a: i32, b: Option<String> },
        Nothing,
    }
    static U: Union = Union {
        tagging: Tagging::Untagged,
        variants: &[
            variant("Count", Payload::Newtype(I32)),
            variant("Ratio", Payload::Newtype(Type::Double)),
            variant("Addr", Payload::Newtype(Type::Named(address))),
            variant("Pair", Payload::Struct(&PAIR)),
            Variant {
                doc: Some("Nothing at all."),
                ..variant("Nothing", Payload::Struct(&UNIT))
            },
        ],
    };
    static M: Model = model("Loose", Shape::Union(&U));
    let schema = render_ok(&M);
    let v = schema.value();
    assert!(v.get("oneOf").is_none(), "{v}");
    let branches = v["anyOf"].as_array().expect("anyOf");
    assert_eq!(branches.len(), 5);
    assert_eq!(branches[1], json!({"type": "number"}));
    assert_eq!(
        branches[2],
        json!({ "$ref": "#/definitions/com.acme.Address" })
    );
    assert_eq!(branches[3]["required"], json!(["a"]));
    assert_eq!(
        branches[4],
        json!({"description": "Nothing at all.", "type": "null"})
    );
    check_with_python(
        &schema,
        &[
            to_json(&Loose::Count(1)),
            to_json(&Loose::Ratio(1.5)),
            to_json(&Loose::Addr(Address {
                street: "s".into(),
                zip: None,
            })),
            to_json(&Loose::Pair { a: 1, b: None }),
            to_json(&Loose::Nothing),
        ],
        &[json!("text"), json!(true), json!({ "b": "x" }), json!([])],
    );
}
