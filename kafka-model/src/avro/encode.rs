//! Encoding primitives of the Avro binary format: what the generated codecs call.
//!
//! ```
//! use kafka_model::avro::encode;
//!
//! let mut out = Vec::new();
//! encode::write_long(&mut out, -3);
//! encode::write_str(&mut out, "hi");
//! encode::write_double(&mut out, 1.0);
//! assert_eq!(out, [0x05, 0x04, b'h', b'i', 0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
//! ```

use super::error::{EncodeError, EncodeErrorKind};

/// Writes an Avro `long`: zigzag, then base-128 varint (at most 10 bytes).
#[inline(always)]
pub fn write_long(out: &mut Vec<u8>, v: i64) {
    let mut z = crate::zigzag::encode64(v);
    while z >= 0x80 {
        out.push((z as u8) | 0x80);
        z >>= 7;
    }
    out.push(z as u8);
}

/// Writes an Avro `int` (the same varint as a `long`, at most 5 bytes).
#[inline]
pub fn write_int(out: &mut Vec<u8>, v: i32) {
    write_long(out, i64::from(v));
}

/// Writes an Avro `boolean`: one byte, 0 or 1.
#[inline]
pub fn write_bool(out: &mut Vec<u8>, v: bool) {
    out.push(u8::from(v));
}

/// Writes an Avro `float`: 4 bytes little-endian.
#[inline]
pub fn write_float(out: &mut Vec<u8>, v: f32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// Writes an Avro `double`: 8 bytes little-endian.
#[inline]
pub fn write_double(out: &mut Vec<u8>, v: f64) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// Writes Avro `bytes`: the length as a `long`, then the bytes.
#[inline]
pub fn write_bytes(out: &mut Vec<u8>, v: &[u8]) {
    write_len(out, v.len());
    out.extend_from_slice(v);
}

/// Writes an Avro `string`: the UTF-8 length as a `long`, then the bytes.
#[inline]
pub fn write_str(out: &mut Vec<u8>, v: &str) {
    write_bytes(out, v.as_bytes());
}

/// Writes an Avro `fixed`: the bytes, no length.
#[inline]
pub fn write_fixed(out: &mut Vec<u8>, v: &[u8]) {
    out.extend_from_slice(v);
}

/// Writes a length or count (a `usize` always fits a `long` on supported platforms).
#[inline]
pub fn write_len(out: &mut Vec<u8>, len: usize) {
    write_long(out, len as i64);
}

/// Writes a union branch index or an enum symbol index.
#[inline]
pub fn write_index(out: &mut Vec<u8>, index: usize) {
    write_long(out, index as i64);
}

/// Writes an array or map header for `len` items: one block of `len` items (nothing for an
/// empty collection); finish it with [`write_block_end`].
#[inline]
pub fn write_block_start(out: &mut Vec<u8>, len: usize) -> Result<(), EncodeError> {
    if len > i64::MAX as usize {
        return Err(EncodeError::new(EncodeErrorKind::TooLong(len)));
    }
    if len > 0 {
        write_len(out, len);
    }
    Ok(())
}

/// Ends an array or map: the zero-count block.
#[inline]
pub fn write_block_end(out: &mut Vec<u8>) {
    out.push(0);
}

/// Writes an unscaled decimal: as Avro `bytes` (the shortest two's complement after its
/// length) or, with `fixed = Some(n)`, as exactly `n` bytes sign-extended. `false` when the
/// value does not fit `n` bytes (nothing written).
pub fn write_decimal(out: &mut Vec<u8>, unscaled: i128, fixed: Option<usize>) -> bool {
    let (buf, start) = twos_complement(unscaled);
    let Some(n) = fixed else {
        write_bytes(out, &buf[start..]);
        return true;
    };
    let len = 16 - start;
    if len > n {
        return false;
    }
    let fill = if unscaled < 0 { 0xff } else { 0x00 };
    out.extend(std::iter::repeat_n(fill, n - len));
    out.extend_from_slice(&buf[start..]);
    true
}

/// The minimal big-endian two's-complement bytes of `v` (as Avro decimals are written), in a
/// stack buffer: `(buffer, start)`; the bytes are `buffer[start..]`.
#[inline]
pub fn twos_complement(v: i128) -> ([u8; 16], usize) {
    let bytes = v.to_be_bytes();
    let mut start = 0;
    while start < 15 {
        let (b, next) = (bytes[start], bytes[start + 1]);
        let redundant = (b == 0x00 && next & 0x80 == 0) || (b == 0xff && next & 0x80 != 0);
        if !redundant {
            break;
        }
        start += 1;
    }
    (bytes, start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn long(v: i64) -> Vec<u8> {
        let mut out = Vec::new();
        write_long(&mut out, v);
        out
    }

    #[test]
    fn zigzag_varints_match_the_spec() {
        assert_eq!(long(0), [0x00]);
        assert_eq!(long(-1), [0x01]);
        assert_eq!(long(1), [0x02]);
        assert_eq!(long(-2), [0x03]);
        assert_eq!(long(2), [0x04]);
        assert_eq!(long(-64), [0x7f]);
        assert_eq!(long(64), [0x80, 0x01]);
        assert_eq!(long(i64::MAX).len(), 10);
        assert_eq!(
            long(i64::MIN),
            [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]
        );
        let mut out = Vec::new();
        write_int(&mut out, i32::MIN);
        assert_eq!(out, [0xff, 0xff, 0xff, 0xff, 0x0f]);
    }

    #[test]
    fn twos_complement_is_minimal() {
        let tc = |v| {
            let (b, s) = twos_complement(v);
            b[s..].to_vec()
        };
        assert_eq!(tc(0), [0x00]);
        assert_eq!(tc(1), [0x01]);
        assert_eq!(tc(-1), [0xff]);
        assert_eq!(tc(127), [0x7f]);
        assert_eq!(tc(128), [0x00, 0x80]);
        assert_eq!(tc(-128), [0x80]);
        assert_eq!(tc(-129), [0xff, 0x7f]);
        assert_eq!(tc(i128::MIN).len(), 16);
        assert_eq!(tc(i128::MAX).len(), 16);
    }

    #[test]
    fn blocks_and_bytes() {
        let mut out = Vec::new();
        write_block_start(&mut out, 0).unwrap();
        write_block_end(&mut out);
        assert_eq!(out, [0]);
        out.clear();
        write_bytes(&mut out, &[1, 2]);
        write_fixed(&mut out, &[3]);
        write_bool(&mut out, true);
        write_float(&mut out, 1.0);
        assert_eq!(out, [4, 1, 2, 3, 1, 0, 0, 0x80, 0x3f]);
    }
}
