//! The `json+faust` writer: a serde [`Serializer`] that writes JSON the way Faust's json codec
//! (Python's `json.dumps` with `separators=(",", ":")` and `ensure_ascii`) does, guided by the
//! model so it knows which objects are records (they get `"__faust"` last) and which enum values
//! are polymorphic fields (written bare). One pass, straight into the output buffer.

// Over 800 lines: serde's `Serializer` and its compound traits are ~30 methods per helper (value,
// key, struct, sequence); they are one unit.

use std::fmt::Write as _;
use std::io::Write as _;

use serde::ser::{self, Impossible, Serialize};

use super::{polymorphic, FAUST_KEY};
use crate::model::{Field, Model, Payload, Shape, Tagging, Type, Union, Variant};

type Error = serde_json::Error;

/// What the model says about the value being written.
#[derive(Clone, Copy)]
enum Guide {
    /// Nothing (inside a type the model does not describe further: a map key, bytes, ...).
    Any,
    Ty(&'static Type),
    Model(&'static Model),
}

impl Guide {
    /// The named model behind this guide, if any.
    fn model(self) -> Option<&'static Model> {
        match self {
            Guide::Model(m) => Some(m),
            Guide::Ty(Type::Named(f)) => Some(f()),
            _ => None,
        }
    }

    /// The guide for the content of an `Option`, list or map.
    fn element(self) -> Guide {
        match self {
            Guide::Ty(
                Type::Option(t) | Type::List(t) | Type::Map(t) | Type::KeyedMap { value: t, .. },
            ) => Guide::Ty(t),
            Guide::Model(Model {
                shape: Shape::Primitive(t, _),
                ..
            }) => Guide::Ty(t).element(),
            _ => Guide::Any,
        }
    }

    fn union(self) -> Option<&'static Union> {
        match self.model()?.shape {
            Shape::Union(u) => Some(u),
            _ => None,
        }
    }

    fn record(self) -> Option<&'static Model> {
        self.model().filter(|m| matches!(m.shape, Shape::Record(_)))
    }
}

/// Writes `value` as Faust does; `metadata` = Faust's `include_metadata`.
pub(super) fn write<T: Serialize + ?Sized>(
    model: &'static Model,
    value: &T,
    metadata: bool,
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    value.serialize(Ser {
        out,
        guide: Guide::Model(model),
        metadata,
    })
}

struct Ser<'o> {
    out: &'o mut Vec<u8>,
    guide: Guide,
    metadata: bool,
}

impl<'o> Ser<'o> {
    fn with(&mut self, guide: Guide) -> Ser<'_> {
        Ser {
            out: self.out,
            guide,
            metadata: self.metadata,
        }
    }
}

/// Python's `json` string escaping with `ensure_ascii=True`: printable ASCII as is (but `"` and
/// `\`), the short escapes `\n \r \t \b \f`, everything else `\uXXXX` in lower-case hex, and
/// characters beyond the BMP as a UTF-16 surrogate pair.
pub(crate) fn write_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let short: &[u8] = match c {
            '"' => b"\\\"",
            '\\' => b"\\\\",
            '\n' => b"\\n",
            '\r' => b"\\r",
            '\t' => b"\\t",
            '\u{8}' => b"\\b",
            '\u{c}' => b"\\f",
            ' '..='~' => continue,
            _ => b"",
        };
        out.extend_from_slice(&bytes[start..i]);
        start = i + c.len_utf8();
        if !short.is_empty() {
            out.extend_from_slice(short);
            continue;
        }
        let mut units = [0u16; 2];
        for unit in c.encode_utf16(&mut units) {
            push_u_escape(out, *unit);
        }
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

fn push_u_escape(out: &mut Vec<u8>, unit: u16) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.extend_from_slice(b"\\u");
    for shift in [12, 8, 4, 0] {
        out.push(HEX[usize::from((unit >> shift) & 0xf)]);
    }
}

/// A float as Python's `float.__repr__` (and so `json.dumps`) writes it: the shortest digits
/// that round-trip, positional notation for decimal exponents -4 ..= 15 (with `.0` for
/// integers), otherwise `d.ddde+XX` with at least two exponent digits; `NaN`, `Infinity`,
/// `-Infinity` (Python's `allow_nan=True` default).
pub(crate) fn write_float(out: &mut Vec<u8>, v: f64, shortest: impl std::fmt::LowerExp) {
    if v.is_nan() {
        return out.extend_from_slice(b"NaN");
    }
    if v.is_infinite() {
        let s: &[u8] = if v > 0.0 { b"Infinity" } else { b"-Infinity" };
        return out.extend_from_slice(s);
    }
    // Rust's `{:e}` writes the shortest round-trip digits, `-1.2345e-7`: take them apart.
    let mut buf = StackBuf::default();
    // A float's `{:e}` (at most 24 bytes, `-2.2250738585072014e-308`) fits the 32 bytes.
    let _ = write!(buf, "{shortest:e}");
    let s = buf.as_bytes();
    let (negative, s) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, s),
    };
    let e_at = s.iter().position(|&b| b == b'e').unwrap_or(s.len());
    let (mantissa, exp) = s.split_at(e_at);
    let exp: i32 = std::str::from_utf8(exp.get(1..).unwrap_or_default())
        .ok()
        .and_then(|e| e.parse().ok())
        .unwrap_or(0);
    let mut digits = [0u8; 24];
    let mut n = 0;
    for &b in mantissa.iter().filter(|b| b.is_ascii_digit()) {
        if n < digits.len() {
            digits[n] = b;
            n += 1;
        }
    }
    let digits = &digits[..n.max(1)];
    if negative {
        out.push(b'-');
    }
    // Python's rule (`float_repr_style = 'short'`, repr mode 'r'): with the value written as
    // 0.DIGITS × 10^decpt, exponent notation iff decpt <= -4 or decpt > 16.
    let decpt = exp + 1;
    if decpt <= -4 || decpt > 16 {
        out.push(digits[0]);
        if digits.len() > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits[1..]);
        }
        let _ = write!(
            out,
            "e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.unsigned_abs()
        );
    } else if decpt <= 0 {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', decpt.unsigned_abs() as usize));
        out.extend_from_slice(digits);
    } else {
        let point = decpt as usize;
        if point >= digits.len() {
            out.extend_from_slice(digits);
            out.extend(std::iter::repeat_n(b'0', point - digits.len()));
            out.extend_from_slice(b".0");
        } else {
            out.extend_from_slice(&digits[..point]);
            out.push(b'.');
            out.extend_from_slice(&digits[point..]);
        }
    }
}

/// `{:e}` of a float, on the stack.
#[derive(Default)]
struct StackBuf {
    bytes: [u8; 32],
    len: usize,
}

impl StackBuf {
    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl std::fmt::Write for StackBuf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let dst = self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

fn write_metadata(out: &mut Vec<u8>, model: &Model, first: bool) {
    if !first {
        out.push(b',');
    }
    write_str(out, FAUST_KEY);
    out.extend_from_slice(b":{\"ns\":");
    match model.namespace {
        Some(ns) if !ns.is_empty() => {
            // One escaped string of `ns.Name` without building it first.
            let mut joined = String::with_capacity(ns.len() + 1 + model.name.len());
            joined.push_str(ns);
            joined.push('.');
            joined.push_str(model.name);
            write_str(out, &joined);
        }
        _ => write_str(out, model.name),
    }
    out.push(b'}');
}

fn field_guide(fields: &'static [Field], key: &str) -> Guide {
    fields
        .iter()
        .find(|f| f.name == key)
        .map_or(Guide::Any, |f| Guide::Ty(&f.ty))
}

fn payload_record(variant: &'static Variant) -> Option<&'static Model> {
    let m = match &variant.payload {
        Payload::Newtype(Type::Named(f)) => f(),
        Payload::Newtype(_) => return None,
        Payload::Struct(m) => m,
    };
    matches!(m.shape, Shape::Record(_)).then_some(m)
}

fn payload_guide(variant: &'static Variant) -> Guide {
    match &variant.payload {
        Payload::Newtype(t) => Guide::Ty(t),
        Payload::Struct(m) => Guide::Model(m),
    }
}

macro_rules! write_display {
    ($($method:ident: $t:ty),*) => {$(
        fn $method(self, v: $t) -> Result<(), Error> {
            let _ = write!(self.out, "{v}");
            Ok(())
        }
    )*};
}

impl<'o> ser::Serializer for Ser<'o> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Seq<'o>;
    type SerializeTuple = Seq<'o>;
    type SerializeTupleStruct = Seq<'o>;
    type SerializeTupleVariant = Seq<'o>;
    type SerializeMap = Object<'o>;
    type SerializeStruct = Object<'o>;
    type SerializeStructVariant = Object<'o>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }

    write_display!(
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_u128: u128
    );

    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        // The f32's own shortest digits: what a reader parsing them as a double writes back.
        write_float(self.out, f64::from(v), v);
        Ok(())
    }

    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        write_float(self.out, v, v);
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        write_str(self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_str(self.out, v);
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        // As serde_json: an array of numbers.
        self.out.push(b'[');
        for (i, b) in v.iter().enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            let _ = write!(self.out, "{b}");
        }
        self.out.push(b']');
        Ok(())
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(mut self, value: &T) -> Result<(), Error> {
        let guide = self.guide.element();
        value.serialize(self.with(guide))
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.serialize_none()
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.serialize_none()
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _: &'static str,
        _: u32,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let variant = self
            .guide
            .union()
            .and_then(|u| Some((u, u.variants.iter().find(|v| v.name == name)?)));
        if let Some((union, variant)) = variant {
            if polymorphic(union, variant) {
                // Faust's polymorphic field: the bare record, with its own `ns`.
                return value.serialize(self.with(payload_guide(variant)));
            }
        }
        self.out.push(b'{');
        write_str(self.out, name);
        self.out.push(b':');
        let guide = variant.map_or(Guide::Any, |(_, v)| payload_guide(v));
        value.serialize(self.with(guide))?;
        self.out.push(b'}');
        Ok(())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'o>, Error> {
        self.out.push(b'[');
        Ok(Seq {
            guide: self.guide.element(),
            out: self.out,
            metadata: self.metadata,
            first: true,
            close: b"]",
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<Seq<'o>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'o>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Seq<'o>, Error> {
        self.out.push(b'{');
        write_str(self.out, variant);
        self.out.extend_from_slice(b":[");
        Ok(Seq {
            guide: Guide::Any,
            out: self.out,
            metadata: self.metadata,
            first: true,
            close: b"]}",
        })
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Object<'o>, Error> {
        // A map, or a record or enum serde writes through a map.
        let kind = Object::kind_for(self.guide);
        let guide = self.guide.element();
        Ok(Object::open(self.out, self.metadata, kind, guide, b"}"))
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Object<'o>, Error> {
        let kind = Object::kind_for(self.guide);
        Ok(Object::open(
            self.out,
            self.metadata,
            kind,
            Guide::Any,
            b"}",
        ))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        name: &'static str,
        _: usize,
    ) -> Result<Object<'o>, Error> {
        let model = self
            .guide
            .union()
            .and_then(|u| u.variants.iter().find(|v| v.name == name))
            .and_then(payload_record);
        self.out.push(b'{');
        write_str(self.out, name);
        self.out.push(b':');
        let kind = model.map_or(Kind::Plain, Kind::Record);
        Ok(Object::open(
            self.out,
            self.metadata,
            kind,
            Guide::Any,
            b"}}",
        ))
    }
}

/// A JSON array being written.
struct Seq<'o> {
    out: &'o mut Vec<u8>,
    guide: Guide,
    metadata: bool,
    first: bool,
    close: &'static [u8],
}

impl Seq<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        if !std::mem::take(&mut self.first) {
            self.out.push(b',');
        }
        value.serialize(Ser {
            out: self.out,
            guide: self.guide,
            metadata: self.metadata,
        })
    }

    fn close(self) -> Result<(), Error> {
        self.out.extend_from_slice(self.close);
        Ok(())
    }
}

macro_rules! seq_impl {
    ($($trait:ident: $method:ident),*) => {$(
        impl ser::$trait for Seq<'_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.element(value)
            }
            fn end(self) -> Result<(), Error> {
                self.close()
            }
        }
    )*};
}

seq_impl!(
    SerializeSeq: serialize_element,
    SerializeTuple: serialize_element,
    SerializeTupleStruct: serialize_field,
    SerializeTupleVariant: serialize_field
);

/// What an object being written is, as far as Faust cares.
#[derive(Clone, Copy)]
enum Kind {
    /// A map or an object the model does not know: nothing added.
    Plain,
    /// A record: its fields, then `"__faust"` last.
    Record(&'static Model),
    /// An internally or adjacently tagged enum whose first entry (serde writes the tag first)
    /// has not come yet; nothing is written before it.
    Tagged(&'static Union),
    /// An adjacently tagged polymorphic field: only the content is written, bare.
    Bare,
}

/// A JSON object being written.
struct Object<'o> {
    out: &'o mut Vec<u8>,
    metadata: bool,
    kind: Kind,
    /// The guide for values whose key names no field (map values).
    values: Guide,
    first: bool,
    /// The guide for the value of the key just written (maps).
    pending: Guide,
    /// Whether the value of the key just written is to be dropped (an internal tag we omit).
    skip_value: bool,
    close: &'static [u8],
}

impl<'o> Object<'o> {
    fn kind_for(guide: Guide) -> Kind {
        if let Some(m) = guide.record() {
            return Kind::Record(m);
        }
        match guide.union() {
            Some(u)
                if matches!(
                    u.tagging,
                    Tagging::Internal { .. } | Tagging::Adjacent { .. }
                ) =>
            {
                Kind::Tagged(u)
            }
            _ => Kind::Plain,
        }
    }

    fn open(
        out: &'o mut Vec<u8>,
        metadata: bool,
        kind: Kind,
        values: Guide,
        close: &'static [u8],
    ) -> Self {
        if !matches!(kind, Kind::Tagged(_)) {
            out.push(b'{');
        }
        Object {
            out,
            metadata,
            kind,
            values,
            first: true,
            pending: Guide::Any,
            skip_value: false,
            close,
        }
    }

    fn guide_for(&self, key: &str) -> Guide {
        match self.kind {
            Kind::Record(Model {
                shape: Shape::Record(fields),
                ..
            }) => field_guide(fields, key),
            _ => self.values,
        }
    }

    /// Writes `"key":` (and the comma before it); `false` when the entry is to be dropped.
    fn key(&mut self, key: &str) -> Result<bool, Error> {
        if let Kind::Tagged(_) = self.kind {
            return Err(ser::Error::custom(
                "json+faust: a tagged enum's first entry must be its tag",
            ));
        }
        if matches!(self.kind, Kind::Bare) {
            return Ok(false);
        }
        if !std::mem::take(&mut self.first) {
            self.out.push(b',');
        }
        write_str(self.out, key);
        self.out.push(b':');
        Ok(true)
    }

    /// Handles the entry `key: value`, the tag of a tagged enum included.
    fn entry<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        if let Kind::Tagged(union) = self.kind {
            return self.tag(union, key, value);
        }
        if let Kind::Bare = self.kind {
            // Adjacent tagging: only the content entry comes after the tag.
            return value.serialize(Ser {
                out: self.out,
                guide: self.values,
                metadata: self.metadata,
            });
        }
        let guide = self.guide_for(key);
        self.key(key)?;
        value.serialize(Ser {
            out: self.out,
            guide,
            metadata: self.metadata,
        })
    }

    /// The first entry of an internally or adjacently tagged enum: decides how the rest is
    /// written.
    fn tag<T: Serialize + ?Sized>(
        &mut self,
        union: &'static Union,
        key: &str,
        value: &T,
    ) -> Result<(), Error> {
        let mut name = String::new();
        value.serialize(KeySer(&mut name))?;
        let variant = union.variants.iter().find(|v| v.name == name);
        let poly = variant.is_some_and(|v| polymorphic(union, v));
        match (union.tagging, variant) {
            (Tagging::Internal { .. }, Some(variant)) => {
                self.out.push(b'{');
                self.kind = payload_record(variant).map_or(Kind::Plain, Kind::Record);
                self.values = payload_guide(variant).element();
                if !poly {
                    self.first = false;
                    write_str(self.out, key);
                    self.out.push(b':');
                    write_str(self.out, &name);
                }
            }
            (Tagging::Adjacent { .. }, Some(variant)) if poly => {
                self.kind = Kind::Bare;
                self.values = payload_guide(variant);
                self.close = b"";
            }
            (Tagging::Adjacent { content, .. }, Some(variant)) => {
                self.out.push(b'{');
                self.kind = Kind::Plain;
                self.first = false;
                write_str(self.out, key);
                self.out.push(b':');
                write_str(self.out, &name);
                // Only the content entry follows; route it by the payload.
                let _ = content;
                self.values = payload_guide(variant);
            }
            _ => {
                self.out.push(b'{');
                self.kind = Kind::Plain;
                self.first = false;
                write_str(self.out, key);
                self.out.push(b':');
                write_str(self.out, &name);
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<(), Error> {
        match self.kind {
            Kind::Tagged(_) => self.out.extend_from_slice(b"{}"),
            Kind::Bare => {}
            Kind::Record(model) => {
                if self.metadata {
                    write_metadata(self.out, model, self.first);
                }
                self.out.extend_from_slice(self.close);
            }
            Kind::Plain => self.out.extend_from_slice(self.close),
        }
        Ok(())
    }
}

impl ser::SerializeMap for Object<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        let mut k = String::new();
        key.serialize(KeySer(&mut k))?;
        if let Kind::Tagged(union) = self.kind {
            // serde's internally tagged newtype of a map: the tag entry comes first, whole.
            let _ = union;
            return Err(ser::Error::custom(
                "json+faust: a tagged enum's tag must come as one entry",
            ));
        }
        self.pending = self.guide_for(&k);
        self.skip_value = !self.key(&k)?;
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        if std::mem::take(&mut self.skip_value) {
            return Ok(());
        }
        value.serialize(Ser {
            out: self.out,
            guide: self.pending,
            metadata: self.metadata,
        })
    }

    fn serialize_entry<K: Serialize + ?Sized, V: Serialize + ?Sized>(
        &mut self,
        key: &K,
        value: &V,
    ) -> Result<(), Error> {
        let mut k = String::new();
        key.serialize(KeySer(&mut k))?;
        self.entry(&k, value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeStruct for Object<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.entry(key, value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Object<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.entry(key, value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

/// A map key (or an enum tag) as the string Python's `json` writes for it: strings as they are,
/// integers in decimal, `true`/`false`, floats as their `repr`, `None` as `null`.
struct KeySer<'k>(&'k mut String);

fn key_error() -> Error {
    ser::Error::custom("json+faust: a map key must be a string, number, bool or unit")
}

macro_rules! key_display {
    ($($method:ident: $t:ty),*) => {$(
        fn $method(self, v: $t) -> Result<(), Error> {
            let _ = write!(self.0, "{v}");
            Ok(())
        }
    )*};
}

impl ser::Serializer for KeySer<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    key_display!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_u128: u128, serialize_char: char,
        serialize_str: &str
    );

    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        let mut buf = Vec::new();
        write_float(&mut buf, f64::from(v), v);
        self.0.push_str(&String::from_utf8_lossy(&buf));
        Ok(())
    }

    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        let mut buf = Vec::new();
        write_float(&mut buf, v, v);
        self.0.push_str(&String::from_utf8_lossy(&buf));
        Ok(())
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(key_error())
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.0.push_str("null");
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.serialize_none()
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.serialize_none()
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.0.push_str(variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(key_error())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_error())
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_error())
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_error())
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_error())
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_error())
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(key_error())
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn float(v: f64) -> String {
        let mut out = Vec::new();
        write_float(&mut out, v, v);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn floats_as_python_repr() {
        // Expected strings are Python 3's repr() of the same doubles.
        for (v, py) in [
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (0.1, "0.1"),
            (1.5e-7, "1.5e-07"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (123456789.0, "123456789.0"),
            (1e300, "1e+300"),
            (-1.2345e-300, "-1.2345e-300"),
            (54055258627.046875, "54055258627.046875"),
            (f64::MAX, "1.7976931348623157e+308"),
            (5e-324, "5e-324"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
        ] {
            assert_eq!(float(v), py, "{v:e}");
        }
    }

    #[test]
    fn strings_as_python_ensure_ascii() {
        let mut out = Vec::new();
        write_str(&mut out, "a\"\\/\n\r\t\u{8}\u{c}\u{1}\u{7f} é ☕ 😀");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#""a\"\\/\n\r\t\b\f\u0001\u007f \u00e9 \u2615 \ud83d\ude00""#
        );
    }
}
