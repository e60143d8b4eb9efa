//! Protobuf message-index paths (Confluent framing, reference-specs §1.1.1).

use std::fmt;

use super::varint::{read_zigzag, write_zigzag};
use super::WireError;

/// The default cap on the number of indexes a reader accepts in one path.
pub const MAX_MESSAGE_INDEXES: usize = 4096;

/// The path of a Protobuf message inside its `.proto` file: the 0-based position among the
/// top-level messages, then among that message's nested types, and so on.
///
/// On the wire it is the count then each index, all as zig-zag varints; the common path `[0]`
/// is the single byte `0x00` (count 0), and readers accept the long form `02 00` as well.
///
/// ```
/// use kafka_model::wire::MessageIndexes;
///
/// let path = MessageIndexes::new(vec![0, 1])?;
/// assert_eq!(path.to_bytes(), [0x04, 0x00, 0x02]);
/// assert_eq!(MessageIndexes::first().to_bytes(), [0x00]);
///
/// let (read, used) = MessageIndexes::read(&[0x02, 0x84, 0x01, 0xff])?;
/// assert_eq!((read.as_slice(), used), (&[66][..], 3));
/// # Ok::<(), kafka_model::wire::WireError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MessageIndexes(Vec<u32>);

impl MessageIndexes {
    /// A path; it must be non-empty and every index at most `i32::MAX` (Java's `int`).
    pub fn new(path: impl Into<Vec<u32>>) -> Result<Self, WireError> {
        let path = path.into();
        if path.is_empty() {
            return Err(WireError::InvalidMessageIndexes {
                reason: "a path has at least one index",
            });
        }
        if path.iter().any(|&i| i > i32::MAX as u32) {
            return Err(WireError::InvalidMessageIndexes {
                reason: "an index is above i32::MAX",
            });
        }
        Ok(MessageIndexes(path))
    }

    /// The path `[0]`: the first top-level message.
    pub fn first() -> Self {
        MessageIndexes(vec![0])
    }

    /// The indexes.
    pub fn as_slice(&self) -> &[u32] {
        &self.0
    }

    /// Whether this is the path `[0]`.
    #[inline]
    pub fn is_first(&self) -> bool {
        matches!(self.0.as_slice(), [0])
    }

    /// Appends the wire form: `[0]` as `0x00`, any other path as count then indexes.
    ///
    /// ```
    /// use kafka_model::wire::MessageIndexes;
    /// let mut out = vec![0xaa];
    /// MessageIndexes::new(vec![2, 1, 0])?.write(&mut out);
    /// assert_eq!(out, [0xaa, 0x06, 0x04, 0x02, 0x00]);
    /// # Ok::<(), kafka_model::wire::WireError>(())
    /// ```
    pub fn write(&self, out: &mut Vec<u8>) {
        if self.is_first() {
            out.push(0);
            return;
        }
        // `new` guarantees every value fits i32; the length is capped the same way.
        write_zigzag(i32::try_from(self.0.len()).unwrap_or(i32::MAX), out);
        for &i in &self.0 {
            write_zigzag(i32::try_from(i).unwrap_or(i32::MAX), out);
        }
    }

    /// The wire form as a new vector.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(1 + self.0.len());
        self.write(&mut out);
        out
    }

    /// Reads a path from the start of `bytes` with the default cap ([`MAX_MESSAGE_INDEXES`]);
    /// returns it and the number of bytes it took.
    ///
    /// ```
    /// use kafka_model::wire::{MessageIndexes, WireError};
    /// assert_eq!(MessageIndexes::read(&[0x02, 0x00])?.0, MessageIndexes::first());
    /// assert!(matches!(
    ///     MessageIndexes::read(&[0x14, 0x00]),
    ///     Err(WireError::TooManyMessageIndexes { count: 10, max: 1 })
    /// ));
    /// # Ok::<(), WireError>(())
    /// ```
    pub fn read(bytes: &[u8]) -> Result<(Self, usize), WireError> {
        Self::read_capped(bytes, MAX_MESSAGE_INDEXES)
    }

    /// [`read`](Self::read) with an explicit cap on the count. The count is also capped by the
    /// bytes remaining (every index takes at least one byte), so no input can make the reader
    /// allocate more than the input's size.
    pub fn read_capped(bytes: &[u8], max: usize) -> Result<(Self, usize), WireError> {
        const WHAT: &str = "message-index path";
        let mut pos = 0;
        let count = read_zigzag(bytes, &mut pos, WHAT)?;
        if count < 0 {
            return Err(WireError::NegativeMessageIndex {
                what: "count",
                value: count,
            });
        }
        if count == 0 {
            return Ok((MessageIndexes::first(), pos));
        }
        let count_u = count as usize;
        let limit = max.min(bytes.len() - pos);
        if count_u > limit {
            return Err(WireError::TooManyMessageIndexes {
                count: count_u as u64,
                max: limit,
            });
        }
        let mut path = Vec::with_capacity(count_u);
        for _ in 0..count_u {
            let index = read_zigzag(bytes, &mut pos, WHAT)?;
            if index < 0 {
                return Err(WireError::NegativeMessageIndex {
                    what: "index",
                    value: index,
                });
            }
            path.push(index as u32);
        }
        Ok((MessageIndexes(path), pos))
    }
}

impl Default for MessageIndexes {
    fn default() -> Self {
        Self::first()
    }
}

impl TryFrom<Vec<u32>> for MessageIndexes {
    type Error = WireError;
    fn try_from(path: Vec<u32>) -> Result<Self, WireError> {
        Self::new(path)
    }
}

impl fmt::Display for MessageIndexes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}
