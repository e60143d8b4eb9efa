//! References: `$ref` to `#/definitions/<full name>` (or `#` for the root), pointer escaping.

use super::*;

impl Renderer {
    /// `{"$ref": ...}` to a named type, remembering it for `definitions`.
    pub(super) fn reference(&mut self, m: &'static Model) -> Obj {
        let full = m.full_name();
        if full == self.root_name {
            return Obj::new().with("$ref", Node::str("#"));
        }
        let target = format!("#/definitions/{}", pointer_token(&full));
        if !self.referenced.iter().any(|r| r.full_name() == full) {
            self.referenced.push(m);
        }
        Obj::new().with("$ref", Node::str(target))
    }
}

/// One reference token of a JSON pointer inside a URI fragment: `~` and `/` escaped
/// (RFC 6901), then every byte outside the URI's unreserved characters percent-encoded.
pub(super) fn pointer_token(name: &str) -> String {
    let escaped = name.replace('~', "~0").replace('/', "~1");
    let mut out = String::with_capacity(escaped.len());
    for b in escaped.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
