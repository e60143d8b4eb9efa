//! A run of a message's fields as one tuple: the derive writes a record's Protobuf length,
//! encoder, decoder and merge as one call per run of up to 12 fields (the encoders in
//! field-number order: `EncodeFields::encode_fields((&self.id, &self.seq), &fields[0..2], buf)`),
//! each field's number, integer encoding and name read from its `model::Field`. One generic impl per tuple size,
//! type-checked once here, replaces per-field code that every user's crate type-checked per
//! model (issue 19, derive cost); after inlining the code is the same.

use prost::bytes::{Buf, BufMut};

use super::support::{
    check_end, decode_key, finish_slot, merge_field_slot, merge_field_value, skip_field,
};
use super::{Error, ProtoField, WireType};
use crate::derive_support::in_field;
use crate::model::Field;

/// References to a run of fields; `fields` are their models.
#[doc(hidden)]
pub trait EncodeFields {
    /// The encoded length of the fields (each with its key; nothing for a default value).
    fn len_fields(self, fields: &[Field]) -> usize;
    /// Writes the fields.
    fn encode_fields(self, fields: &[Field], buf: &mut impl BufMut);
}

/// Mutable references to a run of fields.
#[doc(hidden)]
pub trait ClearFields {
    /// Resets every field ([`ProtoField::clear`]).
    fn clear_fields(self);
}

/// A run of fields decoded into a tuple: the slots of [`DecodeRun`].
#[doc(hidden)]
pub trait DecodeFields: Sized {
    /// One `Option` per field: the value read so far.
    type Slots: Default;
    /// Reads the field numbered `tag` into its slot; `Ok(false)` when no field of the run has
    /// that number (nothing read).
    fn merge_tag(
        slots: &mut Self::Slots,
        fields: &[Field],
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<bool, Error>;
    /// The values: a field never read is at its absent value.
    fn finish(slots: Self::Slots, fields: &[Field]) -> Result<Self, Error>;
}

/// The slots of a run of fields being decoded (`T` is the tuple of their types), so that the
/// generated code names the types once.
#[doc(hidden)]
pub struct DecodeRun<T: DecodeFields>(T::Slots);

impl<T: DecodeFields> DecodeRun<T> {
    /// No field read yet.
    #[inline]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        DecodeRun(T::Slots::default())
    }
    /// [`DecodeFields::merge_tag`].
    #[inline]
    pub fn merge(
        &mut self,
        fields: &[Field],
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<bool, Error> {
        T::merge_tag(&mut self.0, fields, tag, wire_type, buf, depth)
    }
    /// [`DecodeFields::finish`].
    #[inline]
    pub fn finish(self, fields: &[Field]) -> Result<T, Error> {
        T::finish(self.0, fields)
    }
    /// Reads fields until `buf.remaining() == end`, a message whose fields are this one run
    /// (the common record): the loop lives here once instead of in every derived type.
    #[inline]
    pub fn decode(
        buf: &mut impl Buf,
        end: usize,
        depth: u32,
        fields: &[Field],
    ) -> Result<T, Error> {
        let mut run = Self::new();
        while buf.remaining() > end {
            let (tag, wire_type) = decode_key(buf)?;
            if !run.merge(fields, tag, wire_type, buf, depth)? {
                skip_field(wire_type, tag, buf)?;
            }
        }
        check_end(buf, end)?;
        run.finish(fields)
    }
}

/// Mutable references to a run of fields, merged into (`ProtoMessage::merge_field`).
#[doc(hidden)]
pub trait MergeFields {
    /// Merges the field numbered `tag`; `Ok(false)` when no field of the run has that number.
    fn merge_tag(
        self,
        fields: &[Field],
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        depth: u32,
    ) -> Result<bool, Error>;
}

macro_rules! runs {
    ($(($($t:ident $i:tt),+))+) => {$(
        impl<$($t: ProtoField),+> EncodeFields for ($(&$t,)+) {
            #[inline]
            fn len_fields(self, fields: &[Field]) -> usize {
                0 $(+ self.$i.encoded_len_field(fields[$i].tag, fields[$i].options.int_encoding))+
            }
            #[inline]
            fn encode_fields(self, fields: &[Field], buf: &mut impl BufMut) {
                $(self.$i.encode_field(fields[$i].tag, fields[$i].options.int_encoding, buf);)+
            }
        }
        impl<$($t: ProtoField),+> ClearFields for ($(&mut $t,)+) {
            #[inline]
            fn clear_fields(self) {
                $(self.$i.clear();)+
            }
        }
        impl<$($t: ProtoField),+> MergeFields for ($(&mut $t,)+) {
            #[inline]
            fn merge_tag(
                self,
                fields: &[Field],
                tag: u32,
                wire_type: WireType,
                buf: &mut impl Buf,
                depth: u32,
            ) -> Result<bool, Error> {
                $(
                    let f = &fields[$i];
                    if tag == f.tag {
                        merge_field_value(self.$i, wire_type, f.options.int_encoding, buf, depth, f.name)?;
                        return Ok(true);
                    }
                )+
                Ok(false)
            }
        }
        impl<$($t: ProtoField),+> DecodeFields for ($($t,)+) {
            type Slots = ($(Option<$t>,)+);
            #[inline]
            fn merge_tag(
                slots: &mut Self::Slots,
                fields: &[Field],
                tag: u32,
                wire_type: WireType,
                buf: &mut impl Buf,
                depth: u32,
            ) -> Result<bool, Error> {
                $(
                    let f = &fields[$i];
                    if tag == f.tag {
                        merge_field_slot(&mut slots.$i, wire_type, f.options.int_encoding, buf, depth, f.name)?;
                        return Ok(true);
                    }
                )+
                Ok(false)
            }
            #[inline]
            fn finish(slots: Self::Slots, fields: &[Field]) -> Result<Self, Error> {
                Ok(($(in_field(finish_slot(slots.$i), fields[$i].name)?,)+))
            }
        }
    )+};
}

for_field_runs!(runs);
