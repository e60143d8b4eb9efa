use super::*;

// -----------------------------------------------------------------------------------------
// Named types, references and recursion.

#[test]
fn recursion_through_the_root() {
    let schema = render_ok(&NODE);
    let v = schema.value();
    assert_eq!(v["properties"]["children"]["items"], json!({ "$ref": "#" }));
    assert_eq!(v["properties"]["next"]["oneOf"][1], json!({ "$ref": "#" }));
    assert!(v.get("definitions").is_none());
    let leaf = |value| Node {
        value,
        children: vec![],
        next: None,
    };
    let tree = Node {
        value: 1,
        children: vec![leaf(2), leaf(3)],
        next: Some(Box::new(leaf(4))),
    };
    let t = to_json(&tree);
    check_with_python(
        &schema,
        &[t.clone(), to_json(&leaf(0))],
        &[
            with(
                &t,
                "children",
                Some(json!([{ "value": "x", "children": [], "next": null }])),
            ),
            with(&t, "next", Some(json!({ "value": 1 }))),
        ],
    );
}

#[test]
fn recursion_through_a_definition() {
    let schema = render_ok(&FOREST);
    let v = schema.value();
    let reference = json!({ "$ref": "#/definitions/com.acme.tree.TreeNode" });
    assert_eq!(v["properties"]["trees"]["items"], reference);
    assert_eq!(
        v["definitions"]["com.acme.tree.TreeNode"]["properties"]["kids"]["items"],
        reference
    );
    let leaf = |label: &str| TreeNode {
        label: label.into(),
        kids: vec![],
    };
    let forest = Forest {
        trees: vec![TreeNode {
            label: "root".into(),
            kids: vec![leaf("a"), leaf("b")],
        }],
    };
    check_with_python(
        &schema,
        &[to_json(&forest), json!({ "trees": [] })],
        &[json!({ "trees": [{ "label": "a", "kids": [{ "label": 1, "kids": [] }] }] })],
    );
}

#[test]
fn definitions_in_first_use_order_and_once() {
    static TWICE: Model = model(
        "Twice",
        Shape::Record(&[
            field("s", Type::Named(status)),
            field("a", Type::Named(address)),
            field("more", Type::List(&Type::Named(address))),
        ]),
    );
    let schema = render_ok(&TWICE);
    let text = schema.text();
    let s = text.find("\"com.acme.Status\": {").expect("Status defined");
    let a = text
        .find("\"com.acme.Address\": {")
        .expect("Address defined");
    assert!(s < a, "depth-first order of first use");
    assert_eq!(
        schema.value()["definitions"].as_object().map(|d| d.len()),
        Some(2)
    );
}

#[test]
fn name_collision_is_an_error() {
    static OTHER_ADDRESS: Model = Model {
        rust_name: "OtherAddress",
        ..model("Address", Shape::Record(&[]))
    };
    static NS_ADDRESS: Model = Model {
        namespace: Some("com.acme"),
        ..OTHER_ADDRESS
    };
    fn ns_address() -> &'static Model {
        &NS_ADDRESS
    }
    static CLASH: Model = model(
        "Clash",
        Shape::Record(&[
            field("a", Type::Named(address)),
            field("b", Type::Named(ns_address)),
        ]),
    );
    assert!(matches!(
        render(&CLASH),
        Err(SchemaError::NameCollision {
            first: "Address",
            second: "OtherAddress",
            ..
        })
    ));
}

#[test]
fn pointer_tokens_are_escaped() {
    assert_eq!(pointer_token("com.acme.Order_1-x"), "com.acme.Order_1-x");
    assert_eq!(pointer_token("a/b~c d"), "a~1b~0c%20d");
    assert_eq!(pointer_token("é"), "%C3%A9");
}

#[test]
fn enum_root_with_doc() {
    static DOC_STATUS: Model = Model {
        doc: Some("Where it is."),
        ..STATUS
    };
    let v = render_ok(&DOC_STATUS).value().clone();
    assert_eq!(
        v,
        json!({
            "$schema": DRAFT_07,
            "title": "Status",
            "description": "Where it is.",
            "type": "string",
            "enum": ["NEW", "DONE"],
        })
    );
}
