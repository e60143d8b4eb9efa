//! The Avro `duration` logical type: [`AvroDuration`], months, days and milliseconds.
//!
//! Avro writes a duration as a `fixed` of 12 bytes, three little-endian unsigned 32-bit
//! integers (months, days, milliseconds), each independent of the others (a month is not a
//! number of days, a day not a number of milliseconds: daylight saving). The schema is the
//! `fixed` with `"logicalType": "duration"`; like an unnamed `[u8; N]` field, the fixed is named
//! after the field (`ttl` → `Ttl`, in the record's namespace). For a name of your own, used by
//! many fields, wrap it in a named fixed: `#[record(fixed)]` on a newtype over `AvroDuration`
//! (the same naming as `#[record(fixed)]` over `[u8; N]`).
//!
//! Protobuf has no such type: the field is `bytes` holding the same 12 bytes as Avro. JSON
//! follows serde: `{"months": 1, "days": 2, "millis": 3}` (the JSON Schema says so, each an
//! integer 0 ..= 4294967295).
//!
//! ```
//! use kafka_model::duration::AvroDuration;
//! use kafka_model::Record;
//! use std::time::Duration;
//!
//! #[derive(Record, serde::Serialize, serde::Deserialize, Debug, PartialEq)]
//! #[record(namespace = "acme")]
//! struct Lease { ttl: AvroDuration }
//!
//! let lease = Lease { ttl: AvroDuration::new(1, 2, 3_000) };
//! let schema: serde_json::Value = serde_json::from_str(Lease::schemas().avro()?.json())?;
//! assert_eq!(
//!     schema["fields"][0]["type"],
//!     serde_json::json!({"type": "fixed", "name": "Ttl", "namespace": "acme", "size": 12,
//!                        "logicalType": "duration"})
//! );
//! assert_eq!(lease.to_avro()?, [1, 0, 0, 0, 2, 0, 0, 0, 0xb8, 0x0b, 0, 0]);
//! assert_eq!(Lease::from_avro(&lease.to_avro()?)?, lease);
//!
//! // Exact conversions only: a month has no fixed length.
//! assert_eq!(Duration::try_from(AvroDuration::new(0, 1, 500))?, Duration::from_millis(86_400_500));
//! assert!(Duration::try_from(lease.ttl).is_err());
//! assert_eq!(AvroDuration::try_from(Duration::from_millis(86_400_500))?, AvroDuration::new(0, 1, 500));
//! assert!(AvroDuration::try_from(Duration::from_micros(1)).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use prost::bytes::{Buf, BufMut};

use crate::avro::encode::write_fixed;
use crate::avro::{AvroCodec, AvroDecode, DecodeError, EncodeError, Reader};
use crate::model::{FieldOptions, FieldType, Literal, Type};
use crate::protobuf::{Error, IntEncoding, ProtoField, WireType};
use crate::validate::{Scalar, Validate};

/// Milliseconds in a day, the length `std::time::Duration` gives a day.
const MILLIS_PER_DAY: u64 = 86_400_000;

/// An Avro `duration`: months, days and milliseconds, each an unsigned 32-bit count.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub struct AvroDuration {
    /// Months.
    pub months: u32,
    /// Days.
    pub days: u32,
    /// Milliseconds.
    pub millis: u32,
}

impl AvroDuration {
    /// A duration of `months`, `days` and `millis`.
    pub const fn new(months: u32, days: u32, millis: u32) -> Self {
        AvroDuration {
            months,
            days,
            millis,
        }
    }

    /// The 12 bytes Avro writes: months, days, milliseconds, each little-endian.
    pub fn to_bytes(&self) -> [u8; 12] {
        let mut out = [0u8; 12];
        out[..4].copy_from_slice(&self.months.to_le_bytes());
        out[4..8].copy_from_slice(&self.days.to_le_bytes());
        out[8..].copy_from_slice(&self.millis.to_le_bytes());
        out
    }

    /// Reads the 12 bytes Avro writes. Every 12 bytes are a duration.
    pub fn from_bytes(b: [u8; 12]) -> Self {
        let word = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        AvroDuration::new(word(0), word(4), word(8))
    }
}

/// A conversion between [`AvroDuration`] and [`std::time::Duration`] that would not be exact.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    /// Months have no fixed length.
    #[error("a duration of {0} months has no fixed length")]
    Months(u32),
    /// Below a millisecond, or more days than fit `u32`.
    #[error("{0:?} is not a whole number of milliseconds up to u32::MAX days")]
    NotRepresentable(std::time::Duration),
}

/// Days of 86,400,000 ms plus milliseconds; months must be zero.
impl TryFrom<AvroDuration> for std::time::Duration {
    type Error = DurationError;
    fn try_from(d: AvroDuration) -> Result<Self, DurationError> {
        if d.months != 0 {
            return Err(DurationError::Months(d.months));
        }
        Ok(std::time::Duration::from_millis(
            u64::from(d.days) * MILLIS_PER_DAY + u64::from(d.millis),
        ))
    }
}

/// Whole days and the milliseconds left (no months); exact or an error.
impl TryFrom<std::time::Duration> for AvroDuration {
    type Error = DurationError;
    fn try_from(d: std::time::Duration) -> Result<Self, DurationError> {
        let bad = || DurationError::NotRepresentable(d);
        if !d.subsec_nanos().is_multiple_of(1_000_000) {
            return Err(bad());
        }
        let millis = d.as_millis();
        let days = u32::try_from(millis / u128::from(MILLIS_PER_DAY)).map_err(|_| bad())?;
        // The remainder is below 86,400,000 and fits.
        let rest = (millis % u128::from(MILLIS_PER_DAY)) as u32;
        Ok(AvroDuration::new(0, days, rest))
    }
}

impl FieldType for AvroDuration {
    const TYPE: Type = Type::Duration;
    /// The 12 bytes (Avro's default is the fixed's bytes; JSON's the object).
    fn to_literal(&self) -> Literal {
        Literal::Bytes(self.to_bytes().to_vec())
    }
}

impl AvroCodec for AvroDuration {
    #[inline]
    fn avro_size_hint(&self, _: &FieldOptions) -> usize {
        12
    }
    #[inline]
    fn avro_encode(&self, _: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        write_fixed(out, &self.to_bytes());
        Ok(())
    }
}

impl<'de> AvroDecode<'de> for AvroDuration {
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, _: &FieldOptions) -> Result<Self, DecodeError> {
        let mut b = [0u8; 12];
        b.copy_from_slice(r.read_fixed(12)?);
        Ok(AvroDuration::from_bytes(b))
    }
}

/// `bytes`: the 12 bytes of the Avro fixed.
impl ProtoField for AvroDuration {
    #[inline]
    fn wire_type(e: IntEncoding) -> WireType {
        <[u8; 12]>::wire_type(e)
    }
    #[inline]
    fn encode_value(&self, e: IntEncoding, buf: &mut impl BufMut) {
        self.to_bytes().encode_value(e, buf)
    }
    #[inline]
    fn value_len(&self, e: IntEncoding) -> usize {
        self.to_bytes().value_len(e)
    }
    fn decode_value(
        wire_type: WireType,
        e: IntEncoding,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<Self, Error> {
        <[u8; 12]>::decode_value(wire_type, e, buf, depth).map(AvroDuration::from_bytes)
    }
    fn absent() -> Result<Self, Error> {
        <[u8; 12]>::absent().map(AvroDuration::from_bytes)
    }
    fn clear(&mut self) {
        *self = AvroDuration::default();
    }
}

impl Validate for AvroDuration {
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
    fn bytes_are_three_little_endian_words() {
        let d = AvroDuration::new(0x0102_0304, 5, u32::MAX);
        let b = d.to_bytes();
        assert_eq!(b, [4, 3, 2, 1, 5, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
        assert_eq!(AvroDuration::from_bytes(b), d);
    }

    #[test]
    fn std_conversions_are_exact_or_errors() {
        let max =
            std::time::Duration::from_millis(u64::from(u32::MAX) * MILLIS_PER_DAY + 86_399_999);
        let d = AvroDuration::try_from(max).unwrap();
        assert_eq!(d, AvroDuration::new(0, u32::MAX, 86_399_999));
        assert_eq!(std::time::Duration::try_from(d).unwrap(), max);
        assert!(AvroDuration::try_from(max + std::time::Duration::from_millis(1)).is_err());
        assert_eq!(
            std::time::Duration::try_from(AvroDuration::new(1, 0, 0)),
            Err(DurationError::Months(1))
        );
    }
}
