//! Avro data into apache-avro's generic [`Value`], decoded by our bounded reader: what the
//! generic deserializer ([`GenericValue::Avro`](crate::serdes::GenericValue::Avro)) hands out.
//!
//! apache-avro's own decoder recurses without a limit and takes tens of KiB of stack per
//! record level in debug builds, so a crafted payload a few bytes per level deep can overflow
//! any thread's stack. This one walks the same parsed [`Schema`] through
//! [`avro::Reader`](crate::avro::Reader): records nest at most
//! [`RECURSION_LIMIT`](crate::avro::RECURSION_LIMIT) deep, lengths and block counts are checked
//! against the remaining input before anything is allocated, and errors are
//! [`DecodeError`]s that name the byte offset. It builds the values apache-avro's decoder
//! builds for the same schema (logical types included); it needs no optional feature.
//!
//! ```
//! use apache_avro::{types::Value, Schema};
//! use kafka_model::avro::DecodeErrorKind;
//!
//! let schema = Schema::parse_str(r#"{"type":"record","name":"R","fields":[
//!     {"name":"a","type":"long"},{"name":"d","type":{"type":"int","logicalType":"date"}}]}"#)?;
//! let value = kafka_model::value::generic::decode_avro(&schema, &[], &[0x06, 0x02])?;
//! assert_eq!(value, Value::Record(vec![("a".into(), Value::Long(3)), ("d".into(), Value::Date(1))]));
//!
//! let err = kafka_model::value::generic::decode_avro(&schema, &[], &[0x06]).unwrap_err();
//! assert_eq!(err.offset(), 1);
//! assert!(matches!(err.kind(), DecodeErrorKind::UnexpectedEnd { .. }));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;

use apache_avro::schema::{DecimalSchema, InnerDecimalSchema, UuidSchema};
use apache_avro::types::Value;
use apache_avro::Schema;

use crate::avro::{DecodeError, DecodeErrorKind, Reader};

/// Decodes one datum (all of `bytes`) written with `schema`, whose named types may also come
/// from `schemata` (the schemas of its references).
pub fn decode_avro(
    schema: &Schema,
    schemata: &[Schema],
    bytes: &[u8],
) -> Result<Value, DecodeError> {
    let mut names = HashMap::new();
    for s in schemata.iter().chain(std::iter::once(schema)) {
        collect(s, &mut names);
    }
    let mut r = Reader::new(bytes);
    let value = read(schema, &names, &mut r)?;
    r.finish()?;
    Ok(value)
}

type Names<'s> = HashMap<String, &'s Schema>;

/// Named types by full name (apache-avro's parser writes references with full names).
fn collect<'s>(s: &'s Schema, names: &mut Names<'s>) {
    match s {
        Schema::Record(r) if names.insert(r.name.fullname(None), s).is_none() => {
            for f in &r.fields {
                collect(&f.schema, names);
            }
        }
        Schema::Enum(e) => {
            names.insert(e.name.fullname(None), s);
        }
        Schema::Fixed(f) | Schema::Duration(f) => {
            names.insert(f.name.fullname(None), s);
        }
        Schema::Decimal(DecimalSchema {
            inner: InnerDecimalSchema::Fixed(f),
            ..
        })
        | Schema::Uuid(UuidSchema::Fixed(f)) => {
            names.insert(f.name.fullname(None), s);
        }
        Schema::Array(a) => collect(&a.items, names),
        Schema::Map(m) => collect(&m.types, names),
        Schema::Union(u) => u.variants().iter().for_each(|v| collect(v, names)),
        _ => {}
    }
}

fn invalid(offset: usize, expected: &'static str, found: impl ToString) -> DecodeError {
    DecodeError::new(
        offset,
        DecodeErrorKind::InvalidValue {
            expected,
            found: found.to_string(),
        },
    )
}

/// Calls `item` once for every item of the blocks of an array or map (block counts bounded by
/// [`Reader::read_block_count`]).
pub(crate) fn each_item<'a, E: From<DecodeError>>(
    r: &mut Reader<'a>,
    what: &'static str,
    mut item: impl FnMut(&mut Reader<'a>) -> Result<(), E>,
) -> Result<(), E> {
    loop {
        match r.read_block_count(what)? {
            0 => return Ok(()),
            n => (0..n).try_for_each(|_| item(r))?,
        }
    }
}

fn read(s: &Schema, names: &Names<'_>, r: &mut Reader<'_>) -> Result<Value, DecodeError> {
    let start = r.offset();
    Ok(match s {
        Schema::Null => Value::Null,
        Schema::Boolean => Value::Boolean(r.read_bool()?),
        Schema::Int => Value::Int(r.read_int()?),
        Schema::Date => Value::Date(r.read_int()?),
        Schema::TimeMillis => Value::TimeMillis(r.read_int()?),
        Schema::Long => Value::Long(r.read_long()?),
        Schema::TimeMicros => Value::TimeMicros(r.read_long()?),
        Schema::TimestampMillis => Value::TimestampMillis(r.read_long()?),
        Schema::TimestampMicros => Value::TimestampMicros(r.read_long()?),
        Schema::TimestampNanos => Value::TimestampNanos(r.read_long()?),
        Schema::LocalTimestampMillis => Value::LocalTimestampMillis(r.read_long()?),
        Schema::LocalTimestampMicros => Value::LocalTimestampMicros(r.read_long()?),
        Schema::LocalTimestampNanos => Value::LocalTimestampNanos(r.read_long()?),
        Schema::Float => Value::Float(r.read_float()?),
        Schema::Double => Value::Double(r.read_double()?),
        Schema::Bytes => Value::Bytes(r.read_bytes()?.to_vec()),
        Schema::String => Value::String(r.read_str()?.to_owned()),
        Schema::Fixed(f) => Value::Fixed(f.size, r.read_fixed(f.size)?.to_vec()),
        Schema::Decimal(d) => Value::Decimal(apache_avro::Decimal::from(match &d.inner {
            InnerDecimalSchema::Bytes => r.read_bytes()?,
            InnerDecimalSchema::Fixed(f) => r.read_fixed(f.size)?,
        })),
        Schema::BigDecimal => {
            // A leaf: apache-avro's own conversion (its big-decimal encoding is its own), on
            // a copy that holds exactly the bytes just read, so it cannot read further.
            let mut raw = Vec::new();
            crate::avro::encode::write_bytes(&mut raw, r.read_bytes()?);
            #[allow(deprecated)]
            let v = apache_avro::from_avro_datum(&Schema::BigDecimal, &mut raw.as_slice(), None)
                .map_err(|e| invalid(start, "a big-decimal", e))?;
            v
        }
        Schema::Uuid(u) => {
            let parsed = match u {
                UuidSchema::String => apache_avro::Uuid::parse_str(r.read_str()?)
                    .map_err(|e| invalid(start, "a UUID string", e)),
                UuidSchema::Bytes => apache_avro::Uuid::from_slice(r.read_bytes()?)
                    .map_err(|e| invalid(start, "16 UUID bytes", e)),
                UuidSchema::Fixed(f) => apache_avro::Uuid::from_slice(r.read_fixed(f.size)?)
                    .map_err(|e| invalid(start, "a fixed(16) UUID", e)),
            };
            Value::Uuid(parsed?)
        }
        Schema::Duration(f) => {
            let b: [u8; 12] = r
                .read_fixed(f.size)?
                .try_into()
                .map_err(|_| invalid(start, "a fixed(12) duration", f.size))?;
            Value::Duration(apache_avro::Duration::from(b))
        }
        Schema::Enum(e) => {
            let i = r.read_enum_index(e.symbols.len())?;
            // At most `symbols.len()`, which came from a parsed schema.
            Value::Enum(u32::try_from(i).unwrap_or(u32::MAX), e.symbols[i].clone())
        }
        Schema::Array(a) => {
            let mut items = Vec::new();
            each_item(r, "array items", |r| {
                items.push(read(&a.items, names, r)?);
                Ok(())
            })?;
            Value::Array(items)
        }
        Schema::Map(m) => {
            let mut entries = HashMap::new();
            each_item(r, "map entries", |r| {
                let key = r.read_str()?.to_owned();
                entries.insert(key, read(&m.types, names, r)?);
                Ok(())
            })?;
            Value::Map(entries)
        }
        Schema::Union(u) => {
            let i = r.read_union_index(u.variants().len())?;
            let v = read(&u.variants()[i], names, r)?;
            Value::Union(u32::try_from(i).unwrap_or(u32::MAX), Box::new(v))
        }
        Schema::Record(rec) => {
            r.enter()?;
            let mut fields = Vec::with_capacity(rec.fields.len());
            for f in &rec.fields {
                fields.push((f.name.clone(), read(&f.schema, names, r)?));
            }
            r.leave();
            Value::Record(fields)
        }
        Schema::Ref { name } => {
            let full = name.fullname(None);
            match names.get(&full) {
                Some(target) if !matches!(target, Schema::Ref { .. }) => read(target, names, r)?,
                _ => return Err(invalid(start, "a defined named type", full)),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Our values equal apache-avro's for every type and logical type it decodes.
    #[test]
    fn values_match_apache_avro() {
        let schema = Schema::parse_str(
            r#"{"type":"record","name":"All","namespace":"t","fields":[
              {"name":"n","type":"null"},{"name":"b","type":"boolean"},
              {"name":"i","type":"int"},{"name":"l","type":"long"},
              {"name":"f","type":"float"},{"name":"d","type":"double"},
              {"name":"by","type":"bytes"},{"name":"s","type":"string"},
              {"name":"fx","type":{"type":"fixed","name":"F4","size":4}},
              {"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"]}},
              {"name":"arr","type":{"type":"array","items":"F4"}},
              {"name":"m","type":{"type":"map","values":["null","E"]}},
              {"name":"date","type":{"type":"int","logicalType":"date"}},
              {"name":"tm","type":{"type":"int","logicalType":"time-millis"}},
              {"name":"tu","type":{"type":"long","logicalType":"time-micros"}},
              {"name":"ts","type":{"type":"long","logicalType":"timestamp-millis"}},
              {"name":"tsu","type":{"type":"long","logicalType":"timestamp-micros"}},
              {"name":"tsn","type":{"type":"long","logicalType":"timestamp-nanos"}},
              {"name":"lts","type":{"type":"long","logicalType":"local-timestamp-millis"}},
              {"name":"ltsu","type":{"type":"long","logicalType":"local-timestamp-micros"}},
              {"name":"ltsn","type":{"type":"long","logicalType":"local-timestamp-nanos"}},
              {"name":"dec","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}},
              {"name":"decf","type":{"type":"fixed","name":"D8","size":8,"logicalType":"decimal","precision":9,"scale":2}},
              {"name":"bigd","type":{"type":"bytes","logicalType":"big-decimal"}},
              {"name":"u","type":{"type":"string","logicalType":"uuid"}},
              {"name":"uf","type":{"type":"fixed","name":"U16","size":16,"logicalType":"uuid"}},
              {"name":"dur","type":{"type":"fixed","name":"Dur","size":12,"logicalType":"duration"}},
              {"name":"next","type":["null","All"]}]}"#,
        )
        .expect("schema");
        let leaf = |next: Value| {
            Value::Record(vec![
                ("n".into(), Value::Null),
                ("b".into(), Value::Boolean(true)),
                ("i".into(), Value::Int(-5)),
                ("l".into(), Value::Long(1 << 40)),
                ("f".into(), Value::Float(0.5)),
                ("d".into(), Value::Double(-2.25)),
                ("by".into(), Value::Bytes(vec![1, 2])),
                ("s".into(), Value::String("hé".into())),
                ("fx".into(), Value::Fixed(4, vec![9, 8, 7, 6])),
                ("e".into(), Value::Enum(1, "B".into())),
                (
                    "arr".into(),
                    Value::Array(vec![Value::Fixed(4, vec![0; 4])]),
                ),
                (
                    "m".into(),
                    Value::Map(HashMap::from([
                        (
                            "x".into(),
                            Value::Union(1, Box::new(Value::Enum(0, "A".into()))),
                        ),
                        ("y".into(), Value::Union(0, Box::new(Value::Null))),
                    ])),
                ),
                ("date".into(), Value::Date(19_000)),
                ("tm".into(), Value::TimeMillis(1_000)),
                ("tu".into(), Value::TimeMicros(1_000_000)),
                ("ts".into(), Value::TimestampMillis(1_700_000_000_000)),
                ("tsu".into(), Value::TimestampMicros(-1)),
                ("tsn".into(), Value::TimestampNanos(7)),
                ("lts".into(), Value::LocalTimestampMillis(8)),
                ("ltsu".into(), Value::LocalTimestampMicros(9)),
                ("ltsn".into(), Value::LocalTimestampNanos(10)),
                (
                    "dec".into(),
                    Value::Decimal(apache_avro::Decimal::from(vec![0x30, 0x39])),
                ),
                (
                    "decf".into(),
                    Value::Decimal(apache_avro::Decimal::from(vec![0xff; 8])),
                ),
                (
                    "bigd".into(),
                    Value::BigDecimal("12.5".parse().expect("big decimal")),
                ),
                (
                    "u".into(),
                    Value::Uuid(apache_avro::Uuid::from_u128(0x1234_5678_9abc_def0)),
                ),
                ("uf".into(), Value::Uuid(apache_avro::Uuid::from_u128(42))),
                (
                    "dur".into(),
                    Value::Duration(apache_avro::Duration::from([
                        1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0,
                    ])),
                ),
                ("next".into(), next),
            ])
        };
        let value = leaf(Value::Union(
            1,
            Box::new(leaf(Value::Union(0, Box::new(Value::Null)))),
        ));
        #[allow(deprecated)]
        let bytes = apache_avro::to_avro_datum(&schema, value.clone()).expect("apache encodes");
        #[allow(deprecated)]
        let theirs = apache_avro::from_avro_datum(&schema, &mut bytes.as_slice(), None)
            .expect("apache decodes");
        let ours = decode_avro(&schema, &[], &bytes).expect("we decode");
        assert_eq!(ours, theirs);
        assert_eq!(ours, value);
        // Every strict prefix is an error, never a panic.
        for end in 0..bytes.len() {
            assert!(
                decode_avro(&schema, &[], &bytes[..end]).is_err(),
                "prefix {end}"
            );
        }
    }

    #[test]
    fn references_resolve_through_schemata() {
        let dep =
            Schema::parse_str(r#"{"type":"enum","name":"E","namespace":"d","symbols":["A","B"]}"#)
                .expect("dep");
        let schemata = Schema::parse_list([
            r#"{"type":"enum","name":"E","namespace":"d","symbols":["A","B"]}"#,
            r#"{"type":"record","name":"R","namespace":"r","fields":[{"name":"e","type":"d.E"}]}"#,
        ])
        .expect("list");
        let value = decode_avro(&schemata[1], &[dep], &[2]).expect("decode");
        assert_eq!(
            value,
            Value::Record(vec![("e".into(), Value::Enum(1, "B".into()))])
        );
        let e = decode_avro(&schemata[1], &[], &[2]).expect_err("undefined");
        assert!(e.to_string().contains("d.E"), "{e}");
    }
}
