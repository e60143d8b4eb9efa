//! Codec pipelines: `"format|stage|stage"`.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use super::stage::{
    lookup_codec, registered_codecs, ByteCodec, DecodeLimits, BUILTIN_STAGES, FEATURE_STAGES,
};
use super::{Format, FORMATS};
use crate::CodecError;

/// The byte stages of a pipeline, applied left to right on encode and right to left on decode.
///
/// Parsed from a `|`-separated list of stage names (built-in [`BUILTIN_STAGES`] or
/// [`register_codec`](super::register_codec)ed); usable on its own for bytes that are already
/// encoded, and part of every [`Codec`](super::Codec).
///
/// ```
/// use kafka_model::codec::Stages;
/// let stages = Stages::parse("gzip|binary")?;
/// let out = stages.encode(b"hello hello hello".to_vec())?;
/// assert!(out.starts_with(b"H4sI")); // base64 of the gzip magic
/// assert_eq!(&*stages.decode(&out)?, b"hello hello hello");
///
/// // A bound on decompressed sizes (zip bombs):
/// let small = Stages::parse("gzip")?.with_max_decompressed(4);
/// let zipped = small.encode(vec![0; 1000])?;
/// assert!(matches!(small.decode(&zipped), Err(kafka_model::CodecError::TooLarge { .. })));
/// # Ok::<(), kafka_model::CodecError>(())
/// ```
#[derive(Clone, Default)]
pub struct Stages {
    names: Vec<String>,
    codecs: Vec<Arc<dyn ByteCodec>>,
    max_decompressed: Option<usize>,
}

impl Stages {
    /// No stages.
    pub fn new() -> Self {
        Stages::default()
    }

    /// Parses `"gzip|binary"`; an empty string is no stages. Unknown names are
    /// [`CodecError::UnknownCodec`], listing every registered name.
    pub fn parse(spec: &str) -> Result<Self, CodecError> {
        let mut stages = Stages::new();
        if spec.trim().is_empty() {
            return Ok(stages);
        }
        for name in spec.split('|').map(str::trim) {
            stages.push(name)?;
        }
        Ok(stages)
    }

    fn push(&mut self, name: &str) -> Result<(), CodecError> {
        match lookup_codec(name) {
            Some(codec) => {
                self.names.push(name.to_string());
                self.codecs.push(codec);
                Ok(())
            }
            None if FORMATS.iter().any(|(n, _)| *n == name) => Err(CodecError::InvalidPipeline {
                name: name.to_string(),
                reason: "a format can only be the first element of a pipeline".into(),
            }),
            None if !BUILTIN_STAGES.contains(&name) => {
                match FEATURE_STAGES.iter().find(|(stage, _)| *stage == name) {
                    Some((_, feature)) => Err(CodecError::StageNotEnabled {
                        name: name.to_string(),
                        feature,
                    }),
                    None => Err(CodecError::UnknownCodec {
                        name: name.to_string(),
                        known: registered_codecs(),
                    }),
                }
            }
            None => Err(CodecError::UnknownCodec {
                name: name.to_string(),
                known: registered_codecs(),
            }),
        }
    }

    /// Sets the bound on each decoding stage's output (default: [`default_max_decompressed`](super::default_max_decompressed) at decode time).
    pub fn with_max_decompressed(mut self, bytes: usize) -> Self {
        self.max_decompressed = Some(bytes);
        self
    }

    /// The stage names, in encoding order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Whether there are no stages.
    pub fn is_empty(&self) -> bool {
        self.codecs.is_empty()
    }

    /// Runs the stages left to right.
    pub fn encode(&self, mut bytes: Vec<u8>) -> Result<Vec<u8>, CodecError> {
        for codec in &self.codecs {
            bytes = codec.encode(bytes)?;
        }
        Ok(bytes)
    }

    /// Runs the stages right to left; borrows the input when there are none.
    pub fn decode<'a>(&self, bytes: &'a [u8]) -> Result<Cow<'a, [u8]>, CodecError> {
        let limits = DecodeLimits {
            max_output: self
                .max_decompressed
                .unwrap_or_else(super::default_max_decompressed),
        };
        let mut out = Cow::Borrowed(bytes);
        for codec in self.codecs.iter().rev() {
            out = Cow::Owned(codec.decode(&out, &limits)?);
        }
        Ok(out)
    }
}

impl PartialEq for Stages {
    fn eq(&self, other: &Self) -> bool {
        self.names == other.names && self.max_decompressed == other.max_decompressed
    }
}

impl Eq for Stages {}

impl fmt::Debug for Stages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stages")
            .field("names", &self.names)
            .field("max_decompressed", &self.max_decompressed)
            .finish()
    }
}

/// Splits `"format|stage|..."` into the format and the stages.
pub(super) fn parse_codec(name: &str) -> Result<(Format, Stages), CodecError> {
    let (first, rest) = match name.split_once('|') {
        Some((first, rest)) => (first.trim(), Some(rest)),
        None => (name.trim(), None),
    };
    let format = match FORMATS.iter().find(|(n, _)| *n == first) {
        Some((_, format)) => *format,
        None if lookup_codec(first).is_some() => {
            return Err(CodecError::InvalidPipeline {
                name: name.to_string(),
                reason: format!(
                    "`{first}` is a byte stage; a codec for values starts with a format ({})",
                    FORMATS
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })
        }
        None => {
            return Err(CodecError::UnknownCodec {
                name: first.to_string(),
                known: registered_codecs(),
            })
        }
    };
    let mut stages = Stages::new();
    if let Some(rest) = rest {
        for stage in rest.split('|').map(str::trim) {
            stages.push(stage)?;
        }
    }
    Ok((format, stages))
}

/// Const check of a pipeline of built-in names: the first element a format, the others built-in
/// stages, separated by `|` with optional spaces.
pub(super) const fn is_builtin_pipeline(name: &str) -> bool {
    let bytes = name.as_bytes();
    let mut start = 0;
    let mut first = true;
    loop {
        let mut end = start;
        while end < bytes.len() && bytes[end] != b'|' {
            end += 1;
        }
        let (s, e) = trim(bytes, start, end);
        let known = if first {
            let mut i = 0;
            let mut found = false;
            while i < FORMATS.len() {
                if eq_range(FORMATS[i].0.as_bytes(), bytes, s, e) {
                    found = true;
                }
                i += 1;
            }
            found
        } else {
            let mut i = 0;
            let mut found = false;
            while i < BUILTIN_STAGES.len() {
                if eq_range(BUILTIN_STAGES[i].as_bytes(), bytes, s, e) {
                    found = true;
                }
                i += 1;
            }
            found
        };
        if !known {
            return false;
        }
        if end >= bytes.len() {
            return true;
        }
        start = end + 1;
        first = false;
    }
}

const fn trim(bytes: &[u8], mut s: usize, mut e: usize) -> (usize, usize) {
    while s < e && bytes[s] == b' ' {
        s += 1;
    }
    while e > s && bytes[e - 1] == b' ' {
        e -= 1;
    }
    (s, e)
}

const fn eq_range(a: &[u8], b: &[u8], s: usize, e: usize) -> bool {
    if a.len() != e - s {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[s + i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::{is_builtin_pipeline, Stages, BUILTIN_STAGES, FEATURE_STAGES};
    use crate::CodecError;

    #[test]
    fn builtin_pipelines() {
        assert!(is_builtin_pipeline("json"));
        assert!(is_builtin_pipeline("json|binary|raw"));
        assert_eq!(is_builtin_pipeline("json|gzip"), cfg!(feature = "gzip"));
        assert_eq!(
            is_builtin_pipeline("json | zstd | binary"),
            cfg!(feature = "zstd")
        );
        assert!(!is_builtin_pipeline("jsno"));
        assert!(!is_builtin_pipeline("json|gzp"));
        assert!(!is_builtin_pipeline("json|"));
        assert!(!is_builtin_pipeline("gzip"));
        assert!(!is_builtin_pipeline(""));
    }

    #[test]
    fn a_feature_stage_is_there_or_names_its_feature() {
        for (stage, feature) in FEATURE_STAGES {
            let parsed = Stages::parse(stage);
            let enabled = BUILTIN_STAGES.contains(&stage);
            assert_eq!(
                enabled,
                (stage == "gzip" && cfg!(feature = "gzip"))
                    || (stage == "zstd" && cfg!(feature = "zstd"))
            );
            match parsed {
                Ok(stages) => {
                    assert!(enabled, "{stage}");
                    let bytes = stages.encode(b"kafka".to_vec()).expect("encode");
                    assert_eq!(&*stages.decode(&bytes).expect("decode"), b"kafka");
                }
                Err(CodecError::StageNotEnabled { name, feature: f }) => {
                    assert!(!enabled, "{stage}");
                    assert_eq!((name.as_str(), f), (stage, feature));
                }
                Err(e) => panic!("{stage}: {e}"),
            }
        }
    }
}
