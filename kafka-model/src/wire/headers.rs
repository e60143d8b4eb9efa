//! A client-agnostic view of Kafka record headers.

use super::WireError;

/// Record headers as owned `(name, value)` pairs, in order. Kafka allows a name more than once.
pub type OwnedHeaders = Vec<(String, Vec<u8>)>;

/// Read access to a record's headers. Implemented for `Vec<(String, Vec<u8>)>`, slices of
/// `(String, Vec<u8>)` and `(&str, &[u8])`, and [`NoHeaders`]; a Kafka client adapter
/// implements it for its own header type. (Null-valued headers are not represented: an adapter
/// skips them.)
///
/// ```
/// use kafka_model::wire::Headers;
/// let h = vec![("a".to_string(), vec![1]), ("a".to_string(), vec![2])];
/// assert_eq!(h.last_value("a"), Some(&[2u8][..]));
/// assert_eq!(h.last_value("b"), None);
/// ```
pub trait Headers {
    /// The value of the last header with this name (what Java's `lastHeader` returns).
    fn last_value(&self, name: &str) -> Option<&[u8]>;
}

/// Write access to a record's headers.
///
/// ```
/// use kafka_model::wire::{Headers, HeadersMut, OwnedHeaders};
/// let mut h = OwnedHeaders::new();
/// h.set("k", vec![1])?;
/// h.set("k", vec![2])?;
/// assert_eq!(h, vec![("k".to_string(), vec![2])]);
/// # Ok::<(), kafka_model::wire::WireError>(())
/// ```
pub trait HeadersMut {
    /// Sets a header, replacing every header of that name.
    fn set(&mut self, name: &str, value: Vec<u8>) -> Result<(), WireError>;
}

/// No headers: reads find nothing, and writing one is [`WireError::HeadersUnavailable`].
///
/// ```
/// use kafka_model::wire::{Headers, HeadersMut, NoHeaders};
/// assert_eq!(NoHeaders.last_value("x"), None);
/// assert!(NoHeaders.set("x", vec![]).is_err());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoHeaders;

impl Headers for NoHeaders {
    fn last_value(&self, _name: &str) -> Option<&[u8]> {
        None
    }
}

impl HeadersMut for NoHeaders {
    fn set(&mut self, _name: &str, _value: Vec<u8>) -> Result<(), WireError> {
        Err(WireError::HeadersUnavailable { wire: "headers" })
    }
}

impl Headers for [(String, Vec<u8>)] {
    fn last_value(&self, name: &str) -> Option<&[u8]> {
        self.iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
    }
}

impl Headers for Vec<(String, Vec<u8>)> {
    fn last_value(&self, name: &str) -> Option<&[u8]> {
        Headers::last_value(self.as_slice(), name)
    }
}

impl Headers for [(&str, &[u8])] {
    fn last_value(&self, name: &str) -> Option<&[u8]> {
        self.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }
}

impl<H: Headers + ?Sized> Headers for &H {
    fn last_value(&self, name: &str) -> Option<&[u8]> {
        (**self).last_value(name)
    }
}

impl HeadersMut for Vec<(String, Vec<u8>)> {
    fn set(&mut self, name: &str, value: Vec<u8>) -> Result<(), WireError> {
        self.retain(|(n, _)| n != name);
        self.push((name.to_string(), value));
        Ok(())
    }
}
