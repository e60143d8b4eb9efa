//! References to types: the spelling of a name inside a scope (simple, full, leading dot), and
//! the Confluent message indexes of the root.

use super::*;

/// Where a type reference is written: a message (or enum) in a package file.
pub(super) struct Scope<'a> {
    pub(super) package: Option<&'static str>,
    /// Full name of the enclosing message.
    pub(super) message: String,
    /// Full names of the types nested in the enclosing message (map entries).
    pub(super) nested: &'a HashSet<String>,
}

impl Renderer {
    /// How to spell `target` (a full name in `target_package`) inside `scope`: the simple name in
    /// the same package, the full name elsewhere, with a leading dot when protobuf's scoping
    /// rules would otherwise find another symbol first.
    pub(super) fn reference(
        &self,
        target: &str,
        target_package: Option<&str>,
        scope: &Scope<'_>,
    ) -> String {
        if target_package == scope.package {
            let simple = match target_package {
                Some(p) => target
                    .strip_prefix(p)
                    .and_then(|s| s.strip_prefix('.'))
                    .unwrap_or(target),
                None => target,
            };
            if scope
                .nested
                .contains(&format!("{}.{simple}", scope.message))
            {
                return format!(".{target}");
            }
            // A type declared inside the message itself is named from there (`Leaf` in
            // `Trunk.BranchOne`), as a hand-written `.proto` would.
            if let Some(own) = target
                .strip_prefix(scope.message.as_str())
                .and_then(|s| s.strip_prefix('.'))
            {
                if !scope.nested.contains(target) {
                    return own.to_string();
                }
            }
            // protoc looks the first component up in the enclosing messages first (the message
            // itself, then the messages it is declared in): a declaration there would capture it.
            let first = simple.split('.').next().unwrap_or(simple);
            let mut enclosing = scope.message.as_str();
            while target_package.map_or(!enclosing.is_empty(), |p| enclosing.len() > p.len()) {
                let candidate = format!("{enclosing}.{first}");
                let intended = target == candidate || target.starts_with(&format!("{candidate}."));
                if !intended && self.known.contains(&candidate) {
                    return format!(".{target}");
                }
                enclosing = enclosing.rsplit_once('.').map_or("", |(head, _)| head);
            }
            return simple.to_string();
        }
        let first = target.split('.').next().unwrap_or(target);
        let mut scopes = vec![scope.message.clone()];
        if let Some(p) = scope.package {
            let parts: Vec<&str> = p.split('.').collect();
            for k in (1..=parts.len()).rev() {
                scopes.push(parts[..k].join("."));
            }
        }
        let shadowed = scopes.iter().any(|s| {
            let candidate = format!("{s}.{first}");
            self.known.contains(&candidate) || scope.nested.contains(&candidate)
        });
        if shadowed {
            format!(".{target}")
        } else {
            target.to_string()
        }
    }

    /// Confluent message indexes of `root` in its package's file (see
    /// [`Proto::message_indexes`]).
    pub(super) fn message_indexes(&self, root: &'static Model) -> Vec<u32> {
        let Some(file) = self
            .file_of_package
            .get(&package(root))
            .map(|&i| &self.files[i])
        else {
            return vec![0];
        };
        let mut chain = vec![root];
        while let Some(parent) = chain[chain.len() - 1].parent {
            let p = parent();
            if chain.iter().any(|c| std::ptr::eq(*c, p)) {
                break;
            }
            chain.push(p);
        }
        chain.reverse();
        let mut indexes = Vec::with_capacity(chain.len());
        let mut enclosing: Option<&'static Model> = None;
        for m in chain {
            let position = file
                .types
                .iter()
                .filter(|t| !matches!(t.shape, Shape::Enum(_)))
                .filter(|t| match (t.parent, enclosing) {
                    (None, None) => true,
                    (Some(p), Some(e)) => std::ptr::eq(p(), e),
                    _ => false,
                })
                .position(|t| std::ptr::eq(*t, m))
                .unwrap_or(0);
            indexes.push(u32::try_from(position).unwrap_or(u32::MAX));
            enclosing = Some(m);
        }
        indexes
    }
}
