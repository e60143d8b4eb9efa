//! A run of a record's fields as one tuple: the derive writes a record's Avro encoder and
//! decoder as one call per run of up to 12 fields
//! (`<(String, i64) as DecodeFields>::decode_fields(r, &fields[0..2])`) instead of a statement
//! per field, and the field's name and options come from its `model::Field`. One generic impl
//! per tuple size, type-checked once here, replaces per-field code that every user's crate
//! type-checked per model (issue 19, derive cost); after inlining the code is the same.

use super::{AvroCodec, AvroDecode, DecodeError, EncodeError, Reader};
use crate::model::{Field, OptionUnion};

/// A field's value: `Option` fields declared `null_last` write null as the second branch.
#[inline(always)]
fn encode_one<T: AvroCodec>(value: &T, f: &Field, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    let written = if matches!(f.option_union, OptionUnion::NullLast) {
        value.avro_encode_null_last(&f.options, out)
    } else {
        value.avro_encode(&f.options, out)
    };
    written.map_err(|e| e.in_field(f.name))
}

#[inline(always)]
fn decode_one<'de, T: AvroDecode<'de>>(r: &mut Reader<'de>, f: &Field) -> Result<T, DecodeError> {
    let read = if matches!(f.option_union, OptionUnion::NullLast) {
        T::avro_decode_null_last(r, &f.options)
    } else {
        T::avro_decode(r, &f.options)
    };
    read.map_err(|e| e.in_field(f.name))
}

/// References to a run of fields, written in order; `fields` are their models.
#[doc(hidden)]
pub trait EncodeFields {
    /// Writes the fields.
    fn encode_fields(self, fields: &[Field], out: &mut Vec<u8>) -> Result<(), EncodeError>;
    /// The sum of the fields' [`AvroCodec::avro_size_hint`]s.
    fn size_hint_fields(self, fields: &[Field]) -> usize;
}

/// A run of fields read in order into a tuple; `fields` are their models.
#[doc(hidden)]
pub trait DecodeFields<'de>: Sized {
    /// Reads the fields.
    fn decode_fields(r: &mut Reader<'de>, fields: &[Field]) -> Result<Self, DecodeError>;

    /// Reads a whole record whose fields are this one run (most records), depth-limited so a
    /// recursive type cannot exhaust the stack.
    #[inline]
    fn decode_record(r: &mut Reader<'de>, fields: &[Field]) -> Result<Self, DecodeError> {
        r.enter()?;
        let fields = Self::decode_fields(r, fields)?;
        r.leave();
        Ok(fields)
    }
}

macro_rules! runs {
    ($(($($t:ident $i:tt),+))+) => {$(
        impl<$($t: AvroCodec),+> EncodeFields for ($(&$t,)+) {
            #[inline]
            fn encode_fields(self, fields: &[Field], out: &mut Vec<u8>) -> Result<(), EncodeError> {
                $(encode_one(self.$i, &fields[$i], out)?;)+
                Ok(())
            }
            #[inline]
            fn size_hint_fields(self, fields: &[Field]) -> usize {
                0 $(+ self.$i.avro_size_hint(&fields[$i].options))+
            }
        }
        impl<'de, $($t: AvroDecode<'de>),+> DecodeFields<'de> for ($($t,)+) {
            #[inline]
            fn decode_fields(r: &mut Reader<'de>, fields: &[Field]) -> Result<Self, DecodeError> {
                Ok(($(decode_one::<$t>(r, &fields[$i])?,)+))
            }
        }
    )+};
}

for_field_runs!(runs);
