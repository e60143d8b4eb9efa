//! [`Decimal128`]: a decimal of up to 38 digits (an `i128` unscaled value and a scale), for Avro
//! decimals wider than `rust_decimal`'s 28 digits (`decimal(38, 9)`, the SQL maximum that Java's
//! `BigDecimal` columns usually carry).
//!
//! It maps like `rust_decimal::Decimal` (and needs `#[record(decimal(precision = P, scale =
//! S))]`): Avro `bytes` with logicalType `decimal`, Protobuf `string`, JSON a string (serde
//! writes the plain text, `"-12.50"`, and reads it back). Encoding rescales to the field's
//! scale and fails if that would drop digits or exceed the precision; decoding gives the field's
//! scale. Equality compares the representation (`1.0` and `1.00` differ).
//!
//! ```
//! use kafka_model::decimal128::Decimal128;
//!
//! let d: Decimal128 = "-99999999999999999999999999999.999999999".parse()?;
//! assert_eq!(d.unscaled(), -(10i128.pow(38) - 1));
//! assert_eq!(d.scale(), 9);
//! assert_eq!(d.to_string(), "-99999999999999999999999999999.999999999");
//! # Ok::<(), kafka_model::decimal128::ParseDecimalError>(())
//! ```

use std::fmt;
use std::str::FromStr;

use prost::bytes::{Buf, BufMut};

use crate::avro::{
    AvroCodec, AvroDecode, DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind, Reader,
};
use crate::model::{FieldOptions, FieldType, Literal, Type};
use crate::protobuf::support::{check_wire_type, read_len};
use crate::protobuf::{Error, ErrorKind, IntEncoding, ProtoField, WireType};
use crate::validate::{Scalar, Validate};

/// A decimal `unscaled * 10^-scale` with up to 38 significant digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Decimal128 {
    unscaled: i128,
    scale: u32,
}

/// Text that is not a plain decimal (`-123.45`) of at most 38 digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a decimal of at most 38 digits: `{0}`")]
pub struct ParseDecimalError(String);

impl Decimal128 {
    /// Digits an `i128` always holds.
    pub const MAX_PRECISION: u32 = 38;

    /// `unscaled * 10^-scale`; `None` when the scale exceeds 38.
    pub const fn new(unscaled: i128, scale: u32) -> Option<Self> {
        if scale > Self::MAX_PRECISION {
            None
        } else {
            Some(Decimal128 { unscaled, scale })
        }
    }

    /// The unscaled integer.
    pub const fn unscaled(&self) -> i128 {
        self.unscaled
    }

    /// Digits after the point.
    pub const fn scale(&self) -> u32 {
        self.scale
    }

    /// The same value at `scale`, if no digit is lost and it fits.
    pub fn rescale(&self, scale: u32) -> Option<Self> {
        let unscaled = if scale >= self.scale {
            self.unscaled
                .checked_mul(10i128.checked_pow(scale - self.scale)?)?
        } else {
            let f = 10i128.checked_pow(self.scale - scale)?;
            if self.unscaled % f != 0 {
                return None;
            }
            self.unscaled / f
        };
        Decimal128::new(unscaled, scale)
    }
}

impl fmt::Display for Decimal128 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.unscaled.unsigned_abs().to_string();
        let sign = if self.unscaled < 0 { "-" } else { "" };
        let scale = self.scale as usize;
        if scale == 0 {
            return write!(f, "{sign}{digits}");
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (int, frac) = padded.split_at(padded.len() - scale);
        write!(f, "{sign}{int}.{frac}")
    }
}

impl FromStr for Decimal128 {
    type Err = ParseDecimalError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseDecimalError(s.chars().take(64).collect());
        let (neg, body) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        if int.is_empty() && frac.is_empty()
            || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
        {
            return Err(err());
        }
        let digits = format!("{int}{frac}");
        let digits = digits.trim_start_matches('0');
        if digits.len() > Decimal128::MAX_PRECISION as usize {
            return Err(err());
        }
        let magnitude: i128 = if digits.is_empty() {
            0
        } else {
            digits.parse().map_err(|_| err())?
        };
        let scale = u32::try_from(frac.len()).map_err(|_| err())?;
        Decimal128::new(if neg { -magnitude } else { magnitude }, scale).ok_or_else(err)
    }
}

impl serde::Serialize for Decimal128 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Decimal128 {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl FieldType for Decimal128 {
    const TYPE: Type = Type::Decimal;
    fn to_literal(&self) -> Literal {
        Literal::Decimal {
            unscaled: self.unscaled,
            scale: self.scale,
        }
    }
}

impl AvroCodec for Decimal128 {
    /// An `i128`'s two's complement is at most 16 bytes, after its length.
    fn avro_size_hint(&self, _: &FieldOptions) -> usize {
        crate::avro::MAX_LONG + 16
    }

    fn avro_encode(&self, opts: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let spec = opts
            .decimal
            .ok_or_else(|| EncodeError::new(EncodeErrorKind::DecimalWithoutScale))?;
        let lossy = || {
            EncodeError::new(EncodeErrorKind::DecimalScale {
                value: self.to_string(),
                scale: spec.scale,
            })
        };
        let v = self.rescale(spec.scale).ok_or_else(lossy)?;
        if let Some(limit) = 10u128.checked_pow(spec.precision) {
            if v.unscaled.unsigned_abs() >= limit {
                return Err(lossy());
            }
        }
        if !crate::avro::encode::write_decimal(out, v.unscaled, spec.fixed) {
            return Err(lossy());
        }
        Ok(())
    }
}

impl<'de> AvroDecode<'de> for Decimal128 {
    fn avro_decode(r: &mut Reader<'de>, opts: &FieldOptions) -> Result<Self, DecodeError> {
        let start = r.offset();
        let bytes = crate::avro::read_decimal(r, opts)?;
        let scale = opts.decimal.map_or(0, |d| d.scale);
        crate::avro::twos_complement_to_i128(bytes)
            .and_then(|u| Decimal128::new(u, scale))
            .ok_or_else(|| {
                r.error_at(
                    start,
                    DecodeErrorKind::InvalidValue {
                        expected: "a decimal of at most 128 bits (Decimal128)",
                        found: format!("{} bytes of two's complement", bytes.len()),
                    },
                )
            })
    }
}

/// `string`: the plain text (`"12.50"`), always written; the empty string reads as zero.
impl ProtoField for Decimal128 {
    #[inline]
    fn wire_type(_: IntEncoding) -> WireType {
        WireType::LengthDelimited
    }
    fn encode_value(&self, enc: IntEncoding, buf: &mut impl BufMut) {
        self.to_string().encode_value(enc, buf)
    }
    fn value_len(&self, enc: IntEncoding) -> usize {
        self.to_string().value_len(enc)
    }
    fn decode_value(
        wire_type: WireType,
        _: IntEncoding,
        buf: &mut impl Buf,
        _: u32,
    ) -> Result<Self, Error> {
        check_wire_type(WireType::LengthDelimited, wire_type)?;
        let len = read_len(buf)?;
        if len > 64 {
            buf.advance(len);
            return Err(Error::new(ErrorKind::InvalidValue {
                ty: "Decimal128",
                reason: format!("a decimal text of {len} bytes"),
            }));
        }
        let mut text = [0u8; 64];
        buf.copy_to_slice(&mut text[..len]);
        let text =
            std::str::from_utf8(&text[..len]).map_err(|_| Error::new(ErrorKind::InvalidUtf8))?;
        if text.is_empty() {
            return Ok(Decimal128::default());
        }
        text.parse().map_err(|e: ParseDecimalError| {
            Error::new(ErrorKind::InvalidValue {
                ty: "Decimal128",
                reason: e.to_string(),
            })
        })
    }
    fn absent() -> Result<Self, Error> {
        Ok(Decimal128::default())
    }
    fn clear(&mut self) {
        *self = Decimal128::default();
    }
}

impl Validate for Decimal128 {
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Other
    }
    fn nested() -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips_and_rejects_junk() {
        for s in [
            "0",
            "-0.01",
            "12.50",
            "99999999999999999999999999999.999999999",
            "-1",
        ] {
            assert_eq!(s.parse::<Decimal128>().unwrap().to_string(), s);
        }
        for s in [
            "",
            "-",
            ".",
            "1e5",
            "1.2.3",
            "abc",
            "123456789012345678901234567890123456789",
        ] {
            assert!(s.parse::<Decimal128>().is_err(), "{s}");
        }
        assert_eq!(".5".parse::<Decimal128>().unwrap().to_string(), "0.5");
    }

    #[test]
    fn rescaling_keeps_every_digit_or_fails() {
        let d = Decimal128::new(1250, 2).unwrap();
        assert_eq!(d.rescale(4), Decimal128::new(125_000, 4));
        assert_eq!(d.rescale(1), Decimal128::new(125, 1));
        assert_eq!(d.rescale(0), None);
        assert_eq!(Decimal128::new(i128::MAX, 0).unwrap().rescale(1), None);
    }
}
