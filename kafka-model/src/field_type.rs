//! [`FieldType`] for the standard types and the optional crates of the mapping table.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use crate::model::{FieldKey, FieldType, IntKind, Literal, MapKey, Type};

impl FieldType for bool {
    const TYPE: Type = Type::Bool;
    fn to_literal(&self) -> Literal {
        Literal::Bool(*self)
    }
}

macro_rules! int_field {
    ($($t:ty => $k:ident),*) => {$(
        impl FieldType for $t {
            const TYPE: Type = Type::Int(IntKind::$k);
            fn to_literal(&self) -> Literal {
                Literal::Int(*self as i128)
            }
        }
    )*};
}
int_field!(i8 => I8, i16 => I16, i32 => I32, i64 => I64, u16 => U16, u32 => U32, u64 => U64);

// u8 on its own: `Vec<u8>` is bytes, not a list of ints.
impl FieldType for u8 {
    const TYPE: Type = Type::Int(IntKind::U8);
    const VEC_TYPE: Type = Type::Bytes;
    fn to_literal(&self) -> Literal {
        Literal::Int(*self as i128)
    }
    fn vec_to_literal(items: &[Self]) -> Literal {
        Literal::Bytes(items.to_vec())
    }
}

impl FieldType for f32 {
    const TYPE: Type = Type::Float;
    fn to_literal(&self) -> Literal {
        Literal::Float(*self as f64)
    }
}

impl FieldType for f64 {
    const TYPE: Type = Type::Double;
    fn to_literal(&self) -> Literal {
        Literal::Float(*self)
    }
}

impl FieldType for String {
    const TYPE: Type = Type::String;
    fn to_literal(&self) -> Literal {
        Literal::String(self.clone())
    }
}

impl<const N: usize> FieldType for [u8; N] {
    const TYPE: Type = Type::Fixed(N);
    fn to_literal(&self) -> Literal {
        Literal::Bytes(self.to_vec())
    }
}

impl<T: FieldType> FieldType for Option<T> {
    const TYPE: Type = Type::Option(&T::TYPE);
    fn to_literal(&self) -> Literal {
        match self {
            None => Literal::Null,
            Some(v) => v.to_literal(),
        }
    }
}

impl<T: FieldType> FieldType for Vec<T> {
    const TYPE: Type = T::VEC_TYPE;
    fn to_literal(&self) -> Literal {
        T::vec_to_literal(self)
    }
}

impl<T: FieldType> FieldType for Box<T> {
    const TYPE: Type = T::TYPE;
    const FULL_NAME: Option<&'static str> = T::FULL_NAME;
    fn to_literal(&self) -> Literal {
        (**self).to_literal()
    }
}

impl FieldKey for String {
    const KEY: Option<MapKey> = None;
    const EXPECTED: &'static str = "a string";
    fn key_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
    fn key_text_len_hint(&self) -> usize {
        self.len()
    }
    fn from_key_text(text: &str) -> Option<Self> {
        Some(text.to_owned())
    }
}

impl FieldKey for bool {
    const KEY: Option<MapKey> = Some(MapKey::Bool);
    const EXPECTED: &'static str = "a bool map key (\"true\" or \"false\")";
    fn key_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
    fn from_key_text(text: &str) -> Option<Self> {
        match text {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }
}

macro_rules! int_key {
    ($($t:ident => $k:ident),*) => {$(
        impl FieldKey for $t {
            const KEY: Option<MapKey> = Some(MapKey::Int(IntKind::$k));
            const EXPECTED: &'static str = concat!("a decimal ", stringify!($t), " map key");
            fn key_text(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
            fn from_key_text(text: &str) -> Option<Self> {
                // One spelling per key, the one serde writes (so a decoded map re-encodes to
                // the same bytes): `from_str` would also take `+7`, `007` and `-0`.
                let digits = text.strip_prefix('-').unwrap_or(text);
                if text.starts_with('+') || text == "-0" || (digits.len() > 1 && digits.starts_with('0')) {
                    return None;
                }
                text.parse().ok()
            }
        }
    )*};
}
int_key!(i8 => I8, i16 => I16, i32 => I32, i64 => I64, u8 => U8, u16 => U16, u32 => U32, u64 => U64);

/// `Type` of a map keyed by `$k` with values `$v`: one rule for every map type.
macro_rules! map_type {
    ($k:ty, $v:ty) => {
        match <$k as FieldKey>::KEY {
            None => Type::Map(&<$v as FieldType>::TYPE),
            Some(key) => Type::KeyedMap {
                key,
                value: &<$v as FieldType>::TYPE,
            },
        }
    };
}

/// A map's entries in format-neutral form, keys as their text.
fn map_literal<'a, K: FieldKey + 'a, T: FieldType + 'a>(
    entries: impl Iterator<Item = (&'a K, &'a T)>,
) -> Literal {
    Literal::Map(
        entries
            .map(|(k, v)| (k.key_text().into_owned(), v.to_literal()))
            .collect(),
    )
}

impl<K: FieldKey + Ord, T: FieldType, S: BuildHasher> FieldType for HashMap<K, T, S> {
    const TYPE: Type = map_type!(K, T);
    fn to_literal(&self) -> Literal {
        // In key order, so that a rendered default does not change from run to run.
        let mut entries: Vec<_> = self.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        map_literal(entries.into_iter())
    }
}

impl<K: FieldKey, T: FieldType> FieldType for BTreeMap<K, T> {
    const TYPE: Type = map_type!(K, T);
    fn to_literal(&self) -> Literal {
        map_literal(self.iter())
    }
}

/// `IndexMap` keeps insertion order in every format (cargo feature `indexmap`).
#[cfg(feature = "indexmap")]
impl<K: FieldKey, T: FieldType, S: BuildHasher> FieldType for indexmap::IndexMap<K, T, S> {
    const TYPE: Type = map_type!(K, T);
    fn to_literal(&self) -> Literal {
        map_literal(self.iter())
    }
}

#[cfg(feature = "bytes")]
impl FieldType for bytes::Bytes {
    const TYPE: Type = Type::Bytes;
    fn to_literal(&self) -> Literal {
        Literal::Bytes(self.to_vec())
    }
}

#[cfg(feature = "uuid")]
impl FieldType for uuid::Uuid {
    const TYPE: Type = Type::Uuid;
    fn to_literal(&self) -> Literal {
        Literal::Uuid(self.hyphenated().to_string())
    }
}

#[cfg(feature = "chrono")]
impl FieldType for chrono::DateTime<chrono::Utc> {
    const TYPE: Type = Type::Timestamp;
    fn to_literal(&self) -> Literal {
        Literal::Timestamp {
            seconds: self.timestamp(),
            nanos: self.timestamp_subsec_nanos(),
        }
    }
}

#[cfg(feature = "chrono")]
impl FieldType for chrono::NaiveDate {
    const TYPE: Type = Type::Date;
    fn to_literal(&self) -> Literal {
        let epoch =
            chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("1970-01-01 is a valid date");
        Literal::Date((*self - epoch).num_days() as i32)
    }
}

#[cfg(feature = "time")]
impl FieldType for time::OffsetDateTime {
    const TYPE: Type = Type::Timestamp;
    fn to_literal(&self) -> Literal {
        let utc = self.to_offset(time::UtcOffset::UTC);
        Literal::Timestamp {
            seconds: utc.unix_timestamp(),
            nanos: utc.nanosecond(),
        }
    }
}

#[cfg(feature = "time")]
impl FieldType for time::Date {
    const TYPE: Type = Type::Date;
    fn to_literal(&self) -> Literal {
        Literal::Date(
            self.to_julian_day()
                - time::Date::from_calendar_date(1970, time::Month::January, 1)
                    .expect("1970-01-01 is a valid date")
                    .to_julian_day(),
        )
    }
}

#[cfg(feature = "rust_decimal")]
impl FieldType for rust_decimal::Decimal {
    const TYPE: Type = Type::Decimal;
    fn to_literal(&self) -> Literal {
        Literal::Decimal {
            unscaled: self.mantissa(),
            scale: self.scale(),
        }
    }
}

// Borrowed views of the owned types (`RecordRef`): the same schema as `String` / `Vec<u8>`.

impl FieldType for &str {
    const TYPE: Type = Type::String;
    fn to_literal(&self) -> Literal {
        Literal::String((*self).to_owned())
    }
}

impl FieldType for Cow<'_, str> {
    const TYPE: Type = Type::String;
    fn to_literal(&self) -> Literal {
        Literal::String(self.clone().into_owned())
    }
}

impl FieldType for &[u8] {
    const TYPE: Type = Type::Bytes;
    fn to_literal(&self) -> Literal {
        Literal::Bytes(self.to_vec())
    }
}

impl FieldType for Cow<'_, [u8]> {
    const TYPE: Type = Type::Bytes;
    fn to_literal(&self) -> Literal {
        Literal::Bytes(self.to_vec())
    }
}

/// References to a run of a record's fields, whose literals a derived `to_literal` collects
/// with one call per run (as its codecs do: `avro::fields`); `fields` are their models.
#[doc(hidden)]
pub trait LiteralFields {
    /// Appends `(name, literal)` per field.
    fn push_literals(self, fields: &[crate::model::Field], out: &mut Vec<(&'static str, Literal)>);
}

macro_rules! literal_runs {
    ($(($($t:ident $i:tt),+))+) => {$(
        impl<$($t: FieldType),+> LiteralFields for ($(&$t,)+) {
            #[inline]
            fn push_literals(self, fields: &[crate::model::Field], out: &mut Vec<(&'static str, Literal)>) {
                $(out.push((fields[$i].name, self.$i.to_literal()));)+
            }
        }
    )+};
}

for_field_runs!(literal_runs);
