//! Times of day and local date-times: `chrono::NaiveTime` / `time::Time` (Avro `time-micros`,
//! or `time-millis` with `#[record(timestamp = "millis")]`) and `chrono::NaiveDateTime`
//! (Avro `local-timestamp-micros`, or `local-timestamp-millis`).
//!
//! Protobuf has no well-known type for either: both are `int64` (microseconds since midnight,
//! microseconds since 1970-01-01T00:00 on the wall clock). JSON follows serde (`"10:30:00.5"`,
//! `"2024-01-31T10:30:00"`). Values the Avro type cannot hold (a chrono leap second at
//! 23:59:60) are encode errors; values out of range on the wire are decode errors.

use prost::bytes::{Buf, BufMut};

use crate::avro::encode::write_long;
use crate::avro::{
    AvroCodec, AvroDecode, DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind, Reader,
};
use crate::model::{FieldOptions, FieldType, Literal, TimePrecision, Type};
use crate::protobuf::{Error, ErrorKind, IntEncoding, ProtoField, WireType};
use crate::validate::{Scalar, Validate};

const NANOS_PER_DAY: u64 = 86_400 * 1_000_000_000;

/// Nanoseconds in one unit of the Avro logical type, and the type's name for errors.
fn unit(opts: &FieldOptions, local_timestamp: bool) -> (i128, &'static str) {
    match (opts.timestamp, local_timestamp) {
        (TimePrecision::Millis, false) => (1_000_000, "int time-millis"),
        (TimePrecision::Micros, false) => (1_000, "long time-micros"),
        (TimePrecision::Millis, true) => (1_000_000, "long local-timestamp-millis"),
        (TimePrecision::Micros, true) => (1_000, "long local-timestamp-micros"),
    }
}

/// Writes a time of day (nanoseconds since midnight) in the field's unit.
fn encode_time(nanos: u64, opts: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    let (unit, avro_type) = unit(opts, false);
    if nanos >= NANOS_PER_DAY {
        return Err(EncodeError::new(EncodeErrorKind::OutOfRange {
            avro_type,
            value: i128::from(nanos) / unit,
        }));
    }
    write_long(out, (i128::from(nanos) / unit) as i64);
    Ok(())
}

/// Reads a time of day in the field's unit as nanoseconds since midnight.
fn decode_time(r: &mut Reader<'_>, opts: &FieldOptions) -> Result<u64, DecodeError> {
    let start = r.offset();
    let v = r.read_long()?;
    let (unit, _) = unit(opts, false);
    let nanos = i128::from(v) * unit;
    if !(0..i128::from(NANOS_PER_DAY)).contains(&nanos) {
        return Err(r.error_at(
            start,
            DecodeErrorKind::InvalidValue {
                expected: "a time of day (0 up to, not including, 24:00)",
                found: v.to_string(),
            },
        ));
    }
    Ok(nanos as u64)
}

fn proto_out_of_range(ty: &'static str, value: i64) -> Error {
    Error::new(ErrorKind::OutOfRange {
        ty,
        value: i128::from(value),
    })
}

/// The time-of-day types: nanoseconds since midnight and back.
macro_rules! time_of_day {
    ($t:ty, $name:literal, $to:expr, $from:expr) => {
        impl FieldType for $t {
            const TYPE: Type = Type::Time;
            fn to_literal(&self) -> Literal {
                Literal::Time($to(self))
            }
        }

        impl AvroCodec for $t {
            #[inline]
            fn avro_size_hint(&self, _: &FieldOptions) -> usize {
                crate::avro::MAX_LONG
            }

            #[inline]
            fn avro_encode(
                &self,
                opts: &FieldOptions,
                out: &mut Vec<u8>,
            ) -> Result<(), EncodeError> {
                encode_time($to(self), opts, out)
            }
        }

        impl<'de> AvroDecode<'de> for $t {
            #[inline]
            fn avro_decode(r: &mut Reader<'de>, opts: &FieldOptions) -> Result<Self, DecodeError> {
                let start = r.offset();
                let nanos = decode_time(r, opts)?;
                $from(nanos).ok_or_else(|| {
                    r.error_at(
                        start,
                        DecodeErrorKind::InvalidValue {
                            expected: "a time of day",
                            found: nanos.to_string(),
                        },
                    )
                })
            }
        }

        /// `int64` microseconds since midnight.
        impl ProtoField for $t {
            #[inline]
            fn wire_type(_: IntEncoding) -> WireType {
                WireType::Varint
            }
            #[inline]
            fn is_default(&self) -> bool {
                $to(self) / 1_000 == 0
            }
            #[inline]
            fn encode_value(&self, enc: IntEncoding, buf: &mut impl BufMut) {
                ((($to(self)) / 1_000) as i64).encode_value(enc, buf)
            }
            #[inline]
            fn value_len(&self, enc: IntEncoding) -> usize {
                ((($to(self)) / 1_000) as i64).value_len(enc)
            }
            fn decode_value(
                wire_type: WireType,
                enc: IntEncoding,
                buf: &mut impl Buf,
                depth: u32,
            ) -> Result<Self, Error> {
                let micros = i64::decode_value(wire_type, enc, buf, depth)?;
                u64::try_from(micros)
                    .ok()
                    .filter(|m| *m < NANOS_PER_DAY / 1_000)
                    .and_then(|m| $from(m * 1_000))
                    .ok_or_else(|| proto_out_of_range($name, micros))
            }
            fn absent() -> Result<Self, Error> {
                $from(0).ok_or_else(|| proto_out_of_range($name, 0))
            }
            fn clear(&mut self) {
                if let Some(midnight) = $from(0) {
                    *self = midnight;
                }
            }
        }

        impl Validate for $t {
            fn scalar(&self) -> Scalar<'_> {
                Scalar::Other
            }
            fn nested() -> bool {
                false
            }
        }
    };
}

#[cfg(feature = "chrono")]
fn chrono_time_nanos(t: &chrono::NaiveTime) -> u64 {
    use chrono::Timelike;
    // A leap second (nanosecond >= 1e9) lands at or after 24:00 only at 23:59:60.
    u64::from(t.num_seconds_from_midnight()) * 1_000_000_000 + u64::from(t.nanosecond())
}

#[cfg(feature = "chrono")]
fn chrono_time_from(nanos: u64) -> Option<chrono::NaiveTime> {
    chrono::NaiveTime::from_num_seconds_from_midnight_opt(
        u32::try_from(nanos / 1_000_000_000).ok()?,
        (nanos % 1_000_000_000) as u32,
    )
}

#[cfg(feature = "chrono")]
time_of_day!(
    chrono::NaiveTime,
    "NaiveTime",
    chrono_time_nanos,
    chrono_time_from
);

#[cfg(feature = "time")]
fn time_time_nanos(t: &time::Time) -> u64 {
    let (h, m, s, n) = t.as_hms_nano();
    (u64::from(h) * 3600 + u64::from(m) * 60 + u64::from(s)) * 1_000_000_000 + u64::from(n)
}

#[cfg(feature = "time")]
fn time_time_from(nanos: u64) -> Option<time::Time> {
    let secs = nanos / 1_000_000_000;
    time::Time::from_hms_nano(
        u8::try_from(secs / 3600).ok()?,
        (secs / 60 % 60) as u8,
        (secs % 60) as u8,
        (nanos % 1_000_000_000) as u32,
    )
    .ok()
}

#[cfg(feature = "time")]
time_of_day!(time::Time, "time::Time", time_time_nanos, time_time_from);

// --- local date-times -------------------------------------------------------------------------

#[cfg(feature = "chrono")]
fn local_nanos(t: &chrono::NaiveDateTime) -> i128 {
    let utc = t.and_utc();
    i128::from(utc.timestamp()) * 1_000_000_000 + i128::from(utc.timestamp_subsec_nanos())
}

#[cfg(feature = "chrono")]
fn local_from(nanos: i128) -> Option<chrono::NaiveDateTime> {
    let secs = i64::try_from(nanos.div_euclid(1_000_000_000)).ok()?;
    chrono::DateTime::from_timestamp(secs, nanos.rem_euclid(1_000_000_000) as u32)
        .map(|d| d.naive_utc())
}

#[cfg(feature = "chrono")]
impl FieldType for chrono::NaiveDateTime {
    const TYPE: Type = Type::LocalTimestamp;
    fn to_literal(&self) -> Literal {
        let utc = self.and_utc();
        Literal::Timestamp {
            seconds: utc.timestamp(),
            nanos: utc.timestamp_subsec_nanos(),
        }
    }
}

#[cfg(feature = "chrono")]
impl AvroCodec for chrono::NaiveDateTime {
    #[inline]
    fn avro_size_hint(&self, _: &FieldOptions) -> usize {
        crate::avro::MAX_LONG
    }

    #[inline]
    fn avro_encode(&self, opts: &FieldOptions, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let (unit, avro_type) = unit(opts, true);
        let v = local_nanos(self).div_euclid(unit);
        let v = i64::try_from(v).map_err(|_| {
            EncodeError::new(EncodeErrorKind::OutOfRange {
                avro_type,
                value: v,
            })
        })?;
        write_long(out, v);
        Ok(())
    }
}

#[cfg(feature = "chrono")]
impl<'de> AvroDecode<'de> for chrono::NaiveDateTime {
    #[inline]
    fn avro_decode(r: &mut Reader<'de>, opts: &FieldOptions) -> Result<Self, DecodeError> {
        let start = r.offset();
        let v = r.read_long()?;
        let (unit, _) = unit(opts, true);
        local_from(i128::from(v) * unit).ok_or_else(|| {
            r.error_at(
                start,
                DecodeErrorKind::InvalidValue {
                    expected: "a local date-time within the Rust type's range",
                    found: v.to_string(),
                },
            )
        })
    }
}

/// `int64` microseconds since 1970-01-01T00:00 on the wall clock.
#[cfg(feature = "chrono")]
impl ProtoField for chrono::NaiveDateTime {
    #[inline]
    fn wire_type(_: IntEncoding) -> WireType {
        WireType::Varint
    }
    #[inline]
    fn is_default(&self) -> bool {
        local_nanos(self).div_euclid(1_000) == 0
    }
    #[inline]
    fn encode_value(&self, enc: IntEncoding, buf: &mut impl BufMut) {
        // chrono's range (about ±262,000 years) fits i64 microseconds.
        (local_nanos(self).div_euclid(1_000) as i64).encode_value(enc, buf)
    }
    #[inline]
    fn value_len(&self, enc: IntEncoding) -> usize {
        (local_nanos(self).div_euclid(1_000) as i64).value_len(enc)
    }
    fn decode_value(
        wire_type: WireType,
        enc: IntEncoding,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<Self, Error> {
        let micros = i64::decode_value(wire_type, enc, buf, depth)?;
        local_from(i128::from(micros) * 1_000)
            .ok_or_else(|| proto_out_of_range("NaiveDateTime", micros))
    }
    fn absent() -> Result<Self, Error> {
        Ok(chrono::DateTime::UNIX_EPOCH.naive_utc())
    }
    fn clear(&mut self) {
        *self = chrono::DateTime::UNIX_EPOCH.naive_utc();
    }
}

#[cfg(feature = "chrono")]
impl Validate for chrono::NaiveDateTime {
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Other
    }
    fn nested() -> bool {
        false
    }
}
