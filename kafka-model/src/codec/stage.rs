//! Byte stages of a codec pipeline (`gzip`, `zstd`, `binary`, `raw`) and the global registry
//! where users add their own by name.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use ::base64::engine::general_purpose::STANDARD;
use ::base64::Engine as _;

use crate::CodecError;

/// Names of the built-in byte stages, in the order they are listed in errors.
///
/// - `gzip`: gzip (RFC 1952, readable by the `gzip` tool; concatenated members are read too),
///   with the cargo feature `gzip` (default);
/// - `zstd`: Zstandard frames (readable by the `zstd` tool), with the feature `zstd` (default;
///   it builds the zstd C library);
/// - `binary`: standard base64 with padding (Faust's `binary` codec);
/// - `raw`: identity. `raw` is a byte stage, not a format: a pipeline for `dumps`/`loads` starts
///   with a format (`json`, ...), and `raw` is useful in byte-only pipelines ([`Stages`](super::Stages)).
pub const BUILTIN_STAGES: &[&str] = &[
    #[cfg(feature = "gzip")]
    "gzip",
    #[cfg(feature = "zstd")]
    "zstd",
    "binary",
    "raw",
];

/// Built-in stages behind a cargo feature, with that feature: a pipeline naming one in a build
/// without it gets [`CodecError::StageNotEnabled`] instead of "unknown codec".
pub(super) const FEATURE_STAGES: [(&str, &str); 2] = [("gzip", "gzip"), ("zstd", "zstd")];

/// The default bound on what one decompressing stage may produce: 64 MiB.
pub const DEFAULT_MAX_DECOMPRESSED: usize = 64 * 1024 * 1024;

static MAX_DECOMPRESSED: AtomicUsize = AtomicUsize::new(DEFAULT_MAX_DECOMPRESSED);

/// Sets the process-wide bound on decompressed sizes used by pipelines that set none.
///
/// ```
/// use kafka_model::codec::{default_max_decompressed, set_default_max_decompressed, DEFAULT_MAX_DECOMPRESSED};
/// set_default_max_decompressed(1 << 20);
/// assert_eq!(default_max_decompressed(), 1 << 20);
/// set_default_max_decompressed(DEFAULT_MAX_DECOMPRESSED);
/// ```
pub fn set_default_max_decompressed(bytes: usize) {
    MAX_DECOMPRESSED.store(bytes, Ordering::Relaxed);
}

/// The process-wide bound on decompressed sizes (see [`set_default_max_decompressed`]).
pub fn default_max_decompressed() -> usize {
    MAX_DECOMPRESSED.load(Ordering::Relaxed)
}

/// Limits a stage must respect when decoding untrusted bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeLimits {
    /// The most bytes one stage may output; more is [`CodecError::TooLarge`].
    pub max_output: usize,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        DecodeLimits {
            max_output: default_max_decompressed(),
        }
    }
}

/// A byte-to-bytes codec: one stage after the format in a pipeline such as `"json|gzip"`.
///
/// Implement it and [`register_codec`] it to use your own stage by name.
///
/// ```
/// use std::sync::Arc;
/// use kafka_model::codec::{register_codec, ByteCodec, DecodeLimits, Stages};
/// use kafka_model::CodecError;
///
/// /// XORs every byte with 0x5a.
/// struct Xor;
/// impl ByteCodec for Xor {
///     fn encode(&self, mut bytes: Vec<u8>) -> Result<Vec<u8>, CodecError> {
///         bytes.iter_mut().for_each(|b| *b ^= 0x5a);
///         Ok(bytes)
///     }
///     fn decode(&self, bytes: &[u8], _limits: &DecodeLimits) -> Result<Vec<u8>, CodecError> {
///         Ok(bytes.iter().map(|b| b ^ 0x5a).collect())
///     }
/// }
///
/// register_codec("xor-doc", Arc::new(Xor))?;
/// let stages = Stages::parse("xor-doc|binary")?;
/// let out = stages.encode(b"hi".to_vec())?;
/// assert_eq!(&*stages.decode(&out)?, b"hi");
/// # Ok::<(), CodecError>(())
/// ```
pub trait ByteCodec: Send + Sync + 'static {
    /// Transforms bytes on the way out.
    fn encode(&self, bytes: Vec<u8>) -> Result<Vec<u8>, CodecError>;
    /// Reverses [`encode`](Self::encode); must not output more than `limits.max_output` bytes.
    fn decode(&self, bytes: &[u8], limits: &DecodeLimits) -> Result<Vec<u8>, CodecError>;
}

fn stage_error(stage: &str, op: &'static str, e: impl std::fmt::Display) -> CodecError {
    CodecError::Stage {
        stage: stage.to_string(),
        op,
        message: e.to_string(),
    }
}

/// Reads `reader` to the end, failing once it yields more than `limit` bytes.
#[cfg(any(feature = "gzip", feature = "zstd"))]
fn read_bounded(
    stage: &str,
    reader: impl std::io::Read,
    limit: usize,
) -> Result<Vec<u8>, CodecError> {
    use std::io::Read as _;
    let mut out = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    reader
        .take(cap)
        .read_to_end(&mut out)
        .map_err(|e| stage_error(stage, "decode", e))?;
    if out.len() > limit {
        return Err(CodecError::TooLarge {
            stage: stage.to_string(),
            limit,
        });
    }
    Ok(out)
}

/// `gzip`: flate2 at the default level.
#[cfg(feature = "gzip")]
#[derive(Debug, Clone, Copy, Default)]
pub struct Gzip;

#[cfg(feature = "gzip")]
impl ByteCodec for Gzip {
    fn encode(&self, bytes: Vec<u8>) -> Result<Vec<u8>, CodecError> {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(&bytes)
            .map_err(|e| stage_error("gzip", "encode", e))?;
        enc.finish().map_err(|e| stage_error("gzip", "encode", e))
    }

    fn decode(&self, bytes: &[u8], limits: &DecodeLimits) -> Result<Vec<u8>, CodecError> {
        read_bounded(
            "gzip",
            flate2::read::MultiGzDecoder::new(bytes),
            limits.max_output,
        )
    }
}

/// `zstd`: the zstd crate at its default level.
#[cfg(feature = "zstd")]
#[derive(Debug, Clone, Copy, Default)]
pub struct Zstd;

#[cfg(feature = "zstd")]
impl ByteCodec for Zstd {
    fn encode(&self, bytes: Vec<u8>) -> Result<Vec<u8>, CodecError> {
        zstd::stream::encode_all(bytes.as_slice(), 0).map_err(|e| stage_error("zstd", "encode", e))
    }

    fn decode(&self, bytes: &[u8], limits: &DecodeLimits) -> Result<Vec<u8>, CodecError> {
        let dec = zstd::stream::read::Decoder::new(bytes)
            .map_err(|e| stage_error("zstd", "decode", e))?;
        read_bounded("zstd", dec, limits.max_output)
    }
}

/// `binary`: standard base64 with `=` padding.
#[derive(Debug, Clone, Copy, Default)]
pub struct Binary;

impl ByteCodec for Binary {
    fn encode(&self, bytes: Vec<u8>) -> Result<Vec<u8>, CodecError> {
        Ok(STANDARD.encode(bytes).into_bytes())
    }

    fn decode(&self, bytes: &[u8], limits: &DecodeLimits) -> Result<Vec<u8>, CodecError> {
        if bytes.len() / 4 * 3 > limits.max_output {
            return Err(CodecError::TooLarge {
                stage: "binary".into(),
                limit: limits.max_output,
            });
        }
        STANDARD
            .decode(bytes)
            .map_err(|e| stage_error("binary", "decode", e))
    }
}

/// `raw`: identity.
#[derive(Debug, Clone, Copy, Default)]
pub struct Raw;

impl ByteCodec for Raw {
    fn encode(&self, bytes: Vec<u8>) -> Result<Vec<u8>, CodecError> {
        Ok(bytes)
    }

    fn decode(&self, bytes: &[u8], _limits: &DecodeLimits) -> Result<Vec<u8>, CodecError> {
        Ok(bytes.to_vec())
    }
}

type Registry = RwLock<BTreeMap<String, Arc<dyn ByteCodec>>>;

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| RwLock::new(BTreeMap::new()))
}

/// The stage registered under `name`: a built-in or a user codec.
pub fn lookup_codec(name: &str) -> Option<Arc<dyn ByteCodec>> {
    match name {
        #[cfg(feature = "gzip")]
        "gzip" => Some(Arc::new(Gzip)),
        #[cfg(feature = "zstd")]
        "zstd" => Some(Arc::new(Zstd)),
        "binary" => Some(Arc::new(Binary)),
        "raw" => Some(Arc::new(Raw)),
        _ => registry()
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
            .cloned(),
    }
}

/// Every name a pipeline may use: the formats, the built-in stages, then user codecs (sorted).
///
/// ```
/// let names = kafka_model::codec::registered_codecs();
/// assert!(names.iter().any(|n| n == "json") && names.iter().any(|n| n == "gzip"));
/// ```
pub fn registered_codecs() -> Vec<String> {
    let mut names: Vec<String> = super::FORMATS.iter().map(|(n, _)| n.to_string()).collect();
    names.extend(BUILTIN_STAGES.iter().map(|n| n.to_string()));
    names.extend(
        registry()
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .keys()
            .cloned(),
    );
    names
}

/// Registers a byte codec under `name` (process-wide, thread-safe); registering a name again
/// replaces the earlier user codec. The name must be non-empty, made of ASCII letters, digits
/// and `-_.+`, and must not be a format or built-in stage name.
///
/// User names work with [`Codec::parse`](super::Codec::parse), `dumps_with`/`loads_with` and
/// [`Stages`](super::Stages), but not in `#[record(serializer = "...")]`, which is checked at
/// compile time against the built-in names only.
///
/// ```
/// use std::sync::Arc;
/// use kafka_model::codec::{register_codec, Raw};
/// assert!(register_codec("gzip", Arc::new(Raw)).is_err());
/// assert!(register_codec("a|b", Arc::new(Raw)).is_err());
/// register_codec("my-identity", Arc::new(Raw))?;
/// # Ok::<(), kafka_model::CodecError>(())
/// ```
pub fn register_codec(name: &str, codec: Arc<dyn ByteCodec>) -> Result<(), CodecError> {
    let invalid = |reason: &str| CodecError::InvalidPipeline {
        name: name.to_string(),
        reason: reason.to_string(),
    };
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.+".contains(&b))
    {
        return Err(invalid(
            "a codec name is ASCII letters, digits and `-_.+`, not empty",
        ));
    }
    if BUILTIN_STAGES.contains(&name) || super::FORMATS.iter().any(|(n, _)| *n == name) {
        return Err(invalid("a built-in codec has this name"));
    }
    registry()
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .insert(name.to_string(), codec);
    Ok(())
}
