//! Avro binary encoding: generated straight-line codecs, schema resolution, single-object encoding.
