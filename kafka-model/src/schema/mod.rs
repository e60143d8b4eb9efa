//! Schemas rendered from a [`Model`]: Avro, Protobuf (proto3) and JSON Schema.
//!
//! Each is rendered once per type, on first use, and cached for the life of the process.

pub mod avro;
pub mod json;
pub(crate) mod naming;
pub mod proto;

use std::sync::OnceLock;

use crate::model::Model;
use crate::SchemaError;

pub use avro::Avro;
pub use json::Json;
pub use proto::{Proto, ProtoFile};

/// Per-type cache of rendered schemas; the derive gives each type one `static` of these.
#[doc(hidden)]
pub struct SchemaCache {
    avro: OnceLock<Result<Avro, SchemaError>>,
    proto: OnceLock<Result<Proto, SchemaError>>,
    json: OnceLock<Result<Json, SchemaError>>,
    /// The model's default codec (`serializer`), parsed once: `dumps`/`loads` do not parse
    /// the name on every call.
    codec: OnceLock<crate::codec::Codec>,
    /// The largest `dumps` JSON output seen: the next one is allocated at that size once.
    /// Written only when it grows (a steady stream only reads it).
    json_len: std::sync::atomic::AtomicUsize,
    /// Whether JSON decoding coerces (`Record::coerce_json`), computed once from the model.
    coerce: OnceLock<bool>,
}

impl SchemaCache {
    /// An empty cache.
    pub const fn new() -> Self {
        SchemaCache {
            avro: OnceLock::new(),
            proto: OnceLock::new(),
            json: OnceLock::new(),
            codec: OnceLock::new(),
            json_len: std::sync::atomic::AtomicUsize::new(128),
            coerce: OnceLock::new(),
        }
    }

    /// The cell of `Record::coerce_json` (here, not a `static` of its own per derived type).
    #[doc(hidden)]
    pub fn coerce_cell(&'static self) -> &'static OnceLock<bool> {
        &self.coerce
    }

    /// The Avro schema, rendered on first use.
    pub fn avro(&'static self, model: &'static Model) -> Result<&'static Avro, SchemaError> {
        self.avro
            .get_or_init(|| avro::render(model))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The Protobuf schema, rendered on first use.
    pub fn proto(&'static self, model: &'static Model) -> Result<&'static Proto, SchemaError> {
        self.proto
            .get_or_init(|| proto::render(model))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The model's default codec (its `serializer` name, `"json"` unless set), parsed on
    /// first use. Only pipelines of built-in names are kept (the derive accepts no other; a
    /// registered stage could be replaced later): `None` for any other name, and for a name
    /// that does not parse (the caller parses it again and reports the error).
    #[inline]
    pub fn codec(&'static self, model: &'static Model) -> Option<&'static crate::codec::Codec> {
        if let Some(c) = self.codec.get() {
            return Some(c);
        }
        if !crate::codec::is_builtin_pipeline(model.serializer) {
            return None;
        }
        let codec = crate::codec::Codec::parse(model.serializer).ok()?;
        Some(self.codec.get_or_init(|| codec))
    }

    /// The capacity for the next JSON output of `dumps` (the largest seen, at least 128).
    #[inline]
    pub fn json_len(&self) -> usize {
        self.json_len.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Records a JSON output length; written only when it is larger than any before (capped
    /// at 1 MiB, so one huge value does not make every later buffer huge).
    #[inline]
    pub fn saw_json_len(&self, len: usize) {
        let len = len.min(1 << 20);
        if len > self.json_len() {
            self.json_len
                .fetch_max(len, std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// The JSON Schema, rendered on first use.
    pub fn json(&'static self, model: &'static Model) -> Result<&'static Json, SchemaError> {
        self.json
            .get_or_init(|| json::render(model))
            .as_ref()
            .map_err(Clone::clone)
    }
}

/// A type's schemas, from [`Record::schemas`](crate::Record::schemas): each kind is rendered on
/// first use and cached for the life of the process.
#[derive(Clone, Copy)]
pub struct Schemas {
    cache: &'static SchemaCache,
    model: &'static Model,
}

impl Schemas {
    #[doc(hidden)]
    pub fn new(cache: &'static SchemaCache, model: &'static Model) -> Self {
        Schemas { cache, model }
    }

    /// The Avro schema (`.avsc`).
    pub fn avro(self) -> Result<&'static Avro, SchemaError> {
        self.cache.avro(self.model)
    }

    /// The Protobuf (proto3) schema: the `.proto` file declaring the type and the files it
    /// imports.
    pub fn proto(self) -> Result<&'static Proto, SchemaError> {
        self.cache.proto(self.model)
    }

    /// The JSON Schema (draft-07).
    pub fn json(self) -> Result<&'static Json, SchemaError> {
        self.cache.json(self.model)
    }
}

impl std::fmt::Debug for Schemas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schemas")
            .field("model", &self.model.full_name())
            .finish()
    }
}

impl Default for SchemaCache {
    fn default() -> Self {
        Self::new()
    }
}
