//! `()`: the Avro `null` type.
//!
//! A `()` field is Avro `"null"` (zero bytes on the wire), JSON `null` (serde writes `()` as
//! `null`) and Protobuf `google.protobuf.Empty`: never written as a field of a message (always
//! absent, which readers see as the empty message), written as an empty message where presence
//! is explicit (a oneof member). A data-enum variant `Variant(())` is the `"null"` branch of its
//! Avro union.

use prost::bytes::{Buf, BufMut};

use crate::avro::{AvroCodec, AvroDecode, DecodeError, EncodeError, Reader};
use crate::model::{FieldOptions, FieldType, Literal, Type};
use crate::protobuf::support::{check_wire_type, read_len};
use crate::protobuf::{Error, IntEncoding, ProtoField, WireType};
use crate::validate::{Scalar, Validate};

impl FieldType for () {
    const TYPE: Type = Type::Null;
    fn to_literal(&self) -> Literal {
        Literal::Null
    }
}

impl AvroCodec for () {
    #[inline]
    fn avro_encode(&self, _: &FieldOptions, _: &mut Vec<u8>) -> Result<(), EncodeError> {
        Ok(())
    }
}

impl<'de> AvroDecode<'de> for () {
    #[inline]
    fn avro_decode(_: &mut Reader<'de>, _: &FieldOptions) -> Result<Self, DecodeError> {
        Ok(())
    }
}

impl ProtoField for () {
    #[inline]
    fn wire_type(_: IntEncoding) -> WireType {
        WireType::LengthDelimited
    }
    #[inline]
    fn is_default(&self) -> bool {
        true
    }
    #[inline]
    fn encode_value(&self, _: IntEncoding, buf: &mut impl BufMut) {
        // An empty `google.protobuf.Empty`: length 0.
        buf.put_u8(0);
    }
    #[inline]
    fn value_len(&self, _: IntEncoding) -> usize {
        1
    }
    fn decode_value(
        wire_type: WireType,
        _: IntEncoding,
        buf: &mut impl Buf,
        _: u32,
    ) -> Result<Self, Error> {
        // `Empty` has no fields; a newer writer's unknown fields are skipped.
        check_wire_type(WireType::LengthDelimited, wire_type)?;
        let len = read_len(buf)?;
        buf.advance(len);
        Ok(())
    }
    fn absent() -> Result<Self, Error> {
        Ok(())
    }
    fn clear(&mut self) {}
}

impl Validate for () {
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Other
    }
    fn nested() -> bool {
        false
    }
}
