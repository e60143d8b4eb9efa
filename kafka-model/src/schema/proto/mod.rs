//! Protobuf (proto3) schema rendering.
//!
//! A model renders to one `.proto` file per package (namespace): every reachable type of a
//! package is declared in that package's file, named after the package
//! (`com.acme.orders` → `com/acme/orders.proto`); types without a namespace go into
//! `<snake_case of the root name>.proto`. Types of other packages are referenced by full name
//! and imported. Declarations follow the depth-first, first-use order of
//! [`named_types`](crate::model::named_types()), so the root type is always the first declaration
//! of [`Proto::main`] (its Confluent message index is `[0]` when it is a message).
//!
//! A type with `#[record(parent = Outer)]` is declared inside `Outer`'s message (declarations
//! first, then fields), with `Outer` (and what it reaches) rendered even when the root does not
//! reach it; its full name is [`Model::proto_full_name`] and the root's Confluent path is
//! [`Proto::message_indexes`] (`[0, 0]` for a root declared first inside the first message).
//! A field with `#[record(oneof)]` holding an enum with data renders as a `oneof` named after
//! the field in the enclosing message, the members numbered by the variants' `tag`s.
//!
//! Mapping (see the crate's type table): records are messages with fields numbered by
//! [`Field::tag`]; unit-only enums are proto enums with a zero value `<ENUM>_UNSPECIFIED` (unless
//! a symbol is numbered 0: then it is the zero value) and
//! values prefixed with the enum name in `SCREAMING_SNAKE_CASE` (no prefix with
//! `#[record(no_prefix)]` on the enum, an exact name with `#[record(proto_name = "..")]` on a
//! variant: [`ProtoValueName`]); enums with data are messages holding one `oneof` (a newtype
//! variant's integer encoded as its `#[record(sint)]` / `#[record(fixed)]` says). `Option` of a
//! scalar or enum is `optional`, `Option` of a message is the plain message field (messages
//! have presence), `optional` with `#[record(optional)]`. A list, map or `Option` where protobuf needs
//! one value (a list element, a map value, the value of an `Option`: `Vec<Vec<T>>`,
//! `Option<Vec<T>>`, `Vec<Option<T>>`, `HashMap<String, Vec<T>>`, ...) is a wrapper message
//! declared first in the enclosing message, with one field `value = 1`, named from its shape
//! (`Int64List`, `StringMap`, `Int64Value`, `Int64ListList`) so equal shapes share one
//! declaration. `chrono::NaiveDate` is an `int32` of days since
//! 1970-01-01 and `rust_decimal::Decimal` a `string`; timestamps are `google.protobuf.Timestamp`.
//! Data-governance tags become `[(confluent.field_meta) = { tags: [...] }]` options, declared by
//! [`CONFLUENT_META_PROTO`].
//!
//! ```
//! use kafka_model::Record;
//!
//! #[derive(Record, serde::Serialize, serde::Deserialize)]
//! #[record(namespace = "com.acme")]
//! struct Ping {
//!     seq: u32,
//!     note: Option<String>,
//! }
//!
//! let schema = kafka_model::schema::proto::render(Ping::model())?;
//! assert_eq!(schema.message_name(), "com.acme.Ping");
//! assert_eq!(schema.main().name, "com/acme.proto");
//! assert!(schema.main().text.contains("optional string note = 2;"));
//! # Ok::<(), kafka_model::SchemaError>(())
//! ```

mod files;
mod messages;
mod refs;
#[cfg(test)]
mod tests;
mod text;
mod types;

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::model::{
    named_types, Field, FieldOptions, IntEncoding, IntKind, MapKey, Model, Payload, ProtoValueName,
    Shape, Symbol, Type, Union, Variant,
};
use crate::schema::naming::{
    add_named, map_entry_name, protoc_pascal_case, screaming_snake_case, snake_case,
};
use crate::SchemaError;

// Each concern's shared items are `pub(super)`; gathered here, siblings reach one another
// through their `use super::*`.
use files::*;
use messages::*;
use refs::*;
use text::*;
use types::*;

/// The canonical `confluent/meta.proto` (Confluent's `protobuf-types`): `confluent.Meta`
/// (doc, params, tags, rules) and `confluent.Rule`, with the extensions `file_meta`,
/// `message_meta`, `field_meta`, `enum_meta` and `enum_value_meta`, all numbered 1088.
///
/// Rendered files import it as `confluent/meta.proto` when a field has tags. Schema registries
/// treat it as a well-known file (not a registered reference); tools that compile the rendered
/// files need it on their include path.
pub const CONFLUENT_META_PROTO: &str = include_str!("../../../proto/confluent/meta.proto");

/// Import path of [`CONFLUENT_META_PROTO`].
const CONFLUENT_META_FILE: &str = "confluent/meta.proto";
/// Import path of `google.protobuf.Timestamp`.
const TIMESTAMP_FILE: &str = "google/protobuf/timestamp.proto";
const EMPTY_FILE: &str = "google/protobuf/empty.proto";
/// Import path of `google.protobuf.Value` (`serde_json::Value`).
const STRUCT_FILE: &str = "google/protobuf/struct.proto";
/// `SchemaError` format name.
const FORMAT: &str = "Protobuf";
/// Largest protobuf field number.
const MAX_FIELD_NUMBER: u32 = 536_870_911;
/// Field numbers reserved by the protobuf implementation.
const RESERVED_FIELD_NUMBERS: std::ops::RangeInclusive<u32> = 19_000..=19_999;

/// One `.proto` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtoFile {
    /// Path used in `import` statements (`com/acme/orders.proto`).
    pub name: String,
    /// The file's text.
    pub text: String,
}

/// A rendered Protobuf schema: the root type's file first, then the files of the project's own
/// types it imports (one per package).
#[derive(Debug, Clone)]
pub struct Proto {
    /// Never empty: the main file is first.
    files: Vec<ProtoFile>,
    message_name: String,
    well_known: Vec<&'static str>,
    message_indexes: Vec<u32>,
}

impl Proto {
    /// The file declaring the root type (first declaration of the file).
    pub fn main(&self) -> &ProtoFile {
        &self.files[0]
    }

    /// The schema text to register: the [`main`](Self::main) file's (the files it imports are
    /// registered as its references, see [`files`](Self::files)).
    pub fn text(&self) -> &str {
        &self.files[0].text
    }

    /// Every file rendered for the type: [`main`](Self::main) first, then the files it imports
    /// (directly or not) that hold the project's own types. Well-known files
    /// (`google/protobuf/*`, `confluent/meta.proto`) are not included: see
    /// [`imports_well_known`](Self::imports_well_known).
    pub fn files(&self) -> &[ProtoFile] {
        &self.files
    }

    /// Fully-qualified name of the root type (`com.acme.Order`; `com.acme.Outer.Inner` for a
    /// type declared inside another with `#[record(parent = ..)]`).
    pub fn message_name(&self) -> &str {
        &self.message_name
    }

    /// The root type's Confluent message indexes in [`main`](Self::main): its position among
    /// the file's top-level messages, then among the messages declared in each enclosing message
    /// (`[0]` for a top-level root, which is always the file's first declaration; `[0, 1]` for
    /// the second message declared inside it).
    pub fn message_indexes(&self) -> &[u32] {
        &self.message_indexes
    }

    /// The well-known files imported anywhere in [`files`](Self::files), sorted
    /// (`["confluent/meta.proto", "google/protobuf/timestamp.proto"]`).
    pub fn imports_well_known(&self) -> Vec<&'static str> {
        self.well_known.clone()
    }
}

/// Renders the proto3 schema of a model and every type it reaches.
///
/// Fails with [`SchemaError::NameCollision`] when two types share a full name, and with
/// [`SchemaError::Unrepresentable`] when a type has no proto3 form (e.g. `Option<Option<T>>`,
/// zigzag on an unsigned integer, enum values clashing in one package, packages that would
/// import each other, a wrapper message named like a type declared in the message).
pub fn render(model: &'static Model) -> Result<Proto, SchemaError> {
    // A top-level primitive, list, map, null or named fixed (Avro allows any schema at the
    // top) has no Protobuf form: a Protobuf value is a message.
    let top_level = match model.shape {
        Shape::Primitive(t, _) => Some((t.to_string(), format!("a top-level {}", model.name))),
        Shape::Fixed(n) => Some((format!("[u8; {n}]"), "a top-level fixed".to_string())),
        Shape::Duration => Some(("AvroDuration".into(), "a top-level duration".to_string())),
        Shape::Record(_) | Shape::Enum(_) | Shape::Union(_) => None,
    };
    if let Some((ty, what)) = top_level {
        return Err(SchemaError::Unrepresentable {
            format: FORMAT,
            record: model.rust_name,
            field: model.name,
            ty,
            reason: format!(
                "a Protobuf value is a message: {what} has no Protobuf form; wrap it in a record"
            ),
        });
    }
    // Named fixed types are plain `bytes` in Protobuf: no declaration of their own.
    let mut types: Vec<_> = named_types(model)?
        .into_iter()
        .filter(|m| {
            !matches!(
                m.shape,
                Shape::Fixed(_) | Shape::Duration | Shape::Primitive(..)
            )
        })
        .collect();
    add_parents(&mut types)?;
    let unpackaged = format!("{}.proto", snake_case(model.name));
    let renderer = Renderer::new(&types, unpackaged)?;
    let message_indexes = renderer.message_indexes(model);
    let files = renderer.render()?;
    Ok(Proto {
        files: files.files,
        message_name: model.proto_full_name(),
        well_known: files.well_known,
        message_indexes,
    })
}

/// Adds to `types` the types that declare them (`#[record(parent = ..)]`), and what those
/// reach, until every parent is there: a nested message is rendered inside its parent's.
fn add_parents(types: &mut Vec<&'static Model>) -> Result<(), SchemaError> {
    let mut i = 0;
    while i < types.len() {
        let m = types[i];
        i += 1;
        let Some(parent) = m.parent else { continue };
        let p = parent();
        if std::ptr::eq(p, m) {
            return Err(model_error(
                m,
                "the type names itself as its `parent`".into(),
            ));
        }
        if types.iter().any(|t| std::ptr::eq(*t, p)) {
            continue;
        }
        for t in named_types(p)? {
            add_named(types, t)?;
        }
    }
    Ok(())
}

/// Import path of the file holding the types without a namespace in a [`ProtoRoot`] (`_`
/// stands for "no package", as prost-build names its output for such files).
pub const UNPACKAGED_FILE: &str = "_.proto";

/// One proto root for a set of models: one file per package, each declaring every type of its
/// package that any of the models reaches, importing the files of the other packages it uses.
/// Compile the whole root with one `protoc -I <root> <every file>`.
#[derive(Debug, Clone)]
pub struct ProtoRoot {
    files: Vec<ProtoFile>,
    well_known: Vec<&'static str>,
}

impl ProtoRoot {
    /// The files, sorted by import path.
    pub fn files(&self) -> &[ProtoFile] {
        &self.files
    }

    /// The well-known files imported anywhere in [`files`](Self::files), sorted.
    pub fn imports_well_known(&self) -> Vec<&'static str> {
        self.well_known.clone()
    }
}

/// Renders the models and every type they reach as one proto root (see [`ProtoRoot`]).
///
/// The models are taken in full-name order and each type is declared once, in the depth-first
/// first-use order of [`named_types`](crate::model::named_types()), so the output does not
/// depend on the order of `models`. Types without a namespace go into [`UNPACKAGED_FILE`].
/// Fails like [`render`], and with [`SchemaError::NameCollision`] when two models share a full
/// name.
///
/// ```
/// use kafka_model::Record;
///
/// #[derive(Record, serde::Serialize, serde::Deserialize)]
/// #[record(namespace = "com.acme.common")]
/// struct Money { cents: i64 }
///
/// #[derive(Record, serde::Serialize, serde::Deserialize)]
/// #[record(namespace = "com.acme.shop")]
/// struct Order { id: String, total: Money }
///
/// #[derive(Record, serde::Serialize, serde::Deserialize)]
/// #[record(namespace = "com.acme.shop")]
/// struct Refund { order_id: String, amount: Money }
///
/// let root = kafka_model::schema::proto::render_root(&[Refund::model(), Order::model()])?;
/// let names: Vec<&str> = root.files().iter().map(|f| f.name.as_str()).collect();
/// assert_eq!(names, ["com/acme/common.proto", "com/acme/shop.proto"]);
/// let shop = &root.files()[1].text;
/// assert!(shop.contains("import \"com/acme/common.proto\";"));
/// assert!(shop.find("message Order").unwrap() < shop.find("message Refund").unwrap());
/// # Ok::<(), kafka_model::SchemaError>(())
/// ```
pub fn render_root(models: &[&'static Model]) -> Result<ProtoRoot, SchemaError> {
    let mut roots = models.to_vec();
    roots.sort_by_key(|m| m.full_name());
    let mut types: Vec<&'static Model> = Vec::new();
    for root in roots {
        for m in named_types(root)? {
            if matches!(
                m.shape,
                Shape::Fixed(_) | Shape::Duration | Shape::Primitive(..)
            ) {
                continue;
            }
            add_named(&mut types, m)?;
        }
    }
    add_parents(&mut types)?;
    let mut root = Renderer::new(&types, UNPACKAGED_FILE.to_owned())?.render()?;
    root.files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(root)
}
