//! Unit tests of the JSON Schema renderer: shared fixtures and the Python validator here,
//! tests per concern in the submodules.

mod defaults;
mod references;
mod render;
mod unions;

use std::collections::HashMap;
use std::io::Write as _;
use std::process::{Command, Stdio};

use serde::Serialize;
use serde_json::json;

use super::refs::pointer_token;
use super::*;
use crate::model::{IntEncoding, ProtoValueName};

use crate::base64 as b64;

// -----------------------------------------------------------------------------------------
// Hand-written models (what the derive writes), next to the serde types they describe.

const OPTS: FieldOptions = crate::derive_support::DEFAULT_FIELD_OPTIONS;
const B64: FieldOptions = FieldOptions {
    json_bytes_base64: true,
    ..OPTS
};

const fn field(name: &'static str, ty: Type) -> Field {
    Field::plain(name, name, ty, 0)
}

const fn model(name: &'static str, shape: Shape) -> Model {
    Model {
        rust_name: name,
        name,
        namespace: None,
        doc: None,
        aliases: &[],
        serializer: "json",
        deny_unknown_fields: false,
        // The shapes below are checked on open objects; `closed_by_default` checks the
        // default.
        open_content: true,
        json_id: None,
        min_properties: None,
        max_properties: None,
        tuple: false,
        json_absent_items: 0,
        shape,
        parent: None,
    }
}

const fn symbol(name: &'static str) -> Symbol {
    Symbol {
        ident: name,
        name,
        doc: None,
        tag: 0,
        is_default: false,
        proto_name: ProtoValueName::Prefixed,
    }
}

const fn variant(name: &'static str, payload: Payload) -> Variant {
    Variant {
        ident: name,
        name,
        doc: None,
        tag: 0,
        int_encoding: IntEncoding::Varint,
        title: None,
        validators: &[],
        payload,
    }
}

const I32: Type = Type::Int(IntKind::I32);

#[derive(Serialize)]
struct Address {
    street: String,
    zip: Option<String>,
}
static ADDRESS: Model = Model {
    namespace: Some("com.acme"),
    doc: Some("A postal address."),
    ..model(
        "Address",
        Shape::Record(&[
            field("street", Type::String),
            field("zip", Type::Option(&Type::String)),
        ]),
    )
};
fn address() -> &'static Model {
    &ADDRESS
}

#[derive(Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum Status {
    New,
    Done,
}
static STATUS: Model = Model {
    namespace: Some("com.acme"),
    ..model("Status", Shape::Enum(&[symbol("NEW"), symbol("DONE")]))
};
fn status() -> &'static Model {
    &STATUS
}

/// The representative record of the golden test.
#[derive(Serialize)]
struct Order {
    id: String,
    qty: i32,
    note: Option<String>,
    address: Address,
    status: Status,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    lines: Vec<String>,
}
static ORDER: Model = Model {
    namespace: Some("com.acme"),
    doc: Some("A customer order."),
    deny_unknown_fields: true,
    ..model(
        "Order",
        Shape::Record(&[
            Field {
                doc: Some("Order id."),
                tags: &["PII"],
                ..field("id", Type::String)
            },
            Field {
                default: Some(|| Literal::Int(1)),
                ..field("qty", I32)
            },
            field("note", Type::Option(&Type::String)),
            Field {
                doc: Some("Where to ship."),
                ..field("address", Type::Named(address))
            },
            Field {
                default: Some(|| Literal::Enum(0)),
                ..field("status", Type::Named(status))
            },
            Field {
                json_optional: true,
                option_union: crate::model::OptionUnion::Auto,
                ..field("lines", Type::List(&Type::String))
            },
        ]),
    )
};

// Enums with data, one per serde tagging.
static UNIT: Model = model("Unit", Shape::Record(&[]));
static PAIR: Model = model(
    "Pair",
    Shape::Record(&[field("a", I32), field("b", Type::Option(&Type::String))]),
);
static PAIR_A: Model = model("Pair", Shape::Record(&[field("a", I32)]));

#[derive(Serialize)]
enum Ext {
    Unit,
    Num(i32),
    Addr(Address),
    Pair { a: i32, b: Option<String> },
}
static EXT_UNION: Union = Union {
    tagging: Tagging::External,
    variants: &[
        Variant {
            doc: Some("Nothing."),
            ..variant("Unit", Payload::Struct(&UNIT))
        },
        variant("Num", Payload::Newtype(I32)),
        variant("Addr", Payload::Newtype(Type::Named(address))),
        variant("Pair", Payload::Struct(&PAIR)),
    ],
};
static EXT: Model = model("Ext", Shape::Union(&EXT_UNION));

#[derive(Serialize)]
#[serde(tag = "type")]
enum Int {
    Unit,
    Addr(Address),
    Pair { a: i32 },
}
static INT_UNION: Union = Union {
    tagging: Tagging::Internal { tag: "type" },
    variants: &[
        variant("Unit", Payload::Struct(&UNIT)),
        variant("Addr", Payload::Newtype(Type::Named(address))),
        variant("Pair", Payload::Struct(&PAIR_A)),
    ],
};
static INT: Model = model("Int", Shape::Union(&INT_UNION));

#[derive(Serialize)]
#[serde(tag = "t", content = "c")]
enum Adj {
    Unit,
    Num(i32),
    Pair { a: i32 },
}
static ADJ_UNION: Union = Union {
    tagging: Tagging::Adjacent {
        tag: "t",
        content: "c",
    },
    variants: &[
        variant("Unit", Payload::Struct(&UNIT)),
        variant("Num", Payload::Newtype(I32)),
        variant("Pair", Payload::Struct(&PAIR_A)),
    ],
};
static ADJ: Model = model("Adj", Shape::Union(&ADJ_UNION));

// Recursion through the root, and through a definition.
#[derive(Serialize)]
struct Node {
    value: i32,
    children: Vec<Node>,
    next: Option<Box<Node>>,
}
static NODE: Model = model(
    "Node",
    Shape::Record(&[
        field("value", I32),
        field("children", Type::List(&Type::Named(node))),
        field("next", Type::Option(&Type::Named(node))),
    ]),
);
fn node() -> &'static Model {
    &NODE
}

#[derive(Serialize)]
struct Forest {
    trees: Vec<TreeNode>,
}
#[derive(Serialize)]
struct TreeNode {
    label: String,
    kids: Vec<TreeNode>,
}
static TREE_NODE: Model = Model {
    namespace: Some("com.acme.tree"),
    ..model(
        "TreeNode",
        Shape::Record(&[
            field("label", Type::String),
            field("kids", Type::List(&Type::Named(tree_node))),
        ]),
    )
};
fn tree_node() -> &'static Model {
    &TREE_NODE
}
static FOREST: Model = model(
    "Forest",
    Shape::Record(&[field("trees", Type::List(&Type::Named(tree_node)))]),
);

fn render_ok(m: &'static Model) -> Json {
    let schema = render(m).unwrap_or_else(|e| panic!("rendering {}: {e}", m.rust_name));
    let reparsed: Value = serde_json::from_str(schema.text()).expect("the text is JSON");
    assert_eq!(&reparsed, schema.value(), "text and value agree");
    schema
}

fn to_json(v: &impl Serialize) -> Value {
    serde_json::to_value(v).expect("serde_json writes the test values")
}

/// A copy of an object with one key replaced (or removed, for `None`).
fn with(v: &Value, key: &str, new: Option<Value>) -> Value {
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        match new {
            Some(new) => {
                o.insert(key.to_string(), new);
            }
            None => {
                o.remove(key);
            }
        }
    }
    v
}

// -----------------------------------------------------------------------------------------
// Validation with Python `jsonschema` (Draft7Validator), when the interop venv is there.

const VALIDATE_PY: &str = r#"
import json, sys
import jsonschema
case = json.load(sys.stdin)
schema = case["schema"]
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
bad = []
for i, inst in enumerate(case["valid"]):
    errors = [e.message for e in validator.iter_errors(inst)]
    if errors:
        bad.append("valid[%d] rejected: %s: %s" % (i, errors, json.dumps(inst)))
for i, inst in enumerate(case["invalid"]):
    if validator.is_valid(inst):
        bad.append("invalid[%d] accepted: %s" % (i, json.dumps(inst)))
if bad:
    print("\n".join(bad))
    sys.exit(1)
"#;

/// Checks the schema against the draft-07 meta-schema and the instances against the schema.
fn check_with_python(schema: &Json, valid: &[Value], invalid: &[Value]) {
    let Some(python) = crate::test_tools::interop_python() else {
        return;
    };
    let case = json!({ "schema": schema.value(), "valid": valid, "invalid": invalid });
    let mut child = Command::new(&python)
        .args(["-c", VALIDATE_PY])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("running {}: {e}", python.display()));
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(case.to_string().as_bytes())
        .expect("writing to python");
    let out = child.wait_with_output().expect("waiting for python");
    assert!(
        out.status.success(),
        "jsonschema rejected {}:\n{}{}\nschema:\n{}",
        schema.value()["title"],
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        schema.text()
    );
}
