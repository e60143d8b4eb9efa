//! Paths to values inside a record: `items[2].qty`, `attributes["color"]`.

use std::fmt;

/// Where a value sits inside the value being validated; built on the stack while validating
/// (no allocation unless an error is reported).
///
/// ```
/// use kafka_model::validate::FieldPath;
///
/// let root = FieldPath::root();
/// let items = root.field("items");
/// let second = items.index(2);
/// assert_eq!(second.field("qty").to_string(), "items[2].qty");
/// assert_eq!(root.field("attributes").key("color").to_string(), r#"attributes["color"]"#);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct FieldPath<'a> {
    parent: Option<&'a FieldPath<'a>>,
    seg: Segment<'a>,
}

/// One step of a [`FieldPath`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    /// The value being validated.
    Root,
    /// A record field, or the variant of an enum with data (by JSON name).
    Field(&'a str),
    /// A list element.
    Index(usize),
    /// A map entry.
    Key(&'a str),
}

impl<'a> FieldPath<'a> {
    /// The value being validated.
    pub const fn root() -> FieldPath<'static> {
        FieldPath {
            parent: None,
            seg: Segment::Root,
        }
    }

    /// A step below this path.
    pub fn join<'b>(&'b self, seg: Segment<'b>) -> FieldPath<'b> {
        FieldPath {
            parent: Some(self),
            seg,
        }
    }

    /// A field of the record at this path.
    pub fn field<'b>(&'b self, name: &'b str) -> FieldPath<'b> {
        self.join(Segment::Field(name))
    }

    /// An element of the list at this path.
    pub fn index(&self, i: usize) -> FieldPath<'_> {
        self.join(Segment::Index(i))
    }

    /// An entry of the map at this path.
    pub fn key<'b>(&'b self, key: &'b str) -> FieldPath<'b> {
        self.join(Segment::Key(key))
    }

    fn is_root(&self) -> bool {
        self.parent.is_none() && self.seg == Segment::Root
    }
}

impl fmt::Display for FieldPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(parent) = self.parent {
            parent.fmt(f)?;
        }
        match self.seg {
            Segment::Root => Ok(()),
            Segment::Field(name) => {
                if self.parent.is_some_and(|p| !p.is_root()) {
                    f.write_str(".")?;
                }
                f.write_str(name)
            }
            Segment::Index(i) => write!(f, "[{i}]"),
            Segment::Key(k) => write!(f, "[{k:?}]"),
        }
    }
}
