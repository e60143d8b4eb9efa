//! [`Reader`]: decoding primitives of the Avro binary format over a byte slice.

use super::error::{DecodeError, DecodeErrorKind};

/// How deep records may nest when decoding (the Protobuf decoder's limit, and prost's):
/// a recursive type (`Vec<Self>`, `Option<Box<Self>>`) fed a few bytes per level stops with
/// [`DecodeErrorKind::RecursionLimit`] long before the stack of a 2 MiB thread runs out.
pub const RECURSION_LIMIT: u32 = 100;

/// Items of zero encoded width (empty records, `null`s) an array or map may hold beyond one
/// per remaining input byte: the bound that keeps a hostile block count from looping for ever.
pub const MAX_ZERO_WIDTH_ITEMS: u64 = 1 << 16;

/// A cursor over Avro binary data that knows its offset, for errors that say where.
///
/// Every read checks the remaining length first: a length prefix larger than what is left is an
/// error before anything is allocated, and nothing panics on any input.
///
/// ```
/// use kafka_model::avro::Reader;
///
/// let mut r = Reader::new(&[0x04, b'h', b'i', 0x03]);
/// assert_eq!(r.read_str()?, "hi");
/// assert_eq!(r.read_long()?, -2);
/// assert!(r.is_empty());
/// # Ok::<(), kafka_model::avro::DecodeError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    zero_width_budget: u64,
    /// Records entered and not yet left.
    depth: u32,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        Reader {
            buf,
            pos: 0,
            zero_width_budget: MAX_ZERO_WIDTH_ITEMS,
            depth: 0,
        }
    }

    /// The current byte offset.
    #[inline]
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// Bytes left.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// Whether everything was read.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// An error at the current offset.
    #[cold]
    pub fn error(&self, kind: DecodeErrorKind) -> DecodeError {
        DecodeError::new(self.pos, kind)
    }

    /// An error at `offset`.
    #[cold]
    pub fn error_at(&self, offset: usize, kind: DecodeErrorKind) -> DecodeError {
        DecodeError::new(offset, kind)
    }

    /// Fails unless everything was read.
    pub fn finish(&self) -> Result<(), DecodeError> {
        match self.remaining() {
            0 => Ok(()),
            remaining => Err(self.error(DecodeErrorKind::TrailingBytes { remaining })),
        }
    }

    /// Enters a nested record: fails when that makes more than [`RECURSION_LIMIT`] levels.
    /// Every decoder of a record calls it first, and [`leave`](Self::leave) when done.
    ///
    /// ```
    /// use kafka_model::avro::{DecodeErrorKind, Reader, RECURSION_LIMIT};
    ///
    /// let mut r = Reader::new(&[]);
    /// for _ in 0..RECURSION_LIMIT {
    ///     r.enter()?;
    /// }
    /// let e = r.enter().unwrap_err();
    /// assert_eq!(e.kind(), &DecodeErrorKind::RecursionLimit { limit: RECURSION_LIMIT });
    /// r.leave();
    /// r.enter()?;
    /// # Ok::<(), kafka_model::avro::DecodeError>(())
    /// ```
    #[inline]
    pub fn enter(&mut self) -> Result<(), DecodeError> {
        if self.depth >= RECURSION_LIMIT {
            return Err(self.error(DecodeErrorKind::RecursionLimit {
                limit: RECURSION_LIMIT,
            }));
        }
        self.depth += 1;
        Ok(())
    }

    /// Records entered and not yet left.
    #[inline]
    pub fn depth(&self) -> u32 {
        self.depth
    }

    /// Leaves a record entered with [`enter`](Self::enter).
    #[inline]
    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Takes the next `n` bytes.
    #[inline]
    pub fn take(&mut self, n: usize, expected: &'static str) -> Result<&'a [u8], DecodeError> {
        if n > self.remaining() {
            return Err(self.error(DecodeErrorKind::UnexpectedEnd {
                expected,
                needed: n,
                remaining: self.remaining(),
            }));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    /// Takes the next `N` bytes as an array.
    #[inline]
    pub fn take_array<const N: usize>(
        &mut self,
        expected: &'static str,
    ) -> Result<[u8; N], DecodeError> {
        let s = self.take(N, expected)?;
        let mut out = [0u8; N];
        out.copy_from_slice(s);
        Ok(out)
    }

    /// Reads an Avro `long` (zigzag varint, at most 10 bytes).
    #[inline]
    pub fn read_long(&mut self) -> Result<i64, DecodeError> {
        let start = self.pos;
        let mut z: u64 = 0;
        let mut shift = 0u32;
        loop {
            let Some(&b) = self.buf.get(self.pos) else {
                return Err(self.error_at(
                    start,
                    DecodeErrorKind::UnexpectedEnd {
                        expected: "a varint",
                        needed: self.pos - start + 1,
                        remaining: self.buf.len() - start,
                    },
                ));
            };
            self.pos += 1;
            if shift == 63 && b > 1 {
                return Err(self.error_at(start, DecodeErrorKind::VarintOverflow));
            }
            z |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(crate::zigzag::decode64(z));
            }
            shift += 7;
        }
    }

    /// Reads an Avro `int`: a varint whose value fits 32 bits.
    #[inline]
    pub fn read_int(&mut self) -> Result<i32, DecodeError> {
        let start = self.pos;
        let v = self.read_long()?;
        i32::try_from(v).map_err(|_| {
            self.error_at(
                start,
                DecodeErrorKind::OutOfRange {
                    expected: "an Avro int (32-bit)",
                    found: i128::from(v),
                },
            )
        })
    }

    /// Reads an Avro `boolean`.
    #[inline]
    pub fn read_bool(&mut self) -> Result<bool, DecodeError> {
        let [b] = self.take_array::<1>("a boolean")?;
        match b {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(self.error_at(self.pos - 1, DecodeErrorKind::InvalidBool(b))),
        }
    }

    /// Reads an Avro `float`.
    #[inline]
    pub fn read_float(&mut self) -> Result<f32, DecodeError> {
        Ok(f32::from_le_bytes(self.take_array("a float")?))
    }

    /// Reads an Avro `double`.
    #[inline]
    pub fn read_double(&mut self) -> Result<f64, DecodeError> {
        Ok(f64::from_le_bytes(self.take_array("a double")?))
    }

    /// Reads a length prefix and checks it against the remaining input.
    #[inline]
    pub fn read_len(&mut self, expected: &'static str) -> Result<usize, DecodeError> {
        let start = self.pos;
        let len = self.read_long()?;
        if len < 0 {
            return Err(self.error_at(
                start,
                DecodeErrorKind::NegativeLength {
                    expected,
                    found: len,
                },
            ));
        }
        let len = len as u64;
        if len > self.remaining() as u64 {
            return Err(self.error_at(
                start,
                DecodeErrorKind::LengthTooLarge {
                    expected,
                    found: len,
                    remaining: self.remaining(),
                },
            ));
        }
        Ok(len as usize)
    }

    /// Reads Avro `bytes`, borrowed from the input.
    #[inline]
    pub fn read_bytes(&mut self) -> Result<&'a [u8], DecodeError> {
        let n = self.read_len("bytes")?;
        self.take(n, "bytes")
    }

    /// Reads an Avro `string`, borrowed from the input.
    #[inline]
    pub fn read_str(&mut self) -> Result<&'a str, DecodeError> {
        // Most strings are shorter than 64 bytes: a one-byte length (even, below 0x80 as a
        // zigzag varint) that fits what is left is taken without the general varint loop.
        let bytes = match self.buf.get(self.pos) {
            Some(&b) if b & 0x81 == 0 && usize::from(b >> 1) < self.remaining() => {
                let start = self.pos + 1;
                let end = start + usize::from(b >> 1);
                self.pos = end;
                &self.buf[start..end]
            }
            _ => {
                let n = self.read_len("a string")?;
                self.take(n, "a string")?
            }
        };
        let start = self.pos - bytes.len();
        utf8(bytes).map_err(|e| {
            self.error_at(
                start,
                DecodeErrorKind::InvalidUtf8 {
                    valid_up_to: e.valid_up_to(),
                },
            )
        })
    }

    /// Reads an Avro `fixed` of `n` bytes.
    #[inline]
    pub fn read_fixed(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        self.take(n, "fixed bytes")
    }

    /// Reads a union branch index and checks it against the number of branches.
    #[inline]
    pub fn read_union_index(&mut self, branches: usize) -> Result<usize, DecodeError> {
        let start = self.pos;
        let i = self.read_long()?;
        if i < 0 || i as u64 >= branches as u64 {
            return Err(self.error_at(start, DecodeErrorKind::UnionIndex { branches, found: i }));
        }
        Ok(i as usize)
    }

    /// Reads an enum symbol index and checks it against the number of symbols.
    #[inline]
    pub fn read_enum_index(&mut self, symbols: usize) -> Result<usize, DecodeError> {
        let start = self.pos;
        let i = self.read_long()?;
        if i < 0 || i as u64 >= symbols as u64 {
            return Err(self.error_at(start, DecodeErrorKind::EnumIndex { symbols, found: i }));
        }
        Ok(i as usize)
    }

    /// Reads an array or map block header: the number of items in the next block (0 at the
    /// end). A negative count is followed by the block's size in bytes, which is checked and
    /// skipped. The count is bounded by what the remaining input can hold: one byte per item,
    /// plus [`MAX_ZERO_WIDTH_ITEMS`] over the whole decode (items such as empty records take no
    /// bytes at all).
    #[inline]
    pub fn read_block_count(&mut self, expected: &'static str) -> Result<usize, DecodeError> {
        let start = self.pos;
        let count = self.read_long()?;
        let count = if count < 0 {
            let size_at = self.pos;
            let size = self.read_long()?;
            if size < 0 {
                return Err(self.error_at(
                    size_at,
                    DecodeErrorKind::NegativeLength {
                        expected: "a block byte size",
                        found: size,
                    },
                ));
            }
            if size as u64 > self.remaining() as u64 {
                return Err(self.error_at(
                    size_at,
                    DecodeErrorKind::LengthTooLarge {
                        expected: "a block byte size",
                        found: size as u64,
                        remaining: self.remaining(),
                    },
                ));
            }
            count.unsigned_abs()
        } else {
            count as u64
        };
        let limit = self.remaining() as u64 + self.zero_width_budget;
        if count > limit {
            return Err(self.error_at(
                start,
                DecodeErrorKind::LengthTooLarge {
                    expected,
                    found: count,
                    remaining: usize::try_from(limit).unwrap_or(usize::MAX),
                },
            ));
        }
        let over = count.saturating_sub(self.remaining() as u64);
        self.zero_width_budget -= over;
        Ok(count as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longs_round_trip_and_reject_overlong() {
        for v in [0i64, 1, -1, 63, -64, 64, 1 << 40, i64::MAX, i64::MIN] {
            let mut out = Vec::new();
            super::super::encode::write_long(&mut out, v);
            let mut r = Reader::new(&out);
            assert_eq!(r.read_long().unwrap(), v);
            assert!(r.is_empty());
        }
        let mut r = Reader::new(&[0xff; 11]);
        assert_eq!(
            r.read_long().unwrap_err().kind(),
            &DecodeErrorKind::VarintOverflow
        );
        let mut r = Reader::new(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]);
        assert_eq!(
            r.read_long().unwrap_err().kind(),
            &DecodeErrorKind::VarintOverflow
        );
        let mut r = Reader::new(&[0x80, 0x80, 0x80, 0x80, 0x10]);
        assert!(matches!(
            r.read_int().unwrap_err().kind(),
            DecodeErrorKind::OutOfRange { .. }
        ));
    }

    #[test]
    fn lengths_are_checked_before_allocation() {
        // 2^62 bytes announced, 1 present.
        let mut r = Reader::new(&[
            0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00,
        ]);
        let e = r.read_bytes().unwrap_err();
        assert!(
            matches!(e.kind(), DecodeErrorKind::LengthTooLarge { .. }),
            "{e}"
        );
        assert_eq!(e.offset(), 0);
        let mut r = Reader::new(&[0x01]);
        assert!(matches!(
            r.read_str().unwrap_err().kind(),
            DecodeErrorKind::NegativeLength { .. }
        ));
        let mut r = Reader::new(&[0x02, 0xff]);
        assert!(matches!(
            r.read_str().unwrap_err().kind(),
            DecodeErrorKind::InvalidUtf8 { .. }
        ));
    }

    #[test]
    fn block_counts() {
        // -2 items, 4 bytes.
        let mut r = Reader::new(&[0x03, 0x08, 1, 2, 3, 4]);
        assert_eq!(r.read_block_count("array items").unwrap(), 2);
        assert_eq!(r.offset(), 2);
        let mut r = Reader::new(&[0x03, 0x10, 1]);
        assert!(r.read_block_count("array items").is_err());
        let mut r = Reader::new(&[0xfe, 0xff, 0xff, 0xff, 0x0f]);
        assert!(r.read_block_count("array items").is_err());
        let mut r = Reader::new(&[0x04]);
        assert_eq!(r.read_block_count("array items").unwrap(), 2);
        assert_eq!(r.zero_width_budget, MAX_ZERO_WIDTH_ITEMS - 2);
        // The budget is shared by the whole decode.
        let mut r = Reader::new(&[0x80, 0x80, 0x08]);
        assert!(r.read_block_count("array items").is_ok());
        let mut r2 = r.clone();
        r2.pos = 0;
        assert!(r2.read_block_count("array items").is_err());
    }

    #[test]
    fn bools_and_indexes() {
        assert_eq!(
            Reader::new(&[2]).read_bool().unwrap_err().kind(),
            &DecodeErrorKind::InvalidBool(2)
        );
        assert!(Reader::new(&[4]).read_union_index(2).is_err());
        assert_eq!(Reader::new(&[2]).read_union_index(2).unwrap(), 1);
        assert!(Reader::new(&[1]).read_enum_index(3).is_err());
        assert!(Reader::new(&[0, 1]).finish().is_err());
    }
}

/// `std::str::from_utf8` with an ASCII fast path. Most strings in messages (ids, names, keys,
/// codes) are short and ASCII, and std's validator has a fixed cost that dominates for them
/// (cachegrind: ~100 instructions for a 16-byte string, more than the rest of its decoding);
/// eight bytes are checked at once here, and anything that is not ASCII goes to std.
#[inline]
pub(crate) fn utf8(bytes: &[u8]) -> Result<&str, std::str::Utf8Error> {
    let mut chunks = bytes.chunks_exact(8);
    let mut ascii = true;
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        if u64::from_le_bytes(w) & 0x8080_8080_8080_8080 != 0 {
            ascii = false;
            break;
        }
    }
    if ascii && chunks.remainder().iter().all(|b| *b < 0x80) {
        // SAFETY: every byte is below 0x80, and ASCII is valid UTF-8.
        return Ok(unsafe { std::str::from_utf8_unchecked(bytes) });
    }
    std::str::from_utf8(bytes)
}

#[cfg(test)]
mod utf8_tests {
    use super::utf8;

    #[test]
    fn agrees_with_std() {
        let cases: [&[u8]; 9] = [
            b"",
            b"a",
            b"alice-sensor",
            b"0123456789abcdef0123",
            "h\u{e9}llo w\u{f6}rld, 8+ bytes".as_bytes(),
            b"\xff",
            b"abcdefgh\xff",
            b"abcdefgh\xc3",
            b"abcdefghijklmnop\xe2\x82",
        ];
        for c in cases {
            assert_eq!(utf8(c), std::str::from_utf8(c), "{c:?}");
        }
    }
}
