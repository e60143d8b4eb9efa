//! Zig-zag varints as Kafka's `ByteUtils.writeVarint`/`readVarint` (32-bit, at most 5 bytes).

use super::WireError;

/// Appends `value` as a zig-zag varint.
pub(crate) fn write_zigzag(value: i32, out: &mut Vec<u8>) {
    let mut v = crate::zigzag::encode32(value);
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a zig-zag varint at `*pos`, advancing it. `base` is the offset reported in errors.
pub(crate) fn read_zigzag(
    bytes: &[u8],
    pos: &mut usize,
    what: &'static str,
) -> Result<i32, WireError> {
    let start = *pos;
    let mut value: u32 = 0;
    let mut shift = 0u32;
    loop {
        let Some(&b) = bytes.get(*pos) else {
            return Err(WireError::Truncated {
                what,
                needed: *pos + 1,
                found: bytes.len(),
            });
        };
        *pos += 1;
        if shift == 28 && b > 0x0f {
            return Err(WireError::BadVarint { offset: start });
        }
        value |= u32::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    Ok(crate::zigzag::decode32(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_extremes() {
        for v in [0, 1, -1, 63, 64, -65, i32::MAX, i32::MIN] {
            let mut out = Vec::new();
            write_zigzag(v, &mut out);
            let mut pos = 0;
            assert_eq!(read_zigzag(&out, &mut pos, "t").ok(), Some(v));
            assert_eq!(pos, out.len());
        }
    }

    #[test]
    fn rejects_overlong() {
        let mut pos = 0;
        assert!(read_zigzag(&[0xff, 0xff, 0xff, 0xff, 0x1f], &mut pos, "t").is_err());
        let mut pos = 0;
        assert!(read_zigzag(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00], &mut pos, "t").is_err());
    }
}
