//! Unit tests of the Protobuf renderer: shared fixtures and protoc helpers here, tests per
//! concern in the submodules.

mod fields;
mod files;
mod messages;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;
use crate::model::{DecimalSpec, Tagging, Variant};

const OPTS: FieldOptions = crate::derive_support::DEFAULT_FIELD_OPTIONS;

const fn field(name: &'static str, ty: Type, tag: u32) -> Field {
    Field::plain(name, name, ty, tag)
}

const fn encoded(name: &'static str, ty: Type, tag: u32, int_encoding: IntEncoding) -> Field {
    Field {
        options: FieldOptions {
            int_encoding,
            ..OPTS
        },
        ..field(name, ty, tag)
    }
}

const fn model(name: &'static str, namespace: Option<&'static str>, shape: Shape) -> Model {
    Model {
        rust_name: name,
        name,
        namespace,
        doc: None,
        aliases: &[],
        serializer: "json",
        deny_unknown_fields: false,
        open_content: false,
        json_id: None,
        min_properties: None,
        max_properties: None,
        tuple: false,
        json_absent_items: 0,
        shape,
        parent: None,
    }
}

const fn symbol(name: &'static str, tag: i32) -> Symbol {
    Symbol {
        ident: name,
        name,
        doc: None,
        tag,
        is_default: false,
        proto_name: ProtoValueName::Prefixed,
    }
}

const fn variant(name: &'static str, tag: u32, payload: Payload) -> Variant {
    Variant {
        ident: name,
        name,
        doc: None,
        tag,
        int_encoding: IntEncoding::Varint,
        title: None,
        validators: &[],
        payload,
    }
}

const I32: Type = Type::Int(IntKind::I32);
const I64: Type = Type::Int(IntKind::I64);

// ---- fixtures -------------------------------------------------------------------------

static SCALARS: Model = model(
    "Scalars",
    Some("com.acme.scalars"),
    Shape::Record(&[
        field("flag", Type::Bool, 1),
        field("tiny", Type::Int(IntKind::I8), 2),
        encoded("small", Type::Int(IntKind::I16), 3, IntEncoding::Zigzag),
        encoded("medium", I32, 4, IntEncoding::Fixed),
        field("big", I64, 5),
        encoded("big_zigzag", I64, 6, IntEncoding::Zigzag),
        encoded("big_fixed", I64, 7, IntEncoding::Fixed),
        field("ubyte", Type::Int(IntKind::U8), 8),
        encoded("ushort", Type::Int(IntKind::U16), 9, IntEncoding::Fixed),
        field("uint", Type::Int(IntKind::U32), 10),
        field("ulong", Type::Int(IntKind::U64), 11),
        encoded(
            "ulong_fixed",
            Type::Int(IntKind::U64),
            12,
            IntEncoding::Fixed,
        ),
        field("ratio", Type::Float, 13),
        field("precise", Type::Double, 14),
        field("name", Type::String, 15),
        field("blob", Type::Bytes, 16),
        field("digest", Type::Fixed(32), 17),
        field("id", Type::Uuid, 18),
        field("born_on", Type::Date, 19),
        Field {
            options: FieldOptions {
                decimal: Some(DecimalSpec {
                    precision: 10,
                    scale: 2,
                    fixed: None,
                }),
                ..OPTS
            },
            ..field("amount", Type::Decimal, 20)
        },
        field("at", Type::Timestamp, 21),
    ]),
);

static STATUS: Model = Model {
    doc: Some("Where an order is."),
    ..model(
        "OrderStatus",
        Some("com.acme.orders"),
        Shape::Enum(&[
            Symbol {
                doc: Some("Not yet paid."),
                ..symbol("Pending", 1)
            },
            symbol("in-progress", 2),
            symbol("HTTPShipped", 3),
        ]),
    )
};

static CARD: Model = model(
    "Card",
    Some("com.acme.orders"),
    Shape::Record(&[
        field("number", Type::String, 1),
        field("expires_on", Type::Date, 2),
    ]),
);

static CASH: Model = model("Cash", Some("com.acme.orders"), Shape::Record(&[]));

static PAYMENT: Model = model(
    "Payment",
    Some("com.acme.orders"),
    Shape::Union(&Union {
        tagging: Tagging::External,
        variants: &[
            Variant {
                doc: Some("Paid by card."),
                ..variant("Card", 1, Payload::Struct(&CARD))
            },
            variant("Voucher", 2, Payload::Newtype(Type::String)),
            variant("Cash", 3, Payload::Struct(&CASH)),
            variant("GiftCode", 4, Payload::Newtype(I64)),
            variant("Status", 5, Payload::Newtype(Type::Named(|| &STATUS))),
        ],
    }),
);

static LINE: Model = model(
    "Line",
    Some("com.acme.orders"),
    Shape::Record(&[
        field("sku", Type::String, 1),
        field("quantity", Type::Int(IntKind::U32), 2),
    ]),
);

static ORDER: Model = Model {
    doc: Some("An order.\n\nPlaced by a customer."),
    ..model(
        "Order",
        Some("com.acme.orders"),
        Shape::Record(&[
            Field {
                doc: Some("Unique id."),
                ..field("id", Type::Uuid, 1)
            },
            Field {
                tags: &["PII", "GDPR"],
                ..field("customer_ssn", Type::String, 2)
            },
            field("status", Type::Named(|| &STATUS), 3),
            field("lines", Type::List(&Type::Named(|| &LINE)), 4),
            field("created_at", Type::Timestamp, 5),
            field("note", Type::Option(&Type::String), 6),
            field("attributes", Type::Map(&Type::String), 7),
            field("shipped_on", Type::Option(&Type::Date), 8),
            Field {
                options: FieldOptions {
                    decimal: Some(DecimalSpec {
                        precision: 10,
                        scale: 2,
                        fixed: None,
                    }),
                    ..OPTS
                },
                ..field("total", Type::Decimal, 9)
            },
            field("payment", Type::Option(&Type::Named(|| &PAYMENT)), 10),
            field(
                "previous_status",
                Type::Option(&Type::Named(|| &STATUS)),
                11,
            ),
            encoded("deltas", Type::List(&I32), 12, IntEncoding::Zigzag),
        ]),
    )
};

static WRAPPERS: Model = model(
    "Wrappers",
    None,
    Shape::Record(&[
        field("maybe_text", Type::Option(&Type::String), 1),
        encoded("maybe_int", Type::Option(&I32), 2, IntEncoding::Zigzag),
        field("maybe_line", Type::Option(&Type::Named(|| &LINE)), 3),
        field("maybe_at", Type::Option(&Type::Timestamp), 4),
        field("texts", Type::List(&Type::String), 5),
        encoded("longs", Type::List(&I64), 6, IntEncoding::Fixed),
        field("items", Type::List(&Type::Named(|| &LINE)), 7),
        field("stamps", Type::List(&Type::Timestamp), 8),
        field("counts", Type::Map(&I64), 9),
        field("by_sku", Type::Map(&Type::Named(|| &LINE)), 10),
        field("marks", Type::Map(&Type::Timestamp), 11),
        field("statuses", Type::Map(&Type::Named(|| &STATUS)), 12),
        field("maybe_days", Type::Option(&Type::Date), 13),
    ]),
);

static TREE: Model = model(
    "Tree",
    Some("com.acme.tree"),
    Shape::Record(&[
        field("label", Type::String, 1),
        field("children", Type::List(&Type::Named(|| &TREE)), 2),
        field("parent", Type::Option(&Type::Named(|| &TREE)), 3),
        field("by_name", Type::Map(&Type::Named(|| &TREE)), 4),
    ]),
);

// Two packages: com.acme.billing.Invoice uses com.acme.common.Money.
static MONEY: Model = model(
    "Money",
    Some("com.acme.common"),
    Shape::Record(&[field("units", I64, 1), field("currency", Type::String, 2)]),
);

static INVOICE: Model = model(
    "Invoice",
    Some("com.acme.billing"),
    Shape::Record(&[
        field("total", Type::Named(|| &MONEY), 1),
        field("items", Type::List(&Type::Named(|| &MONEY)), 2),
        field("issued_at", Type::Timestamp, 3),
        field("unpackaged", Type::Named(|| &LOOSE), 4),
    ]),
);

static LOOSE: Model = model("Loose", None, Shape::Record(&[field("x", Type::Bool, 1)]));

// ---- helpers --------------------------------------------------------------------------

fn find_protoc() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PROTOC").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("protoc"))
        .find(|p| p.is_file())
}

fn write_files(dir: &Path, schema: &Proto) {
    let meta = std::iter::once((CONFLUENT_META_FILE, CONFLUENT_META_PROTO));
    for (name, text) in schema
        .files()
        .iter()
        .map(|f| (f.name.as_str(), f.text.as_str()))
        .chain(meta)
    {
        let path = dir.join(name);
        let parent = path.parent().expect("a file path has a parent");
        std::fs::create_dir_all(parent).expect("create temp dir");
        std::fs::write(&path, text).expect("write proto file");
    }
}

/// Compiles every rendered file with protoc (when installed) and protox.
fn compile(schema: &Proto) {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "kafka-model-proto-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    write_files(&dir, schema);
    let listing: String = schema
        .files()
        .iter()
        .map(|f| format!("== {}\n{}", f.name, f.text))
        .collect();
    let paths: Vec<PathBuf> = schema.files().iter().map(|f| dir.join(&f.name)).collect();

    match find_protoc() {
        Some(protoc) => {
            let output = Command::new(&protoc)
                .arg("-I")
                .arg(&dir)
                .arg(format!(
                    "--descriptor_set_out={}",
                    dir.join("out.pb").display()
                ))
                .arg("--fatal_warnings")
                .args(schema.files().iter().map(|f| &f.name))
                .output()
                .expect("run protoc");
            assert!(
                output.status.success(),
                "protoc rejected the schema:\n{}\n{listing}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        None if std::env::var_os("CI").is_some() => {
            panic!("protoc not found (set PROTOC or put it on PATH)")
        }
        None => eprintln!(
            "note: protoc not found (set PROTOC or put it on PATH); checking with protox only"
        ),
    }

    let fds = protox::compile(&paths, [&dir])
        .unwrap_or_else(|e| panic!("protox rejected the schema: {e:?}\n{listing}"));
    let main = fds
        .file
        .iter()
        .find(|f| f.name() == schema.main().name)
        .expect("main file in descriptor set");
    if let [top, path @ ..] = schema.message_indexes() {
        if !path.is_empty() {
            // A nested root: follow the message indexes down to it.
            let mut m = &main.message_type[*top as usize];
            let mut full = format!("{}.{}", main.package(), m.name());
            for i in path {
                m = &m.nested_type[*i as usize];
                full = format!("{full}.{}", m.name());
            }
            assert_eq!(full, schema.message_name(), "{listing}");
            std::fs::remove_dir_all(&dir).ok();
            return;
        }
    }
    let (package, name) = match schema.message_name().rsplit_once('.') {
        Some((p, n)) => (p, n),
        None => ("", schema.message_name()),
    };
    assert_eq!(main.package(), package);
    let first = main
        .message_type
        .first()
        .map(|m| m.name())
        .or_else(|| main.enum_type.first().map(|e| e.name()));
    assert_eq!(
        first,
        Some(name),
        "the root type is the main file's first declaration"
    );
    std::fs::remove_dir_all(&dir).ok();
}

fn render_ok(m: &'static Model) -> Proto {
    let schema = render(m).unwrap_or_else(|e| panic!("render {}: {e}", m.rust_name));
    compile(&schema);
    schema
}

fn unrepresentable(m: &'static Model) -> (String, String) {
    match render(m) {
        Err(SchemaError::Unrepresentable {
            format,
            field,
            reason,
            ..
        }) => {
            assert_eq!(format, "Protobuf");
            (field.to_string(), reason)
        }
        other => panic!("expected Unrepresentable, got {other:?}"),
    }
}

fn has_line(schema: &Proto, line: &str) -> bool {
    schema
        .files()
        .iter()
        .any(|f| f.text.lines().any(|l| l.trim() == line))
}

fn assert_lines(schema: &Proto, lines: &[&str]) {
    for line in lines {
        assert!(
            has_line(schema, line),
            "missing `{line}` in\n{}",
            schema.main().text
        );
    }
}
