use super::*;

#[test]
fn nested_and_recursive_messages() {
    let schema = render_ok(&TREE);
    assert_lines(
        &schema,
        &[
            "string label = 1;",
            "repeated Tree children = 2;",
            "Tree parent = 3;",
            "map<string, Tree> by_name = 4;",
        ],
    );
    assert_eq!(schema.files().len(), 1);
    assert!(schema.imports_well_known().is_empty());
}

// `#[record(parent = ..)]`: `Box.Lid` (a message), `Box.Shade` (an enum) and a top-level
// `Lid` that `Box.Lid` would shadow inside `Box`.
pub(super) static BOX: Model = model(
    "Box",
    Some("acme.nest"),
    Shape::Record(&[
        field("lid", Type::Named(|| &BOX_LID), 1),
        field("shade", Type::Named(|| &BOX_SHADE), 2),
        field("plain", Type::Named(|| &TOP_LID), 3),
    ]),
);
pub(super) static BOX_LID: Model = Model {
    rust_name: "BoxLid",
    parent: Some(|| &BOX),
    ..model(
        "Lid",
        Some("acme.nest"),
        Shape::Record(&[field("x", Type::Bool, 1)]),
    )
};
pub(super) static BOX_SHADE: Model = Model {
    rust_name: "BoxShade",
    parent: Some(|| &BOX),
    // `Shade` enum values live in `Box`'s scope, not the package's.
    ..model(
        "Shade",
        Some("acme.nest"),
        Shape::Enum(&[symbol("Dark", 1)]),
    )
};
pub(super) static TOP_LID: Model = model(
    "TopLid",
    Some("acme.nest"),
    Shape::Record(&[field("y", Type::Bool, 1)]),
);
pub(super) static OTHER_SHADE: Model = model(
    "Shade",
    Some("acme.other"),
    Shape::Enum(&[symbol("Dark", 1)]),
);
pub(super) static BAD_NS: Model = Model {
    parent: Some(|| &BOX),
    ..model("Elsewhere", Some("acme.other"), Shape::Record(&[]))
};
pub(super) static IN_ENUM: Model = Model {
    parent: Some(|| &OTHER_SHADE),
    ..model("InEnum", Some("acme.other"), Shape::Record(&[]))
};
pub(super) static LOOP_A: Model = Model {
    parent: Some(|| &LOOP_B),
    ..model("LoopA", Some("acme.loop"), Shape::Record(&[]))
};
pub(super) static LOOP_B: Model = Model {
    parent: Some(|| &LOOP_A),
    ..model("LoopB", Some("acme.loop"), Shape::Record(&[]))
};

#[test]
fn nested_declarations() {
    let schema = render_ok(&BOX);
    assert_eq!(schema.message_name(), "acme.nest.Box");
    assert_eq!(schema.message_indexes(), [0]);
    let text = &schema.main().text;
    assert!(
            text.contains("message Box {\n  message Lid {\n    bool x = 1;\n  }\n\n  enum Shade {\n    SHADE_UNSPECIFIED = 0;\n    SHADE_DARK = 1;\n  }\n\n  Lid lid = 1;\n  Shade shade = 2;\n  TopLid plain = 3;\n}\n"),
            "{text}"
        );
    // Rendered from the nested type: its parent comes along, the indexes point into it.
    let lid = render_ok(&BOX_LID);
    assert_eq!(lid.message_name(), "acme.nest.Box.Lid");
    assert_eq!(lid.message_indexes(), [0, 0]);
    assert_eq!(lid.main().text, schema.main().text);
    let shade = render(&BOX_SHADE).expect("renders");
    assert_eq!(shade.message_name(), "acme.nest.Box.Shade");

    let (_, reason) = unrepresentable(&BAD_NS);
    assert!(reason.contains("same namespace"), "{reason}");
    let (_, reason) = unrepresentable(&IN_ENUM);
    assert!(reason.contains("is an enum"), "{reason}");
    let (_, reason) = unrepresentable(&LOOP_A);
    assert!(reason.contains("comes back to it"), "{reason}");
}

#[test]
fn enum_values() {
    let schema = render_ok(&STATUS);
    let expected = "syntax = \"proto3\";

package com.acme.orders;

// Where an order is.
enum OrderStatus {
  ORDER_STATUS_UNSPECIFIED = 0;
  // Not yet paid.
  ORDER_STATUS_PENDING = 1;
  ORDER_STATUS_IN_PROGRESS = 2;
  ORDER_STATUS_HTTP_SHIPPED = 3;
}
";
    assert_eq!(schema.main().text, expected);
}

#[test]
fn enum_value_clashes() {
    // `Order` + `StatusPending` and `OrderStatus` + `Pending` both make ORDER_STATUS_PENDING.
    static A: Model = model(
        "Order",
        Some("p"),
        Shape::Enum(&[symbol("StatusPending", 1)]),
    );
    static B: Model = model(
        "OrderStatus",
        Some("p"),
        Shape::Enum(&[symbol("Pending", 1)]),
    );
    static ROOT: Model = model(
        "Root",
        Some("p"),
        Shape::Record(&[
            field("a", Type::Named(|| &A), 1),
            field("b", Type::Named(|| &B), 2),
        ]),
    );
    let (member, reason) = unrepresentable(&ROOT);
    assert_eq!(member, "Pending");
    assert!(
        reason.contains("ORDER_STATUS_PENDING") && reason.contains("package"),
        "{reason}"
    );

    // In different packages they do not clash.
    static C: Model = model(
        "OrderStatus",
        Some("q"),
        Shape::Enum(&[symbol("Pending", 1)]),
    );
    static OK: Model = model(
        "Root",
        Some("p"),
        Shape::Record(&[
            field("a", Type::Named(|| &A), 1),
            field("c", Type::Named(|| &C), 2),
        ]),
    );
    render_ok(&OK);

    // Within one enum: a symbol named like the zero value, numbers 0 and duplicates.
    static D: Model = model("E", None, Shape::Enum(&[symbol("Unspecified", 1)]));
    assert!(unrepresentable(&D).1.contains("clashes"));
    // A symbol numbered 0 is the zero value (first, whatever its place), nothing is
    // synthesized, and negative numbers are kept.
    static E: Model = model(
        "E",
        None,
        Shape::Enum(&[symbol("A", 1), symbol("Unspecified", 0), symbol("Back", -1)]),
    );
    let text = render_ok(&E).main().text.clone();
    assert!(
        text.contains("enum E {\n  E_UNSPECIFIED = 0;\n  E_A = 1;\n  E_BACK = -1;\n}"),
        "{text}"
    );
    static F: Model = model("E", None, Shape::Enum(&[symbol("A", 1), symbol("B", 1)]));
    assert!(unrepresentable(&F).1.contains("already used"));
    static G: Model = model(
        "E",
        None,
        Shape::Enum(&[symbol("Foo1", 1), symbol("foo_1", 2)]),
    );
    assert!(unrepresentable(&G).1.contains("clashes"));
}

#[test]
fn oneof_union() {
    let schema = render_ok(&PAYMENT);
    let text = &schema.main().text;
    assert!(
        text.contains(
            "message Payment {
  oneof payment {
    // Paid by card.
    Card card = 1;
    string voucher = 2;
    Cash cash = 3;
    int64 gift_code = 4;
    OrderStatus status = 5;
  }
}
"
        ),
        "{text}"
    );
    assert!(text.contains("message Card {\n  string number = 1;\n  int32 expires_on = 2; // days since 1970-01-01\n}\n"));
    assert!(text.contains("message Cash {}\n"));

    // A list or map member is a wrapper message declared in the union's message.
    static MANY: Model = model(
        "Many",
        None,
        Shape::Union(&Union {
            tagging: Tagging::External,
            variants: &[
                variant("Names", 1, Payload::Newtype(Type::List(&Type::String))),
                variant(
                    "Counts",
                    2,
                    Payload::Newtype(Type::Map(&Type::Int(IntKind::I64))),
                ),
            ],
        }),
    );
    let text = render_ok(&MANY).main().text.clone();
    assert!(
        text.contains(
            "message Many {
  message StringList {
    repeated string value = 1;
  }
  message Int64Map {
    map<string, int64> value = 1;
  }

  oneof many {
    StringList names = 1;
    Int64Map counts = 2;
  }
}
"
        ),
        "{text}"
    );
    static BAD: Model = model(
        "Bad",
        None,
        Shape::Union(&Union {
            tagging: Tagging::External,
            variants: &[variant(
                "Maybe",
                1,
                Payload::Newtype(Type::Option(&Type::String)),
            )],
        }),
    );
    let (member, reason) = unrepresentable(&BAD);
    assert_eq!(member, "Maybe");
    assert!(reason.contains("wrap it in a record"), "{reason}");

    // A member named like the oneof: the oneof gets another name.
    static SELF_NAMED: Model = model(
        "Pick",
        None,
        Shape::Union(&Union {
            tagging: Tagging::External,
            variants: &[variant("Pick", 1, Payload::Newtype(Type::Bool))],
        }),
    );
    let schema = render_ok(&SELF_NAMED);
    assert!(schema.main().text.contains("oneof pick_oneof {"));
}

const fn named_symbol(name: &'static str, tag: i32, proto_name: ProtoValueName) -> Symbol {
    Symbol {
        proto_name,
        ..symbol(name, tag)
    }
}

#[test]
fn enum_values_without_prefix() {
    use ProtoValueName::{Exact, Prefixed, Unprefixed};
    // `no_prefix`: the symbols bare; the synthesized zero value keeps its prefix (two such
    // enums of one package would otherwise both declare `UNSPECIFIED`); `proto_name`: as given.
    static STATUS: Model = model(
        "Status",
        Some("p"),
        Shape::Enum(&[
            named_symbol("Active", 1, Unprefixed),
            named_symbol("InProgress", 2, Unprefixed),
            named_symbol("Gone", 3, Exact("gone_for_good")),
            named_symbol("Old", 4, Prefixed),
        ]),
    );
    let text = render_ok(&STATUS).main().text.clone();
    assert!(
        text.contains(
            "enum Status {\n  STATUS_UNSPECIFIED = 0;\n  ACTIVE = 1;\n  IN_PROGRESS = 2;\n  gone_for_good = 3;\n  STATUS_OLD = 4;\n}"
        ),
        "{text}"
    );
    // Two unprefixed enums of one package share the value scope: a clash is named.
    static LIGHT: Model = model(
        "Light",
        Some("p"),
        Shape::Enum(&[named_symbol("Active", 0, Unprefixed)]),
    );
    static ROOT: Model = model(
        "Root",
        Some("p"),
        Shape::Record(&[
            field("s", Type::Named(|| &STATUS), 1),
            field("l", Type::Named(|| &LIGHT), 2),
        ]),
    );
    let (member, reason) = unrepresentable(&ROOT);
    assert_eq!(member, "Active");
    assert!(
        reason.contains("`ACTIVE`") && reason.contains("package"),
        "{reason}"
    );
    // protoc compares values without the enum-name prefix: `STATUS_ACTIVE` and `ACTIVE` clash
    // in enum `Status` (and `ACTIVE` is the zero value name `STATUS_UNSPECIFIED` is not).
    static CLASH: Model = model(
        "Status",
        None,
        Shape::Enum(&[
            named_symbol("StatusActive", 1, Unprefixed),
            named_symbol("Active", 2, Unprefixed),
        ]),
    );
    let (member, reason) = unrepresentable(&CLASH);
    assert_eq!(member, "Active");
    assert!(reason.contains("clashes"), "{reason}");
    static ZERO: Model = model(
        "Status",
        None,
        Shape::Enum(&[named_symbol("Unspecified", 1, Unprefixed)]),
    );
    assert!(unrepresentable(&ZERO).1.contains("clashes"));
    static BAD: Model = model(
        "Status",
        None,
        Shape::Enum(&[named_symbol("A", 1, Exact("not-a-name"))]),
    );
    assert!(unrepresentable(&BAD)
        .1
        .contains("not a protobuf enum value name"));
}

#[test]
fn strip_enum_prefix_as_protoc() {
    assert_eq!(
        strip_enum_prefix("OrderStatus", "ORDER_STATUS_PENDING"),
        "PENDING"
    );
    assert_eq!(
        strip_enum_prefix("OrderStatus", "ORDERSTATUS__PENDING"),
        "PENDING"
    );
    assert_eq!(
        strip_enum_prefix("OrderStatus", "ORDER_STATUS"),
        "ORDER_STATUS"
    );
    assert_eq!(strip_enum_prefix("OrderStatus", "PENDING"), "PENDING");
    assert_eq!(strip_enum_prefix("Status", "STAT"), "STAT");
    assert_eq!(strip_enum_prefix("Status", "STATUSES"), "ES");
}

#[test]
fn optional_message_field_and_encoded_oneof_member() {
    static INNER: Model = model("Inner", Some("p"), Shape::Record(&[field("x", I32, 1)]));
    static CHOICE: Union = Union {
        tagging: Tagging::External,
        variants: &[
            Variant {
                int_encoding: IntEncoding::Zigzag,
                title: None,
                validators: &[],
                ..variant("Delta", 1, Payload::Newtype(I64))
            },
            Variant {
                int_encoding: IntEncoding::Fixed,
                title: None,
                validators: &[],
                ..variant("Id", 2, Payload::Newtype(Type::Int(IntKind::U32)))
            },
            variant("Plain", 3, Payload::Newtype(I64)),
        ],
    };
    static CHOICE_MODEL: Model = model("Choice", Some("p"), Shape::Union(&CHOICE));
    static OUTER: Model = model(
        "Outer",
        Some("p"),
        Shape::Record(&[
            Field {
                options: FieldOptions {
                    proto_optional: true,
                    ..OPTS
                },
                ..field("inner", Type::Option(&Type::Named(|| &INNER)), 1)
            },
            field("plain", Type::Option(&Type::Named(|| &INNER)), 2),
            Field {
                options: FieldOptions {
                    proto_optional: true,
                    ..OPTS
                },
                ..field("when", Type::Option(&Type::Timestamp), 3)
            },
            field("choice", Type::Named(|| &CHOICE_MODEL), 4),
        ]),
    );
    let text = render_ok(&OUTER).main().text.clone();
    assert!(text.contains("  optional Inner inner = 1;\n  Inner plain = 2;\n  optional google.protobuf.Timestamp when = 3;\n"), "{text}");
    assert!(
        text.contains("    sint64 delta = 1;\n    fixed32 id = 2;\n    int64 plain = 3;\n"),
        "{text}"
    );
}
