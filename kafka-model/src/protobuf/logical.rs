//! [`ProtoField`] for the optional crates' types: `Uuid` (string), timestamps
//! (`google.protobuf.Timestamp`), dates (`int32` days since 1970-01-01), `Decimal` (string) and
//! `bytes::Bytes` (bytes).

#![allow(unused_imports)]

use prost::bytes::{Buf, BufMut};
use prost::encoding::{encode_key, encode_varint, encoded_len_varint, key_len};

use super::support::{
    bytes_len, check_end, check_wire_type, decode_key, enter_len, enter_message, put_bytes,
    read_len, read_varint, skip_field,
};
use super::{Error, ErrorKind, IntEncoding, ProtoField, WireType};

#[cfg(any(
    feature = "uuid",
    feature = "rust_decimal",
    feature = "chrono",
    feature = "time"
))]
#[cold]
fn invalid(ty: &'static str, reason: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidValue {
        ty,
        reason: reason.into(),
    })
}

#[cfg(any(feature = "uuid", feature = "rust_decimal"))]
/// Reads a short length-delimited string into a stack buffer (no allocation); longer input is
/// an error naming `ty`.
fn read_short<'a, const N: usize>(
    ty: &'static str,
    wire_type: WireType,
    buf: &mut impl Buf,
    out: &'a mut [u8; N],
) -> Result<&'a [u8], Error> {
    check_wire_type(WireType::LengthDelimited, wire_type)?;
    let len = read_len(buf)?;
    if len > N {
        buf.advance(len);
        return Err(invalid(ty, format!("{len} bytes is too long")));
    }
    buf.copy_to_slice(&mut out[..len]);
    Ok(&out[..len])
}

// ---- google.protobuf.Timestamp ------------------------------------------------------------

/// Length of the Timestamp message body.
#[cfg(any(feature = "chrono", feature = "time"))]
#[inline]
fn timestamp_raw_len(seconds: i64, nanos: i32) -> usize {
    (if seconds != 0 {
        1 + encoded_len_varint(seconds as u64)
    } else {
        0
    }) + if nanos != 0 {
        1 + encoded_len_varint(nanos as i64 as u64)
    } else {
        0
    }
}

#[cfg(any(feature = "chrono", feature = "time"))]
#[inline]
fn timestamp_encode(seconds: i64, nanos: i32, buf: &mut impl BufMut) {
    encode_varint(timestamp_raw_len(seconds, nanos) as u64, buf);
    if seconds != 0 {
        encode_key(1, WireType::Varint, buf);
        encode_varint(seconds as u64, buf);
    }
    if nanos != 0 {
        encode_key(2, WireType::Varint, buf);
        encode_varint(nanos as i64 as u64, buf);
    }
}

#[cfg(any(feature = "chrono", feature = "time"))]
#[inline]
fn timestamp_len(seconds: i64, nanos: i32) -> usize {
    let len = timestamp_raw_len(seconds, nanos);
    encoded_len_varint(len as u64) + len
}

/// Reads a Timestamp message: seconds and nanos (checked to be in `0..1_000_000_000`).
#[cfg(any(feature = "chrono", feature = "time"))]
fn timestamp_decode(
    wire_type: WireType,
    buf: &mut impl Buf,
    depth: u32,
) -> Result<(i64, u32), Error> {
    check_wire_type(WireType::LengthDelimited, wire_type)?;
    enter_message(depth)?;
    let end = enter_len(buf)?;
    let (mut seconds, mut nanos) = (0i64, 0i32);
    while buf.remaining() > end {
        let (tag, wire_type) = decode_key(buf)?;
        match tag {
            1 => {
                check_wire_type(WireType::Varint, wire_type)?;
                seconds = read_varint(buf)? as i64;
            }
            2 => {
                check_wire_type(WireType::Varint, wire_type)?;
                nanos = read_varint(buf)? as i32;
            }
            _ => skip_field(wire_type, tag, buf)?,
        }
    }
    check_end(buf, end)?;
    if !(0..1_000_000_000).contains(&nanos) {
        return Err(invalid(
            "Timestamp",
            format!("nanos {nanos} is outside 0..=999999999"),
        ));
    }
    Ok((seconds, nanos as u32))
}

#[cfg(any(feature = "chrono", feature = "time"))]
macro_rules! timestamp_field {
    ($t:ty, $parts:expr, $from:expr, $epoch:expr) => {
        /// `google.protobuf.Timestamp`, always written (a message field).
        impl ProtoField for $t {
            #[inline]
            fn wire_type(_: IntEncoding) -> WireType {
                WireType::LengthDelimited
            }
            #[inline]
            fn encode_value(&self, _: IntEncoding, buf: &mut impl BufMut) {
                let (s, n): (i64, i32) = $parts(self);
                timestamp_encode(s, n, buf)
            }
            #[inline]
            fn value_len(&self, _: IntEncoding) -> usize {
                let (s, n): (i64, i32) = $parts(self);
                timestamp_len(s, n)
            }
            fn decode_value(
                wire_type: WireType,
                _: IntEncoding,
                buf: &mut impl Buf,
                depth: u32,
            ) -> Result<Self, Error> {
                let (s, n) = timestamp_decode(wire_type, buf, depth)?;
                $from(s, n).ok_or_else(|| {
                    invalid(
                        stringify!($t),
                        format!("{s} s {n} ns since the epoch is out of range"),
                    )
                })
            }
            fn absent() -> Result<Self, Error> {
                Ok($epoch)
            }
            fn clear(&mut self) {
                *self = $epoch;
            }
        }
    };
}

#[cfg(feature = "chrono")]
timestamp_field!(
    chrono::DateTime<chrono::Utc>,
    |t: &chrono::DateTime<chrono::Utc>| (t.timestamp(), t.timestamp_subsec_nanos() as i32),
    chrono::DateTime::<chrono::Utc>::from_timestamp,
    chrono::DateTime::<chrono::Utc>::UNIX_EPOCH
);

#[cfg(feature = "time")]
timestamp_field!(
    time::OffsetDateTime,
    |t: &time::OffsetDateTime| (t.unix_timestamp(), t.nanosecond() as i32),
    |s: i64, n: u32| time::OffsetDateTime::from_unix_timestamp_nanos(
        s as i128 * 1_000_000_000 + n as i128
    )
    .ok(),
    time::OffsetDateTime::UNIX_EPOCH
);

// ---- dates: int32 days since 1970-01-01 -------------------------------------------------------

#[cfg(any(feature = "chrono", feature = "time"))]
macro_rules! date_field {
    ($t:ty, $days:expr, $from:expr, $epoch:expr) => {
        /// `int32` days since 1970-01-01; the epoch itself is the default (not written).
        impl ProtoField for $t {
            const PACKED: bool = true;

            #[inline]
            fn wire_type(_: IntEncoding) -> WireType {
                WireType::Varint
            }
            #[inline]
            fn is_default(&self) -> bool {
                $days(self) == 0
            }
            #[inline]
            fn encode_value(&self, _: IntEncoding, buf: &mut impl BufMut) {
                encode_varint($days(self) as i64 as u64, buf)
            }
            #[inline]
            fn value_len(&self, _: IntEncoding) -> usize {
                encoded_len_varint($days(self) as i64 as u64)
            }
            fn decode_value(
                wire_type: WireType,
                _: IntEncoding,
                buf: &mut impl Buf,
                _: u32,
            ) -> Result<Self, Error> {
                check_wire_type(WireType::Varint, wire_type)?;
                let days = read_varint(buf)? as i32;
                $from(days).ok_or_else(|| {
                    invalid(
                        stringify!($t),
                        format!("{days} days from 1970-01-01 is out of range"),
                    )
                })
            }
            fn absent() -> Result<Self, Error> {
                Ok($epoch)
            }
            fn clear(&mut self) {
                *self = $epoch;
            }
        }
    };
}

/// Days from 0001-01-01 (CE day 1) to 1970-01-01.
#[cfg(feature = "chrono")]
const CE_TO_UNIX_DAYS: i32 = 719_163;

#[cfg(feature = "chrono")]
date_field!(
    chrono::NaiveDate,
    |d: &chrono::NaiveDate| d.num_days_from_ce() - CE_TO_UNIX_DAYS,
    |days: i32| days
        .checked_add(CE_TO_UNIX_DAYS)
        .and_then(chrono::NaiveDate::from_num_days_from_ce_opt),
    chrono::NaiveDate::from_num_days_from_ce_opt(CE_TO_UNIX_DAYS).unwrap_or_default()
);

#[cfg(feature = "chrono")]
use chrono::Datelike as _;

/// Julian day number of 1970-01-01.
#[cfg(feature = "time")]
const UNIX_JULIAN_DAY: i32 = 2_440_588;

#[cfg(feature = "time")]
date_field!(
    time::Date,
    |d: &time::Date| d.to_julian_day() - UNIX_JULIAN_DAY,
    |days: i32| days
        .checked_add(UNIX_JULIAN_DAY)
        .and_then(|j| time::Date::from_julian_day(j).ok()),
    time::Date::from_julian_day(UNIX_JULIAN_DAY).unwrap_or(time::Date::MIN)
);

// ---- strings: Uuid, Decimal -------------------------------------------------------------------

/// `string`: lowercase hyphenated, always written. Readers accept every form `uuid` parses, and
/// the empty string (the proto3 default) as the nil UUID.
#[cfg(feature = "uuid")]
impl ProtoField for uuid::Uuid {
    #[inline]
    fn wire_type(_: IntEncoding) -> WireType {
        WireType::LengthDelimited
    }
    #[inline]
    fn encode_value(&self, _: IntEncoding, buf: &mut impl BufMut) {
        let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
        put_bytes(self.hyphenated().encode_lower(&mut text).as_bytes(), buf);
    }
    #[inline]
    fn value_len(&self, _: IntEncoding) -> usize {
        bytes_len(uuid::fmt::Hyphenated::LENGTH)
    }
    fn decode_value(
        wire_type: WireType,
        _: IntEncoding,
        buf: &mut impl Buf,
        _: u32,
    ) -> Result<Self, Error> {
        let mut tmp = [0u8; 45];
        let text = read_short("Uuid", wire_type, buf, &mut tmp)?;
        if text.is_empty() {
            return Ok(uuid::Uuid::nil());
        }
        uuid::Uuid::try_parse_ascii(text).map_err(|e| invalid("Uuid", e.to_string()))
    }
    fn absent() -> Result<Self, Error> {
        Ok(uuid::Uuid::nil())
    }
    fn clear(&mut self) {
        *self = uuid::Uuid::nil();
    }
}

/// A fixed-size text buffer for formatting without allocating.
#[cfg(feature = "rust_decimal")]
struct StackText {
    bytes: [u8; 64],
    len: usize,
}

#[cfg(feature = "rust_decimal")]
impl std::fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let dst = self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[cfg(feature = "rust_decimal")]
fn decimal_text(d: &rust_decimal::Decimal) -> StackText {
    use std::fmt::Write as _;
    let mut out = StackText {
        bytes: [0; 64],
        len: 0,
    };
    // A Decimal prints in at most ~31 characters, so this cannot fail.
    let _ = write!(out, "{d}");
    out
}

/// `string`: the decimal's plain text with its own scale (`"12.50"`), always written. The
/// empty string (the proto3 default) reads as zero.
#[cfg(feature = "rust_decimal")]
impl ProtoField for rust_decimal::Decimal {
    #[inline]
    fn wire_type(_: IntEncoding) -> WireType {
        WireType::LengthDelimited
    }
    #[inline]
    fn encode_value(&self, _: IntEncoding, buf: &mut impl BufMut) {
        let text = decimal_text(self);
        put_bytes(&text.bytes[..text.len], buf);
    }
    #[inline]
    fn value_len(&self, _: IntEncoding) -> usize {
        bytes_len(decimal_text(self).len)
    }
    fn decode_value(
        wire_type: WireType,
        _: IntEncoding,
        buf: &mut impl Buf,
        _: u32,
    ) -> Result<Self, Error> {
        let mut tmp = [0u8; 128];
        let text = read_short("Decimal", wire_type, buf, &mut tmp)?;
        if text.is_empty() {
            return Ok(rust_decimal::Decimal::ZERO);
        }
        let text = std::str::from_utf8(text).map_err(|_| Error::new(ErrorKind::InvalidUtf8))?;
        text.parse::<rust_decimal::Decimal>()
            .or_else(|_| rust_decimal::Decimal::from_scientific(text))
            .map_err(|e| invalid("Decimal", format!("`{text}`: {e}")))
    }
    fn absent() -> Result<Self, Error> {
        Ok(rust_decimal::Decimal::ZERO)
    }
    fn clear(&mut self) {
        *self = rust_decimal::Decimal::ZERO;
    }
}

/// `bytes`, zero-copy when decoding from a `Bytes` buffer.
#[cfg(feature = "bytes")]
impl ProtoField for bytes::Bytes {
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
        put_bytes(self, buf);
    }
    #[inline]
    fn value_len(&self, _: IntEncoding) -> usize {
        bytes_len(self.len())
    }
    fn decode_value(
        wire_type: WireType,
        _: IntEncoding,
        buf: &mut impl Buf,
        _: u32,
    ) -> Result<Self, Error> {
        check_wire_type(WireType::LengthDelimited, wire_type)?;
        let len = read_len(buf)?;
        Ok(buf.copy_to_bytes(len))
    }
    fn absent() -> Result<Self, Error> {
        Ok(bytes::Bytes::new())
    }
    fn clear(&mut self) {
        *self = bytes::Bytes::new();
    }
}
