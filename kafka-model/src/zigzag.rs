//! ZigZag mapping of signed integers onto unsigned ones (0, -1, 1, -2, … → 0, 1, 2, 3, …), used
//! by Avro `int`/`long`, Protobuf `sint32`/`sint64` and Confluent message indexes.
//!
//! ```
//! use kafka_model::zigzag;
//! assert_eq!(zigzag::encode64(-1), 1);
//! assert_eq!(zigzag::decode64(zigzag::encode64(i64::MIN)), i64::MIN);
//! assert_eq!(zigzag::encode32(1), 2);
//! assert_eq!(zigzag::decode32(3), -2);
//! ```

/// ZigZag of a 64-bit value.
#[inline(always)]
pub const fn encode64(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// Inverse of [`encode64`].
#[inline(always)]
pub const fn decode64(z: u64) -> i64 {
    ((z >> 1) as i64) ^ -((z & 1) as i64)
}

/// ZigZag of a 32-bit value.
#[inline(always)]
pub const fn encode32(v: i32) -> u32 {
    ((v << 1) ^ (v >> 31)) as u32
}

/// Inverse of [`encode32`].
#[inline(always)]
pub const fn decode32(z: u32) -> i32 {
    ((z >> 1) as i32) ^ -((z & 1) as i32)
}
