//! [`FieldType`] for the standard types and the optional crates of the mapping table.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use crate::model::{FieldType, IntKind, Literal, Type};

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

impl<T: FieldType, S: BuildHasher> FieldType for HashMap<String, T, S> {
    const TYPE: Type = Type::Map(&T::TYPE);
    fn to_literal(&self) -> Literal {
        // Sorted so that a rendered default does not change from run to run.
        let mut entries: Vec<_> = self
            .iter()
            .map(|(k, v)| (k.clone(), v.to_literal()))
            .collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        Literal::Map(entries)
    }
}

impl<T: FieldType> FieldType for BTreeMap<String, T> {
    const TYPE: Type = Type::Map(&T::TYPE);
    fn to_literal(&self) -> Literal {
        Literal::Map(
            self.iter()
                .map(|(k, v)| (k.clone(), v.to_literal()))
                .collect(),
        )
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
