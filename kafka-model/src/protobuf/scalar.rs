//! [`ProtoField`] for `bool`, the integers, the floats, `String` and `[u8; N]`.

use prost::bytes::{Buf, BufMut};
use prost::encoding::{encode_key, encode_varint, encoded_len_varint, key_len};

use super::support::{
    bytes_len, check_wire_type, put_bytes, read_bytes_into, read_len, read_varint,
};
use super::{Error, ErrorKind, IntEncoding, ProtoField, WireType};

/// Reads 4 or 8 little-endian bytes, checking that they are there.
#[inline(always)]
fn read_fixed<const N: usize>(wire_type: WireType, buf: &mut impl Buf) -> Result<[u8; N], Error> {
    let expected = if N == 4 {
        WireType::ThirtyTwoBit
    } else {
        WireType::SixtyFourBit
    };
    check_wire_type(expected, wire_type)?;
    if buf.remaining() < N {
        return Err(Error::new(ErrorKind::Truncated {
            needed: N as u64,
            remaining: buf.remaining(),
        }));
    }
    let mut out = [0u8; N];
    buf.copy_to_slice(&mut out);
    Ok(out)
}

impl ProtoField for bool {
    const PACKED: bool = true;

    #[inline]
    fn wire_type(_: IntEncoding) -> WireType {
        WireType::Varint
    }
    #[inline]
    fn is_default(&self) -> bool {
        !*self
    }
    #[inline]
    fn encode_value(&self, _: IntEncoding, buf: &mut impl BufMut) {
        buf.put_u8(*self as u8);
    }
    #[inline]
    fn value_len(&self, _: IntEncoding) -> usize {
        1
    }
    #[inline]
    fn decode_value(
        wire_type: WireType,
        _: IntEncoding,
        buf: &mut impl Buf,
        _: u32,
    ) -> Result<Self, Error> {
        check_wire_type(WireType::Varint, wire_type)?;
        Ok(read_varint(buf)? != 0)
    }
    fn absent() -> Result<Self, Error> {
        Ok(false)
    }
    fn clear(&mut self) {
        *self = false;
    }
}

/// Integers carried as 32-bit protobuf values (`int32`/`sint32`/`sfixed32`, `uint32`/`fixed32`).
macro_rules! int32_field {
    ($($t:ty => $signed:expr),* $(,)?) => {$(
        impl ProtoField for $t {
            const PACKED: bool = true;

            #[inline]
            fn wire_type(enc: IntEncoding) -> WireType {
                match enc {
                    IntEncoding::Fixed => WireType::ThirtyTwoBit,
                    _ => WireType::Varint,
                }
            }
            #[inline]
            fn is_default(&self) -> bool {
                *self == 0
            }
            #[inline]
            fn encode_value(&self, enc: IntEncoding, buf: &mut impl BufMut) {
                if $signed {
                    let v = *self as i32;
                    match enc {
                        IntEncoding::Varint => encode_varint(v as i64 as u64, buf),
                        IntEncoding::Zigzag => encode_varint(u64::from(crate::zigzag::encode32(v)), buf),
                        IntEncoding::Fixed => buf.put_i32_le(v),
                    }
                } else {
                    let v = *self as u32;
                    match enc {
                        IntEncoding::Fixed => buf.put_u32_le(v),
                        _ => encode_varint(v as u64, buf),
                    }
                }
            }
            #[inline]
            fn value_len(&self, enc: IntEncoding) -> usize {
                if $signed {
                    let v = *self as i32;
                    match enc {
                        IntEncoding::Varint => encoded_len_varint(v as i64 as u64),
                        IntEncoding::Zigzag => encoded_len_varint(u64::from(crate::zigzag::encode32(v))),
                        IntEncoding::Fixed => 4,
                    }
                } else {
                    match enc {
                        IntEncoding::Fixed => 4,
                        _ => encoded_len_varint(*self as u64),
                    }
                }
            }
            #[inline]
            fn decode_value(
                wire_type: WireType,
                enc: IntEncoding,
                buf: &mut impl Buf,
                _: u32,
            ) -> Result<Self, Error> {
                let v: i64 = if $signed {
                    (match enc {
                        IntEncoding::Varint => {
                            check_wire_type(WireType::Varint, wire_type)?;
                            read_varint(buf)? as i32
                        }
                        IntEncoding::Zigzag => {
                            check_wire_type(WireType::Varint, wire_type)?;
                            crate::zigzag::decode32(read_varint(buf)? as u32)
                        }
                        IntEncoding::Fixed => i32::from_le_bytes(read_fixed::<4>(wire_type, buf)?),
                    }) as i64
                } else {
                    (match enc {
                        IntEncoding::Fixed => u32::from_le_bytes(read_fixed::<4>(wire_type, buf)?),
                        _ => {
                            check_wire_type(WireType::Varint, wire_type)?;
                            read_varint(buf)? as u32
                        }
                    }) as i64
                };
                <$t>::try_from(v).map_err(|_| {
                    Error::new(ErrorKind::OutOfRange { ty: stringify!($t), value: v as i128 })
                })
            }
            fn absent() -> Result<Self, Error> {
                Ok(0)
            }
            fn clear(&mut self) {
                *self = 0;
            }
        }
    )*};
}
int32_field!(i8 => true, i16 => true, i32 => true, u16 => false, u32 => false);

impl ProtoField for i64 {
    const PACKED: bool = true;

    #[inline]
    fn wire_type(enc: IntEncoding) -> WireType {
        match enc {
            IntEncoding::Fixed => WireType::SixtyFourBit,
            _ => WireType::Varint,
        }
    }
    #[inline]
    fn is_default(&self) -> bool {
        *self == 0
    }
    #[inline]
    fn encode_value(&self, enc: IntEncoding, buf: &mut impl BufMut) {
        let v = *self;
        match enc {
            IntEncoding::Varint => encode_varint(v as u64, buf),
            IntEncoding::Zigzag => encode_varint(crate::zigzag::encode64(v), buf),
            IntEncoding::Fixed => buf.put_i64_le(v),
        }
    }
    #[inline]
    fn value_len(&self, enc: IntEncoding) -> usize {
        let v = *self;
        match enc {
            IntEncoding::Varint => encoded_len_varint(v as u64),
            IntEncoding::Zigzag => encoded_len_varint(crate::zigzag::encode64(v)),
            IntEncoding::Fixed => 8,
        }
    }
    #[inline]
    fn decode_value(
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut impl Buf,
        _: u32,
    ) -> Result<Self, Error> {
        Ok(match enc {
            IntEncoding::Varint => {
                check_wire_type(WireType::Varint, wire_type)?;
                read_varint(buf)? as i64
            }
            IntEncoding::Zigzag => {
                check_wire_type(WireType::Varint, wire_type)?;
                crate::zigzag::decode64(read_varint(buf)?)
            }
            IntEncoding::Fixed => i64::from_le_bytes(read_fixed::<8>(wire_type, buf)?),
        })
    }
    fn absent() -> Result<Self, Error> {
        Ok(0)
    }
    fn clear(&mut self) {
        *self = 0;
    }
}

impl ProtoField for u64 {
    const PACKED: bool = true;

    #[inline]
    fn wire_type(enc: IntEncoding) -> WireType {
        match enc {
            IntEncoding::Fixed => WireType::SixtyFourBit,
            _ => WireType::Varint,
        }
    }
    #[inline]
    fn is_default(&self) -> bool {
        *self == 0
    }
    #[inline]
    fn encode_value(&self, enc: IntEncoding, buf: &mut impl BufMut) {
        match enc {
            IntEncoding::Fixed => buf.put_u64_le(*self),
            _ => encode_varint(*self, buf),
        }
    }
    #[inline]
    fn value_len(&self, enc: IntEncoding) -> usize {
        match enc {
            IntEncoding::Fixed => 8,
            _ => encoded_len_varint(*self),
        }
    }
    #[inline]
    fn decode_value(
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut impl Buf,
        _: u32,
    ) -> Result<Self, Error> {
        match enc {
            IntEncoding::Fixed => Ok(u64::from_le_bytes(read_fixed::<8>(wire_type, buf)?)),
            _ => {
                check_wire_type(WireType::Varint, wire_type)?;
                read_varint(buf)
            }
        }
    }
    fn absent() -> Result<Self, Error> {
        Ok(0)
    }
    fn clear(&mut self) {
        *self = 0;
    }
}

/// `u8` is `uint32` on its own, and `Vec<u8>` is `bytes`.
impl ProtoField for u8 {
    const PACKED: bool = true;

    #[inline]
    fn wire_type(enc: IntEncoding) -> WireType {
        <u32 as ProtoField>::wire_type(enc)
    }
    #[inline]
    fn is_default(&self) -> bool {
        *self == 0
    }
    #[inline]
    fn encode_value(&self, enc: IntEncoding, buf: &mut impl BufMut) {
        (*self as u32).encode_value(enc, buf)
    }
    #[inline]
    fn value_len(&self, enc: IntEncoding) -> usize {
        (*self as u32).value_len(enc)
    }
    #[inline]
    fn decode_value(
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<Self, Error> {
        let v = u32::decode_value(wire_type, enc, buf, depth)?;
        u8::try_from(v).map_err(|_| {
            Error::new(ErrorKind::OutOfRange {
                ty: "u8",
                value: v as i128,
            })
        })
    }
    fn absent() -> Result<Self, Error> {
        Ok(0)
    }
    fn clear(&mut self) {
        *self = 0;
    }

    #[inline]
    fn vec_encode_field(items: &[Self], tag: u32, enc: IntEncoding, buf: &mut impl BufMut) {
        if !items.is_empty() {
            Self::vec_encode_present(items, tag, enc, buf);
        }
    }
    #[inline]
    fn vec_encoded_len_field(items: &[Self], tag: u32, enc: IntEncoding) -> usize {
        if items.is_empty() {
            0
        } else {
            Self::vec_encoded_len_present(items, tag, enc)
        }
    }
    #[inline]
    fn vec_encode_present(items: &[Self], tag: u32, _: IntEncoding, buf: &mut impl BufMut) {
        encode_key(tag, WireType::LengthDelimited, buf);
        put_bytes(items, buf);
    }
    #[inline]
    fn vec_encoded_len_present(items: &[Self], tag: u32, _: IntEncoding) -> usize {
        key_len(tag) + bytes_len(items.len())
    }
    #[inline]
    fn vec_merge(
        items: &mut Vec<Self>,
        wire_type: WireType,
        _: IntEncoding,
        buf: &mut impl Buf,
        _: u32,
    ) -> Result<(), Error> {
        // `bytes`: the last occurrence wins.
        check_wire_type(WireType::LengthDelimited, wire_type)?;
        let len = read_len(buf)?;
        read_bytes_into(buf, len, items);
        Ok(())
    }
    // `Vec<u8>` is `bytes`, a single value already: no wrapper.
    #[inline]
    fn vec_nested_encode(items: &[Self], tag: u32, enc: IntEncoding, buf: &mut impl BufMut) {
        Self::vec_encode_present(items, tag, enc, buf)
    }
    #[inline]
    fn vec_nested_len(items: &[Self], tag: u32, enc: IntEncoding) -> usize {
        Self::vec_encoded_len_present(items, tag, enc)
    }
    #[inline]
    fn vec_nested_merge(
        items: &mut Vec<Self>,
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<(), Error> {
        Self::vec_merge(items, wire_type, enc, buf, depth)
    }
}

macro_rules! float_field {
    ($t:ty, $n:literal, $wire:ident, $put:ident) => {
        impl ProtoField for $t {
            const PACKED: bool = true;

            #[inline]
            fn wire_type(_: IntEncoding) -> WireType {
                WireType::$wire
            }
            /// The default by bit pattern: `-0.0` is written (as the C++, Java and Python
            /// runtimes do).
            #[inline]
            fn is_default(&self) -> bool {
                self.to_bits() == 0
            }
            #[inline]
            fn encode_value(&self, _: IntEncoding, buf: &mut impl BufMut) {
                buf.$put(*self);
            }
            #[inline]
            fn value_len(&self, _: IntEncoding) -> usize {
                $n
            }
            #[inline]
            fn decode_value(
                wire_type: WireType,
                _: IntEncoding,
                buf: &mut impl Buf,
                _: u32,
            ) -> Result<Self, Error> {
                Ok(<$t>::from_le_bytes(read_fixed::<$n>(wire_type, buf)?))
            }
            fn absent() -> Result<Self, Error> {
                Ok(0.0)
            }
            fn clear(&mut self) {
                *self = 0.0;
            }
        }
    };
}
float_field!(f32, 4, ThirtyTwoBit, put_f32_le);
float_field!(f64, 8, SixtyFourBit, put_f64_le);

impl ProtoField for String {
    #[inline]
    fn wire_type(_: IntEncoding) -> WireType {
        WireType::LengthDelimited
    }
    #[inline]
    fn is_default(&self) -> bool {
        self.is_empty()
    }
    #[inline]
    fn encode_value(&self, _: IntEncoding, buf: &mut impl BufMut) {
        put_bytes(self.as_bytes(), buf);
    }
    #[inline]
    fn value_len(&self, _: IntEncoding) -> usize {
        bytes_len(self.len())
    }
    #[inline]
    fn decode_value(
        wire_type: WireType,
        _: IntEncoding,
        buf: &mut impl Buf,
        _: u32,
    ) -> Result<Self, Error> {
        check_wire_type(WireType::LengthDelimited, wire_type)?;
        let len = read_len(buf)?;
        let mut bytes = Vec::new();
        read_bytes_into(buf, len, &mut bytes);
        String::from_utf8(bytes).map_err(|_| Error::new(ErrorKind::InvalidUtf8))
    }
    #[inline]
    fn merge_value(
        &mut self,
        wire_type: WireType,
        _: IntEncoding,
        buf: &mut impl Buf,
        _: u32,
    ) -> Result<(), Error> {
        // Reuse the string's allocation.
        check_wire_type(WireType::LengthDelimited, wire_type)?;
        let len = read_len(buf)?;
        let mut bytes = std::mem::take(self).into_bytes();
        read_bytes_into(buf, len, &mut bytes);
        *self = String::from_utf8(bytes).map_err(|_| Error::new(ErrorKind::InvalidUtf8))?;
        Ok(())
    }
    fn absent() -> Result<Self, Error> {
        Ok(String::new())
    }
    fn clear(&mut self) {
        String::clear(self);
    }
}

/// `[u8; N]` is `bytes` of exactly N bytes, always written.
impl<const N: usize> ProtoField for [u8; N] {
    #[inline]
    fn wire_type(_: IntEncoding) -> WireType {
        WireType::LengthDelimited
    }
    #[inline]
    fn is_default(&self) -> bool {
        N == 0
    }
    #[inline]
    fn encode_value(&self, _: IntEncoding, buf: &mut impl BufMut) {
        put_bytes(self, buf);
    }
    #[inline]
    fn value_len(&self, _: IntEncoding) -> usize {
        bytes_len(N)
    }
    fn decode_value(
        wire_type: WireType,
        _: IntEncoding,
        buf: &mut impl Buf,
        _: u32,
    ) -> Result<Self, Error> {
        check_wire_type(WireType::LengthDelimited, wire_type)?;
        let len = read_len(buf)?;
        if len != N {
            buf.advance(len);
            return Err(fixed_len_error(N, len));
        }
        let mut out = [0u8; N];
        buf.copy_to_slice(&mut out);
        Ok(out)
    }
    fn absent() -> Result<Self, Error> {
        if N == 0 {
            Ok([0u8; N])
        } else {
            Err(fixed_len_error(N, 0))
        }
    }
    fn clear(&mut self) {
        *self = [0u8; N];
    }
}

#[cold]
fn fixed_len_error(expected: usize, found: usize) -> Error {
    Error::new(ErrorKind::InvalidValue {
        ty: "[u8; N]",
        reason: format!("expected exactly {expected} bytes, found {found}"),
    })
}
