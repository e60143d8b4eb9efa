//! Messages, `oneof`s and enums: fields and their numbers, members checked as they are added.

use super::*;

impl Renderer {
    /// `message Name { ... }` for a record.
    pub(super) fn record(
        &self,
        m: &'static Model,
        fields: &'static [Field],
        out: &mut String,
        deps: &mut FileDeps,
    ) -> Result<(), SchemaError> {
        let mut members = Members::new();
        let mut nested = HashSet::new();
        let mut resolved = Vec::with_capacity(fields.len());
        let mut oneofs = HashMap::new();
        let mut wrappers = Vec::new();
        for f in fields {
            let err = |reason: String| field_error(m, f.name, f.ty.to_string(), reason);
            if f.options.proto_oneof {
                let named = match f.ty {
                    Type::Option(inner) => inner.named(),
                    other => other.named(),
                };
                let u = match named {
                    Some(t) => match t.shape {
                        Shape::Union(u) => Some(u),
                        _ => None,
                    },
                    None => None,
                }
                .ok_or_else(|| {
                    err("`oneof` needs an enum with data, or an `Option` of one".into())
                })?;
                members.add_name(f.name).map_err(err)?;
                let resolved = oneof_members(m, u, &mut members, &mut wrappers)?;
                oneofs.insert(f.name, resolved);
                continue;
            }
            let (label, elem) = field_type(&f.ty, &f.options, &mut wrappers).map_err(err)?;
            members.add(f.name, f.tag).map_err(err)?;
            if matches!(label, Label::Map(_)) {
                let entry = format!("{}.{}", m.proto_full_name(), map_entry_name(f.name));
                if !nested.insert(entry) {
                    return Err(err(format!(
                        "protobuf names the map entry of `{}` `{}`, like another map field of the message; rename one of them",
                        f.name,
                        map_entry_name(f.name)
                    )));
                }
            }
            resolved.push((f, Some((label, elem))));
        }
        nested.extend(self.wrapper_names(m, &wrappers)?);
        let scope = Scope {
            package: package(m),
            message: m.proto_full_name(),
            nested: &nested,
        };

        push_doc(out, "", m.doc);
        if fields.is_empty() {
            out.push_str(&format!("message {} {{}}\n", m.name));
            return Ok(());
        }
        out.push_str(&format!("message {} {{\n", m.name));
        self.wrappers(m, &wrappers, &nested, deps, out);
        for f in fields {
            if let Some(list) = oneofs.remove(f.name) {
                push_doc(out, "  ", f.doc);
                out.push_str(&format!("  oneof {} {{\n", f.name));
                self.oneof_body(m, list, &scope, deps, out);
                out.push_str("  }\n");
            }
            let Some((f, Some((label, elem)))) = resolved
                .iter_mut()
                .find(|(r, _)| std::ptr::eq(*r, f))
                .map(|(r, le)| (*r, le.take()))
            else {
                continue;
            };
            let culprit = Culprit {
                record: m.rust_name,
                field: f.name,
                ty: f.ty.to_string(),
            };
            let ty = self.elem_ref(&elem, &scope, &culprit, deps);
            let ty = match label {
                Label::Single => ty,
                Label::Optional => format!("optional {ty}"),
                Label::Repeated => format!("repeated {ty}"),
                Label::Map(key) => format!("map<{key}, {ty}>"),
            };
            push_doc(out, "  ", f.doc);
            out.push_str(&format!("  {ty} {} = {}", f.name, f.tag));
            if !f.tags.is_empty() {
                deps.well_known.insert(CONFLUENT_META_FILE);
                let option = self.reference("confluent.field_meta", Some("confluent"), &scope);
                let tags: Vec<String> = f.tags.iter().map(|t| string_literal(t)).collect();
                out.push_str(&format!(
                    " [({option}) = {{ tags: [{}] }}]",
                    tags.join(", ")
                ));
            }
            out.push(';');
            if let Some(note) = elem.note() {
                out.push_str(&format!(" // {note}"));
            }
            out.push('\n');
        }
        out.push_str("}\n");
        Ok(())
    }

    /// The full names of the wrapper messages declared in `m`, checked against the types
    /// declared there.
    pub(super) fn wrapper_names(
        &self,
        m: &'static Model,
        wrappers: &[Wrapper],
    ) -> Result<HashSet<String>, SchemaError> {
        let mut names = HashSet::new();
        for w in wrappers {
            let full = format!("{}.{}", m.proto_full_name(), w.name);
            if self.known.contains(&full) {
                return Err(model_error(
                    m,
                    format!(
                        "the wrapper message `{}` (for a nested list, map or Option field, or a list or map variant) has the name of a type declared in `{}`; rename that type",
                        w.name, m.name
                    ),
                ));
            }
            names.insert(full);
        }
        Ok(names)
    }

    /// The wrapper messages of `m`'s fields, declared first in its body.
    pub(super) fn wrappers(
        &self,
        m: &'static Model,
        wrappers: &[Wrapper],
        nested: &HashSet<String>,
        deps: &mut FileDeps,
        out: &mut String,
    ) {
        let outer = m.proto_full_name();
        for w in wrappers {
            // Inside the wrapper, protoc looks names up in the wrapper first (its map entry
            // `ValueEntry`), then in `m` (the other wrappers): both count as nested here.
            let message = format!("{outer}.{}", w.name);
            let mut inner: HashSet<String> = nested
                .iter()
                .filter_map(|n| n.strip_prefix(outer.as_str()))
                .map(|rest| format!("{message}{rest}"))
                .collect();
            inner.insert(format!("{message}.ValueEntry"));
            let scope = Scope {
                package: package(m),
                message,
                nested: &inner,
            };
            let culprit = Culprit {
                record: m.rust_name,
                field: "value",
                ty: w.name.clone(),
            };
            let ty = self.elem_ref(&w.elem, &scope, &culprit, deps);
            let ty = match w.label {
                Label::Single => ty,
                Label::Optional => format!("optional {ty}"),
                Label::Repeated => format!("repeated {ty}"),
                Label::Map(key) => format!("map<{key}, {ty}>"),
            };
            out.push_str(&format!(
                "  message {} {{\n    {ty} value = 1;\n  }}\n",
                w.name
            ));
        }
        if !wrappers.is_empty() {
            out.push('\n');
        }
    }

    /// `message Name { oneof name { ... } }` for an enum with data.
    pub(super) fn union(
        &self,
        m: &'static Model,
        u: &'static Union,
        out: &mut String,
        deps: &mut FileDeps,
    ) -> Result<(), SchemaError> {
        let mut members = Members::new();
        let mut wrappers = Vec::new();
        let resolved = oneof_members(m, u, &mut members, &mut wrappers)?;
        let nested = self.wrapper_names(m, &wrappers)?;
        let scope = Scope {
            package: package(m),
            message: m.proto_full_name(),
            nested: &nested,
        };

        push_doc(out, "", m.doc);
        if resolved.is_empty() {
            out.push_str(&format!("message {} {{}}\n", m.name));
            return Ok(());
        }
        let mut oneof = snake_case(m.name);
        while resolved.iter().any(|(_, member, ..)| *member == oneof) {
            oneof.push_str("_oneof");
        }
        out.push_str(&format!("message {} {{\n", m.name));
        self.wrappers(m, &wrappers, &nested, deps, out);
        out.push_str(&format!("  oneof {oneof} {{\n"));
        self.oneof_body(m, resolved, &scope, deps, out);
        out.push_str("  }\n}\n");
        Ok(())
    }

    /// The member lines of a `oneof` declared in `m`.
    pub(super) fn oneof_body(
        &self,
        m: &'static Model,
        resolved: Vec<OneofMember>,
        scope: &Scope<'_>,
        deps: &mut FileDeps,
        out: &mut String,
    ) {
        for (v, member, elem, ty_name) in resolved {
            let culprit = Culprit {
                record: m.rust_name,
                field: v.name,
                ty: ty_name,
            };
            let ty = self.elem_ref(&elem, scope, &culprit, deps);
            push_doc(out, "    ", v.doc);
            out.push_str(&format!("    {ty} {member} = {};", v.tag));
            if let Some(note) = elem.note() {
                out.push_str(&format!(" // {note}"));
            }
            out.push('\n');
        }
    }

    /// The type name to write for `elem`, recording the imports it needs.
    pub(super) fn elem_ref(
        &self,
        elem: &Elem,
        scope: &Scope<'_>,
        culprit: &Culprit,
        deps: &mut FileDeps,
    ) -> String {
        match elem {
            Elem::Scalar(name, _) => (*name).to_string(),
            // Declared in the enclosing message, looked up there first.
            Elem::Wrapper(name, _) => name.clone(),
            Elem::Timestamp => {
                deps.well_known.insert(TIMESTAMP_FILE);
                self.reference("google.protobuf.Timestamp", Some("google.protobuf"), scope)
            }
            Elem::Empty => {
                deps.well_known.insert(EMPTY_FILE);
                self.reference("google.protobuf.Empty", Some("google.protobuf"), scope)
            }
            Elem::Value => {
                deps.well_known.insert(STRUCT_FILE);
                self.reference("google.protobuf.Value", Some("google.protobuf"), scope)
            }
            Elem::Named(target) => {
                let full = target.proto_full_name();
                let target_package = self
                    .package_of
                    .get(&full)
                    .copied()
                    .unwrap_or_else(|| package(target));
                if target_package != scope.package {
                    if let Some(&index) = self.file_of_package.get(&target_package) {
                        if !deps.files.iter().any(|(i, _)| *i == index) {
                            deps.files.push((index, culprit.clone()));
                        }
                    }
                }
                self.reference(&full, target_package, scope)
            }
        }
    }
}

/// A type declared inside `parent` (`#[record(parent = ..)]`): the parent is a message of the
/// same package, and the chain of parents ends.
pub(super) fn check_parent(m: &'static Model, parent: &'static Model) -> Result<(), SchemaError> {
    if matches!(parent.shape, Shape::Enum(_)) {
        return Err(model_error(
            m,
            format!(
                "its parent `{}` is an enum; protobuf declares types only inside messages",
                parent.rust_name
            ),
        ));
    }
    if package(m) != package(parent) {
        return Err(model_error(
            m,
            format!(
                "a type declared inside `{}` is in its package `{}`; give it the same namespace",
                parent.rust_name,
                package(parent).unwrap_or("(none)")
            ),
        ));
    }
    let mut p = parent;
    for _ in 0..64 {
        if std::ptr::eq(p, m) {
            return Err(model_error(
                m,
                "its chain of `parent`s comes back to it; protobuf declarations cannot contain themselves".into(),
            ));
        }
        match p.parent {
            Some(next) => p = next(),
            None => return Ok(()),
        }
    }
    Err(model_error(
        m,
        "its chain of `parent`s is more than 64 deep".into(),
    ))
}

/// A resolved oneof member: the variant, its field name, its type, and the type for messages.
pub(super) type OneofMember = (&'static Variant, String, Elem, String);

/// The members of the oneof an enum with data `u` makes in message `m` (its own message, or the
/// message holding a `#[record(oneof)]` field), added to `members` (names and numbers checked);
/// the wrapper messages list and map members need are added to `wrappers`.
pub(super) fn oneof_members(
    m: &'static Model,
    u: &'static Union,
    members: &mut Members,
    wrappers: &mut Vec<Wrapper>,
) -> Result<Vec<OneofMember>, SchemaError> {
    let mut resolved = Vec::with_capacity(u.variants.len());
    for v in u.variants {
        let ty_name = match v.payload {
            Payload::Newtype(t) => t.to_string(),
            Payload::Struct(sm) => sm.rust_name.to_string(),
        };
        let err = |reason: String| field_error(m, v.name, ty_name.clone(), reason);
        let elem = match v.payload {
            Payload::Newtype(Type::Option(_)) => {
                return Err(err(
                    "oneof members cannot be optional; wrap it in a record".into()
                ));
            }
            // A oneof member cannot be repeated or a map: a list or map is a wrapper message
            // declared in `m`, as in nested position.
            Payload::Newtype(t @ (Type::List(_) | Type::Map(_) | Type::KeyedMap { .. })) => {
                value_elem(&t, &FieldOptions::default(), wrappers).map_err(err)?
            }
            Payload::Newtype(t) => {
                let options = FieldOptions {
                    int_encoding: v.int_encoding,
                    ..FieldOptions::default()
                };
                elem(&t, &options).map_err(err)?
            }
            Payload::Struct(sm) => Elem::Named(sm),
        };
        let member = snake_case(v.name);
        if !is_ident(&member) {
            return Err(err(format!(
                "`{member}` (from variant `{}`) is not a protobuf field name; rename the variant",
                v.name
            )));
        }
        members.add_owned(member.clone(), v.tag).map_err(err)?;
        resolved.push((v, member, elem, ty_name));
    }
    Ok(resolved)
}

/// Whether the enum gets a zero value of its own, `<ENUM>_UNSPECIFIED` (no symbol is numbered 0).
pub(super) fn synthesized_zero(symbols: &[Symbol]) -> bool {
    !symbols.iter().any(|s| s.tag == 0)
}

/// `enum Name { NAME_UNSPECIFIED = 0; NAME_SYMBOL = tag; ... }`, or with the symbol numbered 0
/// first when there is one (proto3 wants the zero value first), the others in declaration order.
pub(super) fn enumeration(
    m: &'static Model,
    symbols: &'static [Symbol],
    out: &mut String,
) -> Result<(), SchemaError> {
    let prefix = screaming_snake_case(m.name);
    push_doc(out, "", m.doc);
    out.push_str(&format!("enum {} {{\n", m.name));
    if synthesized_zero(symbols) {
        out.push_str(&format!("  {prefix}_UNSPECIFIED = 0;\n"));
    }
    let mut values: Vec<(&Symbol, String)> = symbols.iter().zip(enum_values(m, symbols)?).collect();
    values.sort_by_key(|(s, _)| s.tag != 0);
    for (s, value) in values {
        push_doc(out, "  ", s.doc);
        out.push_str(&format!("  {value} = {};\n", s.tag));
    }
    out.push_str("}\n");
    Ok(())
}

/// The value names of an enum's symbols ([`ProtoValueName`]), checked against protobuf's rules.
pub(super) fn enum_values(
    m: &'static Model,
    symbols: &'static [Symbol],
) -> Result<Vec<String>, SchemaError> {
    let prefix = screaming_snake_case(m.name);
    let err = |s: &Symbol, reason: String| field_error(m, s.name, m.name.to_string(), reason);
    // protoc rejects proto3 enum values that are equal once the enum-name prefix (if any) is
    // removed and the rest is turned into PascalCase (`FOO_1` and `FOO1`, `FOO_BAR` and `BAR`).
    let mut seen_names: HashMap<String, &str> = HashMap::new();
    if synthesized_zero(symbols) {
        seen_names.insert(protoc_pascal_case("UNSPECIFIED"), "(the zero value)");
    }
    let mut seen_tags: HashMap<i32, &str> = HashMap::new();
    let mut values = Vec::with_capacity(symbols.len());
    for s in symbols {
        let value = match s.proto_name {
            ProtoValueName::Exact(name) => name.to_string(),
            ProtoValueName::Prefixed | ProtoValueName::Unprefixed => {
                let symbol = screaming_snake_case(s.name);
                if symbol.is_empty() {
                    return Err(err(
                        s,
                        "the symbol has no letters or digits to name a protobuf enum value".into(),
                    ));
                }
                if s.proto_name == ProtoValueName::Prefixed {
                    format!("{prefix}_{symbol}")
                } else {
                    symbol
                }
            }
        };
        if !is_ident(&value) {
            return Err(err(
                s,
                format!("`{value}` is not a protobuf enum value name; rename the symbol"),
            ));
        }
        let key = protoc_pascal_case(strip_enum_prefix(m.name, &value));
        if let Some(other) = seen_names.insert(key, s.name) {
            return Err(err(s, format!("its protobuf value `{value}` clashes with the value of {other} (protoc compares values without the enum-name prefix, in PascalCase); rename the symbol")));
        }
        if let Some(other) = seen_tags.insert(s.tag, s.name) {
            return Err(err(
                s,
                format!("protobuf number {} is already used by `{other}`", s.tag),
            ));
        }
        values.push(value);
    }
    Ok(values)
}

/// `value` without the enum-name prefix, as protoc's uniqueness check strips it: the enum's name
/// matched case-insensitively ignoring `_`, then the `_`s after it; `value` itself when it does
/// not start with the name or nothing would remain.
pub(super) fn strip_enum_prefix<'v>(enum_name: &str, value: &'v str) -> &'v str {
    let mut prefix = enum_name
        .chars()
        .filter(|c| *c != '_')
        .map(|c| c.to_ascii_lowercase());
    let mut want = prefix.next();
    let mut rest = value;
    while let Some(w) = want {
        let Some(c) = rest.chars().next() else {
            return value;
        };
        rest = &rest[c.len_utf8()..];
        if c == '_' {
            continue;
        }
        if c.to_ascii_lowercase() != w {
            return value;
        }
        want = prefix.next();
    }
    let rest = rest.trim_start_matches('_');
    if rest.is_empty() {
        value
    } else {
        rest
    }
}

/// Field names and numbers of one message, checked as they are added.
pub(super) struct Members {
    pub(super) names: HashMap<String, String>,
    pub(super) numbers: HashMap<u32, String>,
}

impl Members {
    pub(super) fn new() -> Self {
        Members {
            names: HashMap::new(),
            numbers: HashMap::new(),
        }
    }

    pub(super) fn add(&mut self, name: &str, number: u32) -> Result<(), String> {
        if !is_ident(name) {
            return Err(format!("`{name}` is not a protobuf field name"));
        }
        self.add_owned(name.to_string(), number)
    }

    /// A name without a number (a oneof's name, which shares the fields' namespace).
    pub(super) fn add_name(&mut self, name: &str) -> Result<(), String> {
        if !is_ident(name) {
            return Err(format!("`{name}` is not a protobuf oneof name"));
        }
        let key: String = name
            .chars()
            .filter(|c| *c != '_')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        match self.names.insert(key, name.to_string()) {
            Some(other) => Err(format!(
                "the oneof `{name}` is named like the field `{other}`"
            )),
            None => Ok(()),
        }
    }

    pub(super) fn add_owned(&mut self, name: String, number: u32) -> Result<(), String> {
        if number == 0 || number > MAX_FIELD_NUMBER {
            return Err(format!(
                "protobuf field numbers run from 1 to {MAX_FIELD_NUMBER}; {number} is outside"
            ));
        }
        if RESERVED_FIELD_NUMBERS.contains(&number) {
            return Err(format!(
                "protobuf reserves field numbers 19000 to 19999; {number} is one of them"
            ));
        }
        if let Some(other) = self.numbers.insert(number, name.clone()) {
            return Err(format!(
                "protobuf field number {number} is already used by `{other}`"
            ));
        }
        // protoc (proto3) requires names to differ once lowercased without underscores, since
        // their JSON names could otherwise clash.
        let key: String = name
            .chars()
            .filter(|c| *c != '_')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if let Some(other) = self.names.insert(key, name.clone()) {
            return Err(if other == name {
                format!("the message already has a field named `{name}`")
            } else {
                format!("protobuf (proto3) needs field names to differ beyond case and underscores, like `{other}` and `{name}`")
            });
        }
        Ok(())
    }
}
