//! Schemas of records, enums, unions (per serde tagging) and field types.

use super::*;

pub(super) struct Renderer {
    /// The root's full name: references to it are `{"$ref": "#"}`.
    pub(super) root_name: String,
    /// Named types referenced through `$ref` (never the root), each once.
    pub(super) referenced: Vec<&'static Model>,
}

impl Renderer {
    /// The schema of a named type, without `description`.
    pub(super) fn model_body(&mut self, m: &'static Model) -> Result<Obj, SchemaError> {
        match m.shape {
            Shape::Record(fields) if m.tuple => Ok(self.tuple_array(fields, m.json_absent_items)),
            Shape::Record(fields) => self.record_object(m, fields, None, false),
            Shape::Enum(symbols) => Ok(enum_schema(symbols)),
            Shape::Union(u) => self.union_schema(m, u),
            // Only reached for a fixed type as a root; fields render it inline.
            Shape::Fixed(n) => Ok(bytes_schema(Some(n), FieldOptions::default())),
            Shape::Duration => Ok(duration_schema()),
            Shape::Primitive(t, validators) => {
                // A newtype's validators constrain the root as a field's constrain its property.
                let mut o = self.type_schema(&t, FieldOptions::default());
                constrain(&mut o.0, &t, FieldOptions::default(), validators, true);
                Ok(o)
            }
        }
    }

    /// `{"type": "object", "properties": ..., "required": ...}`, with an internal tag first
    /// when given as `(tag, variant name)`.
    pub(super) fn record_object(
        &mut self,
        m: &'static Model,
        fields: &'static [Field],
        tag: Option<(&'static str, &'static str)>,
        closed: bool,
    ) -> Result<Obj, SchemaError> {
        let mut properties = Obj::new();
        let mut required: Vec<&str> = Vec::new();
        // A flattened map's values: the schema of every property not listed.
        let mut extra = None;
        if let Some((tag, variant)) = tag {
            properties.push(tag, const_schema(variant));
            required.push(tag);
        }
        for f in fields {
            if let Some((tag, _)) = tag.filter(|(tag, _)| *tag == f.name) {
                return Err(SchemaError::Unrepresentable {
                    format: FORMAT,
                    record: m.rust_name,
                    field: f.name,
                    ty: f.ty.to_string(),
                    reason: format!(
                        "the field has the name of the enum's tag `{tag}`, so serde would write \
                         the key twice; rename the field or the tag"
                    ),
                });
            }
            if f.json_flatten {
                extra = Some(self.flattened(m, f)?);
                continue;
            }
            // (`required_only`: no schema of its own; any value, as an extra property.)
            if !f.json_required_only {
                properties.push(f.name, self.field_schema(m, f)?);
            }
            if is_required(f) {
                required.push(f.name);
            }
        }
        let mut o = Obj::typed("object").with("properties", properties);
        if !required.is_empty() {
            o.push("required", Node::strs(required));
        }
        if let Some(values) = extra {
            o.push("additionalProperties", values);
        } else if closed || is_closed(m) {
            o.push("additionalProperties", false);
        }
        // (A variant's record has none: the bounds are the struct's own.)
        if let Some(n) = m.min_properties {
            o.push("minProperties", n as i64);
        }
        if let Some(n) = m.max_properties {
            o.push("maxProperties", n as i64);
        }
        Ok(o)
    }

    /// The schema of a `#[serde(flatten)]` map's values: serde writes its entries as the
    /// object's own properties, so they are the object's `additionalProperties`.
    fn flattened(&mut self, m: &'static Model, f: &'static Field) -> Result<Obj, SchemaError> {
        match &f.ty {
            Type::Map(values) => Ok(self.type_schema(values, f.options)),
            other => Err(SchemaError::Unrepresentable {
                format: FORMAT,
                record: m.rust_name,
                field: f.name,
                ty: other.to_string(),
                reason: "serde flattens a map with string keys into the object's extra \
                         properties; this field is not one"
                    .to_string(),
            }),
        }
    }

    /// A tuple struct: `{"type": "array", "items": [..], "additionalItems": false, "minItems":
    /// k}`. serde reads exactly the fields' values (more is an error), and fewer only when the
    /// missing ones have a serde default, so k is 1 + the last field without one (omitted
    /// when 0). `minItems` is what the defaults say here: the items carry no `default` (an
    /// annotation on a position, which validators do not fill in either). A last field
    /// `#[record(rest)] Vec<T>` holds the items after the others: `additionalItems` is T's
    /// schema, or absent (open) when T is any JSON value. `absent` `false` items follow the
    /// fields' (`Model::json_absent_items`: the derive allows them in a closed tuple only).
    pub(super) fn tuple_array(&mut self, fields: &'static [Field], absent: usize) -> Obj {
        let (fixed, rest) = match fields.split_last() {
            Some((last, init)) if last.json_rest => (init, Some(last)),
            _ => (fields, None),
        };
        // The `#[record(absent)]` positions after the fields: `false`, which no value matches.
        let items = fixed
            .iter()
            .map(|f| self.annotated(f, None).into_node())
            .chain((0..absent).map(|_| Node::Leaf(Value::Bool(false))))
            .collect();
        let min = fixed
            .iter()
            .rposition(|f| f.default.is_none())
            .map_or(0, |i| i + 1);
        let mut o = Obj::typed("array").with("items", Node::Array(items));
        match rest.map(|f| (&f.ty, f.options)) {
            None => o.push("additionalItems", false),
            Some((Type::List(Type::Any), _)) => {}
            Some((Type::List(item), opts)) => {
                let item = self.type_schema(item, opts);
                o.push("additionalItems", item);
            }
            // (The derive's const check allows only a list.)
            Some((other, opts)) => {
                let other = self.type_schema(other, opts);
                o.push("additionalItems", other);
            }
        }
        if min > 0 {
            o.push("minItems", min as i64);
        }
        o
    }

    /// A property: the type's schema plus `description`, `default` and `confluent:tags`.
    pub(super) fn field_schema(
        &mut self,
        m: &'static Model,
        f: &'static Field,
    ) -> Result<Obj, SchemaError> {
        let default = match f.default {
            // serde leaves a `None` out, so no `null` (not even the default) is written.
            Some(default) if f.json_skips_none && matches!(default(), Literal::Null) => None,
            Some(default) => {
                let cx = DefaultCx {
                    record: m.rust_name,
                    field: f.name,
                };
                Some(literal_node(&default(), &f.ty, f.options, &cx)?)
            }
            None => None,
        };
        let o = self.annotated(f, default);
        if f.json_all_of.is_empty() {
            return Ok(o);
        }
        // `#[record(json_all_of)]`: the groups' keywords as branches, the rest beside them.
        let mut rest = o.0;
        let mut branches = Vec::with_capacity(f.json_all_of.len());
        for group in f.json_all_of {
            let mut branch = Obj::new();
            for key in *group {
                let Some(i) = rest.iter().position(|(k, _)| k == key) else {
                    return Err(SchemaError::Unrepresentable {
                        format: FORMAT,
                        record: m.rust_name,
                        field: f.name,
                        ty: f.ty.to_string(),
                        reason: format!(
                            "#[record(json_all_of)] names `{key}`, which the property's schema \
                             does not have"
                        ),
                    });
                };
                let (k, v) = rest.remove(i);
                branch.push(&k, v);
            }
            branches.push(branch.into_node());
        }
        let mut out = Obj(rest);
        out.push("allOf", Node::Array(branches));
        Ok(out)
    }

    /// The field type's schema with the field's `description`, `default` and tags.
    fn annotated(&mut self, f: &'static Field, default: Option<Node>) -> Obj {
        let field_ty = json_type(f);
        let mut ty = self.type_schema(field_ty, f.options);
        constrain(&mut ty.0, field_ty, f.options, f.validators, true);
        if f.doc.is_none() && default.is_none() && f.tags.is_empty() {
            return ty;
        }
        if ty.is_bare_ref() {
            // Draft-07 ignores every keyword beside `$ref`.
            ty = Obj::new().with("allOf", Node::Array(vec![ty.into_node()]));
        }
        let mut out = Obj::new();
        if let Some(doc) = f.doc {
            out.push("description", Node::str(doc));
        }
        out.extend(ty);
        if let Some(default) = default {
            out.push("default", default);
        }
        if !f.tags.is_empty() {
            out.push(TAGS_KEYWORD, Node::strs(f.tags.iter().copied()));
        }
        out
    }

    /// The schema of a field type; `opts` apply to the innermost scalar.
    pub(super) fn type_schema(&mut self, ty: &Type, opts: FieldOptions) -> Obj {
        match ty {
            Type::Bool => Obj::typed("boolean"),
            Type::Null => Obj::typed("null"),
            // No keyword: every JSON value is valid, as for serde_json::Value.
            Type::Any => Obj::new(),
            // serde's forms (chrono, time): no offset, so not JSON Schema's `time`/`date-time`.
            Type::Time => Obj::typed("string").with("pattern", Node::str(TIME_PATTERN)),
            Type::LocalTimestamp => {
                Obj::typed("string").with("pattern", Node::str(LOCAL_TIMESTAMP_PATTERN))
            }
            Type::Int(kind) => int_schema(*kind),
            Type::Float | Type::Double => Obj::typed("number"),
            Type::String => Obj::typed("string"),
            Type::Bytes => bytes_schema(None, opts),
            Type::Fixed(n) => bytes_schema(Some(*n), opts),
            Type::Duration => duration_schema(),
            Type::Uuid => Obj::typed("string").with("format", Node::str("uuid")),
            Type::Timestamp => Obj::typed("string").with("format", Node::str("date-time")),
            Type::Date => Obj::typed("string").with("format", Node::str("date")),
            Type::Decimal => Obj::typed("string").with("pattern", Node::str(DECIMAL_PATTERN)),
            Type::Option(inner) => {
                // serde writes `None` and `Some(None)` alike as `null`: one null branch.
                let mut inner: &Type = inner;
                while let Type::Option(t) = inner {
                    inner = t;
                }
                let branches = vec![
                    Obj::typed("null").into_node(),
                    self.type_schema(inner, opts).into_node(),
                ];
                Obj::new().with("oneOf", Node::Array(branches))
            }
            // Items of any kind: `items: {}` says nothing, and hand-written schemas leave it
            // out (Confluent's diff tells an absent `items` from `{}`, so we follow them).
            Type::List(Type::Any) => Obj::typed("array"),
            Type::List(items) => Obj::typed("array").with("items", self.type_schema(items, opts)),
            Type::Map(values) => {
                Obj::typed("object").with("additionalProperties", self.type_schema(values, opts))
            }
            // serde JSON writes an integer or bool key as a string: its decimal text.
            Type::KeyedMap { key, value } => Obj::typed("object")
                .with(
                    "propertyNames",
                    Obj::new().with("pattern", Node::str(key_pattern(*key))),
                )
                .with("additionalProperties", self.type_schema(value, opts)),
            Type::Named(f) => match f().shape {
                // A named fixed type has no name in JSON Schema: bytes of its size.
                Shape::Fixed(n) => bytes_schema(Some(n), opts),
                Shape::Duration => duration_schema(),
                _ => self.reference(f()),
            },
        }
    }

    /// `oneOf` with one branch per variant, following the serde tagging; `anyOf` for an
    /// untagged enum, whose JSON may fit several variants (serde takes the first that fits, so
    /// a value valid for two branches is still a value: `oneOf` would reject it).
    pub(super) fn union_schema(
        &mut self,
        m: &'static Model,
        u: &'static Union,
    ) -> Result<Obj, SchemaError> {
        if u.variants.is_empty() {
            // No value of an empty enum exists, so nothing validates.
            return Ok(Obj::new().with("not", Obj::new()));
        }
        let mut branches = Vec::with_capacity(u.variants.len());
        for v in u.variants {
            let branch = match u.tagging {
                Tagging::External => self.external_variant(v)?,
                Tagging::Internal { tag } => self.internal_variant(m, v, tag)?,
                Tagging::Adjacent { tag, content } => self.adjacent_variant(m, v, tag, content)?,
                Tagging::Untagged if is_unit(&v.payload) => Obj::typed("null"),
                Tagging::Untagged => self.payload_schema(v)?,
            };
            let mut b = Obj::new();
            if let Some(title) = v.title {
                b.push("title", Node::str(title));
            }
            if let Some(doc) = v.doc {
                b.push("description", Node::str(doc));
            }
            b.extend(branch);
            branches.push(b.into_node());
        }
        let combinator = match u.tagging {
            Tagging::Untagged => "anyOf",
            _ => "oneOf",
        };
        Ok(Obj::new().with(combinator, Node::Array(branches)))
    }

    /// The schema of what a variant carries (external and adjacent tagging).
    pub(super) fn payload_schema(&mut self, v: &'static Variant) -> Result<Obj, SchemaError> {
        match v.payload {
            Payload::Struct(pm) => self.model_body(pm),
            Payload::Newtype(t) => {
                // The variant's rules constrain its value as a field's constrain a property.
                let mut o = self.type_schema(&t, FieldOptions::default());
                constrain(&mut o.0, &t, FieldOptions::default(), v.validators, true);
                Ok(o)
            }
        }
    }

    /// `"V"` for a unit variant, `{"V": payload}` otherwise.
    pub(super) fn external_variant(&mut self, v: &'static Variant) -> Result<Obj, SchemaError> {
        if is_unit(&v.payload) {
            return Ok(const_schema(v.name));
        }
        let payload = self.payload_schema(v)?;
        Ok(Obj::typed("object")
            .with("properties", Obj::new().with(v.name, payload))
            .with("required", Node::strs([v.name]))
            .with("additionalProperties", false))
    }

    /// `{tag: "V", ...fields}`.
    pub(super) fn internal_variant(
        &mut self,
        m: &'static Model,
        v: &'static Variant,
        tag: &'static str,
    ) -> Result<Obj, SchemaError> {
        match v.payload {
            Payload::Struct(pm) => match pm.shape {
                Shape::Record(fields) => {
                    self.record_object(pm, fields, Some((tag, v.name)), is_closed(m))
                }
                _ => Err(not_internally_taggable(m, v, pm.rust_name)),
            },
            Payload::Newtype(Type::Named(f)) => {
                let target = f();
                let (Shape::Record(fields), false) = (target.shape, target.tuple) else {
                    return Err(not_internally_taggable(m, v, target.rust_name));
                };
                if let Some(clash) = fields.iter().find(|f| f.name == tag) {
                    return Err(SchemaError::Unrepresentable {
                        format: FORMAT,
                        record: m.rust_name,
                        field: v.name,
                        ty: target.rust_name.to_string(),
                        reason: format!(
                            "`{}` has a field `{}`, the name of the enum's tag, so serde would \
                             write the key twice; rename the field or the tag",
                            target.rust_name, clash.name
                        ),
                    });
                }
                if is_closed(target) {
                    // The referenced schema forbids the tag as an extra property: inline it.
                    return self.record_object(target, fields, Some((tag, v.name)), false);
                }
                let tag_only = Obj::typed("object")
                    .with("properties", Obj::new().with(tag, const_schema(v.name)))
                    .with("required", Node::strs([tag]));
                let parts = vec![self.reference(target).into_node(), tag_only.into_node()];
                Ok(Obj::new().with("allOf", Node::Array(parts)))
            }
            Payload::Newtype(t) => Err(not_internally_taggable(m, v, &t.to_string())),
        }
    }

    /// `{tag: "V", content: payload}` (no content for a unit variant).
    pub(super) fn adjacent_variant(
        &mut self,
        m: &'static Model,
        v: &'static Variant,
        tag: &'static str,
        content: &'static str,
    ) -> Result<Obj, SchemaError> {
        let mut properties = Obj::new().with(tag, const_schema(v.name));
        let mut required = vec![tag];
        if !is_unit(&v.payload) {
            properties.push(content, self.payload_schema(v)?);
            required.push(content);
        }
        let mut o = Obj::typed("object")
            .with("properties", properties)
            .with("required", Node::strs(required));
        if is_closed(m) {
            o.push("additionalProperties", false);
        }
        Ok(o)
    }
}

/// Whether the type's objects are closed (`"additionalProperties": false`): unless it asks for
/// an open content model, and always when serde rejects unknown fields.
pub(super) fn is_closed(m: &Model) -> bool {
    !m.open_content || m.deny_unknown_fields
}

pub(super) fn not_internally_taggable(
    m: &'static Model,
    v: &'static Variant,
    ty: &str,
) -> SchemaError {
    SchemaError::Unrepresentable {
        format: FORMAT,
        record: m.rust_name,
        field: v.name,
        ty: ty.to_string(),
        reason: "serde cannot write an internally tagged (`#[serde(tag = \"...\")]`) newtype \
                 variant unless it holds a struct; use a struct variant, hold a record, or \
                 choose external or adjacent tagging"
            .to_string(),
    }
}

/// A variant whose payload is a record without fields is a unit variant (see the module docs).
pub(super) fn is_unit(payload: &Payload) -> bool {
    matches!(payload, Payload::Struct(pm) if matches!(pm.shape, Shape::Record(fields) if fields.is_empty()))
}

/// The type JSON holds for the field: an `Option` serde skips when `None` never holds `null`,
/// so its schema is the inner type's (the field is not required: see [`is_required`]).
pub(super) fn json_type(f: &'static Field) -> &'static Type {
    let mut ty = &f.ty;
    if f.json_skips_none {
        while let Type::Option(inner) = ty {
            ty = inner;
        }
    }
    ty
}

/// An `Option` is optional only with its usual null default: `#[record(no_default)]` and a
/// `#[record(null_last)]` without a default say the field has no default, so a document must
/// hold it (`null` or a value), as in Avro.
pub(super) fn is_required(f: &Field) -> bool {
    let null_default = f.ty.is_option() && f.option_union == OptionUnion::Auto;
    !(null_default || f.default.is_some() || f.json_optional)
}

pub(super) fn int_schema(kind: IntKind) -> Obj {
    let o = Obj::typed("integer");
    match kind {
        IntKind::I64 => o,
        IntKind::U64 => o.with("minimum", 0i64),
        _ => {
            let (min, max) = kind.range();
            let mut o = o;
            // Every range left fits in an i64.
            if let (Ok(min), Ok(max)) = (i64::try_from(min), i64::try_from(max)) {
                o.push("minimum", min);
                o.push("maximum", max);
            }
            o
        }
    }
}

/// The keys serde JSON writes for a map key type: `true`/`false`, or an integer's decimal text
/// with no more digits than the type can have (the exact range is beyond a regex worth reading).
pub(super) fn key_pattern(key: MapKey) -> String {
    match key {
        MapKey::Bool => "^(true|false)$".into(),
        MapKey::Int(kind) => {
            let (min, max) = kind.range();
            let digits = max.max(-min).to_string().len();
            let sign = if kind.is_signed() { "-?" } else { "" };
            format!("^{sign}(0|[1-9][0-9]{{0,{}}})$", digits - 1)
        }
    }
}

pub(super) fn bytes_schema(len: Option<usize>, opts: FieldOptions) -> Obj {
    let as_i64 = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    if opts.json_bytes_base64 {
        let mut o = Obj::typed("string").with("contentEncoding", Node::str("base64"));
        if let Some(n) = len {
            // Standard base64 with padding: 4 characters per started group of 3 bytes.
            let chars = as_i64(n.div_ceil(3).saturating_mul(4));
            o.push("minLength", chars);
            o.push("maxLength", chars);
        }
        return o;
    }
    let byte = Obj::typed("integer")
        .with("minimum", 0i64)
        .with("maximum", 255i64);
    let mut o = Obj::typed("array").with("items", byte);
    if let Some(n) = len {
        o.push("minItems", as_i64(n));
        o.push("maxItems", as_i64(n));
    }
    o
}

/// serde's form of an [`AvroDuration`](crate::duration::AvroDuration).
pub(super) fn duration_schema() -> Obj {
    let word = || {
        Obj::typed("integer")
            .with("minimum", 0i64)
            .with("maximum", i64::from(u32::MAX))
    };
    let mut props = Obj::new();
    for name in ["months", "days", "millis"] {
        props.push(name, word());
    }
    Obj::typed("object")
        .with("properties", props)
        .with("required", Node::strs(["months", "days", "millis"]))
        .with("additionalProperties", false)
}

pub(super) fn enum_schema(symbols: &'static [Symbol]) -> Obj {
    Obj::typed("string").with("enum", Node::strs(symbols.iter().map(|s| s.name)))
}
