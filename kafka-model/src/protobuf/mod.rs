//! Protobuf binary encoding: the derive's `prost::Message`-compatible codec.
