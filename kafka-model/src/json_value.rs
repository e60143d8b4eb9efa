//! `serde_json::Value`: a field that holds any JSON value.
//!
//! JSON Schema renders it as `{}` (no keyword: every value is valid), the JSON codec is serde's.
//! Protobuf has a well-known type for exactly this, `google.protobuf.Value` (import
//! `google/protobuf/struct.proto`); its numbers are doubles, so an integer beyond ±2^53 is
//! rounded when written, and a whole double within ±2^53 reads back as a JSON integer (so that
//! `1` stays `1`, not `1.0`). Avro has no type for "any value" (a recursive union would need a
//! named record per shape, and readers of other languages would see records, not the JSON):
//! rendering the Avro schema of a type holding one is a `SchemaError::Unrepresentable` naming
//! the field, and the Avro codec refuses the value the same way.

use prost::bytes::{Buf, BufMut};
use prost::encoding::{encode_key, encode_varint, encoded_len_varint, key_len};
use serde_json::{Map, Number, Value};

use crate::avro::{
    AvroCodec, AvroDecode, DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind, Reader,
};
use crate::model::{FieldOptions, FieldType, Literal, Type};
use crate::protobuf::support::{
    check_end, check_wire_type, decode_key, enter_len, enter_message, read_len, read_varint,
    skip_field,
};
use crate::protobuf::{Error, ErrorKind, IntEncoding, ProtoField, WireType};
use crate::validate::Validate;

impl FieldType for Value {
    const TYPE: Type = Type::Any;
    fn to_literal(&self) -> Literal {
        match self {
            Value::Null => Literal::Null,
            Value::Bool(b) => Literal::Bool(*b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => Literal::Int(i.into()),
                None => match n.as_u64() {
                    Some(u) => Literal::Int(u.into()),
                    // serde_json numbers are finite, so `as_f64` has a value for every other one.
                    None => Literal::Float(n.as_f64().unwrap_or(f64::NAN)),
                },
            },
            Value::String(s) => Literal::String(s.clone()),
            Value::Array(items) => Literal::List(items.iter().map(FieldType::to_literal).collect()),
            Value::Object(map) => Literal::Map(
                map.iter()
                    .map(|(k, v)| (k.clone(), v.to_literal()))
                    .collect(),
            ),
        }
    }
}

/// The Rust type named in Avro errors.
const RUST_TYPE: &str = "serde_json::Value";

impl AvroCodec for Value {
    fn avro_encode(&self, _: &FieldOptions, _: &mut Vec<u8>) -> Result<(), EncodeError> {
        Err(EncodeError::new(EncodeErrorKind::NoAvroForm {
            rust_type: RUST_TYPE,
        }))
    }
}

impl<'de> AvroDecode<'de> for Value {
    fn avro_decode(r: &mut Reader<'de>, _: &FieldOptions) -> Result<Self, DecodeError> {
        Err(r.error(DecodeErrorKind::NoAvroForm {
            rust_type: RUST_TYPE,
        }))
    }
}

// Field numbers of `google.protobuf.Value`'s `kind` oneof, `Struct` and `ListValue`.
const NULL_VALUE: u32 = 1;
const NUMBER_VALUE: u32 = 2;
const STRING_VALUE: u32 = 3;
const BOOL_VALUE: u32 = 4;
const STRUCT_VALUE: u32 = 5;
const LIST_VALUE: u32 = 6;
/// `Struct.fields` (a map: entries `key = 1`, `value = 2`) and `ListValue.values`.
const ENTRIES: u32 = 1;

/// Whole doubles up to this magnitude are exact integers (2^53).
const EXACT_INT: f64 = 9_007_199_254_740_992.0;

fn number_of(n: &Number) -> f64 {
    // Finite for every serde_json number; an integer beyond ±2^53 rounds (documented above).
    n.as_f64().unwrap_or(0.0)
}

/// The length of a length-delimited field: key, length prefix, body.
fn nested_field_len(tag: u32, body: usize) -> usize {
    key_len(tag) + encoded_len_varint(body as u64) + body
}

/// Length of a `Value` message body.
fn body_len(v: &Value) -> usize {
    match v {
        // The enum `NULL_VALUE = 0`, written since a oneof member is always present.
        Value::Null => key_len(NULL_VALUE) + 1,
        Value::Bool(_) => key_len(BOOL_VALUE) + 1,
        Value::Number(_) => key_len(NUMBER_VALUE) + 8,
        Value::String(s) => nested_field_len(STRING_VALUE, s.len()),
        Value::Array(items) => nested_field_len(LIST_VALUE, list_len(items)),
        Value::Object(map) => nested_field_len(STRUCT_VALUE, struct_len(map)),
    }
}

fn list_len(items: &[Value]) -> usize {
    items
        .iter()
        .map(|v| nested_field_len(ENTRIES, body_len(v)))
        .sum()
}

fn entry_len(k: &str, v: &Value) -> usize {
    nested_field_len(1, k.len()) + nested_field_len(2, body_len(v))
}

fn struct_len(map: &Map<String, Value>) -> usize {
    map.iter()
        .map(|(k, v)| nested_field_len(ENTRIES, entry_len(k, v)))
        .sum()
}

fn put_str(tag: u32, s: &str, buf: &mut impl BufMut) {
    encode_key(tag, WireType::LengthDelimited, buf);
    encode_varint(s.len() as u64, buf);
    buf.put_slice(s.as_bytes());
}

/// Writes a `Value` message body.
fn encode_body(v: &Value, buf: &mut impl BufMut) {
    match v {
        Value::Null => {
            encode_key(NULL_VALUE, WireType::Varint, buf);
            buf.put_u8(0);
        }
        Value::Bool(b) => {
            encode_key(BOOL_VALUE, WireType::Varint, buf);
            buf.put_u8(u8::from(*b));
        }
        Value::Number(n) => {
            encode_key(NUMBER_VALUE, WireType::SixtyFourBit, buf);
            buf.put_f64_le(number_of(n));
        }
        Value::String(s) => put_str(STRING_VALUE, s, buf),
        Value::Array(items) => {
            encode_key(LIST_VALUE, WireType::LengthDelimited, buf);
            encode_varint(list_len(items) as u64, buf);
            for item in items {
                put_value(ENTRIES, item, buf);
            }
        }
        Value::Object(map) => {
            encode_key(STRUCT_VALUE, WireType::LengthDelimited, buf);
            encode_varint(struct_len(map) as u64, buf);
            // Map entries: `string key = 1; Value value = 2;`. serde_json's map iterates in
            // key order (or insertion order with `preserve_order`): deterministic either way.
            for (k, v) in map {
                encode_key(ENTRIES, WireType::LengthDelimited, buf);
                encode_varint(entry_len(k, v) as u64, buf);
                put_str(1, k, buf);
                put_value(2, v, buf);
            }
        }
    }
}

/// A `Value` as the length-delimited field `tag`.
fn put_value(tag: u32, v: &Value, buf: &mut impl BufMut) {
    encode_key(tag, WireType::LengthDelimited, buf);
    encode_varint(body_len(v) as u64, buf);
    encode_body(v, buf);
}

fn invalid(reason: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidValue {
        ty: "google.protobuf.Value",
        reason: reason.into(),
    })
}

/// A double as a JSON number: whole values within ±2^53 as integers.
fn number_from(d: f64) -> Result<Value, Error> {
    if d.fract() == 0.0 && d.abs() <= EXACT_INT {
        // Exact: |d| ≤ 2^53 fits an i64 without rounding.
        return Ok(Value::Number(Number::from(d as i64)));
    }
    Number::from_f64(d)
        .map(Value::Number)
        .ok_or_else(|| invalid(format!("{d} is not a JSON number")))
}

fn read_string(wire_type: WireType, buf: &mut impl Buf) -> Result<String, Error> {
    check_wire_type(WireType::LengthDelimited, wire_type)?;
    let len = read_len(buf)?;
    let mut bytes = vec![0; len];
    buf.copy_to_slice(&mut bytes);
    String::from_utf8(bytes).map_err(|_| invalid("a string that is not UTF-8"))
}

/// Reads a length-delimited `Value` message (the wire type is checked by the caller).
fn decode_message(buf: &mut impl Buf, depth: u32) -> Result<Value, Error> {
    let depth = enter_message(depth)?;
    let end = enter_len(buf)?;
    // An empty message has no `kind` set: protobuf's JSON mapping has no value for it, so it
    // reads as `null` like an absent field.
    let mut out = Value::Null;
    while buf.remaining() > end {
        let (tag, wire_type) = decode_key(buf)?;
        out = match tag {
            NULL_VALUE => {
                check_wire_type(WireType::Varint, wire_type)?;
                read_varint(buf)?;
                Value::Null
            }
            NUMBER_VALUE => {
                check_wire_type(WireType::SixtyFourBit, wire_type)?;
                if buf.remaining() < 8 {
                    return Err(invalid("a truncated double"));
                }
                number_from(buf.get_f64_le())?
            }
            STRING_VALUE => Value::String(read_string(wire_type, buf)?),
            BOOL_VALUE => {
                check_wire_type(WireType::Varint, wire_type)?;
                Value::Bool(read_varint(buf)? != 0)
            }
            STRUCT_VALUE => {
                check_wire_type(WireType::LengthDelimited, wire_type)?;
                Value::Object(decode_struct(buf, depth)?)
            }
            LIST_VALUE => {
                check_wire_type(WireType::LengthDelimited, wire_type)?;
                Value::Array(decode_list(buf, depth)?)
            }
            _ => {
                skip_field(wire_type, tag, buf)?;
                continue;
            }
        };
    }
    check_end(buf, end)?;
    Ok(out)
}

fn decode_list(buf: &mut impl Buf, depth: u32) -> Result<Vec<Value>, Error> {
    let depth = enter_message(depth)?;
    let end = enter_len(buf)?;
    let mut items = Vec::new();
    while buf.remaining() > end {
        let (tag, wire_type) = decode_key(buf)?;
        if tag == ENTRIES {
            check_wire_type(WireType::LengthDelimited, wire_type)?;
            items.push(decode_message(buf, depth)?);
        } else {
            skip_field(wire_type, tag, buf)?;
        }
    }
    check_end(buf, end)?;
    Ok(items)
}

fn decode_struct(buf: &mut impl Buf, depth: u32) -> Result<Map<String, Value>, Error> {
    let depth = enter_message(depth)?;
    let end = enter_len(buf)?;
    let mut map = Map::new();
    while buf.remaining() > end {
        let (tag, wire_type) = decode_key(buf)?;
        if tag != ENTRIES {
            skip_field(wire_type, tag, buf)?;
            continue;
        }
        check_wire_type(WireType::LengthDelimited, wire_type)?;
        let entry_end = enter_len(buf)?;
        // Map entries: a missing key is "", a missing value is null (proto3 defaults).
        let (mut key, mut value) = (String::new(), Value::Null);
        while buf.remaining() > entry_end {
            let (tag, wire_type) = decode_key(buf)?;
            match tag {
                1 => key = read_string(wire_type, buf)?,
                2 => {
                    check_wire_type(WireType::LengthDelimited, wire_type)?;
                    value = decode_message(buf, depth)?;
                }
                _ => skip_field(wire_type, tag, buf)?,
            }
        }
        check_end(buf, entry_end)?;
        // The last entry of a key wins, as for every protobuf map.
        map.insert(key, value);
    }
    check_end(buf, end)?;
    Ok(map)
}

/// `google.protobuf.Value`, always written (a message field); absent reads as `null`.
impl ProtoField for Value {
    fn wire_type(_: IntEncoding) -> WireType {
        WireType::LengthDelimited
    }
    fn encode_value(&self, _: IntEncoding, buf: &mut impl BufMut) {
        encode_varint(body_len(self) as u64, buf);
        encode_body(self, buf);
    }
    fn value_len(&self, _: IntEncoding) -> usize {
        let body = body_len(self);
        encoded_len_varint(body as u64) + body
    }
    fn decode_value(
        wire_type: WireType,
        _: IntEncoding,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<Self, Error> {
        check_wire_type(WireType::LengthDelimited, wire_type)?;
        decode_message(buf, depth)
    }
    fn absent() -> Result<Self, Error> {
        Ok(Value::Null)
    }
    fn clear(&mut self) {
        *self = Value::Null;
    }
}

/// Any value is valid: no declarative rule reads inside it (the default `scalar` is `Other`).
impl Validate for Value {
    fn nested() -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn proto_bytes(v: &Value) -> Vec<u8> {
        let mut out = Vec::new();
        v.encode_value(IntEncoding::Varint, &mut out);
        assert_eq!(out.len(), v.value_len(IntEncoding::Varint), "{v}");
        out
    }

    fn proto_round_trip(v: &Value) -> Value {
        let bytes = proto_bytes(v);
        let mut buf = bytes.as_slice();
        let back = Value::decode_value(WireType::LengthDelimited, IntEncoding::Varint, &mut buf, 0)
            .expect("decodes");
        assert!(buf.is_empty(), "bytes left after {v}");
        back
    }

    #[test]
    fn protobuf_value_bytes_follow_struct_proto() {
        // null: `null_value` (1, varint) = NULL_VALUE (0); length prefix 2.
        assert_eq!(proto_bytes(&Value::Null), [2, 0x08, 0]);
        assert_eq!(proto_bytes(&json!(true)), [2, 0x20, 1]);
        let mut number = vec![9, 0x11];
        number.extend(1.5f64.to_le_bytes());
        assert_eq!(proto_bytes(&json!(1.5)), number);
        assert_eq!(proto_bytes(&json!("hi")), [4, 0x1a, 2, b'h', b'i']);
        // ["a"]: list_value (6) { values (1) { string_value (3) "a" } }
        assert_eq!(
            proto_bytes(&json!(["a"])),
            [7, 0x32, 5, 0x0a, 3, 0x1a, 1, b'a']
        );
        // {"k": null}: struct_value (5) { fields (1) { key (1) "k", value (2) { null } } }
        assert_eq!(
            proto_bytes(&json!({"k": null})),
            [11, 0x2a, 9, 0x0a, 7, 0x0a, 1, b'k', 0x12, 2, 0x08, 0]
        );
    }

    #[test]
    fn protobuf_round_trips_json_values() {
        for v in [
            json!(null),
            json!(false),
            json!(-3),
            json!(2.25),
            json!(""),
            json!([1, "x", [], {}]),
            json!({"a": {"b": [null, true]}, "": "empty key"}),
        ] {
            assert_eq!(proto_round_trip(&v), v);
        }
        // Doubles: an integer beyond 2^53 rounds to the nearest double.
        let big = json!(9_007_199_254_740_993u64);
        assert_eq!(proto_round_trip(&big), json!(9_007_199_254_740_992u64));
    }

    #[test]
    fn protobuf_rejects_malformed_values() {
        // A string_value that is not UTF-8.
        let mut buf: &[u8] = &[3, 0x1a, 1, 0xff];
        assert!(
            Value::decode_value(WireType::LengthDelimited, IntEncoding::Varint, &mut buf, 0)
                .is_err()
        );
        // A number_value whose double is cut short.
        let mut buf: &[u8] = &[3, 0x11, 0, 0];
        assert!(
            Value::decode_value(WireType::LengthDelimited, IntEncoding::Varint, &mut buf, 0)
                .is_err()
        );
        // Nested lists beyond the recursion limit end in an error, not a stack overflow.
        let mut deep: Vec<u8> = Vec::new();
        for _ in 0..200 {
            let mut outer = vec![0x32];
            let mut inner = vec![0x0a];
            inner.extend(encoded(deep.len()));
            inner.extend(&deep);
            outer.extend(encoded(inner.len()));
            outer.extend(inner);
            deep = outer;
        }
        let mut framed = encoded(deep.len());
        framed.extend(&deep);
        let mut buf = framed.as_slice();
        assert!(
            Value::decode_value(WireType::LengthDelimited, IntEncoding::Varint, &mut buf, 0)
                .is_err()
        );
    }

    fn encoded(n: usize) -> Vec<u8> {
        let mut out = Vec::new();
        encode_varint(n as u64, &mut out);
        out
    }

    #[test]
    fn avro_refuses_any_value() {
        let err = json!(1)
            .avro_encode(&FieldOptions::default(), &mut Vec::new())
            .unwrap_err();
        assert!(
            matches!(err.kind(), EncodeErrorKind::NoAvroForm { .. }),
            "{err}"
        );
        let mut r = Reader::new(&[0]);
        assert!(Value::avro_decode(&mut r, &FieldOptions::default()).is_err());
    }

    #[test]
    fn literals_keep_the_json_shape() {
        assert_eq!(
            json!({"a": [1, 2.5, "s", null, true]}).to_literal(),
            Literal::Map(vec![(
                "a".into(),
                Literal::List(vec![
                    Literal::Int(1),
                    Literal::Float(2.5),
                    Literal::String("s".into()),
                    Literal::Null,
                    Literal::Bool(true),
                ])
            )])
        );
        assert_eq!(json!(u64::MAX).to_literal(), Literal::Int(u64::MAX.into()));
    }
}
