//! An ordered JSON tree: serde_json's `Value` sorts keys without its `preserve_order` feature,
//! and the rendered text has a fixed key order.

use super::*;

/// A JSON value whose objects keep their insertion order.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum J {
    Null,
    Bool(bool),
    I64(i64),
    F32(f32),
    F64(f64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    pub(super) fn s(s: impl Into<String>) -> J {
        J::Str(s.into())
    }
}

impl Serialize for J {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            J::Null => s.serialize_unit(),
            J::Bool(b) => s.serialize_bool(*b),
            J::I64(i) => s.serialize_i64(*i),
            J::F32(x) => s.serialize_f32(*x),
            J::F64(x) => s.serialize_f64(*x),
            J::Str(x) => s.serialize_str(x),
            J::Arr(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            J::Obj(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// Builds an ordered object.
#[derive(Default)]
pub(super) struct ObjBuilder(pub(super) Vec<(String, J)>);

impl ObjBuilder {
    pub(super) fn put(mut self, key: &str, value: J) -> Self {
        self.0.push((key.to_string(), value));
        self
    }

    pub(super) fn put_opt(self, key: &str, value: Option<J>) -> Self {
        match value {
            Some(v) => self.put(key, v),
            None => self,
        }
    }

    pub(super) fn build(self) -> J {
        J::Obj(self.0)
    }
}

pub(super) fn str_array(items: &[&str]) -> Option<J> {
    (!items.is_empty()).then(|| J::Arr(items.iter().map(|s| J::s(*s)).collect()))
}
