//! Local schema-compatibility checks (Confluent's levels) for Avro and Protobuf.
