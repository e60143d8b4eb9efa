//! Top-level primitive values: [`Record`] for `String`, `i32`, `i64`, `f32`, `f64`, `bool`,
//! `Vec<u8>` (and `bytes::Bytes`), `()` (Avro `null`, an empty datum) and `serde_json::Value`
//! (any JSON value; JSON Schema `{}`, no Avro or Protobuf form), so that a message key
//! or value can have a primitive schema (`"string"`, `"long"`, `"bytes"`, `"null"`, ...), as
//! Confluent's serializers allow.
//!
//! Their [`Model`] is a [`Shape::Primitive`] named after the Avro type (`"string"`): the Avro
//! schema is that primitive, the JSON Schema its type; Protobuf has no top-level scalars (a
//! Protobuf value is a message), so [`Record::proto_schema`] is an error for them.
//!
//! Framing: Confluent's serializers (Java's `KafkaAvroSerializer`, confluent-kafka's
//! `AvroSerializer`) write a top-level `"bytes"` value raw after the header, without the Avro
//! length prefix, and read it back raw; the registry-aware [`serdes`](crate::serdes) do the
//! same ([`Record::write_avro_framed`]). [`Record::to_avro`] stays the Avro datum (with the
//! length), as the Avro specification and single-object encoding have it.
//!
//! ```
//! use kafka_model::Record;
//!
//! assert_eq!(String::schemas().avro()?.json(), "\"string\"");
//! assert_eq!("order-1".to_string().to_avro()?, b"\x0eorder-1");
//! let mut framed = Vec::new();
//! vec![1u8, 2].write_avro_framed(&mut framed)?;
//! assert_eq!(framed, [1, 2]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::derive_support::top_level_name;
use crate::model::{FieldType, Model, Shape};
use crate::schema::SchemaCache;
use crate::validate::ValidationErrors;
use crate::{CodecError, Record};

use crate::model::Type;

/// The model of a top-level primitive: named after its Avro type ([`top_level_name`]),
/// nothing else set.
const fn primitive_model(rust_name: &'static str, name: &'static str, ty: Type) -> Model {
    Model {
        rust_name,
        name,
        namespace: None,
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
        parent: None,
        shape: Shape::Primitive(ty, &[]),
    }
}

/// `Record` for a primitive; `raw` marks a top-level `"bytes"`, written raw after the header
/// as Confluent's serializers write it.
macro_rules! primitive_record {
    ($($t:ty => $rust:literal $(, $raw:ident)?;)*) => {$(
        impl Record for $t {
            fn model() -> &'static Model {
                const TYPE: Type = <$t as FieldType>::TYPE;
                static MODEL: Model = primitive_model($rust, top_level_name(&TYPE), TYPE);
                &MODEL
            }
            fn validate(&self) -> Result<(), ValidationErrors> {
                Ok(())
            }
            fn schema_cache() -> &'static SchemaCache {
                static CACHE: SchemaCache = SchemaCache::new();
                &CACHE
            }
            $(primitive_record!(@$raw);)?
        }
    )*};
    (@raw) => {
        fn write_avro_framed(&self, out: &mut Vec<u8>) -> Result<(), CodecError> {
            out.extend_from_slice(self);
            Ok(())
        }
        fn from_avro_framed(bytes: &[u8]) -> Result<Self, CodecError> {
            Ok(bytes.to_vec().into())
        }
    };
}

primitive_record! {
    String => "String";
    i32 => "i32";
    i64 => "i64";
    f32 => "f32";
    f64 => "f64";
    bool => "bool";
    Vec<u8> => "Vec<u8>", raw;
    () => "()";
    // Any JSON value (JSON Schema `{}`): a JSON-only top-level value, as a Protobuf or Avro
    // schema it is an error naming it (`serde_json::Value` has no faithful Avro form).
    serde_json::Value => "Value";
}

#[cfg(feature = "bytes")]
primitive_record! {
    bytes::Bytes => "Bytes", raw;
}
