//! An ordered JSON tree, so the text has a fixed key order whatever serde_json's features.

use super::*;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Node {
    Leaf(Value),
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
}

impl Node {
    pub(super) fn str(s: impl Into<String>) -> Node {
        Node::Leaf(Value::String(s.into()))
    }

    pub(super) fn strs<'a>(items: impl IntoIterator<Item = &'a str>) -> Node {
        Node::Array(items.into_iter().map(Node::str).collect())
    }

    pub(super) fn to_value(&self) -> Value {
        match self {
            Node::Leaf(v) => v.clone(),
            Node::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_value()))
                    .collect(),
            ),
            Node::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
        }
    }
}

impl From<bool> for Node {
    fn from(b: bool) -> Node {
        Node::Leaf(Value::Bool(b))
    }
}

impl From<i64> for Node {
    fn from(i: i64) -> Node {
        Node::Leaf(Value::from(i))
    }
}

impl From<Obj> for Node {
    fn from(o: Obj) -> Node {
        o.into_node()
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Leaf(v) => v.serialize(s),
            Node::Object(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            Node::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
        }
    }
}

/// An object under construction, keys in insertion order.
#[derive(Debug, Default)]
pub(super) struct Obj(pub(super) Vec<(String, Node)>);

impl Obj {
    pub(super) fn new() -> Obj {
        Obj(Vec::new())
    }

    /// `{"type": ty}`.
    pub(super) fn typed(ty: &str) -> Obj {
        Obj::new().with("type", Node::str(ty))
    }

    /// Adds a key, replacing an earlier value of the same key in place.
    pub(super) fn push(&mut self, key: &str, value: impl Into<Node>) {
        let value = value.into();
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key.to_string(), value)),
        }
    }

    pub(super) fn with(mut self, key: &str, value: impl Into<Node>) -> Obj {
        self.push(key, value);
        self
    }

    pub(super) fn extend(&mut self, other: Obj) {
        for (k, v) in other.0 {
            self.push(&k, v);
        }
    }

    /// Whether the object is exactly `{"$ref": ...}`.
    pub(super) fn is_bare_ref(&self) -> bool {
        matches!(self.0.as_slice(), [(k, _)] if k == "$ref")
    }

    pub(super) fn into_node(self) -> Node {
        Node::Object(self.0)
    }
}

/// `{"const": value}`.
pub(super) fn const_schema(value: &str) -> Obj {
    Obj::new().with("const", Node::str(value))
}
