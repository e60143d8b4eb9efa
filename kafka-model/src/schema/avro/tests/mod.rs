//! Unit tests of the Avro renderer; shared fixtures here, tests per concern in the submodules.

mod canonical;
mod defaults;
mod render;

use super::*;
use crate::model::{DecimalSpec, IntEncoding, ProtoValueName, Symbol, Tagging, Union};
use apache_avro::rabin::Rabin;

const OPTS: FieldOptions = crate::derive_support::DEFAULT_FIELD_OPTIONS;
const MILLIS: FieldOptions = FieldOptions {
    timestamp: TimePrecision::Millis,
    ..OPTS
};
const DEC_12_2: FieldOptions = FieldOptions {
    decimal: Some(DecimalSpec {
        precision: 12,
        scale: 2,
        fixed: None,
    }),
    ..OPTS
};

const fn field(name: &'static str, ty: Type) -> Field {
    Field::plain(name, name, ty, 1)
}

const fn record(
    name: &'static str,
    namespace: Option<&'static str>,
    fields: &'static [Field],
) -> Model {
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
        shape: Shape::Record(fields),
        parent: None,
    }
}

const fn symbol(name: &'static str, is_default: bool) -> Symbol {
    Symbol {
        ident: name,
        name,
        doc: None,
        tag: 1,
        is_default,
        proto_name: ProtoValueName::Prefixed,
    }
}

const fn newtype(name: &'static str, t: Type) -> Variant {
    Variant {
        ident: name,
        name,
        doc: None,
        tag: 1,
        int_encoding: IntEncoding::Varint,
        title: None,
        validators: &[],
        payload: Payload::Newtype(t),
    }
}

fn json_of(s: &Avro) -> Value {
    serde_json::from_str(s.json()).expect("rendered JSON parses")
}

fn unrepresentable_reason(e: SchemaError) -> String {
    match e {
        SchemaError::Unrepresentable { reason, .. } => reason,
        other => panic!("expected Unrepresentable, got {other:?}"),
    }
}
