use super::*;

// ---- tests ----------------------------------------------------------------------------

#[test]
fn scalars_with_every_encoding() {
    let schema = render_ok(&SCALARS);
    assert_eq!(schema.main().name, "com/acme/scalars.proto");
    assert_eq!(schema.message_name(), "com.acme.scalars.Scalars");
    assert_eq!(schema.files().len(), 1);
    assert_lines(
        &schema,
        &[
            "bool flag = 1;",
            "int32 tiny = 2;",
            "sint32 small = 3;",
            "sfixed32 medium = 4;",
            "int64 big = 5;",
            "sint64 big_zigzag = 6;",
            "sfixed64 big_fixed = 7;",
            "uint32 ubyte = 8;",
            "fixed32 ushort = 9;",
            "uint32 uint = 10;",
            "uint64 ulong = 11;",
            "fixed64 ulong_fixed = 12;",
            "float ratio = 13;",
            "double precise = 14;",
            "string name = 15;",
            "bytes blob = 16;",
            "bytes digest = 17; // exactly 32 bytes",
            "string id = 18; // UUID",
            "int32 born_on = 19; // days since 1970-01-01",
            "string amount = 20; // decimal(10, 2) as a string",
            "google.protobuf.Timestamp at = 21;",
        ],
    );
    assert_eq!(schema.imports_well_known(), vec![TIMESTAMP_FILE]);
    assert!(schema
        .main()
        .text
        .contains("import \"google/protobuf/timestamp.proto\";\n"));
}

#[test]
fn zigzag_on_unsigned_is_unrepresentable() {
    static M: Model = model(
        "Bad",
        None,
        Shape::Record(&[encoded(
            "n",
            Type::List(&Type::Int(IntKind::U32)),
            1,
            IntEncoding::Zigzag,
        )]),
    );
    let (member, reason) = unrepresentable(&M);
    assert_eq!(member, "n");
    assert!(reason.contains("unsigned"), "{reason}");
    static M64: Model = model(
        "Bad",
        None,
        Shape::Record(&[encoded(
            "n",
            Type::Int(IntKind::U64),
            1,
            IntEncoding::Zigzag,
        )]),
    );
    unrepresentable(&M64);
}

#[test]
fn optional_repeated_and_map() {
    let schema = render_ok(&WRAPPERS);
    // No namespace: the file is named after the root; the other packages' types are imported.
    assert_eq!(schema.main().name, "wrappers.proto");
    assert!(!schema.main().text.contains("package "));
    assert_eq!(schema.message_name(), "Wrappers");
    assert_lines(
        &schema,
        &[
            "optional string maybe_text = 1;",
            "optional sint32 maybe_int = 2;",
            "com.acme.orders.Line maybe_line = 3;",
            "google.protobuf.Timestamp maybe_at = 4;",
            "repeated string texts = 5;",
            "repeated sfixed64 longs = 6;",
            "repeated com.acme.orders.Line items = 7;",
            "repeated google.protobuf.Timestamp stamps = 8;",
            "map<string, int64> counts = 9;",
            "map<string, com.acme.orders.Line> by_sku = 10;",
            "map<string, google.protobuf.Timestamp> marks = 11;",
            "map<string, com.acme.orders.OrderStatus> statuses = 12;",
            "optional int32 maybe_days = 13; // days since 1970-01-01",
        ],
    );
    assert!(!schema.main().text.contains("packed"));
    let names: Vec<&str> = schema.files().iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["wrappers.proto", "com/acme/orders.proto"]);
    assert!(schema
        .main()
        .text
        .contains("import \"com/acme/orders.proto\";"));
}

#[test]
fn optional_enum_is_optional_and_optional_message_is_plain() {
    let schema = render_ok(&ORDER);
    assert_lines(
        &schema,
        &[
            "optional OrderStatus previous_status = 11;",
            "Payment payment = 10;",
        ],
    );
}

#[test]
fn nested_collections_become_wrapper_messages() {
    static STRING_LIST: Type = Type::List(&Type::String);
    let cases: [(&'static Model, &[&str]); 8] = {
        static A: Model = model(
            "A",
            None,
            Shape::Record(&[field("f", Type::Option(&STRING_LIST), 1)]),
        );
        static B: Model = model(
            "B",
            None,
            Shape::Record(&[field("f", Type::Option(&Type::Map(&Type::Bool)), 1)]),
        );
        static D: Model = model(
            "D",
            None,
            Shape::Record(&[field("f", Type::List(&STRING_LIST), 1)]),
        );
        static E: Model = model(
            "E",
            None,
            Shape::Record(&[field("f", Type::List(&Type::Option(&Type::Bool)), 1)]),
        );
        static F: Model = model(
            "F",
            None,
            Shape::Record(&[field("f", Type::List(&Type::Map(&Type::Bool)), 1)]),
        );
        static G: Model = model(
            "G",
            None,
            Shape::Record(&[field("f", Type::Map(&STRING_LIST), 1)]),
        );
        static H: Model = model(
            "H",
            None,
            Shape::Record(&[field(
                "f",
                Type::Map(&Type::Option(&Type::Named(|| &LINE))),
                1,
            )]),
        );
        static I: Model = model(
            "I",
            None,
            Shape::Record(&[encoded(
                "f",
                Type::Map(&Type::Map(&Type::List(&Type::Int(IntKind::I64)))),
                1,
                IntEncoding::Zigzag,
            )]),
        );
        [
            (
                &A,
                &[
                    "message StringList {",
                    "repeated string value = 1;",
                    "StringList f = 1;",
                ],
            ),
            (
                &B,
                &[
                    "message BoolMap {",
                    "map<string, bool> value = 1;",
                    "BoolMap f = 1;",
                ],
            ),
            (
                &D,
                &["repeated string value = 1;", "repeated StringList f = 1;"],
            ),
            (
                &E,
                &[
                    "message BoolValue {",
                    "optional bool value = 1;",
                    "repeated BoolValue f = 1;",
                ],
            ),
            (
                &F,
                &["map<string, bool> value = 1;", "repeated BoolMap f = 1;"],
            ),
            (
                &G,
                &[
                    "repeated string value = 1;",
                    "map<string, StringList> f = 1;",
                ],
            ),
            (
                &H,
                &[
                    "message LineValue {",
                    "com.acme.orders.Line value = 1;",
                    "map<string, LineValue> f = 1;",
                ],
            ),
            (
                &I,
                &[
                    "message Sint64List {",
                    "repeated sint64 value = 1;",
                    "message Sint64ListMap {",
                    "map<string, Sint64List> value = 1;",
                    "map<string, Sint64ListMap> f = 1;",
                ],
            ),
        ]
    };
    for (m, lines) in cases {
        // `render_ok` compiles the files (protox).
        let schema = render_ok(m);
        assert_lines(&schema, lines);
        // Declared inside the message, before its fields.
        let text = &schema.main().text;
        let at = text.find(&format!("message {} {{\n  message ", m.name));
        assert!(at.is_some(), "{text}");
    }
    // Recursion through wrappers: `Vec<Vec<Box<Self>>>`, `Option<Vec<Self>>`.
    static R: Model = model(
        "R",
        Some("acme.rec"),
        Shape::Record(&[
            field("rows", Type::List(&Type::List(&Type::Named(|| &R))), 1),
            field("kids", Type::Option(&Type::List(&Type::Named(|| &R))), 2),
        ]),
    );
    let schema = render_ok(&R);
    assert_lines(
        &schema,
        &[
            "repeated R value = 1;",
            "repeated RList rows = 1;",
            "RList kids = 2;",
        ],
    );
    static C: Model = model(
        "C",
        None,
        Shape::Record(&[field("f", Type::Option(&Type::Option(&Type::Bool)), 1)]),
    );
    let (member, reason) = unrepresentable(&C);
    assert_eq!(member, "f");
    assert!(reason.contains("nested presence"), "{reason}");
}

#[test]
fn wrapper_names_are_checked() {
    // A type declared in the message with a wrapper's name.
    static OWNER: Model = model(
        "Owner",
        Some("acme.wrap"),
        Shape::Record(&[
            field("rows", Type::List(&Type::List(&Type::Bool)), 1),
            field("own", Type::Named(|| &BOOL_LIST), 2),
        ]),
    );
    static BOOL_LIST: Model = Model {
        parent: Some(|| &OWNER),
        ..model("BoolList", Some("acme.wrap"), Shape::Record(&[]))
    };
    let err = render(&OWNER).unwrap_err().to_string();
    assert!(err.contains("wrapper message `BoolList`"), "{err}");

    // A top-level type with a wrapper's name is still reachable: a leading dot.
    static USER: Model = model(
        "User",
        Some("acme.wrap"),
        Shape::Record(&[
            field("rows", Type::List(&Type::List(&Type::Bool)), 1),
            field("top", Type::Named(|| &TOP_BOOL_LIST), 2),
        ]),
    );
    static TOP_BOOL_LIST: Model = model(
        "BoolList",
        Some("acme.wrap"),
        Shape::Record(&[field("x", Type::Bool, 1)]),
    );
    let schema = render_ok(&USER);
    assert_lines(
        &schema,
        &[
            "repeated BoolList rows = 1;",
            ".acme.wrap.BoolList top = 2;",
        ],
    );

    // Two element types with one simple name would make two wrappers of one name.
    static TWO: Model = model(
        "Two",
        Some("acme.wrap"),
        Shape::Record(&[
            field("a", Type::List(&Type::List(&Type::Named(|| &LEFT))), 1),
            field("b", Type::List(&Type::List(&Type::Named(|| &RIGHT))), 2),
        ]),
    );
    static LEFT: Model = model("Leaf", Some("acme.left"), Shape::Record(&[]));
    static RIGHT: Model = model("Leaf", Some("acme.right"), Shape::Record(&[]));
    let (member, reason) = unrepresentable(&TWO);
    assert_eq!(member, "b");
    assert!(reason.contains("`LeafList`"), "{reason}");
}

#[test]
fn field_checks() {
    static DUP: Model = model(
        "Dup",
        None,
        Shape::Record(&[field("a", Type::Bool, 1), field("b", Type::Bool, 1)]),
    );
    assert!(unrepresentable(&DUP).1.contains("already used"));
    static JSON: Model = model(
        "Json",
        None,
        Shape::Record(&[
            field("foo_bar", Type::Bool, 1),
            field("fooBar", Type::Bool, 2),
        ]),
    );
    assert!(unrepresentable(&JSON).1.contains("differ"));
    static RESERVED: Model = model(
        "Reserved",
        None,
        Shape::Record(&[field("a", Type::Bool, 19_500)]),
    );
    assert!(unrepresentable(&RESERVED).1.contains("reserves"));
    static ZERO: Model = model("Zero", None, Shape::Record(&[field("a", Type::Bool, 0)]));
    assert!(unrepresentable(&ZERO).1.contains("from 1"));
    static NAME: Model = model("Bad-Name", None, Shape::Record(&[]));
    assert!(unrepresentable(&NAME).1.contains("identifier"));
}

#[test]
fn any_json_value_is_the_well_known_value() {
    static M: Model = model(
        "Event",
        Some("com.acme"),
        Shape::Record(&[
            field("payload", Type::Any, 1),
            field("extras", Type::List(&Type::Any), 2),
            field("meta", Type::Option(&Type::Any), 3),
            field("by_key", Type::Map(&Type::Any), 4),
        ]),
    );
    let schema = render_ok(&M);
    assert_lines(
        &schema,
        &[
            "google.protobuf.Value payload = 1;",
            "repeated google.protobuf.Value extras = 2;",
            // A message has presence: no `optional`.
            "google.protobuf.Value meta = 3;",
            "map<string, google.protobuf.Value> by_key = 4;",
        ],
    );
    assert_eq!(schema.imports_well_known(), vec![STRUCT_FILE]);
    assert!(schema
        .main()
        .text
        .contains("import \"google/protobuf/struct.proto\";\n"));
}
